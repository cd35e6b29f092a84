//! The byte layout of WebAssembly signatures: module sections as raw byte ranges, and the
//! signature data (signed hash sets) parsed with hard bounds and serialised canonically.
//!
//! The layout follows wasmsign2, the reference implementation, where it is more precise than
//! the text of `Signatures.md`: each signed hash set and each signature record is itself
//! length-prefixed, and the three header bytes are LEB128 integers.

use thiserror::Error;

/// Name of the custom section that carries embedded signature data.
pub const SIGNATURE_SECTION: &str = "signature";
/// Name of the custom sections that split a module into separately signed parts.
pub const DELIMITER_SECTION: &str = "signature_delimiter";
/// Specification version, content type (module) and hash function (SHA-256) identifiers.
pub const SPEC_VERSION: u8 = 0x01;
/// Content type of WebAssembly modules and components.
pub const CONTENT_TYPE: u8 = 0x01;
/// SHA-256.
pub const HASH_SHA256: u8 = 0x01;
/// Ed25519 signature algorithm identifier.
pub const ALG_ED25519: u8 = 0x01;

/// Signed hash sets per signature data (wasmsign2's limit).
pub const MAX_SETS: usize = 64;
/// Hashes per set (wasmsign2's limit).
pub const MAX_HASHES: usize = 64;
/// Signatures per set (wasmsign2's limit).
pub const MAX_SIGNATURES: usize = 256;
/// Longest key identifier or signature accepted.
const MAX_FIELD: usize = 1024;

/// Why bytes are not what they claim to be.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
#[error("{message} (at byte {offset})")]
pub struct FormatError {
    /// What is wrong.
    pub message: String,
    /// Byte offset in the buffer being read.
    pub offset: usize,
}

fn fail<T>(message: impl Into<String>, offset: usize) -> Result<T, FormatError> {
    Err(FormatError {
        message: message.into(),
        offset,
    })
}

/// A bounded reader over a byte slice.
struct Reader<'a> {
    bytes: &'a [u8],
    position: usize,
}

impl<'a> Reader<'a> {
    fn new(bytes: &'a [u8]) -> Self {
        Reader { bytes, position: 0 }
    }

    fn is_empty(&self) -> bool {
        self.position >= self.bytes.len()
    }

    fn byte(&mut self) -> Result<u8, FormatError> {
        let Some(&byte) = self.bytes.get(self.position) else {
            return fail("unexpected end of data", self.position);
        };
        self.position += 1;
        Ok(byte)
    }

    fn leb_u32(&mut self) -> Result<u32, FormatError> {
        let start = self.position;
        let mut value: u64 = 0;
        for shift in (0..35).step_by(7) {
            let byte = self.byte()?;
            value |= u64::from(byte & 0x7f) << shift;
            if byte & 0x80 == 0 {
                return u32::try_from(value).or_else(|_| fail("integer too large", start));
            }
        }
        fail("integer too long", start)
    }

    fn take(&mut self, len: usize) -> Result<&'a [u8], FormatError> {
        let end = self.position.saturating_add(len);
        let Some(slice) = self.bytes.get(self.position..end) else {
            return fail(
                format!("length {len} runs past the end of the data"),
                self.position,
            );
        };
        self.position = end;
        Ok(slice)
    }

    fn slice(&mut self) -> Result<&'a [u8], FormatError> {
        let len = self.leb_u32()? as usize;
        self.take(len)
    }
}

fn put_leb(out: &mut Vec<u8>, mut value: u64) {
    loop {
        let byte = (value & 0x7f) as u8;
        value >>= 7;
        if value == 0 {
            out.push(byte);
            return;
        }
        out.push(byte | 0x80);
    }
}

fn put_slice(out: &mut Vec<u8>, bytes: &[u8]) {
    put_leb(out, bytes.len() as u64);
    out.extend_from_slice(bytes);
}

/// One section of a module or component, as it sits in the file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RawSection<'a> {
    /// Section id (0 for custom sections).
    pub id: u8,
    /// Offset of the id byte.
    pub start: usize,
    /// Offset just past the section.
    pub end: usize,
    /// The custom section's name; None for other sections or an unreadable name.
    pub name: Option<&'a str>,
    /// The custom section's payload after its name (the whole payload for other sections).
    pub payload: &'a [u8],
    /// The section's whole body (after the id and length).
    pub body: &'a [u8],
}

impl RawSection<'_> {
    /// The section as wasmsign2 re-encodes it: id, minimal LEB128 length, body. Differs from
    /// the file's bytes only when the file pads its lengths (as Go's linker does).
    pub fn canonical(&self) -> Vec<u8> {
        let mut out = vec![self.id];
        put_slice(&mut out, self.body);
        out
    }

    /// The length of `canonical()`, without building it.
    pub fn canonical_len(&self) -> usize {
        let mut leb = 1;
        let mut rest = self.body.len() >> 7;
        while rest > 0 {
            leb += 1;
            rest >>= 7;
        }
        1 + leb + self.body.len()
    }

    /// A custom section named `name`.
    pub fn is_custom(&self, name: &str) -> bool {
        self.id == 0 && self.name == Some(name)
    }
}

/// The 8-byte header and every top-level section, without interpreting their contents.
pub fn sections(bytes: &[u8]) -> Result<Vec<RawSection<'_>>, FormatError> {
    const MODULE: [u8; 8] = [0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00];
    const COMPONENT: [u8; 8] = [0x00, 0x61, 0x73, 0x6d, 0x0d, 0x00, 0x01, 0x00];
    match bytes.get(..8) {
        Some(header) if header == MODULE || header == COMPONENT => {}
        _ => return fail("not a wasm module or component (bad header)", 0),
    }
    let mut reader = Reader::new(bytes);
    reader.position = 8;
    let mut found = Vec::new();
    while !reader.is_empty() {
        let start = reader.position;
        let id = reader.byte()?;
        let body = reader.slice()?;
        let (name, payload) = if id == 0 {
            let mut inner = Reader::new(body);
            match inner.slice().map(std::str::from_utf8) {
                Ok(Ok(name)) => (Some(name), &body[inner.position..]),
                _ => (None, body),
            }
        } else {
            (None, body)
        };
        found.push(RawSection {
            id,
            start,
            end: reader.position,
            name,
            payload,
            body,
        });
    }
    Ok(found)
}

/// A custom section with `name` and `payload`, encoded canonically.
pub fn custom_section(name: &str, payload: &[u8]) -> Vec<u8> {
    let mut body = Vec::with_capacity(name.len() + payload.len() + 5);
    put_slice(&mut body, name.as_bytes());
    body.extend_from_slice(payload);
    let mut out = vec![0u8];
    put_slice(&mut out, &body);
    out
}

/// One signature record.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SignatureRecord {
    /// Key identifier, if the signer recorded one.
    pub key_id: Option<Vec<u8>>,
    /// Algorithm identifier (`0x01` is Ed25519).
    pub algorithm: u8,
    /// The signature bytes.
    pub signature: Vec<u8>,
}

/// A set of hashes and the signatures over them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SignedHashes {
    /// SHA-256 hashes, one per part (rolling).
    pub hashes: Vec<[u8; 32]>,
    /// Signatures over `"wasmsig" ‖ 01 01 01 ‖ hashes`.
    pub signatures: Vec<SignatureRecord>,
}

/// Signature data: the payload of a `signature` section, or a detached signature file.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SignatureData {
    /// Signed hash sets.
    pub sets: Vec<SignedHashes>,
}

impl SignatureData {
    /// Parses signature data; every count and length is bounded by the input and the limits.
    pub fn parse(bytes: &[u8]) -> Result<SignatureData, FormatError> {
        let mut reader = Reader::new(bytes);
        let version = reader.leb_u32()?;
        if version != u32::from(SPEC_VERSION) {
            return fail(format!("unsupported specification version {version}"), 0);
        }
        let content = reader.leb_u32()?;
        if content != u32::from(CONTENT_TYPE) {
            return fail(
                format!("unsupported content type {content}"),
                reader.position,
            );
        }
        let hash = reader.leb_u32()?;
        if hash != u32::from(HASH_SHA256) {
            return fail(format!("unsupported hash function {hash}"), reader.position);
        }
        let count = reader.leb_u32()? as usize;
        if count > MAX_SETS {
            return fail(
                format!("{count} signed hash sets, more than {MAX_SETS}"),
                reader.position,
            );
        }
        let mut sets = Vec::with_capacity(count);
        for _ in 0..count {
            let offset = reader.position;
            let set = reader.slice()?;
            sets.push(parse_set(set).map_err(|e| FormatError {
                message: e.message,
                offset: offset + e.offset,
            })?);
        }
        if !reader.is_empty() {
            return fail("trailing bytes after the last signature", reader.position);
        }
        Ok(SignatureData { sets })
    }

    /// The canonical encoding.
    pub fn serialize(&self) -> Vec<u8> {
        let mut out = Vec::new();
        for id in [SPEC_VERSION, CONTENT_TYPE, HASH_SHA256] {
            put_leb(&mut out, u64::from(id));
        }
        put_leb(&mut out, self.sets.len() as u64);
        for set in &self.sets {
            let mut encoded = Vec::new();
            put_leb(&mut encoded, set.hashes.len() as u64);
            for hash in &set.hashes {
                encoded.extend_from_slice(hash);
            }
            put_leb(&mut encoded, set.signatures.len() as u64);
            for signature in &set.signatures {
                let mut record = Vec::new();
                put_slice(&mut record, signature.key_id.as_deref().unwrap_or_default());
                record.push(signature.algorithm);
                put_slice(&mut record, &signature.signature);
                put_slice(&mut encoded, &record);
            }
            put_slice(&mut out, &encoded);
        }
        out
    }
}

fn parse_set(bytes: &[u8]) -> Result<SignedHashes, FormatError> {
    let mut reader = Reader::new(bytes);
    let count = reader.leb_u32()? as usize;
    if count == 0 || count > MAX_HASHES {
        return fail(
            format!("{count} hashes in a set (1 to {MAX_HASHES} allowed)"),
            0,
        );
    }
    let mut hashes = Vec::with_capacity(count);
    for _ in 0..count {
        let offset = reader.position;
        let hash: [u8; 32] = reader
            .take(32)?
            .try_into()
            .or_else(|_| fail("short hash", offset))?;
        hashes.push(hash);
    }
    let count = reader.leb_u32()? as usize;
    if count > MAX_SIGNATURES {
        return fail(
            format!("{count} signatures, more than {MAX_SIGNATURES}"),
            reader.position,
        );
    }
    let mut signatures = Vec::with_capacity(count);
    for _ in 0..count {
        let offset = reader.position;
        let record = reader.slice()?;
        let mut inner = Reader::new(record);
        let key_id = inner.slice()?;
        let algorithm = inner.byte()?;
        let signature = inner.slice()?;
        if key_id.len() > MAX_FIELD || signature.len() > MAX_FIELD || !inner.is_empty() {
            return fail("malformed signature record", offset);
        }
        signatures.push(SignatureRecord {
            key_id: (!key_id.is_empty()).then(|| key_id.to_vec()),
            algorithm,
            signature: signature.to_vec(),
        });
    }
    if !reader.is_empty() {
        return fail("trailing bytes in a signed hash set", reader.position);
    }
    Ok(SignedHashes { hashes, signatures })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn signature_data_round_trips_and_rejects_garbage() {
        let data = SignatureData {
            sets: vec![SignedHashes {
                hashes: vec![[7u8; 32], [9u8; 32]],
                signatures: vec![SignatureRecord {
                    key_id: Some(b"first".to_vec()),
                    algorithm: ALG_ED25519,
                    signature: vec![1u8; 64],
                }],
            }],
        };
        let bytes = data.serialize();
        assert_eq!(SignatureData::parse(&bytes).unwrap(), data);
        for cut in 0..bytes.len() {
            assert!(SignatureData::parse(&bytes[..cut]).is_err(), "cut at {cut}");
        }
        let mut huge = bytes.clone();
        huge[4] = 0xff;
        assert!(SignatureData::parse(&huge).is_err());
        assert!(SignatureData::parse(&[1, 1, 1, 0xff, 0xff, 0xff, 0xff, 0x0f]).is_err());
    }

    #[test]
    fn canonical_len_is_the_length_of_canonical() {
        for size in [0usize, 1, 127, 128, 16_383, 16_384, 2_097_152] {
            let body = vec![0u8; size];
            let section = RawSection {
                id: 1,
                start: 0,
                end: 0,
                name: None,
                payload: &body,
                body: &body,
            };
            assert_eq!(section.canonical_len(), section.canonical().len(), "{size}");
        }
    }
}
