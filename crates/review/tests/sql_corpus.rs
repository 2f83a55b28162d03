//! The SQL rule corpus: `tests/corpus/sql/<rule-id>/flag*.sql` must produce
//! that rule, `ok*.sql` (near misses) must not. A first line
//! `-- dialect: mysql|sqlite` picks the dialect; the default is postgres.

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};

use fcto_review::sql::{review_sql, rules};
use fcto_review::{Dialect, ReviewConfig};

fn corpus_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/corpus/sql")
}

fn dialect_of(text: &str) -> Dialect {
    let first = text.lines().next().unwrap_or("").to_ascii_lowercase();
    match first.strip_prefix("-- dialect:").map(str::trim) {
        Some("mysql") => Dialect::Mysql,
        Some("sqlite") => Dialect::Sqlite,
        _ => Dialect::Postgres,
    }
}

#[derive(Default)]
struct Tally {
    flag_files: usize,
    flagged: usize,
    ok_files: usize,
    ok_clean: usize,
}

#[test]
fn every_rule_flags_its_flag_files_and_spares_its_near_misses() {
    let mut tallies: BTreeMap<String, Tally> = BTreeMap::new();
    let mut failures = Vec::new();
    let mut dirs: Vec<PathBuf> = fs::read_dir(corpus_dir())
        .expect("corpus dir")
        .map(|entry| entry.expect("entry").path())
        .filter(|path| path.is_dir())
        .collect();
    dirs.sort();
    for dir in dirs {
        let rule = dir
            .file_name()
            .and_then(|n| n.to_str())
            .expect("rule dir name")
            .to_string();
        let mut files: Vec<PathBuf> = fs::read_dir(&dir)
            .expect("rule dir")
            .map(|entry| entry.expect("entry").path())
            .filter(|path| path.extension().is_some_and(|e| e == "sql"))
            .collect();
        files.sort();
        let tally = tallies.entry(rule.clone()).or_default();
        for file in files {
            let text = fs::read_to_string(&file).expect("utf-8 corpus file");
            let config = ReviewConfig {
                dialect: dialect_of(&text),
                ..ReviewConfig::default()
            };
            let name = file.file_name().and_then(|n| n.to_str()).unwrap_or("");
            let shown = format!("{rule}/{name}");
            let review = review_sql(&shown, &text, &config);
            if !review.warnings.is_empty() {
                failures.push(format!("{shown}: parse warnings {:?}", review.warnings));
            }
            let found = review.findings.iter().any(|f| f.rule == rule);
            for finding in &review.findings {
                assert!(finding.line >= 1 && finding.column >= 1, "{shown}");
                assert!(
                    !finding.message.is_empty() && !finding.fix.is_empty(),
                    "{shown}"
                );
            }
            if name.starts_with("flag") {
                tally.flag_files += 1;
                if found {
                    tally.flagged += 1;
                } else {
                    failures.push(format!(
                        "{shown}: expected {rule}, got {:?}",
                        rules_of(&review)
                    ));
                }
            } else if name.starts_with("ok") {
                tally.ok_files += 1;
                if found {
                    failures.push(format!(
                        "{shown}: must not flag {rule}, got {:?}",
                        rules_of(&review)
                    ));
                } else {
                    tally.ok_clean += 1;
                }
            } else {
                failures.push(format!("{shown}: name must start with flag or ok"));
            }
        }
    }
    println!("{:<36} {:>9} {:>13}", "rule", "recall", "near-miss ok");
    for (rule, tally) in &tallies {
        println!(
            "{rule:<36} {:>4}/{:<4} {:>6}/{:<6}",
            tally.flagged, tally.flag_files, tally.ok_clean, tally.ok_files
        );
    }
    for info in rules() {
        match tallies.get(info.id) {
            Some(t) if t.flag_files > 0 && t.ok_files > 0 => {}
            _ => failures.push(format!(
                "{}: needs at least one flag and one ok file",
                info.id
            )),
        }
    }
    assert!(failures.is_empty(), "\n{}", failures.join("\n"));
}

fn rules_of(review: &fcto_review::sql::SqlReview) -> Vec<String> {
    review.findings.iter().map(|f| f.rule.clone()).collect()
}

/// A thousand migration files of realistic size (the corpus statements,
/// ~15 statements a file) review in well under a second in release builds;
/// the bound here is loose for slow debug CI machines and catches anything
/// quadratic.
#[test]
fn a_thousand_migration_files_review_quickly() {
    let mut statements = Vec::new();
    for dir in fs::read_dir(corpus_dir()).expect("corpus").flatten() {
        for file in fs::read_dir(dir.path()).expect("rule dir").flatten() {
            let text = fs::read_to_string(file.path()).expect("utf-8");
            if dialect_of(&text) == Dialect::Postgres {
                statements.push(text);
            }
        }
    }
    statements.sort();
    let files: Vec<String> = (0..1000)
        .map(|i| {
            (0..15)
                .map(|j| statements[(i * 7 + j) % statements.len()].as_str())
                .collect::<Vec<_>>()
                .join("\n")
        })
        .collect();
    let config = ReviewConfig::default();
    let started = std::time::Instant::now();
    let mut findings = 0;
    for (i, text) in files.iter().enumerate() {
        findings += review_sql(&format!("{i}.sql"), text, &config)
            .findings
            .len();
    }
    let elapsed = started.elapsed();
    println!("1000 files, {findings} findings in {elapsed:?}");
    assert!(findings > 1000);
    assert!(elapsed < std::time::Duration::from_secs(30), "{elapsed:?}");
}
