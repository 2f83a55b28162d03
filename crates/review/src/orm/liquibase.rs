//! Liquibase changelogs in XML (read with quick-xml) and YAML (read line
//! by line by indentation: changelogs use a small, regular subset, and a
//! full YAML parser is not worth a dependency). `<rollback>` blocks are
//! skipped; `<sql>` bodies are handed to the SQL reviewer.

use std::collections::BTreeMap;

use quick_xml::events::{BytesStart, Event};
use quick_xml::Reader;

use super::emit::{rule, Emitter};

/// Change types with a rule, and `sql`.
const CHANGE_TYPES: [&str; 11] = [
    "addColumn",
    "createIndex",
    "dropColumn",
    "renameColumn",
    "renameTable",
    "modifyDataType",
    "addForeignKeyConstraint",
    "addNotNullConstraint",
    "addUniqueConstraint",
    "dropTable",
    "sql",
];

/// One column of an `addColumn`.
#[derive(Debug, Default)]
struct NewColumn {
    name: String,
    not_null: bool,
    has_default: bool,
    computed_default: Option<String>,
    line: u32,
    column: u32,
}

fn report_change(
    out: &mut Emitter,
    change: &str,
    attrs: &BTreeMap<String, String>,
    line: u32,
    column: u32,
) {
    let get = |key: &str| attrs.get(key).map(String::as_str).unwrap_or_default();
    let qualified = qualified_table(attrs);
    let table = qualified.as_str();
    let t = Some(table).filter(|t| !t.is_empty());
    let col = get("columnName");
    match change {
        "createIndex" => out.at(
            rule::INDEX_NOT_CONCURRENT,
            line,
            column,
            t,
            format!("createIndex on `{table}` builds an index while blocking writes"),
            format!("<changeSet id=\"...\" author=\"...\" runInTransaction=\"false\">\n  <sql>CREATE INDEX CONCURRENTLY {} ON {table} (...)</sql>\n</changeSet>", non_empty(get("indexName"), "ix_...")),
        ),
        "dropColumn" => out.at(
            rule::DROP_COLUMN,
            line,
            column,
            t,
            format!("dropColumn drops `{table}.{col}` while running code may still select it"),
            format!("Stop reading and writing `{col}` in code and deploy first; drop it in a later changeset"),
        ),
        "renameColumn" => {
            let old = get("oldColumnName");
            let new = get("newColumnName");
            out.at(
                rule::RENAME_COLUMN,
                line,
                column,
                t,
                format!("renameColumn `{table}.{old}` → `{new}` breaks code that is still running"),
                format!("addColumn `{new}`, write to both, backfill, switch reads, then dropColumn `{old}` in a later changeset"),
            );
        }
        "renameTable" => {
            let old = get("oldTableName");
            let new = get("newTableName");
            out.at(
                rule::RENAME_TABLE,
                line,
                column,
                Some(old).filter(|t| !t.is_empty()),
                format!("renameTable `{old}` → `{new}` renames a table running code still uses"),
                format!("Create `{new}`, write to both (or a view `{old}` over `{new}` during the switch), move reads, then drop `{old}` later"),
            );
        }
        "modifyDataType" => out.at(
            rule::ALTER_COLUMN_TYPE,
            line,
            column,
            t,
            format!("modifyDataType changes `{table}.{col}` to {} in place", get("newDataType")),
            format!("addColumn with the new type, write to both, backfill in batches, switch reads, then dropColumn `{col}` later"),
        ),
        "addForeignKeyConstraint" if get("validate") != "false" => {
            let base = get("baseTableName");
            out.at(
                rule::FOREIGN_KEY_NOT_VALID,
                line,
                column,
                Some(base).filter(|t| !t.is_empty()),
                format!("addForeignKeyConstraint on `{base}` validates every row while blocking writes on both tables"),
                format!("<addForeignKeyConstraint baseTableName=\"{base}\" ... validate=\"false\"/>, then in a later changeset <sql>ALTER TABLE {base} VALIDATE CONSTRAINT {}</sql>", non_empty(get("constraintName"), "fk_...")),
            );
        }
        "addNotNullConstraint" => out.at(
            rule::SET_NOT_NULL,
            line,
            column,
            t,
            format!("addNotNullConstraint on `{table}.{col}` scans the table under an exclusive lock"),
            format!("<sql>ALTER TABLE {table} ADD CONSTRAINT {table}_{col}_not_null CHECK ({col} IS NOT NULL) NOT VALID</sql>; later changeset: <sql>ALTER TABLE {table} VALIDATE CONSTRAINT {table}_{col}_not_null</sql>, then addNotNullConstraint (PostgreSQL 12+ skips the scan)"),
        ),
        "addUniqueConstraint" => out.at(
            rule::ADD_UNIQUE_CONSTRAINT,
            line,
            column,
            t,
            format!("addUniqueConstraint on `{table}` builds an index while blocking writes"),
            format!("runInTransaction=\"false\" changeset with <sql>CREATE UNIQUE INDEX CONCURRENTLY uq_... ON {table} (...)</sql>, then <sql>ALTER TABLE {table} ADD CONSTRAINT uq_... UNIQUE USING INDEX uq_...</sql>"),
        ),
        "dropTable" => out.at(
            rule::DROP_TABLE,
            line,
            column,
            t,
            format!("dropTable `{table}` drops a table and its data"),
            format!("Remove every use of `{table}` and deploy first; drop it in a later changeset after a backup"),
        ),
        _ => {}
    }
}

/// `tableName`, prefixed with `schemaName` when given (as `table_sizes`
/// may key it).
fn qualified_table(attrs: &BTreeMap<String, String>) -> String {
    let table = attrs
        .get("tableName")
        .map(String::as_str)
        .unwrap_or_default();
    match attrs.get("schemaName").map(String::as_str) {
        Some(schema) if !schema.is_empty() && !table.is_empty() => format!("{schema}.{table}"),
        _ => table.to_string(),
    }
}

fn report_column(out: &mut Emitter, table: &str, column: &NewColumn) {
    let t = Some(table).filter(|t| !t.is_empty());
    let name = &column.name;
    if column.not_null && !column.has_default {
        out.at(
            rule::ADD_COLUMN_NOT_NULL_NO_DEFAULT,
            column.line,
            column.column,
            t,
            format!("addColumn adds NOT NULL `{table}.{name}` without a default"),
            format!("Add `{name}` nullable, backfill in batches, then addNotNullConstraint after a validated NOT VALID check; or give it a constant defaultValue"),
        );
    }
    if column
        .computed_default
        .as_deref()
        .is_some_and(super::calls_volatile_function)
    {
        out.at(
            rule::ADD_COLUMN_VOLATILE_DEFAULT,
            column.line,
            column.column,
            t,
            format!("addColumn gives `{table}.{name}` a volatile default, computed for every existing row"),
            format!("Add `{name}` without a default, then addDefaultValue (new rows only) and backfill existing rows in batches"),
        );
    }
}

fn non_empty<'a>(text: &'a str, fallback: &'a str) -> &'a str {
    if text.is_empty() {
        fallback
    } else {
        text
    }
}

/// Turns increasing byte offsets into 1-based line and character column
/// in one forward pass.
struct Position<'a> {
    text: &'a [u8],
    offset: usize,
    line: u32,
    column: u32,
}

impl<'a> Position<'a> {
    fn new(text: &'a str) -> Self {
        Position {
            text: text.as_bytes(),
            offset: 0,
            line: 1,
            column: 1,
        }
    }

    fn at(&mut self, offset: u64) -> (u32, u32) {
        let target = usize::try_from(offset)
            .unwrap_or(usize::MAX)
            .min(self.text.len());
        while self.offset < target {
            let byte = self.text[self.offset];
            if byte == b'\n' {
                self.line += 1;
                self.column = 1;
            } else if byte & 0xC0 != 0x80 {
                self.column += 1;
            }
            self.offset += 1;
        }
        (self.line, self.column)
    }
}

fn attributes(element: &BytesStart) -> BTreeMap<String, String> {
    element
        .attributes()
        .flatten()
        .filter_map(|attr| {
            let key = String::from_utf8_lossy(attr.key.local_name().as_ref()).into_owned();
            let value = attr.unescape_value().ok()?.into_owned();
            Some((key, value))
        })
        .collect()
}

fn local_name(element: &BytesStart) -> String {
    String::from_utf8_lossy(element.local_name().as_ref()).into_owned()
}

/// What one pass over an XML changelog finds.
#[derive(Default)]
struct XmlPass {
    sql: Vec<(u32, String)>,
}

/// Walk the XML; call `report` for findings when `out` is given.
fn walk_xml(text: &str, mut out: Option<&mut Emitter>) -> XmlPass {
    let mut reader = Reader::from_str(text);
    reader.config_mut().trim_text(false);
    let mut position = Position::new(text);
    let mut pass = XmlPass::default();
    let mut rollback_depth = 0usize;
    let mut add_column_table: Option<String> = None;
    let mut column: Option<NewColumn> = None;
    let mut sql: Option<(u32, String)> = None;
    loop {
        let start = reader.buffer_position();
        let event = match reader.read_event() {
            Ok(Event::Eof) | Err(_) => break,
            Ok(event) => event,
        };
        let is_empty = matches!(event, Event::Empty(_));
        match event {
            Event::Start(element) | Event::Empty(element) => {
                let name = local_name(&element);
                if name == "rollback" {
                    if !is_empty {
                        rollback_depth += 1;
                    }
                    continue;
                }
                if rollback_depth > 0 {
                    continue;
                }
                // Point at the element name, just past `<`.
                let (line, col) = position.at(start + 1);
                let attrs = attributes(&element);
                match name.as_str() {
                    "addColumn" if !is_empty => {
                        add_column_table =
                            Some(attrs.get("tableName").cloned().unwrap_or_default());
                    }
                    "column" if add_column_table.is_some() => {
                        let new = NewColumn {
                            name: attrs.get("name").cloned().unwrap_or_default(),
                            not_null: false,
                            has_default: attrs.keys().any(|k| k.starts_with("defaultValue")),
                            computed_default: attrs.get("defaultValueComputed").cloned(),
                            line,
                            column: col,
                        };
                        if is_empty {
                            if let (Some(out), Some(table)) =
                                (out.as_deref_mut(), &add_column_table)
                            {
                                report_column(out, table, &new);
                            }
                        } else {
                            column = Some(new);
                        }
                    }
                    "constraints" => {
                        if let Some(column) = column.as_mut() {
                            let not_null = attrs.get("nullable").is_some_and(|v| v == "false")
                                || attrs.get("primaryKey").is_some_and(|v| v == "true");
                            column.not_null |= not_null;
                        }
                    }
                    "sql" if !is_empty => sql = Some((line, String::new())),
                    "createTable" => {
                        if let (Some(out), Some(table)) =
                            (out.as_deref_mut(), attrs.get("tableName"))
                        {
                            out.created_table(table);
                        }
                    }
                    change if CHANGE_TYPES.contains(&change) => {
                        if let Some(out) = out.as_deref_mut() {
                            report_change(out, change, &attrs, line, col);
                        }
                    }
                    _ => {}
                }
            }
            Event::End(element) => {
                let name = String::from_utf8_lossy(element.local_name().as_ref()).into_owned();
                match name.as_str() {
                    "rollback" => rollback_depth = rollback_depth.saturating_sub(1),
                    _ if rollback_depth > 0 => {}
                    "column" => {
                        if let (Some(new), Some(table)) = (column.take(), &add_column_table) {
                            if let Some(out) = out.as_deref_mut() {
                                report_column(out, table, &new);
                            }
                        }
                    }
                    "addColumn" => add_column_table = None,
                    "sql" => {
                        if let Some(body) = sql.take() {
                            pass.sql.push(body);
                        }
                    }
                    _ => {}
                }
            }
            Event::Text(body) => {
                if let Some((line, collected)) = sql.as_mut() {
                    if collected.is_empty() {
                        *line = position.at(start).0;
                    }
                    match body.unescape() {
                        Ok(text) => collected.push_str(&text),
                        Err(_) => collected.push_str(&String::from_utf8_lossy(&body)),
                    }
                }
            }
            Event::CData(body) => {
                if let Some((line, collected)) = sql.as_mut() {
                    if collected.is_empty() {
                        *line = position.at(start).0;
                    }
                    collected.push_str(&String::from_utf8_lossy(&body));
                }
            }
            _ => {}
        }
    }
    pass
}

pub fn review_xml(text: &str, out: &mut Emitter) {
    walk_xml(text, Some(out));
}

pub fn embedded_sql_xml(text: &str) -> Vec<(u32, String)> {
    walk_xml(text, None).sql
}

/// One meaningful YAML line.
struct YamlLine<'a> {
    number: u32,
    indent: usize,
    /// Content without indentation and without a leading `- `.
    content: &'a str,
    /// Column (1-based) where `content` starts.
    column: u32,
}

fn yaml_lines(text: &str) -> Vec<YamlLine<'_>> {
    let mut lines = Vec::new();
    for (index, raw) in text.lines().enumerate() {
        let trimmed = raw.trim_start();
        if trimmed.is_empty() || trimmed.starts_with('#') {
            continue;
        }
        let indent = raw.len() - trimmed.len();
        let content = trimmed
            .strip_prefix("- ")
            .map(str::trim_start)
            .unwrap_or(trimmed);
        let column = raw[..raw.len() - content.len()].chars().count() as u32 + 1;
        lines.push(YamlLine {
            number: index as u32 + 1,
            indent,
            content: content.trim_end(),
            column,
        });
    }
    lines
}

/// `key: value` (value may be empty); keys are plain words.
fn key_value(content: &str) -> Option<(&str, &str)> {
    let (key, value) = content.split_once(':')?;
    let key = key.trim();
    if key.is_empty() || key.contains(' ') {
        return None;
    }
    Some((key, unquote(value.trim())))
}

fn unquote(value: &str) -> &str {
    let value = value.trim();
    for quote in ['"', '\''] {
        if let Some(inner) = value
            .strip_prefix(quote)
            .and_then(|v| v.strip_suffix(quote))
        {
            return inner;
        }
    }
    value
}

/// For each line, the index of the next line indented no deeper: the end
/// of its block. One pass with a stack, so a staircase of keys is linear.
fn block_ends(lines: &[YamlLine]) -> Vec<usize> {
    let mut ends = vec![lines.len(); lines.len()];
    let mut stack: Vec<usize> = Vec::new();
    for (index, line) in lines.iter().enumerate() {
        while let Some(&top) = stack.last() {
            if lines[top].indent < line.indent {
                break;
            }
            ends[top] = index;
            stack.pop();
        }
        stack.push(index);
    }
    ends
}

/// How many lines of a change's block are read for its keys; real changes
/// are a few dozen lines, and the cap keeps hostile nesting linear.
const MAX_KEYS_LINES: usize = 500;

/// Walk the YAML changelog: findings into `out` when given; SQL bodies out.
fn walk_yaml(text: &str, mut out: Option<&mut Emitter>) -> Vec<(u32, String)> {
    let lines = yaml_lines(text);
    let ends = block_ends(&lines);
    let raw_lines: Vec<&str> = text.lines().collect();
    let mut sql = Vec::new();
    let mut index = 0;
    while index < lines.len() {
        let line = &lines[index];
        let Some((key, value)) = key_value(line.content) else {
            index += 1;
            continue;
        };
        if key == "rollback" {
            index = ends[index].max(index + 1);
            continue;
        }
        if key == "createTable" && value.is_empty() {
            // Its tableName is the first one in its block.
            let table = (index + 1..ends[index].min(index + 1 + MAX_KEYS_LINES)).find_map(|at| {
                match key_value(lines[at].content) {
                    Some(("tableName", v)) => Some(v),
                    _ => None,
                }
            });
            if let (Some(out), Some(table)) = (out.as_deref_mut(), table) {
                out.created_table(table);
            }
        }
        if !value.is_empty() || !CHANGE_TYPES.contains(&key) {
            index += 1;
            continue;
        }
        // A change's block ends at its dedent, at the cap, or at the next
        // change header (changes do not nest; a hostile staircase would).
        let limit = ends[index].min(index + 1 + MAX_KEYS_LINES);
        let end = (index + 1..limit)
            .find(|&at| {
                key_value(lines[at].content)
                    .is_some_and(|(k, v)| v.is_empty() && CHANGE_TYPES.contains(&k))
            })
            .unwrap_or(limit);
        let mut attrs = BTreeMap::new();
        for entry in &lines[index + 1..end] {
            if let Some((k, v)) = key_value(entry.content) {
                attrs.entry(k.to_string()).or_insert_with(|| v.to_string());
            }
        }
        match key {
            "addColumn" => {
                let table = qualified_table(&attrs);
                for at in index + 1..end {
                    let entry = &lines[at];
                    if key_value(entry.content) != Some(("column", "")) {
                        continue;
                    }
                    let mut new = NewColumn {
                        line: entry.number,
                        column: entry.column,
                        ..NewColumn::default()
                    };
                    for field in &lines[at + 1..ends[at].min(end)] {
                        match key_value(field.content) {
                            Some(("name", v)) => new.name = v.to_string(),
                            Some(("nullable", "false")) | Some(("primaryKey", "true")) => {
                                new.not_null = true
                            }
                            Some(("defaultValueComputed", v)) => {
                                new.has_default = true;
                                new.computed_default = Some(v.to_string());
                            }
                            Some((k, _)) if k.starts_with("defaultValue") => new.has_default = true,
                            _ => {}
                        }
                    }
                    if let Some(out) = out.as_deref_mut() {
                        report_column(out, &table, &new);
                    }
                }
            }
            "sql" => {
                let found = (index + 1..end)
                    .find(|&at| key_value(lines[at].content).is_some_and(|(k, _)| k == "sql"));
                if let Some(at) = found {
                    let entry = &lines[at];
                    let value = key_value(entry.content).map(|(_, v)| v).unwrap_or_default();
                    if value.starts_with('|') || value.starts_with('>') {
                        // The body runs to the end of the `sql:` key's block.
                        let body_end = ends[at];
                        let first = lines
                            .get(at + 1)
                            .filter(|_| at + 1 < body_end)
                            .map(|l| l.number);
                        let last = body_end
                            .checked_sub(1)
                            .and_then(|i| lines.get(i))
                            .map(|l| l.number);
                        if let (Some(first), Some(last)) = (first, last) {
                            if first <= last {
                                let from = (first - 1) as usize;
                                let to = (last as usize).min(raw_lines.len());
                                let body = raw_lines[from.min(to)..to].join("\n");
                                sql.push((first, body));
                            }
                        }
                    } else if !value.is_empty() {
                        sql.push((entry.number, value.to_string()));
                    }
                }
            }
            change => {
                if let Some(out) = out.as_deref_mut() {
                    report_change(out, change, &attrs, line.number, line.column);
                }
            }
        }
        index += 1;
    }
    sql
}

pub fn review_yaml(text: &str, out: &mut Emitter) {
    walk_yaml(text, Some(out));
}

pub fn embedded_sql_yaml(text: &str) -> Vec<(u32, String)> {
    walk_yaml(text, None)
}
