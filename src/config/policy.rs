//! `[policy]` (where user policies come from and how they run) and `[rules]` (severity
//! overrides by code).

use serde::{Deserialize, Serialize};

use super::check::Fault;

/// `[policy]`
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields, default)]
pub struct PolicyConfig {
    /// Files or directories of user policies, relative to the root.
    pub paths: Vec<String>,
    /// Packages whose rules are evaluated.
    pub namespaces: Vec<String>,
    /// Evaluate every package of the user policies.
    pub all_namespaces: bool,
    /// Parse user policies as Rego v0.
    pub rego_v0: bool,
    /// Evaluation time limit in milliseconds.
    pub timeout_ms: u64,
    /// Run the built-in policy library.
    pub builtin: bool,
    /// Merged into `data` for user policies.
    pub data: toml::Table,
}

impl Default for PolicyConfig {
    fn default() -> Self {
        PolicyConfig {
            paths: vec!["policies".to_string()],
            namespaces: vec!["wasmgate".to_string()],
            all_namespaces: false,
            rego_v0: false,
            timeout_ms: 10_000,
            builtin: true,
            data: toml::Table::new(),
        }
    }
}

/// A severity override.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Level {
    /// Fail the gate.
    Deny,
    /// Report, do not fail.
    Warn,
    /// Drop the finding.
    Allow,
}

impl PolicyConfig {
    pub(super) fn check(&self) -> Result<(), Fault> {
        if self.data.contains_key("wasmgate_config") {
            return Err((
                "policy.data.wasmgate_config".to_string(),
                "policy.data.wasmgate_config is reserved for the built-in policies".to_string(),
            ));
        }
        Ok(())
    }
}
