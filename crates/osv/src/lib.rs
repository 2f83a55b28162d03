//! Known vulnerabilities, offline: OSV advisories (schema 1.6) read from
//! osv.dev's per-ecosystem `all.zip` dumps, folders or single files, and
//! matched against packages with each ecosystem's own version ordering.
//!
//! No I/O beyond reading the source given; no store, no network. The store
//! keeps advisories as their JSON text and hands them back for
//! [`parse_advisory`] and a [`Matcher`].

mod advisory;
mod ecosystem;
mod error;
mod matcher;
mod source;
pub mod version;

pub use advisory::{parse_advisory, Advisory, Affected, Event, Package, Range, RangeKind};
pub use ecosystem::{normalise_name, Ecosystem};
pub use error::OsvError;
pub use matcher::{Matcher, VulnMatch};
pub use source::{read_source, RawAdvisory, Source, SourceKind, SourceStats, MAX_ENTRY_BYTES};
