//! Machine-learning model payloads embedded in a module: data segments and custom sections
//! that start with a known model file signature (GGUF, TFLite, safetensors, ONNX).

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use wasmparser::{BinaryReader, DataSectionReader};

use crate::facts::ctx::ArtifactCtx;
use crate::wasmsig::format::{self, RawSection};

/// Payloads smaller than this are not models worth reporting.
const MIN_MODEL: usize = 1024;

/// One embedded model payload.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct EmbeddedModel {
    /// `gguf`, `tflite`, `safetensors` or `onnx`.
    pub format: String,
    /// `data segment N` or `custom section NAME`.
    pub location: String,
    /// Byte offset of the payload in the artifact.
    pub offset: u64,
    /// Payload size in bytes.
    pub size: u64,
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
        if let (Some(name), Some(format)) = (section.name, recognise(section.payload)) {
            self.found.push(EmbeddedModel {
                format: format.to_string(),
                location: format!("custom section {name}"),
                offset: offset_in(self.file, section.payload),
                size: section.payload.len() as u64,
            });
        }
    }

    fn data(&mut self, section: &RawSection<'_>) {
        let start = offset_in(self.file, section.body);
        let Ok(segments) = DataSectionReader::new(BinaryReader::new(section.body, start)) else {
            return;
        };
        for data in segments {
            let Ok(data) = data else { break };
            if let Some(format) = recognise(data.data) {
                self.found.push(EmbeddedModel {
                    format: format.to_string(),
                    location: format!("data segment {}", self.segment),
                    offset: data.range.end.saturating_sub(data.data.len() as u64),
                    size: data.data.len() as u64,
                });
            }
            self.segment += 1;
        }
    }
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

/// The model format whose signature `data` starts with.
pub fn recognise(data: &[u8]) -> Option<&'static str> {
    if data.len() < MIN_MODEL {
        return None;
    }
    if data.starts_with(b"GGUF") {
        return Some("gguf");
    }
    if data.get(4..8) == Some(b"TFL3") {
        return Some("tflite");
    }
    // safetensors: u64 little-endian header length, then a JSON object.
    let header = u64::from_le_bytes(data.get(..8)?.try_into().ok()?);
    if header > 1 && header < data.len() as u64 && data.get(8..10) == Some(b"{\"") {
        return Some("safetensors");
    }
    // ONNX ModelProto: field 1 (ir_version, varint) then a producer/graph string; the
    // producer name of exporters says so.
    if data[0] == 0x08
        && data
            .get(..256)
            .is_some_and(|head| contains(head, b"onnx") || contains(head, b"pytorch"))
    {
        return Some("onnx");
    }
    None
}

fn contains(haystack: &[u8], needle: &[u8]) -> bool {
    haystack
        .windows(needle.len())
        .any(|w| w.eq_ignore_ascii_case(needle))
}
