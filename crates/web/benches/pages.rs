//! Server time per page with 50 clients and 10,000 time entries.
//!
//!     cargo bench -p fcto-web --bench pages
//!
//! Runs on SQLite, and on PostgreSQL too when FCTO_TEST_POSTGRES_URL is set.
//! Each request goes through the whole router (session lookup, queries,
//! rendering) in process, so the figure is server time without the network.

use std::time::{Duration, Instant};

use axum::body::Body;
use axum::http::{header, Request, StatusCode};
use chrono::{Duration as Days, NaiveDate};
use fcto_engage::*;
use fcto_store::testkit::TestDb;
use fcto_store::{NewUser, Store};
use http_body_util::BodyExt;
use tower::ServiceExt;

const CLIENTS: usize = 50;
const ENTRIES: usize = 10_000;
const RUNS: usize = 60;

async fn seed(s: &Store) -> String {
    let start = NaiveDate::from_ymd_opt(2026, 5, 1).expect("date");
    let tiers = [Tier::Foundation, Tier::Growth, Tier::Dominance];
    for i in 0..CLIENTS {
        let slug = format!("client-{i:02}");
        s.add_client(&NewClient {
            slug: slug.clone(),
            name: format!("Client {i:02} Ltd"),
            sector: Some("Services".into()),
            currency: "GBP".into(),
            tier: tiers[i % 3],
            owner_name: Some(format!("Owner {i}")),
            owner_email: None,
            start_date: start,
        })
        .await
        .expect("client");
        for n in 0..10 {
            s.new_decision(
                &slug,
                &NewDecision {
                    title: format!("Decision {n} for client {i}"),
                    context: "Context of the decision, a paragraph long.".repeat(3),
                    options: vec!["Option A".into(), "Option B".into()],
                    decide_by: Some(start + Days::days(20 * n)),
                    created_on: start,
                },
            )
            .await
            .expect("decision");
        }
        s.add_system(
            &slug,
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
    let kinds = [WorkKind::Decide, WorkKind::Execute];
    let acts = Activity::ALL;
    for e in 0..ENTRIES {
        let slug = format!("client-{:02}", e % CLIENTS);
        s.log_time(
            &slug,
            &NewTimeEntry {
                date: start + Days::days((e / CLIENTS) as i64 % 205),
                hours: 0.25 * (1 + e % 8) as f64,
                kind: kinds[e % 2],
                activity: acts[e % acts.len()],
                note: None,
            },
        )
        .await
        .expect("time");
    }
    let u = s
        .add_user(&NewUser {
            email: "cto@bench.test",
            display_name: "CTO",
            password: "bench password 123",
            role: Role::Cto,
            client: None,
        })
        .await
        .expect("user");
    let token = s
        .create_session(u.id, Days::hours(1))
        .await
        .expect("session");
    format!("fcto_session={token}")
}

fn percentile(sorted: &[Duration], p: f64) -> f64 {
    let i = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted[i].as_secs_f64() * 1000.0
}

async fn bench(db: &TestDb) {
    let s = db.open().await.expect("open");
    let t = Instant::now();
    let cookie = seed(&s).await;
    eprintln!(
        "[{}] seeded {CLIENTS} clients, {ENTRIES} time entries in {:.1} s",
        db.label,
        t.elapsed().as_secs_f64()
    );
    let app = fcto_web::router(fcto_web::AppState::new(
        s.clone(),
        TierTable::default(),
        true,
        NaiveDate::from_ymd_opt(2026, 11, 25),
    ));
    println!(
        "{:<8} {:<34} {:>8} {:>8} {:>8} {:>9}",
        "backend", "page", "p50 ms", "p95 ms", "max ms", "KiB"
    );
    for path in [
        "/",
        "/clients/client-07",
        "/decisions",
        "/clients/client-07/decisions/3",
        "/login",
    ] {
        let mut times = Vec::with_capacity(RUNS);
        let mut size = 0;
        for _ in 0..RUNS {
            let req = Request::get(path)
                .header(header::COOKIE, &cookie)
                .body(Body::empty())
                .expect("req");
            let t = Instant::now();
            let res = app.clone().oneshot(req).await.expect("response");
            assert_eq!(res.status(), StatusCode::OK, "{path}");
            let body = res.into_body().collect().await.expect("body").to_bytes();
            times.push(t.elapsed());
            size = body.len();
        }
        times.sort();
        println!(
            "{:<8} {:<34} {:>8.2} {:>8.2} {:>8.2} {:>9.1}",
            db.label,
            path,
            percentile(&times, 0.5),
            percentile(&times, 0.95),
            percentile(&times, 1.0),
            size as f64 / 1024.0
        );
    }
    s.close().await;
}

#[tokio::main(flavor = "multi_thread", worker_threads = 2)]
async fn main() {
    // `cargo test --benches` passes --bench-free args; run only under `cargo bench`.
    if std::env::args().any(|a| a == "--list" || a == "--test") {
        return;
    }
    for db in TestDb::all().await {
        bench(&db).await;
        db.cleanup().await;
    }
}
