# policy-changed, git-unavailable: the gate's own files and the repository it reads.
package wasmgate.builtin.git

import rego.v1

warn contains finding if {
	some change in input.git.governing_changes
	finding := {
		"code": "policy-changed",
		"msg": sprintf("%s %s is %s in this change; %s", [change.kind, change.path, change.change, consequence(change)]),
		"details": change,
	}
}

consequence(change) := "deltas are measured against the merge-base version" if {
	change.kind == "baseline"
} else := "this run used the merge-base version (--trust head uses the changed one)" if {
	input.git.trust == "base"
} else := "this run used the changed version because of --trust head"

warn contains finding if {
	input.git == null
	finding := {
		"code": "git-unavailable",
		"msg": "not in a git repository with commits: no base, commits or AI provenance were checked, and the baseline was read from the work tree",
	}
}
