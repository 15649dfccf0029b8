//! Parity of the tokenizer and lexical attributes with Python spaCy over a
//! corpus of real news text and tricky strings. Runs only where the model,
//! the Python reference venv and the shared data exist.

mod tok_common;

use dossier_analyze::lexeme::Lexicon;
use dossier_analyze::tokenizer::{RawToken, Tokenizer};
use tok_common::{char_offsets, corpus, env, python_ref};

fn tokens_json(text: &str, toks: &[RawToken]) -> Vec<(String, usize, usize, bool)> {
    let co = char_offsets(text);
    toks.iter()
        .map(|t| {
            (
                text[t.start..t.end].to_string(),
                co[t.start],
                co[t.end],
                t.whitespace,
            )
        })
        .collect()
}

#[test]
fn tokenizer_and_lex_attrs_match_spacy() {
    let Some(env) = env() else { return };
    let tok = Tokenizer::load(&env.model).expect("load tokenizer");
    let lex = Lexicon::load(&env.model).expect("load lexicon");
    let docs = corpus(&env);
    let refs = python_ref(&env, &docs.iter().collect::<Vec<_>>(), true);

    let (mut docs_ok, mut toks_total, mut toks_ok) = (0usize, 0usize, 0usize);
    let (mut attrs_total, mut attrs_ok) = (0usize, 0usize);
    let mut failures = Vec::new();
    for (doc, r) in docs.iter().zip(&refs) {
        let ours = tok.tokenize(&doc.text);
        let ours_j = tokens_json(&doc.text, &ours);
        let theirs: Vec<(String, usize, usize, bool)> = r["tokens"]
            .as_array()
            .expect("tokens")
            .iter()
            .map(|t| {
                (
                    t["text"].as_str().unwrap_or_default().to_string(),
                    t["start"].as_u64().unwrap_or(0) as usize,
                    t["end"].as_u64().unwrap_or(0) as usize,
                    t["ws"].as_bool().unwrap_or(false),
                )
            })
            .collect();
        toks_total += theirs.len();
        if ours_j == theirs {
            docs_ok += 1;
            toks_ok += theirs.len();
            let attrs = lex.attrs_all(&doc.text, &ours);
            for (i, (a, t)) in attrs
                .iter()
                .zip(r["tokens"].as_array().expect("tokens"))
                .enumerate()
            {
                attrs_total += 1;
                let want: Vec<u64> = t["attrs"]
                    .as_array()
                    .expect("attrs")
                    .iter()
                    .map(|x| x.as_u64().unwrap_or(u64::MAX))
                    .collect();
                let got = vec![a.norm, a.prefix, a.suffix, a.shape, a.spacy, a.is_space];
                if got == want {
                    attrs_ok += 1;
                } else if failures.len() < 20 {
                    let s = lex.strings(&doc.text, &ours[i]);
                    failures.push(format!(
                        "{} token {i} {:?}: attrs {got:?} != {want:?} (ours {s:?}; spaCy norm {} shape {})",
                        doc.id, ours_j[i].0, t["norm"], t["shape"]
                    ));
                }
            }
        } else {
            // Count tokens up to the first divergence as matching.
            let same = ours_j
                .iter()
                .zip(&theirs)
                .take_while(|(a, b)| a == b)
                .count();
            toks_ok += same;
            if failures.len() < 20 {
                failures.push(format!(
                    "{}: tokens diverge at {same}: ours {:?} spaCy {:?}",
                    doc.id,
                    ours_j.get(same..(same + 4).min(ours_j.len())),
                    theirs.get(same..(same + 4).min(theirs.len()))
                ));
            }
        }
    }
    println!(
        "tokenizer parity: {docs_ok}/{} docs identical, {toks_ok}/{toks_total} tokens before divergence; \
         lex attrs {attrs_ok}/{attrs_total} tokens identical",
        docs.len()
    );
    for f in &failures {
        println!("  {f}");
    }
    assert!(
        failures.is_empty(),
        "{} differences (first shown above)",
        failures.len()
    );
}

/// POS, MORPH and LEMMA from the attribute ruler and lemmatizer, given the
/// tags and dependency labels Python's tagger and parser produced. Runs the
/// full Python pipeline, so by default on every 3rd document (all of them
/// with DOSSIER_TOK_PARITY_ALL=1).
#[test]
fn attribute_ruler_and_lemmatizer_match_spacy() {
    use dossier_analyze::attribute_ruler::{AttributeRuler, TokenAnnot};
    use dossier_analyze::lemmatizer::Lemmatizer;

    let Some(env) = env() else { return };
    let tok = Tokenizer::load(&env.model).expect("load tokenizer");
    let ruler = AttributeRuler::load(&env.model).expect("load attribute ruler");
    let lemmatizer = Lemmatizer::load(&env.model).expect("load lemmatizer");
    let docs = corpus(&env);
    let all = std::env::var("DOSSIER_TOK_PARITY_ALL").is_ok_and(|v| v == "1");
    let subset: Vec<_> = docs
        .iter()
        .enumerate()
        .filter(|(i, d)| {
            all || i % 3 == 0 || d.id.starts_with("tricky") || d.id.starts_with("seed")
        })
        .map(|(_, d)| d)
        .collect();
    let refs = python_ref(&env, &subset, false);

    let (mut total, mut pos_ok, mut morph_ok, mut lemma_ok, mut tag_ok) = (0, 0, 0, 0, 0);
    let mut failures = Vec::new();
    for (doc, r) in subset.iter().zip(&refs) {
        let toks = tok.tokenize(&doc.text);
        let rt = r["tokens"].as_array().expect("tokens");
        assert_eq!(toks.len(), rt.len(), "{}: token count", doc.id);
        let s = |t: &serde_json::Value, k: &str| t[k].as_str().unwrap_or_default().to_string();
        let mut annots: Vec<TokenAnnot> = rt
            .iter()
            .map(|t| TokenAnnot {
                tag: s(t, "tag_pre"),
                dep: s(t, "dep_pre"),
                ..Default::default()
            })
            .collect();
        ruler.apply(&doc.text, &toks, &mut annots);
        lemmatizer.apply(&doc.text, &toks, &mut annots);
        for (i, (a, t)) in annots.iter().zip(rt).enumerate() {
            total += 1;
            let checks = [
                (&a.pos, s(t, "pos"), &mut pos_ok, "pos"),
                (&a.morph, s(t, "morph"), &mut morph_ok, "morph"),
                (&a.lemma, s(t, "lemma"), &mut lemma_ok, "lemma"),
                (&a.tag, s(t, "tag"), &mut tag_ok, "tag"),
            ];
            for (got, want, ok, what) in checks {
                if *got == want {
                    *ok += 1;
                } else if failures.len() < 20 {
                    failures.push(format!(
                        "{} token {i} {:?} ({}/{}): {what} {got:?} != {want:?}",
                        doc.id, t["text"], a.tag, a.dep
                    ));
                }
            }
        }
    }
    println!(
        "ruler/lemmatizer parity over {} docs, {total} tokens: pos {pos_ok}, morph {morph_ok}, lemma {lemma_ok}, tag {tag_ok}",
        subset.len()
    );
    for f in &failures {
        println!("  {f}");
    }
    assert!(
        failures.is_empty(),
        "{} differences (first shown above)",
        failures.len()
    );
}

/// Pseudo-random strings built from rule-sensitive fragments and characters,
/// compared with Python: catches regex translation corner cases that real
/// text rarely reaches.
#[test]
fn random_fragment_strings_match_spacy() {
    let Some(env) = env() else { return };
    let tok = Tokenizer::load(&env.model).expect("load tokenizer");
    let lex = Lexicon::load(&env.model).expect("load lexicon");
    const FRAGMENTS: &[&str] = &[
        " ",
        " ",
        " ",
        "  ",
        "\n",
        "\t",
        "\u{a0}",
        "\r\n",
        ".",
        ",",
        ":",
        ";",
        "!",
        "?",
        "'",
        "\"",
        "’",
        "‘",
        "“",
        "”",
        "(",
        ")",
        "[",
        "]",
        "-",
        "–",
        "—",
        "--",
        "/",
        "$",
        "€",
        "£",
        "%",
        "&",
        "@",
        "#",
        "+",
        "*",
        "^",
        "<",
        ">",
        "=",
        "…",
        "...",
        "°C",
        "°F.",
        "²",
        "km",
        "kg",
        "mph",
        "m/s",
        "'s",
        "n't",
        "'re",
        "'ll",
        "U.S.",
        "Mr.",
        "a.m.",
        "e.g.",
        "can't",
        "don't",
        "ain't",
        "gonna",
        ":)",
        ":-(",
        "<3",
        "http://",
        "https://www.",
        "example.com",
        ".org/",
        "a_b",
        "user@",
        "mail.co.uk",
        "192.168.1.1",
        "8.8.8.8",
        "10",
        "3.5",
        "1,000",
        "9/11",
        "2-1",
        "x",
        "the",
        "The",
        "ABC",
        "word",
        "Word",
        "ß",
        "İ",
        "Σσς",
        "москва",
        "قال",
        "٣٤",
        "北京",
        "😀",
        "👍🏽",
        "e\u{301}",
        "\u{200d}",
        "US$",
        "C$",
        "'90s",
        "o'clock",
        "rock'n'roll",
    ];
    let mut state: u64 = 0x2545_f491_4f6c_dd1d;
    let mut next = move |n: usize| {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        (state % n as u64) as usize
    };
    let docs: Vec<tok_common::Doc> = (0..1500)
        .map(|i| {
            let len = 1 + next(12);
            let mut text = String::new();
            for _ in 0..len {
                // Mostly fragments, sometimes any code point of the BMP or
                // the emoji planes.
                if next(8) == 0 {
                    let cp = if next(2) == 0 {
                        next(0x1_0000)
                    } else {
                        0x1_F000 + next(0x1000)
                    };
                    text.extend(char::from_u32(cp as u32));
                } else {
                    text.push_str(FRAGMENTS[next(FRAGMENTS.len())]);
                }
            }
            tok_common::Doc {
                id: format!("random:{i}"),
                text,
            }
        })
        .collect();
    let refs = python_ref(&env, &docs.iter().collect::<Vec<_>>(), true);
    let mut failures = Vec::new();
    let mut docs_ok = 0;
    for (doc, r) in docs.iter().zip(&refs) {
        let ours = tok.tokenize(&doc.text);
        let ours_j = tokens_json(&doc.text, &ours);
        let rt = r["tokens"].as_array().expect("tokens");
        let theirs: Vec<(String, usize, usize, bool)> = rt
            .iter()
            .map(|t| {
                (
                    t["text"].as_str().unwrap_or_default().to_string(),
                    t["start"].as_u64().unwrap_or(0) as usize,
                    t["end"].as_u64().unwrap_or(0) as usize,
                    t["ws"].as_bool().unwrap_or(false),
                )
            })
            .collect();
        let attrs_same = ours_j == theirs
            && lex
                .attrs_all(&doc.text, &ours)
                .iter()
                .zip(rt)
                .all(|(a, t)| {
                    let want: Vec<u64> = t["attrs"]
                        .as_array()
                        .map(|v| v.iter().map(|x| x.as_u64().unwrap_or(u64::MAX)).collect())
                        .unwrap_or_default();
                    want == [a.norm, a.prefix, a.suffix, a.shape, a.spacy, a.is_space]
                });
        if attrs_same {
            docs_ok += 1;
        } else if failures.len() < 20 {
            failures.push(format!("{:?}: ours {ours_j:?} spaCy {theirs:?}", doc.text));
        }
    }
    println!(
        "random fragment strings: {docs_ok}/{} identical (tokens and attrs)",
        docs.len()
    );
    for f in &failures {
        println!("  {f}");
    }
    assert!(
        failures.is_empty(),
        "{} differences (first shown above)",
        failures.len()
    );
}
