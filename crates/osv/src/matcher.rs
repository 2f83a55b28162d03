//! OSV's evaluation algorithm (ossf.github.io/osv-schema, "Evaluation"): a
//! version is affected when it is listed in `versions`, or when walking a
//! `SEMVER`/`ECOSYSTEM` range's events in version order leaves it inside
//! (from `introduced`, "0" meaning the beginning, up to but excluding
//! `fixed` or `limit`, or up to and including `last_affected`). `GIT` ranges
//! need commit graphs and are skipped; withdrawn advisories never match.

use std::cmp::Ordering;
use std::collections::HashMap;

use crate::advisory::{Advisory, Event, RangeKind};
use crate::ecosystem::{normalise_name, Ecosystem};
use crate::version::{Scheme, Version};

/// Advisories indexed by package, with every range version parsed once.
pub struct Matcher {
    advisories: Vec<Advisory>,
    index: HashMap<(Ecosystem, String), Vec<Entry>>,
}

/// One advisory found for a package version.
#[derive(Debug, Clone, PartialEq)]
pub struct VulnMatch<'a> {
    pub advisory: &'a Advisory,
    /// For each range that matched, its lowest `fixed` version above the
    /// version asked about (lowest first, no repeats): what to upgrade to.
    /// Empty when no fix is known.
    pub fixed_in: Vec<String>,
}

/// A fixed version, parsed when it parses, and as written.
type Fix = (Option<Version>, String);

/// One `affected` entry of one advisory.
struct Entry {
    advisory: usize,
    affected: usize,
    scheme: Scheme,
    ranges: Vec<PreparedRange>,
}

struct PreparedRange {
    scheme: Scheme,
    /// Sorted by version; `None` is introduced "0".
    events: Vec<(Kind, Option<Version>, Box<str>)>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Kind {
    Introduced,
    Fixed,
    LastAffected,
    Limit,
}

impl Matcher {
    pub fn new(advisories: Vec<Advisory>) -> Matcher {
        let mut index: HashMap<(Ecosystem, String), Vec<Entry>> = HashMap::new();
        for (ai, adv) in advisories.iter().enumerate() {
            if adv.withdrawn.is_some() {
                continue;
            }
            for (fi, affected) in adv.affected.iter().enumerate() {
                let Some(package) = &affected.package else {
                    continue;
                };
                let Some(eco) = Ecosystem::from_osv(&package.ecosystem) else {
                    continue;
                };
                let scheme = eco.scheme();
                let ranges = affected
                    .ranges
                    .iter()
                    .filter_map(|r| {
                        let range_scheme = match r.kind {
                            RangeKind::Ecosystem => scheme,
                            RangeKind::Semver if matches!(scheme, Scheme::Go) => Scheme::Go,
                            RangeKind::Semver => Scheme::Semver,
                            RangeKind::Git | RangeKind::Other(_) => return None,
                        };
                        prepare(range_scheme, &r.events)
                    })
                    .collect();
                index
                    .entry((eco, normalise_name(eco, &package.name)))
                    .or_default()
                    .push(Entry {
                        advisory: ai,
                        affected: fi,
                        scheme,
                        ranges,
                    });
            }
        }
        Matcher { advisories, index }
    }

    pub fn advisories(&self) -> &[Advisory] {
        &self.advisories
    }

    /// The advisories affecting `name` at `version` in an OSV ecosystem
    /// ("PyPI", "crates.io", ...; a ":suffix" is ignored), each once, in
    /// the order they were given. An unsupported ecosystem matches nothing;
    /// a version that does not parse matches only exact `versions` entries.
    pub fn matches(&self, osv_ecosystem: &str, name: &str, version: &str) -> Vec<VulnMatch<'_>> {
        let Some(eco) = Ecosystem::from_osv(osv_ecosystem) else {
            return Vec::new();
        };
        let Some(entries) = self.index.get(&(eco, normalise_name(eco, name))) else {
            return Vec::new();
        };
        let mut parsed = Parsed::new(version);
        let mut found: Vec<(usize, Vec<Fix>)> = Vec::new();
        for entry in entries {
            let mut hit = false;
            let mut fixes: Vec<Fix> = Vec::new();
            for range in &entry.ranges {
                let Some(v) = parsed.get(range.scheme) else {
                    continue;
                };
                if in_range(v, &range.events) {
                    hit = true;
                    fixes.extend(fixes_above(Some(v), range));
                }
            }
            if !hit && self.listed(entry, version, &mut parsed) {
                hit = true;
                for range in &entry.ranges {
                    fixes.extend(fixes_above(parsed.get(range.scheme), range));
                }
            }
            if !hit {
                continue;
            }
            match found.iter_mut().find(|(a, _)| *a == entry.advisory) {
                Some((_, f)) => f.extend(fixes),
                None => found.push((entry.advisory, fixes)),
            }
        }
        found
            .into_iter()
            .filter_map(|(ai, mut fixes)| {
                fixes.sort_by(|(a, at), (b, bt)| {
                    a.as_ref()
                        .zip(b.as_ref())
                        .and_then(|(a, b)| a.partial_cmp(b))
                        .unwrap_or_else(|| at.cmp(bt))
                });
                fixes.dedup_by(|(a, at), (b, bt)| at == bt || (a.is_some() && a == b));
                Some(VulnMatch {
                    advisory: self.advisories.get(ai)?,
                    fixed_in: fixes.into_iter().map(|(_, t)| t).collect(),
                })
            })
            .collect()
    }

    /// In the entry's `versions` list: the same text, or the same version
    /// under the ecosystem's scheme (PyPI's "1.0" is "1.0.0").
    fn listed(&self, entry: &Entry, version: &str, parsed: &mut Parsed) -> bool {
        let Some(affected) = self
            .advisories
            .get(entry.advisory)
            .and_then(|a| a.affected.get(entry.affected))
        else {
            return false;
        };
        if affected.versions.iter().any(|v| v == version) {
            return true;
        }
        let Some(v) = parsed.get(entry.scheme) else {
            return false;
        };
        affected
            .versions
            .iter()
            .any(|listed| entry.scheme.parse(listed).is_some_and(|l| l == *v))
    }
}

/// Parse a range's events under its scheme and sort them; `None` when any
/// version does not parse (the range then cannot be evaluated).
fn prepare(scheme: Scheme, events: &[Event]) -> Option<PreparedRange> {
    let mut out = Vec::with_capacity(events.len());
    for e in events {
        let (kind, text) = match e {
            Event::Introduced(v) => (Kind::Introduced, v),
            Event::Fixed(v) => (Kind::Fixed, v),
            Event::LastAffected(v) => (Kind::LastAffected, v),
            Event::Limit(v) => (Kind::Limit, v),
        };
        let version = if kind == Kind::Introduced && text == "0" {
            None
        } else {
            Some(scheme.parse(text)?)
        };
        out.push((kind, version, text.as_str().into()));
    }
    out.sort_by(|(ka, va, _), (kb, vb, _)| {
        let by_version = match (va, vb) {
            (None, None) => Ordering::Equal,
            (None, Some(_)) => Ordering::Less,
            (Some(_), None) => Ordering::Greater,
            (Some(a), Some(b)) => a.partial_cmp(b).unwrap_or(Ordering::Equal),
        };
        by_version.then(ka.cmp(kb))
    });
    Some(PreparedRange {
        scheme,
        events: out,
    })
}

fn in_range(v: &Version, events: &[(Kind, Option<Version>, Box<str>)]) -> bool {
    let mut affected = false;
    for (kind, at, _) in events {
        let cmp = at.as_ref().map(|at| v.partial_cmp(at));
        match kind {
            Kind::Introduced => {
                if matches!(cmp, None | Some(Some(Ordering::Greater | Ordering::Equal))) {
                    affected = true;
                }
            }
            Kind::Fixed | Kind::Limit => {
                if matches!(cmp, Some(Some(Ordering::Greater | Ordering::Equal))) {
                    affected = false;
                }
            }
            Kind::LastAffected => {
                if matches!(cmp, Some(Some(Ordering::Greater))) {
                    affected = false;
                }
            }
        }
    }
    affected
}

/// The fix that ends the affected stretch holding `v`: the lowest `fixed`
/// above it. Without a parsed `v`, every fix of the range.
fn fixes_above(v: Option<&Version>, range: &PreparedRange) -> Vec<Fix> {
    let mut fixes = range
        .events
        .iter()
        .filter(|(kind, at, _)| {
            *kind == Kind::Fixed
                && match (v, at) {
                    (Some(v), Some(at)) => at.partial_cmp(v) == Some(Ordering::Greater),
                    _ => true,
                }
        })
        .map(|(_, at, text)| (at.clone(), text.to_string()));
    match v {
        // Events are sorted, so the first is the lowest.
        Some(_) => fixes.next().into_iter().collect(),
        None => fixes.collect(),
    }
}

/// The version asked about, parsed at most once per scheme.
struct Parsed<'s> {
    text: &'s str,
    cache: Vec<(Scheme, Option<Version>)>,
}

impl<'s> Parsed<'s> {
    fn new(text: &'s str) -> Parsed<'s> {
        Parsed {
            text,
            cache: Vec::with_capacity(2),
        }
    }

    fn get(&mut self, scheme: Scheme) -> Option<&Version> {
        let at = match self.cache.iter().position(|(s, _)| *s == scheme) {
            Some(i) => i,
            None => {
                self.cache.push((scheme, scheme.parse(self.text)));
                self.cache.len() - 1
            }
        };
        self.cache.get(at).and_then(|(_, v)| v.as_ref())
    }
}
