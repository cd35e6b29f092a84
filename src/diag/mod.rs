//! Errors: the reasons wasmgate could not decide (exit 2), each with a code and a fix.
//!
//! Findings (what the gate decided) live in `report`; an `Error` means there is no verdict.

pub mod codes;

use miette::{Diagnostic, NamedSource, SourceSpan};
use thiserror::Error;

use crate::config::ConfigError;

/// Why wasmgate could not finish.
#[derive(Debug, Error, Diagnostic)]
pub enum Error {
    /// The config is unusable.
    #[error(transparent)]
    #[diagnostic(transparent)]
    Config(#[from] ConfigError),

    /// Nothing to check.
    #[error("no wasm artifacts found in {searched}")]
    #[diagnostic(
        code(wasmgate::discover::none_found),
        help(
            "build first, pass the artifacts as PATHS (files, directories or globs), or set [artifacts] include in wasmgate.toml; an empty gate is not a pass"
        )
    )]
    NoArtifacts {
        /// Where wasmgate looked.
        searched: String,
    },

    /// A PATHS entry that does not exist.
    #[error("{path}: no such file or directory")]
    #[diagnostic(
        code(wasmgate::discover::missing_path),
        help("check the path; globs must be quoted so that the shell passes them through")
    )]
    MissingPath {
        /// The path as given.
        path: String,
    },

    /// A glob that cannot be compiled.
    #[error("invalid glob `{pattern}`: {message}")]
    #[diagnostic(code(wasmgate::discover::bad_glob))]
    BadGlob {
        /// The pattern.
        pattern: String,
        /// Why.
        message: String,
    },

    /// A file that cannot be read.
    #[error("cannot read {path}: {source}")]
    #[diagnostic(
        code(wasmgate::io::read),
        help("check that the file exists and is readable by this user")
    )]
    Read {
        /// The file.
        path: String,
        /// The I/O error.
        source: std::io::Error,
    },

    /// An artifact larger than `[artifacts] max_size`.
    #[error("{path} is {size} bytes, more than the {limit}-byte limit")]
    #[diagnostic(
        code(wasmgate::io::too_large),
        help("raise [artifacts] max_size in wasmgate.toml if this artifact is expected")
    )]
    TooLarge {
        /// The file.
        path: String,
        /// Its size.
        size: u64,
        /// The limit.
        limit: u64,
    },

    /// A policy that does not parse or compile.
    #[error("policy {file} does not compile: {message}")]
    #[diagnostic(
        code(wasmgate::policy::compile),
        help(
            "wasmgate reads Rego v1 by default; use --rego-v0 or [policy] rego_v0 = true for legacy policies"
        )
    )]
    PolicyCompile {
        /// The file.
        file: String,
        /// The engine's message.
        message: String,
        /// The file's text.
        #[source_code]
        src: NamedSource<String>,
        /// Where.
        #[label("{message}")]
        span: Option<SourceSpan>,
    },

    /// A policy that failed while evaluating.
    #[error("policy evaluation failed in {file}: {message}")]
    #[diagnostic(
        code(wasmgate::policy::eval),
        help(
            "builtin errors are strict: a wrong argument type is an error, not an undefined result; fix the policy or guard the call"
        )
    )]
    PolicyEval {
        /// The file (or the query when the engine gave no location).
        file: String,
        /// The engine's message.
        message: String,
        /// The file's text.
        #[source_code]
        src: NamedSource<String>,
        /// Where.
        #[label("{message}")]
        span: Option<SourceSpan>,
    },

    /// A policy that ran past the time limit.
    #[error("policy evaluation of {package} exceeded the {limit_ms} ms time limit")]
    #[diagnostic(
        code(wasmgate::policy::timeout),
        help(
            "look for unbounded iteration in the policy, or raise [policy] timeout_ms in wasmgate.toml"
        )
    )]
    PolicyTimeout {
        /// The package being evaluated.
        package: String,
        /// The limit.
        limit_ms: u64,
    },

    /// A policy rule whose value is not a set of strings or `{msg: ...}` objects.
    #[error("rule {rule} produced a result wasmgate cannot read: {message}")]
    #[diagnostic(
        code(wasmgate::policy::result),
        help(
            "deny/warn/violation rules must produce strings or objects with a string `msg` (and optional `code`, `artifact`, `details`)"
        )
    )]
    PolicyResult {
        /// `data.pkg.rule`.
        rule: String,
        /// What is wrong.
        message: String,
    },

    /// A policy path that does not exist or cannot be read.
    #[error("cannot load policy {path}: {message}")]
    #[diagnostic(
        code(wasmgate::policy::load),
        help("check --policy and [policy] paths in wasmgate.toml")
    )]
    PolicyLoad {
        /// The path.
        path: String,
        /// Why.
        message: String,
    },

    /// An unknown code given to `wasmgate explain`.
    #[error("unknown code `{code}`")]
    #[diagnostic(code(wasmgate::explain::unknown_code), help("known codes: {known}"))]
    UnknownCode {
        /// What was asked.
        code: String,
        /// Every code.
        known: String,
    },

    /// The working directory cannot be determined.
    #[error("cannot determine the working directory: {0}")]
    #[diagnostic(code(wasmgate::io::cwd))]
    Cwd(std::io::Error),
}

impl Error {
    /// The diagnostic code as a string, for the JSON report.
    pub fn code_string(&self) -> Option<String> {
        self.code().map(|code| code.to_string())
    }

    /// The help text as a string, for the JSON report.
    pub fn help_string(&self) -> Option<String> {
        self.help().map(|help| help.to_string())
    }
}
