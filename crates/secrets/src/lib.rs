//! Placeholder; full docs written below.
mod allowlist;
mod binary;
mod finding;
mod rules;
mod scanner;
mod text;

pub use allowlist::{Allowlist, AllowlistError};
pub use binary::is_probably_binary;
pub use finding::{fingerprint, SecretFinding, Severity};
pub use rules::{Rule, RULES};
pub use scanner::{Scanner, MAX_FINDINGS_PER_FILE};
