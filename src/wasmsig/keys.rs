//! Ed25519 keys in the formats people have: wasmsign2's compact files (`0x01 ‖ pk`,
//! `0x81 ‖ sk ‖ pk`), PEM and DER (SPKI public, PKCS#8 private), and OpenSSH public keys.
//! Small-order ("weak") public keys are refused.

use base64::Engine as _;
use ed25519_dalek::pkcs8::{DecodePrivateKey, DecodePublicKey};
use ed25519_dalek::{SigningKey, VerifyingKey};
use hmac::{Hmac, Mac};
use sha2::{Digest, Sha256};
use thiserror::Error;

const COMPACT_PUBLIC: u8 = 0x01;
const COMPACT_SECRET: u8 = 0x81;

/// A key that cannot be used.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
#[error("{0}")]
pub struct KeyError(pub String);

/// Reads a public key in any supported format.
pub fn public_key(bytes: &[u8]) -> Result<VerifyingKey, KeyError> {
    let key = if bytes.len() == 33 && bytes[0] == COMPACT_PUBLIC {
        raw_public(&bytes[1..])?
    } else if let Ok(key) = VerifyingKey::from_public_key_der(bytes) {
        key
    } else {
        let text = std::str::from_utf8(bytes)
            .map_err(|_| KeyError("not an Ed25519 public key in a known format".to_string()))?;
        if let Ok(key) = VerifyingKey::from_public_key_pem(text.trim()) {
            key
        } else if let Some(key) = openssh_public(text) {
            key?
        } else {
            return Err(KeyError(
                "not an Ed25519 public key: expected a wasmsign2 key file, PEM/DER (SPKI) or an OpenSSH `ssh-ed25519` line".to_string(),
            ));
        }
    };
    if key.is_weak() {
        return Err(KeyError(
            "the public key has small order and verifies forged signatures; refusing it"
                .to_string(),
        ));
    }
    Ok(key)
}

fn raw_public(bytes: &[u8]) -> Result<VerifyingKey, KeyError> {
    let bytes: [u8; 32] = bytes
        .try_into()
        .map_err(|_| KeyError("an Ed25519 public key has 32 bytes".to_string()))?;
    VerifyingKey::from_bytes(&bytes)
        .map_err(|e| KeyError(format!("invalid Ed25519 public key: {e}")))
}

/// The first `ssh-ed25519 BASE64 [comment]` line, if any.
fn openssh_public(text: &str) -> Option<Result<VerifyingKey, KeyError>> {
    let line = text
        .lines()
        .map(str::trim)
        .find(|line| line.starts_with("ssh-ed25519 "))?;
    let encoded = line.split_whitespace().nth(1)?;
    let Ok(blob) = base64::engine::general_purpose::STANDARD.decode(encoded) else {
        return Some(Err(KeyError(
            "the ssh-ed25519 key is not valid base64".to_string(),
        )));
    };
    // SSH wire format: string "ssh-ed25519", string key (32 bytes).
    let mut rest = blob.as_slice();
    let mut field = || -> Option<Vec<u8>> {
        let len = u32::from_be_bytes(rest.get(..4)?.try_into().ok()?) as usize;
        let value = rest.get(4..4 + len)?.to_vec();
        rest = rest.get(4 + len..)?;
        Some(value)
    };
    match (field(), field()) {
        (Some(kind), Some(key)) if kind == b"ssh-ed25519" => Some(raw_public(&key)),
        _ => Some(Err(KeyError("malformed ssh-ed25519 key".to_string()))),
    }
}

/// Reads a secret key: a wasmsign2 key file, or PEM/DER PKCS#8.
pub fn secret_key(bytes: &[u8]) -> Result<SigningKey, KeyError> {
    if bytes.len() == 65 && bytes[0] == COMPACT_SECRET {
        let seed: [u8; 32] = bytes[1..33]
            .try_into()
            .map_err(|_| KeyError("short secret key".to_string()))?;
        let key = SigningKey::from_bytes(&seed);
        if key.verifying_key().as_bytes() != &bytes[33..65] {
            return Err(KeyError(
                "the secret key file's public half does not match its secret half".to_string(),
            ));
        }
        return Ok(key);
    }
    if let Ok(key) = SigningKey::from_pkcs8_der(bytes) {
        return Ok(key);
    }
    std::str::from_utf8(bytes)
        .ok()
        .and_then(|text| SigningKey::from_pkcs8_pem(text.trim()).ok())
        .ok_or_else(|| {
            KeyError(
                "not an Ed25519 secret key: expected a wasmsign2 key file or PEM/DER PKCS#8"
                    .to_string(),
            )
        })
}

/// A new key pair from the operating system's randomness.
pub fn generate() -> Result<SigningKey, KeyError> {
    let mut seed = [0u8; 32];
    getrandom::getrandom(&mut seed)
        .map_err(|e| KeyError(format!("no randomness from the operating system: {e}")))?;
    Ok(SigningKey::from_bytes(&seed))
}

/// wasmsign2's public key file: `0x01 ‖ public key`.
pub fn compact_public(key: &VerifyingKey) -> Vec<u8> {
    let mut out = vec![COMPACT_PUBLIC];
    out.extend_from_slice(key.as_bytes());
    out
}

/// wasmsign2's secret key file: `0x81 ‖ secret key ‖ public key`.
pub fn compact_secret(key: &SigningKey) -> Vec<u8> {
    let mut out = vec![COMPACT_SECRET];
    out.extend_from_slice(&key.to_bytes());
    out.extend_from_slice(key.verifying_key().as_bytes());
    out
}

/// The key identifier wasmsign2 derives for a public key: HMAC-SHA256 keyed with the public
/// key over `"key_id"`, first 12 bytes.
pub fn key_id(key: &VerifyingKey) -> Vec<u8> {
    let Ok(mut mac) = Hmac::<Sha256>::new_from_slice(key.as_bytes()) else {
        return Vec::new();
    };
    mac.update(b"key_id");
    mac.finalize().into_bytes()[..12].to_vec()
}

/// A stable name for a public key: SHA-256 of its 32 bytes, hex.
pub fn fingerprint(key: &VerifyingKey) -> String {
    hex(&Sha256::digest(key.as_bytes()))
}

/// Lowercase hex.
pub fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use ed25519_dalek::pkcs8::{EncodePrivateKey, EncodePublicKey, spki::der::pem::LineEnding};

    #[test]
    fn every_format_reads_the_same_key() {
        let secret = SigningKey::from_bytes(&[3u8; 32]);
        let public = secret.verifying_key();
        assert_eq!(public_key(&compact_public(&public)).unwrap(), public);
        let pem = public.to_public_key_pem(LineEnding::LF).unwrap();
        assert_eq!(public_key(pem.as_bytes()).unwrap(), public);
        let der = public.to_public_key_der().unwrap();
        assert_eq!(public_key(der.as_bytes()).unwrap(), public);
        let mut blob = Vec::new();
        for field in [b"ssh-ed25519".as_slice(), public.as_bytes()] {
            blob.extend_from_slice(&(field.len() as u32).to_be_bytes());
            blob.extend_from_slice(field);
        }
        let line = format!(
            "ssh-ed25519 {} release@example",
            base64::engine::general_purpose::STANDARD.encode(&blob)
        );
        assert_eq!(public_key(line.as_bytes()).unwrap(), public);
        assert_eq!(
            secret_key(&compact_secret(&secret)).unwrap().to_bytes(),
            secret.to_bytes()
        );
        let pkcs8 = secret.to_pkcs8_pem(LineEnding::LF).unwrap();
        assert_eq!(
            secret_key(pkcs8.as_bytes()).unwrap().to_bytes(),
            secret.to_bytes()
        );
        assert!(public_key(b"not a key").is_err());
    }

    #[test]
    fn small_order_keys_are_refused() {
        // The identity point: every signature "verifies" under it with a non-strict check.
        let mut identity = vec![COMPACT_PUBLIC, 1];
        identity.extend_from_slice(&[0u8; 31]);
        assert!(public_key(&identity).unwrap_err().0.contains("small order"));
    }
}
