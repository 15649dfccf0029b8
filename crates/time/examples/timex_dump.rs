//! Prints the time expressions of a text file with the plain tokenizer.
//! Usage: cargo run -p dossier-time --example timex_dump -- FILE [YYYY-MM-DD]

use dossier_core::Date;

fn main() {
    let mut args = std::env::args().skip(1);
    let Some(path) = args.next() else {
        eprintln!("usage: timex_dump FILE [YYYY-MM-DD]");
        std::process::exit(2);
    };
    let text = match std::fs::read_to_string(&path) {
        Ok(t) => t,
        Err(e) => {
            eprintln!("{path}: {e}");
            std::process::exit(1);
        }
    };
    let dct = args.next().and_then(|d| Date::parse_iso(&d));
    for t in dossier_time::tag_plain(&text, dct) {
        println!(
            "{:>6}..{:<6} {:<9} {:<22} {}",
            t.start,
            t.end,
            t.kind.as_str(),
            t.value.as_deref().unwrap_or("-"),
            t.text.replace('\n', " ")
        );
    }
}
