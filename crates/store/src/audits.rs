//! Audits per client, stored whole as the audit's JSON (the store does not
//! read inside it), and the CTO's notes for the parts no scanner sees.
//! Every query goes through the client's slug: one client's audits never
//! show up under another.

use serde::Serialize;
use sqlx::any::AnyRow;
use sqlx::Row;

use crate::error::{StoreError, StoreResult};
use crate::Store;

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct AuditRow {
    pub id: i64,
    pub client: String,
    pub started_at: String,
    /// One line for lists ("3 risks, 1 secret, 2 vulnerabilities").
    pub headline: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct AuditNote {
    pub id: i64,
    pub section: String,
    pub body: String,
    pub created_at: String,
}

fn audit_row(r: &AnyRow) -> StoreResult<AuditRow> {
    Ok(AuditRow {
        id: r.try_get("id")?,
        client: r.try_get("slug")?,
        started_at: r.try_get("started_at")?,
        headline: r.try_get("headline")?,
    })
}

impl Store {
    pub async fn save_audit(
        &self,
        client: &str,
        started_at: &str,
        headline: &str,
        report_json: &str,
    ) -> StoreResult<AuditRow> {
        let c = self.client(client).await?;
        let row = sqlx::query(
            "INSERT INTO audits (client_id, started_at, headline, report)
             VALUES ($1, $2, $3, $4) RETURNING id",
        )
        .bind(c.id)
        .bind(started_at)
        .bind(headline)
        .bind(report_json)
        .fetch_one(&self.pool)
        .await?;
        Ok(AuditRow {
            id: row.try_get("id")?,
            client: c.slug,
            started_at: started_at.to_string(),
            headline: headline.to_string(),
        })
    }

    /// A client's audits, oldest first.
    pub async fn audits(&self, client: &str) -> StoreResult<Vec<AuditRow>> {
        self.client(client).await?;
        let rows = sqlx::query(
            "SELECT a.id, c.slug, a.started_at, a.headline
             FROM audits a JOIN clients c ON c.id = a.client_id
             WHERE c.slug = $1 ORDER BY a.id",
        )
        .bind(client)
        .fetch_all(&self.pool)
        .await?;
        rows.iter().map(audit_row).collect()
    }

    /// One audit's JSON: by id, or the newest.
    pub async fn audit_report(
        &self,
        client: &str,
        id: Option<i64>,
    ) -> StoreResult<(AuditRow, String)> {
        self.client(client).await?;
        let row = sqlx::query(
            "SELECT a.id, c.slug, a.started_at, a.headline, a.report
             FROM audits a JOIN clients c ON c.id = a.client_id
             WHERE c.slug = $1 AND ($2 IS NULL OR a.id = $2)
             ORDER BY a.id DESC LIMIT 1",
        )
        .bind(client)
        .bind(id)
        .fetch_optional(&self.pool)
        .await?;
        match row {
            Some(r) => Ok((audit_row(&r)?, r.try_get("report")?)),
            None => Err(StoreError::NotFound(match id {
                Some(id) => format!("audit {id} of client {client:?}"),
                None => format!(
                    "an audit of client {client:?} (run `fcto audit PATH --client {client}`)"
                ),
            })),
        }
    }

    pub async fn add_audit_note(
        &self,
        client: &str,
        section: &str,
        body: &str,
    ) -> StoreResult<AuditNote> {
        let c = self.client(client).await?;
        let created_at = crate::now_text();
        let row = sqlx::query(
            "INSERT INTO audit_notes (client_id, section, body, created_at)
             VALUES ($1, $2, $3, $4) RETURNING id",
        )
        .bind(c.id)
        .bind(section)
        .bind(body)
        .bind(&created_at)
        .fetch_one(&self.pool)
        .await?;
        Ok(AuditNote {
            id: row.try_get("id")?,
            section: section.to_string(),
            body: body.to_string(),
            created_at,
        })
    }

    pub async fn audit_notes(&self, client: &str) -> StoreResult<Vec<AuditNote>> {
        self.client(client).await?;
        let rows = sqlx::query(
            "SELECT n.id, n.section, n.body, n.created_at
             FROM audit_notes n JOIN clients c ON c.id = n.client_id
             WHERE c.slug = $1 ORDER BY n.id",
        )
        .bind(client)
        .fetch_all(&self.pool)
        .await?;
        rows.iter()
            .map(|r| {
                Ok(AuditNote {
                    id: r.try_get("id")?,
                    section: r.try_get("section")?,
                    body: r.try_get("body")?,
                    created_at: r.try_get("created_at")?,
                })
            })
            .collect()
    }
}
