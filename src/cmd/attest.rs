//! `check --attest` (sign and write the decision) and `verify-attestation`.

use std::path::Path;

use wasmgate::Error;
use wasmgate::attestation::{dsse, statement, verify};
use wasmgate::cli::{RequiredVerdict, VerifyAttestationArgs};
use wasmgate::exit::Outcome;
use wasmgate::report::{Report, Verdict};
use wasmgate::untrusted::{self, Kind};
use wasmgate::wasmsig::keys;

use super::Out;

/// The signing key of `--attest-key`, read before the gate runs so a bad key fails fast.
pub(super) fn signing_key(path: &Path) -> Result<ed25519_dalek::SigningKey, Error> {
    let bytes = untrusted::read_named(path, Kind::Key)
        .map_err(|refusal| untrusted::error(path, Kind::Key, refusal))?;
    keys::secret_key(&bytes).map_err(|e| Error::Key {
        path: path.display().to_string(),
        message: e.0,
    })
}

/// Writes the signed decision of `report` to `path`; a report that decided nothing attests
/// nothing (and says so).
pub(super) fn write(
    report: &Report,
    key: &ed25519_dalek::SigningKey,
    path: &Path,
    time: bool,
    out: &Out,
) -> Outcome {
    let when = time.then(|| {
        chrono::Utc::now()
            .to_rfc3339_opts(chrono::SecondsFormat::Secs, true)
            .to_string()
    });
    let Some(statement) = statement::of(report, when) else {
        out.note(&format!(
            "no attestation written to {}: wasmgate could not decide",
            path.display()
        ));
        return Outcome::Error;
    };
    let payload = serde_json::to_vec(&statement).unwrap_or_default();
    let envelope = dsse::sign(dsse::IN_TOTO, &payload, key);
    let mut text = serde_json::to_string_pretty(&envelope).unwrap_or_default();
    text.push('\n');
    match untrusted::write(path, text.as_bytes()) {
        Ok(()) => Outcome::Pass,
        Err(e) => {
            out.note(&format!("cannot write {}: {e}", path.display()));
            Outcome::Error
        }
    }
}

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
    let read = |path: &Path, kind: Kind| {
        untrusted::read_named(path, kind).map_err(|refusal| untrusted::error(path, kind, refusal))
    };
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
