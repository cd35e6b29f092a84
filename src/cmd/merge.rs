//! `merge`: shard reports into the decision of one `check`.

use wasmgate::Error;
use wasmgate::cli::{Args, MergeArgs};
use wasmgate::exit::Outcome;
use wasmgate::report::Report;
use wasmgate::shard::ShardData;
use wasmgate::untrusted::{self, Kind};

use super::Out;
use super::deliver::{Attest, deliver};

pub(super) fn run(args: &Args, merge: &MergeArgs, out: &Out) -> Outcome {
    let shards = match read(merge) {
        Ok(shards) => shards,
        Err(error) => return out.error(&error),
    };
    let paths = shards
        .first()
        .map(|(_, data)| data.paths.clone())
        .unwrap_or_default();
    let gate = merge.gate(paths);
    let attest = Attest {
        path: merge.attest.clone(),
        key: merge.attest_key.clone(),
        time: merge.attest_time,
    };
    deliver(&merge.report, &attest, out, |settings| {
        super::plan(args, &gate, out, true).and_then(|request| {
            *settings = request.config.config.output.clone();
            wasmgate::pipeline::merge(&request, shards)
        })
    })
}

/// Each report's shard data, named by its file.
fn read(merge: &MergeArgs) -> Result<Vec<(String, ShardData)>, Error> {
    let mut shards = Vec::new();
    for path in &merge.reports {
        let name = path.display().to_string();
        let bytes = untrusted::read_command_file(path, Kind::ShardReport)?;
        let not_a_shard = |why: String| Error::ShardsMismatch {
            problem: format!("{name} {why}"),
        };
        let report: Report = serde_json::from_slice(&bytes)
            .map_err(|e| not_a_shard(format!("is not a wasmgate JSON report: {e}")))?;
        let data = report.shard.ok_or_else(|| {
            not_a_shard(
                "is the report of a whole check, not of a shard (check --shard K/N --format json)"
                    .to_string(),
            )
        })?;
        shards.push((name, data));
    }
    Ok(shards)
}
