# fcto-corpus-path: app/adapters/stripe_gateway.py
import stripe
