//! `merge`: shard reports into one decision.

use std::path::PathBuf;

use clap::Args as ClapArgs;

use super::gate::{DecideArgs, GateArgs, ReportArgs};

/// `merge` options: the reports, and the gate options that decide at the merge.
#[derive(Debug, Clone, ClapArgs)]
pub struct MergeArgs {
    /// The JSON reports of every shard (`check --shard K/N --format json`).
    #[arg(value_name = "REPORT", required = true)]
    pub reports: Vec<PathBuf>,
    /// Policies, manifests and the base, as for `check` (the shards' base must agree).
    #[command(flatten)]
    pub decide: DecideArgs,
    /// Stdout format and `--output` files, as for `check`.
    #[command(flatten)]
    pub report: ReportArgs,
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
            decide: self.decide.clone(),
            no_compress: false,
            hook: false,
            allow_outside_root: false,
        }
    }
}
