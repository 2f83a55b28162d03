//! YAML loading with limits, and line lookup.
//!
//! serde_norway keeps no positions in its `Value`, so lines are found in the
//! text: [`Lines::find_path`] walks a key path downwards, each key searched on
//! the lines after its parent's line and indented deeper than it. That is
//! exact for the block-style YAML infrastructure files are written in, and
//! falls back to the parent's line (never a wrong file) for flow style.
//!
//! Limits, so hostile YAML fails fast instead of hanging or exhausting
//! memory: serde_norway stops at 128 levels of nesting and at alias replays
//! beyond 100 per event; on top of that our own deserializer counts every
//! node it builds, aliases expanded included, and stops at a budget linear in
//! the input size (billion laughs and quadratic alias fans both hit it).

use std::cell::Cell;
use std::fmt;

use serde::de::{self, DeserializeSeed, EnumAccess, MapAccess, SeqAccess, VariantAccess, Visitor};
use serde_norway::{Mapping, Number, Value};

use crate::error::{decode, InfraError, Line};

/// Nodes allowed per input byte (with a floor): real files build about one
/// node per 5-10 bytes; the slack leaves room for honest `<<: *defaults`.
const NODES_PER_BYTE: usize = 8;
const MIN_NODE_BUDGET: usize = 100_000;

#[derive(Debug)]
/// One YAML document of a file, with the line its text starts on.
pub struct Doc {
    pub value: Value,
    /// 1-based line of the document's first line of text.
    pub first_line: u32,
}

/// Parses every document of a (possibly multi-document) YAML file.
/// A Kubernetes CustomResourceDefinition: an API schema, often megabytes of
/// it, that never says what runs where. Skipped unparsed (the file is still
/// listed), which keeps repositories that vendor CRDs fast.
fn is_crd(chunk: &str) -> bool {
    chunk
        .lines()
        .any(|line| line.trim_end() == "kind: CustomResourceDefinition")
}

pub fn load_all(label: &str, bytes: &[u8]) -> Result<(String, Vec<Doc>), InfraError> {
    load_all_where(label, bytes, |_| true)
}

/// [`load_all`], parsing only the documents `wanted` accepts (from their
/// text); the others are left out as if the file did not hold them.
pub fn load_all_where(
    label: &str,
    bytes: &[u8],
    wanted: impl Fn(&str) -> bool,
) -> Result<(String, Vec<Doc>), InfraError> {
    let text = decode(label, bytes)?;
    let budget = Cell::new((text.len() * NODES_PER_BYTE).max(MIN_NODE_BUDGET));
    let mut docs = Vec::new();
    for (first_line, chunk) in split_documents(text) {
        if chunk.trim().is_empty() || is_only_comments(chunk) || is_crd(chunk) || !wanted(chunk) {
            continue;
        }
        // Only what is parsed needs the guard against deep nesting.
        if let Some(line) = flow_too_deep(chunk) {
            return Err(InfraError::TooDeep {
                file: label.to_string(),
                line: Line(Some(line + first_line - 1)),
                limit: MAX_FLOW_DEPTH,
            });
        }
        let de = serde_norway::Deserializer::from_str(chunk);
        let seed = Build { budget: &budget };
        match seed.deserialize(de) {
            Ok(mut value) => {
                // `<<: *defaults` merge keys, as compose and GitLab files use.
                value.apply_merge().map_err(|e| InfraError::Yaml {
                    file: label.to_string(),
                    line: Line(Some(first_line)),
                    message: format!("merge key: {e}"),
                })?;
                docs.push(Doc { value, first_line })
            }
            Err(e) => {
                if budget.get() == 0 {
                    return Err(InfraError::YamlExpansion {
                        file: label.to_string(),
                        limit: (text.len() * NODES_PER_BYTE).max(MIN_NODE_BUDGET),
                    });
                }
                let line = e.location().map(|l| l.line() as u32 + first_line - 1);
                let message = e.to_string();
                if message.contains("recursion limit exceeded") {
                    return Err(InfraError::TooDeep {
                        file: label.to_string(),
                        line: Line(line),
                        limit: 128,
                    });
                }
                return Err(InfraError::Yaml {
                    file: label.to_string(),
                    line: Line(line),
                    message: strip_location(&message),
                });
            }
        }
    }
    Ok((text.to_string(), docs))
}

/// serde_norway refuses nesting past 128 only after libyaml has read every
/// event, which for 100k open brackets takes seconds; this linear pre-scan
/// refuses deep flow nesting first. Quoted text and comments are skipped;
/// a bracket in a plain scalar may count, which only matters past the limit.
const MAX_FLOW_DEPTH: usize = 128;

fn flow_too_deep(text: &str) -> Option<u32> {
    let mut depth = 0usize;
    let mut line = 1u32;
    let mut quote: Option<u8> = None;
    let mut prev = b'\n';
    let mut comment = false;
    for &b in text.as_bytes() {
        if b == b'\n' {
            line += 1;
            comment = false;
            prev = b;
            continue;
        }
        if comment {
            continue;
        }
        match quote {
            Some(q) if b == q => quote = None,
            Some(_) => {}
            None => match b {
                b'"' | b'\''
                    if matches!(prev, b' ' | b'[' | b'{' | b',' | b':' | b'\n' | b'\t') =>
                {
                    quote = Some(b)
                }
                b'#' if matches!(prev, b' ' | b'\t' | b'\n') => comment = true,
                b'[' | b'{' => {
                    depth += 1;
                    if depth > MAX_FLOW_DEPTH {
                        return Some(line);
                    }
                }
                b']' | b'}' => depth = depth.saturating_sub(1),
                _ => {}
            },
        }
        prev = b;
    }
    None
}

/// serde_norway appends " at line N column M"; we report the line ourselves
/// (shifted by the document's offset), so the text drops it.
fn strip_location(message: &str) -> String {
    match message.find(" at line ") {
        Some(i) => message[..i].to_string(),
        None => message.to_string(),
    }
}

fn is_only_comments(chunk: &str) -> bool {
    chunk.lines().all(|l| {
        let t = l.trim();
        t.is_empty() || t.starts_with('#') || t.starts_with('%')
    })
}

/// Splits at `---` document markers (column 0, alone or followed by a space)
/// and drops `...` end markers; gives each chunk with its first line number.
fn split_documents(text: &str) -> Vec<(u32, &str)> {
    let mut out = Vec::new();
    let mut start = 0usize;
    let mut start_line = 1u32;
    let mut offset = 0usize;
    for (line_no, line) in (1u32..).zip(text.split_inclusive('\n')) {
        let bare = line.trim_end_matches(['\n', '\r']);
        let marker = bare == "---" || bare.starts_with("--- ") || bare == "...";
        if marker {
            out.push((start_line, &text[start..offset]));
            if bare.starts_with("--- ") {
                // Content after the marker belongs to the new document; keep
                // the line, blanking the marker itself.
                start = offset + 3;
                start_line = line_no;
            } else {
                start = offset + line.len();
                start_line = line_no + 1;
            }
        }
        offset += line.len();
    }
    out.push((start_line, &text[start..]));
    out
}

struct Build<'b> {
    budget: &'b Cell<usize>,
}

impl Build<'_> {
    fn spend<E: de::Error>(&self) -> Result<(), E> {
        let left = self.budget.get();
        if left == 0 {
            return Err(E::custom("YAML node budget exhausted"));
        }
        self.budget.set(left - 1);
        Ok(())
    }
    fn again(&self) -> Build<'_> {
        Build {
            budget: self.budget,
        }
    }
}

impl<'de> DeserializeSeed<'de> for Build<'_> {
    type Value = Value;
    fn deserialize<D: de::Deserializer<'de>>(self, d: D) -> Result<Value, D::Error> {
        d.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for Build<'_> {
    type Value = Value;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("any YAML value")
    }
    fn visit_bool<E: de::Error>(self, v: bool) -> Result<Value, E> {
        self.spend()?;
        Ok(Value::Bool(v))
    }
    fn visit_i64<E: de::Error>(self, v: i64) -> Result<Value, E> {
        self.spend()?;
        Ok(Value::Number(Number::from(v)))
    }
    fn visit_u64<E: de::Error>(self, v: u64) -> Result<Value, E> {
        self.spend()?;
        Ok(Value::Number(Number::from(v)))
    }
    fn visit_f64<E: de::Error>(self, v: f64) -> Result<Value, E> {
        self.spend()?;
        Ok(Value::Number(Number::from(v)))
    }
    fn visit_str<E: de::Error>(self, v: &str) -> Result<Value, E> {
        self.spend()?;
        Ok(Value::String(v.to_string()))
    }
    fn visit_string<E: de::Error>(self, v: String) -> Result<Value, E> {
        self.spend()?;
        Ok(Value::String(v))
    }
    fn visit_unit<E: de::Error>(self) -> Result<Value, E> {
        self.spend()?;
        Ok(Value::Null)
    }
    fn visit_none<E: de::Error>(self) -> Result<Value, E> {
        self.visit_unit()
    }
    fn visit_some<D: de::Deserializer<'de>>(self, d: D) -> Result<Value, D::Error> {
        self.deserialize(d)
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Value, A::Error> {
        self.spend()?;
        let mut items = Vec::new();
        while let Some(item) = seq.next_element_seed(self.again())? {
            items.push(item);
        }
        Ok(Value::Sequence(items))
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Value, A::Error> {
        self.spend()?;
        let mut out = Mapping::new();
        while let Some(key) = map.next_key_seed(self.again())? {
            let value = map.next_value_seed(self.again())?;
            out.insert(key, value);
        }
        Ok(Value::Mapping(out))
    }
    // Tags (`!Ref`, GitLab's `!reference`) are dropped: we read the value.
    fn visit_enum<A: EnumAccess<'de>>(self, data: A) -> Result<Value, A::Error> {
        let (_tag, variant) = data.variant::<String>()?;
        variant.newtype_variant_seed(self)
    }
}

/// Line lookup over a file's text.
pub struct Lines<'t> {
    lines: Vec<&'t str>,
}

impl<'t> Lines<'t> {
    pub fn new(text: &'t str) -> Self {
        Lines {
            lines: text.lines().collect(),
        }
    }

    /// Finds the line of `key:` after line `after` (1-based, exclusive of
    /// nothing: the search starts on `after` itself when `inclusive`),
    /// indented more than `parent_indent`, stopping where a line at or below
    /// the parent's indentation ends the parent's block.
    pub fn find_key(&self, key: &str, after: u32, parent_indent: Option<usize>) -> Option<u32> {
        let start = after as usize; // lines after `after` (0-based index = after)
        for (i, line) in self.lines.iter().enumerate().skip(start) {
            let trimmed = line.trim_start();
            if trimmed.is_empty() || trimmed.starts_with('#') {
                continue;
            }
            let indent = line.len() - trimmed.len();
            let body = trimmed.trim_start_matches("- ").trim_start();
            if let Some(p) = parent_indent {
                if indent <= p && !(indent == p && trimmed.starts_with("- ")) {
                    return None;
                }
            }
            if key_matches(body, key) {
                return Some(i as u32 + 1);
            }
        }
        None
    }

    /// Indentation of the key on `line` (1-based), counting a `- ` list
    /// marker as indentation.
    pub fn key_indent(&self, line: u32) -> Option<usize> {
        let l = self.lines.get((line as usize).checked_sub(1)?)?;
        let body = l.trim_start().trim_start_matches("- ").trim_start();
        Some(l.len() - body.len())
    }

    /// The scope of a list item's keys: a `- name:` item's sibling keys sit
    /// at the same indentation as `name`, so the bound is one less.
    pub fn item_scope(&self, line: u32) -> Option<usize> {
        self.key_indent(line).map(|i| i.saturating_sub(1))
    }

    /// Walks `path` downwards from `from` (the line of the enclosing node,
    /// or the document's first line minus one for the top level); returns the
    /// deepest line found.
    pub fn find_path(&self, from: u32, top_indent: Option<usize>, path: &[&str]) -> u32 {
        let mut line = from;
        let mut indent = top_indent;
        for key in path {
            match self.find_key(key, line, indent) {
                Some(found) => {
                    line = found;
                    indent = self.key_indent(found);
                }
                None => break,
            }
        }
        line.max(1)
    }

    /// The first line at or after `from` that contains `needle`.
    pub fn find_text(&self, needle: &str, from: u32) -> Option<u32> {
        let start = (from as usize).saturating_sub(1);
        self.lines
            .iter()
            .enumerate()
            .skip(start)
            .find(|(_, l)| l.contains(needle))
            .map(|(i, _)| i as u32 + 1)
    }

    /// The n-th (0-based) list item (`- `) directly under the block that
    /// starts at `parent` (a `key:` line); falls back to `parent`.
    pub fn find_item(&self, parent: u32, n: usize) -> u32 {
        let Some(parent_indent) = self.key_indent(parent) else {
            return parent;
        };
        let mut seen = 0usize;
        let mut item_indent: Option<usize> = None;
        for (i, line) in self.lines.iter().enumerate().skip(parent as usize) {
            let trimmed = line.trim_start();
            if trimmed.is_empty() || trimmed.starts_with('#') {
                continue;
            }
            let indent = line.len() - trimmed.len();
            if indent < parent_indent || (indent == parent_indent && !trimmed.starts_with('-')) {
                break;
            }
            if trimmed.starts_with("- ") || trimmed == "-" {
                match item_indent {
                    None => item_indent = Some(indent),
                    Some(ii) if ii != indent => continue,
                    _ => {}
                }
                if seen == n {
                    return i as u32 + 1;
                }
                seen += 1;
            }
        }
        parent
    }
}

/// Finds sibling keys of one mapping in file order: each search starts where
/// the previous key was found, so a mapping of n keys costs O(lines) rather
/// than O(n x lines). A key out of order is searched again from the parent.
pub struct KeyCursor<'a, 't> {
    lines: &'a Lines<'t>,
    parent: u32,
    scope: Option<usize>,
    cursor: u32,
}

impl<'a, 't> KeyCursor<'a, 't> {
    pub fn new(lines: &'a Lines<'t>, parent: u32, scope: Option<usize>) -> Self {
        KeyCursor {
            lines,
            parent,
            scope,
            cursor: parent,
        }
    }

    pub fn find(&mut self, key: &str) -> Option<u32> {
        let found = self
            .lines
            .find_key(key, self.cursor, self.scope)
            .or_else(|| self.lines.find_key(key, self.parent, self.scope));
        if let Some(l) = found {
            self.cursor = l;
        }
        found
    }
}

fn key_matches(body: &str, key: &str) -> bool {
    let unquoted = |b: &str, q: char| -> bool {
        b.strip_prefix(q)
            .and_then(|r| r.strip_prefix(key))
            .and_then(|r| r.strip_prefix(q))
            .is_some_and(|r| r.trim_start().starts_with(':'))
    };
    if let Some(rest) = body.strip_prefix(key) {
        let rest = rest.trim_start_matches([' ', '\t']);
        return rest.starts_with(':') && (rest.len() == 1 || rest[1..].starts_with([' ', '\t']));
    }
    unquoted(body, '"') || unquoted(body, '\'')
}

/// Reading helpers over `Value`.
pub fn get<'v>(v: &'v Value, key: &str) -> Option<&'v Value> {
    match v {
        Value::Mapping(m) => m.get(key),
        _ => None,
    }
}

/// A scalar as text (strings, numbers, booleans); `None` for the rest.
pub fn scalar(v: &Value) -> Option<String> {
    match v {
        Value::String(s) => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        Value::Bool(b) => Some(b.to_string()),
        _ => None,
    }
}

pub fn str_at(v: &Value, key: &str) -> Option<String> {
    get(v, key).and_then(scalar)
}

/// A mapping's entries with string keys, in file order.
pub fn entries(v: &Value) -> impl Iterator<Item = (&str, &Value)> {
    let map = match v {
        Value::Mapping(m) => Some(m),
        _ => None,
    };
    map.into_iter()
        .flat_map(|m| m.iter())
        .filter_map(|(k, v)| match k {
            Value::String(s) => Some((s.as_str(), v)),
            _ => None,
        })
}

pub fn seq(v: &Value) -> &[Value] {
    match v {
        Value::Sequence(s) => s,
        _ => &[],
    }
}

/// A list of scalars, or a single scalar as a one-item list.
pub fn strings(v: &Value) -> Vec<String> {
    match v {
        Value::Sequence(s) => s.iter().filter_map(scalar).collect(),
        other => scalar(other).into_iter().collect(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn documents_keep_their_first_lines() {
        let (_, docs) = load_all("t.yaml", b"a: 1\n---\nb: 2\n--- \n# c\n---\nc: 3\n").unwrap();
        let lines: Vec<u32> = docs.iter().map(|d| d.first_line).collect();
        assert_eq!(lines, vec![1, 3, 7]);
    }

    #[test]
    fn crds_are_skipped_and_the_rest_keeps_its_lines() {
        let text = b"apiVersion: apiextensions.k8s.io/v1\nkind: CustomResourceDefinition\nspec:\n  names:\n    kind: Widget\n---\nkind: Deployment\nmetadata:\n  name: api\n";
        let (_, docs) = load_all("t.yaml", text).unwrap();
        let lines: Vec<u32> = docs.iter().map(|d| d.first_line).collect();
        assert_eq!(lines, vec![7]);
        // A nested `kind:` of that name is not a CRD.
        let (_, docs) = load_all("t.yaml", b"spec:\n  kind: CustomResourceDefinition\n").unwrap();
        assert_eq!(docs.len(), 1);
    }

    #[test]
    fn path_lookup_respects_indentation() {
        let text = "a:\n  x: 1\nb:\n  x: 2\n  y:\n    - name: z\n      x: 3\n";
        let lines = Lines::new(text);
        assert_eq!(lines.find_path(0, None, &["b", "x"]), 4);
        assert_eq!(lines.find_path(0, None, &["b", "y"]), 5);
        assert_eq!(lines.find_item(5, 0), 6);
        assert_eq!(lines.find_path(6, lines.item_scope(6), &["x"]), 7);
        assert_eq!(lines.find_path(0, None, &["a", "nope"]), 1);
    }

    #[test]
    fn error_lines_count_from_the_file_start() {
        let err = load_all("k.yaml", b"a: 1\n---\nb: [1, 2\n").unwrap_err();
        assert_eq!(err.file(), "k.yaml");
        assert!(err.line().is_some_and(|l| l >= 3), "{err}");
    }
}
