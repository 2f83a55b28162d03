//! The fractional CTO's own records: clients and their tiers, the time log,
//! decisions (MADR), built systems, the week plan and engagement health.
//!
//! Pure domain code: no database, no CLI, no HTTP. The store crate persists
//! these types; the binary and the web crate present them.

pub mod error;
pub mod health;
pub mod madr;
pub mod model;
pub mod tier;
pub mod validate;
pub mod week;

pub use error::{EngageError, Result};
pub use model::*;
pub use tier::{TierBudget, TierTable};
