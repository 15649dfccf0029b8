//! The corpus step: documents whose analysis is stored but not yet in the
//! graph are folded into it, a chunk at a time, each chunk in one
//! transaction:
//! 1. resolution across documents against the stored entities;
//! 2. names, search keys and counts of the entities that changed;
//! 3. linking of the chunk's facts with what they touch (see
//!    [`crate::linking`]), and dispute groups;
//! 4. summaries of every entity whose facts or members changed;
//! 5. the documents are marked done.
//!
//! A build killed during the step leaves the graph as it was before the
//! chunk, and the documents pending: the next build picks them up.

use crate::codec::{decode, CodecError};
use crate::linking;
use crate::resolution::{self, Resolved};
use crate::timing::{timed, Stage, StageTimes};
use dossier_facts::DocFacts;
use dossier_names::search::index_keys;
use dossier_resolve::{Model, Profile};
use dossier_store::{CorpusTx, Store, StoreError};
use std::collections::BTreeSet;

#[derive(Debug, thiserror::Error)]
pub enum CorpusError {
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error(transparent)]
    Codec(#[from] CodecError),
}

/// Documents folded into the graph per transaction: bounds the memory of
/// one step whatever the corpus size.
pub const CHUNK_DOCS: usize = 2000;

/// What the corpus step did.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct CorpusReport {
    pub documents: usize,
    pub new_locals: usize,
    pub entities_changed: usize,
    pub entities_merged: usize,
    pub events: usize,
    pub relations: usize,
    pub claims: usize,
    pub summaries: usize,
}

/// Folds every pending document into the graph, a chunk at a time (a
/// build folds its earlier chunks while still reading: see [`fold_chunk`]).
pub fn finish(
    store: &mut Store,
    times: &StageTimes,
    model: &Model,
    chunk_docs: usize,
    progress: bool,
    report: &mut CorpusReport,
) -> Result<(), CorpusError> {
    let bar = crate::build::progress(0, progress);
    loop {
        bar.set_message(format!(
            "linking documents across the corpus ({} so far)",
            report.documents
        ));
        if !fold_chunk(store, times, model, chunk_docs, report)? {
            break;
        }
    }
    bar.finish_and_clear();
    Ok(())
}

/// Folds the first `chunk_docs` pending documents into the graph, in one
/// transaction; false when none was pending.
pub fn fold_chunk(
    store: &mut Store,
    times: &StageTimes,
    model: &Model,
    chunk_docs: usize,
    report: &mut CorpusReport,
) -> Result<bool, CorpusError> {
    let tx = store.corpus()?;
    let docs = tx.pending(chunk_docs.max(1))?;
    if docs.is_empty() {
        return Ok(false);
    }
    step(&tx, &docs, model, times, report)?;
    tx.commit()?;
    report.documents += docs.len();
    Ok(true)
}

/// Analysts' judgements made since the last build, in their own
/// transaction.
pub fn judgement_step(
    store: &mut Store,
    model: &Model,
    times: &StageTimes,
    report: &mut CorpusReport,
) -> Result<(), CorpusError> {
    let tx = store.corpus()?;
    let resolved = timed(times, Stage::Global, || {
        resolution::apply_judgements(&tx, model)
    })?;
    if resolved.changed.is_empty() && resolved.removed.is_empty() {
        return tx.commit().map_err(Into::into);
    }
    fold(&tx, &[], resolved, times, report)?;
    tx.commit()?;
    Ok(())
}

fn step(
    tx: &CorpusTx<'_>,
    docs: &[String],
    model: &Model,
    times: &StageTimes,
    report: &mut CorpusReport,
) -> Result<(), CorpusError> {
    let mut profiles: Vec<(String, Vec<Profile>)> = Vec::new();
    let mut facts: Vec<DocFacts> = Vec::new();
    for b in tx.blobs(docs)? {
        profiles.push((b.doc.clone(), decode("profiles", &b.doc, &b.profile)?));
        facts.push(decode("facts", &b.doc, &b.facts)?);
    }
    let resolved = timed(times, Stage::Global, || {
        resolution::resolve(tx, &profiles, model)
    })?;
    fold(tx, &facts, resolved, times, report)?;
    tx.mark_done(docs)?;
    Ok(())
}

/// Links facts and refreshes names and summaries after a resolution.
fn fold(
    tx: &CorpusTx<'_>,
    facts: &[DocFacts],
    resolved: Resolved,
    times: &StageTimes,
    report: &mut CorpusReport,
) -> Result<(), CorpusError> {
    report.new_locals += resolved.new_locals;
    report.entities_changed += resolved.changed.len();
    report.entities_merged += resolved.removed.len();

    let linked = timed(times, Stage::Link, || {
        linking::relink(tx, facts, &resolved.removed)
    })?;
    report.events += linked.events;
    report.relations += linked.relations;
    report.claims += linked.claims;

    timed(times, Stage::Summaries, || -> Result<(), CorpusError> {
        let mut dirty: BTreeSet<String> = resolved.changed.iter().cloned().collect();
        for id in &resolved.changed {
            refresh_names(tx, id)?;
        }
        dirty.extend(linked.touched.iter().cloned());
        let ids: Vec<String> = dirty.into_iter().collect();
        for head in tx_heads(tx, &ids)? {
            let s = crate::summary::summarise(tx, &head.0, &head.1, &head.2)?;
            tx.write_summary(&head.0, &s)?;
            report.summaries += 1;
        }
        Ok(())
    })?;
    Ok(())
}

/// The live entities among `ids`: `(id, label, name)`.
fn tx_heads(
    tx: &CorpusTx<'_>,
    ids: &[String],
) -> Result<Vec<(String, String, String)>, CorpusError> {
    Ok(tx.heads(ids)?)
}

/// Recomputes an entity's name forms, its search keys and its counts.
fn refresh_names(tx: &CorpusTx<'_>, id: &str) -> Result<(), CorpusError> {
    let names = tx.name_counts(id)?;
    let mut keys: Vec<String> = Vec::new();
    for n in &names {
        for k in index_keys(&n.text) {
            if !keys.contains(&k) {
                keys.push(k);
            }
        }
    }
    tx.write_names(id, &names, &keys)?;
    Ok(())
}
