//! Hostile parameters on every route never give a server error.

use crate::fixture::*;
use dossier_serve::API_ROUTES;

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
        "%25",
        "*",
        "al%",
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
    let ids = ids(&app).await;
    let params = [
        "q", "type", "offset", "limit", "depth", "entity", "event", "disputed", "from", "to",
        "unknown", "q%00", "%zz",
    ];
    let mut sent = 0;
    for (method, path) in API_ROUTES {
        let base = valid_uri(path, &ids);
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
                let id = route.split('/').nth(4).unwrap_or_default();
                let uri = route.replacen(id, &value, 1);
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
