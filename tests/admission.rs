//! Admission policies on the manifests of the PR, end to end through the binary: the input an
//! admission controller gives them, located results, and broken policies refused.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use common::{Sandbox, check_json, run};

/// The example policy of the design this project comes from, verbatim (Rego v0).
const VERBATIM: &str = r#"package apexlogic.wasm.policy

deny[msg] {
input.request.object.kind == "WasmModule"
input.request.object.metadata.annotations["apexlogic.com/max-memory-mb"] != ""
max_memory_mb := to_number(input.request.object.metadata.annotations["apexlogic.com/max-memory-mb"])
input.request.object.spec.memory_limit_mb > max_memory_mb
msg := sprintf("Wasm module '%v' exceeds declared max memory of %vMB. Current: %vMB",
[input.request.object.metadata.name, max_memory_mb, input.request.object.spec.memory_limit_mb])
}

deny[msg] {
input.request.object.kind == "WasmModule"
unauthorized_host_functions := {"fs_write", "network_connect"}
some i
contains(unauthorized_host_functions, input.request.object.spec.imported_functions[i].name)
msg := sprintf("Wasm module '%v' attempts to import unauthorized host function '%v'.",
[input.request.object.metadata.name, input.request.object.spec.imported_functions[i].name])
}
"#;

const MODULE: &str = "apiVersion: wasm.apexlogic.com/v1
kind: WasmModule
metadata:
  name: edge-filter
  annotations:
    apexlogic.com/max-memory-mb: \"64\"
spec:
  memory_limit_mb: 128
  imported_functions:
    - name: fd_write
    - name: fs_write
";

fn fixed() -> String {
    VERBATIM.replace(
        "contains(unauthorized_host_functions, input.request.object.spec.imported_functions[i].name)",
        "unauthorized_host_functions[input.request.object.spec.imported_functions[i].name]",
    )
}

fn sandbox(policy: &str) -> Sandbox {
    let sandbox = Sandbox::new();
    sandbox.wasm("dist/app.wasm", "app");
    sandbox.write("deploy/module.yaml", MODULE);
    // Under the default policies/ path: loaded as an admission policy only.
    sandbox.write("policies/admission/wasm.rego", policy);
    sandbox.write(
        "wasmgate.toml",
        "[admission]\npolicies = [\"policies/admission\"]\nrego_v0 = true\n",
    );
    sandbox
}

/// The line of the verbatim policy's `contains` call.
fn contains_line() -> usize {
    VERBATIM
        .lines()
        .position(|l| l.starts_with("contains("))
        .unwrap()
        + 1
}

#[test]
fn the_verbatim_policy_is_exit_2_at_its_contains_line() {
    let sandbox = sandbox(VERBATIM);
    let (code, _, stderr) =
        run(sandbox
            .cmd()
            .args(["check", "--no-compress", "--no-base", "dist"]));
    assert_eq!(code, 2, "{stderr}");
    let line = contains_line();
    assert!(
        stderr.contains(&format!("policies/admission/wasm.rego:{line}:")),
        "{stderr}"
    );
    // miette wraps the message; the words are checked one line at a time.
    assert!(stderr.contains("`contains` expects (haystack:"), "{stderr}");
    assert!(stderr.contains("rego_type_error"), "{stderr}");
}

/// OPA refuses the call when it compiles the policy; so does wasmgate, even when no object
/// would ever reach the rule (here: no WasmModule at all).
#[test]
fn the_verbatim_policy_is_refused_before_any_object_reaches_it() {
    let sandbox = sandbox(VERBATIM);
    sandbox.write(
        "deploy/module.yaml",
        "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: settings\n",
    );
    let (code, _, stderr) =
        run(sandbox
            .cmd()
            .args(["check", "--no-compress", "--no-base", "dist"]));
    assert_eq!(code, 2, "{stderr}");
    assert!(
        stderr.contains(&format!(
            "policies/admission/wasm.rego:{}:",
            contains_line()
        )),
        "{stderr}"
    );
    assert!(stderr.contains("does not type-check"), "{stderr}");
}

#[test]
fn the_fixed_policy_denies_with_its_own_messages_at_the_object() {
    let sandbox = sandbox(&fixed());
    let (code, report, stderr) = check_json(&sandbox, &["--no-compress", "--no-base", "dist"]);
    assert_eq!(code, 1, "{stderr}");
    let mut messages: Vec<&str> = report
        .findings
        .iter()
        .filter(|f| f.code == "policy-violation")
        .map(|f| f.message.as_str())
        .collect();
    messages.sort();
    let at = "WasmModule edge-filter (deploy/module.yaml:1): ";
    assert_eq!(
        messages,
        [
            format!(
                "{at}Wasm module 'edge-filter' attempts to import unauthorized host function 'fs_write'."
            ),
            format!(
                "{at}Wasm module 'edge-filter' exceeds declared max memory of 64MB. Current: 128MB"
            ),
        ]
    );
    for finding in report
        .findings
        .iter()
        .filter(|f| f.code == "policy-violation")
    {
        let location = finding.location.as_ref().unwrap();
        assert_eq!(
            (location.file.as_str(), location.line),
            ("deploy/module.yaml", 1)
        );
    }
    // Not also a user policy: no policy-not-evaluated for its package.
    assert!(
        !report
            .findings
            .iter()
            .any(|f| f.code == "policy-not-evaluated"),
        "{:?}",
        report.findings
    );
}

#[test]
fn the_review_is_an_admission_review_with_the_bound_artifact() {
    let sandbox = Sandbox::new();
    sandbox.wasm("dist/app.wasm", "app");
    sandbox.write(
        "deploy/app.yaml",
        "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\n  annotations:\n    wasmgate.dev/artifact: dist/app.wasm\nspec: {}\n",
    );
    sandbox.write(
        "admission/review.rego",
        r#"package review
import rego.v1
warn contains msg if {
	r := input.request
	msg := sprintf("%s %s %s/%s %s %s %s dryRun=%v imports=%d", [
		input.apiVersion, r.operation, r.resource.group, r.resource.resource,
		r.kind.kind, r.namespace, r.name, r.dryRun, count(input.wasmgate.artifact.imports),
	])
}
"#,
    );
    sandbox.write("wasmgate.toml", "[admission]\npolicies = [\"admission\"]\n");
    let (code, report, stderr) = check_json(&sandbox, &["--no-compress", "--no-base", "dist"]);
    assert_ne!(code, 2, "{stderr}");
    let warning = report
        .findings
        .iter()
        .find(|f| f.code == "policy-violation")
        .unwrap_or_else(|| panic!("{stderr} {:?}", report.findings));
    let imports = wasmparser::Parser::new(0)
        .parse_all(&common::fixture("app"))
        .filter_map(Result::ok)
        .find_map(|p| match p {
            wasmparser::Payload::ImportSection(reader) => Some(reader.count()),
            _ => None,
        })
        .unwrap_or(0);
    assert_eq!(
        warning.message,
        format!(
            "Deployment web (deploy/app.yaml:1): admission.k8s.io/v1 CREATE apps/deployments Deployment default web dryRun=true imports={imports}"
        )
    );
    assert_eq!(warning.severity.as_str(), "warn");
    assert_eq!(warning.artifact.as_deref(), Some("dist/app.wasm"));
}

/// A result that names the offending field is located at it (SARIF gets that line); a field
/// the object lacks falls back to its nearest parent; a `field` that is no path is exit 2.
#[test]
fn a_result_that_names_a_field_points_at_it() {
    let sandbox = Sandbox::new();
    sandbox.wasm("dist/app.wasm", "app");
    sandbox.write("deploy/module.yaml", MODULE);
    sandbox.write(
        "admission/fields.rego",
        r#"package fields
import rego.v1
deny contains {"msg": "too much memory", "field": "request.object.spec.memory_limit_mb"} if {
	input.request.object.spec.memory_limit_mb > 64
}
deny contains {"msg": "no fs_write", "field": ["spec", "imported_functions", i, "name"]} if {
	some i, f in input.request.object.spec.imported_functions
	f.name == "fs_write"
}
warn contains {"msg": "no owner", "field": "metadata.labels.owner"} if {
	not input.request.object.metadata.labels.owner
}
"#,
    );
    sandbox.write("wasmgate.toml", "[admission]\npolicies = [\"admission\"]\n");
    let (code, report, stderr) = check_json(&sandbox, &["--no-compress", "--no-base", "dist"]);
    assert_eq!(code, 1, "{stderr}");
    let line_of = |text: &str| MODULE.lines().position(|l| l.contains(text)).unwrap() + 1;
    let at = |message: &str| {
        let finding = report
            .findings
            .iter()
            .find(|f| f.message.ends_with(message))
            .unwrap_or_else(|| panic!("{message}: {:?}", report.findings));
        let location = finding.location.as_ref().unwrap();
        (location.file.clone(), location.line, location.column)
    };
    let file = "deploy/module.yaml".to_string();
    assert_eq!(
        at("too much memory"),
        (file.clone(), line_of("memory_limit_mb"), 3)
    );
    assert_eq!(
        at("no fs_write"),
        (file.clone(), line_of("name: fs_write"), 7)
    );
    // No labels at all: the place to add them is metadata.
    assert_eq!(at("no owner"), (file.clone(), line_of("metadata:"), 1));
    let (_, sarif, _) = run(sandbox.cmd().args([
        "check",
        "--no-compress",
        "--no-base",
        "--format",
        "sarif",
        "dist",
    ]));
    let sarif: serde_json::Value = serde_json::from_str(&sarif).unwrap();
    let lines: Vec<u64> = sarif["runs"][0]["results"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|r| r["locations"][0]["physicalLocation"]["region"]["startLine"].as_u64())
        .collect();
    assert!(
        lines.contains(&(line_of("name: fs_write") as u64)),
        "{lines:?}"
    );

    sandbox.write(
        "admission/fields.rego",
        "package fields\nimport rego.v1\ndeny contains {\"msg\": \"x\", \"field\": 7} if true\n",
    );
    let (code, _, stderr) =
        run(sandbox
            .cmd()
            .args(["check", "--no-compress", "--no-base", "dist"]));
    assert_eq!(code, 2, "{stderr}");
    assert!(stderr.contains("`field` is a number"), "{stderr}");
}

#[test]
fn gatekeeper_violations_and_a_missing_policy_path() {
    let sandbox = Sandbox::new();
    sandbox.wasm("dist/app.wasm", "app");
    sandbox.write("deploy/module.yaml", MODULE);
    sandbox.write(
        "gk/limit.rego",
        r#"package k8smaxmemory
violation[{"msg": msg}] {
  input.review.object.spec.memory_limit_mb > input.parameters.max_mb
  msg := sprintf("memory_limit_mb %v is over %v", [input.review.object.spec.memory_limit_mb, input.parameters.max_mb])
}
"#,
    );
    sandbox.write(
        "wasmgate.toml",
        "[admission]\npolicies = [\"gk\"]\nrego_v0 = true\ninput = \"gatekeeper\"\nparameters = { max_mb = 100 }\n",
    );
    let (code, report, stderr) = check_json(&sandbox, &["--no-compress", "--no-base", "dist"]);
    assert_eq!(code, 1, "{stderr}");
    assert!(
        report.findings.iter().any(|f| f.code == "policy-violation"
            && f.message.ends_with("memory_limit_mb 128 is over 100")),
        "{:?}",
        report.findings
    );
    sandbox.write("wasmgate.toml", "[admission]\npolicies = [\"nowhere\"]\n");
    let (code, _, stderr) =
        run(sandbox
            .cmd()
            .args(["check", "--no-compress", "--no-base", "dist"]));
    assert_eq!(
        code, 2,
        "a named admission path that is not there: {stderr}"
    );
}

/// The fixed policy in Rego v1, for the real OPA (whose v1 parser refuses v0).
fn fixed_v1() -> String {
    fixed()
        .replace("deny[msg] {", "deny contains msg if {")
        .replacen(
            "package apexlogic.wasm.policy\n",
            "package apexlogic.wasm.policy\nimport rego.v1\n",
            1,
        )
}

/// The same review through the Go OPA engine (PyPI's bindings, `WASMGATE_OPA_PY`): exactly the
/// messages wasmgate reports.
#[test]
fn decisions_match_the_real_opa() {
    let Some(opa) = std::env::var_os("WASMGATE_OPA_PY") else {
        common::skip("the OPA bindings (WASMGATE_OPA_PY; .ci/run installs them)");
        return;
    };
    let sandbox = sandbox(&fixed());
    let (code, stdout, stderr) = run(sandbox.cmd().args([
        "facts",
        "--no-compress",
        "--no-base",
        "--admission",
        "deploy/module.yaml",
        "dist",
    ]));
    assert_eq!(code, 0, "{stderr}");
    let reviews: serde_json::Value = serde_json::from_str(&stdout).unwrap();
    assert_eq!(reviews.as_array().map(Vec::len), Some(1));
    sandbox.write("review.json", serde_json::to_string(&reviews[0]).unwrap());
    sandbox.write("policy.rego", fixed_v1());
    let script = r#"
import json, sys
sys.path.insert(0, sys.argv[1])
from opa_bindings import OpaEngine
engine = OpaEngine()
engine.add_policy("policy.rego", open("policy.rego").read())
review = json.load(open("review.json"))
result = engine.eval_query("x := data.apexlogic.wasm.policy.deny", review)
print(json.dumps(sorted(result[0]["x"])))
"#;
    let output = std::process::Command::new("python3")
        .current_dir(sandbox.path())
        .args(["-c", script])
        .arg(&opa)
        .output()
        .unwrap();
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let from_opa: Vec<String> = serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!(from_opa.len(), 2, "{from_opa:?}");
    let (_, report, stderr) = check_json(&sandbox, &["--no-compress", "--no-base", "dist"]);
    let at = "WasmModule edge-filter (deploy/module.yaml:1): ";
    let mut ours: Vec<String> = report
        .findings
        .iter()
        .filter(|f| f.code == "policy-violation")
        .filter_map(|f| f.message.strip_prefix(at).map(str::to_string))
        .collect();
    ours.sort();
    assert_eq!(ours, from_opa, "{stderr}");
}

/// The lines of the type errors the Go OPA reports when it compiles `policy` (Rego v1).
fn opa_type_error_lines(opa: &std::ffi::OsStr, sandbox: &Sandbox, policy: &str) -> Vec<usize> {
    sandbox.write("typed.rego", policy);
    let script = r#"
import json, re, sys
sys.path.insert(0, sys.argv[1])
from opa_bindings import OpaEngine
engine = OpaEngine()
try:
    engine.add_policy("typed.rego", open("typed.rego").read())
    engine.eval_query("x := data", {})
    print("[]")
except Exception as error:
    print(json.dumps(sorted(int(n) for n in re.findall(r"typed\.rego:(\d+): rego_type_error", str(error)))))
"#;
    let output = std::process::Command::new("python3")
        .current_dir(sandbox.path())
        .args(["-c", script])
        .arg(opa)
        .output()
        .unwrap();
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    serde_json::from_slice(&output.stdout).unwrap()
}

/// The calls wasmgate refuses before evaluation are calls the Go OPA refuses too, at the same
/// lines; the fixed policy type-checks in both.
#[test]
fn type_errors_match_the_real_opa() {
    let Some(opa) = std::env::var_os("WASMGATE_OPA_PY") else {
        common::skip("the OPA bindings (WASMGATE_OPA_PY; .ci/run installs them)");
        return;
    };
    let sandbox = sandbox(&fixed());
    let v1 = |text: &str| {
        text.replace("deny[msg] {", "deny contains msg if {")
            .replacen(
                "package apexlogic.wasm.policy\n",
                "package apexlogic.wasm.policy\nimport rego.v1\n",
                1,
            )
    };
    let several = r#"package apexlogic.wasm.policy
import rego.v1

k := {"a"}

deny contains msg if {
	startswith(k, "a")
	x := [1]
	y := x
	lower(y)
	count(5)
	msg := sprintf("%v", "a")
}
"#;
    for (policy, expected) in [
        (v1(VERBATIM), vec![contains_line() + 1]),
        (several.to_string(), vec![7, 10, 11, 12]),
        (fixed_v1(), vec![]),
    ] {
        assert_eq!(opa_type_error_lines(&opa, &sandbox, &policy), expected);
        sandbox.write("policies/admission/wasm.rego", &policy);
        sandbox.write(
            "wasmgate.toml",
            "[admission]\npolicies = [\"policies/admission\"]\n",
        );
        let (code, _, stderr) =
            run(sandbox
                .cmd()
                .args(["check", "--no-compress", "--no-base", "dist"]));
        match expected.as_slice() {
            [] => assert_ne!(code, 2, "{stderr}"),
            [first, rest @ ..] => {
                assert_eq!(code, 2, "{stderr}");
                assert!(
                    stderr.contains(&format!("policies/admission/wasm.rego:{first}:")),
                    "{stderr}"
                );
                if !rest.is_empty() {
                    assert!(
                        stderr.contains(&format!("(and {} more type errors)", rest.len())),
                        "{stderr}"
                    );
                }
            }
        }
    }
}

/// A change to an object that exists at the merge-base is an UPDATE with its `oldObject`; a new
/// object is a CREATE.
#[test]
fn a_changed_object_is_an_update_of_its_merge_base_version() {
    let repo = common::GitRepo::new();
    let before = MODULE.replace("memory_limit_mb: 128", "memory_limit_mb: 32");
    repo.commit("deploy", &[("deploy/module.yaml", before.as_bytes())]);
    repo.branch("pr");
    repo.sandbox.wasm("dist/app.wasm", "app");
    let added = "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: extra\n";
    repo.sandbox
        .write("deploy/module.yaml", format!("{MODULE}---\n{added}"));
    let (code, stdout, stderr) = run(repo.cmd().args([
        "facts",
        "--no-compress",
        "--base",
        "main",
        "--admission",
        "deploy/module.yaml",
        "dist",
    ]));
    assert_eq!(code, 0, "{stderr}");
    let reviews: serde_json::Value = serde_json::from_str(&stdout).unwrap();
    let changed = &reviews[0]["request"];
    assert_eq!(changed["operation"], "UPDATE");
    assert_eq!(changed["options"]["kind"], "UpdateOptions");
    assert_eq!(changed["oldObject"]["spec"]["memory_limit_mb"], 32);
    assert_eq!(changed["object"]["spec"]["memory_limit_mb"], 128);
    let new = &reviews[1]["request"];
    assert_eq!(new["operation"], "CREATE");
    assert_eq!(new["oldObject"], serde_json::Value::Null);
}

/// The reviews are what an apiserver sends: they read into kube-core's typed
/// `AdmissionReview` and `AdmissionRequest` (the types admission webhooks in Rust use), and
/// written back from those types they hold every field we wrote with the same value, so no
/// field is unknown or lost. (kube-core writes back a few of its own: `api_version` in a
/// resource, null sub-resources.)
#[test]
fn reviews_are_kube_core_admission_reviews() {
    use kube_core::DynamicObject;
    use kube_core::admission::{AdmissionRequest, AdmissionReview, Operation};
    let repo = common::GitRepo::new();
    repo.commit("deploy", &[("deploy/module.yaml", MODULE.as_bytes())]);
    repo.branch("pr");
    repo.sandbox.wasm("dist/app.wasm", "app");
    let changed = MODULE.replace("memory_limit_mb: 128", "memory_limit_mb: 256");
    let added = "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\n  namespace: edge\nspec: {}\n";
    repo.sandbox
        .write("deploy/module.yaml", format!("{changed}---\n{added}"));
    let (code, stdout, stderr) = run(repo.cmd().args([
        "facts",
        "--no-compress",
        "--base",
        "main",
        "--admission",
        "deploy/module.yaml",
        "dist",
    ]));
    assert_eq!(code, 0, "{stderr}");
    let reviews: Vec<serde_json::Value> = serde_json::from_str(&stdout).unwrap();
    assert_eq!(reviews.len(), 2);
    let mut operations = Vec::new();
    for ours in reviews {
        let typed: AdmissionReview<DynamicObject> =
            serde_json::from_value(ours.clone()).unwrap_or_else(|e| panic!("{e}: {ours:#}"));
        assert_within(&ours, &serde_json::to_value(&typed).unwrap(), "");
        let request: AdmissionRequest<DynamicObject> = typed.try_into().unwrap();
        assert!(request.dry_run);
        assert!(!request.uid.is_empty());
        assert!(request.object.is_some());
        operations.push((
            request.operation,
            request.resource.resource,
            request.namespace,
            request.old_object.is_some(),
        ));
    }
    assert_eq!(
        operations,
        [
            (
                Operation::Update,
                "wasmmodules".to_string(),
                Some("default".to_string()),
                true
            ),
            (
                Operation::Create,
                "deployments".to_string(),
                Some("edge".to_string()),
                false
            ),
        ]
    );
}

/// Every field of `ours` is in `theirs` with the same value.
fn assert_within(ours: &serde_json::Value, theirs: &serde_json::Value, at: &str) {
    match (ours, theirs) {
        (serde_json::Value::Object(ours), serde_json::Value::Object(theirs)) => {
            for (key, value) in ours {
                let path = format!("{at}/{key}");
                let other = theirs.get(key).unwrap_or_else(|| panic!("{path} was lost"));
                assert_within(value, other, &path);
            }
        }
        _ => assert_eq!(ours, theirs, "{at}"),
    }
}
