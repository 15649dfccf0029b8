//! Export: the knowledge base as the JSON contract in `docs/EXPORT.md`.
//!
//! Documents, resolved entities and time expressions come from the store
//! as they are; events, relations and claims are linked across documents
//! here, from each document's stored facts and the current entity
//! resolution, so they always agree with it.

use dossier_core::Export;
use dossier_facts::DocFacts;
use dossier_store::Store;
use std::collections::HashMap;
use std::io::Write;

/// The whole knowledge base of a store.
pub fn knowledge_base(store: &Store) -> Result<Export, ExportError> {
    let mut export = store.export()?;
    let mut facts: Vec<DocFacts> = Vec::new();
    for (doc, json) in store.doc_facts()? {
        match serde_json::from_str::<DocFacts>(&json) {
            Ok(f) => facts.push(f),
            Err(e) => tracing::warn!(
                "document {doc}: unreadable stored facts ({e}); run `dossier build` to redo them"
            ),
        }
    }
    // Which entity each mention span belongs to.
    let mut entity_at: HashMap<(&str, usize, usize), &str> = HashMap::new();
    for e in &export.entities {
        for m in &e.mentions {
            entity_at.insert((m.doc.as_str(), m.start, m.end), e.id.as_str());
        }
    }
    let (events, relations, claims) = dossier_facts::link(&facts, |doc, span| {
        entity_at
            .get(&(doc, span.char_start, span.char_end))
            .map(|id| id.to_string())
    });
    export.events = events;
    export.relations = relations;
    export.claims = claims;
    Ok(export)
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// One JSON object, pretty-printed (the contract's form).
    Json,
}

impl std::str::FromStr for Format {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s {
            "json" => Ok(Format::Json),
            other => Err(format!("unknown export format {other:?} (supported: json)")),
        }
    }
}

#[derive(Debug, thiserror::Error)]
pub enum ExportError {
    #[error(transparent)]
    Store(#[from] dossier_store::StoreError),
    #[error("writing the export: {0}")]
    Write(#[from] std::io::Error),
    #[error("serialising the export: {0}")]
    Json(#[from] serde_json::Error),
}

/// Writes `export` in `format`, ending with a newline.
pub fn write(export: &Export, format: Format, mut out: impl Write) -> Result<(), ExportError> {
    match format {
        Format::Json => {
            serde_json::to_writer_pretty(&mut out, export)?;
            out.write_all(b"\n")?;
        }
    }
    out.flush()?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use dossier_core::Document;

    #[test]
    fn writes_every_top_level_array() {
        let export = Export {
            documents: vec![Document {
                id: "d1".into(),
                source: "a.txt".into(),
                sources: vec!["a.txt".into()],
                title: None,
                published: None,
                byline: None,
                language: "en".into(),
                text: "Text.".into(),
            }],
            ..Export::default()
        };
        let mut buf = Vec::new();
        write(&export, Format::Json, &mut buf).unwrap();
        let v: serde_json::Value = serde_json::from_slice(&buf).unwrap();
        for key in [
            "documents",
            "entities",
            "events",
            "relations",
            "claims",
            "times",
        ] {
            assert!(v[key].is_array(), "{key}");
        }
        assert_eq!(v["documents"][0]["published"], serde_json::Value::Null);
        assert_eq!(v["documents"][0]["title"], serde_json::Value::Null);
        assert!("xml".parse::<Format>().is_err());
    }
}
