//! What every per-artifact collector reads: the bytes (read once), their SHA-256 and the
//! top-level sections (split once). Collectors take `&ArtifactCtx` and never re-read the file.

use std::path::Path;

use sha2::{Digest, Sha256};

use crate::wasmsig::format::{self, FormatError, RawSection};

/// One artifact's bytes and what is derived from them before any collector runs.
#[derive(Debug)]
pub struct ArtifactCtx<'a> {
    /// Where the bytes were read (siblings and SBOMs are looked up next to it).
    pub path: &'a Path,
    /// The path as reported (relative to the root).
    pub display: &'a str,
    /// The file's contents.
    pub bytes: &'a [u8],
    /// SHA-256 of `bytes`, lowercase hex.
    pub sha256: String,
    /// The header and top-level sections, or why they cannot be split.
    pub sections: Result<Vec<RawSection<'a>>, FormatError>,
}

impl<'a> ArtifactCtx<'a> {
    /// Hashes `bytes` and splits their sections.
    pub fn new(path: &'a Path, display: &'a str, bytes: &'a [u8]) -> Self {
        ArtifactCtx {
            path,
            display,
            bytes,
            sha256: crate::wasmsig::keys::hex(&Sha256::digest(bytes)),
            sections: format::sections(bytes),
        }
    }

    /// The split sections; empty when the bytes are not a wasm binary.
    pub fn section_list(&self) -> &[RawSection<'a>] {
        self.sections.as_deref().unwrap_or_default()
    }

    /// SHA-256 of the bytes without the leading `signature` custom section, where wasmsig puts
    /// it (what a signed artifact's SBOM may name); None when the artifact does not start
    /// with one.
    pub fn unsigned_sha256(&self) -> Option<String> {
        let first = self.section_list().first()?;
        if !first.is_custom(crate::wasmsig::format::SIGNATURE_SECTION) {
            return None;
        }
        let mut hasher = Sha256::new();
        hasher.update(self.bytes.get(..first.start)?);
        hasher.update(self.bytes.get(first.end..)?);
        Some(crate::wasmsig::keys::hex(&hasher.finalize()))
    }
}
