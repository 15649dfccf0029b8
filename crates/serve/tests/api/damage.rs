//! A damaged database is refused: every request gets a 503 naming the
//! file, never a 200 with part of the data.

use crate::fixture::*;
use dossier_serve::{serve, Limits, Pool, MAX_CONNECTIONS};
use std::io::{Read, Seek, SeekFrom, Write};
use std::path::Path;
use std::time::{Duration, Instant};

/// Copies the fixture (with its WAL, if any) into `dir`.
fn copy_fixture(dir: &Path) -> std::path::PathBuf {
    let to = dir.join("damaged.db");
    std::fs::copy(db(), &to).unwrap();
    for ext in ["-wal", "-shm"] {
        let from = format!("{}{ext}", db().display());
        if Path::new(&from).exists() {
            std::fs::copy(&from, format!("{}{ext}", to.display())).unwrap();
        }
    }
    to
}

/// Overwrites pages from the middle of the file on with garbage, except
/// those the cheap checks at start-up read (header, schema, version): a
/// page whose damage those checks notice is put back, and that refusal is
/// checked to name the file. Returns how many pages were damaged.
fn damage(path: &Path) -> usize {
    // Fold the WAL in first, so the damage is not masked by newer pages.
    drop(dossier_store::Store::open(path, dossier_store::WhenBusy::Wait).unwrap());
    let mut f = std::fs::OpenOptions::new()
        .read(true)
        .write(true)
        .open(path)
        .unwrap();
    let mut header = [0u8; 100];
    f.read_exact(&mut header).unwrap();
    let page = match u16::from_be_bytes([header[16], header[17]]) {
        1 => 65536,
        n => n as u64,
    };
    let pages = f.metadata().unwrap().len() / page;
    assert!(pages > 8, "fixture too small to damage: {pages} pages");
    let name = path.file_name().unwrap().to_string_lossy().to_string();
    let mut damaged = 0;
    for p in pages / 2..pages {
        let mut was = vec![0u8; page as usize];
        f.seek(SeekFrom::Start(p * page)).unwrap();
        f.read_exact(&mut was).unwrap();
        f.seek(SeekFrom::Start(p * page)).unwrap();
        f.write_all(&vec![0xA5u8; page as usize]).unwrap();
        f.sync_all().unwrap();
        match dossier_store::Store::open_read_unchecked(path) {
            Ok(_) => damaged += 1,
            Err(e) => {
                assert!(e.to_string().contains(&name), "{e}");
                f.seek(SeekFrom::Start(p * page)).unwrap();
                f.write_all(&was).unwrap();
                f.sync_all().unwrap();
            }
        }
    }
    damaged
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_damaged_database_gets_503_naming_the_file_never_partial_data() {
    let dir = TempDir::new("damaged");
    let path = copy_fixture(&dir.0);
    // What the intact database answers.
    let intact = app();
    let ids = ids(&intact).await;
    let uris: Vec<String> = dossier_serve::API_ROUTES
        .iter()
        .filter(|(_, p)| !p.ends_with("openapi.json"))
        .map(|(_, p)| valid_uri(p, &ids))
        .collect();
    let mut expected = Vec::new();
    for u in &uris {
        expected.push(get(&intact, u).await.body);
    }
    assert!(damage(&path) > 10);

    // The server starts (the cheap checks pass) and checks in the background.
    let pool = Pool::open(&path, MAX_CONNECTIONS).expect("header and schema intact");
    let state = dossier_serve::AppState::new(pool, true);
    let listener = tokio::net::TcpListener::bind(("127.0.0.1", 0))
        .await
        .unwrap();
    let app = dossier_serve::router(state.clone());
    let (stop_tx, stop_rx) = tokio::sync::oneshot::channel::<()>();
    let server = tokio::spawn(serve(listener, state.clone(), Limits::default(), async {
        stop_rx.await.ok();
    }));
    // From the first request on: a 503 naming the file, or (before the
    // check has read the damaged pages) exactly the intact answer.
    let name = path.file_name().unwrap().to_string_lossy().to_string();
    let started = Instant::now();
    let mut refused = 0;
    loop {
        for (u, want) in uris.iter().zip(&expected) {
            let a = get(&app, u).await;
            match a.status.as_u16() {
                503 => {
                    refused += 1;
                    let msg = a.json()["error"]["message"].as_str().unwrap().to_string();
                    assert!(msg.contains(&name), "{u}: {msg}");
                    assert!(
                        msg.contains("corrupt") || msg.contains("malformed"),
                        "{msg}"
                    );
                }
                200 => assert_eq!(&a.body, want, "{u}: a 200 with other data"),
                s => panic!("{u}: status {s}"),
            }
        }
        if state.damaged().is_some() {
            break;
        }
        assert!(
            started.elapsed() < Duration::from_secs(30),
            "the check never found the damage"
        );
    }
    // Once found, every request is refused.
    for u in &uris {
        assert_eq!(get(&app, u).await.status.as_u16(), 503, "{u}");
    }
    assert!(refused > 0);
    stop_tx.send(()).unwrap();
    server.await.unwrap().unwrap();
}
