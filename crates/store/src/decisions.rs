use chrono::NaiveDate;
use fcto_engage::{validate, DecidedBy, Decision, DecisionStatus, NewDecision};
use sqlx::any::AnyRow;
use sqlx::Row;

use crate::error::{is_unique_violation, StoreError, StoreResult};
use crate::{date, opt_date, word, Store};

const SELECT: &str = "SELECT d.id, c.slug, d.number, d.title, d.context, d.options, d.outcome,
    d.status, d.decide_by, d.decided_by, d.decided_by_team, d.decided_on, d.superseded_by, d.created_on
    FROM decisions d JOIN clients c ON c.id = d.client_id";

fn decision_from_row(r: &AnyRow) -> StoreResult<Decision> {
    let options: String = r.try_get("options")?;
    let options: Vec<String> = serde_json::from_str(&options)
        .map_err(|e| StoreError::Corrupt(format!("decision options: {e}")))?;
    let decided_by: Option<String> = r.try_get("decided_by")?;
    let team: i64 = r.try_get("decided_by_team")?;
    Ok(Decision {
        id: r.try_get("id")?,
        client_slug: r.try_get("slug")?,
        number: r.try_get("number")?,
        title: r.try_get("title")?,
        context: r.try_get("context")?,
        options,
        outcome: r.try_get("outcome")?,
        status: word(r, "status")?,
        decide_by: opt_date(r, "decide_by")?,
        decided_by: decided_by.map(|n| {
            if team != 0 {
                DecidedBy::Team(n)
            } else {
                DecidedBy::Cto
            }
        }),
        decided_on: opt_date(r, "decided_on")?,
        superseded_by: r.try_get("superseded_by")?,
        created_on: date(r, "created_on")?,
    })
}

/// Filter for decision lists.
#[derive(Debug, Clone, Default)]
pub struct DecisionFilter {
    pub client: Option<String>,
    pub status: Option<DecisionStatus>,
    /// Proposed decisions due on or before this date.
    pub due_by: Option<NaiveDate>,
    /// Only decisions of these clients (the web's access scope).
    pub only_clients: Option<Vec<String>>,
}

impl Store {
    /// Record a proposed decision with the client's next number.
    pub async fn new_decision(&self, client: &str, d: &NewDecision) -> StoreResult<Decision> {
        validate::new_decision(d)?;
        let c = self.client(client).await?;
        let options = serde_json::to_string(&d.options)
            .map_err(|e| StoreError::Corrupt(format!("decision options: {e}")))?;
        // The number is taken inside the INSERT so two writers cannot read the
        // same maximum; on PostgreSQL a racing pair may still collide on the
        // UNIQUE key, so try again.
        for _ in 0..5 {
            let res = sqlx::query(
                "INSERT INTO decisions (client_id, number, title, context, options, status, decide_by,
                    decided_by_team, created_on)
                 SELECT $1, COALESCE(MAX(number), 0) + 1, $2, $3, $4, 'proposed', $5, 0, $6
                 FROM decisions WHERE client_id = $1
                 RETURNING number",
            )
            .bind(c.id)
            .bind(&d.title)
            .bind(&d.context)
            .bind(&options)
            .bind(d.decide_by.map(|x| x.to_string()))
            .bind(d.created_on.to_string())
            .fetch_one(&self.pool)
            .await;
            match res {
                Ok(row) => {
                    let n: i64 = row.try_get("number")?;
                    return self.decision(client, n).await;
                }
                Err(e) if is_unique_violation(&e) => continue,
                Err(e) => return Err(e.into()),
            }
        }
        Err(StoreError::Conflict(
            "could not number the decision; try again".into(),
        ))
    }

    pub async fn decision(&self, client: &str, number: i64) -> StoreResult<Decision> {
        let row = sqlx::query(&format!("{SELECT} WHERE c.slug = $1 AND d.number = $2"))
            .bind(client)
            .bind(number)
            .fetch_optional(&self.pool)
            .await?;
        match row {
            Some(r) => decision_from_row(&r),
            None => {
                self.client(client).await?;
                Err(StoreError::NotFound(format!(
                    "decision {number} of client {client:?}"
                )))
            }
        }
    }

    pub async fn decisions(&self, f: &DecisionFilter) -> StoreResult<Vec<Decision>> {
        if let Some(slug) = &f.client {
            self.client(slug).await?;
        }
        let rows = sqlx::query(&format!(
            "{SELECT} WHERE ($1 IS NULL OR c.slug = $1) AND ($2 IS NULL OR d.status = $2)
               AND ($3 IS NULL OR (d.status = 'proposed' AND d.decide_by IS NOT NULL AND d.decide_by <= $3))
             ORDER BY c.slug, d.number"
        ))
        .bind(f.client.as_deref())
        .bind(f.status.map(|s| s.as_str()))
        .bind(f.due_by.map(|d| d.to_string()))
        .fetch_all(&self.pool)
        .await?;
        let mut out = rows
            .iter()
            .map(decision_from_row)
            .collect::<StoreResult<Vec<_>>>()?;
        if let Some(allowed) = &f.only_clients {
            out.retain(|d| allowed.contains(&d.client_slug));
        }
        Ok(out)
    }

    /// Accept or reject a proposed decision.
    pub async fn decide(
        &self,
        client: &str,
        number: i64,
        status: DecisionStatus,
        outcome: Option<&str>,
        by: &DecidedBy,
        on: NaiveDate,
    ) -> StoreResult<Decision> {
        if !matches!(status, DecisionStatus::Accepted | DecisionStatus::Rejected) {
            return Err(StoreError::Conflict(
                "a decision is decided as accepted or rejected".into(),
            ));
        }
        if let Some(o) = outcome {
            validate::text("outcome", o, 20_000)?;
        }
        let cur = self.decision(client, number).await?;
        if cur.status != DecisionStatus::Proposed {
            return Err(StoreError::Conflict(format!(
                "decision {number} is already {}; only proposed decisions can be decided",
                cur.status
            )));
        }
        let (name, team) = match by {
            DecidedBy::Cto => ("cto".to_string(), 0i64),
            DecidedBy::Team(n) => (n.clone(), 1),
        };
        // `status = 'proposed'` in the WHERE makes a concurrent second decide
        // a no-op rather than an overwrite.
        let res = sqlx::query(
            "UPDATE decisions SET status = $1, outcome = $2, decided_by = $3, decided_by_team = $4, decided_on = $5
             WHERE id = $6 AND status = 'proposed'",
        )
        .bind(status.as_str())
        .bind(outcome)
        .bind(name)
        .bind(team)
        .bind(on.to_string())
        .bind(cur.id)
        .execute(&self.pool)
        .await?;
        if res.rows_affected() == 0 {
            return Err(StoreError::Conflict(format!(
                "decision {number} was decided meanwhile"
            )));
        }
        self.decision(client, number).await
    }

    /// Mark an accepted decision as superseded by a newer one of the same client.
    pub async fn supersede(
        &self,
        client: &str,
        number: i64,
        by_number: i64,
    ) -> StoreResult<Decision> {
        if number == by_number {
            return Err(StoreError::Conflict(
                "a decision cannot supersede itself".into(),
            ));
        }
        let old = self.decision(client, number).await?;
        let new = self.decision(client, by_number).await?;
        if old.status != DecisionStatus::Accepted {
            return Err(StoreError::Conflict(format!(
                "decision {number} is {}; only accepted decisions can be superseded",
                old.status
            )));
        }
        sqlx::query("UPDATE decisions SET status = 'superseded', superseded_by = $1 WHERE id = $2")
            .bind(new.number)
            .bind(old.id)
            .execute(&self.pool)
            .await?;
        self.decision(client, number).await
    }
}
