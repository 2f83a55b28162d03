//! The rules themselves: one pass over a file's parsed statements with a
//! little state carried between them (transaction, lock_timeout, tables
//! created here, constraints added NOT VALID here, indexes and foreign keys).

use std::collections::HashSet;

use sqlparser::ast::{
    AlterColumnOperation, AlterTableAlgorithm, AlterTableLock, AlterTableOperation, CascadeOption,
    ColumnDef, ColumnOption, CreateIndex, CreateTable, DataType, Expr, ObjectName, ObjectType,
    RenameTableNameKind, SetExpr, Statement, TableConstraint, TableFactor, TimezoneInfo,
};

use super::rules::*;
use crate::config::Dialect;
use crate::scale::{Lock, Operation};

/// A rule match before severities, sizes and config are applied.
#[derive(Debug, Clone)]
pub struct Hit {
    pub rule: &'static str,
    pub line: u32,
    pub column: u32,
    pub message: String,
    pub fix: String,
    pub table: Option<String>,
    /// What the step does under which lock, for the size estimate.
    pub scale: Option<(Operation, Lock)>,
}

/// Where the current statement starts, plus flags the splitter saw that the
/// parser does not keep.
#[derive(Debug, Clone, Copy)]
pub struct At {
    pub line: u32,
    pub column: u32,
    /// `DROP INDEX CONCURRENTLY`, which the parser does not accept, is
    /// parsed without the keyword and flagged here.
    pub drop_concurrently: bool,
}

struct ForeignKey {
    table: String,
    columns: Vec<String>,
    at: At,
}

struct PendingBackfill {
    table: String,
    at: At,
    what: &'static str,
}

/// State carried across one file's statements.
pub struct FileChecker {
    dialect: Dialect,
    in_transaction: bool,
    lock_timeout_set: bool,
    lock_timeout_reported: bool,
    created_tables: HashSet<String>,
    /// `(table, constraint)` added NOT VALID in this file.
    not_valid_added: HashSet<(String, String)>,
    /// Tables with a VALIDATE CONSTRAINT earlier in this file.
    validated_tables: HashSet<String>,
    schema_changed: bool,
    backfills: Vec<PendingBackfill>,
    foreign_keys: Vec<ForeignKey>,
    /// `(table, columns)` of every index, primary key and unique constraint.
    indexes: Vec<(String, Vec<String>)>,
    pub hits: Vec<Hit>,
}

impl FileChecker {
    pub fn new(dialect: Dialect) -> FileChecker {
        FileChecker {
            dialect,
            in_transaction: false,
            lock_timeout_set: false,
            lock_timeout_reported: false,
            created_tables: HashSet::new(),
            not_valid_added: HashSet::new(),
            validated_tables: HashSet::new(),
            schema_changed: false,
            backfills: Vec::new(),
            foreign_keys: Vec::new(),
            indexes: Vec::new(),
            hits: Vec::new(),
        }
    }

    fn pg(&self) -> bool {
        self.dialect == Dialect::Postgres
    }

    fn mysql(&self) -> bool {
        self.dialect == Dialect::Mysql
    }

    fn existing(&self, table: &str) -> bool {
        !self.created_tables.contains(table)
    }

    #[allow(clippy::too_many_arguments)]
    fn hit(
        &mut self,
        rule: &'static str,
        at: At,
        message: String,
        fix: String,
        table: Option<&str>,
        scale: Option<(Operation, Lock)>,
    ) {
        self.hits.push(Hit {
            rule,
            line: at.line,
            column: at.column,
            message,
            fix,
            table: table.map(str::to_string),
            scale,
        });
    }

    /// A statement that takes a lock on an existing table: report the
    /// missing timeout once per file, at the first such statement.
    fn takes_lock(&mut self, at: At, table: &str) {
        if self.lock_timeout_set || self.lock_timeout_reported || self.dialect == Dialect::Sqlite {
            return;
        }
        self.lock_timeout_reported = true;
        let fix = if self.mysql() {
            "SET SESSION lock_wait_timeout = 5;  -- seconds, before the first ALTER".to_string()
        } else {
            "SET lock_timeout = '2s';  -- first statement of the migration; retry on timeout"
                .to_string()
        };
        self.hit(
            MISSING_LOCK_TIMEOUT,
            at,
            format!("`{table}` is locked with no lock_timeout set before it"),
            fix,
            Some(table),
            None,
        );
    }

    pub fn statement(&mut self, statement: &Statement, at: At) {
        match statement {
            Statement::StartTransaction { statements, .. } if statements.is_empty() => {
                self.in_transaction = true;
            }
            Statement::Commit { .. } | Statement::Rollback { .. } => self.in_transaction = false,
            Statement::Set(set) => {
                let text = set.to_string().to_ascii_lowercase();
                if text.contains("lock_timeout")
                    || text.contains("lock_wait_timeout")
                    || text.contains("statement_timeout")
                {
                    self.lock_timeout_set = true;
                }
            }
            Statement::CreateTable(create) => self.create_table(create, at),
            Statement::CreateIndex(create) => self.create_index(create, at),
            Statement::AlterTable(alter) => {
                let table = table_name(&alter.name);
                self.alter_table(&table, &alter.operations, at);
            }
            Statement::Drop {
                object_type,
                names,
                table,
                ..
            } => self.drop(*object_type, names, table.as_ref(), at),
            Statement::Truncate(truncate) => {
                for target in &truncate.table_names {
                    let table = table_name(&target.name);
                    self.takes_lock(at, &table);
                    if self.pg() && truncate.cascade == Some(CascadeOption::Cascade) {
                        self.hit(
                            TRUNCATE_CASCADE,
                            at,
                            format!("TRUNCATE `{table}` CASCADE also empties every table that references it"),
                            format!("TRUNCATE {table};  -- without CASCADE; truncate referencing tables explicitly if meant"),
                            Some(&table),
                            None,
                        );
                    }
                }
            }
            Statement::RenameTable(renames) => {
                for rename in renames {
                    let old = table_name(&rename.old_name);
                    let new = table_name(&rename.new_name);
                    self.takes_lock(at, &old);
                    self.rename_table(&old, &new, at);
                }
            }
            Statement::Update(update) => {
                if let TableFactor::Table { name, .. } = &update.table.relation {
                    self.backfill(table_name(name), at, "UPDATE");
                }
            }
            Statement::Delete(delete) => {
                let tables = match &delete.from {
                    sqlparser::ast::FromTable::WithFromKeyword(t)
                    | sqlparser::ast::FromTable::WithoutKeyword(t) => t,
                };
                if let Some(TableFactor::Table { name, .. }) = tables.first().map(|t| &t.relation) {
                    self.backfill(table_name(name), at, "DELETE");
                }
            }
            Statement::Insert(insert) => {
                let from_select = insert
                    .source
                    .as_ref()
                    .is_some_and(|query| !matches!(*query.body, SetExpr::Values(_)));
                if from_select {
                    self.backfill(
                        table_name_text(&insert.table.to_string()),
                        at,
                        "INSERT ... SELECT",
                    );
                }
            }
            _ => {}
        }
    }

    /// A foreign key to `target` takes SHARE ROW EXCLUSIVE on it, even from
    /// a CREATE TABLE: it waits behind long queries on the referenced table.
    fn references(&mut self, target: &str, at: At) {
        if self.existing(target) {
            self.takes_lock(at, target);
        }
    }

    fn backfill(&mut self, table: String, at: At, what: &'static str) {
        self.backfills.push(PendingBackfill { table, at, what });
    }

    fn create_table(&mut self, create: &CreateTable, at: At) {
        let table = table_name(&create.name);
        self.created_tables.insert(table.clone());
        let pk_columns: Vec<String> = create
            .constraints
            .iter()
            .filter_map(|constraint| match constraint {
                TableConstraint::PrimaryKey(pk) => Some(index_columns(&pk.columns)),
                _ => None,
            })
            .flatten()
            .collect();
        for column in &create.columns {
            let is_pk = pk_columns.len() == 1 && pk_columns[0] == ident(&column.name.value)
                || column
                    .options
                    .iter()
                    .any(|o| matches!(o.option, ColumnOption::PrimaryKey(_)));
            self.column_type(&table, column, is_pk, at);
            self.column_inline_keys(&table, column, at, false);
        }
        for constraint in &create.constraints {
            self.table_constraint(&table, constraint, false, at);
        }
    }

    /// Type rules for a column being created (CREATE TABLE or ADD COLUMN).
    fn column_type(&mut self, table: &str, column: &ColumnDef, is_pk: bool, at: At) {
        let name = &column.name.value;
        self.data_type(table, name, &column.data_type, at);
        if is_pk && !self.sqlite() && is_small_int(&column.data_type) {
            let fix = if self.mysql() {
                format!("{name} BIGINT UNSIGNED AUTO_INCREMENT PRIMARY KEY")
            } else {
                format!("{name} bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY")
            };
            self.hit(
                INT_PRIMARY_KEY,
                at,
                format!(
                    "`{table}.{name}` is a {} primary key that tops out at ~2.1 billion",
                    column.data_type.to_string().to_lowercase()
                ),
                fix,
                Some(table),
                None,
            );
        }
    }

    fn sqlite(&self) -> bool {
        self.dialect == Dialect::Sqlite
    }

    /// Rules about a column's declared type wherever a type is written.
    fn data_type(&mut self, table: &str, column: &str, data_type: &DataType, at: At) {
        if !self.pg() {
            return;
        }
        if let DataType::Timestamp(_, TimezoneInfo::None | TimezoneInfo::WithoutTimeZone) =
            data_type
        {
            self.hit(
                TIMESTAMP_WITHOUT_TIME_ZONE,
                at,
                format!("`{table}.{column}` is timestamp without time zone"),
                format!("{column} timestamptz"),
                Some(table),
                None,
            );
        }
        let bounded = match data_type {
            DataType::Varchar(length)
            | DataType::CharacterVarying(length)
            | DataType::CharVarying(length)
            | DataType::Char(length)
            | DataType::Character(length) => length.is_some(),
            _ => false,
        };
        if bounded {
            self.hit(
                PREFER_TEXT,
                at,
                format!(
                    "`{table}.{column}` is {}; text with a CHECK is as fast and cheaper to change",
                    data_type.to_string().to_lowercase()
                ),
                format!(
                    "{column} text CHECK (char_length({column}) <= N)  -- add such a CHECK NOT VALID on existing tables"
                ),
                Some(table),
                None,
            );
        }
    }

    /// Inline REFERENCES / UNIQUE / PRIMARY KEY / CHECK on a column; on an
    /// existing table these cannot be NOT VALID or USING INDEX.
    fn column_inline_keys(&mut self, table: &str, column: &ColumnDef, at: At, existing: bool) {
        let name = ident(&column.name.value);
        for option in &column.options {
            match &option.option {
                ColumnOption::ForeignKey(fk) => {
                    self.foreign_keys.push(ForeignKey {
                        table: table.to_string(),
                        columns: vec![name.clone()],
                        at,
                    });
                    self.references(&table_name(&fk.foreign_table), at);
                    if existing && self.pg() {
                        let target = table_name(&fk.foreign_table);
                        self.hit(
                            FOREIGN_KEY_NOT_VALID,
                            at,
                            format!("`{table}.{name}` REFERENCES `{target}` is validated while writes wait"),
                            format!(
                                "ALTER TABLE {table} ADD COLUMN {name} <type>;\nALTER TABLE {table} ADD CONSTRAINT {table}_{name}_fkey FOREIGN KEY ({name}) REFERENCES {target} NOT VALID;\n-- next migration:\nALTER TABLE {table} VALIDATE CONSTRAINT {table}_{name}_fkey;"
                            ),
                            Some(table),
                            Some((Operation::ValidatingScan, Lock::SHARE_ROW_EXCLUSIVE)),
                        );
                    }
                }
                ColumnOption::PrimaryKey(_) | ColumnOption::Unique(_) => {
                    self.indexes.push((table.to_string(), vec![name.clone()]));
                    if existing && self.pg() {
                        self.unique_without_index(table, std::slice::from_ref(&name), at);
                    }
                }
                ColumnOption::Check(_) if existing && self.pg() => {
                    self.check_not_valid(table, &format!("{table}_{name}_check"), at);
                }
                _ => {}
            }
        }
    }

    fn table_constraint(
        &mut self,
        table: &str,
        constraint: &TableConstraint,
        existing: bool,
        at: At,
    ) {
        match constraint {
            TableConstraint::ForeignKey(fk) => {
                let columns: Vec<String> = fk.columns.iter().map(|c| ident(&c.value)).collect();
                self.foreign_keys.push(ForeignKey {
                    table: table.to_string(),
                    columns: columns.clone(),
                    at,
                });
                self.references(&table_name(&fk.foreign_table), at);
                if existing && self.pg() {
                    let target = table_name(&fk.foreign_table);
                    let name = fk
                        .name
                        .as_ref()
                        .map(|n| ident(&n.value))
                        .unwrap_or_else(|| format!("{table}_{}_fkey", columns.join("_")));
                    let refs: Vec<String> = fk
                        .referred_columns
                        .iter()
                        .map(|c| ident(&c.value))
                        .collect();
                    self.hit(
                        FOREIGN_KEY_NOT_VALID,
                        at,
                        format!("foreign key `{name}` on `{table}` is validated while writes to `{table}` and `{target}` wait"),
                        format!(
                            "ALTER TABLE {table} ADD CONSTRAINT {name} FOREIGN KEY ({}) REFERENCES {target} ({}) NOT VALID;\n-- next migration:\nALTER TABLE {table} VALIDATE CONSTRAINT {name};",
                            columns.join(", "),
                            refs.join(", ")
                        ),
                        Some(table),
                        Some((Operation::ValidatingScan, Lock::SHARE_ROW_EXCLUSIVE)),
                    );
                }
            }
            TableConstraint::Check(check) if existing && self.pg() => {
                let name = check
                    .name
                    .as_ref()
                    .map(|n| ident(&n.value))
                    .unwrap_or_else(|| format!("{table}_check"));
                self.check_not_valid(table, &name, at);
            }
            TableConstraint::PrimaryKey(pk) => {
                let columns = index_columns(&pk.columns);
                self.indexes.push((table.to_string(), columns.clone()));
                if existing && self.pg() {
                    self.unique_without_index(table, &columns, at);
                }
            }
            TableConstraint::Unique(unique) => {
                let columns = index_columns(&unique.columns);
                self.indexes.push((table.to_string(), columns.clone()));
                if existing && self.pg() {
                    self.unique_without_index(table, &columns, at);
                }
            }
            TableConstraint::Index(index) => {
                self.indexes
                    .push((table.to_string(), index_columns(&index.columns)));
            }
            _ => {}
        }
    }

    fn check_not_valid(&mut self, table: &str, name: &str, at: At) {
        self.hit(
            CHECK_CONSTRAINT_NOT_VALID,
            at,
            format!("CHECK `{name}` on `{table}` scans every row under ACCESS EXCLUSIVE"),
            format!(
                "ALTER TABLE {table} ADD CONSTRAINT {name} CHECK (...) NOT VALID;\n-- next migration:\nALTER TABLE {table} VALIDATE CONSTRAINT {name};"
            ),
            Some(table),
            Some((Operation::ValidatingScan, Lock::ACCESS_EXCLUSIVE)),
        );
    }

    fn unique_without_index(&mut self, table: &str, columns: &[String], at: At) {
        let cols = columns.join(", ");
        let index = format!("{table}_{}_key", columns.join("_"));
        self.hit(
            UNIQUE_CONSTRAINT_WITHOUT_INDEX,
            at,
            format!("unique key on `{table}` ({cols}) builds its index under ACCESS EXCLUSIVE"),
            format!(
                "CREATE UNIQUE INDEX CONCURRENTLY {index} ON {table} ({cols});  -- outside a transaction\nALTER TABLE {table} ADD CONSTRAINT {index} UNIQUE USING INDEX {index};"
            ),
            Some(table),
            Some((Operation::IndexBuild, Lock::ACCESS_EXCLUSIVE)),
        );
    }

    fn create_index(&mut self, create: &CreateIndex, at: At) {
        let table = table_name(&create.table_name);
        let columns: Vec<String> = create
            .columns
            .iter()
            .map(|c| table_name_text(&c.column.expr.to_string()))
            .collect();
        self.indexes.push((table.clone(), columns.clone()));
        if !self.pg() {
            return;
        }
        let name = create
            .name
            .as_ref()
            .map(table_name)
            .unwrap_or_else(|| format!("{table}_{}_idx", columns.join("_")));
        if create.concurrently {
            if self.in_transaction {
                self.hit(
                    CONCURRENT_INDEX_IN_TRANSACTION,
                    at,
                    format!("CREATE INDEX CONCURRENTLY `{name}` runs inside BEGIN ... COMMIT and will fail"),
                    "-- move it to its own migration with the runner's transaction turned off\n-- (e.g. Rails disable_ddl_transaction!, Flyway executeInTransaction=false)\nCREATE INDEX CONCURRENTLY ...;".to_string(),
                    Some(&table),
                    None,
                );
            }
            return;
        }
        if !self.existing(&table) {
            return;
        }
        self.takes_lock(at, &table);
        self.schema_changed = true;
        let unique = if create.unique { "UNIQUE " } else { "" };
        self.hit(
            INDEX_NOT_CONCURRENT,
            at,
            format!("CREATE {unique}INDEX `{name}` blocks writes to `{table}` while it builds"),
            format!(
                "CREATE {unique}INDEX CONCURRENTLY IF NOT EXISTS {name} ON {table} ({});  -- outside a transaction",
                columns.join(", ")
            ),
            Some(&table),
            Some((Operation::IndexBuild, Lock::SHARE)),
        );
    }

    fn drop(
        &mut self,
        object_type: ObjectType,
        names: &[ObjectName],
        index_table: Option<&ObjectName>,
        at: At,
    ) {
        for object in names {
            let name = table_name(object);
            match object_type {
                ObjectType::Table => {
                    if !self.existing(&name) {
                        continue;
                    }
                    self.takes_lock(at, &name);
                    self.hit(
                        DROP_TABLE,
                        at,
                        format!("DROP TABLE `{name}` deletes the table and its data"),
                        format!("-- first deploy code that no longer uses {name}; keep a backup, e.g.\nALTER TABLE {name} RENAME TO {name}_deprecated;  -- drop it in a later release"),
                        Some(&name),
                        None,
                    );
                }
                ObjectType::Database | ObjectType::Schema => {
                    let kind = if object_type == ObjectType::Database {
                        "DATABASE"
                    } else {
                        "SCHEMA"
                    };
                    self.hit(
                        DROP_DATABASE,
                        at,
                        format!("DROP {kind} `{name}` in a migration"),
                        format!("-- do this by hand, after a backup, never from a migration: DROP {kind} {name};"),
                        None,
                        None,
                    );
                }
                ObjectType::Index if self.pg() => {
                    if at.drop_concurrently {
                        if self.in_transaction {
                            self.hit(
                                CONCURRENT_INDEX_IN_TRANSACTION,
                                at,
                                format!("DROP INDEX CONCURRENTLY `{name}` runs inside BEGIN ... COMMIT and will fail"),
                                format!("-- in its own migration, outside a transaction:\nDROP INDEX CONCURRENTLY IF EXISTS {name};"),
                                None,
                                None,
                            );
                        }
                    } else {
                        self.takes_lock(at, &name);
                        self.hit(
                            INDEX_NOT_CONCURRENT,
                            at,
                            format!("DROP INDEX `{name}` takes ACCESS EXCLUSIVE on its table"),
                            format!("DROP INDEX CONCURRENTLY IF EXISTS {name};  -- outside a transaction"),
                            None,
                            Some((Operation::CatalogOnly, Lock::ACCESS_EXCLUSIVE)),
                        );
                    }
                }
                ObjectType::Index => {
                    if let Some(table) = index_table {
                        self.takes_lock(at, &table_name(table));
                    }
                }
                _ => {}
            }
        }
    }

    fn rename_table(&mut self, old: &str, new: &str, at: At) {
        if !self.existing(old) {
            return;
        }
        self.hit(
            RENAME_TABLE,
            at,
            format!("renaming table `{old}` to `{new}` breaks code still using `{old}`"),
            format!("-- expand/contract: create {new} (or a view), write to both, move readers, then drop {old}\nCREATE VIEW {old} AS SELECT * FROM {new};  -- after the rename, until all code uses {new}"),
            Some(old),
            Some((Operation::CatalogOnly, Lock::ACCESS_EXCLUSIVE)),
        );
    }

    fn alter_table(&mut self, table: &str, operations: &[AlterTableOperation], at: At) {
        let existing = self.existing(table);
        if existing {
            self.takes_lock(at, table);
            let only_meta = operations.iter().all(|op| {
                matches!(
                    op,
                    AlterTableOperation::Algorithm { .. } | AlterTableOperation::Lock { .. }
                )
            });
            if !only_meta {
                self.schema_changed = true;
            }
        }
        let mut algorithm = None;
        let mut lock = None;
        let mut needs_online = false;
        for operation in operations {
            match operation {
                AlterTableOperation::Algorithm { algorithm: a, .. } => algorithm = Some(*a),
                AlterTableOperation::Lock { lock: l, .. } => lock = Some(*l),
                AlterTableOperation::RenameTable { table_name: new } => {
                    let (RenameTableNameKind::To(new) | RenameTableNameKind::As(new)) = new;
                    self.rename_table(table, &table_name(new), at);
                }
                _ => needs_online = true,
            }
            self.alter_operation(table, operation, existing, at);
        }
        if self.mysql() && existing && needs_online {
            self.mysql_online(table, algorithm, lock, at);
        }
    }

    fn mysql_online(
        &mut self,
        table: &str,
        algorithm: Option<AlterTableAlgorithm>,
        lock: Option<AlterTableLock>,
        at: At,
    ) {
        match algorithm {
            Some(AlterTableAlgorithm::Instant) => {}
            Some(AlterTableAlgorithm::Inplace) => {
                if lock != Some(AlterTableLock::None) {
                    self.hit(
                        MYSQL_LOCK_NOT_NONE,
                        at,
                        format!("ALTER TABLE `{table}` ALGORITHM=INPLACE may lock writes without LOCK=NONE"),
                        format!("ALTER TABLE {table} ..., ALGORITHM=INPLACE, LOCK=NONE;"),
                        Some(table),
                        Some((Operation::TableRewrite, Lock::MYSQL_SHARED)),
                    );
                }
            }
            other => {
                let said = match other {
                    Some(AlterTableAlgorithm::Copy) => "ALGORITHM=COPY copies",
                    _ => "no ALGORITHM: MySQL may copy",
                };
                self.hit(
                    MYSQL_ALGORITHM_NOT_ONLINE,
                    at,
                    format!("ALTER TABLE `{table}`: {said} the table while writes wait"),
                    format!("ALTER TABLE {table} ..., ALGORITHM=INSTANT;  -- or ALGORITHM=INPLACE, LOCK=NONE; use gh-ost/pt-osc if neither is allowed"),
                    Some(table),
                    Some((Operation::TableRewrite, Lock::MYSQL_SHARED)),
                );
            }
        }
    }

    fn alter_operation(
        &mut self,
        table: &str,
        operation: &AlterTableOperation,
        existing: bool,
        at: At,
    ) {
        match operation {
            AlterTableOperation::AddColumn { column_def, .. } => {
                let is_pk = column_def
                    .options
                    .iter()
                    .any(|o| matches!(o.option, ColumnOption::PrimaryKey(_)));
                self.column_type(table, column_def, is_pk, at);
                self.column_inline_keys(table, column_def, at, existing);
                if existing {
                    self.add_column(table, column_def, at);
                }
            }
            AlterTableOperation::AddConstraint {
                constraint,
                not_valid,
            } => {
                if *not_valid {
                    if let Some(name) = constraint_name(constraint) {
                        self.not_valid_added.insert((table.to_string(), name));
                    }
                    // Still record the keys for the index rule.
                    self.table_constraint(table, constraint, false, at);
                } else {
                    self.table_constraint(table, constraint, existing, at);
                }
            }
            AlterTableOperation::ValidateConstraint { name } => {
                let name = ident(&name.value);
                if self
                    .not_valid_added
                    .contains(&(table.to_string(), name.clone()))
                {
                    self.hit(
                        VALIDATE_IN_SAME_TRANSACTION,
                        at,
                        format!("`{name}` is added NOT VALID and validated in the same migration"),
                        format!("-- move to the next migration (its own transaction):\nALTER TABLE {table} VALIDATE CONSTRAINT {name};"),
                        Some(table),
                        Some((Operation::ValidatingScan, Lock::ACCESS_EXCLUSIVE)),
                    );
                }
                self.validated_tables.insert(table.to_string());
            }
            AlterTableOperation::AlterColumn { column_name, op } => {
                let column = ident(&column_name.value);
                match op {
                    AlterColumnOperation::SetNotNull
                        if existing && self.pg() && !self.validated_tables.contains(table) =>
                    {
                        self.hit(
                            SET_NOT_NULL,
                            at,
                            format!("SET NOT NULL on `{table}.{column}` scans the table under ACCESS EXCLUSIVE"),
                            format!(
                                "ALTER TABLE {table} ADD CONSTRAINT {table}_{column}_not_null CHECK ({column} IS NOT NULL) NOT VALID;\n-- next migration:\nALTER TABLE {table} VALIDATE CONSTRAINT {table}_{column}_not_null;\nALTER TABLE {table} ALTER COLUMN {column} SET NOT NULL;  -- PG 12+ skips the scan\nALTER TABLE {table} DROP CONSTRAINT {table}_{column}_not_null;"
                            ),
                            Some(table),
                            Some((Operation::ValidatingScan, Lock::ACCESS_EXCLUSIVE)),
                        );
                    }
                    AlterColumnOperation::SetDataType { data_type, .. } => {
                        self.data_type(table, &column, data_type, at);
                        if existing && !is_unbounded_text(data_type) {
                            self.alter_type(table, &column, data_type, at);
                        }
                    }
                    _ => {}
                }
            }
            AlterTableOperation::ModifyColumn {
                col_name,
                data_type,
                ..
            } if existing => {
                self.alter_type(table, &ident(&col_name.value), data_type, at);
            }
            AlterTableOperation::ChangeColumn {
                old_name,
                new_name,
                data_type,
                ..
            } => {
                let old = ident(&old_name.value);
                let new = ident(&new_name.value);
                if existing {
                    if old != new {
                        self.rename_column(table, &old, &new, at);
                    }
                    self.alter_type(table, &new, data_type, at);
                }
            }
            AlterTableOperation::RenameColumn {
                old_column_name,
                new_column_name,
            } if existing => {
                let old = ident(&old_column_name.value);
                let new = ident(&new_column_name.value);
                self.rename_column(table, &old, &new, at);
            }
            AlterTableOperation::DropColumn { column_names, .. } if existing => {
                for column in column_names {
                    let column = ident(&column.value);
                    self.hit(
                        DROP_COLUMN,
                        at,
                        format!("dropping `{table}.{column}` deletes its data and breaks code still using it"),
                        format!("-- 1. deploy code that ignores {column} (Rails: ignored_columns; Django: remove the field first)\n-- 2. later migration:\nALTER TABLE {table} DROP COLUMN {column};"),
                        Some(table),
                        None,
                    );
                }
            }
            _ => {}
        }
    }

    fn rename_column(&mut self, table: &str, old: &str, new: &str, at: At) {
        self.hit(
            RENAME_COLUMN,
            at,
            format!("renaming `{table}.{old}` to `{new}` breaks code still using `{old}`"),
            format!("-- expand/contract instead:\nALTER TABLE {table} ADD COLUMN {new} <type>;\n-- write both, backfill in batches, move readers to {new}, then drop {old}"),
            Some(table),
            Some((Operation::CatalogOnly, Lock::ACCESS_EXCLUSIVE)),
        );
    }

    fn alter_type(&mut self, table: &str, column: &str, data_type: &DataType, at: At) {
        let ty = data_type.to_string();
        let (lock, fix) = if self.mysql() {
            (
                Lock::MYSQL_SHARED,
                format!("-- add {column}_new {ty}, backfill in batches, swap in code; or gh-ost / pt-online-schema-change"),
            )
        } else {
            (
                Lock::ACCESS_EXCLUSIVE,
                format!("ALTER TABLE {table} ADD COLUMN {column}_new {ty};\n-- backfill {column}_new in batches, keep it in sync with a trigger, switch reads, then drop {column}"),
            )
        };
        self.hit(
            ALTER_COLUMN_TYPE,
            at,
            format!("changing `{table}.{column}` to {ty} rewrites the table"),
            fix,
            Some(table),
            Some((Operation::TableRewrite, lock)),
        );
    }

    /// ADD COLUMN on an existing table: NOT NULL without default, and
    /// defaults that force a rewrite.
    fn add_column(&mut self, table: &str, column: &ColumnDef, at: At) {
        let name = ident(&column.name.value);
        let ty = column.data_type.to_string();
        let mut not_null = false;
        let mut default: Option<&Expr> = None;
        let mut generated_stored = false;
        let mut identity = false;
        for option in &column.options {
            match &option.option {
                ColumnOption::NotNull => not_null = true,
                ColumnOption::Default(expr) => default = Some(expr),
                ColumnOption::Generated {
                    generation_expr, ..
                } => {
                    if generation_expr.is_some() {
                        generated_stored = true;
                    } else {
                        identity = true;
                    }
                }
                ColumnOption::PrimaryKey(_) => not_null = true,
                _ => {}
            }
        }
        let serial = is_serial(&column.data_type);
        if not_null
            && default.is_none()
            && !identity
            && !serial
            && !generated_stored
            && !self.mysql()
        {
            self.hit(
                ADD_COLUMN_NOT_NULL_NO_DEFAULT,
                at,
                format!("ADD COLUMN `{table}.{name}` NOT NULL without a default fails on a table with rows"),
                format!("ALTER TABLE {table} ADD COLUMN {name} {ty} NOT NULL DEFAULT <constant>;  -- PG 11+: no rewrite\n-- or add it NULL, backfill in batches, then the SET NOT NULL steps"),
                Some(table),
                None,
            );
        }
        if !self.pg() {
            return;
        }
        let volatile = default.and_then(volatile_function);
        let reason = if let Some(function) = &volatile {
            Some(format!("its default {function}() is computed per row"))
        } else if serial {
            Some(format!("{ty} fills a sequence value into every row"))
        } else if identity {
            Some("an identity column fills a value into every row".to_string())
        } else if generated_stored {
            Some("a stored generated column computes every row".to_string())
        } else {
            None
        };
        if let Some(reason) = reason {
            self.hit(
                ADD_COLUMN_VOLATILE_DEFAULT,
                at,
                format!("ADD COLUMN `{table}.{name}` rewrites the table: {reason}"),
                format!("ALTER TABLE {table} ADD COLUMN {name} {};  -- no default: instant\n-- backfill in batches, then: ALTER TABLE {table} ALTER COLUMN {name} SET DEFAULT ...;", if serial { "bigint".to_string() } else { ty.clone() }),
                Some(table),
                Some((Operation::TableRewrite, Lock::ACCESS_EXCLUSIVE)),
            );
        }
    }

    /// Findings that need the whole file: backfills next to DDL, foreign keys
    /// without an index.
    pub fn finish(&mut self) {
        if self.schema_changed {
            let backfills = std::mem::take(&mut self.backfills);
            for backfill in backfills {
                if !self.existing(&backfill.table) && backfill.what != "UPDATE" {
                    // Filling a table created in this file is setup, not a backfill.
                    continue;
                }
                let table = backfill.table.clone();
                self.hit(
                    BACKFILL_WITH_SCHEMA_CHANGE,
                    backfill.at,
                    format!("{} on `{table}` runs in the same migration as schema changes", backfill.what),
                    format!("-- move to its own migration or job, in batches:\nUPDATE {table} SET ... WHERE id IN (SELECT id FROM {table} WHERE <not yet done> LIMIT 10000);"),
                    Some(&table),
                    Some((Operation::RowUpdate, Lock::ACCESS_EXCLUSIVE)),
                );
            }
        }
        if !self.pg() {
            return;
        }
        let foreign_keys = std::mem::take(&mut self.foreign_keys);
        for fk in foreign_keys {
            let covered = self.indexes.iter().any(|(table, columns)| {
                *table == fk.table
                    && columns.len() >= fk.columns.len()
                    && columns[..fk.columns.len()] == fk.columns[..]
            });
            if covered {
                continue;
            }
            let cols = fk.columns.join(", ");
            self.hit(
                FOREIGN_KEY_WITHOUT_INDEX,
                fk.at,
                format!(
                    "foreign key on `{}` ({cols}) has no index starting with those columns",
                    fk.table
                ),
                format!(
                    "CREATE INDEX CONCURRENTLY IF NOT EXISTS {}_{}_idx ON {} ({cols});",
                    fk.table,
                    fk.columns.join("_"),
                    fk.table
                ),
                Some(&fk.table.clone()),
                None,
            );
        }
    }
}

fn constraint_name(constraint: &TableConstraint) -> Option<String> {
    let name = match constraint {
        TableConstraint::ForeignKey(fk) => fk.name.as_ref(),
        TableConstraint::Check(check) => check.name.as_ref(),
        TableConstraint::Unique(unique) => unique.name.as_ref(),
        TableConstraint::PrimaryKey(pk) => pk.name.as_ref(),
        _ => None,
    };
    name.map(|n| ident(&n.value))
}

/// Lower-case name without quotes: `"Public"."Orders"` -> `public.orders`.
pub fn table_name(name: &ObjectName) -> String {
    table_name_text(&name.to_string())
}

fn table_name_text(text: &str) -> String {
    text.chars()
        .filter(|c| !matches!(c, '"' | '`' | '[' | ']'))
        .collect::<String>()
        .trim()
        .to_lowercase()
}

fn ident(value: &str) -> String {
    value.to_lowercase()
}

fn index_columns(columns: &[sqlparser::ast::IndexColumn]) -> Vec<String> {
    columns
        .iter()
        .map(|c| table_name_text(&c.column.expr.to_string()))
        .collect()
}

/// 32-bit or smaller integer types, including serial.
fn is_small_int(data_type: &DataType) -> bool {
    let text = data_type.to_string().to_lowercase();
    let base = text
        .split(|c: char| c == '(' || c.is_whitespace())
        .next()
        .unwrap_or("");
    matches!(
        base,
        "int"
            | "integer"
            | "int4"
            | "int2"
            | "smallint"
            | "mediumint"
            | "tinyint"
            | "serial"
            | "serial4"
            | "smallserial"
            | "serial2"
    )
}

fn is_serial(data_type: &DataType) -> bool {
    let text = data_type.to_string().to_lowercase();
    matches!(
        text.as_str(),
        "serial" | "serial4" | "serial2" | "serial8" | "smallserial" | "bigserial"
    )
}

/// `text` or length-less `varchar`: from varchar(n) these are catalog-only
/// changes in PostgreSQL, so not worth a rewrite warning.
fn is_unbounded_text(data_type: &DataType) -> bool {
    matches!(
        data_type,
        DataType::Text | DataType::Varchar(None) | DataType::CharacterVarying(None)
    )
}

/// Functions whose value differs per row, so a default of them makes
/// PostgreSQL rewrite the table. `now()` and `current_timestamp` are stable
/// (one value per statement) and are deliberately absent.
const VOLATILE_FUNCTIONS: &[&str] = &[
    "random",
    "gen_random_uuid",
    "uuid_generate_v1",
    "uuid_generate_v1mc",
    "uuid_generate_v4",
    "uuidv4",
    "uuidv7",
    "clock_timestamp",
    "timeofday",
    "nextval",
    "txid_current",
    "setseed",
];

fn volatile_function(expr: &Expr) -> Option<String> {
    let text = expr.to_string().to_ascii_lowercase();
    VOLATILE_FUNCTIONS
        .iter()
        .find(|name| {
            text.match_indices(**name).any(|(at, _)| {
                let before_ok = at == 0
                    || !text.as_bytes()[at - 1].is_ascii_alphanumeric()
                        && text.as_bytes()[at - 1] != b'_';
                let after = text[at + name.len()..].trim_start();
                before_ok && after.starts_with('(')
            })
        })
        .map(|name| name.to_string())
}
