//! fcto's store: one API over SQLite (the embedded default) and PostgreSQL
//! (a firm with many CTOs), selected by a database URL.
//!
//! Queries are written once in the SQL both backends share (`$N` parameters,
//! ISO-8601 dates as TEXT, integer flags); only the migration files differ per
//! backend. Migrations run under a lock on every open (see [`migrate`]).

pub mod audits;
mod bulk;
pub mod catalog;
mod clients;
pub mod decisions;
mod error;
pub mod mail;
pub mod mail_drafts;
pub mod migrate;
pub mod osv;
mod reports;
pub mod spend;
mod systems;
pub mod testkit;
pub mod time;
mod users;

use std::str::FromStr;
use std::time::Duration;

use sqlx::any::{AnyPoolOptions, AnyRow};
use sqlx::{AnyPool, Row};

pub use error::{StoreError, StoreResult};
pub use users::{random_token as users_random_token, NewUser, Session, User};

/// Which database engine a URL selects.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

impl Backend {
    pub fn of_url(url: &str) -> StoreResult<Backend> {
        if url.starts_with("sqlite:") {
            Ok(Backend::Sqlite)
        } else if url.starts_with("postgres://") || url.starts_with("postgresql://") {
            Ok(Backend::Postgres)
        } else {
            Err(StoreError::UnsupportedUrl(redact_url(url)))
        }
    }
}

/// Hide the password of a database URL before it goes into a message or log.
pub fn redact_url(url: &str) -> String {
    if let Some((scheme, rest)) = url.split_once("://") {
        if let Some((auth, host)) = rest.split_once('@') {
            if let Some((user, _)) = auth.split_once(':') {
                return format!("{scheme}://{user}:***@{host}");
            }
        }
    }
    url.to_string()
}

/// How to open a database.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OpenMode {
    /// Create a missing SQLite file (used by `fcto init` and the demo).
    Create,
    /// The database must already exist.
    Existing,
}

#[derive(Clone, Debug)]
pub struct Store {
    pool: AnyPool,
    backend: Backend,
    /// The SQLite file, for bulk transfers over a native connection (see
    /// `bulk`); `None` on PostgreSQL and for in-memory databases.
    sqlite_file: Option<std::path::PathBuf>,
}

impl Store {
    /// Connect, check the schema is not from a newer fcto, and migrate.
    pub async fn open(url: &str, mode: OpenMode) -> StoreResult<Store> {
        sqlx::any::install_default_drivers();
        let backend = Backend::of_url(url)?;
        let url = match (backend, mode) {
            (Backend::Sqlite, OpenMode::Create) => with_param(url, "mode", "rwc"),
            (Backend::Sqlite, OpenMode::Existing) => {
                let path = sqlite_path(url);
                if !path.is_empty() && path != ":memory:" && !std::path::Path::new(&path).exists() {
                    return Err(StoreError::NoDatabase(path));
                }
                with_param(url, "mode", "rw")
            }
            (Backend::Postgres, _) => url.to_string(),
        };
        let pool = AnyPoolOptions::new()
            .max_connections(match backend {
                Backend::Sqlite => 4,
                Backend::Postgres => 8,
            })
            .acquire_timeout(Duration::from_secs(10))
            .after_connect(move |conn, _| {
                Box::pin(async move {
                    if backend == Backend::Sqlite {
                        sqlx::query("PRAGMA foreign_keys = ON")
                            .execute(&mut *conn)
                            .await?;
                        sqlx::query("PRAGMA busy_timeout = 10000")
                            .execute(&mut *conn)
                            .await?;
                        // WAL makes NORMAL safe against corruption; a larger
                        // page cache keeps big imports off the disk. These
                        // read the file, so on a file that is not a database
                        // they fail: that is left to the first real
                        // statement in `open` to report, not to the pool,
                        // which would retry until it times out.
                        for pragma in [
                            "PRAGMA synchronous = NORMAL",
                            "PRAGMA cache_size = -65536",
                            "PRAGMA temp_store = MEMORY",
                        ] {
                            let _ = sqlx::query(pragma).execute(&mut *conn).await;
                        }
                    }
                    Ok(())
                })
            })
            .connect(&url)
            .await
            .map_err(|e| StoreError::from_connect(&url, e))?;
        let sqlite_file = match backend {
            Backend::Sqlite => Some(sqlite_path(&url))
                .filter(|p| !p.is_empty() && !p.starts_with(":memory:"))
                .map(std::path::PathBuf::from),
            Backend::Postgres => None,
        };
        let store = Store {
            pool,
            backend,
            sqlite_file,
        };
        if backend == Backend::Sqlite {
            // WAL lets the web server read while the CLI writes.
            sqlx::query("PRAGMA journal_mode = WAL")
                .execute(&store.pool)
                .await
                .map_err(|e| StoreError::from_connect(&url, e))?;
        }
        migrate::run(&store).await?;
        Ok(store)
    }

    pub fn backend(&self) -> Backend {
        self.backend
    }

    pub fn pool(&self) -> &AnyPool {
        &self.pool
    }

    pub async fn close(&self) {
        self.pool.close().await;
    }
}

fn with_param(url: &str, key: &str, value: &str) -> String {
    if url.contains(&format!("{key}=")) {
        url.to_string()
    } else if url.contains('?') {
        format!("{url}&{key}={value}")
    } else {
        format!("{url}?{key}={value}")
    }
}

/// The file path of a `sqlite:` URL.
pub fn sqlite_path(url: &str) -> String {
    let rest = url.trim_start_matches("sqlite:").trim_start_matches("//");
    rest.split('?').next().unwrap_or("").to_string()
}

/// The current time as stored (`2026-11-25T09:00:00Z`).
pub(crate) fn now_text() -> String {
    chrono::Utc::now().format("%Y-%m-%dT%H:%M:%SZ").to_string()
}

/// Read a text column that holds a closed word (tier, kind, status...). A
/// value fcto does not know means the row was written by something else.
pub(crate) fn word<T: FromStr>(row: &AnyRow, col: &str) -> StoreResult<T> {
    let s: String = row.try_get(col)?;
    s.parse()
        .map_err(|_| StoreError::Corrupt(format!("column {col} holds unknown value {s:?}")))
}

pub(crate) fn date(row: &AnyRow, col: &str) -> StoreResult<chrono::NaiveDate> {
    let s: String = row.try_get(col)?;
    chrono::NaiveDate::parse_from_str(&s, "%Y-%m-%d")
        .map_err(|_| StoreError::Corrupt(format!("column {col} holds {s:?}, not a date")))
}

pub(crate) fn opt_date(row: &AnyRow, col: &str) -> StoreResult<Option<chrono::NaiveDate>> {
    let s: Option<String> = row.try_get(col)?;
    s.map(|s| {
        chrono::NaiveDate::parse_from_str(&s, "%Y-%m-%d")
            .map_err(|_| StoreError::Corrupt(format!("column {col} holds {s:?}, not a date")))
    })
    .transpose()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn urls() {
        assert_eq!(
            Backend::of_url("sqlite:/tmp/x.db").ok(),
            Some(Backend::Sqlite)
        );
        assert_eq!(
            Backend::of_url("postgresql://a@b/c").ok(),
            Some(Backend::Postgres)
        );
        assert!(Backend::of_url("mysql://x").is_err());
        assert_eq!(
            redact_url("postgres://u:secret@h:5432/db"),
            "postgres://u:***@h:5432/db"
        );
        assert_eq!(sqlite_path("sqlite:///tmp/a.db?mode=rw"), "/tmp/a.db");
        assert_eq!(sqlite_path("sqlite:rel.db"), "rel.db");
    }
}
