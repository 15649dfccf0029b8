//! `cargo run -p dossier-serve --example serve -- --db dossier.db`: the
//! server without building the whole `dossier` binary (for UI work).

use clap::Parser;

#[derive(Parser)]
struct Cli {
    #[command(flatten)]
    args: dossier_serve::ServeArgs,
}

fn main() {
    let cli = Cli::parse();
    if let Err(e) = dossier_serve::run(&cli.args) {
        eprintln!("error: {e}");
        std::process::exit(1);
    }
}
