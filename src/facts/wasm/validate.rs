//! Validation with every proposal enabled, fed by the one walk over the sections; each
//! function body is then validated and scanned for proposals in a single pass over its
//! operators, bodies in parallel.

use wasmparser::{
    BinaryReaderError, FuncToValidate, FuncValidatorAllocations, FunctionBody, Payload,
    ValidPayload, Validator, ValidatorResources, WasmFeatures,
};

use super::proposals::{self, Proposals};

/// The validator while the binary is valid so far, and its first error.
pub(super) struct Validation {
    validator: Option<Validator>,
    /// The first error of the section-level validation.
    pub(super) error: Option<BinaryReaderError>,
}

impl Validation {
    pub(super) fn new() -> Self {
        Validation {
            validator: Some(Validator::new_with_features(WasmFeatures::all())),
            error: None,
        }
    }

    /// Validates one payload; a code section entry comes back with its function validator.
    pub(super) fn payload(
        &mut self,
        payload: &Payload<'_>,
    ) -> Option<FuncToValidate<ValidatorResources>> {
        let validator = self.validator.as_mut()?;
        match validator.payload(payload) {
            Ok(ValidPayload::Func(func, _)) => Some(func),
            Ok(_) => None,
            Err(error) => {
                self.error = Some(error);
                self.validator = None;
                None
            }
        }
    }

    /// Stops validating: the walk left the validator's place in the binary.
    pub(super) fn stop(&mut self) {
        self.validator = None;
    }
}

/// A function body and, while the binary validated up to it, its validator.
pub(super) struct Body<'a> {
    pub(super) body: FunctionBody<'a>,
    pub(super) validator: Option<FuncToValidate<ValidatorResources>>,
}

/// What one pass over a body found.
#[derive(Default)]
pub(super) struct Checked {
    pub(super) proposals: Proposals,
    /// The body cannot be decoded (malformed).
    pub(super) malformed: Option<BinaryReaderError>,
    /// The body decodes but does not validate.
    pub(super) invalid: Option<BinaryReaderError>,
}

/// Reads every operator of `body` once: the validator checks it and the scanner notes its
/// proposal. Decoding goes on after a validation error, so malformed bytes are still found.
pub(super) fn check(body: Body<'_>, allocs: &mut FuncValidatorAllocations) -> Checked {
    let mut checked = Checked::default();
    let mut validator = body
        .validator
        .map(|func| func.into_validator(std::mem::take(allocs)));
    let mut invalid = |checked: &mut Checked, validator: &mut Option<_>, error| {
        checked.invalid = Some(error);
        if let Some(v) = validator.take() {
            *allocs = wasmparser::FuncValidator::into_allocations(v);
        }
    };
    let decoded = (|| -> Result<(), BinaryReaderError> {
        let mut locals = body.body.get_locals_reader()?;
        for _ in 0..locals.get_count() {
            let offset = locals.original_position();
            let (count, ty) = locals.read()?;
            proposals::scan_val_type(ty, &mut checked.proposals);
            if let Some(v) = validator.as_mut()
                && let Err(error) = v.define_locals(offset, count, ty)
            {
                invalid(&mut checked, &mut validator, error);
            }
        }
        let mut reader = wasmparser::OperatorsReader::new(locals.get_binary_reader());
        let mut last = "mvp";
        while !reader.eof() {
            let offset = reader.original_position();
            let op = reader.read()?;
            proposals::scan_operator(&op, &mut checked.proposals, &mut last);
            if let Some(v) = validator.as_mut()
                && let Err(error) = v.op(offset, &op)
            {
                invalid(&mut checked, &mut validator, error);
            }
        }
        reader.finish()?;
        if let Some(v) = validator.as_mut() {
            let offset = reader.original_position();
            let end = reader.get_binary_reader();
            let ended = end.finish_expression(&v.visitor(offset));
            if let Err(error) = ended {
                invalid(&mut checked, &mut validator, error);
            }
        }
        Ok(())
    })();
    if let Err(error) = decoded {
        checked.malformed = Some(error);
    }
    if let Some(v) = validator {
        *allocs = v.into_allocations();
    }
    checked
}
