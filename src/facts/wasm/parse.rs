//! Walks a wasm binary section by section with wasmparser and records its structure.
//!
//! Parsing stops at the first malformed byte and returns the facts gathered so far with the
//! error. The same walk feeds every payload to the validator (`validate.rs`), so a binary's
//! sections are read once; function bodies are validated and scanned later, in one pass each.

use std::collections::BTreeSet;
use std::ops::Range;

use wasmparser::{
    BinaryReader, BinaryReaderError, Chunk, ComponentExternName, ComponentExternalKind,
    CompositeInnerType, DataKind, ExternalKind, KnownCustom, Parser, Payload, TypeRef,
    WasmFeatures,
};

use super::model::{
    ComponentFacts, ComponentItem, CustomSection, Export, FuncType, Global, Import, LimitExceeded,
    Limits, Memory, NestedModule, Producer, Producers, Section, Table, ValidationError, WasmFacts,
    WasmKind,
};
use super::proposals::{self, Proposals};
use super::validate::{Body, Validation};

/// Nesting deeper than this is hostile input, not a real component.
const MAX_NESTING: usize = 32;

/// The structure of one binary plus the function bodies still to scan for proposals.
pub(super) struct Parsed<'a> {
    pub(super) facts: WasmFacts,
    /// Function bodies of this binary (not of nested modules, which carry their own), each
    /// with its validator while the binary is still valid.
    pub(super) bodies: Vec<Body<'a>>,
    /// Nested modules with their bodies, scanned by the caller like the top level.
    pub(super) nested: Vec<Parsed<'a>>,
    /// Byte range of this binary within the file.
    pub(super) range: Range<u64>,
    /// Proposals evident from the module structure (types, memories, sections).
    pub(super) structural: Proposals,
    /// The first parse error, if the binary is malformed.
    pub(super) error: Option<ValidationError>,
}

/// Parses `file[range]`, a module or component starting at `range.start`, validating its
/// sections on the way (the first validation error lands in `validation`).
pub(super) fn parse<'a>(
    file: &'a [u8],
    range: Range<u64>,
    limits: &Limits,
    validation: &mut Validation,
) -> Parsed<'a> {
    let mut parser = Parser::new(range.start);
    parser.set_features(WasmFeatures::all());
    parse_with(file, range, parser, 0, limits, validation)
}

fn parse_with<'a>(
    file: &'a [u8],
    range: Range<u64>,
    parser: Parser,
    depth: usize,
    limits: &Limits,
    validation: &mut Validation,
) -> Parsed<'a> {
    let mut walker = Walker::new(range.clone(), *limits);
    let error = walker
        .walk(file, range.clone(), parser, depth, validation)
        .err();
    walker.finish(range, error)
}

#[derive(Default)]
struct Walker<'a> {
    facts: WasmFacts,
    bodies: Vec<Body<'a>>,
    nested: Vec<Parsed<'a>>,
    structural: Proposals,
    /// Function signatures by type index; None for non-function types.
    types: Vec<Option<std::sync::Arc<FuncType>>>,
    /// Type index of every function, imported ones first.
    func_types: Vec<u32>,
    range: Range<u64>,
    limits: Limits,
    /// How many of each limited item the binary has, stored or not.
    counts: Counts,
}

#[derive(Default)]
struct Counts {
    sections: u64,
    custom_sections: u64,
    imports: u64,
    exports: u64,
    globals: u64,
    tables: u64,
    memories: u64,
}

/// Counts one more item; true while it may still be stored.
fn admit(count: &mut u64, limit: u64) -> bool {
    *count += 1;
    *count <= limit
}

impl<'a> Walker<'a> {
    fn new(range: Range<u64>, limits: Limits) -> Self {
        Walker {
            range,
            limits,
            ..Walker::default()
        }
    }

    fn walk(
        &mut self,
        file: &'a [u8],
        range: Range<u64>,
        mut parser: Parser,
        depth: usize,
        validation: &mut Validation,
    ) -> Result<(), ValidationError> {
        let (start, end) = (to_usize(range.start), to_usize(range.end));
        let mut pos = start;
        loop {
            let data = file.get(pos..end).unwrap_or_default();
            let (consumed, payload) = match parser.parse(data, true)? {
                Chunk::Parsed { consumed, payload } => (consumed, payload),
                // Not reachable with `eof = true`, but a truncated file must not pass silently.
                Chunk::NeedMoreData(_) => {
                    return Err(ValidationError::at("unexpected end of file", pos as u64));
                }
            };
            pos += consumed;
            let validator = validation.payload(&payload);
            if let Some((id, section)) = payload.as_section() {
                self.record_section(id, &payload, section);
            }
            match payload {
                Payload::Version { num, encoding, .. } => {
                    self.facts.version = Some(u32::from(num));
                    self.facts.kind = Some(match encoding {
                        wasmparser::Encoding::Module => WasmKind::Module,
                        wasmparser::Encoding::Component => WasmKind::Component,
                    });
                    if self.facts.kind == Some(WasmKind::Component) {
                        self.facts.component = Some(ComponentFacts::default());
                        self.structural.insert("component_model");
                    }
                }
                Payload::TypeSection(reader) => self.read_types(reader)?,
                Payload::ImportSection(reader) => self.read_imports(reader)?,
                Payload::FunctionSection(reader) => {
                    for ty in reader {
                        self.func_types.push(ty?);
                        self.facts.functions.defined += 1;
                    }
                }
                Payload::TableSection(reader) => {
                    for table in reader {
                        let table = table?;
                        self.push_table(table.ty, false);
                        if !matches!(table.init, wasmparser::TableInit::RefNull) {
                            self.structural.insert("function_references");
                        }
                    }
                }
                Payload::MemorySection(reader) => {
                    for memory in reader {
                        self.push_memory(memory?, false);
                    }
                }
                Payload::TagSection(reader) => {
                    for tag in reader {
                        tag?;
                        self.facts.tags += 1;
                        self.structural.insert("exceptions");
                    }
                }
                Payload::GlobalSection(reader) => {
                    for global in reader {
                        let global = global?;
                        self.push_global(global.ty, false);
                        proposals::scan_const_expr(&global.init_expr, &mut self.structural)?;
                    }
                }
                Payload::ExportSection(reader) => self.read_exports(reader)?,
                Payload::StartSection { func, .. } => self.facts.start = Some(func),
                Payload::ElementSection(reader) => {
                    for element in reader {
                        if !matches!(element?.kind, wasmparser::ElementKind::Active { .. }) {
                            self.structural.insert("bulk_memory");
                        }
                    }
                }
                Payload::DataCountSection { .. } => self.structural.insert("bulk_memory"),
                Payload::DataSection(reader) => {
                    for data in reader {
                        let data = data?;
                        self.facts.data.count += 1;
                        self.facts.data.bytes += data.data.len() as u64;
                        match data.kind {
                            DataKind::Passive => {
                                self.facts.data.passive += 1;
                                self.structural.insert("bulk_memory");
                            }
                            DataKind::Active {
                                memory_index,
                                offset_expr,
                            } => {
                                if memory_index != 0 {
                                    self.structural.insert("multi_memory");
                                }
                                proposals::scan_const_expr(&offset_expr, &mut self.structural)?;
                            }
                        }
                    }
                }
                Payload::CodeSectionStart { size, .. } => {
                    self.facts.functions.code_size = u64::from(size);
                }
                Payload::CodeSectionEntry(body) => self.bodies.push(Body { body, validator }),
                Payload::CustomSection(reader) => self.read_custom(&reader),
                Payload::ModuleSection {
                    parser: nested,
                    unchecked_range,
                } => {
                    let nested =
                        self.nested_binary(file, unchecked_range, nested, depth, validation)?;
                    pos = to_usize(nested.range.end);
                    if nested.error.is_some() {
                        // The validator is left inside the broken module: its later verdicts
                        // would be about the wrong binary.
                        validation.stop();
                    }
                    self.nested.push(nested);
                }
                Payload::ComponentSection {
                    parser: nested,
                    unchecked_range,
                } => {
                    let mut inner =
                        self.nested_binary(file, unchecked_range, nested, depth, validation)?;
                    pos = to_usize(inner.range.end);
                    if let Some(component) = self.facts.component.as_mut() {
                        component.nested_components += 1 + inner
                            .facts
                            .component
                            .as_ref()
                            .map_or(0, |c| c.nested_components);
                    }
                    // A nested component's modules belong to this artifact too.
                    self.nested.append(&mut inner.nested);
                    if let Some(error) = inner.error {
                        return Err(error);
                    }
                }
                Payload::ComponentImportSection(reader) => {
                    for import in reader {
                        let import = import?;
                        if !admit(&mut self.counts.imports, self.limits.imports) {
                            continue;
                        }
                        let item = component_item(&import.name, import.ty.kind());
                        if let Some(component) = self.facts.component.as_mut() {
                            component.imports.push(item);
                        }
                    }
                }
                Payload::ComponentExportSection(reader) => {
                    for export in reader {
                        let export = export?;
                        if !admit(&mut self.counts.exports, self.limits.exports) {
                            continue;
                        }
                        let item = component_item(&export.name, export.kind);
                        if let Some(component) = self.facts.component.as_mut() {
                            component.exports.push(item);
                        }
                    }
                }
                Payload::End(_) => return Ok(()),
                _ => {}
            }
        }
    }

    fn nested_binary(
        &self,
        file: &'a [u8],
        range: Range<u64>,
        parser: Parser,
        depth: usize,
        validation: &mut Validation,
    ) -> Result<Parsed<'a>, ValidationError> {
        if range.end > self.range.end || range.start > range.end {
            return Err(ValidationError::at(
                "nested module extends past the end of its section",
                range.start,
            ));
        }
        if depth >= MAX_NESTING {
            return Err(ValidationError::at(
                format!("components nested more than {MAX_NESTING} deep"),
                range.start,
            ));
        }
        Ok(parse_with(
            file,
            range,
            parser,
            depth + 1,
            &self.limits,
            validation,
        ))
    }

    fn record_section(&mut self, id: u8, payload: &Payload<'_>, range: Range<u64>) {
        let name = match payload {
            Payload::CustomSection(reader) => reader.name().to_string(),
            _ => section_name(id, self.facts.kind).to_string(),
        };
        if !admit(&mut self.counts.sections, self.limits.sections) {
            return;
        }
        self.facts.sections.push(Section {
            id,
            name,
            offset: range.start,
            size: range.end.saturating_sub(range.start),
        });
    }

    fn read_types(
        &mut self,
        reader: wasmparser::TypeSectionReader<'a>,
    ) -> Result<(), ValidationError> {
        for group in reader {
            let group = group?;
            if group.is_explicit_rec_group() {
                self.structural.insert("gc");
            }
            for sub in group.types() {
                if !sub.is_final || !sub.supertype_idxs.is_empty() {
                    self.structural.insert("gc");
                }
                if sub.composite_type.shared {
                    self.structural.insert("shared_everything_threads");
                }
                match &sub.composite_type.inner {
                    CompositeInnerType::Func(func) => {
                        if func.results().len() > 1 {
                            self.structural.insert("multi_value");
                        }
                        for ty in func.params().iter().chain(func.results()) {
                            proposals::scan_val_type(*ty, &mut self.structural);
                        }
                        self.types.push(Some(std::sync::Arc::new(func_type(func))));
                    }
                    CompositeInnerType::Array(_) | CompositeInnerType::Struct(_) => {
                        self.structural.insert("gc");
                        self.types.push(None);
                    }
                    CompositeInnerType::Cont(_) => {
                        self.structural.insert("stack_switching");
                        self.types.push(None);
                    }
                }
            }
        }
        Ok(())
    }

    fn read_imports(
        &mut self,
        reader: wasmparser::ImportSectionReader<'a>,
    ) -> Result<(), ValidationError> {
        for import in reader.into_imports() {
            let import = import?;
            let (kind, func_type) = match import.ty {
                TypeRef::Func(ty) | TypeRef::FuncExact(ty) => {
                    self.func_types.push(ty);
                    self.facts.functions.imported += 1;
                    ("func", self.signature(ty))
                }
                TypeRef::Table(table) => {
                    self.push_table(table, true);
                    ("table", None)
                }
                TypeRef::Memory(memory) => {
                    self.push_memory(memory, true);
                    ("memory", None)
                }
                TypeRef::Global(global) => {
                    if global.mutable {
                        self.structural.insert("mutable_global");
                    }
                    self.push_global(global, true);
                    ("global", None)
                }
                TypeRef::Tag(_) => {
                    self.facts.tags += 1;
                    self.structural.insert("exceptions");
                    ("tag", None)
                }
            };
            if !admit(&mut self.counts.imports, self.limits.imports) {
                continue;
            }
            self.facts.imports.push(Import {
                module: import.module.into(),
                name: import.name.into(),
                kind: std::borrow::Cow::Borrowed(kind),
                func_type,
            });
        }
        Ok(())
    }

    fn read_exports(
        &mut self,
        reader: wasmparser::ExportSectionReader<'a>,
    ) -> Result<(), ValidationError> {
        for export in reader {
            let export = export?;
            let (kind, func_type) = match export.kind {
                ExternalKind::Func | ExternalKind::FuncExact => {
                    let ty = self.func_types.get(to_usize(u64::from(export.index)));
                    ("func", ty.and_then(|ty| self.signature(*ty)))
                }
                ExternalKind::Table => ("table", None),
                ExternalKind::Memory => ("memory", None),
                ExternalKind::Global => {
                    let mutable = self
                        .facts
                        .globals
                        .get(to_usize(u64::from(export.index)))
                        .is_some_and(|g| g.mutable);
                    if mutable {
                        self.structural.insert("mutable_global");
                    }
                    ("global", None)
                }
                ExternalKind::Tag => ("tag", None),
            };
            if !admit(&mut self.counts.exports, self.limits.exports) {
                continue;
            }
            self.facts.exports.push(Export {
                name: export.name.into(),
                kind: std::borrow::Cow::Borrowed(kind),
                index: export.index,
                func_type,
            });
        }
        Ok(())
    }

    fn read_custom(&mut self, reader: &wasmparser::CustomSectionReader<'a>) {
        let range = reader.range();
        if !admit(
            &mut self.counts.custom_sections,
            self.limits.custom_sections,
        ) {
            return;
        }
        self.facts.custom_sections.push(CustomSection {
            name: reader.name().to_string(),
            offset: range.start,
            size: range.end.saturating_sub(range.start),
        });
        // Custom section contents are advisory: a malformed one is recorded as absent, because
        // engines ignore them and so must validity.
        match reader.as_known() {
            KnownCustom::Producers(producers) => match read_producers(producers) {
                Ok(producers) => self.facts.producers = Some(producers),
                Err(_) => self.facts.producers_malformed = true,
            },
            // A `producers` section wasmparser cannot even open is malformed too.
            _ if reader.name() == "producers" => self.facts.producers_malformed = true,
            _ if reader.name() == "target_features" => {
                self.facts.target_features =
                    read_target_features(reader.data(), reader.data_offset()).unwrap_or_default();
            }
            _ => {}
        }
    }

    fn signature(&self, type_index: u32) -> Option<std::sync::Arc<FuncType>> {
        self.types
            .get(to_usize(u64::from(type_index)))
            .cloned()
            .flatten()
    }

    fn push_memory(&mut self, memory: wasmparser::MemoryType, imported: bool) {
        if !admit(&mut self.counts.memories, self.limits.memories) {
            return;
        }
        let page_size = memory
            .page_size_log2
            .map_or(65_536, |log2| 1u64.checked_shl(log2).unwrap_or(0));
        if memory.page_size_log2.is_some() {
            self.structural.insert("custom_page_sizes");
        }
        if memory.memory64 {
            self.structural.insert("memory64");
        }
        if memory.shared {
            self.structural.insert("threads");
        }
        let index = self.facts.memories.len() as u32;
        if index > 0 {
            self.structural.insert("multi_memory");
        }
        self.facts.memories.push(Memory {
            index,
            initial_pages: memory.initial,
            maximum_pages: memory.maximum,
            page_size,
            initial_bytes: memory.initial.saturating_mul(page_size),
            maximum_bytes: memory.maximum.and_then(|max| max.checked_mul(page_size)),
            maximum_beyond_u64: memory
                .maximum
                .is_some_and(|max| max.checked_mul(page_size).is_none()),
            shared: memory.shared,
            memory64: memory.memory64,
            imported,
        });
    }

    fn push_table(&mut self, table: wasmparser::TableType, imported: bool) {
        if !admit(&mut self.counts.tables, self.limits.tables) {
            return;
        }
        let index = self.facts.tables.len() as u32;
        if index > 0 || !table.element_type.is_func_ref() {
            self.structural.insert("reference_types");
        }
        if table.table64 {
            self.structural.insert("memory64");
        }
        proposals::scan_val_type(
            wasmparser::ValType::Ref(table.element_type),
            &mut self.structural,
        );
        self.facts.tables.push(Table {
            index,
            element_type: table.element_type.to_string(),
            initial: table.initial,
            maximum: table.maximum,
            table64: table.table64,
            imported,
        });
    }

    fn push_global(&mut self, global: wasmparser::GlobalType, imported: bool) {
        if !admit(&mut self.counts.globals, self.limits.globals) {
            return;
        }
        proposals::scan_val_type(global.content_type, &mut self.structural);
        if global.shared {
            self.structural.insert("shared_everything_threads");
        }
        self.facts.globals.push(Global {
            index: self.facts.globals.len() as u32,
            value_type: global.content_type.to_string(),
            mutable: global.mutable,
            imported,
        });
    }

    fn finish(mut self, range: Range<u64>, error: Option<ValidationError>) -> Parsed<'a> {
        let counted = [
            ("sections", self.counts.sections, self.limits.sections),
            (
                "custom sections",
                self.counts.custom_sections,
                self.limits.custom_sections,
            ),
            ("imports", self.counts.imports, self.limits.imports),
            ("exports", self.counts.exports, self.limits.exports),
            ("globals", self.counts.globals, self.limits.globals),
            ("tables", self.counts.tables, self.limits.tables),
            ("memories", self.counts.memories, self.limits.memories),
        ];
        for (what, count, limit) in counted {
            if count > limit {
                self.facts.limits_exceeded.push(LimitExceeded {
                    what: what.to_string(),
                    count,
                    limit,
                    key: what.replace(' ', "_"),
                });
            }
        }
        Parsed {
            facts: self.facts,
            bodies: self.bodies,
            nested: self.nested,
            range,
            structural: self.structural,
            error,
        }
    }
}

/// Wraps nested facts for the component's `modules` list.
pub(super) fn nested_module(facts: WasmFacts, range: &Range<u64>) -> NestedModule {
    NestedModule {
        offset: range.start,
        size: range.end.saturating_sub(range.start),
        facts: Box::new(facts),
    }
}

fn func_type(func: &wasmparser::FuncType) -> FuncType {
    FuncType {
        params: func.params().iter().map(ToString::to_string).collect(),
        results: func.results().iter().map(ToString::to_string).collect(),
    }
}

fn component_item(name: &ComponentExternName<'_>, kind: ComponentExternalKind) -> ComponentItem {
    let full = name.full_name().into_owned();
    let interface_name = name
        .full_implements()
        .map_or(full.clone(), |i| i.into_owned());
    // Interface names look like `ns:pkg/iface@version`; plain names like `run` have no `:`.
    let (interface, version) = if interface_name.contains(':') && interface_name.contains('/') {
        match interface_name.split_once('@') {
            Some((iface, version)) => (Some(iface.to_string()), Some(version.to_string())),
            None => (Some(interface_name.clone()), None),
        }
    } else {
        (None, None)
    };
    ComponentItem {
        name: full,
        kind: component_kind(kind).to_string(),
        interface,
        version,
    }
}

fn component_kind(kind: ComponentExternalKind) -> &'static str {
    match kind {
        ComponentExternalKind::Module => "module",
        ComponentExternalKind::Func => "func",
        ComponentExternalKind::Value => "value",
        ComponentExternalKind::Type => "type",
        ComponentExternalKind::Instance => "instance",
        ComponentExternalKind::Component => "component",
    }
}

fn read_producers(
    reader: wasmparser::ProducersSectionReader<'_>,
) -> Result<Producers, BinaryReaderError> {
    let mut producers = Producers::default();
    for field in reader {
        let field = field?;
        let mut values = Vec::new();
        for value in field.values {
            let value = value?;
            values.push(Producer {
                name: value.name.to_string(),
                version: value.version.to_string(),
            });
        }
        match field.name {
            "language" => producers.language.extend(values),
            "processed-by" => producers.processed_by.extend(values),
            "sdk" => producers.sdk.extend(values),
            _ => {}
        }
    }
    Ok(producers)
}

/// `target_features` is a vector of (prefix byte, name) pairs, as written by LLVM's wasm-ld.
fn read_target_features(data: &[u8], offset: u64) -> Result<Vec<String>, BinaryReaderError> {
    let mut reader = BinaryReader::new(data, offset);
    let count = reader.read_var_u32()?;
    let mut features = BTreeSet::new();
    for _ in 0..count {
        let prefix = char::from(reader.read_u8()?);
        let name = reader.read_string()?;
        features.insert(format!("{prefix}{name}"));
    }
    Ok(features.into_iter().collect())
}

fn section_name(id: u8, kind: Option<WasmKind>) -> &'static str {
    match (kind, id) {
        (_, 0) => "custom",
        (Some(WasmKind::Component), id) => match id {
            1 => "core module",
            2 => "core instance",
            3 => "core type",
            4 => "component",
            5 => "instance",
            6 => "alias",
            7 => "type",
            8 => "canonical",
            9 => "start",
            10 => "import",
            11 => "export",
            12 => "value",
            _ => "unknown",
        },
        (_, id) => match id {
            1 => "type",
            2 => "import",
            3 => "function",
            4 => "table",
            5 => "memory",
            6 => "global",
            7 => "export",
            8 => "start",
            9 => "element",
            10 => "code",
            11 => "data",
            12 => "data count",
            13 => "tag",
            _ => "unknown",
        },
    }
}

fn to_usize(n: u64) -> usize {
    usize::try_from(n).unwrap_or(usize::MAX)
}
