//! OCI image layouts kept in the repository: from an image reference to the digest of its wasm
//! layer. An `image@sha256:…` reference names an OCI manifest, never the wasm bytes; the layer
//! is the raw `.wasm`, so its digest is what a file's sha256 is compared with.

use std::path::{Path, PathBuf};

use serde_json::Value;

/// The layer media types that carry a wasm module or component.
pub const WASM_LAYERS: [&str; 3] = [
    "application/wasm",
    "application/vnd.wasm.content.layer.v1+wasm",
    "application/vnd.bytecodealliance.wasm.component.layer.v0+wasm",
];

/// An image resolved in a layout.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Resolved {
    /// The layout it was found in, relative to the root.
    pub layout: String,
    /// The OCI manifest's digest (`sha256:…`).
    pub manifest: String,
    /// The wasm layer's sha256 (hex), or None when the manifest has no wasm layer.
    pub layer: Option<String>,
}

/// Follows `image` (`name@sha256:…` or `name:tag`) in the first layout that has it.
pub fn resolve(layouts: &[(PathBuf, String)], image: &str) -> Option<Resolved> {
    layouts
        .iter()
        .find_map(|(dir, name)| resolve_in(dir, name, image))
}

fn resolve_in(dir: &Path, name: &str, image: &str) -> Option<Resolved> {
    let manifest = match image.rsplit_once('@') {
        Some((_, digest)) => digest.to_string(),
        None => {
            let index = json(&dir.join("index.json"))?;
            let tag = tag_of(image);
            index
                .get("manifests")?
                .as_array()?
                .iter()
                .find(|entry| {
                    let named = entry
                        .pointer("/annotations/org.opencontainers.image.ref.name")
                        .and_then(Value::as_str);
                    named.is_some_and(|n| n == image || Some(n) == tag)
                })?
                .get("digest")?
                .as_str()?
                .to_string()
        }
    };
    let hex = manifest.strip_prefix("sha256:")?;
    if hex.len() != 64 || !hex.bytes().all(|b| b.is_ascii_hexdigit()) {
        return None;
    }
    let document = json(&dir.join("blobs/sha256").join(hex))?;
    let layer = document
        .get("layers")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .find(|layer| {
            layer
                .get("mediaType")
                .and_then(Value::as_str)
                .is_some_and(|t| WASM_LAYERS.contains(&t))
        })
        .and_then(|layer| layer.get("digest")?.as_str())
        .and_then(|digest| digest.strip_prefix("sha256:"))
        .map(str::to_ascii_lowercase);
    Some(Resolved {
        layout: name.to_string(),
        manifest,
        layer,
    })
}

/// The tag of `name:tag` (a `:` after the last `/`, so a registry port is not one).
fn tag_of(image: &str) -> Option<&str> {
    let last = image.rsplit('/').next()?;
    last.rsplit_once(':').map(|(_, tag)| tag)
}

/// A layout's JSON document: a regular file, capped, parsed; None otherwise.
fn json(path: &Path) -> Option<Value> {
    let bytes = crate::untrusted::read(path, crate::untrusted::Kind::Manifest).ok()?;
    serde_json::from_slice(&bytes).ok()
}
