use thiserror::Error;

/// Why a message could not be read at all. Anything short of these is read
/// leniently (mail in the wild is rarely well-formed) and shows in
/// [`crate::Inbound::problems`].
#[derive(Debug, Error, PartialEq, Eq)]
pub enum MailError {
    #[error("{label}: empty message")]
    Empty { label: String },
    #[error("{label}: {size} bytes is over the {limit}-byte limit for one message")]
    TooLarge {
        label: String,
        size: usize,
        limit: usize,
    },
    #[error("{label}: not an email message: no header lines before the body")]
    NotMail { label: String },
}
