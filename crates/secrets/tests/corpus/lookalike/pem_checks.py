HEADER = "-----BEGIN RSA PRIVATE KEY-----"
def is_key(text):
    return text.startswith("-----BEGIN PRIVATE KEY-----") or "-----BEGIN OPENSSH PRIVATE KEY-----" in text
DOC = """
-----BEGIN PRIVATE KEY-----
...
-----END PRIVATE KEY-----
"""
TEMPLATE = '-----BEGIN EC PRIVATE KEY-----\n<paste your key here>\n-----END EC PRIVATE KEY-----'
