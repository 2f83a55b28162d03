//! The reports of the sample audit (with the project's OSV data matched):
//! Markdown and HTML as snapshots, CycloneDX and SARIF validated against
//! their official schemas (vendored by the sbom and review crates, so this
//! runs offline). Broken documents must fail, so the validators bite.

use std::fs;
use std::path::{Path, PathBuf};

use jsonschema::{Registry, Validator};
use serde_json::Value;

mod common;

fn crates_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("crates/")
        .to_path_buf()
}

fn audit() -> fcto_audit::Audit {
    let mut audit = common::scan_sample("harbour-hearth");
    // The checkout's location is not part of the report under test.
    for root in &mut audit.roots {
        root.path = "sample".into();
    }
    let dir = crates_dir().join("osv/tests/data/advisories");
    let mut raw: Vec<String> = fs::read_dir(&dir)
        .expect("advisories")
        .map(|e| fs::read_to_string(e.expect("entry").path()).expect("read advisory"))
        .collect();
    raw.sort();
    fcto_audit::vulns::attach(&mut audit, raw.len() as u64, &raw);
    audit.notes.push(fcto_audit::Note {
        section: "vendors".into(),
        text: "OpenTable contract renews in March; notice period 60 days".into(),
        created_at: "2026-11-24T09:00:00Z".into(),
    });
    fcto_audit::finish(&mut audit, 800);
    audit
}

fn schema(path: &str) -> Value {
    let text = fs::read_to_string(crates_dir().join(path)).expect("read vendored schema");
    serde_json::from_str(&text).expect("schema is JSON")
}

fn errors(validator: &Validator, doc: &Value) -> Vec<String> {
    validator
        .iter_errors(doc)
        .map(|e| format!("at {:?}: {e}", e.instance_path().as_str()))
        .collect()
}

#[test]
fn markdown_report_snapshot() {
    insta::assert_snapshot!("sample_markdown", fcto_audit::render::markdown(&audit()));
}

#[test]
fn html_report_snapshot() {
    let html = fcto_audit::render::html(&audit());
    assert!(html.starts_with("<!DOCTYPE html>"), "a standalone page");
    assert!(html.contains("<svg"), "with charts");
    assert!(
        !html.contains("<script src"),
        "nothing fetched from elsewhere"
    );
    insta::assert_snapshot!("sample_html", html);
}

#[test]
fn json_is_complete_and_has_its_schema_version() {
    let audit = audit();
    let value = serde_json::to_value(&audit).expect("JSON");
    assert_eq!(value["schema_version"], 1, "{value:#}");
    for key in [
        "languages",
        "dependencies",
        "vulnerabilities",
        "secrets",
        "infrastructure",
        "data",
        "history",
        "notes",
        "risks",
        "warnings",
    ] {
        assert!(value.get(key).is_some(), "JSON lacks {key}");
    }
    // Round trip: what `audit show` and `audit diff` read back.
    let back: fcto_audit::Audit = serde_json::from_value(value).expect("reads back");
    assert_eq!(back.risks.len(), audit.risks.len());
}

#[test]
fn cyclonedx_validates_against_the_1_5_schema() {
    let registry = Registry::new()
        .add(
            "http://cyclonedx.org/schema/spdx.schema.json",
            schema("sbom/tests/schemas/spdx.schema.json"),
        )
        .and_then(|r| {
            r.add(
                "http://cyclonedx.org/schema/jsf-0.82.schema.json",
                schema("sbom/tests/schemas/jsf-0.82.schema.json"),
            )
        })
        .and_then(|r| r.prepare())
        .expect("referenced schemas register");
    let validator = jsonschema::draft7::options()
        .with_registry(&registry)
        .should_validate_formats(true)
        .build(&schema("sbom/tests/schemas/bom-1.5.schema.json"))
        .expect("CycloneDX 1.5 schema compiles offline");
    let bom = fcto_audit::render::cyclonedx(&audit(), "3e671687-395b-41f5-a30f-a58921a69b79");
    assert_eq!(errors(&validator, &bom), Vec::<String>::new());
    assert_eq!(bom["specVersion"], "1.5");
    let components = bom["components"].as_array().expect("components");
    assert_eq!(components.len(), 10, "every sample dependency");
    assert!(components
        .iter()
        .all(|c| c["purl"].as_str().is_some_and(|p| p.starts_with("pkg:"))));
    let vulns = bom["vulnerabilities"].as_array().expect("vulnerabilities");
    let ids: Vec<&str> = vulns.iter().filter_map(|v| v["id"].as_str()).collect();
    assert!(ids.contains(&"GHSA-p6mc-m468-83gw"), "{ids:?}");

    let mut broken = bom.clone();
    broken["components"][0]["type"] = Value::from("spaceship");
    assert!(
        !errors(&validator, &broken).is_empty(),
        "the validator bites"
    );
}

#[test]
fn sarif_validates_and_carries_secrets_vulnerabilities_and_migrations() {
    let validator = jsonschema::draft7::options()
        .should_validate_formats(true)
        .build(&schema("review/tests/schemas/sarif-schema-2.1.0.json"))
        .expect("SARIF schema compiles offline");
    let sarif = fcto_audit::render::sarif(&audit());
    assert_eq!(errors(&validator, &sarif), Vec::<String>::new());
    let results = sarif["runs"][0]["results"].as_array().expect("results");
    let rule_of = |r: &Value| r["ruleId"].as_str().unwrap_or_default().to_string();
    let located = |r: &Value| {
        let l = &r["locations"][0]["physicalLocation"];
        (
            l["artifactLocation"]["uri"]
                .as_str()
                .unwrap_or_default()
                .to_string(),
            l["region"]["startLine"].as_u64().unwrap_or(0),
        )
    };
    let rules: Vec<String> = results.iter().map(rule_of).collect();
    assert!(rules.iter().any(|r| r.starts_with("secret/")), "{rules:?}");
    assert!(
        rules.iter().any(|r| r.starts_with("vulnerability/")),
        "{rules:?}"
    );
    assert!(
        rules.iter().any(|r| r.starts_with("migration/")),
        "{rules:?}"
    );
    let secret = results
        .iter()
        .find(|r| rule_of(r).starts_with("secret/"))
        .expect("a secret");
    assert_eq!(located(secret), (".env.production".into(), 2));
    // The value never appears: the planted AWS key is redacted.
    let text = serde_json::to_string(&sarif).expect("text");
    for planted in ["AKIAZ7QW3RT5", "Tr0ub4dor", "q8Jz2Lr7Vx4N"] {
        assert!(!text.contains(planted), "a secret leaked into SARIF");
    }

    // A vulnerable package points at the line of the lockfile naming it.
    let lodash = results
        .iter()
        .find(|r| rule_of(r) == "vulnerability/GHSA-p6mc-m468-83gw")
        .expect("lodash advisory");
    let lock =
        fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("sample/package-lock.json"))
            .expect("lockfile");
    let expected = lock
        .lines()
        .position(|l| l.contains("lodash"))
        .map(|i| i as u64 + 1)
        .expect("lodash named");
    assert_eq!(located(lodash), ("package-lock.json".into(), expected));
    let django = results
        .iter()
        .find(|r| rule_of(r) == "vulnerability/PYSEC-2023-100")
        .expect("django advisory");
    let reqs = fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("sample/api/requirements.txt"),
    )
    .expect("requirements");
    let expected = reqs
        .lines()
        .position(|l| l.to_lowercase().starts_with("django"))
        .map(|i| i as u64 + 1)
        .expect("django named");
    assert_eq!(located(django), ("api/requirements.txt".into(), expected));

    let mut broken = sarif.clone();
    broken["version"] = Value::from("1.0");
    assert!(
        !errors(&validator, &broken).is_empty(),
        "the validator bites"
    );
}
