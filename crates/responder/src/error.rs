use thiserror::Error;

#[derive(Debug, Error)]
pub enum ResponderError {
    /// Something the person at the keyboard can put right (no mailbox, no
    /// key, a draft in the wrong state).
    #[error("{0}")]
    User(String),
    #[error(transparent)]
    Store(#[from] fcto_store::StoreError),
    #[error(transparent)]
    Imap(#[from] fcto_mail::imap::ImapError),
    #[error(transparent)]
    Outgoing(#[from] fcto_mail::OutgoingError),
    #[error(transparent)]
    OAuth(#[from] fcto_mail::oauth::OAuthError),
    #[error("drafting failed: {0}")]
    Model(#[from] fcto_llm::LlmError),
}

impl ResponderError {
    pub fn is_user_error(&self) -> bool {
        match self {
            ResponderError::User(_)
            | ResponderError::Imap(_)
            | ResponderError::Outgoing(_)
            | ResponderError::OAuth(_) => true,
            ResponderError::Model(_) => true,
            ResponderError::Store(e) => e.is_user_error(),
        }
    }
}

pub type Result<T> = std::result::Result<T, ResponderError>;
