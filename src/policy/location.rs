//! Reads the `--> file:line:col` location out of a regorus error, for labelled diagnostics.

use miette::SourceSpan;

/// A position in a policy file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Position {
    pub(crate) file: String,
    pub(crate) line: usize,
    pub(crate) column: usize,
}

/// Finds the location line regorus puts in its errors.
pub(crate) fn position(message: &str) -> Option<Position> {
    let line = message
        .lines()
        .find_map(|line| line.trim_start().strip_prefix("--> "))?;
    let mut parts = line.trim().rsplitn(3, ':');
    let column = parts.next()?.parse().ok()?;
    let line_number = parts.next()?.parse().ok()?;
    let file = parts.next()?.to_string();
    Some(Position {
        file,
        line: line_number,
        column,
    })
}

/// The one-line summary of a regorus error (its `error:` line), or the message itself.
pub(crate) fn summary(message: &str) -> String {
    message
        .lines()
        .rev()
        .find_map(|line| line.trim_start().strip_prefix("error: "))
        .unwrap_or_else(|| message.trim())
        .to_string()
}

/// Byte offset of a 1-based line and column in `text`.
pub(crate) fn offset(text: &str, line: usize, column: usize) -> Option<usize> {
    let start: usize = text
        .split_inclusive('\n')
        .take(line.checked_sub(1)?)
        .map(str::len)
        .sum();
    let line_text = text.get(start..)?.lines().next().unwrap_or_default();
    let within = line_text
        .char_indices()
        .nth(column.saturating_sub(1))
        .map_or(line_text.len(), |(i, _)| i);
    Some(start + within)
}

/// File, span and summary of an error raised while compiling `name` (`text`).
pub(crate) fn locate(
    message: &str,
    name: &str,
    text: &str,
) -> (String, Option<SourceSpan>, String) {
    let summary = summary(message);
    match position(message) {
        Some(position) => {
            let span =
                offset(text, position.line, position.column).map(|at| SourceSpan::from((at, 1)));
            (
                format!("{}:{}:{}", position.file, position.line, position.column),
                span,
                summary,
            )
        }
        None => (name.to_string(), None, summary),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_regorus_locations() {
        let message = "\n--> policies/bad.rego:4:14\n  |\n4 |   x := count(5)\n  |              ^\nerror: `count` requires array/object/set/string argument. Got `5`.";
        let position = position(message).unwrap();
        assert_eq!(position.file, "policies/bad.rego");
        assert_eq!((position.line, position.column), (4, 14));
        assert!(summary(message).starts_with("`count` requires"));
        let text = "package p\n\ndeny[msg] {\n  x := count(5)\n}\n";
        let at = offset(text, 4, 14).unwrap();
        assert_eq!(&text[at..at + 1], "5");
    }
}
