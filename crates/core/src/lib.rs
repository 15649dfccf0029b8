//! Domain types shared by every stage of Dossier.
//!
//! The shapes mirror the export contract in `docs/EXPORT.md`: what the export
//! writes is what the stages produce, so there is one definition of each
//! concept. Offsets in these types count Unicode code points (not bytes) into
//! the document's text, as the contract requires; [`CharIndex`] converts.

pub mod date;
mod ids;
mod offsets;
pub mod parse;

pub use date::{Date, DatePrecision};
pub use ids::{content_id, stable_id};
pub use offsets::CharIndex;

use serde::{Deserialize, Serialize};

/// An ingested article: extracted body text plus what is known about it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Document {
    pub id: String,
    /// The first place this text was seen (file path, URL, `file#line`).
    pub source: String,
    /// Every place the same text was seen, `source` first.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub sources: Vec<String>,
    pub title: Option<String>,
    /// ISO date cut to its precision; `None` when the document states none.
    pub published: Option<String>,
    pub byline: Option<String>,
    pub language: String,
    pub text: String,
}

/// How a mention refers to its entity.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum MentionKind {
    Name,
    Nominal,
    Pronoun,
}

impl MentionKind {
    pub fn as_str(self) -> &'static str {
        match self {
            MentionKind::Name => "name",
            MentionKind::Nominal => "nominal",
            MentionKind::Pronoun => "pronoun",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "name" => Some(MentionKind::Name),
            "nominal" => Some(MentionKind::Nominal),
            "pronoun" => Some(MentionKind::Pronoun),
            _ => None,
        }
    }
}

/// OntoNotes labels that name things (the others are dates and numbers).
pub const ENTITY_LABELS: &[&str] = &[
    "PERSON",
    "NORP",
    "FAC",
    "ORG",
    "GPE",
    "LOC",
    "PRODUCT",
    "EVENT",
    "WORK_OF_ART",
    "LAW",
    "LANGUAGE",
];

/// A stretch of a document's text: the unit of evidence.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Span {
    pub doc: String,
    /// Code-point offset, inclusive.
    pub start: usize,
    /// Code-point offset, exclusive.
    pub end: usize,
    pub text: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub kind: Option<MentionKind>,
}

/// A mention of an entity in one document: a name found by the language
/// pipeline, an alias read from a cue, or a pronoun linked to a person.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Mention {
    pub span: Span,
    /// OntoNotes label (`PERSON`, `ORG`, `GPE`, ...).
    pub label: String,
    /// Index of the document-level entity it belongs to, if resolved.
    #[serde(default)]
    pub local: Option<usize>,
    /// Why it belongs to that entity.
    #[serde(default)]
    pub how: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Description {
    pub text: String,
    pub evidence: Vec<Span>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Merge {
    pub reason: String,
    pub score: Option<f64>,
    #[serde(default)]
    pub evidence: Vec<Span>,
}

/// A resolved real-world thing.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Entity {
    pub id: String,
    #[serde(rename = "type")]
    pub kind: String,
    pub name: String,
    pub aliases: Vec<String>,
    pub mentions: Vec<Span>,
    #[serde(default)]
    pub descriptions: Vec<Description>,
    #[serde(default)]
    pub merges: Vec<Merge>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct EventDate {
    pub value: Option<String>,
    pub precision: Option<DatePrecision>,
    pub text: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Participant {
    pub role: String,
    pub entity: String,
}

/// Whether an event is told as having happened, and if not, how it is told.
#[derive(
    Debug, Clone, Copy, Default, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize,
)]
#[serde(rename_all = "snake_case")]
pub enum Modality {
    /// Stated as having happened: "He was killed on August 7".
    #[default]
    Asserted,
    /// Said to have happened by a source, or with "reportedly", "alleged".
    Reported,
    /// Said not to have happened: "no strike took place".
    Denied,
    /// Planned, plotted or prepared: "he had planned to attack".
    Planned,
    /// Possible, conditional or attempted: "could be killed", "if they attack".
    Hypothetical,
    /// Sought by a warrant, reward or manhunt: "a warrant for his arrest".
    Sought,
    /// Announced for the future: "will impose sanctions".
    Future,
}

impl Modality {
    pub const ALL: [Modality; 7] = [
        Modality::Asserted,
        Modality::Reported,
        Modality::Denied,
        Modality::Planned,
        Modality::Hypothetical,
        Modality::Sought,
        Modality::Future,
    ];

    /// Told as having happened: only these are dated facts.
    pub fn happened(self) -> bool {
        matches!(self, Modality::Asserted | Modality::Reported)
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Modality::Asserted => "asserted",
            Modality::Reported => "reported",
            Modality::Denied => "denied",
            Modality::Planned => "planned",
            Modality::Hypothetical => "hypothetical",
            Modality::Sought => "sought",
            Modality::Future => "future",
        }
    }

    pub fn parse(s: &str) -> Option<Modality> {
        Modality::ALL.into_iter().find(|m| m.as_str() == s)
    }
}

/// A sum of money as written: "$10 million" is 10000000 USD.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Amount {
    /// In whole units of the currency; `None` when the number cannot be read.
    pub value: Option<u64>,
    /// ISO 4217 code (`USD`, `EUR`), `None` when no currency is written.
    pub currency: Option<String>,
    pub text: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Event {
    pub id: String,
    #[serde(rename = "type")]
    pub kind: String,
    /// Only for events told as having happened ([`Modality::happened`]).
    pub date: Option<EventDate>,
    pub places: Vec<String>,
    pub participants: Vec<Participant>,
    pub evidence: Vec<Span>,
    pub documents: Vec<String>,
    /// How the sources tell it: the most factual telling of any mention.
    #[serde(default)]
    pub modality: Modality,
    /// For rewards, sanctions and fines: how much.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub amount: Option<Amount>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Relation {
    pub id: String,
    #[serde(rename = "type")]
    pub kind: String,
    pub subject: String,
    pub object: String,
    pub role: Option<String>,
    pub evidence: Vec<Span>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum ClaimKind {
    Quote,
    Reported,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Polarity {
    Assert,
    Deny,
}

/// How a speaker stands to what their claim says (its text as written).
#[derive(
    Debug, Clone, Copy, Default, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize,
)]
#[serde(rename_all = "snake_case")]
pub enum Stance {
    /// Says it is so. "Al-Qaeda has had no ties with the Taliban" asserts
    /// its own negative content.
    #[default]
    Assert,
    /// Says it with reserve: "reportedly", "believed to", "may have".
    Hedge,
    /// Says it is not so: "denied that ...", "rejected the claim".
    Deny,
    /// Neither confirms nor denies: "could not confirm", "declined to
    /// comment". Never a denial.
    NotConfirmed,
}

impl Stance {
    /// The contract's two-valued polarity: only a denial is `deny`.
    pub fn polarity(self) -> Polarity {
        match self {
            Stance::Deny => Polarity::Deny,
            _ => Polarity::Assert,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Stance::Assert => "assert",
            Stance::Hedge => "hedge",
            Stance::Deny => "deny",
            Stance::NotConfirmed => "not_confirmed",
        }
    }

    pub fn parse(s: &str) -> Option<Stance> {
        [
            Stance::Assert,
            Stance::Hedge,
            Stance::Deny,
            Stance::NotConfirmed,
        ]
        .into_iter()
        .find(|x| x.as_str() == s)
    }
}

/// Who a claim is attributed to.
#[derive(
    Debug, Clone, Copy, Default, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize,
)]
#[serde(rename_all = "snake_case")]
pub enum SpeakerKind {
    /// A named person or organisation, or a pronoun or title resolved to one.
    Named,
    /// An unnamed source: "two officials", "a senior US official", "sources".
    Unnamed,
    /// A pronoun, title or description that refers to someone not resolved:
    /// "he", "the spokesman", "the ministry".
    Unresolved,
    /// No speaker at all.
    #[default]
    Unattributed,
}

impl SpeakerKind {
    pub fn as_str(self) -> &'static str {
        match self {
            SpeakerKind::Named => "named",
            SpeakerKind::Unnamed => "unnamed",
            SpeakerKind::Unresolved => "unresolved",
            SpeakerKind::Unattributed => "unattributed",
        }
    }

    pub fn parse(s: &str) -> Option<SpeakerKind> {
        [
            SpeakerKind::Named,
            SpeakerKind::Unnamed,
            SpeakerKind::Unresolved,
            SpeakerKind::Unattributed,
        ]
        .into_iter()
        .find(|x| x.as_str() == s)
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Claim {
    pub id: String,
    pub doc: String,
    pub start: usize,
    pub end: usize,
    pub text: String,
    pub speaker: Option<String>,
    pub speaker_text: Option<String>,
    pub kind: ClaimKind,
    /// `deny` exactly when `stance` is `deny`.
    pub polarity: Polarity,
    pub hedged: bool,
    #[serde(default)]
    pub stance: Stance,
    #[serde(default)]
    pub speaker_kind: SpeakerKind,
    #[serde(default)]
    pub about: Vec<String>,
    #[serde(default)]
    pub supports: Vec<String>,
    #[serde(default)]
    pub contradicts: Vec<String>,
}

/// TimeML TIMEX3 types.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "UPPERCASE")]
pub enum TimeType {
    Date,
    Time,
    Duration,
    Set,
}

impl TimeType {
    pub fn as_str(self) -> &'static str {
        match self {
            TimeType::Date => "DATE",
            TimeType::Time => "TIME",
            TimeType::Duration => "DURATION",
            TimeType::Set => "SET",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "DATE" => Some(TimeType::Date),
            "TIME" => Some(TimeType::Time),
            "DURATION" => Some(TimeType::Duration),
            "SET" => Some(TimeType::Set),
            _ => None,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Time {
    pub doc: String,
    pub start: usize,
    pub end: usize,
    pub text: String,
    #[serde(rename = "type")]
    pub kind: TimeType,
    /// TimeML value; `None` when it cannot be grounded.
    pub value: Option<String>,
    pub anchor: Option<String>,
}

/// The whole knowledge base, as exported.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Export {
    pub documents: Vec<Document>,
    pub entities: Vec<Entity>,
    pub events: Vec<Event>,
    pub relations: Vec<Relation>,
    pub claims: Vec<Claim>,
    pub times: Vec<Time>,
}

/// An entity as one document knows it, before cross-document resolution.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct LocalEntity {
    pub label: String,
    pub name: String,
    /// Other names given by cues ("also known as"), with their evidence.
    pub aliases: Vec<(String, Span)>,
    pub descriptions: Vec<Description>,
    /// A short name that fit several entities and was left unresolved.
    pub ambiguous: bool,
}
