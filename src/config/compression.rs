//! `[compression]`: how compressed sizes are measured and cached.

use serde::{Deserialize, Serialize};

use super::check::{Fault, range};

/// `[compression]`
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields, default)]
pub struct CompressionConfig {
    /// gzip level, 0–9.
    pub gzip_level: u32,
    /// brotli quality, 0–11.
    pub brotli_quality: u32,
    /// brotli window in log2 bytes, 10–24.
    pub brotli_window: u32,
    /// Size cache directory, relative to the root.
    pub cache_dir: Option<String>,
    /// Use matching `.gz`/`.br` siblings of an artifact.
    pub use_siblings: bool,
}

impl Default for CompressionConfig {
    fn default() -> Self {
        CompressionConfig {
            gzip_level: 9,
            brotli_quality: 11,
            brotli_window: 22,
            cache_dir: None,
            use_siblings: true,
        }
    }
}

impl CompressionConfig {
    pub(super) fn check(&self) -> Result<(), Fault> {
        range("compression.gzip_level", self.gzip_level, 0, 9)?;
        range("compression.brotli_quality", self.brotli_quality, 0, 11)?;
        range("compression.brotli_window", self.brotli_window, 10, 24)
    }
}
