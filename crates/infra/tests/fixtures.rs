//! Every file under tests/fixtures/<kind>/ is parsed as that kind; its
//! facts and warnings must equal `<file>.expected.json` beside it.
//! `UPDATE_EXPECT=1 cargo test -p fcto-infra --test fixtures` writes missing
//! or changed expectations (review the diff before committing).

use std::fs;
use std::path::Path;

use fcto_infra::{parse, warnings, InfraKind};

fn kind_of(dir: &str) -> Option<InfraKind> {
    InfraKind::ALL.into_iter().find(|k| {
        serde_json::to_value(k)
            .ok()
            .and_then(|v| v.as_str().map(str::to_string))
            .as_deref()
            == Some(dir)
    })
}

#[test]
fn every_fixture_matches_its_expected_facts() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures");
    let update = std::env::var_os("UPDATE_EXPECT").is_some();
    let mut checked = 0;
    let mut failures = Vec::new();
    let mut kinds_seen = Vec::new();
    let mut dirs: Vec<_> = fs::read_dir(&root).unwrap().flatten().collect();
    dirs.sort_by_key(|d| d.file_name());
    for dir in dirs {
        let name = dir.file_name().to_string_lossy().to_string();
        let Some(kind) = kind_of(&name) else { continue };
        let mut files: Vec<_> = fs::read_dir(dir.path()).unwrap().flatten().collect();
        files.sort_by_key(|f| f.file_name());
        for file in files {
            let fname = file.file_name().to_string_lossy().to_string();
            if fname.ends_with(".expected.json") {
                continue;
            }
            let label = format!("{name}/{fname}");
            let bytes = fs::read(file.path()).unwrap();
            let facts = parse(kind, &label, &bytes).unwrap_or_else(|e| panic!("{label}: {e}"));
            let warns = warnings(&facts);
            let got = serde_json::to_string_pretty(&serde_json::json!({
                "facts": facts,
                "warnings": warns,
            }))
            .unwrap()
                + "\n";
            let expected_path = dir.path().join(format!("{fname}.expected.json"));
            let expected = fs::read_to_string(&expected_path).unwrap_or_default();
            if got != expected {
                if update {
                    fs::write(&expected_path, &got).unwrap();
                } else {
                    failures.push(label.clone());
                }
            }
            checked += 1;
            if !kinds_seen.contains(&kind) {
                kinds_seen.push(kind);
            }
        }
    }
    assert!(
        failures.is_empty(),
        "facts differ from expected for: {failures:?}"
    );
    let missing: Vec<_> = InfraKind::ALL
        .iter()
        .filter(|k| !kinds_seen.contains(k))
        .collect();
    assert!(missing.is_empty(), "no fixture for {missing:?}");
    assert!(checked >= 30, "only {checked} fixtures found");
}
