//! Resolve: mentions become entities.
//!
//! - [`local`]: within one document, short and variant names join the full
//!   name they fit, aliases join outright, and "he"/"she" join a person
//!   when the antecedent is clear. Descriptions are read from the parse.
//! - [`profile`]: each local entity condensed for comparison across
//!   documents (names, co-mentions, places, context words, fates).
//! - [`state`]: an entity's members merged into a bounded state.
//! - [`model`]: the Fellegi–Sunter match model, its parameters as data.
//! - [`retype`]: the corpus's vote on the type of a one-word name the
//!   tagger typed differently in one document ("Trump" as ORG).
//! - [`global`]: incremental clustering across documents with bounded
//!   blocks, cannot-links, analysts' judgements and recorded reasons.

pub mod cues;
pub mod global;
pub mod local;
pub mod model;
pub mod name;
pub mod profile;
pub mod retype;
pub mod state;

pub use global::{
    compare, document_counts, named_apart_in, state_counts, Added, Assessment, Changed,
    CorpusStats, Judgements, Outcome, Resolver, StoredEntity, DOCUMENTS_KEY, MAX_BLOCK,
};
pub use local::{resolve_document, LocalEntity, LocalMention, MentionInput};
pub use model::Model;
pub use profile::{profiles, Fate, Profile};
pub use retype::{as_person_name, person_name_keys, retype, vote_keys};
pub use state::{EntityState, MemberRef};
