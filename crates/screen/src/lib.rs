//! Sanctions screening with explanations.
//!
//! - Lists: [`ofac`] (SDN legacy CSV), [`un`] (consolidated XML), [`ftm`]
//!   (FollowTheMoney JSON lines), each read whole into typed
//!   [`entry::ListEntry`] values or refused with an error naming the file and
//!   line ([`load::load`]). Weak aliases are kept and marked.
//! - Matching ([`screener::Screener`]): candidates from an inverted index
//!   over name-part keys (bounded posting use), then part-by-part alignment
//!   with the `dossier-names` model (order, transliteration, Arabic script,
//!   kunya/nisba/particles, typos), parts weighted by how rare they are on
//!   the loaded lists, plus dates of birth, countries, type and identifiers.
//! - The score is a logistic model's probability that query and entry are
//!   the same person or body ([`model`]): its name weights and the default
//!   threshold are fitted on the DEV split of `dossier eval screen` and
//!   stored in `data/model.tsv`. It is calibrated on that data's mix of
//!   cross-list variants and non-listed names, not on any real customer
//!   population: read 0.9 as "nine in ten such matches on the dev data were
//!   right", not as a universal probability.
//! - Every match carries typed [`explain::Explanation`] items; their
//!   `Display` is the sentence for the compliance file.
//! - [`api`] has the request/response types and handlers of a yente-like
//!   `/match` endpoint and an OpenRefine reconciliation service; [`batch`]
//!   the batch JSON/CSV output.

pub mod api;
pub mod batch;
pub mod country;
pub mod csv;
pub mod entry;
pub mod evidence;
pub mod explain;
pub mod ftm;
pub mod load;
pub mod model;
pub mod ofac;
pub mod query;
pub mod screener;
pub mod un;

pub use country::Country;
pub use entry::{BirthDate, EntityType, ListEntry, ListKind, ListName, SanctionsList, Strength};
pub use explain::Explanation;
pub use load::{load, load_all, ListSpec, LoadError};
pub use query::Query;
pub use screener::{ScreenMatch, Screener};
