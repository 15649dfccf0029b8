//! The name model: how person and organisation names vary, and how to tell
//! two spellings of one name from two different names.
//!
//! - [`person::PersonName::parse`] splits a person name into tagged parts
//!   (titles, kunya, given name, patronymics, nisba, family name, initials),
//!   for Latin and Arabic script.
//! - [`table`] builds, from Arabic–Latin name pairs, the table of Latin
//!   spellings that render one Arabic spelling (Muhammad / Mohamed), and the
//!   learned letter renderings that transliterate Arabic script; the
//!   generated table ships as `data/variants.tsv`.
//! - [`phonetic`] has the consonant skeleton key and a weighted edit
//!   distance for Latin spellings the table does not know.
//! - [`compare::compare`] judges two person names (same / compatible /
//!   conflict / unrelated) with reasons, weighting parts by rarity
//!   ([`compare::PartStats`]); [`compare::blocking_keys`] gives keys for
//!   candidate generation. [`org`] does the same for organisations.

pub mod align;
pub mod compare;
pub mod fold;
pub mod gender;
pub mod org;
pub mod person;
pub mod phonetic;
pub mod quality;
pub mod search;
pub mod table;

pub use compare::{
    align, blocking_keys, compare, compare_with, AlignedPart, Alignment, Conflict, ConflictKind,
    MatchParams, NameMatch, PartMatch, PartStats, Verdict,
};
pub use gender::{given_name_gender, is_known_given_name, title_gender, Gender};
pub use org::{
    align_words, compare_org, ends_with_legal_form, is_spelled_key, is_stance_word, looks_like_org,
    org_blocking_keys, OrgName,
};
pub use person::{matching_text, strip_possessive, NamePart, Particle, PersonName, Role};
pub use quality::{not_a_name, NotAName};
pub use table::Table;

/// The rows of a lexicon in `data/`: lines that are neither blank nor
/// `#` comments.
pub(crate) fn data_lines(text: &str) -> impl Iterator<Item = &str> {
    text.lines()
        .filter(|line| !line.starts_with('#') && !line.trim().is_empty())
}

/// A one-word-per-row lexicon in `data/` as a set.
pub(crate) fn data_words(text: &'static str) -> std::collections::HashSet<&'static str> {
    data_lines(text).map(str::trim).collect()
}
