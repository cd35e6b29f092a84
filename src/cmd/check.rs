//! `check`: run the gate, print the report, write every `--output` and the GitHub extras.

use std::io::Write;

use wasmgate::Error;
use wasmgate::cli::{Args, CheckArgs, Format, GateArgs};
use wasmgate::exit::Outcome;
use wasmgate::report::human::HumanStyle;
use wasmgate::report::{self, Report, ReportError};

use super::Out;

/// `crashed` is the error of a supervised run that died: reported like any other.
pub(super) fn run(args: &Args, check: &CheckArgs, out: &Out, crashed: Option<Error>) -> Outcome {
    let Some(gate) = hooked(&check.gate) else {
        return Outcome::Pass;
    };
    let attest = Attest {
        path: check.attest.clone(),
        key: check.attest_key.clone(),
        time: check.attest_time,
    };
    deliver(&gate, &attest, out, |settings| match crashed {
        Some(error) => Err(error),
        None => super::plan(args, &gate, out, true).and_then(|mut request| {
            *settings = request.config.config.output.clone();
            request.shard = check.shard;
            wasmgate::check(&request, &super::spinner(out))
        }),
    })
}

/// Where to write a decision attestation, with which key.
pub(super) struct Attest {
    pub(super) path: Option<std::path::PathBuf>,
    pub(super) key: Option<std::path::PathBuf>,
    pub(super) time: bool,
}

/// Runs `decide` and delivers its report as `check` does: stdout in `gate.format`, the GitHub
/// extras, every `--output`, the attestation; an error is reported in every format too.
pub(super) fn deliver(
    gate: &GateArgs,
    attest: &Attest,
    out: &Out,
    decide: impl FnOnce(&mut wasmgate::config::OutputConfig) -> Result<Report, Error>,
) -> Outcome {
    // The signing key is read first: a run that cannot attest fails before the slow part.
    let attest_key = match attest.key.as_deref().map(super::attest::signing_key) {
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
        code = code.max(super::attest::write(&report, key, path, attest.time, out));
    }
    match error {
        Some(error) => out.error(&error),
        None => code,
    }
}

/// Pre-commit mode: of the paths, the `.wasm` files; any other file (a policy, the config)
/// means every artifact. None: nothing to check, a pass.
fn hooked(gate: &GateArgs) -> Option<GateArgs> {
    if !gate.hook {
        return Some(gate.clone());
    }
    let wasm: Vec<String> = gate
        .paths
        .iter()
        .filter(|p| p.ends_with(".wasm"))
        .cloned()
        .collect();
    let governing = gate.paths.len() > wasm.len();
    if wasm.is_empty() && !governing {
        return None;
    }
    Some(GateArgs {
        paths: if governing { Vec::new() } else { wasm },
        ..gate.clone()
    })
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
fn outputs(gate: &GateArgs, report: &Report, out: &Out) -> Outcome {
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
