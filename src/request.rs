//! Resolves what the user typed into a `CheckRequest`: the repository and base, which commit
//! the gate's own files are trusted from, the config and policies read from there, the
//! baseline at the merge-base, and size options. The one fallible step between clap and the app.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use crate::baseline::{self, Baseline, Compression};
use crate::cli::GateArgs;
use crate::config::{self, LoadedConfig, Trust};
use crate::diag::Error;
use crate::facts::git::GoverningChange;
use crate::facts::sbom::SbomOptions;
use crate::facts::size::SizeOptions;
use crate::git::Repo;
use crate::git::base::{self, Base, BaseEnv, BaseRequest};
use crate::policy::{PolicyOptions, builtin};
use crate::sources::{self, Revision};
use crate::wasmsig::{KnownKey, keys};

/// Everything the pipeline needs, resolved.
#[derive(Debug, Clone)]
pub struct CheckRequest {
    /// The working directory.
    pub cwd: PathBuf,
    /// Artifact paths and config globs are relative to this: the config file's directory, else
    /// the git work tree, else the working directory.
    pub root: PathBuf,
    /// The config in effect.
    pub config: LoadedConfig,
    /// PATHS as typed.
    pub paths: Vec<String>,
    /// Policies to load.
    pub policy: PolicyOptions,
    /// How to measure sizes.
    pub sizes: SizeOptions,
    /// Largest artifact read.
    pub max_size: u64,
    /// The repository's work tree, when wasmgate runs inside one.
    pub repo_dir: Option<PathBuf>,
    /// The base of the comparison.
    pub base: Option<Base>,
    /// Where the config and policies were read.
    pub trust: Trust,
    /// The baseline as it is at the merge-base (or in the work tree without a base).
    pub baseline: Option<LoadedBaseline>,
    /// Governing files that differ between the merge-base and the work tree.
    pub governing_changes: Vec<GoverningChange>,
    /// Trusted public keys, read where the config was.
    pub trusted_keys: Vec<KnownKey>,
    /// Where SBOMs are.
    pub sbom: SbomOptions,
    /// `[custom_sections] debug`, compiled once for every artifact.
    pub debug_sections: globset::GlobSet,
}

/// A baseline and where it was read.
#[derive(Debug, Clone)]
pub struct LoadedBaseline {
    /// Path relative to the root.
    pub path: String,
    /// A commit id, or `work tree`.
    pub revision: String,
    /// The contents; None when there is no baseline file there.
    pub baseline: Option<Baseline>,
}

/// Builds the request for `check`/`facts`/`baseline`.
pub fn build(args: &GateArgs, config_path: Option<&Path>) -> Result<CheckRequest, Error> {
    let cwd = std::env::current_dir().map_err(Error::Cwd)?;
    let repo = Repo::discover(&cwd)?;
    let config_file = match config_path {
        Some(path) => Some(cwd.join(path)),
        None => config::find(&cwd),
    };
    let root = match &config_file {
        Some(path) => path.parent().map_or_else(|| cwd.clone(), Path::to_path_buf),
        None => repo
            .as_ref()
            .map_or_else(|| cwd.clone(), |r| r.workdir().to_path_buf()),
    };
    let config_file = config_file.unwrap_or_else(|| root.join(config::FILE_NAME));
    let request = match (&args.base, args.no_base) {
        (_, true) => BaseRequest::Off,
        (Some(reference), false) => BaseRequest::Explicit(reference),
        (None, false) => BaseRequest::Detect,
    };
    let base = match &repo {
        Some(repo) => base::resolve(repo, request, &BaseEnv::from_process())?,
        None => None,
    };
    // The trust mode itself must not come from the PR: it is the flag, or the merge-base's
    // config, never the work tree's.
    let (trust, config) = match &base {
        Some(base) => {
            let at_base = sources::config_at(
                repo.as_ref(),
                Revision::Commit(base.merge_base),
                &config_file,
            )?;
            match args.trust.unwrap_or(at_base.config.git.trust) {
                Trust::Base => (Trust::Base, at_base),
                Trust::Head => (
                    Trust::Head,
                    sources::config_at(None, Revision::WorkTree, &config_file)?,
                ),
            }
        }
        None => (
            Trust::Head,
            sources::config_at(None, Revision::WorkTree, &config_file)?,
        ),
    };
    let settings = &config.config;
    if repo.is_none() && settings.git.required {
        return Err(Error::NotARepository {
            path: cwd.display().to_string(),
        });
    }
    let revision = match (&base, trust) {
        (Some(base), Trust::Base) => Revision::Commit(base.merge_base),
        _ => Revision::WorkTree,
    };
    let policy_paths: Vec<PathBuf> = settings.policy.paths.iter().map(|p| root.join(p)).collect();
    let mut policy_sources = sources::policies_at(repo.as_ref(), revision, &policy_paths, &root)?;
    for path in &args.policies {
        policy_sources.extend(sources::policy_files(&cwd.join(path), &root, true)?);
    }
    let key_paths: Vec<PathBuf> = settings
        .signatures
        .trusted_keys
        .iter()
        .map(|p| root.join(p))
        .collect();
    let trusted_keys = key_paths
        .iter()
        .map(|path| {
            let name = crate::discover::display_path(path, &root);
            let bytes =
                sources::file_at(repo.as_ref(), revision, path)?.ok_or_else(|| Error::Key {
                    path: name.clone(),
                    message: "listed in [signatures] trusted_keys but not found".to_string(),
                })?;
            let key = keys::public_key(&bytes).map_err(|e| Error::Key {
                path: name.clone(),
                message: e.0,
            })?;
            Ok(KnownKey {
                key,
                name,
                trusted: true,
            })
        })
        .collect::<Result<Vec<_>, Error>>()?;
    let baseline_path = root.join(&settings.baseline.path);
    let baseline = load_baseline(repo.as_ref(), base.as_ref(), &baseline_path, &root)?;
    let governing_changes = match (&repo, &base) {
        (Some(repo), Some(base)) => sources::governing_changes(
            repo,
            base.merge_base,
            &config_file,
            &policy_paths,
            &baseline_path,
            &key_paths,
            &root,
        )?,
        _ => Vec::new(),
    };
    let namespaces = if args.namespaces.is_empty() {
        settings.policy.namespaces.clone()
    } else {
        args.namespaces.clone()
    };
    let mut data = serde_json::to_value(&settings.policy.data).unwrap_or_default();
    if let serde_json::Value::Object(map) = &mut data {
        map.insert(
            "wasmgate_config".to_string(),
            builtin::config_data(settings),
        );
    }
    let policy = PolicyOptions {
        sources: policy_sources,
        namespaces,
        all_namespaces: args.all_namespaces || settings.policy.all_namespaces,
        rego_v0: args.rego_v0 || settings.policy.rego_v0,
        timeout_ms: settings.policy.timeout_ms,
        builtin: settings.policy.builtin,
        data,
    };
    let compression = &settings.compression;
    let mut sizes = SizeOptions {
        compress: !args.no_compress,
        gzip_level: compression.gzip_level,
        brotli_quality: compression.brotli_quality,
        brotli_window: compression.brotli_window,
        cache_dir: cache_dir(compression.cache_dir.as_deref(), &root),
        use_siblings: compression.use_siblings,
        known: BTreeMap::new(),
    };
    if let Some(Some(accepted)) = baseline.as_ref().map(|b| b.baseline.as_ref())
        && accepted.compression == Compression::of(&sizes)
    {
        // An unchanged artifact keeps its accepted compressed sizes: no recompression.
        sizes.known = accepted
            .artifacts
            .values()
            .filter_map(|e| Some((e.sha256.clone(), (e.size.gzip?, e.size.brotli?))))
            .collect();
    }
    Ok(CheckRequest {
        cwd,
        paths: args.paths.clone(),
        policy,
        sizes,
        max_size: settings.artifacts.max_size.0,
        repo_dir: repo.as_ref().map(|r| r.workdir().to_path_buf()),
        base,
        trust,
        baseline,
        governing_changes,
        trusted_keys,
        debug_sections: {
            let mut set = globset::GlobSetBuilder::new();
            for pattern in &settings.custom_sections.debug {
                if let Ok(glob) = globset::Glob::new(pattern) {
                    set.add(glob);
                }
            }
            set.build().unwrap_or_else(|_| globset::GlobSet::empty())
        },
        sbom: SbomOptions {
            mapping: settings
                .sbom
                .files
                .iter()
                .filter_map(|(glob, file)| {
                    Some((config::artifact_glob(glob)?, PathBuf::from(file)))
                })
                .collect(),
            root: root.clone(),
        },
        config,
        root,
    })
}

/// The baseline at the merge-base when there is a base, else the work tree's file.
fn load_baseline(
    repo: Option<&Repo>,
    base: Option<&Base>,
    path: &Path,
    root: &Path,
) -> Result<Option<LoadedBaseline>, Error> {
    let display = crate::discover::display_path(path, root);
    let (bytes, revision) = match (repo, base) {
        (Some(repo), Some(base)) => {
            let Some(relative) = repo.relative(path) else {
                return Ok(None);
            };
            (
                repo.read_at(base.merge_base, &relative)?,
                base.merge_base.to_string(),
            )
        }
        _ => (std::fs::read(path).ok(), "work tree".to_string()),
    };
    let baseline = match bytes {
        Some(bytes) => Some(baseline::parse(&bytes, &display, &revision)?),
        None => None,
    };
    Ok(Some(LoadedBaseline {
        path: display,
        revision,
        baseline,
    }))
}

/// `WASMGATE_CACHE_DIR`, else `[compression] cache_dir`, else the user cache directory.
/// An empty `WASMGATE_CACHE_DIR` turns the cache off.
fn cache_dir(configured: Option<&str>, root: &Path) -> Option<PathBuf> {
    if let Some(dir) = std::env::var_os("WASMGATE_CACHE_DIR") {
        return (!dir.is_empty()).then(|| PathBuf::from(dir));
    }
    if let Some(dir) = configured {
        return Some(root.join(dir));
    }
    let base = std::env::var_os("XDG_CACHE_HOME")
        .filter(|d| !d.is_empty())
        .map(PathBuf::from)
        .or_else(|| std::env::var_os("HOME").map(|home| PathBuf::from(home).join(".cache")))?;
    Some(base.join("wasmgate").join("sizes"))
}
