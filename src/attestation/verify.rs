//! What a deploy step checks of a decision attestation: that it is ours (the DSSE signature
//! verifies with the key, the Statement is a wasmgate decision) and that it says what the step
//! needs (these bytes are subjects, the verdict, the gate files' digest).

use sha2::{Digest, Sha256};

use super::dsse::{self, IN_TOTO};
use super::statement::{Decision, PREDICATE_TYPE, STATEMENT_TYPE, Statement};
use crate::report::Verdict;

/// What the attestation must say.
#[derive(Debug, Clone, Default)]
pub struct Requirements {
    /// Artifacts (display name, bytes' SHA-256) that must be subjects.
    pub artifacts: Vec<(String, String)>,
    /// The verdict it must record.
    pub verdict: Option<Verdict>,
    /// The gate-file digest it must record.
    pub policy_digest: Option<String>,
}

/// A usable attestation: its Statement and the requirements it does not meet.
#[derive(Debug, Clone)]
pub struct Checked {
    /// The signed Statement.
    pub statement: Statement,
    /// The decision in it.
    pub decision: Decision,
    /// Each unmet requirement, said as a sentence; empty when all are met.
    pub unmet: Vec<String>,
}

/// Why an attestation cannot be used at all.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum Unusable {
    /// The envelope does not parse or verify.
    #[error(transparent)]
    Envelope(#[from] dsse::DsseError),
    /// It verifies but is not a wasmgate decision.
    #[error("{0}")]
    NotADecision(String),
}

/// SHA-256 of `bytes`, lowercase hex.
pub fn sha256(bytes: &[u8]) -> String {
    Sha256::digest(bytes)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// Verifies the envelope in `text` with `key` and checks it against `wanted`.
pub fn check(
    text: &[u8],
    key: &ed25519_dalek::VerifyingKey,
    wanted: &Requirements,
) -> Result<Checked, Unusable> {
    let envelope = dsse::parse(text)?;
    let payload = dsse::verify(&envelope, key)?;
    if envelope.payload_type != IN_TOTO {
        return Err(Unusable::NotADecision(format!(
            "its payload type is `{}`, not `{IN_TOTO}`",
            envelope.payload_type
        )));
    }
    let statement: Statement = serde_json::from_slice(&payload).map_err(|e| {
        Unusable::NotADecision(format!("its payload is not an in-toto Statement: {e}"))
    })?;
    if statement.statement_type != STATEMENT_TYPE {
        return Err(Unusable::NotADecision(format!(
            "its Statement type is `{}`, not `{STATEMENT_TYPE}`",
            statement.statement_type
        )));
    }
    if statement.predicate_type != PREDICATE_TYPE {
        return Err(Unusable::NotADecision(format!(
            "its predicate type is `{}`, not a wasmgate decision (`{PREDICATE_TYPE}`)",
            statement.predicate_type
        )));
    }
    let decision: Decision = serde_json::from_value(statement.predicate.clone())
        .map_err(|e| Unusable::NotADecision(format!("its decision does not read: {e}")))?;
    let mut unmet = Vec::new();
    for (name, digest) in &wanted.artifacts {
        let subject = statement
            .subject
            .iter()
            .any(|s| s.digest.get("sha256") == Some(digest));
        if !subject {
            unmet.push(format!(
                "{name} (sha256 {digest}) is not a subject: the gate did not decide on these bytes"
            ));
        }
    }
    if let Some(verdict) = wanted.verdict
        && decision.verdict != verdict
    {
        unmet.push(format!(
            "the verdict is {}, not {}",
            verdict_name(decision.verdict),
            verdict_name(verdict)
        ));
    }
    if let Some(digest) = &wanted.policy_digest
        && decision.gate.digest.as_ref() != Some(digest)
    {
        unmet.push(format!(
            "the gate files' digest is {}, not {digest}",
            decision.gate.digest.as_deref().unwrap_or("not recorded")
        ));
    }
    Ok(Checked {
        statement,
        decision,
        unmet,
    })
}

fn verdict_name(verdict: Verdict) -> &'static str {
    match verdict {
        Verdict::Pass => "pass",
        Verdict::Fail => "fail",
        Verdict::Error => "error",
    }
}
