//! `fcto audit` and `fcto osv` as a user runs them: a real git repository
//! made with the git program, the project's OSV data set, every output
//! format, stored audits per client, notes, diffs, and hostile trees.

mod common;

use std::path::{Path, PathBuf};
use std::process::Command;

use common::Fcto;
use serde_json::Value;

/// Planted in the test repository; must never appear in any output.
const AWS_KEY: &str = "AKIAZ7QW3RT5LBK2NV4X";
const DB_PASSWORD: &str = "s3cr3t-Hunter2-pw";

fn advisories() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../osv/tests/data/advisories")
}

fn git(dir: &Path, args: &[&str], author: (&str, &str), date: &str) {
    let out = Command::new("git")
        .arg("-C")
        .arg(dir)
        .args(["-c", "commit.gpgsign=false"])
        .args(args)
        .env("GIT_AUTHOR_NAME", author.0)
        .env("GIT_AUTHOR_EMAIL", author.1)
        .env("GIT_COMMITTER_NAME", author.0)
        .env("GIT_COMMITTER_EMAIL", author.1)
        .env("GIT_AUTHOR_DATE", date)
        .env("GIT_COMMITTER_DATE", date)
        .output()
        .expect("git runs");
    assert!(
        out.status.success(),
        "git {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
}

fn write(dir: &Path, path: &str, text: &str) {
    let p = dir.join(path);
    std::fs::create_dir_all(p.parent().expect("parent")).expect("mkdir");
    std::fs::write(p, text).expect("write");
}

const ANA: (&str, &str) = ("Ana Silva", "ana@example.com");
const SAM: (&str, &str) = ("Sam Carter", "sam@example.com");

/// A small Django shop: an old Django with a known hole, an AWS key and a
/// database password in settings, an end-of-life base image; two authors.
fn repo() -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("tmp");
    let d = dir.path();
    git(
        d,
        &["init", "-q", "-b", "main"],
        ANA,
        "2026-01-05T10:00:00Z",
    );
    write(d, "requirements.txt", "django==3.2.0\nrequests==2.31.0\n");
    write(
        d,
        "shop/settings.py",
        &format!(
            "# Settings\nDEBUG = False\nAWS_ACCESS_KEY_ID = \"{AWS_KEY}\"\nDATABASE_URL = \"postgres://shop:{DB_PASSWORD}@db.internal:5432/shop\"\n"
        ),
    );
    write(
        d,
        "Dockerfile",
        "FROM python:3.6-slim\nUSER app\nCMD [\"gunicorn\"]\n",
    );
    write(d, ".gitignore", "build/\n");
    write(d, "build/generated.py", "x = 1\n");
    git(d, &["add", "."], ANA, "2026-01-05T10:00:00Z");
    git(d, &["commit", "-qm", "Start"], ANA, "2026-01-05T10:00:00Z");
    for n in 0..12 {
        write(
            d,
            "shop/views.py",
            &format!("def index(request):\n    return {n}\n"),
        );
        let date = format!("2026-{:02}-10T10:00:00Z", 2 + n % 9);
        git(d, &["add", "."], SAM, &date);
        git(d, &["commit", "-qm", &format!("views {n}")], SAM, &date);
    }
    dir
}

fn setup() -> Fcto {
    let f = Fcto::new(None);
    f.json(&["init"]);
    f.json(&["client", "add", "Alpha Shop", "--tier", "growth"]);
    f.json(&["client", "add", "Beta Bakery", "--tier", "growth"]);
    f
}

fn stdout(out: &std::process::Output) -> String {
    String::from_utf8_lossy(&out.stdout).into_owned()
}

#[test]
fn audits_a_git_repo_with_vulnerabilities_secrets_and_history() {
    let f = setup();
    let imported = f.json(&["osv", "import", advisories().to_str().expect("utf-8")]);
    assert_eq!(imported["new"], 29, "{imported}");
    let again = f.json(&["osv", "import", advisories().to_str().expect("utf-8")]);
    assert_eq!(
        (again["new"].as_u64(), again["unchanged"].as_u64()),
        (Some(0), Some(29))
    );
    let status = f.json(&["osv", "status"]);
    assert_eq!(status["advisories"], 29);

    let repo = repo();
    let path = repo.path().to_str().expect("utf-8");
    let audit = f.json(&["audit", path, "--client", "alpha-shop", "--format", "json"]);

    let languages: Vec<&str> = audit["languages"]["rows"]
        .as_array()
        .expect("languages")
        .iter()
        .filter_map(|l| l["language"].as_str())
        .collect();
    assert!(languages.contains(&"Python"), "{languages:?}");
    // .gitignore is honoured: build/ is not read.
    let text = audit.to_string();
    assert!(!text.contains("generated.py"), "ignored file audited");

    let purls: Vec<&str> = audit["dependencies"]["components"]
        .as_array()
        .expect("components")
        .iter()
        .filter_map(|c| c["purl"].as_str())
        .collect();
    assert!(purls.contains(&"pkg:pypi/django@3.2.0"), "{purls:?}");

    let vulns: Vec<&str> = audit["vulnerabilities"]["findings"]
        .as_array()
        .expect("vulnerabilities")
        .iter()
        .filter_map(|v| v["id"].as_str())
        .collect();
    assert!(vulns.contains(&"PYSEC-2023-100"), "django 3.2.0: {vulns:?}");
    // requests 2.31.0 is the fixed version of GHSA-j8r2-6x86-q33q.
    assert!(!vulns.contains(&"GHSA-j8r2-6x86-q33q"), "{vulns:?}");

    let secrets: Vec<(&str, u64)> = audit["secrets"]["findings"]
        .as_array()
        .expect("secrets")
        .iter()
        .map(|s| {
            (
                s["path"].as_str().unwrap_or(""),
                s["line"].as_u64().unwrap_or(0),
            )
        })
        .collect();
    assert!(secrets.contains(&("shop/settings.py", 3)), "{secrets:?}");
    assert!(secrets.contains(&("shop/settings.py", 4)), "{secrets:?}");

    let history = &audit["history"][0]["summary"];
    assert_eq!(history["commits"], 13, "{history}");
    assert_eq!(history["authors"].as_array().map(Vec::len), Some(2));
    let hotspot = &audit["history"][0]["hotspots"][0];
    assert_eq!(hotspot["path"], "shop/views.py", "{hotspot}");

    let risks: Vec<&str> = audit["risks"]
        .as_array()
        .expect("risks")
        .iter()
        .filter_map(|r| r["category"].as_str())
        .collect();
    assert!(risks.contains(&"secrets"), "{risks:?}");
    assert!(risks.contains(&"dependencies"), "{risks:?}");

    // Secrets never leave redacted, in any format.
    for format in ["md", "html", "json", "cyclonedx", "sarif"] {
        let out = f.run(&["audit", path, "--format", format]);
        assert!(
            out.status.success(),
            "{format}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        let body = stdout(&out);
        assert!(!body.is_empty(), "{format}: empty");
        assert!(!body.contains(AWS_KEY), "{format} leaks the AWS key");
        assert!(!body.contains(DB_PASSWORD), "{format} leaks the password");
        if format == "md" {
            // Commits and authors over time, from the real history.
            assert!(body.contains("| 2026-01 | 1 | 1 |"), "{body}");
            assert!(body.contains("| 2026-02 | 2 | 1 |"), "{body}");
        }
        if format != "md" && format != "html" {
            serde_json::from_str::<Value>(&body).unwrap_or_else(|e| panic!("{format}: {e}"));
        }
    }
    assert!(!text.contains(AWS_KEY) && !text.contains(DB_PASSWORD));

    // --fail-on turns risks into exit code 4; without it, 0.
    let out = f.run(&["audit", path, "--no-history", "--fail-on", "high"]);
    assert_eq!(out.status.code(), Some(4));
}

#[test]
fn reports_written_to_files_and_stored_audits_per_client() {
    let f = setup();
    let repo = repo();
    let path = repo.path().to_str().expect("utf-8");
    for (format, name) in [
        ("md", "audit.md"),
        ("html", "audit.html"),
        ("json", "audit.json"),
        ("cyclonedx", "bom.json"),
        ("sarif", "audit.sarif"),
    ] {
        let out = f.path(name);
        let written = f.json(&[
            "audit",
            path,
            "--format",
            format,
            "--out",
            out.to_str().expect("utf-8"),
            "--no-history",
        ]);
        assert_eq!(written["format"], format);
        let body = std::fs::read_to_string(&out).expect("report written");
        match format {
            "html" => assert!(body.starts_with("<!DOCTYPE html>")),
            "md" => assert!(body.starts_with("# Technology audit")),
            "cyclonedx" => {
                let bom: Value = serde_json::from_str(&body).expect("JSON");
                assert_eq!(bom["bomFormat"], "CycloneDX");
            }
            "sarif" => {
                let sarif: Value = serde_json::from_str(&body).expect("JSON");
                assert_eq!(sarif["version"], "2.1.0");
            }
            _ => {
                let audit: Value = serde_json::from_str(&body).expect("JSON");
                assert_eq!(audit["schema_version"], 1);
            }
        }
    }

    // Two audits of Alpha, with a fix in between; a note; nothing of Alpha
    // shows up for Beta.
    let first = f.json(&["audit", path, "--client", "alpha-shop", "--format", "json"]);
    assert!(first["secrets"]["findings"]
        .as_array()
        .is_some_and(|s| !s.is_empty()));
    write(
        repo.path(),
        "shop/settings.py",
        "# Settings\nDEBUG = False\n",
    );
    write(
        repo.path(),
        "Dockerfile",
        "FROM python:3.12-slim\nUSER app\n",
    );
    git(
        repo.path(),
        &["commit", "-qam", "Remove secrets"],
        ANA,
        "2026-11-01T10:00:00Z",
    );
    f.json(&[
        "audit",
        "note",
        "alpha-shop",
        "--section",
        "vendors",
        "Stripe and Xero, both on monthly plans",
    ]);
    f.json(&["audit", path, "--client", "alpha-shop", "--format", "json"]);

    let list = f.json(&["audit", "list", "alpha-shop"]);
    assert_eq!(list.as_array().map(Vec::len), Some(2), "{list}");
    let diff = f.json(&["audit", "diff", "alpha-shop"]);
    let diff_text = diff.to_string();
    assert!(
        diff_text.contains("settings.py"),
        "the removed secrets: {diff}"
    );
    let text = stdout(&f.run(&["audit", "diff", "alpha-shop"]));
    assert!(text.to_lowercase().contains("secret"), "{text}");

    let shown = stdout(&f.run(&["audit", "show", "alpha-shop"]));
    assert!(
        shown.contains("Stripe and Xero"),
        "the note is in the report"
    );
    let older = f.json(&[
        "audit",
        "show",
        "alpha-shop",
        "--id",
        &list[0]["id"].to_string(),
    ]);
    assert!(older["secrets"]["findings"]
        .as_array()
        .is_some_and(|s| !s.is_empty()));

    // Isolation: Beta has no audits and none of Alpha's notes.
    assert_eq!(
        f.json(&["audit", "list", "beta-bakery"]),
        Value::Array(vec![])
    );
    assert_eq!(
        f.json(&["audit", "notes", "beta-bakery"]),
        Value::Array(vec![])
    );
    f.fails(&["audit", "diff", "beta-bakery"], 1, "needs two");
    let beta = stdout(&f.run(&["audit", path, "--client", "beta-bakery"]));
    assert!(
        !beta.contains("Stripe and Xero"),
        "Alpha's note in Beta's report"
    );
    f.fails(
        &[
            "audit",
            "show",
            "beta-bakery",
            "--id",
            &list[0]["id"].to_string(),
        ],
        1,
        "",
    );

    // Bad input: a clear error, the exit code of a user error.
    f.fails(&["audit", path, "--format", "pdf"], 1, "pdf");
    f.fails(&["audit", "/no/such/folder"], 1, "no such file or folder");
    f.fails(&["audit", path, "--client", "nobody"], 1, "nobody");
    f.fails(
        &["audit", "note", "alpha-shop", "--section", "gossip", "x"],
        1,
        "gossip",
    );
}

#[test]
fn osv_import_is_all_or_nothing_with_the_file_and_line() {
    let f = setup();
    let dir = tempfile::tempdir().expect("tmp");
    for name in ["GHSA-p6mc-m468-83gw.json", "PYSEC-2023-100.json"] {
        std::fs::copy(advisories().join(name), dir.path().join(name)).expect("copy");
    }
    write(
        dir.path(),
        "zz-broken.json",
        "{\"id\": \"X-1\", \"modified\": \n",
    );
    let out = f.run(&["osv", "import", dir.path().to_str().expect("utf-8")]);
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{err}");
    assert!(
        err.contains("zz-broken.json") && err.contains("line 2"),
        "{err}"
    );
    assert!(err.contains("nothing was imported"), "{err}");
    assert_eq!(f.json(&["osv", "status"])["advisories"], 0);

    let wrong = dir.path().join("wrong.json");
    std::fs::write(&wrong, "{\"id\": \"X-2\", \"modified\": 7}").expect("write");
    f.fails(
        &["osv", "import", wrong.to_str().expect("utf-8")],
        1,
        "modified",
    );
    f.fails(&["osv", "import", "/no/such.zip"], 1, "/no/such.zip");
    assert_eq!(f.json(&["osv", "status"])["advisories"], 0);
}

#[test]
fn hostile_trees_are_warnings_and_the_audit_completes() {
    let f = setup();
    let dir = tempfile::tempdir().expect("tmp");
    let d = dir.path();
    write(d, "app.py", "print('fine')\n");
    write(d, "requirements.txt", "flask==2.0.0\n");
    // Truncated and malformed lockfiles.
    write(
        d,
        "package-lock.json",
        "{\"lockfileVersion\": 3, \"packages\": {\"\": {",
    );
    write(d, "sub/Cargo.lock", "[[package]]\nname = \"x\"\nversion = ");
    // Deeply nested JSON and billion-laughs YAML.
    let nested = "[".repeat(200_000) + &"]".repeat(200_000);
    write(d, "deep/composer.lock", &nested);
    let laughs =
        "a: &a [\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\"]\n\
b: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]\nc: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]\n\
d: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]\ne: &e [*d,*d,*d,*d,*d,*d,*d,*d,*d]\n\
f: &f [*e,*e,*e,*e,*e,*e,*e,*e,*e]\ng: &g [*f,*f,*f,*f,*f,*f,*f,*f,*f]\n\
h: &h [*g,*g,*g,*g,*g,*g,*g,*g,*g]\ni: &i [*h,*h,*h,*h,*h,*h,*h,*h,*h]\n";
    write(d, "laughs/pnpm-lock.yaml", laughs);
    write(d, "laughs/docker-compose.yml", laughs);
    // Binary with a source name, and a 100 MB file (sparse: quick to make).
    std::fs::write(d.join("blob.js"), [0u8, 159, 146, 150, 0, 1, 2, 3]).expect("write");
    let huge = std::fs::File::create(d.join("huge.sql")).expect("create");
    huge.set_len(100 * 1024 * 1024).expect("100 MB");
    // A symlink loop, a dangling link, a name that is not UTF-8.
    std::os::unix::fs::symlink(d.join("loop"), d.join("loop")).expect("symlink");
    std::os::unix::fs::symlink("..", d.join("deep/up")).expect("symlink");
    std::os::unix::fs::symlink("/no/such/target", d.join("dangling.py")).expect("symlink");
    {
        use std::os::unix::ffi::OsStrExt;
        let name = std::ffi::OsStr::from_bytes(b"caf\xe9.py");
        std::fs::write(d.join(name), "x = 1\n").expect("non-UTF-8 name");
    }
    // Unreadable (only bites when not running as root).
    write(d, "locked/requirements.txt", "django==1.0\n");
    {
        use std::os::unix::fs::PermissionsExt;
        let locked = d.join("locked/requirements.txt");
        std::fs::set_permissions(&locked, std::fs::Permissions::from_mode(0o000)).expect("chmod");
    }

    let out = f.run(&["audit", d.to_str().expect("utf-8"), "--format", "json"]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let audit: Value = serde_json::from_slice(&out.stdout).expect("JSON");
    let warnings: Vec<String> = audit["warnings"]
        .as_array()
        .expect("warnings")
        .iter()
        .map(|w| format!("{}: {}", w["path"].as_str().unwrap_or(""), w["message"]))
        .collect();
    let warned = |file: &str| warnings.iter().any(|w| w.starts_with(file));
    for file in [
        "package-lock.json",
        "sub/Cargo.lock",
        "deep/composer.lock",
        "laughs/pnpm-lock.yaml",
        "huge.sql",
    ] {
        assert!(warned(file), "no warning for {file}: {warnings:#?}");
    }
    // The rest of the audit completed: the good manifest and source counted.
    let purls = audit["dependencies"]["components"].to_string();
    assert!(purls.contains("pkg:pypi/flask@2.0.0"), "{purls}");
    assert!(audit["languages"].to_string().contains("Python"));
}
