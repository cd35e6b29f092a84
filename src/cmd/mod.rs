//! One module per subcommand; each returns its exit code. They print through `out::Out`.

mod attest;
mod baseline;
mod check;
mod deliver;
mod docs;
mod facts;
mod init;
mod log;
mod merge;
mod out;
mod sbom;
mod sign;
mod test;
mod waivers;

use std::io::IsTerminal;

use wasmgate::Error;
use wasmgate::cli::{Args, Command};
use wasmgate::exit::Outcome;

pub(crate) use out::Out;

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
        Command::Sbom(sbom) => sbom::run(sbom, out),
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
