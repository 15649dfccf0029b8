//! Documents, their sources and analyses, input files and their problems:
//! what a build writes one document (or one file) at a time.

use crate::{
    classify, Added, AnalysisRecord, FileRecord, Result, Severity, SkipRecord, Stats, Store,
};
use dossier_core::{Document, MentionKind};
use rusqlite::{params, OptionalExtension, Transaction};

/// Tables counted by `dossier stats`, in the order shown.
const COUNTED: &[&str] = &[
    "documents",
    "document_sources",
    "files",
    "mentions",
    "local_entities",
    "entities",
    "entity_members",
    "events",
    "relations",
    "claims",
    "times",
    "judgements",
    "screenings",
    "skipped",
];

impl Store {
    /// Replaces the screening against these lists: the lists' rows and
    /// every entity's matches on them, in one transaction.
    pub fn replace_screening(
        &mut self,
        lists: &[crate::ListRow],
        rows: &[crate::ScreeningRow],
    ) -> Result<()> {
        let path = self.path.clone();
        let tx = self.conn.transaction().map_err(|e| classify(&path, e))?;
        let r = (|| {
            for l in lists {
                tx.execute("DELETE FROM screenings WHERE list = ?1", [&l.kind])?;
                tx.execute(
                    "INSERT OR REPLACE INTO sanctions_lists (kind, source, list_date, digest, entries, screened_at)
                     VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
                    params![l.kind, l.source, l.list_date, l.digest, l.entries as i64, l.screened_at],
                )?;
            }
            let mut ins = tx.prepare_cached(
                "INSERT OR REPLACE INTO screenings (entity_id, list, list_id, name, score, is_match, fingerprint,
                 list_date, programs, explanation, detail, first_seen)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12)",
            )?;
            for r in rows {
                ins.execute(params![
                    r.entity_id,
                    r.list,
                    r.list_id,
                    r.name,
                    r.score,
                    r.is_match,
                    r.fingerprint,
                    r.list_date,
                    r.programs,
                    r.explanation,
                    r.detail,
                    r.first_seen
                ])?;
            }
            drop(ins);
            tx.commit()
        })();
        r.map_err(|e| classify(&path, e))
    }

    /// Whether this file was already ingested completely in this state.
    pub fn file_is_current(&self, rec: &FileRecord) -> Result<bool> {
        let row: Option<(i64, i64)> = self.sql(
            self.conn
                .prepare_cached("SELECT size, mtime_ns FROM files WHERE path = ?1")
                .and_then(|mut st| {
                    st.query_row([&rec.path], |r| Ok((r.get(0)?, r.get(1)?)))
                        .optional()
                }),
        )?;
        Ok(row == Some((rec.size as i64, rec.mtime_ns)))
    }

    pub fn document_exists(&self, id: &str) -> Result<bool> {
        self.sql(
            self.conn
                .prepare_cached("SELECT 1 FROM documents WHERE id = ?1")
                .and_then(|mut st| st.exists([id])),
        )
    }

    /// Stores documents, each with its source and (if given) its analysis,
    /// all in one transaction: a batch costs one commit, not one per
    /// document. An analysis is written only with a new document; a text
    /// already stored gains the source.
    pub fn add_documents(
        &mut self,
        docs: &[(&Document, &str, Option<AnalysisRecord<'_>>)],
    ) -> Result<Vec<Added>> {
        let path = self.path.clone();
        let tx = self.conn.transaction().map_err(|e| classify(&path, e))?;
        let added = docs
            .iter()
            .map(|(doc, format, analysis)| add_document_tx(&tx, doc, format, analysis.as_ref()))
            .collect::<rusqlite::Result<Vec<Added>>>()
            .map_err(|e| classify(&path, e))?;
        tx.commit().map_err(|e| classify(&path, e))?;
        Ok(added)
    }

    /// Replaces a stored document's analysis; the document goes back to
    /// pending, so the next corpus step takes its new entities and facts.
    pub fn set_analysis(&mut self, doc_id: &str, analysis: &AnalysisRecord<'_>) -> Result<()> {
        let path = self.path.clone();
        let tx = self.conn.transaction().map_err(|e| classify(&path, e))?;
        write_analysis(&tx, doc_id, analysis).map_err(|e| classify(&path, e))?;
        tx.commit().map_err(|e| classify(&path, e))
    }

    /// Ids of documents whose stored analysis is missing or not `version`.
    pub fn documents_needing_analysis(&self, version: &str) -> Result<Vec<String>> {
        let run = || -> rusqlite::Result<Vec<String>> {
            let mut stmt = self.conn.prepare(
                "SELECT id FROM documents WHERE analysis IS NULL OR analysis != ?1 ORDER BY seq",
            )?;
            let rows = stmt.query_map([version], |r| r.get(0))?;
            rows.collect()
        };
        self.sql(run())
    }

    /// One stored document with all its sources.
    pub fn document(&self, id: &str) -> Result<Option<Document>> {
        let run = || -> rusqlite::Result<Option<Document>> {
            let doc = self
                .conn
                .query_row(
                    "SELECT id, source, title, published, byline, language, text FROM documents WHERE id = ?1",
                    [id],
                    document_row,
                )
                .optional()?;
            let Some(mut d) = doc else { return Ok(None) };
            let mut stmt = self.conn.prepare_cached(
                "SELECT source FROM document_sources WHERE doc_id = ?1 ORDER BY rowid",
            )?;
            d.sources = stmt
                .query_map([id], |r| r.get(0))?
                .collect::<rusqlite::Result<_>>()?;
            Ok(Some(d))
        };
        self.sql(run())
    }

    /// Records that a file was read completely, replacing its earlier
    /// problems with this run's.
    pub fn finish_file(
        &mut self,
        rec: &FileRecord,
        format: Option<&str>,
        docs: usize,
        problems: &[SkipRecord],
    ) -> Result<()> {
        let path = self.path.clone();
        let tx = self.conn.transaction().map_err(|e| classify(&path, e))?;
        let r = (|| {
            tx.execute("DELETE FROM skipped WHERE file = ?1", [&rec.path])?;
            insert_problems(&tx, &rec.path, problems)?;
            tx.execute(
                "INSERT INTO files (path, size, mtime_ns, format, docs) VALUES (?1, ?2, ?3, ?4, ?5)
                 ON CONFLICT(path) DO UPDATE SET size = excluded.size, mtime_ns = excluded.mtime_ns,
                 format = excluded.format, docs = excluded.docs",
                params![rec.path, rec.size as i64, rec.mtime_ns, format, docs as i64],
            )?;
            tx.commit()
        })();
        r.map_err(|e| classify(&path, e))
    }

    /// Records problems with an input that has no file state (a path that
    /// does not exist, a special file).
    pub fn record_problems(&mut self, file: &str, problems: &[SkipRecord]) -> Result<()> {
        let path = self.path.clone();
        let tx = self.conn.transaction().map_err(|e| classify(&path, e))?;
        let r = (|| {
            tx.execute("DELETE FROM skipped WHERE file = ?1", [file])?;
            tx.execute("DELETE FROM files WHERE path = ?1", [file])?;
            insert_problems(&tx, file, problems)?;
            tx.commit()
        })();
        r.map_err(|e| classify(&path, e))
    }

    /// Row counts, skipped inputs and sizes.
    pub fn stats(&self) -> Result<Stats> {
        let mut tables = Vec::new();
        for t in COUNTED {
            // Table names come from the fixed list above, never from input.
            let n: i64 = self.sql(self.conn.query_row(
                &format!("SELECT count(*) FROM {t}"),
                [],
                |r| r.get(0),
            ))?;
            tables.push((t.to_string(), n));
        }
        let run = || -> rusqlite::Result<Vec<SkipRecord>> {
            let mut stmt = self.conn.prepare(
                "SELECT source, reason, severity FROM skipped ORDER BY file, source, reason",
            )?;
            let rows = stmt.query_map([], |r| {
                let sev: String = r.get(2)?;
                Ok(SkipRecord {
                    source: r.get(0)?,
                    reason: r.get(1)?,
                    severity: if sev == "warning" {
                        Severity::Warning
                    } else {
                        Severity::Skipped
                    },
                })
            })?;
            rows.collect()
        };
        let skipped = self.sql(run())?;
        let file_bytes = std::fs::metadata(&self.path).map(|m| m.len()).unwrap_or(0);
        Ok(Stats {
            tables,
            skipped,
            file_bytes,
            table_bytes: self.table_bytes().unwrap_or_default(),
        })
    }

    /// Bytes per table, its indexes included (SQLite's `dbstat`), largest
    /// first; `None` when the virtual table is not available.
    fn table_bytes(&self) -> Option<Vec<(String, u64)>> {
        let run = || -> rusqlite::Result<Vec<(String, u64)>> {
            let mut stmt = self.conn.prepare(
                "SELECT coalesce(m.tbl_name, s.name), sum(s.pgsize) FROM dbstat s
                 LEFT JOIN sqlite_master m ON m.name = s.name
                 GROUP BY 1 ORDER BY 2 DESC",
            )?;
            let rows = stmt.query_map([], |r| Ok((r.get(0)?, r.get::<_, i64>(1)? as u64)))?;
            rows.collect()
        };
        run().ok()
    }
}

pub(crate) fn document_row(r: &rusqlite::Row<'_>) -> rusqlite::Result<Document> {
    Ok(Document {
        id: r.get(0)?,
        source: r.get(1)?,
        sources: Vec::new(),
        title: r.get(2)?,
        published: r.get(3)?,
        byline: r.get(4)?,
        language: r.get(5)?,
        text: r.get(6)?,
    })
}

fn insert_problems(
    tx: &Transaction<'_>,
    file: &str,
    problems: &[SkipRecord],
) -> rusqlite::Result<()> {
    let mut stmt = tx.prepare_cached(
        "INSERT OR IGNORE INTO skipped (file, source, reason, severity) VALUES (?1, ?2, ?3, ?4)",
    )?;
    for p in problems {
        stmt.execute(params![file, p.source, p.reason, p.severity.as_str()])?;
    }
    Ok(())
}

fn add_document_tx(
    tx: &Transaction<'_>,
    doc: &Document,
    format: &str,
    analysis: Option<&AnalysisRecord<'_>>,
) -> rusqlite::Result<Added> {
    let exists = tx
        .prepare_cached("SELECT 1 FROM documents WHERE id = ?1")?
        .exists([&doc.id])?;
    if exists {
        let mut added = Added::Unchanged;
        for source in sources_of(doc) {
            let n = tx
                .prepare_cached(
                    "INSERT OR IGNORE INTO document_sources (doc_id, source) VALUES (?1, ?2)",
                )?
                .execute(params![doc.id, source])?;
            if n > 0 {
                added = Added::NewSource;
            }
        }
        return Ok(added);
    }
    let seq: i64 = tx.query_row("SELECT coalesce(max(seq), 0) + 1 FROM documents", [], |r| {
        r.get(0)
    })?;
    tx.prepare_cached(
        "INSERT INTO documents (id, seq, source, title, published, byline, language, format, text)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
    )?
    .execute(params![
        doc.id,
        seq,
        doc.source,
        doc.title,
        doc.published,
        doc.byline,
        doc.language,
        format,
        doc.text
    ])?;
    for source in sources_of(doc) {
        tx.prepare_cached(
            "INSERT OR IGNORE INTO document_sources (doc_id, source) VALUES (?1, ?2)",
        )?
        .execute(params![doc.id, source])?;
    }
    if let Some(a) = analysis {
        write_analysis(tx, &doc.id, a)?;
    }
    Ok(Added::New)
}

/// Every place the document was read from, its first source first.
fn sources_of(doc: &Document) -> impl Iterator<Item = &String> {
    std::iter::once(&doc.source).chain(doc.sources.iter().filter(move |s| **s != doc.source))
}

fn write_analysis(
    tx: &Transaction<'_>,
    doc_id: &str,
    a: &AnalysisRecord<'_>,
) -> rusqlite::Result<()> {
    for table in [
        "times",
        "doc_blobs",
        "mentions",
        "local_aliases",
        "local_descriptions",
        "local_entities",
    ] {
        // Table names come from the fixed list above, never from input.
        tx.prepare_cached(&format!("DELETE FROM {table} WHERE doc_id = ?1"))?
            .execute([doc_id])?;
    }
    let mut stmt = tx.prepare_cached(
        "INSERT INTO mentions (doc_id, idx, start, end, text, label, kind, local, how)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
    )?;
    let mut per_local: Vec<i64> = vec![0; a.entities.len()];
    for (i, m) in a.mentions.iter().enumerate() {
        let kind = m.span.kind.unwrap_or(MentionKind::Name).as_str();
        if let Some(n) = m.local.and_then(|l| per_local.get_mut(l)) {
            *n += 1;
        }
        stmt.execute(params![
            doc_id,
            i as i64,
            m.span.start as i64,
            m.span.end as i64,
            m.span.text,
            m.label,
            kind,
            m.local.map(|l| l as i64),
            m.how
        ])?;
    }
    let mut ent = tx.prepare_cached(
        "INSERT INTO local_entities (doc_id, idx, label, name, ambiguous, mentions) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
    )?;
    let mut alias = tx.prepare_cached(
        "INSERT INTO local_aliases (doc_id, local, name, start, end, text) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
    )?;
    let mut desc = tx.prepare_cached(
        "INSERT INTO local_descriptions (doc_id, local, text, start, end, span) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
    )?;
    for (i, e) in a.entities.iter().enumerate() {
        ent.execute(params![
            doc_id,
            i as i64,
            e.label,
            e.name,
            e.ambiguous,
            per_local[i]
        ])?;
        for (name, sp) in &e.aliases {
            alias.execute(params![
                doc_id,
                i as i64,
                name,
                sp.start as i64,
                sp.end as i64,
                sp.text
            ])?;
        }
        for d in &e.descriptions {
            for sp in &d.evidence {
                desc.execute(params![
                    doc_id,
                    i as i64,
                    d.text,
                    sp.start as i64,
                    sp.end as i64,
                    sp.text
                ])?;
            }
        }
    }
    let mut time = tx.prepare_cached(
        "INSERT INTO times (doc_id, idx, start, end, text, kind, value, anchor)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
    )?;
    for (i, t) in a.times.iter().enumerate() {
        time.execute(params![
            doc_id,
            i as i64,
            t.start as i64,
            t.end as i64,
            t.text,
            t.kind.as_str(),
            t.value,
            t.anchor
        ])?;
    }
    tx.prepare_cached("INSERT INTO doc_blobs (doc_id, profile, facts) VALUES (?1, ?2, ?3)")?
        .execute(params![doc_id, a.profile, a.facts])?;
    tx.prepare_cached("UPDATE documents SET analysis = ?1, corpus = 0 WHERE id = ?2")?
        .execute(params![a.version, doc_id])?;
    Ok(())
}
