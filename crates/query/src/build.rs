//! Building the index: id maps, per-entity and per-document lists, and the
//! checks that keep bad references out of the views.

use crate::{dates, search, Index, Problem};
use dossier_core::{CharIndex, Export, Span};
use std::collections::HashMap;
use std::sync::OnceLock;

fn id_map<'a>(
    ids: impl Iterator<Item = &'a str>,
    what: &str,
    problems: &mut Vec<Problem>,
) -> HashMap<String, usize> {
    let mut map = HashMap::new();
    for (i, id) in ids.enumerate() {
        if map.contains_key(id) {
            problems.push(Problem {
                item: format!("{what} {id}"),
                problem: "duplicate id; the first one is used".into(),
            });
        } else {
            map.insert(id.to_string(), i);
        }
    }
    map
}

fn push_unique(v: &mut Vec<usize>, x: usize) {
    if !v.contains(&x) {
        v.push(x);
    }
}

struct Checker<'a> {
    docs: &'a HashMap<String, usize>,
    chars: Vec<CharIndex>,
    texts: Vec<&'a str>,
}

impl Checker<'_> {
    /// The document index of a span whose offsets fit its document.
    fn check(&self, span: &Span, item: &str, problems: &mut Vec<Problem>) -> Option<usize> {
        let Some(&d) = self.docs.get(&span.doc) else {
            problems.push(Problem {
                item: item.to_string(),
                problem: format!("evidence in unknown document {}", span.doc),
            });
            return None;
        };
        let len = self.chars[d].len();
        if span.start > span.end || span.end > len {
            problems.push(Problem {
                item: item.to_string(),
                problem: format!(
                    "span {}..{} does not fit document {} ({len} characters)",
                    span.start, span.end, span.doc
                ),
            });
            return None;
        }
        let (b0, b1) = (
            self.chars[d].byte_of_char(span.start),
            self.chars[d].byte_of_char(span.end),
        );
        if self.texts[d].get(b0..b1) != Some(span.text.as_str()) {
            // Offsets are authoritative; the text is a convenience copy.
            problems.push(Problem {
                item: item.to_string(),
                problem: format!(
                    "span {}..{} in {} says {:?} but the document has {:?} there",
                    span.start,
                    span.end,
                    span.doc,
                    span.text,
                    self.texts[d].get(b0..b1).unwrap_or("")
                ),
            });
        }
        Some(d)
    }
}

pub(crate) fn build(export: Export) -> Index {
    let mut problems = Vec::new();
    let docs = id_map(
        export.documents.iter().map(|d| d.id.as_str()),
        "document",
        &mut problems,
    );
    let entities = id_map(
        export.entities.iter().map(|e| e.id.as_str()),
        "entity",
        &mut problems,
    );
    let events = id_map(
        export.events.iter().map(|e| e.id.as_str()),
        "event",
        &mut problems,
    );
    let claims = id_map(
        export.claims.iter().map(|c| c.id.as_str()),
        "claim",
        &mut problems,
    );
    let nd = export.documents.len();
    let ne = export.entities.len();
    let checker = Checker {
        docs: &docs,
        chars: export
            .documents
            .iter()
            .map(|d| CharIndex::new(&d.text))
            .collect(),
        texts: export.documents.iter().map(|d| d.text.as_str()).collect(),
    };
    let doc_len: Vec<usize> = checker.chars.iter().map(CharIndex::len).collect();

    let mut entity_docs = vec![Vec::new(); ne];
    let mut doc_entities = vec![Vec::new(); nd];
    for (i, e) in export.entities.iter().enumerate() {
        let item = format!("entity {}", e.id);
        let spans = e
            .mentions
            .iter()
            .chain(e.descriptions.iter().flat_map(|d| &d.evidence))
            .chain(e.merges.iter().flat_map(|m| &m.evidence));
        for s in spans {
            if let Some(d) = checker.check(s, &item, &mut problems) {
                push_unique(&mut entity_docs[i], d);
                push_unique(&mut doc_entities[d], i);
            }
        }
        entity_docs[i].sort_unstable();
    }

    let mut entity_events = vec![Vec::new(); ne];
    let mut doc_events = vec![Vec::new(); nd];
    for (i, ev) in export.events.iter().enumerate() {
        let item = format!("event {}", ev.id);
        let refs = ev
            .participants
            .iter()
            .map(|p| p.entity.as_str())
            .chain(ev.places.iter().map(String::as_str));
        for id in refs {
            match entities.get(id) {
                Some(&e) => push_unique(&mut entity_events[e], i),
                None => problems.push(Problem {
                    item: item.clone(),
                    problem: format!("unknown entity {id}"),
                }),
            }
        }
        for s in &ev.evidence {
            if let Some(d) = checker.check(s, &item, &mut problems) {
                push_unique(&mut doc_events[d], i);
            }
        }
        for id in &ev.documents {
            match docs.get(id) {
                Some(&d) => push_unique(&mut doc_events[d], i),
                None => problems.push(Problem {
                    item: item.clone(),
                    problem: format!("unknown document {id}"),
                }),
            }
        }
    }

    let mut entity_relations = vec![Vec::new(); ne];
    let mut doc_relations = vec![Vec::new(); nd];
    for (i, r) in export.relations.iter().enumerate() {
        let item = format!("relation {}", r.id);
        for id in [&r.subject, &r.object] {
            match entities.get(id.as_str()) {
                Some(&e) => push_unique(&mut entity_relations[e], i),
                None => problems.push(Problem {
                    item: item.clone(),
                    problem: format!("unknown entity {id}"),
                }),
            }
        }
        for s in &r.evidence {
            if let Some(d) = checker.check(s, &item, &mut problems) {
                push_unique(&mut doc_relations[d], i);
            }
        }
    }

    let mut entity_claims = vec![Vec::new(); ne];
    let mut event_claims = vec![Vec::new(); export.events.len()];
    let mut doc_claims = vec![Vec::new(); nd];
    let nc = export.claims.len();
    let mut claim_supports = vec![Vec::new(); nc];
    let mut claim_contradicts = vec![Vec::new(); nc];
    for (i, c) in export.claims.iter().enumerate() {
        let item = format!("claim {}", c.id);
        let span = Span {
            doc: c.doc.clone(),
            start: c.start,
            end: c.end,
            text: c.text.clone(),
            kind: None,
        };
        if let Some(d) = checker.check(&span, &item, &mut problems) {
            doc_claims[d].push(i);
        }
        if let Some(sp) = &c.speaker {
            match entities.get(sp) {
                Some(&e) => push_unique(&mut entity_claims[e], i),
                None => problems.push(Problem {
                    item: item.clone(),
                    problem: format!("unknown speaker {sp}"),
                }),
            }
        }
        for id in &c.about {
            if let Some(&e) = entities.get(id) {
                push_unique(&mut entity_claims[e], i);
            } else if let Some(&ev) = events.get(id) {
                push_unique(&mut event_claims[ev], i);
            } else {
                problems.push(Problem {
                    item: item.clone(),
                    problem: format!("about unknown entity or event {id}"),
                });
            }
        }
        // Agreement and disagreement are mutual: show them from both sides.
        for (list, table) in [
            (&c.supports, &mut claim_supports),
            (&c.contradicts, &mut claim_contradicts),
        ] {
            for id in list {
                match claims.get(id) {
                    Some(&o) if o != i => {
                        push_unique(&mut table[i], o);
                        push_unique(&mut table[o], i);
                    }
                    Some(_) => {}
                    None => problems.push(Problem {
                        item: item.clone(),
                        problem: format!("refers to unknown claim {id}"),
                    }),
                }
            }
        }
    }

    let mut doc_times = vec![Vec::new(); nd];
    for (i, t) in export.times.iter().enumerate() {
        let span = Span {
            doc: t.doc.clone(),
            start: t.start,
            end: t.end,
            text: t.text.clone(),
            kind: None,
        };
        if let Some(d) = checker.check(&span, &format!("time {}", t.text), &mut problems) {
            doc_times[d].push(i);
        }
    }

    let mut events_by_date: Vec<usize> = (0..export.events.len()).collect();
    events_by_date.sort_by_key(|&i| {
        let span = export.events[i]
            .date
            .as_ref()
            .and_then(|d| d.value.as_deref())
            .and_then(dates::span_of);
        // Undated events sort after every dated one.
        (span.is_none(), span)
    });

    let names = search::NameIndex::build(&export.entities);
    let summaries = (0..ne).map(|_| OnceLock::new()).collect();
    drop(checker);
    Index {
        docs,
        entities,
        events,
        claims,
        doc_len,
        entity_docs,
        entity_events,
        entity_relations,
        entity_claims,
        event_claims,
        doc_entities,
        doc_claims,
        doc_times,
        doc_events,
        doc_relations,
        claim_supports,
        claim_contradicts,
        events_by_date,
        names,
        summaries,
        problems,
        export,
    }
}

impl Index {
    /// Whether a span's offsets fit its document (checked at build time; the
    /// views leave out spans that do not).
    pub(crate) fn span_ok(&self, s: &Span) -> bool {
        self.docs
            .get(&s.doc)
            .is_some_and(|&d| s.start <= s.end && s.end <= self.doc_len[d])
    }
}
