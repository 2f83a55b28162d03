//! Rails (Active Record) migrations: `db/migrate/*.rb`.
//!
//! Calls are matched as Ruby call shapes (with or without parentheses,
//! over continued lines); `def down` and `dir.down` blocks are skipped,
//! since what a rollback does is not what the deploy does. Inside
//! `change_table :t do |t| ... end` the `t.*` calls are checked against `t`;
//! `create_table` blocks build a new, empty table and are left alone.

use super::call::{self, Call};
use super::emit::{rule, Emitter};
use super::region::{self, Ranges, RubyEnds};
use super::token::{tokenize, Kind, Lang, Token, Tokens};

const LANG: Lang = Lang::Ruby;

pub fn review(text: &str, out: &mut Emitter) {
    let tokens = tokenize(text, LANG);
    let ends = RubyEnds::new(&tokens);
    let skip = down_blocks(&tokens, &ends);
    let no_transaction = tokens
        .tokens
        .iter()
        .any(|t| t.kind == Kind::Ident && t.text == "disable_ddl_transaction!");
    for index in 0..tokens.len() {
        if tokens.is_ident(index, "create_table")
            && is_bare_call(&tokens, index)
            && !skip.contains(index)
        {
            let call = call::parse(&tokens, index, LANG);
            if let Some(table) = call
                .positional(0)
                .and_then(|arg| call::literal(&tokens, arg))
            {
                out.created_table(table);
            }
        }
    }
    let mut check = Check {
        tokens: &tokens,
        out,
        no_transaction,
    };
    for index in 0..tokens.len() {
        let known = tokens
            .get(index)
            .is_some_and(|t| TOP_LEVEL_CALLS.contains(&t.text.as_str()) || t.text == "execute");
        if !known || skip.contains(index) || !is_bare_call(&tokens, index) {
            continue;
        }
        let call = call::parse(&tokens, index, LANG);
        check.top_level(&call);
    }
    for (start, end, (table, param)) in change_table_blocks(&tokens, &ends) {
        for index in start..end {
            if skip.contains(index)
                || !tokens.is_ident(index, &param)
                || !tokens.is_punct(index + 1, ".")
                || tokens.get(index + 2).is_none_or(|t| t.kind != Kind::Ident)
            {
                continue;
            }
            let call = call::parse(&tokens, index + 2, LANG);
            check.in_change_table(&table, &call);
        }
    }
}

/// The migration methods `Check::top_level` knows.
const TOP_LEVEL_CALLS: [&str; 17] = [
    "add_column",
    "add_index",
    "add_reference",
    "add_belongs_to",
    "add_foreign_key",
    "add_check_constraint",
    "change_column",
    "change_column_null",
    "rename_column",
    "rename_table",
    "remove_column",
    "remove_columns",
    "remove_reference",
    "remove_belongs_to",
    "remove_timestamps",
    "drop_table",
    "create_table",
];

/// Literal SQL passed to `execute` outside down blocks.
pub fn embedded_sql(text: &str) -> Vec<(u32, String)> {
    let tokens = tokenize(text, LANG);
    let skip = down_blocks(&tokens, &RubyEnds::new(&tokens));
    let mut sql = Vec::new();
    for index in 0..tokens.len() {
        if skip.contains(index)
            || !is_bare_call(&tokens, index)
            || !tokens.is_ident(index, "execute")
        {
            continue;
        }
        let call = call::parse(&tokens, index, LANG);
        if let Some(string) = call
            .positional(0)
            .and_then(|arg| literal_string(&tokens, arg))
        {
            sql.push((string.body_line, string.text.clone()));
        }
    }
    sql
}

/// The argument's value when it is one uninterpolated string.
fn literal_string<'t>(tokens: &'t Tokens, arg: &call::Arg) -> Option<&'t Token> {
    let mut values = call::value(tokens, arg).filter(|t| !(t.kind == Kind::Punct && t.text == "."));
    let first = values.next()?;
    // `<<~SQL.squish` is still the literal heredoc.
    let rest_is_method = values.all(|t| t.kind == Kind::Ident);
    (first.kind == Kind::Str && !first.interpolated && rest_is_method).then_some(first)
}

/// A name token that starts a call statement: not a method on something,
/// not a `def` name, not a hash label.
fn is_bare_call(tokens: &Tokens, index: usize) -> bool {
    let is_name = tokens.get(index).is_some_and(|t| t.kind == Kind::Ident);
    let is_def_name = index > 0 && tokens.is_ident(index - 1, "def");
    let is_label = tokens.is_punct(index + 1, ":") || tokens.is_punct(index + 1, "=");
    is_name && !call::has_dot_before(tokens, index) && !is_def_name && !is_label
}

/// `def down ... end`, `def self.down ... end`, `dir.down { }` / `do end`.
fn down_blocks(tokens: &Tokens, ends: &RubyEnds) -> Ranges {
    let mut ranges = Vec::new();
    for index in 0..tokens.len() {
        if !tokens.is_ident(index, "down") {
            continue;
        }
        let def = if index >= 1 && tokens.is_ident(index - 1, "def") {
            Some(index - 1)
        } else if index >= 3 && tokens.is_punct(index - 1, ".") && tokens.is_ident(index - 3, "def")
        {
            Some(index - 3)
        } else {
            None
        };
        if let Some(def) = def {
            ranges.push((def, ends.end_of(tokens, def)));
        } else if call::has_dot_before(tokens, index) {
            if tokens.is(index + 1, Kind::Open, "{") {
                ranges.push((index, tokens.skip_group(index + 1)));
            } else if tokens.is_ident(index + 1, "do") {
                let start = region::line_start(tokens, index);
                ranges.push((index, ends.end_of(tokens, start)));
            }
        }
    }
    Ranges::new(ranges)
}

/// `change_table :t do |p| ... end` (or `{ |p| ... }`): table, block
/// parameter and token range of the body, as `(start, end, (table, param))`.
fn change_table_blocks(tokens: &Tokens, ends: &RubyEnds) -> Vec<(usize, usize, (String, String))> {
    let mut blocks = Vec::new();
    for index in 0..tokens.len() {
        if !tokens.is_ident(index, "change_table") || !is_bare_call(tokens, index) {
            continue;
        }
        let call = call::parse(tokens, index, LANG);
        let Some(table) = call
            .positional(0)
            .and_then(|arg| call::literal(tokens, arg))
        else {
            continue;
        };
        let mut open = call.end;
        if tokens.is(open, Kind::Close, ")") {
            open += 1;
        }
        let end = if tokens.is_ident(open, "do") {
            ends.end_of(tokens, region::line_start(tokens, index))
        } else if tokens.is(open, Kind::Open, "{") {
            tokens.skip_group(open)
        } else {
            continue;
        };
        if !tokens.is_punct(open + 1, "|") {
            continue;
        }
        let Some(param) = tokens.get(open + 2).filter(|t| t.kind == Kind::Ident) else {
            continue;
        };
        blocks.push((open + 3, end, (table.to_string(), param.text.clone())));
    }
    region::clip_nested(&mut blocks);
    blocks
}

/// Active Record column types that `t.<type>` accepts.
const COLUMN_TYPES: [&str; 22] = [
    "string",
    "text",
    "integer",
    "bigint",
    "float",
    "decimal",
    "numeric",
    "datetime",
    "time",
    "date",
    "binary",
    "boolean",
    "json",
    "jsonb",
    "uuid",
    "timestamp",
    "column",
    "references",
    "belongs_to",
    "timestamps",
    "inet",
    "citext",
];

struct Check<'t, 'o, 'c> {
    tokens: &'t Tokens,
    out: &'o mut Emitter<'c>,
    no_transaction: bool,
}

impl Check<'_, '_, '_> {
    fn name(&self, call: &Call, n: usize) -> Option<String> {
        call.positional(n)
            .and_then(|arg| call::literal(self.tokens, arg))
            .map(str::to_string)
    }

    /// The columns a removal drops, as the model must list them in
    /// `ignored_columns`; `first` is the position of the first column name.
    fn removed_columns(&self, call: &Call, method: &str, first: usize) -> Vec<String> {
        let name = |n: usize| self.name(call, n);
        match method {
            "remove_timestamps" => vec!["created_at".to_string(), "updated_at".to_string()],
            "remove_reference" | "remove_belongs_to" | "remove_references" => {
                let mut columns: Vec<String> =
                    name(first).map(|r| format!("{r}_id")).into_iter().collect();
                if self.kw_is(call, "polymorphic", "true") {
                    columns.extend(name(first).map(|r| format!("{r}_type")));
                }
                columns
            }
            // `remove_column :t, :c, :type` names one column; `remove_columns`
            // and `t.remove` name several.
            "remove_column" => name(first).into_iter().collect(),
            _ => (first..call.args.len()).filter_map(name).collect(),
        }
    }

    fn token(&self, call: &Call) -> Option<&Token> {
        self.tokens.get(call.name)
    }

    fn kw_is(&self, call: &Call, key: &str, value: &str) -> bool {
        call::literal_is(self.tokens, call.keyword(key), value)
    }

    fn emit(&mut self, rule: &str, call: &Call, table: Option<&str>, message: String, fix: String) {
        let Some(at) = self.tokens.get(call.name) else {
            return;
        };
        let (line, column) = (at.line, at.column);
        self.out.at(rule, line, column, table, message, fix);
    }

    fn top_level(&mut self, call: &Call) {
        let Some(name) = self.token(call).map(|t| t.text.clone()) else {
            return;
        };
        let table = self.name(call, 0);
        let t = table.as_deref();
        let tname = t.unwrap_or("table");
        match name.as_str() {
            "add_column" => {
                let column = self.name(call, 1).unwrap_or_default();
                let kind = self.name(call, 2).unwrap_or_default();
                self.add_column(
                    call,
                    t,
                    &format!("add_column :{tname}, :{column}"),
                    &column,
                    &kind,
                );
            }
            "add_index" => self.index(call, t, &format!("add_index :{tname}")),
            "add_reference" | "add_belongs_to" => {
                self.reference(call, t, &format!("{name} :{tname}"));
            }
            "add_foreign_key" => self.foreign_key(call, t, &format!("add_foreign_key :{tname}")),
            "add_check_constraint" if !self.kw_is(call, "validate", "false") => {
                self.emit(
                    rule::CONSTRAINT_NOT_VALID,
                    call,
                    t,
                    format!("`add_check_constraint :{tname}` validates every row while blocking writes"),
                    format!("`add_check_constraint :{tname}, \"...\", name: \"...\", validate: false`, then in a later migration `validate_check_constraint :{tname}, name: \"...\"`"),
                );
            }
            "change_column" => {
                let column = self.name(call, 1).unwrap_or_default();
                self.emit(
                    rule::ALTER_COLUMN_TYPE,
                    call,
                    t,
                    format!("`change_column :{tname}, :{column}` changes a column's type in place"),
                    format!("Add a new column, write to both, backfill in batches, switch reads, then drop `{column}` in a later deploy"),
                );
            }
            "change_column_null" => {
                let setting = call
                    .positional(2)
                    .and_then(|arg| call::literal(self.tokens, arg));
                if setting == Some("false") {
                    let column = self.name(call, 1).unwrap_or_default();
                    self.set_not_null(call, t, &column);
                }
            }
            "rename_column" => {
                let column = self.name(call, 1).unwrap_or_default();
                let new = self.name(call, 2).unwrap_or_default();
                self.rename_column(call, t, &column, &new);
            }
            "rename_table" => {
                let new = self.name(call, 1).unwrap_or_default();
                self.emit(
                    rule::RENAME_TABLE,
                    call,
                    t,
                    format!("`rename_table :{tname}, :{new}` renames a table running code still uses"),
                    format!("Create `{new}`, write to both (or point a view `{tname}` at `{new}` during the switch), move reads, then drop `{tname}` in a later deploy"),
                );
            }
            "remove_column" | "remove_columns" | "remove_reference" | "remove_belongs_to"
            | "remove_timestamps" => {
                let columns = self.removed_columns(call, &name, 1);
                self.remove_column(call, t, &name, &columns);
            }
            "drop_table" => {
                self.emit(
                    rule::DROP_TABLE,
                    call,
                    t,
                    format!("`drop_table :{tname}` drops a table and its data"),
                    format!("Remove every read and write of `{tname}` and deploy first; drop it in a later migration after a backup"),
                );
            }
            "create_table" => {
                let id = call
                    .keyword("id")
                    .and_then(|arg| call::literal(self.tokens, arg));
                if matches!(id, Some("integer" | "serial" | "int")) {
                    self.emit(
                        rule::INTEGER_PRIMARY_KEY,
                        call,
                        t,
                        format!(
                            "`create_table :{tname}, id: :{}` makes a 32-bit primary key",
                            id.unwrap_or("integer")
                        ),
                        format!(
                            "`create_table :{tname}, id: :bigint` (the default since Rails 5.1)"
                        ),
                    );
                }
            }
            "execute" => {
                let literal = call
                    .positional(0)
                    .and_then(|arg| literal_string(self.tokens, arg))
                    .is_some();
                if !literal && !call.args.is_empty() {
                    self.emit(
                        rule::RAW_SQL_NOT_REVIEWABLE,
                        call,
                        None,
                        "`execute` runs SQL built at run time".to_string(),
                        "Write the statement as a literal heredoc (`execute <<~SQL ... SQL`) so it can be reviewed".to_string(),
                    );
                }
            }
            _ => {}
        }
    }

    fn in_change_table(&mut self, table: &str, call: &Call) {
        let Some(method) = self.token(call).map(|t| t.text.clone()) else {
            return;
        };
        let t = Some(table);
        match method.as_str() {
            "remove" | "remove_references" | "remove_belongs_to" | "remove_timestamps" => {
                let columns = self.removed_columns(call, &method, 0);
                self.remove_column(call, t, &format!("t.{method}"), &columns);
            }
            "rename" => {
                let column = self.name(call, 0).unwrap_or_default();
                let new = self.name(call, 1).unwrap_or_default();
                self.rename_column(call, t, &column, &new);
            }
            "index" => self.index(call, t, &format!("t.index (on {table})")),
            "change" => {
                let column = self.name(call, 0).unwrap_or_default();
                self.emit(
                    rule::ALTER_COLUMN_TYPE,
                    call,
                    t,
                    format!("`t.change :{column}` on `{table}` changes a column's type in place"),
                    format!("Add a new column, write to both, backfill in batches, switch reads, then drop `{column}` in a later deploy"),
                );
            }
            "change_null" => {
                let column = self.name(call, 0).unwrap_or_default();
                if call::literal_is(self.tokens, call.positional(1), "false") {
                    self.set_not_null(call, t, &column);
                }
            }
            "references" | "belongs_to" => {
                self.reference(call, t, &format!("t.{method} (on {table})"));
            }
            "foreign_key" => self.foreign_key(call, t, &format!("t.foreign_key (on {table})")),
            "column" => {
                let column = self.name(call, 0).unwrap_or_default();
                let kind = self.name(call, 1).unwrap_or_default();
                self.add_column(
                    call,
                    t,
                    &format!("t.column :{column} (on {table})"),
                    &column,
                    &kind,
                );
            }
            other if COLUMN_TYPES.contains(&other) => {
                let column = self.name(call, 0).unwrap_or_default();
                self.add_column(
                    call,
                    t,
                    &format!("t.{other} :{column} (on {table})"),
                    &column,
                    other,
                );
            }
            _ => {}
        }
    }

    fn add_column(&mut self, call: &Call, t: Option<&str>, shown: &str, column: &str, kind: &str) {
        let tname = t.unwrap_or("table");
        // `default: nil` is no default at all.
        let default = call
            .keyword("default")
            .filter(|arg| call::literal(self.tokens, arg) != Some("nil"));
        if self.kw_is(call, "null", "false") && default.is_none() {
            self.emit(
                rule::ADD_COLUMN_NOT_NULL_NO_DEFAULT,
                call,
                t,
                format!("`{shown}` adds a NOT NULL column without a default"),
                format!("Add it nullable (`add_column :{tname}, :{column}, :{kind}`), backfill in batches, then `add_check_constraint :{tname}, \"{column} IS NOT NULL\", name: \"{tname}_{column}_null\", validate: false`, `validate_check_constraint` and `change_column_null :{tname}, :{column}, false` in a later migration; or give it a constant `default:`"),
            );
        }
        if let Some(default) = default {
            let is_lambda = call::value(self.tokens, default).next().is_some_and(|t| {
                (t.kind == Kind::Punct && t.text == "->") || t.text == "lambda" || t.text == "proc"
            });
            let volatile = is_lambda
                && call::value(self.tokens, default)
                    .any(|t| t.kind == Kind::Str && super::calls_volatile_function(&t.text));
            if volatile {
                self.emit(
                    rule::ADD_COLUMN_VOLATILE_DEFAULT,
                    call,
                    t,
                    format!("`{shown}` has a volatile default, computed for every existing row"),
                    format!("Add `{column}` without a default, then `change_column_default :{tname}, :{column}, -> {{ \"...\" }}` (applies to new rows only) and backfill existing rows in batches"),
                );
            }
        }
        if matches!(kind, "integer" | "int") && self.kw_is(call, "primary_key", "true") {
            self.emit(
                rule::INTEGER_PRIMARY_KEY,
                call,
                t,
                format!("`{shown}` makes a 32-bit primary key"),
                format!("Use `:bigint` for `{column}`"),
            );
        }
        if matches!(kind, "references" | "belongs_to") {
            self.reference(call, t, shown);
        }
    }

    fn index(&mut self, call: &Call, t: Option<&str>, shown: &str) {
        let tname = t.unwrap_or("table");
        if self.kw_is(call, "algorithm", "concurrently") {
            if !self.no_transaction {
                self.emit(
                    rule::CONCURRENT_INDEX_IN_TRANSACTION,
                    call,
                    t,
                    format!("`{shown}` uses algorithm: :concurrently but the migration runs in a transaction"),
                    "Add `disable_ddl_transaction!` to the migration class".to_string(),
                );
            }
            return;
        }
        self.emit(
            rule::INDEX_NOT_CONCURRENT,
            call,
            t,
            format!("`{shown}` builds an index without algorithm: :concurrently"),
            format!("`disable_ddl_transaction!` in the class and `add_index :{tname}, ..., algorithm: :concurrently`"),
        );
    }

    /// `add_reference` adds an index (by default) and maybe a foreign key.
    fn reference(&mut self, call: &Call, t: Option<&str>, shown: &str) {
        let tname = t.unwrap_or("table");
        let index = call.keyword("index");
        let index_off = call::literal_is(self.tokens, index, "false");
        if !index_off {
            let concurrent = index.is_some_and(|arg| {
                call::any_keyword_value(
                    self.tokens,
                    arg.start,
                    arg.end,
                    "algorithm",
                    "concurrently",
                )
            });
            if !concurrent {
                self.emit(
                    rule::INDEX_NOT_CONCURRENT,
                    call,
                    t,
                    format!("`{shown}` builds an index without algorithm: :concurrently"),
                    format!("`disable_ddl_transaction!` and `add_reference :{tname}, ..., index: {{algorithm: :concurrently}}`"),
                );
            } else if !self.no_transaction {
                self.emit(
                    rule::CONCURRENT_INDEX_IN_TRANSACTION,
                    call,
                    t,
                    format!("`{shown}` builds its index concurrently but the migration runs in a transaction"),
                    "Add `disable_ddl_transaction!` to the migration class".to_string(),
                );
            }
        }
        if let Some(fk) = call.keyword("foreign_key") {
            let off = call::literal_is(self.tokens, Some(fk), "false");
            let not_valid =
                call::any_keyword_value(self.tokens, fk.start, fk.end, "validate", "false");
            if !off && !not_valid {
                self.emit(
                    rule::FOREIGN_KEY_NOT_VALID,
                    call,
                    t,
                    format!("`{shown}` adds a foreign key that is validated at once"),
                    format!("`add_reference :{tname}, ..., foreign_key: {{validate: false}}`, then `validate_foreign_key :{tname}, ...` in a later migration"),
                );
            }
        }
        let has_default = call
            .keyword("default")
            .is_some_and(|arg| call::literal(self.tokens, arg) != Some("nil"));
        if self.kw_is(call, "null", "false") && !has_default {
            self.emit(
                rule::ADD_COLUMN_NOT_NULL_NO_DEFAULT,
                call,
                t,
                format!("`{shown}` adds a NOT NULL reference column without a default"),
                format!("Add it nullable, backfill, then add `\"..._id IS NOT NULL\"` as a check constraint with `validate: false` on {tname} and validate it in a later migration"),
            );
        }
    }

    fn foreign_key(&mut self, call: &Call, t: Option<&str>, shown: &str) {
        if self.kw_is(call, "validate", "false") {
            return;
        }
        let tname = t.unwrap_or("table");
        let to = self.name(call, 1).unwrap_or_default();
        self.emit(
            rule::FOREIGN_KEY_NOT_VALID,
            call,
            t,
            format!("`{shown}` adds a foreign key that is validated at once"),
            format!("`add_foreign_key :{tname}, :{to}, validate: false`, then in a separate migration `validate_foreign_key :{tname}, :{to}`"),
        );
    }

    fn set_not_null(&mut self, call: &Call, t: Option<&str>, column: &str) {
        let tname = t.unwrap_or("table");
        self.emit(
            rule::SET_NOT_NULL,
            call,
            t,
            format!("`change_column_null :{tname}, :{column}, false` scans the table under an exclusive lock"),
            format!("`add_check_constraint :{tname}, \"{column} IS NOT NULL\", name: \"{tname}_{column}_null\", validate: false`; in a later migration `validate_check_constraint :{tname}, name: \"{tname}_{column}_null\"`, then `change_column_null :{tname}, :{column}, false` (PostgreSQL 12+ skips the scan) and drop the check"),
        );
    }

    fn rename_column(&mut self, call: &Call, t: Option<&str>, column: &str, new: &str) {
        let tname = t.unwrap_or("table");
        self.emit(
            rule::RENAME_COLUMN,
            call,
            t,
            format!("renaming `{tname}.{column}` to `{new}` breaks code that is still running"),
            format!("Add `{new}`, write to both, backfill, switch reads, then remove `{column}` (with `ignored_columns`) in a later deploy"),
        );
    }

    fn remove_column(&mut self, call: &Call, t: Option<&str>, shown: &str, columns: &[String]) {
        let tname = t.unwrap_or("table");
        let list = columns
            .iter()
            .map(|c| format!("\"{c}\""))
            .collect::<Vec<_>>()
            .join(", ");
        self.emit(
            rule::REMOVE_COLUMN_WITHOUT_IGNORED_COLUMNS,
            call,
            t,
            format!("`{shown}` on `{tname}` removes [{list}]: the model must ignore them first"),
            format!("Deploy `self.ignored_columns += [{list}]` in the model for `{tname}` first, then remove the column in a later deploy"),
        );
    }
}
