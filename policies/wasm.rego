# wasm-malformed, wasm-invalid: the artifact must be a valid module or component.
package wasmgate.builtin.wasm

import rego.v1

deny contains finding if {
	some a in input.artifacts
	a.malformed
	err := object.get(a, "validation_error", null)
	finding := {
		"code": "wasm-malformed",
		"artifact": a.path,
		"msg": describe(a, "is not a well-formed wasm binary"),
		"offset": object.get(err, "offset", 0),
		"details": {"error": err},
	}
}

deny contains finding if {
	some a in input.artifacts
	not a.malformed
	not a.valid
	err := object.get(a, "validation_error", null)
	finding := {
		"code": "wasm-invalid",
		"artifact": a.path,
		"msg": describe(a, "does not validate"),
		"offset": object.get(err, "offset", 0),
		"details": {"error": err},
	}
}

describe(a, what) := sprintf("%s: %s", [what, a.validation_error.message]) if {
	a.validation_error != null
} else := what
