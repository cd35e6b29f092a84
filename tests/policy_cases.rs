//! The built-in policy library on hand-written inputs: `policies/tests/*.json` cases, each with
//! a config, an input document and the findings it must produce (code, artifact, severity,
//! and with `check_config_key` the config key each points at).
//! These reach shapes the fixtures cannot cheaply build: 47 MB sizes, memory64, WASI 0.2
//! components.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::print_stdout)]

mod common;

use wasmgate::config;
use wasmgate::policy::{self, PolicyOptions, builtin};

fn run_case(path: &std::path::Path) {
    let case: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
    let dir = tempfile::tempdir().unwrap();
    let config_path = dir.path().join("wasmgate.toml");
    std::fs::write(&config_path, case["config"].as_str().unwrap()).unwrap();
    let loaded = config::load(&config_path).unwrap();
    let mut data = serde_json::json!({});
    data["wasmgate_config"] = builtin::config_data(&loaded.config);
    let options = PolicyOptions {
        sources: Vec::new(),
        namespaces: vec!["wasmgate".to_string()],
        all_namespaces: false,
        rego_v0: false,
        timeout_ms: 10_000,
        builtin: true,
        data,
    };
    let policies = policy::load(&options).unwrap();
    let findings =
        policy::evaluate(&policies, regorus::Value::from(case["input"].clone())).unwrap();
    // A case about which entry judged names the config key of each finding (null: none).
    let keyed = case["check_config_key"] == true;
    let mut got: Vec<_> = findings
        .iter()
        .map(|f| {
            (
                f.code.clone().unwrap_or_default(),
                f.artifact.clone().unwrap_or_default(),
                f.severity.as_str().to_string(),
                f.config_key.clone().filter(|_| keyed),
            )
        })
        .collect();
    let mut want: Vec<_> = case["want"]
        .as_array()
        .unwrap()
        .iter()
        .map(|w| {
            (
                w["code"].as_str().unwrap().to_string(),
                w["artifact"].as_str().unwrap().to_string(),
                w["severity"].as_str().unwrap().to_string(),
                w["config_key"].as_str().map(str::to_string),
            )
        })
        .collect();
    got.sort();
    want.sort();
    assert_eq!(got, want, "{}: {}", path.display(), case["about"]);
}

#[test]
fn builtin_policy_cases() {
    let mut cases: Vec<_> = std::fs::read_dir(common::repo().join("policies/tests"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "json"))
        .collect();
    cases.sort();
    assert!(cases.len() >= 4);
    for case in &cases {
        run_case(case);
    }
}
