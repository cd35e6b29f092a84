//! GitHub Actions workflow commands (`::error` / `::warning` annotations), escaped as the
//! runner expects, and the Markdown job summary.

use std::fmt::Write as _;

use super::{Report, Severity, Verdict};

/// Annotations, one per finding.
pub fn annotations(report: &Report) -> String {
    let mut out = String::new();
    if let Some(error) = &report.error {
        let _ = writeln!(
            out,
            "::error title={}::{}",
            property("wasmgate could not decide"),
            data(&error.message)
        );
    }
    for finding in &report.findings {
        let command = match (finding.severity, &finding.waived) {
            (_, Some(_)) => "notice",
            (Severity::Deny, None) => "error",
            (Severity::Warn, None) => "warning",
        };
        let mut properties = Vec::new();
        if let Some(location) = &finding.location {
            properties.push(format!("file={}", property(&location.file)));
            properties.push(format!("line={}", location.line));
            properties.push(format!("col={}", location.column));
        } else if let Some(artifact) = &finding.artifact {
            properties.push(format!("file={}", property(artifact)));
        }
        properties.push(format!(
            "title={}",
            property(&format!("wasmgate {}", finding.code))
        ));
        let mut message = match &finding.artifact {
            Some(artifact) => format!("{artifact}: {}", finding.message),
            None => finding.message.clone(),
        };
        if let Some(note) = finding.waiver_note() {
            message = format!("{message} [{note}]");
        }
        let _ = writeln!(
            out,
            "::{command} {}::{}",
            properties.join(","),
            data(&message)
        );
    }
    out
}

fn data(text: &str) -> String {
    super::escape::workflow_data(text)
}

fn property(text: &str) -> String {
    super::escape::workflow_property(text)
}

/// Rows beyond this go into a collapsed `<details>` block.
const VISIBLE_ROWS: usize = 20;

/// The Markdown job summary.
pub fn summary(report: &Report) -> String {
    let mut out = String::new();
    let verdict = match report.verdict {
        Verdict::Pass => "✅ pass",
        Verdict::Fail => "❌ fail",
        Verdict::Error => "⚠️ error",
    };
    let _ = writeln!(
        out,
        "## wasmgate: {verdict}\n\n{} artifact{}, {} denied, {} warning{}\n",
        report.summary.artifacts,
        if report.summary.artifacts == 1 {
            ""
        } else {
            "s"
        },
        report.summary.deny,
        report.summary.warn,
        if report.summary.warn == 1 { "" } else { "s" }
    );
    if let Some(error) = &report.error {
        let _ = writeln!(out, "wasmgate could not decide: {}\n", cell(&error.message));
    }
    if !report.artifacts.is_empty() {
        let currency = report.cost.as_ref().map(|c| c.currency.as_str());
        let mut table = match currency {
            Some(currency) => format!(
                "| artifact | raw | gzip | brotli | change vs base | {currency}/month | verdict |\n|---|--:|--:|--:|--:|--:|---|\n"
            ),
            None => String::from(
                "| artifact | raw | gzip | brotli | change vs base | verdict |\n|---|--:|--:|--:|--:|---|\n",
            ),
        };
        for artifact in &report.artifacts {
            let cost = match (
                currency,
                artifact.monthly_cost,
                artifact.compute_monthly_cost,
            ) {
                (None, _, _) => String::new(),
                (Some(_), None, None) => " – |".to_string(),
                (Some(_), egress, compute) => {
                    format!(" {:.2} |", egress.unwrap_or(0.0) + compute.unwrap_or(0.0))
                }
            };
            let size = |n: Option<u64>| n.map_or_else(|| "–".to_string(), human_bytes);
            let change = artifact.change.as_ref().map_or_else(
                || "–".to_string(),
                |c| format!("{:+} B ({:+.1} %)", c.bytes, c.percent),
            );
            let _ = writeln!(
                table,
                "| {} | {} | {} | {} | {change} |{cost} {} |",
                code_span(&artifact.path),
                human_bytes(artifact.raw),
                size(artifact.gzip),
                size(artifact.brotli),
                if artifact.verdict == Verdict::Fail {
                    "❌"
                } else {
                    "✅"
                }
            );
        }
        collapse(&mut out, "Artifacts", report.artifacts.len(), &table);
    }
    for (severity, title) in [(Severity::Deny, "Denied"), (Severity::Warn, "Warnings")] {
        let findings: Vec<_> = report
            .findings
            .iter()
            .filter(|f| f.severity == severity && f.waived.is_none())
            .collect();
        if findings.is_empty() {
            continue;
        }
        let mut list = String::new();
        for finding in &findings {
            let _ = writeln!(
                list,
                "- **{}** {}{}",
                code_span(&finding.code),
                finding
                    .artifact
                    .as_ref()
                    .map(|a| format!("{}: ", code_span(a)))
                    .unwrap_or_default(),
                cell(&finding.message)
            );
        }
        let _ = writeln!(out, "### {title} ({})\n", findings.len());
        collapse(&mut out, title, findings.len(), &list);
    }
    let waived: Vec<String> = report
        .findings
        .iter()
        .filter_map(|f| {
            let note = f.waiver_note()?;
            Some(format!(
                "- **{}** {}{} — {}",
                code_span(&f.code),
                f.artifact
                    .as_ref()
                    .map(|a| format!("{}: ", code_span(a)))
                    .unwrap_or_default(),
                cell(&f.message),
                cell(&note)
            ))
        })
        .collect();
    if !waived.is_empty() {
        let _ = writeln!(out, "### Waived ({})\n", waived.len());
        collapse(
            &mut out,
            "Waived",
            waived.len(),
            &(waived.join("\n") + "\n"),
        );
    }
    if let Some(cost) = &report.cost {
        out.push_str(&cost_section(cost));
    }
    let hints: Vec<String> = match report.cost.as_ref().filter(|c| !c.savings.is_empty()) {
        // With money, the largest savings first.
        Some(cost) => cost
            .savings
            .iter()
            .map(|s| format!("- {}", cell(s)))
            .collect(),
        None => report
            .artifacts
            .iter()
            .flat_map(|a| {
                a.hints
                    .iter()
                    .map(move |h| format!("- {}: {}", code_span(&a.path), cell(h)))
            })
            .collect(),
    };
    if !hints.is_empty() {
        let _ = writeln!(out, "### Savings\n");
        collapse(&mut out, "Savings", hints.len(), &(hints.join("\n") + "\n"));
    }
    out.push_str("### What was checked\n\n");
    match &report.git {
        Some(git) => {
            let base = match (&git.base, &git.merge_base) {
                (Some(base), Some(merge_base)) => format!(
                    "base {} ({}), merge-base `{}`",
                    code_span(base),
                    cell(&git.reason),
                    merge_base.chars().take(12).collect::<String>()
                ),
                _ => "no base".to_string(),
            };
            let _ = writeln!(
                out,
                "- {base}; config and policies from the {}\n- {} commit{}, {} AI-assisted",
                if git.trust == "base" {
                    "merge-base"
                } else {
                    "work tree"
                },
                git.commits,
                if git.commits == 1 { "" } else { "s" },
                git.ai_assisted
            );
        }
        None => out.push_str("- not a git repository: no base\n"),
    }
    out.push_str("- built-in policy library and the repository's policies\n");
    out
}

/// Egress, compute, total and their change; CO₂e; the forecasts; what running costs.
fn cost_section(cost: &super::CostSummary) -> String {
    let currency = &cost.currency;
    let amount = |value: Option<f64>| {
        value.map_or_else(
            || "–".to_string(),
            |v| crate::derive::finops::risk::money(v, currency),
        )
    };
    let change = |value: Option<f64>| {
        value.map_or_else(
            || "–".to_string(),
            |v| {
                let sign = if v >= 0.0 { "+" } else { "" };
                format!("{sign}{}", crate::derive::finops::risk::money(v, currency))
            },
        )
    };
    let mut out = String::from("### Cost\n\n| | per month | change |\n|---|--:|--:|\n");
    for (name, value, delta) in [
        ("egress", cost.egress, cost.egress_change),
        ("compute", cost.compute, cost.compute_change),
        ("**total**", cost.total, cost.total_change),
    ] {
        if value.is_some() || delta.is_some() {
            let _ = writeln!(out, "| {name} | {} | {} |", amount(value), change(delta));
        }
    }
    out.push('\n');
    if let Some(co2e) = cost.co2e_kg_per_month {
        let _ = writeln!(out, "Transfers emit {co2e:.2} kg CO₂e a month.\n");
    }
    for forecast in &cost.forecasts {
        let _ = writeln!(out, "- Forecast: {}", cell(forecast));
    }
    for row in &cost.compute_rows {
        let _ = writeln!(out, "- Compute: {}", cell(row));
    }
    if !cost.forecasts.is_empty() || !cost.compute_rows.is_empty() {
        out.push('\n');
    }
    out
}

fn collapse(out: &mut String, title: &str, rows: usize, body: &str) {
    if rows > VISIBLE_ROWS {
        let _ = write!(
            out,
            "<details><summary>{title} ({rows})</summary>\n\n{body}\n</details>\n\n"
        );
    } else {
        let _ = writeln!(out, "{body}");
    }
}

fn cell(text: &str) -> String {
    super::escape::markdown(text)
}

fn code_span(text: &str) -> String {
    super::escape::code_span(text)
}

fn human_bytes(n: u64) -> String {
    match n {
        n if n >= 1 << 20 => format!("{:.2} MiB", n as f64 / f64::from(1 << 20)),
        n if n >= 1 << 10 => format!("{:.1} KiB", n as f64 / 1024.0),
        n => format!("{n} B"),
    }
}
