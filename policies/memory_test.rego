# Tests of memory.rego: unbounded, too large (memory64 past 2^64 bytes too) and shared.
package wasmgate.builtin.memory

import rego.v1

memory_of(index, max_pages, max_bytes, beyond, shared) := {"index": index, "initial_pages": 1, "maximum_pages": max_pages, "page_size": 65536, "initial_bytes": 65536, "maximum_bytes": max_bytes, "maximum_beyond_u64": beyond, "shared": shared, "memory64": beyond, "imported": false}

artifacts := [
	{"path": "open.wasm", "kind": "module", "memories": [memory_of(0, null, null, false, false)]},
	{"path": "big.wasm", "kind": "module", "memories": [memory_of(0, 2048, 134217728, false, false)]},
	{"path": "huge.wasm", "kind": "module", "memories": [memory_of(0, 281474976710656, null, true, false)]},
	{"path": "shared.wasm", "kind": "component", "memories": [], "component": {"modules": [{"offset": 12, "facts": {"kind": "module", "memories": [memory_of(0, 16, 1048576, false, true)]}}]}},
]

test_an_unbounded_memory_warns if {
	findings := warn with input as {"artifacts": artifacts} with data.wasmgate_config.memory as {"max_bytes": null, "allow_shared": true}
	{[f.code, f.artifact] | some f in findings} == {["memory-unbounded", "open.wasm"]}
}

test_memories_past_the_limit_are_denied_with_how_far_they_grow if {
	findings := deny with input as {"artifacts": artifacts} with data.wasmgate_config.memory as {"max_bytes": 67108864, "allow_shared": true}
	msgs := {f.artifact: f.msg | some f in findings}
	object.keys(msgs) == {"open.wasm", "big.wasm", "huge.wasm"}
	contains(msgs["big.wasm"], "may grow to 134217728 bytes")
	contains(msgs["huge.wasm"], "2^64 bytes or more")
	contains(msgs["open.wasm"], "has no maximum")
}

test_shared_memory_in_a_nested_module_is_denied_when_not_allowed if {
	findings := deny with input as {"artifacts": artifacts} with data.wasmgate_config.memory as {"max_bytes": null, "allow_shared": false}
	{[f.code, f.artifact] | some f in findings} == {["memory-shared", "shared.wasm"]}
	[shared] := [f | some f in findings]
	startswith(shared.msg, "core module 0 (at byte 12): defined memory 0 is shared")
	shared.details.module == "core module 0 (at byte 12)"
}
