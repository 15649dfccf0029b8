//! `dossier build`: ingest → analyse (parallel, per document) → store →
//! corpus step.
//!
//! Files are read in a stable order and grouped into batches; each batch's
//! new documents are analysed in parallel (the same text only once), then
//! written one transaction per document, in order. A file is marked done
//! only after all its documents are stored, so a killed build re-reads it
//! and skips what is already there. The corpus step then folds every
//! pending document into the graph (see [`crate::corpus`]).

use crate::analysis::{AnalysisError, Analyzer, DocAnalysis};
use crate::codec::{encode, CodecError};
use crate::corpus::{self, CorpusReport};
use crate::timing::{timed, Stage};
use dossier_core::Document;
use dossier_ingest::{Limits, Problem, Severity};
use dossier_resolve::Model;
use dossier_store::{Added, AnalysisRecord, FileRecord, SkipRecord, Store, StoreError};
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use rayon::prelude::*;
use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::time::UNIX_EPOCH;

#[derive(Debug, thiserror::Error)]
pub enum BuildError {
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error(transparent)]
    Codec(#[from] CodecError),
    #[error(transparent)]
    Corpus(#[from] corpus::CorpusError),
}

/// What a build did.
#[derive(Debug, Default)]
pub struct Summary {
    pub files: usize,
    pub files_unchanged: usize,
    pub new_docs: usize,
    pub new_sources: usize,
    pub already_stored: usize,
    pub reanalyzed: usize,
    pub corpus: CorpusReport,
    pub skipped: Vec<Problem>,
    pub warnings: Vec<Problem>,
}

/// How a build runs.
#[derive(Debug, Clone)]
pub struct BuildOptions {
    pub limits: Limits,
    /// Show a progress bar (on a terminal).
    pub progress: bool,
    /// The match model of global resolution (evaluations score others).
    pub model: Model,
}

impl Default for BuildOptions {
    fn default() -> Self {
        BuildOptions {
            limits: Limits::default(),
            progress: false,
            model: Model::embedded(),
        }
    }
}

const BATCH_DOCS: usize = 64;
/// Sources listed for one text repeated within one file; further copies
/// are counted in a warning instead of stored one by one.
const MAX_COPIES_PER_FILE: u32 = 100;

/// A file being read: its state, what it gave so far, and whether reading
/// it is over (it is then marked done once its documents are written).
struct OpenFile {
    record: FileRecord,
    format: Option<&'static str>,
    problems: Vec<Problem>,
    docs: usize,
    copies: HashMap<String, u32>,
    read: bool,
}

/// Documents read but not yet written, across files, in file order.
#[derive(Default)]
struct Batch {
    files: Vec<OpenFile>,
    docs: Vec<(usize, Document, &'static str)>,
}

/// Builds or updates the knowledge base from `paths`.
pub fn build(
    store: &mut Store,
    paths: &[PathBuf],
    analyzer: &Analyzer,
    opts: &BuildOptions,
) -> Result<Summary, BuildError> {
    let mut summary = Summary::default();
    let times = analyzer.times();
    let (files, problems) = dossier_ingest::discover(paths);
    for p in problems {
        store.record_problems(&p.source, &[skip_record(&p)])?;
        tracing::info!("{p}");
        summary.skipped.push(p);
    }
    summary.files = files.len();
    let bar = progress(files.len() as u64, opts.progress);
    let mut batch = Batch::default();
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
        let mut reader = timed(times, Stage::Ingest, || {
            dossier_ingest::FileReader::open(path, &opts.limits)
        });
        let mut f = batch.files.len();
        batch.files.push(OpenFile {
            record,
            format: reader.format().map(|f| f.as_str()),
            problems: Vec::new(),
            docs: 0,
            copies: HashMap::new(),
            read: false,
        });
        // Documents stream out of the file; they are written in batches as
        // they come, so a file of millions of records needs no more memory
        // than one batch.
        while let Some(item) = timed(times, Stage::Ingest, || reader.next()) {
            match item {
                dossier_ingest::Item::Doc(raw) => {
                    let format = raw.format.as_str();
                    let doc = raw.into_document();
                    let file = &mut batch.files[f];
                    let n = file.copies.entry(doc.id.clone()).or_insert(0);
                    *n += 1;
                    if *n > MAX_COPIES_PER_FILE {
                        continue;
                    }
                    batch.docs.push((f, doc, format));
                }
                dossier_ingest::Item::Problem(p) => batch.files[f].problems.push(p),
            }
            if batch.docs.len() >= BATCH_DOCS {
                write_batch(store, &mut batch, analyzer, &mut summary, &bar)?;
                // Only this file, still being read, stays in the batch.
                f = batch.files.len() - 1;
            }
        }
        let file = &mut batch.files[f];
        let extra: u32 = file
            .copies
            .values()
            .map(|&n| n.saturating_sub(MAX_COPIES_PER_FILE))
            .sum();
        if extra > 0 {
            file.problems.push(Problem::warning(
                &file.record.path,
                format!(
                    "{extra} further copies of texts already seen {MAX_COPIES_PER_FILE} times in this file are not listed as sources"
                ),
            ));
        }
        file.copies = HashMap::new();
        file.read = true;
        if batch.docs.len() >= BATCH_DOCS || batch.files.len() >= BATCH_DOCS {
            write_batch(store, &mut batch, analyzer, &mut summary, &bar)?;
        }
    }
    write_batch(store, &mut batch, analyzer, &mut summary, &bar)?;
    bar.finish_and_clear();
    summary.reanalyzed = reanalyze(store, analyzer)?;
    summary.corpus = corpus::run(store, times, &opts.model, opts.progress)?;
    Ok(summary)
}

/// The analysis of one document as the store keeps it.
pub fn record<'a>(
    version: &'a str,
    a: &'a DocAnalysis,
    profile: &'a [u8],
    facts: &'a [u8],
) -> AnalysisRecord<'a> {
    AnalysisRecord {
        version,
        mentions: &a.mentions,
        entities: &a.entities,
        times: &a.times,
        profile,
        facts,
    }
}

/// A document's analysis encoded for the store: `(profile, facts)`.
pub fn encode_analysis(a: &DocAnalysis) -> Result<(Vec<u8>, Vec<u8>), CodecError> {
    Ok((encode("profiles", &a.profiles)?, encode("facts", &a.facts)?))
}

type Analysed = Result<DocAnalysis, AnalysisError>;

/// Analyses the batch's new documents in parallel (each text once), writes
/// every document, then marks done the files that were read to the end.
fn write_batch(
    store: &mut Store,
    batch: &mut Batch,
    analyzer: &Analyzer,
    summary: &mut Summary,
    bar: &ProgressBar,
) -> Result<(), BuildError> {
    let times = analyzer.times();
    let docs = std::mem::take(&mut batch.docs);
    let mut fresh: Vec<&Document> = Vec::new();
    let mut seen: HashMap<&str, ()> = HashMap::new();
    for (_, d, _) in &docs {
        if seen.insert(d.id.as_str(), ()).is_none() && !store.document_exists(&d.id)? {
            fresh.push(d);
        }
    }
    let analysed: HashMap<&str, Analysed> = fresh
        .par_iter()
        .map(|d| (d.id.as_str(), analyzer.analyze(d)))
        .collect();
    for (file, doc, format) in &docs {
        let added = match analysed.get(doc.id.as_str()) {
            Some(Err(e)) => {
                batch.files[*file]
                    .problems
                    .push(Problem::skipped(&doc.source, e.to_string()));
                continue;
            }
            Some(Ok(a)) if !store.document_exists(&doc.id)? => {
                let (profile, facts) = encode_analysis(a)?;
                let rec = record(analyzer.version(), a, &profile, &facts);
                timed(times, Stage::Store, || {
                    store.add_document(doc, format, Some(&rec))
                })?
            }
            _ => timed(times, Stage::Store, || {
                store.add_document(doc, format, None)
            })?,
        };
        match added {
            Added::New => summary.new_docs += 1,
            Added::NewSource => summary.new_sources += 1,
            Added::Unchanged => summary.already_stored += 1,
        }
        batch.files[*file].docs += 1;
    }
    // Files read to the end are done; the one still being read stays.
    for file in std::mem::take(&mut batch.files) {
        if !file.read {
            batch.files.push(file);
            continue;
        }
        let records: Vec<SkipRecord> = file.problems.iter().map(skip_record).collect();
        store.finish_file(&file.record, file.format, file.docs, &records)?;
        for p in file.problems {
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

/// Analyses stored documents whose analysis is missing or outdated. When
/// any were, every cross-document result is redone by the corpus step.
fn reanalyze(store: &mut Store, analyzer: &Analyzer) -> Result<usize, BuildError> {
    let ids = store.documents_needing_analysis(analyzer.version())?;
    if ids.is_empty() {
        return Ok(0);
    }
    let mut done = 0;
    for chunk in ids.chunks(BATCH_DOCS) {
        let docs: Vec<Document> = chunk
            .iter()
            .filter_map(|id| store.document(id).transpose())
            .collect::<Result<_, _>>()?;
        let analyses: Vec<Analysed> = docs.par_iter().map(|d| analyzer.analyze(d)).collect();
        for (d, a) in docs.iter().zip(&analyses) {
            match a {
                Ok(a) => {
                    let (profile, facts) = encode_analysis(a)?;
                    store.set_analysis(&d.id, &record(analyzer.version(), a, &profile, &facts))?;
                    done += 1;
                }
                Err(e) => tracing::warn!("{}: not analysed again: {e}", d.source),
            }
        }
    }
    let tx = store.corpus()?;
    tx.reset_graph()?;
    tx.commit()?;
    Ok(done)
}

pub fn skip_record(p: &Problem) -> SkipRecord {
    SkipRecord {
        source: p.source.clone(),
        reason: p.reason.clone(),
        severity: match p.severity {
            Severity::Skipped => dossier_store::Severity::Skipped,
            Severity::Warning => dossier_store::Severity::Warning,
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

pub(crate) fn progress(len: u64, show: bool) -> ProgressBar {
    if !show {
        return ProgressBar::hidden();
    }
    let bar = ProgressBar::with_draw_target(Some(len), ProgressDrawTarget::stderr());
    if let Ok(style) =
        ProgressStyle::with_template("{bar:30} {pos}/{len} files {elapsed} {wide_msg}")
    {
        bar.set_style(style);
    }
    bar
}
