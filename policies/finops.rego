# cost-risk, cost-budget-exceeded, cost-increase, growth-anomaly, compute-memory-unknown: what
# the shipped bytes cost, and what running them costs.
package wasmgate.builtin.finops

import data.wasmgate.builtin.lib
import rego.v1

cfg := data.wasmgate_config.finops

# The shipped cost-risk rule: one rule over the figures wasmgate.cost_risk(row.path) answers
# (read from the row, so that tests of this rule give them in the input).
deny contains finding if {
	some row in input.finops.artifacts
	risk := row.risk
	is_object(risk)
	risk.score > cfg.risk_deny_above
	risk.predicted_monthly_cost != null
	risk.predicted_monthly_cost > cfg.risk_min_monthly_cost
	finding := {
		"code": "cost-risk",
		"artifact": row.path,
		"msg": sprintf("cost risk %s (above %s) at a predicted %s %s/month (above %s); drivers: %s", [lib.fixed(risk.score, 2), lib.fixed(cfg.risk_deny_above, 2), lib.fixed(risk.predicted_monthly_cost, 2), input.finops.currency, lib.fixed(cfg.risk_min_monthly_cost, 2), drivers(risk)]),
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
		"msg": sprintf("running %s%s: cost risk %s (above %s) at a predicted %s %s/month (above %s); drivers: %s", [row.artifact, as_object(row), lib.fixed(row.risk.score, 2), lib.fixed(cfg.risk_deny_above, 2), lib.fixed(row.risk.predicted_monthly_cost, 2), input.finops.currency, lib.fixed(cfg.risk_min_monthly_cost, 2), drivers(row.risk)]),
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
		"msg": sprintf("running %s%s adds %s %s/month against the merge-base (%s → %s), over finops.max_increase %s", [row.artifact, as_object(row), lib.fixed(row.monthly_change, 2), input.finops.currency, lib.fixed(row.base_monthly_cost, 2), lib.fixed(row.monthly_cost, 2), lib.fixed(cfg.max_increase, 2)]),
		"config_key": "finops.max_increase",
		"details": {"monthly_change": row.monthly_change, "base_monthly_cost": row.base_monthly_cost, "monthly_cost": row.monthly_cost},
	})
}

as_object(row) := sprintf(" as %s %s (%s:%d)", [row.object.kind, object.get(row.object, "name", "(unnamed)"), row.object.file, row.object.line]) if row.object != null

as_object(row) := "" if row.object == null

at_object(row) := {"file": row.object.file, "line": row.object.line, "object": sprintf("%s/%s", [row.object.kind, object.get(row.object, "name", "")])} if row.object != null

at_object(row) := {} if row.object == null

drivers(risk) := concat(", ", [sprintf("%s %s×%s=%s", [d.name, lib.fixed(d.value, 2), lib.fixed(d.weight, 1), lib.fixed(d.contribution, 2)]) | some d in risk.drivers])

deny contains finding if {
	cfg.max_monthly_cost != null
	some row in input.finops.artifacts
	row.monthly_cost != null
	row.monthly_cost > cfg.max_monthly_cost
	finding := {
		"code": "cost-budget-exceeded",
		"artifact": row.path,
		"msg": sprintf("costs %s %s/month (%d bytes × %s loads × (1 − %s cache hit) × %s/GB), over finops.max_monthly_cost %s", [lib.fixed(row.monthly_cost, 2), input.finops.currency, row.bytes_per_load, lib.fixed(row.loads_per_month, 0), lib.fixed(input.finops.cache_hit_ratio, 2), lib.fixed(input.finops.price_per_gb, 4), lib.fixed(cfg.max_monthly_cost, 2)]),
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
		"msg": sprintf("all artifacts cost %s %s/month (egress %s, compute %s), over finops.max_total_monthly_cost %s", [lib.fixed(total, 2), input.finops.currency, lib.fixed(or_zero(object.get(input.finops, "total_monthly_cost", null)), 2), lib.fixed(or_zero(object.get(input.finops, "total_compute_monthly_cost", null)), 2), lib.fixed(cfg.max_total_monthly_cost, 2)]),
		"config_key": "finops.max_total_monthly_cost",
	}
}

deny contains finding if {
	cfg.max_increase != null
	some row in input.finops.artifacts
	row.monthly_change != null
	row.monthly_change > cfg.max_increase
	finding := increase(row, "finops.max_increase", sprintf("%s", [lib.fixed(cfg.max_increase, 2)]))
}

deny contains finding if {
	cfg.max_increase_percent != null
	some row in input.finops.artifacts
	row.monthly_change_percent != null
	row.monthly_change_percent > cfg.max_increase_percent
	finding := increase(row, "finops.max_increase_percent", sprintf("%s%%", [lib.fixed(cfg.max_increase_percent, 1)]))
}

increase(row, key, limit) := {
	"code": "cost-increase",
	"artifact": row.path,
	"msg": sprintf("adds %s %s/month (%s%%) against the baseline, over %s %s", [lib.fixed(row.monthly_change, 2), input.finops.currency, lib.fixed(object.get(row, "monthly_change_percent", 0), 1), key, limit]),
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
	"msg": sprintf("changes by %d bytes where the last %d baseline changes had a median of %s (MAD %s): robust z-score %s (%s)", [row.anomaly.change, row.anomaly.history, lib.fixed(row.anomaly.median, 0), lib.fixed(row.anomaly.mad, 0), lib.fixed(row.anomaly.score, 1), row.anomaly.verdict]),
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
		"msg": sprintf("costs %s %s/month, over the %s of finops.budgets[%d]", [lib.fixed(row.monthly_cost, 2), input.finops.currency, lib.fixed(budget.max_monthly_cost, 2), budget.index]),
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
	finding := increase(row, sprintf("finops.budgets[%d].max_increase", [budget.index]), sprintf("%s", [lib.fixed(budget.max_increase, 2)]))
}

deny contains finding if {
	some budget in cfg.budgets
	budget.max_increase_percent != null
	some row in input.finops.artifacts
	glob.match(budget.artifacts, ["/"], row.path)
	row.monthly_change_percent != null
	row.monthly_change_percent > budget.max_increase_percent
	finding := increase(row, sprintf("finops.budgets[%d].max_increase_percent", [budget.index]), sprintf("%s%%", [lib.fixed(budget.max_increase_percent, 1)]))
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
