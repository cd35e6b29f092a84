//! `wasmgate test`: Rego unit tests as `opa test` runs them. Every rule named `test_*` in the
//! loaded files is a test that passes when it is defined and `true`; `todo_test_*` is skipped;
//! `with input as …` and `with data.x as …` mock inside the test itself. As in `opa test`, a
//! builtin error makes its expression undefined, so the test fails (the error is shown), while
//! any other evaluation error, the time limit included, is an error. The files are compiled
//! like policies (the static type check too), and line coverage comes from regorus.

use std::collections::BTreeMap;
use std::num::NonZeroU32;
use std::path::{Path, PathBuf};
use std::time::Duration;

use regorus::Engine;
use regorus::unstable::{Rule, RuleHead};
use regorus::utils::limits::ExecutionTimerConfig;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use crate::diag::Error;

/// Version of the `--format json` document.
pub const TEST_SCHEMA_VERSION: &str = "wasmgate.test/v1";

/// What to run.
#[derive(Debug, Clone)]
pub struct TestOptions {
    /// Files and directories (searched recursively for `*.rego`).
    pub paths: Vec<PathBuf>,
    /// Names files relative to this in the output.
    pub root: PathBuf,
    /// Parse as Rego v0.
    pub rego_v0: bool,
    /// Time limit of each test.
    pub timeout_ms: u64,
    /// Collect line coverage.
    pub coverage: bool,
}

/// How one test ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum TestOutcome {
    /// Defined and true.
    Pass,
    /// Undefined, or not true.
    Fail,
    /// The evaluation failed (a builtin error, the time limit).
    Error,
    /// `todo_test_*`.
    Skip,
}

/// One test.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
pub struct TestResult {
    /// `data.`-prefixed package.
    pub package: String,
    /// The rule name.
    pub name: String,
    /// The file, relative to the root.
    pub file: String,
    /// Line of the rule.
    pub line: u32,
    /// How it ended.
    pub outcome: TestOutcome,
    /// Why it failed or errored.
    pub message: Option<String>,
}

/// Line coverage of one policy file (test files are not counted).
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
pub struct FileCoverage {
    /// The file.
    pub file: String,
    /// Lines evaluated.
    pub covered: usize,
    /// Lines with code that no test evaluated.
    pub not_covered: Vec<u32>,
    /// `covered / (covered + not covered) × 100`.
    pub percent: f64,
}

/// Counts.
#[derive(Debug, Clone, Default, Serialize, Deserialize, JsonSchema)]
pub struct TestSummary {
    /// Tests run or skipped.
    pub total: usize,
    /// Passed.
    pub pass: usize,
    /// Failed.
    pub fail: usize,
    /// Errored.
    pub error: usize,
    /// Skipped.
    pub skip: usize,
}

/// Everything `wasmgate test` found.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
pub struct TestReport {
    /// Always `wasmgate.test/v1`.
    pub schema_version: String,
    /// In file, line order.
    pub tests: Vec<TestResult>,
    /// Counts.
    pub summary: TestSummary,
    /// Per policy file, with `--coverage`.
    pub coverage: Option<Vec<FileCoverage>>,
    /// Over all policy files, with `--coverage`.
    pub coverage_percent: Option<f64>,
}

/// The `.rego` files under `paths`, sorted, as (display name, path).
fn files(paths: &[PathBuf], root: &Path) -> Result<Vec<(String, PathBuf)>, Error> {
    let mut found = Vec::new();
    for path in paths {
        let metadata = std::fs::symlink_metadata(path).map_err(|e| Error::NamedInput {
            what: "policy path (wasmgate test)".to_string(),
            path: path.display().to_string(),
            problem: e.to_string(),
            help: "name .rego files or directories that exist".to_string(),
        })?;
        if metadata.is_dir() {
            for entry in walkdir::WalkDir::new(path)
                .sort_by_file_name()
                .into_iter()
                .filter_map(Result::ok)
            {
                if entry.file_type().is_file()
                    && entry.path().extension().is_some_and(|e| e == "rego")
                {
                    found.push(entry.path().to_path_buf());
                }
            }
        } else {
            found.push(path.clone());
        }
    }
    found.sort();
    found.dedup();
    Ok(found
        .into_iter()
        .map(|path| {
            let display = path
                .strip_prefix(root)
                .unwrap_or(&path)
                .to_string_lossy()
                .replace('\\', "/");
            (display, path)
        })
        .collect())
}

/// The built-in packages user policies may import (`data.ai_predictions`), as a run has
/// them, unless the files under test declare them (the library's own tests).
fn library(engine: &mut Engine) -> Result<(), Error> {
    let declared = engine.get_packages().unwrap_or_default();
    for (file, text) in super::builtin::POLICIES {
        if *file != "ai_predictions.rego" || declared.iter().any(|p| p == "data.ai_predictions") {
            continue;
        }
        super::add(engine, &super::builtin::display_name(file), text, false)?;
    }
    Ok(())
}

/// Compiles the files and runs every test; a file that does not compile is an error.
pub fn run(options: &TestOptions) -> Result<TestReport, Error> {
    let mut engine = Engine::new();
    engine.set_strict_builtin_errors(false);
    engine.set_rego_v0(options.rego_v0);
    engine.set_execution_timer_config(ExecutionTimerConfig {
        limit: Duration::from_millis(options.timeout_ms),
        check_interval: NonZeroU32::MIN,
    });
    super::bounded::install(&mut engine, options.timeout_ms)?;
    super::predictions::unpriced(&mut engine)?;
    let mut sources = BTreeMap::new();
    for (display, path) in files(&options.paths, &options.root)? {
        let bytes =
            crate::untrusted::read(&path, crate::untrusted::Kind::GateFile).map_err(|refusal| {
                crate::untrusted::error(&path, crate::untrusted::Kind::GateFile, refusal)
            })?;
        let text = String::from_utf8(bytes).map_err(|_| Error::PolicyLoad {
            path: display.clone(),
            message: "it is not UTF-8 text".to_string(),
        })?;
        super::add(&mut engine, &display, &text, options.rego_v0)?;
        sources.insert(display, text);
    }
    library(&mut engine)?;
    super::type_check(&mut engine, &sources)?;
    let tests = tests_of(&mut engine);
    if options.coverage {
        engine.set_enable_coverage(true);
    }
    let mut results = Vec::new();
    for (package, name, file, line) in tests {
        let outcome = if name.starts_with("todo_") {
            (TestOutcome::Skip, None)
        } else {
            evaluate(&mut engine, &package, &name)
        };
        results.push(TestResult {
            package,
            name,
            file,
            line,
            outcome: outcome.0,
            message: outcome.1,
        });
    }
    let count = |outcome: TestOutcome| results.iter().filter(|r| r.outcome == outcome).count();
    let summary = TestSummary {
        total: results.len(),
        pass: count(TestOutcome::Pass),
        fail: count(TestOutcome::Fail),
        error: count(TestOutcome::Error),
        skip: count(TestOutcome::Skip),
    };
    let (coverage, coverage_percent) = if options.coverage {
        let report = engine
            .get_coverage_report()
            .map_err(|e| Error::PolicyLoad {
                path: "coverage".to_string(),
                message: e.to_string(),
            })?;
        let unreached = unreached_rules(&mut engine);
        let files: Vec<FileCoverage> = report
            .files
            .into_iter()
            .filter(|f| !f.path.ends_with("_test.rego") && !f.path.starts_with("<builtin>"))
            .map(|mut f| {
                // regorus counts the rules it visited; a rule no test reached is uncovered too.
                for (file, lines) in &unreached {
                    if *file == f.path && lines.iter().all(|l| !f.covered.contains(l)) {
                        f.not_covered.extend(lines.iter().copied());
                    }
                }
                let covered = f.covered.len();
                let lines = covered + f.not_covered.len();
                FileCoverage {
                    file: f.path,
                    covered,
                    not_covered: f.not_covered.into_iter().collect(),
                    percent: percent(covered, lines),
                }
            })
            .collect();
        let covered: usize = files.iter().map(|f| f.covered).sum();
        let lines: usize = files.iter().map(|f| f.covered + f.not_covered.len()).sum();
        (Some(files), Some(percent(covered, lines)))
    } else {
        (None, None)
    };
    Ok(TestReport {
        schema_version: TEST_SCHEMA_VERSION.to_string(),
        tests: results,
        summary,
        coverage,
        coverage_percent,
    })
}

/// Every rule with the lines it spans that hold code, by file.
fn unreached_rules(engine: &mut Engine) -> Vec<(String, Vec<u32>)> {
    let mut rules = Vec::new();
    for module in engine.get_modules() {
        for rule in &module.policy {
            let span = rule.span();
            let lines: Vec<u32> = span
                .text()
                .lines()
                .zip(span.line..)
                .filter(|(text, _)| {
                    let code = text.trim();
                    !code.is_empty() && !code.starts_with('#') && code != "}"
                })
                .map(|(_, line)| line)
                .collect();
            rules.push((span.source.file().clone(), lines));
        }
    }
    rules
}

fn percent(covered: usize, lines: usize) -> f64 {
    if lines == 0 {
        return 100.0;
    }
    (covered as f64 * 1000.0 / lines as f64).round() / 10.0
}

/// Every `test_*` and `todo_test_*` rule: package, name, file, line; in file and line order,
/// one entry per name (a test with several bodies is one test, as in OPA).
fn tests_of(engine: &mut Engine) -> Vec<(String, String, String, u32)> {
    let mut tests: Vec<(String, String, String, u32)> = Vec::new();
    for module in engine.get_modules() {
        let package = format!("data.{}", module.package.refr.span().text());
        for rule in &module.policy {
            let Rule::Spec { head, span, .. } = rule.as_ref() else {
                continue;
            };
            let RuleHead::Compr { refr, .. } = head else {
                continue;
            };
            let name = refr.span().text().to_string();
            if !(name.starts_with("test_") || name.starts_with("todo_test_")) {
                continue;
            }
            if tests.iter().any(|(p, n, _, _)| *p == package && *n == name) {
                continue;
            }
            tests.push((package.clone(), name, span.source.file().clone(), span.line));
        }
    }
    tests.sort_by(|a, b| (&a.2, a.3).cmp(&(&b.2, b.3)));
    tests
}

fn evaluate(engine: &mut Engine, package: &str, name: &str) -> (TestOutcome, Option<String>) {
    let (outcome, message) = evaluate_once(engine, package, name);
    if outcome != TestOutcome::Fail {
        return (outcome, message);
    }
    // Why it failed: the builtin error that made it undefined, if one did.
    engine.set_strict_builtin_errors(true);
    let (strict, error) = evaluate_once(engine, package, name);
    engine.set_strict_builtin_errors(false);
    match (strict, error) {
        (TestOutcome::Error, Some(error)) => {
            (TestOutcome::Fail, Some(format!("undefined: {error}")))
        }
        _ => (outcome, message),
    }
}

fn evaluate_once(engine: &mut Engine, package: &str, name: &str) -> (TestOutcome, Option<String>) {
    match engine.eval_query(format!("{package}.{name}"), false) {
        Err(error) => (
            TestOutcome::Error,
            Some(super::location::summary(&error.to_string())),
        ),
        Ok(results) => match super::eval::first_value(results) {
            Some(regorus::Value::Bool(true)) => (TestOutcome::Pass, None),
            None | Some(regorus::Value::Undefined) => {
                (TestOutcome::Fail, Some("undefined".to_string()))
            }
            Some(other) => (
                TestOutcome::Fail,
                Some(format!(
                    "{} instead of true",
                    serde_json::to_string(&other).unwrap_or_default()
                )),
            ),
        },
    }
}

/// `opa test` style: failures and errors (every test with `verbose`), then the counts and the
/// coverage.
pub fn render(report: &TestReport, verbose: bool) -> String {
    use std::fmt::Write as _;
    let mut out = String::new();
    let mut file = "";
    for test in &report.tests {
        if !verbose && matches!(test.outcome, TestOutcome::Pass | TestOutcome::Skip) {
            continue;
        }
        if test.file != file {
            file = &test.file;
            let _ = writeln!(out, "{}:", crate::report::escape::terminal(file));
        }
        let outcome = match test.outcome {
            TestOutcome::Pass => "PASS",
            TestOutcome::Fail => "FAIL",
            TestOutcome::Error => "ERROR",
            TestOutcome::Skip => "SKIPPED",
        };
        let _ = write!(
            out,
            "{}.{} (line {}): {outcome}",
            test.package, test.name, test.line
        );
        if let Some(message) = &test.message {
            let _ = write!(out, " ({})", crate::report::escape::terminal(message));
        }
        out.push('\n');
    }
    out.push_str(&"-".repeat(80));
    out.push('\n');
    let summary = &report.summary;
    for (name, count) in [
        ("PASS", summary.pass),
        ("FAIL", summary.fail),
        ("ERROR", summary.error),
        ("SKIPPED", summary.skip),
    ] {
        if count > 0 || (name == "PASS" && summary.total == 0) {
            let _ = writeln!(out, "{name}: {count}/{}", summary.total);
        }
    }
    if let (Some(files), Some(total)) = (&report.coverage, report.coverage_percent) {
        let _ = writeln!(out, "coverage: {total:.1}%");
        for file in files {
            let _ = write!(
                out,
                "  {}: {:.1}% ({} of {} lines)",
                crate::report::escape::terminal(&file.file),
                file.percent,
                file.covered,
                file.covered + file.not_covered.len()
            );
            if !file.not_covered.is_empty() {
                let _ = write!(out, ", not covered: {}", ranges(&file.not_covered));
            }
            out.push('\n');
        }
    }
    out
}

/// `4, 9-11, 20`.
fn ranges(lines: &[u32]) -> String {
    let mut parts: Vec<String> = Vec::new();
    let mut iter = lines.iter().copied().peekable();
    while let Some(start) = iter.next() {
        let mut end = start;
        while iter.peek() == Some(&(end + 1)) {
            end += 1;
            iter.next();
        }
        parts.push(if start == end {
            start.to_string()
        } else {
            format!("{start}-{end}")
        });
    }
    parts.join(", ")
}
