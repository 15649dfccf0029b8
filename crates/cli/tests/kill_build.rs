//! A build killed with SIGKILL at any point leaves a database that opens,
//! passes `PRAGMA integrity_check`, and resumes to the same result.

mod common;

use common::*;
use std::time::{Duration, Instant};

fn count_docs(db: &std::path::Path) -> Option<i64> {
    let out = dossier()
        .args(["stats", "--db", db.to_str()?])
        .output()
        .ok()?;
    let text = String::from_utf8(out.stdout).ok()?;
    text.lines()
        .find_map(|l| l.trim().strip_prefix("documents"))
        .and_then(|n| n.trim().parse().ok())
}

fn integrity(db: &std::path::Path) -> String {
    let out = run_ok(&["stats", "--db", db.to_str().unwrap(), "--integrity"]);
    out.lines()
        .find_map(|l| l.strip_prefix("integrity: "))
        .unwrap_or("missing")
        .to_string()
}

#[test]
fn killed_build_leaves_a_consistent_database_and_resumes() {
    let tmp = TempDir::new("kill");
    let input = tmp.path("in");
    std::fs::create_dir_all(&input).unwrap();
    let n = 800;
    for i in 0..n {
        let text = format!(
            "Report {i}\n\nOfficials in city {i} said on Tuesday that talks number {i} would resume next week, according to a statement.\n"
        );
        std::fs::write(input.join(format!("doc-{i:05}.txt")), text).unwrap();
    }
    let db = tmp.path("kb.db");
    let args = [
        "build",
        input.to_str().unwrap(),
        "--db",
        db.to_str().unwrap(),
    ];

    // Kill at several points: as soon as the database exists, then after
    // some documents are stored.
    let mut killed_mid_build = 0;
    let mut partial = false;
    for threshold in [0i64, 100, 400] {
        let mut child = dossier()
            .args(args)
            .stdout(std::process::Stdio::null())
            .spawn()
            .unwrap();
        let start = Instant::now();
        loop {
            let stored = if db.exists() {
                count_docs(&db).unwrap_or(-1)
            } else {
                -1
            };
            if stored >= threshold || start.elapsed() > Duration::from_secs(120) {
                break;
            }
            if child.try_wait().unwrap().is_some() {
                break;
            }
            std::thread::sleep(Duration::from_millis(5));
        }
        if child.try_wait().unwrap().is_none() {
            child.kill().unwrap(); // SIGKILL
            killed_mid_build += 1;
        }
        child.wait().unwrap();
        if db.exists() {
            assert_eq!(integrity(&db), "ok", "after kill at threshold {threshold}");
            if let Some(stored) = count_docs(&db) {
                partial |= stored > 0 && stored < n;
            }
        }
    }
    assert!(
        killed_mid_build > 0,
        "the build finished before any kill landed"
    );
    assert!(
        partial,
        "no kill landed between the first and the last document"
    );

    // Resuming completes the corpus, and matches a clean build.
    run_ok(&args);
    assert_eq!(count_docs(&db), Some(n));
    assert_eq!(integrity(&db), "ok");
    let clean = tmp.path("clean.db");
    run_ok(&[
        "build",
        input.to_str().unwrap(),
        "--db",
        clean.to_str().unwrap(),
    ]);
    assert_eq!(export_json(&db), export_json(&clean));
}
