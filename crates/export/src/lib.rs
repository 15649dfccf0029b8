//! Export: the knowledge base as the JSON contract in `docs/EXPORT.md`,
//! written as it is read from the store, one item at a time, so memory
//! stays flat whatever the size of the corpus. Everything comes from one
//! read transaction: the export is one state of the database.

use dossier_store::{ExportStream, StoreError};
use serde::Serialize;
use std::io::Write;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// One JSON object (the contract's form): the top-level arrays, one
    /// item per line.
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
    Store(#[from] StoreError),
    #[error("writing the export: {0}")]
    Write(#[from] std::io::Error),
    #[error("serialising the export: {0}")]
    Json(#[from] serde_json::Error),
}

/// Writes one top-level array: `"name": [` items `]`.
fn array<T: Serialize>(
    out: &mut dyn Write,
    name: &str,
    first_field: bool,
    each: impl FnOnce(&mut dyn FnMut(T) -> std::io::Result<()>) -> Result<(), StoreError>,
) -> Result<(), ExportError> {
    if !first_field {
        out.write_all(b",\n")?;
    }
    write!(out, "\"{name}\": [")?;
    let mut n = 0usize;
    let mut write_one = |item: T| -> std::io::Result<()> {
        out.write_all(if n == 0 { b"\n" } else { b",\n" })?;
        serde_json::to_writer(&mut *out, &item).map_err(std::io::Error::other)?;
        n += 1;
        Ok(())
    };
    each(&mut write_one)?;
    out.write_all(if n == 0 { b"]" } else { b"\n]" })?;
    Ok(())
}

/// Writes the whole knowledge base in `format`, ending with a newline.
pub fn write(
    stream: &dyn ExportStream,
    format: Format,
    out: &mut dyn Write,
) -> Result<(), ExportError> {
    match format {
        Format::Json => {
            out.write_all(b"{")?;
            array(out, "documents", true, |f| stream.each_document(f))?;
            array(out, "entities", false, |f| stream.each_entity(f))?;
            array(out, "events", false, |f| stream.each_event(f))?;
            array(out, "relations", false, |f| stream.each_relation(f))?;
            array(out, "claims", false, |f| stream.each_claim(f))?;
            array(out, "times", false, |f| stream.each_time(f))?;
            out.write_all(b"}\n")?;
        }
    }
    out.flush()?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use dossier_core::{Claim, Document, Entity, Event, Relation, Time};

    struct One;

    impl ExportStream for One {
        fn each_document(
            &self,
            f: &mut dyn FnMut(Document) -> std::io::Result<()>,
        ) -> Result<(), StoreError> {
            f(Document {
                id: "d1".into(),
                source: "a.txt".into(),
                sources: vec!["a.txt".into()],
                title: None,
                published: None,
                byline: None,
                language: "en".into(),
                text: "Text \"quoted\".".into(),
            })
            .map_err(|e| StoreError::Io {
                path: "test".into(),
                source: e,
            })
        }
        fn each_entity(
            &self,
            _: &mut dyn FnMut(Entity) -> std::io::Result<()>,
        ) -> Result<(), StoreError> {
            Ok(())
        }
        fn each_event(
            &self,
            _: &mut dyn FnMut(Event) -> std::io::Result<()>,
        ) -> Result<(), StoreError> {
            Ok(())
        }
        fn each_relation(
            &self,
            _: &mut dyn FnMut(Relation) -> std::io::Result<()>,
        ) -> Result<(), StoreError> {
            Ok(())
        }
        fn each_claim(
            &self,
            _: &mut dyn FnMut(Claim) -> std::io::Result<()>,
        ) -> Result<(), StoreError> {
            Ok(())
        }
        fn each_time(
            &self,
            _: &mut dyn FnMut(Time) -> std::io::Result<()>,
        ) -> Result<(), StoreError> {
            Ok(())
        }
    }

    #[test]
    fn writes_every_top_level_array_as_one_json_object() {
        let mut buf = Vec::new();
        write(&One, Format::Json, &mut buf).unwrap();
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
        assert_eq!(v["documents"].as_array().unwrap().len(), 1);
        assert_eq!(v["documents"][0]["published"], serde_json::Value::Null);
        assert_eq!(v["documents"][0]["text"], "Text \"quoted\".");
        assert!(v["entities"].as_array().unwrap().is_empty());
        assert!("xml".parse::<Format>().is_err());
    }
}
