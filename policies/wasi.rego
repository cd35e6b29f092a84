# wasi-preview1, wasi-interface-denied: which WASI a release may use.
package wasmgate.builtin.wasi

import data.wasmgate.builtin.lib
import rego.v1

cfg := data.wasmgate_config.wasi

preview1_modules := {"wasi_snapshot_preview1", "wasi_unstable"}

deny contains finding if {
	cfg.preview1 == false
	some a in input.artifacts
	calls := sort({imp.name | some imp in a.imports; preview1_modules[imp.module]})
	count(calls) > 0
	finding := {
		"code": "wasi-preview1",
		"artifact": a.path,
		"msg": sprintf("imports %d WASI preview 1 functions (%s), and wasi.preview1 is false", [count(calls), concat(", ", calls)]),
		"config_key": "wasi.preview1",
		"details": {"functions": calls},
	}
}

# `wasi:` interfaces an artifact imports: component imports, and core imports from
# `wasi:*` modules (core modules built for wasm32-wasip2 before componentisation).
interfaces(a) := {item | some item in lib.component_imports(a); startswith(item.name, "wasi:")} | {item |
	some imp in a.imports
	startswith(imp.module, "wasi:")
	parts := split(imp.module, "@")
	item := {"name": imp.module, "kind": "instance", "interface": parts[0]}
}

deny contains finding if {
	some a in input.artifacts
	some item in interfaces(a)
	some pattern in cfg.deny
	lib.item_matches(pattern, item)
	finding := interface_finding(a, item, "matches wasi.deny", "wasi.deny")
}

deny contains finding if {
	cfg.allow != null
	some a in input.artifacts
	some item in interfaces(a)
	not allowed(item)
	finding := interface_finding(a, item, "is not in wasi.allow", "wasi.allow")
}

allowed(item) if {
	some pattern in cfg.allow
	lib.item_matches(pattern, item)
}

interface_finding(a, item, why, key) := {
	"code": "wasi-interface-denied",
	"artifact": a.path,
	"msg": sprintf("imports WASI interface `%s`, which %s", [item.name, why]),
	"config_key": key,
	"details": {"interface": item.name},
}
