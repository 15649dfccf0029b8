//! `dossier build`: ingest → analyse (parallel, per document) → store →
//! corpus step.
//!
//! Files are read in a stable order and grouped into batches; each batch's
//! new documents are analysed in parallel (the same text only once), then
//! written in order, one transaction per batch. A file is marked done
//! only after all its documents are stored, so a killed build re-reads it
//! and skips what is already there. Each time a chunk of new documents is
//! written, the corpus step folds it into the graph while parsing goes on;
//! the rest is folded at the end (see [`crate::corpus`]).

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
use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::sync::mpsc;
use std::time::UNIX_EPOCH;

#[derive(Debug, thiserror::Error)]
pub enum BuildError {
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error(transparent)]
    Codec(#[from] CodecError),
    #[error(transparent)]
    Corpus(#[from] corpus::CorpusError),
    #[error("the writer stopped before the build was over")]
    WriterStopped,
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
    /// New documents folded into the graph per transaction.
    pub chunk_docs: usize,
}

impl Default for BuildOptions {
    fn default() -> Self {
        BuildOptions {
            limits: Limits::default(),
            progress: false,
            model: Model::embedded(),
            chunk_docs: corpus::CHUNK_DOCS,
        }
    }
}

const BATCH_DOCS: usize = 64;
/// Batches read and analysed but not yet written: reading and parsing run
/// ahead of the writer by at most this many, so they go on while the
/// writer folds a chunk into the graph, and memory stays bounded however
/// long the fold takes.
const BATCHES_AHEAD: usize = 32;
/// Sources listed for one text repeated within one file; further copies
/// are counted in a warning instead of stored one by one.
const MAX_COPIES_PER_FILE: u32 = 100;

/// A file whose reading is over: it is marked done once its documents are
/// written.
struct ReadFile {
    key: usize,
    record: FileRecord,
    format: Option<&'static str>,
    problems: Vec<Problem>,
}

type Analysed = Result<DocAnalysis, AnalysisError>;

/// Documents read, in file order, with the analyses of the new ones and
/// the files whose reading ended with them.
#[derive(Default)]
struct Batch {
    docs: Vec<(usize, Document, &'static str)>,
    analyses: HashMap<String, Analysed>,
    ends: Vec<ReadFile>,
}

/// Builds or updates the knowledge base from `paths`.
///
/// Reading and analysis (a second thread, handing each batch to the
/// thread pool) run ahead of writing (this thread), so whenever a chunk's
/// worth of new documents is written and this thread folds it into the
/// graph, parsing goes on. Each chunk is the first pending documents in id
/// order at the time it fills: within a chunk the order files come in
/// decides nothing, but a build of more than one chunk, like builds made
/// one after another, groups documents by when they were read. Files are
/// read in a stable order, so building the same files again gives the
/// same graph.
pub fn build(
    store: &mut Store,
    paths: &[PathBuf],
    analyzer: &Analyzer,
    opts: &BuildOptions,
) -> Result<Summary, BuildError> {
    let mut summary = Summary::default();
    let times = analyzer.times();
    summary.reanalyzed = reanalyze(store, analyzer)?;
    corpus::judgement_step(store, &opts.model, times, &mut summary.corpus)?;
    let (files, problems) = dossier_ingest::discover(paths);
    for p in problems {
        store.record_problems(&p.source, &[skip_record(&p)])?;
        tracing::info!("{p}");
        summary.skipped.push(p);
    }
    summary.files = files.len();
    let bar = progress(files.len() as u64, opts.progress);
    // The reading side asks what is stored through its own connection.
    let seen = Store::open_read_unchecked(store.path())?;
    std::thread::scope(|scope| -> Result<(), BuildError> {
        let (out, batches) = mpsc::sync_channel::<Result<Batch, BuildError>>(BATCHES_AHEAD);
        let bar = &bar;
        let reading = scope.spawn(move || {
            let mut reader = Reader {
                store: seen,
                analyzer,
                opts,
                bar,
                out,
                unchanged: 0,
            };
            if let Err(e) = reader.read_all(&files) {
                // The writer may be gone already, with its own error.
                let _ = reader.out.send(Err(e));
            }
            reader.unchanged
        });
        let mut writer = Writer {
            store: &mut *store,
            analyzer,
            opts,
            summary: &mut summary,
            bar,
            files: HashMap::new(),
            unfolded: 0,
        };
        let written = batches
            .into_iter()
            .try_for_each(|batch| writer.write(batch?));
        let unchanged = reading
            .join()
            .unwrap_or_else(|panic| std::panic::resume_unwind(panic));
        summary.files_unchanged += unchanged;
        written
    })?;
    bar.finish_and_clear();
    corpus::finish(
        store,
        times,
        &opts.model,
        opts.chunk_docs,
        opts.progress,
        &mut summary.corpus,
    )?;
    Ok(summary)
}

/// The reading side of a build: reads files into batches and has each
/// batch's new documents analysed in parallel (each text once).
struct Reader<'a> {
    store: Store,
    analyzer: &'a Analyzer,
    opts: &'a BuildOptions,
    bar: &'a ProgressBar,
    out: mpsc::SyncSender<Result<Batch, BuildError>>,
    unchanged: usize,
}

impl Reader<'_> {
    fn read_all(&mut self, files: &[PathBuf]) -> Result<(), BuildError> {
        let times = self.analyzer.times();
        let mut batch = Batch::default();
        for (key, path) in files.iter().enumerate() {
            let record = file_record(path);
            if let Some(rec) = &record {
                if self.store.file_is_current(rec)? {
                    self.unchanged += 1;
                    self.bar.inc(1);
                    continue;
                }
            }
            let record = record.unwrap_or_else(|| FileRecord {
                path: path.display().to_string(),
                size: 0,
                mtime_ns: 0,
            });
            self.bar.set_message(short_name(path));
            let mut reader = timed(times, Stage::Ingest, || {
                dossier_ingest::FileReader::open(path, &self.opts.limits)
            });
            let mut file = ReadFile {
                key,
                record,
                format: reader.format().map(|f| f.as_str()),
                problems: Vec::new(),
            };
            let mut copies: HashMap<String, u32> = HashMap::new();
            // Documents stream out of the file and are sent on in batches,
            // so a file of millions of records needs no more memory than
            // the batches ahead.
            while let Some(item) = timed(times, Stage::Ingest, || reader.next()) {
                match item {
                    dossier_ingest::Item::Doc(raw) => {
                        let format = raw.format.as_str();
                        let doc = raw.into_document();
                        let n = copies.entry(doc.id.clone()).or_insert(0);
                        *n += 1;
                        if *n > MAX_COPIES_PER_FILE {
                            continue;
                        }
                        batch.docs.push((key, doc, format));
                    }
                    dossier_ingest::Item::Problem(p) => file.problems.push(p),
                }
                if batch.docs.len() >= BATCH_DOCS {
                    self.send(std::mem::take(&mut batch))?;
                }
            }
            warn_copies(&mut file, &copies);
            batch.ends.push(file);
            if batch.docs.len() >= BATCH_DOCS || batch.ends.len() >= BATCH_DOCS {
                self.send(std::mem::take(&mut batch))?;
            }
        }
        self.send(batch)
    }

    /// Analyses the batch's new documents in parallel (each text once) and
    /// hands the batch to the writer, waiting while too many are ahead.
    fn send(&mut self, mut batch: Batch) -> Result<(), BuildError> {
        let mut fresh: Vec<&Document> = Vec::new();
        let mut seen: HashSet<&str> = HashSet::new();
        for (_, d, _) in &batch.docs {
            if seen.insert(d.id.as_str()) && !self.store.document_exists(&d.id)? {
                fresh.push(d);
            }
        }
        let analyzer = self.analyzer;
        batch.analyses = fresh
            .par_iter()
            .map(|d| (d.id.clone(), analyzer.analyze(d)))
            .collect();
        self.out
            .send(Ok(batch))
            .map_err(|_| BuildError::WriterStopped)
    }
}

/// The writing side of a build: writes batches in order, marks files done
/// and folds chunks into the graph.
struct Writer<'a> {
    store: &'a mut Store,
    analyzer: &'a Analyzer,
    opts: &'a BuildOptions,
    summary: &'a mut Summary,
    bar: &'a ProgressBar,
    /// Documents written and problems met per file not yet done.
    files: HashMap<usize, (usize, Vec<Problem>)>,
    /// New documents written since the last fold.
    unfolded: usize,
}

impl Writer<'_> {
    /// Writes a batch with its analyses, marks done the files that ended
    /// with it, and folds a chunk when one is ready.
    fn write(&mut self, batch: Batch) -> Result<(), BuildError> {
        let times = self.analyzer.times();
        // Encoded first: the records borrow these bytes.
        let mut encoded: HashMap<&str, (Vec<u8>, Vec<u8>)> = HashMap::new();
        for (id, a) in &batch.analyses {
            if let Ok(a) = a {
                encoded.insert(id.as_str(), encode_analysis(a)?);
            }
        }
        let mut rows: Vec<(&Document, &str, Option<AnalysisRecord<'_>>)> = Vec::new();
        let mut keys: Vec<usize> = Vec::new();
        for (key, doc, format) in &batch.docs {
            let file = self.files.entry(*key).or_default();
            let rec = match batch.analyses.get(doc.id.as_str()) {
                Some(Err(e)) => {
                    file.1.push(Problem::skipped(&doc.source, e.to_string()));
                    continue;
                }
                // A copy already stored gains a source; the analysis is
                // written once.
                Some(Ok(a)) => encoded
                    .get(doc.id.as_str())
                    .map(|(p, f)| record(self.analyzer.version(), a, p, f)),
                None => None,
            };
            rows.push((doc, format, rec));
            keys.push(*key);
        }
        let added = timed(times, Stage::Store, || self.store.add_documents(&rows))?;
        for (key, added) in keys.into_iter().zip(added) {
            match added {
                Added::New => {
                    self.summary.new_docs += 1;
                    self.unfolded += 1;
                }
                Added::NewSource => self.summary.new_sources += 1,
                Added::Unchanged => self.summary.already_stored += 1,
            }
            self.files.entry(key).or_default().0 += 1;
        }
        for file in batch.ends {
            self.finish_file(file)?;
        }
        if self.unfolded >= self.opts.chunk_docs {
            self.unfolded = 0;
            corpus::fold_chunk(
                self.store,
                times,
                &self.opts.model,
                self.opts.chunk_docs,
                &mut self.summary.corpus,
            )?;
        }
        Ok(())
    }

    fn finish_file(&mut self, mut file: ReadFile) -> Result<(), BuildError> {
        let (docs, problems) = self.files.remove(&file.key).unwrap_or_default();
        file.problems.extend(problems);
        let records: Vec<SkipRecord> = file.problems.iter().map(skip_record).collect();
        self.store
            .finish_file(&file.record, file.format, docs, &records)?;
        for p in file.problems {
            match p.severity {
                Severity::Skipped => {
                    tracing::info!("skipped {p}");
                    self.summary.skipped.push(p)
                }
                Severity::Warning => {
                    tracing::info!("{p}");
                    self.summary.warnings.push(p)
                }
            }
        }
        self.bar.inc(1);
        Ok(())
    }
}

/// Copies of texts over the limit are counted in one warning.
fn warn_copies(file: &mut ReadFile, copies: &HashMap<String, u32>) {
    let extra: u32 = copies
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
