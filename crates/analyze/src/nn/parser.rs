//! spaCy's `TransitionBasedParser.v2` with `use_upper = true`, decoded
//! greedily as `Parser.greedy_parse` does.
//!
//! Per document: token vectors → `Linear` (hidden width) → the
//! "precomputable affine": for every token and every state feature slot,
//! its contribution to the hidden layer (`nF × nO × nP` floats). A state
//! is then scored by summing the slots of its feature tokens (or the
//! learned padding vector for a missing token), adding the bias, taking
//! the maxout, and applying the output layer. The best valid action wins.

use super::ops::{argmax, Dense};
use super::thinc::{Node, ThincModel};
use super::tok2vec::Tok2Vec;
use super::Error;

/// A transition system the greedy decoder can drive.
pub trait System {
    type State: Default;
    /// Number of feature tokens per state.
    const N_FEATS: usize;
    fn n_actions(&self) -> usize;
    fn init(&self, n: usize, state: &mut Self::State);
    fn is_final(&self, state: &Self::State) -> bool;
    /// Feature token indices (-1 for none), `N_FEATS` of them.
    fn features(&self, state: &Self::State, ids: &mut [i32]);
    fn set_valid(&self, state: &Self::State, valid: &mut [bool]);
    fn apply(&self, state: &mut Self::State, action: usize);
    /// Ends the parse when no action is valid (spaCy's `force_final`).
    fn force_final(&self, state: &mut Self::State);
}

/// The weights of a parser or NER model.
#[derive(Debug, Clone)]
pub struct ParserModel {
    /// The model's own tok2vec (NER), or None when it listens to the shared one.
    pub tok2vec: Option<Tok2Vec>,
    /// tok2vec width → hidden width, with bias.
    proj: Dense,
    /// hidden width → nF·nO·nP, no bias.
    lower: Dense,
    lower_bias: Vec<f32>,
    /// The "missing token" vectors, nF·nO·nP.
    pad: Vec<f32>,
    upper: Dense,
    n_feats: usize,
    n_hidden: usize,
    n_pieces: usize,
    n_classes: usize,
}

/// Reusable buffers for decoding.
#[derive(Debug, Default)]
pub struct Scratch {
    proj: Vec<f32>,
    feats: Vec<f32>,
    unmaxed: Vec<f32>,
    hidden: Vec<f32>,
    scores: Vec<f32>,
    valid: Vec<bool>,
    ids: Vec<i32>,
}

impl ParserModel {
    pub fn from_model(model: &ThincModel) -> Result<ParserModel, Error> {
        let root = model
            .nodes
            .first()
            .filter(|n| n.name == "parser_model")
            .ok_or_else(|| model.format_error("not a parser model (no parser_model root)"))?;
        let node_at = |name: &str| -> Result<&Node, Error> {
            root.reference(name)
                .and_then(|i| model.nodes.get(i))
                .ok_or_else(|| model.format_error(format!("parser_model has no {name} layer")))
        };
        let lower = node_at("lower")?;
        let upper = node_at("upper")?;
        let get = |node: &Node, name: &str| {
            node.param(name).cloned().ok_or_else(|| {
                model.format_error(format!(
                    "{} node {} has no param {name}",
                    node.name, node.index
                ))
            })
        };
        // The tok2vec chain ends in a Linear from the token vectors to the
        // hidden width; it is the only `linear` node besides `upper`.
        let proj = model
            .named("linear")
            .find(|n| n.index != upper.index)
            .ok_or_else(|| model.format_error("no tok2vec projection layer"))?;
        let pw = get(proj, "W")?;
        let pb = get(proj, "b")?;
        if pw.shape.len() != 2 || pb.data.len() != pw.shape[0] {
            return Err(model.format_error(format!("projection W {:?}", pw.shape)));
        }
        let (n_hidden_in, t2v_width) = (pw.shape[0], pw.shape[1]);

        let w = get(lower, "W")?;
        let b = get(lower, "b")?;
        let pad = get(lower, "pad")?;
        if w.shape.len() != 4 || w.shape[3] != n_hidden_in {
            return Err(model.format_error(format!("lower W {:?}", w.shape)));
        }
        let (n_feats, n_hidden, n_pieces) = (w.shape[0], w.shape[1], w.shape[2]);
        let slot = n_hidden * n_pieces;
        if b.data.len() != slot || pad.data.len() != n_feats * slot {
            return Err(model.format_error("lower bias/pad sizes"));
        }
        let uw = get(upper, "W")?;
        let ub = get(upper, "b")?;
        if uw.shape.len() != 2 || uw.shape[1] != n_hidden || ub.data.len() != uw.shape[0] {
            return Err(model.format_error(format!("upper W {:?}", uw.shape)));
        }
        let n_classes = uw.shape[0];
        let tok2vec = if model.named("hashembed").next().is_some() {
            let t = Tok2Vec::from_model(model)?;
            if t.width() != t2v_width {
                return Err(model.format_error("own tok2vec width does not match its projection"));
            }
            Some(t)
        } else {
            None
        };
        Ok(ParserModel {
            tok2vec,
            proj: Dense::new(&pw.data, n_hidden_in, t2v_width, Some(&pb.data)),
            lower: Dense::new(&w.data, n_feats * slot, n_hidden_in, None),
            lower_bias: b.data,
            pad: pad.data,
            upper: Dense::new(&uw.data, n_classes, n_hidden, Some(&ub.data)),
            n_feats,
            n_hidden,
            n_pieces,
            n_classes,
        })
    }

    pub fn n_classes(&self) -> usize {
        self.n_classes
    }

    pub fn n_feats(&self) -> usize {
        self.n_feats
    }

    /// The width of the token vectors this model reads.
    pub fn input_width(&self) -> usize {
        self.proj.n_in
    }

    /// Greedy decoding of one document from its token vectors
    /// (`n × input_width`). Leaves the final state in `state`.
    pub fn parse<S: System>(
        &self,
        sys: &S,
        tokvecs: &[f32],
        n: usize,
        s: &mut Scratch,
        state: &mut S::State,
    ) {
        debug_assert_eq!(S::N_FEATS, self.n_feats);
        debug_assert_eq!(sys.n_actions(), self.n_classes);
        sys.init(n, state);
        if n == 0 {
            return;
        }
        // Per-token feature contributions.
        s.proj.resize(n * self.proj.n_pad, 0.0);
        self.proj.forward(tokvecs, self.proj.n_in, n, &mut s.proj);
        s.feats.resize(n * self.lower.n_pad, 0.0);
        self.lower
            .forward(&s.proj, self.proj.n_pad, n, &mut s.feats);

        let slot = self.n_hidden * self.n_pieces;
        let stride = self.lower.n_pad;
        s.unmaxed.resize(slot, 0.0);
        s.hidden.resize(self.n_hidden, 0.0);
        s.scores.resize(self.upper.n_pad, 0.0);
        s.valid.resize(self.n_classes, false);
        s.ids.resize(self.n_feats, -1);
        while !sys.is_final(state) {
            sys.features(state, &mut s.ids);
            s.unmaxed.iter_mut().for_each(|v| *v = 0.0);
            for (f, &id) in s.ids.iter().enumerate() {
                let src = if id < 0 {
                    &self.pad[f * slot..(f + 1) * slot]
                } else {
                    let base = id as usize * stride + f * slot;
                    &s.feats[base..base + slot]
                };
                for (u, &v) in s.unmaxed.iter_mut().zip(src) {
                    *u += v;
                }
            }
            for (u, &b) in s.unmaxed.iter_mut().zip(&self.lower_bias) {
                *u += b;
            }
            for (h, pieces) in s
                .hidden
                .iter_mut()
                .zip(s.unmaxed.chunks_exact(self.n_pieces))
            {
                *h = pieces[argmax(pieces)];
            }
            self.upper.forward_row(&s.hidden, &mut s.scores);
            sys.set_valid(state, &mut s.valid);
            let mut best: Option<usize> = None;
            for (i, (&v, &score)) in s.valid.iter().zip(&s.scores).enumerate() {
                if !v {
                    continue;
                }
                match best {
                    Some(b) if score <= s.scores[b] => {}
                    _ => best = Some(i),
                }
            }
            match best {
                Some(a) => sys.apply(state, a),
                None => sys.force_final(state),
            }
        }
    }
}
