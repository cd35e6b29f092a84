//! How `check` and `merge` deliver a report: stdout in the chosen format, the GitHub extras,
//! every `--output`, and the attestation; a run that could not decide says so in each.

use std::io::Write;
use std::path::{Path, PathBuf};

use wasmgate::Error;
use wasmgate::cli::{Format, ReportArgs};
use wasmgate::exit::Outcome;
use wasmgate::report::human::HumanStyle;
use wasmgate::report::{self, Report, ReportError};

use super::out::Out;

/// Where to write a decision attestation, with which key.
pub(super) struct Attest {
    pub(super) path: Option<PathBuf>,
    pub(super) key: Option<PathBuf>,
    pub(super) time: bool,
}

/// Runs `decide` and delivers its report as `check` does: stdout in `--format`, the GitHub
/// extras, every `--output`, the attestation; an error is reported in every format too.
pub(super) fn deliver(
    gate: &ReportArgs,
    attest: &Attest,
    out: &Out,
    decide: impl FnOnce(&mut wasmgate::config::OutputConfig) -> Result<Report, Error>,
) -> Outcome {
    // The signing key is read first: a run that cannot attest fails before the slow part.
    let attest_key = match attest
        .key
        .as_deref()
        .map(wasmgate::attestation::sign::signing_key)
    {
        Some(Err(error)) => return out.error(&error),
        Some(Ok(key)) => Some(key),
        None => None,
    };
    let mut settings = wasmgate::config::OutputConfig::default();
    let outcome = decide(&mut settings);
    let stdout_format = gate.format.unwrap_or(Format::Human);
    let (report, error) = match outcome {
        Ok(report) => (report, None),
        Err(error) => (
            Report::from_error(ReportError {
                code: error.code_string(),
                message: error.to_string(),
                help: error.help_string(),
            }),
            Some(error),
        ),
    };
    let mut code = Outcome::of(report.verdict);
    // Machine formats always carry a document, even when wasmgate could not decide.
    if error.is_none() || stdout_format != Format::Human {
        code = code.max(out.stdout(&report::render(stdout_format, &report, out.style)));
    }
    code = code.max(github(&report, &settings, stdout_format, out));
    code = code.max(outputs(gate, &report, out));
    if let (Some(path), Some(key)) = (&attest.path, &attest_key) {
        code = code.max(write_attestation(&report, key, path, attest.time, out));
    }
    match error {
        Some(error) => out.error(&error),
        None => code,
    }
}

/// Writes the signed decision of `report` to `path`; a report that decided nothing attests
/// nothing, and says so.
fn write_attestation(
    report: &Report,
    key: &ed25519_dalek::SigningKey,
    path: &Path,
    time: bool,
    out: &Out,
) -> Outcome {
    let when = time.then(|| {
        chrono::Utc::now()
            .to_rfc3339_opts(chrono::SecondsFormat::Secs, true)
            .to_string()
    });
    let Some(text) = wasmgate::attestation::sign::envelope(report, key, when) else {
        out.note(&format!(
            "no attestation written to {}: wasmgate could not decide",
            path.display()
        ));
        return Outcome::Error;
    };
    match wasmgate::untrusted::write(path, text.as_bytes()) {
        Ok(()) => Outcome::Pass,
        Err(e) => {
            out.note(&format!("cannot write {}: {e}", path.display()));
            Outcome::Error
        }
    }
}

/// Under GitHub Actions: annotations on stdout and the job summary, as configured.
fn github(
    report: &Report,
    settings: &wasmgate::config::OutputConfig,
    stdout_format: Format,
    out: &Out,
) -> Outcome {
    if !std::env::var("GITHUB_ACTIONS").is_ok_and(|v| v == "true") {
        return Outcome::Pass;
    }
    let mut code = Outcome::Pass;
    if settings.github_annotations && stdout_format == Format::Human {
        code = out.stdout(&report::github::annotations(report));
    }
    if settings.github_summary
        && let Some(summary) = std::env::var_os("GITHUB_STEP_SUMMARY")
    {
        let appended = std::fs::OpenOptions::new()
            .create(true)
            .append(true)
            .open(&summary)
            .and_then(|mut file| file.write_all(report::github::summary(report).as_bytes()));
        if let Err(e) = appended {
            out.note(&format!("cannot append the job summary: {e}"));
        }
    }
    code
}

/// Every `--output FORMAT=PATH`, never written through a link.
fn outputs(gate: &ReportArgs, report: &Report, out: &Out) -> Outcome {
    let mut code = Outcome::Pass;
    let plain = HumanStyle {
        color: false,
        quiet: false,
        verbose: false,
    };
    for output in &gate.outputs {
        let text = report::render(output.format, report, plain);
        if let Err(e) = wasmgate::untrusted::write(&output.path, text.as_bytes()) {
            out.note(&format!("cannot write {}: {e}", output.path.display()));
            code = Outcome::Error;
        }
    }
    code
}
