//! Screening on small lists written for these tests (fictional people and
//! companies in the three list formats).

use std::path::{Path, PathBuf};

use dossier_screen::api::{
    handle_match, manifest, parse_queries, reconcile, EntityExample, MatchRequest,
};
use dossier_screen::batch::{self, OutputFormat, ResultLine};
use dossier_screen::entry::{EntityType, ListKind, NameKind, Strength};
use dossier_screen::explain::{Agreement, Explanation, Rule};
use dossier_screen::query::read_jsonl;
use dossier_screen::{load, load_all, ListSpec, Query, Screener};

fn fixture(p: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(p)
}

fn spec(kind: &str, p: &str) -> ListSpec {
    format!("{kind}:{}", fixture(p).display()).parse().unwrap()
}

fn screener() -> Screener {
    let lists = load_all(&[
        spec("ofac", "ofac"),
        spec("un", "un.xml"),
        spec("ftm", "entities.ftm.jsonl"),
    ])
    .unwrap();
    Screener::new(lists).unwrap()
}

#[test]
fn lists_load_typed_with_sources() {
    let ofac = load(&spec("ofac", "ofac/sdn.csv")).unwrap();
    assert_eq!(ofac.entries.len(), 5);
    assert_eq!(ofac.source.files.len(), 3, "{:?}", ofac.source.files);
    let khalil = &ofac.entries[0];
    assert_eq!(khalil.list_id, "101");
    let names: Vec<(&str, NameKind, Strength)> = khalil
        .names
        .iter()
        .map(|n| (n.text.as_str(), n.kind, n.strength))
        .collect();
    assert_eq!(
        names,
        [
            ("KHALIL, Omar Hassan", NameKind::Primary, Strength::Strong),
            ("ABU SARA", NameKind::Alias, Strength::Weak),
            ("SAMIR", NameKind::Alias, Strength::Weak),
            ("AL-BAGHDADI, Abu Yusuf", NameKind::Alias, Strength::Strong),
            ("HALIL, Umar", NameKind::Former, Strength::Strong),
        ]
    );
    assert_eq!(ofac.entries[3].entity_type, EntityType::Vessel);
    assert_eq!(ofac.entries[2].entity_type, EntityType::Organization);
    let un = load(&spec("un", "un.xml")).unwrap();
    assert_eq!(
        un.source.date.map(|d| d.to_string()).as_deref(),
        Some("2021-03-04")
    );
    assert_eq!(un.entries[0].list_id, "QDi.901");
    let ftm = load(&spec("ftm", "entities.ftm.jsonl")).unwrap();
    assert_eq!(ftm.entries.len(), 3, "the Sanction entity is skipped");
    assert_eq!(
        ftm.source.date.map(|d| d.to_string()).as_deref(),
        Some("2023-10-01")
    );
    assert_eq!(ftm.entries[2].entity_type, EntityType::Aircraft);
}

#[test]
fn kunya_alias_matches_on_both_lists_and_is_explained() {
    let s = screener();
    let m = s.screen(&Query::name("Abu Yusuf al-Baghdadi"), 5);
    let hits: Vec<(ListKind, &str, bool)> = m
        .iter()
        .map(|x| (x.list, x.list_id.as_str(), x.is_match))
        .collect();
    assert!(hits.contains(&(ListKind::Ofac, "101", true)), "{hits:?}");
    assert!(hits.contains(&(ListKind::Un, "QDi.901", true)), "{hits:?}");
    // "Abu Yunus al-Baghdadi" (OFAC 102) is another man: not a match.
    assert!(
        !m.iter().any(|x| x.list_id == "102" && x.is_match),
        "{hits:?}"
    );
    let ofac = m.iter().find(|x| x.list_id == "101").unwrap();
    match &ofac.explanation[0] {
        Explanation::MatchedName {
            list_name,
            name_kind,
            ..
        } => {
            assert_eq!(list_name, "AL-BAGHDADI, Abu Yusuf");
            assert_eq!(*name_kind, NameKind::Alias);
        }
        other => panic!("{other:?}"),
    }
    assert!(ofac.explanation.iter().any(|e| matches!(
        e,
        Explanation::PartMatched { rule: Rule::Exact, query_role, .. } if query_role.as_str() == "kunya"
    )));
    let un = m.iter().find(|x| x.list_id == "QDi.901").unwrap();
    let text = un.explanation[0].to_string();
    assert!(text.contains("weak alias"), "{text}");
    assert!(matches!(
        un.explanation.last(),
        Some(Explanation::Entry { .. })
    ));
}

#[test]
fn a_different_kunya_is_not_the_same_man() {
    let s = screener();
    let m = s.screen(&Query::name("Abu Yunus al-Baghdadi"), 5);
    let top = &m[0];
    assert_eq!(top.list_id, "102", "{m:?}");
    assert!(!m.iter().any(|x| x.list_id == "101" && x.is_match), "{m:?}");
}

#[test]
fn order_transliteration_and_script() {
    let s = screener();
    for q in ["Omar Hassan Khalil", "Umar Hasan Khaleel", "عمر حسن خليل"] {
        let m = s.screen(&Query::name(q), 3);
        assert!(
            m.iter().any(|x| x.list_id == "101" && x.is_match),
            "{q}: {m:?}"
        );
    }
}

#[test]
fn dates_and_countries_support_or_contradict() {
    let s = screener();
    let q = Query::from_fields(
        "Omar Hassan Khalil",
        Some("person"),
        Some("1966-03-12"),
        Some("Iraq"),
    )
    .unwrap();
    let with = s.screen(&q, 3);
    let q2 = Query::from_fields("Omar Hassan Khalil", Some("person"), Some("1979"), None).unwrap();
    let against = s.screen_scored(&q2, 3, 0.0);
    let a = with.iter().find(|x| x.list_id == "101").unwrap();
    let b = against.iter().find(|x| x.list_id == "101").unwrap();
    assert!(a.score > b.score, "{} vs {}", a.score, b.score);
    assert!(a.explanation.iter().any(|e| matches!(
        e,
        Explanation::BirthDate {
            agreement: Agreement::AgreesExactly,
            ..
        }
    )));
    let contra = b
        .explanation
        .iter()
        .find(|e| matches!(e, Explanation::BirthDate { .. }))
        .unwrap();
    assert_eq!(
        contra.to_string(),
        "contradicting dates of birth: born 1966-03-12 on the list, 1979 in the query"
    );
}

#[test]
fn organisations_vessels_and_type_contradiction() {
    let s = screener();
    let org = Query::from_fields(
        "Northwind Trading Company",
        Some("organization"),
        None,
        None,
    )
    .unwrap();
    let m = s.screen(&org, 5);
    assert!(
        m.iter().any(|x| x.list_id == "KPe.901" && x.is_match),
        "{m:?}"
    );
    assert!(m.iter().any(|x| x.list_id == "103" && x.is_match), "{m:?}");
    // The same name said to be a person is contradicted by the type.
    let person =
        Query::from_fields("Northwind Trading Company", Some("person"), None, None).unwrap();
    let p = s.screen_scored(&person, 5, 0.0);
    assert!(!p.iter().any(|x| x.list_id == "103" && x.is_match), "{p:?}");
    let v = s.screen(&Query::name("Sea Falcon"), 3);
    assert_eq!(v[0].list_id, "104");
    assert_eq!(v[0].entity_type, EntityType::Vessel);
}

#[test]
fn common_names_alone_do_not_match() {
    let s = screener();
    // "Samir" is a one-word weak alias of OFAC 101.
    let m = s.screen(&Query::name("Samir"), 5);
    assert!(!m.iter().any(|x| x.is_match), "{m:?}");
    let m = s.screen(&Query::name("Jane Doe"), 5);
    assert!(m.is_empty(), "{m:?}");
}

#[test]
fn ftm_entities_screen_with_identifiers() {
    let s = screener();
    let mut q = Query::name("Layla Farouk Haddad");
    q.identifiers.push("LB 445566".into());
    let m = s.screen(&q, 3);
    let top = &m[0];
    assert_eq!(
        (top.list, top.list_id.as_str()),
        (ListKind::Ftm, "fx-person-1")
    );
    assert!(top.is_match);
    assert!(top.explanation.iter().any(|e| matches!(
        e,
        Explanation::Identifier {
            agreement: Agreement::AgreesExactly,
            ..
        }
    )));
}

#[test]
fn batch_json_lines_have_the_documented_shape() {
    let s = screener();
    let input = std::fs::read(fixture("queries.jsonl")).unwrap();
    let mut out = Vec::new();
    let summary = batch::run(&s, read_jsonl(&input[..]), OutputFormat::Json, 5, &mut out).unwrap();
    assert_eq!(summary.queries, 5);
    assert_eq!(summary.refused, 1);
    let text = String::from_utf8(out).unwrap();
    let lines: Vec<serde_json::Value> = text
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(lines.len(), 5);
    let ids: Vec<&str> = lines.iter().map(|l| l["id"].as_str().unwrap()).collect();
    assert_eq!(ids, ["q1", "q2", "q3", "q4", "q5"]);
    let first = &lines[0]["matches"][0];
    for key in ["list", "list_id", "name", "score", "match", "explanation"] {
        assert!(first.get(key).is_some(), "{key} missing in {first}");
    }
    assert!(first["explanation"][0]["text"]
        .as_str()
        .unwrap()
        .contains("matched"));
    // Best first.
    let scores: Vec<f64> = lines[1]["matches"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| m["score"].as_f64().unwrap())
        .collect();
    assert!(scores.windows(2).all(|w| w[0] >= w[1]), "{scores:?}");
    assert!(lines[3]["error"].as_str().unwrap().contains("empty name"));
    let back: ResultLine = serde_json::from_value(lines[0].clone()).unwrap();
    assert_eq!(back.id, "q1");
    // CSV output: a header and one row per match, or one per query without.
    let mut csv = Vec::new();
    batch::run(&s, read_jsonl(&input[..]), OutputFormat::Csv, 5, &mut csv).unwrap();
    let csv = String::from_utf8(csv).unwrap();
    assert!(csv.starts_with("id,rank,list,list_id,name,score,match,explanation,error\n"));
    assert!(csv.lines().any(|l| l.starts_with("q3,,")), "{csv}");
}

#[test]
fn match_endpoint_answers_each_query() {
    let s = screener();
    let req: MatchRequest = serde_json::from_value(serde_json::json!({
        "queries": {
            "a": {"schema": "Person", "properties": {"name": ["Abu Yusuf al-Baghdadi"], "birthDate": ["1966"]}},
            "b": {"schema": "Person", "properties": {"alias": []}},
            "c": {"schema": "Company", "properties": {"name": ["Cedar Crest Holdings"], "jurisdiction": ["lb"]}}
        }
    }))
    .unwrap();
    let resp = handle_match(&s, &req, 3).unwrap();
    let a = &resp.responses["a"];
    assert_eq!(a.status, 200);
    assert!(
        a.results.iter().any(|r| r.id == "ofac:101" && r.is_match),
        "{a:?}"
    );
    assert_eq!(a.results[0].schema, "Person");
    assert_eq!(resp.responses["b"].status, 400);
    let c = &resp.responses["c"];
    assert_eq!(c.results[0].id, "ftm:fx-company-1");
    let json = serde_json::to_value(&resp).unwrap();
    assert!(json["responses"]["a"]["results"][0]["match"].is_boolean());
    let too_many = MatchRequest {
        queries: (0..1001)
            .map(|i| {
                (
                    i.to_string(),
                    EntityExample {
                        schema: "Person".into(),
                        properties: Default::default(),
                    },
                )
            })
            .collect(),
    };
    assert!(handle_match(&s, &too_many, 3).is_err());
}

#[test]
fn openrefine_reconciliation() {
    let s = screener();
    let m = manifest("http://localhost:8080/reconcile/");
    let j = serde_json::to_value(&m).unwrap();
    assert_eq!(
        j["identifierSpace"],
        "http://localhost:8080/reconcile/entry/"
    );
    assert!(j["defaultTypes"].as_array().unwrap().len() >= 2);
    assert!(j["versions"].as_array().unwrap().iter().any(|v| v == "0.2"));
    let queries = parse_queries(
        r#"{"q0": {"query": "Omar Hassan Khalil", "type": "person", "limit": 2,
                   "properties": [{"pid": "birth_date", "v": "1966-03-12"}, {"pid": "country", "v": {"id": "IQ"}}]},
            "q1": {"query": "Nobody Atall"},
            "q2": {"query": "Someone", "properties": [{"pid": "birth_date", "v": "last year"}]}}"#,
    )
    .unwrap();
    let r = reconcile(&s, &queries);
    let q0 = &r["q0"].result;
    assert!(q0.len() <= 2);
    assert!(
        q0.iter().any(|c| c.id == "ofac:101" && c.is_match),
        "{q0:?}"
    );
    assert!(q0[0].score > 50.0 && q0[0].score <= 100.0);
    assert_eq!(q0[0].types[0].id, "person");
    assert!(r["q1"].result.is_empty());
    assert!(r["q2"].error.as_deref().unwrap().contains("birth date"));
    assert!(parse_queries("[1, 2]").is_err());
}
