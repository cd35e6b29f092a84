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

    /// `path` (absolute or relative to the work tree) as a work-tree-relative path with `/`,
    /// computed lexically: a link the PR commits cannot move a path in or out of the tree.
    pub fn relative(&self, path: &Path) -> Option<String> {
        let absolute = if path.is_absolute() {
            path.to_path_buf()
        } else {
            self.workdir.join(path)
        };
        crate::untrusted::relative_to(&absolute, &self.workdir)
    }

    /// The bytes of `path` (work-tree-relative, `/`-separated) at `commit` when it is a
    /// regular file there of at most `cap` bytes; None if absent or anything else (a link, a
    /// submodule, a tree).
    pub fn read_at(&self, commit: Oid, path: &str, cap: u64) -> Result<Option<Vec<u8>>, Error> {
        match self.entry_at(commit, path)? {
            TreeEntry::File(blob) => self.blob(blob, path, commit, cap).map(Some),
            _ => Ok(None),
        }
    }

    /// What `path` is at `commit`, walking the tree one component at a time so that a link
    /// or submodule on the way is reported as what it is, never followed. Nothing is read.
    pub fn entry_at(&self, commit: Oid, path: &str) -> Result<TreeEntry, Error> {
        let mut tree = self
            .repo
            .find_commit(commit)
            .and_then(|c| c.tree())
            .map_err(|e| git_error("read a commit", &e))?;
        let components: Vec<&str> = path.split('/').filter(|c| !c.is_empty()).collect();
        if components.is_empty() {
            return Ok(TreeEntry::Dir);
        }
        for (index, name) in components.iter().enumerate() {
            let last = index + 1 == components.len();
            let Some((mode, id)) = tree.get_name(name).map(|e| (e.filemode(), e.id())) else {
                return Ok(TreeEntry::Missing);
            };
            match mode {
                0o040000 => {
                    let Ok(subtree) = self.repo.find_tree(id) else {
                        return Ok(TreeEntry::Missing);
                    };
                    if last {
                        return Ok(TreeEntry::Dir);
                    }
                    tree = subtree;
                }
                0o120000 => return Ok(TreeEntry::NotRegular("symlink")),
                0o160000 => return Ok(TreeEntry::NotRegular("submodule")),
                _ if !last => return Ok(TreeEntry::Missing),
                _ => return Ok(TreeEntry::File(id)),
            }
        }
        Ok(TreeEntry::Missing)
    }

    /// The contents of the blob `id` (at `path` in `commit`, for the message); one larger
    /// than `cap` is an error, found from the object header before it is inflated.
    pub fn blob(&self, id: Oid, path: &str, commit: Oid, cap: u64) -> Result<Vec<u8>, Error> {
        let odb = self
            .repo
            .odb()
            .map_err(|e| git_error("open the object database", &e))?;
        let (size, _) = odb
            .read_header(id)
            .map_err(|e| git_error("read a blob", &e))?;
        if size as u64 > cap {
            return Err(Error::BlobTooLarge {
                path: path.to_string(),
                commit: commit.to_string(),
                size: size as u64,
                cap,
            });
        }
        let blob = self
            .repo
            .find_blob(id)
            .map_err(|e| git_error("read a blob", &e))?;
        Ok(blob.content().to_vec())
    }

    /// Every entry that is not a tree under `dir` (work-tree-relative; `""` for the root) at
    /// `commit`, sorted: regular files, links and submodules alike (`entry_at` tells them apart).
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
                if entry.kind() != Some(git2::ObjectType::Tree)
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

/// What a path is in a commit's tree.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TreeEntry {
    /// Not there.
    Missing,
    /// A regular file: its blob.
    File(Oid),
    /// A tree.
    Dir,
    /// A link or a submodule (on the way or at the end): `symlink`, `submodule`.
    NotRegular(&'static str),
}

/// A libgit2 failure as a wasmgate error.
pub fn git_error(doing: &str, error: &git2::Error) -> Error {
    Error::Git {
        doing: doing.to_string(),
        message: error.message().to_string(),
    }
}
