//! Entity search by name: every query part must match some part of a name,
//! exactly, as a known transliteration variant, as a sound-alike or a near
//! spelling (all judged by `dossier-names`), or (for the part being typed)
//! as a prefix. Candidates come from the name keys the build stored, looked
//! up from the query's rarest part; only those are scored.

use crate::summary::Summary;
use crate::{Page, Paged, Query, Result};
use dossier_names::compare::{match_latin, MatchParams};
use dossier_names::search::{prefix_range, query_keys, search_parts, SearchPart};
use dossier_names::table::Table;
use serde::Serialize;
use std::collections::HashMap;

/// Most candidate entities one query part fetches: a part as common as
/// "al" or "John" is looked up, but its long tail is not scored.
const MAX_CANDIDATES: usize = 2000;

/// The folded parts of a name or query (see `dossier_names::search`).
pub fn name_parts(s: &str) -> Vec<String> {
    search_parts(s)
        .into_iter()
        .filter_map(|p| p.forms.into_iter().next())
        .collect()
}

/// How well query part `q` matches name part `n` (0 = not at all).
/// `typing` is true for the last query part, which may be unfinished.
fn part_score(q: &str, n: &str, typing: bool) -> f64 {
    // Exact, transliteration variant, sound-alike or near spelling: the
    // name model's part matcher, with its strengths.
    if let Some(m) = match_latin(q, n, Table::embedded(), &MatchParams::default()) {
        return m.strength();
    }
    let (lq, ln) = (q.chars().count(), n.chars().count());
    if typing && lq >= 2 && ln > lq && n.starts_with(q) {
        return 0.5 + 0.4 * lq as f64 / ln as f64;
    }
    0.0
}

fn best_form_score(q: &SearchPart, n: &SearchPart, typing: bool) -> f64 {
    let mut best = 0.0f64;
    for qf in &q.forms {
        for nf in &n.forms {
            best = best.max(part_score(qf, nf, typing));
        }
    }
    best
}

/// The query parts that count: the significant ones, or all of them when
/// the query is only articles. Returns their indices.
fn counted(query: &[SearchPart]) -> Vec<usize> {
    let significant: Vec<usize> = (0..query.len()).filter(|&i| !query[i].article).collect();
    if significant.is_empty() {
        (0..query.len()).collect()
    } else {
        significant
    }
}

/// Score of a query against one name, in 0..=1; `None` when some query part
/// matches nothing.
fn name_score(query: &[SearchPart], q: &[usize], name: &[SearchPart]) -> Option<f64> {
    let only_articles = q.iter().all(|&i| query[i].article);
    // At most 64 name parts take part (a bit each in `used`).
    let keep = |p: &&SearchPart| only_articles || !p.article;
    let n_len = name.iter().filter(keep).take(64).count();
    if q.is_empty() || n_len == 0 {
        return None;
    }
    let mut total = 0.0;
    let mut used: u64 = 0;
    for (k, &qi) in q.iter().enumerate() {
        let typing = k + 1 == q.len();
        let mut best = (0.0, usize::MAX);
        for (ni, np) in name.iter().filter(keep).take(64).enumerate() {
            let s = best_form_score(&query[qi], np, typing);
            // Prefer a name part not already taken by an earlier query part.
            let s = if used & (1 << ni) != 0 { s * 0.5 } else { s };
            if s > best.0 {
                best = (s, ni);
            }
        }
        if best.1 == usize::MAX {
            return None;
        }
        used |= 1 << best.1;
        total += best.0;
    }
    let mean = total / q.len() as f64;
    let coverage = used.count_ones() as f64 / n_len as f64;
    // Naming more of the name helps, but less than how well each part matched:
    // "al-Tunisi" is closer to "Abu Yusuf al-Tunisi" than to "Tunisia".
    Some(mean * (0.9 + 0.1 * coverage))
}

/// A search result: the entity's one-liner and how it matched.
#[derive(Debug, Clone, Serialize)]
pub struct SearchHit {
    /// Match quality in 0..=1 (1 = the query is exactly one of its names).
    pub score: f64,
    /// The name or alias that matched best.
    pub matched: String,
    pub entity: Summary,
}

impl Query<'_> {
    /// Entities whose names match `query`, best first. `kind` keeps only one
    /// entity type (`PERSON`, `ORG`, ...). An empty query matches nothing.
    pub fn search(&self, query: &str, kind: Option<&str>, page: Page) -> Result<Paged<SearchHit>> {
        let q = search_parts(query);
        let counted = counted(&q);
        if counted.is_empty() {
            return Ok(Paged::new(0, page, Vec::new()));
        }
        // Candidates: entities with a name key of the first counted part
        // (exact spellings, variants, skeleton; a prefix for a part being
        // typed). Every counted part must match, so one part suffices to
        // find them all.
        let mut candidates: Vec<(String, String)> = Vec::new();
        for (k, &qi) in counted.iter().enumerate() {
            let typing = k + 1 == counted.len();
            let mut found = self
                .r
                .name_candidates(&query_keys(&q[qi]), MAX_CANDIDATES)?;
            if typing {
                for f in &q[qi].forms {
                    let (from, to) = prefix_range(f);
                    found.extend(self.r.name_candidates_in(&from, &to, MAX_CANDIDATES)?);
                }
            }
            if k == 0 || found.len() < candidates.len() {
                candidates = found;
            }
        }
        let mut best: HashMap<String, (f64, String)> = HashMap::new();
        for (entity, name) in candidates {
            let Some(s) = name_score(&q, &counted, &search_parts(&name)) else {
                continue;
            };
            let slot = best.entry(entity).or_insert((0.0, String::new()));
            if s > slot.0 {
                *slot = (s, name);
            }
        }
        let ids: Vec<String> = best.keys().cloned().collect();
        let mut hits: Vec<(f64, String, dossier_store::EntityHead)> = self
            .r
            .entities(&ids)?
            .into_iter()
            .filter(|h| kind.is_none_or(|k| k == h.label))
            .filter_map(|h| best.remove(&h.id).map(|(s, n)| (s, n, h)))
            .collect();
        hits.sort_by(|a, b| {
            b.0.total_cmp(&a.0)
                .then(b.2.docs.cmp(&a.2.docs))
                .then(a.2.name.cmp(&b.2.name))
                .then(a.2.id.cmp(&b.2.id))
        });
        let total = hits.len() as u64;
        let items = hits
            .into_iter()
            .skip(page.offset)
            .take(page.limit)
            .map(|(s, matched, head)| {
                Ok(SearchHit {
                    score: (s * 1000.0).round() / 1000.0,
                    matched,
                    entity: self.summary_of(&head)?,
                })
            })
            .collect::<Result<Vec<_>>>()?;
        Ok(Paged::new(total, page, items))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn score(q: &str, n: &str) -> Option<f64> {
        let q = search_parts(q);
        name_score(&q, &counted(&q), &search_parts(n))
    }

    #[test]
    fn exact_beats_variant_beats_prefix() {
        let exact = score("al-Masri", "Abu Muhammad al-Masri").unwrap();
        let sound = score("al-Masry", "Abu Muhammad al-Masri").unwrap();
        let prefix = score("al-Mas", "Abu Muhammad al-Masri").unwrap();
        assert!(exact > sound, "{exact} {sound}");
        assert!(sound > prefix, "{sound} {prefix}");
        assert!(score("Mohamed", "Muhammad").unwrap() > 0.8);
    }

    #[test]
    fn every_query_part_must_match() {
        assert!(score("Muhammad Masri", "Abu Muhammad al-Masri").is_some());
        assert!(score("Muhsin Masri", "Abu Muhammad al-Masri").is_none());
        assert!(score("Zawahiri", "Abu Muhammad al-Masri").is_none());
    }

    #[test]
    fn an_exact_part_beats_a_prefix_of_a_longer_word() {
        let exact = score("al-Tunisi", "Abu Yusuf al-Tunisi").unwrap();
        let prefix = score("al-Tunisi", "Tunisia").unwrap();
        assert!(exact > prefix, "{exact} {prefix}");
    }

    #[test]
    fn fuller_coverage_ranks_higher() {
        let full = score("Abu Muhammad al-Masri", "Abu Muhammad al-Masri").unwrap();
        let part = score("Masri", "Abu Muhammad al-Masri").unwrap();
        assert!(full > part);
        assert!((full - 1.0).abs() < 1e-9);
    }

    #[test]
    fn part_scores_follow_the_name_model() {
        assert_eq!(part_score("masri", "masri", false), 1.0);
        assert!(part_score("masry", "masri", false) >= 0.75);
        assert!(part_score("mohamed", "muhammad", false) >= 0.75);
        assert_eq!(part_score("zawahiri", "masri", false), 0.0);
        assert!(part_score("mas", "masri", true) > 0.0);
        assert_eq!(part_score("mas", "masri", false), 0.0);
    }
}
