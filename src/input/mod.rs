//! The policy input document (`wasmgate.input/v1`): the one contract between facts and Rego.
//!
//! Only this module knows the document's shape, and it only assembles: every figure is
//! computed before (`facts`, `derive`). It grows by adding fields; a rename or removal
//! needs `wasmgate.input/v2`. `schema/input.v1.json` is generated from these types and a test
//! fails when the two differ.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use crate::diag::Error;

pub mod rego;

use crate::derive::baseline::BaselineSource;
use crate::derive::{ArtifactDerived, Derived};
use crate::facts::artifact::ArtifactFacts;
use crate::facts::cargo::CargoFacts;
use crate::facts::git::GitFacts;

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
    /// The repository: HEAD, base, merge-base, commits, AI provenance; null outside a
    /// git repository.
    pub git: Option<GitFacts>,
    /// Where the baseline was read; null when there is no place to read it.
    pub baseline: Option<BaselineSource>,
    /// Paths in the baseline that no artifact has any more, sorted.
    pub removed_artifacts: Vec<String>,
    /// The resolved Cargo graph of the crate that builds the wasm; null when not configured
    /// or detected.
    pub cargo: Option<CargoFacts>,
    /// Cost, trend, anomaly and cost risk of the shipped bytes.
    pub finops: Option<crate::derive::finops::model::FinopsFacts>,
    /// Gate files (config, policies, keys, baseline) that are not regular files where the
    /// gate reads them or in the work tree: each is a `gate-file-not-regular` deny.
    #[serde(default)]
    pub gate_files_not_regular: Vec<crate::plan::gate_files::GateFileProblem>,
    /// Matching entries that were not read: links leaving the repository
    /// (`artifact-outside-root`), special files, dangling links and unreadable directories
    /// (`artifact-unreadable`). Each is a deny.
    #[serde(default)]
    pub refused_artifacts: Vec<crate::discover::RefusedArtifact>,
}

/// One artifact: what is true of its bytes and what is derived from them (both inline).
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
pub struct Artifact {
    /// Path, digest, sizes, structure, signatures, SBOM, embedded data.
    #[serde(flatten)]
    pub facts: ArtifactFacts,
    /// Baseline entry, delta and size history.
    #[serde(flatten)]
    pub derived: ArtifactDerived,
}

/// The repository-level facts.
#[derive(Debug, Default)]
pub struct RepoFacts {
    /// Git facts; None outside a repository with commits.
    pub git: Option<GitFacts>,
    /// The Cargo graph.
    pub cargo: Option<CargoFacts>,
}

/// What the gate refused to read, for the trust rules.
#[derive(Debug, Default)]
pub struct Refusals {
    /// Gate files that are not regular files.
    pub gate_files: Vec<crate::plan::gate_files::GateFileProblem>,
    /// Artifacts not read, sorted by path.
    pub artifacts: Vec<crate::discover::RefusedArtifact>,
}

/// Assembles the document from the facts (sorted by path) and what was derived from them.
pub fn assemble(
    artifacts: Vec<ArtifactFacts>,
    repo: RepoFacts,
    derived: Derived,
    refusals: Refusals,
) -> InputDocument {
    let artifacts = artifacts
        .into_iter()
        .zip(derived.artifacts)
        .map(|(facts, derived)| Artifact { facts, derived })
        .collect();
    InputDocument {
        schema_version: SCHEMA_VERSION.to_string(),
        wasmgate_version: env!("CARGO_PKG_VERSION").to_string(),
        artifacts,
        git: repo.git,
        baseline: derived.baseline,
        removed_artifacts: derived.removed_artifacts,
        cargo: repo.cargo,
        finops: Some(derived.finops),
        gate_files_not_regular: refusals.gate_files,
        refused_artifacts: refusals.artifacts,
    }
}

/// The document as the policies see it, refused (exit 2) when its serialised form is larger
/// than `limit` bytes: what policies see must fit in memory, whatever the artifacts hold.
pub fn bounded_value(document: &InputDocument, limit: u64) -> Result<regorus::Value, Error> {
    struct Counter {
        written: u64,
        limit: u64,
    }
    impl std::io::Write for Counter {
        fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
            self.written += buf.len() as u64;
            if self.written > self.limit {
                return Err(std::io::Error::other("over the limit"));
            }
            Ok(buf.len())
        }
        fn flush(&mut self) -> std::io::Result<()> {
            Ok(())
        }
    }
    let mut counter = Counter { written: 0, limit };
    if serde_json::to_writer(&mut counter, document).is_err() {
        return Err(Error::Exhausted {
            what: "the policy input document".to_string(),
            message: format!("it is larger than [limits] input_bytes ({limit} bytes)"),
            help: "check the artifacts for hostile structure (huge name or type lists), or raise [limits] input_bytes in wasmgate.toml in a reviewed change".to_string(),
        });
    }
    rego::to_value(document).map_err(|e| Error::PolicyResult {
        rule: "input".to_string(),
        message: e.to_string(),
    })
}

/// The JSON Schema of the input document, as committed in `schema/input.v1.json`.
pub fn schema() -> serde_json::Value {
    serde_json::to_value(schemars::schema_for!(InputDocument)).unwrap_or_default()
}

/// A short text summary of the document (`wasmgate facts --format human`).
pub fn summary(document: &InputDocument) -> String {
    use std::fmt::Write as _;
    let mut out = String::new();
    for a in document.artifacts.iter().map(|a| &a.facts) {
        let kind = a.wasm.kind.map_or("not wasm", |k| match k {
            crate::facts::wasm::WasmKind::Module => "module",
            crate::facts::wasm::WasmKind::Component => "component",
        });
        let _ = writeln!(out, "{} ({kind}, sha256 {})", a.path, a.sha256);
        let optional = |n: Option<u64>| n.map_or_else(|| "-".to_string(), |n| n.to_string());
        let _ = writeln!(
            out,
            "  size      raw {} gzip {} brotli {}",
            a.size.raw,
            optional(a.size.gzip),
            optional(a.size.brotli)
        );
        let validity = match &a.wasm.validation_error {
            None => "valid".to_string(),
            Some(e) => format!("INVALID at byte {}: {}", e.offset, e.message),
        };
        let _ = writeln!(out, "  validity  {validity}");
        let _ = writeln!(
            out,
            "  functions {} imported, {} defined, code {} bytes",
            a.wasm.functions.imported, a.wasm.functions.defined, a.wasm.functions.code_size
        );
        let _ = writeln!(
            out,
            "  imports   {}  exports {}",
            a.wasm.imports.len(),
            a.wasm.exports.len()
        );
        for m in &a.wasm.memories {
            let max = m
                .maximum_pages
                .map_or_else(|| "unbounded".to_string(), |p| p.to_string());
            let _ = writeln!(
                out,
                "  memory {}  {} .. {max} pages{}{}{}",
                m.index,
                m.initial_pages,
                if m.shared { ", shared" } else { "" },
                if m.memory64 { ", memory64" } else { "" },
                if m.imported { ", imported" } else { "" }
            );
        }
        if let Some(component) = &a.wasm.component {
            for name in &component.imported_interfaces {
                let _ = writeln!(out, "  imports interface {name}");
            }
            let _ = writeln!(out, "  core modules {}", component.modules.len());
        }
        if !a.wasm.proposals.is_empty() {
            let _ = writeln!(out, "  proposals {}", a.wasm.proposals.join(", "));
        }
    }
    out
}
