//! Names of any entity type behind one interface: people through the name
//! model's person parser, organisations through its organisation rules, and
//! places and other types through a folded key with acronyms.

use dossier_names::fold::fold_latin;
use dossier_names::{
    blocking_keys, compare, compare_org, org_blocking_keys, NameMatch, OrgName, PartStats,
    PersonName, Role, Verdict,
};

/// Which comparison a type uses.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum NameClass {
    Person,
    Org,
    Plain,
}

pub fn class_of(label: &str) -> NameClass {
    match label {
        "PERSON" => NameClass::Person,
        "ORG" => NameClass::Org,
        _ => NameClass::Plain,
    }
}

pub use dossier_names::matching_text;

/// Folded key of a plain name: lower case, no diacritics, punctuation
/// dropped, a leading "the" removed ("the U.S." → "us").
pub fn plain_key(text: &str) -> String {
    let folded = fold_latin(text);
    let mut words: Vec<String> = Vec::new();
    for w in folded.split(|c: char| c.is_whitespace() || c == '-' || c == '–' || c == '/') {
        let w: String = w.chars().filter(|c| c.is_alphanumeric()).collect();
        if !w.is_empty() {
            words.push(w.to_lowercase());
        }
    }
    if words.len() > 1 && words[0] == "the" {
        words.remove(0);
    }
    words.join(" ")
}

/// Worded as the name model words it, so `NameMatch::is_short_form` sees it.
const SHORT_FORM_REASON: &str = "is a short form of the other name";

/// Initials of a multi-word plain key ("united states" → "us").
fn initials(key: &str) -> Option<String> {
    let words: Vec<&str> = key
        .split(' ')
        .filter(|w| !matches!(*w, "of" | "the" | "and" | "for"))
        .collect();
    (words.len() >= 2).then(|| words.iter().filter_map(|w| w.chars().next()).collect())
}

/// A parsed name of an entity of some type.
#[derive(Debug, Clone)]
pub enum EntityName {
    Person(PersonName),
    Org(OrgName),
    Plain { text: String, key: String },
}

impl EntityName {
    pub fn parse(class: NameClass, text: &str) -> EntityName {
        match class {
            NameClass::Person => EntityName::Person(PersonName::parse(text)),
            NameClass::Org => EntityName::Org(OrgName::parse(text)),
            NameClass::Plain => EntityName::Plain {
                text: text.to_string(),
                key: plain_key(text),
            },
        }
    }

    pub fn is_empty(&self) -> bool {
        match self {
            EntityName::Person(p) => p.is_empty(),
            EntityName::Org(o) => o.is_empty(),
            EntityName::Plain { key, .. } => key.is_empty(),
        }
    }

    /// How informative the name is: parts of a person name, significant
    /// words of an organisation, words of a place.
    pub fn size(&self) -> usize {
        match self {
            EntityName::Person(p) => p.parts.len(),
            EntityName::Org(o) => o.words.len(),
            EntityName::Plain { key, .. } => key.split(' ').count(),
        }
    }

    /// A key that is equal for spellings the name model folds together.
    pub fn key(&self) -> String {
        match self {
            EntityName::Person(p) => p
                .parts
                .iter()
                .map(|x| x.stat_key())
                .collect::<Vec<_>>()
                .join(" "),
            EntityName::Org(o) => {
                let mut k = org_blocking_keys(o);
                k.retain(|x| !x.starts_with("acr:") && !dossier_names::is_spelled_key(x));
                if k.is_empty() {
                    o.acronym.clone().unwrap_or_default()
                } else {
                    k.join(" ")
                }
            }
            EntityName::Plain { key, .. } => key.clone(),
        }
    }

    pub fn blocking_keys(&self) -> Vec<String> {
        match self {
            EntityName::Person(p) => blocking_keys(p),
            EntityName::Org(o) => org_blocking_keys(o),
            EntityName::Plain { key, .. } => {
                let mut keys = vec![key.clone()];
                if let Some(i) = initials(key) {
                    keys.push(i);
                }
                keys
            }
        }
    }

    /// Compare two names of the same class. Names of different classes are
    /// unrelated unless their plain keys are equal.
    pub fn compare(&self, other: &EntityName, stats: &PartStats) -> NameMatch {
        match (self, other) {
            (EntityName::Person(a), EntityName::Person(b)) => compare(a, b, stats),
            (EntityName::Org(a), EntityName::Org(b)) => compare_org(a, b),
            (EntityName::Plain { text: ta, key: a }, EntityName::Plain { text: tb, key: b }) => {
                compare_plain((a, is_compound(ta)), (b, is_compound(tb)))
            }
            // Names of different types: the same written name, an
            // organisation the NER typed as a person or place ("al Qaida"
            // typed PERSON), or a one-word name that may be a person's short
            // name ("Lohan" typed GPE).
            _ => {
                let (a, b) = (plain_key(self.text()), plain_key(other.text()));
                if !a.is_empty() && a == b {
                    NameMatch {
                        score: 0.8,
                        verdict: Verdict::Same,
                        reasons: vec!["same name written under two entity types".into()],
                    }
                } else {
                    mistyped(self, other, stats).unwrap_or_else(unrelated)
                }
            }
        }
    }

    /// As [`EntityName::compare`] where only a `Same` verdict matters: for
    /// names of two different types, `None` unless they are the same name,
    /// without parsing one under the other's type when that cannot make
    /// them the same (a person's name read as a place's).
    pub fn same_across_types(&self, other: &EntityName, stats: &PartStats) -> Option<NameMatch> {
        let cross = std::mem::discriminant(self) != std::mem::discriminant(other);
        let involves_org =
            matches!(self, EntityName::Org(_)) || matches!(other, EntityName::Org(_));
        let m = if cross && !involves_org {
            let (a, b) = (plain_key(self.text()), plain_key(other.text()));
            if a.is_empty() || a != b {
                return None;
            }
            self.compare(other, stats)
        } else {
            self.compare(other, stats)
        };
        (m.verdict == Verdict::Same).then_some(m)
    }

    pub fn text(&self) -> &str {
        match self {
            EntityName::Person(p) => &p.text,
            EntityName::Org(o) => &o.text,
            EntityName::Plain { text, .. } => text,
        }
    }
}

fn unrelated() -> NameMatch {
    NameMatch {
        score: 0.0,
        verdict: Verdict::Unrelated,
        reasons: vec!["different kinds of name".into()],
    }
}

/// Two names of different types that may still be one entity's.
fn mistyped(a: &EntityName, b: &EntityName, stats: &PartStats) -> Option<NameMatch> {
    let typed_note = "one name was typed as another kind of entity";
    let org = match (a, b) {
        (EntityName::Org(o), other) | (other, EntityName::Org(o)) => Some((o, other)),
        _ => None,
    };
    if let Some((o, other)) = org {
        let mut m = compare_org(o, &OrgName::parse(other.text()));
        if m.verdict == Verdict::Same {
            m.score = m.score.min(0.8);
            m.reasons.push(typed_note.into());
            return Some(m);
        }
    }
    let person = match (a, b) {
        (EntityName::Person(p), other) | (other, EntityName::Person(p)) => Some((p, other)),
        _ => None,
    };
    let (p, other) = person?;
    if other.size() != 1 || plain_key(other.text()) == plain_key(&p.text) {
        return None;
    }
    let mut m = compare(p, &PersonName::parse(other.text()), stats);
    // "Tunisia" fits "al-Tunisi" only because a nisba names a place.
    if matches!(other, EntityName::Plain { .. }) && via_nisba(&m) {
        return None;
    }
    if m.verdict == Verdict::Same {
        m.verdict = Verdict::Compatible;
    }
    m.reasons.push(typed_note.into());
    Some(m)
}

/// Whether a person-name match rests on a nisba spelled differently
/// ("al-Tunisi" ~ "Tunisia"): no evidence when the other name is a place's.
/// The nisba itself ("Tunisi's son-in-law") is the man's short name.
pub fn via_nisba(m: &NameMatch) -> bool {
    m.reasons
        .iter()
        .any(|r| r.contains("nisba \"") && !r.contains("(exact)"))
}

/// Whether the shorter of two names, when it is one word, is one of the
/// words of the other (folded); longer names pass. A short form must be
/// written in the full name ("Masri" / "Abu Muhammad al-Masri"), not merely
/// look like a word of it ("Reagan" / "Donald Regan").
pub(crate) fn written_in(a: &EntityName, b: &EntityName) -> bool {
    if a.size().min(b.size()) > 1 {
        return true;
    }
    // "Trump" is written in "Donald Trump's".
    let key = |n: &EntityName| plain_key(dossier_names::strip_possessive(n.text()));
    let (ka, kb) = (key(a), key(b));
    let (short, long) = if ka.len() <= kb.len() {
        (ka, kb)
    } else {
        (kb, ka)
    };
    let short = short.replace(' ', "");
    long.split(' ').any(|w| w == short) || long.replace(' ', "").ends_with(&short)
}

/// Whether the shorter of two person names is one word that is only the
/// other's given name ("Phillip" / "Phillip Matthews"): news calls a person
/// by the surname, so a lone given name is more often another person or a
/// tagger's fragment than this one.
pub(crate) fn given_name_only(a: &EntityName, b: &EntityName) -> bool {
    let (EntityName::Person(a), EntityName::Person(b)) = (a, b) else {
        return false;
    };
    let (short, long) = if a.parts.len() <= b.parts.len() {
        (a, b)
    } else {
        (b, a)
    };
    let ([word], [first, .., last]) = (short.parts.as_slice(), long.parts.as_slice()) else {
        return false;
    };
    first.role == Role::Given && first.core == word.core && last.core != word.core
}

/// Whether a name joins two names with a hyphen or slash ("U.S.-Soviet",
/// "U.S./Japan"): its words are two names, so neither is its head word or
/// its short form, and its initials are no abbreviation of it.
fn is_compound(text: &str) -> bool {
    // Besides the articles the name model knows, the particles that join a
    // name to the next word.
    const JOINING: &[&str] = &["ud", "bin", "ibn", "abu", "abd"];
    let particle = |w: &str| {
        let w = w.to_lowercase();
        dossier_names::search::ARTICLES.contains(&w.as_str()) || JOINING.contains(&w.as_str())
    };
    let pieces: Vec<&str> = text.split(['-', '/', '–']).collect();
    pieces.windows(2).any(|w| {
        let left = w[0].split_whitespace().next_back().unwrap_or("");
        left.chars().next().is_some_and(char::is_uppercase)
            && !particle(left)
            && w[1].chars().next().is_some_and(char::is_uppercase)
    })
}

fn compare_plain((a, a_compound): (&str, bool), (b, b_compound): (&str, bool)) -> NameMatch {
    if a.is_empty() || b.is_empty() {
        return NameMatch {
            score: 0.0,
            verdict: Verdict::Unrelated,
            reasons: vec!["empty name".into()],
        };
    }
    if a == b {
        return NameMatch {
            score: 1.0,
            verdict: Verdict::Same,
            reasons: vec!["same name".into()],
        };
    }
    for (x, y, y_compound) in [(a, b, b_compound), (b, a, a_compound)] {
        if y_compound {
            continue;
        }
        // "colts" / "indianapolis colts": the head word of a longer name.
        if !x.contains(' ') && y.split(' ').next_back() == Some(x) && y.contains(' ') {
            return NameMatch {
                score: 0.6,
                verdict: Verdict::Compatible,
                reasons: vec![format!("\"{x}\" {}", SHORT_FORM_REASON)],
            };
        }
        // "the Islamic Republic" / "the Islamic Republic of Iran": a name
        // cut before its "of" phrase.
        if y.strip_prefix(x)
            .is_some_and(|rest| rest.starts_with(" of "))
        {
            return NameMatch {
                score: 0.6,
                verdict: Verdict::Compatible,
                reasons: vec![format!("\"{x}\" {}", SHORT_FORM_REASON)],
            };
        }
        if initials(y).as_deref() == Some(x) && !x.contains(' ') {
            return NameMatch {
                score: 0.9,
                verdict: Verdict::Same,
                reasons: vec![format!("\"{x}\" is the abbreviation of \"{y}\"")],
            };
        }
    }
    NameMatch {
        score: 0.0,
        verdict: Verdict::Unrelated,
        reasons: vec!["different names".into()],
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_lone_given_name_is_told_from_a_surname() {
        let p = |t: &str| EntityName::parse(NameClass::Person, t);
        // Made-up names.
        assert!(given_name_only(&p("Gareth"), &p("Gareth Pollard")));
        assert!(given_name_only(&p("Gareth Pollard"), &p("Gareth")));
        assert!(!given_name_only(&p("Pollard"), &p("Gareth Pollard")));
        assert!(!given_name_only(&p("Gareth Pollard"), &p("Gareth Pollard")));
    }

    #[test]
    fn plain_names_and_abbreviations() {
        assert_eq!(plain_key("the U.S."), "us");
        let us = EntityName::parse(NameClass::Plain, "U.S.");
        let united = EntityName::parse(NameClass::Plain, "the United States");
        let m = us.compare(&united, &PartStats::new());
        assert_eq!(m.verdict, Verdict::Same);
        let iran = EntityName::parse(NameClass::Plain, "Iran");
        let iraq = EntityName::parse(NameClass::Plain, "Iraq");
        assert_eq!(
            iran.compare(&iraq, &PartStats::new()).verdict,
            Verdict::Unrelated
        );
        assert_eq!(plain_key("Dar es Salaam"), "dar es salaam");
    }

    #[test]
    fn a_short_form_is_written_in_the_full_name() {
        let person = |t| EntityName::parse(NameClass::Person, t);
        let written = |a, b| written_in(&person(a), &person(b));
        assert!(written("Masri", "Abu Muhammad al-Masri"));
        assert!(written("Ronald Reagan", "Reagan"));
        assert!(!written("Reagan", "Donald Regan"));
        assert!(written("Trump", "Donald Trump's"));
        // Both sides full names: nothing to check here.
        assert!(written("Donald Regan", "Ronald Reagan"));
    }

    #[test]
    fn a_compound_of_two_names_has_no_short_form() {
        let plain = |t| EntityName::parse(NameClass::Plain, t);
        let compound = plain("U.S.-Soviet");
        for other in ["Soviet", "US"] {
            assert_eq!(
                plain(other).compare(&compound, &PartStats::new()).verdict,
                Verdict::Unrelated,
                "{other}"
            );
        }
        assert!(is_compound("U.S./Japan"));
        // A particle and its name are one name ("al-Anbar" / "Anbar").
        assert!(!is_compound("al-Anbar"));
        assert!(!is_compound("Al-Anbar"));
        assert!(!is_compound("Guinea-bissau"));
        let anbar = plain("al-Anbar").compare(&plain("Anbar"), &PartStats::new());
        assert_eq!(anbar.verdict, Verdict::Compatible);
    }

    #[test]
    fn a_name_cut_before_its_of_phrase_is_a_short_form() {
        let short = EntityName::parse(NameClass::Plain, "the Islamic Republic");
        let full = EntityName::parse(NameClass::Plain, "the Islamic Republic of Iran");
        let m = short.compare(&full, &PartStats::new());
        assert_eq!(m.verdict, Verdict::Compatible);
        assert!(m.is_short_form());
        let other = EntityName::parse(NameClass::Plain, "the Islamic State");
        assert_eq!(
            other.compare(&full, &PartStats::new()).verdict,
            Verdict::Unrelated
        );
    }

    #[test]
    fn a_place_is_not_a_nisba_short_form() {
        let place = EntityName::parse(NameClass::Plain, "Tunisia");
        let person = EntityName::parse(NameClass::Person, "Abu Yusuf al-Tunisi");
        assert_eq!(
            place.compare(&person, &PartStats::new()).verdict,
            Verdict::Unrelated
        );
        // The nisba itself, typed as a place, is still his short name.
        let nisba = EntityName::parse(NameClass::Plain, "Tunisi");
        assert_ne!(
            nisba.compare(&person, &PartStats::new()).verdict,
            Verdict::Unrelated
        );
    }

    #[test]
    fn organisations_typed_as_people_still_match() {
        let typed_person = EntityName::parse(NameClass::Person, "al Qaida");
        let org = EntityName::parse(NameClass::Org, "Al-Qaeda");
        assert_eq!(
            typed_person.compare(&org, &PartStats::new()).verdict,
            Verdict::Same
        );
        let other = EntityName::parse(NameClass::Org, "Al-Qaeda in the Indian subcontinent");
        assert_ne!(
            typed_person.compare(&other, &PartStats::new()).verdict,
            Verdict::Same
        );
    }

    #[test]
    fn person_keys_fold_variants() {
        let a = EntityName::parse(NameClass::Person, "Abu Mohammed al-Masri");
        let b = EntityName::parse(NameClass::Person, "Abu Muhammad al-Masri");
        assert_eq!(a.key(), b.key());
        assert_eq!(a.compare(&b, &PartStats::new()).verdict, Verdict::Same);
    }
}
