//! The wasmgate binary: parse the arguments, run the command (supervised under a memory bound
//! when it reads hostile input), exit with its code. Each command lives in `cmd/`.

mod cmd;
mod progress;
mod supervise;

use std::process::ExitCode;

use clap::Parser;
use wasmgate::cli::Args;

fn main() -> ExitCode {
    let args = Args::parse();
    let out = cmd::Out::new(&args);
    let crashed = if cmd::supervised(&args.command) {
        match supervise::supervise() {
            supervise::Supervised::Here => None,
            supervise::Supervised::Exited(outcome) => return ExitCode::from(outcome.code()),
            supervise::Supervised::Crashed(error) => Some(error),
        }
    } else {
        None
    };
    ExitCode::from(cmd::run(&args, &out, crashed).code())
}
