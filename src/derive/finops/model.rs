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
    /// In [0, 1]: the sum of the drivers' contributions.
    pub score: f64,
    /// The monthly cost this change ships (null without loads).
    pub predicted_monthly_cost: Option<f64>,
    /// Each term with its value, weight and contribution.
    pub drivers: Vec<Driver>,
}

/// One term of the cost-risk score.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
pub struct Driver {
    /// `cost` (monthly cost ÷ budget), `anomaly` (score ÷ deny threshold) or `trend`
    /// (1 − merges to budget ÷ horizon).
    pub name: String,
    /// The term, clamped to [0, 1].
    pub value: f64,
    /// Its weight.
    pub weight: f64,
    /// `value × weight`.
    pub contribution: f64,
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
