//! Fact collectors. Each is a sibling that records what is true of one input and never
//! imports another collector, the policy code or the report code. Per-artifact collectors
//! take the `ctx::ArtifactCtx` (bytes read once, hashed once, sections split once);
//! `artifact` runs them all over one file. `git`, `cargo` and `manifests` are the repository-level ones.

pub mod artifact;
pub mod auditable;
pub mod cache;
pub mod cargo;
pub mod ctx;
pub mod git;
pub mod located_yaml;
pub mod manifests;
pub mod models;
pub mod oci;
pub mod quantity;
pub mod sbom;
pub mod signature;
pub mod size;
pub mod stripped;
pub mod wasm;
