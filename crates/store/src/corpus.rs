//! The corpus step's transaction: documents whose analysis is stored but
//! not yet in the graph are resolved against the stored entities and their
//! facts linked; everything they touch is rewritten, and the documents are
//! marked done, in one transaction. A build killed during the step leaves
//! the graph as it was and the documents pending.

use crate::{
    classify, DisputeGroup, DocBlobs, EntityWrite, FateRow, JudgementKind, JudgementRow, MemberKey,
    NameCount, Redirect, Result, SummaryRow,
};
use dossier_core::{Claim, Event, Relation, Span};
use rusqlite::{params, params_from_iter, Connection, OptionalExtension, Transaction};
use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::path::Path;

/// Bound parameters per statement when a list is looked up.
const CHUNK: usize = 400;

/// `?,?,...` for `n` parameters.
fn marks(n: usize) -> String {
    let mut s = String::with_capacity(n * 2);
    for i in 0..n {
        if i > 0 {
            s.push(',');
        }
        s.push('?');
    }
    s
}

/// Runs `query` (with `{}` standing for the placeholders) for each chunk
/// of `ids` and gathers the rows. Only placeholders are formatted into the
/// SQL; the values are bound.
pub(crate) fn chunked<T>(
    tx: &rusqlite::Connection,
    query: &str,
    ids: &[String],
    row: impl Fn(&rusqlite::Row<'_>) -> rusqlite::Result<T>,
) -> rusqlite::Result<Vec<T>> {
    let mut out = Vec::new();
    for chunk in ids.chunks(CHUNK) {
        let sql = query.replace("{}", &marks(chunk.len()));
        let mut stmt = tx.prepare_cached(&sql)?;
        let rows = stmt.query_map(params_from_iter(chunk.iter()), &row)?;
        for r in rows {
            out.push(r?);
        }
    }
    Ok(out)
}

/// Document frequencies of these keys, with the number of documents under
/// `#documents` (the resolver's convention); the corpus step and readers
/// share it.
pub(crate) fn stat_counts(
    conn: &rusqlite::Connection,
    keys: &[String],
) -> rusqlite::Result<Vec<(String, u64)>> {
    let mut wanted: Vec<String> = keys.to_vec();
    wanted.push("#documents".into());
    chunked(
        conn,
        "SELECT key, n FROM stat_df WHERE key IN ({})",
        &wanted,
        |r| Ok((r.get::<_, String>(0)?, r.get::<_, i64>(1)? as u64)),
    )
}

/// A stored fact mention: `(document, index)` into its list of that kind.
pub type FactRef = (String, usize);

pub struct CorpusTx<'a> {
    tx: Transaction<'a>,
    path: &'a Path,
}

impl<'a> CorpusTx<'a> {
    pub(crate) fn begin(conn: &'a mut rusqlite::Connection, path: &'a Path) -> Result<Self> {
        let tx = conn
            .transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)
            .map_err(|e| classify(path, e))?;
        Ok(CorpusTx { tx, path })
    }

    fn sql<T>(&self, r: rusqlite::Result<T>) -> Result<T> {
        r.map_err(|e| classify(self.path, e))
    }

    pub fn commit(self) -> Result<()> {
        let path = self.path;
        self.tx.commit().map_err(|e| classify(path, e))
    }

    // ---- inputs ----

    /// Up to `limit` documents analysed but not yet in the graph, by id.
    pub fn pending(&self, limit: usize) -> Result<Vec<String>> {
        let run = || -> rusqlite::Result<Vec<String>> {
            let mut stmt = self.tx.prepare(
                "SELECT id FROM documents WHERE corpus = 0 AND analysis IS NOT NULL ORDER BY id LIMIT ?1",
            )?;
            let rows = stmt.query_map([limit as i64], |r| r.get(0))?;
            rows.collect()
        };
        self.sql(run())
    }

    /// The stored resolution input and facts of these documents.
    pub fn blobs(&self, docs: &[String]) -> Result<Vec<DocBlobs>> {
        self.sql(chunked(
            &self.tx,
            "SELECT doc_id, profile, facts FROM doc_blobs WHERE doc_id IN ({})",
            docs,
            |r| {
                Ok(DocBlobs {
                    doc: r.get(0)?,
                    profile: r.get(1)?,
                    facts: r.get(2)?,
                })
            },
        ))
    }

    /// Publication dates of these documents.
    pub fn published(&self, docs: &[String]) -> Result<HashMap<String, Option<String>>> {
        let rows = self.sql(chunked(
            &self.tx,
            "SELECT id, published FROM documents WHERE id IN ({})",
            docs,
            |r| Ok((r.get::<_, String>(0)?, r.get::<_, Option<String>>(1)?)),
        ))?;
        Ok(rows.into_iter().collect())
    }

    pub fn mark_done(&self, docs: &[String]) -> Result<()> {
        let run = || -> rusqlite::Result<()> {
            let mut stmt = self
                .tx
                .prepare_cached("UPDATE documents SET corpus = 1 WHERE id = ?1")?;
            for d in docs {
                stmt.execute([d])?;
            }
            Ok(())
        };
        self.sql(run())
    }

    // ---- entities: what the resolver reads ----

    /// How many stored entities hold each key.
    pub fn key_sizes(&self, keys: &[String]) -> Result<Vec<u32>> {
        let run = || -> rusqlite::Result<Vec<u32>> {
            let mut stmt = self
                .tx
                .prepare_cached("SELECT n FROM key_sizes WHERE key = ?1")?;
            keys.iter()
                .map(|k| {
                    stmt.query_row([k], |r| r.get::<_, i64>(0))
                        .optional()
                        .map(|n| n.unwrap_or(0) as u32)
                })
                .collect()
        };
        self.sql(run())
    }

    /// The stored states of the entities holding any of `keys`, by id.
    pub fn entity_states(&self, keys: &[String]) -> Result<Vec<(String, Vec<u8>)>> {
        let ids: BTreeSet<String> = self
            .sql(chunked(
                &self.tx,
                "SELECT entity_id FROM entity_keys WHERE key IN ({})",
                keys,
                |r| r.get::<_, String>(0),
            ))?
            .into_iter()
            .collect();
        let ids: Vec<String> = ids.into_iter().collect();
        self.sql(chunked(
            &self.tx,
            "SELECT id, state FROM entities WHERE id IN ({}) ORDER BY id",
            &ids,
            |r| Ok((r.get(0)?, r.get(1)?)),
        ))
    }

    /// Ids of the entities holding each key: all of them for a key held by
    /// at most `limit`, else the `limit` with most documents.
    pub fn entity_ids_for_keys(&self, keys: &[String], limit: usize) -> Result<Vec<String>> {
        self.sql(entity_ids_for_keys(&self.tx, keys, limit))
    }

    /// The stored states of these entities, by id.
    pub fn entity_states_by_id(&self, ids: &[String]) -> Result<Vec<(String, Vec<u8>)>> {
        self.sql(chunked(
            &self.tx,
            "SELECT id, state FROM entities WHERE id IN ({}) ORDER BY id",
            ids,
            |r| Ok((r.get(0)?, r.get(1)?)),
        ))
    }

    /// The entity each of these document-level entities belongs to.
    pub fn entities_of_members(&self, members: &[MemberKey]) -> Result<Vec<(MemberKey, String)>> {
        let run = || -> rusqlite::Result<Vec<(MemberKey, String)>> {
            let mut stmt = self.tx.prepare_cached(
                "SELECT entity_id FROM entity_members WHERE doc_id = ?1 AND local = ?2",
            )?;
            let mut out = Vec::new();
            for m in members {
                if let Some(id) = stmt
                    .query_row(params![m.doc, m.local as i64], |r| r.get::<_, String>(0))
                    .optional()?
                {
                    out.push((m.clone(), id));
                }
            }
            Ok(out)
        };
        self.sql(run())
    }

    /// Document frequencies of statistics keys, and the number of documents
    /// counted (under the key `#documents`).
    pub fn stat_counts(&self, keys: &[String]) -> Result<HashMap<String, u64>> {
        let rows = self.sql(stat_counts(&self.tx, keys))?;
        Ok(rows.into_iter().collect())
    }

    /// Adds document frequencies (one call per chunk of documents).
    pub fn add_stat_counts(&self, counts: &BTreeMap<String, u64>) -> Result<()> {
        let run = || -> rusqlite::Result<()> {
            let mut stmt = self.tx.prepare_cached(
                "INSERT INTO stat_df (key, n) VALUES (?1, ?2) ON CONFLICT(key) DO UPDATE SET n = n + excluded.n",
            )?;
            for (k, n) in counts {
                stmt.execute(params![k, *n as i64])?;
            }
            Ok(())
        };
        self.sql(run())
    }

    /// The stored state of one entity.
    pub fn entity_state(&self, id: &str) -> Result<Option<Vec<u8>>> {
        self.sql(
            self.tx
                .query_row("SELECT state FROM entities WHERE id = ?1", [id], |r| {
                    r.get(0)
                })
                .optional(),
        )
    }

    /// Whether two entities are both named in some document.
    pub fn share_document(&self, a: &str, b: &str) -> Result<bool> {
        self.sql(shared_document(&self.tx, a, b))
            .map(|d| d.is_some())
    }

    /// Stored entities of one resolver kind.
    pub fn entity_count(&self, kind: &str) -> Result<u32> {
        self.sql(self.tx.query_row(
            "SELECT count(*) FROM entities WHERE kind = ?1",
            [kind],
            |r| r.get::<_, i64>(0).map(|n| n as u32),
        ))
    }

    /// `(id, label, name)` of the live entities among `ids`.
    pub fn heads(&self, ids: &[String]) -> Result<Vec<(String, String, String)>> {
        self.sql(chunked(
            &self.tx,
            "SELECT id, label, name FROM entities WHERE id IN ({}) ORDER BY id",
            ids,
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
        ))
    }

    /// The members of an entity, in (document, index) order.
    pub fn members(&self, id: &str) -> Result<Vec<MemberKey>> {
        let run = || -> rusqlite::Result<Vec<MemberKey>> {
            let mut stmt = self.tx.prepare_cached(
                "SELECT doc_id, local FROM entity_members WHERE entity_id = ?1 ORDER BY doc_id, local",
            )?;
            let rows = stmt.query_map([id], |r| {
                Ok(MemberKey {
                    doc: r.get(0)?,
                    local: r.get::<_, i64>(1)? as u32,
                })
            })?;
            rows.collect()
        };
        self.sql(run())
    }

    /// Every analyst judgement, oldest first.
    pub fn judgements(&self) -> Result<Vec<JudgementRow>> {
        crate::read::judgement_rows(&self.tx).map_err(|e| classify(self.path, e))
    }

    pub fn mark_judgements_applied(&self) -> Result<()> {
        self.sql(
            self.tx
                .execute("UPDATE judgements SET applied = 1 WHERE applied = 0", [])
                .map(|_| ()),
        )
    }

    /// Writes a resolution step's outcome: changed entities replace what is
    /// stored under their ids, absorbed entities' members move to their new
    /// entity, and redirects are recorded (chains are shortened, so an old
    /// id always points at a live one).
    pub fn apply_resolution(&self, changes: &[EntityWrite], redirects: &[Redirect]) -> Result<()> {
        self.sql(apply_resolution(&self.tx, changes, redirects))
    }

    // ---- entities: what reads need, refreshed for changed entities ----

    /// Name forms of an entity's members (names written in the text and
    /// aliases), with how many documents and mentions use each.
    pub fn name_counts(&self, id: &str) -> Result<Vec<NameCount>> {
        let run = || -> rusqlite::Result<Vec<NameCount>> {
            let mut stmt = self.tx.prepare_cached(
                "SELECT m.text, count(DISTINCT m.doc_id), count(*) FROM entity_members em
                 JOIN mentions m ON m.doc_id = em.doc_id AND m.local = em.local
                 WHERE em.entity_id = ?1 AND m.kind = 'name'
                 GROUP BY m.text",
            )?;
            let mut out: Vec<NameCount> = stmt
                .query_map([id], |r| {
                    Ok(NameCount {
                        text: r.get(0)?,
                        docs: r.get::<_, i64>(1)? as u64,
                        mentions: r.get::<_, i64>(2)? as u64,
                    })
                })?
                .collect::<rusqlite::Result<_>>()?;
            let mut stmt = self.tx.prepare_cached(
                "SELECT a.name, count(DISTINCT a.doc_id), count(*) FROM entity_members em
                 JOIN local_aliases a ON a.doc_id = em.doc_id AND a.local = em.local
                 WHERE em.entity_id = ?1 GROUP BY a.name",
            )?;
            let aliases = stmt.query_map([id], |r| {
                Ok(NameCount {
                    text: r.get(0)?,
                    docs: r.get::<_, i64>(1)? as u64,
                    mentions: r.get::<_, i64>(2)? as u64,
                })
            })?;
            for a in aliases {
                let a = a?;
                if !out.iter().any(|n| n.text == a.text) {
                    out.push(a);
                }
            }
            Ok(out)
        };
        self.sql(run())
    }

    /// Replaces an entity's shown names and the keys that find it by name,
    /// and recounts its documents and mentions.
    pub fn write_names(&self, id: &str, names: &[NameCount], keys: &[String]) -> Result<()> {
        let run = || -> rusqlite::Result<()> {
            self.tx
                .prepare_cached("DELETE FROM entity_names WHERE entity_id = ?1")?
                .execute([id])?;
            self.tx
                .prepare_cached("DELETE FROM name_keys WHERE entity_id = ?1")?
                .execute([id])?;
            let mut ins = self.tx.prepare_cached(
                "INSERT OR REPLACE INTO entity_names (entity_id, text, docs, mentions) VALUES (?1, ?2, ?3, ?4)",
            )?;
            for n in names {
                ins.execute(params![id, n.text, n.docs as i64, n.mentions as i64])?;
            }
            let mut ins = self.tx.prepare_cached(
                "INSERT OR IGNORE INTO name_keys (key, entity_id) VALUES (?1, ?2)",
            )?;
            for k in keys {
                ins.execute(params![k, id])?;
            }
            self.tx
                .prepare_cached(
                    "UPDATE entities SET
                       docs = (SELECT count(DISTINCT doc_id) FROM entity_members WHERE entity_id = ?1),
                       mentions = (SELECT coalesce(sum(mentions), 0) FROM entity_members WHERE entity_id = ?1)
                     WHERE id = ?1",
                )?
                .execute([id])?;
            Ok(())
        };
        self.sql(run())
    }

    // ---- facts ----

    /// Entity of each resolved mention of these documents, by
    /// `(document, start, end)` in code points.
    pub fn mention_entities(
        &self,
        docs: &[String],
    ) -> Result<HashMap<(String, usize, usize), String>> {
        let rows = self.sql(chunked(
            &self.tx,
            "SELECT m.doc_id, m.start, m.end, em.entity_id FROM mentions m
             JOIN entity_members em ON em.doc_id = m.doc_id AND em.local = m.local
             WHERE m.doc_id IN ({})",
            docs,
            |r| {
                Ok((
                    r.get::<_, String>(0)?,
                    r.get::<_, i64>(1)? as usize,
                    r.get::<_, i64>(2)? as usize,
                    r.get::<_, String>(3)?,
                ))
            },
        ))?;
        Ok(rows
            .into_iter()
            .map(|(d, s, e, id)| ((d, s, e), id))
            .collect())
    }

    /// Events in which any of `entities` takes part in one of `roles` (any
    /// role when empty).
    pub fn events_with(&self, entities: &[String], roles: &[&str]) -> Result<Vec<String>> {
        let rows: Vec<(String, String)> = self.sql(chunked(
            &self.tx,
            "SELECT DISTINCT event_id, role FROM event_participants WHERE entity_id IN ({})",
            entities,
            |r| Ok((r.get(0)?, r.get(1)?)),
        ))?;
        let mut ids: BTreeSet<String> = rows
            .into_iter()
            .filter(|(_, role)| roles.is_empty() || roles.contains(&role.as_str()))
            .map(|(id, _)| id)
            .collect();
        if roles.is_empty() {
            ids.extend(self.sql(chunked(
                &self.tx,
                "SELECT DISTINCT event_id FROM event_places WHERE entity_id IN ({})",
                entities,
                |r| r.get::<_, String>(0),
            ))?);
        }
        Ok(ids.into_iter().collect())
    }

    /// Events of `kinds` at any of `places` with no core participant.
    pub fn events_at(&self, places: &[String], kinds: &[&str]) -> Result<Vec<String>> {
        let rows: Vec<(String, String, i64)> = self.sql(chunked(
            &self.tx,
            "SELECT DISTINCT e.id, e.kind, e.core FROM event_places p JOIN events e ON e.id = p.event_id
             WHERE p.entity_id IN ({})",
            places,
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
        ))?;
        Ok(rows
            .into_iter()
            .filter(|(_, k, core)| *core == 0 && kinds.contains(&k.as_str()))
            .map(|(id, _, _)| id)
            .collect())
    }

    /// Relations with any of `entities` as subject or object.
    pub fn relations_with(&self, entities: &[String]) -> Result<Vec<String>> {
        let mut ids: BTreeSet<String> = BTreeSet::new();
        for q in [
            "SELECT id FROM relations WHERE subject IN ({})",
            "SELECT id FROM relations WHERE object IN ({})",
        ] {
            ids.extend(self.sql(chunked(&self.tx, q, entities, |r| r.get::<_, String>(0)))?);
        }
        Ok(ids.into_iter().collect())
    }

    /// Entities stored events or relations refer to (participants and
    /// places; subjects and objects).
    pub fn referenced_entities(&self, table: FactTable, ids: &[String]) -> Result<Vec<String>> {
        let queries: &[&str] = match table {
            FactTable::Events => &[
                "SELECT entity_id FROM event_participants WHERE event_id IN ({})",
                "SELECT entity_id FROM event_places WHERE event_id IN ({})",
            ],
            FactTable::Relations => &[
                "SELECT subject FROM relations WHERE id IN ({})",
                "SELECT object FROM relations WHERE id IN ({})",
            ],
            FactTable::Claims => &[
                "SELECT speaker FROM claims WHERE id IN ({}) AND speaker IS NOT NULL",
                "SELECT target FROM claim_about WHERE claim_id IN ({})",
            ],
        };
        let mut out: BTreeSet<String> = BTreeSet::new();
        for q in queries {
            out.extend(self.sql(chunked(&self.tx, q, ids, |r| r.get::<_, String>(0)))?);
        }
        Ok(out.into_iter().collect())
    }

    /// Which of these ids are stored events or relations.
    pub fn existing(&self, table: FactTable, ids: &[String]) -> Result<Vec<String>> {
        let q = match table {
            FactTable::Events => "SELECT id FROM events WHERE id IN ({})",
            FactTable::Relations => "SELECT id FROM relations WHERE id IN ({})",
            FactTable::Claims => "SELECT id FROM claims WHERE id IN ({})",
        };
        self.sql(chunked(&self.tx, q, ids, |r| r.get::<_, String>(0)))
    }

    /// Claims said by, or about, any of `targets` (entities, events or
    /// relations).
    pub fn claims_touching(&self, targets: &[String]) -> Result<Vec<String>> {
        let mut ids: BTreeSet<String> = BTreeSet::new();
        ids.extend(self.sql(chunked(
            &self.tx,
            "SELECT id FROM claims WHERE speaker IN ({})",
            targets,
            |r| r.get::<_, String>(0),
        ))?);
        ids.extend(self.sql(chunked(
            &self.tx,
            "SELECT claim_id FROM claim_about WHERE target IN ({})",
            targets,
            |r| r.get::<_, String>(0),
        ))?);
        Ok(ids.into_iter().collect())
    }

    /// The mentions stored events, relations or claims were built from.
    pub fn fact_mentions(&self, table: FactTable, ids: &[String]) -> Result<Vec<FactRef>> {
        let q = match table {
            FactTable::Events => "SELECT doc_id, idx FROM event_mentions WHERE event_id IN ({})",
            FactTable::Relations => {
                "SELECT doc_id, idx FROM relation_mentions WHERE relation_id IN ({})"
            }
            FactTable::Claims => "SELECT doc_id, idx FROM claims WHERE id IN ({})",
        };
        self.sql(chunked(&self.tx, q, ids, |r| {
            Ok((r.get(0)?, r.get::<_, i64>(1)? as usize))
        }))
    }

    /// Stored event and relation ids of the mentions of these documents.
    pub fn stored_fact_ids(
        &self,
        table: FactTable,
        docs: &[String],
    ) -> Result<HashMap<FactRef, String>> {
        let q = match table {
            FactTable::Events => {
                "SELECT doc_id, idx, event_id FROM event_mentions WHERE doc_id IN ({})"
            }
            FactTable::Relations => {
                "SELECT doc_id, idx, relation_id FROM relation_mentions WHERE doc_id IN ({})"
            }
            FactTable::Claims => "SELECT doc_id, idx, id FROM claims WHERE doc_id IN ({})",
        };
        let rows = self.sql(chunked(&self.tx, q, docs, |r| {
            Ok((
                r.get::<_, String>(0)?,
                r.get::<_, i64>(1)? as usize,
                r.get::<_, String>(2)?,
            ))
        }))?;
        Ok(rows.into_iter().map(|(d, i, id)| ((d, i), id)).collect())
    }

    /// Stored `located_in`/`part_of` pairs with any of `places` inside.
    pub fn containment(&self, places: &[String]) -> Result<Vec<(String, String)>> {
        self.sql(chunked(
            &self.tx,
            "SELECT subject, object FROM relations WHERE kind IN ('located_in', 'part_of') AND subject IN ({})",
            places,
            |r| Ok((r.get(0)?, r.get(1)?)),
        ))
    }

    /// Removes stored events, relations or claims with everything that
    /// hangs off them.
    pub fn delete(&self, table: FactTable, ids: &[String]) -> Result<()> {
        let statements: &[&str] = match table {
            FactTable::Events => &[
                "DELETE FROM event_participants WHERE event_id IN ({})",
                "DELETE FROM event_places WHERE event_id IN ({})",
                "DELETE FROM event_evidence WHERE event_id IN ({})",
                "DELETE FROM event_documents WHERE event_id IN ({})",
                "DELETE FROM event_mentions WHERE event_id IN ({})",
                "DELETE FROM events WHERE id IN ({})",
            ],
            FactTable::Relations => &[
                "DELETE FROM relation_evidence WHERE relation_id IN ({})",
                "DELETE FROM relation_mentions WHERE relation_id IN ({})",
                "DELETE FROM relations WHERE id IN ({})",
            ],
            FactTable::Claims => &[
                "DELETE FROM claim_about WHERE claim_id IN ({})",
                "DELETE FROM claim_links WHERE a IN ({})",
                "DELETE FROM claim_links WHERE b IN ({})",
                "DELETE FROM claims WHERE id IN ({})",
            ],
        };
        let run = || -> rusqlite::Result<()> {
            for chunk in ids.chunks(CHUNK) {
                for q in statements {
                    let sql = q.replace("{}", &marks(chunk.len()));
                    self.tx
                        .prepare_cached(&sql)?
                        .execute(params_from_iter(chunk.iter()))?;
                }
            }
            Ok(())
        };
        self.sql(run())
    }

    /// Writes an event, its parts and the mentions it was built from.
    /// `core` counts its identifying participants (victim, target, ...).
    pub fn write_event(
        &self,
        e: &Event,
        core: usize,
        days: Option<(i64, i64)>,
        from: &[FactRef],
    ) -> Result<()> {
        self.sql(write_event(&self.tx, e, core, days, from))
    }

    pub fn write_relation(&self, r: &Relation, from: &[FactRef]) -> Result<()> {
        self.sql(write_relation(&self.tx, r, from))
    }

    /// Writes a claim (its links are written by [`CorpusTx::write_links`]).
    pub fn write_claim(&self, c: &Claim, idx: usize) -> Result<()> {
        self.sql(write_claim(&self.tx, c, idx))
    }

    /// Records that two claims agree (`supports`) or disagree.
    pub fn write_link(&self, a: &str, b: &str, supports: bool) -> Result<()> {
        let (a, b) = if a <= b { (a, b) } else { (b, a) };
        self.sql(
            self.tx
                .prepare_cached(
                    "INSERT OR REPLACE INTO claim_links (a, b, kind) VALUES (?1, ?2, ?3)",
                )
                .and_then(|mut st| {
                    st.execute(params![
                        a,
                        b,
                        if supports { "supports" } else { "contradicts" }
                    ])
                })
                .map(|_| ()),
        )
    }

    /// Claims linked to any of `ids`, with whether they agree.
    pub fn links_of(&self, ids: &[String]) -> Result<Vec<(String, String, bool)>> {
        let mut out = Vec::new();
        for q in [
            "SELECT a, b, kind FROM claim_links WHERE a IN ({})",
            "SELECT a, b, kind FROM claim_links WHERE b IN ({})",
        ] {
            out.extend(self.sql(chunked(&self.tx, q, ids, |r| {
                Ok((
                    r.get::<_, String>(0)?,
                    r.get::<_, String>(1)?,
                    r.get::<_, String>(2)? == "supports",
                ))
            }))?);
        }
        out.sort();
        out.dedup();
        Ok(out)
    }

    /// Which of these claims deny what they say.
    pub fn denials(&self, claims: &BTreeSet<String>) -> Result<BTreeSet<String>> {
        let ids: Vec<String> = claims.iter().cloned().collect();
        Ok(self
            .sql(chunked(
                &self.tx,
                "SELECT id FROM claims WHERE id IN ({}) AND polarity = 'deny'",
                &ids,
                |r| r.get::<_, String>(0),
            ))?
            .into_iter()
            .collect())
    }

    /// Dispute groups of these claims.
    pub fn disputes_of(&self, claims: &[String]) -> Result<Vec<String>> {
        let ids: BTreeSet<String> = self
            .sql(chunked(
                &self.tx,
                "SELECT dispute FROM claims WHERE id IN ({}) AND dispute IS NOT NULL",
                claims,
                |r| r.get::<_, String>(0),
            ))?
            .into_iter()
            .collect();
        Ok(ids.into_iter().collect())
    }

    /// Claims of dispute groups.
    pub fn dispute_claims(&self, disputes: &[String]) -> Result<Vec<String>> {
        self.sql(chunked(
            &self.tx,
            "SELECT id FROM claims WHERE dispute IN ({})",
            disputes,
            |r| r.get::<_, String>(0),
        ))
    }

    /// What each claim is about, as labels for a dispute heading.
    pub fn about_labels(&self, claims: &[String]) -> Result<Vec<String>> {
        let rows: Vec<String> = self.sql(chunked(
            &self.tx,
            "SELECT coalesce(e.name, ev.kind || coalesce(' (' || ev.date_value || ')', ''), a.target)
             FROM claim_about a
             LEFT JOIN entities e ON e.id = a.target
             LEFT JOIN events ev ON ev.id = a.target
             WHERE a.claim_id IN ({}) ORDER BY a.claim_id, a.rank",
            claims,
            |r| r.get::<_, String>(0),
        ))?;
        let mut out: Vec<String> = Vec::new();
        for l in rows {
            if !out.contains(&l) {
                out.push(l);
            }
        }
        Ok(out)
    }

    /// Replaces dispute groups: `dropped` go, `groups` are written.
    pub fn write_disputes(&self, dropped: &[String], groups: &[DisputeGroup]) -> Result<()> {
        let run = || -> rusqlite::Result<()> {
            for chunk in dropped.chunks(CHUNK) {
                let m = marks(chunk.len());
                self.tx
                    .prepare_cached(&format!("DELETE FROM disputes WHERE id IN ({m})"))?
                    .execute(params_from_iter(chunk.iter()))?;
                self.tx
                    .prepare_cached(&format!(
                        "UPDATE claims SET dispute = NULL, side = NULL WHERE dispute IN ({m})"
                    ))?
                    .execute(params_from_iter(chunk.iter()))?;
            }
            let mut ins = self.tx.prepare_cached(
                "INSERT OR REPLACE INTO disputes (id, disputed, claims, about) VALUES (?1, ?2, ?3, ?4)",
            )?;
            let mut set = self
                .tx
                .prepare_cached("UPDATE claims SET dispute = ?1, side = ?2 WHERE id = ?3")?;
            for g in groups {
                ins.execute(params![g.id, g.disputed, g.members.len() as i64, g.about])?;
                for (c, side) in &g.members {
                    set.execute(params![g.id, *side as i64, c])?;
                }
            }
            Ok(())
        };
        self.sql(run())
    }

    // ---- summaries ----

    /// The descriptions of an entity's members, most given first.
    pub fn descriptions(&self, id: &str, limit: usize) -> Result<Vec<(String, u64)>> {
        crate::read::descriptions_of(&self.tx, id, limit).map_err(|e| classify(self.path, e))
    }

    /// Killings and deaths the entity is the victim of, best attested first.
    pub fn fates(&self, id: &str) -> Result<Vec<FateRow>> {
        let run = || -> rusqlite::Result<Vec<FateRow>> {
            let mut stmt = self.tx.prepare_cached(
                "SELECT e.id, e.kind, e.date_value, e.docs FROM event_participants p
                 JOIN events e ON e.id = p.event_id
                 WHERE p.entity_id = ?1 AND p.role = 'victim' AND e.kind IN ('killing', 'death')
                 ORDER BY e.docs DESC, e.id LIMIT 5",
            )?;
            let rows: Vec<(String, String, Option<String>, i64)> = stmt
                .query_map([id], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)))?
                .collect::<rusqlite::Result<_>>()?;
            let mut places = self.tx.prepare_cached(
                "SELECT x.name FROM event_places p JOIN entities x ON x.id = p.entity_id
                 WHERE p.event_id = ?1 ORDER BY p.rank LIMIT 2",
            )?;
            rows.into_iter()
                .map(|(ev, kind, date, docs)| {
                    let names: Vec<String> = places
                        .query_map([&ev], |r| r.get(0))?
                        .collect::<rusqlite::Result<_>>()?;
                    Ok(FateRow {
                        kind,
                        date,
                        places: names,
                        docs: docs as u64,
                    })
                })
                .collect()
        };
        self.sql(run())
    }

    /// First and last day of the entity's dated events, with the values.
    pub fn event_range(&self, id: &str) -> Result<Option<(String, String)>> {
        crate::read::event_range(&self.tx, id).map_err(|e| classify(self.path, e))
    }

    /// Earliest and latest publication dates of its documents.
    pub fn published_range(&self, id: &str) -> Result<Option<(String, String)>> {
        let run = || {
            self.tx
                .prepare_cached(
                    "SELECT min(d.published), max(d.published) FROM entity_members m
                     JOIN documents d ON d.id = m.doc_id
                     WHERE m.entity_id = ?1 AND d.published IS NOT NULL",
                )?
                .query_row([id], |r| {
                    Ok(
                        match (
                            r.get::<_, Option<String>>(0)?,
                            r.get::<_, Option<String>>(1)?,
                        ) {
                            (Some(a), Some(b)) => Some((a, b)),
                            _ => None,
                        },
                    )
                })
        };
        self.sql(run())
    }

    /// Neighbours weighted for a summary: relations (3), shared events (2
    /// per participant, 3 per place) and co-mention in its `sample` most
    /// mentioning documents (1 each). `visit(entity, label, name)` sees
    /// them heaviest first, then by name, until it returns `false`; names
    /// are read one weight at a time, so a summary that needs a few
    /// neighbours does not read the names of hundreds.
    pub fn neighbours(
        &self,
        id: &str,
        sample: usize,
        visit: impl FnMut(&str, &str, &str) -> bool,
    ) -> Result<()> {
        self.sql(neighbours(&self.tx, id, sample, visit))
    }

    pub fn write_summary(&self, id: &str, s: &SummaryRow) -> Result<()> {
        let run = || -> rusqlite::Result<()> {
            self.tx
                .prepare_cached(
                    "INSERT OR REPLACE INTO summaries (entity_id, description, fate, first_date, last_date, dates_from)
                     VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
                )?
                .execute(params![id, s.description, s.fate, s.first_date, s.last_date, s.dates_from])?;
            self.tx
                .prepare_cached("DELETE FROM summary_refs WHERE entity_id = ?1")?
                .execute([id])?;
            let mut ins = self.tx.prepare_cached(
                "INSERT INTO summary_refs (entity_id, role, rank, other_id) VALUES (?1, ?2, ?3, ?4)",
            )?;
            for (role, list) in [("with", &s.with), ("in", &s.places)] {
                for (rank, other) in list.iter().enumerate() {
                    ins.execute(params![id, role, rank as i64, other])?;
                }
            }
            Ok(())
        };
        self.sql(run())
    }

    /// Forgets every cross-document result (after documents were analysed
    /// again): every document goes back to pending.
    pub fn reset_graph(&self) -> Result<()> {
        self.sql(self.tx.execute_batch(
            "DELETE FROM entity_keys; DELETE FROM key_sizes; DELETE FROM entity_members;
             DELETE FROM entities; DELETE FROM entity_names; DELETE FROM name_keys;
             DELETE FROM summaries; DELETE FROM summary_refs;
             DELETE FROM event_participants; DELETE FROM event_places; DELETE FROM event_evidence;
             DELETE FROM event_documents; DELETE FROM event_mentions; DELETE FROM events;
             DELETE FROM relation_evidence; DELETE FROM relation_mentions; DELETE FROM relations;
             DELETE FROM claim_about; DELETE FROM claim_links; DELETE FROM claims; DELETE FROM disputes;
             DELETE FROM stat_df;
             UPDATE judgements SET applied = 0;
             UPDATE documents SET corpus = 0;",
        ))
    }
}

/// Which stored facts a call is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FactTable {
    Events,
    Relations,
    Claims,
}

fn apply_resolution(
    tx: &Transaction<'_>,
    changes: &[EntityWrite],
    redirects: &[Redirect],
) -> rusqlite::Result<()> {
    let mut drop_keys = tx.prepare_cached("SELECT key FROM entity_keys WHERE entity_id = ?1")?;
    let mut dec = tx.prepare_cached("UPDATE key_sizes SET n = n - 1 WHERE key = ?1")?;
    let mut del_keys = tx.prepare_cached("DELETE FROM entity_keys WHERE entity_id = ?1")?;
    let mut forget = |id: &str| -> rusqlite::Result<()> {
        let keys: Vec<String> = drop_keys
            .query_map([id], |r| r.get(0))?
            .collect::<rusqlite::Result<_>>()?;
        for k in &keys {
            dec.execute([k])?;
        }
        del_keys.execute([id])?;
        Ok(())
    };
    let mut gone: BTreeSet<&str> = BTreeSet::new();
    for c in changes {
        forget(&c.id)?;
        for a in &c.absorbed {
            forget(a)?;
            tx.prepare_cached("UPDATE entity_members SET entity_id = ?1 WHERE entity_id = ?2")?
                .execute(params![c.id, a])?;
            gone.insert(a);
        }
    }
    for r in redirects {
        gone.insert(&r.from);
    }
    let live: BTreeSet<&str> = changes.iter().map(|c| c.id.as_str()).collect();
    for id in gone.difference(&live) {
        for t in [
            "DELETE FROM entities WHERE id = ?1",
            "DELETE FROM entity_names WHERE entity_id = ?1",
            "DELETE FROM name_keys WHERE entity_id = ?1",
            "DELETE FROM summaries WHERE entity_id = ?1",
            "DELETE FROM summary_refs WHERE entity_id = ?1",
        ] {
            tx.prepare_cached(t)?.execute([id])?;
        }
    }
    let mut ent = tx.prepare_cached(
        "INSERT INTO entities (id, label, kind, name, docs, mentions, state) VALUES (?1, ?2, ?3, ?4, 0, 0, ?5)
         ON CONFLICT(id) DO UPDATE SET label = excluded.label, kind = excluded.kind,
         name = excluded.name, state = excluded.state",
    )?;
    let mut mem = tx.prepare_cached(
        "INSERT OR REPLACE INTO entity_members (doc_id, local, entity_id, mentions, probability, reason, decision)
         VALUES (?1, ?2, ?3, (SELECT mentions FROM local_entities WHERE doc_id = ?1 AND idx = ?2), ?4, ?5, ?6)",
    )?;
    let mut key =
        tx.prepare_cached("INSERT OR IGNORE INTO entity_keys (key, entity_id) VALUES (?1, ?2)")?;
    let mut inc = tx.prepare_cached(
        "INSERT INTO key_sizes (key, n) VALUES (?1, 1) ON CONFLICT(key) DO UPDATE SET n = n + 1",
    )?;
    for c in changes {
        ent.execute(params![c.id, c.label, c.kind, c.name, c.state])?;
        for m in &c.added {
            mem.execute(params![
                m.member.doc,
                m.member.local as i64,
                c.id,
                m.probability,
                m.reason,
                m.decision
            ])?;
        }
        for k in &c.keys {
            if key.execute(params![k, c.id])? > 0 {
                inc.execute([k])?;
            }
        }
    }
    tx.execute("DELETE FROM key_sizes WHERE n <= 0", [])?;
    let mut redirect = tx.prepare_cached(
        "INSERT OR REPLACE INTO entity_redirects (old_id, new_id, why) VALUES (?1, ?2, ?3)",
    )?;
    let mut follow =
        tx.prepare_cached("UPDATE entity_redirects SET new_id = ?1 WHERE new_id = ?2")?;
    // Screening results follow their entity to its new id.
    let mut screened =
        tx.prepare_cached("UPDATE OR REPLACE screenings SET entity_id = ?1 WHERE entity_id = ?2")?;
    for r in redirects {
        if r.from == r.to {
            continue;
        }
        follow.execute(params![r.to, r.from])?;
        redirect.execute(params![r.from, r.to, r.why])?;
        screened.execute(params![r.to, r.from])?;
    }
    // An id that lives again is no longer redirected.
    for id in &live {
        tx.prepare_cached("DELETE FROM entity_redirects WHERE old_id = ?1")?
            .execute([id])?;
    }
    Ok(())
}

fn write_spans(
    tx: &Transaction<'_>,
    table: &str,
    owner: &str,
    id: &str,
    spans: &[Span],
) -> rusqlite::Result<()> {
    // Table and column names come from the callers below, never from input.
    let mut ins = tx.prepare_cached(&format!(
        "INSERT INTO {table} ({owner}, rank, doc_id, start, end, text) VALUES (?1, ?2, ?3, ?4, ?5, ?6)"
    ))?;
    for (rank, s) in spans.iter().enumerate() {
        ins.execute(params![
            id,
            rank as i64,
            s.doc,
            s.start as i64,
            s.end as i64,
            s.text
        ])?;
    }
    Ok(())
}

fn write_event(
    tx: &Transaction<'_>,
    e: &Event,
    core: usize,
    days: Option<(i64, i64)>,
    from: &[FactRef],
) -> rusqlite::Result<()> {
    let date = e.date.as_ref();
    tx.prepare_cached(
        "INSERT INTO events (id, kind, date_value, date_precision, date_text, day_first, day_last, docs, core,
         modality, amount_value, amount_currency, amount_text)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13)",
    )?
    .execute(params![
        e.id,
        e.kind,
        date.and_then(|d| d.value.clone()),
        date.and_then(|d| d.precision).map(|p| match p {
            dossier_core::DatePrecision::Year => "year",
            dossier_core::DatePrecision::Month => "month",
            dossier_core::DatePrecision::Day => "day",
        }),
        date.and_then(|d| d.text.clone()),
        days.map(|d| d.0),
        days.map(|d| d.1),
        e.documents.len() as i64,
        core as i64,
        e.modality.as_str(),
        e.amount.as_ref().and_then(|a| a.value).map(|v| v as i64),
        e.amount.as_ref().and_then(|a| a.currency.clone()),
        e.amount.as_ref().map(|a| a.text.clone())
    ])?;
    let mut part = tx.prepare_cached(
        "INSERT INTO event_participants (event_id, rank, role, entity_id) VALUES (?1, ?2, ?3, ?4)",
    )?;
    for (rank, p) in e.participants.iter().enumerate() {
        part.execute(params![e.id, rank as i64, p.role, p.entity])?;
    }
    let mut place = tx.prepare_cached(
        "INSERT INTO event_places (event_id, rank, entity_id) VALUES (?1, ?2, ?3)",
    )?;
    for (rank, p) in e.places.iter().enumerate() {
        place.execute(params![e.id, rank as i64, p])?;
    }
    write_spans(tx, "event_evidence", "event_id", &e.id, &e.evidence)?;
    let mut doc = tx.prepare_cached(
        "INSERT OR IGNORE INTO event_documents (event_id, doc_id) VALUES (?1, ?2)",
    )?;
    for d in &e.documents {
        doc.execute(params![e.id, d])?;
    }
    let mut m = tx.prepare_cached(
        "INSERT OR REPLACE INTO event_mentions (doc_id, idx, event_id) VALUES (?1, ?2, ?3)",
    )?;
    for (d, i) in from {
        m.execute(params![d, *i as i64, e.id])?;
    }
    Ok(())
}

fn write_relation(tx: &Transaction<'_>, r: &Relation, from: &[FactRef]) -> rusqlite::Result<()> {
    tx.prepare_cached(
        "INSERT INTO relations (id, kind, subject, object, role) VALUES (?1, ?2, ?3, ?4, ?5)",
    )?
    .execute(params![r.id, r.kind, r.subject, r.object, r.role])?;
    write_spans(tx, "relation_evidence", "relation_id", &r.id, &r.evidence)?;
    let mut m = tx.prepare_cached(
        "INSERT OR REPLACE INTO relation_mentions (doc_id, idx, relation_id) VALUES (?1, ?2, ?3)",
    )?;
    for (d, i) in from {
        m.execute(params![d, *i as i64, r.id])?;
    }
    Ok(())
}

fn write_claim(tx: &Transaction<'_>, c: &Claim, idx: usize) -> rusqlite::Result<()> {
    tx.prepare_cached(
        "INSERT OR REPLACE INTO claims (id, doc_id, idx, start, end, text, speaker, speaker_text, kind, polarity, hedged,
         stance, speaker_kind)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13)",
    )?
    .execute(params![
        c.id,
        c.doc,
        idx as i64,
        c.start as i64,
        c.end as i64,
        c.text,
        c.speaker,
        c.speaker_text,
        crate::read::claim_kind_str(c.kind),
        crate::read::polarity_str(c.polarity),
        c.hedged,
        c.stance.as_str(),
        c.speaker_kind.as_str()
    ])?;
    // A rewrite of the same claim replaces what it was about.
    tx.prepare_cached("DELETE FROM claim_about WHERE claim_id = ?1")?
        .execute([&c.id])?;
    let mut about =
        tx.prepare_cached("INSERT INTO claim_about (claim_id, rank, target) VALUES (?1, ?2, ?3)")?;
    for (rank, t) in c.about.iter().enumerate() {
        about.execute(params![c.id, rank as i64, t])?;
    }
    Ok(())
}

fn neighbours(
    tx: &Transaction<'_>,
    id: &str,
    sample: usize,
    mut visit: impl FnMut(&str, &str, &str) -> bool,
) -> rusqlite::Result<()> {
    let mut weight: HashMap<String, u64> = HashMap::new();
    let mut add = |sql: &str, w: u64, limit: Option<i64>| -> rusqlite::Result<()> {
        let mut stmt = tx.prepare_cached(sql)?;
        let rows: Vec<String> = match limit {
            Some(n) => stmt
                .query_map(params![id, n], |r| r.get(0))?
                .collect::<rusqlite::Result<_>>()?,
            None => stmt
                .query_map([id], |r| r.get(0))?
                .collect::<rusqlite::Result<_>>()?,
        };
        for o in rows {
            if o != id {
                *weight.entry(o).or_default() += w;
            }
        }
        Ok(())
    };
    add("SELECT object FROM relations WHERE subject = ?1", 3, None)?;
    add("SELECT subject FROM relations WHERE object = ?1", 3, None)?;
    add(
        "SELECT q.entity_id FROM event_participants p JOIN event_participants q ON q.event_id = p.event_id
         WHERE p.entity_id = ?1",
        2,
        None,
    )?;
    add(
        "SELECT q.entity_id FROM event_participants p JOIN event_places q ON q.event_id = p.event_id
         WHERE p.entity_id = ?1",
        3,
        None,
    )?;
    add(
        "SELECT DISTINCT o.entity_id || '|' || o.doc_id FROM
           (SELECT doc_id FROM entity_members WHERE entity_id = ?1 ORDER BY mentions DESC, doc_id LIMIT ?2) d
         JOIN entity_members o ON o.doc_id = d.doc_id",
        1,
        Some(sample as i64),
    )?;
    // The co-mention rows carry their document to count once per document.
    let mut merged: HashMap<String, u64> = HashMap::new();
    for (k, w) in weight {
        let e = k.split('|').next().unwrap_or(&k).to_string();
        *merged.entry(e).or_default() += w;
    }
    merged.remove(id);
    let mut by_weight: BTreeMap<std::cmp::Reverse<u64>, Vec<String>> = BTreeMap::new();
    for (e, w) in merged {
        by_weight.entry(std::cmp::Reverse(w)).or_default().push(e);
    }
    for ids in by_weight.into_values() {
        let mut heads: Vec<(String, String, String)> = chunked(
            tx,
            "SELECT id, label, name FROM entities WHERE id IN ({})",
            &ids,
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
        )?;
        heads.sort_by(|a, b| a.2.cmp(&b.2).then(a.0.cmp(&b.0)));
        for (e, label, name) in &heads {
            if !visit(e, label, name) {
                return Ok(());
            }
        }
    }
    Ok(())
}

/// `JudgementKind` from a stored row.
pub(crate) fn judgement_kind(s: &str) -> rusqlite::Result<JudgementKind> {
    JudgementKind::parse(s).ok_or_else(|| {
        rusqlite::Error::FromSqlConversionFailure(
            0,
            rusqlite::types::Type::Text,
            format!("unknown judgement kind {s:?}").into(),
        )
    })
}

/// The entities filed under these blocking keys, the `limit` largest (by
/// documents) per key.
pub(crate) fn entity_ids_for_keys(
    conn: &Connection,
    keys: &[String],
    limit: usize,
) -> rusqlite::Result<Vec<String>> {
    let mut stmt = conn.prepare_cached(
        "SELECT k.entity_id FROM entity_keys k JOIN entities e ON e.id = k.entity_id
         WHERE k.key = ?1 ORDER BY e.docs DESC, e.id LIMIT ?2",
    )?;
    let mut out = BTreeSet::new();
    for k in keys {
        let rows = stmt.query_map(params![k, limit as i64], |r| r.get::<_, String>(0))?;
        for id in rows {
            out.insert(id?);
        }
    }
    Ok(out.into_iter().collect())
}

/// A document that names both entities, if any.
pub(crate) fn shared_document(
    conn: &Connection,
    a: &str,
    b: &str,
) -> rusqlite::Result<Option<String>> {
    conn.prepare_cached(
        "SELECT x.doc_id FROM entity_members x JOIN entity_members y ON y.doc_id = x.doc_id
         WHERE x.entity_id = ?1 AND y.entity_id = ?2 ORDER BY x.doc_id LIMIT 1",
    )?
    .query_row([a, b], |r| r.get(0))
    .optional()
}
