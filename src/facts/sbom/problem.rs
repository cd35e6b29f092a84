//! A problem found in an SBOM document, with the JSON pointer to it: shared by the readers
//! and the schema checks.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

/// A problem with the SBOM document.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct Problem {
    /// JSON pointer to the failing value (`/components/3/hashes/0/alg`).
    pub pointer: String,
    /// What is wrong.
    pub message: String,
}
