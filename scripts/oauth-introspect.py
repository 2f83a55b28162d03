"""The test mail servers' OAuth 2.0 provider (started by scripts/mail-server).

POST /introspect (RFC 7662) with token=T answers {"active": true,
"username": U} when `T U [EXPIRES]` is a line of the tokens file and
EXPIRES (Unix seconds) has not passed, else {"active": false}; the test
Dovecot asks it for XOAUTH2 logins, and the SMTP test server reads the same
file.

POST /token is a token endpoint that holds clients to RFC 6749 §6: a POST
of application/x-www-form-urlencoded with grant_type=refresh_token, the
refresh token and the client's credentials (client_secret_post or HTTP
Basic). Refresh tokens are lines `R USER CLIENT_ID CLIENT_SECRET LIFETIME
[rotate]` of the refresh-tokens file; a good request gets a new access
token (appended to the tokens file, expiring after LIFETIME seconds) as
§5.1's JSON, and with `rotate` a new refresh token that replaces R (R then
fails, as a provider that rotates does). Errors are §5.2's: 400
invalid_request / unsupported_grant_type / invalid_grant, 401
invalid_client. Every request is logged to the tokens file's folder as
token-requests.log: "<refresh token> <outcome>".
"""

import argparse
import base64
import json
import os
import secrets
import threading
import time
import urllib.parse
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

LOCK = threading.Lock()


def tokens(path):
    known = {}
    now = time.time()
    with open(path, encoding="utf-8") as f:
        for line in f:
            parts = line.split()
            if len(parts) >= 2 and (len(parts) < 3 or float(parts[2]) > now):
                known[parts[0]] = parts[1]
    return known


def handler(tokens_file):
    folder = os.path.dirname(tokens_file)
    refresh_file = os.path.join(folder, "refresh-tokens")
    log_file = os.path.join(folder, "token-requests.log")

    class Provider(BaseHTTPRequestHandler):
        def answer(self, status, body, headers=()):
            data = json.dumps(body).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Cache-Control", "no-store")
            for name, value in headers:
                self.send_header(name, value)
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def form(self):
            length = int(self.headers.get("Content-Length") or 0)
            raw = self.rfile.read(length).decode("utf-8", "replace")
            return urllib.parse.parse_qs(raw, keep_blank_values=True)

        def do_POST(self):
            if self.path == "/token":
                return self.token()
            token = (self.form().get("token") or [""])[0]
            user = tokens(tokens_file).get(token)
            self.answer(200, {"active": True, "username": user} if user else {"active": False})

        def token(self):
            def fail(status, error, refresh="-"):
                with LOCK, open(log_file, "a", encoding="utf-8") as log:
                    log.write(f"{refresh} {error}\n")
                extra = [("WWW-Authenticate", "Basic")] if status == 401 else []
                self.answer(status, {"error": error}, extra)

            kind = (self.headers.get("Content-Type") or "").split(";")[0].strip()
            if kind != "application/x-www-form-urlencoded":
                return fail(400, "invalid_request")
            form = self.form()
            one = lambda k: (form.get(k) or [None])[0]
            if any(len(v) > 1 for v in form.values()):
                return fail(400, "invalid_request")
            if one("grant_type") != "refresh_token":
                return fail(400, "unsupported_grant_type")
            refresh = one("refresh_token")
            if not refresh:
                return fail(400, "invalid_request")
            client_id, client_secret = one("client_id"), one("client_secret")
            basic = self.headers.get("Authorization", "")
            if basic.startswith("Basic "):
                pair = base64.b64decode(basic[6:]).decode()
                client_id, client_secret = (urllib.parse.unquote(p) for p in pair.split(":", 1))
            with LOCK:
                lines = []
                if os.path.exists(refresh_file):
                    with open(refresh_file, encoding="utf-8") as f:
                        lines = [l.split() for l in f if l.strip()]
                grant = next((l for l in lines if l[0] == refresh), None)
            if grant is None:
                return fail(400, "invalid_grant", refresh)
            _, user, want_id, want_secret, lifetime = grant[:5]
            if client_id != want_id or client_secret != want_secret:
                return fail(401, "invalid_client", refresh)
            access = "at-" + secrets.token_hex(12)
            body = {"access_token": access, "token_type": "Bearer", "expires_in": int(lifetime)}
            with LOCK:
                with open(tokens_file, "a", encoding="utf-8") as f:
                    f.write(f"{access} {user} {time.time() + int(lifetime)}\n")
                if len(grant) > 5 and grant[5] == "rotate":
                    new = "rt-" + secrets.token_hex(12)
                    body["refresh_token"] = new
                    with open(refresh_file, encoding="utf-8") as f:
                        text = f.read()
                    with open(refresh_file, "w", encoding="utf-8") as f:
                        f.write(text.replace(refresh + " ", new + " ", 1))
                with open(log_file, "a", encoding="utf-8") as log:
                    log.write(f"{refresh} ok\n")
            self.answer(200, body)

        def log_message(self, *args):
            pass

    return Provider


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--port", type=int, required=True)
    p.add_argument("--tokens", required=True)
    a = p.parse_args()
    ThreadingHTTPServer(("127.0.0.1", a.port), handler(a.tokens)).serve_forever()


if __name__ == "__main__":
    main()
