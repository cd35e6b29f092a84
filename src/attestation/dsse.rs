//! DSSE, the in-toto signing envelope: the pre-authentication encoding, Ed25519 signatures
//! over it, and the JSON envelope (secure-systems-lab/dsse, protocol v1).

use base64::Engine as _;
use ed25519_dalek::{Signer, SigningKey, Verifier, VerifyingKey};
use serde::{Deserialize, Serialize};

/// The payload type of an in-toto Statement.
pub const IN_TOTO: &str = "application/vnd.in-toto+json";

/// A DSSE envelope as JSON writes it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Envelope {
    /// The payload, base64.
    pub payload: String,
    /// What the payload is.
    #[serde(rename = "payloadType")]
    pub payload_type: String,
    /// At least one signature over `pae(payloadType, payload)`.
    pub signatures: Vec<Signature>,
}

/// One signature of an envelope.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Signature {
    /// Which key signed: wasmgate writes the key's fingerprint (SHA-256 of its 32 bytes, hex);
    /// other signers write their own ids, and verification does not depend on it.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub keyid: String,
    /// The Ed25519 signature, base64.
    pub sig: String,
}

/// Why an envelope is unusable.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum DsseError {
    /// Not a DSSE envelope.
    #[error("it is not a DSSE envelope: {0}")]
    Malformed(String),
    /// No signature verifies with the key.
    #[error("no signature verifies with the given public key ({0} signature(s))")]
    Unverified(usize),
}

/// `DSSEv1 SP LEN(type) SP type SP LEN(body) SP body`: what is signed, so that the payload
/// type cannot be swapped under a signature.
pub fn pae(payload_type: &str, payload: &[u8]) -> Vec<u8> {
    let mut out = format!(
        "DSSEv1 {} {} {} ",
        payload_type.len(),
        payload_type,
        payload.len()
    )
    .into_bytes();
    out.extend_from_slice(payload);
    out
}

/// Signs `payload` with `key`.
pub fn sign(payload_type: &str, payload: &[u8], key: &SigningKey) -> Envelope {
    let signature = key.sign(&pae(payload_type, payload));
    Envelope {
        payload: STANDARD.encode(payload),
        payload_type: payload_type.to_string(),
        signatures: vec![Signature {
            keyid: crate::wasmsig::keys::fingerprint(&key.verifying_key()),
            sig: STANDARD.encode(signature.to_bytes()),
        }],
    }
}

/// Reads an envelope from JSON.
pub fn parse(text: &[u8]) -> Result<Envelope, DsseError> {
    serde_json::from_slice(text).map_err(|e| DsseError::Malformed(e.to_string()))
}

/// The payload, when one of the signatures verifies with `key`.
pub fn verify(envelope: &Envelope, key: &VerifyingKey) -> Result<Vec<u8>, DsseError> {
    let payload = decode(&envelope.payload)
        .ok_or_else(|| DsseError::Malformed("`payload` is not base64".to_string()))?;
    if envelope.signatures.is_empty() {
        return Err(DsseError::Malformed("it has no signatures".to_string()));
    }
    let signed = pae(&envelope.payload_type, &payload);
    let verifies = envelope.signatures.iter().any(|s| {
        decode(&s.sig)
            .and_then(|bytes| ed25519_dalek::Signature::from_slice(&bytes).ok())
            .is_some_and(|signature| key.verify(&signed, &signature).is_ok())
    });
    if verifies {
        Ok(payload)
    } else {
        Err(DsseError::Unverified(envelope.signatures.len()))
    }
}

const STANDARD: base64::engine::GeneralPurpose = base64::engine::general_purpose::STANDARD;

/// DSSE allows standard and URL-safe base64, padded or not.
fn decode(text: &str) -> Option<Vec<u8>> {
    use base64::engine::general_purpose::{STANDARD_NO_PAD, URL_SAFE, URL_SAFE_NO_PAD};
    [STANDARD, STANDARD_NO_PAD, URL_SAFE, URL_SAFE_NO_PAD]
        .iter()
        .find_map(|engine| engine.decode(text).ok())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The encoding the DSSE protocol document spells out for its example.
    #[test]
    fn pae_is_the_protocols() {
        assert_eq!(
            pae("http://example.com/HelloWorld", b"hello world"),
            b"DSSEv1 29 http://example.com/HelloWorld 11 hello world".to_vec()
        );
    }

    #[test]
    fn a_signed_envelope_verifies_and_a_changed_one_does_not() {
        let key = SigningKey::from_bytes(&[7; 32]);
        let envelope = sign(IN_TOTO, b"{\"a\":1}", &key);
        assert_eq!(
            verify(&envelope, &key.verifying_key()).unwrap(),
            b"{\"a\":1}"
        );
        let mut retyped = envelope.clone();
        retyped.payload_type = "text/plain".to_string();
        assert_eq!(
            verify(&retyped, &key.verifying_key()),
            Err(DsseError::Unverified(1))
        );
        let other = SigningKey::from_bytes(&[8; 32]);
        assert!(verify(&envelope, &other.verifying_key()).is_err());
    }
}
