//! `facts`: the policy input document, as JSON or a human summary.

use wasmgate::cli::{Args, FactsArgs, FactsFormat};
use wasmgate::exit::Outcome;

use super::Out;

pub(super) fn run(args: &Args, facts: &FactsArgs, out: &Out) -> Outcome {
    let gate = &facts.gate;
    let mut request = super::plan(args, gate, out, true);
    if let (Ok(request), Some(manifest)) = (&mut request, &facts.admission) {
        // The manifest is read even when it is outside [manifests] paths.
        request.manifests.push(request.cwd.join(manifest));
    }
    let shape = request
        .as_ref()
        .map(|r| {
            let admission = &r.config.config.admission;
            (admission.input, admission.parameters.clone())
        })
        .ok();
    let document =
        request.and_then(|request| wasmgate::collect_facts(&request, &super::spinner(out)));
    if let (Some(manifest), Ok(document), Some((shape, parameters))) =
        (&facts.admission, &document, shape)
    {
        let file = manifest.to_string_lossy().replace('\\', "/");
        let parameters = serde_json::to_value(&parameters).unwrap_or_default();
        let reviews = wasmgate::input::admission::reviews_of(document, &file, shape, &parameters);
        return match serde_json::to_string_pretty(&reviews) {
            Ok(mut text) => {
                text.push('\n');
                out.stdout(&text)
            }
            Err(e) => {
                out.note(&format!("cannot serialise the reviews: {e}"));
                Outcome::Error
            }
        };
    }
    match document {
        Ok(document) if facts.format == Some(FactsFormat::Human) => {
            out.stdout(&wasmgate::input::summary(&document))
        }
        Ok(document) => match serde_json::to_string_pretty(&document) {
            Ok(mut text) => {
                text.push('\n');
                out.stdout(&text)
            }
            Err(e) => {
                out.note(&format!("cannot serialise facts: {e}"));
                Outcome::Error
            }
        },
        Err(error) => out.error(&error),
    }
}
