# custom-section-debug, custom-section-denied, custom-section-missing.
package wasmgate.builtin.custom_sections

import data.wasmgate.builtin.lib
import rego.v1

cfg := data.wasmgate_config.custom_sections

# Custom sections of an artifact and of the modules nested in it.
sections(a) := array.concat(a.custom_sections, [object.union(s, {"module": m.nested}) | some m in lib.core_modules(a); m != a; some s in m.custom_sections])

# `in core module N (at byte X)` for a section of a module nested in a component.
where(s) := sprintf(" in %s", [s.module]) if s.module

else := ""

matches_any(name, patterns) if {
	some pattern in patterns
	glob.match(pattern, null, name)
}

warn contains finding if {
	some a in input.artifacts
	debug := [s | some s in sections(a); matches_any(s.name, cfg.debug)]
	count(debug) > 0
	names := sort({s.name | some s in debug})
	total := sum([s.size | some s in debug])
	finding := {
		"code": "custom-section-debug",
		"artifact": a.path,
		"msg": sprintf("carries debug custom sections (%s): %d bytes a release build usually strips", [concat(", ", names), total]),
		"config_key": "custom_sections.debug",
		"details": {"sections": names, "bytes": total},
	}
}

deny contains finding if {
	some a in input.artifacts
	some s in sections(a)
	matches_any(s.name, cfg.deny)
	finding := {
		"code": "custom-section-denied",
		"artifact": a.path,
		"msg": sprintf("carries custom section `%s` (%d bytes)%s, which custom_sections.deny forbids", [s.name, s.size, where(s)]),
		"config_key": "custom_sections.deny",
		"offset": s.offset,
	}
}

deny contains finding if {
	some a in input.artifacts
	a.kind != null
	some required in cfg.require
	not has_section(a, required)
	finding := {
		"code": "custom-section-missing",
		"artifact": a.path,
		"msg": sprintf("has no `%s` custom section, which custom_sections.require lists", [required]),
		"config_key": "custom_sections.require",
	}
}

has_section(a, name) if {
	some s in sections(a)
	s.name == name
	not unreadable(a, name)
}

# A `producers` section that cannot be read is not the producers section a require asks for.
unreadable(a, "producers") if a.producers_malformed == true
