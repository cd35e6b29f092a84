//! Runs the gate in a child process under an address-space bound, so that running out of
//! memory anywhere (a policy building a billion-element array, a hostile binary) ends in exit 2
//! with a diagnostic, never in an abort (134) or a panic (101).
//!
//! The parent only parses the arguments, starts the same binary again with the bound in
//! `WASMGATE_SUPERVISED`, and waits. The child inherits stdin, stdout and stderr, so output
//! and terminal detection are as without it. `WASMGATE_MAX_MEMORY` sets the bound (`0` runs
//! in-process, unbounded); a lower limit already in force (`ulimit -v`) is kept.

use std::process::Command;

use wasmgate::exit::Outcome;

/// The child's environment variable: the bound in bytes.
const SUPERVISED: &str = "WASMGATE_SUPERVISED";

/// The user's setting: bytes, or with a suffix (`2GiB`, `512MiB`).
const MAX_MEMORY: &str = "WASMGATE_MAX_MEMORY";

/// The default bound of one run's address space.
const DEFAULT_BYTES: u64 = 4 << 30;

/// How a supervised run ended.
enum Ended {
    /// The child exited with a code of the contract (0, 1, 2): pass it on.
    Code(Outcome),
    /// The child died: the message says how, for an exit-2 diagnostic.
    Crashed(String),
}

/// In the child: applies the bound. Returns true when this process is the supervised child.
fn enter_child() -> bool {
    let Some(bound) = std::env::var(SUPERVISED)
        .ok()
        .and_then(|v| v.parse::<u64>().ok())
    else {
        return false;
    };
    limit_address_space(bound);
    true
}

/// Where a supervised command stands: run it here, its child's code, or how the child died.
pub(crate) enum Supervised {
    /// Run in this process: this is the child, or supervision is off.
    Here,
    /// The child decided: exit with its outcome.
    Exited(Outcome),
    /// The child died (or could not start): report this as the command's error.
    Crashed(wasmgate::Error),
}

/// Supervises this run: enters the bound when this is the child, else runs the child.
pub(crate) fn supervise() -> Supervised {
    if enter_child() {
        return Supervised::Here;
    }
    let message = match bound().map(|bound| bound.map(run)) {
        Ok(None) => return Supervised::Here,
        Ok(Some(Ok(Ended::Code(outcome)))) => return Supervised::Exited(outcome),
        Ok(Some(Ok(Ended::Crashed(message)) | Err(message))) | Err(message) => message,
    };
    Supervised::Crashed(wasmgate::Error::Crashed {
        message,
        help: format!(
            "the run is bounded to WASMGATE_MAX_MEMORY (default {} GiB) of address space, or less under `ulimit -v`; look for a policy or artifact that builds something huge, or raise the bound if the inputs are expected",
            DEFAULT_BYTES >> 30
        ),
    })
}

/// The bound to supervise with, or None to run in this process (already the child, turned
/// off, or a platform without address-space limits).
fn bound() -> Result<Option<u64>, String> {
    if std::env::var_os(SUPERVISED).is_some() || !cfg!(unix) {
        return Ok(None);
    }
    let bytes = match std::env::var(MAX_MEMORY) {
        Ok(text) if !text.trim().is_empty() => {
            wasmgate::config::ByteSize::parse(text.trim())
                .map_err(|e| format!("{MAX_MEMORY}={text}: {e}"))?
                .0
        }
        _ => DEFAULT_BYTES,
    };
    Ok((bytes > 0).then_some(bytes))
}

/// Runs this binary again with the same arguments under `bound` bytes of address space.
fn run(bound: u64) -> Result<Ended, String> {
    let exe =
        std::env::current_exe().map_err(|e| format!("cannot find the wasmgate binary: {e}"))?;
    let status = Command::new(exe)
        .args(std::env::args_os().skip(1))
        .env(SUPERVISED, bound.to_string())
        .status()
        .map_err(|e| format!("cannot start the supervised run: {e}"))?;
    if let Some(code) = status.code() {
        return Ok(match Outcome::from_code(code) {
            Some(outcome) => Ended::Code(outcome),
            // Rust exits 101 after a panic: a bug or an exhausted bound, never a verdict.
            None => Ended::Crashed(format!("the run ended with exit status {code} (a panic)")),
        });
    }
    Ok(Ended::Crashed(describe_signal(&status)))
}

#[cfg(unix)]
fn describe_signal(status: &std::process::ExitStatus) -> String {
    use std::os::unix::process::ExitStatusExt;
    match status.signal() {
        Some(6) => "the run aborted (SIGABRT): an allocation failed, which is how an exhausted memory bound ends".to_string(),
        Some(9) => "the run was killed (SIGKILL), as the kernel's out-of-memory killer does".to_string(),
        Some(signal) => format!("the run was stopped by signal {signal}"),
        None => "the run ended without an exit status".to_string(),
    }
}

#[cfg(not(unix))]
fn describe_signal(_status: &std::process::ExitStatus) -> String {
    "the run ended without an exit status".to_string()
}

#[cfg(unix)]
fn limit_address_space(bound: u64) {
    use rlimit::Resource;
    let Ok((soft, hard)) = Resource::AS.get() else {
        return;
    };
    let soft = soft.min(bound).min(hard);
    // A bound that cannot be set leaves the run as it would be without supervision.
    let _ = Resource::AS.set(soft, hard);
}

#[cfg(not(unix))]
fn limit_address_space(_bound: u64) {}
