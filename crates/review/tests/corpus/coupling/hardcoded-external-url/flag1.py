import requests

def charge(amount):
    return requests.post(
        "https://api.stripe.com/v1/charges",
        data={"amount": amount},
        timeout=10,
    )
