//! The policy input document (`wasmgate.input/v1`): the one contract between facts and Rego.
//!
//! Only this module knows the document's shape. It grows by adding fields; a rename or removal
//! needs `wasmgate.input/v2`. `schema/input.v1.json` is generated from these types and a test
//! fails when the two differ.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use crate::diag::Error;

pub mod rego;

use std::collections::BTreeMap;

use crate::baseline::{self, Baseline, BaselineEntry};
use crate::delta::{self, Delta};
use crate::facts::auditable::AuditableFacts;
use crate::facts::cargo::CargoFacts;
use crate::facts::git::GitFacts;
use crate::facts::models::EmbeddedModel;
use crate::facts::sbom::SbomFacts;
use crate::facts::signature::SignatureFacts;
use crate::facts::size::SizeFacts;
use crate::facts::wasm::WasmFacts;
use crate::history::HistoryPoint;

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
    pub finops: Option<crate::finops::model::FinopsFacts>,
    /// Gate files (config, policies, keys, baseline) that are not regular files where the
    /// gate reads them or in the work tree: each is a `gate-file-not-regular` deny.
    #[serde(default)]
    pub gate_files_not_regular: Vec<crate::gate_files::GateFileProblem>,
    /// Matching entries that were not read: links leaving the repository
    /// (`artifact-outside-root`), special files, dangling links and unreadable directories
    /// (`artifact-unreadable`). Each is a deny.
    #[serde(default)]
    pub refused_artifacts: Vec<crate::discover::RefusedArtifact>,
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
    /// Signatures carried by the artifact; null for merge-base versions, which are not checked.
    pub signature: Option<SignatureFacts>,
    /// The artifact's SBOM; null when none was found.
    pub sbom: Option<SbomFacts>,
    /// The dependency list cargo-auditable embedded (`.dep-v0`); null when there is none.
    pub embedded_dependencies: Option<AuditableFacts>,
    /// Machine-learning model payloads found in data segments and custom sections.
    pub embedded_models: Vec<EmbeddedModel>,
    /// Sizes of the artifact with its debug custom sections stripped; null when it has none.
    pub stripped: Option<SizeFacts>,
    /// The accepted facts of this path; null when neither the baseline file nor the
    /// merge-base has it.
    pub baseline: Option<BaselineEntry>,
    /// Where `baseline` came from: `file` (the baseline file) or `merge-base` (the artifact
    /// itself, committed at the merge-base, measured by this run).
    pub baseline_origin: Option<String>,
    /// The change against `baseline`; null without one.
    pub delta: Option<Delta>,
    /// Accepted sizes from the commits that changed the baseline, newest first.
    pub history: Vec<HistoryPoint>,
}

impl Artifact {
    /// This artifact's facts as a baseline records them.
    pub fn accepted(&self) -> BaselineEntry {
        baseline::entry(&self.sha256, &self.size, &self.wasm)
    }
}

/// What the document is built from besides the artifacts.
#[derive(Debug, Default)]
pub struct Context {
    /// Git facts.
    pub git: Option<GitFacts>,
    /// The baseline file's location and contents.
    pub baseline: Option<(BaselineSource, Option<Baseline>)>,
    /// Size history by artifact path.
    pub history: BTreeMap<String, Vec<HistoryPoint>>,
    /// Baseline entries measured from artifacts committed at the merge-base, for paths the
    /// baseline file lacks.
    pub derived: BTreeMap<String, BaselineEntry>,
    /// The Cargo graph.
    pub cargo: Option<CargoFacts>,
}

/// Assembles the document: artifacts sorted, each with its baseline entry, delta and history.
pub fn build(mut artifacts: Vec<Artifact>, context: Context) -> InputDocument {
    artifacts.sort_by(|a, b| a.path.cmp(&b.path));
    let (source, accepted) = match context.baseline {
        Some((source, accepted)) => (Some(source), accepted),
        None => (None, None),
    };
    let mut history = context.history;
    let mut derived = context.derived;
    for artifact in &mut artifacts {
        artifact.history = history.remove(&artifact.path).unwrap_or_default();
        let from_file = accepted
            .as_ref()
            .and_then(|b| b.artifacts.get(&artifact.path))
            .cloned();
        let (before, origin) = match (from_file, derived.remove(&artifact.path)) {
            (Some(entry), _) => (entry, "file"),
            (None, Some(entry)) => (entry, "merge-base"),
            (None, None) => continue,
        };
        artifact.delta = Some(delta::compute(&before, &artifact.accepted()));
        artifact.baseline = Some(before);
        artifact.baseline_origin = Some(origin.to_string());
    }
    let removed_artifacts = accepted
        .map(|b| {
            b.artifacts
                .into_keys()
                .filter(|path| !artifacts.iter().any(|a| &a.path == path))
                .collect()
        })
        .unwrap_or_default();
    InputDocument {
        schema_version: SCHEMA_VERSION.to_string(),
        wasmgate_version: env!("CARGO_PKG_VERSION").to_string(),
        artifacts,
        git: context.git,
        baseline: source,
        removed_artifacts,
        cargo: context.cargo,
        finops: None,
        gate_files_not_regular: Vec::new(),
        refused_artifacts: Vec::new(),
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
    for a in &document.artifacts {
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
