# Tests of ai.rego: AI-assisted commits, reviews and trailers.
package wasmgate.builtin.ai

import rego.v1

settings := {
	"require_review": true,
	"review_trailer": "Reviewed-by",
	"protected": ["src/host/**"],
	"require_trailer": "Assisted-by",
	"forbid_trailers": ["Generated-by"],
}

commit(sha, via, reviewers, files, trailers) := {
	"sha": sha, "subject": "change", "files": files, "trailers": trailers,
	"ai": {"assisted": count(via) > 0, "via": via, "tools": [], "human_reviewers": reviewers},
}

commits := [
	commit("aaaaaaaaaaaaaaaa", ["Generated-by"], [], ["src/host/api.rs", "README.md"], [{"key": "Generated-by", "value": "tool"}]),
	commit("bbbbbbbbbbbbbbbb", ["Assisted-by"], ["Ann <a@example.com>"], ["src/host/api.rs"], [{"key": "Assisted-by", "value": "tool"}]),
	commit("cccccccccccccccc", [], [], ["src/host/api.rs"], []),
]

test_each_rule_judges_only_the_commit_it_is_about if {
	findings := deny with input as {"git": {"commits": commits}} with data.wasmgate_config.ai as settings
	{[f.code, f.details.commit] | some f in findings} == {
		["ai-review-missing", "aaaaaaaaaaaaaaaa"],
		["ai-trailer-required", "aaaaaaaaaaaaaaaa"],
		["ai-trailer-forbidden", "aaaaaaaaaaaaaaaa"],
	}
	[review] := [f | some f in findings; f.code == "ai-review-missing"]
	review.details.files == ["src/host/api.rs"]
	startswith(review.msg, "AI-assisted commit aaaaaaaaaaaa \"change\"")
}

test_without_review_or_trailer_requirements_only_forbidden_trailers_deny if {
	relaxed := object.union(settings, {"require_review": false, "require_trailer": null})
	findings := deny with input as {"git": {"commits": commits}} with data.wasmgate_config.ai as relaxed
	{f.code | some f in findings} == {"ai-trailer-forbidden"}
}
