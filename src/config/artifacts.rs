//! `[artifacts]` (which files are artifacts) and `[limits]` (how much of one the gate stores).

use serde::{Deserialize, Serialize};

use super::ByteSize;
use super::check::{Fault, globs};

/// `[limits]`: per-artifact bounds, so that a hostile binary ends in a finding, not in
/// unbounded memory.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields, default)]
pub struct LimitsConfig {
    /// Sections of every kind per binary.
    pub sections: u64,
    /// Custom sections per binary.
    pub custom_sections: u64,
    /// Imports per binary.
    pub imports: u64,
    /// Exports per binary.
    pub exports: u64,
    /// Globals per binary.
    pub globals: u64,
    /// Tables per binary.
    pub tables: u64,
    /// Memories per binary.
    pub memories: u64,
    /// The policy input document, serialised: larger is exit 2.
    pub input_bytes: ByteSize,
}

impl Default for LimitsConfig {
    fn default() -> Self {
        let wasm = crate::facts::wasm::Limits::default();
        LimitsConfig {
            sections: wasm.sections,
            custom_sections: wasm.custom_sections,
            imports: wasm.imports,
            exports: wasm.exports,
            globals: wasm.globals,
            tables: wasm.tables,
            memories: wasm.memories,
            // What policies see is held twice (JSON, then the engine's values): 64 MiB of
            // JSON is far past any real release and well inside the memory bound.
            input_bytes: ByteSize(64 * 1024 * 1024),
        }
    }
}

impl LimitsConfig {
    /// The limits the wasm collector applies.
    pub fn wasm(&self) -> crate::facts::wasm::Limits {
        crate::facts::wasm::Limits {
            sections: self.sections,
            custom_sections: self.custom_sections,
            imports: self.imports,
            exports: self.exports,
            globals: self.globals,
            tables: self.tables,
            memories: self.memories,
        }
    }
}

/// `[artifacts]`
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields, default)]
pub struct ArtifactsConfig {
    /// Globs relative to the root; replaces the default search when set.
    pub include: Vec<String>,
    /// Globs relative to the root that are never artifacts.
    pub exclude: Vec<String>,
    /// Files larger than this are not read (exit 2).
    pub max_size: ByteSize,
}

impl Default for ArtifactsConfig {
    fn default() -> Self {
        ArtifactsConfig {
            include: Vec::new(),
            exclude: Vec::new(),
            max_size: ByteSize(512 * 1024 * 1024),
        }
    }
}

impl ArtifactsConfig {
    pub(super) fn check(&self) -> Result<(), Fault> {
        globs("artifacts.include", &self.include)?;
        globs("artifacts.exclude", &self.exclude)
    }
}
