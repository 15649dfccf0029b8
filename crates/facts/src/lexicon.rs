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
    matches!(
        lemma,
        "bomb"
            | "missile"
            | "rocket"
            | "drone"
            | "ied"
            | "explosive"
            | "device"
            | "grenade"
            | "mine"
            | "shell"
            | "mortar"
            | "gun"
            | "rifle"
            | "bullet"
            | "knife"
            | "car"
            | "truck"
            | "vehicle"
            | "poison"
            | "gas"
            | "airstrike"
            | "strike"
            | "blast"
            | "explosion"
            | "attack"
            | "bombing"
            | "fire"
            | "gunfire"
            | "artillery"
            | "shelling"
            | "weapon"
            | "suicide"
            | "vest"
            | "belt"
            | "illness"
            | "disease"
            | "cancer"
            | "virus"
            | "covid-19"
            | "wound"
            | "injury"
            | "crash"
            | "accident"
            | "raid"
            | "operation"
            | "grenades"
            | "airstrikes"
            | "storm"
            | "earthquake"
            | "flood"
            | "heat"
    )
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
    use CueClass::*;
    Some(match lemma {
        "say" | "tell" | "state" | "add" | "announce" | "confirm" | "claim" | "allege"
        | "accuse" | "deny" | "reject" | "dismiss" | "insist" | "assert" | "argue" | "report"
        | "reveal" | "tweet" | "write" | "declare" | "note" | "explain" | "warn"
        | "acknowledge" | "admit" | "concede" | "suggest" | "comment" | "reply" | "respond"
        | "testify" | "stress" | "emphasise" | "emphasize" | "maintain" | "contend" | "predict"
        | "promise" | "pledge" | "vow" | "disclose" | "indicate" | "mention" | "recall"
        | "repeat" | "reiterate" | "blame" | "complain" | "boast" | "estimate" | "agree"
        | "disagree" | "dispute" | "refute" | "rebut" | "counter" | "retort" | "observe"
        | "remark" | "post" | "describe" | "quote" | "cite" | "charge" | "brag" | "joke"
        | "answer" | "conclude" | "show" | "find" | "posit" | "speculate" | "caution" | "urge"
        | "ask" | "question" | "tout" | "highlight" | "affirm" | "verify" | "contradict"
        | "disavow" | "repudiate" | "debunk" | "rebuff" | "criticize" | "criticise" | "condemn"
        | "denounce" | "decry" | "praise" | "call" => Speech,
        "believe" | "think" | "suspect" | "fear" | "expect" | "feel" | "know" | "consider"
        | "doubt" | "hope" | "worry" | "assume" | "understand" | "realize" | "realise"
        | "recognize" | "recognise" | "figure" | "reckon" | "guess" | "presume" | "imagine"
        | "view" | "see" | "learn" | "determine" | "calculate" => Belief,
        _ => return None,
    })
}

/// Nouns that carry a statement: "a report that ...", "his claim that ...".
pub fn cue_noun(lemma: &str) -> bool {
    matches!(
        lemma,
        "report"
            | "claim"
            | "allegation"
            | "accusation"
            | "announcement"
            | "statement"
            | "assertion"
            | "denial"
            | "comment"
            | "remark"
            | "tweet"
            | "testimony"
            | "assessment"
            | "belief"
            | "view"
            | "argument"
            | "warning"
            | "suggestion"
            | "charge"
            | "conclusion"
            | "finding"
            | "insistence"
            | "admission"
            | "promise"
            | "pledge"
            | "prediction"
            | "confirmation"
            | "rumour"
            | "rumor"
            | "suspicion"
            | "fear"
            | "estimate"
            | "notion"
            | "idea"
            | "word"
            | "news"
            | "speculation"
            | "indication"
            | "evidence"
    )
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
    matches!(
        lemma,
        "father" | "mother" | "parent" | "stepfather" | "stepmother" | "dad" | "mum" | "mom"
    )
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
    use RoleKind::*;
    Some(match lemma {
        "leader" | "chief" | "head" | "commander" | "emir" | "chairman" | "chairwoman" | "boss"
        | "chieftain" | "ringleader" | "kingpin" => Leader,
        "member" | "operative" | "militant" | "fighter" | "figure" | "affiliate" | "loyalist"
        | "recruit" | "jihadist" | "supporter" | "associate" | "lieutenant" | "agent" => Member,
        "spokesman" | "spokeswoman" | "spokesperson" | "minister" | "secretary" | "president"
        | "director" | "officer" | "official" | "general" | "ambassador" | "envoy" | "governor"
        | "mayor" | "senator" | "representative" | "congressman" | "congresswoman" | "deputy"
        | "second-in-command" | "founder" | "co-founder" | "cofounder" | "financier"
        | "recruiter" | "planner" | "strategist" | "adviser" | "advisor" | "analyst"
        | "researcher" | "journalist" | "correspondent" | "editor" | "reporter" | "consultant"
        | "sergeant" | "colonel" | "captain" | "lieutenant-general" | "major" | "admiral"
        | "prosecutor" | "judge" | "attorney" | "lawyer" | "chancellor" | "premier" | "king"
        | "queen" | "prince" | "princess" | "sheikh" | "cleric" | "imam" | "mufti"
        | "ideologue" | "treasurer" | "facilitator" | "mastermind" | "manager" | "executive"
        | "ceo" | "chair" | "administrator" | "coordinator" | "negotiator" | "mediator" | "spy"
        | "spymaster" | "master" | "emissary" | "lawmaker" | "legislator" | "mp" | "delegate"
        | "councillor" | "councilor" | "commissioner" | "inspector" | "superintendent"
        | "professor" | "scholar" | "fellow" | "staffer" | "aide" | "bodyguard" | "courier"
        | "trainer" | "instructor" | "bombmaker" | "propagandist" | "economist" | "banker"
        | "trader" | "dealer" | "diplomat" | "pollster" | "historian" | "expert" | "scientist" => {
            Role
        }
        _ => return None,
    })
}

/// Nouns that make the described organisation a part of another: "a unit
/// within Mossad", "the armed wing of Hamas".
pub fn is_part_noun(lemma: &str) -> bool {
    matches!(
        lemma,
        "unit"
            | "cell"
            | "wing"
            | "branch"
            | "arm"
            | "division"
            | "faction"
            | "subsidiary"
            | "department"
            | "affiliate"
            | "offshoot"
            | "franchise"
            | "section"
            | "brigade"
            | "battalion"
            | "directorate"
            | "bureau"
            | "agency"
            | "office"
            | "chapter"
            | "splinter"
            | "component"
            | "part"
            | "corps"
            | "squad"
            | "team"
            | "network"
            | "group"
            | "organization"
            | "organisation"
            | "body"
            | "force"
    )
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
    matches!(
        lemma,
        "district"
            | "province"
            | "city"
            | "town"
            | "village"
            | "region"
            | "area"
            | "suburb"
            | "neighbourhood"
            | "neighborhood"
            | "county"
            | "state"
            | "capital"
            | "port"
            | "valley"
            | "governorate"
            | "municipality"
            | "island"
            | "oblast"
            | "prefecture"
    )
}

#[cfg(test)]
mod tests {
    use super::*;

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
        assert_eq!(pronoun("their"), Some(PronounClass::Plural));
    }
}
