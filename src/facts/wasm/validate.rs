//! Validation with every proposal enabled, fed by the one walk over the sections; each
//! function body is then validated and scanned for proposals in a single pass over its
//! operators, bodies in parallel.

use wasmparser::{
    BinaryReaderError, BlockType, FrameKind, FrameStack, FuncToValidate, FuncValidator,
    FuncValidatorAllocations, FunctionBody, Payload, TryTable, ValidPayload, Validator,
    ValidatorResources, VisitOperator, VisitSimdOperator, WasmFeatures,
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
/// proposal, in one visitor (`Fused`), the way wasmparser's own validation reads a body. After
/// a validation error the body is decoded again without the validator, so that malformed bytes
/// and every proposal are still found.
pub(super) fn check(body: Body<'_>, allocs: &mut FuncValidatorAllocations) -> Checked {
    let mut checked = Checked::default();
    if let Some(func) = body.validator {
        let mut validator = func.into_validator(std::mem::take(allocs));
        let fused = fused(&body.body, &mut validator, &mut checked.proposals);
        *allocs = validator.into_allocations();
        match fused {
            Ok(()) => return checked,
            Err(error) => {
                checked.invalid = Some(error);
                checked.proposals = Proposals::default();
            }
        }
    }
    if let Err(error) = decode(&body.body, &mut checked.proposals) {
        checked.malformed = Some(error);
    }
    checked
}

/// Validates and scans in one pass; any error (malformed or invalid) ends it.
fn fused(
    body: &FunctionBody<'_>,
    validator: &mut FuncValidator<ValidatorResources>,
    found: &mut Proposals,
) -> Result<(), BinaryReaderError> {
    let mut locals = body.get_locals_reader()?;
    for _ in 0..locals.get_count() {
        let offset = locals.original_position();
        let (count, ty) = locals.read()?;
        proposals::scan_val_type(ty, found);
        validator.define_locals(offset, count, ty)?;
    }
    let mut reader = locals.get_binary_reader();
    reader.set_features(WasmFeatures::all());
    let mut last = "mvp";
    while !reader.eof() {
        let offset = reader.original_position();
        let mut visitor = Fused {
            validator: &mut *validator,
            offset,
            found: &mut *found,
            last: &mut last,
        };
        reader.visit_operator(&mut visitor)??;
    }
    let offset = reader.original_position();
    reader.finish_expression(&validator.visitor(offset))
}

/// Decodes every operator without validating: proposals, and whether the body is malformed.
fn decode(body: &FunctionBody<'_>, found: &mut Proposals) -> Result<(), BinaryReaderError> {
    let mut locals = body.get_locals_reader()?;
    for _ in 0..locals.get_count() {
        let (_, ty) = locals.read()?;
        proposals::scan_val_type(ty, found);
    }
    let mut reader = wasmparser::OperatorsReader::new(locals.get_binary_reader());
    let mut last = "mvp";
    while !reader.eof() {
        let op = reader.read()?;
        proposals::scan_operator(&op, found, &mut last);
    }
    reader.finish()
}

/// The validator's visitor for one operator, noting the operator's proposal on the way.
struct Fused<'v, 'p> {
    validator: &'v mut FuncValidator<ValidatorResources>,
    offset: u64,
    found: &'p mut Proposals,
    last: &'p mut &'static str,
}

impl Fused<'_, '_> {
    fn note(&mut self, proposal: &'static str) {
        if proposal != *self.last {
            self.found.insert(proposal);
            *self.last = proposal;
        }
    }
}

impl FrameStack for Fused<'_, '_> {
    fn current_frame(&self) -> Option<FrameKind> {
        self.validator.get_control_frame(0).map(|frame| frame.kind)
    }
}

/// Operator immediates that say something about proposals: block types (multi-value, and the
/// value types they name). The others say nothing beyond the operator itself.
trait Immediate {
    fn scan(&self, _found: &mut Proposals) {}
}

impl Immediate for BlockType {
    fn scan(&self, found: &mut Proposals) {
        proposals::scan_block_type(*self, found);
    }
}

impl Immediate for TryTable {
    fn scan(&self, found: &mut Proposals) {
        proposals::scan_block_type(self.ty, found);
    }
}

impl Immediate for u8 {}
impl Immediate for u32 {}
impl Immediate for i32 {}
impl Immediate for i64 {}
impl Immediate for [u8; 16] {}
impl Immediate for wasmparser::Ieee32 {}
impl Immediate for wasmparser::Ieee64 {}
impl Immediate for wasmparser::MemArg {}
impl Immediate for wasmparser::BrTable<'_> {}
impl Immediate for wasmparser::HeapType {}
impl Immediate for wasmparser::Ordering {}
impl Immediate for wasmparser::RefType {}
impl Immediate for wasmparser::ResumeTable {}
impl Immediate for wasmparser::V128 {}
impl Immediate for wasmparser::ValType {}
impl Immediate for Vec<wasmparser::ValType> {}

macro_rules! fused_visit {
    (@$kind:ident $( @$proposal:ident $op:ident $({ $($arg:ident: $argty:ty),* })? => $visit:ident ($($ann:tt)*))*) => {
        $(
            fn $visit(&mut self $($(,$arg: $argty)*)?) -> Result<(), BinaryReaderError> {
                $( $( Immediate::scan(&$arg, self.found); )* )?
                // Constant per operator: MVP operators compile to no bookkeeping at all.
                if stringify!($proposal) != "mvp" {
                    self.note(stringify!($proposal));
                }
                fused_visit!(@call $kind self $visit $($($arg),*)?)
            }
        )*
    };
    (@call plain $self:ident $visit:ident $($arg:ident),*) => {
        $self.validator.visitor($self.offset).$visit($($arg),*)
    };
    (@call simd $self:ident $visit:ident $($arg:ident),*) => {
        $self.validator.simd_visitor($self.offset).$visit($($arg),*)
    };
}

macro_rules! fused_plain {
    ($($tt:tt)*) => { fused_visit!(@plain $($tt)*); };
}

macro_rules! fused_simd {
    ($($tt:tt)*) => { fused_visit!(@simd $($tt)*); };
}

impl<'a> VisitOperator<'a> for Fused<'_, '_> {
    type Output = Result<(), BinaryReaderError>;

    fn simd_visitor(&mut self) -> Option<&mut dyn VisitSimdOperator<'a, Output = Self::Output>> {
        Some(self)
    }

    wasmparser::for_each_visit_operator!(fused_plain);
}

impl<'a> VisitSimdOperator<'a> for Fused<'_, '_> {
    wasmparser::for_each_visit_simd_operator!(fused_simd);
}
