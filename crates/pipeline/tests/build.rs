//! The pipeline end to end on the sample corpus: a build in one go and the
//! same files added in two builds give the same knowledge graph; a document
//! over its time budget is skipped with a reason.

use dossier_pipeline::{build, Analyzer, BuildOptions};
use dossier_query::{ClaimQuery, Page, Query, TimelineQuery};
use dossier_store::{Store, WhenBusy};
use std::path::{Path, PathBuf};
use std::sync::OnceLock;
use std::time::Duration;

fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../..")
}

fn analyzer() -> &'static Analyzer {
    static A: OnceLock<Analyzer> = OnceLock::new();
    A.get_or_init(|| {
        let model = std::env::var_os("DOSSIER_MODEL")
            .map(PathBuf::from)
            .unwrap_or_else(|| repo().join("models/en_core_web_sm"));
        Analyzer::load(Some(&model)).unwrap_or_else(|e| panic!("{e} (run scripts/fetch-model.sh)"))
    })
}

fn opts() -> BuildOptions {
    BuildOptions::default()
}

fn scratch(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("dossier-pipeline-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// Builds `paths` into the knowledge base at `db` and closes it.
fn build_into(db: &Path, paths: &[PathBuf], opts: &BuildOptions) -> dossier_pipeline::Summary {
    let mut store = Store::open(db, WhenBusy::Fail).unwrap();
    build(&mut store, paths, analyzer(), opts).unwrap()
}

/// What a knowledge base says, in a form two builds can be compared by:
/// every person's name with the events and claims about them.
fn digest(db: &Path) -> Vec<String> {
    let mut store = Store::open_read(db).unwrap();
    let snap = store.snapshot().unwrap();
    let q = Query::new(&snap);
    let mut people: std::collections::BTreeSet<String> = Default::default();
    for d in q.documents(Page::new(0, 100)).unwrap().items {
        for s in q.document(&d.id).unwrap().unwrap().spans {
            if s.layer == "mention" && s.kind.as_deref() == Some("PERSON") {
                people.extend(s.target);
            }
        }
    }
    let mut out = Vec::new();
    for id in people {
        let summary = q.summary(&id).unwrap().unwrap();
        let events = q
            .timeline(&TimelineQuery {
                entity: Some(id.clone()),
                page: Page::new(0, 100),
                ..Default::default()
            })
            .unwrap()
            .unwrap();
        let mut kinds: Vec<String> = events
            .items
            .iter()
            .map(|e| {
                format!(
                    "{}@{:?}",
                    e.kind,
                    e.date.as_ref().and_then(|d| d.value.clone())
                )
            })
            .collect();
        kinds.sort();
        let claims = q
            .claims(&ClaimQuery {
                entity: Some(id),
                page: Page::new(0, 100),
                ..Default::default()
            })
            .unwrap()
            .unwrap();
        out.push(format!(
            "{} docs={} events={kinds:?} claims={}",
            summary.name, summary.documents, claims.total
        ));
    }
    out.sort();
    out
}

#[test]
fn two_builds_give_what_one_build_gives() {
    let dir = scratch("incremental");
    let corpus = repo().join("examples/corpus");
    let one = dir.join("one.db");
    build_into(&one, std::slice::from_ref(&corpus), &opts());

    // The same files, half now and half later.
    let mut files: Vec<PathBuf> = std::fs::read_dir(&corpus)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.is_file())
        .collect();
    files.sort();
    let (first, second) = files.split_at(files.len() / 2);
    let two = dir.join("two.db");
    let mut store = Store::open(&two, WhenBusy::Fail).unwrap();
    build(&mut store, first, analyzer(), &opts()).unwrap();
    let later: Vec<PathBuf> = second
        .iter()
        .cloned()
        .chain(std::iter::once(corpus.join("feeds")))
        .chain(std::iter::once(corpus.join("mirror")))
        .collect();
    let summary = build(&mut store, &later, analyzer(), &opts()).unwrap();
    assert!(summary.corpus.documents > 0);
    drop(store);
    let (a, b) = (digest(&one), digest(&two));
    assert!(!a.is_empty());
    assert_eq!(
        a, b,
        "incremental builds must give the same people, events and claims"
    );
    std::fs::remove_dir_all(&dir).ok();
}

#[test]
fn a_document_over_its_budget_is_skipped_with_a_reason() {
    let dir = scratch("budget");
    let input = dir.join("in");
    std::fs::create_dir_all(&input).unwrap();
    std::fs::write(
        input.join("a.txt"),
        "Omar Haddad met officials in Doha on Tuesday.",
    )
    .unwrap();
    let model = std::env::var_os("DOSSIER_MODEL")
        .map(PathBuf::from)
        .unwrap_or_else(|| repo().join("models/en_core_web_sm"));
    let strict = Analyzer::load(Some(&model))
        .unwrap()
        .with_budget(Duration::ZERO);
    let mut store = Store::open(&dir.join("kb.db"), WhenBusy::Fail).unwrap();
    let s = build(&mut store, &[input], &strict, &opts()).unwrap();
    assert_eq!(s.new_docs, 0);
    assert_eq!(s.skipped.len(), 1, "{:?}", s.skipped);
    assert!(
        s.skipped[0].reason.contains("budget"),
        "{}",
        s.skipped[0].reason
    );
    std::fs::remove_dir_all(&dir).ok();
}

/// Every entity id a knowledge base's documents point at, with its name.
fn entity_ids(db: &Path) -> std::collections::BTreeSet<(String, String)> {
    let mut store = Store::open_read(db).unwrap();
    let snap = store.snapshot().unwrap();
    let q = Query::new(&snap);
    let mut out = std::collections::BTreeSet::new();
    for d in q.documents(Page::new(0, 100)).unwrap().items {
        for s in q.document(&d.id).unwrap().unwrap().spans {
            if s.layer == "mention" {
                if let Some(t) = s.target {
                    let name = q.summary(&t).unwrap().map(|s| s.name).unwrap_or_default();
                    out.insert((t, name));
                }
            }
        }
    }
    out
}

#[test]
fn entity_ids_do_not_depend_on_the_order_files_come_in() {
    let dir = scratch("order");
    let corpus = repo().join("examples/corpus");
    let mut files: Vec<PathBuf> = std::fs::read_dir(&corpus)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    files.sort();
    let forward = dir.join("forward.db");
    build_into(&forward, &files, &opts());
    files.reverse();
    let backward = dir.join("backward.db");
    build_into(&backward, &files, &opts());
    let (a, b) = (entity_ids(&forward), entity_ids(&backward));
    assert!(a.len() > 10);
    assert_eq!(a, b);
    std::fs::remove_dir_all(&dir).ok();
}

/// The live entity that `name` finds first, with its members.
fn find(db: &Path, name: &str) -> (String, Vec<dossier_store::MemberKey>) {
    let mut store = Store::open_read(db).unwrap();
    let snap = store.snapshot().unwrap();
    let q = Query::new(&snap);
    let hit = q.search(name, Some("PERSON"), Page::new(0, 1)).unwrap();
    let id = hit.items[0].entity.id.clone();
    let members = dossier_store::Reader::members(&snap, &id, 0, 100)
        .unwrap()
        .items
        .into_iter()
        .map(|m| m.member)
        .collect();
    (id, members)
}

#[test]
fn analysts_judgements_apply_on_the_next_build() {
    use dossier_store::JudgementKind;
    let dir = scratch("judge");
    let db = dir.join("kb.db");
    let corpus = repo().join("examples/corpus");
    let mut store = Store::open(&db, WhenBusy::Fail).unwrap();
    build(
        &mut store,
        std::slice::from_ref(&corpus),
        analyzer(),
        &opts(),
    )
    .unwrap();
    drop(store);

    // Split: one document's mentions of Abu Yusuf are someone else.
    let (yusuf, members) = find(&db, "Abu Yusuf al-Tunisi");
    assert!(members.len() >= 3, "{members:?}");
    let moved = members.last().unwrap().clone();
    let mut store = Store::open(&db, WhenBusy::Fail).unwrap();
    store
        .add_judgement(JudgementKind::Split, &members[0], &moved, Some("test"), "0")
        .unwrap();
    build(&mut store, &[], analyzer(), &opts()).unwrap();
    drop(store);
    let (after, left) = find(&db, "Abu Yusuf al-Tunisi");
    assert_eq!(after, yusuf, "the part holding the anchor keeps the id");
    assert!(!left.contains(&moved), "{left:?}");
    assert_eq!(left.len(), members.len() - 1);

    // Same: two different men judged one.
    let (hamza, _) = find(&db, "Abu Hamza al-Tunisi");
    let (bakr, bakr_members) = find(&db, "Abu Bakr al-Tunisi");
    assert_ne!(hamza, bakr);
    let (_, hamza_members) = find(&db, "Abu Hamza al-Tunisi");
    let mut store = Store::open(&db, WhenBusy::Fail).unwrap();
    store
        .add_judgement(
            JudgementKind::Same,
            &hamza_members[0],
            &bakr_members[0],
            None,
            "0",
        )
        .unwrap();
    build(&mut store, &[], analyzer(), &opts()).unwrap();
    // A later build over the same files changes nothing.
    build(
        &mut store,
        std::slice::from_ref(&corpus),
        analyzer(),
        &opts(),
    )
    .unwrap();
    drop(store);
    let (h, hm) = find(&db, "Abu Hamza al-Tunisi");
    let (b, _) = find(&db, "Abu Bakr al-Tunisi");
    assert_eq!(h, b);
    assert!(hm.contains(&bakr_members[0]));
    let (again, left2) = find(&db, "Abu Yusuf al-Tunisi");
    assert_eq!(again, yusuf);
    assert!(!left2.contains(&moved));
    std::fs::remove_dir_all(&dir).ok();
}

#[test]
fn folding_chunks_while_reading_gives_what_folding_at_the_end_gives() {
    let dir = scratch("chunks");
    let corpus = repo().join("examples/corpus");
    let at_end = dir.join("end.db");
    let corpus = std::slice::from_ref(&corpus);
    let docs = build_into(&at_end, corpus, &opts()).new_docs;
    assert!(docs > 6, "{docs} documents");

    // Chunks of three: most are folded while later files are still read.
    let small = dir.join("small.db");
    let chunked = BuildOptions {
        chunk_docs: 3,
        ..opts()
    };
    let summary = build_into(&small, corpus, &chunked);
    assert_eq!(summary.new_docs, docs);
    assert_eq!(summary.corpus.documents, docs, "every document folded");
    // Building the same files again reads nothing and changes nothing.
    let again = build_into(&small, corpus, &chunked);
    assert_eq!((again.new_docs, again.corpus.documents), (0, 0));
    let (a, b) = (digest(&at_end), digest(&small));
    assert!(!a.is_empty());
    assert_eq!(
        a, b,
        "chunks folded while reading must give the same people, events and claims"
    );
    std::fs::remove_dir_all(&dir).ok();
}
