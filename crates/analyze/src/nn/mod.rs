//! The neural side of the pipeline: thinc weights and spaCy's inference
//! (tok2vec, tagger, transition-based parser and NER).
//!
//! The weights are read from the model's own msgpack files at load time
//! ([`thinc`]); nothing is converted. The arithmetic follows thinc's
//! `NumpyOps` with the BLIS build spaCy installs, operation by operation
//! ([`ops`]), so token vectors, tag scores and transition scores are the
//! same float32 values Python computes, and greedy decoding
//! ([`parser`], [`arc_eager`], [`biluo`], [`tree`]) makes the same choices.
//! The one known exception is LayerNorm's `x ** -0.5` on machines where
//! numpy uses Intel SVML (AVX-512), which can differ in the last bit; on
//! the evaluation texts that never changed an output.

pub mod arc_eager;
pub mod biluo;
pub mod moves;
pub mod ops;
pub mod parser;
pub mod thinc;
pub mod tok2vec;
pub mod tree;

use std::path::{Path, PathBuf};

use ops::{argmax, Dense};
use thinc::ThincModel;

/// Errors reading model weights and configuration.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error("cannot read {path}: {source}")]
    Io {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("{path}: {what}")]
    Format { path: PathBuf, what: String },
}

/// The tagger: a linear layer over the shared token vectors; the tag is the
/// arg-max of the (unnormalised) scores, as `Tagger.predict`.
#[derive(Debug, Clone)]
pub struct Tagger {
    dense: Dense,
    pub labels: Vec<String>,
}

impl Tagger {
    /// Loads `tagger/model` and the label list from `tagger/cfg`.
    pub fn load(dir: &Path) -> Result<Tagger, Error> {
        let model = ThincModel::load(&dir.join("model"))?;
        let cfg_path = dir.join("cfg");
        let cfg = std::fs::read_to_string(&cfg_path).map_err(|source| Error::Io {
            path: cfg_path.clone(),
            source,
        })?;
        let cfg: serde_json::Value = serde_json::from_str(&cfg).map_err(|e| Error::Format {
            path: cfg_path.clone(),
            what: format!("not JSON: {e}"),
        })?;
        let labels: Vec<String> = cfg
            .get("labels")
            .and_then(|l| l.as_array())
            .map(|l| {
                l.iter()
                    .filter_map(|s| s.as_str().map(String::from))
                    .collect()
            })
            .ok_or_else(|| Error::Format {
                path: cfg_path.clone(),
                what: "no label list".into(),
            })?;
        let out = model
            .named("softmax")
            .next()
            .ok_or_else(|| model.format_error("no softmax output layer"))?;
        let (w, b) = match (out.param("W"), out.param("b")) {
            (Some(w), Some(b)) if w.shape.len() == 2 && b.data.len() == w.shape[0] => (w, b),
            _ => return Err(model.format_error("softmax layer without W/b")),
        };
        if w.shape[0] != labels.len() {
            return Err(model.format_error(format!(
                "{} outputs for {} labels in {}",
                w.shape[0],
                labels.len(),
                cfg_path.display()
            )));
        }
        Ok(Tagger {
            dense: Dense::new(&w.data, w.shape[0], w.shape[1], Some(&b.data)),
            labels,
        })
    }

    pub fn input_width(&self) -> usize {
        self.dense.n_in
    }

    /// Tag indices for `n` token vectors.
    pub fn predict(&self, tokvecs: &[f32], n: usize, scores: &mut Vec<f32>, out: &mut Vec<usize>) {
        out.clear();
        if n == 0 {
            return;
        }
        scores.resize(n * self.dense.n_pad, 0.0);
        self.dense.forward(tokvecs, self.dense.n_in, n, scores);
        let k = self.labels.len();
        out.extend(
            scores
                .chunks_exact(self.dense.n_pad)
                .take(n)
                .map(|row| argmax(&row[..k])),
        );
    }
}
