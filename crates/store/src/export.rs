//! Whole-corpus reads, one item at a time: the export contract's documents,
//! entities, events, relations, claims and times, each handed to a callback
//! as it is read, so memory stays flat whatever the corpus size. Also the
//! layers of one document and the corpus counts.

use crate::read::Snapshot;
use crate::{classify, Counts, DocLayer, Result, StoreError, Window};
use dossier_core::{
    Description, Document, Entity, Event, MentionKind, Merge, Relation, Span, Time, TimeType,
};
use rusqlite::{params, Connection, OptionalExtension};
use std::path::Path;

/// The export's arrays, in the contract's order.
pub trait ExportStream {
    fn each_document(&self, f: &mut dyn FnMut(Document) -> std::io::Result<()>) -> Result<()>;
    fn each_entity(&self, f: &mut dyn FnMut(Entity) -> std::io::Result<()>) -> Result<()>;
    fn each_event(&self, f: &mut dyn FnMut(Event) -> std::io::Result<()>) -> Result<()>;
    fn each_relation(&self, f: &mut dyn FnMut(Relation) -> std::io::Result<()>) -> Result<()>;
    fn each_claim(
        &self,
        f: &mut dyn FnMut(dossier_core::Claim) -> std::io::Result<()>,
    ) -> Result<()>;
    fn each_time(&self, f: &mut dyn FnMut(Time) -> std::io::Result<()>) -> Result<()>;
}

/// A callback failure (writing the output) or a database one.
enum Stop {
    Db(rusqlite::Error),
    Io(std::io::Error),
}

impl From<rusqlite::Error> for Stop {
    fn from(e: rusqlite::Error) -> Stop {
        Stop::Db(e)
    }
}

fn finish(path: &Path, r: std::result::Result<(), Stop>) -> Result<()> {
    match r {
        Ok(()) => Ok(()),
        Err(Stop::Db(e)) => Err(classify(path, e)),
        Err(Stop::Io(e)) => Err(StoreError::Io {
            path: path.to_path_buf(),
            source: e,
        }),
    }
}

fn spans(conn: &Connection, sql: &str, id: &str) -> rusqlite::Result<Vec<Span>> {
    let mut stmt = conn.prepare_cached(sql)?;
    let rows = stmt.query_map([id], |r| {
        Ok(Span {
            doc: r.get(0)?,
            start: r.get::<_, i64>(1)? as usize,
            end: r.get::<_, i64>(2)? as usize,
            text: r.get(3)?,
            kind: None,
        })
    })?;
    rows.collect()
}

fn same_wording(a: &str, b: &str) -> bool {
    let norm = |s: &str| {
        s.chars()
            .map(|c| match c {
                '’' | '‘' | '`' => '\'',
                c => c.to_ascii_lowercase(),
            })
            .collect::<String>()
    };
    norm(a) == norm(b)
}

fn entity_of(
    conn: &Connection,
    id: String,
    label: String,
    name: String,
) -> rusqlite::Result<Entity> {
    let mut mentions = conn.prepare_cached(
        "SELECT m.doc_id, m.start, m.end, m.text, m.kind FROM entity_members em
         JOIN mentions m ON m.doc_id = em.doc_id AND m.local = em.local
         WHERE em.entity_id = ?1 ORDER BY m.doc_id, m.start",
    )?;
    let mentions: Vec<Span> = mentions
        .query_map([&id], |r| {
            Ok(Span {
                doc: r.get(0)?,
                start: r.get::<_, i64>(1)? as usize,
                end: r.get::<_, i64>(2)? as usize,
                text: r.get(3)?,
                kind: MentionKind::parse(&r.get::<_, String>(4)?),
            })
        })?
        .collect::<rusqlite::Result<_>>()?;
    let mut aliases: Vec<String> = conn
        .prepare_cached(
            "SELECT text FROM entity_names WHERE entity_id = ?1 ORDER BY docs DESC, mentions DESC, text",
        )?
        .query_map([&id], |r| r.get(0))?
        .collect::<rusqlite::Result<_>>()?;
    aliases.retain(|a: &String| *a != name && !a.is_empty());
    let mut descriptions: Vec<Description> = Vec::new();
    let mut stmt = conn.prepare_cached(
        "SELECT d.text, d.doc_id, d.start, d.end, d.span FROM entity_members m
         JOIN local_descriptions d ON d.doc_id = m.doc_id AND d.local = m.local
         WHERE m.entity_id = ?1 ORDER BY d.doc_id, d.start",
    )?;
    let rows = stmt.query_map([&id], |r| {
        Ok((
            r.get::<_, String>(0)?,
            Span {
                doc: r.get(1)?,
                start: r.get::<_, i64>(2)? as usize,
                end: r.get::<_, i64>(3)? as usize,
                text: r.get(4)?,
                kind: None,
            },
        ))
    })?;
    for row in rows {
        let (text, ev) = row?;
        match descriptions
            .iter_mut()
            .find(|d| same_wording(&d.text, &text))
        {
            Some(d) => d.evidence.push(ev),
            None => descriptions.push(Description {
                text,
                evidence: vec![ev],
            }),
        }
    }
    let mut merges = Vec::new();
    let mut members = conn.prepare_cached(
        "SELECT doc_id, local, probability, reason FROM entity_members
         WHERE entity_id = ?1 AND reason IS NOT NULL ORDER BY doc_id, local",
    )?;
    let mut best = conn.prepare_cached(
        "SELECT doc_id, start, end, text FROM mentions WHERE doc_id = ?1 AND local = ?2 AND kind = 'name'
         ORDER BY (end - start) DESC, start LIMIT 1",
    )?;
    let rows: Vec<(String, i64, Option<f64>, String)> = members
        .query_map([&id], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)))?
        .collect::<rusqlite::Result<_>>()?;
    for (doc, local, probability, reason) in rows {
        let evidence: Vec<Span> = best
            .query_row(params![doc, local], |r| {
                Ok(Span {
                    doc: r.get(0)?,
                    start: r.get::<_, i64>(1)? as usize,
                    end: r.get::<_, i64>(2)? as usize,
                    text: r.get(3)?,
                    kind: Some(MentionKind::Name),
                })
            })
            .optional()?
            .into_iter()
            .collect();
        merges.push(Merge {
            reason,
            score: probability,
            evidence,
        });
    }
    Ok(Entity {
        id,
        kind: label,
        name,
        aliases,
        mentions,
        descriptions,
        merges,
    })
}

impl ExportStream for Snapshot<'_> {
    fn each_document(&self, f: &mut dyn FnMut(Document) -> std::io::Result<()>) -> Result<()> {
        let c = self.conn();
        let mut run = || -> std::result::Result<(), Stop> {
            let mut stmt = c.prepare(
                "SELECT id, source, title, published, byline, language, text FROM documents ORDER BY seq",
            )?;
            let mut sources = c.prepare_cached(
                "SELECT source FROM document_sources WHERE doc_id = ?1 ORDER BY rowid",
            )?;
            let mut rows = stmt.query([])?;
            while let Some(r) = rows.next()? {
                let mut d = crate::docs::document_row(r)?;
                d.sources = sources
                    .query_map([&d.id], |r| r.get(0))?
                    .collect::<rusqlite::Result<_>>()?;
                f(d).map_err(Stop::Io)?;
            }
            Ok(())
        };
        finish(self.path(), run())
    }

    fn each_entity(&self, f: &mut dyn FnMut(Entity) -> std::io::Result<()>) -> Result<()> {
        let c = self.conn();
        let mut run = || -> std::result::Result<(), Stop> {
            let mut stmt = c.prepare("SELECT id, label, name FROM entities ORDER BY id")?;
            let mut rows = stmt.query([])?;
            while let Some(r) = rows.next()? {
                let e = entity_of(c, r.get(0)?, r.get(1)?, r.get(2)?)?;
                f(e).map_err(Stop::Io)?;
            }
            Ok(())
        };
        finish(self.path(), run())
    }

    fn each_event(&self, f: &mut dyn FnMut(Event) -> std::io::Result<()>) -> Result<()> {
        let c = self.conn();
        let mut run = || -> std::result::Result<(), Stop> {
            let mut stmt = c.prepare("SELECT id FROM events ORDER BY id")?;
            let mut rows = stmt.query([])?;
            while let Some(r) = rows.next()? {
                let id: String = r.get(0)?;
                let Some((mut e, _)) = crate::Reader::event(self, &id, usize::MAX >> 2)
                    .map_err(|e| Stop::Db(store_to_sqlite(e)))?
                else {
                    continue;
                };
                e.documents = c
                    .prepare_cached(
                        "SELECT doc_id FROM event_documents WHERE event_id = ?1 ORDER BY doc_id",
                    )?
                    .query_map([&id], |r| r.get(0))?
                    .collect::<rusqlite::Result<_>>()?;
                f(e).map_err(Stop::Io)?;
            }
            Ok(())
        };
        finish(self.path(), run())
    }

    fn each_relation(&self, f: &mut dyn FnMut(Relation) -> std::io::Result<()>) -> Result<()> {
        let c = self.conn();
        let mut run = || -> std::result::Result<(), Stop> {
            let mut stmt =
                c.prepare("SELECT id, kind, subject, object, role FROM relations ORDER BY id")?;
            let mut rows = stmt.query([])?;
            while let Some(r) = rows.next()? {
                let id: String = r.get(0)?;
                let evidence = spans(
                    c,
                    "SELECT doc_id, start, end, text FROM relation_evidence WHERE relation_id = ?1 ORDER BY rank",
                    &id,
                )?;
                f(Relation {
                    id,
                    kind: r.get(1)?,
                    subject: r.get(2)?,
                    object: r.get(3)?,
                    role: r.get(4)?,
                    evidence,
                })
                .map_err(Stop::Io)?;
            }
            Ok(())
        };
        finish(self.path(), run())
    }

    fn each_claim(
        &self,
        f: &mut dyn FnMut(dossier_core::Claim) -> std::io::Result<()>,
    ) -> Result<()> {
        let c = self.conn();
        let mut run = || -> std::result::Result<(), Stop> {
            let mut stmt = c.prepare("SELECT id FROM claims ORDER BY doc_id, start, id")?;
            let mut rows = stmt.query([])?;
            let mut linked = c.prepare_cached(
                "SELECT b FROM claim_links WHERE a = ?1 AND kind = ?2
                 UNION SELECT a FROM claim_links WHERE b = ?1 AND kind = ?2 ORDER BY 1",
            )?;
            while let Some(r) = rows.next()? {
                let id: String = r.get(0)?;
                let Some(row) =
                    crate::Reader::claim(self, &id).map_err(|e| Stop::Db(store_to_sqlite(e)))?
                else {
                    continue;
                };
                let mut claim = row.claim;
                claim.supports = linked
                    .query_map(params![&id, "supports"], |r| r.get(0))?
                    .collect::<rusqlite::Result<_>>()?;
                claim.contradicts = linked
                    .query_map(params![&id, "contradicts"], |r| r.get(0))?
                    .collect::<rusqlite::Result<_>>()?;
                f(claim).map_err(Stop::Io)?;
            }
            Ok(())
        };
        finish(self.path(), run())
    }

    fn each_time(&self, f: &mut dyn FnMut(Time) -> std::io::Result<()>) -> Result<()> {
        let c = self.conn();
        let mut run = || -> std::result::Result<(), Stop> {
            let mut stmt = c.prepare(
                "SELECT t.doc_id, t.start, t.end, t.text, t.kind, t.value, t.anchor FROM times t
                 JOIN documents d ON d.id = t.doc_id ORDER BY d.seq, t.idx",
            )?;
            let mut rows = stmt.query([])?;
            while let Some(r) = rows.next()? {
                let kind: String = r.get(4)?;
                f(Time {
                    doc: r.get(0)?,
                    start: r.get::<_, i64>(1)? as usize,
                    end: r.get::<_, i64>(2)? as usize,
                    text: r.get(3)?,
                    kind: TimeType::parse(&kind).unwrap_or(TimeType::Date),
                    value: r.get(5)?,
                    anchor: r.get(6)?,
                })
                .map_err(Stop::Io)?;
            }
            Ok(())
        };
        finish(self.path(), run())
    }
}

/// Back to a database error inside a streaming read (the store's own
/// errors from nested reads are database errors too).
fn store_to_sqlite(e: StoreError) -> rusqlite::Error {
    match e {
        StoreError::Sqlite { source, .. } => source,
        other => rusqlite::Error::ToSqlConversionFailure(other.to_string().into()),
    }
}

pub(crate) fn doc_layers(
    conn: &Connection,
    id: &str,
    limit: usize,
) -> rusqlite::Result<Window<DocLayer>> {
    let mut out: Vec<DocLayer> = Vec::new();
    let mut total = 0u64;
    let mut push = |l: DocLayer, out: &mut Vec<DocLayer>| {
        total += 1;
        if out.len() < limit {
            out.push(l);
        }
    };
    let mut stmt = conn.prepare_cached(
        "SELECT m.start, m.end, m.text, e.label, e.id, e.name FROM mentions m
         JOIN entity_members em ON em.doc_id = m.doc_id AND em.local = m.local
         JOIN entities e ON e.id = em.entity_id
         WHERE m.doc_id = ?1 ORDER BY m.start",
    )?;
    let rows: Vec<(i64, i64, String, String, String, String)> = stmt
        .query_map([id], |r| {
            Ok((
                r.get(0)?,
                r.get(1)?,
                r.get(2)?,
                r.get(3)?,
                r.get(4)?,
                r.get(5)?,
            ))
        })?
        .collect::<rusqlite::Result<_>>()?;
    for (s, e, text, label, ent, name) in rows {
        push(
            DocLayer {
                start: s as u64,
                end: e as u64,
                text,
                layer: "mention",
                kind: Some(label),
                target: Some(ent),
                label: name,
            },
            &mut out,
        );
    }
    let mut stmt = conn.prepare_cached(
        "SELECT d.start, d.end, d.span, d.text, e.label, e.id, e.name FROM local_descriptions d
         JOIN entity_members em ON em.doc_id = d.doc_id AND em.local = d.local
         JOIN entities e ON e.id = em.entity_id
         WHERE d.doc_id = ?1 ORDER BY d.start",
    )?;
    let rows: Vec<(i64, i64, String, String, String, String, String)> = stmt
        .query_map([id], |r| {
            Ok((
                r.get(0)?,
                r.get(1)?,
                r.get(2)?,
                r.get(3)?,
                r.get(4)?,
                r.get(5)?,
                r.get(6)?,
            ))
        })?
        .collect::<rusqlite::Result<_>>()?;
    for (s, e, span, desc, label, ent, name) in rows {
        push(
            DocLayer {
                start: s as u64,
                end: e as u64,
                text: span,
                layer: "description",
                kind: Some(label),
                target: Some(ent),
                label: format!("{name}: {desc}"),
            },
            &mut out,
        );
    }
    let mut stmt = conn.prepare_cached(
        "SELECT start, end, text, kind, value FROM times WHERE doc_id = ?1 ORDER BY idx",
    )?;
    let rows: Vec<(i64, i64, String, String, Option<String>)> = stmt
        .query_map([id], |r| {
            Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?))
        })?
        .collect::<rusqlite::Result<_>>()?;
    for (s, e, text, kind, value) in rows {
        push(
            DocLayer {
                start: s as u64,
                end: e as u64,
                text,
                layer: "time",
                kind: Some(kind),
                target: None,
                label: value.unwrap_or_else(|| "not grounded".into()),
            },
            &mut out,
        );
    }
    let mut stmt = conn.prepare_cached(
        "SELECT x.start, x.end, x.text, e.kind, e.id, e.date_value FROM event_evidence x
         JOIN events e ON e.id = x.event_id WHERE x.doc_id = ?1 ORDER BY x.start",
    )?;
    let rows: Vec<(i64, i64, String, String, String, Option<String>)> = stmt
        .query_map([id], |r| {
            Ok((
                r.get(0)?,
                r.get(1)?,
                r.get(2)?,
                r.get(3)?,
                r.get(4)?,
                r.get(5)?,
            ))
        })?
        .collect::<rusqlite::Result<_>>()?;
    for (s, e, text, kind, ev, date) in rows {
        let label = match &date {
            Some(d) => format!("{} ({d})", kind.replace('_', " ")),
            None => kind.replace('_', " "),
        };
        push(
            DocLayer {
                start: s as u64,
                end: e as u64,
                text,
                layer: "event",
                kind: Some(kind),
                target: Some(ev),
                label,
            },
            &mut out,
        );
    }
    let mut stmt = conn.prepare_cached(
        "SELECT x.start, x.end, x.text, r.kind, r.id, coalesce(s.name, r.subject), coalesce(o.name, r.object), r.role
         FROM relation_evidence x JOIN relations r ON r.id = x.relation_id
         LEFT JOIN entities s ON s.id = r.subject LEFT JOIN entities o ON o.id = r.object
         WHERE x.doc_id = ?1 ORDER BY x.start",
    )?;
    type RelRow = (
        i64,
        i64,
        String,
        String,
        String,
        String,
        String,
        Option<String>,
    );
    let rows: Vec<RelRow> = stmt
        .query_map([id], |r| {
            Ok((
                r.get(0)?,
                r.get(1)?,
                r.get(2)?,
                r.get(3)?,
                r.get(4)?,
                r.get(5)?,
                r.get(6)?,
                r.get(7)?,
            ))
        })?
        .collect::<rusqlite::Result<_>>()?;
    for (s, e, text, kind, rel, subject, object, role) in rows {
        let label = match role {
            Some(r) => format!("{subject} — {} — {object} ({r})", kind.replace('_', " ")),
            None => format!("{subject} — {} — {object}", kind.replace('_', " ")),
        };
        push(
            DocLayer {
                start: s as u64,
                end: e as u64,
                text,
                layer: "relation",
                kind: Some(kind),
                target: Some(rel),
                label,
            },
            &mut out,
        );
    }
    let mut stmt = conn.prepare_cached(
        "SELECT start, end, text, polarity, id, speaker_text FROM claims WHERE doc_id = ?1 ORDER BY start",
    )?;
    let rows: Vec<(i64, i64, String, String, String, Option<String>)> = stmt
        .query_map([id], |r| {
            Ok((
                r.get(0)?,
                r.get(1)?,
                r.get(2)?,
                r.get(3)?,
                r.get(4)?,
                r.get(5)?,
            ))
        })?
        .collect::<rusqlite::Result<_>>()?;
    for (s, e, text, polarity, claim, who) in rows {
        push(
            DocLayer {
                start: s as u64,
                end: e as u64,
                text,
                layer: "claim",
                kind: Some(polarity),
                target: Some(claim),
                label: who.unwrap_or_else(|| "unattributed".into()),
            },
            &mut out,
        );
    }
    // Longer spans first at the same start, so nesting renders outside-in.
    out.sort_by(|a, b| a.start.cmp(&b.start).then(b.end.cmp(&a.end)));
    Ok(Window { total, items: out })
}

pub(crate) fn counts(conn: &Connection) -> rusqlite::Result<Counts> {
    let one = |sql: &str| -> rusqlite::Result<u64> {
        conn.query_row(sql, [], |r| r.get::<_, i64>(0))
            .map(|n| n as u64)
    };
    let by = |sql: &str| -> rusqlite::Result<Vec<(String, u64)>> {
        let mut stmt = conn.prepare(sql)?;
        let rows = stmt.query_map([], |r| Ok((r.get(0)?, r.get::<_, i64>(1)? as u64)))?;
        rows.collect()
    };
    let (first, last): (Option<String>, Option<String>) = conn.query_row(
        "SELECT min(published), max(published) FROM documents",
        [],
        |r| Ok((r.get(0)?, r.get(1)?)),
    )?;
    Ok(Counts {
        documents: one("SELECT count(*) FROM documents")?,
        entities: one("SELECT count(*) FROM entities")?,
        entities_by_type: by("SELECT label, count(*) FROM entities GROUP BY label ORDER BY 1")?,
        events: one("SELECT count(*) FROM events")?,
        events_by_type: by("SELECT kind, count(*) FROM events GROUP BY kind ORDER BY 1")?,
        relations: one("SELECT count(*) FROM relations")?,
        relations_by_type: by("SELECT kind, count(*) FROM relations GROUP BY kind ORDER BY 1")?,
        claims: one("SELECT count(*) FROM claims")?,
        disputed_claims: one(
            "SELECT count(*) FROM claims c JOIN disputes d ON d.id = c.dispute WHERE d.disputed = 1",
        )?,
        corroborated_claims: one(
            "SELECT count(*) FROM claims c JOIN disputes d ON d.id = c.dispute WHERE d.disputed = 0",
        )?,
        times: one("SELECT count(*) FROM times")?,
        mentions: one("SELECT coalesce(sum(mentions), 0) FROM entities")?,
        published_first: first,
        published_last: last,
        pending: one("SELECT count(*) FROM documents WHERE corpus = 0")?,
    })
}
