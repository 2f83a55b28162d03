# fcto-corpus-path: app/domain/billing.py
import stripe
from decimal import Decimal

def charge(customer, amount: Decimal):
    return stripe.Charge.create(customer=customer.stripe_id, amount=int(amount * 100))
