//! Regenerate `data/variants.tsv` from the transliteration data.
//!
//! `cargo run -p dossier-names --release --example build-table -- ../shared/data [out.tsv]`

use std::path::PathBuf;

fn main() {
    let mut args = std::env::args().skip(1);
    let data = PathBuf::from(args.next().unwrap_or_else(|| "../shared/data".to_string()));
    let out = args
        .next()
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("data/variants.tsv"));
    match dossier_names::table::build(&data) {
        Ok(table) => {
            if let Err(e) = std::fs::write(&out, table.to_tsv()) {
                eprintln!("cannot write {}: {e}", out.display());
                std::process::exit(1);
            }
            eprintln!(
                "wrote {} ({} groups, {} letter renderings)",
                out.display(),
                table.groups().len(),
                table.rendering_count()
            );
        }
        Err(e) => {
            eprintln!("{e}");
            std::process::exit(1);
        }
    }
}
