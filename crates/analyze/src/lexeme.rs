//! Lexical attributes the tok2vec embeds, as spaCy computes them.

/// The per-token attribute ids fed to the embedding layers, in the order of
/// the model's `attrs` list: NORM, PREFIX, SUFFIX, SHAPE, SPACY, IS_SPACE.
/// String-valued attributes are spaCy string hashes; SPACY and IS_SPACE are 0/1.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct LexAttrs {
    pub norm: u64,
    pub prefix: u64,
    pub suffix: u64,
    pub shape: u64,
    pub spacy: u64,
    pub is_space: u64,
}
