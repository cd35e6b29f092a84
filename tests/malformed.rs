//! Thousands of malformed and invalid modules: wasmgate never panics, never calls valid what
//! the reference validator (wasmparser, every proposal on) rejects, and never rejects what it
//! accepts. Mutations are deterministic, so a failure reproduces.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::print_stdout)]

mod common;

use wasmparser::{Validator, WasmFeatures};

/// xorshift64*: a reproducible stream of mutations without a dependency.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }
}

fn mutate(bytes: &[u8], rng: &mut Rng) -> Vec<u8> {
    let mut out = bytes.to_vec();
    for _ in 0..=rng.below(3) {
        let at = rng.below(out.len());
        match rng.below(5) {
            0 => out[at] ^= 1 << rng.below(8),
            1 => out[at] = rng.next() as u8,
            2 => out.truncate(at),
            3 => out.insert(at, rng.next() as u8),
            _ => {
                out.remove(at.min(out.len().saturating_sub(1)));
            }
        }
        if out.is_empty() {
            break;
        }
    }
    out
}

#[test]
fn mutated_fixtures_agree_with_the_reference_validator() {
    let fixtures = [
        "app",
        "wasi",
        "shared",
        "simd",
        "debug",
        "component",
        "invalid",
    ];
    let mut rng = Rng(0x9e37_79b9_7f4a_7c15);
    let mut rejected = 0;
    let mut total = 0;
    for name in fixtures {
        let original = common::fixture(name);
        for _ in 0..1500 {
            let bytes = mutate(&original, &mut rng);
            let facts = wasmgate::facts::wasm::collect(&bytes);
            let reference = Validator::new_with_features(WasmFeatures::all())
                .validate_all(&bytes)
                .err();
            assert_eq!(
                facts.valid,
                reference.is_none(),
                "{name}: wasmgate says valid={} ({:?}), the reference says {:?}; bytes: {bytes:02x?}",
                facts.valid,
                facts.validation_error,
                reference.as_ref().map(|e| e.to_string())
            );
            if let Some(error) = facts.validation_error {
                assert!(
                    error.offset <= bytes.len() as u64,
                    "{name}: offset past the end"
                );
                assert!(!error.message.is_empty());
                rejected += 1;
            }
            total += 1;
        }
    }
    assert!(
        rejected > total / 2,
        "mutations should mostly break modules: {rejected}/{total}"
    );
}

#[test]
fn malformed_files_fail_the_gate_with_file_and_offset() {
    let sandbox = common::Sandbox::new();
    let original = common::fixture("app");
    let mut rng = Rng(42);
    let mut broken = Vec::new();
    while broken.len() < 20 {
        let bytes = mutate(&original, &mut rng);
        if wasmgate::facts::wasm::collect(&bytes).valid {
            continue;
        }
        let name = format!("dist/m{:02}.wasm", broken.len());
        sandbox.write(&name, &bytes);
        broken.push(name);
    }
    let (code, report, _) = common::check_json(&sandbox, &["--no-compress"]);
    assert_eq!(code, 1);
    for name in &broken {
        let finding = report
            .findings
            .iter()
            .find(|f| f.artifact.as_deref() == Some(name.as_str()) && f.code.starts_with("wasm-"))
            .unwrap_or_else(|| panic!("{name} passed the gate"));
        assert!(finding.offset.is_some(), "{name}: no offset");
    }
}
