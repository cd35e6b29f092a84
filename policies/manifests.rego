# manifest-invalid, manifest-artifact-missing: the deployment manifests kept in Git, against
# the artifacts this run checked.
package wasmgate.builtin.manifests

import rego.v1

deny contains finding if {
	some problem in object.get(input, ["manifests", "problems"], [])
	finding := {
		"code": "manifest-invalid",
		"file": problem.file,
		"line": problem.line,
		"column": problem.column,
		"msg": sprintf("%s:%d: %s", [problem.file, problem.line, problem.message]),
		"details": problem,
	}
}

deny contains finding if {
	some o in object.get(input, ["manifests", "objects"], [])
	some binding in o.bindings
	not binding.exists
	finding := {
		"code": "manifest-artifact-missing",
		"file": o.file,
		"line": o.line,
		"column": o.column,
		"msg": sprintf("%s %s (%s:%d) deploys %s, which is not in the repository", [o.kind, object.get(o, "name", "(unnamed)"), o.file, o.line, binding.artifact]),
		"details": {"object": {"kind": o.kind, "name": o.name, "file": o.file, "line": o.line}, "binding": binding},
	}
}
