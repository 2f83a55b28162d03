use thiserror::Error;

/// A value supplied by a user that fcto cannot accept. Each variant names the
/// field so that the CLI and web forms can say exactly what was wrong.
#[derive(Debug, Error, PartialEq)]
pub enum EngageError {
    #[error("invalid {field}: {reason}")]
    Invalid { field: &'static str, reason: String },
}

impl EngageError {
    pub fn invalid(field: &'static str, reason: impl Into<String>) -> Self {
        EngageError::Invalid {
            field,
            reason: reason.into(),
        }
    }
}

pub type Result<T, E = EngageError> = std::result::Result<T, E>;
