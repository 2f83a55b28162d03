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

/// A synced inquiry and its queued draft for `client`; returns the draft id.
async fn seed_draft(s: &Store, client: &str, key: &str) -> i64 {
    let sync = fcto_store::mail::FolderSync {
        uid_validity: 1,
        uid_next: 2,
        highest_modseq: None,
    };
    let message = fcto_store::mail::MailMessage {
        message_key: key.into(),
        folder: "INBOX".into(),
        uid: 1,
        thread_id: Some(key.into()),
        from_email: Some("sam@example.com".into()),
        subject: "Group of 10 on Saturday".into(),
        sent_at: Some("2026-11-24T09:00:00+00:00".into()),
        triage: "inquiry".into(),
        intent: Some("booking".into()),
        needs_person: false,
        detail: String::new(),
        body: "How much is the deposit for 10? <script>alert(1)</script>".into(),
        reply_to: None,
        refs: String::new(),
    };
    s.record_mail_message(client, &message, sync)
        .await
        .expect("message");
    let inquiry = s.mail_inquiries_to_draft(client).await.expect("pending")[0].id;
    let draft = fcto_store::mail_drafts::NewMailDraft {
        message_id: inquiry,
        body: "Hi Sam,\n\nThe deposit is £10 per head.\n\nPriya".into(),
        flags: r#"["the facts did not answer everything: check the marked places"]"#.into(),
        model: "embedded:test.gguf".into(),
        latency_ms: 4200,
        prompt_chars: 1800,
        examples: "[]".into(),
        passages: "[]".into(),
        reply_message_id: format!("fcto.{client}@acme.test"),
        from_address: "hello@acme.test".into(),
        to_address: "sam@example.com".into(),
        subject: "Group of 10 on Saturday".into(),
        in_reply_to: Some(key.into()),
        refs: String::new(),
    };
    s.insert_mail_draft(client, &draft)
        .await
        .expect("draft")
        .expect("new")
        .id
}

#[tokio::test]
async fn the_owner_approves_an_edited_reply_on_the_web_and_sees_no_other_clients_drafts() {
    let db = TestDb::sqlite().await;
    let s = db.open().await.expect("open");
    seed(&s).await;
    let acme_draft = seed_draft(&s, "acme", "q1@example.com").await;
    let beta_draft = seed_draft(&s, "beta", "q2@example.com").await;
    let app = app(s.clone());
    let owner = login(&app, "owner@acme.test", PW).await.expect("login");

    let queue = get(&app, "/clients/acme/mail", Some(&owner)).await;
    assert_eq!(queue.status, StatusCode::OK);
    assert!(queue.body.contains("Group of 10 on Saturday"));
    let page = get(
        &app,
        &format!("/clients/acme/mail/{acme_draft}"),
        Some(&owner),
    )
    .await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(
        !page.body.contains("<script>alert"),
        "inquiry text is escaped"
    );
    let csrf = hidden_csrf(&page.body);
    let clean = |b: &str| b.replace(&csrf, "[csrf]").replace("><", ">\n<");
    insta::assert_snapshot!("mail_draft_page", clean(&page.body));

    // Another client's draft: not found, and posting to it changes nothing.
    for path in [
        "/clients/beta/mail".to_string(),
        format!("/clients/beta/mail/{beta_draft}"),
        format!("/clients/acme/mail/{beta_draft}"),
    ] {
        assert_eq!(
            get(&app, &path, Some(&owner)).await.status,
            StatusCode::NOT_FOUND,
            "{path}"
        );
    }
    let r = post(
        &app,
        &format!("/clients/acme/mail/{beta_draft}/decide"),
        Some(&owner),
        &format!("csrf={csrf}&action=approve&body=mine"),
    )
    .await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
    assert_eq!(
        s.mail_draft("beta", beta_draft).await.expect("beta").status,
        "queued"
    );

    // Without the session's token nothing changes.
    let r = post(
        &app,
        &format!("/clients/acme/mail/{acme_draft}/decide"),
        Some(&owner),
        "csrf=wrong&action=approve&body=x",
    )
    .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);

    let edited = "Hi Sam,\n\nA group of 10 pays £10 per head.\n\nPriya";
    let r = post(
        &app,
        &format!("/clients/acme/mail/{acme_draft}/decide"),
        Some(&owner),
        &format!("csrf={csrf}&action=approve&body={}", form_encode(edited)),
    )
    .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    let d = s.mail_draft("acme", acme_draft).await.expect("draft");
    assert_eq!(d.status, "approved");
    assert_eq!(d.body, edited);
    assert_eq!(d.decided_by.as_deref(), Some("Ann Owner"));
    assert!(d.edit_distance.unwrap_or(0) > 0);
    // Deciding twice is a conflict, not a second approval.
    let r = post(
        &app,
        &format!("/clients/acme/mail/{acme_draft}/decide"),
        Some(&owner),
        &format!("csrf={csrf}&action=reject"),
    )
    .await;
    assert_eq!(r.status, StatusCode::CONFLICT);
    assert_eq!(
        s.mail_draft("acme", acme_draft)
            .await
            .expect("draft")
            .status,
        "approved"
    );
    s.close().await;
    db.cleanup().await;
}
