//! `check`'s attestation options and `verify-attestation`.

use std::path::PathBuf;

use clap::Args as ClapArgs;

use super::gate::{GateArgs, ReportArgs};

/// `check`: the gate's options, and a signed record of its decision.
#[derive(Debug, Clone, ClapArgs)]
pub struct CheckArgs {
    /// The gate's options.
    #[command(flatten)]
    pub gate: GateArgs,
    /// Stdout format and `--output` files.
    #[command(flatten)]
    pub report: ReportArgs,
    /// Write a DSSE envelope over an in-toto Statement of the decision here (every artifact a
    /// subject; docs/attestation.md). Written when the gate decided, pass or fail.
    #[arg(long, value_name = "FILE", requires = "attest_key")]
    pub attest: Option<PathBuf>,
    /// The Ed25519 secret key that signs the attestation (as for `sign`: wasmsign2 key file
    /// or PEM).
    #[arg(long, value_name = "KEY", requires = "attest")]
    pub attest_key: Option<PathBuf>,
    /// Record when the decision was made (RFC 3339, UTC); without it the same inputs give the
    /// same attestation bytes.
    #[arg(long, requires = "attest")]
    pub attest_time: bool,
    /// Check only shard K of N (1 ≤ K ≤ N; by a hash of each path, so adding an artifact
    /// moves no other) and leave the repository-level checks to `wasmgate merge`; use
    /// `--format json` for the report to merge.
    #[arg(long, value_name = "K/N")]
    pub shard: Option<crate::shard::Shard>,
}

/// `verify-attestation` options.
#[derive(Debug, Clone, ClapArgs)]
pub struct VerifyAttestationArgs {
    /// The attestation (a DSSE envelope, as `check --attest` writes it).
    #[arg(value_name = "FILE")]
    pub attestation: PathBuf,
    /// The public key that must have signed it.
    #[arg(long, short = 'K', value_name = "KEY")]
    pub public_key: PathBuf,
    /// An artifact whose bytes must be a subject (repeatable).
    #[arg(long, value_name = "PATH")]
    pub artifact: Vec<PathBuf>,
    /// The verdict it must record.
    #[arg(long, value_enum, value_name = "VERDICT")]
    pub require_verdict: Option<RequiredVerdict>,
    /// The gate files' digest it must record (`sha256:…`, as `check --format json` reports
    /// under gate.digest).
    #[arg(long, value_name = "DIGEST")]
    pub policy_digest: Option<String>,
}

/// A verdict an attestation can record.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum RequiredVerdict {
    /// The gate passed.
    Pass,
    /// The gate failed.
    Fail,
}
