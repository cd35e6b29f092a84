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
    let raw = repo.raw();
    let mut series: BTreeMap<String, Vec<HistoryPoint>> = BTreeMap::new();
    let mut walk = raw.revwalk().map_err(|e| git_error("walk history", &e))?;
    walk.push(from)
        .and_then(|()| walk.simplify_first_parent())
        .map_err(|e| git_error("walk history", &e))?;
    let mut points = 0;
    for oid in walk.take(MAX_WALK) {
        if points >= cap {
            break;
        }
        let oid = oid.map_err(|e| git_error("walk history", &e))?;
        let commit = raw
            .find_commit(oid)
            .map_err(|e| git_error("read a commit", &e))?;
        let blob = |commit: &git2::Commit<'_>| {
            commit
                .tree()
                .ok()
                .and_then(|tree| tree.get_path(std::path::Path::new(baseline_path)).ok())
                .map(|entry| entry.id())
        };
        let here = blob(&commit);
        let parent = commit.parent(0).ok().and_then(|p| blob(&p));
        if here.is_none() || here == parent {
            continue;
        }
        let Some(bytes) =
            repo.read_at(oid, baseline_path, crate::untrusted::Kind::GateFile.cap())?
        else {
            continue;
        };
        let Ok(parsed) = baseline::parse(&bytes, baseline_path, &oid.to_string()) else {
            continue;
        };
        let date = crate::facts::git::rfc3339(commit.committer().when());
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
