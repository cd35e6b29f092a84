//! JUnit XML for CI test views: a testsuite per artifact and a testcase per rule evaluated, a
//! failure for each deny finding; findings about no artifact go to a `wasmgate` suite.

use std::fmt::Write as _;

use super::{Report, Severity};
use crate::diag::codes;

/// Renders the report as JUnit XML.
pub fn render(report: &Report) -> String {
    let mut suites: Vec<Option<&str>> = report
        .artifacts
        .iter()
        .map(|a| Some(a.path.as_str()))
        .collect();
    if report.findings.iter().any(|f| f.artifact.is_none()) {
        suites.push(None);
    }
    let mut rules: Vec<&str> = codes::Code::ALL.iter().map(|c| c.as_str()).collect();
    for finding in &report.findings {
        if !rules.contains(&finding.code.as_str()) {
            rules.push(&finding.code);
        }
    }
    let failures = report.findings.iter().filter(|f| f.fails()).count();
    let mut out = String::from("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    let _ = writeln!(
        out,
        "<testsuites name=\"wasmgate\" tests=\"{}\" failures=\"{failures}\" errors=\"{}\">",
        suites.len() * rules.len() + usize::from(report.error.is_some()),
        usize::from(report.error.is_some())
    );
    // Exit 2 is an error test case, so that a JUnit view never shows a run that could not
    // decide as green.
    if let Some(error) = &report.error {
        let _ = writeln!(
            out,
            "  <testsuite name=\"wasmgate\" tests=\"1\" failures=\"0\" errors=\"1\" skipped=\"0\">\n    <testcase classname=\"wasmgate\" name=\"gate could decide\">\n      <error message=\"{}\" type=\"{}\">{}</error>\n    </testcase>\n  </testsuite>",
            escape(&error.message),
            escape(error.code.as_deref().unwrap_or("wasmgate::error")),
            escape(error.help.as_deref().unwrap_or_default())
        );
    }
    for suite in suites {
        let name = suite.unwrap_or("wasmgate");
        let findings: Vec<_> = report
            .findings
            .iter()
            .filter(|f| f.artifact.as_deref() == suite)
            .collect();
        let denied = findings.iter().filter(|f| f.fails()).count();
        let skipped = findings.iter().filter(|f| f.waived.is_some()).count();
        let _ = writeln!(
            out,
            "  <testsuite name=\"{}\" tests=\"{}\" failures=\"{denied}\" errors=\"0\" skipped=\"{skipped}\">",
            escape(name),
            rules.len()
        );
        for rule in &rules {
            let _ = write!(
                out,
                "    <testcase classname=\"{}\" name=\"{}\"",
                escape(name),
                escape(rule)
            );
            let hits: Vec<_> = findings.iter().filter(|f| f.code == *rule).collect();
            if hits.is_empty() {
                out.push_str("/>\n");
                continue;
            }
            out.push_str(">\n");
            for finding in hits {
                if let Some(note) = finding.waiver_note() {
                    let _ = writeln!(
                        out,
                        "      <skipped message=\"{}\"/>",
                        escape(&format!("{}: {note}", finding.message))
                    );
                    continue;
                }
                let element = match finding.severity {
                    Severity::Deny => "failure",
                    Severity::Warn => "system-out",
                };
                if element == "failure" {
                    let _ = writeln!(
                        out,
                        "      <failure type=\"{}\" message=\"{}\">{}</failure>",
                        escape(rule),
                        escape(&finding.message),
                        escape(finding.help.as_deref().unwrap_or_default())
                    );
                } else {
                    let _ = writeln!(
                        out,
                        "      <system-out>warning: {}</system-out>",
                        escape(&finding.message)
                    );
                }
            }
            out.push_str("    </testcase>\n");
        }
        out.push_str("  </testsuite>\n");
    }
    out.push_str("</testsuites>\n");
    out
}

/// XML text and attribute escaping; control characters XML 1.0 cannot carry are dropped.
fn escape(text: &str) -> String {
    super::escape::xml(text)
}
