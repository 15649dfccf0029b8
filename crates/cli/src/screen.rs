//! `dossier screen`: one name, or a batch file of queries, against
//! sanctions lists. The logic is in `dossier-screen`; this is the edge.

use std::io::{BufReader, Write};
use std::path::PathBuf;
use std::time::Instant;

use anyhow::{bail, Context, Result};
use dossier_screen::batch::{self, OutputFormat};
use dossier_screen::load::shown;
use dossier_screen::query::{read_csv, read_jsonl};
use dossier_screen::{ListSpec, Query, Screener};

#[derive(Debug, clap::Args)]
pub struct Args {
    /// A list to screen against: ofac:PATH (folder or sdn.csv, with
    /// alt.csv/add.csv beside it), un:PATH (consolidated XML) or ftm:PATH
    /// (FollowTheMoney JSON lines). Repeat for several lists.
    #[arg(long = "list", required = true)]
    pub lists: Vec<String>,
    /// The name to screen (or use --input, or --db).
    pub name: Option<String>,
    /// Screen every person and organisation of this knowledge base, with
    /// what its articles say about them, and store the results (shown by
    /// `dossier show`, the API and the web page).
    #[arg(long)]
    pub db: Option<PathBuf>,
    /// Date of birth: YYYY, YYYY-MM or YYYY-MM-DD.
    #[arg(long)]
    pub birth_date: Option<String>,
    /// Country of nationality or residence (name, ISO code or adjective).
    #[arg(long)]
    pub country: Option<String>,
    /// person, organization, vessel or aircraft.
    #[arg(long = "type")]
    pub entity_type: Option<String>,
    /// Batch input: QUERIES.jsonl ({"id","name","type","birth_date","country"}
    /// a line) or QUERIES.csv (header with a `name` column).
    #[arg(long)]
    pub input: Option<PathBuf>,
    /// Output: text (one name) , json or csv.
    #[arg(long)]
    pub format: Option<String>,
    /// Matches reported per query at most.
    #[arg(long, default_value_t = 5)]
    pub limit: usize,
    /// Write results here instead of standard output.
    #[arg(short, long)]
    pub output: Option<PathBuf>,
}

pub fn run(args: &Args) -> Result<()> {
    let specs: Vec<ListSpec> = args
        .lists
        .iter()
        .map(|s| s.parse::<ListSpec>())
        .collect::<Result<_, _>>()?;
    let t = Instant::now();
    let lists = dossier_screen::load_all(&specs)?;
    for l in &lists {
        for s in &l.source.skipped {
            eprintln!("warning: {s}");
        }
    }
    let screener = Screener::new(lists)?;
    tracing::info!(
        "loaded {} entries ({} names) in {:.2}s",
        screener.entries().len(),
        screener.name_count(),
        t.elapsed().as_secs_f64()
    );
    let mut out: Box<dyn Write> = match &args.output {
        Some(p) => Box::new(std::io::BufWriter::new(
            std::fs::File::create(p).with_context(|| format!("cannot create {}", shown(p)))?,
        )),
        None => Box::new(std::io::BufWriter::new(std::io::stdout().lock())),
    };
    let limit = args.limit.clamp(1, 100);
    if let Some(db) = &args.db {
        if args.name.is_some() || args.input.is_some() {
            bail!("--db screens the knowledge base; give no NAME or --input with it");
        }
        return knowledge_base(db, &screener, &mut out);
    }
    match (&args.name, &args.input) {
        (Some(_), Some(_)) => bail!("give a NAME or --input, not both"),
        (None, None) => bail!("give a NAME to screen, or --input QUERIES.jsonl|QUERIES.csv"),
        (Some(name), None) => {
            let q = Query::from_fields(
                name,
                args.entity_type.as_deref(),
                args.birth_date.as_deref(),
                args.country.as_deref(),
            )
            .with_context(|| format!("cannot screen {:?}", truncate(name)))?;
            let matches = screener.screen(&q, limit);
            match args.format.as_deref().unwrap_or("text") {
                "text" => write_text(&mut out, &screener, &q, &matches)?,
                f => {
                    let format: OutputFormat = f.parse().map_err(anyhow::Error::msg)?;
                    let item = dossier_screen::query::BatchItem {
                        id: "1".into(),
                        line: 1,
                        query: Ok(q),
                    };
                    batch::run(
                        &screener,
                        std::iter::once(Ok(item)),
                        format,
                        limit,
                        &mut out,
                    )?;
                }
            }
        }
        (None, Some(input)) => {
            let format: OutputFormat = args
                .format
                .as_deref()
                .unwrap_or("json")
                .parse()
                .map_err(anyhow::Error::msg)?;
            let meta = std::fs::metadata(input)
                .with_context(|| format!("cannot read {}", shown(input)))?;
            if !meta.is_file() {
                bail!("{}: not a regular file", shown(input));
            }
            let file = std::fs::File::open(input)
                .with_context(|| format!("cannot read {}", shown(input)))?;
            let reader = BufReader::new(file);
            let is_csv = input
                .extension()
                .is_some_and(|e| e.eq_ignore_ascii_case("csv"));
            let t = Instant::now();
            let summary = if is_csv {
                let items = read_csv(reader).with_context(|| shown(input))?;
                batch::run(&screener, items.into_iter(), format, limit, &mut out)?
            } else {
                batch::run(&screener, read_jsonl(reader), format, limit, &mut out)?
            };
            out.flush()?;
            eprintln!(
                "screened {} queries in {:.2}s: {} with a match, {} refused",
                summary.queries,
                t.elapsed().as_secs_f64(),
                summary.matched,
                summary.refused
            );
        }
    }
    out.flush()?;
    Ok(())
}

fn truncate(s: &str) -> String {
    let t: String = s.chars().take(60).collect();
    if t.len() < s.len() {
        format!("{t}…")
    } else {
        t
    }
}

fn write_text(
    out: &mut dyn Write,
    screener: &Screener,
    q: &Query,
    matches: &[dossier_screen::ScreenMatch],
) -> Result<()> {
    let lists: Vec<String> = screener
        .sources()
        .iter()
        .map(|s| match s.date {
            Some(d) => format!("{} of {d}", s.kind),
            None => s.kind.to_string(),
        })
        .collect();
    writeln!(
        out,
        "screened {:?} against {} ({} entries); threshold {:.2}",
        q.name,
        lists.join(", "),
        screener.entries().len(),
        screener.model().threshold
    )?;
    if matches.is_empty() {
        writeln!(
            out,
            "no candidate scored above {:.2}",
            screener.model().report_floor
        )?;
    }
    for (i, m) in matches.iter().enumerate() {
        writeln!(
            out,
            "{}. {} {:.3}  {} {}  {}",
            i + 1,
            if m.is_match { "MATCH   " } else { "no match" },
            m.score,
            m.list,
            m.list_id,
            m.name
        )?;
        for e in &m.explanation {
            writeln!(out, "     - {e}")?;
        }
    }
    Ok(())
}

/// Screens a knowledge base and prints what is new since the last time.
fn knowledge_base(db: &std::path::Path, screener: &Screener, out: &mut dyn Write) -> Result<()> {
    let mut store = dossier_store::Store::open(db, dossier_store::WhenBusy::Wait)?;
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_secs())
        .unwrap_or(0)
        .to_string();
    let t = Instant::now();
    let r = dossier_pipeline::screening::screen_knowledge_base(&mut store, screener, &now)?;
    writeln!(
        out,
        "Screened {} people and organisations in {:.1} s: {} matches at the default threshold.",
        r.entities,
        t.elapsed().as_secs_f64(),
        r.matches
    )?;
    if r.new_matches.is_empty() {
        writeln!(out, "No new matches since the last screening.")?;
    } else {
        writeln!(
            out,
            "New since the last screening ({}):",
            r.new_matches.len()
        )?;
        for (name, id, list, list_id, list_name, score) in &r.new_matches {
            writeln!(
                out,
                "  {}  [{id}]  ~ {list} {list_id} {} (score {score:.2})",
                crate::report::safe(name),
                crate::report::safe(list_name)
            )?;
        }
    }
    if r.changed_entries > 0 {
        writeln!(
            out,
            "List entries changed since last seen: {}",
            r.changed_entries
        )?;
    }
    if r.gone > 0 {
        writeln!(out, "Matches no longer found: {}", r.gone)?;
    }
    writeln!(
        out,
        "See them with `dossier show ID --db {}`.",
        crate::report::safe(&db.display().to_string())
    )?;
    Ok(())
}
