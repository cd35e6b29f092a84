//! The SBOM collector: finds the SBOM of an artifact, validates it against the official schema,
//! and records its subject, components (with licenses and ML model cards), dependency edges,
//! and which digest of the artifact the subject names. Policies decide what is acceptable.

pub mod bind;
mod cyclonedx;
pub mod license;
mod problem;
mod schema;
mod spdx;
mod spdx_schema;

use crate::facts::ctx::ArtifactCtx;
use std::path::{Path, PathBuf};

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use serde_json::Value;

pub use license::License;
pub use problem::Problem;

/// At most this many schema problems are recorded.
const MAX_PROBLEMS: usize = 50;

/// File names tried next to an artifact, in order (`app.wasm` → `app.wasm.cdx.json`, …).
pub const SIBLING_SUFFIXES: &[&str] = &[".cdx.json", ".spdx.json", ".bom.json"];

/// The SBOM facts of one artifact.
#[derive(Debug, Clone, Default, Serialize, Deserialize, JsonSchema)]
pub struct SbomFacts {
    /// The SBOM file, relative to the root where possible.
    pub path: String,
    /// `cyclonedx` or `spdx`; null when the file is not recognisably either.
    pub format: Option<String>,
    /// `specVersion` (CycloneDX) or `spdxVersion` (SPDX).
    pub spec_version: Option<String>,
    /// What the SBOM says it describes.
    pub subject: Option<Subject>,
    /// Which digest of the artifact the subject's SHA-256 names: `artifact` (the file),
    /// `unsigned` (the module without its signature section), or `none`.
    pub binding: String,
    /// SHA-256 of the module with its signature section removed (equal to the file's when
    /// unsigned).
    pub unsigned_sha256: String,
    /// Every component, nested ones flattened.
    pub components: Vec<Component>,
    /// Dependency edges.
    pub dependencies: Vec<Dependency>,
    /// Schema and structure problems, with JSON pointers.
    pub problems: Vec<Problem>,
}

/// The subject of an SBOM.
#[derive(Debug, Clone, Default, Serialize, Deserialize, JsonSchema)]
pub struct Subject {
    /// Name.
    pub name: Option<String>,
    /// Version.
    pub version: Option<String>,
    /// Declared digests.
    pub hashes: Vec<Hash>,
}

/// A digest.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct Hash {
    /// Algorithm as written (`SHA-256`, `SHA256`, …).
    pub algorithm: String,
    /// Hex value, lowercased.
    pub value: String,
}

/// A component (CycloneDX) or package (SPDX).
#[derive(Debug, Clone, Default, Serialize, Deserialize, JsonSchema)]
pub struct Component {
    /// `bom-ref` or `SPDXID`.
    pub reference: Option<String>,
    /// Name.
    pub name: String,
    /// Version.
    pub version: Option<String>,
    /// Package URL.
    pub purl: Option<String>,
    /// Component type (`library`, `application`, `machine-learning-model`, `data`, …).
    pub kind: Option<String>,
    /// Licenses, parsed.
    pub licenses: Vec<License>,
    /// Digests.
    pub hashes: Vec<Hash>,
    /// JSON pointer of the component in the SBOM.
    pub pointer: String,
    /// For machine-learning models: what the model card holds.
    pub model_card: Option<ModelCard>,
    /// Provenance is recorded (supplier, external references, pedigree or data governance).
    pub provenance: bool,
    /// Size in bytes, from a `wasmgate:size` property (CycloneDX has no size field): with the
    /// name, what declares a model payload that is not matched by hash.
    pub size: Option<u64>,
}

/// The parts of a CycloneDX model card a responsible-AI profile asks for.
#[derive(Debug, Clone, Default, Serialize, Deserialize, JsonSchema)]
pub struct ModelCard {
    /// A `modelCard` object is present.
    pub present: bool,
    /// Datasets named in `modelParameters.datasets`.
    pub datasets: Vec<Dataset>,
    /// Entries in `considerations.fairnessAssessments`.
    pub fairness_assessments: usize,
    /// Entries in `considerations.ethicalConsiderations`.
    pub ethical_considerations: usize,
    /// Entries in `considerations.technicalLimitations`.
    pub technical_limitations: usize,
    /// Entries in `considerations.environmentalConsiderations.energyConsumptions`.
    pub energy_consumptions: usize,
}

/// A dataset a model card names.
#[derive(Debug, Clone, Default, Serialize, Deserialize, JsonSchema)]
pub struct Dataset {
    /// The `ref` to a component, or the inline dataset's name.
    pub reference: String,
    /// The reference resolves to a component of type `data` (or the dataset is inline).
    pub resolved: bool,
    /// That component (or the inline dataset) records provenance.
    pub provenance: bool,
}

/// A dependency edge list.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
pub struct Dependency {
    /// The depending component's reference.
    pub reference: String,
    /// References it depends on.
    pub depends_on: Vec<String>,
}

/// Where SBOMs are.
#[derive(Debug, Clone, Default)]
pub struct SbomOptions {
    /// `(artifact glob, SBOM path)` from `[sbom] files`, tried before the siblings.
    pub mapping: Vec<(globset::GlobMatcher, PathBuf)>,
    /// The root, for display paths.
    pub root: PathBuf,
}

/// Finds and reads the SBOM of the artifact at `path` (shown as `display`).
pub fn collect(ctx: &ArtifactCtx<'_>, options: &SbomOptions) -> Option<SbomFacts> {
    let (path, display, sha256) = (ctx.path, ctx.display, ctx.sha256.as_str());
    let file = locate(path, display, options)?;
    let shown = crate::discover::display_path(&file, &options.root);
    let unsigned_sha256 = ctx.unsigned_sha256().unwrap_or_else(|| sha256.to_string());
    let mut facts = SbomFacts {
        path: shown,
        binding: "none".to_string(),
        unsigned_sha256: unsigned_sha256.clone(),
        ..SbomFacts::default()
    };
    let document = match read_json(&file) {
        Ok(document) => document,
        Err(message) => {
            facts.problems.push(Problem {
                pointer: String::new(),
                message,
            });
            return Some(facts);
        }
    };
    if document.get("bomFormat").and_then(Value::as_str) == Some("CycloneDX") {
        cyclonedx::read(&document, &mut facts);
    } else if document.get("spdxVersion").is_some() {
        spdx::read(&document, &mut facts);
    } else {
        facts.problems.push(Problem {
            pointer: String::new(),
            message: "neither CycloneDX JSON (bomFormat) nor SPDX JSON (spdxVersion)".to_string(),
        });
    }
    facts.problems.truncate(MAX_PROBLEMS);
    if let Some(subject) = &facts.subject {
        let sha: Vec<&str> = subject
            .hashes
            .iter()
            .filter(|h| is_sha256(&h.algorithm))
            .map(|h| h.value.as_str())
            .collect();
        facts.binding = if sha.contains(&sha256) {
            "artifact"
        } else if sha.contains(&unsigned_sha256.as_str()) {
            "unsigned"
        } else {
            "none"
        }
        .to_string();
    }
    Some(facts)
}

fn locate(path: &Path, display: &str, options: &SbomOptions) -> Option<PathBuf> {
    if let Some((_, file)) = options
        .mapping
        .iter()
        .find(|(glob, _)| glob.is_match(display))
    {
        return Some(options.root.join(file));
    }
    let name = path.file_name()?.to_string_lossy().to_string();
    SIBLING_SUFFIXES
        .iter()
        .map(|suffix| path.with_file_name(format!("{name}{suffix}")))
        // Present in any form: a link or a FIFO there is reported by read_json, not skipped.
        .find(|candidate| std::fs::symlink_metadata(candidate).is_ok())
}

fn read_json(path: &Path) -> Result<Value, String> {
    use crate::untrusted::{self, Kind};
    let text = untrusted::read(path, Kind::Sbom).map_err(|e| format!("cannot read: {e}"))?;
    serde_json::from_slice(&text).map_err(|e| format!("not JSON: {e}"))
}

/// `SHA-256`, `SHA256`, `sha-256`.
pub fn is_sha256(algorithm: &str) -> bool {
    algorithm.replace('-', "").eq_ignore_ascii_case("sha256")
}

fn text(value: &Value, key: &str) -> Option<String> {
    value.get(key).and_then(Value::as_str).map(String::from)
}

fn count(value: Option<&Value>) -> usize {
    value.and_then(Value::as_array).map_or(0, Vec::len)
}
