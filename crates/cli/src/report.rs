//! Human-readable summaries printed at the end of commands.

use crate::pipeline::Summary;
use dossier_store::Stats;
use std::path::Path;

pub fn print_summary(s: &Summary, db: &Path) {
    println!("Build finished: {}", db.display());
    println!(
        "  files read:       {} ({} unchanged since last build)",
        s.files, s.files_unchanged
    );
    println!("  new documents:    {}", s.new_docs);
    println!(
        "  duplicates:       {} (same text from another source)",
        s.new_sources
    );
    println!("  already stored:   {}", s.already_stored);
    if s.reanalyzed > 0 {
        println!("  re-analysed:      {}", s.reanalyzed);
    }
    if s.resolved.new_locals > 0 {
        println!(
            "  resolution:       {} document-level entities resolved; {} entities created or updated, {} merged away",
            s.resolved.new_locals, s.resolved.entities_changed, s.resolved.entities_merged
        );
    }
    println!("  skipped:          {}", s.skipped.len());
    for p in &s.skipped {
        println!("    - {p}");
    }
    if !s.warnings.is_empty() {
        println!("  warnings:         {}", s.warnings.len());
        for p in &s.warnings {
            println!("    - {p}");
        }
    }
}

pub fn print_stats(stats: &Stats) {
    println!("Tables:");
    for (name, n) in &stats.tables {
        println!("  {name:<18} {n}");
    }
    let skipped: Vec<_> = stats
        .skipped
        .iter()
        .filter(|s| s.severity == "skipped")
        .collect();
    let warnings: Vec<_> = stats
        .skipped
        .iter()
        .filter(|s| s.severity == "warning")
        .collect();
    println!("Skipped inputs: {}", skipped.len());
    for s in skipped {
        println!("  - {}: {}", s.source, s.reason);
    }
    if !warnings.is_empty() {
        println!("Warnings: {}", warnings.len());
        for s in warnings {
            println!("  - {}: {}", s.source, s.reason);
        }
    }
}
