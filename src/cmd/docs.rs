//! `completions`, `man` and `explain`: text about wasmgate itself.

use wasmgate::cli::{Args, CompletionsArgs, ExplainArgs};
use wasmgate::exit::Outcome;
use wasmgate::explain as catalogue;

use super::Out;

pub(super) fn completions(args: &CompletionsArgs, out: &Out) -> Outcome {
    let mut command = <Args as clap::CommandFactory>::command();
    let mut text = Vec::new();
    clap_complete::generate(args.shell, &mut command, "wasmgate", &mut text);
    out.stdout(&String::from_utf8_lossy(&text))
}

pub(super) fn man(out: &Out) -> Outcome {
    let mut text = Vec::new();
    match clap_mangen::Man::new(<Args as clap::CommandFactory>::command()).render(&mut text) {
        Ok(()) => out.stdout(&String::from_utf8_lossy(&text)),
        Err(_) => Outcome::Error,
    }
}

pub(super) fn explain(args: &ExplainArgs, out: &Out) -> Outcome {
    if args.list {
        return out.stdout(&catalogue::list());
    }
    match catalogue::explain(args.code.as_deref().unwrap_or_default()) {
        Ok(text) => out.stdout(&text),
        Err(error) => out.error(&error),
    }
}
