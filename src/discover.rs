//! Finds the artifacts to check: from PATHS (files, directories, globs), from the config's
//! include/exclude globs, or from the default search. Returns them in a stable order.

use std::collections::BTreeMap;
use std::path::{Component, Path, PathBuf};

use globset::{GlobBuilder, GlobSet, GlobSetBuilder};
use walkdir::WalkDir;

use crate::diag::Error;

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
    /// Where to read it.
    pub path: PathBuf,
    /// How to name it: relative to the root with `/`, or as found when outside the root.
    pub display: String,
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
}

/// Discovers artifacts; an empty result is an error with a hint, never a pass.
pub fn discover(options: &DiscoverOptions<'_>) -> Result<Vec<ArtifactPath>, Error> {
    let exclude = glob_set(options.exclude)?;
    let mut found: BTreeMap<String, PathBuf> = BTreeMap::new();
    let mut add = |path: PathBuf| {
        let display = display_path(&path, options.root);
        if !exclude.is_match(&display) {
            found.entry(display).or_insert(path);
        }
    };
    let searched = if !options.paths.is_empty() {
        for given in options.paths {
            for path in expand(given, options.cwd)? {
                add(path);
            }
        }
        format!("the given paths ({})", options.paths.join(", "))
    } else if !options.include.is_empty() {
        let include = glob_set(options.include)?;
        for path in walk(options.root, true) {
            if let Ok(relative) = path.strip_prefix(options.root)
                && include.is_match(slashed(relative))
            {
                add(path);
            }
        }
        format!("[artifacts] include ({})", options.include.join(", "))
    } else {
        for dir in DEFAULT_DIRS {
            for path in walk(&options.root.join(dir), false) {
                add(path);
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
            {
                add(path);
            }
        }
        for path in tracked_wasm(options.root) {
            add(path);
        }
        format!(
            "the default locations under {} ({}/, {DEFAULT_CARGO_GLOB}, tracked *.wasm)",
            options.root.display(),
            DEFAULT_DIRS.join("/, ")
        )
    };
    if found.is_empty() {
        return Err(Error::NoArtifacts { searched });
    }
    Ok(found
        .into_iter()
        .map(|(display, path)| ArtifactPath { path, display })
        .collect())
}

/// A PATHS entry: an existing file, a directory (recursive `*.wasm`), or a glob.
fn expand(given: &str, cwd: &Path) -> Result<Vec<PathBuf>, Error> {
    let path = cwd.join(given);
    if path.is_file() {
        return Ok(vec![path]);
    }
    if path.is_dir() {
        return Ok(walk(&path, false));
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
    let base = cwd.join(&literal);
    Ok(walk(&base, true)
        .into_iter()
        .filter(|found| {
            found
                .strip_prefix(cwd)
                .is_ok_and(|relative| matcher.is_match(slashed(relative)))
        })
        .collect())
}

/// Files under `dir`; only `*.wasm` unless `any_file` (globs then decide).
fn walk(dir: &Path, any_file: bool) -> Vec<PathBuf> {
    WalkDir::new(dir)
        .follow_links(false)
        .sort_by_file_name()
        .into_iter()
        .filter_entry(|entry| {
            !(entry.file_type().is_dir()
                && entry.depth() > 0
                && SKIPPED_DIRS.contains(&entry.file_name().to_string_lossy().as_ref()))
        })
        .filter_map(Result::ok)
        .filter(|entry| entry.file_type().is_file())
        .map(walkdir::DirEntry::into_path)
        .filter(|path| any_file || path.extension().is_some_and(|ext| ext == "wasm"))
        .collect()
}

/// `*.wasm` files tracked in the git index of the repository holding `root`, under `root`.
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
        .filter(|path| path.starts_with(&root) && path.is_file())
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
    let canonical = path.canonicalize().unwrap_or_else(|_| path.to_path_buf());
    let root = root.canonicalize().unwrap_or_else(|_| root.to_path_buf());
    match canonical.strip_prefix(&root) {
        Ok(relative) => slashed(relative),
        Err(_) => slashed(path),
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
