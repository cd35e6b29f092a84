//! The in-toto Statement v1 of a decision: every checked artifact as a subject, and the
//! decision as the predicate (`https://wasmgate.dev/attestation/decision/v1`, docs/attestation.md).

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::plan::digest::GateFile;
use crate::report::{Report, Verdict};

/// The Statement's `_type`.
pub const STATEMENT_TYPE: &str = "https://in-toto.io/Statement/v1";

/// The decision predicate's type.
pub const PREDICATE_TYPE: &str = "https://wasmgate.dev/attestation/decision/v1";

/// An in-toto Statement v1.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Statement {
    /// Always [`STATEMENT_TYPE`].
    #[serde(rename = "_type")]
    pub statement_type: String,
    /// What the decision is about.
    pub subject: Vec<Subject>,
    /// What the predicate is.
    #[serde(rename = "predicateType")]
    pub predicate_type: String,
    /// The decision (for [`PREDICATE_TYPE`]); kept as JSON so other predicates read too.
    pub predicate: serde_json::Value,
}

/// One subject: an artifact by path and digest.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Subject {
    /// The artifact's path, relative to the root.
    pub name: String,
    /// `{"sha256": HEX}`.
    pub digest: BTreeMap<String, String>,
}

/// The gate's decision over the subjects.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Decision {
    /// `pass` or `fail` (a run that could not decide attests nothing).
    pub verdict: Verdict,
    /// Findings by severity, and how many artifacts were judged.
    pub counts: Counts,
    /// Per severity, each code with how many findings have it (waived ones included).
    pub codes: BTreeMap<String, BTreeMap<String, usize>>,
    /// The waivers (and conftest exceptions) that kept findings from failing the gate.
    pub waivers: Vec<WaiverUse>,
    /// The commits compared: base ref and its commit, merge-base, HEAD.
    pub git: GitContext,
    /// The gate files as read, and one digest over them.
    pub gate: GateContext,
    /// The wasmgate release that decided.
    pub wasmgate_version: String,
    /// The policy input document's schema version.
    pub input_schema: String,
    /// When, with `--attest-time` only (RFC 3339, UTC): otherwise the same inputs give the
    /// same bytes.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub time: Option<String>,
}

/// Finding counts.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Counts {
    /// Artifacts judged.
    pub artifacts: usize,
    /// Deny findings (waived ones included).
    pub deny: usize,
    /// Warn findings.
    pub warn: usize,
    /// Findings a waiver accepted.
    pub waived: usize,
}

/// One waiver that accepted findings.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub struct WaiverUse {
    /// The waived code.
    pub code: String,
    /// The artifact, when the finding has one.
    pub artifact: Option<String>,
    /// Which waiver (`waivers[N]`) or exception rule.
    pub by: String,
    /// Its owner.
    pub owner: String,
    /// Its expiry date.
    pub expires: Option<String>,
}

/// The commits of the run.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct GitContext {
    /// The base ref, e.g. `origin/main`.
    pub base: Option<String>,
    /// The base ref's commit.
    pub base_commit: Option<String>,
    /// The merge-base compared against.
    pub merge_base: Option<String>,
    /// HEAD.
    pub head: Option<String>,
}

/// The gate files.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct GateContext {
    /// `sha256:` over every file's kind, path and digest (`verify-attestation --policy-digest`).
    pub digest: Option<String>,
    /// Each file with its SHA-256.
    pub files: Vec<GateFile>,
}

/// The Statement of `report`'s decision; None when the report decided nothing.
pub fn of(report: &Report, time: Option<String>) -> Option<Statement> {
    if report.verdict == Verdict::Error {
        return None;
    }
    let subject = report
        .artifacts
        .iter()
        .map(|a| Subject {
            name: a.path.clone(),
            digest: BTreeMap::from([("sha256".to_string(), a.sha256.clone())]),
        })
        .collect();
    let mut codes: BTreeMap<String, BTreeMap<String, usize>> = BTreeMap::new();
    for finding in &report.findings {
        *codes
            .entry(finding.severity.as_str().to_string())
            .or_default()
            .entry(finding.code.clone())
            .or_default() += 1;
    }
    let mut waivers: Vec<WaiverUse> = report
        .findings
        .iter()
        .filter_map(|f| {
            let waived = f.waived.as_ref()?;
            Some(WaiverUse {
                code: f.code.clone(),
                artifact: f.artifact.clone(),
                by: waived.by.clone(),
                owner: waived.owner.clone(),
                expires: waived.expires.clone(),
            })
        })
        .collect();
    waivers.sort();
    waivers.dedup();
    let git = report
        .git
        .as_ref()
        .map(|g| GitContext {
            base: g.base.clone(),
            base_commit: g.base_commit.clone(),
            merge_base: g.merge_base.clone(),
            head: g.head.clone(),
        })
        .unwrap_or_default();
    let gate = report
        .gate
        .as_ref()
        .map(|g| GateContext {
            digest: Some(g.digest.clone()),
            files: g.files.clone(),
        })
        .unwrap_or_default();
    let decision = Decision {
        verdict: report.verdict,
        counts: Counts {
            artifacts: report.summary.artifacts,
            deny: report.summary.deny,
            warn: report.summary.warn,
            waived: report.summary.waived,
        },
        codes,
        waivers,
        git,
        gate,
        wasmgate_version: env!("CARGO_PKG_VERSION").to_string(),
        input_schema: crate::input::SCHEMA_VERSION.to_string(),
        time,
    };
    Some(Statement {
        statement_type: STATEMENT_TYPE.to_string(),
        subject,
        predicate_type: PREDICATE_TYPE.to_string(),
        predicate: serde_json::to_value(decision).unwrap_or_default(),
    })
}
