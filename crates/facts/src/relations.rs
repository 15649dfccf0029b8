//! Relation mentions: family ties, roles and membership, parts of
//! organisations, where places and organisations are. Read from appositions,
//! copulas, possessives and title premodifiers in the parse. Two names in
//! apposition ("X, also known as Y", "X, alias Y") are aliases, handled by
//! entity resolution, never a relation here.

use crate::extract::Ex;
use crate::lexicon::{self, RoleKind};
use crate::types::{FactSpan, RelationMention, RelationType};
use dossier_core::MentionKind;
use std::ops::Range;

/// A word joined with hyphens across tokens ("son-in-law",
/// "second-in-command") that contains token `h`, lower-cased, and its range.
fn hyphen_word(ex: &Ex, h: usize) -> (String, Range<usize>) {
    let c = &ex.c;
    let glued = |a: usize| -> bool {
        // token a is followed by a+1 with no space between
        a + 1 < c.len() && !c.toks[a].whitespace && c.toks[a].end == c.toks[a + 1].start
    };
    let mut lo = h;
    while lo >= 2 && c.toks[lo - 1].text == "-" && glued(lo - 2) && glued(lo - 1) {
        lo -= 2;
    }
    let mut hi = h + 1;
    while hi + 1 < c.len() && c.toks[hi].text == "-" && glued(hi - 1) && glued(hi) {
        hi += 2;
    }
    let word: String = (lo..hi).map(|t| c.toks[t].text.to_lowercase()).collect();
    (word, lo..hi)
}

/// The kin or role word at `h`, as a lexicon key: the hyphenated whole when
/// it is listed, else the lemma.
fn key_at(ex: &Ex, h: usize) -> (String, Range<usize>) {
    let (w, r) = hyphen_word(ex, h);
    if r.len() > 1
        && (lexicon::kin(&w).is_some()
            || lexicon::role_noun(&w).is_some()
            || lexicon::is_parent_noun(&w))
    {
        return (w, r);
    }
    (ex.c.lemma(h), h..h + 1)
}

/// Whether a token heads a name: a named entity that can be a party, or a
/// pronoun/description with a named antecedent.
fn named(ex: &Ex, h: usize) -> bool {
    ex.entity_of_head(h).is_some()
}

/// The name a phrase head stands for, looking through "one of", appositions
/// and antecedents.
fn party(ex: &Ex, h: usize) -> Option<usize> {
    let h = ex.content_head(h);
    named(ex, h).then_some(h)
}

/// The organisation or place a role or kin noun is "of": possessor,
/// organisational premodifier, or `of`/`for`/`in`/`within` object.
fn owner(ex: &Ex, h: usize, preps: &[&str]) -> Option<usize> {
    let c = &ex.c;
    if let Some(p) = c.kid(h, &["poss"]) {
        if named(ex, p) {
            return Some(p);
        }
    }
    for p in c.kids(h, &["prep"]) {
        if !preps.contains(&c.lemma(p).as_str()) {
            continue;
        }
        let Some(o) = c.kid(p, &["pobj"]) else {
            continue;
        };
        if named(ex, o) {
            return Some(o);
        }
        // "of Al-Qaeda's terroristic network", "within the spy organization Mossad"
        for k in c.kids(o, &["poss", "compound", "appos"]) {
            if c.ent_label(k).is_some_and(|l| matches!(l, "ORG" | "GPE"))
                || ex.antecedent[k].is_some()
            {
                return Some(k);
            }
        }
    }
    None
}

/// Who a description describes: the name it is in apposition with, the
/// subject of the copula it is the predicate of, or the name it premodifies.
fn described(ex: &Ex, h: usize) -> Option<usize> {
    let c = &ex.c;
    // "His daughter, Aminah": a name in apposition after a comma.
    for a in c.kids(h, &["appos"]) {
        if named(ex, a) && !is_alias_apposition(ex, a) {
            return Some(a);
        }
    }
    let up = c.head(h);
    if up == h {
        return None;
    }
    match c.dep(h) {
        // "Hamza bin Laden, the son of Osama"; "X and Y — the latter Hamza's
        // father-in-law": the last of the conjuncts.
        "appos" => {
            if (c.subtree(h).start..h).any(|t| c.lower(t) == "latter") {
                if let Some(&last) = c.conjuncts(up).last() {
                    return party(ex, last);
                }
            }
            party(ex, up)
        }
        // "Haddad is the son of Omar Haddad", "X was one of the leaders of Y"
        "attr" => {
            let s = c.kid(up, &["nsubj"])?;
            party(ex, s)
        }
        "pobj" => {
            // "one of the leaders of Y" as attribute: climb "of" to "one".
            let p = up;
            let one = c.head(p);
            if c.lemma(p) == "of" && c.dep(one) == "attr" && c.ent_of[one].is_none() {
                let s = c.kid(c.head(one), &["nsubj"])?;
                return party(ex, s);
            }
            // "named X as its deputy leader"
            if c.lemma(p) == "as" {
                let v = c.head(p);
                if let Some(o) = c.kid(v, &["dobj"]) {
                    return party(ex, o);
                }
                if let Some(s) = c.kid(v, &["nsubjpass"]) {
                    return party(ex, s);
                }
            }
            None
        }
        "compound" | "nmod" => {
            // "his son Youssef": a description premodifying a name.
            c.ent_of[up].is_some().then_some(up)
        }
        _ => None,
    }
}

/// "also known as", "alias", "whose real name is": the apposition names the
/// same person again.
fn is_alias_apposition(ex: &Ex, a: usize) -> bool {
    let c = &ex.c;
    let lo = c.sub_lo[a].saturating_sub(4);
    (lo..c.sub_lo[a].max(lo)).any(|t| {
        matches!(
            c.lemma(t).as_str(),
            "alias" | "aka" | "know" | "real" | "name" | "nickname"
        )
    })
}

fn is_place(ex: &Ex, h: usize) -> bool {
    ex.c.ent_label(h).is_some_and(lexicon::is_place_label)
}

struct Out<'e, 'a> {
    ex: &'e Ex<'a>,
    rels: Vec<RelationMention>,
}

impl Out<'_, '_> {
    fn push(
        &mut self,
        kind: RelationType,
        subj: usize,
        obj: Option<usize>,
        role: Option<String>,
        cue: Range<usize>,
    ) {
        let ex = self.ex;
        let s = ex.make_name_ref(subj);
        let o = obj.map(|o| ex.make_name_ref(o));
        if let (Some(a), Some(b)) = (&s.entity, o.as_ref().and_then(|o| o.entity.as_ref())) {
            if a == b {
                return;
            }
        }
        let m = RelationMention {
            kind,
            subject: s,
            object: o,
            role,
            cue: ex.span(&cue),
            evidence: ex.sent_span(cue.start),
        };
        if !self.rels.contains(&m) {
            self.rels.push(m);
        }
    }
}

pub(crate) fn extract(ex: &Ex) -> Vec<RelationMention> {
    let mut out = Out {
        ex,
        rels: Vec::new(),
    };
    let c = &ex.c;
    for h in 0..c.len() {
        if c.is_noun(h) && c.ent_of[h].is_none() {
            kin_relation(&mut out, h);
            role_relation(&mut out, h);
            part_relation(&mut out, h);
        }
        marriage(&mut out, h);
        located(&mut out, h);
        based(&mut out, h);
    }
    titles(&mut out);
    without_implausible_antecedents(out.rels)
}

fn is_affiliation(kind: RelationType) -> bool {
    matches!(
        kind,
        RelationType::MemberOf | RelationType::LeaderOf | RelationType::HoldsRole
    )
}

/// Drops an affiliation read through a pronoun ("he was one of the most
/// senior leaders of Al-Qaeda") when the person the pronoun was resolved to
/// is named in the same document with an affiliation to something else
/// ("Afghan President Ashraf Ghani"): the pronoun more likely means someone
/// else, and a wrong membership is worse than a missing one.
fn without_implausible_antecedents(rels: Vec<RelationMention>) -> Vec<RelationMention> {
    let named_affiliations: Vec<(&FactSpan, &FactSpan)> = rels
        .iter()
        .filter(|r| is_affiliation(r.kind) && r.subject.kind != MentionKind::Pronoun)
        .filter_map(|r| {
            let who = r.subject.entity.as_ref()?;
            let of = r.object.as_ref()?;
            Some((who, of.entity.as_ref().unwrap_or(&of.span)))
        })
        .collect();
    let same_text = |a: &FactSpan, b: &FactSpan| a.text.to_lowercase() == b.text.to_lowercase();
    let keep: Vec<bool> = rels
        .iter()
        .map(|r| {
            if !is_affiliation(r.kind) || r.subject.kind != MentionKind::Pronoun {
                return true;
            }
            let (Some(who), Some(of)) = (r.subject.entity.as_ref(), r.object.as_ref()) else {
                return true;
            };
            let of = of.entity.as_ref().unwrap_or(&of.span);
            !named_affiliations
                .iter()
                .any(|(w, o)| same_text(w, who) && !same_text(o, of))
        })
        .collect();
    rels.into_iter()
        .zip(keep)
        .filter(|(_, k)| *k)
        .map(|(r, _)| r)
        .collect()
}

fn kin_relation(out: &mut Out, h: usize) {
    let ex = out.ex;
    let c = &ex.c;
    let (key, cue) = key_at(ex, h);
    let parent = lexicon::is_parent_noun(&key);
    let Some((kind, role)) = lexicon::kin(&key).or(parent.then_some((RelationType::ChildOf, "")))
    else {
        return;
    };
    let mut relative = owner(ex, h, &["of"]);
    let mut subject = described(ex, h);
    // "the son of al Qaida mastermind Osama bin Laden" parsed with the name
    // as an apposition of "son" and the group as the `of` object: a name
    // glued to the `of` phrase (no comma) continues the object.
    if let (Some(s), Some(r)) = (subject, relative) {
        if c.dep(s) == "appos"
            && c.head(s) == h
            && s > r
            && !comma_between(ex, r, s)
            && c.ent_label(r) != Some("PERSON")
        {
            relative = Some(s);
            subject = c
                .kids(h, &["appos"])
                .find(|&a| a != s && named(ex, a))
                .or_else(|| {
                    (c.dep(h) == "appos")
                        .then(|| c.head(h))
                        .filter(|&u| named(ex, u))
                });
        }
    }
    let (Some(s), Some(r)) = (subject, relative) else {
        return;
    };
    if parent {
        // "X, the father of Y": Y is the child of X.
        out.push(RelationType::ChildOf, r, Some(s), Some(key.clone()), cue);
    } else {
        out.push(kind, s, Some(r), Some(role.to_string()), cue);
    }
}

fn comma_between(ex: &Ex, a: usize, b: usize) -> bool {
    let (lo, hi) = if a < b { (a, b) } else { (b, a) };
    (lo..hi).any(|t| matches!(ex.c.toks[t].text.as_str(), "," | "—" | "–" | "(" | ":"))
}

/// Title words of a role phrase, without determiners, the organisation and
/// possessives: "the group's deputy leader" → "deputy leader".
fn role_text(ex: &Ex, h: usize, cue: &Range<usize>, org: Option<usize>) -> String {
    let c = &ex.c;
    let mut lo = cue.start;
    for ch in c.kids(h, &["amod", "compound", "nmod", "advmod"]) {
        if ch >= lo {
            continue;
        }
        let r = c.subtree(ch);
        let is_org = org.is_some_and(|o| c.dominates(ch, o) || r.contains(&o));
        if !is_org && c.ent_of[ch].is_none() {
            lo = lo.min(r.start);
        }
    }
    let r = c.trim(lo..cue.end);
    let words: Vec<usize> = (r.start..r.end)
        .filter(|&t| org.is_none_or_not_in(ex, t) && !matches!(c.tag(t), "DT" | "POS" | "PRP$"))
        .collect();
    join_tokens(ex, &words)
}

trait NotIn {
    fn is_none_or_not_in(&self, ex: &Ex, t: usize) -> bool;
}

impl NotIn for Option<usize> {
    fn is_none_or_not_in(&self, ex: &Ex, t: usize) -> bool {
        match self {
            None => true,
            Some(o) => !ex.c.ent_range(*o).is_some_and(|r| r.contains(&t)) && t != *o,
        }
    }
}

/// Rebuilds a phrase from some of its tokens with the original spacing.
fn join_tokens(ex: &Ex, toks: &[usize]) -> String {
    let c = &ex.c;
    let mut s = String::new();
    for (k, &t) in toks.iter().enumerate() {
        s.push_str(&c.toks[t].text);
        let next = toks.get(k + 1).copied();
        if let Some(nx) = next {
            if nx != t + 1 || c.toks[t].whitespace {
                s.push(' ');
            }
        }
    }
    s
}

/// The relation a role noun states, and whether it is one of several
/// ("a senior leader", "one of the leaders" → membership).
fn role_kind(ex: &Ex, h: usize, key: &str) -> Option<RelationType> {
    let c = &ex.c;
    let kind = lexicon::role_noun(key)?;
    Some(match kind {
        RoleKind::Leader => {
            let deputy = c.kids(h, &["amod", "compound", "nmod"]).any(|m| {
                matches!(
                    c.lemma(m).as_str(),
                    "deputy" | "vice" | "assistant" | "acting"
                )
            });
            let one_of = c.dep(h) == "pobj" && {
                let p = c.head(h);
                c.lemma(p) == "of"
                    && matches!(
                        c.lemma(c.head(p)).as_str(),
                        "one" | "some" | "many" | "several" | "two" | "three"
                    )
            };
            let indefinite = c.has_kid_lemma(h, &["det"], &["a", "an", "another", "some"])
                || c.has_kid_lemma(
                    h,
                    &["amod"],
                    &[
                        "senior",
                        "top",
                        "high-ranking",
                        "mid-level",
                        "local",
                        "regional",
                        "key",
                        "prominent",
                    ],
                )
                || c.tag(h) == "NNS"
                || one_of;
            if deputy {
                RelationType::HoldsRole
            } else if indefinite {
                RelationType::MemberOf
            } else {
                RelationType::LeaderOf
            }
        }
        RoleKind::Member => RelationType::MemberOf,
        RoleKind::Role => RelationType::HoldsRole,
    })
}

fn role_relation(out: &mut Out, h: usize) {
    let ex = out.ex;
    let c = &ex.c;
    let (key, cue) = key_at(ex, h);
    let Some(kind) = role_kind(ex, h, &key) else {
        return;
    };
    // Premodifying titles ("Taliban spokesman Zabihullah Mujahid") are read
    // from the name's side in `titles`.
    if matches!(c.dep(h), "compound" | "nmod") && c.ent_of[c.head(h)].is_some() {
        return;
    }
    let Some(subject) = described(ex, h) else {
        return;
    };
    // Roles are held by people ("Al Qaeda is a Sunni jihadist" is no
    // membership).
    let person = ex
        .entity_of_head(ex.content_head(subject))
        .is_some_and(|k| c.ents[k].label == "PERSON");
    if !person {
        return;
    }
    let org = owner(ex, h, &["of", "for", "in", "at", "within", "with"]).or_else(|| {
        c.kids(h, &["compound", "amod", "nmod"]).find_map(|m| {
            let l = c.ent_label(m)?;
            matches!(l, "ORG" | "GPE" | "NORP")
                .then(|| c.ent(m).map(|e| c.ent_head(e)).unwrap_or(m))
        })
    });
    let role = role_text(ex, h, &cue, org);
    if org.is_none() && kind != RelationType::HoldsRole {
        return;
    }
    out.push(kind, subject, org, Some(role), cue);
}

fn part_relation(out: &mut Out, h: usize) {
    let ex = out.ex;
    let c = &ex.c;
    let lemma = c.lemma(h);
    if !lexicon::is_part_noun(&lemma) {
        return;
    }
    let Some(subject) = described(ex, h) else {
        return;
    };
    let subj_label = ex.entity_of_head(subject).map(|k| c.ents[k].label.as_str());
    if subj_label != Some("ORG") {
        return;
    }
    // Only containment prepositions: "a unit within Mossad", "the armed
    // wing of Hamas", "a cell under the Quds Force".
    let Some(whole) = owner(ex, h, &["within", "of", "inside", "under"]) else {
        return;
    };
    let whole_label = ex.entity_of_head(whole).map(|k| c.ents[k].label.as_str());
    if whole_label != Some("ORG") {
        return;
    }
    out.push(
        RelationType::PartOf,
        subject,
        Some(whole),
        Some(lemma),
        h..h + 1,
    );
}

fn marriage(out: &mut Out, h: usize) {
    let ex = out.ex;
    let c = &ex.c;
    let lemma = c.lemma(h);
    let pair: Option<(usize, usize)> = match lemma.as_str() {
        // "X married Y", "X and Y married", "X was married to Y"
        "marry" | "wed" | "married" if c.is_verb(h) || c.tag(h) == "JJ" => {
            let s = c.kid_or_shared(h, &["nsubj", "nsubjpass"]).or_else(|| {
                (c.tag(h) == "JJ")
                    .then(|| c.kid(c.head(h), &["nsubj"]))
                    .flatten()
            });
            let o = c.kid(h, &["dobj"]).or_else(|| {
                c.kids(h, &["prep"])
                    .find(|&p| matches!(c.lemma(p).as_str(), "to" | "with"))
                    .and_then(|p| c.kid(p, &["pobj"]))
            });
            match (s, o) {
                (Some(s), Some(o)) => Some((s, o)),
                (Some(s), None) => c.kids(s, &["conj"]).next().map(|o| (s, o)),
                _ => None,
            }
        }
        // "Hamza's wedding with al-Masri's daughter"
        "wedding" | "marriage" if c.is_noun(h) => {
            let s = c.kid(h, &["poss"]);
            let o = c
                .kids(h, &["prep"])
                .find(|&p| matches!(c.lemma(p).as_str(), "to" | "with"))
                .and_then(|p| c.kid(p, &["pobj"]));
            s.zip(o)
        }
        _ => None,
    };
    let Some((s, o)) = pair else { return };
    let (Some(s), Some(o)) = (party(ex, s), party(ex, o)) else {
        return;
    };
    out.push(RelationType::SpouseOf, s, Some(o), None, h..h + 1);
}

fn located(out: &mut Out, h: usize) {
    let ex = out.ex;
    let c = &ex.c;
    if !is_place(ex, h) {
        return;
    }
    let Some(e) = c.ent(h) else { return };
    if c.ent_head(e) != h {
        return;
    }
    // A list ("Iraq, Syria and Yemen") is not containment.
    let listy = |t: usize| c.dep(t) == "conj" || c.kid(t, &["conj", "cc"]).is_some();
    // "Ghazni province, eastern Afghanistan", "Sarmada, Syria"
    for a in c.kids(h, &["appos", "npadvmod"]) {
        if a > h
            && comma_between(ex, h, a)
            && !listy(h)
            && !listy(a)
            && c.ent_label(a).is_some_and(|l| matches!(l, "GPE" | "LOC"))
        {
            let cue = e.end_token..e.end_token + 1;
            out.push(RelationType::LocatedIn, h, Some(a), None, cue);
        }
    }
    // "Andar district of Ghazni province", "Sarmada in Idlib province"; a
    // place noun naming the place ("the town of Sarmada in Idlib") passes
    // its own containers on.
    let mut holders = vec![h];
    if c.dep(h) == "pobj" {
        let p = c.head(h);
        let noun = c.head(p);
        if c.lemma(p) == "of" && lexicon::is_area_noun(&c.lemma(noun)) && c.ent_of[noun].is_none() {
            holders.push(noun);
        }
    }
    for holder in holders {
        for p in c.kids(holder, &["prep"]) {
            if !matches!(c.lemma(p).as_str(), "in" | "of") {
                continue;
            }
            if c.lemma(p) == "of" && holder != h {
                continue;
            }
            let Some(o) = c.kid(p, &["pobj"]) else {
                continue;
            };
            if is_place(ex, o) && c.ent_of[o] != c.ent_of[h] && !listy(o) {
                out.push(RelationType::LocatedIn, h, Some(o), None, p..p + 1);
            }
        }
    }
}

fn based(out: &mut Out, h: usize) {
    let ex = out.ex;
    let c = &ex.c;
    if !matches!(c.lemma(h).as_str(), "base" | "headquarter") || !c.is_verb(h) {
        return;
    }
    // "a New York-based organization": the place glued before "-based".
    let glued_place = (h >= 2 && c.toks[h - 1].text == "-")
        .then(|| h - 2)
        .filter(|&p| is_place(ex, p))
        .and_then(|p| c.ent(p).map(|e| c.ent_head(e)));
    let in_place = c
        .kids(h, &["prep"])
        .find(|&p| matches!(c.lemma(p).as_str(), "in" | "at"))
        .and_then(|p| c.kid(p, &["pobj"]))
        .filter(|&o| is_place(ex, o));
    let Some(place) = glued_place.or(in_place) else {
        return;
    };
    let holder = match c.dep(h) {
        "amod" | "acl" => Some(c.head(h)),
        _ => c.kid(h, &["nsubjpass", "nsubj"]),
    };
    let Some(holder) = holder else { return };
    let holder = relative_noun(ex, holder);
    // The organisation itself, or the one a description of it names.
    let subject = if named(ex, holder) {
        Some(holder)
    } else if c.dep(holder) == "appos" && named(ex, c.head(holder)) {
        Some(c.head(holder))
    } else {
        None
    };
    if let Some(s) = subject {
        out.push(RelationType::BasedIn, s, Some(place), None, h..h + 1);
    }
}

fn relative_noun(ex: &Ex, h: usize) -> usize {
    let c = &ex.c;
    if matches!(c.tag(h), "WP" | "WDT") {
        let v = c.head(h);
        if c.dep(v) == "relcl" {
            return c.head(v);
        }
    }
    h
}

/// Titles in front of a name: "Taliban spokesman Zabihullah Mujahid",
/// "Secretary of State Mike Pompeo", "Iran's Foreign Minister Mohammad
/// Javad Zarif", "CIA director Mike Pompeo".
fn titles(out: &mut Out) {
    let ex = out.ex;
    let c = &ex.c;
    for e in c.ents.iter() {
        if e.label != "PERSON" {
            continue;
        }
        let p = c.ent_head(e);
        // Left modifiers of the name that lie outside it.
        let mods: Vec<usize> = c.children[p]
            .iter()
            .copied()
            .filter(|&m| {
                m < e.start_token && matches!(c.dep(m), "compound" | "nmod" | "amod" | "poss")
            })
            .collect();
        if mods.is_empty() {
            continue;
        }
        let lo = mods
            .iter()
            .map(|&m| c.sub_lo[m])
            .min()
            .unwrap_or(e.start_token);
        let region = lo..e.start_token;
        // The role noun: the last listed role word in the region.
        let Some(rh) = (region.start..region.end).rev().find(|&t| {
            c.ent_of[t].is_none() && c.is_noun(t) && lexicon::role_noun(&key_at(ex, t).0).is_some()
        }) else {
            continue;
        };
        let (key, cue) = key_at(ex, rh);
        let Some(kind) = lexicon::role_noun(&key) else {
            continue;
        };
        // The organisation: an ORG/GPE/NORP entity in the region, nearest the
        // role word, or a possessive pronoun's antecedent.
        let org = (region.start..region.end)
            .rev()
            .filter(|&t| {
                c.ent_label(t)
                    .is_some_and(|l| matches!(l, "ORG" | "GPE" | "NORP"))
                    && !ex.is_title_complement(t)
            })
            .map(|t| c.ent(t).map(|x| c.ent_head(x)).unwrap_or(t))
            .next()
            .or_else(|| {
                (region.start..region.end).find(|&t| {
                    c.ent_of[t].is_none()
                        && ex.antecedent[t].is_some_and(|k| c.ents[k].label != "PERSON")
                })
            });
        // Role words: the region minus determiners, the organisation and
        // possessive markers.
        let words: Vec<usize> = (region.start..region.end)
            .filter(|&t| {
                !matches!(c.tag(t), "DT" | "POS" | "PRP$" | "," | ":")
                    && org.is_none_or_not_in(ex, t)
                    && (!c.ent_label(t).is_some_and(lexicon::is_actor_label)
                        || ex.is_title_complement(t))
            })
            .collect();
        let role = join_tokens(ex, &words);
        if role.is_empty() {
            continue;
        }
        let rel = match kind {
            RoleKind::Leader => {
                if c.has_kid_lemma(rh, &["amod"], &["deputy", "vice", "assistant"])
                    || region
                        .clone()
                        .any(|t| matches!(c.lemma(t).as_str(), "deputy" | "vice"))
                {
                    RelationType::HoldsRole
                } else if region
                    .clone()
                    .any(|t| matches!(c.lemma(t).as_str(), "senior" | "top" | "a" | "an"))
                {
                    RelationType::MemberOf
                } else {
                    RelationType::LeaderOf
                }
            }
            RoleKind::Member => RelationType::MemberOf,
            RoleKind::Role => RelationType::HoldsRole,
        };
        if org.is_none() && rel != RelationType::HoldsRole {
            continue;
        }
        out.push(rel, p, org, Some(role), cue);
    }
}

#[cfg(test)]
mod tests {
    use crate::testutil::{facts, rels};
    use crate::RelationType::*;

    fn one(v: &[(String, String, Option<String>)]) -> (&str, &str, Option<&str>) {
        assert_eq!(v.len(), 1, "{v:?}");
        (v[0].0.as_str(), v[0].1.as_str(), v[0].2.as_deref())
    }

    #[test]
    fn a_pronoun_does_not_move_a_named_person_into_another_group() {
        let later = " “The raid proves the threat is real,” he said on Sunday. According to police sources in Basra, he was one of the most senior leaders of the Northern Front.";
        let members = |text: &str| {
            let f = facts(text);
            rels(&f, crate::RelationType::MemberOf)
                .into_iter()
                .map(|(s, o, _)| (s, o))
                .collect::<Vec<_>>()
        };
        // Named as a president, he is not made a member of the militia.
        let named = format!("Iraqi President Karim Haddad accused the militia of lying.{later}");
        assert!(members(&named).is_empty(), "{:?}", members(&named));
        // With no affiliation named, the pronoun's reading stands.
        let bare = format!("Karim Haddad accused the militia of lying.{later}");
        assert_eq!(
            members(&bare),
            [("Karim Haddad".to_string(), "the Northern Front".to_string())]
        );
    }

    #[test]
    fn appositive_child_of() {
        let f =
            facts("Karim Nassar, the son of the merchant Walid Nassar, opened a shop in Tripoli.");
        assert_eq!(
            one(&rels(&f, ChildOf)),
            ("Karim Nassar", "Walid Nassar", Some("son"))
        );
    }

    #[test]
    fn widow_of_is_spouse() {
        let f = facts("Leila Farouk, the widow of Samir Haddad, spoke to reporters in Beirut.");
        assert_eq!(one(&rels(&f, SpouseOf)).0, "Leila Farouk");
        assert_eq!(one(&rels(&f, SpouseOf)).1, "Samir Haddad");
        let f = facts("Nadia Karam was the widow of Tariq Mansour.");
        assert_eq!(
            one(&rels(&f, SpouseOf)),
            ("Nadia Karam", "Tariq Mansour", Some("widow"))
        );
    }

    #[test]
    fn married_and_married_to() {
        let f = facts("Omar Saleh married Laila Hassan in 2015.");
        assert_eq!(
            one(&rels(&f, SpouseOf)),
            ("Omar Saleh", "Laila Hassan", None)
        );
        let f = facts("Rami Aziz is married to Salma Idris.");
        assert_eq!(one(&rels(&f, SpouseOf)), ("Rami Aziz", "Salma Idris", None));
    }

    #[test]
    fn in_law_is_relative_with_role() {
        let f = facts("Yusuf Bakri's son-in-law, Adel Mansour, was arrested last week.");
        let r = rels(&f, RelativeOf);
        assert_eq!(r.len(), 1, "{r:?}");
        assert_eq!(r[0].0, "Adel Mansour");
        assert!(r[0].1.starts_with("Yusuf Bakri"));
        assert_eq!(r[0].2.as_deref(), Some("son-in-law"));
    }

    #[test]
    fn the_latter_is_the_last_conjunct() {
        let f = facts(
            "The cell was led by Samir Haddad and Tarek Aziz—the latter Walid Nassar’s father-in-law.",
        );
        let r = rels(&f, RelativeOf);
        assert_eq!(r.len(), 1, "{r:?}");
        assert_eq!(r[0].0, "Tarek Aziz");
    }

    #[test]
    fn parent_noun_reverses() {
        let f = facts("Walid Nassar, the father of Karim Nassar, declined to comment.");
        assert_eq!(
            one(&rels(&f, ChildOf)),
            ("Karim Nassar", "Walid Nassar", Some("father"))
        );
    }

    #[test]
    fn aliases_are_not_relations() {
        for text in [
            "Faris Zaidi, also known as Abu Talha, was released.",
            "Faris Zaidi, alias Abu Talha, was released on Monday.",
            "Abu Talha, whose real name is Faris Zaidi, was released.",
        ] {
            let f = facts(text);
            assert!(f.relations.is_empty(), "{text}: {:?}", f.relations);
        }
    }

    #[test]
    fn title_before_name() {
        let f = facts("NATO spokesman Erik Holm said the talks would resume.");
        assert_eq!(
            one(&rels(&f, HoldsRole)),
            ("Erik Holm", "NATO", Some("spokesman"))
        );
        // A title with no organisation is kept with no object.
        let f = facts("Secretary of State Mike Pompeo spoke in Washington.");
        assert_eq!(
            one(&rels(&f, HoldsRole)),
            ("Mike Pompeo", "", Some("Secretary of State"))
        );
    }

    #[test]
    fn leader_and_senior_member() {
        let f = facts("Hassan Jaber, the leader of the Northern Front, was arrested in Mosul.");
        assert_eq!(
            one(&rels(&f, LeaderOf)),
            ("Hassan Jaber", "the Northern Front", Some("leader"))
        );
        let f =
            facts("Ali Rahim, a senior commander of the Northern Front, was arrested in Mosul.");
        let r = rels(&f, MemberOf);
        assert_eq!(one(&r).0, "Ali Rahim");
        assert_eq!(one(&r).1, "the Northern Front");
        assert!(rels(&f, LeaderOf).is_empty());
    }

    #[test]
    fn unit_within_is_part_of() {
        let f = facts("The Falcon Unit, a cell within the Northern Front, claimed the attack.");
        assert_eq!(
            one(&rels(&f, PartOf)),
            ("The Falcon Unit", "the Northern Front", Some("cell"))
        );
    }

    #[test]
    fn place_comma_place_is_located_in() {
        let f = facts("The attack took place in Zarqa, Jordan, on Tuesday.");
        assert_eq!(one(&rels(&f, LocatedIn)), ("Zarqa", "Jordan", None));
        // A list of places is not containment.
        let f = facts("Fighters moved between Iraq, Syria and Lebanon.");
        assert!(rels(&f, LocatedIn).is_empty(), "{:?}", f.relations);
    }

    #[test]
    fn based_in() {
        let f =
            facts("The Meridian Institute, a London-based research group, published the report.");
        assert_eq!(
            one(&rels(&f, BasedIn)),
            ("The Meridian Institute", "London", None)
        );
    }

    #[test]
    fn description_refers_back_to_its_name() {
        let f = facts(
            "The official said Omar Nasser's daughter, Leila, was also a target. Omar Nasser's daughter was the widow of Karim Haddad.",
        );
        let r = rels(&f, SpouseOf);
        assert_eq!(r.len(), 1, "{:?}", f.relations);
        assert_eq!(r[0].0, "Leila");
        assert_eq!(r[0].1, "Karim Haddad");
    }
}
