//! The demo's inbox: a dozen sample messages (the mail crate's fixtures:
//! inquiries, a complaint, a legal threat, auto-replies, a bounce, a list,
//! spam) triaged into Harbour & Hearth's inbox as `fcto mail sync` would,
//! with a knowledge document and a voice learned from two sent replies.
//! The inquiries are drafted into the approval queue through the real
//! pipeline (retrieval, prompt, guards, flags) by a sample writer that
//! stands in for a model and says so in every draft's record: the demo
//! must build in a second on any machine, with no model file.

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
    pub drafts: usize,
}

/// The demo's stand-in for a model: it answers from the first fact the
/// prompt carries, in the learned voice's opening and sign-off.
struct SampleWriter;

impl fcto_llm::Backend for SampleWriter {
    fn name(&self) -> String {
        "demo-sample".into()
    }

    fn chat<'a>(
        &'a self,
        request: &'a fcto_llm::ChatRequest,
        _on_token: &'a mut (dyn FnMut(&str) + Send),
    ) -> fcto_llm::BoxFuture<'a, Result<fcto_llm::ChatResponse, fcto_llm::LlmError>> {
        let system = request
            .messages
            .first()
            .map(|m| m.content.as_str())
            .unwrap_or("");
        let fact = system
            .lines()
            .skip_while(|l| !l.starts_with("Facts you may use"))
            .nth(1)
            .map(|l| l.trim_start_matches("- ").to_string())
            .filter(|f| !f.contains("nothing on file"));
        let middle = match fact {
            Some(f) => {
                let f = f.split_once(") ").map_or(f.as_str(), |(_, rest)| rest);
                format!("Thank you for getting in touch. {f}")
            }
            None => "Thank you for getting in touch. Let me check and confirm [CHECK].".into(),
        };
        let text = format!("Hi there,\n\n{middle}\n\nSee you soon,\nPriya");
        Box::pin(async move {
            Ok(fcto_llm::ChatResponse {
                prompt_chars: request.prompt_chars(),
                text,
                model: "demo-sample (no model ran)".into(),
                finish_reason: Some("stop".into()),
                usage: None,
                latency_ms: 0,
                first_token_ms: None,
                attempts: 1,
            })
        })
    }
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
        drafts: 0,
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
    let queued =
        fcto_responder::queue::draft_pending(store, client, None, &SampleWriter, &mut |_| {})
            .await?;
    summary.drafts = queued.queued.len();
    Ok(summary)
}
