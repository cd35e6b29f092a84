# Tests of wasm.rego: malformed and invalid artifacts.
package wasmgate.builtin.wasm

import rego.v1

test_malformed_is_denied_with_the_parser_message if {
	findings := deny with input as {"artifacts": [{"path": "a.wasm", "malformed": true, "valid": false, "validation_error": {"message": "magic header not detected", "offset": 0}}]}
	[f] := [x | some x in findings]
	f.code == "wasm-malformed"
	f.msg == "is not a well-formed wasm binary: magic header not detected"
	f.offset == 0
}

test_invalid_is_denied_at_its_offset if {
	findings := deny with input as {"artifacts": [{"path": "a.wasm", "malformed": false, "valid": false, "validation_error": {"message": "type mismatch", "offset": 42}}]}
	[f] := [x | some x in findings]
	f.code == "wasm-invalid"
	f.offset == 42
	f.msg == "does not validate: type mismatch"
}

test_invalid_without_a_message_still_says_what if {
	findings := deny with input as {"artifacts": [{"path": "a.wasm", "valid": false, "validation_error": null}]}
	[f] := [x | some x in findings]
	f.msg == "does not validate"
}

test_valid_passes if {
	count(deny) == 0 with input as {"artifacts": [{"path": "a.wasm", "malformed": false, "valid": true}]}
}
