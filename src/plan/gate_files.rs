//! The gate's own files — `wasmgate.toml`, user policies, trusted keys, the baseline — found
//! by their repository path (computed lexically, never through the work tree) and read as
//! blobs from the merge-base, or from the work tree when there is no base; and which of them
//! the change touches.
//!
//! The PR under test is untrusted: it may replace a gate file with a link, a submodule or a
//! directory, or add a config closer to where the gate runs. None of that changes what is
//! read; each is recorded as a problem (a deny finding) or a governing change.

use std::path::{Path, PathBuf};

use git2::Oid;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use crate::config::FILE_NAME;
use crate::diag::Error;
use crate::facts::git::GoverningChange;
use crate::git::{Repo, TreeEntry, git_error};
use crate::policy::PolicySource;
use crate::untrusted::{self, Kind, Refusal};

/// A gate file that is not a regular file where one is expected.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize, JsonSchema)]
pub struct GateFileProblem {
    /// Path relative to the repository root.
    pub path: String,
    /// `config`, `policy`, `key` or `baseline`.
    pub kind: String,
    /// Where: `merge-base` or `work tree`.
    pub tree: String,
    /// What is there instead: `symlink`, `submodule`, `directory`, `fifo`, `socket`, `device`.
    pub found: String,
}

/// Where a gate file lives.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum GatePath {
    /// Inside the repository: its `/`-separated path from the work-tree root.
    Repo(String),
    /// Outside any repository, or a path the user named outside it: the user's own file.
    Disk(PathBuf),
}

/// Reads gate files from one tree and collects what is wrong with them.
#[derive(Debug)]
pub struct GateReader<'a> {
    repo: Option<&'a Repo>,
    base: Option<Oid>,
    /// Problems found so far, sorted and deduplicated by `problems()`.
    found: Vec<GateFileProblem>,
}

impl<'a> GateReader<'a> {
    /// Reads from the merge-base when `base` is given, else from the work tree.
    pub fn new(repo: Option<&'a Repo>, base: Option<Oid>) -> GateReader<'a> {
        GateReader {
            repo,
            base,
            found: Vec::new(),
        }
    }

    /// The merge-base being read, if any.
    pub fn base(&self) -> Option<Oid> {
        self.base
    }

    /// Where the gate reads: `merge-base` or `work tree`.
    pub fn tree_name(&self) -> &'static str {
        if self.base.is_some() {
            "merge-base"
        } else {
            "work tree"
        }
    }

    /// The gate path of an absolute path, computed lexically.
    pub fn locate(&self, absolute: &Path) -> GatePath {
        match self.repo.and_then(|repo| repo.relative(absolute)) {
            Some(relative) => GatePath::Repo(relative),
            None => GatePath::Disk(untrusted::lexical(absolute)),
        }
    }

    /// The nearest `wasmgate.toml` from `start` (a directory) up to the repository root, as
    /// the tree being read has it; outside a repository, on disk.
    pub fn find_config(&mut self, start: &Path) -> Result<Option<GatePath>, Error> {
        match self.locate(start) {
            GatePath::Repo(dir) => {
                let mut dir = dir;
                loop {
                    let candidate = join(&dir, FILE_NAME);
                    if !matches!(self.entry(&candidate)?, Found::Missing) {
                        return Ok(Some(GatePath::Repo(candidate)));
                    }
                    if dir.is_empty() {
                        return Ok(None);
                    }
                    dir = match dir.rfind('/') {
                        Some(at) => dir[..at].to_string(),
                        None => String::new(),
                    };
                }
            }
            GatePath::Disk(dir) => Ok(dir
                .ancestors()
                .map(|d| d.join(FILE_NAME))
                .find(|candidate| candidate.is_file())
                .map(GatePath::Disk)),
        }
    }

    /// The bytes of a gate file, at most `cap` of them; None when it is absent or not a
    /// regular file (then a problem is recorded). `kind` names it in problems.
    pub fn file(
        &mut self,
        path: &GatePath,
        kind: &str,
        cap: Kind,
    ) -> Result<Option<Vec<u8>>, Error> {
        let relative = match path {
            GatePath::Disk(path) => {
                return read_disk(path, cap).map(Some).or_else(|e| match e {
                    Refusal::Missing => Ok(None),
                    other => Err(untrusted::error(path, cap, other)),
                });
            }
            GatePath::Repo(relative) => relative,
        };
        if self.base.is_some() {
            self.check_work_tree(relative, kind, false);
        }
        match self.entry(relative)? {
            Found::Missing => Ok(None),
            Found::Dir => {
                self.record(relative, kind, self.tree_name(), "directory");
                Ok(None)
            }
            Found::NotRegular(found) => {
                self.record(relative, kind, self.tree_name(), found);
                Ok(None)
            }
            found => self.read(relative, kind, found, cap),
        }
    }

    /// Policy files at `path` (a file or a directory): `*.rego`, not `*_test.rego`, sorted.
    /// `names` turns a repository path into the name shown in diagnostics. Ok(None) when
    /// nothing is at `path`.
    pub fn policies(
        &mut self,
        path: &GatePath,
        names: &dyn Fn(&str) -> String,
        root: &Path,
    ) -> Result<Option<Vec<PolicySource>>, Error> {
        let relative = match path {
            GatePath::Disk(path) if !path.exists() => return Ok(None),
            GatePath::Disk(path) => return disk_policies(path, root).map(Some),
            GatePath::Repo(relative) => relative.clone(),
        };
        if self.base.is_some() {
            self.check_work_tree(&relative, "policy", true);
        }
        let files = match self.entry(&relative)? {
            Found::Missing => return Ok(None),
            Found::NotRegular(found) => {
                self.record(&relative, "policy", self.tree_name(), found);
                return Ok(Some(Vec::new()));
            }
            Found::Dir => self
                .list(&relative)?
                .into_iter()
                .filter(|file| is_policy(file))
                .collect(),
            Found::Blob(_) | Found::File(_) => vec![relative.clone()],
        };
        let mut sources = Vec::new();
        for file in files {
            let found = self.entry(&file)?;
            let bytes = match found {
                Found::NotRegular(what) => {
                    self.record(&file, "policy", self.tree_name(), what);
                    None
                }
                Found::Missing | Found::Dir => None,
                found => self.read(&file, "policy", found, Kind::GateFile)?,
            };
            if let Some(bytes) = bytes {
                sources.push(PolicySource {
                    name: names(&file),
                    text: String::from_utf8_lossy(&bytes).into_owned(),
                });
            }
        }
        Ok(Some(sources))
    }

    /// Every problem found, sorted.
    pub fn problems(mut self) -> Vec<GateFileProblem> {
        self.found.sort();
        self.found.dedup();
        self.found
    }

    fn record(&mut self, path: &str, kind: &str, tree: &str, found: &str) {
        self.found.push(GateFileProblem {
            path: path.to_string(),
            kind: kind.to_string(),
            tree: tree.to_string(),
            found: found.to_string(),
        });
    }

    /// What `relative` is in the tree being read, found without reading it.
    fn entry(&self, relative: &str) -> Result<Found, Error> {
        Ok(match (self.repo, self.base) {
            (Some(repo), Some(base)) => match repo.entry_at(base, relative)? {
                TreeEntry::Missing => Found::Missing,
                TreeEntry::Dir => Found::Dir,
                TreeEntry::NotRegular(what) => Found::NotRegular(what),
                TreeEntry::File(blob) => Found::Blob(blob),
            },
            (Some(repo), None) => match probe(repo.workdir(), relative) {
                Probe::Missing => Found::Missing,
                Probe::Dir => Found::Dir,
                Probe::NotRegular(what) => Found::NotRegular(what),
                Probe::File(path) => Found::File(path),
            },
            (None, _) => Found::Missing,
        })
    }

    /// The bytes of a regular file `entry` found, at most `cap` of them. A work-tree file that
    /// turned out not to be regular on opening is recorded; one that is there but cannot be
    /// read is an error, never "no file" and so the defaults.
    fn read(
        &mut self,
        relative: &str,
        kind: &str,
        found: Found,
        cap: Kind,
    ) -> Result<Option<Vec<u8>>, Error> {
        match (found, self.repo, self.base) {
            (Found::Blob(blob), Some(repo), Some(base)) => {
                repo.blob(blob, relative, base, cap.cap()).map(Some)
            }
            (Found::File(path), _, _) => match untrusted::read(&path, cap) {
                Ok(bytes) => Ok(Some(bytes)),
                Err(Refusal::Missing) => Ok(None),
                Err(Refusal::NotRegular(what)) => {
                    self.record(relative, kind, self.tree_name(), what);
                    Ok(None)
                }
                Err(refusal) => Err(untrusted::error(&path, cap, refusal)),
            },
            _ => Ok(None),
        }
    }

    /// Everything that is not a directory under `dir` in the tree being read, sorted.
    fn list(&self, dir: &str) -> Result<Vec<String>, Error> {
        match (self.repo, self.base) {
            (Some(repo), Some(base)) => repo.list_at(base, dir),
            (Some(repo), None) => Ok(work_tree_list(repo.workdir(), dir)),
            (None, _) => Ok(Vec::new()),
        }
    }

    /// With a base, the work tree's version is not read, but its type is still checked: a
    /// PR that swaps a gate file for a link must not pass unnoticed.
    fn check_work_tree(&mut self, relative: &str, kind: &str, directory_ok: bool) {
        let Some(repo) = self.repo else { return };
        let workdir = repo.workdir().to_path_buf();
        match probe(&workdir, relative) {
            Probe::NotRegular(found) => self.record(relative, kind, "work tree", found),
            Probe::Dir if !directory_ok => {
                self.record(relative, kind, "work tree", "directory");
            }
            Probe::Dir => {
                for file in work_tree_list(&workdir, relative) {
                    if let Probe::NotRegular(found) = probe(&workdir, &file)
                        && (is_policy(&file) || found == "symlink")
                    {
                        self.record(&file, kind, "work tree", found);
                    }
                }
            }
            Probe::Missing | Probe::File(_) => {}
        }
    }
}

/// What a gate path is, found without reading it.
enum Found {
    Missing,
    Dir,
    NotRegular(&'static str),
    /// A regular file in the merge-base: its blob.
    Blob(Oid),
    /// A regular file in the work tree.
    File(PathBuf),
}

/// The type of a work-tree entry, found without reading it.
enum Probe {
    Missing,
    File(PathBuf),
    Dir,
    NotRegular(&'static str),
}

fn probe(workdir: &Path, relative: &str) -> Probe {
    let mut path = workdir.to_path_buf();
    let components: Vec<&str> = relative.split('/').filter(|c| !c.is_empty()).collect();
    for (index, name) in components.iter().enumerate() {
        path.push(name);
        let last = index + 1 == components.len();
        let Ok(metadata) = std::fs::symlink_metadata(&path) else {
            return Probe::Missing;
        };
        match untrusted::irregular(&metadata) {
            Some("directory") if last => return Probe::Dir,
            Some("directory") => {}
            Some(found) => return Probe::NotRegular(found),
            None if last => return Probe::File(path),
            None => return Probe::Missing,
        }
    }
    Probe::Dir
}

/// Everything that is not a directory under `dir` in the work tree (links are listed, never
/// followed), sorted.
fn work_tree_list(workdir: &Path, dir: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut pending = vec![dir.to_string()];
    while let Some(current) = pending.pop() {
        let Ok(entries) = std::fs::read_dir(workdir.join(&current)) else {
            continue;
        };
        for entry in entries.filter_map(Result::ok) {
            let name = entry.file_name().to_string_lossy().into_owned();
            let relative = join(&current, &name);
            match entry.file_type() {
                Ok(kind) if kind.is_dir() => pending.push(relative),
                _ => out.push(relative),
            }
        }
    }
    out.sort();
    out
}

/// Which gate files differ between the merge-base and the work tree: the files named in
/// `gate` (files or directories) and every `wasmgate.toml` anywhere in the repository.
pub fn governing_changes(
    repo: &Repo,
    merge_base: Oid,
    gate: &[(String, &str)],
) -> Result<Vec<GoverningChange>, Error> {
    let raw = repo.raw();
    let tree = raw
        .find_commit(merge_base)
        .and_then(|c| c.tree())
        .map_err(|e| git_error("read the merge-base", &e))?;
    let mut options = git2::DiffOptions::new();
    options
        .include_untracked(true)
        .recurse_untracked_dirs(true)
        .include_typechange(true)
        .include_typechange_trees(true);
    let diff = raw
        .diff_tree_to_workdir_with_index(Some(&tree), Some(&mut options))
        .map_err(|e| git_error("compare the work tree with the merge-base", &e))?;
    let mut changes = Vec::new();
    for delta in diff.deltas() {
        let path = delta
            .new_file()
            .path()
            .or_else(|| delta.old_file().path())
            .map(|p| p.to_string_lossy().replace('\\', "/"));
        let Some(path) = path else { continue };
        let kind = gate
            .iter()
            .find(|(gate_path, _)| {
                gate_path == &path
                    || path.starts_with(&format!("{gate_path}/"))
                    || gate_path.starts_with(&format!("{path}/"))
            })
            .map(|(_, kind)| (*kind).to_string())
            .or_else(|| {
                (path == FILE_NAME || path.ends_with(&format!("/{FILE_NAME}")))
                    .then(|| "config".to_string())
            });
        let Some(kind) = kind else { continue };
        let change = match delta.status() {
            git2::Delta::Added | git2::Delta::Untracked => "added",
            git2::Delta::Deleted => "deleted",
            git2::Delta::Modified => "modified",
            git2::Delta::Typechange => "type-changed",
            git2::Delta::Renamed => "renamed",
            _ => continue,
        };
        changes.push(GoverningChange {
            path,
            kind,
            change: change.to_string(),
        });
    }
    changes.sort_by(|a, b| a.path.cmp(&b.path));
    changes.dedup_by(|a, b| a.path == b.path);
    Ok(changes)
}

/// A user file outside the repository: links are the user's own, so they are followed, but
/// only a regular file within the gate-file cap is read.
fn read_disk(path: &Path, cap: Kind) -> Result<Vec<u8>, Refusal> {
    let real = path.canonicalize().map_err(|e| match e.kind() {
        std::io::ErrorKind::NotFound => Refusal::Missing,
        _ => Refusal::Io(e),
    })?;
    untrusted::read(&real, cap)
}

fn disk_policies(path: &Path, root: &Path) -> Result<Vec<PolicySource>, Error> {
    let real = path
        .canonicalize()
        .map_err(|e| untrusted::error(path, Kind::GateFile, Refusal::Io(e)))?;
    let files: Vec<PathBuf> = if real.is_dir() {
        walkdir::WalkDir::new(&real)
            .sort_by_file_name()
            .into_iter()
            .filter_map(Result::ok)
            .filter(|entry| entry.file_type().is_file())
            .map(walkdir::DirEntry::into_path)
            .filter(|file| is_policy(&file.to_string_lossy()))
            .collect()
    } else {
        vec![real]
    };
    files
        .into_iter()
        .map(|file| {
            let name = crate::discover::display_path(&file, root);
            let bytes = untrusted::read(&file, Kind::GateFile).map_err(|e| Error::PolicyLoad {
                path: name.clone(),
                message: e.to_string(),
            })?;
            Ok(PolicySource {
                name,
                text: String::from_utf8_lossy(&bytes).into_owned(),
            })
        })
        .collect()
}

fn is_policy(name: &str) -> bool {
    name.ends_with(".rego") && !name.ends_with("_test.rego")
}

fn join(dir: &str, name: &str) -> String {
    if dir.is_empty() {
        name.to_string()
    } else {
        format!("{dir}/{name}")
    }
}
