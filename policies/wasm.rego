# wasm-malformed, wasm-invalid: the artifact must be a valid module or component.
package wasmgate.builtin.wasm

import rego.v1

deny contains finding if {
	some a in input.artifacts
	a.malformed == true
	finding := invalid(a, "wasm-malformed", "is not a well-formed wasm binary")
}

deny contains finding if {
	some a in input.artifacts
	not a.malformed
	a.valid == false
	finding := invalid(a, "wasm-invalid", "does not validate")
}

invalid(a, code, what) := {
	"code": code,
	"artifact": a.path,
	"msg": describe(a, what),
	"offset": object.get(a, ["validation_error", "offset"], 0),
	"details": {"error": object.get(a, "validation_error", null)},
}

describe(a, what) := sprintf("%s: %s", [what, a.validation_error.message]) if {
	is_string(a.validation_error.message)
} else := what
