//! The bundled sample repository, audited end to end (no store, no git):
//! each section finds what was planted in it.

use std::path::Path;

mod common;

fn audit() -> fcto_audit::Audit {
    let mut audit = common::scan_sample("northern-lights");
    fcto_audit::finish(&mut audit, 800);
    audit
}

#[test]
fn infrastructure_services_and_warnings() {
    let audit = audit();
    let kinds: Vec<&str> = audit
        .infrastructure
        .files
        .iter()
        .map(|f| f.kind.as_str())
        .collect();
    for kind in [
        "dockerfile",
        "compose",
        "terraform",
        "github_actions",
        "fly",
    ] {
        assert!(kinds.contains(&kind), "{kind} in {kinds:?}");
    }
    let rules: Vec<&str> = audit
        .infrastructure
        .warnings
        .iter()
        .map(|w| w.rule.as_str())
        .collect();
    assert!(
        rules.contains(&"end_of_life_image"),
        "node:14 is end of life: {rules:?}"
    );
    assert!(rules.contains(&"image_latest"), "redis:latest: {rules:?}");
    assert!(rules.contains(&"action_not_pinned"), "{rules:?}");
    let services = audit.infrastructure.landscape["services"]
        .as_array()
        .expect("services");
    // The compose `web` service and the Fly app build the same Dockerfile:
    // one service, running in two places, talking to the database.
    let web = services
        .iter()
        .find(|s| s["name"].as_str() == Some("web"))
        .unwrap_or_else(|| panic!("web service in {services:?}"));
    let runs_on = web["runs_on"].to_string();
    assert!(runs_on.contains("Fly.io"), "{runs_on}");
    assert!(web["talks_to"].to_string().contains("postgres"), "{web}");
    let keys: Vec<&str> = audit.risks.iter().map(|r| r.key.as_str()).collect();
    assert!(keys.contains(&"end-of-life-runtime"), "{keys:?}");
    assert!(
        !keys.contains(&"no-ci"),
        "the sample has a workflow: {keys:?}"
    );
}

#[test]
fn data_section_finds_engines_migrations_and_risky_changes() {
    let audit = audit();
    let engines: Vec<&str> = audit
        .data
        .databases
        .iter()
        .map(|d| d.engine.as_str())
        .collect();
    assert!(engines.contains(&"PostgreSQL"), "{engines:?}");
    let frameworks: Vec<(&str, u64)> = audit
        .data
        .migrations
        .iter()
        .map(|m| (m.framework.as_str(), m.files))
        .collect();
    assert!(frameworks.contains(&("Django", 2)), "{frameworks:?}");
    assert!(frameworks.contains(&("Flyway", 1)), "{frameworks:?}");
    let rules: Vec<&str> = audit
        .data
        .migration_findings
        .iter()
        .map(|f| f.rule.as_str())
        .collect();
    assert!(rules.contains(&"index-not-concurrent"), "{rules:?}");
    assert!(
        audit
            .data
            .migration_findings
            .iter()
            .all(|f| !f.path.starts_with("src/")),
        "only migrations are reviewed"
    );
}

/// `fcto demo` writes the sample from the embedded list; a file added to
/// the folder but not to the list would silently miss from the demo.
#[test]
fn embedded_sample_lists_every_file() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("sample");
    let mut on_disk = Vec::new();
    let mut stack = vec![root.clone()];
    while let Some(dir) = stack.pop() {
        for entry in std::fs::read_dir(&dir).expect("read dir") {
            let path = entry.expect("entry").path();
            if path.is_dir() {
                stack.push(path);
            } else {
                let rel = path.strip_prefix(&root).expect("under root");
                on_disk.push(rel.to_string_lossy().replace('\\', "/"));
            }
        }
    }
    on_disk.sort();
    let mut embedded: Vec<String> = fcto_audit::sample::SAMPLE_REPO
        .iter()
        .map(|(p, _)| p.to_string())
        .collect();
    embedded.sort();
    assert_eq!(embedded, on_disk);
}
