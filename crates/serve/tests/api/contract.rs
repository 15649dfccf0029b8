//! The API's contract: routes and OpenAPI agree both ways, every answer
//! matches its schema, errors have one shape, lists are pages with totals,
//! and the UI is embedded.

use crate::fixture::*;
use axum::http::StatusCode;
use dossier_serve::{router, AppState, Pool, API_ROUTES, MAX_CONNECTIONS, SCREEN_ROUTES};
use serde_json::Value;
use std::collections::BTreeSet;
use std::path::PathBuf;

#[tokio::test]
async fn openapi_lists_exactly_the_routes_and_answers_match_it() {
    let app = app();
    let ids = ids(&app).await;
    let served = get(&app, "/api/v1/openapi.json").await;
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
        .chain(SCREEN_ROUTES)
        .map(|(m, p)| (m.to_string(), p.to_string()))
        .collect();
    documented.sort();
    routed.sort();
    assert_eq!(documented, routed, "router and OpenAPI document disagree");

    for (method, path) in API_ROUTES {
        let uri = valid_uri(path, &ids);
        let a = call(&app, method, &uri).await;
        assert_eq!(a.status, StatusCode::OK, "{method} {uri}");
        assert!(a.content_type.starts_with("application/json"), "{uri}");
        if let Some(name) = response_schema(&doc, method, path, "200") {
            check_schema(&doc, &name, &a.json());
        }
    }
}

/// Every entity, document, event, claim and dispute of the sample corpus,
/// through every route that shows it, validates against its schema.
#[tokio::test]
async fn every_answer_over_the_sample_corpus_matches_its_schema() {
    let app = app();
    let doc = openapi_doc();
    let mut checked = 0;
    let mut check = |name: &str, v: &Value| {
        check_schema(&doc, name, v);
        checked += 1;
    };
    let stats = get(&app, "/api/v1/stats").await.json();
    check("Stats", &stats);
    let docs = get(&app, "/api/v1/documents?limit=100").await.json();
    check("PagedDocuments", &docs);
    let mut entities = BTreeSet::new();
    for d in docs["items"].as_array().unwrap() {
        let id = d["id"].as_str().unwrap();
        let view = get(&app, &format!("/api/v1/documents/{id}")).await.json();
        check("DocumentView", &view);
        for s in view["spans"].as_array().unwrap() {
            if s["layer"] == "mention" {
                entities.insert(s["target"].as_str().unwrap().to_string());
            }
        }
    }
    assert_eq!(entities.len(), stats["entities"].as_u64().unwrap() as usize);
    let mut disputes = BTreeSet::new();
    for id in &entities {
        for (uri, name) in [
            (format!("/api/v1/entities/{id}"), "Dossier"),
            (format!("/api/v1/entities/{id}?offset=1&limit=1"), "Dossier"),
            (format!("/api/v1/entities/{id}/graph?depth=2"), "Graph"),
            (format!("/api/v1/timeline?entity={id}"), "PagedEvents"),
            (format!("/api/v1/claims?entity={id}"), "PagedClaims"),
            (format!("/api/v1/disputes?entity={id}"), "ClaimGroups"),
        ] {
            let a = get(&app, &uri).await;
            assert_eq!(a.status, StatusCode::OK, "{uri}");
            let v = a.json();
            check(name, &v);
            if name == "ClaimGroups" {
                for g in v["groups"].as_array().unwrap() {
                    disputes.insert(g["id"].as_str().unwrap().to_string());
                }
            }
        }
    }
    assert!(!disputes.is_empty());
    for id in &disputes {
        check(
            "DisputeView",
            &get(&app, &format!("/api/v1/disputes/{id}")).await.json(),
        );
    }
    let events = get(&app, "/api/v1/timeline?limit=100").await.json();
    check("PagedEvents", &events);
    for e in events["items"].as_array().unwrap() {
        let id = e["id"].as_str().unwrap();
        check(
            "EventDetail",
            &get(&app, &format!("/api/v1/events/{id}")).await.json(),
        );
    }
    let claims = get(&app, "/api/v1/claims?limit=100").await.json();
    check("PagedClaims", &claims);
    for c in claims["items"].as_array().unwrap() {
        let id = c["id"].as_str().unwrap();
        check(
            "ClaimView",
            &get(&app, &format!("/api/v1/claims/{id}")).await.json(),
        );
    }
    assert!(checked > 200, "only {checked} answers checked");
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
        ("/api/v1/disputes/nope", 404, "/api/v1/disputes/{id}"),
        ("/api/v1/disputes", 400, "/api/v1/disputes"),
        ("/api/v1/disputes?entity=nope", 404, "/api/v1/disputes"),
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
        let a = get(&app, uri).await;
        assert_eq!(a.status.as_u16(), status, "{uri}");
        let name = response_schema(&doc, "GET", path, &status.to_string())
            .unwrap_or_else(|| panic!("{status} undocumented for {path}"));
        let body = a.json();
        check_schema(&doc, &name, &body);
        assert_eq!(body["error"]["status"], status);
    }
    let a = get(&app, "/api/v1/nothing-here").await;
    assert_eq!(a.status, StatusCode::NOT_FOUND);
    check_schema(&doc, "Error", &a.json());
}

#[tokio::test]
async fn search_shows_every_man_called_al_tunisi_with_distinct_lines() {
    let app = app();
    let a = get(&app, "/api/v1/search?q=al-Tunisi&type=PERSON")
        .await
        .json();
    let items = a["items"].as_array().unwrap();
    let names: Vec<&str> = items
        .iter()
        .map(|h| h["entity"]["name"].as_str().unwrap())
        .collect();
    for n in [
        "Abu Yusuf al-Tunisi",
        "Abu Hamza al-Tunisi",
        "Abu Bakr al-Tunisi",
    ] {
        assert!(names.contains(&n), "{n} missing from {names:?}");
    }
    let lines: BTreeSet<&str> = items
        .iter()
        .map(|h| h["entity"]["line"].as_str().unwrap())
        .collect();
    assert_eq!(
        lines.len(),
        items.len(),
        "one-liners must differ: {lines:?}"
    );
    assert_eq!(a["total"].as_u64().unwrap() as usize, items.len());
}

#[tokio::test]
async fn sizes_and_depths_are_capped() {
    let app = app();
    let ids = ids(&app).await;
    let a = get(&app, "/api/v1/search?q=al&limit=100000").await;
    assert_eq!(a.json()["limit"], 100);
    let g = get(
        &app,
        &format!(
            "/api/v1/entities/{}/graph?depth=99&limit=99999999999999999999999",
            ids.entity
        ),
    )
    .await
    .json();
    assert_eq!(g["depth"], 3);
    assert_eq!(g["limit"], 200);
    let a = get(&app, "/api/v1/documents?offset=99999999999")
        .await
        .json();
    assert_eq!(a["items"].as_array().unwrap().len(), 0);
    assert!(a["total"].as_u64().unwrap() >= 7);
}

/// Walks one list page by page; returns every item.
async fn walk(app: &axum::Router, uri: impl Fn(usize) -> String, list: &str) -> Vec<Value> {
    let mut out = Vec::new();
    let mut offset = 0;
    loop {
        let v = get(app, &uri(offset)).await.json();
        let page = pointer(&v, list);
        let items = page["items"].as_array().unwrap();
        assert!(items.len() <= 1, "{list}: a page of 1 has {}", items.len());
        out.extend(items.iter().cloned());
        offset += 1;
        let total = page["total"].as_u64().unwrap() as usize;
        if offset >= total {
            assert_eq!(out.len(), total, "{list}: pages add up to the total");
            return out;
        }
        assert!(offset < 1000, "{list} never ends");
    }
}

fn pointer<'a>(v: &'a Value, list: &str) -> &'a Value {
    v.pointer(list)
        .unwrap_or_else(|| panic!("no {list} in {v}"))
}

#[tokio::test]
async fn every_list_is_paged_with_a_total_that_adds_up() {
    let app = app();
    let ids = ids(&app).await;
    let e = &ids.entity;
    let whole = get(&app, &format!("/api/v1/entities/{e}?limit=100"))
        .await
        .json();
    for list in [
        "/names",
        "/descriptions",
        "/relations",
        "/events",
        "/documents",
    ] {
        let items = walk(
            &app,
            |o| format!("/api/v1/entities/{e}?offset={o}&limit=1"),
            list,
        )
        .await;
        let all = pointer(&whole, list)["items"].as_array().unwrap();
        assert_eq!(&items, all, "{list}: pages of 1 give the whole list");
    }
    // Merges page through the members; their total is the joins made.
    let merges = pointer(&whole, "/identity/merges");
    assert!(merges["total"].as_u64().unwrap() >= merges["items"].as_array().unwrap().len() as u64);
    // Claims: a page of claims, grouped as the build grouped them.
    let claims = &whole["claims"];
    let shown: usize = claims["groups"]
        .as_array()
        .unwrap()
        .iter()
        .map(|g| g["claims"].as_u64().unwrap() as usize)
        .sum::<usize>()
        + claims["single_source"].as_array().unwrap().len();
    assert!(claims["total"].as_u64().unwrap() >= 1);
    assert!(shown >= 1);
    let groups = get(&app, &format!("/api/v1/disputes?entity={e}&limit=100"))
        .await
        .json();
    assert_eq!(
        &groups, claims,
        "the dossier shows the same groups as /disputes"
    );
    walk(
        &app,
        |o| format!("/api/v1/events/{}?offset={o}&limit=1", ids.event),
        "/claims",
    )
    .await;
    walk(&app, |o| format!("/api/v1/claims?offset={o}&limit=1"), "").await;
    walk(
        &app,
        |o| format!("/api/v1/documents?offset={o}&limit=1"),
        "",
    )
    .await;
    walk(&app, |o| format!("/api/v1/timeline?offset={o}&limit=1"), "").await;
}

#[tokio::test]
async fn foreign_host_names_are_refused_on_a_loopback_server() {
    let app = app();
    let a = call_with_host(&app, "GET", "/api/v1/stats", Some("attacker.example")).await;
    assert_eq!(a.status, StatusCode::FORBIDDEN);
    check_schema(&openapi_doc(), "Error", &a.json());
    let a = call_with_host(&app, "GET", "/", Some("attacker.example:8080")).await;
    assert_eq!(a.status, StatusCode::FORBIDDEN);
    let a = call_with_host(&app, "GET", "/api/v1/stats", Some("localhost:8080")).await;
    assert_eq!(a.status, StatusCode::OK);
    let a = call_with_host(&app, "GET", "/api/v1/stats", Some("127.0.0.1:41234")).await;
    assert_eq!(a.status, StatusCode::OK);
}

#[tokio::test]
async fn nothing_changes_state_and_answers_carry_protective_headers() {
    let app = app();
    let ids = ids(&app).await;
    let doc = openapi_doc();
    for (_, path) in API_ROUTES {
        let uri = valid_uri(path, &ids);
        for method in ["POST", "PUT", "PATCH", "DELETE", "OPTIONS"] {
            let a = call(&app, method, &uri).await;
            assert_eq!(a.status, StatusCode::METHOD_NOT_ALLOWED, "{method} {uri}");
            check_schema(&doc, "Error", &a.json());
        }
        let a = get(&app, &uri).await;
        for (h, v) in [
            ("x-content-type-options", "nosniff"),
            ("cross-origin-resource-policy", "same-origin"),
            ("cache-control", "no-cache"),
            ("x-frame-options", "DENY"),
        ] {
            assert_eq!(
                a.headers.get(h).and_then(|v| v.to_str().ok()),
                Some(v),
                "{h} on {uri}"
            );
        }
        assert!(a.headers.get("access-control-allow-origin").is_none());
    }
    // The old reload route is gone.
    let a = call(&app, "POST", "/api/v1/reload").await;
    assert_eq!(a.status, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn an_answer_over_the_size_cap_is_refused_clearly() {
    let ids = ids(&app()).await;
    let pool = Pool::open(db(), MAX_CONNECTIONS).unwrap();
    let app = router(AppState::with_max_body(pool, true, 4096));
    let a = get(&app, &format!("/api/v1/entities/{}", ids.entity)).await;
    assert_eq!(a.status, StatusCode::PAYLOAD_TOO_LARGE);
    let body = a.json();
    check_schema(&openapi_doc(), "Error", &body);
    assert!(body["error"]["message"].as_str().unwrap().contains("limit"));
    // Small answers still pass.
    assert_eq!(get(&app, "/api/v1/stats").await.status, StatusCode::OK);
}

#[tokio::test]
async fn ui_is_embedded_and_self_contained() {
    let app = app();
    let a = get(&app, "/").await;
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
        let a = get(&app, asset).await;
        assert_eq!(a.status, StatusCode::OK, "{asset}");
        assert!(!a.body.is_empty());
    }
    for asset in ["/assets/app.js", "/assets/app.css"] {
        let text = String::from_utf8(get(&app, asset).await.body).unwrap();
        assert!(
            !text.contains("http://") && !text.contains("https://"),
            "{asset} fetches nothing remote"
        );
    }
    // Text from the knowledge base is never parsed as HTML.
    let js = String::from_utf8(get(&app, "/assets/app.js").await.body).unwrap();
    for sink in [
        "innerHTML",
        "outerHTML",
        "insertAdjacentHTML",
        "document.write",
    ] {
        assert!(!js.contains(sink), "app.js uses {sink}");
    }
    for path in [
        "/assets/../Cargo.toml",
        "/assets/vendor/../../src/lib.rs",
        "/assets/%2e%2e/Cargo.toml",
        "/assets/app.js/../../Cargo.toml",
        "/etc/passwd",
        "/ui/app.js",
        "/src/lib.rs",
    ] {
        let a = get(&app, path).await;
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
async fn schemas_are_strict_enough_to_notice_drift() {
    let app = app();
    let doc = openapi_doc();
    let ids = ids(&app).await;
    let mut body = get(&app, &format!("/api/v1/entities/{}", ids.entity))
        .await
        .json();
    assert!(schema_errors(&doc, "Dossier", &body).is_empty());
    body["summary"]["undocumented"] = Value::Bool(true);
    assert!(
        !schema_errors(&doc, "Dossier", &body).is_empty(),
        "an undocumented field must fail"
    );
    body["summary"]
        .as_object_mut()
        .unwrap()
        .remove("undocumented");
    body["names"]["items"][0]
        .as_object_mut()
        .unwrap()
        .remove("evidence");
    assert!(
        !schema_errors(&doc, "Dossier", &body).is_empty(),
        "a missing field must fail"
    );
    let mut groups = body["claims"].clone();
    groups["groups"][0]["sides"]
        .as_array_mut()
        .unwrap()
        .push(Value::Array(vec![]));
    assert!(
        !schema_errors(&doc, "ClaimGroups", &groups).is_empty(),
        "a dispute has exactly two sides"
    );
}
