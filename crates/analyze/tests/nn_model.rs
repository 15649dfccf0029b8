//! Behaviour of the native pipeline with the real model (no Python needed):
//! odd inputs, long documents processed in chunks, damaged model files.
//! Skipped with a message when the model is not installed.

use std::path::{Path, PathBuf};

use dossier_analyze::{Doc, Pipeline};

fn model() -> Option<PathBuf> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../models/en_core_web_sm");
    if dir.join("config.cfg").exists() {
        Some(dir)
    } else {
        println!(
            "SKIPPED: model not found at {} (run scripts/fetch-model.sh)",
            dir.display()
        );
        None
    }
}

/// Structural invariants every analysis must satisfy.
fn check(text: &str, doc: &Doc) {
    let n = doc.tokens.len();
    let mut pos = 0;
    for (i, t) in doc.tokens.iter().enumerate() {
        assert!(
            t.start >= pos && t.start < t.end && t.end <= text.len(),
            "token {i} offsets"
        );
        assert_eq!(&text[t.start..t.end], t.text);
        assert!(t.head < n, "head of token {i} out of range");
        assert!(
            !t.tag.is_empty() && !t.dep.is_empty(),
            "token {i} unannotated"
        );
        pos = t.end;
    }
    let mut next = 0;
    for s in &doc.sents {
        assert_eq!(s.start, next, "sentences must tile the tokens");
        assert!(s.end > s.start);
        next = s.end;
        for i in s.clone() {
            assert!(s.contains(&doc.tokens[i].head), "head outside its sentence");
        }
        let roots = s.clone().filter(|&i| doc.tokens[i].head == i).count();
        assert!(roots >= 1, "a sentence without a root");
    }
    assert_eq!(next, n);
    let mut last_end = 0;
    for e in &doc.ents {
        assert!(e.start_token >= last_end && e.start_token < e.end_token && e.end_token <= n);
        assert_eq!(e.start, doc.tokens[e.start_token].start);
        assert_eq!(e.end, doc.tokens[e.end_token - 1].end);
        assert!(!e.label.is_empty());
        last_end = e.end_token;
    }
}

#[test]
fn odd_inputs() {
    let Some(dir) = model() else { return };
    let nlp = Pipeline::load(&dir).expect("load");
    for text in [
        "",
        " ",
        "\n\n\n",
        "a",
        "😀",
        "...",
        "\u{0}",
        "A\tB\r\nC",
        "Hello world",
    ] {
        let doc = nlp.analyze(text);
        check(text, &doc);
        let ents = nlp.entities(text);
        assert!(ents.iter().all(|e| e.end <= text.len()));
    }
    assert!(nlp.analyze("").tokens.is_empty());
}

#[test]
fn long_documents_are_chunked_without_losing_offsets() {
    let Some(dir) = model() else { return };
    let nlp = Pipeline::load(&dir).expect("load");
    let para = "Officials in Nairobi said on Monday that heavy rains had displaced \
                thousands of families across western Kenya, and the Red Cross \
                appealed for $2 million in emergency aid.";
    // A small chunk limit keeps the test quick; the logic is the same as
    // for the default limit.
    const MAX: usize = 200;
    let paragraphs = 20;
    let text = vec![para; paragraphs].join("\n\n");
    let doc = nlp.analyze_chunked(&text, MAX);
    assert!(
        doc.tokens.len() > 3 * MAX,
        "the text must need several chunks"
    );
    check(&text, &doc);
    // Chunks end at paragraph breaks and the token vectors see across
    // them, so the analysis is the single-pass one wherever the parser
    // would end a sentence at the break anyway, as it does here.
    let whole = nlp.analyze_chunked(&text, usize::MAX);
    assert_eq!(whole.sents.len(), doc.sents.len());
    assert_eq!(whole, doc);
    let single = nlp.analyze(para);
    let ents_per_para = single.ents.len();
    assert!(ents_per_para >= 3);
    assert!(doc.ents.len() >= ents_per_para * paragraphs * 9 / 10);
    let fast = nlp.entities_chunked(&text, MAX);
    assert!(fast.len() >= ents_per_para * paragraphs * 9 / 10);
}

#[test]
fn damaged_model_files_are_clear_errors() {
    let Some(dir) = model() else { return };
    let tmp = std::env::temp_dir().join(format!("dossier-damaged-model-{}", std::process::id()));
    copy_dir(&dir, &tmp);
    let weights = tmp.join("ner/model");
    let bytes = std::fs::read(&weights).expect("read");
    std::fs::write(&weights, &bytes[..bytes.len() / 2]).expect("truncate");
    let err = Pipeline::load(&tmp).expect_err("a truncated NER model must not load");
    assert!(err.to_string().contains("ner/model"), "{err}");
    std::fs::remove_file(tmp.join("parser/moves")).expect("remove");
    std::fs::write(&weights, &bytes).expect("restore");
    let err = Pipeline::load(&tmp).expect_err("missing moves");
    assert!(err.to_string().contains("parser/moves"), "{err}");
    std::fs::remove_dir_all(&tmp).expect("clean up");
    let err = Pipeline::load(&tmp).expect_err("missing dir");
    assert!(err.to_string().contains("fetch-model.sh"), "{err}");
}

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).expect("mkdir");
    for entry in std::fs::read_dir(from).expect("read dir") {
        let entry = entry.expect("entry");
        let target = to.join(entry.file_name());
        if entry.path().is_dir() {
            copy_dir(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), &target).expect("copy");
        }
    }
}
