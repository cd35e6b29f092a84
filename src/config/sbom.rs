//! `[sbom]`: SBOM requirements, license lists and the ML model card profile.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use super::Level;
use super::check::{Fault, globs};

/// `[sbom]`
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields, default)]
pub struct SbomConfig {
    /// Artifact globs that must have an SBOM.
    pub required: Vec<String>,
    /// SBOM files by artifact glob (relative to the root); siblings are used otherwise.
    pub files: BTreeMap<String, String>,
    /// When set, every component needs a license alternative made only of these.
    pub licenses_allow: Option<Vec<String>>,
    /// Licenses no component may require.
    pub licenses_deny: Vec<String>,
    /// With `licenses_allow`, what a component without any license is: `deny` (the
    /// default), `warn` or `allow`.
    pub unlicensed: Level,
    /// What a machine-learning model's card must hold: `model-card`, `datasets`,
    /// `dataset-provenance`, `fairness`, `ethics`, `limitations`, `energy`, `license`.
    pub model_card: Vec<String>,
    /// The Cargo.toml of the crate that builds the wasm (relative to the root); its resolved
    /// graph is compared with the SBOMs. Without it, `Cargo.toml` at the root is used when an
    /// artifact with an SBOM was produced by Rust.
    pub cargo_manifest: Option<String>,
    /// The target the Cargo graph is filtered to.
    pub cargo_target: String,
}

impl Default for SbomConfig {
    fn default() -> Self {
        SbomConfig {
            required: Vec::new(),
            files: BTreeMap::new(),
            licenses_allow: None,
            licenses_deny: Vec::new(),
            unlicensed: Level::Deny,
            // Every requirement but the energy figure, which few model cards carry yet.
            model_card: MODEL_CARD
                .iter()
                .filter(|item| **item != "energy")
                .map(|item| (*item).to_string())
                .collect(),
            cargo_manifest: None,
            cargo_target: "wasm32-unknown-unknown".to_string(),
        }
    }
}

/// The model card requirements `[sbom] model_card` may name.
const MODEL_CARD: &[&str] = &[
    "model-card",
    "datasets",
    "dataset-provenance",
    "fairness",
    "ethics",
    "limitations",
    "energy",
    "license",
];

impl SbomConfig {
    pub(super) fn check(&self) -> Result<(), Fault> {
        globs("sbom.required", &self.required)?;
        for pattern in self.files.keys() {
            globset::Glob::new(pattern).map_err(|e| {
                (
                    "sbom.files".to_string(),
                    format!("sbom.files key `{pattern}` is not a valid glob: {e}"),
                )
            })?;
        }
        for item in &self.model_card {
            if !MODEL_CARD.contains(&item.as_str()) {
                return Err((
                    "sbom.model_card".to_string(),
                    format!(
                        "sbom.model_card: unknown requirement `{item}` (known: {})",
                        MODEL_CARD.join(", ")
                    ),
                ));
            }
        }
        Ok(())
    }
}
