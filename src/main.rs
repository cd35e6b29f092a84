//! The wasmgate binary: parse arguments, run the library, write its output, exit.

mod progress;
mod supervise;

use std::io::{IsTerminal, Write};
use std::process::ExitCode;

use clap::Parser;
use wasmgate::cli::{Args, BaselineArgs, ColorChoice, Command, Format, GateArgs};
use wasmgate::report::human::{self, HumanStyle};
use wasmgate::report::{self, Report, ReportError};
use wasmgate::{Error, exit, explain, request, signing};

fn main() -> ExitCode {
    let args = Args::parse();
    let stdout_tty = std::io::stdout().is_terminal();
    let style = HumanStyle {
        color: use_color(args.color, stdout_tty),
        quiet: args.quiet,
    };
    let error_style = HumanStyle {
        color: use_color(args.color, std::io::stderr().is_terminal()),
        quiet: args.quiet,
    };
    // The gate's commands read hostile input: they run supervised, under a memory bound.
    let gate_command = matches!(
        args.command,
        Command::Check(_) | Command::Facts(_) | Command::Baseline(_)
    );
    if gate_command && !supervise::enter_child() {
        match supervise::bound().map(|bound| bound.map(supervise::run)) {
            Ok(None) => {}
            Ok(Some(Ok(supervise::Ended::Code(code)))) => return ExitCode::from(code),
            Ok(Some(Ok(supervise::Ended::Crashed(message)) | Err(message))) | Err(message) => {
                let error = Error::Crashed {
                    message,
                    help: format!(
                        "the run is bounded to WASMGATE_MAX_MEMORY (default {} GiB) of address space, or less under `ulimit -v`; look for a policy or artifact that builds something huge, or raise the bound if the inputs are expected",
                        supervise::DEFAULT_BYTES >> 30
                    ),
                };
                let code = match &args.command {
                    Command::Check(gate) => check(&args, gate, style, error_style, Some(error)),
                    _ => report_error(&error, error_style),
                };
                return ExitCode::from(code);
            }
        }
    }
    let code = match &args.command {
        Command::Check(gate) => check(&args, gate, style, error_style, None),
        Command::Facts(gate) => facts(&args, gate, error_style),
        Command::Baseline(baseline_args) => baseline(&args, baseline_args, error_style),
        Command::Keygen(keygen) => respond(
            signing::keygen(
                &keygen.secret_key,
                &keygen.public_key,
                keygen.pem,
                keygen.force,
            ),
            &args,
            error_style,
        ),
        Command::Sign(sign) => respond(
            signing::sign(&signing::SignOptions {
                input: sign.input.clone(),
                secret_key: sign.secret_key.clone(),
                public_key: sign.public_key.clone(),
                output: sign.output.clone(),
                detached: sign.detached.clone(),
            }),
            &args,
            error_style,
        ),
        Command::Verify(verify) => {
            match signing::verify(
                &verify.input,
                &verify.public_key,
                verify.signature.as_deref(),
            ) {
                Ok(verdict) => {
                    let code = if args.quiet {
                        exit::PASS
                    } else {
                        write_stdout(&verdict.text)
                    };
                    match (verdict.valid, code) {
                        (true, code) => code,
                        (false, _) => exit::FAIL,
                    }
                }
                Err(error) => report_error(&error, error_style),
            }
        }
        Command::Signatures(show) => respond(
            signing::show(&show.input, &show.public_key, show.signature.as_deref()),
            &args,
            error_style,
        ),
        Command::Init(init) => respond(
            std::env::current_dir()
                .map_err(Error::Cwd)
                .and_then(|dir| wasmgate::init::init(&dir, init.force))
                .map(|written| wasmgate::init::describe(&written)),
            &args,
            error_style,
        ),
        Command::Completions(completions) => {
            let mut command = <Args as clap::CommandFactory>::command();
            let mut out = Vec::new();
            clap_complete::generate(completions.shell, &mut command, "wasmgate", &mut out);
            write_stdout(&String::from_utf8_lossy(&out))
        }
        Command::Man => {
            let mut out = Vec::new();
            match clap_mangen::Man::new(<Args as clap::CommandFactory>::command()).render(&mut out)
            {
                Ok(()) => write_stdout(&String::from_utf8_lossy(&out)),
                Err(_) => exit::ERROR,
            }
        }
        Command::Explain(explain_args) => {
            if explain_args.list {
                write_stdout(&explain::list())
            } else {
                match explain::explain(explain_args.code.as_deref().unwrap_or_default()) {
                    Ok(text) => write_stdout(&text),
                    Err(error) => report_error(&error, error_style),
                }
            }
        }
    };
    ExitCode::from(code)
}

/// `check`; `crashed` is the error of a supervised run that died, reported like any other.
fn check(
    args: &Args,
    gate: &GateArgs,
    style: HumanStyle,
    error_style: HumanStyle,
    crashed: Option<Error>,
) -> u8 {
    let hooked;
    let gate = if gate.hook {
        let wasm: Vec<String> = gate
            .paths
            .iter()
            .filter(|p| p.ends_with(".wasm"))
            .cloned()
            .collect();
        let governing = gate.paths.len() > wasm.len();
        if wasm.is_empty() && !governing {
            return exit::PASS;
        }
        hooked = GateArgs {
            paths: if governing { Vec::new() } else { wasm },
            ..gate.clone()
        };
        &hooked
    } else {
        gate
    };
    let mut output_settings = wasmgate::config::OutputConfig::default();
    let outcome = match crashed {
        Some(error) => Err(error),
        None => request::build(gate, args.config.as_deref()).and_then(|request| {
            if args.verbose {
                log_request(&request);
            }
            log_notes(&request, args.quiet);
            output_settings = request.config.config.output.clone();
            let progress = progress::Spinner::new(std::io::stderr().is_terminal() && !args.quiet);
            wasmgate::check(&request, &progress)
        }),
    };
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
    let mut code = exit::code(report.verdict);
    // Machine formats always carry a document, even when wasmgate could not decide.
    if error.is_none() || stdout_format != Format::Human {
        code = code.max(write_stdout(&report::render(stdout_format, &report, style)));
    }
    let github = std::env::var("GITHUB_ACTIONS").is_ok_and(|v| v == "true");
    if github && output_settings.github_annotations && stdout_format == Format::Human {
        code = code.max(write_stdout(&report::github::annotations(&report)));
    }
    if github
        && output_settings.github_summary
        && let Some(summary) = std::env::var_os("GITHUB_STEP_SUMMARY")
    {
        let appended = std::fs::OpenOptions::new()
            .create(true)
            .append(true)
            .open(&summary)
            .and_then(|mut file| file.write_all(report::github::summary(&report).as_bytes()));
        if let Err(e) = appended {
            let _ = writeln!(
                std::io::stderr(),
                "wasmgate: cannot append the job summary: {e}"
            );
        }
    }
    for output in &gate.outputs {
        let text = report::render(
            output.format,
            &report,
            HumanStyle {
                color: false,
                quiet: false,
            },
        );
        let written = wasmgate::untrusted::write(&output.path, text.as_bytes());
        if let Err(e) = written {
            let _ = writeln!(
                std::io::stderr(),
                "wasmgate: cannot write {}: {e}",
                output.path.display()
            );
            code = exit::ERROR;
        }
    }
    match error {
        Some(error) => report_error(&error, error_style),
        None => code,
    }
}

fn facts(args: &Args, gate: &GateArgs, error_style: HumanStyle) -> u8 {
    let outcome = request::build(gate, args.config.as_deref()).and_then(|request| {
        if args.verbose {
            log_request(&request);
        }
        log_notes(&request, args.quiet);
        let progress = progress::Spinner::new(std::io::stderr().is_terminal() && !args.quiet);
        wasmgate::collect_facts(&request, &progress)
    });
    match outcome {
        Ok(document) if gate.format == Some(Format::Human) => {
            write_stdout(&wasmgate::input::summary(&document))
        }
        Ok(document) => match serde_json::to_string_pretty(&document) {
            Ok(mut text) => {
                text.push('\n');
                write_stdout(&text)
            }
            Err(e) => {
                let _ = writeln!(std::io::stderr(), "wasmgate: cannot serialise facts: {e}");
                exit::ERROR
            }
        },
        Err(error) => report_error(&error, error_style),
    }
}

/// Prints a command's text (unless quiet), or its error.
fn respond(outcome: Result<String, Error>, args: &Args, error_style: HumanStyle) -> u8 {
    match outcome {
        Ok(_) if args.quiet => exit::PASS,
        Ok(text) => write_stdout(&text),
        Err(error) => report_error(&error, error_style),
    }
}

fn baseline(args: &Args, baseline_args: &BaselineArgs, error_style: HumanStyle) -> u8 {
    let outcome =
        request::build(&baseline_args.gate(), args.config.as_deref()).and_then(|request| {
            if args.verbose {
                log_request(&request);
            }
            let progress = progress::Spinner::new(std::io::stderr().is_terminal() && !args.quiet);
            wasmgate::app::write_baseline(&request, &progress, baseline_args.output.as_deref())
        });
    match outcome {
        Ok((path, count)) => {
            if args.quiet {
                return exit::PASS;
            }
            let shown = std::env::current_dir()
                .ok()
                .and_then(|cwd| path.strip_prefix(cwd).ok().map(|p| p.display().to_string()))
                .unwrap_or_else(|| path.display().to_string());
            write_stdout(&format!(
                "wasmgate: wrote {shown} ({count} artifact{}); commit it to accept these facts\n",
                if count == 1 { "" } else { "s" }
            ))
        }
        Err(error) => report_error(&error, error_style),
    }
}

/// Notes change no verdict (a cache directory refused, say) but are worth a line on stderr.
fn log_notes(request: &wasmgate::CheckRequest, quiet: bool) {
    if quiet {
        return;
    }
    let mut err = std::io::stderr().lock();
    for note in &request.notes {
        let _ = writeln!(
            err,
            "wasmgate: note: {}",
            wasmgate::report::escape::terminal(note)
        );
    }
}

fn log_request(request: &wasmgate::CheckRequest) {
    let mut err = std::io::stderr().lock();
    let _ = writeln!(err, "wasmgate: root {}", request.root.display());
    match &request.base {
        Some(base) => {
            let _ = writeln!(
                err,
                "wasmgate: base {} ({}), merge-base {}; gate files trusted from {:?}",
                base.reference, base.reason, base.merge_base, request.trust
            );
        }
        None => {
            let _ = writeln!(err, "wasmgate: no base");
        }
    }
    match &request.config.path {
        Some(path) => {
            let _ = writeln!(err, "wasmgate: config {}", path.display());
        }
        None => {
            let _ = writeln!(err, "wasmgate: no wasmgate.toml found; using the defaults");
        }
    }
    let _ = writeln!(
        err,
        "wasmgate: namespaces {}{}",
        request.policy.namespaces.join(", "),
        if request.policy.all_namespaces {
            " (all namespaces)"
        } else {
            ""
        }
    );
    match &request.sizes.cache_dir {
        Some(dir) => {
            let _ = writeln!(err, "wasmgate: size cache {}", dir.display());
        }
        None => {
            let _ = writeln!(err, "wasmgate: size cache off");
        }
    }
}

fn report_error(error: &Error, style: HumanStyle) -> u8 {
    let text = human::render_diagnostic(error, style);
    let _ = std::io::stderr().write_all(text.as_bytes());
    exit::ERROR
}

/// Writes to stdout; a closed pipe (`wasmgate check | head`) is not an error.
fn write_stdout(text: &str) -> u8 {
    let mut out = std::io::stdout().lock();
    match out.write_all(text.as_bytes()).and_then(|()| out.flush()) {
        Ok(()) => exit::PASS,
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => exit::PASS,
        Err(_) => exit::ERROR,
    }
}

fn use_color(choice: ColorChoice, tty: bool) -> bool {
    match choice {
        ColorChoice::Always => true,
        ColorChoice::Never => false,
        ColorChoice::Auto => tty && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty()),
    }
}
