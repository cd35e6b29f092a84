//! Waivers end to end: an active waiver accepts a deny (shown as waived in every format, SARIF
//! suppressions included), an expired one stops waiving and denies, an unused one warns, the
//! number active is capped, one the PR adds does not govern the PR, and a conftest-style
//! `exception` rule excepts its package's rule.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use common::{GitRepo, Sandbox, run};
use serde_json::Value;

const TODAY: &str = "2026-06-01";

const ACTIVE: &str = r#"
[[waivers]]
code = "signature-missing"
artifact = "dist/*.wasm"
reason = "signing lands with the release pipeline"
owner = "@platform"
expires = "2026-06-30"
ticket = "SEC-42"
"#;

fn config(waivers: &str) -> String {
    format!("[rules]\nsignature-missing = \"deny\"\n{waivers}")
}

fn check(sandbox: &Sandbox, extra: &[&str]) -> (i32, Value, String) {
    let (code, stdout, stderr) = run(sandbox
        .cmd()
        .env("WASMGATE_TODAY", TODAY)
        .args(["check", "--no-compress", "--format", "json"])
        .args(extra));
    (
        code,
        serde_json::from_str(&stdout).unwrap_or(Value::Null),
        stderr,
    )
}

fn findings<'a>(report: &'a Value, code: &str) -> Vec<&'a Value> {
    report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["code"] == code)
        .collect()
}

#[test]
fn an_active_waiver_accepts_a_deny_and_every_format_says_so() {
    let sandbox = Sandbox::new();
    sandbox.wasm("dist/app.wasm", "app");
    sandbox.write("wasmgate.toml", config(ACTIVE));
    let (code, report, stderr) = check(&sandbox, &["--no-base"]);
    assert_eq!(code, 0, "the waived deny does not fail the gate: {stderr}");
    let waived = findings(&report, "signature-missing");
    assert_eq!(waived.len(), 1);
    assert_eq!(waived[0]["severity"], "deny", "it keeps its severity");
    assert_eq!(waived[0]["waived"]["owner"], "@platform");
    assert_eq!(waived[0]["waived"]["expires"], "2026-06-30");
    assert_eq!(waived[0]["waived"]["by"], "waivers[0]");
    assert_eq!(report["summary"]["waived"], 1);

    let (_, human, _) = run(sandbox.cmd().env("WASMGATE_TODAY", TODAY).args([
        "check",
        "--no-compress",
        "--no-base",
    ]));
    assert!(
        human.contains("waived by @platform until 2026-06-30 (waivers[0])"),
        "{human}"
    );
    assert!(human.contains("1 waived"), "{human}");

    let (_, sarif, _) = run(sandbox.cmd().env("WASMGATE_TODAY", TODAY).args([
        "check",
        "--no-compress",
        "--no-base",
        "--format",
        "sarif",
    ]));
    let sarif: Value = serde_json::from_str(&sarif).unwrap();
    let result = sarif["runs"][0]["results"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["ruleId"] == "signature-missing")
        .unwrap();
    assert_eq!(result["suppressions"][0]["kind"], "external");
    assert_eq!(
        result["suppressions"][0]["justification"],
        "signing lands with the release pipeline"
    );
    let schema: Value = serde_json::from_slice(
        &std::fs::read(common::repo().join("tests/data/sarif-2.1.0.json")).unwrap(),
    )
    .unwrap();
    assert!(
        jsonschema::options()
            .build(&schema)
            .unwrap()
            .is_valid(&sarif)
    );

    let (_, markdown, _) = run(sandbox.cmd().env("WASMGATE_TODAY", TODAY).args([
        "check",
        "--no-compress",
        "--no-base",
        "--format",
        "markdown",
    ]));
    assert!(markdown.contains("### Waived (1)"), "{markdown}");
    assert!(!markdown.contains("### Denied"), "{markdown}");

    let (_, junit, _) = run(sandbox.cmd().env("WASMGATE_TODAY", TODAY).args([
        "check",
        "--no-compress",
        "--no-base",
        "--format",
        "junit",
    ]));
    assert!(junit.contains("<skipped message="), "{junit}");
    assert!(junit.contains("failures=\"0\""), "{junit}");
}

#[test]
fn expired_and_unused_waivers_are_findings_and_the_active_count_is_capped() {
    let sandbox = Sandbox::new();
    sandbox.wasm("dist/app.wasm", "app");
    let waivers = format!(
        "{ACTIVE}\n[[waivers]]\ncode = \"signature-missing\"\nreason = \"old\"\nowner = \"@old\"\nexpires = \"2026-05-31\"\n\n[[waivers]]\ncode = \"size-budget-exceeded\"\nreason = \"never matched\"\nowner = \"@web\"\nexpires = \"2026-07-01\"\n"
    );
    sandbox.write("wasmgate.toml", config(&waivers));
    let (code, report, stderr) = check(&sandbox, &["--no-base"]);
    assert_eq!(code, 1, "an expired waiver denies: {stderr}");
    let expired = findings(&report, "waiver-expired");
    assert_eq!(expired.len(), 1);
    assert_eq!(expired[0]["severity"], "deny");
    assert!(
        expired[0]["message"]
            .as_str()
            .unwrap()
            .contains("waivers[1]")
    );
    let unused = findings(&report, "waiver-unused");
    assert_eq!(unused.len(), 1);
    assert_eq!(unused[0]["severity"], "warn");
    assert!(
        unused[0]["message"]
            .as_str()
            .unwrap()
            .contains("waivers[2]")
    );
    // The active one still waives; the expired one waives nothing.
    assert!(findings(&report, "signature-missing")[0]["waived"].is_object());

    sandbox.write(
        "wasmgate.toml",
        config(&format!("[waiver_limits]\nmax_active = 1\n{waivers}")),
    );
    let (_, report, _) = check(&sandbox, &["--no-base"]);
    assert_eq!(findings(&report, "waivers-over-limit").len(), 1);
}

#[test]
fn a_waiver_must_be_owned_dated_and_near() {
    let sandbox = Sandbox::new();
    sandbox.wasm("dist/app.wasm", "app");
    let far = ACTIVE.replace("2026-06-30", "2027-06-30");
    sandbox.write("wasmgate.toml", config(&far));
    let (code, _, stderr) = check(&sandbox, &["--no-base"]);
    assert_eq!(code, 2, "{stderr}");
    assert!(stderr.contains("max_days (90)"), "{stderr}");
    let undated = ACTIVE.replace("expires = \"2026-06-30\"\n", "");
    sandbox.write("wasmgate.toml", config(&undated));
    let (code, _, stderr) = check(&sandbox, &["--no-base"]);
    assert_eq!(code, 2, "{stderr}");
    assert!(stderr.contains("expires"), "{stderr}");
    let bad = ACTIVE.replace("2026-06-30", "next week");
    sandbox.write("wasmgate.toml", config(&bad));
    let (code, _, stderr) = check(&sandbox, &["--no-base"]);
    assert_eq!(code, 2, "{stderr}");
    assert!(stderr.contains("not a date"), "{stderr}");
}

/// Waivers are gate files: the one a PR adds does not waive the PR's own findings.
#[test]
fn a_waiver_the_merge_base_does_not_have_waives_nothing() {
    let repo = GitRepo::new();
    repo.commit(
        "gate",
        &[
            ("dist/app.wasm", &common::fixture("app")),
            ("wasmgate.toml", config("").as_bytes()),
        ],
    );
    repo.branch("pr");
    repo.sandbox.write("wasmgate.toml", config(ACTIVE));
    let (code, report, stderr) = check(&repo.sandbox, &["--base", "main"]);
    assert_eq!(code, 1, "{stderr}");
    assert!(findings(&report, "signature-missing")[0]["waived"].is_null());
    // Landed on main, it waives.
    repo.commit_all("waive until the pipeline signs");
    repo.branch("main");
    repo.branch("pr");
    let (code, report, stderr) = check(&repo.sandbox, &["--base", "main"]);
    assert_eq!(code, 0, "{stderr}");
    assert!(findings(&report, "signature-missing")[0]["waived"].is_object());
}

#[test]
fn a_conftest_exception_rule_excepts_its_packages_rule() {
    let sandbox = Sandbox::new();
    sandbox.wasm("dist/app.wasm", "app");
    sandbox.write(
        "policies/team.rego",
        r#"package wasmgate

import rego.v1

deny_big contains msg if {
	some a in input.artifacts
	a.size.raw > 1
	msg := sprintf("%s is big", [a.path])
}

deny_other contains "always" if true

exception contains ["big"] if true
"#,
    );
    let (code, report, stderr) = check(&sandbox, &["--no-base"]);
    assert_eq!(code, 1, "deny_other still denies: {stderr}");
    let big = report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["message"] == "dist/app.wasm is big")
        .unwrap();
    assert_eq!(big["waived"]["owner"], "policy");
    let other = report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["message"] == "always")
        .unwrap();
    assert!(other["waived"].is_null());
}

#[test]
fn waivers_lists_each_with_the_days_it_has_left() {
    let sandbox = Sandbox::new();
    sandbox.wasm("dist/app.wasm", "app");
    let waivers = format!(
        "{ACTIVE}\n[[waivers]]\ncode = \"cost-risk\"\nobject = \"Deployment/web\"\nreason = \"old\"\nowner = \"@old\"\nexpires = \"2026-05-31\"\n"
    );
    sandbox.write("wasmgate.toml", config(&waivers));
    let (code, stdout, stderr) = run(sandbox
        .cmd()
        .env("WASMGATE_TODAY", TODAY)
        .args(["waivers", "--no-base"]));
    assert_eq!(code, 0, "{stderr}");
    let lines: Vec<&str> = stdout.lines().collect();
    assert!(lines[0].starts_with("#  code"), "{stdout}");
    // 2026-06-01 to 2026-06-30: 29 days.
    assert!(
        lines[1].contains("signature-missing") && lines[1].contains("29 days"),
        "{stdout}"
    );
    assert!(lines[1].contains("SEC-42"), "{stdout}");
    assert!(
        lines[2].contains("(Deployment/web)") && lines[2].contains("expired"),
        "{stdout}"
    );
}
