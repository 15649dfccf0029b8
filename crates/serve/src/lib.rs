//! `dossier serve`: a local, read-only web application over a knowledge
//! base. The JSON API lives under `/api/v1` (described by the OpenAPI
//! document at `/api/v1/openapi.json`); the web UI is embedded in the binary
//! and needs no network.
//!
//! The knowledge base is read once into a [`dossier_query::Index`] and
//! answered from memory. `POST /api/v1/reload` (or SIGHUP) re-reads it.

mod api;
pub mod bench;
pub mod openapi;
mod params;
mod ui;

pub use api::{router, API_ROUTES};

use dossier_query::Index;
use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::{Arc, RwLock};

/// Command-line arguments of `dossier serve`.
#[derive(Debug, Clone, clap::Args)]
pub struct ServeArgs {
    /// Knowledge base to serve (opened read-only).
    #[arg(long, default_value = "dossier.db")]
    pub db: PathBuf,
    /// Serve an export file (`dossier export --format json`) instead of a
    /// database.
    #[arg(long, value_name = "FILE.json")]
    pub export: Option<PathBuf>,
    /// Address to listen on. The default accepts connections from this
    /// machine only.
    #[arg(long, default_value = "127.0.0.1:8080")]
    pub addr: SocketAddr,
}

#[derive(Debug, thiserror::Error)]
pub enum ServeError {
    #[error(transparent)]
    Store(#[from] dossier_store::StoreError),
    #[error(transparent)]
    Export(#[from] dossier_query::QueryError),
    #[error(transparent)]
    Knowledge(#[from] dossier_export::ExportError),
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
}

/// Where the knowledge base comes from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Source {
    /// A Dossier SQLite database.
    Db(PathBuf),
    /// An export JSON file.
    Export(PathBuf),
}

impl Source {
    pub fn from_args(db: &std::path::Path, export: Option<&std::path::Path>) -> Source {
        match export {
            Some(p) => Source::Export(p.to_path_buf()),
            None => Source::Db(db.to_path_buf()),
        }
    }

    /// Read and index the knowledge base.
    pub fn load(&self) -> Result<Index, ServeError> {
        match self {
            Source::Db(path) => {
                let store = dossier_store::Store::open_read_only(path)?;
                Ok(Index::new(dossier_export::knowledge_base(&store)?))
            }
            Source::Export(path) => Ok(Index::from_export_file(path)?),
        }
    }

    pub fn describe(&self) -> String {
        match self {
            Source::Db(p) => p.display().to_string(),
            Source::Export(p) => format!("{} (export)", p.display()),
        }
    }
}

/// What every request handler shares.
pub struct AppState {
    index: RwLock<Arc<Index>>,
    source: Source,
    /// When listening on loopback only, requests must name a loopback host:
    /// a web page elsewhere cannot reach the API by rebinding a DNS name.
    loopback_only: bool,
}

impl AppState {
    pub fn new(index: Index, source: Source, loopback_only: bool) -> Arc<AppState> {
        Arc::new(AppState {
            index: RwLock::new(Arc::new(index)),
            source,
            loopback_only,
        })
    }

    /// The current index (a cheap clone of an `Arc`).
    pub fn index(&self) -> Arc<Index> {
        match self.index.read() {
            Ok(g) => g.clone(),
            Err(poisoned) => poisoned.into_inner().clone(),
        }
    }

    /// Re-read the source; on failure the old index stays in service.
    pub fn reload(&self) -> Result<Arc<Index>, ServeError> {
        let fresh = Arc::new(self.source.load()?);
        match self.index.write() {
            Ok(mut g) => *g = fresh.clone(),
            Err(poisoned) => *poisoned.into_inner() = fresh.clone(),
        }
        Ok(fresh)
    }
}

/// Serve until Ctrl-C (or SIGTERM), then finish in-flight requests.
pub fn run(args: &ServeArgs) -> Result<(), ServeError> {
    let source = Source::from_args(&args.db, args.export.as_deref());
    let index = source.load()?;
    let stats = index.stats();
    if !index.problems().is_empty() {
        tracing::warn!(
            "{}: {} bad references skipped (first: {} — {})",
            source.describe(),
            index.problems().len(),
            index.problems()[0].item,
            index.problems()[0].problem
        );
    }
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
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
        let state = AppState::new(index, source.clone(), addr.ip().is_loopback());
        eprintln!(
            "Serving {} ({} documents, {} entities, {} events, {} claims) at http://{addr}/ — Ctrl-C to stop",
            source.describe(),
            stats.documents,
            stats.entities,
            stats.events,
            stats.claims
        );
        spawn_reload_on_hangup(state.clone());
        axum::serve(listener, router(state))
            .with_graceful_shutdown(shutdown_signal())
            .await?;
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

#[cfg(unix)]
fn spawn_reload_on_hangup(state: Arc<AppState>) {
    use tokio::signal::unix::{signal, SignalKind};
    let Ok(mut hup) = signal(SignalKind::hangup()) else {
        return;
    };
    tokio::spawn(async move {
        while hup.recv().await.is_some() {
            let st = state.clone();
            match tokio::task::spawn_blocking(move || st.reload()).await {
                Ok(Ok(ix)) => eprintln!(
                    "Reloaded {}: {} documents, {} entities",
                    state.source.describe(),
                    ix.export().documents.len(),
                    ix.export().entities.len()
                ),
                Ok(Err(e)) => eprintln!("Reload failed, still serving the old data: {e}"),
                Err(e) => eprintln!("Reload failed: {e}"),
            }
        }
    });
}

#[cfg(not(unix))]
fn spawn_reload_on_hangup(_state: Arc<AppState>) {}
