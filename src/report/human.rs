//! Human output: each finding as a miette diagnostic (code, artifact, message, help, labelled
//! snippet of the config or policy line behind it), then a summary table and a verdict line.

use std::fmt::Write as _;

use miette::{
    Diagnostic, GraphicalReportHandler, GraphicalTheme, LabeledSpan, MietteDiagnostic, NamedSource,
};

use super::{Finding, Report, Severity, Verdict};

/// How to draw.
#[derive(Debug, Clone, Copy)]
pub struct HumanStyle {
    /// ANSI colours.
    pub color: bool,
    /// Only findings, no table or verdict line on success.
    pub quiet: bool,
    /// Explain each cost figure's inputs after the table.
    pub verbose: bool,
}

fn handler(style: HumanStyle) -> GraphicalReportHandler {
    let theme = if style.color {
        GraphicalTheme::unicode()
    } else {
        GraphicalTheme::unicode_nocolor()
    };
    GraphicalReportHandler::new_themed(theme)
        .with_width(100)
        .with_links(false)
}

/// Renders any diagnostic (used for errors that stop the gate). Its message, help and labels
/// carry paths and names from the PR, so they are escaped like findings; the source chain is
/// left out because every error's message already says its cause (once).
pub fn render_diagnostic(diagnostic: &dyn Diagnostic, style: HumanStyle) -> String {
    let safe = Escaped(diagnostic);
    let mut out = String::new();
    if handler(style).render_report(&mut out, &safe).is_err() {
        out = format!("error: {safe}\n");
    }
    out
}

/// A diagnostic whose text is escaped for the terminal.
struct Escaped<'a>(&'a dyn Diagnostic);

impl std::fmt::Debug for Escaped<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        std::fmt::Debug::fmt(self.0, f)
    }
}

impl std::fmt::Display for Escaped<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&super::escape::terminal(&self.0.to_string()))
    }
}

impl std::error::Error for Escaped<'_> {}

impl Diagnostic for Escaped<'_> {
    fn code<'b>(&'b self) -> Option<Box<dyn std::fmt::Display + 'b>> {
        self.0.code()
    }

    fn severity(&self) -> Option<miette::Severity> {
        self.0.severity()
    }

    fn url<'b>(&'b self) -> Option<Box<dyn std::fmt::Display + 'b>> {
        self.0.url()
    }

    fn help<'b>(&'b self) -> Option<Box<dyn std::fmt::Display + 'b>> {
        let help = self.0.help()?.to_string();
        Some(Box::new(super::escape::terminal(&help)))
    }

    fn source_code(&self) -> Option<&dyn miette::SourceCode> {
        self.0.source_code()
    }

    fn labels(&self) -> Option<Box<dyn Iterator<Item = miette::LabeledSpan> + '_>> {
        let labels = self.0.labels()?;
        Some(Box::new(labels.map(|label| {
            miette::LabeledSpan::new_with_span(
                label.label().map(super::escape::terminal),
                *label.inner(),
            )
        })))
    }
}

/// Renders the whole report.
pub fn render(report: &Report, style: HumanStyle) -> String {
    let report = &for_terminal(report);
    let mut out = String::new();
    for finding in &report.findings {
        if style.quiet && !finding.fails() {
            continue;
        }
        out.push_str(&render_finding(report, finding, style));
    }
    // Quiet is the denials that fail the gate and nothing else, pass or fail.
    if style.quiet {
        return out;
    }
    if !report.artifacts.is_empty() {
        out.push_str(&table(report));
    }
    if let (true, Some(cost)) = (style.verbose, &report.cost) {
        for explanation in &cost.explanations {
            let _ = writeln!(out, "  {explanation}");
        }
    }
    if let Some(git) = &report.git {
        out.push_str(&git_line(git));
    }
    let verdict = match report.verdict {
        Verdict::Pass => "pass",
        Verdict::Fail => "FAIL",
        Verdict::Error => "ERROR",
    };
    let waived = match report.summary.waived {
        0 => String::new(),
        n => format!(", {n} waived"),
    };
    let _ = writeln!(
        out,
        "\nwasmgate: {verdict}: {} artifact{}, {} denied, {} warning{}{waived}",
        report.summary.artifacts,
        plural(report.summary.artifacts),
        report.summary.deny,
        report.summary.warn,
        plural(report.summary.warn),
    );
    out
}

fn render_finding(report: &Report, finding: &Finding, style: HumanStyle) -> String {
    let message = match (&finding.artifact, finding.offset) {
        (Some(artifact), Some(offset)) => {
            format!(
                "{artifact}: {} (at byte offset {offset}, {offset:#x})",
                finding.message
            )
        }
        (Some(artifact), None) => format!("{artifact}: {}", finding.message),
        (None, _) => finding.message.clone(),
    };
    // A waived finding keeps its code and text but is shown as advice, with who accepted it.
    let (message, severity) = match finding.waiver_note() {
        Some(note) => (format!("{message} [{note}]"), miette::Severity::Advice),
        None => (
            message,
            match finding.severity {
                Severity::Deny => miette::Severity::Error,
                Severity::Warn => miette::Severity::Warning,
            },
        ),
    };
    let mut diagnostic = MietteDiagnostic::new(message)
        .with_code(finding.code.clone())
        .with_severity(severity);
    if let Some(help) = &finding.help {
        diagnostic = diagnostic.with_help(help.clone());
    }
    let (label, spot) = match (&finding.location, &finding.snippet) {
        (Some(location), _) => ("set here", Some(location)),
        (None, Some(snippet)) => ("here", Some(snippet)),
        (None, None) => ("", None),
    };
    let source = spot.and_then(|location| {
        let text = report.sources.get(&location.file)?;
        Some((location, text))
    });
    match source {
        Some((location, text)) => {
            let diagnostic = diagnostic.with_label(LabeledSpan::new(
                Some(label.to_string()),
                location.start,
                location.length,
            ));
            let report = miette::Report::new(diagnostic)
                .with_source_code(NamedSource::new(location.file.clone(), text.clone()));
            render_diagnostic(report.as_ref(), style)
        }
        None => render_diagnostic(&diagnostic, style),
    }
}

fn table(report: &Report) -> String {
    let currency = report.cost.as_ref().map(|c| c.currency.clone());
    let combined = |egress: Option<f64>, compute: Option<f64>| match (egress, compute) {
        (None, None) => None,
        (e, c) => Some(e.unwrap_or(0.0) + c.unwrap_or(0.0)),
    };
    let costs: Vec<(Option<f64>, Option<f64>)> = report
        .artifacts
        .iter()
        .map(|a| {
            (
                combined(a.monthly_cost, a.compute_monthly_cost),
                combined(a.monthly_change, a.compute_monthly_change),
            )
        })
        .collect();
    let with_cost = currency.is_some() && costs.iter().any(|(cost, _)| cost.is_some());
    let with_change = with_cost && costs.iter().any(|(_, change)| change.is_some());
    let mut header = vec!["artifact", "kind", "raw", "gzip", "brotli", "imports"];
    if with_cost {
        header.push("cost/month");
    }
    if with_change {
        header.push("Δ cost");
    }
    header.push("verdict");
    let columns = header.len();
    let mut rows: Vec<Vec<String>> = vec![header.into_iter().map(String::from).collect()];
    let currency = currency.unwrap_or_default();
    for (artifact, (cost, change)) in report.artifacts.iter().zip(&costs) {
        let optional = |n: Option<u64>| n.map_or_else(|| "-".to_string(), |n| n.to_string());
        let mut row = vec![
            artifact.path.clone(),
            artifact.kind.clone().unwrap_or_else(|| "-".to_string()),
            artifact.raw.to_string(),
            optional(artifact.gzip),
            optional(artifact.brotli),
            artifact.imports.to_string(),
        ];
        if with_cost {
            row.push(cost.map_or_else(|| "-".to_string(), |c| money(c, &currency)));
        }
        if with_change {
            row.push(change.map_or_else(
                || "-".to_string(),
                |c| format!("{}{}", if c >= 0.0 { "+" } else { "" }, money(c, &currency)),
            ));
        }
        row.push(
            match artifact.verdict {
                Verdict::Pass => "pass",
                Verdict::Fail => "FAIL",
                Verdict::Error => "error",
            }
            .to_string(),
        );
        rows.push(row);
    }
    let mut widths = vec![0usize; columns];
    for row in &rows {
        for (width, cell) in widths.iter_mut().zip(row) {
            *width = (*width).max(cell.chars().count());
        }
    }
    let mut out = String::from("\n");
    for row in &rows {
        let mut line = String::new();
        for (column, (cell, width)) in row.iter().zip(&widths).enumerate() {
            // Text columns align left, numbers right.
            if matches!(column, 0 | 1) || column == columns - 1 {
                let _ = write!(line, "{cell:<width$}  ");
            } else {
                let _ = write!(line, "{cell:>width$}  ");
            }
        }
        out.push_str(line.trim_end());
        out.push('\n');
    }
    if let Some(cost) = &report.cost {
        out.push_str(&cost_line(cost));
    }
    out
}

fn money(amount: f64, currency: &str) -> String {
    crate::derive::finops::risk::money(amount, currency)
}

/// `cost: 1655.10 USD/month (egress 373.33 USD, compute 1281.77 USD), +908.43 USD against the base; 0.42 kg CO₂e/month`
fn cost_line(cost: &super::CostSummary) -> String {
    let currency = &cost.currency;
    let Some(total) = cost.total else {
        return String::new();
    };
    let mut line = format!("\ncost: {}/month", money(total, currency));
    if let (Some(egress), Some(compute)) = (cost.egress, cost.compute) {
        let _ = write!(
            line,
            " (egress {}, compute {})",
            money(egress, currency),
            money(compute, currency)
        );
    }
    if let Some(change) = cost.total_change {
        let sign = if change >= 0.0 { "+" } else { "" };
        let _ = write!(line, ", {sign}{} against the base", money(change, currency));
    }
    if let Some(co2e) = cost.co2e_kg_per_month {
        let _ = write!(line, "; {co2e:.2} kg CO₂e/month");
    }
    line.push('\n');
    for forecast in &cost.forecasts {
        let _ = writeln!(line, "forecast: {forecast}");
    }
    line
}

fn git_line(git: &super::GitSummary) -> String {
    let short = |sha: &str| sha.chars().take(12).collect::<String>();
    match (&git.base, &git.merge_base) {
        (Some(base), Some(merge_base)) => format!(
            "\ngit: base {base} ({}), merge-base {}, gate files from {}; {} commit{}, {} AI-assisted ({:.0}%)\n",
            git.reason,
            short(merge_base),
            git.trust,
            git.commits,
            plural(git.commits),
            git.ai_assisted,
            git.ai_share * 100.0
        ),
        _ => format!(
            "\ngit: no base ({}): the baseline is read from the work tree and no commits are checked\n",
            git.reason
        ),
    }
}

fn plural(n: usize) -> &'static str {
    if n == 1 { "" } else { "s" }
}

/// The report with every string that can carry PR data escaped for a terminal: one line
/// each, no escape sequences, whatever `--color` says.
fn for_terminal(report: &Report) -> Report {
    use super::escape::terminal;
    let mut safe = report.clone();
    for finding in &mut safe.findings {
        finding.code = terminal(&finding.code);
        finding.message = terminal(&finding.message);
        finding.artifact = finding.artifact.as_deref().map(terminal);
        finding.help = finding.help.as_deref().map(terminal);
        for location in [&mut finding.location, &mut finding.snippet]
            .into_iter()
            .flatten()
        {
            location.file = terminal(&location.file);
        }
    }
    for artifact in &mut safe.artifacts {
        artifact.path = terminal(&artifact.path);
        artifact.hints = artifact.hints.iter().map(|h| terminal(h)).collect();
    }
    if let Some(git) = &mut safe.git {
        git.base = git.base.as_deref().map(terminal);
        git.reason = terminal(&git.reason);
    }
    if let Some(error) = &mut safe.error {
        error.message = terminal(&error.message);
    }
    safe.sources = safe
        .sources
        .into_iter()
        .map(|(name, text)| (terminal(&name), text))
        .collect();
    safe
}
