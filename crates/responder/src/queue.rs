//! Inquiries into the approval queue: each synced inquiry without a draft
//! is drafted (voice, knowledge, the nearest past replies), recorded with
//! what made it, and copied as a threaded reply into the mailbox's own
//! Drafts folder, so the owner can also approve from their mail client.

use fcto_llm::Backend;
use fcto_mail::imap::{Mailbox, Special};
use fcto_mail::knowledge::{Knowledge, Passage};
use fcto_mail::{Inbound, Reply};
use fcto_store::mail::StoredMailMessage;
use fcto_store::mail_drafts::{MailDraft, NewMailDraft};
use fcto_store::Store;
use serde::Serialize;

use crate::account::Account;
use crate::error::{ResponderError, Result};

#[derive(Debug, Clone, Serialize)]
pub struct Queued {
    pub draft: i64,
    pub inquiry: i64,
    pub subject: String,
    pub latency_ms: i64,
    pub flags: Vec<String>,
    /// The Drafts folder the copy went to; None without a mailbox.
    pub drafts_folder: Option<String>,
}

#[derive(Debug, Clone, Default, Serialize)]
pub struct QueueReport {
    pub queued: Vec<Queued>,
    /// Inquiries not drafted this time (they are tried again next time).
    pub not_drafted: Vec<String>,
}

/// What the drafts of one client draw on, loaded once per run.
pub struct Context {
    pub business: String,
    pub knowledge: Knowledge,
    pub voice: fcto_mail::voice::VoiceProfile,
    pub past_replies: Knowledge,
}

impl Context {
    pub async fn load(store: &Store, client: &str) -> Result<Context> {
        let c = store.client(client).await?;
        let docs = store.mail_knowledge(client).await?;
        let knowledge = Knowledge::new(
            docs.iter()
                .flat_map(|d| fcto_mail::knowledge::passages(&d.name, &d.body))
                .collect(),
        );
        let voice = match store.mail_voice(client).await? {
            Some(json) => serde_json::from_str(&json).map_err(|e| {
                ResponderError::User(format!(
                    "{client}'s stored voice profile is not readable: {e}"
                ))
            })?,
            None => fcto_mail::voice::VoiceProfile::default(),
        };
        // The business's own replies, from whichever Sent folder was synced.
        let past: Vec<Passage> = store
            .mail_messages(client, true, 5_000)
            .await?
            .into_iter()
            .filter(|m| is_sent_folder(&m.message.folder) && !m.message.body.trim().is_empty())
            .map(|m| Passage {
                source: format!("sent:{}", m.id),
                heading: None,
                text: m.message.body,
            })
            .collect();
        Ok(Context {
            business: c.name,
            knowledge,
            voice,
            past_replies: Knowledge::new(past),
        })
    }
}

pub fn is_sent_folder(name: &str) -> bool {
    let lower = name.to_ascii_lowercase();
    lower == "sent"
        || lower.ends_with("/sent")
        || lower.ends_with(".sent")
        || lower.contains("sent items")
        || lower.contains("sent mail")
        || lower.contains("sent messages")
}

/// The inquiry as the drafting step reads it.
pub fn inbound_of(m: &StoredMailMessage) -> Inbound {
    let message = &m.message;
    Inbound {
        message_id: (!message.message_key.starts_with("sha256:"))
            .then(|| message.message_key.clone()),
        subject: message.subject.clone(),
        from: message.from_email.as_ref().map(|e| fcto_mail::Mailbox {
            name: None,
            email: e.clone(),
        }),
        text: message.body.clone(),
        date: message.sent_at.clone(),
        ..Inbound::default()
    }
}

/// Draft every inquiry that has none, oldest first. With a mailbox, each
/// draft is also saved to its Drafts folder.
pub async fn draft_pending(
    store: &Store,
    client: &str,
    account: Option<&Account>,
    backend: &dyn Backend,
    on_draft: &mut (dyn FnMut(&Queued) + Send),
) -> Result<QueueReport> {
    let context = Context::load(store, client).await?;
    let inquiries = store.mail_inquiries_to_draft(client).await?;
    let mut report = QueueReport::default();
    let mut mailbox = match account {
        Some(a) => Some(a.imap().await?),
        None => None,
    };
    let drafts_folder = match mailbox.as_mut() {
        Some(m) => m.special_folder(Special::Drafts).await?,
        None => None,
    };
    for inquiry in &inquiries {
        let Some(to) = inquiry
            .message
            .reply_to
            .clone()
            .or(inquiry.message.from_email.clone())
        else {
            report
                .not_drafted
                .push(format!("message {}: no address to reply to", inquiry.id));
            continue;
        };
        let inbound = inbound_of(inquiry);
        let input = fcto_mail::draft::DraftInput {
            business: &context.business,
            inbound: &inbound,
            knowledge: &context.knowledge,
            voice: &context.voice,
            past_replies: &context.past_replies,
            needs_person: inquiry.message.needs_person,
        };
        let draft = match fcto_mail::draft::draft(backend, &input).await {
            Ok(d) => d,
            Err(e) => {
                report
                    .not_drafted
                    .push(format!("message {}: drafting failed: {e}", inquiry.id));
                continue;
            }
        };
        let from = account
            .map(|a| a.from.clone())
            .unwrap_or_else(|| "fcto@localhost".into());
        let refs: Vec<String> = inquiry
            .message
            .refs
            .split_whitespace()
            .map(str::to_string)
            .collect();
        let new = NewMailDraft {
            message_id: inquiry.id,
            body: draft.text.clone(),
            flags: serde_json::to_string(&draft.flags).unwrap_or_else(|_| "[]".into()),
            model: draft.model.clone(),
            latency_ms: i64::try_from(draft.latency_ms).unwrap_or(i64::MAX),
            prompt_chars: i64::try_from(draft.prompt_chars).unwrap_or(i64::MAX),
            examples: serde_json::to_string(&draft.examples).unwrap_or_else(|_| "[]".into()),
            passages: serde_json::to_string(&draft.passages).unwrap_or_else(|_| "[]".into()),
            reply_message_id: fcto_mail::new_message_id(&from),
            from_address: from,
            to_address: to,
            subject: inquiry.message.subject.clone(),
            in_reply_to: inbound.message_id.clone(),
            refs: refs.join(" "),
        };
        let Some(stored) = store.insert_mail_draft(client, &new).await? else {
            continue;
        };
        let mut copied = None;
        if let (Some(mailbox), Some(folder)) = (mailbox.as_mut(), drafts_folder.as_deref()) {
            match save_to_drafts(mailbox, folder, &stored).await {
                Ok(()) => {
                    store
                        .set_mail_draft_folder(client, stored.id, Some(folder))
                        .await?;
                    copied = Some(folder.to_string());
                }
                Err(e) => report.not_drafted.push(format!(
                    "draft {}: queued, but not saved to {folder}: {e}",
                    stored.id
                )),
            }
        }
        let queued = Queued {
            draft: stored.id,
            inquiry: inquiry.id,
            subject: stored.subject.clone(),
            latency_ms: stored.latency_ms,
            flags: stored.flags.clone(),
            drafts_folder: copied,
        };
        on_draft(&queued);
        report.queued.push(queued);
    }
    if let Some(m) = mailbox {
        let _ = m.logout().await;
    }
    Ok(report)
}

/// The reply a draft stands for, as a message.
pub fn reply_of(draft: &MailDraft) -> Reply {
    Reply {
        draft_id: draft.id,
        from: draft.from_address.clone(),
        to: draft.to_address.clone(),
        subject: draft.subject.clone(),
        in_reply_to: draft.in_reply_to.clone(),
        references: draft.refs.split_whitespace().map(str::to_string).collect(),
        message_id: draft.reply_message_id.clone(),
        body: draft.body.clone(),
        date: None,
    }
}

/// UIDs of the draft's copies in `folder`. The reply's Message-ID is random
/// and unique: a substring search for it finds this draft's copies only.
pub(crate) async fn copies(
    mailbox: &mut Mailbox<fcto_mail::tls::MailStream>,
    folder: &str,
    draft: &MailDraft,
) -> Result<Vec<u32>> {
    Ok(mailbox
        .find_by_header(folder, "Message-ID", &draft.reply_message_id)
        .await?
        .into_iter()
        .map(|(uid, _)| uid)
        .collect())
}

/// Put the draft's copy in Drafts, replacing an earlier copy (after an edit).
pub async fn save_to_drafts(
    mailbox: &mut Mailbox<fcto_mail::tls::MailStream>,
    folder: &str,
    draft: &MailDraft,
) -> Result<()> {
    let raw = fcto_mail::build_reply(&reply_of(draft))?.formatted();
    let old = copies(mailbox, folder, draft).await?;
    mailbox
        .append_flagged(folder, "\\Draft \\Seen", &raw)
        .await?;
    mailbox.remove(folder, &old).await?;
    Ok(())
}
