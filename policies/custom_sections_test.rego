# Tests of custom_sections.rego: debug, denied and required sections, nested modules too.
package wasmgate.builtin.custom_sections

import rego.v1

module := {"path": "m.wasm", "kind": "module", "custom_sections": [
	{"name": ".debug_info", "size": 100, "offset": 10},
	{"name": ".debug_line", "size": 50, "offset": 200},
	{"name": "secret", "size": 4, "offset": 300},
]}

component := {"path": "c.wasm", "kind": "component", "custom_sections": [], "component": {"modules": [{"offset": 8, "facts": {"kind": "module", "custom_sections": [{"name": "producers", "size": 20, "offset": 5}]}}]}}

settings := {"debug": [".debug_*"], "deny": ["secret"], "require": ["producers"]}

test_debug_sections_are_one_warning_with_their_total if {
	findings := warn with input as {"artifacts": [module, component]} with data.wasmgate_config.custom_sections as settings
	[f] := [x | some x in findings]
	f.code == "custom-section-debug"
	f.details == {"sections": [".debug_info", ".debug_line"], "bytes": 150}
}

test_denied_and_missing_sections_are_denied if {
	findings := deny with input as {"artifacts": [module, component]} with data.wasmgate_config.custom_sections as settings
	{[f.code, f.artifact] | some f in findings} == {["custom-section-denied", "m.wasm"], ["custom-section-missing", "m.wasm"]}
	[denied] := [f | some f in findings; f.code == "custom-section-denied"]
	denied.offset == 300
	not contains(denied.msg, " in core module")
}

test_a_denied_section_in_a_nested_module_names_it if {
	nested := {"path": "c.wasm", "kind": "component", "custom_sections": [], "component": {"modules": [{"offset": 8, "facts": {"kind": "module", "custom_sections": [{"name": "secret", "size": 4, "offset": 40}, {"name": "producers", "size": 2, "offset": 50}]}}]}}
	[f] := [x | some x in deny] with input as {"artifacts": [nested]} with data.wasmgate_config.custom_sections as settings
	f.msg == "carries custom section `secret` (4 bytes) in core module 0 (at byte 8), which custom_sections.deny forbids"
}

test_an_unreadable_producers_section_is_missing if {
	broken := object.union(component, {"producers_malformed": true, "custom_sections": [{"name": "producers", "size": 3, "offset": 9}]})
	findings := deny with input as {"artifacts": [broken]} with data.wasmgate_config.custom_sections as settings
	{f.code | some f in findings} == {"custom-section-missing"}
}
