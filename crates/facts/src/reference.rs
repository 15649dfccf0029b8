//! Reads the JSONL annotations that `scripts/python/spacy_ref.py` writes
//! (Python spaCy, code-point offsets) into [`ParsedDoc`]s (byte offsets).
//! For evaluation and tests while the native pipeline is not wired in; the
//! product reads the native pipeline's parse instead.

use crate::doc::{EntSpan, ParsedDoc, Token};
use dossier_core::CharIndex;
use serde::Deserialize;
use std::ops::Range;

#[derive(Debug, thiserror::Error)]
pub enum ReferenceError {
    #[error("line {line}: not a spaCy reference record: {source}")]
    Json {
        line: usize,
        #[source]
        source: serde_json::Error,
    },
    #[error("record {id:?}: token {index} has offsets {start}..{end} outside the text")]
    Offsets {
        id: Option<String>,
        index: usize,
        start: usize,
        end: usize,
    },
    /// The parse is of another text: its tokens do not spell this one.
    /// Read anyway, every offset (and so every evidence sentence) after the
    /// first difference would point at the wrong words.
    #[error(
        "record {id:?}: token {index} {token:?} is {found:?} in the text: a parse of another text"
    )]
    Mismatch {
        id: Option<String>,
        index: usize,
        token: String,
        found: String,
    },
}

#[derive(Debug, Deserialize)]
struct RefTok {
    text: String,
    start: usize,
    end: usize,
    #[serde(default)]
    ws: bool,
    #[serde(default)]
    tag: String,
    #[serde(default)]
    pos: String,
    #[serde(default)]
    lemma: String,
    #[serde(default)]
    head: usize,
    #[serde(default)]
    dep: String,
    #[serde(default)]
    sent_start: bool,
}

#[derive(Debug, Deserialize)]
struct RefEnt {
    start: usize,
    end: usize,
    label: String,
}

#[derive(Debug, Deserialize)]
struct RefDoc {
    id: Option<String>,
    tokens: Vec<RefTok>,
    #[serde(default)]
    ents: Vec<RefEnt>,
}

/// One parsed record: its id and the parse of `text`.
pub struct Record {
    pub id: Option<String>,
    pub parse: ParsedDoc,
}

/// Parses one JSONL line of `spacy_ref.py` output for the given text.
pub fn parse_line(line: &str, line_no: usize, text: &str) -> Result<Record, ReferenceError> {
    let d: RefDoc = serde_json::from_str(line).map_err(|source| ReferenceError::Json {
        line: line_no,
        source,
    })?;
    let idx = CharIndex::new(text);
    let n_chars = idx.len();
    let mut tokens = Vec::with_capacity(d.tokens.len());
    let mut sents: Vec<Range<usize>> = Vec::new();
    for (i, t) in d.tokens.iter().enumerate() {
        if t.start > t.end || t.end > n_chars {
            return Err(ReferenceError::Offsets {
                id: d.id.clone(),
                index: i,
                start: t.start,
                end: t.end,
            });
        }
        if i == 0 || t.sent_start {
            if let Some(last) = sents.last_mut() {
                last.end = i;
            }
            sents.push(i..d.tokens.len());
        }
        let (start, end) = (idx.byte_of_char(t.start), idx.byte_of_char(t.end));
        let found = text.get(start..end).unwrap_or("");
        if found != t.text {
            return Err(ReferenceError::Mismatch {
                id: d.id.clone(),
                index: i,
                token: t.text.clone(),
                found: found.to_string(),
            });
        }
        tokens.push(Token {
            text: t.text.clone(),
            start,
            end,
            whitespace: t.ws,
            tag: t.tag.clone(),
            pos: t.pos.clone(),
            lemma: t.lemma.clone(),
            head: t.head,
            dep: t.dep.clone(),
            ..Token::default()
        });
    }
    let ents = d
        .ents
        .iter()
        .filter(|e| e.start < e.end && e.end <= tokens.len())
        .map(|e| EntSpan {
            start_token: e.start,
            end_token: e.end,
            start: tokens[e.start].start,
            end: tokens[e.end - 1].end,
            label: e.label.clone(),
        })
        .collect();
    Ok(Record {
        id: d.id,
        parse: ParsedDoc {
            tokens,
            sents,
            ents,
        },
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn converts_code_points_to_bytes() {
        let text = "Qaeda’s man";
        let line = r#"{"id":"a","tokens":[
            {"text":"Qaeda","start":0,"end":5,"ws":false,"tag":"NNP","pos":"PROPN","lemma":"Qaeda","head":2,"dep":"poss","sent_start":true},
            {"text":"’s","start":5,"end":7,"ws":true,"tag":"POS","pos":"PART","lemma":"’s","head":0,"dep":"case","sent_start":false},
            {"text":"man","start":8,"end":11,"ws":false,"tag":"NN","pos":"NOUN","lemma":"man","head":2,"dep":"ROOT","sent_start":false}],
            "ents":[{"start":0,"end":1,"label":"ORG"}]}"#
            .replace('\n', "");
        let r = parse_line(&line, 1, text).unwrap();
        let p = r.parse;
        assert_eq!(&text[p.tokens[1].start..p.tokens[1].end], "’s");
        assert_eq!(&text[p.tokens[2].start..p.tokens[2].end], "man");
        assert_eq!(p.sents, vec![0..3]);
        assert_eq!(p.ents[0].end, 5);
    }

    #[test]
    fn a_parse_of_another_text_is_an_error() {
        // Parsed with an em dash, read against a text with two hyphens: the
        // offsets fit, the words do not.
        let line = r#"{"id":"a","tokens":[
            {"text":"Zaki","start":0,"end":4,"ws":true},
            {"text":"—","start":5,"end":6,"ws":true},
            {"text":"shot","start":7,"end":11,"ws":false}]}"#
            .replace('\n', "");
        assert!(parse_line(&line, 1, "Zaki — shot").is_ok());
        assert!(matches!(
            parse_line(&line, 1, "Zaki -- shot"),
            Err(ReferenceError::Mismatch { index: 1, .. })
        ));
    }

    #[test]
    fn bad_offsets_are_an_error() {
        let line = r#"{"id":"a","tokens":[{"text":"x","start":0,"end":9}]}"#;
        assert!(matches!(
            parse_line(line, 1, "x"),
            Err(ReferenceError::Offsets { .. })
        ));
        assert!(matches!(
            parse_line("{", 3, "x"),
            Err(ReferenceError::Json { line: 3, .. })
        ));
    }
}
