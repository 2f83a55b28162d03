//! Vendor tokens with a fixed prefix: the anchor is the prefix, the
//! validator checks the left boundary, the body's alphabet and length, and
//! that the next byte cannot continue the token.

use crate::finding::{redact_with_prefix, Severity};
use crate::rules::RuleId;
use crate::scanner::Ctx;
use crate::text::{
    at, contains_ci, entropy, is_alnum, is_base64, is_base64url, is_lower_hex, is_placeholder, run,
    slice, starts_token,
};

/// Documented example values that are public on purpose.
const AWS_EXAMPLE_MARK: &[u8] = b"EXAMPLE";

/// A body of `min..=max` bytes of `alphabet` right after `from`, not followed
/// by another byte of the alphabet. Returns its end.
fn body(
    bytes: &[u8],
    from: usize,
    min: usize,
    max: usize,
    alphabet: fn(u8) -> bool,
) -> Option<usize> {
    let n = run(bytes, from, max + 1, alphabet);
    (min..=max).contains(&n).then_some(from + n)
}

pub(crate) fn aws_key_id(ctx: &mut Ctx, prefix: &'static str, start: usize) {
    let b = ctx.bytes;
    if !starts_token(b, start) {
        return;
    }
    let Some(end) = body(b, start + 4, 16, 16, is_alnum) else {
        return;
    };
    let value = slice(b, start, end);
    if !value
        .iter()
        .all(|c| c.is_ascii_uppercase() || c.is_ascii_digit())
        || contains_ci(value, AWS_EXAMPLE_MARK)
        || is_placeholder(slice(b, start + 4, end))
    {
        return;
    }
    let severity = if prefix == "ASIA" {
        Severity::Medium
    } else {
        Severity::High
    };
    ctx.push(
        RuleId::AwsAccessKeyId,
        start,
        end,
        severity,
        redact_with_prefix(prefix, value),
        value,
    );
    aws_secret_beside(ctx, start);
}

/// A 40-character secret on the same line as a key id, as in the
/// credentials CSV the console hands out or `key:secret` pairs.
fn aws_secret_beside(ctx: &mut Ctx, key_start: usize) {
    let b = ctx.bytes;
    let (line_start, line_end, _) = ctx.line(key_start);
    if !ctx.spend(line_end - line_start) {
        return;
    }
    let mut i = line_start;
    while i < line_end {
        let n = run(b, i, line_end - i, is_base64);
        if n == 0 {
            i += 1;
            continue;
        }
        let value = slice(b, i, i + n);
        if n == 40 && looks_like_aws_secret(value) {
            ctx.push(
                RuleId::AwsSecretAccessKey,
                i,
                i + n,
                Severity::High,
                redact_with_prefix("", value),
                value,
            );
        }
        i += n;
    }
}

/// 40 base64 characters with upper, lower and digits, and no example mark.
pub(crate) fn looks_like_aws_secret(value: &[u8]) -> bool {
    value.len() == 40
        && value.iter().all(|&c| is_base64(c))
        && value.iter().any(u8::is_ascii_uppercase)
        && value.iter().any(u8::is_ascii_lowercase)
        && value.iter().any(u8::is_ascii_digit)
        && !contains_ci(value, AWS_EXAMPLE_MARK)
        && !is_placeholder(value)
        && entropy(value) >= 4.0
}

pub(crate) fn gcp_api_key(ctx: &mut Ctx, prefix: &'static str, start: usize) {
    let b = ctx.bytes;
    if !starts_token(b, start) {
        return;
    }
    let Some(end) = body(b, start + 4, 35, 35, is_base64url) else {
        return;
    };
    let value = slice(b, start, end);
    if is_placeholder(slice(b, start + 4, end)) {
        return;
    }
    ctx.push(
        RuleId::GcpApiKey,
        start,
        end,
        Severity::Medium,
        redact_with_prefix(prefix, value),
        value,
    );
}

/// The anchor is `_live_`/`_test_`; the two bytes before say which key.
pub(crate) fn stripe(ctx: &mut Ctx, anchor: &'static str, hit: usize) {
    let b = ctx.bytes;
    let Some(start) = hit.checked_sub(2) else {
        return;
    };
    let (prefix, rule, severity) = match (slice(b, start, hit), anchor) {
        (b"sk", "_live_") => ("sk_live_", RuleId::StripeSecretKey, Severity::High),
        (b"rk", "_live_") => ("rk_live_", RuleId::StripeRestrictedKey, Severity::High),
        (b"sk", _) => ("sk_test_", RuleId::StripeTestKey, Severity::Low),
        (b"rk", _) => ("rk_test_", RuleId::StripeTestKey, Severity::Low),
        _ => return,
    };
    if !starts_token(b, start) {
        return;
    }
    let from = start + prefix.len();
    let Some(end) = body(b, from, 16, 247, is_alnum) else {
        return;
    };
    if is_placeholder(slice(b, from, end)) {
        return;
    }
    let value = slice(b, start, end);
    ctx.push(
        rule,
        start,
        end,
        severity,
        redact_with_prefix(prefix, value),
        value,
    );
}

pub(crate) fn github_classic(ctx: &mut Ctx, prefix: &'static str, start: usize) {
    prefixed(ctx, prefix, start, 36, 251, is_alnum, RuleId::GithubToken);
}

pub(crate) fn github_pat(ctx: &mut Ctx, prefix: &'static str, start: usize) {
    prefixed(
        ctx,
        prefix,
        start,
        60,
        244,
        |c| is_alnum(c) || c == b'_',
        RuleId::GithubToken,
    );
}

pub(crate) fn gitlab(ctx: &mut Ctx, prefix: &'static str, start: usize) {
    prefixed(
        ctx,
        prefix,
        start,
        20,
        300,
        is_base64url,
        RuleId::GitlabToken,
    );
}

pub(crate) fn sendgrid(ctx: &mut Ctx, prefix: &'static str, start: usize) {
    let b = ctx.bytes;
    if !starts_token(b, start) {
        return;
    }
    let first = start + prefix.len();
    if run(b, first, 23, is_base64url) != 22 || at(b, first + 22) != b'.' {
        return;
    }
    let Some(end) = body(b, first + 23, 43, 43, is_base64url) else {
        return;
    };
    if is_placeholder(slice(b, first, end)) {
        return;
    }
    let value = slice(b, start, end);
    ctx.push(
        RuleId::SendgridApiKey,
        start,
        end,
        Severity::High,
        redact_with_prefix(prefix, value),
        value,
    );
}

fn prefixed(
    ctx: &mut Ctx,
    prefix: &'static str,
    start: usize,
    min: usize,
    max: usize,
    alphabet: fn(u8) -> bool,
    rule: RuleId,
) {
    let b = ctx.bytes;
    if !starts_token(b, start) {
        return;
    }
    let from = start + prefix.len();
    let Some(end) = body(b, from, min, max, alphabet) else {
        return;
    };
    let secret = slice(b, from, end);
    if is_placeholder(secret) || !secret.iter().any(u8::is_ascii_digit) {
        return;
    }
    let value = slice(b, start, end);
    ctx.push(
        rule,
        start,
        end,
        Severity::High,
        redact_with_prefix(prefix, value),
        value,
    );
}

/// `xoxb-<team digits>-…`: the numeric first part tells a token from prose
/// such as `xoxb-your-token`.
pub(crate) fn slack_token(ctx: &mut Ctx, start: usize) {
    let b = ctx.bytes;
    if !starts_token(b, start) {
        return;
    }
    let prefix = match slice(b, start, start + 5) {
        b"xoxb-" => "xoxb-",
        b"xoxp-" => "xoxp-",
        b"xoxa-" => "xoxa-",
        b"xoxr-" => "xoxr-",
        b"xoxs-" => "xoxs-",
        b"xoxe-" => "xoxe-",
        b"xoxe." => "xoxe.",
        _ => return,
    };
    let from = start + prefix.len();
    // Rotating tokens read `xoxe.xoxp-1-…`.
    let from = if prefix == "xoxe." && slice(b, from, from + 5).starts_with(b"xox") {
        from + 5
    } else {
        from
    };
    let digits = run(b, from, 16, |c| c.is_ascii_digit());
    if digits == 0 || at(b, from + digits) != b'-' {
        return;
    }
    let Some(end) = body(b, from, 20, 250, |c| is_alnum(c) || c == b'-') else {
        return;
    };
    let end = trim_trailing(b, from, end, b'-');
    if end - from < 20 || is_placeholder(slice(b, from + digits + 1, end)) {
        return;
    }
    let value = slice(b, start, end);
    ctx.push(
        RuleId::SlackToken,
        start,
        end,
        Severity::High,
        redact_with_prefix(prefix, value),
        value,
    );
}

fn trim_trailing(b: &[u8], from: usize, mut end: usize, junk: u8) -> usize {
    while end > from && at(b, end - 1) == junk {
        end -= 1;
    }
    end
}

/// `https://hooks.slack.com/services/T…/B…/<secret>` and the workflow and
/// trigger forms.
pub(crate) fn slack_webhook(ctx: &mut Ctx, start: usize, end: usize) {
    let b = ctx.bytes;
    let url_start = if start >= 8 && slice(b, start - 8, start) == b"https://" {
        start - 8
    } else if start >= 7 && slice(b, start - 7, start) == b"http://" {
        start - 7
    } else {
        return;
    };
    let path = end;
    let tail = run(b, path, 256, |c| is_alnum(c) || c == b'/');
    let path_bytes = slice(b, path, path + tail);
    let mut parts = path_bytes.split(|&c| c == b'/').filter(|p| !p.is_empty());
    let kind = parts.next().unwrap_or_default();
    let parts: Vec<&[u8]> = parts.collect();
    let ok = match kind {
        b"services" => {
            parts.len() >= 3
                && parts[0].first() == Some(&b'T')
                && parts[0].len() >= 8
                && parts[1].first() == Some(&b'B')
                && parts[1].len() >= 8
                && parts[2].len() >= 20
                && !is_placeholder(parts[2])
        }
        b"workflows" | b"triggers" => {
            parts.len() >= 3
                && parts
                    .last()
                    .is_some_and(|p| p.len() >= 20 && !is_placeholder(p))
        }
        _ => false,
    };
    if !ok {
        return;
    }
    let url_end = path + tail;
    let value = slice(b, url_start, url_end);
    let redacted = format!(
        "https://hooks.slack.com/{}/…({} chars)",
        String::from_utf8_lossy(kind),
        value.len()
    );
    ctx.push(
        RuleId::SlackWebhookUrl,
        url_start,
        url_end,
        Severity::Medium,
        redacted,
        value,
    );
}

pub(crate) fn twilio_api_key(ctx: &mut Ctx, start: usize) {
    let prefix = "SK";
    let b = ctx.bytes;
    if !starts_token(b, start) {
        return;
    }
    let Some(end) = body(b, start + 2, 32, 32, is_lower_hex) else {
        return;
    };
    if is_alnum(at(b, end)) {
        return;
    }
    let hex = slice(b, start + 2, end);
    if is_placeholder(hex) || entropy(hex) < 3.0 {
        return;
    }
    let value = slice(b, start, end);
    ctx.push(
        RuleId::TwilioApiKey,
        start,
        end,
        Severity::High,
        redact_with_prefix(prefix, value),
        value,
    );
}

/// How far around an account SID its auth token is looked for (a few lines).
const TWILIO_WINDOW: usize = 512;

/// An account SID alone is an identifier, not a secret; with a 32-hex auth
/// token beside it (same line, or an auth/token name within a few lines) the
/// pair is a credential, and the token is reported.
pub(crate) fn twilio_account_sid(ctx: &mut Ctx, start: usize) {
    let b = ctx.bytes;
    if !starts_token(b, start) {
        return;
    }
    let Some(end) = body(b, start + 2, 32, 32, is_lower_hex) else {
        return;
    };
    if is_alnum(at(b, end)) || is_placeholder(slice(b, start + 2, end)) {
        return;
    }
    let sid_hex = slice(b, start + 2, end);
    let lo = start.saturating_sub(TWILIO_WINDOW);
    let hi = end.saturating_add(TWILIO_WINDOW).min(b.len());
    if !ctx.spend(hi - lo) {
        return;
    }
    let (sid_line_start, sid_line_end, _) = ctx.line(start);
    let mut i = lo;
    while i < hi {
        let n = run(b, i, hi - i, is_alnum);
        if n == 0 {
            i += 1;
            continue;
        }
        let token = slice(b, i, i + n);
        if n == 32
            && token.iter().all(|&c| is_lower_hex(c))
            && token != sid_hex
            && !is_placeholder(token)
            && entropy(token) >= 3.0
        {
            let same_line = i >= sid_line_start && i < sid_line_end;
            let back = slice(b, i.saturating_sub(64), i);
            let name = match memchr::memrchr2(b'\n', b'\r', back) {
                Some(nl) => slice(back, nl + 1, back.len()),
                None => back,
            };
            let named = contains_ci(name, b"token") || contains_ci(name, b"auth");
            if same_line || named {
                ctx.push(
                    RuleId::TwilioAuthToken,
                    i,
                    i + n,
                    Severity::High,
                    redact_with_prefix("", token),
                    token,
                );
                return;
            }
        }
        i += n;
    }
}

/// `sk-` starts OpenAI keys (`sk-proj-`, `sk-svcacct-`, `sk-admin-`, legacy
/// 48-character keys) and Anthropic keys (`sk-ant-api03-`).
pub(crate) fn sk_dash(ctx: &mut Ctx, start: usize) {
    let b = ctx.bytes;
    if !starts_token(b, start) {
        return;
    }
    let from = start + 3;
    let rest = slice(b, from, from + 16);
    if rest.starts_with(b"ant-") {
        // sk-ant-<kind><2 digits>-<body>
        let kind = run(b, from + 4, 12, |c| c.is_ascii_lowercase());
        let digits = run(b, from + 4 + kind, 3, |c| c.is_ascii_digit());
        let dash = from + 4 + kind + digits;
        if kind == 0 || digits != 2 || at(b, dash) != b'-' {
            return;
        }
        let Some(end) = body(b, dash + 1, 80, 200, is_base64url) else {
            return;
        };
        finish_sk(
            ctx,
            RuleId::AnthropicApiKey,
            "sk-ant-",
            start,
            dash + 1,
            end,
        );
        return;
    }
    for (word, shown) in [
        (&b"proj-"[..], "sk-proj-"),
        (b"svcacct-", "sk-svcacct-"),
        (b"admin-", "sk-admin-"),
    ] {
        if rest.starts_with(word) {
            let Some(end) = body(b, from + word.len(), 40, 250, is_base64url) else {
                return;
            };
            finish_sk(
                ctx,
                RuleId::OpenaiApiKey,
                shown,
                start,
                from + word.len(),
                end,
            );
            return;
        }
    }
    let Some(end) = body(b, from, 48, 48, is_alnum) else {
        return;
    };
    if matches!(at(b, end), b'-' | b'_') {
        return;
    }
    let key = slice(b, from, end);
    if key.iter().any(u8::is_ascii_uppercase)
        && key.iter().any(u8::is_ascii_lowercase)
        && key.iter().any(u8::is_ascii_digit)
    {
        finish_sk(ctx, RuleId::OpenaiApiKey, "sk-", start, from, end);
    }
}

fn finish_sk(
    ctx: &mut Ctx,
    rule: RuleId,
    shown: &'static str,
    start: usize,
    body_start: usize,
    end: usize,
) {
    let b = ctx.bytes;
    let secret = slice(b, body_start, end);
    if is_placeholder(secret) || !secret.iter().any(u8::is_ascii_digit) {
        return;
    }
    let value = slice(b, start, end);
    ctx.push(
        rule,
        start,
        end,
        Severity::High,
        redact_with_prefix(shown, value),
        value,
    );
}
