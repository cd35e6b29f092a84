//! Evaluates the loaded packages against the input and reads their `deny`, `warn`,
//! `violation` and `deny_*`/`warn_*`/`violation_*` rules into raw findings.

use rayon::prelude::*;
use serde_json::Value;

use super::{PolicySet, location};
use crate::diag::Error;
use crate::report::Severity;

/// A rule result before codes, overrides and locations are applied.
#[derive(Debug, Clone, PartialEq)]
pub struct RawFinding {
    /// `data.pkg.rule` that produced it.
    pub rule: String,
    /// From the rule name: deny/violation or warn.
    pub severity: Severity,
    /// `msg`.
    pub message: String,
    /// `code`, if given.
    pub code: Option<String>,
    /// `artifact`, if given.
    pub artifact: Option<String>,
    /// `offset` (byte offset in the artifact), if given.
    pub offset: Option<u64>,
    /// `config_key` (e.g. `budgets[0].gzip`), if given.
    pub config_key: Option<String>,
    /// `file`, `line` and `column` (1-based) of a repository file the result points at (a
    /// manifest object), if given.
    pub file: Option<(String, u64, u64)>,
    /// `field`: the offending field of that object, as a JSON pointer; its position replaces
    /// the object's once the manifests are at hand.
    pub field: Option<String>,
    /// `object`: the manifest object (`name` or `Kind/name`) it is about, for waivers.
    pub object: Option<String>,
    /// The package whose conftest-style `exception` rule excepts the rule that produced it.
    pub excepted: Option<String>,
    /// `help`, if given.
    pub help: Option<String>,
    /// `details`, if given.
    pub details: Option<Value>,
}

/// Built-in packages whose rules look at one artifact at a time (`some a in input.artifacts`,
/// nothing across artifacts and nothing at the repository level): they run once per artifact,
/// each on its own engine, in parallel. Every other package, and every user package, sees the
/// whole document, as documented.
const PER_ARTIFACT: &[&str] = &[
    "data.wasmgate.builtin.custom_sections",
    "data.wasmgate.builtin.exports",
    "data.wasmgate.builtin.imports",
    "data.wasmgate.builtin.memory",
    "data.wasmgate.builtin.proposals",
    "data.wasmgate.builtin.signatures",
    "data.wasmgate.builtin.size",
    "data.wasmgate.builtin.wasi",
    "data.wasmgate.builtin.wasm",
];

/// Evaluates every selected package with `input` (see `input::rego::to_value`).
pub fn evaluate(policies: &PolicySet, input: regorus::Value) -> Result<Vec<RawFinding>, Error> {
    evaluate_in(policies, input, true)
}

/// Evaluates only the built-in packages that judge each artifact on its own: what a shard,
/// which has some of the artifacts and none of the repository, can decide.
pub fn evaluate_each_artifact(
    policies: &PolicySet,
    input: regorus::Value,
) -> Result<Vec<RawFinding>, Error> {
    evaluate_in(policies, input, false)
}

fn evaluate_in(
    policies: &PolicySet,
    input: regorus::Value,
    whole_document: bool,
) -> Result<Vec<RawFinding>, Error> {
    let (per_artifact, mut whole): (Vec<&String>, Vec<&String>) = policies
        .packages
        .iter()
        .partition(|package| PER_ARTIFACT.contains(&package.as_str()));
    if !whole_document {
        whole.clear();
    }
    // With none of those packages selected (`[policy] builtin = false`) no engine is cloned.
    let artifacts: Vec<regorus::Value> = match input["artifacts"].as_array() {
        Ok(items) if !per_artifact.is_empty() => items.iter().cloned().collect(),
        _ => Vec::new(),
    };
    let (each, rest) = rayon::join(
        || {
            artifacts
                .par_iter()
                .map(|artifact| {
                    let mut one = input.clone();
                    if let Ok(fields) = one.as_object_mut() {
                        fields.insert(
                            regorus::Value::from("artifacts"),
                            regorus::Value::from(vec![artifact.clone()]),
                        );
                    }
                    let mut engine = policies.engine.clone();
                    engine.set_input(one);
                    run(policies, &mut engine, &per_artifact)
                })
                .collect::<Vec<_>>()
        },
        || {
            // A shard evaluates no whole-document package: no engine is cloned for none.
            if whole.is_empty() {
                return Ok(Vec::new());
            }
            let mut engine = policies.engine.clone();
            add_cost_risk(&mut engine, &input)?;
            engine.set_input(input.clone());
            let findings = run(policies, &mut engine, &whole);
            // The engine holds the whole input; freeing it is a walk over every value.
            crate::background::drop_later(engine);
            findings
        },
    );
    let mut findings = rest?;
    for found in each {
        findings.extend(found?);
    }
    Ok(findings)
}

/// Evaluates `packages` on `engine` (its input set) and reads their findings.
pub(super) fn run(
    policies: &PolicySet,
    engine: &mut regorus::Engine,
    packages: &[&String],
) -> Result<Vec<RawFinding>, Error> {
    let mut findings = Vec::new();
    for package in packages {
        let results = engine
            .eval_query((*package).clone(), false)
            .map_err(|e| eval_error(policies, package, &e.to_string()))?;
        let Some(regorus::Value::Object(rules)) = first_value(results) else {
            continue;
        };
        let excepted = exceptions(&regorus::Value::Object(rules.clone()));
        // Only the deny/warn rules become findings; helpers (which may hold whole artifacts)
        // are never converted.
        for (rule, value) in rules.iter() {
            let Ok(rule) = rule.as_string() else { continue };
            let Some(severity) = rule_severity(rule) else {
                continue;
            };
            let value = serde_json::to_value(value).map_err(|e| Error::PolicyResult {
                rule: format!("{package}.{rule}"),
                message: e.to_string(),
            })?;
            let first = findings.len();
            read_results(&format!("{package}.{rule}"), severity, value, &mut findings)?;
            let suffix = rule.split_once('_').map(|(_, name)| name);
            if suffix.is_some_and(|name| excepted.iter().any(|e| e == name)) {
                for finding in &mut findings[first..] {
                    finding.excepted = Some((*package).clone());
                }
            }
        }
    }
    Ok(findings)
}

/// `wasmgate.cost_risk(path)`: the cost-risk figures of an artifact (`score`,
/// `predicted_monthly_cost`, `drivers`) as a Rego builtin, so that one rule can combine them.
fn add_cost_risk(engine: &mut regorus::Engine, input: &regorus::Value) -> Result<(), Error> {
    let mut risks = std::collections::BTreeMap::<String, regorus::Value>::new();
    if let Ok(rows) = input["finops"]["artifacts"].as_array() {
        for row in rows.iter() {
            if let (Ok(path), risk @ regorus::Value::Object(_)) =
                (row["path"].as_string(), &row["risk"])
            {
                risks.insert(path.to_string(), risk.clone());
            }
        }
    }
    engine
        .add_extension(
            "wasmgate.cost_risk".to_string(),
            1,
            Box::new(
                move |args: Vec<regorus::Value>| -> anyhow::Result<regorus::Value> {
                    let path = args
                        .first()
                        .map(|a| a.as_string().map(|s| s.to_string()))
                        .transpose()?
                        .unwrap_or_default();
                    Ok(risks.get(&path).cloned().unwrap_or(regorus::Value::Null))
                },
            ),
        )
        .map_err(|e| Error::PolicyLoad {
            path: "wasmgate.cost_risk".to_string(),
            message: e.to_string(),
        })
}

/// The rule names a conftest-style `exception` rule excepts: `exception contains ["x"]` (or
/// `exception[rules] { rules := ["x"] }`) excepts `deny_x`, `violation_x` and `warn_x`.
fn exceptions(rules: &regorus::Value) -> Vec<String> {
    let mut names = Vec::new();
    let Ok(set) = rules["exception"].as_set() else {
        return names;
    };
    for entry in set.iter() {
        match entry {
            regorus::Value::Array(items) => names.extend(
                items
                    .iter()
                    .filter_map(|item| item.as_string().ok().map(|s| s.to_string())),
            ),
            regorus::Value::String(name) => names.push(name.to_string()),
            _ => {}
        }
    }
    names
}

/// `deny`, `violation`, `deny_x`, `violation_x` deny; `warn`, `warn_x` warn; others are helpers.
fn rule_severity(rule: &str) -> Option<Severity> {
    let matches = |prefix: &str| {
        rule == prefix
            || rule
                .strip_prefix(prefix)
                .is_some_and(|rest| rest.starts_with('_') && rest.len() > 1)
    };
    if matches("deny") || matches("violation") {
        Some(Severity::Deny)
    } else if matches("warn") {
        Some(Severity::Warn)
    } else {
        None
    }
}

fn read_results(
    rule: &str,
    severity: Severity,
    value: Value,
    out: &mut Vec<RawFinding>,
) -> Result<(), Error> {
    match value {
        Value::Array(items) => {
            for item in items {
                out.push(read_result(rule, severity, item)?);
            }
            Ok(())
        }
        Value::Bool(false) | Value::Null => Ok(()),
        Value::Bool(true) => {
            out.push(read_result(
                rule,
                severity,
                Value::String(format!("{rule} is true")),
            )?);
            Ok(())
        }
        other => Err(Error::PolicyResult {
            rule: rule.to_string(),
            message: format!("expected a set, got {}", kind_of(&other)),
        }),
    }
}

impl RawFinding {
    /// A finding of `rule` with only its severity and message.
    pub fn new(rule: &str, severity: Severity, message: String) -> Self {
        RawFinding {
            rule: rule.to_string(),
            severity,
            message,
            code: None,
            artifact: None,
            offset: None,
            config_key: None,
            file: None,
            field: None,
            object: None,
            excepted: None,
            help: None,
            details: None,
        }
    }
}

/// The value of a query's first expression, if it has one.
pub(super) fn first_value(results: regorus::QueryResults) -> Option<regorus::Value> {
    results
        .result
        .into_iter()
        .flat_map(|r| r.expressions)
        .map(|e| e.value)
        .next()
}

fn read_result(rule: &str, severity: Severity, item: Value) -> Result<RawFinding, Error> {
    let mut finding = RawFinding::new(rule, severity, String::new());
    match item {
        Value::String(message) => finding.message = message,
        Value::Object(mut object) => {
            let bad = |message: String| Error::PolicyResult {
                rule: rule.to_string(),
                message,
            };
            finding.message = match object.remove("msg") {
                Some(Value::String(message)) => message,
                Some(other) => return Err(bad(format!("`msg` is {}", kind_of(&other)))),
                None => return Err(bad("the result object has no `msg`".to_string())),
            };
            let mut text = |key: &str| match object.remove(key) {
                None | Some(Value::Null) => Ok(None),
                Some(Value::String(s)) => Ok(Some(s)),
                Some(other) => Err(bad(format!("`{key}` is {}, not a string", kind_of(&other)))),
            };
            finding.code = text("code")?;
            finding.artifact = text("artifact")?;
            finding.config_key = text("config_key")?;
            finding.help = text("help")?;
            finding.object = text("object")?;
            if let Some(file) = text("file")? {
                let mut number = |key: &str| object.remove(key).and_then(|v| v.as_u64());
                let line = number("line").unwrap_or(1).max(1);
                let column = number("column").unwrap_or(1).max(1);
                finding.file = Some((file, line, column));
            }
            finding.field = match object.remove("field") {
                None | Some(Value::Null) => None,
                Some(path) => Some(
                    crate::facts::located_yaml::pointer_of(&path)
                        .ok_or_else(|| bad(format!("`field` is {}, not a path to a field: write \"spec.containers[0].image\", a JSON pointer, or an array of keys and indexes", kind_of(&path))))?,
                ),
            };
            finding.offset = object.remove("offset").and_then(|v| v.as_u64());
            finding.details = object.remove("details").filter(|v| !v.is_null());
        }
        other => {
            return Err(Error::PolicyResult {
                rule: rule.to_string(),
                message: format!("a result is {}, not a string or an object", kind_of(&other)),
            });
        }
    }
    Ok(finding)
}

fn kind_of(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}

fn eval_error(policies: &PolicySet, package: &str, message: &str) -> Error {
    if message.contains("exceeded time limit") {
        return Error::PolicyTimeout {
            package: package.to_string(),
            limit_ms: policies.timeout_ms,
        };
    }
    let summary = location::summary(message);
    let Some(position) = location::position(message) else {
        return Error::PolicyEval {
            file: package.to_string(),
            message: summary,
            src: miette::NamedSource::new(package, String::new()),
            span: None,
        };
    };
    let text = policies
        .sources
        .get(&position.file)
        .cloned()
        .unwrap_or_default();
    let span = location::offset(&text, position.line, position.column)
        .map(|at| miette::SourceSpan::from((at, 1)));
    let file = format!("{}:{}:{}", position.file, position.line, position.column);
    let src = miette::NamedSource::new(position.file, text);
    // regorus finds an unsafe variable only when it evaluates the rule; it is a compile
    // error all the same, with its own help.
    if let Some(name) = unsafe_variable(&summary) {
        return Error::PolicyUnsafe {
            file,
            message: format!(
                "variable `{name}` is unsafe: nothing binds it before it is used (OPA: rego_unsafe_var_error)"
            ),
            src,
            span,
        };
    }
    Error::PolicyEval {
        file,
        message: summary,
        src,
        span,
    }
}

/// The variable of regorus' `var y is unsafe (…)` or `use of undefined variable `y` is unsafe`.
fn unsafe_variable(message: &str) -> Option<String> {
    if let Some(rest) = message.strip_prefix("var ") {
        let (name, tail) = rest.split_once(' ')?;
        return tail.starts_with("is unsafe").then(|| name.to_string());
    }
    let rest = message.split_once("use of undefined variable `")?.1;
    Some(rest.split_once('`')?.0.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every policy case, evaluated per artifact for the packages that allow it, finds what
    /// evaluating every package on the whole document finds.
    #[test]
    fn per_artifact_evaluation_finds_what_the_whole_document_finds() {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("policies/tests");
        let mut cases = 0;
        for entry in std::fs::read_dir(&dir).unwrap_or_else(|e| panic!("{e}")) {
            let path = entry.unwrap_or_else(|e| panic!("{e}")).path();
            let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{e}"));
            let case: Value = serde_json::from_str(&text).unwrap_or_else(|e| panic!("{e}"));
            let config = crate::config::load_text(
                std::path::Path::new("wasmgate.toml"),
                "wasmgate.toml",
                case["config"].as_str().unwrap_or_default().to_string(),
            )
            .unwrap_or_else(|e| panic!("{}: {e}", path.display()));
            let options = crate::policy::PolicyOptions {
                sources: Vec::new(),
                namespaces: vec!["wasmgate".to_string()],
                all_namespaces: false,
                rego_v0: false,
                timeout_ms: 10_000,
                builtin: true,
                data: serde_json::json!({
                    "wasmgate_config": crate::policy::builtin::config_data(&config.config)
                }),
            };
            let policies = crate::policy::load(&options).unwrap_or_else(|e| panic!("{e}"));
            let input = regorus::Value::from(case["input"].clone());
            let split = evaluate(&policies, input.clone()).unwrap_or_else(|e| panic!("{e}"));
            let mut engine = policies.engine.clone();
            add_cost_risk(&mut engine, &input).unwrap_or_else(|e| panic!("{e}"));
            engine.set_input(input);
            let all: Vec<&String> = policies.packages.iter().collect();
            let whole = run(&policies, &mut engine, &all).unwrap_or_else(|e| panic!("{e}"));
            let key =
                |f: &RawFinding| format!("{} {:?} {:?} {}", f.rule, f.artifact, f.code, f.message);
            let mut split: Vec<String> = split.iter().map(key).collect();
            let mut whole: Vec<String> = whole.iter().map(key).collect();
            split.sort();
            whole.sort();
            assert!(!whole.is_empty(), "{} finds something", path.display());
            assert_eq!(split, whole, "{}", path.display());
            cases += 1;
        }
        assert!(cases >= 6, "the policy cases were read");
    }
}
