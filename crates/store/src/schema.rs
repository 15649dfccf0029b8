//! Schema and migrations. Each migration runs in the transaction that also
//! records the new version, so a killed upgrade leaves the old schema.

/// Marks a SQLite file as a Dossier database ("DOSS").
pub const APPLICATION_ID: i32 = 0x444f_5353;

/// Migrations in order; index + 1 is the version they produce.
pub const MIGRATIONS: &[&str] = &[
    // 1: documents, their sources, files seen, skipped inputs, analysis.
    r#"
    CREATE TABLE documents (
        id         TEXT PRIMARY KEY,
        seq        INTEGER NOT NULL UNIQUE,
        source     TEXT NOT NULL,
        title      TEXT,
        published  TEXT,
        byline     TEXT,
        language   TEXT NOT NULL,
        format     TEXT NOT NULL,
        text       TEXT NOT NULL,
        -- Version of the analysis stored for this document; NULL = none yet.
        analysis   TEXT
    );
    CREATE TABLE document_sources (
        doc_id  TEXT NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
        source  TEXT NOT NULL,
        PRIMARY KEY (doc_id, source)
    );
    CREATE TABLE files (
        path      TEXT PRIMARY KEY,
        size      INTEGER NOT NULL,
        mtime_ns  INTEGER NOT NULL,
        format    TEXT,
        docs      INTEGER NOT NULL
    );
    CREATE TABLE skipped (
        file      TEXT NOT NULL,
        source    TEXT NOT NULL,
        reason    TEXT NOT NULL,
        severity  TEXT NOT NULL CHECK (severity IN ('skipped', 'warning')),
        PRIMARY KEY (file, source, reason)
    );
    CREATE TABLE sentences (
        doc_id  TEXT NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
        idx     INTEGER NOT NULL,
        start   INTEGER NOT NULL,
        end     INTEGER NOT NULL,
        PRIMARY KEY (doc_id, idx)
    );
    CREATE TABLE mentions (
        doc_id  TEXT NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
        idx     INTEGER NOT NULL,
        start   INTEGER NOT NULL,
        end     INTEGER NOT NULL,
        text    TEXT NOT NULL,
        label   TEXT NOT NULL,
        kind    TEXT NOT NULL,
        PRIMARY KEY (doc_id, idx)
    );
    "#,
];

pub const CURRENT_VERSION: i64 = MIGRATIONS.len() as i64;
