//! Event mentions: a trigger word from the lexicon, its arguments read off
//! the dependency parse, its place and date, and how it is asserted.

use crate::extract::Ex;
use crate::lexicon;
use crate::types::{DateMention, EventArg, EventLink, EventLinkKind, EventMention, EventType, Ref};
use crate::words::{self, List};
use crate::{amount, modality};
use dossier_core::TimeType;

/// The roles a trigger's syntactic slots fill, by event type: (active
/// subject, object or passive subject, passive `by`-agent).
fn slot_roles(kind: EventType) -> (&'static str, Option<&'static str>, &'static str) {
    use EventType::*;
    match kind {
        Killing => ("agent", Some("victim"), "agent"),
        Death => ("victim", None, "agent"),
        Attack => ("agent", Some("target"), "agent"),
        Arrest => ("agent", Some("detainee"), "agent"),
        Raid => ("agent", Some("target"), "agent"),
        Sanction => ("agent", Some("target"), "agent"),
        Reward => ("agent", Some("target"), "agent"),
        Designation => ("agent", Some("target"), "agent"),
        Charge => ("agent", Some("defendant"), "agent"),
        Marriage => ("spouse", Some("spouse"), "spouse"),
        Meeting => ("participant", Some("participant"), "participant"),
        Speech => ("speaker", Some("audience"), "speaker"),
        Travel => ("traveler", Some("destination"), "traveler"),
    }
}

/// The role of the person or thing the event happens to.
fn patient_role(kind: EventType) -> Option<&'static str> {
    match kind {
        EventType::Death => Some("victim"),
        EventType::Travel | EventType::Speech => None,
        k => slot_roles(k).1,
    }
}

/// Whether a possessor of an event noun is its patient ("al-Masri's killing")
/// rather than its agent ("Hezbollah's bombings").
fn possessor_is_patient(kind: EventType) -> bool {
    matches!(
        kind,
        EventType::Killing
            | EventType::Death
            | EventType::Arrest
            | EventType::Charge
            | EventType::Designation
    )
}

/// Verbs whose object event noun they perform: "carried out the killing".
fn is_light_verb(lemma: &str) -> bool {
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
            | "orchestrate"
            | "offer"
            | "impose"
            | "deliver"
            | "give"
            | "make"
            | "hold"
            | "pay"
            | "undertake"
            | "plan"
            | "order"
            | "claim"
            | "attend"
            | "host"
            | "issue"
            | "levy"
            | "slap"
            | "place"
            | "post"
            | "put"
    )
}

/// Verbs whose date is that of the event noun they take as object: one
/// attends a wedding, gives a speech, carries out an attack when it
/// happens (not so for "planned the attack", "ordered the killing").
fn dates_its_object(lemma: &str) -> bool {
    matches!(
        lemma,
        "attend"
            | "hold"
            | "host"
            | "carry"
            | "conduct"
            | "launch"
            | "stage"
            | "mount"
            | "give"
            | "deliver"
            | "make"
            | "pay"
            | "undertake"
            | "commit"
            | "perpetrate"
            | "execute"
            | "impose"
            | "offer"
            | "issue"
    )
}

/// Verbs that never take a person as a meaningful "strike" object.
fn strike_idiom(lemma: &str) -> bool {
    matches!(
        lemma,
        "deal"
            | "balance"
            | "chord"
            | "tone"
            | "note"
            | "pose"
            | "agreement"
            | "bargain"
            | "compromise"
            | "match"
            | "blow"
            | "fear"
            | "nerve"
    )
}

fn meet_idiom(lemma: &str) -> bool {
    matches!(
        lemma,
        "criterion"
            | "criteria"
            | "need"
            | "demand"
            | "goal"
            | "deadline"
            | "requirement"
            | "expectation"
            | "standard"
            | "target"
            | "threshold"
            | "obligation"
            | "end"
            | "challenge"
            | "condition"
            | "fate"
    )
}

fn is_direction(lemma: &str) -> bool {
    matches!(
        lemma,
        "east"
            | "west"
            | "north"
            | "south"
            | "northeast"
            | "northwest"
            | "southeast"
            | "southwest"
            | "outside"
            | "near"
    )
}

struct Draft {
    kind: EventType,
    trigger: usize,
    args: Vec<(String, usize)>,
}

/// A candidate trigger: its type, or `None` when the word is not used as
/// an event here.
fn trigger_type(ex: &Ex, i: usize) -> Option<EventType> {
    if in_generic_relative(ex, i) {
        return None;
    }
    word_event_type(ex, i)
}

/// The type a word's own use gives it.
fn word_event_type(ex: &Ex, i: usize) -> Option<EventType> {
    let c = &ex.c;
    let lemma = c.lemma(i);
    if c.is_verb(i) {
        // "passed away"
        if lemma == "pass" && c.has_kid_lemma(i, &["prt", "advmod"], &["away"]) {
            return Some(EventType::Death);
        }
        if let Some(kind) = phrasal_event(ex, i) {
            return Some(kind);
        }
        let kind = lexicon::verb_event(&lemma)?;
        let obj = c.kid(i, &["dobj"]).map(|o| c.lemma(o)).unwrap_or_default();
        let kind = match lemma.as_str() {
            "shoot" => {
                let dead = c.children[i].iter().any(|&k| {
                    matches!(c.dep(k), "oprd" | "acomp" | "advmod") && c.lemma(k) == "dead"
                });
                if dead {
                    EventType::Killing
                } else {
                    EventType::Attack
                }
            }
            "strike" if strike_idiom(&obj) => return None,
            "meet" if meet_idiom(&obj) => return None,
            _ => kind,
        };
        // Verbs with other everyday senses count only with the right kind
        // of participant.
        let needs_person = matches!(
            lemma.as_str(),
            "capture" | "execute" | "eliminate" | "charge" | "jail" | "target" | "storm" | "seize"
        );
        if needs_person && !has_person_patient(ex, i) {
            return None;
        }
        let needs_place = kind == EventType::Travel;
        if needs_place && (!has_place(ex, i) || not_a_way(ex, i) || not_a_journey(ex, i)) {
            return None;
        }
        if kind == EventType::Attack && (verbal_attack(ex, i) || accidental(ex, i)) {
            return None;
        }
        // "capture the Senate", "it captures her": winning or depicting.
        if kind == EventType::Arrest
            && matches!(lemma.as_str(), "capture" | "seize")
            && !captures_someone(ex, i)
        {
            return None;
        }
        return Some(kind);
    }
    if lemma == "dead" && c.tag(i).starts_with("JJ") {
        // "is dead in the water": a plan or a campaign, not a death (but
        // "found dead in the water" is one). The phrase hangs off "dead"
        // or off its verb.
        let in_water = |x: usize| {
            c.kids(x, &["prep"]).any(|p| {
                c.lemma(p) == "in" && c.kid(p, &["pobj"]).is_some_and(|o| c.lemma(o) == "water")
            })
        };
        let h = c.head(i);
        let idiom = c.lemma(h) == "be" && (in_water(i) || in_water(h));
        if idiom {
            return None;
        }
        if h != i && matches!(c.lemma(h).as_str(), "shoot" | "gun" | "beat" | "stab") {
            return None;
        }
        if speaker_or_listener_dead(ex, i) {
            return None;
        }
        if matches!(
            c.dep(i),
            "acomp" | "oprd" | "xcomp" | "ccomp" | "ROOT" | "conj"
        ) || dead_as_noun(ex, i)
        {
            return Some(if c.lemma(h) == "leave" {
                EventType::Killing
            } else {
                EventType::Death
            });
        }
        return None;
    }
    if !c.is_noun(i) || c.ent_of[i].is_some() {
        return None;
    }
    let lemma = common_lemma(ex, i);
    let kind = lexicon::noun_event(&lemma)?;
    if kind == EventType::Killing && attempted(ex, i) {
        return Some(EventType::Attack);
    }
    // A modifier of another noun ("death toll", "attack plans") is not the
    // event, unless that noun presupposes it ("the bombing suspect").
    if c.dep(i) == "compound" && !presupposes_event(&c.lemma(c.head(i))) {
        return None;
    }
    if c.kids(i, &["compound", "amod"])
        .any(|m| lexicon::non_violent_modifier(&c.lemma(m)))
    {
        return None;
    }
    match lemma.as_str() {
        "charge" => {
            // "in charge of" is not a charge; "terrorism charges" is.
            let h = c.head(i);
            if c.lemma(h) == "in" && c.kid(i, &["det"]).is_none() {
                return None;
            }
            if c.tag(i) != "NNS" && c.kid(i, &["compound", "amod"]).is_none() {
                return None;
            }
            if booked_charge(ex, i) {
                return None;
            }
        }
        "talk" | "sanction" if c.tag(i) != "NNS" => return None,
        "strike" if labour_strike(ex, i) => return None,
        "address"
            if c.kid(i, &["poss"]).is_none() && !c.has_kid_lemma(i, &["prep"], &["by", "to"]) =>
        {
            return None
        }
        "execution" | "capture" if !has_person_patient(ex, i) => return None,
        // "holding her marriage together": a marriage, not a wedding.
        "marriage"
            if !c
                .kids(i, &["prep"])
                .any(|p| matches!(c.lemma(p).as_str(), "to" | "with"))
                && c.time_of[i].is_none()
                && c.kids(i, &["compound", "amod", "nmod"])
                    .all(|m| c.time(m).is_none()) =>
        {
            return None
        }
        _ => {}
    }
    if kind == EventType::Attack && (verbal_attack(ex, i) || accidental(ex, i)) {
        return None;
    }
    Some(kind)
}

/// "we are dead", "you're dead if he finds out": the living speaker or
/// listener, so a figure of speech, not a report of a death.
fn speaker_or_listener_dead(ex: &Ex, i: usize) -> bool {
    let c = &ex.c;
    // The subject "dead" is said of: its own, or its linking verb's ("we
    // are dead"), not the finder's ("we found him dead").
    let linked = c.dep(i) == "acomp";
    let subject = c
        .kid(i, &["nsubj"])
        .or_else(|| c.kid(c.head(i), &["nsubj"]).filter(|_| linked));
    subject.is_some_and(|s| matches!(c.lower(s).as_str(), "i" | "we" | "you"))
}

/// A motion verb that reports no journey: a command or a stage direction
/// ("Enter South Dakota, a state with few voters"), which has no subject,
/// or "leave" with a complement, which says what something was made
/// ("left Britain worse off").
fn not_a_journey(ex: &Ex, i: usize) -> bool {
    let c = &ex.c;
    let imperative = c.tag(i) == "VB"
        && c.dep(i) == "ROOT"
        && c.kid(i, &["nsubj", "nsubjpass", "aux", "auxpass"])
            .is_none();
    let resultative =
        c.lemma(i) == "leave" && c.kid(i, &["oprd", "acomp", "xcomp", "ccomp"]).is_some();
    imperative || resultative
}

/// In a relative clause on "any ...": a kind of thing, not a happening
/// ("any company that does not like a surprise attack"). A dated clause
/// tells a real event ("any way it could be resolved during a visit later
/// this month"), and so does a definite one ("during his visit").
fn in_generic_relative(ex: &Ex, i: usize) -> bool {
    let c = &ex.c;
    let definite = c.kid(i, &["poss"]).is_some()
        || c.has_kid_lemma(i, &["det"], &["the", "this", "that", "these", "those"]);
    if definite {
        return false;
    }
    let dated = |r: usize| (c.sub_lo[r]..c.sub_hi[r]).any(|t| c.time_of[t].is_some());
    let mut cur = i;
    for _ in 0..c.len() {
        let h = c.head(cur);
        if h == cur {
            return false;
        }
        if c.dep(cur) == "relcl" {
            if dated(cur) {
                return false;
            }
            return c.has_kid_lemma(h, &["det"], &["any"])
                || matches!(c.lower(h).as_str(), "anyone" | "anybody" | "anything");
        }
        cur = h;
    }
    false
}

/// A charge against earnings: "a $40 million charge", "a special charge of
/// 12 mln dlrs", "a charge of 37 cts a share" (not "three charges of
/// murder").
fn booked_charge(ex: &Ex, i: usize) -> bool {
    let c = &ex.c;
    let money = |t: usize| c.ent_label(t) == Some("MONEY");
    c.children[i].iter().any(|&k| money(k))
        || c.kids(i, &["compound", "amod", "nmod"])
            .any(|m| words::has(List::BookedCharge, &c.lemma(m)))
        || c.kids(i, &["prep"])
            .filter(|&p| c.lemma(p) == "of")
            .filter_map(|p| c.kid(p, &["pobj"]))
            .any(|o| {
                money(o) || c.ent_label(o) == Some("CARDINAL") || c.kid(o, &["nummod"]).is_some()
            })
}

/// "among the dead", "the dead included two soldiers": the people who died.
fn dead_as_noun(ex: &Ex, i: usize) -> bool {
    let c = &ex.c;
    matches!(c.dep(i), "pobj" | "nsubj" | "nsubjpass" | "dobj")
        && c.has_kid_lemma(i, &["det"], &["the"])
}

/// "an accidental explosion", "the device detonated accidentally": no attack.
fn accidental(ex: &Ex, i: usize) -> bool {
    let c = &ex.c;
    c.kids(i, &["amod", "advmod"])
        .any(|m| words::has(List::AccidentModifier, &c.lemma(m)))
}

/// A strike of workers: "went on strike", "a 48-hour strike", "the strike
/// affects unions in four cities" (a bare strike in a sentence about
/// unions, workers or wages; not "an air strike on the depot").
fn labour_strike(ex: &Ex, i: usize) -> bool {
    let c = &ex.c;
    let on_strike =
        c.dep(i) == "pobj" && c.lemma(c.head(i)) == "on" && c.kid(i, &["det"]).is_none();
    let lasting = c
        .kids(i, &["compound", "amod", "nmod", "npadvmod"])
        .any(|m| {
            matches!(c.lemma(m).as_str(), "hour" | "day" | "week" | "month")
                || c.ent_label(m).is_some_and(|l| matches!(l, "TIME" | "DATE"))
        });
    let armed = c.kids(i, &["compound", "amod"]).next().is_some()
        || c.has_kid_lemma(i, &["prep"], &["on", "against"]);
    let about_work = || {
        c.sents[c.sent_of[i]]
            .clone()
            .any(|t| words::has(List::LabourContext, &c.lemma(t)))
    };
    on_strike || lasting || (!armed && about_work())
}

/// "an assassination attempt", "attempted murder": an attack that may not
/// have killed.
fn attempted(ex: &Ex, i: usize) -> bool {
    let c = &ex.c;
    (c.dep(i) == "compound" && c.lemma(c.head(i)) == "attempt")
        || c.has_kid_lemma(i, &["amod"], &["attempt", "attempted"])
}

/// Nouns an event noun modifies only when the event took place: "the
/// bombing suspect", "shooting victims", "a shooting incident".
fn presupposes_event(head: &str) -> bool {
    words::has(List::PresupposingNoun, head)
}

/// The lemma of a noun, and of a common noun the tagger took for a name
/// at the head of a sentence or a title ("Shootings in Belfast had
/// continued"): its singular, as a proper noun keeps its plural.
fn common_lemma(ex: &Ex, i: usize) -> String {
    let c = &ex.c;
    let lemma = c.lemma(i);
    if !c.tag(i).starts_with("NNP") || lexicon::noun_event(&lemma).is_some() {
        return lemma;
    }
    match lemma.strip_suffix('s') {
        Some(one) if lexicon::noun_event(one).is_some() => one.to_string(),
        _ => lemma,
    }
}

/// Events a verb names only with its particle or object: "blew up the
/// bridge", "the bomb went off", "the blasts claimed nine lives".
fn phrasal_event(ex: &Ex, i: usize) -> Option<EventType> {
    let c = &ex.c;
    let weapon_subject = || {
        c.kid_or_shared(i, &["nsubj"])
            .is_some_and(|s| lexicon::is_weapon(&c.lemma(ex.content_head(s))))
    };
    let lives = || {
        c.kids(i, &["dobj"])
            .any(|o| c.lemma(o) == "life" && c.tag(o) == "NNS")
    };
    match c.lemma(i).as_str() {
        // Not "the scandal blew up": something is blown up, or a weapon goes.
        "blow" if c.has_kid_lemma(i, &["prt"], &["up"]) => {
            (c.kid(i, &["dobj"]).is_some() || weapon_subject()).then_some(EventType::Attack)
        }
        "go" if c.has_kid_lemma(i, &["prt"], &["off"]) => {
            weapon_subject().then_some(EventType::Attack)
        }
        "claim" | "take" | "cost" if lives() => Some(EventType::Killing),
        _ => None,
    }
}

/// An attack of words: "attacked the program as a violation", "attacked
/// other candidates for accepting donations", "his attacks on billionaire
/// financiers", "attacked in the media", "the odds shot up", "struck down
/// limits", "the battle with Trump".
fn verbal_attack(ex: &Ex, i: usize) -> bool {
    let c = &ex.c;
    if c.kids(i, &["compound", "amod", "npadvmod"])
        .any(|m| lexicon::non_violent_modifier(&c.lemma(m)))
    {
        return true;
    }
    // "shot up", "struck down the law": a particle away from violence,
    // unless a person is hit.
    if c.has_kid_lemma(i, &["prt"], &["up", "down", "out"]) && !has_person_patient(ex, i) {
        return true;
    }
    let abstract_head = |t: usize| {
        let h = ex.content_head(t);
        c.ent_label(h).is_none() && words::has(List::AbstractTarget, &c.lemma(h))
    };
    // What is attacked: the object, the passive subject, the "on"/"against"
    // phrase of a noun.
    let mut targets: Vec<usize> = c.kids(i, &["dobj", "nsubjpass"]).collect();
    for p in c.kids(i, &["prep"]) {
        if matches!(c.lemma(p).as_str(), "on" | "against") {
            targets.extend(c.kid(p, &["pobj"]));
        }
    }
    if targets.iter().any(|&t| abstract_head(t)) {
        return true;
    }
    c.kids(i, &["prep"]).any(|p| {
        let Some(o) = c.kid(p, &["pobj", "pcomp"]) else {
            return false;
        };
        match c.lemma(p).as_str() {
            // "attacked X for accepting ...", "attacked it as a violation of ..."
            "for" | "as" | "over" => {
                c.is_verb(i) && (c.is_verb(o) || (c.is_noun(o) && c.time(o).is_none()))
            }
            // "attacked in the media", "on Twitter", "on stage"
            "in" | "on" => matches!(
                c.lemma(o).as_str(),
                "media"
                    | "press"
                    | "twitter"
                    | "stage"
                    | "debate"
                    | "interview"
                    | "ad"
                    | "op-ed"
                    | "tweet"
                    | "speech"
            ),
            // "the battle with Trump": a rivalry with a person.
            "with" => c.is_noun(i) && c.ent_label(o) == Some("PERSON"),
            _ => false,
        }
    })
}

/// Whether "capture" takes a person: not "capture the Senate", not "it
/// captures her mood".
fn captures_someone(ex: &Ex, i: usize) -> bool {
    let c = &ex.c;
    if c.kid(i, &["nsubj"]).is_some_and(|s| c.lower(s) == "it") {
        return false;
    }
    c.kids(i, &["dobj", "nsubjpass"])
        .map(|o| ex.content_head(o))
        .all(|o| c.ent_label(o) != Some("ORG"))
}

fn is_person_like(ex: &Ex, h: usize) -> bool {
    let c = &ex.c;
    if let Some(l) = c.ent_label(h) {
        return matches!(l, "PERSON" | "NORP" | "ORG");
    }
    if ex.is_pronoun(h) {
        // "executed it" (a plan): "it" stands for a person only through an
        // antecedent that is one.
        if lexicon::pronoun(&c.lower(h)) == Some(lexicon::PronounClass::Thing) {
            return ex.antecedent[h]
                .is_some_and(|k| matches!(c.ents[k].label.as_str(), "PERSON" | "NORP" | "ORG"));
        }
        return true;
    }
    if matches!(c.tag(h), "WP") {
        return true;
    }
    let l = c.lemma(h);
    lexicon::role_noun(&l).is_some()
        || lexicon::kin(&l).is_some()
        || lexicon::is_anonymous_source(&l)
        || matches!(
            l.as_str(),
            "man"
                | "woman"
                | "people"
                | "civilian"
                | "suspect"
                | "child"
                | "soldier"
                | "troop"
                | "policeman"
                | "victim"
                | "journalist"
                | "worker"
                | "student"
                | "citizen"
                | "national"
                | "terrorist"
                | "insurgent"
                | "rebel"
                | "hostage"
                | "prisoner"
                | "individual"
                | "guard"
                | "pilot"
                | "passenger"
        )
}

fn has_person_patient(ex: &Ex, i: usize) -> bool {
    let c = &ex.c;
    // "she was arrested and charged": the second verb shares the subject.
    let shared = c.kid_or_shared(i, &["nsubjpass"]);
    for k in c.kids(i, &["dobj", "nsubjpass"]).chain(shared) {
        if is_person_like(ex, ex.content_head(k)) {
            return true;
        }
    }
    for p in c.kids(i, &["prep"]) {
        if c.lemma(p) == "of" {
            if let Some(o) = c.kid(p, &["pobj"]) {
                if is_person_like(ex, o) {
                    return true;
                }
            }
        }
    }
    c.kid(i, &["poss"]).is_some_and(|p| is_person_like(ex, p))
        || (c.dep(i) == "acl" && is_person_like(ex, c.head(i)))
}

fn has_place(ex: &Ex, i: usize) -> bool {
    let c = &ex.c;
    // "came to power", "the remarks came in Paris", "came from Iran" (where
    // one is from): "come" counts only with a way to somewhere.
    let come = c.lemma(i) == "come";
    if !come && !places_of(ex, i).is_empty() {
        return true;
    }
    let named = |o: usize| c.ent_label(o).is_some_and(lexicon::is_place_label);
    // "left the restaurant", "reached the scene"; not "heads the ministry".
    let reaches = matches!(
        c.lemma(i).as_str(),
        "leave" | "reach" | "enter" | "visit" | "flee" | "escape" | "cross" | "approach"
    );
    c.kids(i, &["dobj"])
        .any(|o| named(o) || (reaches && is_site(ex, o)))
        || way_objects(ex, i, !come)
            .into_iter()
            .any(|o| named(o) || is_site(ex, o))
        || c.has_kid_lemma(i, &["advmod", "npadvmod"], &["home", "abroad", "overseas"])
}

/// Motion verbs in other senses: "heading a trade mission to 37 cities"
/// (leading), "reaching out to Iran" (making contact).
fn not_a_way(ex: &Ex, i: usize) -> bool {
    let c = &ex.c;
    match c.lemma(i).as_str() {
        "head" => c.kid(i, &["dobj"]).is_some(),
        "reach" => c.has_kid_lemma(i, &["prt", "advmod"], &["out"]),
        _ => false,
    }
}

/// A place named by a common noun: "the bus depot", "the Bogside area",
/// "Geary Lake" (whatever the tagger calls the name). A bare noun is an
/// institution or an office: "left office", "returned to parliament".
fn is_site(ex: &Ex, o: usize) -> bool {
    let c = &ex.c;
    let h = ex.content_head(o);
    let l = c.lemma(h);
    let determined = c.ent_of[h].is_some()
        || c.kid(h, &["det", "poss", "compound", "amod", "nmod"])
            .is_some();
    determined && (lexicon::is_area_noun(&l) || words::has(List::Site, &l))
}

/// Objects of the phrases saying where a motion goes, from where or
/// through where: "to the depot", "back to Belfast", "out of the
/// restaurant", "toward the centre"; "from" phrases only `with_origin`.
fn way_objects(ex: &Ex, i: usize, with_origin: bool) -> Vec<usize> {
    let c = &ex.c;
    let mut preps: Vec<usize> = c.kids(i, &["prep"]).collect();
    for a in c.kids(i, &["advmod", "prt"]) {
        if matches!(
            c.lemma(a).as_str(),
            "back" | "out" | "in" | "away" | "down" | "up"
        ) {
            preps.extend(c.kids(a, &["prep"]));
        }
    }
    let mut out = Vec::new();
    for p in preps {
        let way = match c.lemma(p).as_str() {
            "to" | "toward" | "towards" | "into" | "onto" | "through" | "across" | "via"
            | "past" | "out" => true,
            "from" => with_origin,
            _ => false,
        };
        if !way {
            continue;
        }
        match c.kid(p, &["pobj"]) {
            Some(o) => out.push(o),
            // "out of the restaurant"
            None => out.extend(
                c.kids(p, &["prep"])
                    .filter(|&q| c.lemma(q) == "of")
                    .filter_map(|q| c.kid(q, &["pobj"])),
            ),
        }
    }
    out
}

/// The noun a relative pronoun stands for. "the 2016 bombing of the hotel
/// in Sousse, which killed 31 people": the parser may hang the clause on the
/// nearest noun; a "which" clause about killing belongs to the event noun
/// above it.
fn relative_antecedent(ex: &Ex, h: usize) -> usize {
    let c = &ex.c;
    if !matches!(c.tag(h), "WP" | "WDT") {
        return h;
    }
    let v = c.head(h);
    if c.dep(v) != "relcl" {
        return h;
    }
    let noun = c.head(v);
    let dateish = c
        .ent_label(noun)
        .is_some_and(|l| matches!(l, "DATE" | "TIME" | "CARDINAL"));
    if (c.lemma(h) == "which" || (c.lemma(h) == "that" && dateish))
        && trigger_type(ex, noun).is_none()
    {
        let mut cur = noun;
        for _ in 0..6 {
            if !matches!(c.dep(cur), "pobj" | "prep" | "appos" | "compound" | "conj") {
                break;
            }
            let up = c.head(cur);
            if up == cur {
                break;
            }
            if c.is_noun(up) && trigger_type(ex, up).is_some() {
                return up;
            }
            cur = up;
        }
    }
    noun
}

/// Places in the prepositional phrases of a token: "in Tehran", "near the
/// town of Sarmada in Idlib province", "east of Kabul".
fn places_of(ex: &Ex, i: usize) -> Vec<usize> {
    let c = &ex.c;
    let mut out = Vec::new();
    let mut preps: Vec<usize> = c.kids(i, &["prep"]).collect();
    for a in c.kids(i, &["advmod", "npadvmod"]) {
        if is_direction(&c.lemma(a)) {
            preps.extend(c.kids(a, &["prep"]));
            if c.lemma(a) == "near" {
                preps.push(a);
            }
        }
    }
    for p in preps {
        if !lexicon::is_place_prep(&c.lemma(p)) {
            continue;
        }
        let Some(o) = c.kid(p, &["pobj"]) else {
            continue;
        };
        // Walk the object phrase, not into clauses or other events.
        let mut stack = vec![o];
        let mut steps = 0;
        while let Some(cur) = stack.pop() {
            steps += 1;
            if steps > 60 {
                break;
            }
            if let Some(k) = c.ent_of[cur] {
                if lexicon::is_place_label(&c.ents[k].label) && !out.contains(&k) {
                    out.push(k);
                }
            }
            if cur != o && trigger_type(ex, cur).is_some() {
                continue;
            }
            // Names of the place itself and places inside it ("the town of
            // Sarmada in Idlib province"), not every noun in the phrase ("at
            // the behest of the United States").
            let place_noun = c.ent_of[cur].is_some() || relations_place_noun(&c.lemma(cur));
            for &ch in &c.children[cur] {
                let ok = match c.dep(ch) {
                    "compound" | "appos" | "conj" | "amod" | "nmod" | "npadvmod" => true,
                    "prep" => {
                        let l = c.lemma(ch);
                        (place_noun && matches!(l.as_str(), "in" | "of"))
                            // "killed in a special operation in Ghazni
                            // province": the means phrase carries the place.
                            || (cur == o && matches!(l.as_str(), "in" | "at" | "near"))
                    }
                    "pobj" => true,
                    _ => false,
                };
                if ok {
                    stack.push(ch);
                }
            }
        }
    }
    out
}

/// Things attacked: "embassy bombings", "hotel bombing", "convoy attack".
fn is_target_noun(lemma: &str) -> bool {
    matches!(
        lemma,
        "embassy"
            | "hotel"
            | "barracks"
            | "school"
            | "mosque"
            | "church"
            | "synagogue"
            | "temple"
            | "market"
            | "base"
            | "checkpoint"
            | "convoy"
            | "compound"
            | "office"
            | "building"
            | "station"
            | "airport"
            | "bus"
            | "train"
            | "hospital"
            | "camp"
            | "restaurant"
            | "consulate"
            | "ministry"
            | "parliament"
            | "prison"
            | "court"
            | "bank"
            | "pipeline"
            | "ship"
            | "tanker"
            | "plane"
            | "aircraft"
            | "vehicle"
            | "headquarters"
            | "home"
            | "house"
            | "village"
            | "town"
            | "city"
            | "port"
            | "bridge"
            | "refinery"
            | "mall"
            | "stadium"
            | "university"
            | "police"
            | "army"
            | "military"
            | "troop"
            | "soldier"
            | "civilian"
            | "tourist"
    )
}

/// Places an event can happen at: named kinds of area, and the sites
/// ("the compound", "his home") and edges ("the border") of one.
fn relations_place_noun(lemma: &str) -> bool {
    lexicon::is_area_noun(lemma)
        || matches!(
            lemma,
            "border"
                | "outskirts"
                | "part"
                | "centre"
                | "center"
                | "compound"
                | "house"
                | "home"
                | "camp"
        )
}

/// Labels through which a time expression still belongs to the word above.
fn transparent(dep: &str) -> bool {
    matches!(
        dep,
        "prep"
            | "pobj"
            | "npadvmod"
            | "tmod"
            | "nummod"
            | "compound"
            | "amod"
            | "advmod"
            | "appos"
            | "nmod"
            | "pcomp"
            | "quantmod"
            | "det"
            | "poss"
            | "case"
            | "punct"
            | "cc"
            | "conj"
    )
}

/// The word a time expression dates: the first verb or event word above it.
fn time_attachment(ex: &Ex, range: &std::ops::Range<usize>, triggers: &[bool]) -> Option<usize> {
    let c = &ex.c;
    let mut h = range.start;
    for t in range.clone() {
        let hd = c.head(t);
        if !range.contains(&hd) || hd == t {
            h = t;
            break;
        }
    }
    let mut cur = h;
    for _ in 0..c.len() {
        let up = c.head(cur);
        if up == cur {
            return None;
        }
        if !transparent(c.dep(cur)) {
            return None;
        }
        if triggers[up] || c.is_verb(up) || c.pos(up) == "AUX" {
            return Some(up);
        }
        cur = up;
    }
    None
}

pub(crate) fn extract(ex: &Ex) -> Vec<EventMention> {
    let c = &ex.c;
    let n = c.len();
    let kinds: Vec<Option<EventType>> = (0..n).map(|i| trigger_type(ex, i)).collect();
    let is_trig: Vec<bool> = kinds.iter().map(|k| k.is_some()).collect();
    let mut drafts = Vec::new();
    for (i, kind) in kinds.iter().enumerate() {
        let Some(kind) = *kind else { continue };
        let args = if c.is_noun(i) {
            noun_args(ex, i, kind)
        } else if c.lemma(i) == "dead" {
            dead_args(ex, i, kind)
        } else {
            verb_args(ex, i, kind)
        };
        drafts.push(Draft {
            kind,
            trigger: i,
            args,
        });
    }
    let index_of: std::collections::HashMap<usize, usize> = drafts
        .iter()
        .enumerate()
        .map(|(k, d)| (d.trigger, k))
        .collect();

    // Dates: each time expression goes to the word it modifies.
    let mut date_of: Vec<Option<usize>> = vec![None; n];
    let mut date_of_verb: Vec<Option<usize>> = vec![None; n];
    for (k, (tm, range)) in c.times.iter().enumerate() {
        if !matches!(tm.kind, TimeType::Date | TimeType::Time) {
            continue;
        }
        if let Some(w) = time_attachment(ex, range, &is_trig) {
            if is_trig[w] && date_of[w].is_none() {
                date_of[w] = Some(k);
            }
            if date_of_verb[w].is_none() {
                date_of_verb[w] = Some(k);
            }
        }
    }

    let mut out: Vec<EventMention> = Vec::new();
    for d in &drafts {
        let i = d.trigger;
        let mut args = Vec::new();
        let mut seen = Vec::new();
        for (role, h) in &d.args {
            let h = relative_antecedent(ex, *h);
            let h = ex.content_head(h);
            if c.ent_label(h)
                .is_some_and(|l| matches!(l, "DATE" | "TIME" | "PERCENT" | "MONEY" | "ORDINAL"))
            {
                continue;
            }
            // A weapon in the agent slot is the instrument.
            let role =
                if role == "agent" && lexicon::is_weapon(&c.lemma(h)) && c.ent_of[h].is_none() {
                    "instrument".to_string()
                } else {
                    role.clone()
                };
            for h in c.conjuncts(h) {
                if seen.contains(&(role.clone(), h)) {
                    continue;
                }
                seen.push((role.clone(), h));
                args.push(EventArg {
                    role: role.clone(),
                    arg: ex.make_ref(h),
                });
            }
        }
        let mut place_ents = places_of(ex, i);
        // "no strike took place in Sarmada": the light verb carries the place.
        let light = light_happening(ex, i);
        if let Some(v) = light {
            let mut extra = places_of(ex, v);
            for o in c.kids(v, &["dobj"]) {
                extra.extend(places_of(ex, o));
            }
            for k in extra {
                if !place_ents.contains(&k) {
                    place_ents.push(k);
                }
            }
        }
        // "killed by assassins in Tehran": a place on the agent phrase.
        for (role, h) in &d.args {
            if role == "agent" || Some(role.as_str()) == patient_role(d.kind) {
                for k in places_of(ex, *h) {
                    if !place_ents.contains(&k) {
                        place_ents.push(k);
                    }
                }
            }
        }
        // A noun trigger's place modifiers: "Kabul attack", "Israeli raid" go elsewhere.
        if c.is_noun(i) {
            for m in c.kids(i, &["compound"]) {
                if let Some(k) = c.ent_of[m] {
                    if lexicon::is_place_label(&c.ents[k].label) && !place_ents.contains(&k) {
                        place_ents.push(k);
                    }
                }
            }
        }
        // Destinations of travel are arguments, not where it happened.
        let places: Vec<Ref> = place_ents
            .iter()
            .map(|&k| ex.make_ref(c.ent_head(&c.ents[k])))
            .collect();
        let named = named_date(ex, i, d.kind);
        // "attended Trump's wedding in 2005", "gave his last speeches in
        // early 2015": the verb that performs the event dates it.
        let performer = (c.is_noun(i) && c.dep(i) == "dobj")
            .then(|| c.head(i))
            .filter(|&v| dates_its_object(&c.lemma(v)));
        let date = date_of[i]
            .or_else(|| light.and_then(|v| date_of_verb[v]))
            .or_else(|| performer.and_then(|v| date_of_verb[v]))
            .or(named.as_ref().and_then(|n| n.time))
            .map(|k| {
                let (tm, range) = &c.times[k];
                let mut value = tm.value.clone();
                // "the September 11 attacks": a date naming the event, with
                // no year written, need not be in the article's year.
                let names_event = c.is_noun(i)
                    && range.end <= i
                    && c.kids(i, &["compound", "nmod", "amod"])
                        .any(|m| range.contains(&m));
                if names_event
                    && !has_written_year(
                        &c.text[c.toks[range.start].start..c.toks[range.end - 1].end],
                    )
                {
                    value = value.map(|v| unknown_year(&v));
                }
                DateMention {
                    span: ex.span(range),
                    kind: tm.kind,
                    value,
                }
            });
        let reading = modality::modality(ex, i, Some(d.kind));
        out.push(EventMention {
            kind: d.kind,
            trigger: ex.tok_span(i),
            lemma: c.lemma(i),
            args,
            places,
            date,
            evidence: ex.sent_span(i),
            modality: reading.modality,
            modality_cue: reading.cue.map(|t| ex.tok_span(t)),
            amount: amount::of_event(ex, i, d.kind),
            background: is_background(ex, i),
            anaphoric: named.is_none() && is_anaphoric(ex, i),
            trigger_is_noun: c.is_noun(i),
            named_date: named.map(|n| n.value),
            antecedent: None,
            links: Vec::new(),
        });
    }

    // Means and timing links between events in the same sentence.
    for (k, d) in drafts.iter().enumerate() {
        let i = d.trigger;
        for p in c.kids(i, &["prep", "agent"]) {
            let pl = c.lemma(p);
            let Some(o) = c.kid(p, &["pobj"]) else {
                continue;
            };
            let Some(&j) = index_of.get(&o) else { continue };
            let kind = match pl.as_str() {
                "in" | "by" | "with" | "through" | "via" => EventLinkKind::Means,
                "during" | "amid" => EventLinkKind::During,
                "after" | "following" | "since" => EventLinkKind::After,
                "before" | "prior" => EventLinkKind::Before,
                _ => continue,
            };
            out[k].links.push(EventLink { kind, event: j });
        }
    }
    // A background event ("comes a year after ... it had killed X") orders
    // the main events of its sentence.
    for j in 0..drafts.len() {
        let Some(marker) = background_marker(ex, drafts[j].trigger) else {
            continue;
        };
        let kind = if matches!(marker.as_str(), "before" | "prior" | "until") {
            EventLinkKind::Before
        } else {
            EventLinkKind::After
        };
        for k in 0..drafts.len() {
            if k != j
                && !out[k].background
                && c.sent_of[drafts[k].trigger] == c.sent_of[drafts[j].trigger]
                && !out[k].links.iter().any(|l| l.event == j)
            {
                out[k].links.push(EventLink { kind, event: j });
            }
        }
    }
    // A means event lends its place and date to the event it brought about,
    // and the other way round.
    for k in 0..out.len() {
        let links = out[k].links.clone();
        for l in links {
            if l.kind != EventLinkKind::Means {
                continue;
            }
            let j = l.event;
            if out[k].date.is_none() {
                out[k].date = out[j].date.clone();
            } else if out[j].date.is_none() {
                out[j].date = out[k].date.clone();
            }
            let extra: Vec<Ref> = out[j]
                .places
                .iter()
                .filter(|p| !out[k].places.contains(p))
                .cloned()
                .collect();
            out[k].places.extend(extra);
            let extra: Vec<Ref> = out[k]
                .places
                .iter()
                .filter(|p| !out[j].places.contains(p))
                .cloned()
                .collect();
            out[j].places.extend(extra);
        }
    }
    // Anaphoric mentions point at the last earlier mention of a fitting type.
    for k in 0..out.len() {
        if !out[k].anaphoric {
            continue;
        }
        let kind = out[k].kind;
        // Nearby, and not an event a date names ("the September 11
        // attacks" is not what "the roadside attack" refers to).
        let sent = c.sent_of[drafts[k].trigger];
        let ante = (0..k).rev().find(|&j| {
            compatible_kind(out[j].kind, kind)
                && !out[j].anaphoric
                && !out[j].background
                && out[j].modality.happened()
                && out[j].named_date.is_none()
                && sent.saturating_sub(c.sent_of[drafts[j].trigger]) <= ANAPHOR_SENTENCES
        });
        out[k].antecedent = ante;
    }
    out
}

/// A date that names an event: "the September 11 attacks", "the 9/11
/// bombings", "September 11, 2001, attacks", "the attacks of Sept. 11,
/// 2001". Read from the words around the trigger rather than the parse,
/// which often hangs such a date elsewhere.
struct NamedDate {
    /// TimeML value with its month and day: `2001-09-11`, `XXXX-09-11`.
    value: String,
    /// The time expression it is, if the tagger found one.
    time: Option<usize>,
}

fn named_date(ex: &Ex, i: usize, kind: EventType) -> Option<NamedDate> {
    let c = &ex.c;
    if !c.is_noun(i) || !matches!(kind, EventType::Attack | EventType::Killing) {
        return None;
    }
    let day_of = |k: usize| -> Option<NamedDate> {
        let (tm, range) = &c.times[k];
        let v = tm.value.as_deref()?;
        let written = &c.text[c.toks[range.start].start..c.toks[range.end - 1].end];
        let v = if has_written_year(written) {
            v.to_string()
        } else {
            unknown_year(v)
        };
        // Day precision: YYYY-MM-DD.
        (v.len() == 10 && v.as_bytes()[7] == b'-').then_some(NamedDate {
            value: v,
            time: Some(k),
        })
    };
    // Before the trigger, past a comma and determiners: "September 11,
    // 2001, attacks", "the 9/11 attacks".
    let mut t = i;
    while t > 0 && (matches!(c.tag(t - 1), "," | "JJ") || c.toks[t - 1].text == "twin") {
        t -= 1;
    }
    if t > 0 && t < i + 1 {
        let before = t - 1;
        if let Some(k) = c.time_of[before] {
            if let Some(n) = day_of(k) {
                return Some(n);
            }
        }
        if let Some(v) = month_day(&c.toks[before].text) {
            return Some(NamedDate {
                value: v,
                time: None,
            });
        }
    }
    // After it: "the attacks of Sept. 11, 2001".
    if i + 2 < c.len() && c.lemma(i + 1) == "of" {
        if let Some(k) = c.time_of[i + 2] {
            return day_of(k);
        }
    }
    None
}

/// "9/11", "9-11" as a month and day: `XXXX-09-11`.
fn month_day(token: &str) -> Option<String> {
    let (m, d) = token.split_once(['/', '-'])?;
    let (m, d): (u32, u32) = (m.parse().ok()?, d.parse().ok()?);
    ((1..=12).contains(&m) && (1..=31).contains(&d) && !token.contains(' '))
        .then(|| format!("XXXX-{m:02}-{d:02}"))
}

/// How many sentences back an event anaphor ("the killing") looks.
const ANAPHOR_SENTENCES: usize = 6;

/// A year written out: "1998", "'98".
fn has_written_year(text: &str) -> bool {
    let b = text.as_bytes();
    (0..b.len()).any(|i| {
        let run = b[i..].iter().take_while(|c| c.is_ascii_digit()).count();
        let starts = i == 0 || !b[i - 1].is_ascii_digit();
        starts && (run == 4 || (run == 2 && i > 0 && matches!(b[i - 1], b'\'')))
    })
}

/// `2020-09-11` -> `XXXX-09-11`; other values unchanged.
fn unknown_year(v: &str) -> String {
    if v.len() >= 4 && v.as_bytes()[..4].iter().all(u8::is_ascii_digit) {
        format!("XXXX{}", &v[4..])
    } else {
        v.to_string()
    }
}

/// "the strike took place", "the attack happened": the verb that says an
/// event noun happened.
fn light_happening(ex: &Ex, i: usize) -> Option<usize> {
    let c = &ex.c;
    if !c.is_noun(i) || c.dep(i) != "nsubj" {
        return None;
    }
    let v = c.head(i);
    matches!(c.lemma(v).as_str(), "take" | "occur" | "happen" | "unfold").then_some(v)
}

/// Types that can describe the same happening: a killing is a death.
pub fn compatible_kind(a: EventType, b: EventType) -> bool {
    a == b
        || matches!(
            (a, b),
            (EventType::Killing, EventType::Death) | (EventType::Death, EventType::Killing)
        )
}

fn verb_args(ex: &Ex, i: usize, kind: EventType) -> Vec<(String, usize)> {
    let c = &ex.c;
    let (subj_role, obj_role, by_role) = slot_roles(kind);
    let mut args = Vec::new();
    // "she was arrested and charged": a participle conjoined to a passive
    // verb is passive too.
    let shared_passive = c.dep(i) == "conj"
        && c.tag(i) == "VBN"
        && c.kid(i, &["nsubj"]).is_none()
        && c.kid(c.head(i), &["nsubjpass"]).is_some();
    let passive = c.kid(i, &["nsubjpass", "auxpass"]).is_some()
        || (c.tag(i) == "VBN" && c.dep(i) == "acl")
        || shared_passive;
    // "was believed to have been killed", "wanted to attack": an xcomp takes
    // its subject from the verb above.
    let controller = (c.dep(i) == "xcomp" && c.kid(i, &["nsubj", "nsubjpass"]).is_none())
        .then(|| c.kid_or_shared(c.head(i), &["nsubj", "nsubjpass"]))
        .flatten();
    if passive {
        if let Some(role) = obj_role.or(patient_role(kind)) {
            if let Some(s) = c.kid_or_shared(i, &["nsubjpass"]).or(controller) {
                args.push((role.to_string(), s));
            } else if c.dep(i) == "acl" {
                args.push((role.to_string(), c.head(i)));
            }
        }
        for a in c.kids(i, &["agent"]) {
            if let Some(o) = c.kid(a, &["pobj"]) {
                args.push((by_role.to_string(), o));
            }
        }
    } else {
        if let Some(s) = c.kid_or_shared(i, &["nsubj"]).or(controller) {
            args.push((subj_role.to_string(), s));
        }
        if let Some(role) = obj_role {
            for o in c.kids(i, &["dobj"]) {
                args.push((role.to_string(), o));
            }
        }
    }
    // "killed along with her father", "met with X", "married to Y".
    for p in c.kids(i, &["prep"]) {
        let pl = c.lemma(p);
        let Some(o) = c.kid(p, &["pobj"]) else {
            continue;
        };
        let role = match (kind, pl.as_str()) {
            (EventType::Meeting, "with") | (EventType::Marriage, "with" | "to") => Some(subj_role),
            (EventType::Killing | EventType::Death | EventType::Arrest, "with" | "alongside")
                if c.has_kid_lemma(i, &["prt", "advmod"], &["along", "together"])
                    || pl == "alongside" =>
            {
                patient_role(kind)
            }
            (EventType::Travel, "to" | "into") => Some("destination"),
            (EventType::Travel, "from") => Some("origin"),
            (EventType::Killing | EventType::Attack, "with")
                if {
                    let l = c.lemma(o);
                    lexicon::is_weapon(&l)
                } =>
            {
                Some("instrument")
            }
            (EventType::Charge, "with") => None,
            (EventType::Sanction | EventType::Attack | EventType::Raid, "against" | "on") => {
                Some("target")
            }
            _ => None,
        };
        if let Some(role) = role {
            args.push((role.to_string(), o));
        }
    }
    args
}

fn dead_args(ex: &Ex, i: usize, kind: EventType) -> Vec<(String, usize)> {
    let c = &ex.c;
    let h = c.head(i);
    let mut args = Vec::new();
    if dead_as_noun(ex, i) {
        return args;
    }
    if kind == EventType::Killing {
        if let Some(o) = c.kid(h, &["dobj"]) {
            args.push(("victim".to_string(), o));
        }
        if let Some(s) = c.kid(h, &["nsubj"]) {
            args.push(("agent".to_string(), s));
        }
    } else if let Some(s) = c.kid_or_shared(h, &["nsubj", "nsubjpass"]) {
        args.push(("victim".to_string(), s));
    } else if let Some(o) = c.kid(h, &["dobj"]) {
        // "found him dead"
        args.push(("victim".to_string(), o));
    }
    args
}

fn noun_args(ex: &Ex, i: usize, kind: EventType) -> Vec<(String, usize)> {
    let c = &ex.c;
    let (subj_role, _, by_role) = slot_roles(kind);
    let patient = patient_role(kind);
    let mut args: Vec<(String, usize)> = Vec::new();
    let mut has_of = false;
    for p in c.kids(i, &["prep"]) {
        let pl = c.lemma(p);
        let Some(o) = c.kid(p, &["pobj"]) else {
            continue;
        };
        if c.ent_label(o).is_some_and(|l| {
            matches!(
                l,
                "DATE" | "TIME" | "CARDINAL" | "MONEY" | "PERCENT" | "QUANTITY"
            )
        }) || c.time(o).is_some()
        {
            continue;
        }
        let role: Option<&str> = match pl.as_str() {
            // "charges of murder": the crime, not the defendant.
            "of" if kind == EventType::Charge && !is_person_like(ex, ex.content_head(o)) => None,
            "of" if kind != EventType::Reward => {
                has_of = true;
                if kind == EventType::Meeting {
                    Some("participant")
                } else {
                    patient
                }
            }
            "by" => Some(by_role),
            "on" | "against"
                if matches!(
                    kind,
                    EventType::Attack | EventType::Raid | EventType::Sanction
                ) =>
            {
                Some("target")
            }
            "with" | "between" | "among"
                if matches!(kind, EventType::Meeting | EventType::Marriage) =>
            {
                Some(subj_role)
            }
            "with" if matches!(kind, EventType::Raid | EventType::Attack) => Some("agent"),
            "to" | "into" if kind == EventType::Travel => Some("destination"),
            "from" if kind == EventType::Travel => Some("origin"),
            "to" if kind == EventType::Speech => Some("audience"),

            _ => None,
        };
        if let Some(role) = role {
            args.push((role.to_string(), o));
        }
    }
    if kind == EventType::Reward {
        // "a reward of $5 million for information on X": the first person
        // named in a "for" phrase of the reward or of the offer.
        let mut fors: Vec<usize> = Vec::new();
        let r = c.subtree(i);
        fors.extend((r.start..r.end).filter(|&t| c.lemma(t) == "for" && c.dep(t) == "prep"));
        if c.dep(i) == "dobj" {
            fors.extend(
                c.kids(c.head(i), &["prep"])
                    .filter(|&p| c.lemma(p) == "for"),
            );
        }
        for p in fors {
            let pr = c.subtree(p);
            // The tagger often takes a name like "al-Maghrebi" for an
            // organisation: either will do as what the reward is for.
            let wanted = |l: &str| matches!(l, "PERSON" | "ORG");
            if let Some(t) = (pr.start..pr.end).find(|&t| {
                c.ent_label(t).is_some_and(wanted)
                    || (ex.is_pronoun(t)
                        && ex.antecedent[t].is_some_and(|k| wanted(&c.ents[k].label)))
            }) {
                let e = c.ent(t).map(|e| c.ent_head(e)).unwrap_or(t);
                args.push(("target".to_string(), e));
                break;
            }
        }
    }
    // "Al-Masri's reported killing" is sometimes parsed with the possessor
    // as the subject of the participle.
    let poss = c.kid(i, &["poss"]).or_else(|| {
        c.kids(i, &["amod"]).filter(|&m| m < i).find_map(|m| {
            c.kids(m, &["nsubj", "poss"])
                .find(|&s| s < m && c.kid(s, &["case"]).is_some())
        })
    });
    if let Some(pz) = poss {
        let role = if possessor_is_patient(kind) && !has_of {
            patient.unwrap_or(subj_role)
        } else {
            subj_role
        };
        args.push((role.to_string(), pz));
    }
    for m in c.kids(i, &["compound", "amod", "nmod"]) {
        let l = c.lemma(m);
        if let Some(lab) = c.ent_label(m) {
            if matches!(lab, "NORP" | "ORG")
                && matches!(
                    kind,
                    EventType::Attack
                        | EventType::Raid
                        | EventType::Killing
                        | EventType::Sanction
                        | EventType::Arrest
                )
            {
                // Use the entity's own head so "Israeli" and "US" both work.
                let e = c.ent(m).map(|e| c.ent_head(e)).unwrap_or(m);
                args.push(("agent".to_string(), e));
            }
        } else if lexicon::is_weapon(&l) && matches!(kind, EventType::Attack | EventType::Killing) {
            args.push(("instrument".to_string(), m));
        } else if kind == EventType::Attack
            && c.is_noun(m)
            && c.tag(m) != "NNP"
            && is_target_noun(&l)
        {
            // "embassy bombings", "hotel bombing"
            args.push(("target".to_string(), m));
        }
    }
    // "impose sanctions on X", "launch an attack against Y": the target
    // hangs on the light verb.
    if c.dep(i) == "dobj"
        && matches!(
            kind,
            EventType::Sanction | EventType::Attack | EventType::Raid
        )
        && !args.iter().any(|(r, _)| r == "target")
    {
        let v = c.head(i);
        if is_light_verb(&c.lemma(v)) {
            for p in c.kids(v, &["prep"]) {
                if matches!(c.lemma(p).as_str(), "on" | "against") {
                    if let Some(o) = c.kid(p, &["pobj"]) {
                        args.push(("target".to_string(), o));
                    }
                }
            }
        }
    }
    // Sanctions and designations "on Al Qaeda leaders ..., X and Y": the
    // people named in the target phrase are targets too.
    if matches!(kind, EventType::Sanction | EventType::Designation) {
        let named: Vec<usize> = args
            .iter()
            .filter(|(r, h)| r == "target" && c.ent_of[*h].is_none() && c.tag(*h) == "NNS")
            .flat_map(|(_, h)| named_in(ex, *h))
            .collect();
        for h in named {
            if !args.iter().any(|(_, a)| *a == h) {
                args.push(("target".to_string(), h));
            }
        }
    }
    // Agent of a light verb: "Israeli agents carried out the killing".
    if c.dep(i) == "dobj" && !args.iter().any(|(r, _)| r == subj_role) {
        let v = c.head(i);
        if is_light_verb(&c.lemma(v)) {
            if let Some(s) = c.kid_or_shared(v, &["nsubj"]) {
                args.push((subj_role.to_string(), s));
            }
        }
    }
    // "claimed responsibility for the attack"
    if c.dep(i) == "pobj" {
        let p = c.head(i);
        let n = c.head(p);
        if c.lemma(p) == "for" && c.lemma(n) == "responsibility" && c.dep(n) == "dobj" {
            if let Some(s) = c.kid(c.head(n), &["nsubj"]) {
                args.push(("agent".to_string(), s));
            }
        }
    }
    args
}

/// Heads of the people and organisations named in a phrase ("leaders who
/// are based in Iran, Muhammad Abbatay and Sultan al-Arif"), places aside.
fn named_in(ex: &Ex, h: usize) -> Vec<usize> {
    let c = &ex.c;
    let r = c.clip(c.subtree(h), h);
    // Not what qualifies the head itself: "Al Qaeda" in "Al Qaeda leaders".
    let own = c.np_core(h);
    let mut out = Vec::new();
    for t in r.filter(|t| !own.contains(t)) {
        if let Some(e) = c.ent(t) {
            let head = c.ent_head(e);
            if head == t && matches!(e.label.as_str(), "PERSON" | "ORG") && !out.contains(&head) {
                out.push(head);
            }
        }
    }
    out
}

/// The marker that puts a trigger in the background: "after" in "comes a
/// year after the NDS announced that it had killed X".
fn background_marker(ex: &Ex, i: usize) -> Option<String> {
    let c = &ex.c;
    let mut cur = i;
    for _ in 0..c.len() {
        if let Some(m) = c
            .kids(cur, &["mark"])
            .find(|&m| lexicon::is_background_marker(&c.lemma(m)))
        {
            if cur != i || c.is_verb(i) {
                return Some(c.lemma(m));
            }
        }
        let up = c.head(cur);
        if up == cur {
            return None;
        }
        if matches!(c.dep(cur), "pcomp" | "pobj") && lexicon::is_background_marker(&c.lemma(up)) {
            // "after the raid" on a trigger's own preposition is a link, not
            // background: only clauses and events below count.
            if cur != i || c.is_verb(i) {
                return Some(c.lemma(up));
            }
            // A noun event after "after" is background to its governor.
            return Some(c.lemma(up));
        }
        cur = up;
    }
    None
}

fn is_background(ex: &Ex, i: usize) -> bool {
    background_marker(ex, i).is_some()
}

fn is_anaphoric(ex: &Ex, i: usize) -> bool {
    let c = &ex.c;
    if !c.is_noun(i) {
        return false;
    }
    let definite = c.has_kid_lemma(i, &["det"], &["the", "this", "that", "these", "those"])
        || c.kids(i, &["poss"]).any(|p| ex.is_pronoun(p));
    if !definite {
        return false;
    }
    // A patient phrase, a date or a named participant makes it a fresh
    // description: "the assassination of high-value targets", "the 9/11
    // bombings".
    if c.kids(i, &["prep"]).any(|p| c.lemma(p) == "of") {
        return false;
    }
    let r = c.subtree(i);
    !(r.start..r.end).any(|t| {
        t != i
            && c.dominates(i, t)
            && (c.ent_label(t).is_some_and(|l| {
                matches!(
                    l,
                    "PERSON" | "ORG" | "GPE" | "NORP" | "DATE" | "EVENT" | "FAC" | "LOC"
                )
            }) || c.time(t).is_some())
    })
}

#[cfg(test)]
mod tests {
    use super::{has_written_year, unknown_year};
    use crate::testutil::{facts, named, parse};
    use crate::{extract, EventLinkKind, EventMention, EventType, TimeMention};
    use dossier_core::{Modality, TimeType};

    fn of(f: &crate::DocFacts, kind: EventType) -> Vec<&EventMention> {
        f.events.iter().filter(|e| e.kind == kind).collect()
    }

    fn role(e: &EventMention, role: &str) -> Vec<String> {
        e.args_with(role).map(named).collect()
    }

    #[test]
    fn passive_agent_place_and_date() {
        let f = facts("The journalist Marco Bellini was killed by gunmen in Naples on Friday.");
        let k = of(&f, EventType::Killing);
        assert_eq!(k.len(), 1);
        assert_eq!(role(k[0], "victim"), ["Marco Bellini"]);
        assert_eq!(role(k[0], "agent"), ["gunmen"]);
        assert_eq!(
            k[0].places.iter().map(named).collect::<Vec<_>>(),
            ["Naples"]
        );
        assert_eq!(
            k[0].date.as_ref().map(|d| d.span.text.as_str()),
            Some("Friday")
        );
        assert_eq!(k[0].modality, Modality::Asserted);
        assert!(!k[0].background);
    }

    #[test]
    fn a_date_naming_an_event_keeps_its_year_unknown() {
        let text = "The group that carried out the September 11 attacks is weaker, officials said.";
        let start = text.find("September 11").unwrap();
        let times = [TimeMention {
            start,
            end: start + "September 11".len(),
            text: "September 11".into(),
            kind: TimeType::Date,
            value: Some("2020-09-11".into()),
        }];
        let d = extract("d", text, &parse(text), &times);
        let a = d
            .events
            .iter()
            .find(|e| e.lemma == "attack")
            .expect("attack");
        assert_eq!(
            a.date.as_ref().and_then(|t| t.value.as_deref()),
            Some("XXXX-09-11")
        );
        assert!(has_written_year("Sept. 11, 2001"));
        assert!(!has_written_year("September 11"));
        assert_eq!(unknown_year("2020-09-11"), "XXXX-09-11");
    }

    #[test]
    fn dates_that_name_an_event() {
        let f = facts("The group was behind the 9/11 attacks and the 9/11 bombings.");
        let named: Vec<Option<&str>> = f.events.iter().map(|e| e.named_date.as_deref()).collect();
        assert_eq!(named, [Some("XXXX-09-11"), Some("XXXX-09-11")]);
        assert!(f.events.iter().all(|e| !e.anaphoric));
        assert_eq!(super::month_day("9/11"), Some("XXXX-09-11".into()));
        assert_eq!(super::month_day("13/40"), None);
    }

    #[test]
    fn place_on_the_means_phrase() {
        let d = facts("He was killed in a special operation in Ghazni province, officials said.");
        let k = d
            .events
            .iter()
            .find(|e| e.lemma == "kill")
            .expect("killing");
        assert_eq!(
            k.places.iter().map(named).collect::<Vec<_>>(),
            ["Ghazni province"]
        );
    }

    #[test]
    fn agent_with_place_on_the_agent_phrase() {
        let f = facts("Abu Karim was killed by assassins in Amman during the night.");
        let k = &of(&f, EventType::Killing)[0];
        assert_eq!(role(k, "agent"), ["assassins"]);
        assert_eq!(k.places.iter().map(named).collect::<Vec<_>>(), ["Amman"]);
    }

    #[test]
    fn killed_in_a_raid_links_means() {
        let f = facts("Government troops killed Ahmed Sultan in a raid near Mosul.");
        let k = &of(&f, EventType::Killing)[0];
        assert_eq!(role(k, "agent"), ["Government troops"]);
        assert_eq!(role(k, "victim"), ["Ahmed Sultan"]);
        let raid = f
            .events
            .iter()
            .position(|e| e.kind == EventType::Raid)
            .unwrap();
        assert!(k
            .links
            .iter()
            .any(|l| l.kind == EventLinkKind::Means && l.event == raid));
        assert_eq!(k.places.iter().map(named).collect::<Vec<_>>(), ["Mosul"]);
    }

    #[test]
    fn event_nouns_take_possessor_and_of() {
        let f = facts("Sultan's killing was confirmed by the army.");
        assert_eq!(role(of(&f, EventType::Killing)[0], "victim"), ["Sultan"]);
        let f = facts("The 2016 bombing of the Hotel Marina in Sousse killed 31 people.");
        let a = &of(&f, EventType::Attack)[0];
        assert_eq!(role(a, "target"), ["the Hotel Marina"]);
        assert_eq!(a.date.as_ref().map(|d| d.span.text.as_str()), Some("2016"));
    }

    #[test]
    fn nested_background_event_is_different() {
        let f = facts(
            "The arrest of Bilal Omar comes a year after the police announced that they had killed his brother Karim Omar.",
        );
        let arrest = &of(&f, EventType::Arrest)[0];
        assert!(!arrest.background);
        assert_eq!(role(arrest, "detainee"), ["Bilal Omar"]);
        let k = &of(&f, EventType::Killing)[0];
        assert!(k.background);
        assert_eq!(role(k, "victim"), ["Karim Omar"]);
        let ki = f
            .events
            .iter()
            .position(|e| e.kind == EventType::Killing)
            .unwrap();
        assert!(arrest
            .links
            .iter()
            .any(|l| l.kind == EventLinkKind::After && l.event == ki));
    }

    #[test]
    fn anaphoric_death_refers_back() {
        let f = facts("Youssef Karimi died in Paris on Monday. His death shocked the city.");
        let d = of(&f, EventType::Death);
        assert_eq!(d.len(), 2);
        assert!(d[1].anaphoric);
        assert_eq!(d[1].antecedent, Some(0));
        assert_eq!(role(d[1], "victim"), ["Youssef Karimi"]);
    }

    #[test]
    fn negated_events() {
        let f = facts("The army did not kill Samir Daoud.");
        assert!(of(&f, EventType::Killing)[0].negated());
        let f = facts("Police said no attack took place in Paris.");
        let a = &of(&f, EventType::Attack)[0];
        assert!(a.negated());
        assert_eq!(a.places.iter().map(named).collect::<Vec<_>>(), ["Paris"]);
    }

    #[test]
    fn hypothetical_events() {
        let f = facts("Ramzi Haddad was believed to have been killed in the strike.");
        let k = &of(&f, EventType::Killing)[0];
        // Told as having happened, with reserve.
        assert_eq!(k.modality, Modality::Reported);
        assert_eq!(role(k, "victim"), ["Ramzi Haddad"]);
        let f = facts("The group plans to attack the embassy.");
        assert_eq!(of(&f, EventType::Attack)[0].modality, Modality::Planned);
        let f = facts("The officials could not confirm the killing of Omar Zaki.");
        assert!(of(&f, EventType::Killing)[0].hypothetical());
    }

    #[test]
    fn date_from_time_expressions() {
        let text = "Rebels attacked the convoy near Homs last Tuesday.";
        let p = parse(text);
        let start = text.find("last Tuesday").unwrap();
        let times = [TimeMention {
            start,
            end: start + "last Tuesday".len(),
            text: "last Tuesday".into(),
            kind: TimeType::Date,
            value: Some("2021-03-09".into()),
        }];
        let f = extract("d", text, &p, &times);
        let a = &of(&f, EventType::Attack)[0];
        assert_eq!(role(a, "agent"), ["Rebels"]);
        assert_eq!(role(a, "target"), ["the convoy"]);
        let d = a.date.as_ref().unwrap();
        assert_eq!(d.value.as_deref(), Some("2021-03-09"));
        assert_eq!(d.span.text, "last Tuesday");
        // Without a time expression attached, no date.
        let f = facts("Rebels attacked the convoy near Homs.");
        assert!(of(&f, EventType::Attack)[0].date.is_none());
    }

    #[test]
    fn arrest_sanction_reward_marriage() {
        let f = facts("Police arrested two men in Marseille.");
        let a = &of(&f, EventType::Arrest)[0];
        assert_eq!(role(a, "agent"), ["Police"]);
        assert_eq!(role(a, "detainee"), ["two men"]);
        let f = facts("The European Union imposed sanctions on Viktor Orlov.");
        let s = &of(&f, EventType::Sanction)[0];
        assert_eq!(role(s, "agent"), ["The European Union"]);
        let f = facts(
            "The State Department offered a reward of $5 million for information on Samir Qasim.",
        );
        let r = &of(&f, EventType::Reward)[0];
        assert_eq!(role(r, "target"), ["Samir Qasim"]);
        assert_eq!(role(r, "agent"), ["The State Department"]);
        let f = facts("Omar Saleh married Laila Hassan in 2015.");
        let m = &of(&f, EventType::Marriage)[0];
        assert_eq!(role(m, "spouse"), ["Omar Saleh", "Laila Hassan"]);
    }

    #[test]
    fn figures_of_speech_are_not_deaths_or_killings() {
        for text in [
            "He entered each debate with a game plan and flawlessly executed it.",
            "Without the Latino vote he is dead in the water.",
        ] {
            let f = facts(text);
            assert!(of(&f, EventType::Killing).is_empty(), "{text}");
            assert!(of(&f, EventType::Death).is_empty(), "{text}");
        }
        // The real thing still is one.
        let f = facts("The militants executed him in Raqqa.");
        assert_eq!(of(&f, EventType::Killing).len(), 1);
        for text in [
            "Omar Saleh was found dead in the river.",
            "Omar Saleh was found dead in the water.",
        ] {
            assert_eq!(of(&facts(text), EventType::Death).len(), 1, "{text}");
        }
    }

    #[test]
    fn the_speaker_or_listener_dead_is_a_figure_of_speech() {
        for text in [
            "If the bank calls in the loan, we are dead.",
            "You are dead if the boss finds out.",
        ] {
            let f = facts(text);
            assert!(
                of(&f, EventType::Death).is_empty(),
                "{text}: {:?}",
                f.events
            );
        }
        for text in [
            "They are dead, the police said.",
            "We found the guard dead in his car.",
        ] {
            assert_eq!(of(&facts(text), EventType::Death).len(), 1, "{text}");
        }
    }

    #[test]
    fn a_relative_clause_on_any_describes_a_kind() {
        let f = facts("Any company that does not like a surprise attack would resist the offer.");
        assert!(of(&f, EventType::Attack).is_empty(), "{:?}", f.events);
        let f = facts("The company that suffered a surprise attack closed its offices.");
        assert_eq!(of(&f, EventType::Attack).len(), 1, "{:?}", f.events);
        let f = facts("He did not see any way the dispute could be settled next week during a visit to Tokyo.");
        assert_eq!(of(&f, EventType::Travel).len(), 1, "{:?}", f.events);
        let f = facts(
            "He did not see any way to settle the dispute during the visit of the envoy to Tokyo.",
        );
        assert_eq!(of(&f, EventType::Travel).len(), 1, "{:?}", f.events);
    }

    #[test]
    fn commands_and_results_are_no_journeys() {
        for text in [
            "The new tax left Britain worse off.",
            "Enter South Dakota, a state with few voters.",
        ] {
            let f = facts(text);
            assert!(
                of(&f, EventType::Travel).is_empty(),
                "{text}: {:?}",
                f.events
            );
        }
        for text in [
            "The envoy left Britain on Monday.",
            "The soldiers entered Mosul at dawn.",
        ] {
            assert_eq!(of(&facts(text), EventType::Travel).len(), 1, "{text}");
        }
    }

    #[test]
    fn relative_clause_victim() {
        let f = facts("Police found Maryam Said, who was killed along with her father last week.");
        let k = &of(&f, EventType::Killing)[0];
        let v = role(k, "victim");
        assert!(v.contains(&"Maryam Said".to_string()), "{v:?}");
        assert!(v.iter().any(|x| x.contains("father")), "{v:?}");
    }

    #[test]
    fn attacks_of_words_are_no_attacks() {
        for text in [
            "Three senators have attacked the program as a violation of free market principles.",
            "He attacked other candidates on stage for accepting donations.",
            "His attacks on billionaire financiers have changed the race.",
            "The ad made a political attack on the mayor.",
            "The court struck down the limits on donations.",
            "The odds of a deal shot up this week.",
        ] {
            let f = facts(text);
            assert!(
                of(&f, EventType::Attack).is_empty(),
                "{text}: {:?}",
                f.events
            );
        }
        let f = facts("Gunmen attacked the convoy near Homs.");
        assert_eq!(of(&f, EventType::Attack).len(), 1);
    }

    #[test]
    fn the_performing_verb_dates_its_event() {
        let text = "The couple attended the wedding of Omar Zaki in 2005.";
        let start = text.find("2005").unwrap();
        let times = [TimeMention {
            start,
            end: start + 4,
            text: "2005".into(),
            kind: TimeType::Date,
            value: Some("2005".into()),
        }];
        let d = extract("d", text, &parse(text), &times);
        let m = &of(&d, EventType::Marriage)[0];
        assert_eq!(
            m.date.as_ref().and_then(|x| x.value.as_deref()),
            Some("2005")
        );
        // A marriage held together is no wedding.
        let f = facts("She held her marriage together through the scandal.");
        assert!(of(&f, EventType::Marriage).is_empty(), "{:?}", f.events);
    }

    #[test]
    fn non_events_are_skipped() {
        let f = facts("The talks struck a deal. He went on a hunger strike. The death toll rose.");
        assert!(of(&f, EventType::Attack).is_empty(), "{:?}", f.events);
        assert!(of(&f, EventType::Death).is_empty(), "{:?}", f.events);
    }

    #[test]
    fn only_the_nearest_governor_counts() {
        let f = facts(
            "The minister is expected to cite new evidence on the assassination of Omar Zaki.",
        );
        let k = &of(&f, EventType::Killing)[0];
        assert!(!k.hypothetical(), "{k:?}");
        assert_eq!(role(k, "victim"), ["Omar Zaki"]);
    }

    #[test]
    fn possessor_parsed_as_participle_subject() {
        let f = facts("Al-Masri’s reported killing comes a year after the raid.");
        let k = &of(&f, EventType::Killing)[0];
        assert_eq!(role(k, "victim"), ["Al-Masri"]);
        assert_eq!(k.modality, Modality::Reported);
    }

    #[test]
    fn designation_charge_meeting_travel() {
        let f = facts(
            "The State Department designated the Northern Front as a terrorist organization.",
        );
        let d = &of(&f, EventType::Designation)[0];
        assert_eq!(role(d, "agent"), ["The State Department"]);
        assert_eq!(role(d, "target"), ["the Northern Front"]);
        let f = facts("Prosecutors charged Omar Zaki with terrorism offences.");
        assert_eq!(
            role(of(&f, EventType::Charge)[0], "defendant"),
            ["Omar Zaki"]
        );
        let f = facts("Omar Zaki met Karim Haddad in Beirut.");
        let m = &of(&f, EventType::Meeting)[0];
        assert_eq!(role(m, "participant"), ["Omar Zaki", "Karim Haddad"]);
        let f = facts("Omar Zaki fled to Turkey in 2016.");
        let t = &of(&f, EventType::Travel)[0];
        assert_eq!(role(t, "destination"), ["Turkey"]);
        // Moving on is no journey.
        let f = facts("The committee moved on to other business.");
        assert!(of(&f, EventType::Travel).is_empty());
    }

    #[test]
    fn travel_to_a_place_named_by_a_common_noun() {
        let f = facts("The courier walked to the bus depot and later left the restaurant.");
        let t: Vec<String> = of(&f, EventType::Travel)
            .iter()
            .map(|e| e.trigger.text.clone())
            .collect();
        assert_eq!(t, ["walked", "left"], "{:?}", f.events);
        let f = facts("The envoy flew back to Lisbon on Monday.");
        assert_eq!(of(&f, EventType::Travel).len(), 1, "{:?}", f.events);
        // An office, an origin, a mission: no journey.
        for text in [
            "The governor left office in 2019.",
            "Her father came from a small village.",
            "The minister is heading a trade mission to ten cities.",
        ] {
            let f = facts(text);
            assert!(
                of(&f, EventType::Travel).is_empty(),
                "{text}: {:?}",
                f.events
            );
        }
    }

    #[test]
    fn conjoined_participle_shares_the_passive_subject() {
        let f = facts("In June, the treasurer was arrested and charged with fraud.");
        let c = of(&f, EventType::Charge);
        assert_eq!(c.len(), 1, "{:?}", f.events);
        assert_eq!(role(c[0], "defendant"), ["the treasurer"]);
    }

    #[test]
    fn events_named_by_particle_or_object() {
        let f = facts("A bomber blew himself up at the gate. Two bombs went off near the pier.");
        assert_eq!(of(&f, EventType::Attack).len(), 2, "{:?}", f.events);
        let f = facts("The blasts claimed twelve lives.");
        assert_eq!(of(&f, EventType::Killing).len(), 1, "{:?}", f.events);
        let f = facts("The scandal blew up last week. The alarm went off at noon.");
        assert!(of(&f, EventType::Attack).is_empty(), "{:?}", f.events);
    }

    #[test]
    fn more_event_nouns_and_hostages() {
        let f = facts("The slaughter of the villagers shocked the region.");
        assert_eq!(of(&f, EventType::Killing).len(), 1, "{:?}", f.events);
        // A plural the tagger took for a name.
        let f = facts("Killings in Basra rose again in May.");
        assert_eq!(of(&f, EventType::Killing).len(), 1, "{:?}", f.events);
        let f = facts("The patrol came under heavy gunfire.");
        assert_eq!(of(&f, EventType::Attack).len(), 1, "{:?}", f.events);
        let f = facts("Two nurses were among the dead.");
        assert_eq!(of(&f, EventType::Death).len(), 1, "{:?}", f.events);
        let f = facts("Gunmen seized hundreds of hostages at the hotel.");
        let a = of(&f, EventType::Arrest);
        assert_eq!(a.len(), 1, "{:?}", f.events);
        assert_eq!(role(a[0], "detainee"), ["hostages"]);
        let f = facts("Customs officers seized the cargo.");
        assert!(of(&f, EventType::Arrest).is_empty(), "{:?}", f.events);
    }

    #[test]
    fn accidents_illnesses_and_labour_strikes_are_no_events() {
        let f = facts("Two workers died in an accidental explosion at the plant.");
        assert!(of(&f, EventType::Attack).is_empty(), "{:?}", f.events);
        assert_eq!(of(&f, EventType::Death).len(), 1, "{:?}", f.events);
        let f = facts("Dock workers began a 24-hour strike.");
        assert!(of(&f, EventType::Attack).is_empty(), "{:?}", f.events);
        let f = facts("The strike has closed the port, the union said.");
        assert!(of(&f, EventType::Attack).is_empty(), "{:?}", f.events);
        let f = facts("The air strike on the depot killed two workers.");
        assert_eq!(of(&f, EventType::Attack).len(), 1, "{:?}", f.events);
        let f = facts("The doctors attacked the virus with new drugs.");
        assert!(of(&f, EventType::Attack).is_empty(), "{:?}", f.events);
        // "charges of fraud": the crime, not who is charged.
        let f = facts("The banker is on trial on charges of fraud.");
        let c = of(&f, EventType::Charge);
        assert!(c.iter().all(|e| e.args.is_empty()), "{:?}", f.events);
    }

    #[test]
    fn attempts_and_presupposed_events() {
        let f = facts("The senator survived an assassination attempt in May.");
        assert_eq!(of(&f, EventType::Attack).len(), 1, "{:?}", f.events);
        assert!(of(&f, EventType::Killing).is_empty(), "{:?}", f.events);
        let f = facts("The attempted murder of the judge shocked the town.");
        assert_eq!(of(&f, EventType::Attack).len(), 1, "{:?}", f.events);
        let f = facts("Police questioned the bombing suspect.");
        assert_eq!(of(&f, EventType::Attack).len(), 1, "{:?}", f.events);
    }

    #[test]
    fn charges_against_earnings_are_no_charges() {
        let f = facts("Profits fell after a special charge of 12 mln dlrs.");
        assert!(of(&f, EventType::Charge).is_empty(), "{:?}", f.events);
        let f = facts("The bank booked a restructuring charge in May.");
        assert!(of(&f, EventType::Charge).is_empty(), "{:?}", f.events);
        let f = facts("The clerk faces three charges of fraud.");
        assert_eq!(of(&f, EventType::Charge).len(), 1, "{:?}", f.events);
    }
}
