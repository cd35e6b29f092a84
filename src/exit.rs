//! The one place that turns how a run ended into an exit code: 0 pass, 1 gate failed, 2 could
//! not decide. Commands return an `Outcome`; only `Outcome::code` knows the numbers.

use crate::report::Verdict;

/// How a command ended, worst last: combining two outcomes keeps the worse (`max`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Outcome {
    /// The gate passed (warnings allowed), or the command did what it was asked.
    Pass,
    /// The gate failed: at least one deny finding (or `verify` found no valid signature).
    Fail,
    /// wasmgate could not decide.
    Error,
}

impl Outcome {
    /// The outcome of a verdict.
    pub fn of(verdict: Verdict) -> Outcome {
        match verdict {
            Verdict::Pass => Outcome::Pass,
            Verdict::Fail => Outcome::Fail,
            Verdict::Error => Outcome::Error,
        }
    }

    /// The process exit code.
    pub fn code(self) -> u8 {
        match self {
            Outcome::Pass => 0,
            Outcome::Fail => 1,
            Outcome::Error => 2,
        }
    }

    /// The outcome a child process reported with `code`; None for a code outside the contract
    /// (a panic's 101, a signal).
    pub fn from_code(code: i32) -> Option<Outcome> {
        match code {
            0 => Some(Outcome::Pass),
            1 => Some(Outcome::Fail),
            2 => Some(Outcome::Error),
            _ => None,
        }
    }
}
