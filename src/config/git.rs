//! `[git]`, `[baseline]` and `[ai]`: how the repository is read, where the baseline is,
//! and the AI provenance rules.

use serde::{Deserialize, Serialize};

use super::check::{Fault, globs};

/// `[git]`
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields, default)]
pub struct GitConfig {
    /// Exit 2 outside a git repository instead of skipping the git-based rules.
    pub required: bool,
    /// Where config, policies and the baseline are read when a base is known: `base` (the
    /// merge-base; the PR cannot loosen its own gate) or `head`.
    pub trust: Trust,
}

impl Default for GitConfig {
    fn default() -> Self {
        GitConfig {
            required: false,
            trust: Trust::Base,
        }
    }
}

/// Which commit the gate's own files are read from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize, clap::ValueEnum)]
#[serde(rename_all = "lowercase")]
pub enum Trust {
    /// The merge-base with the base branch (when a base is known).
    Base,
    /// The work tree.
    Head,
}

/// `[baseline]`
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields, default)]
pub struct BaselineConfig {
    /// Path of the baseline file, relative to the root.
    pub path: String,
    /// Most baseline changes read for the size history (first-parent, newest first).
    pub history: usize,
}

impl Default for BaselineConfig {
    fn default() -> Self {
        BaselineConfig {
            path: ".wasmgate/baseline.json".to_string(),
            history: 50,
        }
    }
}

/// `[ai]`
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields, default)]
pub struct AiConfig {
    /// Trailer keys whose presence marks a commit AI-assisted.
    pub trailers: Vec<String>,
    /// Names or addresses (case-insensitive substrings) of AI tools, matched in
    /// `Co-authored-by` and review trailers.
    pub identities: Vec<String>,
    /// AI-assisted commits touching protected paths need a human review trailer.
    pub require_review: bool,
    /// The review trailer key.
    pub review_trailer: String,
    /// When set, AI-assisted commits must say so with this trailer (e.g. `Assisted-by`).
    pub require_trailer: Option<String>,
    /// Trailer keys that must not attribute AI (e.g. `Co-authored-by`).
    pub forbid_trailers: Vec<String>,
    /// Paths that need review: the gate's own files, keys and CI.
    #[serde(skip_serializing)]
    pub protected: Vec<String>,
    /// More protected paths: capability-bearing source (bindings, host calls).
    pub capability_paths: Vec<String>,
}

impl Default for AiConfig {
    fn default() -> Self {
        let strings = |items: &[&str]| items.iter().map(|s| (*s).to_string()).collect();
        AiConfig {
            trailers: strings(&["Assisted-by", "Generated-by", "AI-assisted", "AI-generated"]),
            identities: strings(&[
                "copilot",
                "claude",
                "anthropic",
                "chatgpt",
                "openai",
                "codex",
                "cursor",
                "gemini",
                "devin",
                "aider",
                "codeium",
                "windsurf",
                "tabnine",
                "amazon q",
                "codewhisperer",
                "jules",
            ]),
            require_review: true,
            review_trailer: "Reviewed-by".to_string(),
            require_trailer: None,
            forbid_trailers: Vec::new(),
            protected: strings(&[
                "wasmgate.toml",
                "**/wasmgate.toml",
                "policies/**",
                ".wasmgate/**",
                ".github/**",
                "keys/**",
                "**/*.pem",
                "**/*.key",
                "**/*.pub",
            ]),
            capability_paths: Vec::new(),
        }
    }
}

impl AiConfig {
    pub(super) fn check(&self) -> Result<(), Fault> {
        globs("ai.protected", &self.protected)?;
        globs("ai.capability_paths", &self.capability_paths)
    }
}
