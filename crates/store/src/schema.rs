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
    // 2: entity resolution: document-level entities with their profiles,
    // corpus statistics, and global entities with the reason for each member.
    r#"
    ALTER TABLE mentions ADD COLUMN local INTEGER;
    ALTER TABLE mentions ADD COLUMN how TEXT;
    CREATE TABLE local_entities (
        doc_id     TEXT NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
        idx        INTEGER NOT NULL,
        label      TEXT NOT NULL,
        name       TEXT NOT NULL,
        ambiguous  INTEGER NOT NULL,
        profile    TEXT NOT NULL,
        PRIMARY KEY (doc_id, idx)
    );
    CREATE TABLE local_aliases (
        doc_id  TEXT NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
        local   INTEGER NOT NULL,
        name    TEXT NOT NULL,
        start   INTEGER NOT NULL,
        end     INTEGER NOT NULL,
        text    TEXT NOT NULL
    );
    CREATE INDEX local_aliases_doc ON local_aliases(doc_id, local);
    CREATE TABLE local_descriptions (
        doc_id  TEXT NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
        local   INTEGER NOT NULL,
        text    TEXT NOT NULL,
        start   INTEGER NOT NULL,
        end     INTEGER NOT NULL,
        span    TEXT NOT NULL
    );
    CREATE INDEX local_descriptions_doc ON local_descriptions(doc_id, local);
    CREATE TABLE doc_stat_keys (
        doc_id  TEXT NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
        kind    TEXT NOT NULL,
        key     TEXT NOT NULL,
        PRIMARY KEY (doc_id, kind, key)
    );
    CREATE TABLE stat_df (
        kind  TEXT NOT NULL,
        key   TEXT NOT NULL,
        df    INTEGER NOT NULL,
        PRIMARY KEY (kind, key)
    );
    CREATE TABLE entities (
        id     TEXT PRIMARY KEY,
        label  TEXT NOT NULL,
        name   TEXT NOT NULL
    );
    CREATE TABLE entity_members (
        doc_id         TEXT NOT NULL,
        local          INTEGER NOT NULL,
        entity_id      TEXT NOT NULL REFERENCES entities(id),
        reason         TEXT,
        score          REAL,
        against_doc    TEXT,
        against_local  INTEGER,
        PRIMARY KEY (doc_id, local),
        FOREIGN KEY (doc_id, local) REFERENCES local_entities(doc_id, idx) ON DELETE CASCADE
    );
    CREATE INDEX entity_members_entity ON entity_members(entity_id);
    CREATE TABLE entity_keys (
        key        TEXT NOT NULL,
        entity_id  TEXT NOT NULL REFERENCES entities(id),
        PRIMARY KEY (key, entity_id)
    );
    CREATE INDEX entity_keys_entity ON entity_keys(entity_id);
    "#,
    // 3: time expressions and per-document facts.
    r#"
    CREATE TABLE times (
        doc_id  TEXT NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
        idx     INTEGER NOT NULL,
        start   INTEGER NOT NULL,
        end     INTEGER NOT NULL,
        text    TEXT NOT NULL,
        kind    TEXT NOT NULL,
        value   TEXT,
        anchor  TEXT,
        PRIMARY KEY (doc_id, idx)
    );
    CREATE TABLE doc_facts (
        doc_id  TEXT PRIMARY KEY REFERENCES documents(id) ON DELETE CASCADE,
        facts   TEXT NOT NULL
    );
    "#,
];

pub const CURRENT_VERSION: i64 = MIGRATIONS.len() as i64;
