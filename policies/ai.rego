# ai-review-missing, ai-trailer-required, ai-trailer-forbidden: AI-assisted changes are
# reviewed by people where it matters, and say so in the form the project asks for.
package wasmgate.builtin.ai

import rego.v1

cfg := data.wasmgate_config.ai

protected(file) if {
	some pattern in cfg.protected
	glob.match(pattern, ["/"], file)
}

short(sha) := substring(sha, 0, 12)

deny contains finding if {
	cfg.require_review
	some c in input.git.commits
	c.ai.assisted
	count(c.ai.human_reviewers) == 0
	files := sort([f | some f in c.files; protected(f)])
	count(files) > 0
	finding := {
		"code": "ai-review-missing",
		"msg": sprintf(
			"AI-assisted commit %s \"%s\" (%s) touches protected paths (%s) without a human `%s:` trailer",
			[short(c.sha), c.subject, concat(", ", c.ai.via), concat(", ", files), cfg.review_trailer],
		),
		"config_key": "ai.protected",
		"details": {"commit": c.sha, "files": files, "tools": c.ai.tools},
	}
}

deny contains finding if {
	cfg.require_trailer != null
	some c in input.git.commits
	c.ai.assisted
	not has_trailer(c, cfg.require_trailer)
	finding := {
		"code": "ai-trailer-required",
		"msg": sprintf(
			"AI-assisted commit %s \"%s\" says so with %s, but this project asks for a `%s:` trailer",
			[short(c.sha), c.subject, concat(", ", c.ai.via), cfg.require_trailer],
		),
		"config_key": "ai.require_trailer",
		"details": {"commit": c.sha},
	}
}

has_trailer(c, key) if {
	some t in c.trailers
	lower(t.key) == lower(key)
}

deny contains finding if {
	some c in input.git.commits
	some key in c.ai.via
	some forbidden in cfg.forbid_trailers
	lower(key) == lower(forbidden)
	finding := {
		"code": "ai-trailer-forbidden",
		"msg": sprintf(
			"commit %s \"%s\" attributes AI with `%s:`, which this project does not accept",
			[short(c.sha), c.subject, key],
		),
		"config_key": "ai.forbid_trailers",
		"details": {"commit": c.sha, "trailer": key},
	}
}
