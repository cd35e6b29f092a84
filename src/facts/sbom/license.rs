//! SPDX license expressions, parsed with the `spdx` crate and flattened to alternatives
//! (disjunctive normal form) so that a policy can ask "is some alternative acceptable?".

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use spdx::expression::{ExprNode, Operator};

/// More alternatives than this are cut off (`truncated`): `A AND (B OR C) AND …` explodes.
const MAX_ALTERNATIVES: usize = 64;

/// A license as an SBOM states it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct License {
    /// The expression or identifier as written.
    pub expression: String,
    /// It parses as an SPDX expression (lax: common variants such as `MIT/Apache-2.0` accepted).
    pub valid: bool,
    /// Ways to satisfy it: each alternative is a set of licenses that all apply.
    pub alternatives: Vec<Vec<String>>,
    /// There were more than 64 alternatives.
    pub truncated: bool,
}

/// Parses one license expression.
pub fn parse(text: &str) -> License {
    let Ok(expression) = spdx::Expression::parse_mode(text, spdx::ParseMode::LAX) else {
        return License {
            expression: text.to_string(),
            valid: false,
            alternatives: Vec::new(),
            truncated: false,
        };
    };
    let mut stack: Vec<Vec<Vec<String>>> = Vec::new();
    let mut truncated = false;
    for node in expression.iter() {
        match node {
            ExprNode::Req(req) => stack.push(vec![vec![req.req.to_string()]]),
            ExprNode::Op(op) => {
                let (Some(right), Some(left)) = (stack.pop(), stack.pop()) else {
                    break;
                };
                let mut combined = match op {
                    Operator::Or => left.into_iter().chain(right).collect::<Vec<_>>(),
                    Operator::And => left
                        .iter()
                        .flat_map(|l| {
                            right.iter().map(move |r| {
                                let mut both = l.clone();
                                both.extend(r.iter().cloned());
                                both.sort();
                                both.dedup();
                                both
                            })
                        })
                        .collect(),
                };
                if combined.len() > MAX_ALTERNATIVES {
                    combined.truncate(MAX_ALTERNATIVES);
                    truncated = true;
                }
                stack.push(combined);
            }
        }
    }
    let mut alternatives = stack.pop().unwrap_or_default();
    alternatives.sort();
    alternatives.dedup();
    License {
        expression: text.to_string(),
        valid: true,
        alternatives,
        truncated,
    }
}

#[cfg(test)]
mod tests {
    use super::parse;

    #[test]
    fn alternatives() {
        assert_eq!(
            parse("MIT OR Apache-2.0").alternatives,
            [["Apache-2.0"], ["MIT"]]
        );
        assert_eq!(
            parse("(MIT OR Apache-2.0) AND Unicode-3.0").alternatives,
            [
                vec!["Apache-2.0", "Unicode-3.0"],
                vec!["MIT", "Unicode-3.0"]
            ]
        );
        assert_eq!(parse("MIT/Apache-2.0").alternatives.len(), 2);
        assert!(!parse("not a license ((").valid);
    }
}
