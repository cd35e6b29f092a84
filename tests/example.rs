//! The bundled demo: its committed wasm matches its `.wat` sources, and the README command
//! gives the verdict and findings the README shows.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::print_stdout)]

mod common;

use std::path::Path;

use sha2::Digest;

use common::run;

/// `examples/demo/dist/X.wasm` is `examples/demo/src/X.wat` compiled by the `wat` crate.
/// Run with `WASMGATE_BLESS=1` to regenerate after editing a source.
#[test]
fn demo_wasm_matches_its_sources() {
    let demo = common::repo().join("examples/demo");
    let mut checked = 0;
    for entry in std::fs::read_dir(demo.join("src")).unwrap() {
        let source = entry.unwrap().path();
        let compiled = wat::parse_file(&source).unwrap();
        let name = source.file_stem().unwrap().to_string_lossy().to_string();
        let target = demo.join("dist").join(format!("{name}.wasm"));
        if std::env::var_os("WASMGATE_BLESS").is_some() {
            std::fs::write(&target, &compiled).unwrap();
        }
        let committed = std::fs::read(&target).unwrap_or_default();
        assert!(
            committed == compiled,
            "{} is stale: run WASMGATE_BLESS=1 cargo test --test example",
            target.display()
        );
        checked += 1;
    }
    assert_eq!(checked, 2);
    let baseline: serde_json::Value =
        serde_json::from_slice(&std::fs::read(demo.join(".wasmgate/baseline.json")).unwrap())
            .unwrap();
    for (path, entry) in baseline["artifacts"].as_object().unwrap() {
        let bytes = std::fs::read(demo.join(path)).unwrap();
        let sha: String = sha2::Sha256::digest(&bytes)
            .iter()
            .map(|b| format!("{b:02x}"))
            .collect();
        assert_eq!(
            entry["sha256"], sha,
            "examples/demo/.wasmgate/baseline.json is stale: run cargo run -- baseline --config examples/demo/wasmgate.toml"
        );
    }
}

#[test]
fn readme_demo_command_fails_with_real_findings() {
    let sandbox = common::Sandbox::new();
    let mut cmd = sandbox.cmd();
    cmd.current_dir(common::repo())
        .args(["check", "--config", "examples/demo/wasmgate.toml"]);
    let (code, stdout, stderr) = run(&mut cmd);
    assert_eq!(code, 1, "stdout:\n{stdout}\nstderr:\n{stderr}");
    for expected in [
        "size-budget-exceeded",
        "memory-too-large",
        "custom-section-missing",
        "custom-section-debug",
        "dist/cli.wasm",
        "wasmgate: FAIL",
        "raw = 200",
        "signature-missing",
    ] {
        assert!(
            stdout.contains(expected),
            "missing {expected:?} in:\n{stdout}"
        );
    }
    assert!(!stdout.contains("signature-untrusted") && !stdout.contains("signature-invalid"));
    let (code, stdout, _) = run(common::Sandbox::new()
        .cmd()
        .current_dir(common::repo())
        .args([
            "verify",
            "-K",
            "examples/demo/keys/demo.pub",
            "examples/demo/dist/hello.wasm",
        ]));
    assert_eq!(
        code, 0,
        "the demo's detached signature must match hello.wasm: {stdout}"
    );
    assert!(Path::new(&common::repo().join("README.md")).is_file());
    let readme = std::fs::read_to_string(common::repo().join("README.md")).unwrap();
    assert!(readme.contains("cargo run -- check --config examples/demo/wasmgate.toml"));
}

/// `examples/gitops`: its modules are its `.wat` sources compiled, and `wasmgate check` there
/// gives the README's verdict: the admission policy's two denies and the memory drift of the
/// two manifests that lie, nothing about the SpinApp that tells the truth.
#[test]
fn gitops_example_gives_its_verdict() {
    let example = common::repo().join("examples/gitops");
    for name in ["cli", "filter", "hello"] {
        let compiled = wat::parse_file(example.join(format!("src/{name}.wat"))).unwrap();
        let target = example.join(format!("dist/{name}.wasm"));
        if std::env::var_os("WASMGATE_BLESS").is_some() {
            std::fs::write(&target, &compiled).unwrap();
        }
        assert!(
            std::fs::read(&target).unwrap_or_default() == compiled,
            "{} is stale: run WASMGATE_BLESS=1 cargo test --test example",
            target.display()
        );
    }
    let hello = std::fs::read(example.join("dist/hello.wasm")).unwrap();
    let digest: String = sha2::Sha256::digest(&hello)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect();
    let spinapp = std::fs::read_to_string(example.join("deploy/hello.yaml")).unwrap();
    assert!(
        spinapp.contains(&digest),
        "deploy/hello.yaml must declare {digest}"
    );
    let mut cmd = assert_cmd::Command::cargo_bin("wasmgate").unwrap();
    cmd.current_dir(&example)
        .env("NO_COLOR", "1")
        .env("WASMGATE_CACHE_DIR", tempfile::tempdir().unwrap().path())
        .env_remove("WASMGATE_CONFIG")
        .args(["check", "--no-base", "--format", "json"]);
    let (code, stdout, stderr) = run(&mut cmd);
    assert_eq!(code, 1, "{stderr}");
    let report: wasmgate::report::Report = serde_json::from_str(&stdout).unwrap();
    let mut denies: Vec<(String, Option<String>, String)> = report
        .findings
        .iter()
        .filter(|f| f.severity.as_str() == "deny")
        .map(|f| {
            let at = f
                .location
                .as_ref()
                .map(|l| format!("{}:{}", l.file, l.line));
            (f.code.clone(), f.artifact.clone(), at.unwrap_or_default())
        })
        .collect();
    denies.sort();
    let line_of = |file: &str, text: &str| {
        let manifest = std::fs::read_to_string(format!("examples/gitops/{file}")).unwrap();
        let line = manifest.lines().position(|l| l.contains(text)).unwrap() + 1;
        format!("{file}:{line}")
    };
    let deny = |code: &str, artifact: &str, at: &str| {
        (code.to_string(), Some(artifact.to_string()), at.to_string())
    };
    assert_eq!(
        denies,
        [
            // At the limit that holds, not at the document.
            deny(
                "manifest-memory-drift",
                "dist/cli.wasm",
                &line_of("deploy/cli.yaml", "memory: 256Mi")
            ),
            deny(
                "manifest-memory-drift",
                "dist/filter.wasm",
                &line_of("deploy/filter.yaml", "apexlogic.com/max-memory-mb")
            ),
            deny(
                "policy-violation",
                "dist/filter.wasm",
                "deploy/filter.yaml:2"
            ),
            deny(
                "policy-violation",
                "dist/filter.wasm",
                "deploy/filter.yaml:2"
            ),
        ]
    );
    assert!(
        !report
            .findings
            .iter()
            .any(|f| f.artifact.as_deref() == Some("dist/hello.wasm")
                && f.code.starts_with("manifest-")),
        "the SpinApp and the Deployment tell the truth"
    );
    // ... and both are bound, so their silence means something.
    let mut cmd = assert_cmd::Command::cargo_bin("wasmgate").unwrap();
    cmd.current_dir(&example)
        .env("WASMGATE_CACHE_DIR", tempfile::tempdir().unwrap().path())
        .env_remove("WASMGATE_CONFIG")
        .args(["facts", "--no-base"]);
    let (code, stdout, stderr) = run(&mut cmd);
    assert_eq!(code, 0, "{stderr}");
    let facts: serde_json::Value = serde_json::from_str(&stdout).unwrap();
    let mut bound: Vec<String> = facts["manifests"]["objects"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|o| {
            o["bindings"].as_array().unwrap().iter().map(move |b| {
                format!(
                    "{} {} -> {} {}",
                    o["kind"], o["name"], b["artifact"], b["container"]
                )
            })
        })
        .collect();
    bound.sort();
    assert_eq!(
        bound,
        [
            r#""CronJob" "nightly-report" -> "dist/cli.wasm" "report""#,
            r#""Deployment" "hello-canary" -> "dist/hello.wasm" "web""#,
            r#""SpinApp" "hello" -> "dist/hello.wasm" null"#,
            r#""WasmModule" "edge-filter" -> "dist/filter.wasm" null"#,
        ]
    );
}
