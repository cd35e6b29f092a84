//! Figures derived from the facts, before the document is assembled: each artifact's accepted
//! facts (from the baseline file, else from the artifact committed at the merge-base), its
//! delta and size history, the artifacts the baseline has and the run does not, and FinOps.
//! Nothing here reads the work tree's artifacts again; merge-base versions are read from git.

pub mod baseline;
pub mod delta;
pub mod finops;
pub mod history;
pub mod resource_history;

use std::collections::BTreeMap;
use std::path::Path;

use rayon::prelude::*;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use crate::config::{Budget, FinopsConfig};
use crate::diag::Error;
use crate::facts::artifact::{self, ArtifactFacts};
use crate::facts::size::SizeOptions;
use crate::facts::wasm::Limits;
use crate::git::Repo;
use baseline::{BaselineEntry, BaselineSource, LoadedBaseline};
use delta::Delta;
use history::HistoryPoint;

/// What one artifact's document entry adds to its facts (inline in the artifact).
#[derive(Debug, Clone, Default, Serialize, Deserialize, JsonSchema)]
pub struct ArtifactDerived {
    /// The accepted facts of this path; null when neither the baseline file nor the
    /// merge-base has it.
    pub baseline: Option<BaselineEntry>,
    /// Where `baseline` came from: `file` (the baseline file) or `merge-base` (the artifact
    /// itself, committed at the merge-base, measured by this run).
    pub baseline_origin: Option<String>,
    /// The change against `baseline`; null without one.
    pub delta: Option<Delta>,
    /// Accepted sizes from the commits that changed the baseline, newest first.
    pub history: Vec<HistoryPoint>,
}

/// Everything derived, for the document.
#[derive(Debug)]
pub struct Derived {
    /// Per artifact, in the order of the facts given.
    pub artifacts: Vec<ArtifactDerived>,
    /// Where the baseline was read.
    pub baseline: Option<BaselineSource>,
    /// Paths in the baseline that no artifact has any more, sorted.
    pub removed_artifacts: Vec<String>,
    /// Cost, trend, anomaly and cost risk.
    pub finops: finops::FinopsFacts,
}

/// What deriving reads besides the facts.
#[derive(Debug, Clone, Copy)]
pub struct Inputs<'a> {
    /// The repository, when there is one with commits.
    pub repo: Option<&'a Repo>,
    /// The merge-base, when there is a base.
    pub merge_base: Option<git2::Oid>,
    /// HEAD (history is read from the merge-base, else from here).
    pub head: Option<git2::Oid>,
    /// The baseline as read at the merge-base.
    pub baseline: Option<&'a LoadedBaseline>,
    /// Where the baseline file is, relative to the root, and how much history to read.
    pub baseline_settings: &'a crate::config::BaselineConfig,
    /// Artifact paths are relative to this.
    pub root: &'a Path,
    /// Largest merge-base artifact read.
    pub max_size: u64,
    /// How sizes are measured (merge-base versions are measured like the artifacts).
    pub sizes: &'a SizeOptions,
    /// `[limits]` for parsing merge-base versions.
    pub limits: &'a Limits,
    /// `[finops]`.
    pub finops: &'a FinopsConfig,
    /// `[[budgets]]`, for the forecast.
    pub budgets: &'a [Budget],
    /// The deployment manifests, for what running the artifacts costs.
    pub manifests: Option<&'a crate::facts::manifests::ManifestFacts>,
}

/// What each artifact's entry adds (accepted facts, delta, size history): all a shard
/// derives, since it depends on nothing but the artifact and the merge-base.
pub fn per_artifact(
    artifacts: &[ArtifactFacts],
    inputs: &Inputs<'_>,
) -> Result<Vec<ArtifactDerived>, Error> {
    let accepted = inputs.baseline.and_then(|b| b.baseline.as_ref());
    let mut history = history(inputs)?;
    let mut committed = committed(artifacts, inputs)?;
    let per_artifact: Vec<ArtifactDerived> = artifacts
        .iter()
        .map(|facts| {
            let history = history.remove(&facts.path).unwrap_or_default();
            let from_file = accepted.and_then(|b| b.artifacts.get(&facts.path)).cloned();
            let (before, origin) = match (from_file, committed.remove(&facts.path)) {
                (Some(entry), _) => (entry, "file"),
                (None, Some(entry)) => (entry, "merge-base"),
                (None, None) => {
                    return ArtifactDerived {
                        history,
                        ..ArtifactDerived::default()
                    };
                }
            };
            ArtifactDerived {
                delta: Some(delta::compute(&before, &accepted_of(facts))),
                baseline: Some(before),
                baseline_origin: Some(origin.to_string()),
                history,
            }
        })
        .collect();
    Ok(per_artifact)
}

/// What needs every artifact: the baseline's paths no artifact has (of those the run looked
/// for, `covered`: a run over some of the artifacts does not know the others were removed),
/// and FinOps.
pub fn repo_level(
    artifacts: &[ArtifactFacts],
    per_artifact: Vec<ArtifactDerived>,
    inputs: &Inputs<'_>,
    covered: &dyn Fn(&str) -> bool,
) -> Result<Derived, Error> {
    let accepted = inputs.baseline.and_then(|b| b.baseline.as_ref());
    let removed_artifacts = accepted
        .map(|b| {
            b.artifacts
                .keys()
                .filter(|path| covered(path))
                .filter(|path| {
                    artifacts
                        .binary_search_by(|a| a.path.as_str().cmp(path))
                        .is_err()
                })
                .cloned()
                .collect()
        })
        .unwrap_or_default();
    let priced: Vec<finops::Artifact<'_>> = artifacts
        .iter()
        .zip(&per_artifact)
        .map(|(facts, derived)| finops::Artifact {
            facts,
            baseline: derived.baseline.as_ref(),
            history: &derived.history,
        })
        .collect();
    let deployments = deployments(inputs)?;
    let finops = finops::compute(
        &priced,
        &deployments,
        inputs.merge_base.is_some(),
        inputs.finops,
        &|path, encoding| size_budget(inputs.budgets, path, encoding),
    );
    Ok(Derived {
        baseline: inputs.baseline.map(|loaded| BaselineSource {
            path: loaded.path.clone(),
            revision: loaded.revision.clone(),
            found: loaded.baseline.is_some(),
        }),
        artifacts: per_artifact,
        removed_artifacts,
        finops,
    })
}

/// This artifact's facts as a baseline records them.
pub fn accepted_of(facts: &ArtifactFacts) -> BaselineEntry {
    baseline::entry(&facts.sha256, &facts.size, &facts.wasm)
}

/// The tightest budget of `encoding` (`raw`, `gzip`, `brotli`) that applies to `path`.
fn size_budget(budgets: &[Budget], path: &str, encoding: &str) -> Option<u64> {
    budgets
        .iter()
        .filter(|b| crate::config::artifact_glob(&b.artifacts).is_some_and(|g| g.is_match(path)))
        .filter_map(|b| match encoding {
            "brotli" => b.brotli,
            "gzip" => b.gzip,
            _ => b.raw,
        })
        .map(|size| size.0)
        .min()
}

/// Every object that deploys an artifact, with the history of its declared resources; only
/// read when `[[finops.compute]]` prices something.
fn deployments<'a>(inputs: &Inputs<'a>) -> Result<Vec<finops::compute::Deployment<'a>>, Error> {
    let (false, Some(manifests)) = (inputs.finops.compute.is_empty(), inputs.manifests) else {
        return Ok(Vec::new());
    };
    let bound: Vec<(
        &crate::facts::manifests::ManifestObject,
        &crate::facts::manifests::Binding,
    )> = manifests
        .objects
        .iter()
        .flat_map(|object| object.bindings.iter().map(move |binding| (object, binding)))
        .collect();
    let wanted: Vec<resource_history::Wanted<'_>> = bound
        .iter()
        .map(|(object, binding)| resource_history::Wanted {
            object,
            container: binding.container.as_deref(),
        })
        .collect();
    let mut histories = match (inputs.repo, inputs.merge_base.or(inputs.head)) {
        (Some(repo), Some(from)) => {
            resource_history::collect(repo, from, &wanted, inputs.baseline_settings.history)?
        }
        _ => Vec::new(),
    };
    histories.resize(bound.len(), Vec::new());
    Ok(bound
        .into_iter()
        .zip(histories)
        .map(|((object, binding), history)| finops::compute::Deployment {
            object,
            binding,
            images: crate::facts::manifests::binding_images(&object.object, binding),
            history,
        })
        .collect())
}

/// The size history of every artifact, from the baseline's commits.
fn history(inputs: &Inputs<'_>) -> Result<BTreeMap<String, Vec<HistoryPoint>>, Error> {
    let (Some(repo), Some(from)) = (inputs.repo, inputs.merge_base.or(inputs.head)) else {
        return Ok(BTreeMap::new());
    };
    let settings = inputs.baseline_settings;
    match repo.relative(&inputs.root.join(&settings.path)) {
        Some(relative) => history::collect(repo, from, &relative, settings.history),
        None => Ok(BTreeMap::new()),
    }
}

/// Baseline entries for artifacts the baseline file lacks but the merge-base has committed:
/// a repository that commits its `.wasm` gets merge-base deltas without a baseline file. Each
/// version is read and measured in one parallel step, so only those in flight are in memory.
fn committed(
    artifacts: &[ArtifactFacts],
    inputs: &Inputs<'_>,
) -> Result<BTreeMap<String, BaselineEntry>, Error> {
    let (Some(repo), Some(merge_base)) = (inputs.repo, inputs.merge_base) else {
        return Ok(BTreeMap::new());
    };
    let accepted = inputs.baseline.and_then(|b| b.baseline.as_ref());
    let wanted: Vec<(&str, std::path::PathBuf, String)> = artifacts
        .iter()
        .filter(|a| !accepted.is_some_and(|b| b.artifacts.contains_key(&a.path)))
        .filter_map(|a| {
            let path = inputs.root.join(&a.path);
            let relative = repo.relative(&path)?;
            Some((a.path.as_str(), path, relative))
        })
        .collect();
    // libgit2 handles are not shared across threads: each worker opens the repository.
    let workdir = repo.workdir().to_path_buf();
    let (max_size, sizes, limits) = (inputs.max_size, inputs.sizes, inputs.limits);
    let measured: Vec<Result<Option<(String, BaselineEntry)>, Error>> = wanted
        .par_iter()
        .map_init(
            || Repo::discover(&workdir).ok().flatten(),
            |local, (display, path, relative)| {
                let Some(local) = local.as_ref() else {
                    return Err(Error::Git {
                        doing: format!("reopen the repository at {}", workdir.display()),
                        message: "it was readable a moment ago".to_string(),
                    });
                };
                let Some(bytes) = local.read_at(merge_base, relative, max_size)? else {
                    return Ok(None);
                };
                let (sha256, size, wasm) =
                    artifact::collect_accepted(path, display, &bytes, sizes, limits);
                Ok(Some((
                    (*display).to_string(),
                    baseline::entry(&sha256, &size, &wasm),
                )))
            },
        )
        .collect();
    let mut entries = BTreeMap::new();
    for result in measured {
        if let Some((path, entry)) = result? {
            entries.insert(path, entry);
        }
    }
    Ok(entries)
}
