//! composer.lock: `packages` (production) and `packages-dev` arrays.

use serde::Deserialize;

use crate::component::{Collector, ParseOutput};
use crate::decode::{self, List};
use crate::{Component, Ecosystem, ParseError};

#[derive(Deserialize)]
struct Lock {
    #[serde(default)]
    packages: List<Package>,
    #[serde(rename = "packages-dev", default)]
    packages_dev: List<Package>,
}

#[derive(Deserialize)]
struct Package {
    name: String,
    version: String,
}

pub(crate) fn parse(label: &str, text: &str) -> Result<ParseOutput, ParseError> {
    let lock: Lock = decode::json(label, text)?;
    let mut out = Collector::default();
    for (list, dev) in [(&lock.packages, false), (&lock.packages_dev, true)] {
        for package in &list.0 {
            out.push(
                Component::new(Ecosystem::Packagist, &package.name, &package.version, label)
                    .dev(Some(dev)),
            );
        }
    }
    Ok(out.finish())
}
