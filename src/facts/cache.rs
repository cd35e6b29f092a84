//! The facts cache: what an artifact's bytes alone decide (structure, validity, embedded
//! dependencies and models, stripped sizes, the hex dump around an error), stored by content
//! hash, wasmgate version and options in the user cache, so that re-checking an unchanged
//! artifact costs its read and one SHA-256. Signatures (the trusted keys), SBOMs (other files)
//! and sizes (their own cache) are not in it.
//!
//! An entry is an optimisation only: it is read as untrusted (a regular file under a size
//! cap), must parse as this version's schema and name the content hash it is filed under, and
//! anything else is a miss that recomputes. The directory is chosen outside the repository
//! (`WASMGATE_CACHE_DIR`, `[compression] cache_dir`, the user cache), as for sizes.

use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use crate::facts::auditable::AuditableFacts;
use crate::facts::models::EmbeddedModel;
use crate::facts::size::SizeFacts;
use crate::facts::wasm::WasmFacts;
use crate::hexdump::ByteSnippet;

/// The entry format's version.
const SCHEMA: &str = "wasmgate.facts-cache/v1";

/// Where entries go, and what besides the content decides them.
#[derive(Debug, Clone)]
pub struct FactsCache {
    dir: PathBuf,
    fingerprint: String,
}

/// What the bytes alone decide.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Cached {
    /// Structure, validity and proposals.
    pub wasm: WasmFacts,
    /// The `.dep-v0` list.
    pub embedded_dependencies: Option<AuditableFacts>,
    /// Embedded model payloads (before they are matched to SBOM components).
    pub embedded_models: Vec<EmbeddedModel>,
    /// Sizes without the debug sections.
    pub stripped: Option<SizeFacts>,
    /// The hex dump around the first wasm error.
    pub snippet: Option<ByteSnippet>,
}

#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct Entry {
    schema: String,
    sha256: String,
    fingerprint: String,
    facts: Cached,
}

impl FactsCache {
    /// Entries under `dir`, keyed also by `options` (everything that changes what is stored:
    /// `[limits]`, the debug section patterns, how sizes are measured).
    pub fn new(dir: &Path, options: &str) -> Self {
        let fingerprint = hex(&Sha256::digest(
            format!("{}\n{options}", env!("CARGO_PKG_VERSION")).as_bytes(),
        ));
        FactsCache {
            dir: dir.join("facts"),
            fingerprint,
        }
    }

    fn path(&self, sha256: &str) -> Option<PathBuf> {
        // A content hash is 64 hex digits; anything else is never a file name.
        (sha256.len() == 64 && sha256.bytes().all(|b| b.is_ascii_hexdigit())).then(|| {
            self.dir
                .join(format!("{sha256}.{}.json", &self.fingerprint[..16]))
        })
    }

    /// The entry for content `sha256`, when there is a valid one.
    pub fn read(&self, sha256: &str) -> Option<Cached> {
        let path = self.path(sha256)?;
        let bytes = crate::untrusted::read(&path, crate::untrusted::Kind::FactsCacheEntry).ok()?;
        let entry: Entry = serde_json::from_slice(&bytes).ok()?;
        (entry.schema == SCHEMA && entry.sha256 == sha256 && entry.fingerprint == self.fingerprint)
            .then_some(entry.facts)
    }

    /// Stores `facts` for content `sha256`; a cache that cannot be written only costs time on
    /// the next run.
    pub fn write(&self, sha256: &str, facts: &Cached) {
        let Some(path) = self.path(sha256) else {
            return;
        };
        let entry = Entry {
            schema: SCHEMA.to_string(),
            sha256: sha256.to_string(),
            fingerprint: self.fingerprint.clone(),
            facts: facts.clone(),
        };
        let Ok(text) = serde_json::to_vec(&entry) else {
            return;
        };
        if text.len() as u64 > crate::untrusted::Kind::FactsCacheEntry.cap() {
            return;
        }
        let name = path
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        let _ = crate::untrusted::write_entry(&self.dir, &name, &text);
    }
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}
