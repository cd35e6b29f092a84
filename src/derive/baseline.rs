//! The committed baseline (`.wasmgate/baseline.json`): the accepted facts of every artifact,
//! small, sorted and diff-friendly, so that a PR's deltas are measured against what was
//! accepted at its merge-base.

use std::collections::BTreeMap;

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use crate::diag::Error;
use crate::facts::size::SizeFacts;
use crate::facts::size::SizeOptions;
use crate::facts::wasm::WasmFacts;

/// Version tag of the baseline file.
pub const BASELINE_VERSION: &str = "wasmgate.baseline/v1";

/// The baseline file.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct Baseline {
    /// Always `wasmgate.baseline/v1`.
    pub schema_version: String,
    /// The compression settings the sizes were measured with.
    pub compression: Compression,
    /// Accepted facts by artifact path.
    pub artifacts: BTreeMap<String, BaselineEntry>,
}

/// Compression settings of the recorded sizes; sizes are reused only when they match.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct Compression {
    /// gzip level.
    pub gzip_level: u32,
    /// brotli quality.
    pub brotli_quality: u32,
    /// brotli window.
    pub brotli_window: u32,
}

impl Compression {
    /// The settings of a run.
    pub fn of(options: &SizeOptions) -> Compression {
        Compression {
            gzip_level: options.gzip_level,
            brotli_quality: options.brotli_quality,
            brotli_window: options.brotli_window,
        }
    }
}

/// The accepted facts of one artifact.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct BaselineEntry {
    /// SHA-256 of the accepted file.
    pub sha256: String,
    /// `module`, `component` or null.
    pub kind: Option<String>,
    /// Sizes in bytes.
    pub size: BaselineSize,
    /// Imports: core ones as `module.name`, component ones by full name. Sorted.
    pub imports: Vec<String>,
    /// Export names, core and component. Sorted.
    pub exports: Vec<String>,
    /// Imported component interfaces (`wasi:cli/environment@0.2.0`). Sorted.
    pub interfaces: Vec<String>,
    /// Memories in index order (for components: of the nested modules, in order).
    pub memories: Vec<BaselineMemory>,
    /// Custom section names. Sorted, unique.
    pub custom_sections: Vec<String>,
    /// Proposals used. Sorted.
    pub proposals: Vec<String>,
}

/// Sizes in a baseline entry.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct BaselineSize {
    /// Raw bytes.
    pub raw: u64,
    /// gzip bytes; null when recorded with --no-compress.
    pub gzip: Option<u64>,
    /// brotli bytes; null when recorded with --no-compress.
    pub brotli: Option<u64>,
}

/// A memory in a baseline entry.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct BaselineMemory {
    /// Initial pages.
    pub initial_pages: u64,
    /// Maximum pages; null when unbounded.
    pub maximum_pages: Option<u64>,
    /// Shared.
    pub shared: bool,
    /// 64-bit.
    pub memory64: bool,
    /// Imported.
    pub imported: bool,
}

/// The accepted facts of one artifact (its digest, sizes and wasm facts) as the baseline
/// records them.
pub fn entry(sha256: &str, size: &SizeFacts, wasm: &WasmFacts) -> BaselineEntry {
    let mut imports: Vec<String> = wasm
        .imports
        .iter()
        .map(|i| format!("{}.{}", i.module, i.name))
        .collect();
    let mut exports: Vec<String> = wasm.exports.iter().map(|e| e.name.to_string()).collect();
    let mut interfaces = Vec::new();
    let mut memories: Vec<BaselineMemory> = wasm.memories.iter().map(memory).collect();
    let mut custom_sections: Vec<String> = wasm
        .custom_sections
        .iter()
        .map(|s| s.name.clone())
        .collect();
    if let Some(component) = &wasm.component {
        imports.extend(component.imports.iter().map(|i| i.name.clone()));
        exports.extend(component.exports.iter().map(|e| e.name.clone()));
        interfaces.clone_from(&component.imported_interfaces);
        for module in &component.modules {
            memories.extend(module.facts.memories.iter().map(memory));
            custom_sections.extend(module.facts.custom_sections.iter().map(|s| s.name.clone()));
        }
    }
    for list in [
        &mut imports,
        &mut exports,
        &mut interfaces,
        &mut custom_sections,
    ] {
        list.sort();
        list.dedup();
    }
    BaselineEntry {
        sha256: sha256.to_string(),
        kind: wasm.kind.map(|k| format!("{k:?}").to_lowercase()),
        size: BaselineSize {
            raw: size.raw,
            gzip: size.gzip,
            brotli: size.brotli,
        },
        imports,
        exports,
        interfaces,
        memories,
        custom_sections,
        proposals: wasm.proposals.clone(),
    }
}

fn memory(m: &crate::facts::wasm::Memory) -> BaselineMemory {
    BaselineMemory {
        initial_pages: m.initial_pages,
        maximum_pages: m.maximum_pages,
        shared: m.shared,
        memory64: m.memory64,
        imported: m.imported,
    }
}

/// The baseline of a set of artifacts, given as (path, accepted entry).
pub fn build(
    artifacts: impl IntoIterator<Item = (String, BaselineEntry)>,
    compression: Compression,
) -> Baseline {
    Baseline {
        schema_version: BASELINE_VERSION.to_string(),
        compression,
        artifacts: artifacts.into_iter().collect(),
    }
}

/// The file's text: pretty JSON, sorted keys, trailing newline.
pub fn render(baseline: &Baseline) -> String {
    let mut text = serde_json::to_string_pretty(baseline).unwrap_or_default();
    text.push('\n');
    text
}

/// Parses a baseline read from `path` at `revision` (for messages).
pub fn parse(bytes: &[u8], path: &str, revision: &str) -> Result<Baseline, Error> {
    let bad = |message: String| Error::BadBaseline {
        path: path.to_string(),
        revision: revision.to_string(),
        message,
    };
    let baseline: Baseline = serde_json::from_slice(bytes).map_err(|e| bad(e.to_string()))?;
    if baseline.schema_version != BASELINE_VERSION {
        return Err(bad(format!(
            "schema_version is `{}`, expected `{BASELINE_VERSION}`",
            baseline.schema_version
        )));
    }
    Ok(baseline)
}

/// A baseline and where it was read.
#[derive(Debug, Clone)]
pub struct LoadedBaseline {
    /// Path relative to the root.
    pub path: String,
    /// A commit id, or `work tree`.
    pub revision: String,
    /// The contents; None when there is no baseline file there.
    pub baseline: Option<Baseline>,
}

/// Where the accepted facts came from.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
pub struct BaselineSource {
    /// The baseline file, relative to the root.
    pub path: String,
    /// The merge-base commit it was read at, or `work tree` without a base.
    pub revision: String,
    /// False when the file does not exist there.
    pub found: bool,
}
