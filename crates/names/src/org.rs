//! Organisation names: normalisation, acronyms and the qualifier rule.
//!
//! Two organisation names are the same when their significant words match
//! one to one (allowing transliteration variants: "al Qaida" / "Al-Qaeda"),
//! or when one is the acronym of the other ("CIA" / "Central Intelligence
//! Agency"). A fuzzy match never links names that differ by a qualifying
//! phrase: "Al-Qaeda in the Indian Subcontinent" is not "Al-Qaeda", and
//! "State Department" is not "Treasury Department".

use crate::compare::{match_latin, MatchParams, NameMatch, Verdict};
use crate::fold::{fold_latin, is_apostrophe, is_hyphen};
use crate::table::Table;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OrgName {
    pub text: String,
    /// Significant words, folded: articles ("the", "al"), legal suffixes
    /// and punctuation removed, abbreviations expanded.
    pub words: Vec<String>,
    /// All folded words in order (stopwords kept), for acronyms.
    pub all_words: Vec<String>,
    /// The name itself looks like an acronym ("CIA", "U.N.", "AQIS").
    pub acronym: Option<String>,
}

const STOPWORDS: &[&str] = &[
    "of", "the", "and", "for", "in", "on", "at", "to", "de", "des", "du", "la", "le", "del", "da",
    "y", "et",
];
const ARTICLES: &[&str] = &["the", "al", "el", "a", "an"];
const LEGAL_SUFFIXES: &[&str] = &[
    "inc",
    "incorporated",
    "corp",
    "ltd",
    "limited",
    "llc",
    "plc",
    "co",
    "gmbh",
    "ag",
    "sa",
    "nv",
    "bv",
    "llp",
    "lp",
];
/// Generic head words a writer may drop without naming another body.
const GENERIC: &[&str] = &[
    "group",
    "organization",
    "organisation",
    "movement",
    "network",
    "militia",
    "company",
    "corporation",
];

fn expand(w: &str) -> &str {
    match w {
        "dept" => "department",
        "govt" => "government",
        "intl" => "international",
        "natl" => "national",
        "assn" | "assoc" => "association",
        "univ" => "university",
        "corp" => "corporation",
        "min" => "ministry",
        "&" => "and",
        _ => w,
    }
}

impl OrgName {
    pub fn parse(s: &str) -> OrgName {
        let text = s.to_string();
        let trimmed = s.trim();
        let trimmed = trimmed
            .strip_suffix("'s")
            .or_else(|| trimmed.strip_suffix("’s"))
            .unwrap_or(trimmed);
        // Acronym: letters (optionally dotted) mostly upper case, one word.
        let letters: String = trimmed.chars().filter(|c| c.is_alphanumeric()).collect();
        let one_word = !trimmed.contains(char::is_whitespace);
        let upper = letters.chars().filter(|c| c.is_uppercase()).count();
        let acronym = (one_word
            && letters.chars().count() >= 2
            && letters.chars().count() <= 8
            && upper * 2 > letters.chars().count()
            && upper >= 2)
            .then(|| fold_latin(&letters));
        let mut all_words = Vec::new();
        let folded = fold_latin(trimmed);
        for w in folded.split(|c: char| {
            c.is_whitespace() || is_hyphen(c) || c == ',' || c == '/' || c == '(' || c == ')'
        }) {
            let w: String = w
                .chars()
                .filter(|c| !is_apostrophe(*c) && *c != '.')
                .collect();
            if w.is_empty() {
                continue;
            }
            all_words.push(expand(&w).to_string());
        }
        let mut words: Vec<String> = all_words
            .iter()
            .filter(|w| !STOPWORDS.contains(&w.as_str()) && !ARTICLES.contains(&w.as_str()))
            .cloned()
            .collect();
        while words.len() > 1
            && words
                .last()
                .is_some_and(|w| LEGAL_SUFFIXES.contains(&w.as_str()))
        {
            words.pop();
        }
        OrgName {
            text,
            words,
            all_words,
            acronym,
        }
    }

    /// Initial letters of the name in a few conventional readings: content
    /// words only, all words, and with hyphenated words split.
    pub fn initialisms(&self) -> Vec<String> {
        let mut out = Vec::new();
        let content: String = self.words.iter().filter_map(|w| w.chars().next()).collect();
        let all: String = self
            .all_words
            .iter()
            .filter_map(|w| w.chars().next())
            .collect();
        let with_articles: String = self
            .all_words
            .iter()
            .filter(|w| {
                !STOPWORDS.contains(&w.as_str()) || (ARTICLES.contains(&w.as_str()) && *w != "the")
            })
            .filter_map(|w| w.chars().next())
            .collect();
        for s in [content, all, with_articles] {
            if s.len() >= 2 && !out.contains(&s) {
                out.push(s);
            }
        }
        out
    }

    pub fn is_empty(&self) -> bool {
        self.words.is_empty()
    }
}

/// Compare two organisation names with the committed table.
pub fn compare_org(a: &OrgName, b: &OrgName) -> NameMatch {
    compare_org_with(a, b, Table::embedded(), &MatchParams::default())
}

pub fn compare_org_with(
    a: &OrgName,
    b: &OrgName,
    table: &Table,
    params: &MatchParams,
) -> NameMatch {
    let result = |score: f64, verdict: Verdict, reasons: Vec<String>| NameMatch {
        score,
        verdict,
        reasons,
    };
    if a.is_empty() || b.is_empty() {
        return result(
            0.0,
            Verdict::Unrelated,
            vec!["an organisation name is empty".to_string()],
        );
    }
    // Acronym against a full name.
    for (x, y) in [(a, b), (b, a)] {
        if let Some(acr) = &x.acronym {
            if y.acronym.is_none() && y.words.len() >= 2 && y.initialisms().contains(acr) {
                return result(
                    0.9,
                    Verdict::Same,
                    vec![format!(
                        "\"{}\" is the acronym of \"{}\"",
                        x.text.trim(),
                        y.text.trim()
                    )],
                );
            }
        }
    }
    // Word by word, in order.
    let word_match = |x: &str, y: &str| match_latin(x, y, table, params);
    let (short, long) = if a.words.len() <= b.words.len() {
        (a, b)
    } else {
        (b, a)
    };
    let mut matched = Vec::new();
    let mut j = 0;
    let mut reasons = Vec::new();
    for w in &short.words {
        let found = (j..long.words.len()).find(|&k| word_match(w, &long.words[k]).is_some());
        if let Some(k) = found {
            if let Some(m) = word_match(w, &long.words[k]) {
                if w != &long.words[k] {
                    reasons.push(format!(
                        "\"{}\" = \"{}\" ({})",
                        w,
                        long.words[k],
                        m.as_str()
                    ));
                }
            }
            matched.push(k);
            j = k + 1;
        }
    }
    if matched.is_empty() {
        return result(
            0.0,
            Verdict::Unrelated,
            vec!["no significant word in common".to_string()],
        );
    }
    let short_all = matched.len() == short.words.len();
    let extra: Vec<&String> = long
        .words
        .iter()
        .enumerate()
        .filter(|(k, _)| !matched.contains(k))
        .map(|(_, w)| w)
        .collect();
    let score = (2 * matched.len()) as f64 / (a.words.len() + b.words.len()) as f64;
    if short_all && extra.is_empty() {
        reasons.push("same significant words".to_string());
        return result(score, Verdict::Same, reasons);
    }
    if short_all && extra.iter().all(|w| GENERIC.contains(&w.as_str())) {
        reasons.push(format!(
            "differ only by the generic word(s) {}",
            join_quoted(&extra)
        ));
        return result(score * 0.9, Verdict::Compatible, reasons);
    }
    if short_all {
        reasons.push(format!(
            "\"{}\" adds the qualifier {}: a different organisation",
            long.text.trim(),
            join_quoted(&extra)
        ));
    } else {
        let missing: Vec<&String> = short
            .words
            .iter()
            .filter(|w| !long.words.iter().any(|l| word_match(w, l).is_some()))
            .collect();
        reasons.push(format!(
            "differing words {} / {}",
            join_quoted(&missing),
            join_quoted(&extra)
        ));
    }
    result((score * 0.25).min(0.3), Verdict::Conflict, reasons)
}

fn join_quoted(words: &[&String]) -> String {
    words
        .iter()
        .map(|w| format!("\"{w}\""))
        .collect::<Vec<_>>()
        .join(", ")
}

/// Blocking keys for an organisation: skeletons of its significant words,
/// and its acronym or initials.
pub fn org_blocking_keys(name: &OrgName) -> Vec<String> {
    let mut keys: Vec<String> = name
        .words
        .iter()
        .map(|w| crate::phonetic::skeleton_folded(&crate::fold::fold_letters(w)))
        .filter(|k| !k.is_empty())
        .collect();
    if let Some(a) = &name.acronym {
        keys.push(format!("acr:{a}"));
    } else if name.words.len() >= 2 {
        for i in name.initialisms() {
            keys.push(format!("acr:{i}"));
        }
    }
    keys.sort();
    keys.dedup();
    keys
}
