//! The one assembly of Dossier's stages.
//!
//! - Per document ([`analysis`]): parse → pronoun links → resolution within
//!   the document → time expressions → facts → resolution profiles.
//! - Building ([`build`]): files → documents → analysis (in parallel, each
//!   text once) → the store, one transaction per batch of documents.
//! - The corpus step ([`corpus`]): resolution across documents, incremental
//!   linking of facts, dispute groups and entity summaries, computed at
//!   build time and stored, one transaction per chunk of documents.
//!
//! `dossier build`, every `dossier eval` and every `dossier bench` call
//! these; nothing else puts the stages together.

pub mod analysis;
pub mod build;
pub mod codec;
pub mod corpus;
mod disputes;
pub mod explain;
mod linking;
mod resolution;
pub mod screening;
mod summary;
pub mod timing;

pub use analysis::{analyze_parsed, AnalysisError, Analyzer, DocAnalysis};
pub use build::{build, BuildError, BuildOptions, Summary};
pub use corpus::{CorpusError, CorpusReport};
pub use timing::{Stage, StageTimes};
