//! spaCy's `Tok2Vec.v2` = `MultiHashEmbed.v2` + `MaxoutWindowEncoder.v2`.
//!
//! Embedding: each lexical attribute id is hashed four ways
//! (MurmurHash3 with the table's seed), the four rows of its table are
//! summed, the tables' outputs are concatenated and mixed by a Maxout layer
//! with LayerNorm. Encoding: `depth` residual blocks of
//! `expand_window → Maxout → LayerNorm`. thinc runs the encoder over the
//! docs of a batch concatenated with `pad` zero rows before and after each
//! doc (`with_array(pad=receptive field)`); the zero rows are transformed
//! by every layer too, so they are part of the computation. Because `pad`
//! equals the receptive field, a doc's result does not depend on its batch
//! neighbours, and we compute each doc on its own with the same zero rows.

use crate::lexeme::LexAttrs;

use super::ops::{hash_u64, Dense, LayerNorm};
use super::thinc::{Node, ThincModel};
use super::Error;

/// A lexical attribute column of `doc.to_array`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Attr {
    Norm,
    Prefix,
    Suffix,
    Shape,
    Spacy,
    IsSpace,
}

impl Attr {
    fn parse(name: &str) -> Option<Attr> {
        Some(match name {
            "NORM" => Attr::Norm,
            "PREFIX" => Attr::Prefix,
            "SUFFIX" => Attr::Suffix,
            "SHAPE" => Attr::Shape,
            "SPACY" => Attr::Spacy,
            "IS_SPACE" => Attr::IsSpace,
            _ => return None,
        })
    }

    fn get(self, a: &LexAttrs) -> u64 {
        match self {
            Attr::Norm => a.norm,
            Attr::Prefix => a.prefix,
            Attr::Suffix => a.suffix,
            Attr::Shape => a.shape,
            Attr::Spacy => a.spacy,
            Attr::IsSpace => a.is_space,
        }
    }
}

#[derive(Debug, Clone)]
struct HashEmbed {
    attr: Attr,
    seed: u32,
    rows: u32,
    table: Vec<f32>,
}

/// Maxout with LayerNorm: `nO` outputs of `nP` pieces each.
#[derive(Debug, Clone)]
struct MaxoutLn {
    dense: Dense,
    n_out: usize,
    pieces: usize,
    norm: LayerNorm,
}

impl MaxoutLn {
    fn from_nodes(model: &ThincModel, maxout: &Node, ln: &Node) -> Result<MaxoutLn, Error> {
        let w = param(model, maxout, "W")?;
        let b = param(model, maxout, "b")?;
        if w.shape.len() != 3 || b.shape != w.shape[..2] {
            return Err(model.format_error(format!(
                "maxout node {}: W {:?} / b {:?} are not (nO, nP, nI) / (nO, nP)",
                maxout.index, w.shape, b.shape
            )));
        }
        let (n_out, pieces, n_in) = (w.shape[0], w.shape[1], w.shape[2]);
        let g = param(model, ln, "G")?;
        let lb = param(model, ln, "b")?;
        if g.data.len() != n_out || lb.data.len() != n_out {
            return Err(model.format_error(format!(
                "layernorm node {} has width {}, maxout has {n_out}",
                ln.index,
                g.data.len()
            )));
        }
        Ok(MaxoutLn {
            dense: Dense::new(&w.data, n_out * pieces, n_in, Some(&b.data)),
            n_out,
            pieces,
            norm: LayerNorm {
                g: g.data.clone(),
                b: lb.data.clone(),
            },
        })
    }

    /// `rows` rows of `x` (stride `ldx`) → `out` (stride `n_out`).
    fn forward(&self, x: &[f32], ldx: usize, rows: usize, pre: &mut Vec<f32>, out: &mut [f32]) {
        let stride = self.dense.n_pad;
        if pre.len() < rows * stride {
            pre.resize(rows * stride, 0.0);
        }
        self.dense.forward(x, ldx, rows, pre);
        let mut tmp = [0.0f32; 1024];
        for r in 0..rows {
            let src = &pre[r * stride..r * stride + self.n_out * self.pieces];
            let dst = &mut out[r * self.n_out..(r + 1) * self.n_out];
            for (d, p) in dst.iter_mut().zip(src.chunks_exact(self.pieces)) {
                let mut best = p[0];
                for &v in &p[1..] {
                    if v > best {
                        best = v;
                    }
                }
                *d = best;
            }
            self.norm.apply(dst, &mut tmp[..self.n_out]);
        }
    }
}

/// Reusable buffers for [`Tok2Vec::forward`].
#[derive(Debug, Default)]
pub struct Scratch {
    concat: Vec<f32>,
    pre: Vec<f32>,
    a: Vec<f32>,
    b: Vec<f32>,
}

#[derive(Debug, Clone)]
pub struct Tok2Vec {
    embeds: Vec<HashEmbed>,
    width: usize,
    mix: MaxoutLn,
    layers: Vec<MaxoutLn>,
    window: usize,
    pad: usize,
}

impl Tok2Vec {
    /// Builds the tok2vec from the nodes of a model file that contains one
    /// (the `tok2vec` component, or a parser/NER with its own tok2vec).
    pub fn from_model(model: &ThincModel) -> Result<Tok2Vec, Error> {
        let columns: Vec<Attr> = match model.named("extract_features").next() {
            Some(n) => match n.attr("columns") {
                Some(rmpv::Value::Array(cols)) => cols
                    .iter()
                    .map(|c| {
                        c.as_str().and_then(Attr::parse).ok_or_else(|| {
                            model.format_error(format!("unsupported feature column {c}"))
                        })
                    })
                    .collect::<Result<_, _>>()?,
                _ => return Err(model.format_error("extract_features without columns")),
            },
            None => return Err(model.format_error("no extract_features layer (no tok2vec)")),
        };
        let mut embeds = Vec::new();
        for node in model.named("hashembed") {
            let column = attr_u64(model, node, "column")? as usize;
            let seed = attr_u64(model, node, "seed")? as u32;
            let e = param(model, node, "E")?;
            let attr = *columns.get(column).ok_or_else(|| {
                model.format_error(format!("hashembed column {column} out of range"))
            })?;
            if e.shape.len() != 2 || e.shape[0] == 0 {
                return Err(model.format_error(format!("hashembed table shape {:?}", e.shape)));
            }
            embeds.push((
                column,
                HashEmbed {
                    attr,
                    seed,
                    rows: e.shape[0] as u32,
                    table: e.data.clone(),
                },
                e.shape[1],
            ));
        }
        embeds.sort_by_key(|(c, _, _)| *c);
        if embeds.len() != columns.len() {
            return Err(model.format_error(format!(
                "{} hash embeddings for {} feature columns",
                embeds.len(),
                columns.len()
            )));
        }
        let width = embeds[0].2;
        if embeds.iter().any(|(_, _, w)| *w != width) {
            return Err(model.format_error("hash embeddings of different widths"));
        }
        let embeds: Vec<HashEmbed> = embeds.into_iter().map(|(_, e, _)| e).collect();

        let maxouts: Vec<&Node> = model.named("maxout").collect();
        let norms: Vec<&Node> = model.named("layernorm").collect();
        if maxouts.len() < 2 || maxouts.len() != norms.len() {
            return Err(model.format_error(format!(
                "{} maxout and {} layernorm layers",
                maxouts.len(),
                norms.len()
            )));
        }
        let mix = MaxoutLn::from_nodes(model, maxouts[0], norms[0])?;
        if mix.dense.n_in != width * embeds.len() || mix.n_out != width {
            return Err(model.format_error("embedding mixer has unexpected dimensions"));
        }
        let window = match model.named("expand_window").next() {
            Some(n) => attr_u64(model, n, "window_size")? as usize,
            None => return Err(model.format_error("no expand_window layer")),
        };
        let mut layers = Vec::new();
        for (m, l) in maxouts[1..].iter().zip(&norms[1..]) {
            let layer = MaxoutLn::from_nodes(model, m, l)?;
            if layer.dense.n_in != width * (2 * window + 1) || layer.n_out != width {
                return Err(model.format_error("encoder layer has unexpected dimensions"));
            }
            layers.push(layer);
        }
        let pad = model
            .nodes
            .iter()
            .find(|n| n.name.starts_with("with_array(residual("))
            .and_then(|n| n.attr("pad"))
            .and_then(|v| v.as_u64())
            .ok_or_else(|| model.format_error("no padded encoder (with_array pad)"))?
            as usize;
        if pad < window * layers.len() {
            // Docs would then see their batch neighbours: not reproducible per doc.
            return Err(model.format_error(format!(
                "encoder pad {pad} is below its receptive field {}",
                window * layers.len()
            )));
        }
        Ok(Tok2Vec {
            embeds,
            width,
            mix,
            layers,
            window,
            pad,
        })
    }

    pub fn width(&self) -> usize {
        self.width
    }

    /// How many tokens on each side a token's vector depends on.
    pub fn receptive_field(&self) -> usize {
        self.window * self.layers.len()
    }

    /// The vectors of tokens `range` of a longer sequence, computed with
    /// the context they have in the whole sequence: the same values as
    /// `forward(attrs)` gives for those rows, at the cost of the range plus
    /// the receptive field on each side.
    pub fn forward_range(
        &self,
        attrs: &[LexAttrs],
        range: std::ops::Range<usize>,
        s: &mut Scratch,
        out: &mut Vec<f32>,
    ) {
        let ctx = self.receptive_field();
        let lo = range.start.saturating_sub(ctx);
        let hi = (range.end + ctx).min(attrs.len());
        self.forward(&attrs[lo..hi], s, out);
        let w = self.width;
        out.truncate((range.end - lo) * w);
        out.drain(..(range.start - lo) * w);
    }

    /// Token vectors (`attrs.len() × width`, row-major) into `out`.
    pub fn forward(&self, attrs: &[LexAttrs], s: &mut Scratch, out: &mut Vec<f32>) {
        let n = attrs.len();
        let w = self.width;
        out.clear();
        if n == 0 {
            return;
        }
        // Embeddings, concatenated per token.
        let cw = w * self.embeds.len();
        s.concat.clear();
        s.concat.resize(n * cw, 0.0);
        for (t, a) in attrs.iter().enumerate() {
            let row = &mut s.concat[t * cw..(t + 1) * cw];
            for (e, dst) in self.embeds.iter().zip(row.chunks_exact_mut(w)) {
                for key in hash_u64(e.attr.get(a), e.seed) {
                    let r = (key % e.rows) as usize;
                    for (d, &v) in dst.iter_mut().zip(&e.table[r * w..(r + 1) * w]) {
                        *d += v;
                    }
                }
            }
        }
        // The encoder's input: the mixed embeddings between `pad` zero rows.
        let total = n + 2 * self.pad;
        s.a.clear();
        s.a.resize(total * w, 0.0);
        let (pad, win) = (self.pad, self.window);
        self.mix.forward(
            &s.concat,
            cw,
            n,
            &mut s.pre,
            &mut s.a[pad * w..(pad + n) * w],
        );
        s.b.clear();
        s.b.resize(total * w, 0.0);
        // Layer l only needs rows [l·win, total − l·win): the rest cannot
        // reach the doc's rows any more.
        let mut in_a = true;
        for (l, layer) in self.layers.iter().enumerate() {
            let lo = (l + 1) * win;
            let hi = total - (l + 1) * win;
            let (src, dst) = if in_a {
                (&s.a, &mut s.b)
            } else {
                (&s.b, &mut s.a)
            };
            in_a = !in_a;
            let rows = hi - lo;
            // Row r's window is the contiguous run of rows r−win ..= r+win.
            let x = &src[(lo - win) * w..];
            layer.forward(x, w, rows, &mut s.pre, &mut dst[lo * w..hi * w]);
            for r in lo..hi {
                for (d, &v) in dst[r * w..(r + 1) * w]
                    .iter_mut()
                    .zip(&src[r * w..(r + 1) * w])
                {
                    *d += v;
                }
            }
        }
        let fin = if in_a { &s.a } else { &s.b };
        out.extend_from_slice(&fin[pad * w..(pad + n) * w]);
    }
}

fn param<'a>(
    model: &ThincModel,
    node: &'a Node,
    name: &str,
) -> Result<&'a super::thinc::Array, Error> {
    node.param(name).ok_or_else(|| {
        model.format_error(format!(
            "{} node {} has no param {name}",
            node.name, node.index
        ))
    })
}

fn attr_u64(model: &ThincModel, node: &Node, name: &str) -> Result<u64, Error> {
    node.attr(name).and_then(|v| v.as_u64()).ok_or_else(|| {
        model.format_error(format!(
            "{} node {} has no integer attr {name}",
            node.name, node.index
        ))
    })
}
