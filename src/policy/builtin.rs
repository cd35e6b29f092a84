//! The built-in policy library: Rego embedded in the binary, parameterised by `wasmgate.toml`.
//!
//! The Rego lives in `policies/*.rego`; this module embeds it and turns the config into the
//! `data.wasmgate_config` document those policies read.

use serde::Serialize;
use serde_json::Value;

use crate::config::{
    AiConfig, Budget, CapabilitiesConfig, Config, CostBudget, CustomSectionsConfig, ExportsConfig,
    FinopsConfig, Growth, ImportsConfig, MemoryConfig, ProposalsConfig, SbomConfig,
    SignaturesConfig, WasiConfig,
};

/// `(file name, Rego source)` of every built-in policy.
pub const POLICIES: &[(&str, &str)] = &[
    ("ai.rego", include_str!("../../policies/ai.rego")),
    (
        "ai_predictions.rego",
        include_str!("../../policies/ai_predictions.rego"),
    ),
    (
        "custom_sections.rego",
        include_str!("../../policies/custom_sections.rego"),
    ),
    ("delta.rego", include_str!("../../policies/delta.rego")),
    ("exports.rego", include_str!("../../policies/exports.rego")),
    ("finops.rego", include_str!("../../policies/finops.rego")),
    ("git.rego", include_str!("../../policies/git.rego")),
    ("imports.rego", include_str!("../../policies/imports.rego")),
    ("lib.rego", include_str!("../../policies/lib.rego")),
    (
        "manifests.rego",
        include_str!("../../policies/manifests.rego"),
    ),
    ("memory.rego", include_str!("../../policies/memory.rego")),
    (
        "proposals.rego",
        include_str!("../../policies/proposals.rego"),
    ),
    ("sbom.rego", include_str!("../../policies/sbom.rego")),
    (
        "signatures.rego",
        include_str!("../../policies/signatures.rego"),
    ),
    ("size.rego", include_str!("../../policies/size.rego")),
    ("trust.rego", include_str!("../../policies/trust.rego")),
    ("wasi.rego", include_str!("../../policies/wasi.rego")),
    ("wasm.rego", include_str!("../../policies/wasm.rego")),
];

/// Built-in files that run even with `[policy] builtin = false`: an invalid module, a gate
/// file swapped for a link, or an artifact that could not be read never passes the gate; and
/// `data.ai_predictions`, a library user and admission policies may import.
pub const ALWAYS_ON: &[&str] = &["ai_predictions.rego", "lib.rego", "trust.rego", "wasm.rego"];

/// Name under which built-in policy files appear in diagnostics.
pub fn display_name(file: &str) -> String {
    format!("<builtin>/policies/{file}")
}

/// The parameters of the built-in rules, read by them as `data.wasmgate_config`: the config
/// areas as they serialise, with list entries numbered (`index`, for findings to point back)
/// and the default growth budget filled in.
pub fn config_data(config: &Config) -> Value {
    let growth = config.growth_budgets();
    let data = ConfigData {
        budgets: indexed(&config.budgets),
        imports: &config.imports,
        wasi: &config.wasi,
        memory: &config.memory,
        proposals: &config.proposals,
        custom_sections: &config.custom_sections,
        exports: &config.exports,
        growth: growth
            .iter()
            .enumerate()
            .map(|(position, (index, item))| Ranked {
                index: *index,
                rank: (crate::config::glob_specificity(&item.artifacts), position),
                item,
            })
            .collect(),
        finops: FinopsData {
            settings: &config.finops,
            budgets: indexed(&config.finops.budgets),
        },
        sbom: &config.sbom,
        signatures: &config.signatures,
        capabilities: &config.capabilities,
        ai: AiData {
            settings: &config.ai,
            protected: config
                .ai
                .protected
                .iter()
                .chain(&config.ai.capability_paths)
                .collect(),
        },
    };
    // Every config type serialises (strings, numbers, lists, maps of strings).
    serde_json::to_value(data).unwrap_or(Value::Null)
}

#[derive(Serialize)]
struct ConfigData<'a> {
    budgets: Vec<Indexed<'a, Budget>>,
    imports: &'a ImportsConfig,
    wasi: &'a WasiConfig,
    memory: &'a MemoryConfig,
    proposals: &'a ProposalsConfig,
    custom_sections: &'a CustomSectionsConfig,
    exports: &'a ExportsConfig,
    growth: Vec<Ranked<'a, Growth>>,
    finops: FinopsData<'a>,
    sbom: &'a SbomConfig,
    signatures: &'a SignaturesConfig,
    capabilities: &'a CapabilitiesConfig,
    ai: AiData<'a>,
}

/// A list entry with its position.
#[derive(Serialize)]
struct Indexed<'a, T> {
    index: usize,
    #[serde(flatten)]
    item: &'a T,
}

/// A growth entry with its config index (none for the default) and its rank: the most
/// specific glob wins, a later entry over an earlier one.
#[derive(Serialize)]
struct Ranked<'a, T> {
    index: Option<usize>,
    rank: (usize, usize),
    #[serde(flatten)]
    item: &'a T,
}

fn indexed<T>(items: &[T]) -> Vec<Indexed<'_, T>> {
    items
        .iter()
        .enumerate()
        .map(|(index, item)| Indexed { index, item })
        .collect()
}

/// `[finops]` with its budgets numbered (the config's own list is not serialised).
#[derive(Serialize)]
struct FinopsData<'a> {
    #[serde(flatten)]
    settings: &'a FinopsConfig,
    budgets: Vec<Indexed<'a, CostBudget>>,
}

/// `[ai]` with the capability paths counted as protected.
#[derive(Serialize)]
struct AiData<'a> {
    #[serde(flatten)]
    settings: &'a AiConfig,
    protected: Vec<&'a String>,
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::GrowthLimit;
    use serde_json::json;

    /// Before the data was derived it was written out by hand; every key that version had is
    /// still there with the same value (the derived one only adds keys).
    #[test]
    fn derived_data_keeps_every_hand_written_key() {
        let text = r#"
[[budgets]]
artifacts = "dist/*.wasm"
gzip = "100 KiB"
[[growth]]
artifacts = "**"
raw = { percent = 3.0, bytes = 1024 }
[imports]
deny = ["env.*"]
[memory]
max_bytes = "16 MiB"
[[finops.budgets]]
artifacts = "**"
max_monthly_cost = 10.5
[sbom]
unlicensed = "warn"
[ai]
capability_paths = ["src/host/**"]
"#;
        for source in ["", text] {
            let config = crate::config::load_text(
                std::path::Path::new("wasmgate.toml"),
                "wasmgate.toml",
                source.to_string(),
            )
            .map(|loaded| loaded.config);
            let Ok(config) = config else {
                panic!("the test config does not load: {config:?}");
            };
            let derived = config_data(&config);
            let by_hand = legacy(&config);
            assert_superset(&derived, &by_hand, "");
        }
    }

    fn assert_superset(derived: &Value, by_hand: &Value, at: &str) {
        match (derived, by_hand) {
            (Value::Object(d), Value::Object(h)) => {
                for (key, value) in h {
                    let Some(found) = d.get(key) else {
                        panic!("{at}.{key} is missing from the derived data");
                    };
                    assert_superset(found, value, &format!("{at}.{key}"));
                }
            }
            (Value::Array(d), Value::Array(h)) => {
                assert_eq!(d.len(), h.len(), "{at}");
                for (index, (d, h)) in d.iter().zip(h).enumerate() {
                    assert_superset(d, h, &format!("{at}[{index}]"));
                }
            }
            _ => assert_eq!(derived, by_hand, "{at}"),
        }
    }

    /// The hand-written version, as it was.
    fn legacy(config: &Config) -> Value {
        let budgets: Vec<Value> = config
            .budgets
            .iter()
            .enumerate()
            .map(|(index, budget)| {
                json!({
                    "index": index,
                    "artifacts": budget.artifacts,
                    "raw": budget.raw.map(|b| b.0),
                    "gzip": budget.gzip.map(|b| b.0),
                    "brotli": budget.brotli.map(|b| b.0),
                })
            })
            .collect();
        let limit = |limit: Option<GrowthLimit>| {
            limit.map(|l| json!({"percent": l.percent, "bytes": l.bytes.0}))
        };
        let growth: Vec<Value> = config
            .growth_budgets()
            .into_iter()
            .map(|(index, growth)| {
                json!({
                    "index": index,
                    "artifacts": growth.artifacts,
                    "raw": limit(growth.raw),
                    "gzip": limit(growth.gzip),
                    "brotli": limit(growth.brotli),
                })
            })
            .collect();
        json!({
            "budgets": budgets,
            "imports": {
                "allow": config.imports.allow,
                "deny": config.imports.deny,
            },
            "wasi": {
                "preview1": config.wasi.preview1,
                "allow": config.wasi.allow,
                "deny": config.wasi.deny,
            },
            "memory": {
                "max_bytes": config.memory.max_bytes.map(|b| b.0),
                "allow_shared": config.memory.allow_shared,
            },
            "proposals": {
                "allow": config.proposals.allow,
            },
            "custom_sections": {
                "debug": config.custom_sections.debug,
                "deny": config.custom_sections.deny,
                "require": config.custom_sections.require,
            },
            "exports": {
                "max": config.exports.max,
            },
            "growth": growth,
            "finops": {
                "budgets": config.finops.budgets.iter().enumerate().map(|(index, b)| json!({
                    "index": index,
                    "artifacts": b.artifacts,
                    "max_monthly_cost": b.max_monthly_cost,
                    "max_increase": b.max_increase,
                    "max_increase_percent": b.max_increase_percent,
                })).collect::<Vec<_>>(),
                "max_monthly_cost": config.finops.max_monthly_cost,
                "max_total_monthly_cost": config.finops.max_total_monthly_cost,
                "max_increase": config.finops.max_increase,
                "max_increase_percent": config.finops.max_increase_percent,
                "risk_deny_above": config.finops.risk_deny_above,
                "risk_min_monthly_cost": config.finops.risk_min_monthly_cost,
            },
            "sbom": {
                "required": config.sbom.required,
                "licenses_allow": config.sbom.licenses_allow,
                "licenses_deny": config.sbom.licenses_deny,
                "unlicensed": match config.sbom.unlicensed {
                    crate::config::Level::Deny => "deny",
                    crate::config::Level::Warn => "warn",
                    crate::config::Level::Allow => "allow",
                },
                "model_card": config.sbom.model_card,
            },
            "signatures": {
                "required": config.signatures.required,
                "allow_partial": config.signatures.allow_partial,
                "trusted_keys": config.signatures.trusted_keys,
            },
            "capabilities": {
                "allow_new": config.capabilities.allow_new,
            },
            "ai": {
                "require_review": config.ai.require_review,
                "review_trailer": config.ai.review_trailer,
                "require_trailer": config.ai.require_trailer,
                "forbid_trailers": config.ai.forbid_trailers,
                "protected": config.ai.protected.iter().chain(&config.ai.capability_paths).collect::<Vec<_>>(),
            },
        })
    }
}
