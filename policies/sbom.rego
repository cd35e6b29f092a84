# sbom-missing, sbom-invalid, sbom-digest-mismatch, sbom-dependency-undeclared,
# sbom-dependency-absent, license-denied, model-card-incomplete, undeclared-model.
package wasmgate.builtin.sbom

import rego.v1

cfg := data.wasmgate_config.sbom

required(a) if {
	some pattern in cfg.required
	glob.match(pattern, ["/"], a.path)
}

deny contains finding if {
	some a in input.artifacts
	a.sbom == null
	required(a)
	finding := {"code": "sbom-missing", "artifact": a.path, "msg": "has no SBOM (no ARTIFACT.cdx.json / .spdx.json / .bom.json next to it, no [sbom] files entry), and [sbom] required matches it", "config_key": "sbom.required"}
}

deny contains finding if {
	some a in input.artifacts
	s := a.sbom
	s != null
	count(s.problems) > 0
	first := s.problems[0]
	finding := {
		"code": "sbom-invalid",
		"artifact": a.path,
		"msg": sprintf("SBOM %s is invalid (%d problem(s)); first at %s: %s", [s.path, count(s.problems), pointer(first.pointer), first.message]),
		"details": {"sbom": s.path, "problems": s.problems},
	}
}

pointer(p) := p if p != ""

else := "the document root"

deny contains finding if {
	some a in input.artifacts
	s := a.sbom
	s != null
	s.format != null
	s.binding == "none"
	finding := {
		"code": "sbom-digest-mismatch",
		"artifact": a.path,
		"msg": sprintf("SBOM %s does not describe these bytes: %s", [s.path, mismatch(a, s)]),
		"details": {"sbom": s.path, "artifact_sha256": a.sha256, "unsigned_sha256": s.unsigned_sha256, "declared": declared(s)},
	}
}

declared(s) := [h.value | some h in object.get(s, ["subject", "hashes"], []); sha256(h.algorithm)]

sha256(alg) if lower(replace(alg, "-", "")) == "sha256"

mismatch(a, s) := "it declares no SHA-256 for its subject" if count(declared(s)) == 0

else := sprintf("its subject's SHA-256 is %s, the artifact's is %s", [concat(", ", declared(s)), a.sha256])

# Packages compiled into the artifact (cargo-auditable) that the SBOM does not list.
deny contains finding if {
	some a in input.artifacts
	s := a.sbom
	s != null
	deps := a.embedded_dependencies
	deps != null
	some p in deps.packages
	p.kind == "runtime"
	not p.root
	not listed(s, p)
	finding := {
		"code": "sbom-dependency-undeclared",
		"artifact": a.path,
		"msg": sprintf("embeds %s %s (per its .dep-v0 section), which SBOM %s does not list", [p.name, p.version, s.path]),
		"details": {"name": p.name, "version": p.version, "from": ".dep-v0"},
	}
}

listed(s, p) if {
	some c in s.components
	c.name == p.name
	c.version == p.version
}

# Crates the SBOM lists that the embedded dependency list does not have.
warn contains finding if {
	some a in input.artifacts
	s := a.sbom
	s != null
	deps := a.embedded_dependencies
	deps != null
	deps.error == null
	some c in s.components
	startswith(object.get(c, "purl", ""), "pkg:cargo/")
	not embedded(deps, c)
	finding := {
		"code": "sbom-dependency-absent",
		"artifact": a.path,
		"msg": sprintf("SBOM %s lists %s %s, which the artifact's .dep-v0 does not embed", [s.path, c.name, object.get(c, "version", "?")]),
		"details": {"name": c.name, "version": c.version, "pointer": c.pointer},
	}
}

embedded(deps, c) if {
	some p in deps.packages
	p.name == c.name
	p.version == c.version
}

deny contains finding if {
	some a in input.artifacts
	deps := a.embedded_dependencies
	deps != null
	deps.error != null
	finding := {"code": "sbom-invalid", "artifact": a.path, "msg": sprintf("its .dep-v0 dependency list cannot be read: %s", [deps.error])}
}

# Licenses: some alternative of every license of the component must be acceptable.
deny contains finding if {
	some a in input.artifacts
	s := a.sbom
	s != null
	some c in s.components
	some l in c.licenses
	not acceptable(l)
	finding := {
		"code": "license-denied",
		"artifact": a.path,
		"msg": sprintf("%s %s (%s in %s) is licensed `%s`, which the license policy does not accept", [c.name, object.get(c, "version", ""), c.pointer, s.path, l.expression]),
		"details": {"component": c.name, "pointer": c.pointer, "expression": l.expression},
	}
}

# A component with no license at all meets no allow list: `[sbom] unlicensed` says how much
# that matters (deny by default).
deny contains finding if {
	cfg.unlicensed == "deny"
	some finding in unlicensed
}

warn contains finding if {
	cfg.unlicensed == "warn"
	some finding in unlicensed
}

unlicensed contains finding if {
	cfg.licenses_allow != null
	some a in input.artifacts
	s := a.sbom
	s != null
	some c in s.components
	count(c.licenses) == 0
	not cargo_license(c)
	finding := {
		"code": "license-denied",
		"artifact": a.path,
		"msg": sprintf("%s %s (%s in %s) declares no license, and licenses_allow is set ([sbom] unlicensed = \"%s\")", [c.name, object.get(c, "version", ""), c.pointer, s.path, cfg.unlicensed]),
		"config_key": "sbom.unlicensed",
		"details": {"component": c.name, "pointer": c.pointer, "expression": null},
	}
}

acceptable(l) if {
	l.valid
	some alternative in l.alternatives
	alternative_ok(alternative)
}

alternative_ok(alternative) if {
	every id in alternative {
		not denied(id)
		allowed(id)
	}
}

denied(id) if {
	some d in cfg.licenses_deny
	license_matches(d, id)
}

allowed(_) if cfg.licenses_allow == null

allowed(id) if {
	cfg.licenses_allow != null
	some l in cfg.licenses_allow
	license_matches(l, id)
}

# `Apache-2.0` matches `Apache-2.0 WITH LLVM-exception` as well.
license_matches(pattern, id) if pattern == id

license_matches(pattern, id) if startswith(id, concat("", [pattern, " WITH "]))

# Responsible AI: a shipped model carries a complete model card.
deny contains finding if {
	some a in input.artifacts
	s := a.sbom
	s != null
	some c in s.components
	c.kind == "machine-learning-model"
	missing := model_card_missing(c)
	count(missing) > 0
	finding := {
		"code": "model-card-incomplete",
		"artifact": a.path,
		"msg": sprintf("model %s (%s in %s) has an incomplete model card: missing %s", [c.name, c.pointer, s.path, concat(", ", missing)]),
		"config_key": "sbom.model_card",
		"details": {"component": c.name, "missing": missing},
	}
}

model_card_missing(c) := sort([item | some item in cfg.model_card; lacks(c, item)])

# An SPDX package says it is a model without a CycloneDX card: no card, not an error.
card(c) := c.model_card if is_object(c.model_card)

else := {}

lacks(c, "model-card") if not card(c).present

lacks(c, "datasets") if count(object.get(card(c), "datasets", [])) == 0

lacks(c, "dataset-provenance") if {
	some d in object.get(card(c), "datasets", [])
	not dataset_ok(d)
}

dataset_ok(d) if {
	d.resolved
	d.provenance
}

lacks(c, "fairness") if object.get(card(c), "fairness_assessments", 0) == 0

lacks(c, "ethics") if object.get(card(c), "ethical_considerations", 0) == 0

lacks(c, "limitations") if object.get(card(c), "technical_limitations", 0) == 0

lacks(c, "energy") if object.get(card(c), "energy_consumptions", 0) == 0

lacks(c, "license") if count(c.licenses) == 0

# Each payload needs its own machine-learning-model component, matched by SHA-256 or by
# name and size: one component does not cover every model the artifact carries.
deny contains finding if {
	some a in input.artifacts
	some m in a.embedded_models
	object.get(m, "declared_by", null) == null
	finding := {
		"code": "undeclared-model",
		"artifact": a.path,
		"msg": sprintf("embeds a %s model (%s, %d bytes, sha256 %s) that no machine-learning-model component of an SBOM declares%s", [m.format, m.location, m.size, m.sha256, model_hint(a, m)]),
		"offset": m.offset,
		"details": m,
	}
}

model_hint(a, m) := "; add a component with its SHA-256 in hashes" if {
	object.get(a, "sbom", null) == null
} else := "; add a component with its SHA-256 in hashes" if {
	count([c | some c in a.sbom.components; c.kind == "machine-learning-model"]) == 0
} else := sprintf(": no unused component has its SHA-256 in hashes or its name (%s) with a wasmgate:size property of %d, and each embedded model needs its own", [object.get(m, "name", null), m.size]) if {
	object.get(m, "name", null) != null
} else := ": no unused component has its SHA-256 in hashes, and each embedded model needs its own"

# The resolved Cargo graph of the crate that builds the wasm, against each SBOM.
deny contains finding if {
	some a in input.artifacts
	s := a.sbom
	s != null
	some p in input.cargo.packages
	not p.build_only
	not listed(s, p)
	finding := {
		"code": "sbom-dependency-undeclared",
		"artifact": a.path,
		"msg": sprintf("depends on %s %s (per %s), which SBOM %s does not list", [p.name, p.version, input.cargo.manifest, s.path]),
		"details": {"name": p.name, "version": p.version, "from": "cargo"},
	}
}

warn contains finding if {
	some a in input.artifacts
	s := a.sbom
	s != null
	input.cargo != null
	some c in s.components
	startswith(object.get(c, "purl", ""), "pkg:cargo/")
	c.name != input.cargo.root
	not in_graph(c)
	finding := {
		"code": "sbom-dependency-absent",
		"artifact": a.path,
		"msg": sprintf("SBOM %s lists %s %s, which the Cargo graph of %s does not resolve", [s.path, c.name, object.get(c, "version", "?"), input.cargo.manifest]),
		"details": {"name": c.name, "version": c.version, "pointer": c.pointer, "from": "cargo"},
	}
}

in_graph(c) if {
	some p in input.cargo.packages
	p.name == c.name
	p.version == c.version
}

cargo_license(c) if {
	some p in input.cargo.packages
	p.name == c.name
	p.version == c.version
	p.license != null
}

# Components without a license in the SBOM take the license Cargo.toml declares.
deny contains finding if {
	some a in input.artifacts
	s := a.sbom
	s != null
	some c in s.components
	count(c.licenses) == 0
	some p in input.cargo.packages
	p.name == c.name
	p.version == c.version
	p.license != null
	not acceptable(p.license)
	finding := {
		"code": "license-denied",
		"artifact": a.path,
		"msg": sprintf("%s %s (%s in %s) is licensed `%s` per Cargo.toml, which the license policy does not accept", [c.name, c.version, c.pointer, s.path, p.license.expression]),
		"details": {"component": c.name, "pointer": c.pointer, "expression": p.license.expression, "from": "cargo"},
	}
}
