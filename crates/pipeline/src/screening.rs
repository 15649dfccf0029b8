//! Screening the knowledge base: every resolved person and organisation is
//! screened against sanctions lists with what the articles say about it
//! (its names and aliases, its type, nationalities and birth years read
//! from its descriptions). Results are stored with the lists' content
//! digests, so screening again after a list update says what is new.

use crate::codec::{encode, CodecError};
use dossier_screen::{Country, EntityType, ScreenMatch, Screener};
use dossier_store::{ListRow, Reader, ScreeningRow, Store, StoreError};
use std::collections::HashMap;

#[derive(Debug, thiserror::Error)]
pub enum ScreenError {
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error(transparent)]
    Codec(#[from] CodecError),
}

/// Matches kept per entity (the best ones), whether or not they pass the
/// threshold, so an analyst sees near misses too.
const KEPT_PER_ENTITY: usize = 3;
/// Scores below this are not kept at all.
const FLOOR: f64 = 0.05;
/// Entities read per page.
const PAGE: usize = 500;

/// What a knowledge-base screening found.
#[derive(Debug, Default, Clone, PartialEq)]
pub struct ScreenReport {
    pub entities: usize,
    pub matches: usize,
    /// Matches not found by the previous screening against these lists:
    /// `(entity name, entity id, list, list id, list name, score)`.
    pub new_matches: Vec<(String, String, String, String, String, f64)>,
    /// Matches whose list entry changed since it was last seen.
    pub changed_entries: usize,
    /// Matches the previous screening had and this one does not.
    pub gone: usize,
}

/// Nationalities and birth years a description states: "Egyptian
/// national", "a Saudi-born financier", "born in 1963".
fn from_descriptions(descriptions: &[String]) -> (Vec<Country>, Vec<dossier_core::Date>) {
    let mut countries: Vec<Country> = Vec::new();
    let mut births = Vec::new();
    for d in descriptions {
        let words: Vec<&str> = d
            .split(|c: char| !(c.is_alphanumeric() || c == '-'))
            .filter(|w| !w.is_empty())
            .collect();
        for (i, w) in words.iter().enumerate() {
            let stem = w.split('-').next().unwrap_or(w);
            if stem.chars().next().is_some_and(char::is_uppercase) {
                let c = Country::resolve(stem);
                if c.code.is_some() && !countries.iter().any(|x| x.code == c.code) {
                    countries.push(c);
                }
            }
            if w.eq_ignore_ascii_case("born") {
                let year = words[i + 1..]
                    .iter()
                    .take(3)
                    .find_map(|x| x.parse::<i32>().ok().filter(|y| (1850..=2030).contains(y)));
                if let Some(y) = year {
                    births.push(dossier_core::Date::year(y));
                }
            }
        }
    }
    (countries, births)
}

/// The screening query for a stored entity.
fn query_of(
    r: &dyn Reader,
    head: &dossier_store::EntityHead,
) -> Result<dossier_screen::Query, StoreError> {
    let mut q = dossier_screen::Query::name(&head.name);
    q.entity_type = match head.label.as_str() {
        "PERSON" => EntityType::Person,
        _ => EntityType::Organization,
    };
    for n in r.names(&head.id, 12)? {
        if n.text != head.name && dossier_screen::query::check_query_name(&n.text).is_ok() {
            q.aliases.push(n.text);
        }
    }
    let descriptions: Vec<String> = r
        .descriptions(&head.id, 20, 0)?
        .into_iter()
        .map(|d| d.text)
        .collect();
    let (countries, births) = from_descriptions(&descriptions);
    q.countries = countries;
    q.birth_dates = births;
    Ok(q)
}

fn row(entity: &str, m: &ScreenMatch, first_seen: &str) -> Result<ScreeningRow, CodecError> {
    let programs: Vec<String> = m
        .explanation
        .iter()
        .filter_map(|e| match e {
            dossier_screen::Explanation::Entry { programs, .. } => Some(programs.join(", ")),
            _ => None,
        })
        .collect();
    Ok(ScreeningRow {
        entity_id: entity.to_string(),
        list: m.list.as_str().to_string(),
        list_id: m.list_id.clone(),
        name: m.name.clone(),
        score: m.score,
        is_match: m.is_match,
        fingerprint: m.entry_fingerprint.clone(),
        list_date: m.list_date.map(|d| d.to_string()),
        programs: programs.join("; "),
        explanation: m
            .explanation
            .iter()
            .map(|e| e.to_string())
            .collect::<Vec<_>>()
            .join("\n"),
        detail: encode("screening match", m)?,
        first_seen: first_seen.to_string(),
    })
}

/// Screens every person and organisation of the knowledge base against the
/// screener's lists and stores the results in place of the previous ones.
pub fn screen_knowledge_base(
    store: &mut Store,
    screener: &Screener,
    now: &str,
) -> Result<ScreenReport, ScreenError> {
    let mut report = ScreenReport::default();
    let mut rows: Vec<ScreeningRow> = Vec::new();
    let previous: HashMap<(String, String, String), (String, bool, String)>;
    {
        let snap = store.snapshot()?;
        previous = snap
            .screenings(None, false, usize::MAX >> 2)?
            .into_iter()
            .map(|r| {
                (
                    (r.entity_id, r.list, r.list_id),
                    (r.fingerprint, r.is_match, r.first_seen),
                )
            })
            .collect();
        let mut offset = 0;
        loop {
            let page = snap.entities_by_label(&["PERSON", "ORG"], offset, PAGE)?;
            if page.items.is_empty() {
                break;
            }
            offset += page.items.len();
            for head in &page.items {
                report.entities += 1;
                let q = query_of(&snap, head)?;
                for m in screener
                    .screen(&q, KEPT_PER_ENTITY)
                    .into_iter()
                    .filter(|m| m.score >= FLOOR)
                {
                    let key = (
                        head.id.clone(),
                        m.list.as_str().to_string(),
                        m.list_id.clone(),
                    );
                    let before = previous.get(&key);
                    let first_seen = before.map_or(now, |p| p.2.as_str());
                    if m.is_match {
                        report.matches += 1;
                        match before {
                            Some((fp, true, _)) if *fp != m.entry_fingerprint => {
                                report.changed_entries += 1
                            }
                            Some((_, true, _)) => {}
                            _ => report.new_matches.push((
                                head.name.clone(),
                                head.id.clone(),
                                key.1.clone(),
                                m.list_id.clone(),
                                m.name.clone(),
                                m.score,
                            )),
                        }
                    }
                    rows.push(row(&head.id, &m, first_seen)?);
                }
            }
        }
    }
    let kept: std::collections::HashSet<(String, String, String)> = rows
        .iter()
        .filter(|r| r.is_match)
        .map(|r| (r.entity_id.clone(), r.list.clone(), r.list_id.clone()))
        .collect();
    let screened_lists: Vec<String> = screener
        .sources()
        .iter()
        .map(|s| s.kind.as_str().to_string())
        .collect();
    report.gone = previous
        .iter()
        .filter(|(k, v)| v.1 && screened_lists.contains(&k.1) && !kept.contains(*k))
        .count();
    let digests: HashMap<String, String> = screener
        .lists_digests()
        .into_iter()
        .map(|(k, d)| (k.as_str().to_string(), d))
        .collect();
    let lists: Vec<ListRow> = screener
        .sources()
        .iter()
        .map(|s| ListRow {
            kind: s.kind.as_str().to_string(),
            source: s.path.clone(),
            list_date: s.date.map(|d| d.to_string()),
            digest: digests.get(s.kind.as_str()).cloned().unwrap_or_default(),
            entries: screener
                .entries()
                .iter()
                .filter(|e| e.list == s.kind)
                .count() as u64,
            screened_at: now.to_string(),
        })
        .collect();
    store.replace_screening(&lists, &rows)?;
    Ok(report)
}

#[cfg(test)]
mod tests {
    use super::from_descriptions;

    #[test]
    fn nationality_and_birth_year_are_read_from_descriptions() {
        let (c, b) =
            from_descriptions(&["Egyptian national".into(), "a leader born in 1963".into()]);
        assert_eq!(c.len(), 1);
        assert_eq!(c[0].code.as_deref(), Some("EG"));
        assert_eq!(b, vec![dossier_core::Date::year(1963)]);
        let (c, b) = from_descriptions(&["the group's deputy leader".into()]);
        assert!(c.is_empty() && b.is_empty());
    }
}
