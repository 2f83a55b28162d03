#!/usr/bin/env python3
"""Writes tests/corpus/: planted secrets (fake, format-valid, seeded so the
files are stable) and look-alikes that must not be reported, plus
tests/corpus/expected.json listing every expected finding (file, line,
rule). Run from anywhere: python3 crates/secrets/tests/make_corpus.py
Private keys are made by openssl/ssh-keygen once; rerunning makes new ones
(and new expected fingerprints, which no test pins)."""
import base64, json, os, random, shutil, string, subprocess, tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
OUT = os.path.join(HERE, "corpus")
rng = random.Random(20260301)
# Words the scanner treats as stand-ins; a planted value must not hold one.
STAND_IN = ["example", "sample", "fake", "dummy", "test", "todo", "xxxx", "123456", "abcdef",
            "qwerty", "insert", "replace", "your", "secret", "token", "password", "demo",
            "default", "admin", "redacted", "placeholder", "changeme", "fixme"]
ALNUM = string.ascii_letters + string.digits
UPNUM = string.ascii_uppercase + string.digits
B64 = ALNUM + "+/"
B64URL = ALNUM + "-_"
HEX = "0123456789abcdef"

PLANTED_VALUES = []
PLANTING = True

def rand(alphabet, n):
    v = _rand(alphabet, n)
    if PLANTING and n >= 8:
        PLANTED_VALUES.append(v)
    return v

def _rand(alphabet, n):
    while True:
        v = "".join(rng.choice(alphabet) for _ in range(n))
        low = v.lower()
        if any(w in low for w in STAND_IN):
            continue
        if alphabet in (ALNUM, B64, B64URL) and not (any(c.isdigit() for c in v) and any(c.isupper() for c in v) and any(c.islower() for c in v)):
            continue
        return v

def b64url(data):
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()

def jwt():
    header = b64url(json.dumps({"alg": "HS256", "typ": "JWT"}, separators=(",", ":")).encode())
    payload = b64url(json.dumps({"sub": rand(ALNUM, 12), "iat": rng.randint(1600000000, 1800000000)}, separators=(",", ":")).encode())
    return f"{header}.{payload}.{rand(B64URL, 43)}"

def pem_body(n):
    raw = bytes(rng.getrandbits(8) for _ in range(n))
    text = base64.b64encode(raw).decode()
    return [text[i:i + 64] for i in range(0, len(text), 64)]

def openssl_key(args):
    with tempfile.TemporaryDirectory() as d:
        path = os.path.join(d, "k")
        subprocess.run(["openssl", args[0], "-out", path] + args[1:], check=True, capture_output=True)
        return open(path).read().rstrip("\n").split("\n")

def ssh_key():
    with tempfile.TemporaryDirectory() as d:
        path = os.path.join(d, "k")
        subprocess.run(["ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-C", "", "-f", path], check=True)
        return open(path).read().rstrip("\n").split("\n")

expected = []
files = {}

def write(rel, lines, eol="\n"):
    """lines: list of str or (str, rule) or (str, [rules])."""
    text_lines = []
    for i, item in enumerate(lines, start=1):
        if isinstance(item, tuple):
            line, rules = item
            for rule in ([rules] if isinstance(rules, str) else rules):
                expected.append({"file": rel, "line": i, "rule": rule})
        else:
            line = item
        text_lines.append(line)
    files[rel] = eol.join(text_lines) + eol

# ---------------------------------------------------------------- planted
aws_id = "AKIA" + rand(UPNUM, 16)
aws_secret = rand(B64, 40)
aws_id2 = "AKIA" + rand(UPNUM, 16)
aws_secret2 = rand(B64, 40)
aws_tmp = "ASIA" + rand(UPNUM, 16)
stripe_live = "sk_live_" + rand(ALNUM, 24)
stripe_restricted = "rk_live_" + rand(ALNUM, 99)
stripe_test = "sk_test_" + rand(ALNUM, 24)
gh = {p: p + rand(ALNUM, 36) for p in ["ghp_", "gho_", "ghu_", "ghs_", "ghr_"]}
gh_pat = "github_pat_" + rand(ALNUM, 22) + "_" + rand(ALNUM, 59)
glpat = "glpat-" + rand(B64URL, 20)
slack_bot = f"xoxb-{rng.randint(10**11, 10**12 - 1)}-{rng.randint(10**12, 10**13 - 1)}-{rand(ALNUM, 24)}"
slack_user = f"xoxp-{rng.randint(10**11, 10**12 - 1)}-{rng.randint(10**11, 10**12 - 1)}-{rng.randint(10**12, 10**13 - 1)}-{rand(HEX, 32)}"
slack_hook = f"https://hooks.slack.com/services/T{rand(UPNUM, 8)}/B{rand(UPNUM, 10)}/{rand(ALNUM, 24)}"
twilio_key = "SK" + rand(HEX, 32)
twilio_sid = "AC" + rand(HEX, 32)
twilio_token = rand(HEX, 32)
sendgrid = "SG." + rand(B64URL, 22) + "." + rand(B64URL, 43)
openai_proj = "sk-proj-" + rand(B64URL, 156)
openai_legacy = "sk-" + rand(ALNUM, 20) + "T3BlbkFJ" + rand(ALNUM, 20)
anthropic = "sk-ant-api03-" + rand(B64URL, 93) + "AA"
gcp_key = "AIza" + rand(B64URL, 35)
azure_key = rand(B64, 86) + "=="
azure_sb_key = rand(B64, 43) + "="
azure_sig = rand(ALNUM, 30) + "%2B" + rand(ALNUM, 10) + "%3D"
db_pw = [rand(ALNUM, 18) for _ in range(12)]
generic = [rand(ALNUM + "!#%^*-_", 24) for _ in range(20)]
hexsecret = rand(HEX, 64)

write("planted/.env", [
    "# local settings for the billing service",
    ("AWS_ACCESS_KEY_ID=" + aws_id, "aws-access-key-id"),
    ("AWS_SECRET_ACCESS_KEY=" + aws_secret, "aws-secret-access-key"),
    ("STRIPE_SECRET_KEY=" + stripe_live, "stripe-secret-key"),
    (f"DATABASE_URL=postgres://billing:{db_pw[0]}@db.internal.corp:5432/billing", "database-url-password"),
    ("DB_PASSWORD=" + generic[0], "generic-secret-assignment"),
    ("SLACK_BOT_TOKEN=" + slack_bot, "slack-token"),
    ("SENDGRID_API_KEY=" + sendgrid, "sendgrid-api-key"),
    ("TWILIO_ACCOUNT_SID=" + twilio_sid),
    ("TWILIO_AUTH_TOKEN=" + twilio_token, "twilio-auth-token"),
    ("OPENAI_API_KEY=" + openai_proj, "openai-api-key"),
    ("ANTHROPIC_API_KEY=" + anthropic, "anthropic-api-key"),
    "LOG_LEVEL=info",
    ("export SESSION_SECRET=" + hexsecret, "generic-secret-assignment"),
])

write("planted/config/production.yaml", [
    "app:",
    "  name: storefront",
    "  github:",
    ("    token: " + gh["ghp_"], "github-token"),
    ("    app_token: \"" + gh["ghs_"] + "\"", "github-token"),
    ("  gitlab_token: '" + glpat + "'", "gitlab-token"),
    ("  slack_webhook: " + slack_hook, "slack-webhook-url"),
    "  mongo:",
    (f"    uri: mongodb+srv://shop:{db_pw[1]}@cluster0.abcd1.mongodb.net/shop?retryWrites=true", "database-url-password"),
    "  auth:",
    ("    client_secret: " + generic[1], "generic-secret-assignment"),
    "  storage:",
    (f"    connection: DefaultEndpointsProtocol=https;AccountName=shopstore;AccountKey={azure_key};EndpointSuffix=core.windows.net", "azure-storage-account-key"),
    (f"    blob_sas_url: https://shopstore.blob.core.windows.net/media?sv=2022-11-02&ss=b&srt=co&sp=rl&se=2027-01-01T00:00:00Z&st=2025-01-01T00:00:00Z&spr=https&sig={azure_sig}", "azure-sas-token"),
    (f"    bus: Endpoint=sb://shopbus.servicebus.windows.net/;SharedAccessKeyName=RootManageSharedAccessKey;SharedAccessKey={azure_sb_key}", "azure-shared-access-key"),
    "  oauth:",
    ("    refresh_token: " + gh["ghr_"], "github-token"),
])

write("planted/settings.json", [
    "{",
    '  "maps": {',
    ('    "browserKey": "' + gcp_key + '",', "gcp-api-key"),
    "    \"region\": \"eu\"",
    "  },",
    ('  "session": "' + jwt() + '",', "jwt"),
    ('  "client_secret": "' + generic[2] + '",', "generic-secret-assignment"),
    ('  "stripe": {"restricted": "' + stripe_restricted + '"},', "stripe-restricted-key"),
    ('  "ci": {"oauth": "' + gh["gho_"] + '", "user": "' + gh["ghu_"] + '"}', ["github-token", "github-token"]),
    "}",
])

rsa_pkcs8 = openssl_key(["genpkey", "-algorithm", "RSA", "-pkeyopt", "rsa_keygen_bits:2048"])
sa_key = "\\n".join(rsa_pkcs8) + "\\n"
write("planted/service-account.json", [
    "{",
    '  "type": "service_account",',
    '  "project_id": "shop-prod-4821",',
    '  "private_key_id": "' + rand(HEX, 40) + '",',
    ('  "private_key": "' + sa_key + '",', "gcp-service-account-key"),
    '  "client_email": "deployer@shop-prod-4821.iam.gserviceaccount.com",',
    '  "client_id": "' + str(rng.randint(10**20, 10**21 - 1)) + '",',
    '  "token_uri": "https://oauth2.googleapis.com/token"',
    "}",
])

write("planted/app.py", [
    "import openai",
    "from twilio.rest import Client",
    "",
    ("openai.api_key = \"" + openai_legacy + "\"", "openai-api-key"),
    ("TWILIO_API_KEY = '" + twilio_key + "'", "twilio-api-key"),
    ("REDIS_URL = \"rediss://default:" + db_pw[2] + "@cache-7.prod.example-redis.io:6380/0\"", "database-url-password"),
    "",
    "",
    "class Settings:",
    ("    api_key: str = \"" + generic[3] + "\"", "generic-secret-assignment"),
    "",
    "",
    "def connect():",
    ("    return Client(\"" + "AC" + rand(HEX, 32) + "\", \"" + rand(HEX, 32) + "\")", "twilio-auth-token"),
    "",
    "",
    "def login(session):",
    ("    session.login(user=\"ops\", password=\"" + generic[4] + "\")", "generic-secret-assignment"),
])

write("planted/server.js", [
    "const express = require('express');",
    ("const GH = '" + gh_pat + "';", "github-token"),
    "const app = express();",
    ("const db = mysql.createPool('mysql://shop:" + db_pw[3] + "@10.0.3.7:3306/shop');", "database-url-password"),
    "const client = new Api({",
    ("  apiKey: '" + generic[5] + "',", "generic-secret-assignment"),
    "  timeout: 3000,",
    "});",
    ("const headers = { Authorization: `Bearer " + jwt() + "` };", "jwt"),
    ("const stripe = require('stripe')('" + stripe_test + "');", "stripe-test-key"),
    "module.exports = app;",
])

write("planted/main.tf", [
    'provider "aws" {',
    '  region     = "eu-west-1"',
    ('  access_key = "' + aws_id2 + '"', "aws-access-key-id"),
    ('  secret_key = "' + aws_secret2 + '"', "aws-secret-access-key"),
    "}",
    "",
    'resource "aws_db_instance" "main" {',
    '  engine   = "postgres"',
    '  username = "app"',
    ('  password = "' + generic[6] + '"', "generic-secret-assignment"),
    "}",
])

write("planted/Dockerfile", [
    "FROM node:20-alpine",
    ("ENV NPM_TOKEN " + generic[7], "generic-secret-assignment"),
    ("ENV DB_PASSWORD=" + generic[8], "generic-secret-assignment"),
    "RUN npm ci",
    'CMD ["node", "server.js"]',
])

write("planted/keys/id_rsa", [(l, "private-key") if i == 0 else l
                              for i, l in enumerate(openssl_key(["genrsa", "-traditional", "2048"]))])
write("planted/keys/ec.pem", [(l, "private-key") if i == 0 else l
                              for i, l in enumerate(openssl_key(["ecparam", "-name", "prime256v1", "-genkey", "-noout"]))])
write("planted/keys/dsa.key", [(l, "private-key") if i == 0 else l
                               for i, l in enumerate(["-----BEGIN DSA PRIVATE KEY-----"] + pem_body(440) + ["-----END DSA PRIVATE KEY-----"])])
write("planted/keys/id_ed25519", [(l, "private-key") if i == 0 else l for i, l in enumerate(ssh_key())])
write("planted/keys/pkcs8.pem", [(l, "private-key") if i == 0 else l for i, l in enumerate(rsa_pkcs8)])
write("planted/keys/encrypted.pem", [(l, "private-key") if i == 0 else l
                                     for i, l in enumerate(["-----BEGIN ENCRYPTED PRIVATE KEY-----"] + pem_body(1250) + ["-----END ENCRYPTED PRIVATE KEY-----"])])
write("planted/keys/legacy-encrypted.key", [(l, "private-key") if i == 0 else l
                                            for i, l in enumerate(["-----BEGIN RSA PRIVATE KEY-----", "Proc-Type: 4,ENCRYPTED",
                                                                   "DEK-Info: AES-128-CBC," + rand(HEX, 32).upper(), ""] + pem_body(1190) + ["-----END RSA PRIVATE KEY-----"])])
write("planted/keys/signing.asc", [(l, "private-key") if i == 0 else l
                                   for i, l in enumerate(["-----BEGIN PGP PRIVATE KEY BLOCK-----", "Version: GnuPG v2", ""] + pem_body(900) + ["=" + rand(ALNUM, 4), "-----END PGP PRIVATE KEY BLOCK-----"])])

write("planted/credentials", [
    "[default]",
    ("aws_access_key_id = " + aws_id, "aws-access-key-id"),
    ("aws_secret_access_key = " + aws_secret, "aws-secret-access-key"),
    "[temp]",
    ("aws_access_key_id = " + aws_tmp, "aws-access-key-id"),
    ("aws_secret_access_key=" + rand(B64, 40), "aws-secret-access-key"),
])

write("planted/application.properties", [
    "server.port=8080",
    ("spring.datasource.url=jdbc:postgresql://app:" + db_pw[4] + "@pg.prod.internal:5432/app", "database-url-password"),
    ("spring.datasource.password=" + generic[9], "generic-secret-assignment"),
    ("spring.rabbitmq.addresses=amqps://events:" + db_pw[5] + "@mq.prod.internal:5671", "database-url-password"),
])

write("planted/deploy.sh", [
    "#!/bin/sh",
    "set -eu",
    ("export GITLAB_TOKEN=" + "glpat-" + rand(B64URL, 20), "gitlab-token"),
    ("curl -H \"x-api-key: " + "sk-ant-api03-" + rand(B64URL, 93) + "AA\" https://api.anthropic.com/v1/messages", "anthropic-api-key"),
    ("psql \"postgresql://deploy:" + db_pw[6] + "@db.prod.internal/app\" -f migrate.sql", "database-url-password"),
    ("curl -u ci:" + gh["ghp_"][:4] + rand(ALNUM, 36) + " https://api.github.com/user", "github-token"),
])

write("planted/Program.cs", [
    "namespace Shop;",
    "public static class Config",
    "{",
    ("    public const string Storage = \"DefaultEndpointsProtocol=https;AccountName=shopcs;AccountKey=" + rand(B64, 86) + "==;EndpointSuffix=core.windows.net\";", "azure-storage-account-key"),
    ("    public const string Sql = \"sqlserver://sa_app:" + db_pw[7] + "@sql.prod.internal:1433\";", "database-url-password"),
    ("    private static string apiToken = \"" + generic[10] + "\";", "generic-secret-assignment"),
    "}",
])

write("planted/settings.php", [
    "<?php",
    ("$password = '" + generic[11] + "';", "generic-secret-assignment"),
    "return [",
    ("    'api_key' => '" + generic[12] + "',", "generic-secret-assignment"),
    ("    'redis' => 'redis://cache:" + db_pw[8] + "@redis.prod.internal:6379',", "database-url-password"),
    "];",
])

write("planted/config.xml", [
    "<config>",
    "  <user>svc</user>",
    ("  <password>" + generic[13] + "</password>", "generic-secret-assignment"),
    "</config>",
])

write("planted/main.go", [
    "package main",
    "",
    "var cfg = Config{",
    ("\tPassword: \"" + generic[14] + "\",", "generic-secret-assignment"),
    ("\tDSN:      \"mariadb://shop:" + db_pw[9] + "@maria.prod.internal:3306/shop\",", "database-url-password"),
    "}",
    "",
    "func main() {",
    ("\ttoken := \"" + generic[15] + "\"", "generic-secret-assignment"),
    "\t_ = token",
    "}",
])

write("planted/crlf.env", [
    "# written on Windows",
    ("MSSQL_URL=mssql://reporting:" + db_pw[10] + "@sql.prod.internal:1433/reports", "database-url-password"),
    "",
    ("API_SECRET=" + generic[16], "generic-secret-assignment"),
], eol="\r\n")

write("planted/classic-mac.txt", [
    "line one",
    ("stripe " + "sk_live_" + rand(ALNUM, 32), "stripe-secret-key"),
    "line three",
    ("slack " + slack_user, "slack-token"),
], eol="\r")

write("planted/notebook.ipynb", [
    "{",
    ' "cells": [{"cell_type": "code", "source": [',
    ('    "client = OpenAI(api_key=\\"' + "sk-proj-" + rand(B64URL, 156) + '\\")\\n"', "openai-api-key"),
    " ]}]",
    "}",
])

for name, lines in files.items():
    if not name.startswith("planted/keys/") and name != "planted/service-account.json":
        continue
    for line in lines.replace("\\n", "\n").split("\n"):
        if len(line) >= 40 and "-----" not in line and ":" not in line:
            PLANTED_VALUES.append(line.strip().strip('",'))
PLANTING = False

# ---------------------------------------------------------------- look-alikes
write("lookalike/.env.example", [
    "# copy to .env and fill in",
    "AWS_ACCESS_KEY_ID=AKIAIOSFODNN7EXAMPLE",
    "AWS_SECRET_ACCESS_KEY=wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
    "STRIPE_SECRET_KEY=sk_live_xxxxxxxxxxxxxxxxxxxxxxxx",
    "DB_PASSWORD=changeme",
    "REDIS_PASSWORD=<password>",
    "API_KEY=your_api_key_here",
    "SECRET_KEY=${SECRET_KEY}",
    "SLACK_BOT_TOKEN=xoxb-your-bot-token",
    "GITHUB_TOKEN=ghp_XXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXX",
    "TOKEN=",
    "PASSWORD=\"\"",
    "SENDGRID_API_KEY=SG.xxxxxxxxxxxxxxxxxxxxxx.xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx",
    "DATABASE_URL=postgres://user:password@localhost:5432/app",
    "OPENAI_API_KEY=sk-...",
    "AUTH_TOKEN=**************",
])

write("lookalike/settings.py", [
    "import os",
    "from django.utils.translation import gettext_lazy as _",
    "",
    "SECRET_KEY = os.environ[\"DJANGO_SECRET_KEY\"]",
    "DB_PASSWORD = os.getenv(\"DB_PASSWORD\", \"\")",
    "password = os.environ.get('PGPASSWORD')",
    "token = request.headers.get(\"X-Auth-Token\")",
    "DSN = \"host=%(host)s password=%(password)s\"",
    "LOGIN_ERROR = _(\"Please enter a correct password.\")",
    "PASSWORD_RESET_TIMEOUT = 259200",
    "password_field = forms.CharField(widget=forms.PasswordInput)",
    "api_key = settings.STRIPE_API_KEY",
    "auth_token = get_token(user)",
    "TOKEN_TYPE = \"Bearer\"",
    "csrf_token = \"{{ csrf_token }}\"",
    "def check(password: str) -> bool:",
    "    return password == user.password",
    "token_url = \"https://oauth2.googleapis.com/token\"",
    "secret_file = \"/run/secrets/db_password\"",
    "password_hash = \"$2b$12$KIXQJ1p7gTjYlEGQvxw9Q.VbRx0y5lqR8mPzJxv3xkZKqK6s1cT8K\"",
    "session_token_name = \"sessionid\"",
    "conn = psycopg2.connect(f\"postgresql://{user}:{password}@{host}/db\")",
])

write("lookalike/chart/values.yaml", [
    "postgresql:",
    "  auth:",
    "    password: {{ .Values.global.postgresql.password | quote }}",
    "    existingSecret: shop-postgres",
    "    secretKeys:",
    "      adminPasswordKey: postgres-password",
    "env:",
    "  - name: DB_PASSWORD",
    "    valueFrom:",
    "      secretKeyRef:",
    "        name: shop-db",
    "        key: password",
    "  - name: API_TOKEN",
    "    value: \"\"",
    "token: ${{ secrets.GITHUB_TOKEN }}",
    "redisPassword: !vault |",
    "password: *default_password",
    "auth-secret: \"default/basic-auth\"",
    "clientSecret: urn:k8s:secret:oidc-client:client_secret",
])

write("lookalike/web/login.js", [
    "const password = process.env.DB_PASSWORD;",
    "const apiKey = import.meta.env.VITE_API_KEY;",
    "export function login(req) {",
    "  const token = req.headers.authorization;",
    "  return fetch('/api/login', { body: JSON.stringify({ password: form.password, token }) });",
    "}",
    "const messages = { password: 'Password', passwordHint: 'At least 12 characters', tokenExpired: 'Your session expired' };",
    "if (token === 'expired') { refreshToken = null; }",
    "const secretName = `${prefix}-db-secret`;",
    "const passwordInput = document.querySelector('input[type=password]');",
    "const taskRunner = 'disk-cleanup'; // sk- inside words",
])

write("lookalike/locales/en.json", [
    "{",
    '  "password": "Password",',
    '  "password_hint": "Your password must be at least 8 characters",',
    '  "token_expired": "Your session token has expired",',
    '  "forgot_password": "Forgot your password?",',
    '  "api_key_label": "API key"',
    "}",
])

write("lookalike/locales/de.json", [
    "{",
    '  "password": "Passwort",',
    '  "secret": "Geheimnis",',
    '  "token": "Zugangsschl\u00fcssel"',
    "}",
])

write("lookalike/locales/ja.po", [
    'msgid "Password"',
    'msgstr "\u30d1\u30b9\u30ef\u30fc\u30c9"',
    'msgid "password"',
    'msgstr "\u30d1\u30b9\u30ef\u30fc\u30c9\u3092\u5165\u529b"',
])

sha512 = lambda: "sha512-" + base64.b64encode(bytes(rng.getrandbits(8) for _ in range(64))).decode()
write("lookalike/package-lock.json", [
    "{",
    '  "name": "shop",',
    '  "lockfileVersion": 3,',
    '  "packages": {',
    '    "node_modules/jsonwebtoken": {',
    '      "version": "9.0.2",',
    '      "resolved": "https://registry.npmjs.org/jsonwebtoken/-/jsonwebtoken-9.0.2.tgz",',
    '      "integrity": "' + sha512() + '"',
    "    },",
    '    "node_modules/secret-handshake": {',
    '      "version": "1.1.21",',
    '      "integrity": "' + sha512() + '"',
    "    },",
    '    "node_modules/passport-token": { "version": "1.0.0", "integrity": "' + sha512() + '" }',
    "  }",
    "}",
])

h1 = lambda: "h1:" + base64.b64encode(bytes(rng.getrandbits(8) for _ in range(32))).decode()
write("lookalike/go.sum", [
    "github.com/golang-jwt/jwt/v5 v5.2.1 " + h1(),
    "github.com/golang-jwt/jwt/v5 v5.2.1/go.mod " + h1(),
    "golang.org/x/oauth2 v0.21.0 " + h1(),
])

write("lookalike/ids.yaml", [
    "request_token: 123e4567-e89b-12d3-a456-426614174000",
    "session_token: \"f47ac10b-58cc-4372-a567-0e02b2c3d479\"",
    "commit: " + rand(HEX, 40),
    "revision: " + rand(HEX, 40),
    "checksum_sha256: " + rand(HEX, 64),
    "integrity: " + sha512(),
    "etag: \"" + rand(HEX, 32) + "\"",
    "build_id: " + rand(HEX, 16),
])

img = base64.b64encode(b"\x89PNG\r\n\x1a\n" + bytes(rng.getrandbits(8) for _ in range(3000))).decode()
planted_in_blob = img[:400] + "AKIA" + rand(UPNUM, 16) + img[400:800] + "eyJhbGciOiJIUzI1NiJ9" + img[800:1200] + "AIza" + rand(B64URL, 35) + img[1200:]
font = base64.b64encode(bytes(rng.getrandbits(8) for _ in range(2000))).decode()
write("lookalike/styles.css", [
    ".logo { background: url(data:image/png;base64," + planted_in_blob + "); }",
    "@font-face { font-family: Brand; src: url(\"data:font/woff2;base64," + font + "\") format(\"woff2\"); }",
    ".password-field { border: 1px solid #ccc; }",
    ".token-list > .token { color: #e91e63; }",
])

mini = ";".join(f"function a{i}(e,t){{return{{password:e.password,token:t.token,auth:e.auth||t.auth,secret:n.secret}}}}" for i in range(60))
write("lookalike/vendor/app.min.js", [
    "!function(){" + mini + ";var k='" + rand(ALNUM, 30) + "',token='" + rand(ALNUM, 30) + "'}();",
])
write("lookalike/vendor/bundle.js", [
    "!function(){" + mini + "}();",
])

write("lookalike/docs/databases.md", [
    "# Connecting",
    "",
    "Use a URL such as `postgres://user@db.internal:5432/app` (the password comes from `PGPASSWORD`).",
    "",
    "```",
    "DATABASE_URL=postgresql://postgres:postgres@localhost:5432/dev",
    "MYSQL_URL=mysql://root:${MYSQL_ROOT_PASSWORD}@mysql:3306/app",
    "REDIS_URL=redis://:<password>@redis:6379/0",
    "MONGO_URL=mongodb://admin:%(password)s@mongo:27017",
    "AMQP_URL=amqp://guest:guest@rabbitmq:5672/",
    "REDIS=redis://default:****@cache:6379",
    "PG=postgres://app:{{ .Values.password }}@pg/app",
    "SQL=sqlserver://sa:$SA_PASSWORD@sql:1433",
    "HTTP=https://user:hunter2pass@example.com/",
    "```",
    "",
    "Set `password: <your password>` in `config.yaml`.",
    "Tokens start with `ghp_` and Slack bot tokens with `xoxb-`; Stripe keys look like `sk_live_...`.",
    "The key id AKIAXXXXXXXXXXXXXXXX is a placeholder.",
])

write("lookalike/pem_checks.py", [
    "HEADER = \"-----BEGIN RSA PRIVATE KEY-----\"",
    "def is_key(text):",
    "    return text.startswith(\"-----BEGIN PRIVATE KEY-----\") or \"-----BEGIN OPENSSH PRIVATE KEY-----\" in text",
    "DOC = \"\"\"",
    "-----BEGIN PRIVATE KEY-----",
    "...",
    "-----END PRIVATE KEY-----",
    "\"\"\"",
    "TEMPLATE = '-----BEGIN EC PRIVATE KEY-----\\n<paste your key here>\\n-----END EC PRIVATE KEY-----'",
])

pub = subprocess.run(["openssl", "pkey", "-pubout"], input="\n".join(rsa_pkcs8) + "\n", capture_output=True, text=True, check=True).stdout.rstrip("\n").split("\n")
write("lookalike/certs/server.pub.pem", pub)
write("lookalike/certs/chain.crt", ["-----BEGIN CERTIFICATE-----"] + pem_body(900) + ["-----END CERTIFICATE-----"])
write("lookalike/keys/placeholder.key", ["-----BEGIN RSA PRIVATE KEY-----"] + ["A" * 64] * 20 + ["-----END RSA PRIVATE KEY-----"])

jwt_io = "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiIxMjM0NTY3ODkwIiwibmFtZSI6IkpvaG4gRG9lIiwiaWF0IjoxNTE2MjM5MDIyfQ.SflKxwRJSMeKKF2QT4fwpMeJf36POk6yJV_adQssw5c"
no_alg = b64url(b'{"typ":"JWT","kid":"k1"}') + "." + b64url(b'{"sub":"1"}') + "." + rand(B64URL, 43)
unsigned = b64url(b'{"alg":"none"}') + "." + b64url(b'{"sub":"1"}') + "."
write("lookalike/docs/jwt.md", [
    "The sample from jwt.io: " + jwt_io,
    "A JSON object in base64 is not a token: " + no_alg,
    "Unsigned tokens carry nothing: " + unsigned,
    "Headers start with eyJ (base64 of `{\"`).",
    "payload = eyJmb28iOiJiYXIifQ",
])

write("lookalike/tokens.txt", [
    "git sha " + rand(HEX, 40) + " and short " + rand(HEX, 7),
    "md5 " + rand(HEX, 32) + " sha256 " + rand(HEX, 64),
    "SK is our country code; SKU-" + rand(UPNUM, 8) + " and SK" + rand(HEX, 31) + " (31 hex)",
    "ACME Corp account AC" + rand(HEX, 32) + " with no token anywhere near",
    "slack channel #xoxb-alerts and xoxp-is-a-prefix",
    "AKIA" + rand(UPNUM, 15) + " is one short, AKIA" + rand(UPNUM, 17) + " one long",
    "AIzaSyShort",
    "sk-" + rand(ALNUM, 20) + " too short for OpenAI",
    "SG.only.two",
    "eyJ at the start of a sentence",
    "github_pat_ is the fine-grained prefix",
    "glpat-xxxxxxxxxxxxxxxxxxxx is a placeholder",
])

write("lookalike/repeated.env", [
    "API_KEY=aaaaaaaaaaaaaaaaaaaaaaaa",
    "TOKEN=0000000000000000",
    "SECRET=abcdefghijklmnop",
    "PASSWORD=************",
    "CLIENT_SECRET=abababababababab",
    "AUTH=1234567890",
    "SESSION_SECRET=dummy-session-secret-value",
    "JWT_SECRET=test_jwt_secret_for_ci",
    "PASSWORD=Password123",
])

write("lookalike/variables.tf", [
    'resource "aws_db_instance" "db" {',
    "  password = var.db_password",
    "  username = local.db_user",
    "}",
    'resource "random_password" "db" { length = 32 }',
    'data "aws_ssm_parameter" "token" { name = "/shop/api-token" }',
    "locals {",
    "  secret_key = data.aws_ssm_parameter.token.value",
    "  api_key    = module.secrets.api_key",
    "}",
])

write("lookalike/Dockerfile", [
    "FROM python:3.12-slim",
    "ARG NPM_TOKEN",
    "ENV DB_PASSWORD=",
    "RUN --mount=type=secret,id=npm_token cat /run/secrets/npm_token",
    "ENV SECRET_KEY_FILE=/run/secrets/django_secret",
])

write("lookalike/.github/workflows/ci.yml", [
    "jobs:",
    "  build:",
    "    steps:",
    "      - uses: actions/checkout@v4",
    "        with:",
    "          token: ${{ secrets.GITHUB_TOKEN }}",
    "      - run: npm publish",
    "        env:",
    "          NODE_AUTH_TOKEN: ${{ secrets.NPM_TOKEN }}",
])

write("lookalike/k8s/secret.yaml", [
    "apiVersion: v1",
    "kind: Secret",
    "data:",
    "  password: cGFzc3dvcmQ=",
    "  token: Y2hhbmdlbWU=",
    "  api-key: eW91ci1hcGkta2V5LWhlcmU=",
])

write("lookalike/Settings.java", [
    "public class Settings {",
    "    private String password;",
    "    public void setPassword(String password) { this.password = password; }",
    "    String token = System.getenv(\"API_TOKEN\");",
    "    static final String PASSWORD_PARAM = \"password\";",
    "    if (password.equals(\"\")) { throw new IllegalStateException(\"password missing\"); }",
    "}",
])

write("lookalike/cli.sh", [
    "#!/bin/sh",
    "mysql --password=\"$MYSQL_PWD\" -u root",
    "export PGPASSWORD=\"${DB_PASSWORD}\"",
    "TOKEN=$(vault read -field=token secret/ci)",
    "curl -H \"Authorization: Bearer $TOKEN\" https://api.internal/",
])

write("lookalike/htpasswd_test.go", [
    "package auth",
    "",
    "func TestAuth(t *testing.T) {",
    "\tpassword := strings.Repeat(\"a\", 32)",
    "\ttoken := fmt.Sprintf(\"%s:%s\", user, pass)",
    "\tsecret := []byte(cfg.Secret)",
    "}",
])

# ---------------------------------------------------------------- write out
if os.path.isdir(OUT):
    shutil.rmtree(OUT)
for rel, text in files.items():
    path = os.path.join(OUT, rel)
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w", newline="") as f:
        f.write(text)
expected.sort(key=lambda e: (e["file"], e["line"], e["rule"]))
with open(os.path.join(OUT, "expected.json"), "w") as f:
    json.dump(expected, f, indent=1)
    f.write("\n")
with open(os.path.join(HERE, "planted-values.txt"), "w") as f:
    f.write("# Raw planted values (fake); no scanner output may contain one.\n")
    for v in sorted(set(PLANTED_VALUES)):
        f.write(v + "\n")
print(f"{len(files)} files, {len(expected)} expected findings")
