//! Finds the artifacts to check: from PATHS (files, directories, globs), from the config's
//! include/exclude globs, or from the default search. Returns them in a stable order.

use std::collections::BTreeMap;
use std::path::{Component, Path, PathBuf};

use globset::{GlobBuilder, GlobSet, GlobSetBuilder};
use walkdir::WalkDir;

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use crate::diag::Error;
use crate::untrusted;

/// Directories searched (recursively, for `*.wasm`) when neither PATHS nor
/// `[artifacts] include` are given.
pub const DEFAULT_DIRS: &[&str] = &["dist", "pkg", "build", "out"];

/// Cargo's output for wasm targets, searched without descending into `deps/`.
pub const DEFAULT_CARGO_GLOB: &str = "target/wasm32-*/release/*.wasm";

/// Directories never walked into: they hold no release artifacts and can be huge.
const SKIPPED_DIRS: &[&str] = &[".git", "node_modules"];

/// One artifact to check.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ArtifactPath {
    /// Where to read it: the real file, links resolved.
    pub path: PathBuf,
    /// How to name it: relative to the root with `/` (as found, link names kept), or as
    /// found when outside the root.
    pub display: String,
}

/// A matching entry that was not read, and why: nothing is dropped silently.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct RefusedArtifact {
    /// The entry as found, relative to the root.
    pub path: String,
    /// `artifact-outside-root` or `artifact-unreadable`.
    pub code: String,
    /// What it is or why it could not be read.
    pub reason: String,
}

/// What discovery found.
#[derive(Debug, Clone)]
pub struct Discovered {
    /// Artifacts to read, sorted by display name.
    pub artifacts: Vec<ArtifactPath>,
    /// Matching entries refused, sorted by path.
    pub refused: Vec<RefusedArtifact>,
}

/// Where and how to look.
#[derive(Debug, Clone)]
pub struct DiscoverOptions<'a> {
    /// PATHS as typed on the command line.
    pub paths: &'a [String],
    /// The working directory PATHS are relative to.
    pub cwd: &'a Path,
    /// The root that config globs and displayed paths are relative to.
    pub root: &'a Path,
    /// `[artifacts] include`.
    pub include: &'a [String],
    /// `[artifacts] exclude`.
    pub exclude: &'a [String],
    /// The repository's work tree (canonical): links that leave it are refused. None outside
    /// a repository.
    pub repo_root: Option<&'a Path>,
    /// `--allow-outside-root`: read what links outside the repository point at.
    pub allow_outside_root: bool,
}

/// Discovers artifacts; an empty result is an error with a hint, never a pass.
pub fn discover(options: &DiscoverOptions<'_>) -> Result<Discovered, Error> {
    let exclude = glob_set(options.exclude)?;
    let mut found: BTreeMap<String, PathBuf> = BTreeMap::new();
    let mut refused: BTreeMap<String, RefusedArtifact> = BTreeMap::new();
    let mut add = |entry: Entry| match entry {
        Entry::File { found: path, real } => {
            let display = display_path(&path, options.root);
            if !exclude.is_match(&display) {
                found.entry(display).or_insert(real);
            }
        }
        Entry::Refused {
            found: path,
            code,
            reason,
        } => {
            let display = display_path(&path, options.root);
            if !exclude.is_match(display.trim_end_matches('/')) {
                refused.entry(display.clone()).or_insert(RefusedArtifact {
                    path: display,
                    code: code.to_string(),
                    reason,
                });
            }
        }
    };
    let walker = Walker { options };
    let searched = if !options.paths.is_empty() {
        for given in options.paths {
            for entry in walker.expand(given)? {
                add(entry);
            }
        }
        format!("the given paths ({})", options.paths.join(", "))
    } else if !options.include.is_empty() {
        let include = glob_set(options.include)?;
        let matches = |path: &Path| {
            path.strip_prefix(options.root)
                .is_ok_and(|relative| include.is_match(slashed(relative)))
        };
        for entry in walker.walk(options.root, &matches) {
            add(entry);
        }
        format!("[artifacts] include ({})", options.include.join(", "))
    } else {
        for dir in DEFAULT_DIRS {
            for entry in walker.walk(&options.root.join(dir), &is_wasm) {
                add(entry);
            }
        }
        let cargo = glob_set(&[DEFAULT_CARGO_GLOB.to_string()])?;
        let target = options.root.join("target");
        for path in WalkDir::new(&target)
            .min_depth(3)
            .max_depth(3)
            .into_iter()
            .filter_map(Result::ok)
            .map(walkdir::DirEntry::into_path)
        {
            if let Ok(relative) = path.strip_prefix(options.root)
                && cargo.is_match(slashed(relative))
                && let Some(entry) = walker.classify(&path, true)
            {
                add(entry);
            }
        }
        for path in tracked_wasm(options.root) {
            if let Some(entry) = walker.classify(&path, true) {
                add(entry);
            }
        }
        format!(
            "the default locations under {} ({}/, {DEFAULT_CARGO_GLOB}, tracked *.wasm)",
            options.root.display(),
            DEFAULT_DIRS.join("/, ")
        )
    };
    if found.is_empty() && refused.is_empty() {
        return Err(Error::NoArtifacts { searched });
    }
    Ok(Discovered {
        artifacts: found
            .into_iter()
            .map(|(display, path)| ArtifactPath { path, display })
            .collect(),
        refused: refused.into_values().collect(),
    })
}

/// One matching entry: a file to read, or one refused.
enum Entry {
    File {
        found: PathBuf,
        real: PathBuf,
    },
    Refused {
        found: PathBuf,
        code: &'static str,
        reason: String,
    },
}

const OUTSIDE: &str = crate::diag::codes::Code::ArtifactOutsideRoot.as_str();
const UNREADABLE: &str = crate::diag::codes::Code::ArtifactUnreadable.as_str();

struct Walker<'a> {
    options: &'a DiscoverOptions<'a>,
}

impl Walker<'_> {
    /// A PATHS entry: an existing file, a directory (recursive `*.wasm`), or a glob.
    fn expand(&self, given: &str) -> Result<Vec<Entry>, Error> {
        let path = self.options.cwd.join(given);
        if let Ok(metadata) = std::fs::symlink_metadata(&path) {
            if metadata.is_dir() {
                return Ok(self.walk(&path, &is_wasm));
            }
            // A link to a directory is walked like the directory, if it may be read.
            if path.is_dir() {
                return Ok(match self.escapes(&path) {
                    Some(refused) => vec![refused],
                    None => self.walk(&path, &is_wasm),
                });
            }
            return Ok(self.classify(&path, true).into_iter().collect());
        }
        if !given.contains(['*', '?', '[', '{']) {
            return Err(Error::MissingPath {
                path: given.to_string(),
            });
        }
        let matcher = glob_set(&[given.to_string()])?;
        // Walk only the literal part of the pattern: `dist/**/*.wasm` walks `dist/`.
        let literal: PathBuf = Path::new(given)
            .components()
            .take_while(|c| {
                !c.as_os_str()
                    .to_string_lossy()
                    .contains(['*', '?', '[', '{'])
            })
            .collect();
        let base = self.options.cwd.join(&literal);
        let cwd = self.options.cwd;
        let matches = |found: &Path| {
            found
                .strip_prefix(cwd)
                .is_ok_and(|relative| matcher.is_match(slashed(relative)))
        };
        Ok(self.walk(&base, &matches))
    }

    /// Matching entries under `dir` in name order. Links to directories inside the
    /// repository are walked once each; links that leave it, special files and unreadable
    /// directories are reported.
    fn walk(&self, dir: &Path, matches: &dyn Fn(&Path) -> bool) -> Vec<Entry> {
        let mut out = Vec::new();
        let mut visited = std::collections::BTreeSet::new();
        if let Ok(real) = dir.canonicalize() {
            visited.insert(real);
        }
        self.walk_into(dir, matches, &mut visited, &mut out, 0);
        out
    }

    fn walk_into(
        &self,
        dir: &Path,
        matches: &dyn Fn(&Path) -> bool,
        visited: &mut std::collections::BTreeSet<PathBuf>,
        out: &mut Vec<Entry>,
        depth: usize,
    ) {
        let entries = match std::fs::read_dir(dir) {
            Ok(entries) => entries,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound && depth == 0 => return,
            Err(e) => {
                out.push(Entry::Refused {
                    found: dir.to_path_buf(),
                    code: UNREADABLE,
                    reason: format!("directory cannot be listed: {}", untrusted::io_message(&e)),
                });
                return;
            }
        };
        let mut names: Vec<PathBuf> = Vec::new();
        for entry in entries {
            match entry {
                Ok(entry) => names.push(entry.path()),
                Err(e) => out.push(Entry::Refused {
                    found: dir.to_path_buf(),
                    code: UNREADABLE,
                    reason: format!("directory cannot be listed: {}", untrusted::io_message(&e)),
                }),
            }
        }
        names.sort();
        for path in names {
            let Ok(metadata) = std::fs::symlink_metadata(&path) else {
                continue;
            };
            let kind = metadata.file_type();
            if kind.is_dir() {
                let name = path.file_name().unwrap_or_default().to_string_lossy();
                if SKIPPED_DIRS.contains(&name.as_ref()) {
                    continue;
                }
                if let Ok(real) = path.canonicalize()
                    && visited.insert(real)
                {
                    self.walk_into(&path, matches, visited, out, depth + 1);
                }
            } else if kind.is_symlink() && path.is_dir() {
                match self.escapes(&path) {
                    Some(refused) => out.push(refused),
                    None => {
                        if let Ok(real) = path.canonicalize()
                            && visited.insert(real)
                        {
                            self.walk_into(&path, matches, visited, out, depth + 1);
                        }
                    }
                }
            } else if matches(&path)
                && let Some(entry) = self.classify(&path, false)
            {
                out.push(entry);
            }
        }
    }

    /// A directory link that leaves the repository, as a refusal (unless allowed).
    fn escapes(&self, path: &Path) -> Option<Entry> {
        let root = self.options.repo_root?;
        if self.options.allow_outside_root || !self.inside_lexically(path) {
            return None;
        }
        match path.canonicalize() {
            Ok(real) if real.starts_with(root) => None,
            _ => Some(Entry::Refused {
                found: path.to_path_buf(),
                code: OUTSIDE,
                reason: "a directory reached through a symlink that leaves the repository; nothing under it was read (--allow-outside-root reads it)".to_string(),
            }),
        }
    }

    fn inside_lexically(&self, path: &Path) -> bool {
        self.options
            .repo_root
            .is_some_and(|root| untrusted::lexical(path).starts_with(root))
    }

    /// A matching file-like entry: a regular file, a link to one inside the repository, or
    /// a refusal. `named` is true when the path was given or listed, not found by a walk.
    fn classify(&self, path: &Path, named: bool) -> Option<Entry> {
        let refuse = |code: &'static str, reason: String| {
            Some(Entry::Refused {
                found: path.to_path_buf(),
                code,
                reason,
            })
        };
        let metadata = match std::fs::symlink_metadata(path) {
            Ok(metadata) => metadata,
            Err(e) if named => return refuse(UNREADABLE, untrusted::io_message(&e)),
            Err(_) => return None,
        };
        if metadata.is_file() && !self.through_link(path) {
            return Some(Entry::File {
                found: path.to_path_buf(),
                real: path.to_path_buf(),
            });
        }
        let real = match path.canonicalize() {
            Ok(real) => real,
            Err(e) => {
                let what = if metadata.file_type().is_symlink() {
                    format!(
                        "a symlink that resolves to nothing ({})",
                        untrusted::io_message(&e)
                    )
                } else {
                    untrusted::io_message(&e)
                };
                return refuse(UNREADABLE, what);
            }
        };
        if let Some(root) = self.options.repo_root
            && !self.options.allow_outside_root
            && self.inside_lexically(path)
            && !real.starts_with(root)
        {
            return refuse(
                OUTSIDE,
                "reached through a symlink that leaves the repository; not read (--allow-outside-root reads it)".to_string(),
            );
        }
        match std::fs::metadata(&real) {
            Ok(target) if target.is_file() => Some(Entry::File {
                found: path.to_path_buf(),
                real,
            }),
            Ok(target) => refuse(
                UNREADABLE,
                format!(
                    "is a {}, not a regular file",
                    untrusted::irregular(&target).unwrap_or("special file")
                ),
            ),
            Err(e) => refuse(UNREADABLE, untrusted::io_message(&e)),
        }
    }

    /// Some directory between the repository root (or the working directory) and `path` is
    /// a link.
    fn through_link(&self, path: &Path) -> bool {
        let Some(parent) = path.parent() else {
            return false;
        };
        match parent.canonicalize() {
            Ok(real) => real != untrusted::lexical(parent),
            Err(_) => true,
        }
    }
}

fn is_wasm(path: &Path) -> bool {
    path.extension().is_some_and(|ext| ext == "wasm")
}

/// `*.wasm` entries tracked in the git index of the repository holding `root`, under `root`.
fn tracked_wasm(root: &Path) -> Vec<PathBuf> {
    // No repository (or one git refuses to open) means no tracked files, not an error:
    // discovery still has the directory search.
    let Ok(repo) = git2::Repository::discover(root) else {
        return Vec::new();
    };
    let (Some(workdir), Ok(index)) = (repo.workdir(), repo.index()) else {
        return Vec::new();
    };
    let root = root.canonicalize().unwrap_or_else(|_| root.to_path_buf());
    let workdir = workdir
        .canonicalize()
        .unwrap_or_else(|_| workdir.to_path_buf());
    index
        .iter()
        .filter_map(|entry| String::from_utf8(entry.path).ok())
        .filter(|path| path.ends_with(".wasm"))
        .map(|path| workdir.join(path))
        .filter(|path| untrusted::lexical(path).starts_with(&root))
        .filter(|path| std::fs::symlink_metadata(path).is_ok())
        .collect()
}

fn glob_set(patterns: &[String]) -> Result<GlobSet, Error> {
    let mut builder = GlobSetBuilder::new();
    for pattern in patterns {
        let glob = GlobBuilder::new(pattern)
            .literal_separator(true)
            .build()
            .map_err(|e| Error::BadGlob {
                pattern: pattern.clone(),
                message: e.kind().to_string(),
            })?;
        builder.add(glob);
    }
    builder.build().map_err(|e| Error::BadGlob {
        pattern: patterns.join(", "),
        message: e.to_string(),
    })
}

/// The path relative to `root` with forward slashes, or the path itself when outside it.
pub fn display_path(path: &Path, root: &Path) -> String {
    // Lexical, so a link keeps the name it was found under and never renames an artifact.
    let lexical = untrusted::lexical(path);
    let root = root.canonicalize().unwrap_or_else(|_| root.to_path_buf());
    match lexical.strip_prefix(&root) {
        Ok(relative) => slashed(relative),
        // Outside the root too: never `dir/../x.wasm` in a report.
        Err(_) => slashed(&lexical),
    }
}

fn slashed(path: &Path) -> String {
    path.components()
        .filter(|c| !matches!(c, Component::CurDir))
        .map(|c| c.as_os_str().to_string_lossy())
        .collect::<Vec<_>>()
        .join("/")
        .replace("//", "/")
}

#[cfg(test)]
mod tests {
    use super::display_path;
    use std::path::Path;

    #[test]
    fn display_paths_are_normalised_inside_and_outside_the_root() {
        let root = Path::new("/nonexistent-root/repo");
        assert_eq!(
            display_path(Path::new("/nonexistent-root/repo/dist/x/../app.wasm"), root),
            "dist/app.wasm"
        );
        assert_eq!(
            display_path(Path::new("/nonexistent-root/repo/./dist/app.wasm"), root),
            "dist/app.wasm"
        );
        assert_eq!(
            display_path(Path::new("/nonexistent-root/other/x/../app.wasm"), root),
            "/nonexistent-root/other/app.wasm"
        );
    }
}
