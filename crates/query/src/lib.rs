//! The read model over a stored knowledge base.
//!
//! [`Query`] answers an analyst's questions from a store's [`Reader`] (one
//! read transaction): every answer is a handful of indexed lookups bounded
//! by its page size, never a scan of the corpus.
//!
//! - [`Query::search`]: entities by name, fuzzy and transliteration-aware,
//!   each hit carrying the disambiguating [`Summary`] one-liner;
//! - [`Query::dossier`]: everything known about one entity, every list
//!   paged with its total;
//! - [`Query::graph`]: an entity's neighbourhood, bounded in depth and size;
//! - [`Query::timeline`]: events filtered by entity, type and date range;
//! - [`Query::claims`] and [`Query::disputes`]: statements with what
//!   supports and contradicts them, in the dispute groups the build stored;
//! - [`Query::document`]: a document's text with its spans laid on it;
//! - [`Query::stats`]: corpus counts.
//!
//! Offsets everywhere are Unicode code points, end exclusive, as in the
//! export contract.

mod dates;
mod graph;
mod search;
mod summary;
mod views;

pub use dates::DateBound;
pub use graph::{Graph, GraphEdge, GraphNode};
pub use search::{name_parts, SearchHit};
pub use summary::Summary;
pub use views::*;

use dossier_store::{Reader, StoreError};

/// Largest page any paginated query returns.
pub const MAX_PAGE: usize = 100;
/// Page size when none is asked for.
pub const DEFAULT_PAGE: usize = 20;
/// Deepest graph neighbourhood.
pub const MAX_DEPTH: usize = 3;
/// Most nodes in one graph answer.
pub const MAX_GRAPH_NODES: usize = 200;
/// Most evidence spans listed per item (the total is always reported).
pub const MAX_EVIDENCE: usize = 10;
/// Most supporting or contradicting claims listed with a claim.
pub const MAX_LINKED: usize = 10;

#[derive(Debug, thiserror::Error)]
pub enum QueryError {
    #[error(transparent)]
    Store(#[from] StoreError),
}

pub type Result<T> = std::result::Result<T, QueryError>;

/// A window into a result list. `limit` is capped at [`MAX_PAGE`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Page {
    pub offset: usize,
    pub limit: usize,
}

impl Page {
    pub fn new(offset: usize, limit: usize) -> Page {
        Page {
            offset,
            limit: limit.clamp(1, MAX_PAGE),
        }
    }
}

impl Default for Page {
    fn default() -> Page {
        Page::new(0, DEFAULT_PAGE)
    }
}

/// One page of results and how many there are in all.
#[derive(Debug, Clone, serde::Serialize)]
pub struct Paged<T> {
    pub total: usize,
    pub offset: usize,
    pub limit: usize,
    pub items: Vec<T>,
}

impl<T> Paged<T> {
    pub(crate) fn new(total: u64, page: Page, items: Vec<T>) -> Paged<T> {
        Paged {
            total: total as usize,
            offset: page.offset,
            limit: page.limit,
            items,
        }
    }

    pub(crate) fn try_map<U>(self, f: impl FnMut(T) -> Result<U>) -> Result<Paged<U>> {
        Ok(Paged {
            total: self.total,
            offset: self.offset,
            limit: self.limit,
            items: self.items.into_iter().map(f).collect::<Result<_>>()?,
        })
    }
}

/// The questions an analyst asks, answered from one consistent view of
/// the store.
pub struct Query<'r> {
    r: &'r dyn Reader,
}

impl<'r> Query<'r> {
    pub fn new(r: &'r dyn Reader) -> Query<'r> {
        Query { r }
    }

    /// The live id of an entity, following the redirect of an entity that
    /// was merged into another or renamed; `None` for an unknown id.
    pub fn entity_id(&self, id: &str) -> Result<Option<String>> {
        Ok(self.r.live_entity_id(id)?)
    }
}

#[cfg(test)]
mod tests;
