//! Throughput of the expensive stages on a generated module: parse + validate (wasmparser
//! speed), SHA-256, and gzip/brotli. Run with `cargo bench --bench gate` or `bench/run`.
#![allow(clippy::unwrap_used, clippy::print_stdout)]

use std::time::{Duration, Instant};

use sha2::{Digest, Sha256};
use wasmgate::facts::ctx::ArtifactCtx;
use wasmgate::facts::size::{self, SizeOptions};

/// A module with `functions` small functions and a data segment: several MiB of real wasm.
fn generated_module(functions: usize) -> Vec<u8> {
    let mut wat = String::from("(module (memory 17 1024) (global $g (mut i32) (i32.const 0))\n");
    for i in 0..functions {
        wat.push_str(&format!(
            "(func (export \"f{i}\") (param i32 i32) (result i32) (local i64)\n\
             local.get 0 local.get 1 i32.add i32.const {i} i32.mul global.get $g i32.xor\n\
             (if (result i32) (i32.eqz (local.get 0)) (then (i32.const 1)) (else (i32.load offset=16 (local.get 1))))\n\
             i32.add (i64.extend_i32_u) (local.set 2) (i32.wrap_i64 (local.get 2)))\n"
        ));
    }
    wat.push_str("(data (i32.const 1024) \"");
    for i in 0..200_000u32 {
        wat.push_str(&format!(
            "\\{:02x}",
            (i.wrapping_mul(2_654_435_761) >> 24) as u8
        ));
    }
    wat.push_str("\"))");
    wat::parse_str(&wat).unwrap()
}

fn measure(name: &str, bytes: usize, mut run: impl FnMut()) {
    run();
    let mut rounds = 0u32;
    let start = Instant::now();
    while start.elapsed() < Duration::from_secs(2) || rounds < 3 {
        run();
        rounds += 1;
    }
    let each = start.elapsed() / rounds;
    let mib_s = bytes as f64 / (1024.0 * 1024.0) / each.as_secs_f64();
    println!("{name:<28} {each:>12.2?} per run  {mib_s:>9.1} MiB/s");
}

fn main() {
    let module = generated_module(40_000);
    println!(
        "generated module: {} bytes, {} functions, {} threads",
        module.len(),
        40_000,
        rayon::current_num_threads()
    );
    measure("wasm facts (parse+validate)", module.len(), || {
        assert!(wasmgate::facts::wasm::collect(&module).valid);
    });
    measure("sha256", module.len(), || {
        std::hint::black_box(Sha256::digest(&module));
    });
    let no_cache = |gzip_level, brotli_quality| SizeOptions {
        gzip_level,
        brotli_quality,
        cache_dir: None,
        use_siblings: false,
        ..SizeOptions::default()
    };
    let path = std::path::Path::new("bench.wasm");
    let ctx = ArtifactCtx::new(path, "bench.wasm", &module);
    measure("gzip 9 + brotli 5", module.len(), || {
        std::hint::black_box(size::collect(&ctx, &no_cache(9, 5)));
    });
    measure("gzip 9 + brotli 11", module.len(), || {
        std::hint::black_box(size::collect(&ctx, &no_cache(9, 11)));
    });
    let cache = tempfile::tempdir().unwrap();
    let cached = SizeOptions {
        cache_dir: Some(cache.path().to_path_buf()),
        use_siblings: false,
        ..SizeOptions::default()
    };
    size::collect(&ctx, &cached);
    measure("sizes from the cache", module.len(), || {
        std::hint::black_box(size::collect(&ctx, &cached));
    });
}
