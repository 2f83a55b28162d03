//! Dependency inventory (an SBOM) from lockfiles and manifests.
//!
//! The caller walks the tree and reads the files; this crate only turns bytes
//! into [`Component`]s. [`manifest_kind`] picks the format from a file name,
//! [`parse_manifest`] parses it, [`purl`] builds package URLs and
//! [`cyclonedx::to_json`] writes a CycloneDX 1.5 document.
//!
//! Invariants: no I/O; every parser takes untrusted bytes, returns a
//! [`ParseError`] naming the file (and the line and field where known) instead
//! of panicking, and stays linear in the input. Components of one file come
//! out in file order, one per distinct name and version.

mod component;
pub mod cyclonedx;
mod decode;
mod ecosystem;
mod error;
mod formats;
mod kind;
mod package_url;

pub use component::{Component, ParseNote, ParseOutput};
pub use ecosystem::Ecosystem;
pub use error::ParseError;
pub use kind::{manifest_kind, ManifestKind};
pub use package_url::{purl, purl_from_parts};

/// Parses one lockfile or manifest. `label` is the path the caller shows for
/// the file; it becomes every component's `source` and every error's `file`.
pub fn parse_manifest(
    kind: ManifestKind,
    label: &str,
    bytes: &[u8],
) -> Result<Vec<Component>, ParseError> {
    parse_manifest_with_notes(kind, label, bytes).map(|out| out.components)
}

/// Like [`parse_manifest`], and also returns notes about what was seen but
/// not turned into components (`-r` includes, editable installs, unresolved
/// properties, local replacements).
pub fn parse_manifest_with_notes(
    kind: ManifestKind,
    label: &str,
    bytes: &[u8],
) -> Result<ParseOutput, ParseError> {
    formats::parse(kind, label, bytes)
}
