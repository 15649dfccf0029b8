//! The one-liner that tells entities sharing a name apart: what it is, how
//! sources describe it, how it ended, who and where it appears with, when,
//! and in how many documents. Computed at build time; neighbours are named
//! here, so renames show.

use crate::views::EntityRef;
use crate::{Query, Result};
use dossier_store::{EntityHead, SummaryRow};
use serde::Serialize;

/// The disambiguating summary of an entity (what `dossier who` prints).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Summary {
    pub id: String,
    #[serde(rename = "type")]
    pub kind: String,
    pub name: String,
    /// The best-attested description ("the group's deputy leader").
    pub description: Option<String>,
    /// How it ended, when its killing or death is reported: "killed in
    /// Tehran 2020-08-07".
    pub fate: Option<String>,
    /// The people and organisations it most often appears with.
    pub co_mentions: Vec<EntityRef>,
    /// Where its events happened, else the places named alongside it.
    pub places: Vec<EntityRef>,
    /// Date range of its events, else of the documents that mention it.
    pub first_date: Option<String>,
    pub last_date: Option<String>,
    /// `events` or `published`: where the date range comes from.
    pub dates_from: Option<String>,
    /// Number of documents that mention it.
    pub documents: usize,
    /// All of the above as one line of text.
    pub line: String,
}

pub(crate) fn type_word(kind: &str) -> &str {
    match kind {
        "PERSON" => "person",
        "ORG" => "organisation",
        "GPE" => "country, city or state",
        "LOC" => "location",
        "FAC" => "facility",
        "NORP" => "nationality or group",
        "EVENT" => "named event",
        "WORK_OF_ART" => "work",
        "LAW" => "law",
        "PRODUCT" => "product",
        other => other,
    }
}

impl Query<'_> {
    /// The summary of the entity with this id (after redirects).
    pub fn summary(&self, id: &str) -> Result<Option<Summary>> {
        let Some(id) = self.entity_id(id)? else {
            return Ok(None);
        };
        let Some(head) = self.r.entity(&id)? else {
            return Ok(None);
        };
        Ok(Some(self.summary_of(&head)?))
    }

    pub(crate) fn summary_of(&self, head: &EntityHead) -> Result<Summary> {
        let row = self.r.summary(&head.id)?.unwrap_or_default();
        let refs = |ids: &[String]| -> Result<Vec<EntityRef>> {
            Ok(self.r.entities(ids)?.iter().map(EntityRef::from).collect())
        };
        let co_mentions = refs(&row.with)?;
        let places = refs(&row.places)?;
        // Only a small entity can be made of unresolved names alone.
        let unresolved = head.docs <= UNRESOLVED_MAX_DOCS && self.r.unresolved(&head.id)?;
        Ok(render(head, row, co_mentions, places, unresolved))
    }
}

/// Entities of more documents are not checked for being unresolved names:
/// a bound on the cost of a one-liner, as such names seldom gather in more
/// than a few documents.
const UNRESOLVED_MAX_DOCS: u64 = 3;

fn render(
    head: &EntityHead,
    row: SummaryRow,
    co_mentions: Vec<EntityRef>,
    places: Vec<EntityRef>,
    unresolved: bool,
) -> Summary {
    let mut line = vec![type_word(&head.label).to_string()];
    if unresolved {
        // Said first: it is why this entity stands apart from the people
        // of that name.
        line.push("a name its article leaves unresolved between several people".into());
    }
    if let Some(d) = &row.description {
        line.push(d.clone());
    }
    if let Some(f) = &row.fate {
        line.push(f.clone());
    }
    if !co_mentions.is_empty() {
        let names: Vec<&str> = co_mentions.iter().map(|p| p.name.as_str()).collect();
        line.push(format!("with {}", names.join(", ")));
    }
    if !places.is_empty() {
        let names: Vec<&str> = places.iter().map(|p| p.name.as_str()).collect();
        line.push(format!("in {}", names.join(", ")));
    }
    match (&row.first_date, &row.last_date, row.dates_from.as_deref()) {
        (Some(a), Some(b), Some(src)) => {
            let range = if a == b {
                a.clone()
            } else {
                format!("{a} – {b}")
            };
            line.push(if src == "events" {
                range
            } else {
                format!("reported {range}")
            });
        }
        _ => line.push("undated".into()),
    }
    line.push(if head.docs == 1 {
        "1 document".into()
    } else {
        format!("{} documents", head.docs)
    });
    Summary {
        id: head.id.clone(),
        kind: head.label.clone(),
        name: head.name.clone(),
        description: row.description,
        fate: row.fate,
        co_mentions,
        places,
        first_date: row.first_date,
        last_date: row.last_date,
        dates_from: row.dates_from,
        documents: head.docs as usize,
        line: line.join(" · "),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_line_names_what_is_known() {
        let head = EntityHead {
            id: "e1".into(),
            label: "PERSON".into(),
            kind: "person".into(),
            name: "Abu Mohammed al-Masri".into(),
            docs: 4,
            mentions: 20,
        };
        let row = SummaryRow {
            description: Some("al-Qaeda's second-in-command".into()),
            fate: Some("killed in Tehran 2020-08-07".into()),
            first_date: Some("2020-08-07".into()),
            last_date: Some("2020-08-07".into()),
            dates_from: Some("events".into()),
            ..SummaryRow::default()
        };
        let places = vec![EntityRef {
            id: "p".into(),
            name: "Tehran".into(),
            kind: "GPE".into(),
        }];
        let s = render(&head, row, Vec::new(), places, false);
        assert_eq!(
            s.line,
            "person · al-Qaeda's second-in-command · killed in Tehran 2020-08-07 · in Tehran · 2020-08-07 · 4 documents"
        );
        let bare = render(&head, SummaryRow::default(), Vec::new(), Vec::new(), false);
        assert_eq!(bare.line, "person · undated · 4 documents");
        let unresolved = render(&head, SummaryRow::default(), Vec::new(), Vec::new(), true);
        assert_eq!(
            unresolved.line,
            "person · a name its article leaves unresolved between several people · undated · 4 documents"
        );
    }
}
