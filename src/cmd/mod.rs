//! One module per subcommand; each returns its exit code. `Out` is how they all print: the
//! library never prints, so this is where its strings reach stdout and stderr.

mod attest;
mod baseline;
mod check;
mod docs;
mod facts;
mod init;
mod log;
mod merge;
mod sign;
mod test;
mod waivers;

use std::io::{IsTerminal, Write};

use wasmgate::Error;
use wasmgate::cli::{Args, ColorChoice, Command};
use wasmgate::exit::Outcome;
use wasmgate::report::human::{self, HumanStyle};

/// The terminal styles of stdout and stderr, and quiet mode.
pub(crate) struct Out {
    pub(crate) style: HumanStyle,
    pub(crate) error_style: HumanStyle,
    pub(crate) quiet: bool,
}

impl Out {
    pub(crate) fn new(args: &Args) -> Self {
        let style = |tty: bool| HumanStyle {
            color: use_color(args.color, tty),
            quiet: args.quiet,
            verbose: args.verbose,
        };
        Out {
            style: style(std::io::stdout().is_terminal()),
            error_style: style(std::io::stderr().is_terminal()),
            quiet: args.quiet,
        }
    }

    /// Writes to stdout; a closed pipe (`wasmgate check | head`) is not an error.
    pub(crate) fn stdout(&self, text: &str) -> Outcome {
        let mut out = std::io::stdout().lock();
        match out.write_all(text.as_bytes()).and_then(|()| out.flush()) {
            Ok(()) => Outcome::Pass,
            Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => Outcome::Pass,
            Err(_) => Outcome::Error,
        }
    }

    /// A line on stderr, prefixed `wasmgate: `.
    pub(crate) fn note(&self, line: &str) {
        let _ = writeln!(std::io::stderr(), "wasmgate: {line}");
    }

    /// Prints the error as a diagnostic on stderr: exit 2.
    pub(crate) fn error(&self, error: &Error) -> Outcome {
        let text = human::render_diagnostic(error, self.error_style);
        let _ = std::io::stderr().write_all(text.as_bytes());
        Outcome::Error
    }

    /// Prints a command's text (unless quiet), or its error.
    pub(crate) fn respond(&self, outcome: Result<String, Error>) -> Outcome {
        match outcome {
            Ok(_) if self.quiet => Outcome::Pass,
            Ok(text) => self.stdout(&text),
            Err(error) => self.error(&error),
        }
    }
}

/// Resolves what the user typed into a request, telling about it under `-v`.
fn plan(
    args: &Args,
    gate: &wasmgate::cli::GateArgs,
    out: &Out,
    notes: bool,
) -> Result<wasmgate::CheckRequest, Error> {
    let request = wasmgate::plan::build(gate, args.config.as_deref())?;
    if args.verbose {
        log::request(&request, out);
    }
    if notes {
        log::notes(&request, out);
    }
    Ok(request)
}

/// The progress bar of slow fact collection: on a terminal, unless quiet.
fn spinner(out: &Out) -> crate::progress::Spinner {
    crate::progress::Spinner::new(std::io::stderr().is_terminal() && !out.quiet)
}

/// Whether a command reads hostile input, and so runs supervised under a memory bound.
pub(crate) fn supervised(command: &Command) -> bool {
    matches!(
        command,
        Command::Check(_) | Command::Facts(_) | Command::Baseline(_) | Command::Merge(_)
    )
}

/// Runs the command; `crashed` is the error of a supervised run that died, reported by the
/// command as its own (a check still writes every requested report).
pub(crate) fn run(args: &Args, out: &Out, crashed: Option<Error>) -> Outcome {
    if let Some(error) = crashed {
        return match &args.command {
            Command::Check(check) => check::run(args, check, out, Some(error)),
            _ => out.error(&error),
        };
    }
    match &args.command {
        Command::Check(check) => check::run(args, check, out, None),
        Command::VerifyAttestation(verify) => attest::verify(verify, out),
        Command::Merge(merge) => merge::run(args, merge, out),
        Command::Facts(facts) => facts::run(args, facts, out),
        Command::Baseline(baseline) => baseline::run(args, baseline, out),
        Command::Keygen(keygen) => sign::keygen(keygen, out),
        Command::Sign(sign) => sign::sign(sign, out),
        Command::Verify(verify) => sign::verify(verify, out),
        Command::Signatures(show) => sign::show(show, out),
        Command::Init(init) => init::run(init, out),
        Command::Completions(completions) => docs::completions(completions, out),
        Command::Man => docs::man(out),
        Command::Explain(explain) => docs::explain(explain, out),
        Command::Test(test) => test::run(args, test, out),
        Command::Waivers(gate) => waivers::run(args, gate, out),
    }
}

fn use_color(choice: ColorChoice, tty: bool) -> bool {
    match choice {
        ColorChoice::Always => true,
        ColorChoice::Never => false,
        ColorChoice::Auto => tty && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty()),
    }
}
