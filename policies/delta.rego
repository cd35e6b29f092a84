# size-growth, capability-added, export-removed, baseline-missing, artifact-removed:
# the change against the accepted facts in the baseline at the merge-base.
package wasmgate.builtin.delta

import data.wasmgate.builtin.lib
import rego.v1

cfg := data.wasmgate_config

metrics := ["raw", "gzip", "brotli"]

# Hybrid budgets: growth fails only past both the percentage and the byte floor, so small
# modules may grow by a few bytes and large ones by a small share.
deny contains finding if {
	some a in input.artifacts
	some metric in metrics
	change := a.delta.size[metric]
	change != null
	budget := growth_budget(a.path, metric)
	limit := budget[metric]
	change.bytes > limit.bytes
	change.percent > limit.percent
	finding := object.union(
		{
			"code": "size-growth",
			"artifact": a.path,
			"msg": sprintf(
				"%s size grew by %d bytes (%s%%, %d -> %d) against the baseline at the merge-base; %s allows %s%% or %d bytes",
				[metric, change.bytes, lib.fixed(change.percent, 1), change.before, change.after, growth_name(budget), lib.fixed(limit.percent, 1), limit.bytes],
			),
			"details": {"metric": metric, "bytes": change.bytes, "percent": change.percent, "limit": limit, "budget": budget.artifacts},
		},
		growth_key(budget, metric),
	)
}

# The default budget comes first and [[growth]] entries add to it: for each artifact and
# metric the matching entry of highest rank (most specific glob, then latest) is the budget.
growth_budget(path, metric) := budget if {
	ranks := [b.rank |
		some b in cfg.growth
		b[metric] != null
		glob.match(b.artifacts, ["/"], path)
	]
	count(ranks) > 0
	some budget in cfg.growth
	budget.rank == max(ranks)
}

growth_name(budget) := sprintf("growth[%d] (%s)", [budget.index, budget.artifacts]) if budget.index != null

growth_name(budget) := "the default growth budget" if budget.index == null

growth_key(budget, metric) := {"config_key": sprintf("growth[%d].%s", [budget.index, metric])} if budget.index != null

growth_key(budget, _) := {} if budget.index == null

deny contains finding if {
	some a in input.artifacts
	some name in a.delta.imports_added
	not allowed_new(name)
	finding := {
		"code": "capability-added",
		"artifact": a.path,
		"msg": sprintf("gains import `%s`, which the baseline at the merge-base does not have", [name]),
		"config_key": "capabilities.allow_new",
		"details": {"import": name},
	}
}

allowed_new(name) if {
	some pattern in cfg.capabilities.allow_new
	glob.match(pattern, null, name)
}

# `wasi:http/outgoing-handler` allows every version of the interface.
allowed_new(name) if {
	contains(name, "@")
	unversioned := split(name, "@")[0]
	some pattern in cfg.capabilities.allow_new
	glob.match(pattern, null, unversioned)
}

warn contains finding if {
	some a in input.artifacts
	some name in a.delta.exports_removed
	finding := {
		"code": "export-removed",
		"artifact": a.path,
		"msg": sprintf("no longer exports `%s`: callers that use it break", [name]),
		"details": {"export": name},
	}
}

warn contains finding if {
	input.baseline.found == false
	some a in input.artifacts
	a.baseline == null
	finding := {
		"code": "baseline-missing",
		"msg": sprintf("there is no baseline at %s (%s), so growth and new capabilities of artifacts not committed at the merge-base are not checked; run `wasmgate baseline` and commit %s", [input.baseline.path, input.baseline.revision, input.baseline.path]),
	}
}

warn contains finding if {
	input.baseline.found == true
	some a in input.artifacts
	a.baseline == null
	finding := {
		"code": "baseline-missing",
		"artifact": a.path,
		"msg": sprintf("is not in the baseline %s (%s); run `wasmgate baseline` and commit %s to accept it", [input.baseline.path, input.baseline.revision, input.baseline.path]),
	}
}

warn contains finding if {
	some path in input.removed_artifacts
	finding := {
		"code": "artifact-removed",
		"artifact": path,
		"msg": sprintf("is in the baseline %s but was not found; run `wasmgate baseline` if it was removed on purpose", [input.baseline.path]),
	}
}
