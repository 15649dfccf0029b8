//! Reading the knowledge base back as the export contract's types.

use crate::{classify, Result, Store};
use dossier_core::{stable_id, Document, Entity, Export, MentionKind, Span};
use std::collections::BTreeMap;

/// OntoNotes labels that name things (the rest are dates and numbers).
pub const ENTITY_LABELS: &[&str] = &[
    "PERSON",
    "NORP",
    "FAC",
    "ORG",
    "GPE",
    "LOC",
    "PRODUCT",
    "EVENT",
    "WORK_OF_ART",
    "LAW",
    "LANGUAGE",
];

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

    /// Entities as the per-document placeholder before cross-document
    /// resolution: one entity per distinct surface name and type in each
    /// document.
    pub fn document_entities(&self) -> Result<Vec<Entity>> {
        let conn = self.conn();
        let run = || -> rusqlite::Result<Vec<Entity>> {
            let mut stmt = conn.prepare(
                "SELECT m.doc_id, m.start, m.end, m.text, m.label, m.kind FROM mentions m
                 JOIN documents d ON d.id = m.doc_id ORDER BY d.seq, m.idx",
            )?;
            let rows = stmt.query_map([], |r| {
                Ok((
                    r.get::<_, String>(0)?,
                    r.get::<_, i64>(1)?,
                    r.get::<_, i64>(2)?,
                    r.get::<_, String>(3)?,
                    r.get::<_, String>(4)?,
                    r.get::<_, String>(5)?,
                ))
            })?;
            let mut order: Vec<(String, String, String)> = Vec::new();
            let mut by_key: BTreeMap<(String, String, String), Vec<Span>> = BTreeMap::new();
            for row in rows {
                let (doc, start, end, text, label, kind) = row?;
                if !ENTITY_LABELS.contains(&label.as_str()) {
                    continue;
                }
                let key = (doc.clone(), label, text.clone());
                let spans = by_key.entry(key.clone()).or_insert_with(|| {
                    order.push(key);
                    Vec::new()
                });
                spans.push(Span {
                    doc,
                    start: start as usize,
                    end: end as usize,
                    text,
                    kind: MentionKind::parse(&kind),
                });
            }
            Ok(order
                .into_iter()
                .map(|key| {
                    let mentions = by_key.remove(&key).unwrap_or_default();
                    let (doc, label, text) = key;
                    Entity {
                        id: stable_id("entity", &[&doc, &label, &text]),
                        kind: label,
                        name: text,
                        aliases: Vec::new(),
                        mentions,
                        descriptions: Vec::new(),
                        merges: Vec::new(),
                    }
                })
                .collect())
        };
        run().map_err(|e| classify(self.path(), e))
    }

    /// The whole knowledge base as the export contract describes it.
    pub fn export(&self) -> Result<Export> {
        Ok(Export {
            documents: self.documents()?,
            entities: self.document_entities()?,
            ..Export::default()
        })
    }
}
