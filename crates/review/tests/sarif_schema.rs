//! The SARIF output validates against the official OASIS SARIF 2.1.0 JSON
//! schema (draft-07), vendored in `tests/schemas/` so the test runs offline.
//! Findings come from reviewing the whole rule corpus, a path with a space and
//! non-ASCII characters, and a migration on a table of known size (so the
//! result carries an estimate in its property bag).

use std::fs;
use std::path::{Path, PathBuf};

use fcto_review::render::sarif;
use fcto_review::scale::{TableSize, TableSizes};
use fcto_review::{review_file, Finding, ReviewConfig};
use jsonschema::Validator;
use serde_json::{json, Value};

fn tests_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests")
}

fn validator() -> Validator {
    let path = tests_dir().join("schemas/sarif-schema-2.1.0.json");
    let text = fs::read_to_string(&path).expect("read the vendored SARIF schema");
    let schema: Value = serde_json::from_str(&text).expect("SARIF schema is JSON");
    jsonschema::draft7::options()
        .should_validate_formats(true)
        .build(&schema)
        .expect("SARIF schema compiles offline as draft-07")
}

/// Every validation error, one per line with its instance path.
fn errors(validator: &Validator, doc: &Value) -> Vec<String> {
    validator
        .iter_errors(doc)
        .map(|e| format!("at {:?}: {e}", e.instance_path().as_str()))
        .collect()
}

fn assert_valid(validator: &Validator, doc: &Value, what: &str) {
    let errors = errors(validator, doc);
    assert!(
        errors.is_empty(),
        "{what}: SARIF output fails the 2.1.0 schema with {} error(s):\n{}",
        errors.len(),
        errors.join("\n")
    );
}

/// Every file under `dir`, recursively, in a stable order.
fn walk(dir: &Path, out: &mut Vec<PathBuf>) {
    let mut entries: Vec<PathBuf> = fs::read_dir(dir)
        .expect("read corpus dir")
        .map(|entry| entry.expect("corpus entry").path())
        .collect();
    entries.sort();
    for path in entries {
        if path.is_dir() {
            walk(&path, out);
        } else {
            out.push(path);
        }
    }
}

fn corpus_findings() -> Vec<Finding> {
    let corpus = tests_dir().join("corpus");
    let mut files = Vec::new();
    walk(&corpus, &mut files);
    let config = ReviewConfig::default();
    let sizes = TableSizes::new();
    let mut findings = Vec::new();
    for file in &files {
        let text = fs::read_to_string(file).expect("corpus files are UTF-8");
        let rel = file
            .strip_prefix(&corpus)
            .expect("under the corpus")
            .to_string_lossy()
            .replace('\\', "/");
        findings.extend(review_file(&rel, &text, &config, &sizes).findings);
    }
    for sub in ["sql", "orm", "coupling"] {
        assert!(
            findings
                .iter()
                .any(|f| f.path.starts_with(&format!("{sub}/"))),
            "no findings from corpus/{sub}"
        );
    }
    findings
}

#[test]
fn sarif_output_validates_against_the_sarif_2_1_0_schema() {
    let validator = validator();
    let config = ReviewConfig::default();

    let mut findings = corpus_findings();

    // A path with a space and a non-ASCII character.
    let odd = review_file(
        "db/mig ration é.sql",
        "CREATE INDEX i ON t (x);",
        &config,
        &TableSizes::new(),
    )
    .findings;
    assert!(!odd.is_empty(), "expected a finding for the odd path");
    findings.extend(odd);

    // A table of known size, so the result carries an estimate.
    let mut sizes = TableSizes::new();
    sizes.insert(
        "orders",
        TableSize {
            rows: 50_000_000,
            bytes: None,
        },
    );
    let sized = review_file(
        "db/add_index_orders.sql",
        "CREATE INDEX i ON orders (x);",
        &config,
        &sizes,
    )
    .findings;
    assert!(
        sized.iter().any(|f| f.estimate.is_some()),
        "expected a finding with a table-size estimate"
    );
    findings.extend(sized);

    let doc = sarif(&findings, "0.1.0");
    let results = doc["runs"][0]["results"].as_array().expect("results");
    assert_eq!(results.len(), findings.len());
    assert!(results
        .iter()
        .any(|r| r["properties"]["estimate"].is_object()));
    assert!(results.iter().any(|r| {
        r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
            == json!("db/mig%20ration%20%C3%A9.sql")
    }));
    assert_valid(&validator, &doc, "corpus findings");
}

#[test]
fn empty_sarif_output_validates() {
    let validator = validator();
    assert_valid(&validator, &sarif(&[], "0.1.0"), "no findings");
}

#[test]
fn a_broken_document_is_rejected() {
    let validator = validator();
    let mut doc = sarif(&[], "0.1.0");
    doc["version"] = json!("2.0");
    let errors = errors(&validator, &doc);
    assert!(
        errors.iter().any(|e| e.contains("\"/version\"")),
        "version 2.0 must be rejected, got: {errors:?}"
    );
}
