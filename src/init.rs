//! `wasmgate init`: looks at the repository, finds the artifacts, and writes a starting
//! `wasmgate.toml` (current sizes as budgets with headroom), a commented example policy and a
//! GitHub workflow. Never overwrites without `--force`.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use crate::diag::Error;
use crate::discover::{self, DiscoverOptions};
use crate::facts;

/// Budgets are the current size plus this share, rounded up to a KiB.
const HEADROOM_PERCENT: u64 = 10;

/// What `init` wrote.
#[derive(Debug, Clone)]
pub struct Written {
    /// Files written, relative to the directory.
    pub files: Vec<String>,
    /// Artifacts found.
    pub artifacts: Vec<String>,
}

/// Writes the starter files into `dir`.
pub fn init(dir: &Path, force: bool) -> Result<Written, Error> {
    let targets = [
        PathBuf::from(crate::config::FILE_NAME),
        PathBuf::from("policies/example.rego"),
        PathBuf::from(".github/workflows/wasmgate.yml"),
    ];
    if !force
        && let Some(existing) = targets
            .iter()
            .find(|p| std::fs::symlink_metadata(dir.join(p)).is_ok())
    {
        return Err(Error::InitExists {
            path: existing.display().to_string(),
        });
    }
    // Links out of the repository are refused here as in the gate: init prints sizes.
    let repo_root = git2::Repository::discover(dir)
        .ok()
        .and_then(|repo| repo.workdir()?.canonicalize().ok());
    let found = discover::discover(&DiscoverOptions {
        paths: &[],
        cwd: dir,
        root: dir,
        include: &[],
        exclude: &[],
        repo_root: repo_root.as_deref(),
        allow_outside_root: false,
    })
    .map(|found| found.artifacts)
    .unwrap_or_default();
    let mut config =
        String::from("# wasmgate.toml, written by `wasmgate init`. Every key: docs/config.md.\n\n");
    if found.is_empty() {
        config.push_str("# No artifacts were found; name them here once the build makes them:\n# [artifacts]\n# include = [\"dist/**/*.wasm\"]\n\n");
    }
    let mut artifacts = Vec::new();
    for artifact in &found {
        let bytes = crate::untrusted::read(
            &artifact.path,
            crate::untrusted::Kind::Artifact(crate::config::ArtifactsConfig::default().max_size.0),
        )
        .map_err(|refusal| Error::Refused {
            path: artifact.display.clone(),
            noun: "artifact".to_string(),
            problem: refusal.to_string(),
        })?;
        let ctx = facts::ctx::ArtifactCtx::new(&artifact.path, &artifact.display, &bytes);
        let sizes = facts::size::collect(&ctx, &facts::size::SizeOptions::default());
        let budget = |n: u64| (n + n * HEADROOM_PERCENT / 100).div_ceil(1024) * 1024;
        let _ = writeln!(
            config,
            "# {}: {} bytes raw, {} gzip, {} brotli today\n[[budgets]]\nartifacts = \"{}\"\nraw = {}\ngzip = {}\nbrotli = {}\n",
            artifact.display,
            sizes.raw,
            sizes.gzip.unwrap_or(0),
            sizes.brotli.unwrap_or(0),
            artifact.display.replace('"', "\\\""),
            budget(sizes.raw),
            budget(sizes.gzip.unwrap_or(sizes.raw)),
            budget(sizes.brotli.unwrap_or(sizes.raw)),
        );
        artifacts.push(artifact.display.clone());
    }
    config.push_str(
        "[memory]\n# max_bytes = \"64 MiB\"   # memories must declare a maximum below this\n\n[imports]\n# deny = [\"env.eval\", \"wasi:sockets/*\"]\ndeny = []\n\n[custom_sections]\n# require = [\"producers\"]\nrequire = []\n",
    );
    config.push_str(&manifests_section(dir));
    let written = [
        (&targets[0], config),
        (&targets[1], EXAMPLE_POLICY.to_string()),
        (
            &targets[2],
            WORKFLOW.replace("{VERSION}", env!("CARGO_PKG_VERSION")),
        ),
    ];
    let mut files = Vec::new();
    for (path, text) in written {
        let full = dir.join(path);
        crate::untrusted::write(&full, text.as_bytes()).map_err(|source| Error::Write {
            path: path.display().to_string(),
            source,
        })?;
        files.push(path.display().to_string().replace('\\', "/"));
    }
    Ok(Written { files, artifacts })
}

/// A `[manifests]` section naming the default manifest directories that exist, with the ways
/// to bind their objects to artifacts; empty when there are none.
fn manifests_section(dir: &Path) -> String {
    let defaults = crate::config::ManifestsConfig::default().paths;
    let found: Vec<&String> = defaults.iter().filter(|p| dir.join(p).is_dir()).collect();
    if found.is_empty() {
        return String::new();
    }
    let paths: Vec<String> = found.iter().map(|p| format!("\"{p}\"")).collect();
    format!(
        "\n# Deployment manifests were found. Bind each object to the artifact it deploys with the\n# annotation `wasmgate.dev/artifact: dist/app.wasm`, or by image here:\n[manifests]\npaths = [{}]\n# [[manifests.bind]]\n# image = \"ghcr.io/acme/app:*\"\n# artifact = \"dist/app.wasm\"\n\n# Admission policies (Gatekeeper, kube-mgmt) to run on them before the merge:\n# [admission]\n# policies = [\"policies/admission\"]\n",
        paths.join(", ")
    )
}

/// What to tell the user after `init`.
pub fn describe(written: &Written) -> String {
    let mut out = String::new();
    for file in &written.files {
        let _ = writeln!(out, "wrote {file}");
    }
    let _ = writeln!(
        out,
        "\nFound {} artifact{}{}.\nNext: run `wasmgate check`, adjust the budgets, run `wasmgate baseline` and commit\nwasmgate.toml, policies/ and .wasmgate/baseline.json.",
        written.artifacts.len(),
        if written.artifacts.len() == 1 {
            ""
        } else {
            "s"
        },
        if written.artifacts.is_empty() {
            String::new()
        } else {
            format!(": {}", written.artifacts.join(", "))
        }
    );
    out
}

const EXAMPLE_POLICY: &str = r#"# An example team policy, evaluated with the built-in library by `wasmgate check`.
# Rules named deny/warn/violation in package `wasmgate` see the input document
# (`wasmgate facts` prints it; fields: docs/input.md).
package wasmgate

import rego.v1

# Release modules export their memory as `memory`, so the loader can find it.
warn contains finding if {
	some a in input.artifacts
	a.kind == "module"
	not exports_memory(a)
	finding := {
		"code": "memory-not-exported",
		"artifact": a.path,
		"msg": "exports no memory named `memory`",
	}
}

exports_memory(a) if {
	some e in a.exports
	e.kind == "memory"
	e.name == "memory"
}
"#;

const WORKFLOW: &str = r#"# Written by `wasmgate init`: gate the wasm build on every pull request.
name: wasmgate

on:
  pull_request:
  push:
    branches: [main]

permissions:
  contents: read
  security-events: write

jobs:
  gate:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@v4
        with:
          fetch-depth: 0
      # Build your wasm here, e.g.:
      # - run: cargo build --release --target wasm32-unknown-unknown
      # The action builds wasmgate from the pinned tag's source and runs the gate.
      - uses: wasmgate/wasmgate@v{VERSION}
        with:
          sarif-file: wasmgate.sarif
      - if: always()
        uses: github/codeql-action/upload-sarif@v3
        with:
          sarif_file: wasmgate.sarif
"#;
