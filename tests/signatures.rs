//! Signatures end to end: round trips, every one-byte tampering, wrong keys, truncated and
//! duplicated sections, several signers, components, key formats, a malleated signature,
//! interoperability with the real wasmsign2, and the gate's signature rules.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::print_stdout)]

mod common;

use std::path::Path;

use common::{GitRepo, Sandbox, check_json, has, run};
use ed25519_dalek::SigningKey;
use wasmgate::wasmsig::{self, KnownKey, keys};

fn key(seed: u8) -> SigningKey {
    SigningKey::from_bytes(&[seed; 32])
}

fn known(key: &SigningKey) -> Vec<KnownKey> {
    vec![KnownKey {
        key: key.verifying_key(),
        name: "release.pub".to_string(),
        trusted: true,
    }]
}

fn verified(module: &[u8], detached: Option<&[u8]>, keys: &[KnownKey]) -> bool {
    let inspection = wasmsig::inspect(module, detached, keys);
    inspection.verified_by_trusted(keys) && inspection.misplaced.is_empty()
}

/// Writes a key pair in wasmsign2's format and returns (secret path, public path).
fn key_files(sandbox: &Sandbox, name: &str, seed: u8) -> (String, String) {
    let secret = key(seed);
    let (sk, pk) = (format!("{name}.key"), format!("{name}.pub"));
    sandbox.write(&sk, keys::compact_secret(&secret));
    sandbox.write(&pk, keys::compact_public(&secret.verifying_key()));
    (sk, pk)
}

#[test]
fn flipping_any_single_byte_breaks_the_signature() {
    let signer = key(1);
    let keys = known(&signer);
    let module = common::fixture("app");
    for (detached, key_id) in [(false, true), (false, false), (true, true)] {
        let id = key_id.then(|| keys::key_id(&signer.verifying_key()));
        let signed = wasmsig::sign(&module, &signer, id, detached).unwrap();
        let (target, signature) = if detached {
            (signed.module.clone(), Some(signed.signature.clone()))
        } else {
            (signed.module.clone(), None)
        };
        assert!(verified(&target, signature.as_deref(), &keys));
        for index in 0..target.len() {
            for bit in [0x01u8, 0x80] {
                let mut tampered = target.clone();
                tampered[index] ^= bit;
                assert!(
                    !verified(&tampered, signature.as_deref(), &keys),
                    "module byte {index} ^ {bit:#x} still verifies (detached: {detached})"
                );
            }
        }
        if let Some(signature) = signature {
            for index in 0..signature.len() {
                let mut tampered = signature.clone();
                tampered[index] ^= 0x01;
                assert!(
                    !verified(&target, Some(&tampered), &keys),
                    "signature byte {index} still verifies"
                );
            }
        }
    }
}

#[test]
fn round_trips_through_the_binary_embedded_and_detached() {
    let sandbox = Sandbox::new();
    sandbox.wasm("app.wasm", "app");
    let (sk, pk) = key_files(&sandbox, "release", 2);
    let (code, _, stderr) = run(sandbox.cmd().args([
        "sign",
        "-k",
        &sk,
        "-K",
        &pk,
        "-o",
        "signed.wasm",
        "app.wasm",
    ]));
    assert_eq!(code, 0, "{stderr}");
    let (code, stdout, _) = run(sandbox.cmd().args(["verify", "-K", &pk, "signed.wasm"]));
    assert_eq!(code, 0, "{stdout}");
    assert!(stdout.contains("signature valid"));
    // The signed module is still a valid module.
    assert!(
        wasmgate::facts::wasm::collect(&std::fs::read(sandbox.path().join("signed.wasm")).unwrap())
            .valid
    );

    let (code, _, _) =
        run(sandbox
            .cmd()
            .args(["sign", "-k", &sk, "--detached", "app.wasm.sig", "app.wasm"]));
    assert_eq!(code, 0);
    assert_eq!(
        std::fs::read(sandbox.path().join("app.wasm")).unwrap(),
        common::fixture("app"),
        "detached leaves the module alone"
    );
    let (code, stdout, _) = run(sandbox.cmd().args(["verify", "-K", &pk, "app.wasm"]));
    assert_eq!(code, 0, "the .sig sibling is found: {stdout}");
    assert!(stdout.contains("detached signature"));

    let (_, other) = key_files(&sandbox, "other", 3);
    let (code, stdout, _) = run(sandbox.cmd().args(["verify", "-K", &other, "signed.wasm"]));
    assert_eq!(code, 1, "wrong key: {stdout}");
    sandbox.wasm("plain.wasm", "app");
    let (code, stdout, _) = run(sandbox.cmd().args(["verify", "-K", &pk, "plain.wasm"]));
    assert_eq!(code, 1);
    assert!(stdout.contains("no signature"));
    let (code, _, stderr) = run(sandbox
        .cmd()
        .args(["verify", "-K", "missing.pub", "signed.wasm"]));
    assert_eq!(code, 2, "{stderr}");
}

#[test]
fn truncated_and_duplicated_sections_fail() {
    let signer = key(4);
    let keys = known(&signer);
    let signed = wasmsig::sign(&common::fixture("app"), &signer, None, false)
        .unwrap()
        .module;
    for cut in 8..signed.len() {
        assert!(!verified(&signed[..cut], None, &keys), "truncated at {cut}");
    }
    let sections = wasmsig::format::sections(&signed).unwrap();
    let first = &sections[0];
    // The signature section twice: the second one is misplaced.
    let mut doubled = signed[..first.end].to_vec();
    doubled.extend_from_slice(&signed[first.start..]);
    assert!(!verified(&doubled, None, &keys));
    assert!(!wasmsig::inspect(&doubled, None, &keys).misplaced.is_empty());
    // A content section twice: the hashes no longer match.
    let second = &sections[1];
    let mut repeated = signed[..second.end].to_vec();
    repeated.extend_from_slice(&signed[second.start..]);
    assert!(!verified(&repeated, None, &keys));
}

#[test]
fn several_signers_and_components() {
    let sandbox = Sandbox::new();
    sandbox.wasm("c.wasm", "component");
    let (a_sk, a_pk) = key_files(&sandbox, "a", 5);
    let (b_sk, b_pk) = key_files(&sandbox, "b", 6);
    assert_eq!(
        run(sandbox
            .cmd()
            .args(["sign", "-k", &a_sk, "-K", &a_pk, "c.wasm"]))
        .0,
        0
    );
    assert_eq!(
        run(sandbox.cmd().args(["sign", "-k", &b_sk, "c.wasm"])).0,
        0
    );
    for pk in [&a_pk, &b_pk] {
        let (code, stdout, _) = run(sandbox.cmd().args(["verify", "-K", pk, "c.wasm"]));
        assert_eq!(code, 0, "{stdout}");
    }
    let (code, stdout, _) = run(sandbox.cmd().args(["signatures", "-K", &a_pk, "c.wasm"]));
    assert_eq!(code, 0);
    assert!(stdout.contains("signature 1 (set 1, key id"), "{stdout}");
    assert!(
        stdout.contains("signature 2 (set 1, key id none"),
        "{stdout}"
    );
    let bytes = std::fs::read(sandbox.path().join("c.wasm")).unwrap();
    let facts = wasmgate::facts::wasm::collect(&bytes);
    assert!(facts.valid && facts.kind == Some(wasmgate::facts::wasm::WasmKind::Component));
    let (code, _, stderr) = run(sandbox.cmd().args(["sign", "-k", &b_sk, "c.wasm"]));
    assert_eq!(code, 2, "the same signature twice is refused: {stderr}");
}

#[test]
fn pem_and_openssh_keys() {
    let sandbox = Sandbox::new();
    sandbox.wasm("app.wasm", "app");
    let (code, _, stderr) =
        run(sandbox
            .cmd()
            .args(["keygen", "--pem", "-k", "k.pem", "-K", "k.pub.pem"]));
    assert_eq!(code, 0, "{stderr}");
    assert!(
        std::fs::read_to_string(sandbox.path().join("k.pem"))
            .unwrap()
            .contains("BEGIN PRIVATE KEY")
    );
    assert_eq!(
        run(sandbox.cmd().args(["sign", "-k", "k.pem", "app.wasm"])).0,
        0
    );
    assert_eq!(
        run(sandbox
            .cmd()
            .args(["verify", "-K", "k.pub.pem", "app.wasm"]))
        .0,
        0
    );

    let secret = key(7);
    sandbox.write("ssh.key", keys::compact_secret(&secret));
    let mut blob = Vec::new();
    for field in [b"ssh-ed25519".as_slice(), secret.verifying_key().as_bytes()] {
        blob.extend_from_slice(&(field.len() as u32).to_be_bytes());
        blob.extend_from_slice(field);
    }
    use base64::Engine as _;
    let line = format!(
        "ssh-ed25519 {} ci@example\n",
        base64::engine::general_purpose::STANDARD.encode(&blob)
    );
    sandbox.write("id_ed25519.pub", line);
    sandbox.wasm("b.wasm", "app");
    assert_eq!(
        run(sandbox.cmd().args(["sign", "-k", "ssh.key", "b.wasm"])).0,
        0
    );
    assert_eq!(
        run(sandbox
            .cmd()
            .args(["verify", "-K", "id_ed25519.pub", "b.wasm"]))
        .0,
        0
    );
}

#[test]
fn a_malleated_signature_is_rejected() {
    let signer = key(8);
    let keys = known(&signer);
    let signed = wasmsig::sign(&common::fixture("app"), &signer, None, false).unwrap();
    let data = wasmsig::format::SignatureData::parse(&signed.signature).unwrap();
    let mut malleated = data.clone();
    // S + ℓ: the same point equation holds, but S is no longer canonical.
    const ORDER: [u8; 32] = [
        0xed, 0xd3, 0xf5, 0x5c, 0x1a, 0x63, 0x12, 0x58, 0xd6, 0x9c, 0xf7, 0xa2, 0xde, 0xf9, 0xde,
        0x14, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x10,
    ];
    let signature = &mut malleated.sets[0].signatures[0].signature;
    let mut carry = 0u16;
    for (byte, order) in signature[32..].iter_mut().zip(ORDER) {
        let sum = u16::from(*byte) + u16::from(order) + carry;
        *byte = sum as u8;
        carry = sum >> 8;
    }
    assert!(verified(
        &common::fixture("app"),
        Some(&data.serialize()),
        &keys
    ));
    assert!(!verified(
        &common::fixture("app"),
        Some(&malleated.serialize()),
        &keys
    ));
}

fn wasmsign2() -> Option<std::path::PathBuf> {
    let found = std::process::Command::new("wasmsign2")
        .arg("--version")
        .output()
        .is_ok();
    if !found {
        common::skip("wasmsign2 is not installed (.ci/run installs wasmsign2-cli 0.2.8)");
    }
    found.then(|| "wasmsign2".into())
}

fn wasmsign2_run(dir: &Path, args: &[&str]) -> bool {
    std::process::Command::new("wasmsign2")
        .args(args)
        .current_dir(dir)
        .output()
        .unwrap()
        .status
        .success()
}

#[test]
fn interoperates_with_wasmsign2() {
    if wasmsign2().is_none() {
        return;
    }
    let sandbox = Sandbox::new();
    let dir = sandbox.path();
    for name in ["app", "component", "wasi"] {
        sandbox.wasm(&format!("{name}.wasm"), name);
        assert!(wasmsign2_run(
            dir,
            &["keygen", "-k", "ws.key", "-K", "ws.pub"]
        ));
        // wasmsign2 signs, wasmgate verifies: embedded (with key id) and detached.
        assert!(wasmsign2_run(
            dir,
            &[
                "sign",
                "-k",
                "ws.key",
                "-K",
                "ws.pub",
                "-i",
                &format!("{name}.wasm"),
                "-o",
                "ws.wasm"
            ]
        ));
        let (code, stdout, _) = run(sandbox.cmd().args(["verify", "-K", "ws.pub", "ws.wasm"]));
        assert_eq!(code, 0, "{name}: {stdout}");
        assert!(wasmsign2_run(
            dir,
            &[
                "sign",
                "-k",
                "ws.key",
                "-i",
                &format!("{name}.wasm"),
                "-o",
                "ws2.wasm",
                "-S",
                "ws.sig"
            ]
        ));
        let (code, stdout, _) = run(sandbox.cmd().args([
            "verify",
            "-K",
            "ws.pub",
            "-S",
            "ws.sig",
            &format!("{name}.wasm"),
        ]));
        assert_eq!(code, 0, "{name} detached: {stdout}");
        // wasmgate signs, wasmsign2 verifies: embedded and detached.
        assert_eq!(
            run(sandbox
                .cmd()
                .args(["keygen", "--force", "-k", "wg.key", "-K", "wg.pub"]))
            .0,
            0
        );
        assert_eq!(
            run(sandbox.cmd().args([
                "sign",
                "-k",
                "wg.key",
                "-K",
                "wg.pub",
                "-o",
                "wg.wasm",
                &format!("{name}.wasm")
            ]))
            .0,
            0
        );
        assert!(
            wasmsign2_run(dir, &["verify", "-K", "wg.pub", "-i", "wg.wasm"]),
            "{name}"
        );
        assert_eq!(
            run(sandbox.cmd().args([
                "sign",
                "-k",
                "wg.key",
                "--detached",
                "wg.sig",
                &format!("{name}.wasm")
            ]))
            .0,
            0
        );
        assert!(
            wasmsign2_run(
                dir,
                &[
                    "verify",
                    "-K",
                    "wg.pub",
                    "-i",
                    &format!("{name}.wasm"),
                    "-S",
                    "wg.sig"
                ]
            ),
            "{name} detached"
        );
        // Both signatures on one module, each verifiable by both tools.
        assert_eq!(
            run(sandbox
                .cmd()
                .args(["sign", "-k", "wg.key", "-o", "both.wasm", "ws.wasm"]))
            .0,
            0
        );
        assert!(wasmsign2_run(
            dir,
            &["verify", "-K", "ws.pub", "-i", "both.wasm"]
        ));
        assert!(wasmsign2_run(
            dir,
            &["verify", "-K", "wg.pub", "-i", "both.wasm"]
        ));
        assert!(
            !wasmsign2_run(dir, &["verify", "-K", "wg.pub", "-i", "ws.wasm"]),
            "wasmsign2 rejects the wrong key too"
        );
    }
}

// --- the gate ---

fn gate(config: &str) -> Sandbox {
    let sandbox = Sandbox::new();
    let (_, _) = key_files(&sandbox, "keys/release", 9);
    sandbox.write("wasmgate.toml", config);
    sandbox
}

fn sign_with(sandbox: &Sandbox, seed: u8, path: &str) {
    let signed = wasmsig::sign(
        &std::fs::read(sandbox.path().join(path)).unwrap(),
        &key(seed),
        None,
        false,
    )
    .unwrap();
    sandbox.write(path, signed.module);
}

const TRUSTED: &str = "[signatures]\ntrusted_keys = [\"keys/release.pub\"]\n";

#[test]
fn gate_defaults_unsigned_warns_and_signed_without_keys_is_unverified() {
    let sandbox = gate("");
    sandbox.wasm("dist/app.wasm", "app");
    let (code, report, _) = check_json(&sandbox, &["--no-compress"]);
    assert_eq!(code, 0);
    assert!(has(&report, "signature-missing", Some("dist/app.wasm")));
    sign_with(&sandbox, 9, "dist/app.wasm");
    let (code, report, _) = check_json(&sandbox, &["--no-compress"]);
    assert_eq!(code, 0);
    assert!(has(&report, "signature-unverified", Some("dist/app.wasm")));
    let document = common::facts(&sandbox, &["--no-compress"]);
    assert_eq!(document["artifacts"][0]["signature"]["source"], "embedded");
}

#[test]
fn gate_trusted_untrusted_invalid_and_required() {
    let sandbox = gate(&format!("{TRUSTED}required = [\"dist/**\"]\n"));
    sandbox.wasm("dist/app.wasm", "app");
    let (code, report, _) = check_json(&sandbox, &["--no-compress"]);
    assert_eq!(code, 1);
    let missing = common::finding(&report, "signature-missing");
    assert_eq!(missing.severity, wasmgate::report::Severity::Deny);

    sign_with(&sandbox, 9, "dist/app.wasm");
    let (code, report, _) = check_json(&sandbox, &["--no-compress"]);
    assert_eq!(code, 0, "{report:#?}");
    let document = common::facts(&sandbox, &["--no-compress"]);
    let signature = &document["artifacts"][0]["signature"];
    assert_eq!(signature["verified"], true);
    assert_eq!(signature["signatures"][0]["key"]["trusted"], true);
    assert_eq!(
        signature["signatures"][0]["key"]["fingerprint"],
        keys::fingerprint(&key(9).verifying_key())
    );

    // Modified after signing: append a custom section.
    let mut bytes = std::fs::read(sandbox.path().join("dist/app.wasm")).unwrap();
    bytes.extend_from_slice(&wasmsig::format::custom_section("late", b"x"));
    sandbox.write("dist/app.wasm", &bytes);
    let (code, report, _) = check_json(&sandbox, &["--no-compress"]);
    assert_eq!(code, 1);
    assert!(
        has(&report, "signature-invalid", Some("dist/app.wasm")),
        "{report:#?}"
    );

    // Signed by another key.
    sandbox.wasm("dist/app.wasm", "app");
    sign_with(&sandbox, 10, "dist/app.wasm");
    let (code, report, _) = check_json(&sandbox, &["--no-compress"]);
    assert_eq!(code, 1);
    assert!(has(&report, "signature-untrusted", Some("dist/app.wasm")));
    assert!(!has(&report, "signature-invalid", None));
}

#[test]
fn gate_detached_sibling_partial_misplaced_and_foreign() {
    let sandbox = gate(TRUSTED);
    sandbox.wasm("dist/app.wasm", "app");
    let signed = wasmsig::sign(&common::fixture("app"), &key(9), None, true).unwrap();
    sandbox.write("dist/app.wasm.sig", &signed.signature);
    let (code, report, _) = check_json(&sandbox, &["--no-compress", "dist/app.wasm"]);
    assert_eq!(code, 0, "{report:#?}");
    let document = common::facts(&sandbox, &["--no-compress", "dist/app.wasm"]);
    assert_eq!(
        document["artifacts"][0]["signature"]["detached_path"],
        "app.wasm.sig"
    );

    // A delimiter, then sections added after signing: partial coverage.
    let mut module = common::fixture("app");
    module.extend_from_slice(&wasmsig::format::custom_section(
        "signature_delimiter",
        &[7u8; 16],
    ));
    let mut signed = wasmsig::sign(&module, &key(9), None, false).unwrap().module;
    signed.extend_from_slice(&wasmsig::format::custom_section("added-later", b"data"));
    std::fs::remove_file(sandbox.path().join("dist/app.wasm.sig")).unwrap();
    sandbox.write("dist/app.wasm", &signed);
    let (code, report, _) = check_json(&sandbox, &["--no-compress"]);
    assert_eq!(code, 1);
    assert!(
        has(&report, "signature-partial", Some("dist/app.wasm")),
        "{report:#?}"
    );
    sandbox.write("wasmgate.toml", format!("{TRUSTED}allow_partial = true\n"));
    assert_eq!(check_json(&sandbox, &["--no-compress"]).0, 0);

    // A signature section that is not first, and another tool's `signature` section.
    sandbox.write("wasmgate.toml", TRUSTED);
    let payload = wasmsig::sign(&common::fixture("app"), &key(9), None, true)
        .unwrap()
        .signature;
    let mut misplaced = common::fixture("app");
    misplaced.extend_from_slice(&wasmsig::format::custom_section("signature", &payload));
    sandbox.write("dist/app.wasm", &misplaced);
    let (code, report, _) = check_json(&sandbox, &["--no-compress"]);
    assert_eq!(code, 1);
    assert!(has(&report, "signature-misplaced", Some("dist/app.wasm")));
    let mut foreign = common::fixture("app");
    foreign.extend_from_slice(&wasmsig::format::custom_section(
        "signature",
        b"-----BEGIN PGP SIGNATURE-----",
    ));
    sandbox.write("dist/app.wasm", &foreign);
    let (_, report, _) = check_json(&sandbox, &["--no-compress"]);
    assert!(has(
        &report,
        "signature-foreign-section",
        Some("dist/app.wasm")
    ));
    assert!(has(&report, "signature-missing", Some("dist/app.wasm")));

    // Malformed signature data in the first section.
    let mut malformed = common::fixture("app")[..8].to_vec();
    malformed.extend_from_slice(&wasmsig::format::custom_section(
        "signature",
        &[1, 1, 1, 5, 0xff],
    ));
    malformed.extend_from_slice(&common::fixture("app")[8..]);
    sandbox.write("dist/app.wasm", &malformed);
    let (code, report, _) = check_json(&sandbox, &["--no-compress"]);
    assert_eq!(code, 1);
    assert!(has(&report, "signature-malformed", Some("dist/app.wasm")));
}

#[test]
fn gate_reads_trusted_keys_from_the_merge_base() {
    let git = GitRepo::new();
    key_files(&git.sandbox, "keys/release", 9);
    git.sandbox.write("wasmgate.toml", TRUSTED);
    git.sandbox.wasm("dist/app.wasm", "app");
    sign_with(&git.sandbox, 9, "dist/app.wasm");
    git.commit_all("Signed release");
    git.branch("pr");
    // The PR signs with its own key and swaps the trusted key file for it.
    git.sandbox.wasm("dist/app.wasm", "app");
    sign_with(&git.sandbox, 11, "dist/app.wasm");
    git.sandbox.write(
        "keys/release.pub",
        keys::compact_public(&key(11).verifying_key()),
    );
    git.commit_all("Use my key");
    let (code, report, _) = check_json(&git.sandbox, &["--base", "main", "--no-compress"]);
    assert_eq!(code, 1);
    assert!(has(&report, "signature-untrusted", Some("dist/app.wasm")));
    let change = common::finding(&report, "policy-changed");
    assert!(
        change.message.contains("keys/release.pub"),
        "{}",
        change.message
    );
}

/// Go's linker pads section lengths to five bytes. wasmsign2 signs its canonical re-encoding,
/// so its detached signature for such a module verifies only over that encoding: wasmgate
/// accepts it, and still rejects every one-byte change of the padded file.
#[test]
fn detached_signatures_over_padded_section_lengths() {
    let canonical = common::fixture("app");
    let mut padded = canonical[..8].to_vec();
    for section in wasmsig::format::sections(&canonical).unwrap() {
        let len = section.body.len() as u32;
        padded.push(section.id);
        for shift in [0, 7, 14, 21] {
            padded.push(((len >> shift) & 0x7f) as u8 | 0x80);
        }
        padded.push(((len >> 28) & 0x7f) as u8);
        padded.extend_from_slice(section.body);
    }
    assert_ne!(padded, canonical);
    assert!(wasmgate::facts::wasm::collect(&padded).valid);
    let signer = key(12);
    let keys = known(&signer);
    let signature = wasmsig::sign(&canonical, &signer, None, true)
        .unwrap()
        .signature;
    assert!(verified(&padded, Some(&signature), &keys));
    for index in 0..padded.len() {
        let mut tampered = padded.clone();
        tampered[index] ^= 0x01;
        assert!(
            !verified(&tampered, Some(&signature), &keys),
            "byte {index}"
        );
    }
    if wasmsign2().is_some() {
        let sandbox = Sandbox::new();
        sandbox.write("go.wasm", &padded);
        let dir = sandbox.path();
        assert!(wasmsign2_run(
            dir,
            &["keygen", "-k", "ws.key", "-K", "ws.pub"]
        ));
        assert!(wasmsign2_run(
            dir,
            &[
                "sign",
                "-k",
                "ws.key",
                "-i",
                "go.wasm",
                "-o",
                "go.out.wasm",
                "-S",
                "go.sig"
            ]
        ));
        let (code, stdout, _) = run(sandbox
            .cmd()
            .args(["verify", "-K", "ws.pub", "-S", "go.sig", "go.wasm"]));
        assert_eq!(code, 0, "{stdout}");
        let (code, stdout, _) =
            run(sandbox
                .cmd()
                .args(["verify", "-K", "ws.pub", "-S", "go.sig", "go.out.wasm"]));
        assert_eq!(code, 0, "{stdout}");
    }
}

/// `keygen --pem` writes keys the tools a deploy step has can read: OpenSSL 3 derives the same
/// public key from the secret one, pyca/cryptography loads it, and a key OpenSSL made signs
/// with wasmgate.
#[test]
fn pem_keys_work_with_openssl_and_pyca() {
    let Some(openssl) = which("openssl") else {
        common::skip("openssl (.ci/run installs it)");
        return;
    };
    let sandbox = Sandbox::new();
    let (code, _, stderr) = run(sandbox.cmd().args([
        "keygen",
        "--pem",
        "--secret-key",
        "gate.key",
        "--public-key",
        "gate.pub",
    ]));
    assert_eq!(code, 0, "{stderr}");
    let derived = std::process::Command::new(&openssl)
        .args(["pkey", "-in", "gate.key", "-pubout"])
        .current_dir(sandbox.path())
        .output()
        .unwrap();
    assert!(
        derived.status.success(),
        "{}",
        String::from_utf8_lossy(&derived.stderr)
    );
    assert_eq!(
        String::from_utf8_lossy(&derived.stdout),
        std::fs::read_to_string(sandbox.path().join("gate.pub")).unwrap()
    );
    if let Some(sslib) = std::env::var_os("WASMGATE_SSLIB_PY") {
        let loaded = std::process::Command::new("python3")
            .current_dir(sandbox.path())
            .args([
                "-c",
                "import sys; sys.path.insert(0, sys.argv[1]); from cryptography.hazmat.primitives import serialization; serialization.load_pem_private_key(open('gate.key', 'rb').read(), None)",
            ])
            .arg(&sslib)
            .output()
            .unwrap();
        assert!(
            loaded.status.success(),
            "{}",
            String::from_utf8_lossy(&loaded.stderr)
        );
    } else {
        common::skip("pyca/cryptography (WASMGATE_SSLIB_PY; .ci/run installs it)");
    }
    // The other way: OpenSSL's key signs, its public key verifies.
    for args in [
        vec!["genpkey", "-algorithm", "ed25519", "-out", "ossl.key"],
        vec!["pkey", "-in", "ossl.key", "-pubout", "-out", "ossl.pub"],
    ] {
        let made = std::process::Command::new(&openssl)
            .args(&args)
            .current_dir(sandbox.path())
            .output()
            .unwrap();
        assert!(
            made.status.success(),
            "{}",
            String::from_utf8_lossy(&made.stderr)
        );
    }
    sandbox.wasm("app.wasm", "app");
    let (code, _, stderr) = run(sandbox.cmd().args(["sign", "-k", "ossl.key", "app.wasm"]));
    assert_eq!(code, 0, "{stderr}");
    let (code, stdout, _) = run(sandbox.cmd().args(["verify", "-K", "ossl.pub", "app.wasm"]));
    assert_eq!(code, 0, "{stdout}");
}

fn which(tool: &str) -> Option<std::path::PathBuf> {
    std::env::var_os("PATH").and_then(|paths| {
        std::env::split_paths(&paths)
            .map(|dir| dir.join(tool))
            .find(|candidate| candidate.is_file())
    })
}
