//! `check`: run the gate (or one shard of it) and deliver its report.

use wasmgate::Error;
use wasmgate::cli::{Args, CheckArgs, GateArgs};
use wasmgate::exit::Outcome;

use super::Out;
use super::deliver::{Attest, deliver};

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
    deliver(&check.report, &attest, out, |settings| match crashed {
        Some(error) => Err(error),
        None => super::plan(args, &gate, out, true).and_then(|mut request| {
            *settings = request.config.config.output.clone();
            request.shard = check.shard;
            wasmgate::check(&request, &super::spinner(out))
        }),
    })
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
