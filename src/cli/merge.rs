//! `merge`: shard reports into one decision.

use std::path::PathBuf;

use clap::Args as ClapArgs;

use super::gate::{GateArgs, ReportArgs};
use crate::config::Trust;

/// `merge` options: the reports, and the gate options that decide at the merge.
#[derive(Debug, Clone, ClapArgs)]
pub struct MergeArgs {
    /// The JSON reports of every shard (`check --shard K/N --format json`).
    #[arg(value_name = "REPORT", required = true)]
    pub reports: Vec<PathBuf>,
    /// A user policy file or directory (repeatable), as for `check`.
    #[arg(long = "policy", short = 'p', value_name = "PATH")]
    pub policies: Vec<PathBuf>,
    /// A deployment manifest file or directory (repeatable), as for `check`.
    #[arg(long = "manifests", value_name = "PATH")]
    pub manifests: Vec<PathBuf>,
    /// A package whose rules run (repeatable), as for `check`.
    #[arg(long = "namespace", short = 'n', value_name = "NS")]
    pub namespaces: Vec<String>,
    /// Run the rules of every package in the user policies.
    #[arg(long)]
    pub all_namespaces: bool,
    /// Parse user policies as Rego v0.
    #[arg(long)]
    pub rego_v0: bool,
    /// Stdout format and `--output` files, as for `check`.
    #[command(flatten)]
    pub report: ReportArgs,
    /// Compare against the merge-base of REF and HEAD, as for `check` (the shards' must agree).
    #[arg(long, value_name = "REF", conflicts_with = "no_base")]
    pub base: Option<String>,
    /// Compare against nothing, as for `check`.
    #[arg(long)]
    pub no_base: bool,
    /// Read wasmgate.toml and policies from the merge-base or the work tree, as for `check`.
    #[arg(long, value_enum, value_name = "FROM")]
    pub trust: Option<Trust>,
    /// Write a decision attestation of the merged decision here, as `check --attest` does.
    #[arg(long, value_name = "FILE", requires = "attest_key")]
    pub attest: Option<PathBuf>,
    /// The Ed25519 secret key that signs it.
    #[arg(long, value_name = "KEY", requires = "attest")]
    pub attest_key: Option<PathBuf>,
    /// Record when the decision was made.
    #[arg(long, requires = "attest")]
    pub attest_time: bool,
}

impl MergeArgs {
    /// The gate options of the merge: the shards' PATHS, and its own policy, base and
    /// output options.
    pub fn gate(&self, paths: Vec<String>) -> GateArgs {
        GateArgs {
            paths,
            policies: self.policies.clone(),
            manifests: self.manifests.clone(),
            namespaces: self.namespaces.clone(),
            all_namespaces: self.all_namespaces,
            rego_v0: self.rego_v0,
            no_compress: false,
            hook: false,
            base: self.base.clone(),
            no_base: self.no_base,
            trust: self.trust,
            allow_outside_root: false,
        }
    }
}
