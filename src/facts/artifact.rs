//! One artifact's facts: read the file once, then every per-artifact collector over the same
//! bytes. The wasm parse (the expensive part) runs alongside hashing and the other collectors.
//! Used for the files on disk and, with fewer collectors, for their merge-base versions.

use std::path::Path;

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use crate::diag::Error;
use crate::facts::auditable::{self, AuditableFacts};
use crate::facts::cache::{Cached, FactsCache};
use crate::facts::ctx::ArtifactCtx;
use crate::facts::models::{self, EmbeddedModel};
use crate::facts::sbom::{self, SbomFacts, SbomOptions};
use crate::facts::signature::{self, SignatureFacts};
use crate::facts::size::{self, SizeFacts, SizeOptions};
use crate::facts::stripped;
use crate::facts::wasm::{self, WasmFacts};
use crate::hexdump::{self, ByteSnippet};
use crate::wasmsig::KnownKey;

/// What is true of one artifact's bytes (the input document adds the baseline, delta and
/// history to it).
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
pub struct ArtifactFacts {
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
}

/// What the per-artifact collectors need besides the bytes.
#[derive(Debug, Clone, Copy)]
pub struct Options<'a> {
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
    pub wasm_limits: &'a wasm::Limits,
    /// Where byte-derived facts are kept between runs; None reads and writes none.
    pub facts_cache: Option<&'a FactsCache>,
}

/// Reads `path` and collects every fact of it as `display`; the bytes are dropped before
/// this returns, so memory follows the artifacts in flight, not all of them.
pub fn collect(
    path: &Path,
    display: &str,
    options: Options<'_>,
) -> Result<(ArtifactFacts, Option<ByteSnippet>), Error> {
    let bytes = read(path, display, options.limit)?;
    let ctx = ArtifactCtx::new(path, display, &bytes);
    let cached = options
        .facts_cache
        .and_then(|cache| cache.read(&ctx.sha256));
    // What the bytes alone decide, from the cache or computed (the wasm parse alongside
    // the other collectors); sizes, signatures and the SBOM are read every time.
    let (byte_facts, (size, signature, sbom)) = rayon::join(
        || match cached {
            Some(cached) => cached,
            None => {
                let (wasm, rest) = rayon::join(
                    || wasm::collect_with(&bytes, options.wasm_limits),
                    || {
                        let embedded_dependencies = auditable::collect(&ctx);
                        let embedded_models = models::collect(&ctx);
                        let stripped = stripped_sizes(&ctx, options);
                        (embedded_dependencies, embedded_models, stripped)
                    },
                );
                let (embedded_dependencies, embedded_models, stripped) = rest;
                let computed = Cached {
                    snippet: snippet(&wasm, &bytes),
                    wasm,
                    embedded_dependencies,
                    embedded_models,
                    stripped,
                };
                if let Some(cache) = options.facts_cache {
                    cache.write(&ctx.sha256, &computed);
                }
                computed
            }
        },
        || {
            let size = size::collect(&ctx, options.sizes);
            let signature = signature::collect(&ctx, options.keys);
            let sbom = sbom::collect(&ctx, options.sbom);
            (size, signature, sbom)
        },
    );
    let Cached {
        wasm,
        embedded_dependencies,
        mut embedded_models,
        stripped,
        snippet,
    } = byte_facts;
    models::match_declared(&mut embedded_models, sbom.as_ref());
    let facts = ArtifactFacts {
        path: display.to_string(),
        sha256: ctx.sha256,
        size,
        wasm,
        signature: Some(signature),
        sbom,
        embedded_dependencies,
        embedded_models,
        stripped,
    };
    Ok((facts, snippet))
}

/// Sizes of the artifact without its debug sections; the stripped file has no siblings.
fn stripped_sizes(ctx: &ArtifactCtx<'_>, options: Options<'_>) -> Option<SizeFacts> {
    stripped::collect(ctx, options.debug_sections).map(|stripped| {
        if !options.sizes.compress {
            return size::uncompressed(stripped.size());
        }
        let sizes = SizeOptions {
            use_siblings: false,
            ..options.sizes.clone()
        };
        let bytes = stripped.bytes();
        size::collect(&ArtifactCtx::new(ctx.path, ctx.display, &bytes), &sizes)
    })
}

/// The facts a baseline records (sha256, sizes, structure) of bytes that were the artifact
/// `display` at `path`: its merge-base version. Signatures and SBOMs are not checked there.
pub fn collect_accepted(
    path: &Path,
    display: &str,
    bytes: &[u8],
    sizes: &SizeOptions,
    limits: &wasm::Limits,
) -> (String, SizeFacts, WasmFacts) {
    let (wasm, (sha256, size)) = rayon::join(
        || wasm::collect_with(bytes, limits),
        || {
            let ctx = ArtifactCtx::new(path, display, bytes);
            let size = size::collect(&ctx, sizes);
            (ctx.sha256, size)
        },
    );
    (sha256, size, wasm)
}

/// The bytes around a validation error, for the report.
fn snippet(wasm: &WasmFacts, bytes: &[u8]) -> Option<ByteSnippet> {
    wasm.validation_error
        .as_ref()
        .and_then(|error| hexdump::around(bytes, error.offset))
}

fn read(path: &Path, display: &str, limit: u64) -> Result<Vec<u8>, Error> {
    let kind = crate::untrusted::Kind::Artifact(limit);
    crate::untrusted::read(path, kind)
        .map_err(|refusal| crate::untrusted::error(Path::new(display), kind, refusal))
}
