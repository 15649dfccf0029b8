//! `dossier eval ner`: named entities against CoNLL-format gold data
//! (CoNLL-2003 `eng.testa`, Wikigold).
//!
//! Each document is rebuilt as running text (one line per sentence), run
//! through the pipeline, and the predicted entities are aligned to the gold
//! tokens they cover. OntoNotes labels map to CoNLL's: PERSON→PER, ORG→ORG,
//! GPE/LOC/FAC→LOC, NORP/EVENT/WORK_OF_ART/LAW/PRODUCT/LANGUAGE→MISC; the
//! numeric and date types are dropped. Scores are exact span matches.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::time::Instant;

use anyhow::{bail, Context, Result};
use dossier_analyze::Pipeline;
use rayon::prelude::*;

use crate::metrics::Counts;
use crate::nlp_data::{python_path, python_reference, read_conll, rebuild, Rebuilt};

#[derive(Debug, clap::Args)]
pub struct Args {
    /// A CoNLL-2003 file (e.g. ../shared/data/conll2003/eng.testa).
    #[arg(long)]
    pub conll: Option<PathBuf>,
    /// The Wikigold file (../shared/data/wikigold/wikigold.conll.txt).
    #[arg(long)]
    pub wikigold: Option<PathBuf>,
    /// Also run Python spaCy on the same texts; optionally its interpreter
    /// (default: .venv/bin/python).
    #[arg(long, num_args = 0..=1, default_missing_value = "-")]
    pub python: Option<PathBuf>,
    /// Use the NER-only path (no tagger/parser) on both sides.
    #[arg(long)]
    pub ner_only: bool,
    /// Model directory (default: $DOSSIER_MODEL or models/en_core_web_sm).
    #[arg(long)]
    pub model: Option<PathBuf>,
    /// Evaluate only the first N documents of each file.
    #[arg(long)]
    pub limit: Option<usize>,
}

/// OntoNotes label → CoNLL type, or None for types CoNLL does not annotate.
pub fn conll_type(label: &str) -> Option<&'static str> {
    Some(match label {
        "PERSON" => "PER",
        "ORG" => "ORG",
        "GPE" | "LOC" | "FAC" => "LOC",
        "NORP" | "EVENT" | "WORK_OF_ART" | "LAW" | "PRODUCT" | "LANGUAGE" => "MISC",
        _ => return None,
    })
}

pub fn run(args: &Args) -> Result<()> {
    let mut files = Vec::new();
    if let Some(p) = &args.conll {
        files.push(("CoNLL-2003", p.clone()));
    }
    if let Some(p) = &args.wikigold {
        files.push(("Wikigold", p.clone()));
    }
    if files.is_empty() {
        bail!("give --conll FILE and/or --wikigold FILE");
    }
    let nlp = Pipeline::locate_and_load(args.model.as_deref())?;
    let python = match &args.python {
        None => None,
        Some(p) if p.as_os_str() == "-" => Some(
            python_path(None)
                .context("no Python reference: run scripts/python-env.sh or pass --python PATH")?,
        ),
        Some(p) => Some(p.clone()),
    };
    for (name, path) in files {
        evaluate(&nlp, name, &path, python.as_deref(), args)?;
    }
    Ok(())
}

fn evaluate(
    nlp: &Pipeline,
    name: &str,
    path: &Path,
    python: Option<&Path>,
    args: &Args,
) -> Result<()> {
    let mut docs: Vec<Rebuilt> = read_conll(path)?.iter().map(rebuild).collect();
    if let Some(n) = args.limit {
        docs.truncate(n);
    }
    let tokens: usize = docs.iter().map(|d| d.spans.len()).sum();
    println!(
        "\n{name} ({}): {} documents, {} tokens{}",
        path.display(),
        docs.len(),
        tokens,
        if args.ner_only { ", NER-only path" } else { "" }
    );
    let t = Instant::now();
    let native: Vec<Vec<(usize, usize, String)>> = docs
        .par_iter()
        .map(|d| {
            let ents = if args.ner_only {
                nlp.entities(&d.text)
            } else {
                nlp.analyze(&d.text).ents
            };
            ents.into_iter()
                .map(|e| (e.start, e.end, e.label))
                .collect()
        })
        .collect();
    let native_secs = t.elapsed().as_secs_f64();
    let mut columns = vec![("native", score(&docs, &native))];
    if let Some(py) = python {
        let input: Vec<(String, String)> = docs
            .iter()
            .map(|d| (d.id.clone(), d.text.clone()))
            .collect();
        let extra: &[&str] = if args.ner_only { &["--ner-only"] } else { &[] };
        let t = Instant::now();
        let records = python_reference(py, &input, extra)?;
        println!(
            "  Python spaCy ran in {:.1}s (native {:.1}s)",
            t.elapsed().as_secs_f64(),
            native_secs
        );
        let predicted: Vec<Vec<(usize, usize, String)>> = docs
            .iter()
            .zip(&records)
            .map(|(d, r)| python_ents(&d.text, r))
            .collect();
        columns.push(("Python", score(&docs, &predicted)));
    }
    print_scores(&columns);
    Ok(())
}

/// Python's entities as byte spans of the text.
fn python_ents(text: &str, rec: &serde_json::Value) -> Vec<(usize, usize, String)> {
    let idx = dossier_core::CharIndex::new(text);
    rec["ents"]
        .as_array()
        .map(|a| {
            a.iter()
                .map(|e| {
                    (
                        idx.byte_of_char(e["start_char"].as_u64().unwrap_or(0) as usize),
                        idx.byte_of_char(e["end_char"].as_u64().unwrap_or(0) as usize),
                        e["label"].as_str().unwrap_or("").to_string(),
                    )
                })
                .collect()
        })
        .unwrap_or_default()
}

/// Per-type counts of exact matches between gold and predicted entities,
/// the predictions aligned to the gold tokens they cover.
fn score(docs: &[Rebuilt], predicted: &[Vec<(usize, usize, String)>]) -> BTreeMap<String, Counts> {
    let mut counts: BTreeMap<String, Counts> = BTreeMap::new();
    for (doc, preds) in docs.iter().zip(predicted) {
        let mut pred_spans: Vec<(usize, usize, String)> = preds
            .iter()
            .filter_map(|(s, e, label)| {
                let ty = conll_type(label)?;
                let (a, b) = align(&doc.spans, *s, *e)?;
                Some((a, b, ty.to_string()))
            })
            .collect();
        pred_spans.sort();
        pred_spans.dedup();
        for p in &pred_spans {
            let c = counts.entry(p.2.clone()).or_default();
            if doc.entities.contains(p) {
                c.tp += 1;
            } else {
                c.fp += 1;
            }
        }
        for g in &doc.entities {
            if !pred_spans.contains(g) {
                counts.entry(g.2.clone()).or_default().fn_ += 1;
            }
        }
    }
    counts
}

/// The gold tokens covering bytes `s..e`: from the token containing `s`
/// to the token containing `e - 1`.
fn align(spans: &[(usize, usize)], s: usize, e: usize) -> Option<(usize, usize)> {
    if e <= s {
        return None;
    }
    let first = spans.iter().position(|&(a, b)| a <= s && s < b)?;
    let last = spans.iter().position(|&(a, b)| a < e && e <= b)?;
    (last >= first).then_some((first, last + 1))
}

fn print_scores(columns: &[(&str, BTreeMap<String, Counts>)]) {
    let mut header = format!("  {:<8}", "type");
    for (name, _) in columns {
        header.push_str(&format!(" | {:^26}", format!("{name} P / R / F1")));
    }
    println!("{header}");
    let mut types: Vec<String> = columns
        .iter()
        .flat_map(|(_, c)| c.keys().cloned())
        .collect();
    types.sort();
    types.dedup();
    let row = |label: &str, pick: &dyn Fn(&BTreeMap<String, Counts>) -> Counts| {
        let mut line = format!("  {label:<8}");
        for (_, c) in columns {
            let (p, r, f) = pick(c).prf();
            line.push_str(&format!(
                " | {:>7.2} {:>7.2} {:>7.2}  ",
                100.0 * p,
                100.0 * r,
                100.0 * f
            ));
        }
        println!("{line}");
    };
    for t in &types {
        row(t, &|c| c.get(t).copied().unwrap_or_default());
    }
    row("overall", &|c| {
        c.values().fold(Counts::default(), |acc, &x| acc + x)
    });
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn maps_ontonotes_labels() {
        assert_eq!(conll_type("PERSON"), Some("PER"));
        assert_eq!(conll_type("GPE"), Some("LOC"));
        assert_eq!(conll_type("FAC"), Some("LOC"));
        assert_eq!(conll_type("NORP"), Some("MISC"));
        assert_eq!(conll_type("DATE"), None);
        assert_eq!(conll_type("CARDINAL"), None);
    }

    #[test]
    fn aligns_and_scores_exact_spans() {
        // "New York Times reported ."
        let spans = vec![(0, 3), (4, 8), (9, 14), (15, 23), (24, 25)];
        assert_eq!(align(&spans, 0, 8), Some((0, 2)));
        assert_eq!(align(&spans, 4, 14), Some((1, 3)));
        assert_eq!(align(&spans, 5, 8), Some((1, 2)));
        assert_eq!(align(&spans, 3, 3), None);
        let doc = Rebuilt {
            id: "d".into(),
            text: "New York Times reported .".into(),
            spans,
            tags: vec![],
            entities: vec![(0, 3, "ORG".into())],
        };
        let pred = vec![vec![
            (0, 8, "GPE".to_string()),
            (24, 25, "DATE".to_string()),
        ]];
        let c = score(std::slice::from_ref(&doc), &pred);
        assert_eq!(c["ORG"].fn_, 1);
        assert_eq!(c["LOC"].fp, 1);
        assert!(!c.contains_key("DATE"));
        let pred = vec![vec![(0, 14, "ORG".to_string())]];
        let c = score(&[doc], &pred);
        assert_eq!((c["ORG"].tp, c["ORG"].fp, c["ORG"].fn_), (1, 0, 0));
        assert_eq!(c["ORG"].prf(), (1.0, 1.0, 1.0));
    }
}
