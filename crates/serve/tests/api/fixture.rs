//! The sample corpus (`examples/corpus`) built once per test binary with
//! the product's pipeline, and helpers to call the application.

use axum::body::Body;
use axum::http::{Request, StatusCode};
use axum::Router;
use dossier_serve::{router, AppState, Pool, MAX_CONNECTIONS};
use dossier_store::{Store, WhenBusy};
use serde_json::Value;
use std::path::{Path, PathBuf};
use std::sync::{Arc, OnceLock};
use tower::ServiceExt;

pub fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../..")
}

/// A directory removed when dropped.
pub struct TempDir(pub PathBuf);

impl TempDir {
    pub fn new(what: &str) -> TempDir {
        let dir = std::env::temp_dir().join(format!(
            "dossier-serve-{what}-{}-{:?}",
            std::process::id(),
            std::thread::current().id()
        ));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        TempDir(dir)
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

/// The language model, loaded once.
pub fn analyzer() -> &'static dossier_pipeline::Analyzer {
    static A: OnceLock<dossier_pipeline::Analyzer> = OnceLock::new();
    A.get_or_init(|| {
        let model = std::env::var_os("DOSSIER_MODEL")
            .map(PathBuf::from)
            .unwrap_or_else(|| repo().join("models/en_core_web_sm"));
        dossier_pipeline::Analyzer::load(Some(&model))
            .unwrap_or_else(|e| panic!("{e} (run scripts/fetch-model.sh)"))
    })
}

/// Builds `paths` into the database at `db` (created if need be).
pub fn build(db: &Path, paths: &[PathBuf]) -> dossier_pipeline::Summary {
    let mut store = Store::open(db, WhenBusy::Wait).unwrap();
    let opts = dossier_pipeline::BuildOptions::default();
    dossier_pipeline::build(&mut store, paths, analyzer(), &opts).unwrap()
}

/// The sample corpus built into a database (once per test binary).
pub fn db() -> &'static PathBuf {
    static DB: OnceLock<(TempDir, PathBuf)> = OnceLock::new();
    &DB.get_or_init(|| {
        let dir = TempDir::new("fixture");
        let path = dir.0.join("sample.db");
        build(&path, &[repo().join("examples/corpus")]);
        (dir, path)
    })
    .1
}

pub fn state_for(db: &Path) -> Arc<AppState> {
    AppState::new(Pool::open(db, MAX_CONNECTIONS).unwrap(), true)
}

pub fn app() -> Router {
    router(state_for(db()))
}

pub struct Answer {
    pub status: StatusCode,
    pub content_type: String,
    pub headers: axum::http::HeaderMap,
    pub body: Vec<u8>,
}

impl Answer {
    pub fn json(&self) -> Value {
        serde_json::from_slice(&self.body).unwrap_or_else(|e| {
            panic!(
                "not JSON ({e}): {}",
                String::from_utf8_lossy(&self.body[..self.body.len().min(300)])
            )
        })
    }
}

pub async fn call(app: &Router, method: &str, uri: &str) -> Answer {
    call_with_host(app, method, uri, None).await
}

pub async fn get(app: &Router, uri: &str) -> Answer {
    call(app, "GET", uri).await
}

pub async fn call_with_host(app: &Router, method: &str, uri: &str, host: Option<&str>) -> Answer {
    let mut req = Request::builder().method(method).uri(uri);
    if let Some(h) = host {
        req = req.header("host", h);
    }
    let res = app
        .clone()
        .oneshot(req.body(Body::empty()).unwrap())
        .await
        .unwrap();
    let status = res.status();
    let headers = res.headers().clone();
    let content_type = headers
        .get("content-type")
        .and_then(|v| v.to_str().ok())
        .unwrap_or("")
        .to_string();
    let body = axum::body::to_bytes(res.into_body(), 64 << 20)
        .await
        .unwrap()
        .to_vec();
    Answer {
        status,
        content_type,
        headers,
        body,
    }
}

/// Ids of one of each kind, around Abu Yusuf al-Tunisi (whose killing is
/// disputed in the sample corpus).
pub struct Ids {
    pub entity: String,
    pub doc: String,
    pub event: String,
    pub claim: String,
    pub dispute: String,
}

pub async fn ids(app: &Router) -> Ids {
    let hits = get(app, "/api/v1/search?q=Abu%20Yusuf%20al-Tunisi&type=PERSON")
        .await
        .json();
    let entity = hits["items"][0]["entity"]["id"]
        .as_str()
        .expect("Abu Yusuf al-Tunisi is found")
        .to_string();
    let d = get(app, &format!("/api/v1/entities/{entity}")).await.json();
    let doc = d["documents"]["items"][0]["id"]
        .as_str()
        .unwrap()
        .to_string();
    let event = d["events"]["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["type"] == "killing")
        .expect("his killing")["id"]
        .as_str()
        .unwrap()
        .to_string();
    let group = d["claims"]["groups"]
        .as_array()
        .unwrap()
        .iter()
        .find(|g| g["disputed"] == true)
        .expect("a disputed group")
        .clone();
    let dispute = group["id"].as_str().unwrap().to_string();
    let claim = group["sides"][0][0]["id"].as_str().unwrap().to_string();
    Ids {
        entity,
        doc,
        event,
        claim,
        dispute,
    }
}

/// A request that exercises each route with valid values.
pub fn valid_uri(path: &str, ids: &Ids) -> String {
    let concrete = path
        .replace("/entities/{id}", &format!("/entities/{}", ids.entity))
        .replace("/documents/{id}", &format!("/documents/{}", ids.doc))
        .replace("/events/{id}", &format!("/events/{}", ids.event))
        .replace("/claims/{id}", &format!("/claims/{}", ids.claim))
        .replace("/disputes/{id}", &format!("/disputes/{}", ids.dispute));
    match path {
        "/api/v1/search" => format!("{concrete}?q=al-Tunisi"),
        "/api/v1/timeline" => format!("{concrete}?entity={}&from=2014&to=2030-12", ids.entity),
        "/api/v1/claims" => format!("{concrete}?entity={}", ids.entity),
        "/api/v1/disputes" => format!("{concrete}?entity={}", ids.entity),
        "/api/v1/entities/{id}/graph" => format!("{concrete}?depth=2"),
        _ => concrete,
    }
}

pub fn openapi_doc() -> Value {
    dossier_serve::openapi::document().clone()
}

/// Validates `value` against `#/components/schemas/{name}`; the errors.
pub fn schema_errors(doc: &Value, name: &str, value: &Value) -> Vec<String> {
    let schema = serde_json::json!({
        "$ref": format!("#/components/schemas/{name}"),
        "components": doc["components"],
    });
    let v = jsonschema::validator_for(&schema).expect("schema compiles");
    v.iter_errors(value)
        .take(5)
        .map(|e| format!("{} at {}", e, e.instance_path))
        .collect()
}

pub fn check_schema(doc: &Value, name: &str, value: &Value) {
    let errors = schema_errors(doc, name, value);
    assert!(errors.is_empty(), "{name}: {errors:#?}");
}

pub fn response_schema(doc: &Value, method: &str, path: &str, status: &str) -> Option<String> {
    let r = &doc["paths"][path][method.to_lowercase()]["responses"][status]["content"]
        ["application/json"]["schema"]["$ref"];
    r.as_str()
        .map(|s| s.trim_start_matches("#/components/schemas/").to_string())
}
