//! Word lists keyed by lemma (lower case). The parse decides how the words
//! are used; these lists only say what a word can mean.

use crate::types::{EventType, RelationType};
use crate::words::{self, List};

/// Event type of a verb lemma.
pub fn verb_event(lemma: &str) -> Option<EventType> {
    use EventType::*;
    Some(match lemma {
        "kill" | "assassinate" | "murder" | "execute" | "slay" | "behead" | "eliminate"
        | "massacre" | "slaughter" | "strangle" | "lynch" | "exterminate" | "annihilate"
        | "decapitate" => Killing,
        "die" | "perish" | "drown" => Death,
        "attack" | "bomb" | "shell" | "ambush" | "target" | "assault" | "strike" | "shoot"
        | "detonate" | "firebomb" | "airstrike" | "storm" | "bombard" | "invade" | "explode"
        | "clash" | "stab" => Attack,
        "arrest" | "detain" | "capture" | "apprehend" | "jail" | "imprison" | "abduct"
        | "kidnap" | "seize" => Arrest,
        "raid" => Raid,
        "sanction" | "blacklist" => Sanction,
        "designate" => Designation,
        "charge" | "indict" | "prosecute" => Charge,
        "marry" | "wed" => Marriage,
        "meet" => Meeting,
        "travel" | "fly" | "visit" | "flee" | "journey" | "return" | "arrive" | "relocate"
        | "move" | "cross" | "escape" | "walk" | "drive" | "migrate" | "head" | "leave"
        | "reach" | "enter" | "sail" | "come" | "approach" => Travel,
        "convene" => Meeting,
        _ => return None,
    })
}

/// Event type of a noun lemma.
pub fn noun_event(lemma: &str) -> Option<EventType> {
    use EventType::*;
    Some(match lemma {
        "killing" | "assassination" | "murder" | "execution" | "slaying" | "beheading"
        | "massacre" | "homicide" | "genocide" | "extermination" | "decapitation" | "slaughter" => {
            Killing
        }
        "death" | "fatality" | "suicide" | "drowning" => Death,
        "attack" | "bombing" | "strike" | "airstrike" | "assault" | "ambush" | "shelling"
        | "shooting" | "explosion" | "blast" | "bombardment" | "offensive" | "battle" | "clash"
        | "skirmish" | "invasion" | "stabbing" | "firefight" | "gunfight" | "gunfire" => Attack,
        "arrest" | "detention" | "capture" | "abduction" | "kidnapping" => Arrest,
        "raid" => Raid,
        "sanction" | "embargo" => Sanction,
        "reward" | "bounty" => Reward,
        "designation" => Designation,
        "charge" | "indictment" | "prosecution" => Charge,
        "marriage" | "wedding" => Marriage,
        "meeting" | "summit" | "talk" | "encounter" | "negotiation" => Meeting,
        "speech" | "address" => Speech,
        "trip" | "visit" | "journey" => Travel,
        _ => return None,
    })
}

/// Modifiers that make "strike", "attack" or "battle" a fight of words or
/// interests: "hunger strike", "political attack", "ad hominem attack".
pub fn non_violent_modifier(lemma: &str) -> bool {
    words::has(List::NonViolentModifier, lemma)
}

/// Things used to kill or attack: subjects of "killed" that are not agents.
pub fn is_weapon(lemma: &str) -> bool {
    words::has(List::Weapon, lemma)
}

/// Speech and thought verbs that introduce a statement.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CueClass {
    /// say, tell, deny, confirm: what a dossier records as a claim.
    Speech,
    /// believe, think, suspect: a held view, recorded as a hedged claim.
    Belief,
}

pub fn cue_verb(lemma: &str) -> Option<CueClass> {
    if words::has(List::SpeechCue, lemma) {
        Some(CueClass::Speech)
    } else if words::has(List::BeliefCue, lemma) {
        Some(CueClass::Belief)
    } else {
        None
    }
}

/// Nouns that carry a statement: "a report that ...", "his claim that ...".
pub fn cue_noun(lemma: &str) -> bool {
    words::has(List::CueNoun, lemma)
}

/// Cue lemmas that deny what follows.
pub fn is_denial(lemma: &str) -> bool {
    words::has(List::DenialCue, lemma)
}

/// Words that, predicated of a statement, reject it: "they were lies".
pub fn is_falsehood(lemma: &str) -> bool {
    words::has(List::Falsehood, lemma)
}

/// Adverbs and adjectives that hedge the statement or event they modify.
pub fn is_hedge_word(lemma: &str) -> bool {
    words::has(List::HedgeWord, lemma)
}

/// Verbs whose passive hedges what follows: "was believed to have been killed".
pub fn is_hedging_raiser(lemma: &str) -> bool {
    words::has(List::HedgingRaiser, lemma)
}

/// Sources that are not named: "two officials", "a source", "sources".
pub fn is_anonymous_source(lemma: &str) -> bool {
    words::has(List::AnonymousSource, lemma)
}

/// A kinship noun: what relation it states between the person it describes
/// (subject) and the possessor or `of`-object (object), and the role word.
pub fn kin(lemma: &str) -> Option<(RelationType, &'static str)> {
    use RelationType::*;
    Some(match lemma {
        "son" => (ChildOf, "son"),
        "daughter" => (ChildOf, "daughter"),
        "child" => (ChildOf, "child"),
        "stepson" => (ChildOf, "stepson"),
        "stepdaughter" => (ChildOf, "stepdaughter"),
        "wife" => (SpouseOf, "wife"),
        "husband" => (SpouseOf, "husband"),
        "widow" => (SpouseOf, "widow"),
        "widower" => (SpouseOf, "widower"),
        "spouse" => (SpouseOf, "spouse"),
        "fiancée" | "fiancee" => (SpouseOf, "fiancée"),
        "brother" => (SiblingOf, "brother"),
        "sister" => (SiblingOf, "sister"),
        "sibling" => (SiblingOf, "sibling"),
        "half-brother" => (SiblingOf, "half-brother"),
        "half-sister" => (SiblingOf, "half-sister"),
        "cousin" => (RelativeOf, "cousin"),
        "nephew" => (RelativeOf, "nephew"),
        "niece" => (RelativeOf, "niece"),
        "uncle" => (RelativeOf, "uncle"),
        "aunt" => (RelativeOf, "aunt"),
        "grandson" => (RelativeOf, "grandson"),
        "granddaughter" => (RelativeOf, "granddaughter"),
        "grandfather" => (RelativeOf, "grandfather"),
        "grandmother" => (RelativeOf, "grandmother"),
        "relative" => (RelativeOf, "relative"),
        "father-in-law" => (RelativeOf, "father-in-law"),
        "mother-in-law" => (RelativeOf, "mother-in-law"),
        "son-in-law" => (RelativeOf, "son-in-law"),
        "daughter-in-law" => (RelativeOf, "daughter-in-law"),
        "brother-in-law" => (RelativeOf, "brother-in-law"),
        "sister-in-law" => (RelativeOf, "sister-in-law"),
        "in-law" => (RelativeOf, "in-law"),
        _ => return None,
    })
}

/// Kin nouns where the described person is the parent: "X, the father of Y"
/// means Y child_of X.
pub fn is_parent_noun(lemma: &str) -> bool {
    words::has(List::ParentNoun, lemma)
}

/// How an organisational role noun relates its holder to the organisation.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RoleKind {
    /// leader, chief, head, commander: leader_of (unless "a senior leader").
    Leader,
    /// member, operative, militant: member_of.
    Member,
    /// spokesman, minister, director: holds_role.
    Role,
}

pub fn role_noun(lemma: &str) -> Option<RoleKind> {
    [
        (List::LeaderRole, RoleKind::Leader),
        (List::MemberRole, RoleKind::Member),
        (List::HeldRole, RoleKind::Role),
    ]
    .into_iter()
    .find(|(list, _)| words::has(*list, lemma))
    .map(|(_, kind)| kind)
}

/// Nouns that make the described organisation a part of another: "a unit
/// within Mossad", "the armed wing of Hamas".
pub fn is_part_noun(lemma: &str) -> bool {
    words::has(List::PartNoun, lemma)
}

/// Prepositions that place an event: "in Tehran", "near Sarmada".
pub fn is_place_prep(lemma: &str) -> bool {
    matches!(
        lemma,
        "in" | "at"
            | "near"
            | "inside"
            | "outside"
            | "within"
            | "across"
            | "throughout"
            | "around"
            | "on"
            | "into"
            | "outside_of"
            | "off"
            | "along"
            | "over"
    )
}

/// Subordinators and prepositions that push what they introduce into the
/// background of the main clause ("comes a year after ...").
pub fn is_background_marker(lemma: &str) -> bool {
    matches!(
        lemma,
        "after" | "before" | "since" | "following" | "prior" | "until" | "ago"
    )
}

/// Personal pronouns and what they can refer to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PronounClass {
    /// he, she, him, her, his: a person.
    Person,
    /// it, its: an organisation, place or thing.
    Thing,
    /// they, them, their: a group or organisation.
    Plural,
    /// I, we, me, us, our, my: the speaker.
    Speaker,
}

pub fn pronoun(lower: &str) -> Option<PronounClass> {
    use PronounClass::*;
    Some(match lower {
        "he" | "him" | "his" | "himself" | "she" | "her" | "hers" | "herself" => Person,
        "it" | "its" | "itself" => Thing,
        "they" | "them" | "their" | "theirs" | "themselves" => Plural,
        "i" | "me" | "my" | "mine" | "we" | "us" | "our" | "ours" => Speaker,
        _ => return None,
    })
}

/// Labels of entity mentions that can take part in events and relations.
pub fn is_actor_label(label: &str) -> bool {
    matches!(label, "PERSON" | "ORG" | "GPE" | "NORP" | "FAC" | "LOC")
}

pub fn is_place_label(label: &str) -> bool {
    matches!(label, "GPE" | "LOC" | "FAC")
}

/// Nouns naming a kind of area: "the town of Sarmada" names the town.
pub fn is_area_noun(lemma: &str) -> bool {
    words::has(List::AreaNoun, lemma)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Lists whose kinds exclude each other: a word on two would take the
    /// first kind silently.
    #[test]
    fn no_word_has_two_kinds() {
        use crate::words::List::*;
        for group in [
            &[SpeechCue, BeliefCue][..],
            &[LeaderRole, MemberRole, HeldRole][..],
        ] {
            for (i, a) in group.iter().enumerate() {
                for b in &group[i + 1..] {
                    let both: Vec<&String> = words::words(*a)
                        .iter()
                        .copied()
                        .filter(|w| words::has(*b, w))
                        .collect();
                    assert!(both.is_empty(), "{a:?} and {b:?}: {both:?}");
                }
            }
        }
        assert!(words::words(HeldRole).len() > 50);
    }

    #[test]
    fn lexicon_spot_checks() {
        assert_eq!(verb_event("kill"), Some(EventType::Killing));
        assert_eq!(noun_event("bombing"), Some(EventType::Attack));
        assert_eq!(noun_event("wedding"), Some(EventType::Marriage));
        assert_eq!(verb_event("say"), None);
        assert_eq!(cue_verb("deny"), Some(CueClass::Speech));
        assert_eq!(cue_verb("believe"), Some(CueClass::Belief));
        assert!(is_denial("reject"));
        assert!(!is_denial("confirm"));
        assert_eq!(kin("widow").map(|k| k.0), Some(RelationType::SpouseOf));
        assert_eq!(kin("father-in-law").map(|k| k.1), Some("father-in-law"));
        assert_eq!(role_noun("spokesman"), Some(RoleKind::Role));
        assert_eq!(role_noun("economist"), Some(RoleKind::Role));
        assert_eq!(role_noun("chairman"), Some(RoleKind::Leader));
        assert_eq!(role_noun("militant"), Some(RoleKind::Member));
        assert_eq!(role_noun("economy"), None);
        assert!(is_weapon("grenade") && cue_noun("allegation") && is_parent_noun("mother"));
        assert!(is_part_noun("wing") && is_area_noun("province"));
        assert_eq!(pronoun("their"), Some(PronounClass::Plural));
    }
}
