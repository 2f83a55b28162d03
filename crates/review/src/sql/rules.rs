//! The catalog of SQL migration rules: stable ids, default severities, a
//! one-line summary (for SARIF rule lists) and the "why at 10x" text every
//! finding of that rule carries.

use crate::config::Dialect;
use crate::finding::Severity;

/// One rule as SARIF and `--list-rules` show it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RuleInfo {
    /// Stable kebab-case id.
    pub id: &'static str,
    /// Severity when no table size and no config override says otherwise.
    pub severity: Severity,
    /// One line: what the rule flags.
    pub summary: &'static str,
    /// What happens once the data is ten times bigger, in plain words.
    pub why: &'static str,
    /// Dialects the rule runs for.
    pub dialects: &'static [Dialect],
}

const PG: &[Dialect] = &[Dialect::Postgres];
const PG_MYSQL: &[Dialect] = &[Dialect::Postgres, Dialect::Mysql];
const ALL: &[Dialect] = &[Dialect::Postgres, Dialect::Mysql, Dialect::Sqlite];
const MYSQL: &[Dialect] = &[Dialect::Mysql];

pub const INDEX_NOT_CONCURRENT: &str = "index-not-concurrent";
pub const CONCURRENT_INDEX_IN_TRANSACTION: &str = "concurrent-index-in-transaction";
pub const ADD_COLUMN_NOT_NULL_NO_DEFAULT: &str = "add-column-not-null-no-default";
pub const ADD_COLUMN_VOLATILE_DEFAULT: &str = "add-column-volatile-default";
pub const ALTER_COLUMN_TYPE: &str = "alter-column-type";
pub const RENAME_COLUMN: &str = "rename-column";
pub const RENAME_TABLE: &str = "rename-table";
pub const DROP_COLUMN: &str = "drop-column";
pub const DROP_TABLE: &str = "drop-table";
pub const DROP_DATABASE: &str = "drop-database";
pub const FOREIGN_KEY_NOT_VALID: &str = "foreign-key-not-valid";
pub const CHECK_CONSTRAINT_NOT_VALID: &str = "check-constraint-not-valid";
pub const VALIDATE_IN_SAME_TRANSACTION: &str = "validate-in-same-transaction";
pub const UNIQUE_CONSTRAINT_WITHOUT_INDEX: &str = "unique-constraint-without-index";
pub const SET_NOT_NULL: &str = "set-not-null";
pub const INT_PRIMARY_KEY: &str = "int-primary-key";
pub const TIMESTAMP_WITHOUT_TIME_ZONE: &str = "timestamp-without-time-zone";
pub const PREFER_TEXT: &str = "prefer-text";
pub const MISSING_LOCK_TIMEOUT: &str = "missing-lock-timeout";
pub const TRUNCATE_CASCADE: &str = "truncate-cascade";
pub const BACKFILL_WITH_SCHEMA_CHANGE: &str = "backfill-with-schema-change";
pub const FOREIGN_KEY_WITHOUT_INDEX: &str = "foreign-key-without-index";
pub const MYSQL_ALGORITHM_NOT_ONLINE: &str = "mysql-algorithm-not-online";
pub const MYSQL_LOCK_NOT_NONE: &str = "mysql-lock-not-none";

static RULES: &[RuleInfo] = &[
    RuleInfo {
        id: INDEX_NOT_CONCURRENT,
        severity: Severity::Error,
        summary: "CREATE or DROP INDEX without CONCURRENTLY on an existing table",
        why: "A plain index build holds a lock that blocks every write to the table until \
              the whole table is scanned and sorted; at 10x rows that is 10x longer with \
              inserts and updates queued behind it.",
        dialects: PG,
    },
    RuleInfo {
        id: CONCURRENT_INDEX_IN_TRANSACTION,
        severity: Severity::Error,
        summary: "CREATE/DROP INDEX CONCURRENTLY inside a transaction block",
        why: "PostgreSQL refuses CONCURRENTLY inside a transaction, so the migration fails at \
              deploy time; removing CONCURRENTLY to make it pass brings back the write lock.",
        dialects: PG,
    },
    RuleInfo {
        id: ADD_COLUMN_NOT_NULL_NO_DEFAULT,
        severity: Severity::Error,
        summary: "ADD COLUMN ... NOT NULL without a DEFAULT on an existing table",
        why: "It fails on any table that already has rows, so it passes on an empty dev \
              database and breaks the production deploy.",
        dialects: &[Dialect::Postgres, Dialect::Sqlite],
    },
    RuleInfo {
        id: ADD_COLUMN_VOLATILE_DEFAULT,
        severity: Severity::Error,
        summary: "ADD COLUMN with a volatile default, serial, identity or stored generated value",
        why: "A value that must be computed per row rewrites the whole table under an ACCESS \
              EXCLUSIVE lock; reads and writes wait for the rewrite, which grows with the rows.",
        dialects: PG,
    },
    RuleInfo {
        id: ALTER_COLUMN_TYPE,
        severity: Severity::Error,
        summary: "Changing a column's type, which rewrites the table in most cases",
        why: "Most type changes rewrite every row and rebuild every index while reads and \
              writes wait; at 10x rows the outage is 10x longer.",
        dialects: PG_MYSQL,
    },
    RuleInfo {
        id: RENAME_COLUMN,
        severity: Severity::Warning,
        summary: "Renaming a column that running code still uses",
        why: "The old application version keeps querying the old name during the deploy, and \
              every request that touches it fails until all instances run the new code.",
        dialects: ALL,
    },
    RuleInfo {
        id: RENAME_TABLE,
        severity: Severity::Warning,
        summary: "Renaming a table that running code still uses",
        why: "Instances still on the old code fail every query on the old name until the \
              deploy completes; with more traffic, more requests fail in that window.",
        dialects: ALL,
    },
    RuleInfo {
        id: DROP_COLUMN,
        severity: Severity::Warning,
        summary: "Dropping a column",
        why: "Running code that still selects or writes the column fails, and the data is gone \
              with no undo; ORMs that cache column lists break until restarted.",
        dialects: ALL,
    },
    RuleInfo {
        id: DROP_TABLE,
        severity: Severity::Warning,
        summary: "Dropping an existing table",
        why: "The data is gone with no undo and running code that still reads the table fails.",
        dialects: ALL,
    },
    RuleInfo {
        id: DROP_DATABASE,
        severity: Severity::Error,
        summary: "DROP DATABASE or DROP SCHEMA in a migration",
        why: "Everything in it is deleted at once; no migration should be able to do this.",
        dialects: ALL,
    },
    RuleInfo {
        id: FOREIGN_KEY_NOT_VALID,
        severity: Severity::Error,
        summary: "Foreign key added to an existing table without NOT VALID",
        why: "Adding a validated foreign key scans the whole table while writes to both \
              tables wait; the scan grows with the rows.",
        dialects: PG,
    },
    RuleInfo {
        id: CHECK_CONSTRAINT_NOT_VALID,
        severity: Severity::Error,
        summary: "CHECK constraint added to an existing table without NOT VALID",
        why: "Adding a validated CHECK scans every row under an ACCESS EXCLUSIVE lock, so \
              reads and writes wait for the whole scan.",
        dialects: PG,
    },
    RuleInfo {
        id: VALIDATE_IN_SAME_TRANSACTION,
        severity: Severity::Warning,
        summary: "VALIDATE CONSTRAINT in the same migration that added it NOT VALID",
        why: "Migration runners wrap a file in one transaction, so the ADD's lock is still held \
              while VALIDATE scans the table: NOT VALID then buys nothing.",
        dialects: PG,
    },
    RuleInfo {
        id: UNIQUE_CONSTRAINT_WITHOUT_INDEX,
        severity: Severity::Error,
        summary: "UNIQUE or PRIMARY KEY constraint added without USING INDEX",
        why: "The constraint builds its index while holding an ACCESS EXCLUSIVE lock, so reads \
              and writes wait for the full index build.",
        dialects: PG,
    },
    RuleInfo {
        id: SET_NOT_NULL,
        severity: Severity::Error,
        summary: "ALTER COLUMN SET NOT NULL without a validated CHECK (col IS NOT NULL)",
        why: "SET NOT NULL scans every row under an ACCESS EXCLUSIVE lock unless a validated \
              CHECK constraint already proves the column has no NULLs.",
        dialects: PG,
    },
    RuleInfo {
        id: INT_PRIMARY_KEY,
        severity: Severity::Warning,
        summary: "Primary key of a 32-bit (or smaller) integer type",
        why: "An int key runs out at 2,147,483,647; at 10x growth a busy table gets there, and \
              changing the type later rewrites the table and every referencing one.",
        dialects: PG_MYSQL,
    },
    RuleInfo {
        id: TIMESTAMP_WITHOUT_TIME_ZONE,
        severity: Severity::Note,
        summary: "timestamp without time zone",
        why: "Values carry no zone, so servers and clients in different zones silently disagree \
              about when things happened; fixing it later rewrites the column.",
        dialects: PG,
    },
    RuleInfo {
        id: PREFER_TEXT,
        severity: Severity::Note,
        summary: "char(n) or varchar(n) where text with a CHECK serves",
        why: "Raising the limit later means a migration on a big table, and char(n) pads \
              values; text with a CHECK on length changes without touching rows.",
        dialects: PG,
    },
    RuleInfo {
        id: MISSING_LOCK_TIMEOUT,
        severity: Severity::Warning,
        summary: "Lock-taking statement with no lock_timeout set earlier in the file",
        why: "A DDL statement waiting for its lock behind one long query blocks every query \
              queued after it; with more traffic the pile-up becomes an outage in seconds.",
        dialects: PG_MYSQL,
    },
    RuleInfo {
        id: TRUNCATE_CASCADE,
        severity: Severity::Error,
        summary: "TRUNCATE ... CASCADE",
        why: "CASCADE empties every table that references this one, recursively, which is \
              rarely what the author meant and cannot be undone.",
        dialects: PG,
    },
    RuleInfo {
        id: BACKFILL_WITH_SCHEMA_CHANGE,
        severity: Severity::Warning,
        summary: "Data backfill (UPDATE/DELETE/INSERT ... SELECT) in the same migration as DDL",
        why: "In one transaction the DDL lock is held for the whole backfill, which grows with \
              the rows; backfill in batches from a separate migration or job.",
        dialects: ALL,
    },
    RuleInfo {
        id: FOREIGN_KEY_WITHOUT_INDEX,
        severity: Severity::Warning,
        summary: "Foreign key whose columns have no index in this migration",
        why: "Every DELETE or key UPDATE on the referenced table scans the referencing table; \
              at 10x rows those scans and their locks get 10x slower.",
        dialects: PG,
    },
    RuleInfo {
        id: MYSQL_ALGORITHM_NOT_ONLINE,
        severity: Severity::Warning,
        summary: "MySQL ALTER TABLE without ALGORITHM=INSTANT or ALGORITHM=INPLACE",
        why: "Without an explicit online algorithm MySQL may silently copy the table, blocking \
              writes for the whole copy; naming the algorithm makes it fail fast instead.",
        dialects: MYSQL,
    },
    RuleInfo {
        id: MYSQL_LOCK_NOT_NONE,
        severity: Severity::Warning,
        summary: "MySQL ALTER TABLE ALGORITHM=INPLACE without LOCK=NONE",
        why: "INPLACE may still take a shared or exclusive lock for the whole operation; \
              LOCK=NONE makes MySQL refuse instead of blocking writes.",
        dialects: MYSQL,
    },
];

/// Every SQL rule, in a stable order.
pub fn rules() -> &'static [RuleInfo] {
    RULES
}

/// The rule with `id`, if it is a SQL rule.
pub fn rule(id: &str) -> Option<&'static RuleInfo> {
    RULES.iter().find(|rule| rule.id == id)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_are_unique_kebab_case_with_text() {
        let mut seen = std::collections::HashSet::new();
        for rule in rules() {
            assert!(seen.insert(rule.id), "duplicate {}", rule.id);
            assert!(
                rule.id.chars().all(|c| c.is_ascii_lowercase() || c == '-'),
                "{}",
                rule.id
            );
            assert!(!rule.summary.is_empty() && !rule.why.is_empty());
            assert!(!rule.dialects.is_empty());
        }
        assert!(rule(INDEX_NOT_CONCURRENT).is_some());
        assert!(rule("nope").is_none());
    }
}
