//! Helm: `Chart.yaml` (name, versions, dependencies — bitnami's postgresql
//! or redis charts are databases), `values*.yaml` (every `image:` whether a
//! string or a `repository`/`tag` map), and `templates/`, which are Go
//! templates rather than YAML: scanned line by line for literal images.

use serde_norway::Value;

use crate::error::{decode, InfraError};
use crate::fact::{ChartDependency, Database, Fact, HelmChart, ImageUse};
use crate::image::{engine_of_image, has_variable, image_fact};
use crate::yaml::{entries, get, load_all, seq, str_at, KeyCursor, Lines};

pub fn parse_chart(label: &str, bytes: &[u8]) -> Result<Vec<Fact>, InfraError> {
    let (text, docs) = load_all(label, bytes)?;
    let lines = Lines::new(&text);
    let mut facts = Vec::new();
    let Some(doc) = docs.first() else {
        return Ok(facts);
    };
    let top = doc.first_line.saturating_sub(1);
    let chart = &doc.value;
    let Some(name) = str_at(chart, "name") else {
        return Err(InfraError::Field {
            file: label.to_string(),
            line: crate::error::Line(Some(doc.first_line)),
            field: "name".to_string(),
            message: "a chart needs a name".to_string(),
        });
    };
    let deps_line = lines.find_path(top, None, &["dependencies"]);
    let mut dependencies = Vec::new();
    for (i, d) in seq(get(chart, "dependencies").unwrap_or(&Value::Null))
        .iter()
        .enumerate()
    {
        let Some(dep_name) = str_at(d, "name") else {
            continue;
        };
        let line = lines.find_item(deps_line, i);
        if let Some((engine, kind)) = engine_of_image(&dep_name) {
            facts.push(Fact::Database(Database {
                file: label.to_string(),
                line,
                engine: engine.to_string(),
                kind,
                version: None,
                evidence: format!("Helm dependency {dep_name}"),
                name: Some(str_at(d, "alias").unwrap_or_else(|| dep_name.clone())),
            }));
        }
        dependencies.push(ChartDependency {
            name: dep_name,
            version: str_at(d, "version"),
            repository: str_at(d, "repository"),
            line,
        });
    }
    facts.push(Fact::HelmChart(HelmChart {
        file: label.to_string(),
        line: lines.find_path(top, None, &["name"]),
        name,
        version: str_at(chart, "version"),
        app_version: str_at(chart, "appVersion"),
        dependencies,
    }));
    Ok(facts)
}

pub fn parse_values(label: &str, bytes: &[u8]) -> Result<Vec<Fact>, InfraError> {
    let (text, docs) = load_all(label, bytes)?;
    let lines = Lines::new(&text);
    let mut facts = Vec::new();
    for doc in &docs {
        let mut path = Vec::new();
        walk_values(
            label,
            &lines,
            doc.first_line.saturating_sub(1),
            None,
            &doc.value,
            &mut path,
            &mut facts,
        );
    }
    Ok(facts)
}

/// Depth-first over mappings (serde_norway has already capped nesting).
fn walk_values<'v>(
    label: &str,
    lines: &Lines,
    parent_line: u32,
    parent_scope: Option<usize>,
    v: &'v Value,
    path: &mut Vec<&'v str>,
    facts: &mut Vec<Fact>,
) {
    let mut keys = KeyCursor::new(lines, parent_line, parent_scope);
    for (key, child) in entries(v) {
        let line = keys.find(key).unwrap_or(parent_line.max(1));
        if key == "image" {
            let reference = match child {
                Value::String(s) => Some(s.clone()),
                Value::Mapping(_) => image_from_map(child),
                _ => None,
            };
            if let Some(r) = reference.filter(|r| !r.is_empty()) {
                let image_line = match child {
                    Value::Mapping(_) => {
                        lines.find_path(line, lines.key_indent(line), &["repository"])
                    }
                    _ => line,
                };
                let mut img = image_fact(label, image_line, ImageUse::HelmValues, &r);
                img.owner = path.last().map(|s| s.to_string());
                facts.push(Fact::Image(img));
            }
            continue;
        }
        if matches!(child, Value::Mapping(_)) {
            path.push(key);
            walk_values(
                label,
                lines,
                line,
                lines.key_indent(line),
                child,
                path,
                facts,
            );
            path.pop();
        }
    }
}

/// `{registry, repository, tag, digest}` as one reference.
fn image_from_map(m: &Value) -> Option<String> {
    let repo = str_at(m, "repository").or_else(|| str_at(m, "name"))?;
    let mut r = match str_at(m, "registry").filter(|s| !s.is_empty()) {
        Some(reg) => format!("{reg}/{repo}"),
        None => repo,
    };
    if let Some(tag) = str_at(m, "tag").filter(|t| !t.is_empty()) {
        r.push(':');
        r.push_str(&tag);
    }
    if let Some(d) = str_at(m, "digest").filter(|d| !d.is_empty()) {
        r.push('@');
        r.push_str(&d);
    }
    Some(r)
}

/// Templates: literal `image:` values only (templated ones come from the
/// values file, which we read as such).
pub fn parse_template(label: &str, bytes: &[u8]) -> Result<Vec<Fact>, InfraError> {
    let text = decode(label, bytes)?;
    let mut facts = Vec::new();
    for (i, line) in text.lines().enumerate() {
        let body = line.trim_start().trim_start_matches("- ").trim_start();
        let Some(rest) = body.strip_prefix("image:") else {
            continue;
        };
        let value = rest
            .split(" #")
            .next()
            .unwrap_or(rest)
            .trim()
            .trim_matches(['"', '\'']);
        if value.is_empty() || has_variable(value) {
            continue;
        }
        facts.push(Fact::Image(image_fact(
            label,
            i as u32 + 1,
            ImageUse::HelmTemplate,
            value,
        )));
    }
    Ok(facts)
}
