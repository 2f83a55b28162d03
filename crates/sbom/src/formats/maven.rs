//! pom.xml, declared dependencies: `project/dependencies`, with versions and
//! scopes filled from `dependencyManagement` and `${property}` references
//! resolved from `<properties>`, the project and its parent. Versions that
//! a parent POM or an imported BOM manage are left empty (not in this file).

use std::collections::HashMap;

use quick_xml::events::Event;
use quick_xml::Reader;

use crate::component::{Collector, ParseOutput};
use crate::decode::line_of;
use crate::{Component, Ecosystem, ParseError};

/// Deeper than any real POM; bounds the element stack on hostile input.
const MAX_DEPTH: usize = 256;
/// Property chains longer than this are treated as unresolvable (cycles).
const MAX_EXPANSIONS: usize = 16;

#[derive(Default, Clone)]
struct Dependency {
    line: usize,
    group: String,
    artifact: String,
    version: String,
    scope: String,
}

#[derive(Default)]
struct Pom {
    group: String,
    artifact: String,
    version: String,
    parent_group: String,
    parent_version: String,
    properties: HashMap<String, String>,
    dependencies: Vec<Dependency>,
    managed: Vec<Dependency>,
}

pub(crate) fn parse(label: &str, text: &str) -> Result<ParseOutput, ParseError> {
    let pom = read(label, text)?;
    let mut out = Collector::default();
    let managed: HashMap<(String, String), &Dependency> = pom
        .managed
        .iter()
        .map(|d| ((pom.resolve(&d.group), pom.resolve(&d.artifact)), d))
        .collect();
    for d in pom.managed.iter().filter(|d| d.scope == "import") {
        out.note(
            Some(d.line),
            format!(
                "versions managed by the imported BOM `{}:{}` are not in this file",
                pom.resolve(&d.group),
                pom.resolve(&d.artifact)
            ),
        );
    }
    for dep in &pom.dependencies {
        let group = pom.resolve(&dep.group);
        let artifact = pom.resolve(&dep.artifact);
        let manager = managed.get(&(group.clone(), artifact.clone()));
        let raw_version = match (dep.version.is_empty(), manager) {
            (true, Some(m)) => m.version.as_str(),
            _ => dep.version.as_str(),
        };
        let scope = match (dep.scope.is_empty(), manager) {
            (true, Some(m)) => m.scope.as_str(),
            _ => dep.scope.as_str(),
        };
        let mut version = pom.resolve(raw_version);
        if version.contains("${") {
            out.note(
                Some(dep.line),
                format!("`{group}:{artifact}` version `{version}` has an unresolved property"),
            );
            version.clear();
        }
        let mut constraint = None;
        if version.starts_with(['[', '(']) {
            constraint = Some(std::mem::take(&mut version));
        }
        if group.is_empty() || artifact.is_empty() {
            return Err(
                ParseError::new(label, "dependency without groupId or artifactId")
                    .at_line(dep.line)
                    .field("project.dependencies.dependency"),
            );
        }
        out.push(
            Component::new(
                Ecosystem::Maven,
                &format!("{group}:{artifact}"),
                &version,
                label,
            )
            .direct(Some(true))
            .dev(Some(scope == "test"))
            .constraint(constraint),
        );
    }
    Ok(out.finish())
}

impl Pom {
    fn builtin(&self, name: &str) -> Option<&str> {
        let value = match name {
            "project.version" | "pom.version" | "version" => {
                if self.version.is_empty() {
                    &self.parent_version
                } else {
                    &self.version
                }
            }
            "project.groupId" | "pom.groupId" | "groupId" => {
                if self.group.is_empty() {
                    &self.parent_group
                } else {
                    &self.group
                }
            }
            "project.artifactId" | "pom.artifactId" | "artifactId" => &self.artifact,
            "project.parent.version" | "parent.version" => &self.parent_version,
            "project.parent.groupId" | "parent.groupId" => &self.parent_group,
            _ => return None,
        };
        (!value.is_empty()).then_some(value.as_str())
    }

    /// Expands `${name}` references; what cannot be expanded stays.
    fn resolve(&self, value: &str) -> String {
        let mut current = value.trim().to_string();
        for _ in 0..MAX_EXPANSIONS {
            if !current.contains("${") {
                break;
            }
            let mut next = String::with_capacity(current.len());
            let mut rest = current.as_str();
            let mut changed = false;
            while let Some(start) = rest.find("${") {
                next.push_str(rest.get(..start).unwrap_or_default());
                let after = rest.get(start + 2..).unwrap_or_default();
                let Some(end) = after.find('}') else {
                    next.push_str(rest.get(start..).unwrap_or_default());
                    rest = "";
                    break;
                };
                let name = after.get(..end).unwrap_or_default();
                match self
                    .properties
                    .get(name)
                    .map(String::as_str)
                    .or_else(|| self.builtin(name))
                {
                    Some(value) => {
                        next.push_str(value.trim());
                        changed = true;
                    }
                    None => {
                        next.push_str("${");
                        next.push_str(name);
                        next.push('}');
                    }
                }
                rest = after.get(end + 1..).unwrap_or_default();
            }
            next.push_str(rest);
            current = next;
            if !changed {
                break;
            }
        }
        current
    }
}

fn read(label: &str, text: &str) -> Result<Pom, ParseError> {
    let mut reader = Reader::from_str(text);
    reader.config_mut().trim_text(true);
    let mut pom = Pom::default();
    let mut stack: Vec<String> = Vec::new();
    let mut value = String::new();
    let mut current = Dependency::default();
    let xml_error = |reader: &Reader<&[u8]>, e: &dyn std::fmt::Display| {
        let at = usize::try_from(reader.error_position()).unwrap_or(usize::MAX);
        ParseError::new(label, format!("XML: {e}")).at_line(line_of(text.as_bytes(), at))
    };
    loop {
        let event = reader.read_event().map_err(|e| xml_error(&reader, &e))?;
        match event {
            Event::Start(start) => {
                if stack.len() >= MAX_DEPTH {
                    let at = usize::try_from(reader.buffer_position()).unwrap_or(usize::MAX);
                    return Err(ParseError::new(
                        label,
                        format!("elements nested deeper than {MAX_DEPTH}"),
                    )
                    .at_line(line_of(text.as_bytes(), at)));
                }
                let name = String::from_utf8_lossy(start.local_name().as_ref()).into_owned();
                stack.push(name);
                value.clear();
                if is_dependency(&stack) {
                    let at = usize::try_from(reader.buffer_position()).unwrap_or(usize::MAX);
                    current = Dependency {
                        line: line_of(text.as_bytes(), at),
                        ..Dependency::default()
                    };
                }
            }
            Event::Text(t) => {
                let text = t.unescape().map_err(|e| {
                    // Not a reader error: the text just read holds it.
                    let at = usize::try_from(reader.buffer_position()).unwrap_or(usize::MAX);
                    ParseError::new(label, format!("XML: {e}"))
                        .at_line(line_of(text.as_bytes(), at))
                })?;
                value.push_str(&text);
            }
            Event::CData(t) => value.push_str(&String::from_utf8_lossy(&t)),
            Event::End(_) => {
                store(&mut pom, &stack, &mut current, std::mem::take(&mut value));
                stack.pop();
            }
            Event::Eof => break,
            _ => {}
        }
    }
    if !stack.is_empty() {
        return Err(ParseError::new(
            label,
            format!("unclosed element `{}` at end of file", stack.join("/")),
        ));
    }
    if pom.artifact.is_empty() && pom.dependencies.is_empty() && pom.group.is_empty() {
        return Err(ParseError::new(label, "no <project> element: not a POM"));
    }
    Ok(pom)
}

fn is_dependency(stack: &[String]) -> bool {
    let path: Vec<&str> = stack.iter().map(String::as_str).collect();
    matches!(
        path.as_slice(),
        ["project", "dependencies", "dependency"]
            | [
                "project",
                "dependencyManagement",
                "dependencies",
                "dependency"
            ]
    )
}

/// Files the text of the element just closed (the top of `stack`).
fn store(pom: &mut Pom, stack: &[String], current: &mut Dependency, value: String) {
    let path: Vec<&str> = stack.iter().map(String::as_str).collect();
    match path.as_slice() {
        ["project", "groupId"] => pom.group = value,
        ["project", "artifactId"] => pom.artifact = value,
        ["project", "version"] => pom.version = value,
        ["project", "parent", "groupId"] => pom.parent_group = value,
        ["project", "parent", "version"] => pom.parent_version = value,
        ["project", "properties", name] => {
            pom.properties.insert((*name).to_string(), value);
        }
        ["project", "dependencies", "dependency"] => pom.dependencies.push(std::mem::take(current)),
        ["project", "dependencyManagement", "dependencies", "dependency"] => {
            pom.managed.push(std::mem::take(current))
        }
        ["project", "dependencies" | "dependencyManagement", .., "dependency", field] => {
            match *field {
                "groupId" => current.group = value,
                "artifactId" => current.artifact = value,
                "version" => current.version = value,
                "scope" => current.scope = value,
                _ => {}
            }
        }
        _ => {}
    }
}
