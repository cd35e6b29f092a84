//! `sbom`: SBOM chores; `sbom bind` makes a producer's SBOM describe the built artifact.

use std::path::PathBuf;

use clap::{Args as ClapArgs, Subcommand};

/// `sbom` subcommands.
#[derive(Debug, Clone, ClapArgs)]
pub struct SbomArgs {
    /// What to do.
    #[command(subcommand)]
    pub command: SbomCommand,
}

/// What `sbom` does.
#[derive(Debug, Clone, Subcommand)]
pub enum SbomCommand {
    /// Record the artifact's SHA-256 (and, for a signed module, its digest without the
    /// signature section) as the SBOM subject's hashes, so the gate binds the SBOM to it.
    #[command(
        after_help = "Examples:\n  cargo cyclonedx --format json                         # describes the crate\n  wasmgate sbom bind dist/app.wasm app.cdx.json          # now it describes dist/app.wasm\n  wasmgate sbom bind dist/app.wasm app.cdx.json -o dist/app.wasm.cdx.json\n\nCycloneDX: metadata.component.hashes (a component is added when there is none); SPDX: the\nchecksums of the described package or file. Other SHA-256 entries are replaced, other\nalgorithms kept; the same inputs give the same bytes. Sign first, then bind: signing again\nchanges the artifact's digest but not its digest without the signature section.\n\nExit status:\n  0  the SBOM was written\n  2  the artifact or the SBOM cannot be read, or the SBOM has no place for a subject"
    )]
    Bind(BindArgs),
}

/// `sbom bind` options.
#[derive(Debug, Clone, ClapArgs)]
pub struct BindArgs {
    /// The built artifact.
    #[arg(value_name = "ARTIFACT")]
    pub artifact: PathBuf,
    /// The SBOM (CycloneDX or SPDX JSON).
    #[arg(value_name = "SBOM")]
    pub sbom: PathBuf,
    /// Where to write the bound SBOM [default: SBOM, in place].
    #[arg(long, short = 'o', value_name = "FILE")]
    pub output: Option<PathBuf>,
}
