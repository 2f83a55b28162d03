//! `credential-in-code`: a string literal assigned to a secret-looking
//! name, or any literal (or comment) shaped like a known vendor key. The
//! value is always redacted in what we print.

use super::hit;
use crate::coupling::lex::Kind;
use crate::coupling::source::{split_words, Source};
use crate::coupling::{Hit, Language, Rule};

pub(crate) fn check(source: &Source, hits: &mut Vec<Hit>) {
    for t in 0..source.len() {
        if !source.is_str(t) {
            continue;
        }
        let value = source.inner(t);
        if let Some((vendor, shown)) = vendor_key(value) {
            hits.push(finding(
                source,
                t,
                format!("{vendor} `{shown}` in a string literal"),
            ));
            continue;
        }
        if let Some(shown) = bearer_token(value) {
            hits.push(finding(
                source,
                t,
                format!("authorization header value `{shown}` hard-coded"),
            ));
            continue;
        }
        if let Some(name) = assigned_secret_name(source, t) {
            if looks_like_secret_value(value) {
                hits.push(finding(
                    source,
                    t,
                    format!("`{name}` is assigned the literal `{}`", redact(value, 3)),
                ));
            }
        }
    }
    // Keys pasted into comments leak just the same.
    for comment in &source.comments {
        let text = source
            .text
            .get(comment.start as usize..comment.end as usize)
            .unwrap_or("");
        if let Some((vendor, shown)) = vendor_key(text) {
            hits.push(super::super::Hit {
                rule: Rule::CredentialInCode,
                line: comment.line,
                column: comment.column,
                message: format!("{vendor} `{shown}` in a comment"),
                fix: fix(source.language),
            });
        }
    }
}

fn finding(source: &Source, t: usize, message: String) -> Hit {
    hit(
        source,
        Rule::CredentialInCode,
        t,
        message,
        fix(source.language),
    )
}

fn fix(language: Language) -> String {
    let lookup = super::env_lookup(language, "STRIPE_SECRET_KEY");
    format!(
        "Revoke and rotate the key now (it is in git history), then read it at runtime: \
         `api_key = {lookup}` from a secret manager or the deploy environment; never commit \
         the value, not even in tests."
    )
}

/// Keep `keep` characters, hide the rest.
fn redact(value: &str, keep: usize) -> String {
    let shown: String = value.chars().take(keep).collect();
    format!("{shown}… ({} chars)", value.chars().count())
}

/// Known vendor key shapes: prefix, allowed characters, minimum length.
fn vendor_key(text: &str) -> Option<(&'static str, String)> {
    type Shape = (&'static str, &'static str, fn(char) -> bool, usize);
    fn alnum(c: char) -> bool {
        c.is_ascii_alphanumeric()
    }
    fn token(c: char) -> bool {
        c.is_ascii_alphanumeric() || c == '_' || c == '-'
    }
    fn upper(c: char) -> bool {
        c.is_ascii_uppercase() || c.is_ascii_digit()
    }
    fn sendgrid(c: char) -> bool {
        token(c) || c == '.'
    }
    const SHAPES: [Shape; 17] = [
        ("sk_live_", "Stripe live secret key", alnum, 16),
        ("rk_live_", "Stripe restricted key", alnum, 16),
        ("whsec_", "webhook signing secret", alnum, 24),
        ("AKIA", "AWS access key id", upper, 16),
        ("ASIA", "AWS temporary access key id", upper, 16),
        ("ghp_", "GitHub token", alnum, 30),
        ("gho_", "GitHub OAuth token", alnum, 30),
        ("ghs_", "GitHub app token", alnum, 30),
        ("github_pat_", "GitHub token", token, 30),
        ("glpat-", "GitLab token", token, 20),
        ("xoxb-", "Slack bot token", token, 20),
        ("xoxp-", "Slack user token", token, 20),
        ("xapp-", "Slack app token", token, 20),
        ("sk-ant-", "Anthropic API key", token, 24),
        ("sk-proj-", "OpenAI API key", token, 24),
        ("SG.", "SendGrid API key", sendgrid, 60),
        ("AIza", "Google API key", token, 35),
    ];
    for (prefix, vendor, allowed, min) in SHAPES {
        let mut from = 0;
        while let Some(found) = text.get(from..).and_then(|rest| rest.find(prefix)) {
            let at = from + found;
            from = at + prefix.len();
            let boundary =
                !matches!(text[..at].chars().next_back(), Some(c) if c.is_ascii_alphanumeric());
            let body = text[at + prefix.len()..]
                .chars()
                .take_while(|c| allowed(*c))
                .count();
            if boundary && body >= min {
                return Some((vendor, format!("{prefix}…")));
            }
        }
    }
    // OpenAI's older shape: sk- and 32+ letters and digits.
    if let Some(at) = text.find("sk-") {
        let body = text[at + 3..]
            .chars()
            .take_while(|c| c.is_ascii_alphanumeric())
            .count();
        let boundary =
            !matches!(text[..at].chars().next_back(), Some(c) if c.is_ascii_alphanumeric());
        if boundary && body >= 32 {
            return Some(("OpenAI API key", "sk-…".to_string()));
        }
    }
    // A real key has its base64 body after the header; help text that
    // only names the format does not.
    if let Some(at) = text.find("PRIVATE KEY-----") {
        let body = text[at + "PRIVATE KEY-----".len()..]
            .replace("\\n", "")
            .chars()
            .filter(|c| !c.is_whitespace())
            .take_while(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '/' | '='))
            .count();
        if text.contains("-----BEGIN") && body >= 40 {
            return Some(("private key", "-----BEGIN … PRIVATE KEY-----".to_string()));
        }
    }
    None
}

/// `"Bearer abc..."` / `"Basic dXNl..."` with a real-looking token.
fn bearer_token(value: &str) -> Option<String> {
    for scheme in ["Bearer ", "Basic ", "Token "] {
        if let Some(rest) = value.strip_prefix(scheme) {
            let rest = rest.trim();
            if rest.len() >= 16
                && !rest.contains(char::is_whitespace)
                && !rest.contains(['{', '}', '$', '%', '<', '+'])
            {
                return Some(format!("{scheme}{}", redact(rest, 2)));
            }
        }
    }
    None
}

/// The secret-looking name a string literal is assigned to, if any:
/// `api_key = "..."`, `"password": "..."`, `apiKey: "..."`,
/// `const API_KEY: &str = "..."`, `$secret => '...'`, `token := "..."`.
fn assigned_secret_name(source: &Source, t: usize) -> Option<String> {
    if t < 2 {
        return None;
    }
    let op = t - 1;
    if !matches!(source.text(op), "=" | ":" | "=>" | ":=" | "||=" | "??=")
        || source.kind(op) != Some(Kind::Punct)
    {
        return None;
    }
    let name_at = |j: usize| -> Option<String> {
        let name = match source.kind(j)? {
            Kind::Ident => source.text(j).trim_start_matches(['$', '@']),
            Kind::Str => source.inner(j),
            _ => return None,
        };
        is_secret_name(name).then(|| name.to_string())
    };
    if let Some(name) = name_at(op - 1) {
        return Some(name);
    }
    // Typed declarations: `API_KEY: &str = "..."`, `apiKey: string = "..."`.
    if source.text(op) == "=" {
        let mut j = op;
        let mut steps = 0;
        while j > 1 && steps < 6 {
            j -= 1;
            steps += 1;
            if matches!(source.text(j), ";" | "{" | "(" | "," | "=") {
                break;
            }
            if source.is(j, ":") {
                return name_at(j - 1);
            }
        }
    }
    None
}

/// The last word says what the value is: `api_key`, `client_secret`,
/// `auth_token`, `db_password` yes; `token_url`, `password_field`,
/// `secret_name`, `page_token` no.
fn is_secret_name(name: &str) -> bool {
    let words = split_words(name);
    let Some(last) = words.last() else {
        return false;
    };
    let before = words.len().checked_sub(2).and_then(|i| words.get(i));
    match last.as_str() {
        "password" | "passwd" | "passphrase" | "secret" | "apikey" | "credential" => true,
        "token" => !before.is_some_and(|w| {
            matches!(
                w.as_str(),
                "page" | "next" | "cursor" | "csrf" | "continuation" | "sync"
            )
        }),
        "key" => before.is_some_and(|w| {
            matches!(
                w.as_str(),
                "api"
                    | "secret"
                    | "private"
                    | "access"
                    | "signing"
                    | "encryption"
                    | "client"
                    | "master"
                    | "auth"
                    | "license"
                    | "app"
            )
        }),
        _ => false,
    }
}

/// Placeholders, env-var names, paths, sentences and templates are not
/// secrets.
fn looks_like_secret_value(value: &str) -> bool {
    let lower = value.to_ascii_lowercase();
    if value.chars().count() < 8 || value.contains(char::is_whitespace) {
        return false;
    }
    if value.contains(['{', '}', '$', '%', '<', '>', '*'])
        || value.starts_with(['/', '.'])
        || lower.starts_with("http")
    {
        return false;
    }
    const PLACEHOLDERS: [&str; 10] = [
        "your",
        "example",
        "changeme",
        "placeholder",
        "dummy",
        "redacted",
        "xxxx",
        "todo",
        "replace",
        "fake",
    ];
    if PLACEHOLDERS.iter().any(|p| lower.contains(p)) {
        return false;
    }
    let env_var_shape = value
        .chars()
        .all(|c| c.is_ascii_uppercase() || c.is_ascii_digit() || c == '_');
    let first = value.chars().next().unwrap_or(' ');
    let repeated = value.chars().all(|c| c == first);
    !env_var_shape && !repeated
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn secret_names() {
        for yes in [
            "api_key",
            "apiKey",
            "STRIPE_SECRET_KEY",
            "client_secret",
            "db_password",
            "authToken",
            "token",
        ] {
            assert!(is_secret_name(yes), "{yes}");
        }
        for no in [
            "token_url",
            "password_field",
            "secret_name",
            "page_token",
            "keys",
            "monkey",
            "primary_key",
        ] {
            assert!(!is_secret_name(no), "{no}");
        }
    }

    #[test]
    fn vendor_shapes_are_redacted() {
        let (vendor, shown) = vendor_key("key=sk_live_51Habcdefghijklmnopqrstuv").expect("stripe");
        assert_eq!(vendor, "Stripe live secret key");
        assert!(!shown.contains("51H"));
        assert!(vendor_key("AKIAIOSFODNN7EXAMPLE").is_some());
        assert!(vendor_key("sk_test_51Habcdefghijklmnopqrstuv").is_none());
        assert!(vendor_key("TASKIA1234567890123456").is_none());
        assert!(vendor_key("PEM format, e.g. -----BEGIN PRIVATE KEY-----\\n...").is_none());
        let pem = format!(
            "-----BEGIN RSA PRIVATE KEY-----\\n{}",
            "MIIEowIBAAKCAQEA".repeat(4)
        );
        assert!(vendor_key(&pem).is_some());
    }
}
