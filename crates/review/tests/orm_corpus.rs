//! Data-driven ORM rule corpus: `tests/corpus/orm/<framework>/<rule>/`.
//! Every `flag*` file must yield `<rule>`; every `ok*` file (a near miss:
//! the safe form, the call in a comment or string, a down migration) must
//! not. Prints per-rule recall on flags and precision on near misses.

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};

use fcto_review::orm::{classify, review_orm, MigrationKind};
use fcto_review::ReviewConfig;

/// The path a file of this framework would have in a real repository, so
/// classification is exercised too.
fn repo_path(framework: &str, file: &Path) -> Option<(String, MigrationKind)> {
    let ext = file.extension()?.to_str()?;
    Some(match (framework, ext) {
        ("rails", "rb") => (
            "db/migrate/20240101000000_change.rb".into(),
            MigrationKind::Rails,
        ),
        ("django", "py") => (
            "shop/migrations/0002_change.py".into(),
            MigrationKind::Django,
        ),
        ("alembic", "py") => (
            "alembic/versions/abc123_change.py".into(),
            MigrationKind::Alembic,
        ),
        ("knex", "js") => (
            "migrations/20240101000000_change.js".into(),
            MigrationKind::Knex,
        ),
        ("liquibase", "xml") => (
            "db/changelog/changes.xml".into(),
            MigrationKind::LiquibaseXml,
        ),
        ("liquibase", "yaml") => (
            "db/changelog/changes.yaml".into(),
            MigrationKind::LiquibaseYaml,
        ),
        _ => return None,
    })
}

fn sorted_dir(path: &Path) -> Vec<PathBuf> {
    let mut entries: Vec<PathBuf> = fs::read_dir(path)
        .map(|dir| dir.flatten().map(|entry| entry.path()).collect())
        .unwrap_or_default();
    entries.sort();
    entries
}

#[derive(Default)]
struct Tally {
    flags: usize,
    flagged: usize,
    oks: usize,
    clean: usize,
}

#[test]
fn corpus_flags_fire_and_near_misses_stay_quiet() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/corpus/orm");
    let config = ReviewConfig::default();
    let mut failures = Vec::new();
    let mut tallies: BTreeMap<String, Tally> = BTreeMap::new();
    for framework_dir in sorted_dir(&root) {
        let framework = framework_dir
            .file_name()
            .and_then(|n| n.to_str())
            .unwrap_or("")
            .to_string();
        for rule_dir in sorted_dir(&framework_dir) {
            let rule = rule_dir
                .file_name()
                .and_then(|n| n.to_str())
                .unwrap_or("")
                .to_string();
            for file in sorted_dir(&rule_dir) {
                let name = file
                    .file_name()
                    .and_then(|n| n.to_str())
                    .unwrap_or("")
                    .to_string();
                let shown = format!("{framework}/{rule}/{name}");
                let Some((path, expected_kind)) = repo_path(&framework, &file) else {
                    failures.push(format!(
                        "{shown}: no path mapping for this framework/extension"
                    ));
                    continue;
                };
                let text = fs::read_to_string(&file).expect("corpus file is UTF-8");
                let kind = classify(&path, &text);
                if kind != expected_kind {
                    failures.push(format!(
                        "{shown}: classified {kind:?}, expected {expected_kind:?}"
                    ));
                    continue;
                }
                let findings = review_orm(&path, &text, kind, &config);
                for finding in &findings {
                    if finding.line == 0
                        || finding.column == 0
                        || finding.message.is_empty()
                        || finding.why.is_empty()
                        || finding.fix.is_empty()
                    {
                        failures.push(format!("{shown}: incomplete finding {finding:?}"));
                    }
                }
                let fired = findings.iter().any(|f| f.rule == rule);
                let tally = tallies.entry(format!("{framework}/{rule}")).or_default();
                if name.starts_with("flag") {
                    tally.flags += 1;
                    if fired {
                        tally.flagged += 1;
                    } else {
                        let got: Vec<&str> = findings.iter().map(|f| f.rule.as_str()).collect();
                        failures.push(format!("{shown}: expected {rule}, got {got:?}"));
                    }
                } else if name.starts_with("ok") {
                    tally.oks += 1;
                    if fired {
                        failures.push(format!("{shown}: near miss fired {rule}"));
                    } else {
                        tally.clean += 1;
                    }
                } else {
                    failures.push(format!("{shown}: name must start with flag or ok"));
                }
            }
        }
    }
    println!("{:<58} {:>9} {:>11}", "rule", "flagged", "near-miss ok");
    for (rule, tally) in &tallies {
        println!(
            "{rule:<58} {:>4}/{:<4} {:>5}/{:<5}",
            tally.flagged, tally.flags, tally.clean, tally.oks
        );
    }
    let flags: usize = tallies.values().map(|t| t.flags).sum();
    let oks: usize = tallies.values().map(|t| t.oks).sum();
    println!(
        "{} rules, {flags} flag files, {oks} near-miss files",
        tallies.len()
    );
    assert!(flags > 0 && oks > 0, "corpus is empty");
    for (rule, tally) in &tallies {
        if tally.flags == 0 || tally.oks == 0 {
            failures.push(format!("{rule}: needs at least one flag and one ok file"));
        }
    }
    assert!(
        failures.is_empty(),
        "corpus failures:\n{}",
        failures.join("\n")
    );
}
