//! `dossier eval parity`: agreement of the native pipeline with Python
//! spaCy (`en_core_web_sm` 3.8) on the same texts.
//!
//! Texts: the sample corpus (`examples/corpus`, read with the ingest
//! crate), the seed articles (`../shared/corpus/seeds`), and documents from
//! `../shared/data`: MEANTIME articles, the news article bodies of the
//! extraction benchmark, Wikigold and CoNLL-2003 `eng.testa` rebuilt as
//! running text. Tokens are aligned by their character spans;
//! attributes are compared on aligned tokens (a token without a counterpart
//! counts as a mismatch of every attribute), heads by the span of the head
//! token. Entities are compared as (start, end, label) character spans.
//! Fails below 99.9% on any token-level measure or 99.5% on entities.

use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};
use std::time::Instant;

use anyhow::{bail, Context, Result};
use dossier_analyze::pipeline::{EntSpan, MAX_CHUNK_TOKENS};
use dossier_analyze::Pipeline;
use dossier_core::CharIndex;
use rayon::prelude::*;
use serde_json::Value;

use crate::nlp_data::{
    python_path, python_reference, read_articles, read_conll, read_meantime, rebuild, repo_path,
};

#[derive(Debug, clap::Args)]
pub struct Args {
    /// The shared evaluation data.
    #[arg(long, default_value = "../shared/data")]
    pub data: PathBuf,
    /// Use at most this many documents from the shared data (default: all,
    /// about 570).
    #[arg(long)]
    pub limit: Option<usize>,
    /// Python interpreter with spaCy and the model (default: .venv/bin/python).
    #[arg(long)]
    pub python: Option<PathBuf>,
    /// Model directory (default: $DOSSIER_MODEL or models/en_core_web_sm).
    #[arg(long)]
    pub model: Option<PathBuf>,
    /// Examples printed per mismatch kind.
    #[arg(long, default_value_t = 2)]
    pub examples: usize,
    /// Check the NER-only path (`Pipeline::entities`) against Python with
    /// only the NER enabled: tokens and entities.
    #[arg(long)]
    pub ner_only: bool,
    /// Process long texts in chunks of at most this many tokens (default:
    /// the pipeline's limit); small values measure what chunking costs.
    #[arg(long)]
    pub max_chunk_tokens: Option<usize>,
}

const TOKEN_TARGET: f64 = 99.9;
const ENTITY_TARGET: f64 = 99.5;
const FIELDS: &[&str] = &["tag", "pos", "lemma", "head", "dep", "sent_start", "morph"];

pub fn run(args: &Args) -> Result<()> {
    let docs = collect_texts(args)?;
    if docs.is_empty() {
        bail!(
            "no texts found (looked for examples/corpus, the seeds and {})",
            args.data.display()
        );
    }
    let python = python_path(args.python.as_deref())
        .context("no Python reference: run scripts/python-env.sh or pass --python")?;
    let nlp = Pipeline::locate_and_load(args.model.as_deref())?;
    let chars: usize = docs.iter().map(|(_, t)| t.chars().count()).sum();
    println!("parity: {} documents, {} characters", docs.len(), chars);

    let t = Instant::now();
    let extra: &[&str] = if args.ner_only { &["--ner-only"] } else { &[] };
    let reference = python_reference(&python, &docs, extra)?;
    println!("  Python spaCy: {:.1}s", t.elapsed().as_secs_f64());
    let t = Instant::now();
    let ours: Vec<Value> = docs
        .par_iter()
        .map(|(_, text)| {
            let chunk = args.max_chunk_tokens.unwrap_or(MAX_CHUNK_TOKENS);
            if args.ner_only {
                native_entities_record(&nlp, text, chunk)
            } else {
                native_record(&nlp, text, chunk)
            }
        })
        .collect();
    println!("  native:       {:.1}s", t.elapsed().as_secs_f64());

    let fields: &[&'static str] = if args.ner_only { &[] } else { FIELDS };
    let mut report = Report::new(args.examples, fields);
    for ((id, text), (py, rs)) in docs.iter().zip(reference.iter().zip(&ours)) {
        report.compare(id, text, py, rs);
    }
    report.print()
}

/// The documents to compare: (id, text).
fn collect_texts(args: &Args) -> Result<Vec<(String, String)>> {
    let mut docs = Vec::new();
    if let Some(corpus) = repo_path("examples/corpus") {
        let (files, _) = dossier_ingest::discover(&[corpus]);
        for f in files {
            let out = dossier_ingest::read_file(&f, &dossier_ingest::Limits::default());
            for (i, d) in out.docs.into_iter().enumerate() {
                if !d.text.trim().is_empty() {
                    docs.push((format!("corpus/{}#{i}", file_name(&f)), d.text));
                }
            }
        }
    }
    let seeds = args.data.join("../corpus/seeds");
    if let Ok(entries) = std::fs::read_dir(&seeds) {
        let mut files: Vec<PathBuf> = entries.filter_map(|e| e.ok().map(|e| e.path())).collect();
        files.sort();
        for f in files {
            let text = std::fs::read_to_string(&f)
                .with_context(|| format!("cannot read {}", f.display()))?;
            docs.push((format!("seeds/{}", file_name(&f)), text));
        }
    }
    let mut data: Vec<Vec<(String, String)>> = Vec::new();
    let meantime = args.data.join("meantime_en");
    if meantime.is_dir() {
        data.push(read_meantime(&meantime)?);
    }
    let articles = args.data.join("article_extraction_benchmark");
    if articles.is_dir() {
        data.push(read_articles(&articles)?);
    }
    for file in ["wikigold/wikigold.conll.txt", "conll2003/eng.testa"] {
        let path = args.data.join(file);
        if path.is_file() {
            data.push(
                read_conll(&path)?
                    .iter()
                    .map(|d| {
                        let r = rebuild(d);
                        (r.id, r.text)
                    })
                    .collect(),
            );
        }
    }
    // Interleave the sources so that --limit keeps a mix of all three.
    let limit = args.limit.unwrap_or(usize::MAX);
    let mut taken = 0;
    let mut iters: Vec<_> = data.into_iter().map(|v| v.into_iter()).collect();
    'outer: loop {
        let mut any = false;
        for it in iters.iter_mut() {
            if taken >= limit {
                break 'outer;
            }
            if let Some(d) = it.next() {
                docs.push(d);
                taken += 1;
                any = true;
            }
        }
        if !any {
            break;
        }
    }
    Ok(docs)
}

fn file_name(p: &Path) -> String {
    p.file_name()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default()
}

/// Tokens and entities of the NER-only path, in the same JSON shape.
fn native_entities_record(nlp: &Pipeline, text: &str, max_chunk: usize) -> Value {
    let idx = CharIndex::new(text);
    let tokens: Vec<Value> = nlp
        .tokenize(text)
        .iter()
        .map(|t| {
            serde_json::json!({"text": &text[t.start..t.end], "start": idx.char_of_byte(t.start),
                "end": idx.char_of_byte(t.end)})
        })
        .collect();
    let ents = ents_json(&idx, &nlp.entities_chunked(text, max_chunk));
    serde_json::json!({"tokens": tokens, "ents": ents})
}

/// The native analysis in the reference script's JSON shape.
fn native_record(nlp: &Pipeline, text: &str, max_chunk: usize) -> Value {
    let doc = nlp.analyze_chunked(text, max_chunk);
    let idx = CharIndex::new(text);
    let mut starts = vec![false; doc.tokens.len()];
    for s in &doc.sents {
        if let Some(f) = starts.get_mut(s.start) {
            *f = true;
        }
    }
    let tokens: Vec<Value> = doc
        .tokens
        .iter()
        .enumerate()
        .map(|(i, t)| {
            serde_json::json!({
                "text": t.text, "start": idx.char_of_byte(t.start), "end": idx.char_of_byte(t.end),
                "ws": t.whitespace, "tag": t.tag, "pos": t.pos, "lemma": t.lemma, "head": t.head,
                "dep": t.dep, "sent_start": starts[i], "morph": t.morph,
            })
        })
        .collect();
    let ents = ents_json(&idx, &doc.ents);
    serde_json::json!({"tokens": tokens, "ents": ents})
}

/// Entities in the reference script's shape (code-point offsets).
fn ents_json(idx: &CharIndex, ents: &[EntSpan]) -> Vec<Value> {
    ents.iter()
        .map(|e| {
            serde_json::json!({"label": e.label, "start_char": idx.char_of_byte(e.start),
                "end_char": idx.char_of_byte(e.end)})
        })
        .collect()
}

#[derive(Default)]
struct Kind {
    count: usize,
    examples: Vec<String>,
}

struct Report {
    examples: usize,
    fields: &'static [&'static str],
    docs: usize,
    py_tokens: usize,
    rs_tokens: usize,
    aligned: usize,
    agree: BTreeMap<&'static str, usize>,
    kinds: BTreeMap<&'static str, HashMap<String, Kind>>,
    ents_py: usize,
    ents_rs: usize,
    ents_common: usize,
    docs_identical: usize,
}

impl Report {
    fn new(examples: usize, fields: &'static [&'static str]) -> Report {
        Report {
            examples,
            fields,
            docs: 0,
            py_tokens: 0,
            rs_tokens: 0,
            aligned: 0,
            agree: FIELDS.iter().map(|f| (*f, 0)).collect(),
            kinds: BTreeMap::new(),
            ents_py: 0,
            ents_rs: 0,
            ents_common: 0,
            docs_identical: 0,
        }
    }

    fn note(&mut self, field: &'static str, kind: String, example: impl FnOnce() -> String) {
        let k = self
            .kinds
            .entry(field)
            .or_default()
            .entry(kind)
            .or_default();
        k.count += 1;
        if k.examples.len() < self.examples {
            k.examples.push(example());
        }
    }

    fn compare(&mut self, id: &str, text: &str, py: &Value, rs: &Value) {
        self.docs += 1;
        let empty = Vec::new();
        let pt = py["tokens"].as_array().unwrap_or(&empty);
        let rt = rs["tokens"].as_array().unwrap_or(&empty);
        self.py_tokens += pt.len();
        self.rs_tokens += rt.len();
        let span = |t: &Value| {
            (
                t["start"].as_u64().unwrap_or(0),
                t["end"].as_u64().unwrap_or(0),
            )
        };
        let rs_at: HashMap<(u64, u64), usize> =
            rt.iter().enumerate().map(|(j, t)| (span(t), j)).collect();
        let chars: Vec<char> = text.chars().collect();
        let context = |s: u64, e: u64| -> String {
            let (s, e) = (s as usize, e as usize);
            let a = s.saturating_sub(30);
            let b = (e + 30).min(chars.len());
            let before: String = chars[a..s.min(chars.len())].iter().collect();
            let word: String = chars[s.min(chars.len())..e.min(chars.len())]
                .iter()
                .collect();
            let after: String = chars[e.min(chars.len())..b].iter().collect();
            format!(
                "{id}: …{}[{}]{}…",
                before.replace('\n', "⏎"),
                word,
                after.replace('\n', "⏎")
            )
        };
        let mut identical = pt.len() == rt.len();
        for p in pt {
            let (s, e) = span(p);
            let Some(&j) = rs_at.get(&(s, e)) else {
                identical = false;
                let word = p["text"].as_str().unwrap_or("").to_string();
                self.note(
                    "tokens",
                    format!("Python token {word:?} has no native counterpart"),
                    || context(s, e),
                );
                continue;
            };
            self.aligned += 1;
            let r = &rt[j];
            for &field in self.fields {
                let (a, b) = if field == "head" {
                    let head_span = |toks: &Vec<Value>, t: &Value| {
                        toks.get(t["head"].as_u64().unwrap_or(0) as usize).map(span)
                    };
                    (
                        format!("{:?}", head_span(pt, p)),
                        format!("{:?}", head_span(rt, r)),
                    )
                } else {
                    (p[field].to_string(), r[field].to_string())
                };
                if a == b {
                    *self.agree.get_mut(field).unwrap_or(&mut 0) += 1;
                } else {
                    identical = false;
                    let kind = if field == "head" {
                        "different head".to_string()
                    } else {
                        format!("{a} → {b}")
                    };
                    self.note(field, kind, || context(s, e));
                }
            }
        }
        let ents = |v: &Value| -> Vec<(u64, u64, String)> {
            v["ents"]
                .as_array()
                .map(|a| {
                    a.iter()
                        .map(|e| {
                            (
                                e["start_char"].as_u64().unwrap_or(0),
                                e["end_char"].as_u64().unwrap_or(0),
                                e["label"].as_str().unwrap_or("").to_string(),
                            )
                        })
                        .collect()
                })
                .unwrap_or_default()
        };
        let pe = ents(py);
        let re = ents(rs);
        self.ents_py += pe.len();
        self.ents_rs += re.len();
        for e in &pe {
            if re.contains(e) {
                self.ents_common += 1;
                continue;
            }
            identical = false;
            let overlapping = re.iter().find(|r| r.0 < e.1 && e.0 < r.1);
            let kind = match overlapping {
                Some(r) if (r.0, r.1) == (e.0, e.1) => format!("label {} → {}", e.2, r.2),
                Some(r) => format!("boundary differs ({} vs {})", e.2, r.2),
                None => format!("{} missing in native", e.2),
            };
            self.note("entities", kind, || context(e.0, e.1));
        }
        for r in &re {
            if !pe.contains(r) && !pe.iter().any(|e| r.0 < e.1 && e.0 < r.1) {
                identical = false;
                self.note("entities", format!("{} only in native", r.2), || {
                    context(r.0, r.1)
                });
            }
        }
        if identical {
            self.docs_identical += 1;
        }
    }

    fn print(&self) -> Result<()> {
        let pct = |a: usize, b: usize| {
            if b == 0 {
                100.0
            } else {
                100.0 * a as f64 / b as f64
            }
        };
        println!(
            "\n{} documents, {} identical; {} Python tokens, {} native tokens",
            self.docs, self.docs_identical, self.py_tokens, self.rs_tokens
        );
        let mut failed = Vec::new();
        let tok = pct(self.aligned, self.py_tokens.max(self.rs_tokens));
        println!(
            "{:<12} {:>9.3}%  ({} of {})",
            "tokens",
            tok,
            self.aligned,
            self.py_tokens.max(self.rs_tokens)
        );
        if tok < TOKEN_TARGET {
            failed.push(format!("tokens {tok:.3}%"));
        }
        for &field in self.fields {
            let a = self.agree.get(field).copied().unwrap_or(0);
            let v = pct(a, self.py_tokens);
            let gated = field != "morph";
            println!(
                "{:<12} {:>9.3}%  ({} of {}){}",
                field,
                v,
                a,
                self.py_tokens,
                if gated { "" } else { "  (not gated)" }
            );
            if gated && v < TOKEN_TARGET {
                failed.push(format!("{field} {v:.3}%"));
            }
        }
        let ent = pct(2 * self.ents_common, self.ents_py + self.ents_rs);
        println!(
            "{:<12} {:>9.3}%  ({} common; {} Python, {} native)",
            "entities", ent, self.ents_common, self.ents_py, self.ents_rs
        );
        if ent < ENTITY_TARGET {
            failed.push(format!("entities {ent:.3}%"));
        }
        for (field, kinds) in &self.kinds {
            let total: usize = kinds.values().map(|k| k.count).sum();
            println!("\nmismatches in {field}: {total}");
            let mut sorted: Vec<_> = kinds.iter().collect();
            sorted.sort_by(|a, b| b.1.count.cmp(&a.1.count).then(a.0.cmp(b.0)));
            for (kind, k) in sorted {
                println!("  {:>5}  {kind}", k.count);
                for ex in &k.examples {
                    println!("           {ex}");
                }
            }
        }
        println!("\ntargets: token-level ≥ {TOKEN_TARGET}%, entities ≥ {ENTITY_TARGET}%");
        if failed.is_empty() {
            println!("PASS");
            Ok(())
        } else {
            bail!("parity below target: {}", failed.join(", "))
        }
    }
}
