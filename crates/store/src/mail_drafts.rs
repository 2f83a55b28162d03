//! The approval queue: one draft per inquiry, what made it, the approver's
//! decision, and the send's state machine. Every change of state is a
//! compare-and-set on the status it leaves (`advance_mail_draft`), so two
//! approvers, or an approver and a crashed send's recovery, cannot both
//! move a draft on: one wins, the other is told it had moved.

use serde::Serialize;
use sqlx::any::AnyRow;
use sqlx::Row;

use crate::error::{StoreError, StoreResult};
use crate::mail::StoredMailMessage;
use crate::Store;

/// A draft as the drafting step hands it over.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct NewMailDraft {
    pub message_id: i64,
    pub body: String,
    /// JSON array of strings: what the approver must look at.
    pub flags: String,
    pub model: String,
    pub latency_ms: i64,
    pub prompt_chars: i64,
    /// JSON: the past replies given as examples of the voice.
    pub examples: String,
    /// JSON: the knowledge passages given.
    pub passages: String,
    pub reply_message_id: String,
    pub from_address: String,
    pub to_address: String,
    pub subject: String,
    pub in_reply_to: Option<String>,
    /// Space-separated, oldest first.
    pub refs: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct MailDraft {
    pub id: i64,
    pub message_id: i64,
    pub status: String,
    /// What will be sent (the approver's edit, if any).
    pub body: String,
    /// What the model wrote.
    pub drafted_body: String,
    pub flags: Vec<String>,
    pub model: String,
    pub latency_ms: i64,
    pub prompt_chars: i64,
    pub examples: serde_json::Value,
    pub passages: serde_json::Value,
    pub reply_message_id: String,
    pub from_address: String,
    pub to_address: String,
    pub subject: String,
    pub in_reply_to: Option<String>,
    pub refs: String,
    pub drafts_folder: Option<String>,
    pub created_at: String,
    pub decided_at: Option<String>,
    pub decided_by: Option<String>,
    pub reason: Option<String>,
    pub edit_distance: Option<i64>,
    pub sent_at: Option<String>,
    pub attempts: i64,
    pub last_error: Option<String>,
    /// The inquiry's date (its Date header, else when it was read).
    pub inquiry_at: String,
    pub inquiry_from: Option<String>,
    pub inquiry_subject: String,
    pub inquiry_body: String,
}

const SELECT: &str = "SELECT d.id, d.message_id, d.status, d.body, d.drafted_body, d.flags, d.model, d.latency_ms,
        d.prompt_chars, d.examples, d.passages, d.reply_message_id, d.from_address, d.to_address, d.subject,
        d.in_reply_to, d.refs, d.drafts_folder, d.created_at, d.decided_at, d.decided_by, d.reason,
        d.edit_distance, d.sent_at, d.attempts, d.last_error,
        COALESCE(m.sent_at, m.received_at) AS inquiry_at, m.from_email AS inquiry_from,
        m.subject AS inquiry_subject, m.body AS inquiry_body
     FROM mail_drafts d JOIN mail_messages m ON m.id = d.message_id";

fn draft_row(r: &AnyRow) -> StoreResult<MailDraft> {
    let json = |name: &str| -> StoreResult<serde_json::Value> {
        let text: String = r.try_get(name)?;
        serde_json::from_str(&text)
            .map_err(|e| StoreError::Corrupt(format!("mail draft {name}: {e}")))
    };
    let flags: Vec<String> = serde_json::from_value(json("flags")?)
        .map_err(|e| StoreError::Corrupt(format!("mail draft flags: {e}")))?;
    Ok(MailDraft {
        id: r.try_get("id")?,
        message_id: r.try_get("message_id")?,
        status: r.try_get("status")?,
        body: r.try_get("body")?,
        drafted_body: r.try_get("drafted_body")?,
        flags,
        model: r.try_get("model")?,
        latency_ms: r.try_get("latency_ms")?,
        prompt_chars: r.try_get("prompt_chars")?,
        examples: json("examples")?,
        passages: json("passages")?,
        reply_message_id: r.try_get("reply_message_id")?,
        from_address: r.try_get("from_address")?,
        to_address: r.try_get("to_address")?,
        subject: r.try_get("subject")?,
        in_reply_to: r.try_get("in_reply_to")?,
        refs: r.try_get("refs")?,
        drafts_folder: r.try_get("drafts_folder")?,
        created_at: r.try_get("created_at")?,
        decided_at: r.try_get("decided_at")?,
        decided_by: r.try_get("decided_by")?,
        reason: r.try_get("reason")?,
        edit_distance: r.try_get("edit_distance")?,
        sent_at: r.try_get("sent_at")?,
        attempts: r.try_get("attempts")?,
        last_error: r.try_get("last_error")?,
        inquiry_at: r.try_get("inquiry_at")?,
        inquiry_from: r.try_get("inquiry_from")?,
        inquiry_subject: r.try_get("inquiry_subject")?,
        inquiry_body: r.try_get("inquiry_body")?,
    })
}

/// What a change of state records besides the status.
#[derive(Debug, Clone, Default)]
pub struct DraftChange<'a> {
    pub error: Option<&'a str>,
    /// Stamp `sent_at` now.
    pub sent: bool,
    /// Count one more send attempt.
    pub attempt: bool,
}

impl Store {
    /// Queue a draft. None when the inquiry has one already.
    pub async fn insert_mail_draft(
        &self,
        client: &str,
        draft: &NewMailDraft,
    ) -> StoreResult<Option<MailDraft>> {
        let c = self.client(client).await?;
        // The inquiry must be this client's.
        let owner: Option<i64> =
            sqlx::query_scalar("SELECT client_id FROM mail_messages WHERE id = $1")
                .bind(draft.message_id)
                .fetch_optional(&self.pool)
                .await?;
        if owner != Some(c.id) {
            return Err(StoreError::NotFound(format!(
                "message {} of {}",
                draft.message_id, c.slug
            )));
        }
        let inserted = sqlx::query(
            "INSERT INTO mail_drafts (client_id, message_id, status, body, drafted_body, flags, model, latency_ms,
                 prompt_chars, examples, passages, reply_message_id, from_address, to_address, subject,
                 in_reply_to, refs, created_at)
             VALUES ($1, $2, 'queued', $3, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16)
             ON CONFLICT (client_id, message_id) DO NOTHING",
        )
        .bind(c.id)
        .bind(draft.message_id)
        .bind(&draft.body)
        .bind(&draft.flags)
        .bind(&draft.model)
        .bind(draft.latency_ms)
        .bind(draft.prompt_chars)
        .bind(&draft.examples)
        .bind(&draft.passages)
        .bind(&draft.reply_message_id)
        .bind(&draft.from_address)
        .bind(&draft.to_address)
        .bind(&draft.subject)
        .bind(&draft.in_reply_to)
        .bind(&draft.refs)
        .bind(crate::now_text())
        .execute(&self.pool)
        .await?
        .rows_affected()
            > 0;
        if !inserted {
            return Ok(None);
        }
        let row = sqlx::query(&format!(
            "{SELECT} WHERE d.client_id = $1 AND d.message_id = $2"
        ))
        .bind(c.id)
        .bind(draft.message_id)
        .fetch_one(&self.pool)
        .await?;
        draft_row(&row).map(Some)
    }

    /// A client's drafts, oldest first; only those in `statuses` when given.
    pub async fn mail_drafts(
        &self,
        client: &str,
        statuses: &[&str],
    ) -> StoreResult<Vec<MailDraft>> {
        let c = self.client(client).await?;
        let rows = sqlx::query(&format!("{SELECT} WHERE d.client_id = $1 ORDER BY d.id"))
            .bind(c.id)
            .fetch_all(&self.pool)
            .await?;
        let mut drafts = Vec::with_capacity(rows.len());
        for row in &rows {
            let d = draft_row(row)?;
            if statuses.is_empty() || statuses.contains(&d.status.as_str()) {
                drafts.push(d);
            }
        }
        Ok(drafts)
    }

    /// One of the client's drafts; another client's id is not found.
    pub async fn mail_draft(&self, client: &str, id: i64) -> StoreResult<MailDraft> {
        let c = self.client(client).await?;
        let row = sqlx::query(&format!("{SELECT} WHERE d.client_id = $1 AND d.id = $2"))
            .bind(c.id)
            .bind(id)
            .fetch_optional(&self.pool)
            .await?;
        match row {
            Some(r) => draft_row(&r),
            None => Err(StoreError::NotFound(format!("draft {id} of {}", c.slug))),
        }
    }

    /// The client's inquiries that have no draft yet, oldest first, not
    /// those a person must answer.
    pub async fn mail_inquiries_to_draft(
        &self,
        client: &str,
    ) -> StoreResult<Vec<StoredMailMessage>> {
        let c = self.client(client).await?;
        let rows = sqlx::query(&format!(
            "SELECT {} FROM mail_messages m
             WHERE m.client_id = $1 AND m.triage = 'inquiry' AND m.needs_person = 0
               AND NOT EXISTS (SELECT 1 FROM mail_drafts d WHERE d.message_id = m.id)
             ORDER BY m.id",
            crate::mail::MESSAGE_COLUMNS
        ))
        .bind(c.id)
        .fetch_all(&self.pool)
        .await?;
        rows.iter().map(crate::mail::message_row).collect()
    }

    /// Replace the text to send while the draft waits for approval.
    pub async fn edit_mail_draft(
        &self,
        client: &str,
        id: i64,
        body: &str,
    ) -> StoreResult<MailDraft> {
        let c = self.client(client).await?;
        let changed = sqlx::query(
            "UPDATE mail_drafts SET body = $1 WHERE client_id = $2 AND id = $3 AND status = 'queued'",
        )
        .bind(body)
        .bind(c.id)
        .bind(id)
        .execute(&self.pool)
        .await?
        .rows_affected();
        let draft = self.mail_draft(client, id).await?;
        if changed == 0 {
            return Err(StoreError::Conflict(format!(
                "draft {id} is {}: only a queued draft can be edited",
                draft.status
            )));
        }
        Ok(draft)
    }

    /// Approve or reject a queued draft, once.
    pub async fn decide_mail_draft(
        &self,
        client: &str,
        id: i64,
        approve: bool,
        by: &str,
        reason: Option<&str>,
        edit_distance: Option<i64>,
    ) -> StoreResult<MailDraft> {
        let c = self.client(client).await?;
        let status = if approve { "approved" } else { "rejected" };
        let changed = sqlx::query(
            "UPDATE mail_drafts SET status = $1, decided_at = $2, decided_by = $3, reason = $4, edit_distance = $5
             WHERE client_id = $6 AND id = $7 AND status = 'queued'",
        )
        .bind(status)
        .bind(crate::now_text())
        .bind(by)
        .bind(reason)
        .bind(edit_distance)
        .bind(c.id)
        .bind(id)
        .execute(&self.pool)
        .await?
        .rows_affected();
        let draft = self.mail_draft(client, id).await?;
        if changed == 0 {
            return Err(StoreError::Conflict(format!(
                "draft {id} is {} already: only a queued draft can be approved or rejected",
                draft.status
            )));
        }
        Ok(draft)
    }

    /// Move a draft from one of `from` to `to`. False (and nothing
    /// changed) when it was no longer in any of `from`.
    pub async fn advance_mail_draft(
        &self,
        client: &str,
        id: i64,
        from: &[&str],
        to: &str,
        change: DraftChange<'_>,
    ) -> StoreResult<bool> {
        let c = self.client(client).await?;
        let mut changed = 0;
        for status in from {
            changed += sqlx::query(
                "UPDATE mail_drafts SET status = $1,
                     last_error = $2,
                     sent_at = CASE WHEN $3 = 1 THEN $4 ELSE sent_at END,
                     attempts = attempts + $5
                 WHERE client_id = $6 AND id = $7 AND status = $8",
            )
            .bind(to)
            .bind(change.error)
            .bind(i64::from(change.sent))
            .bind(crate::now_text())
            .bind(i64::from(change.attempt))
            .bind(c.id)
            .bind(id)
            .bind(*status)
            .execute(&self.pool)
            .await?
            .rows_affected();
            if changed > 0 {
                break;
            }
        }
        Ok(changed > 0)
    }

    /// Where the draft's copy sits in the mailbox (its Drafts folder).
    pub async fn set_mail_draft_folder(
        &self,
        client: &str,
        id: i64,
        folder: Option<&str>,
    ) -> StoreResult<()> {
        let c = self.client(client).await?;
        sqlx::query("UPDATE mail_drafts SET drafts_folder = $1 WHERE client_id = $2 AND id = $3")
            .bind(folder)
            .bind(c.id)
            .bind(id)
            .execute(&self.pool)
            .await?;
        Ok(())
    }
}
