//! The command line end to end: exit codes, help, explain, config errors, discovery, output
//! formats, colour, determinism and the size cache.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::print_stdout)]

mod common;

use common::{Sandbox, check_json, run};
use wasmgate::facts::size::SizeSource;

#[test]
fn help_has_examples_and_exit_status() {
    let sandbox = Sandbox::new();
    for args in [
        vec!["--help"],
        vec!["check", "--help"],
        vec!["facts", "--help"],
    ] {
        let (code, stdout, _) = run(sandbox.cmd().args(&args));
        assert_eq!(code, 0);
        assert!(stdout.contains("Exit status:"), "{args:?}:\n{stdout}");
        if args.len() > 1 {
            assert!(stdout.contains("Examples:"), "{args:?}:\n{stdout}");
        }
    }
    let (_, stdout, _) = run(sandbox.cmd().args(["check", "--help"]));
    for flag in [
        "--policy",
        "--namespace",
        "--all-namespaces",
        "--rego-v0",
        "--no-compress",
        "--format",
        "--config",
        "--color",
        "--quiet",
        "--verbose",
    ] {
        assert!(stdout.contains(flag), "check --help lacks {flag}");
    }
}

#[test]
fn usage_errors_exit_2() {
    let sandbox = Sandbox::new();
    let (code, _, stderr) = run(sandbox.cmd().args(["check", "--format", "yaml"]));
    assert_eq!(code, 2, "{stderr}");
    let (code, _, _) = run(sandbox.cmd().args(["frobnicate"]));
    assert_eq!(code, 2);
}

#[test]
fn explain_known_and_unknown_codes() {
    let sandbox = Sandbox::new();
    let (code, stdout, _) = run(sandbox.cmd().args(["explain", "size-budget-exceeded"]));
    assert_eq!(code, 0);
    assert!(stdout.contains("default severity: deny"));
    assert!(stdout.contains("[[budgets]]"));
    let (code, stdout, _) = run(sandbox.cmd().args(["explain", "--list"]));
    assert_eq!(code, 0);
    for info in wasmgate::diag::codes::CODES {
        assert!(stdout.contains(info.code));
    }
    let (code, _, stderr) = run(sandbox.cmd().args(["explain", "no-such-code"]));
    assert_eq!(code, 2);
    assert!(stderr.contains("unknown code `no-such-code`"), "{stderr}");
}

#[test]
fn no_artifacts_is_exit_2_with_a_hint() {
    let sandbox = Sandbox::new();
    let (code, stdout, stderr) = run(sandbox.cmd().arg("check"));
    assert_eq!(code, 2, "{stdout}");
    assert!(stderr.contains("no wasm artifacts found"), "{stderr}");
    assert!(stderr.contains("an empty gate is not a pass"), "{stderr}");
    let (code, _, stderr) = run(sandbox.cmd().args(["check", "dist/*.wasm"]));
    assert_eq!(code, 2);
    assert!(stderr.contains("no wasm artifacts found"), "{stderr}");
}

#[test]
fn missing_path_and_oversized_file_are_exit_2() {
    let sandbox = Sandbox::new();
    let (code, _, stderr) = run(sandbox.cmd().args(["check", "nope.wasm"]));
    assert_eq!(code, 2);
    assert!(
        stderr.contains("nope.wasm: no such file or directory"),
        "{stderr}"
    );

    sandbox.wasm("dist/app.wasm", "app");
    sandbox.write("wasmgate.toml", "[artifacts]\nmax_size = 16\n");
    let (code, _, stderr) = run(sandbox.cmd().arg("check"));
    assert_eq!(code, 2);
    assert!(stderr.contains("dist/app.wasm is"), "{stderr}");
    assert!(stderr.contains("max_size"), "{stderr}");
}

#[test]
fn json_error_report_on_exit_2() {
    let sandbox = Sandbox::new();
    let (code, report, _) = check_json(&sandbox, &[]);
    assert_eq!(code, 2);
    assert_eq!(report.verdict, wasmgate::report::Verdict::Error);
    let error = report.error.unwrap();
    assert_eq!(
        error.code.as_deref(),
        Some("wasmgate::discover::none_found")
    );
}

#[test]
fn unknown_config_key_is_exit_2_with_a_span() {
    let sandbox = Sandbox::new();
    sandbox.wasm("dist/app.wasm", "app");
    sandbox.write(
        "wasmgate.toml",
        "[memory]\nmax_bytes = \"1 MiB\"\nmax_byets = 3\n",
    );
    let (code, _, stderr) = run(sandbox.cmd().arg("check"));
    assert_eq!(code, 2);
    assert!(stderr.contains("unknown field `max_byets`"), "{stderr}");
    assert!(stderr.contains("wasmgate.toml:3:1"), "{stderr}");

    sandbox.write("wasmgate.toml", "[[budgets]]\ngzip = true\n");
    let (code, _, stderr) = run(sandbox.cmd().arg("check"));
    assert_eq!(code, 2);
    assert!(stderr.contains("wasmgate.toml:2:8"), "{stderr}");

    sandbox.write("wasmgate.toml", "[compression]\nbrotli_quality = 12\n");
    let (code, _, stderr) = run(sandbox.cmd().arg("check"));
    assert_eq!(code, 2);
    assert!(stderr.contains("must be between 0 and"), "{stderr}");
    assert!(stderr.contains("wasmgate.toml:2:18"), "{stderr}");

    sandbox.write("wasmgate.toml", "[[budgets]]\nraw = \"12 parsecs\"\n");
    let (code, _, stderr) = run(sandbox.cmd().arg("check"));
    assert_eq!(code, 2);
    assert!(stderr.contains("unknown size unit"), "{stderr}");
}

#[test]
fn config_is_found_walking_up_and_by_flag() {
    let sandbox = Sandbox::new();
    sandbox.wasm("dist/app.wasm", "app");
    sandbox.write("wasmgate.toml", "[exports]\nmax = 1\n");
    std::fs::create_dir_all(sandbox.path().join("dist/deeper")).unwrap();
    let (code, stdout, _) = run(sandbox
        .cmd()
        .current_dir(sandbox.path().join("dist/deeper"))
        .arg("check"));
    assert_eq!(code, 1, "{stdout}");
    assert!(stdout.contains("exports-too-many"));
    assert!(
        stdout.contains("dist/app.wasm"),
        "paths are relative to the config's directory"
    );

    sandbox.write("other.toml", "[exports]\nmax = 10\n");
    let (code, _, _) = run(sandbox.cmd().args(["check", "--config", "other.toml"]));
    assert_eq!(code, 0);
}

#[test]
fn discovery_of_files_directories_globs_and_defaults() {
    let sandbox = Sandbox::new();
    sandbox.wasm("dist/a.wasm", "app");
    sandbox.wasm("dist/nested/b.wasm", "app");
    sandbox.wasm("pkg/c.wasm", "app");
    sandbox.wasm("target/wasm32-unknown-unknown/release/d.wasm", "app");
    sandbox.wasm(
        "target/wasm32-unknown-unknown/release/deps/d-0123.wasm",
        "app",
    );
    sandbox.wasm("elsewhere/e.wasm", "app");
    sandbox.write("dist/readme.txt", "not an artifact");
    let paths = |args: &[&str]| -> Vec<String> {
        let document = common::facts(&sandbox, &[&["--no-compress"], args].concat());
        document["artifacts"]
            .as_array()
            .unwrap()
            .iter()
            .map(|a| a["path"].as_str().unwrap().to_string())
            .collect()
    };
    assert_eq!(
        paths(&[]),
        [
            "dist/a.wasm",
            "dist/nested/b.wasm",
            "pkg/c.wasm",
            "target/wasm32-unknown-unknown/release/d.wasm"
        ]
    );
    assert_eq!(paths(&["elsewhere/e.wasm"]), ["elsewhere/e.wasm"]);
    assert_eq!(paths(&["dist"]), ["dist/a.wasm", "dist/nested/b.wasm"]);
    assert_eq!(paths(&["dist/*.wasm"]), ["dist/a.wasm"]);
    assert_eq!(
        paths(&["dist/**/*.wasm", "pkg/"]),
        ["dist/a.wasm", "dist/nested/b.wasm", "pkg/c.wasm"]
    );

    sandbox.write(
        "wasmgate.toml",
        "[artifacts]\ninclude = [\"**/*.wasm\"]\nexclude = [\"target/**\", \"dist/nested/**\"]\n",
    );
    assert_eq!(
        paths(&[]),
        ["dist/a.wasm", "elsewhere/e.wasm", "pkg/c.wasm"]
    );
}

#[test]
fn tracked_wasm_is_found_in_a_git_repository() {
    let sandbox = Sandbox::new();
    let repo = git2::Repository::init(sandbox.path()).unwrap();
    sandbox.wasm("assets/tracked.wasm", "app");
    sandbox.wasm("assets/untracked.wasm", "app");
    let mut index = repo.index().unwrap();
    index
        .add_path(std::path::Path::new("assets/tracked.wasm"))
        .unwrap();
    index.write().unwrap();
    let document = common::facts(&sandbox, &["--no-compress"]);
    let paths: Vec<_> = document["artifacts"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a["path"].as_str().unwrap())
        .collect();
    assert_eq!(paths, ["assets/tracked.wasm"]);
}

#[test]
fn output_is_deterministic_and_colour_follows_the_flags() {
    let sandbox = Sandbox::new();
    for name in ["app", "wasi", "debug", "invalid", "component"] {
        sandbox.wasm(&format!("dist/{name}.wasm"), name);
    }
    let first = run(sandbox.cmd().arg("check"));
    let second = run(sandbox.cmd().arg("check"));
    assert_eq!(first.1, second.1);
    assert_eq!(first.0, 1);
    assert!(!first.1.contains('\u{1b}'), "NO_COLOR: no escapes");
    let json_a = run(sandbox.cmd().args(["check", "--format", "json"])).1;
    let json_b = run(sandbox.cmd().args(["check", "--format", "json"])).1;
    assert_eq!(json_a, json_b);
    let (_, coloured, _) = run(sandbox.cmd().args(["check", "--color", "always"]));
    assert!(coloured.contains('\u{1b}'));
    let (_, plain, _) = run(sandbox
        .cmd()
        .env_remove("NO_COLOR")
        .args(["check", "--color", "never"]));
    assert!(!plain.contains('\u{1b}'));
}

#[test]
fn quiet_and_verbose() {
    let sandbox = Sandbox::new();
    sandbox.wasm("dist/wasi.wasm", "wasi");
    let (code, stdout, _) = run(sandbox.cmd().args(["check", "-q"]));
    assert_eq!(code, 0);
    assert_eq!(stdout, "", "quiet and passing: nothing");
    sandbox.wasm("dist/bad.wasm", "invalid");
    let (code, stdout, _) = run(sandbox.cmd().args(["check", "-q"]));
    assert_eq!(code, 1);
    assert!(stdout.contains("wasm-invalid"));
    assert!(!stdout.contains("memory-unbounded"), "quiet hides warnings");
    assert!(
        !stdout.contains("verdict"),
        "no table when failing either: {stdout}"
    );
    assert!(!stdout.contains("wasmgate: FAIL"), "{stdout}");
    assert!(
        stdout.starts_with("wasm-invalid"),
        "nothing but the denial: {stdout}"
    );
    let (_, _, stderr) = run(sandbox.cmd().args(["check", "-v"]));
    assert!(stderr.contains("wasmgate: root"), "{stderr}");
    assert!(stderr.contains("no wasmgate.toml found"), "{stderr}");
}

#[test]
fn human_output_has_table_and_labels_wasm_offsets() {
    let sandbox = Sandbox::new();
    sandbox.wasm("dist/bad.wasm", "invalid");
    sandbox.wasm("dist/app.wasm", "app");
    let (code, stdout, _) = run(sandbox.cmd().arg("check"));
    assert_eq!(code, 1);
    assert!(stdout.contains("artifact"), "{stdout}");
    assert!(stdout.contains("brotli"));
    assert!(
        stdout.contains("dist/bad.wasm (bytes)"),
        "hex snippet of the bad byte:\n{stdout}"
    );
    assert!(
        stdout.contains("wasmgate: FAIL: 2 artifacts, 1 denied"),
        "{stdout}"
    );
}

#[test]
fn compressed_sizes_are_cached_by_content_hash() {
    let sandbox = Sandbox::new();
    sandbox.wasm("dist/app.wasm", "app");
    let sources = |document: &serde_json::Value| {
        let size = &document["artifacts"][0]["size"];
        (
            size["gzip_source"].clone(),
            size["brotli_source"].clone(),
            size["brotli"].clone(),
        )
    };
    let first = sources(&common::facts(&sandbox, &[]));
    assert_eq!(first.0, "computed");
    let second = sources(&common::facts(&sandbox, &[]));
    assert_eq!(
        (second.0.as_str(), second.1.as_str()),
        (Some("cache"), Some("cache"))
    );
    assert_eq!(first.2, second.2);
    // The cache is safe to delete.
    std::fs::remove_dir_all(sandbox.cache_dir()).unwrap();
    assert_eq!(sources(&common::facts(&sandbox, &[])).0, "computed");
}

#[test]
fn matching_compressed_siblings_are_used_and_stale_ones_ignored() {
    use std::io::Write;
    let sandbox = Sandbox::new();
    let bytes = common::fixture("app");
    sandbox.write("dist/app.wasm", &bytes);
    let mut gzip = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::new(1));
    gzip.write_all(&bytes).unwrap();
    let gzip = gzip.finish().unwrap();
    sandbox.write("dist/app.wasm.gz", &gzip);
    let mut brotli = Vec::new();
    {
        let mut writer = brotli::CompressorWriter::new(&mut brotli, 4096, 5, 20);
        writer.write_all(&common::fixture("wasi")).unwrap();
    }
    sandbox.write("dist/app.wasm.br", &brotli);
    let document = common::facts(&sandbox, &["dist/app.wasm"]);
    let size = &document["artifacts"][0]["size"];
    assert_eq!(size["gzip_source"], "sibling");
    assert_eq!(size["gzip"], gzip.len());
    assert_eq!(
        size["brotli_source"], "computed",
        "the .br holds other bytes"
    );
    let parsed: SizeSource = serde_json::from_value(size["brotli_source"].clone()).unwrap();
    assert_eq!(parsed, SizeSource::Computed);
}

/// On a terminal, a progress bar appears once measuring takes over a second. `script` (from
/// util-linux) gives the binary a pseudo-terminal.
#[test]
fn progress_bar_on_a_terminal_only() {
    if std::process::Command::new("script")
        .arg("--version")
        .output()
        .is_err()
    {
        common::skip("`script` (util-linux) is not installed, so no pseudo-terminal");
        return;
    }
    let sandbox = Sandbox::new();
    // Incompressible bytes make brotli quality 11 take seconds.
    let mut state = 0x2545_f491_4f6c_dd1du64;
    let noise: Vec<u8> = (0..1_500_000)
        .map(|_| {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            state as u8
        })
        .collect();
    sandbox.write("big.wasm", &noise);
    let binary = assert_cmd::cargo::cargo_bin("wasmgate");
    let command = format!("{} facts big.wasm > /dev/null", binary.display());
    let output = std::process::Command::new("script")
        .args(["-qec", &command, "/dev/null"])
        .current_dir(sandbox.path())
        .env("WASMGATE_CACHE_DIR", "")
        .output()
        .unwrap();
    let terminal = String::from_utf8_lossy(&output.stdout);
    assert!(
        terminal.contains("measuring"),
        "no progress bar on the terminal: {terminal:?}"
    );
    // Without a terminal, stderr stays clean.
    let (_, _, stderr) = run(sandbox
        .cmd()
        .env("WASMGATE_CACHE_DIR", "")
        .args(["facts", "big.wasm"]));
    assert!(!stderr.contains("measuring"), "{stderr}");
}

/// Every subcommand's `--help`, nested ones too, shows examples.
#[test]
fn every_subcommand_help_has_examples() {
    fn walk(command: &clap::Command, prefix: &mut Vec<String>, missing: &mut Vec<String>) {
        for sub in command.get_subcommands().filter(|s| s.get_name() != "help") {
            prefix.push(sub.get_name().to_string());
            let help = sub.clone().render_long_help().to_string();
            if !help.contains("Examples:") {
                missing.push(prefix.join(" "));
            }
            walk(sub, prefix, missing);
            prefix.pop();
        }
    }
    let mut missing = Vec::new();
    walk(
        &<wasmgate::cli::Args as clap::CommandFactory>::command(),
        &mut Vec::new(),
        &mut missing,
    );
    assert!(missing.is_empty(), "no examples in --help of: {missing:?}");
}

/// `facts` offers the formats it writes, and no `--output` it would ignore.
#[test]
fn facts_offers_only_what_it_writes() {
    let sandbox = common::Sandbox::new();
    sandbox.wasm("dist/app.wasm", "app");
    for args in [
        vec!["facts", "--format", "sarif"],
        vec!["facts", "--output", "json=x.json"],
        vec!["waivers", "--format", "json"],
    ] {
        let (code, _, stderr) = common::run(sandbox.cmd().args(&args));
        assert_eq!(code, 2, "{args:?}: {stderr}");
    }
    let (code, stdout, _) =
        common::run(
            sandbox
                .cmd()
                .args(["facts", "--no-compress", "--format", "human"]),
        );
    assert_eq!(code, 0);
    assert!(stdout.contains("dist/app.wasm"), "{stdout}");
}
