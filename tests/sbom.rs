//! SBOMs bound to the bytes they describe: a real producer's SBOM, CycloneDX and SPDX subjects,
//! the digest of a signed module without its signature, schema problems with JSON pointers,
//! cargo-auditable's `.dep-v0` both ways (and a decompression bomb), licenses, ML model cards
//! and embedded model payloads.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::print_stdout)]

mod common;

use std::io::Write;

use common::{Sandbox, check_json, has, run};
use serde_json::{Value, json};
use sha2::{Digest, Sha256};

fn sha256(bytes: &[u8]) -> String {
    Sha256::digest(bytes)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

fn cyclonedx(subject_sha: &str, components: Value) -> Value {
    json!({
        "bomFormat": "CycloneDX",
        "specVersion": "1.6",
        "version": 1,
        "metadata": {
            "component": {
                "type": "application",
                "bom-ref": "app",
                "name": "app",
                "version": "1.0.0",
                "hashes": [{"alg": "SHA-256", "content": subject_sha}]
            }
        },
        "components": components
    })
}

fn write_json(sandbox: &Sandbox, path: &str, value: &Value) {
    sandbox.write(path, serde_json::to_vec_pretty(value).unwrap());
}

fn sbom_codes(report: &wasmgate::report::Report) -> Vec<String> {
    let mut codes: Vec<String> = report
        .findings
        .iter()
        .filter(|f| {
            f.code.starts_with("sbom-") || f.code.contains("model") || f.code == "license-denied"
        })
        .map(|f| f.code.clone())
        .collect();
    codes.sort();
    codes
}

#[test]
fn a_real_producers_sbom_is_read_and_validated() {
    let sandbox = Sandbox::new();
    sandbox.wasm("dist/app.wasm", "app");
    let sbom = std::fs::read(common::repo().join("fixtures/sbom/hello-crate/hello-crate.cdx.json"))
        .unwrap();
    sandbox.write("dist/app.wasm.cdx.json", &sbom);
    let document = common::facts(&sandbox, &["--no-compress"]);
    let facts = &document["artifacts"][0]["sbom"];
    assert_eq!(facts["format"], "cyclonedx");
    assert_eq!(facts["spec_version"], "1.5");
    assert_eq!(
        facts["problems"],
        json!([]),
        "cargo-cyclonedx output is schema-valid"
    );
    let itoa = facts["components"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["name"] == "itoa")
        .unwrap();
    assert!(
        itoa["purl"]
            .as_str()
            .unwrap()
            .starts_with("pkg:cargo/itoa@")
    );
    assert_eq!(facts["subject"]["name"], "hello-crate");
    let (code, report, _) = check_json(&sandbox, &["--no-compress"]);
    assert_eq!(code, 1);
    let mismatch = common::finding(&report, "sbom-digest-mismatch");
    assert!(
        mismatch.message.contains("declares no SHA-256"),
        "{}",
        mismatch.message
    );
}

#[test]
fn the_subject_digest_binds_the_sbom_to_the_bytes() {
    let sandbox = Sandbox::new();
    let module = common::fixture("app");
    sandbox.write("dist/app.wasm", &module);
    let digest = sha256(&module);
    write_json(
        &sandbox,
        "dist/app.wasm.cdx.json",
        &cyclonedx(&digest, json!([])),
    );
    let (code, report, _) = check_json(&sandbox, &["--no-compress"]);
    assert_eq!(code, 0, "{report:#?}");
    assert!(sbom_codes(&report).is_empty());

    // One character of the subject digest changed.
    let mut changed: Vec<char> = digest.chars().collect();
    changed[10] = if changed[10] == 'a' { 'b' } else { 'a' };
    let changed: String = changed.into_iter().collect();
    write_json(
        &sandbox,
        "dist/app.wasm.cdx.json",
        &cyclonedx(&changed, json!([])),
    );
    let (code, report, _) = check_json(&sandbox, &["--no-compress"]);
    assert_eq!(code, 1);
    let mismatch = common::finding(&report, "sbom-digest-mismatch");
    assert!(mismatch.message.contains(&changed));

    // Signing changes the bytes: the digest of the module without its signature still binds.
    let key = ed25519_dalek::SigningKey::from_bytes(&[1u8; 32]);
    let signed = wasmgate::wasmsig::sign(&module, &key, None, false)
        .unwrap()
        .module;
    sandbox.write("dist/app.wasm", &signed);
    write_json(
        &sandbox,
        "dist/app.wasm.cdx.json",
        &cyclonedx(&digest, json!([])),
    );
    let document = common::facts(&sandbox, &["--no-compress"]);
    assert_eq!(document["artifacts"][0]["sbom"]["binding"], "unsigned");
    let (_, report, _) = check_json(&sandbox, &["--no-compress"]);
    assert!(!has(&report, "sbom-digest-mismatch", None));
}

#[test]
fn schema_problems_name_the_json_pointer() {
    let sandbox = Sandbox::new();
    let module = common::fixture("app");
    sandbox.write("dist/app.wasm", &module);
    let bad = cyclonedx(&sha256(&module), json!([{"type": "gadget", "name": "x"}]));
    write_json(&sandbox, "dist/app.wasm.cdx.json", &bad);
    let (code, report, _) = check_json(&sandbox, &["--no-compress"]);
    assert_eq!(code, 1);
    let invalid = common::finding(&report, "sbom-invalid");
    assert!(
        invalid.message.contains("/components/0/type"),
        "{}",
        invalid.message
    );
    sandbox.write("dist/app.wasm.cdx.json", "{ not json");
    let (_, report, _) = check_json(&sandbox, &["--no-compress"]);
    assert!(has(&report, "sbom-invalid", Some("dist/app.wasm")));
}

#[test]
fn spdx_documents_bind_through_the_described_package() {
    let sandbox = Sandbox::new();
    let module = common::fixture("app");
    sandbox.write("dist/app.wasm", &module);
    let spdx = |checksum: &str| {
        json!({
            "spdxVersion": "SPDX-2.3",
            "dataLicense": "CC0-1.0",
            "SPDXID": "SPDXRef-DOCUMENT",
            "name": "app",
            "documentNamespace": "https://example.com/spdx/app-1.0.0",
            "creationInfo": {"created": "2026-01-01T00:00:00Z", "creators": ["Tool: hand"]},
            "packages": [
                {"SPDXID": "SPDXRef-app", "name": "app", "versionInfo": "1.0.0", "downloadLocation": "NOASSERTION",
                 "checksums": [{"algorithm": "SHA256", "checksumValue": checksum}], "licenseConcluded": "MIT"},
                {"SPDXID": "SPDXRef-gpl", "name": "copyleft", "versionInfo": "2.0", "downloadLocation": "NOASSERTION",
                 "licenseConcluded": "GPL-3.0-only",
                 "externalRefs": [{"referenceCategory": "PACKAGE-MANAGER", "referenceType": "purl", "referenceLocator": "pkg:cargo/copyleft@2.0"}]}
            ],
            "relationships": [
                {"spdxElementId": "SPDXRef-DOCUMENT", "relationshipType": "DESCRIBES", "relatedSpdxElement": "SPDXRef-app"},
                {"spdxElementId": "SPDXRef-app", "relationshipType": "DEPENDS_ON", "relatedSpdxElement": "SPDXRef-gpl"}
            ]
        })
    };
    write_json(&sandbox, "dist/app.wasm.spdx.json", &spdx(&sha256(&module)));
    sandbox.write(
        "wasmgate.toml",
        "[sbom]\nlicenses_deny = [\"GPL-3.0-only\"]\n",
    );
    let (code, report, _) = check_json(&sandbox, &["--no-compress"]);
    assert_eq!(code, 1);
    assert_eq!(sbom_codes(&report), ["license-denied"]);
    let document = common::facts(&sandbox, &["--no-compress"]);
    let facts = &document["artifacts"][0]["sbom"];
    assert_eq!(facts["format"], "spdx");
    assert_eq!(
        facts["dependencies"][0]["depends_on"],
        json!(["SPDXRef-gpl"])
    );
    write_json(&sandbox, "dist/app.wasm.spdx.json", &spdx(&"0".repeat(64)));
    let (_, report, _) = check_json(&sandbox, &["--no-compress"]);
    assert!(has(&report, "sbom-digest-mismatch", Some("dist/app.wasm")));
}

fn zlib(bytes: &[u8]) -> Vec<u8> {
    let mut encoder = flate2::write::ZlibEncoder::new(Vec::new(), flate2::Compression::best());
    encoder.write_all(bytes).unwrap();
    encoder.finish().unwrap()
}

#[test]
fn embedded_dependency_lists_are_triangulated_with_the_sbom() {
    let sandbox = Sandbox::new();
    let list = json!({"packages": [
        {"name": "app", "version": "1.0.0", "source": "local", "dependencies": [1, 2], "root": true},
        {"name": "itoa", "version": "1.0.18", "source": "crates.io"},
        {"name": "sneaky", "version": "0.3.0", "source": "crates.io"},
        {"name": "cc", "version": "1.2.0", "source": "crates.io", "kind": "build"}
    ]});
    let mut module = common::fixture("app");
    module.extend_from_slice(&wasmgate::wasmsig::format::custom_section(
        ".dep-v0",
        &zlib(list.to_string().as_bytes()),
    ));
    sandbox.write("dist/app.wasm", &module);
    let components = json!([
        {"type": "library", "name": "itoa", "version": "1.0.18", "purl": "pkg:cargo/itoa@1.0.18"},
        {"type": "library", "name": "serde", "version": "1.0.200", "purl": "pkg:cargo/serde@1.0.200"}
    ]);
    write_json(
        &sandbox,
        "dist/app.wasm.cdx.json",
        &cyclonedx(&sha256(&module), components),
    );
    let (code, report, _) = check_json(&sandbox, &["--no-compress"]);
    assert_eq!(code, 1);
    let undeclared: Vec<_> = report
        .findings
        .iter()
        .filter(|f| f.code == "sbom-dependency-undeclared")
        .collect();
    assert_eq!(
        undeclared.len(),
        1,
        "the build dependency cc is not shipped: {undeclared:#?}"
    );
    assert!(undeclared[0].message.contains("sneaky 0.3.0"));
    let absent: Vec<_> = report
        .findings
        .iter()
        .filter(|f| f.code == "sbom-dependency-absent")
        .collect();
    assert_eq!(absent.len(), 1);
    assert!(absent[0].message.contains("serde"));

    // A decompression bomb in .dep-v0 is refused, not inflated.
    let mut bomb = common::fixture("app");
    bomb.extend_from_slice(&wasmgate::wasmsig::format::custom_section(
        ".dep-v0",
        &zlib(&vec![b' '; 64 << 20]),
    ));
    assert!(bomb.len() < 200_000);
    sandbox.write("dist/app.wasm", &bomb);
    let (code, report, _) = check_json(&sandbox, &["--no-compress"]);
    assert_eq!(code, 1);
    let invalid = common::finding(&report, "sbom-invalid");
    assert!(invalid.message.contains(".dep-v0"), "{}", invalid.message);
}

#[test]
fn licenses_allow_and_deny_by_expression() {
    let sandbox = Sandbox::new();
    let module = common::fixture("app");
    sandbox.write("dist/app.wasm", &module);
    let components = json!([
        {"type": "library", "name": "dual", "version": "1", "licenses": [{"expression": "MIT OR GPL-3.0-only"}]},
        {"type": "library", "name": "llvm", "version": "1", "licenses": [{"expression": "Apache-2.0 WITH LLVM-exception"}]},
        {"type": "library", "name": "both", "version": "1", "licenses": [{"expression": "MIT AND GPL-3.0-only"}]}
    ]);
    write_json(
        &sandbox,
        "dist/app.wasm.cdx.json",
        &cyclonedx(&sha256(&module), components),
    );
    sandbox.write(
        "wasmgate.toml",
        "[sbom]\nlicenses_allow = [\"MIT\", \"Apache-2.0\"]\nlicenses_deny = [\"GPL-3.0-only\"]\n",
    );
    let (code, report, _) = check_json(&sandbox, &["--no-compress"]);
    assert_eq!(code, 1);
    let denied: Vec<_> = report
        .findings
        .iter()
        .filter(|f| f.code == "license-denied")
        .map(|f| {
            f.details.as_ref().unwrap()["component"]
                .as_str()
                .unwrap()
                .to_string()
        })
        .collect();
    assert_eq!(
        denied,
        ["both"],
        "MIT OR GPL passes via MIT; Apache WITH exception passes"
    );
}

fn model_component(card: Value) -> Value {
    json!({"type": "machine-learning-model", "bom-ref": "model", "name": "sentiment", "version": "2",
           "licenses": [{"license": {"id": "Apache-2.0"}}], "modelCard": card})
}

fn complete_card() -> Value {
    json!({
        "modelParameters": {"datasets": [{"ref": "reviews"}]},
        "considerations": {
            "technicalLimitations": ["English only"],
            "ethicalConsiderations": [{"name": "bias", "mitigationStrategy": "balanced sampling"}],
            "fairnessAssessments": [{"groupAtRisk": "non-native speakers", "harms": "misclassification", "mitigationStrategy": "evaluation per group"}]
        }
    })
}

fn dataset() -> Value {
    json!({"type": "data", "bom-ref": "reviews", "name": "reviews", "supplier": {"name": "Example Corp"},
           "data": [{"type": "dataset", "name": "reviews", "governance": {"owners": [{"organization": {"name": "Example Corp"}}]}}]})
}

#[test]
fn ml_model_cards_must_be_complete() {
    let sandbox = Sandbox::new();
    let module = common::fixture("app");
    sandbox.write("dist/app.wasm", &module);
    let digest = sha256(&module);
    write_json(
        &sandbox,
        "dist/app.wasm.cdx.json",
        &cyclonedx(
            &digest,
            json!([model_component(complete_card()), dataset()]),
        ),
    );
    let (code, report, _) = check_json(&sandbox, &["--no-compress"]);
    assert_eq!(code, 0, "{report:#?}");

    let mut card = complete_card();
    card["considerations"]
        .as_object_mut()
        .unwrap()
        .remove("fairnessAssessments");
    write_json(
        &sandbox,
        "dist/app.wasm.cdx.json",
        &cyclonedx(&digest, json!([model_component(card), dataset()])),
    );
    let (code, report, _) = check_json(&sandbox, &["--no-compress"]);
    assert_eq!(code, 1);
    let incomplete = common::finding(&report, "model-card-incomplete");
    assert_eq!(
        incomplete.details.as_ref().unwrap()["missing"],
        json!(["fairness"])
    );
    assert!(incomplete.message.contains("fairness"));

    // No card at all, and a dataset reference that resolves to nothing.
    let mut no_card = model_component(Value::Null);
    no_card.as_object_mut().unwrap().remove("modelCard");
    let mut dangling = complete_card();
    dangling["modelParameters"]["datasets"] = json!([{"ref": "missing"}]);
    let mut second = model_component(dangling);
    second["bom-ref"] = json!("model-2");
    write_json(
        &sandbox,
        "dist/app.wasm.cdx.json",
        &cyclonedx(&digest, json!([no_card, second])),
    );
    let (_, report, _) = check_json(&sandbox, &["--no-compress"]);
    let missing: Vec<Value> = report
        .findings
        .iter()
        .filter(|f| f.code == "model-card-incomplete")
        .map(|f| f.details.as_ref().unwrap()["missing"].clone())
        .collect();
    assert!(
        missing.contains(&json!([
            "datasets",
            "ethics",
            "fairness",
            "limitations",
            "model-card"
        ])),
        "{missing:?}"
    );
    assert!(
        missing.contains(&json!(["dataset-provenance"])),
        "{missing:?}"
    );
}

fn wat_bytes(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("\\{b:02x}")).collect()
}

fn position(haystack: &[u8], needle: &[u8]) -> usize {
    haystack
        .windows(needle.len())
        .position(|w| w == needle)
        .unwrap()
}

/// A model component of the test SBOM: complete card, one name, and a hash or a size.
fn model(name: &str, sha: Option<&str>, size: Option<usize>) -> Value {
    let mut component = model_component(complete_card());
    component["bom-ref"] = json!(name);
    component["name"] = json!(name);
    if let Some(sha) = sha {
        component["hashes"] = json!([{"alg": "SHA-256", "content": sha}]);
    }
    if let Some(size) = size {
        component["properties"] = json!([{"name": "wasmgate:size", "value": size.to_string()}]);
    }
    component
}

/// Models anywhere in a data segment (two back to back, the first 34 bytes in) and in a
/// custom section, each needing its own component: by SHA-256, or by name and size.
#[test]
fn embedded_models_must_be_declared() {
    let sandbox = Sandbox::new();
    let mut first = b"GGUF\x03\x00\x00\x00".to_vec();
    first.resize(3000, 1);
    let mut second = b"GGUF\x02\x00\x00\x00".to_vec();
    second.resize(3000, 2);
    let mut tflite = 16u32.to_le_bytes().to_vec();
    tflite.extend_from_slice(b"TFL3");
    tflite.resize(2048, 3);
    let mut segment = vec![0x55; 34];
    segment.extend_from_slice(&first);
    segment.extend_from_slice(&second);
    let module = wat::parse_str(format!(
        "(module (memory 1) (data (i32.const 0) \"{}\") (@custom \"model.tflite\" \"{}\"))",
        wat_bytes(&segment),
        wat_bytes(&tflite),
    ))
    .unwrap();
    sandbox.write("dist/app.wasm", &module);
    let (code, report, _) = check_json(&sandbox, &["--no-compress"]);
    assert_eq!(code, 1);
    let mut found: Vec<(String, u64, u64, String)> = report
        .findings
        .iter()
        .filter(|f| f.code == "undeclared-model")
        .map(|f| {
            let d = f.details.as_ref().unwrap();
            (
                d["location"].as_str().unwrap().to_string(),
                d["offset"].as_u64().unwrap(),
                d["size"].as_u64().unwrap(),
                d["sha256"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    found.sort();
    let at = |bytes: &[u8]| position(&module, bytes) as u64;
    let mut want = vec![
        (
            "custom section model.tflite".to_string(),
            at(&tflite),
            2048,
            sha256(&tflite),
        ),
        (
            "data segment 0+34".to_string(),
            at(&first),
            3000,
            sha256(&first),
        ),
        (
            "data segment 0+3034".to_string(),
            at(&second),
            3000,
            sha256(&second),
        ),
    ];
    want.sort();
    assert_eq!(found, want);
    // One component declares one payload, whichever hash it has.
    let declare = |components: Value| {
        write_json(
            &sandbox,
            "dist/app.wasm.cdx.json",
            &cyclonedx(&sha256(&module), components),
        );
        check_json(&sandbox, &["--no-compress"])
    };
    let (code, report, _) = declare(json!([
        model("first", Some(&sha256(&first)), None),
        dataset()
    ]));
    assert_eq!(code, 1);
    let left: Vec<_> = report
        .findings
        .iter()
        .filter(|f| f.code == "undeclared-model")
        .map(|f| {
            f.details.as_ref().unwrap()["sha256"]
                .as_str()
                .unwrap()
                .to_string()
        })
        .collect();
    assert_eq!(left.len(), 2);
    assert!(!left.contains(&sha256(&first)), "{left:?}");
    // By name and size: the size must be the payload's.
    let all = |size: usize| {
        json!([
            model("first", Some(&sha256(&first)), None),
            model("second", Some(&sha256(&second)), None),
            model("model.tflite", None, Some(size)),
            dataset()
        ])
    };
    let (code, report, _) = declare(all(2047));
    assert_eq!(code, 1);
    let undeclared = common::finding(&report, "undeclared-model");
    assert!(
        undeclared.message.contains("model.tflite"),
        "{}",
        undeclared.message
    );
    assert!(
        undeclared
            .message
            .contains("wasmgate:size property of 2048"),
        "{}",
        undeclared.message
    );
    let (code, report, _) = declare(all(tflite.len()));
    assert_eq!(code, 0, "{report:#?}");
}

#[test]
fn required_sboms_and_mapped_files() {
    let sandbox = Sandbox::new();
    let module = common::fixture("app");
    sandbox.write("dist/app.wasm", &module);
    sandbox.write("wasmgate.toml", "[sbom]\nrequired = [\"dist/**\"]\n");
    let (code, report, _) = check_json(&sandbox, &["--no-compress"]);
    assert_eq!(code, 1);
    assert!(has(&report, "sbom-missing", Some("dist/app.wasm")));
    write_json(
        &sandbox,
        "sboms/app.json",
        &cyclonedx(&sha256(&module), json!([])),
    );
    sandbox.write(
        "wasmgate.toml",
        "[sbom]\nrequired = [\"dist/**\"]\n\n[sbom.files]\n\"dist/*.wasm\" = \"sboms/app.json\"\n",
    );
    let (code, report, _) = check_json(&sandbox, &["--no-compress"]);
    assert_eq!(code, 0, "{report:#?}");
}

fn sandbox_with_crate() -> Sandbox {
    let sandbox = Sandbox::new();
    let fixture = common::repo().join("fixtures/sbom/hello-crate");
    for file in ["Cargo.toml", "Cargo.lock", "src/lib.rs"] {
        sandbox.write(
            &format!("crate/{file}"),
            std::fs::read(fixture.join(file)).unwrap(),
        );
    }
    sandbox
}

#[test]
fn the_cargo_graph_is_compared_with_the_sbom() {
    let sandbox = sandbox_with_crate();
    let module = common::fixture("app");
    sandbox.write("dist/app.wasm", &module);
    sandbox.write(
        "wasmgate.toml",
        "[sbom]\ncargo_manifest = \"crate/Cargo.toml\"\nlicenses_allow = [\"Zlib\"]\n",
    );
    let itoa = json!({"type": "library", "name": "itoa", "version": "1.0.18", "purl": "pkg:cargo/itoa@1.0.18"});
    let serde = json!({"type": "library", "name": "serde", "version": "1.0.200", "purl": "pkg:cargo/serde@1.0.200"});
    write_json(
        &sandbox,
        "dist/app.wasm.cdx.json",
        &cyclonedx(&sha256(&module), json!([itoa, serde])),
    );
    let document = common::facts(&sandbox, &["--no-compress"]);
    let cargo = &document["cargo"];
    assert_eq!(cargo["root"], "hello-crate");
    assert_eq!(cargo["packages"][0]["name"], "itoa");
    let (code, report, stderr) = check_json(&sandbox, &["--no-compress"]);
    assert_eq!(code, 1, "{stderr}");
    let absent = common::detail_values(&report, "sbom-dependency-absent", "name");
    assert_eq!(absent, ["serde"]);
    // itoa has no license in the SBOM; Cargo.toml says MIT OR Apache-2.0, which Zlib-only refuses.
    let denied = common::finding(&report, "license-denied");
    assert!(
        denied.message.contains("per Cargo.toml"),
        "{}",
        denied.message
    );

    write_json(
        &sandbox,
        "dist/app.wasm.cdx.json",
        &cyclonedx(&sha256(&module), json!([])),
    );
    let (_, report, _) = check_json(&sandbox, &["--no-compress"]);
    assert_eq!(
        common::detail_values(&report, "sbom-dependency-undeclared", "name"),
        ["itoa"]
    );

    sandbox.write(
        "wasmgate.toml",
        "[sbom]\ncargo_manifest = \"nowhere/Cargo.toml\"\n",
    );
    let (code, _, stderr) = common::run(sandbox.cmd().args(["check", "--no-compress"]));
    assert_eq!(code, 2, "{stderr}");
    assert!(stderr.contains("wasmgate::sbom::cargo"), "{stderr}");
}

/// The SBOM a published package ships (the `cryptography` wheel, PEP 770) is read as it is.
#[test]
fn an_sbom_shipped_inside_a_published_package_is_read() {
    let sandbox = Sandbox::new();
    sandbox.wasm("dist/app.wasm", "app");
    let sbom =
        std::fs::read(common::repo().join("fixtures/sbom/cryptography-48.0.0.cdx.json")).unwrap();
    sandbox.write("dist/app.wasm.cdx.json", &sbom);
    let document = common::facts(&sandbox, &["--no-compress"]);
    let facts = &document["artifacts"][0]["sbom"];
    assert_eq!(facts["format"], "cyclonedx");
    assert_eq!(facts["spec_version"], "1.5");
    assert_eq!(facts["problems"], json!([]));
    assert!(!facts["components"].as_array().unwrap().is_empty());
}

#[test]
fn spdx_structure_problems_name_the_json_pointer() {
    let sandbox = Sandbox::new();
    let module = common::fixture("app");
    sandbox.write("dist/app.wasm", &module);
    let document = json!({
        "spdxVersion": "SPDX-2.3",
        "dataLicense": "CC0-1.0",
        "SPDXID": "SPDXRef-DOCUMENT",
        "name": "app",
        "documentNamespace": "https://example.com/app",
        "creationInfo": {"created": "yesterday", "creators": []},
        "packages": [{"SPDXID": "app package", "name": "app",
                      "checksums": [{"algorithm": "SHA-257", "checksumValue": sha256(&module)}],
                      "primaryPackagePurpose": "GADGET"}],
        "relationships": [{"spdxElementId": "SPDXRef-DOCUMENT", "relationshipType": "LIKES", "relatedSpdxElement": "SPDXRef-x"}]
    });
    write_json(&sandbox, "dist/app.wasm.spdx.json", &document);
    let facts = common::facts(&sandbox, &["--no-compress"]);
    let mut pointers: Vec<String> = facts["artifacts"][0]["sbom"]["problems"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["pointer"].as_str().unwrap().to_string())
        .collect();
    pointers.sort();
    assert_eq!(
        pointers,
        [
            "/creationInfo/created",
            "/creationInfo/creators",
            "/packages/0/SPDXID",
            "/packages/0/checksums/0/algorithm",
            "/packages/0/downloadLocation",
            "/packages/0/primaryPackagePurpose",
            "/relationships/0/relationshipType",
        ]
    );
    let (code, report, _) = check_json(&sandbox, &["--no-compress"]);
    assert_eq!(code, 1);
    assert!(has(&report, "sbom-invalid", Some("dist/app.wasm")));
}

/// See issue 10: a component with no license at all used to pass `licenses_allow`.
#[test]
fn a_component_without_a_license_fails_licenses_allow_unless_configured() {
    let sandbox = Sandbox::new();
    let module = common::fixture("app");
    sandbox.write("dist/app.wasm", &module);
    let components = json!([
        {"type": "library", "name": "bare", "version": "1"},
        {"type": "library", "name": "mit", "version": "1", "licenses": [{"expression": "MIT"}]}
    ]);
    write_json(
        &sandbox,
        "dist/app.wasm.cdx.json",
        &cyclonedx(&sha256(&module), components),
    );
    let outcomes = [("", 1, "deny"), ("unlicensed = \"warn\"\n", 0, "warn")];
    for (setting, exit, severity) in outcomes {
        sandbox.write(
            "wasmgate.toml",
            format!("[sbom]\nlicenses_allow = [\"MIT\"]\n{setting}"),
        );
        let (code, report, stderr) = check_json(&sandbox, &["--no-compress"]);
        assert_eq!(code, exit, "{setting}: {stderr}");
        let finding = common::finding(&report, "license-denied");
        assert_eq!(finding.severity.as_str(), severity);
        assert_eq!(finding.details.as_ref().unwrap()["component"], "bare");
    }
    sandbox.write(
        "wasmgate.toml",
        "[sbom]\nlicenses_allow = [\"MIT\"]\nunlicensed = \"allow\"\n",
    );
    let (code, report, _) = check_json(&sandbox, &["--no-compress"]);
    assert_eq!(code, 0);
    assert!(!common::has(&report, "license-denied", None));
}

/// cargo-cyclonedx's default output (CycloneDX 1.3, describing the crate) is valid but names no
/// artifact; `sbom bind` makes it describe the built module, deterministically, and the
/// binding survives signing (the digest without the signature section is recorded too).
#[test]
fn sbom_bind_makes_a_real_producers_sbom_describe_the_artifact() {
    let sandbox = Sandbox::new();
    let module = common::fixture("app");
    sandbox.write("dist/app.wasm", &module);
    let produced =
        std::fs::read(common::repo().join("fixtures/sbom/hello-crate/hello-crate.cdx13.json"))
            .unwrap();
    sandbox.write("dist/app.wasm.cdx.json", &produced);
    let document = common::facts(&sandbox, &["--no-compress"]);
    let facts = &document["artifacts"][0]["sbom"];
    assert_eq!(facts["spec_version"], "1.3");
    assert_eq!(
        facts["problems"],
        json!([]),
        "1.3 validates against its schema"
    );
    let (code, report, _) = check_json(&sandbox, &["--no-compress"]);
    assert_eq!(code, 1);
    assert!(has(&report, "sbom-digest-mismatch", Some("dist/app.wasm")));

    let (code, stdout, stderr) =
        run(sandbox
            .cmd()
            .args(["sbom", "bind", "dist/app.wasm", "dist/app.wasm.cdx.json"]));
    assert_eq!(code, 0, "{stderr}");
    assert!(stdout.contains(&sha256(&module)), "{stdout}");
    let bound = std::fs::read(sandbox.path().join("dist/app.wasm.cdx.json")).unwrap();
    let bound_json: Value = serde_json::from_slice(&bound).unwrap();
    assert_eq!(
        bound_json["metadata"]["component"]["hashes"],
        json!([{"alg": "SHA-256", "content": sha256(&module)}])
    );
    assert_eq!(
        bound_json["components"],
        serde_json::from_slice::<Value>(&produced).unwrap()["components"]
    );
    let (code, report, _) = check_json(&sandbox, &["--no-compress"]);
    assert!(
        !has(&report, "sbom-digest-mismatch", None) && !has(&report, "sbom-invalid", None),
        "{report:#?}"
    );
    assert_eq!(code, 0, "{report:#?}");
    // Binding again changes nothing.
    run(sandbox
        .cmd()
        .args(["sbom", "bind", "dist/app.wasm", "dist/app.wasm.cdx.json"]));
    assert_eq!(
        std::fs::read(sandbox.path().join("dist/app.wasm.cdx.json")).unwrap(),
        bound
    );
    // Signed after binding: bound through the digest without the signature section.
    run(sandbox
        .cmd()
        .args(["keygen", "--secret-key", "k.key", "--public-key", "k.pub"]));
    let (code, _, stderr) = run(sandbox.cmd().args(["sign", "-k", "k.key", "dist/app.wasm"]));
    assert_eq!(code, 0, "{stderr}");
    let (_, report, _) = check_json(&sandbox, &["--no-compress"]);
    assert!(!has(&report, "sbom-digest-mismatch", None), "{report:#?}");
    // Bound while signed: both digests, the artifact's first.
    let (code, _, stderr) = run(sandbox.cmd().args([
        "sbom",
        "bind",
        "dist/app.wasm",
        "dist/app.wasm.cdx.json",
        "-o",
        "signed.cdx.json",
    ]));
    assert_eq!(code, 0, "{stderr}");
    let signed: Value =
        serde_json::from_slice(&std::fs::read(sandbox.path().join("signed.cdx.json")).unwrap())
            .unwrap();
    let signed_bytes = std::fs::read(sandbox.path().join("dist/app.wasm")).unwrap();
    assert_eq!(
        signed["metadata"]["component"]["hashes"],
        json!([
            {"alg": "SHA-256", "content": sha256(&signed_bytes)},
            {"alg": "SHA-256", "content": sha256(&module)},
        ])
    );
    // Neither CycloneDX nor SPDX: refused, the file untouched.
    sandbox.write("other.json", "{\"hello\": 1}");
    let (code, _, stderr) =
        run(sandbox
            .cmd()
            .args(["sbom", "bind", "dist/app.wasm", "other.json"]));
    assert_eq!(code, 2);
    assert!(stderr.contains("wasmgate::sbom::bind"), "{stderr}");
    assert_eq!(
        std::fs::read(sandbox.path().join("other.json")).unwrap(),
        b"{\"hello\": 1}"
    );
}

#[test]
fn sbom_bind_writes_the_described_spdx_packages_checksums() {
    let sandbox = Sandbox::new();
    let module = common::fixture("app");
    sandbox.write("dist/app.wasm", &module);
    write_json(
        &sandbox,
        "dist/app.wasm.spdx.json",
        &json!({
            "spdxVersion": "SPDX-2.3", "dataLicense": "CC0-1.0", "SPDXID": "SPDXRef-DOCUMENT",
            "name": "app", "documentNamespace": "https://example.com/spdx/app",
            "creationInfo": {"created": "2026-01-01T00:00:00Z", "creators": ["Tool: hand"]},
            "documentDescribes": ["SPDXRef-app"],
            "packages": [{"SPDXID": "SPDXRef-app", "name": "app", "downloadLocation": "NOASSERTION",
                          "checksums": [{"algorithm": "SHA1", "checksumValue": "da39a3ee5e6b4b0d3255bfef95601890afd80709"},
                                        {"algorithm": "SHA256", "checksumValue": "00"}]}]
        }),
    );
    let (code, _, stderr) =
        run(sandbox
            .cmd()
            .args(["sbom", "bind", "dist/app.wasm", "dist/app.wasm.spdx.json"]));
    assert_eq!(code, 0, "{stderr}");
    let bound: Value = serde_json::from_slice(
        &std::fs::read(sandbox.path().join("dist/app.wasm.spdx.json")).unwrap(),
    )
    .unwrap();
    assert_eq!(
        bound["packages"][0]["checksums"],
        json!([
            {"algorithm": "SHA1", "checksumValue": "da39a3ee5e6b4b0d3255bfef95601890afd80709"},
            {"algorithm": "SHA256", "checksumValue": sha256(&module)},
        ])
    );
    let (_, report, _) = check_json(&sandbox, &["--no-compress"]);
    assert!(!has(&report, "sbom-digest-mismatch", None), "{report:#?}");
}
