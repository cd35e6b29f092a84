# Tests of imports.rego: deny and allow lists over core and component imports.
package wasmgate.builtin.imports

import rego.v1

core(module, name) := {"module": module, "name": name, "kind": "func"}

artifacts := [
	{"path": "core.wasm", "kind": "module", "imports": [core("env", "eval"), core("env", "log"), core("wasi:cli/environment@0.2.0", "get-environment")]},
	{"path": "comp.wasm", "kind": "component", "imports": [], "component": {"imports": [
		{"name": "wasi:cli/environment@0.2.0", "kind": "instance", "interface": "wasi:cli/environment"},
		{"name": "wasi:io/streams@0.2.0", "kind": "instance", "interface": "wasi:io/streams"},
	]}},
]

denied(findings) := sort([sprintf("%s %s", [f.artifact, f.details.name]) | some f in findings])

test_deny_matches_core_names_globs_and_versioned_interfaces_alike if {
	findings := deny with input as {"artifacts": artifacts}
		with data.wasmgate_config.imports as {"deny": ["env.eval", "wasi:cli/environment"], "allow": null}
	every f in findings {
		f.code == "import-denied"
		f.config_key == "imports.deny"
	}
	denied(findings) == ["comp.wasm wasi:cli/environment@0.2.0", "core.wasm eval", "core.wasm get-environment"]
}

test_an_allow_list_denies_everything_else if {
	findings := deny with input as {"artifacts": artifacts}
		with data.wasmgate_config.imports as {"deny": [], "allow": ["env.log", "wasi:cli/*"]}
	every f in findings {
		f.code == "import-not-allowed"
	}
	denied(findings) == ["comp.wasm wasi:io/streams@0.2.0", "core.wasm eval"]
}

test_no_lists_pass if {
	count(deny) == 0 with input as {"artifacts": artifacts}
		with data.wasmgate_config.imports as {"deny": [], "allow": null}
}
