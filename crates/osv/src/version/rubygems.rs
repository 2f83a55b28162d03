//! RubyGems' `Gem::Version`: a version is digits and ASCII letters between
//! dots (a `-` reads as `.pre.`); it is split into runs of digits (numbers)
//! and runs of letters (strings), trailing zeros of the release part and of
//! the pre-release part are dropped, and segments compare one by one with
//! missing ones read as 0 and any string below any number — so a letter
//! makes a pre-release: 1.0.a < 1.0 < 1.0.1.

use std::cmp::Ordering;

use super::ord_by_cmp;

#[derive(Debug, Clone)]
pub struct GemVersion {
    canonical: Vec<Segment>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
enum Segment {
    Number(u64),
    Text(Box<str>),
}

impl GemVersion {
    pub fn parse(s: &str) -> Option<GemVersion> {
        let s = s.trim();
        let s = if s.is_empty() { "0" } else { s };
        if !well_formed(s) {
            return None;
        }
        let mut segments = Vec::new();
        // "1.0-rc1" is read as "1.0.pre.rc1".
        let mut push_run = |run: &str| -> Option<()> {
            if run.is_empty() {
                return Some(());
            }
            if run.bytes().all(|b| b.is_ascii_digit()) {
                segments.push(Segment::Number(run.parse().ok()?));
            } else {
                segments.push(Segment::Text(run.into()));
            }
            Some(())
        };
        for (i, piece) in s.split('-').enumerate() {
            if i > 0 {
                push_run("pre")?;
            }
            let bytes = piece.as_bytes();
            let mut start = 0;
            for j in 1..=bytes.len() {
                let boundary = match (bytes.get(j - 1), bytes.get(j)) {
                    (Some(a), Some(b)) => {
                        a.is_ascii_digit() != b.is_ascii_digit() || *b == b'.' || *a == b'.'
                    }
                    _ => true,
                };
                if boundary {
                    let run = piece.get(start..j)?;
                    if run != "." {
                        push_run(run)?;
                    }
                    start = j;
                }
            }
        }
        // Drop trailing zeros of the numeric release and of the rest.
        let split = segments
            .iter()
            .position(|s| matches!(s, Segment::Text(_)))
            .unwrap_or(segments.len());
        let mut tail = segments.split_off(split);
        trim_zeros(&mut segments);
        trim_zeros(&mut tail);
        segments.extend(tail);
        Some(GemVersion {
            canonical: segments,
        })
    }

    pub fn is_prerelease(&self) -> bool {
        self.canonical.iter().any(|s| matches!(s, Segment::Text(_)))
    }
}

fn trim_zeros(v: &mut Vec<Segment>) {
    while v.last() == Some(&Segment::Number(0)) {
        v.pop();
    }
}

/// `Gem::Version::ANCHORED_VERSION_PATTERN`:
/// `[0-9]+(\.[0-9a-zA-Z]+)*(-[0-9A-Za-z-]+(\.[0-9A-Za-z-]+)*)?`.
fn well_formed(s: &str) -> bool {
    let (main, pre) = match s.split_once('-') {
        Some((m, p)) => (m, Some(p)),
        None => (s, None),
    };
    let mut parts = main.split('.');
    let first_ok = parts
        .next()
        .is_some_and(|p| !p.is_empty() && p.bytes().all(|b| b.is_ascii_digit()));
    let rest_ok = parts.all(|p| !p.is_empty() && p.bytes().all(|b| b.is_ascii_alphanumeric()));
    let pre_ok = pre.is_none_or(|p| {
        p.split('.')
            .all(|q| !q.is_empty() && q.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-'))
    });
    first_ok && rest_ok && pre_ok
}

impl Ord for GemVersion {
    fn cmp(&self, other: &Self) -> Ordering {
        let zero = Segment::Number(0);
        let n = self.canonical.len().max(other.canonical.len());
        for i in 0..n {
            let a = self.canonical.get(i).unwrap_or(&zero);
            let b = other.canonical.get(i).unwrap_or(&zero);
            let ord = match (a, b) {
                (Segment::Number(x), Segment::Number(y)) => x.cmp(y),
                (Segment::Text(x), Segment::Text(y)) => x.cmp(y),
                (Segment::Text(_), Segment::Number(_)) => Ordering::Less,
                (Segment::Number(_), Segment::Text(_)) => Ordering::Greater,
            };
            if ord != Ordering::Equal {
                return ord;
            }
        }
        Ordering::Equal
    }
}
ord_by_cmp!(GemVersion);

#[cfg(test)]
mod tests {
    use crate::version::testutil::{ascending, equal, unparseable};
    use crate::version::Scheme;

    #[test]
    fn gem_version_documented_order() {
        // Gem::Version's class comment: "Prereleases sort between real
        // releases (newest to oldest): 1.0, 1.0.b1, 1.0.a.2, 0.9".
        ascending(Scheme::RubyGems, &["0.9", "1.0.a.2", "1.0.b1", "1.0"]);
        // "1.0.a10 becomes 1.0.a.10, and is greater than 1.0.a9"; 3.10 > 3.2.
        ascending(Scheme::RubyGems, &["1.0.a9", "1.0.a10"]);
        ascending(Scheme::RubyGems, &["3.2", "3.10"]);
        ascending(
            Scheme::RubyGems,
            &[
                "1.0.a", "1.0.b", "1.0.rc1", "1.0", "1.0.1", "1.1.a", "1.1", "2",
            ],
        );
        // "-" is ".pre.", and a pre-release of a release comes before it.
        ascending(
            Scheme::RubyGems,
            &["6.1.0-rc1", "6.1.0.rc2", "6.1.0", "6.1.4.1", "6.1.7.3"],
        );
    }

    #[test]
    fn trailing_zeros_and_blank() {
        equal(
            Scheme::RubyGems,
            &[
                ("1.0", "1"),
                ("1.0.0", "1"),
                ("1.0.a", "1.a"),
                ("1.0-rc1", "1.0.pre.rc1"),
                ("", "0"),
                (" 1.2 ", "1.2"),
            ],
        );
        unparseable(
            Scheme::RubyGems,
            &["junk", "1..2", "1.2.", "1.0+build", ".1", "a1", "1 2"],
        );
    }
}
