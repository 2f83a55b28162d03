//! Table sizes read from a client's live PostgreSQL catalog, for scoring
//! migration risks at today's size and at 10x. Read-only: the session is
//! set read-only before the one query runs, and nothing else is sent.

use serde::Serialize;
use sqlx::{Connection, Row};

use crate::error::{StoreError, StoreResult};

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct TableSize {
    pub schema: String,
    pub table: String,
    pub rows: u64,
    pub bytes: u64,
}

/// Every ordinary and partitioned table outside the system schemas with
/// its estimated rows (planner statistics, or live tuples when the table
/// was never analysed) and total bytes including indexes and TOAST.
pub async fn postgres_table_sizes(url: &str) -> StoreResult<Vec<TableSize>> {
    if crate::Backend::of_url(url)? != crate::Backend::Postgres {
        return Err(StoreError::UnsupportedUrl(format!(
            "{}: table sizes are read from PostgreSQL only",
            crate::redact_url(url)
        )));
    }
    let mut conn = sqlx::PgConnection::connect(url)
        .await
        .map_err(|e| StoreError::Connect {
            url: crate::redact_url(url),
            detail: e.to_string(),
        })?;
    sqlx::query("SET SESSION CHARACTERISTICS AS TRANSACTION READ ONLY")
        .execute(&mut conn)
        .await?;
    let rows = sqlx::query(
        "SELECT n.nspname::text AS schema_name, c.relname::text AS table_name,
                GREATEST(CASE WHEN c.reltuples >= 0 THEN c.reltuples::bigint
                              ELSE COALESCE(s.n_live_tup, 0) END, 0) AS row_count,
                pg_total_relation_size(c.oid) AS total_bytes
         FROM pg_class c
         JOIN pg_namespace n ON n.oid = c.relnamespace
         LEFT JOIN pg_stat_user_tables s ON s.relid = c.oid
         WHERE c.relkind IN ('r', 'p')
           AND n.nspname NOT IN ('pg_catalog', 'information_schema')
           AND n.nspname NOT LIKE 'pg\\_toast%'
         ORDER BY 1, 2",
    )
    .fetch_all(&mut conn)
    .await?;
    let sizes = rows
        .iter()
        .map(|row| {
            Ok(TableSize {
                schema: row.try_get("schema_name")?,
                table: row.try_get("table_name")?,
                rows: row.try_get::<i64, _>("row_count")?.max(0) as u64,
                bytes: row.try_get::<i64, _>("total_bytes")?.max(0) as u64,
            })
        })
        .collect::<Result<Vec<_>, sqlx::Error>>()?;
    let _ = conn.close().await;
    Ok(sizes)
}
