//! Shards: which artifacts shard K of N judges (by a hash of the path, so adding an artifact
//! moves no other), what its report carries for `wasmgate merge`, and the merge's refusals of
//! shard reports that do not belong together.

use std::collections::BTreeMap;

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use crate::discover::RefusedArtifact;
use crate::hexdump::ByteSnippet;
use crate::input::Artifact;

/// Shard `index` (1-based) of `count`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct Shard {
    /// Which shard, from 1.
    pub index: u32,
    /// How many.
    pub count: u32,
}

impl std::str::FromStr for Shard {
    type Err = String;

    fn from_str(text: &str) -> Result<Self, Self::Err> {
        let bad = || format!("`{text}` is not K/N with 1 ≤ K ≤ N (e.g. 2/3)");
        let (index, count) = text.split_once('/').ok_or_else(bad)?;
        let index: u32 = index.trim().parse().map_err(|_| bad())?;
        let count: u32 = count.trim().parse().map_err(|_| bad())?;
        if index == 0 || count == 0 || index > count {
            return Err(bad());
        }
        Ok(Shard { index, count })
    }
}

impl Shard {
    /// Whether this shard judges the artifact at `path` (as the report names it).
    pub fn has(&self, path: &str) -> bool {
        let digest = Sha256::digest(path.as_bytes());
        let mut head = [0u8; 8];
        head.copy_from_slice(&digest[..8]);
        u64::from_be_bytes(head) % u64::from(self.count) == u64::from(self.index - 1)
    }
}

/// What a shard's JSON report carries for the merge: its artifacts as the policy input has
/// them (facts and what was derived from them), the entries it refused, and the hex dumps its
/// findings point into; and what must be equal across the shards of one run.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
pub struct ShardData {
    /// Which shard.
    pub shard: Shard,
    /// The wasmgate release that ran it.
    pub wasmgate_version: String,
    /// The gate files' digest (`gate.digest`).
    pub gate_digest: String,
    /// The merge-base compared against; null without a base.
    pub merge_base: Option<String>,
    /// The PATHS it was given.
    pub paths: Vec<String>,
    /// Its artifacts, sorted by path.
    pub artifacts: Vec<Artifact>,
    /// Matching entries it did not read.
    pub refused: Vec<RefusedArtifact>,
    /// Hex dumps around the first wasm error of its artifacts, by path.
    pub snippets: BTreeMap<String, ByteSnippet>,
}

/// What the merge itself ran with, for the shards to match.
#[derive(Debug, Clone)]
pub struct Expected {
    /// This wasmgate.
    pub wasmgate_version: String,
    /// The gate files the merge read.
    pub gate_digest: String,
    /// The merge's merge-base.
    pub merge_base: Option<String>,
}

/// Checks that `shards` are all the shards of one run made with what `expected` says, and
/// returns them in shard order; Err names each reason they are not.
pub fn gather(
    mut shards: Vec<(String, ShardData)>,
    expected: &Expected,
) -> Result<Vec<ShardData>, String> {
    let mut problems = Vec::new();
    let Some((_, first)) = shards.first() else {
        return Err("no shard reports were given".to_string());
    };
    let count = first.shard.count;
    let paths = first.paths.clone();
    // A report is data: its count and index are checked against what was given before
    // anything iterates over them.
    if count as usize != shards.len() {
        problems.push(format!(
            "{} shard reports were given, but the first says there are {count} shards",
            shards.len()
        ));
    }
    for (file, data) in &shards {
        if data.wasmgate_version != expected.wasmgate_version {
            problems.push(format!(
                "{file} was made by wasmgate {}, this is {}",
                data.wasmgate_version, expected.wasmgate_version
            ));
        }
        if data.gate_digest != expected.gate_digest {
            problems.push(format!(
                "{file} was decided by other gate files ({}) than this merge reads ({})",
                data.gate_digest, expected.gate_digest
            ));
        }
        if data.merge_base != expected.merge_base {
            problems.push(format!(
                "{file} compares against merge-base {}, this merge against {}",
                data.merge_base.as_deref().unwrap_or("none"),
                expected.merge_base.as_deref().unwrap_or("none")
            ));
        }
        if data.shard.index == 0 || data.shard.index > data.shard.count {
            problems.push(format!(
                "{file} says it is shard {}/{}, which no run writes",
                data.shard.index, data.shard.count
            ));
        }
        if data.shard.count != count {
            problems.push(format!(
                "{file} is shard {}/{}, but the first report is of {count} shards",
                data.shard.index, data.shard.count
            ));
        }
        if data.paths != paths {
            problems.push(format!(
                "{file} was given other PATHS than the first report"
            ));
        }
    }
    shards.sort_by_key(|(_, data)| data.shard.index);
    for index in (1..=count).take(shards.len() + 1) {
        let with: Vec<&str> = shards
            .iter()
            .filter(|(_, d)| d.shard.index == index)
            .map(|(file, _)| file.as_str())
            .collect();
        match with.len() {
            0 => problems.push(format!("shard {index}/{count} is missing")),
            1 => {}
            _ => problems.push(format!(
                "shard {index}/{count} is given twice ({})",
                with.join(", ")
            )),
        }
    }
    if problems.is_empty() {
        Ok(shards.into_iter().map(|(_, data)| data).collect())
    } else {
        Err(problems.join("; "))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn k_of_n_parses_and_partitions_every_path_into_one_shard() {
        assert_eq!("2/3".parse::<Shard>(), Ok(Shard { index: 2, count: 3 }));
        for bad in ["0/3", "4/3", "3", "a/b", "1/0"] {
            assert!(bad.parse::<Shard>().is_err(), "{bad}");
        }
        let shards: Vec<Shard> = (1..=3).map(|index| Shard { index, count: 3 }).collect();
        let mut sizes = [0; 3];
        for n in 0..300 {
            let path = format!("dist/m{n}.wasm");
            let owners: Vec<usize> = (0..3).filter(|&i| shards[i].has(&path)).collect();
            assert_eq!(owners.len(), 1, "{path}");
            sizes[owners[0]] += 1;
        }
        assert!(sizes.iter().all(|&n| n > 60), "{sizes:?}");
    }

    fn data(index: u32, count: u32) -> ShardData {
        ShardData {
            shard: Shard { index, count },
            wasmgate_version: "1".to_string(),
            gate_digest: "d".to_string(),
            merge_base: None,
            paths: Vec::new(),
            artifacts: Vec::new(),
            refused: Vec::new(),
            snippets: BTreeMap::new(),
        }
    }

    /// A report's count is data: four billion shards are refused at once, never iterated.
    #[test]
    fn counts_and_indexes_from_reports_are_checked_before_use() {
        let expected = Expected {
            wasmgate_version: "1".to_string(),
            gate_digest: "d".to_string(),
            merge_base: None,
        };
        let hostile = vec![("a.json".to_string(), data(1, u32::MAX))];
        let problem = gather(hostile, &expected).unwrap_err();
        assert!(problem.contains("1 shard reports were given"), "{problem}");
        let zero = vec![("a.json".to_string(), data(0, 1))];
        assert!(
            gather(zero, &expected)
                .unwrap_err()
                .contains("which no run writes")
        );
        let good = vec![
            ("b.json".to_string(), data(2, 2)),
            ("a.json".to_string(), data(1, 2)),
        ];
        let merged = gather(good, &expected).unwrap();
        assert_eq!(merged[0].shard.index, 1);
    }
}
