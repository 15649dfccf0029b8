//! Prints what `dossier-facts` extracts from texts.
//!
//! ```sh
//! cargo run -p dossier-facts --example facts_dump -- texts.jsonl [--json]
//! .venv/bin/python scripts/python/spacy_ref.py < texts.jsonl > parses.jsonl
//! cargo run -p dossier-facts --example facts_dump -- texts.jsonl --parses parses.jsonl
//! ```
//! `texts.jsonl` has one `{"id", "text", "published"?}` per line. Without
//! `--parses` the native pipeline (model in `models/en_core_web_sm` or
//! `$DOSSIER_MODEL`) parses the texts.

use dossier_analyze::pipeline::Pipeline;
use dossier_core::Document;
use dossier_facts::{facts_of_parse, reference, DocFacts, Ref};
use std::io::BufRead;

fn r(x: &Ref) -> String {
    match &x.entity {
        Some(e) if e.text != x.span.text => format!("{} [={}]", x.span.text, e.text),
        Some(_) => format!("{} [E]", x.span.text),
        None => x.span.text.clone(),
    }
}

fn show(f: &DocFacts) {
    println!("=== {}", f.doc);
    for (i, e) in f.events.iter().enumerate() {
        let args: Vec<String> = e
            .args
            .iter()
            .map(|a| format!("{}={}", a.role, r(&a.arg)))
            .collect();
        let places: Vec<String> = e.places.iter().map(r).collect();
        let mut flags = vec![e.modality.as_str()];
        for (b, n) in [(e.background, "background"), (e.anaphoric, "anaphoric")] {
            if b {
                flags.push(n);
            }
        }
        println!(
            "  E{i} {} '{}'@{} {} places={:?} date={:?} {:?} ante={:?} links={:?}",
            e.kind.as_str(),
            e.trigger.text,
            e.trigger.start,
            args.join(", "),
            places,
            e.date.as_ref().map(|d| (&d.span.text, &d.value)),
            flags,
            e.antecedent,
            e.links
                .iter()
                .map(|l| (l.kind, l.event))
                .collect::<Vec<_>>()
        );
        println!("      «{}»", e.evidence.text.replace('\n', " "));
    }
    for rel in &f.relations {
        println!(
            "  R {} {} -> {} role={:?} cue='{}'",
            rel.kind.as_str(),
            r(&rel.subject),
            rel.object.as_ref().map(r).unwrap_or_default(),
            rel.role,
            rel.cue.text
        );
    }
    for (i, c) in f.claims.iter().enumerate() {
        println!(
            "  C{i} {:?} {:?} {:?} hedged={} {:?} speaker={} cue={:?} about_ev={:?} resp={:?}\n      «{}»",
            c.kind,
            c.stance,
            c.speaker_kind,
            c.hedged,
            c.hedges,
            c.speaker.as_ref().map(r).unwrap_or_default(),
            c.cue.as_ref().map(|x| x.text.clone()),
            c.about_events,
            c.responds_to,
            c.span.text.replace('\n', " ")
        );
    }
    for h in &f.coref {
        println!(
            "  coref '{}'@{} -> '{}'",
            h.mention.text, h.mention.start, h.antecedent.text
        );
    }
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args: Vec<String> = std::env::args().collect();
    if args.len() < 2 {
        eprintln!("usage: facts_dump texts.jsonl [--parses parses.jsonl] [--json]");
        std::process::exit(2);
    }
    let json = args.iter().any(|a| a == "--json");
    let parses_path = args
        .iter()
        .position(|a| a == "--parses")
        .and_then(|i| args.get(i + 1));
    let texts: Vec<serde_json::Value> = std::io::BufReader::new(std::fs::File::open(&args[1])?)
        .lines()
        .map_while(Result::ok)
        .filter(|l| !l.trim().is_empty())
        .map(|l| serde_json::from_str(&l))
        .collect::<Result<_, _>>()?;
    let parse_lines: Option<Vec<String>> = match parses_path {
        Some(p) => Some(
            std::io::BufReader::new(std::fs::File::open(p)?)
                .lines()
                .map_while(Result::ok)
                .collect(),
        ),
        None => None,
    };
    let pipeline = match parse_lines {
        Some(_) => None,
        None => Some(Pipeline::locate_and_load(None)?),
    };
    for (n, t) in texts.iter().enumerate() {
        let doc = Document {
            id: t["id"].as_str().unwrap_or("doc").to_string(),
            source: String::new(),
            sources: Vec::new(),
            title: None,
            published: t["published"].as_str().map(str::to_string),
            byline: None,
            language: "en".into(),
            text: t["text"].as_str().unwrap_or("").to_string(),
        };
        let parse = match (&parse_lines, &pipeline) {
            (Some(lines), _) => reference::parse_line(&lines[n], n + 1, &doc.text)?.parse,
            (None, Some(p)) => p.analyze(&doc.text),
            _ => unreachable!(),
        };
        let f = facts_of_parse(&doc, &parse);
        if json {
            println!("{}", serde_json::to_string(&f)?);
        } else {
            show(&f);
        }
    }
    Ok(())
}
