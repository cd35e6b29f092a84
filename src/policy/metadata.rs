//! User rules as first-class rules: where each is (file and line, for the findings it
//! produces) and what its OPA `# METADATA` annotation says (`title`, `description`, and under
//! `custom`: `code`, `severity`, `help`), for codes, help, `explain` and SARIF rules.

use serde::{Deserialize, Serialize};

use crate::report::Severity;

/// One rule of a user policy.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct RuleInfo {
    /// `data.`-prefixed package.
    pub package: String,
    /// The rule name (`deny`, `warn_big`, …).
    pub rule: String,
    /// The policy file.
    pub file: String,
    /// 1-based line of its first definition.
    pub line: usize,
    /// `title` of its METADATA (or its package's).
    pub title: Option<String>,
    /// `description`.
    pub description: Option<String>,
    /// `custom.code`: the code of its findings when a result gives none.
    pub code: Option<String>,
    /// `custom.severity`: `deny` or `warn`, instead of the one its name implies.
    pub severity: Option<Severity>,
    /// `custom.help`.
    pub help: Option<String>,
}

/// A METADATA block as OPA writes it (YAML in comments).
#[derive(Debug, Default, Deserialize)]
struct Annotation {
    scope: Option<String>,
    title: Option<String>,
    description: Option<String>,
    #[serde(default)]
    custom: Custom,
}

#[derive(Debug, Default, Deserialize)]
struct Custom {
    code: Option<String>,
    severity: Option<String>,
    help: Option<String>,
}

/// The METADATA blocks of `text`: the 1-based line of the item each annotates (the first line
/// after the block that is not a comment), and the parsed block. A block that is not valid
/// YAML annotates nothing.
fn annotations(text: &str) -> Vec<(usize, Annotation)> {
    let lines: Vec<&str> = text.lines().collect();
    let mut found = Vec::new();
    let mut at = 0;
    while at < lines.len() {
        if lines[at].trim() != "# METADATA" {
            at += 1;
            continue;
        }
        let mut yaml = String::new();
        at += 1;
        while at < lines.len() && lines[at].trim_start().starts_with('#') {
            let line = lines[at].trim_start().trim_start_matches('#');
            yaml.push_str(line.strip_prefix(' ').unwrap_or(line));
            yaml.push('\n');
            at += 1;
        }
        while at < lines.len() && lines[at].trim().is_empty() {
            at += 1;
        }
        if let Ok(annotation) = serde_saphyr::from_str::<Annotation>(&yaml) {
            found.push((at + 1, annotation));
        }
    }
    found
}

/// Every rule of the user policies in `modules` (those whose file is in `files`), with its
/// annotation, in file and line order; one entry per package and rule name.
pub fn collect(
    modules: &[regorus::unstable::Ref<regorus::unstable::Module>],
    files: &std::collections::BTreeMap<String, String>,
) -> Vec<RuleInfo> {
    let mut rules: Vec<RuleInfo> = Vec::new();
    for module in modules {
        let file = module.package.span.source.file().clone();
        let Some(text) = files.get(&file) else {
            continue;
        };
        let package = format!("data.{}", module.package.refr.span().text());
        let notes = annotations(text);
        let package_line = module.package.span.line as usize;
        let package_note = notes
            .iter()
            .find(|(line, a)| *line == package_line || a.scope.as_deref() == Some("package"));
        for rule in &module.policy {
            let (refr, line) = match rule.as_ref() {
                regorus::unstable::Rule::Spec { head, span, .. } => {
                    let refr = match head {
                        regorus::unstable::RuleHead::Compr { refr, .. }
                        | regorus::unstable::RuleHead::Set { refr, .. }
                        | regorus::unstable::RuleHead::Func { refr, .. } => refr,
                    };
                    (refr, span.line as usize)
                }
                regorus::unstable::Rule::Default { refr, span, .. } => (refr, span.line as usize),
            };
            let name = refr
                .span()
                .text()
                .split(['.', '['])
                .next()
                .unwrap_or_default()
                .to_string();
            if rules.iter().any(|r| r.package == package && r.rule == name) {
                // A later definition may carry the annotation the first lacks.
                if let Some((_, note)) = notes.iter().find(|(l, _)| *l == line)
                    && let Some(known) = rules
                        .iter_mut()
                        .find(|r| r.package == package && r.rule == name && r.code.is_none())
                {
                    annotate(known, note);
                }
                continue;
            }
            let mut info = RuleInfo {
                package: package.clone(),
                rule: name,
                file: file.clone(),
                line,
                title: None,
                description: None,
                code: None,
                severity: None,
                help: None,
            };
            if let Some((_, note)) = package_note {
                annotate(&mut info, note);
            }
            if let Some((_, note)) = notes.iter().find(|(l, _)| *l == line) {
                annotate(&mut info, note);
            }
            rules.push(info);
        }
    }
    rules.sort_by(|a, b| (&a.file, a.line).cmp(&(&b.file, b.line)));
    rules
}

fn annotate(info: &mut RuleInfo, note: &Annotation) {
    let set = |slot: &mut Option<String>, value: &Option<String>| {
        if value.is_some() {
            slot.clone_from(value);
        }
    };
    set(&mut info.title, &note.title);
    set(&mut info.description, &note.description);
    set(&mut info.code, &note.custom.code);
    set(&mut info.help, &note.custom.help);
    if let Some(severity) = &note.custom.severity {
        info.severity = match severity.as_str() {
            "deny" | "error" | "violation" => Some(Severity::Deny),
            "warn" | "warning" => Some(Severity::Warn),
            _ => info.severity,
        };
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn annotations_name_the_line_they_annotate() {
        let text = "package p\n\n# METADATA\n# title: No debug bindings\n# description: |\n#   Debug builds import them.\n# custom:\n#   code: debug-bindings\n#   severity: warn\ndeny contains msg if {\n\tmsg := \"x\"\n}\n";
        let notes = annotations(text);
        assert_eq!(notes.len(), 1);
        let (line, note) = &notes[0];
        assert_eq!(*line, 10);
        assert_eq!(note.title.as_deref(), Some("No debug bindings"));
        assert_eq!(
            note.description.as_deref(),
            Some("Debug builds import them.\n")
        );
        assert_eq!(note.custom.code.as_deref(), Some("debug-bindings"));
        assert_eq!(note.custom.severity.as_deref(), Some("warn"));
    }
}
