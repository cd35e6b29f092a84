# Tests of signatures.rego: every state a signature can be in.
package wasmgate.builtin.signatures

import rego.v1

unsigned := {"present": false, "error": null, "misplaced": [], "foreign": [], "trusted_keys": 1, "verified": false, "signatures": []}

signed(signatures) := object.union(unsigned, {"present": true, "signatures": signatures})

trusted_key := {"name": "release", "trusted": true}

artifact(path, signature) := {"path": path, "kind": "module", "signature": signature}

codes_of(signature, settings) := result if {
	result := {[f.code, f.artifact] | some f in (deny | warn)} with input as {"artifacts": [artifact("a.wasm", signature)]}
		with data.wasmgate_config.signatures as settings
}

must_sign := {"required": ["**"], "allow_partial": false}

may_sign := {"required": [], "allow_partial": false}

test_unsigned_is_denied_when_required_and_warned_otherwise if {
	codes_of(unsigned, must_sign) == {["signature-missing", "a.wasm"]}
	warned := warn with input as {"artifacts": [artifact("a.wasm", unsigned)]} with data.wasmgate_config.signatures as may_sign
	{f.code | some f in warned} == {"signature-missing"}
	count(deny) == 0 with input as {"artifacts": [artifact("a.wasm", unsigned)]} with data.wasmgate_config.signatures as may_sign
}

test_unreadable_misplaced_and_foreign_signatures if {
	broken := object.union(signed([]), {"error": "truncated section", "verified": false})
	{f.code | some f in deny} == {"signature-malformed"} with input as {"artifacts": [artifact("a.wasm", broken)]} with data.wasmgate_config.signatures as may_sign
	misplaced := object.union(unsigned, {"misplaced": [120]})
	[m] := [f | some f in deny; f.code == "signature-misplaced"] with input as {"artifacts": [artifact("a.wasm", misplaced)]} with data.wasmgate_config.signatures as may_sign
	m.offset == 120
	foreign := object.union(unsigned, {"foreign": [8]})
	[w] := [f | some f in warn; f.code == "signature-foreign-section"] with input as {"artifacts": [artifact("a.wasm", foreign)]} with data.wasmgate_config.signatures as may_sign
	w.offset == 8
}

test_a_trusted_signature_over_changed_bytes_is_invalid if {
	modified := signed([{"verifies": true, "key": trusted_key, "coverage": "none", "key_id": "k1", "key_id_trusted": true}])
	{f.code | some f in deny} == {"signature-invalid"} with input as {"artifacts": [artifact("a.wasm", modified)]} with data.wasmgate_config.signatures as may_sign
}

test_a_forged_signature_with_a_trusted_key_id_is_invalid if {
	forged := signed([{"verifies": false, "key": null, "key_id": "k1", "key_id_trusted": true}])
	{f.code | some f in deny} == {"signature-invalid"} with input as {"artifacts": [artifact("a.wasm", forged)]} with data.wasmgate_config.signatures as may_sign
}

test_a_signature_by_an_unknown_key_is_untrusted if {
	stranger := signed([{"verifies": false, "key": null, "key_id": "other", "key_id_trusted": false}])
	[f] := [x | some x in deny] with input as {"artifacts": [artifact("a.wasm", stranger)]} with data.wasmgate_config.signatures as may_sign
	f.code == "signature-untrusted"
	contains(f.msg, "key ids: other")
}

test_a_partial_signature_is_denied_unless_allowed if {
	partial := signed([{"verifies": true, "key": trusted_key, "coverage": "partial", "covered_until": 512, "key_id": "k1", "key_id_trusted": true}])
	[f] := [x | some x in deny] with input as {"artifacts": [artifact("a.wasm", partial)]} with data.wasmgate_config.signatures as may_sign
	f.code == "signature-partial"
	f.offset == 512
	count(deny) == 0 with input as {"artifacts": [artifact("a.wasm", partial)]} with data.wasmgate_config.signatures as {"required": [], "allow_partial": true}
}

test_signatures_without_trusted_keys_are_unverified if {
	present := object.union(signed([{"verifies": false, "key": null, "key_id": "k1", "key_id_trusted": false}]), {"trusted_keys": 0})
	{f.code | some f in warn} == {"signature-unverified"} with input as {"artifacts": [artifact("a.wasm", present)]} with data.wasmgate_config.signatures as may_sign
	count(deny) == 0 with input as {"artifacts": [artifact("a.wasm", present)]} with data.wasmgate_config.signatures as may_sign
}

test_a_verified_signature_passes if {
	good := object.union(signed([{"verifies": true, "key": trusted_key, "coverage": "full", "key_id": "k1", "key_id_trusted": true}]), {"verified": true})
	count(deny | warn) == 0 with input as {"artifacts": [artifact("a.wasm", good)]} with data.wasmgate_config.signatures as must_sign
}
