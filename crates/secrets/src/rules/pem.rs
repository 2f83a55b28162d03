//! PEM and PGP armoured private keys, raw or embedded in a string (JSON
//! `\n` escapes, YAML blocks, concatenated literals). A header alone (code
//! that checks for one, documentation) is not a key: the body must follow.

use crate::finding::Severity;
use crate::rules::RuleId;
use crate::scanner::Ctx;
use crate::text::{at, contains_ci, entropy, is_base64, is_periodic, line_around, run, slice};

/// Longest armoured body read; a larger key is still reported, its
/// fingerprint covering the first part.
const MAX_BODY_SCAN: usize = 64 * 1024;

pub(crate) fn begin(ctx: &mut Ctx, start: usize, end: usize) {
    let b = ctx.bytes;
    let label_len = run(b, end, 48, |c| {
        c.is_ascii_uppercase() || c.is_ascii_digit() || c == b' '
    });
    let label = slice(b, end, end + label_len);
    if !(label.ends_with(b"PRIVATE KEY") || label.ends_with(b"PRIVATE KEY BLOCK"))
        || slice(b, end + label_len, end + label_len + 5) != b"-----"
    {
        return;
    }
    let Some(armour) = read_body(b, end + label_len + 5) else {
        return;
    };
    let encrypted = armour.encrypted || contains_ci(label, b"ENCRYPTED");
    let (line_start, _, _) = line_around(b, start, 256);
    let service_account =
        memchr::memmem::find(slice(b, line_start, start), b"\"private_key\"").is_some();
    let (rule, severity) = if service_account {
        (RuleId::GcpServiceAccountKey, Severity::High)
    } else if encrypted {
        (RuleId::PrivateKey, Severity::Medium)
    } else {
        (RuleId::PrivateKey, Severity::High)
    };
    let redacted = format!(
        "-----BEGIN {}-----…({} chars)",
        String::from_utf8_lossy(label),
        armour.body.len()
    );
    ctx.push(rule, start, armour.end, severity, redacted, &armour.body);
}

struct Armour {
    body: Vec<u8>,
    end: usize,
    encrypted: bool,
}

fn is_separator(c: u8) -> bool {
    matches!(
        c,
        b' ' | b'\t' | b'\n' | b'\r' | b'"' | b'\'' | b'+' | b',' | b'|' | b'\\'
    )
}

/// Reads base64 lines (and `Name: value` armour headers) after the BEGIN
/// line until `-----END`, a byte no key holds, or the scan limit.
fn read_body(b: &[u8], from: usize) -> Option<Armour> {
    let limit = from.saturating_add(MAX_BODY_SCAN).min(b.len());
    let mut i = from;
    let mut body = Vec::new();
    let mut longest = 0usize;
    let mut encrypted = false;
    while i < limit {
        let c = at(b, i);
        if c == b'\\' {
            // `\n`, `\r`, `\\n` escapes inside string literals.
            i += 1 + usize::from(matches!(at(b, i + 1), b'n' | b'r' | b't'));
            continue;
        }
        if is_separator(c) {
            i += 1;
            continue;
        }
        if slice(b, i, i + 8) == b"-----END" {
            break;
        }
        let n = run(b, i, limit - i, |c| !is_separator(c));
        let segment = slice(b, i, i + n);
        if memchr::memchr(b':', segment).is_some() {
            // An armour header such as `Proc-Type: 4,ENCRYPTED`; it runs to
            // the end of the line (a real newline or a `\n` escape).
            let rest = run(b, i, limit - i, |c| c != b'\n' && c != b'\r' && c != b'\\');
            encrypted |= contains_ci(slice(b, i, i + rest), b"ENCRYPTED");
            i += rest;
            continue;
        }
        if !segment.iter().all(|&c| is_base64(c) || c == b'=') {
            break;
        }
        longest = longest.max(n);
        body.extend_from_slice(segment);
        i += n;
    }
    let real = body.len() >= 64 && longest >= 40 && !is_periodic(&body) && entropy(&body) >= 4.5;
    real.then_some(Armour {
        body,
        end: i,
        encrypted,
    })
}
