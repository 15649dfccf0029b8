//! End to end over the sample corpus (`examples/corpus`): ingest, the native
//! language pipeline, time expressions, extraction, cross-document linking.
//! Runs when the model is present (scripts/fetch-model.sh); otherwise says
//! why it was skipped.
//!
//! Entity resolution is another stage; this test stands in for it with
//! exact name matching, where a surname alone means the first person of
//! that surname named in the same document.

use dossier_analyze::pipeline::Pipeline;
use dossier_core::{CharIndex, Document};
use dossier_facts::{facts_of_parse, link, DocFacts, FactSpan};
use std::collections::HashMap;
use std::path::{Path, PathBuf};

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

fn pipeline() -> Option<Pipeline> {
    let dir = root().join("models/en_core_web_sm");
    let explicit = dir.join("meta.json").exists().then_some(dir);
    match Pipeline::locate_and_load(explicit.as_deref()) {
        Ok(p) => Some(p),
        Err(e) => {
            eprintln!("skipped: no model ({e}); run scripts/fetch-model.sh");
            None
        }
    }
}

fn documents() -> Vec<Document> {
    let (files, _) = dossier_ingest::discover(&[root().join("examples/corpus")]);
    let mut docs: Vec<Document> = Vec::new();
    for f in files {
        let out = dossier_ingest::read_file(&f, &dossier_ingest::Limits::default());
        for raw in out.docs {
            let d = raw.into_document();
            if !docs.iter().any(|x| x.id == d.id) {
                docs.push(d);
            }
        }
    }
    docs
}

fn normal(s: &str) -> String {
    s.trim_end_matches("'s")
        .trim_end_matches("’s")
        .trim_start_matches("the ")
        .trim_start_matches("The ")
        .to_lowercase()
}

struct Names {
    /// Per document: the full names of its PERSON mentions, in order.
    persons: HashMap<String, Vec<String>>,
}

impl Names {
    fn entity(&self, doc: &str, span: &FactSpan) -> Option<String> {
        let t = normal(&span.text);
        let name_like = span.text.chars().next()?.is_uppercase()
            || ["al-", "el-", "bin "]
                .iter()
                .any(|p| span.text.starts_with(p));
        if !name_like {
            return None;
        }
        if !t.contains(' ') {
            if let Some(full) = self
                .persons
                .get(doc)
                .and_then(|v| v.iter().find(|p| p.rsplit(' ').next() == Some(t.as_str())))
            {
                return Some(full.clone());
            }
        }
        Some(t)
    }
}

#[test]
fn sample_corpus_end_to_end() {
    let Some(p) = pipeline() else { return };
    let docs = documents();
    assert!(docs.len() >= 7, "sample corpus read: {}", docs.len());
    let mut facts: Vec<DocFacts> = Vec::new();
    let mut persons = HashMap::new();
    for d in &docs {
        let parse = p.analyze(&d.text);
        let names: Vec<String> = parse
            .ents
            .iter()
            .filter(|e| e.label == "PERSON")
            .map(|e| normal(&d.text[e.start..e.end]))
            .collect();
        persons.insert(d.id.clone(), names);
        facts.push(facts_of_parse(d, &parse));
    }
    let names = Names { persons };
    let (events, relations, claims) = link(&facts, |doc, span| names.entity(doc, span));

    // Every piece of evidence points at its text, in code points.
    let text_of: HashMap<&str, &str> = docs
        .iter()
        .map(|d| (d.id.as_str(), d.text.as_str()))
        .collect();
    let check = |doc: &str, start: usize, end: usize, text: &str| {
        let t = text_of[doc];
        let idx = CharIndex::new(t);
        assert_eq!(&t[idx.byte_of_char(start)..idx.byte_of_char(end)], text);
    };
    for e in &events {
        assert!(!e.evidence.is_empty());
        for s in &e.evidence {
            check(&s.doc, s.start, s.end, &s.text);
        }
        let mut d = e.documents.clone();
        d.dedup();
        assert_eq!(d.len(), e.documents.len(), "documents listed once");
    }
    for r in &relations {
        for s in &r.evidence {
            check(&s.doc, s.start, s.end, &s.text);
        }
    }
    for c in &claims {
        check(&c.doc, c.start, c.end, &c.text);
    }
    let mut ids: Vec<&str> = events
        .iter()
        .map(|e| e.id.as_str())
        .chain(claims.iter().map(|c| c.id.as_str()))
        .collect();
    let n = ids.len();
    ids.sort();
    ids.dedup();
    assert_eq!(ids.len(), n, "ids are unique");

    // "Haddad is the son of the Brigade's founder, Omar Haddad" and "Haddad,
    // the son of Omar Haddad": one relation, evidence from both reports.
    let child = relations
        .iter()
        .find(|r| {
            r.kind == "child_of" && r.subject == "youssef haddad" && r.object == "omar haddad"
        })
        .expect("child_of relation");
    let sources: std::collections::BTreeSet<&str> =
        child.evidence.iter().map(|e| e.doc.as_str()).collect();
    assert!(sources.len() >= 2, "{child:?}");

    // "US officials said his father-in-law, Abu Yusuf al-Tunisi, was killed in
    // Syria" and "Bilal Nouri again denied that al-Tunisi had been killed".
    let killing = events
        .iter()
        .find(|e| {
            e.kind == "killing"
                && e.participants
                    .iter()
                    .any(|p| p.role == "victim" && p.entity == "abu yusuf al-tunisi")
        })
        .expect("the killing of al-Tunisi");
    let about: Vec<&dossier_core::Claim> = claims
        .iter()
        .filter(|c| c.about.contains(&killing.id))
        .collect();
    let denial = about
        .iter()
        .find(|c| c.polarity == dossier_core::Polarity::Deny)
        .expect("the denial");
    assert_eq!(denial.speaker.as_deref(), Some("bilal nouri"));
    assert!(about.iter().any(
        |c| c.polarity == dossier_core::Polarity::Assert && denial.contradicts.contains(&c.id)
    ));

    // A reward with its target, and a place inside a country.
    assert!(events.iter().any(|e| e.kind == "reward"
        && e.participants
            .iter()
            .any(|p| p.role == "target" && p.entity == "abu bakr al-tunisi")));
    assert!(relations
        .iter()
        .any(|r| r.kind == "located_in" && r.subject == "sarmada" && r.object == "syria"));
    // Dates are grounded on the publication date: "on Tuesday" in a report
    // of Friday 12 March 2021.
    assert!(events
        .iter()
        .any(|e| e.date.as_ref().and_then(|d| d.value.as_deref()) == Some("2021-03-09")));
}
