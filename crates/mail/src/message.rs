//! One message as the responder sees it.

use mail_parser::{HeaderValue, MessageParser, MimeHeaders};
use serde::Serialize;

use crate::error::MailError;

/// Larger messages are refused before parsing: 25 MB attachments are
/// common, base64 inflates them by a third, and a few of them fit.
pub const MAX_MESSAGE_BYTES: usize = 100 * 1024 * 1024;

/// Characters of body text kept: what a model can read of one message.
const MAX_TEXT_CHARS: usize = 200_000;

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Mailbox {
    pub name: Option<String>,
    /// Lower-cased.
    pub email: String,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Attachment {
    pub name: Option<String>,
    pub content_type: String,
    pub bytes: usize,
}

/// What the responder needs of an inbound message.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Inbound {
    /// Without angle brackets.
    pub message_id: Option<String>,
    pub in_reply_to: Vec<String>,
    pub references: Vec<String>,
    /// The thread this message belongs to: the first of References, else
    /// In-Reply-To, else its own Message-ID.
    pub thread_id: Option<String>,
    pub from: Option<Mailbox>,
    pub reply_to: Option<Mailbox>,
    pub to: Vec<Mailbox>,
    pub cc: Vec<Mailbox>,
    pub subject: String,
    /// RFC 3339, when the Date header parses.
    pub date: Option<String>,
    /// The body as text (HTML turned into text when there is no plain part),
    /// whole, quoted history included; see [`crate::new_text`].
    pub text: String,
    pub attachments: Vec<Attachment>,
    /// Headers triage reads, lower-cased names, raw values trimmed.
    pub auto_submitted: Option<String>,
    pub precedence: Option<String>,
    pub list_id: Option<String>,
    pub list_unsubscribe: bool,
    pub x_autoreply: bool,
    pub return_path_empty: bool,
    pub spam_flag: bool,
    /// `multipart/report` (a delivery or read report).
    pub is_report: bool,
    /// What was odd but read anyway (no Message-ID, a body cut short).
    pub problems: Vec<String>,
}

/// Read one raw message. `label` names it in errors (a file, a UID).
pub fn parse(label: &str, raw: &[u8]) -> Result<Inbound, MailError> {
    if raw.iter().all(u8::is_ascii_whitespace) {
        return Err(MailError::Empty {
            label: label.to_string(),
        });
    }
    if raw.len() > MAX_MESSAGE_BYTES {
        return Err(MailError::TooLarge {
            label: label.to_string(),
            size: raw.len(),
            limit: MAX_MESSAGE_BYTES,
        });
    }
    let not_mail = || MailError::NotMail {
        label: label.to_string(),
    };
    let message = MessageParser::default().parse(raw).ok_or_else(not_mail)?;
    if message.headers().is_empty() {
        return Err(not_mail());
    }
    let mut problems = Vec::new();
    let raw_header = |name: &str| {
        message
            .header_raw(name)
            .map(|v| v.trim().to_string())
            .filter(|v| !v.is_empty())
    };

    let message_id = message.message_id().map(str::to_string);
    if message_id.is_none() {
        problems.push("no Message-ID".to_string());
    }
    let in_reply_to = ids(message.in_reply_to());
    let references = ids(message.references());
    let thread_id = references
        .first()
        .or_else(|| in_reply_to.first())
        .cloned()
        .or_else(|| message_id.clone());

    let mut text = message
        .body_text(0)
        .map(|t| t.into_owned())
        .unwrap_or_default();
    if text.chars().count() > MAX_TEXT_CHARS {
        text = text.chars().take(MAX_TEXT_CHARS).collect();
        problems.push(format!("body cut to {MAX_TEXT_CHARS} characters"));
    }
    // Line endings as the rest of the pipeline expects them.
    let text = text.replace("\r\n", "\n");

    let attachments = message
        .attachments()
        .map(|part| Attachment {
            name: part.attachment_name().map(str::to_string),
            content_type: part
                .content_type()
                .map(|ct| match ct.subtype() {
                    Some(sub) => format!("{}/{}", ct.ctype(), sub),
                    None => ct.ctype().to_string(),
                })
                .unwrap_or_else(|| "application/octet-stream".into())
                .to_ascii_lowercase(),
            bytes: part.len(),
        })
        .collect();

    let is_report = message.content_type().is_some_and(|ct| {
        ct.ctype().eq_ignore_ascii_case("multipart")
            && ct
                .subtype()
                .is_some_and(|s| s.eq_ignore_ascii_case("report"))
    });

    Ok(Inbound {
        message_id,
        in_reply_to,
        references,
        thread_id,
        from: message.from().and_then(|a| a.first()).and_then(mailbox),
        reply_to: message.reply_to().and_then(|a| a.first()).and_then(mailbox),
        to: message
            .to()
            .map(|a| a.iter().filter_map(mailbox).collect())
            .unwrap_or_default(),
        cc: message
            .cc()
            .map(|a| a.iter().filter_map(mailbox).collect())
            .unwrap_or_default(),
        subject: message.subject().unwrap_or_default().trim().to_string(),
        date: message.date().map(|d| d.to_rfc3339()),
        text,
        attachments,
        auto_submitted: raw_header("Auto-Submitted").map(|v| v.to_ascii_lowercase()),
        precedence: raw_header("Precedence").map(|v| v.to_ascii_lowercase()),
        list_id: raw_header("List-Id"),
        list_unsubscribe: raw_header("List-Unsubscribe").is_some(),
        x_autoreply: raw_header("X-Autoreply").is_some()
            || raw_header("X-Autorespond").is_some()
            || raw_header("X-Auto-Response-Suppress")
                .is_some_and(|v| v.to_ascii_lowercase().contains("all")),
        return_path_empty: message
            .header_raw("Return-Path")
            .is_some_and(|v| v.trim() == "<>"),
        spam_flag: raw_header("X-Spam-Flag").is_some_and(|v| v.eq_ignore_ascii_case("yes"))
            || raw_header("X-Spam-Status")
                .is_some_and(|v| v.to_ascii_lowercase().starts_with("yes")),
        is_report,
        problems,
    })
}

fn ids(value: &HeaderValue<'_>) -> Vec<String> {
    value
        .as_text_list()
        .map(|list| {
            list.iter()
                .map(|id| {
                    id.trim_matches(|c| c == '<' || c == '>' || c == ' ')
                        .to_string()
                })
                .filter(|id| !id.is_empty())
                .collect()
        })
        .unwrap_or_default()
}

fn mailbox(addr: &mail_parser::Addr<'_>) -> Option<Mailbox> {
    let email = addr.address()?.trim().to_ascii_lowercase();
    if email.is_empty() {
        return None;
    }
    Some(Mailbox {
        name: addr
            .name()
            .map(|n| n.trim().to_string())
            .filter(|n| !n.is_empty()),
        email,
    })
}
