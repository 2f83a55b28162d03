//! Python lockfiles: poetry.lock, Pipfile.lock, uv.lock and pdm.lock.

use std::collections::{HashMap, HashSet};

use serde::Deserialize;

use crate::component::{Collector, ParseOutput};
use crate::decode::{self, Entries, List};
use crate::{Component, Ecosystem, ParseError};

/// poetry.lock: `[[package]]` tables. Lock format 1.x marks development
/// packages with `category = "dev"`; 2.1 (Poetry 2) lists `groups`.
pub(crate) fn poetry(label: &str, text: &str) -> Result<ParseOutput, ParseError> {
    #[derive(Deserialize)]
    struct Lock {
        #[serde(default)]
        package: List<Package>,
    }
    #[derive(Deserialize)]
    struct Package {
        name: String,
        version: String,
        category: Option<String>,
        groups: Option<Vec<String>>,
        source: Option<Source>,
    }
    #[derive(Deserialize)]
    struct Source {
        #[serde(rename = "type")]
        kind: Option<String>,
    }
    let lock: Lock = decode::toml(label, text)?;
    let mut out = Collector::default();
    for package in &lock.package.0 {
        if package
            .source
            .as_ref()
            .and_then(|s| s.kind.as_deref())
            .is_some_and(|kind| kind == "directory" || kind == "file")
        {
            out.note(None, format!("local package `{}` not listed", package.name));
            continue;
        }
        let dev = match (&package.groups, &package.category) {
            (Some(groups), _) => Some(!groups.iter().any(|g| g == "main")),
            (None, Some(category)) => Some(category == "dev"),
            (None, None) => None,
        };
        out.push(Component::new(Ecosystem::PyPI, &package.name, &package.version, label).dev(dev));
    }
    Ok(out.finish())
}

/// Pipfile.lock: `default` (production) and `develop` maps of
/// `name -> {version: "==1.2.3"}`; VCS and path entries carry no version.
pub(crate) fn pipfile(label: &str, text: &str) -> Result<ParseOutput, ParseError> {
    #[derive(Deserialize)]
    struct Lock {
        #[serde(default)]
        default: Entries<Entry>,
        #[serde(default)]
        develop: Entries<Entry>,
    }
    #[derive(Deserialize)]
    struct Entry {
        version: Option<String>,
        path: Option<String>,
        editable: Option<bool>,
    }
    let lock: Lock = decode::json(label, text)?;
    let mut out = Collector::default();
    for (section, dev) in [(&lock.default, false), (&lock.develop, true)] {
        for (name, entry) in section.iter() {
            if entry.path.is_some() || entry.editable == Some(true) {
                out.note(
                    None,
                    format!("local or editable package `{name}` not listed"),
                );
                continue;
            }
            let version = entry.version.as_deref().unwrap_or_default();
            let version = version
                .strip_prefix("===")
                .or_else(|| version.strip_prefix("=="))
                .unwrap_or(version);
            out.push(Component::new(Ecosystem::PyPI, name, version, label).dev(Some(dev)));
        }
    }
    Ok(out.finish())
}

/// uv.lock: `[[package]]` tables with a `source`. The project's own packages
/// (`editable`, `virtual`, `directory` or `path` sources) are not
/// components; what they depend on is direct, and development-only is
/// what their production dependencies cannot reach.
pub(crate) fn uv(label: &str, text: &str) -> Result<ParseOutput, ParseError> {
    #[derive(Deserialize)]
    struct Lock {
        #[serde(default)]
        package: List<Package>,
    }
    #[derive(Deserialize)]
    struct Package {
        name: String,
        version: Option<String>,
        #[serde(default)]
        source: Entries<toml::Value>,
        #[serde(default)]
        dependencies: List<Dep>,
        #[serde(rename = "optional-dependencies", default)]
        optional_dependencies: Entries<List<Dep>>,
        #[serde(rename = "dev-dependencies", default)]
        dev_dependencies: Entries<List<Dep>>,
    }
    #[derive(Deserialize)]
    struct Dep {
        name: String,
    }
    let lock: Lock = decode::toml(label, text)?;
    let packages = &lock.package.0;
    let is_local = |p: &Package| {
        p.source
            .keys()
            .any(|k| matches!(k, "editable" | "virtual" | "directory" | "path"))
    };
    let mut direct: HashSet<&str> = HashSet::new();
    let mut prod_queue: Vec<&str> = Vec::new();
    let mut has_local = false;
    for package in packages.iter().filter(|p| is_local(p)) {
        has_local = true;
        let prod = package.dependencies.0.iter().chain(
            package
                .optional_dependencies
                .iter()
                .flat_map(|(_, d)| d.0.iter()),
        );
        for dep in prod {
            direct.insert(&dep.name);
            prod_queue.push(&dep.name);
        }
        for (_, group) in package.dev_dependencies.iter() {
            direct.extend(group.0.iter().map(|d| d.name.as_str()));
        }
    }
    // Production closure over names (a name may resolve to one version per
    // platform marker; all of them count).
    let mut by_name: HashMap<&str, Vec<&Package>> = HashMap::new();
    for package in packages {
        by_name.entry(&package.name).or_default().push(package);
    }
    let mut prod: HashSet<&str> = HashSet::new();
    while let Some(name) = prod_queue.pop() {
        if !prod.insert(name) {
            continue;
        }
        for package in by_name.get(name).into_iter().flatten() {
            let deps = package.dependencies.0.iter().chain(
                package
                    .optional_dependencies
                    .iter()
                    .flat_map(|(_, d)| d.0.iter()),
            );
            prod_queue.extend(deps.map(|d| d.name.as_str()));
        }
    }
    let mut out = Collector::default();
    for package in packages.iter().filter(|p| !is_local(p)) {
        let version = package.version.as_deref().unwrap_or_default();
        let name = package.name.as_str();
        out.push(
            Component::new(Ecosystem::PyPI, name, version, label)
                .direct(has_local.then(|| direct.contains(name)))
                .dev(has_local.then(|| !prod.contains(name))),
        );
    }
    Ok(out.finish())
}

/// pdm.lock: `[[package]]` tables; `groups` (lock format 4.4+) name the
/// dependency groups a package belongs to, `default` being production.
pub(crate) fn pdm(label: &str, text: &str) -> Result<ParseOutput, ParseError> {
    #[derive(Deserialize)]
    struct Lock {
        #[serde(default)]
        package: List<Package>,
    }
    #[derive(Deserialize)]
    struct Package {
        name: String,
        version: Option<String>,
        groups: Option<Vec<String>>,
        path: Option<String>,
        editable: Option<bool>,
    }
    let lock: Lock = decode::toml(label, text)?;
    let mut out = Collector::default();
    for package in &lock.package.0 {
        if package.path.is_some() || package.editable == Some(true) {
            out.note(
                None,
                format!("local or editable package `{}` not listed", package.name),
            );
            continue;
        }
        let dev = package
            .groups
            .as_ref()
            .map(|groups| !groups.iter().any(|g| g == "default"));
        let version = package.version.as_deref().unwrap_or_default();
        out.push(Component::new(Ecosystem::PyPI, &package.name, version, label).dev(dev));
    }
    Ok(out.finish())
}
