//! Parity of the full native pipeline with Python spaCy on a small set of
//! self-written texts. Runs when the model and the Python reference venv
//! exist (scripts/fetch-model.sh, scripts/python-env.sh); otherwise prints
//! why it was skipped.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use dossier_analyze::Pipeline;

const TEXTS: &[&str] = &[
    "The minister of finance, Amina Haddad, said on Tuesday that the government would borrow $4.2 billion from the World Bank before March 2025.",
    "Rebels attacked a convoy near Kandahar early on Sunday, killing at least 12 soldiers, according to a spokesman for the Afghan Ministry of Defence.\n\nThe Taliban denied any involvement.",
    "\"We will not negotiate with terrorists,\" President Joe Biden told reporters at the White House. \"Never.\"",
    "Apple Inc. reported quarterly revenue of $89.5 billion, down 1% year over year, while its shares rose 3.4% in after-hours trading on the Nasdaq.",
    "Dr. Sarah O'Neill, who leads the infectious-disease unit at St. Mary's Hospital in London, warned that the outbreak could spread to Kenya and Uganda within weeks.",
    "On 14 February 2019, a car bomb exploded in Pulwama, India. Forty policemen died. Pakistan rejected India's accusations the next day.",
    "The European Union's foreign policy chief, Josep Borrell, met Iranian officials in Vienna to revive the 2015 nuclear deal (JCPOA).",
    "Shares of Tesla fell 5% after Elon Musk sold about 4.4 million shares worth roughly $3.95 billion, filings with the U.S. Securities and Exchange Commission showed.",
    "Mohammed bin Salman, the crown prince of Saudi Arabia, visited Beijing last week; Chinese state media called the trip \"historic\".",
    "In an interview with the BBC, the former NATO secretary-general Anders Fogh Rasmussen said Ukraine should be allowed to join the alliance.",
    "Flooding in Bangladesh has displaced more than 200,000 people since June 3, the United Nations said in a statement released in Geneva.",
    "Police arrested two men aged 24 and 31 in connection with the robbery, which took place at about 9:30 p.m. on Friday in Manchester.",
    "The Nobel Prize in Literature 2021 was awarded to Abdulrazak Gurnah \"for his uncompromising and compassionate penetration of the effects of colonialism\".",
    "Turnout was 67.3 percent, the highest since 1992, according to the Electoral Commission.  Results are expected by midnight.",
    "Sources close to the negotiations said the deal, worth about €1.5bn, could be signed as early as next month in Brussels or Paris.",
    "Hezbollah fighters fired rockets at northern Israel on Thursday, the Israeli army said, and Israel responded with artillery strikes on southern Lebanon.",
    "The company, founded in 1998 by Larry Page and Sergey Brin, is now part of Alphabet Inc., which employs more than 180,000 people worldwide.",
    "Kim Jong Un oversaw the launch of a new intercontinental ballistic missile, the Hwasong-18, from a site near Pyongyang, KCNA reported.",
    "Ahmed al-Sharif, 45, a teacher from Aleppo, fled to Turkey in 2016 with his wife and three children.\nHe now lives in Gaziantep.",
    "Oil prices climbed above $90 a barrel for the first time since November as OPEC+ agreed to extend production cuts through the end of the year.",
];

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

#[test]
fn full_pipeline_matches_python_spacy() {
    let root = root();
    let model = root.join("models/en_core_web_sm");
    let python = root.join(".venv/bin/python");
    let script = root.join("scripts/python/spacy_ref.py");
    for (what, p) in [
        ("model dir (run scripts/fetch-model.sh)", &model),
        ("Python venv (run scripts/python-env.sh)", &python),
    ] {
        if !p.exists() {
            println!("SKIPPED: {what} not found at {}", p.display());
            return;
        }
    }
    let nlp = Pipeline::load(&model).expect("load the pipeline");

    let mut child = Command::new(&python)
        .arg(&script)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .expect("run spacy_ref.py");
    {
        let mut stdin = child.stdin.take().expect("stdin");
        for (i, t) in TEXTS.iter().enumerate() {
            let line = serde_json::json!({"id": i, "text": t}).to_string();
            writeln!(stdin, "{line}").expect("write");
        }
    }
    let out = child.wait_with_output().expect("spacy_ref.py output");
    assert!(out.status.success(), "spacy_ref.py failed");
    let records: Vec<serde_json::Value> = String::from_utf8_lossy(&out.stdout)
        .lines()
        .map(|l| serde_json::from_str(l).expect("JSON"))
        .collect();
    assert_eq!(records.len(), TEXTS.len());

    let (mut total, mut agree, mut ents_total, mut ents_agree) = (0usize, 0usize, 0usize, 0usize);
    let mut mismatches = Vec::new();
    for (text, rec) in TEXTS.iter().zip(&records) {
        let doc = nlp.analyze(text);
        let py = rec["tokens"].as_array().expect("tokens");
        assert_eq!(
            py.len(),
            doc.tokens.len(),
            "token count differs for {text:?}"
        );
        let cp = |b: usize| text[..b].chars().count() as u64;
        let mut starts = vec![false; doc.tokens.len()];
        for s in &doc.sents {
            starts[s.start] = true;
        }
        for (i, (p, t)) in py.iter().zip(&doc.tokens).enumerate() {
            assert_eq!(
                p["start"].as_u64(),
                Some(cp(t.start)),
                "token offsets in {text:?}"
            );
            assert_eq!(p["text"].as_str(), Some(t.text.as_str()));
            let checks = [
                ("tag", p["tag"].as_str() == Some(t.tag.as_str())),
                ("pos", p["pos"].as_str() == Some(t.pos.as_str())),
                ("lemma", p["lemma"].as_str() == Some(t.lemma.as_str())),
                ("head", p["head"].as_u64() == Some(t.head as u64)),
                ("dep", p["dep"].as_str() == Some(t.dep.as_str())),
                ("sent_start", p["sent_start"].as_bool() == Some(starts[i])),
            ];
            for (name, ok) in checks {
                total += 1;
                if ok {
                    agree += 1;
                } else {
                    mismatches.push(format!("{name} of {:?} in {text:?}", t.text));
                }
            }
        }
        let py_ents: Vec<(u64, u64, String)> = rec["ents"]
            .as_array()
            .expect("ents")
            .iter()
            .map(|e| {
                (
                    e["start_char"].as_u64().unwrap_or(0),
                    e["end_char"].as_u64().unwrap_or(0),
                    e["label"].as_str().unwrap_or("").to_string(),
                )
            })
            .collect();
        let ours: Vec<(u64, u64, String)> = doc
            .ents
            .iter()
            .map(|e| (cp(e.start), cp(e.end), e.label.clone()))
            .collect();
        ents_total += py_ents.len().max(ours.len());
        ents_agree += py_ents.iter().filter(|e| ours.contains(e)).count();
        if py_ents != ours {
            mismatches.push(format!("entities {py_ents:?} vs {ours:?} in {text:?}"));
        }
    }
    for m in &mismatches {
        println!("mismatch: {m}");
    }
    println!("token attributes: {agree}/{total}; entities: {ents_agree}/{ents_total}");
    assert!(total > 2000, "the texts should give a few hundred tokens");
    assert!(
        agree as f64 >= 0.995 * total as f64,
        "token attribute agreement too low"
    );
    assert!(ents_total > 50);
    assert!(
        ents_agree as f64 >= 0.97 * ents_total as f64,
        "entity agreement too low"
    );
}

#[test]
fn entities_only_path_matches_python_ner_only() {
    let root = root();
    let model = root.join("models/en_core_web_sm");
    let python = root.join(".venv/bin/python");
    if !model.exists() || !python.exists() {
        println!("SKIPPED: model or Python venv missing");
        return;
    }
    let nlp = Pipeline::load(&model).expect("load the pipeline");
    let mut child = Command::new(&python)
        .arg(root.join("scripts/python/spacy_ref.py"))
        .arg("--ner-only")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .expect("run spacy_ref.py");
    {
        let mut stdin = child.stdin.take().expect("stdin");
        for t in TEXTS {
            writeln!(stdin, "{}", serde_json::json!({"text": t})).expect("write");
        }
    }
    let out = child.wait_with_output().expect("output");
    assert!(out.status.success());
    let mut same = 0;
    for (text, line) in TEXTS
        .iter()
        .zip(String::from_utf8_lossy(&out.stdout).lines())
    {
        let rec: serde_json::Value = serde_json::from_str(line).expect("JSON");
        let cp = |b: usize| text[..b].chars().count() as u64;
        let py: Vec<(u64, u64, String)> = rec["ents"]
            .as_array()
            .expect("ents")
            .iter()
            .map(|e| {
                (
                    e["start_char"].as_u64().unwrap_or(0),
                    e["end_char"].as_u64().unwrap_or(0),
                    e["label"].as_str().unwrap_or("").to_string(),
                )
            })
            .collect();
        let ours: Vec<(u64, u64, String)> = nlp
            .entities(text)
            .iter()
            .map(|e| (cp(e.start), cp(e.end), e.label.clone()))
            .collect();
        if py == ours {
            same += 1;
        } else {
            println!("NER-only differs for {text:?}: {py:?} vs {ours:?}");
        }
    }
    assert!(
        same + 1 >= TEXTS.len(),
        "{same} of {} texts agree",
        TEXTS.len()
    );
}
