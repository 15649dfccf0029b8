//! End-to-end: build the sample corpus, export, validate against the
//! contract, rebuild idempotently, and survive bad input.

mod common;

use common::*;

#[test]
fn sample_corpus_builds_and_exports_valid_json() {
    let tmp = TempDir::new("sample");
    let db = tmp.path("kb.db");
    let corpus = sample_corpus();
    let out = run_ok(&[
        "build",
        corpus.to_str().unwrap(),
        "--db",
        db.to_str().unwrap(),
    ]);
    assert!(out.contains("new documents:"), "{out}");
    // The JSONL record without `text` is reported with its line number.
    assert!(
        out.contains("archive.jsonl:3: missing required field `text`"),
        "{out}"
    );
    let export = export_json(&db);
    assert_valid_export(&export);
    let docs = export["documents"].as_array().unwrap();
    assert!(docs.len() >= 7, "{} documents", docs.len());
    let by_source = |suffix: &str| {
        docs.iter()
            .find(|d| {
                d["sources"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .any(|s| s.as_str().unwrap().ends_with(suffix))
            })
            .unwrap_or_else(|| panic!("no document from {suffix}"))
    };
    assert_eq!(
        by_source("01-wire-drone-strike.txt")["published"],
        "2021-03-12"
    );
    assert_eq!(
        by_source("undated-analysis.txt")["published"],
        serde_json::Value::Null
    );
    assert_eq!(by_source("libya-sabha-raid")["published"], "2020-11-23");
    assert_eq!(by_source("omar-haddad")["byline"], "Archive desk");
    // The syndicated copy is the same document with two sources.
    let wire = by_source("mirror/syndicated-copy.txt");
    assert_eq!(wire["sources"].as_array().unwrap().len(), 2);
    for d in docs {
        let id = d["id"].as_str().unwrap();
        assert_eq!(id.len(), 16);
        assert!(!d["text"].as_str().unwrap().trim().is_empty());
    }
}

#[test]
fn rebuilding_changes_nothing() {
    let tmp = TempDir::new("idempotent");
    let db = tmp.path("kb.db");
    let corpus = sample_corpus();
    let args = [
        "build",
        corpus.to_str().unwrap(),
        "--db",
        db.to_str().unwrap(),
    ];
    run_ok(&args);
    let first = export_json(&db);
    let out = run_ok(&args);
    assert!(out.contains("new documents:    0"), "{out}");
    assert_eq!(
        export_json(&db),
        first,
        "a second build must not change the export"
    );
    // A fresh database built from the same files gets the same ids.
    let db2 = tmp.path("kb2.db");
    run_ok(&[
        "build",
        corpus.to_str().unwrap(),
        "--db",
        db2.to_str().unwrap(),
    ]);
    let ids = |v: &serde_json::Value| {
        let mut ids: Vec<String> = v["documents"]
            .as_array()
            .unwrap()
            .iter()
            .map(|d| d["id"].as_str().unwrap().to_string())
            .collect();
        ids.sort();
        ids
    };
    assert_eq!(ids(&export_json(&db2)), ids(&first));
}

#[test]
fn incremental_build_adds_only_new_files() {
    let tmp = TempDir::new("incremental");
    let input = tmp.path("in");
    std::fs::create_dir_all(&input).unwrap();
    std::fs::write(input.join("a.txt"), "First article about talks in Doha.").unwrap();
    let db = tmp.path("kb.db");
    let args = [
        "build",
        input.to_str().unwrap(),
        "--db",
        db.to_str().unwrap(),
    ];
    run_ok(&args);
    std::fs::write(input.join("b.txt"), "Second article about a raid in Sabha.").unwrap();
    let out = run_ok(&args);
    assert!(out.contains("new documents:    1"), "{out}");
    assert!(out.contains("(1 unchanged since last build)"), "{out}");
    assert_eq!(export_json(&db)["documents"].as_array().unwrap().len(), 2);
}

#[test]
fn seed_articles_have_the_right_publication_dates() {
    let Some(seeds) = seeds() else {
        eprintln!("SKIP: ../shared/corpus/seeds is not present in this checkout");
        return;
    };
    let tmp = TempDir::new("seeds");
    let db = tmp.path("kb.db");
    run_ok(&[
        "build",
        seeds.to_str().unwrap(),
        "--db",
        db.to_str().unwrap(),
    ]);
    let export = export_json(&db);
    assert_valid_export(&export);
    let mut dates: Vec<(String, serde_json::Value)> = export["documents"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| {
            let src = d["source"].as_str().unwrap();
            let name = std::path::Path::new(src)
                .file_name()
                .unwrap()
                .to_string_lossy()
                .to_string();
            (name, d["published"].clone())
        })
        .collect();
    dates.sort_by(|a, b| a.0.cmp(&b.0));
    let published: Vec<serde_json::Value> = dates.into_iter().map(|(_, p)| p).collect();
    // Three seeds state a date in their opening lines; two state none.
    assert_eq!(
        published,
        vec![
            serde_json::json!("2020-11-15"),
            serde_json::json!("2021-01-18"),
            serde_json::json!("2017-11-12"),
            serde_json::Value::Null,
            serde_json::Value::Null,
        ]
    );
}

/// Whether schema `ours` only grows schema `theirs`: every keyword of
/// theirs is in ours with the same value, except that objects (property
/// maps) may gain entries. Enumerations, types and `required` lists must be
/// equal, so every export valid under ours is valid under theirs.
fn grows(theirs: &serde_json::Value, ours: &serde_json::Value, at: &str) -> Result<(), String> {
    use serde_json::Value;
    match (theirs, ours) {
        (Value::Object(t), Value::Object(o)) => {
            for (k, tv) in t {
                let Some(ov) = o.get(k) else {
                    return Err(format!("{at}/{k}: missing"));
                };
                grows(tv, ov, &format!("{at}/{k}"))?;
            }
            Ok(())
        }
        (t, o) if t == o => Ok(()),
        _ => Err(format!("{at}: {theirs} became {ours}")),
    }
}

#[test]
fn contract_copy_only_grows_the_shared_spec() {
    let shared = repo_root().join("../shared/spec/export.schema.json");
    if !shared.exists() {
        eprintln!("SKIP: ../shared/spec is not present in this checkout");
        return;
    }
    let read = |p: std::path::PathBuf| -> serde_json::Value {
        serde_json::from_str(&std::fs::read_to_string(p).unwrap()).unwrap()
    };
    let ours = read(repo_root().join("docs/export.schema.json"));
    let theirs = read(shared);
    if let Err(e) = grows(&theirs, &ours, "") {
        panic!("docs/export.schema.json must only add to the shared contract: {e}");
    }
    // The test itself: a changed enumeration or a new required field fails.
    let mut narrowed = ours.clone();
    narrowed["properties"]["claims"]["items"]["properties"]["polarity"]["enum"] =
        serde_json::json!(["assert", "deny", "not_confirmed"]);
    assert!(grows(&theirs, &narrowed, "").is_err());
    let mut required = ours.clone();
    required["properties"]["claims"]["items"]["required"] = serde_json::json!(["id"]);
    assert!(grows(&theirs, &required, "").is_err());
}

#[test]
fn bad_input_is_reported_and_never_aborts_the_run() {
    let tmp = TempDir::new("bad");
    let input = tmp.path("in");
    std::fs::create_dir_all(&input).unwrap();
    std::fs::write(
        input.join("good.txt"),
        "A good article about talks in Doha on Tuesday.",
    )
    .unwrap();
    std::fs::write(
        input.join("image.bin"),
        b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x01",
    )
    .unwrap();
    std::fs::write(input.join("empty.txt"), b"").unwrap();
    let mut bad_utf8 = "Officials met in the capital on Monday to discuss the plan. "
        .repeat(10)
        .into_bytes();
    bad_utf8.extend_from_slice(b"\xff\xfe\xc3\x28 end");
    std::fs::write(input.join("bad-utf8.txt"), &bad_utf8).unwrap();
    let mut gz = stored_gzip(b"A compressed article that will be cut in half by the test.");
    gz.truncate(gz.len() / 2);
    std::fs::write(input.join("cut.txt.gz"), &gz).unwrap();
    std::fs::write(
        input.join("broken.html"),
        "<html><body><div><p>Unclosed <b>tags <i>everywhere<p>and a stray </span> end",
    )
    .unwrap();
    std::fs::write(
        input.join("broken.rss"),
        "<?xml version=\"1.0\"?><rss><channel><item><title>x</title><!-- never closed",
    )
    .unwrap();
    let huge = std::fs::File::create(input.join("huge.txt")).unwrap();
    huge.set_len(200 << 20).unwrap();
    let missing = tmp.path("does-not-exist");
    let db = tmp.path("kb.db");
    let out = run_ok(&[
        "build",
        input.to_str().unwrap(),
        missing.to_str().unwrap(),
        "--db",
        db.to_str().unwrap(),
    ]);
    for (name, why) in [
        ("image.bin", "binary file"),
        ("empty.txt", "empty file"),
        ("cut.txt.gz", "gzip"),
        ("broken.rss", "malformed rss feed"),
        ("huge.txt", "over the 64.0 MB limit"),
        ("does-not-exist", "path does not exist"),
    ] {
        let line = out
            .lines()
            .find(|l| l.contains(name))
            .unwrap_or_else(|| panic!("{name} not reported:\n{out}"));
        assert!(line.contains(why), "{name}: expected {why:?} in {line:?}");
    }
    let export = export_json(&db);
    let sources: Vec<&str> = export["documents"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["source"].as_str().unwrap())
        .collect();
    assert!(sources.iter().any(|s| s.ends_with("good.txt")));
    assert!(
        sources.iter().any(|s| s.ends_with("bad-utf8.txt")),
        "invalid UTF-8 is decoded, not dropped"
    );
    // `stats` lists what was skipped, with reasons.
    let stats = run_ok(&["stats", "--db", db.to_str().unwrap()]);
    assert!(stats.contains("image.bin: binary file"), "{stats}");
    // Stored data survives a later build that only has bad input.
    run_ok(&[
        "build",
        input.join("image.bin").to_str().unwrap(),
        "--db",
        db.to_str().unwrap(),
    ]);
    assert_eq!(export_json(&db)["documents"], export["documents"]);
}

#[test]
fn refuses_a_file_that_is_not_a_dossier_database() {
    let tmp = TempDir::new("notdb");
    let db = tmp.path("notes.txt");
    std::fs::write(&db, "my precious notes").unwrap();
    let corpus = sample_corpus();
    let out = run(&[
        "build",
        corpus.to_str().unwrap(),
        "--db",
        db.to_str().unwrap(),
    ]);
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("notes.txt") && err.contains("not a Dossier database"),
        "{err}"
    );
    assert_eq!(std::fs::read_to_string(&db).unwrap(), "my precious notes");
    let out = run(&["export", "--db", db.to_str().unwrap()]);
    assert!(!out.status.success());
    let out = run(&["stats", "--db", tmp.path("missing.db").to_str().unwrap()]);
    assert!(String::from_utf8_lossy(&out.stderr).contains("no such database"));
}

fn stored_gzip(bytes: &[u8]) -> Vec<u8> {
    // A minimal gzip member (stored, not compressed) so the test needs no
    // compression crate: header, deflate stored block, CRC32, length.
    let mut out = vec![0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 0xff];
    out.push(1);
    let len = bytes.len() as u16;
    out.extend_from_slice(&len.to_le_bytes());
    out.extend_from_slice(&(!len).to_le_bytes());
    out.extend_from_slice(bytes);
    out.extend_from_slice(&crc32(bytes).to_le_bytes());
    out.extend_from_slice(&(bytes.len() as u32).to_le_bytes());
    out
}

fn crc32(bytes: &[u8]) -> u32 {
    let mut crc = 0xffff_ffffu32;
    for &b in bytes {
        crc ^= b as u32;
        for _ in 0..8 {
            crc = if crc & 1 != 0 {
                (crc >> 1) ^ 0xedb8_8320
            } else {
                crc >> 1
            };
        }
    }
    !crc
}

/// The id in brackets on the first line that names `name`.
fn id_of(listing: &str, name: &str) -> String {
    let line = listing
        .lines()
        .find(|l| l.contains(name) && l.contains('['))
        .unwrap_or_else(|| panic!("no {name} in:\n{listing}"));
    let start = line.find('[').unwrap() + 1;
    let end = line[start..].find(']').unwrap() + start;
    line[start..end].to_string()
}

#[test]
fn who_show_explain_timeline_and_claims_tell_the_three_men_apart() {
    let tmp = TempDir::new("inspect");
    let db = tmp.path("kb.db");
    let db_s = db.to_str().unwrap();
    run_ok(&["build", sample_corpus().to_str().unwrap(), "--db", db_s]);

    // Three different men called al-Tunisi, each with a one-line summary.
    let who = run_ok(&["who", "al-Tunisi", "--db", db_s]);
    for man in [
        "Abu Yusuf al-Tunisi",
        "Abu Hamza al-Tunisi",
        "Abu Bakr al-Tunisi",
    ] {
        assert!(who.contains(man), "{who}");
    }
    let yusuf = id_of(&who, "Abu Yusuf al-Tunisi");
    let hamza = id_of(&who, "Abu Hamza al-Tunisi");

    // His names across documents, and not the country his nisba names.
    let show = run_ok(&["show", &yusuf, "--db", db_s]);
    assert!(show.contains("Khalid Hassan Mahmoud"), "{show}");
    assert!(show.contains("Abu Youssef al-Tounsi"), "{show}");
    assert!(
        !show.lines().any(|l| l.trim_start().starts_with("Tunisia ")),
        "{show}"
    );

    // Kept apart, with the reason.
    let explain = run_ok(&["explain", &yusuf, &hamza, "--db", db_s]);
    assert!(explain.contains("different entities"), "{explain}");
    assert!(explain.contains("different kunyas"), "{explain}");

    // His killing is dated, and the sources disagree about it.
    let timeline = run_ok(&["timeline", &yusuf, "--db", db_s]);
    assert!(timeline.contains("2021-03-09"), "{timeline}");
    let claims = run_ok(&["claims", &yusuf, "--db", db_s]);
    assert!(claims.contains("DISPUTED"), "{claims}");
    assert!(claims.contains("DENIES"), "{claims}");
    assert!(claims.contains("Bilal Nouri"), "{claims}");
}
