//! `[[waivers]]` and `[waiver_limits]`: owned, dated acceptances of a known finding. A waiver
//! is a gate file entry (read from the merge-base with the rest of the config), so a PR cannot
//! waive its own findings.

use serde::{Deserialize, Serialize};

use super::check::Fault;

/// One `[[waivers]]` entry.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Waiver {
    /// The finding code it waives.
    pub code: String,
    /// Only findings about artifacts matching this glob.
    pub artifact: Option<String>,
    /// Only findings about the manifest object of this name (`name` or `Kind/name`).
    pub object: Option<String>,
    /// Why the finding is accepted.
    pub reason: String,
    /// Who answers for it.
    pub owner: String,
    /// The last day it waives (`YYYY-MM-DD`).
    pub expires: String,
    /// The ticket that tracks the fix.
    pub ticket: Option<String>,
}

/// `[waiver_limits]`.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields, default)]
pub struct WaiverLimits {
    /// How far ahead a waiver may expire, in days from today.
    pub max_days: i64,
    /// How many waivers may be active at once; unset: no limit.
    pub max_active: Option<usize>,
}

impl Default for WaiverLimits {
    fn default() -> Self {
        WaiverLimits {
            max_days: 90,
            max_active: None,
        }
    }
}

/// Today, as waivers count days: `WASMGATE_TODAY` (`YYYY-MM-DD`, for reproducible runs) or the
/// system clock's UTC date.
pub fn today() -> chrono::NaiveDate {
    std::env::var("WASMGATE_TODAY")
        .ok()
        .and_then(|text| chrono::NaiveDate::parse_from_str(text.trim(), "%Y-%m-%d").ok())
        .unwrap_or_else(|| chrono::Utc::now().date_naive())
}

impl Waiver {
    /// The expiry date (checked when the config was loaded).
    pub fn expiry(&self) -> Option<chrono::NaiveDate> {
        chrono::NaiveDate::parse_from_str(self.expires.trim(), "%Y-%m-%d").ok()
    }

    /// Still waiving on `today` (the expiry day included).
    pub fn active(&self, today: chrono::NaiveDate) -> bool {
        self.expiry().is_some_and(|expiry| expiry >= today)
    }
}

/// Every waiver is complete, dated, and expires within `max_days`.
pub(super) fn check(waivers: &[Waiver], limits: &WaiverLimits) -> Result<(), Fault> {
    let today = today();
    for (index, waiver) in waivers.iter().enumerate() {
        let key = |field: &str| format!("waivers[{index}].{field}");
        for (field, value) in [
            ("code", &waiver.code),
            ("reason", &waiver.reason),
            ("owner", &waiver.owner),
        ] {
            if value.trim().is_empty() {
                return Err((key(field), format!("{} must not be empty", key(field))));
            }
        }
        if let Some(glob) = &waiver.artifact {
            super::check::glob(&key("artifact"), glob)?;
        }
        let Some(expiry) = waiver.expiry() else {
            return Err((
                key("expires"),
                format!(
                    "{} is `{}`, not a date: write YYYY-MM-DD",
                    key("expires"),
                    waiver.expires
                ),
            ));
        };
        let ahead = (expiry - today).num_days();
        if ahead > limits.max_days {
            return Err((
                key("expires"),
                format!(
                    "{} is {ahead} days ahead, more than [waiver_limits] max_days ({}): a waiver is a promise to fix, not a way to turn a rule off",
                    key("expires"),
                    limits.max_days
                ),
            ));
        }
    }
    Ok(())
}
