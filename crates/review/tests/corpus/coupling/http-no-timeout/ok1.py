import requests
import httpx

def sync(order):
    # requests.post(url) without timeout would hang
    resp = requests.post(settings.ERP_URL, json=order.to_dict(), timeout=(3.05, 10))
    r2 = requests.get(settings.ERP_URL, **options)
    log("requests.get(url) is slow")
    r3 = httpx.get(settings.ERP_URL)  # httpx defaults to a 5 s timeout
    return resp.json()
