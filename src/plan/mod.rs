//! Resolves what the user typed into a `CheckRequest`: the repository and base, which commit
//! the gate's own files are trusted from, the config and policies read from there, the
//! baseline at the merge-base, and size options. The one fallible step between clap and the app.

pub mod digest;
pub mod gate_files;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use crate::cli::GateArgs;
use crate::config::{self, LoadedConfig, Trust};
use crate::derive::baseline::{self, Compression, LoadedBaseline};
use crate::diag::Error;
use crate::facts::git::GoverningChange;
use crate::facts::sbom::SbomOptions;
use crate::facts::size::SizeOptions;
use crate::git::Repo;
use crate::git::base::{self, Base, BaseEnv, BaseRequest};
use crate::policy::{PolicyOptions, builtin};
use crate::untrusted::Kind;
use crate::wasmsig::{KnownKey, keys};
use gate_files::{GateFileProblem, GatePath, GateReader};

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
    /// Gate files that are not regular files where the gate reads (or in the work tree).
    pub gate_problems: Vec<GateFileProblem>,
    /// Policy files named with --policy: (as typed, the sources they loaded).
    pub named_policies: Vec<(String, Vec<String>)>,
    /// Read artifacts reached through links that leave the repository.
    pub allow_outside_root: bool,
    /// Things the user should know that change nothing in the verdict (stderr).
    pub notes: Vec<String>,
    /// `[custom_sections] debug`, compiled once for every artifact.
    pub debug_sections: globset::GlobSet,
    /// `--manifests`, as given (relative to the working directory).
    pub manifests: Vec<PathBuf>,
    /// `[admission] policies`, read like the other gate files.
    pub admission: Vec<crate::policy::PolicySource>,
    /// The gate files as read, with their digests.
    pub gate_files: Vec<digest::GateFile>,
    /// `--shard K/N`: judge only that shard's artifacts, for `merge`.
    pub shard: Option<crate::shard::Shard>,
}

/// Builds the request for `check`/`facts`/`baseline`.
pub fn build(args: &GateArgs, config_path: Option<&Path>) -> Result<CheckRequest, Error> {
    let cwd = std::env::current_dir().map_err(Error::Cwd)?;
    let env = BaseEnv::from_process();
    let request = match (&args.decide.base, args.decide.no_base) {
        (_, true) => BaseRequest::Off,
        (Some(reference), false) => BaseRequest::Explicit(reference),
        (None, false) => BaseRequest::Detect,
    };
    let explicit_base = base::explicit(request, &env);
    let repo = match Repo::discover(&cwd) {
        Ok(repo) => repo,
        Err(error) => match &explicit_base {
            Some((reference, reason)) => {
                return Err(Error::BaseUnusable {
                    reference: reference.clone(),
                    reason: reason.clone(),
                    problem: format!("the repository cannot be opened: {error}"),
                });
            }
            None => return Err(error),
        },
    };
    if let Some((reference, reason)) = &explicit_base {
        let problem = match &repo {
            None => Some(format!("{} is not inside a git repository", cwd.display())),
            Some(repo) if repo.head().is_none() => {
                Some("the repository has no commit yet".to_string())
            }
            Some(_) => None,
        };
        if let Some(problem) = problem {
            return Err(Error::BaseUnusable {
                reference: reference.clone(),
                reason: reason.clone(),
                problem,
            });
        }
    }
    let base = match &repo {
        Some(repo) => base::resolve(repo, request, &env)?,
        None => None,
    };
    let merge_base = base.as_ref().map(|b| b.merge_base);
    // The trust mode itself must not come from the PR: it is the flag, or the merge-base's
    // config, never the work tree's.
    let mut at_base = GateReader::new(repo.as_ref(), merge_base);
    let base_location = locate_config(&mut at_base, &cwd, config_path, repo.as_ref())?;
    // Read once: it decides the trust mode and, when that is `base`, governs the run.
    let base_config = match (merge_base, args.decide.trust) {
        (Some(_), None) => Some(read_config(&mut at_base, &base_location, config_path)?),
        _ => None,
    };
    let trust = match (merge_base, args.decide.trust, &base_config) {
        (None, _, _) => Trust::Head,
        (Some(_), Some(trust), _) => trust,
        (Some(_), None, Some(config)) => config.config.git.trust,
        (Some(_), None, None) => Trust::Base,
    };
    let (mut reader, config_location, config) = match (trust, merge_base) {
        (Trust::Head, Some(_)) => {
            let mut work_tree = GateReader::new(repo.as_ref(), None);
            let location = locate_config(&mut work_tree, &cwd, config_path, repo.as_ref())?;
            let config = read_config(&mut work_tree, &location, config_path)?;
            (work_tree, location, config)
        }
        _ => {
            let config = match base_config {
                Some(config) => config,
                None => read_config(&mut at_base, &base_location, config_path)?,
            };
            (at_base, base_location, config)
        }
    };
    let root = match (&config_location, &repo) {
        (GatePath::Repo(relative), Some(repo)) => match relative.rfind('/') {
            Some(at) => repo.workdir().join(&relative[..at]),
            None => repo.workdir().to_path_buf(),
        },
        (GatePath::Disk(path), _) => path.parent().map_or_else(|| cwd.clone(), Path::to_path_buf),
        (GatePath::Repo(_), None) => cwd.clone(),
    };
    let settings = &config.config;
    if repo.is_none() && settings.git.required {
        return Err(Error::NotARepository {
            path: cwd.display().to_string(),
        });
    }
    let root_prefix = repo
        .as_ref()
        .and_then(|r| r.relative(&root))
        .unwrap_or_default();
    let name_of = |relative: &str| -> String {
        if root_prefix.is_empty() {
            relative.to_string()
        } else {
            relative
                .strip_prefix(&format!("{root_prefix}/"))
                .map_or_else(|| relative.to_string(), str::to_string)
        }
    };
    let mut gate: Vec<(String, &str)> = Vec::new();
    if let GatePath::Repo(relative) = &config_location {
        gate.push((relative.clone(), "config"));
    }
    let mut policy_sources = Vec::new();
    for path in &settings.policy.paths {
        let location = reader.locate(&root.join(path));
        if let GatePath::Repo(relative) = &location {
            gate.push((relative.clone(), "policy"));
        }
        if let Some(found) = reader.policies(&location, &name_of, &root)? {
            policy_sources.extend(found);
        }
    }
    let mut named_policies = Vec::new();
    for path in &args.decide.policies {
        let location = reader.locate(&cwd.join(path));
        if let GatePath::Repo(relative) = &location {
            gate.push((relative.clone(), "policy"));
        }
        match reader.policies(&location, &name_of, &root)? {
            Some(found) => {
                named_policies.push((
                    path.display().to_string(),
                    found.iter().map(|s| s.name.clone()).collect(),
                ));
                policy_sources.extend(found);
            }
            None => {
                return Err(missing_named(
                    "policy (--policy)",
                    &path.display().to_string(),
                    &reader,
                ));
            }
        }
    }
    let mut admission_sources = Vec::new();
    for path in &settings.admission.policies {
        let location = reader.locate(&root.join(path));
        if let GatePath::Repo(relative) = &location {
            gate.push((relative.clone(), "policy"));
        }
        match reader.policies(&location, &name_of, &root)? {
            Some(found) => admission_sources.extend(found),
            None => {
                return Err(missing_named(
                    "admission policy ([admission] policies)",
                    path,
                    &reader,
                ));
            }
        }
    }
    admission_sources.sort_by(|a, b| a.name.cmp(&b.name));
    admission_sources.dedup_by(|a, b| a.name == b.name);
    // An admission policy is judged with the admission input only: a policies/admission/
    // directory under the default policies/ path is not also a user policy.
    policy_sources.retain(|source| !admission_sources.iter().any(|a| a.name == source.name));
    policy_sources.sort_by(|a, b| a.name.cmp(&b.name));
    policy_sources.dedup_by(|a, b| a.name == b.name);
    let mut trusted_keys = Vec::new();
    for path in &settings.signatures.trusted_keys {
        let location = reader.locate(&root.join(path));
        let name = match &location {
            GatePath::Repo(relative) => {
                gate.push((relative.clone(), "key"));
                name_of(relative)
            }
            GatePath::Disk(path) => crate::discover::display_path(path, &root),
        };
        let bytes = reader
            .file(&location, "key", Kind::Key)?
            .ok_or_else(|| Error::Key {
                path: name.clone(),
                message: format!(
                    "listed in [signatures] trusted_keys but not a regular file in the {}",
                    reader.tree_name()
                ),
            })?;
        let key = keys::public_key(&bytes).map_err(|e| Error::Key {
            path: name.clone(),
            message: e.0,
        })?;
        trusted_keys.push(KnownKey {
            key,
            name,
            trusted: true,
        });
    }
    let baseline_location = reader.locate(&root.join(&settings.baseline.path));
    if let GatePath::Repo(relative) = &baseline_location {
        gate.push((relative.clone(), "baseline"));
    }
    // The baseline is the accepted state: at the merge-base whenever there is one, even with
    // `--trust head` (which changes the rules, not what the change is measured against).
    let mut at_merge_base = GateReader::new(repo.as_ref(), merge_base);
    let baseline_reader = if reader.base() == merge_base {
        &mut reader
    } else {
        &mut at_merge_base
    };
    let baseline = {
        let bytes = baseline_reader.file(&baseline_location, "baseline", Kind::GateFile)?;
        let display = match &baseline_location {
            GatePath::Repo(relative) => name_of(relative),
            GatePath::Disk(path) => crate::discover::display_path(path, &root),
        };
        let revision = base
            .as_ref()
            .map_or_else(|| "work tree".to_string(), |b| b.merge_base.to_string());
        let parsed = match bytes {
            Some(bytes) => Some(baseline::parse(&bytes, &display, &revision)?),
            None => None,
        };
        Some(LoadedBaseline {
            path: display,
            revision,
            baseline: parsed,
        })
    };
    let governing_changes = match (&repo, &base) {
        (Some(repo), Some(base)) => gate_files::governing_changes(repo, base.merge_base, &gate)?,
        _ => Vec::new(),
    };
    let mut gate_problems = reader.problems();
    gate_problems.extend(at_merge_base.problems());
    gate_problems.sort();
    gate_problems.dedup();
    let namespaces = if args.decide.namespaces.is_empty() {
        settings.policy.namespaces.clone()
    } else {
        args.decide.namespaces.clone()
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
        all_namespaces: args.decide.all_namespaces || settings.policy.all_namespaces,
        rego_v0: args.decide.rego_v0 || settings.policy.rego_v0,
        timeout_ms: settings.policy.timeout_ms,
        builtin: settings.policy.builtin,
        data,
    };
    let compression = &settings.compression;
    let mut notes = Vec::new();
    let cache_dir = cache_dir(
        compression.cache_dir.as_deref(),
        &root,
        repo.as_ref().map(Repo::workdir),
        &mut notes,
    );
    let mut sizes = SizeOptions {
        compress: !args.no_compress,
        gzip_level: compression.gzip_level,
        brotli_quality: compression.brotli_quality,
        brotli_window: compression.brotli_window,
        cache_dir,
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
    let manifests = args
        .decide
        .manifests
        .iter()
        .map(|path| {
            if path.is_absolute() {
                path.clone()
            } else {
                cwd.join(path)
            }
        })
        .collect();
    let gate_files = digest::files(
        &root,
        &config,
        &policy.sources,
        &admission_sources,
        &trusted_keys,
        baseline.as_ref(),
    );
    Ok(CheckRequest {
        shard: None,
        gate_files,
        cwd,
        manifests,
        admission: admission_sources,
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
        gate_problems,
        named_policies,
        allow_outside_root: args.allow_outside_root,
        notes,
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

/// Where the governing config is: `--config`/`WASMGATE_CONFIG` as named, else the nearest
/// `wasmgate.toml` the tree being read has, else the repository root's (absent) one.
fn locate_config(
    reader: &mut GateReader<'_>,
    cwd: &Path,
    named: Option<&Path>,
    repo: Option<&Repo>,
) -> Result<GatePath, Error> {
    if let Some(named) = named {
        return Ok(reader.locate(&cwd.join(named)));
    }
    if let Some(found) = reader.find_config(cwd)? {
        return Ok(found);
    }
    Ok(match repo {
        Some(_) => GatePath::Repo(config::FILE_NAME.to_string()),
        None => GatePath::Disk(cwd.join(config::FILE_NAME)),
    })
}

/// The config at `location` in the reader's tree; the defaults when there is none, unless it
/// was named (a named config that is not there is an error, never the defaults).
fn read_config(
    reader: &mut GateReader<'_>,
    location: &GatePath,
    named: Option<&Path>,
) -> Result<LoadedConfig, Error> {
    let (path, display) = match location {
        GatePath::Repo(relative) => (
            PathBuf::from(relative),
            match reader.base() {
                Some(commit) => format!("{relative}@{}", short(commit)),
                None => relative.clone(),
            },
        ),
        GatePath::Disk(path) => (path.clone(), path.display().to_string()),
    };
    match reader.file(location, "config", Kind::GateFile)? {
        Some(bytes) => {
            let text = String::from_utf8_lossy(&bytes).into_owned();
            Ok(config::load_text(&path, &display, text)?)
        }
        None => match named {
            Some(named) => Err(missing_named(
                "config file (--config / WASMGATE_CONFIG)",
                &named.display().to_string(),
                reader,
            )),
            None => Ok(LoadedConfig::default()),
        },
    }
}

fn missing_named(what: &str, path: &str, reader: &GateReader<'_>) -> Error {
    let (problem, help) = if reader.base().is_some() {
        (
            "is not a regular file at the merge-base".to_string(),
            "gate files are read from the merge-base, so one a change adds (or turns into a link) does not govern that change: land it first, or run with --no-base (or --trust head) to try it locally".to_string(),
        )
    } else {
        (
            "does not exist or is not a regular file".to_string(),
            "check the path; wasmgate never falls back to defaults for a file it was told to read"
                .to_string(),
        )
    };
    Error::NamedInput {
        what: what.to_string(),
        path: path.to_string(),
        problem,
        help,
    }
}

/// `WASMGATE_CACHE_DIR`, else `[compression] cache_dir`, else the user cache directory.
/// An empty `WASMGATE_CACHE_DIR` turns the cache off. A directory inside the work tree is
/// refused, with a note: files there are PR data, and a planted entry would set a size.
fn cache_dir(
    configured: Option<&str>,
    root: &Path,
    workdir: Option<&Path>,
    notes: &mut Vec<String>,
) -> Option<PathBuf> {
    let chosen = match std::env::var_os("WASMGATE_CACHE_DIR") {
        Some(dir) if dir.is_empty() => return None,
        Some(dir) => Some((PathBuf::from(dir), "WASMGATE_CACHE_DIR")),
        None => configured.map(|dir| (root.join(dir), "[compression] cache_dir")),
    };
    if let Some((dir, source)) = chosen {
        match workdir.filter(|workdir| in_work_tree(&dir, workdir)) {
            None => return Some(dir),
            Some(_) => notes.push(format!(
                "{source} ({}) is inside the repository's work tree, where a change could plant entries; the user cache is used instead",
                dir.display()
            )),
        }
    }
    let base = std::env::var_os("XDG_CACHE_HOME")
        .filter(|d| !d.is_empty())
        .map(PathBuf::from)
        .or_else(|| std::env::var_os("HOME").map(|home| PathBuf::from(home).join(".cache")))?;
    let dir = base.join("wasmgate").join("sizes");
    match workdir {
        Some(workdir) if in_work_tree(&dir, workdir) => {
            notes.push(format!(
                "the user cache ({}) is inside the repository's work tree; sizes are not cached",
                dir.display()
            ));
            None
        }
        _ => Some(dir),
    }
}

/// Below the work tree, lexically or once links are resolved (as far as the path exists).
fn in_work_tree(dir: &Path, workdir: &Path) -> bool {
    let lexical = crate::untrusted::lexical(dir);
    if lexical.starts_with(workdir) {
        return true;
    }
    lexical
        .ancestors()
        .find_map(|existing| existing.canonicalize().ok())
        .is_some_and(|real| real.starts_with(workdir))
}

fn short(commit: git2::Oid) -> String {
    commit.to_string().chars().take(12).collect()
}
