//! The shapes queries answer with, and the queries that assemble them.
//! Every fact carries its evidence: spans with the document's title and date
//! so a reader can judge the source before opening it. Every list is a page
//! with its total.

use crate::summary::Summary;
use crate::{DateBound, Page, Paged, Query, Result, MAX_EVIDENCE, MAX_LINKED};
use dossier_core::{
    Amount, Claim, ClaimKind, EventDate, MentionKind, Modality, Polarity, Span, SpeakerKind, Stance,
};
use dossier_store::{ClaimFilter, ClaimRow, DocHead, EntityHead, EventFilter};
use serde::Serialize;
use std::collections::{BTreeMap, BTreeSet, HashMap};

/// An entity as a link: enough to show and open it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct EntityRef {
    pub id: String,
    pub name: String,
    #[serde(rename = "type")]
    pub kind: String,
}

impl From<&EntityHead> for EntityRef {
    fn from(h: &EntityHead) -> EntityRef {
        EntityRef {
            id: h.id.clone(),
            name: h.name.clone(),
            kind: h.label.clone(),
        }
    }
}

/// A document as a link.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct DocRef {
    pub id: String,
    pub title: Option<String>,
    pub published: Option<String>,
    pub source: String,
}

impl From<&DocHead> for DocRef {
    fn from(d: &DocHead) -> DocRef {
        DocRef {
            id: d.id.clone(),
            title: d.title.clone(),
            published: d.published.clone(),
            source: d.source.clone(),
        }
    }
}

/// A span of evidence with its document's title and date.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Evidence {
    pub doc: String,
    pub start: usize,
    pub end: usize,
    pub text: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub kind: Option<MentionKind>,
    pub doc_title: Option<String>,
    pub published: Option<String>,
    /// Where the document came from (file or URL): a label for untitled ones.
    pub doc_source: Option<String>,
}

/// A name the entity goes by, with where it is written so.
#[derive(Debug, Clone, Serialize)]
pub struct NameView {
    pub text: String,
    /// True for the display name.
    pub canonical: bool,
    /// Documents that use this exact form.
    pub documents: usize,
    pub evidence: Vec<Evidence>,
    pub evidence_total: usize,
}

#[derive(Debug, Clone, Serialize)]
pub struct DescriptionView {
    pub text: String,
    /// How many times sources give it.
    pub total: usize,
    pub evidence: Vec<Evidence>,
}

/// One merge decision, in words.
#[derive(Debug, Clone, Serialize)]
pub struct MergeView {
    pub reason: String,
    /// The match probability of the join.
    pub score: Option<f64>,
    /// `high`, `medium`, `low` or `unscored`.
    pub confidence: &'static str,
    pub evidence: Vec<Evidence>,
}

/// "Why is this one person?": the resolution's reasons, readable.
#[derive(Debug, Clone, Serialize)]
pub struct Identity {
    /// Plain sentences for a non-programmer.
    pub explanation: Vec<String>,
    /// The joins, a page of them.
    pub merges: Paged<MergeView>,
}

#[derive(Debug, Clone, Serialize)]
pub struct RelationView {
    pub id: String,
    #[serde(rename = "type")]
    pub kind: String,
    pub role: Option<String>,
    pub subject: EntityRef,
    pub object: EntityRef,
    /// "Youssef Haddad is the child of Omar Haddad".
    pub sentence: String,
    pub evidence: Vec<Evidence>,
    pub evidence_total: usize,
}

#[derive(Debug, Clone, Serialize)]
pub struct ParticipantView {
    pub role: String,
    pub entity: EntityRef,
}

#[derive(Debug, Clone, Serialize)]
pub struct EventView {
    pub id: String,
    #[serde(rename = "type")]
    pub kind: String,
    pub date: Option<EventDate>,
    /// Whether it is told as having happened (`asserted`, `reported`) or
    /// otherwise (`planned`, `sought`, ...).
    pub modality: Modality,
    /// For rewards and sanctions: how much.
    pub amount: Option<Amount>,
    pub participants: Vec<ParticipantView>,
    pub places: Vec<EntityRef>,
    /// Documents reporting it, earliest first (at most 200;
    /// `documents_total` counts them all).
    pub documents: Vec<DocRef>,
    pub documents_total: usize,
    pub evidence: Vec<Evidence>,
    pub evidence_total: usize,
}

/// A claim as shown next to another: who said what, where.
#[derive(Debug, Clone, Serialize)]
pub struct ClaimBrief {
    pub id: String,
    pub text: String,
    pub speaker: Option<EntityRef>,
    pub speaker_text: Option<String>,
    pub polarity: Polarity,
    pub hedged: bool,
    pub stance: Stance,
    pub speaker_kind: SpeakerKind,
    pub evidence: Evidence,
}

/// What a claim is about: an entity or an event.
#[derive(Debug, Clone, Serialize)]
pub struct AboutRef {
    pub id: String,
    /// `entity` or `event`.
    pub what: &'static str,
    /// The entity's name, or the event's type and date.
    pub label: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct ClaimView {
    pub id: String,
    pub text: String,
    pub speaker: Option<EntityRef>,
    pub speaker_text: Option<String>,
    pub kind: ClaimKind,
    pub polarity: Polarity,
    pub hedged: bool,
    pub stance: Stance,
    pub speaker_kind: SpeakerKind,
    pub about: Vec<AboutRef>,
    /// The statement itself as evidence (document, offsets, title).
    pub evidence: Evidence,
    /// The dispute or corroboration group it belongs to, if any.
    pub dispute: Option<String>,
    /// Claims in other documents that say the same (at most
    /// [`MAX_LINKED`]; `supports_total` counts them all).
    pub supports: Vec<ClaimBrief>,
    pub supports_total: usize,
    /// Claims that dispute it or that it disputes.
    pub contradicts: Vec<ClaimBrief>,
    pub contradicts_total: usize,
}

/// A group of claims that agree or disagree with each other, as the build
/// grouped them: claims on one side agree; the sides disagree.
#[derive(Debug, Clone, Serialize)]
pub struct DisputeView {
    pub id: String,
    /// True when the sides disagree; false when every claim agrees.
    pub disputed: bool,
    /// What the claims are about, in words.
    pub about: String,
    /// Claims in the group in all.
    pub claims: usize,
    /// The side that mostly asserts first.
    pub sides: [Vec<ClaimBrief>; 2],
}

/// An entity's claims: the dispute and corroboration groups they belong
/// to, and those from a single source.
#[derive(Debug, Clone, Default, Serialize)]
pub struct ClaimGroups {
    pub groups: Vec<DisputeView>,
    pub single_source: Vec<ClaimBrief>,
    /// Claims by or about the entity in all (this is a page of them).
    pub total: usize,
}

#[derive(Debug, Clone, Serialize)]
pub struct DocumentBrief {
    pub id: String,
    pub title: Option<String>,
    pub published: Option<String>,
    pub source: String,
    pub byline: Option<String>,
    /// Length of the text in code points.
    pub length: usize,
    pub entities: usize,
    pub events: usize,
    pub claims: usize,
}

/// A document in an entity's dossier.
#[derive(Debug, Clone, Serialize)]
pub struct DossierDocument {
    #[serde(flatten)]
    pub doc: DocRef,
    /// Mentions of the entity in it.
    pub mentions: usize,
}

/// A sanctions-list entry the entity resembles, as the last screening of
/// the knowledge base found it.
#[derive(Debug, Clone, Serialize)]
pub struct ScreeningView {
    /// `ofac`, `un`, `ftm`.
    pub list: String,
    /// OFAC ent_num, UN reference number, FtM id.
    pub list_id: String,
    /// The entry's primary name.
    pub name: String,
    /// Match probability, calibrated on the screening's development data.
    pub score: f64,
    /// At or above the default threshold.
    #[serde(rename = "match")]
    pub is_match: bool,
    pub programs: String,
    pub list_date: Option<String>,
    /// Why, one sentence each: which names matched which, by what rule,
    /// what agreed and what contradicted.
    pub explanation: Vec<String>,
}

/// Everything known about one entity; every list is a page with its total.
#[derive(Debug, Clone, Serialize)]
pub struct Dossier {
    pub summary: Summary,
    pub names: Paged<NameView>,
    pub descriptions: Paged<DescriptionView>,
    pub identity: Identity,
    pub relations: Paged<RelationView>,
    /// Its events, earliest first (undated last).
    pub events: Paged<EventView>,
    pub claims: ClaimGroups,
    pub documents: Paged<DossierDocument>,
    /// Sanctions-list entries it resembles (best first), when the
    /// knowledge base was screened.
    pub sanctions: Vec<ScreeningView>,
}

/// One highlighted stretch of a document.
#[derive(Debug, Clone, Serialize)]
pub struct DocSpan {
    pub start: usize,
    pub end: usize,
    pub text: String,
    /// `mention`, `time`, `event`, `claim`, `relation`, `description`.
    pub layer: &'static str,
    /// Entity type, time type, event type, relation type, claim polarity.
    pub kind: Option<String>,
    /// The entity, event, claim or relation id it belongs to.
    pub target: Option<String>,
    /// Short text for a tooltip: entity name, time value, ...
    pub label: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct DocumentView {
    pub id: String,
    pub source: String,
    pub sources: Vec<String>,
    pub title: Option<String>,
    pub published: Option<String>,
    pub byline: Option<String>,
    pub language: String,
    pub text: String,
    /// Length of `text` in code points (what offsets count).
    pub length: usize,
    /// Spans laid on the text, by start offset (at most [`MAX_SPANS`]).
    pub spans: Vec<DocSpan>,
    pub spans_total: usize,
}

/// Most spans laid on one document view.
pub const MAX_SPANS: usize = 5000;

#[derive(Debug, Clone, Serialize)]
pub struct EventDetail {
    #[serde(flatten)]
    pub event: EventView,
    pub claims: Paged<ClaimView>,
}

#[derive(Debug, Clone, Serialize)]
pub struct Stats {
    pub documents: usize,
    pub entities: usize,
    pub entities_by_type: BTreeMap<String, usize>,
    pub events: usize,
    pub events_by_type: BTreeMap<String, usize>,
    pub relations: usize,
    pub relations_by_type: BTreeMap<String, usize>,
    pub claims: usize,
    pub disputed_claims: usize,
    pub corroborated_claims: usize,
    pub times: usize,
    pub mentions: usize,
    /// Earliest and latest publication dates.
    pub published_first: Option<String>,
    pub published_last: Option<String>,
    /// Documents stored but not yet folded into the graph.
    pub pending: usize,
}

/// Filters for [`Query::timeline`].
#[derive(Debug, Clone, Default)]
pub struct TimelineQuery {
    /// Only events this entity takes part in (or that happened there).
    pub entity: Option<String>,
    /// Only this event type.
    pub kind: Option<String>,
    /// Only events overlapping this range; undated events are then left out.
    pub from: Option<DateBound>,
    pub to: Option<DateBound>,
    pub page: Page,
}

/// Filters for [`Query::claims`].
#[derive(Debug, Clone, Default)]
pub struct ClaimQuery {
    /// Claims about this entity or made by it.
    pub entity: Option<String>,
    /// Claims about this event.
    pub event: Option<String>,
    /// Only claims something contradicts.
    pub disputed: bool,
    pub page: Page,
}

fn confidence(score: Option<f64>) -> &'static str {
    match score {
        None => "unscored",
        Some(s) if s >= 0.85 => "high",
        Some(s) if s >= 0.6 => "medium",
        Some(_) => "low",
    }
}

/// "child_of" -> "child of".
fn words(kind: &str) -> String {
    kind.replace('_', " ")
}

pub(crate) fn relation_sentence(kind: &str, role: Option<&str>, s: &str, o: &str) -> String {
    match (kind, role) {
        ("child_of", Some(r)) => format!("{s} is the {r} of {o}"),
        ("child_of", None) => format!("{s} is the child of {o}"),
        ("relative_of", Some(r)) => format!("{s} is the {r} of {o}"),
        ("spouse_of", _) => format!("{s} is the spouse of {o}"),
        ("sibling_of", _) => format!("{s} is a sibling of {o}"),
        ("relative_of", _) => format!("{s} is a relative of {o}"),
        ("member_of", Some(r)) => format!("{s} is a member of {o} ({r})"),
        ("member_of", None) => format!("{s} is a member of {o}"),
        ("leader_of", Some(r)) => format!("{s} leads {o} ({r})"),
        ("leader_of", None) => format!("{s} leads {o}"),
        ("holds_role", Some(r)) => format!("{s} is {r} of {o}"),
        ("part_of", _) => format!("{s} is part of {o}"),
        ("located_in", _) => format!("{s} is in {o}"),
        ("based_in", _) => format!("{s} is based in {o}"),
        (k, Some(r)) => format!("{s} — {} — {o} ({r})", words(k)),
        (k, None) => format!("{s} — {} — {o}", words(k)),
    }
}

pub(crate) fn event_label(kind: &str, date: Option<&EventDate>) -> String {
    match date.and_then(|d| d.value.as_deref()) {
        Some(v) => format!("{} ({v})", words(kind)),
        None => words(kind),
    }
}

/// Heads of documents and entities, fetched once per answer.
#[derive(Default)]
struct Heads {
    docs: HashMap<String, DocHead>,
    entities: HashMap<String, EntityHead>,
}

impl Query<'_> {
    /// Loads the heads of the documents and entities an answer refers to.
    fn heads(&self, docs: BTreeSet<String>, entities: BTreeSet<String>) -> Result<Heads> {
        let docs: Vec<String> = docs.into_iter().collect();
        let entities: Vec<String> = entities.into_iter().collect();
        Ok(Heads {
            docs: self
                .r
                .doc_heads(&docs)?
                .into_iter()
                .map(|d| (d.id.clone(), d))
                .collect(),
            entities: self
                .r
                .entities(&entities)?
                .into_iter()
                .map(|e| (e.id.clone(), e))
                .collect(),
        })
    }

    fn evidence(&self, s: &Span, heads: &Heads) -> Evidence {
        let doc = heads.docs.get(&s.doc);
        Evidence {
            doc: s.doc.clone(),
            start: s.start,
            end: s.end,
            text: s.text.clone(),
            kind: s.kind,
            doc_title: doc.and_then(|d| d.title.clone()),
            published: doc.and_then(|d| d.published.clone()),
            doc_source: doc.map(|d| d.source.clone()),
        }
    }

    fn entity_ref(heads: &Heads, id: &str) -> Option<EntityRef> {
        heads.entities.get(id).map(EntityRef::from)
    }

    fn claim_span(c: &Claim) -> Span {
        Span {
            doc: c.doc.clone(),
            start: c.start,
            end: c.end,
            text: c.text.clone(),
            kind: None,
        }
    }

    fn claim_brief(&self, c: &Claim, heads: &Heads) -> ClaimBrief {
        ClaimBrief {
            id: c.id.clone(),
            text: c.text.clone(),
            speaker: c
                .speaker
                .as_deref()
                .and_then(|s| Self::entity_ref(heads, s)),
            speaker_text: c.speaker_text.clone(),
            polarity: c.polarity,
            hedged: c.hedged,
            stance: c.stance,
            speaker_kind: c.speaker_kind,
            evidence: self.evidence(&Self::claim_span(c), heads),
        }
    }

    /// Briefs of claims, with the heads they need.
    fn briefs(&self, rows: &[ClaimRow]) -> Result<Vec<ClaimBrief>> {
        let heads = self.heads(
            rows.iter().map(|r| r.claim.doc.clone()).collect(),
            rows.iter()
                .filter_map(|r| r.claim.speaker.clone())
                .collect(),
        )?;
        Ok(rows
            .iter()
            .map(|r| self.claim_brief(&r.claim, &heads))
            .collect())
    }

    fn claim_view(&self, row: ClaimRow) -> Result<ClaimView> {
        let c = row.claim;
        let supports = self.r.linked_claims(&c.id, true, MAX_LINKED)?;
        let contradicts = self.r.linked_claims(&c.id, false, MAX_LINKED)?;
        let mut docs: BTreeSet<String> = BTreeSet::from([c.doc.clone()]);
        let mut ents: BTreeSet<String> = c.speaker.iter().cloned().collect();
        ents.extend(c.about.iter().cloned());
        let mut events: Vec<(String, String)> = Vec::new();
        for r in supports.items.iter().chain(contradicts.items.iter()) {
            docs.insert(r.claim.doc.clone());
            ents.extend(r.claim.speaker.iter().cloned());
        }
        let heads = self.heads(docs, ents)?;
        for a in &c.about {
            if !heads.entities.contains_key(a) {
                if let Some((e, _)) = self.r.event(a, 0)? {
                    events.push((a.clone(), event_label(&e.kind, e.date.as_ref())));
                }
            }
        }
        let about = c
            .about
            .iter()
            .filter_map(|id| {
                if let Some(e) = heads.entities.get(id) {
                    Some(AboutRef {
                        id: id.clone(),
                        what: "entity",
                        label: e.name.clone(),
                    })
                } else {
                    events.iter().find(|(x, _)| x == id).map(|(_, l)| AboutRef {
                        id: id.clone(),
                        what: "event",
                        label: l.clone(),
                    })
                }
            })
            .collect();
        Ok(ClaimView {
            id: c.id.clone(),
            text: c.text.clone(),
            speaker: c
                .speaker
                .as_deref()
                .and_then(|s| Self::entity_ref(&heads, s)),
            speaker_text: c.speaker_text.clone(),
            kind: c.kind,
            polarity: c.polarity,
            hedged: c.hedged,
            stance: c.stance,
            speaker_kind: c.speaker_kind,
            about,
            evidence: self.evidence(&Self::claim_span(&c), &heads),
            dispute: row.dispute,
            supports: supports
                .items
                .iter()
                .map(|r| self.claim_brief(&r.claim, &heads))
                .collect(),
            supports_total: supports.total as usize,
            contradicts: contradicts
                .items
                .iter()
                .map(|r| self.claim_brief(&r.claim, &heads))
                .collect(),
            contradicts_total: contradicts.total as usize,
        })
    }

    fn event_views(&self, events: Vec<(dossier_core::Event, u64)>) -> Result<Vec<EventView>> {
        let mut docs = BTreeSet::new();
        let mut ents = BTreeSet::new();
        for (e, _) in &events {
            docs.extend(e.documents.iter().cloned());
            docs.extend(e.evidence.iter().map(|s| s.doc.clone()));
            ents.extend(e.participants.iter().map(|p| p.entity.clone()));
            ents.extend(e.places.iter().cloned());
        }
        let heads = self.heads(docs, ents)?;
        let counts = events
            .iter()
            .map(|(e, _)| self.r.event_document_count(&e.id))
            .collect::<std::result::Result<Vec<u64>, _>>()?;
        Ok(events
            .into_iter()
            .zip(counts)
            .map(|((e, total), documents_total)| EventView {
                id: e.id.clone(),
                kind: e.kind.clone(),
                date: e.date.clone(),
                modality: e.modality,
                amount: e.amount.clone(),
                participants: e
                    .participants
                    .iter()
                    .filter_map(|p| {
                        Some(ParticipantView {
                            role: p.role.clone(),
                            entity: Self::entity_ref(&heads, &p.entity)?,
                        })
                    })
                    .collect(),
                places: e
                    .places
                    .iter()
                    .filter_map(|p| Self::entity_ref(&heads, p))
                    .collect(),
                documents: e
                    .documents
                    .iter()
                    .filter_map(|d| heads.docs.get(d).map(DocRef::from))
                    .collect(),
                documents_total: (documents_total as usize).max(e.documents.len()),
                evidence: e
                    .evidence
                    .iter()
                    .map(|s| self.evidence(s, &heads))
                    .collect(),
                evidence_total: total as usize,
            })
            .collect())
    }

    /// Everything known about an entity (after redirects); `None` for an
    /// unknown id. `page` applies to every list.
    pub fn dossier(&self, id: &str, page: Page) -> Result<Option<Dossier>> {
        let Some(id) = self.entity_id(id)? else {
            return Ok(None);
        };
        let Some(head) = self.r.entity(&id)? else {
            return Ok(None);
        };
        let summary = self.summary_of(&head)?;
        let names = self.names(&head, page)?;
        let descriptions = self.descriptions(&head.id, page)?;
        let identity = self.identity(&head, &names, page)?;
        let relations = self.relations(&head.id, page)?;
        let events = self
            .timeline(&TimelineQuery {
                entity: Some(head.id.clone()),
                page,
                ..TimelineQuery::default()
            })?
            .unwrap_or_else(|| Paged::new(0, page, Vec::new()));
        let claims = self.disputes(&head.id, page)?;
        let docs = self.r.entity_documents(&head.id, page.offset, page.limit)?;
        let documents = Paged::new(
            docs.total,
            page,
            docs.items
                .iter()
                .map(|d| DossierDocument {
                    doc: DocRef::from(&d.doc),
                    mentions: d.mentions as usize,
                })
                .collect(),
        );
        let sanctions = self
            .r
            .screenings(Some(&head.id), false, 10)?
            .into_iter()
            .map(|r| ScreeningView {
                list: r.list,
                list_id: r.list_id,
                name: r.name,
                score: r.score,
                is_match: r.is_match,
                programs: r.programs,
                list_date: r.list_date,
                explanation: r.explanation.lines().map(str::to_string).collect(),
            })
            .collect();
        Ok(Some(Dossier {
            summary,
            names,
            descriptions,
            identity,
            relations,
            events,
            claims,
            documents,
            sanctions,
        }))
    }

    fn names(&self, head: &EntityHead, page: Page) -> Result<Paged<NameView>> {
        let all = self.r.names(&head.id, 1000)?;
        let total = all.len() as u64;
        // (form, documents, mentions written so)
        let mut forms: Vec<(String, usize, usize)> = Vec::new();
        forms.push((head.name.clone(), 0, 0));
        for n in &all {
            let (docs, mentions) = (n.docs as usize, n.mentions as usize);
            if n.text != head.name {
                forms.push((n.text.clone(), docs, mentions));
            } else {
                forms[0] = (n.text.clone(), docs, mentions);
            }
        }
        let picked: Vec<(String, usize, usize)> = forms
            .into_iter()
            .skip(page.offset)
            .take(page.limit)
            .collect();
        let mut spans: Vec<(String, usize, usize, Vec<Span>)> = Vec::new();
        let mut docs = BTreeSet::new();
        for (text, n, mentions) in picked {
            let ev = self.r.name_evidence(&head.id, &text, MAX_EVIDENCE)?;
            docs.extend(ev.iter().map(|s| s.doc.clone()));
            spans.push((text, n, mentions, ev));
        }
        let heads = self.heads(docs, BTreeSet::new())?;
        let items = spans
            .into_iter()
            .map(|(text, n, mentions, ev)| NameView {
                canonical: text == head.name,
                documents: n,
                // A full page of evidence may be a part: the stored count
                // of mentions written so is the whole.
                evidence_total: if ev.len() < MAX_EVIDENCE {
                    ev.len()
                } else {
                    mentions.max(ev.len())
                },
                evidence: ev.iter().map(|s| self.evidence(s, &heads)).collect(),
                text,
            })
            .collect();
        Ok(Paged::new(total.max(1), page, items))
    }

    fn descriptions(&self, id: &str, page: Page) -> Result<Paged<DescriptionView>> {
        let w = self.r.descriptions_page(id, page.offset, page.limit, 3)?;
        let (total, rows) = (w.total, w.items);
        let heads = self.heads(
            rows.iter()
                .flat_map(|d| d.evidence.iter().map(|s| s.doc.clone()))
                .collect(),
            BTreeSet::new(),
        )?;
        Ok(Paged::new(
            total,
            page,
            rows.into_iter()
                .map(|d| DescriptionView {
                    text: d.text,
                    total: d.total as usize,
                    evidence: d
                        .evidence
                        .iter()
                        .map(|s| self.evidence(s, &heads))
                        .collect(),
                })
                .collect(),
        ))
    }

    fn identity(&self, head: &EntityHead, names: &Paged<NameView>, page: Page) -> Result<Identity> {
        let what = match head.label.as_str() {
            "PERSON" => "person",
            "ORG" => "organisation",
            "GPE" | "LOC" | "FAC" => "place",
            _ => "thing",
        };
        let mut explanation = Vec::new();
        if head.docs <= 1 {
            explanation.push(format!(
                "Everything here comes from a single document, so no cross-document \
                 judgement was needed to treat these mentions as one {what}."
            ));
        } else {
            explanation.push(format!(
                "Mentions in {} documents were judged to be the same {what}.",
                head.docs
            ));
        }
        let written: Vec<String> = names
            .items
            .iter()
            .filter(|n| n.documents > 0)
            .map(|n| {
                let docs = if n.documents == 1 {
                    "1 document".to_string()
                } else {
                    format!("{} documents", n.documents)
                };
                format!("“{}” ({docs})", n.text)
            })
            .collect();
        if written.len() > 1 {
            explanation.push(format!(
                "The sources write the name as {}.",
                written.join(", ")
            ));
        }
        let members = self.r.members(&head.id, page.offset, page.limit)?;
        let joined: Vec<_> = members
            .items
            .iter()
            .filter(|m| m.reason.is_some())
            .collect();
        for m in &joined {
            let reason = m
                .reason
                .as_deref()
                .unwrap_or("")
                .trim()
                .trim_end_matches('.');
            let c = confidence(m.probability);
            explanation.push(match m.probability {
                Some(p) => format!("{reason} (confidence {c}, match probability {p:.2})."),
                None => format!("{reason}."),
            });
        }
        let heads = self.heads(
            joined
                .iter()
                .filter_map(|m| m.evidence.as_ref().map(|s| s.doc.clone()))
                .collect(),
            BTreeSet::new(),
        )?;
        let merges = joined
            .iter()
            .map(|m| MergeView {
                reason: m.reason.clone().unwrap_or_default(),
                score: m.probability,
                confidence: confidence(m.probability),
                evidence: m
                    .evidence
                    .iter()
                    .map(|s| self.evidence(s, &heads))
                    .collect(),
            })
            .collect();
        Ok(Identity {
            explanation,
            merges: Paged::new(members.total.saturating_sub(1), page, merges),
        })
    }

    fn relations(&self, id: &str, page: Page) -> Result<Paged<RelationView>> {
        let w = self
            .r
            .relations_of(id, page.offset, page.limit, MAX_EVIDENCE)?;
        let mut docs = BTreeSet::new();
        let mut ents = BTreeSet::new();
        for (r, _) in &w.items {
            docs.extend(r.evidence.iter().map(|s| s.doc.clone()));
            ents.insert(r.subject.clone());
            ents.insert(r.object.clone());
        }
        let heads = self.heads(docs, ents)?;
        let items = w
            .items
            .iter()
            .filter_map(|(r, total)| {
                let s = Self::entity_ref(&heads, &r.subject)?;
                let o = Self::entity_ref(&heads, &r.object)?;
                Some(RelationView {
                    id: r.id.clone(),
                    kind: r.kind.clone(),
                    role: r.role.clone(),
                    sentence: relation_sentence(&r.kind, r.role.as_deref(), &s.name, &o.name),
                    subject: s,
                    object: o,
                    evidence: r
                        .evidence
                        .iter()
                        .map(|x| self.evidence(x, &heads))
                        .collect(),
                    evidence_total: *total as usize,
                })
            })
            .collect();
        Ok(Paged::new(w.total, page, items))
    }

    /// An entity's claims in the groups the build stored: each dispute or
    /// corroboration with its two sides, then single-source claims.
    pub fn disputes(&self, entity: &str, page: Page) -> Result<ClaimGroups> {
        let w = self.r.claims(
            &ClaimFilter {
                entity: Some(entity.to_string()),
                ..ClaimFilter::default()
            },
            page.offset,
            page.limit,
        )?;
        let mut groups: Vec<DisputeView> = Vec::new();
        let mut single = Vec::new();
        let mut seen: BTreeSet<String> = BTreeSet::new();
        for row in &w.items {
            let Some(d) = row.dispute.clone() else {
                single.push(row.clone());
                continue;
            };
            if !seen.insert(d.clone()) {
                continue;
            }
            if let Some(g) = self.dispute(&d)? {
                groups.push(g);
            }
        }
        Ok(ClaimGroups {
            groups,
            single_source: self.briefs(&single)?,
            total: w.total as usize,
        })
    }

    /// One dispute or corroboration group, both sides (each at most
    /// [`crate::MAX_PAGE`] claims).
    pub fn dispute(&self, id: &str) -> Result<Option<DisputeView>> {
        let Some(d) = self.r.dispute(id)? else {
            return Ok(None);
        };
        let rows = self.r.claims_of_dispute(id, crate::MAX_PAGE * 2)?;
        let briefs = self.briefs(&rows)?;
        let mut sides: [Vec<ClaimBrief>; 2] = [Vec::new(), Vec::new()];
        for (row, b) in rows.iter().zip(briefs) {
            let s = row.side.unwrap_or(0).min(1) as usize;
            if sides[s].len() < crate::MAX_PAGE {
                sides[s].push(b);
            }
        }
        // The side that mostly asserts is listed first.
        let asserts = |xs: &Vec<ClaimBrief>| {
            xs.iter()
                .map(|c| {
                    if c.polarity == Polarity::Deny {
                        -1i64
                    } else {
                        1
                    }
                })
                .sum::<i64>()
        };
        if asserts(&sides[1]) > asserts(&sides[0]) {
            sides.swap(0, 1);
        }
        Ok(Some(DisputeView {
            id: d.id,
            disputed: d.disputed,
            about: d.about,
            claims: d.claims as usize,
            sides,
        }))
    }

    /// A document's text with its spans laid on it; `None` for an unknown id.
    pub fn document(&self, id: &str) -> Result<Option<DocumentView>> {
        let Some(doc) = self.r.document(id)? else {
            return Ok(None);
        };
        let layers = self.r.doc_layers(id, MAX_SPANS)?;
        let length = doc.text.chars().count();
        let spans = layers
            .items
            .into_iter()
            .filter(|l| (l.start as usize) < (l.end as usize) && (l.end as usize) <= length)
            .map(|l| DocSpan {
                start: l.start as usize,
                end: l.end as usize,
                text: l.text,
                layer: l.layer,
                kind: l.kind,
                target: l.target,
                label: l.label,
            })
            .collect();
        Ok(Some(DocumentView {
            id: doc.id,
            source: doc.source,
            sources: doc.sources,
            title: doc.title,
            published: doc.published,
            byline: doc.byline,
            language: doc.language,
            length,
            text: doc.text,
            spans,
            spans_total: layers.total as usize,
        }))
    }

    /// Documents in ingest order.
    pub fn documents(&self, page: Page) -> Result<Paged<DocumentBrief>> {
        let w = self.r.documents(page.offset, page.limit)?;
        let items = w
            .items
            .into_iter()
            .map(|d| {
                let (entities, events, claims) = self.r.doc_counts(&d.id)?;
                Ok(DocumentBrief {
                    id: d.id,
                    title: d.title,
                    published: d.published,
                    source: d.source,
                    byline: d.byline,
                    length: d.length as usize,
                    entities: entities as usize,
                    events: events as usize,
                    claims: claims as usize,
                })
            })
            .collect::<Result<_>>()?;
        Ok(Paged::new(w.total, page, items))
    }

    /// One event with the claims about it; `None` for an unknown id.
    pub fn event(&self, id: &str, page: Page) -> Result<Option<EventDetail>> {
        let Some(e) = self.r.event(id, MAX_EVIDENCE)? else {
            return Ok(None);
        };
        let view = self.event_views(vec![e])?.remove(0);
        let claims = self
            .claims(&ClaimQuery {
                event: Some(id.to_string()),
                page,
                ..ClaimQuery::default()
            })?
            .unwrap_or_else(|| Paged::new(0, page, Vec::new()));
        Ok(Some(EventDetail {
            event: view,
            claims,
        }))
    }

    /// One claim with what supports and contradicts it; `None` for an
    /// unknown id.
    pub fn claim(&self, id: &str) -> Result<Option<ClaimView>> {
        self.r.claim(id)?.map(|r| self.claim_view(r)).transpose()
    }

    /// Events by date, filtered. `None` when the entity is unknown.
    pub fn timeline(&self, q: &TimelineQuery) -> Result<Option<Paged<EventView>>> {
        let entity = match &q.entity {
            Some(id) => match self.entity_id(id)? {
                Some(live) => Some(live),
                None => return Ok(None),
            },
            None => None,
        };
        let w = self.r.events(
            &EventFilter {
                entity,
                kind: q.kind.clone(),
                from_day: q.from.map(|b| b.first_day()),
                to_day: q.to.map(|b| b.last_day()),
            },
            q.page.offset,
            q.page.limit,
            MAX_EVIDENCE,
        )?;
        let items = self.event_views(w.items)?;
        Ok(Some(Paged::new(w.total, q.page, items)))
    }

    /// Claims, filtered. `None` when the entity or event is unknown.
    pub fn claims(&self, q: &ClaimQuery) -> Result<Option<Paged<ClaimView>>> {
        let entity = match &q.entity {
            Some(id) => match self.entity_id(id)? {
                Some(live) => Some(live),
                None => return Ok(None),
            },
            None => None,
        };
        if let Some(ev) = &q.event {
            if self.r.event(ev, 0)?.is_none() {
                return Ok(None);
            }
        }
        let w = self.r.claims(
            &ClaimFilter {
                entity,
                event: q.event.clone(),
                disputed: q.disputed,
            },
            q.page.offset,
            q.page.limit,
        )?;
        Paged::new(w.total, q.page, w.items)
            .try_map(|r| self.claim_view(r))
            .map(Some)
    }

    /// Corpus counts.
    pub fn stats(&self) -> Result<Stats> {
        let c = self.r.counts()?;
        let map = |v: Vec<(String, u64)>| -> BTreeMap<String, usize> {
            v.into_iter().map(|(k, n)| (k, n as usize)).collect()
        };
        Ok(Stats {
            documents: c.documents as usize,
            entities: c.entities as usize,
            entities_by_type: map(c.entities_by_type),
            events: c.events as usize,
            events_by_type: map(c.events_by_type),
            relations: c.relations as usize,
            relations_by_type: map(c.relations_by_type),
            claims: c.claims as usize,
            disputed_claims: c.disputed_claims as usize,
            corroborated_claims: c.corroborated_claims as usize,
            times: c.times as usize,
            mentions: c.mentions as usize,
            published_first: c.published_first,
            published_last: c.published_last,
            pending: c.pending as usize,
        })
    }
}
