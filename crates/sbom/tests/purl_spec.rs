//! The official purl-spec test suite (package-url/purl-spec, `tests/types/`,
//! MIT; commit in `tests/purl-spec/COMMIT`) for the eleven types this crate
//! writes. `build` cases build from components; `validate` cases build from
//! the components their `parse` twin gives and must reach the canonical form.
//! Cases with qualifiers or subpaths are out of scope (components have none).

use std::collections::HashMap;
use std::fs;
use std::path::Path;

use fcto_sbom::{purl, purl_from_parts, Ecosystem};
use serde_json::Value;

fn ecosystem(purl_type: &str) -> Option<Ecosystem> {
    Ecosystem::ALL
        .into_iter()
        .find(|e| e.purl_type() == purl_type)
}

struct Parts {
    ecosystem: Ecosystem,
    namespace: Option<String>,
    name: String,
    version: String,
}

fn parts(value: &Value) -> Option<Parts> {
    let empty =
        |key: &str| value[key].is_null() || value[key].as_object().is_some_and(|o| o.is_empty());
    if !empty("qualifiers") || !empty("subpath") {
        return None;
    }
    Some(Parts {
        ecosystem: ecosystem(&value["type"].as_str()?.to_ascii_lowercase())?,
        namespace: value["namespace"].as_str().map(str::to_string),
        name: value["name"].as_str()?.to_string(),
        version: value["version"].as_str().unwrap_or_default().to_string(),
    })
}

fn build(p: &Parts) -> String {
    purl_from_parts(p.ecosystem, p.namespace.as_deref(), &p.name, &p.version)
}

/// The name as the ecosystem writes it, for [`purl`].
fn native_name(p: &Parts) -> Option<String> {
    let Some(ns) = &p.namespace else {
        return Some(p.name.clone());
    };
    let separator = match p.ecosystem {
        Ecosystem::Maven => ":",
        Ecosystem::Npm | Ecosystem::Go | Ecosystem::Packagist | Ecosystem::SwiftPM => "/",
        _ => return None,
    };
    Some(format!("{ns}{separator}{}", p.name))
}

#[test]
fn official_build_and_round_trip_cases_pass() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/purl-spec");
    let mut checked = 0;
    let mut failures = Vec::new();
    for eco in Ecosystem::ALL {
        let path = dir.join(format!("{}-test.json", eco.purl_type()));
        let doc: Value =
            serde_json::from_str(&fs::read_to_string(&path).expect("read")).expect("JSON");
        let tests = doc["tests"].as_array().cloned().unwrap_or_default();
        let parsed: HashMap<String, Value> = tests
            .iter()
            .filter(|t| t["test_type"] == "parse" && t["expected_failure"] == false)
            .filter_map(|t| {
                Some((
                    t["input"].as_str()?.to_string(),
                    t["expected_output"].clone(),
                ))
            })
            .collect();
        for test in tests.iter().filter(|t| t["expected_failure"] == false) {
            let components = match test["test_type"].as_str() {
                Some("build") => Some(test["input"].clone()),
                Some("validate") => test["input"].as_str().and_then(|i| parsed.get(i)).cloned(),
                _ => None,
            };
            let Some(p) = components.as_ref().and_then(parts) else {
                continue;
            };
            let want = test["expected_output"].as_str().unwrap_or_default();
            let got = build(&p);
            if got != want {
                failures.push(format!("{}: {got} != {want}", test["description"]));
            }
            if let Some(native) = native_name(&p) {
                let via_native = purl(p.ecosystem, &native, &p.version);
                if via_native != want {
                    failures.push(format!("native `{native}`: {via_native} != {want}"));
                }
            }
            checked += 1;
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
    assert!(checked >= 40, "only {checked} cases checked");
}
