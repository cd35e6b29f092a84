//! The cost-risk score, one function for shipped bytes and running functions alike: the
//! predicted monthly cost against its cap, how unusual this change is, and how soon a size
//! budget is crossed, combined as independent chances of trouble
//! (`1 − Π (1 − weight × value)`), so that it is in [0, 1] and grows with every input.

use super::model::{Driver, Risk};
use crate::config::FinopsConfig;

/// A cost at or over its cap alone scores 0.7; so does a fully anomalous change: it takes
/// both (1 − 0.3 × 0.3 = 0.91) to pass the shipped threshold of 0.8.
const COST_WEIGHT: f64 = 0.7;
const ANOMALY_WEIGHT: f64 = 0.7;
/// A budget crossed within the horizon adds less: it is a forecast, not a fact.
const TREND_WEIGHT: f64 = 0.3;
/// Crossing a size budget within this many merges raises the trend term.
const HORIZON_MERGES: f64 = 20.0;
/// With short history, a jump to this many times the cost before it (+300 %) is fully
/// anomalous.
const FULL_JUMP: f64 = 3.0;

/// What the score is computed from.
#[derive(Debug, Clone, Copy, Default)]
pub struct Signals {
    /// The monthly cost after this change.
    pub monthly: Option<f64>,
    /// The monthly cost before it (0 for something new); null without a base.
    pub before: Option<f64>,
    /// The robust z-score of this change, when the history is long enough for one.
    pub z_score: Option<f64>,
    /// Merges until a size budget is crossed at the current trend.
    pub merges_to_budget: Option<f64>,
}

/// The cap the cost term is measured against: `max_monthly_cost`, else the cost the shipped
/// rule starts to deny at (`risk_min_monthly_cost`).
pub fn cap(config: &FinopsConfig) -> f64 {
    config
        .max_monthly_cost
        .filter(|cap| *cap > 0.0)
        .unwrap_or(config.risk_min_monthly_cost)
}

/// The score with its drivers and explanation.
pub fn assess(signals: Signals, config: &FinopsConfig) -> Risk {
    let currency = &config.currency;
    let cap = cap(config);
    let (cost, cost_basis) = match signals.monthly {
        Some(monthly) if cap > 0.0 => (
            (monthly / cap).clamp(0.0, 1.0),
            format!(
                "{} is {:.0}% of the {} cap",
                money(monthly, currency),
                monthly * 100.0 / cap,
                money(cap, currency)
            ),
        ),
        Some(_) => (0.0, "no cap".to_string()),
        None => (0.0, "no cost figure".to_string()),
    };
    let (anomaly, anomaly_basis) = match (signals.z_score, signals.monthly, signals.before) {
        (Some(z), _, _) => (
            (z / config.anomaly_deny).clamp(0.0, 1.0),
            format!(
                "robust z-score {z:.1} against a deny threshold of {:.1}",
                config.anomaly_deny
            ),
        ),
        (None, Some(now), Some(before)) if before > 0.0 => {
            let jump = (now - before) / before;
            (
                (jump / FULL_JUMP).clamp(0.0, 1.0),
                format!(
                    "short history: {:+.0}% over the {} before this change (+300% counts fully)",
                    jump * 100.0,
                    money(before, currency)
                ),
            )
        }
        (None, Some(now), Some(_)) if now > 0.0 => (
            1.0,
            "short history: new, from nothing to its whole cost".to_string(),
        ),
        (None, _, Some(_)) => (0.0, "short history: no increase".to_string()),
        (None, _, None) => (0.0, "no base to compare with".to_string()),
    };
    let (trend, trend_basis) = match signals.merges_to_budget {
        Some(merges) => (
            (1.0 - merges / HORIZON_MERGES).clamp(0.0, 1.0),
            format!("a size budget is crossed in ~{merges} merges (horizon {HORIZON_MERGES})"),
        ),
        None => (0.0, "no size budget is crossed".to_string()),
    };
    let drivers: Vec<Driver> = [
        ("cost", cost, COST_WEIGHT, cost_basis),
        ("anomaly", anomaly, ANOMALY_WEIGHT, anomaly_basis),
        ("trend", trend, TREND_WEIGHT, trend_basis),
    ]
    .into_iter()
    .map(|(name, value, weight, basis)| Driver {
        name: name.to_string(),
        value: round(value, 4),
        weight,
        contribution: round(value * weight, 4),
        basis,
    })
    .collect();
    let calm: f64 = drivers.iter().map(|d| 1.0 - d.value * d.weight).product();
    let score = round((1.0 - calm).clamp(0.0, 1.0), 2);
    let explanation = format!(
        "score {score:.2} = 1 − Π(1 − weight × value): {}",
        drivers
            .iter()
            .map(|d| format!("{} {:.2} × {:.1} ({})", d.name, d.value, d.weight, d.basis))
            .collect::<Vec<_>>()
            .join("; ")
    );
    Risk {
        score,
        predicted_monthly_cost: signals.monthly.map(cents),
        drivers,
        explanation,
    }
}

/// Money rounded to cents.
pub fn cents(amount: f64) -> f64 {
    round(amount, 2)
}

/// `1234.5` as `1234.50 USD`.
pub fn money(amount: f64, currency: &str) -> String {
    format!("{:.2} {currency}", cents(amount))
}

fn round(value: f64, digits: i32) -> f64 {
    let scale = 10f64.powi(digits);
    (value * scale).round() / scale
}

#[cfg(test)]
mod tests {
    use super::*;

    fn config() -> FinopsConfig {
        FinopsConfig::default()
    }

    #[test]
    fn over_the_cap_and_anomalous_passes_0_8_and_either_alone_does_not() {
        let both = assess(
            Signals {
                monthly: Some(2000.0),
                before: Some(400.0),
                ..Signals::default()
            },
            &config(),
        );
        // cost 1 × 0.7, jump +400% → 1 × 0.7: 1 − 0.3 × 0.3.
        assert_eq!(both.score, 0.91);
        let cost_only = assess(
            Signals {
                monthly: Some(2000.0),
                before: Some(2000.0),
                ..Signals::default()
            },
            &config(),
        );
        assert_eq!(cost_only.score, 0.7);
        let jump_only = assess(
            Signals {
                monthly: Some(100.0),
                before: Some(10.0),
                ..Signals::default()
            },
            &config(),
        );
        // cost 0.1 × 0.7 = 0.07, jump 1 × 0.7: 1 − 0.93 × 0.3 = 0.721.
        assert_eq!(jump_only.score, 0.72);
    }

    #[test]
    fn an_unchanged_deployment_under_budget_stays_low() {
        let risk = assess(
            Signals {
                monthly: Some(373.33),
                before: Some(373.33),
                ..Signals::default()
            },
            &config(),
        );
        assert_eq!(risk.score, 0.26);
        assert_eq!(risk.predicted_monthly_cost, Some(373.33));
        assert!(risk.explanation.contains("+0%"), "{}", risk.explanation);
    }

    #[test]
    fn the_score_grows_with_every_input() {
        let mut previous = 0.0;
        for step in 0..50 {
            let x = f64::from(step);
            let risk = assess(
                Signals {
                    monthly: Some(40.0 * x),
                    before: Some(100.0),
                    z_score: None,
                    merges_to_budget: Some(40.0 - x),
                },
                &config(),
            );
            assert!(risk.score >= previous && (0.0..=1.0).contains(&risk.score));
            previous = risk.score;
        }
    }
}
