//! Python `re` patterns run with Python's matching semantics.
//!
//! spaCy stores its tokenizer rules as Python regex source. We translate the
//! syntax (Python's `\w`/`\s`/`$`, escapes, class quirks) and split the
//! top-level alternation so that lookaround-free runs of alternatives go to
//! the fast `regex` crate and only alternatives with lookaround go to
//! `fancy-regex`. Python's leftmost-first choice across alternatives is then
//! rebuilt from the parts: the earliest start wins, ties go to the earlier
//! alternative.

use std::fmt::Write;

/// Python's `str.isspace()` (the `\s` class for `str` patterns): bidi class
/// WS/B/S or category Zs.
pub fn py_isspace(c: char) -> bool {
    matches!(
        c,
        '\t'..='\r'
            | '\x1c'..='\x20'
            | '\u{85}'
            | '\u{a0}'
            | '\u{1680}'
            | '\u{2000}'..='\u{200a}'
            | '\u{2028}'
            | '\u{2029}'
            | '\u{202f}'
            | '\u{205f}'
            | '\u{3000}'
    )
}

const PY_SPACE_CLASS: &str = r"\t-\r\x{1c}-\x{20}\x{85}\x{a0}\x{1680}\x{2000}-\x{200a}\x{2028}\x{2029}\x{202f}\x{205f}\x{3000}";
// Python's `\w` for str patterns is `str.isalnum()` or "_", which is exactly
// categories L* and N* plus "_".
const PY_WORD_CLASS: &str = r"\p{L}\p{N}_";

#[derive(Debug, thiserror::Error)]
#[error("unsupported Python regex syntax at offset {offset}: {what}")]
pub struct PyReError {
    pub offset: usize,
    pub what: String,
}

fn err(offset: usize, what: impl Into<String>) -> PyReError {
    PyReError {
        offset,
        what: what.into(),
    }
}

/// How to translate Python's `$` (end of string, or before a final "\n").
#[derive(Clone, Copy, PartialEq, Eq)]
enum Dollar {
    /// Exact Python semantics (needs lookahead).
    Python,
    /// `\z`: equal to Python's `$` on text that does not end with "\n".
    EndOnly,
}

fn push_char_escaped(out: &mut String, c: char) {
    if c.is_ascii_alphanumeric() || (!c.is_ascii() && !c.is_whitespace()) {
        out.push(c);
    } else {
        let _ = write!(out, "\\x{{{:x}}}", c as u32);
    }
}

/// Reads `n` hex digits starting at `i`.
fn hex_at(chars: &[char], i: usize, n: usize) -> Result<char, PyReError> {
    if i + n > chars.len() {
        return Err(err(i, "truncated hex escape"));
    }
    let s: String = chars[i..i + n].iter().collect();
    let v = u32::from_str_radix(&s, 16).map_err(|_| err(i, "bad hex escape"))?;
    char::from_u32(v).ok_or_else(|| err(i, "escape is not a Unicode scalar value"))
}

/// Result of reading one escape: either a char or a class snippet.
enum Esc {
    Char(char),
    /// Class body contents (without brackets) and whether it is negated.
    Class(&'static str, bool),
    /// Zero-width assertion (outside classes only).
    Assert(&'static str),
}

fn read_escape(chars: &[char], i: usize, in_class: bool) -> Result<(Esc, usize), PyReError> {
    // chars[i] == '\\'
    let Some(&c) = chars.get(i + 1) else {
        return Err(err(i, "trailing backslash"));
    };
    let one = |e| Ok((e, i + 2));
    match c {
        'd' => one(Esc::Class(r"\p{Nd}", false)),
        'D' => one(Esc::Class(r"\p{Nd}", true)),
        'w' => one(Esc::Class(PY_WORD_CLASS, false)),
        'W' => one(Esc::Class(PY_WORD_CLASS, true)),
        's' => one(Esc::Class(PY_SPACE_CLASS, false)),
        'S' => one(Esc::Class(PY_SPACE_CLASS, true)),
        'n' => one(Esc::Char('\n')),
        't' => one(Esc::Char('\t')),
        'r' => one(Esc::Char('\r')),
        'f' => one(Esc::Char('\x0c')),
        'v' => one(Esc::Char('\x0b')),
        'a' => one(Esc::Char('\x07')),
        'b' if in_class => one(Esc::Char('\x08')),
        'b' => one(Esc::Assert(r"\b")),
        'B' if !in_class => one(Esc::Assert(r"\B")),
        'A' if !in_class => one(Esc::Assert(r"\A")),
        'Z' if !in_class => one(Esc::Assert(r"\z")),
        'x' => Ok((Esc::Char(hex_at(chars, i + 2, 2)?), i + 4)),
        'u' => Ok((Esc::Char(hex_at(chars, i + 2, 4)?), i + 6)),
        'U' => Ok((Esc::Char(hex_at(chars, i + 2, 8)?), i + 10)),
        '0' => one(Esc::Char('\0')),
        c if c.is_ascii_alphanumeric() => Err(err(i, format!("escape \\{c}"))),
        c => one(Esc::Char(c)),
    }
}

/// Translates one Python pattern (no top-level split) to `regex` syntax.
fn translate(py: &str, dollar: Dollar) -> Result<String, PyReError> {
    let chars: Vec<char> = py.chars().collect();
    let mut out = String::with_capacity(py.len() * 2);
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        match c {
            '\\' => {
                let (e, next) = read_escape(&chars, i, false)?;
                match e {
                    Esc::Char(ch) => push_char_escaped(&mut out, ch),
                    Esc::Class(body, neg) => {
                        let _ = write!(out, "[{}{}]", if neg { "^" } else { "" }, body);
                    }
                    Esc::Assert(a) => out.push_str(a),
                }
                i = next;
            }
            '[' => i = translate_class(&chars, i, &mut out)?,
            '(' => {
                if chars.get(i + 1) == Some(&'?') {
                    let rest: String = chars[i + 2..chars.len().min(i + 5)].iter().collect();
                    if rest.starts_with(':') || rest.starts_with('=') || rest.starts_with('!') {
                        out.push_str("(?");
                        out.push(chars[i + 2]);
                        i += 3;
                    } else if rest.starts_with("<=") || rest.starts_with("<!") {
                        out.push_str("(?<");
                        out.push(chars[i + 3]);
                        i += 4;
                    } else if rest.starts_with("P<") {
                        out.push_str("(?P<");
                        i += 4;
                    } else if rest.starts_with('#') {
                        while i < chars.len() && chars[i] != ')' {
                            i += 1;
                        }
                        i += 1;
                    } else {
                        // Inline flags, e.g. "(?u)" or "(?i)".
                        let mut j = i + 2;
                        let mut flags = String::new();
                        while j < chars.len() && chars[j].is_ascii_alphabetic() {
                            flags.push(chars[j]);
                            j += 1;
                        }
                        if chars.get(j) != Some(&')') {
                            return Err(err(i, "unsupported group syntax"));
                        }
                        let mut keep = String::new();
                        for f in flags.chars() {
                            match f {
                                'u' => {}
                                'i' | 's' | 'm' => keep.push(f),
                                _ => return Err(err(i, format!("unsupported flag {f}"))),
                            }
                        }
                        if !keep.is_empty() {
                            let _ = write!(out, "(?{keep})");
                        }
                        i = j + 1;
                    }
                } else {
                    out.push('(');
                    i += 1;
                }
            }
            ')' | '|' | '*' | '+' | '?' | '.' | '^' => {
                out.push(c);
                i += 1;
                if matches!(c, '*' | '+' | '?') && chars.get(i) == Some(&'+') {
                    return Err(err(i, "possessive quantifier"));
                }
            }
            '$' => {
                match dollar {
                    Dollar::Python => out.push_str(r"(?:\z|(?=\n\z))"),
                    Dollar::EndOnly => out.push_str(r"\z"),
                }
                i += 1;
            }
            '{' => {
                // A quantifier only if it has Python's exact form.
                let mut j = i + 1;
                let mut body = String::new();
                while j < chars.len() && (chars[j].is_ascii_digit() || chars[j] == ',') {
                    body.push(chars[j]);
                    j += 1;
                }
                let valid = chars.get(j) == Some(&'}')
                    && !body.is_empty()
                    && body.matches(',').count() <= 1
                    && body != ",";
                if valid {
                    if body.starts_with(',') {
                        let _ = write!(out, "{{0{body}}}");
                    } else {
                        let _ = write!(out, "{{{body}}}");
                    }
                    i = j + 1;
                } else {
                    push_char_escaped(&mut out, '{');
                    i += 1;
                }
            }
            _ => {
                push_char_escaped(&mut out, c);
                i += 1;
            }
        }
    }
    Ok(out)
}

/// Translates a class starting at `chars[start] == '['`; returns the index
/// after its closing bracket. Every member is emitted escaped so that the
/// `regex` crate's class operators (`&&`, `--`, `~~`, nested `[`) never apply.
fn translate_class(chars: &[char], start: usize, out: &mut String) -> Result<usize, PyReError> {
    let mut i = start + 1;
    out.push('[');
    if chars.get(i) == Some(&'^') {
        out.push('^');
        i += 1;
    }
    let mut first = true;
    // Pending single char that may start a range.
    loop {
        let Some(&c) = chars.get(i) else {
            return Err(err(start, "unterminated character class"));
        };
        if c == ']' && !first {
            out.push(']');
            return Ok(i + 1);
        }
        first = false;
        // Read one member.
        let (lo, next) = if c == '\\' {
            let (e, next) = read_escape(chars, i, true)?;
            match e {
                Esc::Char(ch) => (ch, next),
                Esc::Class(body, neg) => {
                    if neg {
                        let _ = write!(out, "[^{body}]");
                    } else {
                        out.push_str(body);
                    }
                    i = next;
                    continue;
                }
                Esc::Assert(_) => return Err(err(i, "assertion inside class")),
            }
        } else {
            (c, i + 1)
        };
        i = next;
        // A range "lo-hi" unless "-" is last before "]".
        if chars.get(i) == Some(&'-') && chars.get(i + 1).is_some_and(|&n| n != ']') {
            let (hi, next) = if chars[i + 1] == '\\' {
                match read_escape(chars, i + 1, true)? {
                    (Esc::Char(ch), next) => (ch, next),
                    _ => return Err(err(i, "class escape as range end")),
                }
            } else {
                (chars[i + 1], i + 2)
            };
            if hi < lo {
                return Err(err(i, "bad character range"));
            }
            push_char_escaped(out, lo);
            out.push('-');
            push_char_escaped(out, hi);
            i = next;
        } else {
            push_char_escaped(out, lo);
        }
    }
}

/// Splits a pattern at its top-level `|`s (outside groups and classes).
fn split_top_level(py: &str) -> Vec<&str> {
    let mut parts = Vec::new();
    let mut depth = 0usize;
    let mut in_class = false;
    let mut class_start = false;
    let mut escaped = false;
    let mut last = 0;
    for (i, c) in py.char_indices() {
        if escaped {
            escaped = false;
            class_start = false;
            continue;
        }
        match c {
            '\\' => escaped = true,
            '[' if !in_class => {
                in_class = true;
                class_start = true;
                continue;
            }
            ']' if in_class && !class_start => in_class = false,
            '^' if in_class && class_start => continue,
            '(' if !in_class => depth += 1,
            ')' if !in_class => depth = depth.saturating_sub(1),
            '|' if !in_class && depth == 0 => {
                parts.push(&py[last..i]);
                last = i + 1;
            }
            _ => {}
        }
        class_start = false;
    }
    parts.push(&py[last..]);
    parts
}

fn has_lookaround(py: &str) -> bool {
    // Conservative: a literal "(?=" inside a class would only cost speed.
    py.contains("(?=") || py.contains("(?!") || py.contains("(?<=") || py.contains("(?<!")
}

/// The pattern with every lookaround group removed: it matches a superset
/// of what the full pattern matches (at the same starts), so it can rule
/// out positions cheaply before the backtracking engine runs.
fn strip_lookarounds(py: &str) -> String {
    let chars: Vec<char> = py.chars().collect();
    let mut out = String::with_capacity(py.len());
    let mut i = 0;
    let mut in_class = false;
    while i < chars.len() {
        let c = chars[i];
        if c == '\\' {
            out.push(c);
            if let Some(&n) = chars.get(i + 1) {
                out.push(n);
            }
            i += 2;
            continue;
        }
        if in_class {
            if c == ']' {
                in_class = false;
            }
            out.push(c);
            i += 1;
            continue;
        }
        if c == '[' {
            in_class = true;
            out.push(c);
            i += 1;
            // A "]" (after an optional "^") right at the start is literal.
            if chars.get(i) == Some(&'^') {
                out.push('^');
                i += 1;
            }
            if chars.get(i) == Some(&']') {
                out.push(']');
                i += 1;
            }
            continue;
        }
        let rest: String = chars[i..chars.len().min(i + 4)].iter().collect();
        if rest.starts_with("(?=")
            || rest.starts_with("(?!")
            || rest.starts_with("(?<=")
            || rest.starts_with("(?<!")
        {
            i = skip_group(&chars, i);
            continue;
        }
        out.push(c);
        i += 1;
    }
    out
}

/// The index after the group that opens at `chars[start] == '('`.
fn skip_group(chars: &[char], start: usize) -> usize {
    let mut depth = 0usize;
    let mut j = start;
    let mut in_class = false;
    while j < chars.len() {
        let d = chars[j];
        if d == '\\' {
            j += 2;
            continue;
        }
        if in_class {
            if d == ']' {
                in_class = false;
            }
        } else if d == '[' {
            in_class = true;
            if chars.get(j + 1) == Some(&'^') {
                j += 1;
            }
            if chars.get(j + 1) == Some(&']') {
                j += 1;
            }
        } else if d == '(' {
            depth += 1;
        } else if d == ')' {
            depth = depth.saturating_sub(1);
            if depth == 0 {
                return j + 1;
            }
        }
        j += 1;
    }
    chars.len()
}

/// Leading global flags, e.g. "(?u)", which Python applies to the whole
/// pattern and which must be repeated on every split part.
fn take_global_flags(py: &str) -> (&str, &str) {
    if let Some(rest) = py.strip_prefix("(?") {
        let n = rest.chars().take_while(|c| c.is_ascii_alphabetic()).count();
        if n > 0 && rest[n..].starts_with(')') {
            return (&py[..n + 3], &py[n + 3..]);
        }
    }
    ("", py)
}

enum Part {
    Plain(regex::Regex),
    /// A backtracking regex and its lookaround-free superset.
    Fancy(fancy_regex::Regex, regex::Regex),
}

impl Part {
    fn find_at(&self, text: &str, pos: usize) -> Option<(usize, usize)> {
        match self {
            Part::Plain(r) => r.find_at(text, pos).map(|m| (m.start(), m.end())),
            // No true match can start before the superset's leftmost one.
            // A runaway backtrack counts as no match, like a failed search.
            Part::Fancy(r, pre) => {
                let first = pre.find_at(text, pos)?.start();
                match r.find_from_pos(text, first) {
                    Ok(Some(m)) => Some((m.start(), m.end())),
                    _ => None,
                }
            }
        }
    }
}

/// A compiled Python pattern with Python's `search`/`match`/`finditer`.
pub struct PyRegex {
    source: String,
    parts: Vec<Part>,
    /// The whole pattern with Python's exact `$`, used when the text ends
    /// with "\n" (only then do `$` and `\z` differ).
    newline_exact: Option<fancy_regex::Regex>,
}

impl std::fmt::Debug for PyRegex {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("PyRegex")
            .field("source", &self.source)
            .finish()
    }
}

#[derive(Debug, thiserror::Error)]
pub enum CompileError {
    #[error(transparent)]
    Syntax(#[from] PyReError),
    #[error("regex crate rejected translated pattern: {0}")]
    Regex(#[from] regex::Error),
    #[error("fancy-regex rejected translated pattern: {0}")]
    Fancy(#[from] Box<fancy_regex::Error>),
}

impl PyRegex {
    pub fn new(py: &str) -> Result<Self, CompileError> {
        let (flags, body) = take_global_flags(py);
        let flags_rs = translate(flags, Dollar::EndOnly)?;
        let mut parts = Vec::new();
        let mut plain_run: Vec<String> = Vec::new();
        let flush = |run: &mut Vec<String>, parts: &mut Vec<Part>| -> Result<(), CompileError> {
            if !run.is_empty() {
                let src = format!("{flags_rs}(?:{})", run.join("|"));
                let re = regex::RegexBuilder::new(&src)
                    .size_limit(64 << 20)
                    .dfa_size_limit(64 << 20)
                    .build()?;
                parts.push(Part::Plain(re));
                run.clear();
            }
            Ok(())
        };
        for alt in split_top_level(body) {
            let rs = translate(alt, Dollar::EndOnly)?;
            if has_lookaround(alt) {
                flush(&mut plain_run, &mut parts)?;
                let re =
                    fancy_regex::Regex::new(&format!("{flags_rs}(?:{rs})")).map_err(Box::new)?;
                let pre_rs = translate(&strip_lookarounds(alt), Dollar::EndOnly)?;
                let pre = regex::RegexBuilder::new(&format!("{flags_rs}(?:{pre_rs})"))
                    .size_limit(64 << 20)
                    .dfa_size_limit(64 << 20)
                    .build()?;
                parts.push(Part::Fancy(re, pre));
            } else {
                plain_run.push(rs);
            }
        }
        flush(&mut plain_run, &mut parts)?;
        let newline_exact = if body.contains('$') {
            let rs = translate(py, Dollar::Python)?;
            Some(fancy_regex::Regex::new(&rs).map_err(Box::new)?)
        } else {
            None
        };
        Ok(PyRegex {
            source: py.to_string(),
            parts,
            newline_exact,
        })
    }

    /// The Python source of the pattern.
    pub fn source(&self) -> &str {
        &self.source
    }

    /// Python's `pattern.search(text, pos)`: (start, end) byte offsets.
    pub fn search_at(&self, text: &str, pos: usize) -> Option<(usize, usize)> {
        self.search_memo(text, pos, &mut [])
    }

    /// `search_at`, reusing each part's earlier answer while it is still
    /// valid (a part's leftmost match at or after an earlier position is
    /// also its leftmost match from any later position up to its start).
    /// This keeps `find_iter` linear instead of rescanning for every match.
    /// `memo` is either empty (no reuse) or has one slot per part.
    fn search_memo(
        &self,
        text: &str,
        pos: usize,
        memo: &mut [Option<Option<(usize, usize)>>],
    ) -> Option<(usize, usize)> {
        if text.ends_with('\n') {
            if let Some(re) = &self.newline_exact {
                return match re.find_from_pos(text, pos) {
                    Ok(Some(m)) => Some((m.start(), m.end())),
                    _ => None,
                };
            }
        }
        let mut best: Option<(usize, usize)> = None;
        for (i, part) in self.parts.iter().enumerate() {
            let found = match memo.get(i).copied().flatten() {
                Some(None) => None,
                Some(Some((s, e))) if s >= pos => Some((s, e)),
                _ => {
                    let r = part.find_at(text, pos);
                    if let Some(slot) = memo.get_mut(i) {
                        *slot = Some(r);
                    }
                    r
                }
            };
            if let Some((s, e)) = found {
                let better = match best {
                    None => true,
                    Some((bs, _)) => s < bs,
                };
                if better {
                    best = Some((s, e));
                    if s == pos {
                        break;
                    }
                }
            }
        }
        best
    }

    /// Python's `pattern.search(text)`.
    pub fn search(&self, text: &str) -> Option<(usize, usize)> {
        self.search_at(text, 0)
    }

    /// Python's `pattern.match(text)`: a match starting at 0, end offset.
    pub fn match_start(&self, text: &str) -> Option<usize> {
        if text.ends_with('\n') {
            if let Some(re) = &self.newline_exact {
                return match re.find(text) {
                    Ok(Some(m)) if m.start() == 0 => Some(m.end()),
                    _ => self.match_start_parts(text),
                };
            }
        }
        self.match_start_parts(text)
    }

    fn match_start_parts(&self, text: &str) -> Option<usize> {
        // The first alternative (in order) that matches at 0 wins.
        for part in &self.parts {
            let m = match part {
                // Leftmost-first: a match at 0, if any, is the leftmost.
                Part::Plain(r) => r.find(text).filter(|m| m.start() == 0).map(|m| m.end()),
                Part::Fancy(r, pre) => match pre.find(text) {
                    Some(m) if m.start() == 0 => match r.find(text) {
                        Ok(Some(m)) if m.start() == 0 => Some(m.end()),
                        _ => None,
                    },
                    _ => None,
                },
            };
            if m.is_some() {
                return m;
            }
        }
        None
    }

    /// Python's `pattern.finditer(text)`, as (start, end) byte offsets.
    pub fn find_iter(&self, text: &str, out: &mut Vec<(usize, usize)>) {
        out.clear();
        let mut memo = vec![None; self.parts.len()];
        let mut pos = 0;
        while pos <= text.len() {
            let Some((s, e)) = self.search_memo(text, pos, &mut memo) else {
                break;
            };
            out.push((s, e));
            pos = if e > s {
                e
            } else {
                // Step over one char after an empty match.
                match text[e..].chars().next() {
                    Some(c) => e + c.len_utf8(),
                    None => break,
                }
            };
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn split_respects_groups_and_classes() {
        assert_eq!(
            split_top_level(r"a|(b|c)|[|]|\|"),
            vec!["a", "(b|c)", "[|]", r"\|"]
        );
        assert_eq!(split_top_level(r"[]|]|x"), vec!["[]|]", "x"]);
    }

    #[test]
    fn leftmost_first_across_parts() {
        // "…" is listed before "……": Python takes the first alternative.
        let re = PyRegex::new("^…|^……|^(?<=x)y").unwrap();
        assert_eq!(re.search("……"), Some((0, 3)));
        let re = PyRegex::new(r"(?<=[0-9])\+$|\+\+$").unwrap();
        assert_eq!(re.search("a++"), Some((1, 3)));
        assert_eq!(re.search("1+"), Some((1, 2)));
    }

    #[test]
    fn python_dollar_before_final_newline() {
        let re = PyRegex::new("a$").unwrap();
        assert_eq!(re.search("a\n"), Some((0, 1)));
        assert_eq!(re.search("a\n\n"), None);
        assert_eq!(re.search("ba"), Some((1, 2)));
    }

    #[test]
    fn class_quirks_are_literal() {
        let re = PyRegex::new(r"[a&&b]").unwrap();
        assert_eq!(re.search("&"), Some((0, 1)));
        let re = PyRegex::new(r"[(?:x)]").unwrap();
        assert_eq!(re.search("?"), Some((0, 1)));
        let re = PyRegex::new(r"[\w\-]{2,}").unwrap();
        assert_eq!(re.search("ab-c"), Some((0, 4)));
    }

    #[test]
    fn python_classes() {
        let re = PyRegex::new(r"\S+").unwrap();
        // U+001C is whitespace for Python.
        assert_eq!(re.search("ab\u{1c}c"), Some((0, 2)));
        let re = PyRegex::new(r"\w+").unwrap();
        // Combining marks are not \w for Python.
        assert_eq!(re.search("e\u{301}x"), Some((0, 1)));
    }

    #[test]
    fn lookaround_stripping() {
        assert_eq!(strip_lookarounds(r"(?<=[0-9])\+(?=[a(?=)])x"), r"\+x");
        assert_eq!(strip_lookarounds(r"^(?:a(?!(?:1|2)\.)b)$"), r"^(?:ab)$");
        assert_eq!(strip_lookarounds(r"[]()](?=\))y"), r"[]()]y");
    }

    #[test]
    fn lookbehind_sees_text_before_the_search_start() {
        let re = PyRegex::new(r"(?<=[0-9])[+\-](?=[0-9])|x").unwrap();
        let mut v = Vec::new();
        re.find_iter("1-2-3x", &mut v);
        assert_eq!(v, vec![(1, 2), (3, 4), (5, 6)]);
    }

    #[test]
    fn finditer_non_overlapping() {
        let re = PyRegex::new(r"\.\.+|(?<=[a-z])-(?=[a-z])").unwrap();
        let mut v = Vec::new();
        re.find_iter("a-b...c-d", &mut v);
        assert_eq!(v, vec![(1, 2), (3, 6), (7, 8)]);
    }
}
