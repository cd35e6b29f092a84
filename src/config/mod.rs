//! `wasmgate.toml`: finding it, reading it strictly, and pointing back into it.
//!
//! Unknown keys and wrong types are errors with a span. The parsed config keeps its source
//! text so that findings and errors can label the exact line that set a value.

//! Each area owns its struct, defaults and checks in its own file; `load` reads the file,
//! `check` runs the checks, `spans` points back into the text, `error` says what is wrong.

mod admission;
mod artifacts;
mod budgets;
mod bytesize;
mod check;
mod compression;
mod error;
mod finops;
mod git;
mod imports;
mod load;
mod manifests;
mod output;
mod policy;
mod sbom;
mod signatures;
mod spans;
mod waivers;
mod wasm;

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

pub use admission::{AdmissionConfig, AdmissionInput};
pub use artifacts::{ArtifactsConfig, LimitsConfig};
pub use budgets::{Budget, Growth, GrowthLimit};
pub use bytesize::ByteSize;
pub(crate) use check::edit_distance;
pub use compression::CompressionConfig;
pub use error::ConfigError;
pub use finops::{Compute, CostBudget, FinopsConfig, Loads, PriceTier};
pub use git::{AiConfig, BaselineConfig, GitConfig, Trust};
pub use imports::{CapabilitiesConfig, ExportsConfig, ImportsConfig, WasiConfig};
pub use load::{LoadedConfig, check_rule_codes, find, load, load_text};
pub use manifests::{Bind, ManifestsConfig};
pub use output::OutputConfig;
pub use policy::{Level, PolicyConfig};
pub use sbom::SbomConfig;
pub use signatures::SignaturesConfig;
pub use waivers::{Waiver, WaiverLimits, today};
pub use wasm::{CustomSectionsConfig, MemoryConfig, ProposalsConfig};

/// The file name wasmgate looks for, walking up from the working directory.
pub const FILE_NAME: &str = "wasmgate.toml";

/// The whole configuration. Every key is optional; an empty file means the built-in defaults.
#[derive(Debug, Clone, Default, Deserialize, Serialize)]
#[serde(deny_unknown_fields, default)]
pub struct Config {
    /// Which files are artifacts when no PATHS are given.
    pub artifacts: ArtifactsConfig,
    /// How compressed sizes are measured.
    pub compression: CompressionConfig,
    /// Where user policies come from and how they run.
    pub policy: PolicyConfig,
    /// Severity overrides by finding code: `deny`, `warn` or `allow` (drop).
    pub rules: BTreeMap<String, Level>,
    /// Size budgets, matched to artifacts by glob.
    pub budgets: Vec<Budget>,
    /// Import allow and deny lists.
    pub imports: ImportsConfig,
    /// WASI gating.
    pub wasi: WasiConfig,
    /// Linear memory limits.
    pub memory: MemoryConfig,
    /// Proposal allow list.
    pub proposals: ProposalsConfig,
    /// Custom section rules.
    pub custom_sections: CustomSectionsConfig,
    /// Export limits.
    pub exports: ExportsConfig,
    /// How wasmgate uses the repository.
    pub git: GitConfig,
    /// The committed baseline of accepted facts.
    pub baseline: BaselineConfig,
    /// Growth budgets against the baseline at the merge-base.
    pub growth: Vec<Growth>,
    /// New capabilities against the baseline.
    pub capabilities: CapabilitiesConfig,
    /// AI provenance rules.
    pub ai: AiConfig,
    /// Signature requirements and trusted keys.
    pub signatures: SignaturesConfig,
    /// SBOM requirements, license lists and the ML model card profile.
    pub sbom: SbomConfig,
    /// Output defaults.
    pub output: OutputConfig,
    /// The traffic and price model.
    pub finops: FinopsConfig,
    /// Bounds on what one artifact may make wasmgate store.
    pub limits: LimitsConfig,
    /// Deployment manifests kept in Git.
    pub manifests: ManifestsConfig,
    /// Admission policies run on the manifests' objects.
    pub admission: AdmissionConfig,
    /// Owned, dated acceptances of known findings.
    pub waivers: Vec<Waiver>,
    /// How far ahead waivers may expire and how many may be active.
    pub waiver_limits: WaiverLimits,
}

impl Config {
    /// The growth budgets in force: the default (every metric of every artifact, 5 % and
    /// 8 KiB) first, then each `[[growth]]` entry with its index. Entries add to the default;
    /// for one artifact and metric the most specific matching glob wins ([`glob_specificity`]),
    /// a later entry over an earlier one of the same specificity.
    pub fn growth_budgets(&self) -> Vec<(Option<usize>, Growth)> {
        let limit = Some(GrowthLimit {
            percent: 5.0,
            bytes: ByteSize(8 * 1024),
        });
        let default = Growth {
            artifacts: "**".to_string(),
            raw: limit,
            gzip: limit,
            brotli: limit,
        };
        std::iter::once((None, default))
            .chain(
                self.growth
                    .iter()
                    .cloned()
                    .enumerate()
                    .map(|(i, g)| (Some(i), g)),
            )
            .collect()
    }
}

/// How specific a glob is: the number of characters it matches literally, so `dist/app.wasm`
/// is more specific than `dist/*.wasm`, which is more specific than `**`.
pub fn glob_specificity(pattern: &str) -> usize {
    let mut literal = 0;
    let mut depth = 0usize;
    let mut escaped = false;
    for c in pattern.chars() {
        if escaped {
            escaped = false;
            literal += usize::from(depth == 0);
            continue;
        }
        match c {
            '\\' => escaped = true,
            '[' | '{' => depth += 1,
            ']' | '}' => depth = depth.saturating_sub(1),
            '*' | '?' => {}
            _ if depth == 0 => literal += 1,
            _ => {}
        }
    }
    literal
}

/// A glob over artifact paths as config means it: relative to the root, `*` within one path
/// segment, `**` across them. None for a pattern `load` already rejected.
pub fn artifact_glob(pattern: &str) -> Option<globset::GlobMatcher> {
    globset::GlobBuilder::new(pattern)
        .literal_separator(true)
        .build()
        .ok()
        .map(|glob| glob.compile_matcher())
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::PathBuf;

    fn loaded(text: &str) -> LoadedConfig {
        LoadedConfig {
            config: toml::from_str(text).unwrap(),
            path: Some(PathBuf::from(FILE_NAME)),
            display: FILE_NAME.to_string(),
            source: text.to_string(),
        }
    }

    #[test]
    fn span_of_points_at_the_value() {
        let text = "[memory]\nmax_bytes = \"16 MiB\"\n\n[[budgets]]\nartifacts = \"a\"\nraw = 1\n\n[[budgets]]\ngzip = 20\n";
        let config = loaded(text);
        let span = config.span_of("memory.max_bytes").unwrap();
        assert_eq!(&text[span], "\"16 MiB\"");
        let span = config.span_of("budgets[1].gzip").unwrap();
        assert_eq!(&text[span], "20");
        assert!(config.span_of("budgets[2].gzip").is_none());
    }

    #[test]
    fn a_glob_is_as_specific_as_its_literal_characters() {
        assert_eq!(glob_specificity("**"), 0);
        assert_eq!(glob_specificity("dist/*.wasm"), "dist/.wasm".len());
        assert_eq!(glob_specificity("dist/app.wasm"), "dist/app.wasm".len());
        assert_eq!(glob_specificity("dist/{a,b}.wasm"), "dist/.wasm".len());
        assert_eq!(glob_specificity("dist/[ab]?.wasm"), "dist/.wasm".len());
        assert_eq!(glob_specificity("dist/\\*.wasm"), "dist/*.wasm".len());
    }

    #[test]
    fn unknown_keys_are_rejected() {
        assert!(toml::from_str::<Config>("[memory]\nmax_byte = 1\n").is_err());
        assert!(toml::from_str::<Config>("bogus = 1\n").is_err());
    }
}
