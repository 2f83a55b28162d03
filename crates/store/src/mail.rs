//! The email responder's mailbox per client: the account (the password
//! sealed by the caller, never readable here), each folder's sync state,
//! and the messages read. A message and its folder's new state are written
//! in one transaction, so a crash between them cannot hand the same
//! message over twice, and `(client, message key)` is unique, so a
//! renumbered folder does not either.

use serde::Serialize;
use sqlx::any::AnyRow;
use sqlx::Row;

use crate::error::StoreResult;
use crate::Store;

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct MailAccount {
    pub client: String,
    pub imap_server: String,
    pub smtp_server: Option<String>,
    pub username: String,
    /// The address replies are sent from (`Name <address>` or an address).
    pub from_address: Option<String>,
    /// "tls", "starttls" or "none"; None: chosen by port.
    pub imap_security: Option<String>,
    /// A CA file (PEM) the server's certificate chains to.
    pub ca_file: Option<String>,
    /// "password" or "xoauth2"; None is a password.
    pub auth_method: Option<String>,
    /// "tls", "starttls" or "none"; None: chosen by port.
    pub smtp_security: Option<String>,
    /// The SMTP server files sent mail in Sent itself.
    pub server_saves_sent: bool,
    /// XOAUTH2 with a refresh token: the provider's token endpoint and
    /// fcto's client id there (the sealed secret holds the refresh token).
    pub oauth_token_url: Option<String>,
    pub oauth_client_id: Option<String>,
    /// Hex; opened only by whoever holds the key.
    #[serde(skip)]
    pub secret_nonce: String,
    #[serde(skip)]
    pub secret_sealed: String,
    pub created_at: String,
}

/// How a mailbox is reached and logged in to (the fields of
/// [`MailAccount`] of the same names).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct MailAccess {
    pub imap_security: Option<String>,
    pub ca_file: Option<String>,
    pub auth_method: Option<String>,
    pub smtp_security: Option<String>,
    pub server_saves_sent: bool,
    pub oauth_token_url: Option<String>,
    pub oauth_client_id: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct FolderSync {
    pub uid_validity: i64,
    pub uid_next: i64,
    pub highest_modseq: Option<i64>,
}

/// A message read from a folder, as triaged.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct MailMessage {
    pub message_key: String,
    pub folder: String,
    pub uid: i64,
    pub thread_id: Option<String>,
    pub from_email: Option<String>,
    pub subject: String,
    pub sent_at: Option<String>,
    /// "inquiry" or the skip reason ("auto_reply", "bounce", ...).
    pub triage: String,
    pub intent: Option<String>,
    pub needs_person: bool,
    /// Why: the skip's detail or the flags for a person.
    pub detail: String,
    /// The new text of the message (quoted history cut).
    pub body: String,
    /// Where a reply goes when not to the sender (Reply-To).
    pub reply_to: Option<String>,
    /// The message's References, space-separated, no angle brackets: a
    /// reply's References are these and the message's own id.
    pub refs: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct StoredMailMessage {
    pub id: i64,
    #[serde(flatten)]
    pub message: MailMessage,
    pub received_at: String,
}

/// The columns [`message_row`] reads, for queries aliasing the table `m`.
pub(crate) const MESSAGE_COLUMNS: &str = "m.id, m.message_key, m.folder, m.uid, m.thread_id, m.from_email, m.subject,
    m.sent_at, m.triage, m.intent, m.needs_person, m.detail, m.body, m.received_at, m.reply_to, m.refs";

pub(crate) fn message_row(r: &AnyRow) -> StoreResult<StoredMailMessage> {
    Ok(StoredMailMessage {
        id: r.try_get("id")?,
        message: MailMessage {
            message_key: r.try_get("message_key")?,
            folder: r.try_get("folder")?,
            uid: r.try_get("uid")?,
            thread_id: r.try_get("thread_id")?,
            from_email: r.try_get("from_email")?,
            subject: r.try_get("subject")?,
            sent_at: r.try_get("sent_at")?,
            triage: r.try_get("triage")?,
            intent: r.try_get("intent")?,
            needs_person: r.try_get::<i64, _>("needs_person")? != 0,
            detail: r.try_get("detail")?,
            body: r.try_get("body")?,
            reply_to: r.try_get("reply_to")?,
            refs: r.try_get::<Option<String>, _>("refs")?.unwrap_or_default(),
        },
        received_at: r.try_get("received_at")?,
    })
}

impl Store {
    /// Connect a client's mailbox, replacing an earlier one.
    pub async fn save_mail_account(
        &self,
        client: &str,
        imap_server: &str,
        smtp_server: Option<&str>,
        username: &str,
        secret_nonce: &str,
        secret_sealed: &str,
    ) -> StoreResult<MailAccount> {
        let c = self.client(client).await?;
        let now = crate::now_text();
        let mut tx = self.pool.begin().await?;
        sqlx::query("DELETE FROM mail_accounts WHERE client_id = $1")
            .bind(c.id)
            .execute(&mut *tx)
            .await?;
        sqlx::query(
            "INSERT INTO mail_accounts (client_id, imap_server, smtp_server, username, secret_nonce, secret_sealed, created_at)
             VALUES ($1, $2, $3, $4, $5, $6, $7)",
        )
        .bind(c.id)
        .bind(imap_server)
        .bind(smtp_server)
        .bind(username)
        .bind(secret_nonce)
        .bind(secret_sealed)
        .bind(&now)
        .execute(&mut *tx)
        .await?;
        tx.commit().await?;
        Ok(MailAccount {
            client: c.slug,
            imap_server: imap_server.into(),
            smtp_server: smtp_server.map(str::to_string),
            username: username.into(),
            from_address: None,
            imap_security: None,
            ca_file: None,
            auth_method: None,
            smtp_security: None,
            server_saves_sent: false,
            oauth_token_url: None,
            oauth_client_id: None,
            secret_nonce: secret_nonce.into(),
            secret_sealed: secret_sealed.into(),
            created_at: now,
        })
    }

    /// The address replies go out from.
    pub async fn set_mail_from(&self, client: &str, from: &str) -> StoreResult<()> {
        let c = self.client(client).await?;
        sqlx::query("UPDATE mail_accounts SET from_address = $1 WHERE client_id = $2")
            .bind(from)
            .bind(c.id)
            .execute(&self.pool)
            .await?;
        Ok(())
    }

    /// How the mailbox is reached and logged in to, in one write.
    pub async fn set_mail_access(&self, client: &str, access: &MailAccess) -> StoreResult<()> {
        let c = self.client(client).await?;
        sqlx::query(
            "UPDATE mail_accounts SET imap_security = $1, ca_file = $2, auth_method = $3, smtp_security = $4,
                 server_saves_sent = $5, oauth_token_url = $6, oauth_client_id = $7
             WHERE client_id = $8",
        )
        .bind(access.imap_security.as_deref())
        .bind(access.ca_file.as_deref())
        .bind(access.auth_method.as_deref())
        .bind(access.smtp_security.as_deref())
        .bind(i64::from(access.server_saves_sent))
        .bind(access.oauth_token_url.as_deref())
        .bind(access.oauth_client_id.as_deref())
        .bind(c.id)
        .execute(&self.pool)
        .await?;
        Ok(())
    }

    /// Replace the sealed secret alone (a provider rotated the refresh
    /// token); the account's other settings stay.
    pub async fn reseal_mail_secret(
        &self,
        client: &str,
        nonce: &str,
        sealed: &str,
    ) -> StoreResult<()> {
        let c = self.client(client).await?;
        sqlx::query(
            "UPDATE mail_accounts SET secret_nonce = $1, secret_sealed = $2 WHERE client_id = $3",
        )
        .bind(nonce)
        .bind(sealed)
        .bind(c.id)
        .execute(&self.pool)
        .await?;
        Ok(())
    }

    pub async fn mail_account(&self, client: &str) -> StoreResult<Option<MailAccount>> {
        let c = self.client(client).await?;
        let row = sqlx::query(
            "SELECT imap_server, smtp_server, username, from_address, imap_security, ca_file, auth_method, smtp_security,
                    server_saves_sent, oauth_token_url, oauth_client_id, secret_nonce, secret_sealed, created_at
             FROM mail_accounts WHERE client_id = $1",
        )
        .bind(c.id)
        .fetch_optional(&self.pool)
        .await?;
        row.map(|r| {
            Ok(MailAccount {
                client: c.slug.clone(),
                imap_server: r.try_get("imap_server")?,
                smtp_server: r.try_get("smtp_server")?,
                username: r.try_get("username")?,
                from_address: r.try_get("from_address")?,
                imap_security: r.try_get("imap_security")?,
                ca_file: r.try_get("ca_file")?,
                auth_method: r.try_get("auth_method")?,
                smtp_security: r.try_get("smtp_security")?,
                server_saves_sent: r
                    .try_get::<Option<i64>, _>("server_saves_sent")?
                    .is_some_and(|v| v != 0),
                oauth_token_url: r.try_get("oauth_token_url")?,
                oauth_client_id: r.try_get("oauth_client_id")?,
                secret_nonce: r.try_get("secret_nonce")?,
                secret_sealed: r.try_get("secret_sealed")?,
                created_at: r.try_get("created_at")?,
            })
        })
        .transpose()
    }

    pub async fn mail_folder_sync(
        &self,
        client: &str,
        folder: &str,
    ) -> StoreResult<Option<FolderSync>> {
        let c = self.client(client).await?;
        let row = sqlx::query(
            "SELECT uid_validity, uid_next, highest_modseq FROM mail_folders
             WHERE client_id = $1 AND name = $2",
        )
        .bind(c.id)
        .bind(folder)
        .fetch_optional(&self.pool)
        .await?;
        row.map(|r| {
            Ok(FolderSync {
                uid_validity: r.try_get("uid_validity")?,
                uid_next: r.try_get("uid_next")?,
                highest_modseq: r.try_get("highest_modseq")?,
            })
        })
        .transpose()
    }

    /// Record where a folder's sync stands (after a sync with nothing new).
    pub async fn save_mail_folder_sync(
        &self,
        client: &str,
        folder: &str,
        sync: FolderSync,
    ) -> StoreResult<()> {
        let c = self.client(client).await?;
        let mut tx = self.pool.begin().await?;
        upsert_folder(&mut tx, c.id, folder, sync).await?;
        tx.commit().await?;
        Ok(())
    }

    /// Store one message and its folder's new state together. Returns
    /// false when the message was stored before (same key): nothing changes
    /// but the state.
    pub async fn record_mail_message(
        &self,
        client: &str,
        message: &MailMessage,
        sync: FolderSync,
    ) -> StoreResult<bool> {
        let c = self.client(client).await?;
        let mut tx = self.pool.begin().await?;
        let inserted = sqlx::query(
            "INSERT INTO mail_messages (client_id, message_key, folder, uid, thread_id, from_email, subject, sent_at,
                 triage, intent, needs_person, detail, body, received_at, reply_to, refs)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16)
             ON CONFLICT (client_id, message_key) DO NOTHING",
        )
        .bind(c.id)
        .bind(&message.message_key)
        .bind(&message.folder)
        .bind(message.uid)
        .bind(&message.thread_id)
        .bind(&message.from_email)
        .bind(&message.subject)
        .bind(&message.sent_at)
        .bind(&message.triage)
        .bind(&message.intent)
        .bind(i64::from(message.needs_person))
        .bind(&message.detail)
        .bind(&message.body)
        .bind(crate::now_text())
        .bind(&message.reply_to)
        .bind(&message.refs)
        .execute(&mut *tx)
        .await?
        .rows_affected()
            > 0;
        upsert_folder(&mut tx, c.id, &message.folder, sync).await?;
        tx.commit().await?;
        Ok(inserted)
    }

    /// A client's messages, newest first; inquiries only unless `all`.
    pub async fn mail_messages(
        &self,
        client: &str,
        all: bool,
        limit: i64,
    ) -> StoreResult<Vec<StoredMailMessage>> {
        let c = self.client(client).await?;
        let rows = sqlx::query(
            "SELECT id, message_key, folder, uid, thread_id, from_email, subject, sent_at, triage, intent,
                    needs_person, detail, body, received_at, reply_to, refs
             FROM mail_messages
             WHERE client_id = $1 AND ($2 = 1 OR triage = 'inquiry')
             ORDER BY id DESC LIMIT $3",
        )
        .bind(c.id)
        .bind(i64::from(all))
        .bind(limit)
        .fetch_all(&self.pool)
        .await?;
        rows.iter().map(message_row).collect()
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct KnowledgeDoc {
    pub name: String,
    pub body: String,
    pub added_at: String,
}

impl Store {
    /// Add or replace (by name) a client's knowledge document.
    pub async fn put_mail_knowledge(
        &self,
        client: &str,
        name: &str,
        body: &str,
    ) -> StoreResult<()> {
        let c = self.client(client).await?;
        sqlx::query(
            "INSERT INTO mail_knowledge (client_id, name, body, added_at) VALUES ($1, $2, $3, $4)
             ON CONFLICT (client_id, name) DO UPDATE SET body = excluded.body, added_at = excluded.added_at",
        )
        .bind(c.id)
        .bind(name)
        .bind(body)
        .bind(crate::now_text())
        .execute(&self.pool)
        .await?;
        Ok(())
    }

    pub async fn mail_knowledge(&self, client: &str) -> StoreResult<Vec<KnowledgeDoc>> {
        let c = self.client(client).await?;
        let rows = sqlx::query(
            "SELECT name, body, added_at FROM mail_knowledge WHERE client_id = $1 ORDER BY name",
        )
        .bind(c.id)
        .fetch_all(&self.pool)
        .await?;
        rows.iter()
            .map(|r| {
                Ok(KnowledgeDoc {
                    name: r.try_get("name")?,
                    body: r.try_get("body")?,
                    added_at: r.try_get("added_at")?,
                })
            })
            .collect()
    }

    /// The client's voice profile (JSON kept as given).
    pub async fn put_mail_voice(&self, client: &str, profile_json: &str) -> StoreResult<()> {
        let c = self.client(client).await?;
        sqlx::query(
            "INSERT INTO mail_voice (client_id, profile, updated_at) VALUES ($1, $2, $3)
             ON CONFLICT (client_id) DO UPDATE SET profile = excluded.profile, updated_at = excluded.updated_at",
        )
        .bind(c.id)
        .bind(profile_json)
        .bind(crate::now_text())
        .execute(&self.pool)
        .await?;
        Ok(())
    }

    pub async fn mail_voice(&self, client: &str) -> StoreResult<Option<String>> {
        let c = self.client(client).await?;
        let row = sqlx::query("SELECT profile FROM mail_voice WHERE client_id = $1")
            .bind(c.id)
            .fetch_optional(&self.pool)
            .await?;
        row.map(|r| Ok(r.try_get("profile")?)).transpose()
    }
}

async fn upsert_folder(
    tx: &mut sqlx::Transaction<'static, sqlx::Any>,
    client_id: i64,
    folder: &str,
    sync: FolderSync,
) -> StoreResult<()> {
    sqlx::query(
        "INSERT INTO mail_folders (client_id, name, uid_validity, uid_next, highest_modseq, synced_at)
         VALUES ($1, $2, $3, $4, $5, $6)
         ON CONFLICT (client_id, name) DO UPDATE SET uid_validity = excluded.uid_validity,
             uid_next = excluded.uid_next, highest_modseq = excluded.highest_modseq, synced_at = excluded.synced_at",
    )
    .bind(client_id)
    .bind(folder)
    .bind(sync.uid_validity)
    .bind(sync.uid_next)
    .bind(sync.highest_modseq)
    .bind(crate::now_text())
    .execute(&mut **tx)
    .await?;
    Ok(())
}
