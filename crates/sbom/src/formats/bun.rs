//! bun.lock, the text lockfile (JSONC): `workspaces` holds what each
//! workspace declares; `packages` maps an install path (`a`, `a/b` for `b`
//! nested under `a`) to `[ident, registry, info, integrity]`.

use std::collections::HashMap;
use std::fmt;

use serde::de::{self, IgnoredAny, SeqAccess, Visitor};
use serde::{Deserialize, Deserializer};

use super::jsonc;
use super::npm::split_name_version;
use crate::component::{Collector, ParseOutput};
use crate::decode::{self, Entries};
use crate::{Component, Ecosystem, ParseError};

#[derive(Deserialize)]
struct Lock {
    #[serde(default)]
    workspaces: Entries<Workspace>,
    #[serde(default)]
    packages: Entries<Ident>,
}

#[derive(Deserialize)]
struct Workspace {
    name: Option<String>,
    dependencies: Option<Entries<IgnoredAny>>,
    #[serde(rename = "devDependencies")]
    dev_dependencies: Option<Entries<IgnoredAny>>,
    #[serde(rename = "optionalDependencies")]
    optional_dependencies: Option<Entries<IgnoredAny>>,
    #[serde(rename = "peerDependencies")]
    peer_dependencies: Option<Entries<IgnoredAny>>,
}

/// The first element of a package's array: `name@version`.
struct Ident(String);

impl<'de> Deserialize<'de> for Ident {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct IdentVisitor;
        impl<'de> Visitor<'de> for IdentVisitor {
            type Value = Ident;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("an array starting with \"name@version\"")
            }
            fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Ident, A::Error> {
                let ident: String = seq
                    .next_element()?
                    .ok_or_else(|| de::Error::invalid_length(0, &self))?;
                while seq.next_element::<IgnoredAny>()?.is_some() {}
                Ok(Ident(ident))
            }
        }
        deserializer.deserialize_seq(IdentVisitor)
    }
}

/// Whether a direct dependency is needed in production.
#[derive(Clone, Copy)]
enum Declared {
    Prod,
    DevOnly,
}

pub(crate) fn parse(label: &str, text: &str) -> Result<ParseOutput, ParseError> {
    let json = jsonc::to_json(text);
    let lock: Lock = decode::json(label, &json)?;
    // Install paths of direct dependencies: `dep` at the top, `ws/dep` when
    // nested under the workspace package `ws`.
    let mut direct: HashMap<String, Declared> = HashMap::new();
    for (_, workspace) in lock.workspaces.iter() {
        let prefixes: Vec<String> = std::iter::once(String::new())
            .chain(workspace.name.iter().map(|n| format!("{n}/")))
            .collect();
        for (deps, declared) in [
            (&workspace.dev_dependencies, Declared::DevOnly),
            (&workspace.dependencies, Declared::Prod),
            (&workspace.optional_dependencies, Declared::Prod),
            (&workspace.peer_dependencies, Declared::Prod),
        ] {
            for name in deps.iter().flat_map(|d| d.keys()) {
                for prefix in &prefixes {
                    let path = format!("{prefix}{name}");
                    let slot = direct.entry(path).or_insert(declared);
                    if matches!(declared, Declared::Prod) {
                        *slot = Declared::Prod;
                    }
                }
            }
        }
    }
    let mut out = Collector::default();
    for (path, ident) in lock.packages.iter() {
        let Some((name, version)) = split_name_version(&ident.0) else {
            return Err(
                ParseError::new(label, format!("`{}` is not `name@version`", ident.0))
                    .field(format!("packages.{path}")),
            );
        };
        if ["workspace:", "link:", "file:"]
            .iter()
            .any(|p| version.starts_with(p))
        {
            continue;
        }
        let declared = direct.get(path);
        let dev = declared.map(|d| matches!(d, Declared::DevOnly));
        out.push(
            Component::new(Ecosystem::Npm, name, version, label)
                .direct(Some(declared.is_some()))
                .dev(dev),
        );
    }
    Ok(out.finish())
}
