//! What a scan reports. A finding never holds the raw value: only a
//! redacted rendering and a fingerprint (a truncated SHA-256), so `Debug`,
//! `Display` and serialised output cannot leak it.

use serde::Serialize;
use sha2::{Digest, Sha256};
use std::fmt;

/// How bad a leak of this value would be.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    /// Test keys, documented local-only credentials.
    Low,
    /// Credentials that are scoped, short-lived or need another part to use.
    Medium,
    /// A credential that alone grants access to a paid or private service.
    High,
}

impl Severity {
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Low => "low",
            Severity::Medium => "medium",
            Severity::High => "high",
        }
    }
}

impl fmt::Display for Severity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// One secret found in one file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SecretFinding {
    /// Stable rule id, e.g. `aws-access-key-id` (see [`crate::rules`]).
    pub rule_id: &'static str,
    pub title: &'static str,
    pub severity: Severity,
    /// 1-based; `\n`, `\r\n` and a lone `\r` each end a line.
    pub line: u32,
    /// 1-based, in characters (UTF-8 code points; invalid bytes count one each).
    pub column: u32,
    /// The value with everything secret replaced: a well-known prefix at
    /// most, then `…` and the length, e.g. `AKIA…(20 chars)`; database URLs
    /// keep their shape with the password as `****`.
    pub redacted: String,
    /// First 16 hex digits of SHA-256 over `rule_id:value`: the same secret
    /// keeps its fingerprint when it moves, so an allowlist entry holds.
    pub fingerprint: String,
    /// The reason given by an `fcto:allow-secret <reason>` comment on the
    /// finding's line, if there is one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub inline_allow: Option<String>,
}

impl fmt::Display for SecretFinding {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{}:{} {} [{}] {} {} ({})",
            self.line,
            self.column,
            self.rule_id,
            self.severity,
            self.title,
            self.redacted,
            self.fingerprint
        )
    }
}

/// `hex(sha256(rule_id ":" value))[..16]`.
pub fn fingerprint(rule_id: &str, value: &[u8]) -> String {
    let mut hasher = Sha256::new();
    hasher.update(rule_id.as_bytes());
    hasher.update(b":");
    hasher.update(value);
    let digest = hasher.finalize();
    hex::encode(&digest[..8])
}

/// `prefix…(N chars)`, the shape every token rule reports.
pub(crate) fn redact_with_prefix(prefix: &str, value: &[u8]) -> String {
    let chars = String::from_utf8_lossy(value).chars().count();
    format!("{prefix}…({chars} chars)")
}
