//! Cross-document resolution: document-level entities join entities.
//!
//! - **Blocking with bounded blocks**: a newcomer is compared only with the
//!   entities that share a blocking key with it, and a key shared by more
//!   than [`MAX_BLOCK`] entities contributes only its largest entities, so
//!   candidate generation stays near-linear in the number of mentions.
//! - **Scoring** by the Fellegi–Sunter [`Model`]: names with term-frequency
//!   adjustment, entity type, co-mentioned entities, context words, places
//!   and descriptions, each compared with the entity's bounded
//!   [`EntityState`] (so cost does not grow with the entity).
//! - **Clustering without chaining**: a newcomer joins the single best
//!   entity; two entities it both matches merge only when the two entities
//!   themselves match (centroid linkage), never through it alone.
//! - **Hard cannot-links**: contradicting full names (different kunya,
//!   given name), Jr. and Sr., contradicting fates, two entities of one
//!   document, a person against an organisation or place, and analysts'
//!   "not the same" judgements.
//!
//! Processing the same profiles in the same order gives the same entities
//! and ids; the pipeline orders them by document id, so the ingest order
//! does not matter within a build.

use crate::model::{Levels, Model, Scored};
use crate::name::{class_of, EntityName, NameClass};
use crate::profile::Profile;
use crate::state::{EntityState, MemberRef};
use dossier_core::stable_id;
use dossier_names::{NameMatch, PartStats, Verdict};
use std::collections::{BTreeMap, BTreeSet, HashMap};

/// Pseudo-documents added to the corpus size when weighting, so that a
/// small corpus does not make every part look common.
pub const BACKGROUND_DOCUMENTS: u64 = 50;

/// The statistics key under which the number of documents is counted.
pub const DOCUMENTS_KEY: &str = "#documents";

/// Entities one blocking key contributes as candidates at most.
pub const MAX_BLOCK: usize = 50;

/// Members the main bearer of a short name must have ([`Resolver::add`]).
const MAIN_BEARER_MIN: u32 = 10;
/// How many times more members than the next bearer it must have.
const MAIN_BEARER_RATIO: u32 = 4;
/// The most prior evidence being the main bearer gives, in bits.
const MAIN_BEARER_MAX_BITS: f64 = 6.0;
/// For a full name: how many times more members than the next entity of
/// that exact name, and the most evidence it gives. 5 bits, not 4, was
/// chosen on the 1,952-article mix (a dev figure): one-document "Donald
/// Trump" entities whose context words are low (an article about China's
/// trade) matched at 0.66 and stayed apart; pseudo-names seeds 1-6 are
/// unchanged.
const FULL_NAME_BEARER_RATIO: u32 = 20;
const FULL_NAME_BEARER_MAX_BITS: f64 = 5.0;

/// Documents a person must be named in for one document's full name typed
/// otherwise to be taken as the tagger's slip ([`Resolver::full_name_slip`]).
const FULL_NAME_SLIP_MIN: u32 = 3;
/// How many times more documents must type that full name a person.
const FULL_NAME_SLIP_RATIO: u64 = 3;

/// Candidates compared with one newcomer at most: those sharing the most
/// keys with it, then the largest.
pub const MAX_CANDIDATES: usize = 16;

/// Corpus statistics the comparison weights with: document frequencies.
#[derive(Debug, Clone, Default)]
pub struct CorpusStats {
    pub documents: u64,
    /// Name-part keys (see `dossier_names::NamePart::freq_key`).
    pub parts: HashMap<String, u64>,
    /// Co-mention identity keys, and place keys as `place:KEY`.
    pub keys: HashMap<String, u64>,
    /// Person-name parts by exact folded spelling (the type vote's counts).
    pub words: HashMap<String, u64>,
    /// The same, counted only where the part is written inside a fuller
    /// person's name ("Trump" in "Donald Trump"; "Twitter" never is).
    pub fuller: HashMap<String, u64>,
    /// One-word names of other types by type and spelling, as
    /// `LABEL:word` (the type vote's counts).
    pub typed: HashMap<String, u64>,
    /// Context lemmas.
    pub terms: HashMap<String, u64>,
}

impl CorpusStats {
    /// From prefixed counts as [`document_counts`] names them, with the
    /// number of documents counted under `#documents`.
    pub fn from_counts(counts: impl IntoIterator<Item = (String, u64)>) -> Self {
        let mut s = CorpusStats::default();
        for (k, n) in counts {
            if k == DOCUMENTS_KEY {
                s.documents = n;
            } else if let Some((map, key)) = s.map_for(&k) {
                map.insert(key.to_string(), n);
            }
        }
        s
    }

    /// The map a prefixed statistics key counts in, and the key without
    /// its prefix.
    fn map_for<'k>(&mut self, k: &'k str) -> Option<(&mut HashMap<String, u64>, &'k str)> {
        if let Some(x) = k.strip_prefix("part:") {
            Some((&mut self.parts, x))
        } else if let Some(x) = k.strip_prefix("key:") {
            Some((&mut self.keys, x))
        } else if let Some(x) = k.strip_prefix("word:") {
            Some((&mut self.words, x))
        } else if let Some(x) = k.strip_prefix("fuller:") {
            Some((&mut self.fuller, x))
        } else if let Some(x) = k.strip_prefix("typed:") {
            Some((&mut self.typed, x))
        } else {
            k.strip_prefix("term:").map(|x| (&mut self.terms, x))
        }
    }

    pub fn part_stats(&self) -> PartStats {
        let mut s = PartStats::new();
        s.set_documents(self.documents + BACKGROUND_DOCUMENTS);
        for (k, v) in &self.parts {
            s.set(k, *v);
        }
        s
    }

    fn idf_of(&self, df: Option<&u64>) -> f64 {
        let n = (self.documents + BACKGROUND_DOCUMENTS) as f64;
        let df = df.copied().unwrap_or(0) as f64;
        ((n + 1.0) / (df + 1.0)).ln()
    }

    fn key_idf(&self, k: &str) -> f64 {
        self.idf_of(self.keys.get(k))
    }

    fn place_idf(&self, k: &str) -> f64 {
        // Place keys are counted as `place:KEY`.
        let mut buf = String::with_capacity(k.len() + 6);
        buf.push_str("place:");
        buf.push_str(k);
        self.idf_of(self.keys.get(&buf))
    }

    fn term_idf(&self, t: &str) -> f64 {
        self.idf_of(self.terms.get(t))
    }

    /// Share of documents a name part is in (with the background documents).
    fn part_frequency(&self, part: &str) -> f64 {
        let n = (self.documents + BACKGROUND_DOCUMENTS) as f64;
        (self.parts.get(part).copied().unwrap_or(0) as f64 + 1.0) / n
    }

    /// Counts one document's profiles into the statistics.
    pub fn add_document(&mut self, profiles: &[Profile]) {
        self.documents += 1;
        for k in document_counts(profiles) {
            if let Some((map, key)) = self.map_for(&k) {
                *map.entry(key.to_string()).or_default() += 1;
            }
        }
    }
}

/// The distinct statistics keys of a document: name parts of its people,
/// co-mention and place keys, context lemmas.
pub fn document_counts(profiles: &[Profile]) -> BTreeSet<String> {
    let mut out = BTreeSet::new();
    out.insert(format!("fuller:{}", crate::retype::FULLER_COUNTED));
    for p in profiles {
        if let Some(k) = crate::retype::typed_key_of(p) {
            out.insert(format!("typed:{k}"));
        }
        if let Some(k) = crate::retype::full_name_typed_key(p) {
            out.insert(format!("typed:{k}"));
        }
        for (k, _) in &p.co {
            out.insert(format!("key:{k}"));
        }
        for k in &p.places {
            out.insert(format!("key:place:{k}"));
        }
        for t in p.terms.keys() {
            out.insert(format!("term:{t}"));
        }
        if class_of(&p.label) == NameClass::Person {
            for n in &p.names {
                if let EntityName::Person(pn) = EntityName::parse(NameClass::Person, n) {
                    for x in &pn.parts {
                        out.insert(format!("part:{}", x.freq_key()));
                        out.insert(format!("word:{}", x.core));
                        if pn.parts.len() > 1 {
                            out.insert(format!("fuller:{}", x.core));
                        }
                    }
                }
            }
        }
    }
    out
}

/// The statistics keys a comparison with these states reads.
pub fn state_counts(s: &EntityState) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    out.extend(s.co.keys().map(|k| format!("key:{k}")));
    out.extend(s.places.keys().map(|k| format!("key:place:{k}")));
    out.extend(s.terms.keys().map(|t| format!("term:{t}")));
    if s.class() == NameClass::Person {
        for u in &s.names {
            if let EntityName::Person(pn) = EntityName::parse(NameClass::Person, &u.text) {
                out.extend(pn.parts.iter().map(|x| format!("part:{}", x.freq_key())));
            }
        }
    }
    out
}

/// The comparison of two entities (or a newcomer and an entity).
#[derive(Debug, Clone, PartialEq)]
pub struct Assessment {
    pub merge: bool,
    pub probability: f64,
    pub levels: Levels,
    pub scored: Scored,
    pub name: NameMatch,
    /// The best-matching pair of names.
    pub names: (String, String),
    pub shared: Vec<String>,
    pub shared_places: Vec<String>,
    /// Something that rules the merge out, if any.
    pub cannot: Option<String>,
    /// A short name that fits several entities.
    pub vague: bool,
    /// Cosine similarity of the context words.
    pub terms: f64,
    /// How common the matched person name is.
    pub name_u: Option<f64>,
    pub threshold: f64,
    /// Prior evidence for a short name's main bearer: bits and why.
    pub prior: Option<(f64, String)>,
}

impl Assessment {
    /// One line for the member's record: why it joined.
    pub fn summary(&self) -> String {
        self.reasons().join("; ")
    }

    /// The decision in words: the match probability, each feature's
    /// level and weight in bits, and what kept the two apart.
    pub fn reasons(&self) -> Vec<String> {
        let mut reasons = vec![format!("match probability {:.2}", self.probability)];
        for c in &self.scored.contributions {
            let detail = match c.feature {
                crate::model::Feature::Name => format!(
                    " \"{}\" / \"{}\"{}",
                    self.names.0,
                    self.names.1,
                    self.name_u
                        .map_or(String::new(), |u| format!(", name frequency {u:.4}"))
                ),
                crate::model::Feature::Co if !self.shared.is_empty() => {
                    format!(": mentioned with {}", self.shared.join(", "))
                }
                crate::model::Feature::Places if !self.shared_places.is_empty() => format!(
                    ": near {}",
                    self.shared_places
                        .iter()
                        .take(4)
                        .cloned()
                        .collect::<Vec<_>>()
                        .join(", ")
                ),
                crate::model::Feature::Terms => format!(" ({:.2})", self.terms),
                _ => String::new(),
            };
            reasons.push(format!(
                "{} {}{detail} ({:+.1})",
                c.feature.as_str(),
                c.level.replace('_', " "),
                c.bits
            ));
        }
        if let Some((bits, why)) = &self.prior {
            reasons.push(format!("main bearer: {why} ({bits:+.1})"));
        }
        if let Some(c) = &self.cannot {
            reasons.push(format!("kept apart: {c}"));
        } else if self.vague {
            reasons.push("kept apart: a short name that fits several entities".into());
        } else if !self.merge {
            reasons.push(format!(
                "kept apart: below the threshold {:.2}",
                self.threshold
            ));
        }
        reasons
    }
}

/// An entity's names parsed, and its context weighed, once for many
/// comparisons.
struct Parsed {
    class: NameClass,
    /// Whether every name is a one-part name (under the state's own type).
    short: bool,
    context: Context,
    /// Each name's text and its id in the [`NameCache`].
    names: Vec<(String, u32)>,
    /// Whether each name is used by enough of the members to speak for
    /// the entity (a stray form cannot veto a merge).
    attested: Vec<bool>,
    /// Generation suffixes ("jr", "iii") of the attested names.
    generations: BTreeSet<String>,
}

/// Names parsed and name pairs compared in a run, by interned id: the
/// same names recur across entities and the same pairs across newcomers
/// ("Obama" / "Barack Obama"), and a lookup allocates nothing.
#[derive(Default)]
struct NameCache {
    ids: HashMap<(NameClass, String), u32>,
    parsed: Vec<EntityName>,
    kunya: HashMap<String, bool>,
    pairs: HashMap<u64, u32, PairHash>,
    matches: Vec<NameMatch>,
}

/// A multiplicative hash for the pair keys, which are already two ids.
#[derive(Default, Clone, Copy)]
struct PairHash;

struct PairHasher(u64);

impl std::hash::BuildHasher for PairHash {
    type Hasher = PairHasher;
    fn build_hasher(&self) -> PairHasher {
        PairHasher(0)
    }
}

impl std::hash::Hasher for PairHasher {
    fn finish(&self) -> u64 {
        self.0
    }
    fn write(&mut self, bytes: &[u8]) {
        for b in bytes {
            self.write_u64(u64::from(*b));
        }
    }
    fn write_u64(&mut self, x: u64) {
        self.0 = (self.0.rotate_left(5) ^ x).wrapping_mul(0x517c_c1b7_2722_0a95);
    }
}

impl NameCache {
    /// Pairs kept at most; the pair cache starts over beyond it.
    const MAX: usize = 1 << 20;

    fn intern(&mut self, class: NameClass, text: &str) -> u32 {
        if let Some(&id) = self.ids.get(&(class, text.to_string())) {
            return id;
        }
        let id = self.parsed.len() as u32;
        self.parsed.push(EntityName::parse(class, text));
        self.ids.insert((class, text.to_string()), id);
        id
    }

    fn name(&self, id: u32) -> &EntityName {
        &self.parsed[id as usize]
    }

    fn has_kunya(&mut self, text: &str) -> bool {
        if let Some(&k) = self.kunya.get(text) {
            return k;
        }
        let k = has_kunya(text);
        self.kunya.insert(text.to_string(), k);
        k
    }

    /// The comparison of two interned names, made once.
    fn compare(&mut self, a: u32, b: u32, parts: &PartStats) -> &NameMatch {
        let key = (u64::from(a) << 32) | u64::from(b);
        if let Some(&m) = self.pairs.get(&key) {
            return &self.matches[m as usize];
        }
        if self.pairs.len() >= Self::MAX {
            self.pairs.clear();
            self.matches.clear();
        }
        let m = self.parsed[a as usize].compare(&self.parsed[b as usize], parts);
        self.pairs.insert(key, self.matches.len() as u32);
        self.matches.push(m);
        self.matches.last().expect("pushed above")
    }

    fn parse(&mut self, s: &EntityState, stats: &CorpusStats) -> Parsed {
        // A name with a kunya ("Abu Yusuf al-Tunisi") is a person's,
        // whatever type the tagger gave it in some article.
        let own = s.class();
        let class = match own {
            NameClass::Person => NameClass::Person,
            c => {
                if s.names.iter().any(|u| self.has_kunya(&u.text)) {
                    NameClass::Person
                } else {
                    c
                }
            }
        };
        // Judged under the state's own type, as its members were.
        let short = s.names.iter().all(|u| {
            let id = self.intern(own, &u.text);
            self.name(id).size() <= 1
        });
        let mut names = Vec::new();
        let mut attested = Vec::new();
        for u in &s.names {
            let id = self.intern(class, &u.text);
            if self.name(id).is_empty() {
                continue;
            }
            names.push((u.text.clone(), id));
            attested.push(u.docs >= 3 || u.docs * 5 >= s.members);
        }
        let generations = generations(&names, &attested, self);
        Parsed {
            class,
            short,
            context: Context::of(s, stats),
            names,
            attested,
            generations,
        }
    }
}

/// An entity's context weights under the run's statistics, in the sorted
/// order of its maps: a comparison walks two entities' keys side by side
/// and looks nothing up.
struct Context {
    co: Vec<f64>,
    co_sum: f64,
    places: Vec<f64>,
    places_sum: f64,
    /// Each term's weight times its idf.
    terms: Vec<f64>,
    terms_norm: f64,
}

impl Context {
    fn of(s: &EntityState, stats: &CorpusStats) -> Context {
        let co: Vec<f64> = s.co.keys().map(|k| stats.key_idf(k)).collect();
        let places: Vec<f64> = s.places.keys().map(|k| stats.place_idf(k)).collect();
        let terms: Vec<f64> = s
            .terms
            .iter()
            .map(|(t, x)| *x as f64 * stats.term_idf(t))
            .collect();
        Context {
            co_sum: co.iter().sum(),
            places_sum: places.iter().sum(),
            terms_norm: terms.iter().map(|w| w.powi(2)).sum::<f64>().sqrt(),
            co,
            places,
            terms,
        }
    }
}

/// Indices of the keys two sorted maps share, in key order.
fn shared_keys<'a, V, W>(
    a: &'a BTreeMap<String, V>,
    b: &'a BTreeMap<String, W>,
) -> impl Iterator<Item = (usize, usize, &'a String)> + 'a {
    let (mut ia, mut ib) = (
        a.keys().enumerate().peekable(),
        b.keys().enumerate().peekable(),
    );
    std::iter::from_fn(move || loop {
        let (&(i, x), &(j, y)) = (ia.peek()?, ib.peek()?);
        match x.cmp(y) {
            std::cmp::Ordering::Less => {
                ia.next();
            }
            std::cmp::Ordering::Greater => {
                ib.next();
            }
            std::cmp::Ordering::Equal => {
                ia.next();
                ib.next();
                return Some((i, j, x));
            }
        }
    })
}

fn verdict_rank(m: &NameMatch, full: bool) -> (u8, bool, i64) {
    let v = match m.verdict {
        Verdict::Same => 3,
        Verdict::Compatible => 2,
        Verdict::Conflict => 1,
        Verdict::Unrelated => 0,
    };
    (v, full && v == 3, (m.score * 1000.0) as i64)
}

/// The best pair of names and the first contradiction between full names.
fn best_names(
    a: &Parsed,
    b: &Parsed,
    parts: &PartStats,
    cache: &mut NameCache,
) -> (Option<(NameMatch, usize, usize)>, Option<String>) {
    let mut best: Option<((u8, bool, i64), usize, usize)> = None;
    let mut cannot = None;
    let people = a.class == NameClass::Person && b.class == NameClass::Person;
    // The first pair of well-attested full names, and whether any such pair
    // fits: two people each well known by a full name, none of which fits
    // the other's, are two people, whatever short names they share.
    let mut full_pair: Option<(&str, &str)> = None;
    let mut full_fit = false;
    for (i, (ta, ia)) in a.names.iter().enumerate() {
        for (j, (tb, ib)) in b.names.iter().enumerate() {
            let full = cache.name(*ia).size() > 1 && cache.name(*ib).size() > 1;
            let m = cache.compare(*ia, *ib, parts);
            if people && full && a.attested[i] && b.attested[j] {
                full_pair.get_or_insert((ta, tb));
                full_fit |= matches!(m.verdict, Verdict::Same | Verdict::Compatible);
            }
            if m.verdict == Verdict::Conflict
                && full
                && a.attested[i]
                && b.attested[j]
                && cannot.is_none()
            {
                cannot = Some(format!(
                    "\"{ta}\" and \"{tb}\" are different names: {}",
                    m.reasons.last().cloned().unwrap_or_default()
                ));
            }
            // Of two names that are the same, full names are the evidence:
            // "Donald J. Trump" / "Donald Trump" is not a surname match.
            let rank = verdict_rank(m, full);
            if best.as_ref().is_none_or(|(br, _, _)| rank > *br) {
                best = Some((rank, i, j));
            }
        }
    }
    if let (Some((ta, tb)), false, None) = (full_pair, full_fit, &cannot) {
        cannot = Some(format!(
            "\"{ta}\" and \"{tb}\" are different people: no full name of one fits a full name of the other"
        ));
    }
    let best = best.map(|(_, i, j)| {
        let m = cache.compare(a.names[i].1, b.names[j].1, parts).clone();
        (m, i, j)
    });
    (best, cannot)
}

fn has_kunya(text: &str) -> bool {
    dossier_names::PersonName::parse(text)
        .parts
        .iter()
        .any(|p| p.role == dossier_names::Role::Kunya)
}

/// How common a person name is: the document frequency of its rarest part.
fn commonness(name: &EntityName, stats: &CorpusStats) -> Option<f64> {
    match name {
        EntityName::Person(p) if !p.parts.is_empty() => p
            .parts
            .iter()
            .map(|x| stats.part_frequency(&x.freq_key()))
            .reduce(f64::min),
        _ => None,
    }
}

/// For an unnamed side and a named side: the head word and the name it
/// ends, when it does ("the colts" / "Indianapolis Colts").
fn head_names(a: &EntityState, b: &EntityState) -> Option<(String, String)> {
    let (nom, named) = match (a.names.is_empty(), b.names.is_empty()) {
        (true, false) => (a, b),
        (false, true) => (b, a),
        _ => return None,
    };
    let h = nom.head.as_deref()?;
    named.names.iter().find_map(|u| {
        let k = crate::name::plain_key(&u.text);
        let last = k.rsplit(' ').next()?;
        let h = h.trim_end_matches('s');
        (last.trim_end_matches('s') == h && !h.is_empty()).then(|| (h.to_string(), u.text.clone()))
    })
}

/// The idf-weighted share of the smaller side's keys found in the other,
/// and the shared keys, heaviest first.
fn overlap<V>(
    (a, wa, sa): (&BTreeMap<String, V>, &[f64], f64),
    (b, sb): (&BTreeMap<String, V>, f64),
) -> (f64, Vec<String>) {
    if sa <= 0.0 || sb <= 0.0 {
        return (0.0, Vec::new());
    }
    let mut shared: Vec<(f64, String)> = shared_keys(a, b)
        .map(|(i, _, k)| (wa[i], k.clone()))
        .collect();
    let num: f64 = shared.iter().map(|(w, _)| w).sum();
    shared.sort_by(|x, y| y.0.total_cmp(&x.0).then(x.1.cmp(&y.1)));
    // The share of the smaller side found in the other: an entity with many
    // co-mentions is not penalised for them.
    (
        num / sa.min(sb),
        shared.into_iter().map(|(_, k)| k).collect(),
    )
}

/// Cosine of two entities' idf-weighted context words.
fn cosine(a: (&EntityState, &Context), b: (&EntityState, &Context)) -> f64 {
    let (na, nb) = (a.1.terms_norm, b.1.terms_norm);
    if na == 0.0 || nb == 0.0 {
        return 0.0;
    }
    let dot: f64 = shared_keys(&a.0.terms, &b.0.terms)
        .map(|(i, j, _)| a.1.terms[i] * b.1.terms[j])
        .sum();
    dot / (na * nb)
}

fn bin(x: f64, edges: &[f64]) -> u8 {
    edges.iter().take_while(|e| x >= **e).count() as u8
}

/// Deaths reported in different places, or days apart, are different
/// people. A place counts as different only when the other side never
/// names it (so "killed in Iran" and "killed in Tehran" do not contradict).
fn fate_conflict(a: &EntityState, b: &EntityState) -> Option<String> {
    let names_place = |g: &EntityState, p: &str| {
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

/// Co-mentions a side needs before sharing none counts against a match:
/// a short article naming one other person has too little to compare.
const MIN_CO_COMPARED: usize = 3;

/// Compares two entity states under the model.
pub fn compare(
    a: &EntityState,
    b: &EntityState,
    stats: &CorpusStats,
    parts: &PartStats,
    model: &Model,
) -> Assessment {
    let mut cache = NameCache::default();
    let (pa, pb) = (cache.parse(a, stats), cache.parse(b, stats));
    compare_parsed((a, &pa), (b, &pb), stats, parts, model, &mut cache, false)
}

/// As [`compare`], with the names already parsed.
fn compare_parsed(
    (a, pa): (&EntityState, &Parsed),
    (b, pb): (&EntityState, &Parsed),
    stats: &CorpusStats,
    parts: &PartStats,
    model: &Model,
    cache: &mut NameCache,
    quick: bool,
) -> Assessment {
    let (best, mut cannot) = best_names(pa, pb, parts, cache);
    let nominal_same =
        a.names.is_empty() && b.names.is_empty() && a.head.is_some() && a.head == b.head;
    let head = head_names(a, b);
    let (name, names, level, name_u) = match &best {
        Some((m, i, j)) => {
            let (na, nb) = (cache.name(pa.names[*i].1), cache.name(pb.names[*j].1));
            let texts = (pa.names[*i].0.clone(), pb.names[*j].0.clone());
            let shorter = if na.size() <= nb.size() { na } else { nb };
            let person = pa.class == NameClass::Person && pb.class == NameClass::Person;
            let (level, u) = match m.verdict {
                // An organisation's or place's name written the same way;
                // an acronym ("WBC" / "Wasilla Bible Church") or a name
                // under another entity type is weaker evidence.
                Verdict::Same if !person && m.score >= 0.99 => (6, None),
                Verdict::Same if !person => (3, None),
                Verdict::Same if na.size() > 1 && nb.size() > 1 => (0, commonness(shorter, stats)),
                // Two one-word names spelled differently ("Reagan" /
                // "Regan") have nothing else to confirm them across
                // documents: weak evidence, and none for the name's bearer.
                Verdict::Same if !same_core(na, nb) => (3, None),
                Verdict::Same => (1, commonness(shorter, stats)),
                // A one-word short form is a word the full name writes
                // ("Masri" / "Abu Muhammad al-Masri"), not a look-alike of
                // one ("Toomey" / "Tom Rath"): that is weaker evidence.
                Verdict::Compatible
                    if m.is_short_form()
                        && crate::name::written_in(na, nb)
                        && !crate::name::given_name_only(na, nb) =>
                {
                    (2, commonness(shorter, stats))
                }
                Verdict::Compatible if m.is_short_form() => (3, None),
                // Two people's full names that merely overlap are not a
                // match ("Tim Pawlenty" / "Pat Toomey").
                Verdict::Compatible if person => (5, None),
                Verdict::Compatible => (3, None),
                _ => (5, None),
            };
            (m.clone(), texts, level, u)
        }
        None => match (&head, nominal_same) {
            (Some((h, n)), _) => (
                NameMatch {
                    score: 0.3,
                    verdict: Verdict::Compatible,
                    reasons: vec![format!("head word \"{h}\" ends the name \"{n}\"")],
                },
                (h.clone(), n.clone()),
                4,
                None,
            ),
            (None, true) => {
                let h = a.head.clone().unwrap_or_default();
                (
                    NameMatch {
                        score: 0.3,
                        verdict: Verdict::Compatible,
                        reasons: vec![format!("same head word \"{h}\"")],
                    },
                    (h.clone(), h),
                    4,
                    None,
                )
            }
            _ => (
                NameMatch {
                    score: 0.0,
                    verdict: Verdict::Unrelated,
                    reasons: vec!["no names to compare".into()],
                },
                (String::new(), String::new()),
                5,
                None,
            ),
        },
    };
    let nominal = level == 4;
    // A person is never an organisation or a place. A full name typed
    // otherwise once is the tagger's slip, not a place.
    let (ca, cb) = (pa.class, pb.class);
    let slip = matches!(level, 0 | 6) && names.0.contains(' ') && a.members.min(b.members) == 1;
    if cannot.is_none()
        && !nominal
        && !slip
        && (ca == NameClass::Person) != (cb == NameClass::Person)
    {
        cannot = Some(format!(
            "a person cannot be an organisation or a place ({} / {})",
            a.label(),
            b.label()
        ));
    }
    // Jr. is not Sr.: two full person names that differ in suffix. Only
    // names that speak for the entity count: one article's "Donald Trump
    // Jr." among hundreds of "Donald Trump" does not make the father a son.
    if cannot.is_none()
        && ca == NameClass::Person
        && pa.generations != pb.generations
        && !pa.short
        && !pb.short
        && level <= 2
    {
        cannot = Some(format!(
            "different generations: \"{}\" / \"{}\"",
            names.0, names.1
        ));
    }
    if cannot.is_none() {
        cannot = fate_conflict(a, b);
    }
    // "Mrs. Reagan" is not Ronald Reagan; a family name is shared.
    if cannot.is_none() {
        if let (Some(x), Some(y)) = (a.gender(), b.gender()) {
            if x != y {
                cannot = Some(format!(
                    "one is {} and the other {} (\"{}\" / \"{}\")",
                    x.as_str(),
                    y.as_str(),
                    names.0,
                    names.1
                ));
            }
        }
    }
    // Quick: the names alone rule it out, and the context need not be
    // weighed.
    let context = if quick && (cannot.is_some() || level == 5) {
        ContextMatch::default()
    } else {
        context_match((a, pa), (b, pb), nominal)
    };
    let [kind, co, terms, places, desc] = context.levels;
    let levels: Levels = [Some(level), kind, co, terms, places, desc];
    let scored = model.score(&levels, name_u);
    // A short name that fits several entities is given to none of them.
    let vague = a.ambiguous && pa.short && level == 2;
    let merge = cannot.is_none() && !vague && level != 5 && scored.probability >= model.threshold;
    let shared: Vec<String> = context
        .shared_co
        .iter()
        .take(6)
        .map(|k| {
            a.co.get(k)
                .map(|v| v.1.clone())
                .unwrap_or_else(|| k.clone())
        })
        .collect();
    Assessment {
        merge,
        probability: scored.probability,
        levels,
        scored,
        name,
        names,
        shared,
        shared_places: context.shared_places,
        cannot,
        vague,
        terms: context.terms,
        name_u,
        threshold: model.threshold,
        prior: None,
    }
}

/// What two entities' contexts share: the levels of the features after the
/// name (type, co-mentions, context words, places, descriptions), the
/// shared co-mention keys and places, heaviest first, and the cosine of
/// the context words. All `None` and empty when not weighed.
#[derive(Default)]
struct ContextMatch {
    levels: [Option<u8>; 5],
    shared_co: Vec<String>,
    shared_places: Vec<String>,
    terms: f64,
}

fn context_match(
    (a, pa): (&EntityState, &Parsed),
    (b, pb): (&EntityState, &Parsed),
    nominal: bool,
) -> ContextMatch {
    let (xa, xb) = (&pa.context, &pb.context);
    let (co, shared_co) = overlap((&a.co, &xa.co, xa.co_sum), (&b.co, xb.co_sum));
    let (pl, shared_places) = overlap(
        (&a.places, &xa.places, xa.places_sum),
        (&b.places, xb.places_sum),
    );
    let terms = cosine((a, xa), (b, xb));
    let desc_shared = a.desc.keys().filter(|k| b.desc.contains_key(*k)).count();
    let kind = if a.label() == b.label() {
        0
    } else if pa.class == pb.class || nominal {
        1
    } else {
        2
    };
    let some = |x: bool, v: u8| x.then_some(v);
    ContextMatch {
        levels: [
            // A mention without a name has no entity type to agree or not.
            (!nominal).then_some(kind),
            some(
                !a.co.is_empty()
                    && !b.co.is_empty()
                    && (co > 0.0 || a.co.len().min(b.co.len()) >= MIN_CO_COMPARED),
                bin(co, &[1e-9, 0.15, 0.35]),
            ),
            some(
                !a.terms.is_empty() && !b.terms.is_empty(),
                bin(terms, &[0.1, 0.2, 0.35]),
            ),
            some(
                !a.places.is_empty() && !b.places.is_empty(),
                u8::from(pl > 0.0),
            ),
            some(
                !a.desc.is_empty() && !b.desc.is_empty(),
                // Descriptions agree when most of the shorter one is in the
                // other ("Prime Minister" / "the prime minister of Iraq").
                u8::from(desc_shared * 2 >= a.desc.len().min(b.desc.len()).max(1)),
            ),
        ],
        shared_co,
        shared_places,
        terms,
    }
}

/// Why two entities one document names apart stay apart.
/// `unresolved`: one side is a name its article left unresolved between
/// several people, which says why the article keeps it apart.
pub fn named_apart_in(doc: &str, unresolved: bool) -> String {
    if unresolved {
        format!(
            "document {doc} names both, and leaves this name there unresolved between several people it fits"
        )
    } else {
        format!("both are named as different entities in document {doc}")
    }
}

/// Generation suffixes ("jr", "iii") of the names that speak for an entity.
fn generations(names: &[(String, u32)], attested: &[bool], cache: &NameCache) -> BTreeSet<String> {
    names
        .iter()
        .zip(attested)
        .filter(|(_, attested)| **attested)
        .filter_map(|((_, id), _)| match cache.name(*id) {
            EntityName::Person(n) => Some(n),
            _ => None,
        })
        .flat_map(|n| n.suffixes.iter())
        .map(|x| x.to_lowercase().trim_end_matches('.').to_string())
        // "Sr." is written for the father only once there is a son to
        // tell him from; the same man is named without it elsewhere
        // ("W. Mark Felt Sr." / "W. Mark Felt"). "Jr." is not.
        .filter(|x| crate::state::is_generation(x) && !matches!(x.as_str(), "sr" | "senior"))
        .collect()
}

/// Whether two one-word person names are spelled alike (folded, without
/// particles or article: "Masri" / "al-Masri").
fn same_core(a: &EntityName, b: &EntityName) -> bool {
    match (a, b) {
        (EntityName::Person(x), EntityName::Person(y)) => {
            match (x.parts.as_slice(), y.parts.as_slice()) {
                ([p], [q]) => p.core == q.core,
                _ => true,
            }
        }
        _ => true,
    }
}

/// Whether a one-word name is a given name the lexicon knows ("Bill").
fn is_given_name(text: &str) -> bool {
    match dossier_names::PersonName::parse(text).parts.as_slice() {
        [p] => dossier_names::is_known_given_name(&p.core),
        _ => false,
    }
}

/// A person known in its document only by a one-word name.
fn is_short_person(p: &Profile) -> bool {
    class_of(&p.label) == NameClass::Person
        && !p.names.is_empty()
        && p.names
            .iter()
            .all(|n| !crate::name::plain_key(n).contains(' '))
}

/// A document-level entity joining an entity.
#[derive(Debug, Clone, PartialEq)]
pub struct Added {
    pub member: MemberRef,
    /// `None` for the entity's first member.
    pub probability: Option<f64>,
    pub reason: Option<String>,
}

/// A stored entity the newcomers may join.
#[derive(Debug, Clone)]
pub struct StoredEntity {
    pub id: String,
    pub state: EntityState,
    /// Its members named by analysts' judgements.
    pub judged: Vec<MemberRef>,
}

/// Analysts' judgements, by document-level entity.
#[derive(Debug, Clone, Default)]
pub struct Judgements {
    pub same: Vec<(MemberRef, MemberRef)>,
    pub not_same: Vec<(MemberRef, MemberRef)>,
}

impl Judgements {
    pub fn members(&self) -> BTreeSet<MemberRef> {
        self.same
            .iter()
            .chain(&self.not_same)
            .flat_map(|(a, b)| [a.clone(), b.clone()])
            .collect()
    }

    fn apart(&self, a: &[MemberRef], b: &[MemberRef]) -> bool {
        self.not_same
            .iter()
            .any(|(x, y)| (a.contains(x) && b.contains(y)) || (a.contains(y) && b.contains(x)))
    }
}

/// An entity the resolution created or changed.
#[derive(Debug, Clone)]
pub struct Changed {
    pub id: String,
    pub state: EntityState,
    pub added: Vec<Added>,
    /// Entities merged into this one.
    pub absorbed: Vec<String>,
}

/// What resolution changed.
#[derive(Debug, Default)]
pub struct Outcome {
    pub changed: Vec<Changed>,
    /// `(old id, id it merged into)`.
    pub removed: Vec<(String, String)>,
    /// Candidate comparisons made (for estimating the model).
    pub comparisons: Vec<Levels>,
}

#[derive(Default)]
struct Slot {
    /// The state's names parsed, refreshed when the state changes.
    parsed: Option<Parsed>,
    id: String,
    /// Whether the store holds it (else it was made in this run).
    stored: bool,
    state: EntityState,
    live: bool,
    changed: bool,
    docs: BTreeSet<String>,
    added: Vec<Added>,
    absorbed: Vec<String>,
    judged: Vec<MemberRef>,
    /// When it last changed (the resolver's tick; 0 for a stored entity
    /// this run has not changed).
    touched: u64,
}

/// The entity a newcomer joins, the assessment, and the other entities it
/// matched.
type Choice = (usize, Assessment, Vec<(usize, Assessment)>);

/// What a newcomer is compared as ([`Resolver::choose`]).
struct Newcomer<'n> {
    state: &'n EntityState,
    names: &'n Parsed,
    keys: &'n [String],
    docs: &'n BTreeSet<String>,
    judged: &'n [MemberRef],
    /// Its own slot, when it is an entity compared again.
    slot: Option<usize>,
    /// Compared again: the tick it was founded at.
    since: Option<u64>,
}

/// The incremental resolver over a working set of entities.
pub struct Resolver<'a> {
    model: &'a Model,
    stats: &'a CorpusStats,
    judgements: &'a Judgements,
    judged_members: BTreeSet<MemberRef>,
    parts: PartStats,
    slots: Vec<Slot>,
    index: HashMap<String, Vec<usize>>,
    removed: Vec<(String, String)>,
    comparisons: Option<Vec<Levels>>,
    names: NameCache,
    /// Counts changes to entities (see `Slot::touched`).
    tick: u64,
    /// One-word names of this run's newcomers: the words whose type vote
    /// the run's statistics hold.
    voted: std::collections::HashSet<String>,
    phases: [std::time::Duration; 4],
}

impl<'a> Resolver<'a> {
    pub fn new(
        model: &'a Model,
        stats: &'a CorpusStats,
        judgements: &'a Judgements,
        existing: Vec<StoredEntity>,
    ) -> Resolver<'a> {
        let mut r = Resolver {
            model,
            stats,
            judgements,
            judged_members: judgements.members(),
            parts: stats.part_stats(),
            slots: Vec::new(),
            index: HashMap::new(),
            removed: Vec::new(),
            comparisons: None,
            names: NameCache::default(),
            tick: 0,
            voted: Default::default(),
            phases: Default::default(),
        };
        for e in existing {
            r.insert(Slot {
                id: e.id,
                stored: true,
                state: e.state,
                live: true,
                judged: e.judged,
                ..Slot::default()
            });
        }
        r
    }

    /// Keeps the comparison levels of every candidate pair.
    pub fn record_comparisons(mut self) -> Self {
        self.comparisons = Some(Vec::new());
        self
    }

    fn insert(&mut self, s: Slot) -> usize {
        let i = self.slots.len();
        for k in s.state.keys() {
            let v = self.index.entry(k).or_default();
            // A key already far beyond a block's size makes no candidates
            // beyond its largest entities; it need not grow further.
            if v.len() < 4 * MAX_BLOCK {
                v.push(i);
            }
        }
        self.slots.push(s);
        i
    }

    fn candidates(&self, keys: &[String]) -> Vec<usize> {
        let mut hits: HashMap<usize, usize> = HashMap::new();
        for k in keys {
            let Some(v) = self.index.get(k) else {
                continue;
            };
            let mut live: Vec<usize> = v.iter().copied().filter(|&i| self.slots[i].live).collect();
            if live.len() > MAX_BLOCK {
                live.sort_by(|&x, &y| {
                    self.slots[y]
                        .state
                        .members
                        .cmp(&self.slots[x].state.members)
                        .then(x.cmp(&y))
                });
                live.truncate(MAX_BLOCK);
            }
            for i in live {
                *hits.entry(i).or_default() += 1;
            }
        }
        let mut c: Vec<(usize, usize)> = hits.into_iter().collect();
        c.sort_by(|&(x, hx), &(y, hy)| {
            hy.cmp(&hx)
                .then(
                    self.slots[y]
                        .state
                        .members
                        .cmp(&self.slots[x].state.members),
                )
                .then(x.cmp(&y))
        });
        c.truncate(MAX_CANDIDATES);
        c.into_iter().map(|(i, _)| i).collect()
    }

    /// Parses slot `i`'s names unless they are parsed already.
    fn ensure_parsed(&mut self, i: usize) {
        if self.slots[i].parsed.is_none() {
            self.slots[i].parsed = Some(self.names.parse(&self.slots[i].state, self.stats));
        }
    }

    /// Compares an entity with entity `i`. `quick`: one the names rule
    /// out is not weighed further, nor kept for estimating the model.
    fn assess(&mut self, a: (&EntityState, &Parsed), i: usize, quick: bool) -> Assessment {
        self.ensure_parsed(i);
        let slot = &self.slots[i];
        let pb = slot.parsed.as_ref().expect("parsed above");
        let r = compare_parsed(
            a,
            (&slot.state, pb),
            self.stats,
            &self.parts,
            self.model,
            &mut self.names,
            quick,
        );
        if let Some(c) = self.comparisons.as_mut().filter(|_| !quick) {
            c.push(r.levels);
        }
        r
    }

    /// Resolves one new document-level entity.
    pub fn add(&mut self, p: &Profile) {
        if let Some(w) = crate::retype::one_word(p) {
            self.voted.insert(w);
        }
        let retyped = crate::retype::retype(p, self.stats).or_else(|| self.full_name_slip(p));
        let (p, retype_note) = match &retyped {
            Some((q, why)) => (q, Some(why.as_str())),
            None => (p, None),
        };
        let me: MemberRef = (p.doc.clone(), p.local as u32);
        let single = EntityState::from_profile(p);
        let single_names = self.names.parse(&single, self.stats);
        let judged: Vec<MemberRef> = if self.judged_members.contains(&me) {
            vec![me.clone()]
        } else {
            Vec::new()
        };
        let docs = BTreeSet::from([p.doc.clone()]);
        let newcomer = Newcomer {
            state: &single,
            names: &single_names,
            keys: &p.keys,
            docs: &docs,
            judged: &judged,
            slot: None,
            since: None,
        };
        let Some((target, a, options)) = self.choose(&newcomer) else {
            let id = stable_id("entity", &[&p.doc, &p.local.to_string()]);
            self.tick += 1;
            self.insert(Slot {
                id,
                state: single,
                live: true,
                changed: true,
                touched: self.tick,
                docs,
                added: vec![Added {
                    member: me,
                    probability: None,
                    reason: None,
                }],
                judged,
                ..Slot::default()
            });
            return;
        };
        self.attach(target, &single, p, &a, judged, retype_note);
        // Other entities the newcomer matches by full name merge with the
        // one it joined only if the two entities match each other.
        for (other, b) in options {
            if !matches!(b.levels[0], Some(0 | 6)) {
                continue;
            }
            self.try_merge(target, other, "through a later document");
        }
    }

    /// A full name typed as a place or an organisation in one document that
    /// names a person of several documents here exactly ("Barack Obama" as
    /// ORG): the tagger's slip, and the newcomer is that person's name.
    fn full_name_slip(&self, p: &Profile) -> Option<(Profile, String)> {
        let keys = crate::retype::person_name_keys(p)?;
        // The corpus must type the full name a person far more often: the
        // tagger also calls "Trump Tower" and "Citizens United" people.
        let (as_person, as_typed) = crate::retype::full_name_votes(p, self.stats);
        if as_person < FULL_NAME_SLIP_MIN.into() || as_person < FULL_NAME_SLIP_RATIO * as_typed {
            return None;
        }
        let key = crate::name::plain_key(&p.name);
        let person = self.candidates(&keys).into_iter().find(|&i| {
            let s = &self.slots[i].state;
            s.members >= FULL_NAME_SLIP_MIN
                && s.class() == NameClass::Person
                && s.names
                    .iter()
                    .any(|u| crate::name::plain_key(&u.text) == key)
        })?;
        let why = format!(
            "typed {} here; the corpus names the person \"{}\" in {} documents and types the name {} in {as_typed}",
            p.label, p.name, self.slots[person].state.members, p.label
        );
        Some((crate::retype::as_person_name(p)?, why))
    }

    /// A newcomer compared with entity `i`, kept apart from the entities
    /// of its own documents and those analysts judged apart from it.
    fn assess_newcomer(&mut self, n: &Newcomer, i: usize) -> Assessment {
        // Unless comparisons are kept for estimating the model, one the
        // names rule out need not be weighed further.
        let quick = n.since.is_some() || self.comparisons.is_none();
        let mut a = self.assess((n.state, n.names), i, quick);
        if let Some(doc) = self.slots[i].docs.intersection(n.docs).next() {
            a.merge = false;
            let unresolved = n.state.ambiguous || self.slots[i].state.ambiguous;
            a.cannot = Some(named_apart_in(doc, unresolved));
        }
        if !n.judged.is_empty() && self.judgements.apart(n.judged, &self.slots[i].judged) {
            a.merge = false;
            a.cannot = Some("an analyst judged them not the same".into());
        }
        a
    }

    /// The entity a newcomer joins, with the assessment, and the other
    /// entities it matched; `None` when it matches none, or fits several
    /// about equally.
    fn choose(&mut self, n: &Newcomer) -> Option<Choice> {
        let candidates: Vec<usize> = self
            .candidates(n.keys)
            .into_iter()
            .filter(|&i| Some(i) != n.slot)
            .collect();
        let mut assessed: Vec<(usize, Assessment)> = Vec::new();
        let mut rest = candidates;
        // Compared again: the comparisons with entities unchanged since
        // came out as before, so unless one that changed now matches
        // (weighed as kindly as it can be, against the changed alone),
        // nothing would.
        if let Some(since) = n.since {
            let changed: Vec<usize>;
            (changed, rest) = rest
                .into_iter()
                .partition(|&i| self.slots[i].touched > since);
            for i in changed {
                let a = self.assess_newcomer(n, i);
                assessed.push((i, a));
            }
            let mut kindest = assessed.clone();
            if n.names.class == NameClass::Person {
                self.main_bearer(&mut kindest, n.names.short, n.state.members);
            }
            if !kindest.iter().any(|(_, a)| a.merge) {
                return None;
            }
        }
        for i in rest {
            let a = self.assess_newcomer(n, i);
            assessed.push((i, a));
        }
        if n.names.class == NameClass::Person {
            self.main_bearer(&mut assessed, n.names.short, n.state.members);
        }
        let mut options: Vec<(usize, Assessment)> =
            assessed.into_iter().filter(|(_, a)| a.merge).collect();
        // A short name ("Reagan") that fits several entities goes to the
        // one its context favours, weighed with the prior that a writer who
        // gives only the short name means the bearer most written about
        // (Ronald Reagan in 35 documents, Nancy Reagan in 4): log2 of the
        // entity's members, as entity linkers weigh a name's commonness.
        let short = n.names.short;
        let rank = |(i, a): &(usize, Assessment)| {
            let prior = if short {
                f64::from(self.slots[*i].state.members.max(1)).log2()
            } else {
                0.0
            };
            a.scored.weight + prior
        };
        options.sort_by(|x, y| rank(y).total_cmp(&rank(x)).then(x.0.cmp(&y.0)));
        // One that fits several about equally is given to none of them.
        let unclear = short
            && options.len() > 1
            && !matches!(options[0].1.levels[0], Some(1 | 6))
            && rank(&options[0]) - rank(&options[1]) < 1.0;
        if options.is_empty() || unclear {
            return None;
        }
        let (target, a) = options.remove(0);
        Some((target, a, options))
    }

    /// Entities this run founded are compared once more with the entities
    /// they could join, as a newcomer is (with the main-bearer prior, which
    /// `settle` does not weigh): resolution decides as documents arrive, and
    /// a document that came before the entity it belongs to had grown (or
    /// before two halves of it merged) may match it now. Only entities that
    /// changed since are compared again, so the cost stays within the
    /// blocks.
    pub fn revisit(&mut self) {
        for i in 0..self.slots.len() {
            let s = &self.slots[i];
            if !s.live || s.stored {
                continue;
            }
            self.ensure_parsed(i);
            let since = self.slots[i].touched;
            let state = std::mem::take(&mut self.slots[i].state);
            let names = self.slots[i].parsed.take().expect("parsed above");
            let docs = std::mem::take(&mut self.slots[i].docs);
            let judged = std::mem::take(&mut self.slots[i].judged);
            let keys = state.keys();
            let choice = self.choose(&Newcomer {
                state: &state,
                names: &names,
                keys: &keys,
                docs: &docs,
                judged: &judged,
                slot: Some(i),
                since: Some(since),
            });
            let slot = &mut self.slots[i];
            slot.state = state;
            slot.parsed = Some(names);
            slot.docs = docs;
            slot.judged = judged;
            if let Some((target, a, _)) = choice {
                let why = format!("{} (compared again after the run)", a.summary());
                self.merge(target, i, &why, Some(a.probability));
            }
        }
    }

    /// How resolution weighs `newcomer` against the loaded entity `target`:
    /// as a newcomer to the blocks its names make, with the main-bearer
    /// prior over the entities it finds there (`dossier explain`). `None`
    /// when `target` is not loaded.
    pub fn weigh(&mut self, newcomer: &EntityState, target: &str) -> Option<Assessment> {
        let t = self.slots.iter().position(|s| s.live && s.id == target)?;
        let names = self.names.parse(newcomer, self.stats);
        let mut candidates = self.candidates(&newcomer.keys());
        if !candidates.contains(&t) {
            candidates.push(t);
        }
        let mut assessed: Vec<(usize, Assessment)> = candidates
            .into_iter()
            .map(|i| (i, self.assess((newcomer, &names), i, false)))
            .collect();
        if names.class == NameClass::Person {
            self.main_bearer(&mut assessed, names.short, newcomer.members);
        }
        assessed.into_iter().find(|(i, _)| *i == t).map(|(_, a)| a)
    }

    /// A short name written alone ("Trump") means, a priori, the bearer the
    /// corpus writes about far more than any other: a writer who gives no
    /// full name counts on the reader knowing whom. The leader among the
    /// entities the name fits gets log2 of how many times more members it
    /// has than the next as prior evidence, when it is well established.
    /// A full name gets the same, more cautiously, when one entity of that
    /// exact name dwarfs every other ("Hillary Clinton" in 383 documents,
    /// the next entity so named in 3): strong contrary context still wins.
    fn main_bearer(&self, assessed: &mut [(usize, Assessment)], short: bool, own: u32) {
        let (levels, ratio, max_bits): (&[u8], u32, f64) = if short {
            (&[1, 2], MAIN_BEARER_RATIO, MAIN_BEARER_MAX_BITS)
        } else {
            (&[0], FULL_NAME_BEARER_RATIO, FULL_NAME_BEARER_MAX_BITS)
        };
        // A given name alone ("Bill") is how a writer refers to someone
        // already introduced, not to whoever is most written about.
        let fits = |a: &Assessment| {
            a.cannot.is_none()
                && !a.vague
                && a.levels[0].is_some_and(|l| levels.contains(&l))
                && !(short && is_given_name(&a.names.0))
        };
        let mut bearers: Vec<(u32, usize)> = assessed
            .iter()
            .enumerate()
            .filter(|(_, (_, a))| fits(a))
            .map(|(k, (i, _))| (self.slots[*i].state.members, k))
            .collect();
        bearers.sort_by(|x, y| y.0.cmp(&x.0).then(x.1.cmp(&y.1)));
        let Some(&(lead, k)) = bearers.first() else {
            return;
        };
        // The newcomer is a bearer too: an entity of several documents
        // compared again is not taken for the leader on the prior alone.
        let next = bearers.get(1).map_or(0, |b| b.0).max(own);
        if lead < MAIN_BEARER_MIN || lead < ratio * next.max(1) {
            return;
        }
        let bits = (f64::from(lead) / f64::from(next.max(1)))
            .log2()
            .min(max_bits);
        let (i, a) = &mut assessed[k];
        let who = self.slots[*i].state.display_name();
        let why = if short {
            format!(
                "\"{}\" alone means {who} in {lead} documents, the next bearer in {next}",
                a.names.0
            )
        } else {
            format!(
                "\"{}\" names {who} in {lead} documents, the next entity so named in {next}",
                a.names.0
            )
        };
        a.prior = Some((bits, why));
        a.scored.weight += bits;
        a.probability = crate::model::probability(a.scored.weight);
        a.scored.probability = a.probability;
        a.merge = a.probability >= a.threshold;
    }

    fn attach(
        &mut self,
        i: usize,
        single: &EntityState,
        p: &Profile,
        a: &Assessment,
        judged: Vec<MemberRef>,
        note: Option<&str>,
    ) {
        self.tick += 1;
        let slot = &mut self.slots[i];
        slot.parsed = None;
        slot.state.absorb(single);
        slot.changed = true;
        slot.touched = self.tick;
        slot.docs.insert(p.doc.clone());
        slot.judged.extend(judged);
        slot.added.push(Added {
            member: (p.doc.clone(), p.local as u32),
            probability: Some(a.probability),
            reason: Some(match note {
                Some(n) => format!("{n}; {}", a.summary()),
                None => a.summary(),
            }),
        });
        self.reindex(i, &p.keys);
    }

    /// Indexes entity `i` under keys it gained (those of what joined it).
    fn reindex(&mut self, i: usize, keys: &[String]) {
        for k in keys {
            let v = self.index.entry(k.clone()).or_default();
            if v.len() < 4 * MAX_BLOCK && !v.contains(&i) {
                v.push(i);
            }
        }
    }

    /// Merges entity `b` into `a` when the two match and nothing keeps them
    /// apart. Returns whether they merged.
    pub fn try_merge_ids(&mut self, a: &str, b: &str, why: &str) -> bool {
        let find = |id: &str| self.slots.iter().position(|s| s.live && s.id == id);
        match (find(a), find(b)) {
            (Some(x), Some(y)) if x != y => self.try_merge(x, y, why),
            _ => false,
        }
    }

    fn try_merge(&mut self, keep: usize, gone: usize, why: &str) -> bool {
        if !self.slots[keep].live || !self.slots[gone].live || keep == gone {
            return false;
        }
        if self.slots[keep]
            .docs
            .intersection(&self.slots[gone].docs)
            .next()
            .is_some()
            || self
                .judgements
                .apart(&self.slots[keep].judged, &self.slots[gone].judged)
        {
            return false;
        }
        self.ensure_parsed(gone);
        let gone_state = std::mem::take(&mut self.slots[gone].state);
        let gone_names = self.slots[gone].parsed.take().expect("parsed above");
        let a = self.assess((&gone_state, &gone_names), keep, false);
        self.slots[gone].state = gone_state;
        self.slots[gone].parsed = Some(gone_names);
        if !a.merge {
            return false;
        }
        self.merge(
            keep,
            gone,
            &format!("{} ({why})", a.summary()),
            Some(a.probability),
        );
        true
    }

    /// Merges `gone` into `keep` unconditionally (an analyst's judgement or
    /// a checked match).
    fn merge(&mut self, keep: usize, gone: usize, reason: &str, probability: Option<f64>) {
        let (keep, gone) = {
            // The larger entity keeps its id; ties go to the smaller id.
            let (k, g) = (&self.slots[keep], &self.slots[gone]);
            if (g.state.members, &k.id) > (k.state.members, &g.id) {
                (gone, keep)
            } else {
                (keep, gone)
            }
        };
        // The gone slot is left empty and not live.
        let g = std::mem::take(&mut self.slots[gone]);
        let gained = g.state.keys();
        self.tick += 1;
        let k = &mut self.slots[keep];
        k.parsed = None;
        k.state.absorb(&g.state);
        k.changed = true;
        k.touched = self.tick;
        k.docs.extend(g.docs);
        k.judged.extend(g.judged);
        // Members the gone entity gained in this run come along; its stored
        // members move with it in the store.
        for mut m in g.added {
            if m.probability.is_none() {
                m.probability = probability;
                m.reason = Some(reason.to_string());
            }
            k.added.push(m);
        }
        k.absorbed.extend(g.absorbed);
        if g.stored {
            k.absorbed.push(g.id.clone());
            self.removed.push((g.id, k.id.clone()));
        }
        self.reindex(keep, &gained);
    }

    /// Resolves a batch of new document-level entities, in the given order:
    /// each joins an entity or stands alone, the entities that grew are
    /// compared once more, and analysts' "same" judgements are applied.
    /// The build and the evaluations both resolve through this.
    pub fn resolve<'p>(&mut self, profiles: impl IntoIterator<Item = &'p Profile>) {
        // Full names first: a short name is weighed against the entities
        // they make ("Trump" after the documents that name Donald Trump).
        let (full, short): (Vec<&Profile>, Vec<&Profile>) =
            profiles.into_iter().partition(|p| !is_short_person(p));
        let clock = std::time::Instant::now();
        for p in full.into_iter().chain(short) {
            self.add(p);
        }
        let added = clock.elapsed();
        self.retype_stored();
        let retyped = clock.elapsed();
        self.settle();
        let settled = clock.elapsed();
        self.revisit();
        let revisited = clock.elapsed();
        self.apply_same();
        self.phases = [
            added,
            retyped - added,
            settled - retyped,
            revisited - settled,
        ];
    }

    /// Time the last [`Resolver::resolve`] spent adding newcomers, retyping
    /// stored entities, settling and comparing again (for debug logs).
    pub fn phase_times(&self) -> [std::time::Duration; 4] {
        self.phases
    }

    /// Stored entities named by one word that the corpus now types
    /// otherwise take that type and are compared with the entities of it
    /// ("Rotterdam", a person in a build's first chunks, joins the city).
    /// The vote is the one newcomers are retyped by ([`crate::retype`]).
    pub fn retype_stored(&mut self) {
        for i in 0..self.slots.len() {
            let s = &self.slots[i];
            if !s.live || !s.stored {
                continue;
            }
            // Only a word this run read again can have a new vote: its
            // counts change with the documents that write it, and the
            // entity took the vote of its day when it was made.
            let Some((label, why)) =
                crate::retype::retype_entity(&s.state, self.stats, &self.voted)
            else {
                continue;
            };
            self.tick += 1;
            let slot = &mut self.slots[i];
            let total: u32 = slot.state.labels.values().sum();
            slot.state.labels = BTreeMap::from([(label, total.max(1))]);
            slot.parsed = None;
            slot.changed = true;
            slot.touched = self.tick;
            let keys = slot.state.keys();
            self.reindex(i, &keys);
            for c in self.candidates(&keys) {
                if c != i && self.slots[i].live {
                    self.try_merge(c, i, &format!("retyped: {why}"));
                }
            }
        }
    }

    /// Entities of several members that this run changed are compared once
    /// more with their candidates: two that grew apart from different
    /// first members merge when the entities themselves match.
    pub fn settle(&mut self) {
        for i in 0..self.slots.len() {
            let s = &self.slots[i];
            if !s.live || !s.changed || s.state.members < 2 {
                continue;
            }
            let keys = s.state.keys();
            for c in self.candidates(&keys) {
                if c != i && self.slots[i].live {
                    self.try_merge(i, c, "the two entities match");
                }
            }
        }
    }

    /// Applies the analysts' "same" judgements among the loaded entities.
    pub fn apply_same(&mut self) {
        let pairs = self.judgements.same.clone();
        for (a, b) in pairs {
            let holder = |m: &MemberRef| {
                self.slots
                    .iter()
                    .position(|s| s.live && (s.judged.contains(m) || s.state.anchor == *m))
            };
            if let (Some(x), Some(y)) = (holder(&a), holder(&b)) {
                if x != y
                    && !self
                        .judgements
                        .apart(&self.slots[x].judged, &self.slots[y].judged)
                {
                    self.merge(x, y, "an analyst judged them the same", Some(1.0));
                }
            }
        }
    }

    pub fn finish(self) -> Outcome {
        let mut changed = Vec::new();
        let gone: BTreeSet<&String> = self.removed.iter().map(|(o, _)| o).collect();
        for s in self.slots {
            if s.live && s.changed && !gone.contains(&s.id) {
                changed.push(Changed {
                    id: s.id,
                    state: s.state,
                    added: s.added,
                    absorbed: s.absorbed,
                });
            }
        }
        // Removed ids point at the live id their entity ended in.
        let into: HashMap<String, String> = self.removed.iter().cloned().collect();
        let removed = self
            .removed
            .iter()
            .map(|(o, _)| {
                let mut to = into[o].clone();
                let mut steps = 0;
                while let Some(next) = into.get(&to) {
                    to = next.clone();
                    steps += 1;
                    if steps > 64 {
                        break;
                    }
                }
                (o.clone(), to)
            })
            .collect();
        Outcome {
            changed,
            removed,
            comparisons: self.comparisons.unwrap_or_default(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// An entity of `members` documents, all typing and naming it alike.
    fn entity(label: &str, name: &str, members: u32) -> EntityState {
        EntityState {
            members,
            labels: BTreeMap::from([(label.to_string(), members)]),
            names: vec![crate::state::NameUse {
                text: name.into(),
                docs: members,
                as_name: members,
            }],
            ..EntityState::default()
        }
    }

    #[test]
    fn only_names_that_speak_for_an_entity_give_its_generation() {
        let person = |names: &[(&str, u32)]| EntityState {
            members: names.iter().map(|(_, d)| d).sum(),
            labels: BTreeMap::from([("PERSON".to_string(), 1)]),
            names: names
                .iter()
                .map(|(t, d)| crate::state::NameUse {
                    text: t.to_string(),
                    docs: *d,
                    as_name: *d,
                })
                .collect(),
            ..EntityState::default()
        };
        let (mut cache, stats) = (NameCache::default(), CorpusStats::default());
        let son = cache.parse(&person(&[("Donald Trump Jr.", 1)]), &stats);
        assert_eq!(son.generations, BTreeSet::from(["jr".to_string()]));
        // One article's "Jr." among 40 without it does not speak for him.
        let father = cache.parse(
            &person(&[("Donald Trump", 40), ("Donald Trump Jr.", 1)]),
            &stats,
        );
        assert!(father.generations.is_empty());
        // "Sr." is the man written elsewhere without a suffix.
        let senior = cache.parse(&person(&[("W. Mark Felt Sr.", 1)]), &stats);
        assert!(senior.generations.is_empty());
    }

    #[test]
    fn sharing_no_co_mention_counts_only_when_both_sides_have_several() {
        let person = |co: &[&str]| EntityState {
            members: 1,
            labels: BTreeMap::from([("PERSON".to_string(), 1)]),
            names: vec![crate::state::NameUse {
                text: "Lena Vostrikova".into(),
                docs: 1,
                as_name: 1,
            }],
            co: co
                .iter()
                .map(|k| (format!("PERSON:{k}"), (1.0, k.to_string())))
                .collect(),
            ..EntityState::default()
        };
        let (stats, model) = (CorpusStats::default(), Model::embedded());
        let parts = stats.part_stats();
        let level = |a: &[&str], b: &[&str]| {
            compare(&person(a), &person(b), &stats, &parts, &model).levels[2]
        };
        // One co-mention against many: nothing to compare.
        assert_eq!(level(&["ivo"], &["ada", "bo", "cy", "dee"]), None);
        // Several on both sides and none shared: evidence against.
        assert_eq!(level(&["ivo", "jo", "kai"], &["ada", "bo", "cy"]), Some(0));
        // Any shared co-mention is compared, however few.
        assert_ne!(level(&["ada"], &["ada", "bo"]), None);
    }

    #[test]
    fn weighing_a_pair_gives_the_main_bearer_prior_resolution_gives() {
        let person = |name: &str, members: u32| entity("PERSON", name, members);
        let stored = |id: &str, members: u32| StoredEntity {
            id: id.into(),
            state: person("Ronald Whitfield", members),
            judged: Vec::new(),
        };
        let (stats, model, judgements) = (
            CorpusStats::default(),
            Model::embedded(),
            Judgements::default(),
        );
        let existing = vec![stored("big", 100), stored("small", 2)];
        let mut r = Resolver::new(&model, &stats, &judgements, existing);
        let newcomer = person("Ronald Whitfield", 1);
        let big = r.weigh(&newcomer, "big").expect("loaded");
        let prior = big.prior.as_ref().map(|p| p.0);
        assert_eq!(
            prior,
            Some(FULL_NAME_BEARER_MAX_BITS),
            "{:?}",
            big.reasons()
        );
        assert!(big.reasons().iter().any(|l| l.starts_with("main bearer")));
        // The prior goes to the leader only.
        assert!(r.weigh(&newcomer, "small").expect("loaded").prior.is_none());
        assert!(r.weigh(&newcomer, "nobody").is_none());
    }

    #[test]
    fn a_stored_entity_the_corpus_now_types_otherwise_joins_that_type() {
        let named = |label: &str, members: u32| entity(label, "Rotterdam", members);
        let stored = |id: &str, label: &str| StoredEntity {
            id: id.into(),
            state: named(label, 3),
            judged: Vec::new(),
        };
        let (model, judgements) = (Model::embedded(), Judgements::default());
        let run = |gpe_docs: u64| {
            let stats = CorpusStats::from_counts([
                (DOCUMENTS_KEY.to_string(), 20),
                (format!("fuller:{}", crate::retype::FULLER_COUNTED), 20),
                ("typed:GPE:rotterdam".to_string(), gpe_docs),
            ]);
            let existing = vec![stored("person", "PERSON"), stored("city", "GPE")];
            let mut r = Resolver::new(&model, &stats, &judgements, existing);
            // This run reads the word again (a new document's "Rotterdam").
            r.voted.insert("rotterdam".into());
            r.resolve(std::iter::empty());
            r.finish()
        };
        // Typed a place in 6 documents and never inside a person's name:
        // the stored "person" is the city.
        let out = run(6);
        assert_eq!(out.removed.len(), 1, "{out:?}");
        assert!(out.changed.iter().any(|c| c.state.label() == "GPE"));
        // In 2 the corpus has not spoken: nothing changes.
        let out = run(2);
        assert!(out.removed.is_empty() && out.changed.is_empty(), "{out:?}");
    }

    #[test]
    fn a_full_name_typed_as_a_place_once_is_the_known_persons() {
        let person = entity("PERSON", "Wladimir Pell", 3);
        let place = |name: &str| Profile {
            doc: "new".into(),
            ..crate::profile::test_profile("GPE", name)
        };
        let votes = |person: u64, place: u64| {
            CorpusStats::from_counts([
                ("typed:PERSON:wladimir pell".to_string(), person),
                ("typed:GPE:wladimir pell".to_string(), place),
            ])
        };
        let (stats, model, judgements) = (votes(6, 1), Model::embedded(), Judgements::default());
        let stored = || {
            vec![StoredEntity {
                id: "pell".into(),
                state: person.clone(),
                judged: Vec::new(),
            }]
        };
        let mut r = Resolver::new(&model, &stats, &judgements, stored());
        let (q, why) = r.full_name_slip(&place("Wladimir Pell")).expect("a slip");
        assert_eq!(q.label, "PERSON");
        assert!(why.contains("3 documents"), "{why}");
        // Another name, or an organisation's, is not.
        assert!(r.full_name_slip(&place("Wladimir Pellston")).is_none());
        assert!(r.full_name_slip(&place("Pell Foundation")).is_none());
        // A name the corpus types a place nearly as often as a person is
        // not a slip of one document.
        let even = votes(6, 3);
        let r2 = Resolver::new(&model, &even, &judgements, stored());
        assert!(r2.full_name_slip(&place("Wladimir Pell")).is_none());
        r.resolve([&place("Wladimir Pell")]);
        let out = r.finish();
        assert!(
            out.changed
                .iter()
                .any(|c| c.id == "pell" && c.added.len() == 1),
            "{out:?}"
        );
    }

    #[test]
    fn a_kunya_name_is_a_person_whatever_its_type() {
        assert!(has_kunya("Abu Yusuf al-Tunisi"));
        assert!(!has_kunya("Tunisia"));
    }
}
