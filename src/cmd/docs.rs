//! `completions`, `man` and `explain`: text about wasmgate itself.

use wasmgate::cli::{Args, CompletionsArgs, ExplainArgs};
use wasmgate::exit::Outcome;
use wasmgate::explain as catalogue;

use super::Out;

pub(super) fn completions(args: &CompletionsArgs, out: &Out) -> Outcome {
    let mut command = <Args as clap::CommandFactory>::command();
    let mut text = Vec::new();
    clap_complete::generate(args.shell, &mut command, "wasmgate", &mut text);
    out.stdout(&String::from_utf8_lossy(&text))
}

/// One page: the command, then a section per subcommand (nested ones too) with its synopsis,
/// description, options and examples, so that `man wasmgate` documents every option.
pub(super) fn man(out: &Out) -> Outcome {
    let command = <Args as clap::CommandFactory>::command();
    let mut text = Vec::new();
    if clap_mangen::Man::new(command.clone())
        .render(&mut text)
        .is_err()
    {
        return Outcome::Error;
    }
    let mut page = String::from_utf8_lossy(&text).into_owned();
    for (name, sub) in subcommands(&command, "wasmgate") {
        match subcommand_section(&name, sub) {
            Some(section) => page.push_str(&section),
            None => return Outcome::Error,
        }
    }
    out.stdout(&page)
}

/// Every subcommand below `command`, depth first, with its full name.
fn subcommands(command: &clap::Command, prefix: &str) -> Vec<(String, clap::Command)> {
    let mut all = Vec::new();
    for sub in command.get_subcommands().filter(|s| s.get_name() != "help") {
        let name = format!("{prefix} {}", sub.get_name());
        all.push((name.clone(), sub.clone()));
        all.extend(subcommands(sub, &name));
    }
    all
}

/// A subcommand's sections, demoted to subsections under a section named after it.
fn subcommand_section(name: &str, command: clap::Command) -> Option<String> {
    let man = clap_mangen::Man::new(command.bin_name(name.to_string()));
    let mut text = Vec::new();
    man.render_synopsis_section(&mut text).ok()?;
    man.render_description_section(&mut text).ok()?;
    man.render_options_section(&mut text).ok()?;
    man.render_extra_section(&mut text).ok()?;
    let body = String::from_utf8_lossy(&text).replace(".SH ", ".SS ");
    Some(format!(".SH \"{}\"\n{body}", name.to_uppercase()))
}

pub(super) fn explain(args: &ExplainArgs, out: &Out) -> Outcome {
    if args.list {
        return out.stdout(&catalogue::list());
    }
    let code = args.code.as_deref().unwrap_or_default();
    match catalogue::explain(code) {
        Ok(text) => out.stdout(&text),
        Err(error) => match user_rule(code) {
            Some(text) => out.stdout(&text),
            None => out.error(&error),
        },
    }
}

/// A code a user rule's METADATA gives (`custom.code`), in the policies `check` would load.
fn user_rule(code: &str) -> Option<String> {
    use std::fmt::Write as _;
    let args = <Args as clap::Parser>::try_parse_from(["wasmgate", "check"]).ok()?;
    let wasmgate::cli::Command::Check(check) = &args.command else {
        return None;
    };
    let request = wasmgate::plan::build(&check.gate, None).ok()?;
    let policies = wasmgate::policy::load(&request.policy).ok()?;
    let rule = policies
        .rules
        .iter()
        .find(|r| r.code.as_deref() == Some(code))?;
    let mut text = String::new();
    let _ = writeln!(text, "{code}");
    let severity = rule.severity.map_or_else(
        || {
            if rule.rule.starts_with("warn") {
                "warn"
            } else {
                "deny"
            }
        },
        |s| s.as_str(),
    );
    let _ = writeln!(text, "  default severity: {severity}");
    let _ = writeln!(
        text,
        "  rule:             {}.{} ({}:{})",
        rule.package, rule.rule, rule.file, rule.line
    );
    if let Some(title) = &rule.title {
        let _ = writeln!(text, "\n{title}");
    }
    if let Some(description) = &rule.description {
        let _ = writeln!(text, "\n{}", description.trim_end());
    }
    if let Some(help) = &rule.help {
        let _ = writeln!(text, "\nWhat to do: {help}");
    }
    let _ = writeln!(
        text,
        "\nChange its severity in wasmgate.toml:\n  [rules]\n  {code} = \"deny\"   # or \"warn\", or \"allow\" to drop it"
    );
    Some(text)
}
