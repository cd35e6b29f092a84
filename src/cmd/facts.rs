//! `facts`: the policy input document, as JSON or a human summary.

use wasmgate::cli::{Args, Format, GateArgs};
use wasmgate::exit::Outcome;

use super::Out;

pub(super) fn run(args: &Args, gate: &GateArgs, out: &Out) -> Outcome {
    let document = super::plan(args, gate, out, true)
        .and_then(|request| wasmgate::collect_facts(&request, &super::spinner(out)));
    match document {
        Ok(document) if gate.format == Some(Format::Human) => {
            out.stdout(&wasmgate::input::summary(&document))
        }
        Ok(document) => match serde_json::to_string_pretty(&document) {
            Ok(mut text) => {
                text.push('\n');
                out.stdout(&text)
            }
            Err(e) => {
                out.note(&format!("cannot serialise facts: {e}"));
                Outcome::Error
            }
        },
        Err(error) => out.error(&error),
    }
}
