//! The demo's inbox: a dozen sample messages (the mail crate's fixtures:
//! inquiries, a complaint, a legal threat, auto-replies, a bounce, a list,
//! spam) triaged into Harbour & Hearth's inbox as `fcto mail sync` would,
//! with a knowledge document and a voice learned from two sent replies.

use anyhow::Result;
use fcto_mail::TriageConfig;
use fcto_store::mail::FolderSync;
use fcto_store::Store;
use serde::Serialize;

macro_rules! fixture {
    ($name:literal) => {
        (
            $name,
            include_bytes!(concat!("../../../mail/tests/fixtures/", $name)).as_slice(),
        )
    };
}

const INBOX: &[(&str, &[u8])] = &[
    fixture!("booking-plain.eml"),
    fixture!("pricing-html-latin1.eml"),
    fixture!("complaint-thread-cp1252.eml"),
    fixture!("legal.eml"),
    fixture!("attachment-unknown-charset.eml"),
    fixture!("malformed-truncated.eml"),
    fixture!("auto-reply.eml"),
    fixture!("bounce.eml"),
    fixture!("mailing-list.eml"),
    fixture!("notification.eml"),
    fixture!("spam.eml"),
    fixture!("own-mail.eml"),
];

const KNOWLEDGE: &str = "# Opening hours\n\nTuesday to Sunday, 12:00 to 22:00. Closed on Mondays.\n\n# Group bookings\n\nGroups of 8 or more pay a deposit of £10 per head, refunded when the group arrives. The group set menu is £45 per person.\n\n# Dogs\n\nWell-behaved dogs are welcome in the bar area.\n";

const SENT: &[&str] = &[
    "Hi Sam,\n\nLovely to hear from you. We have a table for 6 at 7pm on Saturday.\n\nSee you soon,\nPriya",
    "Hi Ana,\n\nLovely to hear from you. Dogs are welcome in the bar area.\n\nSee you soon,\nPriya",
];

#[derive(Serialize)]
pub struct DemoMail {
    pub client: String,
    pub messages: usize,
    pub inquiries: usize,
    pub for_a_person: usize,
}

pub async fn build(store: &Store, client: &str) -> Result<DemoMail> {
    let config = TriageConfig {
        own_domains: vec!["harbourhearth.example".into()],
        ..TriageConfig::default()
    };
    let mut summary = DemoMail {
        client: client.into(),
        messages: 0,
        inquiries: 0,
        for_a_person: 0,
    };
    for (uid, (name, raw)) in (1u32..).zip(INBOX) {
        let message = super::mail::stored_message(name, raw, "INBOX", uid, &config)?;
        let state = FolderSync {
            uid_validity: 1,
            uid_next: i64::from(uid) + 1,
            highest_modseq: None,
        };
        if store.record_mail_message(client, &message, state).await? {
            summary.messages += 1;
            if message.triage == "inquiry" {
                summary.inquiries += 1;
                summary.for_a_person += usize::from(message.needs_person);
            }
        }
    }
    store
        .put_mail_knowledge(client, "faq.md", KNOWLEDGE)
        .await?;
    let sent: Vec<String> = SENT.iter().map(|s| s.to_string()).collect();
    let voice = fcto_mail::voice::profile(&sent);
    store
        .put_mail_voice(client, &serde_json::to_string(&voice)?)
        .await?;
    Ok(summary)
}
