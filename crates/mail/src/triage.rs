//! Which messages are customer inquiries, what each is about, and which a
//! person must answer. Machine mail is recognised by its headers first
//! (RFC 3834 Auto-Submitted, delivery reports, list headers), wording
//! second; intents by keywords a client can change.

use serde::{Deserialize, Serialize};

use crate::message::Inbound;

/// Why a message is not an inquiry.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Skip {
    NoSender,
    OwnMail,
    Bounce,
    AutoReply,
    Spam,
    MailingList,
    Notification,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Triage {
    Skip {
        reason: Skip,
        detail: String,
    },
    Inquiry {
        intent: String,
        /// A person answers, the draft is not sent blindly.
        needs_person: bool,
        reasons: Vec<String>,
    },
}

/// One intent and the words that signal it (lower case; a word matches at
/// word boundaries, a phrase anywhere).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Intent {
    pub name: String,
    pub words: Vec<String>,
    /// Inquiries of this intent always go to a person.
    #[serde(default)]
    pub needs_person: bool,
}

/// Per client: who "we" are, the intents and the words that mean a person
/// must answer.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TriageConfig {
    /// The business's own domains and addresses: its mail is never an inquiry.
    pub own_domains: Vec<String>,
    pub own_addresses: Vec<String>,
    /// In priority order for ties; "other" when none matches.
    pub intents: Vec<Intent>,
    /// Legal words: any of them flags the inquiry for a person.
    pub legal_words: Vec<String>,
}

fn words(list: &[&str]) -> Vec<String> {
    list.iter().map(|w| w.to_string()).collect()
}

impl Default for TriageConfig {
    fn default() -> Self {
        let intent = |name: &str, list: &[&str], needs_person: bool| Intent {
            name: name.into(),
            words: words(list),
            needs_person,
        };
        TriageConfig {
            own_domains: Vec::new(),
            own_addresses: Vec::new(),
            intents: vec![
                intent(
                    "complaint",
                    &[
                        "complaint",
                        "complain",
                        "disappointed",
                        "unacceptable",
                        "rude",
                        "refund",
                        "terrible",
                        "awful",
                        "worst",
                        "food poisoning",
                        "never again",
                        "not happy",
                    ],
                    true,
                ),
                intent(
                    "booking",
                    &[
                        "book",
                        "booking",
                        "reservation",
                        "reserve",
                        "table for",
                        "availability",
                        "available",
                        "cancel",
                        "reschedule",
                        "appointment",
                        "party of",
                    ],
                    false,
                ),
                intent(
                    "pricing",
                    &[
                        "price",
                        "prices",
                        "pricing",
                        "cost",
                        "costs",
                        "quote",
                        "how much",
                        "rates",
                        "fee",
                        "fees",
                        "menu price",
                        "deposit",
                    ],
                    false,
                ),
                intent(
                    "support",
                    &[
                        "problem",
                        "issue",
                        "not working",
                        "broken",
                        "error",
                        "help with",
                        "can't",
                        "cannot",
                        "login",
                        "invoice",
                        "receipt",
                    ],
                    false,
                ),
                intent(
                    "partnership",
                    &[
                        "partnership",
                        "partner",
                        "collaborate",
                        "collaboration",
                        "sponsor",
                        "wholesale",
                        "supplier",
                        "affiliate",
                        "press",
                    ],
                    false,
                ),
            ],
            legal_words: words(&[
                "solicitor",
                "lawyer",
                "attorney",
                "legal action",
                "court",
                "sue",
                "lawsuit",
                "small claims",
                "trading standards",
                "ombudsman",
                "chargeback",
                "gdpr",
                "subject access request",
                "data protection",
            ]),
        }
    }
}

/// Decide what to do with one message.
pub fn triage(message: &Inbound, config: &TriageConfig) -> Triage {
    if let Some((reason, detail)) = skip(message, config) {
        return Triage::Skip { reason, detail };
    }
    let body = crate::clean::new_text(&message.text).to_lowercase();
    let subject = message.subject.to_lowercase();
    let mut best: Option<(&Intent, usize)> = None;
    for intent in &config.intents {
        // The subject says what a message is about: its words count double.
        let score: usize = intent
            .words
            .iter()
            .map(|w| 2 * hits(&subject, w) + hits(&body, w))
            .sum();
        if score > 0 && best.is_none_or(|(_, s)| score > s) {
            best = Some((intent, score));
        }
    }
    let mut reasons = Vec::new();
    let (intent, mut needs_person) = match best {
        Some((intent, _)) => {
            if intent.needs_person {
                reasons.push(format!("{} goes to a person", intent.name));
            }
            (intent.name.clone(), intent.needs_person)
        }
        None => ("other".to_string(), false),
    };
    let legal: Vec<&str> = config
        .legal_words
        .iter()
        .filter(|w| hits(&subject, w) + hits(&body, w) > 0)
        .map(String::as_str)
        .collect();
    if !legal.is_empty() {
        needs_person = true;
        reasons.push(format!("legal: {}", legal.join(", ")));
    }
    Triage::Inquiry {
        intent,
        needs_person,
        reasons,
    }
}

fn skip(m: &Inbound, config: &TriageConfig) -> Option<(Skip, String)> {
    let Some(from) = &m.from else {
        return Some((Skip::NoSender, "no From address".into()));
    };
    let (local, domain) = from.email.rsplit_once('@').unwrap_or((&from.email, ""));
    if config
        .own_addresses
        .iter()
        .any(|a| a.eq_ignore_ascii_case(&from.email))
        || config
            .own_domains
            .iter()
            .any(|d| d.eq_ignore_ascii_case(domain))
    {
        return Some((Skip::OwnMail, format!("from {}", from.email)));
    }
    let subject = m.subject.to_lowercase();
    if m.is_report
        || matches!(local, "mailer-daemon" | "postmaster")
        || (m.return_path_empty
            && [
                "undeliverable",
                "delivery status notification",
                "mail delivery failed",
                "returned mail",
                "delivery failure",
            ]
            .iter()
            .any(|s| subject.contains(s)))
    {
        return Some((Skip::Bounce, "a delivery report".into()));
    }
    if let Some(value) = &m.auto_submitted {
        if value != "no" {
            return Some((Skip::AutoReply, format!("Auto-Submitted: {value}")));
        }
    }
    if m.x_autoreply
        || m.precedence.as_deref() == Some("auto_reply")
        || [
            "auto:",
            "automatic reply",
            "out of office",
            "autoreply",
            "auto-reply",
            "abwesenheitsnotiz",
            "réponse automatique",
        ]
        .iter()
        .any(|p| subject.starts_with(p))
    {
        return Some((Skip::AutoReply, "an automatic reply".into()));
    }
    if m.spam_flag {
        return Some((Skip::Spam, "marked as spam by the server".into()));
    }
    if let Some(list) = &m.list_id {
        return Some((Skip::MailingList, format!("List-Id: {list}")));
    }
    if matches!(m.precedence.as_deref(), Some("list" | "bulk" | "junk")) || m.list_unsubscribe {
        return Some((
            Skip::Notification,
            "bulk mail (Precedence or List-Unsubscribe)".into(),
        ));
    }
    let machine = [
        "noreply",
        "no-reply",
        "donotreply",
        "do-not-reply",
        "notifications",
        "notification",
        "alerts",
        "bounce",
        "bounces",
    ];
    if machine.iter().any(|p| {
        local == *p || local.starts_with(&format!("{p}+")) || local.starts_with(&format!("{p}-"))
    }) {
        return Some((Skip::Notification, format!("from {}", from.email)));
    }
    None
}

/// How often `needle` occurs in `haystack` (both lower case): at word
/// boundaries for a single word, anywhere for a phrase.
fn hits(haystack: &str, needle: &str) -> usize {
    if needle.is_empty() {
        return 0;
    }
    let single = !needle.contains(' ');
    let mut count = 0;
    let mut start = 0;
    while let Some(at) = haystack.get(start..).and_then(|h| h.find(needle)) {
        let begin = start + at;
        let end = begin + needle.len();
        let before = haystack[..begin].chars().next_back();
        let after = haystack[end..].chars().next();
        let boundary = |c: Option<char>| c.is_none_or(|c| !c.is_alphanumeric());
        if !single || (boundary(before) && boundary(after)) {
            count += 1;
        }
        start = end;
    }
    count
}

#[cfg(test)]
mod tests {
    use super::hits;

    #[test]
    fn words_match_at_boundaries_and_phrases_anywhere() {
        assert_eq!(hits("can i book a table? booking for 4", "book"), 1);
        assert_eq!(hits("we'd like a quote, please quote", "quote"), 2);
        assert_eq!(hits("how much is it", "how much"), 1);
        assert_eq!(hits("notebook", "book"), 0);
        assert_eq!(hits("", "book"), 0);
        assert_eq!(hits("é book é", "book"), 1);
    }
}
