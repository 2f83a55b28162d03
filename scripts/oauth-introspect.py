"""OAuth 2.0 token introspection (RFC 7662) for the test Dovecot's XOAUTH2
logins (started by scripts/mail-server): POST /introspect with token=T
answers {"active": true, "username": U} when `T U` is a line of the tokens
file, else {"active": false}. The SMTP test server reads the same file.
"""

import argparse
import json
import urllib.parse
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


def tokens(path):
    known = {}
    with open(path, encoding="utf-8") as f:
        for line in f:
            parts = line.split()
            if len(parts) == 2:
                known[parts[0]] = parts[1]
    return known


def handler(tokens_file):
    class Introspect(BaseHTTPRequestHandler):
        def do_POST(self):
            length = int(self.headers.get("Content-Length") or 0)
            form = urllib.parse.parse_qs(self.rfile.read(length).decode("utf-8", "replace"))
            token = (form.get("token") or [""])[0]
            user = tokens(tokens_file).get(token)
            body = {"active": True, "username": user} if user else {"active": False}
            data = json.dumps(body).encode()
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def log_message(self, *args):
            pass

    return Introspect


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--port", type=int, required=True)
    p.add_argument("--tokens", required=True)
    a = p.parse_args()
    ThreadingHTTPServer(("127.0.0.1", a.port), handler(a.tokens)).serve_forever()


if __name__ == "__main__":
    main()
