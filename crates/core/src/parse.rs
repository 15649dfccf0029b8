//! The parse of one text: tokens with tags, lemmas and dependency heads,
//! sentences and named entities. The language pipeline (`dossier-analyze`)
//! produces it; time tagging, local resolution and fact extraction borrow it.
//! Offsets are bytes into the analysed text, end exclusive.

use serde::{Deserialize, Serialize};
use std::ops::Range;

/// One token.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Token {
    pub text: String,
    pub start: usize,
    pub end: usize,
    /// Whether a single space follows (spaCy's `whitespace_`).
    pub whitespace: bool,
    /// Penn Treebank tag (`tag_`); empty when no tagger ran.
    pub tag: String,
    /// Universal part of speech (`pos_`).
    pub pos: String,
    /// Morphological features (`str(token.morph)`).
    #[serde(default)]
    pub morph: String,
    pub lemma: String,
    /// Index of the syntactic head; a sentence root is its own head.
    pub head: usize,
    /// Dependency label (`dep_`), "ROOT" for roots.
    pub dep: String,
    /// Whether the token is whitespace (spaCy's `is_space`).
    #[serde(default)]
    pub is_space: bool,
}

impl Token {
    /// A token with only its offsets and head known (plain tokenisation).
    pub fn plain(text: &str, start: usize, end: usize, head: usize) -> Token {
        Token {
            text: text.get(start..end).unwrap_or("").to_string(),
            start,
            end,
            head,
            ..Token::default()
        }
    }
}

/// A named-entity span: tokens `start_token..end_token`, bytes `start..end`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct EntSpan {
    pub start_token: usize,
    pub end_token: usize,
    pub start: usize,
    pub end: usize,
    /// OntoNotes label: PERSON, ORG, GPE, DATE, ...
    pub label: String,
}

/// The analysis of one text.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Doc {
    pub tokens: Vec<Token>,
    /// Sentences as token index ranges, in order.
    pub sents: Vec<Range<usize>>,
    pub ents: Vec<EntSpan>,
}

impl Doc {
    /// Whether a tagger (and with it the entity recogniser) ran: plain
    /// tokenisation leaves every tag empty.
    pub fn is_tagged(&self) -> bool {
        self.tokens.iter().any(|t| !t.tag.is_empty())
    }

    /// Byte range of sentence `i`.
    pub fn sentence_bytes(&self, i: usize) -> Option<Range<usize>> {
        let r = self.sents.get(i)?;
        let first = self.tokens.get(r.start)?;
        let last = self.tokens.get(r.end.checked_sub(1)?)?;
        Some(first.start..last.end)
    }
}

/// A pronoun and the named entity it refers to: token `token` of a parse
/// refers to entity `ent` (an index into [`Doc::ents`]). The pipeline
/// resolves pronouns once, and every stage uses the answer.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct PronounLink {
    pub token: usize,
    pub ent: usize,
}
