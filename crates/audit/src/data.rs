//! Data: which database engines the business runs and where its schema and
//! migrations live. Migration files also go through the review capability's
//! migration-safety rules, so the audit lists the risky ones.

use fcto_review::orm::{self, MigrationKind};
use fcto_review::scale::TableSizes;
use fcto_review::ReviewConfig;

use crate::model::{DatabaseUse, MigrationSet};
use crate::scan::{FileJob, Tally};

/// Where a schema or migration file came from, as a person names it.
#[cfg(test)]
fn framework(rel: &str, text: &str) -> Option<&'static str> {
    framework_of_kind(rel, text, orm::classify(rel, text))
}

/// [`framework`] with the file's migration kind already known.
fn framework_of_kind(rel: &str, text: &str, kind: MigrationKind) -> Option<&'static str> {
    let lower = rel.to_ascii_lowercase();
    let file = lower.rsplit('/').next().unwrap_or(&lower);
    // Schema definitions and dumps are data files too, but not migrations.
    match file {
        "schema.prisma" => return Some("Prisma schema"),
        "schema.rb" if lower.contains("db/") => return Some("Rails schema"),
        "structure.sql" | "schema.sql" => return Some("SQL schema dump"),
        _ => {}
    }
    Some(match kind {
        MigrationKind::NotMigration => return None,
        MigrationKind::Sql => {
            if file == "migration.sql" {
                "Prisma"
            } else if text
                .trim_start()
                .to_ascii_lowercase()
                .starts_with("--liquibase")
            {
                "Liquibase"
            } else if is_flyway(file) {
                "Flyway"
            } else {
                "SQL"
            }
        }
        MigrationKind::Rails => "Rails",
        MigrationKind::Django => "Django",
        MigrationKind::Alembic => "Alembic",
        MigrationKind::Knex => "Knex",
        MigrationKind::LiquibaseXml | MigrationKind::LiquibaseYaml => "Liquibase",
    })
}

fn is_flyway(file: &str) -> bool {
    let Some((prefix, _)) = file.split_once("__") else {
        return false;
    };
    let mut chars = prefix.chars();
    matches!(chars.next(), Some('v' | 'u' | 'r'))
        && chars.all(|c| c.is_ascii_digit() || c == '.' || c == '_')
}

/// Extensions that can hold a migration; everything else is skipped before
/// any text work.
fn may_hold_migration(rel: &str) -> bool {
    let lower = rel.to_ascii_lowercase();
    [
        ".sql", ".rb", ".py", ".js", ".ts", ".mjs", ".cjs", ".xml", ".yaml", ".yml", ".prisma",
    ]
    .iter()
    .any(|ext| lower.ends_with(ext))
}

pub(crate) struct DataEngine {
    config: ReviewConfig,
    sizes: TableSizes,
}

impl DataEngine {
    pub fn new() -> DataEngine {
        DataEngine {
            config: ReviewConfig::default(),
            sizes: TableSizes::new(),
        }
    }

    pub fn process(&self, job: &FileJob<'_>, tally: &mut Tally) {
        if !may_hold_migration(job.rel) {
            return;
        }
        let Ok(text) = std::str::from_utf8(job.bytes) else {
            return;
        };
        if job.rel.ends_with("schema.prisma") {
            if let Some(engine) = prisma_provider(text) {
                tally.database_hints.push((
                    engine.to_string(),
                    format!("{} (datasource provider)", job.label),
                ));
            }
        }
        let kind = orm::classify(job.rel, text);
        let Some(framework) = framework_of_kind(job.rel, text, kind) else {
            return;
        };
        tally
            .migrations
            .push((framework.to_string(), job.label.to_string()));
        if framework.ends_with("schema") || framework == "SQL schema dump" {
            return;
        }
        let review = fcto_review::review_file_of_kind(
            job.label,
            text,
            Some(kind),
            &self.config,
            &self.sizes,
        );
        tally.migration_findings.extend(review.findings);
    }
}

/// `provider = "postgresql"` inside a Prisma `datasource` block.
fn prisma_provider(text: &str) -> Option<&'static str> {
    let start = text.find("datasource")?;
    let block = &text[start..];
    let block = &block[..block.find('}').unwrap_or(block.len())];
    let line = block
        .lines()
        .find(|l| l.trim_start().starts_with("provider"))?;
    engine_of_word(line)
}

/// The engine a driver, image or URL scheme names, in one vocabulary.
pub(crate) fn engine_of_word(word: &str) -> Option<&'static str> {
    let w = word.to_ascii_lowercase();
    let table: &[(&str, &str)] = &[
        ("postgres", "PostgreSQL"),
        ("psycopg", "PostgreSQL"),
        ("asyncpg", "PostgreSQL"),
        ("npgsql", "PostgreSQL"),
        ("pgx", "PostgreSQL"),
        ("lib/pq", "PostgreSQL"),
        ("postgrex", "PostgreSQL"),
        ("cockroach", "CockroachDB"),
        ("mariadb", "MariaDB"),
        ("mysql", "MySQL"),
        ("myxql", "MySQL"),
        ("sqlserver", "SQL Server"),
        ("mssql", "SQL Server"),
        ("sqlclient", "SQL Server"),
        ("sqlite", "SQLite"),
        ("mongo", "MongoDB"),
        ("redis", "Redis"),
        ("valkey", "Redis"),
        ("memcache", "Memcached"),
        ("elasticsearch", "Elasticsearch"),
        ("opensearch", "OpenSearch"),
        ("dynamodb", "DynamoDB"),
        ("cassandra", "Cassandra"),
        ("clickhouse", "ClickHouse"),
        ("firestore", "Firestore"),
        ("firebase-admin", "Firebase"),
        ("supabase", "PostgreSQL"),
    ];
    table
        .iter()
        .find(|(needle, _)| w.contains(needle))
        .map(|(_, engine)| *engine)
}

/// Packages that mean "this code talks to that engine"; a narrower list
/// than `engine_of_word` so a package merely named after an engine (a
/// redis-backed cache helper) does not count unless it is a driver.
pub(crate) fn engine_of_package(ecosystem: &str, name: &str) -> Option<&'static str> {
    let n = name.to_ascii_lowercase();
    let drivers: &[&str] = &[
        // npm
        "pg",
        "postgres",
        "mysql",
        "mysql2",
        "mariadb",
        "mongodb",
        "mongoose",
        "redis",
        "ioredis",
        "sqlite3",
        "better-sqlite3",
        "mssql",
        "tedious",
        "@prisma/client",
        "@supabase/supabase-js",
        "@elastic/elasticsearch",
        "cassandra-driver",
        // PyPI
        "psycopg2",
        "psycopg2-binary",
        "psycopg",
        "asyncpg",
        "pymysql",
        "mysqlclient",
        "mysql-connector-python",
        "pymongo",
        "motor",
        "pyodbc",
        "elasticsearch",
        "clickhouse-driver",
        // crates.io
        "tokio-postgres",
        "rusqlite",
        "mongodb",
        "diesel",
        "mysql_async",
        // RubyGems, Hex, NuGet
        "pg",
        "sqlite3",
        "mongoid",
        "postgrex",
        "myxql",
        "ecto_sql",
        "npgsql",
        "mysql.data",
        "mysqlconnector",
        "microsoft.data.sqlclient",
        "stackexchange.redis",
        "mongodb.driver",
        "microsoft.data.sqlite",
        // Go, Maven, Packagist
        "github.com/lib/pq",
        "github.com/jackc/pgx",
        "github.com/jackc/pgx/v4",
        "github.com/jackc/pgx/v5",
        "github.com/go-sql-driver/mysql",
        "go.mongodb.org/mongo-driver",
        "github.com/redis/go-redis/v9",
        "github.com/go-redis/redis/v8",
        "github.com/mattn/go-sqlite3",
        "modernc.org/sqlite",
        "org.postgresql:postgresql",
        "mysql:mysql-connector-java",
        "com.mysql:mysql-connector-j",
        "org.mariadb.jdbc:mariadb-java-client",
        "org.xerial:sqlite-jdbc",
        "org.mongodb:mongodb-driver-sync",
        "com.microsoft.sqlserver:mssql-jdbc",
        "redis.clients:jedis",
        "io.lettuce:lettuce-core",
        "predis/predis",
        "mongodb/mongodb",
    ];
    if !drivers.contains(&n.as_str()) {
        return None;
    }
    // "pg" in npm and RubyGems is PostgreSQL; "diesel" says nothing alone.
    match (ecosystem, n.as_str()) {
        (_, "pg") => Some("PostgreSQL"),
        (_, "diesel" | "@prisma/client" | "ecto_sql") => None,
        (_, "mongoose" | "motor" | "mongoid") => Some("MongoDB"),
        (_, "tedious" | "pyodbc") => Some("SQL Server"),
        (_, "@supabase/supabase-js") => Some("PostgreSQL"),
        (_, "ioredis" | "predis/predis" | "redis.clients:jedis" | "io.lettuce:lettuce-core") => {
            Some("Redis")
        }
        _ => engine_of_word(&n),
    }
}

pub(crate) fn migration_sets(tally: &Tally) -> Vec<MigrationSet> {
    let mut sets: Vec<MigrationSet> = Vec::new();
    for (framework, path) in &tally.migrations {
        match sets.iter_mut().find(|s| &s.framework == framework) {
            Some(set) => {
                set.files += 1;
                if set.examples.len() < 5 {
                    set.examples.push(path.clone());
                }
            }
            None => sets.push(MigrationSet {
                framework: framework.clone(),
                files: 1,
                examples: vec![path.clone()],
            }),
        }
    }
    sets.sort_by(|a, b| {
        b.files
            .cmp(&a.files)
            .then_with(|| a.framework.cmp(&b.framework))
    });
    sets
}

/// Engines with every piece of evidence, most evidenced first.
pub(crate) fn databases(hints: &[(String, String)]) -> Vec<DatabaseUse> {
    let mut uses: Vec<DatabaseUse> = Vec::new();
    for (engine, evidence) in hints {
        match uses.iter_mut().find(|u| &u.engine == engine) {
            Some(u) => {
                if !u.evidence.contains(evidence) {
                    u.evidence.push(evidence.clone());
                }
            }
            None => uses.push(DatabaseUse {
                engine: engine.clone(),
                evidence: vec![evidence.clone()],
            }),
        }
    }
    uses.sort_by(|a, b| {
        b.evidence
            .len()
            .cmp(&a.evidence.len())
            .then_with(|| a.engine.cmp(&b.engine))
    });
    uses
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn frameworks_are_named() {
        assert_eq!(
            framework("db/V1__init.sql", "create table a(id int);"),
            Some("Flyway")
        );
        assert_eq!(
            framework(
                "prisma/migrations/20240101_init/migration.sql",
                "CREATE TABLE a();"
            ),
            Some("Prisma")
        );
        assert_eq!(framework("prisma/schema.prisma", ""), Some("Prisma schema"));
        assert_eq!(framework("db/schema.rb", ""), Some("Rails schema"));
        assert_eq!(framework("src/report.sql", "select 1"), None);
        assert_eq!(framework("src/main.rs", "fn main() {}"), None);
    }

    #[test]
    fn drivers_name_engines_and_lookalikes_do_not() {
        assert_eq!(engine_of_package("npm", "pg"), Some("PostgreSQL"));
        assert_eq!(
            engine_of_package("PyPI", "psycopg2-binary"),
            Some("PostgreSQL")
        );
        assert_eq!(
            engine_of_package("Go", "github.com/go-sql-driver/mysql"),
            Some("MySQL")
        );
        assert_eq!(engine_of_package("npm", "ioredis"), Some("Redis"));
        assert_eq!(engine_of_package("npm", "redis-cache-helper"), None);
        assert_eq!(engine_of_package("crates.io", "diesel"), None);
    }

    #[test]
    fn prisma_provider_is_read() {
        let text = "generator client {\n provider = \"prisma-client-js\"\n}\ndatasource db {\n  provider = \"postgresql\"\n  url = env(\"DATABASE_URL\")\n}\n";
        assert_eq!(prisma_provider(text), Some("PostgreSQL"));
    }
}
