//! package-lock.json and npm-shrinkwrap.json. Versions 2 and 3 describe the
//! installed tree in `packages` (keyed by folder); version 1 only has the
//! nested `dependencies` tree, which carries no record of what the project
//! itself asked for, so direct is unknown there.

use std::collections::{HashMap, HashSet};

use serde::de::IgnoredAny;
use serde::Deserialize;

use crate::component::{Collector, ParseOutput};
use crate::decode::{self, Entries};
use crate::{Component, Ecosystem, ParseError};

#[derive(Deserialize)]
struct Lock {
    packages: Option<Entries<Package>>,
    dependencies: Option<Entries<V1Dependency>>,
}

#[derive(Deserialize)]
struct Package {
    name: Option<String>,
    version: Option<String>,
    dev: Option<bool>,
    link: Option<bool>,
    dependencies: Option<Entries<IgnoredAny>>,
    #[serde(rename = "devDependencies")]
    dev_dependencies: Option<Entries<IgnoredAny>>,
    #[serde(rename = "optionalDependencies")]
    optional_dependencies: Option<Entries<IgnoredAny>>,
    #[serde(rename = "peerDependencies")]
    peer_dependencies: Option<Entries<IgnoredAny>>,
}

impl Package {
    fn declared(&self) -> impl Iterator<Item = &str> {
        [
            &self.dependencies,
            &self.dev_dependencies,
            &self.optional_dependencies,
            &self.peer_dependencies,
        ]
        .into_iter()
        .flatten()
        .flat_map(|deps| deps.keys())
    }
}

#[derive(Deserialize)]
struct V1Dependency {
    version: Option<String>,
    dev: Option<bool>,
    dependencies: Option<Entries<V1Dependency>>,
}

const NODE_MODULES: &str = "node_modules/";

pub(crate) fn parse(label: &str, text: &str) -> Result<ParseOutput, ParseError> {
    let lock: Lock = decode::json(label, text)?;
    let mut out = Collector::default();
    match (&lock.packages, &lock.dependencies) {
        (Some(packages), _) => from_packages(label, packages, &mut out),
        (None, Some(dependencies)) => from_v1(label, dependencies, &mut out),
        (None, None) => {}
    }
    Ok(out.finish())
}

fn from_packages(label: &str, packages: &Entries<Package>, out: &mut Collector) {
    // The root ("") and workspace folders are the project's own code: what
    // they declare is direct.
    let mut declared_by: HashMap<&str, HashSet<&str>> = HashMap::new();
    let mut declared_anywhere: HashSet<&str> = HashSet::new();
    for (path, package) in packages.iter() {
        if !path.contains(NODE_MODULES) && package.link != Some(true) {
            let names: HashSet<&str> = package.declared().collect();
            declared_anywhere.extend(names.iter().copied());
            declared_by.insert(path, names);
        }
    }
    for (path, package) in packages.iter() {
        let Some(at) = path.rfind(NODE_MODULES) else {
            continue;
        };
        if package.link == Some(true) {
            continue;
        }
        let folder_name = path.get(at + NODE_MODULES.len()..).unwrap_or_default();
        let parent = path.get(..at).unwrap_or_default().trim_end_matches('/');
        let name = package.name.as_deref().unwrap_or(folder_name);
        if name.is_empty() {
            continue;
        }
        let direct = if parent.is_empty() {
            declared_anywhere.contains(folder_name)
        } else {
            declared_by
                .get(parent)
                .is_some_and(|names| names.contains(folder_name))
        };
        let version = package.version.as_deref().unwrap_or_default();
        out.push(
            Component::new(Ecosystem::Npm, name, version, label)
                .direct(Some(direct))
                .dev(Some(package.dev == Some(true))),
        );
    }
}

fn from_v1(label: &str, top: &Entries<V1Dependency>, out: &mut Collector) {
    // serde's depth limit bounds the tree; a stack keeps this loop flat anyway.
    let mut stack: Vec<&Entries<V1Dependency>> = vec![top];
    while let Some(level) = stack.pop() {
        for (key, dep) in level.iter() {
            let version = dep.version.as_deref().unwrap_or_default();
            if version.starts_with("file:") || version.starts_with("link:") {
                continue;
            }
            // An alias `"foo": {"version": "npm:bar@1.2.3"}` installs bar.
            let (name, version) = match version.strip_prefix("npm:") {
                Some(aliased) => split_name_version(aliased).unwrap_or((key, aliased)),
                None => (key, version),
            };
            out.push(
                Component::new(Ecosystem::Npm, name, version, label)
                    .dev(Some(dep.dev == Some(true))),
            );
            if let Some(nested) = &dep.dependencies {
                stack.push(nested);
            }
        }
    }
}

/// `name@version` where the name may itself start with `@` (a scope).
pub(crate) fn split_name_version(spec: &str) -> Option<(&str, &str)> {
    let at = spec.char_indices().skip(1).find(|&(_, c)| c == '@')?.0;
    Some((spec.get(..at)?, spec.get(at + 1..)?))
}

#[cfg(test)]
mod tests {
    use super::split_name_version;

    #[test]
    fn name_version_splits_after_the_scope() {
        assert_eq!(split_name_version("@a/b@1.0.0"), Some(("@a/b", "1.0.0")));
        assert_eq!(split_name_version("b@npm:c@2"), Some(("b", "npm:c@2")));
        assert_eq!(split_name_version("@a/b"), None);
        assert_eq!(split_name_version(""), None);
        assert_eq!(split_name_version("é@1"), Some(("é", "1")));
    }
}
