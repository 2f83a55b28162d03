//! Languages and size must match tokei's own figures on the same tree.

use std::path::{Path, PathBuf};
use std::process::Command;

use fcto_audit::{Progress, Request, Sections};

fn request(root: &Path) -> Request {
    let mut sections = Sections::none();
    sections.languages = true;
    Request {
        roots: fcto_audit::roots_for(&[root.to_path_buf()]),
        client: None,
        started_at: "2026-11-25T10:00:00Z".into(),
        tool: "fcto test".into(),
        sections,
        threads: 2,
        max_file_bytes: fcto_audit::DEFAULT_MAX_FILE_BYTES,
        allowlist: None,
    }
}

/// tokei's per-language totals (own files plus embedded code), as its CLI
/// prints a language's total.
fn tokei_rows(root: &Path) -> Vec<(String, u64, u64, u64, u64)> {
    let mut languages = tokei::Languages::new();
    languages.get_statistics(&[root], &[], &tokei::Config::default());
    let mut rows: Vec<(String, u64, u64, u64, u64)> = languages
        .iter()
        .filter(|(_, l)| !l.reports.is_empty())
        .map(|(t, l)| {
            let s = l.summarise();
            (
                t.name().to_string(),
                l.reports.len() as u64,
                s.code as u64,
                s.comments as u64,
                s.blanks as u64,
            )
        })
        .collect();
    rows.sort();
    rows
}

fn audit_rows(root: &Path) -> Vec<(String, u64, u64, u64, u64)> {
    let audit = fcto_audit::scan(&request(root), &Progress::default()).expect("scan");
    let mut rows: Vec<(String, u64, u64, u64, u64)> = audit
        .languages
        .rows
        .iter()
        .map(|r| (r.language.clone(), r.files, r.code, r.comments, r.blanks))
        .collect();
    rows.sort();
    rows
}

fn sample() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("sample")
}

#[test]
fn sample_repo_matches_tokei() {
    let expected = tokei_rows(&sample());
    assert!(
        expected.len() >= 5,
        "the sample has several languages: {expected:?}"
    );
    assert_eq!(audit_rows(&sample()), expected);
}

fn git(dir: &Path, args: &[&str]) {
    let status = Command::new("git")
        .args(args)
        .current_dir(dir)
        .status()
        .expect("git runs");
    assert!(status.success(), "git {args:?}");
}

/// The corners where a hand-rolled counter drifts from tokei: ignore files
/// of three kinds, hidden files, BOMs, UTF-16, shebangs, code embedded in
/// Markdown and HTML, files with no language, an empty file.
#[test]
fn tricky_tree_matches_tokei() {
    let dir = tempfile::tempdir().expect("temp dir");
    let root = dir.path();
    git(root, &["init", "-q"]);
    let write = |rel: &str, bytes: &[u8]| {
        let path = root.join(rel);
        std::fs::create_dir_all(path.parent().expect("parent")).expect("mkdir");
        std::fs::write(path, bytes).expect("write");
    };
    write(".gitignore", b"build/\n*.log\n");
    write(".tokeignore", b"vendor/\n");
    write("sub/.ignore", b"skipped.py\n");
    write("build/out.js", b"var x = 1;\n");
    write("vendor/lib.rs", b"fn vendored() {}\n");
    write("sub/skipped.py", b"print('no')\n");
    write(
        "sub/kept.py",
        b"# comment\n\nprint('yes')\n\"\"\"doc\nstring\"\"\"\n",
    );
    write(".hidden/secret.rs", b"fn hidden() {}\n");
    // A hidden folder an ignore file whitelists is counted (ripgrep's
    // `.ignore` has `!/.github/`); its neighbour is not.
    write(".ignore", b"!/.github/\n");
    write(".github/workflows/ci.yml", b"on: push\njobs: {}\n");
    write(".circleci/config.yml", b"version: 2\n");
    write("bom.rs", b"\xef\xbb\xbf// bom\nfn main() {}\n");
    let utf16: Vec<u8> = [0xFFu8, 0xFE]
        .into_iter()
        .chain(
            "// utf16\nfn f() {}\n"
                .encode_utf16()
                .flat_map(|u| u.to_le_bytes()),
        )
        .collect();
    write("utf16.rs", &utf16);
    write("run", b"#!/usr/bin/env python3\nprint('shebang')\n");
    write(
        "README.md",
        b"# Title\n\nText.\n\n```rust\nfn a() {}\n// c\n```\n\n```python\nx = 1\n```\n",
    );
    write(
        "page.html",
        b"<html>\n<!-- c -->\n<script>\nvar a = 1; // x\n</script>\n<style>\nb { c: d }\n</style>\n</html>\n",
    );
    write("empty.rs", b"");
    write("data.unknownext", b"nothing\n");
    write("app.log", b"log line\n");
    write(
        "src/lib.rs",
        b"/* block\n comment */\nfn x() {\n    let s = \"// not a comment\";\n}\n\n",
    );
    let expected = tokei_rows(root);
    assert!(expected.iter().any(|r| r.0 == "Markdown"), "{expected:?}");
    assert_eq!(audit_rows(root), expected);
}
