//! Store: the embedded SQLite knowledge base.
//!
//! Every document is written in one transaction together with its sources
//! and analysis, so a build killed at any point leaves a database that opens,
//! passes `PRAGMA integrity_check`, and resumes where it stopped. A file that
//! is not a Dossier database is refused and never written to.

mod export;
mod resolution;
mod schema;

pub use resolution::{EntityRows, EntityWrite, KeyCount, MemberRow, MemberWrite};
pub use schema::{APPLICATION_ID, CURRENT_VERSION};

use dossier_core::{DocAnalysis, Document, MentionKind};
use rusqlite::{params, Connection, OpenFlags, OptionalExtension, Transaction};
use std::path::{Path, PathBuf};

#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("{path}: not a Dossier database ({why}); refusing to touch it")]
    NotDossier { path: PathBuf, why: String },
    #[error("{path}: the database is corrupt ({detail}); it was left untouched")]
    Corrupt { path: PathBuf, detail: String },
    #[error("{path}: written by a newer Dossier (schema version {found}; this build knows up to {known})")]
    TooNew {
        path: PathBuf,
        found: i64,
        known: i64,
    },
    #[error(
        "{path}: schema version {found} is older than {known}; run `dossier build` to upgrade it"
    )]
    NeedsUpgrade {
        path: PathBuf,
        found: i64,
        known: i64,
    },
    #[error("{path}: no such database (run `dossier build` first)")]
    Missing { path: PathBuf },
    #[error("{path}: {source}")]
    Sqlite {
        path: PathBuf,
        #[source]
        source: rusqlite::Error,
    },
    #[error("{path}: {source}")]
    Io {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
}

pub type Result<T> = std::result::Result<T, StoreError>;

/// The state of an input file when it was last ingested completely.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FileRecord {
    pub path: String,
    pub size: u64,
    pub mtime_ns: i64,
}

/// A problem with an input, as stored for `dossier stats`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SkipRecord {
    pub source: String,
    pub reason: String,
    /// `skipped` or `warning`.
    pub severity: &'static str,
}

/// What adding a document did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Added {
    /// A new document.
    New,
    /// The same text was already stored; this source was added to it.
    NewSource,
    /// Already stored with this source: nothing changed.
    Unchanged,
}

/// Row counts and skipped inputs.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Stats {
    pub tables: Vec<(String, i64)>,
    pub skipped: Vec<SkipRecord>,
}

pub struct Store {
    conn: Connection,
    path: PathBuf,
}

impl Store {
    /// Opens (creating if needed) a database for writing, upgrading its
    /// schema. Refuses files that are not Dossier databases.
    pub fn open(path: &Path) -> Result<Store> {
        let exists = check_header(path)?;
        let conn = Connection::open_with_flags(
            path,
            OpenFlags::SQLITE_OPEN_READ_WRITE
                | OpenFlags::SQLITE_OPEN_CREATE
                | OpenFlags::SQLITE_OPEN_NO_MUTEX,
        )
        .map_err(|e| classify(path, e))?;
        let mut store = Store {
            conn,
            path: path.to_path_buf(),
        };
        // Identity and integrity are checked before anything is written:
        // even switching the journal mode rewrites the file header.
        if exists {
            store.check_identity()?;
            store.check_integrity()?;
        }
        store.configure()?;
        store.migrate()?;
        Ok(store)
    }

    /// Opens an existing database read-only (for export, stats, serve).
    pub fn open_read_only(path: &Path) -> Result<Store> {
        if !check_header(path)? {
            return Err(StoreError::Missing {
                path: path.to_path_buf(),
            });
        }
        let conn = Connection::open_with_flags(
            path,
            OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX,
        )
        .map_err(|e| classify(path, e))?;
        let store = Store {
            conn,
            path: path.to_path_buf(),
        };
        store.sql(store.conn.busy_timeout(std::time::Duration::from_secs(10)))?;
        store.check_identity()?;
        let version = store.version()?;
        if version > CURRENT_VERSION {
            return Err(StoreError::TooNew {
                path: store.path.clone(),
                found: version,
                known: CURRENT_VERSION,
            });
        }
        if version < CURRENT_VERSION {
            return Err(StoreError::NeedsUpgrade {
                path: store.path.clone(),
                found: version,
                known: CURRENT_VERSION,
            });
        }
        Ok(store)
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    /// The underlying connection, for read queries of later stages.
    pub fn conn(&self) -> &Connection {
        &self.conn
    }

    fn conn_mut(&mut self) -> &mut Connection {
        &mut self.conn
    }

    fn sql<T>(&self, r: rusqlite::Result<T>) -> Result<T> {
        r.map_err(|e| classify(&self.path, e))
    }

    fn configure(&mut self) -> Result<()> {
        let c = &self.conn;
        let r = c
            .busy_timeout(std::time::Duration::from_secs(10))
            .and_then(|_| c.pragma_update(None, "journal_mode", "WAL"))
            .and_then(|_| c.pragma_update(None, "synchronous", "NORMAL"))
            .and_then(|_| c.pragma_update(None, "foreign_keys", "ON"));
        self.sql(r)
    }

    fn check_identity(&self) -> Result<()> {
        let app: i32 = self.sql(
            self.conn
                .query_row("PRAGMA application_id", [], |r| r.get(0)),
        )?;
        if app == APPLICATION_ID {
            return Ok(());
        }
        let tables: i64 = self.sql(self.conn.query_row(
            "SELECT count(*) FROM sqlite_master",
            [],
            |r| r.get(0),
        ))?;
        if tables > 0 {
            return Err(StoreError::NotDossier {
                path: self.path.clone(),
                why: "it is a SQLite database with other tables".into(),
            });
        }
        Ok(())
    }

    fn check_integrity(&self) -> Result<()> {
        let result: String =
            self.sql(self.conn.query_row("PRAGMA quick_check", [], |r| r.get(0)))?;
        if result != "ok" {
            return Err(StoreError::Corrupt {
                path: self.path.clone(),
                detail: result,
            });
        }
        Ok(())
    }

    fn version(&self) -> Result<i64> {
        let has_table: bool = self.sql(self.conn.query_row(
            "SELECT count(*) FROM sqlite_master WHERE type='table' AND name='schema_version'",
            [],
            |r| r.get::<_, i64>(0).map(|n| n > 0),
        ))?;
        if !has_table {
            return Ok(0);
        }
        self.sql(
            self.conn
                .query_row("SELECT version FROM schema_version", [], |r| r.get(0)),
        )
    }

    fn migrate(&mut self) -> Result<()> {
        let version = self.version()?;
        if version > CURRENT_VERSION {
            return Err(StoreError::TooNew {
                path: self.path.clone(),
                found: version,
                known: CURRENT_VERSION,
            });
        }
        for (i, sql) in schema::MIGRATIONS.iter().enumerate().skip(version as usize) {
            let path = self.path.clone();
            let tx = self.conn.transaction().map_err(|e| classify(&path, e))?;
            let r = (|| {
                if i == 0 {
                    tx.execute_batch(&format!(
                        "PRAGMA application_id = {APPLICATION_ID};
                         CREATE TABLE schema_version (version INTEGER NOT NULL);
                         INSERT INTO schema_version VALUES (0);"
                    ))?;
                }
                tx.execute_batch(sql)?;
                tx.execute("UPDATE schema_version SET version = ?1", [i as i64 + 1])?;
                tx.commit()
            })();
            r.map_err(|e| classify(&path, e))?;
        }
        Ok(())
    }

    /// Whether this file was already ingested completely in this state.
    pub fn file_is_current(&self, rec: &FileRecord) -> Result<bool> {
        let row: Option<(i64, i64)> = self.sql(
            self.conn
                .query_row(
                    "SELECT size, mtime_ns FROM files WHERE path = ?1",
                    [&rec.path],
                    |r| Ok((r.get(0)?, r.get(1)?)),
                )
                .optional(),
        )?;
        Ok(row == Some((rec.size as i64, rec.mtime_ns)))
    }

    /// Stores a document, its source and (if given) its analysis, in one
    /// transaction.
    pub fn add_document(
        &mut self,
        doc: &Document,
        format: &str,
        analysis: Option<(&str, &DocAnalysis)>,
    ) -> Result<Added> {
        let path = self.path.clone();
        let tx = self.conn.transaction().map_err(|e| classify(&path, e))?;
        let added = add_document_tx(&tx, doc, format, analysis).map_err(|e| classify(&path, e))?;
        tx.commit().map_err(|e| classify(&path, e))?;
        Ok(added)
    }

    /// Replaces a stored document's analysis.
    pub fn set_analysis(
        &mut self,
        doc_id: &str,
        version: &str,
        analysis: &DocAnalysis,
    ) -> Result<()> {
        let path = self.path.clone();
        let tx = self.conn.transaction().map_err(|e| classify(&path, e))?;
        write_analysis(&tx, doc_id, version, analysis).map_err(|e| classify(&path, e))?;
        tx.commit().map_err(|e| classify(&path, e))
    }

    /// Ids of documents whose stored analysis is missing or not `version`.
    pub fn documents_needing_analysis(&self, version: &str) -> Result<Vec<String>> {
        let mut stmt = self.sql(self.conn.prepare(
            "SELECT id FROM documents WHERE analysis IS NULL OR analysis != ?1 ORDER BY seq",
        ))?;
        let rows = self.sql(stmt.query_map([version], |r| r.get(0)))?;
        rows.collect::<rusqlite::Result<Vec<String>>>()
            .map_err(|e| classify(&self.path, e))
    }

    pub fn document_exists(&self, id: &str) -> Result<bool> {
        let found = self.sql(
            self.conn
                .prepare_cached("SELECT 1 FROM documents WHERE id = ?1")
                .and_then(|mut st| st.exists([id])),
        )?;
        Ok(found)
    }

    pub fn document(&self, id: &str) -> Result<Option<Document>> {
        let doc = self.sql(
            self.conn
                .query_row(
                    "SELECT id, source, title, published, byline, language, text FROM documents WHERE id = ?1",
                    [id],
                    export::document_row,
                )
                .optional(),
        )?;
        match doc {
            Some(mut d) => {
                d.sources = self.sources(id)?;
                Ok(Some(d))
            }
            None => Ok(None),
        }
    }

    fn sources(&self, id: &str) -> Result<Vec<String>> {
        let mut stmt = self.sql(self.conn.prepare_cached(
            "SELECT source FROM document_sources WHERE doc_id = ?1 ORDER BY rowid",
        ))?;
        let rows = self.sql(stmt.query_map([id], |r| r.get(0)))?;
        rows.collect::<rusqlite::Result<Vec<String>>>()
            .map_err(|e| classify(&self.path, e))
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
    /// does not exist, an unreadable directory entry).
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

    pub fn stats(&self) -> Result<Stats> {
        let mut tables = Vec::new();
        for t in [
            "documents",
            "document_sources",
            "files",
            "sentences",
            "mentions",
            "local_entities",
            "entities",
            "times",
            "doc_facts",
            "skipped",
        ] {
            // Table names come from the fixed list above, never from input.
            let n: i64 = self.sql(self.conn.query_row(
                &format!("SELECT count(*) FROM {t}"),
                [],
                |r| r.get(0),
            ))?;
            tables.push((t.to_string(), n));
        }
        let mut stmt = self.sql(self.conn.prepare(
            "SELECT source, reason, severity FROM skipped ORDER BY file, source, reason",
        ))?;
        let rows = self.sql(stmt.query_map([], |r| {
            let sev: String = r.get(2)?;
            Ok(SkipRecord {
                source: r.get(0)?,
                reason: r.get(1)?,
                severity: if sev == "warning" {
                    "warning"
                } else {
                    "skipped"
                },
            })
        }))?;
        let skipped = rows
            .collect::<rusqlite::Result<Vec<_>>>()
            .map_err(|e| classify(&self.path, e))?;
        Ok(Stats { tables, skipped })
    }

    /// Runs SQLite's full integrity check.
    pub fn integrity_check(&self) -> Result<String> {
        self.sql(
            self.conn
                .query_row("PRAGMA integrity_check", [], |r| r.get(0)),
        )
    }
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
        stmt.execute(params![file, p.source, p.reason, p.severity])?;
    }
    Ok(())
}

fn add_document_tx(
    tx: &Transaction<'_>,
    doc: &Document,
    format: &str,
    analysis: Option<(&str, &DocAnalysis)>,
) -> rusqlite::Result<Added> {
    let exists: bool = tx
        .query_row("SELECT 1 FROM documents WHERE id = ?1", [&doc.id], |_| {
            Ok(())
        })
        .optional()?
        .is_some();
    let added = if exists {
        let new_source = tx.execute(
            "INSERT OR IGNORE INTO document_sources (doc_id, source) VALUES (?1, ?2)",
            params![doc.id, doc.source],
        )?;
        if new_source > 0 {
            Added::NewSource
        } else {
            Added::Unchanged
        }
    } else {
        let seq: i64 =
            tx.query_row("SELECT coalesce(max(seq), 0) + 1 FROM documents", [], |r| {
                r.get(0)
            })?;
        tx.execute(
            "INSERT INTO documents (id, seq, source, title, published, byline, language, format, text)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
            params![
                doc.id,
                seq,
                doc.source,
                doc.title,
                doc.published,
                doc.byline,
                doc.language,
                format,
                doc.text
            ],
        )?;
        tx.execute(
            "INSERT INTO document_sources (doc_id, source) VALUES (?1, ?2)",
            params![doc.id, doc.source],
        )?;
        Added::New
    };
    if let Some((version, a)) = analysis {
        if added == Added::New {
            write_analysis(tx, &doc.id, version, a)?;
        }
    }
    Ok(added)
}

fn write_analysis(
    tx: &Transaction<'_>,
    doc_id: &str,
    version: &str,
    a: &DocAnalysis,
) -> rusqlite::Result<()> {
    // Replace: undo this document's statistics, then its rows.
    {
        let mut old = tx.prepare_cached("SELECT kind, key FROM doc_stat_keys WHERE doc_id = ?1")?;
        let keys: Vec<(String, String)> = old
            .query_map([doc_id], |r| Ok((r.get(0)?, r.get(1)?)))?
            .collect::<rusqlite::Result<_>>()?;
        let mut dec =
            tx.prepare_cached("UPDATE stat_df SET df = df - 1 WHERE kind = ?1 AND key = ?2")?;
        for (k, key) in &keys {
            dec.execute(params![k, key])?;
        }
    }
    for table in [
        "times",
        "doc_facts",
        "doc_stat_keys",
        "sentences",
        "mentions",
        "local_aliases",
        "local_descriptions",
        "entity_members",
        "local_entities",
    ] {
        // Table names come from the fixed list above, never from input.
        tx.execute(&format!("DELETE FROM {table} WHERE doc_id = ?1"), [doc_id])?;
    }
    {
        let mut stmt = tx.prepare_cached(
            "INSERT INTO sentences (doc_id, idx, start, end) VALUES (?1, ?2, ?3, ?4)",
        )?;
        for (i, (s, e)) in a.sentences.iter().enumerate() {
            stmt.execute(params![doc_id, i as i64, *s as i64, *e as i64])?;
        }
        let mut stmt = tx.prepare_cached(
            "INSERT INTO mentions (doc_id, idx, start, end, text, label, kind, local, how)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
        )?;
        for (i, m) in a.mentions.iter().enumerate() {
            let kind = m.span.kind.unwrap_or(MentionKind::Name).as_str();
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
            "INSERT INTO local_entities (doc_id, idx, label, name, ambiguous, profile) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
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
                e.profile
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
        if let Some(f) = &a.facts {
            tx.execute(
                "INSERT INTO doc_facts (doc_id, facts) VALUES (?1, ?2)",
                params![doc_id, f],
            )?;
        }
        let mut key = tx.prepare_cached(
            "INSERT OR IGNORE INTO doc_stat_keys (doc_id, kind, key) VALUES (?1, ?2, ?3)",
        )?;
        let mut inc = tx.prepare_cached(
            "INSERT INTO stat_df (kind, key, df) VALUES (?1, ?2, 1)
             ON CONFLICT(kind, key) DO UPDATE SET df = df + 1",
        )?;
        for (k, v) in &a.stat_keys {
            if key.execute(params![doc_id, k, v])? > 0 {
                inc.execute(params![k, v])?;
            }
        }
    }
    tx.execute(
        "UPDATE documents SET analysis = ?1 WHERE id = ?2",
        params![version, doc_id],
    )?;
    Ok(())
}

/// Reads the first bytes of an existing file to refuse non-SQLite files
/// before SQLite touches them. Returns whether the file exists with content.
fn check_header(path: &Path) -> Result<bool> {
    use std::io::Read;
    let mut f = match std::fs::File::open(path) {
        Ok(f) => f,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(false),
        Err(e) => {
            return Err(StoreError::Io {
                path: path.to_path_buf(),
                source: e,
            })
        }
    };
    let mut header = [0u8; 16];
    let n = f.read(&mut header).map_err(|e| StoreError::Io {
        path: path.to_path_buf(),
        source: e,
    })?;
    if n == 0 {
        return Ok(false);
    }
    if n < 16 || &header != b"SQLite format 3\0" {
        return Err(StoreError::NotDossier {
            path: path.to_path_buf(),
            why: "it is not a SQLite file".into(),
        });
    }
    Ok(true)
}

fn classify(path: &Path, e: rusqlite::Error) -> StoreError {
    use rusqlite::ErrorCode;
    match e.sqlite_error_code() {
        Some(ErrorCode::DatabaseCorrupt) => StoreError::Corrupt {
            path: path.to_path_buf(),
            detail: e.to_string(),
        },
        Some(ErrorCode::NotADatabase) => StoreError::NotDossier {
            path: path.to_path_buf(),
            why: e.to_string(),
        },
        _ => StoreError::Sqlite {
            path: path.to_path_buf(),
            source: e,
        },
    }
}

#[cfg(test)]
mod tests;
