//! The constraints of the SPDX 2.3 JSON schema that matter for a gate — required properties,
//! identifier and digest syntax, and the closed vocabularies — checked with JSON pointers.
//!
//! The official `spdx-schema.json` for 2.3 is not shipped by any package on the registries
//! wasmgate's build reaches, so these checks restate it; CycloneDX is validated against the
//! official schemas themselves.

use serde_json::Value;

use super::problem::Problem;

const CHECKSUM_ALGORITHMS: &[&str] = &[
    "SHA1",
    "BLAKE3",
    "SHA3-384",
    "SHA256",
    "SHA384",
    "BLAKE2b-512",
    "BLAKE2b-256",
    "SHA3-512",
    "MD2",
    "ADLER32",
    "MD4",
    "SHA3-256",
    "BLAKE2b-384",
    "SHA512",
    "MD6",
    "MD5",
    "SHA224",
];
const PURPOSES: &[&str] = &[
    "OTHER",
    "INSTALL",
    "ARCHIVE",
    "FIRMWARE",
    "APPLICATION",
    "FRAMEWORK",
    "LIBRARY",
    "CONTAINER",
    "SOURCE",
    "DEVICE",
    "OPERATING-SYSTEM",
    "FILE",
];
const REFERENCE_CATEGORIES: &[&str] = &[
    "OTHER",
    "PERSISTENT-ID",
    "PERSISTENT_ID",
    "SECURITY",
    "PACKAGE-MANAGER",
    "PACKAGE_MANAGER",
];
const RELATIONSHIPS: &[&str] = &[
    "VARIANT_OF",
    "COPY_OF",
    "PATCH_FOR",
    "TEST_DEPENDENCY_OF",
    "CONTAINED_BY",
    "DATA_FILE_OF",
    "OPTIONAL_COMPONENT_OF",
    "ANCESTOR_OF",
    "GENERATES",
    "CONTAINS",
    "OPTIONAL_DEPENDENCY_OF",
    "FILE_ADDED",
    "REQUIREMENT_DESCRIPTION_FOR",
    "DEV_DEPENDENCY_OF",
    "DEPENDENCY_OF",
    "BUILD_DEPENDENCY_OF",
    "DESCRIBES",
    "PREREQUISITE_FOR",
    "HAS_PREREQUISITE",
    "PROVIDED_DEPENDENCY_OF",
    "DYNAMIC_LINK",
    "DESCRIBED_BY",
    "METAFILE_OF",
    "DEPENDENCY_MANIFEST_OF",
    "PATCH_APPLIED",
    "RUNTIME_DEPENDENCY_OF",
    "TEST_OF",
    "TEST_TOOL_OF",
    "DEPENDS_ON",
    "SPECIFICATION_FOR",
    "FILE_MODIFIED",
    "DISTRIBUTION_ARTIFACT",
    "AMENDS",
    "DOCUMENTATION_OF",
    "GENERATED_FROM",
    "STATIC_LINK",
    "OTHER",
    "BUILD_TOOL_OF",
    "TEST_CASE_OF",
    "PACKAGE_OF",
    "DEV_TOOL_OF",
    "FILE_DELETED",
    "EXAMPLE_OF",
    "EXPANDED_FROM_ARCHIVE",
];

/// Problems of an SPDX JSON document.
pub(super) fn check(document: &Value) -> Vec<Problem> {
    let mut problems = Vec::new();
    let mut problem =
        |pointer: String, message: String| problems.push(Problem { pointer, message });
    for key in [
        "spdxVersion",
        "dataLicense",
        "SPDXID",
        "name",
        "documentNamespace",
    ] {
        if document.get(key).and_then(Value::as_str).is_none() {
            problem(
                format!("/{key}"),
                format!("required string property `{key}` is missing"),
            );
        }
    }
    if let Some(license) = document.get("dataLicense").and_then(Value::as_str)
        && license != "CC0-1.0"
    {
        problem(
            "/dataLicense".to_string(),
            format!("must be `CC0-1.0`, not `{license}`"),
        );
    }
    if let Some(id) = document.get("SPDXID").and_then(Value::as_str)
        && id != "SPDXRef-DOCUMENT"
    {
        problem(
            "/SPDXID".to_string(),
            format!("must be `SPDXRef-DOCUMENT`, not `{id}`"),
        );
    }
    match document.get("creationInfo") {
        Some(info) => {
            match info.get("created").and_then(Value::as_str) {
                Some(created) if is_timestamp(created) => {}
                Some(created) => problem(
                    "/creationInfo/created".to_string(),
                    format!("`{created}` is not a UTC timestamp like 2026-01-31T12:00:00Z"),
                ),
                None => problem(
                    "/creationInfo/created".to_string(),
                    "required property `created` is missing".to_string(),
                ),
            }
            if info
                .get("creators")
                .and_then(Value::as_array)
                .is_none_or(Vec::is_empty)
            {
                problem(
                    "/creationInfo/creators".to_string(),
                    "at least one creator is required".to_string(),
                );
            }
        }
        None => problem(
            "/creationInfo".to_string(),
            "required property `creationInfo` is missing".to_string(),
        ),
    }
    for (list, required) in [
        ("packages", &["SPDXID", "name", "downloadLocation"][..]),
        ("files", &["SPDXID", "fileName"][..]),
    ] {
        for (index, element) in document
            .get(list)
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
            .enumerate()
        {
            let at = format!("/{list}/{index}");
            for key in required {
                if element.get(*key).and_then(Value::as_str).is_none() {
                    problem(
                        format!("{at}/{key}"),
                        format!("required string property `{key}` is missing"),
                    );
                }
            }
            if let Some(id) = element.get("SPDXID").and_then(Value::as_str)
                && !is_spdx_ref(id)
            {
                problem(
                    format!("{at}/SPDXID"),
                    format!("`{id}` does not match ^SPDXRef-[a-zA-Z0-9.-]+$"),
                );
            }
            for (n, checksum) in element
                .get("checksums")
                .and_then(Value::as_array)
                .into_iter()
                .flatten()
                .enumerate()
            {
                let here = format!("{at}/checksums/{n}");
                match checksum.get("algorithm").and_then(Value::as_str) {
                    Some(alg) if CHECKSUM_ALGORITHMS.contains(&alg) => {}
                    other => problem(
                        format!("{here}/algorithm"),
                        format!("{} is not an SPDX checksum algorithm", shown(other)),
                    ),
                }
                match checksum.get("checksumValue").and_then(Value::as_str) {
                    Some(value)
                        if !value.is_empty() && value.chars().all(|c| c.is_ascii_hexdigit()) => {}
                    _ => problem(
                        format!("{here}/checksumValue"),
                        "must be a hexadecimal digest".to_string(),
                    ),
                }
            }
            if let Some(purpose) = element.get("primaryPackagePurpose").and_then(Value::as_str)
                && !PURPOSES.contains(&purpose)
            {
                problem(
                    format!("{at}/primaryPackagePurpose"),
                    format!("`{purpose}` is not a package purpose"),
                );
            }
            for (n, reference) in element
                .get("externalRefs")
                .and_then(Value::as_array)
                .into_iter()
                .flatten()
                .enumerate()
            {
                let here = format!("{at}/externalRefs/{n}");
                match reference.get("referenceCategory").and_then(Value::as_str) {
                    Some(category) if REFERENCE_CATEGORIES.contains(&category) => {}
                    other => problem(
                        format!("{here}/referenceCategory"),
                        format!("{} is not a reference category", shown(other)),
                    ),
                }
                for key in ["referenceLocator", "referenceType"] {
                    if reference.get(key).and_then(Value::as_str).is_none() {
                        problem(
                            format!("{here}/{key}"),
                            format!("required string property `{key}` is missing"),
                        );
                    }
                }
            }
        }
    }
    for (index, relationship) in document
        .get("relationships")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .enumerate()
    {
        let at = format!("/relationships/{index}");
        for key in ["spdxElementId", "relatedSpdxElement"] {
            if relationship.get(key).and_then(Value::as_str).is_none() {
                problem(
                    format!("{at}/{key}"),
                    format!("required string property `{key}` is missing"),
                );
            }
        }
        match relationship.get("relationshipType").and_then(Value::as_str) {
            Some(kind) if RELATIONSHIPS.contains(&kind) => {}
            other => problem(
                format!("{at}/relationshipType"),
                format!("{} is not a relationship type", shown(other)),
            ),
        }
    }
    problems
}

fn is_spdx_ref(id: &str) -> bool {
    id.strip_prefix("SPDXRef-").is_some_and(|rest| {
        !rest.is_empty()
            && rest
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '.' || c == '-')
    })
}

/// `YYYY-MM-DDThh:mm:ssZ`.
fn is_timestamp(text: &str) -> bool {
    let bytes = text.as_bytes();
    bytes.len() == 20
        && bytes.iter().enumerate().all(|(i, b)| match i {
            4 | 7 => *b == b'-',
            10 => *b == b'T',
            13 | 16 => *b == b':',
            19 => *b == b'Z',
            _ => b.is_ascii_digit(),
        })
}

/// A value as a message names it: `USES` in backticks, or what is there instead.
fn shown(value: Option<&str>) -> String {
    match value {
        Some(text) => format!("`{text}`"),
        None => "a missing or non-string value".to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Messages name the value, never Rust's debug form of it (`Some("USES")`).
    #[test]
    fn a_bad_vocabulary_value_is_named_plainly() {
        let document = serde_json::json!({
            "spdxVersion": "SPDX-2.3", "dataLicense": "CC0-1.0", "SPDXID": "SPDXRef-DOCUMENT",
            "name": "x", "documentNamespace": "https://example.com/x",
            "creationInfo": {"created": "2026-01-01T00:00:00Z", "creators": ["Tool: hand"]},
            "relationships": [
                {"spdxElementId": "SPDXRef-DOCUMENT", "relationshipType": "USES", "relatedSpdxElement": "SPDXRef-a"},
                {"spdxElementId": "SPDXRef-DOCUMENT", "relatedSpdxElement": "SPDXRef-a"}
            ]
        });
        let messages: Vec<String> = check(&document).into_iter().map(|p| p.message).collect();
        assert!(
            messages.contains(&"`USES` is not a relationship type".to_string()),
            "{messages:?}"
        );
        assert!(
            messages
                .contains(&"a missing or non-string value is not a relationship type".to_string()),
            "{messages:?}"
        );
        assert!(
            messages.iter().all(|m| !m.contains("Some(")),
            "{messages:?}"
        );
    }
}
