# Tests of delta.rego: growth budgets (the most specific entry wins), new capabilities,
# removed exports, missing baselines and removed artifacts.
package wasmgate.builtin.delta

import rego.v1

limit(percent, bytes) := {"percent": percent, "bytes": bytes}

default_budget := {"index": null, "rank": [0, 0], "artifacts": "**", "raw": limit(5, 8192), "gzip": limit(5, 8192), "brotli": limit(5, 8192)}

big_budget := {"index": 0, "rank": [14, 1], "artifacts": "dist/big/*.wasm", "raw": limit(50, 1048576), "gzip": null, "brotli": null}

growth(before, after) := {"before": before, "after": after, "bytes": after - before, "percent": ((after - before) * 100) / before}

changed(path, raw, gzip) := {"path": path, "baseline": {}, "delta": {"size": {"raw": raw, "gzip": gzip, "brotli": null}, "imports_added": [], "exports_removed": []}}

settings := {"growth": [default_budget, big_budget], "capabilities": {"allow_new": ["wasi:io/*"]}}

test_growth_past_both_limits_of_the_most_specific_budget_is_denied if {
	findings := deny with input as {"artifacts": [
		changed("dist/big/app.wasm", growth(3000000, 4000000), growth(200000, 220000)),
		changed("dist/small.wasm", growth(100000, 110000), growth(1000, 1100)),
	]}
		with data.wasmgate_config as settings
	{[f.artifact, f.details.metric, object.get(f, "config_key", "default")] | some f in findings} == {
		["dist/big/app.wasm", "gzip", "default"],
		["dist/small.wasm", "raw", "default"],
	}
	# 33 % and 1 MB: under growth[0]'s 50 %, though far past the default.
	every f in findings {
		f.code == "size-growth"
	}
}

test_growth_past_the_specific_budget_names_it if {
	findings := deny with input as {"artifacts": [changed("dist/big/app.wasm", growth(2000000, 4000000), null)]}
		with data.wasmgate_config as settings
	[f] := [x | some x in findings]
	f.config_key == "growth[0].raw"
	contains(f.msg, "growth[0] (dist/big/*.wasm) allows 50% or 1048576 bytes")
}

test_new_imports_are_capabilities_unless_allowed_in_any_version if {
	a := {"path": "a.wasm", "baseline": {}, "delta": {"size": {}, "imports_added": ["env.fetch", "wasi:io/streams@0.2.0"], "exports_removed": ["old_api"]}}
	denied := deny with input as {"artifacts": [a]} with data.wasmgate_config as settings
	{[f.code, f.details.import] | some f in denied} == {["capability-added", "env.fetch"]}
	warned := warn with input as {"artifacts": [a], "removed_artifacts": [], "baseline": {"found": true, "path": "b.json", "revision": "abc"}}
		with data.wasmgate_config as settings
	{[f.code, f.details.export] | some f in warned} == {["export-removed", "old_api"]}
}

test_missing_baselines_and_removed_artifacts_warn if {
	fresh := {"path": "new.wasm", "baseline": null, "delta": null}
	none := warn with input as {"artifacts": [fresh], "removed_artifacts": [], "baseline": {"found": false, "path": "b.json", "revision": "abc"}}
		with data.wasmgate_config as settings
	[whole] := [f | some f in none]
	whole.code == "baseline-missing"
	not whole.artifact
	partial := warn with input as {"artifacts": [fresh], "removed_artifacts": ["gone.wasm"], "baseline": {"found": true, "path": "b.json", "revision": "abc"}}
		with data.wasmgate_config as settings
	{[f.code, f.artifact] | some f in partial} == {["baseline-missing", "new.wasm"], ["artifact-removed", "gone.wasm"]}
}
