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
//! - The score is a logistic model's probability that the query and the
//!   entry are the same person or body ([`model`]). Its name weights are
//!   fitted on the candidate pairs of the DEV split of `dossier eval
//!   screen` (every entry the index proposes for a dev query, labelled by
//!   the UN<->OFAC links), so it is calibrated on that mix of cross-list
//!   variants and non-listed names, not on a real customer population:
//!   read 0.9 as "nine in ten candidate pairs scored so on the dev data were
//!   the same person". The default threshold (`threshold` in
//!   `data/model.tsv`) is the best dev decision F1 with a dev false-positive
//!   rate of at most 0.5%; it is a probability, and a low one (about 0.33),
//!   because missing a listed person costs more than a second look.
//!   Dates, countries, type and identifiers add hand-set log-odds
//!   (`adjust` rows), not fitted.
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
