use super::*;
use dossier_core::{content_id, Claim, Document, Event, LocalEntity, Mention, MentionKind, Span};
use rusqlite::Connection;

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

fn span(doc: &Document, start: usize, end: usize) -> Span {
    Span {
        doc: doc.id.clone(),
        start,
        end,
        text: doc.text.chars().skip(start).take(end - start).collect(),
        kind: Some(MentionKind::Name),
    }
}

/// One person mention ("Alice") as local entity 0, and a date mention.
fn parts(doc: &Document) -> (Vec<Mention>, Vec<LocalEntity>) {
    let mentions = vec![
        Mention {
            span: span(doc, 0, 5),
            label: "PERSON".into(),
            local: Some(0),
            how: Some("first mention".into()),
        },
        Mention {
            span: span(doc, 6, 10),
            label: "DATE".into(),
            local: None,
            how: None,
        },
    ];
    let entities = vec![LocalEntity {
        label: "PERSON".into(),
        name: "Alice".into(),
        aliases: Vec::new(),
        descriptions: vec![dossier_core::Description {
            text: "a test person".into(),
            evidence: vec![span(doc, 0, 5)],
        }],
        ambiguous: false,
    }];
    (mentions, entities)
}

fn add(s: &mut Store, d: &Document, version: &str) -> Added {
    let (mentions, entities) = parts(d);
    let rec = AnalysisRecord {
        version,
        mentions: &mentions,
        entities: &entities,
        times: &[],
        profile: b"profile",
        facts: b"facts",
    };
    add_one(s, d, Some(rec))
}

/// Stores one document through the batch write.
fn add_one(s: &mut Store, d: &Document, rec: Option<AnalysisRecord<'_>>) -> Added {
    s.add_documents(&[(d, "text", rec)]).unwrap().remove(0)
}

fn open(path: &Path) -> Store {
    Store::open(path, WhenBusy::Fail).unwrap()
}

#[test]
fn create_reopen_and_dedupe_keeping_every_source() {
    let dir = TempDir::new("dedupe");
    let path = dir.0.join("kb.db");
    let mut s = open(&path);
    let mut a = doc("Alice went home today.", "a.txt");
    a.sources = vec!["a.txt".into(), "https://example.org/a".into()];
    assert_eq!(add(&mut s, &a, "v1"), Added::New);
    assert_eq!(add_one(&mut s, &a, None), Added::Unchanged);
    let a2 = Document {
        source: "copy.txt".into(),
        sources: vec!["copy.txt".into()],
        ..a.clone()
    };
    assert_eq!(add_one(&mut s, &a2, None), Added::NewSource);
    drop(s);
    let mut s = Store::open_read(&path).unwrap();
    let snap = s.snapshot().unwrap();
    let d = snap.document(&a.id).unwrap().unwrap();
    assert_eq!(
        d.sources,
        vec!["a.txt", "https://example.org/a", "copy.txt"]
    );
    drop(snap);
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
    let mut s = open(&dir.0.join("kb.db"));
    let rec = FileRecord {
        path: "in/a.jsonl".into(),
        size: 10,
        mtime_ns: 5,
    };
    assert!(!s.file_is_current(&rec).unwrap());
    let bad = SkipRecord {
        source: "in/a.jsonl:2".into(),
        reason: "invalid JSON".into(),
        severity: Severity::Skipped,
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
}

#[test]
fn refuses_non_sqlite_file_and_leaves_it_alone() {
    let dir = TempDir::new("notdb");
    let path = dir.0.join("notes.db");
    std::fs::write(&path, b"These are my notes, not a database.").unwrap();
    let err = Store::open(&path, WhenBusy::Fail).err().unwrap();
    assert!(matches!(err, StoreError::NotDossier { .. }), "{err}");
    assert!(err.to_string().contains("notes.db") && err.to_string().contains("not a SQLite file"));
    assert_eq!(
        std::fs::read(&path).unwrap(),
        b"These are my notes, not a database."
    );
    assert!(matches!(
        Store::open_read(&path),
        Err(StoreError::NotDossier { .. })
    ));
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
    let err = Store::open(&path, WhenBusy::Fail).err().unwrap();
    assert!(matches!(err, StoreError::NotDossier { .. }), "{err}");
    assert!(matches!(
        Store::open_read(&path),
        Err(StoreError::NotDossier { .. })
    ));
    assert!(
        std::fs::read(&path).unwrap() == before,
        "the file was modified"
    );
}

fn many_documents(path: &Path) {
    let mut s = open(path);
    for i in 0..200 {
        let d = doc(
            &format!(
                "Alice number {i} with some padding text. {}",
                "x".repeat(300)
            ),
            "s",
        );
        add(&mut s, &d, "v1");
    }
}

/// Journal files a reader or writer would leave beside the database.
fn journals(path: &Path) -> Vec<PathBuf> {
    ["-wal", "-shm", "-journal"]
        .iter()
        .map(|x| PathBuf::from(format!("{}{x}", path.display())))
        .filter(|p| p.exists())
        .collect()
}

#[test]
fn corruption_is_refused_by_builds_and_reads_without_writing() {
    let dir = TempDir::new("corrupt");
    let path = dir.0.join("kb.db");
    many_documents(&path);
    let mut bytes = std::fs::read(&path).unwrap();
    assert!(bytes.len() > 16 * 4096, "database should span many pages");
    // Scribble over the middle pages, keeping the header intact.
    for b in &mut bytes[8192..8192 + 4096 * 8] {
        *b = 0xA5;
    }
    std::fs::write(&path, &bytes).unwrap();
    for p in journals(&path) {
        std::fs::remove_file(p).unwrap();
    }
    let err = Store::open(&path, WhenBusy::Fail).err().unwrap();
    assert!(
        matches!(
            err,
            StoreError::Corrupt { .. } | StoreError::NotDossier { .. }
        ),
        "{err}"
    );
    assert!(err.to_string().contains("kb.db"));
    let err = Store::open_read(&path).err().unwrap();
    assert!(
        matches!(
            err,
            StoreError::Corrupt { .. } | StoreError::NotDossier { .. }
        ),
        "reads refuse it too: {err}"
    );
    assert!(
        std::fs::read(&path).unwrap() == bytes,
        "a corrupt file is never written"
    );
}

#[test]
fn a_newer_database_is_refused_before_anything_is_written() {
    let dir = TempDir::new("newer");
    let path = dir.0.join("kb.db");
    drop(open(&path));
    {
        let c = Connection::open(&path).unwrap();
        c.execute("UPDATE schema_version SET version = 999", [])
            .unwrap();
        c.pragma_update(None, "journal_mode", "DELETE").unwrap();
    }
    for p in journals(&path) {
        std::fs::remove_file(p).unwrap();
    }
    let before = std::fs::read(&path).unwrap();
    let err = Store::open(&path, WhenBusy::Fail).err().unwrap();
    assert!(
        matches!(err, StoreError::TooNew { found: 999, .. }),
        "{err}"
    );
    assert!(matches!(
        Store::open_read(&path),
        Err(StoreError::TooNew { .. })
    ));
    assert_eq!(
        std::fs::read(&path).unwrap(),
        before,
        "the file was modified"
    );
    assert!(
        journals(&path).is_empty(),
        "journal files were created: {:?}",
        journals(&path)
    );
}

#[test]
fn a_database_that_cannot_be_written_is_read_immutable() {
    let dir = TempDir::new("immutable");
    let path = dir.0.join("kb.db");
    many_documents(&path);
    // Reading through the immutable URI needs no -shm or -wal file.
    let conn = Connection::open_with_flags(
        file_uri(&path, "ro", true),
        rusqlite::OpenFlags::SQLITE_OPEN_READ_ONLY | rusqlite::OpenFlags::SQLITE_OPEN_URI,
    )
    .unwrap();
    let n: i64 = conn
        .query_row("SELECT count(*) FROM documents", [], |r| r.get(0))
        .unwrap();
    assert_eq!(n, 200);
    assert!(
        file_uri(Path::new("/tmp/a b%.db"), "ro", true).contains("a%20b%25.db?mode=ro&immutable=1")
    );
}

#[test]
fn missing_database_is_not_created_by_reads() {
    let dir = TempDir::new("missing");
    let err = Store::open_read(&dir.0.join("none.db")).err().unwrap();
    assert!(matches!(err, StoreError::Missing { .. }));
    assert!(!dir.0.join("none.db").exists());
}

#[test]
fn a_second_build_is_told_another_one_is_running() {
    let dir = TempDir::new("lock");
    let path = dir.0.join("kb.db");
    let first = open(&path);
    let err = Store::open(&path, WhenBusy::Fail).err().unwrap();
    assert!(matches!(err, StoreError::Busy { .. }), "{err}");
    assert!(
        err.to_string().contains("another build is running"),
        "{err}"
    );
    assert!(
        err.to_string().contains(&std::process::id().to_string()),
        "{err}"
    );
    drop(first);
    drop(open(&path));
}

fn entity(id: &str, key: &str, members: &[(&str, u32)]) -> EntityWrite {
    EntityWrite {
        id: id.into(),
        label: "PERSON".into(),
        kind: "person".into(),
        name: "Alice".into(),
        state: id.as_bytes().to_vec(),
        keys: vec![key.into()],
        added: members
            .iter()
            .map(|(d, l)| MemberWrite {
                member: MemberKey {
                    doc: d.to_string(),
                    local: *l,
                },
                probability: Some(0.9),
                reason: Some("same name".into()),
                decision: None,
            })
            .collect(),
        absorbed: Vec::new(),
    }
}

#[test]
fn resolution_writes_keys_members_and_redirects() {
    let dir = TempDir::new("resolution");
    let mut s = open(&dir.0.join("kb.db"));
    let a = doc("Alice went home today.", "a.txt");
    let b = doc("Alice came back later.", "b.txt");
    add(&mut s, &a, "v1");
    add(&mut s, &b, "v1");
    let tx = s.corpus().unwrap();
    assert_eq!(tx.pending(10).unwrap().len(), 2);
    tx.apply_resolution(
        &[
            entity("e1", "p:alice", &[(&a.id, 0)]),
            entity("e2", "p:alice", &[(&b.id, 0)]),
        ],
        &[],
    )
    .unwrap();
    assert_eq!(
        tx.key_sizes(&["p:alice".into(), "p:bob".into()]).unwrap(),
        vec![2, 0]
    );
    assert_eq!(tx.entity_states(&["p:alice".into()]).unwrap().len(), 2);
    assert!(!tx.share_document("e1", "e2").unwrap());
    // e2 merges into e1; e1 is later renamed e3: e2 must lead to e3.
    let mut merged = entity("e1", "p:alice", &[]);
    merged.absorbed = vec!["e2".into()];
    tx.apply_resolution(
        &[merged],
        &[Redirect {
            from: "e2".into(),
            to: "e1".into(),
            why: "merged".into(),
        }],
    )
    .unwrap();
    assert_eq!(tx.key_sizes(&["p:alice".into()]).unwrap(), vec![1]);
    assert_eq!(tx.members("e1").unwrap().len(), 2);
    let mut renamed = entity("e3", "p:alice", &[]);
    renamed.absorbed = vec!["e1".into()];
    tx.apply_resolution(
        &[renamed],
        &[Redirect {
            from: "e1".into(),
            to: "e3".into(),
            why: "renamed".into(),
        }],
    )
    .unwrap();
    let names = tx.name_counts("e3").unwrap();
    assert_eq!(names.len(), 1);
    assert_eq!((names[0].docs, names[0].mentions), (2, 2));
    tx.write_names("e3", &names, &["f:alice".into()]).unwrap();
    tx.mark_done(&[a.id.clone(), b.id.clone()]).unwrap();
    tx.commit().unwrap();
    let snap = s.snapshot().unwrap();
    assert_eq!(snap.live_entity_id("e2").unwrap().as_deref(), Some("e3"));
    assert_eq!(snap.live_entity_id("e1").unwrap().as_deref(), Some("e3"));
    assert_eq!(snap.live_entity_id("nope").unwrap(), None);
    let head = snap.entity("e3").unwrap().unwrap();
    assert_eq!((head.docs, head.mentions), (2, 2));
    assert_eq!(
        snap.name_candidates(&["f:alice".into()], 10).unwrap().len(),
        1
    );
    assert_eq!(snap.counts().unwrap().pending, 0);
    let d = snap.descriptions("e3", 5, 5).unwrap();
    assert_eq!(d[0].text, "a test person");
    assert_eq!(d[0].total, 2);
    let page = snap.descriptions_page("e3", 0, 5, 1).unwrap();
    assert_eq!((page.total, page.items.len()), (1, 1));
    assert_eq!(page.items[0].evidence.len(), 1);
    let past = snap.descriptions_page("e3", 1, 5, 1).unwrap();
    assert_eq!((past.total, past.items.len()), (1, 0));
}

#[test]
fn a_snapshot_does_not_see_what_is_committed_after_it_began() {
    let dir = TempDir::new("snapshot");
    let path = dir.0.join("kb.db");
    let mut writer = open(&path);
    add(&mut writer, &doc("Alice went home today.", "a.txt"), "v1");
    let mut reader = Store::open_read(&path).unwrap();
    let snap = reader.snapshot().unwrap();
    let before = snap.counts().unwrap().documents;
    add(&mut writer, &doc("Alice came back later.", "b.txt"), "v1");
    let tx = writer.corpus().unwrap();
    tx.apply_resolution(&[entity("e1", "p:alice", &[])], &[])
        .unwrap();
    tx.commit().unwrap();
    assert_eq!(snap.counts().unwrap().documents, before);
    assert_eq!(snap.counts().unwrap().entities, 0);
    drop(snap);
    let snap = reader.snapshot().unwrap();
    assert_eq!(snap.counts().unwrap().documents, before + 1);
    assert_eq!(snap.counts().unwrap().entities, 1);
}

#[test]
fn judgements_are_stored_by_member() {
    let dir = TempDir::new("judgements");
    let mut s = open(&dir.0.join("kb.db"));
    let a = MemberKey {
        doc: "d1".into(),
        local: 0,
    };
    let b = MemberKey {
        doc: "d2".into(),
        local: 3,
    };
    let id = s
        .add_judgement(JudgementKind::NotSame, &a, &b, Some("father and son"), "1")
        .unwrap();
    let snap = s.snapshot().unwrap();
    let all = snap.judgements().unwrap();
    assert_eq!(all.len(), 1);
    assert_eq!(all[0].id, id);
    assert_eq!(all[0].kind, JudgementKind::NotSame);
    assert_eq!((all[0].a.clone(), all[0].b.clone()), (a, b));
    assert!(!all[0].applied);
}

fn event(id: &str, kind: &str, day: Option<&str>, who: &[&str], places: &[&str]) -> Event {
    Event {
        id: id.into(),
        kind: kind.into(),
        date: day.map(|d| dossier_core::EventDate {
            value: Some(d.into()),
            precision: Some(dossier_core::DatePrecision::Day),
            text: None,
        }),
        places: places.iter().map(|p| p.to_string()).collect(),
        participants: who
            .iter()
            .map(|w| dossier_core::Participant {
                role: "agent".into(),
                entity: w.to_string(),
            })
            .collect(),
        evidence: Vec::new(),
        documents: Vec::new(),
        modality: Default::default(),
        amount: None,
    }
}

fn claim(id: &str, doc: &str, start: usize, speaker: Option<&str>, about: &[&str]) -> Claim {
    Claim {
        id: id.into(),
        doc: doc.into(),
        start,
        end: start + 1,
        text: "x".into(),
        speaker: speaker.map(str::to_string),
        speaker_text: None,
        kind: dossier_core::ClaimKind::Quote,
        polarity: dossier_core::Polarity::Assert,
        hedged: false,
        stance: Default::default(),
        speaker_kind: Default::default(),
        about: about.iter().map(|a| a.to_string()).collect(),
        supports: Vec::new(),
        contradicts: Vec::new(),
    }
}

/// The page tables hold exactly what the tables they are kept from say.
fn assert_page_tables_current(path: &Path) {
    let c = Connection::open(path).unwrap();
    let rows = |sql: &str| -> Vec<String> {
        let mut st = c.prepare(sql).unwrap();
        let v: Vec<String> = st
            .query_map([], |r| {
                Ok((0..r.as_ref().column_count())
                    .map(|i| format!("{:?}", r.get_ref(i).unwrap()))
                    .collect::<Vec<_>>()
                    .join("|"))
            })
            .unwrap()
            .map(|r| r.unwrap())
            .collect();
        v
    };
    assert_eq!(
        rows("SELECT * FROM entity_events ORDER BY 1, 2, 3, 4"),
        rows(
            "SELECT k.entity_id, e.day_first IS NULL, coalesce(e.day_first, 0), e.id
             FROM (SELECT event_id, entity_id FROM event_participants
                   UNION SELECT event_id, entity_id FROM event_places) k
             JOIN events e ON e.id = k.event_id ORDER BY 1, 2, 3, 4"
        )
    );
    assert_eq!(
        rows("SELECT * FROM entity_claims ORDER BY 1, 2, 3, 4, 5, 6, 7"),
        rows(
            "SELECT k.entity_id, c.dispute IS NULL, coalesce(c.dispute, ''), coalesce(c.side, 0),
                    c.doc_id, c.start, c.id
             FROM (SELECT id AS claim_id, speaker AS entity_id FROM claims WHERE speaker IS NOT NULL
                   UNION SELECT claim_id, target FROM claim_about) k
             JOIN claims c ON c.id = k.claim_id ORDER BY 1, 2, 3, 4, 5, 6, 7"
        )
    );
}

#[test]
fn an_entitys_events_and_claims_are_paged_in_order_through_rewrites_and_deletes() {
    let dir = TempDir::new("pages");
    let path = dir.0.join("kb.db");
    let mut s = open(&path);
    let day = |d: &str| dossier_core::date::Date::parse_iso(d).unwrap().day_span();
    let tx = s.corpus().unwrap();
    for (e, d) in [
        (
            event("v1", "attack", Some("2020-01-02"), &["p1", "p2"], &["pl"]),
            Some("2020-01-02"),
        ),
        (event("v2", "meeting", None, &["p1"], &[]), None),
        // p1 both takes part and is the place: one row, not two.
        (
            event("v3", "attack", Some("2019-05-01"), &["p1"], &["p1"]),
            Some("2019-05-01"),
        ),
    ] {
        tx.write_event(&e, 1, d.map(day), &[]).unwrap();
    }
    tx.write_claim(&claim("c1", "d1", 5, Some("p1"), &["p2"]), 0)
        .unwrap();
    tx.write_claim(&claim("c2", "d2", 1, Some("p2"), &["p1"]), 0)
        .unwrap();
    tx.write_claim(&claim("c3", "d1", 2, Some("p1"), &["p1"]), 1)
        .unwrap();
    tx.write_disputes(
        &[],
        &[DisputeGroup {
            id: "g1".into(),
            disputed: true,
            about: "p1".into(),
            members: vec![("c2".into(), 0), ("c1".into(), 1)],
        }],
    )
    .unwrap();
    tx.commit().unwrap();
    assert_page_tables_current(&path);

    let events = |s: &mut Store, entity: &str, kind: Option<&str>| -> (u64, Vec<String>) {
        let snap = s.snapshot().unwrap();
        let f = EventFilter {
            entity: Some(entity.into()),
            kind: kind.map(str::to_string),
            ..EventFilter::default()
        };
        let w = snap.events(&f, 0, 10, 1).unwrap();
        (w.total, w.items.into_iter().map(|(e, _)| e.id).collect())
    };
    let claims = |s: &mut Store, entity: &str, offset: usize| -> (u64, Vec<String>) {
        let snap = s.snapshot().unwrap();
        let f = ClaimFilter {
            entity: Some(entity.into()),
            ..ClaimFilter::default()
        };
        let w = snap.claims(&f, offset, 10).unwrap();
        (w.total, w.items.into_iter().map(|c| c.claim.id).collect())
    };
    // Dated first, oldest first; undated last.
    assert_eq!(
        events(&mut s, "p1", None),
        (3, vec!["v3".into(), "v1".into(), "v2".into()])
    );
    assert_eq!(
        events(&mut s, "p1", Some("attack")),
        (2, vec!["v3".into(), "v1".into()])
    );
    assert_eq!(events(&mut s, "pl", None), (1, vec!["v1".into()]));
    // Disputed claims first, side by side; then the rest by document.
    assert_eq!(
        claims(&mut s, "p1", 0),
        (3, vec!["c2".into(), "c1".into(), "c3".into()])
    );
    assert_eq!(claims(&mut s, "p1", 2), (3, vec!["c3".into()]));

    // The dispute goes, a claim is deleted, another rewritten about nothing
    // and by no one, an event deleted: the pages follow.
    let tx = s.corpus().unwrap();
    tx.delete(FactTable::Claims, &["c2".into()]).unwrap();
    tx.write_disputes(&["g1".into()], &[]).unwrap();
    tx.write_claim(&claim("c3", "d1", 2, None, &[]), 1).unwrap();
    tx.delete(FactTable::Events, &["v1".into()]).unwrap();
    tx.commit().unwrap();
    assert_page_tables_current(&path);
    assert_eq!(claims(&mut s, "p1", 0), (1, vec!["c1".into()]));
    assert_eq!(claims(&mut s, "p2", 0), (1, vec!["c1".into()]));
    assert_eq!(
        events(&mut s, "p1", None),
        (2, vec!["v3".into(), "v2".into()])
    );
    assert_eq!(events(&mut s, "p2", None), (0, vec![]));

    let tx = s.corpus().unwrap();
    tx.reset_graph().unwrap();
    tx.commit().unwrap();
    assert_page_tables_current(&path);
    assert_eq!(events(&mut s, "p1", None), (0, vec![]));
}
