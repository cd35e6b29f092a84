# Tests of exports.rego: the count limit and the export allow and deny lists.
package wasmgate.builtin.exports

import rego.v1

artifacts := [
	{"path": "core.wasm", "kind": "module", "exports": [{"name": "memory", "kind": "memory"}, {"name": "debug_dump", "kind": "func"}, {"name": "run", "kind": "func"}]},
	{"path": "comp.wasm", "kind": "component", "exports": [], "component": {"exports": [{"name": "wasi:http/incoming-handler@0.2.0", "kind": "instance", "interface": "wasi:http/incoming-handler"}]}},
]

test_too_many_exports_counts_core_and_component_exports if {
	findings := deny with input as {"artifacts": artifacts}
		with data.wasmgate_config.exports as {"max": 2, "deny": [], "allow": null}
	[f] := [x | some x in findings]
	f.code == "exports-too-many"
	f.artifact == "core.wasm"
	f.details.exports == 3
}

test_deny_and_allow_use_the_import_pattern_language if {
	denied := deny with input as {"artifacts": artifacts}
		with data.wasmgate_config.exports as {"max": null, "deny": ["debug_*", "wasi:http/incoming-handler"], "allow": null}
	{[f.code, f.details.name] | some f in denied} == {["export-denied", "debug_dump"], ["export-denied", "wasi:http/incoming-handler@0.2.0"]}
	unlisted := deny with input as {"artifacts": artifacts}
		with data.wasmgate_config.exports as {"max": null, "deny": [], "allow": ["memory", "run", "wasi:http/*"]}
	{[f.code, f.details.name] | some f in unlisted} == {["export-not-allowed", "debug_dump"]}
}
