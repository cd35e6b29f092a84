//! Validation against the official CycloneDX JSON schemas, committed under `schema/external/`
//! and compiled once. References between them resolve offline.

use std::sync::OnceLock;

use serde_json::Value;

use super::problem::Problem;

const BOM_1_3: &str = include_str!("../../../schema/external/bom-1.3.schema.json");
const BOM_1_4: &str = include_str!("../../../schema/external/bom-1.4.schema.json");
const BOM_1_5: &str = include_str!("../../../schema/external/bom-1.5.schema.json");
const BOM_1_6: &str = include_str!("../../../schema/external/bom-1.6.schema.json");
const SPDX_IDS: &str = include_str!("../../../schema/external/spdx.schema.json");
const JSF: &str = include_str!("../../../schema/external/jsf-0.82.schema.json");

/// Serves the schemas the CycloneDX ones reference; nothing is fetched from the network.
struct Embedded;

impl jsonschema::Retrieve for Embedded {
    fn retrieve(
        &self,
        uri: &jsonschema::Uri<String>,
    ) -> Result<Value, Box<dyn std::error::Error + Send + Sync>> {
        let path = uri.path().as_str();
        let text =
            if path.ends_with("spdx.schema.json") || path.ends_with("spdx.SNAPSHOT.schema.json") {
                SPDX_IDS
            } else if path.contains("jsf-0.82") {
                JSF
            } else {
                return Err(format!("{uri} is not embedded in wasmgate").into());
            };
        Ok(serde_json::from_str(text)?)
    }
}

fn validator(
    text: &'static str,
    cell: &'static OnceLock<Option<jsonschema::Validator>>,
) -> Option<&'static jsonschema::Validator> {
    cell.get_or_init(|| {
        let schema: Value = serde_json::from_str(text).ok()?;
        jsonschema::options()
            .with_retriever(Embedded)
            .should_validate_formats(true)
            .build(&schema)
            .ok()
    })
    .as_ref()
}

/// Problems of a CycloneDX document against the schema of its `specVersion`.
pub(super) fn cyclonedx(document: &Value, version: &str) -> Vec<Problem> {
    static V13: OnceLock<Option<jsonschema::Validator>> = OnceLock::new();
    static V14: OnceLock<Option<jsonschema::Validator>> = OnceLock::new();
    static V15: OnceLock<Option<jsonschema::Validator>> = OnceLock::new();
    static V16: OnceLock<Option<jsonschema::Validator>> = OnceLock::new();
    let validator = match version {
        "1.3" => validator(BOM_1_3, &V13),
        "1.4" => validator(BOM_1_4, &V14),
        "1.5" => validator(BOM_1_5, &V15),
        "1.6" => validator(BOM_1_6, &V16),
        other => {
            return vec![Problem {
                pointer: "/specVersion".to_string(),
                message: format!("CycloneDX {other} is not supported (1.3, 1.4, 1.5 and 1.6 are)"),
            }];
        }
    };
    let Some(validator) = validator else {
        return vec![Problem {
            pointer: String::new(),
            message: format!(
                "the CycloneDX {version} schema embedded in wasmgate does not compile"
            ),
        }];
    };
    let mut problems: Vec<Problem> = validator
        .iter_errors(document)
        .map(|error| Problem {
            pointer: error.instance_path().to_string(),
            message: error.to_string(),
        })
        .collect();
    problems.sort_by(|a, b| a.pointer.cmp(&b.pointer).then(a.message.cmp(&b.message)));
    problems
}

#[cfg(test)]
mod tests {
    #[test]
    fn every_schema_compiles() {
        for version in ["1.3", "1.4", "1.5", "1.6"] {
            let minimal =
                serde_json::json!({"bomFormat": "CycloneDX", "specVersion": version, "version": 1});
            assert_eq!(super::cyclonedx(&minimal, version), [], "{version}");
            let bad = serde_json::json!({"bomFormat": "CycloneDX", "specVersion": version, "components": [{"type": "nonsense", "name": "x"}]});
            assert!(!super::cyclonedx(&bad, version).is_empty(), "{version}");
        }
    }
}
