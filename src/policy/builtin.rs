//! The built-in policy library: Rego embedded in the binary, parameterised by `wasmgate.toml`.
//!
//! The Rego lives in `policies/*.rego`; this module embeds it and turns the config into the
//! `data.wasmgate_config` document those policies read.

use serde_json::{Value, json};

use crate::config::{Config, GrowthLimit};

/// `(file name, Rego source)` of every built-in policy.
pub const POLICIES: &[(&str, &str)] = &[
    ("ai.rego", include_str!("../../policies/ai.rego")),
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
/// file swapped for a link, or an artifact that could not be read never passes the gate.
pub const ALWAYS_ON: &[&str] = &["lib.rego", "trust.rego", "wasm.rego"];

/// Name under which built-in policy files appear in diagnostics.
pub fn display_name(file: &str) -> String {
    format!("<builtin>/policies/{file}")
}

/// The parameters of the built-in rules, read by them as `data.wasmgate_config`.
pub fn config_data(config: &Config) -> Value {
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
        .enumerate()
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
