//! Admission policies: compiled on their own (no built-in library, none of the user
//! policies), evaluated once per manifest object with that object's admission input, in
//! parallel. Their results are findings located at the object.

use rayon::prelude::*;

use super::{PolicyOptions, PolicySet, PolicySource, eval};
use crate::diag::Error;
use crate::policy::RawFinding;

/// Compiles the admission policies; with no `namespaces`, every package in them runs.
pub fn load(
    sources: Vec<PolicySource>,
    namespaces: &[String],
    rego_v0: bool,
    timeout_ms: u64,
    data: serde_json::Value,
) -> Result<PolicySet, Error> {
    let mut set = super::load(&PolicyOptions {
        sources,
        namespaces: namespaces.to_vec(),
        all_namespaces: namespaces.is_empty(),
        rego_v0,
        timeout_ms,
        builtin: false,
        data,
    })?;
    // The rules that are always on judge the gate's own input, not an admission review.
    let own: Vec<String> = set
        .files
        .values()
        .map(|(package, _)| package.clone())
        .collect();
    set.packages.retain(|package| own.contains(package));
    Ok(set)
}

/// One object to judge: where it is, how to name it, and its input.
#[derive(Debug)]
pub struct Review {
    /// The manifest, relative to the root.
    pub file: String,
    /// Line and column of the object.
    pub line: u64,
    /// Column.
    pub column: u64,
    /// `Kind name`, for the messages.
    pub named: String,
    /// The artifact it deploys, when bound to one this run checked.
    pub artifact: Option<String>,
    /// The input its policies see.
    pub input: regorus::Value,
}

/// Runs every admission package on every review; each result is located at its object.
pub fn evaluate(set: &PolicySet, reviews: Vec<Review>) -> Result<Vec<RawFinding>, Error> {
    let packages: Vec<&String> = set.packages.iter().collect();
    let found: Vec<Result<Vec<RawFinding>, Error>> = reviews
        .into_par_iter()
        .map(|review| {
            let mut engine = set.engine.clone();
            engine.set_input(review.input);
            let findings = eval::run(set, &mut engine, &packages)?;
            Ok(findings
                .into_iter()
                .map(|mut finding| {
                    finding.message = format!(
                        "{} ({}:{}): {}",
                        review.named, review.file, review.line, finding.message
                    );
                    finding
                        .file
                        .get_or_insert((review.file.clone(), review.line, review.column));
                    if finding.artifact.is_none() {
                        finding.artifact.clone_from(&review.artifact);
                    }
                    finding
                        .object
                        .get_or_insert_with(|| review.named.replacen(' ', "/", 1));
                    finding
                })
                .collect())
        })
        .collect();
    let mut findings = Vec::new();
    for result in found {
        findings.extend(result?);
    }
    Ok(findings)
}
