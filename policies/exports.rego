# exports-too-many, export-denied, export-not-allowed: keep the exported surface small and known.
package wasmgate.builtin.exports

import data.wasmgate.builtin.lib
import rego.v1

cfg := data.wasmgate_config.exports

deny contains finding if {
	cfg.max != null
	some a in input.artifacts
	n := count(a.exports) + count(lib.component_exports(a))
	n > cfg.max
	finding := {
		"code": "exports-too-many",
		"artifact": a.path,
		"msg": sprintf("exports %d items, more than exports.max (%d)", [n, cfg.max]),
		"config_key": "exports.max",
		"details": {"exports": n, "limit": cfg.max},
	}
}

# The same pattern language as [imports]: a core export by name, a component export by its
# full name or its interface without version.
exported(a) := [{"name": e.name, "kind": e.kind, "interface": null} | some e in a.exports] if true

component_exported(a) := [item | some item in lib.component_exports(a)]

export_matches(pattern, item) if lib.item_matches(pattern, item)

deny contains finding if {
	some a in input.artifacts
	some item in array.concat(exported(a), component_exported(a))
	some pattern in cfg.deny
	export_matches(pattern, item)
	finding := export_finding("export-denied", a, item, "matches exports.deny", "exports.deny")
}

deny contains finding if {
	cfg.allow != null
	some a in input.artifacts
	some item in array.concat(exported(a), component_exported(a))
	not export_allowed(item)
	finding := export_finding("export-not-allowed", a, item, "is not in exports.allow", "exports.allow")
}

export_allowed(item) if {
	some pattern in cfg.allow
	export_matches(pattern, item)
}

export_finding(code, a, item, why, key) := {
	"code": code,
	"artifact": a.path,
	"msg": sprintf("exports %s `%s`, which %s", [item.kind, item.name, why]),
	"config_key": key,
	"details": {"name": item.name, "kind": item.kind},
}
