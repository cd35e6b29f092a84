//! `baseline`: accept the current artifacts' facts into the baseline file.

use wasmgate::cli::{Args, BaselineArgs};
use wasmgate::exit::Outcome;

use super::Out;

pub(super) fn run(args: &Args, baseline: &BaselineArgs, out: &Out) -> Outcome {
    let written = super::plan(args, &baseline.gate(), out, false).and_then(|request| {
        wasmgate::pipeline::write_baseline(
            &request,
            &super::spinner(out),
            baseline.output.as_deref(),
        )
    });
    match written {
        Ok(_) if out.quiet => Outcome::Pass,
        Ok((path, count)) => {
            let shown = std::env::current_dir()
                .ok()
                .and_then(|cwd| path.strip_prefix(cwd).ok().map(|p| p.display().to_string()))
                .unwrap_or_else(|| path.display().to_string());
            out.stdout(&format!(
                "wasmgate: wrote {shown} ({count} artifact{}); commit it to accept these facts\n",
                if count == 1 { "" } else { "s" }
            ))
        }
        Err(error) => out.error(&error),
    }
}
