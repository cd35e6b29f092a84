//! `wasmgate explain CODE`: the catalogue entry of a finding code, as text.

use std::fmt::Write as _;

use crate::diag::Error;
use crate::diag::codes::{CODES, lookup};

/// The explanation of one code.
pub fn explain(code: &str) -> Result<String, Error> {
    let info = lookup(code).ok_or_else(|| Error::UnknownCode {
        code: code.to_string(),
        known: CODES
            .iter()
            .map(|info| info.code)
            .collect::<Vec<_>>()
            .join(", "),
    })?;
    let mut out = String::new();
    let _ = writeln!(out, "{}", info.code);
    let _ = writeln!(
        out,
        "  default severity: {}",
        info.default_severity.as_str()
    );
    let _ = writeln!(out, "  configured by:    {}", info.config);
    let _ = writeln!(out, "\n{}\n\nWhat to do: {}", info.summary, info.help);
    let _ = writeln!(
        out,
        "\nChange its severity in wasmgate.toml:\n  [rules]\n  {} = \"deny\"   # or \"warn\", or \"allow\" to drop it",
        info.code
    );
    let _ = writeln!(out, "\nSee docs/rules.md#{}", info.code);
    Ok(out)
}

/// One line per code.
pub fn list() -> String {
    let width = CODES.iter().map(|i| i.code.len()).max().unwrap_or(0);
    CODES.iter().fold(String::new(), |mut out, info| {
        let _ = writeln!(
            out,
            "{:<width$}  {:<4}  {}",
            info.code,
            info.default_severity.as_str(),
            info.summary
        );
        out
    })
}
