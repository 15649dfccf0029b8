//! The one-liner that tells entities sharing a name apart: what it is, how
//! sources describe it, who and where it appears with, when, and in how many
//! documents.

use crate::search::name_parts;
use crate::views::EntityRef;
use crate::{dates, Index};
use serde::Serialize;
use std::collections::{HashMap, HashSet};

/// How many co-mentioned entities and places a summary names.
const KEY_NEIGHBOURS: usize = 3;

const PLACE_TYPES: &[&str] = &["GPE", "LOC", "FAC"];

/// The disambiguating summary of an entity (what `dossier who` prints).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Summary {
    pub id: String,
    #[serde(rename = "type")]
    pub kind: String,
    pub name: String,
    /// The best-attested description ("the group's deputy leader").
    pub description: Option<String>,
    /// How it ended, when its killing or death is reported: "killed in
    /// Tehran 2020-08-07".
    pub fate: Option<String>,
    /// The people and organisations it most often appears with.
    pub co_mentions: Vec<EntityRef>,
    /// Where its events happened, else the places named alongside it.
    pub places: Vec<EntityRef>,
    /// Date range of its events, else of the documents that mention it.
    pub first_date: Option<String>,
    pub last_date: Option<String>,
    /// `events` or `published`: where the date range comes from.
    pub dates_from: Option<&'static str>,
    /// Number of documents that mention it.
    pub documents: usize,
    /// All of the above as one line of text.
    pub line: String,
}

fn type_word(kind: &str) -> &str {
    match kind {
        "PERSON" => "person",
        "ORG" => "organisation",
        "GPE" => "country, city or state",
        "LOC" => "location",
        "FAC" => "facility",
        "NORP" => "nationality or group",
        "EVENT" => "named event",
        "WORK_OF_ART" => "work",
        "LAW" => "law",
        "PRODUCT" => "product",
        other => other,
    }
}

/// Significant (non-article) name parts.
fn significant_parts(name: &str) -> HashSet<String> {
    const ARTICLES: &[&str] = &["al", "el", "ul", "ad", "ar", "as", "ash", "at", "az", "an"];
    name_parts(name)
        .into_iter()
        .filter(|p| !ARTICLES.contains(&p.as_str()))
        .collect()
}

impl Index {
    /// The summary of the entity with this id.
    pub fn summary(&self, id: &str) -> Option<&Summary> {
        self.entity_idx(id).map(|i| self.summary_at(i))
    }

    pub(crate) fn summary_at(&self, i: usize) -> &Summary {
        self.summaries[i].get_or_init(|| self.make_summary(i))
    }

    /// Entities sharing documents with entity `i`, with how many documents
    /// they share, most first (ties by name).
    pub(crate) fn co_mentions(&self, i: usize) -> Vec<(usize, usize)> {
        let mut counts: HashMap<usize, usize> = HashMap::new();
        for &d in &self.entity_docs[i] {
            for &o in &self.doc_entities[d] {
                if o != i {
                    *counts.entry(o).or_default() += 1;
                }
            }
        }
        let mut v: Vec<(usize, usize)> = counts.into_iter().collect();
        v.sort_by(|a, b| {
            b.1.cmp(&a.1)
                .then_with(|| {
                    self.export.entities[a.0]
                        .name
                        .cmp(&self.export.entities[b.0].name)
                })
                .then(a.0.cmp(&b.0))
        });
        v
    }

    /// Whether `o` looks like a shortened or longer form of `i`'s own name
    /// ("Tunisi" next to "Abu Yusuf al-Tunisi"): an unmerged mention of the
    /// same thing says nothing about who it is.
    fn same_name(&self, i: usize, o: usize) -> bool {
        let a = significant_parts(&self.export.entities[i].name);
        let b = significant_parts(&self.export.entities[o].name);
        !a.is_empty() && !b.is_empty() && (a.is_subset(&b) || b.is_subset(&a))
    }

    fn make_summary(&self, i: usize) -> Summary {
        let e = &self.export.entities[i];
        let is_place = |o: usize| PLACE_TYPES.contains(&self.export.entities[o].kind.as_str());

        // Weighted neighbours: relations and shared events say more than
        // merely being named in the same article.
        let mut people: HashMap<usize, usize> = HashMap::new();
        let mut places: HashMap<usize, usize> = HashMap::new();
        for &r in &self.entity_relations[i] {
            let r = &self.export.relations[r];
            for id in [&r.subject, &r.object] {
                if let Some(o) = self.entity_idx(id).filter(|&o| o != i) {
                    let slot = if is_place(o) {
                        &mut places
                    } else {
                        &mut people
                    };
                    *slot.entry(o).or_default() += 3;
                }
            }
        }
        for &ev in &self.entity_events[i] {
            let ev = &self.export.events[ev];
            for p in &ev.participants {
                if let Some(o) = self.entity_idx(&p.entity).filter(|&o| o != i) {
                    let slot = if is_place(o) {
                        &mut places
                    } else {
                        &mut people
                    };
                    *slot.entry(o).or_default() += 2;
                }
            }
            for p in &ev.places {
                if let Some(o) = self.entity_idx(p).filter(|&o| o != i) {
                    *places.entry(o).or_default() += 3;
                }
            }
        }
        for (o, n) in self.co_mentions(i) {
            let slot = if is_place(o) {
                &mut places
            } else {
                &mut people
            };
            *slot.entry(o).or_default() += n;
        }
        let top = |m: HashMap<usize, usize>| -> Vec<EntityRef> {
            let mut v: Vec<(usize, usize)> = m
                .into_iter()
                .filter(|&(o, _)| !self.same_name(i, o))
                .collect();
            v.sort_by(|a, b| {
                b.1.cmp(&a.1)
                    .then_with(|| {
                        self.export.entities[a.0]
                            .name
                            .cmp(&self.export.entities[b.0].name)
                    })
                    .then(a.0.cmp(&b.0))
            });
            let mut out: Vec<EntityRef> = Vec::new();
            for (o, _) in v {
                let r = self.entity_ref(o);
                // Two unmerged entities with one name would read as a repeat.
                if !out.iter().any(|x| x.name == r.name) {
                    out.push(r);
                }
                if out.len() == KEY_NEIGHBOURS {
                    break;
                }
            }
            out
        };
        let people = top(people);
        let places = if is_place(i) { Vec::new() } else { top(places) };

        let description = e
            .descriptions
            .iter()
            .enumerate()
            .max_by_key(|(k, d)| (d.evidence.len(), std::cmp::Reverse(*k)))
            .map(|(_, d)| d.text.clone());

        let fate = self.fate(i);
        let (first_date, last_date, dates_from) = self.date_range(i);
        let documents = self.entity_docs[i].len();

        let mut line = vec![type_word(&e.kind).to_string()];
        if let Some(d) = &description {
            line.push(d.clone());
        }
        if let Some(f) = &fate {
            line.push(f.clone());
        }
        if !people.is_empty() {
            let names: Vec<&str> = people.iter().map(|p| p.name.as_str()).collect();
            line.push(format!("with {}", names.join(", ")));
        }
        if !places.is_empty() {
            let names: Vec<&str> = places.iter().map(|p| p.name.as_str()).collect();
            line.push(format!("in {}", names.join(", ")));
        }
        match (&first_date, &last_date, dates_from) {
            (Some(a), Some(b), Some(src)) => {
                let range = if a == b {
                    a.clone()
                } else {
                    format!("{a} – {b}")
                };
                line.push(if src == "events" {
                    range
                } else {
                    format!("reported {range}")
                });
            }
            _ => line.push("undated".into()),
        }
        line.push(if documents == 1 {
            "1 document".into()
        } else {
            format!("{documents} documents")
        });

        Summary {
            id: e.id.clone(),
            kind: e.kind.clone(),
            name: e.name.clone(),
            description,
            fate,
            co_mentions: people,
            places,
            first_date,
            last_date,
            dates_from,
            documents,
            line: line.join(" · "),
        }
    }

    /// The best-attested killing or death of which it is the victim, in
    /// words.
    fn fate(&self, i: usize) -> Option<String> {
        let id = &self.export.entities[i].id;
        let ev = self.entity_events[i]
            .iter()
            .map(|&k| &self.export.events[k])
            .filter(|ev| matches!(ev.kind.as_str(), "killing" | "death"))
            .filter(|ev| {
                ev.participants
                    .iter()
                    .any(|p| p.role == "victim" && p.entity == *id)
            })
            .max_by_key(|ev| (ev.documents.len(), ev.evidence.len()))?;
        let mut words = vec![if ev.kind == "killing" {
            "killed"
        } else {
            "died"
        }
        .to_string()];
        let places: Vec<&str> = ev
            .places
            .iter()
            .filter_map(|p| self.entity_idx(p))
            .map(|o| self.export.entities[o].name.as_str())
            .take(2)
            .collect();
        if !places.is_empty() {
            words.push(format!("in {}", places.join(", ")));
        }
        if let Some(v) = ev.date.as_ref().and_then(|d| d.value.clone()) {
            words.push(v);
        }
        Some(words.join(" "))
    }

    /// Earliest and latest dates of the entity's events, else of the
    /// publication dates of its documents.
    fn date_range(&self, i: usize) -> (Option<String>, Option<String>, Option<&'static str>) {
        let event_dates = self.entity_events[i].iter().filter_map(|&ev| {
            self.export.events[ev]
                .date
                .as_ref()
                .and_then(|d| d.value.as_deref())
        });
        if let Some(r) = range_of(event_dates) {
            return (Some(r.0), Some(r.1), Some("events"));
        }
        let published = self.entity_docs[i]
            .iter()
            .filter_map(|&d| self.export.documents[d].published.as_deref());
        match range_of(published) {
            Some(r) => (Some(r.0), Some(r.1), Some("published")),
            None => (None, None, None),
        }
    }
}

/// The earliest-starting and latest-ending of some ISO date strings.
fn range_of<'a>(values: impl Iterator<Item = &'a str>) -> Option<(String, String)> {
    let mut first: Option<(dates::Day, &str)> = None;
    let mut last: Option<(dates::Day, &str)> = None;
    for v in values {
        let Some((s, e)) = dates::span_of(v) else {
            continue;
        };
        if first.is_none_or(|(d, _)| d > s) {
            first = Some((s, v));
        }
        if last.is_none_or(|(d, _)| d < e) {
            last = Some((e, v));
        }
    }
    Some((first?.1.to_string(), last?.1.to_string()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn range_keeps_written_precision() {
        let r = range_of(["2020-08-07", "2019", "2021-03", "nonsense"].into_iter());
        assert_eq!(r, Some(("2019".into(), "2021-03".into())));
        assert_eq!(range_of(std::iter::empty()), None);
    }
}
