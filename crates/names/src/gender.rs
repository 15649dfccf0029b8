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

/// A two-column lexicon (`word<TAB>f|m`) as a map.
fn gender_table(text: &'static str) -> HashMap<&'static str, Gender> {
    crate::data_lines(text)
        .filter_map(|line| {
            let (word, g) = line.split_once('\t')?;
            let g = match g.trim() {
                "f" => Gender::Female,
                "m" => Gender::Male,
                _ => return None,
            };
            Some((word.trim(), g))
        })
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

/// The gender a given name is used for in news text, if it is one name's.
pub fn given_name_gender(folded: &str) -> Option<Gender> {
    static NAMES: OnceLock<HashMap<&'static str, Gender>> = OnceLock::new();
    let names = NAMES.get_or_init(|| gender_table(include_str!("../data/given_names.tsv")));
    names.get(folded).copied()
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
}
