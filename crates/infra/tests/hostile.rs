//! Bad input for every parser: malformed, truncated, binary, invalid UTF-8,
//! huge, deeply nested, alias bombs. Each gives a typed error naming the
//! file (and line where the format knows it) quickly; nothing panics.

use std::fs;
use std::path::Path;
use std::time::{Duration, Instant};

use fcto_infra::{parse, InfraError, InfraKind, MAX_FILE_BYTES};

const YAML_KINDS: [InfraKind; 14] = [
    InfraKind::Compose,
    InfraKind::Kubernetes,
    InfraKind::HelmChart,
    InfraKind::HelmValues,
    InfraKind::GithubActions,
    InfraKind::GitlabCi,
    InfraKind::CircleCi,
    InfraKind::Bitbucket,
    InfraKind::AzurePipelines,
    InfraKind::Serverless,
    InfraKind::Render,
    InfraKind::AppEngine,
    InfraKind::HelmTemplate,
    InfraKind::Procfile,
];

fn quick<T>(what: &str, f: impl FnOnce() -> T) -> T {
    let start = Instant::now();
    let out = f();
    assert!(
        start.elapsed() < Duration::from_secs(3),
        "{what} took {:?}",
        start.elapsed()
    );
    out
}

#[test]
fn binary_invalid_utf8_and_huge_files_are_refused_by_every_parser() {
    for kind in InfraKind::ALL {
        let e = parse(kind, "bin", b"a: 1\nb\0c\n").unwrap_err();
        assert_eq!(
            e,
            InfraError::Binary {
                file: "bin".into(),
                line: fcto_infra::Line(Some(2))
            },
            "{kind:?}"
        );
        let e = parse(kind, "latin1", b"name: caf\xe9\n").unwrap_err();
        assert!(
            matches!(e, InfraError::NotUtf8 { offset: 9, .. }),
            "{kind:?}: {e}"
        );
        let huge = vec![b' '; MAX_FILE_BYTES + 1];
        let e = parse(kind, "huge", &huge).unwrap_err();
        assert!(matches!(e, InfraError::TooLarge { .. }), "{kind:?}: {e}");
        assert!(e.to_string().starts_with("huge: "), "{e}");
    }
}

#[test]
fn malformed_files_name_file_and_line() {
    let cases: &[(InfraKind, &str, u32)] = &[
        (
            InfraKind::Compose,
            "services:\n  web:\n    image: [unclosed\n",
            4,
        ),
        (
            InfraKind::Kubernetes,
            "apiVersion: v1\nkind: Pod\n---\nmetadata: {name: x\n",
            5,
        ),
        (
            InfraKind::GithubActions,
            "jobs:\n  a:\n   b: 1\n  c: 2\n d: 3\n",
            5,
        ),
        (
            InfraKind::Terraform,
            "resource \"a\" \"b\" {\n  x = \"unterminated\n}\n",
            2,
        ),
        (InfraKind::Fly, "app = \"x\"\n[http_service\n", 2),
        (InfraKind::Netlify, "[build]\ncommand = \n", 2),
        (InfraKind::Vercel, "{\n  \"regions\": [\"lhr1\",\n}\n", 3),
        (
            InfraKind::HerokuApp,
            "{\"name\": \"x\",\n\"addons\": ]\n",
            2,
        ),
        (InfraKind::Procfile, "web: ok\nthis line has no colon\n", 2),
    ];
    for (kind, text, line) in cases {
        let e = parse(*kind, "f", text.as_bytes()).unwrap_err();
        assert_eq!(e.file(), "f");
        assert_eq!(e.line(), Some(*line), "{kind:?}: {e}");
    }
    let e = parse(
        InfraKind::Dockerfile,
        "Dockerfile",
        b"# only a comment\nRUN echo hi\n",
    )
    .unwrap_err();
    assert!(
        matches!(e, InfraError::Field { ref field, .. } if field == "FROM"),
        "{e}"
    );
    let e = parse(
        InfraKind::HelmChart,
        "Chart.yaml",
        b"apiVersion: v2\nversion: 1.0.0\n",
    )
    .unwrap_err();
    assert!(
        matches!(e, InfraError::Field { ref field, .. } if field == "name"),
        "{e}"
    );
}

#[test]
fn billion_laughs_fails_fast() {
    let mut bomb = String::from(
        "a: &a [\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\"]\n",
    );
    for (i, c) in ('b'..='j').enumerate() {
        let prev = (b'a' + i as u8) as char;
        bomb.push_str(&format!(
            "{c}: &{c} [*{prev},*{prev},*{prev},*{prev},*{prev},*{prev},*{prev},*{prev},*{prev}]\n"
        ));
    }
    for kind in YAML_KINDS {
        if matches!(kind, InfraKind::HelmTemplate | InfraKind::Procfile) {
            continue; // read as text, never expanded
        }
        let r = quick("billion laughs", || {
            parse(kind, "bomb.yaml", bomb.as_bytes())
        });
        assert!(r.is_err(), "{kind:?} accepted an alias bomb");
    }
    // A quadratic fan-out: one big anchored list aliased many times.
    let mut fan = String::from("base: &b [");
    fan.push_str(&"1,".repeat(20_000));
    fan.push_str("1]\nmany: [");
    fan.push_str(&"*b,".repeat(20_000));
    fan.push_str("*b]\n");
    let e = quick("alias fan", || {
        parse(InfraKind::Compose, "fan.yaml", fan.as_bytes())
    })
    .unwrap_err();
    assert!(
        matches!(
            e,
            InfraError::YamlExpansion { .. } | InfraError::Yaml { .. }
        ),
        "{e}"
    );
}

#[test]
fn deep_nesting_fails_fast() {
    let flow = "[".repeat(100_000);
    let block: String = (0..100_000)
        .map(|i| format!("{}k:\n", " ".repeat(i % 200)))
        .collect();
    let seqs: String = (0..10_000)
        .map(|i| format!("{}-\n", " ".repeat(i)))
        .collect();
    for kind in YAML_KINDS {
        if matches!(kind, InfraKind::HelmTemplate | InfraKind::Procfile) {
            continue;
        }
        for (what, text) in [("flow", &flow), ("block", &block), ("seqs", &seqs)] {
            let r = quick(what, || parse(kind, "deep.yaml", text.as_bytes()));
            if let Ok(facts) = &r {
                // Block text that parses is fine as long as it is quick.
                assert!(facts.len() < 10, "{kind:?} {what}");
            }
        }
        let e = quick("flow", || parse(kind, "deep.yaml", flow.as_bytes())).unwrap_err();
        assert!(
            matches!(e, InfraError::TooDeep { .. } | InfraError::Yaml { .. }),
            "{kind:?}: {e}"
        );
    }
    let json = format!("{{\"a\":{}", "[".repeat(100_000));
    for kind in [InfraKind::Vercel, InfraKind::HerokuApp, InfraKind::Railway] {
        let label = if kind == InfraKind::Railway {
            "railway.json"
        } else {
            "x.json"
        };
        assert!(
            quick("json", || parse(kind, label, json.as_bytes())).is_err(),
            "{kind:?}"
        );
    }
    let toml = format!("a = {}", "[".repeat(100_000));
    for kind in [InfraKind::Fly, InfraKind::Netlify] {
        assert!(
            quick("toml", || parse(kind, "x.toml", toml.as_bytes())).is_err(),
            "{kind:?}"
        );
    }
    let toml_tables = format!("a = {}", "{b = ".repeat(100_000));
    assert!(quick("toml tables", || parse(
        InfraKind::Fly,
        "x.toml",
        toml_tables.as_bytes()
    ))
    .is_err());
    let hcl = format!("x = {}", "{a = ".repeat(100_000));
    assert!(quick("hcl", || parse(
        InfraKind::Terraform,
        "x.tf",
        hcl.as_bytes()
    ))
    .is_err());
}

/// Every fixture cut short at many points, and with bytes overwritten, must
/// parse or fail cleanly: never panic.
#[test]
fn truncated_and_mangled_fixtures_never_panic() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures");
    let mut runs = 0;
    for kind in InfraKind::ALL {
        let dir = root.join(serde_json::to_value(kind).unwrap().as_str().unwrap());
        for f in fs::read_dir(&dir).unwrap().flatten() {
            let name = f.file_name().to_string_lossy().to_string();
            if name.ends_with(".expected.json") {
                continue;
            }
            let bytes = fs::read(f.path()).unwrap();
            let step = (bytes.len() / 40).max(1);
            for cut in (0..bytes.len()).step_by(step) {
                let _ = parse(kind, &name, &bytes[..cut]);
                let mut mangled = bytes.clone();
                for b in mangled.iter_mut().skip(cut).step_by(97) {
                    *b = b"{[:\"'-&*!|>#\n"[cut % 13];
                }
                let _ = parse(kind, &name, &mangled);
                runs += 2;
            }
        }
    }
    assert!(runs > 1000, "{runs}");
}
