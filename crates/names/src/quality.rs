//! Spans a tagger marks as names that are not names: amounts ("Revs 12.2
//! mln vs", "U.S. Dlrs", "cts"), rows of results tables ("Avg Shrs", "Shr
//! 1.67"), dates ("Feb 28"), legal forms alone ("Co Inc"), and single
//! letters (ticker symbols such as "<P>"). The words are data, in
//! `data/not_names.tsv`.

use crate::org::LEGAL_SUFFIXES;
use std::collections::HashMap;
use std::sync::OnceLock;

/// Why a span is not a name.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NotAName {
    /// No letter at all ("04/09/87", "747").
    NoLetters,
    /// One letter ("P", "X."): a ticker or an initial.
    SingleLetter,
    /// Ends in a unit of an amount ("U.S. Dlrs", "12 cts").
    Amount,
    /// Only table abbreviations, units, numbers and legal forms
    /// ("Avg Shrs", "Shr 1.67", "Co Inc").
    TableWords,
    /// Months and numbers ("Feb 28").
    Date,
    /// Part of a web address: a file ending ("html") or a page's slug
    /// ("Gary - Ross - Still - Negotiations - Sequel - 30272").
    WebAddress,
}

impl NotAName {
    pub fn as_str(self) -> &'static str {
        match self {
            NotAName::NoLetters => "has no letters",
            NotAName::SingleLetter => "is a single letter",
            NotAName::Amount => "is an amount",
            NotAName::TableWords => "is a row of a table",
            NotAName::Date => "is a date",
            NotAName::WebAddress => "is part of a web address",
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Unit,
    /// A unit written only glued to its number ("700p": pence).
    Glued,
    Table,
    Number,
    Month,
    Web,
}

fn lexicon() -> &'static HashMap<String, Kind> {
    static WORDS: OnceLock<HashMap<String, Kind>> = OnceLock::new();
    WORDS.get_or_init(|| parse(include_str!("../data/not_names.tsv")))
}

fn parse(text: &str) -> HashMap<String, Kind> {
    let mut out = HashMap::new();
    for line in crate::data_lines(text) {
        let Some((word, kind)) = line.split_once('\t') else {
            continue;
        };
        let kind = match kind.trim() {
            "unit" => Kind::Unit,
            "glued" => Kind::Glued,
            "table" => Kind::Table,
            "number" => Kind::Number,
            "month" => Kind::Month,
            "web" => Kind::Web,
            _ => continue,
        };
        out.insert(word.trim().to_string(), kind);
    }
    out
}

/// A word as the lexicon holds it: lower case, without dots.
fn key(word: &str) -> String {
    word.chars()
        .filter(|c| *c != '.')
        .flat_map(char::to_lowercase)
        .collect()
}

/// What a word of the span is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Word {
    Digits,
    Known(Kind),
    LegalForm,
    Other,
}

fn word(w: &str) -> Word {
    if !w.chars().any(char::is_alphabetic) {
        return Word::Digits;
    }
    // A number with its unit glued on ("700p", "2,575p", "12pct"); a
    // capital after the digits is a name ("3M", "7UP").
    if w.starts_with(|c: char| c.is_ascii_digit()) {
        let unit = w.trim_start_matches(|c: char| c.is_ascii_digit() || matches!(c, ',' | '.'));
        if !unit.is_empty()
            && unit.chars().all(|c| c.is_ascii_lowercase())
            && matches!(lexicon().get(unit), Some(Kind::Unit | Kind::Glued))
        {
            return Word::Known(Kind::Unit);
        }
    }
    let k = key(w);
    // Written in capitals, a word is an acronym ("CTS Corp"), not the
    // abbreviation it spells.
    let acronym =
        w.chars().filter(|c| c.is_alphabetic()).count() > 1 && !w.chars().any(char::is_lowercase);
    if let Some(kind) = lexicon()
        .get(&k)
        .filter(|k| !(acronym && matches!(k, Kind::Unit | Kind::Table)))
    {
        return Word::Known(*kind);
    }
    if LEGAL_SUFFIXES.contains(&k.as_str()) {
        return Word::LegalForm;
    }
    Word::Other
}

/// A page's address written out as words: at least four words joined by
/// spaced hyphens, the last a number of four digits or more.
fn is_slug(text: &str) -> bool {
    let parts: Vec<&str> = text.split(" - ").map(str::trim).collect();
    parts.len() >= 4
        && parts
            .last()
            .is_some_and(|l| l.len() >= 4 && l.chars().all(|c| c.is_ascii_digit()))
}

/// `Some(reason)` when `text`, tagged as a name, is not one.
pub fn not_a_name(text: &str) -> Option<NotAName> {
    let letters = text.chars().filter(|c| c.is_alphabetic()).count();
    if letters == 0 {
        return Some(NotAName::NoLetters);
    }
    if letters == 1 && !text.chars().any(|c| c.is_ascii_digit()) {
        return Some(NotAName::SingleLetter);
    }
    let words: Vec<Word> = text
        .split(|c: char| c.is_whitespace() || matches!(c, '-' | '/' | '(' | ')' | ',' | ':'))
        .map(|w| w.trim_matches(|c: char| !c.is_alphanumeric()))
        .filter(|w| !w.is_empty())
        .map(word)
        .collect();
    if words.iter().all(|w| *w == Word::Known(Kind::Web)) || is_slug(text) {
        return Some(NotAName::WebAddress);
    }
    if words.last() == Some(&Word::Known(Kind::Unit)) {
        return Some(NotAName::Amount);
    }
    let dates = words
        .iter()
        .all(|w| matches!(w, Word::Digits | Word::Known(Kind::Month)));
    if dates && words.contains(&Word::Digits) {
        return Some(NotAName::Date);
    }
    let table = words.iter().all(|w| {
        matches!(
            w,
            Word::Digits | Word::LegalForm | Word::Known(Kind::Unit | Kind::Table | Kind::Number)
        )
    });
    table.then_some(NotAName::TableWords)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn amounts_tables_and_dates_are_not_names() {
        let cases = [
            ("Revs 12.2 mln vs", NotAName::TableWords),
            ("cts", NotAName::Amount),
            ("U.S. Dlrs", NotAName::Amount),
            ("Avg Shrs", NotAName::Amount),
            ("Shr 1.67", NotAName::TableWords),
            ("Oper shr loss two", NotAName::TableWords),
            ("Co Inc", NotAName::TableWords),
            ("Feb 28", NotAName::Date),
            ("FEB 28", NotAName::Date),
            ("04/09/87", NotAName::NoLetters),
            ("P", NotAName::SingleLetter),
            ("700p", NotAName::Amount),
            ("2,575p", NotAName::Amount),
            ("12pct", NotAName::Amount),
            ("X.", NotAName::SingleLetter),
            ("html", NotAName::WebAddress),
            (
                "Gary - Ross - Still - Negotiations - Sequel - 30272",
                NotAName::WebAddress,
            ),
        ];
        for (text, why) in cases {
            assert_eq!(not_a_name(text), Some(why), "{text}");
        }
    }

    #[test]
    fn names_stay_names() {
        for text in [
            "Theresa May",
            "May",
            "Chapter 11",
            "Local 222",
            "B-2",
            "Shearson Lehman Brothers Inc",
            "CTS Corp",
            "CTS",
            "Net Applications",
            "One Nation",
            "the Group of Seven",
            "Abu Muhammad al-Masri",
            "Reuters",
            "IBM",
            "Hewlett - Packard",
            "3M",
            "7UP",
            "Mr P",
        ] {
            assert_eq!(not_a_name(text), None, "{text}");
        }
    }

    #[test]
    fn the_lexicon_parses() {
        let words = lexicon();
        assert_eq!(words.get("mln"), Some(&Kind::Unit));
        assert_eq!(words.get("feb"), Some(&Kind::Month));
        assert!(words.len() > 60);
    }
}
