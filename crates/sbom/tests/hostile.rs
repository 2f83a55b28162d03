//! Bad input for every parser: truncated fixtures, random bytes, NUL bytes,
//! invalid UTF-8, 100k-deep nesting, billion-laughs YAML and huge files.
//! Each gives components or a `ParseError` naming the file; none panics or
//! hangs.

mod support;

use std::fs;
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use fcto_sbom::{parse_manifest, Component, ManifestKind, ParseError};
use support::generate;

fn fixtures() -> Vec<(ManifestKind, PathBuf)> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures");
    let mut out = Vec::new();
    for kind in ManifestKind::ALL {
        let dir = root.join(kind.slug());
        let Ok(entries) = fs::read_dir(&dir) else {
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
            if !name.ends_with(".expected.json") && !name.starts_with("bad-") {
                out.push((kind, file));
            }
        }
    }
    out
}

/// Parses, turning a panic into a test failure that names the case.
fn parse_or_fail(
    kind: ManifestKind,
    label: &str,
    bytes: &[u8],
) -> Result<Vec<Component>, ParseError> {
    match catch_unwind(AssertUnwindSafe(|| parse_manifest(kind, label, bytes))) {
        Ok(result) => result,
        Err(_) => panic!(
            "{} parser panicked on {label} ({} bytes)",
            kind.slug(),
            bytes.len()
        ),
    }
}

fn assert_names_file(err: &ParseError, label: &str) {
    assert_eq!(err.file, label);
    assert!(err.to_string().starts_with(label), "{err}");
    assert!(!err.message.is_empty(), "{label}: empty message in {err:?}");
}

#[test]
fn truncated_fixtures_give_an_error_or_at_most_the_cut_entry_more() {
    let mut cuts = 0;
    for (kind, path) in fixtures() {
        let bytes = fs::read(&path).expect("read");
        let full = parse_manifest(kind, "full", &bytes)
            .expect("fixture parses")
            .len();
        // Every line end, and about 300 other points.
        let step = (bytes.len() / 300).max(1);
        let points = (0..bytes.len()).filter(|&i| i % step == 0 || bytes.get(i) == Some(&b'\n'));
        for at in points {
            let head = bytes.get(..at).unwrap_or_default();
            let label = format!("{}@{at}", path.display());
            match parse_or_fail(kind, &label, head) {
                // The cut line may itself read as an entry (`https://x` cut
                // to `htt` is a package name), never more than that one.
                Ok(components) => assert!(
                    components.len() <= full + 1,
                    "{label}: {} components from a prefix, {full} from the whole",
                    components.len()
                ),
                Err(e) => assert_names_file(&e, &label),
            }
            cuts += 1;
        }
    }
    assert!(cuts > 10_000, "only {cuts} truncations tried");
}

/// xorshift64*: deterministic noise without a dependency.
fn noise(seed: u64, len: usize) -> Vec<u8> {
    let mut state = seed | 1;
    (0..len)
        .map(|_| {
            state ^= state >> 12;
            state ^= state << 25;
            state ^= state >> 27;
            (state.wrapping_mul(0x2545_F491_4F6C_DD1D) >> 56) as u8
        })
        .collect()
}

#[test]
fn random_bytes_and_mutated_fixtures_never_panic() {
    for kind in ManifestKind::ALL {
        for seed in 1..40u64 {
            let bytes = noise(seed * 7919, (seed as usize * 97) % 4096);
            if let Err(e) = parse_or_fail(kind, "noise", &bytes) {
                assert_names_file(&e, "noise");
            }
            // Printable noise gets past the UTF-8 check into the parsers.
            const ALPHABET: &[u8] = b" \n\t{}[]()\"':,=@/#.-_aZ09";
            let printable: Vec<u8> = bytes
                .iter()
                .map(|b| {
                    ALPHABET
                        .get(usize::from(*b) % ALPHABET.len())
                        .copied()
                        .unwrap_or(b' ')
                })
                .collect();
            let _ = parse_or_fail(kind, "printable", &printable);
        }
    }
    // Fixtures with bytes flipped keep their shape but break in odd places.
    for (kind, path) in fixtures() {
        let original = fs::read(&path).expect("read");
        for seed in 1..25u64 {
            let mut bytes = original.clone();
            let flips = noise(seed, 8);
            for pair in flips.chunks(2) {
                if let [at, value] = pair {
                    let len = bytes.len().max(1);
                    if let Some(b) = bytes.get_mut(usize::from(*at) * len / 256) {
                        const BREAKERS: &[u8] = b"{}[]\":,\n -\\";
                        *b = BREAKERS
                            .get(usize::from(*value) % BREAKERS.len())
                            .copied()
                            .unwrap_or(b' ');
                    }
                }
            }
            let _ = parse_or_fail(kind, "mutated", &bytes);
        }
    }
}

#[test]
fn binary_and_invalid_utf8_are_typed_errors_with_lines() {
    for kind in ManifestKind::ALL {
        let err = parse_manifest(kind, "bin/lock", b"first line\nsecond\0line\n").expect_err("NUL");
        assert_eq!(err.line, Some(2), "{err}");
        assert!(err.message.contains("binary"), "{err}");
        let err = parse_manifest(kind, "bad/utf8", b"ok\nstill ok\nbad \xff\xfe here\n")
            .expect_err("UTF-8");
        assert_eq!(
            (err.file.as_str(), err.line),
            ("bad/utf8", Some(3)),
            "{err}"
        );
        assert!(err.message.contains("UTF-8"), "{err}");
    }
}

/// Text nested `depth` deep in the syntax of each format.
fn deeply_nested(kind: ManifestKind, depth: usize) -> String {
    let repeat = |open: &str, close: &str| format!("{}{}", open.repeat(depth), close.repeat(depth));
    match kind {
        ManifestKind::PackageLock
        | ManifestKind::NpmShrinkwrap
        | ManifestKind::BunLock
        | ManifestKind::PipfileLock
        | ManifestKind::ComposerLock
        | ManifestKind::NugetLock
        | ManifestKind::PackageResolved => format!(
            "{{\"packages\": {}, \"dependencies\": 1}}",
            repeat("{\"a\":", "}").replace("::", ":")
        )
        .replacen("{\"a\":}", "{\"a\":1}", 1),
        ManifestKind::PnpmLock | ManifestKind::YarnLock | ManifestKind::PubspecLock => {
            format!(
                "__metadata:\n  version: 8\npackages: {}\n",
                repeat("[", "]")
            )
        }
        ManifestKind::CargoLock
        | ManifestKind::PoetryLock
        | ManifestKind::UvLock
        | ManifestKind::PdmLock => format!("x = {}\n", repeat("[", "]")),
        ManifestKind::PomXml => format!("<project>{}</project>", repeat("<a>", "</a>")),
        ManifestKind::MixLock => format!("%{{\"a\": {}}}", repeat("{", "}")),
        ManifestKind::BuildGradle | ManifestKind::BuildGradleKts => {
            format!("dependencies {{\n{}\n}}\n", repeat("{", "}"))
        }
        ManifestKind::Requirements
        | ManifestKind::GoMod
        | ManifestKind::GoSum
        | ManifestKind::GemfileLock
        | ManifestKind::GradleLockfile => repeat("(", ")"),
    }
}

#[test]
fn hundred_thousand_deep_nesting_is_refused_fast_without_overflow() {
    for kind in ManifestKind::ALL {
        let text = deeply_nested(kind, 100_000);
        let started = Instant::now();
        let result = parse_or_fail(kind, "deep", text.as_bytes());
        let took = started.elapsed();
        assert!(took < Duration::from_secs(5), "{}: {took:?}", kind.slug());
        match result {
            Err(e) => assert_names_file(&e, "deep"),
            Ok(components) => assert!(components.is_empty(), "{}: {components:?}", kind.slug()),
        }
    }
}

#[test]
fn deep_json_in_an_ignored_field_still_parses() {
    // Unknown fields are skipped without recursion limits getting in the way
    // of real files, but a bomb in them is still refused.
    let nested = format!("{}1{}", "[".repeat(100_000), "]".repeat(100_000));
    let text = format!("{{\"lockfileVersion\": 3, \"extra\": {nested}, \"packages\": {{}}}}");
    match parse_manifest(ManifestKind::PackageLock, "deep-extra", text.as_bytes()) {
        Ok(c) => assert!(c.is_empty()),
        Err(e) => assert_names_file(&e, "deep-extra"),
    }
}

fn billion_laughs(root: &str) -> String {
    let mut doc = String::from(
        "a: &a [\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\"]\n",
    );
    let names = ["a", "b", "c", "d", "e", "f", "g", "h", "i"];
    for pair in names.windows(2) {
        if let [prev, next] = pair {
            let refs = vec![format!("*{prev}"); 9].join(",");
            doc.push_str(&format!("{next}: &{next} [{refs}]\n"));
        }
    }
    doc.push_str(root);
    doc
}

#[test]
fn billion_laughs_yaml_is_refused_quickly() {
    for kind in [
        ManifestKind::PnpmLock,
        ManifestKind::YarnLock,
        ManifestKind::PubspecLock,
    ] {
        for root in [
            "",
            "packages: *i\n",
            "__metadata: *i\nimporters:\n  .:\n    dependencies: *i\n",
        ] {
            let doc = format!("lockfileVersion: '9.0'\n{}", billion_laughs(root));
            let doc = if kind == ManifestKind::YarnLock {
                format!(
                    "__metadata:\n  version: 8\n{}",
                    billion_laughs(root).replace("__metadata: *i\n", "")
                )
            } else {
                doc
            };
            let started = Instant::now();
            let result = parse_or_fail(kind, "laughs", doc.as_bytes());
            assert!(
                started.elapsed() < Duration::from_secs(2),
                "{}: {:?}",
                kind.slug(),
                started.elapsed()
            );
            if let Err(e) = result {
                assert_names_file(&e, "laughs");
            }
        }
    }
}

fn assert_parses_in(kind: ManifestKind, text: &str, packages: usize, limit: Duration) {
    let started = Instant::now();
    let components = parse_manifest(kind, "huge", text.as_bytes()).expect("huge file parses");
    let took = started.elapsed();
    assert_eq!(components.len(), packages, "{}", kind.slug());
    let mb = text.len() as f64 / 1e6;
    eprintln!(
        "{}: {mb:.1} MB, {packages} packages in {took:?} ({:.0} MB/s, debug build)",
        kind.slug(),
        mb / took.as_secs_f64()
    );
    assert!(took < limit, "{}: {mb:.1} MB took {took:?}", kind.slug());
}

#[test]
fn fifty_megabyte_package_lock_parses_in_reasonable_time() {
    let (text, packages) = generate::package_lock(50_000_000);
    assert_parses_in(
        ManifestKind::PackageLock,
        &text,
        packages,
        Duration::from_secs(60),
    );
}

#[test]
fn large_cargo_lock_requirements_and_pnpm_lock_parse() {
    let (text, packages) = generate::cargo_lock(10_000_000);
    assert_parses_in(
        ManifestKind::CargoLock,
        &text,
        packages,
        Duration::from_secs(60),
    );
    let (text, packages) = generate::requirements(20_000_000);
    assert_parses_in(
        ManifestKind::Requirements,
        &text,
        packages,
        Duration::from_secs(60),
    );
    let (text, packages) = generate::pnpm_lock(10_000_000);
    assert_parses_in(
        ManifestKind::PnpmLock,
        &text,
        packages,
        Duration::from_secs(60),
    );
}
