//! Allowlist files: tests/fixtures/allowlist/<case>.toml with the expected
//! outcome beside it in <case>.expected — either `ok N` (N entries) or the
//! exact error message (which names the file and line).

use std::path::Path;

use fcto_secrets::{Allowlist, Scanner};

#[test]
fn allowlist_fixtures() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/allowlist");
    let mut cases: Vec<_> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "toml"))
        .collect();
    cases.sort();
    assert!(cases.len() >= 8);
    for case in cases {
        let name = case.file_name().unwrap().to_string_lossy().into_owned();
        let text = std::fs::read_to_string(&case).unwrap();
        let want = std::fs::read_to_string(case.with_extension("expected")).unwrap();
        let got = match Allowlist::parse(&name, &text) {
            Ok(list) => format!("ok {}", list.len()),
            Err(e) => e.to_string(),
        };
        assert_eq!(got.trim(), want.trim(), "{name}");
    }
}

#[test]
fn entries_match_by_fingerprint_path_and_rule() {
    let scanner = Scanner::new();
    let file = b"AWS_ACCESS_KEY_ID=AKIAZ7QW3RT5YU8IO2PL\nGITHUB=ghp_Q7bK2mZx9LpR4tV8wY1cN6dF3hJ5sA0eUiOz\n";
    let found = scanner.scan("deploy/.env", file);
    assert_eq!(found.len(), 2);
    let (aws, gh) = (&found[0], &found[1]);
    let text = format!(
        "[[allow]]\nfingerprint = \"{}\"\nreason = \"rotated 2025-01, kept for the incident write-up\"\n\n\
         [[allow]]\npath = \"tests/**\"\nrule = \"github-token\"\nreason = \"fixtures\"\n\n\
         [[allow]]\npath = \"*.pem\"\nreason = \"sample keys\"\n",
        aws.fingerprint
    );
    let list = Allowlist::parse(".fcto/secrets-allow.toml", &text).unwrap();
    // By fingerprint, wherever the file is.
    assert_eq!(
        list.permits("deploy/.env", aws),
        Some("rotated 2025-01, kept for the incident write-up")
    );
    assert_eq!(
        list.permits("./elsewhere/x.yaml", aws),
        list.permits("deploy/.env", aws)
    );
    // By path and rule.
    assert_eq!(list.permits("deploy/.env", gh), None);
    assert_eq!(
        list.permits("tests/fixtures/deep/a.env", gh),
        Some("fixtures")
    );
    assert_eq!(list.permits("tests\\fixtures\\a.env", gh), Some("fixtures"));
    // A pattern without a slash matches the file name anywhere.
    assert_eq!(list.permits("keys/dev/server.pem", gh), Some("sample keys"));
    assert_eq!(list.permits("keys/dev/server.pem.bak", gh), None);
}

#[test]
fn inline_comment_with_a_reason_allows_the_line() {
    let scanner = Scanner::new();
    let text =
        b"A=ghp_Q7bK2mZx9LpR4tV8wY1cN6dF3hJ5sA0eUiOz # fcto:allow-secret revoked, demo only\n\
                 B=ghp_Z7bK2mZx9LpR4tV8wY1cN6dF3hJ5sA0eUiOq # fcto:allow-secret\n\
                 C=ghp_Y7bK2mZx9LpR4tV8wY1cN6dF3hJ5sA0eUiOw\n";
    let found = scanner.scan("x.env", text);
    assert_eq!(found.len(), 3);
    let empty = Allowlist::empty();
    assert_eq!(
        empty.permits("x.env", &found[0]),
        Some("revoked, demo only")
    );
    assert_eq!(
        found[1].inline_allow, None,
        "a marker without a reason allows nothing"
    );
    assert_eq!(empty.permits("x.env", &found[1]), None);
    assert_eq!(empty.permits("x.env", &found[2]), None);
}
