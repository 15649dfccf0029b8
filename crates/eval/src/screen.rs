//! `dossier eval screen`: sanctions screening on a dev/test set built from
//! the shared lists.
//!
//! Positives: the same person on the UN list (2020-11-30) and on OFAC's
//! SDN list (2022-01) linked by a strict rule: the same exact date of
//! birth (to the day, 1 January excluded as the lists' stand-in for a
//! year alone) and a loose name check (some name token of one
//! equals, or is one edit from, a name token of the other); a UN person
//! with two such OFAC candidates is left out as ambiguous. From each link:
//! the UN primary name screened against OFAC, the OFAC primary name
//! screened against the UN list, and the UN original-script (Arabic) name
//! screened against OFAC. Negatives: multi-word PERSON names of CoNLL-2003
//! `eng.train` (1996 Reuters news) screened against both lists, after
//! removing every name whose words all occur in one list name (folded),
//! so that listed people (and near-identical names) are not counted as
//! negatives. Every query is typed `person`, names only.
//!
//! Split: by a fixed-seed hash of the UN reference number (all queries of
//! one person together) or of the negative name, half dev, half test. The
//! model's name weights and threshold are fitted on dev only (`--fit`).
//!
//! Reported per split: recall@1 on positives (the linked entry ranked
//! first), decision precision/recall/F1 at the threshold (a decision is
//! right when the top match is the linked entry and scores at least the
//! threshold; a top match at the threshold for a negative, or for the
//! wrong entry, is a false positive), and the false-positive rate on
//! negatives. Beside it: a plain fuzzy baseline (token-sort Jaro-Winkler,
//! best name per entry, threshold tuned on dev), and, when a Python with
//! `nomenklatura` is given, OpenSanctions' logic-v1 and logic-v2 matchers
//! on the union of both systems' top-10 candidates, at yente's default
//! threshold 0.7 and at their best dev threshold.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::io::{BufRead, BufReader, Write};
use std::path::{Path, PathBuf};

use anyhow::{bail, Context, Result};
use dossier_core::{Date, DatePrecision};
use dossier_names::fold::fold_latin;
use dossier_names::phonetic::{levenshtein, skeleton};
use dossier_screen::entry::{BirthDate, EntityType, ListEntry, NameKind, Script};
use dossier_screen::model::{Feature, Features, Model};
use dossier_screen::screener::Limits;
use dossier_screen::{ListSpec, Query, SanctionsList, Screener};
use rayon::prelude::*;

use crate::metrics::ratio;
use crate::nlp_data::{iob_entities, read_conll, repo_path};

#[derive(Debug, clap::Args)]
pub struct Args {
    /// The shared data directory.
    #[arg(long, default_value = "../shared/data")]
    pub data: PathBuf,
    /// Fit the name weights and the threshold on the dev split.
    #[arg(long)]
    pub fit: bool,
    /// With --fit: write the fitted model there (crates/screen/data/model.tsv).
    #[arg(long)]
    pub write_model: Option<PathBuf>,
    /// Print this many links (UN <-> OFAC) for checking by eye.
    #[arg(long, default_value_t = 12)]
    pub sample: usize,
    /// Print this many errors of each kind (dev split only).
    #[arg(long, default_value_t = 0)]
    pub errors: usize,
    /// Python interpreter with nomenklatura installed (default:
    /// $DOSSIER_NOMENKLATURA_PYTHON).
    #[arg(long)]
    pub nomenklatura: Option<PathBuf>,
    /// Write the dev/test queries as JSON lines (id, name, split, target).
    #[arg(long)]
    pub dump: Option<PathBuf>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Kind {
    UnToOfac,
    OfacToUn,
    ArabicToOfac,
    Negative,
}

impl Kind {
    fn as_str(self) -> &'static str {
        match self {
            Kind::UnToOfac => "UN name -> OFAC",
            Kind::OfacToUn => "OFAC name -> UN",
            Kind::ArabicToOfac => "UN Arabic script -> OFAC",
            Kind::Negative => "not listed (CoNLL)",
        }
    }
}

/// Which lists a case is screened against.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Against {
    Ofac,
    Un,
    Both,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Split {
    Dev,
    Test,
}

#[derive(Debug, Clone)]
pub struct Case {
    pub id: String,
    pub kind: Kind,
    pub query: Query,
    pub target: Option<String>,
    pub against: Against,
    pub split: Split,
    /// The query's folded words equal those of one of the target's names.
    pub trivial: bool,
}

/// A UN entry linked to an OFAC entry.
#[derive(Debug, Clone)]
pub struct Link {
    pub un: usize,
    pub ofac: usize,
    pub dob: Date,
}

pub struct DevSet {
    pub ofac: SanctionsList,
    pub un: SanctionsList,
    pub links: Vec<Link>,
    pub ambiguous: usize,
    pub cases: Vec<Case>,
    pub negatives_removed: Vec<String>,
}

const SEED: &str = "dossier-screen-eval-v1";

/// Stable FNV-1a hash of the seed and a key.
fn fnv(key: &str) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for b in SEED.bytes().chain(key.bytes()) {
        h ^= u64::from(b);
        h = h.wrapping_mul(0x0100_0000_01b3);
    }
    h
}

fn split_of(key: &str) -> Split {
    if fnv(key) & 1 == 0 {
        Split::Dev
    } else {
        Split::Test
    }
}

/// Folded words of a name (letters and digits only).
pub fn words(s: &str) -> Vec<String> {
    fold_latin(s)
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(str::to_string)
        .collect()
}

/// Words for the loose name check: particles and short words left out.
fn loose_words(e: &ListEntry) -> HashSet<String> {
    const SKIP: &[&str] = &[
        "al", "el", "bin", "ibn", "abu", "abd", "abdul", "ben", "bint",
    ];
    e.names
        .iter()
        .filter(|n| n.script == Script::Latin)
        .flat_map(|n| words(&n.text))
        .filter(|w| w.len() >= 3 && !SKIP.contains(&w.as_str()))
        .collect()
}

fn loose_share(a: &HashSet<String>, b: &HashSet<String>) -> bool {
    a.iter().any(|x| {
        b.contains(x)
            || b.iter()
                .any(|y| x.len() >= 4 && y.len() >= 4 && levenshtein(x, y) <= 1)
    })
}

/// Dates of birth known to the day, except 1 January: lists write it for
/// a year alone, and it links strangers.
fn day_dobs(e: &ListEntry) -> Vec<Date> {
    e.birth_dates
        .iter()
        .filter_map(|d| match d {
            BirthDate::Exact(d)
                if d.precision() == DatePrecision::Day
                    && (d.month, d.day) != (Some(1), Some(1)) =>
            {
                Some(*d)
            }
            _ => None,
        })
        .collect()
}

pub fn load_lists(data: &Path) -> Result<(SanctionsList, SanctionsList)> {
    let ofac: ListSpec = format!(
        "ofac:{}",
        data.join("ofac_sdn/2022-01_ListLookup").display()
    )
    .parse()?;
    let un: ListSpec = format!(
        "un:{}",
        data.join("un_consolidated_list/consolidated_2020-11-30.xml")
            .display()
    )
    .parse()?;
    let mut lists = dossier_screen::load_all(&[ofac, un])?;
    let un = lists.pop().context("no UN list")?;
    let ofac = lists.pop().context("no OFAC list")?;
    Ok((ofac, un))
}

fn link(ofac: &SanctionsList, un: &SanctionsList) -> (Vec<Link>, usize) {
    let mut by_dob: HashMap<Date, Vec<usize>> = HashMap::new();
    for (i, e) in ofac.entries.iter().enumerate() {
        if e.entity_type == EntityType::Person {
            for d in day_dobs(e) {
                by_dob.entry(d).or_default().push(i);
            }
        }
    }
    let mut links = Vec::new();
    let mut ambiguous = 0;
    for (ui, u) in un.entries.iter().enumerate() {
        if u.entity_type != EntityType::Person {
            continue;
        }
        let uw = loose_words(u);
        let mut found: Vec<(usize, Date)> = Vec::new();
        for d in day_dobs(u) {
            for &oi in by_dob.get(&d).map(Vec::as_slice).unwrap_or(&[]) {
                if !found.iter().any(|f| f.0 == oi)
                    && loose_share(&uw, &loose_words(&ofac.entries[oi]))
                {
                    found.push((oi, d));
                }
            }
        }
        match found.as_slice() {
            [(oi, d)] => links.push(Link {
                un: ui,
                ofac: *oi,
                dob: *d,
            }),
            [] => {}
            _ => ambiguous += 1,
        }
    }
    (links, ambiguous)
}

fn sorted_words(s: &str) -> Vec<String> {
    let mut w = words(s);
    w.sort();
    w
}

fn trivial(query: &str, target: &ListEntry) -> bool {
    let q = sorted_words(query);
    target.names.iter().any(|n| sorted_words(&n.text) == q)
}

fn person_query(name: &str) -> Query {
    let mut q = Query::name(name);
    q.entity_type = EntityType::Person;
    q
}

/// Multi-word PERSON names of CoNLL-2003 train, unique, in file order.
fn conll_people(data: &Path) -> Result<Vec<String>> {
    let docs = read_conll(&data.join("conll2003/eng.train"))?;
    let mut seen = HashSet::new();
    let mut out = Vec::new();
    for d in &docs {
        for s in &d.sentences {
            let tags: Vec<&str> = s.iter().map(|t| t.tag.as_str()).collect();
            for (a, b, label) in iob_entities(&tags) {
                if label != "PER" || b - a < 2 {
                    continue;
                }
                let name = s[a..b]
                    .iter()
                    .map(|t| t.text.as_str())
                    .collect::<Vec<_>>()
                    .join(" ");
                if seen.insert(sorted_words(&name)) {
                    out.push(name);
                }
            }
        }
    }
    Ok(out)
}

/// Two spellings of one word for the negatives filter: equal, or the same
/// consonant skeleton and one edit apart ("Tareq" / "Tariq").
fn same_word(a: &str, b: &str) -> bool {
    a == b || (skeleton(a) == skeleton(b) && levenshtein(a, b) <= 1)
}

/// Whether every word of `name` is (up to one edit of the same consonants)
/// a word of one list name: such names may be the listed person, so they
/// are no negatives.
fn covered_by_list(
    name: &str,
    list_words: &[Vec<String>],
    index: &HashMap<String, Vec<u32>>,
) -> bool {
    let w = words(name);
    let Some(first) = w.first() else { return true };
    index.get(&skeleton(first)).is_some_and(|ids| {
        ids.iter().any(|&i| {
            w.iter()
                .all(|x| list_words[i as usize].iter().any(|y| same_word(x, y)))
        })
    })
}

pub fn build(data: &Path) -> Result<DevSet> {
    let (ofac, un) = load_lists(data)?;
    let (links, ambiguous) = link(&ofac, &un);
    let mut cases = Vec::new();
    for l in &links {
        let u = &un.entries[l.un];
        let o = &ofac.entries[l.ofac];
        let split = split_of(&u.list_id);
        let mut push = |kind: Kind, name: &str, target: &ListEntry, against: Against| {
            cases.push(Case {
                id: format!("{}:{}", kind as u8, u.list_id),
                kind,
                query: person_query(name),
                target: Some(target.list_id.clone()),
                against,
                split,
                trivial: trivial(name, target),
            });
        };
        push(Kind::UnToOfac, u.primary_name(), o, Against::Ofac);
        push(Kind::OfacToUn, o.primary_name(), u, Against::Un);
        if let Some(n) = u
            .names
            .iter()
            .find(|n| n.kind == NameKind::OriginalScript && n.script == Script::Arabic)
        {
            push(Kind::ArabicToOfac, &n.text, o, Against::Ofac);
        }
    }
    // Negatives, with every name that a list name covers removed.
    let mut list_words: Vec<Vec<String>> = Vec::new();
    let mut index: HashMap<String, Vec<u32>> = HashMap::new();
    for e in ofac.entries.iter().chain(&un.entries) {
        for n in &e.names {
            let w = words(&n.text);
            let id = list_words.len() as u32;
            for x in &w {
                let ids = index.entry(skeleton(x)).or_default();
                if ids.last() != Some(&id) {
                    ids.push(id);
                }
            }
            list_words.push(w);
        }
    }
    let mut removed = Vec::new();
    for name in conll_people(data)? {
        if covered_by_list(&name, &list_words, &index) {
            removed.push(name);
            continue;
        }
        cases.push(Case {
            id: format!("neg:{name}"),
            kind: Kind::Negative,
            split: split_of(&name),
            query: person_query(&name),
            target: None,
            against: Against::Both,
            trivial: false,
        });
    }
    Ok(DevSet {
        ofac,
        un,
        links,
        ambiguous,
        cases,
        negatives_removed: removed,
    })
}

// ---- the plain fuzzy baseline ----

/// Jaro-Winkler similarity of two byte strings.
pub fn jaro_winkler(a: &[u8], b: &[u8]) -> f64 {
    if a.is_empty() || b.is_empty() {
        return if a == b { 1.0 } else { 0.0 };
    }
    let window = (a.len().max(b.len()) / 2).saturating_sub(1);
    let mut b_used = vec![false; b.len()];
    let mut a_matched = Vec::with_capacity(a.len());
    for (i, &ca) in a.iter().enumerate() {
        let lo = i.saturating_sub(window);
        let hi = (i + window + 1).min(b.len());
        for j in lo..hi {
            if !b_used[j] && b[j] == ca {
                b_used[j] = true;
                a_matched.push(ca);
                break;
            }
        }
    }
    let m = a_matched.len();
    if m == 0 {
        return 0.0;
    }
    let b_matched = b.iter().zip(&b_used).filter(|(_, u)| **u).map(|(c, _)| *c);
    let transpositions = a_matched
        .iter()
        .zip(b_matched)
        .filter(|(x, y)| **x != *y)
        .count() as f64
        / 2.0;
    let m = m as f64;
    let jaro = (m / a.len() as f64 + m / b.len() as f64 + (m - transpositions) / m) / 3.0;
    let prefix = a.iter().zip(b).take(4).take_while(|(x, y)| x == y).count() as f64;
    jaro + prefix * 0.1 * (1.0 - jaro)
}

/// Folded words sorted and joined: the baseline's form of a name.
pub fn token_sort(s: &str) -> String {
    sorted_words(s).join(" ")
}

/// Token-sort Jaro-Winkler over every name of every entry of the query's
/// type: a full scan, as plain fuzzy screening does.
pub struct Baseline {
    /// (entry id, token-sorted name)
    names: Vec<(String, String)>,
}

impl Baseline {
    pub fn new(lists: &[&SanctionsList], t: EntityType) -> Baseline {
        let mut names = Vec::new();
        for l in lists {
            for e in &l.entries {
                if t != EntityType::Unknown && e.entity_type != t {
                    continue;
                }
                for n in &e.names {
                    let s = token_sort(&n.text);
                    if !s.is_empty() {
                        names.push((e.list_id.clone(), s));
                    }
                }
            }
        }
        Baseline { names }
    }

    pub fn name_count(&self) -> usize {
        self.names.len()
    }

    /// The best `k` entries with their best name's similarity.
    pub fn top(&self, query: &str, k: usize) -> Vec<(String, f64)> {
        let q = token_sort(query);
        let mut best: HashMap<&str, f64> = HashMap::new();
        for (id, n) in &self.names {
            let s = jaro_winkler(q.as_bytes(), n.as_bytes());
            let b = best.entry(id.as_str()).or_insert(0.0);
            if s > *b {
                *b = s;
            }
        }
        let mut v: Vec<(String, f64)> = best.into_iter().map(|(i, s)| (i.to_string(), s)).collect();
        v.sort_by(|a, b| b.1.total_cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
        v.truncate(k);
        v
    }
}

// ---- scoring and metrics ----

/// One system's ranked answer for a case: (entry id, score), best first.
pub type Ranked = Vec<(String, f64)>;

#[derive(Debug, Default, Clone, Copy)]
pub struct Outcome {
    pub positives: usize,
    pub negatives: usize,
    pub top1: usize,
    pub tp: usize,
    pub fp: usize,
    pub fp_negatives: usize,
}

impl Outcome {
    pub fn f1(&self) -> f64 {
        let p = ratio(self.tp, self.tp + self.fp);
        let r = ratio(self.tp, self.positives);
        crate::metrics::f1(p, r)
    }

    pub fn fpr(&self) -> f64 {
        ratio(self.fp_negatives, self.negatives)
    }
}

/// Decisions at threshold `t` over the cases selected by `keep`.
pub fn outcome(
    cases: &[Case],
    answers: &[Ranked],
    t: f64,
    keep: &dyn Fn(&Case) -> bool,
) -> Outcome {
    let mut o = Outcome::default();
    for (c, a) in cases.iter().zip(answers) {
        if !keep(c) {
            continue;
        }
        let top = a.first();
        let flagged = top.is_some_and(|x| x.1 >= t);
        match &c.target {
            Some(target) => {
                o.positives += 1;
                let right = top.is_some_and(|x| &x.0 == target);
                o.top1 += usize::from(right);
                if flagged && right {
                    o.tp += 1;
                } else if flagged {
                    o.fp += 1;
                }
            }
            None => {
                o.negatives += 1;
                if flagged {
                    o.fp += 1;
                    o.fp_negatives += 1;
                }
            }
        }
    }
    o
}

/// The threshold with the best F1 among those whose FPR is at most
/// `max_fpr`, over the observed scores.
pub fn best_threshold(
    cases: &[Case],
    answers: &[Ranked],
    keep: &dyn Fn(&Case) -> bool,
    max_fpr: f64,
) -> f64 {
    let mut ts: Vec<f64> = answers
        .iter()
        .zip(cases)
        .filter(|(_, c)| keep(c))
        .filter_map(|(a, _)| a.first().map(|x| x.1))
        .collect();
    ts.sort_by(f64::total_cmp);
    ts.dedup();
    let mut best = (f64::INFINITY, -1.0);
    for &t in &ts {
        let o = outcome(cases, answers, t, keep);
        if o.fpr() <= max_fpr && o.f1() > best.1 {
            best = (t, o.f1());
        }
    }
    best.0
}

fn screener_for(set: &DevSet, against: Against, model: &Model) -> Screener {
    let lists = match against {
        Against::Ofac => vec![set.ofac.clone()],
        Against::Un => vec![set.un.clone()],
        Against::Both => vec![set.ofac.clone(), set.un.clone()],
    };
    Screener::with_model(lists, model.clone(), Limits::default())
}

struct Screeners {
    ofac: Screener,
    un: Screener,
    both: Screener,
}

impl Screeners {
    fn new(set: &DevSet, model: &Model) -> Screeners {
        Screeners {
            ofac: screener_for(set, Against::Ofac, model),
            un: screener_for(set, Against::Un, model),
            both: screener_for(set, Against::Both, model),
        }
    }

    fn get(&self, a: Against) -> &Screener {
        match a {
            Against::Ofac => &self.ofac,
            Against::Un => &self.un,
            Against::Both => &self.both,
        }
    }

    fn set_model(&mut self, m: &Model) {
        for s in [&mut self.ofac, &mut self.un, &mut self.both] {
            s.set_model(m.clone());
        }
    }
}

fn ours(cases: &[Case], s: &Screeners) -> Vec<Ranked> {
    cases
        .par_iter()
        .map(|c| {
            s.get(c.against)
                .screen_scored(&c.query, 10, 0.0)
                .into_iter()
                .map(|m| (m.list_id, m.score))
                .collect()
        })
        .collect()
}

struct Baselines {
    ofac: Baseline,
    un: Baseline,
    both: Baseline,
}

fn baseline_answers(cases: &[Case], b: &Baselines) -> Vec<Ranked> {
    cases
        .par_iter()
        .map(|c| {
            let base = match c.against {
                Against::Ofac => &b.ofac,
                Against::Un => &b.un,
                Against::Both => &b.both,
            };
            base.top(&c.query.name, 10)
        })
        .collect()
}

// ---- fitting ----

/// L2-regularised logistic regression by Newton's method.
pub fn fit_logistic(xs: &[Features], ys: &[bool], l2: f64) -> Features {
    const N: usize = Feature::ALL.len();
    let mut w = [0.0f64; N];
    for _ in 0..30 {
        let mut grad = [0.0f64; N];
        let mut hess = [[0.0f64; N]; N];
        for (x, &y) in xs.iter().zip(ys) {
            let z: f64 = w.iter().zip(x).map(|(a, b)| a * b).sum();
            let p = dossier_screen::model::sigmoid(z);
            let err = p - f64::from(u8::from(y));
            let v = (p * (1.0 - p)).max(1e-9);
            for i in 0..N {
                grad[i] += err * x[i];
                for j in 0..N {
                    hess[i][j] += v * x[i] * x[j];
                }
            }
        }
        for i in 1..N {
            grad[i] += l2 * w[i];
            hess[i][i] += l2;
        }
        hess[0][0] += 1e-9;
        let Some(step) = solve(hess, grad) else { break };
        let mut change = 0.0f64;
        for i in 0..N {
            w[i] -= step[i];
            change = change.max(step[i].abs());
        }
        if change < 1e-7 {
            break;
        }
    }
    w
}

/// Solves `a x = b` by Gaussian elimination with partial pivoting.
fn solve<const N: usize>(mut a: [[f64; N]; N], mut b: [f64; N]) -> Option<[f64; N]> {
    for col in 0..N {
        let piv = (col..N).max_by(|&i, &j| a[i][col].abs().total_cmp(&a[j][col].abs()))?;
        if a[piv][col].abs() < 1e-12 {
            return None;
        }
        a.swap(col, piv);
        b.swap(col, piv);
        for r in col + 1..N {
            let f = a[r][col] / a[col][col];
            let (top, rest) = a.split_at_mut(r);
            for (x, p) in rest[0][col..].iter_mut().zip(&top[col][col..]) {
                *x -= f * p;
            }
            b[r] -= f * b[col];
        }
    }
    let mut x = [0.0; N];
    for r in (0..N).rev() {
        let s: f64 = (r + 1..N).map(|c| a[r][c] * x[c]).sum();
        x[r] = (b[r] - s) / a[r][r];
    }
    Some(x)
}

fn training_pairs(cases: &[Case], s: &Screeners) -> (Vec<Features>, Vec<bool>) {
    let rows: Vec<Vec<(Features, bool)>> = cases
        .par_iter()
        .filter(|c| c.split == Split::Dev)
        .map(|c| {
            s.get(c.against)
                .candidate_features(&c.query)
                .into_iter()
                .map(|(_, id, x)| (x, c.target.as_deref() == Some(id.as_str())))
                .collect()
        })
        .collect();
    rows.into_iter().flatten().unzip()
}

// ---- nomenklatura reference ----

fn ftm_entity(e: &ListEntry) -> serde_json::Value {
    let mut props: BTreeMap<&str, Vec<String>> = BTreeMap::new();
    for (i, n) in e.names.iter().enumerate() {
        let key = if i == 0 {
            "name"
        } else if n.strength == dossier_screen::Strength::Weak {
            "weakAlias"
        } else {
            "alias"
        };
        props.entry(key).or_default().push(n.text.clone());
    }
    for d in &e.birth_dates {
        let v = match d {
            BirthDate::Exact(d) => d.to_string(),
            BirthDate::Circa(y) => y.to_string(),
            BirthDate::Between { from, .. } => from.to_string(),
        };
        props.entry("birthDate").or_default().push(v);
    }
    for c in &e.countries {
        if let Some(code) = &c.country.code {
            props
                .entry("country")
                .or_default()
                .push(code.to_ascii_lowercase());
        }
    }
    let schema = match e.entity_type {
        EntityType::Person => "Person",
        EntityType::Organization => "Organization",
        EntityType::Vessel => "Vessel",
        EntityType::Aircraft => "Airplane",
        EntityType::Unknown => "LegalEntity",
    };
    serde_json::json!({"id": e.list_id, "schema": schema, "properties": props})
}

/// Scores per algorithm per case (candidate id -> score), and pairs per
/// second per algorithm.
type NkScores = (BTreeMap<String, Vec<Ranked>>, BTreeMap<String, f64>);

fn run_nomenklatura(
    python: &Path,
    set: &DevSet,
    cases: &[Case],
    cands: &[Vec<String>],
) -> Result<NkScores> {
    let script = repo_path("scripts/python/nomenklatura_screen.py")
        .context("scripts/python/nomenklatura_screen.py not found (run from the repository)")?;
    let mut by_id: HashMap<&str, &ListEntry> = HashMap::new();
    for e in set.ofac.entries.iter().chain(&set.un.entries) {
        by_id.insert(&e.list_id, e);
    }
    let mut child = std::process::Command::new(python)
        .arg(&script)
        .arg("logic-v1")
        .arg("logic-v2")
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::inherit())
        .spawn()
        .with_context(|| format!("cannot run {}", python.display()))?;
    let mut stdin = child.stdin.take().context("no stdin")?;
    let mut input = String::new();
    for (i, (c, ids)) in cases.iter().zip(cands).enumerate() {
        let candidates: Vec<serde_json::Value> = ids
            .iter()
            .filter_map(|id| by_id.get(id.as_str()).map(|e| ftm_entity(e)))
            .collect();
        let rec = serde_json::json!({
            "qid": i.to_string(),
            "query": {"schema": "Person", "properties": {"name": [c.query.name]}},
            "candidates": candidates,
        });
        input.push_str(&rec.to_string());
        input.push('\n');
    }
    let writer = std::thread::spawn(move || stdin.write_all(input.as_bytes()));
    let stdout = child.stdout.take().context("no stdout")?;
    let mut per_algo: BTreeMap<String, Vec<Ranked>> = BTreeMap::new();
    let mut speed = BTreeMap::new();
    for line in BufReader::new(stdout).lines() {
        let v: serde_json::Value =
            serde_json::from_str(&line?).context("bad JSON from nomenklatura_screen.py")?;
        if let Some(t) = v.get("timing").and_then(|t| t.as_object()) {
            for (algo, x) in t {
                let pairs = x["pairs"].as_f64().unwrap_or(0.0);
                let secs = x["seconds"].as_f64().unwrap_or(0.0);
                speed.insert(algo.clone(), pairs / secs.max(1e-9));
            }
            continue;
        }
        let scores = v["scores"].as_object().context("no scores")?;
        for (algo, m) in scores {
            let mut r: Ranked = m
                .as_object()
                .map(|o| {
                    o.iter()
                        .map(|(k, s)| (k.clone(), s.as_f64().unwrap_or(0.0)))
                        .collect()
                })
                .unwrap_or_default();
            r.sort_by(|a, b| b.1.total_cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
            per_algo.entry(algo.clone()).or_default().push(r);
        }
    }
    writer
        .join()
        .map_err(|_| anyhow::anyhow!("writer thread panicked"))?
        .context("writing to nomenklatura_screen.py")?;
    let status = child.wait()?;
    if !status.success() {
        bail!("nomenklatura_screen.py failed ({status})");
    }
    for (algo, v) in &per_algo {
        if v.len() != cases.len() {
            bail!(
                "nomenklatura {algo}: {} answers for {} cases",
                v.len(),
                cases.len()
            );
        }
    }
    Ok((per_algo, speed))
}

// ---- the command ----

fn print_links(set: &DevSet, n: usize) {
    let mut order: Vec<&Link> = set.links.iter().collect();
    order.sort_by_key(|l| fnv(&set.un.entries[l.un].list_id));
    println!("sample of links (UN <- same date of birth -> OFAC), check by eye:");
    for l in order.into_iter().take(n) {
        let u = &set.un.entries[l.un];
        let o = &set.ofac.entries[l.ofac];
        println!(
            "  {} {:<40} {}  OFAC {:>6} {}",
            u.list_id,
            u.primary_name(),
            l.dob,
            o.list_id,
            o.primary_name()
        );
    }
}

fn report_row(name: &str, o: &Outcome, t: f64) {
    println!(
        "  {:<34} {:>6.3} {:>8.3} {:>6.3} {:>6.3} {:>6.3} {:>7.2}%",
        name,
        t,
        ratio(o.top1, o.positives),
        ratio(o.tp, o.tp + o.fp),
        ratio(o.tp, o.positives),
        o.f1(),
        100.0 * o.fpr()
    );
}

fn print_errors(cases: &[Case], answers: &[Ranked], t: f64, split: Split, n: usize) {
    let mut fps = 0;
    let mut misses = 0;
    for (c, a) in cases.iter().zip(answers) {
        if c.split != split {
            continue;
        }
        let top = a.first();
        let flagged = top.is_some_and(|x| x.1 >= t);
        match &c.target {
            None if flagged && fps < n => {
                fps += 1;
                println!("    FP  {:?} -> {:?}", c.query.name, top);
            }
            Some(target) if (!flagged || top.is_some_and(|x| &x.0 != target)) && misses < n => {
                misses += 1;
                println!(
                    "    MISS [{}] {:?} (want {target}) -> {:?}",
                    c.kind.as_str(),
                    c.query.name,
                    top
                );
            }
            _ => {}
        }
    }
}

pub fn run(args: &Args) -> Result<()> {
    let t0 = std::time::Instant::now();
    let set = build(&args.data)?;
    let count = |k: Kind, s: Split| {
        set.cases
            .iter()
            .filter(|c| c.kind == k && c.split == s)
            .count()
    };
    println!(
        "eval screen: OFAC {} entries ({}), UN {} entries ({}); {} UN<->OFAC links by exact date of birth + loose name check ({} ambiguous left out); {} CoNLL names removed as on a list",
        set.ofac.entries.len(),
        set.ofac.source.date.map(|d| d.to_string()).unwrap_or_default(),
        set.un.entries.len(),
        set.un.source.date.map(|d| d.to_string()).unwrap_or_default(),
        set.links.len(),
        set.ambiguous,
        set.negatives_removed.len()
    );
    for k in [
        Kind::UnToOfac,
        Kind::OfacToUn,
        Kind::ArabicToOfac,
        Kind::Negative,
    ] {
        println!(
            "  {:<26} dev {:>5}  test {:>5}",
            k.as_str(),
            count(k, Split::Dev),
            count(k, Split::Test)
        );
    }
    let trivial = set.cases.iter().filter(|c| c.trivial).count();
    println!("  ({trivial} positive queries spell a name of their target exactly, up to case and word order)");
    print_links(&set, args.sample);
    println!(
        "  removed as listed, e.g.: {}",
        set.negatives_removed
            .iter()
            .take(8)
            .cloned()
            .collect::<Vec<_>>()
            .join("; ")
    );
    if let Some(p) = &args.dump {
        let mut f = std::io::BufWriter::new(std::fs::File::create(p)?);
        for c in &set.cases {
            let rec = serde_json::json!({"id": c.id, "name": c.query.name, "type": "person",
                "split": if c.split == Split::Dev {"dev"} else {"test"}, "target": c.target});
            writeln!(f, "{rec}")?;
        }
    }

    let mut model = Model::embedded()?;
    let mut screeners = Screeners::new(&set, &model);
    if args.fit {
        // Two rounds: the best name per entry depends on the weights.
        for round in 0..2 {
            let (xs, ys) = training_pairs(&set.cases, &screeners);
            let w = fit_logistic(&xs, &ys, 1.0);
            model.weights = w;
            screeners.set_model(&model);
            println!(
                "fit round {}: {} candidate pairs ({} positive)",
                round + 1,
                xs.len(),
                ys.iter().filter(|y| **y).count()
            );
        }
        let answers = ours(&set.cases, &screeners);
        let dev = |c: &Case| c.split == Split::Dev;
        model.threshold = best_threshold(&set.cases, &answers, &dev, 0.005);
        model.report_floor = (model.threshold / 2.0).min(0.2);
        screeners.set_model(&model);
        let header = format!(
            "Screening model: logistic weights of the name features, fitted with\n\
             `dossier eval screen --fit` on the DEV split ({} dev queries);\n\
             threshold = the best dev decision F1 with a dev false-positive rate <= 0.5%.\n\
             The `adjust` rows (dates, countries, type, identifiers) are set by hand:\n\
             the dev queries are names only, so they cannot be fitted there.",
            set.cases.iter().filter(|c| c.split == Split::Dev).count()
        );
        let text = model.to_tsv(&header);
        println!("{text}");
        if let Some(p) = &args.write_model {
            std::fs::write(p, &text).with_context(|| format!("cannot write {}", p.display()))?;
            println!("wrote {}", p.display());
        }
    }

    let answers = ours(&set.cases, &screeners);
    let baselines = Baselines {
        ofac: Baseline::new(&[&set.ofac], EntityType::Person),
        un: Baseline::new(&[&set.un], EntityType::Person),
        both: Baseline::new(&[&set.ofac, &set.un], EntityType::Person),
    };
    let base = baseline_answers(&set.cases, &baselines);
    let dev = |c: &Case| c.split == Split::Dev;
    let base_t = best_threshold(&set.cases, &base, &dev, 1.0);
    let mut systems: Vec<(String, Vec<Ranked>, f64)> = vec![
        ("dossier-screen".into(), answers.clone(), model.threshold),
        (
            "token-sort Jaro-Winkler (dev-best)".into(),
            base.clone(),
            base_t,
        ),
    ];
    let python = args
        .nomenklatura
        .clone()
        .or_else(|| std::env::var_os("DOSSIER_NOMENKLATURA_PYTHON").map(PathBuf::from));
    match python.filter(|p| p.exists()) {
        Some(py) => {
            let cands: Vec<Vec<String>> = answers
                .iter()
                .zip(&base)
                .map(|(a, b)| {
                    let mut ids: Vec<String> = a.iter().chain(b).map(|x| x.0.clone()).collect();
                    ids.sort();
                    ids.dedup();
                    ids
                })
                .collect();
            println!("running nomenklatura ({}) on {} queries ...", py.display(), set.cases.len());
            let (per_algo, speed) = run_nomenklatura(&py, &set, &set.cases, &cands)?;
            for (algo, ans) in per_algo {
                let t = best_threshold(&set.cases, &ans, &dev, 1.0);
                systems.push((format!("nomenklatura {algo} @0.70"), ans.clone(), 0.7));
                systems.push((format!("nomenklatura {algo} (dev-best)"), ans, t));
            }
            for (algo, pps) in speed {
                println!("  nomenklatura {algo}: {pps:.0} pairs/s (one process)");
            }
        }
        None => println!(
            "nomenklatura reference skipped: pass --nomenklatura PYTHON or set DOSSIER_NOMENKLATURA_PYTHON \
             (a venv with `pip install nomenklatura`)"
        ),
    }
    for split in [Split::Dev, Split::Test] {
        println!(
            "\n{} split{}",
            if split == Split::Dev { "DEV" } else { "TEST" },
            if split == Split::Dev {
                " (threshold chosen here: a dev figure)"
            } else {
                " (held out from fitting and threshold choice)"
            }
        );
        println!(
            "  {:<34} {:>6} {:>8} {:>6} {:>6} {:>6} {:>8}",
            "system", "thr", "recall@1", "P", "R", "F1", "FPR"
        );
        let keep = |c: &Case| c.split == split;
        for (name, ans, t) in &systems {
            report_row(name, &outcome(&set.cases, ans, *t, &keep), *t);
        }
        println!("  dossier-screen by query kind (recall@1 / decision recall):");
        for k in [Kind::UnToOfac, Kind::OfacToUn, Kind::ArabicToOfac] {
            let o = outcome(&set.cases, &answers, model.threshold, &|c: &Case| {
                c.split == split && c.kind == k
            });
            let ot = outcome(&set.cases, &answers, model.threshold, &|c: &Case| {
                c.split == split && c.kind == k && !c.trivial
            });
            println!(
                "    {:<26} {:.3} / {:.3}   (not exact spellings: {:.3} / {:.3}, n={})",
                k.as_str(),
                ratio(o.top1, o.positives),
                ratio(o.tp, o.positives),
                ratio(ot.top1, ot.positives),
                ratio(ot.tp, ot.positives),
                ot.positives
            );
        }
        // Errors of the dev split only: the test split is not for looking at.
        if args.errors > 0 && split == Split::Dev {
            print_errors(&set.cases, &answers, model.threshold, split, args.errors);
        }
    }
    println!("\n({:.1}s)", t0.elapsed().as_secs_f64());
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn jaro_winkler_known_values() {
        assert!((jaro_winkler(b"martha", b"marhta") - 0.9611).abs() < 1e-3);
        assert!((jaro_winkler(b"dixon", b"dicksonx") - 0.8133).abs() < 1e-3);
        assert_eq!(jaro_winkler(b"abc", b"abc"), 1.0);
        assert_eq!(jaro_winkler(b"abc", b"xyz"), 0.0);
        assert_eq!(token_sort("AL-MASRI, Abu Mohamed"), "abu al masri mohamed");
    }

    #[test]
    fn logistic_fit_separates() {
        let mut xs = Vec::new();
        let mut ys = Vec::new();
        for i in 0..200 {
            let mut x = [0.0; Feature::ALL.len()];
            x[0] = 1.0;
            x[1] = (i % 10) as f64 / 10.0;
            xs.push(x);
            ys.push(i % 10 >= 6 || i % 37 == 0);
        }
        let w = fit_logistic(&xs, &ys, 0.1);
        assert!(w[1] > 1.0, "{w:?}");
    }

    #[test]
    fn thresholds_respect_the_fpr_bound() {
        let case = |target: Option<&str>| Case {
            id: String::new(),
            kind: Kind::Negative,
            query: Query::name("x"),
            target: target.map(str::to_string),
            against: Against::Both,
            split: Split::Dev,
            trivial: false,
        };
        let cases = vec![case(Some("a")), case(Some("b")), case(None), case(None)];
        let answers: Vec<Ranked> = vec![
            vec![("a".into(), 0.9)],
            vec![("b".into(), 0.5)],
            vec![("z".into(), 0.6)],
            vec![("z".into(), 0.1)],
        ];
        let all = |_: &Case| true;
        let o = outcome(&cases, &answers, 0.55, &all);
        assert_eq!((o.tp, o.fp, o.fp_negatives, o.top1), (1, 1, 1, 2));
        let t = best_threshold(&cases, &answers, &all, 0.0);
        assert_eq!(t, 0.9);
        let t = best_threshold(&cases, &answers, &all, 1.0);
        assert_eq!(t, 0.5);
    }
}
