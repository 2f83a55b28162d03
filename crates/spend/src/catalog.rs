//! The vendor catalog: SaaS and cloud vendors with the descriptor patterns
//! their charges carry on bank statements, their category and pricing model.
//! Ships as data (`data/vendors.toml`); a client may add or override entries.
//!
//! Lookup cleans a raw descriptor ([`crate::normalise`]) and runs one
//! Aho-Corasick automaton (leftmost-longest) over it, holding every vendor's
//! patterns, cleaned the same way. A match counts only at word boundaries,
//! so "NOTIONAL INTEREST" is not Notion and "ZOOMCAR" is not Zoom. Of
//! several matches, a client's entry (added with [`Catalog::extend`]) wins
//! over the built-in ones, then the longest pattern, then the later entry.

use std::collections::{HashMap, HashSet};
use std::sync::OnceLock;

use aho_corasick::{AhoCorasick, Input, MatchKind};
use serde::{Deserialize, Serialize};
use toml::Spanned;

use crate::normalise::clean_for_match;

/// Categories a vendor can be in. Tools in the same category overlap.
pub const CATEGORIES: &[&str] = &[
    "video-conferencing",
    "team-chat",
    "email-and-office-suite",
    "crm",
    "project-management",
    "docs-and-wiki",
    "design",
    "developer-tools",
    "code-hosting",
    "cloud-hosting",
    "monitoring-and-logging",
    "accounting",
    "payroll-and-hr",
    "e-signature",
    "email-marketing",
    "social-media-management",
    "web-analytics",
    "customer-support",
    "password-management",
    "file-storage-and-sharing",
    "forms-and-surveys",
    "scheduling",
    "telephony-and-sms",
    "ai-assistants",
    "security",
    "website-builder",
    "ecommerce",
    "automation",
    "domains-and-dns",
    "transactional-email",
    "payments",
    "learning",
    "stock-media",
    "video-messaging",
    "advertising",
    "recruitment",
    "business-intelligence",
    "it-management",
    "seo",
    "other-software",
];

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Pricing {
    /// Billed per user: unused seats are money.
    PerSeat,
    Flat,
    Usage,
    Tiered,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Vendor {
    /// Stable id, lower-case kebab ("google-workspace").
    pub id: String,
    pub name: String,
    /// One of [`CATEGORIES`].
    pub category: String,
    /// Upper-case fragments of cleaned descriptors that identify the vendor.
    pub patterns: Vec<String>,
    pub pricing: Pricing,
    /// Typical discount for paying yearly instead of monthly, in percent.
    #[serde(default)]
    pub annual_discount_pct: Option<f64>,
}

#[derive(Debug, thiserror::Error)]
#[error("{source_name}: {message}")]
pub struct CatalogError {
    pub source_name: String,
    pub message: String,
}

/// The file as written, with positions kept for error messages.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct CatalogFile {
    #[serde(default)]
    vendor: Vec<RawVendor>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawVendor {
    id: Spanned<String>,
    name: Spanned<String>,
    category: Spanned<String>,
    patterns: Spanned<Vec<Spanned<String>>>,
    pricing: Pricing,
    #[serde(default)]
    annual_discount_pct: Option<Spanned<f64>>,
}

#[derive(Debug, Clone)]
pub struct Catalog {
    vendors: Vec<Vendor>,
    /// Per vendor: 0 for a file's own entries, one more for each layer added
    /// by [`Catalog::extend`] (a client's entries beat the built-in ones).
    layer: Vec<u32>,
    /// Vendor id -> index in `vendors`.
    by_id: HashMap<String, usize>,
    /// One automaton per layer, the top layer first; built from `vendors`
    /// and rebuilt whenever they change.
    matchers: Vec<Matcher>,
}

#[derive(Debug, Clone)]
struct Matcher {
    automaton: AhoCorasick,
    /// Pattern index -> vendor index (each distinct cleaned pattern once,
    /// owned by the later of the vendors that have it).
    owner: Vec<usize>,
}

impl Matcher {
    /// (pattern length, vendor index) of the longest pattern found at word
    /// boundaries in `hay`; on equal lengths, the later vendor.
    fn best(&self, hay: &str) -> Option<(usize, usize)> {
        let bytes = hay.as_bytes();
        let mut best: Option<(usize, usize)> = None;
        let mut at = 0;
        while at < bytes.len() {
            let Some(found) = self.automaton.find(Input::new(hay).span(at..bytes.len())) else {
                break;
            };
            let (s, e) = (found.start(), found.end());
            let left_ok = s == 0 || !is_word_byte(bytes[s - 1]) || !is_word_byte(bytes[s]);
            let right_ok =
                e == bytes.len() || !is_word_byte(bytes[e]) || !is_word_byte(bytes[e - 1]);
            if left_ok && right_ok {
                let candidate = (e - s, self.owner[found.pattern().as_usize()]);
                if best.is_none_or(|b| candidate > b) {
                    best = Some(candidate);
                }
            }
            // Resume inside the match: a pattern starting there may be
            // longer ("ABC DEF GHI" holds "DEF GHI"), or, if this one was
            // not a word ("NOTIONAL"), a word.
            at = s + 1;
        }
        best
    }
}

/// Bytes that make up words: ASCII letters and digits, and any byte of a
/// non-ASCII character ("CAFÉ" is one word).
fn is_word_byte(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b >= 0x80
}

impl Catalog {
    /// The catalog that ships with fcto (`data/vendors.toml`; a test checks
    /// that it parses). Parsed once per process, then cloned.
    pub fn builtin() -> Catalog {
        static BUILTIN: OnceLock<Catalog> = OnceLock::new();
        BUILTIN
            .get_or_init(|| {
                Catalog::from_toml(include_str!("../data/vendors.toml"), "vendors.toml")
                    .expect("the built-in vendors.toml parses (checked by a test)")
            })
            .clone()
    }

    fn from_vendors(vendors: Vec<Vendor>) -> Catalog {
        let mut c = Catalog {
            layer: vec![0; vendors.len()],
            vendors,
            by_id: HashMap::new(),
            matchers: Vec::new(),
        };
        c.rebuild();
        c
    }

    fn rebuild(&mut self) {
        self.by_id = self
            .vendors
            .iter()
            .enumerate()
            .map(|(i, v)| (v.id.clone(), i))
            .collect();
        let mut layers: Vec<u32> = self.layer.clone();
        layers.sort_unstable_by(|a, b| b.cmp(a));
        layers.dedup();
        self.matchers = layers
            .into_iter()
            .filter_map(|layer| {
                // A pattern two vendors of a layer share is the later one's.
                let mut owner_of: HashMap<String, usize> = HashMap::new();
                for (vi, v) in self.vendors.iter().enumerate() {
                    if self.layer[vi] != layer {
                        continue;
                    }
                    for p in &v.patterns {
                        let p = clean_for_match(p);
                        if p.len() >= 3 {
                            owner_of.insert(p, vi);
                        }
                    }
                }
                let mut pairs: Vec<(String, usize)> = owner_of.into_iter().collect();
                pairs.sort();
                let automaton = AhoCorasick::builder()
                    .match_kind(MatchKind::LeftmostLongest)
                    .build(pairs.iter().map(|(p, _)| p.as_str()))
                    .ok()?;
                Some(Matcher {
                    automaton,
                    owner: pairs.into_iter().map(|(_, vi)| vi).collect(),
                })
            })
            .collect();
    }

    /// Parse a catalog file (`[[vendor]]` tables, or `vendor = [...]`);
    /// errors name the file, and the line and field.
    pub fn from_toml(text: &str, source_name: &str) -> Result<Catalog, CatalogError> {
        let line_of = |offset: usize| {
            text.as_bytes()[..offset.min(text.len())]
                .iter()
                .filter(|b| **b == b'\n')
                .count()
                + 1
        };
        let err = |offset: usize, message: String| CatalogError {
            source_name: source_name.into(),
            message: format!("line {}: {message}", line_of(offset)),
        };
        let file: CatalogFile = toml::from_str(text).map_err(|e| {
            let message = e.message().trim().replace('\n', " ");
            let message = match e.span() {
                Some(span) => {
                    let at = span.start.min(text.len());
                    let line_start = text[..at].rfind('\n').map_or(0, |i| i + 1);
                    let column = text[line_start..at].chars().count() + 1;
                    format!("line {}, column {column}: {message}", line_of(at))
                }
                None => message,
            };
            CatalogError {
                source_name: source_name.into(),
                message,
            }
        })?;
        let mut first_line: HashMap<String, usize> = HashMap::new();
        let mut vendors = Vec::with_capacity(file.vendor.len());
        for raw in file.vendor {
            let id = raw.id.get_ref();
            let at = raw.id.span().start;
            if let Some(first) = first_line.get(id) {
                return Err(err(
                    at,
                    format!("id: vendor id {id:?} appears twice (first on line {first})"),
                ));
            }
            first_line.insert(id.clone(), line_of(at));
            if id.is_empty()
                || !id
                    .bytes()
                    .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
            {
                return Err(err(
                    at,
                    format!("id: vendor id {id:?} must be lower-case letters, digits and hyphens"),
                ));
            }
            if raw.name.get_ref().trim().is_empty() {
                return Err(err(
                    raw.name.span().start,
                    format!("name: vendor {id:?} has an empty name"),
                ));
            }
            let category = raw.category.get_ref();
            if !CATEGORIES.contains(&category.as_str()) {
                return Err(err(
                    raw.category.span().start,
                    format!(
                        "category: vendor {id:?}: unknown category {category:?} (one of {})",
                        CATEGORIES.join(", ")
                    ),
                ));
            }
            if raw.patterns.get_ref().is_empty() {
                return Err(err(
                    raw.patterns.span().start,
                    format!("patterns: vendor {id:?} has no patterns"),
                ));
            }
            for p in raw.patterns.get_ref() {
                let pattern = p.get_ref();
                if pattern.trim().chars().count() < 3 {
                    return Err(err(
                        p.span().start,
                        format!(
                            "patterns: vendor {id:?}: pattern {pattern:?} is shorter than 3 characters"
                        ),
                    ));
                }
                let cleaned = clean_for_match(pattern);
                if cleaned.chars().count() < 3 || !cleaned.bytes().any(|b| b.is_ascii_alphabetic())
                {
                    return Err(err(
                        p.span().start,
                        format!(
                            "patterns: vendor {id:?}: pattern {pattern:?} is shorter than 3 \
                             characters once cleaned like a descriptor ({cleaned:?}): processor \
                             prefixes, references and dates are removed before matching"
                        ),
                    ));
                }
            }
            if let Some(d) = &raw.annual_discount_pct {
                if !(0.0..=90.0).contains(d.get_ref()) {
                    return Err(err(
                        d.span().start,
                        format!(
                            "annual_discount_pct: vendor {id:?}: {} is not a percentage from 0 to 90",
                            d.get_ref()
                        ),
                    ));
                }
            }
            vendors.push(Vendor {
                id: raw.id.into_inner(),
                name: raw.name.into_inner(),
                category: raw.category.into_inner(),
                patterns: raw
                    .patterns
                    .into_inner()
                    .into_iter()
                    .map(|p| p.into_inner().trim().to_string())
                    .collect(),
                pricing: raw.pricing,
                annual_discount_pct: raw.annual_discount_pct.map(Spanned::into_inner),
            });
        }
        Ok(Catalog::from_vendors(vendors))
    }

    /// Add `other`'s vendors (a client's own) on top: an entry with an
    /// existing id replaces it, and where one of them matches a descriptor
    /// it wins over this catalog's vendors, whatever the pattern lengths.
    pub fn extend(&mut self, other: Catalog) {
        let top = self.layer.iter().copied().max().unwrap_or(0) + 1;
        let replaced: HashSet<&str> = other.vendors.iter().map(|v| v.id.as_str()).collect();
        let mut vendors = Vec::with_capacity(self.vendors.len() + other.vendors.len());
        let mut layer = Vec::with_capacity(vendors.capacity());
        for (v, l) in self.vendors.drain(..).zip(self.layer.drain(..)) {
            if !replaced.contains(v.id.as_str()) {
                vendors.push(v);
                layer.push(l);
            }
        }
        for (v, l) in other.vendors.into_iter().zip(other.layer) {
            vendors.push(v);
            layer.push(top + l);
        }
        self.vendors = vendors;
        self.layer = layer;
        self.rebuild();
    }

    pub fn vendors(&self) -> &[Vendor] {
        &self.vendors
    }

    pub fn get(&self, id: &str) -> Option<&Vendor> {
        self.by_id.get(id).map(|&i| &self.vendors[i])
    }

    /// The vendor a raw bank descriptor belongs to: of the patterns found
    /// at word boundaries in the cleaned descriptor, a client's before a
    /// built-in one, then the longest.
    pub fn lookup(&self, raw_descriptor: &str) -> Option<&Vendor> {
        if self.matchers.is_empty() {
            return None;
        }
        let hay = clean_for_match(raw_descriptor);
        self.matchers
            .iter()
            .find_map(|m| m.best(&hay))
            .map(|(_, vi)| &self.vendors[vi])
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Patterns are written as cleaned descriptors read, so that the
    /// automaton (built from cleaned patterns) holds exactly what the file
    /// says and a pattern is never cleaned away.
    #[test]
    fn builtin_patterns_are_already_clean() {
        let c = Catalog::builtin();
        let mut unclean = Vec::new();
        for v in c.vendors() {
            for p in &v.patterns {
                let cleaned = clean_for_match(p);
                if &cleaned != p {
                    unclean.push(format!("{}: {p:?} cleans to {cleaned:?}", v.id));
                }
            }
        }
        assert!(unclean.is_empty(), "{unclean:#?}");
    }

    #[test]
    fn word_boundaries_and_longest_match() {
        let c = Catalog::from_toml(
            r#"
[[vendor]]
id = "ab"
name = "AB"
category = "crm"
pricing = "flat"
patterns = ["ABC", "ABC DEF"]

[[vendor]]
id = "de"
name = "DE"
category = "crm"
pricing = "flat"
patterns = ["DEF GHI"]
"#,
            "t.toml",
        )
        .expect("parse");
        let id = |raw: &str| c.lookup(raw).map(|v| v.id.as_str());
        assert_eq!(id("ABC"), Some("ab"));
        assert_eq!(id("ABCD"), None);
        assert_eq!(id("XABC"), None);
        assert_eq!(id("ABC.COM"), Some("ab"));
        // "XABC DEF" is not a word-bounded "ABC DEF", but "DEF GHI" inside
        // it still is found (the automaton resumes inside a rejected match).
        assert_eq!(id("XABC DEF GHI"), Some("de"));
        assert_eq!(id("ABC DEF GH"), Some("ab"), "the longest");
        assert_eq!(
            id("ABC DEF GHI"),
            Some("de"),
            "equally long: the later entry"
        );
        assert_eq!(id("ABCS ABC"), Some("ab"));
        assert_eq!(id(""), None);
    }
}
