use super::*;
use crate::finding::Severity;

fn pg() -> ReviewConfig {
    ReviewConfig::default()
}

fn rules_of(review: &SqlReview) -> Vec<&str> {
    review.findings.iter().map(|f| f.rule.as_str()).collect()
}

#[test]
fn finds_a_blocking_index_at_the_statement_position() {
    let review = review_sql(
        "m.sql",
        "SET lock_timeout = '2s';\n\n  CREATE INDEX i ON orders (user_id);\n",
        &pg(),
    );
    assert_eq!(rules_of(&review), ["index-not-concurrent"]);
    let finding = &review.findings[0];
    assert_eq!((finding.line, finding.column), (3, 3));
    assert_eq!(finding.table.as_deref(), Some("orders"));
    assert!(finding.fix.contains("CONCURRENTLY"), "{}", finding.fix);
    assert!(review.warnings.is_empty());
}

#[test]
fn unparseable_statement_is_a_warning_and_the_rest_is_reviewed() {
    let review = review_sql(
        "m.sql",
        "SET lock_timeout = '2s';\nCREATE FLUBBER x;\nDROP TABLE t;\n",
        &pg(),
    );
    assert_eq!(review.warnings.len(), 1);
    let warning = &review.warnings[0];
    assert_eq!(warning.line, 2);
    assert!(warning.statement.starts_with("CREATE FLUBBER"));
    assert_eq!(rules_of(&review), ["drop-table"]);
}

#[test]
fn severity_scales_with_the_table_size() {
    let sql = "SET lock_timeout = '2s';\nALTER TABLE orders ALTER COLUMN total TYPE bigint;\n";
    let mut config = pg();
    config.table_sizes.insert("orders".to_string(), 100);
    let small = review_sql("m.sql", sql, &config);
    assert_eq!(small.findings[0].severity, Severity::Note);
    assert!(small.findings[0].estimate.is_some());
    config.table_sizes.insert("orders".to_string(), 50_000_000);
    let large = review_sql("m.sql", sql, &config);
    assert_eq!(large.findings[0].severity, Severity::Error);
    let estimate = large.findings[0].estimate.as_ref().expect("estimate");
    assert_eq!(estimate.lock, "ACCESS EXCLUSIVE");
    assert!(estimate.seconds_at_10x > estimate.seconds_today);
    let unknown = review_sql("m.sql", sql, &pg());
    assert_eq!(unknown.findings[0].severity, Severity::Error);
    assert!(unknown.findings[0].estimate.is_none());
}

#[test]
fn config_disables_and_overrides_and_suppressions_apply() {
    let sql = "SET lock_timeout = '2s';\nCREATE TABLE t (a varchar(10), b timestamp);\n";
    let config = ReviewConfig::parse(
        "r.toml",
        "[rules.prefer-text]\nenabled = false\n[rules.timestamp-without-time-zone]\nseverity = \"error\"\n",
    )
    .expect("config");
    let review = review_sql("m.sql", sql, &config);
    assert_eq!(rules_of(&review), ["timestamp-without-time-zone"]);
    assert_eq!(review.findings[0].severity, Severity::Error);
    let sql = "-- fcto:allow drop-table staging table, never read\nDROP TABLE t;\n";
    assert!(review_sql("m.sql", sql, &pg())
        .findings
        .iter()
        .all(|f| f.rule != "drop-table"));
}

#[test]
fn drop_index_concurrently_parses_and_is_tracked() {
    let review = review_sql("m.sql", "DROP INDEX CONCURRENTLY IF EXISTS i;", &pg());
    assert!(review.warnings.is_empty(), "{:?}", review.warnings);
    assert!(review.findings.is_empty(), "{:?}", review.findings);
    let review = review_sql(
        "m.sql",
        "BEGIN;\nDROP INDEX CONCURRENTLY i;\nCOMMIT;",
        &pg(),
    );
    assert_eq!(rules_of(&review), ["concurrent-index-in-transaction"]);
}

#[test]
fn parser_positions_are_shifted_to_the_file() {
    let review = review_sql("m.sql", "SELECT 1;\n  SELECT FROM WHERE (;", &pg());
    let warning = &review.warnings[0];
    assert_eq!(warning.line, 2);
    assert!(warning.column >= 3, "{warning:?}");
}

#[test]
fn sizes_from_a_csv_fill_table_and_estimate() {
    let sizes =
        TableSizes::parse("sizes.csv", "table,rows\npublic.orders,50000000\n").expect("csv");
    let sql = "SET lock_timeout = '2s';\nCREATE INDEX i ON public.orders (user_id);\n";
    let review = review_sql_with_sizes("m.sql", sql, &pg(), &sizes);
    let finding = &review.findings[0];
    assert_eq!(finding.table.as_deref(), Some("public.orders"));
    assert_eq!(finding.severity, Severity::Error);
    assert!(finding.why.contains("at 10x"), "{}", finding.why);
    let tiny = TableSizes::parse("sizes.csv", "orders,100\n").expect("csv");
    let review = review_sql_with_sizes("m.sql", sql, &pg(), &tiny);
    assert_eq!(review.findings[0].severity, Severity::Note);
}

#[test]
fn sqlite_skips_postgres_only_rules() {
    let config = ReviewConfig {
        dialect: Dialect::Sqlite,
        ..ReviewConfig::default()
    };
    let sql = "CREATE INDEX i ON t (a);\nCREATE TABLE u (a varchar(10), b timestamp);\n";
    let review = review_sql("m.sql", sql, &config);
    assert!(review.findings.is_empty(), "{:?}", review.findings);
    assert!(review.warnings.is_empty(), "{:?}", review.warnings);
}

#[test]
fn mysql_rename_via_change_column_and_algorithm() {
    let config = ReviewConfig {
        dialect: Dialect::Mysql,
        ..ReviewConfig::default()
    };
    let sql = "SET SESSION lock_wait_timeout = 5;\nALTER TABLE t CHANGE COLUMN a b BIGINT, ALGORITHM=INPLACE, LOCK=NONE;\n";
    let review = review_sql("m.sql", sql, &config);
    let mut rules = rules_of(&review);
    rules.sort();
    assert_eq!(rules, ["alter-column-type", "rename-column"]);
}

#[test]
fn catalog_lists_every_rule_the_checker_emits() {
    for id in [
        "index-not-concurrent",
        "missing-lock-timeout",
        "mysql-algorithm-not-online",
        "foreign-key-without-index",
    ] {
        assert!(rules().iter().any(|r| r.id == id), "{id}");
    }
}
