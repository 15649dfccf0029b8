//! The API against the fictional fixture export: contract (OpenAPI),
//! behaviour, and hostile input on every route.

use axum::body::Body;
use axum::http::{Request, StatusCode};
use axum::Router;
use dossier_query::Index;
use dossier_serve::{router, AppState, Source, API_ROUTES};
use serde_json::Value;
use std::path::PathBuf;
use std::sync::Arc;
use tower::ServiceExt;

fn fixture() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/kb.json")
}

fn app_for(path: PathBuf) -> (Router, Arc<AppState>) {
    let source = Source::Export(path);
    let state = AppState::new(source.load().expect("fixture loads"), source, true);
    (router(state.clone()), state)
}

fn app() -> Router {
    app_for(fixture()).0
}

struct Answer {
    status: StatusCode,
    content_type: String,
    body: Vec<u8>,
}

impl Answer {
    fn json(&self) -> Value {
        serde_json::from_slice(&self.body).unwrap_or_else(|e| {
            panic!(
                "not JSON ({e}): {}",
                String::from_utf8_lossy(&self.body[..self.body.len().min(300)])
            )
        })
    }
}

async fn call(app: &Router, method: &str, uri: &str) -> Answer {
    call_with_host(app, method, uri, None).await
}

async fn call_with_host(app: &Router, method: &str, uri: &str, host: Option<&str>) -> Answer {
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
    let content_type = res
        .headers()
        .get("content-type")
        .and_then(|v| v.to_str().ok())
        .unwrap_or("")
        .to_string();
    let body = axum::body::to_bytes(res.into_body(), 16 << 20)
        .await
        .unwrap()
        .to_vec();
    Answer {
        status,
        content_type,
        body,
    }
}

fn ids() -> (Index, String, String, String, String) {
    let ix = Index::from_export_file(&fixture()).unwrap();
    let x = ix.export();
    let entity = x
        .entities
        .iter()
        .find(|e| e.name == "Abu Khalid al-Halabi")
        .unwrap()
        .id
        .clone();
    let doc = x.documents[0].id.clone();
    let event = x.events[0].id.clone();
    let claim = x.claims[0].id.clone();
    (ix, entity, doc, event, claim)
}

/// A request that exercises each route with valid values.
fn valid_uri(path: &str) -> String {
    let (_, entity, doc, event, claim) = ids();
    let concrete = path
        .replace("/entities/{id}", &format!("/entities/{entity}"))
        .replace("/documents/{id}", &format!("/documents/{doc}"))
        .replace("/events/{id}", &format!("/events/{event}"))
        .replace("/claims/{id}", &format!("/claims/{claim}"));
    match path {
        "/api/v1/search" => format!("{concrete}?q=al-Halabi"),
        "/api/v1/timeline" => format!("{concrete}?entity={entity}&from=2014&to=2022-12"),
        "/api/v1/claims" => format!("{concrete}?entity={entity}"),
        "/api/v1/entities/{id}/graph" => format!("{concrete}?depth=2"),
        _ => concrete,
    }
}

fn openapi_doc() -> Value {
    dossier_serve::openapi::document().clone()
}

/// Validate `value` against `#/components/schemas/{name}` of the document.
fn check_schema(doc: &Value, name: &str, value: &Value) {
    let schema = serde_json::json!({
        "$ref": format!("#/components/schemas/{name}"),
        "components": doc["components"],
    });
    let v = jsonschema::validator_for(&schema).expect("schema compiles");
    let errors: Vec<String> = v
        .iter_errors(value)
        .take(5)
        .map(|e| format!("{} at {}", e, e.instance_path))
        .collect();
    assert!(errors.is_empty(), "{name}: {errors:#?}");
}

fn response_schema(doc: &Value, method: &str, path: &str, status: &str) -> Option<String> {
    let r = &doc["paths"][path][method.to_lowercase()]["responses"][status]["content"]
        ["application/json"]["schema"]["$ref"];
    r.as_str()
        .map(|s| s.trim_start_matches("#/components/schemas/").to_string())
}

#[tokio::test]
async fn openapi_lists_exactly_the_routes_and_answers_match_it() {
    let app = app();
    let served = call(&app, "GET", "/api/v1/openapi.json").await;
    assert_eq!(served.status, StatusCode::OK);
    let doc = served.json();
    assert_eq!(doc, openapi_doc());
    assert_eq!(doc["openapi"], "3.1.0");

    let mut documented: Vec<(String, String)> = Vec::new();
    for (path, item) in doc["paths"].as_object().unwrap() {
        for method in item.as_object().unwrap().keys() {
            documented.push((method.to_uppercase(), path.clone()));
        }
    }
    let mut routed: Vec<(String, String)> = API_ROUTES
        .iter()
        .map(|(m, p)| (m.to_string(), p.to_string()))
        .collect();
    documented.sort();
    routed.sort();
    assert_eq!(documented, routed, "router and OpenAPI document disagree");

    for (method, path) in API_ROUTES {
        let uri = valid_uri(path);
        let a = call(&app, method, &uri).await;
        assert_eq!(a.status, StatusCode::OK, "{method} {uri}");
        assert!(a.content_type.starts_with("application/json"), "{uri}");
        if let Some(name) = response_schema(&doc, method, path, "200") {
            check_schema(&doc, &name, &a.json());
        }
    }
}

#[tokio::test]
async fn error_answers_match_the_error_schema() {
    let app = app();
    let doc = openapi_doc();
    for (uri, status, path) in [
        ("/api/v1/search?q=", 400, "/api/v1/search"),
        ("/api/v1/search?q=x&limit=-3", 400, "/api/v1/search"),
        ("/api/v1/entities/nope", 404, "/api/v1/entities/{id}"),
        ("/api/v1/documents/nope", 404, "/api/v1/documents/{id}"),
        ("/api/v1/events/nope", 404, "/api/v1/events/{id}"),
        ("/api/v1/claims/nope", 404, "/api/v1/claims/{id}"),
        ("/api/v1/timeline?entity=nope", 404, "/api/v1/timeline"),
        (
            "/api/v1/timeline?from=2022&to=2021",
            400,
            "/api/v1/timeline",
        ),
        ("/api/v1/claims?event=nope", 404, "/api/v1/claims"),
        (
            "/api/v1/entities/nope/graph",
            404,
            "/api/v1/entities/{id}/graph",
        ),
        ("/api/v1/stats?x=1", 400, "/api/v1/stats"),
    ] {
        let a = call(&app, "GET", uri).await;
        assert_eq!(a.status.as_u16(), status, "{uri}");
        let name = response_schema(&doc, "GET", path, &status.to_string())
            .unwrap_or_else(|| panic!("{status} undocumented for {path}"));
        let body = a.json();
        check_schema(&doc, &name, &body);
        assert_eq!(body["error"]["status"], status);
    }
    let a = call(&app, "GET", "/api/v1/nothing-here").await;
    assert_eq!(a.status, StatusCode::NOT_FOUND);
    check_schema(&doc, "Error", &a.json());
    let a = call(&app, "DELETE", "/api/v1/stats").await;
    assert_eq!(a.status, StatusCode::METHOD_NOT_ALLOWED);
    check_schema(&doc, "Error", &a.json());
}

#[tokio::test]
async fn search_shows_every_man_called_al_halabi() {
    let app = app();
    let a = call(&app, "GET", "/api/v1/search?q=al-Halabi&type=PERSON").await;
    let body = a.json();
    assert_eq!(body["total"], 4);
    let lines: Vec<&str> = body["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|h| h["entity"]["line"].as_str().unwrap())
        .collect();
    assert!(lines[0].contains("deputy commander"), "{lines:?}");
    assert!(lines.iter().any(|l| l.contains("financier")), "{lines:?}");
    assert!(lines.iter().any(|l| l.contains("lawyer")), "{lines:?}");
    // Percent-encoded Arabic works.
    let a = call(
        &app,
        "GET",
        "/api/v1/search?q=%D8%A3%D8%A8%D9%88%20%D8%AE%D8%A7%D9%84%D8%AF%20%D8%A7%D9%84%D8%AD%D9%84%D8%A8%D9%8A",
    )
    .await;
    assert_eq!(
        a.json()["items"][0]["entity"]["name"],
        "Abu Khalid al-Halabi"
    );
}

#[tokio::test]
async fn sizes_and_depths_are_capped() {
    let app = app();
    let (_, entity, ..) = ids();
    let a = call(&app, "GET", "/api/v1/search?q=al&limit=100000").await;
    assert_eq!(a.json()["limit"], 100);
    let a = call(
        &app,
        "GET",
        &format!("/api/v1/entities/{entity}/graph?depth=99&limit=99999999999999999999999"),
    )
    .await;
    let g = a.json();
    assert_eq!(g["depth"], 3);
    assert_eq!(g["limit"], 200);
    let a = call(&app, "GET", "/api/v1/documents?offset=99999999999").await;
    assert_eq!(a.json()["items"].as_array().unwrap().len(), 0);
}

#[tokio::test]
async fn foreign_host_names_are_refused_on_a_loopback_server() {
    let app = app();
    let a = call_with_host(&app, "GET", "/api/v1/stats", Some("attacker.example")).await;
    assert_eq!(a.status, StatusCode::FORBIDDEN);
    let a = call_with_host(&app, "GET", "/api/v1/stats", Some("localhost:8080")).await;
    assert_eq!(a.status, StatusCode::OK);
    let a = call_with_host(&app, "GET", "/api/v1/stats", Some("127.0.0.1:41234")).await;
    assert_eq!(a.status, StatusCode::OK);
}

#[tokio::test]
async fn ui_is_embedded_and_self_contained() {
    let app = app();
    let a = call(&app, "GET", "/").await;
    assert_eq!(a.status, StatusCode::OK);
    assert!(a.content_type.starts_with("text/html"));
    let html = String::from_utf8(a.body).unwrap();
    assert!(html.contains("/assets/app.js"));
    assert!(
        !html.contains("http://") && !html.contains("https://"),
        "no remote assets"
    );
    for asset in [
        "/assets/app.js",
        "/assets/app.css",
        "/assets/favicon.svg",
        "/assets/vendor/cytoscape.min.js",
        "/assets/vendor/cytoscape.LICENSE.txt",
    ] {
        let a = call(&app, "GET", asset).await;
        assert_eq!(a.status, StatusCode::OK, "{asset}");
        assert!(!a.body.is_empty());
    }
    for path in [
        "/assets/../Cargo.toml",
        "/assets/vendor/../../src/lib.rs",
        "/assets/%2e%2e/Cargo.toml",
        "/etc/passwd",
    ] {
        let a = call(&app, "GET", path).await;
        assert_eq!(a.status, StatusCode::NOT_FOUND, "{path}");
    }
}

#[test]
fn vendored_cytoscape_matches_its_recorded_checksum() {
    use sha2::{Digest, Sha256};
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("ui/vendor");
    let js = std::fs::read(dir.join("cytoscape.min.js")).unwrap();
    let hex: String = Sha256::digest(&js)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect();
    let notes = std::fs::read_to_string(dir.join("VENDOR.md")).unwrap();
    assert!(
        notes.contains(&hex),
        "VENDOR.md does not record sha256 {hex}"
    );
    let lock = std::fs::read_to_string(dir.join("package-lock.json")).unwrap();
    let pkg: Value = serde_json::from_str(&lock).unwrap();
    let version = pkg["packages"]["node_modules/cytoscape"]["version"]
        .as_str()
        .unwrap();
    assert!(notes.contains(version));
    assert!(String::from_utf8_lossy(&js).contains(version));
}

#[tokio::test]
async fn reload_rereads_and_keeps_serving_when_the_source_breaks() {
    let dir = std::env::temp_dir().join(format!("dossier-serve-reload-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("kb.json");
    std::fs::copy(fixture(), &path).unwrap();
    let (app, _state) = app_for(path.clone());
    let a = call(&app, "POST", "/api/v1/reload").await;
    assert_eq!(a.status, StatusCode::OK);
    assert_eq!(a.json()["documents"], 5);
    std::fs::write(&path, "{ not json").unwrap();
    let a = call(&app, "POST", "/api/v1/reload").await;
    assert_eq!(a.status, StatusCode::SERVICE_UNAVAILABLE);
    assert!(a.json()["error"]["message"]
        .as_str()
        .unwrap()
        .contains("kb.json"));
    let a = call(&app, "GET", "/api/v1/stats").await;
    assert_eq!(a.json()["documents"], 5, "old data still served");
    std::fs::remove_dir_all(&dir).ok();
}

/// Hostile values: huge, negative, fractional, unicode, traversal,
/// SQL-ish, markup, overlong, and broken percent-encoding.
fn hostile_values() -> Vec<String> {
    let mut v: Vec<String> = [
        "",
        "0",
        "-1",
        "-0",
        "1.5",
        "1e9",
        "0x10",
        "18446744073709551615",
        "18446744073709551616",
        "99999999999999999999999999999999999999",
        "NaN",
        "null",
        "true",
        "%00",
        "%zz",
        "%",
        "%4",
        "%E0%A4%A",
        "%C3%28",
        "%FF%FE%FD",
        "%ED%A0%80",
        "../../etc/passwd",
        "..%2F..%2Fetc%2Fpasswd",
        "%2e%2e%2f%2e%2e%2fetc%2fpasswd",
        "..\\..\\windows\\win.ini",
        "'%20OR%201=1%20--",
        "1;%20DROP%20TABLE%20entities;--",
        "%22%3E%3Cscript%3Ealert(1)%3C/script%3E",
        "%F0%9F%A6%81",
        "al-Ma%E1%B9%A3ri",
        "%D8%A7%D9%84%D9%85%D8%B5%D8%B1%D9%8A",
        "%E2%80%AE%E2%80%8B",
        "+++",
        "PERSON",
        "killing",
        "2020-13-45",
        "2020-02-30",
        "0000",
        "9999-12-31",
        "2020-08-07T00:00:00Z",
    ]
    .iter()
    .map(|s| s.to_string())
    .collect();
    v.push("a".repeat(201));
    v.push("%C3%BC".repeat(300));
    v.push("x".repeat(5000));
    v
}

#[tokio::test]
async fn hostile_parameters_never_cause_a_server_error() {
    let app = app();
    let params = [
        "q", "type", "offset", "limit", "depth", "entity", "event", "disputed", "from", "to",
        "unknown", "q%00", "%zz",
    ];
    let mut sent = 0;
    for (method, path) in API_ROUTES {
        let base = valid_uri(path);
        let (route, existing) = base.split_once('?').unwrap_or((&base, ""));
        for value in hostile_values() {
            for p in params {
                let mut query = if existing.is_empty() {
                    String::new()
                } else {
                    format!("{existing}&")
                };
                query.push_str(&format!("{p}={value}"));
                for uri in [format!("{route}?{query}"), format!("{route}?{query}&{p}=1")] {
                    let Ok(uri) = uri.parse::<axum::http::Uri>() else {
                        continue;
                    };
                    let a = call(&app, method, &uri.to_string()).await;
                    sent += 1;
                    assert!(
                        a.status.is_success() || a.status.is_client_error(),
                        "{method} {uri} -> {}",
                        a.status
                    );
                    if a.status.is_client_error() {
                        assert!(a.json()["error"]["message"].is_string(), "{uri}");
                    }
                }
            }
            // The same values as the id in the path.
            if path.contains("{id}") {
                let uri = route.replace(route.split('/').nth(4).unwrap_or_default(), &value);
                if let Ok(uri) = uri.parse::<axum::http::Uri>() {
                    let a = call(&app, method, &uri.to_string()).await;
                    sent += 1;
                    assert!(a.status.is_client_error(), "{method} {uri} -> {}", a.status);
                    if uri.path().starts_with("/api/") {
                        assert!(a.json()["error"].is_object(), "{uri}");
                    }
                }
            }
        }
    }
    assert!(sent > 5000, "only {sent} requests were sent");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn load_test_runs_over_loopback_and_every_answer_is_ok() {
    let ix = Index::from_export_file(&fixture()).unwrap();
    let report = dossier_serve::bench::load_test(ix, 400, 4).await.unwrap();
    assert_eq!(report.requests, 400);
    assert_eq!(report.failures, 0);
    assert!(report.p99 >= report.p50);
    assert!(report.per_endpoint.iter().map(|e| e.1).sum::<usize>() == 400);
}

#[tokio::test]
async fn schemas_are_strict_enough_to_notice_drift() {
    let app = app();
    let doc = openapi_doc();
    let (_, entity, ..) = ids();
    let mut body = call(&app, "GET", &format!("/api/v1/entities/{entity}"))
        .await
        .json();
    let schema = serde_json::json!({
        "$ref": "#/components/schemas/Dossier",
        "components": doc["components"],
    });
    let v = jsonschema::validator_for(&schema).unwrap();
    assert!(v.is_valid(&body));
    body["summary"]["undocumented"] = Value::Bool(true);
    assert!(!v.is_valid(&body), "an undocumented field must fail");
    body["summary"]
        .as_object_mut()
        .unwrap()
        .remove("undocumented");
    body["names"][0].as_object_mut().unwrap().remove("evidence");
    assert!(!v.is_valid(&body), "a missing field must fail");
}
