//! Reading while a build runs never sees a partial state: each request
//! reads one committed snapshot.

use crate::fixture::*;
use axum::Router;
use dossier_serve::router;
use serde_json::Value;
use std::collections::BTreeSet;
use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;

/// The sample corpus, one file at a time (each is its own build:
/// per-document commits, then the corpus step in chunks), then follow-up
/// reports: its plain-text articles again with a sentence added, so that
/// later builds join new mentions to existing entities and events.
fn inputs(dir: &std::path::Path) -> Vec<PathBuf> {
    let corpus = repo().join("examples/corpus");
    let mut files = Vec::new();
    for e in walk(&corpus) {
        // A copy, so that the build reads files nobody else is reading.
        let to = dir.join(e.strip_prefix(&corpus).unwrap());
        std::fs::create_dir_all(to.parent().unwrap()).unwrap();
        std::fs::copy(&e, &to).unwrap();
        files.push(to);
    }
    files.sort();
    let texts: Vec<PathBuf> = files
        .iter()
        .filter(|f| f.extension().is_some_and(|x| x == "txt"))
        .cloned()
        .collect();
    for round in 1..=3 {
        for f in &texts {
            let text = std::fs::read_to_string(f).unwrap();
            let to = dir.join(format!(
                "follow-up-{round}-{}",
                f.file_name().unwrap().to_string_lossy()
            ));
            std::fs::write(&to, format!("{text}\nThis is follow-up report {round}.\n")).unwrap();
            files.push(to);
        }
    }
    files
}

fn walk(dir: &std::path::Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    for e in std::fs::read_dir(dir).unwrap() {
        let p = e.unwrap().path();
        if p.is_dir() {
            out.extend(walk(&p));
        } else {
            out.push(p);
        }
    }
    out.sort();
    out
}

/// What one round of reading saw.
#[derive(Default)]
struct Seen {
    documents: u64,
    folded: u64,
    mentions: u64,
    requests: usize,
}

async fn ok(app: &Router, uri: &str) -> Value {
    let a = get(app, uri).await;
    assert_eq!(
        a.status.as_u16(),
        200,
        "{uri}: {}",
        String::from_utf8_lossy(&a.body)
    );
    a.json()
}

/// One round of reads; panics on any broken invariant.
async fn round(app: &Router, last: &Seen) -> Seen {
    let mut n = 0;
    let stats = ok(app, "/api/v1/stats").await;
    n += 1;
    let count = |k: &str| stats[k].as_u64().unwrap();
    let seen = Seen {
        documents: count("documents"),
        folded: count("documents") - count("pending"),
        mentions: count("mentions"),
        requests: 0,
    };
    assert!(seen.documents >= last.documents, "documents went down");
    assert!(seen.folded >= last.folded, "folded documents went down");
    assert!(seen.mentions >= last.mentions, "mentions went down");
    assert!(count("pending") <= seen.documents);
    let mut entities = BTreeSet::new();
    for q in ["al", "Tunisi", "Abu", "Yusuf"] {
        let hits = ok(app, &format!("/api/v1/search?q={q}&limit=20")).await;
        n += 1;
        for h in hits["items"].as_array().unwrap() {
            entities.insert(h["entity"]["id"].as_str().unwrap().to_string());
        }
    }
    let events = ok(app, "/api/v1/timeline?limit=100").await;
    n += 1;
    let mut docs = BTreeSet::new();
    for e in events["items"].as_array().unwrap() {
        for p in e["participants"].as_array().unwrap() {
            entities.insert(p["entity"]["id"].as_str().unwrap().to_string());
        }
        for d in e["documents"].as_array().unwrap() {
            docs.insert(d["id"].as_str().unwrap().to_string());
        }
        let listed = e["documents"].as_array().unwrap().len() as u64;
        assert!(e["documents_total"].as_u64().unwrap() >= listed, "{e}");
    }
    let listed = ok(app, "/api/v1/documents?limit=100").await;
    n += 1;
    assert!(listed["total"].as_u64().unwrap() >= seen.documents);
    for d in listed["items"].as_array().unwrap() {
        docs.insert(d["id"].as_str().unwrap().to_string());
    }
    for id in &entities {
        // Opens (after any redirect of a merged entity), whole.
        let d = ok(app, &format!("/api/v1/entities/{id}")).await;
        n += 1;
        assert!(d["names"]["total"].as_u64().unwrap() >= 1, "{id}");
        assert!(d["documents"]["total"].as_u64().unwrap() >= 1, "{id}");
        for g in d["claims"]["groups"].as_array().unwrap() {
            let sides = g["sides"].as_array().unwrap();
            let claims: usize = sides.iter().map(|s| s.as_array().unwrap().len()).sum();
            assert!(claims >= 1, "an empty group {g}");
            if g["disputed"] == true {
                assert!(
                    sides.iter().all(|s| !s.as_array().unwrap().is_empty()),
                    "{g}"
                );
            }
        }
    }
    for id in &docs {
        ok(app, &format!("/api/v1/documents/{id}")).await;
        n += 1;
    }
    Seen {
        requests: n,
        ..seen
    }
}

struct SetOnDrop(Arc<AtomicBool>);

impl Drop for SetOnDrop {
    fn drop(&mut self) {
        self.0.store(true, Ordering::SeqCst);
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn reading_during_a_build_never_sees_a_partial_state() {
    let dir = TempDir::new("concurrent");
    let files = inputs(&dir.0.join("corpus"));
    let db = dir.0.join("growing.db");
    // The database exists before the server opens it.
    build(&db, &files[..1]);
    let app = router(state_for(&db));
    let done = Arc::new(AtomicBool::new(false));
    let builder = {
        let (db, files, done) = (db.clone(), files.clone(), done.clone());
        std::thread::spawn(move || {
            // Done even if a build fails, so the reader stops and the
            // failure is reported by `join` below.
            let _done = SetOnDrop(done);
            for f in &files[1..] {
                build(&db, std::slice::from_ref(f));
            }
        })
    };
    let mut last = Seen::default();
    let mut states = BTreeSet::new();
    let mut rounds = 0;
    let mut requests = 0;
    loop {
        let finished = done.load(Ordering::SeqCst);
        last = round(&app, &last).await;
        states.insert((last.documents, last.folded));
        rounds += 1;
        requests += last.requests;
        if finished {
            break;
        }
    }
    builder.join().unwrap();
    let end = ok(&app, "/api/v1/stats").await;
    assert_eq!(end["pending"], 0);
    // The reads overlapped the build: they saw it part-way, several times.
    assert!(
        states.len() >= 6 && rounds >= 6,
        "only {} states seen in {rounds} rounds",
        states.len()
    );
    eprintln!(
        "{rounds} rounds, {requests} requests, {} distinct committed states seen",
        states.len()
    );
}
