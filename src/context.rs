//! Everything the input document holds besides the artifacts' own facts: git facts, the
//! baseline at the merge-base (with entries derived from artifacts committed there), and the
//! size history.

use std::collections::BTreeMap;

use rayon::prelude::*;

use crate::baseline::BaselineEntry;
use crate::config::Trust;
use crate::diag::Error;
use crate::facts;
use crate::git::Repo;
use crate::history;
use crate::input::{Artifact, BaselineSource, Context};
use crate::measure;
use crate::request::CheckRequest;

/// Builds the context for `artifacts`.
pub fn build(request: &CheckRequest, artifacts: &[Artifact]) -> Result<Context, Error> {
    let cargo = cargo_graph(request, artifacts)?;
    let mut context = Context {
        cargo,
        baseline: request.baseline.as_ref().map(|loaded| {
            let source = BaselineSource {
                path: loaded.path.clone(),
                revision: loaded.revision.clone(),
                found: loaded.baseline.is_some(),
            };
            (source, loaded.baseline.clone())
        }),
        ..Context::default()
    };
    let Some(repo) = request
        .repo_dir
        .as_deref()
        .map(Repo::discover)
        .transpose()?
        .flatten()
    else {
        return Ok(context);
    };
    let Some(head) = repo.head() else {
        return Ok(context);
    };
    let trust = match request.trust {
        Trust::Base if request.base.is_some() => "base",
        _ => "head",
    };
    let mut git = facts::git::collect(
        &repo,
        request.base.as_ref(),
        trust,
        &request.config.config.ai,
    )?;
    git.governing_changes.clone_from(&request.governing_changes);
    context.git = Some(git);
    let settings = &request.config.config.baseline;
    if let Some(relative) = repo.relative(&request.root.join(&settings.path)) {
        let from = request.base.as_ref().map_or(head, |b| b.merge_base);
        context.history = history::collect(&repo, from, &relative, settings.history)?;
    }
    context.derived = derived(request, &repo, artifacts)?;
    Ok(context)
}

/// The Cargo graph: `[sbom] cargo_manifest`, or the root's `Cargo.toml` when an artifact with
/// an SBOM was produced by Rust. A cargo that cannot run is an error, not a skipped check.
fn cargo_graph(
    request: &CheckRequest,
    artifacts: &[Artifact],
) -> Result<Option<crate::facts::cargo::CargoFacts>, Error> {
    let settings = &request.config.config.sbom;
    let manifest = match &settings.cargo_manifest {
        Some(path) => request.root.join(path),
        None => {
            let rust_with_sbom = artifacts.iter().any(|a| {
                a.sbom.is_some()
                    && a.wasm
                        .producers
                        .as_ref()
                        .is_some_and(|p| p.language.iter().any(|l| l.name == "Rust"))
            });
            let candidate = request.root.join("Cargo.toml");
            if !rust_with_sbom || !candidate.is_file() {
                return Ok(None);
            }
            candidate
        }
    };
    let display = crate::discover::display_path(&manifest, &request.root);
    crate::facts::cargo::collect(&manifest, &display, &settings.cargo_target)
        .map(Some)
        .map_err(|message| Error::Cargo {
            manifest: display,
            message,
        })
}

/// Baseline entries for artifacts the baseline file lacks but the merge-base has committed:
/// a repository that commits its `.wasm` gets merge-base deltas without a baseline file.
fn derived(
    request: &CheckRequest,
    repo: &Repo,
    artifacts: &[Artifact],
) -> Result<BTreeMap<String, BaselineEntry>, Error> {
    let Some(base) = &request.base else {
        return Ok(BTreeMap::new());
    };
    let accepted = request.baseline.as_ref().and_then(|b| b.baseline.as_ref());
    let mut committed = Vec::new();
    for artifact in artifacts {
        if accepted.is_some_and(|b| b.artifacts.contains_key(&artifact.path)) {
            continue;
        }
        let path = request.root.join(&artifact.path);
        let Some(relative) = repo.relative(&path) else {
            continue;
        };
        if let Some(bytes) = repo.read_at(base.merge_base, &relative, request.max_size)? {
            committed.push((artifact.path.clone(), path, bytes));
        }
    }
    Ok(committed
        .par_iter()
        .map(|(display, path, bytes)| {
            let (then, _) = measure::bytes_of(
                display,
                path,
                bytes,
                &request.sizes,
                &request.config.config.limits.wasm(),
            );
            (display.clone(), then.accepted())
        })
        .collect())
}
