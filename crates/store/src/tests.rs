use super::*;
use dossier_core::{content_id, Mention, Span};

struct TempDir(PathBuf);

impl TempDir {
    fn new(name: &str) -> TempDir {
        let p = std::env::temp_dir().join(format!("dossier-store-{name}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&p);
        std::fs::create_dir_all(&p).unwrap();
        TempDir(p)
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

fn doc(text: &str, source: &str) -> Document {
    Document {
        id: content_id(text),
        source: source.into(),
        sources: vec![source.into()],
        title: Some("T".into()),
        published: Some("2020-11-15".into()),
        byline: None,
        language: "en".into(),
        text: text.into(),
    }
}

fn analysis(doc: &Document) -> DocAnalysis {
    DocAnalysis {
        sentences: vec![(0, doc.text.chars().count())],
        mentions: vec![
            Mention {
                span: Span {
                    doc: doc.id.clone(),
                    start: 0,
                    end: 5,
                    text: doc.text.chars().take(5).collect(),
                    kind: Some(MentionKind::Name),
                },
                label: "PERSON".into(),
                local: Some(0),
                how: Some("first mention".into()),
            },
            Mention {
                span: Span {
                    doc: doc.id.clone(),
                    start: 6,
                    end: 10,
                    text: doc.text.chars().skip(6).take(4).collect(),
                    kind: Some(MentionKind::Name),
                },
                label: "DATE".into(),
                local: None,
                how: None,
            },
        ],
        entities: vec![dossier_core::LocalEntity {
            label: "PERSON".into(),
            name: doc.text.chars().take(5).collect(),
            aliases: Vec::new(),
            descriptions: vec![dossier_core::Description {
                text: "a test person".into(),
                evidence: vec![Span {
                    doc: doc.id.clone(),
                    start: 0,
                    end: 5,
                    text: doc.text.chars().take(5).collect(),
                    kind: None,
                }],
            }],
            ambiguous: false,
            profile: "{}".into(),
        }],
        stat_keys: vec![("part".into(), "alc".into())],
        times: vec![dossier_core::Time {
            doc: doc.id.clone(),
            start: 6,
            end: 10,
            text: doc.text.chars().skip(6).take(4).collect(),
            kind: dossier_core::TimeType::Date,
            value: Some("2020-11-15".into()),
            anchor: Some("2020-11-15".into()),
        }],
        facts: Some("{}".into()),
    }
}

#[test]
fn create_reopen_and_dedupe() {
    let dir = TempDir::new("dedupe");
    let path = dir.0.join("kb.db");
    let mut s = Store::open(&path).unwrap();
    let a = doc("Alice went home today.", "a.txt");
    assert_eq!(
        s.add_document(&a, "text", Some(("v1", &analysis(&a))))
            .unwrap(),
        Added::New
    );
    assert_eq!(s.add_document(&a, "text", None).unwrap(), Added::Unchanged);
    let a2 = Document {
        source: "copy.txt".into(),
        ..a.clone()
    };
    assert_eq!(s.add_document(&a2, "text", None).unwrap(), Added::NewSource);
    drop(s);
    let s = Store::open_read_only(&path).unwrap();
    let docs = s.documents().unwrap();
    assert_eq!(docs.len(), 1);
    assert_eq!(docs[0].sources, vec!["a.txt", "copy.txt"]);
    assert!(s.documents_needing_analysis("v1").unwrap().is_empty());
    assert_eq!(
        s.documents_needing_analysis("v2").unwrap(),
        vec![a.id.clone()]
    );
    assert_eq!(s.integrity_check().unwrap(), "ok");
}

#[test]
fn files_and_skips_are_replaced_per_file() {
    let dir = TempDir::new("files");
    let mut s = Store::open(&dir.0.join("kb.db")).unwrap();
    let rec = FileRecord {
        path: "in/a.jsonl".into(),
        size: 10,
        mtime_ns: 5,
    };
    assert!(!s.file_is_current(&rec).unwrap());
    let bad = SkipRecord {
        source: "in/a.jsonl:2".into(),
        reason: "invalid JSON".into(),
        severity: "skipped",
    };
    s.finish_file(&rec, Some("jsonl"), 1, std::slice::from_ref(&bad))
        .unwrap();
    assert!(s.file_is_current(&rec).unwrap());
    assert_eq!(s.stats().unwrap().skipped, vec![bad]);
    let changed = FileRecord {
        mtime_ns: 6,
        ..rec.clone()
    };
    assert!(!s.file_is_current(&changed).unwrap());
    s.finish_file(&changed, Some("jsonl"), 2, &[]).unwrap();
    assert!(
        s.stats().unwrap().skipped.is_empty(),
        "fixed file clears its problems"
    );
    let counts: std::collections::HashMap<_, _> = s.stats().unwrap().tables.into_iter().collect();
    assert_eq!(counts["files"], 1);
}

#[test]
fn refuses_non_sqlite_file_and_leaves_it_alone() {
    let dir = TempDir::new("notdb");
    let path = dir.0.join("notes.db");
    std::fs::write(&path, b"These are my notes, not a database.").unwrap();
    let err = Store::open(&path).err().unwrap();
    assert!(matches!(err, StoreError::NotDossier { .. }), "{err}");
    assert!(err.to_string().contains("notes.db") && err.to_string().contains("not a SQLite file"));
    assert_eq!(
        std::fs::read(&path).unwrap(),
        b"These are my notes, not a database."
    );
}

#[test]
fn refuses_other_sqlite_databases() {
    let dir = TempDir::new("otherdb");
    let path = dir.0.join("app.db");
    {
        let c = Connection::open(&path).unwrap();
        c.execute_batch("CREATE TABLE users (name TEXT); INSERT INTO users VALUES ('x');")
            .unwrap();
    }
    let before = std::fs::read(&path).unwrap();
    let err = Store::open(&path).err().unwrap();
    assert!(matches!(err, StoreError::NotDossier { .. }), "{err}");
    assert!(matches!(
        Store::open_read_only(&path),
        Err(StoreError::NotDossier { .. })
    ));
    assert!(
        std::fs::read(&path).unwrap() == before,
        "the file was modified"
    );
}

#[test]
fn detects_corruption_without_writing() {
    let dir = TempDir::new("corrupt");
    let path = dir.0.join("kb.db");
    {
        let mut s = Store::open(&path).unwrap();
        for i in 0..200 {
            let d = doc(
                &format!(
                    "Document number {i} with some padding text. {}",
                    "x".repeat(300)
                ),
                "s",
            );
            s.add_document(&d, "text", Some(("v1", &analysis(&d))))
                .unwrap();
        }
    }
    let mut bytes = std::fs::read(&path).unwrap();
    assert!(bytes.len() > 16 * 4096, "database should span many pages");
    // Scribble over the middle pages, keeping the header intact.
    for b in &mut bytes[8192..8192 + 4096 * 8] {
        *b = 0xA5;
    }
    std::fs::write(&path, &bytes).unwrap();
    let err = Store::open(&path).err().unwrap();
    assert!(
        matches!(
            err,
            StoreError::Corrupt { .. } | StoreError::NotDossier { .. }
        ),
        "{err}"
    );
    assert!(err.to_string().contains("kb.db"));
    assert!(
        std::fs::read(&path).unwrap() == bytes,
        "a corrupt file is never written"
    );
}

#[test]
fn read_only_open_of_missing_db() {
    let dir = TempDir::new("missing");
    let err = Store::open_read_only(&dir.0.join("none.db")).err().unwrap();
    assert!(matches!(err, StoreError::Missing { .. }));
    assert!(!dir.0.join("none.db").exists());
}

#[test]
fn reopening_is_idempotent() {
    let dir = TempDir::new("reopen");
    let path = dir.0.join("kb.db");
    drop(Store::open(&path).unwrap());
    let s = Store::open(&path).unwrap();
    assert_eq!(s.version().unwrap(), CURRENT_VERSION);
}

#[test]
fn resolution_round_trip_and_statistics() {
    let dir = TempDir::new("resolution");
    let mut s = Store::open(&dir.0.join("kb.db")).unwrap();
    let a = doc("Alice went home today.", "a.txt");
    let b = doc("Alice came back later.", "b.txt");
    s.add_document(&a, "text", Some(("v1", &analysis(&a))))
        .unwrap();
    s.add_document(&b, "text", Some(("v1", &analysis(&b))))
        .unwrap();
    let (docs, df) = s.corpus_stats().unwrap();
    assert_eq!(docs, 2);
    assert_eq!(df, vec![("part".to_string(), "alc".to_string(), 2)]);
    let pending = s.unresolved_locals().unwrap();
    assert_eq!(pending.len(), 2);
    assert_eq!(pending[0].0, a.id, "document order");
    let write = EntityWrite {
        id: "e1".into(),
        label: "PERSON".into(),
        name: "Alice".into(),
        members: vec![
            MemberWrite {
                doc: a.id.clone(),
                local: 0,
                reason: None,
                score: None,
                against: None,
            },
            MemberWrite {
                doc: b.id.clone(),
                local: 0,
                reason: Some("same name".into()),
                score: Some(0.9),
                against: Some((a.id.clone(), 0)),
            },
        ],
        keys: vec!["PERSON:alc".into()],
    };
    s.apply_resolution(&[write], &[]).unwrap();
    assert!(s.unresolved_locals().unwrap().is_empty());
    let found = s
        .entities_with_keys(&["PERSON:alc".into(), "other".into()])
        .unwrap();
    assert_eq!(found.len(), 1);
    assert_eq!(found[0].members.len(), 2);
    assert_eq!(found[0].members[1].against, Some((a.id.clone(), 0)));
    let times = s.times().unwrap();
    assert_eq!(times.len(), 2);
    assert_eq!(times[0].value.as_deref(), Some("2020-11-15"));
    assert_eq!(s.doc_facts().unwrap().len(), 2);
    let counts: std::collections::HashMap<_, _> = s.stats().unwrap().tables.into_iter().collect();
    assert_eq!(counts["entities"], 1);
    assert_eq!(counts["local_entities"], 2);
    let ents = s.entities().unwrap();
    assert_eq!(ents.len(), 1);
    assert_eq!(ents[0].name, "Alice");
    assert_eq!(
        ents[0].mentions.len(),
        2,
        "DATE mentions belong to no entity"
    );
    assert_eq!(ents[0].merges.len(), 1);
    assert_eq!(ents[0].merges[0].evidence.len(), 2);
    assert_eq!(ents[0].descriptions[0].evidence.len(), 2);
    // Re-analysing a document replaces its rows and statistics.
    s.set_analysis(&a.id, "v2", &analysis(&a)).unwrap();
    assert_eq!(s.corpus_stats().unwrap().1[0].2, 2);
    s.reset_resolution().unwrap();
    assert_eq!(s.unresolved_locals().unwrap().len(), 2);
    // Merged-away entities disappear.
    let one = |id: &str, d: &str| EntityWrite {
        id: id.into(),
        label: "PERSON".into(),
        name: "Alice".into(),
        members: vec![MemberWrite {
            doc: d.into(),
            local: 0,
            reason: None,
            score: None,
            against: None,
        }],
        keys: vec!["PERSON:alc".into()],
    };
    s.apply_resolution(&[one("e1", &a.id), one("e2", &b.id)], &[])
        .unwrap();
    assert_eq!(s.entities().unwrap().len(), 2);
    let mut merged = one("e1", &a.id);
    merged.members.push(MemberWrite {
        doc: b.id.clone(),
        local: 0,
        reason: Some("r".into()),
        score: Some(1.0),
        against: None,
    });
    s.apply_resolution(&[merged], &["e2".into()]).unwrap();
    assert_eq!(s.entities().unwrap().len(), 1);
    assert_eq!(s.integrity_check().unwrap(), "ok");
}
