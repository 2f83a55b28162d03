//! SemVer 2.0.0 ordering (semver.org, item 11), read leniently the way
//! lockfiles write versions: an optional leading `v` or `=`, and missing
//! minor or patch parts read as 0. Build metadata is parsed and ignored.
//! Go's versions are this too: `+incompatible` is build metadata and a
//! pseudo-version (`v0.0.0-20191109021931-daa7c04131f5`,
//! `v1.2.4-0.20191109021931-daa7c04131f5`) is a pre-release.

use std::cmp::Ordering;

use super::{number, ord_by_cmp};

#[derive(Debug, Clone)]
pub struct SemVer {
    pub major: u64,
    pub minor: u64,
    pub patch: u64,
    pre: Vec<Ident>,
}

#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
enum Ident {
    // Declared first: numeric identifiers sort below alphanumeric ones.
    Numeric(u64),
    Alpha(Box<str>),
}

impl SemVer {
    pub fn parse(s: &str) -> Option<SemVer> {
        let s = s.trim();
        let s = s.strip_prefix('=').unwrap_or(s).trim_start();
        let s = s
            .strip_prefix('v')
            .or_else(|| s.strip_prefix('V'))
            .unwrap_or(s);
        let (s, build) = match s.split_once('+') {
            Some((v, b)) => (v, Some(b)),
            None => (s, None),
        };
        if let Some(b) = build {
            if !identifiers_ok(b) {
                return None;
            }
        }
        let (core, pre) = match s.split_once('-') {
            Some((c, p)) => (c, Some(p)),
            None => (s, None),
        };
        let mut parts = core.split('.');
        let major = number(parts.next()?)?;
        let minor = parts.next().map(number).unwrap_or(Some(0))?;
        let patch = parts.next().map(number).unwrap_or(Some(0))?;
        if parts.next().is_some() {
            return None;
        }
        let pre = match pre {
            None => Vec::new(),
            Some(p) => {
                if !identifiers_ok(p) {
                    return None;
                }
                p.split('.')
                    .map(|id| match number(id) {
                        Some(n) => Ident::Numeric(n),
                        None => Ident::Alpha(id.into()),
                    })
                    .collect()
            }
        };
        Some(SemVer {
            major,
            minor,
            patch,
            pre,
        })
    }

    pub fn is_prerelease(&self) -> bool {
        !self.pre.is_empty()
    }
}

/// Dot-separated, non-empty, `[0-9A-Za-z-]` identifiers.
fn identifiers_ok(s: &str) -> bool {
    s.split('.')
        .all(|id| !id.is_empty() && id.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-'))
}

impl Ord for SemVer {
    fn cmp(&self, other: &Self) -> Ordering {
        (self.major, self.minor, self.patch)
            .cmp(&(other.major, other.minor, other.patch))
            .then_with(|| match (self.pre.is_empty(), other.pre.is_empty()) {
                (true, true) => Ordering::Equal,
                (true, false) => Ordering::Greater,
                (false, true) => Ordering::Less,
                // Vec's order is the spec's: identifier by identifier, and a
                // shorter list that is a prefix of the other sorts first.
                (false, false) => self.pre.cmp(&other.pre),
            })
    }
}
ord_by_cmp!(SemVer);

#[cfg(test)]
mod tests {
    use crate::version::testutil::{ascending, equal, unparseable};
    use crate::version::Scheme;

    #[test]
    fn semver_org_precedence_examples() {
        // semver.org, item 11.
        ascending(Scheme::Semver, &["1.0.0", "2.0.0", "2.1.0", "2.1.1"]);
        ascending(
            Scheme::Semver,
            &[
                "1.0.0-alpha",
                "1.0.0-alpha.1",
                "1.0.0-alpha.beta",
                "1.0.0-beta",
                "1.0.0-beta.2",
                "1.0.0-beta.11",
                "1.0.0-rc.1",
                "1.0.0",
            ],
        );
        ascending(Scheme::Semver, &["1.9.0", "1.10.0", "1.11.0"]);
    }

    #[test]
    fn build_metadata_and_prefixes_are_ignored() {
        equal(
            Scheme::Semver,
            &[
                ("1.0.0+20130313144700", "1.0.0"),
                ("1.0.0-beta+exp.sha.5114f85", "1.0.0-beta"),
                ("v1.2.3", "1.2.3"),
                ("=1.2.3", "1.2.3"),
                ("1.2", "1.2.0"),
            ],
        );
        unparseable(
            Scheme::Semver,
            &[
                "",
                "a.b.c",
                "1.2.3.4",
                "1.2.3-",
                "1.2.3-a..b",
                "1.2.3+",
                "1.2.3-ä",
                "01x.2.3",
            ],
        );
    }

    #[test]
    fn go_versions_and_pseudo_versions() {
        // go.dev/ref/mod#pseudo-versions: each form sorts after its base
        // and before the next release.
        ascending(
            Scheme::Go,
            &[
                "v0.0.0-20191109021931-daa7c04131f5",
                "v0.1.0",
                "v1.2.3",
                "v1.2.4-0.20191109021931-daa7c04131f5",
                "v1.2.4",
                "v1.3.0-pre",
                "v1.3.0-pre.0.20191109021931-daa7c04131f5",
                "v1.3.0",
            ],
        );
        // OSV writes Go versions without the v.
        equal(
            Scheme::Go,
            &[("v2.0.0+incompatible", "2.0.0"), ("v1.2.3", "1.2.3")],
        );
    }
}
