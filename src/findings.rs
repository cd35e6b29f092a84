//! Turns raw policy results into findings: default codes, `[rules]` severity overrides, help
//! from the code catalogue, config locations, and the per-artifact summary.

use std::collections::BTreeMap;

use crate::config::{Level, LoadedConfig};
use crate::diag::codes::{self, Code, USER_POLICY_CODE};
use crate::hexdump::Snippets;
use crate::input::InputDocument;
use crate::policy::{PolicySet, RawFinding};
use crate::report::{
    ArtifactSummary, Finding, GitSummary, Location, Report, Severity, SizeChange, Verdict,
};

/// Builds the report from the input document and the raw policy results.
pub fn report(
    document: &InputDocument,
    raw: Vec<RawFinding>,
    policies: &PolicySet,
    config: &LoadedConfig,
    snippets: &Snippets,
) -> Report {
    let mut sources = BTreeMap::new();
    let config_name = config.path.as_ref().map(|p| {
        p.file_name()
            .unwrap_or_default()
            .to_string_lossy()
            .to_string()
    });
    let mut findings = Vec::new();
    for raw in raw {
        let code = raw.code.unwrap_or_else(|| USER_POLICY_CODE.to_string());
        let Some(severity) = apply_override(config, &code, raw.severity) else {
            continue;
        };
        let config_location = match (&raw.config_key, &config_name) {
            (Some(key), Some(name)) => config.span_of(key).map(|span| {
                sources.insert(name.clone(), config.source.clone());
                location(name, &config.source, span.start, span.len())
            }),
            _ => None,
        };
        let snippet = match (&raw.artifact, raw.offset) {
            (Some(artifact), Some(offset)) => snippets
                .get(artifact)
                .filter(|snippet| snippet.offset == offset)
                .map(|snippet| {
                    let name = format!("{artifact} (bytes)");
                    sources.insert(name.clone(), snippet.text.clone());
                    location(&name, &snippet.text, snippet.label_at, 2)
                }),
            _ => None,
        };
        let help = raw
            .help
            .or_else(|| codes::lookup(&code).map(|info| info.help.to_string()));
        findings.push(Finding {
            code,
            severity,
            message: raw.message,
            artifact: raw.artifact,
            offset: raw.offset,
            location: config_location,
            help,
            details: raw.details,
            snippet,
        });
    }
    for (package, file) in &policies.skipped {
        let code = Code::PolicyNotEvaluated.as_str();
        let Some(severity) = apply_override(config, code, Severity::Warn) else {
            continue;
        };
        let text = policies.sources.get(file).cloned().unwrap_or_default();
        let start = text.find("package").unwrap_or(0);
        sources.insert(file.clone(), text.clone());
        findings.push(Finding {
            code: code.to_string(),
            severity,
            message: format!(
                "package `{package}` in {file} is outside the evaluated namespaces, so its rules did not run"
            ),
            artifact: None,
            offset: None,
            location: Some(location(file, &text, start, "package".len())),
            help: codes::lookup(code).map(|info| info.help.to_string()),
            details: None,
            snippet: None,
        });
    }
    let artifacts = document
        .artifacts
        .iter()
        .map(|artifact| (&artifact.facts, &artifact.derived))
        .map(|(a, derived)| ArtifactSummary {
            path: a.path.clone(),
            sha256: a.sha256.clone(),
            kind: a.wasm.kind.map(|k| format!("{k:?}").to_lowercase()),
            raw: a.size.raw,
            gzip: a.size.gzip,
            brotli: a.size.brotli,
            imports: a.wasm.imports.len()
                + a.wasm.component.as_ref().map_or(0, |c| c.imports.len()),
            verdict: Verdict::Pass,
            monthly_cost: cost_row(document, &a.path).and_then(|r| r.monthly_cost),
            hints: cost_row(document, &a.path)
                .map(|r| {
                    r.hints
                        .iter()
                        .map(|h| match h.monthly_saving {
                            Some(saving) => format!("{} ({saving:.2}/month)", h.message),
                            None => h.message.clone(),
                        })
                        .collect()
                })
                .unwrap_or_default(),
            change: derived.delta.as_ref().and_then(|d| {
                let (metric, change) = match (&d.size.brotli, &d.size.raw) {
                    (Some(brotli), _) => ("brotli", brotli),
                    (None, Some(raw)) => ("raw", raw),
                    (None, None) => return None,
                };
                Some(SizeChange {
                    metric: metric.to_string(),
                    bytes: change.bytes,
                    percent: change.percent,
                })
            }),
        })
        .collect();
    // Cost findings carry the computed savings as their help.
    for finding in &mut findings {
        let costed = [
            Code::CostRisk,
            Code::CostBudgetExceeded,
            Code::CostIncrease,
            Code::GrowthAnomaly,
        ];
        if !costed.iter().any(|code| code.as_str() == finding.code) {
            continue;
        }
        let Some(row) = finding
            .artifact
            .as_deref()
            .and_then(|a| cost_row(document, a))
        else {
            continue;
        };
        let savings: Vec<String> = row.hints.iter().map(|h| h.message.clone()).collect();
        if !savings.is_empty() {
            finding.help = Some(format!(
                "{} Savings: {}.",
                finding.help.clone().unwrap_or_default(),
                savings.join("; ")
            ));
        }
    }
    let mut report = Report::new(artifacts, findings, sources);
    report.currency = document.finops.as_ref().map(|f| f.currency.clone());
    report.git = document.git.as_ref().map(|git| GitSummary {
        base: git.base.as_ref().map(|b| b.reference.clone()),
        reason: git.base.as_ref().map_or_else(
            || "--no-base, or none detected".to_string(),
            |b| b.reason.clone(),
        ),
        merge_base: git.base.as_ref().map(|b| b.merge_base.clone()),
        trust: git.trust.clone(),
        commits: git.ai.commits,
        ai_assisted: git.ai.assisted,
        ai_share: git.ai.share,
    });
    report
}

fn cost_row<'a>(
    document: &'a InputDocument,
    path: &str,
) -> Option<&'a crate::derive::finops::ArtifactCost> {
    document
        .finops
        .as_ref()?
        .artifacts
        .iter()
        .find(|r| r.path == path)
}

/// The severity after `[rules]`; None when the code is set to `allow`.
fn apply_override(config: &LoadedConfig, code: &str, severity: Severity) -> Option<Severity> {
    match config.config.rules.get(code) {
        Some(Level::Allow) => None,
        Some(Level::Deny) => Some(Severity::Deny),
        Some(Level::Warn) => Some(Severity::Warn),
        None => Some(severity),
    }
}

fn location(file: &str, text: &str, start: usize, length: usize) -> Location {
    let before = text.get(..start).unwrap_or_default();
    let line = before.matches('\n').count() + 1;
    let column = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
    Location {
        file: file.to_string(),
        line,
        column,
        start,
        length,
    }
}
