//! The command line as the user types it (clap derive). Doc comments here are the help text.
//!
//! Nothing here resolves paths or reads files; `plan` turns these into a `CheckRequest`. One
//! file per group of commands: `gate` (check, facts, baseline), `sign` (keygen, sign, verify,
//! signatures), `misc` (init, completions, explain); `output` holds formats and colours.

use std::path::PathBuf;

use clap::{Parser, Subcommand};

mod attest;
mod gate;
mod help;
mod merge;
mod misc;
mod output;
mod sbom;
mod sign;
mod test;

pub use attest::{CheckArgs, RequiredVerdict, VerifyAttestationArgs};
pub use gate::{BaselineArgs, DecideArgs, GateArgs, ReportArgs};
use help::{BASELINE_EXAMPLES, CHECK_EXAMPLES, EXIT_STATUS, FACTS_EXAMPLES};
pub use merge::MergeArgs;
pub use misc::{CompletionsArgs, ExplainArgs, InitArgs};
pub use output::{ColorChoice, Format, OutputFile};
pub use sbom::{BindArgs, SbomArgs, SbomCommand};
pub use sign::{KeygenArgs, ShowArgs, SignArgs, VerifyArgs};
pub use test::{TestArgs, TestFormat};

/// wasmgate: gate WebAssembly releases in CI.
///
/// Reads built .wasm modules and components, computes size, import, memory and proposal
/// facts, evaluates Rego policies (a built-in library configured by wasmgate.toml, plus your
/// own), and exits non-zero with diagnostics a person can act on.
#[derive(Debug, Parser)]
#[command(name = "wasmgate", version, after_help = EXIT_STATUS, max_term_width = 100)]
pub struct Args {
    /// Config file [default: wasmgate.toml in the working directory or the nearest parent].
    #[arg(long, global = true, value_name = "FILE", env = "WASMGATE_CONFIG")]
    pub config: Option<PathBuf>,

    /// When to use colours. NO_COLOR in the environment means never, unless --color=always.
    #[arg(long, global = true, value_enum, default_value_t = ColorChoice::Auto)]
    pub color: ColorChoice,

    /// Print only findings of severity deny, and nothing on success.
    #[arg(short, long, global = true, conflicts_with = "verbose")]
    pub quiet: bool,

    /// Tell on stderr what wasmgate reads and decides (root, config, policies, artifacts).
    #[arg(short, long, global = true)]
    pub verbose: bool,

    /// What to do.
    #[command(subcommand)]
    pub command: Command,
}

/// `facts`: the gate options, and what to print instead of the whole document.
#[derive(Debug, Clone, clap::Args)]
pub struct FactsArgs {
    /// The gate's options.
    #[command(flatten)]
    pub gate: GateArgs,
    /// Output format [default: json, the input document].
    #[arg(long, value_enum)]
    pub format: Option<FactsFormat>,
    /// Print the admission input of every object in this manifest instead (a JSON array, one
    /// AdmissionReview per object, as [admission] input shapes it), to replay with `kwctl run
    /// -r` or paste into a `gator verify` case.
    #[arg(long, value_name = "MANIFEST")]
    pub admission: Option<std::path::PathBuf>,
}

/// What `facts` can write.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum FactsFormat {
    /// The wasmgate.input/v1 document.
    Json,
    /// A summary for people.
    Human,
}

/// Subcommands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Run the gate on the artifacts and exit 0 (pass), 1 (fail) or 2 (could not decide).
    #[command(after_help = CHECK_EXAMPLES)]
    Check(CheckArgs),
    /// Print the policy input document (wasmgate.input/v1) as JSON, like `conftest parse`.
    #[command(after_help = FACTS_EXAMPLES)]
    Facts(FactsArgs),
    /// Write the accepted facts of the artifacts to the baseline file, to commit.
    #[command(after_help = BASELINE_EXAMPLES)]
    Baseline(BaselineArgs),
    /// Make an Ed25519 key pair for signing (wasmsign2's key file format, or PEM).
    #[command(
        after_help = "Examples:\n  wasmgate keygen --secret-key release.key --public-key keys/release.pub\n\nCommit the public key (e.g. under keys/) and list it in [signatures] trusted_keys;\nkeep the secret key in your CI secrets."
    )]
    Keygen(KeygenArgs),
    /// Sign a module or component (embedded signature section, or a detached signature).
    #[command(
        after_help = "Examples:\n  wasmgate sign --secret-key release.key dist/app.wasm            # in place\n  wasmgate sign -k release.key -o dist/app.signed.wasm dist/app.wasm\n  wasmgate sign -k release.key --detached dist/app.wasm.sig dist/app.wasm\n\nSigning a signed module adds a signature. The format is the WebAssembly tool-conventions\none, interoperable with wasmsign2.\n\nExit status:\n  0  signed\n  2  could not sign (unreadable module or key, malformed signature data)"
    )]
    Sign(SignArgs),
    /// Verify a module's signature with public keys.
    #[command(
        after_help = "Examples:\n  wasmgate verify --public-key keys/release.pub dist/app.wasm\n  wasmgate verify -K keys/release.pub --signature dist/app.wasm.sig dist/app.wasm\n\nWithout --signature, an embedded signature is used, else MODULE.sig next to the module.\n\nExit status:\n  0  a signature by one of the keys covers the whole module\n  1  no such signature: unsigned, wrong key, modified, partially covered, misplaced\n  2  could not check (unreadable module, signature file or key)"
    )]
    Verify(VerifyArgs),
    /// Show the signatures a module carries and what they cover.
    #[command(
        after_help = "Examples:\n  wasmgate signatures dist/app.wasm\n  wasmgate signatures -K keys/release.pub dist/app.wasm"
    )]
    Signatures(ShowArgs),
    /// SBOM chores: `sbom bind` makes a producer's SBOM describe the built artifact.
    #[command(
        after_help = "Examples:\n  wasmgate sbom bind dist/app.wasm app.cdx.json\n  wasmgate sbom bind dist/app.wasm app.cdx.json -o dist/app.wasm.cdx.json"
    )]
    Sbom(SbomArgs),
    /// Merge the JSON reports of `check --shard K/N` runs into the decision of one `check`.
    #[command(
        after_help = "Examples:\n  wasmgate check --shard 1/3 --format json > shard-1.json     # in each of 3 jobs\n  wasmgate merge shard-1.json shard-2.json shard-3.json       # in one job after them\n  wasmgate merge --output sarif=wasmgate.sarif shard-*.json\n\nThe merge adds what needs the whole repository (git, AI provenance, governing changes,\nmanifests, removed artifacts, FinOps, user policies) and renders every format as check does.\nIt refuses reports of another wasmgate, base, gate files or shard count, and a missing or\nrepeated shard.\n\nExit status:\n  0  the merged gate passed\n  1  it failed\n  2  the reports cannot be merged, or wasmgate could not decide"
    )]
    Merge(MergeArgs),
    /// Verify a decision attestation (`check --attest`) and what it says.
    #[command(
        after_help = "Examples:\n  wasmgate verify-attestation -K keys/gate.pub decision.intoto.json\n  wasmgate verify-attestation -K keys/gate.pub --artifact dist/app.wasm --require-verdict pass decision.intoto.json\n  wasmgate verify-attestation -K keys/gate.pub --policy-digest sha256:… decision.intoto.json\n\nExit status:\n  0  the attestation verifies and says everything asked (these bytes are subjects, the verdict, the digest)\n  1  it verifies but does not say something asked\n  2  it is unusable: not a DSSE envelope, a signature that does not verify with the key, not a wasmgate decision, an unreadable file"
    )]
    VerifyAttestation(VerifyAttestationArgs),
    /// Write a starting wasmgate.toml (current sizes as budgets), an example policy and a GitHub workflow.
    #[command(
        after_help = "Examples:\n  wasmgate init\n  wasmgate init --force      # replace the starter files\n\nExit status:\n  0  written\n  2  a file exists (without --force) or cannot be written"
    )]
    Init(InitArgs),
    /// Print shell completions.
    #[command(
        after_help = "Examples:\n  wasmgate completions bash > /etc/bash_completion.d/wasmgate\n  wasmgate completions zsh > \"${fpath[1]}/_wasmgate\""
    )]
    Completions(CompletionsArgs),
    /// Print the man page (roff).
    #[command(after_help = "Examples:\n  wasmgate man > wasmgate.1 && man ./wasmgate.1")]
    Man,
    /// Run the Rego unit tests (`test_*` rules) of policy files, as `opa test` does.
    #[command(
        after_help = "Examples:\n  wasmgate test                         # policies/\n  wasmgate test -v --coverage --threshold 80 policies/\n  wasmgate test --format json policies/team\n\nExit status:\n  0  every test passed (and the coverage is at least --threshold)\n  1  a test failed, or the coverage is below --threshold\n  2  a test errored, or a file does not compile"
    )]
    Test(TestArgs),
    /// List the [[waivers]] of wasmgate.toml (as the gate reads it: from the merge-base) with the days each has left.
    #[command(
        after_help = "Examples:\n  wasmgate waivers\n  wasmgate waivers --base origin/main\n\nExit status:\n  0  listed (expired waivers are listed as expired; `check` denies them)\n  2  the config could not be read"
    )]
    Waivers(GateArgs),
    /// Explain a finding code: what it means, what sets it, what to do.
    #[command(
        after_help = "Examples:\n  wasmgate explain size-budget-exceeded\n  wasmgate explain --list"
    )]
    Explain(ExplainArgs),
}
