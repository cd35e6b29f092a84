//! `keygen`, `sign`, `verify` and `signatures`.

use wasmgate::cli::{KeygenArgs, ShowArgs, SignArgs, VerifyArgs};
use wasmgate::exit::Outcome;
use wasmgate::signing;

use super::Out;

pub(super) fn keygen(args: &KeygenArgs, out: &Out) -> Outcome {
    out.respond(signing::keygen(
        &args.secret_key,
        &args.public_key,
        args.pem,
        args.force,
    ))
}

pub(super) fn sign(args: &SignArgs, out: &Out) -> Outcome {
    out.respond(signing::sign(&signing::SignOptions {
        input: args.input.clone(),
        secret_key: args.secret_key.clone(),
        public_key: args.public_key.clone(),
        output: args.output.clone(),
        detached: args.detached.clone(),
    }))
}

/// Exit 0 only for a valid signature, 1 for none, 2 when it cannot be checked.
pub(super) fn verify(args: &VerifyArgs, out: &Out) -> Outcome {
    match signing::verify(&args.input, &args.public_key, args.signature.as_deref()) {
        Ok(verdict) => {
            let printed = if out.quiet {
                Outcome::Pass
            } else {
                out.stdout(&verdict.text)
            };
            if verdict.valid {
                printed
            } else {
                Outcome::Fail
            }
        }
        Err(error) => out.error(&error),
    }
}

pub(super) fn show(args: &ShowArgs, out: &Out) -> Outcome {
    out.respond(signing::show(
        &args.input,
        &args.public_key,
        args.signature.as_deref(),
    ))
}
