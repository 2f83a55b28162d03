use fcto_engage::EngageError;
use thiserror::Error;

#[derive(Debug, Error)]
pub enum StoreError {
    #[error("unsupported database URL {0:?}: use sqlite:PATH or postgres://USER@HOST/DB")]
    UnsupportedUrl(String),
    #[error("no fcto database at {0}: run `fcto init` first")]
    NoDatabase(String),
    #[error("{url} is not an fcto database (the file is not SQLite, or is damaged): {detail}")]
    NotADatabase { url: String, detail: String },
    #[error("cannot open the database at {url}: {detail}")]
    Connect { url: String, detail: String },
    #[error(
        "the database has schema version {found}, written by a newer fcto (this one knows up to {known}); upgrade fcto"
    )]
    NewerSchema { found: i64, known: i64 },
    #[error("no client {0:?} (see `fcto client list`)")]
    UnknownClient(String),
    #[error("a client with slug {0:?} already exists")]
    DuplicateSlug(String),
    #[error("{0} already exists")]
    Duplicate(String),
    #[error("{0} not found")]
    NotFound(String),
    #[error("{0}")]
    Conflict(String),
    #[error(transparent)]
    Invalid(#[from] EngageError),
    #[error("stored data is damaged: {0}")]
    Corrupt(String),
    #[error("password hashing failed: {0}")]
    Hash(String),
    #[error("database error: {0}")]
    Database(#[from] sqlx::Error),
    /// From the native SQLite connection used for bulk transfers.
    #[error("database error: {0}")]
    Sqlite(#[from] rusqlite::Error),
}

pub type StoreResult<T> = Result<T, StoreError>;

impl StoreError {
    /// True when the person at the keyboard can fix it (bad value, unknown
    /// name, wrong file); false for faults of the machine or of fcto.
    pub fn is_user_error(&self) -> bool {
        !matches!(
            self,
            StoreError::Database(_)
                | StoreError::Sqlite(_)
                | StoreError::Hash(_)
                | StoreError::Corrupt(_)
        )
    }

    pub(crate) fn from_connect(url: &str, e: sqlx::Error) -> StoreError {
        let url = crate::redact_url(url);
        if is_not_a_database(&e) {
            return StoreError::NotADatabase {
                url,
                detail: e.to_string(),
            };
        }
        StoreError::Connect {
            url,
            detail: e.to_string(),
        }
    }
}

/// SQLite reports a non-database file as SQLITE_NOTADB (26), a damaged one
/// as SQLITE_CORRUPT (11).
pub(crate) fn is_not_a_database(e: &sqlx::Error) -> bool {
    match e {
        sqlx::Error::Database(db) => matches!(db.code().as_deref(), Some("26") | Some("11")),
        _ => false,
    }
}

/// True for a UNIQUE violation on either backend.
pub(crate) fn is_unique_violation(e: &sqlx::Error) -> bool {
    match e {
        sqlx::Error::Database(db) => {
            // PostgreSQL: 23505; SQLite: 2067 (SQLITE_CONSTRAINT_UNIQUE) or 1555 (PRIMARYKEY)
            matches!(
                db.code().as_deref(),
                Some("23505") | Some("2067") | Some("1555")
            )
        }
        _ => false,
    }
}
