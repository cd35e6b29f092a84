//! Git as the source of truth, on real repositories built here: merge-base deltas against the
//! committed baseline, hybrid growth budgets, AI provenance modes, gate files trusted from the
//! merge-base, and the errors CI users hit (shallow clones, unknown bases, no repository).
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::print_stdout)]

mod common;

use common::{GitRepo, check_json, has, module_with_data, run};
use wasmgate::report::{Severity, Verdict};

/// `main` with a committed baseline for `dist/app.wasm` holding `bytes` of data, and `config`.
fn repo_with_baseline(bytes: usize, config: &str) -> GitRepo {
    let git = GitRepo::new();
    git.sandbox.write("wasmgate.toml", config);
    git.sandbox
        .write("dist/app.wasm", module_with_data(bytes, 1));
    let (code, stdout, stderr) = run(git.cmd().args(["baseline", "--no-compress"]));
    assert_eq!(code, 0, "{stdout}{stderr}");
    assert!(stdout.contains(".wasmgate/baseline.json"), "{stdout}");
    git.commit_all("Accept app.wasm");
    git
}

fn grow(git: &GitRepo, bytes: usize, message: &str) {
    git.commit(message, &[("dist/app.wasm", &module_with_data(bytes, 2))]);
}

const RAW_GROWTH: &str = "[[growth]]\nraw = { percent = 5, bytes = \"8 KiB\" }\n";

#[test]
fn growth_over_the_hybrid_budget_fails_and_under_it_passes() {
    let git = repo_with_baseline(100_000, RAW_GROWTH);
    git.branch("pr");
    grow(&git, 112_000, "Grow by 12 % and 12 KB");
    let (code, report, stderr) = check_json(&git.sandbox, &["--base", "main", "--no-compress"]);
    assert_eq!(code, 1, "{stderr}");
    let growth = common::finding(&report, "size-growth");
    assert_eq!(growth.artifact.as_deref(), Some("dist/app.wasm"));
    assert_eq!(growth.details.as_ref().unwrap()["metric"], "raw");
    assert_eq!(
        growth.location.as_ref().unwrap().line,
        2,
        "labels the growth budget line"
    );

    // 4 %: under the percentage, though over the byte floor.
    grow(&git, 104_000, "Grow by 4 %");
    let (code, report, _) = check_json(&git.sandbox, &["--base", "main", "--no-compress"]);
    assert_eq!(code, 0, "{report:#?}");

    // A tiny module may double: over the percentage, under the byte floor.
    let small = repo_with_baseline(2_000, RAW_GROWTH);
    small.branch("pr");
    grow(&small, 6_000, "Double a small module");
    let (code, report, _) = check_json(&small.sandbox, &["--base", "main", "--no-compress"]);
    assert_eq!(code, 0, "{report:#?}");
    assert!(!has(&report, "size-growth", None));
}

#[test]
fn the_default_growth_budget_applies_to_compressed_sizes_too() {
    let git = GitRepo::new();
    git.sandbox
        .write("dist/app.wasm", module_with_data(20_000, 1));
    assert_eq!(run(git.cmd().arg("baseline")).0, 0);
    git.commit_all("Accept");
    git.branch("pr");
    grow(&git, 40_000, "Double it");
    let (code, report, _) = check_json(&git.sandbox, &["--base", "main"]);
    assert_eq!(code, 1);
    let metrics = common::detail_values(&report, "size-growth", "metric");
    assert_eq!(metrics, ["brotli", "gzip", "raw"]);
}

#[test]
fn compares_with_the_merge_base_not_the_tip_of_the_base_branch() {
    let git = repo_with_baseline(100_000, RAW_GROWTH);
    let fork = git.repo.head().unwrap().peel_to_commit().unwrap().id();
    git.branch("pr");
    grow(&git, 112_000, "Grow by 12 %");
    // Meanwhile main accepts a bigger module: against main's tip the PR would look fine.
    git.checkout("main");
    git.sandbox
        .write("dist/app.wasm", module_with_data(130_000, 3));
    assert_eq!(run(git.cmd().args(["baseline", "--no-compress"])).0, 0);
    let tip = git.commit_all("Accept a bigger app on main");
    git.checkout("pr");

    let document = common::facts(&git.sandbox, &["--base", "main", "--no-compress"]);
    let base = &document["git"]["base"];
    assert_eq!(base["merge_base"], fork.to_string());
    assert_eq!(base["sha"], tip.to_string());
    assert_eq!(base["reason"], "--base");
    let accepted = document["artifacts"][0]["baseline"]["size"]["raw"]
        .as_u64()
        .unwrap();
    assert!(
        accepted < 110_000,
        "the merge-base baseline, not main's: {accepted}"
    );
    let (code, report, _) = check_json(&git.sandbox, &["--base", "main", "--no-compress"]);
    assert_eq!(code, 1);
    assert!(has(&report, "size-growth", Some("dist/app.wasm")));
    let summary = report.git.unwrap();
    assert_eq!(
        summary.merge_base.as_deref(),
        Some(fork.to_string().as_str())
    );
    assert_eq!(summary.commits, 1);
}

#[test]
fn renamed_artifact_is_new_and_its_old_name_removed() {
    let git = repo_with_baseline(10_000, "");
    git.branch("pr");
    std::fs::rename(
        git.path().join("dist/app.wasm"),
        git.path().join("dist/renamed.wasm"),
    )
    .unwrap();
    git.commit_all("Rename the artifact");
    let document = common::facts(&git.sandbox, &["--base", "main", "--no-compress"]);
    let changed = document["git"]["changed_files"].as_array().unwrap();
    let renamed = changed.iter().find(|c| c["status"] == "renamed").unwrap();
    assert_eq!(renamed["path"], "dist/renamed.wasm");
    assert_eq!(renamed["old_path"], "dist/app.wasm");
    assert_eq!(
        document["removed_artifacts"],
        serde_json::json!(["dist/app.wasm"])
    );
    let (code, report, _) = check_json(&git.sandbox, &["--base", "main", "--no-compress"]);
    assert_eq!(code, 0);
    assert!(has(&report, "baseline-missing", Some("dist/renamed.wasm")));
    assert!(has(&report, "artifact-removed", Some("dist/app.wasm")));
}

#[test]
fn new_imports_are_capabilities_and_removed_exports_warn() {
    let git = GitRepo::new();
    git.sandbox.wasm("dist/app.wasm", "app");
    assert_eq!(run(git.cmd().args(["baseline", "--no-compress"])).0, 0);
    git.commit_all("Accept");
    git.branch("pr");
    git.sandbox.wasm("dist/app.wasm", "wasi");
    git.commit_all("Switch to WASI");
    let (code, report, _) = check_json(&git.sandbox, &["--base", "main", "--no-compress"]);
    assert_eq!(code, 1);
    let added = common::detail_values(&report, "capability-added", "import");
    assert_eq!(
        added,
        [
            "wasi_snapshot_preview1.fd_write",
            "wasi_snapshot_preview1.proc_exit"
        ]
    );
    assert!(has(&report, "export-removed", Some("dist/app.wasm")));
    let removed = common::finding(&report, "export-removed");
    assert_eq!(removed.severity, Severity::Warn);
}

#[test]
fn unchanged_artifacts_reuse_the_accepted_compressed_sizes() {
    let git = GitRepo::new();
    git.sandbox.wasm("dist/app.wasm", "app");
    assert_eq!(run(git.cmd().arg("baseline")).0, 0);
    git.commit_all("Accept");
    let first = std::fs::read(git.path().join(".wasmgate/baseline.json")).unwrap();
    assert_eq!(run(git.cmd().arg("baseline")).0, 0);
    assert_eq!(
        first,
        std::fs::read(git.path().join(".wasmgate/baseline.json")).unwrap(),
        "deterministic"
    );
    let document = common::facts(&git.sandbox, &["--base", "main"]);
    let size = &document["artifacts"][0]["size"];
    assert_eq!(size["brotli_source"], "baseline");
    assert_eq!(size["gzip_source"], "baseline");
    assert_eq!(document["artifacts"][0]["delta"]["unchanged"], true);
}

#[test]
fn history_follows_the_commits_that_changed_the_baseline() {
    let git = repo_with_baseline(10_000, "");
    for (index, bytes) in [11_000, 12_000].into_iter().enumerate() {
        git.sandbox
            .write("dist/app.wasm", module_with_data(bytes, index as u64 + 5));
        assert_eq!(run(git.cmd().args(["baseline", "--no-compress"])).0, 0);
        git.commit_all("Accept growth");
        git.commit("Unrelated", &[("README", format!("{index}").as_bytes())]);
    }
    let document = common::facts(&git.sandbox, &["--no-base", "--no-compress"]);
    let history = document["artifacts"][0]["history"].as_array().unwrap();
    let sizes: Vec<u64> = history.iter().map(|p| p["raw"].as_u64().unwrap()).collect();
    assert_eq!(sizes.len(), 3, "{history:#?}");
    assert!(
        sizes[0] > sizes[1] && sizes[1] > sizes[2],
        "newest first: {sizes:?}"
    );
    git.sandbox
        .write("wasmgate.toml", "[baseline]\nhistory = 2\n");
    let document = common::facts(&git.sandbox, &["--no-base", "--no-compress"]);
    assert_eq!(
        document["artifacts"][0]["history"]
            .as_array()
            .unwrap()
            .len(),
        2
    );
}

fn ai_repo(config: &str) -> GitRepo {
    let git = repo_with_baseline(5_000, config);
    git.branch("pr");
    git
}

#[test]
fn ai_assisted_commits_on_protected_paths_need_a_human_review() {
    let git = ai_repo("");
    git.commit(
        "Tune the policy\n\nAssisted-by: Claude:claude-sonnet-4\n",
        &[("policies/extra.rego", b"package other\n")],
    );
    git.commit(
        "Human change\n\nCo-authored-by: Jane Doe <jane@example.com>\n",
        &[("src/lib.rs", b"// x\n")],
    );
    git.commit(
        "Generated docs\n\nCo-authored-by: Copilot <175728472+Copilot@users.noreply.github.com>\n",
        &[("docs/a.md", b"a\n")],
    );
    let document = common::facts(&git.sandbox, &["--base", "main", "--no-compress"]);
    let ai = &document["git"]["ai"];
    assert_eq!(
        (ai["commits"].as_u64(), ai["assisted"].as_u64()),
        (Some(3), Some(2))
    );
    let commits = document["git"]["commits"].as_array().unwrap();
    let copilot = commits
        .iter()
        .find(|c| c["subject"] == "Generated docs")
        .unwrap();
    assert_eq!(copilot["ai"]["via"], serde_json::json!(["Co-authored-by"]));
    assert_eq!(copilot["ai"]["tools"], serde_json::json!(["Copilot"]));
    let human = commits
        .iter()
        .find(|c| c["subject"] == "Human change")
        .unwrap();
    assert_eq!(human["ai"]["assisted"], false);
    assert_eq!(human["trailers"][0]["key"], "Co-authored-by");

    let (code, report, _) = check_json(&git.sandbox, &["--base", "main", "--no-compress"]);
    assert_eq!(code, 1);
    let review: Vec<_> = report
        .findings
        .iter()
        .filter(|f| f.code == "ai-review-missing")
        .collect();
    assert_eq!(
        review.len(),
        1,
        "only the commit touching policies/: {review:#?}"
    );
    assert!(review[0].message.contains("policies/extra.rego"));
    assert!((report.git.unwrap().ai_share - 2.0 / 3.0).abs() < 1e-9);

    // An AI reviewer does not count; a person does.
    git.commit(
        "Tune again\n\nAssisted-by: Claude\nReviewed-by: Claude <noreply@anthropic.com>\n",
        &[("wasmgate.toml", b"# tuned\n")],
    );
    let (_, report, _) = check_json(&git.sandbox, &["--base", "main", "--no-compress"]);
    assert_eq!(
        report
            .findings
            .iter()
            .filter(|f| f.code == "ai-review-missing")
            .count(),
        2
    );
    let reviewed = ai_repo("");
    reviewed.commit(
        "Tune the policy\n\nAssisted-by: Claude\nReviewed-by: Jane Doe <jane@example.com>\n",
        &[("policies/extra.rego", b"package other\n")],
    );
    let (code, report, _) = check_json(&reviewed.sandbox, &["--base", "main", "--no-compress"]);
    assert_eq!(code, 0, "{report:#?}");
}

#[test]
fn ai_trailer_modes() {
    let required = ai_repo("[ai]\nrequire_trailer = \"Assisted-by\"\nrequire_review = false\n");
    required.commit(
        "Via co-author\n\nCo-authored-by: Cursor Agent <cursoragent@cursor.com>\n",
        &[("a.txt", b"a")],
    );
    required.commit(
        "Via assisted-by\n\nAssisted-by: Cursor\n",
        &[("b.txt", b"b")],
    );
    let (code, report, _) = check_json(&required.sandbox, &["--base", "main", "--no-compress"]);
    assert_eq!(code, 1);
    let flagged: Vec<_> = report
        .findings
        .iter()
        .filter(|f| f.code == "ai-trailer-required")
        .collect();
    assert_eq!(flagged.len(), 1);
    assert!(flagged[0].message.contains("Via co-author"));

    let forbidden =
        ai_repo("[ai]\nforbid_trailers = [\"Co-authored-by\"]\nrequire_review = false\n");
    forbidden.commit("Pairing\n\nCo-authored-by: Devin AI <devin-ai-integration[bot]@users.noreply.github.com>\n", &[("a.txt", b"a")]);
    let (code, report, _) = check_json(&forbidden.sandbox, &["--base", "main", "--no-compress"]);
    assert_eq!(code, 1);
    assert!(has(&report, "ai-trailer-forbidden", None));

    let off = ai_repo("[ai]\nrequire_review = false\n");
    off.commit(
        "Tune\n\nAssisted-by: Gemini\n",
        &[("wasmgate.toml", b"[ai]\nrequire_review = false\n")],
    );
    let (code, report, _) = check_json(&off.sandbox, &["--base", "main", "--no-compress"]);
    assert_eq!(code, 0, "{report:#?}");
}

#[test]
fn a_pr_that_loosens_its_own_gate_still_fails() {
    let strict = "[[growth]]\nraw = { percent = 5, bytes = \"8 KiB\" }\n";
    let git = repo_with_baseline(100_000, strict);
    git.branch("pr");
    grow(&git, 120_000, "Grow by 20 %");
    git.commit(
        "Relax the budget",
        &[(
            "wasmgate.toml",
            b"[[growth]]\nraw = { percent = 50, bytes = \"1 MiB\" }\n",
        )],
    );
    let (code, report, _) = check_json(&git.sandbox, &["--base", "main", "--no-compress"]);
    assert_eq!(code, 1, "the merge-base config still applies");
    assert!(has(&report, "size-growth", Some("dist/app.wasm")));
    let changed = common::finding(&report, "policy-changed");
    assert_eq!(changed.severity, Severity::Warn);
    assert!(
        changed.message.contains("wasmgate.toml"),
        "{}",
        changed.message
    );
    assert_eq!(report.git.as_ref().unwrap().trust, "base");

    // --trust head uses the PR's config, and says so.
    let (code, report, _) = check_json(
        &git.sandbox,
        &["--base", "main", "--no-compress", "--trust", "head"],
    );
    assert_eq!(code, 0, "{report:#?}");
    assert!(has(&report, "policy-changed", None));

    // A policy added in the PR does not run; one on the base does, even if the PR deletes it.
    let policy = b"package wasmgate\n\nimport rego.v1\n\ndeny contains \"base policy\" if true\n";
    let guarded = repo_with_baseline(1_000, "");
    guarded.commit("Add a policy", &[("policies/guard.rego", policy)]);
    guarded.branch("pr");
    std::fs::remove_file(guarded.path().join("policies/guard.rego")).unwrap();
    guarded.commit(
        "Drop the guard",
        &[(
            "policies/other.rego",
            b"package wasmgate\n\nimport rego.v1\n\ndeny contains \"pr policy\" if true\n",
        )],
    );
    let (code, report, _) = check_json(&guarded.sandbox, &["--base", "main", "--no-compress"]);
    assert_eq!(code, 1);
    let messages: Vec<_> = report
        .findings
        .iter()
        .filter(|f| f.code == "policy-violation")
        .map(|f| f.message.as_str())
        .collect();
    assert_eq!(messages, ["base policy"]);
    let changes: Vec<_> = report
        .findings
        .iter()
        .filter(|f| f.code == "policy-changed")
        .collect();
    assert_eq!(changes.len(), 2, "{changes:#?}");
}

#[test]
fn policy_changed_can_be_made_to_deny_only_from_the_base() {
    let git = repo_with_baseline(1_000, "[rules]\npolicy-changed = \"deny\"\n");
    git.branch("pr");
    git.commit(
        "Lower the severity",
        &[("wasmgate.toml", b"[rules]\npolicy-changed = \"allow\"\n")],
    );
    let (code, report, _) = check_json(&git.sandbox, &["--base", "main", "--no-compress"]);
    assert_eq!(code, 1);
    assert!(has(&report, "policy-changed", None));
}

#[test]
fn shallow_clone_without_the_merge_base_is_exit_2_with_the_fix() {
    let git = repo_with_baseline(1_000, "");
    git.commit("More on main", &[("a.txt", b"1")]);
    git.branch("pr");
    git.commit("PR work", &[("b.txt", b"2")]);
    git.commit("More PR work", &[("c.txt", b"3")]);
    git.checkout("main");
    git.commit("Main moves on", &[("d.txt", b"4")]);
    let clone = tempfile::tempdir().unwrap();
    let url = format!("file://{}", git.path().display());
    let status = std::process::Command::new("git")
        .args([
            "clone",
            "--quiet",
            "--depth",
            "1",
            "--no-single-branch",
            "--branch",
            "pr",
            &url,
        ])
        .arg(clone.path().join("c"))
        .status();
    let Ok(status) = status else {
        common::skip("the git command line is not installed to make a shallow clone");
        return;
    };
    assert!(status.success());
    let mut cmd = git.cmd();
    cmd.current_dir(clone.path().join("c")).args([
        "check",
        "--base",
        "origin/main",
        "--no-compress",
    ]);
    let (code, _, stderr) = run(&mut cmd);
    assert_eq!(code, 2, "{stderr}");
    assert!(stderr.contains("shallow"), "{stderr}");
    assert!(stderr.contains("fetch-depth: 0"), "{stderr}");
}

#[test]
fn unknown_base_is_exit_2_and_detached_head_works() {
    let git = repo_with_baseline(1_000, "");
    let (code, _, stderr) = run(git.cmd().args(["check", "--base", "no-such-branch"]));
    assert_eq!(code, 2);
    assert!(stderr.contains("no-such-branch"), "{stderr}");
    assert!(stderr.contains("git fetch"), "{stderr}");

    git.branch("pr");
    let head = git.commit("Work", &[("a.txt", b"a")]);
    git.repo.set_head_detached(head).unwrap();
    let document = common::facts(&git.sandbox, &["--base", "main", "--no-compress"]);
    assert_eq!(document["git"]["head"]["detached"], true);
    assert_eq!(document["git"]["head"]["branch"], serde_json::Value::Null);
    assert_eq!(document["git"]["commits"].as_array().unwrap().len(), 1);
}

#[test]
fn base_detection_from_ci_variables_and_its_absence() {
    let git = repo_with_baseline(1_000, "");
    git.branch("pr");
    git.commit("Work", &[("a.txt", b"a")]);
    let reason = |envs: &[(&str, &str)], args: &[&str]| {
        let mut cmd = git.cmd();
        cmd.args(["facts", "--no-compress"]).args(args);
        for (key, value) in envs {
            cmd.env(key, value);
        }
        let (code, stdout, stderr) = run(&mut cmd);
        assert_eq!(code, 0, "{stderr}");
        let document: serde_json::Value = serde_json::from_str(&stdout).unwrap();
        document["git"]["base"]["reason"].clone()
    };
    assert_eq!(
        reason(&[("GITHUB_BASE_REF", "main")], &[]),
        "GITHUB_BASE_REF (pull request)"
    );
    assert_eq!(
        reason(&[("CI_MERGE_REQUEST_TARGET_BRANCH_NAME", "main")], &[]),
        "CI_MERGE_REQUEST_TARGET_BRANCH_NAME (merge request)"
    );
    assert_eq!(reason(&[("WASMGATE_BASE", "main")], &[]), "WASMGATE_BASE");
    assert_eq!(
        reason(&[("WASMGATE_BASE", "main")], &["--no-base"]),
        serde_json::Value::Null
    );
    assert_eq!(
        reason(&[], &[]),
        "the local main branch (no upstream or remote)"
    );
    git.checkout("main");
    assert_eq!(
        reason(&[], &[]),
        serde_json::Value::Null,
        "on main itself, with no remote: no base"
    );
    git.checkout("pr");
    let (code, _, stderr) = run(git
        .cmd()
        .args(["check", "--no-compress"])
        .env("GITHUB_BASE_REF", "gone"));
    assert_eq!(
        code, 2,
        "a CI base that does not resolve is an error, not a silent pass"
    );
    assert!(stderr.contains("GITHUB_BASE_REF"), "{stderr}");
}

#[test]
fn outside_a_repository_git_checks_are_skipped_or_required() {
    let sandbox = common::Sandbox::new();
    sandbox.wasm("dist/app.wasm", "app");
    let (code, report, _) = check_json(&sandbox, &["--no-compress"]);
    assert_eq!(code, 0);
    assert!(has(&report, "git-unavailable", None));
    assert!(report.git.is_none());
    sandbox.write("wasmgate.toml", "[git]\nrequired = true\n");
    let (code, report, stderr) = check_json(&sandbox, &["--no-compress"]);
    assert_eq!(code, 2, "{stderr}");
    assert_eq!(report.verdict, Verdict::Error);
    assert!(stderr.contains("not inside a git repository"), "{stderr}");
}

#[test]
fn a_pr_within_budget_passes() {
    let git = repo_with_baseline(100_000, "");
    git.branch("pr");
    grow(&git, 101_000, "Grow by 1 %");
    let (code, report, _) = check_json(&git.sandbox, &["--base", "main"]);
    assert_eq!(code, 0, "{report:#?}");
    assert_eq!(report.verdict, Verdict::Pass);
}

/// A repository that commits its `.wasm` gets merge-base deltas without a baseline file: the
/// checker's scenario (10 % and 40 KiB of growth, an AI commit on a protected path, a base
/// that moved on; then a commit that relaxes the policy; then a PR within budget).
#[test]
fn committed_artifacts_are_compared_with_their_merge_base_version() {
    let git = GitRepo::new();
    git.commit(
        "Initial",
        &[
            ("dist/app.wasm", &module_with_data(400_000, 1)),
            ("wasmgate.toml", b""),
        ],
    );
    git.branch("pr");
    git.commit(
        "Grow the app\n\nAssisted-by: Claude\n",
        &[
            ("dist/app.wasm", &module_with_data(441_000, 2)),
            (".github/workflows/ci.yml", b"on: push\n"),
        ],
    );
    git.checkout("main");
    git.commit("Main moves on", &[("dist/other.txt", b"x")]);
    git.checkout("pr");
    let (code, report, stderr) = check_json(&git.sandbox, &["--base", "main", "--no-compress"]);
    assert_eq!(code, 1, "{stderr}");
    assert!(
        has(&report, "size-growth", Some("dist/app.wasm")),
        "{report:#?}"
    );
    assert!(has(&report, "ai-review-missing", None));
    assert!(
        !has(&report, "baseline-missing", None),
        "the merge-base artifact is the baseline"
    );
    let document = common::facts(&git.sandbox, &["--base", "main", "--no-compress"]);
    assert_eq!(document["artifacts"][0]["baseline_origin"], "merge-base");

    git.commit(
        "Relax the gate",
        &[("wasmgate.toml", b"[[growth]]\nraw = { percent = 90, bytes = \"10 MiB\" }\n\n[ai]\nrequire_review = false\n")],
    );
    let (code, report, _) = check_json(&git.sandbox, &["--base", "main", "--no-compress"]);
    assert_eq!(code, 1);
    assert!(has(&report, "size-growth", Some("dist/app.wasm")));
    assert!(has(&report, "ai-review-missing", None));
    assert!(has(&report, "policy-changed", None));

    let within = GitRepo::new();
    within.commit(
        "Initial",
        &[("dist/app.wasm", &module_with_data(400_000, 1))],
    );
    within.branch("pr");
    within.commit(
        "Grow a little",
        &[("dist/app.wasm", &module_with_data(404_000, 2))],
    );
    let (code, report, _) = check_json(&within.sandbox, &["--no-compress"]);
    assert_eq!(code, 0, "{report:#?}");
    assert_eq!(report.git.unwrap().base.as_deref(), Some("main"));
}

/// A checkout owned by another user (a container running as root over a mounted workspace)
/// is exit 2 with the `safe.directory` fix, and the fix works.
#[cfg(unix)]
#[test]
fn repository_owned_by_another_user_is_exit_2_with_the_fix() {
    let uid = std::process::Command::new("id").arg("-u").output();
    let root = uid.is_ok_and(|o| String::from_utf8_lossy(&o.stdout).trim() == "0");
    if !root {
        common::skip("root, to hand a repository to another user");
        return;
    }
    let git = repo_with_baseline(1_000, "");
    for entry in walkdir::WalkDir::new(git.path()) {
        std::os::unix::fs::chown(entry.unwrap().path(), Some(65_534), Some(65_534)).unwrap();
    }
    let home = tempfile::tempdir().unwrap();
    let (code, _, stderr) = run(git
        .cmd()
        .env("HOME", home.path())
        .args(["check", "--no-compress"]));
    assert_eq!(code, 2, "{stderr}");
    assert!(stderr.contains("safe.directory"), "{stderr}");
    let canonical = git.path().canonicalize().unwrap();
    std::fs::write(
        home.path().join(".gitconfig"),
        format!("[safe]\n\tdirectory = {}\n", canonical.display()),
    )
    .unwrap();
    let (code, _, stderr) = run(git
        .cmd()
        .env("HOME", home.path())
        .args(["check", "--no-compress"]));
    assert_eq!(code, 0, "{stderr}");
}
