//! Table sizes, and how long a migration step holds its lock on a table of a
//! given size, today and at ten times the rows.
//!
//! Sizes come from a CSV (`table,rows[,bytes]`, header optional, `#`
//! comments) or JSON (`{"orders": 50000000}` or
//! `[{"table": "orders", "rows": 50000000, "bytes": 1234}]`) export, plus
//! `[table_sizes]` in `.fcto/review.toml`. Names are matched without regard
//! to case, as `schema.table` or as the bare table name.
//!
//! The estimate is deliberately simple: rows divided by a throughput per kind
//! of operation (or bytes divided by a byte throughput when bytes are known,
//! whichever is slower). The constants below are rough figures for a managed
//! PostgreSQL or MySQL on network storage under normal load; they are meant
//! to separate "milliseconds" from "minutes" from "hours", not to predict to
//! the second.

use std::collections::HashMap;

use serde::Deserialize;

use crate::config::ReviewConfig;
use crate::finding::{Estimate, Severity};

/// Rows per second for a full table rewrite (copy every row, rebuild every
/// index, write WAL/binlog for all of it). Rewrites are the slowest path.
pub const REWRITE_ROWS_PER_SEC: f64 = 100_000.0;
/// Bytes per second for the same rewrite when the table's size is known
/// (about 50 MB/s of heap copied plus index rebuilds).
pub const REWRITE_BYTES_PER_SEC: f64 = 50_000_000.0;
/// Rows per second for building one B-tree index (scan plus sort).
pub const INDEX_BUILD_ROWS_PER_SEC: f64 = 250_000.0;
/// Bytes per second of heap scanned while building an index.
pub const INDEX_BUILD_BYTES_PER_SEC: f64 = 100_000_000.0;
/// Rows per second for a sequential scan that checks a predicate (constraint
/// validation, `SET NOT NULL`): read-only, no sort, no writes.
pub const SCAN_ROWS_PER_SEC: f64 = 1_000_000.0;
/// Bytes per second of such a scan.
pub const SCAN_BYTES_PER_SEC: f64 = 200_000_000.0;
/// Rows per second for an `UPDATE` backfill: each row is a new tuple version
/// with its own WAL and index entries.
pub const UPDATE_ROWS_PER_SEC: f64 = 20_000.0;
/// Seconds a catalog-only change holds its lock once it has it. The real
/// danger of these is the wait for the lock, which `lock_timeout` bounds.
pub const CATALOG_SECONDS: f64 = 0.01;

/// Below this many seconds of lock at 10x, a blocking step is a note.
pub const NOTE_BELOW_SECONDS: f64 = 1.0;
/// Below this many seconds of lock at 10x, a blocking step is a warning;
/// at or above it, an error.
pub const WARNING_BELOW_SECONDS: f64 = 60.0;

/// What a migration step does to the table's rows while holding its lock.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Operation {
    /// Every row is copied into a new table file (type change, volatile
    /// default, MySQL `ALGORITHM=COPY`).
    TableRewrite,
    /// Every row is read to check a predicate (validating a constraint,
    /// `SET NOT NULL`).
    ValidatingScan,
    /// A whole index is built while writes wait.
    IndexBuild,
    /// Every row is updated (a backfill) while the lock is held.
    RowUpdate,
    /// Only the catalog changes; the time is independent of the rows.
    CatalogOnly,
}

/// The lock a step takes, in the database's own words, and what it blocks.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Lock {
    pub name: &'static str,
    pub blocks: &'static str,
}

impl Lock {
    pub const ACCESS_EXCLUSIVE: Lock = Lock {
        name: "ACCESS EXCLUSIVE",
        blocks: "reads and writes",
    };
    pub const SHARE: Lock = Lock {
        name: "SHARE",
        blocks: "writes",
    };
    pub const SHARE_ROW_EXCLUSIVE: Lock = Lock {
        name: "SHARE ROW EXCLUSIVE",
        blocks: "writes",
    };
    pub const MYSQL_SHARED: Lock = Lock {
        name: "metadata lock, LOCK=SHARED",
        blocks: "writes",
    };
    pub const MYSQL_EXCLUSIVE: Lock = Lock {
        name: "metadata lock, LOCK=EXCLUSIVE",
        blocks: "reads and writes",
    };
    pub const SQLITE_WRITE: Lock = Lock {
        name: "database write lock",
        blocks: "every write to the database",
    };
}

/// One table's size.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct TableSize {
    pub rows: u64,
    pub bytes: Option<u64>,
}

/// Estimate the lock time of `operation` on a table of `size`.
pub fn estimate(operation: Operation, size: TableSize, lock: Lock) -> Estimate {
    let seconds = |factor: f64| -> f64 {
        let rows = size.rows as f64 * factor;
        let bytes = size.bytes.map(|b| b as f64 * factor);
        match operation {
            Operation::TableRewrite => slowest(
                rows / REWRITE_ROWS_PER_SEC,
                bytes.map(|b| b / REWRITE_BYTES_PER_SEC),
            ),
            Operation::IndexBuild => slowest(
                rows / INDEX_BUILD_ROWS_PER_SEC,
                bytes.map(|b| b / INDEX_BUILD_BYTES_PER_SEC),
            ),
            Operation::ValidatingScan => slowest(
                rows / SCAN_ROWS_PER_SEC,
                bytes.map(|b| b / SCAN_BYTES_PER_SEC),
            ),
            Operation::RowUpdate => rows / UPDATE_ROWS_PER_SEC,
            Operation::CatalogOnly => CATALOG_SECONDS,
        }
    };
    Estimate {
        rows: size.rows,
        lock: lock.name.to_string(),
        blocks: lock.blocks.to_string(),
        seconds_today: round_ms(seconds(1.0)),
        seconds_at_10x: round_ms(seconds(10.0)),
    }
}

fn slowest(by_rows: f64, by_bytes: Option<f64>) -> f64 {
    by_bytes.map_or(by_rows, |b| b.max(by_rows))
}

fn round_ms(seconds: f64) -> f64 {
    (seconds * 1000.0).round() / 1000.0
}

/// Severity of a blocking step from its lock time at 10x: under a second is
/// a note (nobody notices), under a minute a warning (requests time out,
/// retries pile up), longer an error (an outage).
pub fn severity_for(estimate: &Estimate) -> Severity {
    if estimate.seconds_at_10x < NOTE_BELOW_SECONDS {
        Severity::Note
    } else if estimate.seconds_at_10x < WARNING_BELOW_SECONDS {
        Severity::Warning
    } else {
        Severity::Error
    }
}

/// Human wording of an estimate, for messages: "~5 s today, ~50 s at 10x".
pub fn describe(estimate: &Estimate) -> String {
    format!(
        "{} lock blocking {} for ~{} today, ~{} at 10x ({} rows today)",
        estimate.lock,
        estimate.blocks,
        human_seconds(estimate.seconds_today),
        human_seconds(estimate.seconds_at_10x),
        estimate.rows
    )
}

pub fn human_seconds(seconds: f64) -> String {
    if seconds < 1.0 {
        format!("{} ms", (seconds * 1000.0).round())
    } else if seconds < 120.0 {
        format!("{} s", seconds.round())
    } else if seconds < 7200.0 {
        format!("{} min", (seconds / 60.0).round())
    } else {
        format!("{:.1} h", seconds / 3600.0)
    }
}

/// Why a sizes file could not be read: which file, line and field.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{path}:{line}: {field}: {message}")]
pub struct SizesError {
    pub path: String,
    /// 1-based line; 0 when the input has no line (e.g. empty file).
    pub line: u64,
    /// The field at fault (`table`, `rows`, `bytes`), or `file`.
    pub field: String,
    pub message: String,
}

/// Row counts per table, looked up without regard to case.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct TableSizes {
    /// Lower-case full name (`schema.table` or `table`) to size.
    by_name: HashMap<String, TableSize>,
    /// Lower-case bare table name to size, for names given with a schema;
    /// when two schemas share a table name the larger wins (the cautious
    /// choice for a lock estimate).
    by_bare_name: HashMap<String, TableSize>,
}

impl TableSizes {
    pub fn new() -> TableSizes {
        TableSizes::default()
    }

    /// The sizes in `config.table_sizes`.
    pub fn from_config(config: &ReviewConfig) -> TableSizes {
        let mut sizes = TableSizes::new();
        sizes.merge_config(config);
        sizes
    }

    /// Add `config.table_sizes`; a size already present (from a file) wins
    /// only if the config does not name the table.
    pub fn merge_config(&mut self, config: &ReviewConfig) {
        for (name, rows) in &config.table_sizes {
            self.insert(
                name,
                TableSize {
                    rows: *rows,
                    bytes: None,
                },
            );
        }
    }

    pub fn is_empty(&self) -> bool {
        self.by_name.is_empty()
    }

    pub fn len(&self) -> usize {
        self.by_name.len()
    }

    pub fn insert(&mut self, name: &str, size: TableSize) {
        let key = normalize(name);
        if key.is_empty() {
            return;
        }
        if let Some((_, bare)) = key.rsplit_once('.') {
            let entry = self.by_bare_name.entry(bare.to_string()).or_default();
            if size.rows >= entry.rows {
                *entry = size;
            }
        }
        self.by_name.insert(key, size);
    }

    /// The size of `name` (`table`, `schema.table`, quoted or not).
    pub fn get(&self, name: &str) -> Option<TableSize> {
        let key = normalize(name);
        if let Some(size) = self.by_name.get(&key) {
            return Some(*size);
        }
        match key.rsplit_once('.') {
            Some((_, bare)) => self.by_name.get(bare).copied(),
            None => self.by_bare_name.get(&key).copied(),
        }
    }

    /// Parse a sizes file, choosing JSON or CSV by its first character.
    pub fn parse(path: &str, text: &str) -> Result<TableSizes, SizesError> {
        match text.trim_start().chars().next() {
            Some('{') | Some('[') => TableSizes::parse_json(path, text),
            _ => TableSizes::parse_csv(path, text),
        }
    }

    /// Parse `table,rows[,bytes]` lines; a first line naming the columns is
    /// skipped, as are blank lines and `#` comments.
    pub fn parse_csv(path: &str, text: &str) -> Result<TableSizes, SizesError> {
        let mut reader = csv::ReaderBuilder::new()
            .has_headers(false)
            .flexible(true)
            .comment(Some(b'#'))
            .trim(csv::Trim::All)
            .from_reader(text.as_bytes());
        let mut sizes = TableSizes::new();
        let mut first = true;
        for record in reader.records() {
            let record = record.map_err(|err| SizesError {
                path: path.to_string(),
                line: err.position().map_or(0, |p| p.line()),
                field: "file".to_string(),
                message: err.to_string(),
            })?;
            let line = record.position().map_or(0, |p| p.line());
            let error = |field: &str, message: String| SizesError {
                path: path.to_string(),
                line,
                field: field.to_string(),
                message,
            };
            if record.iter().all(str::is_empty) {
                continue;
            }
            let table = record.get(0).unwrap_or("");
            let rows = record.get(1).unwrap_or("");
            if first && table.eq_ignore_ascii_case("table") {
                first = false;
                continue;
            }
            first = false;
            if record.len() > 3 {
                return Err(error(
                    "file",
                    format!("expected table,rows[,bytes], got {} fields", record.len()),
                ));
            }
            if table.is_empty() {
                return Err(error("table", "empty table name".to_string()));
            }
            let rows = parse_count(rows).map_err(|m| error("rows", m))?;
            let bytes = match record.get(2) {
                Some(bytes) if !bytes.is_empty() => {
                    Some(parse_count(bytes).map_err(|m| error("bytes", m))?)
                }
                _ => None,
            };
            sizes.insert(table, TableSize { rows, bytes });
        }
        Ok(sizes)
    }

    /// Parse `{"table": rows, ...}` or `[{"table", "rows", "bytes"}, ...]`.
    pub fn parse_json(path: &str, text: &str) -> Result<TableSizes, SizesError> {
        #[derive(Deserialize)]
        #[serde(deny_unknown_fields)]
        struct Entry {
            table: String,
            rows: u64,
            #[serde(default)]
            bytes: Option<u64>,
        }
        let error = |err: serde_json::Error| {
            let message = err.to_string();
            SizesError {
                path: path.to_string(),
                line: err.line() as u64,
                field: field_in_message(&message),
                message,
            }
        };
        let mut sizes = TableSizes::new();
        if text.trim_start().starts_with('[') {
            let entries: Vec<Entry> = serde_json::from_str(text).map_err(error)?;
            for entry in entries {
                sizes.insert(
                    &entry.table,
                    TableSize {
                        rows: entry.rows,
                        bytes: entry.bytes,
                    },
                );
            }
        } else {
            let map: std::collections::BTreeMap<String, u64> =
                serde_json::from_str(text).map_err(error)?;
            for (table, rows) in map {
                sizes.insert(&table, TableSize { rows, bytes: None });
            }
        }
        Ok(sizes)
    }
}

/// serde_json names the field in its message (`missing field `rows``,
/// `unknown field `x``); for type errors in the map form the field is the
/// row count.
fn field_in_message(message: &str) -> String {
    for marker in ["field `", "variant `"] {
        if let Some(at) = message.find(marker) {
            let rest = &message[at + marker.len()..];
            if let Some(end) = rest.find('`') {
                return rest[..end].to_string();
            }
        }
    }
    if message.contains("invalid type") || message.contains("invalid value") {
        "rows".to_string()
    } else {
        "file".to_string()
    }
}

fn parse_count(text: &str) -> Result<u64, String> {
    // Exports often write 50_000_000 or 50,000,000 (quoted) for readability.
    let digits: String = text.chars().filter(|c| *c != '_' && *c != ',').collect();
    if digits.is_empty() {
        return Err("missing number".to_string());
    }
    digits
        .parse::<u64>()
        .map_err(|_| format!("`{}` is not a whole non-negative number", shorten(text)))
}

fn shorten(text: &str) -> String {
    text.chars().take(40).collect()
}

/// Lower-case, without identifier quotes or surrounding whitespace.
fn normalize(name: &str) -> String {
    name.trim()
        .chars()
        .filter(|c| !matches!(c, '"' | '`' | '[' | ']'))
        .collect::<String>()
        .to_lowercase()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn csv_with_and_without_header_and_bytes() {
        let sizes = TableSizes::parse_csv(
            "sizes.csv",
            "table,rows,bytes\norders,50000000,9000000000\n# c\npublic.Users, 100\n",
        )
        .expect("valid");
        assert_eq!(
            sizes.get("ORDERS"),
            Some(TableSize {
                rows: 50_000_000,
                bytes: Some(9_000_000_000)
            })
        );
        assert_eq!(sizes.get("users").map(|s| s.rows), Some(100));
        assert_eq!(sizes.get("public.users").map(|s| s.rows), Some(100));
        assert_eq!(
            sizes.get("\"public\".\"orders\"").map(|s| s.rows),
            Some(50_000_000)
        );
        assert_eq!(sizes.get("nope"), None);
        let sizes = TableSizes::parse("s.csv", "orders,\"1,000\"\n").expect("valid");
        assert_eq!(sizes.get("orders").map(|s| s.rows), Some(1000));
    }

    #[test]
    fn json_map_and_list() {
        let sizes = TableSizes::parse("s.json", "{\"orders\": 50000000}").expect("map");
        assert_eq!(sizes.get("orders").map(|s| s.rows), Some(50_000_000));
        let sizes = TableSizes::parse(
            "s.json",
            "[{\"table\":\"orders\",\"rows\":5,\"bytes\":10},{\"table\":\"x\",\"rows\":1}]",
        )
        .expect("list");
        assert_eq!(sizes.get("orders").and_then(|s| s.bytes), Some(10));
        assert_eq!(sizes.len(), 2);
    }

    #[test]
    fn malformed_csv_names_line_and_field() {
        let err = TableSizes::parse_csv("s.csv", "orders,10\nusers,-3\n").expect_err("neg");
        assert_eq!((err.line, err.field.as_str()), (2, "rows"), "{err}");
        assert!(err.to_string().starts_with("s.csv:2: rows:"), "{err}");
        let err = TableSizes::parse_csv("s.csv", "orders,10,abc\n").expect_err("bytes");
        assert_eq!((err.line, err.field.as_str()), (1, "bytes"));
        let err = TableSizes::parse_csv("s.csv", "orders\n").expect_err("truncated");
        assert_eq!(err.field, "rows");
        let err = TableSizes::parse_csv("s.csv", ",5\n").expect_err("no table");
        assert_eq!(err.field, "table");
        let err =
            TableSizes::parse_csv("s.csv", "a,1\nb,99999999999999999999999\n").expect_err("big");
        assert_eq!((err.line, err.field.as_str()), (2, "rows"));
        let err = TableSizes::parse_csv("s.csv", "a,1,2,3\n").expect_err("extra");
        assert_eq!(err.field, "file");
    }

    #[test]
    fn malformed_json_names_line_and_field() {
        let err = TableSizes::parse("s.json", "{\n\"orders\": \"many\"\n}").expect_err("type");
        assert_eq!((err.line, err.field.as_str()), (2, "rows"), "{err}");
        let err = TableSizes::parse("s.json", "[\n{\"table\": \"t\"}\n]").expect_err("missing");
        assert_eq!((err.line, err.field.as_str()), (2, "rows"), "{err}");
        let err = TableSizes::parse("s.json", "[{\"table\":\"t\",\"rows\":1,\"rowz\":2}]")
            .expect_err("unknown");
        assert_eq!(err.field, "rowz");
        let err = TableSizes::parse("s.json", "{\"orders\": 5").expect_err("truncated");
        assert_eq!(err.line, 1);
        let hostile = "[".repeat(100_000);
        assert!(TableSizes::parse("s.json", &hostile).is_err());
        assert!(TableSizes::parse("s.json", "{\"a\": -1}").is_err());
        assert!(TableSizes::parse("s.json", "{\"a\": 1e400}").is_err());
    }

    #[test]
    fn hostile_csv_is_an_error_or_ignored_never_a_panic() {
        for text in [
            "\u{0}\u{0},\u{0}",
            "\"unterminated,5\n",
            "a,1\n\"b\nc\",2",
            "ä,1\n",
            &"x".repeat(1_000_000),
        ] {
            let _ = TableSizes::parse("s.csv", text);
        }
    }

    #[test]
    fn config_sizes_merge_in() {
        let config = ReviewConfig::parse("r.toml", "[table_sizes]\norders = 7\n").expect("config");
        let sizes = TableSizes::from_config(&config);
        assert_eq!(sizes.get("Orders").map(|s| s.rows), Some(7));
    }

    #[test]
    fn severity_by_size() {
        let small = estimate(
            Operation::TableRewrite,
            TableSize {
                rows: 100,
                bytes: None,
            },
            Lock::ACCESS_EXCLUSIVE,
        );
        assert_eq!(severity_for(&small), Severity::Note);
        let large = estimate(
            Operation::TableRewrite,
            TableSize {
                rows: 50_000_000,
                bytes: None,
            },
            Lock::ACCESS_EXCLUSIVE,
        );
        assert_eq!(severity_for(&large), Severity::Error);
        assert_eq!(large.seconds_today, 500.0);
        assert_eq!(large.seconds_at_10x, 5000.0);
        let medium = estimate(
            Operation::IndexBuild,
            TableSize {
                rows: 1_000_000,
                bytes: None,
            },
            Lock::SHARE,
        );
        assert_eq!(severity_for(&medium), Severity::Warning);
        assert!(describe(&large).contains("83 min"), "{}", describe(&large));
    }
}
