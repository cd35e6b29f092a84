//! The FinOps figures as the input document carries them: plain data, computed by the
//! parent module and read by policies.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

/// FinOps figures for the whole run.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
pub struct FinopsFacts {
    /// Currency of every cost.
    pub currency: String,
    /// The encoding the CDN serves: `brotli`, `gzip` or `raw`.
    pub encoding: String,
    /// Price per GB transferred: `[finops] price_per_gb`, or with tiers the blended price of
    /// the total monthly GB.
    pub price_per_gb: f64,
    /// Share of loads served from cache (no download).
    pub cache_hit_ratio: f64,
    /// kg CO₂e per GB transferred.
    pub co2e_kg_per_gb: f64,
    /// Per artifact, in path order.
    pub artifacts: Vec<ArtifactCost>,
    /// Sum of monthly costs; null when no artifact has loads configured.
    pub total_monthly_cost: Option<f64>,
    /// Sum of the monthly cost changes against the baseline.
    pub total_monthly_change: Option<f64>,
    /// Artifacts whose served size is unknown (`--no-compress`, or an encoding not
    /// measured): no cost, cost change, trend or anomaly was computed for them, rather than
    /// pricing raw bytes as served. Each is a `cost-unchecked` warning.
    #[serde(default)]
    pub not_evaluated: Vec<String>,
    /// What running the artifacts costs (`[[finops.compute]]`), by artifact and object.
    #[serde(default)]
    pub compute: Vec<ComputeCost>,
    /// Sum of the compute costs; null without `[[finops.compute]]` figures.
    #[serde(default)]
    pub total_compute_monthly_cost: Option<f64>,
    /// Sum of the compute cost changes against the merge-base.
    #[serde(default)]
    pub total_compute_monthly_change: Option<f64>,
    /// Egress and compute together; null when neither has a figure.
    #[serde(default)]
    pub combined_monthly_cost: Option<f64>,
    /// The change of that against the baseline and the merge-base.
    #[serde(default)]
    pub combined_monthly_change: Option<f64>,
}

/// One artifact's figures.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
pub struct ArtifactCost {
    /// Artifact path.
    pub path: String,
    /// Bytes transferred per download (the served encoding's size).
    pub bytes_per_load: u64,
    /// Cost of a million loads: `bytes × 1e6 × (1 − cache hit) / 1e9 × price`.
    pub cost_per_million_loads: f64,
    /// Configured loads per month; null when none match.
    pub loads_per_month: Option<f64>,
    /// `bytes × loads × (1 − cache hit) / 1e9`.
    pub gb_per_month: Option<f64>,
    /// `gb_per_month × price`.
    pub monthly_cost: Option<f64>,
    /// `gb_per_month × co2e_kg_per_gb`.
    pub co2e_kg_per_month: Option<f64>,
    /// Monthly cost change against the baseline (same formula on the accepted size).
    pub monthly_change: Option<f64>,
    /// That change in percent of the baseline's monthly cost.
    pub monthly_change_percent: Option<f64>,
    /// Growth trend of the served size from the baseline history, with the forecast.
    pub trend: Trend,
    /// Theil–Sen slopes (bytes per merge, bytes per day) of every size metric.
    pub slopes: Vec<MetricSlope>,
    /// How unusual this change is against the history of changes.
    pub anomaly: Anomaly,
    /// The cost-risk score and its drivers.
    pub risk: Risk,
    /// Computed savings.
    pub hints: Vec<Hint>,
}

/// Theil–Sen slopes of the served size over the baseline history.
#[derive(Debug, Clone, Default, Serialize, Deserialize, JsonSchema)]
pub struct Trend {
    /// The size metric of the trend and forecast: the served encoding, or the first metric
    /// with a `[[budgets]]` limit when the served one has none.
    pub metric: String,
    /// History points used (oldest to newest).
    pub points: usize,
    /// Bytes per merge (median of pairwise slopes); null with fewer than 2 points.
    pub bytes_per_merge: Option<f64>,
    /// Bytes per day; null when the points do not span time.
    pub bytes_per_day: Option<f64>,
    /// Merges until the size budget (`[[budgets]]`, served encoding) is crossed at this rate;
    /// null when there is no budget or it will not be crossed.
    pub merges_to_budget: Option<f64>,
    /// Days until it is crossed at this rate.
    pub days_to_budget: Option<f64>,
    /// The budget used for the forecast.
    pub budget: Option<u64>,
    /// In words: `crosses the 120000-byte budget in ~9 merges / ~40 days`, or why not.
    pub forecast: String,
}

/// The trend of one size metric.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
pub struct MetricSlope {
    /// `raw`, `gzip` or `brotli`.
    pub metric: String,
    /// Bytes per merge.
    pub bytes_per_merge: Option<f64>,
    /// Bytes per day.
    pub bytes_per_day: Option<f64>,
}

/// Robust z-score of this change against the history of changes.
#[derive(Debug, Clone, Default, Serialize, Deserialize, JsonSchema)]
pub struct Anomaly {
    /// This change in bytes (current − newest accepted size); null without history.
    pub change: Option<i64>,
    /// Changes in the history.
    pub history: usize,
    /// Median of the historical changes.
    pub median: Option<f64>,
    /// Median absolute deviation of the historical changes.
    pub mad: Option<f64>,
    /// `0.6745 × (change − median) / MAD` (mean absolute deviation × 1.2533 when MAD is 0);
    /// null with not enough history.
    pub score: Option<f64>,
    /// `not enough history`, `normal`, `unusual` (score ≥ warn) or `anomalous` (score ≥ deny);
    /// only growth counts, so a negative score is `normal`.
    pub verdict: String,
}

/// The cost-risk score.
#[derive(Debug, Clone, Default, Serialize, Deserialize, JsonSchema)]
pub struct Risk {
    /// In [0, 1], rounded to 0.01: `1 − Π (1 − contribution)` over the drivers.
    pub score: f64,
    /// The monthly cost this change ships, rounded to cents (null without loads).
    pub predicted_monthly_cost: Option<f64>,
    /// Each term with its value, weight and contribution.
    pub drivers: Vec<Driver>,
    /// The score in words, term by term.
    #[serde(default)]
    pub explanation: String,
}

/// One term of the cost-risk score.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
pub struct Driver {
    /// `cost` (monthly cost ÷ cap), `anomaly` (z-score ÷ deny threshold, or with short
    /// history the jump over the cost before it ÷ 3) or `trend` (1 − merges to budget ÷ 20).
    pub name: String,
    /// The term, clamped to [0, 1].
    pub value: f64,
    /// Its weight.
    pub weight: f64,
    /// `value × weight`.
    pub contribution: f64,
    /// What the value was computed from.
    #[serde(default)]
    pub basis: String,
}

/// A remediation with the money it saves.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
pub struct Hint {
    /// `strip-debug`, `serve-brotli` or `run-wasm-opt`.
    pub kind: String,
    /// What to do.
    pub message: String,
    /// Bytes saved per load; null when it cannot be computed without running the tool.
    pub bytes_saved: Option<u64>,
    /// Monthly saving; null without loads or bytes.
    pub monthly_saving: Option<f64>,
}

/// What running an artifact costs, for one `[[finops.compute]]` entry and (when manifests bind
/// it) one object that deploys it.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
pub struct ComputeCost {
    /// Artifact path.
    pub artifact: String,
    /// The `[[finops.compute]]` entry (its index).
    pub entry: usize,
    /// The object that deploys it; null when no manifest binds it.
    pub object: Option<ComputeObject>,
    /// `invocations` or `provisioned`.
    pub model: String,
    /// Memory per instance in bytes; null when nothing says (then there is no cost).
    pub memory_bytes: Option<u64>,
    /// Where that memory comes from: `finops.compute[i].memory`, the object's limit (e.g.
    /// `container app resources.limits.memory`), or `the artifact's maximum linear memory`.
    pub memory_source: String,
    /// Invocations per month (`invocations`).
    pub invocations_per_month: Option<f64>,
    /// Mean duration in milliseconds (`invocations`).
    pub duration_ms: Option<f64>,
    /// Replicas (`provisioned`).
    pub replicas: Option<f64>,
    /// `invocations × duration_ms / 1000 × memory / 2^30` (`invocations`).
    pub gb_seconds_per_month: Option<f64>,
    /// `replicas × memory / 2^30 × 730` (`provisioned`).
    pub gb_hours_per_month: Option<f64>,
    /// Price per GB-second used.
    pub price_per_gb_second: f64,
    /// Price per million requests used.
    pub price_per_million_requests: f64,
    /// Price per GB-hour used.
    pub price_per_gb_hour: f64,
    /// Compute cost per month, rounded to cents; null when the memory is unknown.
    pub monthly_cost: Option<f64>,
    /// The same at the merge-base: the object's resources then and the artifact's memory
    /// then (0 when the object is new); null without a base.
    pub base_monthly_cost: Option<f64>,
    /// `monthly_cost − base_monthly_cost`, rounded to cents.
    pub monthly_change: Option<f64>,
    /// The artifact's size trend: merges until a size budget is crossed (the risk's trend).
    pub merges_to_budget: Option<f64>,
    /// The object's declared resources at each commit that changed its manifest, newest first.
    pub history: Vec<crate::derive::resource_history::ResourcePoint>,
    /// How unusual this change of memory is against that history.
    pub memory_anomaly: Anomaly,
    /// How unusual this change of replicas is against that history.
    pub replicas_anomaly: Anomaly,
    /// The cost-risk score of running it.
    pub risk: Risk,
}

/// The object a compute row prices.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
pub struct ComputeObject {
    /// `kind`.
    pub kind: String,
    /// `metadata.name`.
    pub name: Option<String>,
    /// The manifest.
    pub file: String,
    /// Line of the object.
    pub line: u64,
    /// The container the artifact runs in; null for the whole object.
    pub container: Option<String>,
    /// The images it runs the artifact as.
    pub images: Vec<String>,
}
