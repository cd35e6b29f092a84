# Tests of git.rego.
package wasmgate.builtin.git

import rego.v1

test_a_changed_policy_is_a_warning_that_says_which_version_ran if {
	findings := warn with input as {"git": {"trust": "base", "governing_changes": [{"kind": "policy", "path": "policies/team.rego", "change": "modified"}]}}
	[f] := [x | some x in findings]
	f.code == "policy-changed"
	f.msg == "policy policies/team.rego is modified in this change; this run used the merge-base version (--trust head uses the changed one)"
}

test_trust_head_and_baseline_changes_say_so if {
	findings := warn with input as {"git": {"trust": "head", "governing_changes": [
		{"kind": "config", "path": "wasmgate.toml", "change": "modified"},
		{"kind": "baseline", "path": ".wasmgate/baseline.json", "change": "added"},
	]}}
	msgs := {f.msg | some f in findings}
	"config wasmgate.toml is modified in this change; this run used the changed version because of --trust head" in msgs
	".wasmgate/baseline.json is added in this change; deltas are measured against the merge-base version" in {substring(m, 9, -1) | some m in msgs}
}

test_no_repository_is_a_warning if {
	[f] := [x | some x in warn] with input as {"git": null}
	f.code == "git-unavailable"
}

test_a_clean_change_passes if {
	count(warn) == 0 with input as {"git": {"trust": "base", "governing_changes": []}}
}
