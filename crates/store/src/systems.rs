use chrono::NaiveDate;
use fcto_engage::{validate, NewSystem, System, SystemStatus};
use sqlx::any::AnyRow;
use sqlx::Row;

use crate::error::{is_unique_violation, StoreError, StoreResult};
use crate::{opt_date, word, Store};

fn system_from_row(r: &AnyRow) -> StoreResult<System> {
    Ok(System {
        id: r.try_get("id")?,
        client_slug: r.try_get("slug")?,
        name: r.try_get("name")?,
        status: word(r, "status")?,
        live_date: opt_date(r, "live_date")?,
        owner: r.try_get("owner")?,
        metric: r.try_get("metric")?,
    })
}

impl Store {
    pub async fn add_system(&self, client: &str, s: &NewSystem) -> StoreResult<System> {
        validate::new_system(s)?;
        if s.status == SystemStatus::Live {
            return Err(StoreError::Conflict(
                "add the system as planned or building, then mark it live with its date".into(),
            ));
        }
        let c = self.client(client).await?;
        let res = sqlx::query(
            "INSERT INTO systems (client_id, name, status, owner, metric, created_at)
             VALUES ($1, $2, $3, $4, $5, $6) RETURNING id",
        )
        .bind(c.id)
        .bind(&s.name)
        .bind(s.status.as_str())
        .bind(s.owner.as_deref())
        .bind(s.metric.as_deref())
        .bind(crate::now_text())
        .fetch_one(&self.pool)
        .await;
        match res {
            Ok(_) => self.system(client, &s.name).await,
            Err(e) if is_unique_violation(&e) => Err(StoreError::Duplicate(format!(
                "system {:?} of client {client:?}",
                s.name
            ))),
            Err(e) => Err(e.into()),
        }
    }

    pub async fn system(&self, client: &str, name: &str) -> StoreResult<System> {
        let row = sqlx::query(
            "SELECT s.id, c.slug, s.name, s.status, s.live_date, s.owner, s.metric
             FROM systems s JOIN clients c ON c.id = s.client_id WHERE c.slug = $1 AND s.name = $2",
        )
        .bind(client)
        .bind(name)
        .fetch_optional(&self.pool)
        .await?;
        match row {
            Some(r) => system_from_row(&r),
            None => {
                self.client(client).await?;
                Err(StoreError::NotFound(format!(
                    "system {name:?} of client {client:?}"
                )))
            }
        }
    }

    pub async fn systems(&self, client: Option<&str>) -> StoreResult<Vec<System>> {
        if let Some(slug) = client {
            self.client(slug).await?;
        }
        let rows = sqlx::query(
            "SELECT s.id, c.slug, s.name, s.status, s.live_date, s.owner, s.metric
             FROM systems s JOIN clients c ON c.id = s.client_id
             WHERE ($1 IS NULL OR c.slug = $1) ORDER BY c.slug, s.name",
        )
        .bind(client)
        .fetch_all(&self.pool)
        .await?;
        rows.iter().map(system_from_row).collect()
    }

    pub async fn set_system_status(
        &self,
        client: &str,
        name: &str,
        status: SystemStatus,
        live_date: Option<NaiveDate>,
    ) -> StoreResult<System> {
        let s = self.system(client, name).await?;
        let live_date = match (status, live_date) {
            (SystemStatus::Live, Some(d)) => {
                Some(validate::reasonable_date("date", d)?.to_string())
            }
            (SystemStatus::Live, None) => {
                return Err(StoreError::Conflict(
                    "a live system needs its live date".into(),
                ))
            }
            _ => None,
        };
        sqlx::query("UPDATE systems SET status = $1, live_date = $2 WHERE id = $3")
            .bind(status.as_str())
            .bind(live_date)
            .bind(s.id)
            .execute(&self.pool)
            .await?;
        self.system(client, name).await
    }
}
