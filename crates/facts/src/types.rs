//! What one document yields, before cross-document linking.
//!
//! Every span carries both byte offsets (for slicing the Rust string) and
//! code-point offsets (what the export contract and the entity-resolution
//! stage count), computed once with [`dossier_core::CharIndex`].

use dossier_core::{ClaimKind, MentionKind, Modality, Polarity, SpeakerKind, Stance, TimeType};
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

/// A sum of money in the text: "$10 million", "7 million dollars".
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct AmountMention {
    pub span: FactSpan,
    /// In whole units of the currency, `None` when the number is unreadable.
    pub value: Option<u64>,
    /// ISO 4217 code, `None` when no currency is written.
    pub currency: Option<String>,
}

impl AmountMention {
    pub fn to_amount(&self) -> dossier_core::Amount {
        dossier_core::Amount {
            value: self.value,
            currency: self.currency.clone(),
            text: self.span.text.clone(),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct EventMention {
    pub kind: EventType,
    pub trigger: FactSpan,
    pub lemma: String,
    pub args: Vec<EventArg>,
    pub places: Vec<Ref>,
    pub date: Option<DateMention>,
    /// The sentence it was read from, within its paragraph.
    pub evidence: FactSpan,
    /// Whether it is told as having happened: "was killed" (asserted),
    /// "reportedly killed" or inside someone's statement (reported), "did
    /// not kill" (denied), "planned to attack" (planned), "could be killed"
    /// (hypothetical), "a warrant for his arrest" (sought), "will impose
    /// sanctions" (future).
    pub modality: Modality,
    /// The words that set the modality: "planned", "warrant", "not".
    pub modality_cue: Option<FactSpan>,
    /// For rewards, sanctions and fines: the sum, "$10 million".
    pub amount: Option<AmountMention>,
    /// Mentioned as earlier context, not the news: "comes a year after ... it
    /// had killed X", "the 1998 bombings, which killed 224 people".
    pub background: bool,
    /// A definite or possessive reference to an event told elsewhere: "his
    /// death", "the killing".
    pub anaphoric: bool,
    /// The trigger is a noun ("the killing") rather than a verb ("killed").
    pub trigger_is_noun: bool,
    /// A date that names the event ("the September 11 attacks", "the 9/11
    /// bombings"), as a TimeML value with month and day: `XXXX-09-11`.
    pub named_date: Option<String>,
    /// For an anaphoric mention: the earlier mention (index into
    /// [`DocFacts::events`]) it most likely refers to.
    pub antecedent: Option<usize>,
    pub links: Vec<EventLink>,
}

impl EventMention {
    /// Said not to have happened.
    pub fn negated(&self) -> bool {
        self.modality == Modality::Denied
    }

    /// Not (or not yet) told as having happened, nor denied: planned,
    /// hypothetical, sought or future.
    pub fn hypothetical(&self) -> bool {
        !self.modality.happened() && self.modality != Modality::Denied
    }

    /// How plainly this mention tells its event, best first: a clause that
    /// says it happened ("He was killed on August 7") before a mention in
    /// passing ("his killing"), before a mention that does not tell it as
    /// having happened. Orders an event's evidence.
    pub fn evidence_rank(&self) -> u8 {
        let mut rank = 0;
        if !self.modality.happened() {
            rank += 8;
        }
        if self.anaphoric || self.background {
            rank += 4;
        }
        if self.trigger_is_noun {
            rank += 2;
        }
        if self.date.is_none() {
            rank += 1;
        }
        rank
    }

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
    /// The source as written (`span`) and, when known, the named mention
    /// it is or refers to (`entity`).
    pub speaker: Option<Ref>,
    /// The source as written: "two officials", "Mr Pompeo", "he".
    pub speaker_text: Option<String>,
    /// Named, unnamed ("two officials"), unresolved ("he" with no
    /// antecedent) or unattributed (no source).
    pub speaker_kind: SpeakerKind,
    /// The reporting word(s): "said", "denied", "according to".
    pub cue: Option<FactSpan>,
    pub cue_lemma: Option<String>,
    pub kind: ClaimKind,
    /// The speaker's stance toward the statement as written.
    pub stance: Stance,
    /// The statement is a verdict on other statements it refers to: "they
    /// were lies" (false), "the reports are true" (true).
    pub verdict: Option<Verdict>,
    pub hedged: bool,
    /// What makes it hedged: "reportedly", "according to", an unnamed source.
    pub hedges: Vec<Hedge>,
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

impl ClaimMention {
    /// The contract's two-valued polarity.
    pub fn polarity(&self) -> Polarity {
        self.stance.polarity()
    }

    /// Attaches the speaker's entity as resolved by coreference (a pronoun
    /// or title that refers to a named mention) and updates the kind.
    pub fn resolve_speaker(&mut self, entity: Option<FactSpan>, label: Option<String>) {
        let Some(sp) = self.speaker.as_mut() else {
            return;
        };
        if entity.is_some() {
            sp.entity = entity;
            sp.label = label;
            self.speaker_kind = SpeakerKind::Named;
        }
    }
}

/// What a verdict says of the statements it refers to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Verdict {
    /// "they were warmongering lies", "the report is baseless".
    False,
    /// "the reports are accurate".
    True,
}

/// Why a claim is hedged.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum HedgeKind {
    /// An adverb or adjective: "reportedly", "allegedly", "possibly".
    Word,
    /// A belief rather than a statement: "believe", "suspect".
    Belief,
    /// A passive cue with no source: "it was reported".
    NoSource,
    /// The source is not named: "two officials".
    UnnamedSource,
    /// "according to".
    AccordingTo,
    /// A modal on the cue or the statement: "may have", "could".
    Modal,
}

#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Hedge {
    pub kind: HedgeKind,
    /// The words as written.
    pub text: String,
}

/// Page furniture: text around an article that is not its news.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum FurnitureKind {
    /// Headline, standfirst or section label above the body.
    Headline,
    /// Author, outlet or column name: "By Jane Doe", "Faith Matters".
    Byline,
    /// Place and date before the body: "KABUL:", "WASHINGTON, March 3 -",
    /// "November 15, 2020".
    Dateline,
    /// Photo caption or credit: "..., to the right, is sitting next to ...",
    /// "Photo: AFP".
    Caption,
    /// A link to another article: "Read more: ...", "Related: ...".
    Link,
}

#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Furniture {
    pub kind: FurnitureKind,
    pub span: FactSpan,
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
    /// Headlines, bylines, captions, datelines and links: they yield no
    /// facts.
    #[serde(default)]
    pub furniture: Vec<Furniture>,
}
