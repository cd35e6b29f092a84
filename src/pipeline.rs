//! The pipeline: plan → discover → facts → derive → input → policy → findings → report.
//!
//! Each stage hands plain data to the next and nothing flows back. This module only
//! sequences them (and runs the repository-level collectors); the work is in the stages.

use std::path::{Path, PathBuf};

use crate::config::Trust;
use crate::derive::{
    self,
    baseline::{self, Compression},
};
use crate::diag::Error;
use crate::discover::{self, ArtifactPath, DiscoverOptions, RefusedArtifact};
use crate::facts::{
    self,
    artifact::{self, ArtifactFacts},
    git::GitFacts,
};
use crate::findings;
use crate::git::Repo;
use crate::hexdump::Snippets;
use crate::input::{self, InputDocument, PolicyFacts, Refusals, RepoFacts};
use crate::plan::CheckRequest;
use crate::policy;
use crate::report::Report;

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

/// Builds the policy input document (`wasmgate facts`).
pub fn facts(request: &CheckRequest, progress: &dyn Progress) -> Result<InputDocument, Error> {
    gather(request, progress, false).map(|gathered| gathered.document)
}

/// What the stages up to the document produce.
struct Gathered {
    document: InputDocument,
    snippets: Snippets,
    /// The artifacts' facts in policy form (in the document's order), when asked for.
    policy_facts: Vec<PolicyFacts>,
}

/// discover → facts → derive → input. A shard keeps its artifacts and leaves the
/// repository-level facts to the merge.
fn gather(
    request: &CheckRequest,
    progress: &dyn Progress,
    for_policy: bool,
) -> Result<Gathered, Error> {
    let config = &request.config.config;
    let mut discovered = discover::discover(&DiscoverOptions {
        paths: &request.paths,
        cwd: &request.cwd,
        root: &request.root,
        include: &config.artifacts.include,
        exclude: &config.artifacts.exclude,
        repo_root: request.repo_dir.as_deref(),
        allow_outside_root: request.allow_outside_root,
    })?;
    if let Some(shard) = request.shard {
        discovered.artifacts.retain(|a| shard.has(&a.display));
        discovered.refused.retain(|r| shard.has(&r.path));
    }
    let (mut collected, mut refused, snippets) =
        collect(request, &discovered.artifacts, progress, for_policy)?;
    refused.extend(discovered.refused);
    refused.sort_by(|a, b| a.path.cmp(&b.path));
    collected.sort_by(|a, b| a.0.path.cmp(&b.0.path));
    let (artifacts, policy_facts): (Vec<ArtifactFacts>, Vec<Option<PolicyFacts>>) =
        collected.into_iter().unzip();
    let policy_facts = policy_facts.into_iter().flatten().collect();
    let repo = open_repo(request)?;
    let head = repo.as_ref().and_then(Repo::head);
    let limits = config.limits.wasm();
    let inputs = derive_inputs(request, repo.as_ref(), head, &limits, None);
    let per_artifact = derive::per_artifact(&artifacts, &inputs)?;
    let document = if request.shard.is_some() {
        let derived = derive::repo_level(&artifacts, per_artifact, &inputs, &|_| false)?;
        let refusals = Refusals {
            gate_files: Vec::new(),
            artifacts: refused,
        };
        input::assemble(artifacts, RepoFacts::default(), derived, refusals)
    } else {
        whole_document(
            request,
            artifacts,
            per_artifact,
            refused,
            repo.as_ref(),
            head,
        )?
    };
    Ok(Gathered {
        document,
        snippets,
        policy_facts,
    })
}

/// The repository the run is in, when it has one.
fn open_repo(request: &CheckRequest) -> Result<Option<Repo>, Error> {
    Ok(request
        .repo_dir
        .as_deref()
        .map(Repo::discover)
        .transpose()?
        .flatten())
}

/// What deriving reads besides the facts.
fn derive_inputs<'a>(
    request: &'a CheckRequest,
    repo: Option<&'a Repo>,
    head: Option<git2::Oid>,
    limits: &'a crate::facts::wasm::Limits,
    manifests: Option<&'a facts::manifests::ManifestFacts>,
) -> derive::Inputs<'a> {
    let config = &request.config.config;
    derive::Inputs {
        repo: repo.filter(|_| head.is_some()),
        merge_base: request.base.as_ref().map(|b| b.merge_base),
        head,
        baseline: request.baseline.as_ref(),
        baseline_settings: &config.baseline,
        root: &request.root,
        max_size: request.max_size,
        sizes: &request.sizes,
        limits,
        finops: &config.finops,
        budgets: &config.budgets,
        manifests,
    }
}

/// The document of every artifact: the repository-level facts (git, Cargo, manifests) and
/// what needs all the artifacts (removed ones, FinOps) added to theirs. `check` and `merge`
/// both end here, so a merge of shards is the check of everything.
fn whole_document(
    request: &CheckRequest,
    artifacts: Vec<ArtifactFacts>,
    per_artifact: Vec<derive::ArtifactDerived>,
    refused: Vec<RefusedArtifact>,
    repo: Option<&Repo>,
    head: Option<git2::Oid>,
) -> Result<InputDocument, Error> {
    let repo_facts = RepoFacts {
        git: match (repo, head) {
            (Some(repo), Some(_)) => Some(git_facts(request, repo)?),
            _ => None,
        },
        cargo: cargo_graph(request, &artifacts)?,
        manifests: manifests(request)?,
    };
    let limits = request.config.config.limits.wasm();
    let inputs = derive_inputs(request, repo, head, &limits, repo_facts.manifests.as_ref());
    let covered = covered_by_paths(request);
    let derived = derive::repo_level(&artifacts, per_artifact, &inputs, &covered)?;
    let refusals = Refusals {
        gate_files: request.gate_problems.clone(),
        artifacts: refused,
    };
    Ok(input::assemble(artifacts, repo_facts, derived, refusals))
}

/// Which baseline paths the run looked for: all of them without PATHS; with PATHS, those the
/// PATHS name (the file, a directory above it, or a glob over it), so that checking some
/// artifacts does not report the others as removed.
fn covered_by_paths(request: &CheckRequest) -> impl Fn(&str) -> bool + '_ {
    let named: Vec<(String, Option<globset::GlobMatcher>)> = request
        .paths
        .iter()
        .map(|path| {
            let relative = discover::display_path(
                &crate::untrusted::lexical(&request.cwd.join(path)),
                &request.root,
            );
            let glob = path
                .contains(['*', '?', '['])
                .then(|| crate::config::artifact_glob(&relative))
                .flatten();
            (relative, glob)
        })
        .collect();
    move |path: &str| {
        named.is_empty()
            || named.iter().any(|(named, glob)| match glob {
                Some(glob) => glob.is_match(path),
                None => {
                    path == named
                        || path
                            .strip_prefix(named.as_str())
                            .is_some_and(|rest| rest.starts_with('/'))
                        || named == "."
                }
            })
    }
}

/// Every artifact's facts, in parallel, each with its policy form when `for_policy`; a file
/// discovery saw but cannot read is a refusal.
#[allow(clippy::type_complexity)]
fn collect(
    request: &CheckRequest,
    paths: &[ArtifactPath],
    progress: &dyn Progress,
    for_policy: bool,
) -> Result<
    (
        Vec<(ArtifactFacts, Option<PolicyFacts>)>,
        Vec<RefusedArtifact>,
        Snippets,
    ),
    Error,
> {
    let input_limit = request.config.config.limits.input_bytes.0;
    progress.start(paths.len());
    let wasm_limits = request.config.config.limits.wasm();
    let facts_cache = facts_cache(request, &wasm_limits);
    let options = artifact::Options {
        facts_cache: facts_cache.as_ref(),
        limit: request.max_size,
        sizes: &request.sizes,
        keys: &request.trusted_keys,
        sbom: &request.sbom,
        debug_sections: &request.debug_sections,
        wasm_limits: &wasm_limits,
    };
    let collected = largest_first(paths, |path| {
        let result =
            artifact::collect(&path.path, &path.display, options).and_then(|(facts, snippet)| {
                let converted = for_policy
                    .then(|| input::policy_facts(&facts, input_limit))
                    .transpose()?;
                Ok((facts, converted, snippet))
            });
        progress.advance(&path.display);
        result
    });
    progress.finish();
    let mut snippets = Snippets::new();
    let mut found = Vec::with_capacity(collected.len());
    let mut refused = Vec::new();
    for (result, path) in collected.into_iter().zip(paths) {
        match result {
            Ok((facts, converted, snippet)) => {
                if let Some(snippet) = snippet {
                    snippets.insert(facts.path.clone(), snippet);
                }
                found.push((facts, converted));
            }
            // Like a FIFO: the other artifacts are still judged and the run still fails.
            Err(Error::Read { source, .. }) => {
                refused.push(unreadable(path, crate::untrusted::io_message(&source)));
            }
            Err(Error::Refused { problem, .. }) => refused.push(unreadable(path, problem)),
            Err(error) => return Err(error),
        }
    }
    Ok((found, refused, snippets))
}

/// The facts cache in the size cache's directory, keyed also by everything that changes what
/// the bytes yield: `[limits]`, the debug section patterns and how sizes are measured.
fn facts_cache(
    request: &CheckRequest,
    limits: &crate::facts::wasm::Limits,
) -> Option<crate::facts::cache::FactsCache> {
    let dir = request.sizes.cache_dir.as_ref()?;
    let sizes = &request.sizes;
    let options = format!(
        "{limits:?}\n{:?}\n{} {} {} {} {}",
        request.config.config.custom_sections.debug,
        sizes.compress,
        sizes.gzip_level,
        sizes.brotli_quality,
        sizes.brotli_window,
        sizes.use_siblings,
    );
    Some(crate::facts::cache::FactsCache::new(dir, &options))
}

/// `work` on every artifact, on every worker, the largest files first (results in `paths`'
/// order): the big ones do not start last and hold the run up alone at the end, and their
/// bytes are in flight before the others' facts pile up, not on top of them.
fn largest_first<T: Send>(
    paths: &[ArtifactPath],
    work: impl Fn(&ArtifactPath) -> T + Sync,
) -> Vec<T> {
    let size = |path: &ArtifactPath| std::fs::symlink_metadata(&path.path).map_or(0, |m| m.len());
    let mut order: Vec<(u64, usize)> = paths
        .iter()
        .enumerate()
        .map(|(index, path)| (size(path), index))
        .collect();
    order.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)));
    let next = std::sync::atomic::AtomicUsize::new(0);
    let done = std::sync::Mutex::new(Vec::with_capacity(paths.len()));
    let workers = rayon::current_num_threads().min(paths.len());
    rayon::scope(|scope| {
        for _ in 0..workers {
            scope.spawn(|_| {
                loop {
                    let at = next.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                    let Some(&(_, index)) = order.get(at) else {
                        break;
                    };
                    let result = work(&paths[index]);
                    done.lock()
                        .unwrap_or_else(std::sync::PoisonError::into_inner)
                        .push((index, result));
                }
            });
        }
    });
    let mut done = done
        .into_inner()
        .unwrap_or_else(std::sync::PoisonError::into_inner);
    done.sort_by_key(|(index, _)| *index);
    done.into_iter().map(|(_, result)| result).collect()
}

/// `[admission] policies`, compiled on their own; None when there are none.
fn admission_policies(request: &CheckRequest) -> Result<Option<policy::PolicySet>, Error> {
    if request.admission.is_empty() {
        return Ok(None);
    }
    let settings = &request.config.config.admission;
    policy::admission::load(
        request.admission.clone(),
        &settings.namespaces,
        settings.rego_v0,
        request.policy.timeout_ms,
        request.policy.data.clone(),
    )
    .map(Some)
}

/// One admission input per manifest object, with its bound artifact's facts (in policy form,
/// from `input`) as `wasmgate.artifact`.
fn reviews(
    request: &CheckRequest,
    document: &input::InputDocument,
    input: &regorus::Value,
) -> Vec<policy::admission::Review> {
    let settings = &request.config.config.admission;
    let parameters = serde_json::to_value(&settings.parameters).unwrap_or_default();
    let artifacts: std::collections::BTreeMap<&str, &regorus::Value> = document
        .artifacts
        .iter()
        .map(|a| a.facts.path.as_str())
        .zip(input["artifacts"].as_array().into_iter().flatten())
        .collect();
    let objects = document.manifests.iter().flat_map(|m| &m.objects);
    objects
        .map(|object| {
            let bound = object
                .bindings
                .iter()
                .find_map(|b| artifacts.get_key_value(b.artifact.as_str()));
            let review = input::admission::review(object, settings.input, &parameters);
            let mut value = input::rego::to_value(&review).unwrap_or(regorus::Value::Null);
            if let (Some((_, facts)), Ok(fields)) = (bound, value.as_object_mut()) {
                let wasmgate = std::collections::BTreeMap::from([(
                    regorus::Value::from("artifact"),
                    (*facts).clone(),
                )]);
                fields.insert(
                    regorus::Value::from("wasmgate"),
                    regorus::Value::from(wasmgate),
                );
            }
            policy::admission::Review {
                file: object.file.clone(),
                line: object.line,
                column: object.column,
                named: format!(
                    "{} {}",
                    object.kind,
                    object.name.as_deref().unwrap_or("(unnamed)")
                ),
                artifact: bound.map(|(path, _)| (*path).to_string()),
                input: value,
            }
        })
        .collect()
}

/// The deployment manifests: PR data, read from the work tree.
/// Their merge-base versions give the admission reviews their `oldObject`.
fn manifests(request: &CheckRequest) -> Result<Option<facts::manifests::ManifestFacts>, Error> {
    let settings = &request.config.config.manifests;
    let merge_base = request.base.as_ref().map(|base| base.merge_base);
    let repo_dir = request.repo_dir.clone();
    // git2's repository is not Sync: each parallel read opens its own.
    let at_base = move |path: &std::path::Path| -> Option<Vec<u8>> {
        let repo = Repo::discover(repo_dir.as_deref()?).ok()??;
        let relative = repo.relative(path)?;
        let cap = crate::untrusted::Kind::Manifest.cap();
        repo.read_at(merge_base?, &relative, cap).ok()?
    };
    facts::manifests::collect(&facts::manifests::Options {
        root: &request.root,
        configured: &settings.paths,
        named: &request.manifests,
        bind: &settings.bind,
        oci_layouts: &settings.oci_layouts,
        base: Some(&at_base),
    })
    .map_err(|path| Error::MissingPath { path })
}

/// The repository-level git facts: commits, AI provenance, governing changes.
fn git_facts(request: &CheckRequest, repo: &Repo) -> Result<GitFacts, Error> {
    let trust = match request.trust {
        Trust::Base if request.base.is_some() => "base",
        _ => "head",
    };
    let mut git = facts::git::collect(
        repo,
        request.base.as_ref(),
        trust,
        &request.config.config.ai,
    )?;
    git.governing_changes.clone_from(&request.governing_changes);
    Ok(git)
}

/// The Cargo graph: `[sbom] cargo_manifest`, or the root's `Cargo.toml` when an artifact with
/// an SBOM was produced by Rust. A cargo that cannot run is an error, not a skipped check.
fn cargo_graph(
    request: &CheckRequest,
    artifacts: &[ArtifactFacts],
) -> Result<Option<facts::cargo::CargoFacts>, Error> {
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
    let display = discover::display_path(&manifest, &request.root);
    facts::cargo::collect(&manifest, &display, &settings.cargo_target)
        .map(Some)
        .map_err(|message| Error::Cargo {
            manifest: display,
            message,
        })
}

/// Runs the gate (`wasmgate check`); with `--shard`, on that shard's artifacts, for `merge`.
pub fn check(request: &CheckRequest, progress: &dyn Progress) -> Result<Report, Error> {
    // Policies compile before the slow fact collection, so a broken policy fails fast.
    let (policies, admission) = prepare(request)?;
    let Gathered {
        document,
        snippets,
        policy_facts,
    } = gather(request, progress, true)?;
    judge(
        request,
        policies,
        admission,
        document,
        policy_facts,
        snippets,
    )
}

/// Merges shard reports (`wasmgate merge`): their artifacts become one document with the
/// repository-level facts this run reads, judged as `check` judges everything.
pub fn merge(
    request: &CheckRequest,
    shards: Vec<(String, crate::shard::ShardData)>,
) -> Result<Report, Error> {
    let (policies, admission) = prepare(request)?;
    let expected = crate::shard::Expected {
        wasmgate_version: env!("CARGO_PKG_VERSION").to_string(),
        gate_digest: crate::plan::digest::digest(&request.gate_files),
        merge_base: request.base.as_ref().map(|b| b.merge_base.to_string()),
    };
    let shards = crate::shard::gather(shards, &expected)
        .map_err(|problem| Error::ShardsMismatch { problem })?;
    let mut artifacts = Vec::new();
    let mut refused = Vec::new();
    let mut snippets = Snippets::new();
    for shard in shards {
        artifacts.extend(shard.artifacts);
        refused.extend(shard.refused);
        snippets.extend(shard.snippets);
    }
    artifacts.sort_by(|a, b| a.facts.path.cmp(&b.facts.path));
    refused.sort_by(|a, b| a.path.cmp(&b.path));
    let limit = request.config.config.limits.input_bytes.0;
    let policy_facts = artifacts
        .iter()
        .map(|a| input::policy_facts(&a.facts, limit))
        .collect::<Result<Vec<_>, _>>()?;
    let (facts, per_artifact): (Vec<ArtifactFacts>, Vec<derive::ArtifactDerived>) =
        artifacts.into_iter().map(|a| (a.facts, a.derived)).unzip();
    let repo = open_repo(request)?;
    let head = repo.as_ref().and_then(Repo::head);
    let document = whole_document(request, facts, per_artifact, refused, repo.as_ref(), head)?;
    judge(
        request,
        policies,
        admission,
        document,
        policy_facts,
        snippets,
    )
}

/// The policies (and admission policies) of the run, compiled, with the config's rule codes
/// and the named policies checked.
fn prepare(
    request: &CheckRequest,
) -> Result<(policy::PolicySet, Option<policy::PolicySet>), Error> {
    let policies = policy::load(&request.policy)?;
    let admission = admission_policies(request)?;
    check_rule_codes(request, &policies)?;
    for (named, files) in &request.named_policies {
        let runs = files
            .iter()
            .any(|file| policies.files.get(file).is_some_and(|(_, runs)| *runs));
        if !runs {
            let packages: Vec<String> = files
                .iter()
                .filter_map(|file| policies.files.get(file))
                .map(|(package, _)| format!("`{}`", package.trim_start_matches("data.")))
                .collect();
            return Err(Error::NamedPolicyIdle {
                path: named.clone(),
                reason: if packages.is_empty() {
                    "it holds no .rego file".to_string()
                } else {
                    format!(
                        "package {} is outside the evaluated namespaces",
                        packages.join(", ")
                    )
                },
            });
        }
    }
    Ok((policies, admission))
}

/// policy → findings → report. A shard evaluates the rules that judge one artifact at a
/// time and carries its artifacts in the report for the merge.
fn judge(
    request: &CheckRequest,
    mut policies: policy::PolicySet,
    mut admission: Option<policy::PolicySet>,
    mut document: InputDocument,
    policy_facts: Vec<PolicyFacts>,
    snippets: Snippets,
) -> Result<Report, Error> {
    let limit = request.config.config.limits.input_bytes.0;
    let input = input::policy_value(&mut document, policy_facts, limit)?;
    let raw = match request.shard {
        Some(_) => policy::evaluate_each_artifact(&policies, input)?,
        None => evaluate_all(request, &mut policies, admission.as_mut(), &document, input)?,
    };
    let mut report = findings::report(&document, raw, &policies, &request.config, &snippets);
    let gate_digest = crate::plan::digest::digest(&request.gate_files);
    report.gate = Some(crate::report::GateSummary {
        digest: gate_digest.clone(),
        files: request.gate_files.clone(),
    });
    if let Some(shard) = request.shard {
        report.shard = Some(crate::shard::ShardData {
            shard,
            wasmgate_version: env!("CARGO_PKG_VERSION").to_string(),
            gate_digest,
            merge_base: request.base.as_ref().map(|b| b.merge_base.to_string()),
            paths: request.paths.clone(),
            artifacts: std::mem::take(&mut document.artifacts),
            refused: std::mem::take(&mut document.refused_artifacts),
            snippets,
        });
    }
    crate::background::drop_later(document);
    Ok(report)
}

/// Every policy over the whole document, admission policies over each manifest object, and
/// the cost-risk questions they asked.
fn evaluate_all(
    request: &CheckRequest,
    policies: &mut policy::PolicySet,
    admission: Option<&mut policy::PolicySet>,
    document: &InputDocument,
    input: regorus::Value,
) -> Result<Vec<policy::RawFinding>, Error> {
    let reviews = admission
        .as_ref()
        .map(|_| reviews(request, document, &input))
        .unwrap_or_default();
    let predictions = policy::predictions::Predictions::new(
        document
            .finops
            .as_ref()
            .map(|f| f.compute.clone())
            .unwrap_or_default(),
        request.config.config.finops.clone(),
        &request.config.config.manifests.bind,
    );
    policy::predictions::answer_in(policies, predictions.clone())?;
    let mut raw = policy::evaluate(policies, input)?;
    if let Some(admission) = admission {
        policy::predictions::answer_in(admission, predictions.clone())?;
        raw.extend(policy::admission::evaluate(admission, reviews)?);
    }
    raw.extend(predictions.unanswered());
    if let Some(manifests) = &document.manifests {
        at_fields(&mut raw, manifests);
    }
    Ok(raw)
}

/// A finding that names the offending field of a manifest object points at that field.
fn at_fields(raw: &mut [policy::RawFinding], manifests: &facts::manifests::ManifestFacts) {
    for finding in raw {
        if let (Some((file, line, column)), Some(field)) = (&mut finding.file, &finding.field) {
            if let Some(at) = manifests.field_position(file, *line, field) {
                (*line, *column) = at;
            }
        }
    }
}

fn unreadable(path: &ArtifactPath, reason: String) -> RefusedArtifact {
    RefusedArtifact {
        path: path.display.clone(),
        code: crate::diag::codes::Code::ArtifactUnreadable
            .as_str()
            .to_string(),
        reason,
    }
}

/// `[rules]` may name built-in codes and codes the loaded user policies spell out.
fn check_rule_codes(request: &CheckRequest, policies: &policy::PolicySet) -> Result<(), Error> {
    let mut candidates: Vec<String> = crate::diag::codes::CODES
        .iter()
        .map(|info| info.code.to_string())
        .collect();
    candidates.push(crate::diag::codes::USER_POLICY_CODE.to_string());
    // Codes user rules declare in their METADATA.
    candidates.extend(policies.rules.iter().filter_map(|r| r.code.clone()));
    let user_text: String = policies
        .sources
        .iter()
        .filter(|(name, _)| !name.starts_with("<builtin>"))
        .map(|(_, text)| text.as_str())
        .collect::<Vec<_>>()
        .join("\n");
    let known = |code: &str| {
        candidates.iter().any(|c| c == code) || user_text.contains(&format!("\"{code}\""))
    };
    crate::config::check_rule_codes(&request.config, &known, &candidates)?;
    Ok(())
}

/// Writes the baseline of the artifacts (`wasmgate baseline`); returns the file and the count.
pub fn write_baseline(
    request: &CheckRequest,
    progress: &dyn Progress,
    output: Option<&Path>,
) -> Result<(PathBuf, usize), Error> {
    let document = facts(request, progress)?;
    let accepted = baseline::build(
        document
            .artifacts
            .iter()
            .map(|a| (a.facts.path.clone(), derive::accepted_of(&a.facts))),
        Compression::of(&request.sizes),
    );
    let path = match output {
        Some(path) => request.cwd.join(path),
        None => request.root.join(&request.config.config.baseline.path),
    };
    crate::untrusted::write(&path, baseline::render(&accepted).as_bytes()).map_err(|source| {
        Error::WriteBaseline {
            path: path.display().to_string(),
            source,
        }
    })?;
    Ok((path, accepted.artifacts.len()))
}
