use std::path::PathBuf;

/// Why a history could not be analysed.
#[derive(Debug, thiserror::Error)]
pub enum HistoryError {
    /// Neither the path nor any folder above it is a git repository.
    #[error("{path}: not a git repository (or any parent up to the file system root): {reason}")]
    NotARepository { path: PathBuf, reason: String },
    /// The repository exists but HEAD or its configuration cannot be read.
    #[error("{path}: cannot read the repository: {reason}")]
    Repository { path: PathBuf, reason: String },
    /// An object the walk needs is missing or corrupt.
    #[error("{path}: {what} {id}: {reason}")]
    Object {
        path: PathBuf,
        /// `commit` or `tree`.
        what: &'static str,
        id: String,
        reason: String,
    },
}
