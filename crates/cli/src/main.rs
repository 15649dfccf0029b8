use clap::{Parser, Subcommand};

#[derive(Debug, Parser)]
#[command(name = "dossier", version, about = "Who is who, what happened, and who says so, across news articles")]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Measure quality against the data in ../shared/data.
    #[command(subcommand)]
    Eval(dossier_eval::EvalCommand),
    /// Measure speed against a baseline run in the same session.
    #[command(subcommand)]
    Bench(dossier_eval::BenchCommand),
}

fn main() -> anyhow::Result<()> {
    let cli = Cli::parse();
    match &cli.command {
        Command::Eval(cmd) => dossier_eval::run_eval(cmd),
        Command::Bench(cmd) => dossier_eval::run_bench(cmd),
    }
}
