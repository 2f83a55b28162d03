import os

DEBUG = False
ALLOWED_HOSTS = ["bookings.northernlights.example"]

# Read from the environment in production.
DATABASE_PASSWORD = os.environ["DATABASE_PASSWORD"]
SECRET_KEY = "k7#p2x!v9q@m4z$w8r^t6y&u3i*o1e%a5s0d-f_g+h=j"

DATABASES = {
    "default": {
        "ENGINE": "django.db.backends.postgresql",
        "NAME": "bookings",
    }
}
