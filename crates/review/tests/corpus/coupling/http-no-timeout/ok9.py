import requests

session = requests.Session()

def pull(url):
    # requests.get(url) would hang forever
    text = "requests.get(url)"
    return requests.get(url, timeout=5).json()
