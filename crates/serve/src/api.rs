//! The JSON API under `/api/v1`, and the router that also serves the UI.

use crate::params::{check_id, Params};
use crate::{AppState, ServeError};
use axum::extract::rejection::PathRejection;
use axum::extract::{Path, RawQuery, Request, State};
use axum::http::{header, HeaderName, HeaderValue, Method, StatusCode};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, MethodRouter};
use axum::{Json, Router};
use dossier_query::{ClaimQuery, Page, TimelineQuery, MAX_DEPTH, MAX_GRAPH_NODES, MAX_PAGE};
use serde::Serialize;
use std::sync::Arc;
use std::time::Instant;

/// Every API route as (method, path). The router is built from this list,
/// and a test checks it against the OpenAPI document both ways.
pub const API_ROUTES: &[(&str, &str)] = &[
    ("GET", "/api/v1/openapi.json"),
    ("GET", "/api/v1/stats"),
    ("GET", "/api/v1/search"),
    ("GET", "/api/v1/entities/{id}"),
    ("GET", "/api/v1/entities/{id}/graph"),
    ("GET", "/api/v1/documents"),
    ("GET", "/api/v1/documents/{id}"),
    ("GET", "/api/v1/events/{id}"),
    ("GET", "/api/v1/timeline"),
    ("GET", "/api/v1/claims"),
    ("GET", "/api/v1/claims/{id}"),
    ("GET", "/api/v1/disputes"),
    ("GET", "/api/v1/disputes/{id}"),
];

/// The sanctions screening routes: a yente-like match endpoint and an
/// OpenRefine reconciliation service. They answer from the lists given to
/// `dossier serve --list`, not from the knowledge base.
pub const SCREEN_ROUTES: &[(&str, &str)] = &[
    ("POST", "/api/v1/match"),
    ("GET", "/api/v1/reconcile"),
    ("POST", "/api/v1/reconcile"),
];

/// Largest offset accepted (larger ones are capped: the page is empty).
const MAX_OFFSET: usize = 1_000_000;
const DEFAULT_GRAPH_NODES: usize = 60;

type St = Arc<AppState>;

/// An error answer: `{"error": {"status": 400, "message": "..."}}`.
#[derive(Debug)]
pub struct ApiError {
    status: StatusCode,
    message: String,
}

impl ApiError {
    pub fn bad_request(message: impl Into<String>) -> ApiError {
        ApiError {
            status: StatusCode::BAD_REQUEST,
            message: message.into(),
        }
    }

    fn not_found(message: impl Into<String>) -> ApiError {
        ApiError {
            status: StatusCode::NOT_FOUND,
            message: message.into(),
        }
    }
}

#[derive(Serialize)]
struct ErrorBody<'a> {
    error: ErrorDetail<'a>,
}

#[derive(Serialize)]
struct ErrorDetail<'a> {
    status: u16,
    message: &'a str,
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let body = ErrorBody {
            error: ErrorDetail {
                status: self.status.as_u16(),
                message: &self.message,
            },
        };
        (self.status, Json(body)).into_response()
    }
}

type ApiResult = Result<Response, ApiError>;

fn page(p: &Params) -> Result<Page, ApiError> {
    Ok(Page::new(
        p.count("offset", 0, MAX_OFFSET)?,
        p.count("limit", dossier_query::DEFAULT_PAGE, MAX_PAGE)?,
    ))
}

fn path_id(id: Result<Path<String>, PathRejection>) -> Result<String, ApiError> {
    let Path(id) = id.map_err(|_| ApiError::bad_request("malformed id in the path"))?;
    check_id(&id).map(str::to_string)
}

async fn openapi() -> impl IntoResponse {
    (
        [(
            header::CONTENT_TYPE,
            HeaderValue::from_static("application/json"),
        )],
        crate::openapi::text(),
    )
}

/// Runs a query off the async threads, on one snapshot of the database,
/// and encodes its answer there too. At most one query per pooled
/// connection runs at once; the others wait without holding a thread. A
/// damaged database or a failing read is a 503 that says so.
async fn answer<T: Serialize + Send + 'static>(
    st: &St,
    f: impl FnOnce(&dossier_query::Query<'_>) -> dossier_query::Result<Option<T>> + Send + 'static,
    missing: impl FnOnce() -> String,
) -> ApiResult {
    if let Some(why) = st.damaged() {
        return Err(unavailable(why));
    }
    let permit = st
        .queries
        .clone()
        .acquire_owned()
        .await
        .map_err(|_| unavailable("the server is stopping".into()))?;
    let st2 = st.clone();
    let done = tokio::task::spawn_blocking(move || {
        let _permit = permit;
        let found = st2.pool.read(f);
        found.map(|v| v.map(|v| encode(&v, st2.max_body)))
    })
    .await;
    match done {
        Ok(Ok(Some(Ok(body)))) => Ok(json_response(body)),
        Ok(Ok(Some(Err(e)))) => Err(e),
        Ok(Ok(None)) => Err(ApiError::not_found(missing())),
        Ok(Err(e)) => {
            tracing::error!("read failed: {e}");
            if is_damage(&e) {
                st.mark_damaged(e.to_string());
            }
            Err(unavailable(e.to_string()))
        }
        Err(e) => {
            tracing::error!("read task failed: {e}");
            Err(unavailable("the read did not finish".into()))
        }
    }
}

/// A read error that says the file itself is damaged (as opposed to, say,
/// a busy or vanished file): every later request is refused too.
fn is_damage(e: &ServeError) -> bool {
    use dossier_store::StoreError as S;
    let store = match e {
        ServeError::Store(s) => s,
        ServeError::Query(dossier_query::QueryError::Store(s)) => s,
        _ => return false,
    };
    matches!(store, S::Corrupt { .. } | S::NotDossier { .. })
}

/// A writer that refuses to grow past a cap.
struct Capped {
    buf: Vec<u8>,
    cap: usize,
}

impl std::io::Write for Capped {
    fn write(&mut self, b: &[u8]) -> std::io::Result<usize> {
        if self.buf.len() + b.len() > self.cap {
            return Err(std::io::Error::new(
                std::io::ErrorKind::FileTooLarge,
                "answer over the size cap",
            ));
        }
        self.buf.extend_from_slice(b);
        Ok(b.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

/// Encodes an answer as JSON, refusing one larger than `cap` bytes before
/// it is all in memory.
fn encode<T: Serialize>(v: &T, cap: usize) -> Result<Vec<u8>, ApiError> {
    let mut w = Capped {
        buf: Vec::with_capacity(4096),
        cap,
    };
    match serde_json::to_writer(&mut w, v) {
        Ok(()) => Ok(w.buf),
        Err(e) if e.is_io() => Err(ApiError {
            status: StatusCode::PAYLOAD_TOO_LARGE,
            message: format!(
                "the answer would be larger than {} MB; ask for a smaller page (parameter \"limit\")",
                cap >> 20
            ),
        }),
        Err(e) => {
            tracing::error!("could not encode an answer: {e}");
            Err(ApiError {
                status: StatusCode::INTERNAL_SERVER_ERROR,
                message: format!("could not encode the answer: {e}"),
            })
        }
    }
}

fn json_response(body: Vec<u8>) -> Response {
    (
        [(
            header::CONTENT_TYPE,
            HeaderValue::from_static("application/json"),
        )],
        body,
    )
        .into_response()
}

fn unavailable(message: String) -> ApiError {
    ApiError {
        status: StatusCode::SERVICE_UNAVAILABLE,
        message,
    }
}

async fn stats(State(st): State<St>, RawQuery(q): RawQuery) -> ApiResult {
    Params::parse(q.as_deref(), &[])?;
    answer(&st, |q| q.stats().map(Some), String::new).await
}

#[derive(Serialize)]
struct SearchAnswer {
    query: String,
    #[serde(flatten)]
    page: dossier_query::Paged<dossier_query::SearchHit>,
}

async fn search(State(st): State<St>, RawQuery(q): RawQuery) -> ApiResult {
    let p = Params::parse(q.as_deref(), &["q", "type", "offset", "limit"])?;
    let text = p.str("q").map(str::trim).unwrap_or("").to_string();
    if dossier_query::name_parts(&text).is_empty() {
        return Err(ApiError::bad_request(
            "parameter \"q\" must contain at least one letter or digit",
        ));
    }
    let kind = p.type_name("type", true)?;
    let pg = page(&p)?;
    answer(
        &st,
        move |q| {
            let found = q.search(&text, kind.as_deref(), pg)?;
            Ok(Some(SearchAnswer {
                query: text,
                page: found,
            }))
        },
        String::new,
    )
    .await
}

async fn entity(
    State(st): State<St>,
    id: Result<Path<String>, PathRejection>,
    RawQuery(q): RawQuery,
) -> ApiResult {
    let id = path_id(id)?;
    let p = Params::parse(q.as_deref(), &["offset", "limit"])?;
    let pg = page(&p)?;
    let shown = id.clone();
    answer(
        &st,
        move |q| q.dossier(&id, pg),
        move || format!("no entity with id {shown}"),
    )
    .await
}

async fn graph(
    State(st): State<St>,
    id: Result<Path<String>, PathRejection>,
    RawQuery(q): RawQuery,
) -> ApiResult {
    let id = path_id(id)?;
    let p = Params::parse(q.as_deref(), &["depth", "limit"])?;
    let depth = p.count("depth", 1, MAX_DEPTH)?;
    let limit = p.count("limit", DEFAULT_GRAPH_NODES, MAX_GRAPH_NODES)?;
    let shown = id.clone();
    answer(
        &st,
        move |q| q.graph(&id, depth, limit),
        move || format!("no entity with id {shown}"),
    )
    .await
}

async fn documents(State(st): State<St>, RawQuery(q): RawQuery) -> ApiResult {
    let p = Params::parse(q.as_deref(), &["offset", "limit"])?;
    let pg = page(&p)?;
    answer(&st, move |q| q.documents(pg).map(Some), String::new).await
}

async fn document(
    State(st): State<St>,
    id: Result<Path<String>, PathRejection>,
    RawQuery(q): RawQuery,
) -> ApiResult {
    let id = path_id(id)?;
    Params::parse(q.as_deref(), &[])?;
    let shown = id.clone();
    answer(
        &st,
        move |q| q.document(&id),
        move || format!("no document with id {shown}"),
    )
    .await
}

async fn event(
    State(st): State<St>,
    id: Result<Path<String>, PathRejection>,
    RawQuery(q): RawQuery,
) -> ApiResult {
    let id = path_id(id)?;
    let p = Params::parse(q.as_deref(), &["offset", "limit"])?;
    let pg = page(&p)?;
    let shown = id.clone();
    answer(
        &st,
        move |q| q.event(&id, pg),
        move || format!("no event with id {shown}"),
    )
    .await
}

async fn timeline(State(st): State<St>, RawQuery(q): RawQuery) -> ApiResult {
    let p = Params::parse(
        q.as_deref(),
        &["entity", "type", "from", "to", "offset", "limit"],
    )?;
    let query = TimelineQuery {
        entity: p.id("entity")?,
        kind: p.type_name("type", false)?,
        from: p.date("from")?,
        to: p.date("to")?,
        page: page(&p)?,
    };
    if let (Some(f), Some(t)) = (&query.from, &query.to) {
        if f.is_after(t) {
            return Err(ApiError::bad_request("parameter \"from\" is after \"to\""));
        }
    }
    let shown = query.entity.clone().unwrap_or_default();
    answer(
        &st,
        move |q| q.timeline(&query),
        move || format!("no entity with id {shown}"),
    )
    .await
}

async fn claims(State(st): State<St>, RawQuery(q): RawQuery) -> ApiResult {
    let p = Params::parse(
        q.as_deref(),
        &["entity", "event", "disputed", "offset", "limit"],
    )?;
    let query = ClaimQuery {
        entity: p.id("entity")?,
        event: p.id("event")?,
        disputed: p.flag("disputed")?,
        page: page(&p)?,
    };
    answer(
        &st,
        move |q| q.claims(&query),
        || "no such entity or event".into(),
    )
    .await
}

async fn claim(
    State(st): State<St>,
    id: Result<Path<String>, PathRejection>,
    RawQuery(q): RawQuery,
) -> ApiResult {
    let id = path_id(id)?;
    Params::parse(q.as_deref(), &[])?;
    let shown = id.clone();
    answer(
        &st,
        move |q| q.claim(&id),
        move || format!("no claim with id {shown}"),
    )
    .await
}

async fn disputes(State(st): State<St>, RawQuery(q): RawQuery) -> ApiResult {
    let p = Params::parse(q.as_deref(), &["entity", "offset", "limit"])?;
    let Some(entity) = p.id("entity")? else {
        return Err(ApiError::bad_request("parameter \"entity\" is required"));
    };
    let pg = page(&p)?;
    let shown = entity.clone();
    answer(
        &st,
        move |q| match q.entity_id(&entity)? {
            Some(live) => q.disputes(&live, pg).map(Some),
            None => Ok(None),
        },
        move || format!("no entity with id {shown}"),
    )
    .await
}

async fn dispute(
    State(st): State<St>,
    id: Result<Path<String>, PathRejection>,
    RawQuery(q): RawQuery,
) -> ApiResult {
    let id = path_id(id)?;
    Params::parse(q.as_deref(), &[])?;
    let shown = id.clone();
    answer(
        &st,
        move |q| q.dispute(&id),
        move || format!("no dispute with id {shown}"),
    )
    .await
}

fn screener(st: &St) -> Result<Arc<dossier_screen::Screener>, ApiError> {
    st.screener.clone().ok_or_else(|| {
        ApiError::not_found(
            "no sanctions lists are loaded: start the server with `dossier serve --list ofac:DIR --list un:FILE`",
        )
    })
}

/// Screening is CPU work: it runs off the async threads, one request per
/// pooled slot like the reads.
async fn screen_blocking<T: Serialize + Send + 'static>(
    st: &St,
    f: impl FnOnce() -> Result<T, ApiError> + Send + 'static,
) -> ApiResult {
    let permit = st
        .queries
        .clone()
        .acquire_owned()
        .await
        .map_err(|_| unavailable("the server is stopping".into()))?;
    let max = st.max_body;
    let done = tokio::task::spawn_blocking(move || {
        let _permit = permit;
        f().and_then(|v| encode(&v, max))
    })
    .await
    .map_err(|_| unavailable("the screening did not finish".into()))?;
    Ok(json_response(done?))
}

/// `POST /api/v1/match?limit=N`: FollowTheMoney-style example entities
/// in, scored candidates with explanations out (as yente's `/match`).
async fn match_entities(
    State(st): State<St>,
    RawQuery(raw): RawQuery,
    body: axum::body::Bytes,
) -> ApiResult {
    let p = Params::parse(raw.as_deref(), &["limit"])?;
    let limit = p.count("limit", 5, dossier_screen::api::MAX_LIMIT)?;
    let screener = screener(&st)?;
    let req: dossier_screen::api::MatchRequest = serde_json::from_slice(&body).map_err(|e| {
        ApiError::bad_request(format!(
            "the body is not a match request ({{\"queries\": {{\"q1\": {{\"schema\": \"Person\", \"properties\": {{\"name\": [\"...\"]}}}}}}}}): {e}"
        ))
    })?;
    screen_blocking(&st, move || {
        dossier_screen::api::handle_match(&screener, &req, limit)
            .map_err(|e| ApiError::bad_request(e.to_string()))
    })
    .await
}

/// The `queries` field of a form body or query string, decoded.
fn form_field(raw: &str, name: &str) -> Option<String> {
    raw.split('&').find_map(|pair| {
        let (k, v) = pair.split_once('=')?;
        if k != name {
            return None;
        }
        let v = v.replace('+', " ");
        percent_encoding::percent_decode_str(&v)
            .decode_utf8()
            .ok()
            .map(|s| s.into_owned())
    })
}

async fn reconcile_queries(st: St, json: String) -> ApiResult {
    let screener = screener(&st)?;
    let queries = dossier_screen::api::parse_queries(&json)
        .map_err(|e| ApiError::bad_request(e.to_string()))?;
    screen_blocking(&st, move || {
        Ok(dossier_screen::api::reconcile(&screener, &queries))
    })
    .await
}

/// `GET /api/v1/reconcile`: the OpenRefine service manifest, or the
/// answers to `?queries=...`.
async fn reconcile_get(
    State(st): State<St>,
    RawQuery(raw): RawQuery,
    headers: axum::http::HeaderMap,
) -> ApiResult {
    let raw = raw.unwrap_or_default();
    if raw.len() > 1 << 20 {
        return Err(ApiError::bad_request("the query string is too long"));
    }
    if let Some(q) = form_field(&raw, "queries") {
        return reconcile_queries(st, q).await;
    }
    screener(&st)?;
    let host = headers
        .get(header::HOST)
        .and_then(|h| h.to_str().ok())
        .filter(|h| {
            h.chars()
                .all(|c| c.is_ascii_alphanumeric() || ".:-[]".contains(c))
        })
        .unwrap_or("localhost");
    let manifest = dossier_screen::api::manifest(&format!("http://{host}/api/v1/reconcile"));
    Ok(json_response(encode(&manifest, st.max_body)?))
}

/// `POST /api/v1/reconcile` with the form field `queries` (as OpenRefine
/// sends it) or a JSON body of queries.
async fn reconcile_post(State(st): State<St>, body: axum::body::Bytes) -> ApiResult {
    let text =
        std::str::from_utf8(&body).map_err(|_| ApiError::bad_request("the body is not UTF-8"))?;
    let json = match form_field(text, "queries") {
        Some(q) => q,
        None if text.trim_start().starts_with('{') => text.to_string(),
        None => {
            return Err(ApiError::bad_request(
                "expected a form field `queries` holding a JSON object of queries",
            ))
        }
    };
    reconcile_queries(st, json).await
}

fn method_router(method: &str, path: &str) -> Option<MethodRouter<St>> {
    Some(match (method, path) {
        ("GET", "/api/v1/openapi.json") => get(openapi),
        ("GET", "/api/v1/stats") => get(stats),
        ("GET", "/api/v1/search") => get(search),
        ("GET", "/api/v1/entities/{id}") => get(entity),
        ("GET", "/api/v1/entities/{id}/graph") => get(graph),
        ("GET", "/api/v1/documents") => get(documents),
        ("GET", "/api/v1/documents/{id}") => get(document),
        ("GET", "/api/v1/events/{id}") => get(event),
        ("GET", "/api/v1/timeline") => get(timeline),
        ("GET", "/api/v1/claims") => get(claims),
        ("GET", "/api/v1/claims/{id}") => get(claim),
        ("GET", "/api/v1/disputes") => get(disputes),
        ("GET", "/api/v1/disputes/{id}") => get(dispute),
        ("POST", "/api/v1/match") => axum::routing::post(match_entities),
        ("GET", "/api/v1/reconcile") => get(reconcile_get),
        ("POST", "/api/v1/reconcile") => axum::routing::post(reconcile_post),
        _ => return None,
    })
}

async fn fallback(method: Method, uri: axum::http::Uri) -> Response {
    if uri.path().starts_with("/api/") {
        return ApiError::not_found(format!("no endpoint {method} {}", uri.path())).into_response();
    }
    crate::ui::not_found()
}

async fn method_not_allowed(method: Method) -> Response {
    ApiError {
        status: StatusCode::METHOD_NOT_ALLOWED,
        message: format!("method {method} is not allowed here"),
    }
    .into_response()
}

fn is_loopback_host(host: &str) -> bool {
    let name = if let Some(rest) = host.strip_prefix('[') {
        rest.split(']').next().unwrap_or("")
    } else {
        host.rsplit_once(':').map_or(host, |(h, _)| h)
    };
    name.eq_ignore_ascii_case("localhost")
        || name
            .parse::<std::net::IpAddr>()
            .is_ok_and(|ip| ip.is_loopback())
}

/// Logs every request, refuses foreign Host names on a loopback server, and
/// sets headers that keep the UI self-contained.
async fn around(State(st): State<St>, req: Request, next: Next) -> Response {
    let started = Instant::now();
    let method = req.method().clone();
    let path = req.uri().path().to_string();
    if st.loopback_only {
        let host = req
            .headers()
            .get(header::HOST)
            .and_then(|h| h.to_str().ok());
        if host.is_some_and(|h| !is_loopback_host(h)) {
            tracing::warn!(%method, path, "refused: Host is not a loopback name");
            return ApiError {
                status: StatusCode::FORBIDDEN,
                message: "this server answers requests for localhost only".into(),
            }
            .into_response();
        }
    }
    let api = path.starts_with("/api/");
    let mut res = next.run(req).await;
    let h = res.headers_mut();
    if api {
        // Answers change with every build: never reuse one unchecked.
        h.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-cache"));
    }
    // Other sites can neither embed these answers nor frame the UI; no
    // Access-Control-Allow-Origin is ever sent, so they cannot read them.
    h.insert(
        HeaderName::from_static("cross-origin-resource-policy"),
        HeaderValue::from_static("same-origin"),
    );
    h.insert(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
    h.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    h.insert(
        header::REFERRER_POLICY,
        HeaderValue::from_static("no-referrer"),
    );
    h.insert(
        header::CONTENT_SECURITY_POLICY,
        HeaderValue::from_static(
            "default-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'; \
             frame-ancestors 'none'; base-uri 'none'; form-action 'self'",
        ),
    );
    tracing::info!(
        %method,
        path,
        status = res.status().as_u16(),
        ms = started.elapsed().as_secs_f64() * 1000.0,
        "request"
    );
    res
}

/// The whole application: API, UI and fallbacks.
pub fn router(state: Arc<AppState>) -> Router {
    let mut api: Router<St> = Router::new();
    let mut by_path: std::collections::BTreeMap<&str, MethodRouter<St>> = Default::default();
    for (method, path) in API_ROUTES.iter().chain(SCREEN_ROUTES) {
        if let Some(r) = method_router(method, path) {
            let merged = match by_path.remove(path) {
                Some(m) => m.merge(r),
                None => r,
            };
            by_path.insert(path, merged);
        }
    }
    for (path, r) in by_path {
        api = api.route(path, r);
    }
    api.merge(crate::ui::routes())
        .fallback(fallback)
        .method_not_allowed_fallback(method_not_allowed)
        .layer(middleware::from_fn_with_state(state.clone(), around))
        .with_state(state)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn loopback_hosts() {
        for h in [
            "localhost",
            "localhost:8080",
            "127.0.0.1:9",
            "[::1]:80",
            "127.1.2.3",
        ] {
            assert!(is_loopback_host(h), "{h}");
        }
        for h in [
            "evil.example",
            "evil.example:8080",
            "10.0.0.1",
            "[2001:db8::1]:80",
            "",
        ] {
            assert!(!is_loopback_host(h), "{h}");
        }
    }

    #[test]
    fn every_listed_route_has_a_handler() {
        for (m, p) in API_ROUTES.iter().chain(SCREEN_ROUTES) {
            assert!(method_router(m, p).is_some(), "{m} {p}");
        }
    }
}
