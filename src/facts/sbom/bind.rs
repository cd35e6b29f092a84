//! `wasmgate sbom bind`: make a producer's SBOM describe the built artifact. Crate-level
//! producers (cargo-cyclonedx) describe the crate, so nothing in their SBOM names the `.wasm`;
//! this records the artifact's SHA-256 (and, for a signed module, its digest without the
//! signature section) as the subject's hashes, the one step after the build that makes the
//! gate's binding check pass on a real producer's output.

use serde_json::{Map, Value, json};

use crate::facts::ctx::ArtifactCtx;

/// What was recorded.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Bound {
    /// `cyclonedx` or `spdx`.
    pub format: &'static str,
    /// The digests written, the artifact's first.
    pub digests: Vec<String>,
    /// Where in the SBOM (a JSON pointer).
    pub at: String,
}

/// The SBOM `text` with `artifact`'s digests as its subject's SHA-256 hashes (replacing any
/// it had; other algorithms are kept), pretty-printed with a final newline. The same inputs
/// give the same bytes, and binding twice changes nothing.
pub fn bind(artifact: &ArtifactCtx<'_>, text: &[u8]) -> Result<(String, Bound), String> {
    let mut document: Value =
        serde_json::from_slice(text).map_err(|e| format!("it is not JSON: {e}"))?;
    let mut digests = vec![artifact.sha256.clone()];
    if let Some(unsigned) = artifact.unsigned_sha256()
        && unsigned != artifact.sha256
    {
        digests.push(unsigned);
    }
    let bound = if document.get("bomFormat").and_then(Value::as_str) == Some("CycloneDX") {
        cyclonedx(&mut document, artifact.display, &digests)?
    } else if document.get("spdxVersion").is_some() {
        spdx(&mut document, &digests)?
    } else {
        return Err(
            "it is neither CycloneDX JSON (bomFormat) nor SPDX JSON (spdxVersion)".to_string(),
        );
    };
    let mut out = serde_json::to_string_pretty(&document).map_err(|e| e.to_string())?;
    out.push('\n');
    Ok((out, bound))
}

/// `metadata.component.hashes`; a document without a subject gets one named after the file.
fn cyclonedx(document: &mut Value, display: &str, digests: &[String]) -> Result<Bound, String> {
    let root = document
        .as_object_mut()
        .ok_or("its root is not an object")?;
    let metadata = root
        .entry("metadata")
        .or_insert_with(|| Value::Object(Map::new()))
        .as_object_mut()
        .ok_or("`metadata` is not an object")?;
    let name = display.rsplit('/').next().unwrap_or(display);
    let component = metadata
        .entry("component")
        .or_insert_with(|| json!({"type": "application", "name": name}))
        .as_object_mut()
        .ok_or("`metadata.component` is not an object")?;
    let mut hashes: Vec<Value> = component
        .get("hashes")
        .and_then(Value::as_array)
        .map(|list| {
            list.iter()
                .filter(|h| !is_sha256(h.get("alg")))
                .cloned()
                .collect()
        })
        .unwrap_or_default();
    hashes.extend(
        digests
            .iter()
            .map(|d| json!({"alg": "SHA-256", "content": d})),
    );
    component.insert("hashes".to_string(), Value::Array(hashes));
    Ok(Bound {
        format: "cyclonedx",
        digests: digests.to_vec(),
        at: "/metadata/component/hashes".to_string(),
    })
}

/// The `checksums` of the element the document describes.
fn spdx(document: &mut Value, digests: &[String]) -> Result<Bound, String> {
    let (list, index) = super::spdx::described(document)
        .iter()
        .find_map(|described| {
            ["packages", "files"].iter().find_map(|list| {
                let items = document.get(*list)?.as_array()?;
                let index = items.iter().position(|p| {
                    p.get("SPDXID").and_then(Value::as_str) == Some(described.as_str())
                })?;
                Some((*list, index))
            })
        })
        .ok_or("the SPDX document describes no package or file it contains (documentDescribes, DESCRIBES)")?;
    let element = document
        .pointer_mut(&format!("/{list}/{index}"))
        .and_then(Value::as_object_mut)
        .ok_or("the described element is not an object")?;
    let mut checksums: Vec<Value> = element
        .get("checksums")
        .and_then(Value::as_array)
        .map(|list| {
            list.iter()
                .filter(|c| !is_sha256(c.get("algorithm")))
                .cloned()
                .collect()
        })
        .unwrap_or_default();
    checksums.extend(
        digests
            .iter()
            .map(|d| json!({"algorithm": "SHA256", "checksumValue": d})),
    );
    element.insert("checksums".to_string(), Value::Array(checksums));
    Ok(Bound {
        format: "spdx",
        digests: digests.to_vec(),
        at: format!("/{list}/{index}/checksums"),
    })
}

fn is_sha256(algorithm: Option<&Value>) -> bool {
    algorithm
        .and_then(Value::as_str)
        .is_some_and(|a| a.replace('-', "").eq_ignore_ascii_case("sha256"))
}
