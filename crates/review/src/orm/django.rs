//! Django migrations: `<app>/migrations/NNNN_*.py`.
//!
//! Operations are matched by name followed by `(`, whether written
//! `migrations.AddField(...)` or imported bare (`AddIndexConcurrently`).
//! The table is `<app>_<model>`, Django's default `db_table`; a model with
//! a custom `db_table` gets the default name (the migration does not say).

use super::call::{self, Call};
use super::emit::{rule, Emitter};
use super::region::Ranges;
use super::token::{tokenize, Kind, Lang, Tokens};

const LANG: Lang = Lang::Python;

pub fn review(path: &str, text: &str, out: &mut Emitter) {
    review_tokens(path, &tokenize(text, LANG), out);
}

/// [`review`] of a migration already tokenized.
pub(crate) fn review_tokens(path: &str, tokens: &Tokens, out: &mut Emitter) {
    let app = app_label(path);
    let non_atomic = (0..tokens.len()).any(|index| {
        tokens.is_ident(index, "atomic")
            && tokens.is_punct(index + 1, "=")
            && tokens.is_ident(index + 2, "False")
    });
    let state_only = state_only_operations(tokens);
    if let Some(app) = app.as_deref() {
        for index in 0..tokens.len() {
            if tokens.is_ident(index, "CreateModel") && tokens.is(index + 1, Kind::Open, "(") {
                let call = call::parse(tokens, index, LANG);
                let model = call
                    .keyword("name")
                    .or_else(|| call.positional(0))
                    .and_then(|arg| call::first_name(tokens, arg));
                if let Some(model) = model {
                    out.created_table(&format!("{app}_{}", model.to_ascii_lowercase()));
                }
            }
        }
    }
    let mut check = Check {
        tokens,
        out,
        app,
        non_atomic,
    };
    for index in 0..tokens.len() {
        if state_only.contains(index) {
            continue;
        }
        let Some(token) = tokens.get(index) else {
            break;
        };
        if token.kind != Kind::Ident || !tokens.is(index + 1, Kind::Open, "(") {
            continue;
        }
        if index > 0 && tokens.is_ident(index - 1, "class") {
            continue;
        }
        let name = token.text.clone();
        if OPERATIONS.contains(&name.as_str()) {
            let call = call::parse(tokens, index, LANG);
            check.operation(&name, &call);
        }
    }
}

/// `SeparateDatabaseAndState(state_operations=[...])`: operations that
/// change Django's model state only, never the database — the safe way to
/// drop a field from code before dropping its column.
fn state_only_operations(tokens: &Tokens) -> Ranges {
    let mut ranges = Vec::new();
    for index in 0..tokens.len() {
        if !tokens.is_ident(index, "SeparateDatabaseAndState")
            || !tokens.is(index + 1, Kind::Open, "(")
        {
            continue;
        }
        let call = call::parse(tokens, index, LANG);
        if let Some(arg) = call
            .keyword("state_operations")
            .or_else(|| call.positional(1))
        {
            ranges.push((arg.start, arg.end));
        }
    }
    Ranges::new(ranges)
}

/// The SQL of `RunSQL(sql, ...)`: a literal string or a list of them.
pub fn embedded_sql(text: &str) -> Vec<(u32, String)> {
    embedded_sql_tokens(&tokenize(text, LANG))
}

/// [`embedded_sql`] of a migration already tokenized.
pub(crate) fn embedded_sql_tokens(tokens: &Tokens) -> Vec<(u32, String)> {
    let mut sql = Vec::new();
    for index in 0..tokens.len() {
        if !tokens.is_ident(index, "RunSQL") || !tokens.is(index + 1, Kind::Open, "(") {
            continue;
        }
        let call = call::parse(tokens, index, LANG);
        let Some(arg) = call.keyword("sql").or_else(|| call.positional(0)) else {
            continue;
        };
        for token in call::value(tokens, arg) {
            if token.kind == Kind::Str && !token.interpolated {
                sql.push((token.body_line, token.text.clone()));
            }
        }
    }
    sql
}

const OPERATIONS: [&str; 15] = [
    "AddField",
    "AlterField",
    "RenameField",
    "RenameModel",
    "RemoveField",
    "DeleteModel",
    "RunPython",
    "RunSQL",
    "AddIndex",
    "AddIndexConcurrently",
    "RemoveIndexConcurrently",
    "AddConstraint",
    "AddConstraintNotValid",
    "AlterUniqueTogether",
    "AlterIndexTogether",
];

/// `shop/migrations/0002_x.py` → `shop`.
fn app_label(path: &str) -> Option<String> {
    let path = path.replace('\\', "/");
    let parts: Vec<&str> = path.split('/').filter(|p| !p.is_empty()).collect();
    let at = parts.iter().rposition(|part| *part == "migrations")?;
    at.checked_sub(1)
        .and_then(|app| parts.get(app))
        .map(|app| app.to_string())
}

struct Check<'t, 'o, 'c> {
    tokens: &'t Tokens,
    out: &'o mut Emitter<'c>,
    app: Option<String>,
    non_atomic: bool,
}

impl Check<'_, '_, '_> {
    /// A keyword argument or the `n`th positional one, as a literal.
    fn arg(&self, call: &Call, key: &str, n: usize) -> Option<String> {
        call.keyword(key)
            .or_else(|| call.positional(n))
            .and_then(|arg| call::first_name(self.tokens, arg))
            .map(str::to_string)
    }

    fn table(&self, model: &str) -> Option<String> {
        let app = self.app.as_deref()?;
        Some(format!("{app}_{}", model.to_ascii_lowercase()))
    }

    fn emit(&mut self, rule: &str, call: &Call, table: Option<&str>, message: String, fix: String) {
        let Some(at) = self.tokens.get(call.name) else {
            return;
        };
        let (line, column) = (at.line, at.column);
        self.out.at(rule, line, column, table, message, fix);
    }

    fn operation(&mut self, name: &str, call: &Call) {
        let model = self.arg(call, "model_name", 0).unwrap_or_default();
        let table = self.table(&model);
        let t = table.as_deref();
        let field = self.arg(call, "name", 1).unwrap_or_default();
        match name {
            "AddField" => self.add_field(call, t, &model, &field),
            "AlterField" => {
                self.emit(
                    rule::ALTER_COLUMN_TYPE,
                    call,
                    t,
                    format!("AlterField `{model}.{field}` may change the column's type or nullability in place"),
                    format!("If the type changes: add a new field, write to both, backfill in batches, switch reads, remove `{field}` later. If it becomes NOT NULL: `AddConstraintNotValid(model_name=\"{model}\", constraint=models.CheckConstraint(check=Q({field}__isnull=False), name=\"{field}_not_null\"))`, then `ValidateConstraint` in a later migration, then the AlterField"),
                );
                self.field_unique(call, t, &model, &field);
            }
            "RenameField" => {
                let new = self.arg(call, "new_name", 2).unwrap_or_default();
                let old = self.arg(call, "old_name", 1).unwrap_or_default();
                self.emit(
                    rule::RENAME_COLUMN,
                    call,
                    t,
                    format!("RenameField `{model}.{old}` → `{new}` breaks code that is still running"),
                    format!("Add `{new}`, write to both, backfill, switch reads, remove `{old}` in a later deploy; or keep the column with `db_column=\"{old}\"` on the renamed field"),
                );
            }
            "RenameModel" => {
                let old = self.arg(call, "old_name", 0).unwrap_or_default();
                let new = self.arg(call, "new_name", 1).unwrap_or_default();
                let table = self.table(&old);
                self.emit(
                    rule::RENAME_TABLE,
                    call,
                    table.as_deref(),
                    format!("RenameModel `{old}` → `{new}` renames the table under running code"),
                    format!("Keep the table: set `db_table = \"{}\"` in `{new}`'s Meta so the rename is code-only", table.as_deref().unwrap_or("old_table")),
                );
            }
            "RemoveField" => {
                self.emit(
                    rule::DROP_COLUMN,
                    call,
                    t,
                    format!("RemoveField `{model}.{field}` drops a column running code still selects"),
                    format!("First deploy the model without `{field}` while keeping the column (`SeparateDatabaseAndState(state_operations=[RemoveField(...)])`), then drop the column in a later migration"),
                );
            }
            "DeleteModel" => {
                let model = self.arg(call, "name", 0).unwrap_or_default();
                let table = self.table(&model);
                self.emit(
                    rule::DROP_TABLE,
                    call,
                    table.as_deref(),
                    format!("DeleteModel `{model}` drops a table and its data"),
                    "Remove every use of the model and deploy first (`SeparateDatabaseAndState`), drop the table in a later migration after a backup".to_string(),
                );
            }
            "RunPython" => {
                let reverse = call.keyword("reverse_code").or_else(|| call.positional(1));
                let missing = reverse.is_none() || call::literal_is(self.tokens, reverse, "None");
                if missing {
                    self.emit(
                        rule::RUN_PYTHON_WITHOUT_REVERSE,
                        call,
                        None,
                        "RunPython has no reverse_code, so this migration cannot be rolled back".to_string(),
                        "`migrations.RunPython(forwards, reverse_code=backwards)`, or `reverse_code=migrations.RunPython.noop` when undoing needs nothing; batch the updates (`.iterator()` and `bulk_update` in chunks)".to_string(),
                    );
                }
            }
            "RunSQL" => {
                let reverse = call.keyword("reverse_sql").or_else(|| call.positional(1));
                if reverse.is_none() || call::literal_is(self.tokens, reverse, "None") {
                    self.emit(
                        rule::RUN_SQL_WITHOUT_REVERSE,
                        call,
                        None,
                        "RunSQL has no reverse_sql, so this migration cannot be rolled back".to_string(),
                        "`migrations.RunSQL(sql, reverse_sql=\"...\")`, or `reverse_sql=migrations.RunSQL.noop`".to_string(),
                    );
                }
                let interpolated = call
                    .keyword("sql")
                    .or_else(|| call.positional(0))
                    .is_some_and(|arg| {
                        call::value(self.tokens, arg).any(|t| t.kind == Kind::Str && t.interpolated)
                    });
                if interpolated {
                    self.emit(
                        rule::RAW_SQL_NOT_REVIEWABLE,
                        call,
                        None,
                        "RunSQL runs an f-string built at run time".to_string(),
                        "Write the statement as a literal string so it can be reviewed".to_string(),
                    );
                }
            }
            "AddIndex" | "AlterIndexTogether" => {
                self.emit(
                    rule::INDEX_NOT_CONCURRENT,
                    call,
                    t,
                    format!("{name} on `{model}` builds an index while blocking writes"),
                    "`from django.contrib.postgres.operations import AddIndexConcurrently`; use `AddIndexConcurrently(model_name=..., index=...)` and set `atomic = False` on the Migration".to_string(),
                );
            }
            "AddIndexConcurrently" | "RemoveIndexConcurrently" if !self.non_atomic => {
                self.emit(
                    rule::CONCURRENT_INDEX_IN_TRANSACTION,
                    call,
                    t,
                    format!("{name} needs a non-atomic migration"),
                    "Set `atomic = False` on the Migration class".to_string(),
                );
            }
            "AddConstraint" => self.add_constraint(call, t, &model),
            "AlterUniqueTogether" => {
                let model = self.arg(call, "name", 0).unwrap_or_default();
                let table = self.table(&model);
                self.emit(
                    rule::ADD_UNIQUE_CONSTRAINT,
                    call,
                    table.as_deref(),
                    format!("AlterUniqueTogether on `{model}` builds a unique index while blocking writes"),
                    "RunSQL `CREATE UNIQUE INDEX CONCURRENTLY ...` in a non-atomic migration (`atomic = False`), then attach it with `ALTER TABLE ... ADD CONSTRAINT ... UNIQUE USING INDEX ...` inside `SeparateDatabaseAndState`".to_string(),
                );
            }
            _ => {}
        }
    }

    fn add_field(&mut self, call: &Call, t: Option<&str>, model: &str, field: &str) {
        let Some(field_arg) = call.keyword("field").or_else(|| call.positional(2)) else {
            return;
        };
        let Some(inner) = call::inner_call(self.tokens, field_arg, LANG) else {
            return;
        };
        let class = self
            .tokens
            .get(inner.name)
            .map(|t| t.text.clone())
            .unwrap_or_default();
        if class == "ManyToManyField" {
            return;
        }
        let nullable = call::literal_is(self.tokens, inner.keyword("null"), "True");
        // `default=None` on a NOT NULL field is no default at all.
        let real = |key: &str| {
            inner
                .keyword(key)
                .is_some_and(|arg| call::literal(self.tokens, arg) != Some("None"))
        };
        let has_default = real("default") || real("db_default");
        if !nullable && !has_default {
            self.emit(
                rule::ADD_COLUMN_NOT_NULL_NO_DEFAULT,
                call,
                t,
                format!("AddField `{model}.{field}` adds a NOT NULL column without a default"),
                format!("`field=models.{class}(..., null=True)`, backfill in batches, then make it NOT NULL in a later migration; or give it a constant `db_default=` (Django 5+) / `default=`"),
            );
        }
        if let Some(db_default) = inner.keyword("db_default") {
            let volatile = call::value(self.tokens, db_default).any(|t| {
                (t.kind == Kind::Ident && matches!(t.text.as_str(), "RandomUUID" | "Random"))
                    || (t.kind == Kind::Str && super::calls_volatile_function(&t.text))
            });
            if volatile {
                self.emit(
                    rule::ADD_COLUMN_VOLATILE_DEFAULT,
                    call,
                    t,
                    format!("AddField `{model}.{field}` has a volatile db_default, computed for every existing row"),
                    "Add the field with `null=True` and no db_default, backfill in batches, then set the db_default in a later migration".to_string(),
                );
            }
        }
        // A ForeignKey or OneToOneField gets an index unless db_index=False;
        // building it scans the whole table even though the column is new.
        let is_relation = matches!(class.as_str(), "ForeignKey" | "OneToOneField");
        let index_off = call::literal_is(self.tokens, inner.keyword("db_index"), "False");
        let indexed = call::literal_is(self.tokens, inner.keyword("unique"), "True")
            || call::literal_is(self.tokens, inner.keyword("db_index"), "True")
            || (is_relation && !index_off);
        if indexed {
            self.emit(
                rule::INDEX_NOT_CONCURRENT,
                call,
                t,
                format!("AddField `{model}.{field}` ({class}) builds an index while blocking writes"),
                format!("`field=models.{class}(..., db_index=False)` here, then `AddIndexConcurrently(model_name=\"{model}\", index=models.Index(fields=[\"{field}\"], name=\"...\"))` in a separate migration with `atomic = False`"),
            );
        }
    }

    fn field_unique(&mut self, call: &Call, t: Option<&str>, model: &str, field: &str) {
        let Some(field_arg) = call.keyword("field").or_else(|| call.positional(2)) else {
            return;
        };
        let Some(inner) = call::inner_call(self.tokens, field_arg, LANG) else {
            return;
        };
        if call::literal_is(self.tokens, inner.keyword("unique"), "True") {
            self.emit(
                rule::ADD_UNIQUE_CONSTRAINT,
                call,
                t,
                format!("AlterField makes `{model}.{field}` unique, building its index while blocking writes"),
                "RunSQL `CREATE UNIQUE INDEX CONCURRENTLY` in a non-atomic migration (`atomic = False`), then `ALTER TABLE ... ADD CONSTRAINT ... UNIQUE USING INDEX ...` with `SeparateDatabaseAndState`".to_string(),
            );
        }
    }

    fn add_constraint(&mut self, call: &Call, t: Option<&str>, model: &str) {
        let kind = call
            .keyword("constraint")
            .or_else(|| call.positional(1))
            .and_then(|arg| call::inner_call(self.tokens, arg, LANG))
            .and_then(|inner| self.tokens.get(inner.name).map(|t| t.text.clone()))
            .unwrap_or_default();
        if kind == "UniqueConstraint" || kind == "ExclusionConstraint" {
            self.emit(
                rule::ADD_UNIQUE_CONSTRAINT,
                call,
                t,
                format!("AddConstraint {kind} on `{model}` builds an index while blocking writes"),
                "RunSQL `CREATE UNIQUE INDEX CONCURRENTLY` in a non-atomic migration (`atomic = False`), then `ALTER TABLE ... ADD CONSTRAINT ... UNIQUE USING INDEX ...`".to_string(),
            );
        } else {
            self.emit(
                rule::CONSTRAINT_NOT_VALID,
                call,
                t,
                format!("AddConstraint on `{model}` validates every row while blocking writes"),
                "`from django.contrib.postgres.operations import AddConstraintNotValid, ValidateConstraint`; `AddConstraintNotValid(model_name=..., constraint=...)` now and `ValidateConstraint(model_name=..., name=...)` in a later migration".to_string(),
            );
        }
    }
}
