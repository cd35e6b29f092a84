//! `test`: run the Rego unit tests of policy files.

use std::path::PathBuf;

use clap::Args as ClapArgs;

/// How `test` prints its results.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum TestFormat {
    /// `opa test` style text.
    Human,
    /// The `wasmgate.test/v1` document.
    Json,
}

/// `test` options.
#[derive(Debug, Clone, ClapArgs)]
pub struct TestArgs {
    /// Policy files or directories (searched recursively for `*.rego`).
    #[arg(default_value = "policies")]
    pub paths: Vec<PathBuf>,

    /// Report line coverage per policy file (test files not counted).
    #[arg(long)]
    pub coverage: bool,

    /// Fail (exit 1) when the coverage over all policy files is below PCT percent.
    #[arg(long, value_name = "PCT", requires = "coverage")]
    pub threshold: Option<f64>,

    /// Output format.
    #[arg(long, value_enum, default_value_t = TestFormat::Human)]
    pub format: TestFormat,

    /// Parse the files as Rego v0 (`deny[msg] { … }`).
    #[arg(long)]
    pub rego_v0: bool,

    /// Time limit of each test, in milliseconds.
    #[arg(long, value_name = "MS", default_value_t = 2000)]
    pub timeout_ms: u64,
}
