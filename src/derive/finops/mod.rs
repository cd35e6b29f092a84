//! FinOps: what the shipped bytes cost, how this change moves that, where the trend goes, how
//! unusual the change is, and a cost-risk score with its drivers. Deterministic, from the
//! artifacts, the baseline and the repository's own baseline history; every figure can be
//! recomputed from the inputs it lists.

pub mod compute;
pub mod model;
pub mod risk;

pub use model::*;

use crate::config::FinopsConfig;
use crate::derive::baseline::BaselineEntry;
use crate::derive::history::HistoryPoint;
use crate::facts::artifact::ArtifactFacts;

/// One artifact as FinOps reads it: its facts and its accepted past.
#[derive(Debug, Clone, Copy)]
pub struct Artifact<'a> {
    /// What is true of the bytes now.
    pub facts: &'a ArtifactFacts,
    /// The accepted facts of this path, if any.
    pub baseline: Option<&'a BaselineEntry>,
    /// Accepted sizes from the baseline's history, newest first.
    pub history: &'a [HistoryPoint],
}

/// An artifact's monthly cost and change before rounding.
type Exact = (Option<f64>, Option<f64>);

/// Bytes in a GB (decimal, as CDNs bill).
const GB: f64 = 1e9;

/// Computes the figures.
pub fn compute(
    artifacts: &[Artifact<'_>],
    deployments: &[compute::Deployment<'_>],
    has_base: bool,
    config: &FinopsConfig,
    size_budget: &dyn Fn(&str, &str) -> Option<u64>,
) -> FinopsFacts {
    let downloads_share = 1.0 - config.cache_hit_ratio.clamp(0.0, 1.0);
    // With tiers the price per GB depends on the total: the blended price of all artifacts.
    let total_gb: f64 = artifacts
        .iter()
        .filter_map(|a| {
            let bytes = measured(
                &a.facts.size.raw,
                a.facts.size.gzip,
                a.facts.size.brotli,
                &config.encoding,
            )?;
            config
                .loads_for(&a.facts.path)
                .map(|loads| bytes as f64 * loads * downloads_share / GB)
        })
        .sum();
    let price_per_gb = if config.tiers.is_empty() || total_gb <= 0.0 {
        config
            .tiers
            .first()
            .map_or(config.price_per_gb, |t| t.price_per_gb)
    } else {
        config.price(total_gb) / total_gb
    };
    let mut rows = Vec::new();
    // Totals are summed before rounding, so they are the cents of the exact sum.
    let mut exact: Vec<Exact> = Vec::new();
    let mut not_evaluated = Vec::new();
    for artifact in artifacts {
        // Unknown is not zero, and raw is not brotli: without the served size there is no
        // figure, and history points without it are left out rather than mixed in.
        let Some(bytes) = measured(
            &artifact.facts.size.raw,
            artifact.facts.size.gzip,
            artifact.facts.size.brotli,
            &config.encoding,
        ) else {
            not_evaluated.push(artifact.facts.path.clone());
            continue;
        };
        let loads = config.loads_for(&artifact.facts.path);
        // Every figure at the same price: with tiers, the blended one.
        let cost_of = |bytes: u64| {
            loads.map(|loads| bytes as f64 * loads * downloads_share / GB * price_per_gb)
        };
        let gb = loads.map(|loads| bytes as f64 * loads * downloads_share / GB);
        let monthly = cost_of(bytes);
        let before = artifact
            .baseline
            .and_then(|b| measured(&b.size.raw, b.size.gzip, b.size.brotli, &config.encoding));
        let before_cost = before.and_then(cost_of);
        let change = monthly.zip(before_cost).map(|(now, then)| now - then);
        let series: Vec<(u64, Option<i64>)> = artifact
            .history
            .iter()
            .rev()
            .filter_map(|p| {
                Some((
                    measured(&p.raw, p.gzip, p.brotli, &config.encoding)?,
                    day_of(&p.date),
                ))
            })
            .collect();
        // The forecast follows the served encoding's budget, else the first metric that has one.
        let forecast_metric = [config.encoding.as_str(), "raw", "gzip", "brotli"]
            .into_iter()
            .find(|metric| size_budget(&artifact.facts.path, metric).is_some())
            .unwrap_or(config.encoding.as_str());
        let forecast_series: Vec<(u64, Option<i64>)> = artifact
            .history
            .iter()
            .rev()
            .filter_map(|p| {
                Some((
                    measured(&p.raw, p.gzip, p.brotli, forecast_metric)?,
                    day_of(&p.date),
                ))
            })
            .collect();
        let forecast_current = measured(
            &artifact.facts.size.raw,
            artifact.facts.size.gzip,
            artifact.facts.size.brotli,
            forecast_metric,
        )
        .unwrap_or(bytes);
        let mut trend = trend(
            &forecast_series,
            forecast_current,
            size_budget(&artifact.facts.path, forecast_metric),
        );
        trend.metric = forecast_metric.to_string();
        let anomaly = anomaly(&series, bytes, config);
        let risk = risk::assess(
            risk::Signals {
                monthly,
                before: before_cost,
                z_score: anomaly.score,
                merges_to_budget: trend.merges_to_budget,
            },
            config,
        );
        let hints = hints(artifact, bytes, &cost_of, config);
        let slopes = ["raw", "gzip", "brotli"]
            .into_iter()
            .map(|metric| {
                let points: Vec<(f64, Option<i64>, Option<u64>)> = artifact
                    .history
                    .iter()
                    .rev()
                    .enumerate()
                    .map(|(i, p)| {
                        let value = match metric {
                            "raw" => Some(p.raw),
                            "gzip" => p.gzip,
                            _ => p.brotli,
                        };
                        (i as f64, day_of(&p.date), value)
                    })
                    .collect();
                let by_merge: Vec<(f64, f64)> = points
                    .iter()
                    .filter_map(|(i, _, v)| Some((*i, (*v)? as f64)))
                    .collect();
                let by_day: Vec<(f64, f64)> = points
                    .iter()
                    .filter_map(|(_, d, v)| Some(((*d)? as f64, (*v)? as f64)))
                    .collect();
                MetricSlope {
                    metric: metric.to_string(),
                    bytes_per_merge: theil_sen(&by_merge),
                    bytes_per_day: theil_sen(&by_day),
                }
            })
            .collect();
        exact.push((monthly, change));
        rows.push(ArtifactCost {
            path: artifact.facts.path.clone(),
            bytes_per_load: bytes,
            cost_per_million_loads: bytes as f64 * 1e6 * downloads_share / GB * price_per_gb,
            loads_per_month: loads,
            gb_per_month: gb,
            monthly_cost: monthly.map(risk::cents),
            co2e_kg_per_month: gb.map(|gb| gb * config.co2e_kg_per_gb),
            monthly_change: change.map(risk::cents),
            monthly_change_percent: change
                .zip(before_cost)
                .and_then(|(change, then)| (then > 0.0).then(|| change * 100.0 / then)),
            trend,
            slopes,
            anomaly,
            risk,
            hints,
        });
    }
    let sum = |pick: fn(&Exact) -> Option<f64>| {
        let values: Vec<f64> = exact.iter().filter_map(pick).collect();
        (!values.is_empty()).then(|| risk::cents(values.iter().sum()))
    };
    let compute = compute::rows(artifacts, deployments, has_base, &rows, config);
    // Compute rows are rounded to cents already: their sum is exact in cents.
    let compute_sum = |f: &dyn Fn(&ComputeCost) -> Option<f64>| {
        let values: Vec<f64> = compute.iter().filter_map(f).collect();
        (!values.is_empty()).then(|| risk::cents(values.iter().sum()))
    };
    let total_compute_monthly_cost = compute_sum(&|r| r.monthly_cost);
    let total_compute_monthly_change = compute_sum(&|r| r.monthly_change);
    let total_monthly_cost = sum(|r| r.0);
    let total_monthly_change = sum(|r| r.1);
    let combine = |a: Option<f64>, b: Option<f64>| match (a, b) {
        (None, None) => None,
        (a, b) => Some(risk::cents(a.unwrap_or(0.0) + b.unwrap_or(0.0))),
    };
    FinopsFacts {
        currency: config.currency.clone(),
        encoding: config.encoding.clone(),
        price_per_gb,
        cache_hit_ratio: config.cache_hit_ratio,
        co2e_kg_per_gb: config.co2e_kg_per_gb,
        total_monthly_cost,
        total_monthly_change,
        combined_monthly_cost: combine(total_monthly_cost, total_compute_monthly_cost),
        combined_monthly_change: combine(total_monthly_change, total_compute_monthly_change),
        total_compute_monthly_cost,
        total_compute_monthly_change,
        compute,
        artifacts: rows,
        not_evaluated,
    }
}

/// The size in `encoding`, when it was measured.
fn measured(raw: &u64, gzip: Option<u64>, brotli: Option<u64>, encoding: &str) -> Option<u64> {
    match encoding {
        "brotli" => brotli,
        "gzip" => gzip,
        _ => Some(*raw),
    }
}

fn served(raw: &u64, gzip: Option<u64>, brotli: Option<u64>, encoding: &str) -> u64 {
    match encoding {
        "brotli" => brotli.unwrap_or(*raw),
        "gzip" => gzip.unwrap_or(*raw),
        _ => *raw,
    }
}

/// Days since the epoch of an RFC 3339 date.
fn day_of(date: &str) -> Option<i64> {
    chrono::DateTime::parse_from_rfc3339(date)
        .ok()
        .map(|d| d.timestamp() / 86_400)
}

/// Median of a non-empty slice (sorted copy).
pub fn median(values: &[f64]) -> Option<f64> {
    if values.is_empty() {
        return None;
    }
    let mut sorted = values.to_vec();
    sorted.sort_by(f64::total_cmp);
    let mid = sorted.len() / 2;
    Some(if sorted.len() % 2 == 0 {
        (sorted[mid - 1] + sorted[mid]) / 2.0
    } else {
        sorted[mid]
    })
}

/// Theil–Sen: the median of the slopes between every pair of points.
pub fn theil_sen(points: &[(f64, f64)]) -> Option<f64> {
    let mut slopes = Vec::new();
    for (i, (x1, y1)) in points.iter().enumerate() {
        for (x2, y2) in &points[i + 1..] {
            if x2 != x1 {
                slopes.push((y2 - y1) / (x2 - x1));
            }
        }
    }
    median(&slopes)
}

fn trend(series: &[(u64, Option<i64>)], current: u64, budget: Option<u64>) -> Trend {
    let by_merge: Vec<(f64, f64)> = series
        .iter()
        .enumerate()
        .map(|(i, (y, _))| (i as f64, *y as f64))
        .collect();
    let by_day: Vec<(f64, f64)> = series
        .iter()
        .filter_map(|(y, day)| day.map(|d| (d as f64, *y as f64)))
        .collect();
    let per_merge = theil_sen(&by_merge);
    let per_day = theil_sen(&by_day);
    let mut trend = Trend {
        points: series.len(),
        bytes_per_merge: per_merge,
        bytes_per_day: per_day,
        budget,
        ..Trend::default()
    };
    trend.forecast = match (budget, per_merge) {
        (_, None) => "not enough history for a trend (fewer than 2 baseline changes)".to_string(),
        (None, Some(_)) => "no size budget to forecast against".to_string(),
        (Some(budget), _) if current > budget => format!("already over the {budget}-byte budget"),
        (Some(budget), Some(slope)) if slope <= 0.0 => {
            format!("does not grow, so it will not cross the {budget}-byte budget")
        }
        (Some(budget), Some(slope)) => {
            let room = (budget - current) as f64;
            let merges = (room / slope).ceil();
            trend.merges_to_budget = Some(merges);
            trend.days_to_budget = per_day.filter(|d| *d > 0.0).map(|d| (room / d).ceil());
            let days = trend
                .days_to_budget
                .map(|d| format!(" / ~{d} days"))
                .unwrap_or_default();
            format!("crosses the {budget}-byte budget in ~{merges} merges{days}")
        }
    };
    trend
}

fn anomaly(series: &[(u64, Option<i64>)], current: u64, config: &FinopsConfig) -> Anomaly {
    let changes: Vec<f64> = series
        .windows(2)
        .map(|w| w[1].0 as f64 - w[0].0 as f64)
        .collect();
    let change = series.last().map(|(last, _)| current as i64 - *last as i64);
    let mut anomaly = Anomaly {
        change,
        history: changes.len(),
        ..Anomaly::default()
    };
    let (Some(change), true) = (change, changes.len() >= config.anomaly_min_history) else {
        anomaly.verdict = "not enough history".to_string();
        return anomaly;
    };
    let Some(med) = median(&changes) else {
        anomaly.verdict = "not enough history".to_string();
        return anomaly;
    };
    let deviations: Vec<f64> = changes.iter().map(|c| (c - med).abs()).collect();
    let mad = median(&deviations).unwrap_or(0.0);
    let distance = change as f64 - med;
    let score = if mad > 0.0 {
        0.6745 * distance / mad
    } else {
        let mean_ad = deviations.iter().sum::<f64>() / deviations.len() as f64;
        if mean_ad > 0.0 {
            distance / (1.2533 * mean_ad)
        } else if distance == 0.0 {
            0.0
        } else {
            // A change where every past change was identical: as far off as it gets.
            distance.signum() * 1e6
        }
    };
    anomaly.median = Some(med);
    anomaly.mad = Some(mad);
    anomaly.score = Some(score);
    // Only growth costs money: a change far below the usual one is not a cost anomaly.
    anomaly.verdict = if score >= config.anomaly_deny {
        "anomalous"
    } else if score >= config.anomaly_warn {
        "unusual"
    } else {
        "normal"
    }
    .to_string();
    anomaly
}

fn hints(
    artifact: &Artifact<'_>,
    bytes: u64,
    cost_of: &dyn Fn(u64) -> Option<f64>,
    config: &FinopsConfig,
) -> Vec<Hint> {
    let mut hints = Vec::new();
    if let Some(stripped) = &artifact.facts.stripped {
        let after = served(
            &stripped.raw,
            stripped.gzip,
            stripped.brotli,
            &config.encoding,
        );
        let saved = bytes.saturating_sub(after);
        if saved > 0 {
            hints.push(Hint {
                kind: "strip-debug".to_string(),
                message: format!("strip the debug custom sections (wasm-opt --strip-debug, wasm-tools strip): {saved} bytes less per load"),
                bytes_saved: Some(saved),
                monthly_saving: cost_of(bytes)
                    .zip(cost_of(after))
                    .map(|(a, b)| risk::cents(a - b)),
            });
        }
    }
    if config.encoding == "gzip"
        && let (Some(gzip), Some(brotli)) = (artifact.facts.size.gzip, artifact.facts.size.brotli)
        && brotli < gzip
    {
        hints.push(Hint {
            kind: "serve-brotli".to_string(),
            message: format!(
                "serve brotli instead of gzip: {} bytes less per load",
                gzip - brotli
            ),
            bytes_saved: Some(gzip - brotli),
            monthly_saving: cost_of(gzip)
                .zip(cost_of(brotli))
                .map(|(a, b)| risk::cents(a - b)),
        });
    }
    let optimised = artifact.facts.wasm.producers.as_ref().is_some_and(|p| {
        p.processed_by
            .iter()
            .any(|t| t.name.contains("wasm-opt") || t.name.contains("binaryen"))
    });
    if artifact.facts.wasm.kind.is_some() && !optimised {
        hints.push(Hint {
            kind: "run-wasm-opt".to_string(),
            message: "its producers section lists no wasm-opt: run `wasm-opt -Oz` in the release build and measure".to_string(),
            bytes_saved: None,
            monthly_saving: None,
        });
    }
    hints
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn theil_sen_and_median_on_known_series() {
        assert_eq!(median(&[3.0, 1.0, 2.0]), Some(2.0));
        assert_eq!(median(&[4.0, 1.0, 2.0, 3.0]), Some(2.5));
        let line: Vec<(f64, f64)> = (0..10)
            .map(|i| (f64::from(i), 100.0 + 7.0 * f64::from(i)))
            .collect();
        assert_eq!(theil_sen(&line), Some(7.0));
        // One outlier does not move the slope.
        let mut noisy = line.clone();
        noisy[5].1 = 10_000.0;
        assert_eq!(theil_sen(&noisy), Some(7.0));
    }
}

#[cfg(test)]
mod tier_tests {
    use crate::config::{FinopsConfig, PriceTier};

    #[test]
    fn tiers_price_each_band() {
        let config = FinopsConfig {
            tiers: vec![
                PriceTier {
                    up_to_gb: Some(10.0),
                    price_per_gb: 0.10,
                },
                PriceTier {
                    up_to_gb: Some(50.0),
                    price_per_gb: 0.05,
                },
                PriceTier {
                    up_to_gb: None,
                    price_per_gb: 0.01,
                },
            ],
            ..FinopsConfig::default()
        };
        assert!((config.price(5.0) - 0.5).abs() < 1e-12);
        assert!((config.price(30.0) - (1.0 + 20.0 * 0.05)).abs() < 1e-12);
        assert!((config.price(100.0) - (1.0 + 2.0 + 50.0 * 0.01)).abs() < 1e-12);
        // More GB never costs less.
        let mut previous = 0.0;
        for gb in 0..200 {
            let cost = config.price(f64::from(gb));
            assert!(cost >= previous);
            previous = cost;
        }
    }
}
