//! The bridge from the language pipeline (`dossier-analyze`) and the time
//! tagger (`dossier-time`) to [`extract`](crate::extract): what `dossier
//! build` calls per document.

use crate::doc::{EntSpan, ParsedDoc, TimeMention, Token};
use crate::DocFacts;
use dossier_analyze::pipeline::{Doc, Pipeline};
use dossier_core::{Date, Document};
use dossier_time::{Iob, Timex, TokenView};

impl From<&Doc> for ParsedDoc {
    fn from(d: &Doc) -> ParsedDoc {
        ParsedDoc {
            tokens: d
                .tokens
                .iter()
                .map(|t| Token {
                    text: t.text.clone(),
                    start: t.start,
                    end: t.end,
                    whitespace: t.whitespace,
                    tag: t.tag.clone(),
                    pos: t.pos.clone(),
                    lemma: t.lemma.clone(),
                    head: t.head,
                    dep: t.dep.clone(),
                })
                .collect(),
            sents: d.sents.clone(),
            ents: d
                .ents
                .iter()
                .map(|e| EntSpan {
                    start_token: e.start_token,
                    end_token: e.end_token,
                    start: e.start,
                    end: e.end,
                    label: e.label.clone(),
                })
                .collect(),
        }
    }
}

impl From<&Timex> for TimeMention {
    fn from(t: &Timex) -> TimeMention {
        TimeMention {
            start: t.start,
            end: t.end,
            text: t.text.clone(),
            kind: t.kind,
            value: t.value.clone(),
        }
    }
}

/// The time tagger's view of a parse (tags, lemmas, heads, entity IOB).
pub fn time_tokens(p: &ParsedDoc) -> Vec<TokenView> {
    let mut out: Vec<TokenView> = p
        .tokens
        .iter()
        .map(|t| TokenView {
            start: t.start,
            end: t.end,
            tag: t.tag.clone(),
            lemma: t.lemma.to_lowercase(),
            head: t.head,
            dep: t.dep.clone(),
            ent_iob: Iob::Out,
            ent_label: String::new(),
        })
        .collect();
    for e in &p.ents {
        for k in e.start_token..e.end_token.min(out.len()) {
            out[k].ent_iob = if k == e.start_token {
                Iob::Begin
            } else {
                Iob::Inside
            };
            out[k].ent_label = e.label.clone();
        }
    }
    out
}

/// Time expressions of a parsed text, normalised against `published`.
pub fn times(text: &str, p: &ParsedDoc, published: Option<Date>) -> Vec<TimeMention> {
    let toks = time_tokens(p);
    dossier_time::tag(text, &toks, &p.sents, published)
        .iter()
        .map(TimeMention::from)
        .collect()
}

/// Facts of one parsed document: time expressions from `dossier-time`
/// (anchored on the publication date), then [`extract`](crate::extract).
pub fn facts_of_parse(doc: &Document, parse: &ParsedDoc) -> DocFacts {
    let published = doc.published.as_deref().and_then(Date::parse_iso);
    let t = times(&doc.text, parse, published);
    crate::extract(&doc.id, &doc.text, parse, &t)
}

/// Facts of one document, analysed by the native pipeline.
pub fn facts_of_document(pipeline: &Pipeline, doc: &Document) -> DocFacts {
    let parsed = pipeline.analyze(&doc.text);
    facts_of_parse(doc, &ParsedDoc::from(&parsed))
}
