//! `dossier eval claims`: attribution (source, cue, content) against PolNeAR
//! (`polnear/data/{dev,train}`), as in attribution-extraction work (Pareti
//! 2016; Newell et al. 2018): span precision/recall/F1 per field, with exact
//! and overlap matching, and attribution-level matching (cue and content
//! both overlap).
//!
//! - Gold: each `E` line of the brat standoff; fields are the `Source`,
//!   `Cue` and `Content` spans (possibly discontinuous). Documents annotated
//!   by several annotators are scored against the first annotation file in
//!   name order, so each text counts once.
//! - Ours: every claim of `dossier-facts` (quotes and reported speech,
//!   including beliefs) that is not nested inside another claim's content
//!   (PolNeAR is univocal: a token belongs to one attribution at most):
//!   source = the speaker phrase, cue = the cue words, content = the
//!   statement's parts. A quotation that continues the previous claim
//!   without a cue of its own counts as more content of that claim.
//! - Baseline: a reporting verb (say, tell, claim, ... 18 verbs) with a
//!   clausal complement: source = its subject phrase, cue = the verb,
//!   content = the complement.
//! - Exact match compares the extents (first to last character of the
//!   fragments) after trimming spaces and edge punctuation and quote marks;
//!   overlap match needs one shared character. Matching is one-to-one,
//!   largest overlap first.
//!
//! PolNeAR annotates attributions of every kind (speech, thought, intention,
//! perception, "touts", "endorsed"); Dossier extracts statements and
//! beliefs only, which bounds recall.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::time::Instant;

use anyhow::{bail, Context, Result};
use dossier_core::CharIndex;
use dossier_facts::ParsedDoc;

use crate::events::{Parser, ParserArgs, Prf};

#[derive(Debug, clap::Args)]
pub struct Args {
    /// The shared data directory.
    #[arg(long, default_value = "../shared/data")]
    pub data: PathBuf,
    /// `dev` (default) or `train` (for development only).
    #[arg(long, default_value = "dev")]
    pub split: String,
    #[command(flatten)]
    pub parser: ParserArgs,
    /// Only the first N documents.
    #[arg(long)]
    pub limit: Option<usize>,
    /// Print gold attributions we miss and claims that match nothing.
    #[arg(long)]
    pub misses: bool,
}

/// Fragments of one field, in code points.
type Spans = Vec<(usize, usize)>;

#[derive(Debug, Clone, Default)]
struct Attribution {
    source: Spans,
    cue: Spans,
    content: Spans,
}

struct Doc {
    id: String,
    text: String,
    gold: Vec<Attribution>,
}

fn parse_ann(path: &Path) -> Result<Vec<Attribution>> {
    let s = std::fs::read_to_string(path).with_context(|| format!("{}", path.display()))?;
    let mut spans: BTreeMap<String, (String, Spans)> = BTreeMap::new();
    let mut rels: Vec<Vec<(String, String)>> = Vec::new();
    for (n, line) in s.lines().enumerate() {
        let cols: Vec<&str> = line.split('\t').collect();
        if cols.len() < 2 {
            continue;
        }
        if cols[0].starts_with('T') {
            let mut head = cols[1].splitn(2, ' ');
            let label = head.next().unwrap_or("").to_string();
            let ranges = head.next().unwrap_or("");
            let mut frags = Vec::new();
            for r in ranges.split(';') {
                let mut it = r.split_whitespace().map(str::parse::<usize>);
                match (it.next(), it.next()) {
                    (Some(Ok(a)), Some(Ok(b))) if a <= b => frags.push((a, b)),
                    _ => bail!("{}:{}: bad span {r:?}", path.display(), n + 1),
                }
            }
            spans.insert(cols[0].to_string(), (label, frags));
        } else if cols[0].starts_with('E') {
            let parts = cols[1]
                .split_whitespace()
                .filter_map(|p| p.split_once(':'))
                .map(|(a, b)| (a.to_string(), b.to_string()))
                .collect();
            rels.push(parts);
        }
    }
    let mut out = Vec::new();
    for parts in rels {
        let mut a = Attribution::default();
        for (role, t) in parts {
            let Some((_, frags)) = spans.get(&t) else {
                continue;
            };
            match role.as_str() {
                "Source" => a.source = frags.clone(),
                "Cue" => a.cue = frags.clone(),
                "Content" => a.content = frags.clone(),
                _ => {}
            }
        }
        if !a.cue.is_empty() || !a.content.is_empty() {
            out.push(a);
        }
    }
    Ok(out)
}

fn load(dir: &Path, limit: Option<usize>) -> Result<Vec<Doc>> {
    let texts = dir.join("text");
    let anns = dir.join("attributions");
    let mut ann_files: Vec<PathBuf> = std::fs::read_dir(&anns)
        .with_context(|| format!("{}", anns.display()))?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "ann"))
        .collect();
    ann_files.sort();
    let mut docs: Vec<Doc> = Vec::new();
    for ann in ann_files {
        let stem = ann.file_stem().and_then(|s| s.to_str()).unwrap_or("");
        // "name_ef2d" → "name": the suffix names the annotator.
        let Some((name, _)) = stem.rsplit_once('_') else {
            continue;
        };
        if docs.iter().any(|d| d.id == name) {
            continue;
        }
        if limit.is_some_and(|l| docs.len() >= l) {
            break;
        }
        let tp = texts.join(format!("{name}.txt"));
        let text = std::fs::read_to_string(&tp).with_context(|| format!("{}", tp.display()))?;
        let gold = parse_ann(&ann)?;
        let n = text.chars().count();
        for a in &gold {
            for &(s, e) in a.source.iter().chain(&a.cue).chain(&a.content) {
                if e > n || s > e {
                    bail!(
                        "{}: span {s}..{e} outside the text ({n} chars)",
                        ann.display()
                    );
                }
            }
        }
        docs.push(Doc {
            id: name.to_string(),
            text,
            gold,
        });
    }
    Ok(docs)
}

fn extent(s: &Spans) -> Option<(usize, usize)> {
    Some((s.iter().map(|x| x.0).min()?, s.iter().map(|x| x.1).max()?))
}

/// An extent without surrounding spaces, punctuation and quote marks.
fn trimmed(chars: &[char], s: &Spans) -> Option<(usize, usize)> {
    let (mut a, mut b) = extent(s)?;
    let junk = |c: char| c.is_whitespace() || ",.;:!?\"'“”‘’`()-–—".contains(c);
    while a < b && chars.get(a).is_some_and(|&c| junk(c)) {
        a += 1;
    }
    while b > a && chars.get(b - 1).is_some_and(|&c| junk(c)) {
        b -= 1;
    }
    Some((a, b))
}

fn overlap(a: &Spans, b: &Spans) -> usize {
    let mut n = 0;
    for &(s1, e1) in a {
        for &(s2, e2) in b {
            n += e1.min(e2).saturating_sub(s1.max(s2));
        }
    }
    n
}

/// One-to-one matching: pairs that pass `ok`, largest overlap first.
fn match_count(pred: &[&Spans], gold: &[&Spans], ok: impl Fn(&Spans, &Spans) -> bool) -> usize {
    let mut pairs: Vec<(usize, usize, usize)> = Vec::new();
    for (i, p) in pred.iter().enumerate() {
        for (j, g) in gold.iter().enumerate() {
            if ok(p, g) {
                pairs.push((overlap(p, g), i, j));
            }
        }
    }
    one_to_one(pairs, pred.len(), gold.len())
}

/// How many (overlap, predicted, gold) pairs can be taken with each side
/// used once, largest overlap first (ties in the order given).
fn one_to_one(pairs: Vec<(usize, usize, usize)>, preds: usize, golds: usize) -> usize {
    matched_pairs(pairs, preds, golds).len()
}

/// The (predicted, gold) pairs [`one_to_one`] takes.
fn matched_pairs(
    mut pairs: Vec<(usize, usize, usize)>,
    preds: usize,
    golds: usize,
) -> Vec<(usize, usize)> {
    pairs.sort_by_key(|p| std::cmp::Reverse(p.0));
    let (mut pu, mut gu) = (vec![false; preds], vec![false; golds]);
    let mut out = Vec::new();
    for (_, i, j) in pairs {
        if !pu[i] && !gu[j] {
            pu[i] = true;
            gu[j] = true;
            out.push((i, j));
        }
    }
    out
}

#[derive(Default)]
struct Table {
    rows: BTreeMap<&'static str, Prf>,
    /// Source accuracy over matched attributions: (right, matched).
    accuracy: (usize, usize),
}

impl Table {
    fn add(&mut self, name: &'static str, tp: usize, pred: usize, gold: usize) {
        self.rows.entry(name).or_default().add(Prf {
            tp_pred: tp,
            tp_gold: tp,
            pred,
            gold,
        });
    }
}

fn score(doc: &Doc, pred: &[Attribution], t: &mut Table) {
    let chars: Vec<char> = doc.text.chars().collect();
    let exact = |a: &Spans, b: &Spans| {
        let (x, y) = (trimmed(&chars, a), trimmed(&chars, b));
        x.is_some() && x == y
    };
    let any = |a: &Spans, b: &Spans| overlap(a, b) > 0;
    type Field = fn(&Attribution) -> &Spans;
    let fields: [(&'static str, &'static str, Field); 3] = [
        ("source exact", "source overlap", |a| &a.source),
        ("cue exact", "cue overlap", |a| &a.cue),
        ("content exact", "content overlap", |a| &a.content),
    ];
    for (ename, oname, get) in fields {
        let p: Vec<&Spans> = pred.iter().map(get).filter(|s| !s.is_empty()).collect();
        let g: Vec<&Spans> = doc.gold.iter().map(get).filter(|s| !s.is_empty()).collect();
        t.add(ename, match_count(&p, &g, exact), p.len(), g.len());
        t.add(oname, match_count(&p, &g, any), p.len(), g.len());
    }
    // Attribution level: cue and content both overlap.
    let mut pairs = Vec::new();
    for (i, p) in pred.iter().enumerate() {
        for (j, g) in doc.gold.iter().enumerate() {
            if overlap(&p.cue, &g.cue) > 0 && overlap(&p.content, &g.content) > 0 {
                pairs.push((overlap(&p.content, &g.content), i, j));
            }
        }
    }
    let matched = matched_pairs(pairs, pred.len(), doc.gold.len());
    t.add(
        "attribution (cue+content overlap)",
        matched.len(),
        pred.len(),
        doc.gold.len(),
    );
    // Of the attributions found, how many have the right source: one that
    // overlaps the gold source, or none where the gold has none.
    let right = matched
        .iter()
        .filter(|&&(i, j)| {
            let (p, g) = (&pred[i].source, &doc.gold[j].source);
            (p.is_empty() && g.is_empty()) || overlap(p, g) > 0
        })
        .count();
    t.accuracy.0 += right;
    t.accuracy.1 += matched.len();
}

fn ours(doc: &Doc, parse: &ParsedDoc) -> Vec<Attribution> {
    // The product's own per-document analysis of the given parse.
    let f = crate::analyse(&doc.id, &doc.text, parse).facts;
    // PolNeAR is univocal (a token belongs to one attribution at most), so
    // statements nested inside another's content are never annotated: only
    // the outermost claims are scored.
    let nested = |k: usize| {
        let Some(cue) = &f.claims[k].cue else {
            return false;
        };
        f.claims.iter().enumerate().any(|(j, o)| {
            j != k
                && o.parts
                    .iter()
                    .any(|p| p.start <= cue.start && cue.end <= p.end)
        })
    };
    let mut out: Vec<Attribution> = Vec::new();
    for (k, c) in f.claims.iter().enumerate() {
        if nested(k) {
            continue;
        }
        let content: Spans = c.parts.iter().map(|p| (p.char_start, p.char_end)).collect();
        // A quotation that goes on without a cue of its own is, in PolNeAR,
        // more content of the attribution before it.
        if c.cue.is_none() {
            if let Some(prev) = out.last_mut() {
                prev.content.extend(content);
                continue;
            }
        }
        out.push(Attribution {
            source: c
                .speaker
                .as_ref()
                .map(|s| vec![(s.span.char_start, s.span.char_end)])
                .unwrap_or_default(),
            cue: c
                .cue
                .as_ref()
                .map(|s| vec![(s.char_start, s.char_end)])
                .unwrap_or_default(),
            content,
        });
    }
    out
}

/// The baseline: a reporting verb with a clausal complement.
fn baseline(doc: &Doc, p: &ParsedDoc) -> Vec<Attribution> {
    const VERBS: &[&str] = &[
        "say", "tell", "state", "claim", "report", "announce", "add", "deny", "confirm", "accuse",
        "argue", "insist", "warn", "explain", "write", "note", "believe", "think",
    ];
    let idx = CharIndex::new(&doc.text);
    let n = p.tokens.len();
    let mut lo: Vec<usize> = (0..n).collect();
    let mut hi: Vec<usize> = (1..=n).collect();
    for i in 0..n {
        let mut cur = i;
        for _ in 0..n {
            let h = p.tokens[cur].head;
            if h == cur || h >= n {
                break;
            }
            lo[h] = lo[h].min(i);
            hi[h] = hi[h].max(i + 1);
            cur = h;
        }
    }
    let span = |a: usize, b: usize| -> Spans {
        if a >= b {
            return Vec::new();
        }
        vec![(
            idx.char_of_byte(p.tokens[a].start),
            idx.char_of_byte(p.tokens[b - 1].end),
        )]
    };
    let mut out = Vec::new();
    for v in 0..n {
        let t = &p.tokens[v];
        if !t.tag.starts_with("VB") || !VERBS.contains(&t.lemma.to_lowercase().as_str()) {
            continue;
        }
        let kid =
            |dep: &str| (0..n).find(|&k| k != v && p.tokens[k].head == v && p.tokens[k].dep == dep);
        let Some(cc) = kid("ccomp") else { continue };
        out.push(Attribution {
            source: kid("nsubj").map(|s| span(lo[s], hi[s])).unwrap_or_default(),
            cue: span(v, v + 1),
            content: span(lo[cc], hi[cc]),
        });
    }
    out
}

fn print(name: &str, t: &Table) {
    println!("  {name}");
    for (row, p) in &t.rows {
        println!(
            "    {row:<36} P {:5.1}  R {:5.1}  F1 {:5.1}   ({} pred, {} gold)",
            100.0 * p.p(),
            100.0 * p.r(),
            100.0 * p.f(),
            p.pred,
            p.gold
        );
    }
    let (right, all) = t.accuracy;
    println!(
        "    {:<36} {:5.1}   ({right} of {all} attributions found)",
        "source accuracy (overlap)",
        100.0 * right as f64 / all.max(1) as f64
    );
}

pub fn run(args: &Args) -> Result<()> {
    if !matches!(args.split.as_str(), "dev" | "train") {
        bail!("--split must be dev or train (the test split is held out)");
    }
    let dir = args.data.join("polnear/data").join(&args.split);
    let docs = load(&dir, args.limit)?;
    if docs.is_empty() {
        bail!("{}: no annotated documents", dir.display());
    }
    let parser = Parser::new(&args.parser)?;
    let t0 = Instant::now();
    let texts: Vec<(String, String)> = docs
        .iter()
        .map(|d| (d.id.clone(), d.text.clone()))
        .collect();
    let parses = parser.parse_all(&texts)?;
    let (mut sys, mut base) = (Table::default(), Table::default());
    for (d, p) in docs.iter().zip(&parses) {
        let pred = ours(d, p);
        if args.misses {
            let chars: Vec<char> = d.text.chars().collect();
            let show = |s: &Spans| -> String {
                extent(s)
                    .map(|(a, b)| chars[a..b.min(chars.len())].iter().collect::<String>())
                    .unwrap_or_default()
                    .replace('\n', " ")
            };
            // Attributions on one side that nothing on the other matches.
            let unmatched = |what: &str, these: &[Attribution], others: &[Attribution]| {
                for a in these {
                    if !others
                        .iter()
                        .any(|o| overlap(&a.cue, &o.cue) > 0 && overlap(&a.content, &o.content) > 0)
                    {
                        eprintln!(
                            "  {what} [{}] <{}> {{{}}} in {}",
                            show(&a.source),
                            show(&a.cue),
                            show(&a.content),
                            d.id
                        );
                    }
                }
            };
            unmatched("miss", &d.gold, &pred);
            unmatched("extra", &pred, &d.gold);
        }
        score(d, &pred, &mut sys);
        score(d, &baseline(d, p), &mut base);
    }
    let gold: usize = docs.iter().map(|d| d.gold.len()).sum();
    println!(
        "PolNeAR {}: {} documents, {} gold attributions ({}, {:.1}s)",
        args.split,
        docs.len(),
        gold,
        parser.name(),
        t0.elapsed().as_secs_f64()
    );
    print("dossier-facts", &sys);
    print("baseline (reporting verb + nsubj/ccomp)", &base);
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_brat_with_fragments() {
        let dir = std::env::temp_dir().join(format!("dossier-claims-test-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let p = dir.join("a_1234.ann");
        std::fs::write(
            &p,
            "T1\tSource 0 3\tAnn\nT2\tCue 4 8\tsaid\nT3\tContent 9 12;20 25\txyz abcde\nT4\tAttribution 4 8\tsaid\nE1\tAttribution:T4 Content:T3 Cue:T2 Source:T1\nE2\tAttribution:T4 \n",
        )
        .unwrap();
        let a = parse_ann(&p).unwrap();
        std::fs::remove_dir_all(&dir).ok();
        assert_eq!(a.len(), 1);
        assert_eq!(a[0].source, vec![(0, 3)]);
        assert_eq!(a[0].content, vec![(9, 12), (20, 25)]);
    }

    #[test]
    fn matching_is_one_to_one() {
        let g1: Spans = vec![(0, 10)];
        let p1: Spans = vec![(0, 5)];
        let p2: Spans = vec![(2, 8)];
        assert_eq!(
            match_count(&[&p1, &p2], &[&g1], |a, b| overlap(a, b) > 0),
            1
        );
        let chars: Vec<char> = "“Hello,” he".chars().collect();
        assert_eq!(trimmed(&chars, &vec![(0, 8)]), Some((1, 6)));
    }
}
