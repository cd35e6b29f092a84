//! YAML documents read with the line and column of every field, so a finding can point at the
//! field a rule names (`spec.containers[0].resources.limits.memory`) rather than at the
//! document. The positions come from serde-saphyr's `Spanned`, at every level of the tree.

use serde::de::{self, Deserialize, Deserializer, MapAccess, SeqAccess, Visitor};
use serde_json::{Map, Number, Value};
use serde_saphyr::Spanned;

/// A document as JSON, with where each of its fields is.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Located {
    /// The document.
    pub value: Value,
    /// Where its fields are.
    pub positions: Positions,
}

/// Every field and sequence item of a document by JSON pointer (RFC 6901), sorted: line and
/// column (1-based) of its key, or of the item.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Positions(Vec<(String, u64, u64)>);

impl Positions {
    /// Line and column of the field at `pointer`, or of the nearest enclosing field that is
    /// there (a rule may name a field the object lacks: the place to add it is its parent).
    pub fn position(&self, pointer: &str) -> Option<(u64, u64)> {
        let mut pointer = pointer;
        loop {
            if let Ok(at) = self.0.binary_search_by(|(p, _, _)| p.as_str().cmp(pointer)) {
                let (_, line, column) = &self.0[at];
                return Some((*line, *column));
            }
            pointer = &pointer[..pointer.rfind('/')?];
        }
    }
}

/// One key or index as a JSON pointer segment (RFC 6901 escapes `~` and `/`).
pub fn segment(key: &str) -> String {
    key.replace('~', "~0").replace('/', "~1")
}

/// The JSON pointer a policy result's `field` names, relative to the object: a pointer
/// (`/spec/image`), a path as Rego writes it (`spec.containers[0].image`,
/// `metadata.annotations["a/b"]`), or an array of keys and indexes. A leading `input`,
/// `request.object` or `review.object` is the object itself, as admission policies see it.
pub fn pointer_of(path: &serde_json::Value) -> Option<String> {
    let mut segments: Vec<String> = match path {
        Value::String(text) if text.starts_with('/') || text.is_empty() => {
            return Some(text.clone());
        }
        Value::String(text) => path_segments(text)?,
        Value::Array(items) => items
            .iter()
            .map(|item| match item {
                Value::String(key) => Some(key.clone()),
                Value::Number(index) => index.as_u64().map(|i| i.to_string()),
                _ => None,
            })
            .collect::<Option<_>>()?,
        _ => return None,
    };
    if segments.first().is_some_and(|s| s == "input") {
        segments.remove(0);
    }
    if segments.len() >= 2
        && ["request", "review"].contains(&segments[0].as_str())
        && segments[1] == "object"
    {
        segments.drain(..2);
    }
    Some(
        segments
            .iter()
            .map(|s| format!("/{}", segment(s)))
            .collect(),
    )
}

/// `a.b[0]["c.d"]` as its keys and indexes.
fn path_segments(text: &str) -> Option<Vec<String>> {
    let mut segments = Vec::new();
    let mut rest = text;
    while !rest.is_empty() {
        if let Some(after) = rest.strip_prefix('[') {
            let close = after.find(']')?;
            let inner = after[..close].trim();
            let key = match serde_json::from_str::<Value>(inner) {
                Ok(Value::String(key)) => key,
                Ok(Value::Number(index)) => index.as_u64()?.to_string(),
                _ => return None,
            };
            segments.push(key);
            rest = &after[close + 1..];
        } else {
            let rest_trimmed = rest.strip_prefix('.').unwrap_or(rest);
            let end = rest_trimmed.find(['.', '[']).unwrap_or(rest_trimmed.len());
            if end == 0 {
                return None;
            }
            segments.push(rest_trimmed[..end].to_string());
            rest = &rest_trimmed[end..];
        }
    }
    Some(segments)
}

/// The documents of a YAML (or JSON) text, each with its own line and column.
pub fn documents(
    text: &str,
    options: serde_saphyr::Options,
) -> Result<Vec<(u64, u64, Located)>, serde_saphyr::Error> {
    let documents: Vec<Spanned<Tree>> =
        serde_saphyr::from_str_multiple_with_options(text, options)?;
    Ok(documents
        .into_iter()
        .map(|document| {
            let at = document.defined;
            let mut fields = Vec::new();
            let value = flatten(document.value, &mut String::new(), &mut fields);
            fields.sort();
            fields.dedup_by(|a, b| a.0 == b.0);
            (
                at.line().max(1),
                at.column().max(1),
                Located {
                    value,
                    positions: Positions(fields),
                },
            )
        })
        .collect())
}

/// A YAML node whose children keep their positions.
enum Tree {
    Scalar(Value),
    Seq(Vec<Spanned<Tree>>),
    Map(Vec<(Spanned<String>, Spanned<Tree>)>),
}

fn flatten(tree: Tree, pointer: &mut String, fields: &mut Vec<(String, u64, u64)>) -> Value {
    let child = |at: &serde_saphyr::Location,
                 segment: &str,
                 tree: Tree,
                 pointer: &mut String,
                 fields: &mut Vec<(String, u64, u64)>| {
        let length = pointer.len();
        pointer.push('/');
        pointer.push_str(&self::segment(segment));
        fields.push((pointer.clone(), at.line().max(1), at.column().max(1)));
        let value = flatten(tree, pointer, fields);
        pointer.truncate(length);
        value
    };
    match tree {
        Tree::Scalar(value) => value,
        Tree::Seq(items) => Value::Array(
            items
                .into_iter()
                .enumerate()
                .map(|(i, item)| {
                    child(
                        &item.referenced,
                        &i.to_string(),
                        item.value,
                        pointer,
                        fields,
                    )
                })
                .collect(),
        ),
        Tree::Map(entries) => {
            let mut map = Map::new();
            for (key, value) in entries {
                let flat = child(&key.referenced, &key.value, value.value, pointer, fields);
                map.insert(key.value, flat);
            }
            Value::Object(map)
        }
    }
}

impl<'de> Deserialize<'de> for Tree {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_any(TreeVisitor)
    }
}

struct TreeVisitor;

impl<'de> Visitor<'de> for TreeVisitor {
    type Value = Tree;

    fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("a YAML value")
    }

    fn visit_bool<E: de::Error>(self, v: bool) -> Result<Tree, E> {
        Ok(Tree::Scalar(Value::Bool(v)))
    }

    fn visit_i64<E: de::Error>(self, v: i64) -> Result<Tree, E> {
        Ok(Tree::Scalar(Value::Number(v.into())))
    }

    fn visit_u64<E: de::Error>(self, v: u64) -> Result<Tree, E> {
        Ok(Tree::Scalar(Value::Number(v.into())))
    }

    fn visit_f64<E: de::Error>(self, v: f64) -> Result<Tree, E> {
        Ok(Tree::Scalar(
            Number::from_f64(v).map_or(Value::Null, Value::Number),
        ))
    }

    fn visit_str<E: de::Error>(self, v: &str) -> Result<Tree, E> {
        Ok(Tree::Scalar(Value::String(v.to_string())))
    }

    fn visit_string<E: de::Error>(self, v: String) -> Result<Tree, E> {
        Ok(Tree::Scalar(Value::String(v)))
    }

    fn visit_unit<E: de::Error>(self) -> Result<Tree, E> {
        Ok(Tree::Scalar(Value::Null))
    }

    fn visit_none<E: de::Error>(self) -> Result<Tree, E> {
        Ok(Tree::Scalar(Value::Null))
    }

    fn visit_some<D: Deserializer<'de>>(self, deserializer: D) -> Result<Tree, D::Error> {
        Tree::deserialize(deserializer)
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Tree, A::Error> {
        let mut items = Vec::new();
        while let Some(item) = seq.next_element::<Spanned<Tree>>()? {
            items.push(item);
        }
        Ok(Tree::Seq(items))
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Tree, A::Error> {
        let mut entries = Vec::new();
        while let Some(key) = map.next_key::<Spanned<String>>()? {
            let value = map.next_value::<Spanned<Tree>>()?;
            entries.push((key, value));
        }
        Ok(Tree::Map(entries))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_field_has_its_line_and_column() {
        let text = "---\napiVersion: v1\nkind: Pod\nmetadata:\n  name: p\n  annotations:\n    a/b: \"1\"\nspec:\n  containers:\n    - name: app\n      resources:\n        limits:\n          memory: 64Mi\n---\nkind: Other\n";
        let docs = documents(text, serde_saphyr::Options::default()).unwrap();
        assert_eq!(docs.len(), 2);
        let (line, _, pod) = &docs[0];
        assert_eq!(*line, 2);
        assert_eq!(pod.value["spec"]["containers"][0]["name"], "app");
        assert_eq!(pod.positions.position("/metadata/name"), Some((5, 3)));
        assert_eq!(
            pod.positions.position("/metadata/annotations/a~1b"),
            Some((7, 5))
        );
        assert_eq!(pod.positions.position("/spec/containers/0"), Some((10, 7)));
        assert_eq!(
            pod.positions
                .position("/spec/containers/0/resources/limits/memory"),
            Some((13, 11))
        );
        // A field the object lacks is placed at the nearest one it has.
        assert_eq!(
            pod.positions
                .position("/spec/containers/0/resources/requests/cpu"),
            Some((11, 7))
        );
        assert_eq!(docs[1].2.positions.position("/kind"), Some((15, 1)));
    }

    #[test]
    fn a_field_is_named_as_policies_write_it() {
        let pointer = |v: Value| pointer_of(&v);
        let memory = Some("/spec/containers/0/resources/limits/memory".to_string());
        assert_eq!(
            pointer("spec.containers[0].resources.limits.memory".into()),
            memory
        );
        assert_eq!(
            pointer("input.request.object.spec.containers[0].resources.limits.memory".into()),
            memory
        );
        assert_eq!(
            pointer(serde_json::json!([
                "spec",
                "containers",
                0,
                "resources",
                "limits",
                "memory"
            ])),
            memory
        );
        assert_eq!(
            pointer("/spec/containers/0/resources/limits/memory".into()),
            memory
        );
        assert_eq!(
            pointer(r#"metadata.annotations["wasmgate.dev/sha256"]"#.into()),
            Some("/metadata/annotations/wasmgate.dev~1sha256".to_string())
        );
        assert_eq!(pointer("spec..image".into()), None);
        assert_eq!(pointer("spec[".into()), None);
        assert_eq!(pointer(serde_json::json!(3)), None);
    }

    #[test]
    fn the_values_are_what_serde_json_would_read() {
        let text = "a: 1\nb: -2\nc: 1.5\nd: true\ne: null\nf: [x, {g: h}]\n\"7\": seven\n";
        let docs = documents(text, serde_saphyr::Options::default()).unwrap();
        let plain: Value = serde_saphyr::from_str(text).unwrap();
        assert_eq!(docs[0].2.value, plain);
    }
}
