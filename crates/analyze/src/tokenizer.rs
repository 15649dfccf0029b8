//! spaCy's rule-based tokenizer.

/// A token as the tokenizer emits it. Offsets are byte offsets into the
/// text given to the tokenizer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RawToken {
    pub start: usize,
    pub end: usize,
    /// Whether one space follows the token (spaCy's `whitespace_`).
    pub whitespace: bool,
    /// NORM set by a tokenizer special case ("n't" -> "not"), if any.
    pub norm: Option<String>,
}
