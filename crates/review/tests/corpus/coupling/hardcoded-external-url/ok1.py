import os
import requests

# Docs: https://stripe.com/docs/api/charges
BASE = os.environ["STRIPE_BASE_URL"]
LOCAL = "http://localhost:8000/health"
SAMPLE = "https://example.com/callback"
OWN = "https://api.mycompany.com/v2/orders"

def charge(amount):
    """See https://stripe.com/docs for details."""
    return requests.post(f"{BASE}/v1/charges", data={"amount": amount}, timeout=10)
