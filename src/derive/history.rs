//! The size history of each artifact, from the commits that changed the committed baseline
//! (first-parent, newest first, capped), for trends and anomaly detection.

use std::collections::BTreeMap;

use git2::Oid;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use crate::derive::baseline;
use crate::diag::Error;
use crate::git::{Repo, git_error};

/// Commits walked at most, whatever the cap on points: bounds the time on huge histories.
const MAX_WALK: usize = 20_000;

/// One point of an artifact's size history.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct HistoryPoint {
    /// The commit that changed the baseline.
    pub commit: String,
    /// Its date (RFC 3339).
    pub date: String,
    /// Raw bytes accepted at that commit.
    pub raw: u64,
    /// gzip bytes, if recorded.
    pub gzip: Option<u64>,
    /// brotli bytes, if recorded.
    pub brotli: Option<u64>,
}

/// Per-artifact series from the baseline's history at `from` (newest first). Baselines that
/// do not parse are skipped: history is context, not a gate.
pub fn collect(
    repo: &Repo,
    from: Oid,
    baseline_path: &str,
    cap: usize,
) -> Result<BTreeMap<String, Vec<HistoryPoint>>, Error> {
    let mut series: BTreeMap<String, Vec<HistoryPoint>> = BTreeMap::new();
    let mut points = 0;
    for change in changes(repo, from, baseline_path)? {
        if points >= cap {
            break;
        }
        let (oid, date) = change?;
        let Some(bytes) =
            repo.read_at(oid, baseline_path, crate::untrusted::Kind::GateFile.cap())?
        else {
            continue;
        };
        let Ok(parsed) = baseline::parse(&bytes, baseline_path, &oid.to_string()) else {
            continue;
        };
        for (path, entry) in parsed.artifacts {
            series.entry(path).or_default().push(HistoryPoint {
                commit: oid.to_string(),
                date: date.clone(),
                raw: entry.size.raw,
                gzip: entry.size.gzip,
                brotli: entry.size.brotli,
            });
        }
        points += 1;
    }
    Ok(series)
}

/// The first-parent commits from `from` (newest first) whose version of `path` differs from
/// their parent's, with their committer dates; at most `MAX_WALK` commits are looked at.
pub(crate) fn changes<'r>(
    repo: &'r Repo,
    from: Oid,
    path: &'r str,
) -> Result<impl Iterator<Item = Result<(Oid, String), Error>> + 'r, Error> {
    let raw = repo.raw();
    let mut walk = raw.revwalk().map_err(|e| git_error("walk history", &e))?;
    walk.push(from)
        .and_then(|()| walk.simplify_first_parent())
        .map_err(|e| git_error("walk history", &e))?;
    Ok(walk.take(MAX_WALK).filter_map(move |oid| {
        let found = oid.and_then(|oid| raw.find_commit(oid));
        let commit = match found {
            Ok(commit) => commit,
            Err(e) => return Some(Err(git_error("read a commit", &e))),
        };
        let blob = |commit: &git2::Commit<'_>| {
            commit
                .tree()
                .ok()
                .and_then(|tree| tree.get_path(std::path::Path::new(path)).ok())
                .map(|entry| entry.id())
        };
        let here = blob(&commit);
        if here.is_none() || here == commit.parent(0).ok().and_then(|p| blob(&p)) {
            return None;
        }
        let date = crate::facts::git::rfc3339(commit.committer().when());
        Some(Ok((commit.id(), date)))
    }))
}
