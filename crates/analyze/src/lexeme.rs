//! Lexical attributes the tok2vec embeds, as spaCy computes them.
//!
//! NORM resolves as in spaCy 3.8's English vocab: a tokenizer special case's
//! NORM wins; otherwise the model's `lexeme_norm` table (vocab/lookups.bin),
//! then spaCy's built-in `BASE_NORMS`, then Python's `str.lower()`.

use std::borrow::Cow;
use std::collections::HashMap;
use std::path::Path;
use std::sync::Mutex;

use crate::strings::{hash_string, string_id};
use crate::tokenizer::{check_model_dir, py_isspace, Error, LookupsFile, RawToken};

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

/// spaCy's language-independent norm exceptions (`spacy.lang.norm_exceptions
/// .BASE_NORMS`). They are part of spaCy's code, not of the model files.
const BASE_NORMS: &[(&str, &str)] = &[
    ("'s", "'s"),
    ("'S", "'s"),
    ("’s", "'s"),
    ("’S", "'s"),
    ("’", "'"),
    ("‘", "'"),
    ("´", "'"),
    ("`", "'"),
    ("”", "\""),
    ("“", "\""),
    ("''", "\""),
    ("``", "\""),
    ("´´", "\""),
    ("„", "\""),
    ("»", "\""),
    ("«", "\""),
    ("‘‘", "\""),
    ("’’", "\""),
    ("？", "?"),
    ("！", "!"),
    ("，", ","),
    ("；", ";"),
    ("：", ":"),
    ("。", "."),
    ("।", "."),
    ("…", "..."),
    ("—", "-"),
    ("–", "-"),
    ("--", "-"),
    ("---", "-"),
    ("——", "-"),
    ("€", "$"),
    ("£", "$"),
    ("¥", "$"),
    ("฿", "$"),
    ("US$", "$"),
    ("C$", "$"),
    ("A$", "$"),
    ("₺", "$"),
    ("₹", "$"),
    ("৳", "$"),
    ("₩", "$"),
    ("Mex$", "$"),
    ("₣", "$"),
    ("E£", "$"),
];

/// The string forms of a token's lexical attributes.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct LexStrings {
    pub norm: String,
    pub lower: String,
    pub prefix: String,
    pub suffix: String,
    pub shape: String,
}

/// Lexical attribute getters loaded from the model's vocab.
#[derive(Debug)]
pub struct Lexicon {
    /// `lexeme_norm`: string id of the orth -> norm.
    lexeme_norm: HashMap<u64, String>,
    base_norms: HashMap<&'static str, &'static str>,
    /// orth hash -> (norm, prefix, suffix, shape, is_space) ids, as spaCy's
    /// vocab keeps one lexeme per orth.
    cache: Mutex<HashMap<u64, [u64; 5]>>,
}

/// Lexeme cache size; emptied when full (only affects speed).
const MAX_LEX_CACHE: usize = 200_000;

impl Lexicon {
    /// Loads `<model_dir>/vocab/lookups.bin`.
    pub fn load(model_dir: &Path) -> Result<Lexicon, Error> {
        check_model_dir(model_dir)?;
        let path = model_dir.join("vocab").join("lookups.bin");
        let lookups = LookupsFile::load(&path)?;
        let lexeme_norm = if lookups.tables.contains_key("lexeme_norm") {
            lookups.string_table("lexeme_norm")?
        } else {
            HashMap::new()
        };
        Ok(Self::from_table(lexeme_norm))
    }

    fn from_table(lexeme_norm: HashMap<u64, String>) -> Lexicon {
        Lexicon {
            lexeme_norm,
            base_norms: BASE_NORMS.iter().copied().collect(),
            cache: Mutex::new(HashMap::new()),
        }
    }

    /// The lexeme NORM of `orth` (without tokenizer special-case norms).
    pub fn lex_norm<'a>(&'a self, orth: &str) -> Cow<'a, str> {
        if let Some(n) = self.lexeme_norm.get(&string_id(orth)) {
            return Cow::Borrowed(n);
        }
        if let Some(n) = self.base_norms.get(orth) {
            return Cow::Borrowed(n);
        }
        Cow::Owned(orth.to_lowercase())
    }

    /// The token NORM: the special case's NORM if the tokenizer set one.
    pub fn norm<'a>(&'a self, orth: &str, token: &'a RawToken) -> Cow<'a, str> {
        match &token.norm {
            Some(n) => Cow::Borrowed(n.as_str()),
            None => self.lex_norm(orth),
        }
    }

    /// The embedding attributes of one token of `text`.
    pub fn attrs(&self, text: &str, token: &RawToken, shape_buf: &mut String) -> LexAttrs {
        let orth = &text[token.start..token.end];
        let key = hash_string(orth);
        let cached = self.cache.lock().ok().and_then(|c| c.get(&key).copied());
        let [norm, prefix_id, suffix_id, shape, space] = match cached {
            Some(v) => v,
            None => {
                word_shape_into(orth, shape_buf);
                let v = [
                    string_id(&self.lex_norm(orth)),
                    string_id(prefix(orth)),
                    string_id(suffix(orth)),
                    string_id(shape_buf),
                    u64::from(is_space(orth)),
                ];
                if let Ok(mut c) = self.cache.lock() {
                    if c.len() >= MAX_LEX_CACHE {
                        c.clear();
                    }
                    c.insert(key, v);
                }
                v
            }
        };
        LexAttrs {
            // A special case's NORM is a token attribute, not the lexeme's.
            norm: token.norm.as_deref().map_or(norm, string_id),
            prefix: prefix_id,
            suffix: suffix_id,
            shape,
            spacy: u64::from(token.whitespace),
            is_space: space,
        }
    }

    /// The embedding attributes of every token.
    pub fn attrs_all(&self, text: &str, tokens: &[RawToken]) -> Vec<LexAttrs> {
        let mut buf = String::new();
        tokens
            .iter()
            .map(|t| self.attrs(text, t, &mut buf))
            .collect()
    }

    /// The string forms of one token's lexical attributes.
    pub fn strings(&self, text: &str, token: &RawToken) -> LexStrings {
        let orth = &text[token.start..token.end];
        LexStrings {
            norm: self.norm(orth, token).into_owned(),
            lower: lower(orth),
            prefix: prefix(orth).to_string(),
            suffix: suffix(orth).to_string(),
            shape: word_shape(orth),
        }
    }
}

/// Python's `str.lower()` (full case mapping, final sigma included).
pub fn lower(s: &str) -> String {
    s.to_lowercase()
}

/// spaCy's PREFIX: the first code point.
pub fn prefix(s: &str) -> &str {
    match s.chars().next() {
        Some(c) => &s[..c.len_utf8()],
        None => s,
    }
}

/// spaCy's SUFFIX: the last three code points.
pub fn suffix(s: &str) -> &str {
    match s.char_indices().rev().nth(2) {
        Some((i, _)) => &s[i..],
        None => s,
    }
}

/// Python's `str.isspace()` on a whole string (false when empty).
pub fn is_space(s: &str) -> bool {
    !s.is_empty() && s.chars().all(py_isspace)
}

/// Python's `str.isalpha()` for one char: general category L*.
pub fn py_isalpha(c: char) -> bool {
    if c.is_ascii() {
        return c.is_ascii_alphabetic();
    }
    unicode_class::is_letter(c)
}

/// Python's `str.isdigit()` for one char: Numeric_Type Decimal or Digit.
pub fn py_isdigit(c: char) -> bool {
    if c.is_ascii() {
        return c.is_ascii_digit();
    }
    unicode_class::is_decimal(c) || DIGIT_NOT_ND.iter().any(|&(a, b)| (a..=b).contains(&c))
}

/// Python's `str.isalpha()` on a whole string (false when empty).
pub fn is_alpha(s: &str) -> bool {
    !s.is_empty() && s.chars().all(py_isalpha)
}

/// Chars with Numeric_Type=Digit that are not Nd (superscripts, circled
/// digits, ...): Python's `isdigit()` accepts them.
const DIGIT_NOT_ND: &[(char, char)] = &[
    ('\u{B2}', '\u{B3}'),
    ('\u{B9}', '\u{B9}'),
    ('\u{1369}', '\u{1371}'),
    ('\u{19DA}', '\u{19DA}'),
    ('\u{2070}', '\u{2070}'),
    ('\u{2074}', '\u{2079}'),
    ('\u{2080}', '\u{2089}'),
    ('\u{2460}', '\u{2468}'),
    ('\u{2474}', '\u{247C}'),
    ('\u{2488}', '\u{2490}'),
    ('\u{24EA}', '\u{24EA}'),
    ('\u{24F5}', '\u{24FD}'),
    ('\u{24FF}', '\u{24FF}'),
    ('\u{2776}', '\u{277E}'),
    ('\u{2780}', '\u{2788}'),
    ('\u{278A}', '\u{2792}'),
    ('\u{10A40}', '\u{10A43}'),
    ('\u{10E60}', '\u{10E68}'),
    ('\u{11052}', '\u{1105A}'),
    ('\u{1F100}', '\u{1F10A}'),
];

/// spaCy's `word_shape`.
pub fn word_shape(s: &str) -> String {
    let mut out = String::new();
    word_shape_into(s, &mut out);
    out
}

fn word_shape_into(s: &str, out: &mut String) {
    out.clear();
    if s.chars().nth(99).is_some() {
        out.push_str("LONG");
        return;
    }
    let mut last: Option<char> = None;
    let mut seq = 0;
    for c in s.chars() {
        let shape = if py_isalpha(c) {
            if c.is_uppercase() {
                'X'
            } else {
                'x'
            }
        } else if py_isdigit(c) {
            'd'
        } else {
            c
        };
        if Some(shape) == last {
            seq += 1;
        } else {
            seq = 0;
            last = Some(shape);
        }
        if seq < 4 {
            out.push(shape);
        }
    }
}

/// Unicode general-category lookups built from `regex-syntax`'s tables.
mod unicode_class {
    use std::sync::OnceLock;

    fn ranges(class: &str) -> Vec<(char, char)> {
        let hir = regex_syntax::Parser::new().parse(class);
        match hir.as_ref().map(|h| h.kind()) {
            Ok(regex_syntax::hir::HirKind::Class(regex_syntax::hir::Class::Unicode(c))) => {
                c.ranges().iter().map(|r| (r.start(), r.end())).collect()
            }
            // The class literals below are valid; an empty table only makes
            // lookups answer false.
            _ => Vec::new(),
        }
    }

    fn contains(table: &[(char, char)], c: char) -> bool {
        table
            .binary_search_by(|&(a, b)| {
                if c < a {
                    std::cmp::Ordering::Greater
                } else if c > b {
                    std::cmp::Ordering::Less
                } else {
                    std::cmp::Ordering::Equal
                }
            })
            .is_ok()
    }

    pub fn is_letter(c: char) -> bool {
        static T: OnceLock<Vec<(char, char)>> = OnceLock::new();
        contains(T.get_or_init(|| ranges(r"\p{L}")), c)
    }

    pub fn is_decimal(c: char) -> bool {
        static T: OnceLock<Vec<(char, char)>> = OnceLock::new();
        contains(T.get_or_init(|| ranges(r"\p{Nd}")), c)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shapes() {
        assert_eq!(word_shape("Apple"), "Xxxxx");
        assert_eq!(word_shape("apple"), "xxxx");
        assert_eq!(word_shape("U.S."), "X.X.");
        assert_eq!(word_shape("1996-08-30"), "dddd-dd-dd");
        assert_eq!(word_shape("x²"), "xd");
        assert_eq!(word_shape("Ωμέγα"), "Xxxxx");
        assert_eq!(word_shape(&"a".repeat(100)), "LONG");
        assert_eq!(word_shape(&"a".repeat(99)), "xxxx");
    }

    #[test]
    fn affixes_by_code_point() {
        assert_eq!(prefix("élan"), "é");
        assert_eq!(suffix("café"), "afé");
        assert_eq!(suffix("ab"), "ab");
        assert_eq!(suffix(""), "");
    }

    #[test]
    fn norm_order() {
        let mut t = HashMap::new();
        t.insert(string_id("colour"), "color".to_string());
        let lex = Lexicon::from_table(t);
        assert_eq!(lex.lex_norm("colour"), "color");
        assert_eq!(lex.lex_norm("’s"), "'s");
        assert_eq!(lex.lex_norm("Hello"), "hello");
        let tok = RawToken {
            start: 0,
            end: 3,
            whitespace: true,
            norm: Some("not".into()),
        };
        let a = lex.attrs("n't", &tok, &mut String::new());
        assert_eq!(a.norm, string_id("not"));
        assert_eq!(a.spacy, 1);
        assert_eq!(a.is_space, 0);
    }
}
