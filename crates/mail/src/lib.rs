//! Inbound mail for the email responder, as a library: parse a raw message
//! (any MIME shape, any charset, via `mail-parser`) into what the rest of
//! the pipeline needs ([`Inbound`]), cut a reply down to what the sender
//! newly wrote ([`new_text`]), and decide what to do with it ([`triage`]):
//! skip it (auto-replies, bounces, lists, notifications, the business's own
//! mail, spam) or treat it as an inquiry with an intent, flagged for a
//! person when it is a complaint or legal.
//!
//! [`imap`] syncs a folder incrementally. No store and no model here: the
//! drafting and the approval queue build on this.

mod clean;
pub mod draft;
mod error;
pub mod guard;
pub mod imap;
pub mod knowledge;
mod message;
pub mod oauth;
mod outgoing;
pub mod secret;
pub mod tls;
mod triage;
pub mod voice;

pub use clean::new_text;
pub use error::MailError;
pub use message::{parse, Attachment, Inbound, Mailbox, MAX_MESSAGE_BYTES};
pub use outgoing::{
    build as build_reply, new_message_id, reply_subject, send as send_smtp, valid_address,
    OutgoingError, Reply, SmtpSettings, DRAFT_HEADER,
};
pub use triage::{triage, Intent, Skip, Triage, TriageConfig};
