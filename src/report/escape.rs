//! Escaping of untrusted strings, one function per output: file names, custom-section names,
//! policy messages and git data come from the PR, and must not start a new line in a log
//! (a forged `::error::` workflow command), reach a terminal as escape sequences, or break
//! out of a Markdown code span or table. Renderers call these; nothing else escapes.

/// For a terminal or a CI log: every control character (C0, DEL, C1), newline included, is
/// shown as a visible escape, so one string is always one line with no escape sequences.
pub fn terminal(text: &str) -> String {
    if !text.contains(is_control) {
        return text.to_string();
    }
    // Once anything is escaped, backslashes are too, so that the escapes are unambiguous.
    let mut out = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        match c {
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            '\\' => out.push_str("\\\\"),
            c if is_control(c) => out.push_str(&format!("\\u{{{:x}}}", c as u32)),
            c => out.push(c),
        }
    }
    out
}

/// Control characters, including the C1 range (U+0080–U+009F: a lone U+009B is CSI on some
/// terminals), and the line and paragraph separators.
fn is_control(c: char) -> bool {
    c.is_control() || c == '\u{2028}' || c == '\u{2029}'
}

/// A GitHub workflow command's message, as `@actions/core` escapes it (`%`, CR, LF).
pub fn workflow_data(text: &str) -> String {
    // Other controls (ESC, OSC) are made visible too: the log is a terminal.
    terminal(
        &text
            .replace('%', "%25")
            .replace('\r', "%0D")
            .replace('\n', "%0A"),
    )
}

/// A GitHub workflow command's property value (also `:` and `,`).
pub fn workflow_property(text: &str) -> String {
    workflow_data(text).replace(':', "%3A").replace(',', "%2C")
}

/// Markdown text in a table cell or a list item: punctuation that Markdown or HTML would
/// read is backslash-escaped, line breaks become spaces, controls are made visible.
pub fn markdown(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in terminal_line(text).chars() {
        if "\\`*_[]<>|#!~&".contains(c) {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

/// A Markdown code span that no content can close early: the fence is one backtick longer
/// than the longest run inside, padded with spaces; `|` is escaped so a table cell holds.
pub fn code_span(text: &str) -> String {
    let content = terminal_line(text).replace('|', "\\|");
    let mut longest = 0;
    let mut run = 0;
    for c in content.chars() {
        if c == '`' {
            run += 1;
            longest = longest.max(run);
        } else {
            run = 0;
        }
    }
    let fence = "`".repeat(longest + 1);
    if longest == 0 {
        format!("{fence}{content}{fence}")
    } else {
        format!("{fence} {content} {fence}")
    }
}

/// Line breaks as spaces, other controls made visible.
fn terminal_line(text: &str) -> String {
    terminal(&text.replace("\r\n", " ").replace(['\n', '\r'], " "))
}

/// Text for XML 1.0 character data and attributes: markup characters as entities, newlines
/// as character references, and characters XML 1.0 cannot carry at all dropped.
pub fn xml(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            '\n' => out.push_str("&#10;"),
            '\t' | '\r' => out.push(' '),
            c if (c as u32) < 0x20 || c == '\u{fffe}' || c == '\u{ffff}' => {}
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn terminal_strings_stay_on_one_line() {
        let hostile = "a\n::error::forged\u{1b}]8;;x\u{7}\u{9b}31m";
        let escaped = terminal(hostile);
        assert!(!escaped.contains('\n'));
        assert!(!escaped.chars().any(char::is_control));
        assert!(escaped.contains("\\n::error::forged"));
    }

    #[test]
    fn code_spans_cannot_be_closed_from_inside() {
        assert_eq!(code_span("a`b"), "`` a`b ``");
        assert_eq!(code_span("x|y"), "`x\\|y`");
        assert_eq!(code_span("plain"), "`plain`");
    }
}
