//! The read model over a Dossier export.
//!
//! [`Index`] takes an [`Export`] (from the store or from an export file) and
//! indexes it in memory once, so that every question an analyst asks is a
//! lookup rather than a scan:
//!
//! - [`Index::search`]: entities by name, fuzzy and transliteration-aware,
//!   each hit carrying the disambiguating [`Summary`] one-liner;
//! - [`Index::dossier`]: everything known about one entity, with evidence;
//! - [`Index::graph`]: an entity's neighbourhood (relations, shared events,
//!   co-mentions), bounded in depth and size;
//! - [`Index::timeline`]: events filtered by entity, type and date range;
//! - [`Index::claims`]: attributed statements with what supports and what
//!   contradicts them;
//! - [`Index::document`]: a document's text with every span laid on it;
//! - [`Index::stats`]: corpus counts.
//!
//! Offsets everywhere are Unicode code points, end exclusive, as in the
//! export contract. Spans whose offsets do not fit their document are left
//! out of the views and reported by [`Index::problems`].

mod build;
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

use dossier_core::Export;
use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

/// Largest page any paginated query returns.
pub const MAX_PAGE: usize = 100;
/// Page size when none is asked for.
pub const DEFAULT_PAGE: usize = 20;
/// Deepest graph neighbourhood.
pub const MAX_DEPTH: usize = 3;
/// Most nodes in one graph answer.
pub const MAX_GRAPH_NODES: usize = 200;
/// Most evidence spans listed per item (the total is always reported).
pub const MAX_EVIDENCE: usize = 25;

#[derive(Debug, thiserror::Error)]
pub enum QueryError {
    #[error("{path}: cannot read the export: {source}")]
    Read {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error("{path}: not a valid Dossier export: {source}")]
    Parse {
        path: PathBuf,
        #[source]
        source: serde_json::Error,
    },
}

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
    fn from_iter<I: IntoIterator<Item = T>>(all: I, page: Page) -> Paged<T> {
        let mut total = 0;
        let mut items = Vec::new();
        for (i, x) in all.into_iter().enumerate() {
            total += 1;
            if i >= page.offset && items.len() < page.limit {
                items.push(x);
            }
        }
        Paged {
            total,
            offset: page.offset,
            limit: page.limit,
            items,
        }
    }
}

/// Something wrong in the export that the index worked around.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Problem {
    /// What holds the bad reference: `entity <id>`, `claim <id>`, ...
    pub item: String,
    pub problem: String,
}

/// The in-memory index over one export. Cheap to share behind an `Arc`;
/// every query takes `&self`.
pub struct Index {
    export: Export,
    docs: HashMap<String, usize>,
    entities: HashMap<String, usize>,
    events: HashMap<String, usize>,
    claims: HashMap<String, usize>,
    /// Per document: code-point length of its text.
    doc_len: Vec<usize>,
    /// Per entity: documents it is mentioned or described in (sorted).
    entity_docs: Vec<Vec<usize>>,
    /// Per entity: events it takes part in or that happened there.
    entity_events: Vec<Vec<usize>>,
    /// Per entity: relations it is subject or object of.
    entity_relations: Vec<Vec<usize>>,
    /// Per entity: claims about it or made by it.
    entity_claims: Vec<Vec<usize>>,
    /// Per event: claims about it.
    event_claims: Vec<Vec<usize>>,
    /// Per document: entities mentioned in it.
    doc_entities: Vec<Vec<usize>>,
    /// Per document: claims, times, events, relations with evidence there.
    doc_claims: Vec<Vec<usize>>,
    doc_times: Vec<Vec<usize>>,
    doc_events: Vec<Vec<usize>>,
    doc_relations: Vec<Vec<usize>>,
    /// Per claim: supporting and contradicting claims, made symmetric.
    claim_supports: Vec<Vec<usize>>,
    claim_contradicts: Vec<Vec<usize>>,
    /// Events sorted by date (undated last).
    events_by_date: Vec<usize>,
    names: search::NameIndex,
    summaries: Vec<OnceLock<Summary>>,
    problems: Vec<Problem>,
}

impl Index {
    /// Index an export. Never fails: dangling references and spans outside
    /// their document are skipped and listed in [`Index::problems`].
    pub fn new(export: Export) -> Index {
        build::build(export)
    }

    /// Read and index an export file (`dossier export --format json`).
    pub fn from_export_file(path: &Path) -> Result<Index, QueryError> {
        let file = std::fs::File::open(path).map_err(|source| QueryError::Read {
            path: path.to_path_buf(),
            source,
        })?;
        let export: Export =
            serde_json::from_reader(std::io::BufReader::new(file)).map_err(|source| {
                QueryError::Parse {
                    path: path.to_path_buf(),
                    source,
                }
            })?;
        Ok(Index::new(export))
    }

    /// The export this index was built from.
    pub fn export(&self) -> &Export {
        &self.export
    }

    /// What was wrong in the export (dangling ids, spans out of range).
    pub fn problems(&self) -> &[Problem] {
        &self.problems
    }

    fn entity_idx(&self, id: &str) -> Option<usize> {
        self.entities.get(id).copied()
    }

    fn entity_ref(&self, i: usize) -> EntityRef {
        let e = &self.export.entities[i];
        EntityRef {
            id: e.id.clone(),
            name: e.name.clone(),
            kind: e.kind.clone(),
        }
    }

    /// An entity reference by id, if the id is known.
    pub fn entity_ref_by_id(&self, id: &str) -> Option<EntityRef> {
        self.entity_idx(id).map(|i| self.entity_ref(i))
    }
}

#[cfg(test)]
mod tests;
