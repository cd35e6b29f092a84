//! The history of the resources each deployed object declares (memory as priced, replicas),
//! from the commits that changed its manifest (first-parent, newest first, capped): the
//! reference a change of resources is judged against. Manifests are PR data, so every past
//! version is read with the manifest size cap and YAML budget, and one that does not parse is
//! skipped: history is context, not a gate.

use git2::Oid;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use crate::facts::manifests::ManifestObject;
use crate::git::Repo;

/// One version of an object's declared resources.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct ResourcePoint {
    /// The commit that changed the manifest.
    pub commit: String,
    /// Its date (RFC 3339).
    pub date: String,
    /// Memory declared for the artifact (bytes, as priced); null when none.
    pub memory_bytes: Option<u64>,
    /// `spec.replicas`; null when absent.
    pub replicas: Option<u64>,
}

/// An object whose history is wanted, with the container its artifact runs in.
pub struct Wanted<'a> {
    /// The object as it is now.
    pub object: &'a ManifestObject,
    /// The container (null: the whole object).
    pub container: Option<&'a str>,
}

/// Per wanted object (same order), its declared resources at each commit that changed its
/// manifest, newest first, at most `cap` points.
pub fn collect(
    repo: &Repo,
    from: Oid,
    wanted: &[Wanted<'_>],
    cap: usize,
) -> Result<Vec<Vec<ResourcePoint>>, crate::diag::Error> {
    let mut found: Vec<Vec<ResourcePoint>> = vec![Vec::new(); wanted.len()];
    let files: std::collections::BTreeSet<&str> =
        wanted.iter().map(|w| w.object.file.as_str()).collect();
    for file in files {
        for (commit, date, bytes) in versions(repo, from, file, cap)? {
            // Each version is parsed once, for every object of the file.
            let objects = crate::facts::manifests::objects_in(&bytes, file);
            for (want, points) in wanted.iter().zip(found.iter_mut()) {
                if want.object.file != file {
                    continue;
                }
                let Some(old) = objects
                    .iter()
                    .find(|old| crate::facts::manifests::same_object(old, want.object))
                else {
                    continue;
                };
                let (memory_bytes, replicas) =
                    crate::facts::manifests::declared_resources(&old.object, want.container);
                points.push(ResourcePoint {
                    commit: commit.to_string(),
                    date: date.clone(),
                    memory_bytes,
                    replicas,
                });
            }
        }
    }
    Ok(found)
}

/// Every version of `path` that a first-parent commit from `from` introduced, newest first.
fn versions(
    repo: &Repo,
    from: Oid,
    path: &str,
    cap: usize,
) -> Result<Vec<(Oid, String, Vec<u8>)>, crate::diag::Error> {
    let mut found = Vec::new();
    for change in crate::derive::history::changes(repo, from, path)? {
        if found.len() >= cap {
            break;
        }
        let (oid, date) = change?;
        // A version over the cap, or not a file, is not part of the history.
        let Ok(Some(bytes)) = repo.read_at(oid, path, crate::untrusted::Kind::Manifest.cap())
        else {
            continue;
        };
        found.push((oid, date, bytes));
    }
    Ok(found)
}
