import os
from django.utils.translation import gettext_lazy as _

SECRET_KEY = os.environ["DJANGO_SECRET_KEY"]
DB_PASSWORD = os.getenv("DB_PASSWORD", "")
password = os.environ.get('PGPASSWORD')
token = request.headers.get("X-Auth-Token")
DSN = "host=%(host)s password=%(password)s"
LOGIN_ERROR = _("Please enter a correct password.")
PASSWORD_RESET_TIMEOUT = 259200
password_field = forms.CharField(widget=forms.PasswordInput)
api_key = settings.STRIPE_API_KEY
auth_token = get_token(user)
TOKEN_TYPE = "Bearer"
csrf_token = "{{ csrf_token }}"
def check(password: str) -> bool:
    return password == user.password
token_url = "https://oauth2.googleapis.com/token"
secret_file = "/run/secrets/db_password"
password_hash = "$2b$12$KIXQJ1p7gTjYlEGQvxw9Q.VbRx0y5lqR8mPzJxv3xkZKqK6s1cT8K"
session_token_name = "sessionid"
conn = psycopg2.connect(f"postgresql://{user}:{password}@{host}/db")
