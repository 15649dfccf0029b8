//! Tests over the fictional fixture export shared with `dossier-serve`.

use super::*;
use dossier_core::{Entity, Span};
use std::path::PathBuf;

fn fixture_path() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../serve/tests/fixtures/kb.json")
}

fn index() -> Index {
    Index::from_export_file(&fixture_path()).expect("fixture loads")
}

fn id_of(ix: &Index, name: &str) -> String {
    ix.export()
        .entities
        .iter()
        .find(|e| e.name == name)
        .map(|e| e.id.clone())
        .unwrap_or_else(|| panic!("no entity {name}"))
}

fn chars(text: &str, start: usize, end: usize) -> String {
    text.chars().skip(start).take(end - start).collect()
}

#[test]
fn fixture_is_valid_against_the_export_schema() {
    let schema_path =
        PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../docs/export.schema.json");
    let schema: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(schema_path).unwrap()).unwrap();
    let data: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(fixture_path()).unwrap()).unwrap();
    let validator = jsonschema::validator_for(&schema).unwrap();
    let errors: Vec<String> = validator
        .iter_errors(&data)
        .map(|e| e.to_string())
        .collect();
    assert!(errors.is_empty(), "{errors:#?}");
    let ix = index();
    assert!(ix.problems().is_empty(), "{:#?}", ix.problems());
}

#[test]
fn ambiguous_name_lists_every_man_with_distinct_one_liners() {
    let ix = index();
    let hits = ix.search("al-Halabi", Some("PERSON"), Page::default());
    let names: Vec<&str> = hits.items.iter().map(|h| h.entity.name.as_str()).collect();
    for n in [
        "Abu Khalid al-Halabi",
        "Abu Omar al-Halabi",
        "Samir al-Halabi",
        "Bassam al-Halabi",
    ] {
        assert!(names.contains(&n), "{n} missing from {names:?}");
    }
    assert_eq!(hits.total, 4);
    // The best-attested man comes first among equally good matches.
    assert_eq!(names[0], "Abu Khalid al-Halabi");
    let lines: std::collections::HashSet<&str> =
        hits.items.iter().map(|h| h.entity.line.as_str()).collect();
    assert_eq!(lines.len(), 4, "one-liners must differ: {lines:#?}");

    let khalid = &hits.items[0].entity;
    assert_eq!(khalid.documents, 3);
    assert_eq!(
        khalid.description.as_deref(),
        Some("deputy commander of the Northern Shield Front")
    );
    assert_eq!(khalid.first_date.as_deref(), Some("2014"));
    assert_eq!(khalid.last_date.as_deref(), Some("2022-03-15"));
    assert_eq!(khalid.dates_from, Some("events"));
    assert_eq!(
        khalid.fate.as_deref(),
        Some("killed in Harem, Idlib 2022-03-15")
    );
    assert!(khalid.line.contains("killed in Harem, Idlib 2022-03-15"));
    let places: Vec<&str> = khalid.places.iter().map(|p| p.name.as_str()).collect();
    assert!(places.contains(&"Idlib"), "{places:?}");
    let with: Vec<&str> = khalid.co_mentions.iter().map(|p| p.name.as_str()).collect();
    assert!(with.contains(&"Northern Shield Front"), "{with:?}");
    assert!(with.contains(&"Bassam al-Halabi"), "{with:?}");

    let omar = hits
        .items
        .iter()
        .find(|h| h.entity.name == "Abu Omar al-Halabi")
        .unwrap();
    let places: Vec<&str> = omar.entity.places.iter().map(|p| p.name.as_str()).collect();
    assert_eq!(places[0], "Gaziantep");
    assert!(
        omar.entity.line.contains("financier"),
        "{}",
        omar.entity.line
    );
}

#[test]
fn search_is_transliteration_aware_and_forgiving() {
    let ix = index();
    // The variant spelling is an alias of exactly one man: he ranks first.
    let hits = ix.search("el-Halaby", None, Page::default());
    assert_eq!(hits.items[0].entity.name, "Samir al-Halabi");
    assert_eq!(hits.items[0].score, 1.0);
    assert!(hits.total >= 4, "sound-alikes still match: {}", hits.total);
    // A misspelling and a typing prefix.
    let hits = ix.search("Gaziantp", None, Page::default());
    assert_eq!(hits.items[0].entity.name, "Gaziantep");
    let hits = ix.search("abu kha", None, Page::default());
    assert_eq!(hits.items[0].entity.name, "Abu Khalid al-Halabi");
    // Arabic script finds the Latin-script name through the alias.
    let hits = ix.search("أبو خالد الحلبي", None, Page::default());
    assert_eq!(hits.items[0].entity.name, "Abu Khalid al-Halabi");
    // Nothing matches nonsense, an empty query, or a type filter that excludes all.
    assert_eq!(ix.search("Zzyzx", None, Page::default()).total, 0);
    assert_eq!(ix.search("  ", None, Page::default()).total, 0);
    assert_eq!(
        ix.search("al-Halabi", Some("GPE"), Page::default()).total,
        0
    );
}

#[test]
fn pagination_is_consistent_and_capped() {
    let ix = index();
    let all = ix.search("al", None, Page::new(0, 100));
    let first = ix.search("al", None, Page::new(0, 2));
    let second = ix.search("al", None, Page::new(2, 2));
    assert_eq!(first.total, all.total);
    assert_eq!(first.items.len(), 2);
    assert_eq!(second.items[0].entity.id, all.items[2].entity.id);
    assert_eq!(Page::new(0, 10_000).limit, MAX_PAGE);
    assert_eq!(Page::new(0, 0).limit, 1);
    let beyond = ix.search("al", None, Page::new(1_000_000, 10));
    assert!(beyond.items.is_empty());
    assert_eq!(beyond.total, all.total);
}

#[test]
fn dossier_has_names_with_sources_claims_grouped_and_reasons() {
    let ix = index();
    let id = id_of(&ix, "Abu Khalid al-Halabi");
    let d = ix.dossier(&id).unwrap();
    assert!(d.names[0].canonical);
    assert_eq!(d.names[0].text, "Abu Khalid al-Halabi");
    assert_eq!(d.names[0].documents, 3);
    let arabic = d
        .names
        .iter()
        .find(|n| n.text == "أبو خالد الحلبي")
        .unwrap();
    assert_eq!(arabic.evidence.len(), 1);
    // Every piece of evidence is the exact text at its code-point offsets.
    let docs: HashMap<&str, &str> = ix
        .export()
        .documents
        .iter()
        .map(|d| (d.id.as_str(), d.text.as_str()))
        .collect();
    for n in &d.names {
        for e in &n.evidence {
            assert_eq!(chars(docs[e.doc.as_str()], e.start, e.end), e.text);
            assert!(e.doc_title.is_some());
        }
    }
    // The killing is disputed: two sources deny it, one repeats it.
    let killed = d
        .claims
        .disputed
        .iter()
        .find(|c| c.speaker_text.as_deref() == Some("two US officials"))
        .unwrap();
    assert_eq!(killed.contradicts.len(), 2);
    assert_eq!(killed.supports.len(), 1);
    assert!(killed.about.iter().any(|a| a.what == "event"));
    // Contradiction is mutual even where only one side recorded it.
    let denied = d
        .claims
        .disputed
        .iter()
        .find(|c| c.polarity == dossier_core::Polarity::Deny)
        .unwrap();
    assert!(denied.contradicts.iter().any(|c| c.id == killed.id));
    assert!(d
        .claims
        .single_source
        .iter()
        .any(|c| c.text.contains("last of the founders")));
    // Events earliest first; relations in words.
    let kinds: Vec<&str> = d.events.iter().map(|e| e.kind.as_str()).collect();
    assert_eq!(kinds, ["travel", "killing"]);
    assert!(d
        .relations
        .iter()
        .any(|r| r.sentence == "Bassam al-Halabi is a sibling of Abu Khalid al-Halabi"));
    assert!(d.relations.iter().any(|r| r.sentence
        == "Abu Khalid al-Halabi is a member of Northern Shield Front (deputy commander)"));
    // Why one person: readable sentences, one per reason plus context.
    assert_eq!(d.identity.merges.len(), 2);
    assert_eq!(d.identity.merges[0].confidence, "high");
    assert!(d.identity.explanation[0].contains("3 documents"));
    assert!(d
        .identity
        .explanation
        .iter()
        .any(|s| s.contains("“أبو خالد الحلبي” (1 document)")));
    assert_eq!(d.documents.len(), 3);
    assert!(ix.dossier("no-such-id").is_none());
}

#[test]
fn document_spans_point_at_their_text_past_astral_characters() {
    let ix = index();
    for doc in &ix.export().documents {
        let v = ix.document(&doc.id).unwrap();
        assert_eq!(v.length, doc.text.chars().count());
        assert!(!v.spans.is_empty());
        for s in &v.spans {
            assert_eq!(chars(&doc.text, s.start, s.end), s.text, "{s:?}");
        }
        assert!(v.spans.windows(2).all(|w| w[0].start <= w[1].start));
    }
    // The profile has an emoji before later mentions: code points, not UTF-16.
    let profile = ix
        .export()
        .documents
        .iter()
        .find(|d| d.text.contains('🦁'))
        .unwrap();
    let v = ix.document(&profile.id).unwrap();
    let after = v
        .spans
        .iter()
        .find(|s| s.layer == "mention" && s.text == "Abu Omar al-Halabi")
        .unwrap();
    let emoji_at = profile.text.chars().position(|c| c == '🦁').unwrap();
    assert!(after.start > emoji_at);
    let layers: std::collections::HashSet<&str> = v.spans.iter().map(|s| s.layer).collect();
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
    assert!(ix.document("../../etc/passwd").is_none());
}

#[test]
fn timeline_filters_by_entity_type_and_range() {
    let ix = index();
    let all = ix.timeline(&TimelineQuery::default()).unwrap();
    assert_eq!(all.total, 6);
    let dates: Vec<Option<&str>> = all
        .items
        .iter()
        .map(|e| e.date.as_ref().and_then(|d| d.value.as_deref()))
        .collect();
    assert_eq!(dates[0], Some("2014"));
    assert_eq!(*dates.last().unwrap(), None, "undated last");

    let q = TimelineQuery {
        from: DateBound::parse("2021"),
        to: DateBound::parse("2021-12"),
        ..Default::default()
    };
    let r = ix.timeline(&q).unwrap();
    assert_eq!(r.items.len(), 1);
    assert_eq!(r.items[0].kind, "arrest");

    // A month-precision date overlaps a range that starts inside the month.
    let q = TimelineQuery {
        from: DateBound::parse("2020-06-20"),
        to: DateBound::parse("2020-07"),
        ..Default::default()
    };
    assert_eq!(ix.timeline(&q).unwrap().items[0].kind, "designation");

    let omar = id_of(&ix, "Abu Omar al-Halabi");
    let q = TimelineQuery {
        entity: Some(omar.clone()),
        ..Default::default()
    };
    let kinds: Vec<String> = ix
        .timeline(&q)
        .unwrap()
        .items
        .into_iter()
        .map(|e| e.kind)
        .collect();
    assert_eq!(kinds, ["designation", "arrest", "trial", "meeting"]);
    let q = TimelineQuery {
        entity: Some(omar),
        kind: Some("trial".into()),
        ..Default::default()
    };
    assert_eq!(ix.timeline(&q).unwrap().total, 1);
    let q = TimelineQuery {
        entity: Some("nope".into()),
        ..Default::default()
    };
    assert!(ix.timeline(&q).is_none());
}

#[test]
fn graph_is_bounded_by_depth_and_size() {
    let ix = index();
    let id = id_of(&ix, "Abu Khalid al-Halabi");
    let g = ix.graph(&id, 1, 50).unwrap();
    assert_eq!(g.nodes[0].id, id);
    let names: Vec<&str> = g.nodes.iter().map(|n| n.name.as_str()).collect();
    for n in [
        "Northern Shield Front",
        "Bassam al-Halabi",
        "Harem",
        "Idlib",
    ] {
        assert!(names.contains(&n), "{n} not in {names:?}");
    }
    assert!(g.nodes.iter().all(|n| n.depth <= 1));
    let ids: std::collections::HashSet<&str> = g.nodes.iter().map(|n| n.id.as_str()).collect();
    for e in &g.edges {
        assert!(ids.contains(e.source.as_str()) && ids.contains(e.target.as_str()));
    }
    let sibling = g.edges.iter().find(|e| e.label == "sibling of").unwrap();
    assert_eq!(sibling.kind, "relation");
    assert!(g
        .edges
        .iter()
        .any(|e| e.kind == "event" && e.label.starts_with("killing")));

    // Two hops reach the other al-Halabi through the Front.
    let g2 = ix.graph(&id, 2, 200).unwrap();
    assert!(g2.nodes.iter().any(|n| n.name == "Abu Omar al-Halabi"));
    assert!(g2.nodes.len() > g.nodes.len());

    let g0 = ix.graph(&id, 0, 50).unwrap();
    assert_eq!(g0.nodes.len(), 1);
    assert!(g0.edges.is_empty());
    let small = ix.graph(&id, 3, 3).unwrap();
    assert_eq!(small.nodes.len(), 3);
    assert!(small.truncated);
    let capped = ix.graph(&id, 99, 99_999).unwrap();
    assert_eq!((capped.depth, capped.limit), (MAX_DEPTH, MAX_GRAPH_NODES));
}

#[test]
fn claims_filters() {
    let ix = index();
    let omar = id_of(&ix, "Abu Omar al-Halabi");
    let q = ClaimQuery {
        entity: Some(omar.clone()),
        ..Default::default()
    };
    assert_eq!(ix.claims(&q).unwrap().total, 5);
    let q = ClaimQuery {
        entity: Some(omar),
        disputed: true,
        ..Default::default()
    };
    let disputed = ix.claims(&q).unwrap();
    assert!(disputed.items.iter().all(|c| !c.contradicts.is_empty()));
    assert_eq!(disputed.total, 5);
    let strike = ix
        .export()
        .events
        .iter()
        .find(|e| e.kind == "killing")
        .unwrap();
    let q = ClaimQuery {
        event: Some(strike.id.clone()),
        ..Default::default()
    };
    assert_eq!(ix.claims(&q).unwrap().total, 3);
    assert_eq!(ix.event(&strike.id).unwrap().claims.len(), 3);
    let q = ClaimQuery {
        event: Some("missing".into()),
        ..Default::default()
    };
    assert!(ix.claims(&q).is_none());
}

#[test]
fn stats_count_everything() {
    let s = index().stats();
    assert_eq!(s.documents, 5);
    assert_eq!(s.entities, 15);
    assert_eq!(s.entities_by_type["PERSON"], 4);
    assert_eq!(s.events, 6);
    assert_eq!(s.claims, 11);
    assert_eq!(s.published_first.as_deref(), Some("2021-11-03"));
    assert_eq!(s.published_last.as_deref(), Some("2022-03-20"));
    assert_eq!(s.problems, 0);
    assert!(s.disputed_claims >= 8);
}

#[test]
fn bad_references_are_reported_and_left_out() {
    let mut x = index().export().clone();
    let doc = x.documents[0].id.clone();
    x.entities.push(Entity {
        id: "broken".into(),
        kind: "PERSON".into(),
        name: "Broken Span".into(),
        aliases: vec![],
        mentions: vec![
            Span {
                doc: doc.clone(),
                start: 5,
                end: 1_000_000,
                text: "x".into(),
                kind: None,
            },
            Span {
                doc: "missing-doc".into(),
                start: 0,
                end: 1,
                text: "x".into(),
                kind: None,
            },
        ],
        descriptions: vec![],
        merges: vec![],
    });
    x.relations[0].object = "ghost".into();
    x.claims[0].contradicts.push("no-such-claim".into());
    let dup = x.entities[0].clone();
    x.entities.push(dup);
    let ix = Index::new(x);
    let problems: Vec<String> = ix.problems().iter().map(|p| p.problem.clone()).collect();
    assert!(
        problems.iter().any(|p| p.contains("does not fit")),
        "{problems:?}"
    );
    assert!(problems.iter().any(|p| p.contains("unknown document")));
    assert!(problems.iter().any(|p| p.contains("unknown entity ghost")));
    assert!(problems.iter().any(|p| p.contains("unknown claim")));
    assert!(problems.iter().any(|p| p.contains("duplicate id")));
    let d = ix.dossier("broken").unwrap();
    assert_eq!(d.names[0].evidence.len(), 0);
    let v = ix.document(&doc).unwrap();
    assert!(v.spans.iter().all(|s| s.end <= v.length));
}

#[test]
fn export_file_errors_name_the_file() {
    let missing = Index::from_export_file(Path::new("/nonexistent/kb.json"));
    let msg = missing.err().unwrap().to_string();
    assert!(msg.contains("/nonexistent/kb.json"), "{msg}");
    let dir = std::env::temp_dir().join(format!("dossier-query-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let bad = dir.join("bad.json");
    std::fs::write(&bad, "{\"documents\": 3}").unwrap();
    let msg = Index::from_export_file(&bad).err().unwrap().to_string();
    assert!(
        msg.contains("bad.json") && msg.contains("not a valid"),
        "{msg}"
    );
    std::fs::remove_dir_all(&dir).ok();
}
