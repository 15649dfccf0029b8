//! Names as a search finds them: folded parts, and the index keys under
//! which a name is stored and a query part is looked up. The build writes
//! [`index_keys`] for every name of an entity; a search looks up
//! [`query_keys`] of each query part (its spellings, known transliteration
//! variants and consonant skeleton), and scores the names it finds.

use crate::fold::{fold_latin, is_apostrophe, is_arabic_text, normalize_arabic};
use crate::phonetic::skeleton_folded;
use crate::table::Table;

/// Arabic definite articles as they are usually written in Latin names
/// ("al-Masri", "el-Sayed", "ash-Shami"): they carry no identity.
pub const ARTICLES: &[&str] = &["al", "el", "ul", "ad", "ar", "as", "ash", "at", "az", "an"];

/// One part of a name, in the forms it is compared in.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SearchPart {
    /// Folded spellings: one for Latin script, the known or letter-by-letter
    /// Latin renderings for Arabic script.
    pub forms: Vec<String>,
    pub article: bool,
}

/// The folded parts of a name or query: lowercase, diacritics and
/// apostrophes removed, split on spaces, hyphens and punctuation. Arabic
/// words are given in Latin (their known renderings, else letter by letter).
pub fn search_parts(s: &str) -> Vec<SearchPart> {
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
                out.push(SearchPart {
                    forms: vec!["al".into()],
                    article: true,
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
                out.push(SearchPart {
                    forms,
                    article: false,
                });
            }
            continue;
        }
        let f = fold(word);
        if f.is_empty() {
            continue;
        }
        let article = ARTICLES.contains(&f.as_str());
        out.push(SearchPart {
            forms: vec![f],
            article,
        });
    }
    out
}

/// Lower case, diacritics and punctuation removed.
pub fn fold(s: &str) -> String {
    fold_latin(s)
        .chars()
        .filter(|c| c.is_alphanumeric())
        .collect()
}

/// The parts that identify: all but articles, unless there is nothing else.
pub fn significant(parts: &[SearchPart]) -> Vec<&SearchPart> {
    let sig: Vec<&SearchPart> = parts.iter().filter(|p| !p.article).collect();
    if sig.is_empty() {
        parts.iter().collect()
    } else {
        sig
    }
}

/// Keys a name is stored under: each part's spellings (`f:`) and the
/// consonant skeletons (`s:`) of its significant parts. Articles are kept
/// as spellings, so a query of only "al" still finds names; their long
/// posting lists are cut by the search.
pub fn index_keys(name: &str) -> Vec<String> {
    let parts = search_parts(name);
    let mut keys: Vec<String> = Vec::new();
    for p in &parts {
        for f in &p.forms {
            push(&mut keys, format!("f:{f}"));
        }
    }
    for p in significant(&parts) {
        for f in &p.forms {
            push(&mut keys, format!("s:{}", skeleton_folded(f)));
        }
    }
    keys
}

/// Keys to look a query part up under: its spellings, the spellings the
/// transliteration table knows for them, and their consonant skeletons.
pub fn query_keys(part: &SearchPart) -> Vec<String> {
    let table = Table::embedded();
    let mut keys: Vec<String> = Vec::new();
    for f in &part.forms {
        push(&mut keys, format!("f:{f}"));
        for v in table.variants_of(f) {
            push(&mut keys, format!("f:{}", fold(v)));
        }
    }
    for f in &part.forms {
        push(&mut keys, format!("s:{}", skeleton_folded(f)));
    }
    keys
}

/// The key range holding every spelling that starts with `prefix`:
/// `[from, to)`, for a part still being typed.
pub fn prefix_range(prefix: &str) -> (String, String) {
    (format!("f:{prefix}"), format!("f:{prefix}\u{10FFFF}"))
}

fn push(keys: &mut Vec<String>, k: String) {
    if !keys.contains(&k) {
        keys.push(k);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names(s: &str) -> Vec<String> {
        search_parts(s)
            .into_iter()
            .filter_map(|p| p.forms.into_iter().next())
            .collect()
    }

    #[test]
    fn parts_fold_and_mark_articles() {
        assert_eq!(
            names("Abu Yusuf al-Tunisi"),
            ["abu", "yusuf", "al", "tunisi"]
        );
        assert_eq!(names("Ra’ūf  (el-Sayed)"), ["rauf", "el", "sayed"]);
        assert!(search_parts("al-Masri")[0].article);
        assert!(names("  -- ").is_empty());
    }

    #[test]
    fn a_query_finds_the_keys_a_variant_spelling_was_stored_under() {
        let stored = index_keys("Abu Mohammed al-Masri");
        assert!(
            !stored.iter().any(|k| k == "s:l"),
            "articles have no skeleton key"
        );
        let query = search_parts("Masry");
        let hit = query_keys(&query[0]).iter().any(|k| stored.contains(k));
        assert!(hit, "{stored:?} / {:?}", query_keys(&query[0]));
        let query = search_parts("Muhammad");
        assert!(query_keys(&query[0]).iter().any(|k| stored.contains(k)));
        let (from, to) = prefix_range("mas");
        assert!(stored.iter().any(|k| *k >= from && *k < to));
    }

    #[test]
    fn arabic_script_meets_latin() {
        let stored = index_keys("Abu Muhammad al-Masri");
        let query = search_parts("المصري");
        assert_eq!(query.len(), 2);
        assert!(query[0].article);
        assert!(query_keys(&query[1]).iter().any(|k| stored.contains(k)));
    }
}
