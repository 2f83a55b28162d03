//! pubspec.lock: `packages` with `dependency` (`direct main`, `direct dev`,
//! `direct overridden`, `transitive`), `source` and `version`. Path packages
//! are local code.

use serde::Deserialize;

use crate::component::{Collector, ParseOutput};
use crate::decode::{self, Entries, Scalar};
use crate::{Component, Ecosystem, ParseError};

#[derive(Deserialize)]
struct Lock {
    #[serde(default)]
    packages: Entries<Package>,
}

#[derive(Deserialize)]
struct Package {
    dependency: Option<String>,
    source: Option<String>,
    version: Option<Scalar>,
}

pub(crate) fn parse(label: &str, text: &str) -> Result<ParseOutput, ParseError> {
    let lock: Lock = decode::yaml(label, text)?;
    let mut out = Collector::default();
    for (name, package) in lock.packages.iter() {
        if package.source.as_deref() == Some("path") {
            out.note(None, format!("path package `{name}` not listed"));
            continue;
        }
        let (direct, dev) = match package.dependency.as_deref() {
            Some("direct main") => (Some(true), Some(false)),
            Some("direct dev") => (Some(true), Some(true)),
            Some("direct overridden") => (Some(true), None),
            Some("transitive") => (Some(false), None),
            _ => (None, None),
        };
        let version = package.version.as_ref().map_or("", |v| v.0.as_str());
        out.push(
            Component::new(Ecosystem::Pub, name, version, label)
                .direct(direct)
                .dev(dev),
        );
    }
    Ok(out.finish())
}
