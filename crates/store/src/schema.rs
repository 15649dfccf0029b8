//! Schema and migrations. Each migration runs in the transaction that also
//! records the new version, so a killed upgrade leaves the old schema.

/// Marks a SQLite file as a Dossier database ("DOSS").
pub const APPLICATION_ID: i32 = 0x444f_5353;

/// The rows of `entity_events` for one event id (an SQL expression such as
/// `new.id`), recomputed from the events tables. SQLite has no procedures,
/// so each trigger of migration 7 repeats this text.
macro_rules! refresh_event {
    ($id:expr) => {
        concat!(
            "
        DELETE FROM entity_events WHERE event_id = ",
            $id,
            ";
        INSERT OR IGNORE INTO entity_events
            SELECT k.entity_id, e.day_first IS NULL, coalesce(e.day_first, 0), e.id
            FROM (SELECT entity_id FROM event_participants WHERE event_id = ",
            $id,
            "
                  UNION SELECT entity_id FROM event_places WHERE event_id = ",
            $id,
            ") k
            JOIN events e ON e.id = ",
            $id,
            ";"
        )
    };
}

/// The rows of `entity_claims` for one claim id, recomputed from the claims
/// tables.
macro_rules! refresh_claim {
    ($id:expr) => {
        concat!(
            "
        DELETE FROM entity_claims WHERE claim_id = ",
            $id,
            ";
        INSERT OR IGNORE INTO entity_claims
            SELECT k.entity_id, c.dispute IS NULL, coalesce(c.dispute, ''), coalesce(c.side, 0),
                   c.doc_id, c.start, c.id
            FROM (SELECT speaker AS entity_id FROM claims WHERE id = ",
            $id,
            " AND speaker IS NOT NULL
                  UNION SELECT target FROM claim_about WHERE claim_id = ",
            $id,
            ") k
            JOIN claims c ON c.id = ",
            $id,
            ";"
        )
    };
}

/// The three triggers that keep a page table current as rows of `$table`
/// (keyed by the event or claim id `$key`) are inserted, deleted or
/// updated; an update recomputes the old id and the new.
macro_rules! page_triggers {
    ($table:literal, $key:literal, $refresh:ident) => {
        concat!(
            "
    CREATE TRIGGER ",
            $table,
            "_insert_page AFTER INSERT ON ",
            $table,
            " BEGIN",
            $refresh!(concat!("new.", $key)),
            "
    END;
    CREATE TRIGGER ",
            $table,
            "_delete_page AFTER DELETE ON ",
            $table,
            " BEGIN",
            $refresh!(concat!("old.", $key)),
            "
    END;
    CREATE TRIGGER ",
            $table,
            "_update_page AFTER UPDATE ON ",
            $table,
            " BEGIN",
            $refresh!(concat!("old.", $key)),
            $refresh!(concat!("new.", $key)),
            "
    END;"
        )
    };
}

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
    // 4: the knowledge graph computed at build time. Per document: mentions,
    // local entities, times, and the resolution input and facts as blobs
    // encoded by their stages. Across documents: entities with members,
    // blocking keys, names, summaries and redirects; events, relations and
    // claims with their evidence and links; analyst judgements. Earlier
    // analyses are dropped and redone by the next build.
    r#"
    DROP TABLE IF EXISTS entity_keys;
    DROP TABLE IF EXISTS entity_members;
    DROP TABLE IF EXISTS entities;
    DROP TABLE IF EXISTS stat_df;
    DROP TABLE IF EXISTS doc_stat_keys;
    DROP TABLE IF EXISTS local_descriptions;
    DROP TABLE IF EXISTS local_aliases;
    DROP TABLE IF EXISTS local_entities;
    DROP TABLE IF EXISTS doc_facts;
    DROP TABLE IF EXISTS times;
    DROP TABLE IF EXISTS mentions;
    DROP TABLE IF EXISTS sentences;
    UPDATE documents SET analysis = NULL;
    ALTER TABLE documents ADD COLUMN corpus INTEGER NOT NULL DEFAULT 0;
    CREATE INDEX documents_pending ON documents(corpus, analysis);

    CREATE TABLE mentions (
        doc_id  TEXT NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
        idx     INTEGER NOT NULL,
        start   INTEGER NOT NULL,
        end     INTEGER NOT NULL,
        text    TEXT NOT NULL,
        label   TEXT NOT NULL,
        kind    TEXT NOT NULL,
        local   INTEGER,
        how     TEXT,
        PRIMARY KEY (doc_id, idx)
    ) WITHOUT ROWID;
    CREATE INDEX mentions_local ON mentions(doc_id, local);
    CREATE TABLE local_entities (
        doc_id     TEXT NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
        idx        INTEGER NOT NULL,
        label      TEXT NOT NULL,
        name       TEXT NOT NULL,
        ambiguous  INTEGER NOT NULL,
        mentions   INTEGER NOT NULL,
        PRIMARY KEY (doc_id, idx)
    ) WITHOUT ROWID;
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
    ) WITHOUT ROWID;
    CREATE TABLE doc_blobs (
        doc_id   TEXT PRIMARY KEY REFERENCES documents(id) ON DELETE CASCADE,
        profile  BLOB NOT NULL,
        facts    BLOB NOT NULL
    ) WITHOUT ROWID;

    CREATE TABLE entities (
        id        TEXT PRIMARY KEY,
        label     TEXT NOT NULL,
        kind      TEXT NOT NULL,
        name      TEXT NOT NULL,
        docs      INTEGER NOT NULL,
        mentions  INTEGER NOT NULL,
        state     BLOB NOT NULL
    ) WITHOUT ROWID;
    CREATE INDEX entities_kind ON entities(kind);
    CREATE TABLE entity_members (
        doc_id       TEXT NOT NULL,
        local        INTEGER NOT NULL,
        entity_id    TEXT NOT NULL,
        mentions     INTEGER NOT NULL,
        probability  REAL,
        reason       TEXT,
        decision     BLOB,
        PRIMARY KEY (doc_id, local),
        FOREIGN KEY (doc_id, local) REFERENCES local_entities(doc_id, idx) ON DELETE CASCADE
    ) WITHOUT ROWID;
    CREATE INDEX entity_members_entity ON entity_members(entity_id, mentions);
    CREATE TABLE entity_keys (
        key        TEXT NOT NULL,
        entity_id  TEXT NOT NULL,
        PRIMARY KEY (key, entity_id)
    ) WITHOUT ROWID;
    CREATE INDEX entity_keys_entity ON entity_keys(entity_id);
    CREATE TABLE key_sizes (
        key  TEXT PRIMARY KEY,
        n    INTEGER NOT NULL
    ) WITHOUT ROWID;
    CREATE TABLE entity_redirects (
        old_id  TEXT PRIMARY KEY,
        new_id  TEXT NOT NULL,
        why     TEXT NOT NULL
    ) WITHOUT ROWID;
    CREATE TABLE entity_names (
        entity_id  TEXT NOT NULL,
        text       TEXT NOT NULL,
        docs       INTEGER NOT NULL,
        mentions   INTEGER NOT NULL,
        PRIMARY KEY (entity_id, text)
    ) WITHOUT ROWID;
    CREATE TABLE name_keys (
        key        TEXT NOT NULL,
        entity_id  TEXT NOT NULL,
        PRIMARY KEY (key, entity_id)
    ) WITHOUT ROWID;
    CREATE INDEX name_keys_entity ON name_keys(entity_id);
    CREATE TABLE summaries (
        entity_id    TEXT PRIMARY KEY,
        description  TEXT,
        fate         TEXT,
        first_date   TEXT,
        last_date    TEXT,
        dates_from   TEXT
    ) WITHOUT ROWID;
    CREATE TABLE summary_refs (
        entity_id  TEXT NOT NULL,
        role       TEXT NOT NULL CHECK (role IN ('with', 'in')),
        rank       INTEGER NOT NULL,
        other_id   TEXT NOT NULL,
        PRIMARY KEY (entity_id, role, rank)
    ) WITHOUT ROWID;
    CREATE TABLE judgements (
        id        INTEGER PRIMARY KEY,
        kind      TEXT NOT NULL CHECK (kind IN ('same', 'not_same', 'split')),
        a_doc     TEXT NOT NULL,
        a_local   INTEGER NOT NULL,
        b_doc     TEXT NOT NULL,
        b_local   INTEGER NOT NULL,
        note      TEXT,
        at        TEXT NOT NULL,
        applied   INTEGER NOT NULL DEFAULT 0
    );

    CREATE TABLE events (
        id              TEXT PRIMARY KEY,
        kind            TEXT NOT NULL,
        date_value      TEXT,
        date_precision  TEXT,
        date_text       TEXT,
        day_first       INTEGER,
        day_last        INTEGER,
        docs            INTEGER NOT NULL,
        core            INTEGER NOT NULL
    ) WITHOUT ROWID;
    CREATE INDEX events_day ON events(day_first);
    CREATE TABLE event_participants (
        event_id   TEXT NOT NULL,
        rank       INTEGER NOT NULL,
        role       TEXT NOT NULL,
        entity_id  TEXT NOT NULL,
        PRIMARY KEY (event_id, rank)
    ) WITHOUT ROWID;
    CREATE INDEX event_participants_entity ON event_participants(entity_id);
    CREATE TABLE event_places (
        event_id   TEXT NOT NULL,
        rank       INTEGER NOT NULL,
        entity_id  TEXT NOT NULL,
        PRIMARY KEY (event_id, rank)
    ) WITHOUT ROWID;
    CREATE INDEX event_places_entity ON event_places(entity_id);
    CREATE TABLE event_evidence (
        event_id  TEXT NOT NULL,
        rank      INTEGER NOT NULL,
        doc_id    TEXT NOT NULL,
        start     INTEGER NOT NULL,
        end       INTEGER NOT NULL,
        text      TEXT NOT NULL,
        PRIMARY KEY (event_id, rank)
    ) WITHOUT ROWID;
    CREATE INDEX event_evidence_doc ON event_evidence(doc_id);
    CREATE TABLE event_documents (
        event_id  TEXT NOT NULL,
        doc_id    TEXT NOT NULL,
        PRIMARY KEY (event_id, doc_id)
    ) WITHOUT ROWID;
    CREATE TABLE event_mentions (
        doc_id    TEXT NOT NULL,
        idx       INTEGER NOT NULL,
        event_id  TEXT NOT NULL,
        PRIMARY KEY (doc_id, idx)
    ) WITHOUT ROWID;
    CREATE INDEX event_mentions_event ON event_mentions(event_id);

    CREATE TABLE relations (
        id       TEXT PRIMARY KEY,
        kind     TEXT NOT NULL,
        subject  TEXT NOT NULL,
        object   TEXT NOT NULL,
        role     TEXT
    ) WITHOUT ROWID;
    CREATE INDEX relations_subject ON relations(subject);
    CREATE INDEX relations_object ON relations(object);
    CREATE TABLE relation_evidence (
        relation_id  TEXT NOT NULL,
        rank         INTEGER NOT NULL,
        doc_id       TEXT NOT NULL,
        start        INTEGER NOT NULL,
        end          INTEGER NOT NULL,
        text         TEXT NOT NULL,
        PRIMARY KEY (relation_id, rank)
    ) WITHOUT ROWID;
    CREATE INDEX relation_evidence_doc ON relation_evidence(doc_id);
    CREATE TABLE relation_mentions (
        doc_id       TEXT NOT NULL,
        idx          INTEGER NOT NULL,
        relation_id  TEXT NOT NULL,
        PRIMARY KEY (doc_id, idx)
    ) WITHOUT ROWID;
    CREATE INDEX relation_mentions_relation ON relation_mentions(relation_id);

    CREATE TABLE claims (
        id            TEXT PRIMARY KEY,
        doc_id        TEXT NOT NULL,
        idx           INTEGER NOT NULL,
        start         INTEGER NOT NULL,
        end           INTEGER NOT NULL,
        text          TEXT NOT NULL,
        speaker       TEXT,
        speaker_text  TEXT,
        kind          TEXT NOT NULL,
        polarity      TEXT NOT NULL,
        hedged        INTEGER NOT NULL,
        dispute       TEXT,
        side          INTEGER
    ) WITHOUT ROWID;
    CREATE INDEX claims_doc ON claims(doc_id, idx);
    CREATE INDEX claims_speaker ON claims(speaker);
    CREATE INDEX claims_dispute ON claims(dispute);
    CREATE TABLE claim_about (
        claim_id  TEXT NOT NULL,
        rank      INTEGER NOT NULL,
        target    TEXT NOT NULL,
        PRIMARY KEY (claim_id, rank)
    ) WITHOUT ROWID;
    CREATE INDEX claim_about_target ON claim_about(target);
    CREATE TABLE claim_links (
        a     TEXT NOT NULL,
        b     TEXT NOT NULL,
        kind  TEXT NOT NULL CHECK (kind IN ('supports', 'contradicts')),
        PRIMARY KEY (a, b)
    ) WITHOUT ROWID;
    CREATE INDEX claim_links_b ON claim_links(b);
    CREATE TABLE disputes (
        id         TEXT PRIMARY KEY,
        disputed   INTEGER NOT NULL,
        claims     INTEGER NOT NULL,
        about      TEXT NOT NULL
    ) WITHOUT ROWID;
    "#,
    // 5: sanctions screening of the knowledge base's entities: the lists
    // screened against (with their content digest, so a re-screen after an
    // update can say what is new) and every entity's matches with why.
    r#"
    CREATE TABLE sanctions_lists (
        kind         TEXT NOT NULL,
        source       TEXT NOT NULL,
        list_date    TEXT,
        digest       TEXT NOT NULL,
        entries      INTEGER NOT NULL,
        screened_at  TEXT NOT NULL,
        PRIMARY KEY (kind)
    ) WITHOUT ROWID;
    CREATE TABLE screenings (
        entity_id    TEXT NOT NULL,
        list         TEXT NOT NULL,
        list_id      TEXT NOT NULL,
        name         TEXT NOT NULL,
        score        REAL NOT NULL,
        is_match     INTEGER NOT NULL,
        fingerprint  TEXT NOT NULL,
        list_date    TEXT,
        programs     TEXT NOT NULL,
        explanation  TEXT NOT NULL,
        detail       BLOB NOT NULL,
        first_seen   TEXT NOT NULL,
        PRIMARY KEY (entity_id, list, list_id)
    ) WITHOUT ROWID;
    CREATE INDEX screenings_match ON screenings(is_match, score);
    "#,
    // 6: event modality and amounts, claim stance and speaker kind; the
    // resolver's corpus statistics (document frequencies). The
    // analysis version changed with them, so the next build redoes the
    // analyses and the graph; the defaults only fill rows until then.
    r#"
    ALTER TABLE events ADD COLUMN modality TEXT NOT NULL DEFAULT 'asserted';
    ALTER TABLE events ADD COLUMN amount_value INTEGER;
    ALTER TABLE events ADD COLUMN amount_currency TEXT;
    ALTER TABLE events ADD COLUMN amount_text TEXT;
    ALTER TABLE claims ADD COLUMN stance TEXT NOT NULL DEFAULT 'assert';
    ALTER TABLE claims ADD COLUMN speaker_kind TEXT NOT NULL DEFAULT 'named';
    CREATE TABLE stat_df (
        key  TEXT PRIMARY KEY,
        n    INTEGER NOT NULL
    ) WITHOUT ROWID;
    CREATE INDEX entities_docs ON entities(docs);
    -- Where an entity's page shows each name form written: found by the
    -- form and the member's document instead of every member's mentions.
    CREATE INDEX mentions_text ON mentions(text, kind, doc_id);
    "#,
    // 7: an entity's events and claims in page order, kept by triggers on
    // the tables they come from, so an entity page reads one index range
    // instead of sorting every event and claim of a large entity. Every
    // change to an event or claim, or to a row hanging off one, recomputes
    // that one's rows (`page_triggers!`).
    concat!(
        r#"
    CREATE TABLE entity_events (
        entity_id  TEXT NOT NULL,
        undated    INTEGER NOT NULL,
        day_first  INTEGER NOT NULL,
        event_id   TEXT NOT NULL,
        PRIMARY KEY (entity_id, undated, day_first, event_id)
    ) WITHOUT ROWID;
    CREATE INDEX entity_events_event ON entity_events(event_id);
    CREATE TABLE entity_claims (
        entity_id   TEXT NOT NULL,
        undisputed  INTEGER NOT NULL,
        dispute     TEXT NOT NULL,
        side        INTEGER NOT NULL,
        doc_id      TEXT NOT NULL,
        start       INTEGER NOT NULL,
        claim_id    TEXT NOT NULL,
        PRIMARY KEY (entity_id, undisputed, dispute, side, doc_id, start, claim_id)
    ) WITHOUT ROWID;
    CREATE INDEX entity_claims_claim ON entity_claims(claim_id);
"#,
        page_triggers!("events", "id", refresh_event),
        page_triggers!("event_participants", "event_id", refresh_event),
        page_triggers!("event_places", "event_id", refresh_event),
        page_triggers!("claims", "id", refresh_claim),
        page_triggers!("claim_about", "claim_id", refresh_claim),
        r#"
    INSERT OR IGNORE INTO entity_events
        SELECT k.entity_id, e.day_first IS NULL, coalesce(e.day_first, 0), e.id
        FROM (SELECT event_id, entity_id FROM event_participants
              UNION SELECT event_id, entity_id FROM event_places) k
        JOIN events e ON e.id = k.event_id;
    INSERT OR IGNORE INTO entity_claims
        SELECT k.entity_id, c.dispute IS NULL, coalesce(c.dispute, ''), coalesce(c.side, 0),
               c.doc_id, c.start, c.id
        FROM (SELECT id AS claim_id, speaker AS entity_id FROM claims WHERE speaker IS NOT NULL
              UNION SELECT claim_id, target FROM claim_about) k
        JOIN claims c ON c.id = k.claim_id;
    "#
    ),
];

pub const CURRENT_VERSION: i64 = MIGRATIONS.len() as i64;
