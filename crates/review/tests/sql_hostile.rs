//! Hostile and random input to the SQL entry points: no panic, no hang,
//! warnings instead of findings where the text is not SQL.

use std::fs;
use std::path::Path;
use std::time::{Duration, Instant};

use fcto_review::scale::TableSizes;
use fcto_review::sql::review_sql;
use fcto_review::sql::split::split_statements;
use fcto_review::{Dialect, ReviewConfig};

const DIALECTS: [Dialect; 3] = [Dialect::Postgres, Dialect::Mysql, Dialect::Sqlite];

fn config(dialect: Dialect) -> ReviewConfig {
    ReviewConfig {
        dialect,
        ..ReviewConfig::default()
    }
}

/// Review under every dialect, bounded in time so a hang fails the test
/// rather than the CI run.
fn survive(name: &str, text: &str) {
    for dialect in DIALECTS {
        let started = Instant::now();
        let review = review_sql("hostile.sql", text, &config(dialect));
        assert!(
            started.elapsed() < Duration::from_secs(20),
            "{name} took {:?} under {dialect:?}",
            started.elapsed()
        );
        for warning in &review.warnings {
            assert!(
                warning.line >= 1 && warning.statement.chars().count() <= 80,
                "{name}"
            );
        }
    }
}

#[test]
fn deeply_nested_parentheses() {
    let depth = 100_000;
    let text = format!("SELECT {}1{};", "(".repeat(depth), ")".repeat(depth));
    survive("nested parens", &text);
    let text = format!(
        "CREATE TABLE t (a int CHECK {}a{});",
        "(".repeat(depth),
        ")".repeat(depth)
    );
    let review = review_sql("m.sql", &text, &config(Dialect::Postgres));
    assert_eq!(review.warnings.len(), 1, "deep nesting becomes a warning");
}

#[test]
fn megabytes_of_garbage() {
    let mut seed = 0x9E37_79B9_7F4A_7C15u64;
    let alphabet: Vec<char> = "abcXYZ019 ;'\"$()/*-#\n\t`\\é€\u{0}".chars().collect();
    let mut text = String::with_capacity(5_000_000);
    while text.len() < 5_000_000 {
        seed = xorshift(seed);
        text.push(alphabet[(seed % alphabet.len() as u64) as usize]);
    }
    survive("5 MB garbage", &text);
}

#[test]
fn nul_bytes_and_unterminated_quotes() {
    for text in [
        "\u{0}\u{0}\u{0};CREATE INDEX i ON t (a);\u{0}",
        "ALTER TABLE t ADD COLUMN a text DEFAULT 'unterminated;\nDROP TABLE u;",
        "DO $body$ BEGIN; DROP TABLE x; -- never closed",
        "SELECT $$ unterminated",
        "/* never closed ; DROP TABLE t;",
        "SELECT \"unterminated; DROP TABLE t;",
        "SELECT `x; DROP TABLE t;",
        "SELECT E'\\",
        "$",
        "$a",
        "'",
        "--",
        "/*",
        "",
        ";;;;",
    ] {
        survive(text, text);
    }
    let review = review_sql(
        "m.sql",
        "SELECT 'unterminated; DROP TABLE t;",
        &config(Dialect::Postgres),
    );
    assert!(review.findings.iter().all(|f| f.rule != "drop-table"));
    assert_eq!(review.warnings.len(), 1);
}

#[test]
fn invalid_utf8_is_decoded_lossily_by_the_caller() {
    let bytes = b"CREATE INDEX i ON t (a);\xff\xfe DROP TABLE \xc3;".to_vec();
    let text = String::from_utf8_lossy(&bytes);
    survive("lossy", &text);
}

#[test]
fn one_huge_statement_is_skipped_with_a_warning() {
    let text = format!("SELECT '{}';\nDROP TABLE t;", "x".repeat(2_000_000));
    let review = review_sql("m.sql", &text, &config(Dialect::Postgres));
    assert_eq!(review.warnings.len(), 1);
    assert!(review.findings.iter().any(|f| f.rule == "drop-table"));
}

#[test]
fn hostile_sizes_files() {
    for text in [
        "[",
        "{",
        "{\"a\":",
        "[{}]",
        "\u{0}",
        "a,b,c,d,e",
        "[[[[[[",
        "{\"a\": 1.5}",
    ] {
        let _ = TableSizes::parse("sizes", text);
    }
}

fn xorshift(mut x: u64) -> u64 {
    x ^= x << 13;
    x ^= x >> 7;
    x ^= x << 17;
    x
}

/// Mutate every corpus statement a few thousand times in total (fixed seed,
/// so failures reproduce) and check the reviewer and splitter never panic.
#[test]
fn randomized_mutations_of_the_corpus_never_panic() {
    let corpus = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/corpus/sql");
    let mut seeds = Vec::new();
    for dir in fs::read_dir(corpus).expect("corpus").flatten() {
        for file in fs::read_dir(dir.path()).expect("rule dir").flatten() {
            if let Ok(text) = fs::read_to_string(file.path()) {
                seeds.push(text);
            }
        }
    }
    seeds.sort();
    assert!(!seeds.is_empty());
    let tokens = [
        "'",
        "\"",
        "`",
        "$$",
        "$t$",
        "(",
        ")",
        "/*",
        "*/",
        "--",
        ";",
        "\u{0}",
        "é",
        "\\",
        " CONCURRENTLY ",
        " NOT VALID ",
        " BEGIN; ",
        " COMMIT; ",
        " CASCADE ",
        " DEFAULT ",
        " REFERENCES x (id) ",
        " PRIMARY KEY ",
        " TYPE int ",
        "ALTER TABLE ",
        "DROP INDEX ",
        " NOT NULL ",
        "\n",
        "ALGORITHM=",
        "LOCK=",
    ];
    let mut seed = 0x2545_F491_4F6C_DD1Du64;
    let mut next = |bound: usize| -> usize {
        seed = xorshift(seed);
        (seed % bound.max(1) as u64) as usize
    };
    let started = Instant::now();
    for round in 0..3_000 {
        let base = &seeds[round % seeds.len()];
        let mut chars: Vec<char> = base.chars().collect();
        for _ in 0..1 + next(4) {
            let at = next(chars.len() + 1);
            match next(3) {
                0 => {
                    let token = tokens[next(tokens.len())];
                    chars.splice(at..at, token.chars());
                }
                1 if at < chars.len() => {
                    let end = (at + 1 + next(8)).min(chars.len());
                    chars.drain(at..end);
                }
                _ => {
                    let other: Vec<char> = seeds[next(seeds.len())].chars().collect();
                    let from = next(other.len());
                    let to = (from + next(40)).min(other.len());
                    chars.splice(at..at, other[from..to].iter().copied());
                }
            }
        }
        let text: String = chars.into_iter().collect();
        let dialect = DIALECTS[round % DIALECTS.len()];
        let _ = split_statements(&text, dialect);
        let _ = review_sql("fuzz.sql", &text, &config(dialect));
    }
    assert!(
        started.elapsed() < Duration::from_secs(60),
        "{:?}",
        started.elapsed()
    );
}
