//! Cross-document resolution: local entities join global entities.
//!
//! Entity-centric and incremental: each new local entity is compared only
//! with the entities that share a blocking key with it (so cost grows close
//! to linearly with the number of mentions), and joins the best one whose
//! name fits and whose context agrees, unless something contradicts: two
//! different kunyas with the same nisba, two deaths in different places,
//! or two different people of the same article. Every join is recorded
//! with its reason, score and evidence. Processing the same profiles in the
//! same order gives the same entities whether it happens in one build or in
//! several.

use crate::name::{class_of, EntityName, NameClass};
use crate::profile::Profile;
use dossier_core::stable_id;
use dossier_names::{NameMatch, PartStats, Verdict};
use std::collections::{BTreeMap, BTreeSet, HashMap};

/// Pseudo-documents added to the corpus size when weighting name parts, so
/// that a small corpus does not make every part look common.
pub const BACKGROUND_DOCUMENTS: u64 = 50;

/// Corpus statistics the comparison weights with.
#[derive(Debug, Clone, Default)]
pub struct CorpusStats {
    pub documents: u64,
    /// Document frequency of name-part keys (see `dossier_names::NamePart::stat_key`).
    pub part_df: HashMap<String, u64>,
    /// Document frequency of co-mention identity keys and place keys.
    pub key_df: HashMap<String, u64>,
    /// Document frequency of context lemmas.
    pub term_df: HashMap<String, u64>,
}

impl CorpusStats {
    pub fn part_stats(&self) -> PartStats {
        let mut s = PartStats::new();
        s.set_documents(self.documents + BACKGROUND_DOCUMENTS);
        for (k, v) in &self.part_df {
            s.set(k, *v);
        }
        s
    }

    fn idf(&self, df: Option<&u64>) -> f64 {
        let n = (self.documents + BACKGROUND_DOCUMENTS) as f64;
        let df = df.copied().unwrap_or(0) as f64;
        ((n + 1.0) / (df + 1.0)).ln()
    }

    fn key_idf(&self, k: &str) -> f64 {
        self.idf(self.key_df.get(k))
    }

    fn term_idf(&self, t: &str) -> f64 {
        self.idf(self.term_df.get(t))
    }

    /// Counts one document's profiles into the statistics.
    pub fn add_document(&mut self, profiles: &[Profile]) {
        self.documents += 1;
        for k in document_keys(profiles) {
            *self.key_df.entry(k).or_default() += 1;
        }
        for k in document_parts(profiles) {
            *self.part_df.entry(k).or_default() += 1;
        }
        let terms: BTreeSet<&String> = profiles.iter().flat_map(|p| p.terms.keys()).collect();
        for t in terms {
            *self.term_df.entry(t.clone()).or_default() += 1;
        }
    }
}

/// Distinct co-mention and place keys of a document.
pub fn document_keys(profiles: &[Profile]) -> BTreeSet<String> {
    profiles
        .iter()
        .flat_map(|p| {
            p.co.iter()
                .map(|(k, _)| k.clone())
                .chain(p.places.iter().map(|k| format!("place:{k}")))
        })
        .collect()
}

/// Distinct person-name part keys of a document.
pub fn document_parts(profiles: &[Profile]) -> BTreeSet<String> {
    profiles
        .iter()
        .filter(|p| class_of(&p.label) == NameClass::Person)
        .flat_map(|p| p.names.iter())
        .flat_map(|n| match EntityName::parse(NameClass::Person, n) {
            EntityName::Person(pn) => pn.parts.iter().map(|x| x.stat_key()).collect::<Vec<_>>(),
            _ => Vec::new(),
        })
        .collect()
}

/// Why a local entity joined its entity.
#[derive(Debug, Clone, PartialEq)]
pub struct Join {
    pub reason: String,
    pub score: f64,
    /// The entity member it was judged against (doc, local index).
    pub against: (String, usize),
}

#[derive(Debug, Clone)]
pub struct Member {
    pub profile: Profile,
    /// `None` for the entity's first member.
    pub join: Option<Join>,
}

#[derive(Debug, Clone)]
pub struct Entity {
    pub id: String,
    pub members: Vec<Member>,
}

impl Entity {
    pub fn label(&self) -> String {
        let mut counts: BTreeMap<&str, usize> = BTreeMap::new();
        for m in &self.members {
            *counts.entry(m.profile.label.as_str()).or_default() += m.profile.mentions;
        }
        counts
            .into_iter()
            .max_by_key(|(_, n)| *n)
            .map(|(l, _)| l.to_string())
            .unwrap_or_default()
    }

    /// The fullest well-attested name: most name parts, then the name used
    /// by most documents, then the longest.
    /// Among full names (two parts or more), the one most documents use
    /// as a name rather than as an "also known as" alias, then the fullest,
    /// then the longest.
    pub fn display_name(&self) -> String {
        // (full, documents using it as a name, documents, size)
        let mut by_name: BTreeMap<&str, (bool, usize, usize, usize)> = BTreeMap::new();
        let label = self.label();
        for m in &self.members {
            for n in &m.profile.names {
                let size = EntityName::parse(class_of(&label), n).size();
                let e = by_name.entry(n.as_str()).or_insert((size > 1, 0, 0, size));
                e.2 += 1;
                if !m.profile.aliases.contains(n) {
                    e.1 += 1;
                }
            }
            if m.profile.names.is_empty() && !m.profile.name.is_empty() {
                by_name
                    .entry(m.profile.name.as_str())
                    .or_insert((false, 1, 1, 0));
            }
        }
        // A person is shown by the fullest name; an organisation or place
        // by the name most sources use ("Iran", not "the Islamic Republic
        // of Iran"; "Taliban", not "Afghani Taliban").
        let person = label == "PERSON";
        by_name
            .into_iter()
            .max_by(|a, b| {
                let key = |x: &(&str, (bool, usize, usize, usize))| {
                    let (full, as_name, docs, size) = x.1;
                    let spelled_out = !is_shouted(x.0) as usize;
                    if person {
                        (spelled_out, full as usize, as_name, docs, size.min(4))
                    } else {
                        (spelled_out, as_name, docs, full as usize, size.min(4))
                    }
                };
                key(a)
                    .cmp(&key(b))
                    .then(a.0.len().cmp(&b.0.len()))
                    .then(b.0.cmp(a.0))
            })
            .map(|(n, _)| n.to_string())
            .unwrap_or_default()
    }

    pub fn keys(&self) -> BTreeSet<String> {
        self.members
            .iter()
            .flat_map(|m| m.profile.keys.iter().cloned())
            .collect()
    }
}

/// An entity's features merged over its members.
struct Agg {
    label: String,
    class: NameClass,
    names: Vec<(String, EntityName)>,
    docs: BTreeSet<String>,
    co: BTreeMap<String, (f64, String)>,
    places: BTreeMap<String, f64>,
    terms: BTreeMap<String, f64>,
    desc: BTreeSet<String>,
    fates: Vec<crate::profile::Fate>,
    short: bool,
    ambiguous: bool,
    head: Option<String>,
}

fn agg<'a>(members: impl IntoIterator<Item = &'a Profile>) -> Agg {
    let mut a = Agg {
        label: String::new(),
        class: NameClass::Plain,
        names: Vec::new(),
        docs: BTreeSet::new(),
        co: BTreeMap::new(),
        places: BTreeMap::new(),
        terms: BTreeMap::new(),
        desc: BTreeSet::new(),
        fates: Vec::new(),
        short: true,
        ambiguous: true,
        head: None,
    };
    let mut labels: BTreeMap<String, usize> = BTreeMap::new();
    for p in members {
        *labels.entry(p.label.clone()).or_default() += p.mentions;
        let class = class_of(&p.label);
        for n in &p.names {
            if !a.names.iter().any(|(t, _)| t == n) {
                let parsed = EntityName::parse(class, n);
                if parsed.size() > 1 {
                    a.short = false;
                }
                a.names.push((n.clone(), parsed));
            }
        }
        a.docs.insert(p.doc.clone());
        for (k, shown) in &p.co {
            let e = a.co.entry(k.clone()).or_insert((0.0, shown.clone()));
            e.0 += 1.0;
        }
        for k in &p.places {
            *a.places.entry(k.clone()).or_default() += 1.0;
        }
        for (t, c) in &p.terms {
            *a.terms.entry(t.clone()).or_default() += *c as f64;
        }
        for d in &p.descriptions {
            for w in d.split_whitespace() {
                let w = w
                    .trim_matches(|c: char| !c.is_alphanumeric())
                    .to_lowercase();
                if w.len() > 3 {
                    a.desc.insert(w);
                }
            }
        }
        a.fates.extend(p.fates.iter().cloned());
        a.ambiguous &= p.ambiguous;
        if a.head.is_none() {
            a.head = p.head.clone();
        }
    }
    a.label = labels
        .into_iter()
        .max_by_key(|(_, n)| *n)
        .map(|(l, _)| l)
        .unwrap_or_default();
    a.class = class_of(&a.label);
    a
}

/// The comparison of a newcomer with an entity, with its reasons.
#[derive(Debug, Clone, PartialEq)]
pub struct Assessment {
    pub merge: bool,
    pub score: f64,
    pub name: NameMatch,
    /// The best-matching pair of names.
    pub names: (String, String),
    pub context: f64,
    pub shared: Vec<String>,
    pub shared_places: Vec<String>,
    /// Something that rules the merge out, if any.
    pub cannot: Option<String>,
    pub reasons: Vec<String>,
}

impl Assessment {
    /// One line for `merges`: why the two were judged the same.
    pub fn summary(&self) -> String {
        self.reasons.join("; ")
    }
}

fn overlap(
    a: &BTreeMap<String, f64>,
    b: &BTreeMap<String, f64>,
    idf: impl Fn(&str) -> f64,
) -> (f64, Vec<String>) {
    let wa: f64 = a.keys().map(|k| idf(k)).sum();
    let wb: f64 = b.keys().map(|k| idf(k)).sum();
    if wa <= 0.0 || wb <= 0.0 {
        return (0.0, Vec::new());
    }
    let mut shared: Vec<(f64, String)> = a
        .keys()
        .filter(|k| b.contains_key(*k))
        .map(|k| (idf(k), k.clone()))
        .collect();
    let num: f64 = shared.iter().map(|(w, _)| w).sum();
    shared.sort_by(|x, y| y.0.total_cmp(&x.0).then(x.1.cmp(&y.1)));
    (
        num / (wa * wb).sqrt(),
        shared.into_iter().map(|(_, k)| k).collect(),
    )
}

fn cosine(a: &BTreeMap<String, f64>, b: &BTreeMap<String, f64>, idf: impl Fn(&str) -> f64) -> f64 {
    let w = |tf: f64, t: &str| (1.0 + tf.ln()) * idf(t);
    let na: f64 = a.iter().map(|(t, c)| w(*c, t).powi(2)).sum::<f64>().sqrt();
    let nb: f64 = b.iter().map(|(t, c)| w(*c, t).powi(2)).sum::<f64>().sqrt();
    if na == 0.0 || nb == 0.0 {
        return 0.0;
    }
    let dot: f64 = a
        .iter()
        .filter_map(|(t, c)| b.get(t).map(|d| w(*c, t) * w(*d, t)))
        .sum();
    dot / (na * nb)
}

/// Decision thresholds; see `assess`.
/// A full name this distinctive merges on its own.
const DISTINCTIVE_NAME: f64 = 0.8;
/// A short name at least this distinctive merges with some shared context.
const DISTINCTIVE_SHORT_NAME: f64 = 0.5;
/// Shared context that sets apart people who share a name: on the
/// same-name test corpus different people score 0.01-0.03 and the same
/// person 0.04 and up.
const SOME_CONTEXT: f64 = 0.04;
const SHORT_NAME_CONTEXT: f64 = 0.15;
/// Unnamed mentions with the same head word ("the facility") in documents
/// that share a little context.
const NOMINAL_CONTEXT: f64 = 0.0;

fn assess_aggs(a: &Agg, b: &Agg, stats: &CorpusStats, parts: &PartStats) -> Assessment {
    let mut reasons = Vec::new();
    let mut cannot = None;
    // Names: best pair, and any contradiction between full names.
    let mut best: Option<(NameMatch, String, String)> = None;
    for (ta, na) in &a.names {
        for (tb, nb) in &b.names {
            let m = na.compare(nb, parts);
            if m.verdict == Verdict::Conflict && na.size() > 1 && nb.size() > 1 && cannot.is_none()
            {
                cannot = Some(format!(
                    "\"{ta}\" and \"{tb}\" are different names: {}",
                    m.reasons.last().cloned().unwrap_or_default()
                ));
            }
            let rank = |m: &NameMatch| {
                let v = match m.verdict {
                    Verdict::Same => 3,
                    Verdict::Compatible => 2,
                    Verdict::Conflict => 1,
                    Verdict::Unrelated => 0,
                };
                (v, (m.score * 1000.0) as i64)
            };
            if best.as_ref().is_none_or(|(bm, _, _)| rank(&m) > rank(bm)) {
                best = Some((m, ta.clone(), tb.clone()));
            }
        }
    }
    let nominal = a.head.is_some() && b.head.is_some() && a.names.is_empty() && b.names.is_empty();
    let mut one_word_pair = false;
    let (name, names) = match best {
        // Two one-word names ("Bin Laden" / "bin Laden") agree, but that
        // says no more than a short form does.
        Some((mut m, x, y))
            if m.verdict == Verdict::Same
                && a.class == NameClass::Person
                && a.short
                && b.names.iter().any(|(t, n)| *t == y && n.size() <= 1) =>
        {
            m.verdict = Verdict::Compatible;
            m.reasons.push("both are one-word names".into());
            one_word_pair = true;
            (m, (x, y))
        }
        Some((m, x, y)) => (m, (x, y)),
        // An unnamed mention whose head word is the last word of the
        // other's name ("the colts" / "Indianapolis Colts").
        None if head_names(a, b).is_some() => {
            let (h, n) = head_names(a, b).unwrap_or_default();
            (
                NameMatch {
                    score: 0.3,
                    verdict: Verdict::Compatible,
                    reasons: vec![format!("head word \"{h}\" ends the name \"{n}\"")],
                },
                (h, n),
            )
        }
        None if nominal && a.head == b.head => (
            NameMatch {
                score: 0.3,
                verdict: Verdict::Compatible,
                reasons: vec![format!(
                    "same head word \"{}\"",
                    a.head.clone().unwrap_or_default()
                )],
            },
            (
                a.head.clone().unwrap_or_default(),
                b.head.clone().unwrap_or_default(),
            ),
        ),
        None => (
            NameMatch {
                score: 0.0,
                verdict: Verdict::Unrelated,
                reasons: vec!["no names to compare".into()],
            },
            (String::new(), String::new()),
        ),
    };
    if let Some(d) = a.docs.intersection(&b.docs).next() {
        cannot
            .get_or_insert_with(|| format!("both are named as different entities in document {d}"));
    }
    if cannot.is_none() {
        cannot = fate_conflict(a, b);
    }
    // Context.
    let co_a: BTreeMap<String, f64> = a.co.iter().map(|(k, v)| (k.clone(), v.0)).collect();
    let co_b: BTreeMap<String, f64> = b.co.iter().map(|(k, v)| (k.clone(), v.0)).collect();
    let (co, shared_keys) = overlap(&co_a, &co_b, |k| stats.key_idf(k));
    let (pl, shared_places) = overlap(&a.places, &b.places, |k| {
        stats.key_idf(&format!("place:{k}"))
    });
    let terms = cosine(&a.terms, &b.terms, |t| stats.term_idf(t));
    let desc = if a.desc.is_empty() || b.desc.is_empty() {
        0.0
    } else {
        a.desc.intersection(&b.desc).count() as f64 / a.desc.len().min(b.desc.len()) as f64
    };
    let context = 0.4 * co + 0.15 * pl + 0.35 * terms + 0.1 * desc;
    let shared: Vec<String> = shared_keys
        .iter()
        .take(6)
        .map(|k| {
            a.co.get(k)
                .map(|v| v.1.clone())
                .unwrap_or_else(|| k.clone())
        })
        .collect();
    // Decision.
    // How distinctive the shorter of the two names is: one minus the
    // chance that all its parts are common ones.
    let rarity = [&names.0, &names.1]
        .iter()
        .map(|n| name_rarity(n, parts))
        .fold(1.0, f64::min);
    let person_short_form = (a.class == NameClass::Person || b.class == NameClass::Person)
        && (a.short || b.short)
        && name.is_short_form();
    let nominal = nominal || (name.verdict == Verdict::Compatible && head_names(a, b).is_some());
    // An unnamed mention has no class of its own: "the Colts" fits the
    // organisation "Indianapolis Colts".
    let class_ok = a.class == b.class
        || name.verdict == Verdict::Same
        || person_short_form
        || one_word_pair
        || nominal;
    let merge = cannot.is_none()
        && class_ok
        && match name.verdict {
            // A common full name needs some shared context; a distinctive
            // one does not. Frequent mentions of one person in a focused
            // corpus also make its parts "common", so the bar is low: the
            // contexts must not be unrelated.
            Verdict::Same => match a.class {
                NameClass::Person => rarity >= DISTINCTIVE_NAME || context >= SOME_CONTEXT,
                _ => true,
            },
            Verdict::Compatible => {
                if nominal {
                    context >= NOMINAL_CONTEXT
                } else {
                    // People: only a short form, never two full names
                    // that merely overlap.
                    let form_ok =
                        a.class != NameClass::Person || one_word_pair || name.is_short_form();
                    let enough = context >= SHORT_NAME_CONTEXT
                        || (rarity >= DISTINCTIVE_SHORT_NAME && context >= SOME_CONTEXT);
                    form_ok && enough && !(a.ambiguous && a.short)
                }
            }
            _ => false,
        };
    let score = (0.6 * name.score + 0.4 * context.min(1.0)).min(1.0);
    reasons.push(format!(
        "names \"{}\" / \"{}\": {} ({:.2}{})",
        names.0,
        names.1,
        name.verdict.as_str(),
        name.score,
        if name.reasons.is_empty() {
            String::new()
        } else {
            format!("; {}", name.reasons.join(", "))
        }
    ));
    if !shared.is_empty() {
        reasons.push(format!("mentioned with {}", shared.join(", ")));
    }
    if !shared_places.is_empty() {
        reasons.push(format!(
            "near {}",
            shared_places
                .iter()
                .take(4)
                .cloned()
                .collect::<Vec<_>>()
                .join(", ")
        ));
    }
    reasons.push(format!("context similarity {context:.2}"));
    if let Some(c) = &cannot {
        reasons.push(format!("kept apart: {c}"));
    } else if !merge {
        reasons.push(match name.verdict {
            Verdict::Conflict => "kept apart: the names contradict".to_string(),
            Verdict::Unrelated => "kept apart: the names do not match".to_string(),
            Verdict::Compatible if a.ambiguous && a.short => {
                "kept apart: a short name that fits several entities".to_string()
            }
            _ => "kept apart: the name alone is too common and the contexts differ".to_string(),
        });
    }
    Assessment {
        merge,
        score,
        name,
        names,
        context,
        shared,
        shared_places,
        cannot,
        reasons,
    }
}

fn name_rarity(name: &str, parts: &PartStats) -> f64 {
    match EntityName::parse(NameClass::Person, name) {
        EntityName::Person(p) if !p.parts.is_empty() => {
            1.0 - p
                .parts
                .iter()
                .map(|x| 1.0 - parts.weight(x))
                .product::<f64>()
        }
        _ => 0.0,
    }
}

/// For an unnamed side and a named side: the head word and the name it
/// ends, when it does.
fn head_names(a: &Agg, b: &Agg) -> Option<(String, String)> {
    let (nom, named) = match (a.names.is_empty(), b.names.is_empty()) {
        (true, false) => (a, b),
        (false, true) => (b, a),
        _ => return None,
    };
    let h = nom.head.as_deref()?;
    named.names.iter().find_map(|(t, _)| {
        let k = crate::name::plain_key(t);
        let last = k.rsplit(' ').next()?;
        let h = h.trim_end_matches('s');
        (last.trim_end_matches('s') == h && !h.is_empty()).then(|| (h.to_string(), t.clone()))
    })
}

/// Deaths reported in different places, or days apart, are different
/// people. A place counts as different only when the other side's
/// documents never name it (so "killed in Iran" and "killed in Tehran"
/// from an article naming both do not contradict).
fn fate_conflict(a: &Agg, b: &Agg) -> Option<String> {
    let names_place = |g: &Agg, p: &str| {
        g.places.contains_key(p)
            || ["GPE", "LOC", "FAC"]
                .iter()
                .any(|l| g.co.contains_key(&format!("{l}:{p}")))
    };
    for x in &a.fates {
        for y in &b.fates {
            if let (Some(p), Some(q)) = (&x.place, &y.place) {
                if p != q && !names_place(b, p) && !names_place(a, q) {
                    return Some(format!("reported {} in {p} and {} in {q}", x.kind, y.kind));
                }
            }
            if let (Some(d), Some(e)) = (&x.date, &y.date) {
                let (Some(d), Some(e)) = (
                    dossier_core::Date::parse_iso(d),
                    dossier_core::Date::parse_iso(e),
                ) else {
                    continue;
                };
                if day_number(&d)
                    .zip(day_number(&e))
                    .is_some_and(|(m, n)| (m - n).abs() > 2)
                {
                    return Some(format!("reported {} on {d} and {} on {e}", x.kind, y.kind));
                }
            }
        }
    }
    None
}

/// Days since 0000-03-01 for a full date (for differences only).
fn day_number(d: &dossier_core::Date) -> Option<i64> {
    let (m, day) = (d.month? as i64, d.day? as i64);
    let y = d.year as i64 - if m <= 2 { 1 } else { 0 };
    let mp = (m + 9) % 12;
    Some(365 * y + y / 4 - y / 100 + y / 400 + (153 * mp + 2) / 5 + day - 1)
}

/// Compares two sets of members (for `dossier explain`).
pub fn assess(a: &[Profile], b: &[Profile], stats: &CorpusStats) -> Assessment {
    let parts = stats.part_stats();
    assess_aggs(&agg(a), &agg(b), stats, &parts)
}

/// The incremental resolver over a working set of entities.
pub struct Resolver<'s> {
    stats: &'s CorpusStats,
    parts: PartStats,
    entities: Vec<Option<Entity>>,
    aggs: Vec<Option<Agg>>,
    index: HashMap<String, Vec<usize>>,
    touched: BTreeSet<usize>,
    removed: Vec<String>,
}

/// What resolution changed.
#[derive(Debug, Default)]
pub struct Outcome {
    /// Entities created or changed, complete with all members.
    pub changed: Vec<Entity>,
    /// Ids of entities merged into others.
    pub removed: Vec<String>,
}

impl<'s> Resolver<'s> {
    /// A resolver over the existing entities the new profiles may touch.
    pub fn new(stats: &'s CorpusStats, existing: Vec<Entity>) -> Resolver<'s> {
        let mut r = Resolver {
            stats,
            parts: stats.part_stats(),
            entities: Vec::new(),
            aggs: Vec::new(),
            index: HashMap::new(),
            touched: BTreeSet::new(),
            removed: Vec::new(),
        };
        for e in existing {
            r.insert(e);
        }
        r
    }

    fn insert(&mut self, e: Entity) -> usize {
        let i = self.entities.len();
        for k in e.keys() {
            self.index.entry(k).or_default().push(i);
        }
        self.aggs
            .push(Some(agg(e.members.iter().map(|m| &m.profile))));
        self.entities.push(Some(e));
        i
    }

    fn candidates(&self, p: &Profile) -> Vec<usize> {
        let mut c: BTreeSet<usize> = BTreeSet::new();
        for k in &p.keys {
            if let Some(v) = self.index.get(k) {
                c.extend(v.iter().copied().filter(|&i| self.entities[i].is_some()));
            }
        }
        c.into_iter().collect()
    }

    /// Resolves one new local entity.
    pub fn add(&mut self, p: Profile) {
        let single = agg(std::iter::once(&p));
        let mut options: Vec<(usize, Assessment)> = self
            .candidates(&p)
            .into_iter()
            .filter_map(|i| {
                let a = assess_aggs(&single, self.aggs[i].as_ref()?, self.stats, &self.parts);
                a.merge.then_some((i, a))
            })
            .collect();
        options.sort_by(|x, y| y.1.score.total_cmp(&x.1.score).then(x.0.cmp(&y.0)));
        // A short name that fits several entities about equally is not
        // given to any of them.
        let unclear = single.short
            && options.len() > 1
            && options[0].1.name.verdict != Verdict::Same
            && options[0].1.score - options[1].1.score < 0.1;
        if options.is_empty() || unclear {
            let id = stable_id("entity", &[&p.doc, &p.local.to_string()]);
            let e = Entity {
                id,
                members: vec![Member {
                    profile: p,
                    join: None,
                }],
            };
            let i = self.insert(e);
            self.touched.insert(i);
            return;
        }
        let (target, a) = options.remove(0);
        let against = self.closest_member(target, &a.names.1);
        self.attach(
            target,
            p,
            Join {
                reason: a.summary(),
                score: a.score,
                against,
            },
        );
        // Bridging: the newcomer also strongly matches other entities that
        // do not contradict the one it joined.
        for (other, b) in options {
            if b.name.verdict != Verdict::Same {
                continue;
            }
            let (Some(ta), Some(oa)) = (self.aggs[target].as_ref(), self.aggs[other].as_ref())
            else {
                continue;
            };
            let ab = assess_aggs(oa, ta, self.stats, &self.parts);
            if ab.cannot.is_none() && ab.merge {
                let against = self.closest_member(target, &ab.names.1);
                self.merge_entities(
                    target,
                    other,
                    Join {
                        reason: format!("{} (linked through a later document)", ab.summary()),
                        score: ab.score.min(b.score),
                        against,
                    },
                );
            }
        }
    }

    fn closest_member(&self, i: usize, name: &str) -> (String, usize) {
        let e = self.entities[i].as_ref().expect("live entity");
        let m = e
            .members
            .iter()
            .find(|m| m.profile.names.iter().any(|n| n == name))
            .unwrap_or(&e.members[0]);
        (m.profile.doc.clone(), m.profile.local)
    }

    fn attach(&mut self, i: usize, p: Profile, join: Join) {
        for k in &p.keys {
            let v = self.index.entry(k.clone()).or_default();
            if !v.contains(&i) {
                v.push(i);
            }
        }
        if let Some(e) = self.entities[i].as_mut() {
            e.members.push(Member {
                profile: p,
                join: Some(join),
            });
            self.aggs[i] = Some(agg(e.members.iter().map(|m| &m.profile)));
        }
        self.touched.insert(i);
    }

    fn merge_entities(&mut self, keep: usize, gone: usize, join: Join) {
        let Some(mut g) = self.entities[gone].take() else {
            return;
        };
        self.aggs[gone] = None;
        self.removed.push(g.id.clone());
        if let Some(first) = g.members.first_mut() {
            first.join = Some(join);
        }
        for m in g.members {
            for k in &m.profile.keys {
                let v = self.index.entry(k.clone()).or_default();
                if !v.contains(&keep) {
                    v.push(keep);
                }
            }
            if let Some(e) = self.entities[keep].as_mut() {
                e.members.push(m);
            }
        }
        if let Some(e) = self.entities[keep].as_ref() {
            self.aggs[keep] = Some(agg(e.members.iter().map(|m| &m.profile)));
        }
        self.touched.insert(keep);
    }

    pub fn finish(self) -> Outcome {
        let mut changed = Vec::new();
        for i in self.touched {
            if let Some(Some(e)) = self.entities.get(i) {
                changed.push(e.clone());
            }
        }
        Outcome {
            changed,
            removed: self.removed,
        }
    }
}

/// An acronym or a name in capitals ("US", "F.B.I", "KABUL"): shown only
/// when the entity has no name written out.
fn is_shouted(name: &str) -> bool {
    let letters: Vec<char> = name.chars().filter(|c| c.is_alphabetic()).collect();
    letters.len() >= 2 && letters.iter().all(|c| c.is_uppercase())
}
