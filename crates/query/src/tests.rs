//! Tests over the sample corpus (`examples/corpus`), built once per run
//! with the product's own pipeline into a temporary database.

use super::*;
use dossier_store::{Snapshot, Store, WhenBusy};
use std::path::PathBuf;
use std::sync::OnceLock;

fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../..")
}

/// The sample corpus built into a database (once).
fn db() -> &'static PathBuf {
    static DB: OnceLock<PathBuf> = OnceLock::new();
    DB.get_or_init(|| {
        let dir = std::env::temp_dir().join(format!("dossier-query-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        let path = dir.join("sample.db");
        let model = std::env::var_os("DOSSIER_MODEL")
            .map(PathBuf::from)
            .unwrap_or_else(|| repo().join("models/en_core_web_sm"));
        let analyzer = dossier_pipeline::Analyzer::load(Some(&model))
            .unwrap_or_else(|e| panic!("{e} (run scripts/fetch-model.sh)"));
        let mut store = Store::open(&path, WhenBusy::Wait).unwrap();
        let opts = dossier_pipeline::BuildOptions::default();
        dossier_pipeline::build(
            &mut store,
            &[repo().join("examples/corpus")],
            &analyzer,
            &opts,
        )
        .unwrap();
        path
    })
}

fn with<T>(f: impl FnOnce(&Query<'_>, &Snapshot<'_>) -> T) -> T {
    let mut store = Store::open_read(db()).unwrap();
    let snap = store.snapshot().unwrap();
    f(&Query::new(&snap), &snap)
}

fn id_of(q: &Query<'_>, name: &str) -> String {
    let hits = q.search(name, None, Page::new(0, 20)).unwrap();
    hits.items
        .iter()
        .find(|h| h.entity.name == name)
        .map(|h| h.entity.id.clone())
        .unwrap_or_else(|| panic!("no entity {name}"))
}

fn chars(text: &str, start: usize, end: usize) -> String {
    text.chars().skip(start).take(end - start).collect()
}

#[test]
fn an_ambiguous_name_lists_every_man_with_distinct_one_liners() {
    with(|q, _| {
        let hits = q
            .search("al-Tunisi", Some("PERSON"), Page::default())
            .unwrap();
        let names: Vec<&str> = hits.items.iter().map(|h| h.entity.name.as_str()).collect();
        for n in [
            "Abu Yusuf al-Tunisi",
            "Abu Hamza al-Tunisi",
            "Abu Bakr al-Tunisi",
        ] {
            assert!(names.contains(&n), "{n} missing from {names:?}");
        }
        // The best-attested man comes first among equally good matches.
        assert_eq!(names[0], "Abu Yusuf al-Tunisi");
        let lines: std::collections::HashSet<&str> =
            hits.items.iter().map(|h| h.entity.line.as_str()).collect();
        assert_eq!(
            lines.len(),
            hits.items.len(),
            "one-liners must differ: {lines:#?}"
        );
        let yusuf = &hits.items[0].entity;
        assert!(yusuf.documents >= 5, "{yusuf:?}");
        assert!(
            yusuf.fate.as_deref().unwrap_or("").starts_with("killed"),
            "{yusuf:?}"
        );
        assert!(yusuf.line.contains("killed"));
    })
}

#[test]
fn search_is_transliteration_aware_and_forgiving() {
    with(|q, _| {
        // A variant spelling and a sound-alike find the same man.
        for query in [
            "Abu Youssef al-Tounsi",
            "Abu Yousef al-Tunisi",
            "Khaled Hasan Mahmud",
        ] {
            let hits = q.search(query, Some("PERSON"), Page::default()).unwrap();
            assert_eq!(hits.items[0].entity.name, "Abu Yusuf al-Tunisi", "{query}");
        }
        // A name being typed.
        let hits = q.search("abu ham", None, Page::default()).unwrap();
        assert_eq!(hits.items[0].entity.name, "Abu Hamza al-Tunisi");
        // Nothing matches nonsense, an empty query, or a type that excludes all.
        assert_eq!(q.search("Zzyzx", None, Page::default()).unwrap().total, 0);
        assert_eq!(q.search("  ", None, Page::default()).unwrap().total, 0);
        assert_eq!(
            q.search("al-Tunisi", Some("LAW"), Page::default())
                .unwrap()
                .total,
            0
        );
    })
}

#[test]
fn pagination_is_consistent_and_capped() {
    with(|q, _| {
        let all = q.search("al", None, Page::new(0, 100)).unwrap();
        assert!(all.total >= 3);
        let first = q.search("al", None, Page::new(0, 2)).unwrap();
        let second = q.search("al", None, Page::new(2, 2)).unwrap();
        assert_eq!(first.total, all.total);
        assert_eq!(first.items.len(), 2);
        assert_eq!(second.items[0].entity.id, all.items[2].entity.id);
        assert_eq!(Page::new(0, 10_000).limit, MAX_PAGE);
        assert_eq!(Page::new(0, 0).limit, 1);
        let beyond = q.search("al", None, Page::new(1_000_000, 10)).unwrap();
        assert!(beyond.items.is_empty());
        assert_eq!(beyond.total, all.total);
    })
}

#[test]
fn a_dossier_has_names_with_sources_reasons_and_paged_lists() {
    with(|q, snap| {
        let id = id_of(q, "Abu Yusuf al-Tunisi");
        let d = q.dossier(&id, Page::default()).unwrap().unwrap();
        assert!(d.names.items[0].canonical);
        assert_eq!(d.names.items[0].text, "Abu Yusuf al-Tunisi");
        for alias in ["Khalid Hassan Mahmoud", "Abu Youssef al-Tounsi"] {
            assert!(d.names.items.iter().any(|n| n.text == alias), "{alias}");
        }
        // Every piece of evidence is the exact text at its code-point offsets.
        for n in &d.names.items {
            for e in &n.evidence {
                let text = dossier_store::Reader::document(snap, &e.doc)
                    .unwrap()
                    .unwrap()
                    .text;
                assert_eq!(chars(&text, e.start, e.end), e.text);
            }
        }
        assert!(d
            .descriptions
            .items
            .iter()
            .any(|x| x.text.contains("deputy leader")));
        assert!(d.identity.explanation[0].contains("documents were judged"));
        assert!(!d.identity.merges.items.is_empty());
        assert!(d.identity.merges.items.iter().all(|m| m.score.is_some()));
        assert_eq!(d.documents.total, d.summary.documents);
        assert!(d
            .documents
            .items
            .windows(2)
            .all(|w| w[0].mentions >= w[1].mentions));
        // His killing is disputed, in a group the build computed.
        let disputed = d
            .claims
            .groups
            .iter()
            .find(|g| g.disputed)
            .expect("a dispute");
        assert!(!disputed.sides[0].is_empty() && !disputed.sides[1].is_empty());
        assert!(d.events.items.iter().any(|e| e.kind == "killing"));
        // A one-item page says how many there are.
        let small = q.dossier(&id, Page::new(0, 1)).unwrap().unwrap();
        assert_eq!(small.names.items.len(), 1);
        assert_eq!(small.names.total, d.names.total);
        assert!(small.documents.total > 1);
        // Every list's total is the whole, whatever the page.
        assert!(d.descriptions.total >= 2, "{:?}", d.descriptions);
        assert_eq!(small.descriptions.total, d.descriptions.total);
        assert_eq!(small.descriptions.items.len(), 1);
        let second = q.dossier(&id, Page::new(1, 1)).unwrap().unwrap();
        assert_eq!(
            second.descriptions.items[0].text,
            d.descriptions.items[1].text
        );
        assert_eq!(second.descriptions.total, d.descriptions.total);
        for n in &d.names.items {
            assert!(n.evidence_total >= n.evidence.len(), "{n:?}");
        }
        for e in &d.events.items {
            assert!(e.documents_total >= e.documents.len().max(1), "{e:?}");
        }
        assert!(q.dossier("no-such-id", Page::default()).unwrap().is_none());
    })
}

#[test]
fn document_spans_point_at_their_text() {
    with(|q, _| {
        let docs = q.documents(Page::new(0, 100)).unwrap();
        assert!(docs.total >= 7);
        let mut layers: std::collections::HashSet<&str> = std::collections::HashSet::new();
        for brief in &docs.items {
            let v = q.document(&brief.id).unwrap().unwrap();
            assert_eq!(v.length, v.text.chars().count());
            for s in &v.spans {
                assert_eq!(chars(&v.text, s.start, s.end), s.text, "{s:?}");
                layers.insert(s.layer);
            }
            assert!(v.spans.windows(2).all(|w| w[0].start <= w[1].start));
        }
        for l in [
            "mention",
            "time",
            "event",
            "claim",
            "relation",
            "description",
        ] {
            assert!(layers.contains(l), "no {l} span in {layers:?}");
        }
        assert!(q.document("../../etc/passwd").unwrap().is_none());
    })
}

#[test]
fn the_timeline_filters_by_entity_type_and_range() {
    with(|q, _| {
        let all = q.timeline(&TimelineQuery::default()).unwrap().unwrap();
        assert!(all.total >= 5);
        let days: Vec<Option<i64>> = all
            .items
            .iter()
            .map(|e| {
                e.date
                    .as_ref()
                    .and_then(|d| d.value.as_deref())
                    .and_then(DateBound::parse)
                    .map(|b| b.first_day())
            })
            .collect();
        let dated: Vec<i64> = days.iter().flatten().copied().collect();
        assert!(dated.windows(2).all(|w| w[0] <= w[1]), "earliest first");
        if let Some(first_undated) = days.iter().position(Option::is_none) {
            assert!(
                days[first_undated..].iter().all(Option::is_none),
                "undated last"
            );
        }
        let yusuf = id_of(q, "Abu Yusuf al-Tunisi");
        let q2 = TimelineQuery {
            entity: Some(yusuf.clone()),
            from: DateBound::parse("2021-03"),
            to: DateBound::parse("2021-03"),
            ..Default::default()
        };
        let march = q.timeline(&q2).unwrap().unwrap();
        assert!(march.items.iter().any(|e| e.kind == "killing"));
        assert!(march.items.iter().all(|e| e.date.is_some()));
        let q3 = TimelineQuery {
            entity: Some(yusuf),
            kind: Some("killing".into()),
            ..Default::default()
        };
        assert!(q
            .timeline(&q3)
            .unwrap()
            .unwrap()
            .items
            .iter()
            .all(|e| e.kind == "killing"));
        let q4 = TimelineQuery {
            entity: Some("nope".into()),
            ..Default::default()
        };
        assert!(q.timeline(&q4).unwrap().is_none());
    })
}

#[test]
fn the_graph_is_bounded_by_depth_and_size() {
    with(|q, _| {
        let id = id_of(q, "Abu Yusuf al-Tunisi");
        let g = q.graph(&id, 1, 50).unwrap().unwrap();
        assert_eq!(g.nodes[0].id, id);
        assert!(g.nodes.len() > 2);
        assert!(g.nodes.iter().all(|n| n.depth <= 1));
        let ids: std::collections::HashSet<&str> = g.nodes.iter().map(|n| n.id.as_str()).collect();
        for e in &g.edges {
            assert!(ids.contains(e.source.as_str()) && ids.contains(e.target.as_str()));
        }
        assert!(g.edges.iter().any(|e| e.kind == "relation"));
        let g2 = q.graph(&id, 2, 200).unwrap().unwrap();
        assert!(g2.nodes.len() >= g.nodes.len());
        let g0 = q.graph(&id, 0, 50).unwrap().unwrap();
        assert_eq!(g0.nodes.len(), 1);
        assert!(g0.edges.is_empty());
        let small = q.graph(&id, 3, 3).unwrap().unwrap();
        assert_eq!(small.nodes.len(), 3);
        assert!(small.truncated);
        let capped = q.graph(&id, 99, 99_999).unwrap().unwrap();
        assert_eq!((capped.depth, capped.limit), (MAX_DEPTH, MAX_GRAPH_NODES));
    })
}

#[test]
fn claims_filter_and_link_both_ways() {
    with(|q, _| {
        let yusuf = id_of(q, "Abu Yusuf al-Tunisi");
        let mine = ClaimQuery {
            entity: Some(yusuf.clone()),
            ..Default::default()
        };
        let all = q.claims(&mine).unwrap().unwrap();
        assert!(all.total >= 3);
        let disputed = q
            .claims(&ClaimQuery {
                entity: Some(yusuf),
                disputed: true,
                ..Default::default()
            })
            .unwrap()
            .unwrap();
        assert!(disputed.total >= 1);
        assert!(disputed.items.iter().all(|c| c.dispute.is_some()));
        // A contradiction shows on both claims.
        let c = all
            .items
            .iter()
            .find(|c| c.contradicts_total > 0)
            .expect("a contradicted claim");
        let other = q.claim(&c.contradicts[0].id).unwrap().unwrap();
        assert!(other.contradicts.iter().any(|x| x.id == c.id));
        let missing = ClaimQuery {
            event: Some("missing".into()),
            ..Default::default()
        };
        assert!(q.claims(&missing).unwrap().is_none());
    })
}

#[test]
fn stats_count_everything() {
    with(|q, _| {
        let s = q.stats().unwrap();
        assert!(s.documents >= 7);
        assert!(s.entities_by_type["PERSON"] >= 5);
        assert!(s.events > 0 && s.claims > 0 && s.relations > 0 && s.times > 0);
        assert!(s.disputed_claims >= 1);
        assert_eq!(s.pending, 0);
        assert_eq!(s.published_first.as_deref(), Some("2019-04-02"));
    })
}
