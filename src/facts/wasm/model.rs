//! The wasm facts as they appear in the policy input: plain data, `Serialize + JsonSchema`.
//!
//! Field names here are the public contract of `input.artifacts[]`; add fields, never rename.

use schemars::JsonSchema;
use std::borrow::Cow;
use std::sync::Arc;

use serde::{Deserialize, Serialize};

/// Whether the artifact is a core module or a component.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum WasmKind {
    /// A core WebAssembly module.
    Module,
    /// A component-model component.
    Component,
}

/// Everything wasmgate reads from one wasm binary.
#[derive(Debug, Clone, Default, Serialize, Deserialize, JsonSchema)]
pub struct WasmFacts {
    /// Limits this binary went past (`[limits]`): what was counted, how many, the limit. The
    /// lists above then hold only the first `limit` items. Each is a `wasm-limits-exceeded`.
    #[serde(default)]
    pub limits_exceeded: Vec<LimitExceeded>,
    /// True when a `producers` section is present but cannot be read: it then satisfies no
    /// `[custom_sections] require`.
    #[serde(default)]
    pub producers_malformed: bool,
    /// `module` or `component`; null when the file does not start with a wasm header.
    pub kind: Option<WasmKind>,
    /// The binary version field of the header (1 for modules, 0x1000d for components).
    pub version: Option<u32>,
    /// True when the binary validates with every proposal wasmparser knows enabled.
    pub valid: bool,
    /// True when the structure itself could not be read (not wasm, truncated, bad encoding);
    /// a well-formed binary that breaks a typing rule is `valid = false, malformed = false`.
    pub malformed: bool,
    /// The first error found while parsing or validating; null when `valid`.
    pub validation_error: Option<ValidationError>,
    /// Every top-level section in file order.
    pub sections: Vec<Section>,
    /// Every top-level custom section in file order.
    pub custom_sections: Vec<CustomSection>,
    /// Core imports in section order (empty for components; see `component.imports`).
    pub imports: Vec<Import>,
    /// Core exports in section order (empty for components; see `component.exports`).
    pub exports: Vec<Export>,
    /// Linear memories, imported ones first, in index order.
    pub memories: Vec<Memory>,
    /// Tables, imported ones first, in index order.
    pub tables: Vec<Table>,
    /// Globals, imported ones first, in index order.
    pub globals: Vec<Global>,
    /// Function counts and code size.
    pub functions: Functions,
    /// Data segments.
    pub data: DataSegments,
    /// Number of exception tags (imported and defined).
    pub tags: u32,
    /// Index of the start function, if any.
    pub start: Option<u32>,
    /// The `producers` custom section, if present and well formed.
    pub producers: Option<Producers>,
    /// The `target_features` custom section entries, e.g. `+simd128`.
    pub target_features: Vec<String>,
    /// WebAssembly proposals this binary uses beyond the MVP, sorted (e.g. `simd`, `threads`).
    pub proposals: Vec<String>,
    /// Component facts; null for core modules.
    pub component: Option<ComponentFacts>,
}

/// A parse or validation error with the byte offset where it was found.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct ValidationError {
    /// The validator's message.
    pub message: String,
    /// Byte offset in the file.
    pub offset: u64,
}

/// A section of the binary: `offset` and `size` describe its contents, after the id and length.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
pub struct Section {
    /// The section id byte (0 for custom sections).
    pub id: u8,
    /// A readable name: `type`, `import`, `code`, … or the custom section's own name.
    pub name: String,
    /// Byte offset of the section contents.
    pub offset: u64,
    /// Size of the section contents in bytes.
    pub size: u64,
}

/// A custom section.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
pub struct CustomSection {
    /// The custom section's name, e.g. `name`, `producers`, `.debug_info`.
    pub name: String,
    /// Byte offset of the section contents.
    pub offset: u64,
    /// Size of the whole section contents (name included) in bytes.
    pub size: u64,
}

/// A function signature.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct FuncType {
    /// Parameter types, e.g. `i32`.
    pub params: Vec<String>,
    /// Result types.
    pub results: Vec<String>,
}

/// A core import.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
pub struct Import {
    /// Module name, e.g. `wasi_snapshot_preview1` or `env`.
    #[serde(serialize_with = "crate::shared::text")]
    pub module: Arc<str>,
    /// Field name, e.g. `fd_write`.
    #[serde(serialize_with = "crate::shared::text")]
    pub name: Arc<str>,
    /// `func`, `table`, `memory`, `global` or `tag`.
    pub kind: Cow<'static, str>,
    /// The signature of an imported function; null for other kinds.
    // One Arc per distinct type: shared by every item that has it, and converted once.
    #[serde(rename = "type", serialize_with = "crate::shared::serialize")]
    pub func_type: Option<Arc<FuncType>>,
}

/// A core export.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
pub struct Export {
    /// Export name.
    #[serde(serialize_with = "crate::shared::text")]
    pub name: Arc<str>,
    /// `func`, `table`, `memory`, `global` or `tag`.
    pub kind: Cow<'static, str>,
    /// Index in the kind's index space.
    pub index: u32,
    /// The signature of an exported function; null for other kinds.
    // One Arc per distinct type: shared by every item that has it, and converted once.
    #[serde(rename = "type", serialize_with = "crate::shared::serialize")]
    pub func_type: Option<Arc<FuncType>>,
}

/// A linear memory.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
pub struct Memory {
    /// Memory index.
    pub index: u32,
    /// Initial size in pages.
    pub initial_pages: u64,
    /// Maximum size in pages; null when unbounded.
    pub maximum_pages: Option<u64>,
    /// Page size in bytes (65536 unless the custom-page-sizes proposal is used).
    pub page_size: u64,
    /// Initial size in bytes.
    pub initial_bytes: u64,
    /// Maximum size in bytes; null when unbounded or when it is 2^64 bytes or more.
    pub maximum_bytes: Option<u64>,
    /// The maximum is 2^64 bytes or more (a memory64 maximum near 2^48 pages), more than
    /// `maximum_bytes` holds: the memory is bounded, but by nothing a host can provide.
    pub maximum_beyond_u64: bool,
    /// Shared memory (threads proposal).
    pub shared: bool,
    /// 64-bit addressing (memory64 proposal).
    pub memory64: bool,
    /// Imported rather than defined.
    pub imported: bool,
}

/// A table.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
pub struct Table {
    /// Table index.
    pub index: u32,
    /// Element type, e.g. `funcref`.
    pub element_type: String,
    /// Initial number of elements.
    pub initial: u64,
    /// Maximum number of elements; null when unbounded.
    pub maximum: Option<u64>,
    /// 64-bit indices (memory64 proposal).
    pub table64: bool,
    /// Imported rather than defined.
    pub imported: bool,
}

/// A global.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
pub struct Global {
    /// Global index.
    pub index: u32,
    /// Value type, e.g. `i32`.
    #[serde(rename = "type")]
    pub value_type: String,
    /// Mutable global.
    pub mutable: bool,
    /// Imported rather than defined.
    pub imported: bool,
}

/// Function counts.
#[derive(Debug, Clone, Default, Serialize, Deserialize, JsonSchema)]
pub struct Functions {
    /// Imported functions.
    pub imported: u32,
    /// Functions defined in the module (entries of the function section).
    pub defined: u32,
    /// Size of the code section contents in bytes.
    pub code_size: u64,
}

/// Data segments.
#[derive(Debug, Clone, Default, Serialize, Deserialize, JsonSchema)]
pub struct DataSegments {
    /// Number of data segments.
    pub count: u32,
    /// Bytes of initialisation data across all segments.
    pub bytes: u64,
    /// Passive segments (bulk memory).
    pub passive: u32,
}

/// The `producers` section, field by field.
#[derive(Debug, Clone, Default, Serialize, Deserialize, JsonSchema)]
pub struct Producers {
    /// Source languages, e.g. `Rust`.
    pub language: Vec<Producer>,
    /// Tools that processed the binary, e.g. `rustc`, `wasm-bindgen`.
    #[serde(rename = "processed-by")]
    pub processed_by: Vec<Producer>,
    /// SDKs, e.g. `Emscripten`.
    pub sdk: Vec<Producer>,
}

/// One entry of a producers field.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
pub struct Producer {
    /// Tool or language name.
    pub name: String,
    /// Version string as recorded.
    pub version: String,
}

/// Facts specific to components.
#[derive(Debug, Clone, Default, Serialize, Deserialize, JsonSchema)]
pub struct ComponentFacts {
    /// Top-level component imports.
    pub imports: Vec<ComponentItem>,
    /// Top-level component exports.
    pub exports: Vec<ComponentItem>,
    /// Sorted, unique interface names imported, e.g. `wasi:cli/environment@0.2.0`.
    pub imported_interfaces: Vec<String>,
    /// Sorted, unique interface names exported.
    pub exported_interfaces: Vec<String>,
    /// Core modules embedded in this component (and in nested components), in file order.
    pub modules: Vec<NestedModule>,
    /// Number of nested components.
    pub nested_components: u32,
}

/// A component import or export.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
pub struct ComponentItem {
    /// The full name, e.g. `wasi:cli/environment@0.2.0` or `run`.
    pub name: String,
    /// `instance`, `func`, `module`, `component`, `value` or `type`.
    pub kind: String,
    /// The interface without version when the name is an interface (`wasi:cli/environment`).
    pub interface: Option<String>,
    /// The version of the interface, if any (`0.2.0`).
    pub version: Option<String>,
}

/// A core module nested in a component.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
pub struct NestedModule {
    /// Byte offset of the module within the component.
    pub offset: u64,
    /// Size of the module in bytes.
    pub size: u64,
    /// The module's own facts (offsets are relative to the component file).
    pub facts: Box<WasmFacts>,
}

/// One limit a binary went past.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct LimitExceeded {
    /// `sections`, `custom sections`, `imports`, `exports`, `globals`, `tables` or
    /// `memories`.
    pub what: String,
    /// How many the binary has (counted, not stored).
    pub count: u64,
    /// The limit in force.
    pub limit: u64,
    /// The `[limits]` key that sets it.
    pub key: String,
}

/// Per-artifact bounds on what is stored, so that a hostile binary cannot make the gate
/// allocate without bound (`[limits]` in wasmgate.toml).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    /// Sections of every kind.
    pub sections: u64,
    /// Custom sections.
    pub custom_sections: u64,
    /// Imports.
    pub imports: u64,
    /// Exports.
    pub exports: u64,
    /// Globals, imported and defined.
    pub globals: u64,
    /// Tables, imported and defined.
    pub tables: u64,
    /// Memories, imported and defined.
    pub memories: u64,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            sections: 10_000,
            custom_sections: 1_000,
            imports: 100_000,
            exports: 100_000,
            globals: 100_000,
            tables: 10_000,
            memories: 10_000,
        }
    }
}
