//! The command line as the user types it (clap derive). Doc comments here are the help text.
//!
//! Nothing here resolves paths or reads files; `request` turns these into a `CheckRequest`.

use std::path::PathBuf;

use clap::{Args as ClapArgs, Parser, Subcommand, ValueEnum};

use crate::config::Trust;

/// The exit-code table, shared by the top-level help and `check --help`.
macro_rules! exit_status {
    () => {
        "Exit status:
  0  the gate passed (warnings allowed)
  1  the gate failed: at least one finding of severity deny
  2  wasmgate could not decide: bad usage, bad config, unreadable input, no artifacts,
     policy compile or runtime error, policy timeout"
    };
}

const EXIT_STATUS: &str = exit_status!();

const CHECK_EXAMPLES: &str = concat!(
    "Examples:
  wasmgate check                           # artifacts from wasmgate.toml or the default search
  wasmgate check dist/app.wasm             # one file
  wasmgate check 'dist/**/*.wasm' pkg/     # globs and directories
  wasmgate check --no-compress             # quick local or pre-commit run
  wasmgate check --format json > report.json
  wasmgate check --policy policies/ --namespace wasmgate.release

",
    exit_status!()
);

const FACTS_EXAMPLES: &str = "\
Examples:
  wasmgate facts dist/app.wasm             # the input document policies see, as JSON
  wasmgate facts --no-compress | jq '.artifacts[].imports'

Exit status:
  0  the document was written
  2  it could not be built (no artifacts, unreadable file, bad config)";

const BASELINE_EXAMPLES: &str = "\
Examples:
  wasmgate baseline                        # accept the current artifacts
  git add .wasmgate/baseline.json && git commit -m 'Accept wasm sizes'

`check` compares each artifact with the baseline as committed at the merge-base.

Exit status:
  0  the baseline was written
  2  it could not be (no artifacts, unreadable file, bad config)";

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

/// Subcommands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Run the gate on the artifacts and exit 0 (pass), 1 (fail) or 2 (could not decide).
    #[command(after_help = CHECK_EXAMPLES)]
    Check(GateArgs),
    /// Print the policy input document (wasmgate.input/v1) as JSON, like `conftest parse`.
    #[command(after_help = FACTS_EXAMPLES)]
    Facts(GateArgs),
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
    /// Explain a finding code: what it means, what sets it, what to do.
    #[command(
        after_help = "Examples:\n  wasmgate explain size-budget-exceeded\n  wasmgate explain --list"
    )]
    Explain(ExplainArgs),
}

/// Options shared by `check` and `facts`.
#[derive(Debug, Clone, ClapArgs)]
pub struct GateArgs {
    /// Artifacts: files, directories (searched for *.wasm) or quoted globs.
    /// Without PATHS: [artifacts] include from wasmgate.toml, else the default search.
    #[arg(value_name = "PATHS")]
    pub paths: Vec<String>,

    /// A user policy file or directory of *.rego files (repeatable). Adds to [policy] paths.
    #[arg(long = "policy", short = 'p', value_name = "PATH")]
    pub policies: Vec<PathBuf>,

    /// A package whose deny/warn/violation rules run (repeatable) [default: wasmgate].
    #[arg(long = "namespace", short = 'n', value_name = "NS")]
    pub namespaces: Vec<String>,

    /// Run the rules of every package in the user policies.
    #[arg(long)]
    pub all_namespaces: bool,

    /// Parse user policies as Rego v0 (legacy syntax without `if`/`contains`).
    #[arg(long)]
    pub rego_v0: bool,

    /// Skip gzip and brotli (their sizes are null): quick local and pre-commit runs.
    #[arg(long)]
    pub no_compress: bool,

    /// Output format on stdout [default: human for check, json for facts].
    #[arg(long, value_enum)]
    pub format: Option<Format>,

    /// Pre-commit mode: of PATHS, check the `.wasm` files; any other file (a policy, the
    /// config) means checking all artifacts; nothing to check is a pass.
    #[arg(long, hide = true)]
    pub hook: bool,

    /// Also write FORMAT to PATH (repeatable): `--output sarif=wasmgate.sarif --output junit=junit.xml`.
    #[arg(long = "output", value_name = "FORMAT=PATH", value_parser = output_file)]
    pub outputs: Vec<OutputFile>,

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

    /// Read artifacts reached through a symlink that leaves the repository root (refused by
    /// default as `artifact-outside-root`: a PR could point one at any file on the runner).
    #[arg(long)]
    pub allow_outside_root: bool,
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
            policies: Vec::new(),
            namespaces: Vec::new(),
            all_namespaces: false,
            rego_v0: false,
            no_compress: self.no_compress,
            format: None,
            hook: false,
            outputs: Vec::new(),
            base: None,
            no_base: true,
            trust: Some(Trust::Head),
            allow_outside_root: false,
        }
    }
}

/// `keygen` options.
#[derive(Debug, Clone, ClapArgs)]
pub struct KeygenArgs {
    /// Where to write the secret key (mode 0600).
    #[arg(long, short = 'k', value_name = "FILE")]
    pub secret_key: PathBuf,
    /// Where to write the public key.
    #[arg(long, short = 'K', value_name = "FILE")]
    pub public_key: PathBuf,
    /// Write PEM (PKCS#8 / SPKI) instead of wasmsign2's compact key files.
    #[arg(long)]
    pub pem: bool,

    /// Replace existing key files (a secret key is never overwritten silently).
    #[arg(long)]
    pub force: bool,
}

/// `sign` options.
#[derive(Debug, Clone, ClapArgs)]
pub struct SignArgs {
    /// The module or component to sign.
    #[arg(value_name = "IN")]
    pub input: PathBuf,
    /// Secret key file.
    #[arg(long, short = 'k', value_name = "FILE")]
    pub secret_key: PathBuf,
    /// Public key file: record its key id with the signature (as wasmsign2 -K does).
    #[arg(long, short = 'K', value_name = "FILE")]
    pub public_key: Option<PathBuf>,
    /// Write the signed module here [default: overwrite IN].
    #[arg(long, short = 'o', value_name = "OUT", conflicts_with = "detached")]
    pub output: Option<PathBuf>,
    /// Write a detached signature to SIGFILE and leave the module unchanged.
    #[arg(long, value_name = "SIGFILE")]
    pub detached: Option<PathBuf>,
}

/// `verify` options.
#[derive(Debug, Clone, ClapArgs)]
pub struct VerifyArgs {
    /// The module or component.
    #[arg(value_name = "IN")]
    pub input: PathBuf,
    /// Public key file (repeatable: any of them may have signed).
    #[arg(long, short = 'K', value_name = "FILE", required = true)]
    pub public_key: Vec<PathBuf>,
    /// Detached signature file [default: embedded, else IN.sig].
    #[arg(long, short = 'S', value_name = "SIGFILE")]
    pub signature: Option<PathBuf>,
}

/// `signatures` options.
#[derive(Debug, Clone, ClapArgs)]
pub struct ShowArgs {
    /// The module or component.
    #[arg(value_name = "IN")]
    pub input: PathBuf,
    /// Public keys to check the signatures with (repeatable).
    #[arg(long, short = 'K', value_name = "FILE")]
    pub public_key: Vec<PathBuf>,
    /// Detached signature file [default: embedded, else IN.sig].
    #[arg(long, short = 'S', value_name = "SIGFILE")]
    pub signature: Option<PathBuf>,
}

/// `init` options.
#[derive(Debug, Clone, ClapArgs)]
pub struct InitArgs {
    /// Replace existing starter files.
    #[arg(long)]
    pub force: bool,
}

/// `completions` options.
#[derive(Debug, Clone, ClapArgs)]
pub struct CompletionsArgs {
    /// The shell.
    #[arg(value_enum)]
    pub shell: clap_complete::Shell,
}

/// `explain` options.
#[derive(Debug, Clone, ClapArgs)]
pub struct ExplainArgs {
    /// The code, e.g. size-budget-exceeded.
    #[arg(required_unless_present = "list")]
    pub code: Option<String>,

    /// List every code with its default severity.
    #[arg(long)]
    pub list: bool,
}

/// Output formats: the report's own, so that the command line and the renderers agree.
pub use crate::report::OutputFormat as Format;

/// `FORMAT=PATH` for `--output`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OutputFile {
    /// The format.
    pub format: Format,
    /// Where to write it.
    pub path: PathBuf,
}

fn output_file(text: &str) -> Result<OutputFile, String> {
    let (format, path) = text
        .split_once('=')
        .ok_or_else(|| format!("`{text}` is not FORMAT=PATH (e.g. sarif=wasmgate.sarif)"))?;
    let format = Format::from_str(format, true).map_err(|_| {
        format!("unknown format `{format}`: human, json, sarif, junit, github or markdown")
    })?;
    if path.is_empty() {
        return Err(format!("`{text}` names no file"));
    }
    Ok(OutputFile {
        format,
        path: PathBuf::from(path),
    })
}

/// Colour choice.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ColorChoice {
    /// Colour when stderr/stdout is a terminal and NO_COLOR is unset.
    Auto,
    /// Always colour.
    Always,
    /// Never colour.
    Never,
}

#[cfg(test)]
mod tests {
    use super::Args;
    use clap::CommandFactory;

    #[test]
    fn verify_cli() {
        Args::command().debug_assert();
    }
}
