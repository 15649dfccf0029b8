//! What one document says about one of its entities, condensed for
//! comparison with other documents: names, the entities it is mentioned
//! with, places near it, descriptions and the words around it.

use crate::local::LocalEntity;
use crate::name::{class_of, plain_key, EntityName, NameClass};
use dossier_core::parse::Doc;
use dossier_core::MentionKind;
use dossier_names::Gender;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// A local entity's features. Stored with the document, so that later
/// builds can compare new documents with it without re-reading it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Profile {
    pub doc: String,
    /// Index of the local entity within its document.
    pub local: usize,
    pub label: String,
    pub name: String,
    pub names: Vec<String>,
    /// Names taken from "also known as" cues (also in `names`).
    #[serde(default)]
    pub aliases: Vec<String>,
    pub keys: Vec<String>,
    /// Identity keys of the other named entities of the document, with the
    /// name shown for each.
    pub co: Vec<(String, String)>,
    /// Place keys in the sentences that mention this entity.
    pub places: Vec<String>,
    /// Content-word lemmas around the mentions, with counts.
    pub terms: BTreeMap<String, f32>,
    pub descriptions: Vec<String>,
    pub ambiguous: bool,
    pub mentions: usize,
    /// Head word of a nominal entity (evaluations on gold mentions).
    #[serde(default)]
    pub head: Option<String>,
    /// The best mention, for explanations: code-point offsets and text.
    pub evidence: (usize, usize, String),
    /// What the document says happened to the entity (deaths, killings),
    /// used to keep apart people whose fates contradict.
    #[serde(default)]
    pub fates: Vec<Fate>,
    /// Whether the document calls the person a woman or a man.
    #[serde(default)]
    pub gender: Option<Gender>,
}

/// A death or killing reported for an entity, with where and when.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Fate {
    pub kind: String,
    pub place: Option<String>,
    pub date: Option<String>,
}

const PLACE_LABELS: &[&str] = &["GPE", "LOC", "FAC"];

/// The identity key of an entity name, used for co-mention overlap.
pub fn identity_key(label: &str, name: &str) -> String {
    let n = EntityName::parse(class_of(label), name);
    let k = n.key();
    if k.is_empty() {
        format!("{label}:{}", plain_key(name))
    } else {
        format!("{label}:{k}")
    }
}

/// Blocking keys of names under an entity type. Names typed PERSON, GPE
/// or NORP may be organisations the NER mistyped ("al Qaida" as PERSON):
/// they also get the keys an organisation name would have; multi-word
/// names also meet across entity types.
pub fn name_keys(label: &str, names: &[String], head: Option<&str>) -> Vec<String> {
    let mut keys: Vec<String> = Vec::new();
    let mut add = |k: String| {
        if !keys.contains(&k) {
            keys.push(k);
        }
    };
    for n in names {
        for k in EntityName::parse(class_of(label), n).blocking_keys() {
            add(format!("{label}:{k}"));
        }
    }
    if matches!(label, "PERSON" | "GPE" | "NORP") {
        for n in names {
            for k in EntityName::parse(NameClass::Org, n).blocking_keys() {
                add(format!("ORG:{k}"));
            }
        }
    }
    for n in names {
        let k = plain_key(n);
        if k.contains(' ') {
            add(format!("name:{k}"));
        }
    }
    if let Some(h) = head {
        add(format!("head:{h}"));
    }
    keys
}

fn is_content(t: &dossier_core::parse::Token) -> bool {
    matches!(t.pos.as_str(), "NOUN" | "VERB" | "ADJ" | "PROPN") && t.lemma.chars().count() > 2
}

/// Profiles of a document's local entities. `char_of` converts byte
/// offsets to code points.
pub fn profiles(
    doc_id: &str,
    text: &str,
    doc: &Doc,
    locals: &[LocalEntity],
    char_of: &dyn Fn(usize) -> usize,
) -> Vec<Profile> {
    let ids: Vec<String> = locals
        .iter()
        .map(|l| identity_key(&l.label, &l.name))
        .collect();
    let sentence_of = |byte: usize| {
        doc.sents.iter().position(|r| {
            let s = doc.tokens.get(r.start).map_or(0, |t| t.start);
            let e = doc.tokens.get(r.end.saturating_sub(1)).map_or(0, |t| t.end);
            s <= byte && byte < e.max(s + 1)
        })
    };
    // Sentences each local entity is mentioned in.
    let sents: Vec<Vec<usize>> = locals
        .iter()
        .map(|l| {
            let mut v: Vec<usize> = l
                .mentions
                .iter()
                .filter_map(|m| sentence_of(m.start))
                .collect();
            v.sort();
            v.dedup();
            v
        })
        .collect();
    let mut doc_terms: BTreeMap<String, f32> = BTreeMap::new();
    for t in &doc.tokens {
        if is_content(t) {
            *doc_terms.entry(t.lemma.to_lowercase()).or_default() += 1.0;
        }
    }
    locals
        .iter()
        .enumerate()
        .map(|(i, l)| {
            let mut co: Vec<(String, String)> = ids
                .iter()
                .enumerate()
                .filter(|(j, k)| *j != i && locals[*j].head.is_none() && **k != ids[i])
                .map(|(j, k)| (k.clone(), locals[j].name.clone()))
                .collect();
            co.sort();
            co.dedup_by(|a, b| a.0 == b.0);
            let mut places: Vec<String> = locals
                .iter()
                .enumerate()
                .filter(|(j, p)| {
                    *j != i
                        && PLACE_LABELS.contains(&p.label.as_str())
                        && sents[*j].iter().any(|s| sents[i].contains(s))
                })
                .map(|(_, p)| plain_key(&p.name))
                .collect();
            places.sort();
            places.dedup();
            // Words of the whole article, and twice those of the sentences
            // that mention the entity: short articles say little around
            // each mention, and the article's topic is context too.
            let mut terms = doc_terms.clone();
            for &s in &sents[i] {
                if let Some(r) = doc.sents.get(s) {
                    for t in &doc.tokens[r.clone()] {
                        if is_content(t) {
                            *terms.entry(t.lemma.to_lowercase()).or_default() += 1.0;
                        }
                    }
                }
            }
            // Only the most frequent words are compared (see
            // `state::MAX_TERMS`); the rest would only take room.
            crate::state::keep_top(&mut terms, crate::state::MAX_TERMS, |v| *v as f64);
            let best = l
                .mentions
                .iter()
                .filter(|m| m.kind == MentionKind::Name)
                .max_by_key(|m| (m.end - m.start, std::cmp::Reverse(m.start)))
                .or_else(|| l.mentions.first());
            let evidence = best
                .map(|m| {
                    (
                        char_of(m.start),
                        char_of(m.end),
                        text[m.start..m.end].to_string(),
                    )
                })
                .unwrap_or((0, 0, String::new()));
            let keys = name_keys(&l.label, &l.names, l.head.as_deref());
            Profile {
                doc: doc_id.to_string(),
                local: i,
                label: l.label.clone(),
                name: l.name.clone(),
                names: l.names.clone(),
                aliases: l.aliases.iter().map(|a| a.name.clone()).collect(),
                keys,
                co,
                places,
                terms,
                descriptions: l.descriptions.iter().map(|d| d.text.clone()).collect(),
                ambiguous: l.ambiguous,
                mentions: l.mentions.len(),
                head: l.head.clone(),
                evidence,
                fates: Vec::new(),
                gender: l.gender,
            }
        })
        .collect()
}

/// A one-name profile of document "d" for unit tests: `label`, `name`, and
/// the blocking keys that name makes.
#[cfg(test)]
pub(crate) fn test_profile(label: &str, name: &str) -> Profile {
    Profile {
        doc: "d".into(),
        local: 0,
        label: label.into(),
        name: name.into(),
        names: vec![name.into()],
        aliases: Vec::new(),
        keys: name_keys(label, &[name.to_string()], None),
        co: Vec::new(),
        places: Vec::new(),
        terms: BTreeMap::new(),
        descriptions: Vec::new(),
        ambiguous: false,
        mentions: 1,
        head: None,
        evidence: (0, 0, String::new()),
        fates: Vec::new(),
        gender: None,
    }
}
