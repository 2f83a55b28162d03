//! Every fixture under `tests/fixtures/<kind>/<case>.<ext>` parses to exactly
//! the components and notes in `<case>.<ext>.expected.json` beside it. The
//! folder names the format (`ManifestKind::slug`). A new case is two files;
//! `FCTO_SBOM_BLESS=1` writes a missing expectation for review by eye.

use std::fs;
use std::path::{Path, PathBuf};

use fcto_sbom::{manifest_kind, parse_manifest_with_notes, ManifestKind};
use serde_json::Value;

const EXPECTED: &str = ".expected.json";

fn fixtures_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures")
}

/// (kind, label, path) of every input fixture, in a stable order.
fn cases() -> Vec<(ManifestKind, String, PathBuf)> {
    let mut out = Vec::new();
    let mut dirs: Vec<PathBuf> = fs::read_dir(fixtures_dir())
        .expect("fixtures dir")
        .map(|e| e.expect("entry").path())
        .filter(|p| p.is_dir())
        .collect();
    dirs.sort();
    for dir in dirs {
        let slug = dir
            .file_name()
            .and_then(|n| n.to_str())
            .unwrap_or_default()
            .to_string();
        let kind = ManifestKind::from_slug(&slug)
            .unwrap_or_else(|| panic!("fixture folder `{slug}` is not a ManifestKind slug"));
        let mut files: Vec<PathBuf> = fs::read_dir(&dir)
            .expect("kind dir")
            .map(|e| e.expect("entry").path())
            .filter(|p| !p.to_string_lossy().ends_with(EXPECTED))
            .collect();
        files.sort();
        for file in files {
            let name = file
                .file_name()
                .and_then(|n| n.to_str())
                .unwrap_or_default();
            out.push((kind, format!("{slug}/{name}"), file));
        }
    }
    out
}

#[test]
fn every_fixture_parses_to_its_expected_components() {
    let bless = std::env::var_os("FCTO_SBOM_BLESS").is_some();
    let cases = cases();
    let mut failures = Vec::new();
    let mut kinds_seen = std::collections::BTreeSet::new();
    for (kind, label, path) in &cases {
        kinds_seen.insert(*kind);
        let bytes = fs::read(path).expect("read fixture");
        let expected_path = PathBuf::from(format!("{}{EXPECTED}", path.display()));
        let got = match parse_manifest_with_notes(*kind, label, &bytes) {
            Ok(out) => serde_json::to_value(&out).expect("serialise"),
            Err(e) => serde_json::json!({ "error": e.to_string() }),
        };
        if !expected_path.exists() {
            if bless {
                let text = serde_json::to_string_pretty(&got).expect("pretty") + "\n";
                fs::write(&expected_path, text).expect("write expectation");
                continue;
            }
            failures.push(format!("{label}: no {EXPECTED} beside it"));
            continue;
        }
        let want: Value = serde_json::from_str(&fs::read_to_string(&expected_path).expect("read"))
            .unwrap_or_else(|e| panic!("{}: {e}", expected_path.display()));
        if got != want {
            failures.push(format!(
                "{label}:\n--- expected\n{}\n--- got\n{}",
                serde_json::to_string_pretty(&want).unwrap_or_default(),
                serde_json::to_string_pretty(&got).unwrap_or_default()
            ));
        }
    }
    assert!(
        failures.is_empty(),
        "{} fixture(s) differ:\n{}",
        failures.len(),
        failures.join("\n\n")
    );
    // Every format has at least one fixture.
    let missing: Vec<&str> = ManifestKind::ALL
        .iter()
        .filter(|k| !kinds_seen.contains(k))
        .map(|k| k.slug())
        .collect();
    assert!(missing.is_empty(), "formats without fixtures: {missing:?}");
}

#[test]
fn fixtures_parse_without_errors_except_named_bad_cases() {
    // A case named `bad-*` must fail; every other case must parse.
    for (kind, label, path) in cases() {
        let bytes = fs::read(&path).expect("read fixture");
        let result = parse_manifest_with_notes(kind, &label, &bytes);
        let name = path
            .file_name()
            .and_then(|n| n.to_str())
            .unwrap_or_default();
        if name.starts_with("bad-") {
            let err = result.expect_err(&label);
            assert_eq!(err.file, label, "the error names the file");
        } else {
            let out = result.unwrap_or_else(|e| panic!("{e}"));
            assert!(
                !out.components.is_empty() || name.starts_with("empty"),
                "{label}: no components"
            );
            for c in &out.components {
                assert_eq!(c.source, label);
                assert_eq!(c.ecosystem, kind.ecosystem());
                assert!(
                    c.purl
                        .starts_with(&format!("pkg:{}/", c.ecosystem.purl_type())),
                    "{}",
                    c.purl
                );
            }
        }
    }
}

#[test]
fn file_names_of_real_layouts_are_recognised() {
    // The fixtures keep their case names; the real file names map back.
    for (name, slug) in [
        ("Cargo.lock", "cargo-lock"),
        ("package-lock.json", "package-lock"),
        ("npm-shrinkwrap.json", "npm-shrinkwrap"),
        ("yarn.lock", "yarn-lock"),
        ("pnpm-lock.yaml", "pnpm-lock"),
        ("bun.lock", "bun-lock"),
        ("requirements-dev.txt", "requirements"),
        ("poetry.lock", "poetry-lock"),
        ("Pipfile.lock", "pipfile-lock"),
        ("uv.lock", "uv-lock"),
        ("pdm.lock", "pdm-lock"),
        ("go.mod", "go-mod"),
        ("go.sum", "go-sum"),
        ("Gemfile.lock", "gemfile-lock"),
        ("composer.lock", "composer-lock"),
        ("pom.xml", "pom-xml"),
        ("gradle.lockfile", "gradle-lockfile"),
        ("build.gradle", "build-gradle"),
        ("build.gradle.kts", "build-gradle-kts"),
        ("packages.lock.json", "nuget-lock"),
        ("mix.lock", "mix-lock"),
        ("pubspec.lock", "pubspec-lock"),
        ("Package.resolved", "package-resolved"),
    ] {
        assert_eq!(
            manifest_kind(name).map(ManifestKind::slug),
            Some(slug),
            "{name}"
        );
    }
}
