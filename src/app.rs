//! The pipeline: discover → collect facts → build input → evaluate policies → report.
//!
//! Each stage hands plain data to the next. This module only sequences them; the work is in
//! `discover`, `facts`, `input`, `policy` and `findings`.

use std::collections::BTreeMap;
use std::path::Path;

use rayon::prelude::*;
use sha2::{Digest, Sha256};

use crate::diag::Error;
use crate::discover::{self, ArtifactPath, DiscoverOptions};
use crate::facts;
use crate::findings;
use crate::hexdump::{self, ByteSnippet};
use crate::input::{self, Artifact, InputDocument};
use crate::policy;
use crate::report::Report;
use crate::request::CheckRequest;

/// Hears about slow work so that the binary can show progress; the library never prints.
pub trait Progress: Sync {
    /// Fact collection is starting for `total` artifacts.
    fn start(&self, _total: usize) {}
    /// One artifact is done.
    fn advance(&self, _artifact: &str) {}
    /// All artifacts are done.
    fn finish(&self) {}
}

/// Progress that goes nowhere.
#[derive(Debug, Default)]
pub struct NoProgress;

impl Progress for NoProgress {}

/// Hex dumps around each artifact's first wasm error, by artifact path.
pub type Snippets = BTreeMap<String, ByteSnippet>;

/// Builds the policy input document (`wasmgate facts`).
pub fn facts(request: &CheckRequest, progress: &dyn Progress) -> Result<InputDocument, Error> {
    gather(request, progress).map(|(document, _)| document)
}

fn gather(
    request: &CheckRequest,
    progress: &dyn Progress,
) -> Result<(InputDocument, Snippets), Error> {
    let artifacts = discover::discover(&DiscoverOptions {
        paths: &request.paths,
        cwd: &request.cwd,
        root: &request.root,
        include: &request.config.config.artifacts.include,
        exclude: &request.config.config.artifacts.exclude,
    })?;
    progress.start(artifacts.len());
    let collected: Vec<Result<(Artifact, Option<ByteSnippet>), Error>> = artifacts
        .par_iter()
        .map(|artifact| {
            let result = collect(artifact, request);
            progress.advance(&artifact.display);
            result
        })
        .collect();
    progress.finish();
    let mut snippets = Snippets::new();
    let mut found = Vec::with_capacity(collected.len());
    for result in collected {
        let (artifact, snippet) = result?;
        if let Some(snippet) = snippet {
            snippets.insert(artifact.path.clone(), snippet);
        }
        found.push(artifact);
    }
    Ok((input::build(found), snippets))
}

/// Runs the gate (`wasmgate check`).
pub fn check(request: &CheckRequest, progress: &dyn Progress) -> Result<Report, Error> {
    // Policies compile before the slow fact collection, so a broken policy fails fast.
    let policies = policy::load(&request.policy)?;
    let (document, snippets) = gather(request, progress)?;
    let input = serde_json::to_value(&document).map_err(|e| Error::PolicyResult {
        rule: "input".to_string(),
        message: e.to_string(),
    })?;
    let raw = policy::evaluate(&policies, &input)?;
    Ok(findings::report(
        &document,
        raw,
        &policies,
        &request.config,
        &snippets,
    ))
}

fn collect(
    artifact: &ArtifactPath,
    request: &CheckRequest,
) -> Result<(Artifact, Option<ByteSnippet>), Error> {
    let bytes = read(&artifact.path, &artifact.display, request.max_size)?;
    let sha256 = hex(&Sha256::digest(&bytes));
    let (wasm, size) = rayon::join(
        || facts::wasm::collect(&bytes),
        || facts::size::collect(&artifact.path, &bytes, &sha256, &request.sizes),
    );
    let snippet = wasm
        .validation_error
        .as_ref()
        .and_then(|error| hexdump::around(&bytes, error.offset));
    let artifact = Artifact {
        path: artifact.display.clone(),
        sha256,
        size,
        wasm,
    };
    Ok((artifact, snippet))
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
