//! Whether a person's name says she is a woman or he is a man: a gendered
//! title ("Mrs.", "Sir"), a kunya or filiation ("Umm", "bint"), or a given
//! name the lexicon knows ("Nancy"). No evidence gives `None`; nothing is
//! guessed from the spelling.

use crate::person::{Particle, PersonName, Role};
use serde::{Deserialize, Serialize};
use std::collections::HashMap;
use std::sync::OnceLock;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Gender {
    Female,
    Male,
}

impl Gender {
    pub fn as_str(self) -> &'static str {
        match self {
            Gender::Female => "a woman",
            Gender::Male => "a man",
        }
    }
}

/// A row's category: a woman's (`f`), a man's (`m`) or given to both
/// (`u`, no gender); `None` for anything else.
fn category(g: &str) -> Option<Option<Gender>> {
    match g.trim() {
        "f" => Some(Some(Gender::Female)),
        "m" => Some(Some(Gender::Male)),
        "u" => Some(None),
        _ => None,
    }
}

/// A two-column lexicon (`word<TAB>f|m|u`) as a map of every word to its
/// category.
fn category_table(text: &'static str) -> HashMap<&'static str, Option<Gender>> {
    crate::data_lines(text)
        .filter_map(|line| {
            let (word, g) = line.split_once('\t')?;
            Some((word.trim(), category(g)?))
        })
        .collect()
}

/// The same, of the gendered words only.
fn gender_table(text: &'static str) -> HashMap<&'static str, Gender> {
    category_table(text)
        .into_iter()
        .filter_map(|(w, g)| Some((w, g?)))
        .collect()
}

/// The gender a title or honorific gives ("mrs", "sir"), lower case with
/// periods removed.
pub fn title_gender(title: &str) -> Option<Gender> {
    static TITLES: OnceLock<HashMap<&'static str, Gender>> = OnceLock::new();
    let titles = TITLES.get_or_init(|| gender_table(include_str!("../data/gendered_titles.tsv")));
    let key: String = title
        .chars()
        .filter(|c| *c != '.')
        .collect::<String>()
        .to_lowercase();
    titles.get(key.trim()).copied()
}

/// The given-name lexicon: every name with its gender, `None` for a name
/// given to both.
fn given_names() -> &'static HashMap<&'static str, Option<Gender>> {
    static NAMES: OnceLock<HashMap<&'static str, Option<Gender>>> = OnceLock::new();
    NAMES.get_or_init(|| category_table(include_str!("../data/given_names.tsv")))
}

/// The gender a given name is used for in news text, if it is one name's:
/// none for a name given to both ("Lindsey", "Terry").
pub fn given_name_gender(folded: &str) -> Option<Gender> {
    given_names().get(folded).copied().flatten()
}

/// Whether the lexicon knows `folded` as a given name, of either gender
/// or of both ("Bill", "Terry").
pub fn is_known_given_name(folded: &str) -> bool {
    given_names().contains_key(folded)
}

impl PersonName {
    /// What the name itself says of the person's gender: titles first, then
    /// a kunya or filiation, then the first given name.
    pub fn gender(&self) -> Option<Gender> {
        if let Some(g) = self.titles.iter().find_map(|t| title_gender(t)) {
            return Some(g);
        }
        for p in &self.parts {
            match p.particle {
                Some(Particle::Abu | Particle::Bin) => return Some(Gender::Male),
                Some(Particle::Umm | Particle::Bint) => return Some(Gender::Female),
                _ => {}
            }
        }
        self.parts
            .iter()
            .find(|p| p.role == Role::Given)
            .and_then(|p| given_name_gender(&p.core))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn gender(text: &str) -> Option<Gender> {
        PersonName::parse(text).gender()
    }

    #[test]
    fn titles_kunyas_and_given_names_give_a_gender() {
        assert_eq!(gender("Mrs. Pollard"), Some(Gender::Female));
        assert_eq!(gender("Mr Pollard"), Some(Gender::Male));
        assert_eq!(gender("Nancy Pollard"), Some(Gender::Female));
        assert_eq!(gender("Ronald Pollard"), Some(Gender::Male));
        assert_eq!(gender("Umm Khalid"), Some(Gender::Female));
        assert_eq!(gender("Abu Khalid"), Some(Gender::Male));
    }

    #[test]
    fn no_evidence_is_no_gender() {
        assert_eq!(gender("Pollard"), None);
        assert_eq!(gender("Jordan Pollard"), None);
        assert_eq!(gender("Senator Pollard"), None);
        assert_eq!(title_gender("President"), None);
    }

    #[test]
    fn names_given_to_both_have_no_gender() {
        for name in ["lindsey", "terry", "jesse", "andrea", "kelly", "jordan"] {
            assert_eq!(given_name_gender(name), None, "{name}");
        }
        assert_eq!(gender("Terry Pollard"), None);
        assert_eq!(gender("Lindsey Pollard"), None);
        // A title still says what the name does not.
        assert_eq!(gender("Mr. Terry Pollard"), Some(Gender::Male));
        // They are still given names, as are the gendered ones.
        for name in ["terry", "lindsey", "bill", "nancy"] {
            assert!(is_known_given_name(name), "{name}");
        }
        assert!(!is_known_given_name("pollard"));
    }

    #[test]
    fn every_lexicon_row_is_one_name_of_a_known_category() {
        for text in [
            include_str!("../data/given_names.tsv"),
            include_str!("../data/gendered_titles.tsv"),
        ] {
            let mut seen = std::collections::HashSet::new();
            for line in crate::data_lines(text) {
                let (word, g) = line.split_once('\t').expect("two columns");
                assert!(category(g).is_some(), "bad category in {line:?}");
                assert!(seen.insert(word.trim()), "{word} listed twice");
            }
        }
        assert!(gender_table(include_str!("../data/given_names.tsv")).len() > 400);
    }
}
