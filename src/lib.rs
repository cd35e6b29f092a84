//! wasmgate decides whether a WebAssembly release may ship.
//!
//! Data flows one way: `discover` → `facts::*` → `input` → `policy` → `findings` → `report`,
//! and `exit` maps the verdict to a code. `cli` is what the user typed, `request` resolves it,
//! `app` runs the stages. The library never prints: renderers return strings and the binary
//! writes them.

pub mod app;
pub mod background;
pub mod baseline;
pub mod cli;
pub mod config;
pub mod context;
pub mod delta;
pub mod diag;
pub mod discover;
pub mod exit;
pub mod explain;
pub mod facts;
pub mod findings;
pub mod finops;
pub mod gate_files;
pub mod git;
pub mod hexdump;
pub mod history;
pub mod init;
pub mod input;
pub mod measure;
pub mod policy;
pub mod report;
pub mod request;
pub mod signing;
pub mod untrusted;
pub mod wasmsig;

pub use app::{NoProgress, Progress, check, facts as collect_facts};
pub use diag::Error;
pub use request::CheckRequest;
