//! The token input the tagger works from, and a plain tokenizer for when no
//! language pipeline output is at hand.

use dossier_core::parse::{Doc, Token};

/// Named-entity position of a token, as the pipeline's IOB scheme gives it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Iob {
    /// No entity recogniser ran (plain tokens): entities are no evidence.
    #[default]
    Missing,
    Out,
    Begin,
    Inside,
}

/// Entity position and label of every token of a parse, for the grammar:
/// `Missing` throughout when no recogniser ran (plain tokens).
pub(crate) fn entity_marks(doc: &Doc) -> Vec<(Iob, &str)> {
    let n = doc.tokens.len();
    if !doc.is_tagged() {
        return vec![(Iob::Missing, ""); n];
    }
    let mut out = vec![(Iob::Out, ""); n];
    for e in &doc.ents {
        let end = e.end_token.min(n);
        for (k, slot) in out.iter_mut().enumerate().take(end).skip(e.start_token) {
            let iob = if k == e.start_token {
                Iob::Begin
            } else {
                Iob::Inside
            };
            *slot = (iob, e.label.as_str());
        }
    }
    out
}

fn is_split_punct(c: char) -> bool {
    matches!(
        c,
        ',' | ';'
            | '!'
            | '?'
            | '"'
            | '('
            | ')'
            | '['
            | ']'
            | '{'
            | '}'
            | '\u{201c}'
            | '\u{201d}'
            | '\u{2018}'
            | '\u{2019}'
            | '`'
            | '\u{2014}'
            | '\u{2013}'
    )
}

/// Abbreviations that keep their final period.
fn keeps_period(word: &str) -> bool {
    let w = word.to_ascii_lowercase();
    let w = w.trim_end_matches('.');
    w.contains('.')
        || matches!(
            w,
            "jan"
                | "feb"
                | "mar"
                | "apr"
                | "jun"
                | "jul"
                | "aug"
                | "sep"
                | "sept"
                | "oct"
                | "nov"
                | "dec"
                | "mon"
                | "tue"
                | "tues"
                | "wed"
                | "thu"
                | "thur"
                | "thurs"
                | "fri"
                | "sat"
                | "sun"
                | "mr"
                | "mrs"
                | "ms"
                | "dr"
                | "st"
                | "gen"
                | "gov"
                | "sen"
                | "rep"
                | "inc"
                | "corp"
                | "co"
                | "ltd"
                | "jr"
                | "sr"
                | "vs"
                | "no"
                | "approx"
                | "est"
        )
}

/// Splits text into tokens on white space and punctuation, in the manner of
/// spaCy's English tokenizer for the cases that matter to time expressions:
/// hyphens between letters and clitics (`'s`) become tokens, while numbers
/// (`9:30`, `1,000`, `2020-08-07`, `8/7/2020`) and abbreviations (`Aug.`,
/// `p.m.`) stay whole. Returns them as an untagged parse with sentences.
pub fn plain_tokens(text: &str) -> Doc {
    let mut spans: Vec<(usize, usize)> = Vec::new();
    let mut breaks: Vec<usize> = Vec::new(); // token indexes that start a sentence
    let mut pending_break = true;
    let mut chunk_start: Option<usize> = None;
    let mut newlines = 0;
    let bytes_len = text.len();
    let mut iter = text.char_indices().peekable();
    loop {
        let next = iter.next();
        let at_space = match next {
            None => true,
            Some((_, c)) => c.is_whitespace(),
        };
        if at_space {
            if let Some(s) = chunk_start.take() {
                let e = next.map_or(bytes_len, |(i, _)| i);
                if pending_break {
                    breaks.push(spans.len());
                    pending_break = false;
                }
                split_chunk(text, s, e, &mut spans);
                newlines = 0;
            }
            match next {
                None => break,
                Some((_, '\n')) => {
                    newlines += 1;
                    if newlines >= 2 {
                        pending_break = true;
                    }
                }
                Some(_) => {}
            }
        } else if chunk_start.is_none() {
            chunk_start = next.map(|(i, _)| i);
        }
    }
    // Sentence ends: `.`, `!`, `?` tokens followed by a token that does not
    // start lower case.
    let mut starts: Vec<usize> = breaks;
    for (k, &(s, e)) in spans.iter().enumerate() {
        let t = &text[s..e];
        if matches!(t, "." | "!" | "?") {
            if let Some(&(ns, _)) = spans.get(k + 1) {
                let first = text[ns..].chars().next();
                if first.is_some_and(|c| !c.is_lowercase()) {
                    starts.push(k + 1);
                }
            }
        }
    }
    starts.push(0);
    starts.sort_unstable();
    starts.dedup();
    let mut sents = Vec::new();
    for (n, &s) in starts.iter().enumerate() {
        let e = starts.get(n + 1).copied().unwrap_or(spans.len());
        if s < e {
            sents.push(s..e);
        }
    }
    let tokens = spans
        .iter()
        .enumerate()
        .map(|(i, &(s, e))| Token::plain(text, s, e, i))
        .collect();
    Doc {
        tokens,
        sents,
        ents: Vec::new(),
    }
}

/// Splits one white-space-free chunk `text[s..e]` into tokens.
fn split_chunk(text: &str, s: usize, e: usize, out: &mut Vec<(usize, usize)>) {
    let chunk = &text[s..e];
    let chars: Vec<(usize, char)> = chunk.char_indices().map(|(i, c)| (i + s, c)).collect();
    let mut lo = 0;
    let mut hi = chars.len();
    let mut tail: Vec<(usize, usize)> = Vec::new();
    // Leading punctuation.
    while lo < hi
        && (is_split_punct(chars[lo].1)
            || chars[lo].1 == '\'' && hi - lo > 1 && !chars[lo + 1].1.is_ascii_digit())
    {
        out.push((chars[lo].0, chars[lo].0 + chars[lo].1.len_utf8()));
        lo += 1;
    }
    // Trailing punctuation, clitics and sentence periods.
    loop {
        if lo >= hi {
            break;
        }
        let (i, c) = chars[hi - 1];
        let end = i + c.len_utf8();
        if is_split_punct(c) || c == ':' || c == '\'' {
            tail.push((i, end));
            hi -= 1;
            continue;
        }
        if c == '.' {
            let word = &text[chars[lo].0..end];
            if hi - lo > 1 && !keeps_period(word) {
                tail.push((i, end));
                hi -= 1;
                continue;
            }
        }
        // Clitics: 's, n't, 're, 've, 'll, 'd, 'm.
        let word = &text[chars[lo].0..end];
        let lower = word.to_ascii_lowercase();
        let clitic = ["n't", "'s", "'re", "'ve", "'ll", "'d", "'m", "\u{2019}s"]
            .iter()
            .find(|cl| {
                lower.len() > cl.len()
                    && lower.ends_with(*cl)
                    && word.is_char_boundary(word.len() - cl.len())
            });
        if let Some(cl) = clitic {
            let cut = end - cl.len();
            tail.push((cut, end));
            while hi > lo && chars[hi - 1].0 >= cut {
                hi -= 1;
            }
            continue;
        }
        break;
    }
    // Infix hyphens between letters, and slashes between letters.
    let mut piece = lo;
    for k in lo..hi {
        let c = chars[k].1;
        if (c == '-' || c == '/')
            && k > lo
            && k + 1 < hi
            && (chars[k - 1].1.is_alphabetic() || chars[k + 1].1.is_alphabetic())
        {
            if piece < k {
                out.push((chars[piece].0, chars[k].0));
            }
            out.push((chars[k].0, chars[k].0 + 1));
            piece = k + 1;
        }
    }
    if piece < hi {
        let (i, c) = chars[hi - 1];
        out.push((chars[piece].0, i + c.len_utf8()));
    }
    out.extend(tail.into_iter().rev());
}

#[cfg(test)]
mod tests {
    use super::*;

    fn words(text: &str) -> Vec<&str> {
        let doc = plain_tokens(text);
        doc.tokens.iter().map(|t| &text[t.start..t.end]).collect()
    }

    #[test]
    fn splits_like_spacy_for_dates() {
        assert_eq!(
            words(
                "On Aug. 7, 2020 at 9:30 p.m. the mid-November third-quarter (report) isn't late."
            ),
            vec![
                "On", "Aug.", "7", ",", "2020", "at", "9:30", "p.m.", "the", "mid", "-",
                "November", "third", "-", "quarter", "(", "report", ")", "is", "n't", "late", "."
            ]
        );
        assert_eq!(
            words("the firm's 2020-08-07 filing"),
            vec!["the", "firm", "'s", "2020-08-07", "filing"]
        );
    }

    #[test]
    fn sentences_split_on_final_punctuation_and_blank_lines() {
        let text = "He left on Monday. She stayed.\n\nA new part";
        let doc = plain_tokens(text);
        let toks = &doc.tokens;
        let firsts: Vec<&str> = doc
            .sents
            .iter()
            .map(|r| &text[toks[r.start].start..toks[r.start].end])
            .collect();
        assert_eq!(firsts, vec!["He", "She", "A"]);
    }
}
