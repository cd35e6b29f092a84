//! A few lines of hex around a byte offset, so that a wasm error can be shown with a label
//! under the offending byte like any other source snippet.

use std::fmt::Write as _;

const WIDTH: usize = 16;

/// Hex dumps around each artifact's first wasm error, by artifact path.
pub type Snippets = std::collections::BTreeMap<String, ByteSnippet>;

/// A hex dump with the position of one byte's two hex digits in it.
#[derive(
    Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize, schemars::JsonSchema,
)]
pub struct ByteSnippet {
    /// The byte offset in the artifact that the dump is about.
    pub offset: u64,
    /// The dump: `00000010  0b 00 …` lines.
    pub text: String,
    /// Where the offending byte's hex digits start in `text`.
    pub label_at: usize,
}

/// The dump around `offset`, or None when the offset lies past the end of the bytes.
pub fn around(bytes: &[u8], offset: u64) -> Option<ByteSnippet> {
    let at = offset;
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
    Some(ByteSnippet {
        offset: at,
        text,
        label_at: label?,
    })
}

#[cfg(test)]
mod tests {
    use super::around;

    #[test]
    fn labels_the_offending_byte() {
        let bytes: Vec<u8> = (0..40).collect();
        let snippet = around(&bytes, 0x13).unwrap();
        let at = snippet.label_at;
        assert_eq!(&snippet.text[at..at + 2], "13");
        let snippet = around(&bytes, 40).unwrap();
        let at = snippet.label_at;
        assert_eq!(&snippet.text[at..at + 2], "^^");
        assert!(around(&bytes, 41).is_none());
    }
}
