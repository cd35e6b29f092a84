//! The report in every format from one run: SARIF validated against the official SARIF 2.1.0
//! schema, JUnit parsed as XML, GitHub annotations escaped, the job summary appended.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::print_stdout)]

mod common;

use common::{Sandbox, run};
use serde_json::Value;

/// A failing check with wasm, config and warning findings.
fn failing() -> Sandbox {
    let sandbox = Sandbox::new();
    sandbox.wasm("dist/bad.wasm", "invalid");
    sandbox.wasm("dist/wasi.wasm", "wasi");
    sandbox.write("wasmgate.toml", "[[budgets]]\nraw = 100\n");
    sandbox
}

#[test]
fn one_run_writes_every_format() {
    let sandbox = failing();
    let (code, stdout, stderr) = run(sandbox.cmd().args([
        "check",
        "--no-compress",
        "--output",
        "json=out/report.json",
        "--output",
        "sarif=out/report.sarif",
        "--output",
        "junit=out/junit.xml",
        "--output",
        "markdown=out/summary.md",
    ]));
    assert_eq!(code, 1, "{stderr}");
    assert!(stdout.contains("wasmgate: FAIL"), "human on stdout");
    let dir = sandbox.path().join("out");
    let report: wasmgate::report::Report =
        serde_json::from_slice(&std::fs::read(dir.join("report.json")).unwrap()).unwrap();
    let findings = report.findings.len();
    assert!(findings >= 3);

    let sarif: Value =
        serde_json::from_slice(&std::fs::read(dir.join("report.sarif")).unwrap()).unwrap();
    let schema: Value = serde_json::from_slice(
        &std::fs::read(common::repo().join("tests/data/sarif-2.1.0.json")).unwrap(),
    )
    .unwrap();
    let validator = jsonschema::options()
        .should_validate_formats(true)
        .build(&schema)
        .unwrap();
    let errors: Vec<String> = validator
        .iter_errors(&sarif)
        .map(|e| format!("{}: {e}", e.instance_path()))
        .collect();
    assert!(errors.is_empty(), "SARIF does not validate: {errors:#?}");
    let results = sarif["runs"][0]["results"].as_array().unwrap();
    assert_eq!(results.len(), findings, "one result per finding");
    let invalid = results
        .iter()
        .find(|r| r["ruleId"] == "wasm-invalid")
        .unwrap();
    assert!(
        invalid["locations"][0]["physicalLocation"]["region"]["byteOffset"]
            .as_u64()
            .unwrap()
            > 8
    );
    assert_eq!(invalid["level"], "error");
    let budget = results
        .iter()
        .find(|r| r["ruleId"] == "size-budget-exceeded")
        .unwrap();
    let region = &budget["locations"][0]["physicalLocation"];
    assert_eq!(region["artifactLocation"]["uri"], "wasmgate.toml");
    assert_eq!(region["region"]["startLine"], 2);
    let rules = sarif["runs"][0]["tool"]["driver"]["rules"]
        .as_array()
        .unwrap();
    assert!(
        rules
            .iter()
            .all(|r| r["helpUri"].as_str().unwrap().contains("docs/rules.md#"))
    );

    let junit = std::fs::read_to_string(dir.join("junit.xml")).unwrap();
    let mut reader = quick_xml::Reader::from_str(&junit);
    let (mut suites, mut failures) = (0, 0);
    loop {
        match reader.read_event().unwrap() {
            quick_xml::events::Event::Start(e) | quick_xml::events::Event::Empty(e) => {
                match e.name().as_ref() {
                    b"testsuite" => suites += 1,
                    b"failure" => failures += 1,
                    _ => {}
                }
            }
            quick_xml::events::Event::Eof => break,
            _ => {}
        }
    }
    assert_eq!(
        suites, 3,
        "a testsuite per artifact, and one for findings about no artifact"
    );
    assert_eq!(failures, report.summary.deny);
    let xmllint = std::process::Command::new("xmllint")
        .args(["--noout", "--schema"])
        .arg(common::repo().join("tests/data/junit-10.xsd"))
        .arg(dir.join("junit.xml"))
        .output();
    match xmllint {
        Ok(output) => assert!(
            output.status.success(),
            "JUnit does not validate: {}",
            String::from_utf8_lossy(&output.stderr)
        ),
        Err(_) => common::skip("xmllint (libxml2-utils) is not installed; .ci/run installs it"),
    }

    let summary = std::fs::read_to_string(dir.join("summary.md")).unwrap();
    assert!(summary.contains("| artifact | raw | gzip | brotli | change vs base | verdict |"));
    assert!(summary.contains("### Denied"));
}

#[test]
fn github_actions_get_annotations_and_a_job_summary() {
    let sandbox = failing();
    let summary = sandbox.path().join("step-summary.md");
    std::fs::write(&summary, "earlier step\n").unwrap();
    let (code, stdout, _) = run(sandbox
        .cmd()
        .env("GITHUB_ACTIONS", "true")
        .env("GITHUB_STEP_SUMMARY", &summary)
        .args(["check", "--no-compress"]));
    assert_eq!(code, 1);
    let annotations: Vec<&str> = stdout.lines().filter(|l| l.starts_with("::")).collect();
    assert!(
        annotations
            .iter()
            .any(|a| a.starts_with("::error file=dist/bad.wasm,title=wasmgate wasm-invalid::")),
        "{annotations:#?}"
    );
    assert!(
        annotations
            .iter()
            .any(|a| a.starts_with("::error file=wasmgate.toml,line=2,col=7,")),
        "{annotations:#?}"
    );
    assert!(annotations.iter().all(|a| !a.contains('\n')));
    let written = std::fs::read_to_string(&summary).unwrap();
    assert!(
        written.starts_with("earlier step\n## wasmgate: ❌ fail"),
        "appended: {written}"
    );

    // Machine formats on stdout stay clean of workflow commands.
    let (_, stdout, _) = run(sandbox
        .cmd()
        .env("GITHUB_ACTIONS", "true")
        .env_remove("GITHUB_STEP_SUMMARY")
        .args(["check", "--no-compress", "--format", "json"]));
    serde_json::from_str::<Value>(&stdout).unwrap();
}

#[test]
fn workflow_command_values_are_escaped() {
    let sandbox = Sandbox::new();
    sandbox.wasm("dist/a,b:c.wasm", "invalid");
    let (_, stdout, _) = run(sandbox
        .cmd()
        .args(["check", "--no-compress", "--format", "github"]));
    let line = stdout.lines().find(|l| l.contains("wasm-invalid")).unwrap();
    assert!(
        line.starts_with("::error file=dist/a%2Cb%3Ac.wasm,"),
        "{line}"
    );
}

#[test]
fn many_artifacts_collapse_in_the_summary() {
    let sandbox = Sandbox::new();
    for i in 0..25 {
        sandbox.wasm(&format!("dist/m{i:02}.wasm"), "app");
    }
    let (_, stdout, _) =
        run(sandbox
            .cmd()
            .args(["check", "--no-compress", "--format", "markdown"]));
    assert!(
        stdout.contains("<details><summary>Artifacts (25)</summary>"),
        "{stdout}"
    );
}

#[test]
fn github_defaults_can_be_turned_off() {
    let sandbox = failing();
    sandbox.write(
        "wasmgate.toml",
        "[output]\ngithub_annotations = false\ngithub_summary = false\n",
    );
    let summary = sandbox.path().join("step-summary.md");
    let (_, stdout, _) = run(sandbox
        .cmd()
        .env("GITHUB_ACTIONS", "true")
        .env("GITHUB_STEP_SUMMARY", &summary)
        .args(["check", "--no-compress"]));
    assert!(!stdout.lines().any(|l| l.starts_with("::")));
    assert!(!summary.exists());
}

/// Each format on a fixed fixture, compared with tests/snapshots/ (WASMGATE_BLESS=1 rewrites).
#[test]
fn format_snapshots() {
    let sandbox = failing();
    for (format, file) in [
        ("human", "check.human.txt"),
        ("json", "check.json"),
        ("sarif", "check.sarif"),
        ("junit", "check.junit.xml"),
        ("github", "check.github.txt"),
        ("markdown", "check.md"),
    ] {
        let (_, stdout, _) =
            run(sandbox
                .cmd()
                .args(["check", "--no-compress", "--format", format]));
        let normalized = catalogue_free(
            format,
            &stdout.replace(env!("CARGO_PKG_VERSION"), "[VERSION]"),
        );
        let path = common::repo().join("tests/snapshots").join(file);
        if std::env::var_os("WASMGATE_BLESS").is_some() {
            std::fs::create_dir_all(path.parent().unwrap()).unwrap();
            std::fs::write(&path, &normalized).unwrap();
        }
        let expected = std::fs::read_to_string(&path).unwrap_or_default();
        assert!(
            expected == normalized,
            "{file} differs from the snapshot; if the change is intended, run WASMGATE_BLESS=1 cargo test --test formats\n{normalized}"
        );
    }
}

/// SARIF and JUnit list every code of the catalogue; the snapshots keep only the codes this
/// fixture's findings use, so that adding an unrelated rule does not touch them. What is cut
/// is checked here against `Code::ALL`.
fn catalogue_free(format: &str, text: &str) -> String {
    let catalogue: Vec<&str> = wasmgate::diag::codes::Code::ALL
        .iter()
        .map(|code| code.as_str())
        .collect();
    match format {
        "sarif" => {
            let mut log: serde_json::Value = serde_json::from_str(text).unwrap();
            let run = &mut log["runs"][0];
            let rules = run["tool"]["driver"]["rules"].as_array().unwrap().clone();
            let ids: Vec<&str> = rules.iter().map(|r| r["id"].as_str().unwrap()).collect();
            assert_eq!(
                &ids[..catalogue.len()],
                &catalogue[..],
                "SARIF rules follow the catalogue"
            );
            let mut used = Vec::new();
            for result in run["results"].as_array_mut().unwrap() {
                let index = result["ruleIndex"].as_u64().unwrap() as usize;
                assert_eq!(
                    rules[index]["id"], result["ruleId"],
                    "ruleIndex points at ruleId"
                );
                used.push(result["ruleId"].as_str().unwrap().to_string());
                result.as_object_mut().unwrap().remove("ruleIndex");
            }
            let kept: Vec<serde_json::Value> = rules
                .into_iter()
                .filter(|r| used.iter().any(|id| r["id"] == id.as_str()))
                .collect();
            run["tool"]["driver"]["rules"] = serde_json::Value::Array(kept);
            format!("{}\n", serde_json::to_string_pretty(&log).unwrap())
        }
        "junit" => {
            let passing = |line: &str, code: &str| {
                line.trim_start().starts_with("<testcase ")
                    && line.ends_with(&format!(" name=\"{code}\"/>"))
            };
            for suite in text.split("<testsuite ").skip(1) {
                for code in &catalogue {
                    assert!(
                        suite.contains(&format!(" name=\"{code}\"")),
                        "every suite has a testcase for {code}"
                    );
                }
            }
            let counted = catalogue_free_counts(text);
            counted
                .lines()
                .filter(|line| !catalogue.iter().any(|code| passing(line, code)))
                .map(|line| format!("{line}\n"))
                .collect()
        }
        _ => text.to_string(),
    }
}

/// `tests="N"` attributes depend on the catalogue's size: `tests="[N]"`.
fn catalogue_free_counts(text: &str) -> String {
    let mut out = String::new();
    let mut rest = text;
    while let Some(start) = rest.find(" tests=\"") {
        let (head, tail) = rest.split_at(start + " tests=\"".len());
        out.push_str(head);
        let end = tail.find('"').unwrap();
        out.push_str("[N]");
        rest = &tail[end..];
    }
    out.push_str(rest);
    out
}
