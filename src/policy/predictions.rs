//! `data.ai_predictions.get_cost_risk(image, resources)`: the cost-risk engine FinOps policies
//! ask, answered from this run's compute figures (`[[finops.compute]]`) for the artifact bound
//! to the image, under the resources the policy passes. An image bound to nothing has no
//! answer (the call is undefined) and is remembered, so the run says so (`cost-unknown`)
//! instead of letting the asking rule stay silent without a trace.

use std::collections::BTreeMap;
use std::sync::{Arc, Mutex};

use serde_json::Value;

use crate::config::FinopsConfig;
use crate::derive::finops::ComputeCost;
use crate::derive::finops::compute::predict;
use crate::diag::Error;
use crate::policy::{PolicySet, RawFinding};

/// The answers, and the questions that had none.
pub struct Predictions {
    rows: Vec<ComputeCost>,
    config: FinopsConfig,
    /// `[[manifests.bind]]`: image glob → artifact.
    binds: Vec<(globset::GlobMatcher, String)>,
    unanswered: Mutex<BTreeMap<String, String>>,
}

/// Answers `wasmgate.predict_cost_risk(image, resources)` (behind
/// `data.ai_predictions.get_cost_risk`) from `predictions`, in `set`'s engine and every copy.
pub fn answer_in(set: &mut PolicySet, predictions: Arc<Predictions>) -> Result<(), Error> {
    let extension = move |args: Vec<regorus::Value>| -> anyhow::Result<regorus::Value> {
        let image = args
            .first()
            .and_then(|a| a.as_string().ok().map(|s| s.to_string()));
        let Some(image) = image else {
            return Ok(regorus::Value::Null);
        };
        let resources = args
            .get(1)
            .and_then(|r| serde_json::to_value(r).ok())
            .unwrap_or_default();
        Ok(regorus::Value::from(predictions.answer(&image, &resources)))
    };
    set.engine
        .add_extension(
            "wasmgate.predict_cost_risk".to_string(),
            2,
            Box::new(extension),
        )
        .map_err(|e| Error::PolicyLoad {
            path: "wasmgate.predict_cost_risk".to_string(),
            message: e.to_string(),
        })
}

/// What `wasmgate test` answers for the figures a run computes: nothing is priced there, so
/// `wasmgate.cost_risk` and `wasmgate.predict_cost_risk` are null and
/// `data.ai_predictions.get_cost_risk` is undefined; a test mocks the latter with `with`.
pub(super) fn unpriced(engine: &mut regorus::Engine) -> Result<(), Error> {
    for (name, arity) in [("wasmgate.cost_risk", 1), ("wasmgate.predict_cost_risk", 2)] {
        engine
            .add_extension(
                name.to_string(),
                arity,
                Box::new(|_: Vec<regorus::Value>| Ok(regorus::Value::Null)),
            )
            .map_err(|e| Error::PolicyLoad {
                path: name.to_string(),
                message: e.to_string(),
            })?;
    }
    Ok(())
}

impl Predictions {
    /// From the run's compute rows and the config that priced them.
    pub fn new(
        rows: Vec<ComputeCost>,
        config: FinopsConfig,
        binds: &[crate::config::Bind],
    ) -> Arc<Self> {
        let binds = binds
            .iter()
            .filter_map(|bind| {
                let glob = globset::Glob::new(&bind.image).ok()?.compile_matcher();
                Some((glob, bind.artifact.clone()))
            })
            .collect();
        Arc::new(Self {
            rows,
            config,
            binds,
            unanswered: Mutex::new(BTreeMap::new()),
        })
    }

    /// `{score, predicted_monthly_cost, drivers, explanation}` for `image` under `resources`
    /// (`"2Gi"`, `{"memory": …}`, `{"limits": {"memory": …}}`), or null when nothing prices it.
    pub fn answer(&self, image: &str, resources: &Value) -> Value {
        let row = self
            .rows
            .iter()
            .find(|row| {
                row.object
                    .as_ref()
                    .is_some_and(|o| o.images.iter().any(|i| i == image))
            })
            .or_else(|| {
                let (_, artifact) = self.binds.iter().find(|(glob, _)| glob.is_match(image))?;
                self.rows.iter().find(|row| &row.artifact == artifact)
            });
        let Some(row) = row else {
            let bound =
                self.binds.iter().any(|(glob, _)| glob.is_match(image)) || self.rows.is_empty();
            let reason = if bound {
                "is bound to an artifact that no [[finops.compute]] entry prices"
            } else {
                "no manifest object or [[manifests.bind]] entry binds to a checked artifact that [[finops.compute]] prices"
            };
            if let Ok(mut unanswered) = self.unanswered.lock() {
                unanswered.insert(image.to_string(), reason.to_string());
            }
            return Value::Null;
        };
        let risk = predict(row, memory_of(resources), &self.config);
        serde_json::to_value(&risk).unwrap_or(Value::Null)
    }

    /// A `cost-unknown` warning for every image that had no answer.
    pub fn unanswered(&self) -> Vec<RawFinding> {
        let unanswered = self
            .unanswered
            .lock()
            .map(|u| u.clone())
            .unwrap_or_default();
        unanswered
            .into_iter()
            .map(|(image, reason)| {
                let mut finding = RawFinding::new(
                    "data.ai_predictions.get_cost_risk",
                    crate::report::Severity::Warn,
                    format!(
                        "data.ai_predictions.get_cost_risk was asked about {image}, which {reason}: the rule that asked could not decide, so it did not fire"
                    ),
                );
                finding.code = Some("cost-unknown".to_string());
                finding.details = Some(serde_json::json!({ "image": image }));
                finding
            })
            .collect()
    }
}

/// The memory a policy passes: a quantity, or `memory`, `limits.memory` or
/// `requests.memory` of a resources object; `2GB` reads as 2·10⁹ bytes.
fn memory_of(resources: &Value) -> Option<u64> {
    let text = match resources {
        Value::String(text) => Some(text.as_str()),
        Value::Object(_) => ["/memory", "/limits/memory", "/requests/memory"]
            .iter()
            .find_map(|pointer| resources.pointer(pointer).and_then(Value::as_str)),
        _ => None,
    }?;
    crate::facts::quantity::memory_bytes_lenient(text).map(|b| u64::try_from(b).unwrap_or(u64::MAX))
}
