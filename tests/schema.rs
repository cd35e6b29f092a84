//! The contracts stay locked: the committed JSON Schemas match the Rust types, and every code
//! and input field is documented.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::print_stdout)]

mod common;

use std::collections::BTreeSet;

fn check_schema(name: &str, schema: serde_json::Value) {
    let path = common::repo().join("schema").join(name);
    let generated = format!("{}\n", serde_json::to_string_pretty(&schema).unwrap());
    if std::env::var_os("WASMGATE_BLESS").is_some() {
        std::fs::write(&path, &generated).unwrap();
    }
    let committed = std::fs::read_to_string(&path).unwrap_or_default();
    assert!(
        committed == generated,
        "schema/{name} is out of date with the Rust types; if the change is additive, run \
         WASMGATE_BLESS=1 cargo test --test schema and commit the result"
    );
}

#[test]
fn input_schema_is_current() {
    check_schema("input.v1.json", wasmgate::input::schema());
}

#[test]
fn report_schema_is_current() {
    check_schema("report.v1.json", wasmgate::report::schema());
}

#[test]
fn every_code_has_a_heading_in_docs_rules() {
    let docs = std::fs::read_to_string(common::repo().join("docs/rules.md")).unwrap();
    let headings: BTreeSet<&str> = docs
        .lines()
        .filter_map(|line| line.strip_prefix("### "))
        .map(|heading| heading.trim().trim_matches('`'))
        .collect();
    let codes: BTreeSet<&str> = wasmgate::diag::codes::CODES
        .iter()
        .map(|info| info.code)
        .collect();
    assert_eq!(
        headings, codes,
        "docs/rules.md headings and the code catalogue differ"
    );
}

#[test]
fn every_builtin_code_is_in_the_catalogue() {
    for (file, text) in wasmgate::policy::builtin::POLICIES {
        for piece in text.split("\"code\": \"").skip(1) {
            let code = piece.split('"').next().unwrap();
            assert!(
                wasmgate::diag::codes::lookup(code).is_some(),
                "{file} emits {code}, which is not in diag::codes::CODES"
            );
        }
    }
}

/// Every property name in the input schema appears in docs/input.md.
#[test]
fn every_input_field_is_documented() {
    let docs = std::fs::read_to_string(common::repo().join("docs/input.md")).unwrap();
    let schema = wasmgate::input::schema();
    let mut names = BTreeSet::new();
    collect_properties(&schema, &mut names);
    let missing: Vec<_> = names
        .iter()
        .filter(|name| !docs.contains(&format!("`{name}`")))
        .collect();
    assert!(
        missing.is_empty(),
        "docs/input.md does not document {missing:?}"
    );
}

fn collect_properties(value: &serde_json::Value, names: &mut BTreeSet<String>) {
    match value {
        serde_json::Value::Object(map) => {
            if let Some(serde_json::Value::Object(properties)) = map.get("properties") {
                names.extend(properties.keys().cloned());
            }
            for child in map.values() {
                collect_properties(child, names);
            }
        }
        serde_json::Value::Array(items) => {
            for item in items {
                collect_properties(item, names);
            }
        }
        _ => {}
    }
}

/// The complete example in docs/config.md is a config wasmgate accepts.
#[test]
fn config_docs_example_is_valid() {
    let docs = std::fs::read_to_string(common::repo().join("docs/config.md")).unwrap();
    let example = docs
        .split("## A complete example")
        .nth(1)
        .and_then(|rest| rest.split("```toml\n").nth(1))
        .and_then(|block| block.split("```").next())
        .unwrap();
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("wasmgate.toml");
    std::fs::write(&path, example).unwrap();
    let loaded = wasmgate::config::load(&path).unwrap();
    assert_eq!(loaded.config.budgets.len(), 2);
    assert_eq!(loaded.config.memory.max_bytes.unwrap().0, 64 << 20);
}

/// Every `policies/*.rego` file is embedded in the binary (a file left out would silently
/// never run), and none of their tests (`*_test.rego`, run by `wasmgate test`) is.
#[test]
fn every_policy_file_is_embedded() {
    let mut on_disk: Vec<String> = std::fs::read_dir(common::repo().join("policies"))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().to_string())
        .filter(|name| name.ends_with(".rego") && !name.ends_with("_test.rego"))
        .collect();
    on_disk.sort();
    let embedded: Vec<String> = wasmgate::policy::builtin::POLICIES
        .iter()
        .map(|(name, _)| (*name).to_string())
        .collect();
    assert_eq!(on_disk, embedded);
}

/// A published code is never renamed or removed; new codes need no entry here.
#[test]
fn every_published_code_is_still_in_the_catalogue() {
    let published = std::fs::read_to_string(common::repo().join("tests/data/codes.txt")).unwrap();
    for code in published
        .lines()
        .filter(|line| !line.starts_with('#') && !line.trim().is_empty())
    {
        assert!(
            wasmgate::diag::codes::Code::parse(code.trim()).is_some(),
            "{code} was published and is gone from diag::codes: add a new code instead of renaming"
        );
    }
}
