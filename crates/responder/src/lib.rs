//! The email responder's workflow, over the store: synced inquiries are
//! drafted into the approval queue ([`queue`]), a person approves, edits or
//! rejects them ([`approve`], [`edit`], [`reject`]), and the outbox sends
//! each approved reply exactly once ([`outbox`]). [`metrics`] reports how
//! it goes. The CLI and the web page both drive it; neither knows IMAP or
//! SMTP.

pub mod account;
mod error;
pub mod metrics;
pub mod outbox;
pub mod queue;

use fcto_mail::imap::Special;
use fcto_store::mail_drafts::MailDraft;
use fcto_store::Store;

pub use account::Account;
pub use error::{ResponderError, Result};

/// Approve a queued draft as it stands (after any edit), recording who and
/// how much they changed. Sending is the outbox's.
pub async fn approve(store: &Store, client: &str, id: i64, by: &str) -> Result<MailDraft> {
    let draft = store.mail_draft(client, id).await?;
    let distance = metrics::edit_distance(&draft.drafted_body, &draft.body);
    Ok(store
        .decide_mail_draft(client, id, true, by, None, Some(distance))
        .await?)
}

pub async fn reject(
    store: &Store,
    client: &str,
    id: i64,
    by: &str,
    reason: Option<&str>,
    account: Option<&Account>,
) -> Result<MailDraft> {
    let draft = store
        .decide_mail_draft(client, id, false, by, reason, None)
        .await?;
    // A rejected draft leaves the mailbox's Drafts folder too.
    if let (Some(account), Some(folder)) = (account, draft.drafts_folder.as_deref()) {
        let mut mailbox = account.imap().await?;
        let copies = crate::queue::copies(&mut mailbox, folder, &draft).await?;
        mailbox.remove(folder, &copies).await?;
        store.set_mail_draft_folder(client, id, None).await?;
        let _ = mailbox.logout().await;
    }
    Ok(store.mail_draft(client, id).await?)
}

/// Change what will be sent; the Drafts copy is replaced to match.
pub async fn edit(
    store: &Store,
    client: &str,
    id: i64,
    body: &str,
    account: Option<&Account>,
) -> Result<MailDraft> {
    if body.trim().is_empty() {
        return Err(ResponderError::User(format!(
            "draft {id}: an empty reply is not sent; reject the draft instead"
        )));
    }
    let draft = store.edit_mail_draft(client, id, body).await?;
    if let Some(account) = account {
        let mut mailbox = account.imap().await?;
        let folder = match &draft.drafts_folder {
            Some(f) => Some(f.clone()),
            None => mailbox.special_folder(Special::Drafts).await?,
        };
        if let Some(folder) = folder {
            queue::save_to_drafts(&mut mailbox, &folder, &draft).await?;
            store
                .set_mail_draft_folder(client, id, Some(&folder))
                .await?;
        }
        let _ = mailbox.logout().await;
    }
    Ok(store.mail_draft(client, id).await?)
}
