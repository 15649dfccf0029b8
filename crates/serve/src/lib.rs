//! `dossier serve`: a local, read-only web application over a knowledge
//! base. The JSON API lives under `/api/v1` (described by the OpenAPI
//! document at `/api/v1/openapi.json`); the web UI is embedded in the binary
//! and needs no network.
//!
//! Every request reads the database in its own read transaction, through a
//! small pool of read-only connections: start-up takes constant time, memory
//! does not grow with the corpus, and a build running meanwhile is seen
//! only once it has committed (a request never sees half of it). There is
//! nothing to reload.

mod api;
pub mod bench;
pub mod openapi;
mod params;
pub mod server;
mod ui;

pub use api::{router, API_ROUTES, SCREEN_ROUTES};
pub use server::{serve, serve_app, Limits};

use dossier_query::Query;
use dossier_store::{Store, StoreError};
use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Condvar, Mutex};

/// Command-line arguments of `dossier serve`.
#[derive(Debug, Clone, clap::Args)]
pub struct ServeArgs {
    /// Knowledge base to serve (opened read-only).
    #[arg(long, default_value = "dossier.db")]
    pub db: PathBuf,
    /// Address to listen on. The default accepts connections from this
    /// machine only.
    #[arg(long, default_value = "127.0.0.1:8080")]
    pub addr: SocketAddr,
    /// Sanctions lists for the match and reconciliation endpoints
    /// (`ofac:DIR`, `un:FILE.xml`, `ftm:FILE.jsonl`; repeatable).
    #[arg(long = "list", value_name = "KIND:PATH")]
    pub lists: Vec<String>,
}

#[derive(Debug, thiserror::Error)]
pub enum ServeError {
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error(transparent)]
    Query(#[from] dossier_query::QueryError),
    #[error("cannot listen on {addr}: {source}")]
    Bind {
        addr: SocketAddr,
        #[source]
        source: std::io::Error,
    },
    #[error("server failed: {0}")]
    Io(#[from] std::io::Error),
    #[error("load test: {0}")]
    Bench(String),
    #[error(transparent)]
    Lists(#[from] dossier_screen::LoadError),
    #[error("sanctions lists: {0}")]
    Screen(String),
}

/// Read-only connections to one database, reused across requests; at most
/// `max` exist, so concurrent heavy requests are bounded too.
pub struct Pool {
    path: PathBuf,
    max: usize,
    idle: Mutex<(Vec<Store>, usize)>,
    freed: Condvar,
}

/// Most connections (and so most queries running at once).
pub const MAX_CONNECTIONS: usize = 4;

impl Pool {
    /// Opens the first connection with the cheap checks (header,
    /// application id, schema version); the quick check runs beside
    /// serving, see [`AppState::verify`].
    pub fn open(path: &Path, max: usize) -> Result<Pool, StoreError> {
        let first = Store::open_read_unchecked(path)?;
        Ok(Pool {
            path: path.to_path_buf(),
            max: max.max(1),
            idle: Mutex::new((vec![first], 1)),
            freed: Condvar::new(),
        })
    }

    fn take(&self) -> Result<Store, StoreError> {
        let mut g = self.idle.lock().unwrap_or_else(|p| p.into_inner());
        loop {
            if let Some(s) = g.0.pop() {
                return Ok(s);
            }
            if g.1 < self.max {
                g.1 += 1;
                drop(g);
                return Store::open_read_unchecked(&self.path).inspect_err(|_| {
                    let mut g = self.idle.lock().unwrap_or_else(|p| p.into_inner());
                    g.1 -= 1;
                });
            }
            g = self.freed.wait(g).unwrap_or_else(|p| p.into_inner());
        }
    }

    fn give(&self, s: Store) {
        let mut g = self.idle.lock().unwrap_or_else(|p| p.into_inner());
        g.0.push(s);
        self.freed.notify_one();
    }

    /// Runs `f` on one snapshot of the database.
    pub fn read<T>(
        &self,
        f: impl FnOnce(&Query<'_>) -> Result<T, dossier_query::QueryError>,
    ) -> Result<T, ServeError> {
        let mut store = self.take()?;
        let out = (|| {
            let snap = store.snapshot()?;
            Ok(f(&Query::new(&snap))?)
        })();
        self.give(store);
        out
    }

    pub fn path(&self) -> &Path {
        &self.path
    }
}

/// Largest answer body: a safety net above the largest real answer (a
/// document of the 2M characters ingest accepts, with its spans). A
/// larger answer is refused with a 413 that says to ask for less.
pub const MAX_BODY_BYTES: usize = 24 << 20;

/// What every request handler shares.
pub struct AppState {
    pub pool: Pool,
    /// Queries running at once (one per pooled connection): requests
    /// beyond it wait here, asynchronously, holding no thread and no
    /// answer in memory.
    pub(crate) queries: Arc<tokio::sync::Semaphore>,
    /// Largest answer body in bytes.
    pub(crate) max_body: usize,
    /// Set when the background quick check, or a read, found the database
    /// damaged: every request is then refused with this message.
    damaged: Mutex<Option<String>>,
    /// When listening on loopback only, requests must name a loopback host:
    /// a web page elsewhere cannot reach the API by rebinding a DNS name.
    loopback_only: bool,
    /// Sanctions lists for `/match` and `/reconcile`, when loaded.
    pub(crate) screener: Option<Arc<dossier_screen::Screener>>,
}

impl AppState {
    pub fn new(pool: Pool, loopback_only: bool) -> Arc<AppState> {
        AppState::with_max_body(pool, loopback_only, MAX_BODY_BYTES)
    }

    /// As [`AppState::new`] with another cap on answer bodies.
    pub fn with_max_body(pool: Pool, loopback_only: bool, max_body: usize) -> Arc<AppState> {
        Arc::new(AppState {
            queries: Arc::new(tokio::sync::Semaphore::new(pool.max)),
            pool,
            max_body,
            damaged: Mutex::new(None),
            loopback_only,
            screener: None,
        })
    }

    /// The same state with sanctions lists for the screening endpoints.
    pub fn with_screener(
        pool: Pool,
        loopback_only: bool,
        screener: dossier_screen::Screener,
    ) -> Arc<AppState> {
        Arc::new(AppState {
            queries: Arc::new(tokio::sync::Semaphore::new(pool.max)),
            pool,
            max_body: MAX_BODY_BYTES,
            damaged: Mutex::new(None),
            loopback_only,
            screener: Some(Arc::new(screener)),
        })
    }

    /// Runs SQLite's quick check; a damaged database is refused from then on.
    pub fn verify(&self) -> Result<(), StoreError> {
        let r = Store::open_read_unchecked(self.pool.path()).and_then(|s| s.quick_check());
        if let Err(e) = &r {
            self.mark_damaged(e.to_string());
        }
        r
    }

    pub(crate) fn mark_damaged(&self, why: String) {
        let mut g = self.damaged.lock().unwrap_or_else(|p| p.into_inner());
        if g.is_none() {
            *g = Some(why);
        }
    }

    pub fn damaged(&self) -> Option<String> {
        self.damaged
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .clone()
    }
}

/// Serve until Ctrl-C (or SIGTERM), then stop as [`Limits`] describes.
pub fn run(args: &ServeArgs) -> Result<(), ServeError> {
    let pool = Pool::open(&args.db, MAX_CONNECTIONS)?;
    let stats = pool.read(|q| q.stats())?;
    let screener = if args.lists.is_empty() {
        None
    } else {
        let specs: Vec<dossier_screen::ListSpec> = args
            .lists
            .iter()
            .map(|s| s.parse())
            .collect::<Result<_, _>>()?;
        let lists = dossier_screen::load_all(&specs)?;
        let s =
            dossier_screen::Screener::new(lists).map_err(|e| ServeError::Screen(e.to_string()))?;
        eprintln!(
            "Sanctions lists loaded: {} entries; POST /api/v1/match and /api/v1/reconcile (OpenRefine) answer from them",
            s.entries().len()
        );
        Some(s)
    };
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        // Queries are gated by the pool size; a few more threads for the
        // background check and for spare.
        .max_blocking_threads(MAX_CONNECTIONS + 4)
        .enable_all()
        .build()?;
    runtime.block_on(async {
        let listener = tokio::net::TcpListener::bind(args.addr)
            .await
            .map_err(|source| ServeError::Bind {
                addr: args.addr,
                source,
            })?;
        let addr = listener.local_addr()?;
        let state = match screener {
            Some(s) => AppState::with_screener(pool, addr.ip().is_loopback(), s),
            None => AppState::new(pool, addr.ip().is_loopback()),
        };
        eprintln!(
            "Serving {} ({} documents, {} entities, {} events, {} claims) at http://{addr}/ — Ctrl-C to stop",
            args.db.display(),
            stats.documents,
            stats.entities,
            stats.events,
            stats.claims
        );
        serve(listener, state, Limits::default(), shutdown_signal()).await?;
        eprintln!("Stopped.");
        Ok(())
    })
}

async fn shutdown_signal() {
    let ctrl_c = async {
        if tokio::signal::ctrl_c().await.is_err() {
            std::future::pending::<()>().await;
        }
    };
    #[cfg(unix)]
    let term = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let term = std::future::pending::<()>();
    tokio::select! {
        _ = ctrl_c => {},
        _ = term => {},
    }
    tracing::info!("shutting down");
}
