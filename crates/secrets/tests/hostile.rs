//! Hostile inputs: no panic, time linear in the size, line numbers right.

use std::time::{Duration, Instant};

use fcto_secrets::{is_probably_binary, Scanner};

const TOKEN: &str = "ghp_Q7bK2mZx9LpR4tV8wY1cN6dF3hJ5sA0eUiOz";

/// Generous: a debug build on a loaded 2-core machine. The release build
/// scans these in a fraction of it; a quadratic path would take hours.
fn limit_for(bytes: usize) -> Duration {
    Duration::from_secs(20 + (bytes / 2_000_000) as u64)
}

fn timed_scan(label: &str, bytes: &[u8]) -> Vec<fcto_secrets::SecretFinding> {
    let scanner = Scanner::new();
    let t = Instant::now();
    let found = scanner.scan(label, bytes);
    let took = t.elapsed();
    assert!(
        took < limit_for(bytes.len()),
        "{label}: {} bytes took {took:?}",
        bytes.len()
    );
    found
}

#[test]
fn hundred_megabyte_single_line_of_keyword_hits() {
    // Every few bytes a keyword and an assignment, never a line break: the
    // generic rule's line check must not rescan the line per hit.
    let unit = b"password=\"x\" token: AKIA apikey=1 sk- eyJ :// ";
    let mut data = Vec::with_capacity(100 * 1024 * 1024 + 64);
    while data.len() < 100 * 1024 * 1024 {
        data.extend_from_slice(unit);
    }
    data.extend_from_slice(format!(" {TOKEN}").as_bytes());
    let found = timed_scan("huge.txt", &data);
    assert_eq!(found.len(), 1);
    assert_eq!(found[0].rule_id, "github-token");
    assert_eq!(found[0].line, 1);
}

#[test]
fn long_line_of_twilio_sids_and_base64() {
    // Valid account SIDs with no token near: each looks around; the
    // look-around budget keeps the total linear.
    let mut data = Vec::new();
    while data.len() < 20 * 1024 * 1024 {
        data.extend_from_slice(b"AC0123456789abcdef0123456789abcdef ");
        data.extend_from_slice(b"eyJhbGciOiJIUzI1NiJ9eyJhbGciOiJIUzI1NiJ9.");
    }
    timed_scan("sids.txt", &data);
}

#[test]
fn many_private_key_headers_without_bodies() {
    let mut data = Vec::new();
    while data.len() < 20 * 1024 * 1024 {
        data.extend_from_slice(b"-----BEGIN RSA PRIVATE KEY-----MIIEowIBAAKCAQEA");
    }
    assert!(timed_scan("pem.txt", &data).is_empty());
}

#[test]
fn a_million_short_lines_with_a_secret_on_the_last() {
    let mut data = Vec::new();
    for i in 0..1_000_000u32 {
        data.extend_from_slice(if i % 2 == 0 { b"password=x\n" } else { b"t\n" });
    }
    data.extend_from_slice(format!("TOKEN={TOKEN}\n").as_bytes());
    let found = timed_scan("lines.env", &data);
    assert_eq!(found.len(), 1);
    assert_eq!(found[0].line, 1_000_001);
    assert_eq!(found[0].column, 7);
}

#[test]
fn nul_bytes_and_invalid_utf8_around_a_secret() {
    let mut data = vec![0u8, 0xff, 0xfe, 0xc3, 0x28, b'\n', 0, 0];
    data.extend_from_slice(b"\xe2\x82 key \xf0\x9f\x92\xa9 ");
    data.extend_from_slice(TOKEN.as_bytes());
    data.extend_from_slice(b" \x80\x80\0\n");
    assert!(is_probably_binary(&data));
    let found = timed_scan("bin.dat", &data);
    assert_eq!(found.len(), 1);
    assert_eq!(found[0].line, 2);
    // Columns count characters: two NULs, a broken 2-byte sequence (one),
    // " key ", a 4-byte emoji (one) and a space: ten before the token.
    assert_eq!(found[0].column, 11);
}

#[test]
fn crlf_and_lone_cr_line_ends_count_once() {
    let text = format!("a\r\nb\r\n\r\nc\rd\re\n\nTOKEN={TOKEN}\r\n");
    let found = timed_scan("mixed.env", text.as_bytes());
    assert_eq!(found.len(), 1);
    assert_eq!(found[0].line, 8);
}

#[test]
fn truncated_tokens_and_keys_at_end_of_input() {
    let scanner = Scanner::new();
    for cut in [
        "ghp_",
        "AKIA",
        "-----BEGIN ",
        "-----BEGIN RSA PRIVATE KEY",
        "eyJ",
        "eyJhbGciOiJIUzI1NiJ9.",
        "postgres://",
        "postgres://u:",
        "password=\"unterminated",
        "sk-ant-",
        "SG.",
        "sig=",
        "AccountKey=",
        "xoxe.",
        "hooks.slack.com/",
        "fcto:allow-secret",
    ] {
        for len in 0..=cut.len() {
            let _ = scanner.scan("cut.txt", &cut.as_bytes()[..len]);
        }
    }
}

#[test]
fn findings_per_file_are_capped() {
    let mut data = Vec::new();
    for i in 0..20_000u32 {
        data.extend_from_slice(format!("ghp_Q7bK2mZx9LpR4tV8wY1cN6dF3hJ5s{i:07}\n").as_bytes());
    }
    let found = timed_scan("many.txt", &data);
    assert_eq!(found.len(), fcto_secrets::MAX_FINDINGS_PER_FILE);
}
