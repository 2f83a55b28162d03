//! Replies as they leave: an RFC 5322 message with the threading headers
//! mail clients group by (In-Reply-To, References, "Re:"), a Message-ID
//! chosen before anything is sent (so a crash can be checked against the
//! Sent folder), and an `X-Fcto-Draft` header naming the draft, so fcto
//! finds its own copies in Drafts and Sent again.
//!
//! And SMTP: [`send`] submits one message, plaintext only to loopback,
//! otherwise implicit TLS (port 465) or STARTTLS.

use std::time::Duration;

use lettre::message::{header, Mailbox as Address, Message};
use lettre::transport::smtp::authentication::{Credentials, Mechanism};
use lettre::transport::smtp::client::{Tls, TlsParameters};
use lettre::{AsyncSmtpTransport, AsyncTransport, Tokio1Executor};
use rand::Rng;
use thiserror::Error;

/// The header fcto stamps on its replies: the draft's id in fcto's store.
pub const DRAFT_HEADER: &str = "X-Fcto-Draft";

#[derive(Debug, Error)]
pub enum OutgoingError {
    #[error("draft {draft}: {field}: {detail}")]
    Invalid {
        draft: i64,
        field: &'static str,
        detail: String,
    },
    /// The server refused for good (a bad recipient, a refused login): sending
    /// again will not help.
    #[error("{server}: refused: {detail}")]
    Refused { server: String, detail: String },
    /// Not sent this time, or not known: `nothing_sent` when the server
    /// was never reached or answered "try later" (4xx), so sending again
    /// cannot duplicate; false when the conversation broke off midway.
    #[error("{server}: {detail}")]
    Unavailable {
        server: String,
        detail: String,
        nothing_sent: bool,
    },
    #[error("plaintext SMTP is only allowed to loopback, not {0}: use port 465 or 587")]
    NotLoopback(String),
}

/// One reply, ready to build.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Reply {
    pub draft_id: i64,
    /// `Name <address>` or an address.
    pub from: String,
    pub to: String,
    /// The inquiry's subject; "Re: " is added once.
    pub subject: String,
    /// The inquiry's Message-ID (no angle brackets), when it had one.
    pub in_reply_to: Option<String>,
    /// The inquiry's References (no angle brackets), oldest first.
    pub references: Vec<String>,
    /// Chosen before sending, no angle brackets: [`new_message_id`].
    pub message_id: String,
    pub body: String,
    /// RFC 2822 date; now when None.
    pub date: Option<std::time::SystemTime>,
}

/// Whether `text` is an address a reply can come from or go to.
pub fn valid_address(text: &str) -> bool {
    text.parse::<Address>().is_ok()
}

/// A fresh Message-ID at the sender's domain (no angle brackets).
pub fn new_message_id(from_address: &str) -> String {
    let domain = from_address
        .rsplit_once('@')
        .map(|(_, d)| d.trim_end_matches('>'))
        .filter(|d| {
            !d.is_empty()
                && d.chars()
                    .all(|c| c.is_ascii_alphanumeric() || c == '.' || c == '-')
        })
        .unwrap_or("fcto.invalid");
    let token: u128 = rand::thread_rng().gen();
    format!("fcto.{token:032x}@{domain}")
}

/// "Re: " once, however many the inquiry carried (any case, "RE:", "Re :").
pub fn reply_subject(subject: &str) -> String {
    let mut rest = subject.trim();
    loop {
        let lower = rest.to_ascii_lowercase();
        let cut = ["re:", "re :", "aw:", "sv:"]
            .iter()
            .find(|p| lower.starts_with(**p))
            .map(|p| p.len());
        match cut {
            Some(n) => rest = rest[n..].trim_start(),
            None => break,
        }
    }
    if rest.is_empty() {
        "Re: your message".into()
    } else {
        format!("Re: {rest}")
    }
}

/// The reply as a message (its bytes: `message.formatted()`).
pub fn build(reply: &Reply) -> Result<Message, OutgoingError> {
    let invalid = |field: &'static str, detail: String| OutgoingError::Invalid {
        draft: reply.draft_id,
        field,
        detail,
    };
    let from: Address = reply
        .from
        .parse()
        .map_err(|e| invalid("from", format!("{:?}: {e}", reply.from)))?;
    let to: Address = reply
        .to
        .parse()
        .map_err(|e| invalid("to", format!("{:?}: {e}", reply.to)))?;
    for id in reply
        .references
        .iter()
        .chain(reply.in_reply_to.iter())
        .chain(std::iter::once(&reply.message_id))
    {
        if !valid_id(id) {
            return Err(invalid("message id", format!("{id:?} is not a Message-ID")));
        }
    }
    let mut builder = Message::builder()
        .from(from)
        .to(to)
        .subject(reply_subject(&reply.subject))
        .message_id(Some(format!("<{}>", reply.message_id)))
        .date(reply.date.unwrap_or_else(std::time::SystemTime::now))
        .header(header::ContentType::TEXT_PLAIN)
        .raw_header(header::HeaderValue::new(
            header::HeaderName::new_from_ascii_str(DRAFT_HEADER),
            reply.draft_id.to_string(),
        ));
    if let Some(parent) = &reply.in_reply_to {
        builder = builder.in_reply_to(format!("<{parent}>"));
        // References: the parent's references, then the parent (RFC 5322 3.6.4).
        let mut chain: Vec<&String> = reply.references.iter().collect();
        if !chain.contains(&parent) {
            chain.push(parent);
        }
        let refs = chain
            .iter()
            .map(|r| format!("<{r}>"))
            .collect::<Vec<_>>()
            .join(" ");
        builder = builder.references(refs);
    }
    builder
        .body(reply.body.replace("\r\n", "\n"))
        .map_err(|e| invalid("body", e.to_string()))
}

fn valid_id(id: &str) -> bool {
    !id.is_empty()
        && id.len() <= 900
        && id.contains('@')
        && id
            .chars()
            .all(|c| c.is_ascii_graphic() && !matches!(c, '<' | '>' | '"' | '\\'))
}

/// Where and as whom to submit.
#[derive(Clone)]
pub struct SmtpSettings {
    /// HOST:PORT
    pub server: String,
    pub user: String,
    pub password: String,
    pub timeout: Duration,
    /// A CA file (PEM) the server's certificate chains to, besides the
    /// public roots.
    pub ca_file: Option<std::path::PathBuf>,
    /// `password` is an OAuth 2.0 access token (SASL XOAUTH2).
    pub xoauth2: bool,
    /// None: 465 is TLS, loopback plain, anything else STARTTLS.
    pub security: Option<crate::tls::Security>,
}

impl std::fmt::Debug for SmtpSettings {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SmtpSettings")
            .field("server", &self.server)
            .field("user", &self.user)
            .finish_non_exhaustive()
    }
}

/// Submit one message. Plaintext with AUTH only to a loopback server;
/// port 465 is implicit TLS; any other port must offer STARTTLS.
pub async fn send(settings: &SmtpSettings, message: &Message) -> Result<(), OutgoingError> {
    let server = settings.server.clone();
    let unavailable = |detail: String| OutgoingError::Unavailable {
        server: server.clone(),
        detail: format!("not connected: {detail}"),
        nothing_sent: true,
    };
    let (host, port) = settings
        .server
        .rsplit_once(':')
        .and_then(|(h, p)| Some((h.trim_matches(['[', ']']), p.parse::<u16>().ok()?)))
        .ok_or_else(|| OutgoingError::Refused {
            server: server.clone(),
            detail: "give the SMTP server as HOST:PORT".into(),
        })?;
    let addr = tokio::net::lookup_host((host, port))
        .await
        .map_err(|e| unavailable(e.to_string()))?
        .next()
        .ok_or_else(|| unavailable("no address".into()))?;
    let credentials = Credentials::new(settings.user.clone(), settings.password.clone());
    use crate::tls::Security;
    let security = settings.security.unwrap_or(match port {
        465 => Security::Tls,
        _ if addr.ip().is_loopback() => Security::None,
        _ => Security::StartTls,
    });
    let builder = if security == Security::None {
        if !addr.ip().is_loopback() {
            return Err(OutgoingError::NotLoopback(server));
        }
        AsyncSmtpTransport::<Tokio1Executor>::builder_dangerous(host).port(port)
    } else {
        let mut params = TlsParameters::builder(host.into());
        if let Some(path) = &settings.ca_file {
            let pem =
                std::fs::read(path).map_err(|e| unavailable(format!("{}: {e}", path.display())))?;
            let cert = lettre::transport::smtp::client::Certificate::from_pem(&pem)
                .map_err(|e| unavailable(format!("{}: {e}", path.display())))?;
            params = params.add_root_certificate(cert);
        }
        let tls = params.build().map_err(|e| unavailable(e.to_string()))?;
        let mode = if security == Security::Tls {
            Tls::Wrapper(tls)
        } else {
            Tls::Required(tls)
        };
        AsyncSmtpTransport::<Tokio1Executor>::builder_dangerous(host)
            .port(port)
            .tls(mode)
    };
    let transport = builder
        .credentials(credentials)
        .authentication(if settings.xoauth2 {
            vec![Mechanism::Xoauth2]
        } else {
            vec![Mechanism::Plain, Mechanism::Login]
        })
        .timeout(Some(settings.timeout))
        .build();
    // Reach the server (and log in) before the message is on the wire, so
    // "down" and "wrong password" are known not to have sent anything.
    match transport.test_connection().await {
        Ok(true) => {}
        Ok(false) => return Err(unavailable("the server did not answer".into())),
        Err(e) if e.is_permanent() => {
            return Err(OutgoingError::Refused {
                server,
                detail: e.to_string(),
            })
        }
        Err(e) => return Err(unavailable(e.to_string())),
    }
    match transport.send(message.clone()).await {
        Ok(_) => Ok(()),
        Err(e) if e.is_permanent() => Err(OutgoingError::Refused {
            server,
            detail: e.to_string(),
        }),
        Err(e) if e.is_transient() => Err(OutgoingError::Unavailable {
            server,
            detail: format!("not accepted, try later: {e}"),
            nothing_sent: true,
        }),
        Err(e) => Err(OutgoingError::Unavailable {
            server,
            detail: format!("cut off while sending: {e}"),
            nothing_sent: false,
        }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn reply() -> Reply {
        Reply {
            draft_id: 7,
            from: "Harbour & Hearth <hello@harbourhearth.example>".into(),
            to: "Sam Jones <sam@example.com>".into(),
            subject: "RE: Re: Group of 10 — Friday".into(),
            in_reply_to: Some("q2@example.com".into()),
            references: vec!["q1@example.com".into()],
            message_id: "fcto.1@harbourhearth.example".into(),
            body: "Hi Sam,\n\nYes — £10 per head.\n\nPriya".into(),
            date: None,
        }
    }

    #[test]
    fn a_reply_carries_threading_headers_and_its_draft_id() {
        let raw = build(&reply()).expect("build").formatted();
        let parsed = crate::parse("reply", &raw).expect("parse");
        assert_eq!(
            parsed.message_id.as_deref(),
            Some("fcto.1@harbourhearth.example")
        );
        assert_eq!(parsed.in_reply_to, vec!["q2@example.com".to_string()]);
        assert_eq!(
            parsed.references,
            vec!["q1@example.com".to_string(), "q2@example.com".to_string()]
        );
        assert_eq!(parsed.subject, "Re: Group of 10 — Friday");
        assert_eq!(
            parsed.text.trim(),
            "Hi Sam,\n\nYes — £10 per head.\n\nPriya"
        );
        let text = String::from_utf8_lossy(&raw);
        assert!(text.contains("X-Fcto-Draft: 7\r\n"), "{text}");
    }

    #[test]
    fn bad_addresses_and_ids_are_named() {
        let mut r = reply();
        r.to = "not an address".into();
        let e = build(&r).expect_err("bad to").to_string();
        assert!(e.starts_with("draft 7: to:"), "{e}");
        let mut r = reply();
        r.in_reply_to = Some("x>\r\nBcc: victim@example.com".into());
        let e = build(&r).expect_err("header injection").to_string();
        assert!(e.contains("message id"), "{e}");
        let mut r = reply();
        r.subject = "Hi\r\nBcc: victim@example.com".into();
        let raw = String::from_utf8_lossy(&build(&r).expect("build").formatted()).into_owned();
        assert!(!raw.contains("\r\nBcc:"), "{raw}");
    }

    #[test]
    fn subjects_and_ids() {
        assert_eq!(reply_subject("Booking"), "Re: Booking");
        assert_eq!(reply_subject("re: RE : Booking"), "Re: Booking");
        assert_eq!(reply_subject("  "), "Re: your message");
        let id = new_message_id("Hearth <hello@harbourhearth.example>");
        assert!(
            id.starts_with("fcto.") && id.ends_with("@harbourhearth.example"),
            "{id}"
        );
        assert_ne!(id, new_message_id("hello@harbourhearth.example"));
        assert!(new_message_id("bad").ends_with("@fcto.invalid"));
    }
}
