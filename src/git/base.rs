//! Choosing the base a change is compared against, and its merge-base with HEAD.
//!
//! The comparison point is the merge-base of the base and HEAD, not the base's tip: when the
//! base branch moves on after a PR branched, the PR must not be charged for (or credited
//! with) what landed there meanwhile.

use git2::Oid;

use super::{Repo, git_error};
use crate::diag::Error;

/// Where the base came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BaseRequest<'a> {
    /// `--no-base`.
    Off,
    /// `--base REF`.
    Explicit(&'a str),
    /// Detect from CI variables, then the upstream, then the remote's default branch.
    Detect,
}

/// The chosen base.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Base {
    /// The ref as resolved, e.g. `origin/main`.
    pub reference: String,
    /// The base tip's commit.
    pub tip: Oid,
    /// The merge-base of the tip and HEAD: what the change is compared against.
    pub merge_base: Oid,
    /// Why this base, e.g. `--base`, `GITHUB_BASE_REF (pull request)`.
    pub reason: String,
}

/// The environment variables base detection reads, so tests can pass their own.
#[derive(Debug, Clone, Default)]
pub struct BaseEnv {
    /// `WASMGATE_BASE`.
    pub wasmgate_base: Option<String>,
    /// `GITHUB_BASE_REF` (set for pull_request events).
    pub github_base_ref: Option<String>,
    /// `CI_MERGE_REQUEST_DIFF_BASE_SHA` (GitLab merge request pipelines).
    pub gitlab_diff_base_sha: Option<String>,
    /// `CI_MERGE_REQUEST_TARGET_BRANCH_NAME` (GitLab merge request pipelines).
    pub gitlab_target_branch: Option<String>,
}

impl BaseEnv {
    /// Reads the variables from the process environment (empty counts as unset).
    pub fn from_process() -> BaseEnv {
        let var = |name: &str| std::env::var(name).ok().filter(|v| !v.trim().is_empty());
        BaseEnv {
            wasmgate_base: var("WASMGATE_BASE"),
            github_base_ref: var("GITHUB_BASE_REF"),
            gitlab_diff_base_sha: var("CI_MERGE_REQUEST_DIFF_BASE_SHA"),
            gitlab_target_branch: var("CI_MERGE_REQUEST_TARGET_BRANCH_NAME"),
        }
    }
}

/// The base the user asked for by name — `--base`, or a variable that names one — as
/// (reference, reason); None when the base is off or only auto-detected from the repository.
/// A base asked for by name that cannot be used is an error, never a run without one.
pub fn explicit(request: BaseRequest<'_>, env: &BaseEnv) -> Option<(String, String)> {
    match request {
        BaseRequest::Off => None,
        BaseRequest::Explicit(reference) => Some((reference.to_string(), "--base".to_string())),
        BaseRequest::Detect => variable(env).map(|(reference, reason, _)| (reference, reason)),
    }
}

/// Resolves the base. `Ok(None)` when there is none (turned off, or nothing to detect
/// locally); an error when a base was asked for but cannot be used.
pub fn resolve(
    repo: &Repo,
    request: BaseRequest<'_>,
    env: &BaseEnv,
) -> Result<Option<Base>, Error> {
    let Some(head) = repo.head() else {
        return Ok(None);
    };
    let (reference, reason, candidates) = match request {
        BaseRequest::Off => return Ok(None),
        BaseRequest::Explicit(reference) => (
            reference.to_string(),
            "--base".to_string(),
            vec![reference.to_string()],
        ),
        BaseRequest::Detect => match detect(repo, env) {
            Some(found) => found,
            None => return Ok(None),
        },
    };
    let tip = candidates
        .iter()
        .find_map(|candidate| peel(repo, candidate))
        .ok_or_else(|| Error::UnknownBase {
            reference: reference.clone(),
            reason: reason.clone(),
            shallow: repo.raw().is_shallow(),
        })?;
    let merge_base = repo.raw().merge_base(head, tip).map_err(|e| {
        if repo.raw().is_shallow() || e.code() == git2::ErrorCode::NotFound {
            Error::NoMergeBase {
                reference: reference.clone(),
                shallow: repo.raw().is_shallow(),
            }
        } else {
            git_error("find the merge-base", &e)
        }
    })?;
    Ok(Some(Base {
        reference,
        tip,
        merge_base,
        reason,
    }))
}

/// (reference, reason, refs to try) from CI variables, the upstream, the remote's default
/// branch, or a local `main`/`master`.
fn detect(repo: &Repo, env: &BaseEnv) -> Option<(String, String, Vec<String>)> {
    if let Some(found) = variable(env) {
        return Some(found);
    }
    let raw = repo.raw();
    // The branch's own upstream (`pr` tracking `origin/pr`) holds the change itself: trusting
    // its files would let the change judge itself. Only an upstream of another name is a base.
    if let Ok(head) = raw.head()
        && head.is_branch()
        && let Some(name) = head.name()
        && let Ok(upstream) = raw.branch_upstream_name(name)
        && let Some(upstream) = upstream.as_str()
    {
        let short = upstream
            .strip_prefix("refs/remotes/")
            .or_else(|| upstream.strip_prefix("refs/heads/"))
            .unwrap_or(upstream)
            .to_string();
        let branch = head.shorthand().unwrap_or("HEAD").to_string();
        let upstream_branch = short.split_once('/').map_or(short.as_str(), |(_, b)| b);
        if upstream_branch != branch && short != branch {
            return Some((
                short,
                format!("upstream of {branch}"),
                vec![upstream.to_string()],
            ));
        }
    }
    detect_default(repo)
}

/// The first CI variable that names a base.
fn variable(env: &BaseEnv) -> Option<(String, String, Vec<String>)> {
    // (value, reason, is a branch name): the first that is set wins. A branch name is tried
    // as the remote-tracking `origin/NAME` first, then as a local ref.
    let variables = [
        (&env.wasmgate_base, "WASMGATE_BASE", false),
        (&env.github_base_ref, "GITHUB_BASE_REF (pull request)", true),
        (
            &env.gitlab_diff_base_sha,
            "CI_MERGE_REQUEST_DIFF_BASE_SHA (merge request)",
            false,
        ),
        (
            &env.gitlab_target_branch,
            "CI_MERGE_REQUEST_TARGET_BRANCH_NAME (merge request)",
            true,
        ),
    ];
    let (value, reason, branch) = variables
        .into_iter()
        .find_map(|(value, reason, branch)| Some((value.as_ref()?, reason, branch)))?;
    Some(if branch {
        (
            format!("origin/{value}"),
            reason.to_string(),
            vec![format!("origin/{value}"), value.clone()],
        )
    } else {
        (value.clone(), reason.to_string(), vec![value.clone()])
    })
}

/// The remote's default branch, else a local `main`/`master` other than the current branch.
fn detect_default(repo: &Repo) -> Option<(String, String, Vec<String>)> {
    let raw = repo.raw();
    if let Some(target) = raw
        .find_reference("refs/remotes/origin/HEAD")
        .ok()
        .and_then(|r| r.symbolic_target().map(String::from))
    {
        let short = target
            .strip_prefix("refs/remotes/")
            .unwrap_or(&target)
            .to_string();
        return Some((
            short,
            "the remote's default branch".to_string(),
            vec![target],
        ));
    }
    // A repository without remotes (a local experiment, a test): a feature branch is compared
    // with the local `main` or `master`.
    let current = raw
        .head()
        .ok()
        .and_then(|h| h.shorthand().map(String::from));
    ["main", "master"]
        .into_iter()
        .filter(|name| current.as_deref() != Some(*name))
        .find(|name| raw.find_reference(&format!("refs/heads/{name}")).is_ok())
        .map(|name| {
            (
                name.to_string(),
                format!("the local {name} branch (no upstream or remote)"),
                vec![format!("refs/heads/{name}")],
            )
        })
}

fn peel(repo: &Repo, reference: &str) -> Option<Oid> {
    repo.raw()
        .revparse_single(reference)
        .ok()?
        .peel_to_commit()
        .ok()
        .map(|commit| commit.id())
}
