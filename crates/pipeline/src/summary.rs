//! Per-entity summaries, computed at build time for the entities a corpus
//! step touched: the best-attested description, how the entity ended, who
//! and where it appears with, and when. Neighbours are stored by id and
//! named when read, so a renamed neighbour shows its new name.

use crate::corpus::CorpusError;
use dossier_names::search::{search_parts, ARTICLES};
use dossier_store::{CorpusTx, SummaryRow};
use std::collections::HashSet;

/// How many co-mentioned entities and places a summary names.
const KEY_NEIGHBOURS: usize = 3;
/// Documents of an entity its co-mentions are counted in (the ones that
/// mention it most): enough to tell namesakes apart, bounded for the
/// entities every article names.
const SAMPLE_DOCS: usize = 100;

const PLACE_TYPES: &[&str] = &["GPE", "LOC", "FAC"];

/// Significant (non-article) name parts.
fn significant_parts(name: &str) -> HashSet<String> {
    search_parts(name)
        .into_iter()
        .filter_map(|p| p.forms.into_iter().next())
        .filter(|p| !ARTICLES.contains(&p.as_str()))
        .collect()
}

/// Whether one name looks like a shorter or longer form of the other
/// ("Tunisi" next to "Abu Yusuf al-Tunisi"): an unmerged mention of the same
/// thing says nothing about who it is.
fn same_name(a: &str, b: &str) -> bool {
    let (a, b) = (significant_parts(a), significant_parts(b));
    !a.is_empty() && !b.is_empty() && (a.is_subset(&b) || b.is_subset(&a))
}

/// The summary of one stored entity.
pub fn summarise(
    tx: &CorpusTx<'_>,
    id: &str,
    label: &str,
    name: &str,
) -> Result<SummaryRow, CorpusError> {
    let description = tx.descriptions(id, 1)?.into_iter().next().map(|(d, _)| d);
    let fate = tx.fates(id)?.into_iter().next().map(|f| {
        let verb = if f.kind == "killing" {
            "killed"
        } else {
            "died"
        };
        let mut words = vec![verb.to_string()];
        if !f.places.is_empty() {
            words.push(format!("in {}", f.places.join(", ")));
        }
        if let Some(d) = f.date {
            words.push(d);
        }
        words.join(" ")
    });
    let mut with: Vec<(String, String)> = Vec::new();
    let mut places: Vec<(String, String)> = Vec::new();
    tx.neighbours(id, SAMPLE_DOCS, |other, other_label, other_name| {
        if same_name(name, other_name) {
            return true;
        }
        let list = if PLACE_TYPES.contains(&other_label) {
            &mut places
        } else {
            &mut with
        };
        // Two unmerged entities with one name would read as a repeat.
        if list.len() < KEY_NEIGHBOURS && !list.iter().any(|(_, n)| n == other_name) {
            list.push((other.to_string(), other_name.to_string()));
        }
        with.len() < KEY_NEIGHBOURS || places.len() < KEY_NEIGHBOURS
    })?;
    if PLACE_TYPES.contains(&label) {
        places.clear();
    }
    let (first_date, last_date, dates_from) = match tx.event_range(id)? {
        Some((a, b)) => (Some(a), Some(b), Some("events".to_string())),
        None => match tx.published_range(id)? {
            Some((a, b)) => (Some(a), Some(b), Some("published".to_string())),
            None => (None, None, None),
        },
    };
    Ok(SummaryRow {
        description,
        fate,
        first_date,
        last_date,
        dates_from,
        with: with.into_iter().map(|(id, _)| id).collect(),
        places: places.into_iter().map(|(id, _)| id).collect(),
    })
}

#[cfg(test)]
mod tests {
    use super::same_name;

    #[test]
    fn short_and_long_forms_are_the_same_name() {
        assert!(same_name("Abu Yusuf al-Tunisi", "Tunisi"));
        assert!(!same_name("Abu Yusuf al-Tunisi", "Tunisia"));
        assert!(!same_name("", "Tunisi"));
    }
}
