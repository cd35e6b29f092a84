//! The report: findings, per-artifact summary and verdict, ready for any renderer.
//!
//! Renderers (`human`, `json`) see only these types, never wasmparser, git or regorus ones.

pub mod escape;
pub mod github;
pub mod human;
pub mod json;
pub mod junit;
pub mod sarif;

use std::collections::BTreeMap;

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

/// Version tag of the JSON report.
pub const REPORT_SCHEMA_VERSION: &str = "wasmgate.report/v1";

pub use crate::diag::codes::Severity;

/// The gate's decision.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum Verdict {
    /// No deny findings (exit 0).
    Pass,
    /// At least one deny finding (exit 1).
    Fail,
    /// wasmgate could not decide (exit 2).
    Error,
}

/// A place in a text file (config or policy).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct Location {
    /// File path, relative to the root where possible.
    pub file: String,
    /// 1-based line.
    pub line: usize,
    /// 1-based column.
    pub column: usize,
    /// Byte offset of the span in the file.
    pub start: usize,
    /// Byte length of the span.
    pub length: usize,
}

/// One thing the gate found.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct Finding {
    /// Stable kebab-case code (see `wasmgate explain CODE`).
    pub code: String,
    /// `deny` or `warn`, after `[rules]` overrides.
    pub severity: Severity,
    /// What is wrong, in a sentence.
    pub message: String,
    /// The artifact's path, when the finding is about one.
    pub artifact: Option<String>,
    /// Byte offset in the artifact, when known.
    pub offset: Option<u64>,
    /// The config or policy line behind the finding, when known.
    pub location: Option<Location>,
    /// What to do about it.
    pub help: Option<String>,
    /// Extra structured data from the policy.
    pub details: Option<serde_json::Value>,
    /// A labelled hex dump around `offset`, for human output only.
    #[serde(skip)]
    #[schemars(skip)]
    pub snippet: Option<Location>,
    /// Set when a waiver accepts the finding: it keeps its severity but does not fail the gate.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub waived: Option<Waived>,
}

impl Finding {
    /// A deny that no waiver accepts: what fails the gate.
    pub fn fails(&self) -> bool {
        self.severity == Severity::Deny && self.waived.is_none()
    }

    /// `waived by OWNER until DATE (waivers[0]): REASON (TICKET)`, when waived.
    pub fn waiver_note(&self) -> Option<String> {
        let waived = self.waived.as_ref()?;
        let until = waived
            .expires
            .as_ref()
            .map(|date| format!(" until {date}"))
            .unwrap_or_default();
        let ticket = waived
            .ticket
            .as_ref()
            .map(|t| format!(" ({t})"))
            .unwrap_or_default();
        Some(format!(
            "waived by {}{until} ({}): {}{ticket}",
            waived.owner, waived.by, waived.reason
        ))
    }
}

/// A user rule's documentation, from its METADATA.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct RuleDoc {
    /// Its code (`custom.code`).
    pub code: String,
    /// `title`.
    pub title: Option<String>,
    /// `description`.
    pub description: Option<String>,
    /// `custom.help`.
    pub help: Option<String>,
    /// The policy file and line of the rule.
    pub file: String,
    /// Line.
    pub line: usize,
}

/// Who accepted a finding, why, and until when.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize, JsonSchema)]
pub struct Waived {
    /// `waivers[N]` of wasmgate.toml, or the `exception` rule of a policy package.
    pub by: String,
    /// The owner who answers for it.
    pub owner: String,
    /// Why.
    pub reason: String,
    /// The last day it waives (`YYYY-MM-DD`); null for a policy exception.
    pub expires: Option<String>,
    /// The ticket that tracks the fix.
    pub ticket: Option<String>,
}

/// One artifact's line in the summary table.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
pub struct ArtifactSummary {
    /// Path relative to the root.
    pub path: String,
    /// SHA-256 of the file, hex.
    pub sha256: String,
    /// `module`, `component`, or null when not wasm.
    pub kind: Option<String>,
    /// Raw size in bytes.
    pub raw: u64,
    /// gzip size in bytes, null with `--no-compress`.
    pub gzip: Option<u64>,
    /// brotli size in bytes, null with `--no-compress`.
    pub brotli: Option<u64>,
    /// Number of imports (core imports, or component imports for components).
    pub imports: usize,
    /// `pass` or `fail` for this artifact.
    pub verdict: Verdict,
    /// Change of the headline size (brotli, else raw) against the baseline; null without one.
    pub change: Option<SizeChange>,
    /// Monthly egress cost (`[finops]`); null without configured loads.
    pub monthly_cost: Option<f64>,
    /// Its change against the baseline; null without one.
    #[serde(default)]
    pub monthly_change: Option<f64>,
    /// What running it costs a month (`[[finops.compute]]`, every object together); null
    /// when nothing prices it.
    #[serde(default)]
    pub compute_monthly_cost: Option<f64>,
    /// Its change against the merge-base.
    #[serde(default)]
    pub compute_monthly_change: Option<f64>,
    /// Computed savings, e.g. `strip the debug custom sections: 812 bytes less per load (1.20/month)`.
    pub hints: Vec<String>,
}

/// The money of a run: egress and compute, the change, CO₂e, where the trend goes, what could
/// be saved, and how each figure was made.
#[derive(Debug, Clone, Default, Serialize, Deserialize, JsonSchema)]
pub struct CostSummary {
    /// Currency of every amount.
    pub currency: String,
    /// Egress per month (the shipped bytes); null without loads.
    pub egress: Option<f64>,
    /// Its change against the baseline.
    pub egress_change: Option<f64>,
    /// Running the artifacts per month (`[[finops.compute]]`); null without figures.
    pub compute: Option<f64>,
    /// Its change against the merge-base.
    pub compute_change: Option<f64>,
    /// Both together.
    pub total: Option<f64>,
    /// The change of both.
    pub total_change: Option<f64>,
    /// kg CO₂e per month of the transfers.
    pub co2e_kg_per_month: Option<f64>,
    /// Artifacts whose size trend crosses a budget: `path: crosses … in ~N merges`.
    pub forecasts: Vec<String>,
    /// The largest computed savings, with money, largest first (at most 3).
    pub savings: Vec<String>,
    /// What running each artifact costs, one line per object.
    pub compute_rows: Vec<String>,
    /// Each figure's inputs, in words (`-v` prints them).
    pub explanations: Vec<String>,
}

/// A size change against the baseline.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
pub struct SizeChange {
    /// `brotli` or `raw`.
    pub metric: String,
    /// Bytes (negative when it shrank).
    pub bytes: i64,
    /// Percent of the baseline size.
    pub percent: f64,
}

/// Counts for the summary line.
#[derive(Debug, Clone, Default, Serialize, Deserialize, JsonSchema)]
pub struct Summary {
    /// Artifacts checked.
    pub artifacts: usize,
    /// Deny findings.
    pub deny: usize,
    /// Warn findings.
    pub warn: usize,
    /// Findings a waiver accepts (counted in `deny` or `warn` too; they do not fail the gate).
    #[serde(default)]
    pub waived: usize,
}

/// The gate files a run read, and one digest over them.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct GateSummary {
    /// `sha256:` over every file's kind, path and SHA-256.
    pub digest: String,
    /// Each file, sorted.
    pub files: Vec<crate::plan::digest::GateFile>,
}

/// The repository context of a run, for the summary.
#[derive(Debug, Clone, Default, Serialize, Deserialize, JsonSchema)]
pub struct GitSummary {
    /// The base ref; null without a base.
    pub base: Option<String>,
    /// Why that base (or why none).
    pub reason: String,
    /// The merge-base commit compared against.
    pub merge_base: Option<String>,
    /// The base ref's commit; null without a base.
    #[serde(default)]
    pub base_commit: Option<String>,
    /// HEAD's commit.
    #[serde(default)]
    pub head: Option<String>,
    /// Where wasmgate.toml and policies were read: `base` or `head`.
    pub trust: String,
    /// Commits in merge-base..HEAD.
    pub commits: usize,
    /// AI-assisted commits among them.
    pub ai_assisted: usize,
    /// `ai_assisted / commits`.
    pub ai_share: f64,
}

/// An error that stopped wasmgate from deciding, as written into a JSON report.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
pub struct ReportError {
    /// Diagnostic code, e.g. `wasmgate::policy::eval`.
    pub code: Option<String>,
    /// The message.
    pub message: String,
    /// What to do.
    pub help: Option<String>,
}

/// What `wasmgate check` decided and why.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
pub struct Report {
    /// Always `wasmgate.report/v1`.
    pub schema_version: String,
    /// pass, fail or error.
    pub verdict: Verdict,
    /// Counts.
    pub summary: Summary,
    /// One entry per artifact, in path order.
    pub artifacts: Vec<ArtifactSummary>,
    /// Findings: deny first, then by artifact, code and message.
    pub findings: Vec<Finding>,
    /// Set when verdict is `error`.
    pub error: Option<ReportError>,
    /// The repository context; null outside a git repository.
    pub git: Option<GitSummary>,
    /// Currency of `monthly_cost`.
    pub currency: Option<String>,
    /// What the run's artifacts cost, when `[finops]` prices anything.
    #[serde(default)]
    pub cost: Option<CostSummary>,
    /// The gate files that decided (config, policies, keys, baseline) and their digest; null
    /// when wasmgate could not decide before reading them.
    #[serde(default)]
    pub gate: Option<GateSummary>,
    /// A shard's artifacts and what must match across shards (`check --shard`), for
    /// `wasmgate merge`; absent otherwise.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub shard: Option<crate::shard::ShardData>,
    /// The user rules whose METADATA gives them a code, for SARIF rules and `explain`.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub rules: Vec<RuleDoc>,
    /// Text of files that findings point into, for labelled snippets; not serialised.
    #[serde(skip)]
    #[schemars(skip)]
    pub sources: BTreeMap<String, String>,
}

impl Report {
    /// Builds a report, sorting findings and computing verdicts.
    pub fn new(
        mut artifacts: Vec<ArtifactSummary>,
        mut findings: Vec<Finding>,
        sources: BTreeMap<String, String>,
    ) -> Report {
        findings.sort_by(|a, b| {
            (a.severity, &a.artifact, &a.code, &a.message, a.offset).cmp(&(
                b.severity,
                &b.artifact,
                &b.code,
                &b.message,
                b.offset,
            ))
        });
        findings.dedup();
        let fails = Finding::fails;
        for artifact in &mut artifacts {
            let failed = findings
                .iter()
                .any(|f| fails(f) && f.artifact.as_deref() == Some(&artifact.path));
            artifact.verdict = if failed { Verdict::Fail } else { Verdict::Pass };
        }
        let deny = findings
            .iter()
            .filter(|f| f.severity == Severity::Deny)
            .count();
        let failing = findings.iter().filter(|f| fails(f)).count();
        let summary = Summary {
            artifacts: artifacts.len(),
            deny,
            warn: findings.len() - deny,
            waived: findings.iter().filter(|f| f.waived.is_some()).count(),
        };
        Report {
            schema_version: REPORT_SCHEMA_VERSION.to_string(),
            verdict: if failing > 0 {
                Verdict::Fail
            } else {
                Verdict::Pass
            },
            summary,
            artifacts,
            findings,
            error: None,
            git: None,
            currency: None,
            cost: None,
            gate: None,
            shard: None,
            rules: Vec::new(),
            sources,
        }
    }

    /// The report of a run that could not decide.
    pub fn from_error(error: ReportError) -> Report {
        Report {
            schema_version: REPORT_SCHEMA_VERSION.to_string(),
            verdict: Verdict::Error,
            summary: Summary::default(),
            artifacts: Vec::new(),
            findings: Vec::new(),
            error: Some(error),
            git: None,
            currency: None,
            cost: None,
            gate: None,
            shard: None,
            rules: Vec::new(),
            sources: BTreeMap::new(),
        }
    }
}

/// The JSON Schema of the report, as committed in `schema/report.v1.json`.
pub fn schema() -> serde_json::Value {
    serde_json::to_value(schemars::schema_for!(Report)).unwrap_or_default()
}

/// The output formats of a report (also the values of `--format`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum OutputFormat {
    /// Diagnostics and a summary table for people.
    Human,
    /// The wasmgate.report/v1 document (for `facts`: the input document).
    Json,
    /// SARIF 2.1.0, for code scanning (github/codeql-action/upload-sarif).
    Sarif,
    /// JUnit XML: a testsuite per artifact, a testcase per rule.
    Junit,
    /// GitHub Actions workflow commands (annotations).
    Github,
    /// Markdown, as written to the GitHub job summary.
    Markdown,
}

/// Renders the report in one format.
pub fn render(format: OutputFormat, report: &Report, style: human::HumanStyle) -> String {
    match format {
        OutputFormat::Human => human::render(report, style),
        OutputFormat::Json => json::render(report),
        OutputFormat::Sarif => sarif::render(report),
        OutputFormat::Junit => junit::render(report),
        OutputFormat::Github => github::annotations(report),
        OutputFormat::Markdown => github::summary(report),
    }
}
