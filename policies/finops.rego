# cost-risk, cost-budget-exceeded, cost-increase, growth-anomaly, compute-memory-unknown: what
# the shipped bytes cost, and what running them costs.
package wasmgate.builtin.finops

import rego.v1

cfg := data.wasmgate_config.finops

# The shipped cost-risk rule: one rule over the builtin's figures.
deny contains finding if {
	some row in input.finops.artifacts
	risk := wasmgate.cost_risk(row.path)
	risk.score > cfg.risk_deny_above
	risk.predicted_monthly_cost != null
	risk.predicted_monthly_cost > cfg.risk_min_monthly_cost
	finding := {
		"code": "cost-risk",
		"artifact": row.path,
		"msg": sprintf("cost risk %.2f (above %.2f) at a predicted %.2f %s/month (above %.2f); drivers: %s", [risk.score, cfg.risk_deny_above, risk.predicted_monthly_cost, input.finops.currency, cfg.risk_min_monthly_cost, drivers(risk)]),
		"config_key": "finops.risk_deny_above",
		"details": risk,
	}
}

# The same rule over what running each artifact costs ([[finops.compute]]).
deny contains finding if {
	some row in object.get(input.finops, "compute", [])
	row.risk.score > cfg.risk_deny_above
	row.risk.predicted_monthly_cost != null
	row.risk.predicted_monthly_cost > cfg.risk_min_monthly_cost
	finding := object.union(at_object(row), {
		"code": "cost-risk",
		"artifact": row.artifact,
		"msg": sprintf("running %s%s: cost risk %.2f (above %.2f) at a predicted %.2f %s/month (above %.2f); drivers: %s", [row.artifact, as_object(row), row.risk.score, cfg.risk_deny_above, row.risk.predicted_monthly_cost, input.finops.currency, cfg.risk_min_monthly_cost, drivers(row.risk)]),
		"config_key": "finops.risk_deny_above",
		"details": row.risk,
	})
}

deny contains finding if {
	some row in object.get(input.finops, "compute", [])
	row.memory_bytes == null
	finding := object.union(at_object(row), {
		"code": "compute-memory-unknown",
		"artifact": row.artifact,
		"msg": sprintf("finops.compute[%d] prices running %s%s, but its memory is %s", [row.entry, row.artifact, as_object(row), row.memory_source]),
		"config_key": sprintf("finops.compute[%d]", [row.entry]),
	})
}

deny contains finding if {
	cfg.max_increase != null
	some row in object.get(input.finops, "compute", [])
	row.monthly_change != null
	row.monthly_change > cfg.max_increase
	finding := object.union(at_object(row), {
		"code": "cost-increase",
		"artifact": row.artifact,
		"msg": sprintf("running %s%s adds %.2f %s/month against the merge-base (%.2f → %.2f), over finops.max_increase %.2f", [row.artifact, as_object(row), row.monthly_change, input.finops.currency, row.base_monthly_cost, row.monthly_cost, cfg.max_increase]),
		"config_key": "finops.max_increase",
		"details": {"monthly_change": row.monthly_change, "base_monthly_cost": row.base_monthly_cost, "monthly_cost": row.monthly_cost},
	})
}

as_object(row) := sprintf(" as %s %s (%s:%d)", [row.object.kind, object.get(row.object, "name", "(unnamed)"), row.object.file, row.object.line]) if row.object != null

as_object(row) := "" if row.object == null

at_object(row) := {"file": row.object.file, "line": row.object.line, "object": sprintf("%s/%s", [row.object.kind, object.get(row.object, "name", "")])} if row.object != null

at_object(row) := {} if row.object == null

drivers(risk) := concat(", ", [sprintf("%s %.2f×%.1f=%.2f", [d.name, d.value, d.weight, d.contribution]) | some d in risk.drivers])

deny contains finding if {
	cfg.max_monthly_cost != null
	some row in input.finops.artifacts
	row.monthly_cost != null
	row.monthly_cost > cfg.max_monthly_cost
	finding := {
		"code": "cost-budget-exceeded",
		"artifact": row.path,
		"msg": sprintf("costs %.2f %s/month (%d bytes × %.0f loads × (1 − %.2f cache hit) × %.4f/GB), over finops.max_monthly_cost %.2f", [row.monthly_cost, input.finops.currency, row.bytes_per_load, row.loads_per_month, input.finops.cache_hit_ratio, input.finops.price_per_gb, cfg.max_monthly_cost]),
		"config_key": "finops.max_monthly_cost",
		"details": row,
	}
}

or_zero(x) := x if x != null

or_zero(null) := 0

# The total is egress and compute together.
deny contains finding if {
	cfg.max_total_monthly_cost != null
	total := object.get(input.finops, "combined_monthly_cost", input.finops.total_monthly_cost)
	total != null
	total > cfg.max_total_monthly_cost
	finding := {
		"code": "cost-budget-exceeded",
		"msg": sprintf("all artifacts cost %.2f %s/month (egress %.2f, compute %.2f), over finops.max_total_monthly_cost %.2f", [total, input.finops.currency, or_zero(object.get(input.finops, "total_monthly_cost", null)), or_zero(object.get(input.finops, "total_compute_monthly_cost", null)), cfg.max_total_monthly_cost]),
		"config_key": "finops.max_total_monthly_cost",
	}
}

deny contains finding if {
	cfg.max_increase != null
	some row in input.finops.artifacts
	row.monthly_change != null
	row.monthly_change > cfg.max_increase
	finding := increase(row, "finops.max_increase", sprintf("%.2f", [cfg.max_increase]))
}

deny contains finding if {
	cfg.max_increase_percent != null
	some row in input.finops.artifacts
	row.monthly_change_percent != null
	row.monthly_change_percent > cfg.max_increase_percent
	finding := increase(row, "finops.max_increase_percent", sprintf("%.1f%%", [cfg.max_increase_percent]))
}

increase(row, key, limit) := {
	"code": "cost-increase",
	"artifact": row.path,
	"msg": sprintf("adds %.2f %s/month (%.1f%%) against the baseline, over %s %s", [row.monthly_change, input.finops.currency, object.get(row, "monthly_change_percent", 0), key, limit]),
	"config_key": key,
	"details": {"monthly_change": row.monthly_change, "monthly_change_percent": row.monthly_change_percent},
}

deny contains finding if {
	some row in input.finops.artifacts
	row.anomaly.verdict == "anomalous"
	finding := anomaly(row, "finops.anomaly_deny")
}

warn contains finding if {
	some row in input.finops.artifacts
	row.anomaly.verdict == "unusual"
	finding := anomaly(row, "finops.anomaly_warn")
}

anomaly(row, key) := {
	"code": "growth-anomaly",
	"artifact": row.path,
	"msg": sprintf("changes by %d bytes where the last %d baseline changes had a median of %.0f (MAD %.0f): robust z-score %.1f (%s)", [row.anomaly.change, row.anomaly.history, row.anomaly.median, row.anomaly.mad, row.anomaly.score, row.anomaly.verdict]),
	"config_key": key,
	"details": row.anomaly,
}

# Per-glob cost budgets ([[finops.budgets]]).
deny contains finding if {
	some budget in cfg.budgets
	budget.max_monthly_cost != null
	some row in input.finops.artifacts
	glob.match(budget.artifacts, ["/"], row.path)
	row.monthly_cost != null
	row.monthly_cost > budget.max_monthly_cost
	finding := {
		"code": "cost-budget-exceeded",
		"artifact": row.path,
		"msg": sprintf("costs %.2f %s/month, over the %.2f of finops.budgets[%d]", [row.monthly_cost, input.finops.currency, budget.max_monthly_cost, budget.index]),
		"config_key": sprintf("finops.budgets[%d].max_monthly_cost", [budget.index]),
	}
}

deny contains finding if {
	some budget in cfg.budgets
	budget.max_increase != null
	some row in input.finops.artifacts
	glob.match(budget.artifacts, ["/"], row.path)
	row.monthly_change != null
	row.monthly_change > budget.max_increase
	finding := increase(row, sprintf("finops.budgets[%d].max_increase", [budget.index]), sprintf("%.2f", [budget.max_increase]))
}

deny contains finding if {
	some budget in cfg.budgets
	budget.max_increase_percent != null
	some row in input.finops.artifacts
	glob.match(budget.artifacts, ["/"], row.path)
	row.monthly_change_percent != null
	row.monthly_change_percent > budget.max_increase_percent
	finding := increase(row, sprintf("finops.budgets[%d].max_increase_percent", [budget.index]), sprintf("%.1f%%", [budget.max_increase_percent]))
}

# Unknown is not zero: an artifact without its served size (--no-compress) is said to be
# unchecked wherever a cost or trend rule would have looked at it.
warn contains finding if {
	some path in object.get(input.finops, "not_evaluated", [])
	some a in input.artifacts
	a.path == path
	cost_rules_apply(a)
	finding := {
		"code": "cost-unchecked",
		"artifact": path,
		"msg": sprintf("cost, cost change, trend and anomaly were not evaluated: the served %s size was not measured (--no-compress)", [input.finops.encoding]),
	}
}

cost_rules_apply(a) if count(a.history) > 0

cost_rules_apply(_) if cfg.max_monthly_cost != null

cost_rules_apply(_) if cfg.max_increase != null

cost_rules_apply(_) if cfg.max_increase_percent != null

cost_rules_apply(_) if cfg.max_total_monthly_cost != null

cost_rules_apply(_) if count(cfg.budgets) > 0
