//! Shared helpers for the integration tests: fixtures compiled from `.wat`, sandboxes, and the
//! real binary.
#![allow(dead_code, unreachable_pub)]

use std::path::{Path, PathBuf};

use assert_cmd::Command;

/// The repository root.
pub fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// Compiles `fixtures/wasm/NAME.wat` with the `wat` crate.
pub fn fixture(name: &str) -> Vec<u8> {
    let path = repo().join("fixtures/wasm").join(format!("{name}.wat"));
    wat::parse_file(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// A temporary directory to run wasmgate in.
pub struct Sandbox {
    pub dir: tempfile::TempDir,
    cache: tempfile::TempDir,
}

impl Sandbox {
    pub fn new() -> Sandbox {
        Sandbox {
            dir: tempfile::tempdir().unwrap(),
            cache: tempfile::tempdir().unwrap(),
        }
    }

    pub fn path(&self) -> &Path {
        self.dir.path()
    }

    /// Writes a file (creating parent directories) and returns its path.
    pub fn write(&self, relative: &str, bytes: impl AsRef<[u8]>) -> PathBuf {
        let path = self.dir.path().join(relative);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(&path, bytes).unwrap();
        path
    }

    /// Writes `fixtures/wasm/NAME.wat` compiled to `relative`.
    pub fn wasm(&self, relative: &str, fixture_name: &str) -> PathBuf {
        self.write(relative, fixture(fixture_name))
    }

    /// The wasmgate binary, run in this sandbox with a private size cache and no colours.
    pub fn cmd(&self) -> Command {
        let mut cmd = Command::cargo_bin("wasmgate").unwrap();
        cmd.current_dir(self.dir.path())
            .env("WASMGATE_CACHE_DIR", self.cache.path())
            .env("NO_COLOR", "1")
            .env_remove("WASMGATE_CONFIG");
        cmd
    }

    pub fn cache_dir(&self) -> &Path {
        self.cache.path()
    }
}

/// Runs a command and returns (exit code, stdout, stderr).
pub fn run(cmd: &mut Command) -> (i32, String, String) {
    let output = cmd.output().unwrap();
    (
        output.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&output.stdout).into_owned(),
        String::from_utf8_lossy(&output.stderr).into_owned(),
    )
}

/// Parses `wasmgate facts` output for a sandbox and paths.
pub fn facts(sandbox: &Sandbox, args: &[&str]) -> serde_json::Value {
    let (code, stdout, stderr) = run(sandbox.cmd().arg("facts").args(args));
    assert_eq!(code, 0, "facts failed: {stderr}");
    serde_json::from_str(&stdout).unwrap()
}

/// Runs `wasmgate check --format json ARGS` and returns the exit code and the typed report.
pub fn check_json(sandbox: &Sandbox, args: &[&str]) -> (i32, wasmgate::report::Report, String) {
    let (code, stdout, stderr) = run(sandbox.cmd().args(["check", "--format", "json"]).args(args));
    let report: wasmgate::report::Report = serde_json::from_str(&stdout)
        .unwrap_or_else(|e| panic!("not a report ({e}):\n{stdout}\nstderr:\n{stderr}"));
    (code, report, stderr)
}

/// The codes of a report's findings, sorted, with severities.
pub fn codes(report: &wasmgate::report::Report) -> Vec<(String, String)> {
    let mut codes: Vec<(String, String)> = report
        .findings
        .iter()
        .map(|f| (f.code.clone(), f.severity.as_str().to_string()))
        .collect();
    codes.sort();
    codes
}

/// True when some finding has this code (and, when given, artifact).
pub fn has(report: &wasmgate::report::Report, code: &str, artifact: Option<&str>) -> bool {
    report
        .findings
        .iter()
        .any(|f| f.code == code && artifact.is_none_or(|a| f.artifact.as_deref() == Some(a)))
}
