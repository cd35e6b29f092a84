# Helpers shared by the built-in policies.
package wasmgate.builtin.lib

import rego.v1

# The core modules of an artifact: the module itself, or the modules nested in a component.
core_modules(a) := [a] if a.kind == "module"

core_modules(a) := [object.union(m.facts, {"nested": nested_name(i, m)}) | some i, m in a.component.modules] if a.kind == "component"

# How a finding names the core module of a component it is about.
nested_name(i, m) := sprintf("core module %d (at byte %d)", [i, m.offset])

# `core module N (at byte X): ` for a module nested in a component; empty for the artifact.
in_module(m) := sprintf("%s: ", [m.nested]) if m.nested

else := ""

# Component imports and exports; empty for core modules.
component_imports(a) := object.get(a, ["component", "imports"], [])

component_exports(a) := object.get(a, ["component", "exports"], [])

# A core import matches `module`, `module.name` or a glob over either (`env.*`).
import_matches(pattern, imp) if glob.match(pattern, null, imp.module)

import_matches(pattern, imp) if glob.match(pattern, null, concat(".", [imp.module, imp.name]))

# A core import from a versioned interface module (`wasi:cli/environment@0.2.0`, as modules
# built for wasm32-wasip2 have before componentisation) matches the interface without its
# version too, as a component import of it does.
import_matches(pattern, imp) if {
	contains(imp.module, "@")
	unversioned := split(imp.module, "@")[0]
	glob.match(pattern, null, unversioned)
}

import_matches(pattern, imp) if {
	contains(imp.module, "@")
	unversioned := split(imp.module, "@")[0]
	glob.match(pattern, null, concat(".", [unversioned, imp.name]))
}

# A component import matches its full name (`wasi:cli/environment@0.2.0`) or its
# interface without version (`wasi:cli/environment`), exactly or by glob.
item_matches(pattern, item) if glob.match(pattern, null, item.name)

item_matches(pattern, item) if {
	item.interface != null
	glob.match(pattern, null, item.interface)
}

# Human-readable byte counts for messages.
bytes(n) := sprintf("%d bytes", [n])

# A number with `digits` decimals, printed alike by every engine: the Go OPA prints an
# integral number given to `%.2f` as `%!f(int64=N)`, so an integral number prints as one.
fixed(x, _) := sprintf("%d", [x]) if {
	is_number(x)
	x == floor(x)
}

fixed(x, digits) := sprintf(concat("", ["%.", format_int(digits, 10), "f"]), [x]) if {
	is_number(x)
	x != floor(x)
}

fixed(x, _) := sprintf("%v", [x]) if not is_number(x)
