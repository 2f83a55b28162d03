import requests

def send_invoice(invoice):
    response = requests.post(
        settings.BILLING_URL,
        json=invoice.payload(),
        timeout=(3.05, 10),
    )
    response.raise_for_status()
