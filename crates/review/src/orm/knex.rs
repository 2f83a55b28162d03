//! Knex migrations: `migrations/*.js|ts` exporting `up` and `down`.
//!
//! Only `alterTable`/`table` callbacks are checked column by column: a
//! `createTable` callback builds a new, empty table. Each statement on the
//! callback's parameter is read as a chain (`t.string("a").notNullable()`),
//! and the chain's links decide the rule. The `down` function is skipped.

use super::call::{self, Call};
use super::emit::{rule, Emitter};
use super::region::{self, Ranges};
use super::token::{tokenize, Kind, Lang, Tokens};

const LANG: Lang = Lang::JavaScript;

const COLUMN_TYPES: [&str; 29] = [
    "increments",
    "bigIncrements",
    "integer",
    "bigInteger",
    "bigint",
    "tinyint",
    "smallint",
    "mediumint",
    "text",
    "string",
    "float",
    "double",
    "decimal",
    "boolean",
    "date",
    "datetime",
    "dateTime",
    "time",
    "timestamp",
    "binary",
    "enum",
    "enu",
    "json",
    "jsonb",
    "uuid",
    "specificType",
    "geometry",
    "geography",
    "point",
];

pub fn review(text: &str, out: &mut Emitter) {
    let tokens = tokenize(text, LANG);
    let skip = down_function(&tokens);
    let mut alter_blocks = Vec::new();
    for index in 0..tokens.len() {
        let creates = tokens.is_ident(index, "createTable")
            || tokens.is_ident(index, "createTableIfNotExists");
        if creates && call::has_dot_before(&tokens, index) && !skip.contains(index) {
            let call = call::parse(&tokens, index, LANG);
            if let Some(table) = call
                .positional(0)
                .and_then(|arg| call::literal(&tokens, arg))
            {
                out.created_table(table);
            }
        }
    }
    for index in 0..tokens.len() {
        if skip.contains(index) || !call::has_dot_before(&tokens, index) {
            continue;
        }
        let Some(name) = tokens.get(index).filter(|t| t.kind == Kind::Ident) else {
            continue;
        };
        if !tokens.is(index + 1, Kind::Open, "(") {
            continue;
        }
        let on_schema = call::receiver(&tokens, index) == Some("schema")
            || index >= 2 && tokens.get(index - 2).is_some_and(|t| t.kind == Kind::Close);
        let call = call::parse(&tokens, index, LANG);
        let table = call
            .positional(0)
            .and_then(|arg| call::literal(&tokens, arg))
            .map(str::to_string);
        let t = table.as_deref();
        let tname = t.unwrap_or("table");
        match name.text.as_str() {
            "alterTable" | "table" if on_schema => {
                if let (Some(table), Some(param), Some(body)) =
                    (t, callback_param(&tokens, &call), call.positional(1))
                {
                    alter_blocks.push((body.start, body.end, (table.to_string(), param)));
                }
            }
            "renameTable" if on_schema => {
                let new = call
                    .positional(1)
                    .and_then(|arg| call::literal(&tokens, arg))
                    .unwrap_or_default();
                out.at_token(
                    rule::RENAME_TABLE,
                    name,
                    t,
                    format!("`renameTable('{tname}', '{new}')` renames a table running code still uses"),
                    format!("Create `{new}`, write to both (or point a view `{tname}` at `{new}` during the switch), move reads, then drop `{tname}` later"),
                );
            }
            "dropTable" | "dropTableIfExists" if on_schema => {
                out.at_token(
                    rule::DROP_TABLE,
                    name,
                    t,
                    format!("`{}('{tname}')` drops a table and its data", name.text),
                    format!("Remove every use of `{tname}` and deploy first; drop it in a later migration after a backup"),
                );
            }
            "raw" => {
                let literal = call.positional(0).is_some_and(|arg| {
                    call::value(&tokens, arg).all(|t| t.kind == Kind::Str && !t.interpolated)
                });
                if !literal && !call.args.is_empty() {
                    out.at_token(
                        rule::RAW_SQL_NOT_REVIEWABLE,
                        name,
                        None,
                        "`knex.raw` runs SQL built at run time".to_string(),
                        "Write the statement as one literal string and pass values as bindings (`knex.raw('... ?', [value])`)".to_string(),
                    );
                }
            }
            _ => {}
        }
    }
    region::clip_nested(&mut alter_blocks);
    for (start, end, (table, param)) in alter_blocks {
        alter_table_body(&tokens, start, end, &table, &param, &skip, out);
    }
}

/// Literal SQL passed to `knex.raw(...)` / `knex.schema.raw(...)` in `up`.
pub fn embedded_sql(text: &str) -> Vec<(u32, String)> {
    let tokens = tokenize(text, LANG);
    let skip = down_function(&tokens);
    let mut sql = Vec::new();
    for index in 0..tokens.len() {
        if skip.contains(index)
            || !tokens.is_ident(index, "raw")
            || !call::has_dot_before(&tokens, index)
            || !tokens.is(index + 1, Kind::Open, "(")
        {
            continue;
        }
        let call = call::parse(&tokens, index, LANG);
        let Some(arg) = call.positional(0) else {
            continue;
        };
        let mut values = call::value(&tokens, arg);
        if let (Some(string), None) = (values.next(), values.next()) {
            if string.kind == Kind::Str && !string.interpolated {
                sql.push((string.body_line, string.text.clone()));
            }
        }
    }
    sql
}

/// The `down` function: `exports.down = ...`, `export (async) function
/// down`, `const down = ...`.
fn down_function(tokens: &Tokens) -> Ranges {
    let mut ranges = Vec::new();
    for index in 0..tokens.len() {
        if !tokens.is_ident(index, "down") {
            continue;
        }
        let declared = (index >= 2
            && tokens.is_punct(index - 1, ".")
            && tokens.is_ident(index - 2, "exports"))
            || (index >= 1
                && (tokens.is_ident(index - 1, "function") || tokens.is_ident(index - 1, "const")));
        if !declared {
            continue;
        }
        let mut cursor = index + 1;
        let mut end = tokens.len();
        while let Some(token) = tokens.get(cursor) {
            // The body opens within a few tokens of `down`; bounded so many
            // brace-less `down`s cannot make this quadratic.
            if cursor > index + 200 {
                end = cursor;
                break;
            }
            if token.kind == Kind::Open && token.text == "{" {
                end = tokens.skip_group(cursor);
                break;
            }
            if token.kind == Kind::Open {
                cursor = tokens.skip_group(cursor);
                continue;
            }
            if token.kind == Kind::Punct && token.text == ";"
                || tokens.is_ident(cursor, "exports")
                || tokens.is_ident(cursor, "export")
            {
                end = cursor;
                break;
            }
            cursor += 1;
        }
        ranges.push((index, end));
    }
    Ranges::new(ranges)
}

/// The callback parameter in `alterTable('t', (table) => {...})` or
/// `function (table) {...}`.
fn callback_param(tokens: &Tokens, call: &Call) -> Option<String> {
    let arg = call.positional(1)?;
    let mut index = arg.start;
    while index < arg.end {
        let token = tokens.get(index)?;
        match token.kind {
            Kind::Ident if matches!(token.text.as_str(), "async" | "function") => index += 1,
            Kind::Ident => return Some(token.text.clone()),
            Kind::Open if token.text == "(" => index += 1,
            _ => return None,
        }
    }
    None
}

fn alter_table_body(
    tokens: &Tokens,
    start: usize,
    end: usize,
    table: &str,
    param: &str,
    skip: &Ranges,
    out: &mut Emitter,
) {
    for index in start..end.min(tokens.len()) {
        if skip.contains(index)
            || !tokens.is_ident(index, param)
            || call::has_dot_before(tokens, index)
            || !tokens.is_punct(index + 1, ".")
        {
            continue;
        }
        let links = chain(tokens, index + 1);
        check_chain(tokens, &links, table, out);
    }
}

/// `.a(...).b().c` from token `start` (a `.`): each link's name token
/// and, when called, its call.
fn chain(tokens: &Tokens, start: usize) -> Vec<(usize, Option<Call>)> {
    let mut links = Vec::new();
    let mut cursor = start;
    while tokens.is_punct(cursor, ".")
        && tokens
            .get(cursor + 1)
            .is_some_and(|t| t.kind == Kind::Ident)
    {
        let name = cursor + 1;
        if tokens.is(name + 1, Kind::Open, "(") {
            let call = call::parse(tokens, name, LANG);
            cursor = call.end;
            links.push((name, Some(call)));
        } else {
            cursor = name + 1;
            links.push((name, None));
        }
    }
    links
}

fn check_chain(tokens: &Tokens, links: &[(usize, Option<Call>)], table: &str, out: &mut Emitter) {
    let Some((first, first_call)) = links.first() else {
        return;
    };
    let Some(at) = tokens.get(*first) else { return };
    let has = |name: &str| links.iter().any(|(i, _)| tokens.is_ident(*i, name));
    let column = first_call
        .as_ref()
        .and_then(|c| c.positional(0))
        .and_then(|arg| call::literal(tokens, arg))
        .unwrap_or_default();
    let method = at.text.as_str();
    let t = Some(table);
    match method {
        "dropColumn" | "dropColumns" | "dropTimestamps" => {
            out.at_token(
                rule::DROP_COLUMN,
                at,
                t,
                format!("`{method}` drops `{table}.{column}` while running code may still select it"),
                format!("Stop reading and writing `{column}` in code and deploy first; drop it in a later migration"),
            );
            return;
        }
        "renameColumn" => {
            let new = first_call
                .as_ref()
                .and_then(|c| c.positional(1))
                .and_then(|arg| call::literal(tokens, arg))
                .unwrap_or_default();
            out.at_token(
                rule::RENAME_COLUMN,
                at,
                t,
                format!("renaming `{table}.{column}` to `{new}` breaks code that is still running"),
                format!("Add `{new}`, write to both, backfill, switch reads, then drop `{column}` in a later migration"),
            );
            return;
        }
        "index" | "unique" => {
            index_finding(at, table, method, out);
            return;
        }
        "foreign" => {
            foreign_finding(at, table, column, out);
            return;
        }
        _ => {}
    }
    if !COLUMN_TYPES.contains(&method) {
        return;
    }
    if has("alter") {
        out.at_token(
            rule::ALTER_COLUMN_TYPE,
            at,
            t,
            format!("`{method}('{column}')...alter()` changes `{table}.{column}` in place"),
            format!("Add a new column, write to both, backfill in batches, switch reads, then drop `{column}` later"),
        );
        if has("notNullable") {
            out.at_token(
                rule::SET_NOT_NULL,
                at,
                t,
                format!("`.notNullable().alter()` on `{table}.{column}` scans the table under an exclusive lock"),
                format!("knex.raw('ALTER TABLE {table} ADD CONSTRAINT {table}_{column}_not_null CHECK ({column} IS NOT NULL) NOT VALID')\n// later migration:\nknex.raw('ALTER TABLE {table} VALIDATE CONSTRAINT {table}_{column}_not_null')\n// then .notNullable().alter() (PostgreSQL 12+ skips the scan)"),
            );
        }
        return;
    }
    // `.defaultTo(null)` is no default at all.
    let has_default = links.iter().any(|(i, link)| {
        tokens.is_ident(*i, "defaultTo")
            && link
                .as_ref()
                .and_then(|c| c.positional(0))
                .is_some_and(|arg| call::literal(tokens, arg) != Some("null"))
    });
    if has("notNullable") && !has_default && !has("primary") && !method.contains("ncrements") {
        out.at_token(
            rule::ADD_COLUMN_NOT_NULL_NO_DEFAULT,
            at,
            t,
            format!("`{method}('{column}').notNullable()` adds a NOT NULL column to `{table}` without a default"),
            format!("table.{method}('{column}')  // nullable\n// backfill in batches, then in a later migration add a NOT VALID check, validate it, and set NOT NULL; or `.notNullable().defaultTo(<constant>)`"),
        );
    }
    let volatile_default = links.iter().any(|(i, link)| {
        tokens.is_ident(*i, "defaultTo")
            && link.as_ref().is_some_and(|c| {
                c.args.iter().any(|arg| {
                    call::value(tokens, arg)
                        .any(|t| t.kind == Kind::Str && super::calls_volatile_function(&t.text))
                        || call::value(tokens, arg)
                            .any(|t| t.kind == Kind::Ident && t.text == "uuid_generate_v4")
                })
            })
    });
    if volatile_default {
        out.at_token(
            rule::ADD_COLUMN_VOLATILE_DEFAULT,
            at,
            t,
            format!("`{method}('{column}')` on `{table}` has a volatile default, computed for every existing row"),
            format!("Add `{column}` without a default, then `ALTER TABLE {table} ALTER COLUMN {column} SET DEFAULT ...` (new rows only) and backfill existing rows in batches"),
        );
    }
    if has("index") || has("unique") {
        index_finding(at, table, method, out);
    }
    if has("references") {
        foreign_finding(at, table, column, out);
    }
}

fn index_finding(at: &super::token::Token, table: &str, method: &str, out: &mut Emitter) {
    out.at_token(
        rule::INDEX_NOT_CONCURRENT,
        at,
        Some(table),
        format!("`{method}` on `{table}` builds an index while blocking writes"),
        format!("exports.config = {{ transaction: false }};\n// in up:\nawait knex.raw('CREATE INDEX CONCURRENTLY ix_... ON {table} (...)');"),
    );
}

fn foreign_finding(at: &super::token::Token, table: &str, column: &str, out: &mut Emitter) {
    out.at_token(
        rule::FOREIGN_KEY_NOT_VALID,
        at,
        Some(table),
        format!("a foreign key on `{table}.{column}` validates every row while blocking writes on both tables"),
        format!("knex.raw('ALTER TABLE {table} ADD CONSTRAINT fk_... FOREIGN KEY ({column}) REFERENCES ... NOT VALID')\n// later migration:\nknex.raw('ALTER TABLE {table} VALIDATE CONSTRAINT fk_...')"),
    );
}
