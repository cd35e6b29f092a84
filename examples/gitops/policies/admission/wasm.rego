# The platform team's admission policy (Rego v0), with the `contains` bug fixed to set
# membership: the same file runs in the cluster's admission controller.
package apexlogic.wasm.policy

deny[msg] {
	input.request.object.kind == "WasmModule"
	input.request.object.metadata.annotations["apexlogic.com/max-memory-mb"] != ""
	max_memory_mb := to_number(input.request.object.metadata.annotations["apexlogic.com/max-memory-mb"])
	input.request.object.spec.memory_limit_mb > max_memory_mb
	msg := sprintf("Wasm module '%v' exceeds declared max memory of %vMB. Current: %vMB", [input.request.object.metadata.name, max_memory_mb, input.request.object.spec.memory_limit_mb])
}

deny[msg] {
	input.request.object.kind == "WasmModule"
	unauthorized_host_functions := {"fs_write", "network_connect"}
	some i
	unauthorized_host_functions[input.request.object.spec.imported_functions[i].name]
	msg := sprintf("Wasm module '%v' attempts to import unauthorized host function '%v'.", [input.request.object.metadata.name, input.request.object.spec.imported_functions[i].name])
}
