//! Which WebAssembly proposals a binary uses, from its operators, types and const expressions.
//!
//! Names are wasmparser's feature names in snake case (`simd`, `tail_call`, `multi_memory`, …)
//! so they line up with `wasm-tools validate --features`.

use std::collections::BTreeSet;

use wasmparser::{
    AbstractHeapType, BinaryReaderError, BlockType, ConstExpr, HeapType, Operator, RefType, ValType,
};

/// A set of proposal names.
#[derive(Debug, Default, Clone)]
pub(super) struct Proposals(BTreeSet<&'static str>);

impl Proposals {
    pub(super) fn insert(&mut self, name: &'static str) {
        self.0.insert(name);
    }

    pub(super) fn extend(&mut self, other: Proposals) {
        self.0.extend(other.0);
    }

    /// Sorted names, as they go into the input document.
    pub(super) fn sorted(&self) -> Vec<String> {
        self.0.iter().map(|name| (*name).to_string()).collect()
    }
}

macro_rules! define_proposal_of {
    ($( @$proposal:ident $op:ident $({ $($arg:ident: $argty:ty),* })? => $visit:ident ($($ann:tt)*) )*) => {
        /// The proposal an operator comes from, per wasmparser's own operator table.
        fn proposal_of(op: &Operator<'_>) -> &'static str {
            match op {
                $( Operator::$op { .. } => stringify!($proposal), )*
                _ => "unknown",
            }
        }
    };
}
wasmparser::for_each_operator!(define_proposal_of);

/// Records the proposal of one operator of a function body; `last` skips the set insert for
/// the common run of operators of the same proposal.
pub(super) fn scan_operator(op: &Operator<'_>, found: &mut Proposals, last: &mut &'static str) {
    scan_block_types(op, found);
    let proposal = proposal_of(op);
    if proposal != "mvp" && proposal != *last {
        found.insert(proposal);
        *last = proposal;
    }
}

/// Scans an initialiser expression (globals, data and element offsets): extended-const and GC.
pub(super) fn scan_const_expr(
    expr: &ConstExpr<'_>,
    found: &mut Proposals,
) -> Result<(), BinaryReaderError> {
    let mut reader = expr.get_operators_reader();
    while !reader.eof() {
        let op = reader.read()?;
        match op {
            Operator::I32Const { .. }
            | Operator::I64Const { .. }
            | Operator::F32Const { .. }
            | Operator::F64Const { .. }
            | Operator::GlobalGet { .. }
            | Operator::End => {}
            Operator::I32Add
            | Operator::I32Sub
            | Operator::I32Mul
            | Operator::I64Add
            | Operator::I64Sub
            | Operator::I64Mul => found.insert("extended_const"),
            other => match proposal_of(&other) {
                "mvp" => {}
                proposal => found.insert(proposal),
            },
        }
    }
    Ok(())
}

/// Records the proposals a value type needs.
pub(super) fn scan_val_type(ty: ValType, found: &mut Proposals) {
    match ty {
        ValType::V128 => found.insert("simd"),
        ValType::Ref(r) => {
            if r != RefType::FUNCREF {
                found.insert("reference_types");
            }
            if !r.is_nullable() {
                found.insert("function_references");
            }
            match r.heap_type() {
                HeapType::Abstract { shared, ty } => {
                    if shared {
                        found.insert("shared_everything_threads");
                    }
                    match ty {
                        AbstractHeapType::Func | AbstractHeapType::Extern => {}
                        AbstractHeapType::Exn | AbstractHeapType::NoExn => {
                            found.insert("exceptions");
                        }
                        AbstractHeapType::Cont | AbstractHeapType::NoCont => {
                            found.insert("stack_switching");
                        }
                        _ => found.insert("gc"),
                    }
                }
                _ => found.insert("function_references"),
            }
        }
        _ => {}
    }
}

fn scan_block_types(op: &Operator<'_>, found: &mut Proposals) {
    match op {
        Operator::Block { blockty } | Operator::Loop { blockty } | Operator::If { blockty } => {
            scan_block_type(*blockty, found);
        }
        Operator::TryTable { try_table } => scan_block_type(try_table.ty, found),
        Operator::Try { blockty } => scan_block_type(*blockty, found),
        // A memory index other than 0 needs a second memory, which the memory section shows.
        _ => {}
    }
}

pub(super) fn scan_block_type(ty: BlockType, found: &mut Proposals) {
    match ty {
        BlockType::FuncType(_) => found.insert("multi_value"),
        BlockType::Type(ty) => scan_val_type(ty, found),
        BlockType::Empty => {}
    }
}
