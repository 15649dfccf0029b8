//! What is screened: a name with what else is known about its bearer, and
//! the batch input formats (JSON lines, CSV) that carry such queries.

use std::io::BufRead;

use dossier_core::Date;
use serde::{Deserialize, Serialize};

use crate::country::Country;
use crate::csv::CsvReader;
use crate::entry::EntityType;
use crate::load::MAX_NAME_BYTES;

/// One thing to screen.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Query {
    pub name: String,
    /// Other names of the same person or body (knowledge-base aliases).
    #[serde(default)]
    pub aliases: Vec<String>,
    #[serde(default = "unknown")]
    pub entity_type: EntityType,
    #[serde(default, with = "dates")]
    pub birth_dates: Vec<Date>,
    #[serde(default)]
    pub countries: Vec<Country>,
    /// Passport, national ID, IMO... numbers as written.
    #[serde(default)]
    pub identifiers: Vec<String>,
}

fn unknown() -> EntityType {
    EntityType::Unknown
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum QueryError {
    #[error("empty name")]
    EmptyName,
    #[error("name of {0} bytes, over the {MAX_NAME_BYTES}-byte limit")]
    NameTooLong(usize),
    #[error("name holds control characters")]
    ControlCharacters,
    #[error("unknown type {0:?} (use person, organization, vessel or aircraft)")]
    UnknownType(String),
    #[error("birth date {0:?} is not YYYY, YYYY-MM or YYYY-MM-DD")]
    BadDate(String),
    #[error("row has {found} columns, the header {expected}")]
    WrongColumns { found: usize, expected: usize },
}

/// Checks a name: not empty, not absurdly long, no control characters.
pub fn check_query_name(name: &str) -> Result<(), QueryError> {
    if name.len() > MAX_NAME_BYTES {
        return Err(QueryError::NameTooLong(name.len()));
    }
    if name.trim().is_empty() {
        return Err(QueryError::EmptyName);
    }
    if name.chars().any(char::is_control) {
        return Err(QueryError::ControlCharacters);
    }
    Ok(())
}

impl Query {
    /// A query for a name alone.
    pub fn name(name: &str) -> Query {
        Query {
            name: name.to_string(),
            aliases: Vec::new(),
            entity_type: EntityType::Unknown,
            birth_dates: Vec::new(),
            countries: Vec::new(),
            identifiers: Vec::new(),
        }
    }

    /// Builds a checked query from the textual fields users give.
    pub fn from_fields(
        name: &str,
        entity_type: Option<&str>,
        birth_date: Option<&str>,
        country: Option<&str>,
    ) -> Result<Query, QueryError> {
        check_query_name(name)?;
        let mut q = Query::name(name.trim());
        if let Some(t) = entity_type.map(str::trim).filter(|t| !t.is_empty()) {
            q.entity_type =
                EntityType::parse(t).ok_or_else(|| QueryError::UnknownType(t.into()))?;
        }
        if let Some(d) = birth_date.map(str::trim).filter(|d| !d.is_empty()) {
            q.birth_dates
                .push(Date::parse_iso(d).ok_or_else(|| QueryError::BadDate(d.into()))?);
        }
        if let Some(c) = country.map(str::trim).filter(|c| !c.is_empty()) {
            q.countries.push(Country::resolve(c));
        }
        Ok(q)
    }

    /// The query's names: the name, then the aliases, each checked.
    pub fn all_names(&self) -> impl Iterator<Item = &str> {
        std::iter::once(self.name.as_str())
            .chain(self.aliases.iter().map(String::as_str))
            .filter(|n| check_query_name(n).is_ok())
    }
}

mod dates {
    use dossier_core::Date;
    use serde::{Deserialize, Deserializer, Serialize, Serializer};

    pub fn serialize<S: Serializer>(v: &[Date], s: S) -> Result<S::Ok, S::Error> {
        let strs: Vec<String> = v.iter().map(Date::to_string).collect();
        strs.serialize(s)
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Vec<Date>, D::Error> {
        let v: Vec<String> = Vec::deserialize(d)?;
        v.iter()
            .map(|s| {
                Date::parse_iso(s)
                    .ok_or_else(|| serde::de::Error::custom(format!("not an ISO date: {s:?}")))
            })
            .collect()
    }
}

/// One batch input record: its id and the query, or why it was refused.
#[derive(Debug, Clone, PartialEq)]
pub struct BatchItem {
    pub id: String,
    /// 1-based line (JSONL) or record start line (CSV).
    pub line: usize,
    pub query: Result<Query, QueryError>,
}

/// A JSON lines query: `{"id", "name", "type", "birth_date", "country"}`.
#[derive(Debug, Deserialize)]
struct JsonQuery {
    id: Option<serde_json::Value>,
    name: Option<String>,
    #[serde(rename = "type")]
    entity_type: Option<String>,
    birth_date: Option<String>,
    country: Option<String>,
    #[serde(default)]
    aliases: Vec<String>,
}

/// A problem with the batch file itself (not one query).
#[derive(Debug, thiserror::Error)]
pub enum BatchError {
    #[error("line {line}: {problem}")]
    Line { line: usize, problem: String },
    #[error("{0}")]
    Csv(#[from] crate::csv::CsvError),
    #[error("CSV header must name a `name` column (found: {0})")]
    NoNameColumn(String),
    #[error("{0}")]
    Io(#[from] std::io::Error),
}

/// Reads JSON lines: a line that is not a JSON object is a [`BatchError`]
/// only when it is not JSON at all; a JSON object with a bad field becomes
/// a refused [`BatchItem`], so that one bad query never stops the batch.
pub fn read_jsonl(input: impl BufRead) -> impl Iterator<Item = Result<BatchItem, BatchError>> {
    input.lines().enumerate().filter_map(|(i, line)| {
        let line_no = i + 1;
        let text = match line {
            Ok(t) => t,
            Err(e) => return Some(Err(BatchError::Io(e))),
        };
        if text.trim().is_empty() {
            return None;
        }
        if text.len() > 4 * MAX_NAME_BYTES + 4096 {
            return Some(Ok(BatchItem {
                id: format!("line{line_no}"),
                line: line_no,
                query: Err(QueryError::NameTooLong(text.len())),
            }));
        }
        let q: JsonQuery = match serde_json::from_str(&text) {
            Ok(q) => q,
            Err(e) => {
                return Some(Err(BatchError::Line {
                    line: line_no,
                    problem: format!("not a JSON query object: {e}"),
                }))
            }
        };
        let id = match q.id {
            Some(serde_json::Value::String(s)) => s,
            Some(serde_json::Value::Null) | None => format!("line{line_no}"),
            Some(other) => other.to_string(),
        };
        let query = Query::from_fields(
            q.name.as_deref().unwrap_or(""),
            q.entity_type.as_deref(),
            q.birth_date.as_deref(),
            q.country.as_deref(),
        )
        .map(|mut query| {
            query.aliases = q.aliases;
            query
        });
        Some(Ok(BatchItem {
            id,
            line: line_no,
            query,
        }))
    })
}

/// Reads CSV with a header naming its columns: `name` (required), and any
/// of `id`, `type`, `birth_date`, `country`.
pub fn read_csv(input: impl BufRead) -> Result<Vec<Result<BatchItem, BatchError>>, BatchError> {
    let mut reader = CsvReader::new(input);
    let Some(header) = reader.next_record()? else {
        return Ok(Vec::new());
    };
    let cols: Vec<String> = header
        .fields
        .iter()
        .map(|c| c.trim().trim_start_matches('\u{feff}').to_ascii_lowercase())
        .collect();
    let col = |n: &str| cols.iter().position(|c| c == n);
    let name_col = col("name").ok_or_else(|| BatchError::NoNameColumn(cols.join(",")))?;
    let (id_col, type_col, dob_col, country_col) =
        (col("id"), col("type"), col("birth_date"), col("country"));
    let mut out = Vec::new();
    for r in reader {
        let r = match r {
            Ok(r) => r,
            Err(e) => {
                out.push(Err(BatchError::Csv(e)));
                break;
            }
        };
        let get = |c: Option<usize>| c.and_then(|c| r.fields.get(c)).map(String::as_str);
        let id = get(id_col)
            .filter(|s| !s.trim().is_empty())
            .map_or_else(|| format!("line{}", r.line), |s| s.trim().to_string());
        let query = match r.fields.len() == cols.len() {
            true => Query::from_fields(
                get(Some(name_col)).unwrap_or(""),
                get(type_col),
                get(dob_col),
                get(country_col),
            ),
            false => Err(QueryError::WrongColumns {
                found: r.fields.len(),
                expected: cols.len(),
            }),
        };
        out.push(Ok(BatchItem {
            id,
            line: r.line,
            query,
        }));
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn jsonl_items_and_refusals() {
        let input = concat!(
            "{\"id\": \"q1\", \"name\": \"Abu Muhammad al-Masri\", \"type\": \"person\", \"birth_date\": \"1963\", \"country\": \"EG\"}\n",
            "\n",
            "{\"id\": 2, \"name\": \"\"}\n",
            "{\"name\": \"X\", \"birth_date\": \"June\"}\n",
            "not json\n",
        );
        let items: Vec<_> = read_jsonl(input.as_bytes()).collect();
        assert_eq!(items.len(), 4);
        let a = items[0].as_ref().unwrap();
        assert_eq!(a.id, "q1");
        let q = a.query.as_ref().unwrap();
        assert_eq!(q.entity_type, EntityType::Person);
        assert_eq!(q.birth_dates, [Date::year(1963)]);
        assert_eq!(q.countries[0].code.as_deref(), Some("EG"));
        let b = items[1].as_ref().unwrap();
        assert_eq!(b.id, "2");
        assert_eq!(b.query, Err(QueryError::EmptyName));
        let c = items[2].as_ref().unwrap();
        assert_eq!(c.id, "line4");
        assert_eq!(c.query, Err(QueryError::BadDate("June".into())));
        assert!(matches!(items[3], Err(BatchError::Line { line: 5, .. })));
    }

    #[test]
    fn huge_names_are_refused_not_parsed() {
        let line = format!("{{\"id\":\"big\",\"name\":\"{}\"}}\n", "a".repeat(10 << 20));
        let items: Vec<_> = read_jsonl(line.as_bytes()).collect();
        assert!(matches!(
            items[0].as_ref().unwrap().query,
            Err(QueryError::NameTooLong(_))
        ));
        assert!(matches!(
            Query::from_fields(&"b".repeat(2000), None, None, None),
            Err(QueryError::NameTooLong(2000))
        ));
    }

    #[test]
    fn csv_with_header() {
        let input = "id,name,type,birth_date\nq1,\"ABDULLAH, Abdullah Ahmed\",person,1963-06-06\nq2,Acme Corp,organization,\nq3,short\n";
        let items = read_csv(input.as_bytes()).unwrap();
        assert_eq!(items.len(), 3);
        let a = items[0].as_ref().unwrap();
        assert_eq!(a.query.as_ref().unwrap().name, "ABDULLAH, Abdullah Ahmed");
        assert!(items[2].as_ref().unwrap().query.is_err());
        assert!(matches!(
            read_csv("id,who\n1,x\n".as_bytes()),
            Err(BatchError::NoNameColumn(_))
        ));
    }

    #[test]
    fn queries_round_trip_through_json() {
        let q = Query::from_fields(
            "Abu Mohamed",
            Some("person"),
            Some("1963-06"),
            Some("Egypt"),
        )
        .unwrap();
        let back: Query = serde_json::from_str(&serde_json::to_string(&q).unwrap()).unwrap();
        assert_eq!(back, q);
    }

    proptest::proptest! {
        #[test]
        fn jsonl_never_panics(s in "\\PC{0,200}") {
            let _: Vec<_> = read_jsonl(s.as_bytes()).collect();
        }

        #[test]
        fn csv_never_panics(s in "[a-z,\"\n ]{0,200}") {
            let _ = read_csv(s.as_bytes());
        }
    }
}
