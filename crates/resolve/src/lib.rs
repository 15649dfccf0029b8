//! Resolve: mentions become entities.
//!
//! - [`local`]: within one document, short and variant names join the full
//!   name they fit, aliases join outright, and "he"/"she" join a person
//!   when the antecedent is clear. Descriptions are read from the parse.
//! - [`profile`]: each local entity condensed for comparison across
//!   documents (names, co-mentions, places, context words, fates).
//! - [`global`]: entity-centric, incremental clustering across documents
//!   with blocking, cannot-link constraints and recorded reasons.

pub mod cues;
pub mod global;
pub mod local;
pub mod name;
pub mod profile;

pub use global::{assess, Assessment, CorpusStats, Entity, Join, Member, Outcome, Resolver};
pub use local::{resolve_document, LocalEntity, LocalMention, MentionInput};
pub use profile::{profiles, Fate, Profile};
