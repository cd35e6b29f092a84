# signature-missing, signature-invalid, signature-untrusted, signature-partial,
# signature-misplaced, signature-malformed, signature-unverified, signature-foreign-section.
package wasmgate.builtin.signatures

import rego.v1

cfg := data.wasmgate_config.signatures

required(a) if {
	some pattern in cfg.required
	glob.match(pattern, ["/"], a.path)
}

# Artifacts whose signature facts were collected (every artifact on disk).
signed_facts contains [a, s] if {
	some a in input.artifacts
	s := a.signature
	s != null
}

deny contains finding if {
	some [a, s] in signed_facts
	not s.present
	required(a)
	finding := {"code": "signature-missing", "artifact": a.path, "msg": "is not signed, and [signatures] required matches it", "config_key": "signatures.required"}
}

warn contains finding if {
	some [a, s] in signed_facts
	not s.present
	not required(a)
	a.kind != null
	finding := {"code": "signature-missing", "artifact": a.path, "msg": "is not signed (no embedded signature section and no .sig file next to it)"}
}

deny contains finding if {
	some [a, s] in signed_facts
	s.error != null
	s.present
	finding := {"code": "signature-malformed", "artifact": a.path, "msg": sprintf("carries signature data that cannot be read: %s", [s.error])}
}

deny contains finding if {
	some [a, s] in signed_facts
	some offset in s.misplaced
	finding := {"code": "signature-misplaced", "artifact": a.path, "msg": sprintf("has a signature section at byte %d that is not the first section, so it signs nothing a verifier checks", [offset]), "offset": offset}
}

warn contains finding if {
	some [a, s] in signed_facts
	some offset in s.foreign
	finding := {"code": "signature-foreign-section", "artifact": a.path, "msg": sprintf("has a `signature` custom section at byte %d in another tool's format; wasmgate ignores it", [offset]), "offset": offset}
}

# With trusted keys: a present, readable signature set must verify fully with one of them.
unverified(a, s) if {
	s.present
	s.error == null
	s.trusted_keys > 0
	not s.verified
}

deny contains finding if {
	some [a, s] in signed_facts
	unverified(a, s)
	some sig in s.signatures
	sig.verifies
	sig.key.trusted
	sig.coverage == "none"
	finding := {"code": "signature-invalid", "artifact": a.path, "msg": sprintf("was modified after it was signed by %s: the signed hashes do not match its contents", [sig.key.name])}
}

deny contains finding if {
	some [a, s] in signed_facts
	unverified(a, s)
	some sig in s.signatures
	not sig.verifies
	sig.key_id_trusted
	finding := {"code": "signature-invalid", "artifact": a.path, "msg": sprintf("has a signature with the key id of a trusted key (%s) that does not verify: the signature is corrupt or forged", [sig.key_id])}
}

deny contains finding if {
	some [a, s] in signed_facts
	unverified(a, s)
	not invalid_evidence(s)
	not partial_evidence(s)
	ids := sort({id | some sig in s.signatures; id := object.get(sig, "key_id", null); id != null})
	finding := {"code": "signature-untrusted", "artifact": a.path, "msg": sprintf("is signed, but by no trusted key (%d signature(s); key ids: %s)", [count(s.signatures), describe_ids(ids)]), "config_key": "signatures.trusted_keys"}
}

describe_ids(ids) := concat(", ", ids) if count(ids) > 0

else := "none recorded"

invalid_evidence(s) if {
	some sig in s.signatures
	sig.verifies
	sig.key.trusted
	sig.coverage == "none"
}

invalid_evidence(s) if {
	some sig in s.signatures
	not sig.verifies
	sig.key_id_trusted
}

partial_evidence(s) if {
	some sig in s.signatures
	sig.verifies
	sig.key.trusted
	sig.coverage == "partial"
}

deny contains finding if {
	some [a, s] in signed_facts
	unverified(a, s)
	not cfg.allow_partial
	some sig in s.signatures
	sig.verifies
	sig.key.trusted
	sig.coverage == "partial"
	finding := {"code": "signature-partial", "artifact": a.path, "msg": sprintf("is signed by %s only up to byte %d; the sections after it are not covered", [sig.key.name, sig.covered_until]), "offset": sig.covered_until, "config_key": "signatures.allow_partial"}
}

warn contains finding if {
	some [a, s] in signed_facts
	s.present
	s.error == null
	s.trusted_keys == 0
	finding := {"code": "signature-unverified", "artifact": a.path, "msg": sprintf("carries %d signature(s), but no trusted keys are configured to check them", [count(s.signatures)]), "config_key": "signatures.trusted_keys"}
}
