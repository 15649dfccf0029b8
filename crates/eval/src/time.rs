//! `dossier eval time`: TimeML time expressions scored as in TempEval-3.
//!
//! Data: TimeBank + AQUAINT (`tempeval3/TBAQ-cleaned`, TimeML `.tml`, the
//! DCT is the TIMEX3 with `functionInDocument="CREATION_TIME"` and only the
//! `<TEXT>` part is scored) and MEANTIME (`meantime_en/intra-doc_annotation`,
//! CAT XML over tokens; only the first sentences of each article are
//! annotated, so the text is rebuilt from the tokens of those sentences, one
//! line per sentence, and every TIMEX3 anchored to tokens is scored, the
//! dateline included).
//!
//! Measures (TempEval-3): strict span P/R/F1 (exact extent), relaxed span
//! P/R/F1 (overlap, one-to-one), type and value accuracy over the relaxed
//! matches, and type/value F1 (a relaxed match whose attribute is right is
//! a hit; P over system expressions, R over gold ones).
//!
//! Tokens: our own language pipeline (`dossier-analyze`) by default;
//! `--plain` uses the tagger's plain tokenizer (its fallback without a
//! pipeline); `--python` uses Python spaCy's annotations (the model the Rust
//! pipeline reimplements) computed once by `scripts/python/spacy_ref.py` and
//! cached — for development, as it is faster than a debug build. `--heideltime` also runs
//! HeidelTime (news mode, same text, same DCT) through
//! `scripts/heideltime.sh` and scores it with the same scorer.

use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use crate::metrics::prf;
use anyhow::{bail, Context, Result};
use dossier_core::parse::{Doc, EntSpan, Token};
use dossier_core::{CharIndex, Date};
use dossier_time::Timex;

#[derive(Debug, clap::Args)]
pub struct Args {
    /// The shared data directory.
    #[arg(long, default_value = "../shared/data")]
    pub data: PathBuf,
    /// Tokens, tags, parse and entities from Python spaCy (cached) instead
    /// of our own Rust pipeline (`dossier-analyze`, the same model).
    #[arg(long, conflicts_with = "plain")]
    pub python: bool,
    /// Plain tokens (white space and punctuation) instead of the pipeline:
    /// the tagger's fallback when no analysis is at hand.
    #[arg(long)]
    pub plain: bool,
    /// The spaCy model directory for the Rust pipeline (default: located as
    /// `dossier build` does).
    #[arg(long)]
    pub model: Option<PathBuf>,
    /// Also run and score HeidelTime (standalone, news mode).
    #[arg(long)]
    pub heideltime: bool,
    /// Only this corpus: `tbaq` or `meantime`.
    #[arg(long)]
    pub corpus: Option<String>,
    /// Hide the DCT from our tagger (to check the no-DCT behaviour).
    #[arg(long)]
    pub no_dct: bool,
    /// Print up to N of our errors (missed, spurious, wrong value).
    #[arg(long, default_value_t = 0)]
    pub errors: usize,
    /// Cache for spaCy and HeidelTime outputs.
    #[arg(long, default_value = "/tmp/dossier-time-cache")]
    pub cache: PathBuf,
    /// The repository root (for `scripts/`).
    #[arg(long, default_value = ".")]
    pub repo: PathBuf,
}

/// A gold or system expression: byte span, type and value.
#[derive(Debug, Clone, PartialEq)]
pub struct Mention {
    pub start: usize,
    pub end: usize,
    pub kind: String,
    pub value: String,
}

#[derive(Debug, Clone)]
pub struct GoldDoc {
    pub corpus: &'static str,
    pub id: String,
    pub text: String,
    pub dct: Option<Date>,
    pub gold: Vec<Mention>,
}

/// The parse of one text: the seam where the language pipeline plugs in.
pub type Annotation = Doc;

fn unescape(s: &str) -> String {
    if !s.contains('&') {
        return s.to_string();
    }
    let mut out = String::with_capacity(s.len());
    let mut rest = s;
    while let Some(p) = rest.find('&') {
        out.push_str(&rest[..p]);
        rest = &rest[p..];
        let Some(semi) = rest.find(';').filter(|&q| q <= 10) else {
            out.push('&');
            rest = &rest[1..];
            continue;
        };
        let ent = &rest[1..semi];
        let ch = match ent {
            "amp" => Some('&'),
            "lt" => Some('<'),
            "gt" => Some('>'),
            "quot" => Some('"'),
            "apos" => Some('\''),
            _ => ent
                .strip_prefix("#x")
                .and_then(|h| u32::from_str_radix(h, 16).ok())
                .or_else(|| ent.strip_prefix('#').and_then(|d| d.parse().ok()))
                .and_then(char::from_u32),
        };
        match ch {
            Some(c) => {
                out.push(c);
                rest = &rest[semi + 1..];
            }
            None => {
                out.push('&');
                rest = &rest[1..];
            }
        }
    }
    out.push_str(rest);
    out
}

/// `name="value"` pairs of a start tag.
type Attrs = Vec<(String, String)>;

/// `name="value"` pairs of a start tag's inside.
pub(crate) fn attrs(tag: &str) -> Attrs {
    let mut out = Vec::new();
    let mut rest = tag;
    while let Some(eq) = rest.find("=\"") {
        let name = rest[..eq]
            .rsplit(|c: char| c.is_whitespace())
            .next()
            .unwrap_or("")
            .to_string();
        let after = &rest[eq + 2..];
        let Some(close) = after.find('"') else { break };
        out.push((name, unescape(&after[..close])));
        rest = &after[close + 1..];
    }
    out
}

pub(crate) fn attr<'a>(a: &'a [(String, String)], name: &str) -> &'a str {
    a.iter()
        .find(|(n, _)| n == name)
        .map_or("", |(_, v)| v.as_str())
}

fn dct_of(value: &str) -> Option<Date> {
    let v = value.get(..10).unwrap_or(value);
    Date::parse_iso(v).or_else(|| {
        // "19980108", and one MEANTIME DCT written "03-02-2009" (day first,
        // as its dateline "February 03, 2009" shows).
        if let (Some(d), Some(m), Some(y)) = (v.get(..2), v.get(3..5), v.get(6..10)) {
            if v.len() == 10 && &v[2..3] == "-" && &v[5..6] == "-" {
                return Date::ymd(y.parse().ok()?, m.parse().ok()?, d.parse().ok()?);
            }
        }
        let (y, m, d) = (v.get(..4)?, v.get(4..6)?, v.get(6..8)?);
        Date::ymd(y.parse().ok()?, m.parse().ok()?, d.parse().ok()?)
    })
}

/// One TimeML document: the `<TEXT>` content with tags removed, its TIMEX3s
/// and the DCT.
pub fn parse_timeml(id: &str, raw: &str) -> Result<GoldDoc> {
    let mut dct = None;
    if let Some(p) = raw.find("functionInDocument=\"CREATION_TIME\"") {
        let start = raw[..p].rfind('<').unwrap_or(0);
        let end = raw[p..].find('>').map_or(raw.len(), |e| p + e);
        dct = dct_of(attr(&attrs(&raw[start..end]), "value"));
    }
    let body_start = raw
        .find("<TEXT>")
        .with_context(|| format!("{id}: no <TEXT>"))?
        + "<TEXT>".len();
    let body_end = raw[body_start..]
        .find("</TEXT>")
        .map(|e| body_start + e)
        .with_context(|| format!("{id}: no </TEXT>"))?;
    let body = &raw[body_start..body_end];
    let mut text = String::new();
    let mut gold = Vec::new();
    let mut open: Option<(usize, Vec<(String, String)>)> = None;
    let mut rest = body;
    while let Some(lt) = rest.find('<') {
        text.push_str(&unescape(&rest[..lt]));
        let gt = rest[lt..]
            .find('>')
            .map(|g| lt + g)
            .with_context(|| format!("{id}: unclosed tag"))?;
        let tag = &rest[lt + 1..gt];
        if let Some(inner) = tag.strip_prefix("TIMEX3") {
            let a = attrs(inner);
            if !tag.ends_with('/') {
                open = Some((text.len(), a));
            }
        } else if tag == "/TIMEX3" {
            if let Some((start, a)) = open.take() {
                // Spans exclude surrounding white space, as offsets do.
                let span = &text[start..];
                let lead = span.len() - span.trim_start().len();
                let trail = span.len() - span.trim_end().len();
                if start + lead < text.len() - trail {
                    gold.push(Mention {
                        start: start + lead,
                        end: text.len() - trail,
                        kind: attr(&a, "type").to_string(),
                        value: attr(&a, "value").to_string(),
                    });
                }
            }
        }
        rest = &rest[gt + 1..];
    }
    text.push_str(&unescape(rest));
    Ok(GoldDoc {
        corpus: "tbaq",
        id: id.to_string(),
        text,
        dct,
        gold,
    })
}

/// Whether no space goes between two MEANTIME tokens.
fn glued(prev: &str, next: &str) -> bool {
    matches!(
        next,
        "," | "."
            | ":"
            | ";"
            | "!"
            | "?"
            | ")"
            | "]"
            | "%"
            | "'s"
            | "'"
            | "n't"
            | "'re"
            | "'ve"
            | "'ll"
            | "'d"
            | "'m"
            | "''"
    ) || matches!(prev, "(" | "[" | "$" | "``" | "US$")
}

/// Byte spans of MEANTIME tokens by `t_id`.
pub(crate) type TokenSpans = std::collections::HashMap<String, (usize, usize)>;

/// A MEANTIME CAT document's text rebuilt from its tokens (one line per
/// sentence, up to sentence `last_sentence_kept`) and each token's byte
/// span by `t_id`.
pub(crate) fn meantime_text(
    id: &str,
    raw: &str,
    last_sentence_kept: usize,
) -> Result<(String, TokenSpans)> {
    let mut text = String::new();
    let mut spans = TokenSpans::new();
    let mut last_sentence = None;
    let mut prev_tok = String::new();
    let mut rest = raw;
    while let Some(p) = rest.find("<token ") {
        rest = &rest[p..];
        let gt = rest
            .find('>')
            .with_context(|| format!("{id}: unclosed token"))?;
        let a = attrs(&rest[..gt]);
        let close = rest
            .find("</token>")
            .with_context(|| format!("{id}: unclosed token"))?;
        let word = unescape(&rest[gt + 1..close]);
        rest = &rest[close..];
        let sentence = attr(&a, "sentence").to_string();
        if sentence.parse::<usize>().unwrap_or(0) > last_sentence_kept {
            break;
        }
        if last_sentence.as_ref().is_some_and(|s| *s != sentence) {
            text.push('\n');
        } else if !text.is_empty() && !glued(&prev_tok, &word) {
            text.push(' ');
        }
        last_sentence = Some(sentence);
        let start = text.len();
        text.push_str(&word);
        spans.insert(attr(&a, "t_id").to_string(), (start, text.len()));
        prev_tok = word;
    }
    Ok((text, spans))
}

/// One MEANTIME CAT document: text rebuilt from tokens, TIMEX3s, DCT.
pub fn parse_meantime(id: &str, raw: &str) -> Result<GoldDoc> {
    // Only the first sentences of each article are annotated: keep the text
    // up to the last sentence that holds any markable.
    let sentence_of: std::collections::HashMap<String, usize> = {
        let mut m = std::collections::HashMap::new();
        let mut rest = raw;
        while let Some(p) = rest.find("<token ") {
            rest = &rest[p..];
            let gt = rest
                .find('>')
                .with_context(|| format!("{id}: unclosed token"))?;
            let a = attrs(&rest[..gt]);
            m.insert(
                attr(&a, "t_id").to_string(),
                attr(&a, "sentence").parse().unwrap_or(0),
            );
            rest = &rest[gt..];
        }
        m
    };
    let markables = raw.find("<Markables>").map_or("", |p| &raw[p..]);
    let mut last_annotated = 0;
    let mut r = markables;
    while let Some(q) = r.find("t_id=\"") {
        r = &r[q + 6..];
        let e = r.find('"').unwrap_or(r.len());
        last_annotated = last_annotated.max(sentence_of.get(&r[..e]).copied().unwrap_or(0));
    }
    let (text, spans) = meantime_text(id, raw, last_annotated)?;
    let mut gold = Vec::new();
    let mut dct = None;
    let mut rest = raw;
    while let Some(p) = rest.find("<TIMEX3") {
        rest = &rest[p..];
        let gt = rest
            .find('>')
            .with_context(|| format!("{id}: unclosed TIMEX3"))?;
        let head = &rest[..gt];
        let a = attrs(head);
        if attr(&a, "functionInDocument") == "CREATION_TIME" {
            dct = dct_of(attr(&a, "value"));
        }
        if head.ends_with('/') {
            rest = &rest[gt..];
            continue;
        }
        let close = rest
            .find("</TIMEX3>")
            .with_context(|| format!("{id}: unclosed TIMEX3"))?;
        let inner = &rest[gt..close];
        let mut ids = Vec::new();
        let mut r = inner;
        while let Some(q) = r.find("t_id=\"") {
            r = &r[q + 6..];
            let e = r.find('"').unwrap_or(r.len());
            ids.push(r[..e].to_string());
        }
        let offs: Vec<(usize, usize)> = ids.iter().filter_map(|i| spans.get(i).copied()).collect();
        if let (Some(s), Some(e)) = (
            offs.iter().map(|o| o.0).min(),
            offs.iter().map(|o| o.1).max(),
        ) {
            gold.push(Mention {
                start: s,
                end: e,
                kind: attr(&a, "type").to_string(),
                value: attr(&a, "value").to_string(),
            });
        }
        rest = &rest[close..];
    }
    gold.sort_by_key(|m| (m.start, m.end));
    Ok(GoldDoc {
        corpus: "meantime",
        id: id.to_string(),
        text,
        dct,
        gold,
    })
}

fn files_with(dir: &Path, ext: &str) -> Result<Vec<PathBuf>> {
    let mut out = Vec::new();
    for entry in fs::read_dir(dir).with_context(|| format!("cannot read {}", dir.display()))? {
        let path = entry?.path();
        if path.is_dir() {
            out.extend(files_with(&path, ext)?);
        } else if path.extension().is_some_and(|e| e == ext) {
            out.push(path);
        }
    }
    out.sort();
    Ok(out)
}

pub fn load(data: &Path, corpus: Option<&str>) -> Result<Vec<GoldDoc>> {
    if let Some(c) = corpus.filter(|c| !matches!(*c, "tbaq" | "meantime")) {
        bail!("unknown corpus {c:?}: use tbaq or meantime");
    }
    let mut docs = Vec::new();
    if corpus.is_none_or(|c| c == "tbaq") {
        let dir = data.join("tempeval3/TBAQ-cleaned");
        for sub in ["TimeBank", "AQUAINT"] {
            for f in files_with(&dir.join(sub), "tml")? {
                let raw = fs::read_to_string(&f)
                    .with_context(|| format!("cannot read {}", f.display()))?;
                let id = f
                    .file_stem()
                    .map_or_else(String::new, |s| s.to_string_lossy().into_owned());
                docs.push(parse_timeml(&id, &raw).with_context(|| format!("in {}", f.display()))?);
            }
        }
    }
    if corpus.is_none_or(|c| c == "meantime") {
        for f in files_with(&data.join("meantime_en/intra-doc_annotation"), "xml")? {
            let raw =
                fs::read_to_string(&f).with_context(|| format!("cannot read {}", f.display()))?;
            let id = f
                .file_stem()
                .map_or_else(String::new, |s| s.to_string_lossy().into_owned());
            docs.push(parse_meantime(&id, &raw).with_context(|| format!("in {}", f.display()))?);
        }
    }
    if docs.is_empty() {
        bail!("no documents found under {}", data.display());
    }
    Ok(docs)
}

/// TempEval-3 counts for one system.
#[derive(Debug, Default, Clone, Copy)]
pub struct Scores {
    pub gold: usize,
    pub system: usize,
    pub strict: usize,
    pub relaxed: usize,
    pub type_ok: usize,
    pub value_ok: usize,
}

impl Scores {
    pub fn add(&mut self, o: &Scores) {
        self.gold += o.gold;
        self.system += o.system;
        self.strict += o.strict;
        self.relaxed += o.relaxed;
        self.type_ok += o.type_ok;
        self.value_ok += o.value_ok;
    }
    pub fn strict_prf(&self) -> (f64, f64, f64) {
        prf(self.strict, self.system, self.gold)
    }
    pub fn relaxed_prf(&self) -> (f64, f64, f64) {
        prf(self.relaxed, self.system, self.gold)
    }
    pub fn type_f1(&self) -> f64 {
        prf(self.type_ok, self.system, self.gold).2
    }
    pub fn value_f1(&self) -> f64 {
        prf(self.value_ok, self.system, self.gold).2
    }
    pub fn type_acc(&self) -> f64 {
        if self.relaxed == 0 {
            0.0
        } else {
            self.type_ok as f64 / self.relaxed as f64
        }
    }
    pub fn value_acc(&self) -> f64 {
        if self.relaxed == 0 {
            0.0
        } else {
            self.value_ok as f64 / self.relaxed as f64
        }
    }
}

/// Relaxed one-to-one alignment: each gold expression takes the unmatched
/// system expression that overlaps it most. Returns (gold, system) pairs.
pub fn align(gold: &[Mention], sys: &[Mention]) -> Vec<(usize, usize)> {
    let mut used = vec![false; sys.len()];
    let mut pairs = Vec::new();
    for (gi, g) in gold.iter().enumerate() {
        let best = sys
            .iter()
            .enumerate()
            .filter(|(si, s)| !used[*si] && s.start < g.end && g.start < s.end)
            .max_by_key(|(si, s)| (s.end.min(g.end) - s.start.max(g.start), usize::MAX - si));
        if let Some((si, _)) = best {
            used[si] = true;
            pairs.push((gi, si));
        }
    }
    pairs
}

pub fn score(gold: &[Mention], sys: &[Mention]) -> Scores {
    let mut s = Scores {
        gold: gold.len(),
        system: sys.len(),
        ..Scores::default()
    };
    s.strict = gold
        .iter()
        .filter(|g| sys.iter().any(|x| x.start == g.start && x.end == g.end))
        .count();
    for (gi, si) in align(gold, sys) {
        let (g, x) = (&gold[gi], &sys[si]);
        s.relaxed += 1;
        s.type_ok += usize::from(g.kind == x.kind);
        s.value_ok += usize::from(g.value.trim() == x.value.trim());
    }
    s
}

fn to_mentions(found: &[Timex]) -> Vec<Mention> {
    found
        .iter()
        .map(|t| Mention {
            start: t.start,
            end: t.end,
            kind: t.kind.as_str().to_string(),
            value: t.value.clone().unwrap_or_default(),
        })
        .collect()
}

fn hash_texts(docs: &[GoldDoc], salt: &str) -> String {
    let mut parts: Vec<&str> = vec![salt];
    for d in docs {
        parts.push(&d.id);
        parts.push(&d.text);
    }
    fnv(&parts)
}

/// Python spaCy annotations of every text, computed once and cached.
fn python_annotations(args: &Args, docs: &[GoldDoc]) -> Result<Vec<Annotation>> {
    fs::create_dir_all(&args.cache)
        .with_context(|| format!("cannot create {}", args.cache.display()))?;
    let out_path = args
        .cache
        .join(format!("spacy-{}.jsonl", hash_texts(docs, "spacy")));
    if !out_path.exists() {
        let python = args.repo.join(".venv/bin/python");
        let script = args.repo.join("scripts/python/spacy_ref.py");
        eprintln!(
            "running {} on {} texts (cached in {})",
            script.display(),
            docs.len(),
            out_path.display()
        );
        let mut input = String::new();
        for d in docs {
            input.push_str(&serde_json::to_string(
                &serde_json::json!({"id": d.id, "text": d.text}),
            )?);
            input.push('\n');
        }
        let mut child = Command::new(&python)
            .arg(&script)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .spawn()
            .with_context(|| format!("cannot run {}", python.display()))?;
        let mut stdin = child.stdin.take().context("no stdin")?;
        let writer = std::thread::spawn(move || stdin.write_all(input.as_bytes()));
        let output = child.wait_with_output()?;
        writer
            .join()
            .map_err(|_| anyhow::anyhow!("writer thread failed"))??;
        if !output.status.success() {
            bail!("spacy_ref.py failed with {}", output.status);
        }
        fs::write(&out_path, &output.stdout)?;
    }
    let raw = fs::read_to_string(&out_path)?;
    let mut out = Vec::new();
    for (line, d) in raw.lines().zip(docs) {
        out.push(
            from_spacy_json(&d.text, line).with_context(|| {
                format!("{}: bad spaCy record for {}", out_path.display(), d.id)
            })?,
        );
    }
    if out.len() != docs.len() {
        bail!(
            "{}: {} records for {} texts",
            out_path.display(),
            out.len(),
            docs.len()
        );
    }
    Ok(out)
}

/// Converts one `spacy_ref.py` record (code-point offsets) to a parse.
pub fn from_spacy_json(text: &str, line: &str) -> Result<Annotation> {
    let v: serde_json::Value = serde_json::from_str(line)?;
    let idx = CharIndex::new(text);
    let toks = v["tokens"].as_array().context("no tokens")?;
    let mut tokens = Vec::with_capacity(toks.len());
    let mut sents = Vec::new();
    let mut sent_start = 0;
    for (i, t) in toks.iter().enumerate() {
        let num = |k: &str| {
            t[k].as_u64()
                .map(|x| x as usize)
                .with_context(|| format!("token {i}: no {k}"))
        };
        let s = |k: &str| t[k].as_str().unwrap_or("").to_string();
        if i > 0 && t["sent_start"].as_bool() == Some(true) {
            sents.push(sent_start..i);
            sent_start = i;
        }
        let (start, end) = (
            idx.byte_of_char(num("start")?),
            idx.byte_of_char(num("end")?),
        );
        tokens.push(Token {
            text: text.get(start..end).unwrap_or("").to_string(),
            start,
            end,
            tag: s("tag"),
            lemma: s("lemma"),
            head: num("head")?,
            dep: s("dep"),
            ..Token::default()
        });
    }
    if sent_start < tokens.len() {
        sents.push(sent_start..tokens.len());
    }
    let mut ents = Vec::new();
    for e in v["ents"].as_array().into_iter().flatten() {
        let (Some(s), Some(en)) = (e["start"].as_u64(), e["end"].as_u64()) else {
            continue;
        };
        let (s, en) = (s as usize, (en as usize).min(tokens.len()));
        if s >= en {
            continue;
        }
        ents.push(EntSpan {
            start_token: s,
            end_token: en,
            start: tokens[s].start,
            end: tokens[en - 1].end,
            label: e["label"].as_str().unwrap_or("").to_string(),
        });
    }
    Ok(Doc {
        tokens,
        sents,
        ents,
    })
}

/// Strips HeidelTime's TIMEX3 tags from its TimeML output and maps the
/// expressions back onto `text` (white space may differ at the edges).
pub fn parse_heideltime(text: &str, tml: &str) -> Vec<Mention> {
    let body = match (tml.find("<TimeML>"), tml.rfind("</TimeML>")) {
        (Some(s), Some(e)) if s + 8 <= e => &tml[s + 8..e],
        _ => tml,
    };
    // Plain text of the output with the spans of its tags.
    let mut plain = String::new();
    let mut found: Vec<(usize, usize, Attrs)> = Vec::new();
    let mut rest = body;
    let mut open: Option<(usize, Attrs)> = None;
    loop {
        let next_open = rest.find("<TIMEX3 ");
        let next_close = rest.find("</TIMEX3>");
        let (p, is_open) = match (next_open, next_close) {
            (Some(o), Some(c)) if o < c => (o, true),
            (_, Some(c)) => (c, false),
            (Some(o), None) => (o, true),
            (None, None) => break,
        };
        plain.push_str(&rest[..p]);
        if is_open {
            let gt = rest[p..].find('>').map_or(rest.len(), |g| p + g);
            open = Some((plain.len(), attrs(&rest[p..gt])));
            rest = rest.get(gt + 1..).unwrap_or("");
        } else {
            if let Some((s, a)) = open.take() {
                found.push((s, plain.len(), a));
            }
            rest = &rest[p + "</TIMEX3>".len()..];
        }
    }
    plain.push_str(rest);
    // Align plain output characters to the input, skipping white space
    // differences.
    let out: Vec<(usize, char)> = plain.char_indices().collect();
    let inp: Vec<(usize, char)> = text.char_indices().collect();
    let mut map = vec![usize::MAX; plain.len() + 1];
    let (mut i, mut j) = (0, 0);
    while i < out.len() && j < inp.len() {
        if out[i].1 == inp[j].1 {
            map[out[i].0] = inp[j].0;
            i += 1;
            j += 1;
        } else if out[i].1.is_whitespace() {
            i += 1;
        } else if inp[j].1.is_whitespace() {
            j += 1;
        } else {
            // Unexpected change: skip the output character.
            i += 1;
        }
    }
    let mut mentions = Vec::new();
    for (s, e, a) in found {
        let start = (s..e).map(|k| map[k]).find(|&m| m != usize::MAX);
        let last = (s..e)
            .rev()
            .find(|&k| map[k] != usize::MAX && plain.is_char_boundary(k));
        if let (Some(start), Some(last)) = (start, last) {
            let end = text[map[last]..]
                .chars()
                .next()
                .map_or(map[last], |c| map[last] + c.len_utf8());
            mentions.push(Mention {
                start,
                end,
                kind: attr(&a, "type").to_string(),
                value: attr(&a, "value").to_string(),
            });
        }
    }
    mentions
}

/// Stable 64-bit FNV-1a hash, for cache file names.
fn fnv(parts: &[&str]) -> String {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for p in parts {
        for b in p.bytes().chain([0xff]) {
            h ^= u64::from(b);
            h = h.wrapping_mul(0x0100_0000_01b3);
        }
    }
    format!("{h:016x}")
}

/// HeidelTime's output per document, cached by text and DCT so that only
/// new or changed documents are run.
fn heideltime_outputs(args: &Args, docs: &[GoldDoc]) -> Result<Vec<Vec<Mention>>> {
    let base = args.cache.join("heideltime");
    let (in_dir, out_dir) = (base.join("in"), base.join("out"));
    fs::create_dir_all(&out_dir)?;
    let _ = fs::remove_dir_all(&in_dir);
    fs::create_dir_all(&in_dir)?;
    let dct_of = |d: &GoldDoc| d.dct.filter(|x| x.day.is_some()).map(|x| x.to_string());
    let names: Vec<String> = docs
        .iter()
        .map(|d| fnv(&[&d.text, &dct_of(d).unwrap_or_default()]))
        .collect();
    let mut missing = 0;
    for (d, name) in docs.iter().zip(&names) {
        if out_dir.join(format!("{name}.tml")).exists() {
            continue;
        }
        missing += 1;
        fs::write(in_dir.join(format!("{name}.txt")), &d.text)?;
        if let Some(dct) = dct_of(d) {
            fs::write(in_dir.join(format!("{name}.dct")), dct)?;
        }
    }
    if missing > 0 {
        let script = args.repo.join("scripts/heideltime.sh");
        eprintln!(
            "running HeidelTime on {missing} texts (cached in {})",
            out_dir.display()
        );
        let status = Command::new("bash")
            .arg(&script)
            .arg(&in_dir)
            .arg(&out_dir)
            .stderr(Stdio::null())
            .status()
            .with_context(|| format!("cannot run {}", script.display()))?;
        if !status.success() {
            bail!("{} failed with {status}", script.display());
        }
    }
    let mut out = Vec::new();
    for (d, name) in docs.iter().zip(&names) {
        let path = out_dir.join(format!("{name}.tml"));
        let tml =
            fs::read_to_string(&path).with_context(|| format!("cannot read {}", path.display()))?;
        out.push(parse_heideltime(&d.text, &tml));
    }
    Ok(out)
}

fn print_row(name: &str, s: &Scores) {
    let (sp, sr, sf) = s.strict_prf();
    let (rp, rr, rf) = s.relaxed_prf();
    println!(
        "{name:<22} {:>5} {:>5} | {:.3} {:.3} {:.3} | {:.3} {:.3} {:.3} | {:.3} {:.3} | {:.3} {:.3}",
        s.gold,
        s.system,
        sp,
        sr,
        sf,
        rp,
        rr,
        rf,
        s.type_acc(),
        s.type_f1(),
        s.value_acc(),
        s.value_f1()
    );
}

/// Gold expressions HeidelTime gets right (span overlap and value) and we
/// do not, for looking into our errors.
fn print_worse(doc: &GoldDoc, ours: &[Mention], theirs: &[Mention], budget: &mut usize) {
    let po = align(&doc.gold, ours);
    let pt = align(&doc.gold, theirs);
    let dct = doc.dct.map_or_else(|| "-".to_string(), |d| d.to_string());
    for (gi, g) in doc.gold.iter().enumerate() {
        if *budget == 0 {
            return;
        }
        let o = po.iter().find(|p| p.0 == gi).map(|p| &ours[p.1]);
        let t = pt.iter().find(|p| p.0 == gi).map(|p| &theirs[p.1]);
        let ok = |m: Option<&Mention>| m.is_some_and(|m| m.value == g.value);
        if ok(t) && !ok(o) {
            let s = doc.text[..g.start]
                .char_indices()
                .rev()
                .nth(50)
                .map_or(0, |(i, _)| i);
            let e = doc.text[g.end..]
                .char_indices()
                .nth(30)
                .map_or(doc.text.len(), |(i, _)| g.end + i);
            println!(
                "WORSE {} [{dct}] gold {:?} {} / ours {:?} | {}",
                doc.id,
                &doc.text[g.start..g.end],
                g.value,
                o.map(|m| (
                    doc.text.get(m.start..m.end).unwrap_or("?"),
                    m.value.as_str()
                )),
                doc.text[s..e].replace('\n', " ")
            );
            *budget -= 1;
        }
    }
}

fn print_errors(doc: &GoldDoc, sys: &[Mention], budget: &mut usize) {
    let pairs = align(&doc.gold, sys);
    let snippet = |m: &Mention| {
        doc.text
            .get(m.start..m.end)
            .unwrap_or("?")
            .replace('\n', " ")
    };
    let context = |m: &Mention| {
        let s = doc.text[..m.start]
            .char_indices()
            .rev()
            .nth(40)
            .map_or(0, |(i, _)| i);
        let e = doc.text[m.end..]
            .char_indices()
            .nth(40)
            .map_or(doc.text.len(), |(i, _)| m.end + i);
        doc.text[s..e].replace('\n', " ")
    };
    let dct = doc.dct.map_or_else(|| "-".to_string(), |d| d.to_string());
    for (gi, g) in doc.gold.iter().enumerate() {
        if *budget == 0 {
            return;
        }
        match pairs.iter().find(|p| p.0 == gi) {
            None => {
                println!(
                    "MISS  {} [{dct}] {:?} {} {}  | {}",
                    doc.id,
                    snippet(g),
                    g.kind,
                    g.value,
                    context(g)
                );
                *budget -= 1;
            }
            Some(&(_, si)) => {
                let x = &sys[si];
                if x.value != g.value || x.kind != g.kind || x.start != g.start || x.end != g.end {
                    println!(
                        "DIFF  {} [{dct}] gold {:?} {} {} / ours {:?} {} {}  | {}",
                        doc.id,
                        snippet(g),
                        g.kind,
                        g.value,
                        snippet(x),
                        x.kind,
                        x.value,
                        context(g)
                    );
                    *budget -= 1;
                }
            }
        }
    }
    for (si, x) in sys.iter().enumerate() {
        if *budget == 0 {
            return;
        }
        if !pairs.iter().any(|p| p.1 == si) {
            println!(
                "EXTRA {} [{dct}] {:?} {} {}  | {}",
                doc.id,
                snippet(x),
                x.kind,
                x.value,
                context(x)
            );
            *budget -= 1;
        }
    }
}

pub fn run(args: &Args) -> Result<()> {
    let docs = load(&args.data, args.corpus.as_deref())?;
    let annotations: Vec<Annotation> = if args.python {
        python_annotations(args, &docs)?
    } else if !args.plain {
        let nlp = dossier_analyze::Pipeline::locate_and_load(args.model.as_deref())?;
        docs.iter().map(|d| nlp.analyze(&d.text)).collect()
    } else {
        docs.iter()
            .map(|d| dossier_time::plain_tokens(&d.text))
            .collect()
    };
    let ours: Vec<Vec<Mention>> = docs
        .iter()
        .zip(&annotations)
        .map(|(d, parse)| {
            let dct = if args.no_dct { None } else { d.dct };
            to_mentions(&dossier_time::tag(&d.text, parse, dct))
        })
        .collect();
    let theirs = if args.heideltime {
        Some(heideltime_outputs(args, &docs)?)
    } else {
        None
    };

    let mut budget = args.errors;
    for (k, (d, sys)) in docs.iter().zip(&ours).enumerate() {
        match &theirs {
            Some(t) => print_worse(d, sys, &t[k], &mut budget),
            None => print_errors(d, sys, &mut budget),
        }
    }
    let tokens = if args.python {
        "Python spaCy tokens"
    } else if !args.plain {
        "Rust pipeline tokens"
    } else {
        "plain tokens"
    };
    println!(
        "TempEval-3 style scores ({tokens}; strict/relaxed span P R F1, type acc F1, value acc F1)"
    );
    println!(
        "{:<22} {:>5} {:>5} | {:<17} | {:<17} | {:<11} | {:<11}",
        "corpus / system",
        "gold",
        "sys",
        "strict P R F1",
        "relaxed P R F1",
        "type acc F1",
        "value acc F1"
    );
    for corpus in ["tbaq", "meantime", "all"] {
        let mut mine = Scores::default();
        let mut ht = Scores::default();
        let mut any = false;
        for (k, d) in docs.iter().enumerate() {
            if corpus != "all" && d.corpus != corpus {
                continue;
            }
            any = true;
            mine.add(&score(&d.gold, &ours[k]));
            if let Some(t) = &theirs {
                ht.add(&score(&d.gold, &t[k]));
            }
        }
        if !any {
            continue;
        }
        print_row(&format!("{corpus} dossier"), &mine);
        if theirs.is_some() {
            print_row(&format!("{corpus} heideltime"), &ht);
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn m(start: usize, end: usize, kind: &str, value: &str) -> Mention {
        Mention {
            start,
            end,
            kind: kind.into(),
            value: value.into(),
        }
    }

    #[test]
    fn timeml_text_and_offsets() {
        let raw = "<DCT><TIMEX3 tid=\"t0\" type=\"DATE\" value=\"1998-08-07\" functionInDocument=\"CREATION_TIME\">1998-08-07</TIMEX3></DCT>\n<TEXT>\nA &amp; B <EVENT eid=\"e1\">met</EVENT> <TIMEX3 tid=\"t1\" type=\"DATE\" value=\"1998-08-07\">Friday</TIMEX3>.\n</TEXT>";
        let d = parse_timeml("x", raw).unwrap();
        assert_eq!(d.dct, Date::ymd(1998, 8, 7));
        assert_eq!(d.text, "\nA & B met Friday.\n");
        assert_eq!(d.gold, vec![m(11, 17, "DATE", "1998-08-07")]);
    }

    #[test]
    fn meantime_text_from_tokens() {
        let raw = r#"<Document><token t_id="1" sentence="0">Sales</token><token t_id="2" sentence="0">fell</token><token t_id="3" sentence="1">Today</token><token t_id="4" sentence="1">,</token><token t_id="5" sentence="1">now</token>
<Markables><TIMEX3 m_id="9" type="DATE" value="2013-12-10" functionInDocument="CREATION_TIME"><token_anchor t_id="3"/></TIMEX3><TIMEX3 m_id="10" type="DATE" value="PRESENT_REF" functionInDocument="NONE"><token_anchor t_id="5"/></TIMEX3><TIMEX3 m_id="11" TAG_DESCRIPTOR="x" type="DATE" value="1980"/></Markables></Document>"#;
        let d = parse_meantime("y", raw).unwrap();
        assert_eq!(d.text, "Sales fell\nToday, now");
        assert_eq!(d.dct, Date::ymd(2013, 12, 10));
        assert_eq!(
            d.gold,
            vec![
                m(11, 16, "DATE", "2013-12-10"),
                m(18, 21, "DATE", "PRESENT_REF")
            ]
        );
    }

    #[test]
    fn scoring_strict_relaxed_and_values() {
        let gold = vec![
            m(0, 10, "DATE", "2020"),
            m(20, 25, "DURATION", "P2Y"),
            m(40, 45, "DATE", "2020-08"),
        ];
        let sys = vec![
            m(0, 10, "DATE", "2020"),
            m(18, 25, "DURATION", "P3Y"),
            m(60, 70, "DATE", "2021"),
        ];
        let s = score(&gold, &sys);
        assert_eq!((s.strict, s.relaxed, s.type_ok, s.value_ok), (1, 2, 2, 1));
        assert!((s.relaxed_prf().2 - 2.0 / 3.0).abs() < 1e-9);
        assert!((s.value_acc() - 0.5).abs() < 1e-9);
    }

    #[test]
    fn heideltime_output_maps_back_to_input() {
        let text = "He came on Tuesday & left <b> last August.";
        let tml = "<?xml version=\"1.0\"?>\n<!DOCTYPE TimeML SYSTEM \"TimeML.dtd\">\n<TimeML>\nHe came on <TIMEX3 tid=\"t1\" type=\"DATE\" value=\"2021-01-12\">Tuesday</TIMEX3> & left <b> <TIMEX3 tid=\"t2\" type=\"DATE\" value=\"2020-08\">last August</TIMEX3>.\n</TimeML>\n";
        let found = parse_heideltime(text, tml);
        assert_eq!(
            found,
            vec![
                m(11, 18, "DATE", "2021-01-12"),
                m(30, 41, "DATE", "2020-08")
            ]
        );
    }
}
