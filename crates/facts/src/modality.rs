//! Whether an event is told as having happened: the trigger's own marks
//! (negation, modal and future auxiliaries, "reported", "planned") and the
//! words that govern it ("planned to attack", "a warrant for his arrest",
//! "leverage to prevent attacks"), up to the clause of a reporting verb,
//! whose modality belongs to the claim.

use crate::extract::Ex;
use crate::lexicon;
use crate::types::EventType;
use crate::words::{self, List};
use dossier_core::Modality;

/// How far up the tree a governor is looked for.
const MAX_STEPS: usize = 7;

/// What was found, with the token that says it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Reading {
    pub modality: Modality,
    pub cue: Option<usize>,
}

/// Precedence when several marks apply: the least factual reading wins,
/// so "reportedly planned to attack" is planned.
fn rank(m: Modality) -> u8 {
    match m {
        Modality::Denied => 0,
        Modality::Sought => 1,
        Modality::Planned => 2,
        Modality::Future => 3,
        Modality::Hypothetical => 4,
        Modality::Reported => 5,
        Modality::Asserted => 6,
    }
}

struct Found(Option<Reading>);

impl Found {
    fn add(&mut self, modality: Modality, cue: usize) {
        if self.0.is_none_or(|r| rank(modality) < rank(r.modality)) {
            self.0 = Some(Reading {
                modality,
                cue: Some(cue),
            });
        }
    }
}

/// The modality of the event word at token `i` (of type `kind`, when known).
pub(crate) fn modality(ex: &Ex, i: usize, kind: Option<EventType>) -> Reading {
    let c = &ex.c;
    let mut found = Found(None);
    own_marks(ex, i, &mut found);
    // A noun told through a light verb takes that verb's marks: "will impose
    // sanctions", "did not carry out the attack", "could launch an attack".
    if c.is_noun(i) {
        let up = c.head(i);
        if up != i && matches!(c.dep(i), "dobj" | "nsubjpass" | "nsubj" | "attr") {
            if is_happening_verb(&c.lemma(up)) {
                own_marks(ex, up, &mut found);
            } else if let Some(neg) = c.kid(up, &["neg"]) {
                // "could not confirm the killing": not told as having happened.
                if lexicon::cue_verb(&c.lemma(up)).is_some() {
                    found.add(Modality::Hypothetical, neg);
                }
            }
        }
    }
    governors(ex, i, kind, &mut found);
    if found.0.is_none_or(|r| r.modality == Modality::Reported) {
        purpose_infinitive(ex, i, &mut found);
        future_time(ex, i, &mut found);
    }
    found.0.unwrap_or(Reading {
        modality: Modality::Asserted,
        cue: None,
    })
}

/// "a contract to supply tankers", "killed them to avenge his brother",
/// "is to be delivered": an infinitive that no governor marks has not
/// happened yet, unless its governor says it did ("managed to escape") or
/// it is perfect ("is believed to have fled").
fn purpose_infinitive(ex: &Ex, i: usize, found: &mut Found) {
    let c = &ex.c;
    let v = if c.is_noun(i) && matches!(c.dep(i), "dobj" | "nsubjpass") {
        c.head(i)
    } else {
        i
    };
    if !c.is_verb(v) || !matches!(c.dep(v), "xcomp" | "advcl" | "acl" | "relcl") {
        return;
    }
    let Some(to) = c.kids(v, &["aux"]).find(|&a| c.tag(a) == "TO") else {
        return;
    };
    if c.kids(v, &["aux"]).any(|a| c.lemma(a) == "have") {
        return;
    }
    let up = c.head(v);
    if up != v && words::has(List::Implicative, &c.lemma(up)) {
        return;
    }
    // "visited the Capitol on Thursday to meet senators", "flew to Doha to
    // sign": the purpose of a journey told as made is told as fulfilled.
    if up != v && c.tag(up) == "VBD" && lexicon::verb_event(&c.lemma(up)) == Some(EventType::Travel)
    {
        return;
    }
    found.add(Modality::Future, to);
}

/// "tomorrow's meeting", "arriving next month": a time expression on the
/// event (or on the verb it is the object of) that points ahead.
fn future_time(ex: &Ex, i: usize, found: &mut Found) {
    let c = &ex.c;
    let up = c.head(i);
    let words_of = |t: usize| {
        c.children[t]
            .iter()
            .copied()
            .filter(|&k| matches!(c.dep(k), "npadvmod" | "poss" | "prep" | "advmod" | "tmod"))
            .flat_map(|k| c.subtree(k))
            .collect::<Vec<usize>>()
    };
    let mut near = words_of(i);
    if c.is_noun(i) && matches!(c.dep(i), "dobj" | "nsubjpass") && up != i {
        near.extend(words_of(up));
    }
    if let Some(t) = near
        .into_iter()
        .find(|&t| c.time(t).is_some() && words::has(List::FutureTime, &c.lower(t)))
    {
        found.add(Modality::Future, t);
    }
}

/// Verbs whose object event noun happens or not with them: "carried out the
/// killing", "imposed sanctions", "no strike took place".
fn is_happening_verb(lemma: &str) -> bool {
    matches!(
        lemma,
        "carry"
            | "conduct"
            | "launch"
            | "stage"
            | "mount"
            | "perpetrate"
            | "commit"
            | "execute"
            | "impose"
            | "offer"
            | "issue"
            | "levy"
            | "slap"
            | "announce"
            | "make"
            | "hold"
            | "take"
            | "occur"
            | "happen"
            | "unfold"
            | "undertake"
            | "deliver"
            | "pay"
    )
}

/// Negation, auxiliaries, "if" and modifiers on the word itself.
fn own_marks(ex: &Ex, i: usize, found: &mut Found) {
    let c = &ex.c;
    if let Some(n) = c.kid(i, &["neg"]) {
        found.add(Modality::Denied, n);
    }
    if c.is_noun(i) {
        if let Some(d) = c.kids(i, &["det"]).find(|&d| c.lemma(d) == "no") {
            found.add(Modality::Denied, d);
        }
    }
    for a in c.kids(i, &["aux", "auxpass"]) {
        let w = c.lower(a);
        if words::has(List::FutureAux, &w) {
            found.add(Modality::Future, a);
        } else if c.tag(a) == "MD" && words::has(List::HypotheticalModal, &w) {
            // "said the US would impose sanctions": a future in the past.
            if w == "would" && c.dep(i) == "ccomp" && is_cue(ex, c.head(i)) {
                found.add(Modality::Future, a);
            } else {
                found.add(Modality::Hypothetical, a);
            }
        }
    }
    if let Some(m) = c
        .kids(i, &["mark"])
        .find(|&m| matches!(c.lemma(m).as_str(), "if" | "unless" | "whether"))
    {
        found.add(Modality::Hypothetical, m);
    }
    for m in c.kids(i, &["advmod", "amod"]) {
        let w = c.lower(m);
        if words::has(List::PlannedModifier, &w) {
            found.add(Modality::Planned, m);
        } else if words::has(List::HypotheticalModifier, &w) {
            found.add(Modality::Hypothetical, m);
        } else if words::has(List::ReportedModifier, &w) {
            found.add(Modality::Reported, m);
        }
    }
}

fn is_cue(ex: &Ex, v: usize) -> bool {
    let c = &ex.c;
    (c.is_verb(v) || c.is_noun(v)) && lexicon::cue_verb(&c.lemma(v)).is_some()
}

/// Whether a noun is definite: "those attacks", "the killing", "his arrest".
fn definite(ex: &Ex, n: usize) -> bool {
    let c = &ex.c;
    c.kid(n, &["poss"]).is_some()
        || c.has_kid_lemma(
            n,
            &["det"],
            &["the", "this", "that", "these", "those", "such"],
        )
}

/// The words above the trigger that say it has not happened.
fn governors(ex: &Ex, i: usize, kind: Option<EventType>, found: &mut Found) {
    let c = &ex.c;
    let sought_kind = kind.is_some_and(|k| words::has(List::SoughtKind, k.as_str()));
    // "those attacks", "the killing": planned or prevented, they are still
    // told as events ("the planning of those attacks").
    let trigger_definite = c.is_noun(i) && definite(ex, i);
    let mut cur = i;
    if c.is_noun(i) {
        noun_phrase_governors(ex, i, sought_kind, trigger_definite, found);
        // The verb the noun is an argument of, and its clause chain; not the
        // verbs above a phrase it only sits in ("expected to cite evidence
        // on the assassination").
        let up = c.head(i);
        if up == i || !matches!(c.dep(i), "dobj" | "nsubjpass" | "attr" | "nsubj") {
            return;
        }
        let ul = c.lemma(up);
        if c.dep(i) == "dobj" {
            if sought_kind && words::has(List::Sought, &ul) {
                found.add(Modality::Sought, up);
            }
            if !trigger_definite {
                if words::has(List::Planned, &ul) {
                    found.add(Modality::Planned, up);
                }
                if words::has(List::HypotheticalGovernor, &ul) {
                    found.add(Modality::Hypothetical, up);
                }
            }
        }
        cur = up;
    }
    verb_chain_governors(ex, cur, sought_kind, found);
}

/// Inside a noun phrase: "a warrant for his arrest", "a reward for
/// information leading to his capture", "plans for an attack", "the threat
/// of attacks".
fn noun_phrase_governors(
    ex: &Ex,
    i: usize,
    sought_kind: bool,
    trigger_definite: bool,
    found: &mut Found,
) {
    let c = &ex.c;
    let mut cur = i;
    for _ in 0..MAX_STEPS {
        let up = c.head(cur);
        if up == cur {
            return;
        }
        let d = c.dep(cur);
        let phrase = matches!(d, "pobj" | "prep" | "pcomp" | "compound")
            || (d == "acl" && c.tag(cur) == "VBG");
        if !phrase {
            return;
        }
        let ul = c.lemma(up);
        if sought_kind && words::has(List::Sought, &ul) {
            found.add(Modality::Sought, up);
        }
        if !trigger_definite && words::has(List::Planned, &ul) {
            found.add(Modality::Planned, up);
        }
        if c.is_noun(up) && d == "prep" && words::has(List::HypotheticalGovernor, &ul) {
            found.add(Modality::Hypothetical, up);
        }
        cur = up;
    }
}

/// Up the chain of clauses a verb is the complement of: "planned to
/// attack", "sought to arrest", "vowed to strike", "could use them to
/// attack", "was believed to have been killed". A reporting verb's clause
/// is a claim: its modality is the claim's stance, not the event's.
fn verb_chain_governors(ex: &Ex, start: usize, sought_kind: bool, found: &mut Found) {
    let c = &ex.c;
    let mut cur = start;
    for _ in 0..MAX_STEPS {
        let up = c.head(cur);
        if up == cur {
            return;
        }
        let d = c.dep(cur);
        let ul = c.lemma(up);
        // "no evidence that he was killed", "no sign of an attack".
        if matches!(d, "ccomp" | "acl") && c.is_noun(up) {
            if let Some(k) = c.kids(up, &["det", "neg"]).find(|&k| c.lemma(k) == "no") {
                found.add(Modality::Hypothetical, k);
            }
        }
        // "a ban on Muslims entering the country": the clause describes a
        // noun, whose own phrase may say it has not happened.
        if d == "acl" && c.is_noun(up) {
            noun_phrase_governors(ex, up, sought_kind, false, found);
        }
        // "when it arrives", with "will wear" above it: the time clause
        // shares the main clause's future.
        if d == "advcl"
            && c.kids(cur, &["mark", "advmod"])
                .any(|m| words::has(List::TimeMark, &c.lemma(m)))
        {
            if let Some(a) = c
                .kids(up, &["aux"])
                .find(|&a| words::has(List::FutureAux, &c.lower(a)))
            {
                found.add(Modality::Future, a);
            }
            return;
        }
        // "banning Muslims from entering": through "from" to what bars it.
        if d == "pcomp" && c.lemma(up) == "from" {
            cur = up;
            continue;
        }
        let barred = d == "prep" && c.lemma(cur) == "from";
        if !matches!(d, "xcomp" | "acl" | "advcl") && !barred {
            return;
        }
        // A purpose or condition clause, not one of time: "after he had
        // attacked" is told as having happened.
        if d == "advcl" && c.kid(cur, &["aux"]).is_none_or(|a| c.lemma(a) != "to") {
            return;
        }
        if sought_kind && words::has(List::Sought, &ul) {
            found.add(Modality::Sought, up);
        }
        if words::has(List::Planned, &ul) {
            found.add(Modality::Planned, up);
        }
        if words::has(List::FutureGovernor, &ul) {
            found.add(Modality::Future, up);
        }
        if words::has(List::HypotheticalGovernor, &ul) {
            found.add(Modality::Hypothetical, up);
        }
        if d == "xcomp" {
            // "was believed to have been killed": a hedged report.
            let passive = c.kid(up, &["auxpass", "nsubjpass"]).is_some();
            if passive && lexicon::is_hedging_raiser(&ul) {
                found.add(Modality::Reported, up);
            }
            // "is set to visit", "is going to attack".
            if words::has(List::FutureRaiser, &ul) {
                found.add(Modality::Future, up);
            }
        }
        // "could use them to attack", "will try to kill", "did not try".
        for a in c.kids(up, &["aux"]) {
            let w = c.lower(a);
            if words::has(List::FutureAux, &w) {
                found.add(Modality::Future, a);
            } else if c.tag(a) == "MD" && words::has(List::HypotheticalModal, &w) {
                found.add(Modality::Hypothetical, a);
            }
        }
        if let Some(n) = c.kid(up, &["neg"]) {
            found.add(Modality::Hypothetical, n);
        }
        cur = up;
    }
}

#[cfg(test)]
mod tests {
    use crate::testutil::facts;
    use crate::EventType;
    use dossier_core::Modality;

    fn modality_of(text: &str, kind: EventType) -> Modality {
        let f = facts(text);
        f.events
            .iter()
            .find(|e| e.kind == kind)
            .unwrap_or_else(|| panic!("no {kind:?} in {:?}", f.events))
            .modality
    }

    #[test]
    fn happened() {
        assert_eq!(
            modality_of("Gunmen killed Omar Zaki in Basra.", EventType::Killing),
            Modality::Asserted
        );
        assert_eq!(
            modality_of(
                "Two agents reportedly killed Omar Zaki in Basra.",
                EventType::Killing
            ),
            Modality::Reported
        );
        assert_eq!(
            modality_of(
                "Omar Zaki was believed to have been killed in the strike.",
                EventType::Killing
            ),
            Modality::Reported
        );
    }

    #[test]
    fn denied() {
        assert_eq!(
            modality_of("The army did not kill Samir Daoud.", EventType::Killing),
            Modality::Denied
        );
        assert_eq!(
            modality_of(
                "Police said no attack took place in Paris.",
                EventType::Attack
            ),
            Modality::Denied
        );
    }

    #[test]
    fn sought() {
        assert_eq!(
            modality_of(
                "The court issued a warrant for his arrest in May 2018.",
                EventType::Arrest
            ),
            Modality::Sought
        );
        assert_eq!(
            modality_of(
                "The ministry offered a $2 million reward for information leading to the capture of Omar Zaki.",
                EventType::Arrest
            ),
            Modality::Sought
        );
        // The reward itself was offered.
        assert_eq!(
            modality_of(
                "The ministry offered a $2 million reward for information leading to the capture of Omar Zaki.",
                EventType::Reward
            ),
            Modality::Asserted
        );
    }

    #[test]
    fn planned() {
        assert_eq!(
            modality_of(
                "He had planned to attack the embassy in Rome.",
                EventType::Attack
            ),
            Modality::Planned
        );
        assert_eq!(
            modality_of(
                "The group shelters commanders as they plan attacks against the city.",
                EventType::Attack
            ),
            Modality::Planned
        );
        // Planning what happened: the attacks took place.
        assert_eq!(
            modality_of(
                "He took part in the planning of those attacks.",
                EventType::Attack
            ),
            Modality::Asserted
        );
    }

    #[test]
    fn future_and_hypothetical() {
        assert_eq!(
            modality_of(
                "The government will impose sanctions on the two commanders.",
                EventType::Sanction
            ),
            Modality::Future
        );
        assert_eq!(
            modality_of(
                "The rebels could use the drones to attack the port.",
                EventType::Attack
            ),
            Modality::Hypothetical
        );
        assert_eq!(
            modality_of(
                "The deal was meant as leverage to prevent attacks on the capital.",
                EventType::Attack
            ),
            Modality::Hypothetical
        );
        assert_eq!(
            modality_of(
                "He called for a ban on foreigners entering France.",
                EventType::Travel
            ),
            Modality::Hypothetical
        );
    }

    #[test]
    fn times_ahead_and_bans() {
        assert_eq!(
            modality_of(
                "The board will decide after tomorrow's meeting of the council in London.",
                EventType::Meeting
            ),
            Modality::Future
        );
        assert_eq!(
            modality_of(
                "Most voters support banning foreigners from entering France.",
                EventType::Travel
            ),
            Modality::Hypothetical
        );
    }

    #[test]
    fn purposes() {
        // A purpose not yet fulfilled ...
        assert_eq!(
            modality_of(
                "The rebels bought rifles to attack the convoy.",
                EventType::Attack
            ),
            Modality::Future
        );
        // ... unless it is the purpose of a journey told as made.
        assert_eq!(
            modality_of(
                "The judge visited the Capitol on Thursday to meet senators.",
                EventType::Meeting
            ),
            Modality::Asserted
        );
    }
}
