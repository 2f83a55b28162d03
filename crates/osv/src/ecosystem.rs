//! The package ecosystems matched here, named as OSV names them, and how
//! each spells one package's name.

use crate::version::Scheme;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Ecosystem {
    CratesIo,
    Npm,
    PyPI,
    Go,
    RubyGems,
    Packagist,
    Maven,
    NuGet,
    Hex,
    Pub,
    SwiftURL,
}

impl Ecosystem {
    pub const ALL: [Ecosystem; 11] = [
        Ecosystem::CratesIo,
        Ecosystem::Npm,
        Ecosystem::PyPI,
        Ecosystem::Go,
        Ecosystem::RubyGems,
        Ecosystem::Packagist,
        Ecosystem::Maven,
        Ecosystem::NuGet,
        Ecosystem::Hex,
        Ecosystem::Pub,
        Ecosystem::SwiftURL,
    ];

    /// OSV's ecosystem string; a ":suffix" ("Maven:central") is ignored and
    /// case does not matter. `None` for ecosystems not supported here.
    pub fn from_osv(s: &str) -> Option<Ecosystem> {
        let base = crate::advisory::base_ecosystem(s).trim();
        Ecosystem::ALL
            .into_iter()
            .find(|e| e.as_str().eq_ignore_ascii_case(base))
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Ecosystem::CratesIo => "crates.io",
            Ecosystem::Npm => "npm",
            Ecosystem::PyPI => "PyPI",
            Ecosystem::Go => "Go",
            Ecosystem::RubyGems => "RubyGems",
            Ecosystem::Packagist => "Packagist",
            Ecosystem::Maven => "Maven",
            Ecosystem::NuGet => "NuGet",
            Ecosystem::Hex => "Hex",
            Ecosystem::Pub => "Pub",
            Ecosystem::SwiftURL => "SwiftURL",
        }
    }

    /// How this ecosystem orders versions in `ECOSYSTEM` ranges.
    pub fn scheme(self) -> Scheme {
        match self {
            Ecosystem::CratesIo
            | Ecosystem::Npm
            | Ecosystem::Hex
            | Ecosystem::Pub
            | Ecosystem::SwiftURL => Scheme::Semver,
            Ecosystem::Go => Scheme::Go,
            Ecosystem::PyPI => Scheme::Pep440,
            Ecosystem::RubyGems => Scheme::RubyGems,
            Ecosystem::Packagist => Scheme::Packagist,
            Ecosystem::Maven => Scheme::Maven,
            Ecosystem::NuGet => Scheme::NuGet,
        }
    }
}

impl std::fmt::Display for Ecosystem {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// One package's name as the index keys it, so that a lockfile's spelling
/// and an advisory's meet: PyPI per PEP 503 (lowercase, runs of `-_.` as one
/// `-`), Packagist and NuGet lowercase (both registries ignore case),
/// SwiftURL without scheme, `.git` or trailing `/`; the rest as written
/// (npm, crates.io, Go module paths and Maven `groupId:artifactId` are exact).
pub fn normalise_name(ecosystem: Ecosystem, name: &str) -> String {
    let name = name.trim();
    match ecosystem {
        Ecosystem::PyPI => {
            let mut out = String::with_capacity(name.len());
            let mut in_run = false;
            for c in name.chars() {
                if matches!(c, '-' | '_' | '.') {
                    if !in_run {
                        out.push('-');
                    }
                    in_run = true;
                } else {
                    out.extend(c.to_lowercase());
                    in_run = false;
                }
            }
            out
        }
        Ecosystem::Packagist | Ecosystem::NuGet => name.to_lowercase(),
        Ecosystem::SwiftURL => {
            let lower = name.to_lowercase();
            let s = lower
                .strip_prefix("https://")
                .or_else(|| lower.strip_prefix("http://"))
                .unwrap_or(&lower);
            let s = s.trim_end_matches('/');
            s.strip_suffix(".git").unwrap_or(s).to_string()
        }
        _ => name.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ecosystem_strings_are_osv_spellings() {
        for e in Ecosystem::ALL {
            assert_eq!(Ecosystem::from_osv(e.as_str()), Some(e));
        }
        assert_eq!(Ecosystem::from_osv("Maven:central"), Some(Ecosystem::Maven));
        assert_eq!(Ecosystem::from_osv("pypi"), Some(Ecosystem::PyPI));
        assert_eq!(Ecosystem::from_osv("Debian:11"), None);
        assert_eq!(Ecosystem::from_osv(""), None);
    }

    #[test]
    fn names_meet_across_spellings() {
        // PEP 503's own examples.
        for n in [
            "friendly-bard",
            "Friendly-Bard",
            "FRIENDLY-BARD",
            "friendly.bard",
            "friendly_bard",
            "friendly--bard",
            "FrIeNdLy-._.-bArD",
        ] {
            assert_eq!(normalise_name(Ecosystem::PyPI, n), "friendly-bard", "{n}");
        }
        assert_eq!(
            normalise_name(Ecosystem::Packagist, "Symfony/HTTP-Kernel"),
            "symfony/http-kernel"
        );
        assert_eq!(
            normalise_name(Ecosystem::NuGet, "Newtonsoft.Json"),
            "newtonsoft.json"
        );
        assert_eq!(
            normalise_name(Ecosystem::SwiftURL, "https://github.com/vapor/vapor.git"),
            "github.com/vapor/vapor"
        );
        assert_eq!(normalise_name(Ecosystem::Npm, "@babel/core"), "@babel/core");
        assert_eq!(
            normalise_name(Ecosystem::Maven, "org.apache.logging.log4j:log4j-core"),
            "org.apache.logging.log4j:log4j-core"
        );
    }
}
