# proposal-not-allowed: only the WebAssembly proposals every target engine supports.
package wasmgate.builtin.proposals

import rego.v1

cfg := data.wasmgate_config.proposals

deny contains finding if {
	cfg.allow != null
	some a in input.artifacts
	some proposal in a.proposals
	not proposal in cfg.allow
	finding := {
		"code": "proposal-not-allowed",
		"artifact": a.path,
		"msg": sprintf("uses the `%s` proposal, which is not in proposals.allow", [proposal]),
		"config_key": "proposals.allow",
		"details": {"proposal": proposal},
	}
}
