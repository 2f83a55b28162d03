use thiserror::Error;

/// Everything that can go wrong reading advisories. `label` is the file, or
/// `archive.zip:entry.json` for a zip entry.
#[derive(Debug, Error)]
pub enum OsvError {
    /// Malformed JSON, a missing required field or a value of the wrong
    /// type; `path` is the JSON path of the field (`.` for the document).
    #[error("{label}: line {line}, column {column}, at {path}: {message}")]
    Json {
        label: String,
        line: usize,
        column: usize,
        path: String,
        message: String,
    },
    /// Well-formed JSON that breaks an OSV rule (an empty id, an event with
    /// two kinds).
    #[error("{label}: {field}: {message}")]
    Invalid {
        label: String,
        field: String,
        message: String,
    },
    #[error("{label}: {size} bytes is over the {limit}-byte limit for one advisory")]
    TooLarge {
        label: String,
        size: u64,
        limit: u64,
    },
    #[error("{label}: not a readable zip archive: {detail}")]
    Zip { label: String, detail: String },
    #[error("{label}: {source}")]
    Io {
        label: String,
        #[source]
        source: std::io::Error,
    },
    #[error(
        "{label}: no OSV advisories found (expected a .json file, a folder of them or an all.zip)"
    )]
    Empty { label: String },
}

impl OsvError {
    pub(crate) fn io(label: impl Into<String>, source: std::io::Error) -> OsvError {
        OsvError::Io {
            label: label.into(),
            source,
        }
    }
}
