//! Spend: import bank and card exports, find the software subscriptions in
//! them, and say what can be saved.
//!
//! A library a stranger could use without fcto: bytes in (`import`), a
//! vendor per descriptor (`catalog`, `normalise`), recurring series
//! (`recurring`), savings (`opportunities`). No database, no CLI.

pub mod analysis;
pub mod catalog;
pub mod identity;
pub mod import;
pub mod money;
pub mod normalise;
pub mod opportunities;
pub mod recurring;
pub mod register;
pub mod report;
pub mod seats;
pub mod synth;
