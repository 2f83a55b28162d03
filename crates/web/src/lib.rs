//! fcto's web dashboard: server-rendered HTML (maud) over axum.
//!
//! Security model: argon2id passwords (in the store), a random session token
//! in an HttpOnly, SameSite=Strict, Secure cookie (only its hash is stored),
//! a per-session CSRF token checked on every POST, and a strict CSP. A client
//! user can see only their own client: every handler that takes a client
//! slug goes through [`auth::visible_client`], which answers 404 for a client
//! the user may not see, exactly as for one that does not exist.

mod assets;
mod auth;
mod charts;
mod error;
mod mail;
mod pages;
mod spend;

use std::sync::Arc;

use axum::routing::{get, post};
use axum::Router;
use chrono::NaiveDate;
use fcto_engage::TierTable;
use fcto_store::Store;

#[derive(Clone)]
pub struct AppState {
    inner: Arc<Inner>,
}

struct Inner {
    store: Store,
    tiers: TierTable,
    secure_cookies: bool,
    today: Option<NaiveDate>,
    /// Where the mail key lives (fcto's home): approving on the web then
    /// sends at once.
    mail_home: Option<std::path::PathBuf>,
}

impl AppState {
    /// `today`: a fixed date for reports (demo and tests); `None` uses the clock.
    pub fn new(
        store: Store,
        tiers: TierTable,
        secure_cookies: bool,
        today: Option<NaiveDate>,
    ) -> Self {
        AppState {
            inner: Arc::new(Inner {
                store,
                tiers,
                secure_cookies,
                today,
                mail_home: None,
            }),
        }
    }

    /// Send approved replies from the web (the mail key is found from `home`).
    pub fn with_mail_home(self, home: std::path::PathBuf) -> Self {
        let inner = match Arc::try_unwrap(self.inner) {
            Ok(mut inner) => {
                inner.mail_home = Some(home);
                inner
            }
            Err(shared) => Inner {
                store: shared.store.clone(),
                tiers: shared.tiers.clone(),
                secure_cookies: shared.secure_cookies,
                today: shared.today,
                mail_home: Some(home),
            },
        };
        AppState {
            inner: Arc::new(inner),
        }
    }

    pub(crate) fn mail_home(&self) -> Option<&std::path::Path> {
        self.inner.mail_home.as_deref()
    }

    pub(crate) fn store(&self) -> &Store {
        &self.inner.store
    }

    pub(crate) fn tiers(&self) -> &TierTable {
        &self.inner.tiers
    }

    pub(crate) fn today(&self) -> NaiveDate {
        self.inner
            .today
            .unwrap_or_else(|| chrono::Local::now().date_naive())
    }
}

pub fn router(state: AppState) -> Router {
    Router::new()
        .route("/", get(pages::dashboard))
        .route("/login", get(auth::login_form).post(auth::login))
        .route("/logout", post(auth::logout))
        .route("/decisions", get(pages::decisions))
        .route("/clients/{slug}", get(pages::client))
        .route("/clients/{slug}/decisions/{number}", get(pages::decision))
        .route(
            "/clients/{slug}/decisions/{number}/decide",
            post(pages::decide),
        )
        .route("/clients/{slug}/mail", get(mail::queue_page))
        .route("/clients/{slug}/mail/{id}", get(mail::draft_page))
        .route("/clients/{slug}/mail/{id}/decide", post(mail::decide))
        .route("/clients/{slug}/spend", get(spend::spend_page))
        .route("/clients/{slug}/vendors", get(spend::vendors_page))
        .route("/assets/app.css", get(assets::css))
        .fallback(pages::not_found)
        .layer(axum::middleware::from_fn(assets::security_headers))
        .with_state(state)
}

/// Serve until Ctrl-C.
pub async fn serve(listener: tokio::net::TcpListener, state: AppState) -> std::io::Result<()> {
    axum::serve(listener, router(state))
        .with_graceful_shutdown(async {
            let _ = tokio::signal::ctrl_c().await;
        })
        .await
}
