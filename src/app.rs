//! The pipeline: discover → collect facts → build input → evaluate policies → report.
//!
//! Each stage hands plain data to the next. This module only sequences them; the work is in
//! `discover`, `measure` (facts per artifact), `context` (git, baseline, history), `input`,
//! `policy` and `findings`.

use std::path::{Path, PathBuf};

use rayon::prelude::*;

use crate::baseline::{self, Compression};
use crate::context;
use crate::diag::Error;
use crate::discover::{self, DiscoverOptions};
use crate::findings;
use crate::finops;
use crate::hexdump::{ByteSnippet, Snippets};
use crate::input::{self, Artifact, InputDocument};
use crate::measure;
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
        repo_root: request.repo_dir.as_deref(),
        allow_outside_root: request.allow_outside_root,
    })?;
    let (artifacts, refused) = (artifacts.artifacts, artifacts.refused);
    progress.start(artifacts.len());
    let wasm_limits = request.config.config.limits.wasm();
    let collected: Vec<Result<(Artifact, Option<ByteSnippet>), Error>> = artifacts
        .par_iter()
        .map(|artifact| {
            let result = measure::file(
                &artifact.path,
                &artifact.display,
                measure::Collectors {
                    limit: request.max_size,
                    sizes: &request.sizes,
                    keys: &request.trusted_keys,
                    sbom: &request.sbom,
                    debug_sections: &request.debug_sections,
                    wasm_limits: &wasm_limits,
                },
            );
            progress.advance(&artifact.display);
            result
        })
        .collect();
    progress.finish();
    let mut snippets = Snippets::new();
    let mut found = Vec::with_capacity(collected.len());
    let mut refused = refused;
    for (result, path) in collected.into_iter().zip(&artifacts) {
        let (artifact, snippet) = match result {
            Ok(measured) => measured,
            // A file that discovery saw but cannot be read is a finding, like a FIFO: the
            // other artifacts are still judged and the run still fails.
            Err(Error::Read { source, .. }) => {
                refused.push(unreadable(path, crate::untrusted::io_message(&source)));
                continue;
            }
            Err(Error::Refused { problem, .. }) => {
                refused.push(unreadable(path, problem));
                continue;
            }
            Err(error) => return Err(error),
        };
        if let Some(snippet) = snippet {
            snippets.insert(artifact.path.clone(), snippet);
        }
        found.push(artifact);
    }
    let context = context::build(request, &found)?;
    let mut document = input::build(found, context);
    document
        .gate_files_not_regular
        .clone_from(&request.gate_problems);
    refused.sort_by(|a, b| a.path.cmp(&b.path));
    document.refused_artifacts = refused;
    let config = &request.config.config;
    let size_budget = |path: &str, encoding: &str| {
        config
            .budgets
            .iter()
            .filter(|b| {
                crate::config::artifact_glob(&b.artifacts).is_some_and(|g| g.is_match(path))
            })
            .filter_map(|b| match encoding {
                "brotli" => b.brotli,
                "gzip" => b.gzip,
                _ => b.raw,
            })
            .map(|size| size.0)
            .min()
    };
    document.finops = Some(finops::compute(
        &document.artifacts,
        &config.finops,
        &size_budget,
    ));
    Ok((document, snippets))
}

/// Runs the gate (`wasmgate check`).
pub fn check(request: &CheckRequest, progress: &dyn Progress) -> Result<Report, Error> {
    // Policies compile before the slow fact collection, so a broken policy fails fast.
    let policies = policy::load(&request.policy)?;
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
    let (document, snippets) = gather(request, progress)?;
    let input = input::bounded_value(&document, request.config.config.limits.input_bytes.0)?;
    let raw = policy::evaluate(&policies, input)?;
    let report = findings::report(&document, raw, &policies, &request.config, &snippets);
    crate::background::drop_later(document);
    Ok(report)
}

fn unreadable(
    path: &crate::discover::ArtifactPath,
    reason: String,
) -> crate::discover::RefusedArtifact {
    crate::discover::RefusedArtifact {
        path: path.display.clone(),
        code: "artifact-unreadable".to_string(),
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
            .map(|a| (a.path.clone(), a.accepted())),
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
