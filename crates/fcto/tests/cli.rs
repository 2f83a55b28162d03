//! The `fcto` binary as a user runs it: exit codes, --json, bad input, files.

mod common;

use std::path::Path;

use common::Fcto;
use fcto_store::testkit::TestDb;
use serde_json::Value;

fn setup(f: &Fcto) {
    f.json(&["init"]);
    f.json(&[
        "client",
        "add",
        "Harbour & Hearth",
        "--tier",
        "growth",
        "--owner-name",
        "Priya Shah",
        "--owner-email",
        "priya@hh.example",
        "--start",
        "2026-10-01",
    ]);
    f.json(&[
        "client",
        "add",
        "Straits Freight",
        "--slug",
        "straits",
        "--tier",
        "foundation",
        "--currency",
        "sgd",
        "--start",
        "2026-07-01",
    ]);
}

fn full_flow(f: &Fcto) {
    setup(f);
    let clients = f.json(&["client", "list"]);
    assert_eq!(clients.as_array().map(Vec::len), Some(2));
    assert_eq!(clients[0]["slug"], "harbour-hearth");
    assert_eq!(clients[1]["currency"], "SGD");

    let e = f.json(&[
        "time",
        "log",
        "harbour-hearth",
        "2.5",
        "--kind",
        "execute",
        "--activity",
        "build",
        "--date",
        "2026-11-03",
        "--note",
        "WhatsApp webhook",
    ]);
    assert_eq!(e["hours"], 2.5);
    f.json(&[
        "time",
        "log",
        "harbour-hearth",
        "1",
        "--kind",
        "decide",
        "--activity",
        "review",
        "--date",
        "2026-11-02",
    ]);
    f.json(&[
        "time",
        "log",
        "straits",
        "0.75",
        "--kind",
        "decide",
        "--activity",
        "session",
    ]);
    let list = f.json(&["time", "list", "--client", "harbour-hearth"]);
    assert_eq!(list.as_array().map(Vec::len), Some(2));

    let d = f.json(&[
        "decision",
        "new",
        "harbour-hearth",
        "Pick a CRM",
        "--context",
        "Leads in a sheet",
        "--option",
        "HubSpot",
        "--option",
        "Pipedrive",
        "--decide-by",
        "2026-11-27",
    ]);
    assert_eq!(d["number"], 1);
    assert_eq!(d["status"], "proposed");
    let acc = f.json(&[
        "decision",
        "accept",
        "harbour-hearth",
        "1",
        "--outcome",
        "HubSpot",
        "--by",
        "Priya Shah",
    ]);
    assert_eq!(acc["decided_by"]["name"], "Priya Shah");
    f.json(&[
        "decision",
        "new",
        "harbour-hearth",
        "Replace CRM",
        "--decide-by",
        "2026-12-10",
    ]);
    let sup = f.json(&[
        "decision",
        "supersede",
        "harbour-hearth",
        "1",
        "--by-decision",
        "2",
    ]);
    assert_eq!(sup["status"], "superseded");
    let madr = f.run(&["decision", "show", "harbour-hearth", "1", "--madr"]);
    assert!(String::from_utf8_lossy(&madr.stdout)
        .contains("## Considered Options\n\n* HubSpot\n* Pipedrive"));

    f.json(&[
        "system",
        "add",
        "harbour-hearth",
        "WhatsApp qualifier",
        "--owner",
        "Priya Shah",
        "--metric",
        "conversion",
    ]);
    let live = f.json(&[
        "system",
        "live",
        "harbour-hearth",
        "WhatsApp qualifier",
        "--date",
        "2026-10-20",
    ]);
    assert_eq!(live["status"], "live");

    let health = f.json(&["health", "harbour-hearth", "--months", "3"]);
    assert_eq!(health["first_system"]["state"], "live");
    assert_eq!(health["months"].as_array().map(Vec::len), Some(2));
    assert_eq!(health["months"][1]["hours"], 3.5);
    let all = f.json(&["health"]);
    assert_eq!(all.as_array().map(Vec::len), Some(2));
    assert_eq!(all[1]["first_system"]["state"], "wrong_shape");

    let week = f.json(&["week", "--start", "2026-11-23"]);
    assert_eq!(week["start"], "2026-11-23");
    assert_eq!(week["days"].as_array().map(Vec::len), Some(5));
    assert_eq!(week["clients"].as_array().map(Vec::len), Some(2));

    f.json(&["client", "archive", "straits"]);
    assert_eq!(
        f.json(&["client", "list"]).as_array().map(Vec::len),
        Some(1)
    );
    assert_eq!(
        f.json(&["client", "list", "--all"])
            .as_array()
            .map(Vec::len),
        Some(2)
    );
    f.fails(
        &[
            "time",
            "log",
            "straits",
            "1",
            "--kind",
            "decide",
            "--activity",
            "review",
        ],
        1,
        "archived",
    );
    f.json(&["client", "edit", "straits", "--restore", "--tier", "growth"]);
    assert_eq!(f.json(&["client", "show", "straits"])["tier"], "growth");
}

#[test]
fn the_whole_flow_on_sqlite() {
    full_flow(&Fcto::new(None));
}

#[tokio::test(flavor = "multi_thread")]
async fn the_whole_flow_on_postgres() {
    let Some(db) = TestDb::postgres().await else {
        return;
    };
    let url = db.url.clone();
    tokio::task::spawn_blocking(move || full_flow(&Fcto::new(Some(url))))
        .await
        .expect("flow");
    db.cleanup().await;
}

#[test]
fn bad_input_is_a_clear_user_error_and_stores_nothing() {
    let f = Fcto::new(None);
    f.fails(&["client", "list"], 1, "run `fcto init` first");
    setup(&f);
    f.fails(
        &["client", "add", "Harbour & Hearth", "--tier", "growth"],
        1,
        "already exists",
    );
    f.fails(
        &["client", "add", "X", "--tier", "platinum"],
        1,
        "invalid tier",
    );
    f.fails(
        &["client", "add", "X", "--slug", "../etc", "--tier", "growth"],
        1,
        "invalid slug",
    );
    f.fails(
        &[
            "client",
            "add",
            "X",
            "--tier",
            "growth",
            "--start",
            "2026-02-30",
        ],
        1,
        "not a real date",
    );
    f.fails(
        &[
            "client",
            "add",
            "X",
            "--tier",
            "growth",
            "--owner-email",
            "nope",
        ],
        1,
        "not an email",
    );
    f.fails(&["client", "show", "ghost"], 1, "no client \"ghost\"");
    f.fails(
        &[
            "time",
            "log",
            "ghost",
            "1",
            "--kind",
            "decide",
            "--activity",
            "review",
        ],
        1,
        "no client",
    );
    for hours in ["-2", "0", "25", "1e9", "NaN", "inf", "abc", "1.333"] {
        f.fails(
            &[
                "time",
                "log",
                "harbour-hearth",
                hours,
                "--kind",
                "decide",
                "--activity",
                "review",
            ],
            1,
            "hours",
        );
    }
    f.fails(
        &[
            "time",
            "log",
            "harbour-hearth",
            "1",
            "--kind",
            "thinking",
            "--activity",
            "review",
        ],
        1,
        "invalid kind",
    );
    f.fails(
        &[
            "time",
            "log",
            "harbour-hearth",
            "1",
            "--kind",
            "decide",
            "--activity",
            "review",
            "--date",
            "31/12/2026",
        ],
        1,
        "invalid date",
    );
    f.fails(&["decision", "show", "harbour-hearth", "7"], 1, "not found");
    f.fails(
        &["decision", "accept", "harbour-hearth", "7"],
        1,
        "not found",
    );
    f.fails(
        &["system", "live", "harbour-hearth", "nothing"],
        1,
        "not found",
    );
    f.fails(&["health", "--months", "0"], 2, "months");
    f.fails(&["time", "log", "harbour-hearth"], 2, "required");
    f.fails(&["frobnicate"], 2, "unrecognized subcommand");
    assert_eq!(
        f.json(&["time", "list"]).as_array().map(Vec::len),
        Some(0),
        "nothing stored"
    );
    assert_eq!(
        f.json(&["client", "list"]).as_array().map(Vec::len),
        Some(2)
    );

    // --json errors are JSON on stderr with the same exit code.
    let out = f.run(&["client", "show", "ghost", "--json"]);
    assert_eq!(out.status.code(), Some(1));
    let err: Value = serde_json::from_slice(&out.stderr).expect("json error");
    assert_eq!(err["error"]["kind"], "user");
}

#[test]
fn hostile_arguments_never_panic() {
    let f = Fcto::new(None);
    setup(&f);
    let long = "x".repeat(100_000);
    let hostile = [
        "",
        " ",
        "\u{1}\u{7}",
        "'; DROP TABLE clients; --",
        "\u{202e}gnp.exe",
        &long,
        "😀",
        "-1",
        "--",
        "%s%n",
    ];
    for h in hostile {
        for args in [
            vec!["client", "show", h],
            vec!["client", "add", h, "--tier", "growth"],
            vec![
                "time",
                "log",
                "harbour-hearth",
                h,
                "--kind",
                "decide",
                "--activity",
                "review",
            ],
            vec![
                "time",
                "log",
                "harbour-hearth",
                "1",
                "--kind",
                "decide",
                "--activity",
                "review",
                "--note",
                h,
            ],
            vec!["decision", "new", "harbour-hearth", h],
            vec!["week", "--start", h],
        ] {
            let out = f.run(&args);
            let code = out.status.code();
            assert!(
                matches!(code, Some(0..=2)),
                "{:?} exited {code:?}: {}",
                &args
                    .iter()
                    .map(|a| a.chars().take(20).collect::<String>())
                    .collect::<Vec<_>>(),
                String::from_utf8_lossy(&out.stderr)
            );
        }
    }
    assert!(
        f.json(&["client", "list"]).as_array().is_some(),
        "the database still works"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn a_file_that_is_not_a_database_and_a_newer_schema_are_refused() {
    let f = Fcto::new(None);
    std::fs::write(f.home.path().join("fcto.db"), "hello, I am a text file").expect("write");
    f.fails(&["client", "list"], 1, "is not an fcto database");
    assert_eq!(
        std::fs::read_to_string(f.home.path().join("fcto.db")).expect("read"),
        "hello, I am a text file"
    );

    let g = Fcto::new(None);
    setup(&g);
    let db = g.home.path().join("fcto.db");
    let store = fcto_store::Store::open(
        &format!("sqlite:{}", db.display()),
        fcto_store::OpenMode::Existing,
    )
    .await
    .expect("open");
    sqlx::query("INSERT INTO fcto_schema_migrations VALUES (99, 'future', 'x')")
        .execute(store.pool())
        .await
        .expect("insert");
    store.close().await;
    let g = tokio::task::spawn_blocking(move || {
        g.fails(&["client", "list"], 1, "newer fcto");
        g
    })
    .await
    .expect("join");
    assert!(db.exists() && g.home.path().exists());
}

#[test]
fn week_ics_is_valid_icalendar() {
    let f = Fcto::new(None);
    setup(&f);
    f.json(&[
        "decision",
        "new",
        "harbour-hearth",
        "Renew the PMS; 3 years, or 1?",
        "--decide-by",
        "2026-11-26",
    ]);
    let ics = f.home.path().join("week.ics");
    let ics_s = ics.to_string_lossy().to_string();
    f.json(&["week", "--start", "2026-11-23", "--ics", &ics_s]);
    check_ics(&ics);
    f.fails(
        &["week", "--ics", "/nonexistent-dir/week.ics"],
        1,
        "writing /nonexistent-dir/week.ics",
    );
}

/// RFC 5545 structure: CRLF lines of at most 75 octets, balanced components,
/// each VEVENT with UID, DTSTAMP, DTSTART and SUMMARY; text escaped.
fn check_ics(path: &Path) {
    let bytes = std::fs::read(path).expect("ics");
    let text = String::from_utf8(bytes).expect("utf-8");
    assert!(text.starts_with("BEGIN:VCALENDAR\r\nVERSION:2.0\r\n"));
    assert!(text.ends_with("END:VCALENDAR\r\n"));
    assert!(!text.replace("\r\n", "").contains('\n'), "bare LF");
    for line in text.split("\r\n") {
        assert!(line.len() <= 75, "{line:?}");
    }
    let unfolded = text.replace("\r\n ", "");
    let mut events = 0;
    let mut in_event = Vec::new();
    for line in unfolded.split("\r\n") {
        match line {
            "BEGIN:VEVENT" => in_event.clear(),
            "END:VEVENT" => {
                events += 1;
                for prop in ["UID:", "DTSTAMP:", "DTSTART", "SUMMARY:"] {
                    assert!(
                        in_event.iter().any(|l: &String| l.starts_with(prop)),
                        "event lacks {prop}: {in_event:?}"
                    );
                }
            }
            l => in_event.push(l.to_string()),
        }
    }
    assert!(events > 5, "{events} events");
    assert!(unfolded
        .contains("SUMMARY:decide 0001: Renew the PMS\\; 3 years\\, or 1? (harbour-hearth)"));
    assert!(unfolded.contains("DTSTART;VALUE=DATE:20261126"));
}

#[test]
fn decisions_export_as_madr_files_per_client() {
    let f = Fcto::new(None);
    setup(&f);
    f.json(&[
        "decision",
        "new",
        "harbour-hearth",
        "Use Postgres for bookings",
        "--option",
        "Postgres",
        "--option",
        "Airtable",
    ]);
    f.json(&["decision", "new", "straits", "Adopt the carrier API"]);
    let dir = f.home.path().join("adr");
    let out = f.json(&["decision", "export", "--dir", &dir.to_string_lossy()]);
    assert_eq!(out["files"].as_array().map(Vec::len), Some(2));
    let md = std::fs::read_to_string(dir.join("harbour-hearth/0001-use-postgres-for-bookings.md"))
        .expect("madr file");
    assert!(md.starts_with("---\nstatus: proposed\n"));
    assert!(md.contains("# Use Postgres for bookings"));
    assert!(dir.join("straits/0001-adopt-the-carrier-api.md").exists());
}

#[test]
fn demo_builds_a_separate_workspace() {
    let f = Fcto::new(None);
    f.json(&["init"]);
    let demo = f.json(&["demo"]);
    assert_eq!(demo["clients"].as_array().map(Vec::len), Some(4));
    assert!(demo["time_entries"].as_u64().unwrap_or(0) > 100);
    assert_eq!(
        f.json(&["client", "list"]).as_array().map(Vec::len),
        Some(0),
        "the user's own database is untouched"
    );
    let home = f.home.path().join("demo");
    let h = &home.to_string_lossy();
    let health = f.json(&["--home", h, "health"]);
    let straits = health
        .as_array()
        .and_then(|a| a.iter().find(|x| x["client"] == "straits-freight"))
        .expect("straits");
    assert_eq!(straits["executor_trend"]["direction"], "falling");
    // The demo's inbox and audit belong to Harbour & Hearth only.
    assert_eq!(
        (
            demo["mail"]["messages"].as_u64(),
            demo["mail"]["inquiries"].as_u64(),
            demo["mail"]["for_a_person"].as_u64()
        ),
        (Some(12), Some(6), Some(2)),
        "{}",
        demo["mail"]
    );
    let inbox = f.json(&["--home", h, "mail", "inbox", "harbour-hearth"]);
    assert_eq!(inbox.as_array().map(Vec::len), Some(6));
    // The four inquiries no person must answer wait as drafts; none is
    // sent, and the one no fact answers is flagged for the approver.
    let queue = f.json(&["--home", h, "mail", "queue", "harbour-hearth"]);
    let queue = queue.as_array().expect("queue");
    assert_eq!(queue.len(), 4);
    assert!(queue.iter().all(|d| d["status"] == "queued"));
    assert!(queue
        .iter()
        .any(|d| d["flags"].as_array().is_some_and(|f| !f.is_empty())));
    assert_eq!(
        f.json(&["--home", h, "mail", "queue", "straits-freight", "--all"]),
        serde_json::json!([])
    );
    assert_eq!(
        f.json(&["--home", h, "mail", "inbox", "straits-freight", "--all"]),
        serde_json::json!([])
    );
    assert_eq!(
        f.json(&["--home", h, "mail", "voice", "harbour-hearth"])["messages"],
        2
    );
    assert_eq!(
        f.json(&["--home", h, "audit", "list", "harbour-hearth"])
            .as_array()
            .map(Vec::len),
        Some(1)
    );
    // Running it again rebuilds rather than duplicating.
    let again = f.json(&["demo"]);
    assert_eq!(again["time_entries"], demo["time_entries"]);
}

#[test]
fn init_records_a_non_default_database_in_the_config() {
    let f = Fcto::new(None);
    let other = f.home.path().join("elsewhere.db");
    let url = format!("sqlite:{}", other.display());
    let out = f.json(&["init", "--db", &url]);
    assert_eq!(out["schema_version"], fcto_store::migrate::latest_version());
    assert!(other.exists());
    let cfg = std::fs::read_to_string(f.home.path().join("config.toml")).expect("config");
    assert!(cfg.contains("elsewhere.db"));
    f.json(&["client", "add", "Acme", "--tier", "growth"]);
    assert!(
        !f.home.path().join("fcto.db").exists(),
        "later commands use the configured database"
    );

    std::fs::write(f.home.path().join("config.toml"), "database_url = 3\n").expect("write");
    f.fails(&["client", "list"], 1, "config.toml");
    std::fs::write(
        f.home.path().join("config.toml"),
        "[tiers.growth]\nmin_hours = 30\nmax_hours = 20\n",
    )
    .expect("write");
    f.fails(&["client", "list"], 1, "config.toml");
}
