# Tests of size.rego: budgets per glob and metric.
package wasmgate.builtin.size

import rego.v1

budget_config := [
	{"index": 0, "artifacts": "dist/*.wasm", "raw": 1000, "gzip": 500, "brotli": null},
	{"index": 1, "artifacts": "other/**", "raw": null, "gzip": null, "brotli": 10},
]

test_over_budget_is_denied_per_metric if {
	findings := deny with input as {"artifacts": [{"path": "dist/app.wasm", "size": {"raw": 1500, "gzip": 400, "brotli": 300}}]}
		with data.wasmgate_config.budgets as budget_config
	[f] := [x | some x in findings]
	f.code == "size-budget-exceeded"
	f.config_key == "budgets[0].raw"
	f.details.over == 500
	f.msg == "raw size is 1500 bytes, 500 bytes (50%) over the budget of 1000 bytes"
}

test_at_budget_and_unmatched_pass if {
	count(deny) == 0 with input as {"artifacts": [
		{"path": "dist/app.wasm", "size": {"raw": 1000, "gzip": 500, "brotli": 300}},
		{"path": "elsewhere/app.wasm", "size": {"raw": 99999, "gzip": 99999, "brotli": 99999}},
	]}
		with data.wasmgate_config.budgets as budget_config
}

test_a_skipped_compression_is_unchecked_not_passed if {
	findings := warn with input as {"artifacts": [{"path": "other/x/app.wasm", "size": {"raw": 10, "gzip": null, "brotli": null}}]}
		with data.wasmgate_config.budgets as budget_config
	[f] := [x | some x in findings]
	f.code == "size-budget-unchecked"
	f.config_key == "budgets[1].brotli"
}
