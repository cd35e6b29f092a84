//! The policy input document (`wasmgate.input/v1`): the one contract between facts and Rego.
//!
//! Only this module knows the document's shape, and it only assembles: every figure is
//! computed before (`facts`, `derive`). It grows by adding fields; a rename or removal
//! needs `wasmgate.input/v2`. `schema/input.v1.json` is generated from these types and a test
//! fails when the two differ.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use crate::diag::Error;

pub mod admission;
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
    /// The deployment manifests under `[manifests] paths` and `--manifests`: their objects
    /// (file, line, kind, name, bound artifacts, the object itself) and the files that did not
    /// parse; null when there are none.
    #[serde(default)]
    pub manifests: Option<crate::facts::manifests::ManifestFacts>,
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
    /// The deployment manifests.
    pub manifests: Option<crate::facts::manifests::ManifestFacts>,
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
        manifests: repo.manifests,
    }
}

/// One artifact's facts in their policy form, built in the parallel stage that collected them
/// (so that a module with 75 000 exports is converted while other artifacts are parsed).
#[derive(Debug)]
pub struct PolicyFacts {
    value: regorus::Value,
    json_bytes: u64,
}

/// Converts `facts`, refused (exit 2) when their JSON form alone is larger than `limit`.
pub fn policy_facts(facts: &ArtifactFacts, limit: u64) -> Result<PolicyFacts, Error> {
    let (value, json_bytes) = within(facts, limit)?;
    Ok(PolicyFacts { value, json_bytes })
}

/// The document as the policies see it, refused (exit 2) when its serialised form is larger
/// than `limit` bytes: what policies see must fit in memory, whatever the artifacts hold.
/// `facts` are the artifacts' converted facts, in the document's order; each gets its
/// derived fields added, so the result equals converting the whole document at once.
pub fn policy_value(
    document: &mut InputDocument,
    facts: Vec<PolicyFacts>,
    limit: u64,
) -> Result<regorus::Value, Error> {
    let artifacts = std::mem::take(&mut document.artifacts);
    let converted = convert(document, &artifacts, facts, limit);
    document.artifacts = artifacts;
    converted
}

fn convert(
    rest: &InputDocument,
    artifacts: &[Artifact],
    facts: Vec<PolicyFacts>,
    limit: u64,
) -> Result<regorus::Value, Error> {
    if facts.len() != artifacts.len() {
        return Err(Error::PolicyResult {
            rule: "input".to_string(),
            message: format!(
                "{} converted artifacts for {} in the document",
                facts.len(),
                artifacts.len()
            ),
        });
    }
    // The figures are the serialised JSON's, with a comma between artifacts.
    let (mut document, mut total) = within(rest, limit)?;
    let mut values = Vec::with_capacity(artifacts.len());
    for (artifact, converted) in artifacts.iter().zip(facts) {
        let (derived, derived_bytes) = within(&artifact.derived, limit)?;
        total += converted.json_bytes + derived_bytes + 1;
        if total > limit {
            return Err(too_large(limit));
        }
        let mut value = converted.value;
        if let (Ok(object), Ok(extra)) = (value.as_object_mut(), derived.as_object()) {
            for (key, field) in extra.iter() {
                object.insert(key.clone(), field.clone());
            }
        }
        values.push(value);
    }
    if let Ok(object) = document.as_object_mut() {
        object.insert(
            regorus::Value::from("artifacts"),
            regorus::Value::from(values),
        );
    }
    Ok(document)
}

/// `value` in policy form and the length of its JSON form, refused past `limit`.
fn within<T: Serialize + ?Sized>(value: &T, limit: u64) -> Result<(regorus::Value, u64), Error> {
    rego::to_value_within(value, limit).map_err(|e| match e {
        rego::ToRegoError::TooLarge(_) => too_large(limit),
        other => not_convertible(&other),
    })
}

fn too_large(limit: u64) -> Error {
    Error::Exhausted {
        what: "the policy input document".to_string(),
        message: format!("it is larger than [limits] input_bytes ({limit} bytes)"),
        help: "check the artifacts for hostile structure (huge name or type lists), or raise [limits] input_bytes in wasmgate.toml in a reviewed change".to_string(),
    }
}

fn not_convertible(error: &rego::ToRegoError) -> Error {
    Error::PolicyResult {
        rule: "input".to_string(),
        message: error.to_string(),
    }
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::derive::history::HistoryPoint;
    use crate::facts::artifact;

    /// Converting each artifact early and adding its derived fields later gives the value that
    /// converting the whole document at once gives.
    #[test]
    fn the_early_conversion_equals_the_whole_document() {
        let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
        let wat = r#"(module (import "env" "log" (func (param i32)))
            (memory (export "memory") 1 2) (func (export "run") (result i64) i64.const 1))"#;
        let bytes = wat::parse_str(wat).unwrap_or_else(|e| panic!("{e}"));
        let path = dir.path().join("app.wasm");
        std::fs::write(&path, &bytes).unwrap_or_else(|e| panic!("{e}"));
        let limits = crate::facts::wasm::Limits::default();
        let sizes = crate::facts::size::SizeOptions {
            compress: false,
            ..Default::default()
        };
        let sbom = crate::facts::sbom::SbomOptions::default();
        let options = artifact::Options {
            limit: 1 << 20,
            sizes: &sizes,
            keys: &[],
            sbom: &sbom,
            debug_sections: &globset::GlobSet::empty(),
            wasm_limits: &limits,
            facts_cache: None,
        };
        let (facts, _) =
            artifact::collect(&path, "app.wasm", options).unwrap_or_else(|e| panic!("{e}"));
        let converted = policy_facts(&facts, u64::MAX).unwrap_or_else(|e| panic!("{e}"));
        let text = serde_json::to_string(&facts).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(
            converted.json_bytes,
            text.len() as u64,
            "counted as serde_json writes"
        );
        let derived = crate::derive::ArtifactDerived {
            history: vec![HistoryPoint {
                commit: "abc".to_string(),
                date: "2026-12-01T00:00:00Z".to_string(),
                raw: 10,
                gzip: Some(5),
                brotli: None,
            }],
            baseline_origin: Some("file".to_string()),
            ..Default::default()
        };
        let mut document = InputDocument {
            schema_version: SCHEMA_VERSION.to_string(),
            wasmgate_version: "test".to_string(),
            artifacts: vec![Artifact { facts, derived }],
            git: None,
            baseline: None,
            removed_artifacts: vec!["gone.wasm".to_string()],
            cargo: None,
            finops: None,
            gate_files_not_regular: Vec::new(),
            refused_artifacts: Vec::new(),
            manifests: None,
        };
        let whole = rego::to_value(&document).unwrap_or_else(|e| panic!("{e}"));
        let early = policy_value(&mut document, vec![converted], u64::MAX)
            .unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(early, whole);
        assert_eq!(document.artifacts.len(), 1, "the document is left whole");
        let exhausted = policy_value(&mut document, Vec::new(), u64::MAX);
        assert!(
            exhausted.is_err(),
            "a count mismatch is an error, not a partial input"
        );
        let converted =
            policy_facts(&document.artifacts[0].facts, u64::MAX).unwrap_or_else(|e| panic!("{e}"));
        let small = policy_value(&mut document, vec![converted], 100);
        assert!(matches!(small, Err(Error::Exhausted { .. })));
    }
}
