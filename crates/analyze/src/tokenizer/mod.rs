//! spaCy's rule-based tokenizer, loaded from the model's `tokenizer` file.
//!
//! The algorithm follows spaCy 3.8's `Tokenizer` step by step: split on
//! whitespace (a single " " is absorbed as the previous token's trailing
//! space, other whitespace becomes tokens), look each chunk up in the special
//! cases and the chunk cache, otherwise peel prefixes and suffixes (stopping
//! early when what is left is a special case), then split the core with
//! `url_match`/`token_match`/infixes. A final pass finds special cases that
//! only appear after affix splitting (e.g. ":)" inside "(:)") and
//! re-tokenizes them, with spaCy's longest-first overlap filter.

mod model_files;
pub mod pyre;

use std::collections::{HashMap, HashSet};
use std::hash::{BuildHasherDefault, Hasher};
use std::path::{Path, PathBuf};
use std::sync::Mutex;

use rmpv::Value;

pub(crate) use model_files::{check_model_dir, format_err, map_get, read_msgpack, LookupsFile};
pub use pyre::py_isspace;
use pyre::PyRegex;

use crate::strings::hash_string;

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

/// Errors loading the text-side model files.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error(
        "spaCy model directory {0} not found; run scripts/fetch-model.sh to download and unpack en_core_web_sm"
    )]
    MissingModel(PathBuf),
    #[error("cannot read {path}: {source}")]
    Io {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("{path}: {what}")]
    Format { path: PathBuf, what: String },
    #[error("{path}: pattern {field}: {source}")]
    Pattern {
        path: PathBuf,
        field: &'static str,
        source: pyre::CompileError,
    },
}

/// Map keyed by spaCy string hashes, which are already well mixed.
#[derive(Default)]
struct IdHasher(u64);

impl Hasher for IdHasher {
    fn finish(&self) -> u64 {
        self.0
    }
    fn write(&mut self, bytes: &[u8]) {
        for &b in bytes {
            self.0 = self.0.rotate_left(8) ^ u64::from(b);
        }
    }
    fn write_u64(&mut self, n: u64) {
        self.0 = n;
    }
}

type IdMap<V> = HashMap<u64, V, BuildHasherDefault<IdHasher>>;

/// One token of a special case: its byte length and optional NORM.
#[derive(Debug, Clone)]
struct SpecialPiece {
    len: u32,
    norm: Option<u32>,
}

/// Chunk cache size; the cache is emptied when full. spaCy stops adding at
/// 10,000 entries; the size only affects speed, never results.
const MAX_CACHE: usize = 100_000;

/// A token while tokenizing: byte range, trailing space, special NORM index.
#[derive(Debug, Clone, Copy)]
struct Piece {
    start: usize,
    end: usize,
    spacy: bool,
    norm: Option<u32>,
}

/// Reusable buffers for one chunk.
#[derive(Default)]
struct Scratch {
    prefixes: Vec<(usize, usize)>,
    suffixes: Vec<(usize, usize)>,
    infixes: Vec<(usize, usize)>,
}

pub struct Tokenizer {
    prefix: Option<PyRegex>,
    suffix: Option<PyRegex>,
    infix: Option<PyRegex>,
    token_match: Option<PyRegex>,
    url_match: Option<PyRegex>,
    specials: IdMap<Vec<SpecialPiece>>,
    norms: Vec<String>,
    /// Special-case phrase patterns: a trie over token ORTH hashes.
    trie: IdMap<u32>,
    trie_terminal: HashSet<u32>,
    trie_first: HashSet<u64, BuildHasherDefault<IdHasher>>,
    /// chunk hash -> its tokens, as spaCy's `_cache`.
    cache: Mutex<IdMap<Box<[SpecialPiece]>>>,
}

impl std::fmt::Debug for Tokenizer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Tokenizer")
            .field("specials", &self.specials.len())
            .finish()
    }
}

fn trie_key(node: u32, orth: u64) -> u64 {
    orth.rotate_left(17) ^ (u64::from(node).wrapping_mul(0x9e37_79b9_7f4a_7c15))
}

impl Tokenizer {
    /// Loads `<model_dir>/tokenizer`.
    pub fn load(model_dir: &Path) -> Result<Tokenizer, Error> {
        check_model_dir(model_dir)?;
        let path = model_dir.join("tokenizer");
        let data = read_msgpack(&path)?;
        Self::from_msgpack(&data, &path)
    }

    fn from_msgpack(data: &Value, path: &Path) -> Result<Tokenizer, Error> {
        let pattern = |field: &'static str| -> Result<Option<PyRegex>, Error> {
            match map_get(data, field) {
                Some(Value::String(s)) => {
                    let src = s
                        .as_str()
                        .ok_or_else(|| format_err(path, format!("{field}: invalid UTF-8")))?;
                    PyRegex::new(src)
                        .map(Some)
                        .map_err(|source| Error::Pattern {
                            path: path.to_path_buf(),
                            field,
                            source,
                        })
                }
                _ => Ok(None),
            }
        };
        let mut tok = Tokenizer {
            prefix: pattern("prefix_search")?,
            suffix: pattern("suffix_search")?,
            infix: pattern("infix_finditer")?,
            token_match: pattern("token_match")?,
            url_match: pattern("url_match")?,
            specials: IdMap::default(),
            norms: Vec::new(),
            trie: IdMap::default(),
            trie_terminal: HashSet::new(),
            trie_first: HashSet::default(),
            cache: Mutex::new(IdMap::default()),
        };
        let faster_heuristics = match map_get(data, "faster_heuristics") {
            Some(v) => v.as_bool().unwrap_or(true),
            None => true,
        };
        let mut rules: Vec<(String, Vec<SpecialPiece>)> = Vec::new();
        if let Some(exc) = map_get(data, "exceptions") {
            let map = exc
                .as_map()
                .ok_or_else(|| format_err(path, "exceptions: not a map"))?;
            let orth_id = crate::strings::symbol_id("ORTH").unwrap_or(65);
            let norm_id = crate::strings::symbol_id("NORM").unwrap_or(67);
            for (k, v) in map {
                let chunk = k
                    .as_str()
                    .ok_or_else(|| format_err(path, "exceptions: key is not a string"))?;
                let subs = v
                    .as_array()
                    .ok_or_else(|| format_err(path, format!("exception {chunk:?}: not a list")))?;
                let mut pieces = Vec::with_capacity(subs.len());
                let mut joined = String::new();
                for sub in subs {
                    let attrs = sub.as_map().ok_or_else(|| {
                        format_err(path, format!("exception {chunk:?}: token is not a map"))
                    })?;
                    let mut orth = None;
                    let mut norm = None;
                    for (ak, av) in attrs {
                        let id = match ak {
                            Value::Integer(i) => i.as_u64(),
                            Value::String(s) => s.as_str().and_then(crate::strings::symbol_id),
                            _ => None,
                        };
                        let val = av.as_str();
                        if id == Some(orth_id) {
                            orth = val;
                        } else if id == Some(norm_id) {
                            norm = val;
                        } else {
                            return Err(format_err(
                                path,
                                format!("exception {chunk:?}: only ORTH and NORM are allowed"),
                            ));
                        }
                    }
                    let orth = orth.ok_or_else(|| {
                        format_err(path, format!("exception {chunk:?}: token without ORTH"))
                    })?;
                    joined.push_str(orth);
                    let norm = norm.map(|n| {
                        tok.norms.push(n.to_string());
                        (tok.norms.len() - 1) as u32
                    });
                    pieces.push(SpecialPiece {
                        len: orth.len() as u32,
                        norm,
                    });
                }
                if joined != chunk {
                    return Err(format_err(
                        path,
                        format!("exception {chunk:?}: ORTH pieces do not join to the key"),
                    ));
                }
                rules.push((chunk.to_string(), pieces));
            }
        }
        // spaCy adds rules in sorted (code point) order; the order only
        // matters for which rule wins a hash collision, kept for fidelity.
        rules.sort_by(|a, b| a.0.cmp(&b.0));
        for (chunk, pieces) in &rules {
            tok.specials.insert(hash_string(chunk), pieces.clone());
        }
        // Phrase patterns for special cases that contain affixes or spaces,
        // tokenized without special cases (as spaCy builds its matcher).
        let mut scratch = Scratch::default();
        let mut pieces = Vec::new();
        let mut next_node = 1u32;
        for (chunk, _) in &rules {
            let wanted = !faster_heuristics
                || tok.find_prefix(chunk) > 0
                || tok.has_infix(chunk, &mut scratch)
                || tok.find_suffix(chunk) > 0
                || chunk.contains(' ');
            if !wanted {
                continue;
            }
            pieces.clear();
            tok.tokenize_affixes(chunk, false, &mut pieces, &mut scratch);
            if pieces.is_empty() {
                continue;
            }
            let mut node = 0u32;
            for (i, p) in pieces.iter().enumerate() {
                let h = hash_string(&chunk[p.start..p.end]);
                if i == 0 {
                    tok.trie_first.insert(h);
                }
                let key = trie_key(node, h);
                node = *tok.trie.entry(key).or_insert_with(|| {
                    next_node += 1;
                    next_node - 1
                });
            }
            tok.trie_terminal.insert(node);
        }
        Ok(tok)
    }

    /// Tokenizes `text` as spaCy's `nlp.make_doc` does.
    pub fn tokenize(&self, text: &str) -> Vec<RawToken> {
        let mut out = Vec::new();
        self.tokenize_into(text, &mut out);
        out
    }

    /// Like [`Tokenizer::tokenize`], reusing `out`.
    pub fn tokenize_into(&self, text: &str, out: &mut Vec<RawToken>) {
        out.clear();
        let mut pieces = Vec::with_capacity(text.len() / 4 + 1);
        let mut scratch = Scratch::default();
        self.tokenize_affixes(text, true, &mut pieces, &mut scratch);
        self.apply_special_matcher(text, &mut pieces);
        out.reserve(pieces.len());
        out.extend(pieces.iter().map(|p| RawToken {
            start: p.start,
            end: p.end,
            whitespace: p.spacy,
            norm: p.norm.map(|i| self.norms[i as usize].clone()),
        }));
    }

    /// spaCy's `_tokenize_affixes`: whitespace splitting plus per-chunk work.
    fn tokenize_affixes(
        &self,
        text: &str,
        with_specials: bool,
        out: &mut Vec<Piece>,
        scratch: &mut Scratch,
    ) {
        let Some(first) = text.chars().next() else {
            return;
        };
        let mut in_ws = py_isspace(first);
        let mut start = 0usize;
        for (i, c) in text.char_indices() {
            if py_isspace(c) != in_ws {
                if start < i {
                    self.chunk(text, start, i, with_specials, out, scratch);
                }
                if c == ' ' {
                    if let Some(last) = out.last_mut() {
                        last.spacy = true;
                    }
                    start = i + 1;
                } else {
                    start = i;
                }
                in_ws = !in_ws;
            }
        }
        if start < text.len() {
            self.chunk(text, start, text.len(), with_specials, out, scratch);
            if let Some(last) = out.last_mut() {
                // spaCy: `string[-1] == " " and not in_ws`, always false here.
                last.spacy = text.ends_with(' ') && !in_ws;
            }
        }
    }

    #[allow(clippy::too_many_arguments)]
    fn chunk(
        &self,
        text: &str,
        start: usize,
        end: usize,
        with_specials: bool,
        out: &mut Vec<Piece>,
        scratch: &mut Scratch,
    ) {
        let key = hash_string(&text[start..end]);
        if self.try_specials_and_cache(key, start, with_specials, out) {
            return;
        }
        let orig_len = out.len();
        self.tokenize_chunk(text, start, end, with_specials, out, scratch);
        // spaCy caches a chunk only while its document has not used a
        // special case. A chunk's tokens never depend on the cache (a cached
        // chunk reused as the core of a longer chunk has no affixes left, so
        // it would be tokenized the same way), so caching every runtime
        // chunk, special-case norms included, gives the same results faster.
        if with_specials && out.len() > orig_len {
            let pieces: Box<[SpecialPiece]> = out[orig_len..]
                .iter()
                .map(|p| SpecialPiece {
                    len: (p.end - p.start) as u32,
                    norm: p.norm,
                })
                .collect();
            if let Ok(mut cache) = self.cache.lock() {
                if cache.len() >= MAX_CACHE {
                    cache.clear();
                }
                cache.insert(key, pieces);
            }
        }
    }

    /// Pushes the special case or cached tokens for the string with hash
    /// `key` starting at `start`; false if neither exists.
    fn try_specials_and_cache(
        &self,
        key: u64,
        start: usize,
        with_specials: bool,
        out: &mut Vec<Piece>,
    ) -> bool {
        if with_specials {
            if let Some(pieces) = self.specials.get(&key) {
                let mut pos = start;
                for p in pieces {
                    out.push(Piece {
                        start: pos,
                        end: pos + p.len as usize,
                        spacy: false,
                        norm: p.norm,
                    });
                    pos += p.len as usize;
                }
                return true;
            }
            if let Ok(cache) = self.cache.lock() {
                if let Some(pieces) = cache.get(&key) {
                    let mut pos = start;
                    for p in pieces.iter() {
                        out.push(Piece {
                            start: pos,
                            end: pos + p.len as usize,
                            spacy: false,
                            norm: p.norm,
                        });
                        pos += p.len as usize;
                    }
                    return true;
                }
            }
        }
        false
    }

    fn is_special(&self, s: &str) -> bool {
        self.specials.contains_key(&hash_string(s))
    }

    /// Length in bytes of the prefix spaCy would split off (0 if none).
    /// spaCy takes `string[:end - start]` of the match, in code points.
    fn find_prefix(&self, s: &str) -> usize {
        let Some(re) = &self.prefix else { return 0 };
        match re.search(s) {
            Some((ms, me)) if me > ms => {
                let n = s[ms..me].chars().count();
                s.char_indices().nth(n).map_or(s.len(), |(i, _)| i)
            }
            _ => 0,
        }
    }

    /// Length in bytes of the suffix spaCy would split off (0 if none):
    /// the last `end - start` code points of `s`.
    fn find_suffix(&self, s: &str) -> usize {
        let Some(re) = &self.suffix else { return 0 };
        match re.search(s) {
            Some((ms, me)) if me > ms => {
                if me == s.len() {
                    me - ms
                } else {
                    let n = s[ms..me].chars().count();
                    s.len() - s.char_indices().rev().nth(n - 1).map_or(0, |(i, _)| i)
                }
            }
            _ => 0,
        }
    }

    fn has_infix(&self, s: &str, scratch: &mut Scratch) -> bool {
        match &self.infix {
            Some(re) => {
                re.find_iter(s, &mut scratch.infixes);
                !scratch.infixes.is_empty()
            }
            None => false,
        }
    }

    /// spaCy's `_tokenize`: `_split_affixes` then `_attach_tokens`.
    #[allow(clippy::too_many_arguments)]
    fn tokenize_chunk(
        &self,
        text: &str,
        start: usize,
        end: usize,
        with_specials: bool,
        out: &mut Vec<Piece>,
        scratch: &mut Scratch,
    ) {
        scratch.prefixes.clear();
        scratch.suffixes.clear();
        // The remaining core is text[a..b].
        let (mut a, mut b) = (start, end);
        let mut last_size = usize::MAX;
        while a < b && b - a != last_size {
            let s = &text[a..b];
            if let Some(tm) = &self.token_match {
                if tm.match_start(s).is_some() {
                    break;
                }
            }
            if with_specials && self.is_special(s) {
                break;
            }
            last_size = b - a;
            let pre_len = self.find_prefix(s);
            if pre_len != 0 {
                let minus_pre = &s[pre_len..];
                if !minus_pre.is_empty() && with_specials && self.is_special(minus_pre) {
                    scratch.prefixes.push((a, a + pre_len));
                    a += pre_len;
                    break;
                }
            }
            let suf_len = self.find_suffix(&s[pre_len..]);
            if suf_len != 0 {
                let minus_suf = &s[..s.len() - suf_len];
                if !minus_suf.is_empty() && with_specials && self.is_special(minus_suf) {
                    scratch.suffixes.push((b - suf_len, b));
                    b -= suf_len;
                    break;
                }
            }
            if pre_len != 0 && suf_len != 0 && pre_len + suf_len <= s.len() {
                scratch.prefixes.push((a, a + pre_len));
                scratch.suffixes.push((b - suf_len, b));
                a += pre_len;
                b -= suf_len;
            } else if pre_len != 0 {
                scratch.prefixes.push((a, a + pre_len));
                a += pre_len;
            } else if suf_len != 0 {
                scratch.suffixes.push((b - suf_len, b));
                b -= suf_len;
            }
        }
        // _attach_tokens
        for &(s, e) in &scratch.prefixes {
            out.push(Piece {
                start: s,
                end: e,
                spacy: false,
                norm: None,
            });
        }
        if a < b {
            let core = &text[a..b];
            let plain = |out: &mut Vec<Piece>, s: usize, e: usize| {
                out.push(Piece {
                    start: s,
                    end: e,
                    spacy: false,
                    norm: None,
                })
            };
            if self.try_specials_and_cache(hash_string(core), a, with_specials, out) {
            } else if self
                .token_match
                .as_ref()
                .is_some_and(|r| r.match_start(core).is_some())
                || self
                    .url_match
                    .as_ref()
                    .is_some_and(|r| r.match_start(core).is_some())
            {
                plain(out, a, b);
            } else {
                match &self.infix {
                    Some(re) => re.find_iter(core, &mut scratch.infixes),
                    None => scratch.infixes.clear(),
                }
                if scratch.infixes.is_empty() {
                    plain(out, a, b);
                } else {
                    let mut pos = 0;
                    for &(is, ie) in &scratch.infixes {
                        // spaCy skips an infix at the very start of the core.
                        if is == 0 {
                            continue;
                        }
                        if is != pos {
                            plain(out, a + pos, a + is);
                        }
                        if is != ie {
                            plain(out, a + is, a + ie);
                        }
                        pos = ie;
                    }
                    if pos < core.len() {
                        plain(out, a + pos, b);
                    }
                }
            }
        }
        for &(s, e) in scratch.suffixes.iter().rev() {
            out.push(Piece {
                start: s,
                end: e,
                spacy: false,
                norm: None,
            });
        }
    }

    /// spaCy's `_apply_special_cases`: phrase-match special cases over the
    /// token sequence and replace matched spans whose text is a special.
    fn apply_special_matcher(&self, text: &str, pieces: &mut Vec<Piece>) {
        if self.trie_terminal.is_empty() || pieces.is_empty() {
            return;
        }
        let hashes: Vec<u64> = pieces
            .iter()
            .map(|p| hash_string(&text[p.start..p.end]))
            .collect();
        let mut matches: Vec<(usize, usize)> = Vec::new();
        for i in 0..hashes.len() {
            if !self.trie_first.contains(&hashes[i]) {
                continue;
            }
            let mut node = 0u32;
            for (j, &h) in hashes.iter().enumerate().skip(i) {
                match self.trie.get(&trie_key(node, h)) {
                    Some(&next) => node = next,
                    None => break,
                }
                if self.trie_terminal.contains(&node) {
                    matches.push((i, j + 1));
                }
            }
        }
        if matches.is_empty() {
            return;
        }
        // Longest first; among equal lengths, leftmost first. A span is kept
        // if neither its first nor its last token was seen; every span
        // (kept or not) marks its tokens as seen.
        matches.sort_by(|a, b| (b.1 - b.0).cmp(&(a.1 - a.0)).then(a.0.cmp(&b.0)));
        let mut seen = vec![false; pieces.len()];
        let mut kept: Vec<(usize, usize)> = Vec::new();
        for &(s, e) in &matches {
            if !seen[s] && !seen[e - 1] {
                kept.push((s, e));
            }
            for flag in &mut seen[s..e] {
                *flag = true;
            }
        }
        kept.sort_by_key(|m| m.0);
        let mut result = Vec::with_capacity(pieces.len());
        let mut i = 0;
        let mut k = 0;
        while i < pieces.len() {
            if k < kept.len() && kept[k].0 == i {
                let (s, e) = kept[k];
                k += 1;
                let span_start = pieces[s].start;
                let span_end = pieces[e - 1].end;
                match self.specials.get(&hash_string(&text[span_start..span_end])) {
                    Some(special) => {
                        let mut pos = span_start;
                        for p in special {
                            result.push(Piece {
                                start: pos,
                                end: pos + p.len as usize,
                                spacy: false,
                                norm: p.norm,
                            });
                            pos += p.len as usize;
                        }
                        if let Some(last) = result.last_mut() {
                            last.spacy = pieces[e - 1].spacy;
                        }
                    }
                    None => result.extend_from_slice(&pieces[s..e]),
                }
                i = e;
            } else {
                result.push(pieces[i]);
                i += 1;
            }
        }
        *pieces = result;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tiny() -> Tokenizer {
        // A small rule set in the model file's shape.
        let s = |x: &str| Value::String(x.into());
        let tok = |orth: &str, norm: Option<&str>| {
            let mut m = vec![(Value::from(65u64), s(orth))];
            if let Some(n) = norm {
                m.push((Value::from(67u64), s(n)));
            }
            Value::Map(m)
        };
        let data = Value::Map(vec![
            (s("prefix_search"), s(r#"^\(|^"|^\$"#)),
            (s("suffix_search"), s(r#"\)$|"$|\.$|'s$|(?<=[0-9])km$"#)),
            (s("infix_finditer"), s(r"(?<=[a-z])-(?=[a-z])|\.\.+")),
            (s("token_match"), Value::Nil),
            (s("url_match"), s(r"^https?://\S+$")),
            (
                s("exceptions"),
                Value::Map(vec![
                    (
                        s("don't"),
                        Value::Array(vec![tok("do", None), tok("n't", Some("not"))]),
                    ),
                    (s(":)"), Value::Array(vec![tok(":)", None)])),
                    (s(" "), Value::Array(vec![tok(" ", None)])),
                    (s("U.S."), Value::Array(vec![tok("U.S.", None)])),
                ]),
            ),
            (s("faster_heuristics"), Value::Boolean(true)),
        ]);
        Tokenizer::from_msgpack(&data, Path::new("test")).unwrap()
    }

    fn texts(t: &Tokenizer, text: &str) -> Vec<(String, bool)> {
        t.tokenize(text)
            .iter()
            .map(|r| (text[r.start..r.end].to_string(), r.whitespace))
            .collect()
    }

    #[test]
    fn whitespace_rules() {
        let t = tiny();
        let v = texts(&t, "a  b\n c ");
        let want = [
            ("a", true),
            (" ", false),
            ("b", false),
            ("\n ", false),
            ("c", true),
        ];
        assert_eq!(v, want.map(|(a, b)| (a.to_string(), b)).to_vec());
        assert!(t.tokenize("").is_empty());
        assert_eq!(
            texts(&t, "  x"),
            vec![("  ".into(), false), ("x".into(), false)]
        );
    }

    #[test]
    fn affixes_specials_and_norms() {
        let t = tiny();
        let toks = t.tokenize("(don't)");
        let v: Vec<_> = toks.iter().map(|r| &"(don't)"[r.start..r.end]).collect();
        assert_eq!(v, ["(", "do", "n't", ")"]);
        assert_eq!(toks[2].norm.as_deref(), Some("not"));
        assert_eq!(texts(&t, "U.S.").len(), 1);
        // Suffix "." peeled, then "U.S" is not special.
        let v: Vec<_> = texts(&t, "(U.S.)").into_iter().map(|x| x.0).collect();
        assert_eq!(v, ["(", "U.S.", ")"]);
        let v: Vec<_> = texts(&t, "5km well-known a...b")
            .into_iter()
            .map(|x| x.0)
            .collect();
        assert_eq!(v, ["5", "km", "well", "-", "known", "a", "...", "b"]);
        let v: Vec<_> = texts(&t, "(http://x.org/a-b)")
            .into_iter()
            .map(|x| x.0)
            .collect();
        assert_eq!(v, ["(", "http://x.org/a-b", ")"]);
    }

    #[test]
    fn shareable_across_threads() {
        fn check<T: Send + Sync>() {}
        check::<Tokenizer>();
        check::<crate::lexeme::Lexicon>();
        check::<crate::attribute_ruler::AttributeRuler>();
        check::<crate::lemmatizer::Lemmatizer>();
    }

    #[test]
    fn missing_model_dir_says_how_to_fetch_it() {
        let err = Tokenizer::load(Path::new("/nonexistent/en_core_web_sm")).unwrap_err();
        assert!(err.to_string().contains("scripts/fetch-model.sh"), "{err}");
    }

    #[test]
    fn cache_does_not_change_results() {
        let t = tiny();
        let a = t.tokenize("well-known (well-known) well-known.");
        let b = t.tokenize("well-known (well-known) well-known.");
        assert_eq!(a, b);
    }
}
