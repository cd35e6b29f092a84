//! CycloneDX JSON (1.3–1.6): subject, components (nested ones flattened), licenses, model
//! cards and dependency edges.

use serde_json::Value;

use super::{
    Component, Dataset, Dependency, Hash, ModelCard, SbomFacts, Subject, count, license, schema,
    text,
};

pub(super) fn read(document: &Value, facts: &mut SbomFacts) {
    facts.format = Some("cyclonedx".to_string());
    let version = text(document, "specVersion").unwrap_or_default();
    facts.problems = schema::cyclonedx(document, &version);
    facts.spec_version = Some(version);
    if let Some(subject) = document.pointer("/metadata/component") {
        facts.subject = Some(Subject {
            name: text(subject, "name"),
            version: text(subject, "version"),
            hashes: hashes(subject),
        });
    }
    let mut components = Vec::new();
    if let Some(list) = document.get("components").and_then(Value::as_array) {
        flatten(list, "/components", &mut components);
    }
    let datasets: Vec<(Option<String>, bool)> = components
        .iter()
        .filter(|(c, _)| c.kind.as_deref() == Some("data"))
        .map(|(c, _)| (c.reference.clone(), c.provenance))
        .collect();
    for (component, raw) in &mut components {
        if component.kind.as_deref() == Some("machine-learning-model") {
            component.model_card = Some(model_card(raw, &datasets));
        }
    }
    facts.components = components.into_iter().map(|(c, _)| c).collect();
    facts.dependencies = document
        .get("dependencies")
        .and_then(Value::as_array)
        .map(|list| {
            list.iter()
                .filter_map(|d| {
                    Some(Dependency {
                        reference: text(d, "ref")?,
                        depends_on: d
                            .get("dependsOn")
                            .and_then(Value::as_array)
                            .map(|v| {
                                v.iter()
                                    .filter_map(|x| x.as_str().map(String::from))
                                    .collect()
                            })
                            .unwrap_or_default(),
                    })
                })
                .collect()
        })
        .unwrap_or_default();
}

fn flatten<'a>(list: &'a [Value], pointer: &str, out: &mut Vec<(Component, &'a Value)>) {
    for (index, raw) in list.iter().enumerate() {
        let here = format!("{pointer}/{index}");
        out.push((component(raw, &here), raw));
        if let Some(nested) = raw.get("components").and_then(Value::as_array) {
            flatten(nested, &format!("{here}/components"), out);
        }
    }
}

fn component(raw: &Value, pointer: &str) -> Component {
    let licenses = raw
        .get("licenses")
        .and_then(Value::as_array)
        .map(|list| {
            list.iter()
                .filter_map(|entry| {
                    entry
                        .get("expression")
                        .and_then(Value::as_str)
                        .or_else(|| entry.pointer("/license/id").and_then(Value::as_str))
                        .or_else(|| entry.pointer("/license/name").and_then(Value::as_str))
                })
                .map(license::parse)
                .collect()
        })
        .unwrap_or_default();
    let provenance = raw.get("supplier").is_some()
        || raw.get("pedigree").is_some()
        || count(raw.get("externalReferences")) > 0
        || raw.get("data").and_then(Value::as_array).is_some_and(|d| {
            d.iter()
                .any(|x| x.get("governance").is_some() || x.pointer("/contents/url").is_some())
        });
    Component {
        reference: text(raw, "bom-ref"),
        name: text(raw, "name").unwrap_or_default(),
        version: text(raw, "version"),
        purl: text(raw, "purl"),
        kind: text(raw, "type"),
        licenses,
        hashes: hashes(raw),
        pointer: pointer.to_string(),
        model_card: None,
        provenance,
        size: raw
            .get("properties")
            .and_then(Value::as_array)
            .and_then(|list| {
                list.iter()
                    .find(|p| text(p, "name").as_deref() == Some("wasmgate:size"))
            })
            .and_then(|p| text(p, "value"))
            .and_then(|value| value.trim().parse().ok()),
    }
}

fn hashes(raw: &Value) -> Vec<Hash> {
    raw.get("hashes")
        .and_then(Value::as_array)
        .map(|list| {
            list.iter()
                .filter_map(|h| {
                    Some(Hash {
                        algorithm: text(h, "alg")?,
                        value: text(h, "content")?.to_lowercase(),
                    })
                })
                .collect()
        })
        .unwrap_or_default()
}

fn model_card(raw: &Value, data: &[(Option<String>, bool)]) -> ModelCard {
    let Some(card) = raw.get("modelCard") else {
        return ModelCard::default();
    };
    let datasets = card
        .pointer("/modelParameters/datasets")
        .and_then(Value::as_array)
        .map(|list| {
            list.iter()
                .map(|entry| match text(entry, "ref") {
                    Some(reference) => {
                        let found = data.iter().find(|(r, _)| r.as_deref() == Some(&reference));
                        Dataset {
                            resolved: found.is_some(),
                            provenance: found.is_some_and(|(_, p)| *p),
                            reference,
                        }
                    }
                    None => Dataset {
                        reference: text(entry, "name").unwrap_or_default(),
                        resolved: true,
                        provenance: entry.get("governance").is_some()
                            || entry.pointer("/contents/url").is_some(),
                    },
                })
                .collect()
        })
        .unwrap_or_default();
    ModelCard {
        present: true,
        datasets,
        fairness_assessments: count(card.pointer("/considerations/fairnessAssessments")),
        ethical_considerations: count(card.pointer("/considerations/ethicalConsiderations")),
        technical_limitations: count(card.pointer("/considerations/technicalLimitations")),
        energy_consumptions: count(
            card.pointer("/considerations/environmentalConsiderations/energyConsumptions"),
        ),
    }
}
