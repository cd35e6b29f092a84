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
		"object": object_ref(o),
		"field": binding.field,
		"msg": sprintf("%s %s (%s:%d) deploys %s, which is not in the repository", [o.kind, object.get(o, "name", "(unnamed)"), o.file, o.line, binding.artifact]),
		"details": {"object": {"kind": o.kind, "name": o.name, "file": o.file, "line": o.line}, "binding": binding},
	}
}

# Every binding with the checked artifact it names.
bound contains [o, binding, a] if {
	some o in object.get(input, ["manifests", "objects"], [])
	some binding in o.bindings
	some a in input.artifacts
	a.path == binding.artifact
}

object_ref(o) := sprintf("%s/%s", [o.kind, object.get(o, "name", "")])

named(o) := sprintf("%s %s (%s:%d)", [o.kind, object.get(o, "name", "(unnamed)"), o.file, o.line])

deny contains finding if {
	some [o, binding, a] in bound
	binding.sha256 != null
	binding.sha256 != a.sha256
	binding.sha256 != object.get(a, ["signature", "unsigned_sha256"], null)
	finding := {
		"code": "manifest-digest-mismatch",
		"artifact": a.path,
		"file": o.file,
		"line": o.line,
		"column": o.column,
		"object": object_ref(o),
		"field": binding.sha256_field,
		"msg": sprintf("%s declares sha256 %s for %s, but its bytes hash to %s", [named(o), binding.sha256, a.path, a.sha256]),
		"details": {"declared": binding.sha256, "actual": a.sha256, "object": named(o)},
	}
}

deny contains finding if {
	some [o, binding, a] in bound
	binding.oci != null
	binding.oci.layer_sha256 != a.sha256
	finding := {
		"code": "manifest-digest-mismatch",
		"artifact": a.path,
		"file": o.file,
		"line": o.line,
		"column": o.column,
		"object": object_ref(o),
		"field": binding.field,
		"msg": sprintf("%s runs %s, whose wasm layer in %s is %s, but %s hashes to %s", [named(o), binding.oci.image, binding.oci.layout, layer_text(binding.oci.layer_sha256), a.path, a.sha256]),
		"details": {"declared": binding.oci.layer_sha256, "actual": a.sha256, "object": named(o), "oci": binding.oci},
	}
}

layer_text(null) := "missing (no layer of a wasm media type)"

layer_text(digest) := sprintf("sha256:%s", [digest]) if digest != null

# The most the artifact's linear memories can grow to; "unbounded" when one has no maximum,
# "beyond" when one's maximum is 2^64 bytes or more.
memory_ceiling(a) := "unbounded" if {
	some m in a.memories
	m.maximum_pages == null
} else := "beyond" if {
	some m in a.memories
	m.maximum_beyond_u64
} else := sum([m.maximum_bytes | some m in a.memories])

deny contains finding if {
	some [o, binding, a] in bound
	limits := [l.bytes | some l in binding.memory_limits; l.bytes != null]
	count(limits) > 0
	limit := min(limits)
	ceiling := memory_ceiling(a)
	exceeds(ceiling, limit)
	finding := {
		"code": "manifest-memory-drift",
		"artifact": a.path,
		"file": o.file,
		"line": o.line,
		"column": o.column,
		"object": object_ref(o),
		"field": [l.field | some l in binding.memory_limits; l.bytes == limit][0],
		"msg": sprintf("%s declares at most %d bytes of memory for %s, but its linear memory can grow to %s; fitting the limit is necessary, not sufficient (the pod also holds the runtime)", [named(o), limit, a.path, ceiling_text(ceiling)]),
		"details": {"limit_bytes": limit, "linear_memory_max_bytes": ceiling, "limits": binding.memory_limits},
	}
}

exceeds("unbounded", _) := true

exceeds("beyond", _) := true

exceeds(ceiling, limit) if {
	is_number(ceiling)
	ceiling > limit
}

ceiling_text("unbounded") := "any size (a memory has no maximum)"

ceiling_text("beyond") := "2^64 bytes or more (a memory64 maximum)"

ceiling_text(ceiling) := sprintf("%d bytes", [ceiling]) if is_number(ceiling)

warn contains finding if {
	some o in object.get(input, ["manifests", "objects"], [])
	some binding in o.bindings
	some l in binding.memory_limits
	l.problem != null
	finding := {
		"code": "manifest-invalid-quantity",
		"file": o.file,
		"line": o.line,
		"column": o.column,
		"object": object_ref(o),
		"field": l.field,
		"msg": sprintf("%s: %s %s", [named(o), l.source, l.problem]),
		"details": l,
	}
}

# What an artifact imports, in the forms a manifest may declare it.
imports_of(a) := [{"names": {i.name, sprintf("%s.%s", [i.module, i.name]), sprintf("%s/%s", [i.module, i.name])}, "shown": sprintf("%s.%s", [i.module, i.name])} | some i in a.imports] if {
	a.kind == "module"
}

imports_of(a) := [{"names": {iface, trim_version(iface)}, "shown": iface} | some iface in a.component.imported_interfaces] if {
	a.kind == "component"
}

trim_version(iface) := split(iface, "@")[0]

deny contains finding if {
	some [o, binding, a] in bound
	binding.capabilities != null
	declared := {c | some c in binding.capabilities}
	some imported in imports_of(a)
	count(imported.names & declared) == 0
	finding := {
		"code": "manifest-capability-undeclared",
		"artifact": a.path,
		"file": o.file,
		"line": o.line,
		"column": o.column,
		"object": object_ref(o),
		"field": binding.capabilities_field,
		"msg": sprintf("%s does not declare %s, which %s imports", [named(o), imported.shown, a.path]),
		"details": {"import": imported.shown, "declared": binding.capabilities},
	}
}

warn contains finding if {
	some [o, binding, a] in bound
	binding.capabilities != null
	some capability in binding.capabilities
	not imported_somehow(a, capability)
	finding := {
		"code": "manifest-capability-unused",
		"artifact": a.path,
		"file": o.file,
		"line": o.line,
		"column": o.column,
		"object": object_ref(o),
		"field": binding.capabilities_field,
		"msg": sprintf("%s declares %s, which %s does not import", [named(o), capability, a.path]),
		"details": {"capability": capability},
	}
}

imported_somehow(a, capability) if {
	some imported in imports_of(a)
	capability in imported.names
}

deployed contains binding.artifact if {
	some o in object.get(input, ["manifests", "objects"], [])
	some binding in o.bindings
}

warn contains finding if {
	count(object.get(input, ["manifests", "objects"], [])) > 0
	some a in input.artifacts
	not a.path in deployed
	finding := {
		"code": "artifact-undeclared",
		"artifact": a.path,
		"msg": sprintf("no manifest deploys %s: add the annotation wasmgate.dev/artifact to the object that runs it, or a [[manifests.bind]] entry", [a.path]),
	}
}
