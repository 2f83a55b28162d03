use serde::{Deserialize, Serialize};

/// A package registry's world: names, versions and advisories share it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum Ecosystem {
    Cargo,
    Npm,
    PyPI,
    Go,
    RubyGems,
    Packagist,
    Maven,
    NuGet,
    Hex,
    Pub,
    SwiftPM,
}

impl Ecosystem {
    pub const ALL: [Ecosystem; 11] = [
        Ecosystem::Cargo,
        Ecosystem::Npm,
        Ecosystem::PyPI,
        Ecosystem::Go,
        Ecosystem::RubyGems,
        Ecosystem::Packagist,
        Ecosystem::Maven,
        Ecosystem::NuGet,
        Ecosystem::Hex,
        Ecosystem::Pub,
        Ecosystem::SwiftPM,
    ];

    /// The ecosystem's name in OSV advisories (`affected[].package.ecosystem`).
    pub fn osv_name(self) -> &'static str {
        match self {
            Ecosystem::Cargo => "crates.io",
            Ecosystem::Npm => "npm",
            Ecosystem::PyPI => "PyPI",
            Ecosystem::Go => "Go",
            Ecosystem::RubyGems => "RubyGems",
            Ecosystem::Packagist => "Packagist",
            Ecosystem::Maven => "Maven",
            Ecosystem::NuGet => "NuGet",
            Ecosystem::Hex => "Hex",
            Ecosystem::Pub => "Pub",
            Ecosystem::SwiftPM => "SwiftURL",
        }
    }

    /// The package-URL type (`pkg:TYPE/...`).
    pub fn purl_type(self) -> &'static str {
        match self {
            Ecosystem::Cargo => "cargo",
            Ecosystem::Npm => "npm",
            Ecosystem::PyPI => "pypi",
            Ecosystem::Go => "golang",
            Ecosystem::RubyGems => "gem",
            Ecosystem::Packagist => "composer",
            Ecosystem::Maven => "maven",
            Ecosystem::NuGet => "nuget",
            Ecosystem::Hex => "hex",
            Ecosystem::Pub => "pub",
            Ecosystem::SwiftPM => "swift",
        }
    }

    /// The ecosystem for an OSV ecosystem name; OSV's `Debian:12`-style
    /// suffixes are not ecosystems of this crate.
    pub fn from_osv_name(name: &str) -> Option<Ecosystem> {
        Ecosystem::ALL.into_iter().find(|e| e.osv_name() == name)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn osv_names_round_trip_and_are_distinct() {
        for eco in Ecosystem::ALL {
            assert_eq!(Ecosystem::from_osv_name(eco.osv_name()), Some(eco));
        }
        let mut types: Vec<_> = Ecosystem::ALL.iter().map(|e| e.purl_type()).collect();
        types.sort_unstable();
        types.dedup();
        assert_eq!(types.len(), Ecosystem::ALL.len());
        assert_eq!(Ecosystem::from_osv_name("crates"), None);
    }
}
