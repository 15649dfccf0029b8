//! The language pipeline: a native Rust implementation of the inference of
//! spaCy's `en_core_web_sm` 3.8 (tokenizer, tok2vec, tagger, parser, NER,
//! attribute ruler, lemmatizer), reading the model's own files.
//!
//! Module ownership while the pipeline is being built:
//! - `strings`, `tokenizer`, `lexeme`, `attribute_ruler`, `lemmatizer`: text side;
//! - `model`, `nn`, `pipeline`: neural side and the public `Doc` API.

pub mod attribute_ruler;
pub mod lemmatizer;
pub mod lexeme;
pub mod model;
pub mod nn;
pub mod pipeline;
pub mod strings;
pub mod tokenizer;

pub use pipeline::{Doc, EntSpan, Error, Pipeline, Token};
