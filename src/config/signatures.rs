//! `[signatures]`: which artifacts must be signed, and by which keys.

use serde::{Deserialize, Serialize};

use super::check::{Fault, globs};

/// `[signatures]`
#[derive(Debug, Clone, Default, Deserialize, Serialize)]
#[serde(deny_unknown_fields, default)]
pub struct SignaturesConfig {
    /// Public key files (relative to the root) whose signatures are trusted; read from the
    /// merge-base when a base is known.
    pub trusted_keys: Vec<String>,
    /// Artifact globs that must carry a valid signature by a trusted key.
    pub required: Vec<String>,
    /// Accept signatures that cover the artifact only up to a delimiter.
    pub allow_partial: bool,
}

impl SignaturesConfig {
    pub(super) fn check(&self) -> Result<(), Fault> {
        globs("signatures.required", &self.required)
    }
}
