import os

DB_PASSWORD = os.environ["DB_PASSWORD"]
TOKEN_URL = "https://auth.mycompany.com/oauth/token"
password_field = "password"
api_key = "YOUR_API_KEY_HERE"
secret_name = "prod/stripe/secret-key"
page_token = "CAUQAA"
API_KEY_ENV = "STRIPE_API_KEY"
token = os.getenv("TOKEN", "")
# stripe test keys look like sk_test_51HxAbCdEfGhIjKlMnOpQrStUv
