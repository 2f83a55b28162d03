//! `fcto spend` and `fcto vendor` as a user runs them.

mod common;

use chrono::NaiveDate;
use common::Fcto;
use fcto_store::testkit::TestDb;
use serde_json::Value;

/// A home with two clients: Harbour & Hearth (where the spend goes) and Other Co.
fn harbour(db: Option<String>) -> Fcto {
    let f = Fcto::new(db);
    f.json(&["init"]);
    f.json(&[
        "client",
        "add",
        "Harbour & Hearth",
        "--tier",
        "growth",
        "--start",
        "2025-09-01",
    ]);
    f.json(&["client", "add", "Other Co", "--tier", "foundation"]);
    f
}

/// Transactions stored for Harbour & Hearth (0 when nothing is imported).
fn transactions(f: &Fcto) -> u64 {
    let out = f.run(&["spend", "report", "harbour-hearth", "--json"]);
    if !out.status.success() {
        return 0;
    }
    let v: Value = serde_json::from_slice(&out.stdout).expect("json");
    v["transactions"].as_u64().unwrap_or(0)
}

fn ledger_files(f: &Fcto) -> (Vec<String>, Vec<(String, String)>, fcto_spend::synth::Truth) {
    let l = fcto_spend::synth::ledger(11, NaiveDate::from_ymd_opt(2026, 10, 31).expect("d"), 14);
    let mut statements = Vec::new();
    let mut seats = Vec::new();
    for file in &l.files {
        let p = f.write(&file.name, &file.bytes);
        match &file.kind {
            fcto_spend::synth::FileKind::Statement => statements.push(p),
            fcto_spend::synth::FileKind::Seats { vendor_id } => seats.push((vendor_id.clone(), p)),
        }
    }
    (statements, seats, l.truth)
}

fn flow(f: &Fcto) {
    let (statements, seats, truth) = ledger_files(f);
    let mut args = vec!["spend", "import", "harbour-hearth"];
    args.extend(statements.iter().map(String::as_str));
    let first = f.json(&args);
    let new = first["new"].as_u64().expect("new");
    assert!(
        first["already_stored"].as_u64().expect("dups") > 0,
        "the overlapping Monzo files share a month"
    );
    let again = f.json(&args);
    assert_eq!(
        again["new"], 0,
        "importing the same statements again adds nothing"
    );
    assert_eq!(transactions(f), new);

    for (vendor, p) in &seats {
        f.json(&["spend", "seats", "harbour-hearth", vendor, p]);
    }
    let report = f.json(&["spend", "report", "harbour-hearth"]);
    let found = report["savings"]["total_monthly"].as_i64().expect("total");
    let expected = truth.expected_monthly_savings;
    assert!(
        ((found - expected) as f64 / expected as f64).abs() <= 0.10,
        "savings {found} vs {expected}"
    );
    assert!(
        report["subscriptions"].as_array().expect("subs").len() >= truth.subscriptions.len() - 1
    );

    let html_path = f.path("report.html");
    f.json(&[
        "spend",
        "report",
        "harbour-hearth",
        "--format",
        "html",
        "--out",
        &html_path.display().to_string(),
    ]);
    let html = std::fs::read_to_string(&html_path).expect("html");
    assert!(html.starts_with("<!DOCTYPE html>") && html.contains("<svg"));

    // Another client sees none of it.
    f.fails(
        &["spend", "report", "other-co"],
        1,
        "no transactions for other-co",
    );

    // Vendor register.
    f.json(&[
        "vendor",
        "add",
        "harbour-hearth",
        "HubSpot",
        "--cost",
        "84.00",
        "--billing",
        "monthly",
        "--renewal",
        "2027-01-15",
        "--notice-days",
        "30",
        "--owner",
        "Priya Shah",
        "--vendor-contact",
        "csm@hubspot.example",
        "--dpa",
        "signed",
    ]);
    f.fails(
        &["vendor", "add", "harbour-hearth", "HubSpot"],
        1,
        "already exists",
    );
    let shown = f.json(&["vendor", "show", "harbour-hearth", "hubspot"]);
    assert_eq!(shown["cost"], 8400);
    assert_eq!(shown["category"], "crm");
    f.json(&[
        "vendor",
        "edit",
        "harbour-hearth",
        "hubspot",
        "--seats",
        "5",
        "--auto-renew",
        "true",
    ]);
    let promoted = f.json(&["vendor", "promote", "harbour-hearth", "--all"]);
    assert!(promoted.as_array().expect("added").len() >= 10);
    assert!(
        promoted
            .as_array()
            .expect("added")
            .iter()
            .all(|r| r["vendor_id"] != "hubspot"),
        "existing records are kept"
    );
    let list = f.json(&["vendor", "list", "harbour-hearth"]);
    assert!(list.as_array().expect("list").len() >= 11);
    assert_eq!(
        f.json(&["vendor", "list", "other-co"])
            .as_array()
            .map(Vec::len),
        Some(0)
    );

    let ics = f.path("renewals.ics");
    let ren = f.json(&[
        "vendor",
        "renewals",
        "--within",
        "60d",
        "--ics",
        &ics.display().to_string(),
    ]);
    let names: Vec<&str> = ren
        .as_array()
        .expect("renewals")
        .iter()
        .filter_map(|r| r["vendor_id"].as_str())
        .collect();
    assert!(names.contains(&"hubspot"), "{names:?}");
    let ics = std::fs::read_to_string(&ics).expect("ics");
    assert!(
        ics.contains("DTSTART;VALUE=DATE:20261216"),
        "notice deadline = renewal - 30 days"
    );
    assert!(ics.ends_with("END:VCALENDAR\r\n"));
}

#[test]
fn spend_and_vendors_on_sqlite() {
    flow(&harbour(None));
}

#[tokio::test(flavor = "multi_thread")]
async fn spend_and_vendors_on_postgres() {
    let Some(db) = TestDb::postgres().await else {
        return;
    };
    let url = db.url.clone();
    tokio::task::spawn_blocking(move || flow(&harbour(Some(url))))
        .await
        .expect("flow");
    db.cleanup().await;
}

const MONZO_HEADER: &str = "Transaction ID,Date,Time,Type,Name,Emoji,Category,Amount,Currency,Local amount,Local currency,Notes and #tags,Address,Receipt,Description,Category split,Money Out,Money In\n";

fn monzo_row(id: u32, date: &str, name: &str, amount: &str) -> String {
    format!("tx_{id:08},{date},10:00:00,Card payment,{name},,bills,{amount},GBP,{amount},GBP,,,,{name},,{amount},\n")
}

#[test]
fn a_bad_file_stores_nothing_and_names_file_line_and_column() {
    let f = harbour(None);
    let good = f.write(
        "good.csv",
        format!(
            "{MONZO_HEADER}{}",
            monzo_row(1, "01/10/2026", "ZOOM.US", "-15.99")
        )
        .as_bytes(),
    );
    let bad_date = f.write(
        "bad-date.csv",
        format!(
            "{MONZO_HEADER}{}{}",
            monzo_row(2, "02/10/2026", "SLACK", "-6.75"),
            monzo_row(3, "31/02/2026", "SLACK", "-6.75")
        )
        .as_bytes(),
    );
    // Good file first, bad second: the good one must not be stored either.
    f.fails(
        &["spend", "import", "harbour-hearth", &good, &bad_date],
        1,
        "bad-date.csv:3",
    );
    assert_eq!(transactions(&f), 0, "all or nothing");

    let bad_amount = f.write(
        "bad-amount.csv",
        format!(
            "{MONZO_HEADER}{}",
            monzo_row(4, "02/10/2026", "SLACK", "12,34.5.6")
        )
        .as_bytes(),
    );
    f.fails(
        &["spend", "import", "harbour-hearth", &bad_amount],
        1,
        "bad-amount.csv:2",
    );
    let unknown = f.write("unknown.csv", b"foo,bar,baz\n1,2,3\n");
    f.fails(
        &["spend", "import", "harbour-hearth", &unknown],
        1,
        "unknown.csv",
    );
    f.fails(
        &[
            "spend",
            "import",
            "harbour-hearth",
            &good,
            "--format",
            "klingon",
        ],
        1,
        "unknown format",
    );
    f.fails(
        &["spend", "import", "harbour-hearth", "/no/such/file.csv"],
        1,
        "/no/such/file.csv",
    );
    f.fails(&["spend", "import", "nobody", &good], 1, "no client");

    // A 2 GB file is refused from its size, without reading it.
    let huge = f.path("huge.csv");
    let file = std::fs::File::create(&huge).expect("create");
    file.set_len(2 * 1024 * 1024 * 1024).expect("sparse file");
    f.fails(
        &[
            "spend",
            "import",
            "harbour-hearth",
            &huge.display().to_string(),
        ],
        1,
        "limit",
    );
    assert_eq!(transactions(&f), 0);

    f.json(&["spend", "import", "harbour-hearth", &good]);
    assert_eq!(transactions(&f), 1);
}

#[test]
fn formula_cells_are_kept_as_text_and_escaped_in_output() {
    let f = harbour(None);
    let mut csv = String::from(MONZO_HEADER);
    for (i, m) in (1..=6).enumerate() {
        csv.push_str(&monzo_row(
            i as u32,
            &format!("03/{m:02}/2026"),
            "\"=HYPERLINK(\"\"http://evil.example\"\",\"\"x\"\")\"",
            "-19.00",
        ));
    }
    let p = f.write("formula.csv", csv.as_bytes());
    f.json(&["spend", "import", "harbour-hearth", &p]);
    let html_path = f.path("r.html");
    f.json(&[
        "spend",
        "report",
        "harbour-hearth",
        "--format",
        "html",
        "--out",
        &html_path.display().to_string(),
    ]);
    let html = std::fs::read_to_string(html_path).expect("html");
    assert!(
        !html.contains("=HYPERLINK(\"http"),
        "raw formula with quotes reached the HTML"
    );
    let md = f.run(&["spend", "report", "harbour-hearth"]);
    let md = String::from_utf8_lossy(&md.stdout);
    assert!(
        !md.contains("| =HYPERLINK"),
        "a table cell starts with a formula"
    );
}

#[test]
fn vendor_input_is_checked() {
    let f = harbour(None);
    f.fails(
        &[
            "vendor",
            "add",
            "harbour-hearth",
            "Acme",
            "--notice-days",
            "-5",
        ],
        1,
        "notice-days",
    );
    f.fails(
        &["vendor", "add", "harbour-hearth", "Acme", "--cost", "lots"],
        1,
        "invalid cost",
    );
    f.fails(
        &[
            "vendor",
            "add",
            "harbour-hearth",
            "Acme",
            "--billing",
            "fortnightly",
        ],
        1,
        "billing",
    );
    f.fails(
        &[
            "vendor",
            "add",
            "harbour-hearth",
            "Acme",
            "--renewal",
            "2026-02-30",
        ],
        1,
        "not a real date",
    );
    f.fails(
        &[
            "vendor",
            "add",
            "harbour-hearth",
            "Acme",
            "--start",
            "2026-05-01",
            "--renewal",
            "2026-04-01",
        ],
        1,
        "renewal",
    );
    f.fails(
        &["vendor", "show", "harbour-hearth", "acme"],
        1,
        "not found",
    );
    f.fails(
        &["vendor", "renewals", "--within", "soon"],
        1,
        "invalid within",
    );
    assert_eq!(
        f.json(&["vendor", "list"]).as_array().map(Vec::len),
        Some(0),
        "nothing stored"
    );
}

#[test]
fn catalog_and_seat_commands() {
    let f = harbour(None);
    let zoom = f.json(&["spend", "catalog", "--search", "zoom"]);
    assert!(zoom
        .as_array()
        .expect("list")
        .iter()
        .any(|v| v["id"] == "zoom"));
    let extra = f.write(
        "extra.toml",
        br#"vendor = [ { id = "acme-rota", name = "Acme Rota", category = "payroll-and-hr", pricing = "per-seat", patterns = ["ACME ROTA"] } ]"#,
    );
    let with = f.json(&[
        "spend",
        "catalog",
        "--client",
        "harbour-hearth",
        "--add",
        &extra,
        "--search",
        "acme",
    ]);
    assert_eq!(with.as_array().map(Vec::len), Some(1));
    let other = f.json(&[
        "spend", "catalog", "--client", "other-co", "--search", "acme",
    ]);
    assert_eq!(
        other.as_array().map(Vec::len),
        Some(0),
        "one client's additions stay theirs"
    );
    let bad = f.write("bad.toml", b"vendor = [ { id = \"x\", name = \"X\", category = \"nope\", pricing = \"flat\", patterns = [\"XYZ\"] } ]");
    f.fails(
        &[
            "spend",
            "catalog",
            "--client",
            "harbour-hearth",
            "--add",
            &bad,
        ],
        1,
        "unknown category",
    );

    let seats = f.write("users.csv", b"Email Address [Required],Status [READ ONLY],Last Sign In [READ ONLY]\na@hh.example,Active,2026/11/01 10:00:00\nb@hh.example,Suspended,2026/01/01 10:00:00\n");
    let list = f.json(&[
        "spend",
        "seats",
        "harbour-hearth",
        "google-workspace",
        &seats,
    ]);
    assert_eq!(list["seats"].as_array().map(Vec::len), Some(2));
    let bad_seats = f.write(
        "bad-users.csv",
        b"email,last active\na@hh.example,someday\n",
    );
    f.fails(
        &["spend", "seats", "harbour-hearth", "slack", &bad_seats],
        1,
        "bad-users.csv:2",
    );
}
