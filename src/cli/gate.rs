//! `check`, `facts` and `baseline`: what to gate and how.

use std::path::PathBuf;

use clap::Args as ClapArgs;

use super::output::{Format, OutputFile, output_file};
use crate::config::Trust;

/// Options shared by `check` and `facts`.
#[derive(Debug, Clone, ClapArgs)]
pub struct GateArgs {
    /// Artifacts: files, directories (searched for *.wasm) or quoted globs.
    /// Without PATHS: [artifacts] include from wasmgate.toml, else the default search.
    #[arg(value_name = "PATHS")]
    pub paths: Vec<String>,

    /// What decides: policies, manifests, the base.
    #[command(flatten)]
    pub decide: DecideArgs,

    /// Skip gzip and brotli (their sizes are null): quick local and pre-commit runs.
    #[arg(long)]
    pub no_compress: bool,

    /// Pre-commit mode: of PATHS, check the `.wasm` files; any other file (a policy, the
    /// config) means checking all artifacts; nothing to check is a pass.
    #[arg(long, hide = true)]
    pub hook: bool,

    /// Read artifacts reached through a symlink that leaves the repository root (refused by
    /// default as `artifact-outside-root`: a PR could point one at any file on the runner).
    #[arg(long)]
    pub allow_outside_root: bool,
}

/// What decides a run besides its artifacts, shared by `check`, `facts` and `merge`.
#[derive(Debug, Clone, Default, ClapArgs)]
pub struct DecideArgs {
    /// A user policy file or directory of *.rego files (repeatable). Adds to [policy] paths.
    #[arg(long = "policy", short = 'p', value_name = "PATH")]
    pub policies: Vec<PathBuf>,

    /// A deployment manifest file or directory (repeatable), e.g. the output of `helm
    /// template` or `kustomize build`. Adds to [manifests] paths; must exist.
    #[arg(long = "manifests", value_name = "PATH")]
    pub manifests: Vec<PathBuf>,

    /// A package whose deny/warn/violation rules run (repeatable) [default: wasmgate].
    #[arg(long = "namespace", short = 'n', value_name = "NS")]
    pub namespaces: Vec<String>,

    /// Run the rules of every package in the user policies.
    #[arg(long)]
    pub all_namespaces: bool,

    /// Parse user policies as Rego v0 (legacy syntax without `if`/`contains`).
    #[arg(long)]
    pub rego_v0: bool,

    /// Compare against the merge-base of REF and HEAD [default: detected from
    /// WASMGATE_BASE, GITHUB_BASE_REF, GitLab merge request variables, the branch's upstream,
    /// or the remote's default branch].
    #[arg(long, value_name = "REF", conflicts_with = "no_base")]
    pub base: Option<String>,

    /// Compare against nothing: no merge-base, no commits, the baseline from the work tree.
    #[arg(long)]
    pub no_base: bool,

    /// Read wasmgate.toml and policies from the merge-base (`base`, the default when a base is
    /// known: a PR cannot loosen its own gate) or from the work tree (`head`).
    #[arg(long, value_enum, value_name = "FROM")]
    pub trust: Option<Trust>,
}

/// How `check` and `merge` write their report.
#[derive(Debug, Clone, Default, ClapArgs)]
pub struct ReportArgs {
    /// Output format on stdout [default: human].
    #[arg(long, value_enum)]
    pub format: Option<Format>,

    /// Also write FORMAT to PATH (repeatable): `--output sarif=wasmgate.sarif --output junit=junit.xml`.
    #[arg(long = "output", value_name = "FORMAT=PATH", value_parser = output_file)]
    pub outputs: Vec<OutputFile>,
}

/// `baseline` options.
#[derive(Debug, Clone, ClapArgs)]
pub struct BaselineArgs {
    /// Artifacts, as for `check`.
    #[arg(value_name = "PATHS")]
    pub paths: Vec<String>,

    /// Record no compressed sizes (their budgets then cannot be compared).
    #[arg(long)]
    pub no_compress: bool,

    /// Where to write [default: [baseline] path, .wasmgate/baseline.json under the root].
    #[arg(long, short = 'o', value_name = "FILE")]
    pub output: Option<PathBuf>,
}

impl BaselineArgs {
    /// The gate options a baseline run uses: its own files, no base.
    pub fn gate(&self) -> GateArgs {
        GateArgs {
            paths: self.paths.clone(),
            decide: DecideArgs {
                no_base: true,
                trust: Some(Trust::Head),
                ..DecideArgs::default()
            },
            no_compress: self.no_compress,
            hook: false,
            allow_outside_root: false,
        }
    }
}
