import requests
from tenacity import retry, stop_after_attempt, wait_exponential_jitter

@retry(wait=wait_exponential_jitter(1, 30), stop=stop_after_attempt(5))
def send_invoice(invoice):
    response = requests.post(
        settings.BILLING_URL,
        json=invoice.payload(),
        headers={"Idempotency-Key": invoice.key},
        timeout=(3.05, 10),
    )
    response.raise_for_status()

def read_invoice(invoice_id):
    return requests.get(settings.BILLING_URL, timeout=10)

def ping():
    return requests.post("http://localhost:9000/ping", timeout=1)
