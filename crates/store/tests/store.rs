//! Every store behaviour, on SQLite and (with FCTO_TEST_POSTGRES_URL) PostgreSQL.

use chrono::{Duration, NaiveDate};
use fcto_engage::*;
use fcto_store::decisions::DecisionFilter;
use fcto_store::testkit::TestDb;
use fcto_store::time::TimeFilter;
use fcto_store::{NewUser, OpenMode, Store, StoreError};

fn d(y: i32, m: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, day).expect("date")
}

fn new_client(slug: &str, tier: Tier) -> NewClient {
    NewClient {
        slug: slug.into(),
        name: format!("{slug} Ltd"),
        sector: Some("hospitality".into()),
        currency: "GBP".into(),
        tier,
        owner_name: Some("Priya Shah".into()),
        owner_email: Some("priya@example.co.uk".into()),
        start_date: d(2026, 9, 1),
    }
}

fn entry(date: NaiveDate, hours: f64, kind: WorkKind) -> NewTimeEntry {
    NewTimeEntry {
        date,
        hours,
        kind,
        activity: Activity::Review,
        note: None,
    }
}

#[tokio::test]
async fn clients_add_list_edit_archive() {
    for db in TestDb::all().await {
        let s = db.open().await.expect("open");
        let a = s
            .add_client(&new_client("acme", Tier::Growth))
            .await
            .expect("add");
        assert_eq!(a.slug, "acme");
        assert_eq!(a.tier, Tier::Growth);
        s.add_client(&new_client("beta", Tier::Foundation))
            .await
            .expect("add beta");

        let dup = s.add_client(&new_client("acme", Tier::Foundation)).await;
        assert!(
            matches!(dup, Err(StoreError::DuplicateSlug(ref x)) if x == "acme"),
            "{}",
            db.label
        );

        let mut bad = new_client("gamma", Tier::Growth);
        bad.owner_email = Some("not-an-email".into());
        assert!(matches!(
            s.add_client(&bad).await,
            Err(StoreError::Invalid(_))
        ));
        assert_eq!(
            s.list_clients(true).await.expect("list").len(),
            2,
            "nothing stored for bad input"
        );

        let edited = s
            .edit_client(
                "acme",
                &ClientEdit {
                    tier: Some(Tier::Dominance),
                    name: Some("Acme Hotels".into()),
                    ..Default::default()
                },
            )
            .await
            .expect("edit");
        assert_eq!(edited.tier, Tier::Dominance);
        assert_eq!(edited.name, "Acme Hotels");
        assert_eq!(
            edited.owner_name.as_deref(),
            Some("Priya Shah"),
            "untouched fields kept"
        );

        let bad_edit = s
            .edit_client(
                "acme",
                &ClientEdit {
                    currency: Some("pounds".into()),
                    ..Default::default()
                },
            )
            .await;
        assert!(bad_edit.is_err());
        assert_eq!(s.client("acme").await.expect("get").currency, "GBP");

        s.set_archived("beta", true).await.expect("archive");
        let active: Vec<String> = s
            .list_clients(false)
            .await
            .expect("list")
            .into_iter()
            .map(|c| c.slug)
            .collect();
        assert_eq!(active, vec!["acme"]);
        assert!(matches!(
            s.client("nope").await,
            Err(StoreError::UnknownClient(_))
        ));
        s.close().await;
        db.cleanup().await;
    }
}

#[tokio::test]
async fn time_log_and_monthly_hours() {
    for db in TestDb::all().await {
        let s = db.open().await.expect("open");
        let c = s
            .add_client(&new_client("acme", Tier::Growth))
            .await
            .expect("add");
        s.log_time("acme", &entry(d(2026, 9, 2), 3.5, WorkKind::Execute))
            .await
            .expect("log");
        s.log_time("acme", &entry(d(2026, 9, 30), 1.0, WorkKind::Decide))
            .await
            .expect("log");
        s.log_time("acme", &entry(d(2026, 10, 1), 2.25, WorkKind::Decide))
            .await
            .expect("log");

        for bad in [-1.0, 0.0, 25.0, f64::NAN, 1e12] {
            let r = s
                .log_time("acme", &entry(d(2026, 10, 2), bad, WorkKind::Decide))
                .await;
            assert!(
                matches!(r, Err(StoreError::Invalid(_))),
                "{bad} accepted on {}",
                db.label
            );
        }
        assert!(matches!(
            s.log_time("ghost", &entry(d(2026, 10, 2), 1.0, WorkKind::Decide))
                .await,
            Err(StoreError::UnknownClient(_))
        ));

        let all = s.time_entries(&TimeFilter::default()).await.expect("list");
        assert_eq!(all.len(), 3, "bad entries stored nothing");
        assert_eq!(all[0].date, d(2026, 10, 1), "newest first");
        let sept = s
            .time_entries(&TimeFilter {
                client: Some("acme".into()),
                from: Some(d(2026, 9, 1)),
                to: Some(d(2026, 9, 30)),
                limit: None,
            })
            .await
            .expect("filter");
        assert_eq!(sept.len(), 2);

        let months = s.monthly_hours(c.id).await.expect("monthly");
        assert_eq!(months.len(), 2);
        assert_eq!(months[0].0.to_string(), "2026-09");
        assert_eq!(
            months[0].1,
            MonthHours {
                decide: 1.0,
                execute: 3.5
            }
        );
        assert_eq!(months[1].1.decide, 2.25);
        assert_eq!(
            s.hours_in_month(
                c.id,
                Month {
                    year: 2026,
                    month: 9
                }
            )
            .await
            .expect("sum"),
            4.5
        );
        assert_eq!(
            s.hours_in_month(
                c.id,
                Month {
                    year: 2027,
                    month: 1
                }
            )
            .await
            .expect("sum"),
            0.0
        );

        s.set_archived("acme", true).await.expect("archive");
        assert!(matches!(
            s.log_time("acme", &entry(d(2026, 10, 2), 1.0, WorkKind::Decide))
                .await,
            Err(StoreError::Conflict(_))
        ));
        s.close().await;
        db.cleanup().await;
    }
}

#[tokio::test]
async fn decisions_are_numbered_decided_and_superseded() {
    for db in TestDb::all().await {
        let s = db.open().await.expect("open");
        s.add_client(&new_client("acme", Tier::Growth))
            .await
            .expect("add");
        s.add_client(&new_client("beta", Tier::Growth))
            .await
            .expect("add");
        let nd = |t: &str, by: Option<NaiveDate>| NewDecision {
            title: t.into(),
            context: "ctx".into(),
            options: vec!["A".into(), "B, with a comma".into()],
            decide_by: by,
            created_on: d(2026, 11, 1),
        };
        let one = s
            .new_decision("acme", &nd("Pick a CRM", Some(d(2026, 11, 20))))
            .await
            .expect("new");
        let two = s
            .new_decision("acme", &nd("Host on Fly", Some(d(2026, 12, 20))))
            .await
            .expect("new");
        let b1 = s
            .new_decision("beta", &nd("Drop Zapier", None))
            .await
            .expect("new");
        assert_eq!(
            (one.number, two.number, b1.number),
            (1, 2, 1),
            "numbers are per client"
        );
        assert_eq!(one.options[1], "B, with a comma");
        assert_eq!(one.status, DecisionStatus::Proposed);

        let due = s
            .decisions(&DecisionFilter {
                due_by: Some(d(2026, 11, 30)),
                ..Default::default()
            })
            .await
            .expect("due");
        assert_eq!(due.iter().map(|x| x.number).collect::<Vec<_>>(), vec![1]);

        let acc = s
            .decide(
                "acme",
                1,
                DecisionStatus::Accepted,
                Some("HubSpot free tier"),
                &DecidedBy::Team("Priya".into()),
                d(2026, 11, 18),
            )
            .await
            .expect("accept");
        assert_eq!(acc.decided_by, Some(DecidedBy::Team("Priya".into())));
        assert_eq!(acc.decided_on, Some(d(2026, 11, 18)));
        let again = s
            .decide(
                "acme",
                1,
                DecisionStatus::Rejected,
                None,
                &DecidedBy::Cto,
                d(2026, 11, 19),
            )
            .await;
        assert!(matches!(again, Err(StoreError::Conflict(_))));

        assert!(
            matches!(
                s.supersede("acme", 2, 1).await,
                Err(StoreError::Conflict(_))
            ),
            "proposed cannot be superseded"
        );
        let sup = s.supersede("acme", 1, 2).await.expect("supersede");
        assert_eq!(sup.status, DecisionStatus::Superseded);
        assert_eq!(sup.superseded_by, Some(2));

        assert!(matches!(
            s.decision("acme", 99).await,
            Err(StoreError::NotFound(_))
        ));
        assert!(matches!(
            s.decision("ghost", 1).await,
            Err(StoreError::UnknownClient(_))
        ));
        let scoped = s
            .decisions(&DecisionFilter {
                only_clients: Some(vec!["beta".into()]),
                ..Default::default()
            })
            .await
            .expect("scoped");
        assert!(scoped.iter().all(|x| x.client_slug == "beta"));
        assert_eq!(scoped.len(), 1);
        s.close().await;
        db.cleanup().await;
    }
}

#[tokio::test]
async fn systems_go_live_with_a_date() {
    for db in TestDb::all().await {
        let s = db.open().await.expect("open");
        s.add_client(&new_client("acme", Tier::Growth))
            .await
            .expect("add");
        let ns = NewSystem {
            name: "WhatsApp qualifier".into(),
            status: SystemStatus::Building,
            owner: Some("Priya".into()),
            metric: Some("lead conversion".into()),
        };
        s.add_system("acme", &ns).await.expect("add system");
        assert!(matches!(
            s.add_system("acme", &ns).await,
            Err(StoreError::Duplicate(_))
        ));
        assert!(s
            .set_system_status("acme", "WhatsApp qualifier", SystemStatus::Live, None)
            .await
            .is_err());
        let live = s
            .set_system_status(
                "acme",
                "WhatsApp qualifier",
                SystemStatus::Live,
                Some(d(2026, 9, 20)),
            )
            .await
            .expect("live");
        assert_eq!(live.live_date, Some(d(2026, 9, 20)));
        assert_eq!(s.systems(Some("acme")).await.expect("list").len(), 1);
        s.close().await;
        db.cleanup().await;
    }
}

#[tokio::test]
async fn users_login_and_sessions() {
    for db in TestDb::all().await {
        let s = db.open().await.expect("open");
        let acme = s
            .add_client(&new_client("acme", Tier::Growth))
            .await
            .expect("add");
        let beta = s
            .add_client(&new_client("beta", Tier::Growth))
            .await
            .expect("add");
        let cu = s
            .add_user(&NewUser {
                email: "Priya@Acme.co.uk",
                display_name: "Priya",
                password: "correct horse battery",
                role: Role::Client,
                client: Some("acme"),
            })
            .await
            .expect("user");
        assert!(cu.can_see(acme.id));
        assert!(!cu.can_see(beta.id));
        assert!(s
            .add_user(&NewUser {
                email: "x@y.io",
                display_name: "X",
                password: "short",
                role: Role::Cto,
                client: None
            })
            .await
            .is_err());
        assert!(s
            .add_user(&NewUser {
                email: "x@y.io",
                display_name: "X",
                password: "long enough pw",
                role: Role::Client,
                client: None
            })
            .await
            .is_err());

        assert!(s
            .verify_login("priya@acme.co.uk", "wrong password")
            .await
            .expect("verify")
            .is_none());
        assert!(s
            .verify_login("nobody@acme.co.uk", "correct horse battery")
            .await
            .expect("verify")
            .is_none());
        let u = s
            .verify_login("priya@acme.co.uk", "correct horse battery")
            .await
            .expect("verify")
            .expect("user");
        assert_eq!(u.client_slug.as_deref(), Some("acme"));

        let token = s
            .create_session(u.id, Duration::hours(1))
            .await
            .expect("session");
        let sess = s.session(&token).await.expect("get").expect("live");
        assert_eq!(sess.user.id, u.id);
        assert_eq!(sess.csrf_token.len(), 64);
        assert!(s.session("forged").await.expect("get").is_none());
        s.end_session(&token).await.expect("end");
        assert!(s.session(&token).await.expect("get").is_none());

        let expired = s
            .create_session(u.id, Duration::seconds(-1))
            .await
            .expect("session");
        assert!(s.session(&expired).await.expect("get").is_none());
        s.close().await;
        db.cleanup().await;
    }
}

#[tokio::test]
async fn concurrent_opens_migrate_once() {
    for db in TestDb::all().await {
        let mut handles = Vec::new();
        for _ in 0..6 {
            let url = db.url.clone();
            handles.push(tokio::spawn(async move {
                Store::open(&url, OpenMode::Create)
                    .await
                    .map(|s| s.backend())
            }));
        }
        for h in handles {
            h.await
                .expect("join")
                .expect("every concurrent open succeeds");
        }
        let s = db.open().await.expect("open");
        let versions = fcto_store::migrate::applied_versions(&s)
            .await
            .expect("versions");
        assert_eq!(
            versions,
            {
                // Every known migration, whatever gaps the numbering has.
                let mut known: Vec<i64> = fcto_store::migrate::MIGRATIONS
                    .iter()
                    .map(|m| m.version)
                    .collect();
                known.sort_unstable();
                known
            },
            "{}",
            db.label
        );
        s.close().await;
        db.cleanup().await;
    }
}

#[tokio::test]
async fn newer_schema_is_refused_and_data_kept() {
    for db in TestDb::all().await {
        let s = db.open().await.expect("open");
        s.add_client(&new_client("acme", Tier::Growth))
            .await
            .expect("add");
        sqlx::query("INSERT INTO fcto_schema_migrations (version, name, applied_at) VALUES (999, 'future', 'x')")
            .execute(s.pool())
            .await
            .expect("fake a future version");
        s.close().await;
        match Store::open(&db.url, OpenMode::Existing).await {
            Err(StoreError::NewerSchema { found: 999, known }) => {
                assert_eq!(known, fcto_store::migrate::latest_version())
            }
            other => panic!("expected NewerSchema on {}, got {other:?}", db.label),
        }
        // Nothing was changed: remove the marker and the client is still there.
        sqlx::any::install_default_drivers();
        let pool = sqlx::AnyPool::connect(&db.url).await.expect("raw connect");
        sqlx::query("DELETE FROM fcto_schema_migrations WHERE version = 999")
            .execute(&pool)
            .await
            .expect("rm");
        pool.close().await;
        let s = Store::open(&db.url, OpenMode::Existing)
            .await
            .expect("reopen");
        assert_eq!(s.client("acme").await.expect("kept").slug, "acme");
        s.close().await;
        db.cleanup().await;
    }
}

#[tokio::test]
async fn a_file_that_is_not_a_database_is_a_clear_error() {
    let dir = tempfile::tempdir().expect("tmp");
    let path = dir.path().join("fcto.db");
    std::fs::write(&path, "this is a text file, not SQLite\n".repeat(200)).expect("write");
    let url = format!("sqlite:{}", path.display());
    let err = Store::open(&url, OpenMode::Existing)
        .await
        .expect_err("must refuse");
    assert!(matches!(err, StoreError::NotADatabase { .. }), "{err:?}");
    assert!(err.is_user_error());
    assert_eq!(
        std::fs::read_to_string(&path).expect("read"),
        "this is a text file, not SQLite\n".repeat(200),
        "the file was not modified"
    );

    let missing = format!("sqlite:{}", dir.path().join("missing.db").display());
    assert!(matches!(
        Store::open(&missing, OpenMode::Existing).await,
        Err(StoreError::NoDatabase(_))
    ));
    assert!(!dir.path().join("missing.db").exists());
    assert!(matches!(
        Store::open("mysql://x", OpenMode::Existing).await,
        Err(StoreError::UnsupportedUrl(_))
    ));
}

#[tokio::test]
async fn audits_and_notes_are_kept_per_client() {
    for db in TestDb::all().await {
        let s = db.open().await.expect("open");
        s.add_client(&new_client("acme", Tier::Growth))
            .await
            .expect("acme");
        s.add_client(&new_client("beta", Tier::Growth))
            .await
            .expect("beta");
        let first = s
            .save_audit("acme", "2026-11-01T10:00:00Z", "2 risks", r#"{"n":1}"#)
            .await
            .expect("save");
        let second = s
            .save_audit("acme", "2026-11-20T10:00:00Z", "1 risk", r#"{"n":2}"#)
            .await
            .expect("save");
        s.save_audit("beta", "2026-11-21T10:00:00Z", "beta's", r#"{"n":3}"#)
            .await
            .expect("save");
        let list = s.audits("acme").await.expect("list");
        assert_eq!(
            list.iter().map(|a| a.id).collect::<Vec<_>>(),
            vec![first.id, second.id],
            "{}",
            db.label
        );
        let (row, json) = s.audit_report("acme", None).await.expect("latest");
        assert_eq!(
            (row.id, json.as_str()),
            (second.id, r#"{"n":2}"#),
            "{}",
            db.label
        );
        let (_, json) = s.audit_report("acme", Some(first.id)).await.expect("by id");
        assert_eq!(json, r#"{"n":1}"#);
        // Another client's audit id is not reachable through this client.
        let beta_id = s.audits("beta").await.expect("beta")[0].id;
        assert!(matches!(
            s.audit_report("acme", Some(beta_id)).await,
            Err(StoreError::NotFound(_))
        ));
        assert!(matches!(
            s.audit_report("nobody", None).await,
            Err(StoreError::UnknownClient(_))
        ));

        s.add_audit_note(
            "acme",
            "vendors",
            "Stripe: annual contract, renews in March",
        )
        .await
        .expect("note");
        s.add_audit_note("beta", "backlog", "beta's note")
            .await
            .expect("note");
        let notes = s.audit_notes("acme").await.expect("notes");
        assert_eq!(notes.len(), 1, "{}", db.label);
        assert_eq!(notes[0].section, "vendors");
        assert!(notes[0].body.contains("Stripe"));
        db.cleanup().await;
    }
}
