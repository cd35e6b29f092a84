//! `init`, `completions` and `explain`.

use clap::Args as ClapArgs;

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
