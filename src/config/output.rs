//! `[output]`: defaults of the CI outputs.

use serde::{Deserialize, Serialize};

/// `[output]`
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields, default)]
pub struct OutputConfig {
    /// Under GitHub Actions, emit annotations with human output.
    pub github_annotations: bool,
    /// Under GitHub Actions, append the summary to `$GITHUB_STEP_SUMMARY`.
    pub github_summary: bool,
}

impl Default for OutputConfig {
    fn default() -> Self {
        OutputConfig {
            github_annotations: true,
            github_summary: true,
        }
    }
}
