//! Shared helpers for the text-side parity tests: locating the model and the
//! Python reference, building the test corpus, and running `spacy_ref.py`.
#![allow(dead_code)]

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

pub struct Env {
    pub root: PathBuf,
    pub model: PathBuf,
    pub python: PathBuf,
    pub data: PathBuf,
    pub seeds: PathBuf,
}

/// The model dir, the Python venv and the shared data, or None (with a
/// printed reason) when any is missing.
pub fn env() -> Option<Env> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
    let model = root.join("models/en_core_web_sm");
    let python = root.join(".venv/bin/python");
    let shared = root.join("../shared");
    let env = Env {
        data: shared.join("data"),
        seeds: shared.join("corpus/seeds"),
        root,
        model,
        python,
    };
    for (what, p) in [
        ("model dir (run scripts/fetch-model.sh)", &env.model),
        ("Python venv (run scripts/python-env.sh)", &env.python),
        ("shared data", &env.data),
    ] {
        if !p.exists() {
            println!("SKIPPED: {what} not found at {}", p.display());
            return None;
        }
    }
    Some(env)
}

pub struct Doc {
    pub id: String,
    pub text: String,
}

/// Strings written for the tricky cases of spaCy's tokenizer rules.
pub const TRICKY: &[&str] = &[
    "Visit https://www.example.com/path?q=1&b=2, or http://foo.org/a-b_(c).",
    "Mail me at john.doe+news@example.co.uk! Or (jane@ex.org).",
    "I can't, won't, shouldn't've and y'all ain't gonna. Let's go, gotta run.",
    "The U.S. and U.K. met at 5 p.m. on Jan. 5th, e.g. in Washington, D.C.",
    "It cost $10, US$5.50, €20 and £3.4bn; 50% of 9/11-era costs (2001-2002).",
    "He said—then paused–and left… ... .... 10km 5kg 3.5m/s 100mph 20°C.",
    "“Quoted,” she said. ‘Single’ and 'plain' \"double\" ``latex'' quotes.",
    "Emoji 😀👍🏽 and flags 🇺🇸🇫🇷; hearts ❤️ and ★ stars. 👨‍👩‍👧 family.",
    "Multiple   spaces,\ttabs\t\tand\nnewlines\n\n\nand \r\n CRLF.  ",
    "  leading spaces and trailing   ",
    "\n\nstarts with newlines",
    "Arabic: قال الرئيس محمد بن سلمان إن السعودية. Persian ۱۲۳ digits ٤٥٦.",
    "Chinese 北京欢迎你。Japanese 東京は「大きい」です！Korean 서울에서 만나요.",
    "Russian: Москва — столица России. Greek: Αθήνα. Hebrew: ירושלים.",
    "Hindi: नई दिल्ली। Thai: กรุงเทพฯ. Devanagari danda।",
    "Non-breaking\u{a0}space and\u{2009}thin\u{202f}spaces, zero\u{200b}width.",
    "A-B, well-known, 3-4, 10-20, re-elect, x--y, a---b, U.S.-led, pre-2000.",
    "Ratio 3:2, time 10:30, a/b, 1/2, km/h, and/or, 24/7, 1,000,000.5 units.",
    "Hashtags #MeToo and @mentions, C++ and C# and F#; A&M, AT&T, R&D.",
    "Abbrevs: Mr. Smith, Dr. No, Prof. X, Inc., Corp., Ltd., St. Louis, Mt. Fuji.",
    "(Parenthetical (nested) [brackets] {braces}) <angle> «guillemets» „low“.",
    "It's the dog's bone; the dogs' bones. JAMES'S and James’s books.",
    "O'Neill, D'Angelo, rock'n'roll, ma'am, o'clock, '90s, 'tis, ’em.",
    "Numbers: -5, +3, 1e10, 3.14159, 1st 2nd 3rd 4th, ½ ¾, ², 10x, #1.",
    "Phone +1 (555) 123-4567 and IP 192.168.0.1 and 8.8.8.8 and v2.0.1.",
    "File C:\\Users\\me\\doc.txt and /usr/bin/env and ~/home and ./run.sh.",
    "Smileys :) :-( ;) :D <3 :P o_O ^_^ (: :'( -_- =)",
    "ALL CAPS HEADLINE: OBAMA SAYS 'NO'. lower case. MiXeD CaSe. iPhone eBay.",
    "Ellipsis...and dashes--here.And no space.After periods!Really?Yes.",
    "Trailing punctuation!!! ??? ?! !? .,;: ,,, ;;",
    "Accents: café naïve résumé Zürich São Paulo Kraków İstanbul ǅemal.",
    "Combining: e\u{301}te\u{301} and Zalgo ḁ̵̛̠͔ and Devanagari क्षत्रिय.",
    "Control\u{1c}char and\u{85}next line and\u{2028}line sep and\u{2029}para.",
    "Tab\there.\tAnd a tab at the end\t",
    "Quote at end of sentence.\" Next one.' Paren end.) Bracket].",
    "St.-Petersburg, Ph.D., a.m., p.m., i.e., etc., vs., No. 5, Nos. 6-7.",
    "$",
    "",
    " ",
    "  ",
    "\n",
    "a",
    ".",
    "...",
    "U.S.",
    "Mr.",
    "can't",
    "'s",
    "x\n",
    "x \n",
    " \n ",
    "a\u{a0}b",
    "\u{a0}",
    "\t\n",
    "GOOOOOAL!!!! sooooo goooood. 1111111 aaaaa",
    "An extremely long token: supercalifragilisticexpialidociousandthensomemorelettersjustto\
exceedtheonehundredcharacterlimitforshapes and done.",
    "Percent 45% and 45 % and 1.5bn, 20s, 1990s, mid-1990s, 'the 80s'.",
    "Versus: Arsenal 2-1 Chelsea; 6-3, 7-6 (7-4); 4-for-38.",
    "Wikipedia-style [1] citation[23] and note.[citation needed]",
    "Unicode quotes ‚single low‘ and ‹angle› and 「corner」 and 『white』.",
    "Fullwidth ＡＢＣ１２３！？ and halfwidth ｶﾀｶﾅ.",
    "Math: x+y=z, a*b, 2^10, a<b>c, 5±2, ≥ ≤ ≠ → ←.",
    "gonna gotta wanna lemme gimme dunno cannot Cannot CANNOT.",
    "He'd've done it. She'll. We're. They've. I'm. You'd. It'd.",
    "Ain't AIN'T aint Shan't can’t don’t won’t I’m it’s they’re.",
];

/// The parity corpus: seeds, MEANTIME (spaced and de-spaced), Wikigold,
/// CoNLL-2003 testa, and the tricky strings.
pub fn corpus(env: &Env) -> Vec<Doc> {
    let mut docs = Vec::new();
    let mut seeds: Vec<_> = std::fs::read_dir(&env.seeds)
        .map(|rd| rd.filter_map(|e| e.ok()).map(|e| e.path()).collect())
        .unwrap_or_default();
    seeds.sort();
    for p in seeds {
        if let Ok(text) = std::fs::read_to_string(&p) {
            docs.push(Doc {
                id: format!(
                    "seed:{}",
                    p.file_name().unwrap_or_default().to_string_lossy()
                ),
                text,
            });
        }
    }
    let mut xmls = Vec::new();
    collect_files(
        &env.data.join("meantime_en/intra-doc_annotation"),
        "xml",
        &mut xmls,
    );
    xmls.sort();
    for p in &xmls {
        let Ok(xml) = std::fs::read_to_string(p) else {
            continue;
        };
        let sents = meantime_sentences(&xml);
        let name = p
            .file_name()
            .unwrap_or_default()
            .to_string_lossy()
            .to_string();
        let spaced: Vec<String> = sents.iter().map(|s| s.join(" ")).collect();
        docs.push(Doc {
            id: format!("meantime:{name}"),
            text: spaced.join("\n"),
        });
        let natural: Vec<String> = sents.iter().map(|s| detokenize(s)).collect();
        docs.push(Doc {
            id: format!("meantime-detok:{name}"),
            text: natural.join(" "),
        });
    }
    for (prefix, file, max) in [
        ("wikigold", "wikigold/wikigold.conll.txt", 145),
        ("conll-testa", "conll2003/eng.testa", 216),
    ] {
        let Ok(raw) = std::fs::read_to_string(env.data.join(file)) else {
            continue;
        };
        for (i, sents) in conll_docs(&raw).into_iter().take(max).enumerate() {
            let lines: Vec<String> = sents.iter().map(|s| s.join(" ")).collect();
            docs.push(Doc {
                id: format!("{prefix}:{i}"),
                text: lines.join("\n"),
            });
        }
    }
    for (i, t) in TRICKY.iter().enumerate() {
        docs.push(Doc {
            id: format!("tricky:{i}"),
            text: t.to_string(),
        });
    }
    docs
}

fn collect_files(dir: &Path, ext: &str, out: &mut Vec<PathBuf>) {
    let Ok(rd) = std::fs::read_dir(dir) else {
        return;
    };
    for e in rd.filter_map(|e| e.ok()) {
        let p = e.path();
        if p.is_dir() {
            collect_files(&p, ext, out);
        } else if p.extension().is_some_and(|x| x == ext) {
            out.push(p);
        }
    }
}

fn unescape_xml(s: &str) -> String {
    s.replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&apos;", "'")
        .replace("&amp;", "&")
}

fn meantime_sentences(xml: &str) -> Vec<Vec<String>> {
    let mut sents: Vec<Vec<String>> = Vec::new();
    let mut cur_sent = None;
    let mut rest = xml;
    while let Some(i) = rest.find("<token ") {
        rest = &rest[i..];
        let Some(gt) = rest.find('>') else { break };
        let head = &rest[..gt];
        let Some(end) = rest.find("</token>") else {
            break;
        };
        let word = unescape_xml(&rest[gt + 1..end]);
        let sent = head
            .split("sentence=\"")
            .nth(1)
            .and_then(|s| s.split('"').next())
            .map(str::to_string);
        if sent != cur_sent || sents.is_empty() {
            sents.push(Vec::new());
            cur_sent = sent;
        }
        if let Some(last) = sents.last_mut() {
            last.push(word);
        }
        rest = &rest[end + 8..];
    }
    sents
}

/// Joins tokens the way running text is written (no space before closing
/// punctuation, none after opening brackets), to exercise affix splitting.
fn detokenize(tokens: &[String]) -> String {
    let mut out = String::new();
    let mut no_space_next = true;
    for t in tokens {
        let closing = matches!(
            t.as_str(),
            "," | "." | ";" | ":" | ")" | "]" | "?" | "!" | "'s" | "n't" | "%" | "'"
        );
        if !no_space_next && !closing {
            out.push(' ');
        }
        out.push_str(t);
        no_space_next = matches!(t.as_str(), "(" | "[" | "$");
    }
    out
}

fn conll_docs(raw: &str) -> Vec<Vec<Vec<String>>> {
    let mut docs: Vec<Vec<Vec<String>>> = Vec::new();
    let mut sent: Vec<String> = Vec::new();
    for line in raw.lines() {
        if line.starts_with("-DOCSTART-") {
            docs.push(Vec::new());
            continue;
        }
        if line.trim().is_empty() {
            if !sent.is_empty() {
                if docs.is_empty() {
                    docs.push(Vec::new());
                }
                if let Some(d) = docs.last_mut() {
                    d.push(std::mem::take(&mut sent));
                }
            }
            continue;
        }
        if let Some(w) = line.split(' ').next() {
            sent.push(w.to_string());
        }
    }
    if !sent.is_empty() {
        if let Some(d) = docs.last_mut() {
            d.push(sent);
        }
    }
    docs.retain(|d| !d.is_empty());
    docs
}

/// Runs `scripts/python/spacy_ref.py` over `docs`.
pub fn python_ref(env: &Env, docs: &[&Doc], tokens_only: bool) -> Vec<serde_json::Value> {
    let script = env.root.join("scripts/python/spacy_ref.py");
    let mut cmd = Command::new(&env.python);
    cmd.arg(&script);
    if tokens_only {
        cmd.arg("--tokens-only");
    }
    let mut child = cmd
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::inherit())
        .spawn()
        .expect("spawn the Python reference");
    let mut input = String::new();
    for d in docs {
        let line = serde_json::json!({"id": d.id, "text": d.text});
        input.push_str(&line.to_string());
        input.push('\n');
    }
    let mut stdin = child.stdin.take().expect("python stdin");
    let writer = std::thread::spawn(move || stdin.write_all(input.as_bytes()));
    let out = child.wait_with_output().expect("run the Python reference");
    writer
        .join()
        .expect("writer thread")
        .expect("write to the Python reference");
    assert!(out.status.success(), "spacy_ref.py failed");
    let text = String::from_utf8(out.stdout).expect("utf-8 output");
    let refs: Vec<serde_json::Value> = text
        .lines()
        .filter(|l| !l.trim().is_empty())
        .map(|l| serde_json::from_str(l).expect("reference JSON"))
        .collect();
    assert_eq!(refs.len(), docs.len(), "one reference line per document");
    refs
}

/// Byte offset -> code point offset table for `text`.
pub fn char_offsets(text: &str) -> Vec<usize> {
    let mut map = vec![0; text.len() + 1];
    let mut n = 0;
    for (i, c) in text.char_indices() {
        for k in 0..c.len_utf8() {
            map[i + k] = n;
        }
        n += 1;
    }
    map[text.len()] = n;
    map
}
