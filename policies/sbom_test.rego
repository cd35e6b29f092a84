# Tests of sbom.rego: presence, validity, binding, dependencies (.dep-v0 and Cargo), licenses,
# model cards and embedded models.
package wasmgate.builtin.sbom

import rego.v1

settings := {
	"required": ["dist/**"],
	"licenses_allow": ["MIT", "Apache-2.0"],
	"licenses_deny": ["GPL-3.0-only"],
	"unlicensed": "deny",
	"model_card": ["model-card", "datasets", "license"],
}

license(expression, alternatives) := {"expression": expression, "valid": true, "alternatives": alternatives, "truncated": false}

component(name, version, licenses) := {"name": name, "version": version, "purl": sprintf("pkg:cargo/%s@%s", [name, version]), "kind": "library", "licenses": licenses, "hashes": [], "pointer": sprintf("/components/%s", [name]), "provenance": false}

sbom(components) := {"path": "dist/app.wasm.cdx.json", "format": "cyclonedx", "binding": "subject", "problems": [], "subject": {"hashes": [{"algorithm": "SHA-256", "value": "abc"}]}, "unsigned_sha256": "abc", "components": components}

artifact(s) := {"path": "dist/app.wasm", "sha256": "abc", "sbom": s, "embedded_dependencies": null, "embedded_models": []}

codes(rules) := {f.code | some f in rules}

test_a_required_sbom_must_exist if {
	codes(deny) == {"sbom-missing"} with input as {"artifacts": [artifact(null)], "cargo": null} with data.wasmgate_config.sbom as settings
	count(deny) == 0 with input as {"artifacts": [object.union(artifact(null), {"path": "other.wasm"})], "cargo": null} with data.wasmgate_config.sbom as settings
}

test_an_invalid_sbom_names_its_first_problem if {
	s := object.union(sbom([]), {"problems": [{"pointer": "", "message": "missing bomFormat"}, {"pointer": "/x", "message": "y"}]})
	[f] := [x | some x in deny] with input as {"artifacts": [artifact(s)], "cargo": null} with data.wasmgate_config.sbom as settings
	f.code == "sbom-invalid"
	contains(f.msg, "(2 problem(s)); first at the document root: missing bomFormat")
}

test_an_sbom_of_other_bytes_is_a_digest_mismatch if {
	other := object.union(sbom([]), {"binding": "none", "subject": {"hashes": [{"algorithm": "sha256", "value": "def"}]}})
	[f] := [x | some x in deny] with input as {"artifacts": [artifact(other)], "cargo": null} with data.wasmgate_config.sbom as settings
	f.code == "sbom-digest-mismatch"
	contains(f.msg, "its subject's SHA-256 is def, the artifact's is abc")
	bare := object.union(sbom([]), {"binding": "none", "subject": {"hashes": []}})
	[g] := [x | some x in deny] with input as {"artifacts": [artifact(bare)], "cargo": null} with data.wasmgate_config.sbom as settings
	contains(g.msg, "it declares no SHA-256 for its subject")
}

test_embedded_dependencies_are_triangulated_both_ways if {
	mit := [license("MIT", [["MIT"]])]
	a := object.union(artifact(sbom([component("serde", "1.0.0", mit), component("stale", "0.1.0", mit)])), {"embedded_dependencies": {"error": null, "packages": [
		{"name": "app", "version": "0.1.0", "kind": "runtime", "root": true},
		{"name": "serde", "version": "1.0.0", "kind": "runtime", "root": false},
		{"name": "hidden", "version": "2.0.0", "kind": "runtime", "root": false},
		{"name": "build-helper", "version": "1.0.0", "kind": "build", "root": false},
	]}})
	{[f.code, f.details.name] | some f in deny} == {["sbom-dependency-undeclared", "hidden"]} with input as {"artifacts": [a], "cargo": null} with data.wasmgate_config.sbom as settings
	{[f.code, f.details.name] | some f in warn} == {["sbom-dependency-absent", "stale"]} with input as {"artifacts": [a], "cargo": null} with data.wasmgate_config.sbom as settings
	unreadable := object.union(artifact(sbom([])), {"embedded_dependencies": {"error": "bad zlib stream", "packages": []}})
	codes(deny) == {"sbom-invalid"} with input as {"artifacts": [unreadable], "cargo": null} with data.wasmgate_config.sbom as settings
}

test_licenses_need_an_acceptable_alternative if {
	gpl_or_mit := license("GPL-3.0-only OR MIT", [["GPL-3.0-only"], ["MIT"]])
	gpl := license("GPL-3.0-only", [["GPL-3.0-only"]])
	exception := license("Apache-2.0 WITH LLVM-exception", [["Apache-2.0 WITH LLVM-exception"]])
	bsd := license("BSD-3-Clause", [["BSD-3-Clause"]])
	s := sbom([component("a", "1", [gpl_or_mit]), component("b", "1", [gpl]), component("c", "1", [exception]), component("d", "1", [bsd])])
	{f.details.component | some f in deny} == {"b", "d"} with input as {"artifacts": [artifact(s)], "cargo": null} with data.wasmgate_config.sbom as settings
}

test_unlicensed_components_deny_or_warn_as_configured if {
	s := sbom([component("bare", "1", [])])
	codes(deny) == {"license-denied"} with input as {"artifacts": [artifact(s)], "cargo": null} with data.wasmgate_config.sbom as settings
	warned := warn with input as {"artifacts": [artifact(s)], "cargo": null} with data.wasmgate_config.sbom as object.union(settings, {"unlicensed": "warn"})
	codes(warned) == {"license-denied"}
	count(deny) == 0 with input as {"artifacts": [artifact(s)], "cargo": null} with data.wasmgate_config.sbom as object.union(settings, {"unlicensed": "warn"})
}

test_the_cargo_graph_is_compared_and_supplies_licenses if {
	s := sbom([component("app", "0.1.0", []), component("gone", "1.0.0", [license("MIT", [["MIT"]])]), component("gpl", "1.0.0", [])])
	gpl := license("GPL-3.0-only", [["GPL-3.0-only"]])
	cargo := {"root": "app", "manifest": "Cargo.toml", "packages": [
		{"name": "app", "version": "0.1.0", "build_only": false, "license": license("MIT", [["MIT"]])},
		{"name": "gpl", "version": "1.0.0", "build_only": false, "license": gpl},
		{"name": "missing", "version": "3.0.0", "build_only": false, "license": null},
		{"name": "cc", "version": "1.0.0", "build_only": true, "license": null},
	]}
	denied := deny with input as {"artifacts": [artifact(s)], "cargo": cargo} with data.wasmgate_config.sbom as settings
	{[f.code, f.details.name] | some f in denied; f.code == "sbom-dependency-undeclared"} == {["sbom-dependency-undeclared", "missing"]}
	{[f.code, f.details.component] | some f in denied; f.code == "license-denied"} == {["license-denied", "gpl"]}
	warned := warn with input as {"artifacts": [artifact(s)], "cargo": cargo} with data.wasmgate_config.sbom as settings
	{[f.code, f.details.name] | some f in warned} == {["sbom-dependency-absent", "gone"]}
}

model(card) := object.union(component("sentiment", "2", [license("MIT", [["MIT"]])]), {"kind": "machine-learning-model", "model_card": card})

full_profile := ["model-card", "datasets", "dataset-provenance", "fairness", "ethics", "limitations", "energy", "license"]

test_model_cards_list_what_is_missing if {
	card := {"present": true, "datasets": [], "fairness_assessments": 0, "ethical_considerations": 0, "technical_limitations": 0, "energy_consumptions": 0}
	[f] := [x | some x in deny] with input as {"artifacts": [artifact(sbom([model(card)]))], "cargo": null} with data.wasmgate_config.sbom as settings
	f.code == "model-card-incomplete"
	f.details.missing == ["datasets"]
	unsourced := {"present": true, "datasets": [{"reference": "d", "resolved": true, "provenance": false}], "fairness_assessments": 0, "ethical_considerations": 0, "technical_limitations": 0, "energy_consumptions": 0}
	bare := object.union(model({}), {"licenses": [], "model_card": null})
	findings := deny with input as {"artifacts": [artifact(sbom([model(unsourced), bare]))], "cargo": null}
		with data.wasmgate_config.sbom as object.union(settings, {"model_card": full_profile, "unlicensed": "allow"})
	{x.details.missing | some x in findings; x.code == "model-card-incomplete"} == {
		["dataset-provenance", "energy", "ethics", "fairness", "limitations"],
		["datasets", "energy", "ethics", "fairness", "license", "limitations", "model-card"],
	}
}

payload(name, declared_by) := {"format": "gguf", "location": "data segment 0", "offset": 100, "size": 4096, "sha256": "f00d", "name": name, "declared_by": declared_by}

test_each_embedded_model_needs_its_own_component if {
	card := {"present": true, "datasets": [{"reference": "d", "resolved": true, "provenance": true}], "fairness_assessments": 1, "ethical_considerations": 1, "technical_limitations": 1, "energy_consumptions": 0}
	a := object.union(artifact(sbom([model(card)])), {"embedded_models": [payload(null, "dist/app.wasm.cdx.json#/components/0"), payload("model.bin", null)]})
	[f] := [x | some x in deny] with input as {"artifacts": [a], "cargo": null} with data.wasmgate_config.sbom as settings
	f.code == "undeclared-model"
	f.offset == 100
	contains(f.msg, "its name (model.bin) with a wasmgate:size property of 4096, and each embedded model needs its own")
	bare := object.union(artifact(null), {"path": "x.wasm", "embedded_models": [payload(null, null)]})
	[g] := [x | some x in deny] with input as {"artifacts": [bare], "cargo": null} with data.wasmgate_config.sbom as settings
	endswith(g.msg, "; add a component with its SHA-256 in hashes")
}
