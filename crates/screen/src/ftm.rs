//! OpenSanctions FollowTheMoney entities, one JSON object a line:
//! `{"id", "schema", "properties": {"name": [..], "alias": [..],
//! "weakAlias": [..], "birthDate": [..], "nationality": [..], "country":
//! [..], ...}, "datasets": [..], "last_change": ..}`.
//!
//! Only the schemata one screens against are kept (Person, Organization,
//! Company, LegalEntity, PublicBody, Vessel, Airplane); sanctions,
//! addresses and other helper entities are skipped. Read line by line, so
//! the size of the file does not set the memory used beyond its entries.

use std::collections::BTreeMap;
use std::io::{BufRead, BufReader, Read};
use std::path::Path;

use dossier_core::Date;
use serde::Deserialize;

use crate::country::Country;
use crate::entry::{
    BirthDate, CountryRole, EntityType, IdKind, Identifier, ListEntry, ListKind, ListName,
    NameKind, SanctionsList, Strength,
};
use crate::load::{check_name, open_file, source_for, LoadError};

/// A line longer than this (bytes) is refused.
pub const MAX_LINE_BYTES: usize = 16 << 20;

#[derive(Debug, Deserialize)]
struct Raw {
    id: String,
    schema: String,
    #[serde(default)]
    properties: BTreeMap<String, Vec<serde_json::Value>>,
    #[serde(default)]
    datasets: Vec<String>,
    #[serde(default)]
    last_change: Option<String>,
}

pub fn read(path: &Path) -> Result<SanctionsList, LoadError> {
    let mut reader = BufReader::new(open_file(path)?);
    let mut entries = Vec::new();
    let mut newest: Option<Date> = None;
    let mut skipped = 0usize;
    let mut buf = Vec::new();
    let mut line = 0usize;
    loop {
        buf.clear();
        let n = (&mut reader)
            .take(MAX_LINE_BYTES as u64 + 1)
            .read_until(b'\n', &mut buf)
            .map_err(|e| LoadError::io(path, e))?;
        if n == 0 {
            break;
        }
        line += 1;
        if buf.len() > MAX_LINE_BYTES {
            return Err(LoadError::format(
                path,
                line,
                format!("line longer than {MAX_LINE_BYTES} bytes"),
            ));
        }
        let text = std::str::from_utf8(&buf)
            .map_err(|_| LoadError::format(path, line, "not UTF-8"))?
            .trim();
        if text.is_empty() {
            continue;
        }
        let raw: Raw = serde_json::from_str(text).map_err(|e| {
            LoadError::format(
                path,
                line,
                format!(
                    "not a FollowTheMoney entity (JSON object with id, schema, properties): {e}"
                ),
            )
        })?;
        if let Some(d) = raw
            .last_change
            .as_deref()
            .and_then(|s| s.get(..10))
            .and_then(Date::parse_iso)
        {
            newest = newest.max(Some(d));
        }
        match entry(path, line, raw)? {
            Some(e) => entries.push(e),
            None => skipped += 1,
        }
    }
    if entries.is_empty() {
        return Err(LoadError::file(
            path,
            format!("no person, organisation, vessel or aircraft entities ({skipped} others)"),
        ));
    }
    tracing::debug!(
        "{}: {} entities, {skipped} of other schemata skipped",
        crate::load::shown(path),
        entries.len()
    );
    Ok(SanctionsList {
        source: source_for(ListKind::Ftm, path, newest),
        entries,
    })
}

fn schema_type(schema: &str) -> Option<EntityType> {
    Some(match schema {
        "Person" => EntityType::Person,
        "Organization" | "Company" | "PublicBody" => EntityType::Organization,
        "LegalEntity" => EntityType::Unknown,
        "Vessel" => EntityType::Vessel,
        "Airplane" => EntityType::Aircraft,
        _ => return None,
    })
}

fn strings<'a>(raw: &'a Raw, prop: &str) -> impl Iterator<Item = &'a str> {
    raw.properties
        .get(prop)
        .into_iter()
        .flatten()
        .filter_map(|v| v.as_str())
        .map(str::trim)
        .filter(|s| !crate::entry::clean_name(s).is_empty())
}

const IDS: &[(&str, IdKind)] = &[
    ("passportNumber", IdKind::Passport),
    ("idNumber", IdKind::NationalId),
    ("taxNumber", IdKind::TaxId),
    ("registrationNumber", IdKind::Registration),
    ("imoNumber", IdKind::Imo),
    ("mmsi", IdKind::Mmsi),
];

fn entry(path: &Path, line: usize, raw: Raw) -> Result<Option<ListEntry>, LoadError> {
    let Some(entity_type) = schema_type(&raw.schema) else {
        return Ok(None);
    };
    if raw.id.trim().is_empty() {
        return Err(LoadError::format(path, line, "entity with an empty id"));
    }
    let mut names = Vec::new();
    for (prop, kind, strength) in [
        ("name", NameKind::Primary, Strength::Strong),
        ("alias", NameKind::Alias, Strength::Strong),
        ("previousName", NameKind::Former, Strength::Strong),
        ("weakAlias", NameKind::Alias, Strength::Weak),
    ] {
        for n in strings(&raw, prop) {
            check_name(path, line, n)?;
            // Only the first `name` is primary; further ones are aliases.
            let kind = if kind == NameKind::Primary && !names.is_empty() {
                NameKind::Alias
            } else {
                kind
            };
            names.push(ListName::new(n, kind, strength));
        }
    }
    if names.is_empty() {
        return Err(LoadError::format(
            path,
            line,
            format!("entity {} has an empty name", raw.id),
        ));
    }
    let mut e = ListEntry {
        list: ListKind::Ftm,
        list_id: raw.id.clone(),
        entity_type,
        names: Vec::new(),
        birth_dates: Vec::new(),
        countries: Vec::new(),
        programs: raw.datasets.clone(),
        identifiers: Vec::new(),
        listed_on: None,
    };
    for n in names {
        e.push_name(n);
    }
    for d in strings(&raw, "birthDate") {
        if let Some(d) = d.get(..10.min(d.len())).and_then(BirthDate::parse) {
            if !e.birth_dates.contains(&d) {
                e.birth_dates.push(d);
            }
        }
    }
    for (prop, role) in [
        ("nationality", CountryRole::Nationality),
        ("citizenship", CountryRole::Citizenship),
        ("country", CountryRole::Jurisdiction),
        ("jurisdiction", CountryRole::Jurisdiction),
        ("flag", CountryRole::Jurisdiction),
    ] {
        for c in strings(&raw, prop) {
            e.push_country(Country::resolve(c), role);
        }
    }
    for (prop, kind) in IDS {
        for n in strings(&raw, prop) {
            e.identifiers.push(Identifier {
                kind: *kind,
                label: prop.to_string(),
                number: n.to_string(),
                country: None,
            });
        }
    }
    Ok(Some(e))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse_line(s: &str) -> Result<Option<ListEntry>, LoadError> {
        let raw: Raw = serde_json::from_str(s)
            .map_err(|e| LoadError::format(Path::new("t.jsonl"), 1, e.to_string()))?;
        entry(Path::new("t.jsonl"), 1, raw)
    }

    #[test]
    fn persons_and_skipped_schemata() {
        let e = parse_line(
            r#"{"id":"NK-1","schema":"Person","properties":{"name":["Abdullah Ahmed Abdullah"],
            "alias":["Abu Mohamed al-Masri"],"weakAlias":["Saleh"],"birthDate":["1963-06-06","1963"],
            "nationality":["eg"],"passportNumber":["A123"]},"datasets":["un_sc_sanctions"]}"#,
        )
        .unwrap()
        .unwrap();
        assert_eq!(e.entity_type, EntityType::Person);
        assert_eq!(e.names.len(), 3);
        assert_eq!(e.names[2].strength, Strength::Weak);
        assert_eq!(e.birth_dates.len(), 2);
        assert_eq!(e.countries[0].country.code.as_deref(), Some("EG"));
        assert_eq!(e.identifiers[0].kind, IdKind::Passport);
        assert_eq!(e.programs, ["un_sc_sanctions"]);
        let s = parse_line(r#"{"id":"x","schema":"Sanction","properties":{}}"#).unwrap();
        assert!(s.is_none());
        let err = parse_line(r#"{"id":"x","schema":"Person","properties":{"name":[]}}"#);
        assert!(err.unwrap_err().to_string().contains("empty name"));
        assert!(parse_line(r#"{"schema":"Person"}"#).is_err());
    }

    proptest::proptest! {
        #[test]
        fn arbitrary_lines_never_panic(s in "\\PC{0,120}") {
            let _ = parse_line(&s);
        }

        #[test]
        fn names_survive_json(name in "[A-Za-z\u{600}-\u{6ff} '\"-]{1,30}") {
            let line = serde_json::json!({"id": "a", "schema": "Person",
                "properties": {"name": [name.clone()]}}).to_string();
            let want = crate::entry::clean_name(&name);
            match parse_line(&line) {
                Ok(Some(e)) => proptest::prop_assert_eq!(e.primary_name(), want.as_str()),
                Ok(None) => proptest::prop_assert!(false, "Person skipped"),
                Err(_) => proptest::prop_assert!(want.is_empty()),
            }
        }
    }
}
