//! What running the artifacts costs, end to end through the binary: the seed FinOps policy of
//! the design (verbatim, Rego v0) on a Deployment bound to a real module, `[[finops.compute]]`
//! figures checked against arithmetic done here, the merge-base change, the history of
//! declared resources, the provisioned model, and questions nothing can answer.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use common::{GitRepo, Sandbox, check_json, has, run};
use serde_json::Value;

/// The seed policy, verbatim, without its mock `ai_predictions := {…}` block.
const SEED: &str = r#"package apexlogic.finops.cost_guard
import data.serverless_config
import data.ai_predictions
# Policy to prevent high-cost serverless deployments
deny[msg] {
some i
input.kind == "Deployment"
input.metadata.labels["app.kubernetes.io/component"] == "serverless-function"
serverless_config := input.spec.template.spec.containers[i]
# Get AI-driven cost risk prediction for this function type
ai_cost_risk := ai_predictions.get_cost_risk(serverless_config.image, serverless_config.resources)
ai_cost_risk.score > 0.8 # High risk threshold
ai_cost_risk.predicted_monthly_cost > 1000 # Exceeds a hard cap
msg := sprintf("Deployment denied: AI-driven FinOps policy detected high cost risk (score: %v, predicted: $%v/month) for serverless function '%v'. Review resource allocation or request exception.", [ai_cost_risk.score, ai_cost_risk.predicted_monthly_cost, serverless_config.name])
}
"#;

const CONFIG: &str = r#"[admission]
policies = ["policies/admission"]
rego_v0 = true
input = "object"

[[finops.compute]]
artifacts = "dist/fn.wasm"
invocations_per_month = 200000000
duration_ms = 200
"#;

fn deployment(memory: &str, image: &str) -> String {
    format!(
        "apiVersion: apps/v1
kind: Deployment
metadata:
  name: edge-fn
  labels:
    app.kubernetes.io/component: serverless-function
  annotations:
    wasmgate.dev/artifact: dist/fn.wasm
spec:
  replicas: 2
  template:
    spec:
      runtimeClassName: wasmtime
      containers:
        - name: fn
          image: {image}
          resources:
            limits:
              memory: {memory}
"
    )
}

fn function() -> Vec<u8> {
    wat::parse_str(r#"(module (memory (export "memory") 1 16) (func (export "handle")))"#).unwrap()
}

/// A repository whose main branch deploys the function at `base_memory`, and a PR branch.
fn repository(base_memory: &str) -> GitRepo {
    let repo = GitRepo::new();
    repo.commit(
        "deploy the function",
        &[
            ("dist/fn.wasm", &function()),
            ("wasmgate.toml", CONFIG.as_bytes()),
            ("policies/admission/cost_guard.rego", SEED.as_bytes()),
            (
                "deploy/fn.yaml",
                deployment(base_memory, "ghcr.io/acme/fn:1.0").as_bytes(),
            ),
        ],
    );
    repo.branch("pr");
    repo
}

fn cents(amount: f64) -> f64 {
    (amount * 100.0).round() / 100.0
}

/// AWS Lambda's published x86 price, the documented defaults.
const PER_GB_SECOND: f64 = 0.000_016_666_7;
const PER_MILLION: f64 = 0.20;

/// 200 million invocations of 200 ms with `bytes` of memory, by the FaaS formula.
fn invocation_cost(bytes: f64) -> f64 {
    let gib = bytes / 1_073_741_824.0;
    200e6 * 0.2 * gib * PER_GB_SECOND + 200.0 * PER_MILLION
}

fn facts(repo: &GitRepo) -> Value {
    let (code, stdout, stderr) =
        run(repo
            .cmd()
            .args(["facts", "--no-compress", "--base", "main", "dist"]));
    assert_eq!(code, 0, "{stderr}");
    serde_json::from_str(&stdout).unwrap()
}

#[test]
fn the_seed_policy_denies_a_jump_to_2gb_with_its_own_message() {
    let repo = repository("512Mi");
    repo.sandbox
        .write("deploy/fn.yaml", deployment("2GB", "ghcr.io/acme/fn:1.0"));

    let document = facts(&repo);
    let row = &document["finops"]["compute"][0];
    let now = invocation_cost(2e9);
    let before = invocation_cost(512.0 * 1024.0 * 1024.0);
    assert_eq!(row["memory_bytes"], 2_000_000_000_u64, "{row:#}");
    assert_eq!(row["monthly_cost"].as_f64(), Some(cents(now)));
    assert_eq!(row["base_monthly_cost"].as_f64(), Some(cents(before)));
    // The change is the exact difference, rounded once.
    assert_eq!(row["monthly_change"].as_f64(), Some(cents(now - before)));
    // Short history (one version at the merge-base): the jump over the cost before counts.
    let jump = ((now - before) / before / 3.0).min(1.0);
    let score = 1.0 - (1.0 - 0.7 * 1.0) * (1.0 - 0.7 * jump);
    assert_eq!(row["risk"]["score"].as_f64(), Some(cents(score)));
    assert!(cents(score) > 0.8 && now > 1000.0);

    let (code, report, stderr) = check_json(&repo.sandbox, &["--no-compress", "--base", "main"]);
    assert_eq!(code, 1, "{stderr}");
    let expected = format!(
        "Deployment edge-fn (deploy/fn.yaml:1): Deployment denied: AI-driven FinOps policy detected high cost risk (score: {}, predicted: ${}/month) for serverless function 'fn'. Review resource allocation or request exception.",
        cents(score),
        cents(now)
    );
    assert!(
        report.findings.iter().any(|f| f.message == expected),
        "{expected}\n{:#?}",
        report.findings
    );
    // The shipped rule sees the same row.
    assert!(has(&report, "cost-risk", Some("dist/fn.wasm")), "{stderr}");
}

#[test]
fn the_seed_policy_passes_at_512mb_unchanged() {
    let repo = repository("512Mi");
    let (code, report, stderr) = check_json(&repo.sandbox, &["--no-compress", "--base", "main"]);
    assert_ne!(code, 2, "{stderr}");
    assert!(
        !report
            .findings
            .iter()
            .any(|f| f.message.contains("AI-driven FinOps") || f.code == "cost-risk"),
        "{:#?}",
        report.findings
    );
    let document = facts(&repo);
    let row = &document["finops"]["compute"][0];
    let cost = cents(invocation_cost(512.0 * 1024.0 * 1024.0));
    assert_eq!(row["monthly_cost"].as_f64(), Some(cost));
    assert_eq!(row["monthly_change"].as_f64(), Some(0.0));
    // Unchanged and under the cap: only the cost term, 0.7 × cost / 1000.
    assert_eq!(
        row["risk"]["score"].as_f64(),
        Some(cents(
            0.7 * invocation_cost(512.0 * 1024.0 * 1024.0) / 1000.0
        ))
    );
}

#[test]
fn an_image_nothing_prices_warns_cost_unknown() {
    let repo = repository("512Mi");
    repo.sandbox.write(
        "deploy/other.yaml",
        deployment("2GB", "ghcr.io/acme/other:1.0")
            .replace("edge-fn", "other-fn")
            .replace(
                "    wasmgate.dev/artifact: dist/fn.wasm\n",
                "    team: edge\n",
            ),
    );
    let (_, report, stderr) = check_json(&repo.sandbox, &["--no-compress", "--base", "main"]);
    let unknown = common::finding(&report, "cost-unknown");
    assert_eq!(unknown.severity.as_str(), "warn");
    assert!(
        unknown.message.contains("ghcr.io/acme/other:1.0"),
        "{}",
        unknown.message
    );
    assert!(
        !report
            .findings
            .iter()
            .any(|f| f.message.contains("AI-driven FinOps")),
        "{stderr}"
    );
}

/// A history of resources that rarely change: a change that quadruples memory is anomalous
/// by the robust z-score, not only by the jump.
#[test]
fn the_history_of_declared_resources_is_the_reference() {
    let repo = GitRepo::new();
    repo.commit(
        "deploy",
        &[
            ("dist/fn.wasm", &function()),
            ("wasmgate.toml", CONFIG.as_bytes()),
            ("policies/admission/cost_guard.rego", SEED.as_bytes()),
            (
                "deploy/fn.yaml",
                deployment("512Mi", "ghcr.io/acme/fn:1.0").as_bytes(),
            ),
        ],
    );
    // Resources rarely change: six image bumps, one small memory step.
    for (i, memory) in ["512Mi", "512Mi", "576Mi", "576Mi", "576Mi", "640Mi"]
        .iter()
        .enumerate()
    {
        let image = format!("ghcr.io/acme/fn:1.{}", i + 1);
        repo.commit(
            &format!("release 1.{}", i + 1),
            &[("deploy/fn.yaml", deployment(memory, &image).as_bytes())],
        );
    }
    repo.branch("pr");
    repo.sandbox.write(
        "deploy/fn.yaml",
        deployment("2560Mi", "ghcr.io/acme/fn:1.6"),
    );
    let document = facts(&repo);
    let row = &document["finops"]["compute"][0];
    let history: Vec<u64> = row["history"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["memory_bytes"].as_u64().unwrap())
        .collect();
    let mib = |m: u64| m << 20;
    assert_eq!(
        history,
        [640, 576, 576, 576, 512, 512, 512].map(mib),
        "{row:#}"
    );
    // Changes oldest to newest: 0, 0, 64, 0, 0, 64 MiB; median 0, MAD 0, mean absolute
    // deviation 128/6 MiB; this change is 1920 MiB.
    let change = (2560.0 - 640.0) * 1_048_576.0;
    let mean_ad = 128.0 / 6.0 * 1_048_576.0;
    let z = change / (1.2533 * mean_ad);
    let anomaly = &row["memory_anomaly"];
    assert_eq!(anomaly["verdict"], "anomalous", "{anomaly:#}");
    assert!((anomaly["score"].as_f64().unwrap() - z).abs() < 1e-6);
    assert_eq!(row["replicas_anomaly"]["verdict"], "normal");
}

#[test]
fn provisioned_workloads_pay_for_replicas_around_the_clock() {
    let sandbox = Sandbox::new();
    sandbox.write("dist/fn.wasm", function());
    sandbox.write("deploy/fn.yaml", deployment("256Mi", "ghcr.io/acme/fn:1.0"));
    sandbox.write(
        "wasmgate.toml",
        "[[finops.compute]]\nartifacts = \"dist/*.wasm\"\nmodel = \"provisioned\"\nprice_per_gb_hour = 0.01\n\n[[finops.compute]]\nartifacts = \"dist/none-*.wasm\"\nmodel = \"provisioned\"\n",
    );
    let document = common::facts(&sandbox, &["--no-compress", "--no-base"]);
    let rows = document["finops"]["compute"].as_array().unwrap();
    assert_eq!(rows.len(), 1, "{rows:#?}");
    // spec.replicas 2 × 0.25 GiB × 730 h × 0.01.
    assert_eq!(rows[0]["replicas"].as_f64(), Some(2.0));
    assert_eq!(
        rows[0]["gb_hours_per_month"].as_f64(),
        Some(2.0 * 0.25 * 730.0)
    );
    assert_eq!(
        rows[0]["monthly_cost"].as_f64(),
        Some(cents(2.0 * 0.25 * 730.0 * 0.01))
    );
    assert_eq!(rows[0]["base_monthly_cost"], Value::Null);
    assert_eq!(
        document["finops"]["total_compute_monthly_cost"].as_f64(),
        Some(cents(2.0 * 0.25 * 730.0 * 0.01))
    );
}

/// Without a manifest, the artifact's maximum linear memory is what runs; without one, the
/// price is refused rather than made up.
#[test]
fn memory_comes_from_the_artifact_or_the_run_says_it_is_unknown() {
    let sandbox = Sandbox::new();
    sandbox.write("dist/fn.wasm", function());
    sandbox.write(
        "dist/unbounded.wasm",
        wat::parse_str(r#"(module (memory 1))"#).unwrap(),
    );
    sandbox.write(
        "wasmgate.toml",
        "[[finops.compute]]\ninvocations_per_month = 1000000\nduration_ms = 50\n",
    );
    let document = common::facts(&sandbox, &["--no-compress", "--no-base"]);
    let rows = document["finops"]["compute"].as_array().unwrap();
    let fn_row = rows
        .iter()
        .find(|r| r["artifact"] == "dist/fn.wasm")
        .unwrap();
    // 16 pages of 64 KiB = 1 MiB.
    assert_eq!(fn_row["memory_bytes"], 1_048_576);
    assert_eq!(
        fn_row["memory_source"],
        "the artifact's maximum linear memory"
    );
    let gib = 1_048_576.0 / 1_073_741_824.0;
    assert_eq!(
        fn_row["monthly_cost"].as_f64(),
        Some(cents(1e6 * 0.05 * gib * PER_GB_SECOND + 1.0 * PER_MILLION))
    );
    let (code, report, stderr) = check_json(&sandbox, &["--no-compress", "--no-base"]);
    assert_eq!(code, 1, "{stderr}");
    let unknown = common::finding(&report, "compute-memory-unknown");
    assert_eq!(unknown.artifact.as_deref(), Some("dist/unbounded.wasm"));
    assert!(
        unknown.message.contains("finops.compute[0]"),
        "{}",
        unknown.message
    );
}

#[test]
fn a_compute_entry_must_say_how_often_it_runs() {
    let sandbox = Sandbox::new();
    sandbox.write("dist/fn.wasm", function());
    sandbox.write("wasmgate.toml", "[[finops.compute]]\nduration_ms = 50\n");
    let (code, _, stderr) = run(sandbox.cmd().args(["check", "--no-compress", "--no-base"]));
    assert_eq!(code, 2, "{stderr}");
    assert!(
        stderr.contains("finops.compute[0].invocations_per_month"),
        "{stderr}"
    );
}

/// The human table gains cost/month and Δ cost, `-v` explains each figure, the Markdown job
/// summary has a cost section, and JSON and SARIF carry the numbers.
#[test]
fn the_figures_are_shown_where_people_look() {
    let repo = repository("512Mi");
    repo.sandbox
        .write("deploy/fn.yaml", deployment("2GB", "ghcr.io/acme/fn:1.0"));
    let now = cents(invocation_cost(2e9));
    let change = cents(invocation_cost(2e9) - invocation_cost(512.0 * 1024.0 * 1024.0));
    let args = ["check", "--no-compress", "--base", "main"];

    let (_, human, _) = run(repo.cmd().args(args).arg("-v"));
    let header = human.lines().find(|l| l.starts_with("artifact")).unwrap();
    assert!(
        header.contains("cost/month") && header.contains("Δ cost"),
        "{human}"
    );
    let row = human
        .lines()
        .find(|l| l.starts_with("dist/fn.wasm"))
        .unwrap();
    assert!(row.contains(&format!("{now:.2} USD")), "{row}");
    assert!(row.contains(&format!("+{change:.2} USD")), "{row}");
    assert!(
        human.contains(&format!(
            "cost: {now:.2} USD/month, +{change:.2} USD against the base"
        )),
        "{human}"
    );
    assert!(
        human.contains("200000000 invocations × 200 ms × 2000000000 bytes (container fn resources.limits.memory)"),
        "{human}"
    );
    assert!(human.contains("compute risk score"), "{human}");

    let (_, markdown, _) = run(repo.cmd().args(args).args(["--format", "markdown"]));
    assert!(markdown.contains("### Cost"), "{markdown}");
    assert!(
        markdown.contains(&format!("| compute | {now:.2} USD | +{change:.2} USD |")),
        "{markdown}"
    );
    assert!(
        markdown
            .contains("| artifact | raw | gzip | brotli | change vs base | USD/month | verdict |")
    );

    let (_, json, _) = run(repo.cmd().args(args).args(["--format", "json"]));
    let json: Value = serde_json::from_str(&json).unwrap();
    assert_eq!(json["cost"]["compute"].as_f64(), Some(now));
    assert_eq!(json["cost"]["total_change"].as_f64(), Some(change));
    assert_eq!(
        json["artifacts"][0]["compute_monthly_cost"].as_f64(),
        Some(now)
    );

    let (_, sarif, _) = run(repo.cmd().args(args).args(["--format", "sarif"]));
    let sarif: Value = serde_json::from_str(&sarif).unwrap();
    let schema: Value = serde_json::from_slice(
        &std::fs::read(common::repo().join("tests/data/sarif-2.1.0.json")).unwrap(),
    )
    .unwrap();
    let validator = jsonschema::options().build(&schema).unwrap();
    assert!(
        validator.is_valid(&sarif),
        "the property bag keeps SARIF valid"
    );
    assert_eq!(
        sarif["runs"][0]["properties"]["wasmgate"]["cost"]["total"].as_f64(),
        Some(now)
    );
}

/// User policies import the same package and judge the gate's own input with it.
#[test]
fn user_policies_ask_the_same_engine() {
    let repo = repository("512Mi");
    repo.sandbox
        .write("deploy/fn.yaml", deployment("2GB", "ghcr.io/acme/fn:1.0"));
    repo.sandbox.write(
        "policies/cost.rego",
        r#"package wasmgate

import rego.v1
import data.ai_predictions

warn contains msg if {
	some o in input.manifests.objects
	some c in o.object.spec.template.spec.containers
	risk := ai_predictions.get_cost_risk(c.image, "512Mi")
	msg := sprintf("%s at 512Mi: %v", [c.name, risk.predicted_monthly_cost])
}
"#,
    );
    // A policy the merge-base does not have governs nothing: try it from the work tree.
    let (_, report, stderr) = check_json(
        &repo.sandbox,
        &["--no-compress", "--base", "main", "--trust", "head"],
    );
    let expected = format!(
        "fn at 512Mi: {}",
        cents(invocation_cost(512.0 * 1024.0 * 1024.0))
    );
    assert!(
        report.findings.iter().any(|f| f.message == expected),
        "{expected}: {stderr}"
    );
}
