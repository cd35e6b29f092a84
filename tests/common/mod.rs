//! Shared helpers for the integration tests: fixtures compiled from `.wat`, sandboxes, and the
//! real binary.
#![allow(dead_code, unreachable_pub, clippy::print_stdout)]

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

/// Says a test could not run because `what` is missing. Under `CI=true` that is a failure:
/// `.ci/run` installs every tool the tests need, so a skip there would hide a test that
/// cannot fail.
pub fn skip(what: &str) {
    assert!(
        !std::env::var("CI").is_ok_and(|v| v == "true"),
        "{what}, and CI=true: .ci/run must provide it"
    );
    println!("skipped: {what}");
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
            .env_remove("WASMGATE_CONFIG")
            // The CI running these tests may itself be a pull request pipeline.
            .env_remove("WASMGATE_BASE")
            .env_remove("GITHUB_BASE_REF")
            .env_remove("CI_MERGE_REQUEST_DIFF_BASE_SHA")
            .env_remove("CI_MERGE_REQUEST_TARGET_BRANCH_NAME");
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

/// A real module whose data segment holds `bytes` incompressible bytes (seeded), so that raw,
/// gzip and brotli sizes all move with `bytes`.
pub fn module_with_data(bytes: usize, seed: u64) -> Vec<u8> {
    let mut state = seed | 1;
    let mut data = String::with_capacity(bytes * 3);
    for _ in 0..bytes {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        data.push_str(&format!("\\{:02x}", state as u8));
    }
    let pages = bytes / 65_536 + 2;
    let wat = format!(
        "(module (memory (export \"memory\") {pages} {pages}) (func (export \"run\") (result i32) i32.const 1) (data (i32.const 0) \"{data}\"))"
    );
    wat::parse_str(&wat).unwrap()
}

/// A git repository in a sandbox, driven through libgit2.
pub struct GitRepo {
    pub sandbox: Sandbox,
    pub repo: git2::Repository,
}

impl GitRepo {
    /// `git init` with branch `main`.
    pub fn new() -> GitRepo {
        let sandbox = Sandbox::new();
        let mut options = git2::RepositoryInitOptions::new();
        options.initial_head("main");
        let repo = git2::Repository::init_opts(sandbox.path(), &options).unwrap();
        GitRepo { sandbox, repo }
    }

    pub fn path(&self) -> &Path {
        self.sandbox.path()
    }

    /// Writes files, stages everything (including deletions) and commits with `message`.
    pub fn commit(&self, message: &str, files: &[(&str, &[u8])]) -> git2::Oid {
        for (path, bytes) in files {
            self.sandbox.write(path, bytes);
        }
        self.commit_all(message)
    }

    /// Stages the whole work tree and commits.
    pub fn commit_all(&self, message: &str) -> git2::Oid {
        let mut index = self.repo.index().unwrap();
        index
            .add_all(["*"], git2::IndexAddOption::DEFAULT, None)
            .unwrap();
        index.update_all(["*"], None).unwrap();
        index.write().unwrap();
        let tree = self.repo.find_tree(index.write_tree().unwrap()).unwrap();
        let signature = git2::Signature::now("Dev Eloper", "dev@example.com").unwrap();
        let parents: Vec<git2::Commit<'_>> = self
            .repo
            .head()
            .ok()
            .and_then(|h| h.peel_to_commit().ok())
            .into_iter()
            .collect();
        let parents: Vec<&git2::Commit<'_>> = parents.iter().collect();
        self.repo
            .commit(
                Some("HEAD"),
                &signature,
                &signature,
                message,
                &tree,
                &parents,
            )
            .unwrap()
    }

    /// Creates `name` at HEAD and checks it out.
    pub fn branch(&self, name: &str) {
        let head = self.repo.head().unwrap().peel_to_commit().unwrap();
        self.repo.branch(name, &head, true).unwrap();
        self.checkout(name);
    }

    /// Checks out an existing branch, updating the work tree.
    pub fn checkout(&self, name: &str) {
        let reference = format!("refs/heads/{name}");
        let object = self.repo.revparse_single(&reference).unwrap();
        let mut options = git2::build::CheckoutBuilder::new();
        options.force().remove_untracked(true);
        self.repo
            .checkout_tree(&object, Some(&mut options))
            .unwrap();
        self.repo.set_head(&reference).unwrap();
    }

    /// wasmgate in the repository.
    pub fn cmd(&self) -> Command {
        self.sandbox.cmd()
    }
}

/// `details[key]` of every finding with `code`, as strings, sorted.
pub fn detail_values(report: &wasmgate::report::Report, code: &str, key: &str) -> Vec<String> {
    let mut values: Vec<String> = report
        .findings
        .iter()
        .filter(|f| f.code == code)
        .filter_map(|f| f.details.as_ref()?.get(key)?.as_str().map(String::from))
        .collect();
    values.sort();
    values
}

/// The first finding with `code`; fails the test when there is none.
pub fn finding<'a>(
    report: &'a wasmgate::report::Report,
    code: &str,
) -> &'a wasmgate::report::Finding {
    report
        .findings
        .iter()
        .find(|f| f.code == code)
        .unwrap_or_else(|| panic!("no `{code}` finding in {report:#?}"))
}

/// What `opa test` decides for each `(package, test)` when the Go OPA (the PyPI bindings at
/// `opa`) loads `files` from `dir`: `pass`, `fail`, `skip` (`todo_`) or `error: …`. The
/// bindings evaluate with strict builtin errors; `opa test` does not, so there a builtin error
/// leaves the test undefined, which is a failure (open-policy-agent/opa#6816).
pub fn opa_test_outcomes(
    opa: &std::ffi::OsStr,
    dir: &Path,
    files: &[String],
    tests: &[(String, String)],
) -> Vec<String> {
    let script = r#"
import json, sys
sys.path.insert(0, sys.argv[1])
from opa_bindings import OpaEngine
engine = OpaEngine()
for name in json.loads(sys.argv[2]):
    engine.add_policy(name, open(name).read())
outcomes = []
for package, name in json.loads(sys.argv[3]):
    if name.startswith("todo_"):
        outcomes.append("skip")
        continue
    try:
        result = engine.eval_query("x := " + package + "." + name, {})
        outcomes.append("pass" if bool(result) and result[0]["x"] is True else "fail")
    except Exception as error:
        outcomes.append("fail" if "eval_builtin_error" in str(error) else "error: " + str(error))
print(json.dumps(outcomes))
"#;
    let output = std::process::Command::new("python3")
        .current_dir(dir)
        .args(["-c", script])
        .arg(opa)
        .arg(serde_json::to_string(files).unwrap())
        .arg(serde_json::to_string(tests).unwrap())
        .output()
        .unwrap();
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    serde_json::from_slice(&output.stdout).unwrap()
}
