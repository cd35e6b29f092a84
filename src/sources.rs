//! The gate's own files — `wasmgate.toml`, user policies, the baseline — read from the work
//! tree or from a commit, and which of them differ between the merge-base and the work tree.
//!
//! The PR under test is untrusted: with a base, these files come from the merge-base, so a
//! change that loosens the gate cannot pass itself; the change is reported instead.

use std::path::{Path, PathBuf};

use git2::Oid;
use walkdir::WalkDir;

use crate::config::{self, LoadedConfig};
use crate::diag::Error;
use crate::facts::git::GoverningChange;
use crate::git::Repo;
use crate::policy::PolicySource;

/// Where a file is read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Revision {
    /// The files on disk.
    WorkTree,
    /// A commit (the merge-base), through libgit2.
    Commit(Oid),
}

/// The config at `revision`. `path` is the work-tree config file (it may not exist there).
pub fn config_at(
    repo: Option<&Repo>,
    revision: Revision,
    path: &Path,
) -> Result<LoadedConfig, Error> {
    match (
        revision,
        repo.and_then(|r| r.relative(path).map(|rel| (r, rel))),
    ) {
        (Revision::Commit(commit), Some((repo, relative))) => {
            match repo.read_at(commit, &relative)? {
                Some(bytes) => {
                    let text = String::from_utf8_lossy(&bytes).into_owned();
                    let display = format!("{relative}@{}", short(commit));
                    Ok(config::load_text(path, &display, text)?)
                }
                None => Ok(LoadedConfig::default()),
            }
        }
        _ if path.is_file() => Ok(config::load(path)?),
        _ => Ok(LoadedConfig::default()),
    }
}

/// User policy files under `paths` (files or directories) at `revision`; absent paths are
/// skipped. `*.rego` only, `*_test.rego` excluded, sorted.
pub fn policies_at(
    repo: Option<&Repo>,
    revision: Revision,
    paths: &[PathBuf],
    root: &Path,
) -> Result<Vec<PolicySource>, Error> {
    let mut sources = Vec::new();
    for path in paths {
        match (
            revision,
            repo.and_then(|r| r.relative(path).map(|rel| (r, rel))),
        ) {
            (Revision::Commit(commit), Some((repo, relative))) => {
                let single = repo.read_at(commit, &relative).ok().flatten();
                let files = match single {
                    Some(_) => vec![relative.clone()],
                    None => repo.list_at(commit, &relative)?,
                };
                for file in files.into_iter().filter(|f| is_policy(f)) {
                    if let Some(bytes) = repo.read_at(commit, &file)? {
                        sources.push(PolicySource {
                            name: relative_to_root(repo, &file, root),
                            text: String::from_utf8_lossy(&bytes).into_owned(),
                        });
                    }
                }
            }
            _ => sources.extend(policy_files(path, root, false)?),
        }
    }
    Ok(sources)
}

/// Policy files from disk; `required` paths must exist.
pub fn policy_files(path: &Path, root: &Path, required: bool) -> Result<Vec<PolicySource>, Error> {
    let files: Vec<PathBuf> = if path.is_file() {
        vec![path.to_path_buf()]
    } else if path.is_dir() {
        WalkDir::new(path)
            .sort_by_file_name()
            .into_iter()
            .filter_map(Result::ok)
            .filter(|entry| entry.file_type().is_file())
            .map(walkdir::DirEntry::into_path)
            .filter(|file| is_policy(&file.to_string_lossy()))
            .collect()
    } else if required {
        return Err(Error::PolicyLoad {
            path: path.display().to_string(),
            message: "no such file or directory".to_string(),
        });
    } else {
        Vec::new()
    };
    files
        .into_iter()
        .map(|file| {
            let name = crate::discover::display_path(&file, root);
            let text = std::fs::read_to_string(&file).map_err(|e| Error::PolicyLoad {
                path: name.clone(),
                message: e.to_string(),
            })?;
            Ok(PolicySource { name, text })
        })
        .collect()
}

fn is_policy(name: &str) -> bool {
    name.ends_with(".rego") && !name.ends_with("_test.rego")
}

/// A work-tree-relative path as a root-relative display name.
fn relative_to_root(repo: &Repo, file: &str, root: &Path) -> String {
    crate::discover::display_path(&repo.workdir().join(file), root)
}

/// The bytes of `path` at `revision`; None when it does not exist there.
pub fn file_at(
    repo: Option<&Repo>,
    revision: Revision,
    path: &Path,
) -> Result<Option<Vec<u8>>, Error> {
    match (
        revision,
        repo.and_then(|r| r.relative(path).map(|rel| (r, rel))),
    ) {
        (Revision::Commit(commit), Some((repo, relative))) => repo.read_at(commit, &relative),
        _ => Ok(std::fs::read(path).ok()),
    }
}

/// Compares the governing files at the merge-base with the work tree.
pub fn governing_changes(
    repo: &Repo,
    merge_base: Oid,
    config_path: &Path,
    policy_paths: &[PathBuf],
    baseline_path: &Path,
    key_paths: &[PathBuf],
    root: &Path,
) -> Result<Vec<GoverningChange>, Error> {
    let mut changes = Vec::new();
    let mut compare = |path: &Path, kind: &str| -> Result<(), Error> {
        let Some(relative) = repo.relative(path) else {
            return Ok(());
        };
        let before = repo.read_at(merge_base, &relative)?;
        let after = std::fs::read(repo.workdir().join(&relative)).ok();
        let change = match (&before, &after) {
            (None, Some(_)) => "added",
            (Some(_), None) => "deleted",
            (Some(a), Some(b)) if a != b => "modified",
            _ => return Ok(()),
        };
        changes.push(GoverningChange {
            path: relative,
            kind: kind.to_string(),
            change: change.to_string(),
        });
        Ok(())
    };
    compare(config_path, "config")?;
    compare(baseline_path, "baseline")?;
    for key in key_paths {
        compare(key, "key")?;
    }
    let mut files: Vec<PathBuf> = Vec::new();
    for path in policy_paths {
        let at_base = policies_at(
            Some(repo),
            Revision::Commit(merge_base),
            std::slice::from_ref(path),
            root,
        )?;
        for source in at_base.into_iter().chain(policy_files(path, root, false)?) {
            files.push(root.join(&source.name));
        }
    }
    files.sort();
    files.dedup();
    for file in files {
        compare(&file, "policy")?;
    }
    changes.sort_by(|a, b| a.path.cmp(&b.path));
    Ok(changes)
}

fn short(commit: Oid) -> String {
    commit.to_string().chars().take(12).collect()
}
