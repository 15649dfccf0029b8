//! The web UI: a handful of files embedded at build time and served from a
//! fixed table (no request ever names a file on disk).

use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::Router;
use std::sync::Arc;

const INDEX_HTML: &str = include_str!("../ui/index.html");
const APP_JS: &str = include_str!("../ui/app.js");
const APP_CSS: &str = include_str!("../ui/app.css");
const FAVICON: &str = include_str!("../ui/favicon.svg");
/// cytoscape.js, vendored from npm (see `ui/vendor/VENDOR.md`).
pub(crate) const CYTOSCAPE_JS: &[u8] = include_bytes!("../ui/vendor/cytoscape.min.js");
const CYTOSCAPE_LICENSE: &str = include_str!("../ui/vendor/cytoscape.LICENSE");

fn asset(body: impl Into<axum::body::Body>, mime: &'static str, long_cache: bool) -> Response {
    let cache = if long_cache {
        "public, max-age=86400"
    } else {
        "no-cache"
    };
    (
        [
            (header::CONTENT_TYPE, HeaderValue::from_static(mime)),
            (header::CACHE_CONTROL, HeaderValue::from_static(cache)),
        ],
        body.into(),
    )
        .into_response()
}

pub(crate) fn routes() -> Router<Arc<crate::AppState>> {
    Router::new()
        .route(
            "/",
            get(|| async { asset(INDEX_HTML, "text/html; charset=utf-8", false) }),
        )
        .route(
            "/assets/app.js",
            get(|| async { asset(APP_JS, "text/javascript; charset=utf-8", false) }),
        )
        .route(
            "/assets/app.css",
            get(|| async { asset(APP_CSS, "text/css; charset=utf-8", false) }),
        )
        .route(
            "/assets/favicon.svg",
            get(|| async { asset(FAVICON, "image/svg+xml", true) }),
        )
        .route(
            "/assets/vendor/cytoscape.min.js",
            get(|| async { asset(CYTOSCAPE_JS, "text/javascript; charset=utf-8", true) }),
        )
        .route(
            "/assets/vendor/cytoscape.LICENSE.txt",
            get(|| async { asset(CYTOSCAPE_LICENSE, "text/plain; charset=utf-8", true) }),
        )
}

pub(crate) fn not_found() -> Response {
    (
        StatusCode::NOT_FOUND,
        [(
            header::CONTENT_TYPE,
            HeaderValue::from_static("text/html; charset=utf-8"),
        )],
        "<!doctype html><title>Not found</title><p>Not found. <a href=\"/\">Back to Dossier</a></p>",
    )
        .into_response()
}
