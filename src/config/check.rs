//! What types alone cannot say: numbers finite and non-negative, globs that compile, values in
//! range. Each area checks its own keys (`check` methods in its file, run in order by `load`);
//! these are the helpers they share.

use std::collections::BTreeMap;

/// A key path at fault and what is wrong with it.
pub(super) type Fault = (String, String);

/// `value` is within `low..=high`.
pub(super) fn range(key: &str, value: u32, low: u32, high: u32) -> Result<(), Fault> {
    if (low..=high).contains(&value) {
        Ok(())
    } else {
        Err((
            key.to_string(),
            format!("{key} must be between {low} and {high}, not {value}"),
        ))
    }
}

/// Every pattern compiles.
pub(super) fn globs(key: &str, patterns: &[String]) -> Result<(), Fault> {
    for (index, pattern) in patterns.iter().enumerate() {
        glob(&format!("{key}[{index}]"), pattern)?;
    }
    Ok(())
}

/// The pattern compiles.
pub(super) fn glob(key: &str, pattern: &str) -> Result<(), Fault> {
    globset::Glob::new(pattern)
        .map(|_| ())
        .map_err(|e| (key.to_string(), format!("{key} is not a valid glob: {e}")))
}

/// Every number in the file is finite, and none outside `[policy.data]` is negative: an
/// `inf` price or a negative budget would switch a rule off without a word.
pub(super) fn check_numbers(value: &toml::Value, key: &str) -> Result<(), Fault> {
    let user_data = key == "policy.data" || key.starts_with("policy.data.");
    match value {
        toml::Value::Float(number) if !number.is_finite() => Err((
            key.to_string(),
            format!("{key} is {number}: numbers in wasmgate.toml must be finite"),
        )),
        toml::Value::Float(number) if *number < 0.0 && !user_data => Err((
            key.to_string(),
            format!("{key} is {number}: no wasmgate setting takes a negative number"),
        )),
        toml::Value::Integer(number) if *number < 0 && !user_data => Err((
            key.to_string(),
            format!("{key} is {number}: no wasmgate setting takes a negative number"),
        )),
        toml::Value::Table(table) => {
            for (name, child) in table {
                let path = if key.is_empty() {
                    name.clone()
                } else {
                    format!("{key}.{name}")
                };
                check_numbers(child, &path)?;
            }
            Ok(())
        }
        toml::Value::Array(items) => {
            for (index, child) in items.iter().enumerate() {
                check_numbers(child, &format!("{key}[{index}]"))?;
            }
            Ok(())
        }
        _ => Ok(()),
    }
}

/// Levenshtein distance, for did-you-mean.
pub(crate) fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut previous: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut current = vec![i + 1];
        for (j, cb) in b.iter().enumerate() {
            let substitute = previous[j] + usize::from(ca != *cb);
            current.push(substitute.min(previous[j + 1] + 1).min(current[j] + 1));
        }
        previous = current;
    }
    previous[b.len()]
}

/// `[rules]` may not re-level the codes that always deny.
pub(super) fn rules<V>(rules: &BTreeMap<String, V>) -> Result<(), Fault> {
    for code in crate::diag::codes::not_overridable() {
        if rules.contains_key(code) {
            return Err((
                format!("rules.{code}"),
                format!(
                    "{code} cannot be overridden: an invalid module, a gate file that is not a regular file, or an artifact that could not be read never passes the gate"
                ),
            ));
        }
    }
    Ok(())
}
