//! yarn.lock: classic (v1, its own indented format) and berry (v2+, YAML
//! with a `__metadata` entry). In both, an entry's key lists every
//! descriptor (`name@range`) that resolved to it.

use std::collections::HashSet;

use serde::Deserialize;

use super::npm::split_name_version;
use crate::component::{Collector, ParseOutput};
use crate::decode::{self, Entries, Scalar};
use crate::{Component, Ecosystem, ParseError};

pub(crate) fn parse(label: &str, text: &str) -> Result<ParseOutput, ParseError> {
    if text.lines().any(|line| line.starts_with("__metadata:")) {
        berry(label, text)
    } else {
        classic(label, text)
    }
}

/// Descriptors of a key: `"a@^1, a@^1.2":` or `a@^1, a@^1.2:`.
fn descriptors(key: &str) -> impl Iterator<Item = &str> {
    key.split(',')
        .map(|d| d.trim().trim_matches('"'))
        .filter(|d| !d.is_empty())
}

/// Local code: workspaces, links, folders.
fn is_local_range(range: &str) -> bool {
    ["workspace:", "link:", "portal:", "file:"]
        .iter()
        .any(|p| range.starts_with(p))
}

fn classic(label: &str, text: &str) -> Result<ParseOutput, ParseError> {
    let mut out = Collector::default();
    // (line, name) of the entry whose fields are being read.
    let mut current: Option<(usize, String)> = None;
    for (index, line) in text.lines().enumerate() {
        let number = index + 1;
        if line.trim().is_empty() || line.trim_start().starts_with('#') {
            continue;
        }
        if !line.starts_with(' ') {
            if let Some((at, _)) = current.take() {
                return Err(ParseError::new(label, "entry has no version").at_line(at));
            }
            let key = line.trim_end().strip_suffix(':').ok_or_else(|| {
                ParseError::new(label, "expected `descriptor[, descriptor]:`").at_line(number)
            })?;
            let first = descriptors(key).next().ok_or_else(|| {
                ParseError::new(label, "entry key has no descriptor").at_line(number)
            })?;
            let (name, range) = split_name_version(first).ok_or_else(|| {
                ParseError::new(label, format!("descriptor `{first}` has no `@range`"))
                    .at_line(number)
            })?;
            if is_local_range(range) {
                continue;
            }
            // `alias@npm:real@^1` installs `real`.
            let name = range
                .strip_prefix("npm:")
                .and_then(split_name_version)
                .map_or(name, |(real, _)| real);
            current = Some((number, name.to_string()));
            continue;
        }
        let Some(rest) = line.strip_prefix("  ").filter(|r| !r.starts_with(' ')) else {
            continue;
        };
        if let Some(value) = rest.strip_prefix("version ") {
            if let Some((_, name)) = current.take() {
                let version = value.trim().trim_matches('"');
                out.push(Component::new(Ecosystem::Npm, &name, version, label));
            }
        }
    }
    if let Some((at, _)) = current {
        return Err(ParseError::new(label, "entry has no version").at_line(at));
    }
    Ok(out.finish())
}

#[derive(Deserialize)]
struct BerryEntry {
    version: Option<Scalar>,
    resolution: Option<String>,
    dependencies: Option<Entries<Scalar>>,
}

fn berry(label: &str, text: &str) -> Result<ParseOutput, ParseError> {
    let entries: Entries<BerryEntry> = decode::yaml(label, text)?;
    let mut workspace_deps: HashSet<String> = HashSet::new();
    let mut has_workspace = false;
    for (_, entry) in entries.iter() {
        let resolution = entry.resolution.as_deref().unwrap_or_default();
        let is_workspace = split_name_version(resolution)
            .is_some_and(|(_, range)| range.starts_with("workspace:"));
        if !is_workspace {
            continue;
        }
        has_workspace = true;
        for (name, range) in entry.dependencies.iter().flat_map(|d| d.iter()) {
            workspace_deps.insert(format!("{name}@{}", range.0));
            // Berry keys carry the protocol; a bare range means npm.
            if !range.0.contains(':') {
                workspace_deps.insert(format!("{name}@npm:{}", range.0));
            }
        }
    }
    let mut out = Collector::default();
    for (key, entry) in entries.iter() {
        if key == "__metadata" {
            continue;
        }
        let resolution = entry.resolution.as_deref().unwrap_or(key);
        let Some((name, range)) = split_name_version(resolution) else {
            return Err(ParseError::new(
                label,
                format!("resolution `{resolution}` is not `name@reference`"),
            )
            .field(key));
        };
        if is_local_range(range) {
            continue;
        }
        let version = match &entry.version {
            Some(v) => v.0.clone(),
            None => range.strip_prefix("npm:").unwrap_or_default().to_string(),
        };
        let direct = has_workspace.then(|| descriptors(key).any(|d| workspace_deps.contains(d)));
        out.push(Component::new(Ecosystem::Npm, name, &version, label).direct(direct));
    }
    Ok(out.finish())
}
