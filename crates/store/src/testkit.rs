//! Test support: run the same test against SQLite and, when
//! `FCTO_TEST_POSTGRES_URL` is set, against PostgreSQL in a schema of its own.

use crate::{OpenMode, Store, StoreResult};

/// A database made for one test, removed when dropped (PostgreSQL schemas are
/// dropped by [`TestDb::cleanup`]).
pub struct TestDb {
    pub url: String,
    pub label: &'static str,
    _dir: Option<TempDir>,
    pg_admin: Option<(String, String)>,
}

/// A temporary folder without pulling a crate into non-test builds.
struct TempDir(std::path::PathBuf);

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

impl TestDb {
    pub async fn sqlite() -> TestDb {
        let dir = std::env::temp_dir().join(format!("fcto-test-{}", crate::users::random_token()));
        std::fs::create_dir_all(&dir).expect("create temp dir");
        let url = format!("sqlite:{}", dir.join("fcto.db").display());
        TestDb {
            url,
            label: "sqlite",
            _dir: Some(TempDir(dir)),
            pg_admin: None,
        }
    }

    /// A fresh schema on the test PostgreSQL, or `None` (with a note on
    /// stderr) when `FCTO_TEST_POSTGRES_URL` is not set.
    pub async fn postgres() -> Option<TestDb> {
        let Ok(base) = std::env::var("FCTO_TEST_POSTGRES_URL") else {
            eprintln!(
                "note: FCTO_TEST_POSTGRES_URL is not set; skipping the PostgreSQL run of this test"
            );
            return None;
        };
        sqlx::any::install_default_drivers();
        let schema = format!("fcto_t_{}", &crate::users::random_token()[..16]);
        let mut conn = <sqlx::AnyConnection as sqlx::Connection>::connect(&base)
            .await
            .expect("connect to FCTO_TEST_POSTGRES_URL");
        sqlx::raw_sql(&format!("CREATE SCHEMA {schema}"))
            .execute(&mut conn)
            .await
            .expect("create test schema");
        let sep = if base.contains('?') { '&' } else { '?' };
        let url = format!("{base}{sep}options=-c%20search_path%3D{schema}");
        Some(TestDb {
            url,
            label: "postgres",
            _dir: None,
            pg_admin: Some((base, schema)),
        })
    }

    /// Both backends that are available here.
    pub async fn all() -> Vec<TestDb> {
        let mut v = vec![TestDb::sqlite().await];
        if let Some(pg) = TestDb::postgres().await {
            v.push(pg);
        }
        v
    }

    pub async fn open(&self) -> StoreResult<Store> {
        Store::open(&self.url, OpenMode::Create).await
    }

    /// Drop the PostgreSQL schema (best effort).
    pub async fn cleanup(self) {
        if let Some((base, schema)) = &self.pg_admin {
            if let Ok(mut conn) = <sqlx::AnyConnection as sqlx::Connection>::connect(base).await {
                let _ = sqlx::raw_sql(&format!("DROP SCHEMA {schema} CASCADE"))
                    .execute(&mut conn)
                    .await;
            }
        }
    }
}
