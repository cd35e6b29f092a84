//! User rules are first-class: OPA METADATA gives them a code, severity, help and docs that
//! findings, `[rules]`, `explain` and SARIF use, and every user finding points at its rule.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use common::{Sandbox, check_json, run};
use serde_json::Value;

const POLICY: &str = r#"package wasmgate

import rego.v1

# METADATA
# title: No debug bindings
# description: Debug builds of wasm-bindgen import helpers a release must not ship.
# custom:
#   code: debug-bindings
#   severity: warn
#   help: Build with --release.
deny contains msg if {
	some a in input.artifacts
	a.size.raw > 1
	msg := sprintf("%s looks like a debug build", [a.path])
}

warn_plain contains "plain warning" if true
"#;

fn sandbox() -> Sandbox {
    let sandbox = Sandbox::new();
    sandbox.wasm("dist/app.wasm", "app");
    sandbox.write("policies/team.rego", POLICY);
    sandbox
}

fn line_of(text: &str) -> usize {
    POLICY.lines().position(|l| l.starts_with(text)).unwrap() + 1
}

#[test]
fn metadata_gives_a_user_rule_its_code_severity_help_and_location() {
    let sandbox = sandbox();
    let (code, report, stderr) = check_json(&sandbox, &["--no-compress", "--no-base"]);
    assert_ne!(code, 2, "{stderr}");
    let finding = report
        .findings
        .iter()
        .find(|f| f.message == "dist/app.wasm looks like a debug build")
        .unwrap();
    assert_eq!(finding.code, "debug-bindings");
    assert_eq!(
        finding.severity.as_str(),
        "warn",
        "custom.severity wins over deny"
    );
    assert_eq!(finding.help.as_deref(), Some("Build with --release."));
    let location = finding.location.as_ref().unwrap();
    assert_eq!(
        (location.file.as_str(), location.line),
        ("policies/team.rego", line_of("deny contains"))
    );
    // Without METADATA: the generic code, still at its rule.
    let plain = report
        .findings
        .iter()
        .find(|f| f.message == "plain warning")
        .unwrap();
    assert_eq!(plain.code, "policy-violation");
    assert_eq!(plain.location.as_ref().unwrap().line, line_of("warn_plain"));

    // [rules] accepts the declared code.
    sandbox.write("wasmgate.toml", "[rules]\ndebug-bindings = \"deny\"\n");
    let (code, report, stderr) = check_json(&sandbox, &["--no-compress", "--no-base"]);
    assert_eq!(code, 1, "{stderr}");
    assert!(
        report
            .findings
            .iter()
            .any(|f| f.code == "debug-bindings" && f.severity.as_str() == "deny")
    );
}

#[test]
fn explain_and_sarif_know_the_user_code() {
    let sandbox = sandbox();
    let (code, stdout, stderr) = run(sandbox.cmd().args(["explain", "debug-bindings"]));
    assert_eq!(code, 0, "{stderr}");
    assert!(stdout.contains("No debug bindings"), "{stdout}");
    assert!(stdout.contains("Debug builds of wasm-bindgen"), "{stdout}");
    assert!(
        stdout.contains("What to do: Build with --release."),
        "{stdout}"
    );
    assert!(
        stdout.contains(&format!("policies/team.rego:{}", line_of("deny contains"))),
        "{stdout}"
    );
    let (_, sarif, _) =
        run(sandbox
            .cmd()
            .args(["check", "--no-compress", "--no-base", "--format", "sarif"]));
    let sarif: Value = serde_json::from_str(&sarif).unwrap();
    let rule = sarif["runs"][0]["tool"]["driver"]["rules"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["id"] == "debug-bindings")
        .unwrap();
    assert_eq!(rule["shortDescription"]["text"], "No debug bindings");
    assert_eq!(rule["help"]["text"], "Build with --release.");
    let (code, _, _) = run(sandbox.cmd().args(["explain", "no-such-code"]));
    assert_eq!(code, 2);
}
