//! The generic rule: a literal assigned to a secret-sounding name, in code
//! (`password = "…"`, `apiKey: '…'`, `$token = "…"`, `Password: "…"`),
//! config (`DB_PASSWORD=…`, `secret: …`, `"token": "…"`, `<password>…<`),
//! Dockerfiles (`ENV API_TOKEN …`). The keyword anchor only says where to
//! look; the identifier around it must end in a secret word, an assignment
//! must follow, and the value must be random enough and no stand-in.
//! AWS secret keys and Twilio auth tokens are recognised here by their
//! names and surroundings, since their values have no prefix.

use crate::finding::redact_with_prefix;
use crate::rules::tokens::looks_like_aws_secret;
use crate::rules::RuleId;
use crate::scanner::Ctx;
use crate::text::{
    at, before, contains_ci, entropy, is_lower_hex, is_placeholder, run, slice, starts_with_ci,
};

const MAX_IDENT: usize = 80;
const MAX_VALUE: usize = 512;
/// The generic rule skips lines longer than this: minified code and data
/// blobs, where `token:e.token` is code, not config.
const MAX_LINE: usize = 4096;

fn is_ident(c: u8) -> bool {
    c.is_ascii_alphanumeric() || matches!(c, b'_' | b'-' | b'.' | b'$')
}

/// Name endings that mean "this holds a credential".
const SECRET_SUFFIXES: &[&[u8]] = &[
    b"secretaccesskey",
    b"password",
    b"passwd",
    b"pass",
    b"pwd",
    b"passphrase",
    b"secret",
    b"token",
    b"apikey",
    b"secretkey",
    b"auth",
    b"authkey",
];

/// Names that end like a secret but hold something else.
const NOT_SECRET_NAMES: &[&[u8]] = &[
    b"bypass",
    b"compass",
    b"encompass",
    b"trespass",
    b"overpass",
    b"underpass",
    b"surpass",
    b"renderpass",
    b"subpass",
    b"multipass",
    b"csrftoken",
    b"xsrftoken",
    b"jsonwebtoken",
    b"pagetoken",
    b"nexttoken",
    b"continuationtoken",
    b"cancellationtoken",
    b"synctoken",
    b"resumetoken",
    b"starttoken",
    b"endtoken",
    b"lasttoken",
    b"oauth",
];

/// Prefixes of values that point at a secret kept elsewhere.
const REFERENCE_PREFIXES: &[&[u8]] = &[
    b"env.",
    b"env:",
    b"env(",
    b"process.env",
    b"import.meta.env",
    b"os.environ",
    b"os.getenv",
    b"getenv",
    b"system.getenv",
    b"settings.",
    b"config.",
    b"var.",
    b"local.",
    b"locals.",
    b"data.",
    b"module.",
    b"self.",
    b"this.",
    b"secrets.",
    b"vault:",
    b"ref:",
    b"arn:",
    b"sha1-",
    b"sha256-",
    b"sha384-",
    b"sha512-",
    b"md5-",
    b"h1:",
    b"sha1:",
    b"sha256:",
    b"sha384:",
    b"sha512:",
    b"md5:",
    b"data:",
    b"file:",
    b"bearer",
    b"basic",
];

/// Words a value holds when it names, describes or stands in for a secret
/// instead of being one (`"auth.password.label"`, `"github-token"`,
/// `"Test1234!"`).
const STAND_IN_WORDS: &[&[u8]] = &[
    b"password",
    b"passwd",
    b"secret",
    b"token",
    b"apikey",
    b"api_key",
    b"api-key",
    b"credential",
    b"test",
    b"demo",
    b"default",
    b"admin",
    b"letmein",
    b"welcome",
];

const FILE_EXTENSIONS: &[&[u8]] = &[
    b".pem", b".key", b".json", b".txt", b".crt", b".cer", b".p12", b".pfx", b".jks", b".env",
    b".yaml", b".yml", b".toml", b".gpg", b".asc", b".html", b".js", b".ts", b".py", b".rb",
];

pub(crate) fn keyword(ctx: &mut Ctx, start: usize, end: usize) {
    if !ctx.generic || start < ctx.last_ident_end {
        return;
    }
    let b = ctx.bytes;
    let left = slice(b, start.saturating_sub(MAX_IDENT), start)
        .iter()
        .rev()
        .take_while(|&&c| is_ident(c))
        .count();
    let right = run(b, end, MAX_IDENT, is_ident);
    let ident_start = start - left;
    let ident_end = end + right;
    ctx.last_ident_end = ident_end;
    if left >= MAX_IDENT || right >= MAX_IDENT {
        return;
    }
    // Inside a URN, path or URL (`urn:k8s:secret:x`, `io/auth-secret`) or a
    // subscript by variable (`map[token] = …`) the word is not a name.
    if matches!(before(b, ident_start), b':' | b'/' | b'\\' | b'[' | b'@') {
        return;
    }
    let ident = slice(b, ident_start, ident_end);
    let name = ident.rsplit(|&c| c == b'.').next().unwrap_or_default();
    let mut norm = [0u8; MAX_IDENT * 2];
    let mut len = 0;
    for &c in name {
        if c.is_ascii_alphanumeric() {
            if let Some(slot) = norm.get_mut(len) {
                *slot = c.to_ascii_lowercase();
                len += 1;
            }
        }
    }
    let norm = slice(&norm, 0, len);
    if !SECRET_SUFFIXES.iter().any(|s| norm.ends_with(s))
        || NOT_SECRET_NAMES.iter().any(|s| norm.ends_with(s))
    {
        return;
    }
    let (line_start, line_end, cut) = ctx.line(ident_start);
    if cut || line_end - line_start > MAX_LINE {
        return;
    }
    let Some((value_at, op)) = assignment(b, line_start, ident_start, ident_end) else {
        return;
    };
    let Some((vstart, vend, quoted)) = literal(b, value_at, line_end) else {
        return;
    };
    match op {
        // `<password>value</password>`: the element must close right after.
        Op::XmlElement if slice(b, vend, vend + 2) != b"</" => return,
        // A bare `name: value` is YAML only when the name starts the line
        // (`token: abc` inside a sentence is prose).
        Op::Colon if !quoted && !starts_line(slice(b, line_start, ident_start)) => return,
        _ => {}
    }
    // In code a bare right-hand side is an expression, and a `--flag=`
    // inside a string literal is followed by the string's own quote.
    if !quoted && ctx.code {
        return;
    }
    if quoted && ident.first() == Some(&b'-') {
        return;
    }
    let value = slice(b, vstart, vend);
    if !secret_like(value, quoted) || contains_ci(value, name) || encodes_stand_in(value) {
        return;
    }
    let rule = if ctx.spend(2048) {
        classify(b, norm, value, ident_start)
    } else {
        RuleId::GenericSecretAssignment
    };
    let severity = rule.rule().severity;
    ctx.push(
        rule,
        vstart,
        vend,
        severity,
        redact_with_prefix("", value),
        value,
    );
}

/// How a value is attached to its name.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Op {
    /// `<password>value</password>`
    XmlElement,
    /// `name: value` (YAML, JSON, object literals, annotations)
    Colon,
    /// `=`, `:=`, `=>`, or the Dockerfile `ENV NAME value`
    Assign,
}

/// Where the value starts if an assignment follows the identifier.
fn assignment(
    b: &[u8],
    line_start: usize,
    ident_start: usize,
    ident_end: usize,
) -> Option<(usize, Op)> {
    let mut i = ident_end;
    if before(b, ident_start) == b'<' && at(b, i) == b'>' {
        return Some((i + 1, Op::XmlElement));
    }
    if matches!(at(b, i), b'"' | b'\'' | b'`') {
        i += 1;
    }
    if at(b, i) == b']' {
        i += 1;
    }
    let spaces = run(b, i, 64, |c| c == b' ' || c == b'\t');
    i += spaces;
    match (at(b, i), at(b, i + 1)) {
        (b'=', b'=') | (b'=', b'~') | (b':', b':') => None,
        (b'=', b'>') | (b':', b'=') => Some((i + 2, Op::Assign)),
        (b'=', _) => Some((i + 1, Op::Assign)),
        (b':', _) => Some((i + 1, Op::Colon)),
        (_, _) if spaces > 0 && dockerfile_env(slice(b, line_start, ident_start)) => {
            Some((i, Op::Assign))
        }
        _ => None,
    }
}

/// Only indentation, a YAML list dash or an opening quote precede the name.
fn starts_line(head: &[u8]) -> bool {
    head.iter()
        .all(|&c| matches!(c, b' ' | b'\t' | b'-' | b'"' | b'\''))
}

/// `ENV NAME value`, the Dockerfile form without `=`.
fn dockerfile_env(head: &[u8]) -> bool {
    let head = head.trim_ascii_start();
    head.len() == 4 && starts_with_ci(head, b"ENV ")
}

/// The literal after an assignment: `(start, end, quoted)`.
fn literal(b: &[u8], from: usize, line_end: usize) -> Option<(usize, usize, bool)> {
    let mut i = from + run(b, from, 64, |c| c == b' ' || c == b'\t');
    // String prefixes: r"", b"", u"" read as plain strings; f"" and $"" are
    // templates whose braces the placeholder check rejects.
    let c = at(b, i);
    if matches!(
        c,
        b'r' | b'R' | b'b' | b'B' | b'u' | b'U' | b'f' | b'F' | b'$' | b'@'
    ) && matches!(at(b, i + 1), b'"' | b'\'')
    {
        i += 1;
    }
    let quote = at(b, i);
    if matches!(quote, b'"' | b'\'' | b'`') {
        let open = i + 1;
        let mut j = open;
        let limit = line_end.min(open + MAX_VALUE);
        while j < limit {
            match at(b, j) {
                c if c == quote => return Some((open, j, true)),
                b'\\' => j += 2,
                _ => j += 1,
            }
        }
        return None;
    }
    let stop = |c: u8| {
        c.is_ascii_whitespace()
            || matches!(
                c,
                b',' | b';' | b')' | b'}' | b']' | b'"' | b'\'' | b'<' | b'&'
            )
    };
    let n = run(b, i, MAX_VALUE.min(line_end.saturating_sub(i)), |c| {
        !stop(c)
    });
    let (vstart, vend) = (i, i + n);
    // A type annotation (`password: str = "…"`): read the value after `=`.
    let word = slice(b, vstart, vend);
    if !word.is_empty()
        && word
            .iter()
            .all(|&c| c.is_ascii_alphanumeric() || matches!(c, b'_' | b'|' | b'['))
    {
        let mut k = vend + run(b, vend, 16, |c| c == b' ' || c == b'\t');
        if at(b, k) == b'=' && at(b, k + 1) != b'=' {
            k += 1;
            let k2 = k + run(b, k, 16, |c| c == b' ' || c == b'\t');
            if matches!(at(b, k2), b'"' | b'\'') {
                return literal(b, k2, line_end);
            }
        }
    }
    Some((vstart, vend, false))
}

/// Long, random, printable, and none of the things that merely look so.
fn secret_like(value: &[u8], quoted: bool) -> bool {
    if value.len() < 8 || value.len() > MAX_VALUE {
        return false;
    }
    if !value.iter().all(|&c| (0x21..0x7f).contains(&c)) {
        return false;
    }
    if is_placeholder(value)
        || REFERENCE_PREFIXES.iter().any(|p| starts_with_ci(value, p))
        || STAND_IN_WORDS.iter().any(|w| contains_ci(value, w))
        || memchr::memmem::find(value, b"://").is_some()
        || matches!(value.first(), Some(b'=' | b'(' | b'[' | b'{'))
        || yaml_tag_or_alias(value)
        || (!quoted && (value.contains(&b'(') || value.contains(&b'[') || value.ends_with(b":")))
        || interpolates(value)
        || is_uuid(value)
        || is_path(value)
        || FILE_EXTENSIONS
            .iter()
            .any(|e| value.len() > e.len() && value.ends_with(e))
    {
        return false;
    }
    let letters = value.iter().filter(|c| c.is_ascii_alphabetic()).count();
    let digits = value.iter().filter(|c| c.is_ascii_digit()).count();
    let symbols = value.len() - letters - digits;
    if letters == 0 {
        return false;
    }
    let word_like = digits == 0
        && value
            .iter()
            .all(|&c| c.is_ascii_alphabetic() || matches!(c, b'_' | b'-' | b'.'));
    if word_like {
        // Identifiers, constants, camelCase: only a long run of randomly
        // mixed case passes.
        let upper = value.iter().filter(|c| c.is_ascii_uppercase()).count();
        let lower = letters - upper;
        return value.len() >= 20
            && upper * 4 >= letters
            && lower * 4 >= letters
            && entropy(value) >= 4.0;
    }
    if digits > 0
        && symbols == 0
        && value
            .iter()
            .all(|&c| c.is_ascii_digit() || c.is_ascii_uppercase())
        && value.len() < 12
    {
        // Short upper-case codes such as `ABC123DEF`.
        return false;
    }
    entropy(value) >= 3.0
}

/// `*alias`, `&anchor`, `!Tag` (YAML), `#comment`: a name, not a value.
fn yaml_tag_or_alias(v: &[u8]) -> bool {
    match v.split_first() {
        Some((b'#', _)) => true,
        Some((b'*' | b'&' | b'!', rest)) => rest
            .iter()
            .all(|&c| c.is_ascii_alphanumeric() || matches!(c, b'_' | b'-' | b'.')),
        _ => false,
    }
}

/// `"$name"`, `"${x}"`, `"#{x}"`: a string template, not a literal.
fn interpolates(v: &[u8]) -> bool {
    v.windows(2)
        .any(|w| w[0] == b'$' && (w[1].is_ascii_alphabetic() || w[1] == b'_' || w[1] == b'{'))
}

/// Kubernetes secrets and basic-auth headers hold base64; a value that
/// decodes to short printable text or to a stand-in word is a sample
/// (`cGFzc3dvcmQ=` is "password").
fn encodes_stand_in(v: &[u8]) -> bool {
    use base64::Engine;
    const LENIENT: base64::engine::GeneralPurpose = base64::engine::GeneralPurpose::new(
        &base64::alphabet::STANDARD,
        base64::engine::GeneralPurposeConfig::new()
            .with_decode_padding_mode(base64::engine::DecodePaddingMode::Indifferent),
    );
    if v.len() & 3 != 0 && !v.ends_with(b"=") {
        return false;
    }
    let Ok(decoded) = LENIENT.decode(v) else {
        return false;
    };
    if !decoded.iter().all(|&c| (0x20..0x7f).contains(&c)) {
        return false;
    }
    is_placeholder(&decoded) || STAND_IN_WORDS.iter().any(|w| contains_ci(&decoded, w))
}

fn is_uuid(v: &[u8]) -> bool {
    v.len() == 36
        && v.iter().enumerate().all(|(i, &c)| match i {
            8 | 13 | 18 | 23 => c == b'-',
            _ => c.is_ascii_hexdigit(),
        })
}

/// `/run/secrets/db`, `./keys/dev`, `~/.ssh/id`: segments of words, not a
/// random string that happens to start with a slash.
fn is_path(v: &[u8]) -> bool {
    let rest = if let Some(r) = v.strip_prefix(b"./") {
        r
    } else if let Some(r) = v.strip_prefix(b"../") {
        r
    } else if let Some(r) = v.strip_prefix(b"~/") {
        r
    } else if let Some(r) = v.strip_prefix(b"/") {
        r
    } else {
        return false;
    };
    rest.split(|&c| c == b'/').all(|seg| {
        seg.iter()
            .all(|&c| c.is_ascii_alphanumeric() || matches!(c, b'_' | b'-' | b'.'))
            && seg.iter().filter(|c| c.is_ascii_digit()).count() <= 2
    })
}

/// AWS secret keys and Twilio auth tokens have no prefix; their names and
/// surroundings tell them apart from other secrets.
fn classify(b: &[u8], name: &[u8], value: &[u8], ident_start: usize) -> RuleId {
    let named_aws = contains_ci(name, b"secretaccesskey")
        || (contains_ci(name, b"aws")
            && (name.ends_with(b"secret") || name.ends_with(b"secretkey")));
    if looks_like_aws_secret(value) {
        if named_aws {
            return RuleId::AwsSecretAccessKey;
        }
        if name.ends_with(b"secret") || name.ends_with(b"secretkey") {
            let around = slice(b, ident_start.saturating_sub(1024), ident_start);
            if contains_ci(around, b"aws") || memchr::memmem::find(around, b"AKIA").is_some() {
                return RuleId::AwsSecretAccessKey;
            }
        }
    }
    if value.len() == 32 && value.iter().all(|&c| is_lower_hex(c)) && contains_ci(name, b"auth") {
        let lo = ident_start.saturating_sub(1024);
        let hi = ident_start.saturating_add(1024).min(b.len());
        if contains_ci(name, b"twilio") || contains_ci(slice(b, lo, hi), b"twilio") {
            return RuleId::TwilioAuthToken;
        }
    }
    RuleId::GenericSecretAssignment
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn secret_like_rejects_look_alikes() {
        for v in [
            &b"access_token"[..],
            b"X-Auth-Token",
            b"123e4567-e89b-12d3-a456-426614174000",
            b"sha512-deadbeefdeadbeefdeadbeef",
            b"/run/secrets/db_password",
            b"${DB_PASSWORD}",
            b"process.env.TOKEN",
            b"Password is required",
            b"12345678901234",
            b"changeme",
            b"secret.json",
        ] {
            assert!(!secret_like(v, true), "{}", String::from_utf8_lossy(v));
        }
        for v in [
            &b"q8Zr2LmP0vXe7Tb"[..],
            b"Tr0ub4dor&3x",
            b"9f86d081884c7d659a2feaa0c55ad015",
        ] {
            assert!(secret_like(v, true), "{}", String::from_utf8_lossy(v));
        }
    }
}
