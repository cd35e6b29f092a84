//! What running the artifacts costs (`[[finops.compute]]`): per invocation (requests and
//! GB-seconds, as FaaS platforms bill) or provisioned (replicas × GB-hours, as always-on
//! workloads are billed), for each object that deploys an artifact, with the change against
//! the merge-base and the history of the object's declared resources.

use super::model::{Anomaly, ArtifactCost, ComputeCost, ComputeObject, Risk};
use super::{Artifact, anomaly, day_of, risk};
use crate::config::{Compute, FinopsConfig};
use crate::derive::resource_history::ResourcePoint;
use crate::facts::manifests::{Binding, ManifestObject};

/// Bytes in a GiB: FaaS platforms bill GB-seconds of memory configured in MiB (1 GB = 1024 MB).
const GIB: f64 = 1_073_741_824.0;
/// Hours in a billing month (365 × 24 / 12), as cloud price lists count them.
const HOURS_PER_MONTH: f64 = 730.0;

/// An object that deploys an artifact, with its resource history.
pub struct Deployment<'a> {
    /// The object.
    pub object: &'a ManifestObject,
    /// How it binds the artifact.
    pub binding: &'a Binding,
    /// Its images that run the artifact.
    pub images: Vec<String>,
    /// Its declared resources at each commit that changed its manifest, newest first.
    pub history: Vec<ResourcePoint>,
}

/// Every compute row, in `[[finops.compute]]` order, then artifact path, then object.
pub fn rows(
    artifacts: &[Artifact<'_>],
    deployments: &[Deployment<'_>],
    has_base: bool,
    egress: &[ArtifactCost],
    config: &FinopsConfig,
) -> Vec<ComputeCost> {
    let mut rows = Vec::new();
    for (index, entry) in config.compute.iter().enumerate() {
        let Some(glob) = crate::config::artifact_glob(&entry.artifacts) else {
            continue;
        };
        for artifact in artifacts.iter().filter(|a| glob.is_match(&a.facts.path)) {
            let path = &artifact.facts.path;
            let merges = egress
                .iter()
                .find(|row| &row.path == path)
                .and_then(|row| row.trend.merges_to_budget);
            let deployed: Vec<&Deployment<'_>> = deployments
                .iter()
                .filter(|d| &d.binding.artifact == path)
                .filter(|d| {
                    entry
                        .object
                        .as_ref()
                        .is_none_or(|name| names(d.object, name))
                })
                .collect();
            if deployed.is_empty() && entry.object.is_none() {
                rows.push(row(index, entry, artifact, None, has_base, merges, config));
            }
            for deployment in deployed {
                rows.push(row(
                    index,
                    entry,
                    artifact,
                    Some(deployment),
                    has_base,
                    merges,
                    config,
                ));
            }
        }
    }
    rows
}

/// `name` is the object's name, or its `Kind/name`.
fn names(object: &ManifestObject, name: &str) -> bool {
    let own = object.name.as_deref().unwrap_or_default();
    name == own || name == format!("{}/{own}", object.kind)
}

fn row(
    index: usize,
    entry: &Compute,
    artifact: &Artifact<'_>,
    deployment: Option<&Deployment<'_>>,
    has_base: bool,
    merges_to_budget: Option<f64>,
    config: &FinopsConfig,
) -> ComputeCost {
    let provisioned = entry.model == "provisioned";
    let declared = deployment.and_then(|d| crate::facts::manifests::priced_memory(d.binding));
    let maximum = linear_maximum(artifact.facts.wasm.memories.iter().map(|m| m.maximum_bytes));
    let (memory, source) = match (entry.memory_bytes(), &declared, maximum) {
        (Some(bytes), _, _) => (Some(bytes), format!("finops.compute[{index}].memory")),
        (None, Some((bytes, source)), _) => (Some(*bytes), source.clone()),
        (None, None, Some(bytes)) => (Some(bytes), "the artifact's maximum linear memory".to_string()),
        (None, None, None) => (
            None,
            "unknown: no finops.compute memory, no limit declared by a bound object, and no maximum linear memory".to_string(),
        ),
    };
    let object_replicas =
        deployment.and_then(|d| crate::facts::manifests::replicas(&d.object.object));
    let replicas = provisioned.then(|| {
        entry
            .replicas
            .or(object_replicas.map(|r| r as f64))
            .unwrap_or(1.0)
    });
    let now = memory.map(|m| price(entry, m, replicas.unwrap_or(1.0)));
    // At the merge-base: the object's resources then, the artifact's memory then.
    let base = has_base.then(|| {
        let Some(deployment) = deployment else {
            let Some(before) = artifact.baseline else {
                return Some(0.0);
            };
            let memory = match (entry.memory_bytes(), maximum) {
                (Some(bytes), _) => Some(bytes),
                (None, _) => linear_maximum(
                    before
                        .memories
                        .iter()
                        .map(|m| m.maximum_pages.and_then(|p| p.checked_mul(65_536))),
                ),
            };
            return memory.map(|m| price(entry, m, replicas.unwrap_or(1.0)).0);
        };
        let Some(old) = &deployment.object.base_object else {
            return Some(0.0);
        };
        let (old_memory, old_replicas) = crate::facts::manifests::declared_resources(
            old,
            deployment.binding.container.as_deref(),
        );
        let memory = match (entry.memory_bytes(), old_memory) {
            (Some(bytes), _) | (None, Some(bytes)) => Some(bytes),
            (None, None) => maximum,
        };
        let replicas = entry
            .replicas
            .or(old_replicas.map(|r| r as f64))
            .unwrap_or(1.0);
        memory.map(|m| price(entry, m, replicas).0)
    });
    let base = base.flatten();
    let history = deployment.map(|d| d.history.clone()).unwrap_or_default();
    let (memory_anomaly, replicas_anomaly) =
        resource_anomalies(&history, memory, object_replicas, config);
    let monthly = now.map(|(cost, _, _)| cost);
    let risk = assess(
        monthly,
        base,
        &memory_anomaly,
        &replicas_anomaly,
        merges_to_budget,
        config,
    );
    ComputeCost {
        artifact: artifact.facts.path.clone(),
        entry: index,
        object: deployment.map(|d| ComputeObject {
            kind: d.object.kind.clone(),
            name: d.object.name.clone(),
            file: d.object.file.clone(),
            line: d.object.line,
            container: d.binding.container.clone(),
            images: d.images.clone(),
        }),
        model: entry.model.clone(),
        memory_bytes: memory,
        memory_source: source,
        invocations_per_month: (!provisioned)
            .then_some(entry.invocations_per_month)
            .flatten(),
        duration_ms: (!provisioned).then_some(entry.duration_ms).flatten(),
        replicas,
        gb_seconds_per_month: now.and_then(|(_, gb_s, _)| gb_s),
        gb_hours_per_month: now.and_then(|(_, _, gb_h)| gb_h),
        price_per_gb_second: entry.price_per_gb_second,
        price_per_million_requests: entry.price_per_million_requests,
        price_per_gb_hour: entry.price_per_gb_hour,
        monthly_cost: monthly.map(risk::cents),
        base_monthly_cost: base.map(risk::cents),
        monthly_change: monthly.zip(base).map(|(now, then)| risk::cents(now - then)),
        merges_to_budget,
        history,
        memory_anomaly,
        replicas_anomaly,
        risk,
    }
}

/// The most all linear memories can grow to; null when one has no maximum or there is none.
fn linear_maximum(maxima: impl Iterator<Item = Option<u64>>) -> Option<u64> {
    let mut total: Option<u64> = None;
    for maximum in maxima {
        total = Some(total.unwrap_or(0).checked_add(maximum?)?);
    }
    total.filter(|bytes| *bytes > 0)
}

/// Monthly cost, GB-seconds and GB-hours of running `entry` with `memory` bytes per instance.
fn price(entry: &Compute, memory: u64, replicas: f64) -> (f64, Option<f64>, Option<f64>) {
    let gib = memory as f64 / GIB;
    if entry.model == "provisioned" {
        let gb_hours = replicas * gib * HOURS_PER_MONTH;
        return (gb_hours * entry.price_per_gb_hour, None, Some(gb_hours));
    }
    let invocations = entry.invocations_per_month.unwrap_or(0.0);
    let seconds = invocations * entry.duration_ms.unwrap_or(0.0) / 1000.0;
    let gb_seconds = seconds * gib;
    let cost = gb_seconds * entry.price_per_gb_second
        + invocations / 1e6 * entry.price_per_million_requests;
    (cost, Some(gb_seconds), None)
}

/// This change of memory and of replicas against the object's history of them.
fn resource_anomalies(
    history: &[ResourcePoint],
    memory: Option<u64>,
    replicas: Option<u64>,
    config: &FinopsConfig,
) -> (Anomaly, Anomaly) {
    let series = |value: &dyn Fn(&ResourcePoint) -> Option<u64>| -> Vec<(u64, Option<i64>)> {
        history
            .iter()
            .rev()
            .filter_map(|p| Some((value(p)?, day_of(&p.date))))
            .collect()
    };
    let judge = |series: Vec<(u64, Option<i64>)>, current: Option<u64>| match current {
        Some(current) => anomaly(&series, current, config),
        None => Anomaly {
            verdict: "not declared".to_string(),
            ..Anomaly::default()
        },
    };
    (
        judge(series(&|p| p.memory_bytes), memory),
        judge(series(&|p| p.replicas), replicas),
    )
}

fn assess(
    monthly: Option<f64>,
    before: Option<f64>,
    memory: &Anomaly,
    replicas: &Anomaly,
    merges_to_budget: Option<f64>,
    config: &FinopsConfig,
) -> Risk {
    let z_score = [memory.score, replicas.score]
        .into_iter()
        .flatten()
        .reduce(f64::max);
    risk::assess(
        risk::Signals {
            monthly,
            before,
            z_score,
            merges_to_budget,
        },
        config,
    )
}

/// The risk of running `row`'s artifact as it is, but with `memory` bytes per instance (what
/// `data.ai_predictions.get_cost_risk` answers for resources other than the declared ones).
pub fn predict(row: &ComputeCost, memory: Option<u64>, config: &FinopsConfig) -> Risk {
    let Some(entry) = config.compute.get(row.entry) else {
        return row.risk.clone();
    };
    let Some(memory) = memory.or(row.memory_bytes) else {
        return row.risk.clone();
    };
    let (monthly, _, _) = price(entry, memory, row.replicas.unwrap_or(1.0));
    let (memory_anomaly, _) = resource_anomalies(&row.history, Some(memory), None, config);
    assess(
        Some(monthly),
        row.base_monthly_cost,
        &memory_anomaly,
        &row.replicas_anomaly,
        row.merges_to_budget,
        config,
    )
}
