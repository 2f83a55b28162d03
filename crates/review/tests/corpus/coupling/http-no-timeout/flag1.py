import requests

def sync(order):
    resp = requests.post(
        settings.ERP_URL,
        json=order.to_dict(),
        headers={"X-Timeout": "not-a-timeout"},
    )
    return resp.json()
