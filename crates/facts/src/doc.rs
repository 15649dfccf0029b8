//! The parse this crate reads is the pipeline's one parse type,
//! [`dossier_core::parse::Doc`] (tokens with tags, lemmas and dependency
//! heads; sentences; entities), borrowed, with byte offsets into the text.
//!
//! [`Ctx`] wraps a parse with the indexes every extractor needs: children
//! lists, the entity and sentence of each token, subtree bounds.

use serde::{Deserialize, Serialize};
use std::ops::Range;

pub use dossier_core::parse::{Doc as ParsedDoc, EntSpan, Token};

/// A time expression already found and normalised (by `dossier-time`), in
/// byte offsets.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TimeMention {
    pub start: usize,
    pub end: usize,
    pub text: String,
    /// TimeML type: `DATE`, `TIME`, `DURATION` or `SET`.
    pub kind: dossier_core::TimeType,
    /// TimeML value (`2020-08-07`, `2020-08`, `P2Y`, ...), `None` when it
    /// could not be grounded.
    pub value: Option<String>,
}

/// Indexes over one parse, built once per document.
pub(crate) struct Ctx<'a> {
    pub text: &'a str,
    pub toks: &'a [Token],
    pub ents: &'a [EntSpan],
    pub sents: Vec<Range<usize>>,
    pub children: Vec<Vec<usize>>,
    pub ent_of: Vec<Option<usize>>,
    pub sent_of: Vec<usize>,
    /// Subtree bounds (token range, end exclusive), projective or not.
    pub sub_lo: Vec<usize>,
    pub sub_hi: Vec<usize>,
    /// Time expressions and the token range each covers.
    pub times: Vec<(TimeMention, Range<usize>)>,
    pub time_of: Vec<Option<usize>>,
    /// Paragraph (stretch between line breaks) of each token.
    pub para_of: Vec<usize>,
}

/// Whether a text is wrapped at a fixed width, as newswire copy is: most of
/// its lines are of similar, medium length and do not end a sentence. Its
/// single line breaks are then not paragraph breaks.
pub(crate) fn hard_wrapped(text: &str) -> bool {
    let (mut lines, mut medium, mut ends) = (0usize, 0usize, 0usize);
    for l in text.lines().map(str::trim).filter(|l| !l.is_empty()) {
        lines += 1;
        if (45..=85).contains(&l.chars().count()) {
            medium += 1;
        }
        if l.ends_with(['.', '"', '”']) {
            ends += 1;
        }
    }
    lines >= 3 && medium * 10 >= lines * 6 && ends * 2 < lines
}

/// Whether the white space between two tokens breaks a paragraph: any line
/// break, or in wrapped text a blank line or an indented new line.
fn paragraph_break(space: &str, wrapped: bool) -> bool {
    if !wrapped {
        return space.contains('\n');
    }
    space.contains("\n\n")
        || space
            .split_once('\n')
            .is_some_and(|(_, after)| after.starts_with([' ', '\t']))
}

impl<'a> Ctx<'a> {
    pub fn new(text: &'a str, doc: &'a ParsedDoc, times: &[TimeMention]) -> Ctx<'a> {
        let toks = &doc.tokens[..];
        let n = toks.len();
        // Heads out of range would make every walk below unsafe; treat such a
        // token as a root instead.
        let head = |i: usize| -> usize {
            let h = toks[i].head;
            if h < n {
                h
            } else {
                i
            }
        };
        let mut children = vec![Vec::new(); n];
        for i in 0..n {
            let h = head(i);
            if h != i {
                children[h].push(i);
            }
        }
        let mut ent_of = vec![None; n];
        for (k, e) in doc.ents.iter().enumerate() {
            for slot in ent_of
                .iter_mut()
                .take(e.end_token.min(n))
                .skip(e.start_token)
            {
                *slot = Some(k);
            }
        }
        let mut sents: Vec<Range<usize>> = doc
            .sents
            .iter()
            .filter(|r| r.start < r.end && r.end <= n)
            .cloned()
            .collect();
        if sents.is_empty() && n > 0 {
            sents.push(0..n);
        }
        let mut sent_of = vec![0; n];
        for (k, r) in sents.iter().enumerate() {
            for slot in sent_of.iter_mut().take(r.end).skip(r.start) {
                *slot = k;
            }
        }
        let mut sub_lo: Vec<usize> = (0..n).collect();
        let mut sub_hi: Vec<usize> = (1..=n).collect();
        // Propagate bounds up each head chain; depth-limited against cycles.
        for i in 0..n {
            let mut cur = i;
            let mut steps = 0;
            while head(cur) != cur && steps < n {
                let h = head(cur);
                sub_lo[h] = sub_lo[h].min(i);
                sub_hi[h] = sub_hi[h].max(i + 1);
                cur = h;
                steps += 1;
            }
        }
        let mut tm = Vec::new();
        let mut time_of = vec![None; n];
        for t in times {
            // Tokens are in text order: binary searches, not scans, so a
            // long document with many dates stays linear.
            let first = Some(toks.partition_point(|k| k.end <= t.start)).filter(|&i| i < n);
            let last = toks.partition_point(|k| k.start < t.end).checked_sub(1);
            if let (Some(a), Some(b)) = (first, last) {
                if a <= b {
                    for slot in time_of.iter_mut().take(b + 1).skip(a) {
                        if slot.is_none() {
                            *slot = Some(tm.len());
                        }
                    }
                    tm.push((t.clone(), a..b + 1));
                }
            }
        }
        let mut para_of = vec![0; n];
        let mut para = 0;
        let wrapped = hard_wrapped(text);
        for i in 0..n {
            if i > 0 {
                let gap = text.get(toks[i - 1].end..toks[i].start).unwrap_or("");
                let space = if toks[i - 1].text.trim().is_empty() {
                    toks[i - 1].text.as_str()
                } else {
                    ""
                };
                if paragraph_break(space, wrapped) || paragraph_break(gap, wrapped) {
                    para += 1;
                }
            }
            para_of[i] = para;
        }
        Ctx {
            text,
            toks,
            para_of,
            ents: &doc.ents,
            sents,
            children,
            ent_of,
            sent_of,
            sub_lo,
            sub_hi,
            times: tm,
            time_of,
        }
    }

    pub fn len(&self) -> usize {
        self.toks.len()
    }

    pub fn head(&self, i: usize) -> usize {
        let h = self.toks[i].head;
        if h < self.toks.len() {
            h
        } else {
            i
        }
    }

    pub fn dep(&self, i: usize) -> &str {
        &self.toks[i].dep
    }

    pub fn lemma(&self, i: usize) -> String {
        self.toks[i].lemma.to_lowercase()
    }

    pub fn lower(&self, i: usize) -> String {
        self.toks[i].text.to_lowercase()
    }

    pub fn tag(&self, i: usize) -> &str {
        &self.toks[i].tag
    }

    pub fn pos(&self, i: usize) -> &str {
        &self.toks[i].pos
    }

    pub fn is_verb(&self, i: usize) -> bool {
        self.tag(i).starts_with("VB")
    }

    pub fn is_noun(&self, i: usize) -> bool {
        self.tag(i).starts_with("NN")
    }

    /// Children with one of the given labels, in order.
    pub fn kids<'s>(&'s self, i: usize, deps: &'s [&str]) -> impl Iterator<Item = usize> + 's {
        self.children[i]
            .iter()
            .copied()
            .filter(move |&c| deps.contains(&self.dep(c)))
    }

    pub fn kid(&self, i: usize, deps: &[&str]) -> Option<usize> {
        self.kids(i, deps).next()
    }

    pub fn has_kid_lemma(&self, i: usize, deps: &[&str], lemmas: &[&str]) -> bool {
        self.kids(i, deps)
            .any(|c| lemmas.contains(&self.lemma(c).as_str()))
    }

    /// Whether `a` is `b` or one of its descendants.
    pub fn dominates(&self, b: usize, a: usize) -> bool {
        let mut cur = a;
        for _ in 0..=self.len() {
            if cur == b {
                return true;
            }
            let h = self.head(cur);
            if h == cur {
                return false;
            }
            cur = h;
        }
        false
    }

    /// Token range of the subtree of `i`.
    pub fn subtree(&self, i: usize) -> Range<usize> {
        self.sub_lo[i]..self.sub_hi[i]
    }

    /// The subtree of `i` without the subtrees of children whose label is in
    /// `cut`, kept contiguous around `i`.
    pub fn subtree_without(&self, i: usize, cut: &[&str]) -> Range<usize> {
        let mut lo = self.sub_lo[i];
        let mut hi = self.sub_hi[i];
        for &c in &self.children[i] {
            if !cut.contains(&self.dep(c)) {
                continue;
            }
            let r = self.subtree(c);
            if r.start > i {
                hi = hi.min(r.start);
            } else if r.end <= i {
                lo = lo.max(r.end);
            }
        }
        self.trim(lo..hi.max(lo))
    }

    /// The part of a range in the paragraph of token `keep`: a phrase never
    /// runs across a line break (headlines, datelines).
    pub fn clip(&self, r: Range<usize>, keep: usize) -> Range<usize> {
        if keep >= self.len() {
            return r;
        }
        let p = self.para_of[keep];
        let mut lo = r.start;
        let mut hi = r.end.min(self.len());
        while lo < hi && self.para_of[lo] != p {
            lo += 1;
        }
        while hi > lo && self.para_of[hi - 1] != p {
            hi -= 1;
        }
        lo..hi
    }

    /// Drops punctuation (and the conjunctions of a cut list) at both ends.
    pub fn trim(&self, r: Range<usize>) -> Range<usize> {
        let mut lo = r.start;
        let mut hi = r.end;
        while lo < hi && self.is_edge_junk(lo) {
            lo += 1;
        }
        while hi > lo && self.is_edge_junk(hi - 1) {
            hi -= 1;
        }
        lo..hi
    }

    fn is_edge_junk(&self, i: usize) -> bool {
        let t = self.tag(i);
        matches!(
            t,
            "," | "." | ":" | "HYPH" | "NFP" | "-LRB-" | "-RRB-" | "``" | "''"
        ) || self.dep(i) == "cc" && (self.sub_hi[i] - self.sub_lo[i]) == 1
            || self.toks[i].text.trim().is_empty()
    }

    /// Byte range of a token range.
    pub fn bytes(&self, r: &Range<usize>) -> Range<usize> {
        if r.start >= r.end || r.end > self.len() {
            return 0..0;
        }
        self.toks[r.start].start..self.toks[r.end - 1].end
    }

    /// The entity a token belongs to.
    pub fn ent(&self, i: usize) -> Option<&'a EntSpan> {
        self.ent_of[i].map(|k| &self.ents[k])
    }

    pub fn ent_label(&self, i: usize) -> Option<&'a str> {
        self.ent(i).map(|e| e.label.as_str())
    }

    pub fn ent_range(&self, i: usize) -> Option<Range<usize>> {
        self.ent(i).map(|e| e.start_token..e.end_token)
    }

    /// The syntactic head inside an entity: the token whose head lies
    /// outside it.
    pub fn ent_head(&self, e: &EntSpan) -> usize {
        let r = e.start_token..e.end_token;
        for i in r.clone() {
            let h = self.head(i);
            if !r.contains(&h) || h == i {
                return i;
            }
        }
        e.end_token.saturating_sub(1)
    }

    pub fn sent(&self, i: usize) -> Range<usize> {
        self.sents.get(self.sent_of[i]).cloned().unwrap_or(i..i + 1)
    }

    /// A noun's own phrase: its subtree without relative clauses, clausal
    /// modifiers and appositions (what a mention of it spans).
    pub fn np(&self, i: usize) -> Range<usize> {
        let r = self.subtree_without(i, &["relcl", "acl", "appos", "cc", "conj", "advcl", "case"]);
        self.trim(self.clip(r, i))
    }

    /// A narrower phrase: the noun with its determiners, possessors,
    /// compounds and adjectives only.
    pub fn np_core(&self, i: usize) -> Range<usize> {
        let mut lo = i;
        for &c in &self.children[i] {
            if c < i
                && matches!(
                    self.dep(c),
                    "det"
                        | "poss"
                        | "compound"
                        | "amod"
                        | "nummod"
                        | "nmod"
                        | "quantmod"
                        | "punct"
                        | "predet"
                        | "advmod"
                )
            {
                lo = lo.min(self.sub_lo[c]);
            }
        }
        let mut hi = i + 1;
        // An entity the head belongs to stays whole.
        if let Some(r) = self.ent_range(i) {
            lo = lo.min(r.start);
            hi = hi.max(r.end);
        }
        self.trim(self.clip(lo..hi, i))
    }

    /// Children of `i` plus, for a conjunct, those of the first conjunct with
    /// the given labels (shared subjects: "X arrived and was arrested").
    pub fn kid_or_shared(&self, i: usize, deps: &[&str]) -> Option<usize> {
        if let Some(k) = self.kid(i, deps) {
            return Some(k);
        }
        if self.dep(i) == "conj" {
            let h = self.head(i);
            if h != i {
                return self.kid(h, deps);
            }
        }
        None
    }

    /// The conjuncts of `i` (`i` first): "X and Y".
    pub fn conjuncts(&self, i: usize) -> Vec<usize> {
        let mut out = vec![i];
        let mut k = 0;
        while k < out.len() && out.len() < 32 {
            let cur = out[k];
            for c in self.kids(cur, &["conj"]) {
                if !out.contains(&c) {
                    out.push(c);
                }
            }
            k += 1;
        }
        out
    }

    /// The time expression covering a token.
    pub fn time(&self, i: usize) -> Option<&(TimeMention, Range<usize>)> {
        self.time_of[i].map(|k| &self.times[k])
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tok(text: &str, start: usize, head: usize, dep: &str, tag: &str) -> Token {
        Token {
            text: text.into(),
            start,
            end: start + text.len(),
            whitespace: true,
            tag: tag.into(),
            lemma: text.to_lowercase(),
            head,
            dep: dep.into(),
            ..Token::default()
        }
    }

    #[test]
    fn subtrees_and_trim() {
        // "Ann , the doctor , left ."
        let text = "Ann , the doctor , left .";
        let toks = vec![
            tok("Ann", 0, 5, "nsubj", "NNP"),
            tok(",", 4, 0, "punct", ","),
            tok("the", 6, 3, "det", "DT"),
            tok("doctor", 10, 0, "appos", "NN"),
            tok(",", 17, 0, "punct", ","),
            tok("left", 19, 5, "ROOT", "VBD"),
            tok(".", 24, 5, "punct", "."),
        ];
        let doc = ParsedDoc {
            tokens: toks,
            sents: vec![Range { start: 0, end: 7 }],
            ents: vec![],
        };
        let c = Ctx::new(text, &doc, &[]);
        assert_eq!(c.subtree(0), 0..5);
        assert_eq!(c.np(0), 0..1);
        assert_eq!(c.bytes(&c.subtree(3)), 6..16);
        assert!(c.dominates(5, 2));
        assert!(!c.dominates(3, 0));
        assert!(c.dominates(0, 2));
    }

    #[test]
    fn wrapped_newswire_keeps_its_sentences() {
        let wire = "SALVADOR, Feb 26 - Showers continued throughout the week in\nthe Bahia cocoa zone, alleviating the drought since early\nJanuary and improving prospects for the coming temporao,\nalthough normal humidity levels have not been restored.\n    The dry period means the temporao will be late this year.\n";
        assert!(hard_wrapped(wire));
        assert!(!paragraph_break("\n", true));
        assert!(paragraph_break("\n    ", true));
        assert!(paragraph_break("\n", false));
        let article = "Headline Of The Day\n\nThe port reopened on Tuesday after a week of repairs.\n\nShips were waiting outside.\n";
        assert!(!hard_wrapped(article));
    }

    #[test]
    fn bad_heads_do_not_panic() {
        let text = "a b";
        let doc = ParsedDoc {
            tokens: vec![tok("a", 0, 9, "x", "NN"), tok("b", 2, 0, "x", "NN")],
            sents: vec![Range { start: 0, end: 5 }],
            ents: vec![],
        };
        let c = Ctx::new(text, &doc, &[]);
        assert_eq!(c.head(0), 0);
        assert_eq!(c.sents, vec![0..2]);
        assert_eq!(c.subtree(0), 0..2);
    }
}
