//! `fcto review` on real git repositories built per test.

mod common;

use std::path::Path;
use std::process::Command;

use common::Fcto;
use serde_json::Value;

fn git(dir: &Path, args: &[&str]) {
    let out = Command::new("git")
        .arg("-C")
        .arg(dir)
        .args(["-c", "user.email=dev@example.com", "-c", "user.name=Dev"])
        .args(args)
        .output()
        .expect("run git");
    assert!(
        out.status.success(),
        "git {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
}

fn write(dir: &Path, path: &str, text: &str) {
    let full = dir.join(path);
    std::fs::create_dir_all(full.parent().expect("parent")).expect("mkdir");
    std::fs::write(full, text).expect("write");
}

const OLD_PY: &str = "import requests\n\ndef old():\n    return requests.get('https://api.old-vendor.io/x')\n\n\ndef ok():\n    return 1\n";

/// main: one table and a Python file with an old problem; feature: a risky
/// migration and one changed line in the Python file.
fn repo() -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("tmp");
    let root = dir.path();
    git(root, &["init", "-q", "-b", "main"]);
    write(
        root,
        "db/001_orders.sql",
        "CREATE TABLE orders (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, total bigint);\n",
    );
    write(root, "app/client.py", OLD_PY);
    git(root, &["add", "."]);
    git(root, &["commit", "-qm", "init"]);
    git(root, &["checkout", "-qb", "feature"]);
    write(
        root,
        "db/002_index.sql",
        "SET lock_timeout = '2s';\nCREATE INDEX orders_total ON orders (total);\n",
    );
    write(
        root,
        "app/client.py",
        &OLD_PY.replace(
            "    return 1\n",
            "    return requests.post('https://api.new-vendor.io/y', json={})\n",
        ),
    );
    git(root, &["add", "."]);
    git(root, &["commit", "-qm", "feature"]);
    dir
}

fn review(fcto: &Fcto, repo: &Path, extra: &[&str]) -> (Option<i32>, Value) {
    let mut args = vec![
        "review",
        "--repo",
        repo.to_str().expect("utf-8"),
        "--format",
        "json",
    ];
    args.extend_from_slice(extra);
    let out = fcto.run(&args);
    let value = serde_json::from_slice(&out.stdout).unwrap_or_else(|e| {
        panic!(
            "not JSON ({e}): {} / {}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        )
    });
    (out.status.code(), value)
}

fn rules_at(value: &Value) -> Vec<(String, String, u64)> {
    value["findings"]
        .as_array()
        .expect("findings")
        .iter()
        .map(|f| {
            (
                f["rule"].as_str().expect("rule").to_string(),
                f["path"].as_str().expect("path").to_string(),
                f["line"].as_u64().expect("line"),
            )
        })
        .collect()
}

#[test]
fn reviews_the_branch_against_main_and_only_changed_lines() {
    let dir = repo();
    let fcto = Fcto::new(None);
    let (code, value) = review(&fcto, dir.path(), &[]);
    assert_eq!(code, Some(4), "an error-level finding fails by default");
    let found = rules_at(&value);
    assert!(found.contains(&("index-not-concurrent".into(), "db/002_index.sql".into(), 2)));
    assert!(found.contains(&("http-no-timeout".into(), "app/client.py".into(), 8)));
    assert!(
        found
            .iter()
            .all(|(_, path, line)| !(path == "app/client.py" && *line == 4)),
        "the old call on an unchanged line is not this change's finding: {found:?}"
    );
    assert!(
        found.iter().all(|(_, path, _)| path != "db/001_orders.sql"),
        "files the branch did not touch are not reviewed"
    );
    assert_eq!(value["files_reviewed"], 2);

    // --fail-on never: same findings, exit 0; explicit base and head work.
    let (code, _) = review(&fcto, dir.path(), &["--fail-on", "never"]);
    assert_eq!(code, Some(0));
    let (code, same) = review(&fcto, dir.path(), &["--base", "main", "--head", "feature"]);
    assert_eq!(code, Some(4));
    assert_eq!(rules_at(&same), found);
}

#[test]
fn table_sizes_turn_a_blocking_index_from_note_to_error() {
    let dir = repo();
    let fcto = Fcto::new(None);
    let severity = |rows: &str| {
        let sizes = fcto.write(
            "sizes.csv",
            format!("table,rows\norders,{rows}\n").as_bytes(),
        );
        let (_, value) = review(&fcto, dir.path(), &["--table-sizes", &sizes]);
        let finding = value["findings"]
            .as_array()
            .expect("findings")
            .iter()
            .find(|f| f["rule"] == "index-not-concurrent")
            .cloned()
            .expect("index finding");
        (
            finding["severity"].as_str().expect("severity").to_string(),
            finding,
        )
    };
    let (small, _) = severity("100");
    assert_eq!(small, "note");
    let (big, finding) = severity("50000000");
    assert_eq!(big, "error");
    assert_eq!(finding["estimate"]["rows"], 50_000_000);
    assert!(
        finding["estimate"]["seconds_at_10x"].as_f64().expect("10x")
            > finding["estimate"]["seconds_today"]
                .as_f64()
                .expect("today")
    );

    let bad = fcto.write("bad.csv", b"table,rows\norders,many\n");
    fcto.fails(
        &[
            "review",
            "--repo",
            dir.path().to_str().expect("utf-8"),
            "--table-sizes",
            &bad,
        ],
        1,
        "bad.csv:2: rows",
    );
}

#[test]
fn github_review_comments_only_on_lines_of_the_diff() {
    let dir = repo();
    let fcto = Fcto::new(None);
    let out = fcto.run(&[
        "review",
        "--repo",
        dir.path().to_str().expect("utf-8"),
        "--format",
        "github",
        "--fail-on",
        "never",
    ]);
    assert_eq!(out.status.code(), Some(0));
    let body: Value = serde_json::from_slice(&out.stdout).expect("json");
    assert_eq!(body["event"], "REQUEST_CHANGES");
    assert_eq!(body["commit_id"].as_str().map(str::len), Some(40));
    let comments = body["comments"].as_array().expect("comments");
    assert!(!comments.is_empty());
    for c in comments {
        assert_eq!(c["side"], "RIGHT");
        let path = c["path"].as_str().expect("path");
        let line = c["line"].as_u64().expect("line");
        let ok = (path == "db/002_index.sql" && (1..=2).contains(&line))
            || (path == "app/client.py" && line == 8);
        assert!(ok, "comment outside the diff: {path}:{line}");
    }
}

#[test]
fn sarif_has_rules_results_and_locations() {
    let dir = repo();
    let fcto = Fcto::new(None);
    let out = fcto.run(&[
        "review",
        "--repo",
        dir.path().to_str().expect("utf-8"),
        "--format",
        "sarif",
    ]);
    assert_eq!(out.status.code(), Some(4));
    let sarif: Value = serde_json::from_slice(&out.stdout).expect("json");
    assert_eq!(sarif["version"], "2.1.0");
    let run = &sarif["runs"][0];
    let rules = run["tool"]["driver"]["rules"].as_array().expect("rules");
    let results = run["results"].as_array().expect("results");
    assert!(!results.is_empty());
    for r in results {
        let index = r["ruleIndex"].as_u64().expect("index") as usize;
        assert_eq!(rules[index]["id"], r["ruleId"]);
        assert!(["error", "warning", "note"].contains(&r["level"].as_str().expect("level")));
        let region = &r["locations"][0]["physicalLocation"]["region"];
        assert!(region["startLine"].as_u64().expect("line") >= 1);
    }
}

#[test]
fn worktree_all_and_files_modes() {
    let dir = repo();
    let root = dir.path();
    let fcto = Fcto::new(None);
    // Uncommitted and untracked work, and an ignored file that must not count.
    write(root, ".gitignore", "generated/\n");
    write(
        root,
        "db/003_drop.sql",
        "ALTER TABLE orders DROP COLUMN total;\n",
    );
    write(root, "generated/x.sql", "DROP TABLE orders;\n");
    let (_, value) = review(&fcto, root, &["--worktree"]);
    let found = rules_at(&value);
    assert!(found
        .iter()
        .any(|(rule, path, _)| rule == "drop-column" && path == "db/003_drop.sql"));
    assert!(found
        .iter()
        .all(|(_, path, _)| !path.starts_with("generated/")));

    let (_, all) = review(&fcto, root, &["--all"]);
    let found = rules_at(&all);
    assert!(found
        .iter()
        .any(|(_, path, line)| path == "app/client.py" && *line == 4));
    assert!(found
        .iter()
        .all(|(_, path, _)| !path.starts_with("generated/")));

    let file = root.join("db/002_index.sql");
    let out = fcto.run(&[
        "review",
        file.to_str().expect("utf-8"),
        "--fail-on",
        "warning",
    ]);
    assert_eq!(out.status.code(), Some(4));
    assert!(String::from_utf8_lossy(&out.stdout).contains("index-not-concurrent"));
}

#[test]
fn suppression_with_a_reason_silences_one_rule_and_config_disables_another() {
    let dir = tempfile::tempdir().expect("tmp");
    let root = dir.path();
    write(
        root,
        "m.sql",
        "SET lock_timeout = '2s';\n-- fcto:allow index-not-concurrent orders has 40 rows, forever\nCREATE INDEX a ON orders (x);\nCREATE INDEX b ON orders (y);\nCREATE TABLE t (name varchar(20));\n",
    );
    write(
        root,
        ".fcto/review.toml",
        "[rules.prefer-text]\nenabled = false\n",
    );
    let fcto = Fcto::new(None);
    let (_, value) = review(&fcto, root, &["--all"]);
    let found = rules_at(&value);
    assert_eq!(
        found,
        vec![("index-not-concurrent".to_string(), "m.sql".to_string(), 4)]
    );
    write(
        root,
        ".fcto/review.toml",
        "[rules.prefer-text]\nenabeld = false\n",
    );
    fcto.fails(
        &["review", "--all", "--repo", root.to_str().expect("utf-8")],
        1,
        "review.toml",
    );
}

#[test]
fn bad_input_is_a_clear_error_or_warning() {
    let fcto = Fcto::new(None);
    let plain = tempfile::tempdir().expect("tmp");
    fcto.fails(
        &["review", "--repo", plain.path().to_str().expect("utf-8")],
        1,
        "not a git repository",
    );
    let dir = repo();
    let repo = dir.path().to_str().expect("utf-8");
    fcto.fails(
        &["review", "--repo", repo, "--base", "no-such-rev"],
        1,
        "invalid revision",
    );
    fcto.fails(
        &["review", "--repo", repo, "--base=--output=/tmp/x"],
        1,
        "invalid revision",
    );
    fcto.fails(
        &["review", "--repo", repo, "--format", "xml"],
        1,
        "invalid format",
    );
    fcto.fails(
        &["review", "--repo", repo, "--fail-on", "loud"],
        1,
        "invalid --fail-on",
    );
    fcto.fails(
        &[
            "review",
            "--repo",
            repo,
            "--database-url",
            "postgres://nobody@127.0.0.1:1/x",
        ],
        1,
        "table sizes",
    );

    // A binary .sql file and an unparseable statement: warnings, the rest reviewed.
    write(dir.path(), "db/004_blob.sql", "\u{0}\u{1}binary");
    write(
        dir.path(),
        "db/005_mixed.sql",
        "SET lock_timeout = '2s';\nCREATE INDEX ((( garbage;\nALTER TABLE orders DROP COLUMN total;\n",
    );
    git(dir.path(), &["add", "."]);
    git(dir.path(), &["commit", "-qm", "bad"]);
    let (_, value) = review(&fcto, dir.path(), &[]);
    let warnings = value["not_reviewed"].as_array().expect("warnings");
    assert!(warnings.iter().any(|w| w["path"] == "db/004_blob.sql"));
    assert!(warnings
        .iter()
        .any(|w| w["path"] == "db/005_mixed.sql" && w["line"] == 2));
    assert!(rules_at(&value)
        .iter()
        .any(|(rule, path, line)| rule == "drop-column"
            && path == "db/005_mixed.sql"
            && *line == 3));
}

/// Table sizes read from a real PostgreSQL's catalog.
#[test]
fn table_sizes_from_a_live_postgresql() {
    let Ok(url) = std::env::var("FCTO_TEST_POSTGRES_URL") else {
        eprintln!("skipped: FCTO_TEST_POSTGRES_URL is not set (scripts/test sets it)");
        return;
    };
    let schema = format!("review_sizes_{}", std::process::id());
    let rt = tokio::runtime::Runtime::new().expect("runtime");
    rt.block_on(async {
        use sqlx::Connection;
        let mut conn = sqlx::PgConnection::connect(&url).await.expect("connect");
        for sql in [
            format!("DROP SCHEMA IF EXISTS {schema} CASCADE"),
            format!("CREATE SCHEMA {schema}"),
            format!("CREATE TABLE {schema}.big_orders (id bigint, total bigint)"),
            format!(
                "INSERT INTO {schema}.big_orders SELECT g, g FROM generate_series(1, 200000) g"
            ),
            format!("CREATE TABLE {schema}.tiny (id bigint)"),
            format!("INSERT INTO {schema}.tiny VALUES (1), (2)"),
            format!("ANALYZE {schema}.big_orders"),
            format!("ANALYZE {schema}.tiny"),
        ] {
            sqlx::query(&sql).execute(&mut conn).await.expect(&sql);
        }
    });
    let dir = tempfile::tempdir().expect("tmp");
    write(
        dir.path(),
        "m.sql",
        &format!(
            "SET lock_timeout = '2s';\nALTER TABLE {schema}.big_orders ALTER COLUMN total TYPE numeric;\nALTER TABLE {schema}.tiny ALTER COLUMN id TYPE numeric;\n"
        ),
    );
    let fcto = Fcto::new(None);
    let (_, value) = review(&fcto, dir.path(), &["--all", "--database-url", &url]);
    let findings = value["findings"].as_array().expect("findings");
    let of = |line: u64| {
        findings
            .iter()
            .find(|f| f["rule"] == "alter-column-type" && f["line"] == line)
            .cloned()
            .expect("finding")
    };
    let big = of(2);
    let tiny = of(3);
    assert_eq!(big["estimate"]["rows"], 200_000);
    assert_eq!(tiny["estimate"]["rows"], 2);
    assert_eq!(tiny["severity"], "note");
    assert_ne!(big["severity"], "note");
    rt.block_on(async {
        use sqlx::Connection;
        let mut conn = sqlx::PgConnection::connect(&url).await.expect("connect");
        let _ = sqlx::query(&format!("DROP SCHEMA {schema} CASCADE"))
            .execute(&mut conn)
            .await;
    });
}
