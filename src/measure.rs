//! Reads one artifact and collects its facts: SHA-256, wasm structure, sizes. Used for the
//! files on disk and for their versions at the merge-base.

use std::path::Path;

use sha2::{Digest, Sha256};

use crate::diag::Error;
use crate::facts;
use crate::facts::size::SizeOptions;
use crate::hexdump::{self, ByteSnippet};
use crate::input::Artifact;
use crate::wasmsig::KnownKey;

/// Reads `path` (at most `limit` bytes) and measures it as `display`, with its signatures
/// checked against `keys`.
pub fn file(
    path: &Path,
    display: &str,
    limit: u64,
    sizes: &SizeOptions,
    keys: &[KnownKey],
) -> Result<(Artifact, Option<ByteSnippet>), Error> {
    let bytes = read(path, display, limit)?;
    let (mut artifact, snippet) = bytes_of(display, path, &bytes, sizes);
    artifact.signature = Some(facts::signature::collect(path, &bytes, keys));
    Ok((artifact, snippet))
}

/// Measures bytes that are (or were) the artifact `display` at `path` (signatures unchecked).
pub fn bytes_of(
    display: &str,
    path: &Path,
    bytes: &[u8],
    sizes: &SizeOptions,
) -> (Artifact, Option<ByteSnippet>) {
    let sha256 = hex(&Sha256::digest(bytes));
    let (wasm, size) = rayon::join(
        || facts::wasm::collect(bytes),
        || facts::size::collect(path, bytes, &sha256, sizes),
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
        baseline: None,
        baseline_origin: None,
        delta: None,
        history: Vec::new(),
    };
    (artifact, snippet)
}

fn read(path: &Path, display: &str, limit: u64) -> Result<Vec<u8>, Error> {
    let read_error = |source| Error::Read {
        path: display.to_string(),
        source,
    };
    let size = std::fs::metadata(path).map_err(read_error)?.len();
    if size > limit {
        return Err(Error::TooLarge {
            path: display.to_string(),
            size,
            limit,
        });
    }
    std::fs::read(path).map_err(read_error)
}

fn hex(bytes: &[u8]) -> String {
    use std::fmt::Write;
    bytes.iter().fold(String::new(), |mut out, b| {
        let _ = write!(out, "{b:02x}");
        out
    })
}
