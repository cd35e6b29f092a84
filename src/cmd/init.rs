//! `init`: starter files in the working directory.

use wasmgate::Error;
use wasmgate::cli::InitArgs;
use wasmgate::exit::Outcome;

use super::Out;

pub(super) fn run(args: &InitArgs, out: &Out) -> Outcome {
    out.respond(
        std::env::current_dir()
            .map_err(Error::Cwd)
            .and_then(|dir| wasmgate::init::init(&dir, args.force))
            .map(|written| wasmgate::init::describe(&written)),
    )
}
