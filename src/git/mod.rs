//! Access to the repository wasmgate runs in, through libgit2: opening it, choosing the base,
//! and reading files as they are at a commit (no checkout, no `git` process).
//!
//! This is plumbing shared by the git fact collector, the baseline and the trust rules; it
//! records nothing and decides nothing.

pub mod base;

use std::path::{Path, PathBuf};

use git2::{ErrorCode, Oid, Repository};

use crate::diag::Error;

/// An opened repository with its work tree.
pub struct Repo {
    repo: Repository,
    workdir: PathBuf,
}

impl std::fmt::Debug for Repo {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Repo")
            .field("workdir", &self.workdir)
            .finish()
    }
}

impl Repo {
    /// Opens the repository that holds `dir`. `Ok(None)` when `dir` is in no repository;
    /// an error when there is one that git refuses to open (e.g. owned by another user).
    pub fn discover(dir: &Path) -> Result<Option<Repo>, Error> {
        let repo = match Repository::discover(dir) {
            Ok(repo) => repo,
            Err(e) if e.code() == ErrorCode::NotFound => return Ok(None),
            Err(e) if e.code() == ErrorCode::Owner => {
                return Err(Error::GitOwnership {
                    path: dir.display().to_string(),
                    message: e.message().to_string(),
                });
            }
            Err(e) => return Err(git_error("open the repository", &e)),
        };
        let Some(workdir) = repo.workdir().map(Path::to_path_buf) else {
            return Ok(None);
        };
        let workdir = workdir.canonicalize().unwrap_or(workdir);
        Ok(Some(Repo { repo, workdir }))
    }

    /// The libgit2 handle.
    pub fn raw(&self) -> &Repository {
        &self.repo
    }

    /// The work tree's root directory.
    pub fn workdir(&self) -> &Path {
        &self.workdir
    }

    /// HEAD's commit id, or None in a repository without commits.
    pub fn head(&self) -> Option<Oid> {
        self.repo.head().ok()?.peel_to_commit().ok().map(|c| c.id())
    }

    /// `path` (absolute or relative to the work tree) as a work-tree-relative path with `/`.
    pub fn relative(&self, path: &Path) -> Option<String> {
        let absolute = if path.is_absolute() {
            path.to_path_buf()
        } else {
            self.workdir.join(path)
        };
        let absolute = canonical_or_parent(&absolute);
        let relative = absolute.strip_prefix(&self.workdir).ok()?;
        Some(
            relative
                .components()
                .map(|c| c.as_os_str().to_string_lossy())
                .collect::<Vec<_>>()
                .join("/"),
        )
    }

    /// The bytes of `path` (work-tree-relative, `/`-separated) at `commit`; None if absent.
    pub fn read_at(&self, commit: Oid, path: &str) -> Result<Option<Vec<u8>>, Error> {
        let tree = self
            .repo
            .find_commit(commit)
            .and_then(|c| c.tree())
            .map_err(|e| git_error("read a commit", &e))?;
        let entry = match tree.get_path(Path::new(path)) {
            Ok(entry) => entry,
            Err(e) if e.code() == ErrorCode::NotFound => return Ok(None),
            Err(e) => return Err(git_error("read a tree", &e)),
        };
        let object = entry
            .to_object(&self.repo)
            .map_err(|e| git_error("read a blob", &e))?;
        Ok(object.as_blob().map(|blob| blob.content().to_vec()))
    }

    /// Every file under `dir` (work-tree-relative; `""` for the root) at `commit`, sorted.
    pub fn list_at(&self, commit: Oid, dir: &str) -> Result<Vec<String>, Error> {
        let tree = self
            .repo
            .find_commit(commit)
            .and_then(|c| c.tree())
            .map_err(|e| git_error("read a commit", &e))?;
        let subtree = if dir.is_empty() {
            tree
        } else {
            match tree.get_path(Path::new(dir)) {
                Ok(entry) => match entry
                    .to_object(&self.repo)
                    .ok()
                    .and_then(|o| o.into_tree().ok())
                {
                    Some(subtree) => subtree,
                    None => return Ok(Vec::new()),
                },
                Err(_) => return Ok(Vec::new()),
            }
        };
        let mut files = Vec::new();
        let prefix = if dir.is_empty() {
            String::new()
        } else {
            format!("{dir}/")
        };
        subtree
            .walk(git2::TreeWalkMode::PreOrder, |parent, entry| {
                if entry.kind() == Some(git2::ObjectType::Blob)
                    && let Some(name) = entry.name()
                {
                    files.push(format!("{prefix}{parent}{name}"));
                }
                git2::TreeWalkResult::Ok
            })
            .map_err(|e| git_error("walk a tree", &e))?;
        files.sort();
        Ok(files)
    }
}

/// The path canonicalised, or its parent canonicalised plus its name when it does not exist.
fn canonical_or_parent(path: &Path) -> PathBuf {
    if let Ok(canonical) = path.canonicalize() {
        return canonical;
    }
    match (path.parent(), path.file_name()) {
        (Some(parent), Some(name)) => canonical_or_parent(parent).join(name),
        _ => path.to_path_buf(),
    }
}

/// A libgit2 failure as a wasmgate error.
pub fn git_error(doing: &str, error: &git2::Error) -> Error {
    Error::Git {
        doing: doing.to_string(),
        message: error.message().to_string(),
    }
}
