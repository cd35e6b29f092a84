//! `sbom bind`.

use wasmgate::Error;
use wasmgate::cli::{BindArgs, SbomArgs, SbomCommand};
use wasmgate::exit::Outcome;
use wasmgate::facts::ctx::ArtifactCtx;
use wasmgate::untrusted::{self, Kind};

use super::Out;

pub(super) fn run(args: &SbomArgs, out: &Out) -> Outcome {
    match &args.command {
        SbomCommand::Bind(bind) => out.respond(bind_sbom(bind)),
    }
}

fn bind_sbom(args: &BindArgs) -> Result<String, Error> {
    let limit = wasmgate::config::Config::default().artifacts.max_size.0;
    let read = untrusted::read_command_file;
    let bytes = read(&args.artifact, Kind::Artifact(limit))?;
    let sbom = read(&args.sbom, Kind::Sbom)?;
    let display = args.artifact.display().to_string();
    let ctx = ArtifactCtx::new(&args.artifact, &display, &bytes);
    let (text, bound) =
        wasmgate::facts::sbom::bind::bind(&ctx, &sbom).map_err(|message| Error::SbomBind {
            path: args.sbom.display().to_string(),
            message,
        })?;
    let output = args.output.as_ref().unwrap_or(&args.sbom);
    untrusted::write(output, text.as_bytes()).map_err(|source| Error::Write {
        path: output.display().to_string(),
        source,
    })?;
    Ok(format!(
        "bound {} ({}) to {display}: {} at {}\n",
        output.display(),
        bound.format,
        bound.digests.join(", "),
        bound.at
    ))
}
