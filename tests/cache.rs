//! The facts cache through the binary: a warm run decides exactly as a cold one, an entry
//! that does not check out (garbage, another artifact's, another version's options, not a
//! regular file) is a miss that recomputes, never a changed verdict.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::print_stdout)]

mod common;

use common::{Sandbox, run};

fn report(sandbox: &Sandbox) -> (i32, String) {
    let (code, stdout, stderr) =
        run(sandbox
            .cmd()
            .args(["check", "--no-compress", "--format", "json"]));
    assert!(code < 2, "{stderr}");
    (code, stdout)
}

fn entries(sandbox: &Sandbox) -> Vec<std::path::PathBuf> {
    let dir = sandbox.cache_dir().join("facts");
    let mut found: Vec<_> = std::fs::read_dir(&dir)
        .map(|d| d.map(|e| e.unwrap().path()).collect())
        .unwrap_or_default();
    found.sort();
    found
}

fn sandbox() -> Sandbox {
    let sandbox = Sandbox::new();
    sandbox.wasm("dist/app.wasm", "app");
    sandbox.wasm("dist/bad.wasm", "invalid");
    sandbox
}

#[test]
fn a_warm_run_decides_as_the_cold_one() {
    let sandbox = sandbox();
    let cold = report(&sandbox);
    let stored = entries(&sandbox);
    assert_eq!(stored.len(), 2, "one entry per artifact: {stored:?}");
    let warm = report(&sandbox);
    assert_eq!(cold, warm);
    // Another [limits] is another key: the entries are not reused.
    sandbox.write("wasmgate.toml", "[limits]\nimports = 5000\n");
    let (code, _) = report(&sandbox);
    assert_eq!(code, cold.0);
    assert_eq!(entries(&sandbox).len(), 4);
}

#[test]
fn an_entry_that_does_not_check_out_is_recomputed() {
    let sandbox = sandbox();
    let cold = report(&sandbox);
    let stored = entries(&sandbox);
    let bad = stored
        .iter()
        .find(|p| {
            let text = std::fs::read_to_string(p).unwrap();
            text.contains("\"valid\":false")
        })
        .unwrap()
        .clone();
    let good = stored.iter().find(|p| **p != bad).unwrap().clone();
    // Garbage, truncated JSON, the other artifact's entry under this one's name, a FIFO.
    let other = std::fs::read(&good).unwrap();
    let text = std::fs::read(&bad).unwrap();
    for poison in [b"not json".to_vec(), text[..text.len() / 2].to_vec(), other] {
        std::fs::write(&bad, &poison).unwrap();
        assert_eq!(
            report(&sandbox),
            cold,
            "an entry that does not check out is a miss"
        );
        // The miss rewrote the entry.
        assert_eq!(std::fs::read(&bad).unwrap(), text);
    }
    #[cfg(unix)]
    {
        std::fs::remove_file(&bad).unwrap();
        let made = std::process::Command::new("mkfifo").arg(&bad).status();
        if made.is_ok_and(|s| s.success()) {
            assert_eq!(
                report(&sandbox),
                cold,
                "a FIFO is no entry, and never blocks"
            );
        } else {
            common::skip("mkfifo (.ci/run installs coreutils)");
        }
    }
}
