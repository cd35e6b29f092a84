//! `test`: runs the Rego unit tests and prints their results.

use wasmgate::cli::{Args, TestArgs, TestFormat};
use wasmgate::exit::Outcome;
use wasmgate::policy::testing::{self, TestOptions};

use super::Out;

pub(super) fn run(args: &Args, test: &TestArgs, out: &Out) -> Outcome {
    let root = std::env::current_dir().unwrap_or_default();
    let options = TestOptions {
        paths: test.paths.iter().map(|p| root.join(p)).collect(),
        root,
        rego_v0: test.rego_v0,
        timeout_ms: test.timeout_ms,
        coverage: test.coverage,
    };
    let report = match testing::run(&options) {
        Ok(report) => report,
        Err(error) => return out.error(&error),
    };
    let text = match test.format {
        TestFormat::Human => testing::render(&report, args.verbose),
        TestFormat::Json => {
            let mut text = serde_json::to_string_pretty(&report).unwrap_or_default();
            text.push('\n');
            text
        }
    };
    let printed = out.stdout(&text);
    let below = match (test.threshold, report.coverage_percent) {
        (Some(threshold), Some(coverage)) => coverage < threshold,
        _ => false,
    };
    if below {
        out.note(&format!(
            "coverage {:.1}% is below --threshold {}%",
            report.coverage_percent.unwrap_or_default(),
            test.threshold.unwrap_or_default()
        ));
    }
    if report.summary.error > 0 {
        Outcome::Error
    } else if report.summary.fail > 0 || below {
        Outcome::Fail
    } else {
        printed
    }
}
