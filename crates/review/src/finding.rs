//! What every rule reports: one shape for SQL, ORM and source findings, so
//! the text, JSON, SARIF and GitHub printers need to know about only this.

use serde::{Deserialize, Serialize};

/// How much a finding matters. Ordered: `Note < Warning < Error`, so
/// `--fail-on warning` means "any finding >= Warning".
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Note,
    Warning,
    Error,
}

impl Severity {
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Note => "note",
            Severity::Warning => "warning",
            Severity::Error => "error",
        }
    }

    pub fn parse(text: &str) -> Option<Severity> {
        match text.trim().to_ascii_lowercase().as_str() {
            "note" | "info" => Some(Severity::Note),
            "warning" | "warn" => Some(Severity::Warning),
            "error" => Some(Severity::Error),
            _ => None,
        }
    }
}

/// One problem at one place. `line` and `column` are 1-based; `column` is
/// counted in characters of that line.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Finding {
    /// Stable rule id, e.g. `index-not-concurrent`.
    pub rule: String,
    pub severity: Severity,
    /// Path as given (relative to the repository root when from git).
    pub path: String,
    pub line: u32,
    pub column: u32,
    /// One line: what was found.
    pub message: String,
    /// Why it matters once the data is ten times bigger.
    pub why: String,
    /// The safe alternative: the exact SQL or code shape to use.
    pub fix: String,
    /// The table a migration finding touches, when known.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub table: Option<String>,
    /// Lock and rewrite time for that table today and at 10x, when its size
    /// is known.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub estimate: Option<Estimate>,
}

/// How long a migration step holds its lock on a table of known size.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Estimate {
    /// Rows in the table today.
    pub rows: u64,
    /// The lock taken, in the database's own words (e.g. `ACCESS EXCLUSIVE`).
    pub lock: String,
    /// What the lock blocks, in plain words (e.g. "reads and writes").
    pub blocks: String,
    /// Estimated seconds the lock is held today.
    pub seconds_today: f64,
    /// Estimated seconds the lock is held at ten times the rows.
    pub seconds_at_10x: f64,
}
