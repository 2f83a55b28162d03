use std::collections::HashMap;

use serde::Serialize;

use crate::{purl, Ecosystem};

/// One package a project depends on, as one file records it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Component {
    /// The name as the ecosystem writes it: `@scope/pkg` for npm,
    /// `group:artifact` for Maven, `vendor/pkg` for Composer, the module path
    /// for Go, the repository URL without scheme and `.git` for SwiftPM.
    pub name: String,
    /// The resolved (locked or pinned) version; empty when the file only
    /// declares the package, with a range or with no version at all.
    pub version: String,
    pub ecosystem: Ecosystem,
    /// Whether the project asked for it itself, where the format says.
    pub direct: Option<bool>,
    /// Whether only development, test or build tooling needs it, where the
    /// format says.
    pub dev: Option<bool>,
    /// The path label the caller gave for the file.
    pub source: String,
    pub purl: String,
    /// The declared range when the file gives one instead of a version
    /// (`>=2,<3`, `[1.0,2.0)`, `1.+`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub constraint: Option<String>,
}

impl Component {
    pub fn new(ecosystem: Ecosystem, name: &str, version: &str, source: &str) -> Self {
        Component {
            name: name.to_string(),
            version: version.to_string(),
            ecosystem,
            direct: None,
            dev: None,
            source: source.to_string(),
            purl: purl(ecosystem, name, version),
            constraint: None,
        }
    }

    pub(crate) fn direct(mut self, direct: Option<bool>) -> Self {
        self.direct = direct;
        self
    }

    pub(crate) fn dev(mut self, dev: Option<bool>) -> Self {
        self.dev = dev;
        self
    }

    pub(crate) fn constraint(mut self, constraint: Option<String>) -> Self {
        self.constraint = constraint.filter(|c| !c.is_empty());
        self
    }
}

/// Something a parser saw and did not turn into a component, with its line
/// where known.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ParseNote {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub line: Option<usize>,
    pub message: String,
}

/// Components of one file and the notes made on the way.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct ParseOutput {
    pub components: Vec<Component>,
    pub notes: Vec<ParseNote>,
}

/// Collects components in file order, merging repeats of the same name and
/// version (nested copies in node_modules, one gem per platform).
#[derive(Default)]
pub(crate) struct Collector {
    out: ParseOutput,
    index: HashMap<(String, String), usize>,
}

impl Collector {
    pub(crate) fn push(&mut self, component: Component) {
        let key = (component.name.clone(), component.version.clone());
        match self.index.get(&key) {
            Some(&at) => {
                if let Some(kept) = self.out.components.get_mut(at) {
                    kept.direct = merge_any(kept.direct, component.direct);
                    kept.dev = merge_all(kept.dev, component.dev);
                    if kept.constraint.is_none() {
                        kept.constraint = component.constraint;
                    }
                }
            }
            None => {
                self.index.insert(key, self.out.components.len());
                self.out.components.push(component);
            }
        }
    }

    pub(crate) fn note(&mut self, line: Option<usize>, message: impl Into<String>) {
        self.out.notes.push(ParseNote {
            line,
            message: message.into(),
        });
    }

    pub(crate) fn finish(self) -> ParseOutput {
        self.out
    }
}

/// Direct if any copy is direct.
fn merge_any(a: Option<bool>, b: Option<bool>) -> Option<bool> {
    match (a, b) {
        (Some(true), _) | (_, Some(true)) => Some(true),
        (Some(false), _) | (_, Some(false)) => Some(false),
        _ => None,
    }
}

/// Development-only if every copy is; one production copy makes it needed.
fn merge_all(a: Option<bool>, b: Option<bool>) -> Option<bool> {
    match (a, b) {
        (Some(false), _) | (_, Some(false)) => Some(false),
        (Some(true), Some(true)) => Some(true),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn repeats_merge_direct_and_dev() {
        let mut c = Collector::default();
        let a = Component::new(Ecosystem::Npm, "a", "1.0.0", "f");
        c.push(a.clone().direct(Some(false)).dev(Some(true)));
        c.push(a.clone().direct(Some(true)).dev(Some(false)));
        c.push(Component::new(Ecosystem::Npm, "a", "2.0.0", "f").dev(Some(true)));
        let out = c.finish();
        assert_eq!(out.components.len(), 2);
        assert_eq!(out.components[0].direct, Some(true));
        assert_eq!(out.components[0].dev, Some(false));
        assert_eq!(out.components[1].version, "2.0.0");
        assert_eq!(merge_all(Some(true), None), None);
        assert_eq!(merge_any(None, None), None);
    }
}
