//! Database and broker URLs that carry a password: `scheme://user:pass@host`.
//! The anchor is `://`; the scheme is read backwards from it, so the many
//! `http://` hits cost a few byte comparisons each.

use crate::finding::Severity;
use crate::rules::RuleId;
use crate::scanner::Ctx;
use crate::text::{is_alnum, is_placeholder, run, slice};

const SCHEMES: &[&[u8]] = &[
    b"postgres",
    b"postgresql",
    b"mysql",
    b"mariadb",
    b"mongodb",
    b"redis",
    b"rediss",
    b"amqp",
    b"amqps",
    b"mssql",
    b"sqlserver",
];

/// Passwords that only ever mean "the local default" or "fill this in".
const DEFAULT_PASSWORDS: &[&[u8]] = &[
    b"password",
    b"pass",
    b"passwd",
    b"pwd",
    b"secret",
    b"root",
    b"admin",
    b"postgres",
    b"mysql",
    b"mariadb",
    b"mongo",
    b"mongodb",
    b"redis",
    b"guest",
    b"test",
    b"user",
    b"dev",
    b"development",
    b"local",
    b"sa",
    b"pw",
    b"p",
    b"x",
];

const LOCAL_HOSTS: &[&[u8]] = &[
    b"localhost",
    b"127.0.0.1",
    b"0.0.0.0",
    b"[::1]",
    b"::1",
    b"host.docker.internal",
];

fn is_scheme_byte(c: u8) -> bool {
    is_alnum(c) || matches!(c, b'+' | b'.' | b'-')
}

/// Bytes that end the user-info part: a password containing them would
/// have to be percent-encoded, and template syntax (`${X}`, `<pw>`,
/// `%(pw)s`, `{{ x }}`) stops here and is not reported.
fn ends_userinfo(c: u8) -> bool {
    c.is_ascii_whitespace()
        || matches!(
            c,
            b'"' | b'\''
                | b'`'
                | b'/'
                | b'?'
                | b'#'
                | b'<'
                | b'>'
                | b'('
                | b')'
                | b'['
                | b']'
                | b'{'
                | b'}'
                | b'\\'
        )
}

fn ends_url(c: u8) -> bool {
    c.is_ascii_whitespace() || matches!(c, b'"' | b'\'' | b'`' | b'<' | b'>' | b'\\' | b')')
}

pub(crate) fn check(ctx: &mut Ctx, start: usize, end: usize) {
    let b = ctx.bytes;
    let lookback = slice(b, start.saturating_sub(40), start);
    let scheme_len = lookback
        .iter()
        .rev()
        .take_while(|&&c| is_scheme_byte(c))
        .count();
    if scheme_len < 4 {
        return;
    }
    let scheme_start = start - scheme_len;
    let scheme = slice(b, scheme_start, start);
    let base = scheme.split(|&c| c == b'+').next().unwrap_or_default();
    if !SCHEMES.iter().any(|s| s.eq_ignore_ascii_case(base)) {
        return;
    }
    let info_len = run(b, end, 512, |c| !ends_userinfo(c));
    let info = slice(b, end, end + info_len);
    let Some(at_sign) = memchr::memrchr(b'@', info) else {
        return;
    };
    let userinfo = slice(info, 0, at_sign);
    let Some(colon) = memchr::memchr(b':', userinfo) else {
        return;
    };
    let user = slice(userinfo, 0, colon);
    let password = slice(userinfo, colon + 1, userinfo.len());
    if password.is_empty()
        || password == user
        || is_placeholder(password)
        || DEFAULT_PASSWORDS
            .iter()
            .any(|d| d.eq_ignore_ascii_case(password))
        || password.iter().all(|&c| c == b'*')
    {
        return;
    }
    let host_start = end + at_sign + 1;
    let url_len = run(b, host_start, 1024, |c| !ends_url(c));
    let url_end = host_start + url_len;
    let after_at = slice(b, host_start, url_end);
    let host_len = after_at
        .iter()
        .take_while(|&&c| !matches!(c, b'/' | b'?' | b',' | b';'))
        .count();
    let host_port = slice(after_at, 0, host_len);
    let host = match host_port.first() {
        Some(b'[') => host_port,
        _ => host_port.split(|&c| c == b':').next().unwrap_or_default(),
    };
    let local = LOCAL_HOSTS.iter().any(|h| h.eq_ignore_ascii_case(host));
    let severity = if local { Severity::Low } else { Severity::High };
    let shown_rest = match memchr::memchr(b'?', after_at) {
        Some(q) => format!("{}?…", String::from_utf8_lossy(slice(after_at, 0, q))),
        None => String::from_utf8_lossy(after_at).into_owned(),
    };
    let redacted = format!(
        "{}://{}:****@{}",
        String::from_utf8_lossy(scheme),
        String::from_utf8_lossy(user),
        shown_rest
    );
    let value = slice(b, scheme_start, url_end);
    ctx.push(
        RuleId::DatabaseUrlPassword,
        scheme_start,
        url_end,
        severity,
        redacted,
        value,
    );
}
