# Tests of proposals.rego.
package wasmgate.builtin.proposals

import rego.v1

test_a_proposal_outside_the_allow_list_is_denied if {
	findings := deny with input as {"artifacts": [{"path": "a.wasm", "proposals": ["simd", "threads"]}]}
		with data.wasmgate_config.proposals as {"allow": ["simd"]}
	[f] := [x | some x in findings]
	f.code == "proposal-not-allowed"
	f.details.proposal == "threads"
}

test_without_an_allow_list_every_proposal_passes if {
	count(deny) == 0 with input as {"artifacts": [{"path": "a.wasm", "proposals": ["gc"]}]}
		with data.wasmgate_config.proposals as {"allow": null}
}
