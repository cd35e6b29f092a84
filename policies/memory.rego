# memory-unbounded, memory-too-large, memory-shared: linear memory limits.
package wasmgate.builtin.memory

import data.wasmgate.builtin.lib
import rego.v1

cfg := data.wasmgate_config.memory

warn contains finding if {
	some a in input.artifacts
	some m in lib.core_modules(a)
	some mem in m.memories
	mem.maximum_pages == null
	finding := {
		"code": "memory-unbounded",
		"artifact": a.path,
		"msg": sprintf("%s%s memory %d has no maximum (initial %d pages, %d bytes)", [lib.in_module(m), origin(mem), mem.index, mem.initial_pages, mem.initial_bytes]),
		"details": {"memory": mem.index, "module": object.get(m, "nested", null)},
	}
}

deny contains finding if {
	cfg.max_bytes != null
	some a in input.artifacts
	some m in lib.core_modules(a)
	some mem in m.memories
	mem.maximum_bytes != null
	mem.maximum_bytes > cfg.max_bytes
	finding := too_large(a, m, mem, sprintf("may grow to %d bytes", [mem.maximum_bytes]))
}

deny contains finding if {
	cfg.max_bytes != null
	some a in input.artifacts
	some m in lib.core_modules(a)
	some mem in m.memories
	mem.maximum_pages == null
	finding := too_large(a, m, mem, "has no maximum, so it may grow without bound")
}

deny contains finding if {
	cfg.max_bytes != null
	some a in input.artifacts
	some m in lib.core_modules(a)
	some mem in m.memories
	mem.maximum_beyond_u64
	finding := too_large(a, m, mem, sprintf("may grow to %d pages of %d bytes, 2^64 bytes or more", [mem.maximum_pages, mem.page_size]))
}

deny contains finding if {
	cfg.allow_shared == false
	some a in input.artifacts
	some m in lib.core_modules(a)
	some mem in m.memories
	mem.shared
	finding := {
		"code": "memory-shared",
		"artifact": a.path,
		"msg": sprintf("%s%s memory %d is shared (threads), and memory.allow_shared is false", [lib.in_module(m), origin(mem), mem.index]),
		"config_key": "memory.allow_shared",
		"details": {"memory": mem.index, "module": object.get(m, "nested", null)},
	}
}

too_large(a, m, mem, how) := {
	"code": "memory-too-large",
	"artifact": a.path,
	"msg": sprintf("%s%s memory %d %s, more than memory.max_bytes (%d bytes)", [lib.in_module(m), origin(mem), mem.index, how, cfg.max_bytes]),
	"config_key": "memory.max_bytes",
	"details": {"memory": mem.index, "maximum_bytes": mem.maximum_bytes, "limit": cfg.max_bytes, "module": object.get(m, "nested", null)},
}

origin(mem) := "imported" if mem.imported

else := "defined"
