//! Turns raw policy results into findings: default codes, `[rules]` severity overrides
//! (`severity`), help from the code catalogue, locations in the config, policies and bytes
//! (`location`), and the per-artifact and git summary of the report (`summary`).

mod location;
mod severity;
mod summary;
mod waivers;

use location::location;
use severity::apply_override;
use summary::cost_row;

use std::collections::BTreeMap;

use crate::config::LoadedConfig;
use crate::diag::codes::{self, Code, USER_POLICY_CODE};
use crate::hexdump::Snippets;
use crate::input::InputDocument;
use crate::policy::{PolicySet, RawFinding};
use crate::report::{Finding, Location, Report, Severity};

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
    // The manifest object each finding is about, for waivers that name one.
    let mut objects = Vec::new();
    for raw in raw {
        // A user rule's METADATA gives its findings a code, severity and help.
        let rule = policies
            .rules
            .iter()
            .find(|r| raw.rule == format!("{}.{}", r.package, r.rule));
        let code = raw
            .code
            .or_else(|| rule.and_then(|r| r.code.clone()))
            .unwrap_or_else(|| USER_POLICY_CODE.to_string());
        let default = rule.and_then(|r| r.severity).unwrap_or(raw.severity);
        let Some(severity) = apply_override(config, &code, default) else {
            continue;
        };
        let config_location = match (&raw.config_key, &config_name) {
            (Some(key), Some(name)) => config.span_of(key).map(|span| {
                sources.insert(name.clone(), config.source.clone());
                location(name, &config.source, span.start, span.len())
            }),
            _ => None,
        };
        // A repository file (a manifest): its line and column; the text is not shown.
        let file_location = raw.file.as_ref().map(|(file, line, column)| Location {
            file: file.clone(),
            line: usize::try_from(*line).unwrap_or(usize::MAX),
            column: usize::try_from(*column).unwrap_or(usize::MAX),
            start: 0,
            length: 0,
        });
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
        // Every user finding points at the rule that produced it.
        let rule_location = rule.and_then(|r| {
            let text = policies.sources.get(&r.file)?;
            let start: usize = text
                .split_inclusive('\n')
                .take(r.line.saturating_sub(1))
                .map(str::len)
                .sum();
            let length = text[start..].lines().next().map_or(0, str::len);
            sources.insert(r.file.clone(), text.clone());
            Some(location(&r.file, text, start, length))
        });
        let help = raw
            .help
            .or_else(|| rule.and_then(|r| r.help.clone()))
            .or_else(|| codes::lookup(&code).map(|info| info.help.to_string()));
        findings.push(Finding {
            code,
            severity,
            message: raw.message,
            artifact: raw.artifact,
            offset: raw.offset,
            location: config_location.or(file_location).or(rule_location),
            help,
            details: raw.details,
            snippet,
            waived: raw.excepted.map(|package| crate::report::Waived {
                by: format!("the exception rule of {package}"),
                owner: "policy".to_string(),
                reason: format!("{package} excepts this rule (conftest exception)"),
                expires: None,
                ticket: None,
            }),
        });
        objects.push(raw.object);
    }
    let about_waivers = waivers::apply(&mut findings, &objects, config, &mut sources);
    findings.extend(about_waivers);
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
            waived: None,
        });
    }
    let artifacts = summary::artifacts(document);
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
    report.cost = summary::cost(document);
    report.rules = policies
        .rules
        .iter()
        .filter_map(|r| {
            Some(crate::report::RuleDoc {
                code: r.code.clone()?,
                title: r.title.clone(),
                description: r.description.clone(),
                help: r.help.clone(),
                file: r.file.clone(),
                line: r.line,
            })
        })
        .collect();
    report.git = summary::git(document);
    report
}
