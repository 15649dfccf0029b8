//! What one document yields, before cross-document linking.
//!
//! Every span carries both byte offsets (for slicing the Rust string) and
//! code-point offsets (what the export contract and the entity-resolution
//! stage count), computed once with [`dossier_core::CharIndex`].

use dossier_core::{ClaimKind, MentionKind, Polarity, TimeType};
use serde::{Deserialize, Serialize};

/// A stretch of one document's text.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub struct FactSpan {
    /// Byte offsets, end exclusive.
    pub start: usize,
    pub end: usize,
    /// Code-point offsets, end exclusive.
    pub char_start: usize,
    pub char_end: usize,
    pub text: String,
}

impl FactSpan {
    /// The contract's span (code points) in document `doc`.
    pub fn to_span(&self, doc: &str, kind: Option<MentionKind>) -> dossier_core::Span {
        dossier_core::Span {
            doc: doc.to_string(),
            start: self.char_start,
            end: self.char_end,
            text: self.text.clone(),
            kind,
        }
    }

    pub fn overlaps(&self, other: &FactSpan) -> bool {
        self.start < other.end && other.start < self.end
    }

    pub fn contains(&self, other: &FactSpan) -> bool {
        self.start <= other.start && other.end <= self.end
    }
}

/// A participant as written, and the entity mention it names or refers to.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Ref {
    /// The phrase as written: "two officials", "he", "al-Qaeda's second-in-command".
    pub span: FactSpan,
    /// The named-entity mention this phrase is, contains as its head, or (for
    /// a pronoun or description) refers back to.
    pub entity: Option<FactSpan>,
    /// OntoNotes label of that entity mention.
    pub label: Option<String>,
    pub kind: MentionKind,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum EventType {
    Killing,
    Death,
    Attack,
    Arrest,
    Raid,
    Sanction,
    Reward,
    Designation,
    Charge,
    Marriage,
    Meeting,
    Speech,
    Travel,
}

impl EventType {
    pub const ALL: [EventType; 13] = [
        EventType::Killing,
        EventType::Death,
        EventType::Attack,
        EventType::Arrest,
        EventType::Raid,
        EventType::Sanction,
        EventType::Reward,
        EventType::Designation,
        EventType::Charge,
        EventType::Marriage,
        EventType::Meeting,
        EventType::Speech,
        EventType::Travel,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            EventType::Killing => "killing",
            EventType::Death => "death",
            EventType::Attack => "attack",
            EventType::Arrest => "arrest",
            EventType::Raid => "raid",
            EventType::Sanction => "sanction",
            EventType::Reward => "reward",
            EventType::Designation => "designation",
            EventType::Charge => "charge",
            EventType::Marriage => "marriage",
            EventType::Meeting => "meeting",
            EventType::Speech => "speech",
            EventType::Travel => "travel",
        }
    }
}

/// When an event happened, from the time expression attached to it.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct DateMention {
    pub span: FactSpan,
    pub kind: TimeType,
    /// TimeML value, `None` when the expression could not be grounded.
    pub value: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct EventArg {
    /// `victim`, `agent`, `target`, `detainee`, `defendant`, `instrument`,
    /// `spouse`, `participant`, `speaker`, `audience`, `traveler`,
    /// `destination`, `origin`, `beneficiary`.
    pub role: String,
    pub arg: Ref,
}

/// How one event mention relates to another in the same document.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum EventLinkKind {
    /// "killed in a drone strike": the strike is the means of the killing.
    Means,
    /// "arrested during the raid".
    During,
    /// "comes a year after the NDS announced ... it had killed X": the other
    /// event happened after this one.
    Before,
    After,
}

#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct EventLink {
    pub kind: EventLinkKind,
    /// Index into [`DocFacts::events`].
    pub event: usize,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct EventMention {
    pub kind: EventType,
    pub trigger: FactSpan,
    pub lemma: String,
    pub args: Vec<EventArg>,
    pub places: Vec<Ref>,
    pub date: Option<DateMention>,
    /// The sentence it was read from.
    pub evidence: FactSpan,
    /// Inside someone's statement (a quote, a "said that" clause, "according to").
    pub reported: bool,
    /// "did not kill", "no strike took place".
    pub negated: bool,
    /// Modal, conditional or uncertain: "could be killed", "was believed to
    /// have been killed", "plans to attack".
    pub hypothetical: bool,
    /// Mentioned as earlier context, not the news: "comes a year after ... it
    /// had killed X", "the 1998 bombings, which killed 224 people".
    pub background: bool,
    /// A definite or possessive reference to an event told elsewhere: "his
    /// death", "the killing".
    pub anaphoric: bool,
    /// For an anaphoric mention: the earlier mention (index into
    /// [`DocFacts::events`]) it most likely refers to.
    pub antecedent: Option<usize>,
    pub links: Vec<EventLink>,
}

impl EventMention {
    pub fn args_with(&self, role: &str) -> impl Iterator<Item = &Ref> + '_ {
        let role = role.to_string();
        self.args
            .iter()
            .filter(move |a| a.role == role)
            .map(|a| &a.arg)
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RelationType {
    /// The subject is a child of the object.
    ChildOf,
    SpouseOf,
    SiblingOf,
    RelativeOf,
    MemberOf,
    LeaderOf,
    HoldsRole,
    PartOf,
    LocatedIn,
    BasedIn,
}

impl RelationType {
    pub fn as_str(self) -> &'static str {
        match self {
            RelationType::ChildOf => "child_of",
            RelationType::SpouseOf => "spouse_of",
            RelationType::SiblingOf => "sibling_of",
            RelationType::RelativeOf => "relative_of",
            RelationType::MemberOf => "member_of",
            RelationType::LeaderOf => "leader_of",
            RelationType::HoldsRole => "holds_role",
            RelationType::PartOf => "part_of",
            RelationType::LocatedIn => "located_in",
            RelationType::BasedIn => "based_in",
        }
    }

    /// Relations that read the same both ways.
    pub fn symmetric(self) -> bool {
        matches!(
            self,
            RelationType::SpouseOf | RelationType::SiblingOf | RelationType::RelativeOf
        )
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RelationMention {
    pub kind: RelationType,
    pub subject: Ref,
    /// `None` for a role held with no organisation named ("Secretary of
    /// State Mike Pompeo"): kept for descriptions, dropped by the linker.
    pub object: Option<Ref>,
    /// "son-in-law", "spokesman", "Secretary of State", "senior leader".
    pub role: Option<String>,
    /// The word(s) that state the relation: "son", "widow", "spokesman", ",".
    pub cue: FactSpan,
    /// The sentence it was read from.
    pub evidence: FactSpan,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ClaimMention {
    /// The statement: from the first to the last of `parts`.
    pub span: FactSpan,
    /// The statement's pieces; several when a quote is interrupted ("“A,” he
    /// said, “B.”").
    pub parts: Vec<FactSpan>,
    pub speaker: Option<Ref>,
    /// The source as written: "two officials", "Mr Pompeo", "he".
    pub speaker_text: Option<String>,
    /// The reporting word(s): "said", "denied", "according to".
    pub cue: Option<FactSpan>,
    pub cue_lemma: Option<String>,
    pub kind: ClaimKind,
    pub polarity: Polarity,
    pub hedged: bool,
    /// What makes it hedged: "reportedly", "according to", "unnamed source".
    pub hedges: Vec<String>,
    /// Entity mentions the statement concerns.
    pub about_entities: Vec<Ref>,
    /// Indexes into [`DocFacts::events`] of the events it reports.
    pub about_events: Vec<usize>,
    /// Indexes into [`DocFacts::relations`] stated inside it.
    pub about_relations: Vec<usize>,
    /// A denial or confirmation of an earlier claim ("The Taliban deny the
    /// claim"): index into [`DocFacts::claims`].
    pub responds_to: Option<usize>,
    /// Sentence(s) it was read from.
    pub evidence: FactSpan,
}

/// A pronoun or description and the named mention it refers to.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct CorefHint {
    pub mention: FactSpan,
    pub antecedent: FactSpan,
    pub kind: MentionKind,
}

/// Everything extracted from one document.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct DocFacts {
    /// The document id (`dossier_core::Document::id`).
    pub doc: String,
    pub events: Vec<EventMention>,
    pub relations: Vec<RelationMention>,
    pub claims: Vec<ClaimMention>,
    pub coref: Vec<CorefHint>,
}
