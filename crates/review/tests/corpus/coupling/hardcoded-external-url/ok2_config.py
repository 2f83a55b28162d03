# fcto-corpus-path: project/settings.py
STRIPE_API_BASE = "https://api.stripe.com"
