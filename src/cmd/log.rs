//! What `-v` tells on stderr about a request, and the notes every run prints.

use wasmgate::CheckRequest;
use wasmgate::report::escape;

use super::Out;

/// Notes change no verdict (a cache directory refused, say) but are worth a line on stderr.
pub(super) fn notes(request: &CheckRequest, out: &Out) {
    if out.quiet {
        return;
    }
    for note in &request.notes {
        out.note(&format!("note: {}", escape::terminal(note)));
    }
}

/// Root, base, config, namespaces and cache, for `-v`.
pub(super) fn request(request: &CheckRequest, out: &Out) {
    out.note(&format!("root {}", request.root.display()));
    match &request.base {
        Some(base) => out.note(&format!(
            "base {} ({}), merge-base {}; gate files trusted from {}",
            base.reference,
            base.reason,
            base.merge_base,
            match request.trust {
                wasmgate::config::Trust::Base => "the base",
                wasmgate::config::Trust::Head => "the head",
            }
        )),
        None => out.note("no base"),
    }
    match &request.config.path {
        Some(path) => out.note(&format!("config {}", path.display())),
        None => out.note("no wasmgate.toml found; using the defaults"),
    }
    out.note(&format!(
        "namespaces {}{}",
        request.policy.namespaces.join(", "),
        if request.policy.all_namespaces {
            " (all namespaces)"
        } else {
            ""
        }
    ));
    match &request.sizes.cache_dir {
        Some(dir) => out.note(&format!("size cache {}", dir.display())),
        None => out.note("size cache off"),
    }
}
