//! Review: find what breaks at 10x data (migration safety) and what couples
//! a business to a vendor (integration coupling), in changed files.
//!
//! A library a stranger could use without fcto: text in, findings out. No
//! git, no database, no CLI; the binary feeds it files and changed lines.

pub mod config;
pub mod coupling;
pub mod diff;
pub mod finding;
pub mod orm;
pub mod render;
pub mod route;
pub mod scale;
pub mod sql;
pub mod suppress;

pub use config::{Dialect, ReviewConfig};
pub use finding::{Estimate, Finding, Severity};
pub use route::{review_file, review_file_of_kind, FileReview, Warning};
