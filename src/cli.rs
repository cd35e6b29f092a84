//! The command line as the user types it (clap derive). Doc comments here are the help text.
//!
//! Nothing here resolves paths or reads files; `request` turns these into a `CheckRequest`.

use std::path::PathBuf;

use clap::{Args as ClapArgs, Parser, Subcommand, ValueEnum};

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

    /// Output format [default: human for check, json for facts].
    #[arg(long, value_enum)]
    pub format: Option<Format>,
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

/// Output formats.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Format {
    /// Diagnostics and a summary table for people.
    Human,
    /// The wasmgate.report/v1 document (for `facts`: the input document).
    Json,
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
