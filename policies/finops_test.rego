# Tests of finops.rego: cost risk, budgets, increases, anomalies and unchecked costs.
package wasmgate.builtin.finops

import rego.v1

settings := {
	"risk_deny_above": 0.8, "risk_min_monthly_cost": 1000,
	"max_monthly_cost": 50, "max_total_monthly_cost": 100,
	"max_increase": 10, "max_increase_percent": 20,
	"budgets": [{"index": 0, "artifacts": "dist/big/*.wasm", "max_monthly_cost": 5, "max_increase": 1, "max_increase_percent": 5}],
}

quiet := {
	"risk_deny_above": 0.8, "risk_min_monthly_cost": 1000,
	"max_monthly_cost": null, "max_total_monthly_cost": null,
	"max_increase": null, "max_increase_percent": null, "budgets": [],
}

cost_row(path, cost, change, percent, verdict) := {
	"path": path, "monthly_cost": cost, "monthly_change": change, "monthly_change_percent": percent,
	"bytes_per_load": 1000, "loads_per_month": 1000000,
	"anomaly": {"verdict": verdict, "change": 5000, "history": 6, "median": 100, "mad": 20, "score": 9.1},
}

finops_doc(rows) := {"currency": "USD", "cache_hit_ratio": 0.9, "price_per_gb": 0.09, "encoding": "brotli", "artifacts": rows, "total_monthly_cost": 20, "compute": []}

risky_figures := {"score": 0.87, "predicted_monthly_cost": 1281.77, "drivers": [{"name": "cost", "value": 1, "weight": 0.7, "contribution": 0.7}]}

calm_figures := {"score": 0.26, "predicted_monthly_cost": 373.33, "drivers": []}

findings_of(rules) := {[f.code, object.get(f, "config_key", null)] | some f in rules}

test_cost_risk_denies_only_above_both_thresholds if {
	risky := object.union(cost_row("dist/app.wasm", 1, null, null, "normal"), {"risk": risky_figures})
	denied := deny with input as {"artifacts": [], "finops": finops_doc([risky])}
		with data.wasmgate_config.finops as quiet
	[f] := [x | some x in denied]
	f.code == "cost-risk"
	contains(f.msg, "drivers: cost 1")
	cheap := object.union(risky_figures, {"predicted_monthly_cost": 999})
	calm := [
		object.union(risky, {"risk": cheap}),
		object.union(risky, {"risk": calm_figures}),
		object.union(risky, {"risk": null}),
	]
	count(deny) == 0 with input as {"artifacts": [], "finops": finops_doc(calm)}
		with data.wasmgate_config.finops as quiet
}

test_compute_rows_have_risk_memory_and_increase_rules if {
	object_ref := {"kind": "Deployment", "name": "api", "file": "deploy/api.yaml", "line": 4}
	compute := [
		{"entry": 0, "artifact": "dist/app.wasm", "object": object_ref, "risk": risky_figures, "memory_bytes": 2000000000, "memory_source": "limits", "monthly_change": 900, "base_monthly_cost": 373.33, "monthly_cost": 1281.77},
		{"entry": 1, "artifact": "dist/job.wasm", "object": null, "risk": {"score": 0.1, "predicted_monthly_cost": null, "drivers": []}, "memory_bytes": null, "memory_source": "unknown: nothing states it", "monthly_change": null, "base_monthly_cost": null, "monthly_cost": null},
	]
	f := object.union(finops_doc([]), {"compute": compute, "total_monthly_cost": 0})
	denied := deny with input as {"artifacts": [], "finops": f}
		with data.wasmgate_config.finops as object.union(quiet, {"max_increase": 100})
	findings_of(denied) == {["cost-risk", "finops.risk_deny_above"], ["compute-memory-unknown", "finops.compute[1]"], ["cost-increase", "finops.max_increase"]}
	[risk] := [x | some x in denied; x.code == "cost-risk"]
	risk.object == "Deployment/api"
	risk.file == "deploy/api.yaml"
	startswith(risk.msg, "running dist/app.wasm as Deployment api (deploy/api.yaml:4): cost risk 0.87")
}

test_cost_budgets_increases_and_totals if {
	rows := [cost_row("dist/app.wasm", 60, 15, 25, "normal"), cost_row("dist/big/x.wasm", 6, 2, 10, "normal")]
	f := object.union(finops_doc(rows), {"combined_monthly_cost": 150})
	denied := deny with input as {"artifacts": [], "finops": f}
		with data.wasmgate_config.finops as settings
	findings_of(denied) == {
		["cost-budget-exceeded", "finops.max_monthly_cost"],
		["cost-budget-exceeded", "finops.max_total_monthly_cost"],
		["cost-budget-exceeded", "finops.budgets[0].max_monthly_cost"],
		["cost-increase", "finops.max_increase"],
		["cost-increase", "finops.max_increase_percent"],
		["cost-increase", "finops.budgets[0].max_increase"],
		["cost-increase", "finops.budgets[0].max_increase_percent"],
	}
}

test_anomalies_deny_or_warn_by_verdict if {
	rows := [cost_row("a.wasm", 1, null, null, "anomalous"), cost_row("b.wasm", 1, null, null, "unusual")]
	denied := deny with input as {"artifacts": [], "finops": finops_doc(rows)} with data.wasmgate_config.finops as quiet
	{[x.code, x.artifact] | some x in denied} == {["growth-anomaly", "a.wasm"]}
	warned := warn with input as {"artifacts": [], "finops": finops_doc(rows)} with data.wasmgate_config.finops as quiet
	{[x.code, x.artifact] | some x in warned} == {["growth-anomaly", "b.wasm"]}
}

test_an_unmeasured_cost_is_unchecked_where_a_rule_would_look if {
	f := object.union(finops_doc([]), {"not_evaluated": ["a.wasm", "b.wasm"]})
	artifacts := [{"path": "a.wasm", "history": [{"raw": 1}]}, {"path": "b.wasm", "history": []}]
	warned := warn with input as {"artifacts": artifacts, "finops": f} with data.wasmgate_config.finops as quiet
	{[x.code, x.artifact] | some x in warned} == {["cost-unchecked", "a.wasm"]}
	everywhere := warn with input as {"artifacts": artifacts, "finops": f} with data.wasmgate_config.finops as settings
	{x.artifact | some x in everywhere} == {"a.wasm", "b.wasm"}
}
