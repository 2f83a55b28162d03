//! The vendor catalog: SaaS and cloud vendors with the descriptor patterns
//! their charges carry on bank statements, their category and pricing model.
//! Ships as data (`data/vendors.toml`); a client may add or override entries.
//!
//! (Interface fixed; implementation and data in progress.)

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

#[derive(Debug, Clone)]
pub struct Catalog {
    vendors: Vec<Vendor>,
}

impl Catalog {
    /// The catalog that ships with fcto.
    pub fn builtin() -> Catalog {
        Catalog { vendors: Vec::new() }
    }

    /// Parse a catalog file (the same TOML layout as the built-in one);
    /// errors name the file, and the line and field where TOML gives them.
    pub fn from_toml(_text: &str, source_name: &str) -> Result<Catalog, CatalogError> {
        Err(CatalogError { source_name: source_name.into(), message: "not implemented".into() })
    }

    /// Add `other`'s vendors; an entry with an existing id replaces it.
    pub fn extend(&mut self, other: Catalog) {
        for v in other.vendors {
            self.vendors.retain(|x| x.id != v.id);
            self.vendors.push(v);
        }
    }

    pub fn vendors(&self) -> &[Vendor] {
        &self.vendors
    }

    pub fn get(&self, id: &str) -> Option<&Vendor> {
        self.vendors.iter().find(|v| v.id == id)
    }

    /// The vendor a raw bank descriptor belongs to, if any.
    pub fn lookup(&self, _raw_descriptor: &str) -> Option<&Vendor> {
        None
    }
}
