//! packages.lock.json (NuGet): per target framework, each package's `type`
//! (`Direct`, `Transitive`, `CentralTransitive`, `Project`) and `resolved`
//! version. Projects are the solution's own code.

use serde::Deserialize;

use crate::component::{Collector, ParseOutput};
use crate::decode::{self, Entries};
use crate::{Component, Ecosystem, ParseError};

#[derive(Deserialize)]
struct Lock {
    #[serde(default)]
    dependencies: Entries<Entries<Package>>,
}

#[derive(Deserialize)]
struct Package {
    #[serde(rename = "type")]
    kind: Option<String>,
    resolved: Option<String>,
}

pub(crate) fn parse(label: &str, text: &str) -> Result<ParseOutput, ParseError> {
    let lock: Lock = decode::json(label, text)?;
    let mut out = Collector::default();
    for (_, framework) in lock.dependencies.iter() {
        for (name, package) in framework.iter() {
            let kind = package.kind.as_deref().unwrap_or_default();
            if kind == "Project" {
                continue;
            }
            let version = package.resolved.as_deref().unwrap_or_default();
            out.push(
                Component::new(Ecosystem::NuGet, name, version, label)
                    .direct(Some(kind == "Direct")),
            );
        }
    }
    Ok(out.finish())
}
