//! Builtins that build a large value in one call, replaced by versions bounded by the time
//! limit: regorus checks its timer between statements, never inside a builtin, so one
//! `numbers.range(1, 1e8)` ran 13 s against a 2 s limit. Each is refused before it starts when
//! its result would be larger than a call can build in about half the limit. `sprintf` is
//! wrapped too: a format width is a padding it builds in one call, and regorus reads one past
//! 32 bits or in non-ASCII digits by panicking.

use regorus::unstable::{BUILTINS, BuiltinFcn, Expr, Parser, Ref, Source, Span};
use regorus::{Engine, Value};

use crate::diag::Error;

/// Elements one call may produce per millisecond of the time limit. Building a range runs at
/// about 7 000 elements per millisecond in a release build (and a tenth of that unoptimised),
/// so a call that passes the bound takes well under half the limit.
const ELEMENTS_PER_MS: u64 = 500;

/// The fewest elements a call may always produce, however small the limit.
const FLOOR: u64 = 10_000;

/// The most elements one bounded call may produce under `timeout_ms`.
fn max_elements(timeout_ms: u64) -> u64 {
    timeout_ms.saturating_mul(ELEMENTS_PER_MS).max(FLOOR)
}

/// Installs the bounded versions on `engine`; they shadow the builtins of the same name.
pub(super) fn install(engine: &mut Engine, timeout_ms: u64) -> Result<(), Error> {
    let cap = max_elements(timeout_ms);
    let failed = |name: &str, e: anyhow::Error| Error::PolicyLoad {
        path: name.to_string(),
        message: e.to_string(),
    };
    engine
        .add_extension(
            "numbers.range".to_string(),
            2,
            Box::new(move |args: Vec<Value>| {
                let (from, to) = (integer(&args[0], "a")?, integer(&args[1], "b")?);
                range(from, to, 1, cap, "numbers.range")
            }),
        )
        .map_err(|e| failed("numbers.range", e))?;
    engine
        .add_extension(
            "numbers.range_step".to_string(),
            3,
            Box::new(move |args: Vec<Value>| {
                let (from, to) = (integer(&args[0], "a")?, integer(&args[1], "b")?);
                let step = integer(&args[2], "step")?;
                if step <= 0 {
                    anyhow::bail!("numbers.range_step: step must be a positive integer");
                }
                range(from, to, step, cap, "numbers.range_step")
            }),
        )
        .map_err(|e| failed("numbers.range_step", e))?;
    let sprintf =
        Delegate::new("sprintf", "sprintf(format, values)").map_err(|e| failed("sprintf", e))?;
    engine
        .add_extension(
            "sprintf".to_string(),
            2,
            Box::new(move |args: Vec<Value>| {
                if let Ok(format) = args[0].as_string() {
                    check_widths(format, cap)?;
                }
                sprintf.call(&args)
            }),
        )
        .map_err(|e| failed("sprintf", e))?;
    Ok(())
}

/// A builtin called from an extension, with the call expression its errors point into.
#[derive(Clone)]
struct Delegate {
    function: BuiltinFcn,
    span: Span,
    params: Vec<Ref<Expr>>,
}

impl Delegate {
    fn new(name: &str, call: &str) -> anyhow::Result<Self> {
        let function = *BUILTINS
            .get(name)
            .ok_or_else(|| anyhow::anyhow!("regorus has no builtin {name}"))?;
        let source = Source::from_contents(format!("<{name}>"), call.to_string())?;
        let expr = Parser::new(&source)?.parse_expr()?;
        let Expr::Call { span, params, .. } = &expr else {
            anyhow::bail!("`{call}` is not a call");
        };
        Ok(Self {
            function,
            span: span.clone(),
            params: params.clone(),
        })
    }

    fn call(&self, args: &[Value]) -> anyhow::Result<Value> {
        (self.function.0)(&self.span, &self.params, args, true)
    }
}

/// Refuses a `%` width or precision wider than `cap` or written in other than ASCII digits.
fn check_widths(format: &str, cap: u64) -> anyhow::Result<()> {
    let mut chars = format.chars().peekable();
    while let Some(c) = chars.next() {
        if c != '%' {
            continue;
        }
        match chars.peek() {
            Some('%') => {
                chars.next();
                continue;
            }
            Some('.') => {
                chars.next();
            }
            _ => {}
        }
        let mut width: u64 = 0;
        while let Some(&digit) = chars.peek().filter(|c| c.is_numeric()) {
            let Some(value) = digit.to_digit(10).filter(|_| digit.is_ascii_digit()) else {
                anyhow::bail!("sprintf: the width `{digit}` is not an ASCII digit");
            };
            width = width.saturating_mul(10).saturating_add(u64::from(value));
            chars.next();
        }
        if width > cap {
            anyhow::bail!(
                "sprintf: a width of {width} is more than the {cap} characters one call may build under the policy time limit; raise [policy] timeout_ms or pad less"
            );
        }
    }
    Ok(())
}

fn integer(value: &Value, operand: &str) -> anyhow::Result<i64> {
    let number = value
        .as_number()
        .map_err(|_| anyhow::anyhow!("operand {operand} must be a number"))?;
    if !number.is_integer() {
        anyhow::bail!("operand {operand} must be integer");
    }
    number
        .as_i64()
        .ok_or_else(|| anyhow::anyhow!("operand {operand} is outside the 64-bit integers"))
}

/// `from` to `to` inclusive by `step` (counting down when `to < from`), as OPA builds it.
fn range(from: i64, to: i64, step: i64, cap: u64, name: &str) -> anyhow::Result<Value> {
    let span = i128::from(to) - i128::from(from);
    let count = span.unsigned_abs() / u128::from(step.unsigned_abs()) + 1;
    if count > u128::from(cap) {
        anyhow::bail!(
            "{name} would build {count} elements, more than the {cap} one call may under the policy time limit (a builtin cannot be interrupted, so it is bounded before it starts); raise [policy] timeout_ms or build less"
        );
    }
    // In i128: `i * step` may pass i64 on the way (from i64::MIN by 2^62), the sum never does.
    let signed = if to < from {
        -i128::from(step)
    } else {
        i128::from(step)
    };
    let values = (0..count)
        .filter_map(|i| i64::try_from(i128::from(from) + i as i128 * signed).ok())
        .map(Value::from)
        .collect::<Vec<_>>();
    Ok(Value::from(values))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn numbers(value: &Value) -> Vec<i64> {
        value
            .as_array()
            .unwrap()
            .iter()
            .map(|v| v.as_i64().unwrap())
            .collect()
    }

    #[test]
    fn sprintf_widths_are_bounded_and_ascii() {
        assert!(check_widths("%d %5s %05d %.3f %% %-10s", 10).is_ok());
        assert!(check_widths("%11d", 10).is_err());
        assert!(check_widths("%.11f", 10).is_err());
        assert!(check_widths("%99999999999999999999999d", 10).is_err());
        assert!(check_widths("%\u{0663}d", 10).is_err());
        assert!(check_widths("%%11d", 10).is_ok());
        let sprintf = Delegate::new("sprintf", "sprintf(format, values)").unwrap();
        let out = sprintf
            .call(&[
                Value::from("%03d-%s"),
                Value::from(vec![Value::from(7), Value::from("x")]),
            ])
            .unwrap();
        assert_eq!(out, Value::from("007-x"));
    }

    #[test]
    fn ranges_count_up_down_and_by_step() {
        assert_eq!(numbers(&range(1, 4, 1, 100, "r").unwrap()), [1, 2, 3, 4]);
        assert_eq!(numbers(&range(3, 1, 1, 100, "r").unwrap()), [3, 2, 1]);
        assert_eq!(numbers(&range(0, 10, 4, 100, "r").unwrap()), [0, 4, 8]);
        assert_eq!(numbers(&range(10, 0, 4, 100, "r").unwrap()), [10, 6, 2]);
        assert_eq!(numbers(&range(5, 5, 1, 100, "r").unwrap()), [5]);
    }

    #[test]
    fn a_range_past_the_cap_is_refused_before_it_is_built() {
        assert!(range(1, 100, 1, 100, "r").is_ok());
        let error = range(1, 101, 1, 100, "r").unwrap_err().to_string();
        assert!(error.contains("101 elements, more than the 100"), "{error}");
        assert!(range(i64::MIN, i64::MAX, 1, 100, "r").is_err());
        // Steps that would overflow i64 on the way still give OPA's elements.
        let wide = range(i64::MIN, i64::MAX, 1 << 62, 100, "r").unwrap();
        assert_eq!(numbers(&wide), [i64::MIN, i64::MIN + (1 << 62), 0, 1 << 62]);
        assert_eq!(max_elements(2_000), 1_000_000);
        assert_eq!(max_elements(1), FLOOR);
    }
}
