//! Alembic migrations: `versions/*.py` with `op.*` calls.
//!
//! `def downgrade()` is skipped. Calls on a batch receiver
//! (`with op.batch_alter_table("t") as batch_op:`) take their table from
//! the `with`, so their arguments shift left by one.

use std::collections::BTreeMap;

use super::call::{self, Call};
use super::emit::{rule, Emitter};
use super::region::{PythonBlocks, Ranges};
use super::token::{tokenize, Kind, Lang, Tokens};

const LANG: Lang = Lang::Python;

struct Context {
    skip: Ranges,
    autocommit: Ranges,
    /// Batch receiver name → table.
    batches: BTreeMap<String, String>,
}

fn context(tokens: &Tokens) -> Context {
    let blocks = PythonBlocks::new(tokens);
    let mut skip = Vec::new();
    let mut autocommit = Vec::new();
    let mut batches = BTreeMap::new();
    for index in 0..tokens.len() {
        if tokens.is_ident(index, "def") && tokens.is_ident(index + 1, "downgrade") {
            skip.push((index, blocks.end_of(index)));
        }
        if tokens.is_ident(index, "with") {
            // Scan the `with` header (to its `:` at bracket depth 0).
            let mut cursor = index + 1;
            let mut header_end = tokens.len();
            while let Some(token) = tokens.get(cursor) {
                if token.kind == Kind::Open {
                    cursor = tokens.skip_group(cursor);
                    continue;
                }
                if token.kind == Kind::Punct && token.text == ":" {
                    header_end = cursor;
                    break;
                }
                // A header is a dozen tokens; stopping at the next `with`
                // keeps a file of a million `with`s linear.
                if cursor > index + 64 || tokens.is_ident(cursor, "with") {
                    header_end = cursor;
                    break;
                }
                cursor += 1;
            }
            let header = index..header_end.min(tokens.len());
            if header
                .clone()
                .any(|i| tokens.is_ident(i, "autocommit_block"))
            {
                autocommit.push((index, blocks.end_of(index)));
            }
            if let Some(batch) = header
                .clone()
                .find(|&i| tokens.is_ident(i, "batch_alter_table"))
            {
                let call = call::parse(tokens, batch, LANG);
                let table = call
                    .keyword("table_name")
                    .or_else(|| call.positional(0))
                    .and_then(|arg| call::first_name(tokens, arg));
                let alias = header
                    .clone()
                    .find(|&i| tokens.is_ident(i, "as"))
                    .and_then(|i| tokens.get(i + 1))
                    .filter(|t| t.kind == Kind::Ident);
                if let (Some(table), Some(alias)) = (table, alias) {
                    batches.insert(alias.text.clone(), table.to_string());
                }
            }
        }
    }
    Context {
        skip: Ranges::new(skip),
        autocommit: Ranges::new(autocommit),
        batches,
    }
}

pub fn review(text: &str, out: &mut Emitter) {
    let tokens = tokenize(text, LANG);
    let context = context(&tokens);
    for index in 0..tokens.len() {
        if tokens.is_ident(index, "create_table")
            && call::receiver(&tokens, index) == Some("op")
            && !context.skip.contains(index)
        {
            let call = call::parse(&tokens, index, LANG);
            let table = call
                .keyword("table_name")
                .or_else(|| call.positional(0))
                .and_then(|arg| call::first_name(&tokens, arg));
            if let Some(table) = table {
                out.created_table(table);
            }
        }
    }
    let mut check = Check {
        tokens: &tokens,
        out,
    };
    for index in 0..tokens.len() {
        if context.skip.contains(index) || !tokens.is(index + 1, Kind::Open, "(") {
            continue;
        }
        let Some(receiver) = call::receiver(&tokens, index) else {
            continue;
        };
        let batch_table = if receiver == "op" {
            None
        } else if let Some(table) = context.batches.get(receiver) {
            Some(table.clone())
        } else {
            continue;
        };
        let call = call::parse(&tokens, index, LANG);
        let autocommit = context.autocommit.contains(index);
        check.operation(&call, batch_table.as_deref(), autocommit);
    }
}

/// Literal SQL passed to `op.execute("...")` or `op.execute(sa.text("..."))`
/// in `upgrade()`.
pub fn embedded_sql(text: &str) -> Vec<(u32, String)> {
    let tokens = tokenize(text, LANG);
    let context = context(&tokens);
    let mut sql = Vec::new();
    for index in 0..tokens.len() {
        if context.skip.contains(index)
            || !tokens.is_ident(index, "execute")
            || call::receiver(&tokens, index) != Some("op")
        {
            continue;
        }
        let call = call::parse(&tokens, index, LANG);
        let Some(arg) = call.keyword("sqltext").or_else(|| call.positional(0)) else {
            continue;
        };
        if let Some(string) = call::value(&tokens, arg).find(|t| t.kind == Kind::Str) {
            if !string.interpolated {
                sql.push((string.body_line, string.text.clone()));
            }
        }
    }
    sql
}

struct Check<'t, 'o, 'c> {
    tokens: &'t Tokens,
    out: &'o mut Emitter<'c>,
}

impl Check<'_, '_, '_> {
    /// Positional argument `n` of the `op.` form; on a batch receiver the
    /// table argument is absent, so `n` shifts by one when `n > table_at`.
    fn name(
        &self,
        call: &Call,
        key: &str,
        n: usize,
        batch: bool,
        table_at: usize,
    ) -> Option<String> {
        let position = if batch && n > table_at { n - 1 } else { n };
        call.keyword(key)
            .or_else(|| call.positional(position))
            .and_then(|arg| call::first_name(self.tokens, arg))
            .map(str::to_string)
    }

    fn kw_true(&self, call: &Call, key: &str) -> bool {
        call::literal_is(self.tokens, call.keyword(key), "True")
    }

    fn emit(&mut self, rule: &str, call: &Call, table: Option<&str>, message: String, fix: String) {
        let Some(at) = self.tokens.get(call.name) else {
            return;
        };
        let (line, column) = (at.line, at.column);
        self.out.at(rule, line, column, table, message, fix);
    }

    fn operation(&mut self, call: &Call, batch_table: Option<&str>, autocommit: bool) {
        let Some(name) = self.tokens.get(call.name).map(|t| t.text.clone()) else {
            return;
        };
        let batch = batch_table.is_some();
        // Where the table sits among positional arguments for each op.
        let table_at = match name.as_str() {
            "create_index"
            | "create_foreign_key"
            | "create_unique_constraint"
            | "create_check_constraint" => 1,
            _ => 0,
        };
        let table = match batch_table {
            Some(table) => Some(table.to_string()),
            None => self.name(call, "table_name", table_at, false, table_at),
        };
        // `schema="billing"` qualifies the table, as `table_sizes` may.
        let schema = call
            .keyword("schema")
            .and_then(|arg| call::first_name(self.tokens, arg));
        let table = match (schema, table) {
            (Some(schema), Some(table)) if !table.contains('.') => {
                Some(format!("{schema}.{table}"))
            }
            (_, table) => table,
        };
        let t = table.as_deref();
        let tname = t.unwrap_or("table");
        match name.as_str() {
            "add_column" => self.add_column(call, t, batch),
            "create_index" => {
                let concurrent = self.kw_true(call, "postgresql_concurrently");
                if !concurrent {
                    self.emit(
                        rule::INDEX_NOT_CONCURRENT,
                        call,
                        t,
                        format!("`op.create_index` on `{tname}` builds an index while blocking writes"),
                        format!("with op.get_context().autocommit_block():\n    op.create_index(\"ix_...\", \"{tname}\", [...], postgresql_concurrently=True)"),
                    );
                } else if !autocommit {
                    self.emit(
                        rule::CONCURRENT_INDEX_IN_TRANSACTION,
                        call,
                        t,
                        format!("`op.create_index(..., postgresql_concurrently=True)` on `{tname}` runs inside the migration's transaction"),
                        "Wrap it: `with op.get_context().autocommit_block():`".to_string(),
                    );
                }
            }
            "alter_column" => {
                let column = self
                    .name(call, "column_name", 1, batch, 0)
                    .unwrap_or_default();
                if call.has_keyword("type_") {
                    self.emit(
                        rule::ALTER_COLUMN_TYPE,
                        call,
                        t,
                        format!("`op.alter_column(\"{tname}\", \"{column}\", type_=...)` changes a column's type in place"),
                        format!("Add a new column, write to both, backfill in batches, switch reads, then drop `{column}` in a later migration"),
                    );
                }
                if call::literal_is(self.tokens, call.keyword("nullable"), "False") {
                    self.emit(
                        rule::SET_NOT_NULL,
                        call,
                        t,
                        format!("`op.alter_column(\"{tname}\", \"{column}\", nullable=False)` scans the table under an exclusive lock"),
                        format!("op.create_check_constraint(\"{tname}_{column}_not_null\", \"{tname}\", \"{column} IS NOT NULL\", postgresql_not_valid=True)\n# later migration:\nop.execute('ALTER TABLE {tname} VALIDATE CONSTRAINT {tname}_{column}_not_null')\nop.alter_column(\"{tname}\", \"{column}\", nullable=False)  # PostgreSQL 12+ skips the scan"),
                    );
                }
                if let Some(new) = call
                    .keyword("new_column_name")
                    .and_then(|arg| call::first_name(self.tokens, arg))
                {
                    self.emit(
                        rule::RENAME_COLUMN,
                        call,
                        t,
                        format!("renaming `{tname}.{column}` to `{new}` breaks code that is still running"),
                        format!("Add `{new}`, write to both, backfill, switch reads, then drop `{column}` in a later migration"),
                    );
                }
            }
            "drop_column" => {
                let column = self
                    .name(call, "column_name", 1, batch, 0)
                    .unwrap_or_default();
                self.emit(
                    rule::DROP_COLUMN,
                    call,
                    t,
                    format!("`op.drop_column` drops `{tname}.{column}` while running code may still select it"),
                    format!("Remove `{column}` from the model (SQLAlchemy selects every mapped column) and deploy first; drop it in a later migration"),
                );
            }
            "drop_table" => {
                self.emit(
                    rule::DROP_TABLE,
                    call,
                    t,
                    format!("`op.drop_table(\"{tname}\")` drops a table and its data"),
                    format!("Remove every use of `{tname}` and deploy first; drop it in a later migration after a backup"),
                );
            }
            "rename_table" => {
                let new = self
                    .name(call, "new_table_name", 1, false, 0)
                    .unwrap_or_default();
                self.emit(
                    rule::RENAME_TABLE,
                    call,
                    t,
                    format!("`op.rename_table(\"{tname}\", \"{new}\")` renames a table running code still uses"),
                    format!("Create `{new}`, write to both (or point a view `{tname}` at `{new}` during the switch), move reads, then drop `{tname}` later"),
                );
            }
            "create_foreign_key" if !self.kw_true(call, "postgresql_not_valid") => {
                self.emit(
                    rule::FOREIGN_KEY_NOT_VALID,
                    call,
                    t,
                    format!("`op.create_foreign_key` on `{tname}` validates every row while blocking writes on both tables"),
                    format!("op.create_foreign_key(\"fk_...\", \"{tname}\", \"...\", [...], [...], postgresql_not_valid=True)\n# later migration:\nop.execute('ALTER TABLE {tname} VALIDATE CONSTRAINT fk_...')"),
                );
            }
            "create_check_constraint" if !self.kw_true(call, "postgresql_not_valid") => {
                self.emit(
                    rule::CONSTRAINT_NOT_VALID,
                    call,
                    t,
                    format!("`op.create_check_constraint` on `{tname}` validates every row while blocking writes"),
                    format!("op.create_check_constraint(\"ck_...\", \"{tname}\", \"...\", postgresql_not_valid=True)\n# later migration:\nop.execute('ALTER TABLE {tname} VALIDATE CONSTRAINT ck_...')"),
                );
            }
            "create_unique_constraint" => {
                self.emit(
                    rule::ADD_UNIQUE_CONSTRAINT,
                    call,
                    t,
                    format!("`op.create_unique_constraint` on `{tname}` builds an index while blocking writes"),
                    format!("with op.get_context().autocommit_block():\n    op.create_index(\"uq_...\", \"{tname}\", [...], unique=True, postgresql_concurrently=True)\nop.execute('ALTER TABLE {tname} ADD CONSTRAINT uq_... UNIQUE USING INDEX uq_...')"),
                );
            }
            "execute" => {
                let interpolated = call.positional(0).is_some_and(|arg| {
                    !call::value(self.tokens, arg).any(|t| t.kind == Kind::Str && !t.interpolated)
                });
                if interpolated {
                    self.emit(
                        rule::RAW_SQL_NOT_REVIEWABLE,
                        call,
                        None,
                        "`op.execute` runs SQL built at run time".to_string(),
                        "Write the statement as a literal string so it can be reviewed".to_string(),
                    );
                }
            }
            _ => {}
        }
    }

    fn add_column(&mut self, call: &Call, t: Option<&str>, batch: bool) {
        let tname = t.unwrap_or("table");
        let column_arg = call
            .keyword("column")
            .or_else(|| call.positional(if batch { 0 } else { 1 }));
        let Some(column) = column_arg.and_then(|arg| call::inner_call(self.tokens, arg, LANG))
        else {
            return;
        };
        let column_name = column
            .positional(0)
            .and_then(|arg| call::first_name(self.tokens, arg))
            .unwrap_or_default()
            .to_string();
        let not_null = call::literal_is(self.tokens, column.keyword("nullable"), "False");
        let primary = call::literal_is(self.tokens, column.keyword("primary_key"), "True");
        let server_default = column
            .keyword("server_default")
            .filter(|arg| call::literal(self.tokens, arg) != Some("None"));
        if (not_null || primary) && server_default.is_none() {
            self.emit(
                rule::ADD_COLUMN_NOT_NULL_NO_DEFAULT,
                call,
                t,
                format!("`op.add_column` adds NOT NULL `{tname}.{column_name}` without a server_default"),
                format!("op.add_column(\"{tname}\", sa.Column(\"{column_name}\", ..., nullable=True))\n# backfill in batches, then in a later migration:\nop.alter_column(\"{tname}\", \"{column_name}\", nullable=False)  # after a NOT VALID check constraint is validated\n# or give it a constant server_default=..."),
            );
        }
        if let Some(default) = server_default {
            let volatile = call::value(self.tokens, default)
                .any(|t| t.kind == Kind::Str && super::calls_volatile_function(&t.text));
            if volatile {
                self.emit(
                    rule::ADD_COLUMN_VOLATILE_DEFAULT,
                    call,
                    t,
                    format!("`op.add_column` gives `{tname}.{column_name}` a volatile server_default, computed for every existing row"),
                    format!("Add `{column_name}` without server_default, then `op.alter_column(\"{tname}\", \"{column_name}\", server_default=...)` (new rows only) and backfill existing rows in batches"),
                );
            }
        }
    }
}
