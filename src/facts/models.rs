//! Machine-learning model payloads embedded in a module: data segments and custom sections
//! that start with a known model file signature (GGUF, TFLite, safetensors, ONNX).

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use wasmparser::{Parser, Payload};

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

/// Scans a module's data segments and custom sections (top level only).
pub fn scan(bytes: &[u8]) -> Vec<EmbeddedModel> {
    let mut found = Vec::new();
    let mut segment = 0;
    for payload in Parser::new(0).parse_all(bytes) {
        let Ok(payload) = payload else { break };
        match payload {
            Payload::DataSection(reader) => {
                for data in reader {
                    let Ok(data) = data else { break };
                    if let Some(format) = recognise(data.data) {
                        found.push(EmbeddedModel {
                            format: format.to_string(),
                            location: format!("data segment {segment}"),
                            offset: data.range.end.saturating_sub(data.data.len() as u64),
                            size: data.data.len() as u64,
                        });
                    }
                    segment += 1;
                }
            }
            Payload::CustomSection(reader) => {
                if let Some(format) = recognise(reader.data()) {
                    found.push(EmbeddedModel {
                        format: format.to_string(),
                        location: format!("custom section {}", reader.name()),
                        offset: reader.data_offset(),
                        size: reader.data().len() as u64,
                    });
                }
            }
            Payload::ModuleSection { .. } | Payload::ComponentSection { .. } => {}
            _ => {}
        }
    }
    found
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
