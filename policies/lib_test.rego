# Tests of lib.rego: the pattern language every list uses.
package wasmgate.builtin.lib

import rego.v1

test_core_imports_match_module_name_and_versionless_interface if {
	imp := {"module": "wasi:cli/environment@0.2.0", "name": "get-environment"}
	import_matches("wasi:cli/environment@0.2.0", imp)
	import_matches("wasi:cli/environment", imp)
	import_matches("wasi:cli/*", imp)
	import_matches("wasi:cli/environment.get-environment", imp)
	not import_matches("wasi:io/*", imp)
	import_matches("env.*", {"module": "env", "name": "log"})
	not import_matches("env.eval", {"module": "env", "name": "log"})
}

test_component_items_match_name_or_interface if {
	item := {"name": "wasi:http/outgoing-handler@0.2.0", "interface": "wasi:http/outgoing-handler"}
	item_matches("wasi:http/outgoing-handler", item)
	item_matches("wasi:http/*", item)
	item_matches("wasi:http/outgoing-handler@0.2.0", item)
	not item_matches("wasi:http/outgoing-handler@0.3.0", item)
	not item_matches("wasi:http/outgoing-handler", {"name": "run", "interface": null})
}

test_core_modules_of_modules_and_components if {
	core_modules({"kind": "module", "path": "a"}) == [{"kind": "module", "path": "a"}]
	core_modules({"kind": "component", "component": {"modules": [{"offset": 10, "facts": {"kind": "module", "n": 1}}]}}) == [{"kind": "module", "n": 1, "nested": "core module 0 (at byte 10)"}]
	in_module({"kind": "module"}) == ""
	in_module({"nested": "core module 0 (at byte 10)"}) == "core module 0 (at byte 10): "
	component_imports({"kind": "module"}) == []
	bytes(5) == "5 bytes"
}

test_fixed_prints_integral_numbers_as_integers_in_every_engine if {
	fixed(50, 1) == "50"
	fixed(33.333, 1) == "33.3"
	fixed(1281.774, 2) == "1281.77"
	fixed(null, 2) == "null"
}
