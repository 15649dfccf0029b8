//! An entity's state across documents: what its members say, merged and
//! bounded. Comparing with an entity costs the same whatever its size, and
//! the state is all the resolver stores and reads of an entity.

use crate::name::{class_of, EntityName, NameClass};
use crate::profile::{name_keys, Fate, Profile};
use dossier_names::Gender;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// Bounds of a state: the most used of each feature are kept.
pub const MAX_NAMES: usize = 16;
pub const MAX_CO: usize = 32;
pub const MAX_PLACES: usize = 16;
pub const MAX_TERMS: usize = 48;
pub const MAX_DESC: usize = 16;
pub const MAX_FATES: usize = 8;
pub const MAX_KEYS: usize = 64;

/// A document-level entity: (document id, index in the document).
pub type MemberRef = (String, u32);

/// A name form and how many members use it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct NameUse {
    pub text: String,
    /// Members that use it.
    pub docs: u32,
    /// Members that use it as a name rather than as an alias.
    pub as_name: u32,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
pub struct EntityState {
    /// The member the entity was first made from: its id derives from it.
    pub anchor: MemberRef,
    pub members: u32,
    pub mentions: u32,
    /// Mentions per entity type.
    pub labels: BTreeMap<String, u32>,
    pub names: Vec<NameUse>,
    /// Shown when the entity has no name ("the facility").
    pub fallback: String,
    /// Co-mentioned identity keys: members naming them, and a shown name.
    pub co: BTreeMap<String, (f32, String)>,
    pub places: BTreeMap<String, f32>,
    /// Sum of the members' unit-length context vectors (sublinear tf).
    pub terms: BTreeMap<String, f32>,
    pub desc: BTreeMap<String, u32>,
    pub fates: Vec<Fate>,
    pub head: Option<String>,
    /// Every member was a short name that fit several entities.
    pub ambiguous: bool,
    /// Members a document calls a woman, and a man ("Mrs.", "Nancy", "she").
    #[serde(default)]
    pub women: u32,
    #[serde(default)]
    pub men: u32,
}

/// Keeps the `n` heaviest entries (ties by key).
pub(crate) fn keep_top<V: Clone>(
    m: &mut BTreeMap<String, V>,
    n: usize,
    weight: impl Fn(&V) -> f64,
) {
    if m.len() <= n {
        return;
    }
    let mut v: Vec<(String, V)> = std::mem::take(m).into_iter().collect();
    v.sort_by(|a, b| weight(&b.1).total_cmp(&weight(&a.1)).then(a.0.cmp(&b.0)));
    v.truncate(n);
    *m = v.into_iter().collect();
}

impl EntityState {
    pub fn from_profile(p: &Profile) -> EntityState {
        let mut names = Vec::new();
        for n in &p.names {
            if names.iter().any(|u: &NameUse| &u.text == n) {
                continue;
            }
            names.push(NameUse {
                text: n.clone(),
                docs: 1,
                as_name: u32::from(!p.aliases.contains(n)),
            });
        }
        let norm: f32 = p
            .terms
            .values()
            .map(|c| (1.0 + c.ln()).powi(2))
            .sum::<f32>()
            .sqrt();
        let terms = p
            .terms
            .iter()
            .filter(|(_, c)| **c >= 1.0 && norm > 0.0)
            .map(|(t, c)| (t.clone(), (1.0 + c.ln()) / norm))
            .collect();
        let mut desc = BTreeMap::new();
        for d in &p.descriptions {
            for w in d.split_whitespace() {
                let w = w
                    .trim_matches(|c: char| !c.is_alphanumeric())
                    .to_lowercase();
                if w.chars().count() > 3 {
                    desc.insert(w, 1);
                }
            }
        }
        let mut s = EntityState {
            anchor: (p.doc.clone(), p.local as u32),
            members: 1,
            mentions: p.mentions as u32,
            labels: BTreeMap::from([(p.label.clone(), p.mentions.max(1) as u32)]),
            names,
            fallback: p.name.clone(),
            co: p
                .co
                .iter()
                .map(|(k, shown)| (k.clone(), (1.0, shown.clone())))
                .collect(),
            places: p.places.iter().map(|k| (k.clone(), 1.0)).collect(),
            terms,
            desc,
            fates: p.fates.clone(),
            head: p.head.clone(),
            ambiguous: p.ambiguous,
            women: u32::from(p.gender == Some(Gender::Female)),
            men: u32::from(p.gender == Some(Gender::Male)),
        };
        s.bound();
        s
    }

    /// Adds another state's members (the anchor stays this one's).
    pub fn absorb(&mut self, o: &EntityState) {
        self.members += o.members;
        self.mentions += o.mentions;
        for (l, n) in &o.labels {
            *self.labels.entry(l.clone()).or_default() += n;
        }
        for u in &o.names {
            match self.names.iter_mut().find(|x| x.text == u.text) {
                Some(x) => {
                    x.docs += u.docs;
                    x.as_name += u.as_name;
                }
                None => self.names.push(u.clone()),
            }
        }
        if self.fallback.is_empty() {
            self.fallback = o.fallback.clone();
        }
        for (k, (n, shown)) in &o.co {
            self.co.entry(k.clone()).or_insert((0.0, shown.clone())).0 += n;
        }
        for (k, n) in &o.places {
            *self.places.entry(k.clone()).or_default() += n;
        }
        for (k, n) in &o.terms {
            *self.terms.entry(k.clone()).or_default() += n;
        }
        for (k, n) in &o.desc {
            *self.desc.entry(k.clone()).or_default() += n;
        }
        for f in &o.fates {
            if !self.fates.contains(f) {
                self.fates.push(f.clone());
            }
        }
        if self.head.is_none() {
            self.head = o.head.clone();
        }
        self.ambiguous &= o.ambiguous;
        self.women += o.women;
        self.men += o.men;
        self.bound();
    }

    fn bound(&mut self) {
        self.names.sort_by(|a, b| {
            b.docs
                .cmp(&a.docs)
                .then(b.text.len().cmp(&a.text.len()))
                .then(a.text.cmp(&b.text))
        });
        self.names.truncate(MAX_NAMES);
        keep_top(&mut self.co, MAX_CO, |v| v.0 as f64);
        keep_top(&mut self.places, MAX_PLACES, |v| *v as f64);
        keep_top(&mut self.terms, MAX_TERMS, |v| *v as f64);
        keep_top(&mut self.desc, MAX_DESC, |v| *v as f64);
        self.fates.truncate(MAX_FATES);
    }

    /// The entity type most of its mentions carry.
    /// Whether its members are a woman or a man: what at least three in
    /// four of the members that say so say.
    pub fn gender(&self) -> Option<Gender> {
        if self.women > 0 && self.women >= 3 * self.men {
            Some(Gender::Female)
        } else if self.men > 0 && self.men >= 3 * self.women {
            Some(Gender::Male)
        } else {
            None
        }
    }

    pub fn label(&self) -> String {
        self.labels
            .iter()
            .max_by(|a, b| a.1.cmp(b.1).then(b.0.cmp(a.0)))
            .map(|(l, _)| l.clone())
            .unwrap_or_default()
    }

    pub fn class(&self) -> NameClass {
        class_of(&self.label())
    }

    /// Blocking keys: those of its names under each type a fifth of its
    /// mentions carry, and of its head word.
    pub fn keys(&self) -> Vec<String> {
        let total: u32 = self.labels.values().sum();
        let names: Vec<String> = self.names.iter().map(|u| u.text.clone()).collect();
        let mut keys: Vec<String> = Vec::new();
        let mut labels: Vec<(&String, &u32)> = self.labels.iter().collect();
        labels.sort_by(|a, b| b.1.cmp(a.1).then(a.0.cmp(b.0)));
        for (l, n) in labels {
            if *n * 5 < total {
                continue;
            }
            for k in name_keys(l, &names, self.head.as_deref()) {
                if !keys.contains(&k) {
                    keys.push(k);
                }
            }
        }
        keys.truncate(MAX_KEYS);
        keys
    }

    /// The name to show. A person: the fullest well-attested name; an
    /// organisation or place: the name most sources use ("Iran", not "the
    /// Islamic Republic of Iran").
    pub fn display_name(&self) -> String {
        let label = self.label();
        let class = class_of(&label);
        let person = label == "PERSON";
        self.names
            .iter()
            .max_by(|a, b| {
                let key = |u: &NameUse| {
                    let size = EntityName::parse(class, &u.text).size();
                    let spelled_out = !is_shouted(&u.text) as usize;
                    let full = (size > 1) as usize;
                    if person {
                        (
                            spelled_out,
                            full,
                            u.as_name as usize,
                            u.docs as usize,
                            size.min(4),
                        )
                    } else {
                        (
                            spelled_out,
                            u.as_name as usize,
                            u.docs as usize,
                            full,
                            size.min(4),
                        )
                    }
                };
                key(a)
                    .cmp(&key(b))
                    .then(a.text.len().cmp(&b.text.len()))
                    .then(b.text.cmp(&a.text))
            })
            .map(|u| u.text.clone())
            .unwrap_or_else(|| self.fallback.clone())
    }
}

pub(crate) fn is_generation(s: &str) -> bool {
    matches!(s, "jr" | "sr" | "junior" | "senior" | "ii" | "iii" | "iv")
}

/// An acronym or a name in capitals ("US", "F.B.I", "KABUL"): shown only
/// when the entity has no name written out.
fn is_shouted(name: &str) -> bool {
    let letters: Vec<char> = name.chars().filter(|c| c.is_alphabetic()).collect();
    letters.len() >= 2 && letters.iter().all(|c| c.is_uppercase())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn profile(doc: &str, names: &[&str], co: &[&str]) -> Profile {
        Profile {
            doc: doc.into(),
            local: 0,
            label: "PERSON".into(),
            name: names[0].into(),
            names: names.iter().map(|s| s.to_string()).collect(),
            aliases: Vec::new(),
            keys: Vec::new(),
            co: co.iter().map(|c| (c.to_string(), c.to_string())).collect(),
            places: Vec::new(),
            terms: BTreeMap::from([("war".to_string(), 2.0)]),
            descriptions: vec!["Egyptian national".into()],
            ambiguous: false,
            mentions: 3,
            head: None,
            evidence: (0, 0, String::new()),
            fates: Vec::new(),
            gender: None,
        }
    }

    #[test]
    fn absorbing_sums_and_stays_bounded() {
        let mut s = EntityState::from_profile(&profile("a", &["Abu Muhsin al-Masri"], &["ORG:x"]));
        for i in 0..200 {
            let co = format!("ORG:c{i}");
            let name = format!("Name{i} Masri");
            let o = EntityState::from_profile(&profile(&format!("d{i}"), &[&name], &[&co]));
            s.absorb(&o);
        }
        assert_eq!(s.members, 201);
        assert_eq!(s.mentions, 603);
        assert!(s.names.len() <= MAX_NAMES);
        assert!(s.co.len() <= MAX_CO);
        assert!(s.keys().len() <= MAX_KEYS);
        assert_eq!(s.anchor, ("a".to_string(), 0));
        assert!((s.terms["war"] - 201.0).abs() < 1e-3);
        assert_eq!(s.desc["egyptian"], 201);
    }

    #[test]
    fn a_suffix_stays_in_the_name() {
        let s = EntityState::from_profile(&profile("a", &["Donald Trump Jr."], &[]));
        assert_eq!(s.display_name(), "Donald Trump Jr.");
    }
}
