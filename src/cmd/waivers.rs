//! `waivers`: the waivers the gate would apply, with the days each has left.

use std::fmt::Write as _;

use wasmgate::cli::{Args, GateArgs};
use wasmgate::exit::Outcome;

use super::Out;

pub(super) fn run(args: &Args, gate: &GateArgs, out: &Out) -> Outcome {
    let request = match super::plan(args, gate, out, false) {
        Ok(request) => request,
        Err(error) => return out.error(&error),
    };
    let waivers = &request.config.config.waivers;
    if waivers.is_empty() {
        return out.stdout("no waivers\n");
    }
    let today = wasmgate::config::today();
    let mut rows = vec![[
        "#".to_string(),
        "code".to_string(),
        "scope".to_string(),
        "owner".to_string(),
        "expires".to_string(),
        "left".to_string(),
        "ticket".to_string(),
        "reason".to_string(),
    ]];
    for (index, waiver) in waivers.iter().enumerate() {
        let mut scope = waiver.artifact.clone().unwrap_or_else(|| "*".to_string());
        if let Some(object) = &waiver.object {
            let _ = write!(scope, " ({object})");
        }
        let left = waiver.expiry().map_or_else(
            || "?".to_string(),
            |expiry| match (expiry - today).num_days() {
                days if days < 0 => "expired".to_string(),
                1 => "1 day".to_string(),
                days => format!("{days} days"),
            },
        );
        rows.push([
            index.to_string(),
            waiver.code.clone(),
            scope,
            waiver.owner.clone(),
            waiver.expires.clone(),
            left,
            waiver.ticket.clone().unwrap_or_else(|| "-".to_string()),
            waiver.reason.clone(),
        ]);
    }
    let mut widths = [0usize; 8];
    for row in &rows {
        for (width, cell) in widths.iter_mut().zip(row) {
            *width = (*width).max(cell.chars().count());
        }
    }
    let mut text = String::new();
    for row in &rows {
        let mut line = String::new();
        for (cell, width) in row.iter().zip(widths) {
            let cell = wasmgate::report::escape::terminal(cell);
            let _ = write!(line, "{cell:<width$}  ");
        }
        text.push_str(line.trim_end());
        text.push('\n');
    }
    out.stdout(&text)
}
