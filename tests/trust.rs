//! Issue 10: a PR must never be able to make its own gate pass. Each test builds a real
//! repository, lets a "PR" attack the gate one way, and checks the run ends in 1 or 2.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use common::{GitRepo, Sandbox, check_json, has, run};

/// main has a config that denies every artifact over 10 raw bytes; the PR branch `pr`.
fn guarded() -> GitRepo {
    let repo = GitRepo::new();
    repo.commit(
        "gate",
        &[
            ("wasmgate.toml", b"[[budgets]]\nraw = 10\n"),
            (
                "policies/team.rego",
                b"package wasmgate\n\nimport rego.v1\n\nwarn contains \"team\" if true\n",
            ),
        ],
    );
    repo.branch("pr");
    repo.sandbox.wasm("dist/app.wasm", "app");
    repo
}

#[cfg(unix)]
#[test]
fn a_symlinked_config_is_not_followed_and_denies() {
    let repo = guarded();
    std::fs::remove_file(repo.path().join("wasmgate.toml")).unwrap();
    std::os::unix::fs::symlink("/dev/null", repo.path().join("wasmgate.toml")).unwrap();
    repo.commit_all("loosen");
    let (code, report, stderr) = check_json(&repo.sandbox, &["--base", "main"]);
    assert_eq!(code, 1, "{stderr}");
    assert!(has(&report, "gate-file-not-regular", None));
    // The base's budget still applied.
    assert!(has(&report, "size-budget-exceeded", Some("dist/app.wasm")));
}

#[cfg(unix)]
#[test]
fn a_symlinked_policy_directory_is_reported() {
    let repo = guarded();
    std::fs::remove_dir_all(repo.path().join("policies")).unwrap();
    let empty = repo.sandbox.write("elsewhere/none.txt", "");
    std::os::unix::fs::symlink(empty.parent().unwrap(), repo.path().join("policies")).unwrap();
    repo.commit_all("drop policies");
    let (code, report, _) = check_json(&repo.sandbox, &["--base", "main"]);
    assert_eq!(code, 1);
    assert!(has(&report, "gate-file-not-regular", None));
    // The merge-base's policy still ran.
    assert!(report.findings.iter().any(|f| f.message == "team"));
}

#[test]
fn a_config_added_in_a_subdirectory_never_governs() {
    let repo = guarded();
    repo.sandbox.write("sub/wasmgate.toml", "");
    repo.sandbox.wasm("sub/dist/app.wasm", "app");
    repo.commit_all("own config");
    let (code, report, stderr) = run_in(&repo, "sub", &["--base", "main"]);
    assert_eq!(code, 1, "{stderr}");
    assert!(has(&report, "size-budget-exceeded", None));
    let change = report
        .findings
        .iter()
        .find(|f| f.code == "policy-changed")
        .expect("the added config is a governing change");
    assert!(
        change.message.contains("sub/wasmgate.toml"),
        "{}",
        change.message
    );
}

fn run_in(repo: &GitRepo, dir: &str, args: &[&str]) -> (i32, wasmgate::report::Report, String) {
    let (code, stdout, stderr) = run(repo
        .cmd()
        .current_dir(repo.path().join(dir))
        .args(["check", "--format", "json"])
        .args(args));
    let report = serde_json::from_str(&stdout).unwrap_or_else(|e| panic!("{e}: {stdout} {stderr}"));
    (code, report, stderr)
}

#[test]
fn a_policy_named_inside_the_repo_is_read_at_the_merge_base() {
    let repo = guarded();
    repo.sandbox.write(
        "rules/extra.rego",
        "package wasmgate\n\nimport rego.v1\n\ndeny contains \"base says no\" if true\n",
    );
    repo.commit_all("extra");
    repo.checkout("main");
    repo.commit(
        "land",
        &[(
            "rules/extra.rego",
            b"package wasmgate\n\nimport rego.v1\n\ndeny contains \"base says no\" if true\n",
        )],
    );
    repo.branch("pr2");
    repo.sandbox.wasm("dist/app.wasm", "app");
    repo.sandbox.write(
        "rules/extra.rego",
        "package wasmgate\n\nimport rego.v1\n\ndeny contains \"x\" if false\n",
    );
    repo.commit_all("weaken");
    let (code, report, _) = check_json(
        &repo.sandbox,
        &["--base", "main", "--policy", "rules/extra.rego"],
    );
    assert_eq!(code, 1);
    assert!(report.findings.iter().any(|f| f.message == "base says no"));
    assert!(has(&report, "policy-changed", None));
}

#[test]
fn explicit_inputs_that_cannot_be_honoured_are_exit_2() {
    let sandbox = Sandbox::new();
    sandbox.wasm("dist/app.wasm", "app");
    let (code, _, stderr) = run(sandbox.cmd().args(["check", "--config", "missing.toml"]));
    assert_eq!(code, 2, "{stderr}");
    assert!(stderr.contains("missing.toml"), "{stderr}");
    let (code, _, stderr) = run(sandbox
        .cmd()
        .env("WASMGATE_CONFIG", "nope.toml")
        .arg("check"));
    assert_eq!(code, 2, "{stderr}");
    // A base named with no repository to use it in.
    let (code, _, stderr) = run(sandbox.cmd().args(["check", "--base", "main"]));
    assert_eq!(code, 2, "{stderr}");
    assert!(stderr.contains("not inside a git repository"), "{stderr}");
    let (code, _, _) = run(sandbox.cmd().env("GITHUB_BASE_REF", "main").arg("check"));
    assert_eq!(code, 2);
    // A repository without commits.
    git2::Repository::init(sandbox.path()).unwrap();
    let (code, _, stderr) = run(sandbox.cmd().env("WASMGATE_BASE", "main").arg("check"));
    assert_eq!(code, 2, "{stderr}");
    assert!(stderr.contains("no commit"), "{stderr}");
}

#[test]
fn config_mistakes_that_would_drop_a_rule_are_exit_2() {
    let sandbox = Sandbox::new();
    sandbox.wasm("dist/app.wasm", "app");
    sandbox.write("wasmgate.toml", "[rules]\nmemroy-unbounded = \"deny\"\n");
    let (code, _, stderr) = run(sandbox.cmd().arg("check"));
    assert_eq!(code, 2, "{stderr}");
    assert!(
        stderr.contains("did you mean `memory-unbounded`"),
        "{stderr}"
    );
    for bad in [
        "price_per_gb = inf",
        "price_per_gb = nan",
        "price_per_gb = -0.5",
        "cache_hit_ratio = -1.0",
    ] {
        sandbox.write("wasmgate.toml", format!("[finops]\n{bad}\n"));
        let (code, _, stderr) = run(sandbox.cmd().arg("check"));
        assert_eq!(code, 2, "{bad}: {stderr}");
        assert!(stderr.contains("finops."), "{bad}: {stderr}");
    }
    // A code a user policy spells out may be overridden.
    sandbox.write("policies/team.rego", "package wasmgate\n\nimport rego.v1\n\ndeny contains {\"msg\": \"m\", \"code\": \"team-rule\"} if true\n");
    sandbox.write("wasmgate.toml", "[rules]\nteam-rule = \"allow\"\n");
    assert_ne!(run(sandbox.cmd().arg("check")).0, 2);
}

#[test]
fn a_named_policy_that_runs_no_rule_is_exit_2() {
    let sandbox = Sandbox::new();
    sandbox.wasm("dist/app.wasm", "app");
    sandbox.write(
        "extra.rego",
        "package other\n\nimport rego.v1\n\ndeny contains \"x\" if true\n",
    );
    let (code, _, stderr) = run(sandbox.cmd().args(["check", "--policy", "extra.rego"]));
    assert_eq!(code, 2, "{stderr}");
    assert!(stderr.contains("`other`"), "{stderr}");
}

#[cfg(unix)]
#[test]
fn links_out_of_the_repository_are_never_read() {
    let repo = guarded();
    std::os::unix::fs::symlink("/proc/self/environ", repo.path().join("dist/env.wasm")).unwrap();
    let outside = tempfile::tempdir().unwrap();
    std::fs::write(outside.path().join("x.wasm"), common::fixture("app")).unwrap();
    std::os::unix::fs::symlink(outside.path(), repo.path().join("dist/linked")).unwrap();
    repo.commit_all("links");
    for args in [vec![], vec!["dist/env.wasm"], vec!["dist/**/*.wasm"]] {
        let (code, stdout, stderr) = run(repo.cmd().args(["check", "--no-base"]).args(&args));
        assert_eq!(code, 1, "{args:?}: {stderr}");
        assert!(
            stdout.contains("artifact-outside-root"),
            "{args:?}: {stdout}"
        );
        assert!(
            !stdout.contains("PATH=") && !stderr.contains("PATH="),
            "environment leaked"
        );
    }
    // No other command reads through the link either.
    for args in [
        vec!["signatures", "dist/env.wasm"],
        vec!["sign", "--secret-key", "dist/env.wasm", "dist/app.wasm"],
    ] {
        let (code, stdout, stderr) = run(repo.cmd().args(&args));
        assert_eq!(code, 2, "{args:?}: {stderr}");
        assert!(
            stderr.contains("leaves the repository"),
            "{args:?}: {stderr}"
        );
        assert!(
            !stdout.contains("PATH=") && !stderr.contains("PATH="),
            "environment leaked"
        );
    }
    let (_, report, _) = check_json(&repo.sandbox, &["--no-base"]);
    assert!(has(&report, "artifact-outside-root", Some("dist/linked")));
    assert!(has(&report, "artifact-outside-root", Some("dist/env.wasm")));
    // The other artifact is still judged.
    assert!(report.artifacts.iter().any(|a| a.path == "dist/app.wasm"));
}

#[cfg(unix)]
#[test]
fn special_and_dangling_entries_are_reported_not_dropped() {
    let sandbox = Sandbox::new();
    sandbox.wasm("dist/app.wasm", "app");
    std::os::unix::fs::symlink("nowhere.wasm", sandbox.path().join("dist/dangling.wasm")).unwrap();
    let fifo = sandbox.path().join("dist/pipe.wasm");
    assert!(
        std::process::Command::new("mkfifo")
            .arg(&fifo)
            .status()
            .unwrap()
            .success()
    );
    // A FIFO sibling must not hang the gate either.
    assert!(
        std::process::Command::new("mkfifo")
            .arg(sandbox.path().join("dist/app.wasm.br"))
            .status()
            .unwrap()
            .success()
    );
    let (code, report, stderr) = check_json(&sandbox, &[]);
    assert_eq!(code, 1, "{stderr}");
    assert!(has(
        &report,
        "artifact-unreadable",
        Some("dist/dangling.wasm")
    ));
    let pipe = report
        .findings
        .iter()
        .find(|f| {
            f.code == "artifact-unreadable" && f.artifact.as_deref() == Some("dist/pipe.wasm")
        })
        .expect("the FIFO is reported");
    assert!(pipe.message.contains("fifo"), "{}", pipe.message);
}

#[test]
fn a_cache_inside_the_repository_is_refused() {
    let sandbox = Sandbox::new();
    git2::Repository::init(sandbox.path()).unwrap();
    let module = common::fixture("app");
    sandbox.write("dist/app.wasm", &module);
    sandbox.write("wasmgate.toml", "[compression]\ncache_dir = \".cache\"\n");
    let sha = {
        use sha2::Digest;
        let digest = sha2::Sha256::digest(&module);
        digest
            .iter()
            .map(|b| format!("{b:02x}"))
            .collect::<String>()
    };
    let version = env!("CARGO_PKG_VERSION");
    sandbox.write(&format!(".cache/{sha}.gzip-9.v{version}"), "10\n");
    sandbox.write(&format!(".cache/{sha}.brotli-11-w22.v{version}"), "10\n");
    let (code, stdout, stderr) = run(sandbox
        .cmd()
        .env_remove("WASMGATE_CACHE_DIR")
        .env("XDG_CACHE_HOME", sandbox.cache_dir())
        .args(["facts", "--no-base"]));
    assert_eq!(code, 0, "{stderr}");
    let facts: serde_json::Value = serde_json::from_str(&stdout).unwrap();
    let gzip = facts["artifacts"][0]["size"]["gzip"].as_u64().unwrap();
    assert_ne!(gzip, 10, "a planted cache entry set the size");
    assert!(stderr.contains("inside the repository"), "{stderr}");
}

#[test]
fn a_large_window_brotli_sibling_is_not_trusted() {
    let sandbox = Sandbox::new();
    let module = common::module_with_data(40_000, 7);
    sandbox.write("dist/app.wasm", &module);
    // Large-window header (WBITS marker 0x11) in front of garbage: never a sibling size.
    let mut fake = vec![0x11u8, 0x30];
    fake.extend_from_slice(&[0u8; 100]);
    sandbox.write("dist/app.wasm.br", &fake);
    let facts = common::facts(&sandbox, &[]);
    assert_eq!(facts["artifacts"][0]["size"]["brotli_source"], "computed");
}

#[test]
fn hundreds_of_thousands_of_custom_sections_end_in_a_finding() {
    let sandbox = Sandbox::new();
    let mut bytes = b"\0asm\x01\0\0\0".to_vec();
    for _ in 0..300_000 {
        bytes.extend_from_slice(&[0, 1, 0]);
    }
    sandbox.write("dist/app.wasm", &bytes);
    let (code, report, _) = check_json(&sandbox, &["--no-compress"]);
    assert_eq!(code, 1);
    let limit = common::finding(&report, "wasm-limits-exceeded");
    let details = limit.details.as_ref().unwrap();
    assert!(report.findings.iter().any(
        |f| f.code == "wasm-limits-exceeded" && f.details.as_ref().unwrap()["count"] == 300_000
    ));
    assert!(details["limit"].as_u64().unwrap() < 300_000);
}

#[test]
fn no_compress_never_prices_raw_bytes_as_served() {
    let sandbox = Sandbox::new();
    sandbox.wasm("dist/app.wasm", "app");
    sandbox.write(
        "wasmgate.toml",
        "[finops]\nmax_monthly_cost = 0.0\n[[finops.loads]]\nper_month = 1e12\n",
    );
    let (code, report, stderr) = check_json(&sandbox, &["--no-compress"]);
    assert_eq!(code, 0, "{stderr}");
    assert!(has(&report, "cost-unchecked", Some("dist/app.wasm")));
    assert!(!has(&report, "cost-budget-exceeded", None));
    let (code, report, _) = check_json(&sandbox, &[]);
    assert_eq!(code, 1);
    assert!(has(&report, "cost-budget-exceeded", None));
}

#[test]
fn hostile_names_cannot_forge_lines_or_escapes() {
    let sandbox = Sandbox::new();
    let name = "dist/x\n::error::forged\u{1b}[31m`|.wasm";
    sandbox.wasm(name, "app");
    let (_, stdout, _) = run(sandbox
        .cmd()
        .env("GITHUB_ACTIONS", "true")
        .env_remove("GITHUB_STEP_SUMMARY")
        .arg("check"));
    assert!(
        !stdout.lines().any(|l| l.starts_with("::error::forged")),
        "{stdout}"
    );
    assert!(!stdout.contains('\u{1b}'), "raw ESC reached the terminal");
    let (_, markdown, _) = run(sandbox.cmd().args(["check", "--format", "markdown"]));
    assert!(
        !markdown.lines().any(|l| l.starts_with("::error")),
        "{markdown}"
    );
    assert!(
        markdown.contains("`` dist/x ::error::forged\\u{1b}[31m`\\|.wasm ``"),
        "{markdown}"
    );
    let (_, junit, _) = run(sandbox.cmd().args(["check", "--format", "junit"]));
    assert!(!junit.contains('\u{1b}'));
    let (_, json, _) = run(sandbox.cmd().args(["check", "--format", "json"]));
    let _: serde_json::Value = serde_json::from_str(&json).unwrap();
    let (_, sarif, _) = run(sandbox.cmd().args(["check", "--format", "sarif"]));
    let sarif: serde_json::Value = serde_json::from_str(&sarif).unwrap();
    assert!(
        sarif["runs"][0]["results"]
            .as_array()
            .unwrap()
            .iter()
            .any(|r| r["locations"].to_string().contains("forged"))
    );
}

#[test]
fn exit_2_is_visible_in_sarif_junit_and_github() {
    let sandbox = Sandbox::new();
    sandbox.wasm("dist/app.wasm", "app");
    let (code, sarif, _) =
        run(sandbox
            .cmd()
            .args(["check", "--config", "none.toml", "--format", "sarif"]));
    assert_eq!(code, 2);
    let sarif: serde_json::Value = serde_json::from_str(&sarif).unwrap();
    let invocation = &sarif["runs"][0]["invocations"][0];
    assert_eq!(invocation["executionSuccessful"], false);
    assert_eq!(
        invocation["toolExecutionNotifications"][0]["level"],
        "error"
    );
    let (_, junit, _) =
        run(sandbox
            .cmd()
            .args(["check", "--config", "none.toml", "--format", "junit"]));
    assert!(junit.contains("<error message="), "{junit}");
    assert!(junit.contains("errors=\"1\""), "{junit}");
    let (_, github, _) = run(sandbox
        .cmd()
        .env("GITHUB_ACTIONS", "true")
        .env_remove("GITHUB_STEP_SUMMARY")
        .args(["check", "--config", "none.toml"]));
    assert!(
        github
            .lines()
            .any(|l| l.starts_with("::error title=wasmgate could not decide::")),
        "{github}"
    );
    let summary = sandbox.path().join("summary.md");
    run(sandbox
        .cmd()
        .env("GITHUB_ACTIONS", "true")
        .env("GITHUB_STEP_SUMMARY", &summary)
        .args(["check", "--config", "none.toml"]));
    let summary = std::fs::read_to_string(summary).unwrap();
    assert!(summary.contains("could not decide"), "{summary}");
}

#[test]
fn keygen_never_overwrites_a_secret_key_silently() {
    let sandbox = Sandbox::new();
    let args = ["keygen", "--secret-key", "k.key", "--public-key", "k.pub"];
    assert_eq!(run(sandbox.cmd().args(args)).0, 0);
    let first = std::fs::read(sandbox.path().join("k.key")).unwrap();
    let (code, _, stderr) = run(sandbox.cmd().args(args));
    assert_eq!(code, 2, "{stderr}");
    assert!(stderr.contains("--force"), "{stderr}");
    assert_eq!(std::fs::read(sandbox.path().join("k.key")).unwrap(), first);
    assert_eq!(run(sandbox.cmd().args(args).arg("--force")).0, 0);
    assert_ne!(std::fs::read(sandbox.path().join("k.key")).unwrap(), first);
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(sandbox.path().join("k.key"))
            .unwrap()
            .permissions()
            .mode();
        assert_eq!(mode & 0o777, 0o600);
    }
}

/// Runs `wasmgate ARGS` in `dir` under a 2 GiB address-space limit, as `ulimit -v` sets it.
#[cfg(unix)]
fn run_bounded(dir: &std::path::Path, args: &[&str]) -> (i32, String, String) {
    let binary = assert_cmd::cargo::cargo_bin("wasmgate");
    let mut command = std::process::Command::new("bash");
    command
        .arg("-c")
        .arg("ulimit -v 2097152 && exec \"$0\" \"$@\"")
        .arg(binary)
        .args(args)
        .current_dir(dir)
        .env("NO_COLOR", "1")
        .env_remove("RUST_BACKTRACE")
        .env_remove("WASMGATE_MAX_MEMORY");
    let output = command.output().unwrap();
    (
        output.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&output.stdout).into_owned(),
        String::from_utf8_lossy(&output.stderr).into_owned(),
    )
}

#[cfg(unix)]
#[test]
fn a_policy_that_exhausts_memory_is_exit_2_not_an_abort() {
    let sandbox = Sandbox::new();
    sandbox.wasm("dist/app.wasm", "app");
    sandbox.write(
        "policies/big.rego",
        "package wasmgate\n\nimport rego.v1\n\ndeny contains \"big\" if {\n\ts := sprintf(\"%03000d\", [0])\n\tparts := [s | some _ in numbers.range(1, 1000000)]\n\tcount(concat(\"\", parts)) > 0\n}\n",
    );
    // Slow unoptimised builds get the time to reach the allocation.
    sandbox.write("wasmgate.toml", "[policy]\ntimeout_ms = 60000\n");
    for args in [
        vec!["check", "--no-compress"],
        vec!["check", "--no-compress", "--format", "sarif"],
    ] {
        let (code, stdout, stderr) = run_bounded(sandbox.path(), &args);
        assert_eq!(code, 2, "{args:?}: {stderr}");
        assert!(stderr.contains("wasmgate::limits::crashed"), "{stderr}");
        if args.contains(&"sarif") {
            let sarif: serde_json::Value = serde_json::from_str(&stdout).unwrap();
            assert_eq!(
                sarif["runs"][0]["invocations"][0]["executionSuccessful"],
                false
            );
        }
    }
    // The default bound applies without any ulimit too.
    let (code, _, stderr) = run(sandbox.cmd().args(["check", "--no-compress"]));
    assert_eq!(code, 2, "{stderr}");
}

#[cfg(unix)]
#[test]
fn a_ten_megabyte_module_of_empty_custom_sections_finishes_under_2_gib() {
    let sandbox = Sandbox::new();
    let mut bytes = b"\0asm\x01\0\0\0".to_vec();
    while bytes.len() < 10_000_000 {
        bytes.extend_from_slice(&[0, 1, 0]);
    }
    sandbox.write("dist/app.wasm", &bytes);
    let (code, stdout, stderr) = run_bounded(
        sandbox.path(),
        &["check", "--no-compress", "--format", "json"],
    );
    assert_eq!(code, 1, "{stderr}");
    assert!(stdout.contains("wasm-limits-exceeded"));
}

#[cfg(unix)]
#[test]
fn a_named_fifo_is_refused_without_blocking() {
    let sandbox = Sandbox::new();
    let fifo = sandbox.path().join("app.wasm");
    assert!(
        std::process::Command::new("mkfifo")
            .arg(&fifo)
            .status()
            .unwrap()
            .success()
    );
    let (code, report, _) = check_json(&sandbox, &["app.wasm"]);
    assert_eq!(code, 1);
    let finding = common::finding(&report, "artifact-unreadable");
    assert!(finding.message.contains("fifo"), "{}", finding.message);
}

#[cfg(unix)]
#[test]
fn outputs_are_never_written_through_a_committed_link() {
    let repo = guarded();
    let target = tempfile::tempdir().unwrap();
    let victim = target.path().join("victim");
    std::fs::write(&victim, "keep me").unwrap();
    std::os::unix::fs::symlink(&victim, repo.path().join("wasmgate.sarif")).unwrap();
    std::os::unix::fs::symlink(target.path(), repo.path().join("reports")).unwrap();
    for output in ["sarif=wasmgate.sarif", "junit=reports/junit.xml"] {
        let (code, _, stderr) = run(repo.cmd().args(["check", "--no-base", "--output", output]));
        assert_eq!(code, 2, "{output}: {stderr}");
    }
    assert_eq!(std::fs::read_to_string(&victim).unwrap(), "keep me");
    assert!(!target.path().join("junit.xml").exists());
}

#[test]
fn error_messages_escape_hostile_names_too() {
    let sandbox = Sandbox::new();
    let (code, _, stderr) = run(sandbox
        .cmd()
        .env("GITHUB_ACTIONS", "true")
        .args(["check", "missing\n::error::forged\u{1b}[2J.wasm"]));
    assert_eq!(code, 2);
    assert!(
        !stderr.lines().any(|l| l.starts_with("::error::forged")),
        "{stderr}"
    );
    assert!(!stderr.contains('\u{1b}'), "{stderr}");
}

/// A `producers` section that cannot be read is not the producers section `require` asks for.
#[test]
fn a_malformed_producers_section_does_not_satisfy_require() {
    let sandbox = Sandbox::new();
    let mut bytes = b"\0asm\x01\0\0\0".to_vec();
    let mut payload = vec![9u8];
    payload.extend_from_slice(b"producers");
    payload.extend_from_slice(&[0xff, 0xff, 0xff]);
    bytes.push(0);
    bytes.push(payload.len() as u8);
    bytes.extend_from_slice(&payload);
    sandbox.write("dist/app.wasm", &bytes);
    sandbox.write(
        "wasmgate.toml",
        "[custom_sections]\nrequire = [\"producers\"]\n",
    );
    let facts = common::facts(&sandbox, &["--no-compress"]);
    assert_eq!(facts["artifacts"][0]["producers_malformed"], true);
    let (code, report, _) = check_json(&sandbox, &["--no-compress"]);
    assert_eq!(code, 1);
    assert!(has(
        &report,
        "custom-section-missing",
        Some("dist/app.wasm")
    ));
}

#[test]
fn an_oversized_sig_is_reported_as_such_not_as_missing() {
    let sandbox = Sandbox::new();
    sandbox.wasm("dist/app.wasm", "app");
    sandbox.write("dist/app.wasm.sig", vec![0u8; 2 << 20]);
    let (_, report, _) = check_json(&sandbox, &["--no-compress"]);
    let malformed = common::finding(&report, "signature-malformed");
    assert!(malformed.message.contains("limit"), "{}", malformed.message);
    assert!(!has(&report, "signature-missing", None));
}

/// The branch's own upstream (`pr` tracking `origin/pr`) holds the change itself: it must not
/// become the base whose files are trusted.
#[test]
fn auto_detection_never_takes_the_branchs_own_upstream() {
    let repo = guarded();
    repo.commit_all("pr work");
    let head = repo.repo.head().unwrap().peel_to_commit().unwrap().id();
    let main = repo.repo.revparse_single("main").unwrap().id();
    repo.repo
        .reference("refs/remotes/origin/pr", head, true, "push")
        .unwrap();
    repo.repo
        .reference("refs/remotes/origin/main", main, true, "fetch")
        .unwrap();
    repo.repo
        .reference_symbolic(
            "refs/remotes/origin/HEAD",
            "refs/remotes/origin/main",
            true,
            "clone",
        )
        .unwrap();
    let mut config = repo.repo.config().unwrap();
    config.set_str("branch.pr.remote", "origin").unwrap();
    config.set_str("branch.pr.merge", "refs/heads/pr").unwrap();
    let facts = common::facts(&repo.sandbox, &["--no-compress"]);
    assert_eq!(
        facts["git"]["base"]["reference"], "origin/main",
        "{:#}",
        facts["git"]
    );
}

/// Each limited list is counted without being stored: globals here, built by hand.
#[test]
fn globals_past_the_limit_end_in_a_finding_with_the_count() {
    let sandbox = Sandbox::new();
    let count: u32 = 150_000;
    let mut body = Vec::new();
    leb128(&mut body, count);
    for _ in 0..count {
        // i32, immutable, `i32.const 0 end`.
        body.extend_from_slice(&[0x7f, 0x00, 0x41, 0x00, 0x0b]);
    }
    let mut bytes = b"\0asm\x01\0\0\0\x06".to_vec();
    leb128(&mut bytes, body.len() as u32);
    bytes.extend_from_slice(&body);
    sandbox.write("dist/app.wasm", &bytes);
    sandbox.write("wasmgate.toml", "[limits]\nglobals = 1000\n");
    let (code, report, _) = check_json(&sandbox, &["--no-compress"]);
    assert_eq!(code, 1);
    let finding = common::finding(&report, "wasm-limits-exceeded");
    let details = finding.details.as_ref().unwrap();
    assert_eq!(details["what"], "globals");
    assert_eq!(details["count"], u64::from(count));
    assert_eq!(details["limit"], 1000);
    let facts = common::facts(&sandbox, &["--no-compress"]);
    assert_eq!(
        facts["artifacts"][0]["globals"].as_array().unwrap().len(),
        1000
    );
}

fn leb128(out: &mut Vec<u8>, mut value: u32) {
    loop {
        let byte = (value & 0x7f) as u8;
        value >>= 7;
        if value == 0 {
            out.push(byte);
            return;
        }
        out.push(byte | 0x80);
    }
}

/// A cache entry linked to `/dev/zero` (or any non-file) is no entry: never read unbounded.
#[cfg(unix)]
#[test]
fn a_cache_entry_that_is_a_link_is_ignored() {
    let sandbox = Sandbox::new();
    let module = common::fixture("app");
    sandbox.write("dist/app.wasm", &module);
    let sha = {
        use sha2::Digest;
        let digest = sha2::Sha256::digest(&module);
        digest
            .iter()
            .map(|b| format!("{b:02x}"))
            .collect::<String>()
    };
    let version = env!("CARGO_PKG_VERSION");
    let entry = sandbox.cache_dir().join(format!("{sha}.gzip-9.v{version}"));
    std::os::unix::fs::symlink("/dev/zero", &entry).unwrap();
    let facts = common::facts(&sandbox, &[]);
    assert_eq!(facts["artifacts"][0]["size"]["gzip_source"], "computed");
    // The computed size replaced the link instead of being written through it.
    assert!(
        !std::fs::symlink_metadata(&entry)
            .unwrap()
            .file_type()
            .is_symlink()
    );
}

/// A key file is small: a large one at the merge-base is refused before it is read.
#[test]
fn trusted_keys_are_capped() {
    let repo = GitRepo::new();
    repo.commit(
        "keys",
        &[
            (
                "wasmgate.toml",
                b"[signatures]\ntrusted_keys = [\"keys/release.pub\"]\n",
            ),
            ("keys/release.pub", &vec![b'a'; 200_000]),
        ],
    );
    repo.branch("pr");
    repo.sandbox.wasm("dist/app.wasm", "app");
    let (code, _, stderr) = run(repo.cmd().args(["check", "--base", "main"]));
    assert_eq!(code, 2, "{stderr}");
    assert!(stderr.contains("keys/release.pub"), "{stderr}");
}
