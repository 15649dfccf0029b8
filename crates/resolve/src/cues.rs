//! Aliases and descriptions read from the parse around a mention.
//!
//! Aliases: "X, also known as Y", "X, alias Y", "X (a.k.a. Y)", "X, whose
//! real name is Y", "X, better known as Y", "nom de guerre", and a name in
//! parentheses right after another ("National Directorate of Security
//! (NDS)"). Descriptions: appositives ("Hamza bin Laden, the son of ..."),
//! premodifiers ("al-Qaeda's second-in-command Abu Muhammad al-Masri",
//! "Taliban spokesman Zabihullah Mujahid") and short copular attributes
//! ("X was the group's deputy leader").

use dossier_core::parse::{Doc, Token};
use std::ops::Range;

/// Token range of a mention.
pub type Tokens = Range<usize>;

/// Phrases that introduce another name for the same entity, as lower-case
/// word sequences (punctuation ignored).
const ALIAS_CUES: &[&[&str]] = &[
    &["also", "known", "as"],
    &["better", "known", "as"],
    &["otherwise", "known", "as"],
    &["known", "as"],
    &["also", "called"],
    &["alias"],
    &["aka"],
    &["a.k.a."],
    &["a.k.a"],
    &["nom", "de", "guerre"],
    &["whose", "real", "name", "is"],
    &["whose", "real", "name", "was"],
    &["real", "name"],
    &["also", "named"],
];

/// Words that may sit between a name and an alias cue ("X, who was also
/// known as Y").
const CUE_FILLER: &[&str] = &[
    "who", "was", "is", "also", "a", "the", "his", "her", "by", "under",
];

fn is_punct(t: &Token) -> bool {
    t.pos == "PUNCT" || t.text.chars().all(|c| !c.is_alphanumeric())
}

/// The lower-case words (no punctuation) of a token range.
fn words(doc: &Doc, r: Range<usize>) -> Vec<String> {
    doc.tokens[r]
        .iter()
        .filter(|t| !is_punct(t) && !t.is_space)
        .map(|t| t.text.to_lowercase())
        .collect()
}

/// Whether the words between two mentions say the second is another name
/// of the first.
pub fn alias_gap(doc: &Doc, gap: Range<usize>) -> Option<String> {
    let w = words(doc, gap.clone());
    if w.is_empty() || w.len() > 7 {
        return None;
    }
    for cue in ALIAS_CUES {
        if w.len() < cue.len() {
            continue;
        }
        let at = w.len() - cue.len();
        if w[at..].iter().map(String::as_str).eq(cue.iter().copied())
            && w[..at].iter().all(|x| CUE_FILLER.contains(&x.as_str()))
        {
            return Some(cue.join(" "));
        }
    }
    None
}

/// A name in parentheses right after another: "(NDS)", "(Abu Yusuf)".
pub fn parenthesised(doc: &Doc, first: &Tokens, second: &Tokens) -> bool {
    let gap = first.end..second.start;
    let open = doc.tokens[gap.clone()]
        .iter()
        .filter(|t| !t.is_space)
        .count()
        == 1
        && doc.tokens.get(first.end).is_some_and(|t| t.text == "(");
    let close = doc.tokens.get(second.end).is_some_and(|t| t.text == ")");
    open && close
}

/// A run of proper-noun tokens starting at `start` (name particles such as
/// "al", "bin", "abu" and hyphens allowed inside), for alias names the NER
/// did not mark.
pub fn proper_run(doc: &Doc, start: usize, sent_end: usize) -> Option<Tokens> {
    let particle = |t: &Token| {
        matches!(
            t.text.to_lowercase().as_str(),
            "al" | "el" | "bin" | "ibn" | "bint" | "abu" | "abd" | "umm" | "-" | "de" | "van"
        )
    };
    let mut end = start;
    while end < sent_end {
        let t = &doc.tokens[end];
        let capital = t.text.chars().next().is_some_and(char::is_uppercase);
        if (t.pos == "PROPN" && capital)
            || (end > start && particle(t))
            || (end == start && capital && t.tag.starts_with("NNP"))
        {
            end += 1;
        } else {
            break;
        }
    }
    // Do not end on a particle or hyphen.
    while end > start && particle(&doc.tokens[end - 1]) {
        end -= 1;
    }
    (end > start
        && doc.tokens[start]
            .text
            .chars()
            .next()
            .is_some_and(char::is_uppercase))
    .then_some(start..end)
}

/// The token of a range whose head lies outside it (the syntactic head).
pub fn head_of(doc: &Doc, r: &Tokens) -> usize {
    let mut head = r.end.saturating_sub(1);
    for i in r.clone() {
        let h = doc.tokens[i].head;
        if h < r.start || h >= r.end || h == i {
            head = i;
        }
    }
    head
}

/// The contiguous token range of a token's subtree.
pub fn subtree(doc: &Doc, root: usize) -> Tokens {
    let (mut lo, mut hi) = (root, root);
    // Heads point upward; walk each token up to see if it reaches `root`.
    // Sentences bound the search.
    let (s, e) = sentence_bounds(doc, root);
    for i in s..e {
        let mut j = i;
        let mut steps = 0;
        while j != root && doc.tokens[j].head != j && steps < 64 {
            j = doc.tokens[j].head;
            steps += 1;
        }
        if j == root {
            lo = lo.min(i);
            hi = hi.max(i);
        }
    }
    lo..hi + 1
}

pub fn sentence_bounds(doc: &Doc, i: usize) -> (usize, usize) {
    doc.sents
        .iter()
        .find(|r| r.contains(&i))
        .map(|r| (r.start, r.end))
        .unwrap_or((0, doc.tokens.len()))
}

/// A description found for a mention: token range and what kind it is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DescriptionCue {
    pub tokens: Tokens,
    pub kind: &'static str,
}

const MAX_DESCRIPTION_TOKENS: usize = 14;
const MAX_PREMODIFIER_TOKENS: usize = 10;
/// Single words before a name that say nothing about who it is.
const FILLER_PREMODIFIERS: &[&str] = &[
    "mr", "mrs", "ms", "miss", "dr", "former", "latter", "late", "said", "then",
];

trait Lower {
    fn lower(&self) -> String;
}

impl Lower for Token {
    fn lower(&self) -> String {
        self.text.to_lowercase().trim_end_matches('.').to_string()
    }
}

/// Descriptions attached to the mention `m` by the parse. `is_name` tells
/// whether a token is inside some entity mention (names are not
/// descriptions).
pub fn descriptions(doc: &Doc, m: &Tokens, is_name: &dyn Fn(usize) -> bool) -> Vec<DescriptionCue> {
    let mut out = Vec::new();
    let head = head_of(doc, m);
    let tok = &doc.tokens[head];
    // Appositive child: "Hamza bin Laden, the son of ...". One that says
    // "the latter" ("X and Y — the latter Hamza's father-in-law") hangs on
    // the first conjunct but describes the last.
    let last_conjunct = |root: usize| {
        let mut last = root;
        while let Some(n) = (last + 1..doc.tokens.len())
            .find(|&k| doc.tokens[k].head == last && doc.tokens[k].dep == "conj")
        {
            last = n;
        }
        last
    };
    let mut chain_root = head;
    while doc.tokens[chain_root].dep == "conj" && doc.tokens[chain_root].head < chain_root {
        chain_root = doc.tokens[chain_root].head;
    }
    for (i, t) in doc.tokens.iter().enumerate() {
        let latter = || {
            let st = subtree(doc, i);
            (st.start..i).any(|k| doc.tokens[k].lower() == "latter")
        };
        let attached = if t.head == head {
            !latter() || last_conjunct(head) == head
        } else {
            t.head == chain_root
                && chain_root != head
                && latter()
                && last_conjunct(chain_root) == head
        };
        if attached && i != head && t.dep == "appos" && !m.contains(&i) && !is_name(i) {
            let r = trim_description(doc, subtree(doc, i));
            push(doc, &mut out, r, "appositive");
        }
    }
    // The mention is itself the appositive of a common noun: "Al-Masri's
    // daughter, Maryam".
    if tok.dep == "appos" && tok.head < m.start && !is_name(tok.head) {
        let h = tok.head;
        let ht = &doc.tokens[h];
        let comma_between =
            (h + 1..m.start).any(|i| doc.tokens[i].text == "," || doc.tokens[i].text == "—");
        if matches!(ht.pos.as_str(), "NOUN") && comma_between {
            let full = subtree(doc, h);
            let own = subtree(doc, head);
            let r = full.start..own.start.min(full.end);
            push(doc, &mut out, trim_description(doc, r), "appositive");
        }
    }
    // Premodifiers inside the noun phrase, left of the name, of any token
    // of the name: the parse of an unfamiliar name may hang its words on
    // different heads.
    let left: Vec<usize> = (0..m.start)
        .filter(|&i| {
            m.contains(&doc.tokens[i].head)
                && matches!(
                    doc.tokens[i].dep.as_str(),
                    "compound" | "amod" | "nmod" | "poss" | "npadvmod"
                )
        })
        .collect();
    if let Some(&first) = left.first() {
        let r = subtree(doc, first).start..m.start;
        // A premodifier does not reach back across a spaced dash or a
        // colon: in "WASHINGTON, March 2 - Prime Minister Nakasone" the
        // dateline is no part of the title ("front-runner" keeps its dash).
        let spaced = |i: usize| doc.tokens[i].whitespace || i > 0 && doc.tokens[i - 1].whitespace;
        let r = (r.clone())
            .rev()
            .find(|&i| match doc.tokens[i].text.as_str() {
                "-" | "--" | "—" | "–" => spaced(i),
                t => t == ":",
            })
            .map_or(r.clone(), |d| d + 1..r.end);
        let r = trim_description(doc, r);
        let r = r.start.max(m.start.saturating_sub(MAX_PREMODIFIER_TOKENS))..r.end;
        let common = (r.clone()).any(|i| {
            matches!(doc.tokens[i].pos.as_str(), "NOUN" | "ADJ")
                || (doc.tokens[i].pos == "PROPN" && !is_name(i))
        });
        let one_line = !(r.clone()).any(|i| doc.tokens[i].text.contains('\n'));
        let filler =
            r.len() == 1 && FILLER_PREMODIFIERS.contains(&doc.tokens[r.start].lower().as_str());
        if !r.is_empty() && common && one_line && !filler {
            // A premodifier made only of another name is a compound name,
            // not a description.
            if (r.clone()).any(|i| !is_name(i)) {
                push(doc, &mut out, r, "premodifier");
            }
        }
    }
    // "X was the deputy leader of ...": copular attribute of a subject.
    if matches!(tok.dep.as_str(), "nsubj") {
        let verb = tok.head;
        if doc.tokens[verb].lemma == "be" {
            for (i, t) in doc.tokens.iter().enumerate() {
                if t.head == verb
                    && t.dep == "attr"
                    && matches!(t.pos.as_str(), "NOUN")
                    && !is_name(i)
                {
                    let r = trim_description(doc, subtree(doc, i));
                    push(doc, &mut out, r, "attribute");
                }
            }
        }
    }
    out
}

fn push(doc: &Doc, out: &mut Vec<DescriptionCue>, r: Tokens, kind: &'static str) {
    let words = doc.tokens[r.clone()]
        .iter()
        .filter(|t| !is_punct(t))
        .count();
    let content = doc.tokens[r.clone()]
        .iter()
        .any(|t| matches!(t.pos.as_str(), "NOUN" | "ADJ" | "PROPN" | "NUM"));
    if words == 0 || !content || r.len() > MAX_DESCRIPTION_TOKENS {
        return;
    }
    if out.iter().any(|d| d.tokens == r) {
        return;
    }
    out.push(DescriptionCue { tokens: r, kind });
}

/// Strips punctuation and conjunctions from both ends.
fn trim_description(doc: &Doc, mut r: Tokens) -> Tokens {
    // A focusing adverb is the sentence's, not the description's: "even
    // Vice President Al Gore" is described as "Vice President" ("then" is
    // kept: "then-vice president" says the role was past).
    let focus = |t: &Token| {
        t.dep == "advmod"
            && matches!(
                t.lower().as_str(),
                "even" | "also" | "only" | "just" | "especially" | "notably" | "particularly"
            )
    };
    while r.start < r.end && {
        let t = &doc.tokens[r.start];
        is_punct(t) || t.is_space || t.dep == "cc" || focus(t)
    } {
        r.start += 1;
    }
    while r.end > r.start && {
        let t = &doc.tokens[r.end - 1];
        is_punct(t) || t.is_space || t.dep == "cc"
    } {
        r.end -= 1;
    }
    r
}
