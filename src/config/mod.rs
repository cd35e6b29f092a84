//! `wasmgate.toml`: finding it, reading it strictly, and pointing back into it.
//!
//! Unknown keys and wrong types are errors with a span. The parsed config keeps its source
//! text so that findings and errors can label the exact line that set a value.

mod bytesize;

use std::collections::BTreeMap;
use std::ops::Range;
use std::path::{Path, PathBuf};

use miette::{Diagnostic, NamedSource, SourceSpan};
use serde::Deserialize;
use thiserror::Error;

pub use bytesize::ByteSize;

/// The file name wasmgate looks for, walking up from the working directory.
pub const FILE_NAME: &str = "wasmgate.toml";

/// The whole configuration. Every key is optional; an empty file means the built-in defaults.
#[derive(Debug, Clone, Default, Deserialize)]
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
}

/// `[limits]`: per-artifact bounds, so that a hostile binary ends in a finding, not in
/// unbounded memory.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct LimitsConfig {
    /// Sections of every kind per binary.
    pub sections: u64,
    /// Custom sections per binary.
    pub custom_sections: u64,
    /// Imports per binary.
    pub imports: u64,
    /// Exports per binary.
    pub exports: u64,
    /// Globals per binary.
    pub globals: u64,
    /// Tables per binary.
    pub tables: u64,
    /// Memories per binary.
    pub memories: u64,
    /// The policy input document, serialised: larger is exit 2.
    pub input_bytes: ByteSize,
}

impl Default for LimitsConfig {
    fn default() -> Self {
        let wasm = crate::facts::wasm::Limits::default();
        LimitsConfig {
            sections: wasm.sections,
            custom_sections: wasm.custom_sections,
            imports: wasm.imports,
            exports: wasm.exports,
            globals: wasm.globals,
            tables: wasm.tables,
            memories: wasm.memories,
            // What policies see is held twice (JSON, then the engine's values): 64 MiB of
            // JSON is far past any real release and well inside the memory bound.
            input_bytes: ByteSize(64 * 1024 * 1024),
        }
    }
}

impl LimitsConfig {
    /// The limits the wasm collector applies.
    pub fn wasm(&self) -> crate::facts::wasm::Limits {
        crate::facts::wasm::Limits {
            sections: self.sections,
            custom_sections: self.custom_sections,
            imports: self.imports,
            exports: self.exports,
            globals: self.globals,
            tables: self.tables,
            memories: self.memories,
        }
    }
}

/// `[finops]`
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct FinopsConfig {
    /// Currency of prices and costs.
    pub currency: String,
    /// Price per GB (10^9 bytes) of egress.
    pub price_per_gb: f64,
    /// Share of loads served from a cache (browser or CDN edge) without a download.
    pub cache_hit_ratio: f64,
    /// The encoding the CDN serves: `brotli`, `gzip` or `raw`.
    pub encoding: String,
    /// kg CO₂e per GB transferred.
    pub co2e_kg_per_gb: f64,
    /// Monthly loads by artifact glob.
    pub loads: Vec<Loads>,
    /// Tiered egress prices over the total monthly GB, cheapest last; replaces
    /// `price_per_gb` when set (each artifact pays its share of the total).
    pub tiers: Vec<PriceTier>,
    /// Cost budgets by artifact glob (in addition to the global ones).
    pub budgets: Vec<CostBudget>,
    /// Largest monthly cost per artifact (cost-budget-exceeded; the cost term of the risk).
    pub max_monthly_cost: Option<f64>,
    /// Largest monthly cost increase a change may add, per artifact.
    pub max_increase: Option<f64>,
    /// Largest monthly cost increase in percent, per artifact.
    pub max_increase_percent: Option<f64>,
    /// Largest total monthly cost.
    pub max_total_monthly_cost: Option<f64>,
    /// History changes needed before an anomaly score is given.
    pub anomaly_min_history: usize,
    /// Robust z-score from which a change warns.
    pub anomaly_warn: f64,
    /// Robust z-score from which a change denies.
    pub anomaly_deny: f64,
    /// The shipped cost-risk rule denies above this score…
    pub risk_deny_above: f64,
    /// …when the predicted monthly cost is above this.
    pub risk_min_monthly_cost: f64,
}

/// One `[[finops.tiers]]` entry.
#[derive(Debug, Clone, Copy, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PriceTier {
    /// This price applies to the GB up to this monthly total; the last tier has none.
    pub up_to_gb: Option<f64>,
    /// Price per GB within the tier.
    pub price_per_gb: f64,
}

/// One `[[finops.budgets]]` entry.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CostBudget {
    /// Glob over artifact paths.
    #[serde(default = "match_all")]
    pub artifacts: String,
    /// Largest monthly cost.
    pub max_monthly_cost: Option<f64>,
    /// Largest monthly increase per change.
    pub max_increase: Option<f64>,
    /// Largest monthly increase per change, in percent.
    pub max_increase_percent: Option<f64>,
}

/// One `[[finops.loads]]` entry.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Loads {
    /// Glob over artifact paths.
    #[serde(default = "match_all")]
    pub artifacts: String,
    /// Loads per month.
    pub per_month: f64,
}

impl FinopsConfig {
    /// Cost of `gb` per month under the tiers (or the flat price without tiers).
    pub fn price(&self, gb: f64) -> f64 {
        if self.tiers.is_empty() {
            return gb * self.price_per_gb;
        }
        let (mut cost, mut floor) = (0.0, 0.0);
        for tier in &self.tiers {
            let ceiling = tier.up_to_gb.unwrap_or(f64::INFINITY);
            let within = (gb.min(ceiling) - floor).max(0.0);
            cost += within * tier.price_per_gb;
            floor = ceiling;
            if gb <= ceiling {
                break;
            }
        }
        cost
    }

    /// Monthly loads of an artifact: the first matching `[[finops.loads]]` entry.
    pub fn loads_for(&self, path: &str) -> Option<f64> {
        self.loads.iter().find_map(|loads| {
            artifact_glob(&loads.artifacts)?
                .is_match(path)
                .then_some(loads.per_month)
        })
    }
}

impl Default for FinopsConfig {
    fn default() -> Self {
        FinopsConfig {
            currency: "USD".to_string(),
            // Amazon CloudFront, data transfer out to the internet, first 10 TB/month in North
            // America and Europe (public price list; see docs/finops.md).
            price_per_gb: 0.085,
            cache_hit_ratio: 0.0,
            encoding: "brotli".to_string(),
            // Sustainable Web Design model v3: 0.81 kWh/GB × 442 g CO₂e/kWh (docs/finops.md).
            co2e_kg_per_gb: 0.358,
            loads: Vec::new(),
            tiers: Vec::new(),
            budgets: Vec::new(),
            max_monthly_cost: None,
            max_increase: None,
            max_increase_percent: None,
            max_total_monthly_cost: None,
            anomaly_min_history: 5,
            // Iglewicz and Hoaglin's outlier threshold for the modified z-score.
            anomaly_warn: 3.5,
            anomaly_deny: 7.0,
            risk_deny_above: 0.8,
            risk_min_monthly_cost: 1000.0,
        }
    }
}

/// `[output]`
#[derive(Debug, Clone, Deserialize)]
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

/// `[sbom]`
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct SbomConfig {
    /// Artifact globs that must have an SBOM.
    pub required: Vec<String>,
    /// SBOM files by artifact glob (relative to the root); siblings are used otherwise.
    pub files: BTreeMap<String, String>,
    /// When set, every component needs a license alternative made only of these.
    pub licenses_allow: Option<Vec<String>>,
    /// Licenses no component may require.
    pub licenses_deny: Vec<String>,
    /// With `licenses_allow`, what a component without any license is: `deny` (the
    /// default), `warn` or `allow`.
    pub unlicensed: Level,
    /// What a machine-learning model's card must hold: `model-card`, `datasets`,
    /// `dataset-provenance`, `fairness`, `ethics`, `limitations`, `energy`, `license`.
    pub model_card: Vec<String>,
    /// The Cargo.toml of the crate that builds the wasm (relative to the root); its resolved
    /// graph is compared with the SBOMs. Without it, `Cargo.toml` at the root is used when an
    /// artifact with an SBOM was produced by Rust.
    pub cargo_manifest: Option<String>,
    /// The target the Cargo graph is filtered to.
    pub cargo_target: String,
}

impl Default for SbomConfig {
    fn default() -> Self {
        SbomConfig {
            required: Vec::new(),
            files: BTreeMap::new(),
            licenses_allow: None,
            licenses_deny: Vec::new(),
            unlicensed: Level::Deny,
            model_card: [
                "model-card",
                "datasets",
                "dataset-provenance",
                "fairness",
                "ethics",
                "limitations",
                "license",
            ]
            .map(String::from)
            .to_vec(),
            cargo_manifest: None,
            cargo_target: "wasm32-unknown-unknown".to_string(),
        }
    }
}

/// `[signatures]`
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct SignaturesConfig {
    /// Public key files (relative to the root) whose signatures are trusted; read from the
    /// merge-base when a base is known.
    pub trusted_keys: Vec<String>,
    /// Artifact globs that must carry a valid signature by a trusted key.
    pub required: Vec<String>,
    /// Accept signatures that cover the artifact only up to a delimiter.
    pub allow_partial: bool,
}

/// `[artifacts]`
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct ArtifactsConfig {
    /// Globs relative to the root; replaces the default search when set.
    pub include: Vec<String>,
    /// Globs relative to the root that are never artifacts.
    pub exclude: Vec<String>,
    /// Files larger than this are not read (exit 2).
    pub max_size: ByteSize,
}

impl Default for ArtifactsConfig {
    fn default() -> Self {
        ArtifactsConfig {
            include: Vec::new(),
            exclude: Vec::new(),
            max_size: ByteSize(512 * 1024 * 1024),
        }
    }
}

/// `[compression]`
#[derive(Debug, Clone, Deserialize)]
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

/// `[policy]`
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct PolicyConfig {
    /// Files or directories of user policies, relative to the root.
    pub paths: Vec<String>,
    /// Packages whose rules are evaluated.
    pub namespaces: Vec<String>,
    /// Evaluate every package of the user policies.
    pub all_namespaces: bool,
    /// Parse user policies as Rego v0.
    pub rego_v0: bool,
    /// Evaluation time limit in milliseconds.
    pub timeout_ms: u64,
    /// Run the built-in policy library.
    pub builtin: bool,
    /// Merged into `data` for user policies.
    pub data: toml::Table,
}

impl Default for PolicyConfig {
    fn default() -> Self {
        PolicyConfig {
            paths: vec!["policies".to_string()],
            namespaces: vec!["wasmgate".to_string()],
            all_namespaces: false,
            rego_v0: false,
            timeout_ms: 10_000,
            builtin: true,
            data: toml::Table::new(),
        }
    }
}

/// A severity override.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Level {
    /// Fail the gate.
    Deny,
    /// Report, do not fail.
    Warn,
    /// Drop the finding.
    Allow,
}

/// One `[[budgets]]` entry.
#[derive(Debug, Clone, Deserialize)]
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

fn match_all() -> String {
    "**".to_string()
}

/// `[imports]`
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct ImportsConfig {
    /// When set, only imports matching one of these patterns are allowed.
    pub allow: Option<Vec<String>>,
    /// Imports matching any of these patterns are denied.
    pub deny: Vec<String>,
}

/// `[wasi]`
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct WasiConfig {
    /// Allow WASI preview 1 (`wasi_snapshot_preview1`, `wasi_unstable`) imports.
    pub preview1: bool,
    /// When set, only `wasi:*` interfaces matching these patterns are allowed.
    pub allow: Option<Vec<String>>,
    /// `wasi:*` interfaces matching these patterns are denied.
    pub deny: Vec<String>,
}

impl Default for WasiConfig {
    fn default() -> Self {
        WasiConfig {
            preview1: true,
            allow: None,
            deny: Vec::new(),
        }
    }
}

/// `[memory]`
#[derive(Debug, Clone, Deserialize)]
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
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct ProposalsConfig {
    /// When set, only these proposals may be used.
    pub allow: Option<Vec<String>>,
}

/// `[custom_sections]`
#[derive(Debug, Clone, Deserialize)]
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

/// `[exports]`
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct ExportsConfig {
    /// Most exports an artifact may have.
    pub max: Option<u32>,
}

/// `[git]`
#[derive(Debug, Clone, Deserialize)]
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
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, clap::ValueEnum)]
#[serde(rename_all = "lowercase")]
pub enum Trust {
    /// The merge-base with the base branch (when a base is known).
    Base,
    /// The work tree.
    Head,
}

/// `[baseline]`
#[derive(Debug, Clone, Deserialize)]
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

/// One `[[growth]]` entry: growth fails only past both the percentage and the byte floor.
#[derive(Debug, Clone, Deserialize)]
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
#[derive(Debug, Clone, Copy, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct GrowthLimit {
    /// Percent of the baseline size.
    pub percent: f64,
    /// Bytes.
    pub bytes: ByteSize,
}

impl Config {
    /// `[[growth]]`, or the default: every metric of every artifact, 5 % and 8 KiB.
    pub fn growth_budgets(&self) -> Vec<Growth> {
        if !self.growth.is_empty() {
            return self.growth.clone();
        }
        let limit = Some(GrowthLimit {
            percent: 5.0,
            bytes: ByteSize(8 * 1024),
        });
        vec![Growth {
            artifacts: match_all(),
            raw: limit,
            gzip: limit,
            brotli: limit,
        }]
    }
}

/// `[capabilities]`
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct CapabilitiesConfig {
    /// New imports or interfaces matching these patterns are not findings.
    pub allow_new: Vec<String>,
}

/// `[ai]`
#[derive(Debug, Clone, Deserialize)]
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

/// A glob over artifact paths as config means it: relative to the root, `*` within one path
/// segment, `**` across them. None for a pattern `load` already rejected.
pub fn artifact_glob(pattern: &str) -> Option<globset::GlobMatcher> {
    globset::GlobBuilder::new(pattern)
        .literal_separator(true)
        .build()
        .ok()
        .map(|glob| glob.compile_matcher())
}

/// A config and where it came from.
#[derive(Debug, Clone, Default)]
pub struct LoadedConfig {
    /// The parsed configuration.
    pub config: Config,
    /// The file it was read from; None when the defaults are in use.
    pub path: Option<PathBuf>,
    /// How to name it in diagnostics: `wasmgate.toml`, or `wasmgate.toml@<commit>` when it
    /// was read from the merge-base.
    pub display: String,
    /// The file's text, for labelling spans.
    pub source: String,
}

impl LoadedConfig {
    /// The byte span of a key path such as `budgets[0].gzip` or `memory.max_bytes`.
    pub fn span_of(&self, key_path: &str) -> Option<Range<usize>> {
        self.path.as_ref()?;
        let root = toml::de::DeTable::parse(&self.source).ok()?;
        let mut table = root.get_ref();
        let mut span = None;
        let mut segments = key_path.split('.').peekable();
        while let Some(segment) = segments.next() {
            let (key, index) = split_index(segment);
            let mut entry = lookup(table, key)?;
            if let Some(index) = index {
                let toml::de::DeValue::Array(items) = entry.get_ref() else {
                    return None;
                };
                entry = items.get(index)?;
            }
            span = Some(entry.span());
            if segments.peek().is_some() {
                let toml::de::DeValue::Table(inner) = entry.get_ref() else {
                    return None;
                };
                table = inner;
            }
        }
        span
    }

    /// A miette source for labels into this config.
    pub fn named_source(&self) -> Option<NamedSource<String>> {
        self.path.as_ref()?;
        Some(NamedSource::new(self.display.clone(), self.source.clone()))
    }
}

fn lookup<'a, 'i>(
    table: &'a toml::de::DeTable<'i>,
    key: &str,
) -> Option<&'a toml::Spanned<toml::de::DeValue<'i>>> {
    table
        .iter()
        .find(|(name, _)| name.get_ref().as_ref() == key)
        .map(|(_, value)| value)
}

fn split_index(segment: &str) -> (&str, Option<usize>) {
    match segment.split_once('[') {
        Some((key, rest)) => (key, rest.trim_end_matches(']').parse().ok()),
        None => (segment, None),
    }
}

/// The path relative to the working directory when below it, as people typed it.
fn display_name(path: &Path) -> String {
    std::env::current_dir()
        .ok()
        .and_then(|cwd| path.strip_prefix(cwd).ok().map(Path::to_path_buf))
        .unwrap_or_else(|| path.to_path_buf())
        .display()
        .to_string()
}

/// A config that cannot be used.
#[derive(Debug, Error, Diagnostic)]
pub enum ConfigError {
    /// The file could not be read.
    #[error("cannot read config file {path}: {source}")]
    #[diagnostic(
        code(wasmgate::config::read),
        help("check the path given to --config and its permissions")
    )]
    Read {
        /// The file.
        path: String,
        /// The I/O error.
        source: std::io::Error,
    },
    /// The file is not valid TOML, has an unknown key or a wrong type.
    #[error("invalid config {path}: {message}")]
    #[diagnostic(
        code(wasmgate::config::invalid),
        help("see docs/config.md for every key wasmgate.toml accepts")
    )]
    Invalid {
        /// The file.
        path: String,
        /// What is wrong.
        message: String,
        /// The file's text.
        #[source_code]
        src: NamedSource<String>,
        /// Where.
        #[label("here")]
        span: Option<SourceSpan>,
    },
}

/// Finds `wasmgate.toml` in `start` or the nearest ancestor.
pub fn find(start: &Path) -> Option<PathBuf> {
    start
        .ancestors()
        .map(|dir| dir.join(FILE_NAME))
        .find(|candidate| candidate.is_file())
}

/// Reads and checks a config file.
pub fn load(path: &Path) -> Result<LoadedConfig, ConfigError> {
    let source = std::fs::read_to_string(path).map_err(|source| ConfigError::Read {
        path: display_name(path),
        source,
    })?;
    load_text(path, &display_name(path), source)
}

/// Checks config text that belongs at `path` (read from disk or from a commit).
pub fn load_text(path: &Path, display: &str, source: String) -> Result<LoadedConfig, ConfigError> {
    let invalid = |message: String, span: Option<Range<usize>>| ConfigError::Invalid {
        path: display.to_string(),
        message,
        src: NamedSource::new(display, source.clone()),
        span: span.map(SourceSpan::from),
    };
    let config: Config =
        toml::from_str(&source).map_err(|e| invalid(e.message().to_string(), e.span()))?;
    let loaded = LoadedConfig {
        config,
        path: Some(path.to_path_buf()),
        display: display.to_string(),
        source: source.clone(),
    };
    if let Err((key, message)) = check(&loaded.config) {
        return Err(invalid(message, loaded.span_of(&key)));
    }
    if let Ok(table) = toml::from_str::<toml::Table>(&source)
        && let Err((key, message)) = check_numbers(&toml::Value::Table(table), "")
    {
        return Err(invalid(message, loaded.span_of(&key)));
    }
    Ok(loaded)
}

/// Every number in the file is finite, and none outside `[policy.data]` is negative: an
/// `inf` price or a negative budget would switch a rule off without a word.
fn check_numbers(value: &toml::Value, key: &str) -> Result<(), (String, String)> {
    let user_data = key == "policy.data" || key.starts_with("policy.data.");
    match value {
        toml::Value::Float(number) if !number.is_finite() => Err((
            key.to_string(),
            format!("{key} is {number}: numbers in wasmgate.toml must be finite"),
        )),
        toml::Value::Float(number) if *number < 0.0 && !user_data => Err((
            key.to_string(),
            format!("{key} is {number}: no wasmgate setting takes a negative number"),
        )),
        toml::Value::Integer(number) if *number < 0 && !user_data => Err((
            key.to_string(),
            format!("{key} is {number}: no wasmgate setting takes a negative number"),
        )),
        toml::Value::Table(table) => {
            for (name, child) in table {
                let path = if key.is_empty() {
                    name.clone()
                } else {
                    format!("{key}.{name}")
                };
                check_numbers(child, &path)?;
            }
            Ok(())
        }
        toml::Value::Array(items) => {
            for (index, child) in items.iter().enumerate() {
                check_numbers(child, &format!("{key}[{index}]"))?;
            }
            Ok(())
        }
        _ => Ok(()),
    }
}

/// Every code named in `[rules]` is one wasmgate or a loaded policy can produce (`known`): a
/// typo would silently drop the override it meant. The error suggests the nearest code.
pub fn check_rule_codes(
    config: &LoadedConfig,
    known: &dyn Fn(&str) -> bool,
    candidates: &[String],
) -> Result<(), ConfigError> {
    for code in config.config.rules.keys() {
        if known(code) {
            continue;
        }
        let nearest = candidates
            .iter()
            .map(|candidate| (edit_distance(code, candidate), candidate))
            .filter(|(distance, _)| *distance <= 3)
            .min();
        let hint = match nearest {
            Some((_, candidate)) => format!("; did you mean `{candidate}`?"),
            None => "; `wasmgate explain --list` lists the codes".to_string(),
        };
        return Err(ConfigError::Invalid {
            path: config.display.clone(),
            message: format!(
                "[rules] names `{code}`, which no built-in rule or loaded policy produces{hint}"
            ),
            src: NamedSource::new(&config.display, config.source.clone()),
            span: config
                .span_of(&format!("rules.{code}"))
                .or_else(|| config.span_of("rules"))
                .map(SourceSpan::from),
        });
    }
    Ok(())
}

/// Levenshtein distance, for did-you-mean.
fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut previous: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut current = vec![i + 1];
        for (j, cb) in b.iter().enumerate() {
            let substitute = previous[j] + usize::from(ca != *cb);
            current.push(substitute.min(previous[j + 1] + 1).min(current[j] + 1));
        }
        previous = current;
    }
    previous[b.len()]
}

/// Checks what types alone cannot: ranges and glob syntax. Returns the key path at fault.
fn check(config: &Config) -> Result<(), (String, String)> {
    let range = |key: &str, value: u32, low: u32, high: u32| {
        if (low..=high).contains(&value) {
            Ok(())
        } else {
            Err((
                key.to_string(),
                format!("{key} must be between {low} and {high}, not {value}"),
            ))
        }
    };
    range(
        "compression.gzip_level",
        config.compression.gzip_level,
        0,
        9,
    )?;
    range(
        "compression.brotli_quality",
        config.compression.brotli_quality,
        0,
        11,
    )?;
    range(
        "compression.brotli_window",
        config.compression.brotli_window,
        10,
        24,
    )?;
    let globs = |key: &str, patterns: &[String]| -> Result<(), (String, String)> {
        for (index, pattern) in patterns.iter().enumerate() {
            globset::Glob::new(pattern).map_err(|e| {
                (
                    format!("{key}[{index}]"),
                    format!("{key}[{index}] is not a valid glob: {e}"),
                )
            })?;
        }
        Ok(())
    };
    globs("artifacts.include", &config.artifacts.include)?;
    globs("artifacts.exclude", &config.artifacts.exclude)?;
    globs("ai.protected", &config.ai.protected)?;
    globs("custom_sections.debug", &config.custom_sections.debug)?;
    globs("custom_sections.deny", &config.custom_sections.deny)?;
    globs("signatures.required", &config.signatures.required)?;
    globs("sbom.required", &config.sbom.required)?;
    if !["brotli", "gzip", "raw"].contains(&config.finops.encoding.as_str()) {
        return Err((
            "finops.encoding".to_string(),
            format!(
                "finops.encoding must be brotli, gzip or raw, not `{}`",
                config.finops.encoding
            ),
        ));
    }
    if !(0.0..=1.0).contains(&config.finops.cache_hit_ratio) {
        return Err((
            "finops.cache_hit_ratio".to_string(),
            "finops.cache_hit_ratio is a share between 0 and 1".to_string(),
        ));
    }
    for pattern in config.sbom.files.keys() {
        globset::Glob::new(pattern).map_err(|e| {
            (
                "sbom.files".to_string(),
                format!("sbom.files key `{pattern}` is not a valid glob: {e}"),
            )
        })?;
    }
    for item in &config.sbom.model_card {
        const KNOWN: &[&str] = &[
            "model-card",
            "datasets",
            "dataset-provenance",
            "fairness",
            "ethics",
            "limitations",
            "energy",
            "license",
        ];
        if !KNOWN.contains(&item.as_str()) {
            return Err((
                "sbom.model_card".to_string(),
                format!(
                    "sbom.model_card: unknown requirement `{item}` (known: {})",
                    KNOWN.join(", ")
                ),
            ));
        }
    }
    globs("ai.capability_paths", &config.ai.capability_paths)?;
    for (index, growth) in config.growth.iter().enumerate() {
        let key = format!("growth[{index}].artifacts");
        globset::Glob::new(&growth.artifacts)
            .map_err(|e| (key.clone(), format!("{key} is not a valid glob: {e}")))?;
        if growth.raw.is_none() && growth.gzip.is_none() && growth.brotli.is_none() {
            return Err((
                format!("growth[{index}]"),
                format!("growth[{index}] sets no limit: give raw, gzip or brotli"),
            ));
        }
    }
    for (index, budget) in config.budgets.iter().enumerate() {
        let key = format!("budgets[{index}].artifacts");
        globset::Glob::new(&budget.artifacts)
            .map_err(|e| (key.clone(), format!("{key} is not a valid glob: {e}")))?;
        if budget.raw.is_none() && budget.gzip.is_none() && budget.brotli.is_none() {
            return Err((
                format!("budgets[{index}]"),
                format!("budgets[{index}] sets no limit: give raw, gzip or brotli"),
            ));
        }
    }
    for code in crate::diag::codes::not_overridable() {
        if config.rules.contains_key(code) {
            return Err((
                format!("rules.{code}"),
                format!(
                    "{code} cannot be overridden: an invalid module, a gate file that is not a regular file, or an artifact that could not be read never passes the gate"
                ),
            ));
        }
    }
    if config.policy.data.contains_key("wasmgate_config") {
        return Err((
            "policy.data.wasmgate_config".to_string(),
            "policy.data.wasmgate_config is reserved for the built-in policies".to_string(),
        ));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

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
    fn unknown_keys_are_rejected() {
        assert!(toml::from_str::<Config>("[memory]\nmax_byte = 1\n").is_err());
        assert!(toml::from_str::<Config>("bogus = 1\n").is_err());
    }
}
