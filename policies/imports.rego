# import-denied, import-not-allowed: import allow and deny lists.
package wasmgate.builtin.imports

import data.wasmgate.builtin.lib
import rego.v1

cfg := data.wasmgate_config.imports

deny contains finding if {
	some a in input.artifacts
	some imp in a.imports
	some pattern in cfg.deny
	lib.import_matches(pattern, imp)
	finding := core_finding("import-denied", a, imp, "matches imports.deny", "imports.deny")
}

deny contains finding if {
	some a in input.artifacts
	some item in lib.component_imports(a)
	some pattern in cfg.deny
	lib.item_matches(pattern, item)
	finding := item_finding("import-denied", a, item, "matches imports.deny", "imports.deny")
}

deny contains finding if {
	cfg.allow != null
	some a in input.artifacts
	some imp in a.imports
	not core_allowed(imp)
	finding := core_finding("import-not-allowed", a, imp, "is not in imports.allow", "imports.allow")
}

deny contains finding if {
	cfg.allow != null
	some a in input.artifacts
	some item in lib.component_imports(a)
	not item_allowed(item)
	finding := item_finding("import-not-allowed", a, item, "is not in imports.allow", "imports.allow")
}

core_allowed(imp) if {
	some pattern in cfg.allow
	lib.import_matches(pattern, imp)
}

item_allowed(item) if {
	some pattern in cfg.allow
	lib.item_matches(pattern, item)
}

core_finding(code, a, imp, why, key) := {
	"code": code,
	"artifact": a.path,
	"msg": sprintf("imports %s `%s.%s`, which %s", [imp.kind, imp.module, imp.name, why]),
	"config_key": key,
	"details": {"module": imp.module, "name": imp.name, "kind": imp.kind},
}

item_finding(code, a, item, why, key) := {
	"code": code,
	"artifact": a.path,
	"msg": sprintf("imports %s `%s`, which %s", [item.kind, item.name, why]),
	"config_key": key,
	"details": {"name": item.name, "kind": item.kind},
}
