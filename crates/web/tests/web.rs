//! The dashboard over a real router and a real store (SQLite, and PostgreSQL
//! when FCTO_TEST_POSTGRES_URL is set).

use axum::body::Body;
use axum::http::{header, Request, StatusCode};
use axum::Router;
use chrono::NaiveDate;
use fcto_engage::*;
use fcto_store::testkit::TestDb;
use fcto_store::{NewUser, Store};
use fcto_web::{router, AppState};
use http_body_util::BodyExt;
use tower::ServiceExt;

fn d(y: i32, m: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, day).expect("date")
}

const TODAY: (i32, u32, u32) = (2026, 11, 25);
const PW: &str = "a long test password";

async fn seed(s: &Store) {
    for (slug, name, tier) in [
        ("acme", "Acme Hotels", Tier::Growth),
        ("beta", "Beta Freight", Tier::Foundation),
    ] {
        s.add_client(&NewClient {
            slug: slug.into(),
            name: name.into(),
            sector: None,
            currency: "GBP".into(),
            tier,
            owner_name: Some(format!("{name} owner")),
            owner_email: None,
            start_date: d(2026, 9, 1),
        })
        .await
        .expect("client");
        for (i, month) in [9u32, 10, 11].iter().enumerate() {
            for (kind, h) in [
                (WorkKind::Execute, 8.0 - i as f64 * 2.0),
                (WorkKind::Decide, 4.0 + i as f64 * 2.0),
            ] {
                s.log_time(
                    slug,
                    &NewTimeEntry {
                        date: d(2026, *month, 10),
                        hours: h,
                        kind,
                        activity: Activity::Build,
                        note: None,
                    },
                )
                .await
                .expect("time");
            }
        }
        s.new_decision(
            slug,
            &NewDecision {
                title: format!("{name}: pick a CRM <script>alert(1)</script>"),
                context: "Leads live in a spreadsheet.".into(),
                options: vec!["HubSpot".into(), "Pipedrive".into()],
                decide_by: Some(d(2026, 11, 20)),
                created_on: d(2026, 11, 1),
            },
        )
        .await
        .expect("decision");
        s.add_system(
            slug,
            &NewSystem {
                name: "Lead qualifier".into(),
                status: SystemStatus::Building,
                owner: None,
                metric: None,
            },
        )
        .await
        .expect("system");
    }
    s.set_system_status(
        "acme",
        "Lead qualifier",
        SystemStatus::Live,
        Some(d(2026, 9, 20)),
    )
    .await
    .expect("live");
    s.add_user(&NewUser {
        email: "cto@fcto.test",
        display_name: "The CTO",
        password: PW,
        role: Role::Cto,
        client: None,
    })
    .await
    .expect("cto");
    s.add_user(&NewUser {
        email: "owner@acme.test",
        display_name: "Ann Owner",
        password: PW,
        role: Role::Client,
        client: Some("acme"),
    })
    .await
    .expect("acme user");
}

fn app(s: Store) -> Router {
    router(AppState::new(
        s,
        TierTable::default(),
        true,
        Some(d(TODAY.0, TODAY.1, TODAY.2)),
    ))
}

struct Resp {
    status: StatusCode,
    headers: axum::http::HeaderMap,
    body: String,
}

async fn send(app: &Router, req: Request<Body>) -> Resp {
    let res = app.clone().oneshot(req).await.expect("response");
    let status = res.status();
    let headers = res.headers().clone();
    let bytes = res.into_body().collect().await.expect("body").to_bytes();
    Resp {
        status,
        headers,
        body: String::from_utf8_lossy(&bytes).into_owned(),
    }
}

async fn get(app: &Router, path: &str, cookie: Option<&str>) -> Resp {
    let mut req = Request::get(path);
    if let Some(c) = cookie {
        req = req.header(header::COOKIE, c);
    }
    send(app, req.body(Body::empty()).expect("req")).await
}

async fn post(app: &Router, path: &str, cookie: Option<&str>, form: &str) -> Resp {
    let mut req =
        Request::post(path).header(header::CONTENT_TYPE, "application/x-www-form-urlencoded");
    if let Some(c) = cookie {
        req = req.header(header::COOKIE, c);
    }
    send(app, req.body(Body::from(form.to_string())).expect("req")).await
}

fn set_cookie_value(r: &Resp, name: &str) -> Option<String> {
    r.headers
        .get_all(header::SET_COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .find(|v| v.starts_with(&format!("{name}=")))
        .map(|v| v.split(';').next().unwrap_or("").to_string())
}

fn hidden_csrf(body: &str) -> String {
    let at =
        body.find("name=\"csrf\" value=\"").expect("csrf field") + "name=\"csrf\" value=\"".len();
    body[at..at + 64].to_string()
}

fn form_encode(s: &str) -> String {
    s.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' => (b as char).to_string(),
            b' ' => "+".into(),
            _ => format!("%{b:02X}"),
        })
        .collect()
}

/// Log in through the real form; returns the session cookie ("fcto_session=...").
async fn login(app: &Router, email: &str, password: &str) -> Option<String> {
    let form = get(app, "/login", None).await;
    let login_cookie = set_cookie_value(&form, "fcto_login_csrf").expect("login csrf cookie");
    let csrf = hidden_csrf(&form.body);
    let r = post(
        app,
        "/login",
        Some(&login_cookie),
        &format!(
            "email={}&password={}&csrf={csrf}",
            form_encode(email),
            form_encode(password)
        ),
    )
    .await;
    set_cookie_value(&r, "fcto_session").filter(|c| c.len() > "fcto_session=".len())
}

#[tokio::test]
async fn anonymous_visitors_are_sent_to_login() {
    for db in TestDb::all().await {
        let s = db.open().await.expect("open");
        seed(&s).await;
        let app = app(s.clone());
        for path in [
            "/",
            "/clients/acme",
            "/decisions",
            "/clients/acme/decisions/1",
        ] {
            let r = get(&app, path, None).await;
            assert_eq!(r.status, StatusCode::SEE_OTHER, "{path}");
            assert_eq!(
                r.headers
                    .get(header::LOCATION)
                    .map(|v| v.to_str().unwrap_or("")),
                Some("/login")
            );
        }
        let forged = get(&app, "/", Some("fcto_session=0000")).await;
        assert_eq!(forged.status, StatusCode::SEE_OTHER);
        s.close().await;
        db.cleanup().await;
    }
}

#[tokio::test]
async fn login_needs_the_right_password_and_its_csrf_token() {
    let db = TestDb::sqlite().await;
    let s = db.open().await.expect("open");
    seed(&s).await;
    let app = app(s.clone());
    assert!(login(&app, "cto@fcto.test", "wrong password!")
        .await
        .is_none());
    assert!(login(&app, "nobody@fcto.test", PW).await.is_none());

    // A cross-site POST carries no login cookie: refused before any password check.
    let r = post(
        &app,
        "/login",
        None,
        &format!(
            "email=cto%40fcto.test&password={}&csrf=abc",
            form_encode(PW)
        ),
    )
    .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    assert!(set_cookie_value(&r, "fcto_session").is_none());

    let form = get(&app, "/login", None).await;
    let cookie = set_cookie_value(&form, "fcto_login_csrf").expect("cookie");
    let raw = form
        .headers
        .get_all(header::SET_COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .collect::<Vec<_>>()
        .join("\n");
    assert!(
        raw.contains("HttpOnly") && raw.contains("SameSite=Strict") && raw.contains("Secure"),
        "{raw}"
    );
    let r = post(
        &app,
        "/login",
        Some(&cookie),
        &format!(
            "email=cto%40fcto.test&password={}&csrf={}",
            form_encode(PW),
            "f".repeat(64)
        ),
    )
    .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN, "mismatched token");

    let session = login(&app, "CTO@fcto.test", PW)
        .await
        .expect("logged in (email case-insensitive)");
    let r = get(&app, "/", Some(&session)).await;
    assert_eq!(r.status, StatusCode::OK);
    assert!(r.body.contains("Acme Hotels") && r.body.contains("Beta Freight"));
    s.close().await;
    db.cleanup().await;
}

#[tokio::test]
async fn a_client_user_sees_only_their_own_client() {
    for db in TestDb::all().await {
        let s = db.open().await.expect("open");
        seed(&s).await;
        let app = app(s.clone());
        let owner = login(&app, "owner@acme.test", PW).await.expect("login");

        let home = get(&app, "/", Some(&owner)).await;
        assert_eq!(home.status, StatusCode::SEE_OTHER);
        assert_eq!(
            home.headers
                .get(header::LOCATION)
                .map(|v| v.to_str().unwrap_or("")),
            Some("/clients/acme")
        );
        let own = get(&app, "/clients/acme", Some(&owner)).await;
        assert_eq!(own.status, StatusCode::OK);
        assert!(own.body.contains("Acme Hotels"));

        // Guessing another client's URLs gives exactly what a missing client gives.
        let missing = get(&app, "/clients/no-such-client", Some(&owner)).await;
        for path in [
            "/clients/beta",
            "/clients/beta/decisions/1",
            "/clients/beta/decisions/2",
            "/clients/BETA",
            "/clients/beta%2f..%2facme",
        ] {
            let r = get(&app, path, Some(&owner)).await;
            assert_eq!(r.status, StatusCode::NOT_FOUND, "{path} on {}", db.label);
            assert_eq!(
                r.body, missing.body,
                "{path} must not reveal that the client exists"
            );
            assert!(!r.body.contains("Beta Freight"));
        }
        let list = get(&app, "/decisions", Some(&owner)).await;
        assert!(list.body.contains("Acme Hotels: pick a CRM"));
        assert!(
            !list.body.contains("Beta Freight"),
            "other clients' decisions leak into the list"
        );

        // Posting a decision of another client, with a valid CSRF token, changes nothing.
        let csrf = hidden_csrf(&own.body);
        let r = post(
            &app,
            "/clients/beta/decisions/1/decide",
            Some(&owner),
            &format!("csrf={csrf}&action=accept&outcome=mine"),
        )
        .await;
        assert_eq!(r.status, StatusCode::NOT_FOUND);
        assert_eq!(
            s.decision("beta", 1).await.expect("beta").status,
            DecisionStatus::Proposed
        );
        s.close().await;
        db.cleanup().await;
    }
}

#[tokio::test]
async fn forms_need_the_session_csrf_token_and_team_decisions_are_counted() {
    for db in TestDb::all().await {
        let s = db.open().await.expect("open");
        seed(&s).await;
        let app = app(s.clone());
        let owner = login(&app, "owner@acme.test", PW).await.expect("login");
        let page = get(&app, "/clients/acme/decisions/1", Some(&owner)).await;
        assert!(page.body.contains("Decide"));
        assert!(
            !page.body.contains("<script>alert(1)</script>"),
            "user text is escaped"
        );
        assert!(page.body.contains("&lt;script&gt;"));

        for bad in ["", "csrf=", &format!("csrf={}", "0".repeat(64))] {
            let r = post(
                &app,
                "/clients/acme/decisions/1/decide",
                Some(&owner),
                &format!("{bad}&action=accept"),
            )
            .await;
            assert!(
                matches!(
                    r.status,
                    StatusCode::FORBIDDEN | StatusCode::UNPROCESSABLE_ENTITY
                ),
                "{bad:?}: {}",
                r.status
            );
        }
        assert_eq!(
            s.decision("acme", 1).await.expect("d").status,
            DecisionStatus::Proposed
        );

        let csrf = hidden_csrf(&page.body);
        let r = post(
            &app,
            "/clients/acme/decisions/1/decide",
            Some(&owner),
            &format!("csrf={csrf}&action=accept&outcome=HubSpot+free+tier"),
        )
        .await;
        assert_eq!(r.status, StatusCode::SEE_OTHER);
        let d = s.decision("acme", 1).await.expect("d");
        assert_eq!(d.status, DecisionStatus::Accepted);
        assert_eq!(d.decided_by, Some(DecidedBy::Team("Ann Owner".into())));
        let again = post(
            &app,
            "/clients/acme/decisions/1/decide",
            Some(&owner),
            &format!("csrf={csrf}&action=reject"),
        )
        .await;
        assert_eq!(again.status, StatusCode::CONFLICT);

        // Sign out ends the session server-side.
        let r = post(&app, "/logout", Some(&owner), &format!("csrf={csrf}")).await;
        assert_eq!(r.status, StatusCode::SEE_OTHER);
        assert_eq!(
            get(&app, "/clients/acme", Some(&owner)).await.status,
            StatusCode::SEE_OTHER
        );
        s.close().await;
        db.cleanup().await;
    }
}

#[tokio::test]
async fn pages_carry_security_headers_and_render_stably() {
    let db = TestDb::sqlite().await;
    let s = db.open().await.expect("open");
    seed(&s).await;
    let app = app(s.clone());
    let cto = login(&app, "cto@fcto.test", PW).await.expect("login");
    let dash = get(&app, "/", Some(&cto)).await;
    let csp = dash
        .headers
        .get(header::CONTENT_SECURITY_POLICY)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("");
    assert!(csp.contains("default-src 'none'") && csp.contains("frame-ancestors 'none'"));
    assert_eq!(
        dash.headers
            .get(header::X_FRAME_OPTIONS)
            .and_then(|v| v.to_str().ok()),
        Some("DENY")
    );
    assert!(
        !dash.body.contains(" style=\""),
        "inline styles would break the CSP"
    );
    let csrf = hidden_csrf(&dash.body);
    let clean = |b: &str| b.replace(&csrf, "[csrf]").replace("><", ">\n<");
    insta::assert_snapshot!("dashboard", clean(&dash.body));
    insta::assert_snapshot!(
        "client_page",
        clean(&get(&app, "/clients/acme", Some(&cto)).await.body)
    );
    insta::assert_snapshot!(
        "decisions_page",
        clean(&get(&app, "/decisions", Some(&cto)).await.body)
    );
    assert_eq!(
        get(&app, "/nope", Some(&cto)).await.status,
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        get(&app, "/clients/acme/decisions/99", Some(&cto))
            .await
            .status,
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        get(&app, "/clients/acme/decisions/notanumber", Some(&cto))
            .await
            .status,
        StatusCode::BAD_REQUEST
    );
    s.close().await;
    db.cleanup().await;
}

/// Import a planted year of bank exports for `client` through the same
/// parsers the CLI uses.
async fn seed_spend(s: &Store, client: &str) {
    let ledger = fcto_spend::synth::ledger(3, d(2026, 10, 31), 13);
    let mut parsed = Vec::new();
    for f in &ledger.files {
        match &f.kind {
            fcto_spend::synth::FileKind::Statement => {
                let st = fcto_spend::import::parse(&f.name, &f.bytes, None).expect("parse");
                let keys = fcto_spend::identity::transaction_keys(st.format, &st.transactions);
                parsed.push(fcto_store::spend::ParsedFile {
                    file_name: f.name.clone(),
                    sha256: String::new(),
                    format: st.format,
                    transactions: st.transactions,
                    keys,
                });
            }
            fcto_spend::synth::FileKind::Seats { vendor_id } => {
                let list = fcto_spend::seats::parse_seats(&f.name, &f.bytes).expect("seats");
                s.save_seat_list(client, vendor_id, &f.name, &list)
                    .await
                    .expect("save seats");
            }
        }
    }
    s.import_transactions(client, &parsed)
        .await
        .expect("import");
    let mut r = fcto_spend::register::VendorRecord::new("hubspot", "HubSpot", "GBP");
    r.renewal_date = Some(d(2026, 12, 20));
    r.notice_days = Some(30);
    r.owner = Some("Ann Owner".into());
    s.put_vendor(client, &r, true).await.expect("vendor");
}

#[tokio::test]
async fn spend_and_vendor_pages_are_per_client() {
    for db in TestDb::all().await {
        let s = db.open().await.expect("open");
        seed(&s).await;
        seed_spend(&s, "beta").await;
        let app = app(s.clone());
        let cto = login(&app, "cto@fcto.test", PW).await.expect("login");
        let page = get(&app, "/clients/beta/spend", Some(&cto)).await;
        assert_eq!(page.status, StatusCode::OK);
        assert!(page.body.contains("Savings found a month") && page.body.contains("<svg"));
        let vendors = get(&app, "/clients/beta/vendors", Some(&cto)).await;
        assert!(
            vendors.body.contains("HubSpot") && vendors.body.contains("2026-11-20"),
            "notice deadline shown"
        );
        let empty = get(&app, "/clients/acme/spend", Some(&cto)).await;
        assert!(empty.body.contains("No bank exports imported yet"));

        let owner = login(&app, "owner@acme.test", PW).await.expect("login");
        let missing = get(&app, "/clients/nope/spend", Some(&owner)).await;
        for path in ["/clients/beta/spend", "/clients/beta/vendors"] {
            let r = get(&app, path, Some(&owner)).await;
            assert_eq!(r.status, StatusCode::NOT_FOUND, "{path} on {}", db.label);
            assert_eq!(r.body, missing.body);
            assert!(!r.body.contains("HubSpot"));
        }
        if db.label == "sqlite" {
            let csrf = hidden_csrf(&page.body);
            insta::assert_snapshot!(
                "spend_page",
                page.body.replace(&csrf, "[csrf]").replace("><", ">\n<")
            );
        }
        s.close().await;
        db.cleanup().await;
    }
}
