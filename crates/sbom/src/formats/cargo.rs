//! Cargo.lock (v1 to v4). Packages without a `source` are the workspace's own
//! crates (or path dependencies): not components, but their dependency lists
//! say which crates are direct.

use std::collections::HashSet;

use serde::Deserialize;

use crate::component::{Collector, ParseOutput};
use crate::decode::{self, List};
use crate::{Component, Ecosystem, ParseError};

#[derive(Deserialize)]
struct Lock {
    #[serde(default)]
    package: List<Package>,
}

#[derive(Deserialize)]
struct Package {
    name: String,
    version: String,
    source: Option<String>,
    #[serde(default)]
    dependencies: List<String>,
}

pub(crate) fn parse(label: &str, text: &str) -> Result<ParseOutput, ParseError> {
    let lock: Lock = decode::toml(label, text)?;
    let packages = lock.package.0;
    // A dependency entry is `name`, `name version` or `name version (source)`.
    let mut direct_names: HashSet<&str> = HashSet::new();
    let mut direct_pairs: HashSet<(&str, &str)> = HashSet::new();
    let mut has_local = false;
    for local in packages.iter().filter(|p| p.source.is_none()) {
        has_local = true;
        for dep in &local.dependencies.0 {
            let mut parts = dep.split_whitespace();
            match (parts.next(), parts.next()) {
                (Some(name), Some(version)) => {
                    direct_pairs.insert((name, version));
                }
                (Some(name), None) => {
                    direct_names.insert(name);
                }
                _ => {}
            }
        }
    }
    let mut out = Collector::default();
    for package in packages.iter().filter(|p| p.source.is_some()) {
        let direct = has_local.then(|| {
            direct_names.contains(package.name.as_str())
                || direct_pairs.contains(&(package.name.as_str(), package.version.as_str()))
        });
        out.push(
            Component::new(Ecosystem::Cargo, &package.name, &package.version, label).direct(direct),
        );
    }
    Ok(out.finish())
}
