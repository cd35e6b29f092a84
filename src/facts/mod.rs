//! Fact collectors. Each is a sibling that records what is true of one input and never
//! imports another collector, the policy code or the report code.

pub mod auditable;
pub mod cargo;
pub mod git;
pub mod models;
pub mod sbom;
pub mod signature;
pub mod size;
pub mod wasm;
