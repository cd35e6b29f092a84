//! Every built-in rule, firing and not firing, through the real binary and its JSON report.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::print_stdout)]

mod common;

use common::{Sandbox, check_json, has};
use wasmgate::report::{Severity, Verdict};

fn sandbox_with(fixtures: &[(&str, &str)], config: &str) -> Sandbox {
    let sandbox = Sandbox::new();
    for (path, fixture) in fixtures {
        sandbox.wasm(path, fixture);
    }
    sandbox.write("wasmgate.toml", config);
    sandbox
}

#[test]
fn no_config_clean_module_passes_with_only_warnings() {
    let sandbox = sandbox_with(&[("dist/app.wasm", "app")], "");
    let (code, report, _) = check_json(&sandbox, &[]);
    assert_eq!(code, 0);
    assert_eq!(report.verdict, Verdict::Pass);
    assert!(report.findings.iter().all(|f| f.severity == Severity::Warn));
    assert_eq!(report.artifacts.len(), 1);
    assert_eq!(report.artifacts[0].path, "dist/app.wasm");
}

#[test]
fn wasm_invalid_fires_with_offset_and_not_on_valid_modules() {
    let sandbox = sandbox_with(
        &[("dist/bad.wasm", "invalid"), ("dist/app.wasm", "app")],
        "",
    );
    let (code, report, _) = check_json(&sandbox, &[]);
    assert_eq!(code, 1);
    let finding = common::finding(&report, "wasm-invalid");
    assert_eq!(finding.artifact.as_deref(), Some("dist/bad.wasm"));
    assert_eq!(finding.severity, Severity::Deny);
    assert!(
        finding.message.contains("type mismatch"),
        "{}",
        finding.message
    );
    assert!(finding.offset.unwrap() > 8);
    assert!(!has(&report, "wasm-invalid", Some("dist/app.wasm")));
    assert!(!has(&report, "wasm-malformed", None));
}

#[test]
fn wasm_malformed_fires_for_non_wasm_and_truncated_files() {
    let sandbox = sandbox_with(&[], "");
    sandbox.write("dist/page.wasm", "<!doctype html><title>404</title>");
    let mut truncated = common::fixture("app");
    // Cut inside the code section (a cut at a section boundary would be a valid module).
    truncated.truncate(100);
    sandbox.write("dist/cut.wasm", &truncated);
    sandbox.write("dist/empty.wasm", "");
    let (code, report, _) = check_json(&sandbox, &[]);
    assert_eq!(code, 1);
    for path in ["dist/page.wasm", "dist/cut.wasm", "dist/empty.wasm"] {
        assert!(
            has(&report, "wasm-malformed", Some(path)),
            "{path}: {report:#?}"
        );
    }
    let page = report
        .findings
        .iter()
        .find(|f| f.artifact.as_deref() == Some("dist/page.wasm"))
        .unwrap();
    assert!(
        page.message.contains("not a wasm binary"),
        "{}",
        page.message
    );
    assert_eq!(page.offset, Some(0));
    assert!(!has(&report, "wasm-invalid", None));
}

#[test]
fn size_budget_exceeded_with_config_location_and_within_budget_passes() {
    let app_len = common::fixture("app").len();
    let config = format!(
        "[[budgets]]\nartifacts = \"dist/app.wasm\"\nraw = {}\n\n[[budgets]]\nartifacts = \"dist/*.wasm\"\nraw = {}\n",
        app_len - 1,
        app_len
    );
    let sandbox = sandbox_with(&[("dist/app.wasm", "app")], &config);
    let (code, report, _) = check_json(&sandbox, &[]);
    assert_eq!(code, 1);
    let budget = report
        .findings
        .iter()
        .filter(|f| f.code == "size-budget-exceeded")
        .collect::<Vec<_>>();
    assert_eq!(
        budget.len(),
        1,
        "only the tighter budget fails: {budget:#?}"
    );
    let location = budget[0].location.as_ref().unwrap();
    assert_eq!(
        (location.file.as_str(), location.line),
        ("wasmgate.toml", 3)
    );
    assert_eq!(budget[0].details.as_ref().unwrap()["over"], 1);

    sandbox.write(
        "wasmgate.toml",
        format!("[[budgets]]\nraw = {app_len}\ngzip = \"1 MiB\"\nbrotli = 100000\n"),
    );
    let (code, report, _) = check_json(&sandbox, &[]);
    assert_eq!(code, 0, "{report:#?}");
    assert!(!has(&report, "size-budget-exceeded", None));
}

#[test]
fn compressed_budgets_use_real_sizes_and_warn_when_unchecked() {
    let sandbox = sandbox_with(
        &[("dist/app.wasm", "app")],
        "[[budgets]]\nbrotli = 10\ngzip = 10\n",
    );
    let (code, report, _) = check_json(&sandbox, &[]);
    assert_eq!(code, 1);
    let metrics = common::detail_values(&report, "size-budget-exceeded", "metric");
    assert_eq!(metrics, ["brotli", "gzip"]);
    let (code, report, _) = check_json(&sandbox, &["--no-compress"]);
    assert_eq!(code, 0);
    assert!(has(&report, "size-budget-unchecked", Some("dist/app.wasm")));
    assert_eq!(report.artifacts[0].gzip, None);
}

#[test]
fn import_deny_and_allow_lists() {
    let fixtures = [("dist/wasi.wasm", "wasi"), ("dist/app.wasm", "app")];
    let sandbox = sandbox_with(
        &fixtures,
        "[imports]\ndeny = [\"wasi_snapshot_preview1.proc_*\"]\n",
    );
    let (code, report, _) = check_json(&sandbox, &[]);
    assert_eq!(code, 1);
    let denied: Vec<_> = report
        .findings
        .iter()
        .filter(|f| f.code == "import-denied")
        .collect();
    assert_eq!(denied.len(), 1);
    assert!(
        denied[0]
            .message
            .contains("wasi_snapshot_preview1.proc_exit")
    );

    sandbox.write("wasmgate.toml", "[imports]\nallow = [\"env\"]\n");
    let (code, report, _) = check_json(&sandbox, &[]);
    assert_eq!(code, 1);
    let not_allowed: Vec<_> = report
        .findings
        .iter()
        .filter(|f| f.code == "import-not-allowed")
        .collect();
    assert_eq!(not_allowed.len(), 2, "fd_write and proc_exit");
    assert!(
        not_allowed
            .iter()
            .all(|f| f.artifact.as_deref() == Some("dist/wasi.wasm"))
    );

    sandbox.write(
        "wasmgate.toml",
        "[imports]\nallow = [\"env.log\", \"wasi_snapshot_preview1.*\"]\ndeny = [\"env.fetch\"]\n",
    );
    let (code, report, _) = check_json(&sandbox, &[]);
    assert_eq!(code, 0, "{report:#?}");
}

#[test]
fn component_imports_are_gated_by_interface() {
    let sandbox = sandbox_with(
        &[("dist/c.wasm", "component")],
        "[imports]\ndeny = [\"wasi:cli/environment\"]\n",
    );
    let (code, report, _) = check_json(&sandbox, &[]);
    assert_eq!(code, 1);
    assert!(has(&report, "import-denied", Some("dist/c.wasm")));
    sandbox.write("wasmgate.toml", "[imports]\nallow = [\"wasi:cli/*\"]\n");
    let (code, _, _) = check_json(&sandbox, &[]);
    assert_eq!(code, 0);
}

#[test]
fn wasi_preview1_and_interfaces() {
    let fixtures = [("dist/wasi.wasm", "wasi"), ("dist/c.wasm", "component")];
    let sandbox = sandbox_with(&fixtures, "[wasi]\npreview1 = false\n");
    let (code, report, _) = check_json(&sandbox, &[]);
    assert_eq!(code, 1);
    assert!(has(&report, "wasi-preview1", Some("dist/wasi.wasm")));
    assert!(!has(&report, "wasi-preview1", Some("dist/c.wasm")));

    sandbox.write("wasmgate.toml", "[wasi]\ndeny = [\"wasi:cli/*\"]\n");
    let (code, report, _) = check_json(&sandbox, &[]);
    assert_eq!(code, 1);
    assert!(has(&report, "wasi-interface-denied", Some("dist/c.wasm")));

    sandbox.write("wasmgate.toml", "[wasi]\nallow = [\"wasi:io/*\"]\n");
    let (code, report, _) = check_json(&sandbox, &[]);
    assert_eq!(code, 1);
    assert!(has(&report, "wasi-interface-denied", Some("dist/c.wasm")));

    sandbox.write(
        "wasmgate.toml",
        "[wasi]\nallow = [\"wasi:cli/environment\"]\ndeny = [\"wasi:sockets/*\"]\n",
    );
    let (code, report, _) = check_json(&sandbox, &[]);
    assert_eq!(code, 0, "{report:#?}");
}

#[test]
fn memory_rules() {
    let fixtures = [
        ("dist/wasi.wasm", "wasi"),
        ("dist/app.wasm", "app"),
        ("dist/shared.wasm", "shared"),
    ];
    let sandbox = sandbox_with(&fixtures, "");
    let (code, report, _) = check_json(&sandbox, &[]);
    assert_eq!(code, 0);
    assert!(has(&report, "memory-unbounded", Some("dist/wasi.wasm")));
    assert!(!has(&report, "memory-unbounded", Some("dist/app.wasm")));
    assert!(!has(&report, "memory-shared", None));

    // app: 16 pages = 1 MiB maximum; wasi: unbounded; shared: 4 pages.
    sandbox.write("wasmgate.toml", "[memory]\nmax_bytes = \"512 KiB\"\nallow_shared = false\n\n[rules]\nmemory-unbounded = \"deny\"\n");
    let (code, report, _) = check_json(&sandbox, &[]);
    assert_eq!(code, 1);
    assert!(has(&report, "memory-too-large", Some("dist/app.wasm")));
    assert!(has(&report, "memory-too-large", Some("dist/wasi.wasm")));
    assert!(!has(&report, "memory-too-large", Some("dist/shared.wasm")));
    assert!(has(&report, "memory-shared", Some("dist/shared.wasm")));
    let unbounded = common::finding(&report, "memory-unbounded");
    assert_eq!(
        unbounded.severity,
        Severity::Deny,
        "[rules] override applies"
    );
}

#[test]
fn proposals_allow_list() {
    let fixtures = [("dist/simd.wasm", "simd"), ("dist/app.wasm", "app")];
    let sandbox = sandbox_with(&fixtures, "[proposals]\nallow = [\"bulk_memory\"]\n");
    let (code, report, _) = check_json(&sandbox, &[]);
    assert_eq!(code, 1);
    let finding = common::finding(&report, "proposal-not-allowed");
    assert_eq!(finding.artifact.as_deref(), Some("dist/simd.wasm"));
    assert_eq!(finding.details.as_ref().unwrap()["proposal"], "simd");
    sandbox.write("wasmgate.toml", "[proposals]\nallow = [\"simd\"]\n");
    assert_eq!(check_json(&sandbox, &[]).0, 0);
}

#[test]
fn custom_section_rules() {
    let fixtures = [("dist/debug.wasm", "debug"), ("dist/app.wasm", "app")];
    let sandbox = sandbox_with(&fixtures, "[custom_sections]\ndebug = [\".debug_*\"]\n");
    let (code, report, _) = check_json(&sandbox, &[]);
    assert_eq!(code, 0);
    let debug: Vec<_> = report
        .findings
        .iter()
        .filter(|f| f.code == "custom-section-debug")
        .collect();
    assert_eq!(debug.len(), 1);
    assert_eq!(debug[0].artifact.as_deref(), Some("dist/debug.wasm"));
    assert!(debug[0].message.contains(".debug_info, .debug_line"));

    sandbox.write(
        "wasmgate.toml",
        "[custom_sections]\ndebug = []\ndeny = [\"sourceMappingURL\"]\nrequire = [\"producers\"]\n",
    );
    let (code, report, _) = check_json(&sandbox, &[]);
    assert_eq!(code, 1);
    assert!(has(
        &report,
        "custom-section-denied",
        Some("dist/debug.wasm")
    ));
    assert!(has(
        &report,
        "custom-section-missing",
        Some("dist/debug.wasm")
    ));
    assert!(!has(
        &report,
        "custom-section-missing",
        Some("dist/app.wasm")
    ));
    assert!(!has(&report, "custom-section-debug", None));
}

#[test]
fn exports_limit() {
    let sandbox = sandbox_with(&[("dist/app.wasm", "app")], "[exports]\nmax = 2\n");
    let (code, report, _) = check_json(&sandbox, &[]);
    assert_eq!(code, 1, "app exports memory, add and tick");
    assert!(has(&report, "exports-too-many", Some("dist/app.wasm")));
    sandbox.write("wasmgate.toml", "[exports]\nmax = 3\n");
    assert_eq!(check_json(&sandbox, &[]).0, 0);
}

#[test]
fn rules_overrides_can_allow_and_deny() {
    let sandbox = sandbox_with(
        &[("dist/debug.wasm", "debug")],
        "[rules]\ncustom-section-debug = \"deny\"\n",
    );
    assert_eq!(check_json(&sandbox, &[]).0, 1);
    sandbox.write(
        "wasmgate.toml",
        "[rules]\ncustom-section-debug = \"allow\"\n",
    );
    let (code, report, _) = check_json(&sandbox, &[]);
    assert_eq!(code, 0);
    assert!(!has(&report, "custom-section-debug", None));
}
