//! The gate files as read (config, policies, admission policies, trusted keys, baseline), each
//! with its SHA-256, and one digest over them: what decided a run, for shards to agree on and
//! attestations to record.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use crate::config::LoadedConfig;
use crate::derive::baseline::LoadedBaseline;
use crate::policy::PolicySource;
use crate::wasmsig::KnownKey;

/// One gate file as the run read it.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize, JsonSchema)]
pub struct GateFile {
    /// `config`, `policy`, `admission-policy`, `key` or `baseline`.
    pub kind: String,
    /// As diagnostics name it.
    pub path: String,
    /// SHA-256 of its contents as read (a key: of its 32 public-key bytes; the baseline: of
    /// its canonical rendering), lowercase hex.
    pub sha256: String,
}

/// The gate files of a run, sorted.
pub fn files(
    root: &std::path::Path,
    config: &LoadedConfig,
    policies: &[PolicySource],
    admission: &[PolicySource],
    keys: &[KnownKey],
    baseline: Option<&LoadedBaseline>,
) -> Vec<GateFile> {
    let file = |kind: &str, path: &str, bytes: &[u8]| GateFile {
        kind: kind.to_string(),
        path: path.to_string(),
        sha256: hex(&Sha256::digest(bytes)),
    };
    let mut files = Vec::new();
    // Named by path, never by the commit it was read at: the same files decide alike.
    if let Some(path) = &config.path {
        let display = crate::discover::display_path(path, root);
        files.push(file("config", &display, config.source.as_bytes()));
    }
    files.extend(
        policies
            .iter()
            .map(|p| file("policy", &p.name, p.text.as_bytes())),
    );
    files.extend(
        admission
            .iter()
            .map(|p| file("admission-policy", &p.name, p.text.as_bytes())),
    );
    files.extend(
        keys.iter()
            .filter(|k| k.trusted)
            .map(|k| file("key", &k.name, k.key.as_bytes())),
    );
    if let Some(loaded) = baseline
        && let Some(accepted) = &loaded.baseline
    {
        let text = crate::derive::baseline::render(accepted);
        files.push(file("baseline", &loaded.path, text.as_bytes()));
    }
    files.sort();
    files.dedup();
    files
}

/// `sha256:` over every file's kind, path and digest, one line each: equal exactly when the
/// same files with the same contents decided.
pub fn digest(files: &[GateFile]) -> String {
    let mut hasher = Sha256::new();
    for file in files {
        hasher.update(format!("{}\t{}\t{}\n", file.kind, file.path, file.sha256));
    }
    format!("sha256:{}", hex(&hasher.finalize()))
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}
