//! Store: the embedded SQLite knowledge base.
//!
//! What is stored:
//! - per document, written in one transaction with its sources: its text,
//!   entity mentions, document-level entities, time expressions, and the
//!   resolution input and facts as encoded by their stages;
//! - across documents, written by the corpus step in one transaction:
//!   entities with their members, blocking keys, names, summaries and
//!   redirects; events, relations and claims with evidence and links;
//!   disputes; analyst judgements.
//!
//! Reads go through a [`Snapshot`] (one read transaction) and answer from
//! indexes; nothing loads the whole corpus. The [`Reader`] trait is the read
//! interface a second backend implements.
//!
//! A file that is not a Dossier database, is corrupt, or was written by a
//! newer Dossier is refused before anything is written to it. A build holds
//! an exclusive lock beside the database, so a second build waits or says
//! plainly that another one is running.

mod corpus;
mod docs;
mod export;
mod read;
mod schema;
mod types;

pub use corpus::{CorpusTx, FactRef, FactTable};
pub use export::ExportStream;
pub use read::{Reader, Snapshot};
pub use schema::{APPLICATION_ID, CURRENT_VERSION};
pub use types::*;

use rusqlite::{Connection, OpenFlags};
use std::path::{Path, PathBuf};

#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("{path}: not a Dossier database ({why}); refusing to touch it")]
    NotDossier { path: PathBuf, why: String },
    #[error("{path}: the database is corrupt ({detail}); it was left untouched")]
    Corrupt { path: PathBuf, detail: String },
    #[error("{path}: written by a newer Dossier (schema version {found}; this build knows up to {known}); it was left untouched")]
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
    #[error("{path}: another build is running on this database ({holder})")]
    Busy { path: PathBuf, holder: String },
    #[error("{path}: {what}")]
    Invalid { path: PathBuf, what: String },
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

/// What to do when another build holds the database.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum WhenBusy {
    /// Wait for it to finish (saying so once).
    Wait,
    /// Fail at once with [`StoreError::Busy`].
    Fail,
}

/// An open database. For writing ([`Store::open`]) it holds the build lock
/// until dropped.
pub struct Store {
    conn: Connection,
    path: PathBuf,
    _lock: Option<BuildLock>,
}

impl Store {
    /// Opens (creating if needed) a database for a build, upgrading its
    /// schema. The file is checked read-only first: a foreign, corrupt or
    /// newer database is refused before anything, even a lock-free journal
    /// file, is written.
    pub fn open(path: &Path, busy: WhenBusy) -> Result<Store> {
        let lock = BuildLock::acquire(path, busy)?;
        let exists = check_header(path)?;
        if exists {
            let probe = open_probe(path)?;
            check_identity(&probe, path)?;
            let version = schema_version(&probe, path)?;
            if version > CURRENT_VERSION {
                return Err(StoreError::TooNew {
                    path: path.to_path_buf(),
                    found: version,
                    known: CURRENT_VERSION,
                });
            }
            check_integrity(&probe, path)?;
        }
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
            _lock: Some(lock),
        };
        store.configure()?;
        store.migrate()?;
        Ok(store)
    }

    /// Opens an existing database for reading, checked as a build checks
    /// it (header, application id, schema version, SQLite's quick check).
    /// A database in a place this process cannot write to is opened
    /// immutable, so reading needs no journal files.
    pub fn open_read(path: &Path) -> Result<Store> {
        let store = Store::open_read_unchecked(path)?;
        check_integrity(&store.conn, path)?;
        Ok(store)
    }

    /// As [`Store::open_read`] without the quick check, whose cost grows
    /// with the file: for callers that run it themselves (in the background,
    /// say) through [`Store::quick_check`].
    pub fn open_read_unchecked(path: &Path) -> Result<Store> {
        if !check_header(path)? {
            return Err(StoreError::Missing {
                path: path.to_path_buf(),
            });
        }
        let conn = open_reader(path)?;
        check_identity(&conn, path)?;
        let version = schema_version(&conn, path)?;
        if version > CURRENT_VERSION {
            return Err(StoreError::TooNew {
                path: path.to_path_buf(),
                found: version,
                known: CURRENT_VERSION,
            });
        }
        if version < CURRENT_VERSION {
            return Err(StoreError::NeedsUpgrade {
                path: path.to_path_buf(),
                found: version,
                known: CURRENT_VERSION,
            });
        }
        Ok(Store {
            conn,
            path: path.to_path_buf(),
            _lock: None,
        })
    }

    /// SQLite's quick check: a corrupt file is an error.
    pub fn quick_check(&self) -> Result<()> {
        check_integrity(&self.conn, &self.path)
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    /// A consistent view for reading: one read transaction.
    pub fn snapshot(&mut self) -> Result<Snapshot<'_>> {
        Snapshot::begin(&mut self.conn, &self.path)
    }

    /// The corpus step's transaction.
    pub fn corpus(&mut self) -> Result<CorpusTx<'_>> {
        CorpusTx::begin(&mut self.conn, &self.path)
    }

    fn sql<T>(&self, r: rusqlite::Result<T>) -> Result<T> {
        r.map_err(|e| classify(&self.path, e))
    }

    fn configure(&mut self) -> Result<()> {
        let c = &self.conn;
        tune_statements(c).map_err(|e| classify(&self.path, e))?;
        let r = c
            .busy_timeout(std::time::Duration::from_secs(30))
            .and_then(|_| c.pragma_update(None, "journal_mode", "WAL"))
            .and_then(|_| c.pragma_update(None, "synchronous", "NORMAL"))
            .and_then(|_| c.pragma_update(None, "foreign_keys", "ON"))
            .and_then(|_| c.pragma_update(None, "cache_size", -65536));
        self.sql(r)
    }

    fn migrate(&mut self) -> Result<()> {
        let version = schema_version(&self.conn, &self.path)?;
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

    /// Records an analyst's judgement; the next build applies it.
    pub fn add_judgement(
        &mut self,
        kind: JudgementKind,
        a: &MemberKey,
        b: &MemberKey,
        note: Option<&str>,
        at: &str,
    ) -> Result<i64> {
        let r = self
            .conn
            .execute(
                "INSERT INTO judgements (kind, a_doc, a_local, b_doc, b_local, note, at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
                rusqlite::params![kind.as_str(), a.doc, a.local as i64, b.doc, b.local as i64, note, at],
            )
            .map(|_| self.conn.last_insert_rowid());
        self.sql(r)
    }

    /// Runs SQLite's full integrity check.
    pub fn integrity_check(&self) -> Result<String> {
        self.sql(
            self.conn
                .query_row("PRAGMA integrity_check", [], |r| r.get(0)),
        )
    }
}

/// The exclusive lock a build holds: `<db>.lock` beside the database,
/// holding the process id of its owner for the message others see.
struct BuildLock {
    _file: std::fs::File,
}

impl BuildLock {
    fn acquire(db: &Path, busy: WhenBusy) -> Result<BuildLock> {
        use std::io::{Read, Seek, Write};
        let path = lock_path(db);
        let io = |source| StoreError::Io {
            path: path.clone(),
            source,
        };
        let mut file = std::fs::OpenOptions::new()
            .read(true)
            .write(true)
            .create(true)
            .truncate(false)
            .open(&path)
            .map_err(io)?;
        match file.try_lock() {
            Ok(()) => {}
            Err(std::fs::TryLockError::WouldBlock) => {
                let mut holder = String::new();
                let _ = file.read_to_string(&mut holder);
                let holder = match holder.trim() {
                    "" => "its process is unknown".to_string(),
                    pid => format!("process {pid}"),
                };
                if busy == WhenBusy::Fail {
                    return Err(StoreError::Busy {
                        path: db.to_path_buf(),
                        holder,
                    });
                }
                tracing::warn!(
                    "{}: another build is running ({holder}); waiting for it to finish",
                    db.display()
                );
                file.lock().map_err(io)?;
            }
            Err(std::fs::TryLockError::Error(e)) => return Err(io(e)),
        }
        file.set_len(0).map_err(io)?;
        file.seek(std::io::SeekFrom::Start(0)).map_err(io)?;
        write!(file, "{}", std::process::id()).map_err(io)?;
        Ok(BuildLock { _file: file })
    }
}

fn lock_path(db: &Path) -> PathBuf {
    let mut name = db.file_name().unwrap_or_default().to_os_string();
    name.push(".lock");
    db.with_file_name(name)
}

/// A read-only connection that never writes: `immutable` skips the WAL
/// index and journal entirely. Used to check a file before a build opens
/// it for writing. When a WAL is there (a reader such as `dossier serve`
/// keeps it alive across builds, or a build was killed), it holds committed
/// pages the main file lacks, so it is read like any reader reads it:
/// nothing new is created, as the WAL and its index already exist.
fn open_probe(path: &Path) -> Result<Connection> {
    let uri = file_uri(path, "ro", !has_wal(path));
    let conn = Connection::open_with_flags(
        &uri,
        OpenFlags::SQLITE_OPEN_READ_ONLY
            | OpenFlags::SQLITE_OPEN_URI
            | OpenFlags::SQLITE_OPEN_NO_MUTEX,
    )
    .map_err(|e| classify(path, e))?;
    Ok(conn)
}

/// A reading connection: read-only, and immutable when the database or its
/// directory cannot be written (WAL mode needs a writable `-shm` file).
fn open_reader(path: &Path) -> Result<Connection> {
    let immutable = !writable(path);
    let uri = file_uri(path, "ro", immutable);
    let conn = Connection::open_with_flags(
        &uri,
        OpenFlags::SQLITE_OPEN_READ_ONLY
            | OpenFlags::SQLITE_OPEN_URI
            | OpenFlags::SQLITE_OPEN_NO_MUTEX,
    )
    .map_err(|e| classify(path, e))?;
    conn.busy_timeout(std::time::Duration::from_secs(30))
        .map_err(|e| classify(path, e))?;
    tune_statements(&conn).map_err(|e| classify(path, e))?;
    Ok(conn)
}

/// How every connection, writer or reader, keeps its statements: a cache
/// of [`STATEMENT_CACHE`], and plans that do not depend on bound values.
/// Without the latter, SQLite marks some statements (an aggregate over
/// `entity_id = ?1`) to be compiled again on every new binding, which was a
/// tenth of the corpus step; the store keeps no planner statistics, so the
/// plans would not change anyway.
fn tune_statements(conn: &Connection) -> rusqlite::Result<()> {
    conn.set_prepared_statement_cache_capacity(STATEMENT_CACHE);
    conn.set_db_config(
        rusqlite::config::DbConfig::SQLITE_DBCONFIG_ENABLE_QPSG,
        true,
    )
    .map(|_| ())
}

/// Prepared statements kept per connection: more than the store's distinct
/// queries, so a corpus step that cycles through them never prepares one
/// twice (SQLite's default of 16 made it re-parse SQL in every loop).
const STATEMENT_CACHE: usize = 256;

/// A non-empty `-wal` file beside the database.
fn has_wal(path: &Path) -> bool {
    let mut wal = path.as_os_str().to_os_string();
    wal.push("-wal");
    std::fs::metadata(PathBuf::from(wal)).is_ok_and(|m| m.len() > 0)
}

fn writable(path: &Path) -> bool {
    let dir_ok = path
        .parent()
        .map(|d| {
            if d.as_os_str().is_empty() {
                Path::new(".")
            } else {
                d
            }
        })
        .is_some_and(|d| {
            std::fs::metadata(d).is_ok_and(|m| !m.permissions().readonly()) && access_writable(d)
        });
    let file_ok = std::fs::OpenOptions::new().append(true).open(path).is_ok();
    dir_ok && file_ok
}

/// Whether this process may create files in `dir` (permission bits alone do
/// not say, for root or read-only mounts).
fn access_writable(dir: &Path) -> bool {
    let probe = dir.join(format!(".dossier-probe-{}", std::process::id()));
    match std::fs::File::create(&probe) {
        Ok(_) => {
            let _ = std::fs::remove_file(&probe);
            true
        }
        Err(_) => false,
    }
}

/// A `file:` URI for `path`, with its special characters escaped.
fn file_uri(path: &Path, mode: &str, immutable: bool) -> String {
    let abs = std::path::absolute(path).unwrap_or_else(|_| path.to_path_buf());
    let mut out = String::from("file:");
    for b in abs.to_string_lossy().bytes() {
        match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'/' | b'-' | b'_' | b'.' | b'~' => {
                out.push(b as char)
            }
            _ => out.push_str(&format!("%{b:02X}")),
        }
    }
    out.push_str(&format!("?mode={mode}"));
    if immutable {
        out.push_str("&immutable=1");
    }
    out
}

fn check_identity(conn: &Connection, path: &Path) -> Result<()> {
    let app: i32 = conn
        .query_row("PRAGMA application_id", [], |r| r.get(0))
        .map_err(|e| classify(path, e))?;
    if app == APPLICATION_ID {
        return Ok(());
    }
    let tables: i64 = conn
        .query_row("SELECT count(*) FROM sqlite_master", [], |r| r.get(0))
        .map_err(|e| classify(path, e))?;
    if tables > 0 {
        return Err(StoreError::NotDossier {
            path: path.to_path_buf(),
            why: "it is a SQLite database with other tables".into(),
        });
    }
    Ok(())
}

fn check_integrity(conn: &Connection, path: &Path) -> Result<()> {
    let result: String = conn
        .query_row("PRAGMA quick_check", [], |r| r.get(0))
        .map_err(|e| classify(path, e))?;
    if result != "ok" {
        return Err(StoreError::Corrupt {
            path: path.to_path_buf(),
            detail: result,
        });
    }
    Ok(())
}

fn schema_version(conn: &Connection, path: &Path) -> Result<i64> {
    let has_table: bool = conn
        .query_row(
            "SELECT count(*) FROM sqlite_master WHERE type='table' AND name='schema_version'",
            [],
            |r| r.get::<_, i64>(0).map(|n| n > 0),
        )
        .map_err(|e| classify(path, e))?;
    if !has_table {
        return Ok(0);
    }
    conn.query_row("SELECT version FROM schema_version", [], |r| r.get(0))
        .map_err(|e| classify(path, e))
}

/// Reads the first bytes of an existing file to refuse non-SQLite files
/// before SQLite touches them. Returns whether the file exists with content.
fn check_header(path: &Path) -> Result<bool> {
    use std::io::Read;
    let meta = match std::fs::metadata(path) {
        Ok(m) => m,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(false),
        Err(e) => {
            return Err(StoreError::Io {
                path: path.to_path_buf(),
                source: e,
            })
        }
    };
    if !meta.is_file() {
        return Err(StoreError::NotDossier {
            path: path.to_path_buf(),
            why: "it is not a regular file".into(),
        });
    }
    let mut f = std::fs::File::open(path).map_err(|e| StoreError::Io {
        path: path.to_path_buf(),
        source: e,
    })?;
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

pub(crate) fn classify(path: &Path, e: rusqlite::Error) -> StoreError {
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
