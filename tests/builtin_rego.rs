//! The built-in library's own Rego tests (`policies/*_test.rego`), run through `wasmgate test`
//! as a user runs theirs: every file has tests, every test passes, every line of every rule is
//! evaluated, and the Go OPA decides each test the same way.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::print_stdout)]

mod common;

use assert_cmd::Command;
use serde_json::Value;

/// The one file whose last line needs a run's figures: `wasmgate test` prices nothing, so the
/// answer of `wasmgate.predict_cost_risk` is always null there.
const NEEDS_A_RUN: &str = "policies/ai_predictions.rego";

fn library_report() -> Value {
    let mut cmd = Command::cargo_bin("wasmgate").unwrap();
    cmd.current_dir(common::repo()).env("NO_COLOR", "1").args([
        "test",
        "--coverage",
        "--format",
        "json",
        "policies",
    ]);
    let (code, stdout, stderr) = common::run(&mut cmd);
    assert_eq!(code, 0, "{stdout}\n{stderr}");
    serde_json::from_str(&stdout).unwrap()
}

fn library_files() -> Vec<String> {
    let mut files: Vec<String> = std::fs::read_dir(common::repo().join("policies"))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|name| name.ends_with(".rego") && !name.ends_with("_test.rego"))
        .collect();
    files.sort();
    files
}

#[test]
fn every_built_in_rule_is_tested_and_every_test_passes() {
    let report = library_report();
    let tests = report["tests"].as_array().unwrap();
    let failed: Vec<&Value> = tests.iter().filter(|t| t["outcome"] != "pass").collect();
    assert!(failed.is_empty(), "{failed:#?}");
    // Each policy file of the library has its tests, and each test file ran some.
    for file in library_files() {
        let test_file = format!("policies/{}", file.replace(".rego", "_test.rego"));
        let ran = tests.iter().filter(|t| t["file"] == test_file).count();
        assert!(ran >= 1, "{test_file} has no tests");
    }
    // Line coverage: every line of every rule was evaluated by some test, so no rule is
    // tested only by its neighbours.
    let coverage = report["coverage"].as_array().unwrap();
    assert_eq!(coverage.len(), library_files().len(), "{coverage:#?}");
    for file in coverage {
        let name = file["file"].as_str().unwrap();
        let missed = file["not_covered"].as_array().unwrap();
        if name == NEEDS_A_RUN {
            assert!(missed.len() <= 1, "{file}");
            continue;
        }
        assert!(missed.is_empty(), "{name}: lines not covered: {missed:?}");
    }
}

/// The same files through the Go OPA, test by test (what `opa test policies/` decides).
#[test]
fn the_go_opa_decides_every_library_test_the_same_way() {
    let Some(opa) = std::env::var_os("WASMGATE_OPA_PY") else {
        common::skip("the OPA bindings (WASMGATE_OPA_PY; .ci/run installs them)");
        return;
    };
    let report = library_report();
    // ai_predictions calls a function only wasmgate has, which OPA refuses to compile.
    let ours: Vec<(String, String, String)> = report["tests"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|t| t["package"] != "data.ai_predictions")
        .map(|t| {
            (
                t["package"].as_str().unwrap().to_string(),
                t["name"].as_str().unwrap().to_string(),
                t["outcome"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    assert!(ours.len() >= 60, "{}", ours.len());
    let files: Vec<String> = std::fs::read_dir(common::repo().join("policies"))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|name| name.ends_with(".rego") && !name.starts_with("ai_predictions"))
        .map(|name| format!("policies/{name}"))
        .collect();
    let tests: Vec<(String, String)> = ours
        .iter()
        .map(|(package, name, _)| (package.clone(), name.clone()))
        .collect();
    let theirs: Vec<(String, String, String)> =
        common::opa_test_outcomes(&opa, &common::repo(), &files, &tests)
            .into_iter()
            .zip(tests)
            .map(|(outcome, (package, name))| (package, name, outcome))
            .collect();
    let differ: Vec<_> = ours
        .iter()
        .zip(&theirs)
        .filter(|(a, b)| a != b)
        .map(|(a, b)| format!("{}.{}: wasmgate {}, OPA {}", a.0, a.1, a.2, b.2))
        .collect();
    assert!(
        differ.is_empty() && ours.len() == theirs.len(),
        "{differ:#?}"
    );
}
