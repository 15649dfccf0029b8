//! Screening: candidate generation through an inverted index over
//! name-part keys, part-by-part comparison with the name model, and a
//! score with its explanation.
//!
//! Cost per query: the query's keys are looked up in the index; a key
//! whose posting list is longer than [`Limits::max_posting`] is too common
//! to select candidates alone (its pairs with the other parts still do),
//! and at most [`Limits::posting_budget`] postings are read. The best
//! [`Limits::candidates`] names by summed key rarity are compared in full.
//! Nothing is compared against every entry.

use std::collections::HashMap;

use dossier_core::Date;
use dossier_names::compare::PartMatch;
use dossier_names::phonetic::{skeleton_folded, weighted_distance_folded};
use dossier_names::{
    align, align_words, blocking_keys, MatchParams, OrgName, PartStats, PersonName, Role, Table,
};
use serde::{Deserialize, Serialize};

use crate::entry::{EntityType, ListEntry, ListKind, ListSource, SanctionsList, Strength};
use crate::evidence;
use crate::explain::{Explanation, PartRole, Rule};
use crate::model::{sigmoid, Feature, Features, Model, ModelError};
use crate::query::Query;

/// Bounds on the work done per query.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    /// Keys with more postings than this do not select candidates alone.
    pub max_posting: usize,
    /// Postings read per query name at most.
    pub posting_budget: usize,
    /// Names compared in full per query name.
    pub candidates: usize,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            max_posting: 2000,
            posting_budget: 20_000,
            candidates: 40,
        }
    }
}

/// What [`Screener::screen`] returns per entry: the score, the decision at
/// the model's threshold, and why.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ScreenMatch {
    pub list: ListKind,
    pub list_id: String,
    /// The entry's primary name.
    pub name: String,
    pub entity_type: EntityType,
    /// [`ListEntry::fingerprint`]: what a store keeps to tell, after a list
    /// update, whether this entry changed.
    pub entry_fingerprint: String,
    /// The date of the list the entry was read from.
    #[serde(with = "crate::entry::opt_date")]
    pub list_date: Option<Date>,
    /// Calibrated probability, on the dev data, that the query and the
    /// entry are the same (see the crate docs).
    pub score: f64,
    /// `score >= threshold` of the model.
    #[serde(rename = "match")]
    pub is_match: bool,
    pub explanation: Vec<Explanation>,
}

/// A list name prepared for comparison.
enum Form {
    Person(PersonName),
    Org(OrgName),
}

struct Prepared {
    entry: u32,
    /// Index into the entry's names.
    name: u16,
    form: Form,
    /// Rarity weight of each part (person) or word (organisation).
    weights: Vec<f64>,
    /// Summed idf of the name's single keys: what a candidate could share.
    key_mass: f64,
}

/// The loaded lists, indexed.
pub struct Screener {
    sources: Vec<ListSource>,
    entries: Vec<ListEntry>,
    /// Source index of each entry.
    entry_source: Vec<u16>,
    /// [`ListEntry::fingerprint`] of each entry, computed once.
    fingerprints: Vec<String>,
    names: Vec<Prepared>,
    postings: HashMap<String, Vec<u32>>,
    part_stats: PartStats,
    word_df: HashMap<String, u64>,
    model: Model,
    limits: Limits,
    table: &'static Table,
    params: MatchParams,
}

/// Rarity weight in 0.05..=1 from a document frequency among `n`.
fn rarity(df: u64, n: u64) -> f64 {
    if n == 0 {
        return 1.0;
    }
    let (df, n) = ((df.min(n)) as f64, n as f64);
    (((n + 1.0) / (df + 1.0)).ln() / (n + 1.0).ln()).clamp(0.05, 1.0)
}

fn org_word_key(w: &str) -> String {
    format!("w:{}", skeleton_folded(w))
}

/// Single and pair keys of a person name.
fn person_keys(p: &PersonName) -> Vec<String> {
    let mut keys = blocking_keys(p);
    let parts: Vec<String> = p
        .parts
        .iter()
        .filter(|x| x.role != Role::Initial && !x.key.is_empty())
        .take(6)
        .map(|x| x.stat_key())
        .collect();
    push_pairs(&parts, &mut keys);
    keys
}

fn org_keys(o: &OrgName) -> Vec<String> {
    let mut keys: Vec<String> = Vec::new();
    for w in o.words.iter().filter(|w| w.len() >= 2) {
        let k = org_word_key(w);
        if !keys.contains(&k) {
            keys.push(k);
        }
    }
    let singles = keys.iter().take(8).cloned().collect::<Vec<_>>();
    push_pairs(&singles, &mut keys);
    if let Some(a) = &o.acronym {
        keys.push(format!("a:{a}"));
    }
    for i in o.initialisms() {
        keys.push(format!("a:{i}"));
    }
    keys
}

/// Pair keys hold `|`; single keys do not.
fn is_single_key(k: &str) -> bool {
    !k.contains('|')
}

/// "x|y" keys for unordered pairs of distinct single keys.
fn push_pairs(singles: &[String], keys: &mut Vec<String>) {
    for i in 0..singles.len() {
        for j in i + 1..singles.len() {
            let (a, b) = if singles[i] <= singles[j] {
                (&singles[i], &singles[j])
            } else {
                (&singles[j], &singles[i])
            };
            if a != b {
                let k = format!("{a}|{b}");
                if !keys.contains(&k) {
                    keys.push(k);
                }
            }
        }
    }
}

/// The name comparison behind a score.
enum Detail {
    Person(dossier_names::Alignment),
    Org {
        pairs: Vec<(usize, usize, PartMatch)>,
        acronym: bool,
    },
}

struct NameScore {
    logit: f64,
    detail: Detail,
}

/// The query's names prepared once.
struct QueryName<'a> {
    text: &'a str,
    person: Option<(PersonName, Vec<f64>)>,
    org: Option<(OrgName, Vec<f64>)>,
}

impl Screener {
    /// Index the lists with the committed model.
    pub fn new(lists: Vec<SanctionsList>) -> Result<Screener, ModelError> {
        Ok(Screener::with_model(
            lists,
            Model::embedded()?,
            Limits::default(),
        ))
    }

    pub fn with_model(lists: Vec<SanctionsList>, model: Model, limits: Limits) -> Screener {
        let mut s = Screener {
            sources: Vec::new(),
            entries: Vec::new(),
            entry_source: Vec::new(),
            fingerprints: Vec::new(),
            names: Vec::new(),
            postings: HashMap::new(),
            part_stats: PartStats::new(),
            word_df: HashMap::new(),
            model,
            limits,
            table: Table::embedded(),
            params: MatchParams {
                optional_filiation: true,
                ..MatchParams::default()
            },
        };
        for (i, list) in lists.into_iter().enumerate() {
            s.sources.push(list.source);
            for e in list.entries {
                s.entries.push(e);
                s.entry_source.push(i as u16);
            }
        }
        s.prepare();
        s
    }

    /// The fingerprint of entry `i`.
    fn fingerprint(&self, i: u32) -> String {
        self.fingerprints
            .get(i as usize)
            .cloned()
            .unwrap_or_default()
    }

    pub fn model(&self) -> &Model {
        &self.model
    }

    pub fn set_model(&mut self, model: Model) {
        self.model = model;
    }

    pub fn entries(&self) -> &[ListEntry] {
        &self.entries
    }

    pub fn sources(&self) -> &[ListSource] {
        &self.sources
    }

    /// Each loaded list's content version: the digest
    /// [`crate::SanctionsList::digest`] gives, from the entries loaded.
    pub fn lists_digests(&self) -> Vec<(ListKind, String)> {
        type IdsAndPrints<'a> = (ListKind, Vec<(&'a str, &'a str)>);
        let mut by_kind: std::collections::BTreeMap<&str, IdsAndPrints> = Default::default();
        for (e, fp) in self.entries.iter().zip(&self.fingerprints) {
            by_kind
                .entry(e.list.as_str())
                .or_insert_with(|| (e.list, Vec::new()))
                .1
                .push((e.list_id.as_str(), fp.as_str()));
        }
        by_kind
            .into_values()
            .map(|(kind, mut fps)| {
                fps.sort();
                let parts: Vec<&str> = fps.iter().map(|x| x.1).collect();
                (kind, dossier_core::stable_id("list", &parts))
            })
            .collect()
    }

    /// Names indexed (all names of all entries that have any part).
    pub fn name_count(&self) -> usize {
        self.names.len()
    }

    /// Parses every name (in parallel: it is most of the load time), then
    /// counts part rarities and fills the index.
    fn prepare(&mut self) {
        use rayon::prelude::*;
        self.fingerprints = self
            .entries
            .par_iter()
            .map(ListEntry::fingerprint)
            .collect();
        let table = self.table;
        let per_entry: Vec<Vec<(u16, Form)>> = self
            .entries
            .par_iter()
            .map(|e| {
                let mut forms = Vec::new();
                for (ni, n) in e.names.iter().enumerate() {
                    if e.entity_type.is_person_like() {
                        let p = PersonName::parse_with(&n.text, table);
                        if !p.is_empty() {
                            forms.push((ni as u16, Form::Person(p)));
                        }
                    }
                    if e.entity_type != EntityType::Person {
                        let o = OrgName::parse(&n.text);
                        if !o.is_empty() {
                            forms.push((ni as u16, Form::Org(o)));
                        }
                    }
                }
                forms
            })
            .collect();
        let mut prepared = Vec::new();
        for (ei, forms) in per_entry.into_iter().enumerate() {
            let mut org_words: Vec<String> = Vec::new();
            let persons = forms.iter().filter_map(|(_, f)| match f {
                Form::Person(p) => Some(p),
                Form::Org(_) => None,
            });
            self.part_stats.add_document(persons);
            for (_, f) in &forms {
                if let Form::Org(o) = f {
                    for w in &o.words {
                        let k = org_word_key(w);
                        if !org_words.contains(&k) {
                            org_words.push(k);
                        }
                    }
                }
            }
            for k in org_words {
                *self.word_df.entry(k).or_default() += 1;
            }
            prepared.extend(forms.into_iter().map(|(ni, f)| (ei as u32, ni, f)));
        }
        let mut all_keys = Vec::with_capacity(prepared.len());
        for (entry, name, form) in prepared {
            let weights = self.weights(&form);
            let id = self.names.len() as u32;
            let keys = match &form {
                Form::Person(p) => person_keys(p),
                Form::Org(o) => org_keys(o),
            };
            for k in &keys {
                let post = self.postings.entry(k.clone()).or_default();
                if post.last() != Some(&id) {
                    post.push(id);
                }
            }
            all_keys.push(keys);
            self.names.push(Prepared {
                entry,
                name,
                form,
                weights,
                key_mass: 0.0,
            });
        }
        for (id, keys) in all_keys.iter().enumerate() {
            let mass = keys
                .iter()
                .filter(|k| is_single_key(k))
                .filter_map(|k| self.postings.get(k))
                .map(|p| self.idf(p.len()))
                .sum();
            self.names[id].key_mass = mass;
        }
    }

    fn weights(&self, form: &Form) -> Vec<f64> {
        match form {
            Form::Person(p) => p.parts.iter().map(|x| self.part_stats.weight(x)).collect(),
            Form::Org(o) => self.org_weights(o),
        }
    }

    fn org_weights(&self, o: &OrgName) -> Vec<f64> {
        let n = self.entries.len() as u64;
        o.words
            .iter()
            .map(|w| rarity(self.word_df.get(&org_word_key(w)).copied().unwrap_or(0), n))
            .collect()
    }

    fn idf(&self, posting_len: usize) -> f64 {
        ((self.names.len() as f64 + 1.0) / (posting_len as f64 + 1.0)).ln()
    }

    /// Candidate names for a set of keys, best first: ranked by the rarity
    /// of the keys they share with the query, less half the rarity of
    /// their own keys the query lacks (so that a name made mostly of other
    /// parts ranks below one the query covers).
    fn candidates(&self, keys: &[String]) -> Vec<u32> {
        let mut looked: Vec<(&[u32], f64, bool)> = keys
            .iter()
            .filter_map(|k| self.postings.get(k).map(|p| (p, is_single_key(k))))
            .filter(|(p, _)| p.len() <= self.limits.max_posting)
            .map(|(p, single)| (p.as_slice(), self.idf(p.len()), single))
            .collect();
        looked.sort_by_key(|(p, _, _)| p.len());
        // Per candidate: (shared single-key mass, shared pair-key mass).
        let mut acc: HashMap<u32, (f64, f64)> = HashMap::new();
        let mut read = 0usize;
        for (post, idf, single) in looked {
            if read + post.len() > self.limits.posting_budget {
                break;
            }
            read += post.len();
            for &id in post {
                let a = acc.entry(id).or_default();
                if single {
                    a.0 += idf;
                } else {
                    a.1 += idf;
                }
            }
        }
        let mut ranked: Vec<(u32, f64)> = acc
            .into_iter()
            .map(|(id, (single, pair))| {
                let missing = (self.names[id as usize].key_mass - single).max(0.0);
                (id, single + pair - 0.5 * missing)
            })
            .collect();
        ranked.sort_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0)));
        ranked.truncate(self.limits.candidates);
        ranked.into_iter().map(|(id, _)| id).collect()
    }

    fn prepare_query<'a>(&self, text: &'a str, t: EntityType) -> QueryName<'a> {
        let person = t.is_person_like().then(|| {
            let p = PersonName::parse_with(text, self.table);
            let w = p.parts.iter().map(|x| self.part_stats.weight(x)).collect();
            (p, w)
        });
        let org = (t != EntityType::Person).then(|| {
            let o = OrgName::parse(text);
            let w = self.org_weights(&o);
            (o, w)
        });
        QueryName {
            text,
            person: person.filter(|(p, _)| !p.is_empty()),
            org: org.filter(|(o, _)| !o.is_empty()),
        }
    }

    /// Screen one query against every loaded list: matching entries, best
    /// first, down to the model's report floor, at most `limit`.
    pub fn screen(&self, query: &Query, limit: usize) -> Vec<ScreenMatch> {
        self.screen_scored(query, limit, self.model.report_floor)
    }

    /// Like [`Screener::screen`] with an explicit lower bound on the score.
    pub fn screen_scored(&self, query: &Query, limit: usize, min_score: f64) -> Vec<ScreenMatch> {
        let qnames: Vec<QueryName> = query
            .all_names()
            .map(|n| self.prepare_query(n, query.entity_type))
            .collect();
        // Best name comparison per entry: (logit, query name, prepared id, detail).
        // Per entry, the best comparison of each query name: (logit, id, detail).
        type Hits = Vec<Option<(f64, u32, Detail)>>;
        let mut hits: HashMap<u32, Hits> = HashMap::new();
        for (qi, qn) in qnames.iter().enumerate() {
            let mut keys = Vec::new();
            if let Some((p, _)) = &qn.person {
                keys.extend(person_keys(p));
            }
            if let Some((o, _)) = &qn.org {
                keys.extend(org_keys(o));
            }
            for id in self.candidates(&keys) {
                let Some(ns) = self.compare(qn, &self.names[id as usize]) else {
                    continue;
                };
                let entry = self.names[id as usize].entry;
                let h = hits
                    .entry(entry)
                    .or_insert_with(|| (0..qnames.len()).map(|_| None).collect());
                if h[qi].as_ref().is_none_or(|b| ns.logit > b.0) {
                    h[qi] = Some((ns.logit, id, ns.detail));
                }
            }
        }
        let mut out: Vec<ScreenMatch> = hits
            .into_iter()
            .filter_map(|(entry, h)| {
                let (qi, (logit, id, detail)) = h
                    .iter()
                    .enumerate()
                    .filter_map(|(qi, x)| x.as_ref().map(|x| (qi, x)))
                    .max_by(|a, b| a.1 .0.total_cmp(&b.1 .0).then(b.0.cmp(&a.0)))?;
                let mut m = self.finish(query, &qnames[qi], entry, *logit, *id, detail);
                self.also_matched(&qnames, qi, &h, &mut m);
                (m.score >= min_score).then_some(m)
            })
            .collect();
        out.sort_by(|a, b| {
            b.score
                .total_cmp(&a.score)
                .then_with(|| a.list.cmp(&b.list))
                .then_with(|| a.list_id.cmp(&b.list_id))
        });
        out.truncate(limit);
        out
    }

    /// Names the other query names that matched a name of the entry well
    /// enough to report (an alias of the query matching an alias of the
    /// entry is worth filing too).
    fn also_matched(
        &self,
        qnames: &[QueryName],
        best: usize,
        hits: &[Option<(f64, u32, Detail)>],
        m: &mut ScreenMatch,
    ) {
        let mut extra = Vec::new();
        for (qi, h) in hits.iter().enumerate() {
            let Some((logit, id, _)) = h else { continue };
            if qi == best || sigmoid(*logit) < self.model.report_floor {
                continue;
            }
            let p = &self.names[*id as usize];
            let n = &self.entries[p.entry as usize].names[p.name as usize];
            extra.push(Explanation::AlsoMatched {
                query_name: qnames[qi].text.to_string(),
                list_name: n.text.clone(),
                name_kind: n.kind,
                strength: n.strength,
                name_score: (sigmoid(*logit) * 1000.0).round() / 1000.0,
            });
        }
        // Before the entry item, which stays last.
        let at = m.explanation.len().saturating_sub(1);
        m.explanation.splice(at..at, extra);
    }

    /// Compares one query name with one list name of the same form.
    fn compare(&self, q: &QueryName, l: &Prepared) -> Option<NameScore> {
        let weak = self.entries[l.entry as usize].names[l.name as usize].strength == Strength::Weak;
        match &l.form {
            Form::Person(lp) => {
                let (qp, qw) = q.person.as_ref()?;
                let al = align(qp, lp, self.table, &self.params);
                if al.pairs.is_empty() {
                    return None;
                }
                let x = person_features(qp, qw, lp, &l.weights, &al, weak);
                Some(NameScore {
                    logit: self.model.name_logit(&x),
                    detail: Detail::Person(al),
                })
            }
            Form::Org(lo) => {
                let (qo, qw) = q.org.as_ref()?;
                let acronym = is_acronym_of(qo, lo) || is_acronym_of(lo, qo);
                let pairs = if acronym {
                    Vec::new()
                } else {
                    align_words(qo, lo, self.table, &self.params)
                };
                if pairs.is_empty() && !acronym {
                    return None;
                }
                let x = org_features(qo, qw, lo, &l.weights, &pairs, acronym, weak);
                Some(NameScore {
                    logit: self.model.name_logit(&x),
                    detail: Detail::Org { pairs, acronym },
                })
            }
        }
    }

    /// Score with the supporting facts and build the explanation.
    fn finish(
        &self,
        query: &Query,
        qn: &QueryName,
        entry_ix: u32,
        name_logit: f64,
        id: u32,
        detail: &Detail,
    ) -> ScreenMatch {
        let e = &self.entries[entry_ix as usize];
        let prepared = &self.names[id as usize];
        let ln = &e.names[prepared.name as usize];
        let mut explanation = vec![Explanation::MatchedName {
            query_name: qn.text.to_string(),
            list_name: ln.text.clone(),
            name_kind: ln.kind,
            strength: ln.strength,
            script: ln.script,
        }];
        self.explain_parts(qn, prepared, detail, &mut explanation);
        let mut logit = name_logit;
        for fact in [
            evidence::birth_dates(&query.birth_dates, e),
            evidence::countries(&query.countries, e),
            evidence::entity_type(query.entity_type, e),
            evidence::identifiers(&query.identifiers, e),
        ]
        .into_iter()
        .flatten()
        {
            logit += self.model.adjustment(fact.0);
            explanation.push(fact.1);
        }
        let source = &self.sources[self.entry_source[entry_ix as usize] as usize];
        explanation.push(Explanation::Entry {
            list: e.list,
            list_id: e.list_id.clone(),
            name: e.primary_name().to_string(),
            programs: e.programs.clone(),
            list_date: source.date,
            source: source.path.clone(),
        });
        let score = sigmoid(logit);
        ScreenMatch {
            list: e.list,
            list_id: e.list_id.clone(),
            name: e.primary_name().to_string(),
            entity_type: e.entity_type,
            entry_fingerprint: self.fingerprint(entry_ix),
            list_date: source.date,
            score,
            is_match: score >= self.model.threshold,
            explanation,
        }
    }

    fn explain_parts(
        &self,
        qn: &QueryName,
        l: &Prepared,
        detail: &Detail,
        out: &mut Vec<Explanation>,
    ) {
        match (detail, &l.form, &qn.person, &qn.org) {
            (Detail::Person(al), Form::Person(lp), Some((qp, qw)), _) => {
                for pair in &al.pairs {
                    let (a, b) = (&qp.parts[pair.a], &lp.parts[pair.b]);
                    out.push(Explanation::PartMatched {
                        query_part: a.text.clone(),
                        query_role: a.role.into(),
                        list_part: b.text.clone(),
                        list_role: b.role.into(),
                        rule: pair.how.into(),
                        common: qw[pair.a].max(l.weights[pair.b]) < COMMON_WEIGHT,
                    });
                }
                for c in &al.conflicts {
                    out.push(Explanation::NameConflict {
                        conflict: c.kind.into(),
                        query_part: qp.parts[c.a].text.clone(),
                        list_part: lp.parts[c.b].text.clone(),
                    });
                }
                for (i, p) in qp.parts.iter().enumerate() {
                    if al.of_a(i).is_none() {
                        out.push(Explanation::QueryPartUnmatched {
                            part: p.text.clone(),
                            role: p.role.into(),
                        });
                    }
                }
                for (j, p) in lp.parts.iter().enumerate() {
                    if al.of_b(j).is_none() {
                        out.push(Explanation::ListPartUnmatched {
                            part: p.text.clone(),
                            role: p.role.into(),
                        });
                    }
                }
            }
            (Detail::Org { pairs, acronym }, Form::Org(lo), _, Some((qo, qw))) => {
                if *acronym {
                    out.push(Explanation::PartMatched {
                        query_part: qo.text.trim().to_string(),
                        query_role: PartRole::Word,
                        list_part: lo.text.trim().to_string(),
                        list_role: PartRole::Word,
                        rule: Rule::Acronym,
                        common: false,
                    });
                    return;
                }
                for &(a, b, how) in pairs {
                    out.push(Explanation::PartMatched {
                        query_part: qo.words[a].clone(),
                        query_role: PartRole::Word,
                        list_part: lo.words[b].clone(),
                        list_role: PartRole::Word,
                        rule: how.into(),
                        common: qw[a].max(l.weights[b]) < COMMON_WEIGHT,
                    });
                }
                for (i, w) in qo.words.iter().enumerate() {
                    if !pairs.iter().any(|p| p.0 == i) {
                        out.push(Explanation::QueryPartUnmatched {
                            part: w.clone(),
                            role: PartRole::Word,
                        });
                    }
                }
                for (j, w) in lo.words.iter().enumerate() {
                    if !pairs.iter().any(|p| p.1 == j) {
                        out.push(Explanation::ListPartUnmatched {
                            part: w.clone(),
                            role: PartRole::Word,
                        });
                    }
                }
            }
            _ => {}
        }
    }

    /// The name features of the best comparison of `query` with the entry
    /// `list`/`list_id`, for fitting the model; `None` when no name of the
    /// entry is a candidate.
    pub fn features_for(&self, query: &Query, list: ListKind, list_id: &str) -> Option<Features> {
        let mut best: Option<(f64, Features)> = None;
        for text in query.all_names() {
            let qn = self.prepare_query(text, query.entity_type);
            let mut keys = Vec::new();
            if let Some((p, _)) = &qn.person {
                keys.extend(person_keys(p));
            }
            if let Some((o, _)) = &qn.org {
                keys.extend(org_keys(o));
            }
            for id in self.candidates(&keys) {
                let l = &self.names[id as usize];
                let e = &self.entries[l.entry as usize];
                if e.list != list || e.list_id != list_id {
                    continue;
                }
                if let Some(x) = self.features_of(&qn, l) {
                    let logit = self.model.name_logit(&x);
                    if best.is_none_or(|b| logit > b.0) {
                        best = Some((logit, x));
                    }
                }
            }
        }
        best.map(|b| b.1)
    }

    fn features_of(&self, q: &QueryName, l: &Prepared) -> Option<Features> {
        let weak = self.entries[l.entry as usize].names[l.name as usize].strength == Strength::Weak;
        match &l.form {
            Form::Person(lp) => {
                let (qp, qw) = q.person.as_ref()?;
                let al = align(qp, lp, self.table, &self.params);
                (!al.pairs.is_empty()).then(|| person_features(qp, qw, lp, &l.weights, &al, weak))
            }
            Form::Org(lo) => {
                let (qo, qw) = q.org.as_ref()?;
                let acronym = is_acronym_of(qo, lo) || is_acronym_of(lo, qo);
                let pairs = align_words(qo, lo, self.table, &self.params);
                (acronym || !pairs.is_empty())
                    .then(|| org_features(qo, qw, lo, &l.weights, &pairs, acronym, weak))
            }
        }
    }

    /// The features of every candidate entry (best name each), for fitting:
    /// `(list, list_id, features)`.
    pub fn candidate_features(&self, query: &Query) -> Vec<(ListKind, String, Features)> {
        let mut best: HashMap<u32, (f64, Features)> = HashMap::new();
        for text in query.all_names() {
            let qn = self.prepare_query(text, query.entity_type);
            let mut keys = Vec::new();
            if let Some((p, _)) = &qn.person {
                keys.extend(person_keys(p));
            }
            if let Some((o, _)) = &qn.org {
                keys.extend(org_keys(o));
            }
            for id in self.candidates(&keys) {
                let l = &self.names[id as usize];
                if let Some(x) = self.features_of(&qn, l) {
                    let logit = self.model.name_logit(&x);
                    if best.get(&l.entry).is_none_or(|b| logit > b.0) {
                        best.insert(l.entry, (logit, x));
                    }
                }
            }
        }
        let mut out: Vec<(ListKind, String, Features)> = best
            .into_iter()
            .map(|(e, (_, x))| {
                let e = &self.entries[e as usize];
                (e.list, e.list_id.clone(), x)
            })
            .collect();
        out.sort_by(|a, b| (a.0, &a.1).cmp(&(b.0, &b.1)));
        out
    }

    /// The date of each loaded list, for reports.
    pub fn list_dates(&self) -> Vec<(ListKind, Option<Date>)> {
        self.sources.iter().map(|s| (s.kind, s.date)).collect()
    }
}

/// Legal forms and generic head words of organisation names
/// (`data/org_generic.txt`).
fn org_generic(word: &str) -> bool {
    static WORDS: std::sync::OnceLock<std::collections::HashSet<&'static str>> =
        std::sync::OnceLock::new();
    WORDS
        .get_or_init(|| {
            include_str!("../data/org_generic.txt")
                .lines()
                .map(str::trim)
                .filter(|l| !l.is_empty() && !l.starts_with('#'))
                .collect()
        })
        .contains(word)
}

/// Parts lighter than this are "common on the lists" in explanations.
const COMMON_WEIGHT: f64 = 0.3;

fn is_acronym_of(short: &OrgName, long: &OrgName) -> bool {
    short.acronym.as_ref().is_some_and(|a| {
        long.acronym.is_none() && long.words.len() >= 2 && long.initialisms().contains(a)
    })
}

/// Weighted edit distance per letter of two parts' cores, for the part
/// matches that are not spelling-identical.
/// For Arabic script against Latin, the Arabic part's core is its learned
/// letter-by-letter rendering, so the distance says how well the Latin
/// spelling renders it.
fn spelling_distance(how: PartMatch, a: &str, b: &str) -> f64 {
    match how {
        PartMatch::Phonetic | PartMatch::Fuzzy | PartMatch::CrossScript => {
            weighted_distance_folded(a, b) / a.len().max(b.len()).max(1) as f64
        }
        _ => 0.0,
    }
}

/// A sound-alike or near-spelling match with little to go on: a skeleton
/// of at most two consonants, or different first letters that are not
/// both vowels.
fn weak_sound_alike(how: PartMatch, a: &str, b: &str) -> bool {
    if !matches!(
        how,
        PartMatch::Phonetic | PartMatch::Fuzzy | PartMatch::CrossScript
    ) {
        return false;
    }
    let short = skeleton_folded(a).len().max(skeleton_folded(b).len()) <= 2;
    let vowel = |c: u8| b"aeiouy".contains(&c);
    let first_differs = match (a.bytes().next(), b.bytes().next()) {
        (Some(x), Some(y)) => x != y && !(vowel(x) && vowel(y)),
        _ => false,
    };
    short || first_differs
}

/// A given name aligned with a part in another slot, or an initial with a
/// family name ("J. Russell" / "JALILI, Rasool").
fn role_mismatch_of(a: Role, b: Role) -> bool {
    let plain = |r: Role| !matches!(r, Role::Bare | Role::Initial);
    let name_slot = |r: Role| matches!(r, Role::Given | Role::Middle | Role::Bare | Role::Initial);
    if a == Role::Initial || b == Role::Initial {
        return !(name_slot(a) && name_slot(b));
    }
    plain(a) && plain(b) && ((a == Role::Given) != (b == Role::Given))
}

/// Parts whose absence says the names differ (as against middle names
/// and filiations that writers leave out).
fn identifying(r: Role) -> bool {
    matches!(r, Role::Given | Role::Family | Role::Kunya | Role::Bare)
}

fn person_features(
    q: &PersonName,
    qw: &[f64],
    l: &PersonName,
    lw: &[f64],
    al: &dossier_names::Alignment,
    weak: bool,
) -> Features {
    let mut x = [0.0; Feature::ALL.len()];
    let (mut qm, mut lm, mut evidence) = (0.0, 0.0, 0.0);
    let (mut typo, mut short, mut role_mismatch, mut distance) = (0.0, 0.0, 0.0, 0.0);
    let mut weak_sound = 0.0;
    for p in &al.pairs {
        let (pa, pb) = (&q.parts[p.a], &l.parts[p.b]);
        if role_mismatch_of(pa.role, pb.role) {
            role_mismatch += 1.0;
        }
        distance += spelling_distance(p.how, &pa.core, &pb.core);
        weak_sound += f64::from(u8::from(weak_sound_alike(p.how, &pa.core, &pb.core)));
        let s = p.how.strength();
        qm += s * qw[p.a];
        lm += s * lw[p.b];
        evidence += s * lw[p.b].max(qw[p.a]);
        match p.how {
            PartMatch::Fuzzy => typo += 1.0,
            PartMatch::Initial | PartMatch::Prefix => short += 1.0,
            _ => {}
        }
    }
    let unmatched_list = |pick: &dyn Fn(Role) -> bool| {
        l.parts
            .iter()
            .enumerate()
            .filter(|(j, p)| pick(p.role) && al.of_b(*j).is_none())
            .count()
            .min(3) as f64
    };
    let unmatched_query = |pick: &dyn Fn(Role) -> bool| {
        q.parts
            .iter()
            .enumerate()
            .filter(|(i, p)| pick(p.role) && al.of_a(*i).is_none())
            .count()
            .min(3) as f64
    };
    x[Feature::Bias as usize] = 1.0;
    x[Feature::QueryCoverage as usize] = qm / qw.iter().sum::<f64>().max(1e-9);
    x[Feature::ListCoverage as usize] = lm / lw.iter().sum::<f64>().max(1e-9);
    x[Feature::Evidence as usize] = evidence.min(3.0);
    x[Feature::Conflict as usize] = f64::from(u8::from(!al.conflicts.is_empty()));
    x[Feature::WeakName as usize] = f64::from(u8::from(weak));
    x[Feature::UnmatchedListParts as usize] = unmatched_list(&identifying);
    x[Feature::UnmatchedListExtra as usize] =
        unmatched_list(&|r| !identifying(r) && r != Role::Initial);
    x[Feature::UnmatchedQueryParts as usize] = unmatched_query(&identifying);
    x[Feature::UnmatchedQueryExtra as usize] =
        unmatched_query(&|r| !identifying(r) && r != Role::Initial);
    x[Feature::TypoParts as usize] = typo;
    x[Feature::ShortParts as usize] = short;
    let single = q.parts.len() == 1 || l.parts.len() == 1;
    x[Feature::SinglePart as usize] = f64::from(u8::from(single));
    x[Feature::SinglePartEvidence as usize] = if single { evidence.min(3.0) } else { 0.0 };
    x[Feature::RoleMismatch as usize] = role_mismatch;
    x[Feature::SpellingDistance as usize] = distance;
    x[Feature::WeakSoundAlike as usize] = weak_sound;
    x
}

fn org_features(
    q: &OrgName,
    qw: &[f64],
    l: &OrgName,
    lw: &[f64],
    pairs: &[(usize, usize, PartMatch)],
    acronym: bool,
    weak: bool,
) -> Features {
    let mut x = [0.0; Feature::ALL.len()];
    x[Feature::Bias as usize] = 1.0;
    x[Feature::WeakName as usize] = f64::from(u8::from(weak));
    if acronym {
        x[Feature::QueryCoverage as usize] = 0.9;
        x[Feature::ListCoverage as usize] = 0.9;
        x[Feature::Evidence as usize] = 1.0;
        x[Feature::SinglePart as usize] = 1.0;
        x[Feature::SinglePartEvidence as usize] = 1.0;
        return x;
    }
    let (mut qm, mut lm, mut evidence, mut typo, mut distance) = (0.0, 0.0, 0.0, 0.0, 0.0);
    for &(a, b, how) in pairs {
        distance += spelling_distance(how, &q.words[a], &l.words[b]);
        let s = how.strength();
        qm += s * qw[a];
        lm += s * lw[b];
        evidence += s * lw[b].max(qw[a]);
        if how == PartMatch::Fuzzy {
            typo += 1.0;
        }
    }
    x[Feature::QueryCoverage as usize] = qm / qw.iter().sum::<f64>().max(1e-9);
    x[Feature::ListCoverage as usize] = lm / lw.iter().sum::<f64>().max(1e-9);
    x[Feature::Evidence as usize] = evidence.min(3.0);
    // Unmatched legal forms and generic words are extras, the rest identify.
    let unmatched = |words: &[String], matched: &dyn Fn(usize) -> bool, generic: bool| {
        words
            .iter()
            .enumerate()
            .filter(|(i, w)| !matched(*i) && org_generic(w) == generic)
            .count()
            .min(3) as f64
    };
    let in_q = |i: usize| pairs.iter().any(|p| p.0 == i);
    let in_l = |j: usize| pairs.iter().any(|p| p.1 == j);
    x[Feature::UnmatchedListParts as usize] = unmatched(&l.words, &in_l, false);
    x[Feature::UnmatchedListExtra as usize] = unmatched(&l.words, &in_l, true);
    x[Feature::UnmatchedQueryParts as usize] = unmatched(&q.words, &in_q, false);
    x[Feature::UnmatchedQueryExtra as usize] = unmatched(&q.words, &in_q, true);
    x[Feature::TypoParts as usize] = typo;
    let single = qw.len() == 1 || lw.len() == 1;
    x[Feature::SinglePart as usize] = f64::from(u8::from(single));
    x[Feature::SinglePartEvidence as usize] = if single { evidence.min(3.0) } else { 0.0 };
    x[Feature::SpellingDistance as usize] = distance;
    x
}
