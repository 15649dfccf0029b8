//! `dossier eval extract`: article body extraction on the article
//! extraction benchmark (`html/*.html.gz` and `ground-truth.json`), scored
//! as the benchmark's `evaluate.py` does, and side by side with Python
//! trafilatura when the reference venv is there.
//!
//! Scores: text is split into `\w+` tokens; per page, precision and recall
//! come from the multiset overlap of the extracted and true units, divided
//! as evaluate.py does (when both are empty the page scores 1). Two units
//! are reported: single tokens, and the 4-token shingles evaluate.py uses
//! for its published table. Overall precision and recall are means over
//! pages and F1 is their harmonic mean, as in evaluate.py; the mean of
//! per-page F1 is shown too. Accuracy is the share of pages whose token
//! sequence is exactly right.

use crate::metrics::f1;
use crate::nlp_data::{python_path, repo_path};
use anyhow::{bail, Context, Result};
use dossier_ingest::html;
use std::collections::HashMap;
use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Instant;

#[derive(Debug, clap::Args)]
pub struct Args {
    /// The benchmark directory (with `html/` and `ground-truth.json`).
    #[arg(long, default_value = "../shared/data/article_extraction_benchmark")]
    pub data: PathBuf,
    /// Python with trafilatura (default: the repository's .venv/bin/python).
    #[arg(long)]
    pub python: Option<PathBuf>,
    /// Do not run trafilatura even if Python is there.
    #[arg(long)]
    pub no_python: bool,
    /// Let trafilatura keep comments (its `extract()` default; the
    /// benchmark runs it without).
    #[arg(long)]
    pub trafilatura_comments: bool,
    /// Write each page's extracted text to DIR/<id>.txt.
    #[arg(long, value_name = "DIR")]
    pub dump: Option<PathBuf>,
    /// Print only the overall figures.
    #[arg(long)]
    pub quiet: bool,
}

struct Page {
    id: String,
    html: String,
    truth: String,
}

/// Precision and recall of one page, in both units. As in evaluate.py, a
/// page without predicted units has no precision and one without true
/// units no recall; they are left out of those means.
#[derive(Debug, Clone, Copy, Default)]
struct PageScore {
    token: (Option<f64>, Option<f64>),
    shingle: (Option<f64>, Option<f64>),
    exact: bool,
}

type Pr = (Option<f64>, Option<f64>);

pub fn run(args: &Args) -> Result<()> {
    let pages = load(&args.data)?;
    println!("{} pages from {}", pages.len(), args.data.display());

    let start = Instant::now();
    let articles: Vec<html::HtmlArticle> = pages.iter().map(|p| html::extract(&p.html)).collect();
    let our_time = start.elapsed().as_secs_f64();
    let ours: Vec<String> = articles.iter().map(|a| a.text.clone()).collect();
    if let Some(dir) = &args.dump {
        std::fs::create_dir_all(dir).with_context(|| format!("creating {}", dir.display()))?;
        for (p, text) in pages.iter().zip(&ours) {
            let path = dir.join(format!("{}.txt", p.id));
            std::fs::write(&path, text).with_context(|| format!("writing {}", path.display()))?;
        }
        for (p, a) in pages.iter().zip(&articles) {
            let path = dir.join(format!("{}.meta.txt", p.id));
            let meta = format!(
                "title: {}\npublished: {}\nbyline: {}\nlanguage: {}\nurl: {}\n",
                a.title.as_deref().unwrap_or(""),
                a.published.map(|d| d.to_string()).unwrap_or_default(),
                a.byline.as_deref().unwrap_or(""),
                a.language.as_deref().unwrap_or(""),
                a.url.as_deref().unwrap_or("")
            );
            std::fs::write(&path, meta).with_context(|| format!("writing {}", path.display()))?;
        }
    }
    let our_scores: Vec<PageScore> = pages
        .iter()
        .zip(&ours)
        .map(|(p, t)| score(&p.truth, t))
        .collect();

    let reference = if args.no_python {
        None
    } else {
        match python_path(args.python.as_deref()) {
            Some(py) => Some(trafilatura(&py, &args.data, args.trafilatura_comments)?),
            None => {
                println!(
                    "trafilatura not run (no .venv; run scripts/python-env.sh or pass --python)"
                );
                None
            }
        }
    };
    let ref_scores: Option<Vec<PageScore>> = reference.as_ref().map(|(refs, _)| {
        pages
            .iter()
            .map(|p| score(&p.truth, refs.get(&p.id).map_or("", |r| r.text.as_str())))
            .collect()
    });

    if !args.quiet {
        println!();
        println!(
            "{:<16} {:>6} {:>6} {:>6}{}",
            "page",
            "P",
            "R",
            "F1",
            if ref_scores.is_some() {
                "   traf P  traf R traf F1"
            } else {
                ""
            }
        );
        for (i, p) in pages.iter().enumerate() {
            let (pr, rc) = unwrap_pr(our_scores[i].shingle);
            let mut line = format!(
                "{:<16} {:>6.3} {:>6.3} {:>6.3}",
                &p.id[..p.id.len().min(16)],
                pr,
                rc,
                f1(pr, rc)
            );
            if let Some(rs) = &ref_scores {
                let (tp, tr) = unwrap_pr(rs[i].shingle);
                line.push_str(&format!("   {:>6.3}  {:>6.3}  {:>6.3}", tp, tr, f1(tp, tr)));
            }
            println!("{line}");
        }
        println!("(per page: 4-token shingles, as evaluate.py)");
    }

    println!();
    println!(
        "{:<28} {:>6} {:>6} {:>6} {:>8} {:>9}",
        "extractor / unit", "F1", "P", "R", "mean F1", "accuracy"
    );
    let mut rows = vec![("dossier", &our_scores)];
    if let Some(rs) = &ref_scores {
        rows.push(("trafilatura", rs));
    }
    for (name, scores) in &rows {
        for (unit, pick) in [
            (
                "shingles",
                (|s: &PageScore| s.shingle) as fn(&PageScore) -> Pr,
            ),
            ("tokens", |s: &PageScore| s.token),
        ] {
            let (p, r, mean_f1) = overall(scores, pick);
            let acc = scores.iter().filter(|s| s.exact).count() as f64 / scores.len().max(1) as f64;
            println!(
                "{:<28} {:>6.3} {:>6.3} {:>6.3} {:>8.3} {:>9.3}",
                format!("{name} ({unit})"),
                f1(p, r),
                p,
                r,
                mean_f1,
                acc
            );
        }
    }
    print_metadata(&pages, &articles, reference.as_ref().map(|(r, _)| r));
    println!();
    println!(
        "dossier:     {:.1} ms per page ({:.2} s for {} pages)",
        1000.0 * our_time / pages.len().max(1) as f64,
        our_time,
        pages.len()
    );
    if let Some((_, secs)) = &reference {
        println!(
            "trafilatura: {:.1} ms per page ({:.2} s for {} pages, extract() only)",
            1000.0 * secs / pages.len().max(1) as f64,
            secs,
            pages.len()
        );
    }
    Ok(())
}

fn load(dir: &Path) -> Result<Vec<Page>> {
    let truth_path = dir.join("ground-truth.json");
    let raw = std::fs::read_to_string(&truth_path)
        .with_context(|| format!("reading {}", truth_path.display()))?;
    let truth: HashMap<String, serde_json::Value> =
        serde_json::from_str(&raw).with_context(|| format!("parsing {}", truth_path.display()))?;
    let html_dir = dir.join("html");
    let mut files: Vec<PathBuf> = std::fs::read_dir(&html_dir)
        .with_context(|| format!("reading {}", html_dir.display()))?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.to_string_lossy().ends_with(".html.gz"))
        .collect();
    files.sort();
    let mut pages = Vec::new();
    for path in files {
        let name = path
            .file_name()
            .map(|n| n.to_string_lossy().to_string())
            .unwrap_or_default();
        let id = name.trim_end_matches(".html.gz").to_string();
        let Some(t) = truth.get(&id) else {
            bail!("{}: no ground truth for {id}", truth_path.display());
        };
        let mut bytes = Vec::new();
        flate2::read::GzDecoder::new(
            std::fs::File::open(&path).with_context(|| format!("opening {}", path.display()))?,
        )
        .read_to_end(&mut bytes)
        .with_context(|| format!("{}: bad gzip data", path.display()))?;
        // As the ingest pipeline does: the declared charset decides when the
        // bytes are not UTF-8.
        let declared = html::declared_charset(&bytes);
        let html = dossier_ingest::decode::decode(&bytes, declared.as_deref()).text;
        let truth = t
            .get("articleBody")
            .and_then(|v| v.as_str())
            .unwrap_or("")
            .to_string();
        pages.push(Page { id, html, truth });
    }
    if pages.is_empty() {
        bail!("no pages in {}", html_dir.display());
    }
    Ok(pages)
}

/// `\w+` as Python's `re` reads it: letters, digits and the underscore.
fn tokens(text: &str) -> Vec<&str> {
    let mut out = Vec::new();
    let mut start = None;
    for (i, c) in text.char_indices() {
        let word = c.is_alphanumeric() || c == '_';
        match (word, start) {
            (true, None) => start = Some(i),
            (false, Some(s)) => {
                out.push(&text[s..i]);
                start = None;
            }
            _ => {}
        }
    }
    if let Some(s) = start {
        out.push(&text[s..]);
    }
    out
}

fn counts<'a>(tokens: &[&'a str], n: usize) -> HashMap<Vec<&'a str>, usize> {
    let mut m = HashMap::new();
    if tokens.is_empty() {
        return m;
    }
    // As evaluate.py: a text shorter than n is one short shingle.
    let windows = tokens.len().saturating_sub(n) + 1;
    for i in 0..windows {
        let end = (i + n).min(tokens.len());
        *m.entry(tokens[i..end].to_vec()).or_insert(0) += 1;
    }
    m
}

/// Precision and recall of `pred` against `truth` over n-token units.
fn precision_recall(truth: &[&str], pred: &[&str], n: usize) -> Pr {
    let t = counts(truth, n);
    let p = counts(pred, n);
    let t_total: usize = t.values().sum();
    let p_total: usize = p.values().sum();
    let tp: usize = p.iter().map(|(k, &c)| c.min(*t.get(k).unwrap_or(&0))).sum();
    let fp = p_total - tp;
    let fn_ = t_total - tp;
    if fp == 0 && fn_ == 0 {
        return (Some(1.0), Some(1.0));
    }
    let precision = (tp + fp > 0).then(|| tp as f64 / (tp + fp) as f64);
    let recall = (tp + fn_ > 0).then(|| tp as f64 / (tp + fn_) as f64);
    (precision, recall)
}

fn score(truth: &str, pred: &str) -> PageScore {
    let t = tokens(truth);
    let p = tokens(pred);
    PageScore {
        token: precision_recall(&t, &p, 1),
        shingle: precision_recall(&t, &p, 4),
        exact: t == p,
    }
}

fn unwrap_pr((p, r): Pr) -> (f64, f64) {
    (p.unwrap_or(0.0), r.unwrap_or(0.0))
}

/// Mean precision, mean recall (each over the pages that have one) and
/// mean per-page F1.
fn overall(scores: &[PageScore], pick: fn(&PageScore) -> Pr) -> (f64, f64, f64) {
    let mean = |v: Vec<f64>| v.iter().sum::<f64>() / v.len().max(1) as f64;
    let ps = scores.iter().filter_map(|s| pick(s).0).collect();
    let rs = scores.iter().filter_map(|s| pick(s).1).collect();
    let fs = scores
        .iter()
        .map(|s| {
            let (p, r) = pick(s);
            f1(p.unwrap_or(0.0), r.unwrap_or(0.0))
        })
        .collect();
    (mean(ps), mean(rs), mean(fs))
}

/// What trafilatura found on one page.
#[derive(Debug, Default)]
struct Reference {
    text: String,
    title: Option<String>,
    date: Option<String>,
    author: Option<String>,
    language: Option<String>,
    url: Option<String>,
}

/// How often each metadata field is found, and how often ours agrees with
/// trafilatura's (the benchmark has no metadata ground truth).
fn print_metadata(
    pages: &[Page],
    ours: &[html::HtmlArticle],
    refs: Option<&HashMap<String, Reference>>,
) {
    let norm = |s: &str| -> String {
        s.chars()
            .filter(|c| c.is_alphanumeric())
            .flat_map(char::to_lowercase)
            .collect()
    };
    type Field = fn(&html::HtmlArticle, &Reference) -> (Option<String>, Option<String>);
    let fields: [(&str, Field); 5] = [
        ("title", |a, r| (a.title.clone(), r.title.clone())),
        ("published", |a, r| {
            (a.published.map(|d| d.to_string()), r.date.clone())
        }),
        ("byline", |a, r| (a.byline.clone(), r.author.clone())),
        ("language", |a, r| (a.language.clone(), r.language.clone())),
        ("url", |a, r| (a.url.clone(), r.url.clone())),
    ];
    println!();
    println!(
        "{:<12} {:>8} {:>12} {:>8}",
        "metadata", "dossier", "trafilatura", "agree"
    );
    let empty = Reference::default();
    for (name, get) in fields {
        let (mut ours_n, mut theirs_n, mut agree) = (0, 0, 0);
        for (p, a) in pages.iter().zip(ours) {
            let r = refs.and_then(|m| m.get(&p.id)).unwrap_or(&empty);
            let (x, y) = get(a, r);
            let x = x.filter(|v| !v.trim().is_empty());
            let y = y.filter(|v| !v.trim().is_empty());
            ours_n += usize::from(x.is_some());
            theirs_n += usize::from(y.is_some());
            if let (Some(x), Some(y)) = (&x, &y) {
                agree += usize::from(norm(x) == norm(y));
            }
        }
        if refs.is_some() {
            println!("{name:<12} {ours_n:>8} {theirs_n:>12} {agree:>8}");
        } else {
            println!("{name:<12} {ours_n:>8}");
        }
    }
}

/// Runs `trafilatura_extract.py` on the benchmark pages: text and metadata
/// by page id, and the seconds trafilatura spent in `extract()`.
fn trafilatura(
    python: &Path,
    data: &Path,
    comments: bool,
) -> Result<(HashMap<String, Reference>, f64)> {
    let script = repo_path("scripts/python/trafilatura_extract.py")
        .context("scripts/python/trafilatura_extract.py not found (run from the repository)")?;
    let mut cmd = Command::new(python);
    cmd.arg(&script);
    if comments {
        cmd.arg("--include-comments");
    }
    let out = cmd
        .arg(data.join("html"))
        .output()
        .with_context(|| format!("running {}", python.display()))?;
    if !out.status.success() {
        bail!(
            "trafilatura_extract.py failed ({}): {}",
            out.status,
            String::from_utf8_lossy(&out.stderr)
        );
    }
    let mut texts = HashMap::new();
    let mut secs = 0.0;
    for line in String::from_utf8_lossy(&out.stdout).lines() {
        if line.trim().is_empty() {
            continue;
        }
        let v: serde_json::Value =
            serde_json::from_str(line).context("bad JSON from trafilatura_extract.py")?;
        let id = v["id"].as_str().unwrap_or_default().to_string();
        let field = |k: &str| v[k].as_str().map(str::to_string);
        secs += v["seconds"].as_f64().unwrap_or(0.0);
        texts.insert(
            id,
            Reference {
                text: field("text").unwrap_or_default(),
                title: field("title"),
                date: field("date"),
                author: field("author"),
                language: field("language"),
                url: field("url"),
            },
        );
    }
    Ok((texts, secs))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_are_word_runs() {
        assert_eq!(
            tokens("It’s a_b, 3.5 — ок!"),
            ["It", "s", "a_b", "3", "5", "ок"]
        );
        assert!(tokens(" ,. ").is_empty());
    }

    #[test]
    fn scores_follow_evaluate_py() {
        // Identical texts, and two empty texts, score 1.
        let s = score("a b c d e", "a b c d e");
        assert_eq!(s.shingle, (Some(1.0), Some(1.0)));
        assert!(s.exact);
        assert_eq!(score("", "").token, (Some(1.0), Some(1.0)));
        // Nothing extracted: no precision, recall 0.
        assert_eq!(score("a b", "").token, (None, Some(0.0)));
        // Half the tokens right, none extra.
        assert_eq!(score("a b c d", "a b").token, (Some(1.0), Some(0.5)));
        // Shingles: "a b c d e" has 2; "a b c d x" shares 1 of its 2.
        assert_eq!(
            score("a b c d e", "a b c d x").shingle,
            (Some(0.5), Some(0.5))
        );
        // Shorter than a shingle: the whole text is one unit.
        assert_eq!(score("a b", "a b").shingle, (Some(1.0), Some(1.0)));
    }

    #[test]
    fn overall_is_harmonic_mean_of_means() {
        let pages = [
            PageScore {
                token: (Some(1.0), Some(0.5)),
                ..Default::default()
            },
            PageScore {
                token: (Some(0.5), Some(1.0)),
                ..Default::default()
            },
            PageScore {
                token: (None, Some(0.0)),
                ..Default::default()
            },
        ];
        let (p, r, mean_f1) = overall(&pages, |s| s.token);
        // The page with nothing extracted counts for recall only.
        assert_eq!((p, r), (0.75, 0.5));
        assert!((f1(p, r) - 0.6).abs() < 1e-12);
        assert!((mean_f1 - 4.0 / 9.0).abs() < 1e-12);
    }
}
