//! The report's summary rows: each artifact's sizes, change and cost, and the git context.

use crate::input::InputDocument;
use crate::report::{ArtifactSummary, GitSummary, SizeChange, Verdict};

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
