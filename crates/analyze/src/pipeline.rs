//! The public API: `Pipeline::load` and `Pipeline::analyze`, a native
//! reimplementation of `spacy.load("en_core_web_sm")(text)` (spaCy 3.8):
//! tokenizer → tok2vec → tagger → parser → attribute ruler → lemmatizer →
//! NER, with the `senter` disabled as in the model's config.
//!
//! Long documents: the token sequence is split into chunks of at most
//! [`MAX_CHUNK_TOKENS`] tokens, preferably after a paragraph break (a
//! whitespace token with two newlines), else after a line break or a
//! sentence-final punctuation mark. The neural components run per chunk
//! (bounding memory: the parser keeps ~4 KB per token), the attribute
//! ruler and lemmatizer over the whole document. Offsets always refer to the
//! original text. Token vectors are computed with the context they have in
//! the whole document (the encoder's receptive field is a few tokens), so
//! they are exactly spaCy's. Documents up to the limit (most news articles:
//! it is ~40,000 characters of English) get exactly spaCy's analysis; in
//! longer ones a chunk boundary is a forced sentence boundary, so the parse
//! (and an entity) can differ from spaCy's single pass where spaCy would
//! have continued a sentence across that paragraph break. Measured with
//! `dossier eval parity`: 100% agreement with the default limit (its data
//! include a 10,000+ token article); forcing 500-token chunks on the same
//! texts costs 0.12% of heads, 0.09% of labels and 0.01% of entities.

use std::cell::RefCell;
use std::ops::Range;
use std::path::{Path, PathBuf};

use crate::attribute_ruler::{AttributeRuler, TokenAnnot};
use crate::lemmatizer::Lemmatizer;
use crate::lexeme::{LexAttrs, Lexicon};
use crate::model;
use crate::nn::arc_eager::{self, ArcEager};
use crate::nn::biluo::{self, Biluo};
use crate::nn::moves::{self, Kind};
use crate::nn::parser::{self, ParserModel};
use crate::nn::thinc::ThincModel;
use crate::nn::tok2vec::{self, Tok2Vec};
use crate::nn::tree::Tree;
use crate::nn::{self, Tagger};
use crate::tokenizer::{self, RawToken, Tokenizer};

/// Chunk size limit for the neural components, in tokens.
pub const MAX_CHUNK_TOKENS: usize = 10_000;

#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error(transparent)]
    Locate(#[from] model::LocateError),
    #[error(transparent)]
    Text(#[from] tokenizer::Error),
    #[error(transparent)]
    Weights(#[from] nn::Error),
    #[error("{path}: {what}")]
    Mismatch { path: PathBuf, what: String },
}

pub use dossier_core::parse::{Doc, EntSpan, Token};

/// The loaded `en_core_web_sm` pipeline. Immutable after loading, so one
/// instance can serve many threads.
pub struct Pipeline {
    dir: PathBuf,
    tokenizer: Tokenizer,
    lexicon: Lexicon,
    tok2vec: Tok2Vec,
    tagger: Tagger,
    parser: ParserModel,
    arc_eager: ArcEager,
    ruler: AttributeRuler,
    lemmatizer: Lemmatizer,
    ner: ParserModel,
    biluo: Biluo,
}

impl std::fmt::Debug for Pipeline {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Pipeline").field("dir", &self.dir).finish()
    }
}

/// Per-thread buffers, so analysing a document allocates little beyond
/// its output.
#[derive(Default)]
struct Scratch {
    t2v: tok2vec::Scratch,
    parse: parser::Scratch,
    tokvecs: Vec<f32>,
    scores: Vec<f32>,
    tags: Vec<usize>,
    arc_state: arc_eager::State,
    ner_state: biluo::State,
    is_space: Vec<bool>,
    sent_start: Vec<bool>,
}

thread_local! {
    static SCRATCH: RefCell<Scratch> = RefCell::new(Scratch::default());
}

impl Pipeline {
    /// Loads the pipeline from a model directory (`models/en_core_web_sm`).
    pub fn load(model_dir: &Path) -> Result<Pipeline, Error> {
        if !model::is_model_dir(model_dir) {
            return Err(model::LocateError::Missing {
                path: model_dir.to_path_buf(),
                origin: "given to Pipeline::load",
            }
            .into());
        }
        let tokenizer = Tokenizer::load(model_dir)?;
        let lexicon = Lexicon::load(model_dir)?;
        let tok2vec = Tok2Vec::from_model(&ThincModel::load(&model_dir.join("tok2vec/model"))?)?;
        let tagger = Tagger::load(&model_dir.join("tagger"))?;

        let parser_path = model_dir.join("parser/model");
        let parser = ParserModel::from_model(&ThincModel::load(&parser_path)?)?;
        let arc_eager = ArcEager {
            actions: moves::load(&model_dir.join("parser/moves"), Kind::ArcEager)?,
        };
        let ner_path = model_dir.join("ner/model");
        let ner = ParserModel::from_model(&ThincModel::load(&ner_path)?)?;
        let biluo = Biluo {
            actions: moves::load(&model_dir.join("ner/moves"), Kind::Biluo)?,
        };
        let mismatch = |path: &Path, what: String| Error::Mismatch {
            path: path.to_path_buf(),
            what,
        };
        if parser.n_classes() != arc_eager.actions.len() || parser.n_feats() != 8 {
            return Err(mismatch(
                &parser_path,
                format!(
                    "{} outputs and {} features for {} moves (expected 8 features)",
                    parser.n_classes(),
                    parser.n_feats(),
                    arc_eager.actions.len()
                ),
            ));
        }
        if parser.tok2vec.is_some() || parser.input_width() != tok2vec.width() {
            return Err(mismatch(
                &parser_path,
                "the parser must listen to the shared tok2vec".into(),
            ));
        }
        if tagger.input_width() != tok2vec.width() {
            return Err(mismatch(
                &model_dir.join("tagger/model"),
                "tagger width".into(),
            ));
        }
        if ner.n_classes() != biluo.actions.len() || ner.n_feats() != 3 || ner.tok2vec.is_none() {
            return Err(mismatch(
                &ner_path,
                format!(
                    "{} outputs and {} features for {} moves (expected 3 features and an own tok2vec)",
                    ner.n_classes(),
                    ner.n_feats(),
                    biluo.actions.len()
                ),
            ));
        }
        Ok(Pipeline {
            dir: model_dir.to_path_buf(),
            tokenizer,
            lexicon,
            tok2vec,
            tagger,
            parser,
            arc_eager,
            ruler: AttributeRuler::load(model_dir)?,
            lemmatizer: Lemmatizer::load(model_dir)?,
            ner,
            biluo,
        })
    }

    /// Finds the model (see [`model::locate`]) and loads it.
    pub fn locate_and_load(explicit: Option<&Path>) -> Result<Pipeline, Error> {
        let dir = model::locate(explicit)?;
        Self::load(&dir)
    }

    /// The model directory this pipeline was loaded from.
    pub fn model_dir(&self) -> &Path {
        &self.dir
    }

    /// Tokens only (spaCy's `nlp.make_doc`).
    pub fn tokenize(&self, text: &str) -> Vec<RawToken> {
        self.tokenizer.tokenize(text)
    }

    /// The full analysis of `text`.
    pub fn analyze(&self, text: &str) -> Doc {
        self.analyze_chunked(text, MAX_CHUNK_TOKENS)
    }

    /// [`Pipeline::analyze`] with another chunk size limit (in tokens).
    pub fn analyze_chunked(&self, text: &str, max_chunk_tokens: usize) -> Doc {
        let max_chunk_tokens = max_chunk_tokens.max(2);
        let raw = self.tokenizer.tokenize(text);
        let attrs = self.lexicon.attrs_all(text, &raw);
        let n = raw.len();
        let mut annots = vec![TokenAnnot::default(); n];
        let mut heads = vec![0usize; n];
        let mut sents = Vec::new();
        let mut ents = Vec::new();
        SCRATCH.with(|cell| {
            let s = &mut *cell.borrow_mut();
            for chunk in chunks(text, &raw, max_chunk_tokens) {
                let off = chunk.start;
                let m = chunk.len();
                s.is_space.clear();
                s.is_space
                    .extend(attrs[chunk.clone()].iter().map(|a| a.is_space != 0));

                self.tok2vec
                    .forward_range(&attrs, chunk.clone(), &mut s.t2v, &mut s.tokvecs);
                self.tagger
                    .predict(&s.tokvecs, m, &mut s.scores, &mut s.tags);
                for (a, &t) in annots[chunk.clone()].iter_mut().zip(&s.tags) {
                    a.tag.clone_from(&self.tagger.labels[t]);
                }

                self.parser.parse(
                    &self.arc_eager,
                    &s.tokvecs,
                    m,
                    &mut s.parse,
                    &mut s.arc_state,
                );
                let tree = self.tree(&s.arc_state, &s.is_space);
                for i in 0..m {
                    heads[off + i] = off + tree.heads[i];
                    annots[off + i].dep.clone_from(&tree.deps[i]);
                }
                sents.extend(
                    tree.sentences()
                        .into_iter()
                        .map(|r| r.start + off..r.end + off),
                );
                s.sent_start.clear();
                s.sent_start.extend(tree.sent_start.iter().map(|&v| v == 1));

                self.entities_in(&attrs, chunk, s, &raw, &mut ents);
            }
        });
        self.ruler.apply(text, &raw, &mut annots);
        self.lemmatizer.apply(text, &raw, &mut annots);
        let tokens = raw
            .iter()
            .zip(annots)
            .zip(heads)
            .zip(&attrs)
            .map(|(((t, a), head), la)| Token {
                text: text[t.start..t.end].to_string(),
                start: t.start,
                end: t.end,
                whitespace: t.whitespace,
                tag: a.tag,
                pos: a.pos,
                morph: a.morph,
                lemma: a.lemma,
                head,
                dep: a.dep,
                is_space: la.is_space != 0,
            })
            .collect();
        Doc {
            tokens,
            sents,
            ents,
        }
    }

    /// Entities only: the NER with its own tok2vec, skipping the tagger and
    /// parser (as `nlp.pipe(texts, disable=[all but "ner"])`). Without the
    /// parser there are no sentence boundaries to stop an entity, so a few
    /// entities can differ from [`Pipeline::analyze`]'s.
    pub fn entities(&self, text: &str) -> Vec<EntSpan> {
        self.entities_chunked(text, MAX_CHUNK_TOKENS)
    }

    /// [`Pipeline::entities`] with another chunk size limit (in tokens).
    pub fn entities_chunked(&self, text: &str, max_chunk_tokens: usize) -> Vec<EntSpan> {
        let max_chunk_tokens = max_chunk_tokens.max(2);
        let raw = self.tokenizer.tokenize(text);
        let attrs = self.lexicon.attrs_all(text, &raw);
        let mut ents = Vec::new();
        SCRATCH.with(|cell| {
            let s = &mut *cell.borrow_mut();
            for chunk in chunks(text, &raw, max_chunk_tokens) {
                s.is_space.clear();
                s.is_space
                    .extend(attrs[chunk.clone()].iter().map(|a| a.is_space != 0));
                s.sent_start.clear();
                self.entities_in(&attrs, chunk, s, &raw, &mut ents);
            }
        });
        ents
    }

    /// NER over the tokens `chunk` of the document, with `s.is_space` and
    /// `s.sent_start` set for the chunk.
    fn entities_in(
        &self,
        attrs: &[LexAttrs],
        chunk: Range<usize>,
        s: &mut Scratch,
        raw: &[RawToken],
        out: &mut Vec<EntSpan>,
    ) {
        let (off, m) = (chunk.start, chunk.len());
        if m == 0 {
            return;
        }
        let Some(t2v) = &self.ner.tok2vec else { return };
        t2v.forward_range(attrs, chunk, &mut s.t2v, &mut s.tokvecs);
        self.biluo
            .begin(&s.is_space, &s.sent_start, &mut s.ner_state);
        self.ner
            .parse(&self.biluo, &s.tokvecs, m, &mut s.parse, &mut s.ner_state);
        for e in &s.ner_state.ents {
            if e.start < 0 || e.end < 0 {
                continue;
            }
            let (a, b) = (off + e.start as usize, off + e.end as usize);
            out.push(EntSpan {
                start_token: a,
                end_token: b,
                start: raw[a].start,
                end: raw[b - 1].end,
                label: self.biluo.actions[e.label as usize].label.clone(),
            });
        }
    }

    /// The parse as spaCy leaves it on the Doc: arcs, ROOT for headless
    /// tokens, pseudo-projective arcs lifted back, sentence starts.
    fn tree(&self, st: &arc_eager::State, is_space: &[bool]) -> Tree {
        let n = st.heads.len();
        let mut tree = Tree {
            heads: Vec::with_capacity(n),
            deps: Vec::with_capacity(n),
            ..Tree::default()
        };
        for i in 0..n {
            let h = st.heads[i];
            if h < 0 || h as usize == i {
                tree.heads.push(i);
                tree.deps.push("ROOT".to_string());
            } else {
                tree.heads.push(h as usize);
                tree.deps
                    .push(self.arc_eager.actions[st.labels[i] as usize].label.clone());
            }
        }
        tree.set_children_from_heads();
        tree.deprojectivize(is_space);
        tree
    }
}

/// Token ranges for the neural components (see the module docs).
fn chunks(text: &str, tokens: &[RawToken], max: usize) -> Vec<Range<usize>> {
    let n = tokens.len();
    let mut out = Vec::new();
    let mut start = 0;
    while n - start > max {
        let limit = start + max;
        let floor = start + max / 2;
        let after = |pred: &dyn Fn(&str, &RawToken) -> bool| {
            (floor..limit)
                .rev()
                .find(|&i| pred(&text[tokens[i].start..tokens[i].end], &tokens[i]))
                .map(|i| i + 1)
        };
        let cut = after(&|s, _| s.trim().is_empty() && s.matches('\n').count() >= 2)
            .or_else(|| after(&|s, _| s.contains('\n') && s.trim().is_empty()))
            .or_else(|| after(&|s, t| matches!(s, "." | "!" | "?") && t.whitespace))
            .unwrap_or(limit);
        out.push(start..cut);
        start = cut;
    }
    if start < n || out.is_empty() {
        out.push(start..n);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn toks(text: &str) -> Vec<RawToken> {
        // Whitespace-separated words; runs of extra whitespace are tokens.
        let mut out = Vec::new();
        let mut i = 0;
        let b = text.as_bytes();
        while i < b.len() {
            let start = i;
            if b[i] == b'\n' {
                while i < b.len() && b[i] == b'\n' {
                    i += 1;
                }
                out.push(RawToken {
                    start,
                    end: i,
                    whitespace: false,
                    norm: None,
                });
                continue;
            }
            while i < b.len() && b[i] != b' ' && b[i] != b'\n' {
                i += 1;
            }
            let ws = i < b.len() && b[i] == b' ';
            out.push(RawToken {
                start,
                end: i,
                whitespace: ws,
                norm: None,
            });
            if ws {
                i += 1;
            }
        }
        out
    }

    #[test]
    fn short_docs_are_one_chunk() {
        let text = "a b c";
        assert_eq!(chunks(text, &toks(text), 10), vec![0..3]);
        assert_eq!(chunks("", &[], 10), vec![0..0]);
    }

    #[test]
    fn chunks_prefer_paragraph_breaks() {
        let text = "a b c . d\n\ne f g h i j k l";
        let t = toks(text);
        let c = chunks(text, &t, 8);
        assert_eq!(c[0], 0..6, "{c:?}");
        assert!(c.iter().all(|r| r.len() <= 8));
        assert_eq!(c.last().unwrap().end, t.len());
    }

    #[test]
    fn chunks_fall_back_to_sentence_ends_then_hard_cuts() {
        let text = "a b c d e . f g h i j k l m n o";
        let t = toks(text);
        let c = chunks(text, &t, 8);
        assert_eq!(c[0], 0..6);
        let text = "a b c d e f g h i j k l m n o p q";
        let t = toks(text);
        let c = chunks(text, &t, 8);
        assert_eq!(c[0], 0..8);
        let covered: usize = c.iter().map(|r| r.len()).sum();
        assert_eq!(covered, t.len());
    }

    #[test]
    fn pipeline_is_send_and_sync() {
        fn assert_send_sync<T: Send + Sync>() {}
        assert_send_sync::<Pipeline>();
    }
}
