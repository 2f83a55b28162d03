"""A throwaway SMTP server for the mail tests (started by scripts/smtp-server).

It speaks SMTP with aiosmtpd, requires AUTH PLAIN or LOGIN with a user of the
test Dovecot's passwd file (or XOAUTH2 with a token of its tokens file), and delivers each accepted message into the
recipient's INBOX on that Dovecot by IMAP APPEND, as a real relay delivering
locally would. Recipients are `name@anything`, where name is a Dovecot user;
an unknown name is refused with 550. Like Postfix, it does not file a copy in
the sender's Sent folder (the client does that), except for the users named
by --files-sent, for whom it files one as Gmail and Microsoft 365 do.

A second port (--starttls-port) requires STARTTLS (with --cert and --key)
before AUTH, as a submission server on port 587 does.

Every accepted message is also logged, one JSON line each, to the file named
by --log, so a test can count deliveries by Message-ID.
"""

import argparse
import asyncio
import base64
import email.parser
import imaplib
import json
import re
import ssl
import time

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword


def read_users(path):
    users = {}
    with open(path, encoding="utf-8") as f:
        for line in f:
            name, _, rest = line.strip().partition(":")
            if name and rest.startswith("{PLAIN}"):
                users[name] = rest[len("{PLAIN}"):].split(":")[0]
    return users


class Relay:
    def __init__(self, users_file, imap_host, imap_port, log, files_sent=()):
        self.files_sent = set(files_sent)
        self.users_file = users_file
        self.imap_host = imap_host
        self.imap_port = imap_port
        self.log = log

    def authenticate(self, server, session, envelope, mechanism, auth_data):
        if mechanism not in ("PLAIN", "LOGIN") or not isinstance(auth_data, LoginPassword):
            return AuthResult(success=False, handled=False)
        users = read_users(self.users_file)
        name = auth_data.login.decode("utf-8", "replace")
        password = auth_data.password.decode("utf-8", "replace")
        return AuthResult(success=users.get(name) == password, auth_data=name)

    async def auth_XOAUTH2(self, server, args):
        """SASL XOAUTH2: base64 of "user=U^Aauth=Bearer T^A^A"."""
        if len(args) > 1:
            raw = args[1]
        else:
            raw = await server.challenge_auth("", encode_to_b64=False)
            if not isinstance(raw, (bytes, str)):
                return AuthResult(success=False)
            raw = raw if isinstance(raw, str) else base64.b64encode(raw).decode()
        try:
            text = base64.b64decode(raw, validate=True).decode("utf-8")
            fields = dict(f.split("=", 1) for f in text.split("\x01") if "=" in f)
        except Exception:
            await server.push("501 5.5.2 Can't decode XOAUTH2")
            return AuthResult(success=False, handled=True)
        token = fields.get("auth", "").removeprefix("Bearer ").strip()
        known = {}
        tokens = self.users_file.rsplit("/", 1)[0] + "/tokens"
        try:
            with open(tokens, encoding="utf-8") as f:
                for line in f:
                    # "token user [expires]": an expired token is refused.
                    parts = line.split()
                    if len(parts) >= 2 and (len(parts) < 3 or float(parts[2]) > time.time()):
                        known[parts[0]] = parts[1]
        except OSError:
            pass
        ok = known.get(token) == fields.get("user")
        return AuthResult(success=ok, auth_data=fields.get("user"))

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        name = address.split("@")[0]
        if name not in read_users(self.users_file):
            return "550 5.1.1 no such user here"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        users = read_users(self.users_file)
        raw = envelope.original_content or envelope.content
        if isinstance(raw, str):
            raw = raw.encode("utf-8")
        headers = email.parser.BytesHeaderParser().parsebytes(raw)
        for rcpt in envelope.rcpt_tos:
            name = rcpt.split("@")[0]
            imap = imaplib.IMAP4(self.imap_host, self.imap_port)
            try:
                imap.login(name, users[name])
                imap.append("INBOX", None, None, raw)
            finally:
                try:
                    imap.logout()
                except Exception:
                    pass
        # The user name the authenticator (or auth_XOAUTH2) kept.
        sender = session.auth_data
        if sender in self.files_sent:
            self.file_in_sent(sender, users[sender], raw)
        with open(self.log, "a", encoding="utf-8") as f:
            f.write(json.dumps({
                "at": time.time(),
                "mail_from": envelope.mail_from,
                "rcpt_to": envelope.rcpt_tos,
                "message_id": headers.get("Message-ID"),
                "in_reply_to": headers.get("In-Reply-To"),
                "subject": headers.get("Subject"),
            }) + "\n")
        return "250 2.0.0 delivered"

    def file_in_sent(self, user, password, raw):
        """A copy in the folder the user's server marks \\Sent."""
        imap = imaplib.IMAP4(self.imap_host, self.imap_port)
        try:
            imap.login(user, password)
            _, lines = imap.list()
            folder = None
            for line in lines or []:
                text = line.decode("utf-8", "replace")
                if "\\Sent" in text:
                    m = re.search(r'"([^"]*)"$|(\S+)$', text)
                    folder = m.group(1) or m.group(2)
                    break
            if folder:
                imap.append('"%s"' % folder, "(\\Seen)", None, raw)
        finally:
            try:
                imap.logout()
            except Exception:
                pass


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--port", type=int, required=True)
    p.add_argument("--users", required=True)
    p.add_argument("--imap", required=True, help="HOST:PORT of the Dovecot")
    p.add_argument("--log", required=True)
    p.add_argument("--files-sent", nargs="*", default=[])
    p.add_argument("--starttls-port", type=int)
    p.add_argument("--cert")
    p.add_argument("--key")
    a = p.parse_args()
    host, _, port = a.imap.rpartition(":")
    relay = Relay(a.users, host, int(port), a.log, a.files_sent)
    controller = Controller(
        relay,
        hostname="127.0.0.1",
        port=a.port,
        authenticator=relay.authenticate,
        auth_required=True,
        # Loopback only: plaintext AUTH is the point of a local test server.
        auth_require_tls=False,
    )
    controller.start()
    if a.starttls_port:
        context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
        context.load_cert_chain(a.cert, a.key)
        secure = Controller(
            relay,
            hostname="127.0.0.1",
            port=a.starttls_port,
            authenticator=relay.authenticate,
            auth_required=True,
            auth_require_tls=True,
            require_starttls=True,
            tls_context=context,
        )
        secure.start()
    try:
        asyncio.get_event_loop().run_forever()
    finally:
        controller.stop()


if __name__ == "__main__":
    main()
