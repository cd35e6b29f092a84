//! SARIF 2.1.0 for code scanning: one rule per code (with its help text and a help URI),
//! results at the artifact path with the byte offset of wasm findings, or at the config or
//! policy line behind them.

use serde_json::{Value, json};

use super::{Finding, Report, Severity};
use crate::diag::codes;

/// Where the rule documentation lives.
pub const DOCS: &str = concat!(env!("CARGO_PKG_REPOSITORY"), "/blob/main/docs/rules.md");

/// Renders the report as a SARIF 2.1.0 log.
pub fn render(report: &Report) -> String {
    let mut rule_ids: Vec<String> = codes::Code::ALL
        .iter()
        .map(|c| c.as_str().to_string())
        .collect();
    for finding in &report.findings {
        if !rule_ids.contains(&finding.code) {
            rule_ids.push(finding.code.clone());
        }
    }
    let rules: Vec<Value> = rule_ids.iter().map(|id| rule(id, report)).collect();
    let results: Vec<Value> = report
        .findings
        .iter()
        .map(|f| result(f, rule_ids.iter().position(|id| *id == f.code).unwrap_or(0)))
        .collect();
    let mut run = json!({
        "tool": {
            "driver": {
                "name": "wasmgate",
                "version": env!("CARGO_PKG_VERSION"),
                "informationUri": env!("CARGO_PKG_REPOSITORY"),
                "rules": rules,
            }
        },
        "columnKind": "unicodeCodePoints",
        "invocations": [invocation(report)],
        "results": results,
    });
    // The money of the run, for tools that read SARIF only (a property bag, §3.8).
    if let (Some(cost), Some(fields)) = (&report.cost, run.as_object_mut()) {
        fields.insert(
            "properties".to_string(),
            json!({ "wasmgate": { "cost": cost } }),
        );
    }
    let log = json!({
        "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
        "version": "2.1.0",
        "runs": [run],
    });
    let mut text = serde_json::to_string_pretty(&log).unwrap_or_default();
    text.push('\n');
    text
}

/// Whether the gate could decide: code scanning shows a run without results as clean, so an
/// exit 2 must say it failed and why.
fn invocation(report: &Report) -> Value {
    match &report.error {
        None => json!({"executionSuccessful": true}),
        Some(error) => json!({
            "executionSuccessful": false,
            "exitCode": 2,
            "toolExecutionNotifications": [{
                "level": "error",
                "message": {"text": format!("wasmgate could not decide: {}", error.message)},
                "descriptor": {"id": error.code.clone().unwrap_or_else(|| "wasmgate::error".to_string())},
            }],
        }),
    }
}

fn rule(id: &str, report: &Report) -> Value {
    if let Some(doc) = report.rules.iter().find(|r| r.code == id) {
        let title = doc
            .title
            .clone()
            .unwrap_or_else(|| format!("Finding `{id}` from a user policy."));
        let mut rule = json!({
            "id": id,
            "name": id,
            "shortDescription": {"text": title},
            "fullDescription": {"text": doc.description.clone().unwrap_or_else(|| title.clone())},
            "properties": {"file": doc.file, "line": doc.line},
        });
        if let Some(help) = &doc.help {
            rule["help"] = json!({"text": help});
        }
        return rule;
    }
    match codes::lookup(id) {
        Some(info) => json!({
            "id": id,
            "name": id,
            "shortDescription": {"text": info.summary},
            "fullDescription": {"text": format!("{} Configured by: {}.", info.summary, info.config)},
            "help": {"text": info.help, "markdown": format!("{}\n\nSee [{id}]({DOCS}#{id}).", info.help)},
            "helpUri": format!("{DOCS}#{id}"),
            "defaultConfiguration": {"level": level(info.default_severity)},
        }),
        None => json!({
            "id": id,
            "name": id,
            "shortDescription": {"text": format!("Finding `{id}` from a user policy.")},
            "helpUri": format!("{DOCS}#policy-violation"),
        }),
    }
}

fn level(severity: Severity) -> &'static str {
    match severity {
        Severity::Deny => "error",
        Severity::Warn => "warning",
    }
}

fn result(finding: &Finding, index: usize) -> Value {
    let mut result = json!({
        "ruleId": finding.code,
        "ruleIndex": index,
        "level": level(finding.severity),
        "message": {"text": match &finding.artifact {
            Some(artifact) => format!("{artifact}: {}", finding.message),
            None => finding.message.clone(),
        }},
    });
    let mut locations = Vec::new();
    if let Some(location) = &finding.location {
        locations.push(json!({
            "physicalLocation": {
                "artifactLocation": {"uri": location.file},
                "region": {"startLine": location.line, "startColumn": location.column},
            }
        }));
    }
    if let Some(artifact) = &finding.artifact {
        let mut physical = json!({"artifactLocation": {"uri": artifact}});
        if let Some(offset) = finding.offset {
            physical["region"] = json!({"byteOffset": offset, "byteLength": 1});
        }
        locations.push(json!({"physicalLocation": physical}));
    }
    if !locations.is_empty() {
        result["locations"] = Value::Array(locations);
    }
    // SARIF §3.35: accepted outside the code (in wasmgate.toml), with the reason.
    if let Some(waived) = &finding.waived {
        result["suppressions"] = json!([{
            "kind": "external",
            "status": "accepted",
            "justification": waived.reason,
            "properties": {
                "by": waived.by,
                "owner": waived.owner,
                "expires": waived.expires,
                "ticket": waived.ticket,
            },
        }]);
    }
    result
}
