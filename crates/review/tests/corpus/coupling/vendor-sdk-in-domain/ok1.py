# fcto-corpus-path: app/domain/billing.py
from decimal import Decimal
from app.domain.ports import PaymentGateway
import stripey_utils
# import stripe

def charge(gateway: PaymentGateway, customer, amount: Decimal):
    return gateway.charge(customer.id, amount)
