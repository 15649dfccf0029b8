//! The bridge from the time tagger (`dossier-time`) to
//! [`extract`](crate::extract), for callers that hold a parse but no time
//! expressions yet (evaluations, examples). `dossier build` runs the same
//! stages through the `dossier-pipeline` crate.

use crate::doc::{ParsedDoc, TimeMention};
use crate::DocFacts;
use dossier_core::{Date, Document};
use dossier_time::Timex;

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

/// Time expressions of a parsed text, normalised against `published`.
pub fn times(text: &str, p: &ParsedDoc, published: Option<Date>) -> Vec<TimeMention> {
    dossier_time::tag(text, p, published)
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
