//! Version ordering, one scheme per ecosystem family. Every parser takes
//! untrusted text: it returns `None` for what it cannot read (and for
//! anything longer than [`MAX_VERSION_LEN`]), never panics, and stays linear.
//!
//! Each scheme implements `Ord` on its parsed form; `PartialEq` agrees with
//! it (Maven's "1.0" equals "1", PEP 440's "1.0" equals "1.0.0").

mod maven;
mod nuget;
mod packagist;
mod pep440;
mod rubygems;
mod semver;

use std::cmp::Ordering;

pub use maven::MavenVersion;
pub use nuget::NuGetVersion;
pub use packagist::ComposerVersion;
pub use pep440::Pep440Version;
pub use rubygems::GemVersion;
pub use semver::SemVer;

/// Longer version strings are refused: no real version is this long, and
/// it bounds the work (and Maven's nesting) a hostile string can cause.
pub const MAX_VERSION_LEN: usize = 256;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Scheme {
    /// SemVer 2.0 (crates.io, npm, Hex, Pub, SwiftURL, and `SEMVER` ranges):
    /// a leading `v` is accepted, build metadata ignored.
    Semver,
    /// Go modules: SemVer with a `v`, `+incompatible` and pseudo-versions
    /// (which are SemVer pre-releases, so they order as such).
    Go,
    /// PyPI: PEP 440.
    Pep440,
    /// RubyGems: `Gem::Version`.
    RubyGems,
    /// Maven: `ComparableVersion`.
    Maven,
    /// NuGet: `NuGetVersion` (SemVer 2 with a fourth part, case-insensitive).
    NuGet,
    /// Packagist: Composer's normalisation, then PHP's `version_compare`.
    Packagist,
}

/// A parsed version; versions of different schemes do not compare.
#[derive(Debug, Clone)]
pub enum Version {
    Semver(SemVer),
    Pep440(Pep440Version),
    RubyGems(GemVersion),
    Maven(MavenVersion),
    NuGet(NuGetVersion),
    Packagist(ComposerVersion),
}

impl Scheme {
    pub fn parse(self, s: &str) -> Option<Version> {
        if s.len() > MAX_VERSION_LEN {
            return None;
        }
        match self {
            Scheme::Semver | Scheme::Go => SemVer::parse(s).map(Version::Semver),
            Scheme::Pep440 => Pep440Version::parse(s).map(Version::Pep440),
            Scheme::RubyGems => GemVersion::parse(s).map(Version::RubyGems),
            Scheme::Maven => MavenVersion::parse(s).map(Version::Maven),
            Scheme::NuGet => NuGetVersion::parse(s).map(Version::NuGet),
            Scheme::Packagist => ComposerVersion::parse(s).map(Version::Packagist),
        }
    }
}

/// Order two version strings under one scheme; `None` when either does not
/// parse.
pub fn compare(scheme: Scheme, a: &str, b: &str) -> Option<Ordering> {
    scheme.parse(a)?.partial_cmp(&scheme.parse(b)?)
}

impl PartialEq for Version {
    fn eq(&self, other: &Self) -> bool {
        self.partial_cmp(other) == Some(Ordering::Equal)
    }
}

impl PartialOrd for Version {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        match (self, other) {
            (Version::Semver(a), Version::Semver(b)) => Some(a.cmp(b)),
            (Version::Pep440(a), Version::Pep440(b)) => Some(a.cmp(b)),
            (Version::RubyGems(a), Version::RubyGems(b)) => Some(a.cmp(b)),
            (Version::Maven(a), Version::Maven(b)) => Some(a.cmp(b)),
            (Version::NuGet(a), Version::NuGet(b)) => Some(a.cmp(b)),
            (Version::Packagist(a), Version::Packagist(b)) => Some(a.cmp(b)),
            _ => None,
        }
    }
}

/// Implements `PartialEq`/`Eq`/`PartialOrd` from a type's `Ord`, so that
/// equality always agrees with ordering.
macro_rules! ord_by_cmp {
    ($t:ty) => {
        impl PartialEq for $t {
            fn eq(&self, other: &Self) -> bool {
                self.cmp(other) == std::cmp::Ordering::Equal
            }
        }
        impl Eq for $t {}
        impl PartialOrd for $t {
            fn partial_cmp(&self, other: &Self) -> Option<std::cmp::Ordering> {
                Some(self.cmp(other))
            }
        }
    };
}
pub(crate) use ord_by_cmp;

/// A run of ASCII digits as a number; `None` on overflow.
pub(crate) fn number(digits: &str) -> Option<u64> {
    if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    digits.parse().ok()
}

#[cfg(test)]
pub(crate) mod testutil {
    use super::*;

    /// Assert that each version is strictly less than the next one.
    pub fn ascending(scheme: Scheme, versions: &[&str]) {
        for w in versions.windows(2) {
            let (a, b) = (w[0], w[1]);
            assert_eq!(
                compare(scheme, a, b),
                Some(Ordering::Less),
                "{scheme:?}: expected {a} < {b}"
            );
            assert_eq!(
                compare(scheme, b, a),
                Some(Ordering::Greater),
                "{scheme:?}: expected {b} > {a}"
            );
        }
        // Transitivity across the whole list, not just neighbours.
        for (i, a) in versions.iter().enumerate() {
            for b in &versions[i + 1..] {
                assert_eq!(
                    compare(scheme, a, b),
                    Some(Ordering::Less),
                    "{scheme:?}: {a} < {b}"
                );
            }
        }
    }

    pub fn equal(scheme: Scheme, pairs: &[(&str, &str)]) {
        for (a, b) in pairs {
            assert_eq!(
                compare(scheme, a, b),
                Some(Ordering::Equal),
                "{scheme:?}: expected {a} == {b}"
            );
        }
    }

    pub fn unparseable(scheme: Scheme, inputs: &[&str]) {
        for s in inputs {
            assert!(
                scheme.parse(s).is_none(),
                "{scheme:?}: {s:?} should not parse"
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn schemes_do_not_compare_across() {
        let a = Scheme::Semver.parse("1.0.0").expect("semver");
        let b = Scheme::Pep440.parse("1.0.0").expect("pep440");
        assert_eq!(a.partial_cmp(&b), None);
    }

    #[test]
    fn no_parser_panics_or_accepts_huge_input() {
        let long = "1.".repeat(MAX_VERSION_LEN);
        let nasty = [
            "",
            " ",
            "\0",
            "\u{feff}1.0",
            "1..0",
            "-",
            "+",
            "v",
            "1.0-",
            "1.0+",
            "!",
            "1!",
            "éé",
            "99999999999999999999999.0.0",
            "1.0.0-a.b..c",
            "a1a1a1a1a1a1a1a1a1a1a1a1",
            &long,
        ];
        for scheme in [
            Scheme::Semver,
            Scheme::Go,
            Scheme::Pep440,
            Scheme::RubyGems,
            Scheme::Maven,
            Scheme::NuGet,
            Scheme::Packagist,
        ] {
            for s in nasty {
                if let Some(v) = scheme.parse(s) {
                    assert_eq!(v.partial_cmp(&v), Some(Ordering::Equal));
                }
            }
            assert!(scheme.parse(&long).is_none());
        }
    }
}
