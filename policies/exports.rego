# exports-too-many: keep the exported surface small.
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
