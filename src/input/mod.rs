//! The policy input document (`wasmgate.input/v1`): the one contract between facts and Rego.
//!
//! Only this module knows the document's shape. It grows by adding fields; a rename or removal
//! needs `wasmgate.input/v2`. `schema/input.v1.json` is generated from these types and a test
//! fails when the two differ.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use crate::facts::size::SizeFacts;
use crate::facts::wasm::WasmFacts;

/// Version tag of the input document.
pub const SCHEMA_VERSION: &str = "wasmgate.input/v1";

/// The document policies see as `input`.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
pub struct InputDocument {
    /// Always `wasmgate.input/v1`.
    pub schema_version: String,
    /// The wasmgate release that built the document.
    pub wasmgate_version: String,
    /// Every artifact, sorted by path.
    pub artifacts: Vec<Artifact>,
}

/// One artifact's facts.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
pub struct Artifact {
    /// Path relative to the root (forward slashes), or as given when outside it.
    pub path: String,
    /// SHA-256 of the file contents, lowercase hex.
    pub sha256: String,
    /// Raw and compressed sizes.
    pub size: SizeFacts,
    /// Structure, validity and proposals (fields inline).
    #[serde(flatten)]
    pub wasm: WasmFacts,
}

/// Assembles the document from each artifact's facts.
pub fn build(mut artifacts: Vec<Artifact>) -> InputDocument {
    artifacts.sort_by(|a, b| a.path.cmp(&b.path));
    InputDocument {
        schema_version: SCHEMA_VERSION.to_string(),
        wasmgate_version: env!("CARGO_PKG_VERSION").to_string(),
        artifacts,
    }
}

/// The JSON Schema of the input document, as committed in `schema/input.v1.json`.
pub fn schema() -> serde_json::Value {
    serde_json::to_value(schemars::schema_for!(InputDocument)).unwrap_or_default()
}
