//! Classification, embedded SQL, positions, config, and hostile input.

use std::time::{Duration, Instant};

use super::*;
use crate::finding::Severity;

const RAILS: &str = "class AddEmail < ActiveRecord::Migration[7.1]\n  def change\n    add_index :users, :email\n  end\nend\n";
const DJANGO: &str = "from django.db import migrations, models\n\nclass Migration(migrations.Migration):\n    operations = [\n        migrations.RemoveField(model_name='order', name='code'),\n    ]\n";
const ALEMBIC: &str = "from alembic import op\nimport sqlalchemy as sa\n\nrevision = 'a1'\ndown_revision = None\n\ndef upgrade():\n    op.drop_column('users', 'code')\n    op.execute(\"UPDATE users SET a = 1\")\n\ndef downgrade():\n    op.execute('DELETE FROM users')\n";
const KNEX: &str = "exports.up = function (knex) {\n  return knex.schema.alterTable('users', (t) => {\n    t.dropColumn('code');\n  });\n};\nexports.down = function (knex) {};\n";

#[test]
fn classifies_each_framework_by_path_and_content() {
    let cases = [
        (
            "db/migrate/20240101000000_add_email.rb",
            RAILS,
            MigrationKind::Rails,
        ),
        (
            "shop/migrations/0002_remove_code.py",
            DJANGO,
            MigrationKind::Django,
        ),
        (
            "alembic/versions/a1_drop.py",
            ALEMBIC,
            MigrationKind::Alembic,
        ),
        (
            "migrations/versions/a1_drop.py",
            ALEMBIC,
            MigrationKind::Alembic,
        ),
        ("migrations/20240101_drop.js", KNEX, MigrationKind::Knex),
        (
            "db\\migrate\\20240101000000_add_email.rb",
            RAILS,
            MigrationKind::Rails,
        ),
        (
            "src/main/resources/db/migration/V3__add_email.sql",
            "ALTER TABLE t ADD c int;",
            MigrationKind::Sql,
        ),
        (
            "sql/V1_2__init.sql",
            "CREATE TABLE t (a int);",
            MigrationKind::Sql,
        ),
        (
            "prisma/migrations/20240101_init/migration.sql",
            "CREATE TABLE t (a int);",
            MigrationKind::Sql,
        ),
        (
            "changes/001.sql",
            "--liquibase formatted sql\n--changeset a:1\nSELECT 1;",
            MigrationKind::Sql,
        ),
        (
            "db/migrations/001_init.sql",
            "CREATE TABLE t (a int);",
            MigrationKind::Sql,
        ),
        (
            "db/changelog/master.xml",
            "<databaseChangeLog/>",
            MigrationKind::LiquibaseXml,
        ),
        (
            "db/changelog/master.yaml",
            "databaseChangeLog:\n",
            MigrationKind::LiquibaseYaml,
        ),
    ];
    for (path, text, kind) in cases {
        assert_eq!(classify(path, text), kind, "{path}");
    }
}

#[test]
fn near_misses_are_not_migrations() {
    let cases = [
        // A migrations/ Python file that is not a Django migration.
        ("shop/migrations/__init__.py", ""),
        ("shop/migrations/0002_x.py", "def helper():\n    return 1\n"),
        (
            "tools/migrations/0001_fix.py",
            "import os\nprint('migrations.Migration is a class')\n",
        ),
        // Django text outside a migrations folder.
        ("shop/models.py", DJANGO),
        // Alembic text outside a versions folder; env.py is not a revision.
        ("app/db.py", ALEMBIC),
        ("alembic/env.py", "from alembic import context\n"),
        // Rails migration text outside db/migrate, and a model.
        ("lib/tasks/x.rb", RAILS),
        (
            "db/migrate/20240101_x.rb",
            "class User < ApplicationRecord\nend\n",
        ),
        // Schema dumps and SQL outside migrations.
        ("db/structure.sql", "CREATE TABLE t (a int);"),
        ("db/migrate/structure.sql", "CREATE TABLE t (a int);"),
        ("queries/report.sql", "SELECT 1;"),
        ("V1_init.sql", "SELECT 1;"),
        // A TypeORM migration is not Knex.
        (
            "migrations/1700000000-Init.ts",
            "export class Init { async up(queryRunner) { await queryRunner.query('x'); } }",
        ),
        ("src/knex.js", KNEX),
        ("pom.xml", "<project/>"),
        ("", ""),
    ];
    for (path, text) in cases {
        assert_eq!(classify(path, text), MigrationKind::NotMigration, "{path}");
    }
}

#[test]
fn findings_point_at_the_call_and_name_the_table() {
    let findings = review_orm(
        "db/migrate/1_add_email.rb",
        RAILS,
        MigrationKind::Rails,
        &ReviewConfig::default(),
    );
    assert_eq!(findings.len(), 1, "{findings:?}");
    let finding = &findings[0];
    assert_eq!(finding.rule, "index-not-concurrent");
    assert_eq!((finding.line, finding.column), (3, 5));
    assert_eq!(finding.table.as_deref(), Some("users"));
    assert_eq!(finding.severity, Severity::Error);
    assert!(finding.fix.contains("algorithm: :concurrently"));

    let findings = review_orm(
        "shop/migrations/0002_x.py",
        DJANGO,
        MigrationKind::Django,
        &ReviewConfig::default(),
    );
    assert_eq!(findings[0].table.as_deref(), Some("shop_order"));
    assert_eq!((findings[0].line, findings[0].column), (5, 20));
}

#[test]
fn multi_line_call_reports_its_first_line() {
    let text = "def upgrade():\n    op.create_index(\n        'ix',\n        'users',\n        ['email'],\n    )\n";
    let findings = review_orm(
        "alembic/versions/a.py",
        text,
        MigrationKind::Alembic,
        &ReviewConfig::default(),
    );
    assert_eq!(findings.len(), 1);
    assert_eq!((findings[0].line, findings[0].column), (2, 8));
    assert_eq!(findings[0].table.as_deref(), Some("users"));
}

#[test]
fn config_disables_and_reweights_rules_and_suppressions_apply() {
    let config = ReviewConfig::parse(
        "review.toml",
        "[rules.index-not-concurrent]\nseverity = \"note\"\n[rules.drop-column]\nenabled = false\n",
    )
    .expect("config");
    let findings = review_orm("db/migrate/1.rb", RAILS, MigrationKind::Rails, &config);
    assert_eq!(findings[0].severity, Severity::Note);
    let findings = review_orm("m/versions/a.py", ALEMBIC, MigrationKind::Alembic, &config);
    assert!(
        findings.iter().all(|f| f.rule != "drop-column"),
        "{findings:?}"
    );

    let text = KNEX.replace(
        "    t.dropColumn",
        "    // fcto:allow drop-column column unused since March\n    t.dropColumn",
    );
    let findings = review_orm(
        "migrations/1.js",
        &text,
        MigrationKind::Knex,
        &ReviewConfig::default(),
    );
    assert!(findings.is_empty(), "{findings:?}");
}

#[test]
fn embedded_sql_per_framework_with_lines() {
    let rails = "class X < ActiveRecord::Migration[7.1]\n  def up\n    execute <<~SQL\n      CREATE INDEX i ON t (a);\n    SQL\n    execute \"UPDATE #{t} SET a = 1\"\n  end\n  def down\n    execute 'DROP INDEX i'\n  end\nend\n";
    assert_eq!(
        embedded_sql("db/migrate/1.rb", rails, MigrationKind::Rails),
        vec![(4, "      CREATE INDEX i ON t (a);\n".to_string())]
    );
    assert_eq!(
        embedded_sql("a/versions/a.py", ALEMBIC, MigrationKind::Alembic),
        vec![(9, "UPDATE users SET a = 1".to_string())]
    );
    let django = "from django.db import migrations\nclass Migration(migrations.Migration):\n    operations = [\n        migrations.RunSQL(\n            [\"UPDATE a SET b = 1\", '''\nDELETE FROM c''']),\n    ]\n";
    assert_eq!(
        embedded_sql("s/migrations/0002_x.py", django, MigrationKind::Django),
        vec![
            (5, "UPDATE a SET b = 1".to_string()),
            (5, "\nDELETE FROM c".to_string())
        ]
    );
    let knex = "exports.up = async (knex) => {\n  await knex.raw('CREATE INDEX CONCURRENTLY i ON t (a)');\n};\nexports.down = async (knex) => { await knex.raw('DROP INDEX i'); };\n";
    assert_eq!(
        embedded_sql("migrations/1.js", knex, MigrationKind::Knex),
        vec![(2, "CREATE INDEX CONCURRENTLY i ON t (a)".to_string())]
    );
    let xml = "<databaseChangeLog>\n<changeSet id=\"1\" author=\"a\">\n<sql>\nCREATE INDEX CONCURRENTLY i ON t (a)\n</sql>\n<rollback><sql>DROP INDEX i</sql></rollback>\n</changeSet>\n</databaseChangeLog>\n";
    assert_eq!(
        embedded_sql("c.xml", xml, MigrationKind::LiquibaseXml),
        vec![(3, "\nCREATE INDEX CONCURRENTLY i ON t (a)\n".to_string())]
    );
    let yaml = "databaseChangeLog:\n  - changeSet:\n      id: 1\n      changes:\n        - sql:\n            sql: |\n              UPDATE a SET b = 1;\n              DELETE FROM c;\n        - sql:\n            sql: SELECT 1\n";
    assert_eq!(
        embedded_sql("c.yaml", yaml, MigrationKind::LiquibaseYaml),
        vec![
            (
                7,
                "              UPDATE a SET b = 1;\n              DELETE FROM c;".to_string()
            ),
            (10, "SELECT 1".to_string())
        ]
    );
    assert_eq!(
        embedded_sql("V1__x.sql", "SELECT 1;", MigrationKind::Sql),
        vec![(1, "SELECT 1;".to_string())]
    );
}

#[test]
fn volatile_functions_are_told_from_stable_ones() {
    assert!(calls_volatile_function("gen_random_uuid()"));
    assert!(calls_volatile_function("CLOCK_TIMESTAMP ()"));
    assert!(!calls_volatile_function("now()"));
    assert!(!calls_volatile_function("CURRENT_TIMESTAMP"));
    assert!(!calls_volatile_function("my_random_thing()"));
    assert!(!calls_volatile_function("random"));
}

/// Every kind on `text`, under a time budget: no panic, no hang.
fn survives(label: &str, text: &str) {
    let kinds = [
        MigrationKind::Rails,
        MigrationKind::Django,
        MigrationKind::Alembic,
        MigrationKind::Knex,
        MigrationKind::LiquibaseXml,
        MigrationKind::LiquibaseYaml,
    ];
    let config = ReviewConfig::default();
    let started = Instant::now();
    let _ = classify("db/migrate/x.rb", text);
    for kind in kinds {
        let one = Instant::now();
        let _ = review_orm("x/migrations/0001_x.py", text, kind, &config);
        let _ = embedded_sql("x", text, kind);
        eprintln!("{label} as {}: {:?}", kind.as_str(), one.elapsed());
    }
    // Generous for unoptimised CI builds on a busy machine; quadratic
    // behaviour on these inputs would take minutes.
    assert!(
        started.elapsed() < Duration::from_secs(60),
        "{label} took {:?}",
        started.elapsed()
    );
}

#[test]
fn hostile_unterminated_strings_and_heredocs() {
    survives("heredoc", "execute <<~SQL\n  CREATE INDEX i ON t (a);\n");
    survives("heredoc at eof", "execute <<~SQL");
    survives("string", "add_index :users, \"email");
    survives("triple", "op.create_index('''ix");
    survives("template", "knex.raw(`CREATE ${x");
    survives("block comment", "=begin\nadd_index :a, :b\n");
    survives("js comment", "/* exports.up");
    survives("percent", "add_index :users, %w[a b");
    survives("xml", "<databaseChangeLog><changeSet><addColumn tableName=\"t\"><column name=\"c\"><constraints nullable=\"false\"/>");
    survives(
        "yaml",
        "databaseChangeLog:\n- addColumn:\n    columns:\n      - column:\n",
    );
    survives("bad utf8 boundaries", "add_index :ü, :é, algorithm: :ß\n");
}

#[test]
fn hostile_deep_brackets_nul_bytes_and_big_files() {
    let deep = format!(
        "add_index({}:a{}\n",
        "(".repeat(100_000),
        ")".repeat(100_000)
    );
    survives("100k nested", &deep);
    let deep_unclosed = format!("op.create_index({}", "[".repeat(100_000));
    survives("100k unclosed", &deep_unclosed);
    let nested_calls = format!("{}x{}", "add_index(".repeat(50_000), ")".repeat(50_000));
    survives("nested calls", &nested_calls);
    survives(
        "nul bytes",
        "add_index\0 :users,\0 :email\n\0\0op.drop_column('a'\0)",
    );

    let line = "    add_index :users, :email # comment \"with quotes\"\n";
    let big = line.repeat(5 * 1024 * 1024 / line.len());
    survives("5 MB of calls", &big);
    let one_line = "t.index(:a); ".repeat(400_000);
    survives(
        "5 MB on one line",
        &format!("change_table :users do |t|\n{one_line}\nend\n"),
    );
    let xml = format!(
        "<databaseChangeLog>{}</databaseChangeLog>",
        "<createIndex tableName=\"t\"/>".repeat(150_000)
    );
    survives("5 MB of xml", &xml);
    let staircase: String = (0..20_000)
        .map(|i| format!("{}- addColumn:\n", " ".repeat(i % 400)))
        .collect();
    survives("yaml staircase", &staircase);
    let nested_xml = format!(
        "<databaseChangeLog>{}",
        "<addColumn tableName=\"t\">".repeat(100_000)
    );
    survives("100k nested xml", &nested_xml);
    survives(
        "xml nul",
        "<databaseChangeLog>\0<sql>\0SELECT</sql><createIndex\0 tableName=\"t\"/>",
    );
    let sql_block = format!(
        "databaseChangeLog:\n  - changeSet:\n      changes:\n        - sql:\n            sql: |\n{}",
        "              SELECT 1;\n".repeat(200_000)
    );
    survives("3 MB yaml sql block", &sql_block);
    let withs = "with ".repeat(1_000_000);
    survives("many with", &withs);
}

#[test]
fn big_file_findings_are_counted_right() {
    let line = "    add_index :users, :email\n";
    let body = line.repeat(10_000);
    let text = format!("class X < ActiveRecord::Migration[7.1]\n  def change\n{body}  end\nend\n");
    let findings = review_orm(
        "db/migrate/1.rb",
        &text,
        MigrationKind::Rails,
        &ReviewConfig::default(),
    );
    assert_eq!(findings.len(), 10_000);
    assert_eq!(findings.last().map(|f| f.line), Some(10_002));
}

#[test]
fn every_rule_has_a_why_and_schemas_qualify_tables() {
    let rules = rules();
    assert_eq!(rules.len(), 18);
    assert!(rules
        .iter()
        .all(|(id, _, why)| !id.is_empty() && !why.is_empty()));

    let text = "def upgrade():\n    op.drop_column('users', 'code', schema='billing')\n";
    let findings = review_orm(
        "a/versions/a.py",
        text,
        MigrationKind::Alembic,
        &ReviewConfig::default(),
    );
    assert_eq!(findings[0].table.as_deref(), Some("billing.users"));
    let xml = "<databaseChangeLog><changeSet id=\"1\" author=\"a\">\n<dropColumn schemaName=\"Billing\" tableName=\"Users\" columnName=\"c\"/>\n</changeSet></databaseChangeLog>";
    let findings = review_orm(
        "c.xml",
        xml,
        MigrationKind::LiquibaseXml,
        &ReviewConfig::default(),
    );
    assert_eq!(findings[0].table.as_deref(), Some("billing.users"));
    assert_eq!((findings[0].line, findings[0].column), (2, 2));
}
