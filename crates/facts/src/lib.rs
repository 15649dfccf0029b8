//! Events, relations and claims, read from the dependency parse and the
//! named entities of the language pipeline, every one grounded in the text
//! it came from.
//!
//! Two steps:
//! 1. Per document, with a parse in hand: [`facts_of_parse`] (tag time
//!    expressions with `dossier-time` against the publication date, then
//!    extract) or [`extract`].
//!    The result, [`DocFacts`], holds event, relation and claim mentions and
//!    coreference hints; every span has byte and code-point offsets. It is
//!    serialisable, so it can be stored with the document.
//! 2. Across documents, [`link`] takes every document's facts and the
//!    entity-resolution stage's answer to "which entity is this mention?"
//!    and returns the contract's [`dossier_core::Event`],
//!    [`dossier_core::Relation`] and [`dossier_core::Claim`] objects: events
//!    merged when type, participants, place and date agree; relations merged
//!    with all their evidence; claims tied to what they are about and to the
//!    claims that support or contradict them.
//!
//! The mention→entity callback receives spans of named-entity mentions
//! exactly as the pipeline found them (`Ref::entity`; for a pronoun or
//! description, the mention it refers back to), and failing that the phrase
//! as written (`Ref::span`); offsets `char_start..char_end` are code points
//! into the document text.

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
pub use link::{
    calendar_date, claim_id, dates_compatible, is_core_role, link, link_with, FactKind, LinkInput,
    Linked, MentionId, CORE_ROLES,
};
pub use pipeline::{facts_of_parse, times};
pub use types::{
    ClaimMention, CorefHint, DateMention, DocFacts, EventArg, EventLink, EventLinkKind,
    EventMention, EventType, FactSpan, Ref, RelationMention, RelationType,
};

use dossier_core::parse::PronounLink;
use dossier_core::TimeType;

/// Changes whenever extraction output changes, so stored [`DocFacts`] can be
/// recomputed (part of the build's analysis version).
pub const VERSION: &str = "facts-1";

/// Extracts the facts of one document, resolving its pronouns itself
/// (for callers without the pipeline; `dossier build` resolves pronouns
/// once and calls [`extract_with`]).
///
/// `text` is the document text the parse's byte offsets point into; `times`
/// are its time expressions from `dossier-time` (byte offsets). When `times`
/// is empty, the parse's own `DATE`/`TIME` entities date events, without a
/// normalised value.
pub fn extract(doc_id: &str, text: &str, parse: &ParsedDoc, times: &[TimeMention]) -> DocFacts {
    extract_inner(doc_id, text, parse, times, None)
}

/// Extracts the facts of one document with the pipeline's pronoun links
/// (see [`pronoun_links`]).
pub fn extract_with(
    doc_id: &str,
    text: &str,
    parse: &ParsedDoc,
    times: &[TimeMention],
    pronouns: &[PronounLink],
) -> DocFacts {
    extract_inner(doc_id, text, parse, times, Some(pronouns))
}

/// Which named entity each pronoun of a parse refers to: the pipeline's
/// one pronoun resolution, used by local entity resolution and by fact
/// extraction alike. Looks back a window of sentences, so its cost is
/// linear in the length of the document.
pub fn pronoun_links(text: &str, parse: &ParsedDoc) -> Vec<PronounLink> {
    let ctx = doc::Ctx::new(text, parse, &[]);
    let mut ex = extract::Ex::new(ctx);
    coref::pronoun_links(&mut ex)
}

fn extract_inner(
    doc_id: &str,
    text: &str,
    parse: &ParsedDoc,
    times: &[TimeMention],
    pronouns: Option<&[PronounLink]>,
) -> DocFacts {
    let fallback;
    let times = if times.is_empty() {
        fallback = times_from_entities(text, parse);
        &fallback[..]
    } else {
        times
    };
    let ctx = doc::Ctx::new(text, parse, times);
    let mut ex = extract::Ex::new(ctx);
    let coref = coref::resolve(&mut ex, pronouns);
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
