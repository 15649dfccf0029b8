//! `dossier build`: ingest → analyze (parallel, per document) → store.
//!
//! Files are read in a stable order and grouped into batches; each batch's
//! new documents are analysed in parallel, then written one transaction per
//! document, in order. A file is marked done only after all its documents
//! are stored, so a killed build re-reads it and skips what is already there.

use anyhow::Result;
use dossier_core::{DocAnalysis, Document};
use dossier_ingest::{FileOutput, Limits, Problem, Severity};
use dossier_store::{Added, FileRecord, SkipRecord, Store};
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use rayon::prelude::*;
use std::path::{Path, PathBuf};
use std::time::UNIX_EPOCH;

/// Per-document analysis plugged into the build.
pub trait Analyzer: Sync {
    /// Changes whenever the analysis output would change, so stored
    /// documents are re-analysed after an upgrade.
    fn version(&self) -> &str;
    fn analyze(&self, doc: &Document) -> DocAnalysis;
}

#[derive(Debug, Default)]
pub struct Summary {
    pub files: usize,
    pub files_unchanged: usize,
    pub new_docs: usize,
    pub new_sources: usize,
    pub already_stored: usize,
    pub reanalyzed: usize,
    pub resolved: crate::resolution::Resolved,
    pub skipped: Vec<Problem>,
    pub warnings: Vec<Problem>,
}

const BATCH_DOCS: usize = 64;
const BATCH_FILES: usize = 64;

struct ReadFile {
    record: FileRecord,
    output: FileOutput,
}

pub fn build(
    store: &mut Store,
    paths: &[PathBuf],
    limits: &Limits,
    analyzer: Option<&dyn Analyzer>,
) -> Result<Summary> {
    let mut summary = Summary::default();
    let (files, problems) = dossier_ingest::discover(paths);
    for p in problems {
        store.record_problems(&p.source, &[skip_record(&p)])?;
        tracing::info!("{p}");
        summary.skipped.push(p);
    }
    summary.files = files.len();
    let bar = progress(files.len() as u64);
    let mut batch: Vec<ReadFile> = Vec::new();
    let mut batch_docs = 0;
    for path in &files {
        let record = file_record(path);
        if let Some(rec) = &record {
            if store.file_is_current(rec)? {
                summary.files_unchanged += 1;
                bar.inc(1);
                continue;
            }
        }
        let record = record.unwrap_or_else(|| FileRecord {
            path: path.display().to_string(),
            size: 0,
            mtime_ns: 0,
        });
        bar.set_message(short_name(path));
        let output = dossier_ingest::read_file(path, limits);
        batch_docs += output.docs.len();
        batch.push(ReadFile { record, output });
        if batch_docs >= BATCH_DOCS || batch.len() >= BATCH_FILES {
            write_batch(
                store,
                std::mem::take(&mut batch),
                analyzer,
                &mut summary,
                &bar,
            )?;
            batch_docs = 0;
        }
    }
    write_batch(store, batch, analyzer, &mut summary, &bar)?;
    bar.finish_and_clear();
    if let Some(a) = analyzer {
        summary.reanalyzed = reanalyze(store, a)?;
        if summary.reanalyzed > 0 {
            // Re-analysed documents have new local entities: decide every
            // cross-document merge again.
            store.reset_resolution()?;
        }
        summary.resolved = crate::resolution::resolve_pending(store)?;
    }
    Ok(summary)
}

fn write_batch(
    store: &mut Store,
    batch: Vec<ReadFile>,
    analyzer: Option<&dyn Analyzer>,
    summary: &mut Summary,
    bar: &ProgressBar,
) -> Result<()> {
    // Documents to store, tagged with their file, in file order.
    let mut docs: Vec<(usize, Document, &'static str)> = Vec::new();
    let mut per_file: Vec<(FileRecord, Option<&'static str>, Vec<Problem>)> = Vec::new();
    for (i, rf) in batch.into_iter().enumerate() {
        let format = rf.output.format.map(|f| f.as_str());
        for raw in rf.output.docs {
            let f = raw.format.as_str();
            docs.push((i, raw.into_document(), f));
        }
        per_file.push((rf.record, format, rf.output.problems));
    }
    // Analyse only documents that are not stored yet.
    let analyses: Vec<Option<DocAnalysis>> = match analyzer {
        Some(a) => {
            let fresh: Vec<bool> = docs
                .iter()
                .map(|(_, d, _)| store.document_exists(&d.id))
                .collect::<Result<Vec<_>, _>>()?
                .into_iter()
                .map(|exists| !exists)
                .collect();
            docs.par_iter()
                .zip(fresh.par_iter())
                .map(|((_, d, _), fresh)| fresh.then(|| a.analyze(d)))
                .collect()
        }
        None => vec![None; docs.len()],
    };
    let version = analyzer.map(|a| a.version());
    let mut counts = vec![0usize; per_file.len()];
    for ((file, doc, format), analysis) in docs.iter().zip(analyses.iter()) {
        let with = match (version, analysis) {
            (Some(v), Some(a)) => Some((v, a)),
            _ => None,
        };
        match store.add_document(doc, format, with)? {
            Added::New => summary.new_docs += 1,
            Added::NewSource => summary.new_sources += 1,
            Added::Unchanged => summary.already_stored += 1,
        }
        counts[*file] += 1;
    }
    for (i, (record, format, problems)) in per_file.into_iter().enumerate() {
        let records: Vec<SkipRecord> = problems.iter().map(skip_record).collect();
        store.finish_file(&record, format, counts[i], &records)?;
        for p in problems {
            match p.severity {
                Severity::Skipped => {
                    tracing::info!("skipped {p}");
                    summary.skipped.push(p)
                }
                Severity::Warning => {
                    tracing::info!("{p}");
                    summary.warnings.push(p)
                }
            }
        }
        bar.inc(1);
    }
    Ok(())
}

/// Analyses stored documents whose analysis is missing or outdated.
fn reanalyze(store: &mut Store, analyzer: &dyn Analyzer) -> Result<usize> {
    let ids = store.documents_needing_analysis(analyzer.version())?;
    let mut done = 0;
    for chunk in ids.chunks(BATCH_DOCS) {
        let docs: Vec<Document> = chunk
            .iter()
            .filter_map(|id| store.document(id).transpose())
            .collect::<Result<_, _>>()?;
        let analyses: Vec<DocAnalysis> = docs.par_iter().map(|d| analyzer.analyze(d)).collect();
        for (d, a) in docs.iter().zip(&analyses) {
            store.set_analysis(&d.id, analyzer.version(), a)?;
            done += 1;
        }
    }
    Ok(done)
}

fn skip_record(p: &Problem) -> SkipRecord {
    SkipRecord {
        source: p.source.clone(),
        reason: p.reason.clone(),
        severity: match p.severity {
            Severity::Skipped => "skipped",
            Severity::Warning => "warning",
        },
    }
}

fn file_record(path: &Path) -> Option<FileRecord> {
    let meta = std::fs::metadata(path).ok()?;
    let mtime_ns = meta
        .modified()
        .ok()
        .and_then(|t| t.duration_since(UNIX_EPOCH).ok())
        .map(|d| d.as_nanos() as i64)
        .unwrap_or(0);
    Some(FileRecord {
        path: path.display().to_string(),
        size: meta.len(),
        mtime_ns,
    })
}

fn short_name(path: &Path) -> String {
    path.file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default()
}

fn progress(len: u64) -> ProgressBar {
    let bar = ProgressBar::with_draw_target(Some(len), ProgressDrawTarget::stderr());
    if let Ok(style) =
        ProgressStyle::with_template("{bar:30} {pos}/{len} files {elapsed} {wide_msg}")
    {
        bar.set_style(style);
    }
    bar
}
