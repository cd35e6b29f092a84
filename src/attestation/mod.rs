//! Decision attestations: a DSSE envelope (`dsse`) over an in-toto Statement whose predicate
//! is the gate's decision (`statement`), and what a deploy step checks of one (`verify`).

pub mod dsse;
pub mod sign;
pub mod statement;
pub mod verify;
