//! `[[budgets]]` (size limits) and `[[growth]]` (growth limits against the baseline).

use serde::{Deserialize, Serialize};

use super::ByteSize;
use super::check::{Fault, glob};

/// One `[[budgets]]` entry.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Budget {
    /// Glob over artifact paths (relative to the root); default `**`.
    #[serde(default = "match_all")]
    pub artifacts: String,
    /// Maximum raw size.
    pub raw: Option<ByteSize>,
    /// Maximum gzip size.
    pub gzip: Option<ByteSize>,
    /// Maximum brotli size.
    pub brotli: Option<ByteSize>,
}

pub(super) fn match_all() -> String {
    "**".to_string()
}

/// One `[[growth]]` entry: growth fails only past both the percentage and the byte floor.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Growth {
    /// Glob over artifact paths; default `**`.
    #[serde(default = "match_all")]
    pub artifacts: String,
    /// Raw size growth limit.
    pub raw: Option<GrowthLimit>,
    /// gzip size growth limit.
    pub gzip: Option<GrowthLimit>,
    /// brotli size growth limit.
    pub brotli: Option<GrowthLimit>,
}

/// Growth past `percent` **and** `bytes` fails.
#[derive(Debug, Clone, Copy, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct GrowthLimit {
    /// Percent of the baseline size.
    pub percent: f64,
    /// Bytes.
    pub bytes: ByteSize,
}

impl Budget {
    pub(super) fn check(&self, index: usize) -> Result<(), Fault> {
        glob(&format!("budgets[{index}].artifacts"), &self.artifacts)?;
        if self.raw.is_none() && self.gzip.is_none() && self.brotli.is_none() {
            return Err((
                format!("budgets[{index}]"),
                format!("budgets[{index}] sets no limit: give raw, gzip or brotli"),
            ));
        }
        Ok(())
    }
}

impl Growth {
    pub(super) fn check(&self, index: usize) -> Result<(), Fault> {
        glob(&format!("growth[{index}].artifacts"), &self.artifacts)?;
        if self.raw.is_none() && self.gzip.is_none() && self.brotli.is_none() {
            return Err((
                format!("growth[{index}]"),
                format!("growth[{index}] sets no limit: give raw, gzip or brotli"),
            ));
        }
        Ok(())
    }
}
