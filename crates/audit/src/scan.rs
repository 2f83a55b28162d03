//! What one worker gathers from the files it read, merged into one at the
//! end of the walk.

use std::collections::BTreeMap;
use std::path::Path;

use crate::model::{Component, FileWarning, InfraFile, LanguageRow, ManifestFile, SecretRecord};

/// One file, read: its path on disk, its path in the report, its bytes.
pub(crate) struct FileJob<'a> {
    /// Which of the request's roots the file is under.
    pub root: usize,
    pub path: &'a Path,
    /// Relative to its root, '/' separated.
    pub rel: &'a str,
    /// As shown in the report (root label + rel).
    pub label: &'a str,
    pub bytes: &'a [u8],
}

#[derive(Default)]
pub(crate) struct Tally {
    pub languages: BTreeMap<String, LanguageRow>,
    /// (path in its root, counts) of hidden files, until the walk knows
    /// whether tokei would count them.
    pub hidden_languages: Vec<(String, LanguageRow)>,
    /// Lines per file (for hotspots: churn x size).
    pub file_lines: Vec<(String, u64)>,
    pub manifests: Vec<ManifestFile>,
    pub components: Vec<Component>,
    pub secrets: Vec<SecretRecord>,
    pub secrets_allowed: Vec<SecretRecord>,
    pub infra_files: Vec<InfraFile>,
    pub infra_facts: Vec<InfraFact>,
    /// (framework, path) of every schema or migration file.
    pub migrations: Vec<(String, String)>,
    pub migration_findings: Vec<fcto_review::Finding>,
    /// Engine names seen in code or config (a `postgres://` URL, a driver).
    pub database_hints: Vec<(String, String)>,
    pub warnings: Vec<FileWarning>,
    pub skipped_large: u64,
    /// Binary files no section reads, of which only the head was read.
    pub binary_skipped: u64,
}

pub(crate) type InfraFact = fcto_infra::Fact;

impl Tally {
    pub fn merge(&mut self, other: Tally) {
        for row in other.languages.values() {
            crate::languages::add(&mut self.languages, row);
        }
        self.hidden_languages.extend(other.hidden_languages);
        self.file_lines.extend(other.file_lines);
        self.manifests.extend(other.manifests);
        self.components.extend(other.components);
        self.secrets.extend(other.secrets);
        self.secrets_allowed.extend(other.secrets_allowed);
        self.infra_files.extend(other.infra_files);
        self.infra_facts.extend(other.infra_facts);
        self.migrations.extend(other.migrations);
        self.migration_findings.extend(other.migration_findings);
        self.database_hints.extend(other.database_hints);
        self.warnings.extend(other.warnings);
        self.skipped_large += other.skipped_large;
        self.binary_skipped += other.binary_skipped;
    }

    /// Workers finish in any order; sorting makes the audit the same every
    /// run, so two audits of one tree diff to nothing.
    pub fn sort(&mut self) {
        self.file_lines.sort();
        self.manifests.sort_by(|a, b| a.path.cmp(&b.path));
        self.components
            .sort_by(|a, b| (&a.purl, &a.sources).cmp(&(&b.purl, &b.sources)));
        self.secrets.sort_by(|a, b| {
            (&a.path, a.line, a.column, &a.rule).cmp(&(&b.path, b.line, b.column, &b.rule))
        });
        self.secrets_allowed
            .sort_by(|a, b| (&a.path, a.line, &a.rule).cmp(&(&b.path, b.line, &b.rule)));
        self.infra_files.sort_by(|a, b| a.path.cmp(&b.path));
        self.migrations.sort();
        self.migration_findings
            .sort_by(|a, b| (&a.path, a.line, &a.rule).cmp(&(&b.path, b.line, &b.rule)));
        self.database_hints.sort();
        self.database_hints.dedup();
        self.warnings
            .sort_by(|a, b| (&a.path, &a.message).cmp(&(&b.path, &b.message)));
    }
}
