//! `check --shard K/N` and `merge` on a real repository with many artifacts: the merge of N
//! shards is the check of everything in every format, repository-level findings appear once
//! (at the merge), partitions are stable, and reports that do not belong together are refused.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::print_stdout)]

mod common;

use common::{GitRepo, module_with_data, run};
use serde_json::Value;

const ARTIFACTS: usize = 14;

/// `main`: ARTIFACTS modules and a baseline of them; `pr`: one module removed, one grown past
/// its budget, a policy changed, a commit assisted by AI.
fn repository() -> GitRepo {
    let git = GitRepo::new();
    git.sandbox.write(
        "wasmgate.toml",
        "[[budgets]]\nartifacts = \"dist/m3.wasm\"\nraw = 3000\n\n[custom_sections]\nrequire = [\"producers\"]\n",
    );
    git.sandbox.write(
        "policies/team.rego",
        "package wasmgate\n\nimport rego.v1\n\nwarn contains msg if {\n\tcount(input.artifacts) > 10\n\tmsg := sprintf(\"%d artifacts\", [count(input.artifacts)])\n}\n",
    );
    for n in 0..ARTIFACTS {
        git.sandbox.write(
            &format!("dist/m{n}.wasm"),
            module_with_data(1000 + n * 10, n as u64),
        );
    }
    let (code, _, stderr) = run(git.cmd().args(["baseline", "--no-compress"]));
    assert_eq!(code, 0, "{stderr}");
    git.commit_all("Accept the modules");
    git.branch("pr");
    std::fs::remove_file(git.path().join("dist/m5.wasm")).unwrap();
    git.commit(
        "Grow m3\n\nAssisted-by: an assistant",
        &[
            ("dist/m3.wasm", &module_with_data(5000, 3)),
            (
                "policies/team.rego",
                b"package wasmgate\n\nimport rego.v1\n\nwarn contains \"changed\" if false\n",
            ),
        ],
    );
    git
}

fn check(git: &GitRepo, args: &[&str]) -> (i32, String, String) {
    let mut all = vec!["check", "--base", "main", "--no-compress"];
    all.extend_from_slice(args);
    run(git.cmd().args(&all))
}

fn shard_reports(git: &GitRepo, count: u32) -> Vec<String> {
    (1..=count)
        .map(|k| {
            let file = format!("shard-{k}-of-{count}.json");
            let shard = format!("{k}/{count}");
            let (code, stdout, stderr) = run(git.cmd().args([
                "check",
                "--base",
                "main",
                "--no-compress",
                "--shard",
                &shard,
                "--format",
                "json",
            ]));
            assert!(code < 2, "{stderr}");
            std::fs::write(git.path().join(&file), stdout).unwrap();
            file
        })
        .collect()
}

fn merge(git: &GitRepo, reports: &[String], args: &[&str]) -> (i32, String, String) {
    let mut all: Vec<&str> = vec!["merge", "--base", "main"];
    all.extend_from_slice(args);
    all.extend(reports.iter().map(String::as_str));
    run(git.cmd().args(&all))
}

fn codes(report: &Value) -> Vec<String> {
    let mut codes: Vec<String> = report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["code"].as_str().unwrap().to_string())
        .collect();
    codes.sort();
    codes
}

#[test]
fn three_shards_merged_are_one_check_in_every_format() {
    let git = repository();
    let reports = shard_reports(&git, 3);
    for format in ["json", "human", "sarif", "junit", "markdown", "github"] {
        let (full_code, full, _) = check(&git, &["--format", format]);
        let (code, merged, stderr) = merge(&git, &reports, &["--format", format]);
        assert_eq!(code, full_code, "{format}: {stderr}");
        assert_eq!(merged, full, "{format}");
    }
    // `--output` renders the same files as check's.
    let (_, _, stderr) = merge(&git, &reports, &["--output", "sarif=merged.sarif"]);
    check(&git, &["--output", "sarif=full.sarif"]);
    assert_eq!(
        std::fs::read(git.path().join("merged.sarif")).unwrap(),
        std::fs::read(git.path().join("full.sarif")).unwrap(),
        "{stderr}"
    );
    // The merged decision attests as the whole check's does, to the byte.
    let (code, _, stderr) = run(git.cmd().args([
        "keygen",
        "--secret-key",
        "gate.key",
        "--public-key",
        "gate.pub",
    ]));
    assert_eq!(code, 0, "{stderr}");
    let signed = ["--attest-key", "gate.key", "--attest"];
    let mut args = signed.to_vec();
    args.push("merged.intoto.json");
    merge(&git, &reports, &args);
    let mut args = signed.to_vec();
    args.push("full.intoto.json");
    check(&git, &args);
    assert_eq!(
        std::fs::read(git.path().join("merged.intoto.json")).unwrap(),
        std::fs::read(git.path().join("full.intoto.json")).unwrap()
    );
}

#[test]
fn repository_findings_come_once_from_the_merge_and_shards_split_the_artifacts() {
    let git = repository();
    let reports = shard_reports(&git, 3);
    let mut seen = Vec::new();
    for file in &reports {
        let report: Value =
            serde_json::from_slice(&std::fs::read(git.path().join(file)).unwrap()).unwrap();
        let codes = codes(&report);
        for repo_level in ["artifact-removed", "policy-changed", "policy-violation"] {
            assert!(!codes.iter().any(|c| c == repo_level), "{file}: {codes:?}");
        }
        for artifact in report["shard"]["artifacts"].as_array().unwrap() {
            seen.push(artifact["path"].as_str().unwrap().to_string());
        }
    }
    seen.sort();
    let mut all: Vec<String> = (0..ARTIFACTS)
        .filter(|&n| n != 5)
        .map(|n| format!("dist/m{n}.wasm"))
        .collect();
    all.sort();
    assert_eq!(seen, all, "every artifact in exactly one shard");
    let (code, merged, stderr) = merge(&git, &reports, &["--format", "json"]);
    assert_eq!(code, 1, "{stderr}");
    let merged: Value = serde_json::from_str(&merged).unwrap();
    let codes = codes(&merged);
    let once = |code: &str| codes.iter().filter(|c| *c == code).count();
    assert_eq!(once("artifact-removed"), 1, "{codes:?}");
    assert_eq!(once("policy-changed"), 1, "{codes:?}");
    assert_eq!(once("size-budget-exceeded"), 1, "{codes:?}");
    assert!(merged.get("shard").is_none());
}

#[test]
fn adding_an_artifact_moves_no_other_between_shards() {
    let git = repository();
    let owners = |git: &GitRepo| {
        let mut owners = std::collections::BTreeMap::new();
        for (k, file) in shard_reports(git, 4).iter().enumerate() {
            let report: Value =
                serde_json::from_slice(&std::fs::read(git.path().join(file)).unwrap()).unwrap();
            for artifact in report["shard"]["artifacts"].as_array().unwrap() {
                owners.insert(artifact["path"].as_str().unwrap().to_string(), k);
            }
        }
        owners
    };
    let before = owners(&git);
    git.commit(
        "Add one",
        &[("dist/a-new.wasm", &module_with_data(999, 99))],
    );
    let mut after = owners(&git);
    assert!(after.remove("dist/a-new.wasm").is_some());
    assert_eq!(before, after);
}

#[test]
fn reports_that_do_not_belong_together_are_refused() {
    let git = repository();
    let reports = shard_reports(&git, 3);
    let refused = |reports: &[String], args: &[&str], says: &str| {
        let (code, _, stderr) = merge(&git, reports, args);
        assert_eq!(code, 2, "{stderr}");
        assert!(stderr.contains("wasmgate::merge::shards"), "{stderr}");
        assert!(stderr.contains(says), "{stderr}");
    };
    refused(&reports[..2], &[], "shard 3/3 is missing");
    let twice = vec![
        reports[0].clone(),
        reports[0].clone(),
        reports[1].clone(),
        reports[2].clone(),
    ];
    refused(&twice, &[], "shard 1/3 is given twice");
    // Another base: the merge compares with nothing.
    let (code, _, stderr) = run(git.cmd().args(["merge", "--no-base"]).args(&reports));
    assert_eq!(code, 2, "{stderr}");
    assert!(stderr.contains("compares against merge-base"), "{stderr}");
    // Another shard count.
    let two = shard_reports(&git, 2);
    let mixed = vec![
        reports[0].clone(),
        reports[1].clone(),
        reports[2].clone(),
        two[1].clone(),
    ];
    refused(&mixed, &[], "is shard 2/2");
    // A whole report is not a shard's.
    let (_, whole, _) = check(&git, &["--format", "json"]);
    std::fs::write(git.path().join("whole.json"), whole).unwrap();
    refused(&["whole.json".to_string()], &[], "not of a shard");
    // Other gate files: the shards ran with the config the merge-base has, this merge with
    // its own (--trust head, after a change to it).
    std::fs::write(
        git.path().join("wasmgate.toml"),
        "[custom_sections]\nrequire = []\n",
    )
    .unwrap();
    refused(&reports, &["--trust", "head"], "other gate files");
}

/// Checking some artifacts by PATHS does not report the others as removed.
#[test]
fn a_subset_of_paths_reports_no_other_artifact_removed() {
    let git = repository();
    let (_, stdout, stderr) = check(&git, &["--format", "json", "dist/m1.wasm", "dist/m2.wasm"]);
    let report: Value = serde_json::from_str(&stdout).unwrap_or_else(|_| panic!("{stderr}"));
    assert!(!codes(&report).iter().any(|c| c == "artifact-removed"));
    // Naming the directory that held it, the removed one is reported.
    let (_, stdout, _) = check(&git, &["--format", "json", "dist"]);
    let report: Value = serde_json::from_str(&stdout).unwrap();
    assert_eq!(
        codes(&report)
            .iter()
            .filter(|c| *c == "artifact-removed")
            .count(),
        1
    );
}
