# Tests of wasi.rego: preview 1 and interface lists.
package wasmgate.builtin.wasi

import rego.v1

p1 := {"path": "p1.wasm", "kind": "module", "imports": [
	{"module": "wasi_snapshot_preview1", "name": "fd_write", "kind": "func"},
	{"module": "wasi_snapshot_preview1", "name": "args_get", "kind": "func"},
]}

p2 := {"path": "p2.wasm", "kind": "component", "imports": [{"module": "wasi:sockets/tcp@0.2.0", "name": "connect", "kind": "func"}], "component": {"imports": [
	{"name": "wasi:cli/environment@0.2.0", "kind": "instance", "interface": "wasi:cli/environment"},
	{"name": "acme:log/sink", "kind": "instance", "interface": "acme:log/sink"},
]}}

test_preview1_lists_its_functions_when_off if {
	findings := deny with input as {"artifacts": [p1, p2]}
		with data.wasmgate_config.wasi as {"preview1": false, "deny": [], "allow": null}
	[f] := [x | some x in findings]
	f.code == "wasi-preview1"
	f.details.functions == ["args_get", "fd_write"]
}

test_interfaces_from_component_and_core_imports_meet_the_lists if {
	denied := deny with input as {"artifacts": [p1, p2]}
		with data.wasmgate_config.wasi as {"preview1": true, "deny": ["wasi:sockets/*"], "allow": null}
	{f.details.interface | some f in denied} == {"wasi:sockets/tcp@0.2.0"}
	unlisted := deny with input as {"artifacts": [p1, p2]}
		with data.wasmgate_config.wasi as {"preview1": true, "deny": [], "allow": ["wasi:cli/*"]}
	{f.details.interface | some f in unlisted} == {"wasi:sockets/tcp@0.2.0"}
	every f in unlisted {
		f.code == "wasi-interface-denied"
		f.config_key == "wasi.allow"
	}
}
