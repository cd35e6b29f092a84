//! Deltas between an artifact and its accepted facts at the merge-base: sizes in bytes and
//! percent, imports/exports/interfaces added and removed, memory, proposals and sections.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use crate::derive::baseline::{BaselineEntry, BaselineMemory};

/// How an artifact changed against the baseline.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct Delta {
    /// The file is byte-for-byte the accepted one.
    pub unchanged: bool,
    /// Size changes per metric; null where either side is unknown.
    pub size: SizeDelta,
    /// Imports now present that the baseline lacks (`module.name` or component import names).
    pub imports_added: Vec<String>,
    /// Imports in the baseline that are gone.
    pub imports_removed: Vec<String>,
    /// Exports added.
    pub exports_added: Vec<String>,
    /// Exports removed (an API break for callers).
    pub exports_removed: Vec<String>,
    /// Component interfaces imported now but not in the baseline.
    pub interfaces_added: Vec<String>,
    /// Component interfaces no longer imported.
    pub interfaces_removed: Vec<String>,
    /// Proposals now used that the baseline did not use.
    pub proposals_added: Vec<String>,
    /// Proposals no longer used.
    pub proposals_removed: Vec<String>,
    /// Custom sections added.
    pub custom_sections_added: Vec<String>,
    /// Custom sections removed.
    pub custom_sections_removed: Vec<String>,
    /// Memories differ from the baseline's (count, limits, sharing, 64-bit).
    pub memory_changed: bool,
    /// The baseline's memories, for comparison with `memories`.
    pub memories_before: Vec<BaselineMemory>,
}

/// Size change per metric.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct SizeDelta {
    /// Raw size change.
    pub raw: Option<MetricDelta>,
    /// gzip size change.
    pub gzip: Option<MetricDelta>,
    /// brotli size change.
    pub brotli: Option<MetricDelta>,
}

/// One metric's change.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct MetricDelta {
    /// Accepted size.
    pub before: u64,
    /// Current size.
    pub after: u64,
    /// `after - before` (negative when it shrank).
    pub bytes: i64,
    /// Change in percent of `before` (0 when `before` is 0 and nothing changed, 100 per
    /// byte-less baseline otherwise).
    pub percent: f64,
}

/// The delta from `before` (accepted) to `after` (current).
pub fn compute(before: &BaselineEntry, after: &BaselineEntry) -> Delta {
    let (imports_added, imports_removed) = diff(&before.imports, &after.imports);
    let (exports_added, exports_removed) = diff(&before.exports, &after.exports);
    let (interfaces_added, interfaces_removed) = diff(&before.interfaces, &after.interfaces);
    let (proposals_added, proposals_removed) = diff(&before.proposals, &after.proposals);
    let (custom_sections_added, custom_sections_removed) =
        diff(&before.custom_sections, &after.custom_sections);
    Delta {
        unchanged: before.sha256 == after.sha256,
        size: SizeDelta {
            raw: metric(Some(before.size.raw), Some(after.size.raw)),
            gzip: metric(before.size.gzip, after.size.gzip),
            brotli: metric(before.size.brotli, after.size.brotli),
        },
        imports_added,
        imports_removed,
        exports_added,
        exports_removed,
        interfaces_added,
        interfaces_removed,
        proposals_added,
        proposals_removed,
        custom_sections_added,
        custom_sections_removed,
        memory_changed: before.memories != after.memories,
        memories_before: before.memories.clone(),
    }
}

fn metric(before: Option<u64>, after: Option<u64>) -> Option<MetricDelta> {
    let (before, after) = (before?, after?);
    let bytes =
        i64::try_from(after).unwrap_or(i64::MAX) - i64::try_from(before).unwrap_or(i64::MAX);
    let percent = if before == 0 {
        if bytes == 0 { 0.0 } else { 100.0 }
    } else {
        bytes as f64 * 100.0 / before as f64
    };
    Some(MetricDelta {
        before,
        after,
        bytes,
        percent: (percent * 100.0).round() / 100.0,
    })
}

/// (in `after` only, in `before` only); both inputs are sorted.
fn diff(before: &[String], after: &[String]) -> (Vec<String>, Vec<String>) {
    let added = after
        .iter()
        .filter(|x| !before.contains(x))
        .cloned()
        .collect();
    let removed = before
        .iter()
        .filter(|x| !after.contains(x))
        .cloned()
        .collect();
    (added, removed)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::derive::baseline::BaselineSize;

    fn entry(raw: u64, imports: &[&str]) -> BaselineEntry {
        BaselineEntry {
            sha256: raw.to_string(),
            kind: Some("module".to_string()),
            size: BaselineSize {
                raw,
                gzip: None,
                brotli: Some(raw / 2),
            },
            imports: imports.iter().map(|s| (*s).to_string()).collect(),
            exports: Vec::new(),
            interfaces: Vec::new(),
            memories: Vec::new(),
            custom_sections: Vec::new(),
            proposals: Vec::new(),
        }
    }

    #[test]
    fn sizes_and_sets() {
        let delta = compute(
            &entry(1000, &["env.a", "env.b"]),
            &entry(1100, &["env.b", "env.c"]),
        );
        let raw = delta.size.raw.unwrap();
        assert_eq!((raw.bytes, raw.percent), (100, 10.0));
        assert_eq!(delta.size.gzip, None);
        assert_eq!(delta.imports_added, ["env.c"]);
        assert_eq!(delta.imports_removed, ["env.a"]);
        assert!(!delta.unchanged);
        let shrink = compute(&entry(1000, &[]), &entry(900, &[]));
        assert_eq!(shrink.size.raw.unwrap().bytes, -100);
    }
}
