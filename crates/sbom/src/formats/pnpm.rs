//! pnpm-lock.yaml. Layouts: v5 (`/name/1.0.0_peer@2` keys, `dev` flags),
//! v6 (`/name@1.0.0(peer@2)` keys, `dev` flags) and v9 (`name@1.0.0` keys,
//! `snapshots` holding the graph, no `dev` flags: development-only is what
//! the production roots cannot reach). Importers (or, without workspaces,
//! the top-level dependency maps) say what is direct.

use std::collections::{HashMap, HashSet};

use serde::Deserialize;

use crate::component::{Collector, ParseOutput};
use crate::decode::{self, Entries, Scalar};
use crate::{Component, Ecosystem, ParseError};

#[derive(Deserialize)]
struct Lock {
    #[serde(rename = "lockfileVersion")]
    lockfile_version: Option<Scalar>,
    importers: Option<Entries<Importer>>,
    #[serde(flatten)]
    root: Importer,
    packages: Option<Entries<PackageEntry>>,
    snapshots: Option<Entries<Snapshot>>,
}

#[derive(Deserialize, Default)]
struct Importer {
    dependencies: Option<Entries<ImporterDep>>,
    #[serde(rename = "optionalDependencies")]
    optional_dependencies: Option<Entries<ImporterDep>>,
    #[serde(rename = "devDependencies")]
    dev_dependencies: Option<Entries<ImporterDep>>,
}

/// v5 writes the resolved version alone; v6 and v9 write
/// `{specifier, version}`.
#[derive(Deserialize)]
#[serde(untagged)]
enum ImporterDep {
    Version(Scalar),
    Detailed { version: Scalar },
}

impl ImporterDep {
    fn version(&self) -> &str {
        match self {
            ImporterDep::Version(v) | ImporterDep::Detailed { version: v } => &v.0,
        }
    }
}

#[derive(Deserialize)]
struct PackageEntry {
    name: Option<String>,
    version: Option<Scalar>,
    dev: Option<bool>,
}

#[derive(Deserialize, Default)]
struct Snapshot {
    dependencies: Option<Entries<Scalar>>,
    #[serde(rename = "optionalDependencies")]
    optional_dependencies: Option<Entries<Scalar>>,
}

pub(crate) fn parse(label: &str, text: &str) -> Result<ParseOutput, ParseError> {
    let lock: Lock = decode::yaml(label, text)?;
    let major = lock
        .lockfile_version
        .as_ref()
        .and_then(|v| v.0.split('.').next()?.parse::<u32>().ok())
        .unwrap_or(0);
    let importers: Vec<&Importer> = match &lock.importers {
        Some(importers) => importers.iter().map(|(_, i)| i).collect(),
        None => vec![&lock.root],
    };
    // Direct dependencies as (name, version without peer suffix); links to
    // workspace folders are the project's own code.
    let mut direct: HashSet<(String, String)> = HashSet::new();
    let mut prod_roots: Vec<String> = Vec::new();
    let mut has_roots = false;
    for importer in &importers {
        for (map, prod) in [
            (&importer.dependencies, true),
            (&importer.optional_dependencies, true),
            (&importer.dev_dependencies, false),
        ] {
            for (name, dep) in map.iter().flat_map(|m| m.iter()) {
                has_roots = true;
                let version = dep.version();
                if version.starts_with("link:") {
                    continue;
                }
                direct.insert(resolve_alias(name, version, major));
                if prod {
                    prod_roots.push(dep_target(name, version));
                }
            }
        }
    }
    let prod_reachable = match (&lock.snapshots, major >= 9) {
        (Some(snapshots), true) => Some(reachable(snapshots, prod_roots)),
        _ => None,
    };

    let mut out = Collector::default();
    for (key, entry) in lock.packages.iter().flat_map(|p| p.iter()) {
        let Some((key_name, key_version)) = split_key(key, major) else {
            return Err(
                ParseError::new(label, format!("package key `{key}` has no version"))
                    .field(format!("packages.{key}")),
            );
        };
        let name = entry.name.as_deref().unwrap_or(key_name);
        let version = entry.version.as_ref().map_or(key_version, |v| v.0.as_str());
        let is_direct = has_roots.then(|| {
            direct.contains(&(name.to_string(), version.to_string()))
                || direct.contains(&(key_name.to_string(), key_version.to_string()))
        });
        let dev = match &prod_reachable {
            Some(prod) => Some(!prod.contains(&(key_name, key_version))),
            // v5/v6: no flag means both production and development use it.
            None => Some(entry.dev == Some(true)),
        };
        out.push(
            Component::new(Ecosystem::Npm, name, version, label)
                .direct(is_direct)
                .dev(dev),
        );
    }
    Ok(out.finish())
}

/// `1.0.0(react@18.2.0)` (v6+) or `1.0.0_react@18.2.0` (v5) to `1.0.0`.
fn strip_peers(version: &str) -> &str {
    let end = version.find(['(', '_']).unwrap_or(version.len());
    version.get(..end).unwrap_or(version)
}

/// The package a direct dependency names: itself, or the target of an
/// alias (`/ms/2.0.0` in v5, `ms@2.0.0` in v6 and v9).
fn resolve_alias(name: &str, version: &str, major: u32) -> (String, String) {
    let head = version
        .find('(')
        .and_then(|at| version.get(..at))
        .unwrap_or(version);
    let target = if head.starts_with('/') {
        split_key(version, major)
    } else if major >= 6 && head.contains('@') {
        super::npm::split_name_version(head)
    } else {
        None
    };
    match target {
        Some((real, real_version)) => (real.to_string(), real_version.to_string()),
        None => (name.to_string(), strip_peers(version).to_string()),
    }
}

/// The v9 snapshot key a dependency `name: version` points at; an alias
/// (`string-width-cjs: string-width@4.2.3`) names its target in full.
fn dep_target(name: &str, version: &str) -> String {
    let head = version
        .find('(')
        .and_then(|at| version.get(..at))
        .unwrap_or(version);
    if head.contains('@') {
        version.to_string()
    } else {
        format!("{name}@{version}")
    }
}

/// Name and version from a `packages` key, peer suffixes removed.
fn split_key(key: &str, major: u32) -> Option<(&str, &str)> {
    let key = key.strip_prefix('/').unwrap_or(key);
    if major > 0 && major < 6 {
        // `name/1.0.0_peer` or `@scope/name/1.0.0`.
        let (name, version) = key.rsplit_once('/')?;
        return Some((name, strip_peers(version)));
    }
    let without_peers = key.find('(').and_then(|at| key.get(..at)).unwrap_or(key);
    super::npm::split_name_version(without_peers)
}

/// Every (name, version) reachable from the roots over the v9 snapshots.
fn reachable(snapshots: &Entries<Snapshot>, roots: Vec<String>) -> HashSet<(&str, &str)> {
    let by_key: HashMap<&str, &Snapshot> = snapshots.iter().collect();
    let mut seen: HashSet<String> = HashSet::new();
    let mut found: HashSet<(&str, &str)> = HashSet::new();
    let mut queue = roots;
    while let Some(key) = queue.pop() {
        if !seen.insert(key.clone()) {
            continue;
        }
        let Some((&snapshot_key, snapshot)) = by_key.get_key_value(key.as_str()) else {
            continue;
        };
        if let Some(pair) = split_key(snapshot_key, 9) {
            found.insert(pair);
        }
        for deps in [&snapshot.dependencies, &snapshot.optional_dependencies]
            .into_iter()
            .flatten()
        {
            for (name, version) in deps.iter() {
                let target = dep_target(name, &version.0);
                if !seen.contains(&target) {
                    queue.push(target);
                }
            }
        }
    }
    found
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_of_each_layout() {
        assert_eq!(split_key("/lodash/4.17.21", 5), Some(("lodash", "4.17.21")));
        assert_eq!(
            split_key("/@babel/core/7.0.0_react@18.2.0", 5),
            Some(("@babel/core", "7.0.0"))
        );
        assert_eq!(split_key("/@a/b@1.0.0(c@2)", 6), Some(("@a/b", "1.0.0")));
        assert_eq!(split_key("a@1.0.0(b@2(c@3))", 9), Some(("a", "1.0.0")));
        assert_eq!(split_key("nothing", 9), None);
        assert_eq!(dep_target("a", "1.0.0(b@2)"), "a@1.0.0(b@2)");
        let pair = |a: &str, b: &str| (a.to_string(), b.to_string());
        assert_eq!(resolve_alias("old", "/ms/2.0.0", 5), pair("ms", "2.0.0"));
        assert_eq!(resolve_alias("old", "ms@2.0.0", 9), pair("ms", "2.0.0"));
        assert_eq!(resolve_alias("a", "1.0.0(b@2)", 9), pair("a", "1.0.0"));
        assert_eq!(resolve_alias("a", "1.0.0_b@2", 5), pair("a", "1.0.0"));
        assert_eq!(dep_target("a-cjs", "a@1.0.0"), "a@1.0.0");
    }
}
