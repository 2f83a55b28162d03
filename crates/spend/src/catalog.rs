//! The vendor catalog: SaaS and cloud vendors with the descriptor patterns
//! their charges carry on bank statements, their category and pricing model.
//! Ships as data (`data/vendors.toml`); a client may add or override entries.

use serde::{Deserialize, Serialize};

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

#[derive(Deserialize)]
struct CatalogFile {
    #[serde(default)]
    vendor: Vec<Vendor>,
}

#[derive(Debug, Clone)]
pub struct Catalog {
    vendors: Vec<Vendor>,
    /// (automaton, pattern index -> vendor index), rebuilt when vendors change.
    matcher: Option<(aho_corasick::AhoCorasick, Vec<usize>)>,
}

impl Catalog {
    /// The catalog that ships with fcto (`data/vendors.toml`; a test checks
    /// that it parses).
    pub fn builtin() -> Catalog {
        Catalog::from_toml(include_str!("../data/vendors.toml"), "vendors.toml")
            .expect("the built-in vendors.toml parses (checked by a test)")
    }

    fn from_vendors(vendors: Vec<Vendor>) -> Catalog {
        let mut c = Catalog {
            vendors,
            matcher: None,
        };
        c.rebuild();
        c
    }

    fn rebuild(&mut self) {
        let mut patterns = Vec::new();
        let mut owner = Vec::new();
        for (vi, v) in self.vendors.iter().enumerate() {
            for p in &v.patterns {
                patterns.push(p.to_uppercase());
                owner.push(vi);
            }
        }
        self.matcher = aho_corasick::AhoCorasick::builder()
            .match_kind(aho_corasick::MatchKind::Standard)
            .build(&patterns)
            .ok()
            .map(|ac| (ac, owner));
    }

    /// Parse a catalog file; errors name the file, and the line and field
    /// where TOML gives them.
    pub fn from_toml(text: &str, source_name: &str) -> Result<Catalog, CatalogError> {
        let err = |message: String| CatalogError {
            source_name: source_name.into(),
            message,
        };
        let file: CatalogFile =
            toml::from_str(text).map_err(|e| err(e.to_string().trim().replace('\n', " ")))?;
        let mut seen = std::collections::HashSet::new();
        for v in &file.vendor {
            if !seen.insert(v.id.clone()) {
                return Err(err(format!("vendor id {:?} appears twice", v.id)));
            }
            if v.id.is_empty()
                || !v
                    .id
                    .bytes()
                    .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
            {
                return Err(err(format!(
                    "vendor id {:?} must be lower-case letters, digits and hyphens",
                    v.id
                )));
            }
            if !CATEGORIES.contains(&v.category.as_str()) {
                return Err(err(format!(
                    "vendor {:?}: unknown category {:?} (one of {})",
                    v.id,
                    v.category,
                    CATEGORIES.join(", ")
                )));
            }
            if v.patterns.is_empty() {
                return Err(err(format!("vendor {:?} has no patterns", v.id)));
            }
            if let Some(p) = v.patterns.iter().find(|p| p.trim().chars().count() < 3) {
                return Err(err(format!(
                    "vendor {:?}: pattern {p:?} is shorter than 3 characters",
                    v.id
                )));
            }
        }
        Ok(Catalog::from_vendors(file.vendor))
    }

    /// Add `other`'s vendors; an entry with an existing id replaces it.
    pub fn extend(&mut self, other: Catalog) {
        for v in other.vendors {
            self.vendors.retain(|x| x.id != v.id);
            self.vendors.push(v);
        }
        self.rebuild();
    }

    pub fn vendors(&self) -> &[Vendor] {
        &self.vendors
    }

    pub fn get(&self, id: &str) -> Option<&Vendor> {
        self.vendors.iter().find(|v| v.id == id)
    }

    /// The vendor a raw bank descriptor belongs to: the longest pattern
    /// found at word boundaries in the descriptor as written or cleaned.
    pub fn lookup(&self, raw_descriptor: &str) -> Option<&Vendor> {
        let (ac, owner) = self.matcher.as_ref()?;
        let upper = raw_descriptor.to_uppercase();
        let cleaned = crate::normalise::clean_descriptor(raw_descriptor);
        let mut best: Option<(usize, usize)> = None; // (pattern length, vendor index)
        for hay in [upper.as_str(), cleaned.as_str()] {
            let bytes = hay.as_bytes();
            for m in ac.find_overlapping_iter(hay) {
                let (s, e) = (m.start(), m.end());
                let pat = &bytes[s..e];
                let alnum = |b: u8| b.is_ascii_alphanumeric();
                let left_ok = s == 0 || !alnum(pat[0]) || !alnum(bytes[s - 1]);
                // A digit may follow: references are often glued on
                // ("SLACK T02ABC", "GOOGLE *ADS1234567").
                let right_ok = e == bytes.len()
                    || !alnum(pat[pat.len() - 1])
                    || !bytes[e].is_ascii_alphabetic();
                if left_ok && right_ok {
                    let vi = owner[m.pattern().as_usize()];
                    let len = e - s;
                    // Longest pattern wins; on a tie, the later entry (a
                    // client's own) wins.
                    if best.is_none_or(|(bl, bv)| len > bl || (len == bl && vi > bv)) {
                        best = Some((len, vi));
                    }
                }
            }
        }
        best.map(|(_, vi)| &self.vendors[vi])
    }
}
