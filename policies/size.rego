# size-budget-exceeded, size-budget-unchecked: per-artifact raw/gzip/brotli budgets.
package wasmgate.builtin.size

import data.wasmgate.builtin.lib
import rego.v1

budgets := data.wasmgate_config.budgets

metrics := ["raw", "gzip", "brotli"]

deny contains finding if {
	some budget in budgets
	some a in input.artifacts
	glob.match(budget.artifacts, ["/"], a.path)
	some metric in metrics
	limit := budget[metric]
	limit != null
	actual := a.size[metric]
	actual != null
	actual > limit
	over := actual - limit
	finding := {
		"code": "size-budget-exceeded",
		"artifact": a.path,
		"msg": sprintf(
			"%s size is %d bytes, %d bytes (%s%%) over the budget of %d bytes",
			[metric, actual, over, lib.fixed((over * 100) / limit, 1), limit],
		),
		"config_key": sprintf("budgets[%d].%s", [budget.index, metric]),
		"details": {"metric": metric, "actual": actual, "limit": limit, "over": over},
	}
}

warn contains finding if {
	some budget in budgets
	some a in input.artifacts
	glob.match(budget.artifacts, ["/"], a.path)
	some metric in ["gzip", "brotli"]
	budget[metric] != null
	a.size[metric] == null
	finding := {
		"code": "size-budget-unchecked",
		"artifact": a.path,
		"msg": sprintf("the %s budget was not checked because compression was skipped (--no-compress)", [metric]),
		"config_key": sprintf("budgets[%d].%s", [budget.index, metric]),
	}
}
