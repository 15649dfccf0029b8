//! Reading the knowledge base back as the export contract's types.

use crate::{classify, Result, Store};
use dossier_core::{
    Description, Document, Entity, Export, MentionKind, Merge, Span, Time, TimeType,
};
use dossier_names::matching_text;
use rusqlite::{params, OptionalExtension};
use std::collections::BTreeMap;

/// How a member joined: reason, score, and the member it was judged against.
type JoinRow = (Option<String>, Option<f64>, Option<String>, Option<i64>);

/// Two descriptions worded alike: case and apostrophe style aside
/// ("al-Qaeda’s second-in-command" = "al-Qaeda's second-in-command").
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

impl Store {
    /// Every document, in ingest order, with all its sources.
    pub fn documents(&self) -> Result<Vec<Document>> {
        let conn = self.conn();
        let run = || -> rusqlite::Result<Vec<Document>> {
            let mut sources: BTreeMap<String, Vec<String>> = BTreeMap::new();
            let mut stmt =
                conn.prepare("SELECT doc_id, source FROM document_sources ORDER BY rowid")?;
            let rows =
                stmt.query_map([], |r| Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?)))?;
            for row in rows {
                let (id, s) = row?;
                sources.entry(id).or_default().push(s);
            }
            let mut stmt = conn.prepare(
                "SELECT id, source, title, published, byline, language, text FROM documents ORDER BY seq",
            )?;
            let docs = stmt.query_map([], document_row)?;
            docs.map(|d| {
                d.map(|mut d| {
                    d.sources = sources.remove(&d.id).unwrap_or_default();
                    d
                })
            })
            .collect()
        };
        run().map_err(|e| classify(self.path(), e))
    }

    /// Resolved entities with their mentions, aliases, descriptions and
    /// the reason for every cross-document merge.
    pub fn entities(&self) -> Result<Vec<Entity>> {
        self.entities_raw().map_err(|e| classify(self.path(), e))
    }

    fn entities_raw(&self) -> rusqlite::Result<Vec<Entity>> {
        let conn = self.conn();
        let membership = self.entity_membership()?;
        let mut heads = conn.prepare("SELECT id, label, name FROM entities ORDER BY id")?;
        let heads: Vec<(String, String, String)> = heads
            .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?
            .collect::<rusqlite::Result<_>>()?;
        let mut mentions = conn.prepare_cached(
            "SELECT start, end, text, kind FROM mentions WHERE doc_id = ?1 AND local = ?2 ORDER BY start",
        )?;
        let mut aliases = conn.prepare_cached(
            "SELECT name FROM local_aliases WHERE doc_id = ?1 AND local = ?2 ORDER BY start",
        )?;
        let mut descs = conn.prepare_cached(
            "SELECT text, start, end, span FROM local_descriptions WHERE doc_id = ?1 AND local = ?2 ORDER BY start",
        )?;
        let mut joins = conn.prepare_cached(
            "SELECT reason, score, against_doc, against_local FROM entity_members WHERE doc_id = ?1 AND local = ?2",
        )?;
        let mut out = Vec::with_capacity(heads.len());
        for (id, label, name) in heads {
            let members = membership.get(&id).cloned().unwrap_or_default();
            let mut all_mentions: Vec<Span> = Vec::new();
            let mut best_of: BTreeMap<(String, usize), Span> = BTreeMap::new();
            let mut alias_names: Vec<String> = Vec::new();
            let mut descriptions: Vec<Description> = Vec::new();
            for (doc, local) in &members {
                let rows = mentions.query_map(params![doc, *local as i64], |r| {
                    Ok(Span {
                        doc: doc.clone(),
                        start: r.get::<_, i64>(0)? as usize,
                        end: r.get::<_, i64>(1)? as usize,
                        text: r.get(2)?,
                        kind: MentionKind::parse(&r.get::<_, String>(3)?),
                    })
                })?;
                for sp in rows {
                    let sp = sp?;
                    if sp.kind == Some(MentionKind::Name) {
                        let shown = matching_text(&sp.text);
                        if !alias_names.contains(&shown) {
                            alias_names.push(shown);
                        }
                        let longer = best_of
                            .get(&(doc.clone(), *local))
                            .is_none_or(|b| sp.end - sp.start > b.end - b.start);
                        if longer {
                            best_of.insert((doc.clone(), *local), sp.clone());
                        }
                    }
                    all_mentions.push(sp);
                }
                let rows =
                    aliases.query_map(params![doc, *local as i64], |r| r.get::<_, String>(0))?;
                for row in rows {
                    let n = matching_text(&row?);
                    if !alias_names.contains(&n) {
                        alias_names.push(n);
                    }
                }
                let rows = descs.query_map(params![doc, *local as i64], |r| {
                    Ok((
                        r.get::<_, String>(0)?,
                        r.get::<_, i64>(1)?,
                        r.get::<_, i64>(2)?,
                        r.get::<_, String>(3)?,
                    ))
                })?;
                for row in rows {
                    let (text, s, e, span) = row?;
                    let ev = Span {
                        doc: doc.clone(),
                        start: s as usize,
                        end: e as usize,
                        text: span,
                        kind: None,
                    };
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
            }
            let mut merges = Vec::new();
            for (doc, local) in members.iter().skip(1) {
                let row: Option<JoinRow> = joins
                    .query_row(params![doc, *local as i64], |r| {
                        Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?))
                    })
                    .optional()?;
                let Some((Some(reason), score, against_doc, against_local)) = row else {
                    continue;
                };
                let mut evidence = Vec::new();
                if let Some(sp) = best_of.get(&(doc.clone(), *local)) {
                    evidence.push(sp.clone());
                }
                if let (Some(d), Some(l)) = (against_doc, against_local) {
                    if let Some(sp) = best_of.get(&(d, l as usize)) {
                        evidence.push(sp.clone());
                    }
                }
                merges.push(Merge {
                    reason,
                    score,
                    evidence,
                });
            }
            alias_names.retain(|a| *a != name && !a.is_empty());
            out.push(Entity {
                id,
                kind: label,
                name,
                aliases: alias_names,
                mentions: all_mentions,
                descriptions,
                merges,
            });
        }
        Ok(out)
    }

    /// Every time expression, in document order.
    pub fn times(&self) -> Result<Vec<Time>> {
        let run = || -> rusqlite::Result<Vec<Time>> {
            let mut stmt = self.conn().prepare(
                "SELECT t.doc_id, t.start, t.end, t.text, t.kind, t.value, t.anchor FROM times t
                 JOIN documents d ON d.id = t.doc_id ORDER BY d.seq, t.idx",
            )?;
            let rows = stmt.query_map([], |r| {
                let kind: String = r.get(4)?;
                Ok(Time {
                    doc: r.get(0)?,
                    start: r.get::<_, i64>(1)? as usize,
                    end: r.get::<_, i64>(2)? as usize,
                    text: r.get(3)?,
                    kind: TimeType::parse(&kind).unwrap_or(TimeType::Date),
                    value: r.get(5)?,
                    anchor: r.get(6)?,
                })
            })?;
            rows.collect()
        };
        run().map_err(|e| classify(self.path(), e))
    }

    /// Every document's stored facts (JSON), in document order.
    pub fn doc_facts(&self) -> Result<Vec<(String, String)>> {
        let run = || -> rusqlite::Result<Vec<(String, String)>> {
            let mut stmt = self.conn().prepare(
                "SELECT f.doc_id, f.facts FROM doc_facts f JOIN documents d ON d.id = f.doc_id ORDER BY d.seq",
            )?;
            let rows = stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?;
            rows.collect()
        };
        run().map_err(|e| classify(self.path(), e))
    }

    /// The whole knowledge base as the export contract describes it.
    pub fn export(&self) -> Result<Export> {
        Ok(Export {
            documents: self.documents()?,
            entities: self.entities()?,
            times: self.times()?,
            ..Export::default()
        })
    }
}

#[cfg(test)]
mod tests {
    use super::same_wording;

    #[test]
    fn descriptions_differing_in_apostrophes_are_one() {
        assert!(same_wording(
            "al-Qaeda’s second-in-command",
            "Al-Qaeda's second-in-command"
        ));
        assert!(!same_wording("Taliban spokesman", "Taliban commander"));
    }
}
