//! The planted-secret corpus: every file under tests/corpus/ is scanned and
//! the findings must be exactly tests/corpus/expected.json (file, line,
//! rule). Planted files hold fake, format-valid secrets; look-alike files
//! hold the near misses that must not be reported. Precision and recall are
//! printed (`cargo test -p fcto-secrets --test corpus -- --nocapture`).

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use fcto_secrets::{Scanner, SecretFinding};
use serde::Deserialize;

#[derive(Debug, Deserialize, Clone, PartialEq, Eq, PartialOrd, Ord)]
struct Expected {
    file: String,
    line: u32,
    rule: String,
}

fn corpus_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/corpus")
}

fn walk(dir: &Path, out: &mut Vec<PathBuf>) {
    let mut entries: Vec<_> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    entries.sort();
    for path in entries {
        if path.is_dir() {
            walk(&path, out);
        } else if path.file_name().is_some_and(|n| n != "expected.json") {
            out.push(path);
        }
    }
}

fn scan_corpus() -> Vec<(String, SecretFinding)> {
    let scanner = Scanner::new();
    let root = corpus_dir();
    let mut files = Vec::new();
    walk(&root, &mut files);
    assert!(files.len() > 40, "corpus is missing files");
    let mut all = Vec::new();
    for path in files {
        let rel = path
            .strip_prefix(&root)
            .unwrap()
            .to_string_lossy()
            .replace('\\', "/");
        let bytes = std::fs::read(&path).unwrap();
        for finding in scanner.scan(&rel, &bytes) {
            all.push((rel.clone(), finding));
        }
    }
    all
}

fn counts<I: IntoIterator<Item = Expected>>(items: I) -> BTreeMap<Expected, usize> {
    let mut map = BTreeMap::new();
    for item in items {
        *map.entry(item).or_insert(0) += 1;
    }
    map
}

#[test]
fn corpus_findings_are_exactly_the_planted_set() {
    let text = std::fs::read_to_string(corpus_dir().join("expected.json")).unwrap();
    let expected: Vec<Expected> = serde_json::from_str(&text).unwrap();
    let actual: Vec<Expected> = scan_corpus()
        .into_iter()
        .map(|(file, f)| Expected {
            file,
            line: f.line,
            rule: f.rule_id.to_string(),
        })
        .collect();
    let want = counts(expected.iter().cloned());
    let got = counts(actual.iter().cloned());
    let mut true_pos = 0;
    let mut false_pos = Vec::new();
    let mut missed = Vec::new();
    for (key, &n) in &got {
        let w = want.get(key).copied().unwrap_or(0);
        true_pos += n.min(w);
        false_pos.extend(std::iter::repeat_n(key.clone(), n.saturating_sub(w)));
    }
    for (key, &n) in &want {
        let g = got.get(key).copied().unwrap_or(0);
        missed.extend(std::iter::repeat_n(key.clone(), n.saturating_sub(g)));
    }
    let precision = true_pos as f64 / (true_pos + false_pos.len()).max(1) as f64;
    let recall = true_pos as f64 / expected.len().max(1) as f64;
    println!(
        "corpus: {} expected, {} reported, {} true, {} false positives, {} missed; precision {:.3}, recall {:.3}",
        expected.len(),
        actual.len(),
        true_pos,
        false_pos.len(),
        missed.len(),
        precision,
        recall
    );
    for fp in &false_pos {
        println!("  false positive: {}:{} {}", fp.file, fp.line, fp.rule);
    }
    for m in &missed {
        println!("  missed: {}:{} {}", m.file, m.line, m.rule);
    }
    assert!(
        false_pos.is_empty() && missed.is_empty(),
        "false positives: {false_pos:#?}\nmissed: {missed:#?}"
    );
    // Every rule is exercised by the planted set.
    for rule in fcto_secrets::RULES {
        assert!(
            expected.iter().any(|e| e.rule == rule.id),
            "no planted case for {}",
            rule.id
        );
    }
}

#[test]
fn no_output_contains_a_planted_value() {
    let values_path = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/planted-values.txt");
    let values: Vec<String> = std::fs::read_to_string(values_path)
        .unwrap()
        .lines()
        .filter(|l| !l.starts_with('#') && l.len() >= 8)
        .map(str::to_string)
        .collect();
    assert!(values.len() > 100);
    let findings = scan_corpus();
    assert!(!findings.is_empty());
    let mut outputs = String::new();
    for (_, finding) in &findings {
        outputs.push_str(&format!("{finding}\n{finding:?}\n{finding:#?}\n"));
        outputs.push_str(&serde_json::to_string(finding).unwrap());
        outputs.push('\n');
    }
    let all: Vec<&SecretFinding> = findings.iter().map(|(_, f)| f).collect();
    outputs.push_str(&serde_json::to_string_pretty(&all).unwrap());
    for value in &values {
        // The whole value, and any 10-character piece of it.
        assert!(!outputs.contains(value.as_str()), "a planted value leaked");
        let chars: Vec<char> = value.chars().collect();
        for piece in chars.windows(10) {
            let piece: String = piece.iter().collect();
            assert!(
                !outputs.contains(&piece),
                "part of a planted value leaked: {} chars",
                piece.len()
            );
        }
    }
}

#[test]
fn fingerprints_are_stable_across_moves() {
    let scanner = Scanner::new();
    let secret = "ghp_Q7bK2mZx9LpR4tV8wY1cN6dF3hJ5sA0eUiOz";
    let a = scanner.scan("a.env", format!("TOKEN={secret}\n").as_bytes());
    let b = scanner.scan(
        "deep/b.yaml",
        format!("# moved\n\n  github:\n    token: \"{secret}\"\n").as_bytes(),
    );
    assert_eq!(a.len(), 1);
    assert_eq!(b.len(), 1);
    assert_eq!(a[0].fingerprint, b[0].fingerprint);
    assert_eq!(
        a[0].fingerprint,
        fcto_secrets::fingerprint("github-token", secret.as_bytes())
    );
    assert_eq!(a[0].fingerprint.len(), 16);
    assert_eq!((a[0].line, b[0].line), (1, 4));
    assert_eq!(a[0].redacted, "ghp_…(40 chars)");
}

#[test]
fn database_urls_keep_their_shape_with_the_password_masked() {
    let scanner = Scanner::new();
    let found = scanner.scan(
        "x.env",
        b"DATABASE_URL=postgresql://app:Zq8rT2vLm9Kx@db.prod.internal:5432/shop?sslmode=require\n",
    );
    assert_eq!(found.len(), 1);
    assert_eq!(
        found[0].redacted,
        "postgresql://app:****@db.prod.internal:5432/shop?…"
    );
    let local = scanner.scan("y.env", b"URL=mysql://app:Zq8rT2vLm9Kx@localhost/shop\n");
    assert_eq!(local[0].severity, fcto_secrets::Severity::Low);
}
