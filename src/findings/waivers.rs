//! Applies `[[waivers]]`: an active waiver that matches a finding's code, artifact and object
//! marks it waived (it keeps its severity and no longer fails the gate); an expired waiver no
//! longer waives and is a `waiver-expired` deny; one that matched nothing is `waiver-unused`;
//! more active waivers than `[waiver_limits] max_active` is `waivers-over-limit`.

use std::collections::BTreeMap;

use super::location::location;
use super::severity::apply_override;
use crate::config::{LoadedConfig, Waiver};
use crate::diag::codes::{self, Code};
use crate::report::{Finding, Severity, Waived};

/// Marks the waived findings and returns the findings about the waivers themselves.
pub(super) fn apply(
    findings: &mut [Finding],
    objects: &[Option<String>],
    config: &LoadedConfig,
    sources: &mut BTreeMap<String, String>,
) -> Vec<Finding> {
    let waivers = &config.config.waivers;
    if waivers.is_empty() {
        return Vec::new();
    }
    let today = crate::config::today();
    let mut used = vec![false; waivers.len()];
    for (finding, object) in findings.iter_mut().zip(objects) {
        if finding.waived.is_some() {
            continue;
        }
        let matching = waivers
            .iter()
            .enumerate()
            .find(|(_, w)| w.active(today) && matches(w, finding, object.as_deref()));
        if let Some((index, waiver)) = matching {
            used[index] = true;
            finding.waived = Some(Waived {
                by: format!("waivers[{index}]"),
                owner: waiver.owner.clone(),
                reason: waiver.reason.clone(),
                expires: Some(waiver.expires.clone()),
                ticket: waiver.ticket.clone(),
            });
        }
    }
    let mut about = Vec::new();
    let mut meta = |code: Code, index: usize, message: String| {
        let Some(severity) = apply_override(config, code.as_str(), default_severity(code)) else {
            return;
        };
        let key = format!("waivers[{index}]");
        let place = config.path.as_ref().and_then(|path| {
            let name = path.file_name()?.to_string_lossy().to_string();
            let span = config.span_of(&key)?;
            sources.insert(name.clone(), config.source.clone());
            Some(location(&name, &config.source, span.start, span.len()))
        });
        about.push(Finding {
            code: code.as_str().to_string(),
            severity,
            message,
            artifact: None,
            offset: None,
            location: place,
            help: codes::lookup(code.as_str()).map(|info| info.help.to_string()),
            details: serde_json::to_value(&waivers[index]).ok(),
            snippet: None,
            waived: None,
        });
    };
    let described = |w: &Waiver| {
        let mut scope = format!("`{}`", w.code);
        if let Some(artifact) = &w.artifact {
            scope.push_str(&format!(" on {artifact}"));
        }
        if let Some(object) = &w.object {
            scope.push_str(&format!(" for {object}"));
        }
        format!("{scope} (owner {}, expires {})", w.owner, w.expires)
    };
    let mut active = 0;
    for (index, waiver) in waivers.iter().enumerate() {
        if !waiver.active(today) {
            meta(
                Code::WaiverExpired,
                index,
                format!(
                    "waivers[{index}] for {} expired; it no longer waives anything: fix what it accepted, or renew it with a new date in a reviewed change",
                    described(waiver)
                ),
            );
            continue;
        }
        active += 1;
        if !used[index] {
            meta(
                Code::WaiverUnused,
                index,
                format!(
                    "waivers[{index}] for {} matched no finding: remove it",
                    described(waiver)
                ),
            );
        }
    }
    if let Some(max) = config.config.waiver_limits.max_active
        && active > max
    {
        meta(
            Code::WaiversOverLimit,
            0,
            format!(
                "{active} waivers are active, more than [waiver_limits] max_active ({max}): fix and remove some before adding more"
            ),
        );
    }
    about
}

fn default_severity(code: Code) -> Severity {
    match code {
        Code::WaiverUnused => Severity::Warn,
        _ => Severity::Deny,
    }
}

fn matches(waiver: &Waiver, finding: &Finding, object: Option<&str>) -> bool {
    if waiver.code != finding.code {
        return false;
    }
    if let Some(glob) = &waiver.artifact {
        let hit = finding
            .artifact
            .as_deref()
            .zip(crate::config::artifact_glob(glob))
            .is_some_and(|(artifact, glob)| glob.is_match(artifact));
        if !hit {
            return false;
        }
    }
    if let Some(name) = &waiver.object {
        // Objects are named `Kind/name`; a waiver may give the name alone.
        let hit = object.is_some_and(|object| {
            object == name || object.rsplit_once('/').is_some_and(|(_, own)| own == name)
        });
        if !hit {
            return false;
        }
    }
    true
}
