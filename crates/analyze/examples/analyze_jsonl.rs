//! Reads JSONL `{"id", "text"}` on stdin and writes the native analysis as
//! JSONL in the shape of `scripts/python/spacy_ref.py`'s output (offsets in
//! code points), for ad-hoc comparisons.
//! Usage: cargo run --release -p dossier-analyze --example analyze_jsonl [MODEL_DIR] < in.jsonl

use std::io::{BufRead, Write};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let dir = std::env::args().nth(1).map(std::path::PathBuf::from);
    let nlp = dossier_analyze::Pipeline::locate_and_load(dir.as_deref())?;
    let stdout = std::io::stdout();
    let mut out = stdout.lock();
    for line in std::io::stdin().lock().lines() {
        let line = line?;
        if line.trim().is_empty() {
            continue;
        }
        let rec: serde_json::Value = serde_json::from_str(&line)?;
        let text = rec["text"].as_str().unwrap_or_default();
        let doc = nlp.analyze(text);
        let idx = dossier_core::CharIndex::new(text);
        let cp = |b: usize| idx.char_of_byte(b);
        let mut sent_starts = vec![false; doc.tokens.len()];
        for s in &doc.sents {
            if let Some(f) = sent_starts.get_mut(s.start) {
                *f = true;
            }
        }
        let tokens: Vec<serde_json::Value> = doc
            .tokens
            .iter()
            .enumerate()
            .map(|(i, t)| {
                serde_json::json!({
                    "text": t.text, "start": cp(t.start), "end": cp(t.end), "ws": t.whitespace,
                    "tag": t.tag, "pos": t.pos, "lemma": t.lemma, "head": t.head, "dep": t.dep,
                    "sent_start": sent_starts[i], "morph": t.morph,
                })
            })
            .collect();
        let ents: Vec<serde_json::Value> = doc
            .ents
            .iter()
            .map(|e| {
                serde_json::json!({"start": e.start_token, "end": e.end_token, "label": e.label,
                    "start_char": cp(e.start), "end_char": cp(e.end)})
            })
            .collect();
        let rec = serde_json::json!({"id": rec.get("id"), "tokens": tokens, "ents": ents});
        writeln!(out, "{rec}")?;
    }
    Ok(())
}
