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
    // At the image that binds the artifact; the message names the object's own line.
    let location = missing.location.as_ref().unwrap();
    let image_line = MODULE
        .lines()
        .position(|l| l.contains("image: ghcr.io/acme/web"))
        .unwrap()
        + 1;
    assert_eq!(
        (location.file.as_str(), location.line, location.column),
        ("deploy/app.yaml", image_line, 11)
    );
    assert!(
        missing.message.contains("(deploy/app.yaml:11)"),
        "{}",
        missing.message
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

/// A module that imports `wasi_snapshot_preview1.fd_write` and `env.now` and has one memory of
/// at most `max_pages` pages (unbounded when None).
fn module(max_pages: Option<u32>) -> Vec<u8> {
    let memory = match max_pages {
        Some(max) => format!("(memory 1 {max})"),
        None => "(memory 1)".to_string(),
    };
    wat::parse_str(format!(
        r#"(module
            (import "wasi_snapshot_preview1" "fd_write" (func (param i32 i32 i32 i32) (result i32)))
            (import "env" "now" (func (result i64)))
            {memory})"#
    ))
    .unwrap()
}

fn sha256(bytes: &[u8]) -> String {
    use sha2::Digest;
    sha2::Sha256::digest(bytes)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// A WasmModule bound to dist/app.wasm with the given annotations and spec lines.
fn declaring(annotations: &str, spec: &str) -> String {
    format!(
        "apiVersion: wasm.example.com/v1\nkind: WasmModule\nmetadata:\n  name: app\n  annotations:\n    wasmgate.dev/artifact: dist/app.wasm\n{annotations}spec:\n  replicas: 1\n{spec}"
    )
}

fn drift_codes(manifest: &str, bytes: &[u8]) -> Vec<(String, String)> {
    let sandbox = Sandbox::new();
    sandbox.write("dist/app.wasm", bytes);
    sandbox.write("deploy/app.yaml", manifest);
    let (code, report, stderr) = check_json(&sandbox, &["--no-compress", "--no-base", "dist"]);
    assert_ne!(code, 2, "{stderr}");
    let mut found: Vec<(String, String)> = report
        .findings
        .iter()
        .filter(|f| f.code.starts_with("manifest-") || f.code == "artifact-undeclared")
        .map(|f| (f.code.clone(), f.severity.as_str().to_string()))
        .collect();
    found.sort();
    found
}

#[test]
fn a_manifest_that_tells_the_truth_is_quiet() {
    // 16 pages of 64 KiB = 1 MiB of linear memory at most; the pod allows 2 MiB.
    let bytes = module(Some(16));
    let truthful = declaring(
        &format!(
            "    wasmgate.dev/sha256: \"{}\"\n    wasmgate.dev/max-memory: 2Mi\n    wasmgate.dev/capabilities: \"wasi_snapshot_preview1.fd_write, now\"\n",
            sha256(&bytes)
        ),
        "",
    );
    assert_eq!(
        drift_codes(&truthful, &bytes),
        Vec::<(String, String)>::new()
    );
}

#[test]
fn a_manifest_that_lies_about_digest_memory_or_capabilities_is_denied() {
    let bytes = module(Some(16));
    let lie = |annotations: &str, spec: &str| drift_codes(&declaring(annotations, spec), &bytes);
    let deny = |code: &str| vec![(code.to_string(), "deny".to_string())];
    assert_eq!(
        lie(
            &format!("    wasmgate.dev/sha256: \"{}\"\n", "0".repeat(64)),
            ""
        ),
        deny("manifest-digest-mismatch")
    );
    // 1 MiB of linear memory against 1 000 000 bytes (1M, decimal as Kubernetes reads it).
    let limit: u64 = 1_000_000;
    assert!(16 * 65_536 > limit);
    assert_eq!(
        lie("    wasmgate.dev/max-memory: 1M\n", ""),
        deny("manifest-memory-drift")
    );
    // spec.memory_limit_mb is MiB: 1 fits 16 pages exactly, so it is quiet.
    assert_eq!(
        lie("", "  memory_limit_mb: 1\n"),
        Vec::<(String, String)>::new()
    );
    // Declared functions that leave out env.now: undeclared (deny) and an unused one (warn).
    assert_eq!(
        lie(
            "",
            "  imported_functions:\n    - name: fd_write\n    - name: fs_write\n"
        ),
        vec![
            (
                "manifest-capability-undeclared".to_string(),
                "deny".to_string()
            ),
            ("manifest-capability-unused".to_string(), "warn".to_string()),
        ]
    );
}

#[test]
fn an_unbounded_memory_always_exceeds_a_declared_limit_and_bad_quantities_warn() {
    let unbounded = module(None);
    let codes = drift_codes(
        &declaring("    wasmgate.dev/max-memory: 1Gi\n", ""),
        &unbounded,
    );
    assert_eq!(
        codes,
        vec![("manifest-memory-drift".to_string(), "deny".to_string())]
    );
    let bounded = module(Some(16));
    for bad in ["2GB", "64m"] {
        let codes = drift_codes(
            &declaring(&format!("    wasmgate.dev/max-memory: {bad}\n"), ""),
            &bounded,
        );
        assert_eq!(
            codes,
            vec![("manifest-invalid-quantity".to_string(), "warn".to_string())],
            "{bad}"
        );
    }
}

#[test]
fn an_artifact_no_manifest_deploys_warns_when_manifests_exist() {
    let sandbox = Sandbox::new();
    sandbox.write("dist/app.wasm", module(Some(16)));
    sandbox.write("dist/other.wasm", module(Some(16)));
    let (_, report, stderr) = check_json(&sandbox, &["--no-compress", "--no-base", "dist"]);
    assert!(
        !has(&report, "artifact-undeclared", None),
        "no manifests: {stderr}"
    );
    sandbox.write("deploy/app.yaml", declaring("", ""));
    let (_, report, stderr) = check_json(&sandbox, &["--no-compress", "--no-base", "dist"]);
    assert!(
        has(&report, "artifact-undeclared", Some("dist/other.wasm")),
        "{stderr}"
    );
    assert!(
        !has(&report, "artifact-undeclared", Some("dist/app.wasm")),
        "{stderr}"
    );
}

#[test]
fn init_offers_a_manifests_section_when_it_finds_manifests() {
    let sandbox = Sandbox::new();
    sandbox.wasm("dist/app.wasm", "app");
    sandbox.write("k8s/app.yaml", declaring("", ""));
    let (code, _, stderr) = run(sandbox.cmd().arg("init"));
    assert_eq!(code, 0, "{stderr}");
    let config = std::fs::read_to_string(sandbox.path().join("wasmgate.toml")).unwrap();
    assert!(
        config.contains("[manifests]\npaths = [\"k8s\"]\n"),
        "{config}"
    );
    // The config it wrote loads, and the manifest is read through it.
    let doc = facts(&sandbox, &["--no-compress", "dist"]);
    assert_eq!(
        doc["manifests"]["files"],
        serde_json::json!(["k8s/app.yaml"])
    );
}

/// Writes an OCI image layout under `oci/` holding `wasm` as its wasm layer, tagged `1.0`;
/// returns the OCI manifest's digest.
fn oci_layout(sandbox: &Sandbox, wasm: &[u8]) -> String {
    let layer = sha256(wasm);
    sandbox.write(&format!("oci/blobs/sha256/{layer}"), wasm);
    let config = b"{}";
    let config_digest = sha256(config);
    sandbox.write(&format!("oci/blobs/sha256/{config_digest}"), config);
    let manifest = serde_json::json!({
        "schemaVersion": 2,
        "mediaType": "application/vnd.oci.image.manifest.v1+json",
        "config": {"mediaType": "application/vnd.wasm.config.v0+json", "digest": format!("sha256:{config_digest}"), "size": 2},
        "layers": [{"mediaType": "application/wasm", "digest": format!("sha256:{layer}"), "size": wasm.len()}],
    })
    .to_string();
    let digest = sha256(manifest.as_bytes());
    sandbox.write(&format!("oci/blobs/sha256/{digest}"), &manifest);
    sandbox.write("oci/oci-layout", r#"{"imageLayoutVersion":"1.0.0"}"#);
    sandbox.write(
        "oci/index.json",
        serde_json::json!({
            "schemaVersion": 2,
            "manifests": [{
                "mediaType": "application/vnd.oci.image.manifest.v1+json",
                "digest": format!("sha256:{digest}"),
                "size": manifest.len(),
                "annotations": {"org.opencontainers.image.ref.name": "1.0"},
            }],
        })
        .to_string(),
    );
    format!("sha256:{digest}")
}

#[test]
fn an_image_is_followed_to_its_wasm_layer_in_an_oci_layout() {
    let pushed = module(Some(16));
    for (image_of, built, expected) in [
        // By digest: the OCI manifest, never compared with the file itself.
        ("digest", pushed.clone(), Vec::<(String, String)>::new()),
        ("tag", pushed.clone(), Vec::new()),
        (
            "digest",
            module(Some(8)),
            vec![("manifest-digest-mismatch".to_string(), "deny".to_string())],
        ),
    ] {
        let sandbox = Sandbox::new();
        let digest = oci_layout(&sandbox, &pushed);
        sandbox.write("dist/app.wasm", &built);
        sandbox.write("wasmgate.toml", "[manifests]\noci_layouts = [\"oci\"]\n");
        let image = if image_of == "digest" {
            format!("ghcr.io/acme/app@{digest}")
        } else {
            "ghcr.io/acme/app:1.0".to_string()
        };
        sandbox.write(
            "deploy/app.yaml",
            format!("apiVersion: v1\nkind: Pod\nmetadata:\n  name: app\n  annotations:\n    wasmgate.dev/artifact.main: dist/app.wasm\nspec:\n  containers:\n    - name: main\n      image: {image}\n"),
        );
        let doc = facts(&sandbox, &["--no-compress", "dist"]);
        let oci = &doc["manifests"]["objects"][0]["bindings"][0]["oci"];
        assert_eq!(oci["manifest"], digest.as_str(), "{image_of}");
        assert_eq!(oci["layer_sha256"], sha256(&pushed).as_str(), "{image_of}");
        let (code, report, stderr) = check_json(&sandbox, &["--no-compress", "--no-base", "dist"]);
        assert_ne!(code, 2, "{stderr}");
        let found: Vec<(String, String)> = report
            .findings
            .iter()
            .filter(|f| f.code.starts_with("manifest-"))
            .map(|f| (f.code.clone(), f.severity.as_str().to_string()))
            .collect();
        assert_eq!(found, expected, "{image_of}: {:?}", report.findings);
    }
}

/// A signed artifact may be declared by its digest as built (before the signature section was
/// added) or as signed; anything else is a mismatch.
#[test]
fn a_signed_artifact_matches_its_digest_before_signing_too() {
    let sandbox = Sandbox::new();
    let unsigned = module(Some(16));
    sandbox.write("build/app.wasm", &unsigned);
    std::fs::create_dir_all(sandbox.path().join("dist")).unwrap();
    let (code, _, stderr) = run(sandbox.cmd().args([
        "keygen",
        "--secret-key",
        "release.key",
        "--public-key",
        "release.pub",
    ]));
    assert_eq!(code, 0, "{stderr}");
    let (code, _, stderr) = run(sandbox.cmd().args([
        "sign",
        "--secret-key",
        "release.key",
        "build/app.wasm",
        "--output",
        "dist/app.wasm",
    ]));
    assert_eq!(code, 0, "{stderr}");
    let signed = std::fs::read(sandbox.path().join("dist/app.wasm")).unwrap();
    assert_ne!(signed, unsigned);
    let doc = facts(&sandbox, &["--no-compress", "dist"]);
    assert_eq!(
        doc["artifacts"][0]["signature"]["unsigned_sha256"],
        sha256(&unsigned).as_str()
    );
    for (declared, mismatch) in [
        (sha256(&unsigned), false),
        (sha256(&signed), false),
        ("1".repeat(64), true),
    ] {
        sandbox.write(
            "deploy/app.yaml",
            declaring(&format!("    wasmgate.dev/sha256: \"{declared}\"\n"), ""),
        );
        let (_, report, stderr) = check_json(&sandbox, &["--no-compress", "--no-base", "dist"]);
        assert_eq!(
            has(&report, "manifest-digest-mismatch", None),
            mismatch,
            "{declared}: {stderr}"
        );
    }
}
