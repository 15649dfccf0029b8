//! Human-readable summaries printed at the end of commands. File names
//! and reasons are printed with control characters escaped.

use dossier_pipeline::Summary;
use dossier_store::{Severity, Stats};
use std::path::Path;

/// `s` with control characters (escape sequences, line breaks) shown as
/// escapes, so a file name cannot forge terminal output.
pub fn safe(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        if c.is_control() {
            out.extend(c.escape_default());
        } else {
            out.push(c);
        }
    }
    out
}

pub fn print_summary(s: &Summary, db: &Path) {
    println!("Build finished: {}", safe(&db.display().to_string()));
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
    let c = &s.corpus;
    if c.documents > 0 {
        println!(
            "  knowledge graph:  {} documents added; {} document-level entities resolved, {} entities created or updated, {} merged away; {} events, {} relations, {} claims linked",
            c.documents, c.new_locals, c.entities_changed, c.entities_merged, c.events, c.relations, c.claims
        );
    }
    println!("  skipped:          {}", s.skipped.len());
    for p in &s.skipped {
        println!("    - {}", safe(&p.to_string()));
    }
    if !s.warnings.is_empty() {
        println!("  warnings:         {}", s.warnings.len());
        for p in &s.warnings {
            println!("    - {}", safe(&p.to_string()));
        }
    }
}

/// Seconds per stage, as `stage: seconds` lines a benchmark can read.
pub fn print_timings(times: &dossier_pipeline::StageTimes) {
    println!("Stage times (CPU seconds, summed over threads):");
    for (stage, d) in times.all() {
        println!("  {}: {:.3}", stage.as_str(), d.as_secs_f64());
    }
}

pub fn print_stats(stats: &Stats) {
    println!("Tables:");
    for (name, n) in &stats.tables {
        println!("  {name:<18} {n}");
    }
    println!(
        "Size: {:.1} MB",
        stats.file_bytes as f64 / (1024.0 * 1024.0)
    );
    for (table, bytes) in stats.table_bytes.iter().take(12) {
        println!("  {table:<24} {:>10.1} KB", *bytes as f64 / 1024.0);
    }
    let skipped: Vec<_> = stats
        .skipped
        .iter()
        .filter(|s| s.severity == Severity::Skipped)
        .collect();
    let warnings: Vec<_> = stats
        .skipped
        .iter()
        .filter(|s| s.severity == Severity::Warning)
        .collect();
    println!("Skipped inputs: {}", skipped.len());
    for s in skipped {
        println!("  - {}: {}", safe(&s.source), safe(&s.reason));
    }
    if !warnings.is_empty() {
        println!("Warnings: {}", warnings.len());
        for s in warnings {
            println!("  - {}: {}", safe(&s.source), safe(&s.reason));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::safe;

    #[test]
    fn control_characters_are_escaped() {
        assert_eq!(safe("a\u{1b}[31mb\nc"), "a\\u{1b}[31mb\\nc");
        assert_eq!(safe("plain — ok"), "plain — ok");
    }
}
