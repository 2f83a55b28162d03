//! One entry point per file: decide which reviewer reads it (SQL migration,
//! ORM migration, source code) and gather findings and warnings.

use serde::Serialize;

use crate::config::ReviewConfig;
use crate::finding::Finding;
use crate::orm::{self, MigrationKind};
use crate::scale::{self, Lock, Operation, TableSizes};

/// Something the review could not do for part of a file (a statement that
/// does not parse, a file that is not text); the rest goes on.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Warning {
    pub path: String,
    pub line: u32,
    pub column: u32,
    pub message: String,
}

#[derive(Debug, Clone, Default, Serialize)]
pub struct FileReview {
    pub findings: Vec<Finding>,
    pub warnings: Vec<Warning>,
}

/// Whether a path may hold anything to review, by name alone (cheap,
/// before reading it); the content decides the rest.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum FileKind {
    Sql,
    /// Source code, which may also be an ORM migration.
    Source,
    /// XML or YAML, which may be a Liquibase changelog.
    Changelog,
    Other,
}

pub fn kind_of(path: &str) -> FileKind {
    let lower = path.to_ascii_lowercase();
    if lower.ends_with(".sql") {
        FileKind::Sql
    } else if crate::coupling::language_of(path).is_some() {
        FileKind::Source
    } else if [".xml", ".yaml", ".yml"].iter().any(|e| lower.ends_with(e)) {
        FileKind::Changelog
    } else {
        FileKind::Other
    }
}

/// Review one file's text.
pub fn review_file(
    path: &str,
    text: &str,
    config: &ReviewConfig,
    sizes: &TableSizes,
) -> FileReview {
    review_file_of_kind(path, text, None, config, sizes)
}

/// [`review_file`] when the caller has already classified the file with
/// [`orm::classify`] (`Some(kind)`), so its text is not read for that twice.
pub fn review_file_of_kind(
    path: &str,
    text: &str,
    kind: Option<MigrationKind>,
    config: &ReviewConfig,
    sizes: &TableSizes,
) -> FileReview {
    let mut review = FileReview::default();
    match kind_of(path) {
        FileKind::Sql => add_sql(&mut review, path, text, 1, config, sizes),
        FileKind::Other => {}
        FileKind::Source | FileKind::Changelog => {
            match kind.unwrap_or_else(|| orm::classify(path, text)) {
                MigrationKind::NotMigration | MigrationKind::Sql => {
                    if kind_of(path) == FileKind::Source {
                        review.findings = crate::coupling::review_source(path, text, config);
                    }
                }
                kind => {
                    let (findings, embedded) = orm::review_with_sql(path, text, kind, config);
                    review.findings = findings
                        .into_iter()
                        .map(|f| with_size(f, config, sizes))
                        .collect();
                    for (line, sql) in embedded {
                        add_sql(&mut review, path, &sql, line, config, sizes);
                    }
                    // Runners set lock_timeout for ORM migrations in their own
                    // config; asking for it in each embedded statement is noise.
                    review.findings.retain(|f| f.rule != "missing-lock-timeout");
                }
            }
        }
    }
    review
}

/// Review SQL that starts at `first_line` of the file.
fn add_sql(
    review: &mut FileReview,
    path: &str,
    sql: &str,
    first_line: u32,
    config: &ReviewConfig,
    sizes: &TableSizes,
) {
    let shift = first_line.saturating_sub(1);
    let result = crate::sql::review_sql_with_sizes(path, sql, config, sizes);
    review
        .findings
        .extend(result.findings.into_iter().map(|mut f| {
            f.line = f.line.saturating_add(shift);
            f
        }));
    review
        .warnings
        .extend(result.warnings.into_iter().map(|w| Warning {
            path: w.path,
            line: w.line.saturating_add(shift),
            column: w.column,
            message: format!("{} (statement: {})", w.message, w.statement),
        }));
}

/// What an ORM rule's operation costs, as the SQL reviewer scores the same
/// risk in SQL.
fn operation_of(rule: &str) -> Option<(Operation, Lock)> {
    Some(match rule {
        "index-not-concurrent" => (Operation::IndexBuild, Lock::SHARE),
        "alter-column-type" | "add-column-volatile-default" => {
            (Operation::TableRewrite, Lock::ACCESS_EXCLUSIVE)
        }
        "set-not-null" | "check-constraint-not-valid" => {
            (Operation::ValidatingScan, Lock::ACCESS_EXCLUSIVE)
        }
        "foreign-key-not-valid" => (Operation::ValidatingScan, Lock::SHARE_ROW_EXCLUSIVE),
        "unique-constraint-without-index" => (Operation::IndexBuild, Lock::ACCESS_EXCLUSIVE),
        _ => return None,
    })
}

/// Score an ORM finding for its table's size, as SQL findings are.
fn with_size(mut finding: Finding, config: &ReviewConfig, sizes: &TableSizes) -> Finding {
    if finding.estimate.is_some() {
        return finding;
    }
    let (Some(table), Some((operation, lock))) =
        (finding.table.as_deref(), operation_of(&finding.rule))
    else {
        return finding;
    };
    let Some(size) = sizes.get(table) else {
        return finding;
    };
    let estimate = scale::estimate(operation, size, lock);
    finding.severity = config.severity(&finding.rule, scale::severity_for(&estimate));
    finding.estimate = Some(estimate);
    finding
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::scale::TableSize;
    use crate::Severity;

    fn sizes(rows: u64) -> TableSizes {
        let mut sizes = TableSizes::new();
        sizes.insert("orders", TableSize { rows, bytes: None });
        sizes
    }

    const RAILS: &str = "class AddIndexToOrders < ActiveRecord::Migration[7.1]\n  def change\n    add_index :orders, :total\n    execute \"ALTER TABLE orders ALTER COLUMN note TYPE varchar(40)\"\n  end\nend\n";

    #[test]
    fn rails_migration_gets_orm_and_embedded_sql_findings_scored_by_size() {
        let path = "db/migrate/20260101000000_add_index_to_orders.rb";
        let config = ReviewConfig::default();
        let small = review_file(path, RAILS, &config, &sizes(100));
        let index = small
            .findings
            .iter()
            .find(|f| f.rule == "index-not-concurrent")
            .expect("index finding");
        assert_eq!(index.line, 3);
        assert_eq!(index.severity, Severity::Note);
        let alter = small
            .findings
            .iter()
            .find(|f| f.rule == "alter-column-type")
            .expect("embedded SQL finding");
        assert_eq!(alter.line, 4, "shifted to the file's line");
        assert!(small
            .findings
            .iter()
            .all(|f| f.rule != "missing-lock-timeout"));

        let big = review_file(path, RAILS, &config, &sizes(50_000_000));
        let index = big
            .findings
            .iter()
            .find(|f| f.rule == "index-not-concurrent")
            .expect("index finding");
        assert_eq!(index.severity, Severity::Error);
        assert!(index
            .estimate
            .as_ref()
            .is_some_and(|e| e.rows == 50_000_000));
    }

    #[test]
    fn plain_source_goes_to_coupling_and_other_files_are_skipped() {
        let config = ReviewConfig::default();
        let py = "import requests\n\ndef pay(x):\n    return requests.post('https://api.stripe.com/v1/charges', json=x)\n";
        let review = review_file("app/pay.py", py, &config, &TableSizes::new());
        assert!(review.findings.iter().any(|f| f.rule == "http-no-timeout"));
        assert!(review_file("README.md", py, &config, &TableSizes::new())
            .findings
            .is_empty());
    }
}
