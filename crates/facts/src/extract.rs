//! Shared machinery of the per-document extractors: spans with both offset
//! kinds, and turning a noun phrase into a [`Ref`].

use crate::doc::Ctx;
use crate::lexicon;
use crate::types::{FactSpan, Ref};
use dossier_core::{CharIndex, MentionKind};
use std::ops::Range;

pub(crate) struct Ex<'a> {
    pub c: Ctx<'a>,
    pub chars: CharIndex,
    /// For each token that is a pronoun or description: the entity (index
    /// into `c.ents`) it refers back to.
    pub antecedent: Vec<Option<usize>>,
}

impl<'a> Ex<'a> {
    pub fn new(c: Ctx<'a>) -> Ex<'a> {
        let chars = CharIndex::new(c.text);
        let n = c.len();
        Ex {
            c,
            chars,
            antecedent: vec![None; n],
        }
    }

    /// A span from byte offsets.
    pub fn span_bytes(&self, b: Range<usize>) -> FactSpan {
        let text = self.c.text.get(b.clone()).unwrap_or("").to_string();
        FactSpan {
            start: b.start,
            end: b.end,
            char_start: self.chars.char_of_byte(b.start),
            char_end: self.chars.char_of_byte(b.end),
            text,
        }
    }

    /// A span from a token range.
    pub fn span(&self, r: &Range<usize>) -> FactSpan {
        self.span_bytes(self.c.bytes(r))
    }

    pub fn tok_span(&self, i: usize) -> FactSpan {
        self.span(&(i..i + 1))
    }

    pub fn ent_span(&self, k: usize) -> FactSpan {
        let e = &self.c.ents[k];
        self.span_bytes(e.start..e.end)
    }

    /// The sentence of token `i`, within its paragraph: a sentence the
    /// parser ran across a line break (a headline without a full stop) is
    /// cut there.
    pub fn sent_span(&self, i: usize) -> FactSpan {
        let r = self.c.clip(self.c.sent(i), i);
        let (mut lo, mut hi) = (r.start, r.end);
        while lo < hi && self.c.toks[lo].text.trim().is_empty() {
            lo += 1;
        }
        while hi > lo && self.c.toks[hi - 1].text.trim().is_empty() {
            hi -= 1;
        }
        self.span(&(lo..hi))
    }

    /// "State" in "Secretary of State", "Defense" in "Secretary of Defense":
    /// a one-word capitalised `of` object without determiner after a title
    /// completes the title rather than naming an organisation.
    pub fn is_title_complement(&self, t: usize) -> bool {
        let c = &self.c;
        let Some(e) = c.ent(t) else { return false };
        if e.end_token - e.start_token != 1 || c.dep(t) != "pobj" {
            return false;
        }
        let p = c.head(t);
        let title = c.head(p);
        c.lemma(p) == "of"
            && c.kid(t, &["det"]).is_none()
            && lexicon::role_noun(&c.lemma(title)).is_some()
            && !c.toks[t]
                .text
                .chars()
                .all(|ch| ch.is_ascii_uppercase() || ch == '.')
    }

    /// Whether a token is a personal pronoun.
    pub fn is_pronoun(&self, i: usize) -> bool {
        matches!(self.c.tag(i), "PRP" | "PRP$") && lexicon::pronoun(&self.c.lower(i)).is_some()
    }

    /// The entity a noun-phrase head names: its own entity, or a name
    /// standing in apposition to a description ("a spokesman, Bilal Nouri"),
    /// or the antecedent of a pronoun or description.
    pub fn entity_of_head(&self, h: usize) -> Option<usize> {
        if self.is_title_complement(h) {
            return None;
        }
        if let Some(k) = self.c.ent_of[h] {
            if lexicon::is_actor_label(&self.c.ents[k].label) {
                return Some(k);
            }
        }
        if let Some(k) = self.antecedent[h] {
            return Some(k);
        }
        if let Some(k) = self.described_name(h) {
            return Some(k);
        }
        if self.c.is_noun(h) {
            if let Some(k) = self.appositive_name(h) {
                return Some(k);
            }
        }
        None
    }

    /// The name a description stands in apposition to: "Lena Ostrova, a
    /// consultant ..." is Lena Ostrova.
    fn described_name(&self, h: usize) -> Option<usize> {
        let c = &self.c;
        let l = c.lemma(h);
        let person_noun = lexicon::kin(&l).is_some() || lexicon::role_noun(&l).is_some();
        if !person_noun || c.dep(h) != "appos" {
            return None;
        }
        c.ent_of[c.head(h)].filter(|&k| c.ents[k].label == "PERSON")
    }

    /// A name in apposition to a description, looked for in the description's
    /// phrase (the parser sometimes hangs it on a nested noun: "a spokesman
    /// for the group, Bilal Nouri").
    pub fn appositive_name(&self, h: usize) -> Option<usize> {
        let l = self.c.lemma(h);
        let person_noun = lexicon::kin(&l).is_some()
            || lexicon::is_parent_noun(&l)
            || lexicon::role_noun(&l).is_some();
        let mut stack = vec![h];
        let mut seen = 0;
        while let Some(cur) = stack.pop() {
            let direct = cur == h;
            seen += 1;
            if seen > 40 {
                break;
            }
            for &ch in &self.c.children[cur] {
                match self.c.dep(ch) {
                    "appos" => {
                        if let Some(k) = self.c.ent_of[ch] {
                            let lab = self.c.ents[k].label.as_str();
                            // The tagger often calls an unfamiliar given name
                            // a place; beside "daughter" it is a person.
                            let fits = if direct {
                                matches!(lab, "PERSON" | "ORG") || (lab == "GPE" && person_noun)
                            } else {
                                lab == "PERSON"
                            };
                            if fits {
                                return Some(k);
                            }
                        }
                    }
                    "prep" | "pobj" => stack.push(ch),
                    _ => {}
                }
            }
        }
        None
    }

    /// A participant named by its entity alone: the subject of "Taliban
    /// spokesman Zabihullah Mujahid" is "Zabihullah Mujahid".
    pub fn make_name_ref(&self, h: usize) -> Ref {
        let mut r = self.make_ref(h);
        if let (Some(range), MentionKind::Name) = (self.c.ent_range(h), r.kind) {
            r.span = self.span(&range);
        }
        r
    }

    /// A participant from the head of its phrase.
    pub fn make_ref(&self, h: usize) -> Ref {
        let c = &self.c;
        let (span_r, kind) = if self.is_pronoun(h) {
            (h..h + 1, MentionKind::Pronoun)
        } else if c.ent_of[h].is_some() || c.tag(h).starts_with("NNP") {
            (c.np_core(h), MentionKind::Name)
        } else {
            // "assassins in Tehran": the place is the event's, not part of
            // who did it.
            let mut r = c.np(h);
            for p in c.kids(h, &["prep"]) {
                let placed = c
                    .kid(p, &["pobj"])
                    .is_some_and(|o| c.ent_label(o).is_some_and(lexicon::is_place_label));
                if p > h && placed && matches!(c.lemma(p).as_str(), "in" | "at" | "near") {
                    r.end = r.end.min(p);
                }
            }
            (c.trim(r), MentionKind::Nominal)
        };
        let ent = self.entity_of_head(h);
        Ref {
            span: self.span(&span_r),
            entity: ent.map(|k| self.ent_span(k)),
            label: ent.map(|k| c.ents[k].label.clone()),
            kind,
        }
    }

    /// The head noun to use for a phrase head: "one of the officials" is
    /// about the officials, "some of his aides" about the aides.
    pub fn content_head(&self, h: usize) -> usize {
        let c = &self.c;
        let l = c.lemma(h);
        if matches!(
            l.as_str(),
            "one"
                | "some"
                | "two"
                | "three"
                | "several"
                | "many"
                | "most"
                | "each"
                | "all"
                | "both"
                | "none"
                | "few"
                | "number"
                | "member"
                | "dozen"
                | "score"
                | "hundred"
                | "thousand"
                | "million"
        ) && c.ent_label(h).is_none_or_cardinal()
        {
            for p in c.kids(h, &["prep"]) {
                if c.lemma(p) == "of" {
                    if let Some(o) = c.kid(p, &["pobj"]) {
                        return o;
                    }
                }
            }
        }
        h
    }
}

trait CardinalOrNone {
    fn is_none_or_cardinal(&self) -> bool;
}

impl CardinalOrNone for Option<&str> {
    fn is_none_or_cardinal(&self) -> bool {
        matches!(self, None | Some("CARDINAL"))
    }
}
