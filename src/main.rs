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
            supervise::Outcome::Here => None,
            supervise::Outcome::Exited(code) => return ExitCode::from(code),
            supervise::Outcome::Crashed(error) => Some(error),
        }
    } else {
        None
    };
    ExitCode::from(cmd::run(&args, &out, crashed))
}
