//! Tables of cross-document resolution: global entities, their members
//! (document-level entities) with the reason each joined, and the blocking
//! keys that find candidate entities for new documents.

use crate::{classify, Result, Store};
use rusqlite::{params, OptionalExtension};
use std::collections::{BTreeMap, HashMap};

/// A member of an entity as stored.
#[derive(Debug, Clone, PartialEq)]
pub struct MemberRow {
    pub doc: String,
    pub local: usize,
    pub profile: String,
    pub reason: Option<String>,
    pub score: Option<f64>,
    pub against: Option<(String, usize)>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct EntityRows {
    pub id: String,
    pub label: String,
    pub name: String,
    pub members: Vec<MemberRow>,
}

/// A member to write.
#[derive(Debug, Clone, PartialEq)]
pub struct MemberWrite {
    pub doc: String,
    pub local: usize,
    pub reason: Option<String>,
    pub score: Option<f64>,
    pub against: Option<(String, usize)>,
}

/// An entity to write, replacing what is stored under its id.
#[derive(Debug, Clone, PartialEq)]
pub struct EntityWrite {
    pub id: String,
    pub label: String,
    pub name: String,
    pub members: Vec<MemberWrite>,
    pub keys: Vec<String>,
}

/// Document frequency of one statistic key: `(kind, key, df)`.
pub type KeyCount = (String, String, u64);

/// Keys are looked up in batches of this many bound parameters.
const KEY_BATCH: usize = 200;

impl Store {
    /// Number of analysed documents and the document frequencies of
    /// statistic keys, as `(kind, key, df)`.
    pub fn corpus_stats(&self) -> Result<(u64, Vec<KeyCount>)> {
        let run = || -> rusqlite::Result<(u64, Vec<KeyCount>)> {
            let docs: i64 = self.conn().query_row(
                "SELECT count(*) FROM documents WHERE analysis IS NOT NULL",
                [],
                |r| r.get(0),
            )?;
            let mut stmt = self
                .conn()
                .prepare("SELECT kind, key, df FROM stat_df WHERE df > 0")?;
            let rows = stmt
                .query_map([], |r| {
                    Ok((r.get(0)?, r.get(1)?, r.get::<_, i64>(2)? as u64))
                })?
                .collect::<rusqlite::Result<Vec<_>>>()?;
            Ok((docs as u64, rows))
        };
        run().map_err(|e| classify(self.path(), e))
    }

    /// Document-level entities not yet in any entity, in document order,
    /// as `(doc, local index, profile)`.
    pub fn unresolved_locals(&self) -> Result<Vec<(String, usize, String)>> {
        let run = || -> rusqlite::Result<Vec<(String, usize, String)>> {
            let mut stmt = self.conn().prepare(
                "SELECT l.doc_id, l.idx, l.profile FROM local_entities l
                 JOIN documents d ON d.id = l.doc_id
                 LEFT JOIN entity_members m ON m.doc_id = l.doc_id AND m.local = l.idx
                 WHERE m.entity_id IS NULL
                 ORDER BY d.seq, l.idx",
            )?;
            let rows = stmt
                .query_map([], |r| {
                    Ok((r.get(0)?, r.get::<_, i64>(1)? as usize, r.get(2)?))
                })?
                .collect();
            rows
        };
        run().map_err(|e| classify(self.path(), e))
    }

    /// Entities that have any of `keys`, with all their members.
    pub fn entities_with_keys(&self, keys: &[String]) -> Result<Vec<EntityRows>> {
        let run = || -> rusqlite::Result<Vec<EntityRows>> {
            let mut ids: Vec<String> = Vec::new();
            for chunk in keys.chunks(KEY_BATCH) {
                let marks = vec!["?"; chunk.len()].join(",");
                // Only placeholders are formatted in; the keys are bound.
                let sql =
                    format!("SELECT DISTINCT entity_id FROM entity_keys WHERE key IN ({marks})");
                let mut stmt = self.conn().prepare(&sql)?;
                let found = stmt
                    .query_map(rusqlite::params_from_iter(chunk.iter()), |r| {
                        r.get::<_, String>(0)
                    })?
                    .collect::<rusqlite::Result<Vec<_>>>()?;
                ids.extend(found);
            }
            ids.sort();
            ids.dedup();
            ids.iter()
                .map(|id| self.entity_rows_raw(id))
                .filter_map(|r| r.transpose())
                .collect()
        };
        run().map_err(|e| classify(self.path(), e))
    }

    /// One entity with its members.
    pub fn entity_rows(&self, id: &str) -> Result<Option<EntityRows>> {
        self.entity_rows_raw(id)
            .map_err(|e| classify(self.path(), e))
    }

    fn entity_rows_raw(&self, id: &str) -> rusqlite::Result<Option<EntityRows>> {
        let head: Option<(String, String)> = self
            .conn()
            .query_row(
                "SELECT label, name FROM entities WHERE id = ?1",
                [id],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .optional()?;
        let Some((label, name)) = head else {
            return Ok(None);
        };
        let mut stmt = self.conn().prepare_cached(
            "SELECT m.doc_id, m.local, l.profile, m.reason, m.score, m.against_doc, m.against_local
             FROM entity_members m
             JOIN local_entities l ON l.doc_id = m.doc_id AND l.idx = m.local
             JOIN documents d ON d.id = m.doc_id
             WHERE m.entity_id = ?1 ORDER BY d.seq, m.local",
        )?;
        let members = stmt
            .query_map([id], |r| {
                let against_doc: Option<String> = r.get(5)?;
                let against_local: Option<i64> = r.get(6)?;
                Ok(MemberRow {
                    doc: r.get(0)?,
                    local: r.get::<_, i64>(1)? as usize,
                    profile: r.get(2)?,
                    reason: r.get(3)?,
                    score: r.get(4)?,
                    against: against_doc.zip(against_local.map(|l| l as usize)),
                })
            })?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        Ok(Some(EntityRows {
            id: id.to_string(),
            label,
            name,
            members,
        }))
    }

    /// Writes the outcome of a resolution step in one transaction: changed
    /// entities replace what was stored under their ids; removed entities
    /// (merged into others) disappear.
    pub fn apply_resolution(&mut self, changed: &[EntityWrite], removed: &[String]) -> Result<()> {
        let path = self.path().to_path_buf();
        let tx = self
            .conn_mut()
            .transaction()
            .map_err(|e| classify(&path, e))?;
        let run = || -> rusqlite::Result<()> {
            for id in removed.iter().chain(changed.iter().map(|e| &e.id)) {
                tx.execute("DELETE FROM entity_keys WHERE entity_id = ?1", [id])?;
                tx.execute("DELETE FROM entity_members WHERE entity_id = ?1", [id])?;
            }
            for id in removed {
                tx.execute("DELETE FROM entities WHERE id = ?1", [id])?;
            }
            let mut ent = tx.prepare_cached(
                "INSERT INTO entities (id, label, name) VALUES (?1, ?2, ?3)
                 ON CONFLICT(id) DO UPDATE SET label = excluded.label, name = excluded.name",
            )?;
            let mut mem = tx.prepare_cached(
                "INSERT OR REPLACE INTO entity_members (doc_id, local, entity_id, reason, score, against_doc, against_local)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
            )?;
            let mut key = tx.prepare_cached(
                "INSERT OR IGNORE INTO entity_keys (key, entity_id) VALUES (?1, ?2)",
            )?;
            for e in changed {
                ent.execute(params![e.id, e.label, e.name])?;
                for m in &e.members {
                    mem.execute(params![
                        m.doc,
                        m.local as i64,
                        e.id,
                        m.reason,
                        m.score,
                        m.against.as_ref().map(|a| a.0.clone()),
                        m.against.as_ref().map(|a| a.1 as i64)
                    ])?;
                }
                for k in &e.keys {
                    key.execute(params![k, e.id])?;
                }
            }
            Ok(())
        };
        run().map_err(|e| classify(&path, e))?;
        tx.commit().map_err(|e| classify(&path, e))
    }

    /// Forgets all cross-document decisions (after documents were
    /// re-analysed), so the next step resolves everything again.
    pub fn reset_resolution(&mut self) -> Result<()> {
        let path = self.path().to_path_buf();
        self.conn()
            .execute_batch("BEGIN; DELETE FROM entity_keys; DELETE FROM entity_members; DELETE FROM entities; COMMIT;")
            .map_err(|e| classify(&path, e))
    }

    /// Every entity id with its members' `(doc, local)` pairs.
    pub(crate) fn entity_membership(
        &self,
    ) -> rusqlite::Result<BTreeMap<String, Vec<(String, usize)>>> {
        let mut stmt = self.conn().prepare(
            "SELECT m.entity_id, m.doc_id, m.local FROM entity_members m
             JOIN documents d ON d.id = m.doc_id ORDER BY m.entity_id, d.seq, m.local",
        )?;
        let mut out: BTreeMap<String, Vec<(String, usize)>> = BTreeMap::new();
        let rows = stmt.query_map([], |r| {
            Ok((
                r.get::<_, String>(0)?,
                r.get::<_, String>(1)?,
                r.get::<_, i64>(2)?,
            ))
        })?;
        for row in rows {
            let (e, d, l) = row?;
            out.entry(e).or_default().push((d, l as usize));
        }
        Ok(out)
    }

    /// Map from `(doc, local)` to entity id.
    pub fn local_to_entity(&self) -> Result<HashMap<(String, usize), String>> {
        let m = self
            .entity_membership()
            .map_err(|e| classify(self.path(), e))?;
        Ok(m.into_iter()
            .flat_map(|(e, members)| members.into_iter().map(move |k| (k, e.clone())))
            .collect())
    }
}
