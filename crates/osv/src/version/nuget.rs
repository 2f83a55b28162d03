//! NuGet's `NuGetVersion`: `Major.Minor[.Patch[.Revision]][-Label][+Metadata]`
//! (missing parts are 0, so 1.0 = 1.0.0 = 1.0.0.0), pre-release labels
//! compared part by part as SemVer 2 does but case-insensitively, metadata
//! ignored.

use std::cmp::Ordering;

use super::{number, ord_by_cmp};

#[derive(Debug, Clone)]
pub struct NuGetVersion {
    parts: [u64; 4],
    /// Labels, lowercased (NuGet compares them ignoring case).
    labels: Vec<Label>,
}

#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
enum Label {
    Numeric(u64),
    Text(Box<str>),
}

impl NuGetVersion {
    pub fn parse(s: &str) -> Option<NuGetVersion> {
        let s = s.trim();
        let s = s.split_once('+').map_or(s, |(v, _)| v);
        let (core, pre) = match s.split_once('-') {
            Some((c, p)) => (c, Some(p)),
            None => (s, None),
        };
        let mut parts = [0u64; 4];
        for (i, p) in core.split('.').enumerate() {
            *parts.get_mut(i)? = number(p)?;
        }
        let labels = match pre {
            None => Vec::new(),
            Some(p) => p
                .split('.')
                .map(|l| {
                    if l.is_empty() || !l.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-') {
                        None
                    } else if let Some(n) = number(l) {
                        Some(Label::Numeric(n))
                    } else {
                        Some(Label::Text(l.to_ascii_lowercase().into()))
                    }
                })
                .collect::<Option<Vec<_>>>()?,
        };
        Some(NuGetVersion { parts, labels })
    }
}

impl Ord for NuGetVersion {
    fn cmp(&self, other: &Self) -> Ordering {
        self.parts.cmp(&other.parts).then_with(|| {
            match (self.labels.is_empty(), other.labels.is_empty()) {
                (true, true) => Ordering::Equal,
                (true, false) => Ordering::Greater,
                (false, true) => Ordering::Less,
                (false, false) => self.labels.cmp(&other.labels),
            }
        })
    }
}
ord_by_cmp!(NuGetVersion);

#[cfg(test)]
mod tests {
    use crate::version::testutil::{ascending, equal, unparseable};
    use crate::version::Scheme;

    #[test]
    fn nuget_package_versioning_examples() {
        // docs: "Package versioning" — pre-release sorting and the fourth part.
        ascending(
            Scheme::NuGet,
            &[
                "1.0.0-alpha",
                "1.0.0-alpha.1",
                "1.0.0-alpha.beta",
                "1.0.0-beta",
                "1.0.0-beta.2",
                "1.0.0-beta.11",
                "1.0.0-rc.1",
                "1.0.0",
                "1.0.0.1",
                "1.0.1",
                "4.1.0.0",
                "13.0.1",
            ],
        );
        equal(
            Scheme::NuGet,
            &[
                ("1.0", "1.0.0.0"),
                ("1.0.0-BETA", "1.0.0-beta"),
                ("1.0.0+githash", "1.0.0"),
                ("01.0.0", "1.0.0"),
            ],
        );
        unparseable(
            Scheme::NuGet,
            &["", "1.0.0.0.0", "a.b", "1.0.0-", "1.0.0-a..b", "1..0"],
        );
    }
}
