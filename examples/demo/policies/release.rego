# A team policy next to the built-in ones: release modules export their memory as `memory`
# so that the JavaScript loader can find it.
package wasmgate

import rego.v1

warn contains finding if {
	some a in input.artifacts
	a.kind == "module"
	not exports_memory(a)
	finding := {
		"code": "memory-not-exported",
		"artifact": a.path,
		"msg": "exports no memory named `memory`; the loader cannot reach it",
	}
}

exports_memory(a) if {
	some e in a.exports
	e.kind == "memory"
	e.name == "memory"
}
