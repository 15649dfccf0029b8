//! The `dossier` command line: a thin layer over the library crates.

mod analysis;
mod inspect;
mod pipeline;
mod report;
mod resolution;
mod screen;

use anyhow::{Context, Result};
use clap::{Parser, Subcommand};
use dossier_ingest::Limits;
use dossier_store::Store;
use std::io::IsTerminal;
use std::path::PathBuf;

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
        /// Files and directories (searched recursively).
        #[arg(required = true)]
        paths: Vec<PathBuf>,
        #[arg(long, default_value = "dossier.db")]
        db: PathBuf,
        /// Skip files larger than this many megabytes.
        #[arg(long, default_value_t = 64)]
        max_file_size: u64,
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
    /// Row counts per table and the inputs that were skipped, with reasons.
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
    /// An entity's names and aliases with sources, descriptions, mentions.
    Show {
        id: String,
        #[arg(long, default_value = "dossier.db")]
        db: PathBuf,
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
        eprintln!("error: {e:#}");
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

fn run(cli: Cli) -> Result<()> {
    match cli.command {
        Command::Build {
            paths,
            db,
            max_file_size,
            model,
        } => {
            let limits = Limits {
                max_file_bytes: max_file_size.saturating_mul(1 << 20),
                ..Limits::default()
            };
            let nlp = dossier_analyze::pipeline::Pipeline::locate_and_load(model.as_deref())?;
            let analyzer = analysis::NlpAnalyzer::new(nlp);
            let mut store = Store::open(&db)?;
            let summary = pipeline::build(&mut store, &paths, &limits, Some(&analyzer))?;
            report::print_summary(&summary, &db);
            Ok(())
        }
        Command::Export { db, format, output } => {
            let store = Store::open_read_only(&db)?;
            let export = dossier_export::knowledge_base(&store)?;
            match output {
                Some(path) => {
                    let file = std::fs::File::create(&path)
                        .with_context(|| format!("cannot create {}", path.display()))?;
                    dossier_export::write(&export, format, std::io::BufWriter::new(file))?;
                }
                None => dossier_export::write(&export, format, std::io::stdout().lock())?,
            }
            Ok(())
        }
        Command::Stats { db, integrity } => {
            let store = Store::open_read_only(&db)?;
            report::print_stats(&store.stats()?);
            if integrity {
                println!("integrity: {}", store.integrity_check()?);
            }
            Ok(())
        }
        Command::Serve(args) => Ok(dossier_serve::run(&args)?),
        Command::Who { name, db, limit } => {
            print!(
                "{}",
                inspect::who(&Store::open_read_only(&db)?, &name, limit.clamp(1, 200))?
            );
            Ok(())
        }
        Command::Show { id, db } => {
            print!("{}", inspect::show(&Store::open_read_only(&db)?, &id)?);
            Ok(())
        }
        Command::Explain { id1, id2, db } => {
            print!(
                "{}",
                inspect::explain(&Store::open_read_only(&db)?, &id1, &id2)?
            );
            Ok(())
        }
        Command::Timeline { entity, db, limit } => {
            let store = Store::open_read_only(&db)?;
            print!(
                "{}",
                inspect::timeline(&store, entity.as_deref(), limit.clamp(1, 100))?
            );
            Ok(())
        }
        Command::Claims { target, db, limit } => {
            let store = Store::open_read_only(&db)?;
            print!("{}", inspect::claims(&store, &target, limit.clamp(1, 100))?);
            Ok(())
        }
        Command::Screen(args) => screen::run(&args),
        Command::Eval(cmd) => dossier_eval::run_eval(&cmd),
        Command::Bench(cmd) => dossier_eval::run_bench(&cmd),
    }
}
