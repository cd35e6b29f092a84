//! Decision attestations end to end: `check --attest` writes a DSSE envelope over an in-toto
//! Statement, `verify-attestation` answers 0 / 1 / 2, and securesystemslib (a standard DSSE
//! implementation) verifies what wasmgate writes and writes what wasmgate verifies.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::print_stdout)]

mod common;

use base64::Engine as _;
use common::{GitRepo, run};
use serde_json::Value;
use sha2::{Digest, Sha256};

fn sha256(bytes: &[u8]) -> String {
    Sha256::digest(bytes)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// A repository with two artifacts, one over its budget, and a gate key pair (PEM).
fn repository() -> GitRepo {
    let repo = GitRepo::new();
    let app = common::fixture("app");
    let big = common::module_with_data(4096, 7);
    repo.commit(
        "init",
        &[
            ("dist/app.wasm", &app),
            ("dist/big.wasm", &big),
            (
                "wasmgate.toml",
                b"[[budgets]]\nartifacts = \"dist/big.wasm\"\nraw = 1024\n",
            ),
        ],
    );
    let (code, _, stderr) = run(repo.cmd().args([
        "keygen",
        "--pem",
        "--secret-key",
        "gate.key",
        "--public-key",
        "gate.pub",
    ]));
    assert_eq!(code, 0, "{stderr}");
    repo
}

fn attest(repo: &GitRepo, file: &str, extra: &[&str]) -> (i32, Value) {
    let mut args = vec![
        "check",
        "--no-compress",
        "--format",
        "json",
        "--attest",
        file,
        "--attest-key",
        "gate.key",
    ];
    args.extend_from_slice(extra);
    let (code, stdout, stderr) = run(repo.cmd().args(&args));
    assert!(code < 2, "{stderr}");
    (code, serde_json::from_str(&stdout).unwrap())
}

fn verify(repo: &GitRepo, args: &[&str]) -> (i32, String, String) {
    let mut all = vec!["verify-attestation", "-K", "gate.pub"];
    all.extend_from_slice(args);
    run(repo.cmd().args(&all))
}

fn read_statement(repo: &GitRepo, file: &str) -> (Value, Value) {
    let envelope: Value =
        serde_json::from_slice(&std::fs::read(repo.path().join(file)).unwrap()).unwrap();
    let payload = base64::engine::general_purpose::STANDARD
        .decode(envelope["payload"].as_str().unwrap())
        .unwrap();
    (envelope, serde_json::from_slice(&payload).unwrap())
}

#[test]
fn check_attests_its_decision_and_verify_says_what_holds() {
    let repo = repository();
    let (code, report) = attest(&repo, "decision.json", &[]);
    assert_eq!(code, 1, "dist/big.wasm is over its budget");
    let (envelope, statement) = read_statement(&repo, "decision.json");
    assert_eq!(envelope["payloadType"], "application/vnd.in-toto+json");
    assert_eq!(statement["_type"], "https://in-toto.io/Statement/v1");
    assert_eq!(
        statement["predicateType"],
        "https://wasmgate.dev/attestation/decision/v1"
    );
    // Every artifact is a subject, by the digest of its bytes.
    let app = std::fs::read(repo.path().join("dist/app.wasm")).unwrap();
    let big = std::fs::read(repo.path().join("dist/big.wasm")).unwrap();
    assert_eq!(
        statement["subject"],
        serde_json::json!([
            {"name": "dist/app.wasm", "digest": {"sha256": sha256(&app)}},
            {"name": "dist/big.wasm", "digest": {"sha256": sha256(&big)}},
        ])
    );
    let decision = &statement["predicate"];
    assert_eq!(decision["verdict"], "fail");
    assert_eq!(decision["counts"]["deny"], report["summary"]["deny"]);
    assert_eq!(decision["codes"]["deny"]["size-budget-exceeded"], 1);
    assert_eq!(decision["gate"]["digest"], report["gate"]["digest"]);
    assert_eq!(decision["git"]["head"], report["git"]["head"]);
    assert_eq!(decision["input_schema"], "wasmgate.input/v1");
    assert!(decision.get("time").is_none());
    // Deterministic: the same inputs, the same bytes.
    attest(&repo, "again.json", &[]);
    assert_eq!(
        std::fs::read(repo.path().join("decision.json")).unwrap(),
        std::fs::read(repo.path().join("again.json")).unwrap()
    );
    let (_, timed) = {
        attest(&repo, "timed.json", &["--attest-time"]);
        read_statement(&repo, "timed.json")
    };
    assert!(timed["predicate"]["time"].as_str().unwrap().ends_with('Z'));

    // Valid and satisfied.
    let digest = report["gate"]["digest"].as_str().unwrap();
    let (code, stdout, stderr) = verify(
        &repo,
        &[
            "--artifact",
            "dist/app.wasm",
            "--require-verdict",
            "fail",
            "--policy-digest",
            digest,
            "decision.json",
        ],
    );
    assert_eq!(code, 0, "{stdout}{stderr}");
    assert!(
        stdout.contains("over 2 subject(s): verdict fail"),
        "{stdout}"
    );
    // Valid, not satisfied: a verdict, a digest, bytes that are not a subject.
    std::fs::write(repo.path().join("other.wasm"), b"\0asm\x01\0\0\0").unwrap();
    for (args, says) in [
        (
            vec!["--require-verdict", "pass"],
            "the verdict is fail, not pass",
        ),
        (vec!["--policy-digest", "sha256:00"], "not sha256:00"),
        (vec!["--artifact", "other.wasm"], "other.wasm (sha256"),
    ] {
        let mut all = args.clone();
        all.push("decision.json");
        let (code, stdout, _) = verify(&repo, &all);
        assert_eq!(code, 1, "{args:?}: {stdout}");
        assert!(stdout.contains(says), "{stdout}");
    }
}

#[test]
fn a_changed_envelope_or_the_wrong_key_is_unusable() {
    let repo = repository();
    attest(&repo, "decision.json", &[]);
    let original = std::fs::read(repo.path().join("decision.json")).unwrap();
    // One byte of the payload, of the signature, of the payload type.
    let (envelope, _) = read_statement(&repo, "decision.json");
    let payload = envelope["payload"].as_str().unwrap();
    let sig = envelope["signatures"][0]["sig"].as_str().unwrap();
    let flip = |text: &str, at: usize| {
        let mut bytes = text.as_bytes().to_vec();
        bytes[at] = if bytes[at] == b'A' { b'B' } else { b'A' };
        String::from_utf8(bytes).unwrap()
    };
    let text = String::from_utf8(original.clone()).unwrap();
    for changed in [
        text.replace(payload, &flip(payload, 40)),
        text.replace(sig, &flip(sig, 10)),
        text.replace("in-toto+json", "in-toto+jsoN"),
        text.replace('{', "["),
    ] {
        std::fs::write(repo.path().join("changed.json"), &changed).unwrap();
        let (code, _, stderr) = verify(&repo, &["changed.json"]);
        assert_eq!(code, 2, "{stderr}");
        assert!(
            stderr.contains("wasmgate::attestation::unusable"),
            "{stderr}"
        );
    }
    // Another key.
    let (code, _, stderr) = run(repo.cmd().args([
        "keygen",
        "--pem",
        "--secret-key",
        "other.key",
        "--public-key",
        "other.pub",
    ]));
    assert_eq!(code, 0, "{stderr}");
    let (code, _, stderr) =
        run(repo
            .cmd()
            .args(["verify-attestation", "-K", "other.pub", "decision.json"]));
    assert_eq!(code, 2);
    assert!(stderr.contains("no signature verifies"), "{stderr}");
    // An attestation is never written for a run that could not decide, nor with a bad key.
    std::fs::write(repo.path().join("bad.key"), b"not a key").unwrap();
    let (code, _, stderr) =
        run(repo
            .cmd()
            .args(["check", "--attest", "x.json", "--attest-key", "bad.key"]));
    assert_eq!(code, 2, "{stderr}");
    assert!(!repo.path().join("x.json").exists());
}

/// securesystemslib's DSSE verifies wasmgate's envelope with the public key alone (its key id
/// computed here, as wasmgate documents it), and signs a Statement that wasmgate verifies.
#[test]
fn a_standard_dsse_implementation_agrees_both_ways() {
    let Some(sslib) = std::env::var_os("WASMGATE_SSLIB_PY") else {
        common::skip("securesystemslib (WASMGATE_SSLIB_PY; .ci/run installs it)");
        return;
    };
    let repo = repository();
    attest(&repo, "decision.json", &[]);
    let script = r#"
import hashlib, json, sys
sys.path.insert(0, sys.argv[1])
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from securesystemslib.dsse import Envelope
from securesystemslib.signer import CryptoSigner, SSlibKey

public = serialization.load_pem_public_key(open("gate.pub", "rb").read())
raw = public.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
key = SSlibKey(hashlib.sha256(raw).hexdigest(), "ed25519", "ed25519", {"public": raw.hex()})
envelope = Envelope.from_dict(json.load(open("decision.json")))
verified = envelope.verify([key], 1)
assert list(verified) == [key.keyid], verified
statement = json.loads(envelope.pae().split(b" ", 4)[4])
assert statement["predicate"]["verdict"] == "fail"

# The other way: the same Statement signed by securesystemslib with its own key.
private = Ed25519PrivateKey.generate()
signer = CryptoSigner(private)
theirs = Envelope(envelope.payload, envelope.payload_type, {})
theirs.sign(signer)
json.dump(theirs.to_dict(), open("theirs.json", "w"))
open("theirs.pub", "wb").write(private.public_key().public_bytes(
    serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo))
print("ok")
"#;
    let output = std::process::Command::new("python3")
        .current_dir(repo.path())
        .args(["-c", script])
        .arg(&sslib)
        .output()
        .unwrap();
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let (code, stdout, stderr) = run(repo.cmd().args([
        "verify-attestation",
        "-K",
        "theirs.pub",
        "--artifact",
        "dist/big.wasm",
        "theirs.json",
    ]));
    assert_eq!(code, 0, "{stdout}{stderr}");
    // Not the gate's key.
    let (code, _, _) = verify(&repo, &["theirs.json"]);
    assert_eq!(code, 2);
}
