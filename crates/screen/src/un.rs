//! UN Security Council consolidated list XML (`CONSOLIDATED_LIST` with
//! `INDIVIDUALS` and `ENTITIES`; schema `sc-sanctions.xsd`).
//!
//! Names: `FIRST_NAME` .. `FOURTH_NAME` in order, the original-script name,
//! and aliases with their quality (`Good` strong, `Low` weak; entity
//! aliases say `a.k.a.` / `f.k.a.`). Dates of birth are `EXACT` (a date or
//! a year), `APPROXIMATELY` (a year) or `BETWEEN` two years.

use std::io::Read;
use std::path::Path;

use dossier_core::Date;
use quick_xml::events::Event;
use quick_xml::Reader;

use crate::country::Country;
use crate::entry::{
    BirthDate, CountryRole, EntityType, IdKind, Identifier, ListEntry, ListKind, ListName,
    NameKind, SanctionsList, Strength,
};
use crate::load::{check_name, open_file, source_for, LoadError};

/// One `INDIVIDUAL` or `ENTITY` as (path below the record, text) pairs in
/// document order; a group element (alias, date of birth, document) is
/// recorded as `(path, None)` when it opens.
struct Raw {
    person: bool,
    line: usize,
    fields: Vec<(String, Option<String>)>,
}

pub fn read(path: &Path) -> Result<SanctionsList, LoadError> {
    let mut text = String::new();
    open_file(path)?
        .read_to_string(&mut text)
        .map_err(|e| LoadError::io(path, e))?;
    let (date, raws) =
        parse(&text).map_err(|(line, problem)| LoadError::format(path, line, problem))?;
    let mut entries = Vec::with_capacity(raws.len());
    for raw in raws {
        entries.push(entry(path, raw)?);
    }
    if entries.is_empty() {
        return Err(LoadError::file(path, "no INDIVIDUAL or ENTITY records"));
    }
    Ok(SanctionsList {
        source: source_for(ListKind::Un, path, date),
        entries,
    })
}

fn line_at(text: &str, pos: u64) -> usize {
    let pos = (pos as usize).min(text.len());
    text.as_bytes()[..pos]
        .iter()
        .filter(|&&b| b == b'\n')
        .count()
        + 1
}

/// Line numbers for increasing byte positions, counting each byte once
/// (calling [`line_at`] per record would be quadratic in the file size).
struct Lines<'a> {
    text: &'a str,
    pos: usize,
    line: usize,
}

impl<'a> Lines<'a> {
    fn new(text: &'a str) -> Self {
        Lines {
            text,
            pos: 0,
            line: 1,
        }
    }

    fn at(&mut self, pos: u64) -> usize {
        let pos = (pos as usize).min(self.text.len());
        if pos < self.pos {
            return line_at(self.text, pos as u64);
        }
        self.line += self.text.as_bytes()[self.pos..pos]
            .iter()
            .filter(|&&b| b == b'\n')
            .count();
        self.pos = pos;
        self.line
    }
}

const GROUPS: &[&str] = &[
    "INDIVIDUAL_ALIAS",
    "ENTITY_ALIAS",
    "INDIVIDUAL_DATE_OF_BIRTH",
    "INDIVIDUAL_DOCUMENT",
    "INDIVIDUAL_PLACE_OF_BIRTH",
    "INDIVIDUAL_ADDRESS",
    "ENTITY_ADDRESS",
];

type Parsed = (Option<Date>, Vec<Raw>);

/// Events to records; errors as (line, problem).
fn parse(text: &str) -> Result<Parsed, (usize, String)> {
    let mut reader = Reader::from_str(text);
    reader.config_mut().trim_text(true);
    let mut stack: Vec<String> = Vec::new();
    let mut raws = Vec::new();
    let mut cur: Option<Raw> = None;
    let mut date = None;
    let mut saw_root = false;
    let mut lines = Lines::new(text);
    loop {
        let pos = reader.buffer_position();
        let ev = reader.read_event().map_err(|e| {
            (
                line_at(text, reader.error_position()),
                format!("malformed XML: {e}"),
            )
        })?;
        match ev {
            Event::Start(e) | Event::Empty(e) if stack.is_empty() && !saw_root => {
                let name = String::from_utf8_lossy(e.name().as_ref()).into_owned();
                if name != "CONSOLIDATED_LIST" {
                    return Err((
                        line_at(text, pos),
                        format!("root element is <{name}>, not <CONSOLIDATED_LIST>: not a UN consolidated list"),
                    ));
                }
                saw_root = true;
                for a in e.attributes().flatten() {
                    if a.key.as_ref() == b"dateGenerated" {
                        let v = String::from_utf8_lossy(&a.value).into_owned();
                        date = v.get(..10).and_then(Date::parse_iso);
                    }
                }
                stack.push(name);
            }
            Event::Start(e) => {
                let name = String::from_utf8_lossy(e.name().as_ref()).into_owned();
                if name == "INDIVIDUAL" || name == "ENTITY" {
                    if cur.is_some() {
                        return Err((line_at(text, pos), format!("<{name}> inside a record")));
                    }
                    cur = Some(Raw {
                        person: name == "INDIVIDUAL",
                        line: lines.at(pos),
                        fields: Vec::new(),
                    });
                } else if let Some(r) = cur.as_mut() {
                    if GROUPS.contains(&name.as_str()) {
                        r.fields.push((name.clone(), None));
                    }
                }
                stack.push(name);
            }
            Event::Empty(_) => {}
            Event::Text(t) => {
                if let Some(r) = cur.as_mut() {
                    let s = t
                        .unescape()
                        .map_err(|e| (line_at(text, pos), format!("bad text: {e}")))?;
                    push_text(r, &stack, &s);
                }
            }
            Event::CData(t) => {
                if let Some(r) = cur.as_mut() {
                    let s = String::from_utf8_lossy(t.as_ref()).into_owned();
                    push_text(r, &stack, &s);
                }
            }
            Event::End(_) => {
                let name = stack.pop().unwrap_or_default();
                if name == "INDIVIDUAL" || name == "ENTITY" {
                    raws.extend(cur.take());
                }
            }
            Event::Eof => break,
            _ => {}
        }
    }
    if !saw_root {
        return Err((1, "no XML root element: not a UN consolidated list".into()));
    }
    if !stack.is_empty() || cur.is_some() {
        return Err((
            line_at(text, text.len() as u64),
            "file ends inside an element (truncated?)".into(),
        ));
    }
    Ok((date, raws))
}

fn push_text(r: &mut Raw, stack: &[String], s: &str) {
    let depth = stack
        .iter()
        .rposition(|n| n == "INDIVIDUAL" || n == "ENTITY")
        .map_or(0, |i| i + 1);
    let path = stack[depth..].join("/");
    // Text split by entities or comments continues the same field.
    if let Some((p, Some(t))) = r.fields.last_mut() {
        if *p == path {
            t.push_str(s);
            return;
        }
    }
    r.fields.push((path, Some(s.to_string())));
}

fn entry(path: &Path, raw: Raw) -> Result<ListEntry, LoadError> {
    let line = raw.line;
    let get = |key: &str| {
        raw.fields
            .iter()
            .find(|(p, v)| p == key && v.is_some())
            .and_then(|(_, v)| v.as_deref())
            .map(str::trim)
            .filter(|v| !v.is_empty())
    };
    let list_id = get("REFERENCE_NUMBER")
        .or_else(|| get("DATAID"))
        .ok_or_else(|| LoadError::format(path, line, "record without REFERENCE_NUMBER or DATAID"))?
        .to_string();
    let primary: Vec<&str> = ["FIRST_NAME", "SECOND_NAME", "THIRD_NAME", "FOURTH_NAME"]
        .iter()
        .filter_map(|k| get(k))
        .collect();
    let primary = primary.join(" ");
    if crate::entry::clean_name(&primary).is_empty() {
        return Err(LoadError::format(
            path,
            line,
            format!("record {list_id} has an empty name"),
        ));
    }
    check_name(path, line, &primary)?;
    let mut e = ListEntry {
        list: ListKind::Un,
        list_id,
        entity_type: if raw.person {
            EntityType::Person
        } else {
            EntityType::Organization
        },
        names: vec![ListName::new(&primary, NameKind::Primary, Strength::Strong)],
        birth_dates: Vec::new(),
        countries: Vec::new(),
        programs: get("UN_LIST_TYPE")
            .map(str::to_string)
            .into_iter()
            .collect(),
        identifiers: Vec::new(),
        listed_on: get("LISTED_ON")
            .and_then(|d| d.get(..10))
            .and_then(Date::parse_iso),
    };
    if let Some(orig) = get("NAME_ORIGINAL_SCRIPT") {
        check_name(path, line, orig)?;
        e.push_name(ListName::new(
            orig,
            NameKind::OriginalScript,
            Strength::Strong,
        ));
    }
    let mut group = Group::default();
    for (p, v) in &raw.fields {
        match v {
            None => {
                group.finish(path, line, &mut e)?;
                group = Group {
                    kind: p.clone(),
                    ..Group::default()
                };
            }
            Some(v) => {
                let v = v.trim();
                if v.is_empty() {
                    continue;
                }
                let leaf = p.rsplit('/').next().unwrap_or(p);
                if p.starts_with(&group.kind) && !group.kind.is_empty() {
                    group.values.push((leaf.to_string(), v.to_string()));
                } else if p == "NATIONALITY/VALUE" {
                    e.push_country(Country::resolve(v), CountryRole::Nationality);
                }
            }
        }
    }
    group.finish(path, line, &mut e)?;
    Ok(e)
}

/// The fields of one group element being read.
#[derive(Default)]
struct Group {
    kind: String,
    values: Vec<(String, String)>,
}

impl Group {
    fn get(&self, k: &str) -> Option<&str> {
        self.values
            .iter()
            .find(|(x, _)| x == k)
            .map(|(_, v)| v.as_str())
    }

    fn finish(&self, path: &Path, line: usize, e: &mut ListEntry) -> Result<(), LoadError> {
        match self.kind.as_str() {
            "INDIVIDUAL_ALIAS" | "ENTITY_ALIAS" => {
                if let Some(name) = self.get("ALIAS_NAME") {
                    check_name(path, line, name)?;
                    let quality = self.get("QUALITY").unwrap_or("");
                    let (kind, strength) = match quality.to_ascii_lowercase().as_str() {
                        "low" => (NameKind::Alias, Strength::Weak),
                        "f.k.a." | "fka" => (NameKind::Former, Strength::Strong),
                        _ => (NameKind::Alias, Strength::Strong),
                    };
                    e.push_name(ListName::new(name, kind, strength));
                }
            }
            "INDIVIDUAL_DATE_OF_BIRTH" => {
                if let Some(d) = self.birth_date() {
                    if !e.birth_dates.contains(&d) {
                        e.birth_dates.push(d);
                    }
                }
            }
            "INDIVIDUAL_PLACE_OF_BIRTH" => {
                if let Some(c) = self.get("COUNTRY") {
                    e.push_country(Country::resolve(c), CountryRole::BirthPlace);
                }
            }
            "INDIVIDUAL_ADDRESS" | "ENTITY_ADDRESS" => {
                if let Some(c) = self.get("COUNTRY") {
                    e.push_country(Country::resolve(c), CountryRole::Address);
                }
            }
            "INDIVIDUAL_DOCUMENT" => {
                if let Some(number) = self.get("NUMBER") {
                    let label = self.get("TYPE_OF_DOCUMENT").unwrap_or("Document");
                    let l = label.to_ascii_lowercase();
                    let kind = if l.contains("passport")
                        || l.contains("pasaporte")
                        || l.contains("passeport")
                    {
                        IdKind::Passport
                    } else if l.contains("national") {
                        IdKind::NationalId
                    } else {
                        IdKind::Other
                    };
                    e.identifiers.push(Identifier {
                        kind,
                        label: label.to_string(),
                        number: number.to_string(),
                        country: self
                            .get("ISSUING_COUNTRY")
                            .or_else(|| self.get("COUNTRY_OF_ISSUE"))
                            .map(Country::resolve),
                    });
                }
            }
            _ => {}
        }
        Ok(())
    }

    fn birth_date(&self) -> Option<BirthDate> {
        let year = |k: &str| self.get(k).and_then(|y| y.trim().parse::<i32>().ok());
        let kind = self
            .get("TYPE_OF_DATE")
            .unwrap_or("EXACT")
            .to_ascii_uppercase();
        if let (Some(from), Some(to)) = (year("FROM_YEAR"), year("TO_YEAR")) {
            return Some(BirthDate::Between { from, to });
        }
        let exact = self
            .get("DATE")
            .and_then(|d| d.get(..10).or(Some(d)))
            .and_then(Date::parse_iso)
            .or_else(|| year("YEAR").map(Date::year))?;
        Some(if kind == "APPROXIMATELY" {
            BirthDate::Circa(exact.year)
        } else {
            BirthDate::Exact(exact)
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const XML: &str = r#"<?xml version="1.0" encoding="UTF-8"?>
<CONSOLIDATED_LIST dateGenerated="2020-11-30T20:31:19.923-05:00">
<INDIVIDUALS>
<INDIVIDUAL><DATAID>1</DATAID><FIRST_NAME>ABDULLAH</FIRST_NAME><SECOND_NAME>AHMED</SECOND_NAME>
<THIRD_NAME>ABDULLAH</THIRD_NAME><FOURTH_NAME>EL ALFI</FOURTH_NAME><UN_LIST_TYPE>Al-Qaida</UN_LIST_TYPE>
<REFERENCE_NUMBER>QDi.019 </REFERENCE_NUMBER><LISTED_ON>2001-10-17</LISTED_ON>
<NAME_ORIGINAL_SCRIPT>عبد الله احمد عبدالله الالفي</NAME_ORIGINAL_SCRIPT>
<NATIONALITY><VALUE>Egypt</VALUE></NATIONALITY>
<INDIVIDUAL_ALIAS><QUALITY>Low</QUALITY><ALIAS_NAME>Al-Masri, Abu Mohamed</ALIAS_NAME></INDIVIDUAL_ALIAS>
<INDIVIDUAL_ALIAS><QUALITY>Good</QUALITY><ALIAS_NAME>Abu Mariam &amp; Co</ALIAS_NAME></INDIVIDUAL_ALIAS>
<INDIVIDUAL_ALIAS><QUALITY/><ALIAS_NAME/></INDIVIDUAL_ALIAS>
<INDIVIDUAL_DATE_OF_BIRTH><TYPE_OF_DATE>EXACT</TYPE_OF_DATE><DATE>1963-06-06</DATE></INDIVIDUAL_DATE_OF_BIRTH>
<INDIVIDUAL_DATE_OF_BIRTH><TYPE_OF_DATE>BETWEEN</TYPE_OF_DATE><FROM_YEAR>1965</FROM_YEAR><TO_YEAR>1969</TO_YEAR></INDIVIDUAL_DATE_OF_BIRTH>
<INDIVIDUAL_DATE_OF_BIRTH><TYPE_OF_DATE>APPROXIMATELY</TYPE_OF_DATE><YEAR>1962</YEAR></INDIVIDUAL_DATE_OF_BIRTH>
<INDIVIDUAL_PLACE_OF_BIRTH><CITY>Gharbia</CITY><COUNTRY>Egypt</COUNTRY></INDIVIDUAL_PLACE_OF_BIRTH>
<INDIVIDUAL_DOCUMENT><TYPE_OF_DOCUMENT>Passport</TYPE_OF_DOCUMENT><NUMBER>123</NUMBER><ISSUING_COUNTRY>Egypt</ISSUING_COUNTRY></INDIVIDUAL_DOCUMENT>
</INDIVIDUAL>
</INDIVIDUALS>
<ENTITIES>
<ENTITY><DATAID>2</DATAID><FIRST_NAME>AL-AKHTAR TRUST</FIRST_NAME><UN_LIST_TYPE>Al-Qaida</UN_LIST_TYPE>
<REFERENCE_NUMBER>QDe.121</REFERENCE_NUMBER><LISTED_ON>2003-10-17</LISTED_ON>
<ENTITY_ALIAS><QUALITY>a.k.a.</QUALITY><ALIAS_NAME>Pakistan Relief Foundation</ALIAS_NAME></ENTITY_ALIAS>
<ENTITY_ALIAS><QUALITY>f.k.a.</QUALITY><ALIAS_NAME>Old Trust Name</ALIAS_NAME></ENTITY_ALIAS>
<ENTITY_ADDRESS><COUNTRY>Pakistan</COUNTRY></ENTITY_ADDRESS>
</ENTITY>
</ENTITIES>
</CONSOLIDATED_LIST>"#;

    #[test]
    fn reads_individuals_and_entities() {
        let (date, raws) = parse(XML).unwrap();
        assert_eq!(date.map(|d| d.to_string()).as_deref(), Some("2020-11-30"));
        let p = Path::new("un.xml");
        let es: Vec<ListEntry> = raws.into_iter().map(|r| entry(p, r).unwrap()).collect();
        let a = &es[0];
        assert_eq!(a.list_id, "QDi.019");
        assert_eq!(a.entity_type, EntityType::Person);
        assert_eq!(a.primary_name(), "ABDULLAH AHMED ABDULLAH EL ALFI");
        let names: Vec<(&str, NameKind, Strength)> = a
            .names
            .iter()
            .map(|n| (n.text.as_str(), n.kind, n.strength))
            .collect();
        assert_eq!(
            names[1..],
            [
                (
                    "عبد الله احمد عبدالله الالفي",
                    NameKind::OriginalScript,
                    Strength::Strong
                ),
                ("Al-Masri, Abu Mohamed", NameKind::Alias, Strength::Weak),
                ("Abu Mariam & Co", NameKind::Alias, Strength::Strong),
            ]
        );
        assert_eq!(
            a.birth_dates,
            [
                BirthDate::Exact(Date::ymd(1963, 6, 6).unwrap()),
                BirthDate::Between {
                    from: 1965,
                    to: 1969
                },
                BirthDate::Circa(1962)
            ]
        );
        assert_eq!(a.countries.len(), 2);
        assert_eq!(a.identifiers[0].kind, IdKind::Passport);
        assert_eq!(a.programs, ["Al-Qaida"]);
        assert_eq!(
            a.listed_on.map(|d| d.to_string()).as_deref(),
            Some("2001-10-17")
        );
        let b = &es[1];
        assert_eq!(b.entity_type, EntityType::Organization);
        assert_eq!(b.names[2].kind, NameKind::Former);
        assert_eq!(b.countries[0].country.code.as_deref(), Some("PK"));
    }

    #[test]
    fn refuses_other_xml_and_truncation() {
        let e = parse("<rss><channel/></rss>").err().unwrap();
        assert!(e.1.contains("not a UN consolidated list"), "{e:?}");
        let cut = &XML[..XML.find("</INDIVIDUAL>").unwrap()];
        let e = parse(cut).err().unwrap();
        assert!(
            e.1.contains("truncated") || e.1.contains("malformed"),
            "{e:?}"
        );
        let e = parse("\n\n<CONSOLIDATED_LIST><INDIVIDUALS><INDIVIDUAL></X>")
            .err()
            .unwrap();
        assert_eq!(e.0, 3, "{e:?}");
        assert!(parse("not xml at all").is_err());
    }

    proptest::proptest! {
        #[test]
        fn arbitrary_text_never_panics(s in "\\PC{0,200}") {
            let _ = parse(&s);
        }

        #[test]
        fn names_round_trip_through_escaping(name in "[A-Za-z '&<>\"-]{1,30}") {
            let esc = name
                .replace('&', "&amp;")
                .replace('<', "&lt;")
                .replace('>', "&gt;");
            let xml = format!(
                "<CONSOLIDATED_LIST><INDIVIDUALS><INDIVIDUAL><REFERENCE_NUMBER>X</REFERENCE_NUMBER>\
                 <FIRST_NAME>{esc}</FIRST_NAME></INDIVIDUAL></INDIVIDUALS></CONSOLIDATED_LIST>"
            );
            let (_, raws) = parse(&xml).unwrap();
            let want = crate::entry::clean_name(&name);
            match entry(Path::new("p"), raws.into_iter().next().unwrap()) {
                Ok(e) => proptest::prop_assert_eq!(e.primary_name(), want.as_str()),
                Err(_) => proptest::prop_assert!(want.is_empty()),
            }
        }
    }
}
