//! `[rules]` severity overrides: re-level a code, or drop it with `allow`.

use crate::config::{Level, LoadedConfig};
use crate::report::Severity;

/// The severity after `[rules]`; None when the code is set to `allow`.
pub(super) fn apply_override(
    config: &LoadedConfig,
    code: &str,
    severity: Severity,
) -> Option<Severity> {
    match config.config.rules.get(code) {
        Some(Level::Allow) => None,
        Some(Level::Deny) => Some(Severity::Deny),
        Some(Level::Warn) => Some(Severity::Warn),
        None => Some(severity),
    }
}
