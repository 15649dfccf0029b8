//! The screening endpoints over the screening crate's fixture lists: the
//! yente-like match, OpenRefine reconciliation (manifest, GET and the form
//! POST OpenRefine sends), bad bodies, and a server without lists.

use crate::fixture::{check_schema, db, openapi_doc, repo, response_schema};
use axum::body::Body;
use axum::http::{Request, StatusCode};
use axum::Router;
use dossier_serve::{router, AppState, Pool, MAX_CONNECTIONS};
use serde_json::Value;
use tower::ServiceExt;

fn screening_app() -> Router {
    let fixtures = repo().join("crates/screen/tests/fixtures");
    let specs: Vec<dossier_screen::ListSpec> = [
        format!("ofac:{}", fixtures.join("ofac").display()),
        format!("un:{}", fixtures.join("un.xml").display()),
    ]
    .iter()
    .map(|s| s.parse().unwrap())
    .collect();
    let lists = dossier_screen::load_all(&specs).unwrap();
    let screener = dossier_screen::Screener::new(lists).unwrap();
    router(AppState::with_screener(
        Pool::open(db(), MAX_CONNECTIONS).unwrap(),
        true,
        screener,
    ))
}

async fn send(
    app: &Router,
    method: &str,
    uri: &str,
    ctype: &str,
    body: &str,
) -> (StatusCode, Value) {
    let req = Request::builder()
        .method(method)
        .uri(uri)
        .header("content-type", ctype)
        .body(Body::from(body.to_string()))
        .unwrap();
    let res = app.clone().oneshot(req).await.unwrap();
    let status = res.status();
    let bytes = axum::body::to_bytes(res.into_body(), 1 << 24)
        .await
        .unwrap();
    (
        status,
        serde_json::from_slice(&bytes).unwrap_or(Value::Null),
    )
}

#[tokio::test]
async fn match_finds_a_listed_person_and_explains() {
    let app = screening_app();
    let body = r#"{"queries": {"a": {"schema": "Person", "properties": {"name": ["Abu Yusuf al-Baghdadi"]}},
                              "b": {"schema": "Person", "properties": {"name": ["Jane Doe"]}},
                              "c": {"schema": "Person", "properties": {"name": [""]}}}}"#;
    let (status, v) = send(
        &app,
        "POST",
        "/api/v1/match?limit=3",
        "application/json",
        body,
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{v}");
    let doc = openapi_doc();
    let name = response_schema(&doc, "POST", "/api/v1/match", "200").unwrap();
    check_schema(&doc, &name, &v);
    let a = &v["responses"]["a"]["results"];
    assert!(a[0]["match"].as_bool().unwrap(), "{v}");
    assert!(!a[0]["explanation"].as_array().unwrap().is_empty());
    let b = &v["responses"]["b"]["results"];
    assert!(
        b.as_array().unwrap().iter().all(|r| r["match"] == false),
        "{v}"
    );
    assert_eq!(v["responses"]["c"]["status"], 400);
}

#[tokio::test]
async fn reconciliation_answers_openrefine() {
    let app = screening_app();
    let (status, manifest) = send(&app, "GET", "/api/v1/reconcile", "text/plain", "").await;
    assert_eq!(status, StatusCode::OK);
    assert!(manifest["name"].is_string(), "{manifest}");
    let queries = r#"{"q0":{"query":"Abu Yusuf al-Baghdadi","type":"person"}}"#;
    let form = format!(
        "queries={}",
        percent_encoding::utf8_percent_encode(queries, percent_encoding::NON_ALPHANUMERIC)
    );
    let (status, v) = send(
        &app,
        "POST",
        "/api/v1/reconcile",
        "application/x-www-form-urlencoded",
        &form,
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{v}");
    assert!(v["q0"]["result"][0]["match"].as_bool().unwrap(), "{v}");
    let uri = format!("/api/v1/reconcile?{form}");
    let (status, g) = send(&app, "GET", &uri, "text/plain", "").await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(g, v);
}

#[tokio::test]
async fn bad_screening_requests_are_400_and_no_lists_is_404() {
    let app = screening_app();
    for (uri, body) in [
        ("/api/v1/match", "not json"),
        ("/api/v1/match", r#"{"queries": 5}"#),
        ("/api/v1/match?limit=-1", r#"{"queries": {}}"#),
        ("/api/v1/reconcile", "queries=%7Bbroken"),
        ("/api/v1/reconcile", "nothing=here"),
    ] {
        let (status, v) = send(&app, "POST", uri, "application/x-www-form-urlencoded", body).await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{uri} {body}: {v}");
        assert!(v["error"]["message"].is_string());
    }
    let plain = crate::fixture::app();
    let (status, v) = send(
        &plain,
        "POST",
        "/api/v1/match",
        "application/json",
        r#"{"queries": {}}"#,
    )
    .await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    assert!(v["error"]["message"].as_str().unwrap().contains("--list"));
}
