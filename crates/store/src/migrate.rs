//! Versioned schema migrations for both backends, run on every open.
//!
//! Safe against a second fcto process: the whole check-and-apply runs in one
//! transaction that first takes a lock (SQLite: `BEGIN IMMEDIATE`, the write
//! lock; PostgreSQL: a transaction-scoped advisory lock), so a concurrent
//! opener waits, then finds the work done. DDL is transactional on both, so a
//! failed migration leaves nothing half-applied. A database whose version is
//! newer than this binary knows is refused, not "migrated" down.

use sqlx::Row;

use crate::error::{is_not_a_database, StoreError, StoreResult};
use crate::{Backend, Store};

pub struct Migration {
    pub version: i64,
    pub name: &'static str,
    sqlite: &'static str,
    postgres: &'static str,
}

pub const MIGRATIONS: &[Migration] = &[
    Migration {
        version: 1,
        name: "engagements",
        sqlite: include_str!("../migrations/sqlite/0001_engagements.sql"),
        postgres: include_str!("../migrations/postgres/0001_engagements.sql"),
    },
    Migration {
        version: 2,
        name: "spend",
        sqlite: include_str!("../migrations/sqlite/0002_spend.sql"),
        postgres: include_str!("../migrations/postgres/0002_spend.sql"),
    },
    Migration {
        version: 3,
        name: "spend_drop_date_index",
        sqlite: include_str!("../migrations/sqlite/0003_spend_drop_date_index.sql"),
        postgres: include_str!("../migrations/postgres/0003_spend_drop_date_index.sql"),
    },
    Migration {
        version: 4,
        name: "audits",
        sqlite: include_str!("../migrations/sqlite/0004_audits.sql"),
        postgres: include_str!("../migrations/postgres/0004_audits.sql"),
    },
    // Versions need not be contiguous: each one missing from
    // fcto_schema_migrations is applied, in this list's order.
    Migration {
        version: 5,
        name: "osv",
        sqlite: include_str!("../migrations/sqlite/0005_osv.sql"),
        postgres: include_str!("../migrations/postgres/0005_osv.sql"),
    },
    Migration {
        version: 6,
        name: "mail",
        sqlite: include_str!("../migrations/sqlite/0006_mail.sql"),
        postgres: include_str!("../migrations/postgres/0006_mail.sql"),
    },
    Migration {
        version: 7,
        name: "mail_knowledge",
        sqlite: include_str!("../migrations/sqlite/0007_mail_knowledge.sql"),
        postgres: include_str!("../migrations/postgres/0007_mail_knowledge.sql"),
    },
    Migration {
        version: 8,
        name: "mail_drafts",
        sqlite: include_str!("../migrations/sqlite/0008_mail_drafts.sql"),
        postgres: include_str!("../migrations/postgres/0008_mail_drafts.sql"),
    },
    Migration {
        version: 9,
        name: "mail_tls",
        sqlite: include_str!("../migrations/sqlite/0009_mail_tls.sql"),
        postgres: include_str!("../migrations/postgres/0009_mail_tls.sql"),
    },
    Migration {
        version: 10,
        name: "mail_oauth",
        sqlite: include_str!("../migrations/sqlite/0010_mail_oauth.sql"),
        postgres: include_str!("../migrations/postgres/0010_mail_oauth.sql"),
    },
];

/// The newest schema version this build knows.
pub fn latest_version() -> i64 {
    MIGRATIONS.iter().map(|m| m.version).max().unwrap_or(0)
}

/// Advisory lock key for PostgreSQL: "fcto" in ASCII.
const PG_LOCK_KEY: i64 = 0x6663_746f;

pub(crate) async fn run(store: &Store) -> StoreResult<()> {
    let mut conn = store.pool.acquire().await.map_err(map_open)?;
    let begin = match store.backend {
        Backend::Sqlite => "BEGIN IMMEDIATE",
        Backend::Postgres => "BEGIN",
    };
    sqlx::query(begin)
        .execute(&mut *conn)
        .await
        .map_err(map_open)?;
    let result = apply_pending(store.backend, &mut conn).await;
    match result {
        Ok(()) => {
            sqlx::query("COMMIT").execute(&mut *conn).await?;
            Ok(())
        }
        Err(e) => {
            if sqlx::query("ROLLBACK").execute(&mut *conn).await.is_err() {
                // A connection in an unknown transaction state must not go
                // back to the pool.
                conn.close_on_drop();
            }
            Err(e)
        }
    }
}

async fn apply_pending(backend: Backend, conn: &mut sqlx::AnyConnection) -> StoreResult<()> {
    if backend == Backend::Postgres {
        sqlx::query("SELECT pg_advisory_xact_lock($1)")
            .bind(PG_LOCK_KEY)
            .execute(&mut *conn)
            .await?;
    }
    sqlx::query(
        "CREATE TABLE IF NOT EXISTS fcto_schema_migrations (
            version BIGINT PRIMARY KEY,
            name TEXT NOT NULL,
            applied_at TEXT NOT NULL
        )",
    )
    .execute(&mut *conn)
    .await
    .map_err(map_open)?;
    let rows = sqlx::query("SELECT version FROM fcto_schema_migrations")
        .fetch_all(&mut *conn)
        .await?;
    let mut applied = Vec::with_capacity(rows.len());
    for r in rows {
        applied.push(r.try_get::<i64, _>("version")?);
    }
    let known = latest_version();
    if let Some(&found) = applied.iter().max() {
        if found > known {
            return Err(StoreError::NewerSchema { found, known });
        }
    }
    for m in MIGRATIONS.iter().filter(|m| !applied.contains(&m.version)) {
        let sql = match backend {
            Backend::Sqlite => m.sqlite,
            Backend::Postgres => m.postgres,
        };
        tracing::info!(version = m.version, name = m.name, "applying migration");
        for statement in statements(sql) {
            sqlx::query(statement).execute(&mut *conn).await?;
        }
        sqlx::query(
            "INSERT INTO fcto_schema_migrations (version, name, applied_at) VALUES ($1, $2, $3)",
        )
        .bind(m.version)
        .bind(m.name)
        .bind(crate::now_text())
        .execute(&mut *conn)
        .await?;
    }
    Ok(())
}

/// Split a migration file into statements: each ends with `;` at the end of
/// a line. (Our migrations hold no function bodies, so this is exact for
/// them; prepared statements take one command at a time.)
fn statements(sql: &str) -> Vec<&str> {
    let mut out = Vec::new();
    let mut start = 0;
    for (i, _) in sql
        .match_indices(";\n")
        .chain(std::iter::once((sql.len(), "")))
    {
        let chunk = sql[start..i.min(sql.len())].trim().trim_end_matches(';');
        let has_code = chunk.lines().any(|l| {
            let l = l.trim();
            !l.is_empty() && !l.starts_with("--")
        });
        if has_code {
            out.push(chunk);
        }
        start = (i + 2).min(sql.len());
    }
    out
}

fn map_open(e: sqlx::Error) -> StoreError {
    if is_not_a_database(&e) {
        StoreError::NotADatabase {
            url: "the database file".into(),
            detail: e.to_string(),
        }
    } else {
        StoreError::Database(e)
    }
}

/// Applied versions, oldest first (for `fcto init --json` and tests).
pub async fn applied_versions(store: &Store) -> StoreResult<Vec<i64>> {
    let rows = sqlx::query("SELECT version FROM fcto_schema_migrations ORDER BY version")
        .fetch_all(&store.pool)
        .await?;
    rows.iter()
        .map(|r| r.try_get::<i64, _>("version").map_err(StoreError::from))
        .collect()
}

#[cfg(test)]
mod tests {
    #[test]
    fn splits_statements_and_skips_comment_only_chunks() {
        let sql = "-- header\nCREATE TABLE a (x TEXT);\n\nCREATE INDEX i ON a (x);\n-- trailing\n";
        assert_eq!(
            super::statements(sql),
            vec![
                "-- header\nCREATE TABLE a (x TEXT)",
                "CREATE INDEX i ON a (x)"
            ]
        );
        for m in super::MIGRATIONS {
            assert!(!super::statements(m.sqlite).is_empty());
            assert_eq!(
                super::statements(m.sqlite).len(),
                super::statements(m.postgres).len()
            );
        }
    }
}
