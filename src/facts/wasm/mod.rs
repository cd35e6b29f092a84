//! The wasm fact collector: structure, validity and proposals of one module or component.
//!
//! It records what is true of the bytes and never judges them; `policies/` decides what is
//! allowed. Malformed input yields facts with `valid = false`, never an error or a panic.

mod model;
mod parse;
mod proposals;
mod validate;

pub use model::*;

use rayon::prelude::*;
use wasmparser::{BinaryReaderError, FuncValidatorAllocations};

use parse::Parsed;
use proposals::Proposals;

/// Collects the facts of one wasm binary.
pub fn collect(bytes: &[u8]) -> WasmFacts {
    collect_with(bytes, &Limits::default())
}

/// Collects the facts of `bytes`, storing no more than `limits` allows.
pub fn collect_with(bytes: &[u8], limits: &Limits) -> WasmFacts {
    let mut validation = validate::Validation::new();
    let parsed = parse::parse(bytes, 0..bytes.len() as u64, limits, &mut validation);
    let mut first_error = validation.error.map(ValidationError::from);
    let (mut facts, _) = finish(parsed, &mut first_error);
    facts.validation_error = first_error.map(|error| readable(error, bytes));
    facts.valid = facts.validation_error.is_none();
    facts
}

/// Scans the bodies for proposals and folds nested modules in; parse errors join `error`.
fn finish(parsed: Parsed<'_>, error: &mut Option<ValidationError>) -> (WasmFacts, Proposals) {
    let Parsed {
        mut facts,
        bodies,
        nested,
        mut structural,
        error: parse_error,
        ..
    } = parsed;
    if let Some(parse_error) = parse_error {
        facts.malformed = true;
        keep_first(error, parse_error);
    }
    let checked = bodies
        .into_par_iter()
        .map_init(FuncValidatorAllocations::default, |allocs, body| {
            validate::check(body, allocs)
        })
        .reduce(validate::Checked::default, |mut a, b| {
            a.proposals.extend(b.proposals);
            a.malformed = earliest(a.malformed, b.malformed);
            a.invalid = earliest(a.invalid, b.invalid);
            a
        });
    // A body that cannot be decoded leaves the operators' proposals unknown, not partial.
    if checked.malformed.is_none() {
        structural.extend(checked.proposals);
    }
    if let Some(malformed) = checked.malformed {
        facts.malformed = true;
        keep_first(error, ValidationError::from(malformed));
    }
    if let Some(invalid) = checked.invalid {
        keep_first(error, ValidationError::from(invalid));
    }
    for module in nested {
        let module_range = module.range.clone();
        let mut module_error = error.clone().filter(|e| module_range.contains(&e.offset));
        let (mut module_facts, module_proposals) = finish(module, &mut module_error);
        module_facts.valid = module_error.is_none();
        if let Some(module_error) = module_error {
            facts.malformed |= module_facts.malformed;
            keep_first(error, module_error.clone());
            module_facts.validation_error = Some(module_error);
        }
        structural.extend(module_proposals);
        if let Some(component) = facts.component.as_mut() {
            component
                .modules
                .push(parse::nested_module(module_facts, &module_range));
        }
    }
    if let Some(component) = facts.component.as_mut() {
        component.imported_interfaces = interfaces(&component.imports);
        component.exported_interfaces = interfaces(&component.exports);
    }
    facts.proposals = structural.sorted();
    (facts, structural)
}

/// wasmparser prints a bad magic number as two debug-formatted arrays; say it in one line.
fn readable(error: ValidationError, bytes: &[u8]) -> ValidationError {
    if !error.message.starts_with("magic header not detected") {
        return error;
    }
    let found: Vec<String> = bytes.iter().take(4).map(|b| format!("{b:02x}")).collect();
    let text: String = bytes
        .iter()
        .take(4)
        .map(|&b| {
            if b.is_ascii_graphic() {
                char::from(b)
            } else {
                '.'
            }
        })
        .collect();
    ValidationError {
        message: format!(
            "not a wasm binary: expected the magic bytes 00 61 73 6d (\\0asm), found {} ({text:?})",
            if found.is_empty() {
                "an empty file".to_string()
            } else {
                found.join(" ")
            }
        ),
        offset: error.offset,
    }
}

fn interfaces(items: &[ComponentItem]) -> Vec<String> {
    let mut names: Vec<String> = items
        .iter()
        .filter(|item| item.interface.is_some())
        .map(|item| item.name.clone())
        .collect();
    names.sort();
    names.dedup();
    names
}

fn earliest(
    a: Option<BinaryReaderError>,
    b: Option<BinaryReaderError>,
) -> Option<BinaryReaderError> {
    match (a, b) {
        (Some(a), Some(b)) => Some(if b.offset() < a.offset() { b } else { a }),
        (a, b) => a.or(b),
    }
}

fn keep_first(slot: &mut Option<ValidationError>, candidate: ValidationError) {
    match slot {
        Some(existing) if existing.offset <= candidate.offset => {}
        _ => *slot = Some(candidate),
    }
}

impl From<BinaryReaderError> for ValidationError {
    fn from(error: BinaryReaderError) -> Self {
        ValidationError {
            message: error.message().to_string(),
            offset: error.offset(),
        }
    }
}

impl ValidationError {
    pub(crate) fn at(message: impl Into<String>, offset: u64) -> Self {
        ValidationError {
            message: message.into(),
            offset,
        }
    }
}
