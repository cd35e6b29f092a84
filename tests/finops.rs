//! FinOps: cost formulas against hand-computed values, monotonicity, a real repository whose
//! baseline history grows steadily (a forecast) and then jumps (an anomaly), the cost-risk
//! builtin in a one-rule policy, and graceful degradation without history.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::print_stdout)]

mod common;

use common::{GitRepo, Sandbox, check_json, has, module_with_data, run};
use serde_json::Value;

fn finops(document: &Value) -> &Value {
    &document["finops"]["artifacts"][0]
}

/// Money as wasmgate reports it: rounded to cents.
fn cents(amount: f64) -> f64 {
    (amount * 100.0).round() / 100.0
}

#[test]
fn monthly_cost_is_bytes_times_loads_times_misses_times_price() {
    let sandbox = Sandbox::new();
    sandbox.wasm("dist/app.wasm", "app");
    sandbox.write(
        "wasmgate.toml",
        "[finops]\nencoding = \"raw\"\nprice_per_gb = 0.08\ncache_hit_ratio = 0.75\n\n[[finops.loads]]\nartifacts = \"dist/*.wasm\"\nper_month = 50000000\n",
    );
    let document = common::facts(&sandbox, &["--no-compress"]);
    let row = finops(&document);
    let bytes = common::fixture("app").len() as f64;
    let expected = bytes * 50_000_000.0 * (1.0 - 0.75) / 1e9 * 0.08;
    assert_eq!(
        row["monthly_cost"].as_f64(),
        Some(cents(expected)),
        "{row:#}"
    );
    assert!(
        (row["cost_per_million_loads"].as_f64().unwrap() - bytes * 1e6 * 0.25 / 1e9 * 0.08).abs()
            < 1e-12
    );
    let gb = bytes * 50_000_000.0 * 0.25 / 1e9;
    assert!((row["co2e_kg_per_month"].as_f64().unwrap() - gb * 0.358).abs() < 1e-9);
    assert_eq!(document["finops"]["currency"], "USD");

    // More bytes never cost less.
    sandbox.write("dist/app.wasm", module_with_data(10_000, 1));
    let bigger = common::facts(&sandbox, &["--no-compress"]);
    assert!(
        finops(&bigger)["monthly_cost"].as_f64().unwrap() > row["monthly_cost"].as_f64().unwrap()
    );
}

#[test]
fn without_loads_the_cost_per_million_loads_is_still_reported() {
    let sandbox = Sandbox::new();
    sandbox.wasm("dist/app.wasm", "app");
    let document = common::facts(&sandbox, &[]);
    let row = finops(&document);
    assert!(row["cost_per_million_loads"].as_f64().unwrap() > 0.0);
    assert_eq!(row["monthly_cost"], Value::Null);
    assert_eq!(row["anomaly"]["verdict"], "not enough history");
    assert!(
        row["trend"]["forecast"]
            .as_str()
            .unwrap()
            .contains("not enough history")
    );
    let hints: Vec<&str> = row["hints"]
        .as_array()
        .unwrap()
        .iter()
        .map(|h| h["kind"].as_str().unwrap())
        .collect();
    assert!(
        hints.contains(&"strip-debug"),
        "app.wasm has a name section: {hints:?}"
    );
    assert!(hints.contains(&"run-wasm-opt"));
}

/// 30 baseline commits of steady growth: the Theil–Sen slope gives the forecast.
fn steady_history(commits: usize, step: usize) -> GitRepo {
    let git = GitRepo::new();
    git.sandbox.write(
        "wasmgate.toml",
        "[[budgets]]\nraw = 60000\n\n[finops]\nencoding = \"raw\"\n",
    );
    for i in 0..commits {
        git.sandbox
            .write("dist/app.wasm", module_with_data(20_000 + i * step, 1));
        assert_eq!(run(git.cmd().args(["baseline", "--no-compress"])).0, 0);
        git.commit_all(&format!("Accept build {i}"));
    }
    git
}

#[test]
fn steady_growth_gets_a_forecast_and_a_jump_is_an_anomaly() {
    let git = steady_history(30, 100);
    let sizes: Vec<u64> = (0..30)
        .map(|i| module_with_data(20_000 + i * 100, 1).len() as u64)
        .collect();
    let document = common::facts(&git.sandbox, &["--no-base", "--no-compress"]);
    let row = finops(&document);
    let trend = &row["trend"];
    assert_eq!(trend["points"], 30);
    assert_eq!(trend["metric"], "raw");
    // Each commit adds 100 data bytes; the module grows by exactly that (plus LEB128 steps).
    let slope = trend["bytes_per_merge"].as_f64().unwrap();
    let mut pairwise = Vec::new();
    for i in 0..sizes.len() {
        for j in i + 1..sizes.len() {
            pairwise.push((sizes[j] as f64 - sizes[i] as f64) / (j - i) as f64);
        }
    }
    pairwise.sort_by(f64::total_cmp);
    let expected = (pairwise[pairwise.len() / 2 - 1] + pairwise[pairwise.len() / 2]) / 2.0;
    assert!((slope - expected).abs() < 1e-9, "{slope} vs {expected}");
    let current = *sizes.last().unwrap() as f64;
    let merges = ((60_000.0 - current) / expected).ceil();
    assert_eq!(trend["merges_to_budget"].as_f64().unwrap(), merges);
    assert!(
        trend["forecast"]
            .as_str()
            .unwrap()
            .contains(&format!("~{merges} merges"))
    );
    assert_eq!(row["anomaly"]["verdict"], "normal");

    // One jump of 20 KB.
    git.sandbox.write(
        "dist/app.wasm",
        module_with_data(20_000 + 29 * 100 + 20_000, 1),
    );
    let document = common::facts(&git.sandbox, &["--no-base", "--no-compress"]);
    let anomaly = &finops(&document)["anomaly"];
    assert_eq!(anomaly["verdict"], "anomalous", "{anomaly:#}");
    assert!(anomaly["score"].as_f64().unwrap() > 7.0);
    let (code, report, _) = check_json(&git.sandbox, &["--no-base", "--no-compress"]);
    assert_eq!(code, 1);
    let finding = common::finding(&report, "growth-anomaly");
    assert!(
        finding.message.contains("robust z-score"),
        "{}",
        finding.message
    );
}

#[test]
fn the_cost_risk_builtin_denies_through_one_rule() {
    let git = steady_history(8, 100);
    git.sandbox.write(
        "wasmgate.toml",
        "[[budgets]]\nraw = 60000\n\n[finops]\nencoding = \"raw\"\nprice_per_gb = 0.085\nmax_monthly_cost = 1500\nrisk_deny_above = 0.5\nrisk_min_monthly_cost = 1000\n\n[[finops.loads]]\nper_month = 1000000000\n",
    );
    git.sandbox.write(
        "dist/app.wasm",
        module_with_data(20_000 + 7 * 100 + 20_000, 1),
    );
    let document = common::facts(&git.sandbox, &["--no-base", "--no-compress"]);
    let risk = &finops(&document)["risk"];
    let drivers: Vec<&str> = risk["drivers"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["name"].as_str().unwrap())
        .collect();
    assert_eq!(drivers, ["cost", "anomaly", "trend"]);
    // Independent chances of trouble: 1 − Π (1 − weight × value), to 0.01.
    let calm: f64 = risk["drivers"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| 1.0 - d["weight"].as_f64().unwrap() * d["value"].as_f64().unwrap())
        .product();
    assert_eq!(
        risk["score"].as_f64(),
        Some(((1.0 - calm) * 100.0).round() / 100.0)
    );
    assert!(risk["predicted_monthly_cost"].as_f64().unwrap() > 1000.0);
    let (code, report, _) = check_json(&git.sandbox, &["--no-base", "--no-compress"]);
    assert_eq!(code, 1);
    assert!(
        has(&report, "cost-risk", Some("dist/app.wasm")),
        "{report:#?}"
    );

    // The same rule written by a user, through the builtin.
    git.sandbox.write(
        "policies/risk.rego",
        "package wasmgate\n\nimport rego.v1\n\ndeny contains msg if {\n\tsome a in input.artifacts\n\trisk := wasmgate.cost_risk(a.path)\n\trisk.score > 0.5\n\trisk.predicted_monthly_cost > 1000\n\tmsg := sprintf(\"%s is too risky\", [a.path])\n}\n",
    );
    let (_, report, _) = check_json(&git.sandbox, &["--no-base", "--no-compress"]);
    assert!(
        report
            .findings
            .iter()
            .any(|f| f.message == "dist/app.wasm is too risky")
    );
}

#[test]
fn cost_increase_and_budgets_per_glob() {
    let sandbox = Sandbox::new();
    sandbox.write("dist/app.wasm", module_with_data(10_000, 1));
    let config = "[finops]\nencoding = \"raw\"\nprice_per_gb = 0.1\n\n[[finops.loads]]\nper_month = 100000000\n\n[[finops.budgets]]\nartifacts = \"dist/*.wasm\"\nmax_increase = 5\nmax_monthly_cost = 1000\n";
    sandbox.write("wasmgate.toml", config);
    assert_eq!(run(sandbox.cmd().args(["baseline", "--no-compress"])).0, 0);
    sandbox.write("dist/app.wasm", module_with_data(11_000, 1));
    let document = common::facts(&sandbox, &["--no-compress"]);
    let row = finops(&document);
    // 1000 more bytes × 1e8 loads / 1e9 × 0.1 = 10.0 per month.
    let change = row["monthly_change"].as_f64().unwrap();
    assert!((change - 10.0).abs() < 0.5, "{change}");
    let (code, report, _) = check_json(&sandbox, &["--no-compress"]);
    assert_eq!(code, 1);
    let finding = common::finding(&report, "cost-increase");
    assert_eq!(finding.location.as_ref().unwrap().file, "wasmgate.toml");
    assert!(!has(&report, "cost-budget-exceeded", None));
    sandbox.write(
        "wasmgate.toml",
        config.replace("max_monthly_cost = 1000", "max_monthly_cost = 50"),
    );
    let (_, report, _) = check_json(&sandbox, &["--no-compress"]);
    assert!(has(&report, "cost-budget-exceeded", Some("dist/app.wasm")));
    let slopes = finops(&common::facts(&sandbox, &["--no-compress"]))["slopes"]
        .as_array()
        .unwrap()
        .len();
    assert_eq!(slopes, 3, "raw, gzip and brotli");
}

/// See issue 10: under `--no-compress` (the pre-commit hook) a raw size was compared with a
/// brotli history, a false `growth-anomaly`; and raw bytes were priced as served.
#[test]
fn without_compressed_sizes_nothing_is_priced_or_compared() {
    let git = GitRepo::new();
    git.sandbox
        .write("wasmgate.toml", "[finops]\nmax_monthly_cost = 1000.0\n");
    for i in 0..8 {
        git.sandbox
            .write("dist/app.wasm", module_with_data(20_000 + i * 10, 1));
        assert_eq!(run(git.cmd().args(["baseline"])).0, 0);
        git.commit_all(&format!("Accept build {i}"));
    }
    let (code, report, stderr) = check_json(&git.sandbox, &["--no-base", "--no-compress"]);
    assert_eq!(code, 0, "{stderr}");
    assert!(!common::has(&report, "growth-anomaly", None));
    assert!(common::has(
        &report,
        "cost-unchecked",
        Some("dist/app.wasm")
    ));
    let document = common::facts(&git.sandbox, &["--no-base", "--no-compress"]);
    assert_eq!(document["finops"]["not_evaluated"][0], "dist/app.wasm");
    assert_eq!(document["finops"]["artifacts"].as_array().unwrap().len(), 0);
    // With compression, the same history is normal and priced.
    let document = common::facts(&git.sandbox, &["--no-base"]);
    assert_eq!(finops(&document)["anomaly"]["verdict"], "normal");
}

/// With tiers every figure uses the blended price of the total monthly GB: cost, change, risk
/// and savings, so a budget judges what the bill will say.
#[test]
fn tiered_prices_give_the_blended_cost_everywhere() {
    let sandbox = Sandbox::new();
    sandbox.write("dist/a.wasm", module_with_data(40_000, 1));
    sandbox.write("dist/b.wasm", module_with_data(10_000, 2));
    let config = "[finops]\nencoding = \"raw\"\nmax_monthly_cost = 20\n\n[[finops.loads]]\nper_month = 10000000\n\n[[finops.tiers]]\nup_to_gb = 100\nprice_per_gb = 0.10\n\n[[finops.tiers]]\nprice_per_gb = 0.01\n";
    sandbox.write("wasmgate.toml", config);
    let document = common::facts(&sandbox, &["--no-compress"]);
    let bytes = |name: &str| std::fs::metadata(sandbox.path().join(name)).unwrap().len() as f64;
    let gb_a = bytes("dist/a.wasm") * 1e7 / 1e9;
    let gb_b = bytes("dist/b.wasm") * 1e7 / 1e9;
    let total = gb_a + gb_b;
    // The first 100 GB at 0.10, the rest at 0.01.
    let bill = 100.0 * 0.10 + (total - 100.0) * 0.01;
    let blended = bill / total;
    assert!(total > 100.0, "the test needs both tiers: {total} GB");
    let rows = document["finops"]["artifacts"].as_array().unwrap();
    assert_eq!(
        rows[0]["monthly_cost"].as_f64(),
        Some(cents(gb_a * blended))
    );
    assert_eq!(
        rows[1]["monthly_cost"].as_f64(),
        Some(cents(gb_b * blended))
    );
    assert_eq!(
        document["finops"]["total_monthly_cost"].as_f64(),
        Some(cents(bill))
    );
    assert!((document["finops"]["price_per_gb"].as_f64().unwrap() - blended).abs() < 1e-12);
    // At 0.085 per GB a.wasm would cost more than the budget of 20; blended it does not.
    assert!(gb_a * 0.085 > 20.0 && gb_a * blended < 20.0);
    let (_, report, _) = check_json(&sandbox, &["--no-compress"]);
    assert!(
        !has(&report, "cost-budget-exceeded", None),
        "{:#?}",
        report.findings
    );
}

/// With history shorter than the anomaly minimum, a jump over the cost before it still
/// counts, so the risk can pass 0.8 when the cost is over its cap.
#[test]
fn a_jump_with_short_history_can_pass_the_risk_threshold() {
    let sandbox = Sandbox::new();
    sandbox.write("dist/app.wasm", module_with_data(10_000, 1));
    let config = "[finops]\nencoding = \"raw\"\nprice_per_gb = 0.1\nmax_monthly_cost = 100\nrisk_min_monthly_cost = 100\n\n[[finops.loads]]\nper_month = 100000000\n";
    sandbox.write("wasmgate.toml", config);
    assert_eq!(run(sandbox.cmd().args(["baseline", "--no-compress"])).0, 0);
    sandbox.write("dist/app.wasm", module_with_data(50_000, 1));
    let document = common::facts(&sandbox, &["--no-compress"]);
    let row = finops(&document);
    let before = std::fs::read(sandbox.path().join(".wasmgate/baseline.json")).unwrap();
    let baseline: Value = serde_json::from_slice(&before).unwrap();
    let old = baseline["artifacts"]["dist/app.wasm"]["size"]["raw"]
        .as_f64()
        .unwrap();
    let new = std::fs::metadata(sandbox.path().join("dist/app.wasm"))
        .unwrap()
        .len() as f64;
    let cost = |bytes: f64| bytes * 1e8 / 1e9 * 0.1;
    assert_eq!(row["anomaly"]["verdict"], "not enough history");
    let cost_term = (cost(new) / 100.0).min(1.0);
    let jump = ((cost(new) - cost(old)) / cost(old) / 3.0).min(1.0);
    let score = 1.0 - (1.0 - 0.7 * cost_term) * (1.0 - 0.7 * jump);
    assert_eq!(row["risk"]["score"].as_f64(), Some(cents(score)), "{row:#}");
    assert!(score > 0.8);
    let (code, report, _) = check_json(&sandbox, &["--no-compress"]);
    assert_eq!(code, 1);
    assert!(has(&report, "cost-risk", Some("dist/app.wasm")));
}
