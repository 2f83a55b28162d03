//! Data-driven: each `fixtures/repos/<case>.sh` builds a real repository with
//! `git` (fixed authors and dates), `<case>.json` beside it holds the options
//! and the expected result. Expected objects list only the fields they check;
//! expected arrays must match in length and order.

mod common;

use std::path::{Path, PathBuf};

use fcto_history::{analyse, HistoryError, Options};
use serde_json::Value;

fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures")
}

/// Differences between `expected` (a subset) and `actual`, with JSON paths.
fn compare(expected: &Value, actual: &Value, at: &str, out: &mut Vec<String>) {
    match (expected, actual) {
        (Value::Object(want), Value::Object(have)) => {
            for (key, value) in want {
                match have.get(key) {
                    Some(got) => compare(value, got, &format!("{at}.{key}"), out),
                    None => out.push(format!("{at}.{key}: missing")),
                }
            }
        }
        (Value::Array(want), Value::Array(have)) => {
            if want.len() != have.len() {
                out.push(format!(
                    "{at}: {} items expected, {} found: {}",
                    want.len(),
                    have.len(),
                    actual
                ));
                return;
            }
            for (n, (value, got)) in want.iter().zip(have).enumerate() {
                compare(value, got, &format!("{at}[{n}]"), out);
            }
        }
        (Value::Number(want), Value::Number(have)) => {
            let (w, h) = (
                want.as_f64().unwrap_or(f64::NAN),
                have.as_f64().unwrap_or(f64::NAN),
            );
            if (w - h).abs() > 1e-9 {
                out.push(format!("{at}: expected {want}, found {have}"));
            }
        }
        _ if expected != actual => out.push(format!("{at}: expected {expected}, found {actual}")),
        _ => {}
    }
}

fn options(case: &Value) -> Options {
    let o = &case["options"];
    Options {
        recent_days: o["recent_days"].as_u64().unwrap_or(365) as u32,
        now: o["now"].as_i64().expect("options.now"),
        max_commits: o["max_commits"].as_u64().map(|n| n as usize),
    }
}

fn error_kind(error: &HistoryError) -> &'static str {
    match error {
        HistoryError::NotARepository { .. } => "not_a_repository",
        HistoryError::Repository { .. } => "repository",
        HistoryError::Object { .. } => "object",
    }
}

fn run_case(script: &Path) -> Vec<String> {
    let name = script
        .file_stem()
        .and_then(|s| s.to_str())
        .unwrap_or("?")
        .to_string();
    let case: Value = serde_json::from_str(
        &std::fs::read_to_string(script.with_extension("json"))
            .expect("expected JSON beside the script"),
    )
    .expect("valid expected JSON");
    let work = tempfile::tempdir().expect("temp dir");
    let prelude = fixtures().join("prelude.sh");
    common::run(
        std::process::Command::new("bash")
            .arg("-c")
            .arg(r#"source "$PRELUDE"; source "$CASE""#)
            .env("PRELUDE", &prelude)
            .env("CASE", script)
            .env("WORK", work.path()),
    );
    let target = match std::fs::read_to_string(work.path().join("target")) {
        Ok(relative) => work.path().join(relative.trim()),
        Err(_) => work.path().join("repo"),
    };
    let mut calls = Vec::new();
    let result = analyse(&target, &options(&case), &mut |n| calls.push(n));
    let mut problems = Vec::new();
    match (result, case.get("error")) {
        (Ok(history), None) => {
            let actual = serde_json::to_value(&history).expect("serialises");
            compare(&case["expect"], &actual, "", &mut problems);
            if calls.last() != Some(&history.commits) {
                problems.push(format!(
                    "progress ended at {:?}, not {}",
                    calls.last(),
                    history.commits
                ));
            }
        }
        (Ok(history), Some(kind)) => {
            problems.push(format!("expected error {kind}, got {history:?}"))
        }
        (Err(error), Some(kind)) => {
            if error_kind(&error) != kind {
                problems.push(format!("expected error {kind}, got {error}"));
            }
            let message = error.to_string();
            if !message.contains(&target.display().to_string()) {
                problems.push(format!("error does not name the path: {message}"));
            }
        }
        (Err(error), None) => problems.push(format!("unexpected error: {error}")),
    }
    problems
        .into_iter()
        .map(|p| format!("{name}: {p}"))
        .collect()
}

#[test]
fn every_fixture_repository_gives_its_expected_history() {
    let mut scripts: Vec<PathBuf> = std::fs::read_dir(fixtures().join("repos"))
        .expect("fixtures/repos")
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|e| e == "sh"))
        .collect();
    scripts.sort();
    assert!(scripts.len() >= 8, "fixture cases missing: {scripts:?}");
    let problems: Vec<String> = scripts.iter().flat_map(|s| run_case(s)).collect();
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}
