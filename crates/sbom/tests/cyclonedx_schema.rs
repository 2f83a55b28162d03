//! The CycloneDX output validates against the official CycloneDX 1.5 JSON
//! schema (with the SPDX licence list and JSF signature schemas it refers
//! to), vendored under `tests/schemas/` so the test runs offline. The BOM is
//! built from every fixture of every format, with vulnerabilities; broken
//! BOMs must fail, so the validator is known to bite.

use std::collections::HashSet;
use std::fs;
use std::path::{Path, PathBuf};

use fcto_sbom::cyclonedx::{to_json, BomMeta, BomVulnerability};
use fcto_sbom::{parse_manifest, Component, ManifestKind};
use jsonschema::{Registry, Validator};
use serde_json::{json, Value};

fn schema(name: &str) -> Value {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/schemas")
        .join(name);
    serde_json::from_str(&fs::read_to_string(&path).expect("read vendored schema"))
        .expect("schema is JSON")
}

fn with_validator(check: impl FnOnce(&Validator)) {
    let registry = Registry::new()
        .add(
            "http://cyclonedx.org/schema/spdx.schema.json",
            schema("spdx.schema.json"),
        )
        .and_then(|r| {
            r.add(
                "http://cyclonedx.org/schema/jsf-0.82.schema.json",
                schema("jsf-0.82.schema.json"),
            )
        })
        .and_then(|r| r.prepare())
        .expect("referenced schemas register");
    let validator = jsonschema::draft7::options()
        .with_registry(&registry)
        .should_validate_formats(true)
        .build(&schema("bom-1.5.schema.json"))
        .expect("CycloneDX 1.5 schema compiles offline");
    check(&validator);
}

fn errors(validator: &Validator, doc: &Value) -> Vec<String> {
    validator
        .iter_errors(doc)
        .map(|e| format!("at {:?}: {e}", e.instance_path().as_str()))
        .collect()
}

fn all_fixture_components() -> Vec<Component> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures");
    let mut out = Vec::new();
    for kind in ManifestKind::ALL {
        let Ok(entries) = fs::read_dir(root.join(kind.slug())) else {
            continue;
        };
        let mut files: Vec<PathBuf> = entries.map(|e| e.expect("entry").path()).collect();
        files.sort();
        for file in files {
            let name = file
                .file_name()
                .and_then(|n| n.to_str())
                .unwrap_or_default()
                .to_string();
            if name.ends_with(".expected.json") || name.starts_with("bad-") {
                continue;
            }
            let label = format!("{}/{name}", kind.slug());
            out.extend(
                parse_manifest(kind, &label, &fs::read(&file).expect("read"))
                    .expect("fixture parses"),
            );
        }
    }
    out
}

fn meta() -> BomMeta {
    BomMeta {
        serial_number: "urn:uuid:3e671687-395b-41f5-a30f-a58921a69b79".into(),
        timestamp: "2026-11-25T10:15:00Z".into(),
        tool_version: "0.1.0".into(),
        subject: "acme/monorepo".into(),
    }
}

fn vulnerabilities() -> Vec<BomVulnerability> {
    vec![
        BomVulnerability {
            id: "GHSA-vh95-rmgr-6w4m".into(),
            source_url: Some("https://osv.dev/vulnerability/GHSA-vh95-rmgr-6w4m".into()),
            summary: "Prototype pollution in minimist".into(),
            severity: Some("moderate".into()),
            affects_purl: "pkg:npm/ms@2.0.0".into(),
            fixed_in: vec!["2.0.1".into()],
        },
        BomVulnerability {
            id: "RUSTSEC-2021-0093".into(),
            source_url: None,
            summary: String::new(),
            severity: None,
            affects_purl: "pkg:cargo/itoa@0.4.8".into(),
            fixed_in: vec![],
        },
    ]
}

#[test]
fn bom_of_every_fixture_validates_against_cyclonedx_1_5() {
    let components = all_fixture_components();
    assert!(components.len() > 150, "{} components", components.len());
    let bom = to_json(&meta(), &components, &vulnerabilities());
    with_validator(|validator| {
        let errors = errors(validator, &bom);
        assert!(
            errors.is_empty(),
            "{} schema error(s):\n{}",
            errors.len(),
            errors.join("\n")
        );
    });

    // bom-refs are unique and every reference points at one.
    let entries = bom["components"].as_array().cloned().unwrap_or_default();
    let refs: Vec<&str> = entries
        .iter()
        .filter_map(|c| c["bom-ref"].as_str())
        .collect();
    let unique: HashSet<&str> = refs.iter().copied().collect();
    assert_eq!(refs.len(), unique.len(), "duplicate bom-ref");
    let distinct_purls: HashSet<&str> = components.iter().map(|c| c.purl.as_str()).collect();
    assert_eq!(refs.len(), distinct_purls.len());
    for vuln in bom["vulnerabilities"].as_array().into_iter().flatten() {
        let target = vuln["affects"][0]["ref"].as_str().unwrap_or_default();
        assert!(unique.contains(target), "{target} is not a component");
    }
    for dep in bom["dependencies"][0]["dependsOn"]
        .as_array()
        .into_iter()
        .flatten()
    {
        assert!(unique.contains(dep.as_str().unwrap_or_default()));
    }
    // A package found in several files keeps every source.
    let ms = entries
        .iter()
        .find(|c| c["purl"] == "pkg:npm/ms@2.1.3")
        .cloned()
        .unwrap_or_default();
    let sources = ms["properties"]
        .as_array()
        .into_iter()
        .flatten()
        .filter(|p| p["name"] == "fcto:source")
        .count();
    assert!(sources >= 10, "ms@2.1.3 sources: {sources}");
    assert_eq!(
        bom["vulnerabilities"][0]["ratings"][0]["severity"],
        "medium"
    );
    assert_eq!(
        bom["vulnerabilities"][0]["affects"][0]["versions"][0],
        json!({"version": "2.0.1", "status": "unaffected"})
    );
}

type Breakage = Box<dyn Fn(&mut Value)>;

#[test]
fn broken_boms_fail_validation() {
    let components = all_fixture_components();
    let good = to_json(&meta(), &components, &vulnerabilities());
    let breakages: Vec<(&str, Breakage)> = vec![
        (
            "missing bomFormat",
            Box::new(|b: &mut Value| {
                b.as_object_mut().map(|o| o.remove("bomFormat"));
            }),
        ),
        (
            "component type",
            Box::new(|b: &mut Value| b["components"][0]["type"] = json!("banana")),
        ),
        (
            "scope",
            Box::new(|b: &mut Value| b["components"][0]["scope"] = json!("dev")),
        ),
        (
            "serial number",
            Box::new(|b: &mut Value| b["serialNumber"] = json!("urn:uuid:not-a-uuid")),
        ),
        (
            "timestamp format",
            Box::new(|b: &mut Value| b["metadata"]["timestamp"] = json!("yesterday")),
        ),
        (
            "unknown top-level field",
            Box::new(|b: &mut Value| b["surprise"] = json!(true)),
        ),
        (
            "severity",
            Box::new(|b: &mut Value| {
                b["vulnerabilities"][0]["ratings"][0]["severity"] = json!("moderate")
            }),
        ),
        (
            "property value type",
            Box::new(|b: &mut Value| b["components"][0]["properties"][0]["value"] = json!(5)),
        ),
    ];
    with_validator(|validator| {
        assert!(errors(validator, &good).is_empty());
        for (what, breakage) in breakages {
            let mut broken = good.clone();
            breakage(&mut broken);
            assert!(
                !errors(validator, &broken).is_empty(),
                "{what}: the broken BOM validated"
            );
        }
    });
}

#[test]
fn empty_inventory_is_still_a_valid_bom() {
    let bom = to_json(&meta(), &[], &[]);
    with_validator(|validator| assert!(errors(validator, &bom).is_empty()));
    assert_eq!(bom["components"], json!([]));
    assert!(bom.get("dependencies").is_none());
}
