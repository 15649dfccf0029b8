//! Knowledge-base benchmarks: `dossier bench build`, `growth`, `incremental`
//! and `reads`. Builds run the product itself (`dossier build` as a child
//! process, so its wall time, CPU time and peak memory are its own); reads
//! run the product's query code on one snapshot, as `who` and the API do.
//!
//! Corpora come from `../shared/data`, written to a scratch folder at run
//! time: the "mix" (PolNeAR train and dev, ECB+ and TimeBank/AQUAINT texts,
//! one .txt file each, about 1,950 articles and 1.07M words) and the first
//! N Reuters-21578 articles (one JSONL file).

use anyhow::{bail, Context, Result};
use dossier_query::{Page, Query, TimelineQuery};
use dossier_store::Store;
use std::io::{BufRead, Write};
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

#[derive(Debug, Clone, clap::Args)]
pub struct KbArgs {
    /// The shared evaluation data.
    #[arg(long, default_value = "../shared/data")]
    pub data: PathBuf,
    /// Scratch folder for corpora and databases (default: a new temporary one).
    #[arg(long)]
    pub work: Option<PathBuf>,
    /// Threads for the build (RAYON_NUM_THREADS of the child).
    #[arg(long, default_value_t = 2)]
    pub threads: usize,
}

#[derive(Debug, clap::Args)]
pub struct BuildArgs {
    #[command(flatten)]
    pub kb: KbArgs,
    /// `mix` or `reuters:N` (the first N Reuters articles).
    #[arg(long, default_value = "mix")]
    pub corpus: String,
}

#[derive(Debug, clap::Args)]
pub struct GrowthArgs {
    #[command(flatten)]
    pub kb: KbArgs,
    /// Reuters sizes to build, each from scratch.
    #[arg(long, value_delimiter = ',', default_value = "2000,5000,10000,19043")]
    pub sizes: Vec<usize>,
}

#[derive(Debug, clap::Args)]
pub struct IncrementalArgs {
    #[command(flatten)]
    pub kb: KbArgs,
    /// Articles added to the base (the last ones of Reuters).
    #[arg(long, default_value_t = 200)]
    pub add: usize,
}

#[derive(Debug, clap::Args)]
pub struct ReadsArgs {
    /// The knowledge base to read.
    #[arg(long)]
    pub db: PathBuf,
    /// Queries per kind.
    #[arg(long, default_value_t = 300)]
    pub samples: usize,
}

/// What one child build measured.
struct Measured {
    articles: usize,
    wall: Duration,
    cpu: Duration,
    peak_rss: u64,
    db_bytes: u64,
    stages: Vec<(String, f64)>,
}

fn machine() -> String {
    let cpu = std::fs::read_to_string("/proc/cpuinfo")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("model name"))
                .and_then(|l| l.split(':').nth(1))
                .map(|m| m.trim().to_string())
        })
        .unwrap_or_else(|| "unknown CPU".into());
    let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
    format!("{cpu}, {cores} cores")
}

fn scratch(kb: &KbArgs) -> Result<PathBuf> {
    let dir = match &kb.work {
        Some(d) => d.clone(),
        None => std::env::temp_dir().join(format!("dossier-bench-{}", std::process::id())),
    };
    std::fs::create_dir_all(&dir).with_context(|| format!("cannot create {}", dir.display()))?;
    Ok(dir)
}

/// The Reuters articles, one JSON line each.
pub(crate) fn reuters_lines(data: &Path) -> Result<Vec<String>> {
    let path = data.join("reuters21578/reuters21578.jsonl.gz");
    let f =
        std::fs::File::open(&path).with_context(|| format!("cannot open {}", path.display()))?;
    let gz = flate2::read::GzDecoder::new(std::io::BufReader::new(f));
    let mut out = Vec::new();
    for line in std::io::BufReader::new(gz).lines() {
        let line = line.with_context(|| format!("reading {}", path.display()))?;
        if !line.trim().is_empty() {
            out.push(line);
        }
    }
    Ok(out)
}

fn write_lines(path: &Path, lines: &[String]) -> Result<()> {
    let mut w = std::io::BufWriter::new(
        std::fs::File::create(path).with_context(|| format!("cannot create {}", path.display()))?,
    );
    for l in lines {
        writeln!(w, "{l}")?;
    }
    w.flush()?;
    Ok(())
}

/// Writes the mix corpus into `dir` (one .txt per article); returns its size.
pub fn write_mix(data: &Path, dir: &Path) -> Result<usize> {
    std::fs::create_dir_all(dir)?;
    let mut n = 0;
    for split in ["train", "dev"] {
        let texts = data.join(format!("polnear/data/{split}/text"));
        let mut files: Vec<PathBuf> = std::fs::read_dir(&texts)
            .with_context(|| format!("cannot read {}", texts.display()))?
            .filter_map(|e| e.ok().map(|e| e.path()))
            .filter(|p| p.extension().is_some_and(|x| x == "txt"))
            .collect();
        files.sort();
        for f in files {
            let name = f
                .file_name()
                .unwrap_or_default()
                .to_string_lossy()
                .into_owned();
            std::fs::copy(&f, dir.join(format!("polnear_{name}")))?;
            n += 1;
        }
    }
    let ecb = data.join("ecbplus/ECB+");
    let mut topics: Vec<PathBuf> = std::fs::read_dir(&ecb)
        .with_context(|| format!("cannot read {}", ecb.display()))?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.is_dir())
        .collect();
    topics.sort();
    for t in topics {
        let mut files: Vec<PathBuf> = std::fs::read_dir(&t)?
            .filter_map(|e| e.ok().map(|e| e.path()))
            .filter(|p| p.extension().is_some_and(|x| x == "xml"))
            .collect();
        files.sort();
        for f in files {
            let xml = std::fs::read_to_string(&f)?;
            let text = ecb_text(&xml);
            let stem = f
                .file_stem()
                .unwrap_or_default()
                .to_string_lossy()
                .into_owned();
            std::fs::write(dir.join(format!("ecb_{stem}.txt")), text)?;
            n += 1;
        }
    }
    for sub in ["TimeBank", "AQUAINT"] {
        let tb = data.join("tempeval3/TBAQ-cleaned").join(sub);
        let mut files: Vec<PathBuf> = std::fs::read_dir(&tb)
            .with_context(|| format!("cannot read {}", tb.display()))?
            .filter_map(|e| e.ok().map(|e| e.path()))
            .collect();
        files.sort();
        for f in files {
            let tml = std::fs::read_to_string(&f)?;
            let Some(text) = tml_text(&tml) else { continue };
            let stem = f
                .file_stem()
                .unwrap_or_default()
                .to_string_lossy()
                .into_owned();
            std::fs::write(dir.join(format!("tb_{stem}.txt")), text)?;
            n += 1;
        }
    }
    Ok(n)
}

/// ECB+ tokens joined by spaces, a line per sentence.
fn ecb_text(xml: &str) -> String {
    let mut sents: std::collections::BTreeMap<usize, Vec<String>> = Default::default();
    for part in xml.split("<token ").skip(1) {
        let sent = part
            .split("sentence=\"")
            .nth(1)
            .and_then(|s| s.split('"').next())
            .and_then(|s| s.parse::<usize>().ok())
            .unwrap_or(0);
        let word = part
            .split_once('>')
            .and_then(|(_, rest)| rest.split("</token>").next())
            .unwrap_or("");
        sents
            .entry(sent)
            .or_default()
            .push(crate::nlp_data::unescape_xml(word));
    }
    let mut out: Vec<String> = sents.into_values().map(|w| w.join(" ")).collect();
    out.push(String::new());
    out.join("\n")
}

/// The text of a TimeML file, tags removed.
fn tml_text(tml: &str) -> Option<String> {
    let body = tml.split("<TEXT>").nth(1)?.split("</TEXT>").next()?;
    let mut out = String::new();
    let mut in_tag = false;
    for c in body.chars() {
        match c {
            '<' => in_tag = true,
            '>' => in_tag = false,
            c if !in_tag => out.push(c),
            _ => {}
        }
    }
    Some(crate::nlp_data::unescape_xml(out.trim()) + "\n")
}

/// Runs `dossier build` on `input` into `db` as a child process.
fn build(input: &Path, db: &Path, threads: usize, articles: usize) -> Result<Measured> {
    let exe = std::env::current_exe().context("cannot find the dossier binary")?;
    let before = children_usage();
    let t = Instant::now();
    let out = Command::new(exe)
        .args(["build", "--timings", "--db"])
        .arg(db)
        .arg(input)
        .env("RAYON_NUM_THREADS", threads.to_string())
        .output()
        .context("cannot run dossier build")?;
    let wall = t.elapsed();
    let after = children_usage();
    if !out.status.success() {
        bail!(
            "dossier build failed: {}",
            String::from_utf8_lossy(&out.stderr)
        );
    }
    let stdout = String::from_utf8_lossy(&out.stdout);
    let stages = stdout
        .lines()
        .skip_while(|l| !l.starts_with("Stage times"))
        .skip(1)
        .filter_map(|l| {
            let (name, secs) = l.trim().rsplit_once(": ")?;
            Some((name.to_string(), secs.parse().ok()?))
        })
        .collect();
    Ok(Measured {
        articles,
        wall,
        cpu: after.0.saturating_sub(before.0),
        peak_rss: after.1,
        db_bytes: std::fs::metadata(db).map(|m| m.len()).unwrap_or(0),
        stages,
    })
}

/// CPU time and peak RSS (bytes) of the children waited for so far.
fn children_usage() -> (Duration, u64) {
    // SAFETY: getrusage only writes into the struct it is given.
    let mut u: libc::rusage = unsafe { std::mem::zeroed() };
    if unsafe { libc::getrusage(libc::RUSAGE_CHILDREN, &mut u) } != 0 {
        return (Duration::ZERO, 0);
    }
    let micros = |t: libc::timeval| t.tv_sec as u64 * 1_000_000 + t.tv_usec as u64;
    let cpu = Duration::from_micros(micros(u.ru_utime) + micros(u.ru_stime));
    (cpu, u.ru_maxrss as u64 * 1024)
}

fn print(m: &Measured, what: &str) {
    let mb = |b: u64| b as f64 / (1024.0 * 1024.0);
    println!(
        "{what}: {} articles in {:.1} s wall → {:.1} articles/s; CPU {:.1} s; peak RSS {:.0} MB; database {:.1} MB ({:.1} KB/article)",
        m.articles,
        m.wall.as_secs_f64(),
        m.articles as f64 / m.wall.as_secs_f64().max(1e-9),
        m.cpu.as_secs_f64(),
        mb(m.peak_rss),
        mb(m.db_bytes),
        m.db_bytes as f64 / 1024.0 / m.articles.max(1) as f64
    );
    let total: f64 = m.stages.iter().map(|s| s.1).sum();
    let parts: Vec<String> = m
        .stages
        .iter()
        .map(|(n, s)| format!("{n} {s:.1} s ({:.0}%)", 100.0 * s / total.max(1e-9)))
        .collect();
    println!(
        "  stages (CPU s summed over threads): {}",
        parts.join(" · ")
    );
}

/// Prepares a corpus: the path to build and its number of articles.
fn corpus(kb: &KbArgs, dir: &Path, spec: &str) -> Result<(PathBuf, usize)> {
    if spec == "mix" {
        let out = dir.join("mix");
        let _ = std::fs::remove_dir_all(&out);
        let n = write_mix(&kb.data, &out)?;
        return Ok((out, n));
    }
    let Some(n) = spec
        .strip_prefix("reuters:")
        .and_then(|n| n.parse::<usize>().ok())
    else {
        bail!("unknown corpus {spec:?}: use mix or reuters:N");
    };
    let lines = reuters_lines(&kb.data)?;
    let take = n.min(lines.len());
    let path = dir.join(format!("reuters-{take}.jsonl"));
    write_lines(&path, &lines[..take])?;
    Ok((path, take))
}

pub fn build_bench(a: &BuildArgs) -> Result<()> {
    let dir = scratch(&a.kb)?;
    let (input, n) = corpus(&a.kb, &dir, &a.corpus)?;
    let db = dir.join("bench.db");
    let _ = std::fs::remove_file(&db);
    println!(
        "bench build: {} ({n} articles), {} threads, on {}",
        a.corpus,
        a.kb.threads,
        machine()
    );
    let m = build(&input, &db, a.kb.threads, n)?;
    print(&m, "build");
    println!("database kept at {}", db.display());
    Ok(())
}

pub fn growth(a: &GrowthArgs) -> Result<()> {
    let dir = scratch(&a.kb)?;
    let lines = reuters_lines(&a.kb.data)?;
    println!(
        "bench growth: Reuters, {} threads, on {}",
        a.kb.threads,
        machine()
    );
    let mut per_article: Vec<(usize, f64)> = Vec::new();
    for &size in &a.sizes {
        let take = size.min(lines.len());
        let input = dir.join(format!("reuters-{take}.jsonl"));
        write_lines(&input, &lines[..take])?;
        let db = dir.join(format!("growth-{take}.db"));
        let _ = std::fs::remove_file(&db);
        let m = build(&input, &db, a.kb.threads, take)?;
        print(&m, &format!("{take:>6}"));
        per_article.push((take, m.wall.as_secs_f64() / take as f64));
    }
    if let (Some(first), Some(last)) = (per_article.first(), per_article.last()) {
        println!(
            "time per article: {:.2} ms at {} → {:.2} ms at {}: {:.2}× (target ≤ 1.5×)",
            first.1 * 1000.0,
            first.0,
            last.1 * 1000.0,
            last.0,
            last.1 / first.1
        );
    }
    Ok(())
}

pub fn incremental(a: &IncrementalArgs) -> Result<()> {
    let dir = scratch(&a.kb)?;
    let lines = reuters_lines(&a.kb.data)?;
    let add = a.add.min(lines.len() / 2);
    let base = &lines[..lines.len() - add];
    let extra = &lines[lines.len() - add..];
    let base_file = dir.join("base.jsonl");
    let extra_dir = dir.join("added");
    std::fs::create_dir_all(&extra_dir)?;
    write_lines(&base_file, base)?;
    write_lines(&extra_dir.join("added.jsonl"), extra)?;
    let db = dir.join("incremental.db");
    let _ = std::fs::remove_file(&db);
    println!(
        "bench incremental: Reuters base of {} articles, then {add} more, {} threads, on {}",
        base.len(),
        a.kb.threads,
        machine()
    );
    let full = build(&base_file, &db, a.kb.threads, base.len())?;
    print(&full, "base build");
    let inc = build(&extra_dir, &db, a.kb.threads, add)?;
    print(&inc, "adding");
    println!(
        "adding {add} articles cost {:.1}% of the base build (target < 5%)",
        100.0 * inc.wall.as_secs_f64() / full.wall.as_secs_f64().max(1e-9)
    );
    Ok(())
}

fn percentiles(mut v: Vec<Duration>) -> (f64, f64, f64) {
    v.sort_unstable();
    let at = |p: f64| {
        if v.is_empty() {
            return 0.0;
        }
        let i = ((v.len() as f64 * p).ceil() as usize).clamp(1, v.len()) - 1;
        v[i].as_secs_f64() * 1000.0
    };
    (at(0.5), at(0.99), at(1.0))
}

pub fn reads(a: &ReadsArgs) -> Result<()> {
    let mut store = Store::open_read(&a.db)?;
    let snap = store.snapshot()?;
    let q = Query::new(&snap);
    let stats = q.stats()?;
    println!(
        "bench reads: {} ({} documents, {} entities, {} events, {} claims) on {}",
        a.db.display(),
        stats.documents,
        stats.entities,
        stats.events,
        stats.claims,
        machine()
    );
    // Names and ids to ask about: the entities of a spread of documents.
    let step = (stats.documents / a.samples.max(1)).max(1);
    let mut targets: Vec<(String, String)> = Vec::new();
    let mut offset = 0;
    while offset < stats.documents && targets.len() < a.samples {
        if let Some(d) = q.documents(Page::new(offset, 1))?.items.first() {
            if let Some(v) = q.document(&d.id)? {
                if let Some(s) = v.spans.iter().find(|s| s.layer == "mention") {
                    if let Some(t) = &s.target {
                        targets.push((t.clone(), s.label.clone()));
                    }
                }
            }
        }
        offset += step;
    }
    if targets.is_empty() {
        bail!("no entities to read in {}", a.db.display());
    }
    let time = |f: &mut dyn FnMut(&(String, String)) -> Result<()>| -> Result<Vec<Duration>> {
        let mut v = Vec::new();
        for t in &targets {
            let s = Instant::now();
            f(t)?;
            v.push(s.elapsed());
        }
        Ok(v)
    };
    let who = time(&mut |(_, name)| {
        q.search(name, None, Page::new(0, 10))?;
        Ok(())
    })?;
    let search = time(&mut |(_, name)| {
        let prefix: String = name.chars().take(4).collect();
        q.search(&prefix, None, Page::new(0, 10))?;
        Ok(())
    })?;
    let page = time(&mut |(id, _)| {
        q.dossier(id, Page::default())?;
        Ok(())
    })?;
    let timeline = time(&mut |(id, _)| {
        q.timeline(&TimelineQuery {
            entity: Some(id.clone()),
            ..Default::default()
        })?;
        Ok(())
    })?;
    for (name, v) in [
        ("who (search by full name)", who),
        ("search (4-letter prefix)", search),
        ("entity page (dossier)", page),
        ("timeline of an entity", timeline),
    ] {
        let (p50, p99, max) = percentiles(v);
        println!(
            "  {name:<28} p50 {p50:>7.2} ms  p99 {p99:>7.2} ms  max {max:>7.2} ms  ({} queries)",
            targets.len()
        );
    }
    drop(snap);
    serve_start(&a.db)?;
    Ok(())
}

/// Starts `dossier serve` on a free port and times it until it answers;
/// reports its resident memory after a round of entity pages.
fn serve_start(db: &Path) -> Result<()> {
    let exe = std::env::current_exe().context("cannot find the dossier binary")?;
    let t = Instant::now();
    let mut child = Command::new(exe)
        .args(["serve", "--addr", "127.0.0.1:0", "--db"])
        .arg(db)
        .stderr(std::process::Stdio::piped())
        .stdout(std::process::Stdio::null())
        .spawn()
        .context("cannot start dossier serve")?;
    let stderr = child.stderr.take().context("no stderr")?;
    let mut lines = std::io::BufReader::new(stderr).lines();
    let mut addr = None;
    for line in lines.by_ref() {
        let line = line?;
        if let Some(rest) = line.split("http://").nth(1) {
            addr = rest.split('/').next().map(str::to_string);
            break;
        }
    }
    let Some(addr) = addr else {
        let _ = child.kill();
        bail!("dossier serve did not say where it listens");
    };
    let get = |path: &str| -> Result<()> {
        let mut s = std::net::TcpStream::connect(&addr)?;
        write!(
            s,
            "GET {path} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n\r\n"
        )?;
        let mut buf = String::new();
        std::io::Read::read_to_string(&mut s, &mut buf)?;
        if !buf.starts_with("HTTP/1.1 200") {
            bail!("GET {path}: {}", buf.lines().next().unwrap_or(""));
        }
        Ok(())
    };
    get("/api/v1/stats")?;
    let started = t.elapsed();
    for _ in 0..50 {
        get("/api/v1/search?q=a&limit=20")?;
    }
    let rss = std::fs::read_to_string(format!("/proc/{}/status", child.id()))
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("VmRSS:"))
                .and_then(|l| l.split_whitespace().nth(1)?.parse::<u64>().ok())
        })
        .unwrap_or(0);
    let _ = child.kill();
    let _ = child.wait();
    println!(
        "  serve: answering {:.0} ms after start; resident memory {:.0} MB after 50 searches",
        started.as_secs_f64() * 1000.0,
        rss as f64 / 1024.0
    );
    Ok(())
}
