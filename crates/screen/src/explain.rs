//! Why a list entry matched a query: typed items, rendered to plain
//! sentences by `Display` for a compliance file.

use std::fmt;

use dossier_core::Date;
use dossier_names::{ConflictKind, PartMatch, Role};
use serde::{Deserialize, Serialize};

use crate::country::Country;
use crate::entry::{BirthDate, CountryRole, EntityType, ListKind, NameKind, Script, Strength};

/// The place of a name part in its name.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PartRole {
    Given,
    Middle,
    /// "Abu X" / "Umm X".
    Kunya,
    /// "bin X" / "ibn X".
    Patronymic,
    /// "al-Masri": adjective of origin.
    Nisba,
    Epithet,
    Family,
    Initial,
    /// The only part of a one-part name.
    Single,
    /// A word of an organisation, vessel or aircraft name.
    Word,
}

impl PartRole {
    pub fn as_str(self) -> &'static str {
        match self {
            PartRole::Given => "given name",
            PartRole::Middle => "middle name",
            PartRole::Kunya => "kunya",
            PartRole::Patronymic => "patronymic",
            PartRole::Nisba => "nisba",
            PartRole::Epithet => "epithet",
            PartRole::Family => "family name",
            PartRole::Initial => "initial",
            PartRole::Single => "name",
            PartRole::Word => "word",
        }
    }
}

impl From<Role> for PartRole {
    fn from(r: Role) -> Self {
        match r {
            Role::Given => PartRole::Given,
            Role::Middle => PartRole::Middle,
            Role::Kunya => PartRole::Kunya,
            Role::Patronymic => PartRole::Patronymic,
            Role::Nisba => PartRole::Nisba,
            Role::Laqab => PartRole::Epithet,
            Role::Family => PartRole::Family,
            Role::Initial => PartRole::Initial,
            Role::Bare => PartRole::Single,
        }
    }
}

/// How two name parts were found to be the same.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Rule {
    /// Same letters after folding case, accents and apostrophes.
    Exact,
    /// Two spellings that name data pairs with one Arabic spelling
    /// (Muhammad / Mohamed).
    VariantSpelling,
    /// Arabic script against a Latin spelling that renders it.
    Transliteration,
    /// Same consonants, slightly different vowels or doubling
    /// (Mughniyah / Mugniyeh).
    SoundAlike,
    /// A small weighted edit distance: a typing error or look-alike letters.
    Typo,
    /// An initial and a name starting with it.
    Initial,
    /// A short form that begins the longer name (Chris / Christopher).
    ShortForm,
    /// An acronym of the other name's words.
    Acronym,
}

impl Rule {
    pub fn as_str(self) -> &'static str {
        match self {
            Rule::Exact => "exact",
            Rule::VariantSpelling => "variant spelling",
            Rule::Transliteration => "transliteration of the Arabic script",
            Rule::SoundAlike => "sound-alike spelling",
            Rule::Typo => "near spelling (typo or look-alike letters)",
            Rule::Initial => "initial",
            Rule::ShortForm => "short form",
            Rule::Acronym => "acronym",
        }
    }
}

impl From<PartMatch> for Rule {
    fn from(m: PartMatch) -> Self {
        match m {
            PartMatch::Exact => Rule::Exact,
            PartMatch::Variant => Rule::VariantSpelling,
            PartMatch::CrossScript => Rule::Transliteration,
            PartMatch::Phonetic => Rule::SoundAlike,
            PartMatch::Fuzzy => Rule::Typo,
            PartMatch::Initial => Rule::Initial,
            PartMatch::Prefix => Rule::ShortForm,
        }
    }
}

/// Which slot two names fill differently.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum NameConflict {
    Kunya,
    GivenName,
    LastName,
}

impl From<ConflictKind> for NameConflict {
    fn from(k: ConflictKind) -> Self {
        match k {
            ConflictKind::Kunya => NameConflict::Kunya,
            ConflictKind::GivenName => NameConflict::GivenName,
            ConflictKind::LastName => NameConflict::LastName,
        }
    }
}

/// Whether a feature of the query supports or contradicts the entry.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Agreement {
    /// Same to the day (dates) or exactly (identifiers).
    AgreesExactly,
    /// Compatible at the coarser precision (same year; same country).
    Agrees,
    Contradicts,
}

/// One filed reason.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Explanation {
    /// Which of the entry's names matched which name of the query.
    MatchedName {
        query_name: String,
        list_name: String,
        name_kind: NameKind,
        strength: Strength,
        script: Script,
    },
    /// Another name of the query that also matched a name of the entry.
    AlsoMatched {
        query_name: String,
        list_name: String,
        name_kind: NameKind,
        strength: Strength,
        /// The score of this name comparison alone.
        name_score: f64,
    },
    /// One query part matched one list part.
    PartMatched {
        query_part: String,
        query_role: PartRole,
        list_part: String,
        list_role: PartRole,
        rule: Rule,
        /// The part is common on the lists, so it is weak evidence alone.
        common: bool,
    },
    /// A part of the query name with no counterpart in the list name.
    QueryPartUnmatched {
        part: String,
        role: PartRole,
    },
    /// A part of the list name with no counterpart in the query name.
    ListPartUnmatched {
        part: String,
        role: PartRole,
    },
    /// The names fill an identifying slot differently.
    NameConflict {
        conflict: NameConflict,
        query_part: String,
        list_part: String,
    },
    BirthDate {
        agreement: Agreement,
        #[serde(with = "date_str")]
        query: Date,
        list: Vec<BirthDate>,
    },
    Country {
        agreement: Agreement,
        query: Country,
        list: Vec<(Country, CountryRole)>,
    },
    EntityType {
        query: EntityType,
        list: EntityType,
    },
    Identifier {
        agreement: Agreement,
        query: String,
        /// The entry's identifier that agreed, or all of them.
        list: Vec<String>,
    },
    /// The entry itself.
    Entry {
        list: ListKind,
        list_id: String,
        name: String,
        programs: Vec<String>,
        #[serde(with = "crate::entry::opt_date")]
        list_date: Option<Date>,
        source: String,
    },
}

mod date_str {
    use dossier_core::Date;
    use serde::{Deserialize, Deserializer, Serializer};

    pub fn serialize<S: Serializer>(d: &Date, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(d)
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Date, D::Error> {
        let s = String::deserialize(d)?;
        Date::parse_iso(&s).ok_or_else(|| serde::de::Error::custom("not an ISO date"))
    }
}

fn list_name(kind: NameKind, strength: Strength) -> String {
    match (kind, strength) {
        (NameKind::Primary, _) => "primary name".into(),
        (k, Strength::Weak) => format!("weak {}", k.as_str()),
        (k, Strength::Strong) => k.as_str().to_string(),
    }
}

fn list_word(l: ListKind) -> &'static str {
    match l {
        ListKind::Ofac => "OFAC SDN",
        ListKind::Un => "UN consolidated list",
        ListKind::Ftm => "FollowTheMoney list",
    }
}

fn join<T: fmt::Display>(v: &[T]) -> String {
    v.iter().map(T::to_string).collect::<Vec<_>>().join(", ")
}

impl fmt::Display for Explanation {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Explanation::MatchedName {
                query_name,
                list_name: name,
                name_kind,
                strength,
                script,
            } => {
                write!(
                    f,
                    "\"{query_name}\" matched the {} \"{name}\"",
                    list_name(*name_kind, *strength)
                )?;
                if *script != Script::Latin {
                    write!(f, " ({script:?} script)")?;
                }
                if *strength == Strength::Weak {
                    write!(f, "; the list marks it weak: alone it identifies no one")?;
                }
                Ok(())
            }
            Explanation::AlsoMatched {
                query_name,
                list_name: name,
                name_kind,
                strength,
                name_score,
            } => write!(
                f,
                "also: \"{query_name}\" matched the {} \"{name}\" (name score {name_score:.2})",
                list_name(*name_kind, *strength)
            ),
            Explanation::PartMatched {
                query_part,
                query_role,
                list_part,
                list_role,
                rule,
                common,
            } => {
                write!(
                    f,
                    "{} \"{query_part}\" = {} \"{list_part}\" ({})",
                    query_role.as_str(),
                    list_role.as_str(),
                    rule.as_str()
                )?;
                if *common {
                    write!(f, "; common on the lists, weak evidence")?;
                }
                Ok(())
            }
            Explanation::QueryPartUnmatched { part, role } => {
                write!(
                    f,
                    "{} \"{part}\" of the query is not in the list name",
                    role.as_str()
                )
            }
            Explanation::ListPartUnmatched { part, role } => {
                write!(
                    f,
                    "{} \"{part}\" of the list name is not in the query",
                    role.as_str()
                )
            }
            Explanation::NameConflict {
                conflict,
                query_part,
                list_part,
            } => {
                let what = match conflict {
                    NameConflict::Kunya => "kunya",
                    NameConflict::GivenName => "given name",
                    NameConflict::LastName => "last name",
                };
                write!(
                    f,
                    "different {what}: \"{list_part}\" on the list, \"{query_part}\" in the query"
                )
            }
            Explanation::BirthDate {
                agreement,
                query,
                list,
            } => {
                let verb = match agreement {
                    Agreement::AgreesExactly => "same date of birth",
                    Agreement::Agrees => "compatible dates of birth",
                    Agreement::Contradicts => "contradicting dates of birth",
                };
                write!(
                    f,
                    "{verb}: born {} on the list, {query} in the query",
                    join(list)
                )
            }
            Explanation::Country {
                agreement,
                query,
                list,
            } => {
                let on_list: Vec<String> = list
                    .iter()
                    .map(|(c, r)| format!("{c} ({})", r.as_str()))
                    .collect();
                let verb = match agreement {
                    Agreement::Contradicts => "other countries",
                    _ => "same country",
                };
                write!(
                    f,
                    "{verb}: {} on the list, {query} in the query",
                    on_list.join(", ")
                )
            }
            Explanation::EntityType { query, list } => {
                write!(
                    f,
                    "different kind: a {list} on the list, a {query} in the query"
                )
            }
            Explanation::Identifier {
                agreement,
                query,
                list,
            } => match agreement {
                Agreement::Contradicts => write!(
                    f,
                    "identifier {query} of the query is not among the list's ({})",
                    list.join(", ")
                ),
                _ => write!(f, "same identifier: {query} ({})", list.join(", ")),
            },
            Explanation::Entry {
                list,
                list_id,
                name,
                programs,
                list_date,
                source,
            } => {
                write!(f, "entry: {} {list_id} \"{name}\"", list_word(*list))?;
                if !programs.is_empty() {
                    write!(f, ", programs {}", programs.join(", "))?;
                }
                match list_date {
                    Some(d) => write!(f, "; list of {d} ({source})"),
                    None => write!(f, "; list {source}"),
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sentences_a_compliance_officer_can_file() {
        let e = Explanation::MatchedName {
            query_name: "Abu Muhammad al-Masri".into(),
            list_name: "Al-Masri, Abu Mohamed".into(),
            name_kind: NameKind::Alias,
            strength: Strength::Weak,
            script: Script::Latin,
        };
        assert_eq!(
            e.to_string(),
            "\"Abu Muhammad al-Masri\" matched the weak alias \"Al-Masri, Abu Mohamed\"; \
             the list marks it weak: alone it identifies no one"
        );
        let e = Explanation::BirthDate {
            agreement: Agreement::Contradicts,
            query: Date::year(1971),
            list: vec![BirthDate::Exact(Date::year(1963))],
        };
        assert_eq!(
            e.to_string(),
            "contradicting dates of birth: born 1963 on the list, 1971 in the query"
        );
        let e = Explanation::PartMatched {
            query_part: "Abu Muhammad".into(),
            query_role: PartRole::Kunya,
            list_part: "Abu Mohamed".into(),
            list_role: PartRole::Kunya,
            rule: Rule::VariantSpelling,
            common: false,
        };
        assert_eq!(
            e.to_string(),
            "kunya \"Abu Muhammad\" = kunya \"Abu Mohamed\" (variant spelling)"
        );
        let j = serde_json::to_value(&e).unwrap();
        assert_eq!(j["kind"], "part_matched");
        assert_eq!(j["rule"], "variant_spelling");
        let back: Explanation = serde_json::from_value(j).unwrap();
        assert_eq!(back, e);
    }
}
