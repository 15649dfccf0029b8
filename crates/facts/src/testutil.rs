//! Parses of the fictional test sentences, cached in `fixtures/parses.jsonl`
//! (Python spaCy `en_core_web_sm` 3.8 output for text written for these
//! tests). A missing parse is an error that says how to add it:
//! `FACTS_REGEN=1 cargo test -p dossier-facts` runs `scripts/python/spacy_ref.py`
//! through the project's reference virtualenv and appends what is missing.

use crate::doc::ParsedDoc;
use crate::reference;
use crate::{extract, DocFacts};
use std::collections::HashMap;
use std::io::Write;
use std::path::PathBuf;
use std::sync::Mutex;

static LOCK: Mutex<()> = Mutex::new(());

fn fixture_path() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("fixtures/parses.jsonl")
}

fn load() -> HashMap<String, String> {
    let mut out = HashMap::new();
    let Ok(s) = std::fs::read_to_string(fixture_path()) else {
        return out;
    };
    for line in s.lines() {
        if let Ok(v) = serde_json::from_str::<serde_json::Value>(line) {
            if let Some(t) = v.get("text").and_then(|t| t.as_str()) {
                out.insert(t.to_string(), line.to_string());
            }
        }
    }
    out
}

fn regenerate(text: &str) -> String {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../..");
    let python = root.join(".venv/bin/python");
    let script = root.join("scripts/python/spacy_ref.py");
    let mut child = std::process::Command::new(python)
        .arg(script)
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .spawn()
        .expect("run the reference spaCy (scripts/python-env.sh)");
    let input = serde_json::json!({"id": "t", "text": text}).to_string() + "\n";
    child
        .stdin
        .take()
        .expect("stdin")
        .write_all(input.as_bytes())
        .expect("write to spaCy");
    let out = child.wait_with_output().expect("spaCy output");
    let line = String::from_utf8(out.stdout).expect("utf-8");
    let mut v: serde_json::Value = serde_json::from_str(line.trim()).expect("spaCy JSON");
    // Keep only what the parse needs.
    let keep = [
        "text",
        "start",
        "end",
        "ws",
        "tag",
        "pos",
        "lemma",
        "head",
        "dep",
        "sent_start",
    ];
    if let Some(toks) = v.get_mut("tokens").and_then(|t| t.as_array_mut()) {
        for t in toks {
            if let Some(o) = t.as_object_mut() {
                o.retain(|k, _| keep.contains(&k.as_str()));
            }
        }
    }
    v["text"] = serde_json::Value::String(text.to_string());
    v.to_string()
}

/// The parse of a test sentence.
pub fn parse(text: &str) -> ParsedDoc {
    let _g = LOCK.lock().unwrap_or_else(|e| e.into_inner());
    let line = match load().remove(text) {
        Some(l) => l,
        None => {
            assert!(
                std::env::var_os("FACTS_REGEN").is_some(),
                "no cached parse for {text:?}: run FACTS_REGEN=1 cargo test -p dossier-facts"
            );
            let line = regenerate(text);
            let path = fixture_path();
            std::fs::create_dir_all(path.parent().expect("fixtures dir")).expect("mkdir");
            let mut f = std::fs::OpenOptions::new()
                .create(true)
                .append(true)
                .open(&path)
                .expect("open fixtures");
            writeln!(f, "{line}").expect("append fixture");
            line
        }
    };
    reference::parse_line(&line, 1, text)
        .expect("fixture parse")
        .parse
}

/// Facts of a test text, with no time expressions beyond the parse's own.
pub fn facts(text: &str) -> DocFacts {
    let p = parse(text);
    extract("test", text, &p, &[])
}

/// (subject, object, role) of the relations of one type, by the entity
/// mention each side names (or its text when none).
pub fn rels(f: &DocFacts, kind: crate::RelationType) -> Vec<(String, String, Option<String>)> {
    let name = |r: &crate::Ref| {
        r.entity
            .as_ref()
            .map(|e| e.text.clone())
            .unwrap_or_else(|| r.span.text.clone())
    };
    f.relations
        .iter()
        .filter(|r| r.kind == kind)
        .map(|r| {
            (
                name(&r.subject),
                r.object.as_ref().map(name).unwrap_or_default(),
                r.role.clone(),
            )
        })
        .collect()
}

/// The entity text a participant names, or its text.
pub fn named(r: &crate::Ref) -> String {
    r.entity
        .as_ref()
        .map(|e| e.text.clone())
        .unwrap_or_else(|| r.span.text.clone())
}
