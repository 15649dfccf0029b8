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

pub mod agree;
mod amount;
mod claims;
mod coref;
mod doc;
mod events;
mod extract;
mod furniture;
pub mod lexicon;
mod link;
mod modality;
mod pipeline;
pub mod reference;
mod relations;
#[cfg(test)]
mod testutil;
mod types;
mod words;

pub use amount::parse_money;
pub use doc::{EntSpan, ParsedDoc, TimeMention, Token};
pub use events::compatible_kind;
pub use furniture::furniture;
pub use link::{
    calendar_date, claim_id, dates_compatible, is_core_role, link, link_with, FactKind, LinkInput,
    Linked, MentionId, CORE_ROLES,
};
pub use pipeline::{facts_of_parse, times};
pub use types::{
    AmountMention, ClaimMention, CorefHint, DateMention, DocFacts, EventArg, EventLink,
    EventLinkKind, EventMention, EventType, FactSpan, Furniture, FurnitureKind, Hedge, HedgeKind,
    Ref, RelationMention, RelationType, Verdict,
};

use dossier_core::parse::PronounLink;
use dossier_core::TimeType;

/// Changes whenever extraction output changes, so stored [`DocFacts`] can be
/// recomputed (part of the build's analysis version).
pub const VERSION: &str = "facts-2";

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
    let furniture: Vec<Furniture> = furniture::furniture(text, parse)
        .into_iter()
        .map(|(r, kind)| Furniture {
            kind,
            span: ex.span_bytes(r),
        })
        .collect();
    let mut f = without_furniture(DocFacts {
        doc: doc_id.to_string(),
        events,
        relations,
        claims,
        coref,
        furniture,
    });
    speakers_after_datelines(&mut f, &ex);
    f
}

/// "NASHVILLE, TENN., May 31 - Hospital Corp of America said": a speaker
/// phrase run into the dateline before it starts after the dateline, and a
/// name inside the dateline is not the speaker.
fn speakers_after_datelines(f: &mut DocFacts, ex: &extract::Ex) {
    let datelines: Vec<FactSpan> = f
        .furniture
        .iter()
        .filter(|x| x.kind == FurnitureKind::Dateline)
        .map(|x| x.span.clone())
        .collect();
    for c in &mut f.claims {
        let Some(sp) = c.speaker.as_mut() else {
            continue;
        };
        let Some(d) = datelines.iter().find(|d| d.overlaps(&sp.span)) else {
            continue;
        };
        if sp.span.end <= d.end {
            continue;
        }
        let rest = &ex.c.text[d.end..sp.span.end];
        let start = d.end + (rest.len() - rest.trim_start().len());
        sp.span = ex.span_bytes(start..sp.span.end);
        if sp.entity.as_ref().is_some_and(|e| d.overlaps(e)) {
            sp.entity = None;
            sp.label = None;
        }
        c.speaker_text = Some(sp.span.text.clone());
    }
}

/// Drops the events, relations and claims read from page furniture (a
/// headline, caption or link), keeping the indexes between them right.
fn without_furniture(mut f: DocFacts) -> DocFacts {
    if f.furniture.is_empty() {
        return f;
    }
    let inside = |s: &FactSpan| f.furniture.iter().any(|x| x.span.contains(s));
    let keep_event: Vec<bool> = f.events.iter().map(|e| !inside(&e.trigger)).collect();
    let keep_rel: Vec<bool> = f.relations.iter().map(|r| !inside(&r.cue)).collect();
    let keep_claim: Vec<bool> = f
        .claims
        .iter()
        .map(|c| {
            let anchor = c.cue.as_ref().or(c.parts.first());
            !anchor.is_some_and(inside)
        })
        .collect();
    let renumber = |keep: &[bool]| -> Vec<Option<usize>> {
        let mut n = 0;
        keep.iter()
            .map(|&k| {
                k.then(|| {
                    n += 1;
                    n - 1
                })
            })
            .collect()
    };
    let (ev_new, rel_new, claim_new) = (
        renumber(&keep_event),
        renumber(&keep_rel),
        renumber(&keep_claim),
    );
    let mut events: Vec<EventMention> = std::mem::take(&mut f.events)
        .into_iter()
        .zip(&keep_event)
        .filter(|(_, k)| **k)
        .map(|(e, _)| e)
        .collect();
    for e in &mut events {
        e.antecedent = e.antecedent.and_then(|a| ev_new[a]);
        e.links.retain_mut(|l| match ev_new[l.event] {
            Some(n) => {
                l.event = n;
                true
            }
            None => false,
        });
    }
    let relations: Vec<RelationMention> = std::mem::take(&mut f.relations)
        .into_iter()
        .zip(&keep_rel)
        .filter(|(_, k)| **k)
        .map(|(r, _)| r)
        .collect();
    let mut claims: Vec<ClaimMention> = std::mem::take(&mut f.claims)
        .into_iter()
        .zip(&keep_claim)
        .filter(|(_, k)| **k)
        .map(|(c, _)| c)
        .collect();
    for c in &mut claims {
        c.about_events = c.about_events.iter().filter_map(|&e| ev_new[e]).collect();
        c.about_relations = c
            .about_relations
            .iter()
            .filter_map(|&r| rel_new[r])
            .collect();
        c.responds_to = c.responds_to.and_then(|r| claim_new[r]);
    }
    f.events = events;
    f.relations = relations;
    f.claims = claims;
    f
}

/// The modality of the words at `tokens` (indexes into `parse.tokens`),
/// read as event words of no particular type: whether each is told as
/// having happened. For evaluating modality against corpora that mark the
/// factuality of every event word.
pub fn event_modalities(
    text: &str,
    parse: &ParsedDoc,
    tokens: &[usize],
) -> Vec<dossier_core::Modality> {
    let ctx = doc::Ctx::new(text, parse, &[]);
    let ex = extract::Ex::new(ctx);
    tokens
        .iter()
        .map(|&i| {
            if i < ex.c.len() {
                modality::modality(&ex, i, None).modality
            } else {
                dossier_core::Modality::Asserted
            }
        })
        .collect()
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
