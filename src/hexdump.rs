//! A few lines of hex around a byte offset, so that a wasm error can be shown with a label
//! under the offending byte like any other source snippet.

use std::fmt::Write as _;

const WIDTH: usize = 16;

/// The dump text and the byte span of the offending byte's two hex digits in it.
pub fn around(bytes: &[u8], offset: u64) -> Option<(String, usize)> {
    let offset = usize::try_from(offset).ok()?;
    // An offset at the end means "more bytes were expected": point just past the last byte.
    let row = offset.min(bytes.len()) / WIDTH;
    let first = row.saturating_sub(1);
    let mut text = String::new();
    let mut label = None;
    for line in first..=row + 1 {
        let start = line * WIDTH;
        if start > bytes.len() || (start == bytes.len() && offset < start) {
            break;
        }
        let _ = write!(text, "{start:08x} ");
        for index in start..start + WIDTH {
            if index == offset {
                label = Some(text.len() + 1);
            }
            match bytes.get(index) {
                Some(byte) => {
                    let _ = write!(text, " {byte:02x}");
                }
                None if index == offset => text.push_str(" ^^"),
                None => break,
            }
        }
        text.push('\n');
    }
    Some((text, label?))
}

#[cfg(test)]
mod tests {
    use super::around;

    #[test]
    fn labels_the_offending_byte() {
        let bytes: Vec<u8> = (0..40).collect();
        let (text, at) = around(&bytes, 0x13).unwrap();
        assert_eq!(&text[at..at + 2], "13");
        let (text, at) = around(&bytes, 40).unwrap();
        assert_eq!(&text[at..at + 2], "^^");
    }
}
