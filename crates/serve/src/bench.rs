//! `dossier bench serve`: a bounded load test on loopback. It starts the
//! server in-process on a free 127.0.0.1 port, sends a fixed number of
//! requests over a fixed number of keep-alive connections, drawn from a
//! realistic mix of endpoints, and reports requests per second and latency
//! percentiles per endpoint. Client and server share the machine, so the
//! figure is a lower bound for the server alone.
//!
//! The baseline, measured in the same run: the same requests answered one
//! at a time by the application in-process (query and encoding, no socket,
//! no waiting for other requests). The ratio of the two p50s is what
//! serving over loopback under concurrency adds.

use crate::{AppState, Limits, Pool, ServeError, MAX_CONNECTIONS};
use dossier_query::Page;
use http_body_util::{BodyExt, Empty};
use hyper::body::Bytes;
use hyper_util::rt::TokioIo;
use std::path::PathBuf;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

/// Most requests one run may send, so a typo cannot start a flood.
pub const MAX_REQUESTS: usize = 1_000_000;
pub const MAX_CONCURRENCY: usize = 256;

#[derive(Debug, Clone, clap::Args)]
pub struct BenchArgs {
    /// Knowledge base to serve.
    #[arg(long, default_value = "dossier.db")]
    pub db: PathBuf,
    /// Requests to send in all.
    #[arg(long, default_value_t = 5000)]
    pub requests: usize,
    /// Connections sending at once.
    #[arg(long, default_value_t = 8)]
    pub concurrency: usize,
}

/// What one run measured.
#[derive(Debug, Clone)]
pub struct Report {
    pub requests: usize,
    pub concurrency: usize,
    pub elapsed: Duration,
    /// Answers other than 200, over loopback or in the baseline (the mix
    /// only asks valid questions), and requests lost to a connection error.
    pub failures: usize,
    /// The first connection error, if any.
    pub first_error: Option<String>,
    pub p50: Duration,
    pub p90: Duration,
    pub p99: Duration,
    pub max: Duration,
    pub per_endpoint: Vec<Endpoint>,
}

/// One endpoint's figures.
#[derive(Debug, Clone)]
pub struct Endpoint {
    pub name: &'static str,
    pub requests: usize,
    pub p50: Duration,
    pub p99: Duration,
    /// p50 of the baseline: in-process, one request at a time.
    pub direct_p50: Duration,
}

/// Most requests of the plan the baseline answers.
const BASELINE_REQUESTS: usize = 1000;

impl Report {
    pub fn requests_per_second(&self) -> f64 {
        self.requests as f64 / self.elapsed.as_secs_f64().max(1e-9)
    }
}

/// Deterministic pseudo-random numbers (a 64-bit LCG): the same mix every run.
struct Lcg(u64);

impl Lcg {
    fn next(&mut self, n: usize) -> usize {
        self.0 = self
            .0
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        ((self.0 >> 33) as usize) % n.max(1)
    }
}

fn encode(s: &str) -> String {
    percent_encoding::utf8_percent_encode(s, percent_encoding::NON_ALPHANUMERIC).to_string()
}

/// Entities and documents the mix asks about: the entities named in a
/// spread of documents, so popular and rare ones both come up.
/// (entity id, name) pairs and document ids.
type Sample = (Vec<(String, String)>, Vec<String>);

fn sample(pool: &Pool) -> Result<Sample, ServeError> {
    pool.read(|q| {
        let total = q.documents(Page::new(0, 1))?.total;
        let step = (total / 200).max(1);
        let mut docs = Vec::new();
        let mut entities: Vec<(String, String)> = Vec::new();
        let mut offset = 0;
        while offset < total && docs.len() < 200 {
            for d in q.documents(Page::new(offset, 1))?.items {
                if let Some(view) = q.document(&d.id)? {
                    for s in view.spans.iter().filter(|s| s.layer == "mention") {
                        if let Some(t) = &s.target {
                            if !entities.iter().any(|(id, _)| id == t) {
                                entities.push((t.clone(), s.label.clone()));
                            }
                        }
                    }
                }
                docs.push(d.id);
            }
            offset += step;
        }
        Ok((entities, docs))
    })
}

/// The request mix: mostly what a person clicking through the UI asks for.
fn plan(entities: &[(String, String)], docs: &[String], n: usize) -> Vec<(&'static str, String)> {
    let mut rng = Lcg(0x5eed);
    let mut out = Vec::with_capacity(n);
    for _ in 0..n {
        let e = (!entities.is_empty()).then(|| &entities[rng.next(entities.len())]);
        let roll = rng.next(100);
        let req = match (roll, e) {
            (0..=24, Some((_, name))) => {
                // Typing: a prefix of the name, or the whole name.
                let name: String = if rng.next(2) == 0 {
                    name.chars().take(4).collect()
                } else {
                    name.clone()
                };
                (
                    "search",
                    format!("/api/v1/search?q={}&limit=10", encode(&name)),
                )
            }
            (25..=49, Some((id, _))) => ("entity", format!("/api/v1/entities/{id}")),
            (50..=59, Some((id, _))) => ("graph", format!("/api/v1/entities/{id}/graph?depth=2")),
            (60..=69, Some((id, _))) => ("timeline", format!("/api/v1/timeline?entity={id}")),
            (70..=74, Some((id, _))) => ("claims", format!("/api/v1/claims?entity={id}")),
            (75..=89, _) if !docs.is_empty() => {
                let d = &docs[rng.next(docs.len())];
                ("document", format!("/api/v1/documents/{d}"))
            }
            (90..=94, _) => ("timeline", "/api/v1/timeline?limit=50".to_string()),
            _ => ("stats", "/api/v1/stats".to_string()),
        };
        out.push(req);
    }
    out
}

fn percentile(sorted: &[Duration], p: f64) -> Duration {
    if sorted.is_empty() {
        return Duration::ZERO;
    }
    let i = ((sorted.len() as f64 * p).ceil() as usize).clamp(1, sorted.len()) - 1;
    sorted[i]
}

/// Run the load test against a database.
pub async fn load_test(
    db: PathBuf,
    requests: usize,
    concurrency: usize,
) -> Result<Report, ServeError> {
    let requests = requests.clamp(1, MAX_REQUESTS);
    let concurrency = concurrency.clamp(1, MAX_CONCURRENCY).min(requests);
    let pool = Pool::open(&db, MAX_CONNECTIONS)?;
    let (entities, docs) = sample(&pool)?;
    let plan = Arc::new(plan(&entities, &docs, requests));
    let state = AppState::new(pool, true);
    let direct = baseline(crate::router(state.clone()), &plan).await?;
    let listener = tokio::net::TcpListener::bind(("127.0.0.1", 0)).await?;
    let addr = listener.local_addr()?;
    let (stop_tx, stop_rx) = tokio::sync::oneshot::channel::<()>();
    let server = tokio::spawn(crate::serve(listener, state, Limits::default(), async {
        stop_rx.await.ok();
    }));

    let next = Arc::new(AtomicUsize::new(0));
    let started = Instant::now();
    let mut workers = Vec::new();
    for _ in 0..concurrency {
        workers.push(tokio::spawn(worker(addr, plan.clone(), next.clone())));
    }
    let mut samples = Vec::with_capacity(requests);
    let mut first_error: Option<String> = None;
    for w in workers {
        let (v, err) = w.await.map_err(|e| ServeError::Bench(e.to_string()))?;
        samples.extend(v);
        first_error = first_error.or(err);
    }
    let elapsed = started.elapsed();
    stop_tx.send(()).ok();
    server
        .await
        .map_err(|e| ServeError::Bench(e.to_string()))??;

    let failures = samples.iter().chain(direct.iter()).filter(|s| !s.2).count();
    // Only answered requests have a latency.
    let mut all: Vec<Duration> = samples.iter().filter(|s| s.2).map(|s| s.1).collect();
    all.sort_unstable();
    let mut names: Vec<&'static str> = plan.iter().map(|p| p.0).collect();
    names.sort_unstable();
    names.dedup();
    let per_endpoint = names
        .into_iter()
        .map(|name| {
            let times = |v: &[(usize, Duration, bool)]| {
                let mut t: Vec<Duration> = v
                    .iter()
                    .filter(|s| plan[s.0].0 == name)
                    .map(|s| s.1)
                    .collect();
                t.sort_unstable();
                t
            };
            let t = times(&samples);
            let d = times(&direct);
            Endpoint {
                name,
                requests: t.len(),
                p50: percentile(&t, 0.50),
                p99: percentile(&t, 0.99),
                direct_p50: percentile(&d, 0.50),
            }
        })
        .collect();
    Ok(Report {
        requests: samples.len(),
        concurrency,
        elapsed,
        failures,
        first_error,
        p50: percentile(&all, 0.50),
        p90: percentile(&all, 0.90),
        p99: percentile(&all, 0.99),
        max: all.last().copied().unwrap_or_default(),
        per_endpoint,
    })
}

type Timing = (usize, Duration, bool);

/// One client connection sending the plan's next request until none are
/// left. A request lost to a connection error counts as a failure and the
/// connection is opened again; the first error is returned with the samples.
async fn worker(
    addr: std::net::SocketAddr,
    plan: Arc<Vec<(&'static str, String)>>,
    next: Arc<AtomicUsize>,
) -> (Vec<Timing>, Option<String>) {
    let mut out: Vec<Timing> = Vec::new();
    let mut first_error: Option<String> = None;
    let mut sender = None;
    loop {
        let i = next.fetch_add(1, Ordering::Relaxed);
        if i >= plan.len() {
            break;
        }
        let t0 = Instant::now();
        let answered = async {
            if sender.is_none() {
                sender = Some(connect(addr).await?);
            }
            let s = sender.as_mut().expect("connected above");
            // The connection takes the next request only once it has
            // finished with the last answer; sending earlier is refused
            // ("connection was not ready"), a client error, not the server's.
            s.ready().await.map_err(|e| describe(&e))?;
            let req = hyper::Request::get(plan[i].1.as_str())
                .header(hyper::header::HOST, addr.to_string())
                .body(Empty::<Bytes>::new())
                .map_err(|e| e.to_string())?;
            let res = s.send_request(req).await.map_err(|e| describe(&e))?;
            let ok = res.status() == hyper::StatusCode::OK;
            // Read the whole body: that is what the client waits for.
            res.into_body().collect().await.map_err(|e| describe(&e))?;
            Ok::<bool, String>(ok)
        }
        .await;
        match answered {
            Ok(ok) => out.push((i, t0.elapsed(), ok)),
            Err(e) => {
                out.push((i, t0.elapsed(), false));
                first_error.get_or_insert(e);
                sender = None;
            }
        }
    }
    (out, first_error)
}

/// An error with its causes: hyper's own message ("operation was
/// canceled") says what happened, its source why.
fn describe(e: &dyn std::error::Error) -> String {
    let mut text = e.to_string();
    let mut cause = e.source();
    while let Some(c) = cause {
        text.push_str(": ");
        text.push_str(&c.to_string());
        cause = c.source();
    }
    text
}

async fn connect(
    addr: std::net::SocketAddr,
) -> Result<hyper::client::conn::http1::SendRequest<Empty<Bytes>>, String> {
    let stream = tokio::net::TcpStream::connect(addr)
        .await
        .map_err(|e| e.to_string())?;
    let (sender, conn) = hyper::client::conn::http1::handshake(TokioIo::new(stream))
        .await
        .map_err(|e| describe(&e))?;
    tokio::spawn(conn);
    Ok(sender)
}

/// The baseline: the first requests of the plan, answered one at a time by
/// the application in-process.
async fn baseline(
    app: axum::Router,
    plan: &[(&'static str, String)],
) -> Result<Vec<(usize, Duration, bool)>, ServeError> {
    use tower::ServiceExt;
    let mut out = Vec::new();
    for (i, (_, uri)) in plan.iter().enumerate().take(BASELINE_REQUESTS) {
        let req = hyper::Request::get(uri.as_str())
            .header(hyper::header::HOST, "localhost")
            .body(axum::body::Body::empty())
            .map_err(|e| ServeError::Bench(e.to_string()))?;
        let t0 = Instant::now();
        let res = app
            .clone()
            .oneshot(req)
            .await
            .map_err(|e| ServeError::Bench(e.to_string()))?;
        let ok = res.status() == hyper::StatusCode::OK;
        res.into_body()
            .collect()
            .await
            .map_err(|e| ServeError::Bench(e.to_string()))?;
        out.push((i, t0.elapsed(), ok));
    }
    Ok(out)
}

fn ms(d: Duration) -> String {
    format!("{:.2} ms", d.as_secs_f64() * 1000.0)
}

/// `dossier bench serve`: load, run, print.
pub fn run(args: &BenchArgs) -> Result<Report, ServeError> {
    let stats = Pool::open(&args.db, 1)?.read(|q| q.stats())?;
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()?;
    let report = runtime.block_on(load_test(args.db.clone(), args.requests, args.concurrency))?;
    println!(
        "knowledge base: {} ({} documents, {} entities, {} events, {} claims)",
        args.db.display(),
        stats.documents,
        stats.entities,
        stats.events,
        stats.claims
    );
    println!(
        "{} requests, {} connections, 127.0.0.1, client and server on this machine",
        report.requests, report.concurrency
    );
    println!(
        "throughput: {:.0} requests/s ({:.2} s)",
        report.requests_per_second(),
        report.elapsed.as_secs_f64()
    );
    println!(
        "latency: p50 {}, p90 {}, p99 {}, max {}",
        ms(report.p50),
        ms(report.p90),
        ms(report.p99),
        ms(report.max)
    );
    println!(
        "  {:<9} {:>8} {:>10} {:>10} {:>12} {:>9}",
        "endpoint", "requests", "p50", "p99", "direct p50", "p50 ratio"
    );
    for e in &report.per_endpoint {
        let ratio = e.p50.as_secs_f64() / e.direct_p50.as_secs_f64().max(1e-9);
        println!(
            "  {:<9} {:>8} {:>10} {:>10} {:>12} {:>8.1}x",
            e.name,
            e.requests,
            ms(e.p50),
            ms(e.p99),
            ms(e.direct_p50),
            ratio
        );
    }
    println!(
        "direct = the same requests in-process, one at a time (the first {BASELINE_REQUESTS} of the mix)"
    );
    println!("non-200 answers or lost requests: {}", report.failures);
    if let Some(e) = &report.first_error {
        println!("first connection error: {e}");
    }
    Ok(report)
}
