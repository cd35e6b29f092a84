//! Loads the built-in and user policies into one regorus engine: Rego v1 unless asked
//! otherwise, strict builtin errors, and an execution time limit, so that a broken or runaway
//! policy ends the gate with a located error instead of a pass.

pub mod admission;
mod bounded;
pub mod builtin;
mod eval;
mod location;
pub mod metadata;
pub mod predictions;
mod reach;
pub mod testing;
mod typecheck;

use std::collections::BTreeMap;
use std::num::NonZeroU32;
use std::time::Duration;

use regorus::Engine;
use regorus::utils::limits::ExecutionTimerConfig;

use crate::diag::Error;

pub use eval::{RawFinding, evaluate, evaluate_each_artifact};

/// What to load and how.
#[derive(Debug, Clone)]
pub struct PolicyOptions {
    /// User policies, already read (from disk or from the merge-base).
    pub sources: Vec<PolicySource>,
    /// Packages (without `data.`) whose rules run.
    pub namespaces: Vec<String>,
    /// Run every user package.
    pub all_namespaces: bool,
    /// Parse user policies as Rego v0.
    pub rego_v0: bool,
    /// Evaluation time limit.
    pub timeout_ms: u64,
    /// Load the built-in library.
    pub builtin: bool,
    /// The whole `data` document: user data plus `wasmgate_config`.
    pub data: serde_json::Value,
}

/// One user policy file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PolicySource {
    /// Name in diagnostics: the path relative to the root.
    pub name: String,
    /// The Rego text.
    pub text: String,
}

/// A compiled set of policies ready to evaluate.
#[derive(Debug, Clone)]
pub struct PolicySet {
    engine: Engine,
    /// Text of every policy by display name, for labelled errors.
    pub sources: BTreeMap<String, String>,
    /// Packages to evaluate, `data.` prefixed, in order.
    packages: Vec<String>,
    /// User packages that will not run, with the file that declares them.
    pub skipped: Vec<(String, String)>,
    /// Every user policy file with its package (`data.` prefixed) and whether it runs.
    pub files: BTreeMap<String, (String, bool)>,
    /// Every user rule with its location and METADATA.
    pub rules: Vec<metadata::RuleInfo>,
    timeout_ms: u64,
}

/// Reads and compiles every policy.
pub fn load(options: &PolicyOptions) -> Result<PolicySet, Error> {
    let mut engine = Engine::new();
    engine.set_strict_builtin_errors(true);
    engine.set_execution_timer_config(ExecutionTimerConfig {
        limit: Duration::from_millis(options.timeout_ms),
        check_interval: NonZeroU32::MIN,
    });
    bounded::install(&mut engine, options.timeout_ms)?;
    let mut sources = BTreeMap::new();
    let mut packages = Vec::new();
    for (file, text) in builtin::POLICIES {
        if !options.builtin && !builtin::ALWAYS_ON.contains(file) {
            continue;
        }
        let name = builtin::display_name(file);
        add(&mut engine, &name, text, false)?;
        sources.insert(name, (*text).to_string());
    }
    let builtin_packages = engine.get_packages().map_err(|e| Error::PolicyLoad {
        path: "<builtin>".to_string(),
        message: e.to_string(),
    })?;
    packages.extend(builtin_packages.iter().cloned());

    // User policies may be v0; the built-ins above were already parsed as v1.
    engine.set_rego_v0(options.rego_v0);
    let mut user_packages: BTreeMap<String, String> = BTreeMap::new();
    let mut files = BTreeMap::new();
    for source in &options.sources {
        let package = add(&mut engine, &source.name, &source.text, options.rego_v0)?;
        files.insert(source.name.clone(), (package.clone(), false));
        user_packages
            .entry(package)
            .or_insert_with(|| source.name.clone());
        sources.insert(source.name.clone(), source.text.clone());
    }
    type_check(&mut engine, &sources)?;
    let user_sources: BTreeMap<String, String> = options
        .sources
        .iter()
        .map(|s| (s.name.clone(), s.text.clone()))
        .collect();
    let rules = metadata::collect(engine.get_modules(), &user_sources);
    let mut skipped = Vec::new();
    for (package, file) in user_packages {
        if builtin_packages.contains(&package) {
            continue;
        }
        let short = package.trim_start_matches("data.");
        if options.all_namespaces || options.namespaces.iter().any(|ns| ns == short) {
            packages.push(package);
        } else {
            skipped.push((short.to_string(), file));
        }
    }
    let skipped = drop_reached(skipped, &files, &packages, &options.sources);
    engine
        .add_data(regorus::Value::from(options.data.clone()))
        .map_err(|e| Error::PolicyLoad {
            path: "[policy] data".to_string(),
            message: e.to_string(),
        })?;
    Ok(PolicySet {
        engine,
        sources,
        files: files
            .into_iter()
            .map(|(file, (package, _))| {
                let runs = packages.contains(&package);
                (file, (package, runs))
            })
            .collect(),
        packages,
        skipped,
        rules,
        timeout_ms: options.timeout_ms,
    })
}

/// The skipped packages that no evaluated package refers to through `data`: a helper used by
/// an evaluated rule runs with it.
fn drop_reached(
    skipped: Vec<(String, String)>,
    files: &BTreeMap<String, (String, bool)>,
    packages: &[String],
    sources: &[PolicySource],
) -> Vec<(String, String)> {
    let of_package = |package: &str| -> Vec<(&str, &str)> {
        sources
            .iter()
            .filter(|s| files.get(&s.name).is_some_and(|(p, _)| p == package))
            .map(|s| (s.name.as_str(), s.text.as_str()))
            .collect()
    };
    let evaluated: Vec<(&str, &str)> = sources
        .iter()
        .filter(|s| {
            files
                .get(&s.name)
                .is_some_and(|(p, _)| packages.contains(p))
        })
        .map(|s| (s.name.as_str(), s.text.as_str()))
        .collect();
    let candidates: Vec<(&str, Vec<(&str, &str)>)> = skipped
        .iter()
        .map(|(short, _)| (short.as_str(), of_package(&format!("data.{short}"))))
        .collect();
    let unreached = reach::unreached(&evaluated, &candidates);
    skipped
        .iter()
        .filter(|(short, _)| unreached.contains(short.as_str()))
        .cloned()
        .collect()
}

/// Refuses the calls OPA's type checker refuses, wherever they are: regorus alone would only
/// fail once an input reaches them, and until then the gate would pass.
fn type_check(engine: &mut Engine, sources: &BTreeMap<String, String>) -> Result<(), Error> {
    let errors = typecheck::check(engine.get_modules());
    let Some(first) = errors.first() else {
        return Ok(());
    };
    let text = sources.get(&first.file).cloned().unwrap_or_default();
    let line = usize::try_from(first.line).unwrap_or(usize::MAX);
    let column = usize::try_from(first.column).unwrap_or(usize::MAX);
    let span = location::offset(&text, line, column).map(|at| miette::SourceSpan::from((at, 1)));
    let more = match errors.len() - 1 {
        0 => String::new(),
        1 => " (and 1 more type error)".to_string(),
        n => format!(" (and {n} more type errors)"),
    };
    Err(Error::PolicyType {
        file: format!("{}:{}:{}", first.file, first.line, first.column),
        message: format!("{}{more}", first.message),
        src: miette::NamedSource::new(first.file.clone(), text),
        span,
    })
}

/// Compiles one file into `engine` (which reads v0 when `v0`); returns its package.
fn add(engine: &mut Engine, name: &str, text: &str, v0: bool) -> Result<String, Error> {
    engine
        .add_policy(name.to_string(), text.to_string())
        .map_err(|e| {
            let message = e.to_string();
            let (file, span, summary) = location::locate(&message, name, text);
            let help = if !v0 && looks_like_v0(text) {
                "this file looks like Rego v0 (rule bodies without `if`, no `import rego.v1`): wasmgate reads v1 by default; pass --rego-v0 or set [policy] rego_v0 = true, or add `if`/`contains` (opa fmt --rego-v1)"
            } else {
                "fix the syntax at the marked place; `opa check` or `opa fmt` show the same error"
            };
            Error::PolicyCompile {
                file,
                message: summary,
                src: miette::NamedSource::new(name, text.to_string()),
                span,
                help: help.to_string(),
            }
        })
}

/// Rego v0 by its shape: no `import rego.v1` (or `future.keywords`), and a rule head going
/// straight into its body (`deny[msg] {`), which v1 spells `deny contains msg if {`.
fn looks_like_v0(text: &str) -> bool {
    let code = text
        .lines()
        .map(|line| line.split('#').next().unwrap_or_default());
    let mut v0_heads = false;
    for line in code {
        let line = line.trim();
        if line.starts_with("import rego.v1") || line.starts_with("import future.keywords") {
            return false;
        }
        let Some(head) = line.strip_suffix('{') else {
            continue;
        };
        let head = head.trim_end();
        let starts_rule = head
            .chars()
            .next()
            .is_some_and(|c| c.is_ascii_alphabetic() || c == '_');
        if starts_rule
            && !head.contains(" if")
            && !head.contains(":=")
            && !head.contains(" = ")
            && !head.starts_with("package")
            && !head.starts_with("some ")
            && !head.starts_with("every ")
            && !head.contains(" in ")
        {
            v0_heads = true;
        }
    }
    v0_heads
}

#[cfg(test)]
mod v0_shape_tests {
    use super::looks_like_v0;

    #[test]
    fn v0_is_told_by_rule_heads_that_open_their_body() {
        assert!(looks_like_v0("package p\n\ndeny[msg] {\n  msg := 1\n}\n"));
        assert!(looks_like_v0("package p\nallow {\n  true\n}\n"));
        assert!(!looks_like_v0(
            "package p\nimport rego.v1\ndeny contains msg if {\n"
        ));
        assert!(!looks_like_v0(
            "package p\ndeny contains msg if {\n  some x in input {\n"
        ));
        assert!(!looks_like_v0(
            "package p\nimport future.keywords.if\nallow {\n"
        ));
        assert!(!looks_like_v0("package p\nx := {\n  \"a\": 1,\n}\n"));
        assert!(!looks_like_v0("package p\n# deny[msg] {\n"));
    }
}
