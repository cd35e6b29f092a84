//! The report's summary rows: each artifact's sizes, change and cost, and the git context.

use crate::derive::finops::FinopsFacts;
use crate::derive::finops::risk::money;
use crate::input::InputDocument;
use crate::report::{ArtifactSummary, CostSummary, GitSummary, SizeChange, Verdict};

/// One row per artifact (verdicts are filled in by the report).
pub(super) fn artifacts(document: &InputDocument) -> Vec<ArtifactSummary> {
    document
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
            monthly_change: cost_row(document, &a.path).and_then(|r| r.monthly_change),
            compute_monthly_cost: compute_of(document, &a.path, |r| r.monthly_cost),
            compute_monthly_change: compute_of(document, &a.path, |r| r.monthly_change),
            hints: cost_row(document, &a.path)
                .map(|r| {
                    let currency = document.finops.as_ref().map_or("", |f| f.currency.as_str());
                    r.hints
                        .iter()
                        .map(|h| match h.monthly_saving {
                            Some(saving) => {
                                format!("{} ({}/month)", h.message, money(saving, currency))
                            }
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
        .collect()
}

/// Base, merge-base, trust and AI share.
pub(super) fn git(document: &InputDocument) -> Option<GitSummary> {
    document.git.as_ref().map(|git| GitSummary {
        base: git.base.as_ref().map(|b| b.reference.clone()),
        reason: git.base.as_ref().map_or_else(
            || "--no-base, or none detected".to_string(),
            |b| b.reason.clone(),
        ),
        merge_base: git.base.as_ref().map(|b| b.merge_base.clone()),
        base_commit: git.base.as_ref().map(|b| b.sha.clone()),
        head: Some(git.head.sha.clone()),
        trust: git.trust.clone(),
        commits: git.ai.commits,
        ai_assisted: git.ai.assisted,
        ai_share: git.ai.share,
    })
}

pub(super) fn cost_row<'a>(
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

/// The sum over an artifact's compute rows of `pick`; null when none has it.
fn compute_of(
    document: &InputDocument,
    path: &str,
    pick: fn(&crate::derive::finops::ComputeCost) -> Option<f64>,
) -> Option<f64> {
    let values: Vec<f64> = document
        .finops
        .as_ref()?
        .compute
        .iter()
        .filter(|row| row.artifact == path)
        .filter_map(pick)
        .collect();
    (!values.is_empty()).then(|| crate::derive::finops::risk::cents(values.iter().sum()))
}

/// The money of the run, when anything is priced.
pub(super) fn cost(document: &InputDocument) -> Option<CostSummary> {
    let finops = document.finops.as_ref()?;
    // Nothing priced, nothing to show.
    finops.combined_monthly_cost?;
    let currency = finops.currency.as_str();
    let co2e: Vec<f64> = finops
        .artifacts
        .iter()
        .filter_map(|r| r.co2e_kg_per_month)
        .collect();
    let forecasts = finops
        .artifacts
        .iter()
        .filter(|r| r.trend.merges_to_budget.is_some())
        .map(|r| format!("{}: {}", r.path, r.trend.forecast))
        .collect();
    let mut savings: Vec<(f64, String)> = finops
        .artifacts
        .iter()
        .flat_map(|r| {
            r.hints.iter().filter_map(move |h| {
                let saving = h.monthly_saving.filter(|s| *s > 0.0)?;
                Some((
                    saving,
                    format!(
                        "{}: {} ({}/month)",
                        r.path,
                        h.message,
                        money(saving, currency)
                    ),
                ))
            })
        })
        .collect();
    savings.sort_by(|a, b| b.0.total_cmp(&a.0).then_with(|| a.1.cmp(&b.1)));
    Some(CostSummary {
        currency: currency.to_string(),
        egress: finops.total_monthly_cost,
        egress_change: finops.total_monthly_change,
        compute: finops.total_compute_monthly_cost,
        compute_change: finops.total_compute_monthly_change,
        total: finops.combined_monthly_cost,
        total_change: finops.combined_monthly_change,
        co2e_kg_per_month: (!co2e.is_empty()).then(|| co2e.iter().sum()),
        forecasts,
        savings: savings.into_iter().take(3).map(|(_, text)| text).collect(),
        compute_rows: compute_rows(finops),
        explanations: explanations(finops),
    })
}

fn compute_rows(finops: &FinopsFacts) -> Vec<String> {
    let currency = finops.currency.as_str();
    finops
        .compute
        .iter()
        .map(|row| {
            let object = row.object.as_ref().map_or_else(String::new, |o| {
                format!(
                    " as {} {} ({}:{})",
                    o.kind,
                    o.name.as_deref().unwrap_or("(unnamed)"),
                    o.file,
                    o.line
                )
            });
            let cost = row.monthly_cost.map_or_else(
                || "no price (memory unknown)".to_string(),
                |c| format!("{}/month", money(c, currency)),
            );
            let change = row
                .monthly_change
                .map(|c| {
                    format!(
                        ", {}{} against the base",
                        if c >= 0.0 { "+" } else { "" },
                        money(c, currency)
                    )
                })
                .unwrap_or_default();
            format!(
                "{}{object}: {} {cost}{change}, risk {:.2}",
                row.artifact, row.model, row.risk.score
            )
        })
        .collect()
}

/// Each figure with its inputs.
fn explanations(finops: &FinopsFacts) -> Vec<String> {
    let currency = finops.currency.as_str();
    let mut lines = Vec::new();
    for row in &finops.artifacts {
        if let (Some(cost), Some(loads), Some(gb)) =
            (row.monthly_cost, row.loads_per_month, row.gb_per_month)
        {
            lines.push(format!(
                "{}: egress {}/month = {} bytes × {loads} loads × (1 − {} cache hit) = {gb:.3} GB × {:.6} {currency}/GB",
                row.path,
                money(cost, currency),
                row.bytes_per_load,
                finops.cache_hit_ratio,
                finops.price_per_gb
            ));
            lines.push(format!(
                "{}: egress risk {}",
                row.path, row.risk.explanation
            ));
        }
    }
    for row in &finops.compute {
        let memory = row
            .memory_bytes
            .map_or_else(|| "unknown".to_string(), |m| format!("{m} bytes"));
        let formula = match (row.gb_seconds_per_month, row.gb_hours_per_month) {
            (Some(gb_s), _) => format!(
                "{} invocations × {} ms × {memory} ({}) = {gb_s:.1} GB-s × {} + {} requests × {}/million",
                row.invocations_per_month.unwrap_or_default(),
                row.duration_ms.unwrap_or_default(),
                row.memory_source,
                row.price_per_gb_second,
                row.invocations_per_month.unwrap_or_default(),
                row.price_per_million_requests
            ),
            (None, Some(gb_h)) => format!(
                "{} replicas × {memory} ({}) × 730 h = {gb_h:.1} GB-h × {}",
                row.replicas.unwrap_or(1.0),
                row.memory_source,
                row.price_per_gb_hour
            ),
            (None, None) => format!("memory {memory} ({})", row.memory_source),
        };
        let cost = row.monthly_cost.map_or_else(
            || "no price".to_string(),
            |c| format!("{}/month", money(c, currency)),
        );
        lines.push(format!("{}: compute {cost} = {formula}", row.artifact));
        lines.push(format!(
            "{}: compute risk {}",
            row.artifact, row.risk.explanation
        ));
    }
    lines
}
