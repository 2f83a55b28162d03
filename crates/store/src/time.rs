use chrono::NaiveDate;
use fcto_engage::{validate, Month, MonthHours, NewTimeEntry, TimeEntry, WorkKind};
use sqlx::Row;

use crate::error::{StoreError, StoreResult};
use crate::{date, word, Store};

/// Which entries `time_entries` returns.
#[derive(Debug, Clone, Default)]
pub struct TimeFilter {
    pub client: Option<String>,
    pub from: Option<NaiveDate>,
    pub to: Option<NaiveDate>,
    pub limit: Option<i64>,
}

impl Store {
    pub async fn log_time(&self, client: &str, e: &NewTimeEntry) -> StoreResult<TimeEntry> {
        validate::new_time_entry(e)?;
        let c = self.client(client).await?;
        if c.archived {
            return Err(StoreError::Conflict(format!(
                "client {client:?} is archived; restore it with `fcto client edit {client} --restore` first"
            )));
        }
        let row = sqlx::query(
            "INSERT INTO time_entries (client_id, entry_date, hours, kind, activity, note, created_at)
             VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id",
        )
        .bind(c.id)
        .bind(e.date.to_string())
        .bind(e.hours)
        .bind(e.kind.as_str())
        .bind(e.activity.as_str())
        .bind(e.note.as_deref())
        .bind(crate::now_text())
        .fetch_one(&self.pool)
        .await?;
        Ok(TimeEntry {
            id: row.try_get("id")?,
            client_slug: c.slug,
            date: e.date,
            hours: e.hours,
            kind: e.kind,
            activity: e.activity,
            note: e.note.clone(),
        })
    }

    /// Entries newest first.
    pub async fn time_entries(&self, f: &TimeFilter) -> StoreResult<Vec<TimeEntry>> {
        let client_id = match &f.client {
            Some(slug) => Some(self.client(slug).await?.id),
            None => None,
        };
        let rows = sqlx::query(
            "SELECT t.id, c.slug, t.entry_date, t.hours, t.kind, t.activity, t.note
             FROM time_entries t JOIN clients c ON c.id = t.client_id
             WHERE ($1 IS NULL OR t.client_id = $1)
               AND ($2 IS NULL OR t.entry_date >= $2)
               AND ($3 IS NULL OR t.entry_date <= $3)
             ORDER BY t.entry_date DESC, t.id DESC
             LIMIT $4",
        )
        .bind(client_id)
        .bind(f.from.map(|d| d.to_string()))
        .bind(f.to.map(|d| d.to_string()))
        .bind(f.limit.unwrap_or(i64::MAX))
        .fetch_all(&self.pool)
        .await?;
        rows.iter()
            .map(|r| {
                Ok(TimeEntry {
                    id: r.try_get("id")?,
                    client_slug: r.try_get("slug")?,
                    date: date(r, "entry_date")?,
                    hours: r.try_get("hours")?,
                    kind: word(r, "kind")?,
                    activity: word(r, "activity")?,
                    note: r.try_get("note")?,
                })
            })
            .collect()
    }

    /// Hours per month and kind for one client, oldest month first.
    pub async fn monthly_hours(&self, client_id: i64) -> StoreResult<Vec<(Month, MonthHours)>> {
        let rows = self.monthly_hours_where(Some(client_id)).await?;
        Ok(rows.into_iter().map(|(_, m, h)| (m, h)).collect())
    }

    /// Hours per client, month and kind, for every client at once.
    pub async fn monthly_hours_all(&self) -> StoreResult<Vec<(i64, Month, MonthHours)>> {
        self.monthly_hours_where(None).await
    }

    async fn monthly_hours_where(
        &self,
        client_id: Option<i64>,
    ) -> StoreResult<Vec<(i64, Month, MonthHours)>> {
        let rows = sqlx::query(
            "SELECT client_id, substr(entry_date, 1, 7) AS month, kind, SUM(hours) AS hours
             FROM time_entries WHERE ($1 IS NULL OR client_id = $1)
             GROUP BY client_id, substr(entry_date, 1, 7), kind
             ORDER BY client_id, month",
        )
        .bind(client_id)
        .fetch_all(&self.pool)
        .await?;
        let mut out: Vec<(i64, Month, MonthHours)> = Vec::new();
        for r in rows {
            let id: i64 = r.try_get("client_id")?;
            let m: String = r.try_get("month")?;
            let month = Month::parse(&m)
                .ok_or_else(|| StoreError::Corrupt(format!("time entry month {m:?}")))?;
            let kind: WorkKind = word(&r, "kind")?;
            let hours: f64 = r.try_get("hours")?;
            if out.last().map(|(i, lm, _)| (*i, *lm)) != Some((id, month)) {
                out.push((id, month, MonthHours::default()));
            }
            if let Some((_, _, h)) = out.last_mut() {
                match kind {
                    WorkKind::Decide => h.decide += hours,
                    WorkKind::Execute => h.execute += hours,
                }
            }
        }
        Ok(out)
    }

    /// Total hours logged for a client in one month.
    pub async fn hours_in_month(&self, client_id: i64, month: Month) -> StoreResult<f64> {
        self.hours_between(client_id, month.first_day(), month.last_day())
            .await
    }

    /// Total hours logged for a client between two dates, both included.
    pub async fn hours_between(
        &self,
        client_id: i64,
        from: NaiveDate,
        to: NaiveDate,
    ) -> StoreResult<f64> {
        let row = sqlx::query(
            "SELECT SUM(hours) AS hours FROM time_entries
             WHERE client_id = $1 AND entry_date >= $2 AND entry_date <= $3",
        )
        .bind(client_id)
        .bind(from.to_string())
        .bind(to.to_string())
        .fetch_one(&self.pool)
        .await?;
        Ok(row.try_get::<Option<f64>, _>("hours")?.unwrap_or(0.0))
    }
}
