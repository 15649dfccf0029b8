//! The rows the store takes and gives. Cross-document results use the
//! export contract's types from `dossier-core` where they fit.

use dossier_core::{LocalEntity, Mention, Span, Time};

/// The state of an input file when it was last ingested completely.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FileRecord {
    pub path: String,
    pub size: u64,
    pub mtime_ns: i64,
}

/// How bad a recorded input problem is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Severity {
    Skipped,
    Warning,
}

impl Severity {
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Skipped => "skipped",
            Severity::Warning => "warning",
        }
    }
}

/// A problem with an input, as stored for `dossier stats`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SkipRecord {
    pub source: String,
    pub reason: String,
    pub severity: Severity,
}

/// What adding a document did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Added {
    /// A new document.
    New,
    /// The same text was already stored; this source was added to it.
    NewSource,
    /// Already stored with this source: nothing changed.
    Unchanged,
}

/// Row counts, inputs that were skipped, and the size of the file.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Stats {
    pub tables: Vec<(String, i64)>,
    pub skipped: Vec<SkipRecord>,
    /// Bytes of the database file and of each table with its indexes.
    pub file_bytes: u64,
    pub table_bytes: Vec<(String, u64)>,
}

/// One document's analysis as stored. The resolution input and the facts
/// are encoded by their own stages; the store keeps them as they are.
#[derive(Debug, Clone, Copy)]
pub struct AnalysisRecord<'a> {
    /// Changes whenever the analysis would change, so `build` redoes it.
    pub version: &'a str,
    /// Entity mentions (with their document-level entity) and other
    /// entities (dates, numbers) with none.
    pub mentions: &'a [Mention],
    pub entities: &'a [LocalEntity],
    pub times: &'a [Time],
    pub profile: &'a [u8],
    pub facts: &'a [u8],
}

/// A document-level entity: `(document id, index in the document)`.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct MemberKey {
    pub doc: String,
    pub local: u32,
}

/// A member joining an entity, with why.
#[derive(Debug, Clone, PartialEq)]
pub struct MemberWrite {
    pub member: MemberKey,
    pub probability: Option<f64>,
    /// The decision in words, for reading.
    pub reason: Option<String>,
    /// The typed decision, as encoded by the resolution stage.
    pub decision: Option<Vec<u8>>,
}

/// An entity created or changed by a resolution step.
#[derive(Debug, Clone, PartialEq)]
pub struct EntityWrite {
    pub id: String,
    /// OntoNotes label shown to users (`PERSON`, `ORG`, ...).
    pub label: String,
    /// The resolver's coarse kind (`person`, `org`, `place`, ...).
    pub kind: String,
    pub name: String,
    /// The resolver's bounded state, as encoded by it.
    pub state: Vec<u8>,
    /// Blocking keys; they replace the entity's stored keys.
    pub keys: Vec<String>,
    /// New members.
    pub added: Vec<MemberWrite>,
    /// Stored entities merged into this one: their members move here.
    pub absorbed: Vec<String>,
}

/// An entity id that no longer exists, and where its members went.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Redirect {
    pub from: String,
    pub to: String,
    /// `merged`, `renamed` or `split`.
    pub why: String,
}

/// An analyst's judgement, stored by member (entity ids change, members
/// do not).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum JudgementKind {
    Same,
    NotSame,
    Split,
}

impl JudgementKind {
    pub fn as_str(&self) -> &'static str {
        match self {
            JudgementKind::Same => "same",
            JudgementKind::NotSame => "not_same",
            JudgementKind::Split => "split",
        }
    }

    pub fn parse(s: &str) -> Option<JudgementKind> {
        match s {
            "same" => Some(JudgementKind::Same),
            "not_same" => Some(JudgementKind::NotSame),
            "split" => Some(JudgementKind::Split),
            _ => None,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct JudgementRow {
    pub id: i64,
    pub kind: JudgementKind,
    /// For `split`: the entity's anchor member.
    pub a: MemberKey,
    /// For `split`: the document's first member in the entity.
    pub b: MemberKey,
    pub note: Option<String>,
    /// RFC 3339 time it was made.
    pub at: String,
    /// Whether a build has taken it into account.
    pub applied: bool,
}

/// An entity as a link.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EntityHead {
    pub id: String,
    pub label: String,
    pub kind: String,
    pub name: String,
    /// Documents that mention it.
    pub docs: u64,
    pub mentions: u64,
}

/// A name an entity goes by, with how often.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NameCount {
    pub text: String,
    pub docs: u64,
    pub mentions: u64,
}

/// A member of an entity as stored.
#[derive(Debug, Clone, PartialEq)]
pub struct MemberRow {
    pub member: MemberKey,
    pub mentions: u64,
    pub probability: Option<f64>,
    pub reason: Option<String>,
    pub decision: Option<Vec<u8>>,
    /// The member's best name mention in its document.
    pub evidence: Option<Span>,
}

/// A description with how many sources give it, and some of them.
#[derive(Debug, Clone, PartialEq)]
pub struct DescriptionRow {
    pub text: String,
    pub total: u64,
    pub evidence: Vec<Span>,
}

/// An entity's one-line summary, as computed at build time. Neighbours
/// are ids, named at read time so renames show.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct SummaryRow {
    pub description: Option<String>,
    pub fate: Option<String>,
    pub first_date: Option<String>,
    pub last_date: Option<String>,
    /// `events` or `published`.
    pub dates_from: Option<String>,
    pub with: Vec<String>,
    pub places: Vec<String>,
}

/// A document as a link.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DocHead {
    pub id: String,
    pub title: Option<String>,
    pub published: Option<String>,
    pub source: String,
    pub byline: Option<String>,
    /// Length of the text in code points.
    pub length: u64,
}

/// A document in an entity's list, with the entity's mentions in it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EntityDoc {
    pub doc: DocHead,
    pub mentions: u64,
}

/// How a dispute or corroboration group lines up.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DisputeRow {
    pub id: String,
    /// True when some claims contradict others; false when they agree.
    pub disputed: bool,
    pub claims: u64,
    pub about: String,
}

/// A claim as stored, with its dispute group and side.
#[derive(Debug, Clone, PartialEq)]
pub struct ClaimRow {
    pub claim: dossier_core::Claim,
    pub dispute: Option<String>,
    /// 0 or 1: claims on one side agree with each other.
    pub side: Option<u8>,
}

/// Filters for the corpus timeline.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct EventFilter {
    pub entity: Option<String>,
    pub kind: Option<String>,
    /// Day numbers (see `dossier_core::date`) bounding the events' dates;
    /// with either set, undated events are left out.
    pub from_day: Option<i64>,
    pub to_day: Option<i64>,
}

/// Filters for claims.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ClaimFilter {
    /// About this entity or said by it.
    pub entity: Option<String>,
    /// About this event.
    pub event: Option<String>,
    /// Only claims in a dispute.
    pub disputed: bool,
}

/// Rows `offset..offset+limit` of a list, and how many there are in all.
#[derive(Debug, Clone, PartialEq)]
pub struct Window<T> {
    pub total: u64,
    pub items: Vec<T>,
}

/// Corpus counts for the stats page.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Counts {
    pub documents: u64,
    pub entities: u64,
    pub entities_by_type: Vec<(String, u64)>,
    pub events: u64,
    pub events_by_type: Vec<(String, u64)>,
    pub relations: u64,
    pub relations_by_type: Vec<(String, u64)>,
    pub claims: u64,
    pub disputed_claims: u64,
    pub corroborated_claims: u64,
    pub times: u64,
    pub mentions: u64,
    pub published_first: Option<String>,
    pub published_last: Option<String>,
    /// Documents whose analysis is stored but not yet in the graph.
    pub pending: u64,
}

/// A span laid on a document's text, for the reader.
#[derive(Debug, Clone, PartialEq)]
pub struct DocLayer {
    pub start: u64,
    pub end: u64,
    pub text: String,
    /// `mention`, `description`, `time`, `event`, `relation`, `claim`.
    pub layer: &'static str,
    pub kind: Option<String>,
    pub target: Option<String>,
    pub label: String,
}

/// A sanctions list an entity was screened against.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ListRow {
    /// `ofac`, `un`, `ftm`.
    pub kind: String,
    pub source: String,
    pub list_date: Option<String>,
    /// The list's content version.
    pub digest: String,
    pub entries: u64,
    pub screened_at: String,
}

/// One list entry an entity was found to resemble.
#[derive(Debug, Clone, PartialEq)]
pub struct ScreeningRow {
    pub entity_id: String,
    pub list: String,
    pub list_id: String,
    /// The entry's primary name.
    pub name: String,
    pub score: f64,
    /// At or above the matcher's threshold.
    pub is_match: bool,
    /// The entry's content version.
    pub fingerprint: String,
    pub list_date: Option<String>,
    pub programs: String,
    /// The explanation, one sentence per line.
    pub explanation: String,
    /// The typed match as the screening stage encoded it.
    pub detail: Vec<u8>,
    /// When this entry was first found for the entity.
    pub first_seen: String,
}

/// A document's stored analysis blobs, as its stages encoded them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DocBlobs {
    pub doc: String,
    pub profile: Vec<u8>,
    pub facts: Vec<u8>,
}

/// A dispute or corroboration group to store: claims with their side.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DisputeGroup {
    pub id: String,
    pub disputed: bool,
    pub about: String,
    /// `(claim id, side)`.
    pub members: Vec<(String, u8)>,
}

/// A killing or death an entity is the victim of.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FateRow {
    /// `killing` or `death`.
    pub kind: String,
    pub date: Option<String>,
    /// Names of up to two places.
    pub places: Vec<String>,
    /// Documents reporting it.
    pub docs: u64,
}
