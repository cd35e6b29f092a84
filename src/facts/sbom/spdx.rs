//! SPDX 2.3 JSON: the described package or file as the subject, packages as components,
//! DEPENDS_ON relationships as edges, and structural checks with JSON pointers.

use serde_json::Value;

use super::{
    Component, Dependency, Hash, Problem, SbomFacts, Subject, count, license, spdx_schema, text,
};

/// What the document describes: the targets of `SPDXRef-DOCUMENT DESCRIBES`, then
/// `documentDescribes`, in order.
pub(super) fn described(document: &Value) -> Vec<String> {
    let relationships = document
        .get("relationships")
        .and_then(Value::as_array)
        .map(Vec::as_slice)
        .unwrap_or_default();
    let mut described: Vec<String> = relationships
        .iter()
        .filter(|r| {
            text(r, "relationshipType").as_deref() == Some("DESCRIBES")
                && text(r, "spdxElementId").as_deref() == Some("SPDXRef-DOCUMENT")
        })
        .filter_map(|r| text(r, "relatedSpdxElement"))
        .collect();
    if let Some(list) = document.get("documentDescribes").and_then(Value::as_array) {
        described.extend(list.iter().filter_map(|v| v.as_str().map(String::from)));
    }
    described
}

pub(super) fn read(document: &Value, facts: &mut SbomFacts) {
    facts.format = Some("spdx".to_string());
    let version = text(document, "spdxVersion").unwrap_or_default();
    if version != "SPDX-2.3" && version != "SPDX-2.2" {
        facts.problems.push(Problem {
            pointer: "/spdxVersion".to_string(),
            message: format!("{version} is not supported (SPDX-2.3 and SPDX-2.2 JSON are)"),
        });
    }
    facts.spec_version = Some(version);
    facts.problems.extend(spdx_schema::check(document));
    let packages = document
        .get("packages")
        .and_then(Value::as_array)
        .cloned()
        .unwrap_or_default();
    let files = document
        .get("files")
        .and_then(Value::as_array)
        .cloned()
        .unwrap_or_default();
    let relationships = document
        .get("relationships")
        .and_then(Value::as_array)
        .cloned()
        .unwrap_or_default();
    let described = described(document);
    let element = |id: &str| {
        packages
            .iter()
            .chain(files.iter())
            .find(|p| text(p, "SPDXID").as_deref() == Some(id))
    };
    if let Some(subject) = described.iter().find_map(|id| element(id)) {
        facts.subject = Some(Subject {
            name: text(subject, "name").or_else(|| text(subject, "fileName")),
            version: text(subject, "versionInfo"),
            hashes: checksums(subject),
        });
    }
    for (index, package) in packages.iter().enumerate() {
        let pointer = format!("/packages/{index}");
        let licenses = ["licenseConcluded", "licenseDeclared"]
            .iter()
            .filter_map(|key| text(package, key))
            .find(|value| value != "NOASSERTION" && value != "NONE")
            .map(|value| vec![license::parse(&value)])
            .unwrap_or_default();
        let purl = package
            .get("externalRefs")
            .and_then(Value::as_array)
            .and_then(|refs| {
                refs.iter()
                    .find(|r| text(r, "referenceType").as_deref() == Some("purl"))
                    .and_then(|r| text(r, "referenceLocator"))
            });
        facts.components.push(Component {
            reference: text(package, "SPDXID"),
            name: text(package, "name").unwrap_or_default(),
            version: text(package, "versionInfo"),
            purl,
            kind: text(package, "primaryPackagePurpose")
                .map(|p| p.to_lowercase().replace('_', "-")),
            licenses,
            hashes: checksums(package),
            pointer,
            model_card: None,
            provenance: package.get("supplier").is_some()
                || package.get("originator").is_some()
                || count(package.get("externalRefs")) > 0,
            size: None,
        });
    }
    let mut edges: std::collections::BTreeMap<String, Vec<String>> = Default::default();
    for relationship in &relationships {
        let (Some(kind), Some(from), Some(to)) = (
            text(relationship, "relationshipType"),
            text(relationship, "spdxElementId"),
            text(relationship, "relatedSpdxElement"),
        ) else {
            continue;
        };
        match kind.as_str() {
            "DEPENDS_ON" => edges.entry(from).or_default().push(to),
            "DEPENDENCY_OF" => edges.entry(to).or_default().push(from),
            _ => {}
        }
    }
    facts.dependencies = edges
        .into_iter()
        .map(|(reference, depends_on)| Dependency {
            reference,
            depends_on,
        })
        .collect();
}

fn checksums(element: &Value) -> Vec<Hash> {
    element
        .get("checksums")
        .and_then(Value::as_array)
        .map(|list| {
            list.iter()
                .filter_map(|c| {
                    Some(Hash {
                        algorithm: text(c, "algorithm")?,
                        value: text(c, "checksumValue")?.to_lowercase(),
                    })
                })
                .collect()
        })
        .unwrap_or_default()
}
