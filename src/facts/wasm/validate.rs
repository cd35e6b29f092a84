//! Validates a binary with every proposal enabled, function bodies in parallel.

use rayon::prelude::*;
use wasmparser::{
    BinaryReaderError, FuncValidatorAllocations, Parser, ValidPayload, Validator, WasmFeatures,
};

/// Returns the first error (lowest byte offset among failing functions) or None when valid.
pub(super) fn validate(bytes: &[u8]) -> Option<BinaryReaderError> {
    let features = WasmFeatures::all();
    let mut validator = Validator::new_with_features(features);
    let mut parser = Parser::new(0);
    parser.set_features(features);
    let mut functions = Vec::new();
    for payload in parser.parse_all(bytes) {
        let payload = match payload {
            Ok(payload) => payload,
            Err(error) => return Some(error),
        };
        match validator.payload(&payload) {
            Ok(ValidPayload::Func(func, body)) => functions.push((func, body)),
            Ok(_) => {}
            Err(error) => return Some(error),
        }
    }
    functions
        .into_par_iter()
        .map_init(FuncValidatorAllocations::default, |allocs, (func, body)| {
            let mut validator = func.into_validator(std::mem::take(allocs));
            let result = validator.validate(&body);
            *allocs = validator.into_allocations();
            result.err()
        })
        .flatten()
        .min_by_key(BinaryReaderError::offset)
}
