//! Migration safety for plain SQL files: what locks, rewrites, fails or
//! loses data once the tables are ten times bigger.
//!
//! Each file is split into statements (see [`split`]) and each statement is
//! parsed alone with `sqlparser` for the configured dialect, so one
//! statement the parser does not know becomes a [`SqlWarning`] with its
//! position and the rest of the file is still reviewed.
//!
//! # Transactions
//!
//! Explicit `BEGIN` / `START TRANSACTION` ... `COMMIT` / `ROLLBACK` are
//! tracked across the file; `concurrent-index-in-transaction` fires only
//! inside such an explicit block, because whether a runner wraps a file is
//! the runner's setting (Flyway, Rails, Django, Alembic and dbmate wrap by
//! default and offer a per-migration opt-out; golang-migrate does not wrap),
//! and guessing would flag every correct `CONCURRENTLY` migration.
//! `validate-in-same-transaction`, on the other hand, treats the whole file
//! as one unit: a constraint added `NOT VALID` and validated in the same
//! file is one deploy step, and under the wrapping runners one transaction.
//!
//! # Dialects
//!
//! PostgreSQL gets every rule. MySQL gets the rules that mean the same
//! there (type changes, renames, drops, int keys, lock_wait_timeout,
//! backfills) plus `mysql-algorithm-not-online` and `mysql-lock-not-none`;
//! the NOT VALID / CONCURRENTLY / USING INDEX rules do not apply, and InnoDB
//! indexes foreign keys itself. SQLite has one writer for the whole
//! database and no lock timeouts or concurrent builds, so it gets only the
//! rules about failing or breaking changes (NOT NULL without a default,
//! renames, drops, backfills next to DDL); [`RuleInfo::dialects`] lists
//! each rule's dialects.
//!
//! # Sizes
//!
//! [`review_sql`] takes table sizes from `config.table_sizes`;
//! [`review_sql_with_sizes`] takes a [`TableSizes`] (e.g. from a CSV export)
//! to which the caller may merge the config's sizes. When the table a
//! finding touches has a known size and the rule describes a blocking step,
//! the finding carries an [`Estimate`](crate::finding::Estimate) and its
//! severity comes from [`scale::severity_for`]; a `[rules.<id>] severity`
//! in the config still wins over both.

pub mod check;
pub mod rules;
pub mod split;

use sqlparser::dialect::{
    Dialect as ParserDialect, MySqlDialect, PostgreSqlDialect, SQLiteDialect,
};
use sqlparser::parser::Parser;

use crate::config::{Dialect, ReviewConfig};
use crate::finding::Finding;
use crate::scale::{self, TableSizes};
pub use rules::{rule, rules, RuleInfo};

/// Findings and parse problems of one SQL file.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct SqlReview {
    pub findings: Vec<Finding>,
    pub warnings: Vec<SqlWarning>,
}

/// A statement that could not be parsed, so no rule ran on it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SqlWarning {
    pub path: String,
    /// 1-based line of the problem (the parser's position when it gave one,
    /// else the statement's start).
    pub line: u32,
    pub column: u32,
    pub message: String,
    /// The first ~80 characters of the statement, on one line.
    pub statement: String,
}

/// Statements longer than this are not parsed: nothing a migration linter
/// cares about needs megabytes of one statement, and it bounds the time a
/// hostile file can take.
pub const MAX_STATEMENT_BYTES: usize = 1_000_000;

/// Review one SQL migration file with the sizes in `config.table_sizes`.
pub fn review_sql(path: &str, text: &str, config: &ReviewConfig) -> SqlReview {
    review_sql_with_sizes(path, text, config, &TableSizes::from_config(config))
}

/// Review one SQL migration file with `sizes` (the caller decides whether
/// to merge `config.table_sizes` in; see [`TableSizes::merge_config`]).
pub fn review_sql_with_sizes(
    path: &str,
    text: &str,
    config: &ReviewConfig,
    sizes: &TableSizes,
) -> SqlReview {
    let dialect: Box<dyn ParserDialect> = match config.dialect {
        Dialect::Postgres => Box::new(PostgreSqlDialect {}),
        Dialect::Mysql => Box::new(MySqlDialect {}),
        Dialect::Sqlite => Box::new(SQLiteDialect {}),
    };
    let mut checker = check::FileChecker::new(config.dialect);
    let mut warnings = Vec::new();
    for raw in split::split_statements(text, config.dialect) {
        let mut at = check::At {
            line: raw.line,
            column: raw.column,
            drop_concurrently: false,
        };
        if raw.text.len() > MAX_STATEMENT_BYTES {
            warnings.push(warning(
                path,
                &raw,
                None,
                "statement too long to review".to_string(),
            ));
            continue;
        }
        let parsed = match strip_drop_index_concurrently(raw.text) {
            Some(rewritten) => {
                at.drop_concurrently = true;
                Parser::parse_sql(dialect.as_ref(), &rewritten)
            }
            None => Parser::parse_sql(dialect.as_ref(), raw.text),
        };
        match parsed {
            Ok(statements) => {
                for statement in &statements {
                    checker.statement(statement, at);
                }
            }
            Err(err) => {
                let message = err.to_string();
                let position = parser_position(&message);
                warnings.push(warning(path, &raw, position, message));
            }
        }
    }
    checker.finish();
    let findings = checker
        .hits
        .into_iter()
        .filter(|hit| config.rule_enabled(hit.rule))
        .filter_map(|hit| to_finding(path, hit, config, sizes))
        .collect();
    SqlReview {
        findings: crate::suppress::apply(path, text, findings),
        warnings,
    }
}

fn to_finding(
    path: &str,
    hit: check::Hit,
    config: &ReviewConfig,
    sizes: &TableSizes,
) -> Option<Finding> {
    let info = rules::rule(hit.rule)?;
    if !info.dialects.contains(&config.dialect) {
        return None;
    }
    let mut severity = info.severity;
    let why = info.why.to_string();
    let mut estimate = None;
    if let (Some(table), Some((operation, lock))) = (&hit.table, hit.scale) {
        if let Some(size) = sizes.get(table) {
            let found = scale::estimate(operation, size, lock);
            severity = scale::severity_for(&found);
            estimate = Some(found);
        }
    }
    Some(Finding {
        rule: hit.rule.to_string(),
        severity: config.severity(hit.rule, severity),
        path: path.to_string(),
        line: hit.line,
        column: hit.column,
        message: hit.message,
        why,
        fix: hit.fix,
        table: hit.table,
        estimate,
    })
}

fn warning(
    path: &str,
    raw: &split::RawStatement<'_>,
    position: Option<(u32, u32)>,
    message: String,
) -> SqlWarning {
    // The parser counts from the statement's own start; shift to the file.
    let (line, column) = match position {
        Some((1, column)) => (
            raw.line,
            raw.column.saturating_add(column.saturating_sub(1)),
        ),
        Some((line, column)) => (raw.line.saturating_add(line - 1), column),
        None => (raw.line, raw.column),
    };
    let statement: String = raw
        .text
        .chars()
        .take(80)
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect();
    SqlWarning {
        path: path.to_string(),
        line,
        column,
        message,
        statement,
    }
}

/// `... at Line: 3, Column: 7` in a sqlparser error.
fn parser_position(message: &str) -> Option<(u32, u32)> {
    let at = message.rfind("Line: ")?;
    let rest = &message[at + "Line: ".len()..];
    let (line, rest) = rest.split_once(", Column: ")?;
    let column: String = rest.chars().take_while(char::is_ascii_digit).collect();
    let line: u32 = line.trim().parse().ok()?;
    let column: u32 = column.parse().ok()?;
    (line >= 1).then_some((line, column))
}

/// sqlparser does not accept `DROP INDEX CONCURRENTLY`; drop the keyword
/// (keeping the rest) so the statement parses, and let the caller remember.
fn strip_drop_index_concurrently(text: &str) -> Option<String> {
    let mut words = text.split_ascii_whitespace();
    let is_it = words.next()?.eq_ignore_ascii_case("drop")
        && words.next()?.eq_ignore_ascii_case("index")
        && words.next()?.eq_ignore_ascii_case("concurrently");
    if !is_it {
        return None;
    }
    let at = text.to_ascii_lowercase().find("concurrently")?;
    Some(format!(
        "{}{}",
        &text[..at],
        &text[at + "concurrently".len()..]
    ))
}

#[cfg(test)]
mod tests;
