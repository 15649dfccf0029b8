//! Request and response types, and the handler logic, of two HTTP
//! interfaces (no HTTP framework here; a server mounts them):
//!
//! - a yente-like match endpoint (`POST /match/{dataset}`): FollowTheMoney
//!   style example entities in, scored candidates out;
//! - an OpenRefine reconciliation service (API 0.2): the service manifest
//!   (`GET /reconcile`) and batches of `queries` (`POST /reconcile`, form
//!   field `queries`), so analysts can reconcile a spreadsheet column of
//!   names against the lists.

use std::collections::BTreeMap;

use dossier_core::Date;
use serde::{Deserialize, Serialize};

use crate::country::Country;
use crate::entry::EntityType;
use crate::query::{check_query_name, Query, QueryError};
use crate::screener::{ScreenMatch, Screener};

/// Largest `limit` a request may ask for.
pub const MAX_LIMIT: usize = 100;
/// Most queries in one request.
pub const MAX_QUERIES: usize = 1000;

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ApiError {
    #[error("too many queries: {0} (at most {MAX_QUERIES} a request)")]
    TooManyQueries(usize),
    #[error("`queries` is not a JSON object of queries: {0}")]
    BadQueries(String),
}

// ---- yente-like /match ----

/// An example entity: `{"schema": "Person", "properties": {"name": [..],
/// "birthDate": [..], "nationality": [..]}}`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct EntityExample {
    #[serde(default = "any_schema")]
    pub schema: String,
    #[serde(default)]
    pub properties: BTreeMap<String, Vec<String>>,
}

fn any_schema() -> String {
    "Thing".into()
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct MatchRequest {
    pub queries: BTreeMap<String, EntityExample>,
}

/// One candidate, shaped like yente's results.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct MatchResult {
    /// `list:list_id`, e.g. `ofac:6915`, `un:QDi.019`.
    pub id: String,
    pub caption: String,
    pub schema: String,
    pub datasets: Vec<String>,
    pub score: f64,
    #[serde(rename = "match")]
    pub is_match: bool,
    pub explanation: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Total {
    pub value: usize,
    pub relation: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct QueryResponse {
    pub status: u16,
    pub results: Vec<MatchResult>,
    pub total: Total,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub error: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct MatchResponse {
    pub responses: BTreeMap<String, QueryResponse>,
    pub limit: usize,
}

fn schema_of(t: EntityType) -> &'static str {
    match t {
        EntityType::Person => "Person",
        EntityType::Organization => "Organization",
        EntityType::Vessel => "Vessel",
        EntityType::Aircraft => "Airplane",
        EntityType::Unknown => "LegalEntity",
    }
}

fn type_of_schema(schema: &str) -> EntityType {
    match schema {
        "Person" => EntityType::Person,
        "Organization" | "Company" | "PublicBody" => EntityType::Organization,
        "Vessel" => EntityType::Vessel,
        "Airplane" => EntityType::Aircraft,
        _ => EntityType::Unknown,
    }
}

impl EntityExample {
    /// The query this example describes: its first name, the other names
    /// and aliases, birth dates, nationalities and countries, identifiers.
    pub fn to_query(&self) -> Result<Query, QueryError> {
        let prop = |k: &str| {
            self.properties
                .get(k)
                .map(Vec::as_slice)
                .unwrap_or(&[])
                .iter()
                .map(|s| s.trim())
                .filter(|s| !s.is_empty())
        };
        let mut names = prop("name").chain(prop("alias"));
        let name = names.next().ok_or(QueryError::EmptyName)?;
        check_query_name(name)?;
        let mut q = Query::name(name);
        q.aliases = names.map(str::to_string).collect();
        q.entity_type = type_of_schema(&self.schema);
        for d in prop("birthDate") {
            let d = d.get(..10).unwrap_or(d);
            q.birth_dates
                .push(Date::parse_iso(d).ok_or_else(|| QueryError::BadDate(d.into()))?);
        }
        for k in ["nationality", "citizenship", "country", "jurisdiction"] {
            q.countries.extend(prop(k).map(Country::resolve));
        }
        for k in [
            "idNumber",
            "passportNumber",
            "taxNumber",
            "registrationNumber",
            "imoNumber",
        ] {
            q.identifiers.extend(prop(k).map(str::to_string));
        }
        Ok(q)
    }
}

fn match_result(m: &ScreenMatch) -> MatchResult {
    MatchResult {
        id: format!("{}:{}", m.list, m.list_id),
        caption: m.name.clone(),
        schema: schema_of(m.entity_type).into(),
        datasets: vec![m.list.to_string()],
        score: (m.score * 10_000.0).round() / 10_000.0,
        is_match: m.is_match,
        explanation: m.explanation.iter().map(ToString::to_string).collect(),
    }
}

/// Handles `POST /match`: every query answered, a bad one with status 400
/// and its error, the others unaffected.
pub fn handle_match(
    screener: &Screener,
    req: &MatchRequest,
    limit: usize,
) -> Result<MatchResponse, ApiError> {
    if req.queries.len() > MAX_QUERIES {
        return Err(ApiError::TooManyQueries(req.queries.len()));
    }
    let limit = limit.clamp(1, MAX_LIMIT);
    let responses = req
        .queries
        .iter()
        .map(|(id, ex)| {
            let resp = match ex.to_query() {
                Ok(q) => {
                    let results: Vec<MatchResult> = screener
                        .screen(&q, limit)
                        .iter()
                        .map(match_result)
                        .collect();
                    QueryResponse {
                        status: 200,
                        total: Total {
                            value: results.len(),
                            relation: "eq".into(),
                        },
                        results,
                        error: None,
                    }
                }
                Err(e) => QueryResponse {
                    status: 400,
                    results: Vec::new(),
                    total: Total {
                        value: 0,
                        relation: "eq".into(),
                    },
                    error: Some(e.to_string()),
                },
            };
            (id.clone(), resp)
        })
        .collect();
    Ok(MatchResponse { responses, limit })
}

// ---- OpenRefine reconciliation (API 0.2) ----

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReconType {
    pub id: String,
    pub name: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReconView {
    pub url: String,
}

/// The service manifest OpenRefine reads when the service is added.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Manifest {
    pub versions: Vec<String>,
    pub name: String,
    #[serde(rename = "identifierSpace")]
    pub identifier_space: String,
    #[serde(rename = "schemaSpace")]
    pub schema_space: String,
    #[serde(rename = "defaultTypes")]
    pub default_types: Vec<ReconType>,
    pub view: ReconView,
    #[serde(rename = "batchSize")]
    pub batch_size: usize,
}

fn recon_types() -> Vec<ReconType> {
    [
        EntityType::Person,
        EntityType::Organization,
        EntityType::Vessel,
        EntityType::Aircraft,
    ]
    .iter()
    .map(|t| ReconType {
        id: t.as_str().into(),
        name: schema_of(*t).into(),
    })
    .collect()
}

/// The manifest; `base_url` is where the service is mounted (entries are
/// viewed at `{base_url}/entry/{{id}}`).
pub fn manifest(base_url: &str) -> Manifest {
    let base = base_url.trim_end_matches('/');
    Manifest {
        versions: vec!["0.1".into(), "0.2".into()],
        name: "Dossier sanctions screening".into(),
        identifier_space: format!("{base}/entry/"),
        schema_space: format!("{base}/type/"),
        default_types: recon_types(),
        view: ReconView {
            url: format!("{base}/entry/{{{{id}}}}"),
        },
        batch_size: 50,
    }
}

/// A property value given with a query: `{"pid": "birth_date", "v": "1963"}`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ReconProperty {
    pub pid: String,
    pub v: serde_json::Value,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ReconQuery {
    pub query: String,
    #[serde(default, rename = "type")]
    pub entity_type: Option<String>,
    #[serde(default)]
    pub limit: Option<usize>,
    #[serde(default)]
    pub properties: Vec<ReconProperty>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ReconCandidate {
    pub id: String,
    pub name: String,
    /// 0..100 (the match probability times 100).
    pub score: f64,
    #[serde(rename = "match")]
    pub is_match: bool,
    #[serde(rename = "type")]
    pub types: Vec<ReconType>,
    pub description: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ReconResult {
    pub result: Vec<ReconCandidate>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub error: Option<String>,
}

/// Parses the `queries` form field.
pub fn parse_queries(json: &str) -> Result<BTreeMap<String, ReconQuery>, ApiError> {
    let q: BTreeMap<String, ReconQuery> =
        serde_json::from_str(json).map_err(|e| ApiError::BadQueries(e.to_string()))?;
    if q.len() > MAX_QUERIES {
        return Err(ApiError::TooManyQueries(q.len()));
    }
    Ok(q)
}

fn value_text(v: &serde_json::Value) -> Option<String> {
    match v {
        serde_json::Value::String(s) => Some(s.clone()),
        serde_json::Value::Number(n) => Some(n.to_string()),
        serde_json::Value::Object(o) => o.get("id").or(o.get("name")).and_then(value_text),
        serde_json::Value::Array(a) => a.first().and_then(value_text),
        _ => None,
    }
}

impl ReconQuery {
    /// Properties read: `birth_date`/`birthDate`/`dob`, `country`/
    /// `nationality`, `identifier`/`idNumber`/`passportNumber`.
    pub fn to_query(&self) -> Result<Query, QueryError> {
        let mut birth = None;
        let mut country = None;
        let mut ids = Vec::new();
        for p in &self.properties {
            let Some(v) = value_text(&p.v) else { continue };
            match p.pid.as_str() {
                "birth_date" | "birthDate" | "dob" => birth = Some(v),
                "country" | "nationality" => country = Some(v),
                "identifier" | "idNumber" | "passportNumber" => ids.push(v),
                _ => {}
            }
        }
        let mut q = Query::from_fields(
            &self.query,
            self.entity_type.as_deref(),
            birth.as_deref(),
            country.as_deref(),
        )?;
        q.identifiers = ids;
        Ok(q)
    }
}

fn describe(m: &ScreenMatch) -> String {
    let mut d = format!("{} {}", m.list, m.list_id);
    if let Some(crate::explain::Explanation::MatchedName { list_name, .. }) = m.explanation.first()
    {
        if list_name != &m.name {
            d.push_str(&format!(", matched \"{list_name}\""));
        }
    }
    d
}

/// Handles a batch of reconciliation queries; a bad query gets an empty
/// result with its error.
pub fn reconcile(
    screener: &Screener,
    queries: &BTreeMap<String, ReconQuery>,
) -> BTreeMap<String, ReconResult> {
    queries
        .iter()
        .map(|(key, rq)| {
            let res = match rq.to_query() {
                Ok(q) => {
                    let limit = rq.limit.unwrap_or(3).clamp(1, MAX_LIMIT);
                    let result = screener
                        .screen(&q, limit)
                        .iter()
                        .map(|m| ReconCandidate {
                            id: format!("{}:{}", m.list, m.list_id),
                            name: m.name.clone(),
                            score: (m.score * 1000.0).round() / 10.0,
                            is_match: m.is_match,
                            types: vec![ReconType {
                                id: m.entity_type.as_str().into(),
                                name: schema_of(m.entity_type).into(),
                            }],
                            description: describe(m),
                        })
                        .collect();
                    ReconResult {
                        result,
                        error: None,
                    }
                }
                Err(e) => ReconResult {
                    result: Vec::new(),
                    error: Some(e.to_string()),
                },
            };
            (key.clone(), res)
        })
        .collect()
}
