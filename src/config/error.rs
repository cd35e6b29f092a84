//! Why a config cannot be used, with the span that says where.

use std::path::Path;

use miette::{Diagnostic, NamedSource, SourceSpan};
use thiserror::Error;

/// The path relative to the working directory when below it, as people typed it.
pub(super) fn display_name(path: &Path) -> String {
    std::env::current_dir()
        .ok()
        .and_then(|cwd| path.strip_prefix(cwd).ok().map(Path::to_path_buf))
        .unwrap_or_else(|| path.to_path_buf())
        .display()
        .to_string()
}

/// A config that cannot be used.
#[derive(Debug, Error, Diagnostic)]
pub enum ConfigError {
    /// The file could not be read.
    #[error("cannot read config file {path}: {source}")]
    #[diagnostic(
        code(wasmgate::config::read),
        help("check the path given to --config and its permissions")
    )]
    Read {
        /// The file.
        path: String,
        /// The I/O error.
        source: std::io::Error,
    },
    /// The file is not valid TOML, has an unknown key or a wrong type.
    #[error("invalid config {path}: {message}")]
    #[diagnostic(
        code(wasmgate::config::invalid),
        help("see docs/config.md for every key wasmgate.toml accepts")
    )]
    Invalid {
        /// The file.
        path: String,
        /// What is wrong.
        message: String,
        /// The file's text.
        #[source_code]
        src: NamedSource<String>,
        /// Where.
        #[label("here")]
        span: Option<SourceSpan>,
    },
}
