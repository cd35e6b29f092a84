//! `verify-attestation`: is a decision attestation ours, and does it say what is asked.

use wasmgate::Error;
use wasmgate::attestation::verify;
use wasmgate::cli::{RequiredVerdict, VerifyAttestationArgs};
use wasmgate::exit::Outcome;
use wasmgate::report::Verdict;
use wasmgate::untrusted::{self, Kind};
use wasmgate::wasmsig::keys;

use super::Out;

/// Exit 0 when the attestation verifies and says all that is asked, 1 when it verifies but
/// does not, 2 when it cannot be used.
pub(super) fn verify(args: &VerifyAttestationArgs, out: &Out) -> Outcome {
    match checked(args) {
        Ok((checked, text)) => {
            let printed = if out.quiet && checked.unmet.is_empty() {
                Outcome::Pass
            } else {
                out.stdout(&text)
            };
            if checked.unmet.is_empty() {
                printed
            } else {
                Outcome::Fail
            }
        }
        Err(error) => out.error(&error),
    }
}

fn checked(args: &VerifyAttestationArgs) -> Result<(verify::Checked, String), Error> {
    let key = wasmgate::signing::load_public(&args.public_key)?;
    let read = untrusted::read_command_file;
    let text = read(&args.attestation, Kind::Attestation)?;
    let mut wanted = verify::Requirements {
        verdict: args.require_verdict.map(|v| match v {
            RequiredVerdict::Pass => Verdict::Pass,
            RequiredVerdict::Fail => Verdict::Fail,
        }),
        policy_digest: args.policy_digest.clone(),
        artifacts: Vec::new(),
    };
    for artifact in &args.artifact {
        let limit = wasmgate::config::Config::default().artifacts.max_size.0;
        let bytes = read(artifact, Kind::Artifact(limit))?;
        wanted
            .artifacts
            .push((artifact.display().to_string(), verify::sha256(&bytes)));
    }
    let checked = verify::check(&text, &key, &wanted).map_err(|unusable| Error::Attestation {
        path: args.attestation.display().to_string(),
        message: unusable.to_string(),
    })?;
    let mut report = format!(
        "{}: a wasmgate decision signed by {} over {} subject(s): verdict {}, gate files {}\n",
        args.attestation.display(),
        keys::fingerprint(&key),
        checked.statement.subject.len(),
        match checked.decision.verdict {
            Verdict::Pass => "pass",
            Verdict::Fail => "fail",
            Verdict::Error => "error",
        },
        checked
            .decision
            .gate
            .digest
            .as_deref()
            .unwrap_or("not recorded"),
    );
    for unmet in &checked.unmet {
        report.push_str(&format!("  not satisfied: {unmet}\n"));
    }
    Ok((checked, report))
}
