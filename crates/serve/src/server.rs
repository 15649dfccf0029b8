//! The connection loop: HTTP/1.1 over hyper, with the limits that keep a
//! few misbehaving clients from starving everyone else.
//!
//! - A client must send a request's headers within
//!   [`Limits::header_read_timeout`]; the same timer closes a keep-alive
//!   connection that stays idle that long.
//! - A client that stops reading its answer for [`Limits::write_timeout`]
//!   is dropped.
//! - At most [`Limits::max_connections`] connections are open (and never
//!   more than the file-descriptor limit allows). When a new client comes
//!   and the cap is reached, the oldest connection with no request in
//!   flight is closed to make room: slow or idle clients give way.
//! - On shutdown, connections with no request in flight close at once,
//!   requests in flight get [`Limits::shutdown_grace`] to finish, and
//!   whatever is left is then dropped.

use crate::{router, AppState, ServeError};
use axum::body::Body;
use hyper::body::Incoming;
use hyper::server::conn::http1;
use hyper_util::rt::{TokioIo, TokioTimer};
use std::collections::HashMap;
use std::future::Future;
use std::io;
use std::pin::Pin;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::task::{Context, Poll};
use std::time::{Duration, Instant};
use tokio::io::{AsyncRead, AsyncWrite, ReadBuf};
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::{watch, Notify};
use tower::ServiceExt;

/// The server's limits. The defaults suit an analyst's machine; tests use
/// shorter times.
#[derive(Debug, Clone)]
pub struct Limits {
    /// Time allowed to send a request's headers, and to stay idle between
    /// requests on a keep-alive connection.
    pub header_read_timeout: Duration,
    /// Time a client may go without reading any of its answer.
    pub write_timeout: Duration,
    /// Most connections open at once (lowered to fit the process's
    /// file-descriptor limit).
    pub max_connections: usize,
    /// Time requests in flight get to finish after a shutdown signal.
    pub shutdown_grace: Duration,
}

impl Default for Limits {
    fn default() -> Limits {
        Limits {
            header_read_timeout: Duration::from_secs(10),
            write_timeout: Duration::from_secs(30),
            max_connections: 256,
            shutdown_grace: Duration::from_secs(10),
        }
    }
}

/// Descriptors kept free for the database connections, the listener and
/// the standard streams.
const RESERVED_FDS: u64 = 64;
/// Largest request head buffered per connection (requests are GETs with a
/// query string of at most 4 KB).
const MAX_HEAD_BUF: usize = 16 * 1024;

impl Limits {
    /// The connection cap that fits the file-descriptor limit.
    pub fn effective_max_connections(&self) -> usize {
        let wanted = self.max_connections.max(1);
        match fd_limit() {
            Some(n) => wanted.min(n.saturating_sub(RESERVED_FDS).max(8) as usize),
            None => wanted,
        }
    }
}

/// The soft limit on open files, from `/proc/self/limits` (Linux); `None`
/// elsewhere or when unreadable.
fn fd_limit() -> Option<u64> {
    let text = std::fs::read_to_string("/proc/self/limits").ok()?;
    let line = text.lines().find(|l| l.starts_with("Max open files"))?;
    line.split_whitespace().nth(3)?.parse().ok()
}

/// One open connection, as the accept loop sees it.
struct Conn {
    opened: Instant,
    /// Requests being answered on it (0 or 1 for HTTP/1.1 without
    /// pipelining).
    busy: Arc<AtomicUsize>,
    kill: Arc<Notify>,
}

#[derive(Default)]
struct Registry {
    next: u64,
    open: HashMap<u64, Conn>,
}

#[derive(Clone, Default)]
struct Connections(Arc<Mutex<Registry>>);

impl Connections {
    fn lock(&self) -> std::sync::MutexGuard<'_, Registry> {
        self.0.lock().unwrap_or_else(|p| p.into_inner())
    }

    fn add(&self) -> (u64, Arc<AtomicUsize>, Arc<Notify>) {
        let mut r = self.lock();
        let id = r.next;
        r.next += 1;
        let busy = Arc::new(AtomicUsize::new(0));
        let kill = Arc::new(Notify::new());
        r.open.insert(
            id,
            Conn {
                opened: Instant::now(),
                busy: busy.clone(),
                kill: kill.clone(),
            },
        );
        (id, busy, kill)
    }

    fn remove(&self, id: u64) {
        self.lock().open.remove(&id);
    }

    fn len(&self) -> usize {
        self.lock().open.len()
    }

    /// Closes the oldest connection with no request in flight; false when
    /// every connection is busy.
    fn evict_oldest_idle(&self) -> bool {
        let mut r = self.lock();
        let oldest = r
            .open
            .iter()
            .filter(|(_, c)| c.busy.load(Ordering::Acquire) == 0)
            .min_by_key(|(id, c)| (c.opened, **id))
            .map(|(id, _)| *id);
        match oldest.and_then(|id| r.open.remove(&id)) {
            Some(c) => {
                c.kill.notify_one();
                true
            }
            None => false,
        }
    }

    /// Closes every connection with no request in flight (`all`: every one).
    fn close(&self, all: bool) {
        let mut r = self.lock();
        r.open.retain(|_, c| {
            let close = all || c.busy.load(Ordering::Acquire) == 0;
            if close {
                c.kill.notify_one();
            }
            !close
        });
    }
}

/// Counts a request in flight for as long as it lives.
struct InFlight(Arc<AtomicUsize>);

impl InFlight {
    fn new(busy: &Arc<AtomicUsize>) -> InFlight {
        busy.fetch_add(1, Ordering::AcqRel);
        InFlight(busy.clone())
    }
}

impl Drop for InFlight {
    fn drop(&mut self) {
        self.0.fetch_sub(1, Ordering::AcqRel);
    }
}

/// A stream whose writes fail once the peer has not taken a byte for
/// `timeout`: a client that stops reading cannot hold its answer (and the
/// connection) forever.
struct WriteDeadline {
    inner: TcpStream,
    timeout: Duration,
    stalled: Option<Pin<Box<tokio::time::Sleep>>>,
}

impl WriteDeadline {
    fn new(inner: TcpStream, timeout: Duration) -> WriteDeadline {
        WriteDeadline {
            inner,
            timeout,
            stalled: None,
        }
    }

    fn watch<T>(&mut self, cx: &mut Context<'_>, p: Poll<io::Result<T>>) -> Poll<io::Result<T>> {
        match p {
            Poll::Ready(r) => {
                self.stalled = None;
                Poll::Ready(r)
            }
            Poll::Pending => {
                let timeout = self.timeout;
                let sleep = self
                    .stalled
                    .get_or_insert_with(|| Box::pin(tokio::time::sleep(timeout)));
                if sleep.as_mut().poll(cx).is_ready() {
                    Poll::Ready(Err(io::Error::new(
                        io::ErrorKind::TimedOut,
                        "the client stopped reading its answer",
                    )))
                } else {
                    Poll::Pending
                }
            }
        }
    }
}

impl AsyncRead for WriteDeadline {
    fn poll_read(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut ReadBuf<'_>,
    ) -> Poll<io::Result<()>> {
        Pin::new(&mut self.inner).poll_read(cx, buf)
    }
}

impl AsyncWrite for WriteDeadline {
    fn poll_write(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &[u8],
    ) -> Poll<io::Result<usize>> {
        let p = Pin::new(&mut self.inner).poll_write(cx, buf);
        self.watch(cx, p)
    }

    fn poll_write_vectored(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        bufs: &[io::IoSlice<'_>],
    ) -> Poll<io::Result<usize>> {
        let p = Pin::new(&mut self.inner).poll_write_vectored(cx, bufs);
        self.watch(cx, p)
    }

    fn is_write_vectored(&self) -> bool {
        self.inner.is_write_vectored()
    }

    fn poll_flush(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        let p = Pin::new(&mut self.inner).poll_flush(cx);
        self.watch(cx, p)
    }

    fn poll_shutdown(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.inner).poll_shutdown(cx)
    }
}

/// Serves one connection until it ends, is evicted, or shutdown closes it.
async fn connection(
    stream: TcpStream,
    app: axum::Router,
    limits: Arc<Limits>,
    busy: Arc<AtomicUsize>,
    kill: Arc<Notify>,
    mut stop: watch::Receiver<bool>,
) {
    let service = hyper::service::service_fn(move |req: hyper::Request<Incoming>| {
        let guard = InFlight::new(&busy);
        let app = app.clone();
        async move {
            let res = app.oneshot(req.map(Body::new)).await;
            drop(guard);
            res
        }
    });
    let io = TokioIo::new(WriteDeadline::new(stream, limits.write_timeout));
    let conn = http1::Builder::new()
        .timer(TokioTimer::new())
        .header_read_timeout(limits.header_read_timeout)
        .max_buf_size(MAX_HEAD_BUF)
        .serve_connection(io, service);
    tokio::pin!(conn);
    let mut stopping = false;
    loop {
        tokio::select! {
            r = conn.as_mut() => {
                if let Err(e) = r {
                    tracing::debug!("connection closed: {e}");
                }
                return;
            }
            _ = kill.notified() => return,
            changed = stop.changed(), if !stopping => {
                stopping = true;
                if changed.is_ok() {
                    conn.as_mut().graceful_shutdown();
                }
            }
        }
    }
}

fn too_many_files(e: &io::Error) -> bool {
    // EMFILE (24) and ENFILE (23): out of descriptors.
    matches!(e.raw_os_error(), Some(23) | Some(24))
}

/// Serves `state` on `listener` until `shutdown` completes, then stops as
/// [`Limits`] describes. Also starts the database's background check.
pub async fn serve(
    listener: TcpListener,
    state: Arc<AppState>,
    limits: Limits,
    shutdown: impl Future<Output = ()>,
) -> Result<(), ServeError> {
    let checker = state.clone();
    tokio::task::spawn_blocking(move || {
        if let Err(e) = checker.verify() {
            tracing::error!("{e}; refusing every request from now on");
            eprintln!("error: {e}; refusing every request from now on");
        }
    });
    serve_app(listener, router(state), limits, shutdown).await
}

/// The connection loop for any application (the server's own, or a test's).
pub async fn serve_app(
    listener: TcpListener,
    app: axum::Router,
    limits: Limits,
    shutdown: impl Future<Output = ()>,
) -> Result<(), ServeError> {
    let cap = limits.effective_max_connections();
    let limits = Arc::new(limits);
    let conns = Connections::default();
    let (stop_tx, stop_rx) = watch::channel(false);
    tokio::pin!(shutdown);
    loop {
        let (stream, peer) = tokio::select! {
            _ = &mut shutdown => break,
            accepted = listener.accept() => match accepted {
                Ok(x) => x,
                Err(e) => {
                    tracing::warn!("accept failed: {e}");
                    if too_many_files(&e) {
                        conns.evict_oldest_idle();
                    }
                    tokio::time::sleep(Duration::from_millis(10)).await;
                    continue;
                }
            },
        };
        if conns.len() >= cap && !conns.evict_oldest_idle() {
            tracing::warn!(%peer, "refused: {cap} connections open, all busy");
            drop(stream);
            continue;
        }
        let (id, busy, kill) = conns.add();
        let (app, limits, stop, registry) =
            (app.clone(), limits.clone(), stop_rx.clone(), conns.clone());
        tokio::spawn(async move {
            connection(stream, app, limits, busy, kill, stop).await;
            registry.remove(id);
        });
    }
    drop(listener);
    tracing::info!("shutting down: {} connections open", conns.len());
    stop_tx.send(true).ok();
    conns.close(false);
    let deadline = Instant::now() + limits.shutdown_grace;
    while conns.len() > 0 && Instant::now() < deadline {
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    if conns.len() > 0 {
        tracing::warn!(
            "{} requests still running after {:?}; dropping them",
            conns.len(),
            limits.shutdown_grace
        );
        conns.close(true);
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_connection_cap_fits_the_descriptor_limit() {
        let l = Limits {
            max_connections: usize::MAX,
            ..Limits::default()
        };
        let cap = l.effective_max_connections();
        if let Some(n) = fd_limit() {
            assert!((cap as u64) < n.max(RESERVED_FDS + 8), "{cap} vs {n}");
        }
        assert!(cap >= 8);
    }

    #[test]
    fn eviction_picks_the_oldest_idle_connection() {
        let c = Connections::default();
        let (a, busy_a, _) = c.add();
        let (b, _, kill_b) = c.add();
        let (_, _, _) = c.add();
        busy_a.fetch_add(1, Ordering::AcqRel);
        assert!(c.evict_oldest_idle());
        // `a` is busy, so `b` went, and was told to close.
        let r = c.lock();
        assert!(r.open.contains_key(&a) && !r.open.contains_key(&b));
        drop(r);
        let rt = tokio::runtime::Builder::new_current_thread()
            .enable_time()
            .build()
            .unwrap();
        rt.block_on(async {
            tokio::time::timeout(Duration::from_secs(1), kill_b.notified())
                .await
                .expect("evicted connection notified");
        });
        assert!(c.evict_oldest_idle());
        assert!(!c.evict_oldest_idle(), "only the busy one is left");
        assert_eq!(c.len(), 1);
    }
}
