//! `wasmgate test`: OPA-style Rego unit tests through the binary, on policies and tests written
//! here, with exit codes, `-v`, JSON, coverage and its threshold; the same files through the Go
//! OPA must give the same outcome test by test.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use common::{Sandbox, run};
use serde_json::Value;

const POLICY: &str = r#"package limits

import rego.v1

deny contains msg if {
	input.memory_mb > 64
	msg := sprintf("too much memory: %d", [input.memory_mb])
}

allowed_hosts := {"env.now"}

denied_import contains name if {
	some name in input.imports
	not allowed_hosts[name]
}

conflict := 1 if input.conflict

conflict := 2 if input.conflict

never_tested := true if {
	input.never
	input.only_after_never
}
"#;

const TESTS: &str = r#"package limits_test

import rego.v1
import data.limits

test_denies_128 if {
	count(limits.deny) == 1 with input as {"memory_mb": 128}
}

test_allows_32 if {
	count(limits.deny) == 0 with input as {"memory_mb": 32}
}

test_mocked_data if {
	count(limits.denied_import) == 0 with input as {"imports": ["env.now", "env.log"]}
		with data.limits.allowed_hosts as {"env.now", "env.log"}
}

test_wrong_count if {
	count(limits.deny) == 2 with input as {"memory_mb": 128}
}

test_builtin_error_fails if {
	to_number("x") == 1
}

test_conflict_errors if {
	limits.conflict == 1 with input as {"conflict": true}
}

todo_test_later if {
	false
}
"#;

fn sandbox() -> Sandbox {
    let sandbox = Sandbox::new();
    sandbox.write("policies/limits.rego", POLICY);
    sandbox.write("policies/limits_test.rego", TESTS);
    sandbox
}

/// (name, outcome) of every test in a JSON report, in order.
fn outcomes(report: &Value) -> Vec<(String, String)> {
    report["tests"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| {
            (
                t["name"].as_str().unwrap().to_string(),
                t["outcome"].as_str().unwrap().to_string(),
            )
        })
        .collect()
}

const EXPECTED: [(&str, &str); 7] = [
    ("test_denies_128", "pass"),
    ("test_allows_32", "pass"),
    ("test_mocked_data", "pass"),
    ("test_wrong_count", "fail"),
    ("test_builtin_error_fails", "fail"),
    ("test_conflict_errors", "error"),
    ("todo_test_later", "skip"),
];

#[test]
fn each_test_passes_fails_errors_or_is_skipped_and_the_exit_says_the_worst() {
    let sandbox = sandbox();
    let (code, stdout, stderr) = run(sandbox.cmd().args(["test", "--format", "json"]));
    assert_eq!(code, 2, "an erroring test is exit 2: {stderr}");
    let report: Value = serde_json::from_str(&stdout).unwrap();
    let expected: Vec<(String, String)> = EXPECTED
        .iter()
        .map(|(n, o)| ((*n).to_string(), (*o).to_string()))
        .collect();
    assert_eq!(outcomes(&report), expected);
    assert_eq!(report["summary"]["pass"], 3);
    assert_eq!(report["summary"]["fail"], 2);
    let builtin = &report["tests"][4];
    assert!(
        builtin["message"].as_str().unwrap().contains("undefined: "),
        "the builtin error is shown: {builtin}"
    );
    assert_eq!(report["tests"][0]["file"], "policies/limits_test.rego");
    assert_eq!(report["tests"][0]["line"], 6);

    // Without the erroring test: exit 1; -v lists the passes too.
    sandbox.write(
        "policies/limits_test.rego",
        TESTS.replace("limits.conflict == 1", "true"),
    );
    let (code, stdout, _) = run(sandbox.cmd().args(["test"]));
    assert_eq!(code, 1);
    let line = TESTS
        .lines()
        .position(|l| l.starts_with("test_wrong_count"))
        .unwrap()
        + 1;
    assert!(
        stdout.contains(&format!(
            "data.limits_test.test_wrong_count (line {line}): FAIL"
        )),
        "{stdout}"
    );
    assert!(!stdout.contains("test_denies_128"), "{stdout}");
    assert!(
        stdout.contains("PASS: 4/7\nFAIL: 2/7\nSKIPPED: 1/7\n"),
        "{stdout}"
    );
    let (_, verbose, _) = run(sandbox.cmd().args(["test", "-v"]));
    assert!(
        verbose.contains("data.limits_test.test_denies_128 (line 6): PASS"),
        "{verbose}"
    );

    // Only passing tests: exit 0.
    sandbox.write(
        "policies/limits_test.rego",
        TESTS
            .replace("limits.conflict == 1", "true")
            .replace("count(limits.deny) == 2", "count(limits.deny) == 1")
            .replace("to_number(\"x\") == 1", "to_number(\"1\") == 1"),
    );
    assert_eq!(run(sandbox.cmd().args(["test"])).0, 0);
}

#[test]
fn coverage_per_file_and_its_threshold() {
    let sandbox = sandbox();
    sandbox.write(
        "policies/limits_test.rego",
        TESTS.replace("limits.conflict == 1", "true"),
    );
    let (_, stdout, _) = run(sandbox
        .cmd()
        .args(["test", "--coverage", "--format", "json"]));
    let report: Value = serde_json::from_str(&stdout).unwrap();
    let files = report["coverage"].as_array().unwrap();
    assert_eq!(files.len(), 1, "test files are not counted: {files:#?}");
    let file = &files[0];
    assert_eq!(file["file"], "policies/limits.rego");
    let covered = file["covered"].as_f64().unwrap();
    let missed: Vec<u64> = file["not_covered"]
        .as_array()
        .unwrap()
        .iter()
        .map(|l| l.as_u64().unwrap())
        .collect();
    let line_of = |text: &str| POLICY.lines().position(|l| l.contains(text)).unwrap() as u64 + 1;
    assert!(missed.contains(&line_of("only_after_never")), "{missed:?}");
    assert!(!missed.contains(&line_of("too much memory")), "{missed:?}");
    let percent = (covered * 1000.0 / (covered + missed.len() as f64)).round() / 10.0;
    assert_eq!(file["percent"].as_f64(), Some(percent));
    assert_eq!(report["coverage_percent"].as_f64(), Some(percent));

    let passing = TESTS
        .replace("limits.conflict == 1", "true")
        .replace("count(limits.deny) == 2", "count(limits.deny) == 1")
        .replace("to_number(\"x\") == 1", "to_number(\"1\") == 1");
    sandbox.write("policies/limits_test.rego", passing);
    let (code, stdout, stderr) =
        run(sandbox
            .cmd()
            .args(["test", "--coverage", "--threshold", "100"]));
    assert_eq!(code, 1, "below the threshold: {stdout}");
    assert!(stderr.contains("below --threshold 100%"), "{stderr}");
    assert!(
        stdout.contains(&format!("coverage: {percent:.1}%")),
        "{stdout}"
    );
    let (code, _, _) = run(sandbox
        .cmd()
        .args(["test", "--coverage", "--threshold", "10"]));
    assert_eq!(code, 0);
}

#[test]
fn a_file_that_does_not_compile_is_exit_2_at_its_line() {
    let sandbox = sandbox();
    sandbox.write(
        "policies/broken_test.rego",
        "package broken_test\n\nimport rego.v1\n\ntest_x if {\n\tcount(\n}\n",
    );
    let (code, _, stderr) = run(sandbox.cmd().args(["test"]));
    assert_eq!(code, 2, "{stderr}");
    assert!(stderr.contains("policies/broken_test.rego:"), "{stderr}");
    let (code, _, stderr) = run(sandbox.cmd().args(["test", "policies/missing"]));
    assert_eq!(code, 2, "{stderr}");
}

/// The same files through the Go OPA: each test passes, fails or errors the same way.
#[test]
fn outcomes_match_the_real_opa() {
    let Some(opa) = std::env::var_os("WASMGATE_OPA_PY") else {
        common::skip("the OPA bindings (WASMGATE_OPA_PY; .ci/run installs them)");
        return;
    };
    let sandbox = sandbox();
    let (_, stdout, _) = run(sandbox.cmd().args(["test", "--format", "json"]));
    let ours = outcomes(&serde_json::from_str(&stdout).unwrap());
    let tests: Vec<(String, String)> = ours
        .iter()
        .map(|(name, _)| ("data.limits_test".to_string(), name.clone()))
        .collect();
    let files = ["policies/limits.rego", "policies/limits_test.rego"].map(String::from);
    let theirs: Vec<(String, String)> =
        common::opa_test_outcomes(&opa, sandbox.path(), &files, &tests)
            .into_iter()
            .zip(&ours)
            .map(|(outcome, (name, _))| {
                // Errors are compared as errors; their texts differ between engines.
                let outcome = if outcome.starts_with("error") {
                    "error".to_string()
                } else {
                    outcome
                };
                (name.clone(), outcome)
            })
            .collect();
    assert_eq!(ours, theirs);
}

/// A FinOps rule that asks `data.ai_predictions` is testable: the built-in package is there
/// as in a run, prices nothing, and takes a mock.
#[test]
fn cost_risk_questions_are_unpriced_and_mockable() {
    let sandbox = Sandbox::new();
    sandbox.write(
        "policies/finops.rego",
        "package wasmgate\n\nimport data.ai_predictions\nimport rego.v1\n\ndeny contains image if {\n\tsome image in input.images\n\tai_predictions.get_cost_risk(image, \"2Gi\").score > 0.8\n}\n",
    );
    sandbox.write(
        "policies/finops_test.rego",
        "package wasmgate_test\n\nimport data.wasmgate\nimport rego.v1\n\ntest_risky_is_denied if {\n\twasmgate.deny == {\"api\"} with input as {\"images\": [\"api\"]} with data.ai_predictions.get_cost_risk as {\"score\": 0.9}\n}\n\ntest_calm_passes if {\n\tcount(wasmgate.deny) == 0 with input as {\"images\": [\"api\"]} with data.ai_predictions.get_cost_risk as {\"score\": 0.2}\n}\n\ntest_unpriced_is_undefined if {\n\tcount(wasmgate.deny) == 0 with input as {\"images\": [\"api\"]}\n}\n",
    );
    let (code, stdout, stderr) =
        run(sandbox
            .cmd()
            .args(["test", "--format", "json", "--coverage"]));
    assert_eq!(code, 0, "{stdout}{stderr}");
    let report: Value = serde_json::from_str(&stdout).unwrap();
    assert_eq!(report["summary"]["pass"], 3);
    let files: Vec<&str> = report["coverage"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["file"].as_str().unwrap())
        .collect();
    assert_eq!(files, ["policies/finops.rego"]);
}
