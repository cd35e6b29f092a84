//! Resolves what the user typed into a `CheckRequest`: the config found and read, the root,
//! policy paths, namespaces and size options. The one fallible step between clap and the app.

use std::path::{Path, PathBuf};

use crate::cli::GateArgs;
use crate::config::{self, LoadedConfig};
use crate::diag::Error;
use crate::facts::size::SizeOptions;
use crate::policy::{PolicyOptions, builtin};

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
}

/// Builds the request for `check`/`facts`.
pub fn build(args: &GateArgs, config_path: Option<&Path>) -> Result<CheckRequest, Error> {
    let cwd = std::env::current_dir().map_err(Error::Cwd)?;
    let config_file = match config_path {
        Some(path) => Some(cwd.join(path)),
        None => config::find(&cwd),
    };
    let config = match &config_file {
        Some(path) => config::load(path)?,
        None => LoadedConfig::default(),
    };
    let root = match &config_file {
        Some(path) => path.parent().map_or_else(|| cwd.clone(), Path::to_path_buf),
        None => git_root(&cwd).unwrap_or_else(|| cwd.clone()),
    };
    let settings = &config.config;
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
        required_paths: args.policies.iter().map(|p| cwd.join(p)).collect(),
        optional_paths: settings.policy.paths.iter().map(|p| root.join(p)).collect(),
        root: root.clone(),
        namespaces,
        all_namespaces: args.all_namespaces || settings.policy.all_namespaces,
        rego_v0: args.rego_v0 || settings.policy.rego_v0,
        timeout_ms: settings.policy.timeout_ms,
        builtin: settings.policy.builtin,
        data,
    };
    let compression = &settings.compression;
    let sizes = SizeOptions {
        compress: !args.no_compress,
        gzip_level: compression.gzip_level,
        brotli_quality: compression.brotli_quality,
        brotli_window: compression.brotli_window,
        cache_dir: cache_dir(compression.cache_dir.as_deref(), &root),
        use_siblings: compression.use_siblings,
    };
    Ok(CheckRequest {
        cwd,
        root,
        paths: args.paths.clone(),
        policy,
        sizes,
        max_size: settings.artifacts.max_size.0,
        config,
    })
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

fn git_root(cwd: &Path) -> Option<PathBuf> {
    let repo = git2::Repository::discover(cwd).ok()?;
    repo.workdir().map(Path::to_path_buf)
}
