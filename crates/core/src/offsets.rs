/// Converts byte offsets (what Rust string slicing uses) into code-point
/// offsets (what the export contract uses), and back.
///
/// Built once per document; lookups are a binary search, so converting every
/// token of a long article stays cheap.
#[derive(Debug, Clone)]
pub struct CharIndex {
    /// Byte offset of every char boundary, plus the text length at the end.
    boundaries: Vec<usize>,
}

impl CharIndex {
    pub fn new(text: &str) -> Self {
        let mut boundaries: Vec<usize> = text.char_indices().map(|(i, _)| i).collect();
        boundaries.push(text.len());
        CharIndex { boundaries }
    }

    /// Number of code points in the text.
    pub fn len(&self) -> usize {
        self.boundaries.len() - 1
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Code-point offset of a byte offset. A byte offset inside a multi-byte
    /// char maps to that char's start.
    pub fn char_of_byte(&self, byte: usize) -> usize {
        match self.boundaries.binary_search(&byte) {
            Ok(i) => i,
            Err(i) => i.saturating_sub(1),
        }
    }

    /// Byte offset of a code-point offset, clamped to the text length.
    pub fn byte_of_char(&self, ch: usize) -> usize {
        let last = self.boundaries.len() - 1;
        self.boundaries[ch.min(last)]
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ascii_offsets_are_identity() {
        let idx = CharIndex::new("hello");
        assert_eq!(idx.len(), 5);
        assert_eq!(idx.char_of_byte(3), 3);
        assert_eq!(idx.byte_of_char(5), 5);
    }

    #[test]
    fn multibyte_offsets() {
        let text = "al Qaida’s second";
        let idx = CharIndex::new(text);
        let byte = text.find("second").unwrap();
        let ch = idx.char_of_byte(byte);
        assert_eq!(text.chars().skip(ch).take(6).collect::<String>(), "second");
        assert_eq!(idx.byte_of_char(ch), byte);
        // Inside the 3-byte apostrophe maps to its start.
        let apos = text.find('’').unwrap();
        assert_eq!(idx.char_of_byte(apos + 1), idx.char_of_byte(apos));
        assert_eq!(idx.byte_of_char(10_000), text.len());
    }

    #[test]
    fn empty_text() {
        let idx = CharIndex::new("");
        assert!(idx.is_empty());
        assert_eq!(idx.char_of_byte(0), 0);
        assert_eq!(idx.byte_of_char(0), 0);
    }
}
