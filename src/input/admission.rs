//! The input an admission policy sees for one manifest object: an `admission.k8s.io/v1`
//! AdmissionReview (as a webhook would receive it on `kubectl apply`), Gatekeeper's
//! `review` and `parameters`, or the object itself; with the bound artifact's facts as
//! `input.wasmgate.artifact` where an artifact of this run is bound.

use serde_json::{Value, json};
use sha2::{Digest, Sha256};

use crate::config::AdmissionInput;
use crate::facts::manifests::ManifestObject;

/// The reviews of every object of the manifest `file` (relative to the root, or as given), with
/// the bound artifact's facts as `wasmgate.artifact`, as the admission policies see them.
pub fn reviews_of(
    document: &super::InputDocument,
    file: &str,
    shape: AdmissionInput,
    parameters: &Value,
) -> Vec<Value> {
    let file = file.trim_start_matches("./");
    let objects = document.manifests.iter().flat_map(|m| &m.objects);
    objects
        .filter(|object| object.file == file || object.file.ends_with(&format!("/{file}")))
        .map(|object| {
            let mut review = review(object, shape, parameters);
            let bound = object.bindings.iter().find_map(|binding| {
                document
                    .artifacts
                    .iter()
                    .find(|a| a.facts.path == binding.artifact)
            });
            if let (Some(artifact), Some(fields)) = (bound, review.as_object_mut()) {
                let facts = serde_json::to_value(artifact).unwrap_or_default();
                fields.insert("wasmgate".to_string(), json!({ "artifact": facts }));
            }
            review
        })
        .collect()
}

/// The review for `object`, shaped as `shape` asks.
pub fn review(object: &ManifestObject, shape: AdmissionInput, parameters: &Value) -> Value {
    match shape {
        AdmissionInput::Admission => json!({
            "apiVersion": "admission.k8s.io/v1",
            "kind": "AdmissionReview",
            "request": request(object),
        }),
        AdmissionInput::Gatekeeper => json!({
            "review": request(object),
            "parameters": parameters,
        }),
        AdmissionInput::Object => object.object.clone(),
    }
}

/// The AdmissionRequest of `object` (dry run): a `CREATE`, or an `UPDATE` of the same object at
/// the merge-base (`oldObject`), with every field an apiserver sets.
pub fn request(object: &ManifestObject) -> Value {
    let (group, version) = match object.api_version.split_once('/') {
        Some((group, version)) => (group, version),
        None => ("", object.api_version.as_str()),
    };
    let kind = json!({"group": group, "version": version, "kind": object.kind});
    let resource = json!({"group": group, "version": version, "resource": plural(&object.kind)});
    json!({
        "uid": uid(object),
        "kind": kind,
        "resource": resource,
        "requestKind": kind,
        "requestResource": resource,
        "name": object.name,
        "namespace": object.namespace.as_deref().unwrap_or("default"),
        "operation": if object.base_object.is_some() { "UPDATE" } else { "CREATE" },
        "userInfo": {"username": "wasmgate", "groups": ["system:authenticated"]},
        "object": object.object,
        "oldObject": object.base_object,
        "dryRun": true,
        "options": {
            "apiVersion": "meta.k8s.io/v1",
            "kind": if object.base_object.is_some() { "UpdateOptions" } else { "CreateOptions" },
        },
    })
}

/// A UUID derived from where the object is, so that the same inputs give the same bytes.
fn uid(object: &ManifestObject) -> String {
    let digest = Sha256::digest(format!("{}:{}:{}", object.file, object.line, object.column));
    let hex: String = digest.iter().take(16).map(|b| format!("{b:02x}")).collect();
    format!(
        "{}-{}-{}-{}-{}",
        &hex[0..8],
        &hex[8..12],
        &hex[12..16],
        &hex[16..20],
        &hex[20..32]
    )
}

/// The plural resource name of a kind, as the apiserver's REST mapper guesses it (lowercase,
/// `-y` → `-ies`, `-s`/`-x`/`-ch`/`-sh` → `-es`, else `-s`; `Endpoints` stays).
pub fn plural(kind: &str) -> String {
    let lower = kind.to_ascii_lowercase();
    if lower == "endpoints" {
        return lower;
    }
    if let Some(stem) = lower.strip_suffix('y')
        && !stem.ends_with(['a', 'e', 'i', 'o', 'u'])
    {
        return format!("{stem}ies");
    }
    if ["s", "x", "ch", "sh"]
        .iter()
        .any(|end| lower.ends_with(end))
    {
        return format!("{lower}es");
    }
    format!("{lower}s")
}

#[cfg(test)]
mod tests {
    use super::plural;

    #[test]
    fn plural_resource_names() {
        for (kind, resource) in [
            ("Deployment", "deployments"),
            ("WasmModule", "wasmmodules"),
            ("SpinApp", "spinapps"),
            ("NetworkPolicy", "networkpolicies"),
            ("Ingress", "ingresses"),
            ("Gateway", "gateways"),
            ("Endpoints", "endpoints"),
        ] {
            assert_eq!(plural(kind), resource);
        }
    }
}
