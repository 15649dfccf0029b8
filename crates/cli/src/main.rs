//! The `dossier` command line: argument parsing and printing over the
//! library crates. The stages are put together in `dossier-pipeline`; reads
//! go through `dossier-query`.

mod inspect;
mod judge;
mod report;
mod screen;

use anyhow::{Context, Result};
use clap::{Parser, Subcommand};
use dossier_ingest::Limits;
use dossier_pipeline::{Analyzer, BuildOptions};
use dossier_query::Query;
use dossier_store::{Store, WhenBusy};
use std::io::IsTerminal;
use std::path::PathBuf;

// Resolution and linking allocate many small maps and strings: the system
// allocator spent about a quarter of the corpus step's time (perf, Reuters).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

#[derive(Debug, Parser)]
#[command(
    name = "dossier",
    version,
    about = "Who is who, what happened, and who says so, across news articles"
)]
struct Cli {
    /// More log output (-v info, -vv debug); RUST_LOG overrides.
    #[arg(short, long, action = clap::ArgAction::Count, global = true)]
    verbose: u8,
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Ingest articles (files or directories, any mix) into the database.
    Build {
        /// Files and directories (searched recursively). With none, the
        /// build applies analysts' judgements and finishes pending work.
        paths: Vec<PathBuf>,
        #[arg(long, default_value = "dossier.db")]
        db: PathBuf,
        /// Skip files larger than this many megabytes.
        #[arg(long, default_value_t = 64)]
        max_file_size: u64,
        /// Skip a document whose analysis takes longer than this many seconds.
        #[arg(long, default_value_t = 120)]
        doc_budget: u64,
        /// Fail at once if another build holds the database, instead of
        /// waiting for it.
        #[arg(long)]
        no_wait: bool,
        /// Print the time spent in each stage (CPU seconds summed over
        /// threads) after the summary.
        #[arg(long)]
        timings: bool,
        /// The spaCy model directory (default: $DOSSIER_MODEL, then
        /// models/en_core_web_sm).
        #[arg(long)]
        model: Option<PathBuf>,
    },
    /// Write the knowledge base in the export contract's format.
    Export {
        #[arg(long, default_value = "dossier.db")]
        db: PathBuf,
        #[arg(long, default_value = "json")]
        format: dossier_export::Format,
        /// Output file (default: standard output).
        #[arg(short, long)]
        output: Option<PathBuf>,
    },
    /// Row counts per table, sizes, and the inputs that were skipped.
    Stats {
        #[arg(long, default_value = "dossier.db")]
        db: PathBuf,
        /// Also run SQLite's full integrity check.
        #[arg(long)]
        integrity: bool,
    },
    /// Serve the knowledge base as a local web application and JSON API.
    Serve(dossier_serve::ServeArgs),
    /// Every entity a name could mean, ranked, with a one-line summary each.
    Who {
        name: String,
        #[arg(long, default_value = "dossier.db")]
        db: PathBuf,
        #[arg(long, default_value_t = 10)]
        limit: usize,
    },
    /// An entity's names and aliases with sources, descriptions, documents.
    Show {
        id: String,
        #[arg(long, default_value = "dossier.db")]
        db: PathBuf,
        /// Items per list.
        #[arg(long, default_value_t = 20)]
        limit: usize,
    },
    /// Why two entities were, or were not, merged.
    Explain {
        id1: String,
        id2: String,
        #[arg(long, default_value = "dossier.db")]
        db: PathBuf,
    },
    /// Dated events in order, with sources (all, or one entity's).
    Timeline {
        /// Entity id or name.
        entity: Option<String>,
        #[arg(long, default_value = "dossier.db")]
        db: PathBuf,
        #[arg(long, default_value_t = 100)]
        limit: usize,
    },
    /// Claims for and against about an entity or event, with speakers and sources.
    Claims {
        /// Entity id or name, or event id.
        target: String,
        #[arg(long, default_value = "dossier.db")]
        db: PathBuf,
        #[arg(long, default_value_t = 100)]
        limit: usize,
    },
    /// Record that two entities are one (an analyst's judgement).
    Merge(judge::PairArgs),
    /// Record that two entities are different people or things.
    NotSame(judge::PairArgs),
    /// Record that an entity's mentions in one document are someone else.
    Split(judge::SplitArgs),
    /// Screen a name, or a batch of queries, against sanctions lists.
    Screen(screen::Args),
    /// Measure quality against the data in ../shared/data.
    #[command(subcommand)]
    Eval(dossier_eval::EvalCommand),
    /// Measure speed against a baseline run in the same session.
    #[command(subcommand)]
    Bench(dossier_eval::BenchCommand),
}

fn main() {
    let cli = Cli::parse();
    init_logging(cli.verbose);
    if let Err(e) = run(cli) {
        eprintln!("error: {}", report::safe(&format!("{e:#}")));
        std::process::exit(1);
    }
}

fn init_logging(verbose: u8) {
    let default = match verbose {
        0 => "warn",
        1 => "info",
        _ => "debug",
    };
    let filter = tracing_subscriber::EnvFilter::try_from_default_env()
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new(default));
    tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr)
        .with_ansi(std::io::stderr().is_terminal())
        .with_target(false)
        .without_time()
        .init();
}

/// Runs `f` over a query on one snapshot of the database.
fn read<T>(db: &std::path::Path, f: impl FnOnce(&Query<'_>) -> Result<T>) -> Result<T> {
    let mut store = Store::open_read(db)?;
    let snap = store.snapshot()?;
    f(&Query::new(&snap))
}

fn run(cli: Cli) -> Result<()> {
    match cli.command {
        Command::Build {
            paths,
            db,
            max_file_size,
            doc_budget,
            no_wait,
            timings,
            model,
        } => {
            let opts = BuildOptions {
                limits: Limits {
                    max_file_bytes: max_file_size.saturating_mul(1 << 20),
                    ..Limits::default()
                },
                progress: std::io::stderr().is_terminal(),
                ..BuildOptions::default()
            };
            let analyzer = Analyzer::load(model.as_deref())?
                .with_budget(std::time::Duration::from_secs(doc_budget.max(1)));
            let busy = if no_wait {
                WhenBusy::Fail
            } else {
                WhenBusy::Wait
            };
            let mut store = Store::open(&db, busy)?;
            let summary = dossier_pipeline::build(&mut store, &paths, &analyzer, &opts)?;
            report::print_summary(&summary, &db);
            if timings {
                report::print_timings(analyzer.times());
            }
            Ok(())
        }
        Command::Export { db, format, output } => {
            let mut store = Store::open_read(&db)?;
            let snap = store.snapshot()?;
            match output {
                Some(path) => {
                    let file = std::fs::File::create(&path)
                        .with_context(|| format!("cannot create {}", path.display()))?;
                    let mut w = std::io::BufWriter::new(file);
                    dossier_export::write(&snap, format, &mut w)?;
                }
                None => {
                    let mut w = std::io::BufWriter::new(std::io::stdout().lock());
                    dossier_export::write(&snap, format, &mut w)?;
                }
            }
            Ok(())
        }
        Command::Stats { db, integrity } => {
            let store = Store::open_read(&db)?;
            report::print_stats(&store.stats()?);
            if integrity {
                println!("integrity: {}", store.integrity_check()?);
            }
            Ok(())
        }
        Command::Serve(args) => Ok(dossier_serve::run(&args)?),
        Command::Who { name, db, limit } => {
            let out = read(&db, |q| inspect::who(q, &name, limit.clamp(1, 200)))?;
            print!("{out}");
            Ok(())
        }
        Command::Show { id, db, limit } => {
            let out = read(&db, |q| inspect::show(q, &id, limit.clamp(1, 100)))?;
            print!("{out}");
            Ok(())
        }
        Command::Explain { id1, id2, db } => {
            let mut store = Store::open_read(&db)?;
            let snap = store.snapshot()?;
            print!("{}", judge::explain(&snap, &id1, &id2)?);
            Ok(())
        }
        Command::Timeline { entity, db, limit } => {
            let out = read(&db, |q| {
                inspect::timeline(q, entity.as_deref(), limit.clamp(1, 100))
            })?;
            print!("{out}");
            Ok(())
        }
        Command::Claims { target, db, limit } => {
            let out = read(&db, |q| inspect::claims(q, &target, limit.clamp(1, 100)))?;
            print!("{out}");
            Ok(())
        }
        Command::Merge(a) => judge::pair(&a, dossier_store::JudgementKind::Same),
        Command::NotSame(a) => judge::pair(&a, dossier_store::JudgementKind::NotSame),
        Command::Split(a) => judge::split(&a),
        Command::Screen(args) => screen::run(&args),
        Command::Eval(cmd) => dossier_eval::run_eval(&cmd),
        Command::Bench(cmd) => dossier_eval::run_bench(&cmd),
    }
}
