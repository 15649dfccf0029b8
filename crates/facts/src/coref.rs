//! Coreference hints: which named mention a pronoun or a description refers
//! back to. Deliberately simple and conservative: a hint is given only when
//! a fitting antecedent is near and no closer unnamed rival competes.

use crate::extract::Ex;
use crate::lexicon::{self, PronounClass};
use crate::types::CorefHint;
use dossier_core::parse::PronounLink;
use dossier_core::MentionKind;
use std::collections::HashMap;

/// How many sentences back an antecedent may be.
const WINDOW: usize = 3;

/// Which named entity each pronoun refers to: the pipeline's one pronoun
/// resolution. Sets `ex.antecedent` for the pronouns (and for the group
/// nouns they may refer through) and returns the links.
pub(crate) fn pronoun_links(ex: &mut Ex) -> Vec<PronounLink> {
    let n = ex.c.len();
    let quotes = crate::claims::find_quotes(ex);
    let mut in_quote = vec![false; n];
    for q in &quotes {
        for t in q.inner() {
            if t < n {
                in_quote[t] = true;
            }
        }
    }
    group_nouns(ex, &mut Vec::new());
    let described = described_genders(ex);
    let genders = entity_genders(ex, &described);
    let ents_by_end = EntsByEnd::new(ex);
    let mut links = Vec::new();
    for i in 0..n {
        if !ex.is_pronoun(i) {
            continue;
        }
        let Some(class) = lexicon::pronoun(&ex.c.lower(i)) else {
            continue;
        };
        if class == PronounClass::Speaker {
            continue;
        }
        let found = fronted_possessive(ex, i, class).or_else(|| {
            pronoun_antecedent(ex, i, class, &in_quote, &genders, &described, &ents_by_end)
        });
        if let Some(k) = found {
            ex.antecedent[i] = Some(k);
            links.push(PronounLink { token: i, ent: k });
        }
    }
    links
}

/// Coreference hints of a document. `given` are the pipeline's pronoun
/// links; without them (unit tests) pronouns are resolved here.
pub(crate) fn resolve(ex: &mut Ex, given: Option<&[PronounLink]>) -> Vec<CorefHint> {
    let links = match given {
        Some(links) => {
            group_nouns(ex, &mut Vec::new());
            for l in links {
                if l.token < ex.c.len() && l.ent < ex.c.ents.len() {
                    ex.antecedent[l.token] = Some(l.ent);
                }
            }
            links.to_vec()
        }
        None => pronoun_links(ex),
    };
    let mut hints = Vec::new();
    group_nouns(ex, &mut hints);
    for l in &links {
        if l.token < ex.c.len() && l.ent < ex.c.ents.len() {
            hints.push(CorefHint {
                mention: ex.tok_span(l.token),
                antecedent: ex.ent_span(l.ent),
                kind: MentionKind::Pronoun,
            });
        }
    }
    descriptions(ex, &mut hints);
    hints
}

/// Entities ordered by their last token, so the candidates before a
/// pronoun within the window are found by binary search, not by a scan of
/// every entity of the document.
struct EntsByEnd {
    /// `(end_token, entity index)`, sorted.
    order: Vec<(usize, usize)>,
}

impl EntsByEnd {
    fn new(ex: &Ex) -> EntsByEnd {
        let mut order: Vec<(usize, usize)> =
            ex.c.ents
                .iter()
                .enumerate()
                .map(|(k, e)| (e.end_token, k))
                .collect();
        order.sort_unstable();
        EntsByEnd { order }
    }

    /// Entities ending at or before token `i` and after token `from`.
    fn between(&self, from: usize, i: usize) -> impl Iterator<Item = usize> + '_ {
        let lo = self.order.partition_point(|&(e, _)| e <= from);
        let hi = self.order.partition_point(|&(e, _)| e <= i);
        self.order[lo..hi].iter().map(|&(_, k)| k)
    }
}

/// Grammatical gender a description gives the name beside it: "his
/// daughter, Aminah" is a woman.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Gender {
    Female,
    Male,
}

fn noun_gender(lemma: &str) -> Option<Gender> {
    match lemma {
        "daughter" | "wife" | "widow" | "mother" | "sister" | "aunt" | "niece" | "grandmother"
        | "granddaughter" | "spokeswoman" | "woman" | "girl" | "queen" | "princess"
        | "chairwoman" | "congresswoman" | "mrs" | "ms" | "miss" | "lady" | "stepdaughter"
        | "stepmother" | "fiancée" | "daughter-in-law" | "mother-in-law" | "sister-in-law" => {
            Some(Gender::Female)
        }
        "son" | "husband" | "widower" | "father" | "brother" | "uncle" | "nephew"
        | "grandfather" | "grandson" | "spokesman" | "man" | "boy" | "king" | "prince"
        | "chairman" | "congressman" | "mr" | "sir" | "stepson" | "stepfather" | "son-in-law"
        | "father-in-law" | "brother-in-law" => Some(Gender::Male),
        _ => None,
    }
}

fn pronoun_gender(lower: &str) -> Option<Gender> {
    match lower {
        "she" | "her" | "hers" | "herself" => Some(Gender::Female),
        "he" | "him" | "his" | "himself" => Some(Gender::Male),
        _ => None,
    }
}

/// Which speakers a "he" or "she" can go on from: `false` for a token
/// whose gender (its own as a pronoun or role noun, or its entity's)
/// clashes with the pronoun's.
pub(crate) struct SpeakerGenders {
    genders: Vec<Option<Gender>>,
}

impl SpeakerGenders {
    pub(crate) fn new(ex: &Ex) -> SpeakerGenders {
        SpeakerGenders {
            genders: entity_genders(ex, &described_genders(ex)),
        }
    }

    fn of(&self, ex: &Ex, t: usize) -> Option<Gender> {
        let c = &ex.c;
        pronoun_gender(&c.lower(t))
            .or_else(|| noun_gender(c.lemma(t).trim_end_matches('.')))
            .or_else(|| {
                c.ent_of[t]
                    .or(ex.antecedent[t])
                    .and_then(|k| self.genders[k])
            })
    }

    /// Whether pronoun `p` and speaker token `t` are known to differ.
    pub(crate) fn clash(&self, ex: &Ex, p: usize, t: usize) -> bool {
        matches!((self.of(ex, p), self.of(ex, t)), (Some(a), Some(b)) if a != b)
    }
}

/// Gender of each entity mention from descriptions in apposition or titles.
fn described_genders(ex: &Ex) -> Vec<Option<Gender>> {
    let c = &ex.c;
    let mut out = vec![None; c.ents.len()];
    for h in 0..c.len() {
        let Some(g) = noun_gender(c.lemma(h).trim_end_matches('.')) else {
            continue;
        };
        let mut names: Vec<usize> = c.kids(h, &["appos"]).collect();
        if matches!(c.dep(h), "appos" | "compound") {
            names.push(c.head(h));
        }
        for nm in names {
            if let Some(k) = c.ent_of[nm] {
                out[k] = Some(g);
            }
        }
    }
    out
}

/// Gender of each entity mention as far as it is known: described, else
/// from the name. A given name is evidence enough to rule a pronoun out,
/// not to prefer one candidate over another whose name the lexicon lacks.
fn entity_genders(ex: &Ex, described: &[Option<Gender>]) -> Vec<Option<Gender>> {
    let c = &ex.c;
    let mut out = described.to_vec();
    // A full name's given name ("Donald Trump" is a man), and so every
    // mention in the document by that surname alone ("Trump"), unless two
    // full names with the surname disagree.
    let mut by_surname: HashMap<String, Option<Gender>> = HashMap::new();
    for (k, e) in c.ents.iter().enumerate() {
        if e.label != "PERSON" || e.end_token < e.start_token + 2 {
            continue;
        }
        let first = dossier_names::fold::fold_latin(&c.toks[e.start_token].text);
        let Some(g) = dossier_names::given_name_gender(&first).map(|g| match g {
            dossier_names::Gender::Female => Gender::Female,
            dossier_names::Gender::Male => Gender::Male,
        }) else {
            continue;
        };
        if out[k].is_none() {
            out[k] = Some(g);
        }
        let surname = c.lower(e.end_token - 1);
        let slot = by_surname.entry(surname).or_insert(Some(g));
        if *slot != Some(g) {
            *slot = None;
        }
    }
    for (k, e) in c.ents.iter().enumerate() {
        if out[k].is_none() && e.label == "PERSON" && e.end_token == e.start_token + 1 {
            if let Some(Some(g)) = by_surname.get(&c.lower(e.start_token)) {
                out[k] = Some(*g);
            }
        }
    }
    out
}

/// A name a kinship or role noun stands beside is a person, whatever label
/// the tagger gave it ("His daughter, Aminah").
fn described_person(ex: &Ex, k: usize) -> bool {
    let c = &ex.c;
    let h = c.ent_head(&c.ents[k]);
    let person_noun = |t: usize| {
        let l = c.lemma(t);
        lexicon::kin(&l).is_some()
            || lexicon::is_parent_noun(&l)
            || lexicon::role_noun(&l).is_some()
    };
    (c.dep(h) == "appos" && person_noun(c.head(h))) || c.kids(h, &["appos"]).any(person_noun)
}

fn fits(class: PronounClass, label: &str) -> bool {
    match class {
        PronounClass::Person => label == "PERSON",
        PronounClass::Thing => matches!(label, "ORG" | "GPE"),
        PronounClass::Plural => matches!(label, "ORG" | "NORP"),
        PronounClass::Speaker => false,
    }
}

/// A possessive in a phrase put before its clause's named subject refers
/// ahead to that subject: "According to their survey, the Harbor Institute
/// found ...", "In his speech, Tomas Varga said ...".
fn fronted_possessive(ex: &Ex, i: usize, class: PronounClass) -> Option<usize> {
    let c = &ex.c;
    if c.tag(i) != "PRP$" {
        return None;
    }
    let mut cur = i;
    let mut through_prep = false;
    for _ in 0..6 {
        let h = c.head(cur);
        if h == cur {
            return None;
        }
        through_prep |= c.dep(cur) == "prep";
        // "According" is a preposition the tagger calls a verb.
        if c.is_verb(h) && c.dep(h) != "prep" {
            let s = c.kid(h, &["nsubj", "nsubjpass"])?;
            let k = c.ent_of[s]?;
            let fitting = fits(class, &c.ents[k].label) && c.ent_head(&c.ents[k]) == s;
            return (through_prep && s > cur && fitting).then_some(k);
        }
        cur = h;
    }
    None
}

fn is_subject(ex: &Ex, h: usize) -> bool {
    let d = ex.c.dep(h);
    if matches!(d, "nsubj" | "nsubjpass") {
        return true;
    }
    // A name in apposition to a subject, or compound inside it.
    let hh = ex.c.head(h);
    d == "appos" && matches!(ex.c.dep(hh), "nsubj" | "nsubjpass")
}

/// Whether a token is the subject of a speech verb: the speaker of a quote
/// is not who the quote talks about.
fn is_speaker(ex: &Ex, t: usize) -> bool {
    let c = &ex.c;
    let v = c.head(t);
    c.dep(t) == "nsubj"
        && c.is_verb(v)
        && lexicon::cue_verb(&c.lemma(v)) == Some(lexicon::CueClass::Speech)
}

fn pronoun_antecedent(
    ex: &Ex,
    i: usize,
    class: PronounClass,
    in_quote: &[bool],
    genders: &[Option<Gender>],
    described: &[Option<Gender>],
    ents_by_end: &EntsByEnd,
) -> Option<usize> {
    let c = &ex.c;
    // "It is the Islamic Republic", "it is unclear whether": no referent.
    if c.lower(i) == "it" {
        let v = c.head(i);
        if c.lemma(v) == "be" || c.kid(v, &["ccomp", "xcomp"]).is_some_and(|x| x > i) {
            return None;
        }
    }
    if is_reflexive(&c.lower(i)) {
        return reflexive_antecedent(ex, i, class, genders);
    }
    let si = c.sent_of[i];
    // Candidates: named mentions (at their head) and earlier resolved words,
    // within the window of sentences.
    let window_start = c.sents[si.saturating_sub(WINDOW)].start;
    let mut cands: Vec<(usize, usize)> = Vec::new();
    for k in ents_by_end.between(window_start, i) {
        let e = &c.ents[k];
        if e.start_token < window_start
            || ex.is_title_complement(c.ent_head(e))
            || is_handle(ex, e.start_token)
        {
            continue;
        }
        let person = class == PronounClass::Person && described_person(ex, k);
        // "its commander", "its spokesman": an organisation, not a place.
        let org_only = class == PronounClass::Thing
            && c.tag(i) == "PRP$"
            && lexicon::role_noun(&c.lemma(c.head(i))).is_some();
        if org_only && e.label != "ORG" {
            continue;
        }
        if fits(class, &e.label) || person {
            // Gender, when both sides show it, must agree.
            if let (Some(a), Some(b)) = (pronoun_gender(&c.lower(i)), genders[k]) {
                if a != b {
                    continue;
                }
            }
            cands.push((c.ent_head(e), k));
        }
    }
    let pg = pronoun_gender(&c.lower(i));
    for t in window_start..i {
        if let Some(k) = ex.antecedent[t] {
            // "He ... her": a resolved pronoun of the other gender, or one
            // resolved to someone of the other gender, is no antecedent.
            let clash = |g: Option<Gender>| matches!((pg, g), (Some(a), Some(b)) if a != b);
            if fits(class, &c.ents[k].label)
                && c.ent_of[t].is_none()
                && !clash(pronoun_gender(&c.lower(t)))
                && !clash(genders[k])
            {
                cands.push((t, k));
            }
        }
    }
    let mut best: Option<((usize, usize, usize, usize), usize)> = None;
    for (h, k) in cands {
        let e = &c.ents[k];
        let se = c.sent_of[h];
        if se > si || si - se > WINDOW {
            continue;
        }
        // The pronoun cannot be bound by the subject of its own verb unless
        // it is possessive ("Ann met her" is not Ann; "Ann met her son" may be).
        if se == si && c.tag(i) == "PRP" && is_subject(ex, h) && c.head(h) == c.head(i) {
            continue;
        }
        if c.tag(i) == "PRP$" && c.head(h) == c.head(i) && c.dep(h) == "poss" {
            continue;
        }
        if in_quote[i] && !in_quote[h] && class == PronounClass::Person && is_speaker(ex, h) {
            continue;
        }
        // Nor is the speaker of a quotation a name inside it: "“... as
        // @Ana Ruiz said ...,” he wrote".
        if !in_quote[i]
            && in_quote[h]
            && is_speaker(ex, i)
            && (h..i).all(|t| in_quote[t] || c.sent_of[t] == si)
        {
            continue;
        }
        let end = if c.ent_of[h] == Some(k) {
            e.end_token
        } else {
            h + 1
        };
        let d = si - se;
        // Nearer sentences first; a candidate whose gender is known to
        // agree before one whose gender is unknown; subjects before others;
        // then the nearest (same sentence) or the first (earlier ones).
        let gender_known = usize::from(!(pg.is_some() && pg == described[k]));
        let not_subject = usize::from(!is_subject(ex, h));
        let key = if d == 0 {
            (0, gender_known, not_subject, i.saturating_sub(end))
        } else {
            (d, gender_known, not_subject, h)
        };
        if best.as_ref().is_none_or(|(bk, _)| key < *bk) {
            best = Some((key, k));
        }
    }
    let (key, k) = best?;
    if class == PronounClass::Person
        && !in_quote[i]
        && unnamed_last_speaker(ex, i, window_start, in_quote)
    {
        return None;
    }
    // "X and Y met. He said ...": a person conjoined with another person
    // leaves a singular pronoun ambiguous.
    if class == PronounClass::Person {
        let h = c.ent_head(&c.ents[k]);
        let partner = |t: usize| c.ent_of[t].is_some_and(|o| o != k && c.ents[o].label == "PERSON");
        let conjoined =
            c.kids(h, &["conj"]).any(partner) || (c.dep(h) == "conj" && partner(c.head(h)));
        if conjoined && c.lower(i) != "they" {
            return None;
        }
    }
    // An unnamed rival closer than the named candidate blocks the hint:
    // "The officials ... they", "A regional official said ... he".
    let e = &c.ents[k];
    let lo = if key.0 == 0 {
        e.end_token
    } else {
        c.sents[c.sent_of[c.ent_head(e)]].end
    };
    for j in lo..i {
        if c.ent_of[j].is_some() || !c.is_noun(j) {
            continue;
        }
        let plural = c.tag(j) == "NNS";
        // In the pronoun's own sentence a plural noun is a nearer referent
        // for "they" whatever its role: "gives sanctuary to the leaders as
        // they plan attacks".
        let near_plural = class == PronounClass::Plural && plural && c.sent_of[j] == si;
        if !is_subject(ex, j) && !near_plural {
            continue;
        }
        let rival = match class {
            PronounClass::Plural => plural && ex.appositive_name(j).is_none(),
            PronounClass::Person => {
                !plural
                    && lexicon::role_noun(&c.lemma(j)).is_some()
                    && ex.appositive_name(j).is_none()
            }
            _ => false,
        };
        if rival {
            return None;
        }
    }
    Some(k)
}

/// A hashtag or a handle ("#Justdoit", "@Ana"): a tag, not someone a
/// pronoun can refer to.
fn is_handle(ex: &Ex, t: usize) -> bool {
    let c = &ex.c;
    let tok = &c.toks[t].text;
    tok.starts_with(['#', '@'])
        || (t > 0 && matches!(c.toks[t - 1].text.as_str(), "#" | "@") && !c.toks[t - 1].whitespace)
}

/// "The economist said ... The Fund has said Sri Lanka must ... He said":
/// a "he said" goes on from the last person who spoke, and when the text
/// did not name that person (a common noun, or a pronoun left unresolved),
/// no name before is his.
fn unnamed_last_speaker(ex: &Ex, i: usize, from: usize, in_quote: &[bool]) -> bool {
    let c = &ex.c;
    if !is_speaker(ex, i) {
        return false;
    }
    let person_capable = |t: usize| match c.ent_of[t] {
        Some(k) => c.ents[k].label == "PERSON",
        None => {
            let l = c.lemma(t);
            lexicon::pronoun(&c.lower(t)) == Some(PronounClass::Person)
                && !is_reflexive(&c.lower(t))
                || c.tag(t) == "NN"
                    && (lexicon::role_noun(&l).is_some() || lexicon::is_anonymous_source(&l))
        }
    };
    let Some(t) = (from..i)
        .rev()
        .find(|&t| !in_quote[t] && is_speaker(ex, t) && person_capable(t))
    else {
        return false;
    };
    c.ent_of[t].is_none() && ex.antecedent[t].is_none() && ex.appositive_name(t).is_none()
}

fn is_reflexive(lower: &str) -> bool {
    lower.ends_with("self") || lower.ends_with("selves")
}

/// A reflexive is bound inside its own clause: "Ann blamed herself" is Ann,
/// by the subject of the nearest verb above it that has one ("Ann wanted to
/// hurt herself"); an emphatic one by the noun it stands beside ("the
/// president himself"). No antecedent outside that clause is guessed.
fn reflexive_antecedent(
    ex: &Ex,
    i: usize,
    class: PronounClass,
    genders: &[Option<Gender>],
) -> Option<usize> {
    let c = &ex.c;
    let of = |t: usize| c.ent_of[t].or(ex.antecedent[t]);
    let binder = if c.dep(i) == "appos" || (c.dep(i) == "npadvmod" && c.is_noun(c.head(i))) {
        Some(c.head(i))
    } else {
        let mut t = c.head(i);
        let mut found = None;
        for _ in 0..4 {
            if let Some(s) = c.kid(t, &["nsubj", "nsubjpass"]) {
                found = Some(s);
                break;
            }
            if c.head(t) == t {
                break;
            }
            t = c.head(t);
        }
        found
    };
    let k = of(binder?)?;
    let e = &c.ents[k];
    let gender_clash = matches!(
        (pronoun_gender(&c.lower(i)), genders[k]),
        (Some(a), Some(b)) if a != b
    );
    (fits(class, &e.label) && !gender_clash).then_some(k)
}

/// Nouns that refer back to the last named organisation: "the group".
pub(crate) fn is_group_noun(lemma: &str) -> bool {
    matches!(
        lemma,
        "group"
            | "organisation"
            | "organization"
            | "network"
            | "movement"
            | "outfit"
            | "militia"
            | "faction"
    )
}

/// The identifying key of a description: its head lemma plus its possessor
/// or organisational modifier ("al-Masri's daughter", "the group's deputy
/// leader", "Taliban spokesman").
fn description_key(ex: &Ex, h: usize) -> Option<String> {
    let c = &ex.c;
    let lemma = c.lemma(h);
    if lexicon::kin(&lemma).is_none()
        && lexicon::role_noun(&lemma).is_none()
        && !lexicon::is_parent_noun(&lemma)
    {
        return None;
    }
    let mut owner: Option<String> = None;
    for ch in c.kids(h, &["poss", "compound", "nmod"]) {
        let k = c.ent_of[ch].or(ex.antecedent[ch]);
        if let Some(k) = k {
            let e = &c.ents[k];
            let last = (e.start_token..e.end_token)
                .rev()
                .find(|&t| c.tag(t) != "POS")
                .unwrap_or(e.start_token);
            owner = Some(c.lower(last));
        } else if c.dep(ch) == "compound" {
            let mut l = c.lemma(ch);
            l.push(' ');
            owner = Some(owner.unwrap_or_default() + &l);
        }
    }
    let owner = owner?;
    Some(format!("{owner}|{lemma}"))
}

/// The noun phrase headed by `h` refers to entity `k`.
fn link_nominal(ex: &mut Ex, hints: &mut Vec<CorefHint>, h: usize, k: usize) {
    ex.antecedent[h] = Some(k);
    let r = ex.c.np_core(h);
    hints.push(CorefHint {
        mention: ex.span(&r),
        antecedent: ex.ent_span(k),
        kind: MentionKind::Nominal,
    });
}

/// The title a role noun gives: "minister", or "secretary|state" for
/// "Secretary of State".
fn title_key(ex: &Ex, h: usize) -> Option<String> {
    let c = &ex.c;
    let lemma = c.lemma(h).to_lowercase();
    lexicon::role_noun(&lemma)?;
    let of = c
        .kids(h, &["prep"])
        .find(|&p| c.lower(p) == "of")
        .and_then(|p| c.kid(p, &["pobj"]));
    Some(match of {
        Some(o) => format!("{lemma}|{}", c.lower(o)),
        None => lemma,
    })
}

/// A title standing alone for its holder: "the Secretary of State", "the
/// minister"; not "a minister", "the Afghan minister", "his deputy".
fn bare_title(ex: &Ex, h: usize) -> bool {
    let c = &ex.c;
    matches!(c.tag(h), "NN" | "NNP")
        && c.has_kid_lemma(h, &["det"], &["the"])
        && c.kids(h, &["compound", "amod", "nmod", "poss", "nummod", "appos"])
            .next()
            .is_none()
}

/// Titles written before a person's name ("Interior Minister Tomas Varga")
/// teach who "the minister" is; a title two people bore is nobody's.
fn learn_titles(ex: &Ex, h: usize, titles: &mut HashMap<String, Option<usize>>) {
    let c = &ex.c;
    let Some(k) = c.ent_of[h] else { return };
    if c.ents[k].label != "PERSON" || c.ent_head(&c.ents[k]) != h {
        return;
    }
    let name = c.lower(h);
    for t in c.kids(h, &["compound", "nmod"]) {
        let Some(key) = title_key(ex, t) else {
            continue;
        };
        let same = |j: usize| c.lower(c.ent_head(&c.ents[j])) == name;
        let slot = titles.entry(key).or_insert(Some(k));
        *slot = slot.filter(|&j| same(j)).map(|_| k);
    }
}

fn descriptions(ex: &mut Ex, hints: &mut Vec<CorefHint>) {
    let n = ex.c.len();
    let mut known: HashMap<String, usize> = HashMap::new();
    let mut titles: HashMap<String, Option<usize>> = HashMap::new();
    for h in 0..n {
        learn_titles(ex, h, &mut titles);
        if !ex.c.is_noun(h) || ex.c.ent_of[h].is_some() {
            continue;
        }
        if bare_title(ex, h) {
            let holder = title_key(ex, h).and_then(|key| titles.get(&key).copied().flatten());
            if let Some(k) = holder {
                link_nominal(ex, hints, h, k);
                continue;
            }
        }
        // A description with a name beside it teaches the key.
        let named = {
            let c = &ex.c;
            c.kids(h, &["appos"])
                .find_map(|a| c.ent_of[a].filter(|&k| lexicon::is_actor_label(&c.ents[k].label)))
                .or_else(|| {
                    (c.dep(h) == "appos")
                        .then(|| c.ent_of[c.head(h)])
                        .flatten()
                        .filter(|&k| lexicon::is_actor_label(&c.ents[k].label))
                })
        };
        let key = description_key(ex, h);
        if let Some(k) = named {
            if let Some(key) = key {
                known.insert(key, k);
            }
            continue;
        }
        if let Some(key) = key {
            if let Some(&k) = known.get(&key) {
                link_nominal(ex, hints, h, k);
                continue;
            }
        }
    }
}

/// "the group" → the most often named organisation nearby (the nearest on
/// a tie). Only bare "the group": "the Sahel group" names another.
fn group_nouns(ex: &mut Ex, hints: &mut Vec<CorefHint>) {
    for h in 0..ex.c.len() {
        let c = &ex.c;
        if !c.is_noun(h)
            || c.tag(h) == "NNS"
            || c.ent_of[h].is_some()
            || !is_group_noun(&c.lemma(h))
        {
            continue;
        }
        let bare = c.has_kid_lemma(h, &["det"], &["the", "this", "that"])
            && c.kids(h, &["compound", "amod", "nmod", "poss"])
                .next()
                .is_none();
        if !bare {
            continue;
        }
        let si = c.sent_of[h];
        let name_of = |k: usize| -> String {
            let e = &c.ents[k];
            let last = (e.start_token..e.end_token)
                .rev()
                .find(|&t| c.tag(t) != "POS")
                .unwrap_or(e.start_token);
            c.lower(last)
        };
        let mut counts: HashMap<String, usize> = HashMap::new();
        for (k, e) in c.ents.iter().enumerate() {
            if e.end_token <= h && e.label == "ORG" {
                *counts.entry(name_of(k)).or_default() += 1;
            }
        }
        let found = c
            .ents
            .iter()
            .enumerate()
            .filter(|(_, e)| {
                e.end_token <= h && e.label == "ORG" && si - c.sent_of[e.start_token] <= WINDOW + 2
            })
            .max_by_key(|(k, e)| {
                (
                    counts.get(&name_of(*k)).copied().unwrap_or(0),
                    e.start_token,
                )
            })
            .map(|(k, _)| k);
        if let Some(k) = found {
            link_nominal(ex, hints, h, k);
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::testutil::parse;

    /// The entity text each pronoun of `text` is linked to.
    /// The antecedents linked to the pronoun written `pronoun`.
    fn antecedents<'a>(links: &'a [(String, String)], pronoun: &str) -> Vec<&'a String> {
        links
            .iter()
            .filter(|(p, _)| p == pronoun)
            .map(|(_, e)| e)
            .collect()
    }

    fn linked(text: &str) -> Vec<(String, String)> {
        let p = parse(text);
        crate::pronoun_links(text, &p)
            .into_iter()
            .map(|l| {
                let t = &p.tokens[l.token];
                let e = &p.ents[l.ent];
                (
                    text[t.start..t.end].to_string(),
                    text[e.start..e.end].to_string(),
                )
            })
            .collect()
    }

    #[test]
    fn a_plural_noun_in_the_pronouns_sentence_is_a_nearer_referent_for_they() {
        let links = linked(
            "The Halvorsen Group met on Monday. The council gives shelter to the rebels as they plan new raids.",
        );
        assert!(links.iter().all(|(p, _)| p != "they"), "{links:?}");
        // With no such noun, "they" still finds the organisation.
        let links = linked("The Halvorsen Group met on Monday. They plan new offices.");
        assert_eq!(
            links,
            vec![("They".to_string(), "The Halvorsen Group".to_string())]
        );
    }

    #[test]
    fn he_said_goes_on_from_an_unnamed_speaker() {
        // The last person who spoke was not named: "he" is not the name
        // inside the statement in between.
        let text = "A senior economist at the ministry said the cuts were agreed with the Harbor Fund. The Harbor Fund has said before that Marek Olin must cut the deficit. He said bank teams were expected next month.";
        let links = linked(text);
        assert!(links.iter().all(|(p, _)| p != "He"), "{links:?}");
        // A named last speaker leaves the pronoun to its usual antecedent.
        let links = linked(
            "Karim Haddad said the cuts were agreed. He said bank teams were expected next month.",
        );
        assert_eq!(links, vec![("He".to_string(), "Karim Haddad".to_string())]);
    }

    #[test]
    fn the_speaker_of_a_quotation_is_no_name_inside_it_nor_a_hashtag() {
        let text = "Then there is Tomas Varga.\n\n“Odd that the Ruiz people keep leaking the plan, as Ana Ruiz knows. #Justsayit,” he wrote last week.";
        let links = linked(text);
        assert_eq!(antecedents(&links, "he"), vec!["Tomas Varga"], "{links:?}");
    }

    #[test]
    fn a_given_name_rules_out_a_pronoun_of_the_other_gender() {
        // "Daniel Brandt" is a man, and so is "Brandt" alone; "she" is the
        // other one.
        let text = "Daniel Brandt met Kim Sorel in May. Brandt later mocked the interview. She told reporters the meeting was calm.";
        let links = linked(text);
        assert!(
            antecedents(&links, "She")
                .iter()
                .all(|e| !e.contains("Brandt")),
            "{links:?}"
        );
    }

    #[test]
    fn a_name_given_to_both_rules_no_pronoun_out() {
        // "Terry" is a woman's name as well as a man's: "she" may be her.
        let text = "Terry Walsh met Daniel Brandt in May. She told reporters the meeting was calm.";
        let links = linked(text);
        assert_eq!(
            links,
            vec![("She".to_string(), "Terry Walsh".to_string())],
            "{links:?}"
        );
    }

    #[test]
    fn a_reflexive_is_bound_by_the_subject_of_its_own_clause() {
        let links = linked("Ann Corder said Tom Velasco had hurt himself in the fall.");
        assert_eq!(
            links,
            vec![("himself".to_string(), "Tom Velasco".to_string())]
        );
        // Through a verb without a subject of its own.
        let links = linked("Ann Corder wanted to protect herself from the storm.");
        assert_eq!(
            links,
            vec![("herself".to_string(), "Ann Corder".to_string())]
        );
    }

    #[test]
    fn a_fronted_possessive_refers_ahead_to_the_subject() {
        let text = "The river report came out in May. According to their survey, the Harbor Institute found that the water was unsafe.";
        let l = linked(text);
        assert!(
            l.contains(&("their".to_string(), "the Harbor Institute".to_string())),
            "{l:?}"
        );
    }
}
