//! `dossier bench screen`: how fast lists load and names are screened,
//! against the plain fuzzy baseline of `dossier eval screen` (token-sort
//! Jaro-Winkler over every name of the lists) timed in the same session.
//!
//! Queries are the names of the screening dev/test set (UN and OFAC names
//! of listed people, their Arabic-script names, and CoNLL-2003 person
//! names), screened against both lists (OFAC 2022-01 with aliases and
//! addresses, UN 2020-11-30). Figures are wall-clock and per CPU-second.

use std::hint::black_box;
use std::path::PathBuf;
use std::time::Instant;

use anyhow::{Context, Result};
use dossier_screen::entry::EntityType;
use dossier_screen::{ListSpec, Screener};
use rayon::prelude::*;

use crate::bench::process_cpu_seconds;
use crate::screen::{build, Baseline};

#[derive(Debug, clap::Args)]
pub struct ScreenArgs {
    /// The shared data directory.
    #[arg(long, default_value = "../shared/data")]
    pub data: PathBuf,
    /// Threads for the parallel run (default: all cores).
    #[arg(long)]
    pub threads: Option<usize>,
    /// Repeat the query set this many times for the timed runs.
    #[arg(long, default_value_t = 3)]
    pub rounds: usize,
    /// Queries for the (slow, full-scan) baseline run.
    #[arg(long, default_value_t = 300)]
    pub baseline_queries: usize,
}

fn machine() -> String {
    let cpu = std::fs::read_to_string("/proc/cpuinfo")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("model name"))
                .and_then(|l| l.split_once(':'))
                .map(|(_, v)| v.trim().to_string())
        })
        .unwrap_or_else(|| "unknown CPU".into());
    let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
    format!("{cpu}, {cores} cores available")
}

struct Timed {
    seconds: f64,
    cpu: f64,
}

fn timed(f: impl FnOnce() -> usize) -> Timed {
    let cpu = process_cpu_seconds();
    let t = Instant::now();
    black_box(f());
    Timed {
        seconds: t.elapsed().as_secs_f64(),
        cpu: process_cpu_seconds() - cpu,
    }
}

pub fn run(args: &ScreenArgs) -> Result<()> {
    println!("bench screen on {}", machine());
    let specs: Vec<ListSpec> = vec![
        format!(
            "ofac:{}",
            args.data.join("ofac_sdn/2022-01_ListLookup").display()
        )
        .parse()?,
        format!(
            "un:{}",
            args.data
                .join("un_consolidated_list/consolidated_2020-11-30.xml")
                .display()
        )
        .parse()?,
    ];
    // Load twice: the first run warms the page cache.
    let _ = dossier_screen::load_all(&specs)?;
    let t = Instant::now();
    let lists = dossier_screen::load_all(&specs)?;
    let read = t.elapsed().as_secs_f64();
    let screener = Screener::new(lists).context("model")?;
    let total = t.elapsed().as_secs_f64();
    println!(
        "  load both lists: {total:.2}s ({read:.2}s reading, {:.2}s indexing): {} entries, {} names indexed",
        total - read,
        screener.entries().len(),
        screener.name_count()
    );
    let set = build(&args.data)?;
    let queries: Vec<dossier_screen::Query> = set.cases.iter().map(|c| c.query.clone()).collect();
    let n = queries.len() * args.rounds;
    // Warm-up.
    for q in queries.iter().take(200) {
        black_box(screener.screen(q, 10));
    }
    let one = rayon::ThreadPoolBuilder::new()
        .num_threads(1)
        .build()
        .context("thread pool")?;
    let single = one.install(|| {
        timed(|| {
            (0..args.rounds)
                .map(|_| {
                    queries
                        .iter()
                        .map(|q| screener.screen(q, 10).len())
                        .sum::<usize>()
                })
                .sum()
        })
    });
    let threads = args
        .threads
        .unwrap_or_else(|| std::thread::available_parallelism().map_or(1, |n| n.get()));
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(threads)
        .build()
        .context("thread pool")?;
    let multi = pool.install(|| {
        timed(|| {
            (0..args.rounds)
                .map(|_| {
                    queries
                        .par_iter()
                        .map(|q| screener.screen(q, 10).len())
                        .sum::<usize>()
                })
                .sum()
        })
    });
    let baseline = Baseline::new(&[&set.ofac, &set.un], EntityType::Person);
    let bq: Vec<&str> = queries
        .iter()
        .take(args.baseline_queries)
        .map(|q| q.name.as_str())
        .collect();
    let base = one.install(|| timed(|| bq.iter().map(|q| baseline.top(q, 10).len()).sum()));
    let rate = |count: usize, t: &Timed| (count as f64 / t.seconds, count as f64 / t.cpu.max(1e-9));
    let (s_wall, s_cpu) = rate(n, &single);
    let (m_wall, m_cpu) = rate(n, &multi);
    let (b_wall, b_cpu) = rate(bq.len(), &base);
    println!(
        "  {} queries ({} distinct x {} rounds), both lists loaded, top 10 with explanations:",
        n,
        queries.len(),
        args.rounds
    );
    println!(
        "  {:<44} {:>10} {:>12} {:>9}",
        "run", "names/s", "names/CPU-s", "vs base"
    );
    println!(
        "  {:<44} {:>10.0} {:>12.0} {:>8.1}x",
        "dossier-screen, 1 thread",
        s_wall,
        s_cpu,
        s_wall / b_wall
    );
    println!(
        "  {:<44} {:>10.0} {:>12.0} {:>8.1}x",
        format!("dossier-screen, {threads} threads"),
        m_wall,
        m_cpu,
        m_wall / b_wall
    );
    println!(
        "  {:<44} {:>10.0} {:>12.0} {:>9}",
        format!(
            "baseline: token-sort Jaro-Winkler full scan ({} names), 1 thread, {} queries",
            baseline.name_count(),
            bq.len()
        ),
        b_wall,
        b_cpu,
        "1.0x"
    );
    println!(
        "  scaling over {threads} threads: {:.2}x; target >= 1000 names/s per core: {}",
        m_wall / s_wall,
        if s_cpu >= 1000.0 { "met" } else { "NOT met" }
    );
    Ok(())
}
