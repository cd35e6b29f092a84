//! The JSON report (`wasmgate.report/v1`): the same bytes for the same inputs.

use super::Report;

/// Renders the report as pretty JSON with a trailing newline.
pub fn render(report: &Report) -> String {
    let mut text = serde_json::to_string_pretty(report).unwrap_or_else(|e| {
        // Serialising plain structs with string keys cannot fail; say so if it ever does.
        format!("{{\"schema_version\":\"wasmgate.report/v1\",\"verdict\":\"error\",\"error\":{{\"message\":\"cannot serialise report: {e}\"}}}}")
    });
    text.push('\n');
    text
}
