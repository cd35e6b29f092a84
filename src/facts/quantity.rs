//! Kubernetes resource quantities, parsed as the apiserver parses them (exactly, no float):
//! `128974848`, `129e6`, `129M`, `123Mi`, `1.5Gi`. A memory value must come out as a whole
//! number of bytes; `2GB` is not a quantity and `64m` is 0.064 bytes.

/// Bytes, or why the text is not a memory quantity the apiserver would accept.
pub fn memory_bytes(text: &str) -> Result<u128, String> {
    let text = text.trim();
    let (number, suffix) = split(text);
    if number.is_empty() {
        return Err(format!("`{text}` is not a quantity (no number)"));
    }
    let (digits, scale) = decimal(number).ok_or_else(|| format!("`{text}` is not a quantity"))?;
    // value = digits × 10^-scale × multiplier, multiplier = base^exp.
    let (base, exp): (u128, i32) = match suffix {
        "" => (10, 0),
        "Ki" => (2, 10),
        "Mi" => (2, 20),
        "Gi" => (2, 30),
        "Ti" => (2, 40),
        "Pi" => (2, 50),
        "Ei" => (2, 60),
        "m" => (10, -3),
        "k" => (10, 3),
        "M" => (10, 6),
        "G" => (10, 9),
        "T" => (10, 12),
        "P" => (10, 15),
        "E" => (10, 18),
        other => {
            let exponent = other
                .strip_prefix(['e', 'E'])
                .and_then(|e| e.parse::<i32>().ok())
                .filter(|e| (-30..=30).contains(e));
            match exponent {
                Some(e) => (10, e),
                None => {
                    return Err(format!(
                        "`{text}` is not a quantity: `{other}` is not a suffix (Ki, Mi, Gi, Ti, Pi, Ei, k, M, G, T, P, E)"
                    ));
                }
            }
        }
    };
    let overflow = || format!("`{text}` is too large");
    let mut numerator = digits;
    let mut denominator: u128 = 10u128.checked_pow(scale).ok_or_else(overflow)?;
    if exp >= 0 {
        let power = base.checked_pow(exp.unsigned_abs()).ok_or_else(overflow)?;
        numerator = numerator.checked_mul(power).ok_or_else(overflow)?;
    } else {
        let power = base.checked_pow(exp.unsigned_abs()).ok_or_else(overflow)?;
        denominator = denominator.checked_mul(power).ok_or_else(overflow)?;
    }
    if numerator % denominator != 0 {
        return Err(format!("`{text}` is not a whole number of bytes"));
    }
    Ok(numerator / denominator)
}

/// Bytes of a memory size as people write it outside Kubernetes too: a quantity, or `2GB`,
/// `512MB`, `1GiB` (decimal `kB`/`KB`, `MB`, `GB`, `TB`, and binary `KiB`…`TiB`). For cost
/// figures only; the apiserver would reject the second kind, which is a
/// `manifest-invalid-quantity` warning in a manifest.
pub fn memory_bytes_lenient(text: &str) -> Option<u128> {
    if let Ok(bytes) = memory_bytes(text) {
        return Some(bytes);
    }
    let text = text.trim();
    let stripped = text.strip_suffix('B')?;
    let quantity = match stripped.strip_suffix('K') {
        Some(number) => format!("{number}k"),
        None => stripped.to_string(),
    };
    if quantity.ends_with(char::is_numeric) {
        return None;
    }
    memory_bytes(&quantity).ok()
}

/// The number (sign, digits, one dot) and the suffix after it.
fn split(text: &str) -> (&str, &str) {
    let end = text
        .char_indices()
        .find(|(i, c)| !(c.is_ascii_digit() || *c == '.' || (*i == 0 && (*c == '+' || *c == '-'))))
        .map_or(text.len(), |(i, _)| i);
    text.split_at(end)
}

/// Digits as an integer and the number of them after the dot; None for a negative or
/// malformed number (memory is never negative).
fn decimal(number: &str) -> Option<(u128, u32)> {
    let number = number.strip_prefix('+').unwrap_or(number);
    if number.starts_with('-') {
        return None;
    }
    let (whole, fraction) = number.split_once('.').unwrap_or((number, ""));
    if whole.is_empty() && fraction.is_empty() {
        return None;
    }
    if !whole
        .bytes()
        .chain(fraction.bytes())
        .all(|b| b.is_ascii_digit())
    {
        return None;
    }
    if whole.len() + fraction.len() > 30 {
        return None;
    }
    let digits: u128 = format!("{whole}{fraction}").parse().ok()?;
    Some((digits, u32::try_from(fraction.len()).ok()?))
}

#[cfg(test)]
mod tests {
    use super::{memory_bytes, memory_bytes_lenient};

    #[test]
    fn memory_as_people_write_it() {
        assert_eq!(memory_bytes_lenient("2GB"), Some(2_000_000_000));
        assert_eq!(memory_bytes_lenient("512MB"), Some(512_000_000));
        assert_eq!(memory_bytes_lenient("64KB"), Some(64_000));
        assert_eq!(memory_bytes_lenient("1GiB"), Some(1 << 30));
        assert_eq!(memory_bytes_lenient("512Mi"), Some(512 << 20));
        assert_eq!(memory_bytes_lenient("2B"), None);
        assert_eq!(memory_bytes_lenient("lots"), None);
    }

    #[test]
    fn as_kubernetes_reads_them() {
        let cases: &[(&str, u128)] = &[
            ("128974848", 128_974_848),
            ("129e6", 129_000_000),
            ("129M", 129_000_000),
            ("123Mi", 123 * 1024 * 1024),
            ("2G", 2_000_000_000),
            ("2Gi", 1 << 31),
            ("1.5Gi", 3 << 29),
            ("64Ki", 65_536),
            ("1000m", 1),
            ("+1k", 1000),
            ("0.5Ki", 512),
        ];
        for (text, bytes) in cases {
            assert_eq!(memory_bytes(text), Ok(*bytes), "{text}");
        }
    }

    #[test]
    fn what_the_apiserver_refuses_or_is_no_whole_byte() {
        for text in [
            "2GB", "64m", "1.5", "", "Mi", "-1Gi", "1.2.3", "12 Mi", "1e400", "0.1",
        ] {
            assert!(memory_bytes(text).is_err(), "{text} accepted");
        }
    }
}
