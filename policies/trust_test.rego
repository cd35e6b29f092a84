# Tests of trust.rego: what the gate could not or would not read.
package wasmgate.builtin.trust

import rego.v1

test_a_gate_file_that_is_a_link_is_denied if {
	findings := deny with input as {
		"gate_files_not_regular": [{"kind": "config", "path": "wasmgate.toml", "found": "symlink", "tree": "merge-base"}],
		"refused_artifacts": [],
		"artifacts": [],
	}
	[f] := [x | some x in findings]
	f.code == "gate-file-not-regular"
	f.msg == "config wasmgate.toml is a symlink in the merge-base, not a regular file; the gate does not follow it"
}

test_a_refused_artifact_keeps_its_code if {
	findings := deny with input as {
		"gate_files_not_regular": [],
		"refused_artifacts": [{"code": "artifact-outside-root", "path": "../x.wasm", "reason": "resolves outside the repository root"}],
		"artifacts": [],
	}
	[f] := [x | some x in findings]
	f.code == "artifact-outside-root"
	f.artifact == "../x.wasm"
}

test_exceeded_limits_are_denied if {
	findings := deny with input as {
		"gate_files_not_regular": [],
		"refused_artifacts": [],
		"artifacts": [{"path": "a.wasm", "limits_exceeded": [{"what": "imports", "count": 20000, "limit": 10000, "key": "imports"}]}],
	}
	[f] := [x | some x in findings]
	f.code == "wasm-limits-exceeded"
	contains(f.msg, "has 20000 imports, more than the limit of 10000")
}

test_nothing_refused_passes if {
	count(deny) == 0 with input as {"gate_files_not_regular": [], "refused_artifacts": [], "artifacts": [{"path": "a.wasm"}]}
}
