//! Which user packages outside the evaluated namespaces the evaluated ones reach through
//! `data`: a helper package that an evaluated rule imports or refers to runs with it, so it
//! is not "not evaluated".

use std::collections::BTreeSet;

use regorus::unstable::{Lexer, Source, Token, TokenKind};

/// The `data` paths a policy text refers to (imports included), each as its segments:
/// `import data.lib.helpers` and `data.lib["helpers"].f(x)` are both `["lib", "helpers", …]`.
/// Comments and strings are the lexer's, so a `data.x` in either is not a reference.
pub(super) fn data_paths(name: &str, text: &str) -> Vec<Vec<String>> {
    let Ok(source) = Source::from_contents(name.to_string(), text.to_string()) else {
        return Vec::new();
    };
    let mut lexer = Lexer::new(&source);
    let mut tokens = Vec::new();
    while let Ok(token) = lexer.next_token() {
        if matches!(token.0, TokenKind::Eof) {
            break;
        }
        tokens.push(token);
    }
    let symbol = |i: usize, s: &str| {
        tokens
            .get(i)
            .is_some_and(|Token(kind, span)| matches!(kind, TokenKind::Symbol) && span.text() == s)
    };
    let ident = |i: usize| {
        tokens.get(i).and_then(|Token(kind, span)| {
            matches!(kind, TokenKind::Ident).then(|| span.text().to_string())
        })
    };
    let string = |i: usize| {
        tokens.get(i).and_then(|Token(kind, span)| {
            matches!(kind, TokenKind::String | TokenKind::RawString)
                .then(|| span.text().to_string())
        })
    };
    let mut paths = Vec::new();
    let mut i = 0;
    while i < tokens.len() {
        // `x.data` is a field named data, not the root document.
        let is_root = ident(i).as_deref() == Some("data") && (i == 0 || !symbol(i - 1, "."));
        if !is_root {
            i += 1;
            continue;
        }
        let mut path = Vec::new();
        let mut j = i + 1;
        loop {
            if symbol(j, ".") {
                if let Some(segment) = ident(j + 1) {
                    path.push(segment);
                    j += 2;
                    continue;
                }
            }
            if symbol(j, "[") && symbol(j + 2, "]") {
                if let Some(segment) = string(j + 1) {
                    path.push(segment);
                    j += 3;
                    continue;
                }
            }
            break;
        }
        paths.push(path);
        i = j;
    }
    paths
}

/// A reference reaches a package when one path is a prefix of the other: `data.lib` reads
/// every package under it, `data.lib.helpers.f` reads a rule of `lib.helpers`.
fn reaches(path: &[String], package: &[&str]) -> bool {
    path.iter().zip(package).all(|(a, b)| a == b)
}

/// Of `candidates` (package name without `data.`, and the texts of its files), those that no
/// evaluated text reaches, directly or through a candidate it reaches.
pub(super) fn unreached<'a>(
    evaluated: &[(&str, &str)],
    candidates: &[(&'a str, Vec<(&str, &str)>)],
) -> BTreeSet<&'a str> {
    let mut frontier: Vec<Vec<String>> = evaluated
        .iter()
        .flat_map(|(name, text)| data_paths(name, text))
        .collect();
    let mut unreached: BTreeSet<&str> = candidates.iter().map(|(package, _)| *package).collect();
    while let Some(path) = frontier.pop() {
        for (package, files) in candidates {
            let segments: Vec<&str> = package.split('.').collect();
            if unreached.contains(package) && reaches(&path, &segments) {
                unreached.remove(package);
                frontier.extend(files.iter().flat_map(|(name, text)| data_paths(name, text)));
            }
        }
    }
    unreached
}

#[cfg(test)]
mod tests {
    use super::*;

    fn paths(text: &str) -> Vec<String> {
        data_paths("p.rego", text)
            .into_iter()
            .map(|p| p.join("."))
            .collect()
    }

    #[test]
    fn imports_refs_and_brackets_are_found_but_not_comments_strings_or_fields() {
        let text = r#"package wasmgate
import rego.v1
import data.lib.helpers as h
# data.in_a_comment.x
deny contains msg if {
	data.util["strings"].trim_all(input.x)
	msg := "data.in_a_string"
	input.data.not_root
	x := data
}
"#;
        assert_eq!(paths(text), ["lib.helpers", "util.strings.trim_all", ""]);
    }

    #[test]
    fn reach_is_transitive_and_by_prefix() {
        let evaluated = [("main.rego", "package wasmgate\nx := data.lib.a.f\n")];
        let candidates = [
            (
                "lib.a",
                vec![("a.rego", "package lib.a\nf := data.lib.b.g\n")],
            ),
            ("lib.b", vec![("b.rego", "package lib.b\ng := 1\n")]),
            ("lib.c", vec![("c.rego", "package lib.c\nh := 1\n")]),
            (
                "team",
                vec![("t.rego", "package team\nk := data.lib.c.h\n")],
            ),
        ];
        let left: Vec<_> = unreached(&evaluated, &candidates).into_iter().collect();
        assert_eq!(left, ["lib.c", "team"]);
        let whole = [("main.rego", "package wasmgate\nx := data.lib\n")];
        let left: Vec<_> = unreached(&whole, &candidates).into_iter().collect();
        assert_eq!(left, ["team"]);
    }
}
