//! The signature collector: what signatures an artifact carries (embedded, or a detached
//! `ARTIFACT.sig` next to it), which keys verify them, whether those keys are trusted, and how
//! much of the artifact they cover. It records; `policies/signatures.rego` decides.

use crate::facts::ctx::ArtifactCtx;

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use crate::wasmsig::{self, Coverage, KnownKey, Source, keys};

/// Signature facts of one artifact.
#[derive(Debug, Clone, Default, Serialize, Deserialize, JsonSchema)]
pub struct SignatureFacts {
    /// Signature data was found (embedded or detached).
    pub present: bool,
    /// `embedded` or `detached`; null when unsigned.
    pub source: Option<String>,
    /// The detached signature file, relative to the artifact's directory (`app.wasm.sig`).
    pub detached_path: Option<String>,
    /// Why the signature data (or the module around it) could not be read.
    pub error: Option<String>,
    /// Offsets of `signature` sections with signature data that are not the first section.
    pub misplaced: Vec<u64>,
    /// Offsets of `signature` sections in another tool's format.
    pub foreign: Vec<u64>,
    /// Number of `signature_delimiter` sections.
    pub delimiters: usize,
    /// Every signature record.
    pub signatures: Vec<SignatureEntry>,
    /// Some signature by a trusted key covers the whole artifact.
    pub verified: bool,
    /// Number of trusted keys it was checked against.
    pub trusted_keys: usize,
    /// SHA-256 of the artifact without its embedded signature section (what it hashed to
    /// before it was signed); null when it has none.
    #[serde(default)]
    pub unsigned_sha256: Option<String>,
}

/// One signature record.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
pub struct SignatureEntry {
    /// Index of its signed hash set.
    pub set: usize,
    /// The key id recorded by the signer, hex; null when none.
    pub key_id: Option<String>,
    /// `ed25519`, or `unknown-0xNN`.
    pub algorithm: String,
    /// A known key verifies the signature over its hashes.
    pub verifies: bool,
    /// The key that verifies it; null when none does.
    pub key: Option<KeyFacts>,
    /// The recorded key id is that of a trusted key (wasmsign2's derivation), whether or not
    /// the signature verifies.
    pub key_id_trusted: bool,
    /// `full`, `partial` (only up to `covered_until`) or `none` (the artifact changed after
    /// signing, or no key verifies the signature).
    pub coverage: String,
    /// For partial coverage: the offset just past the last covered delimiter.
    pub covered_until: Option<u64>,
}

/// A key that verified a signature.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
pub struct KeyFacts {
    /// The key file, relative to the root.
    pub name: String,
    /// SHA-256 of the 32-byte public key, hex.
    pub fingerprint: String,
    /// The key is in `[signatures] trusted_keys`.
    pub trusted: bool,
}

/// Collects the signature facts of the artifact: embedded, else its detached sibling.
pub fn collect(ctx: &ArtifactCtx<'_>, keys: &[KnownKey]) -> SignatureFacts {
    let (path, bytes) = (ctx.path, ctx.bytes);
    // An embedded signature wins; the sibling is for unsigned modules. A sibling that cannot
    // be read (a link, a FIFO, too large to be signature data) is reported as such.
    let (detached, unreadable) = match crate::signing::detached_signature(path, bytes, None) {
        Ok(found) => (found, None),
        Err(error) => (None, Some(error.to_string())),
    };
    let sibling = crate::signing::sibling(path);
    let inspection = wasmsig::inspect_sections(
        bytes,
        &ctx.sections,
        detached.as_ref().map(|(_, b)| b.as_slice()),
        keys,
    );
    let trusted_ids: Vec<Vec<u8>> = keys
        .iter()
        .filter(|k| k.trusted)
        .map(|k| keys::key_id(&k.key))
        .collect();
    let signatures = inspection
        .signatures
        .iter()
        .map(|checked| {
            let key = checked
                .key
                .and_then(|index| keys.get(index))
                .map(|k| KeyFacts {
                    name: k.name.clone(),
                    fingerprint: keys::fingerprint(&k.key),
                    trusted: k.trusted,
                });
            let (coverage, covered_until) = match checked.coverage {
                Coverage::Full => ("full", None),
                Coverage::Partial { until } => ("partial", Some(until as u64)),
                Coverage::None => ("none", None),
            };
            SignatureEntry {
                set: checked.set,
                key_id: checked.key_id.as_deref().map(keys::hex),
                algorithm: if checked.algorithm == wasmsig::format::ALG_ED25519 {
                    "ed25519".to_string()
                } else {
                    format!("unknown-{:#04x}", checked.algorithm)
                },
                verifies: key.is_some(),
                key,
                key_id_trusted: checked
                    .key_id
                    .as_ref()
                    .is_some_and(|id| trusted_ids.contains(id)),
                coverage: coverage.to_string(),
                covered_until,
            }
        })
        .collect();
    // A sibling that is there but cannot be read is detached signature data all the same.
    let source = match (inspection.source, &unreadable) {
        (Some(source), _) => Some(source),
        (None, Some(_)) => Some(Source::Detached),
        (None, None) => None,
    };
    SignatureFacts {
        present: source.is_some(),
        source: source.map(|s| match s {
            Source::Embedded => "embedded".to_string(),
            Source::Detached => "detached".to_string(),
        }),
        detached_path: (source == Some(Source::Detached))
            .then(|| sibling.file_name().map(|n| n.to_string_lossy().to_string()))
            .flatten(),
        error: unreadable.or_else(|| inspection.error.as_ref().map(ToString::to_string)),
        misplaced: inspection.misplaced.iter().map(|&o| o as u64).collect(),
        foreign: inspection.foreign.iter().map(|&o| o as u64).collect(),
        delimiters: inspection.delimiters,
        verified: inspection.verified_by_trusted(keys) && inspection.misplaced.is_empty(),
        signatures,
        trusted_keys: keys.iter().filter(|k| k.trusted).count(),
        unsigned_sha256: ctx.unsigned_sha256(),
    }
}
