//! The audit as data: what `--format json` prints and what the store keeps.
//!
//! The shape is a contract (documented in docs/audit-json.md): fields are
//! only ever added, and `schema_version` changes when one changes meaning.
//! Each section owns its records here, so the JSON does not move when an
//! engine crate changes its internals.

use serde::{Deserialize, Serialize};

pub const SCHEMA_VERSION: u32 = 1;

#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq)]
pub struct Audit {
    pub schema_version: u32,
    /// "fcto 0.1.0".
    pub tool: String,
    pub client: Option<String>,
    /// RFC 3339, given by the caller (the library reads no clock).
    pub started_at: String,
    pub duration_ms: u64,
    pub roots: Vec<RootSummary>,
    pub languages: Languages,
    pub dependencies: Dependencies,
    pub vulnerabilities: Vulnerabilities,
    pub secrets: Secrets,
    pub infrastructure: Infrastructure,
    pub data: Data,
    pub history: Vec<RootHistory>,
    pub notes: Vec<Note>,
    /// Files the audit could not read or parse; the rest went on.
    pub warnings: Vec<FileWarning>,
    /// The founder's page: the few risks that matter most, ranked.
    pub risks: Vec<Risk>,
    /// Lines per file from the scan, for hotspots; not part of the JSON.
    #[serde(skip)]
    #[doc(hidden)]
    pub file_lines: Vec<(String, u64)>,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq)]
pub struct RootSummary {
    /// Prefix of this root's paths in the report ("" for a single root).
    pub label: String,
    pub path: String,
    pub git: bool,
    pub files: u64,
    pub bytes: u64,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq)]
pub struct Languages {
    /// Largest first by code lines.
    pub rows: Vec<LanguageRow>,
    pub total: LanguageRow,
}

/// tokei's figures for one language: its own files plus code embedded in
/// other languages' files (as `tokei` prints a language's total).
#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq, Eq)]
pub struct LanguageRow {
    pub language: String,
    pub files: u64,
    pub code: u64,
    pub comments: u64,
    pub blanks: u64,
}

impl LanguageRow {
    pub fn lines(&self) -> u64 {
        self.code + self.comments + self.blanks
    }
}

#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq)]
pub struct Dependencies {
    /// One entry per package URL, with every file that names it.
    pub components: Vec<Component>,
    /// Lockfiles and manifests read, with how many components each gave.
    pub manifests: Vec<ManifestFile>,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq, Eq)]
pub struct Component {
    pub name: String,
    pub version: String,
    /// OSV's ecosystem name: "crates.io", "npm", "PyPI", ...
    pub ecosystem: String,
    pub purl: String,
    pub direct: Option<bool>,
    pub dev: Option<bool>,
    pub sources: Vec<String>,
    /// The line of each source where the package is first named (0 when
    /// the name was not found as written); parallel to `sources`.
    #[serde(default)]
    pub lines: Vec<u32>,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq, Eq)]
pub struct ManifestFile {
    pub path: String,
    pub kind: String,
    pub components: u64,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq)]
pub struct Vulnerabilities {
    /// Advisories in the store when the audit ran; 0 means nothing was
    /// checked (run `fcto osv import` first), not that nothing is wrong.
    pub advisories_known: u64,
    pub findings: Vec<Vulnerability>,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq)]
pub struct Vulnerability {
    pub id: String,
    pub aliases: Vec<String>,
    pub summary: String,
    pub severity: Severity,
    /// The advisory's own severity text (CVSS vector or label), as found.
    pub severity_source: Option<String>,
    pub ecosystem: String,
    pub package: String,
    pub version: String,
    pub purl: String,
    pub fixed_in: Vec<String>,
    pub sources: Vec<String>,
    /// Parallel to `sources`, as in the component.
    #[serde(default)]
    pub lines: Vec<u32>,
}

#[derive(
    Debug, Clone, Copy, Default, Serialize, Deserialize, PartialEq, Eq, PartialOrd, Ord, Hash,
)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    #[default]
    Low,
    Medium,
    High,
    Critical,
}

impl Severity {
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Low => "low",
            Severity::Medium => "medium",
            Severity::High => "high",
            Severity::Critical => "critical",
        }
    }
}

#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq)]
pub struct Secrets {
    pub findings: Vec<SecretRecord>,
    /// Accepted by the allowlist, with its reason; kept so the report can
    /// show what was waved through.
    pub allowed: Vec<SecretRecord>,
}

/// A secret, never with its value: `redacted` shows at most a known prefix.
#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq, Eq)]
pub struct SecretRecord {
    pub path: String,
    pub line: u32,
    pub column: u32,
    pub rule: String,
    pub title: String,
    pub severity: Severity,
    pub redacted: String,
    pub fingerprint: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub allowed_because: Option<String>,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq)]
pub struct Infrastructure {
    /// Infrastructure and CI files read, by kind.
    pub files: Vec<InfraFile>,
    /// Services -> where they run -> what they talk to (from fcto-infra).
    pub landscape: serde_json::Value,
    pub warnings: Vec<InfraWarning>,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq, Eq)]
pub struct InfraFile {
    pub path: String,
    pub kind: String,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq, Eq)]
pub struct InfraWarning {
    pub path: String,
    pub line: u32,
    pub rule: String,
    pub message: String,
    pub why: String,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq)]
pub struct Data {
    /// Engines in use and what shows it (a dependency, an image, a URL).
    pub databases: Vec<DatabaseUse>,
    /// Schema and migration files by framework.
    pub migrations: Vec<MigrationSet>,
    /// The review capability's migration-safety findings over those files.
    pub migration_findings: Vec<fcto_review::Finding>,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq, Eq)]
pub struct DatabaseUse {
    pub engine: String,
    pub evidence: Vec<String>,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq, Eq)]
pub struct MigrationSet {
    pub framework: String,
    pub files: u64,
    /// Up to five paths, to show where they live.
    pub examples: Vec<String>,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq)]
pub struct RootHistory {
    pub root: String,
    /// fcto-history's figures for this root, or why there are none.
    pub summary: Option<serde_json::Value>,
    pub hotspots: Vec<Hotspot>,
    pub skills: Vec<Skill>,
    pub note: Option<String>,
}

/// A file changed often and large: where bugs and slow work concentrate.
#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq)]
pub struct Hotspot {
    pub path: String,
    pub changes: u64,
    pub lines: u64,
    pub score: f64,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq, Eq)]
pub struct Skill {
    pub author: String,
    pub language: String,
    pub changes: u64,
}

/// A part of the audit no scanner can see, written by the CTO.
#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq, Eq)]
pub struct Note {
    pub section: String,
    pub text: String,
    pub created_at: String,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq, Eq)]
pub struct FileWarning {
    pub path: String,
    pub message: String,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq)]
pub struct Risk {
    /// Stable across audits, so `audit diff` can say a risk went away.
    pub key: String,
    pub category: String,
    pub severity: Severity,
    pub title: String,
    pub why: String,
    pub fix: String,
    pub cost: Cost,
    pub evidence: Vec<String>,
}

/// A rough cost of fixing: hours of a developer's time and that at the
/// day rate the audit was given.
#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq)]
pub struct Cost {
    pub hours_low: f64,
    pub hours_high: f64,
    pub gbp_low: u64,
    pub gbp_high: u64,
}

/// The parts of an audit a person writes (`fcto audit note`).
pub const NOTE_SECTIONS: &[&str] = &["vendors", "pipelines", "backlog", "skills", "scorecard"];

pub fn note_title(section: &str) -> &'static str {
    match section {
        "vendors" => "Vendors and contracts",
        "pipelines" => "Pipelines and operations",
        "backlog" => "Backlog",
        "skills" => "Team skills",
        "scorecard" => "Scorecard",
        _ => "Other",
    }
}
