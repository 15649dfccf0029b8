//! Comparing person names part by part, with rarity weights and reasons.

use std::collections::{HashMap, HashSet};

use crate::person::{NamePart, Particle, PersonName, Role};
use crate::phonetic::{skeleton_folded, weighted_distance_within};
use crate::table::Table;

/// The judgement on two names.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Verdict {
    /// Spellings of the same full name ("Imad Mughniyah" / "Imad Mugniyeh").
    Same,
    /// Could be the same person: one is a short form of the other, or they
    /// overlap without contradicting ("Pompeo" / "Mike Pompeo").
    Compatible,
    /// Share something but contradict in a slot that identifies the person
    /// ("Hamza bin Laden" / "Osama bin Laden").
    Conflict,
    /// Nothing in common.
    Unrelated,
}

impl Verdict {
    pub fn as_str(self) -> &'static str {
        match self {
            Verdict::Same => "same",
            Verdict::Compatible => "compatible",
            Verdict::Conflict => "conflict",
            Verdict::Unrelated => "unrelated",
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct NameMatch {
    /// 0..1: weighted share of the two names that matched; low for matches
    /// on common parts only, and cut down on conflict.
    pub score: f64,
    pub verdict: Verdict,
    pub reasons: Vec<String>,
}

impl NameMatch {
    /// A compatible match where every part of one name is found in the
    /// other ("Pompeo" / "Mike Pompeo"), as opposed to two names that merely
    /// overlap ("Hasan al-Arif" / "Saddam Hussein").
    pub fn is_short_form(&self) -> bool {
        self.verdict == Verdict::Compatible && self.reasons.iter().any(|r| r.ends_with(SHORT_FORM))
    }
}

pub(crate) const SHORT_FORM: &str = "is a short form of the other name";

/// How two parts matched.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum PartMatch {
    /// Same letters after folding case, diacritics and apostrophes.
    Exact,
    /// Spellings the transliteration data pairs with one Arabic spelling.
    Variant,
    /// Same consonant skeleton and a small weighted edit distance.
    Phonetic,
    /// Small weighted edit distance only.
    Fuzzy,
    /// Arabic script and Latin spelling that render each other.
    CrossScript,
    /// An initial and a name starting with it.
    Initial,
    /// A short form that begins the longer one ("Chris" / "Christopher").
    Prefix,
}

impl PartMatch {
    pub fn as_str(self) -> &'static str {
        match self {
            PartMatch::Exact => "exact",
            PartMatch::Variant => "transliteration variant",
            PartMatch::Phonetic => "phonetic variant",
            PartMatch::Fuzzy => "near spelling",
            PartMatch::CrossScript => "Arabic/Latin transliteration",
            PartMatch::Initial => "initial",
            PartMatch::Prefix => "short form",
        }
    }

    /// How much a match of this kind counts (1 = full).
    pub fn strength(self) -> f64 {
        match self {
            PartMatch::Exact => 1.0,
            PartMatch::Variant | PartMatch::CrossScript => 0.95,
            PartMatch::Phonetic => 0.9,
            PartMatch::Fuzzy => 0.75,
            PartMatch::Initial => 0.5,
            PartMatch::Prefix => 0.6,
        }
    }
}

/// Thresholds of the part matcher, chosen on the development split of the
/// transliteration data (`dossier eval names --split dev`).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct MatchParams {
    /// Max weighted distance per letter of the longer part for a phonetic
    /// match (skeletons equal).
    pub phonetic_per_letter: f64,
    /// Max weighted distance per letter for a fuzzy match (skeletons differ).
    pub fuzzy_per_letter: f64,
    /// Min mean log-likelihood per Arabic letter for a cross-script match.
    pub cross_min_score: f64,
    /// Let "bin X" match a bare "X" (lists drop the filiation particle:
    /// "MOHAMAD RAFI BIN UDIN" / "UDIN, Mohamad Rafi"). Off by default:
    /// within a document "bin Laden" and "Laden" are told apart by role.
    pub optional_filiation: bool,
}

impl Default for MatchParams {
    fn default() -> Self {
        MatchParams {
            phonetic_per_letter: 0.25,
            fuzzy_per_letter: 0.08,
            cross_min_score: -2.0,
            optional_filiation: false,
        }
    }
}

/// Compare two folded Latin name cores.
pub fn match_latin(a: &str, b: &str, table: &Table, params: &MatchParams) -> Option<PartMatch> {
    match_spellings(a, b, table, params, false)
}

/// [`match_latin`]; `alone` when one of the parts is a whole name by itself
/// ("Ball"), which then has nothing else to confirm a loose match.
fn match_spellings(
    a: &str,
    b: &str,
    table: &Table,
    params: &MatchParams,
    alone: bool,
) -> Option<PartMatch> {
    if a.is_empty() || b.is_empty() {
        return None;
    }
    if a == b {
        return Some(PartMatch::Exact);
    }
    let (ka, kb) = (skeleton_folded(a), skeleton_folded(b));
    // Under three consonants a skeleton says little, and for a name that
    // stands alone the table's groups, made through Arabic script that
    // writes no short vowels and no p, join different Western names
    // ("Ball", "Bull", "Paul").
    let short = ka.len().min(kb.len()) < 3;
    let strict = short && alone;
    if !strict && table.are_variants(a, b) {
        return Some(PartMatch::Variant);
    }
    // Two spellings the data knows as renderings of different Arabic names
    // are different names, however alike they look ("Mahmoud" / "Mohamed").
    if table.knows(a) && table.knows(b) {
        return None;
    }
    // The allowed distance grows with the longer spelling, except where the
    // skeleton is too short to say much: under three consonants it is the
    // shorter one's, so "Guerrero" (8 letters) is not "Gore" (4) though both
    // are "gr", and less for a name alone, so "Shad" is not "Said".
    let longer = if ka == kb && strict {
        a.len().min(b.len()) as f64 * 0.75
    } else if ka == kb && short {
        a.len().min(b.len()) as f64
    } else {
        a.len().max(b.len()) as f64
    };
    let fuzzy_ok = a.len().min(b.len()) >= 4;
    let limit = match (ka == kb, fuzzy_ok) {
        (true, true) => params.phonetic_per_letter.max(params.fuzzy_per_letter),
        (true, false) => params.phonetic_per_letter,
        (false, true) => params.fuzzy_per_letter,
        (false, false) => return None,
    } * longer;
    let d = weighted_distance_within(a, b, limit)?;
    // Very short skeletons ("sm" for Osama and Asma) need the letters too.
    if ka == kb && d <= params.phonetic_per_letter * longer {
        return Some(PartMatch::Phonetic);
    }
    if fuzzy_ok && d <= params.fuzzy_per_letter * longer {
        return Some(PartMatch::Fuzzy);
    }
    None
}

/// Compare two parts (particles must agree; the article may be present on
/// one side only).
pub fn match_parts(
    a: &NamePart,
    b: &NamePart,
    table: &Table,
    params: &MatchParams,
) -> Option<PartMatch> {
    let particle_ok = match (a.particle, b.particle) {
        (x, y) if x == y => true,
        (Some(Particle::Bin | Particle::Bint), None)
        | (None, Some(Particle::Bin | Particle::Bint)) => params.optional_filiation,
        _ => false,
    };
    if !particle_ok {
        return None;
    }
    match (&a.arabic, &b.arabic) {
        (Some(x), Some(y)) => {
            if x == y {
                return Some(PartMatch::Exact);
            }
            return match_latin(&a.core, &b.core, table, params).map(|_| PartMatch::Phonetic);
        }
        (Some(ar), None) => return match_cross(ar, &a.core, &b.core, table, params),
        (None, Some(ar)) => return match_cross(ar, &b.core, &a.core, table, params),
        (None, None) => {}
    }
    if a.role == Role::Initial || b.role == Role::Initial {
        let (i, full) = if a.role == Role::Initial {
            (a, b)
        } else {
            (b, a)
        };
        if full.role == Role::Initial {
            return (i.core == full.core).then_some(PartMatch::Exact);
        }
        // Initials stand for given and middle names: "John S.R. Shad" says
        // nothing of a "Silverstein".
        if full.role.is_surname_like() {
            return None;
        }
        return full.core.starts_with(&i.core).then_some(PartMatch::Initial);
    }
    let alone = a.role == Role::Bare || b.role == Role::Bare;
    if let Some(m) = match_spellings(&a.core, &b.core, table, params, alone) {
        return Some(m);
    }
    // Short forms of given names: "Chris" / "Christopher".
    let (s, l) = if a.core.len() <= b.core.len() {
        (&a.core, &b.core)
    } else {
        (&b.core, &a.core)
    };
    if a.role == Role::Given
        && b.role == Role::Given
        && s.len() >= 3
        && l.len() > s.len() + 1
        && l.starts_with(s.as_str())
    {
        return Some(PartMatch::Prefix);
    }
    None
}

/// Compare an Arabic-script word with a Latin spelling (both name cores).
pub fn match_arabic_latin(
    arabic: &str,
    latin: &str,
    table: &Table,
    params: &MatchParams,
) -> Option<PartMatch> {
    let rendered = table.transliterate(arabic);
    match_cross(
        &crate::fold::normalize_arabic(arabic),
        &rendered,
        &crate::fold::fold_letters(latin),
        table,
        params,
    )
}

fn match_cross(
    arabic: &str,
    rendered: &str,
    latin: &str,
    table: &Table,
    params: &MatchParams,
) -> Option<PartMatch> {
    if table.latin_for_arabic(arabic).iter().any(|l| l == latin) {
        return Some(PartMatch::Variant);
    }
    if table
        .cross_score(arabic, latin)
        .is_some_and(|s| s >= params.cross_min_score)
    {
        return Some(PartMatch::CrossScript);
    }
    let (kr, kl) = (skeleton_folded(rendered), skeleton_folded(latin));
    (kr == kl && kr.len() >= 2).then_some(PartMatch::CrossScript)
}

/// Document frequencies of name parts in the caller's corpus, keyed by
/// [`NamePart::freq_key`], so that common parts (Muhammad, Abdullah,
/// al-Masri, bin Laden) weigh less than rare ones.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct PartStats {
    documents: u64,
    df: HashMap<String, u64>,
}

impl PartStats {
    pub fn new() -> PartStats {
        PartStats::default()
    }

    /// Count one document: each distinct part key among its names once.
    pub fn add_document<'a>(&mut self, names: impl IntoIterator<Item = &'a PersonName>) {
        self.documents += 1;
        let keys: HashSet<String> = names
            .into_iter()
            .flat_map(|n| n.parts.iter().map(NamePart::freq_key))
            .collect();
        for k in keys {
            *self.df.entry(k).or_default() += 1;
        }
    }

    /// Set counts directly (e.g. from a store's aggregate).
    pub fn set(&mut self, stat_key: &str, document_frequency: u64) {
        self.df.insert(stat_key.to_string(), document_frequency);
    }

    pub fn set_documents(&mut self, documents: u64) {
        self.documents = documents;
    }

    pub fn documents(&self) -> u64 {
        self.documents
    }

    pub fn df(&self, part: &NamePart) -> u64 {
        self.df.get(&part.freq_key()).copied().unwrap_or(0)
    }

    /// Evidence weight of a part in 0.05..=1: 1 for a part never seen (or
    /// with no statistics), falling with log document frequency to 0.05 for
    /// a part in every document.
    pub fn weight(&self, part: &NamePart) -> f64 {
        if self.documents == 0 {
            return 1.0;
        }
        let n = self.documents as f64;
        let df = (self.df(part) as f64).min(n);
        let idf = ((n + 1.0) / (df + 1.0)).ln();
        (idf / (n + 1.0).ln()).clamp(0.05, 1.0)
    }
}

/// Compare with the committed table and default thresholds.
pub fn compare(a: &PersonName, b: &PersonName, stats: &PartStats) -> NameMatch {
    compare_with(a, b, stats, Table::embedded(), &MatchParams::default())
}

fn describe(p: &NamePart) -> String {
    format!("{} \"{}\"", p.role.as_str(), p.text)
}

/// One part of name `a` aligned with one part of name `b`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct AlignedPart {
    /// Index into the parts of `a`.
    pub a: usize,
    /// Index into the parts of `b`.
    pub b: usize,
    pub how: PartMatch,
}

/// Which identifying slot two names fill differently.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ConflictKind {
    /// "Abu Muhsin al-Masri" / "Abu Mohammed al-Masri".
    Kunya,
    /// "Hamza bin Laden" / "Osama bin Laden".
    GivenName,
    /// "Mike Pompeo" / "Mike Pence": two unmatched last names of one kind.
    LastName,
}

/// A contradiction between part `a` of one name and part `b` of the other.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Conflict {
    pub kind: ConflictKind,
    pub a: usize,
    pub b: usize,
}

/// The one-to-one part alignment of two person names and the slots in
/// which they contradict (conflicts only when some part matched).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Alignment {
    pub pairs: Vec<AlignedPart>,
    pub conflicts: Vec<Conflict>,
}

impl Alignment {
    /// The part of `b` that part `i` of `a` matched.
    pub fn of_a(&self, i: usize) -> Option<&AlignedPart> {
        self.pairs.iter().find(|p| p.a == i)
    }

    /// The part of `a` that part `j` of `b` matched.
    pub fn of_b(&self, j: usize) -> Option<&AlignedPart> {
        self.pairs.iter().find(|p| p.b == j)
    }
}

/// Align the parts of two names: all candidate part matches, best first,
/// then a greedy one-to-one assignment that prefers same-slot pairs among
/// equals; then the contradictions between unmatched identifying parts.
pub fn align(a: &PersonName, b: &PersonName, table: &Table, params: &MatchParams) -> Alignment {
    let mut cands: Vec<(f64, usize, usize, PartMatch)> = Vec::new();
    for (i, pa) in a.parts.iter().enumerate() {
        for (j, pb) in b.parts.iter().enumerate() {
            if let Some(m) = match_parts(pa, pb, table, params) {
                let same_slot =
                    pa.role == pb.role || pa.role == Role::Bare || pb.role == Role::Bare;
                let order = if same_slot { 0.01 } else { 0.0 };
                cands.push((m.strength() + order, i, j, m));
            }
        }
    }
    cands.sort_by(|x, y| y.0.total_cmp(&x.0).then((x.1, x.2).cmp(&(y.1, y.2))));
    let mut a_used = vec![None; a.parts.len()];
    let mut b_used = vec![None; b.parts.len()];
    let mut pairs = Vec::new();
    for &(_, i, j, m) in &cands {
        if a_used[i].is_none() && b_used[j].is_none() {
            a_used[i] = Some((j, m));
            b_used[j] = Some((i, m));
            pairs.push(AlignedPart { a: i, b: j, how: m });
        }
    }
    pairs.sort_by_key(|p| p.a);
    let conflicts = if pairs.is_empty() {
        Vec::new()
    } else {
        find_conflicts(a, b, &a_used, &b_used)
    };
    Alignment { pairs, conflicts }
}

pub fn compare_with(
    a: &PersonName,
    b: &PersonName,
    stats: &PartStats,
    table: &Table,
    params: &MatchParams,
) -> NameMatch {
    let mut reasons = Vec::new();
    if a.is_empty() || b.is_empty() {
        return NameMatch {
            score: 0.0,
            verdict: Verdict::Unrelated,
            reasons: vec!["a name has no parts after removing titles".to_string()],
        };
    }
    let al = align(a, b, table, params);
    let mut matched_weight = 0.0;
    let mut total_weight = 0.0;
    for (i, pa) in a.parts.iter().enumerate() {
        let wa = stats.weight(pa);
        total_weight += wa;
        if let Some(&AlignedPart { b: j, how: m, .. }) = al.of_a(i) {
            let pb = &b.parts[j];
            let wb = stats.weight(pb);
            matched_weight += m.strength() * (wa + wb);
            let mut r = format!("{} = {} ({})", describe(pa), describe(pb), m.as_str());
            if stats.documents() > 0 && wa.max(wb) < 0.3 {
                r.push_str(", a common part: weak evidence");
            }
            reasons.push(r);
        }
    }
    total_weight += b.parts.iter().map(|p| stats.weight(p)).sum::<f64>();
    let any_match = !al.pairs.is_empty();
    let score_base = if total_weight > 0.0 {
        matched_weight / total_weight
    } else {
        0.0
    };
    let all_a = al.pairs.len() == a.parts.len();
    let all_b = al.pairs.len() == b.parts.len();
    let weak = al
        .pairs
        .iter()
        .any(|p| matches!(p.how, PartMatch::Initial | PartMatch::Prefix));
    // Initials alone are no evidence: "R. S." fits thousands of names.
    let only_initials = al.pairs.iter().all(|p| p.how == PartMatch::Initial);
    let verdict = if !any_match {
        reasons.push("no part in common".to_string());
        Verdict::Unrelated
    } else if only_initials {
        reasons.push("only initials in common".to_string());
        Verdict::Unrelated
    } else if !al.conflicts.is_empty() {
        Verdict::Conflict
    } else if all_a && all_b && !weak {
        Verdict::Same
    } else if !all_a && !all_b && own_parts(a, &al, true) && own_parts(b, &al, false) {
        // "Martin Sosnoff" / "Bill Martin": neither is a short form of the
        // other, and each names someone the other does not.
        reasons.push("each name has a part the other lacks".to_string());
        Verdict::Conflict
    } else {
        if all_a != all_b {
            let short = if all_a { a } else { b };
            reasons.push(format!("\"{}\" {SHORT_FORM}", short.text.trim()));
        } else {
            reasons.push("the names overlap without contradicting".to_string());
        }
        Verdict::Compatible
    };
    let score = match verdict {
        Verdict::Conflict => (score_base * 0.25).min(0.3),
        Verdict::Unrelated => 0.0,
        _ => score_base,
    };
    reasons.extend(al.conflicts.iter().map(|c| describe_conflict(a, b, c)));
    if let (Some(x), Some(y)) = (a.suffixes.first(), b.suffixes.first()) {
        if !x.eq_ignore_ascii_case(y) && verdict != Verdict::Unrelated {
            reasons.push(format!("different suffixes \"{x}\" / \"{y}\""));
            return NameMatch {
                score: (score * 0.25).min(0.3),
                verdict: Verdict::Conflict,
                reasons,
            };
        }
    }
    NameMatch {
        score,
        verdict,
        reasons,
    }
}

/// Whether a name has a part, other than an initial, that the alignment
/// left unmatched (`first`: the name is the alignment's `a`).
fn own_parts(n: &PersonName, al: &Alignment, first: bool) -> bool {
    n.parts.iter().enumerate().any(|(i, p)| {
        let matched = if first { al.of_a(i) } else { al.of_b(i) };
        matched.is_none() && p.role != Role::Initial
    })
}

fn describe_conflict(a: &PersonName, b: &PersonName, c: &Conflict) -> String {
    let what = match c.kind {
        ConflictKind::Kunya => "kunyas",
        ConflictKind::GivenName => "given names",
        ConflictKind::LastName => "last names",
    };
    format!(
        "different {what} {} / {}",
        describe(&a.parts[c.a]),
        describe(&b.parts[c.b])
    )
}

/// Contradictions between two names that share at least one part.
fn find_conflicts(
    a: &PersonName,
    b: &PersonName,
    a_used: &[Option<(usize, PartMatch)>],
    b_used: &[Option<(usize, PartMatch)>],
) -> Vec<Conflict> {
    let mut out = Vec::new();
    let unmatched = |n: &PersonName, used: &[Option<(usize, PartMatch)>], role: Role| {
        n.parts
            .iter()
            .enumerate()
            .position(|(i, p)| p.role == role && used[i].is_none())
    };
    // Two kunyas: "Abu Muhsin al-Masri" vs "Abu Mohammed al-Masri".
    if let (Some(x), Some(y)) = (
        unmatched(a, a_used, Role::Kunya),
        unmatched(b, b_used, Role::Kunya),
    ) {
        out.push(Conflict {
            kind: ConflictKind::Kunya,
            a: x,
            b: y,
        });
    }
    // Two given names: "Hamza bin Laden" vs "Osama bin Laden".
    fn given(n: &PersonName, used: &[Option<(usize, PartMatch)>]) -> Option<(usize, bool)> {
        n.parts
            .iter()
            .position(|p| matches!(p.role, Role::Given | Role::Initial))
            .map(|i| (i, used[i].is_none()))
    }
    if let (Some((x, xu)), Some((y, yu))) = (given(a, a_used), given(b, b_used)) {
        if xu && yu {
            out.push(Conflict {
                kind: ConflictKind::GivenName,
                a: x,
                b: y,
            });
        }
    }
    // Two last names when neither is found in the other name: "Mike Pompeo"
    // vs "Mike Pence".
    fn last(n: &PersonName, used: &[Option<(usize, PartMatch)>]) -> Option<usize> {
        let i = n.parts.len().checked_sub(1)?;
        (n.parts[i].role.is_surname_like() && used[i].is_none()).then_some(i)
    }
    if let (Some(x), Some(y)) = (last(a, a_used), last(b, b_used)) {
        // Two nisbas or two family names contradict; a nisba next to a
        // family name may just be a second surname.
        let same_kind = (a.parts[x].role == Role::Nisba) == (b.parts[y].role == Role::Nisba);
        if same_kind {
            out.push(Conflict {
                kind: ConflictKind::LastName,
                a: x,
                b: y,
            });
        }
    }
    out
}

/// Keys for blocking: names that share no key need not be compared. One key
/// per part (consonant skeleton with its particle, e.g. "abu:mhmd", "msr"),
/// plus the bare core skeleton for particle parts so that "bin Laden" and a
/// bare "Laden" meet. Initials give no key.
pub fn blocking_keys(name: &PersonName) -> Vec<String> {
    let mut keys = Vec::new();
    for p in &name.parts {
        if p.role == Role::Initial || p.key.is_empty() {
            continue;
        }
        let k = p.stat_key();
        if !keys.contains(&k) {
            keys.push(k);
        }
        if p.particle.is_some_and(|x| x != Particle::Abd) && !keys.contains(&p.key) {
            keys.push(p.key.clone());
        }
    }
    keys
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cmp(a: &str, b: &str) -> NameMatch {
        compare(
            &PersonName::parse(a),
            &PersonName::parse(b),
            &PartStats::new(),
        )
    }

    fn verdict(a: &str, b: &str) -> Verdict {
        let m = cmp(a, b);
        // The judgement must not depend on argument order.
        assert_eq!(m.verdict, cmp(b, a).verdict, "{a} / {b}");
        m.verdict
    }

    #[test]
    fn spelling_variants_of_one_name_are_same() {
        for (a, b) in [
            ("Abu Muhammad al-Masri", "Abu Mohammed al-Masri"),
            ("Abdullah Ahmed Abdulla", "Abdullah Ahmed Abdullah"),
            ("Imad Mughniyah", "Imad Mugniyeh"),
            ("Maryam", "Mariam"),
            ("Husam Abd-al-Ra'uf", "Husam Abd al-Rauf"),
            ("Husam Abd-al-Ra’uf", "Husam Abdul Rauf"),
            ("AL-MASRI, Abu Mohamed", "Abu Muhammad al-Masri"),
            ("Mike Pompeo", "Secretary of State Mike Pompeo's"),
        ] {
            assert_eq!(verdict(a, b), Verdict::Same, "{a} / {b}: {:?}", cmp(a, b));
        }
        let m = cmp("Abu Muhammad al-Masri", "Abu Mohammed al-Masri");
        assert!(m.score > 0.9, "{m:?}");
        assert!(m.reasons.iter().any(|r| r.contains("kunya")), "{m:?}");
    }

    #[test]
    fn short_skeletons_need_spellings_of_about_one_length() {
        let t = Table::embedded();
        let p = MatchParams::default();
        assert_eq!(match_latin("guerrero", "gore", t, &p), None);
        for (a, b) in [("reid", "reed"), ("said", "saeed"), ("omar", "umar")] {
            assert!(match_latin(a, b, t, &p).is_some(), "{a} / {b}");
        }
    }

    #[test]
    fn al_before_an_english_surname_is_a_given_name() {
        let n = PersonName::parse("Al Gore");
        assert_eq!(n.parts.len(), 2, "{n:?}");
        assert_eq!(verdict("Al Gore", "Gore"), Verdict::Compatible);
        assert_ne!(verdict("Al Gore", "Tipper Gore"), Verdict::Same);
        assert_ne!(verdict("Al Gore", "Tipper Gore"), Verdict::Compatible);
        assert_ne!(verdict("Al Gore", "Carlos Guerrero"), Verdict::Same);
        // A nisba or a known Arabic name keeps the article.
        for s in ["Al Masri", "Al Zawahiri", "Al Saud"] {
            let n = PersonName::parse(s);
            assert_eq!(n.parts.len(), 1, "{s}");
            assert!(n.parts[0].article, "{s}");
        }
    }

    #[test]
    fn short_forms_are_compatible() {
        for (a, b) in [
            ("Masri", "Abu Muhammad al-Masri"),
            ("Al-Masri", "Abu Mohammed al-Masri"),
            ("Mr Pompeo", "Mike Pompeo"),
            ("Pompeo", "Mike Pompeo"),
            ("Bin Laden", "Osama bin Laden"),
            ("Bin Laden", "Hamza bin Laden"),
            ("M. Pompeo", "Mike Pompeo"),
        ] {
            assert_eq!(
                verdict(a, b),
                Verdict::Compatible,
                "{a} / {b}: {:?}",
                cmp(a, b)
            );
        }
        let m = cmp("Masri", "Abu Muhammad al-Masri");
        assert!(m.reasons.iter().any(|r| r.contains("short form")), "{m:?}");
    }

    #[test]
    fn different_people_sharing_a_part_conflict() {
        for (a, b) in [
            ("Abu Muhsin al-Masri", "Abu Mohammed al-Masri"),
            ("Abu al-Khayr al-Masri", "Abu Muhammad al-Masri"),
            ("Hamza bin Laden", "Osama bin Laden"),
            ("Mike Pompeo", "Mike Pence"),
            ("J. Pompeo", "Mike Pompeo"),
            ("Martin Luther King Jr.", "Martin Luther King Sr."),
        ] {
            assert_eq!(
                verdict(a, b),
                Verdict::Conflict,
                "{a} / {b}: {:?}",
                cmp(a, b)
            );
        }
        let m = cmp("Abu Muhsin al-Masri", "Abu Mohammed al-Masri");
        assert!(
            m.reasons.iter().any(|r| r.contains("different kunyas")),
            "{m:?}"
        );
        assert!(m.score <= 0.3);
        let m = cmp("Hamza bin Laden", "Osama bin Laden");
        assert!(
            m.reasons
                .iter()
                .any(|r| r.contains("different given names")),
            "{m:?}"
        );
    }

    #[test]
    fn unrelated_names() {
        // The same man under an alias: the name alone cannot tell.
        assert_eq!(
            verdict("Abu Muhammad al-Masri", "Abdullah Ahmed Abdullah"),
            Verdict::Unrelated
        );
        assert_eq!(verdict("Imad Mughniyah", "Mike Pompeo"), Verdict::Unrelated);
        assert_eq!(verdict("Mr", "Mike Pompeo"), Verdict::Unrelated);
    }

    #[test]
    fn arabic_script_against_latin() {
        assert_eq!(
            verdict("أبو محمد المصري", "Abu Muhammad al-Masri"),
            Verdict::Same
        );
        assert_eq!(
            verdict("أبو محمد المصري", "Abu Mohamed al-Masri"),
            Verdict::Same
        );
        assert_eq!(
            verdict("عبد الله احمد عبدالله", "Abdullah Ahmed Abdullah"),
            Verdict::Same
        );
        assert_eq!(
            verdict("أبو محسن المصري", "Abu Muhammad al-Masri"),
            Verdict::Conflict
        );
        assert_eq!(
            verdict("المصري", "Abu Muhammad al-Masri"),
            Verdict::Compatible
        );
        let t = Table::embedded();
        let p = MatchParams::default();
        assert!(match_arabic_latin("مغنية", "Mughniyah", t, &p).is_some());
        assert!(match_arabic_latin("مغنية", "Mustafa", t, &p).is_none());
    }

    #[test]
    fn rarity_weights_make_common_parts_weak_evidence() {
        let masri = PersonName::parse("Masri");
        let full = PersonName::parse("Abu Muhammad al-Masri");
        let pompeo = PersonName::parse("Pompeo");
        let mike = PersonName::parse("Mike Pompeo");
        let mut stats = PartStats::new();
        // A corpus where "al-Masri" is in most documents and Pompeo in few.
        for i in 0..100 {
            let mut names = vec![PersonName::parse("Ahmed al-Masri")];
            if i % 25 == 0 {
                names.push(mike.clone());
            }
            stats.add_document(names.iter());
        }
        assert_eq!(stats.documents(), 100);
        assert_eq!(stats.df(&masri.parts[0]), 100);
        assert!(stats.weight(&masri.parts[0]) < 0.1);
        assert!(stats.weight(&pompeo.parts[0]) > 0.5);
        let weak = compare(&masri, &full, &stats);
        let strong = compare(&pompeo, &mike, &stats);
        assert_eq!(weak.verdict, Verdict::Compatible);
        assert!(weak.score < 0.2, "{weak:?}");
        assert!(strong.score > weak.score + 0.3, "{strong:?} vs {weak:?}");
        assert!(
            weak.reasons.iter().any(|r| r.contains("weak evidence")),
            "{weak:?}"
        );
        // Without statistics every part weighs the same.
        assert_eq!(PartStats::new().weight(&masri.parts[0]), 1.0);
        let mut set = PartStats::new();
        set.set_documents(10);
        set.set("msr", 10);
        assert!(set.weight(&masri.parts[0]) <= 0.05 + 1e-12);
    }

    #[test]
    fn blocking_keys_bring_variants_and_short_forms_together() {
        let keys = |s: &str| blocking_keys(&PersonName::parse(s));
        let share = |a: &str, b: &str| keys(a).iter().any(|k| keys(b).contains(k));
        assert!(share("Masri", "Abu Muhammad al-Masri"));
        assert!(share("Imad Mughniyah", "Imad Mugniyeh"));
        assert!(share("Mughniyah", "Mugniyeh"));
        assert!(share("Mr Pompeo", "Mike Pompeo"));
        assert!(share("Bin Laden", "Osama bin Laden"));
        assert!(share("أبو محمد المصري", "Abu Mohammed al-Masri"));
        assert!(!share("Imad Mughniyah", "Mike Pompeo"));
        assert_eq!(keys("Abu Muhammad al-Masri"), ["abu:mhmd", "mhmd", "msr"]);
        assert!(keys("").is_empty());
    }

    #[test]
    fn part_matcher_kinds() {
        let t = Table::embedded();
        let p = MatchParams::default();
        assert_eq!(
            match_latin("muhammad", "muhammad", t, &p),
            Some(PartMatch::Exact)
        );
        assert_eq!(
            match_latin("muhammad", "mohamed", t, &p),
            Some(PartMatch::Variant)
        );
        assert_eq!(
            match_latin("mughniyah", "mugniyeh", t, &p),
            Some(PartMatch::Phonetic)
        );
        assert_eq!(match_latin("hamza", "osama", t, &p), None);
        assert_eq!(match_latin("muhsin", "muhammad", t, &p), None);
        assert_eq!(match_latin("", "x", t, &p), None);
    }

    #[test]
    fn filiation_particle_is_optional_only_when_asked() {
        let t = Table::embedded();
        let a = PersonName::parse("MOHAMAD RAFI BIN UDIN");
        let b = PersonName::parse("UDIN, Mohamad Rafi");
        let strict = align(&a, &b, t, &MatchParams::default());
        assert_eq!(strict.pairs.len(), 2);
        let loose = MatchParams {
            optional_filiation: true,
            ..MatchParams::default()
        };
        assert_eq!(align(&a, &b, t, &loose).pairs.len(), 3);
        // Kunyas never lose their particle.
        let k = align(
            &PersonName::parse("Abu Mariam"),
            &PersonName::parse("Mariam Saleh"),
            t,
            &loose,
        );
        assert!(k.pairs.is_empty());
    }

    #[test]
    fn alignment_is_typed_and_one_to_one() {
        let t = Table::embedded();
        let p = MatchParams::default();
        let a = PersonName::parse("ABDULLAH, Abdullah Ahmed");
        let b = PersonName::parse("Abdullah Ahmed Abdullah");
        let al = align(&a, &b, t, &p);
        assert_eq!(al.pairs.len(), 3);
        assert!(al.conflicts.is_empty());
        let mut bs: Vec<usize> = al.pairs.iter().map(|x| x.b).collect();
        bs.sort_unstable();
        assert_eq!(bs, [0, 1, 2]);
        let a = PersonName::parse("Abu Muhsin al-Masri");
        let b = PersonName::parse("AL-MASRI, Abu Mohamed");
        let al = align(&a, &b, t, &p);
        assert_eq!(al.pairs.len(), 1);
        assert_eq!(al.of_a(1).map(|x| x.b), Some(1));
        assert_eq!(al.conflicts.len(), 1);
        assert_eq!(al.conflicts[0].kind, ConflictKind::Kunya);
        assert_eq!((al.conflicts[0].a, al.conflicts[0].b), (0, 0));
    }

    #[test]
    fn short_forms_are_told_from_overlaps() {
        assert!(cmp("Pompeo", "Mike Pompeo").is_short_form());
        assert!(!cmp("Hasan al-Arif", "Saddam Hussein").is_short_form());
        assert!(!cmp("Mike Pompeo", "Mike Pompeo").is_short_form());
    }

    #[test]
    fn initials_alone_are_no_evidence_and_stand_for_given_names() {
        // Made-up names. Middle initials that happen to be another man's
        // initials do not make him a short form.
        for (a, b) in [
            ("Arnold Quenby", "Paul A.Q. Darrow"),
            ("Paul A.Q. Darrow", "Quentin Avery"),
        ] {
            assert_eq!(cmp(a, b).verdict, Verdict::Unrelated, "{a} / {b}");
        }
        // An initial still fits the given name it abbreviates.
        assert_ne!(cmp("P. Darrow", "Paul Darrow").verdict, Verdict::Unrelated);
        assert_ne!(
            cmp("Paul A. Darrow", "Paul Darrow").verdict,
            Verdict::Conflict
        );
    }

    #[test]
    fn a_short_name_alone_needs_more_than_its_consonants() {
        // Alone, a two-consonant name is one name only when spelled
        // nearly alike: the table's groups made through Arabic script
        // ("Ball", "Bull", "Paul") and loose vowels do not count.
        for (a, b) in [("Ball", "Bull"), ("Shad", "Said"), ("Bell", "Bill")] {
            assert_eq!(cmp(a, b).verdict, Verdict::Unrelated, "{a} / {b}");
        }
        assert_eq!(cmp("Hamzah", "Hamza").verdict, Verdict::Same);
        // Within a longer name the other parts confirm the spelling.
        assert_eq!(cmp("Said Bahaji", "Saeed Bahaji").verdict, Verdict::Same);
    }

    #[test]
    fn a_part_in_another_slot_with_more_on_both_sides_is_another_person() {
        // Made-up names: the shared word is one's given name and the
        // other's surname.
        let m = cmp("Gareth Pollard", "Simon Gareth");
        assert_eq!(m.verdict, Verdict::Conflict, "{m:?}");
        // A short form is still a short form, and initials still fit.
        assert!(cmp("Gareth Pollard", "Pollard").is_short_form());
        assert_ne!(
            cmp("Gareth J. Pollard", "Gareth Pollard").verdict,
            Verdict::Conflict
        );
        assert_ne!(
            cmp("Gareth Pollard", "Gareth John Pollard").verdict,
            Verdict::Conflict
        );
    }
}
