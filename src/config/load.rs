//! Finding `wasmgate.toml` and reading it strictly: unknown keys, wrong types and values out
//! of range are errors that point at the key; the areas check their own keys (in order, here),
//! and `[rules]` codes are checked once the policies that may produce them are loaded.

use std::ops::Range;
use std::path::{Path, PathBuf};

use miette::{NamedSource, SourceSpan};

use super::check::{Fault, check_numbers, edit_distance};
use super::error::{ConfigError, display_name};
use super::{Config, FILE_NAME};

/// A config and where it came from.
#[derive(Debug, Clone, Default)]
pub struct LoadedConfig {
    /// The parsed configuration.
    pub config: Config,
    /// The file it was read from; None when the defaults are in use.
    pub path: Option<PathBuf>,
    /// How to name it in diagnostics: `wasmgate.toml`, or `wasmgate.toml@<commit>` when it
    /// was read from the merge-base.
    pub display: String,
    /// The file's text, for labelling spans.
    pub source: String,
}

/// Finds `wasmgate.toml` in `start` or the nearest ancestor.
pub fn find(start: &Path) -> Option<PathBuf> {
    start
        .ancestors()
        .map(|dir| dir.join(FILE_NAME))
        .find(|candidate| candidate.is_file())
}

/// Reads and checks a config file.
pub fn load(path: &Path) -> Result<LoadedConfig, ConfigError> {
    let source = std::fs::read_to_string(path).map_err(|source| ConfigError::Read {
        path: display_name(path),
        source,
    })?;
    load_text(path, &display_name(path), source)
}

/// Checks config text that belongs at `path` (read from disk or from a commit).
pub fn load_text(path: &Path, display: &str, source: String) -> Result<LoadedConfig, ConfigError> {
    let invalid = |message: String, span: Option<Range<usize>>| ConfigError::Invalid {
        path: display.to_string(),
        message,
        src: NamedSource::new(display, source.clone()),
        span: span.map(SourceSpan::from),
    };
    let config: Config =
        toml::from_str(&source).map_err(|e| invalid(e.message().to_string(), e.span()))?;
    let loaded = LoadedConfig {
        config,
        path: Some(path.to_path_buf()),
        display: display.to_string(),
        source: source.clone(),
    };
    if let Err((key, message)) = check(&loaded.config) {
        return Err(invalid(message, loaded.span_of(&key)));
    }
    if let Ok(table) = toml::from_str::<toml::Table>(&source)
        && let Err((key, message)) = check_numbers(&toml::Value::Table(table), "")
    {
        return Err(invalid(message, loaded.span_of(&key)));
    }
    Ok(loaded)
}

/// Every area's checks, in the order of the file's sections.
fn check(config: &Config) -> Result<(), Fault> {
    config.compression.check()?;
    config.artifacts.check()?;
    config.custom_sections.check()?;
    config.signatures.check()?;
    config.sbom.check()?;
    config.finops.check()?;
    config.ai.check()?;
    config.manifests.check()?;
    for (index, growth) in config.growth.iter().enumerate() {
        growth.check(index)?;
    }
    for (index, budget) in config.budgets.iter().enumerate() {
        budget.check(index)?;
    }
    super::check::rules(&config.rules)?;
    super::waivers::check(&config.waivers, &config.waiver_limits)?;
    config.policy.check()
}

/// Every code named in `[rules]` is one wasmgate or a loaded policy can produce (`known`): a
/// typo would silently drop the override it meant. The error suggests the nearest code.
pub fn check_rule_codes(
    config: &LoadedConfig,
    known: &dyn Fn(&str) -> bool,
    candidates: &[String],
) -> Result<(), ConfigError> {
    for code in config.config.rules.keys() {
        if known(code) {
            continue;
        }
        let nearest = candidates
            .iter()
            .map(|candidate| (edit_distance(code, candidate), candidate))
            .filter(|(distance, _)| *distance <= 3)
            .min();
        let hint = match nearest {
            Some((_, candidate)) => format!("; did you mean `{candidate}`?"),
            None => "; `wasmgate explain --list` lists the codes".to_string(),
        };
        return Err(ConfigError::Invalid {
            path: config.display.clone(),
            message: format!(
                "[rules] names `{code}`, which no built-in rule or loaded policy produces{hint}"
            ),
            src: NamedSource::new(&config.display, config.source.clone()),
            span: config
                .span_of(&format!("rules.{code}"))
                .or_else(|| config.span_of("rules"))
                .map(SourceSpan::from),
        });
    }
    Ok(())
}
