//! One typed list entry, whatever list it came from.

use std::fmt;

use dossier_core::Date;
use serde::{Deserialize, Serialize};

use crate::country::Country;

/// Which list format an entry was read from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum ListKind {
    /// US Treasury OFAC SDN list, legacy CSV (`sdn.csv`, `alt.csv`, `add.csv`).
    Ofac,
    /// UN Security Council consolidated list XML.
    Un,
    /// OpenSanctions FollowTheMoney entities, one JSON object a line.
    Ftm,
}

impl ListKind {
    pub fn as_str(self) -> &'static str {
        match self {
            ListKind::Ofac => "ofac",
            ListKind::Un => "un",
            ListKind::Ftm => "ftm",
        }
    }

    pub fn parse(s: &str) -> Option<ListKind> {
        match s.trim().to_ascii_lowercase().as_str() {
            "ofac" | "sdn" => Some(ListKind::Ofac),
            "un" => Some(ListKind::Un),
            "ftm" | "opensanctions" => Some(ListKind::Ftm),
            _ => None,
        }
    }
}

impl fmt::Display for ListKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// What a listed (or queried) thing is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum EntityType {
    Person,
    Organization,
    Vessel,
    Aircraft,
    Unknown,
}

impl EntityType {
    pub fn as_str(self) -> &'static str {
        match self {
            EntityType::Person => "person",
            EntityType::Organization => "organization",
            EntityType::Vessel => "vessel",
            EntityType::Aircraft => "aircraft",
            EntityType::Unknown => "unknown",
        }
    }

    /// Reads the words lists and users write for a type (OFAC `individual`,
    /// FtM `Person`/`Company`/`LegalEntity`, `organisation`...).
    pub fn parse(s: &str) -> Option<EntityType> {
        Some(match s.trim().to_ascii_lowercase().as_str() {
            "person" | "individual" | "people" | "human" => EntityType::Person,
            "organization" | "organisation" | "org" | "entity" | "company" | "legalentity"
            | "publicbody" => EntityType::Organization,
            "vessel" | "ship" => EntityType::Vessel,
            "aircraft" | "airplane" => EntityType::Aircraft,
            "" | "unknown" | "thing" | "any" => EntityType::Unknown,
            _ => return None,
        })
    }

    /// Whether names of this type are read as person names.
    pub fn is_person_like(self) -> bool {
        matches!(self, EntityType::Person | EntityType::Unknown)
    }
}

impl fmt::Display for EntityType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// How much a name on a list can be relied on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Strength {
    Strong,
    /// A "low quality" alias (UN `Low`, OFAC remarks a.k.a., FtM
    /// `weakAlias`) or a one-word alias such as "SALEH": kept for screening,
    /// but a match on it alone is weak evidence.
    Weak,
}

/// The role of a name within its entry.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum NameKind {
    Primary,
    Alias,
    /// Formerly known as.
    Former,
    /// The name in its original script (UN `NAME_ORIGINAL_SCRIPT`).
    OriginalScript,
}

impl NameKind {
    pub fn as_str(self) -> &'static str {
        match self {
            NameKind::Primary => "primary name",
            NameKind::Alias => "alias",
            NameKind::Former => "former name",
            NameKind::OriginalScript => "original-script name",
        }
    }
}

/// The writing system of a name.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Script {
    Latin,
    Arabic,
    Cyrillic,
    Other,
}

impl Script {
    /// The script most letters of `s` are written in.
    pub fn of(s: &str) -> Script {
        let (mut latin, mut arabic, mut cyrillic, mut other) = (0, 0, 0, 0);
        for c in s.chars().filter(|c| c.is_alphabetic()) {
            match c as u32 {
                0..=0x024F | 0x1E00..=0x1EFF => latin += 1,
                0x0600..=0x06FF | 0x0750..=0x077F | 0xFB50..=0xFDFF | 0xFE70..=0xFEFF => {
                    arabic += 1
                }
                0x0400..=0x052F => cyrillic += 1,
                _ => other += 1,
            }
        }
        let best = latin.max(arabic).max(cyrillic).max(other);
        if best == 0 || best == latin {
            Script::Latin
        } else if best == arabic {
            Script::Arabic
        } else if best == cyrillic {
            Script::Cyrillic
        } else {
            Script::Other
        }
    }
}

/// A name as compared and shown: whitespace collapsed, and the quotes
/// some list names come wrapped in ("\"HASSAN, Sheikh\"") removed.
pub fn clean_name(text: &str) -> String {
    text.trim()
        .trim_matches(|c: char| matches!(c, '"' | '“' | '”'))
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

/// One name of an entry.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ListName {
    pub text: String,
    pub kind: NameKind,
    pub strength: Strength,
    pub script: Script,
}

impl ListName {
    /// A name with its script detected; one-word aliases are weak whatever
    /// the list says, since one word identifies nobody.
    pub fn new(text: &str, kind: NameKind, strength: Strength) -> ListName {
        let text = clean_name(text);
        let one_word = !text.contains([' ', ',']);
        let strength = if one_word && kind == NameKind::Alias {
            Strength::Weak
        } else {
            strength
        };
        ListName {
            script: Script::of(&text),
            text,
            kind,
            strength,
        }
    }
}

/// A date of birth as lists give it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum BirthDate {
    /// A date known to day, month or year precision.
    Exact(Date),
    /// "circa 1963", UN `APPROXIMATELY`.
    Circa(i32),
    /// "1965 to 1969", UN `BETWEEN`.
    Between { from: i32, to: i32 },
}

impl BirthDate {
    /// Earliest and latest year the date allows.
    pub fn years(&self) -> (i32, i32) {
        match *self {
            BirthDate::Exact(d) => (d.year, d.year),
            BirthDate::Circa(y) => (y - 1, y + 1),
            BirthDate::Between { from, to } => (from.min(to), from.max(to)),
        }
    }

    /// Parses what [`fmt::Display`] writes: `1963`, `1963-06`,
    /// `1963-06-06`, `circa 1963`, `1965..1969`.
    pub fn parse(s: &str) -> Option<BirthDate> {
        let s = s.trim();
        if let Some(y) = s.strip_prefix("circa ") {
            return y.trim().parse().ok().map(BirthDate::Circa);
        }
        if let Some((a, b)) = s.split_once("..") {
            let (from, to) = (a.trim().parse().ok()?, b.trim().parse().ok()?);
            return Some(BirthDate::Between { from, to });
        }
        Date::parse_iso(s).map(BirthDate::Exact)
    }
}

impl fmt::Display for BirthDate {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            BirthDate::Exact(d) => write!(f, "{d}"),
            BirthDate::Circa(y) => write!(f, "circa {y}"),
            BirthDate::Between { from, to } => write!(f, "{from}..{to}"),
        }
    }
}

impl Serialize for BirthDate {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for BirthDate {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = String::deserialize(d)?;
        BirthDate::parse(&s)
            .ok_or_else(|| serde::de::Error::custom(format!("not a birth date: {s:?}")))
    }
}

/// How a country relates to an entry.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CountryRole {
    Nationality,
    Citizenship,
    BirthPlace,
    Address,
    /// Country of registration or the FtM `country` property.
    Jurisdiction,
}

impl CountryRole {
    pub fn as_str(self) -> &'static str {
        match self {
            CountryRole::Nationality => "nationality",
            CountryRole::Citizenship => "citizenship",
            CountryRole::BirthPlace => "place of birth",
            CountryRole::Address => "address",
            CountryRole::Jurisdiction => "country",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CountryLink {
    pub country: Country,
    pub role: CountryRole,
}

/// Kinds of identifying numbers.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum IdKind {
    Passport,
    NationalId,
    TaxId,
    Registration,
    /// IMO ship number.
    Imo,
    Mmsi,
    Other,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Identifier {
    pub kind: IdKind,
    /// The label as the list wrote it ("National ID No.", "Cedula No.").
    pub label: String,
    pub number: String,
    pub country: Option<Country>,
}

impl Identifier {
    /// The number with only its letters and digits, upper case: the form
    /// compared.
    pub fn normalized(&self) -> String {
        normalize_id(&self.number)
    }
}

pub fn normalize_id(s: &str) -> String {
    s.chars()
        .filter(char::is_ascii_alphanumeric)
        .map(|c| c.to_ascii_uppercase())
        .collect()
}

/// One sanctioned person, organisation, vessel or aircraft.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ListEntry {
    pub list: ListKind,
    /// OFAC `ent_num`, UN reference number ("QDi.019"), FtM entity id.
    pub list_id: String,
    pub entity_type: EntityType,
    /// The primary name first.
    pub names: Vec<ListName>,
    pub birth_dates: Vec<BirthDate>,
    pub countries: Vec<CountryLink>,
    /// Sanctions programmes ("SDGT", "Al-Qaida").
    pub programs: Vec<String>,
    pub identifiers: Vec<Identifier>,
    /// The date of listing, when the list gives it.
    #[serde(with = "crate::entry::opt_date")]
    pub listed_on: Option<Date>,
}

impl ListEntry {
    pub fn primary_name(&self) -> &str {
        self.names.first().map_or("", |n| n.text.as_str())
    }

    /// Adds a name unless the entry already has the same text.
    pub fn push_name(&mut self, name: ListName) {
        if !name.text.is_empty() && !self.names.iter().any(|n| n.text == name.text) {
            self.names.push(name);
        }
    }

    /// A short hash of everything screening reads from the entry: equal
    /// fingerprints under one list id mean nothing changed, so re-screening
    /// after a list update can report new and changed entries only.
    pub fn fingerprint(&self) -> String {
        let mut parts: Vec<String> = vec![self.list.as_str().into(), self.list_id.clone()];
        parts.push(self.entity_type.as_str().into());
        for n in &self.names {
            parts.push(format!("n:{:?}:{:?}:{}", n.kind, n.strength, n.text));
        }
        for d in &self.birth_dates {
            parts.push(format!("b:{d}"));
        }
        for c in &self.countries {
            parts.push(format!(
                "c:{:?}:{}:{}",
                c.role,
                c.country.code.as_deref().unwrap_or(""),
                c.country.name
            ));
        }
        for p in &self.programs {
            parts.push(format!("p:{p}"));
        }
        for i in &self.identifiers {
            parts.push(format!("i:{:?}:{}", i.kind, i.normalized()));
        }
        let refs: Vec<&str> = parts.iter().map(String::as_str).collect();
        dossier_core::stable_id("list-entry", &refs)
    }

    pub fn push_country(&mut self, country: Country, role: CountryRole) {
        let link = CountryLink { country, role };
        if !self.countries.contains(&link) {
            self.countries.push(link);
        }
    }
}

/// Where a list's date came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DateOrigin {
    /// Written in the file (UN `dateGenerated`, FtM `last_change`).
    Document,
    /// A date in the file or folder name ("2022-01_ListLookup").
    PathName,
    /// The file's modification time.
    FileModified,
    Unknown,
}

/// Why a record of a list file was left out (the rest of the file is
/// sound, so the list is still loaded).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "reason", rename_all = "snake_case")]
pub enum Skipped {
    /// A second record with an id already seen; the first is kept.
    DuplicateId {
        file: String,
        line: usize,
        id: String,
        first_line: usize,
    },
    /// Aliases or addresses for an id the main file does not have.
    UnknownId {
        file: String,
        line: usize,
        id: String,
    },
}

impl fmt::Display for Skipped {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Skipped::DuplicateId {
                file,
                line,
                id,
                first_line,
            } => write!(
                f,
                "{file}:{line}: skipped a second record for id {id} (kept the one on line {first_line})"
            ),
            Skipped::UnknownId { file, line, id } => {
                write!(f, "{file}:{line}: skipped: id {id} is not in the main file")
            }
        }
    }
}

/// A loaded list's provenance: what re-screening compares against.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ListSource {
    pub kind: ListKind,
    /// The file or folder it was read from.
    pub path: String,
    /// Every file read (OFAC: `sdn.csv` and the `alt.csv`/`add.csv` found
    /// beside it).
    pub files: Vec<String>,
    #[serde(with = "crate::entry::opt_date")]
    pub date: Option<Date>,
    pub date_origin: DateOrigin,
    /// Records left out, with reasons.
    #[serde(default)]
    pub skipped: Vec<Skipped>,
}

/// A list read whole: its provenance and entries.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SanctionsList {
    pub source: ListSource,
    pub entries: Vec<ListEntry>,
}

impl SanctionsList {
    /// A hash of the entries' fingerprints in id order: the list's content
    /// version, whatever file it was read from.
    pub fn digest(&self) -> String {
        let mut fps: Vec<(String, String)> = self
            .entries
            .iter()
            .map(|e| (e.list_id.clone(), e.fingerprint()))
            .collect();
        fps.sort();
        let parts: Vec<&str> = fps.iter().map(|x| x.1.as_str()).collect();
        dossier_core::stable_id("list", &parts)
    }
}

/// Serde for `Option<Date>` as an ISO string cut to its precision.
pub(crate) mod opt_date {
    use dossier_core::Date;
    use serde::{Deserialize, Deserializer, Serializer};

    pub fn serialize<S: Serializer>(d: &Option<Date>, s: S) -> Result<S::Ok, S::Error> {
        match d {
            Some(d) => s.collect_str(d),
            None => s.serialize_none(),
        }
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Option<Date>, D::Error> {
        let s: Option<String> = Option::deserialize(d)?;
        match s {
            None => Ok(None),
            Some(s) => Date::parse_iso(&s)
                .map(Some)
                .ok_or_else(|| serde::de::Error::custom(format!("not an ISO date: {s:?}"))),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_word_aliases_are_weak() {
        let n = ListName::new("SALEH", NameKind::Alias, Strength::Strong);
        assert_eq!(n.strength, Strength::Weak);
        let n = ListName::new("AL-MASRI, Abu Mohamed", NameKind::Alias, Strength::Strong);
        assert_eq!(n.strength, Strength::Strong);
        let n = ListName::new("BANCO", NameKind::Primary, Strength::Strong);
        assert_eq!(n.strength, Strength::Strong);
        let n = ListName::new("\"HASSAN, Sheikh\"", NameKind::Alias, Strength::Weak);
        assert_eq!(n.text, "HASSAN, Sheikh");
    }

    #[test]
    fn fingerprints_change_with_content_only() {
        let e = ListEntry {
            list: ListKind::Un,
            list_id: "QDi.1".into(),
            entity_type: EntityType::Person,
            names: vec![ListName::new("A B", NameKind::Primary, Strength::Strong)],
            birth_dates: vec![BirthDate::Circa(1960)],
            countries: vec![],
            programs: vec!["X".into()],
            identifiers: vec![],
            listed_on: None,
        };
        let mut f = e.clone();
        assert_eq!(e.fingerprint(), f.fingerprint());
        f.push_name(ListName::new("C D", NameKind::Alias, Strength::Weak));
        assert_ne!(e.fingerprint(), f.fingerprint());
        let src = ListSource {
            kind: ListKind::Un,
            path: "a".into(),
            files: vec![],
            date: None,
            date_origin: DateOrigin::Unknown,
            skipped: vec![],
        };
        let a = SanctionsList {
            source: src.clone(),
            entries: vec![e.clone(), f.clone()],
        };
        let mut b = SanctionsList {
            source: ListSource {
                path: "b".into(),
                ..src
            },
            entries: vec![f, e],
        };
        assert_eq!(a.digest(), b.digest());
        b.entries.pop();
        assert_ne!(a.digest(), b.digest());
    }

    #[test]
    fn scripts() {
        assert_eq!(Script::of("Abu Mohamed"), Script::Latin);
        assert_eq!(Script::of("عبد الله احمد"), Script::Arabic);
        assert_eq!(Script::of("Ри Вон Хо"), Script::Cyrillic);
        assert_eq!(Script::of("李"), Script::Other);
        assert_eq!(Script::of("123"), Script::Latin);
    }

    #[test]
    fn birth_dates_round_trip_and_span_years() {
        for s in ["1963", "1963-06", "1963-06-06", "circa 1963", "1965..1969"] {
            let d = BirthDate::parse(s).unwrap();
            assert_eq!(d.to_string(), s);
            let j = serde_json::to_string(&d).unwrap();
            assert_eq!(serde_json::from_str::<BirthDate>(&j).unwrap(), d);
        }
        assert_eq!(BirthDate::Circa(1963).years(), (1962, 1964));
        assert_eq!(
            BirthDate::Between {
                from: 1969,
                to: 1965
            }
            .years(),
            (1965, 1969)
        );
        assert!(BirthDate::parse("1963-13-01").is_none());
        assert!(serde_json::from_str::<BirthDate>("\"soon\"").is_err());
    }

    #[test]
    fn types_parse_list_words() {
        assert_eq!(EntityType::parse("individual"), Some(EntityType::Person));
        assert_eq!(
            EntityType::parse("LegalEntity"),
            Some(EntityType::Organization)
        );
        assert_eq!(EntityType::parse(""), Some(EntityType::Unknown));
        assert_eq!(EntityType::parse("banana"), None);
        assert_eq!(ListKind::parse("UN"), Some(ListKind::Un));
        assert_eq!(normalize_id("A-104 72/263"), "A10472263");
    }
}
