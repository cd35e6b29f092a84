//! Wasm facts checked against what each `.wat` fixture encodes.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::print_stdout)]

mod common;

use sha2::{Digest, Sha256};
use wasmgate::facts::wasm::{WasmFacts, WasmKind, collect};

fn facts_of(fixture: &str) -> WasmFacts {
    collect(&common::fixture(fixture))
}

fn proposals_of(wat: &str) -> Vec<String> {
    let facts = collect(&wat::parse_str(wat).unwrap());
    assert!(facts.valid, "{:?}", facts.validation_error);
    facts.proposals
}

#[test]
fn module_structure() {
    let facts = facts_of("app");
    assert_eq!(facts.kind, Some(WasmKind::Module));
    assert!(facts.valid && !facts.malformed);
    assert_eq!(facts.imports.len(), 1);
    let import = &facts.imports[0];
    assert_eq!(
        (&*import.module, &*import.name, import.kind.as_ref()),
        ("env", "log", "func")
    );
    assert_eq!(import.func_type.as_ref().unwrap().params, ["i32"]);
    let exports: Vec<_> = facts
        .exports
        .iter()
        .map(|e| (&*e.name, e.kind.as_ref()))
        .collect();
    assert_eq!(
        exports,
        [("memory", "memory"), ("add", "func"), ("tick", "func")]
    );
    let add = facts.exports[1].func_type.as_ref().unwrap();
    assert_eq!(
        (add.params.clone(), add.results.clone()),
        (
            vec!["i32".to_string(), "i32".to_string()],
            vec!["i32".to_string()]
        )
    );
    assert_eq!(facts.functions.imported, 1);
    assert_eq!(facts.functions.defined, 2);
    assert!(facts.functions.code_size > 0);
    let memory = &facts.memories[0];
    assert_eq!((memory.initial_pages, memory.maximum_pages), (2, Some(16)));
    assert_eq!(
        (memory.initial_bytes, memory.maximum_bytes),
        (131_072, Some(1_048_576))
    );
    assert!(!memory.shared && !memory.memory64 && !memory.imported);
    assert_eq!(facts.globals.len(), 1);
    assert!(facts.globals[0].mutable);
    assert_eq!((facts.data.count, facts.data.bytes), (1, 15));
    let producers = facts.producers.as_ref().unwrap();
    assert_eq!(producers.language[0].name, "Rust");
    assert_eq!(producers.processed_by[0].name, "rustc");
    assert_eq!(producers.sdk[0].name, "wasm-bindgen");
    assert!(facts.proposals.is_empty(), "{:?}", facts.proposals);
    assert_eq!(facts.start, None);
}

#[test]
fn sections_tile_the_file() {
    let bytes = common::fixture("app");
    let facts = collect(&bytes);
    let names: Vec<_> = facts.sections.iter().map(|s| s.name.as_str()).collect();
    assert_eq!(
        names,
        [
            "type",
            "import",
            "function",
            "memory",
            "global",
            "export",
            "code",
            "data",
            "producers",
            "name"
        ]
    );
    let last = facts.sections.last().unwrap();
    assert_eq!(last.offset + last.size, bytes.len() as u64);
    for pair in facts.sections.windows(2) {
        assert!(pair[0].offset + pair[0].size < pair[1].offset);
    }
}

#[test]
fn wasi_imports_and_unbounded_memory() {
    let facts = facts_of("wasi");
    let imports: Vec<_> = facts
        .imports
        .iter()
        .map(|i| format!("{}.{}", i.module, i.name))
        .collect();
    assert_eq!(
        imports,
        [
            "wasi_snapshot_preview1.fd_write",
            "wasi_snapshot_preview1.proc_exit"
        ]
    );
    assert_eq!(facts.memories[0].maximum_pages, None);
    assert_eq!(facts.memories[0].maximum_bytes, None);
}

#[test]
fn shared_memory_and_simd_proposals() {
    let shared = facts_of("shared");
    assert!(shared.memories[0].shared);
    assert_eq!(shared.proposals, ["threads"]);
    assert_eq!(facts_of("simd").proposals, ["simd"]);
}

#[test]
fn debug_custom_sections() {
    let facts = facts_of("debug");
    let sections: Vec<_> = facts
        .custom_sections
        .iter()
        .map(|s| s.name.as_str())
        .collect();
    assert_eq!(
        sections,
        [".debug_info", ".debug_line", "sourceMappingURL", "name"]
    );
    // `.debug_info` holds a 1-byte name length, 11 name bytes and 8 payload bytes.
    assert_eq!(facts.custom_sections[0].size, 1 + 11 + 8);
}

#[test]
fn target_features_section() {
    let wat = r#"(module (@custom "target_features" "\02\2b\07simd128\2d\0bbulk-memory"))"#;
    let facts = collect(&wat::parse_str(wat).unwrap());
    assert_eq!(facts.target_features, ["+simd128", "-bulk-memory"]);
}

#[test]
fn component_interfaces_and_nested_modules() {
    let facts = facts_of("component");
    assert_eq!(facts.kind, Some(WasmKind::Component));
    assert!(facts.valid);
    let component = facts.component.as_ref().unwrap();
    assert_eq!(
        component.imported_interfaces,
        ["wasi:cli/environment@0.2.0"]
    );
    assert_eq!(
        component.imports[0].interface.as_deref(),
        Some("wasi:cli/environment")
    );
    assert_eq!(component.imports[0].version.as_deref(), Some("0.2.0"));
    assert_eq!(component.exports[0].name, "run");
    assert_eq!(component.modules.len(), 1);
    let nested = &component.modules[0].facts;
    assert_eq!(nested.kind, Some(WasmKind::Module));
    assert_eq!(nested.functions.defined, 1);
    assert_eq!(nested.memories[0].initial_pages, 1);
    assert!(facts.proposals.contains(&"component_model".to_string()));
}

#[test]
fn invalid_module_reports_message_and_offset() {
    let bytes = common::fixture("invalid");
    let facts = collect(&bytes);
    assert!(!facts.valid);
    assert!(!facts.malformed);
    let error = facts.validation_error.unwrap();
    assert!(error.message.contains("type mismatch"));
    let reference = wasmparser::Validator::new_with_features(wasmparser::WasmFeatures::all())
        .validate_all(&bytes)
        .err()
        .unwrap();
    assert_eq!(error.offset, reference.offset());
}

#[test]
fn proposals_from_operators_and_types() {
    let cases: &[(&str, &str)] = &[
        ("tail_call", "(module (func $f (return_call $f)))"),
        ("exceptions", "(module (tag $t) (func (throw $t)))"),
        (
            "legacy_exceptions",
            "(module (tag $t) (func try nop catch $t end))",
        ),
        (
            "gc",
            "(module (type (struct (field i32))) (func (result i32) (i31.get_s (ref.i31 (i32.const 1)))))",
        ),
        ("multi_memory", "(module (memory 1) (memory 1))"),
        ("memory64", "(module (memory i64 1))"),
        (
            "bulk_memory",
            "(module (memory 1) (func (memory.copy (i32.const 0) (i32.const 0) (i32.const 0))))",
        ),
        ("reference_types", "(module (table 1 externref))"),
        (
            "multi_value",
            "(module (func (result i32 i32) i32.const 1 i32.const 2))",
        ),
        (
            "sign_extension",
            "(module (func (result i32) (i32.extend8_s (i32.const 1))))",
        ),
        (
            "saturating_float_to_int",
            "(module (func (result i32) (i32.trunc_sat_f32_s (f32.const 1))))",
        ),
        (
            "relaxed_simd",
            "(module (func (result v128) (i8x16.relaxed_swizzle (v128.const i64x2 0 0) (v128.const i64x2 0 0))))",
        ),
        (
            "extended_const",
            "(module (global i32 (i32.add (i32.const 1) (i32.const 2))))",
        ),
        (
            "mutable_global",
            "(module (import \"env\" \"g\" (global (mut i32))))",
        ),
    ];
    for (proposal, wat) in cases {
        let found = proposals_of(wat);
        assert!(
            found.contains(&proposal.to_string()),
            "{proposal}: found {found:?} in {wat}"
        );
    }
    assert!(proposals_of("(module (func (result i32) i32.const 1))").is_empty());
}

#[test]
fn sha256_and_raw_size_through_the_binary() {
    let sandbox = common::Sandbox::new();
    let bytes = common::fixture("component");
    sandbox.write("dist/c.wasm", &bytes);
    let document = common::facts(&sandbox, &["--no-compress"]);
    assert_eq!(document["schema_version"], "wasmgate.input/v1");
    let artifact = &document["artifacts"][0];
    assert_eq!(artifact["sha256"], hex(&Sha256::digest(&bytes)));
    assert_eq!(artifact["size"]["raw"], bytes.len());
    assert_eq!(artifact["size"]["gzip"], serde_json::Value::Null);
    assert_eq!(artifact["kind"], "component");
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// A memory64 maximum of 2^48 pages is 2^64 bytes, one more than a u64 holds: bounded all the
/// same, and said so, not read as "no maximum".
#[test]
fn a_memory64_maximum_past_u64_is_bounded() {
    let pages: u64 = 1 << 48;
    let wat = format!(
        "(module (memory i64 1 {pages}) (memory i64 1 {}))",
        pages / 2
    );
    let facts = collect(&wat::parse_str(&wat).unwrap());
    assert!(facts.valid, "{:?}", facts.validation_error);
    let huge = &facts.memories[0];
    assert_eq!(huge.maximum_pages, Some(pages));
    assert_eq!(huge.maximum_bytes, None);
    assert!(huge.maximum_beyond_u64 && huge.memory64);
    let half = &facts.memories[1];
    assert_eq!(half.maximum_bytes, Some((pages / 2) * 65_536));
    assert!(!half.maximum_beyond_u64);
}
