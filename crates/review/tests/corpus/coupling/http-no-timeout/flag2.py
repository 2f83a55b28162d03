from urllib.request import urlopen

def fetch_rates():
    return urlopen("https://api.mycompany.com/rates").read()

def stream(url):
    return requests.get(url, stream=True, timeout=None)
