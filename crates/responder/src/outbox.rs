//! Approved replies out, each exactly once, as a persisted state machine:
//!
//! ```text
//! approved -> sending -> submitting -> sent
//!                 \           \-> uncertain (a person checks)
//!                  \-> failed (refused for good)
//! ```
//!
//! * `sending`: the reply is filed in Sent, flagged `$FctoSending`, before
//!   SMTP starts. Nothing has gone out: a crash here is recovered by
//!   removing that copy and starting again.
//! * `submitting`: persisted before SMTP starts. Once the server accepts,
//!   the flag comes off the Sent copy, then the draft is `sent`. After a
//!   crash, the Sent folder decides: a copy without the flag was accepted
//!   (`sent`); a copy still flagged means the crash came between the
//!   server's answer and our record, so fcto cannot know and never guesses
//!   by sending again: the draft is `uncertain` until a person says.
//! * After `sent`, the copy in Drafts is removed.
//! * Where the SMTP server files sent mail itself (Gmail, Microsoft 365:
//!   `server_saves_sent`), fcto files nothing; the server's copy, made only
//!   once it accepted the message, is the witness.
//!
//! `FCTO_MAIL_CRASH_AT=<step>` aborts the process at a step: the crash
//! tests run every step this way and check nothing is sent twice.

use fcto_mail::imap::{Mailbox, Special};
use fcto_store::mail_drafts::{DraftChange, MailDraft};
use fcto_store::Store;
use serde::Serialize;

use crate::account::Account;
use crate::error::{ResponderError, Result};
use crate::queue::reply_of;

/// The keyword on a Sent copy whose SMTP submission is not confirmed.
pub const PENDING_KEYWORD: &str = "$FctoSending";

/// The steps a crash test can stop at, in order.
pub const CRASH_STEPS: &[&str] = &[
    "sending",
    "filed",
    "submitting",
    "accepted",
    "confirmed",
    "sent",
];

fn crash_point(step: &str) {
    if std::env::var("FCTO_MAIL_CRASH_AT").is_ok_and(|s| s == step) {
        eprintln!("FCTO_MAIL_CRASH_AT={step}: aborting");
        std::process::abort();
    }
}

#[derive(Debug, Clone, Serialize)]
pub struct Outcome {
    pub draft: i64,
    pub status: String,
    pub detail: Option<String>,
}

#[derive(Debug, Clone, Default, Serialize)]
pub struct OutboxReport {
    pub outcomes: Vec<Outcome>,
    /// Drafts answered from the owner's mail client, marked handled.
    pub handled: Vec<i64>,
}

/// Send every approved draft, finish any send a crash cut short, and
/// notice replies the owner sent from their own mail client.
pub async fn run(store: &Store, account: &Account) -> Result<OutboxReport> {
    let client = account.client.as_str();
    let mut mailbox = account.imap().await?;
    let sent_folder = mailbox
        .special_folder(Special::Sent)
        .await?
        .ok_or_else(|| {
            ResponderError::User(format!(
            "{client}'s mailbox has no Sent folder (no \\Sent SPECIAL-USE, no folder named Sent)"
        ))
        })?;
    let drafts_folder = mailbox.special_folder(Special::Drafts).await?;
    let handled = notice_handled(
        store,
        client,
        &mut mailbox,
        &sent_folder,
        drafts_folder.as_deref(),
    )
    .await?;
    let mut report = OutboxReport {
        outcomes: Vec::new(),
        handled,
    };
    let drafts = store
        .mail_drafts(client, &["approved", "sending", "submitting", "sent"])
        .await?;
    for draft in drafts {
        if draft.status == "sent" && draft.drafts_folder.is_none() {
            continue;
        }
        let outcome = send_one(store, account, &mut mailbox, &sent_folder, draft).await?;
        report.outcomes.push(outcome);
    }
    let _ = mailbox.logout().await;
    Ok(report)
}

async fn send_one(
    store: &Store,
    account: &Account,
    mailbox: &mut Mailbox<fcto_mail::tls::MailStream>,
    sent_folder: &str,
    draft: MailDraft,
) -> Result<Outcome> {
    let client = account.client.as_str();
    let id = draft.id;
    let outcome = |status: &str, detail: Option<String>| Outcome {
        draft: id,
        status: status.into(),
        detail,
    };
    let mut status = draft.status.clone();
    if status == "submitting" {
        // A crash during or after SMTP: the Sent folder decides.
        let copies = mailbox
            .find_by_header(sent_folder, "Message-ID", &draft.reply_message_id)
            .await?;
        let confirmed = copies
            .iter()
            .any(|(_, flags)| !flags.iter().any(|f| f == PENDING_KEYWORD));
        if confirmed {
            store
                .advance_mail_draft(
                    client,
                    id,
                    &["submitting"],
                    "sent",
                    DraftChange {
                        sent: true,
                        ..Default::default()
                    },
                )
                .await?;
            status = "sent".into();
        } else {
            let why = "fcto stopped while the SMTP server was answering: check with the recipient or in the server's log whether it arrived, then `fcto mail resolve` it";
            store
                .advance_mail_draft(
                    client,
                    id,
                    &["submitting"],
                    "uncertain",
                    DraftChange {
                        error: Some(why),
                        ..Default::default()
                    },
                )
                .await?;
            return Ok(outcome("uncertain", Some(why.into())));
        }
    }
    if status == "approved" {
        if !store
            .advance_mail_draft(
                client,
                id,
                &["approved"],
                "sending",
                DraftChange {
                    attempt: true,
                    ..Default::default()
                },
            )
            .await?
        {
            return Ok(outcome("skipped", Some("another run took it".into())));
        }
        status = "sending".into();
        crash_point("sending");
    }
    if status == "sending" {
        // Nothing has been submitted: clear any copy an earlier attempt
        // filed, file a fresh one, then submit. A server that files sent
        // mail itself (Gmail) gets no copy from fcto: its own is the witness.
        let message = fcto_mail::build_reply(&reply_of(&draft))?;
        // Settings (an access token, perhaps fetched now) before anything is
        // submitted: a refused refresh leaves the draft "sending", unsent.
        let smtp = account.smtp().await?;
        if !account.server_saves_sent {
            let stale = crate::queue::copies(mailbox, sent_folder, &draft).await?;
            mailbox.remove(sent_folder, &stale).await?;
            mailbox
                .append_flagged(
                    sent_folder,
                    &format!("\\Seen {PENDING_KEYWORD}"),
                    &message.formatted(),
                )
                .await?;
        }
        crash_point("filed");
        store
            .advance_mail_draft(
                client,
                id,
                &["sending"],
                "submitting",
                DraftChange::default(),
            )
            .await?;
        crash_point("submitting");
        if let Err(e) = fcto_mail::send_smtp(&smtp, &message).await {
            let copies = crate::queue::copies(mailbox, sent_folder, &draft).await?;
            let (next, keep_copy) = match &e {
                // Refused for good, or never connected: not sent.
                fcto_mail::OutgoingError::Refused { .. } => ("failed", false),
                fcto_mail::OutgoingError::Unavailable {
                    nothing_sent: true, ..
                } => ("approved", false),
                // Cut off mid-conversation: it may have gone.
                _ => ("uncertain", true),
            };
            if !keep_copy && !account.server_saves_sent {
                mailbox.remove(sent_folder, &copies).await?;
            }
            let detail = e.to_string();
            store
                .advance_mail_draft(
                    client,
                    id,
                    &["submitting"],
                    next,
                    DraftChange {
                        error: Some(&detail),
                        ..Default::default()
                    },
                )
                .await?;
            return Ok(outcome(next, Some(detail)));
        }
        crash_point("accepted");
        if !account.server_saves_sent {
            let copies = crate::queue::copies(mailbox, sent_folder, &draft).await?;
            mailbox
                .set_flags(sent_folder, &copies, false, PENDING_KEYWORD)
                .await?;
        }
        crash_point("confirmed");
        store
            .advance_mail_draft(
                client,
                id,
                &["submitting"],
                "sent",
                DraftChange {
                    sent: true,
                    ..Default::default()
                },
            )
            .await?;
        crash_point("sent");
    }
    // Sent: the copy in Drafts goes.
    if let Some(folder) = &draft.drafts_folder {
        let copies = crate::queue::copies(mailbox, folder, &draft).await?;
        mailbox.remove(folder, &copies).await?;
        store.set_mail_draft_folder(client, id, None).await?;
    }
    Ok(outcome("sent", None))
}

/// Queued or approved drafts whose inquiry the owner answered from their
/// own mail client (a reply in Sent with In-Reply-To the inquiry, not
/// fcto's) are marked handled; their Drafts copies go.
async fn notice_handled(
    store: &Store,
    client: &str,
    mailbox: &mut Mailbox<fcto_mail::tls::MailStream>,
    sent_folder: &str,
    drafts_folder: Option<&str>,
) -> Result<Vec<i64>> {
    let mut handled = Vec::new();
    for draft in store.mail_drafts(client, &["queued", "approved"]).await? {
        let Some(parent) = &draft.in_reply_to else {
            continue;
        };
        let replies = mailbox
            .find_by_header(sent_folder, "In-Reply-To", parent)
            .await?;
        let ours = mailbox
            .find_by_header(sent_folder, "Message-ID", &draft.reply_message_id)
            .await?;
        let theirs = replies
            .iter()
            .any(|(uid, _)| !ours.iter().any(|(o, _)| o == uid));
        // A mail client that sent fcto's draft as it was keeps its
        // Message-ID: a copy of ours without the pending keyword.
        let sent_as_is = ours
            .iter()
            .any(|(_, flags)| !flags.iter().any(|f| f == PENDING_KEYWORD));
        if !(theirs || sent_as_is) {
            continue;
        }
        if store
            .advance_mail_draft(
                client,
                draft.id,
                &["queued", "approved"],
                "handled",
                DraftChange {
                    sent: true,
                    ..Default::default()
                },
            )
            .await?
        {
            handled.push(draft.id);
            if let Some(folder) = drafts_folder {
                let copies = crate::queue::copies(mailbox, folder, &draft).await?;
                mailbox.remove(folder, &copies).await?;
                store.set_mail_draft_folder(client, draft.id, None).await?;
            }
        }
    }
    Ok(handled)
}

/// A person's word on an uncertain send: it arrived (`sent`), or it did
/// not and may go again (`approved`).
pub async fn resolve(store: &Store, client: &str, id: i64, arrived: bool) -> Result<MailDraft> {
    let to = if arrived { "sent" } else { "approved" };
    let change = DraftChange {
        sent: arrived,
        ..Default::default()
    };
    if !store
        .advance_mail_draft(client, id, &["uncertain", "failed"], to, change)
        .await?
    {
        let d = store.mail_draft(client, id).await?;
        return Err(ResponderError::User(format!(
            "draft {id} is {}: only an uncertain or failed send is resolved",
            d.status
        )));
    }
    Ok(store.mail_draft(client, id).await?)
}
