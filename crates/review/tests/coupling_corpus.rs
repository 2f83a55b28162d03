//! The coupling corpus: for every rule, `flag*` files it must report and
//! `ok*` near-misses it must not. A `fcto-corpus-path: PATH` comment in a
//! file's first lines reviews it as if it lived at PATH (domain folders,
//! request paths and config files depend on the path).

use std::collections::BTreeMap;
use std::fs;
use std::path::Path;

use fcto_review::coupling::{language_of, review_source, Rule};
use fcto_review::ReviewConfig;

const CORPUS: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/corpus/coupling");

fn config() -> ReviewConfig {
    ReviewConfig::parse(
        "corpus.toml",
        "domain = [\"app/domain\"]\nallowed_hosts = [\"api.mycompany.com\"]\n",
    )
    .expect("corpus config")
}

fn virtual_path(rule: &str, name: &str, text: &str) -> String {
    for line in text.lines().take(3) {
        if let Some(at) = line.find("fcto-corpus-path:") {
            return line[at + "fcto-corpus-path:".len()..].trim().to_string();
        }
    }
    let _ = rule;
    format!("src/corpus/{name}")
}

#[derive(Default)]
struct Tally {
    flag_total: usize,
    flag_hit: usize,
    ok_total: usize,
    ok_clean: usize,
    languages_flagged: Vec<String>,
}

#[test]
fn every_rule_flags_its_cases_and_spares_its_near_misses() {
    let config = config();
    let mut tallies: BTreeMap<String, Tally> = BTreeMap::new();
    let mut failures = Vec::new();
    let mut rule_dirs: Vec<_> = fs::read_dir(CORPUS)
        .expect("corpus folder")
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| p.is_dir())
        .collect();
    rule_dirs.sort();
    for dir in &rule_dirs {
        let rule = dir
            .file_name()
            .and_then(|n| n.to_str())
            .unwrap_or("")
            .to_string();
        assert!(
            Rule::from_id(&rule).is_some(),
            "corpus folder {rule} names no rule"
        );
        let mut files: Vec<_> = fs::read_dir(dir)
            .expect("rule folder")
            .filter_map(Result::ok)
            .map(|e| e.path())
            .collect();
        files.sort();
        for file in files {
            let name = file
                .file_name()
                .and_then(|n| n.to_str())
                .unwrap_or("")
                .to_string();
            let text = fs::read_to_string(&file).expect("corpus file");
            let path = virtual_path(&rule, &name, &text);
            let language = language_of(&path).expect("corpus file in a known language");
            let findings = review_source(&path, &text, &config);
            let fired: Vec<_> = findings.iter().filter(|f| f.rule == rule).collect();
            let tally = tallies.entry(rule.clone()).or_default();
            if name.starts_with("flag") {
                tally.flag_total += 1;
                if fired.is_empty() {
                    failures.push(format!(
                        "{rule}/{name}: expected a finding, got {findings:#?}"
                    ));
                } else {
                    tally.flag_hit += 1;
                    tally.languages_flagged.push(language.as_str().to_string());
                }
                for finding in &fired {
                    assert!(finding.line >= 1 && finding.column >= 1);
                    assert!(!finding.why.is_empty() && !finding.fix.is_empty());
                    assert!(!finding.message.contains('\n'), "{}", finding.message);
                }
            } else if name.starts_with("ok") {
                tally.ok_total += 1;
                if fired.is_empty() {
                    tally.ok_clean += 1;
                } else {
                    failures.push(format!("{rule}/{name}: near-miss flagged: {fired:#?}"));
                }
            }
        }
    }
    for (rule, tally) in &tallies {
        let mut languages = tally.languages_flagged.clone();
        languages.sort();
        languages.dedup();
        println!(
            "{rule:34} flagged {}/{}  near-miss precision {}/{}  languages: {}",
            tally.flag_hit,
            tally.flag_total,
            tally.ok_clean,
            tally.ok_total,
            languages.join(", ")
        );
    }
    for rule in Rule::ALL {
        let tally = tallies.get(rule.id());
        assert!(
            tally.is_some_and(|t| t.flag_total > 0 && t.ok_total > 0),
            "{} needs flag and ok cases",
            rule.id()
        );
        let languages = &tally
            .map(|t| t.languages_flagged.clone())
            .unwrap_or_default();
        assert!(
            languages.iter().any(|l| l == "python"),
            "{}: no Python flag case",
            rule.id()
        );
        assert!(
            languages
                .iter()
                .any(|l| l == "javascript" || l == "typescript"),
            "{}: no JS/TS flag case",
            rule.id()
        );
    }
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
}

#[test]
fn corpus_files_exist_on_disk() {
    assert!(Path::new(CORPUS).is_dir());
}
