//! Events, relations and claims, read from the dependency parse and the
//! named entities of the language pipeline, every one grounded in the text
//! it came from.
//!
//! Two steps:
//! 1. [`extract`] reads one parsed document and returns its [`DocFacts`]:
//!    event, relation and claim mentions plus coreference hints, with byte
//!    and code-point offsets.
//! 2. [`link`] takes the facts of all documents and the entity-resolution
//!    stage's mention→entity mapping, and returns the contract's
//!    [`dossier_core::Event`], [`dossier_core::Relation`] and
//!    [`dossier_core::Claim`] objects, resolved across documents.

mod claims;
mod coref;
mod doc;
mod events;
mod extract;
pub mod lexicon;
mod link;
mod pipeline;
pub mod reference;
mod relations;
#[cfg(test)]
mod testutil;
mod types;

pub use doc::{EntSpan, ParsedDoc, TimeMention, Token};
pub use events::compatible_kind;
pub use link::{calendar_date, claim_id, dates_compatible, link};
pub use pipeline::{facts_of_document, facts_of_parse, time_tokens, times};
pub use types::{
    ClaimMention, CorefHint, DateMention, DocFacts, EventArg, EventLink, EventLinkKind,
    EventMention, EventType, FactSpan, Ref, RelationMention, RelationType,
};

use dossier_core::TimeType;

/// Extracts the facts of one document.
///
/// `text` is the document text the parse's byte offsets point into; `times`
/// are its time expressions from `dossier-time` (byte offsets). When `times`
/// is empty, the parse's own `DATE`/`TIME` entities date events, without a
/// normalised value.
pub fn extract(doc_id: &str, text: &str, parse: &ParsedDoc, times: &[TimeMention]) -> DocFacts {
    let fallback;
    let times = if times.is_empty() {
        fallback = times_from_entities(text, parse);
        &fallback[..]
    } else {
        times
    };
    let ctx = doc::Ctx::new(text, parse, times);
    let mut ex = extract::Ex::new(ctx);
    let coref = coref::resolve(&mut ex);
    let relations = relations::extract(&ex);
    let mut events = events::extract(&ex);
    let claims = claims::extract(&ex, &mut events, &relations);
    DocFacts {
        doc: doc_id.to_string(),
        events,
        relations,
        claims,
        coref,
    }
}

/// `DATE`/`TIME` entities as time expressions with no value.
fn times_from_entities(text: &str, parse: &ParsedDoc) -> Vec<TimeMention> {
    parse
        .ents
        .iter()
        .filter_map(|e| {
            let kind = match e.label.as_str() {
                "DATE" => TimeType::Date,
                "TIME" => TimeType::Time,
                _ => return None,
            };
            Some(TimeMention {
                start: e.start,
                end: e.end,
                text: text.get(e.start..e.end)?.to_string(),
                kind,
                value: None,
            })
        })
        .collect()
}
