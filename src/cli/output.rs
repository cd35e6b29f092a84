//! Output formats, `--output FORMAT=PATH` and colours.

use std::path::PathBuf;

use clap::ValueEnum;

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

pub(super) fn output_file(text: &str) -> Result<OutputFile, String> {
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
    use crate::cli::Args;
    use clap::CommandFactory;

    #[test]
    fn verify_cli() {
        Args::command().debug_assert();
    }
}
