//! `[imports]`, `[wasi]`, `[exports]` and `[capabilities]`: what an artifact may reach.

use serde::{Deserialize, Serialize};

/// `[imports]`
#[derive(Debug, Clone, Default, Deserialize, Serialize)]
#[serde(deny_unknown_fields, default)]
pub struct ImportsConfig {
    /// When set, only imports matching one of these patterns are allowed.
    pub allow: Option<Vec<String>>,
    /// Imports matching any of these patterns are denied.
    pub deny: Vec<String>,
}

/// `[wasi]`
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields, default)]
pub struct WasiConfig {
    /// Allow WASI preview 1 (`wasi_snapshot_preview1`, `wasi_unstable`) imports.
    pub preview1: bool,
    /// When set, only `wasi:*` interfaces matching these patterns are allowed.
    pub allow: Option<Vec<String>>,
    /// `wasi:*` interfaces matching these patterns are denied.
    pub deny: Vec<String>,
}

impl Default for WasiConfig {
    fn default() -> Self {
        WasiConfig {
            preview1: true,
            allow: None,
            deny: Vec::new(),
        }
    }
}

/// `[exports]`
#[derive(Debug, Clone, Default, Deserialize, Serialize)]
#[serde(deny_unknown_fields, default)]
pub struct ExportsConfig {
    /// Most exports an artifact may have.
    pub max: Option<u32>,
    /// When set, only exports matching one of these patterns are allowed.
    pub allow: Option<Vec<String>>,
    /// Exports matching any of these patterns are denied.
    pub deny: Vec<String>,
}

/// `[capabilities]`
#[derive(Debug, Clone, Default, Deserialize, Serialize)]
#[serde(deny_unknown_fields, default)]
pub struct CapabilitiesConfig {
    /// New imports or interfaces matching these patterns are not findings.
    pub allow_new: Vec<String>,
}
