//! The shapes queries answer with, and the queries that assemble them.
//! Every fact carries its evidence: spans with the document's title and date
//! so a reader can judge the source before opening it.

use crate::dates::{self, DateBound};
use crate::summary::Summary;
use crate::{Index, Page, Paged, MAX_EVIDENCE};
use dossier_core::{Claim, ClaimKind, EventDate, MentionKind, Polarity, Span};
use serde::Serialize;
use std::collections::{BTreeMap, HashMap};

/// An entity as a link: enough to show and open it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct EntityRef {
    pub id: String,
    pub name: String,
    #[serde(rename = "type")]
    pub kind: String,
}

/// A document as a link.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct DocRef {
    pub id: String,
    pub title: Option<String>,
    pub published: Option<String>,
    pub source: String,
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
    pub evidence: Vec<Evidence>,
}

/// One merge decision, in words.
#[derive(Debug, Clone, Serialize)]
pub struct MergeView {
    pub reason: String,
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
    pub merges: Vec<MergeView>,
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
    pub participants: Vec<ParticipantView>,
    pub places: Vec<EntityRef>,
    pub documents: Vec<DocRef>,
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
    pub about: Vec<AboutRef>,
    /// The statement itself as evidence (document, offsets, title).
    pub evidence: Evidence,
    /// Claims in other documents that say the same.
    pub supports: Vec<ClaimBrief>,
    /// Claims that dispute it or that it disputes.
    pub contradicts: Vec<ClaimBrief>,
}

/// An entity's claims, grouped by how sources line up.
#[derive(Debug, Clone, Default, Serialize)]
pub struct ClaimGroups {
    /// Claims some other claim contradicts.
    pub disputed: Vec<ClaimView>,
    /// Claims other sources repeat, and none dispute.
    pub corroborated: Vec<ClaimView>,
    /// Claims from a single source.
    pub single_source: Vec<ClaimView>,
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

/// Everything known about one entity.
#[derive(Debug, Clone, Serialize)]
pub struct Dossier {
    pub summary: Summary,
    pub names: Vec<NameView>,
    pub descriptions: Vec<DescriptionView>,
    pub identity: Identity,
    pub relations: Vec<RelationView>,
    /// Its events, earliest first (undated last).
    pub events: Vec<EventView>,
    pub claims: ClaimGroups,
    pub documents: Vec<DossierDocument>,
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
    /// Every span laid on the text, by start offset.
    pub spans: Vec<DocSpan>,
}

#[derive(Debug, Clone, Serialize)]
pub struct EventDetail {
    #[serde(flatten)]
    pub event: EventView,
    pub claims: Vec<ClaimView>,
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
    /// Bad references in the export that were skipped.
    pub problems: usize,
}

/// Filters for [`Index::timeline`].
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

/// Filters for [`Index::claims`].
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

fn relation_sentence(kind: &str, role: Option<&str>, s: &str, o: &str) -> String {
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

impl Index {
    pub(crate) fn doc_ref(&self, d: usize) -> DocRef {
        let doc = &self.export.documents[d];
        DocRef {
            id: doc.id.clone(),
            title: doc.title.clone(),
            published: doc.published.clone(),
            source: doc.source.clone(),
        }
    }

    fn evidence(&self, s: &Span) -> Evidence {
        let doc = self.docs.get(&s.doc).map(|&d| &self.export.documents[d]);
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

    /// Valid spans as evidence, at most [`MAX_EVIDENCE`], and how many there
    /// are in all.
    fn evidence_list<'a>(
        &self,
        spans: impl IntoIterator<Item = &'a Span>,
    ) -> (Vec<Evidence>, usize) {
        let mut total = 0;
        let mut out = Vec::new();
        for s in spans {
            if !self.span_ok(s) {
                continue;
            }
            total += 1;
            if out.len() < MAX_EVIDENCE {
                out.push(self.evidence(s));
            }
        }
        (out, total)
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

    pub(crate) fn event_label(&self, ev: usize) -> String {
        let e = &self.export.events[ev];
        match e.date.as_ref().and_then(|d| d.value.as_deref()) {
            Some(v) => format!("{} ({v})", words(&e.kind)),
            None => words(&e.kind),
        }
    }

    fn event_view(&self, i: usize) -> EventView {
        let e = &self.export.events[i];
        let (evidence, evidence_total) = self.evidence_list(&e.evidence);
        EventView {
            id: e.id.clone(),
            kind: e.kind.clone(),
            date: e.date.clone(),
            participants: e
                .participants
                .iter()
                .filter_map(|p| {
                    Some(ParticipantView {
                        role: p.role.clone(),
                        entity: self.entity_ref_by_id(&p.entity)?,
                    })
                })
                .collect(),
            places: e
                .places
                .iter()
                .filter_map(|p| self.entity_ref_by_id(p))
                .collect(),
            documents: e
                .documents
                .iter()
                .filter_map(|d| self.docs.get(d).map(|&d| self.doc_ref(d)))
                .collect(),
            evidence,
            evidence_total,
        }
    }

    fn claim_brief(&self, i: usize) -> ClaimBrief {
        let c = &self.export.claims[i];
        ClaimBrief {
            id: c.id.clone(),
            text: c.text.clone(),
            speaker: c.speaker.as_deref().and_then(|s| self.entity_ref_by_id(s)),
            speaker_text: c.speaker_text.clone(),
            polarity: c.polarity,
            hedged: c.hedged,
            evidence: self.evidence(&Self::claim_span(c)),
        }
    }

    fn claim_view(&self, i: usize) -> ClaimView {
        let c = &self.export.claims[i];
        ClaimView {
            id: c.id.clone(),
            text: c.text.clone(),
            speaker: c.speaker.as_deref().and_then(|s| self.entity_ref_by_id(s)),
            speaker_text: c.speaker_text.clone(),
            kind: c.kind,
            polarity: c.polarity,
            hedged: c.hedged,
            about: c
                .about
                .iter()
                .filter_map(|id| {
                    if let Some(e) = self.entity_idx(id) {
                        Some(AboutRef {
                            id: id.clone(),
                            what: "entity",
                            label: self.export.entities[e].name.clone(),
                        })
                    } else {
                        self.events.get(id).map(|&ev| AboutRef {
                            id: id.clone(),
                            what: "event",
                            label: self.event_label(ev),
                        })
                    }
                })
                .collect(),
            evidence: self.evidence(&Self::claim_span(c)),
            supports: self.claim_supports[i]
                .iter()
                .map(|&o| self.claim_brief(o))
                .collect(),
            contradicts: self.claim_contradicts[i]
                .iter()
                .map(|&o| self.claim_brief(o))
                .collect(),
        }
    }

    fn claim_ok(&self, i: usize) -> bool {
        self.span_ok(&Self::claim_span(&self.export.claims[i]))
    }

    /// Everything known about an entity; `None` for an unknown id.
    pub fn dossier(&self, id: &str) -> Option<Dossier> {
        let i = self.entity_idx(id)?;
        let e = &self.export.entities[i];

        // Each name form with the mentions that write it so.
        let mut forms: Vec<(String, Vec<&Span>)> = vec![(e.name.clone(), Vec::new())];
        for a in &e.aliases {
            if !forms.iter().any(|(f, _)| f == a) {
                forms.push((a.clone(), Vec::new()));
            }
        }
        for m in &e.mentions {
            if !matches!(m.kind, None | Some(MentionKind::Name)) {
                continue;
            }
            // "al Qaida’s" is shown under "al Qaida".
            let form = dossier_names::matching_text(&m.text);
            match forms.iter_mut().find(|(f, _)| *f == form) {
                Some((_, v)) => v.push(m),
                None => forms.push((form, vec![m])),
            }
        }
        let names: Vec<NameView> = forms
            .into_iter()
            .enumerate()
            .map(|(k, (text, spans))| {
                let mut docs: Vec<&str> = spans.iter().map(|s| s.doc.as_str()).collect();
                docs.sort_unstable();
                docs.dedup();
                let (evidence, evidence_total) = self.evidence_list(spans);
                NameView {
                    text,
                    canonical: k == 0,
                    documents: docs.len(),
                    evidence,
                    evidence_total,
                }
            })
            .collect();

        let descriptions = e
            .descriptions
            .iter()
            .map(|d| DescriptionView {
                text: d.text.clone(),
                evidence: self.evidence_list(&d.evidence).0,
            })
            .collect();

        let identity = self.identity(i, &names);

        let relations = self.entity_relations[i]
            .iter()
            .filter_map(|&r| {
                let r = &self.export.relations[r];
                let s = self.entity_ref_by_id(&r.subject)?;
                let o = self.entity_ref_by_id(&r.object)?;
                Some(RelationView {
                    id: r.id.clone(),
                    kind: r.kind.clone(),
                    role: r.role.clone(),
                    sentence: relation_sentence(&r.kind, r.role.as_deref(), &s.name, &o.name),
                    subject: s,
                    object: o,
                    evidence: self.evidence_list(&r.evidence).0,
                })
            })
            .collect();

        let mut evs = self.entity_events[i].clone();
        evs.sort_by_key(|ev| self.events_by_date.iter().position(|x| x == ev));
        let events = evs.into_iter().map(|ev| self.event_view(ev)).collect();

        let mut claims = ClaimGroups::default();
        for &c in &self.entity_claims[i] {
            if !self.claim_ok(c) {
                continue;
            }
            let v = self.claim_view(c);
            if !v.contradicts.is_empty() {
                claims.disputed.push(v);
            } else if !v.supports.is_empty() {
                claims.corroborated.push(v);
            } else {
                claims.single_source.push(v);
            }
        }

        let mut per_doc: HashMap<&str, usize> = HashMap::new();
        for m in &e.mentions {
            *per_doc.entry(m.doc.as_str()).or_default() += 1;
        }
        let mut documents: Vec<DossierDocument> = self.entity_docs[i]
            .iter()
            .map(|&d| DossierDocument {
                mentions: per_doc
                    .get(self.export.documents[d].id.as_str())
                    .copied()
                    .unwrap_or(0),
                doc: self.doc_ref(d),
            })
            .collect();
        documents.sort_by(|a, b| {
            b.mentions
                .cmp(&a.mentions)
                .then(a.doc.published.cmp(&b.doc.published))
        });

        Some(Dossier {
            summary: self.summary_at(i).clone(),
            names,
            descriptions,
            identity,
            relations,
            events,
            claims,
            documents,
        })
    }

    fn identity(&self, i: usize, names: &[NameView]) -> Identity {
        let e = &self.export.entities[i];
        let ndocs = self.entity_docs[i].len();
        let what = match e.kind.as_str() {
            "PERSON" => "person",
            "ORG" => "organisation",
            "GPE" | "LOC" | "FAC" => "place",
            _ => "thing",
        };
        let mut explanation = Vec::new();
        if ndocs <= 1 {
            explanation.push(format!(
                "Everything here comes from a single document, so no cross-document \
                 judgement was needed to treat these mentions as one {what}."
            ));
        } else {
            explanation.push(format!(
                "Mentions in {ndocs} documents were judged to be the same {what}."
            ));
        }
        let written: Vec<String> = names
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
        if e.merges.is_empty() && ndocs > 1 {
            explanation.push(
                "The resolution stage recorded no reasons for joining them; treat the \
                 identification with care."
                    .into(),
            );
        }
        for m in &e.merges {
            let c = confidence(m.score);
            let reason = m.reason.trim().trim_end_matches('.');
            explanation.push(match m.score {
                Some(s) => format!("{reason} (confidence {c}, score {s:.2})."),
                None => format!("{reason}."),
            });
        }
        let merges = e
            .merges
            .iter()
            .map(|m| MergeView {
                reason: m.reason.clone(),
                score: m.score,
                confidence: confidence(m.score),
                evidence: self.evidence_list(&m.evidence).0,
            })
            .collect();
        Identity {
            explanation,
            merges,
        }
    }

    /// A document's text with every span laid on it; `None` for an unknown id.
    pub fn document(&self, id: &str) -> Option<DocumentView> {
        let &d = self.docs.get(id)?;
        let doc = &self.export.documents[d];
        let mut spans = Vec::new();
        let on_doc = |s: &Span| s.doc == doc.id && self.span_ok(s);
        for &e in &self.doc_entities[d] {
            let ent = &self.export.entities[e];
            for m in ent.mentions.iter().filter(|s| on_doc(s)) {
                spans.push(DocSpan {
                    start: m.start,
                    end: m.end,
                    text: m.text.clone(),
                    layer: "mention",
                    kind: Some(ent.kind.clone()),
                    target: Some(ent.id.clone()),
                    label: ent.name.clone(),
                });
            }
            for desc in &ent.descriptions {
                for s in desc.evidence.iter().filter(|s| on_doc(s)) {
                    spans.push(DocSpan {
                        start: s.start,
                        end: s.end,
                        text: s.text.clone(),
                        layer: "description",
                        kind: Some(ent.kind.clone()),
                        target: Some(ent.id.clone()),
                        label: format!("{}: {}", ent.name, desc.text),
                    });
                }
            }
        }
        for &t in &self.doc_times[d] {
            let t = &self.export.times[t];
            spans.push(DocSpan {
                start: t.start,
                end: t.end,
                text: t.text.clone(),
                layer: "time",
                kind: Some(t.kind.as_str().to_string()),
                target: None,
                label: t.value.clone().unwrap_or_else(|| "not grounded".into()),
            });
        }
        for &ev in &self.doc_events[d] {
            let e = &self.export.events[ev];
            for s in e.evidence.iter().filter(|s| on_doc(s)) {
                spans.push(DocSpan {
                    start: s.start,
                    end: s.end,
                    text: s.text.clone(),
                    layer: "event",
                    kind: Some(e.kind.clone()),
                    target: Some(e.id.clone()),
                    label: self.event_label(ev),
                });
            }
        }
        for &r in &self.doc_relations[d] {
            let r = &self.export.relations[r];
            let name = |id: &str| {
                self.entity_ref_by_id(id)
                    .map(|e| e.name)
                    .unwrap_or_else(|| id.to_string())
            };
            let label = relation_sentence(
                &r.kind,
                r.role.as_deref(),
                &name(&r.subject),
                &name(&r.object),
            );
            for s in r.evidence.iter().filter(|s| on_doc(s)) {
                spans.push(DocSpan {
                    start: s.start,
                    end: s.end,
                    text: s.text.clone(),
                    layer: "relation",
                    kind: Some(r.kind.clone()),
                    target: Some(r.id.clone()),
                    label: label.clone(),
                });
            }
        }
        for &c in &self.doc_claims[d] {
            let c = &self.export.claims[c];
            let who = c
                .speaker_text
                .clone()
                .unwrap_or_else(|| "unattributed".into());
            spans.push(DocSpan {
                start: c.start,
                end: c.end,
                text: c.text.clone(),
                layer: "claim",
                kind: Some(match c.polarity {
                    Polarity::Assert => "assert".into(),
                    Polarity::Deny => "deny".into(),
                }),
                target: Some(c.id.clone()),
                label: who,
            });
        }
        // Longer spans first at the same start, so nesting renders outside-in.
        spans.sort_by(|a, b| a.start.cmp(&b.start).then(b.end.cmp(&a.end)));
        Some(DocumentView {
            id: doc.id.clone(),
            source: doc.source.clone(),
            sources: doc.sources.clone(),
            title: doc.title.clone(),
            published: doc.published.clone(),
            byline: doc.byline.clone(),
            language: doc.language.clone(),
            text: doc.text.clone(),
            length: self.doc_len[d],
            spans,
        })
    }

    /// Documents in export order.
    pub fn documents(&self, page: Page) -> Paged<DocumentBrief> {
        Paged::from_iter(
            self.export
                .documents
                .iter()
                .enumerate()
                .map(|(d, doc)| DocumentBrief {
                    id: doc.id.clone(),
                    title: doc.title.clone(),
                    published: doc.published.clone(),
                    source: doc.source.clone(),
                    byline: doc.byline.clone(),
                    length: self.doc_len[d],
                    entities: self.doc_entities[d].len(),
                    events: self.doc_events[d].len(),
                    claims: self.doc_claims[d].len(),
                }),
            page,
        )
    }

    /// One event with the claims about it; `None` for an unknown id.
    pub fn event(&self, id: &str) -> Option<EventDetail> {
        let &i = self.events.get(id)?;
        Some(EventDetail {
            event: self.event_view(i),
            claims: self.event_claims[i]
                .iter()
                .filter(|&&c| self.claim_ok(c))
                .map(|&c| self.claim_view(c))
                .collect(),
        })
    }

    /// One claim with what supports and contradicts it; `None` for an
    /// unknown id.
    pub fn claim(&self, id: &str) -> Option<ClaimView> {
        self.claims.get(id).map(|&i| self.claim_view(i))
    }

    /// Events by date, filtered. `None` when the entity is unknown.
    pub fn timeline(&self, q: &TimelineQuery) -> Option<Paged<EventView>> {
        let only: Option<&Vec<usize>> = match &q.entity {
            Some(id) => Some(&self.entity_events[self.entity_idx(id)?]),
            None => None,
        };
        let from = q.from.map(|b| b.first_day());
        let to = q.to.map(|b| b.last_day());
        let ranged = from.is_some() || to.is_some();
        let it = self.events_by_date.iter().copied().filter(|&i| {
            let e = &self.export.events[i];
            if only.is_some_and(|v| !v.contains(&i)) {
                return false;
            }
            if q.kind.as_deref().is_some_and(|k| k != e.kind) {
                return false;
            }
            if !ranged {
                return true;
            }
            let Some((s, t)) = e
                .date
                .as_ref()
                .and_then(|d| d.value.as_deref())
                .and_then(dates::span_of)
            else {
                return false;
            };
            from.is_none_or(|f| f <= t) && to.is_none_or(|x| x >= s)
        });
        Some(Paged::from_iter(it, q.page).map_items(|i| self.event_view(i)))
    }

    /// Claims, filtered. `None` when the entity or event is unknown.
    pub fn claims(&self, q: &ClaimQuery) -> Option<Paged<ClaimView>> {
        let mut set: Option<Vec<usize>> = None;
        if let Some(id) = &q.entity {
            set = Some(self.entity_claims[self.entity_idx(id)?].clone());
        }
        if let Some(id) = &q.event {
            let ev = &self.event_claims[*self.events.get(id)?];
            set = Some(match set {
                Some(s) => s.into_iter().filter(|c| ev.contains(c)).collect(),
                None => ev.clone(),
            });
        }
        let mut list = set.unwrap_or_else(|| (0..self.export.claims.len()).collect());
        list.sort_unstable();
        let it = list.into_iter().filter(|&c| {
            self.claim_ok(c) && (!q.disputed || !self.claim_contradicts[c].is_empty())
        });
        Some(Paged::from_iter(it, q.page).map_items(|c| self.claim_view(c)))
    }

    /// Corpus counts.
    pub fn stats(&self) -> Stats {
        let x = &self.export;
        let count = |it: &mut dyn Iterator<Item = &String>| {
            let mut m = BTreeMap::new();
            for k in it {
                *m.entry(k.clone()).or_insert(0) += 1;
            }
            m
        };
        let mut published: Vec<&str> = x
            .documents
            .iter()
            .filter_map(|d| d.published.as_deref())
            .collect();
        published.sort_unstable();
        Stats {
            documents: x.documents.len(),
            entities: x.entities.len(),
            entities_by_type: count(&mut x.entities.iter().map(|e| &e.kind)),
            events: x.events.len(),
            events_by_type: count(&mut x.events.iter().map(|e| &e.kind)),
            relations: x.relations.len(),
            relations_by_type: count(&mut x.relations.iter().map(|r| &r.kind)),
            claims: x.claims.len(),
            disputed_claims: self
                .claim_contradicts
                .iter()
                .filter(|v| !v.is_empty())
                .count(),
            corroborated_claims: (0..x.claims.len())
                .filter(|&c| {
                    self.claim_contradicts[c].is_empty() && !self.claim_supports[c].is_empty()
                })
                .count(),
            times: x.times.len(),
            mentions: x.entities.iter().map(|e| e.mentions.len()).sum(),
            published_first: published.first().map(|s| s.to_string()),
            published_last: published.last().map(|s| s.to_string()),
            problems: self.problems.len(),
        }
    }
}

impl<T> Paged<T> {
    pub(crate) fn map_items<U>(self, f: impl FnMut(T) -> U) -> Paged<U> {
        Paged {
            total: self.total,
            offset: self.offset,
            limit: self.limit,
            items: self.items.into_iter().map(f).collect(),
        }
    }
}
