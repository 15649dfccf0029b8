//! OFAC SDN list, legacy CSV: `sdn.csv` (12 columns, no header),
//! `alt.csv` (aliases) and `add.csv` (addresses) beside it.
//!
//! The remarks column carries the rest: dates and places of birth,
//! nationality, citizenship, identity documents and the "weak" aliases in
//! single quotes (`a.k.a. 'SALEH'`), which OFAC does not put in `alt.csv`.
//! Vintages without `alt.csv` (the 2024 git-scrape) have only those.

use std::collections::HashMap;
use std::io::BufReader;
use std::path::{Path, PathBuf};

use dossier_core::Date;

use crate::country::Country;
use crate::csv::{CsvError, CsvReader, Record};
use crate::entry::{
    BirthDate, CountryRole, EntityType, IdKind, Identifier, ListEntry, ListKind, ListName,
    NameKind, SanctionsList, Skipped, Strength,
};
use crate::load::{check_name, open_file, source_for, LoadError};

const SDN_COLUMNS: &str = "ent_num, SDN_Name, SDN_Type, Program, Title, Call_Sign, Vess_type, Tonnage, GRT, Vess_flag, Vess_owner, Remarks";
const ALT_COLUMNS: &str = "ent_num, alt_num, alt_type, alt_name, alt_remarks";
const ADD_COLUMNS: &str = "ent_num, add_num, address, city/state/postal code, country, add_remarks";

/// Read `path`: a folder holding `sdn.csv`, or `sdn.csv` itself, with
/// `alt.csv` and `add.csv` beside it when present.
pub fn read(path: &Path) -> Result<SanctionsList, LoadError> {
    let sdn = if path.is_dir() {
        path.join("sdn.csv")
    } else {
        path.to_path_buf()
    };
    let dir = sdn.parent().map(Path::to_path_buf).unwrap_or_default();
    let mut skipped = Vec::new();
    let mut entries = read_sdn(&sdn, &mut skipped)?;
    let index: HashMap<String, usize> = entries
        .iter()
        .enumerate()
        .map(|(i, e)| (e.list_id.clone(), i))
        .collect();
    let mut source = source_for(ListKind::Ofac, path, None);
    source.files = vec![sdn.display().to_string()];
    let alt = sibling(&dir, "alt.csv");
    if let Some(alt) = &alt {
        read_alt(alt, &index, &mut entries, &mut skipped)?;
        source.files.push(alt.display().to_string());
    } else {
        tracing::info!(
            "no alt.csv beside {}: aliases come from the remarks only",
            crate::load::shown(&sdn)
        );
    }
    if let Some(add) = sibling(&dir, "add.csv") {
        read_add(&add, &index, &mut entries)?;
        source.files.push(add.display().to_string());
    }
    source.skipped = skipped;
    Ok(SanctionsList { source, entries })
}

/// `alt.csv` / `ALT.CSV` beside `sdn.csv`.
fn sibling(dir: &Path, name: &str) -> Option<PathBuf> {
    [name.to_string(), name.to_ascii_uppercase()]
        .into_iter()
        .map(|n| dir.join(n))
        .find(|p| p.is_file())
}

fn records(path: &Path) -> Result<CsvReader<BufReader<std::fs::File>>, LoadError> {
    Ok(CsvReader::new(BufReader::new(open_file(path)?)))
}

fn csv_err(path: &Path, e: CsvError) -> LoadError {
    let line = match &e {
        CsvError::Io { line, .. }
        | CsvError::TooLong { line }
        | CsvError::Unclosed { line }
        | CsvError::AfterQuote { line } => *line,
    };
    match e {
        CsvError::Io { source, .. } => LoadError::io(path, source),
        other => {
            let text = other.to_string();
            let problem = text.split_once(": ").map_or(text.as_str(), |x| x.1);
            LoadError::format(path, line, problem)
        }
    }
}

/// `-0-` is OFAC's empty value.
fn value(s: &str) -> Option<&str> {
    let t = s.trim();
    (!t.is_empty() && t != "-0-").then_some(t)
}

/// Checks the column count; a first row of column names is a header.
fn check_row(path: &Path, r: &Record, want: usize, names: &str) -> Result<bool, LoadError> {
    if r.fields.len() != want {
        return Err(LoadError::format(
            path,
            r.line,
            format!(
                "expected {want} columns ({names}), found {}: not an OFAC legacy CSV file?",
                r.fields.len()
            ),
        ));
    }
    let id = r.fields[0].trim();
    if id.parse::<u64>().is_ok() {
        return Ok(true);
    }
    if r.line == 1 && id.eq_ignore_ascii_case("ent_num") {
        return Ok(false);
    }
    Err(LoadError::format(
        path,
        r.line,
        format!("ent_num must be a number, found {id:?}"),
    ))
}

fn read_sdn(path: &Path, skipped: &mut Vec<Skipped>) -> Result<Vec<ListEntry>, LoadError> {
    let mut entries = Vec::new();
    let mut seen: HashMap<String, usize> = HashMap::new();
    for r in records(path)? {
        let r = r.map_err(|e| csv_err(path, e))?;
        if !check_row(path, &r, 12, SDN_COLUMNS)? {
            continue;
        }
        let f = &r.fields;
        let id = f[0].trim().to_string();
        if let Some(&first_line) = seen.get(&id) {
            tracing::warn!(
                "{}:{}: second record for ent_num {id}, skipped (first on line {first_line})",
                crate::load::shown(path),
                r.line
            );
            skipped.push(Skipped::DuplicateId {
                file: crate::load::shown(path),
                line: r.line,
                id,
                first_line,
            });
            continue;
        }
        seen.insert(id.clone(), r.line);
        let name =
            value(&f[1]).ok_or_else(|| LoadError::format(path, r.line, "empty name (SDN_Name)"))?;
        check_name(path, r.line, name)?;
        let entity_type = match value(&f[2]).map(str::to_ascii_lowercase).as_deref() {
            None => EntityType::Organization,
            Some("individual") => EntityType::Person,
            Some("vessel") => EntityType::Vessel,
            Some("aircraft") => EntityType::Aircraft,
            Some(other) => {
                return Err(LoadError::format(
                    path,
                    r.line,
                    format!("unknown SDN_Type {other:?}"),
                ))
            }
        };
        let mut e = ListEntry {
            list: ListKind::Ofac,
            list_id: id,
            entity_type,
            names: vec![ListName::new(name, NameKind::Primary, Strength::Strong)],
            birth_dates: Vec::new(),
            countries: Vec::new(),
            programs: value(&f[3]).map(programs).unwrap_or_default(),
            identifiers: Vec::new(),
            listed_on: None,
        };
        if let Some(call_sign) = value(&f[5]) {
            e.identifiers.push(Identifier {
                kind: IdKind::Other,
                label: "Call Sign".into(),
                number: call_sign.into(),
                country: None,
            });
        }
        if let Some(flag) = value(&f[9]) {
            e.push_country(Country::resolve(flag), CountryRole::Jurisdiction);
        }
        if let Some(remarks) = value(&f[11]) {
            apply_remarks(path, r.line, remarks, &mut e)?;
        }
        entries.push(e);
    }
    if entries.is_empty() {
        return Err(LoadError::file(path, "no entries"));
    }
    Ok(entries)
}

/// "SDGT] [IRGC" -> ["SDGT", "IRGC"].
fn programs(s: &str) -> Vec<String> {
    s.split(['[', ']'])
        .map(str::trim)
        .filter(|p| !p.is_empty())
        .map(str::to_string)
        .collect()
}

fn read_alt(
    path: &Path,
    index: &HashMap<String, usize>,
    entries: &mut [ListEntry],
    skipped: &mut Vec<Skipped>,
) -> Result<(), LoadError> {
    for r in records(path)? {
        let r = r.map_err(|e| csv_err(path, e))?;
        if !check_row(path, &r, 5, ALT_COLUMNS)? {
            continue;
        }
        let f = &r.fields;
        let Some(&i) = index.get(f[0].trim()) else {
            skipped.push(Skipped::UnknownId {
                file: crate::load::shown(path),
                line: r.line,
                id: f[0].trim().to_string(),
            });
            continue;
        };
        let name = value(&f[3])
            .filter(|n| !crate::entry::clean_name(n).is_empty())
            .ok_or_else(|| LoadError::format(path, r.line, "empty alias (alt_name)"))?;
        check_name(path, r.line, name)?;
        let kind = match value(&f[2]).map(str::to_ascii_lowercase).as_deref() {
            Some("fka") => NameKind::Former,
            Some("aka" | "nka") | None => NameKind::Alias,
            Some(other) => {
                return Err(LoadError::format(
                    path,
                    r.line,
                    format!("unknown alt_type {other:?} (expected aka, fka or nka)"),
                ))
            }
        };
        entries[i].push_name(ListName::new(name, kind, Strength::Strong));
    }
    Ok(())
}

fn read_add(
    path: &Path,
    index: &HashMap<String, usize>,
    entries: &mut [ListEntry],
) -> Result<(), LoadError> {
    for r in records(path)? {
        let r = r.map_err(|e| csv_err(path, e))?;
        if !check_row(path, &r, 6, ADD_COLUMNS)? {
            continue;
        }
        let Some(&i) = index.get(r.fields[0].trim()) else {
            continue;
        };
        if let Some(c) = value(&r.fields[4]) {
            entries[i].push_country(Country::resolve(c), CountryRole::Address);
        }
    }
    Ok(())
}

/// Identity document labels, longest first so that "National ID No." wins
/// over shorter prefixes.
const ID_LABELS: &[(&str, IdKind)] = &[
    ("Vessel Registration Identification IMO", IdKind::Imo),
    ("Business Registration Document #", IdKind::Registration),
    ("Commercial Registry Number", IdKind::Registration),
    ("Identification Number", IdKind::NationalId),
    ("Registration Number", IdKind::Registration),
    ("Personal ID Card", IdKind::NationalId),
    ("Trade License No.", IdKind::Registration),
    ("National ID No.", IdKind::NationalId),
    ("Registration ID", IdKind::Registration),
    ("Company Number", IdKind::Registration),
    ("V.A.T. Number", IdKind::TaxId),
    ("Cedula No.", IdKind::NationalId),
    ("Tax ID No.", IdKind::TaxId),
    ("Passport", IdKind::Passport),
    ("C.U.R.P.", IdKind::NationalId),
    ("C.U.I.T.", IdKind::TaxId),
    ("NIT #", IdKind::TaxId),
    ("RUC #", IdKind::TaxId),
    ("MMSI", IdKind::Mmsi),
    ("SSN", IdKind::NationalId),
    ("IMO", IdKind::Imo),
];

/// Split remarks into items at `;` outside single-quoted aliases.
fn remark_items(s: &str) -> Vec<&str> {
    let mut out = Vec::new();
    let mut start = 0;
    let mut in_alias = false;
    let b = s.as_bytes();
    for (i, &c) in b.iter().enumerate() {
        match c {
            // An alias opens with `a.k.a. '` and closes with a quote
            // followed by `;`, `.` or the end.
            b'\'' if !in_alias && s[start..i].trim().ends_with(".k.a.") => in_alias = true,
            b'\'' if in_alias => {
                let next = b.get(i + 1).copied();
                if matches!(next, None | Some(b';') | Some(b'.')) {
                    in_alias = false;
                }
            }
            b';' if !in_alias => {
                out.push(s[start..i].trim());
                start = i + 1;
            }
            _ => {}
        }
    }
    out.push(s[start..].trim());
    out.retain(|x| !x.is_empty());
    out
}

fn apply_remarks(
    path: &Path,
    line: usize,
    remarks: &str,
    e: &mut ListEntry,
) -> Result<(), LoadError> {
    for item in remark_items(remarks) {
        let item = item.strip_prefix("alt. ").unwrap_or(item);
        if let Some(rest) = item
            .strip_prefix("a.k.a. ")
            .or_else(|| item.strip_prefix("n.k.a. "))
        {
            if let Some(name) = quoted(rest) {
                check_name(path, line, name)?;
                e.push_name(ListName::new(name, NameKind::Alias, Strength::Weak));
            }
        } else if let Some(rest) = item.strip_prefix("f.k.a. ") {
            if let Some(name) = quoted(rest) {
                check_name(path, line, name)?;
                e.push_name(ListName::new(name, NameKind::Former, Strength::Weak));
            }
        } else if let Some(d) = item.strip_prefix("DOB ") {
            match parse_dob(d.trim_end_matches('.')) {
                Some(d) => {
                    if !e.birth_dates.contains(&d) {
                        e.birth_dates.push(d)
                    }
                }
                None => tracing::debug!("{}:{line}: unread DOB {d:?}", crate::load::shown(path)),
            }
        } else if let Some(p) = item.strip_prefix("POB ") {
            e.push_country(
                Country::resolve(p.trim_end_matches('.')),
                CountryRole::BirthPlace,
            );
        } else if let Some(c) = item.strip_prefix("nationality ") {
            e.push_country(
                Country::resolve(c.trim_end_matches('.')),
                CountryRole::Nationality,
            );
        } else if let Some(c) = item.strip_prefix("citizen ") {
            e.push_country(
                Country::resolve(c.trim_end_matches('.')),
                CountryRole::Citizenship,
            );
        } else if let Some(id) = parse_identifier(item) {
            e.identifiers.push(id);
        }
    }
    Ok(())
}

/// The text between the first and the last single quote.
fn quoted(s: &str) -> Option<&str> {
    let a = s.find('\'')?;
    let b = s.rfind('\'')?;
    (b > a + 1).then(|| s[a + 1..b].trim())
}

fn parse_identifier(item: &str) -> Option<Identifier> {
    let (label, kind) = ID_LABELS.iter().find(|(l, _)| {
        item.strip_prefix(l)
            .is_some_and(|r| r.starts_with(' ') || r.is_empty())
    })?;
    let rest = item[label.len()..].trim();
    let (number, country) = match rest.split_once('(') {
        Some((n, c)) => (n, c.split(')').next().map(Country::resolve)),
        None => (
            rest.split(" expires")
                .next()
                .and_then(|x| x.split(" issued").next())
                .unwrap_or(rest),
            None,
        ),
    };
    let number = number.trim().trim_end_matches('.').trim();
    (!number.is_empty()).then(|| Identifier {
        kind: *kind,
        label: label.to_string(),
        number: number.to_string(),
        country,
    })
}

fn month(s: &str) -> Option<u8> {
    const M: [&str; 12] = [
        "jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec",
    ];
    let l = s.to_ascii_lowercase();
    M.iter().position(|m| l.starts_with(m)).map(|i| i as u8 + 1)
}

/// "10 Dec 1948", "Dec 1948", "1948".
fn parse_date(s: &str) -> Option<Date> {
    let w: Vec<&str> = s.split_whitespace().collect();
    match w.as_slice() {
        [y] => y.parse().ok().map(Date::year),
        [m, y] => Date::ym(y.parse().ok()?, month(m)?),
        [d, m, y] => Date::ymd(y.parse().ok()?, month(m)?, d.parse().ok()?),
        _ => None,
    }
}

/// A DOB remark: a date, "circa 1963", "1963 to 1965", "01 Jan 1960 to
/// 31 Dec 1962".
pub(crate) fn parse_dob(s: &str) -> Option<BirthDate> {
    let s = s.trim();
    if let Some(y) = s.strip_prefix("circa ") {
        return parse_date(y).map(|d| BirthDate::Circa(d.year));
    }
    if let Some((a, b)) = s.split_once(" to ") {
        let (from, to) = (parse_date(a)?, parse_date(b)?);
        return Some(if from == to {
            BirthDate::Exact(from)
        } else {
            BirthDate::Between {
                from: from.year,
                to: to.year,
            }
        });
    }
    parse_date(s).map(BirthDate::Exact)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn remarks_give_dates_places_aliases_and_documents() {
        let mut e = ListEntry {
            list: ListKind::Ofac,
            list_id: "1".into(),
            entity_type: EntityType::Person,
            names: vec![ListName::new("X, Y", NameKind::Primary, Strength::Strong)],
            birth_dates: vec![],
            countries: vec![],
            programs: vec![],
            identifiers: vec![],
            listed_on: None,
        };
        let r = "DOB 1963; alt. DOB circa 1965; POB Giza, Egypt; citizen Egypt; \
                 a.k.a. 'ABU-'UMAR'; a.k.a. 'SALEH'; Passport A10472263 (Malaysia); \
                 National ID No. 216040 (Yemen) issued 2001; nationality Korea, North.";
        apply_remarks(Path::new("sdn.csv"), 1, r, &mut e).unwrap();
        assert_eq!(
            e.birth_dates,
            [BirthDate::Exact(Date::year(1963)), BirthDate::Circa(1965)]
        );
        let names: Vec<&str> = e.names.iter().map(|n| n.text.as_str()).collect();
        assert_eq!(names, ["X, Y", "ABU-'UMAR", "SALEH"]);
        assert!(e.names[1..].iter().all(|n| n.strength == Strength::Weak));
        let codes: Vec<_> = e
            .countries
            .iter()
            .map(|c| (c.role, c.country.code.clone().unwrap_or_default()))
            .collect();
        assert_eq!(
            codes,
            [
                (CountryRole::BirthPlace, "EG".to_string()),
                (CountryRole::Citizenship, "EG".to_string()),
                (CountryRole::Nationality, "KP".to_string())
            ]
        );
        assert_eq!(e.identifiers.len(), 2);
        assert_eq!(e.identifiers[0].kind, IdKind::Passport);
        assert_eq!(e.identifiers[0].number, "A10472263");
        assert_eq!(e.identifiers[1].kind, IdKind::NationalId);
        assert_eq!(
            e.identifiers[1]
                .country
                .as_ref()
                .and_then(|c| c.code.as_deref()),
            Some("YE")
        );
    }

    #[test]
    fn dob_forms() {
        assert_eq!(
            parse_dob("10 Dec 1948"),
            Date::ymd(1948, 12, 10).map(BirthDate::Exact)
        );
        assert_eq!(
            parse_dob("Dec 1948"),
            Date::ym(1948, 12).map(BirthDate::Exact)
        );
        assert_eq!(
            parse_dob("1963 to 1965"),
            Some(BirthDate::Between {
                from: 1963,
                to: 1965
            })
        );
        assert_eq!(
            parse_dob("01 Jan 1960 to 31 Dec 1962"),
            Some(BirthDate::Between {
                from: 1960,
                to: 1962
            })
        );
        assert_eq!(parse_dob("circa 1979"), Some(BirthDate::Circa(1979)));
        assert_eq!(parse_dob("31 Feb 1960"), None);
        assert_eq!(parse_dob("soon"), None);
    }

    #[test]
    fn programs_split() {
        assert_eq!(programs("SDGT] [IRGC"), ["SDGT", "IRGC"]);
        assert_eq!(programs("SDGT"), ["SDGT"]);
    }

    #[test]
    fn remark_items_keep_quoted_semicolons() {
        assert_eq!(
            remark_items("a.k.a. 'A; B'; DOB 1960."),
            ["a.k.a. 'A; B'", "DOB 1960."]
        );
    }
}
