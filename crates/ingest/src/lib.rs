//! Ingest: turns files of any supported format into documents.

pub mod html;
