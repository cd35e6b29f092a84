//! Reads one artifact and collects its facts: SHA-256, wasm structure, sizes. Used for the
//! files on disk and for their versions at the merge-base.

use std::path::Path;

use sha2::{Digest, Sha256};

use crate::diag::Error;
use crate::facts;
use crate::facts::sbom::SbomOptions;
use crate::facts::size::SizeOptions;
use crate::hexdump::{self, ByteSnippet};
use crate::input::Artifact;
use crate::wasmsig::KnownKey;

/// What the per-artifact collectors need besides the bytes.
#[derive(Debug, Clone, Copy)]
pub struct Collectors<'a> {
    /// Largest file read.
    pub limit: u64,
    /// Size options.
    pub sizes: &'a SizeOptions,
    /// Keys to check signatures with.
    pub keys: &'a [KnownKey],
    /// Where SBOMs are.
    pub sbom: &'a SbomOptions,
    /// Custom section patterns that count as debug data (`[custom_sections] debug`).
    pub debug_sections: &'a globset::GlobSet,
    /// How much of one binary's structure is stored (`[limits]`).
    pub wasm_limits: &'a crate::facts::wasm::Limits,
}

/// Reads `path` and measures it as `display`, with its signatures, SBOM, embedded
/// dependency list and embedded models.
pub fn file(
    path: &Path,
    display: &str,
    collectors: Collectors<'_>,
) -> Result<(Artifact, Option<ByteSnippet>), Error> {
    let bytes = read(path, display, collectors.limit)?;
    let (mut artifact, snippet) = bytes_of(
        display,
        path,
        &bytes,
        collectors.sizes,
        collectors.wasm_limits,
    );
    artifact.signature = Some(facts::signature::collect(path, &bytes, collectors.keys));
    artifact.sbom = facts::sbom::collect(path, display, &bytes, &artifact.sha256, collectors.sbom);
    artifact.embedded_dependencies =
        crate::wasmsig::format::sections(&bytes)
            .ok()
            .and_then(|sections| {
                sections
                    .iter()
                    .find(|s| s.is_custom(facts::auditable::SECTION))
                    .map(|s| facts::auditable::read(s.payload))
            });
    artifact.embedded_models = facts::models::scan(&bytes);
    artifact.stripped = stripped(path, &bytes, collectors);
    Ok((artifact, snippet))
}

/// The artifact without its debug custom sections, measured: what stripping would save.
fn stripped(
    path: &Path,
    bytes: &[u8],
    collectors: Collectors<'_>,
) -> Option<crate::facts::size::SizeFacts> {
    let sections = crate::wasmsig::format::sections(bytes).ok()?;
    let debug = |name: &str| collectors.debug_sections.is_match(name);
    if !sections
        .iter()
        .any(|s| s.id == 0 && s.name.is_some_and(debug))
    {
        return None;
    }
    let mut out = bytes[..8].to_vec();
    for section in sections
        .iter()
        .filter(|s| !(s.id == 0 && s.name.is_some_and(debug)))
    {
        out.extend_from_slice(&bytes[section.start..section.end]);
    }
    let sha = crate::wasmsig::keys::hex(&sha2::Sha256::digest(&out));
    let options = crate::facts::size::SizeOptions {
        use_siblings: false,
        ..collectors.sizes.clone()
    };
    Some(facts::size::collect(path, &out, &sha, &options))
}

/// Measures bytes that are (or were) the artifact `display` at `path` (signatures unchecked).
pub fn bytes_of(
    display: &str,
    path: &Path,
    bytes: &[u8],
    sizes: &SizeOptions,
    limits: &facts::wasm::Limits,
) -> (Artifact, Option<ByteSnippet>) {
    // Hashing overlaps the parse; the sizes need the digest (their cache is keyed by it).
    let (wasm, (sha256, size)) = rayon::join(
        || facts::wasm::collect_with(bytes, limits),
        || {
            let sha256 = hex(&Sha256::digest(bytes));
            let size = facts::size::collect(path, bytes, &sha256, sizes);
            (sha256, size)
        },
    );
    let snippet = wasm
        .validation_error
        .as_ref()
        .and_then(|error| hexdump::around(bytes, error.offset));
    let artifact = Artifact {
        path: display.to_string(),
        sha256,
        size,
        wasm,
        signature: None,
        sbom: None,
        embedded_dependencies: None,
        embedded_models: Vec::new(),
        stripped: None,
        baseline: None,
        baseline_origin: None,
        delta: None,
        history: Vec::new(),
    };
    (artifact, snippet)
}

fn read(path: &Path, display: &str, limit: u64) -> Result<Vec<u8>, Error> {
    let kind = crate::untrusted::Kind::Artifact(limit);
    crate::untrusted::read(path, kind)
        .map_err(|refusal| crate::untrusted::error(Path::new(display), kind, refusal))
}

fn hex(bytes: &[u8]) -> String {
    use std::fmt::Write;
    bytes.iter().fold(String::new(), |mut out, b| {
        let _ = write!(out, "{b:02x}");
        out
    })
}
