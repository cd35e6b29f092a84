//! The pipeline: discover → collect facts → build input → evaluate policies → report.
//!
//! Each stage hands plain data to the next. This module only sequences them; the work is in
//! `discover`, `facts`, `input`, `policy` and `findings`.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use rayon::prelude::*;
use sha2::{Digest, Sha256};

use crate::baseline::{self, Compression};
use crate::diag::Error;
use crate::discover::{self, ArtifactPath, DiscoverOptions};
use crate::facts;
use crate::findings;
use crate::hexdump::{self, ByteSnippet};
use crate::config::Trust;
use crate::git::Repo;
use crate::history;
use crate::input::{self, Artifact, BaselineSource, Context, InputDocument};
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
    let context = context(request)?;
    Ok((input::build(found, context), snippets))
}

/// Git facts, the baseline and its history: everything besides the artifacts themselves.
fn context(request: &CheckRequest) -> Result<Context, Error> {
    let baseline = request.baseline.as_ref().map(|loaded| {
        let source = BaselineSource {
            path: loaded.path.clone(),
            revision: loaded.revision.clone(),
            found: loaded.baseline.is_some(),
        };
        (source, loaded.baseline.clone())
    });
    let Some(repo) = request.repo_dir.as_deref().map(Repo::discover).transpose()?.flatten()
    else {
        return Ok(Context {
            git: None,
            baseline,
            history: BTreeMap::new(),
        });
    };
    let Some(head) = repo.head() else {
        return Ok(Context {
            git: None,
            baseline,
            history: BTreeMap::new(),
        });
    };
    let trust = match request.trust {
        Trust::Base if request.base.is_some() => "base",
        _ => "head",
    };
    let mut git = facts::git::collect(&repo, request.base.as_ref(), trust, &request.config.config.ai)?;
    git.governing_changes.clone_from(&request.governing_changes);
    let settings = &request.config.config.baseline;
    let baseline_path = request.root.join(&settings.path);
    let history = match repo.relative(&baseline_path) {
        Some(relative) => {
            let from = request.base.as_ref().map_or(head, |b| b.merge_base);
            history::collect(&repo, from, &relative, settings.history)?
        }
        None => BTreeMap::new(),
    };
    Ok(Context {
        git: Some(git),
        baseline,
        history,
    })
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
        baseline: None,
        delta: None,
        history: Vec::new(),
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

/// Writes the baseline of the artifacts (`wasmgate baseline`); returns the file and the count.
pub fn write_baseline(
    request: &CheckRequest,
    progress: &dyn Progress,
    output: Option<&Path>,
) -> Result<(PathBuf, usize), Error> {
    let document = facts(request, progress)?;
    let accepted = baseline::build(&document.artifacts, Compression::of(&request.sizes));
    let path = match output {
        Some(path) => request.cwd.join(path),
        None => request.root.join(&request.config.config.baseline.path),
    };
    let write_error = |source| Error::WriteBaseline {
        path: path.display().to_string(),
        source,
    };
    if let Some(parent) = path.parent() {
        std::fs::create_dir_all(parent).map_err(write_error)?;
    }
    std::fs::write(&path, baseline::render(&accepted)).map_err(write_error)?;
    Ok((path, accepted.artifacts.len()))
}
