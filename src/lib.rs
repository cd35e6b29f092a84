//! wasmgate decides whether a WebAssembly release may ship.
//!
//! The stages are the layout, and data flows one way through them:
//!
//! `cli` (what the user typed) → `plan` (what to check, against which base, with which gate
//! files) → `discover` (the artifacts) → `facts` (one read and one parse per artifact, plus
//! git and cargo) → `derive` (baseline, delta, history, FinOps) → `input` (the versioned
//! document, assembled) → `policy` (Rego) → `findings` (severities) → `report` (renderers)
//! → `exit` (0/1/2). `pipeline` sequences them. The library never prints: renderers return
//! strings and the binary (`main.rs`, `cmd/`) writes them.

pub mod attestation;
pub mod background;
pub mod cli;
pub mod config;
pub mod derive;
pub mod diag;
pub mod discover;
pub mod exit;
pub mod explain;
pub mod facts;
pub mod findings;
pub mod git;
pub mod hexdump;
pub mod init;
pub mod input;
pub mod pipeline;
pub mod plan;
pub mod policy;
pub mod report;
pub mod shard;
pub mod shared;
pub mod signing;
pub mod untrusted;
pub mod wasmsig;

pub use diag::Error;
pub use pipeline::{NoProgress, Progress, check, facts as collect_facts};
pub use plan::CheckRequest;
