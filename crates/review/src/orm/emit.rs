//! Building findings: config switches and severities applied at the one
//! place findings are made, and one "why it matters at 10x" per rule so the
//! five frameworks explain the same risk in the same words.

use std::collections::BTreeSet;

use crate::config::ReviewConfig;
use crate::finding::{Finding, Severity};

use super::token::Token;

/// Rule ids and their default severities.
pub mod rule {
    use crate::finding::Severity;

    pub const INDEX_NOT_CONCURRENT: &str = "index-not-concurrent";
    pub const CONCURRENT_INDEX_IN_TRANSACTION: &str = "concurrent-index-in-transaction";
    pub const ADD_COLUMN_NOT_NULL_NO_DEFAULT: &str = "add-column-not-null-no-default";
    pub const ADD_COLUMN_VOLATILE_DEFAULT: &str = "add-column-volatile-default";
    pub const ALTER_COLUMN_TYPE: &str = "alter-column-type";
    pub const SET_NOT_NULL: &str = "set-not-null";
    pub const RENAME_COLUMN: &str = "rename-column";
    pub const RENAME_TABLE: &str = "rename-table";
    pub const DROP_COLUMN: &str = "drop-column";
    pub const REMOVE_COLUMN_WITHOUT_IGNORED_COLUMNS: &str = "remove-column-without-ignored-columns";
    pub const DROP_TABLE: &str = "drop-table";
    pub const FOREIGN_KEY_NOT_VALID: &str = "foreign-key-not-valid";
    pub const CONSTRAINT_NOT_VALID: &str = "check-constraint-not-valid";
    pub const ADD_UNIQUE_CONSTRAINT: &str = "unique-constraint-without-index";
    pub const INTEGER_PRIMARY_KEY: &str = "int-primary-key";
    pub const RUN_PYTHON_WITHOUT_REVERSE: &str = "run-python-without-reverse";
    pub const RUN_SQL_WITHOUT_REVERSE: &str = "run-sql-without-reverse";
    pub const RAW_SQL_NOT_REVIEWABLE: &str = "raw-sql-not-reviewable";

    /// Every ORM rule with its default severity.
    pub const ALL: [(&str, Severity); 18] = [
        (INDEX_NOT_CONCURRENT, Severity::Error),
        (CONCURRENT_INDEX_IN_TRANSACTION, Severity::Error),
        (ADD_COLUMN_NOT_NULL_NO_DEFAULT, Severity::Error),
        (ADD_COLUMN_VOLATILE_DEFAULT, Severity::Error),
        (ALTER_COLUMN_TYPE, Severity::Error),
        (SET_NOT_NULL, Severity::Error),
        (RENAME_COLUMN, Severity::Error),
        (RENAME_TABLE, Severity::Error),
        (DROP_COLUMN, Severity::Warning),
        (REMOVE_COLUMN_WITHOUT_IGNORED_COLUMNS, Severity::Warning),
        (DROP_TABLE, Severity::Warning),
        (FOREIGN_KEY_NOT_VALID, Severity::Error),
        (CONSTRAINT_NOT_VALID, Severity::Error),
        (ADD_UNIQUE_CONSTRAINT, Severity::Error),
        (INTEGER_PRIMARY_KEY, Severity::Warning),
        (RUN_PYTHON_WITHOUT_REVERSE, Severity::Warning),
        (RUN_SQL_WITHOUT_REVERSE, Severity::Note),
        (RAW_SQL_NOT_REVIEWABLE, Severity::Note),
    ];

    pub fn default_severity(rule: &str) -> Severity {
        ALL.iter()
            .find(|(id, _)| *id == rule)
            .map(|(_, severity)| *severity)
            .unwrap_or(Severity::Warning)
    }

    /// Why the risk grows with the data, in one paragraph.
    pub fn why(rule: &str) -> &'static str {
        match rule {
            INDEX_NOT_CONCURRENT => "A plain CREATE INDEX holds a SHARE lock for the whole build: every insert, update and delete on the table waits, and the build time grows with the rows.",
            CONCURRENT_INDEX_IN_TRANSACTION => "CREATE INDEX CONCURRENTLY cannot run inside a transaction block; the migration fails on deploy (or the tool silently drops CONCURRENTLY).",
            ADD_COLUMN_NOT_NULL_NO_DEFAULT => "Adding a NOT NULL column without a default fails on any table that has rows, and on MySQL or old PostgreSQL a default rewrites the table under an exclusive lock.",
            ADD_COLUMN_VOLATILE_DEFAULT => "A volatile default (random, uuid, clock_timestamp) is computed per row, so PostgreSQL rewrites the whole table under an ACCESS EXCLUSIVE lock.",
            ALTER_COLUMN_TYPE => "Changing a column's type usually rewrites the table and its indexes under an ACCESS EXCLUSIVE lock: no reads or writes until it finishes.",
            SET_NOT_NULL => "SET NOT NULL scans the whole table under an ACCESS EXCLUSIVE lock to prove there are no NULLs.",
            RENAME_COLUMN => "Code already running still uses the old column name; between the migration and the deploy every such query errors.",
            RENAME_TABLE => "Code already running still uses the old table name; between the migration and the deploy every such query errors.",
            DROP_COLUMN => "Code already running still reads or writes the column; it errors until the new code is everywhere, and the data is gone.",
            REMOVE_COLUMN_WITHOUT_IGNORED_COLUMNS => "Active Record caches a table's columns at boot; processes still running insert into the removed column and fail until they restart.",
            DROP_TABLE => "Dropping a table that running code still reads errors every request, and the data cannot be brought back without a restore.",
            FOREIGN_KEY_NOT_VALID => "Adding a validated foreign key scans the whole table while holding a lock that blocks writes on both tables.",
            CONSTRAINT_NOT_VALID => "Adding a validated constraint scans the whole table under a lock that blocks writes.",
            ADD_UNIQUE_CONSTRAINT => "A unique constraint builds its index under a lock that blocks writes for the whole build.",
            INTEGER_PRIMARY_KEY => "A 32-bit key runs out at 2.1 billion rows, and changing it later rewrites the table and every table that references it.",
            RUN_PYTHON_WITHOUT_REVERSE => "Without reverse code the migration cannot be rolled back, so a bad deploy cannot be undone with migrate; and a data migration's run time grows with the rows.",
            RUN_SQL_WITHOUT_REVERSE => "Without reverse SQL the migration cannot be rolled back.",
            RAW_SQL_NOT_REVIEWABLE => "The SQL is built at run time, so no reviewer can see the statement that will lock the table.",
            _ => "",
        }
    }
}

/// Rules about locks and rewrites on a table with rows. A table created
/// in the same migration is empty, so these cannot bite there (the
/// transaction, concurrency and reversibility rules still can).
const NEEDS_EXISTING_ROWS: [&str; 8] = [
    rule::INDEX_NOT_CONCURRENT,
    rule::ADD_COLUMN_NOT_NULL_NO_DEFAULT,
    rule::ADD_COLUMN_VOLATILE_DEFAULT,
    rule::ALTER_COLUMN_TYPE,
    rule::SET_NOT_NULL,
    rule::FOREIGN_KEY_NOT_VALID,
    rule::CONSTRAINT_NOT_VALID,
    rule::ADD_UNIQUE_CONSTRAINT,
];

/// Collects findings for one file.
pub struct Emitter<'c> {
    path: String,
    config: &'c ReviewConfig,
    findings: Vec<Finding>,
    /// Tables this migration creates (lower case).
    created: BTreeSet<String>,
}

impl<'c> Emitter<'c> {
    pub fn new(path: &str, config: &'c ReviewConfig) -> Emitter<'c> {
        Emitter {
            path: path.to_string(),
            config,
            findings: Vec::new(),
            created: BTreeSet::new(),
        }
    }

    /// Note that this migration creates `table`: row-dependent rules on it
    /// are dropped (an index on a table created a line above is free).
    pub fn created_table(&mut self, table: &str) {
        let table = table.trim().to_ascii_lowercase();
        if !table.is_empty() {
            self.created.insert(table);
        }
    }

    /// Report `rule` at token `at`.
    pub fn at_token(
        &mut self,
        rule: &str,
        at: &Token,
        table: Option<&str>,
        message: String,
        fix: String,
    ) {
        self.at(rule, at.line, at.column, table, message, fix);
    }

    pub fn at(
        &mut self,
        rule: &str,
        line: u32,
        column: u32,
        table: Option<&str>,
        message: String,
        fix: String,
    ) {
        if !self.config.rule_enabled(rule) {
            return;
        }
        let table = table
            .map(|name| name.trim().to_ascii_lowercase())
            .filter(|name| !name.is_empty());
        let on_new_table = table.as_ref().is_some_and(|t| self.created.contains(t));
        if on_new_table && NEEDS_EXISTING_ROWS.contains(&rule) {
            return;
        }
        let severity: Severity = self.config.severity(rule, rule::default_severity(rule));
        self.findings.push(Finding {
            rule: rule.to_string(),
            severity,
            path: self.path.clone(),
            line,
            column,
            message,
            why: rule::why(rule).to_string(),
            fix,
            table,
            estimate: None,
        });
    }

    pub fn finish(mut self) -> Vec<Finding> {
        self.findings
            .sort_by(|a, b| (a.line, a.column, &a.rule).cmp(&(b.line, b.column, &b.rule)));
        self.findings
    }
}
