//! The git fact collector: HEAD, the base and merge-base, the files the change touches, and
//! the commits in merge-base..HEAD with their trailers and AI provenance.
//!
//! It records who says what (trailers, identities) and never decides whether that is allowed;
//! `policies/ai.rego` does.

use git2::{Commit, DiffOptions, Oid, Sort};
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use crate::config::AiConfig;
use crate::diag::Error;
use crate::git::base::Base;
use crate::git::{Repo, git_error};

/// Commits beyond this many in merge-base..HEAD are not read (`commits_truncated` is set).
pub const MAX_COMMITS: usize = 5_000;

/// Everything wasmgate knows about the repository and the change.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
pub struct GitFacts {
    /// The commit under test.
    pub head: Head,
    /// The base and merge-base; null without a base (`--no-base`, or none found locally).
    pub base: Option<BaseFacts>,
    /// Where config, policies and the baseline were read: `base` (the merge-base) or `head`.
    pub trust: String,
    /// Files that differ between the merge-base and HEAD; empty without a base.
    pub changed_files: Vec<ChangedFile>,
    /// Commits in merge-base..HEAD, newest first; empty without a base.
    pub commits: Vec<CommitFacts>,
    /// True when there were more than 5000 commits and the rest were not read.
    pub commits_truncated: bool,
    /// AI provenance across `commits`.
    pub ai: AiSummary,
    /// Files that govern the gate (config, policies, baseline) that differ between the
    /// merge-base and the work tree.
    pub governing_changes: Vec<GoverningChange>,
}

/// HEAD.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
pub struct Head {
    /// Commit id.
    pub sha: String,
    /// Branch name; null when HEAD is detached (as in most CI checkouts).
    pub branch: Option<String>,
    /// HEAD is detached.
    pub detached: bool,
}

/// The base of the comparison.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
pub struct BaseFacts {
    /// The ref, e.g. `origin/main`.
    pub reference: String,
    /// The ref's commit.
    pub sha: String,
    /// The merge-base of the ref and HEAD: what everything is compared against.
    pub merge_base: String,
    /// Why this base: `--base`, `WASMGATE_BASE`, `GITHUB_BASE_REF (pull request)`, …
    pub reason: String,
}

/// A file the change touches.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
pub struct ChangedFile {
    /// `added`, `deleted`, `modified`, `renamed`, `copied` or `typechange`.
    pub status: String,
    /// Path after the change, relative to the repository root.
    pub path: String,
    /// Path before a rename or copy; null otherwise.
    pub old_path: Option<String>,
}

/// A person as git records them.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
pub struct Person {
    /// Name.
    pub name: String,
    /// Email address.
    pub email: String,
}

/// A commit message trailer (`Key: value`).
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
pub struct Trailer {
    /// The key as written, e.g. `Assisted-by`.
    pub key: String,
    /// The value.
    pub value: String,
}

/// One commit of the change.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
pub struct CommitFacts {
    /// Commit id.
    pub sha: String,
    /// Author.
    pub author: Person,
    /// Committer.
    pub committer: Person,
    /// Commit date (committer time) in RFC 3339 with its offset.
    pub date: String,
    /// First line of the message.
    pub subject: String,
    /// Parsed trailers in message order.
    pub trailers: Vec<Trailer>,
    /// Files this commit changed against its first parent, sorted.
    pub files: Vec<String>,
    /// AI provenance.
    pub ai: CommitAi,
}

/// Whether a commit is AI-assisted, by which tool, and who reviewed it.
#[derive(Debug, Clone, Default, Serialize, Deserialize, JsonSchema)]
pub struct CommitAi {
    /// An AI trailer (`[ai] trailers`) or a `Co-authored-by` naming an AI identity.
    pub assisted: bool,
    /// The tools named, e.g. `Claude`, `GitHub Copilot`.
    pub tools: Vec<String>,
    /// The trailer keys that said so, e.g. `Assisted-by`, `Co-authored-by`.
    pub via: Vec<String>,
    /// Values of review trailers (`[ai] review_trailer`) that name a person, not an AI.
    pub human_reviewers: Vec<String>,
}

/// AI provenance over the whole change.
#[derive(Debug, Clone, Default, Serialize, Deserialize, JsonSchema)]
pub struct AiSummary {
    /// Commits in the change.
    pub commits: usize,
    /// AI-assisted commits.
    pub assisted: usize,
    /// `assisted / commits`, 0 when there are no commits.
    pub share: f64,
    /// Every tool named, sorted and unique.
    pub tools: Vec<String>,
}

/// A file that governs the gate and differs from the merge-base.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
pub struct GoverningChange {
    /// Path relative to the repository root.
    pub path: String,
    /// `config`, `policy` or `baseline`.
    pub kind: String,
    /// `added`, `modified` or `deleted`.
    pub change: String,
}

/// Collects the git facts. `governing_changes` is filled in by the caller, which knows which
/// files govern the gate.
pub fn collect(
    repo: &Repo,
    base: Option<&Base>,
    trust: &str,
    ai: &AiConfig,
) -> Result<GitFacts, Error> {
    let raw = repo.raw();
    let head_commit = raw
        .head()
        .and_then(|h| h.peel_to_commit())
        .map_err(|e| git_error("read HEAD", &e))?;
    let detached = raw.head_detached().unwrap_or(false);
    let branch = if detached {
        None
    } else {
        raw.head()
            .ok()
            .and_then(|h| h.shorthand().map(String::from))
    };
    let mut facts = GitFacts {
        head: Head {
            sha: head_commit.id().to_string(),
            branch,
            detached,
        },
        base: base.map(|b| BaseFacts {
            reference: b.reference.clone(),
            sha: b.tip.to_string(),
            merge_base: b.merge_base.to_string(),
            reason: b.reason.clone(),
        }),
        trust: trust.to_string(),
        changed_files: Vec::new(),
        commits: Vec::new(),
        commits_truncated: false,
        ai: AiSummary::default(),
        governing_changes: Vec::new(),
    };
    let Some(base) = base else {
        return Ok(facts);
    };
    facts.changed_files = changed_files(repo, base.merge_base, head_commit.id())?;
    let mut walk = raw.revwalk().map_err(|e| git_error("walk history", &e))?;
    walk.set_sorting(Sort::TOPOLOGICAL | Sort::TIME)
        .and_then(|()| walk.push(head_commit.id()))
        .and_then(|()| walk.hide(base.merge_base))
        .map_err(|e| git_error("walk history", &e))?;
    for oid in walk {
        if facts.commits.len() >= MAX_COMMITS {
            facts.commits_truncated = true;
            break;
        }
        let oid = oid.map_err(|e| git_error("walk history", &e))?;
        let commit = raw
            .find_commit(oid)
            .map_err(|e| git_error("read a commit", &e))?;
        facts.commits.push(commit_facts(repo, &commit, ai)?);
    }
    facts.ai = summarise(&facts.commits);
    Ok(facts)
}

fn changed_files(repo: &Repo, from: Oid, to: Oid) -> Result<Vec<ChangedFile>, Error> {
    let raw = repo.raw();
    let tree = |oid: Oid| {
        raw.find_commit(oid)
            .and_then(|c| c.tree())
            .map_err(|e| git_error("read a tree", &e))
    };
    let mut diff = raw
        .diff_tree_to_tree(Some(&tree(from)?), Some(&tree(to)?), None)
        .map_err(|e| git_error("diff the change", &e))?;
    diff.find_similar(None)
        .map_err(|e| git_error("find renames", &e))?;
    let mut files: Vec<ChangedFile> = diff
        .deltas()
        .map(|delta| {
            let new = delta.new_file().path().map(path_string);
            let old = delta.old_file().path().map(path_string);
            let status = status_name(delta.status());
            let renamed = matches!(status, "renamed" | "copied");
            ChangedFile {
                status: status.to_string(),
                path: new.clone().or_else(|| old.clone()).unwrap_or_default(),
                old_path: if renamed { old } else { None },
            }
        })
        .collect();
    files.sort_by(|a, b| a.path.cmp(&b.path));
    Ok(files)
}

fn commit_facts(repo: &Repo, commit: &Commit<'_>, ai: &AiConfig) -> Result<CommitFacts, Error> {
    let message = commit.message().unwrap_or_default();
    let trailers: Vec<Trailer> = git2::message_trailers_strs(message)
        .map(|parsed| {
            parsed
                .iter()
                .map(|(key, value)| Trailer {
                    key: key.to_string(),
                    value: value.to_string(),
                })
                .collect()
        })
        .unwrap_or_default();
    let person = |signature: git2::Signature<'_>| Person {
        name: signature.name().unwrap_or_default().to_string(),
        email: signature.email().unwrap_or_default().to_string(),
    };
    Ok(CommitFacts {
        sha: commit.id().to_string(),
        author: person(commit.author()),
        committer: person(commit.committer()),
        date: rfc3339(commit.committer().when()),
        subject: commit.summary().unwrap_or_default().to_string(),
        ai: provenance(&trailers, ai),
        trailers,
        files: touched(repo, commit)?,
    })
}

/// Files a commit changed against its first parent (all files for a root commit).
fn touched(repo: &Repo, commit: &Commit<'_>) -> Result<Vec<String>, Error> {
    let tree = commit.tree().map_err(|e| git_error("read a tree", &e))?;
    let parent_tree = match commit.parent(0) {
        Ok(parent) => Some(parent.tree().map_err(|e| git_error("read a tree", &e))?),
        Err(_) => None,
    };
    let mut options = DiffOptions::new();
    let diff = repo
        .raw()
        .diff_tree_to_tree(parent_tree.as_ref(), Some(&tree), Some(&mut options))
        .map_err(|e| git_error("diff a commit", &e))?;
    let mut files: Vec<String> = diff
        .deltas()
        .flat_map(|delta| [delta.old_file().path(), delta.new_file().path()])
        .flatten()
        .map(path_string)
        .collect();
    files.sort();
    files.dedup();
    Ok(files)
}

/// AI provenance of one commit from its trailers and the configured vocabulary.
fn provenance(trailers: &[Trailer], ai: &AiConfig) -> CommitAi {
    let mut result = CommitAi::default();
    let is_key = |trailer: &Trailer, key: &str| trailer.key.eq_ignore_ascii_case(key);
    for trailer in trailers {
        let identity = ai_identity(&trailer.value, &ai.identities);
        let ai_trailer = ai.trailers.iter().any(|key| is_key(trailer, key));
        let ai_coauthor = is_key(trailer, "Co-authored-by") && identity.is_some();
        if ai_trailer || ai_coauthor {
            result.assisted = true;
            result.via.push(trailer.key.clone());
            let tool = tool_name(&trailer.value);
            if !tool.is_empty() {
                result.tools.push(tool);
            }
        }
        if is_key(trailer, &ai.review_trailer) && identity.is_none() {
            result.human_reviewers.push(trailer.value.clone());
        }
    }
    for list in [&mut result.tools, &mut result.via] {
        list.sort();
        list.dedup();
    }
    result
}

/// The configured AI identity a trailer value names (case-insensitive substring of the name
/// or address).
fn ai_identity<'a>(value: &str, identities: &'a [String]) -> Option<&'a String> {
    let lower = value.to_lowercase();
    identities
        .iter()
        .find(|identity| lower.contains(&identity.to_lowercase()))
}

/// `Claude <noreply@anthropic.com>` → `Claude`; `GitHub Copilot` stays.
fn tool_name(value: &str) -> String {
    value.split('<').next().unwrap_or(value).trim().to_string()
}

fn summarise(commits: &[CommitFacts]) -> AiSummary {
    let assisted = commits.iter().filter(|c| c.ai.assisted).count();
    let mut tools: Vec<String> = commits
        .iter()
        .flat_map(|c| c.ai.tools.iter().cloned())
        .collect();
    tools.sort();
    tools.dedup();
    AiSummary {
        commits: commits.len(),
        assisted,
        share: if commits.is_empty() {
            0.0
        } else {
            assisted as f64 / commits.len() as f64
        },
        tools,
    }
}

/// A git time (seconds and offset) in RFC 3339, keeping the committer's offset.
pub fn rfc3339(time: git2::Time) -> String {
    let offset = chrono::FixedOffset::east_opt(time.offset_minutes() * 60)
        .or_else(|| chrono::FixedOffset::east_opt(0));
    match (offset, chrono::DateTime::from_timestamp(time.seconds(), 0)) {
        (Some(offset), Some(utc)) => utc.with_timezone(&offset).to_rfc3339(),
        _ => String::new(),
    }
}

fn status_name(status: git2::Delta) -> &'static str {
    match status {
        git2::Delta::Added => "added",
        git2::Delta::Deleted => "deleted",
        git2::Delta::Renamed => "renamed",
        git2::Delta::Copied => "copied",
        git2::Delta::Typechange => "typechange",
        _ => "modified",
    }
}

fn path_string(path: &std::path::Path) -> String {
    path.to_string_lossy().replace('\\', "/")
}
