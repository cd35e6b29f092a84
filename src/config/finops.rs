//! `[finops]`: the traffic and price model of the shipped bytes.

use serde::{Deserialize, Serialize};

use super::artifact_glob;
use super::budgets::match_all;
use super::check::Fault;

/// `[finops]`
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields, default)]
pub struct FinopsConfig {
    /// Currency of prices and costs.
    pub currency: String,
    /// Price per GB (10^9 bytes) of egress.
    pub price_per_gb: f64,
    /// Share of loads served from a cache (browser or CDN edge) without a download.
    pub cache_hit_ratio: f64,
    /// The encoding the CDN serves: `brotli`, `gzip` or `raw`.
    pub encoding: String,
    /// kg CO₂e per GB transferred.
    pub co2e_kg_per_gb: f64,
    /// Monthly loads by artifact glob.
    pub loads: Vec<Loads>,
    /// Tiered egress prices over the total monthly GB, cheapest last; replaces
    /// `price_per_gb` when set (each artifact pays its share of the total).
    pub tiers: Vec<PriceTier>,
    /// Cost budgets by artifact glob (in addition to the global ones).
    #[serde(skip_serializing)]
    pub budgets: Vec<CostBudget>,
    /// Largest monthly cost per artifact (cost-budget-exceeded; the cost term of the risk).
    pub max_monthly_cost: Option<f64>,
    /// Largest monthly cost increase a change may add, per artifact.
    pub max_increase: Option<f64>,
    /// Largest monthly cost increase in percent, per artifact.
    pub max_increase_percent: Option<f64>,
    /// Largest total monthly cost.
    pub max_total_monthly_cost: Option<f64>,
    /// History changes needed before an anomaly score is given.
    pub anomaly_min_history: usize,
    /// Robust z-score from which a change warns.
    pub anomaly_warn: f64,
    /// Robust z-score from which a change denies.
    pub anomaly_deny: f64,
    /// The shipped cost-risk rule denies above this score…
    pub risk_deny_above: f64,
    /// …when the predicted monthly cost is above this.
    pub risk_min_monthly_cost: f64,
    /// What running the artifacts costs, by artifact glob (and manifest object).
    pub compute: Vec<Compute>,
}

/// One `[[finops.compute]]` entry: how an artifact runs and what that is priced at.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Compute {
    /// Glob over artifact paths.
    #[serde(default = "match_all")]
    pub artifacts: String,
    /// Only the manifest objects with this name (`name` or `Kind/name`).
    pub object: Option<String>,
    /// `invocations` (billed per request and GB-second) or `provisioned` (always on, billed
    /// per GB-hour and replica).
    #[serde(default = "invocations")]
    pub model: String,
    /// Invocations per month (`invocations`).
    pub invocations_per_month: Option<f64>,
    /// Mean duration of an invocation in milliseconds (`invocations`).
    pub duration_ms: Option<f64>,
    /// Memory given to each instance, a Kubernetes quantity (`512Mi`); default: the bound
    /// object's declared limit, else the artifact's maximum linear memory.
    pub memory: Option<String>,
    /// Price per GB-second (GiB of memory × seconds).
    #[serde(default = "price_per_gb_second")]
    pub price_per_gb_second: f64,
    /// Price per million requests.
    #[serde(default = "price_per_million_requests")]
    pub price_per_million_requests: f64,
    /// Replicas (`provisioned`); default: the object's `spec.replicas`, else 1.
    pub replicas: Option<f64>,
    /// Price per GB-hour of memory (`provisioned`).
    #[serde(default = "price_per_gb_hour")]
    pub price_per_gb_hour: f64,
}

fn invocations() -> String {
    "invocations".to_string()
}

// AWS Lambda, x86, first 6 billion GB-seconds a month, us-east-1 (public price list, see
// docs/finops.md): $0.0000166667 per GB-second and $0.20 per million requests.
fn price_per_gb_second() -> f64 {
    0.000_016_666_7
}

fn price_per_million_requests() -> f64 {
    0.20
}

// AWS Fargate, Linux/x86, us-east-1: $0.004445 per GB-hour of memory (docs/finops.md).
fn price_per_gb_hour() -> f64 {
    0.004_445
}

/// One `[[finops.tiers]]` entry.
#[derive(Debug, Clone, Copy, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct PriceTier {
    /// This price applies to the GB up to this monthly total; the last tier has none.
    pub up_to_gb: Option<f64>,
    /// Price per GB within the tier.
    pub price_per_gb: f64,
}

/// One `[[finops.budgets]]` entry.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct CostBudget {
    /// Glob over artifact paths.
    #[serde(default = "match_all")]
    pub artifacts: String,
    /// Largest monthly cost.
    pub max_monthly_cost: Option<f64>,
    /// Largest monthly increase per change.
    pub max_increase: Option<f64>,
    /// Largest monthly increase per change, in percent.
    pub max_increase_percent: Option<f64>,
}

/// One `[[finops.loads]]` entry.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Loads {
    /// Glob over artifact paths.
    #[serde(default = "match_all")]
    pub artifacts: String,
    /// Loads per month.
    pub per_month: f64,
}

impl FinopsConfig {
    /// Cost of `gb` per month under the tiers (or the flat price without tiers).
    pub fn price(&self, gb: f64) -> f64 {
        if self.tiers.is_empty() {
            return gb * self.price_per_gb;
        }
        let (mut cost, mut floor) = (0.0, 0.0);
        for tier in &self.tiers {
            let ceiling = tier.up_to_gb.unwrap_or(f64::INFINITY);
            let within = (gb.min(ceiling) - floor).max(0.0);
            cost += within * tier.price_per_gb;
            floor = ceiling;
            if gb <= ceiling {
                break;
            }
        }
        cost
    }

    /// Monthly loads of an artifact: the first matching `[[finops.loads]]` entry.
    pub fn loads_for(&self, path: &str) -> Option<f64> {
        self.loads.iter().find_map(|loads| {
            artifact_glob(&loads.artifacts)?
                .is_match(path)
                .then_some(loads.per_month)
        })
    }
}

impl Default for FinopsConfig {
    fn default() -> Self {
        FinopsConfig {
            currency: "USD".to_string(),
            // Amazon CloudFront, data transfer out to the internet, first 10 TB/month in North
            // America and Europe (public price list; see docs/finops.md).
            price_per_gb: 0.085,
            cache_hit_ratio: 0.0,
            encoding: "brotli".to_string(),
            // Sustainable Web Design model v3: 0.81 kWh/GB × 442 g CO₂e/kWh (docs/finops.md).
            co2e_kg_per_gb: 0.358,
            loads: Vec::new(),
            tiers: Vec::new(),
            budgets: Vec::new(),
            max_monthly_cost: None,
            max_increase: None,
            max_increase_percent: None,
            max_total_monthly_cost: None,
            anomaly_min_history: 5,
            // Iglewicz and Hoaglin's outlier threshold for the modified z-score.
            anomaly_warn: 3.5,
            anomaly_deny: 7.0,
            risk_deny_above: 0.8,
            risk_min_monthly_cost: 1000.0,
            compute: Vec::new(),
        }
    }
}

impl FinopsConfig {
    pub(super) fn check(&self) -> Result<(), Fault> {
        if !["brotli", "gzip", "raw"].contains(&self.encoding.as_str()) {
            return Err((
                "finops.encoding".to_string(),
                format!(
                    "finops.encoding must be brotli, gzip or raw, not `{}`",
                    self.encoding
                ),
            ));
        }
        if !(0.0..=1.0).contains(&self.cache_hit_ratio) {
            return Err((
                "finops.cache_hit_ratio".to_string(),
                "finops.cache_hit_ratio is a share between 0 and 1".to_string(),
            ));
        }
        for (index, compute) in self.compute.iter().enumerate() {
            compute.check(index)?;
        }
        Ok(())
    }
}

impl Compute {
    fn check(&self, index: usize) -> Result<(), Fault> {
        let key = |field: &str| format!("finops.compute[{index}].{field}");
        super::check::glob(&key("artifacts"), &self.artifacts)?;
        let required = |field: &str, value: Option<f64>| match value {
            Some(v) if v.is_finite() && v >= 0.0 => Ok(()),
            Some(_) => Err((key(field), format!("{} must be a number ≥ 0", key(field)))),
            None => Err((
                key(field),
                format!("{} is required with model = \"{}\"", key(field), self.model),
            )),
        };
        match self.model.as_str() {
            "invocations" => {
                required("invocations_per_month", self.invocations_per_month)?;
                required("duration_ms", self.duration_ms)?;
            }
            "provisioned" => {
                if let Some(replicas) = self.replicas {
                    required("replicas", Some(replicas))?;
                }
            }
            other => {
                return Err((
                    key("model"),
                    format!(
                        "{} must be invocations or provisioned, not `{other}`",
                        key("model")
                    ),
                ));
            }
        }
        for (field, price) in [
            ("price_per_gb_second", self.price_per_gb_second),
            (
                "price_per_million_requests",
                self.price_per_million_requests,
            ),
            ("price_per_gb_hour", self.price_per_gb_hour),
        ] {
            required(field, Some(price))?;
        }
        if let Some(memory) = &self.memory {
            crate::facts::quantity::memory_bytes(memory)
                .map_err(|problem| (key("memory"), format!("{}: {problem}", key("memory"))))?;
        }
        Ok(())
    }

    /// Memory in bytes, when set (checked when the config was loaded).
    pub fn memory_bytes(&self) -> Option<u64> {
        let memory = self.memory.as_ref()?;
        let bytes = crate::facts::quantity::memory_bytes(memory).ok()?;
        Some(u64::try_from(bytes).unwrap_or(u64::MAX))
    }
}
