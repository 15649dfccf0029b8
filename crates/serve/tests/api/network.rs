//! The server over real loopback sockets: load, slow clients, clients that
//! stop reading, idle connections and shutdown. Every test is bounded in
//! connections and time.

use crate::fixture::*;
use axum::routing::get as route_get;
use axum::Router;
use dossier_serve::{router, serve_app, Limits};
use std::net::SocketAddr;
use std::time::{Duration, Instant};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;
use tokio::sync::oneshot;
use tokio::task::JoinHandle;

type Server = JoinHandle<Result<(), dossier_serve::ServeError>>;

async fn start(app: Router, limits: Limits) -> (SocketAddr, oneshot::Sender<()>, Server) {
    let listener = tokio::net::TcpListener::bind(("127.0.0.1", 0))
        .await
        .unwrap();
    let addr = listener.local_addr().unwrap();
    let (tx, rx) = oneshot::channel::<()>();
    let server = tokio::spawn(serve_app(listener, app, limits, async {
        rx.await.ok();
    }));
    (addr, tx, server)
}

fn short_limits() -> Limits {
    Limits {
        header_read_timeout: Duration::from_secs(2),
        write_timeout: Duration::from_secs(1),
        max_connections: 128,
        shutdown_grace: Duration::from_secs(1),
    }
}

/// Reads one HTTP/1.1 response (with a Content-Length) from `s`: status
/// and body.
async fn read_response(s: &mut TcpStream) -> (u16, Vec<u8>) {
    let mut buf = Vec::new();
    let mut chunk = [0u8; 8192];
    let head_end = loop {
        if let Some(i) = buf.windows(4).position(|w| w == b"\r\n\r\n") {
            break i + 4;
        }
        let n = s.read(&mut chunk).await.unwrap();
        assert!(n > 0, "connection closed before the answer's head");
        buf.extend_from_slice(&chunk[..n]);
    };
    let head = String::from_utf8_lossy(&buf[..head_end]).to_string();
    let status: u16 = head[9..12].parse().unwrap();
    let len: usize = head
        .lines()
        .find_map(|l| {
            let (k, v) = l.split_once(':')?;
            k.eq_ignore_ascii_case("content-length")
                .then(|| v.trim().parse().ok())?
        })
        .expect("content-length");
    while buf.len() < head_end + len {
        let n = s.read(&mut chunk).await.unwrap();
        assert!(n > 0, "connection closed inside the body");
        buf.extend_from_slice(&chunk[..n]);
    }
    (status, buf[head_end..head_end + len].to_vec())
}

async fn request(addr: SocketAddr, path: &str) -> (u16, Vec<u8>) {
    let mut s = TcpStream::connect(addr).await.unwrap();
    s.write_all(format!("GET {path} HTTP/1.1\r\nHost: localhost\r\n\r\n").as_bytes())
        .await
        .unwrap();
    read_response(&mut s).await
}

/// Waits until the server closes `s` (EOF or reset); how long that took.
async fn closed_within(s: &mut TcpStream, limit: Duration) -> Option<Duration> {
    let t = Instant::now();
    let mut b = [0u8; 1024];
    loop {
        match tokio::time::timeout(limit.saturating_sub(t.elapsed()), s.read(&mut b)).await {
            Err(_) => return None,
            Ok(Ok(0)) | Ok(Err(_)) => return Some(t.elapsed()),
            Ok(Ok(_)) => continue,
        }
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn load_test_of_50_connections_over_loopback_answers_every_request() {
    let report = dossier_serve::bench::load_test(db().clone(), 2000, 50)
        .await
        .unwrap();
    assert_eq!(report.requests, 2000);
    assert_eq!(report.concurrency, 50);
    assert_eq!(report.failures, 0, "{:?}", report.first_error);
    assert!(report.p99 >= report.p50);
    assert_eq!(
        report
            .per_endpoint
            .iter()
            .map(|e| e.requests)
            .sum::<usize>(),
        2000
    );
    for e in &report.per_endpoint {
        assert!(
            e.p99 >= e.p50 && e.direct_p50 > std::time::Duration::ZERO,
            "{e:?}"
        );
    }
}

/// A client that sends a request head one byte at a time and never
/// finishes it. Returns how long after connecting the server closed it.
async fn drip(addr: SocketAddr) -> Duration {
    let started = Instant::now();
    let s = TcpStream::connect(addr).await.unwrap();
    let (mut r, mut w) = s.into_split();
    let head = b"GET /api/v1/stats HTTP/1.1\r\nHost: localhost\r\nX-Drip: ";
    let writer = async move {
        w.write_all(head).await.ok();
        loop {
            tokio::time::sleep(Duration::from_millis(100)).await;
            if w.write_all(b"a").await.is_err() {
                // Keep waiting for the read side to see the close.
                std::future::pending::<()>().await;
            }
        }
    };
    let mut b = [0u8; 256];
    tokio::select! {
        _ = writer => unreachable!(),
        _ = r.read(&mut b) => started.elapsed(),
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn drip_fed_connections_do_not_keep_new_clients_out_and_are_closed() {
    // Long enough to tell eviction from the timeout on a busy machine.
    let limits = Limits {
        header_read_timeout: Duration::from_secs(5),
        ..short_limits()
    };
    let timeout = limits.header_read_timeout;
    let (addr, stop, server) = start(router(state_for(db())), limits).await;
    const SLOW: usize = 300;
    let drips: Vec<_> = (0..SLOW).map(|_| tokio::spawn(drip(addr))).collect();
    tokio::time::sleep(Duration::from_millis(300)).await;
    // A normal client is answered at once, drip-fed connections or not.
    let t = Instant::now();
    let (status, body) = request(addr, "/api/v1/search?q=al-Tunisi").await;
    let took = t.elapsed();
    assert_eq!(status, 200, "{}", String::from_utf8_lossy(&body));
    // Not kept waiting for the drip-fed connections to time out.
    assert!(took < timeout / 2, "answered after {took:?}");
    eprintln!("a new client was answered in {took:?} beside {SLOW} drip-fed connections");
    // Every drip-fed connection is closed: by eviction or by the
    // header-read timeout, never later than the timeout (plus slack).
    let mut evicted = 0;
    for d in drips {
        let after = tokio::time::timeout(timeout * 4, d)
            .await
            .expect("a drip-fed connection stayed open")
            .unwrap();
        assert!(after < timeout + Duration::from_secs(2), "{after:?}");
        if after < timeout / 2 {
            evicted += 1;
        }
    }
    // 300 against a cap of 128: most had to make room.
    assert!(evicted >= SLOW - 128, "only {evicted} evicted");
    stop.send(()).unwrap();
    server.await.unwrap().unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_idle_keep_alive_connection_is_closed_after_the_timeout() {
    let limits = short_limits();
    let timeout = limits.header_read_timeout;
    let (addr, stop, server) = start(router(state_for(db())), limits).await;
    let mut s = TcpStream::connect(addr).await.unwrap();
    for _ in 0..2 {
        s.write_all(b"GET /api/v1/stats HTTP/1.1\r\nHost: localhost\r\n\r\n")
            .await
            .unwrap();
        assert_eq!(read_response(&mut s).await.0, 200);
    }
    let idle = closed_within(&mut s, timeout * 3)
        .await
        .expect("idle connection kept open");
    assert!(idle >= timeout - Duration::from_millis(300), "{idle:?}");
    stop.send(()).unwrap();
    server.await.unwrap().unwrap();
}

/// A route that answers `size` bytes, and one that takes `sleep`.
fn test_app(size: usize, sleep: Duration) -> Router {
    Router::new()
        .route("/big", route_get(move || async move { vec![b'x'; size] }))
        .route(
            "/slow",
            route_get(move || async move {
                tokio::time::sleep(sleep).await;
                "done"
            }),
        )
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_client_that_stops_reading_is_dropped() {
    const SIZE: usize = 64 << 20;
    let (addr, stop, server) = start(test_app(SIZE, Duration::ZERO), short_limits()).await;
    let mut s = TcpStream::connect(addr).await.unwrap();
    s.write_all(b"GET /big HTTP/1.1\r\nHost: localhost\r\n\r\n")
        .await
        .unwrap();
    // Read nothing for longer than the write timeout...
    tokio::time::sleep(Duration::from_secs(3)).await;
    // ...then what arrives is cut short: the server gave up.
    let mut got = 0usize;
    let mut b = vec![0u8; 1 << 16];
    let read_all = async {
        loop {
            match s.read(&mut b).await {
                Ok(0) | Err(_) => break,
                Ok(n) => got += n,
            }
        }
    };
    tokio::time::timeout(Duration::from_secs(10), read_all)
        .await
        .expect("the connection was closed");
    assert!(got < SIZE, "all {got} bytes arrived");
    stop.send(()).unwrap();
    server.await.unwrap().unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_half_sent_request_does_not_hold_up_shutdown() {
    let limits = Limits {
        header_read_timeout: Duration::from_secs(30),
        shutdown_grace: Duration::from_secs(5),
        ..short_limits()
    };
    let (addr, stop, server) = start(router(state_for(db())), limits).await;
    let mut half = TcpStream::connect(addr).await.unwrap();
    half.write_all(b"GET /api/v1/stats HTTP/1.1\r\nHost: loc")
        .await
        .unwrap();
    let mut idle = TcpStream::connect(addr).await.unwrap();
    idle.write_all(b"GET /api/v1/stats HTTP/1.1\r\nHost: localhost\r\n\r\n")
        .await
        .unwrap();
    assert_eq!(read_response(&mut idle).await.0, 200);
    tokio::time::sleep(Duration::from_millis(100)).await;
    let t = Instant::now();
    stop.send(()).unwrap();
    tokio::time::timeout(Duration::from_secs(1), server)
        .await
        .expect("shutdown waited for a half-sent request")
        .unwrap()
        .unwrap();
    assert!(t.elapsed() < Duration::from_secs(1));
    assert!(closed_within(&mut half, Duration::from_secs(1))
        .await
        .is_some());
    assert!(closed_within(&mut idle, Duration::from_secs(1))
        .await
        .is_some());
    // Nobody listens any more.
    assert!(TcpStream::connect(addr).await.is_err());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn shutdown_lets_requests_finish_within_the_grace_time_and_no_longer() {
    // A request that finishes within the grace time gets its answer.
    let (addr, stop, server) = start(test_app(0, Duration::from_millis(300)), short_limits()).await;
    let client = tokio::spawn(request(addr, "/slow"));
    tokio::time::sleep(Duration::from_millis(100)).await;
    stop.send(()).unwrap();
    let (status, body) = client.await.unwrap();
    assert_eq!((status, body.as_slice()), (200, b"done".as_slice()));
    server.await.unwrap().unwrap();

    // One that would not is cut at the deadline.
    let limits = short_limits();
    let grace = limits.shutdown_grace;
    let (addr, stop, server) = start(test_app(0, Duration::from_secs(60)), limits).await;
    let mut s = TcpStream::connect(addr).await.unwrap();
    s.write_all(b"GET /slow HTTP/1.1\r\nHost: localhost\r\n\r\n")
        .await
        .unwrap();
    tokio::time::sleep(Duration::from_millis(100)).await;
    let t = Instant::now();
    stop.send(()).unwrap();
    tokio::time::timeout(grace * 3, server)
        .await
        .expect("shutdown passed its deadline")
        .unwrap()
        .unwrap();
    let took = t.elapsed();
    assert!(took >= grace - Duration::from_millis(100), "{took:?}");
    assert!(closed_within(&mut s, Duration::from_secs(1))
        .await
        .is_some());
}
