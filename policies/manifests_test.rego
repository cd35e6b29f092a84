# Tests of manifests.rego: objects in Git against the artifacts they deploy.
package wasmgate.builtin.manifests

import rego.v1

binding_to(artifact) := {
	"artifact": artifact, "exists": true, "field": "/metadata/annotations/wasmgate.dev~1artifact",
	"sha256": null, "sha256_field": null, "oci": null, "memory_limits": [], "capabilities": null, "capabilities_field": null,
}

object_deploying(bindings) := {"kind": "SpinApp", "name": "hello", "file": "deploy/app.yaml", "line": 3, "column": 1, "bindings": bindings}

wasm_module := {"path": "dist/app.wasm", "kind": "module", "sha256": "aaa", "imports": [{"module": "wasi:http/outgoing-handler@0.2.0", "name": "handle", "kind": "func"}], "memories": [{"maximum_pages": 16, "maximum_bytes": 1048576, "maximum_beyond_u64": false}]}

test_problems_and_missing_artifacts_are_denied if {
	missing := object.union(binding_to("dist/gone.wasm"), {"exists": false})
	findings := deny with input as {"artifacts": [], "manifests": {"problems": [{"file": "deploy/bad.yaml", "line": 2, "column": 5, "message": "mapping values are not allowed here"}], "objects": [object_deploying([missing])]}}
	{f.code | some f in findings} == {"manifest-invalid", "manifest-artifact-missing"}
	[bad] := [f | some f in findings; f.code == "manifest-invalid"]
	bad.msg == "deploy/bad.yaml:2: mapping values are not allowed here"
}

test_declared_digests_and_oci_layers_must_be_the_artifact if {
	pinned := object.union(binding_to("dist/app.wasm"), {"sha256": "bbb", "sha256_field": "/metadata/annotations/x"})
	oci := object.union(binding_to("dist/app.wasm"), {"oci": {"image": "ghcr.io/acme/app:1", "layout": "oci/app", "layer_sha256": null}})
	findings := deny with input as {"artifacts": [wasm_module], "manifests": {"problems": [], "objects": [object_deploying([pinned, oci])]}}
	msgs := {f.msg | some f in findings; f.code == "manifest-digest-mismatch"}
	count(msgs) == 2
	some m in msgs
	contains(m, "missing (no layer of a wasm media type)")
	unsigned_match := object.union(binding_to("dist/app.wasm"), {"sha256": "ccc"})
	signed := object.union(wasm_module, {"signature": {"unsigned_sha256": "ccc"}})
	count(deny) == 0 with input as {"artifacts": [signed], "manifests": {"problems": [], "objects": [object_deploying([unsigned_match])]}}
}

test_memory_limits_below_the_linear_memory_ceiling_drift if {
	limited := object.union(binding_to("dist/app.wasm"), {"memory_limits": [{"bytes": 524288, "field": "/spec/resources/limits/memory", "source": "limits.memory", "problem": null}]})
	[f] := [x | some x in deny] with input as {"artifacts": [wasm_module], "manifests": {"problems": [], "objects": [object_deploying([limited])]}}
	f.code == "manifest-memory-drift"
	f.field == "/spec/resources/limits/memory"
	contains(f.msg, "can grow to 1048576 bytes")
	unbounded := object.union(wasm_module, {"memories": [{"maximum_pages": null, "maximum_bytes": null, "maximum_beyond_u64": false}]})
	[g] := [x | some x in deny] with input as {"artifacts": [unbounded], "manifests": {"problems": [], "objects": [object_deploying([limited])]}}
	contains(g.msg, "any size (a memory has no maximum)")
	huge := object.union(wasm_module, {"memories": [{"maximum_pages": 281474976710656, "maximum_bytes": null, "maximum_beyond_u64": true}]})
	[h] := [x | some x in deny] with input as {"artifacts": [huge], "manifests": {"problems": [], "objects": [object_deploying([limited])]}}
	contains(h.msg, "2^64 bytes or more")
	roomy := object.union(binding_to("dist/app.wasm"), {"memory_limits": [{"bytes": 1048576, "field": "/x", "source": "limits.memory", "problem": null}]})
	count(deny) == 0 with input as {"artifacts": [wasm_module], "manifests": {"problems": [], "objects": [object_deploying([roomy])]}}
}

test_an_unreadable_quantity_warns if {
	odd := object.union(binding_to("dist/app.wasm"), {"memory_limits": [{"bytes": null, "field": "/x", "source": "limits.memory", "problem": "`12Qi` is not a quantity"}]})
	findings := warn with input as {"artifacts": [wasm_module], "manifests": {"problems": [], "objects": [object_deploying([odd])]}}
	{f.code | some f in findings} == {"manifest-invalid-quantity"}
}

test_capabilities_declared_and_imported_must_agree if {
	declared := object.union(binding_to("dist/app.wasm"), {"capabilities": ["wasi:keyvalue/store"], "capabilities_field": "/spec/capabilities"})
	denied := deny with input as {"artifacts": [wasm_module], "manifests": {"problems": [], "objects": [object_deploying([declared])]}}
	{[f.code, f.details.import] | some f in denied} == {["manifest-capability-undeclared", "wasi:http/outgoing-handler@0.2.0.handle"]}
	warned := warn with input as {"artifacts": [wasm_module], "manifests": {"problems": [], "objects": [object_deploying([declared])]}}
	{[f.code, f.details.capability] | some f in warned} == {["manifest-capability-unused", "wasi:keyvalue/store"]}
	component := {"path": "dist/app.wasm", "kind": "component", "sha256": "aaa", "imports": [], "memories": [], "component": {"imported_interfaces": ["wasi:http/outgoing-handler@0.2.0"]}}
	unversioned := object.union(binding_to("dist/app.wasm"), {"capabilities": ["wasi:http/outgoing-handler"], "capabilities_field": "/spec/capabilities"})
	count(deny | warn) == 0 with input as {"artifacts": [component], "manifests": {"problems": [], "objects": [object_deploying([unversioned])]}}
}

test_an_artifact_no_manifest_deploys_warns if {
	other := {"path": "dist/other.wasm", "kind": "module", "sha256": "x", "imports": [], "memories": []}
	findings := warn with input as {"artifacts": [wasm_module, other], "manifests": {"problems": [], "objects": [object_deploying([binding_to("dist/app.wasm")])]}}
	{[f.code, f.artifact] | some f in findings} == {["artifact-undeclared", "dist/other.wasm"]}
}
