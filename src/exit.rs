//! The one place that turns a result into an exit code.

use crate::report::Verdict;

/// Exit code: the gate passed (warnings allowed).
pub const PASS: u8 = 0;
/// Exit code: the gate failed (at least one deny finding).
pub const FAIL: u8 = 1;
/// Exit code: wasmgate could not decide.
pub const ERROR: u8 = 2;

/// The exit code for a verdict.
pub fn code(verdict: Verdict) -> u8 {
    match verdict {
        Verdict::Pass => PASS,
        Verdict::Fail => FAIL,
        Verdict::Error => ERROR,
    }
}
