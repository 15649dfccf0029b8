//! `dossier bench nlp`: words per second of the native pipeline, full and
//! NER-only, on one thread and on all cores, against Python spaCy's
//! `nlp.pipe` (single process, the model's default batch size) on the same
//! real texts: the news article bodies of the extraction benchmark and the
//! MEANTIME articles in `../shared/data`. Words are tokens, as spaCy
//! counts them (`len(doc)`). Besides wall-clock rates it reports words per
//! CPU-second of the process, which a busy shared machine distorts less.

use std::hint::black_box;
use std::path::PathBuf;
use std::time::Instant;

use anyhow::{bail, Context, Result};
use dossier_analyze::Pipeline;
use rayon::prelude::*;

use crate::nlp_data::{python_path, read_articles, read_meantime, repo_path};

#[derive(Debug, clap::Args)]
pub struct NlpArgs {
    /// The shared evaluation data.
    #[arg(long, default_value = "../shared/data")]
    pub data: PathBuf,
    /// Use at most this many documents (default: all, about 210).
    #[arg(long)]
    pub docs: Option<usize>,
    /// Python interpreter with spaCy (default: .venv/bin/python).
    #[arg(long)]
    pub python: Option<PathBuf>,
    /// Skip the Python measurement.
    #[arg(long)]
    pub no_python: bool,
    /// Threads for the parallel runs (default: all cores).
    #[arg(long)]
    pub threads: Option<usize>,
    /// Model directory (default: $DOSSIER_MODEL or models/en_core_web_sm).
    #[arg(long)]
    pub model: Option<PathBuf>,
}

struct Run {
    name: String,
    words: usize,
    seconds: f64,
    /// CPU time of the process during the run: on a shared machine,
    /// words per CPU-second is steadier than words per wall-second.
    cpu_seconds: f64,
}

impl Run {
    fn wps(&self) -> f64 {
        self.words as f64 / self.seconds.max(1e-9)
    }

    fn cpu_wps(&self) -> f64 {
        self.words as f64 / self.cpu_seconds.max(1e-9)
    }
}

pub fn nlp(args: &NlpArgs) -> Result<()> {
    let mut texts: Vec<String> = Vec::new();
    let articles = args.data.join("article_extraction_benchmark");
    if articles.is_dir() {
        texts.extend(read_articles(&articles)?.into_iter().map(|(_, t)| t));
    }
    let meantime = args.data.join("meantime_en");
    if meantime.is_dir() {
        texts.extend(read_meantime(&meantime)?.into_iter().map(|(_, t)| t));
    }
    if let Some(n) = args.docs {
        texts.truncate(n);
    }
    if texts.is_empty() {
        bail!("no texts under {}", args.data.display());
    }
    let load = Instant::now();
    let nlp = Pipeline::locate_and_load(args.model.as_deref())?;
    let load_secs = load.elapsed().as_secs_f64();
    let words: usize = texts.iter().map(|t| nlp.tokenize(t).len()).sum();
    let chars: usize = texts.iter().map(|t| t.chars().count()).sum();
    println!(
        "bench nlp: {} documents, {} words, {} characters (model loaded in {:.2}s)",
        texts.len(),
        words,
        chars,
        load_secs
    );
    // Warm-up: page in the weights and size the per-thread buffers.
    for t in texts.iter().take(3) {
        black_box(nlp.analyze(t));
    }

    let mut runs = Vec::new();
    let time = |name: &str, f: &dyn Fn() -> usize| {
        let cpu = process_cpu_seconds();
        let t = Instant::now();
        black_box(f());
        Run {
            name: name.to_string(),
            words,
            seconds: t.elapsed().as_secs_f64(),
            cpu_seconds: process_cpu_seconds() - cpu,
        }
    };
    runs.push(time("native NER-only, 1 thread", &|| {
        texts.iter().map(|t| nlp.entities(t).len()).sum()
    }));
    runs.push(time("native full, 1 thread", &|| {
        texts.iter().map(|t| nlp.analyze(t).tokens.len()).sum()
    }));
    let threads = args
        .threads
        .unwrap_or_else(|| std::thread::available_parallelism().map_or(1, |n| n.get()));
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(threads)
        .build()
        .context("cannot start the thread pool")?;
    pool.install(|| {
        runs.push(time(
            &format!("native NER-only, {threads} threads"),
            &|| texts.par_iter().map(|t| nlp.entities(t).len()).sum(),
        ));
        runs.push(time(&format!("native full, {threads} threads"), &|| {
            texts.par_iter().map(|t| nlp.analyze(t).tokens.len()).sum()
        }));
    });
    let native_rss = peak_rss();

    let python = if args.no_python {
        None
    } else {
        python_path(args.python.as_deref()).filter(|p| p.exists())
    };
    let mut py_runs: Option<(Run, Run, u64, u64)> = None;
    match &python {
        Some(py) => {
            println!("timing Python spaCy ({}) ...", py.display());
            py_runs = Some(python_bench(py, &texts)?);
        }
        None => println!(
            "Python spaCy not timed (no .venv; run scripts/python-env.sh or pass --python)"
        ),
    }

    println!(
        "\n  {:<36} {:>9} {:>9} {:>8} {:>13} {:>13}",
        "run", "words/s", "words/CPUs", "seconds", "vs Python", "vs Py (CPU)"
    );
    let py_full = py_runs.as_ref().map(|p| (p.0.wps(), p.0.cpu_wps()));
    let py_ner = py_runs.as_ref().map(|p| (p.1.wps(), p.1.cpu_wps()));
    for r in &runs {
        let base = if r.name.contains("NER") {
            py_ner
        } else {
            py_full
        };
        let (wall, cpu) = match base {
            Some((w, c)) => (
                format!("{:.2}×", r.wps() / w),
                format!("{:.2}×", r.cpu_wps() / c),
            ),
            None => ("-".into(), "-".into()),
        };
        println!(
            "  {:<36} {:>9.0} {:>9.0} {:>8.2} {:>13} {:>13}",
            r.name,
            r.wps(),
            r.cpu_wps(),
            r.seconds,
            wall,
            cpu
        );
    }
    if let Some((full, ner, _, batch)) = &py_runs {
        for r in [full, ner] {
            let name = format!("{} (batch {batch})", r.name);
            println!(
                "  {:<36} {:>9.0} {:>9.0} {:>8.2} {:>13} {:>13}",
                name,
                r.wps(),
                r.cpu_wps(),
                r.seconds,
                "1.00×",
                "1.00×"
            );
        }
        if full.words != words {
            println!("  (Python counted {} words, native {words})", full.words);
        }
    }
    let scaling = |a: usize, b: usize| runs[b].wps() / runs[a].wps();
    println!(
        "\n  scaling over {threads} threads: NER-only {:.2}×, full {:.2}×",
        scaling(0, 2),
        scaling(1, 3)
    );
    let mb = |b: u64| b as f64 / (1 << 20) as f64;
    match (native_rss, &py_runs) {
        (Some(n), Some((_, _, p, _))) => {
            println!(
                "  peak RSS: native {:.0} MB, Python {:.0} MB",
                mb(n),
                mb(*p)
            )
        }
        (Some(n), None) => println!("  peak RSS: native {:.0} MB", mb(n)),
        _ => {}
    }
    Ok(())
}

/// Runs `spacy_bench.py`: (full run, NER-only run, peak RSS, batch size).
fn python_bench(python: &std::path::Path, texts: &[String]) -> Result<(Run, Run, u64, u64)> {
    use std::io::Write;
    let script = repo_path("scripts/python/spacy_bench.py")
        .context("scripts/python/spacy_bench.py not found (run from the repository)")?;
    let mut child = std::process::Command::new(python)
        .arg(&script)
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::inherit())
        .spawn()
        .with_context(|| format!("cannot run {}", python.display()))?;
    let mut stdin = child.stdin.take().context("no stdin")?;
    let input: String = texts
        .iter()
        .map(|t| serde_json::json!({ "text": t }).to_string() + "\n")
        .collect();
    let writer = std::thread::spawn(move || stdin.write_all(input.as_bytes()));
    let out = child.wait_with_output()?;
    writer
        .join()
        .map_err(|_| anyhow::anyhow!("writer thread panicked"))?
        .context("writing to spacy_bench.py")?;
    if !out.status.success() {
        bail!("spacy_bench.py failed ({})", out.status);
    }
    let v: serde_json::Value =
        serde_json::from_slice(&out.stdout).context("bad JSON from spacy_bench.py")?;
    let run = |key: &str, name: &str| -> Result<Run> {
        Ok(Run {
            name: name.to_string(),
            words: v[key]["words"].as_u64().context("no words")? as usize,
            seconds: v[key]["seconds"].as_f64().context("no seconds")?,
            cpu_seconds: v[key]["cpu_seconds"].as_f64().context("no cpu_seconds")?,
        })
    };
    Ok((
        run("full", "Python full, nlp.pipe")?,
        run("ner", "Python NER-only, nlp.pipe")?,
        v["peak_rss"].as_u64().unwrap_or(0),
        v["batch_size"].as_u64().unwrap_or(0),
    ))
}

/// CPU time used so far by all threads of this process (Linux
/// `schedstat`, nanoseconds), in seconds; 0 where unavailable.
pub fn process_cpu_seconds() -> f64 {
    let Ok(tasks) = std::fs::read_dir("/proc/self/task") else {
        return 0.0;
    };
    let mut ns: u64 = 0;
    for task in tasks.flatten() {
        if let Ok(stat) = std::fs::read_to_string(task.path().join("schedstat")) {
            ns += stat
                .split_whitespace()
                .next()
                .and_then(|v| v.parse::<u64>().ok())
                .unwrap_or(0);
        }
    }
    ns as f64 / 1e9
}

/// Peak resident set size of this process (Linux), in bytes.
fn peak_rss() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    let kb: u64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kb * 1024)
}
