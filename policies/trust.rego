# gate-file-not-regular, artifact-outside-root, artifact-unreadable, wasm-limits-exceeded:
# what the gate could not read, or refused to read, is never a pass.
package wasmgate.builtin.trust

import rego.v1

deny contains finding if {
	some problem in input.gate_files_not_regular
	finding := {
		"code": "gate-file-not-regular",
		"msg": sprintf("%s %s is a %s in the %s, not a regular file; the gate does not follow it", [problem.kind, problem.path, problem.found, problem.tree]),
		"details": problem,
	}
}

deny contains finding if {
	some refused in input.refused_artifacts
	finding := {
		"code": refused.code,
		"artifact": refused.path,
		"msg": sprintf("%s", [refused.reason]),
		"details": refused,
	}
}

deny contains finding if {
	some a in input.artifacts
	some limit in object.get(a, "limits_exceeded", [])
	finding := {
		"code": "wasm-limits-exceeded",
		"artifact": a.path,
		"msg": sprintf("has %d %s, more than the limit of %d ([limits] %s); the rest was not stored", [limit.count, limit.what, limit.limit, limit.key]),
		"details": limit,
	}
}
