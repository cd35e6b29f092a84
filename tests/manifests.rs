//! GitOps manifests end to end through the binary: objects found with their file and line,
//! bindings checked against the repository, broken and hostile YAML located and bounded.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use common::{Sandbox, check_json, facts, finding, has, run};

const MODULE: &str = "apiVersion: wasm.example.com/v1
kind: WasmModule
metadata:
  name: api
  namespace: edge
  annotations:
    wasmgate.dev/artifact: dist/api.wasm
spec:
  memory_limit_mb: 64
---
apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
spec:
  template:
    spec:
      containers:
        - name: app
          image: ghcr.io/acme/web:1.0
        - name: sidecar
          image: docker.io/envoyproxy/envoy:v1
";

fn sandbox() -> Sandbox {
    let sandbox = Sandbox::new();
    sandbox.wasm("dist/api.wasm", "app");
    sandbox.write(
        "wasmgate.toml",
        "[[manifests.bind]]\nimage = \"ghcr.io/acme/web:*\"\nartifact = \"dist/web.wasm\"\n",
    );
    sandbox
}

#[test]
fn objects_keep_their_file_line_and_bindings() {
    let sandbox = sandbox();
    sandbox.wasm("dist/web.wasm", "app");
    sandbox.write("deploy/app.yaml", MODULE);
    sandbox.write("deploy/notes.txt", "not a manifest");
    let doc = facts(&sandbox, &["--no-compress", "dist"]);
    let manifests = &doc["manifests"];
    assert_eq!(manifests["files"], serde_json::json!(["deploy/app.yaml"]));
    let objects = manifests["objects"].as_array().unwrap();
    assert_eq!(objects.len(), 2);
    let module = &objects[0];
    assert_eq!(
        (
            module["kind"].as_str(),
            module["name"].as_str(),
            module["namespace"].as_str()
        ),
        (Some("WasmModule"), Some("api"), Some("edge"))
    );
    assert_eq!(
        (module["line"].as_u64(), module["column"].as_u64()),
        (Some(1), Some(1))
    );
    assert_eq!(module["bindings"][0]["artifact"], "dist/api.wasm");
    assert_eq!(module["bindings"][0]["via"], "annotation");
    assert_eq!(module["bindings"][0]["exists"], true);
    assert_eq!(module["object"]["spec"]["memory_limit_mb"], 64);
    // The second document starts on the line after its `---` (line 10 of the file).
    let deployment = &objects[1];
    let expected_line = MODULE.lines().position(|l| l == "---").unwrap() as u64 + 2;
    assert_eq!(deployment["line"].as_u64(), Some(expected_line));
    let bindings = deployment["bindings"].as_array().unwrap();
    assert_eq!(
        bindings.len(),
        1,
        "only the image the glob matches: {bindings:?}"
    );
    assert_eq!(bindings[0]["container"], "app");
    assert_eq!(bindings[0]["image"], "ghcr.io/acme/web:1.0");
    assert_eq!(bindings[0]["via"], "bind");

    let (code, report, stderr) = check_json(&sandbox, &["--no-compress", "--no-base", "dist"]);
    assert!(!has(&report, "manifest-artifact-missing", None), "{stderr}");
    assert!(!has(&report, "manifest-invalid", None), "{stderr}");
    assert_ne!(code, 2, "{stderr}");
}

#[test]
fn a_binding_to_an_artifact_that_is_not_there_is_a_located_deny() {
    let sandbox = sandbox();
    sandbox.write("deploy/app.yaml", MODULE);
    let (code, report, stderr) = check_json(&sandbox, &["--no-compress", "--no-base", "dist"]);
    assert_eq!(code, 1, "{stderr}");
    let missing = finding(&report, "manifest-artifact-missing");
    assert_eq!(missing.severity.as_str(), "deny");
    assert!(
        missing.message.contains("dist/web.wasm"),
        "{}",
        missing.message
    );
    assert!(
        missing.message.contains("Deployment web"),
        "{}",
        missing.message
    );
    let location = missing.location.as_ref().unwrap();
    assert_eq!(
        (location.file.as_str(), location.line),
        ("deploy/app.yaml", 11)
    );
}

#[test]
fn broken_yaml_is_a_deny_at_its_line() {
    let sandbox = sandbox();
    sandbox.write(
        "k8s/ok.yaml",
        "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: a\n",
    );
    sandbox.write(
        "k8s/broken.yml",
        "apiVersion: v1\nkind: Pod\nmetadata:\n  name: : :\n",
    );
    let (code, report, stderr) = check_json(&sandbox, &["--no-compress", "--no-base", "dist"]);
    assert_eq!(code, 1, "{stderr}");
    let invalid = finding(&report, "manifest-invalid");
    assert_eq!(invalid.severity.as_str(), "deny");
    let location = invalid.location.as_ref().unwrap();
    assert_eq!(
        (location.file.as_str(), location.line),
        ("k8s/broken.yml", 4)
    );
    // Not re-levelable: a manifest nobody can read is never a pass.
    sandbox.write("wasmgate.toml", "[rules]\nmanifest-invalid = \"allow\"\n");
    let (code, _, _) = run(sandbox
        .cmd()
        .args(["check", "--no-compress", "--no-base", "dist"]));
    assert_eq!(code, 2, "re-levelling manifest-invalid is a config error");
}

#[test]
fn hostile_yaml_ends_quickly_and_is_not_a_pass() {
    let sandbox = sandbox();
    let mut bomb = String::from(
        "a: &a [\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\"]\n",
    );
    for level in 1..12 {
        let prev = level - 1;
        bomb.push_str(&format!(
            "l{level}: &l{level} [*{p},*{p},*{p},*{p},*{p},*{p},*{p},*{p},*{p}]\n",
            p = if prev == 0 {
                "a".to_string()
            } else {
                format!("l{prev}")
            }
        ));
    }
    sandbox.write(
        "deploy/bomb.yaml",
        format!("apiVersion: v1\nkind: ConfigMap\n{bomb}"),
    );
    sandbox.write(
        "deploy/deep.yaml",
        format!("{}1{}", "[".repeat(100_000), "]".repeat(100_000)),
    );
    let started = std::time::Instant::now();
    let (code, report, stderr) = check_json(&sandbox, &["--no-compress", "--no-base", "dist"]);
    assert!(code == 1 || code == 2, "{stderr}");
    let files: Vec<&str> = report
        .findings
        .iter()
        .filter(|f| f.code == "manifest-invalid")
        .filter_map(|f| f.location.as_ref().map(|l| l.file.as_str()))
        .collect();
    assert_eq!(files, ["deploy/bomb.yaml", "deploy/deep.yaml"], "{stderr}");
    // Generous for a loaded CI machine; an unbounded parse takes minutes or never ends.
    assert!(
        started.elapsed().as_secs() < 30,
        "took {:?}",
        started.elapsed()
    );
}

#[test]
fn a_named_manifest_must_exist() {
    let sandbox = sandbox();
    let (code, _, stderr) = run(sandbox.cmd().args([
        "check",
        "--no-compress",
        "--no-base",
        "--manifests",
        "rendered.yaml",
        "dist",
    ]));
    assert_eq!(code, 2);
    assert!(stderr.contains("rendered.yaml"), "{stderr}");
    sandbox.write("rendered.yaml", MODULE);
    let doc = facts(
        &sandbox,
        &["--no-compress", "--manifests", "rendered.yaml", "dist"],
    );
    assert_eq!(
        doc["manifests"]["files"],
        serde_json::json!(["rendered.yaml"])
    );
}
