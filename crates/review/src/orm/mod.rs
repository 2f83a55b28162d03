//! ORM migrations: Rails, Django, Alembic, Knex and Liquibase changelogs.
//!
//! [`classify`] tells what kind of migration a file is, by path and content;
//! [`review_orm`] runs the framework's rules; [`embedded_sql`] hands back the
//! raw SQL a migration runs (`execute`, `RunSQL`, `op.execute`, `knex.raw`,
//! Liquibase `<sql>`, plain SQL files) so the SQL reviewer can read it too.
//!
//! Rule ids are shared with the SQL rules where the risk is the same
//! (`index-not-concurrent`, `rename-column`, ...), so a team configures one
//! rule once whatever tool wrote the migration.

mod alembic;
mod call;
mod django;
mod emit;
mod knex;
mod liquibase;
mod rails;
mod region;
mod token;

use crate::config::ReviewConfig;
use crate::finding::Finding;

/// Every ORM rule id with its default severity and why it matters at 10x,
/// for `--list-rules` and documentation.
pub fn rules() -> Vec<(&'static str, crate::finding::Severity, &'static str)> {
    emit::rule::ALL
        .iter()
        .map(|&(id, severity)| (id, severity, emit::rule::why(id)))
        .collect()
}

/// What kind of migration a file is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum MigrationKind {
    /// Plain SQL: Flyway `V1__x.sql`, Prisma `migrations/*/migration.sql`,
    /// Liquibase formatted SQL, any `.sql` under a migrations folder.
    Sql,
    Rails,
    Django,
    Alembic,
    Knex,
    LiquibaseXml,
    LiquibaseYaml,
    NotMigration,
}

impl MigrationKind {
    pub fn as_str(self) -> &'static str {
        match self {
            MigrationKind::Sql => "sql",
            MigrationKind::Rails => "rails",
            MigrationKind::Django => "django",
            MigrationKind::Alembic => "alembic",
            MigrationKind::Knex => "knex",
            MigrationKind::LiquibaseXml => "liquibase-xml",
            MigrationKind::LiquibaseYaml => "liquibase-yaml",
            MigrationKind::NotMigration => "not-migration",
        }
    }
}

/// Folder names that hold migrations in the tools we know.
const MIGRATION_FOLDERS: [&str; 8] = [
    "migrations",
    "migration",
    "migrate",
    "changelog",
    "changelogs",
    "changesets",
    "flyway",
    "liquibase",
];

/// Classify a file by its path (`/` or `\` separated) and its text. Both
/// must agree: a `migrations/` Python file that is not a Django migration
/// is `NotMigration`, and so is a Django-looking text outside one.
pub fn classify(path: &str, text: &str) -> MigrationKind {
    let path = path.replace('\\', "/");
    let parts: Vec<&str> = path.split('/').filter(|p| !p.is_empty()).collect();
    let Some(file) = parts.last().copied() else {
        return MigrationKind::NotMigration;
    };
    let folders = &parts[..parts.len() - 1];
    let lower_file = file.to_ascii_lowercase();
    let in_folder = |names: &[&str]| {
        folders
            .iter()
            .any(|folder| names.contains(&folder.to_ascii_lowercase().as_str()))
    };
    let extension = lower_file
        .rsplit_once('.')
        .map(|(_, ext)| ext)
        .unwrap_or("");
    // Content checks look at the head only where a marker must lead, and
    // are plain substring scans otherwise: linear even on 5 MB.
    let head = text.get(..text.len().min(4096)).unwrap_or(text);
    match extension {
        "sql" => {
            let flyway = is_flyway_name(file);
            let prisma = lower_file == "migration.sql" && in_folder(&["migrations"]);
            let liquibase = head
                .trim_start_matches('\u{feff}')
                .trim_start()
                .to_ascii_lowercase()
                .starts_with("--liquibase formatted sql");
            let dump = matches!(lower_file.as_str(), "structure.sql" | "schema.sql");
            if flyway || prisma || liquibase || (in_folder(&MIGRATION_FOLDERS) && !dump) {
                MigrationKind::Sql
            } else {
                MigrationKind::NotMigration
            }
        }
        "rb" => {
            let named = in_folder(&["migrate", "migrations"]);
            if named && text.contains("ActiveRecord::Migration") {
                MigrationKind::Rails
            } else {
                MigrationKind::NotMigration
            }
        }
        "py" => {
            let alembic_text = (text.contains("from alembic import")
                || text.contains("import alembic"))
                && text.contains("revision")
                && text.contains("op.");
            if alembic_text && in_folder(&["versions", "alembic", "migrations"]) {
                return MigrationKind::Alembic;
            }
            let django_name = file.as_bytes().first().is_some_and(u8::is_ascii_digit);
            if folders.last().copied() == Some("migrations")
                && django_name
                && text.contains("Migration")
                && declares_django_migration(text)
            {
                MigrationKind::Django
            } else {
                MigrationKind::NotMigration
            }
        }
        "js" | "ts" | "mjs" | "cjs" => {
            let has_up = text.contains("exports.up")
                || text.contains("function up")
                || text.contains("up = async")
                || text.contains("const up");
            let uses_knex = text.contains("knex.schema")
                || text.contains(".schema.")
                || text.contains("knex.raw")
                || text.contains("Knex");
            if in_folder(&["migrations", "migration", "migrate"]) && has_up && uses_knex {
                MigrationKind::Knex
            } else {
                MigrationKind::NotMigration
            }
        }
        "xml" if text.contains("databaseChangeLog") => MigrationKind::LiquibaseXml,
        "yaml" | "yml" if text.contains("databaseChangeLog") => MigrationKind::LiquibaseYaml,
        _ => MigrationKind::NotMigration,
    }
}

/// Whether Python `text` declares `class X(migrations.Migration)` or
/// `class X(Migration)` in code, not in a string or comment.
fn declares_django_migration(text: &str) -> bool {
    use token::{tokenize, Kind, Lang};
    let tokens = tokenize(text, Lang::Python);
    (0..tokens.len()).any(|index| {
        tokens.is_ident(index, "class")
            && tokens.is(index + 2, Kind::Open, "(")
            && (tokens.is_ident(index + 3, "Migration")
                || (tokens.is_ident(index + 3, "migrations")
                    && tokens.is_punct(index + 4, ".")
                    && tokens.is_ident(index + 5, "Migration")))
    })
}

/// Flyway names: `V1__x.sql`, `V1_2__x.sql`, `R__x.sql`, `U3__x.sql`.
fn is_flyway_name(file: &str) -> bool {
    let Some((prefix, rest)) = file.split_once("__") else {
        return false;
    };
    if rest.is_empty() {
        return false;
    }
    let mut chars = prefix.chars();
    match chars.next() {
        Some('R') => prefix.len() == 1,
        Some('V' | 'U') => {
            let version = chars.as_str();
            !version.is_empty()
                && version
                    .chars()
                    .all(|c| c.is_ascii_digit() || c == '_' || c == '.')
        }
        _ => false,
    }
}

/// Review one ORM migration file. `Sql` and `NotMigration` yield nothing
/// here: plain SQL goes to the SQL reviewer via [`embedded_sql`]. Config
/// rule switches and severities apply, then inline `fcto:allow` markers.
pub fn review_orm(
    path: &str,
    text: &str,
    kind: MigrationKind,
    config: &ReviewConfig,
) -> Vec<Finding> {
    let mut out = emit::Emitter::new(path, config);
    match kind {
        MigrationKind::Rails => rails::review(text, &mut out),
        MigrationKind::Django => django::review(path, text, &mut out),
        MigrationKind::Alembic => alembic::review(text, &mut out),
        MigrationKind::Knex => knex::review(text, &mut out),
        MigrationKind::LiquibaseXml => liquibase::review_xml(text, &mut out),
        MigrationKind::LiquibaseYaml => liquibase::review_yaml(text, &mut out),
        MigrationKind::Sql | MigrationKind::NotMigration => {}
    }
    crate::suppress::apply(path, text, out.finish())
}

/// [`review_orm`] and [`embedded_sql`] of one file together, reading it
/// once where a framework's reader allows (Django's tokens are shared).
pub fn review_with_sql(
    path: &str,
    text: &str,
    kind: MigrationKind,
    config: &ReviewConfig,
) -> (Vec<Finding>, Vec<(u32, String)>) {
    if kind != MigrationKind::Django {
        return (
            review_orm(path, text, kind, config),
            embedded_sql(path, text, kind),
        );
    }
    let tokens = token::tokenize(text, token::Lang::Python);
    let mut out = emit::Emitter::new(path, config);
    django::review_tokens(path, &tokens, &mut out);
    let findings = crate::suppress::apply(path, text, out.finish());
    (findings, django::embedded_sql_tokens(&tokens))
}

/// The SQL a migration runs as written text, each with the 1-based line of
/// the file where that SQL starts (add `line - 1` to a line inside it).
/// Interpolated strings are left out: their text is not what runs. Down
/// migrations and Liquibase rollbacks are left out too.
pub fn embedded_sql(path: &str, text: &str, kind: MigrationKind) -> Vec<(u32, String)> {
    let _ = path;
    match kind {
        MigrationKind::Sql => vec![(1, text.to_string())],
        MigrationKind::Rails => rails::embedded_sql(text),
        MigrationKind::Django => django::embedded_sql(text),
        MigrationKind::Alembic => alembic::embedded_sql(text),
        MigrationKind::Knex => knex::embedded_sql(text),
        MigrationKind::LiquibaseXml => liquibase::embedded_sql_xml(text),
        MigrationKind::LiquibaseYaml => liquibase::embedded_sql_yaml(text),
        MigrationKind::NotMigration => Vec::new(),
    }
}

/// Functions whose value differs per row, so a column default that calls
/// one makes PostgreSQL fill every existing row (a table rewrite) instead
/// of storing the default once in the catalog.
const VOLATILE_FUNCTIONS: [&str; 9] = [
    "gen_random_uuid",
    "uuid_generate_v1",
    "uuid_generate_v1mc",
    "uuid_generate_v4",
    "random",
    "clock_timestamp",
    "timeofday",
    "nextval",
    "uuid",
];

/// Whether a default expression calls a volatile function. `now()` and
/// `CURRENT_TIMESTAMP` are stable, evaluated once: no rewrite.
pub(crate) fn calls_volatile_function(expression: &str) -> bool {
    let lower = expression.to_ascii_lowercase();
    VOLATILE_FUNCTIONS.iter().any(|name| {
        lower.match_indices(name).any(|(at, _)| {
            let before_ok = lower[..at]
                .chars()
                .next_back()
                .is_none_or(|c| !(c.is_ascii_alphanumeric() || c == '_'));
            let after = lower[at + name.len()..].trim_start();
            before_ok && after.starts_with('(')
        })
    })
}

#[cfg(test)]
mod tests;
