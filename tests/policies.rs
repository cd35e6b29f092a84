//! User policies through the real binary: Rego conventions, namespaces, v0/v1, data from the
//! config, and policies that fail to compile, error at runtime or run away (all exit 2).
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::print_stdout)]

mod common;

use common::{Sandbox, check_json, has, run};
use wasmgate::report::Severity;

fn sandbox(policy: &str) -> Sandbox {
    let sandbox = Sandbox::new();
    sandbox.wasm("dist/app.wasm", "app");
    sandbox.write("policies/team.rego", policy);
    sandbox
}

#[test]
fn deny_warn_violation_and_named_rules() {
    let sandbox = sandbox(
        r#"package wasmgate

import rego.v1

deny contains "plain string deny" if true

warn contains {"msg": "an object warn", "code": "team-warning", "artifact": "dist/app.wasm", "details": {"n": 1}} if true

violation contains {"msg": "a violation"} if true

deny_exports contains msg if {
	some a in input.artifacts
	count(a.exports) > 2
	msg := sprintf("%s exports %d items", [a.path, count(a.exports)])
}

warn_never contains "never" if false

helper := 42
"#,
    );
    let (code, report, _) = check_json(&sandbox, &[]);
    assert_eq!(code, 1);
    let user: Vec<_> = report
        .findings
        .iter()
        .filter(|f| f.code == "policy-violation" || f.code == "team-warning")
        .map(|f| (f.code.as_str(), f.severity, f.message.as_str()))
        .collect();
    assert_eq!(
        user,
        [
            ("policy-violation", Severity::Deny, "a violation"),
            (
                "policy-violation",
                Severity::Deny,
                "dist/app.wasm exports 3 items"
            ),
            ("policy-violation", Severity::Deny, "plain string deny"),
            ("team-warning", Severity::Warn, "an object warn"),
        ]
    );
    let warning = common::finding(&report, "team-warning");
    assert_eq!(warning.artifact.as_deref(), Some("dist/app.wasm"));
    assert_eq!(warning.details.as_ref().unwrap()["n"], 1);
}

#[test]
fn user_codes_can_be_overridden() {
    let sandbox = sandbox(
        "package wasmgate\n\nimport rego.v1\n\ndeny contains {\"msg\": \"nope\", \"code\": \"team-rule\"} if true\n",
    );
    assert_eq!(check_json(&sandbox, &[]).0, 1);
    sandbox.write("wasmgate.toml", "[rules]\nteam-rule = \"warn\"\n");
    let (code, report, _) = check_json(&sandbox, &[]);
    assert_eq!(code, 0);
    assert!(has(&report, "team-rule", None));
}

#[test]
fn namespaces_select_packages() {
    let sandbox =
        sandbox("package main\n\nimport rego.v1\n\ndeny contains \"from main\" if true\n");
    let (code, report, _) = check_json(&sandbox, &[]);
    assert_eq!(code, 0, "package main is not in the default namespace");
    let skipped = common::finding(&report, "policy-not-evaluated");
    assert!(skipped.message.contains("`main`"));
    assert_eq!(
        skipped.location.as_ref().unwrap().file,
        "policies/team.rego"
    );
    assert_eq!(check_json(&sandbox, &["--namespace", "main"]).0, 1);
    assert_eq!(check_json(&sandbox, &["--all-namespaces"]).0, 1);
    sandbox.write("wasmgate.toml", "[policy]\nnamespaces = [\"main\"]\n");
    assert_eq!(check_json(&sandbox, &[]).0, 1);
}

/// A helper package outside the namespaces runs when an evaluated rule uses it through `data`
/// (by import, by reference, transitively), so only packages nothing reaches are reported.
#[test]
fn helpers_used_through_data_are_evaluated() {
    let sandbox = sandbox(
        "package wasmgate\n\nimport rego.v1\nimport data.lib.naming\n\ndeny contains msg if {\n\tsome a in input.artifacts\n\tnaming.bad(a.path)\n\tmsg := sprintf(\"%s: bad name\", [a.path])\n}\n",
    );
    sandbox.write(
        "policies/lib/naming.rego",
        "package lib.naming\n\nimport rego.v1\n\nbad(path) if data.lib.words.banned[_] == path\n",
    );
    sandbox.write(
        "policies/lib/words.rego",
        "package lib.words\n\nbanned := [\"dist/app.wasm\"]\n",
    );
    sandbox.write(
        "policies/lib/unused.rego",
        "package lib.unused\n\nimport rego.v1\n\ndeny contains \"never runs\" if true\n",
    );
    let (code, report, _) = check_json(&sandbox, &[]);
    assert_eq!(code, 1, "the helpers ran: {report:?}");
    assert!(has(&report, "policy-violation", None));
    let skipped: Vec<_> = report
        .findings
        .iter()
        .filter(|f| f.code == "policy-not-evaluated")
        .map(|f| f.location.as_ref().unwrap().file.as_str())
        .collect();
    assert_eq!(skipped, ["policies/lib/unused.rego"]);
}

#[test]
fn policy_flag_adds_files_and_must_exist() {
    let sandbox = Sandbox::new();
    sandbox.wasm("dist/app.wasm", "app");
    sandbox.write(
        "rules/extra.rego",
        "package wasmgate\n\nimport rego.v1\n\ndeny contains \"extra\" if true\n",
    );
    sandbox.write("rules/extra_test.rego", "package wasmgate\n\nimport rego.v1\n\ndeny contains \"test files are not loaded\" if true\n");
    let (code, report, _) = check_json(&sandbox, &["--policy", "rules"]);
    assert_eq!(code, 1);
    let messages: Vec<_> = report
        .findings
        .iter()
        .filter(|f| f.code == "policy-violation")
        .map(|f| f.message.as_str())
        .collect();
    assert_eq!(messages, ["extra"]);
    let (code, _, stderr) = run(sandbox.cmd().args(["check", "--policy", "missing/"]));
    assert_eq!(code, 2);
    assert!(stderr.contains("missing/ does not exist"), "{stderr}");
}

#[test]
fn policy_data_comes_from_the_config() {
    let sandbox = sandbox(
        "package wasmgate\n\nimport rego.v1\n\ndeny contains msg if {\n\tsome a in input.artifacts\n\ta.size.raw > data.limits.raw\n\tmsg := sprintf(\"%s is over %d\", [a.path, data.limits.raw])\n}\n",
    );
    sandbox.write("wasmgate.toml", "[policy.data.limits]\nraw = 10\n");
    let (code, report, _) = check_json(&sandbox, &["--no-compress"]);
    assert_eq!(code, 1);
    assert!(
        report
            .findings
            .iter()
            .any(|f| f.message == "dist/app.wasm is over 10")
    );
    sandbox.write("wasmgate.toml", "[policy.data.limits]\nraw = 100000\n");
    assert_eq!(check_json(&sandbox, &["--no-compress"]).0, 0);
}

const V0_POLICY: &str = "package wasmgate\n\ndeny[msg] {\n  input.artifacts[_].size.raw > 1\n  msg := \"v0 style\"\n}\n";

#[test]
fn rego_v1_by_default_and_v0_on_request() {
    let sandbox = sandbox(V0_POLICY);
    let (code, _, stderr) = run(sandbox.cmd().arg("check"));
    assert_eq!(code, 2);
    assert!(stderr.contains("does not compile"), "{stderr}");
    assert!(stderr.contains("policies/team.rego:3"), "{stderr}");
    assert!(stderr.contains("--rego-v0"), "{stderr}");
    let (code, report, _) = check_json(&sandbox, &["--rego-v0"]);
    assert_eq!(code, 1);
    assert!(report.findings.iter().any(|f| f.message == "v0 style"));
    sandbox.write("wasmgate.toml", "[policy]\nrego_v0 = true\n");
    assert_eq!(check_json(&sandbox, &[]).0, 1);
    // A v1 file with a typo is a syntax error, not a v0 file: no --rego-v0 advice.
    sandbox.write("wasmgate.toml", "");
    sandbox.write(
        "policies/team.rego",
        "package wasmgate\n\nimport rego.v1\n\ndeny contains msg if {\n\tmsg := \"x\"\n\n",
    );
    let (code, _, stderr) = run(sandbox.cmd().arg("check"));
    assert_eq!(code, 2);
    assert!(stderr.contains("does not compile"), "{stderr}");
    assert!(!stderr.contains("--rego-v0"), "{stderr}");
    assert!(stderr.contains("fix the syntax"), "{stderr}");
}

#[test]
fn v0_builtin_type_error_is_exit_2_at_file_line_col() {
    // The argument's type is known only when the call runs: regorus reports it then.
    let sandbox = sandbox(
        "package wasmgate\n\ndeny[msg] {\n  x := count(input.artifacts[0].size.raw)\n  msg := sprintf(\"%v\", [x])\n}\n",
    );
    let (code, stdout, stderr) = run(sandbox.cmd().args(["check", "--rego-v0"]));
    assert_eq!(code, 2, "{stdout}");
    assert!(stderr.contains("policies/team.rego:4:37"), "{stderr}");
    assert!(stderr.contains("`count` requires"), "{stderr}");
    assert!(
        stderr.contains("count(input.artifacts[0].size.raw)"),
        "the labelled line is shown:\n{stderr}"
    );
    assert!(!stdout.contains("pass"));
}

/// A literal of the wrong type is refused before evaluation, as OPA's compiler does.
#[test]
fn a_literal_of_the_wrong_type_is_refused_before_evaluation() {
    let sandbox = sandbox(
        "package wasmgate\n\ndeny[msg] {\n  input.never_there\n  x := count(5)\n  msg := sprintf(\"%v\", [x])\n}\n",
    );
    let (code, stdout, stderr) = run(sandbox.cmd().args(["check", "--rego-v0"]));
    assert_eq!(code, 2, "{stdout}");
    assert!(stderr.contains("policies/team.rego:5:8"), "{stderr}");
    assert!(stderr.contains("does not type-check"), "{stderr}");
}

#[test]
fn v1_runtime_error_is_exit_2_never_a_pass() {
    let sandbox = sandbox(
        "package wasmgate\n\nimport rego.v1\n\ndeny contains msg if {\n\tn := to_number(\"not a number\")\n\tn > 1\n\tmsg := \"unreachable\"\n}\n",
    );
    let (code, report, stderr) = check_json(&sandbox, &[]);
    assert_eq!(code, 2, "{stderr}");
    assert_eq!(report.verdict, wasmgate::report::Verdict::Error);
    assert_eq!(
        report.error.unwrap().code.as_deref(),
        Some("wasmgate::policy::eval")
    );
    assert!(stderr.contains("policies/team.rego:6"), "{stderr}");
}

#[test]
fn runaway_policy_hits_the_time_limit() {
    let sandbox = sandbox(
        "package wasmgate\n\nimport rego.v1\n\ndeny contains msg if {\n\tsome i in numbers.range(1, 4000)\n\tsome j in numbers.range(1, 4000)\n\ti * j < 0\n\tmsg := \"never\"\n}\n",
    );
    sandbox.write("wasmgate.toml", "[policy]\ntimeout_ms = 200\n");
    let (code, _, stderr) = run(sandbox.cmd().args(["check", "--no-compress"]));
    assert_eq!(code, 2, "{stderr}");
    assert!(
        stderr.contains("exceeded the 200 ms time limit"),
        "{stderr}"
    );
}

/// One builtin call cannot be interrupted, so a range larger than a call may build under the
/// limit (500 elements per ms of it) is refused before it starts; a smaller one is built.
#[test]
fn one_long_builtin_call_is_bounded_by_the_time_limit() {
    let sandbox = sandbox(
        "package wasmgate\n\nimport rego.v1\n\ndeny contains msg if {\n\tn := count(numbers.range(1, 1e8))\n\tmsg := sprintf(\"%d\", [n])\n}\n",
    );
    sandbox.write("wasmgate.toml", "[policy]\ntimeout_ms = 2000\n");
    let (code, _, stderr) = run(sandbox.cmd().args(["check", "--no-compress"]));
    assert_eq!(code, 2, "{stderr}");
    let cap = 2000 * 500;
    assert!(
        stderr.contains(&format!(
            "numbers.range would build 100000000 elements, more than the {cap}"
        )),
        "{stderr}"
    );
    assert!(stderr.contains("policies/team.rego:6"), "{stderr}");
    // Counting down by a step, just under the cap: built, and OPA's length.
    let (from, to, step) = (2 * cap - 1, 0, 2);
    sandbox.write(
        "policies/team.rego",
        format!(
            "package wasmgate\n\nimport rego.v1\n\ndeny contains msg if {{\n\tr := numbers.range_step({from}, {to}, {step})\n\tmsg := sprintf(\"%d %d\", [count(r), r[count(r) - 1]])\n}}\n"
        ),
    );
    let (code, report, _) = check_json(&sandbox, &[]);
    assert_eq!(code, 1);
    let finding = common::finding(&report, "policy-violation");
    assert_eq!(
        finding.message,
        format!("{} {}", (from - to) / step + 1, from % step)
    );
}

#[test]
fn unreadable_results_are_exit_2() {
    let sandbox = sandbox("package wasmgate\n\nimport rego.v1\n\ndeny contains 5 if true\n");
    let (code, _, stderr) = run(sandbox.cmd().arg("check"));
    assert_eq!(code, 2);
    assert!(stderr.contains("wasmgate::policy::result"), "{stderr}");
    sandbox.write("policies/team.rego", "package wasmgate\n\nimport rego.v1\n\ndeny contains {\"message\": \"no msg key\"} if true\n");
    let (code, _, stderr) = run(sandbox.cmd().arg("check"));
    assert_eq!(code, 2);
    assert!(stderr.contains("no `msg`"), "{stderr}");
}

#[test]
fn builtins_can_be_turned_off_but_validity_stays_on() {
    let sandbox = Sandbox::new();
    sandbox.wasm("dist/debug.wasm", "debug");
    sandbox.write(
        "wasmgate.toml",
        "[policy]\nbuiltin = false\n\n[exports]\nmax = 0\n",
    );
    let (code, report, _) = check_json(&sandbox, &[]);
    assert_eq!(code, 0);
    assert!(report.findings.is_empty(), "{report:#?}");
    sandbox.wasm("dist/bad.wasm", "invalid");
    let (code, report, _) = check_json(&sandbox, &[]);
    assert_eq!(code, 1);
    assert!(has(&report, "wasm-invalid", Some("dist/bad.wasm")));
    sandbox.write("wasmgate.toml", "[rules]\nwasm-invalid = \"allow\"\n");
    let (code, _, stderr) = run(sandbox.cmd().arg("check"));
    assert_eq!(code, 2);
    assert!(stderr.contains("cannot be overridden"), "{stderr}");
}

/// Compile errors are said to be compile errors: an unsafe variable, and a call to a function
/// that does not exist, named, even on a path no input reaches.
#[test]
fn unsafe_variables_and_unknown_functions_are_compile_errors() {
    let sandbox =
        sandbox("package wasmgate\n\nimport rego.v1\n\ndeny contains msg if {\n\tmsg := y\n}\n");
    let (code, _, stderr) = run(sandbox.cmd().arg("check"));
    assert_eq!(code, 2, "{stderr}");
    assert!(stderr.contains("policies/team.rego:6:"), "{stderr}");
    assert!(stderr.contains("variable `y` is unsafe"), "{stderr}");
    assert!(stderr.contains("wasmgate::policy::unsafe_var"), "{stderr}");
    assert!(!stderr.contains("builtin errors are strict"), "{stderr}");

    sandbox.write(
        "policies/team.rego",
        "package wasmgate\n\nimport rego.v1\n\ndeny contains msg if {\n\tinput.never_there\n\tmsg := sprintff(\"%v\", [1])\n}\n",
    );
    let (code, _, stderr) = run(sandbox.cmd().arg("check"));
    assert_eq!(code, 2, "{stderr}");
    assert!(stderr.contains("policies/team.rego:7:"), "{stderr}");
    assert!(stderr.contains("`sprintff`"), "{stderr}");
    assert!(stderr.contains("did you mean `sprintf`?"), "{stderr}");
}
