//! Entity search by name: every query part must match some part of a name,
//! exactly, as a known transliteration variant, as a sound-alike or a near
//! spelling (all judged by `dossier-names`), or (for the part being typed)
//! as a prefix.

use crate::summary::Summary;
use crate::{Index, Page, Paged};
use dossier_core::{Entity, MentionKind};
use dossier_names::compare::{match_latin, MatchParams};
use dossier_names::fold::{fold_latin, is_apostrophe, is_arabic_text, normalize_arabic};
use dossier_names::table::Table;
use serde::Serialize;
use std::collections::{HashMap, HashSet};

/// Arabic definite articles as they are usually written in Latin names
/// ("al-Masri", "el-Sayed", "ash-Shami"): they carry no identity.
const ARTICLES: &[&str] = &["al", "el", "ul", "ad", "ar", "as", "ash", "at", "az", "an"];

/// One part of a name, in the forms it is compared in.
#[derive(Debug, Clone)]
struct Part {
    /// Folded spellings: one for Latin script, the known or letter-by-letter
    /// Latin renderings for Arabic script.
    forms: Vec<String>,
    article: bool,
    /// Vocabulary ids of `forms` (names in the index only).
    ids: Vec<u32>,
}

/// The folded parts of a name or query: lowercase, diacritics and
/// apostrophes removed, split on spaces, hyphens and punctuation. Arabic
/// words are given in Latin (their known renderings, else letter by letter).
pub fn name_parts(s: &str) -> Vec<String> {
    parts(s)
        .into_iter()
        .filter_map(|p| p.forms.into_iter().next())
        .collect()
}

fn parts(s: &str) -> Vec<Part> {
    let table = Table::embedded();
    let mut out = Vec::new();
    for word in s.split(|c: char| !(c.is_alphanumeric() || is_apostrophe(c))) {
        if word.is_empty() {
            continue;
        }
        if is_arabic_text(word) {
            let norm = normalize_arabic(word);
            // The Arabic article is written joined: "المصري" = al + masri.
            let (article, body) = match norm.strip_prefix("ال") {
                Some(rest) if rest.chars().count() >= 2 => (true, rest.to_string()),
                _ => (false, norm),
            };
            if article {
                out.push(Part {
                    forms: vec!["al".into()],
                    article: true,
                    ids: Vec::new(),
                });
            }
            let mut forms: Vec<String> = table
                .latin_for_arabic(&body)
                .iter()
                .map(|l| fold(l))
                .collect();
            let letters = fold(&table.transliterate(&body));
            if !letters.is_empty() {
                forms.push(letters);
            }
            forms.dedup();
            if !forms.is_empty() {
                out.push(Part {
                    forms,
                    article: false,
                    ids: Vec::new(),
                });
            }
            continue;
        }
        let f = fold(word);
        if f.is_empty() {
            continue;
        }
        let article = ARTICLES.contains(&f.as_str());
        out.push(Part {
            forms: vec![f],
            article,
            ids: Vec::new(),
        });
    }
    out
}

fn fold(s: &str) -> String {
    fold_latin(s)
        .chars()
        .filter(|c| c.is_alphanumeric())
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

struct NameEntry {
    entity: usize,
    text: String,
    parts: Vec<Part>,
}

/// Every name each entity goes by, pre-split for matching. Name parts are
/// interned: a query part is compared once with each distinct part, not
/// once per name that contains it.
pub(crate) struct NameIndex {
    entries: Vec<NameEntry>,
    vocab: Vec<String>,
}

impl NameIndex {
    pub(crate) fn build(entities: &[Entity]) -> NameIndex {
        let mut entries = Vec::new();
        let mut vocab: Vec<String> = Vec::new();
        let mut ids: HashMap<String, u32> = HashMap::new();
        for (i, e) in entities.iter().enumerate() {
            let mut seen = HashSet::new();
            let named = e
                .mentions
                .iter()
                .filter(|m| matches!(m.kind, None | Some(MentionKind::Name)))
                .map(|m| m.text.as_str());
            for text in std::iter::once(e.name.as_str())
                .chain(e.aliases.iter().map(String::as_str))
                .chain(named)
            {
                let mut parts = parts(text);
                let key: Vec<&str> = parts.iter().map(|p| p.forms[0].as_str()).collect();
                if parts.is_empty() || !seen.insert(key.join(" ")) {
                    continue;
                }
                for p in &mut parts {
                    p.ids = p
                        .forms
                        .iter()
                        .map(|f| {
                            *ids.entry(f.clone()).or_insert_with(|| {
                                vocab.push(f.clone());
                                (vocab.len() - 1) as u32
                            })
                        })
                        .collect();
                }
                entries.push(NameEntry {
                    entity: i,
                    text: text.to_string(),
                    parts,
                });
            }
        }
        NameIndex { entries, vocab }
    }
}

#[cfg(test)]
fn best_form_score(q: &Part, n: &Part, typing: bool) -> f64 {
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
fn counted(query: &[Part]) -> Vec<usize> {
    let significant: Vec<usize> = (0..query.len()).filter(|&i| !query[i].article).collect();
    if significant.is_empty() {
        (0..query.len()).collect()
    } else {
        significant
    }
}

/// Score of a query against one name, in 0..=1; `None` when some query part
/// matches nothing. `q` are the counted query parts ([`counted`]);
/// `score(qi, typing, part)` scores query part `qi` against one part of the
/// name. Allocation-free: it runs once per name in the index.
fn name_score(
    query: &[Part],
    q: &[usize],
    name: &[Part],
    score: &dyn Fn(usize, bool, &Part) -> f64,
) -> Option<f64> {
    let only_articles = q.iter().all(|&i| query[i].article);
    // At most 64 name parts take part (a bit each in `used`).
    let keep = |p: &&Part| only_articles || !p.article;
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
            let s = score(qi, typing, np);
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

impl Index {
    /// Entities whose names match `query`, best first. `kind` keeps only one
    /// entity type (`PERSON`, `ORG`, ...). An empty query matches nothing.
    pub fn search(&self, query: &str, kind: Option<&str>, page: Page) -> Paged<SearchHit> {
        let q = parts(query);
        let mut best: Vec<Option<(f64, usize)>> = vec![None; self.export.entities.len()];
        // Each counted query part against each distinct name part, once.
        let vocab = &self.names.vocab;
        let mut memo: Vec<Vec<f64>> = vec![Vec::new(); q.len()];
        let counted = counted(&q);
        for (k, &qi) in counted.iter().enumerate() {
            let typing = k + 1 == counted.len();
            memo[qi] = vocab
                .iter()
                .map(|v| {
                    q[qi]
                        .forms
                        .iter()
                        .map(|f| part_score(f, v, typing))
                        .fold(0.0, f64::max)
                })
                .collect();
        }
        let score = |qi: usize, _typing: bool, p: &Part| -> f64 {
            p.ids
                .iter()
                .map(|&v| memo[qi].get(v as usize).copied().unwrap_or(0.0))
                .fold(0.0, f64::max)
        };
        if !q.is_empty() {
            for (k, entry) in self.names.entries.iter().enumerate() {
                let e = &self.export.entities[entry.entity];
                if kind.is_some_and(|t| t != e.kind) {
                    continue;
                }
                if let Some(s) = name_score(&q, &counted, &entry.parts, &score) {
                    let slot = &mut best[entry.entity];
                    let better = match slot {
                        Some((b, _)) => s > *b,
                        None => true,
                    };
                    if better {
                        *slot = Some((s, k));
                    }
                }
            }
        }
        let mut hits: Vec<(f64, usize, usize)> = best
            .iter()
            .enumerate()
            .filter_map(|(e, b)| b.map(|(s, k)| (s, e, k)))
            .collect();
        hits.sort_by(|a, b| {
            b.0.total_cmp(&a.0)
                .then(
                    self.entity_docs[b.1]
                        .len()
                        .cmp(&self.entity_docs[a.1].len()),
                )
                .then(
                    self.export.entities[a.1]
                        .name
                        .cmp(&self.export.entities[b.1].name),
                )
        });
        Paged::from_iter(hits, page).map_items(|(s, e, k)| SearchHit {
            score: (s * 1000.0).round() / 1000.0,
            matched: self.names.entries[k].text.clone(),
            entity: self.summary_at(e).clone(),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn score(q: &str, n: &str) -> Option<f64> {
        let q = parts(q);
        let by_strings = |qi: usize, typing: bool, np: &Part| best_form_score(&q[qi], np, typing);
        name_score(&q, &counted(&q), &parts(n), &by_strings)
    }

    #[test]
    fn parts_fold_and_mark_articles() {
        assert_eq!(
            name_parts("Abu Yusuf al-Tunisi"),
            ["abu", "yusuf", "al", "tunisi"]
        );
        assert_eq!(name_parts("Ra’ūf  (el-Sayed)"), ["rauf", "el", "sayed"]);
        assert!(parts("al-Masri")[0].article);
        assert!(name_parts("  -- ").is_empty());
    }

    #[test]
    fn arabic_script_splits_the_article_and_transliterates() {
        let p = parts("المصري");
        assert_eq!(p.len(), 2);
        assert!(p[0].article);
        assert!(p[1].forms.iter().all(|f| !f.is_empty()));
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
