//! Machine-learning model payloads embedded in a module: every GGUF, TFLite, safetensors or
//! ONNX signature at any offset of a data segment or custom section (one multi-pattern pass),
//! and which SBOM component declares each payload.

use std::sync::LazyLock;

use aho_corasick::AhoCorasick;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use wasmparser::{BinaryReader, DataSectionReader};

use crate::facts::ctx::ArtifactCtx;
use crate::facts::sbom::{Component, SbomFacts};
use crate::wasmsig::format::{self, RawSection};

/// Payloads smaller than this are not models worth reporting.
const MIN_MODEL: usize = 1024;

/// One embedded model payload.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct EmbeddedModel {
    /// `gguf`, `tflite`, `safetensors` or `onnx`.
    pub format: String,
    /// `data segment N` or `custom section NAME`, with `+OFFSET` when the payload does not
    /// start the segment or section.
    pub location: String,
    /// Byte offset of the payload in the artifact.
    pub offset: u64,
    /// Payload size in bytes: from its signature to the next payload in the same segment or
    /// section, or to the end of it.
    pub size: u64,
    /// SHA-256 of the payload, lowercase hex.
    pub sha256: String,
    /// The custom section's name; null in a data segment.
    pub name: Option<String>,
    /// JSON pointer of the SBOM's `machine-learning-model` component that declares this
    /// payload (by SHA-256, or by name and `wasmgate:size`); null when none does.
    pub declared_by: Option<String>,
}

/// Scans the artifact's data segments and custom sections, and those of the modules nested
/// in a component (data segments are numbered across them, in file order).
pub fn collect(ctx: &ArtifactCtx<'_>) -> Vec<EmbeddedModel> {
    let mut scan = Scan {
        file: ctx.bytes,
        found: Vec::new(),
        segment: 0,
    };
    scan.binary(ctx.section_list(), ctx.bytes, 0);
    scan.found
}

/// Gives each payload its own component: first by SHA-256, then by name and size; a
/// component declares one payload, so two payloads need two components.
pub fn match_declared(models: &mut [EmbeddedModel], sbom: Option<&SbomFacts>) {
    let Some(sbom) = sbom else { return };
    let components: Vec<_> = sbom
        .components
        .iter()
        .filter(|c| c.kind.as_deref() == Some("machine-learning-model"))
        .collect();
    let mut used = vec![false; components.len()];
    let rules: [fn(&EmbeddedModel, &Component) -> bool; 2] = [by_hash, by_name_and_size];
    for rule in rules {
        for model in models.iter_mut().filter(|m| m.declared_by.is_none()) {
            let found = components
                .iter()
                .enumerate()
                .find(|(i, c)| !used[*i] && rule(model, c));
            if let Some((i, component)) = found {
                used[i] = true;
                model.declared_by = Some(format!("{}#{}", sbom.path, component.pointer));
            }
        }
    }
}

fn by_hash(model: &EmbeddedModel, component: &Component) -> bool {
    component.hashes.iter().any(|h| {
        h.algorithm.replace('-', "").eq_ignore_ascii_case("sha256") && h.value == model.sha256
    })
}

fn by_name_and_size(model: &EmbeddedModel, component: &Component) -> bool {
    model.name.as_deref() == Some(component.name.as_str()) && component.size == Some(model.size)
}

struct Scan<'a> {
    file: &'a [u8],
    found: Vec<EmbeddedModel>,
    segment: usize,
}

/// Components nest no deeper than this in practice; deeper is hostile.
const MAX_DEPTH: usize = 32;

impl Scan<'_> {
    fn binary(&mut self, sections: &[RawSection<'_>], binary: &[u8], depth: usize) {
        let component = binary.get(4..8) == Some(&[0x0d, 0x00, 0x01, 0x00]);
        for section in sections {
            match (section.id, component) {
                (0, _) => self.custom(section),
                (DATA_SECTION, false) => self.data(section),
                (NESTED_MODULE | NESTED_COMPONENT, true) if depth < MAX_DEPTH => {
                    if let Ok(nested) = format::sections(section.body) {
                        self.binary(&nested, section.body, depth + 1);
                    }
                }
                _ => {}
            }
        }
    }

    fn custom(&mut self, section: &RawSection<'_>) {
        if let Some(name) = section.name {
            let offset = offset_in(self.file, section.payload);
            let location = format!("custom section {name}");
            self.push(section.payload, offset, &location, Some(name));
        }
    }

    fn data(&mut self, section: &RawSection<'_>) {
        let start = offset_in(self.file, section.body);
        let Ok(segments) = DataSectionReader::new(BinaryReader::new(section.body, start)) else {
            return;
        };
        for data in segments {
            let Ok(data) = data else { break };
            let offset = data.range.end.saturating_sub(data.data.len() as u64);
            let location = format!("data segment {}", self.segment);
            self.push(data.data, offset, &location, None);
            self.segment += 1;
        }
    }

    fn push(&mut self, container: &[u8], offset: u64, location: &str, name: Option<&str>) {
        let starts = find(container);
        for (index, &(start, format)) in starts.iter().enumerate() {
            let end = starts.get(index + 1).map_or(container.len(), |next| next.0);
            let payload = &container[start..end];
            if payload.len() < MIN_MODEL {
                continue;
            }
            self.found.push(EmbeddedModel {
                format: format.to_string(),
                location: if start == 0 {
                    location.to_string()
                } else {
                    format!("{location}+{start}")
                },
                offset: offset + start as u64,
                size: payload.len() as u64,
                sha256: hex(&Sha256::digest(payload)),
                name: name.map(str::to_string),
                declared_by: None,
            });
        }
    }
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// A component's core module and nested component sections.
const NESTED_MODULE: u8 = 1;
const NESTED_COMPONENT: u8 = 4;

/// The data section's id in a core module.
const DATA_SECTION: u8 = 11;

/// Where `part` (a subslice of `whole`) starts in `whole`.
fn offset_in(whole: &[u8], part: &[u8]) -> u64 {
    (part.as_ptr() as usize).saturating_sub(whole.as_ptr() as usize) as u64
}

/// The signatures, each with how far before the match its payload starts. ONNX has one per
/// ir_version in use (3 to 12): field 1 with that value, then field 2 (the producer).
static SIGNATURES: LazyLock<Vec<(Vec<u8>, usize, &'static str)>> = LazyLock::new(|| {
    let mut signatures = vec![
        (b"GGUF".to_vec(), 0, "gguf"),
        (b"TFL3".to_vec(), 4, "tflite"),
        (b"{\"".to_vec(), 8, "safetensors"),
    ];
    signatures.extend((3u8..=12).map(|version| (vec![0x08, version, 0x12], 0, "onnx")));
    signatures
});

static MATCHER: LazyLock<Option<AhoCorasick>> =
    LazyLock::new(|| AhoCorasick::new(SIGNATURES.iter().map(|(bytes, _, _)| bytes)).ok());

/// Where payloads start in `data` and their formats, in order: every signature match that
/// the format's header confirms.
pub fn find(data: &[u8]) -> Vec<(usize, &'static str)> {
    let Some(matcher) = MATCHER.as_ref() else {
        return Vec::new();
    };
    let mut starts: Vec<(usize, &'static str)> = matcher
        .find_overlapping_iter(data)
        .filter_map(|found| {
            let (_, back, format) = SIGNATURES[found.pattern().as_usize()];
            let start = found.start().checked_sub(back)?;
            confirms(format, &data[start..]).then_some((start, format))
        })
        .collect();
    starts.sort_unstable_by_key(|(start, _)| *start);
    starts.dedup_by_key(|(start, _)| *start);
    starts
}

/// The header after a signature is the format's: a signature alone is a few bytes that any
/// data may hold.
fn confirms(format: &str, data: &[u8]) -> bool {
    let u32_at = |at: usize| {
        data.get(at..at + 4)
            .and_then(|b| b.try_into().ok())
            .map(u32::from_le_bytes)
    };
    match format {
        // Magic, then the version (1 to 3 so far).
        "gguf" => u32_at(4).is_some_and(|version| (1..=3).contains(&version)),
        // The root table offset, inside the buffer, then the file identifier.
        "tflite" => u32_at(0).is_some_and(|root| root >= 8 && (root as usize) < data.len()),
        // u64 little-endian header length, then a JSON object naming tensor offsets.
        "safetensors" => {
            let Some(length) = data.get(..8).and_then(|b| b.try_into().ok()) else {
                return false;
            };
            let length = u64::from_le_bytes(length);
            length > 2
                && length < data.len() as u64 - 8
                && data
                    .get(8..8 + (length as usize).min(4096))
                    .is_some_and(|header| contains(header, b"\"data_offsets\""))
        }
        // ModelProto: ir_version (field 1), then producer_name (field 2), an exporter's name.
        "onnx" => {
            let Some(&length) = data.get(3) else {
                return false;
            };
            data.get(4..4 + usize::from(length))
                .is_some_and(|producer| {
                    length < 0x80
                        && producer.iter().all(u8::is_ascii_graphic)
                        && (contains(producer, b"onnx") || contains(producer, b"pytorch"))
                })
        }
        _ => false,
    }
}

fn contains(haystack: &[u8], needle: &[u8]) -> bool {
    haystack
        .windows(needle.len())
        .any(|w| w.eq_ignore_ascii_case(needle))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn safetensors() -> Vec<u8> {
        let header = br#"{"w":{"dtype":"F32","shape":[2],"data_offsets":[0,8]}}"#;
        let mut bytes = (header.len() as u64).to_le_bytes().to_vec();
        bytes.extend_from_slice(header);
        bytes.extend_from_slice(&[0; 8]);
        bytes
    }

    fn onnx() -> Vec<u8> {
        let mut bytes = vec![0x08, 0x07, 0x12, 0x07];
        bytes.extend_from_slice(b"pytorch");
        bytes.extend_from_slice(&[0x1a, 0x03]);
        bytes.extend_from_slice(b"2.1");
        bytes
    }

    #[test]
    fn every_format_is_found_at_any_offset_once_its_header_confirms_it() {
        let mut data = b"some text {\"json\": 1} GGUF\xff\xff\xff\xff ".to_vec();
        let safetensors_at = data.len();
        data.extend_from_slice(&safetensors());
        let onnx_at = data.len();
        data.extend_from_slice(&onnx());
        let gguf_at = data.len();
        data.extend_from_slice(b"GGUF\x03\x00\x00\x00");
        assert_eq!(
            find(&data),
            [
                (safetensors_at, "safetensors"),
                (onnx_at, "onnx"),
                (gguf_at, "gguf")
            ]
        );
    }

    #[test]
    fn lookalikes_are_not_models() {
        // A JSON object without tensor offsets, an ONNX-looking varint with a non-exporter
        // producer, a TFL3 whose root offset points outside, GGUF of an unknown version.
        let mut json = 20u64.to_le_bytes().to_vec();
        json.extend_from_slice(br#"{"name": "not a tensor list", "x": 1}"#);
        assert!(find(&json).is_empty());
        assert!(find(b"\x08\x07\x12\x05hello world").is_empty());
        assert!(find(b"\xff\xff\x00\x00TFL3....").is_empty());
        assert!(find(b"GGUF\x09\x00\x00\x00").is_empty());
    }
}
