//! Prints local and global entities for text files: a development aid.
//! Usage: cargo run -p dossier-resolve --example resolve_dump -- FILE...

use dossier_analyze::pipeline::Pipeline;
use dossier_core::CharIndex;
use dossier_resolve::*;

fn main() {
    let nlp = Pipeline::locate_and_load(None).expect("model");
    let mut stats = CorpusStats::default();
    let mut all = Vec::new();
    let files: Vec<String> = std::env::args().skip(1).collect();
    let mut docs = Vec::new();
    for f in &files {
        let text = std::fs::read_to_string(f).expect("read");
        let doc = nlp.analyze(&text);
        docs.push((f.clone(), text, doc));
    }
    for (f, text, doc) in &docs {
        let mentions = MentionInput::from_ner(text, doc);
        let locals = resolve_document(
            text,
            doc,
            &mentions,
            &stats.part_stats(),
            &dossier_facts::pronoun_links(text, doc),
        );
        let chars = CharIndex::new(text);
        let profs = profiles(f, text, doc, &locals, &|b| chars.char_of_byte(b));
        println!("=== {f}");
        for l in &locals {
            if l.label != "PERSON" && l.label != "ORG" {
                continue;
            }
            println!(
                "  [{}] {} names={:?} amb={} aliases={:?}",
                l.label,
                l.name,
                l.names,
                l.ambiguous,
                l.aliases
                    .iter()
                    .map(|a| (&a.name, &a.cue))
                    .collect::<Vec<_>>()
            );
            for m in &l.mentions {
                println!("      {:?} {:?} — {}", m.kind, &text[m.start..m.end], m.how);
            }
            for d in &l.descriptions {
                println!("      desc({}): {}", d.kind, d.text);
            }
        }
        stats.add_document(&profs);
        all.extend(profs);
    }
    let model = Model::embedded();
    let judgements = Judgements::default();
    let mut r = Resolver::new(&model, &stats, &judgements, Vec::new());
    for p in &all {
        r.add(p);
    }
    let out = r.finish();
    println!("=== global");
    for e in &out.changed {
        let label = e.state.label();
        if label != "PERSON" && label != "ORG" {
            continue;
        }
        println!(
            "[{}] {} ({} members)",
            label,
            e.state.display_name(),
            e.added.len()
        );
        for m in &e.added {
            println!(
                "    {} #{}{}",
                m.member.0.rsplit('/').next().unwrap_or(""),
                m.member.1,
                m.reason
                    .as_ref()
                    .map(|r| format!("\n        <- {r}"))
                    .unwrap_or_default()
            );
        }
    }
}
