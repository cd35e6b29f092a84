//! Where a finding points: a line and column in a file the report can show.

use crate::report::Location;

pub(super) fn location(file: &str, text: &str, start: usize, length: usize) -> Location {
    let before = text.get(..start).unwrap_or_default();
    let line = before.matches('\n').count() + 1;
    let column = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
    Location {
        file: file.to_string(),
        line,
        column,
        start,
        length,
    }
}
