//! `[memory]`, `[proposals]` and `[custom_sections]`: the binary's structure.

use serde::{Deserialize, Serialize};

use super::ByteSize;
use super::check::{Fault, globs};

/// `[memory]`
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields, default)]
pub struct MemoryConfig {
    /// Largest memory a module may declare (maximum, or initial when unbounded).
    pub max_bytes: Option<ByteSize>,
    /// Allow shared memories.
    pub allow_shared: bool,
}

impl Default for MemoryConfig {
    fn default() -> Self {
        MemoryConfig {
            max_bytes: None,
            allow_shared: true,
        }
    }
}

/// `[proposals]`
#[derive(Debug, Clone, Default, Deserialize, Serialize)]
#[serde(deny_unknown_fields, default)]
pub struct ProposalsConfig {
    /// When set, only these proposals may be used.
    pub allow: Option<Vec<String>>,
}

/// `[custom_sections]`
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields, default)]
pub struct CustomSectionsConfig {
    /// Patterns of debug sections that warn in release artifacts.
    pub debug: Vec<String>,
    /// Patterns of custom sections that are denied.
    pub deny: Vec<String>,
    /// Custom sections every artifact must carry.
    pub require: Vec<String>,
}

impl Default for CustomSectionsConfig {
    fn default() -> Self {
        CustomSectionsConfig {
            debug: [
                ".debug_*",
                "name",
                "sourceMappingURL",
                "external_debug_info",
            ]
            .map(String::from)
            .to_vec(),
            deny: Vec::new(),
            require: Vec::new(),
        }
    }
}

impl CustomSectionsConfig {
    pub(super) fn check(&self) -> Result<(), Fault> {
        globs("custom_sections.debug", &self.debug)?;
        globs("custom_sections.deny", &self.deny)
    }
}
