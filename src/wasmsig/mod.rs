//! WebAssembly signatures in the tool-conventions format (`Signatures.md`), interoperable with
//! wasmsign2: signing (embedded or detached, adding to existing signatures) and a full
//! inspection that says, for every signature, whether it verifies, with which key, and how
//! much of the module it covers.
//!
//! Hashes are over the section bytes exactly as they are in the file, so any change to a
//! covered byte breaks the signature. Signatures are checked strictly (no non-canonical
//! signatures, no small-order keys).

pub mod format;
pub mod keys;

use ed25519_dalek::{Signature, Signer, SigningKey, VerifyingKey};
use sha2::{Digest, Sha256};

use format::{
    ALG_ED25519, CONTENT_TYPE, DELIMITER_SECTION, FormatError, HASH_SHA256, RawSection,
    SIGNATURE_SECTION, SPEC_VERSION, SignatureData, SignatureRecord, SignedHashes,
};

/// The result of signing.
#[derive(Debug, Clone)]
pub struct Signed {
    /// The module with its (new or extended) `signature` section; for a detached signature,
    /// the module unchanged.
    pub module: Vec<u8>,
    /// The signature data (the section payload, or the detached signature file).
    pub signature: Vec<u8>,
}

/// Signs `module`. Embedded: the `signature` section is added as the first section, or the
/// new signature joins the existing ones. Detached: the module is left as it is.
pub fn sign(
    module: &[u8],
    key: &SigningKey,
    key_id: Option<Vec<u8>>,
    detached: bool,
) -> Result<Signed, FormatError> {
    let sections = format::sections(module)?;
    let existing = match sections.first() {
        Some(first) if first.is_custom(SIGNATURE_SECTION) => {
            if detached {
                return Err(FormatError {
                    message: "the module already carries an embedded signature; sign it embedded or remove the signature section first".to_string(),
                    offset: first.start,
                });
            }
            Some(SignatureData::parse(first.payload)?)
        }
        _ => None,
    };
    let content = &sections[usize::from(existing.is_some())..];
    let hashes: Vec<[u8; 32]> = checkpoints(module, content)
        .into_iter()
        .map(|c| c.hash)
        .collect();
    let record = SignatureRecord {
        key_id,
        algorithm: ALG_ED25519,
        signature: key.sign(&message(&hashes)).to_bytes().to_vec(),
    };
    let mut data = existing.unwrap_or_default();
    match data.sets.iter_mut().find(|set| set.hashes == hashes) {
        Some(set) if set.signatures.contains(&record) => {
            return Err(FormatError {
                message: "the module already carries this exact signature".to_string(),
                offset: 0,
            });
        }
        Some(set) => set.signatures.push(record),
        None => data.sets.push(SignedHashes {
            hashes,
            signatures: vec![record],
        }),
    }
    let signature = data.serialize();
    if detached {
        return Ok(Signed {
            module: module.to_vec(),
            signature,
        });
    }
    let content_start = content.first().map_or(module.len(), |s| s.start);
    let mut out = module[..8].to_vec();
    out.extend_from_slice(&format::custom_section(SIGNATURE_SECTION, &signature));
    out.extend_from_slice(&module[content_start..]);
    Ok(Signed {
        module: out,
        signature,
    })
}

/// `"wasmsig" ‖ spec_version ‖ content_type ‖ hash_fn ‖ hashes`: what a signature signs.
fn message(hashes: &[[u8; 32]]) -> Vec<u8> {
    let mut message = b"wasmsig".to_vec();
    message.extend_from_slice(&[SPEC_VERSION, CONTENT_TYPE, HASH_SHA256]);
    for hash in hashes {
        message.extend_from_slice(hash);
    }
    message
}

/// A rolling hash state at a delimiter or at the end of the module.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Checkpoint {
    /// Offset just past the delimiter (or the end of the file).
    pub end: usize,
    /// SHA-256 of every covered section byte up to `end`.
    pub hash: [u8; 32],
}

/// Hash states after each delimiter, and at the end when the last section is not one, over
/// the file's own bytes.
fn checkpoints(module: &[u8], content: &[RawSection<'_>]) -> Vec<Checkpoint> {
    rolling(module, content, false)
}

/// The same over wasmsign2's canonical re-encoding of each section. wasmsign2 signs that
/// encoding, so a detached signature it made for a module with padded section lengths
/// matches only this way; no single-byte change keeps a padded length's value.
fn canonical_checkpoints(module: &[u8], content: &[RawSection<'_>]) -> Vec<Checkpoint> {
    rolling(module, content, true)
}

fn rolling(module: &[u8], content: &[RawSection<'_>], canonical: bool) -> Vec<Checkpoint> {
    let mut hasher = Sha256::new();
    let mut found = Vec::new();
    let mut last_was_delimiter = false;
    for section in content {
        if canonical {
            hasher.update(section.canonical());
        } else {
            hasher.update(&module[section.start..section.end]);
        }
        last_was_delimiter = section.is_custom(DELIMITER_SECTION);
        if last_was_delimiter {
            found.push(Checkpoint {
                end: section.end,
                hash: hasher.clone().finalize().into(),
            });
        }
    }
    if !last_was_delimiter {
        found.push(Checkpoint {
            end: module.len(),
            hash: hasher.finalize().into(),
        });
    }
    found
}

/// A key the verifier knows, with whether policy trusts it.
#[derive(Debug, Clone)]
pub struct KnownKey {
    /// The key.
    pub key: VerifyingKey,
    /// Where it came from, for messages (a file path).
    pub name: String,
    /// Trusted for the gate.
    pub trusted: bool,
}

/// Where the signature data came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Source {
    /// The module's first section.
    Embedded,
    /// A separate file.
    Detached,
}

/// How much of the module a signature covers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Coverage {
    /// Every section after the signature section.
    Full,
    /// Sections up to `until` (a delimiter); later sections are not covered.
    Partial {
        /// Offset just past the last covered delimiter.
        until: usize,
    },
    /// None of the module as it is now: it was changed after signing.
    None,
}

/// One signature record, checked.
#[derive(Debug, Clone)]
pub struct Checked {
    /// Index of its signed hash set.
    pub set: usize,
    /// Key identifier recorded by the signer.
    pub key_id: Option<Vec<u8>>,
    /// Algorithm identifier.
    pub algorithm: u8,
    /// The known key that verifies the signature over its hashes, if any.
    pub key: Option<usize>,
    /// A known key has this record's key identifier (wasmsign2's derivation).
    pub key_id_known: Option<usize>,
    /// Coverage of the module when a key verifies it; `None` coverage otherwise.
    pub coverage: Coverage,
}

/// Everything about a module's signatures.
#[derive(Debug, Clone)]
pub struct Inspection {
    /// Where the signature data came from; None when unsigned.
    pub source: Option<Source>,
    /// Why the module or signature data could not be read.
    pub error: Option<FormatError>,
    /// Offsets of `signature` sections that hold signature data but are not first.
    pub misplaced: Vec<usize>,
    /// Offsets of `signature` sections whose contents are not signature data (other tools).
    pub foreign: Vec<usize>,
    /// Number of `signature_delimiter` sections.
    pub delimiters: usize,
    /// Offset where the signed content starts.
    pub content_start: usize,
    /// Every signature record.
    pub signatures: Vec<Checked>,
}

impl Inspection {
    /// A signature by a trusted key that covers the whole module.
    pub fn verified_by_trusted(&self, keys: &[KnownKey]) -> bool {
        self.signatures.iter().any(|s| {
            s.coverage == Coverage::Full
                && s.key
                    .is_some_and(|k| keys.get(k).is_some_and(|k| k.trusted))
        })
    }
}

/// Inspects `module`'s signatures (embedded, or `detached` when given) against `keys`.
pub fn inspect(module: &[u8], detached: Option<&[u8]>, keys: &[KnownKey]) -> Inspection {
    inspect_sections(module, &format::sections(module), detached, keys)
}

/// `inspect` over sections already split from `module`.
pub fn inspect_sections(
    module: &[u8],
    sections: &Result<Vec<RawSection<'_>>, FormatError>,
    detached: Option<&[u8]>,
    keys: &[KnownKey],
) -> Inspection {
    let mut inspection = Inspection {
        source: None,
        error: None,
        misplaced: Vec::new(),
        foreign: Vec::new(),
        delimiters: 0,
        content_start: 8,
        signatures: Vec::new(),
    };
    let sections = match sections {
        Ok(sections) => sections,
        Err(error) => {
            inspection.error = Some(error.clone());
            return inspection;
        }
    };
    let embedded = sections.first().filter(|s| s.is_custom(SIGNATURE_SECTION));
    let (data, content) = match (detached, embedded) {
        (Some(bytes), _) => {
            inspection.source = Some(Source::Detached);
            (SignatureData::parse(bytes), &sections[..])
        }
        (None, Some(first)) => {
            inspection.source = Some(Source::Embedded);
            (SignatureData::parse(first.payload), &sections[1..])
        }
        (None, None) => (Ok(SignatureData::default()), &sections[..]),
    };
    inspection.content_start = content.first().map_or(module.len(), |s| s.start);
    for section in content {
        if section.is_custom(SIGNATURE_SECTION) {
            if SignatureData::parse(section.payload).is_ok() {
                inspection.misplaced.push(section.start);
            } else {
                inspection.foreign.push(section.start);
            }
        }
        if section.is_custom(DELIMITER_SECTION) {
            inspection.delimiters += 1;
        }
    }
    let data = match data {
        Ok(data) => data,
        Err(error) => {
            inspection.error = Some(error);
            return inspection;
        }
    };
    // Hashing the module is the expensive part: only for signatures there are to check.
    if data.sets.iter().all(|set| set.signatures.is_empty()) {
        return inspection;
    }
    let computed = checkpoints(module, content);
    let canonical = content
        .iter()
        .any(|s| s.canonical_len() != s.end - s.start)
        .then(|| canonical_checkpoints(module, content));
    let ids: Vec<Vec<u8>> = keys.iter().map(|k| keys::key_id(&k.key)).collect();
    for (index, set) in data.sets.iter().enumerate() {
        let signed = message(&set.hashes);
        for record in &set.signatures {
            let key = (record.algorithm == ALG_ED25519)
                .then(|| Signature::from_slice(&record.signature).ok())
                .flatten()
                .and_then(|signature| {
                    // A recorded key id binds the record to that key: an edited key id must
                    // not leave a signature valid (key ids are outside what is signed).
                    keys.iter().enumerate().position(|(index, k)| {
                        record.key_id.as_ref().is_none_or(|id| *id == ids[index])
                            && k.key.verify_strict(&signed, &signature).is_ok()
                    })
                });
            let coverage = match (key, &canonical) {
                (None, _) => Coverage::None,
                (Some(_), None) => coverage(&set.hashes, &computed),
                (Some(_), Some(canonical)) => match coverage(&set.hashes, &computed) {
                    Coverage::Full => Coverage::Full,
                    _ => coverage(&set.hashes, canonical),
                },
            };
            inspection.signatures.push(Checked {
                set: index,
                key_id: record.key_id.clone(),
                algorithm: record.algorithm,
                key,
                key_id_known: record
                    .key_id
                    .as_ref()
                    .and_then(|id| ids.iter().position(|known| known == id)),
                coverage,
            });
        }
    }
    inspection
}

/// Full when the signed hashes include the state at the end of the module; partial when they
/// include only states at earlier delimiters.
fn coverage(signed: &[[u8; 32]], computed: &[Checkpoint]) -> Coverage {
    let matched = computed
        .iter()
        .filter(|c| signed.contains(&c.hash))
        .map(|c| c.end)
        .max();
    match (matched, computed.last()) {
        (Some(until), Some(last)) if until == last.end && signed.contains(&last.hash) => {
            Coverage::Full
        }
        (Some(until), _) => Coverage::Partial { until },
        (None, _) => Coverage::None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn module() -> Vec<u8> {
        let mut bytes = vec![0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00];
        bytes.extend_from_slice(&format::custom_section("name", b"\x00\x01a"));
        bytes.extend_from_slice(&[1, 4, 1, 0x60, 0, 0]);
        bytes
    }

    #[test]
    fn sign_then_verify_embedded_and_detached() {
        let key = SigningKey::from_bytes(&[5u8; 32]);
        let known = [KnownKey {
            key: key.verifying_key(),
            name: "k".to_string(),
            trusted: true,
        }];
        let signed = sign(&module(), &key, None, false).unwrap();
        let inspection = inspect(&signed.module, None, &known);
        assert_eq!(inspection.source, Some(Source::Embedded));
        assert!(inspection.verified_by_trusted(&known));
        let detached = sign(&module(), &key, None, true).unwrap();
        assert_eq!(detached.module, module());
        assert!(inspect(&module(), Some(&detached.signature), &known).verified_by_trusted(&known));
        assert_eq!(
            detached.signature, signed.signature,
            "embedded payload = detached file"
        );
    }
}
