//! Claim mentions: direct quotes and reported speech, with their speaker,
//! cue, polarity and hedges. Quotes are found from the quotation-mark tokens
//! (straight, typographic, single inside double, across sentences); reported
//! speech from speech and thought verbs and their clausal complements,
//! "according to", and statement nouns ("a report that ...").

use crate::doc::Ctx;
use crate::extract::Ex;
use crate::lexicon::{self, CueClass, PronounClass};
use crate::types::{
    ClaimMention, EventMention, FactSpan, Hedge, HedgeKind, Ref, RelationMention, Verdict,
};
use crate::words::{self, List};
use dossier_core::{ClaimKind, MentionKind, Modality, SpeakerKind, Stance};
use std::ops::Range;

/// A quotation: the tokens between its marks, and where its marks are.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Quote {
    /// Token of the opening mark.
    pub open: usize,
    /// Token of the closing mark, or the last token before a paragraph end
    /// when the quote runs on.
    pub close: usize,
    pub closed: bool,
    /// Index of the quote this one is nested in.
    pub parent: Option<usize>,
}

impl Quote {
    /// The whole quotation, marks included.
    pub fn full(&self) -> Range<usize> {
        self.open..self.close + 1
    }

    pub fn inner(&self) -> Range<usize> {
        self.open + 1..if self.closed {
            self.close
        } else {
            self.close + 1
        }
    }
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Mark {
    Open,
    Close,
    Either,
}

fn mark(ex: &Ex, i: usize) -> Option<(bool, Mark)> {
    let c = &ex.c;
    let t = c.toks[i].text.as_str();
    let tag = c.tag(i);
    let quote_tag = matches!(tag, "``" | "''");
    // (double?, direction)
    Some(match t {
        "“" | "«" | "„" => (true, Mark::Open),
        "”" | "»" => (true, Mark::Close),
        "\"" | "''" | "``" => (
            true,
            if tag == "``" && !closes_word(ex, i) {
                Mark::Open
            } else {
                Mark::Either
            },
        ),
        "‘" if quote_tag || tag == "NFP" || tag == "-LRB-" => (false, Mark::Open),
        "’" if quote_tag => (false, Mark::Close),
        "'" if quote_tag => (false, if tag == "``" { Mark::Open } else { Mark::Close }),
        _ => return None,
    })
}

/// A straight mark glued to the word before it and not to the word after
/// ("protection,\" he told") ends a quotation, whatever the tagger calls it.
fn closes_word(ex: &Ex, i: usize) -> bool {
    let c = &ex.c;
    if i == 0 || c.toks[i - 1].end != c.toks[i].start || c.toks[i - 1].text.trim().is_empty() {
        return false;
    }
    let after = c.text.get(c.toks[i].end..).and_then(|s| s.chars().next());
    after.is_none_or(|ch| !ch.is_alphanumeric())
}

/// A line break that ends a paragraph. In hard-wrapped text (newswire) a
/// single line break after a word, with no indent after it, only wraps the
/// line: "would be available only after\nNovember".
fn paragraph_break_before(ex: &Ex, i: usize) -> bool {
    if i == 0 {
        return false;
    }
    let c = &ex.c;
    let mut prev = i - 1;
    let mut gap = c
        .text
        .get(c.toks[prev].end..c.toks[i].start)
        .unwrap_or("")
        .to_string();
    // The break may be a whitespace token of its own.
    while prev > 0 && c.toks[prev].text.trim().is_empty() {
        gap.insert_str(0, &c.toks[prev].text);
        prev -= 1;
    }
    if !gap.contains('\n') {
        return false;
    }
    let after_word = c.toks[prev]
        .text
        .chars()
        .last()
        .is_some_and(|ch| ch.is_alphanumeric() || ch == ',');
    let blank_or_indent = gap.matches('\n').count() > 1
        || gap.rsplit('\n').next().is_some_and(|rest| !rest.is_empty());
    !after_word || blank_or_indent
}

/// Finds the quotations of a document.
pub(crate) fn find_quotes(ex: &Ex) -> Vec<Quote> {
    let c = &ex.c;
    let mut quotes: Vec<Quote> = Vec::new();
    // Open quotes: (index into `quotes`, double?)
    let mut stack: Vec<(usize, bool)> = Vec::new();
    let close_all = |stack: &mut Vec<(usize, bool)>, quotes: &mut Vec<Quote>, at: usize| {
        while let Some((q, _)) = stack.pop() {
            quotes[q].close = at.max(quotes[q].open);
            quotes[q].closed = false;
        }
    };
    // A quotation running over several paragraphs leaves each paragraph
    // open and starts the next with an opening mark: that mark continues it.
    let mut continued = vec![false; c.len()];
    for i in 0..c.len() {
        if paragraph_break_before(ex, i) && !stack.is_empty() {
            let next = (i..c.len()).find(|&t| !c.toks[t].text.trim().is_empty());
            let opens_again = next.is_some_and(|t| {
                matches!(mark(ex, t), Some((true, Mark::Open)))
                    || (c.toks[t].text == "\"" && c.tag(t) == "``")
            });
            let only_doubles = stack.iter().all(|&(_, d)| d);
            if opens_again && only_doubles && stack.len() == 1 {
                if let Some(t) = next {
                    continued[t] = true;
                }
            } else {
                close_all(&mut stack, &mut quotes, i.saturating_sub(1));
            }
        }
        if c.toks[i].text.trim().is_empty() || continued[i] {
            continue;
        }
        let Some((double, dir)) = mark(ex, i) else {
            continue;
        };
        let top = stack.last().copied();
        let closes = match top {
            Some((q, d)) if d == double => {
                dir != Mark::Open
                    || (double && c.toks[quotes[q].open].text == "\"" && c.toks[i].text == "\"")
            }
            _ => false,
        };
        if closes {
            if let Some((q, _)) = stack.pop() {
                quotes[q].close = i;
                quotes[q].closed = true;
            }
            continue;
        }
        if dir == Mark::Close {
            // A closing single mark with nothing open is an apostrophe; a
            // stray closing double mark closes an outer double quote.
            if double {
                if let Some(pos) = stack.iter().rposition(|&(_, d)| d) {
                    while stack.len() > pos + 1 {
                        if let Some((q, _)) = stack.pop() {
                            quotes[q].close = i.saturating_sub(1);
                            quotes[q].closed = false;
                        }
                    }
                    if let Some((q, _)) = stack.pop() {
                        quotes[q].close = i;
                        quotes[q].closed = true;
                    }
                }
            }
            continue;
        }
        let parent = stack.last().map(|&(q, _)| q);
        quotes.push(Quote {
            open: i,
            close: i,
            closed: false,
            parent,
        });
        stack.push((quotes.len() - 1, double));
    }
    let end = c.len().saturating_sub(1);
    close_all(&mut stack, &mut quotes, end);
    // Drop empty quotes.
    quotes.retain(|q| q.inner().start < q.inner().end);
    // Parents may point at removed quotes; recompute by containment.
    let spans: Vec<Range<usize>> = quotes.iter().map(|q| q.full()).collect();
    for (k, q) in quotes.iter_mut().enumerate() {
        q.parent = spans
            .iter()
            .enumerate()
            .filter(|&(j, r)| j != k && r.start < q.open && q.close < r.end)
            .min_by_key(|(_, r)| r.end - r.start)
            .map(|(j, _)| j);
    }
    quotes
}

/// Strong cues whose direct object is the statement: "confirmed al-Masri's
/// killing", "deny the claim".
fn object_is_content(lemma: &str) -> bool {
    matches!(
        lemma,
        "confirm"
            | "deny"
            | "reject"
            | "dismiss"
            | "dispute"
            | "refute"
            | "announce"
            | "report"
            | "reveal"
            | "claim"
            | "allege"
            | "acknowledge"
            | "admit"
            | "rebut"
            | "contradict"
            | "disavow"
            | "repudiate"
            | "debunk"
            | "rebuff"
            | "disclose"
            | "predict"
            | "promise"
            | "pledge"
            | "verify"
            | "affirm"
            | "concede"
            | "suggest"
            | "describe"
            | "cite"
            | "criticize"
            | "criticise"
            | "condemn"
            | "denounce"
            | "decry"
            | "praise"
            | "blame"
            | "tout"
            | "highlight"
            | "question"
            | "mention"
            | "recall"
            | "repeat"
            | "reiterate"
            | "estimate"
            | "expect"
            | "want"
            | "fear"
            | "tweet"
            | "write"
            | "post"
            | "say"
            | "state"
            | "note"
            | "stress"
    )
}

/// What can be denied: a statement, an event, a tie ("denied any links"),
/// not a request or an offer.
fn is_statement_like(ex: &Ex, o: usize) -> bool {
    let c = &ex.c;
    let l = c.lemma(o);
    lexicon::cue_noun(&l)
        || lexicon::noun_event(&l).is_some()
        || c.kids(o, &["acl", "ccomp"]).next().is_some()
        || matches!(
            l.as_str(),
            "link"
                | "tie"
                | "connection"
                | "involvement"
                | "responsibility"
                | "role"
                | "wrongdoing"
                | "knowledge"
                | "existence"
                | "presence"
                | "relationship"
                | "contact"
                | "support"
                | "reports"
                | "story"
                | "account"
                | "rumour"
                | "rumor"
        )
}

/// Words a claim's own speaker cannot be: "it" in "it is said".
/// "It" of a speech verb is a source ("It said the acquisition could be
/// funded": the company); of a belief verb it is a placeholder ("it
/// seems").
fn is_dummy_subject(ex: &Ex, s: usize) -> bool {
    let c = &ex.c;
    let w = c.lower(s);
    if c.tag(s) == "PRP$" {
        return false;
    }
    if w == "it" {
        let v = c.head(s);
        return lexicon::cue_verb(&c.lemma(v)) != Some(CueClass::Speech);
    }
    matches!(w.as_str(), "there" | "this" | "that" | "what")
}

struct Builder<'e, 'a> {
    ex: &'e Ex<'a>,
    quotes: Vec<Quote>,
    /// Which quotes a claim already took.
    used: Vec<bool>,
    claims: Vec<Draft>,
}

struct Draft {
    parts: Vec<Range<usize>>,
    speaker: Option<usize>,
    speaker_range: Option<Range<usize>>,
    cue: Option<Range<usize>>,
    cue_lemma: Option<String>,
    kind: ClaimKind,
    stance: Stance,
    verdict: Option<Verdict>,
    hedges: Vec<Hedge>,
    responds_to: Option<usize>,
    /// For a first-person speaker in a quote: the quote, resolved later.
    inside_quote: Option<usize>,
}

impl Builder<'_, '_> {
    fn innermost_quote(&self, i: usize) -> Option<usize> {
        self.quotes
            .iter()
            .enumerate()
            .filter(|(_, q)| q.full().contains(&i))
            .min_by_key(|(_, q)| q.close - q.open)
            .map(|(k, _)| k)
    }

    /// Token share of a range inside quotation marks.
    fn quoted_share(&self, parts: &[Range<usize>]) -> f64 {
        let mut inside = 0;
        let mut total = 0;
        for r in parts {
            for t in r.clone() {
                if self.ex.c.tag(t) == "``" || self.ex.c.tag(t) == "''" {
                    continue;
                }
                total += 1;
                if self.quotes.iter().any(|q| q.inner().contains(&t)) {
                    inside += 1;
                }
            }
        }
        if total == 0 {
            0.0
        } else {
            inside as f64 / total as f64
        }
    }

    /// Grows content to cover every quotation it touches (a quote split
    /// into several parsed sentences, or marks left outside the clause).
    fn absorb_quotes(&mut self, r: Range<usize>, cue: usize) -> Vec<Range<usize>> {
        let mut lo = r.start;
        let mut hi = r.end;
        for (k, q) in self.quotes.iter().enumerate() {
            let full = q.full();
            if full.contains(&cue) {
                continue;
            }
            if full.start < hi && lo < full.end {
                lo = lo.min(full.start);
                hi = hi.max(full.end);
                self.used[k] = true;
            }
        }
        // Content never includes the cue itself.
        if (lo..hi).contains(&cue) {
            let left = self.ex.c.trim(lo..cue);
            let right = self.ex.c.trim(cue + 1..hi);
            let mut v = Vec::new();
            if !left.is_empty() {
                v.push(left);
            }
            if !right.is_empty() {
                v.push(right);
            }
            return v;
        }
        vec![Range { start: lo, end: hi }]
    }

    /// A quotation next to a cue in its sentence: "“...,” he said",
    /// "Graham said: “...”". Nearest first.
    fn adjacent_quote(&self, v: usize) -> Option<usize> {
        let c = &self.ex.c;
        let s = c.sent(v);
        let home = self.innermost_quote(v);
        let mut best: Option<(usize, usize)> = None;
        for (k, q) in self.quotes.iter().enumerate() {
            if self.used[k] || q.parent != home || q.full().contains(&v) {
                continue;
            }
            // A quoted word or two is a scare quote, not a statement.
            let inner = q.inner();
            let words = inner
                .clone()
                .filter(|&t| !matches!(c.tag(t), "``" | "''" | "," | "." | ":"))
                .count();
            if words < 3 && !inner.clone().any(|t| c.is_verb(t)) {
                continue;
            }
            let full = q.full();
            // The quote touches the cue's sentence or ends right before it.
            let touches = full.start < s.end && s.start < full.end;
            let just_before = full.end <= s.start && s.start - full.end <= 1;
            if !(touches || just_before) {
                continue;
            }
            let dist = if full.end <= v {
                v - full.end
            } else {
                full.start - v
            };
            // Another cue verb in between belongs to that quote instead.
            let between = if full.end <= v {
                full.end..v
            } else {
                v + 1..full.start
            };
            if between.clone().any(|t| {
                t != v && c.is_verb(t) && lexicon::cue_verb(&c.lemma(t)) == Some(CueClass::Speech)
            }) {
                continue;
            }
            if best.is_none_or_gt(dist) {
                best = Some((dist, k));
            }
        }
        best.map(|(_, k)| k)
    }
}

trait BestDist {
    fn is_none_or_gt(&self, d: usize) -> bool;
}

impl BestDist for Option<(usize, usize)> {
    fn is_none_or_gt(&self, d: usize) -> bool {
        match self {
            None => true,
            Some((bd, _)) => d < *bd,
        }
    }
}

/// The subject of a cue, following participles and conjuncts up: "Pompeo
/// said ..., adding that ...".
fn cue_subject(ex: &Ex, v: usize) -> Option<usize> {
    let c = &ex.c;
    // Two subjects are a misparse, most often of a dateline run into the
    // sentence ("RENO, Nev., April 8 - Munson Inc said"): the one nearest
    // the verb is the subject, unless it is a description set off by a
    // comma ("Ban, the secretary general of the UN, vowed").
    let subjects: Vec<usize> = c.kids(v, &["nsubj"]).filter(|&s| s < v).collect();
    let own = match subjects.as_slice() {
        [first, .., last] => {
            let from = c.subtree(*last).start;
            let described = c.ent_of[*last].is_none()
                && matches!(c.tag(*last), "NN" | "NNS")
                && from > 0
                && c.toks[from - 1].text == ",";
            Some(if described { *first } else { *last })
        }
        _ => subjects.first().copied(),
    };
    // "She told ABC the tone was cordial and predicted ...": a cue the
    // parser hung as a conjunct on the statement's own verb shares no
    // subject with it when that subject cannot speak; the outer cue's
    // subject is the source.
    if c.kid(v, &["nsubj"]).is_none() && c.dep(v) == "conj" {
        let h = c.head(v);
        let g = c.head(h);
        let outer_cue = h != v
            && c.dep(h) == "ccomp"
            && g != h
            && c.is_verb(g)
            && lexicon::cue_verb(&c.lemma(g)).is_some();
        if outer_cue && c.kid(h, &["nsubj"]).is_some_and(|s| !can_speak(ex, s)) {
            return cue_subject(ex, g);
        }
    }
    if let Some(s) = own.or_else(|| c.kid_or_shared(v, &["nsubj"])) {
        // "Douglas Farah, ..., who said": the relative stands for its noun.
        if matches!(c.tag(s), "WP" | "WDT") && c.dep(v) == "relcl" {
            return Some(relative_noun(ex, s, c.head(v)));
        }
        return (!is_dummy_subject(ex, s)).then_some(s);
    }
    if let Some((h, _)) = phrase_after_quote(ex, v) {
        return Some(h);
    }
    if c.kid(v, &["nsubjpass", "auxpass"]).is_some() || (c.tag(v) == "VBN" && c.dep(v) == "acl") {
        for a in c.kids(v, &["agent"]) {
            if let Some(o) = c.kid(a, &["pobj"]) {
                return Some(o);
            }
        }
        return None;
    }
    // "prompting the president to accuse ...", "Pompeo is expected to
    // cite ...": a complement's subject is its governor's object, else its
    // governor's subject.
    if c.dep(v) == "xcomp" && c.tag(v) == "VB" {
        let h = c.head(v);
        if h != v {
            if let Some(o) = c
                .kid(h, &["dobj"])
                .filter(|_| words::has(List::ObjectControl, &c.lemma(h)))
            {
                return Some(o);
            }
            if let Some(s) = c.kid_or_shared(h, &["nsubj", "nsubjpass"]) {
                return (!is_dummy_subject(ex, s)).then_some(s);
            }
        }
    }
    // "Graham stated that ..., adding that ...": the participle's subject is
    // that of the nearest speech verb above it.
    if c.tag(v) == "VBG" {
        let mut cur = v;
        for _ in 0..8 {
            let h = c.head(cur);
            if h == cur {
                break;
            }
            if c.is_verb(h) && lexicon::cue_verb(&c.lemma(h)).is_some() {
                return cue_subject(ex, h);
            }
            cur = h;
        }
        // "he made a point of saying", "ended by saying", "thanked them
        // for saying": a gerund after a preposition is said by whoever the
        // clause above is about.
        if let Some(s) = gerund_after_preposition(ex, v) {
            return Some(s);
        }
        let h = c.head(v);
        if h != v && matches!(c.dep(v), "advcl" | "xcomp" | "conj") {
            return c
                .kid_or_shared(h, &["nsubj"])
                .filter(|&s| !is_dummy_subject(ex, s));
        }
        // "emails which included staff members suggesting ...": the noun
        // the participle describes.
        if h != v
            && c.dep(v) == "acl"
            && c.is_noun(h)
            && !(lexicon::cue_noun(&c.lemma(h)) || is_report_noun(&c.lemma(h)))
        {
            return Some(h);
        }
        // "Black Lives Matter issued a statement saying ...": whoever
        // issued the statement.
        if h != v
            && c.dep(v) == "acl"
            && (lexicon::cue_noun(&c.lemma(h)) || is_report_noun(&c.lemma(h)))
        {
            let g = c.head(h);
            if g != h && c.dep(h) == "dobj" {
                return c
                    .kid_or_shared(g, &["nsubj"])
                    .filter(|&s| !is_dummy_subject(ex, s));
            }
        }
    }
    if c.dep(v) == "relcl" {
        return Some(c.head(v));
    }
    None
}

/// The phrase between a closing quotation mark and the cue right after it,
/// and its head: in "“...?” the 43-year-old asked" the phrase is the
/// subject, whatever the parser made of it (an adjective it hung the verb
/// on as a clause, or an `amod` of a participle). Only for a cue with no
/// subject and no auxiliary of its own: "was asked" is a true passive.
fn phrase_after_quote(ex: &Ex, v: usize) -> Option<(usize, Range<usize>)> {
    let c = &ex.c;
    if c.kid(v, &["nsubj", "nsubjpass", "aux", "auxpass", "agent"])
        .is_some()
    {
        return None;
    }
    // The closing mark: nearest quote mark before the cue, at most a short
    // phrase away, glued to the word before it (''Trump Revealed,'' opens).
    let q = (v.saturating_sub(8)..v)
        .rev()
        .find(|&t| matches!(c.tag(t), "''" | "``"))
        .filter(|&t| closes_word(ex, t))?;
    let r = q + 1..v;
    if r.is_empty()
        || c.para_of[q] != c.para_of[v]
        || r.clone()
            .any(|t| c.is_verb(t) || matches!(c.tag(t), "," | "." | ":" | "''" | "``"))
    {
        return None;
    }
    // Its head: the last token whose head lies outside it; any other such
    // token hangs on the cue or where the head hangs ("the" made the
    // verb's own, or the noun's after it).
    let outside: Vec<usize> = r
        .clone()
        .filter(|&t| c.head(t) == t || !r.contains(&c.head(t)))
        .collect();
    let &h = outside.last()?;
    if outside
        .iter()
        .any(|&t| t != h && c.head(t) != v && c.head(t) != c.head(h))
    {
        return None;
    }
    // A person or source, or an adjective used as a noun ("the elderly",
    // "the 43-year-old"); not "the question asked".
    let nominal_adj = c.pos(h) == "ADJ" && c.tag(r.start) == "DT";
    (can_speak(ex, h) || nominal_adj).then_some((h, r))
}

/// The sayer of a gerund that complements a preposition: the object of a
/// verb the preposition qualifies when it is "of" or "for" and the object
/// is someone ("thanked the mayor for saying"), else that verb's subject
/// ("ended by saying"); through a noun, the subject of the verb it is the
/// object of ("made a point of saying").
fn gerund_after_preposition(ex: &Ex, v: usize) -> Option<usize> {
    let c = &ex.c;
    // Speech only: "no way of knowing" holds no view.
    if c.dep(v) != "pcomp" || lexicon::cue_verb(&c.lemma(v)) != Some(CueClass::Speech) {
        return None;
    }
    let p = c.head(v);
    let g = c.head(p);
    if p == v || g == p || c.dep(p) != "prep" {
        return None;
    }
    let subject = |verb: usize| {
        c.kid_or_shared(verb, &["nsubj"])
            .filter(|&s| !is_dummy_subject(ex, s))
    };
    // Only a finite verb's subject is sure: in "not allowing Muslims to
    // enter the country by citing a poll" the parser may hang "by" on
    // "enter", whose subject did not cite anything.
    let finite = |verb: usize| {
        matches!(c.tag(verb), "VBD" | "VBZ" | "VBP")
            || c.kids(verb, &["aux"]).any(|a| c.tag(a) == "MD")
    };
    if c.is_verb(g) {
        if !finite(g) {
            return None;
        }
        if matches!(c.lemma(p).as_str(), "of" | "for") {
            // A person or body, not "floated the notion of admitting".
            let someone = |o: usize| {
                matches!(c.tag(o), "PRP" | "NNP" | "NNPS")
                    || matches!(c.ent_label(o), Some("PERSON" | "ORG" | "NORP" | "GPE"))
                    || lexicon::role_noun(&c.lemma(o)).is_some()
            };
            if let Some(o) = c.kid(g, &["dobj"]).filter(|&o| someone(o)) {
                return Some(o);
            }
        }
        return subject(g);
    }
    if c.is_noun(g) {
        // Not through a possessor: "the state's record in predicting
        // winners" states nothing.
        let verb = c.head(g);
        if verb != g && c.dep(g) == "dobj" && c.is_verb(verb) && finite(verb) {
            return subject(verb);
        }
    }
    None
}

/// Whether a subject could be a source at all: a name, a pronoun, people
/// ("viewers"), a person's role, a group or a document. "The tone", "the
/// deal" cannot.
fn can_speak(ex: &Ex, s: usize) -> bool {
    let c = &ex.c;
    if c.ent_label(s).is_some_and(lexicon::is_actor_label) {
        return true;
    }
    if matches!(
        c.tag(s),
        "PRP" | "NNP" | "NNPS" | "NNS" | "WP" | "DT" | "CD"
    ) {
        return true;
    }
    let l = c.lemma(s);
    lexicon::role_noun(&l).is_some()
        || lexicon::kin(&l).is_some()
        || lexicon::is_anonymous_source(&l)
        || lexicon::cue_noun(&l)
        || is_report_noun(&l)
        || words::has(List::DocumentSource, &l)
        || crate::coref::is_group_noun(&l)
}

/// The noun a relative pronoun stands for. "Which" is never a person: in
/// "a report by Maria Lund and Peter Sand which said", the parser hangs the
/// clause on a name, and the report is what said it.
fn relative_noun(ex: &Ex, rel: usize, h: usize) -> usize {
    let c = &ex.c;
    let person = |t: usize| {
        let l = c.lemma(t).to_lowercase();
        c.ent_label(t) == Some("PERSON")
            || lexicon::role_noun(&l).is_some()
            || lexicon::kin(&l).is_some()
    };
    if c.lower(rel) != "which" || !person(h) {
        return h;
    }
    let mut cur = h;
    for _ in 0..8 {
        let up = c.head(cur);
        if up == cur || c.is_verb(up) && !matches!(c.dep(up), "acl") {
            break;
        }
        if c.is_noun(up) && !person(up) {
            return up;
        }
        cur = up;
    }
    h
}

/// The source phrase, stopping before the cue when the cue is a participle
/// describing it ("staff members suggesting ..."); a relative clause stays
/// ("Douglas Farah, who said").
fn speaker_before_cue(ex: &Ex, s: usize, v: usize) -> Range<usize> {
    let c = &ex.c;
    if let Some((h, r)) = phrase_after_quote(ex, v).filter(|(h, _)| *h == s) {
        return c.trim(c.clip(r, h));
    }
    let mut r = speaker_range(ex, s);
    if c.dep(v) == "acl" && r.contains(&v) {
        r.end = r.end.min(c.subtree(v).start.max(r.start + 1));
        r = c.trim(r);
    }
    r
}

/// The source as written: its phrase without "in a tweet late on Saturday".
fn speaker_range(ex: &Ex, s: usize) -> Range<usize> {
    let c = &ex.c;
    let mut r = c.clip(c.subtree(s), s);
    for p in c.kids(s, &["prep"]) {
        if p < s {
            continue;
        }
        let medium = c.kid(p, &["pobj"]).is_some_and(|o| {
            c.time(o).is_some()
                || matches!(
                    c.lemma(o).as_str(),
                    "tweet"
                        | "statement"
                        | "interview"
                        | "speech"
                        | "letter"
                        | "post"
                        | "video"
                        | "message"
                        | "conference"
                        | "briefing"
                        | "release"
                        | "email"
                        | "call"
                )
        });
        if medium {
            r.end = r.end.min(p);
        }
    }
    // An aside between two dashes after the head is not the source: "Lena
    // Ostrova — a senior official at the port — said", "the minister - who
    // visited the dock - said". One dash alone may end a dateline
    // ("MARSEILLE, May 31 - Port Authority ...").
    let closing = (r.end.saturating_sub(1)..(r.end + 1).min(c.len())).any(|k| aside_dash(ex, k));
    if let Some(d) = (s + 1..r.end).find(|&k| aside_dash(ex, k)) {
        if closing && d + 1 < r.end {
            r.end = d;
        }
    }
    c.trim(r)
}

/// A dash that opens or closes an aside: an em or en dash, a double hyphen,
/// or a hyphen standing apart ("al-Qaeda" has none).
fn aside_dash(ex: &Ex, k: usize) -> bool {
    let c = &ex.c;
    match c.toks[k].text.as_str() {
        "—" | "–" | "--" => true,
        "-" => k > 0 && c.toks[k - 1].whitespace && c.toks[k].whitespace,
        _ => false,
    }
}

/// The cue with the auxiliaries and "also" right before it: "has said".
fn cue_range(ex: &Ex, v: usize) -> Range<usize> {
    let c = &ex.c;
    let mut lo = v;
    while lo > 0 {
        let p = lo - 1;
        if c.head(p) == v && matches!(c.dep(p), "aux" | "auxpass" | "neg")
            || (c.head(p) == v && c.dep(p) == "advmod" && c.lemma(p) == "also")
        {
            lo = p;
        } else {
            break;
        }
    }
    lo..v + 1
}

pub(crate) fn extract(
    ex: &Ex,
    events: &mut [EventMention],
    relations: &[RelationMention],
) -> Vec<ClaimMention> {
    let quotes = find_quotes(ex);
    let mut b = Builder {
        ex,
        used: vec![false; quotes.len()],
        quotes,
        claims: Vec::new(),
    };
    let c = &ex.c;
    for v in 0..c.len() {
        let lemma = c.lemma(v);
        if c.is_verb(v) {
            if let Some(class) = lexicon::cue_verb(&lemma) {
                verb_claim(&mut b, v, class);
            } else if words::has(List::RefusalVerb, &lemma) {
                refusal_claim(&mut b, v);
            }
        } else if c.is_noun(v) && lexicon::cue_noun(&lemma) {
            noun_claim(&mut b, v);
        }
        if lemma == "accord" || c.lower(v) == "according" {
            according_claim(&mut b, v);
        }
    }
    colon_claims(&mut b);
    continuation_quotes(&mut b);
    adverb_claims(&mut b);
    finish(b, events, relations)
}

/// "declined to comment", "refused to confirm the report": the source
/// neither confirms nor denies, which is never a denial.
fn refusal_claim(b: &mut Builder, v: usize) {
    let ex = b.ex;
    let c = &ex.c;
    let Some(x) = c
        .kid(v, &["xcomp"])
        .filter(|&x| words::has(List::NoCommentVerb, &c.lemma(x)))
    else {
        return;
    };
    let r = c.trim(c.clip(c.subtree(x), v));
    if r.is_empty() {
        return;
    }
    let speaker = cue_subject(ex, v).filter(|&s| c.para_of[s] == c.para_of[v]);
    let parts = vec![r];
    let kind = if b.quoted_share(&parts) >= 0.5 {
        ClaimKind::Quote
    } else {
        ClaimKind::Reported
    };
    b.claims.push(Draft {
        parts,
        speaker_range: speaker.map(|s| speaker_before_cue(ex, s, v)),
        speaker,
        cue: Some(cue_range(ex, v)),
        cue_lemma: Some(c.lemma(v)),
        kind,
        stance: Stance::NotConfirmed,
        verdict: None,
        hedges: Vec::new(),
        responds_to: None,
        inside_quote: b.innermost_quote(v),
    });
}

/// "Two Israeli operatives reportedly killed al-Masri": a clause that an
/// adverb alone attributes to sources it does not name. A hedged claim
/// with no speaker, unless it stands inside another claim (whose hedge it
/// then is) or on a reporting verb ("reportedly said").
fn adverb_claims(b: &mut Builder) {
    let ex = b.ex;
    let c = &ex.c;
    for t in 0..c.len() {
        if c.dep(t) != "advmod" || !words::has(List::AttributionAdverb, &c.lower(t)) {
            continue;
        }
        let v = c.head(t);
        if v == t
            || !(c.is_verb(v) || c.pos(v) == "AUX")
            || lexicon::cue_verb(&c.lemma(v)).is_some()
        {
            continue;
        }
        let inside = b
            .claims
            .iter()
            .any(|d| d.parts.iter().any(|r| r.contains(&t)));
        if inside {
            continue;
        }
        let clause = c.trim(c.clip(c.subtree_without(v, &["mark"]), v));
        let parts = b.absorb_quotes(clause, t);
        if parts.is_empty() {
            continue;
        }
        let kind = if b.quoted_share(&parts) >= 0.5 {
            ClaimKind::Quote
        } else {
            ClaimKind::Reported
        };
        b.claims.push(Draft {
            parts,
            speaker: None,
            speaker_range: None,
            cue: Some(t..t + 1),
            cue_lemma: Some(c.lower(t)),
            kind,
            stance: Stance::Hedge,
            verdict: None,
            hedges: vec![hedge(HedgeKind::Word, &c.toks[t].text)],
            responds_to: None,
            inside_quote: b.innermost_quote(t),
        });
    }
}

fn verb_claim(b: &mut Builder, v: usize, class: CueClass) {
    let ex = b.ex;
    let c = &ex.c;
    let lemma = c.lemma(v);
    // "intended to reveal", "is expected to cite", "vowed to say": a
    // statement not (yet) made.
    if c.dep(v) == "xcomp" {
        let h = c.lemma(c.head(v));
        if [
            List::Planned,
            List::HypotheticalGovernor,
            List::FutureGovernor,
        ]
        .into_iter()
        .any(|l| words::has(l, &h))
        {
            return;
        }
    }
    // An imperative ("Post a comment", "Read more") states nothing.
    if c.tag(v) == "VB"
        && c.kid(v, &["nsubj", "aux", "nsubjpass"]).is_none()
        && !matches!(
            c.dep(v),
            "xcomp" | "conj" | "advcl" | "ccomp" | "relcl" | "acl"
        )
    {
        return;
    }
    // "Secretary of State" style nouns tagged as verbs, and participles used
    // as adjectives, have no clause.
    let mut parts: Vec<Range<usize>> = Vec::new();
    let mut cue = cue_range(ex, v);
    if let Some((r, end)) = naming(ex, v) {
        // "called the charges fabricated", "called for an inquiry".
        parts = b.absorb_quotes(c.trim(c.clip(r, v)), v);
        cue.end = cue.end.max(end);
    } else if let Some(cc) = statement_clause(ex, v) {
        let r = c.trim(c.clip(c.subtree(cc), v));
        parts = b.absorb_quotes(r, v);
    } else if let Some(x) = c
        .kid(v, &["xcomp"])
        .filter(|&x| (c.is_verb(x) || c.pos(x) == "AUX") && !wh_infinitive(ex, x))
    {
        let r = c.trim(c.clip(c.subtree(x), v));
        parts = b.absorb_quotes(r, v);
    } else if let Some(o) = c.kid(v, &["dobj"]).filter(|&o| {
        object_is_content(&lemma) && (!lexicon::is_denial(&lemma) || is_statement_like(ex, o))
    }) {
        let mut r = c.trim(c.subtree(o));
        // "accused Iran's government of allowing ...", "blamed X for Y"
        if let Some(p) = c
            .kids(v, &["prep"])
            .find(|&p| matches!(c.lemma(p).as_str(), "of" | "as" | "for"))
        {
            let pr = c.subtree(p);
            r = r.start.min(pr.start)..r.end.max(pr.end);
        }
        parts = b.absorb_quotes(c.clip(r, v), v);
    } else if lemma == "accuse" || lemma == "blame" {
        if let Some(o) = c.kid(v, &["dobj"]) {
            let mut r = c.subtree(o);
            if let Some(p) = c
                .kids(v, &["prep"])
                .find(|&p| matches!(c.lemma(p).as_str(), "of" | "for"))
            {
                let pr = c.subtree(p);
                r = r.start.min(pr.start)..r.end.max(pr.end);
            }
            parts = vec![c.trim(c.clip(r, v))];
        }
    }
    // "This campaign, he says, is different": a parenthetical cue; the
    // statement is the clause around it.
    if parts.is_empty() && c.dep(v) == "parataxis" && c.kid(v, &["nsubj"]).is_some() {
        let h = c.head(v);
        if h != v && (c.is_verb(h) || c.pos(h) == "AUX") {
            let whole = c.clip(c.subtree(h), v);
            let cut = c.subtree(v);
            let left = c.trim(whole.start..cut.start.max(whole.start));
            let right = c.trim(cut.end.min(whole.end)..whole.end);
            parts = [left, right]
                .into_iter()
                .filter(|r| !r.is_empty())
                .collect();
        }
    }
    if parts.is_empty() {
        if class != CueClass::Speech {
            return;
        }
        let Some(k) = b.adjacent_quote(v) else { return };
        b.used[k] = true;
        parts.push(b.quotes[k].full());
        // "“A,” he said, “B.”": a second quote right after the cue, in
        // its paragraph (the next one's quote has its own cue).
        let s = c.sent(v);
        if b.quotes[k].close < v {
            if let Some(k2) = (0..b.quotes.len()).find(|&j| {
                !b.used[j]
                    && b.quotes[j].parent == b.quotes[k].parent
                    && b.quotes[j].open > v
                    && b.quotes[j].open < s.end + 1
                    && c.para_of[b.quotes[j].open] == c.para_of[v]
                    && (v + 1..b.quotes[j].open).all(|t| !c.is_verb(t) || c.head(t) == v)
            }) {
                b.used[k2] = true;
                parts.push(b.quotes[k2].full());
            }
        }
    }
    // A clause never runs across a line break (headlines); a quotation may
    // (clipped above, before quotations were absorbed).
    let parts: Vec<Range<usize>> = parts
        .into_iter()
        .map(|r| c.trim(r))
        .filter(|r| !r.is_empty())
        .collect();
    if parts.is_empty() {
        return;
    }
    let speaker = cue_subject(ex, v).filter(|&s| c.para_of[s] == c.para_of[v]);
    let passive = c.kid(v, &["nsubjpass", "auxpass"]).is_some();
    let mut hedges = Vec::new();
    if class == CueClass::Belief {
        hedges.push(hedge(HedgeKind::Belief, &c.toks[v].text));
    }
    if passive && speaker.is_none() {
        hedges.push(hedge(HedgeKind::NoSource, &c.toks[v].text));
    }
    for m in c.kids(v, &["advmod"]) {
        if lexicon::is_hedge_word(&c.lemma(m)) {
            hedges.push(hedge(HedgeKind::Word, &c.toks[m].text));
        }
    }
    let Some((stance, verdict)) = verb_stance(ex, v) else {
        // "did not say that ...": no statement was made.
        return;
    };
    let kind = if b.quoted_share(&parts) >= 0.5 {
        ClaimKind::Quote
    } else {
        ClaimKind::Reported
    };
    let responds_to = responds(b, v);
    b.claims.push(Draft {
        parts,
        speaker_range: speaker.map(|s| speaker_before_cue(ex, s, v)),
        speaker,
        cue: Some(cue),
        cue_lemma: Some(lemma),
        kind,
        stance,
        verdict,
        hedges,
        responds_to,
        inside_quote: b.innermost_quote(v),
    });
}

/// What "call" says: "called the charges unsubstantiated" (object and
/// its complement), "called for an inquiry" (what is called for, with
/// "for" joining the cue). The range of the statement, and where the cue
/// ends.
fn naming(ex: &Ex, v: usize) -> Option<(Range<usize>, usize)> {
    let c = &ex.c;
    if c.lemma(v) != "call" {
        return None;
    }
    if let Some(p) = c
        .kids(v, &["prep"])
        .find(|&p| p == v + 1 && c.lemma(p) == "for")
    {
        let o = c.kid(p, &["pobj"])?;
        return Some((c.subtree(o), p + 1));
    }
    let o = c.kid(v, &["dobj"])?;
    let k = c
        .kids(v, &["oprd", "xcomp", "attr", "ccomp", "acomp"])
        .chain(c.kids(o, &["oprd", "amod", "appos"]).filter(|&k| k > o))
        .find(|&k| k > o)?;
    let (a, b) = (c.subtree(o), c.subtree(k));
    Some((a.start.min(b.start)..a.end.max(b.end), v + 1))
}

/// "how to build boats", "where to anchor": an instruction, not a statement.
fn wh_infinitive(ex: &Ex, x: usize) -> bool {
    let c = &ex.c;
    c.tag(x) == "VB"
        && c.has_kid_lemma(x, &["aux"], &["to"])
        && c.kids(x, &["advmod", "dobj", "mark", "nsubj"])
            .any(|k| k < x && (matches!(c.tag(k), "WRB" | "WP" | "WDT") || c.lower(k) == "whether"))
}

/// The clause a cue introduces: a "that" clause, else the complement after
/// the cue, else one before it ("The road is closed, he said"). A "that"
/// clause the parser hung as an adverbial ("tweeted in the early morning
/// hours that X was ...") counts too.
fn statement_clause(ex: &Ex, v: usize) -> Option<usize> {
    let c = &ex.c;
    let opens_with_that = |k: usize| {
        c.kids(k, &["mark", "advmod"])
            .any(|m| m < k && c.lower(m) == "that")
    };
    // Never a clause in another paragraph ("Graham added:\n\nPompeo left").
    let ccomps: Vec<usize> = c
        .kids(v, &["ccomp"])
        .filter(|&k| c.para_of[k] == c.para_of[v])
        .collect();
    if let Some(&k) = ccomps.iter().find(|&&k| opens_with_that(k)) {
        return Some(k);
    }
    if let Some(&k) = ccomps.iter().find(|&&k| k > v) {
        return Some(k);
    }
    if let Some(&k) = ccomps.first() {
        return Some(k);
    }
    c.kids(v, &["advcl"]).find(|&k| k > v && opens_with_that(k))
}

fn hedge(kind: HedgeKind, text: &str) -> Hedge {
    Hedge {
        kind,
        text: text.to_string(),
    }
}

/// The stance of a cue toward the statement it introduces, and the verdict
/// that statement passes on others; `None` when no statement is made ("did
/// not say that ...").
///
/// Stance is read against the statement as written, so a negation inside it
/// is asserted, not denied: "said Al-Qaeda has had no ties with the
/// Taliban" asserts no ties, and "asserted that people were wrong to
/// believe X" asserts that they were wrong. Only the cue denies: "denied
/// that ...", "dismissed the reports as lies".
fn verb_stance(ex: &Ex, v: usize) -> Option<(Stance, Option<Verdict>)> {
    let c = &ex.c;
    let lemma = c.lemma(v);
    let negated = c.kid(v, &["neg"]).is_some();
    if negated {
        // "could not confirm", "did not deny": neither confirmed nor denied.
        return words::has(List::ConfirmCue, &lemma).then_some((Stance::NotConfirmed, None));
    }
    if lexicon::is_denial(&lemma) {
        return Some((Stance::Deny, None));
    }
    // "described the claims as baseless": the verdict lies outside the
    // statement ("the claims"), which the cue rejects.
    let outside_verdict = c.kids(v, &["prep", "oprd"]).find_map(|p| {
        let r = c.subtree(p);
        r.clone().find_map(|t| verdict_word(&c.lemma(t)))
    });
    if statement_clause(ex, v).is_none() {
        return Some(match outside_verdict {
            Some(Verdict::False) => (Stance::Deny, None),
            _ => (Stance::Assert, None),
        });
    }
    Some((Stance::Assert, statement_verdict(ex, v)))
}

fn verdict_word(lemma: &str) -> Option<Verdict> {
    if words::has(List::Falsehood, lemma) {
        Some(Verdict::False)
    } else if words::has(List::Truth, lemma) {
        Some(Verdict::True)
    } else {
        None
    }
}

/// "said they were lies", "said the reports were accurate": a clause whose
/// subject stands for statements and whose predicate calls them false or
/// true. "people were wrong to believe ..." is about people, not statements.
fn statement_verdict(ex: &Ex, v: usize) -> Option<Verdict> {
    let c = &ex.c;
    let root = statement_clause(ex, v)?;
    let subj = c.kid(root, &["nsubj", "nsubjpass"])?;
    let l = c.lemma(subj);
    let statement = is_report_noun(&l)
        || lexicon::cue_noun(&l)
        || matches!(
            c.lower(subj).as_str(),
            "they" | "it" | "this" | "that" | "these" | "those"
        );
    if !statement {
        return None;
    }
    if c.kid(root, &["neg"]).is_some() {
        return None;
    }
    // "they were lies", also parsed as "were warmongering" with "lies" as
    // its object.
    c.kids(root, &["attr", "acomp", "dobj"])
        .find_map(|a| verdict_word(&c.lemma(a)))
}

/// "The Taliban deny the claim": the cue's object refers to an earlier
/// statement.
/// Nouns that name a statement: "the claim", "Pompeo's accusations".
fn is_report_noun(lemma: &str) -> bool {
    matches!(
        lemma,
        "claim"
            | "report"
            | "accusation"
            | "allegation"
            | "statement"
            | "charge"
            | "rumour"
            | "rumor"
            | "assertion"
            | "account"
            | "story"
            | "remark"
            | "comment"
    )
}

/// The statement noun a cue answers: its object ("deny the claim") or the
/// object of a "commenting on ..." / "responding to ..." clause.
fn answered_noun(c: &Ctx<'_>, v: usize) -> Option<usize> {
    if let Some(o) = c.kid(v, &["dobj"]) {
        return is_report_noun(&c.lemma(o)).then_some(o);
    }
    c.kids(v, &["advcl"])
        .filter(|&a| {
            matches!(
                c.lemma(a).as_str(),
                "comment" | "respond" | "react" | "reply"
            )
        })
        .flat_map(|a| c.kids(a, &["prep"]).collect::<Vec<_>>())
        .filter_map(|p| c.kid(p, &["pobj"]))
        .find(|&o| is_report_noun(&c.lemma(o)))
}

fn responds(b: &Builder, v: usize) -> Option<usize> {
    let c = &b.ex.c;
    let o = answered_noun(c, v)?;
    let possessor = c.kid(o, &["poss"]);
    let definite = possessor.is_some()
        || c.has_kid_lemma(
            o,
            &["det"],
            &["the", "this", "that", "these", "those", "such"],
        );
    if !definite || c.kid(o, &["acl", "ccomp"]).is_some() {
        return None;
    }
    let si = c.sent_of[v];
    // The statement answered is an earlier one with a source, not one this
    // cue stands inside, nor one nested in the same statement.
    let home = b
        .claims
        .iter()
        .position(|d| d.parts.iter().any(|r| r.contains(&v)));
    let candidate = |k: usize| {
        let d = &b.claims[k];
        let end = d.parts.last().map(|r| r.end).unwrap_or(0);
        let nested_in_home = home.is_some_and(|h| {
            h == k
                || b.claims[h]
                    .parts
                    .iter()
                    .any(|r| d.cue.as_ref().is_some_and(|cu| r.contains(&cu.start)))
        });
        end <= v && end > 0 && d.speaker.is_some() && !nested_in_home
    };
    // "Pompeo's accusations": the latest earlier statement by that source.
    if let Some(p) = possessor {
        let who = c.toks[p].text.to_lowercase();
        return (0..b.claims.len()).rev().find(|&k| {
            candidate(k)
                && b.claims[k].speaker.is_some_and(|s| {
                    let named = match b.ex.antecedent[s] {
                        Some(e) => {
                            let x = &c.ents[e];
                            c.text[x.start..x.end].to_lowercase()
                        }
                        None => c.toks[s].text.to_lowercase(),
                    };
                    named.split_whitespace().any(|w| w == who)
                })
        });
    }
    let k = (0..b.claims.len()).rev().find(|&k| {
        let d = &b.claims[k];
        let end = d.parts.last().map(|r| r.end).unwrap_or(0);
        candidate(k) && si - c.sent_of[end - 1] <= 4
    })?;
    // "rumours about ... The officials could not confirm those reports":
    // a statement noun between that claim and the cue is what is answered.
    let end = b.claims[k].parts.last().map(|r| r.end).unwrap_or(0);
    let between = (end..v).any(|t| t != o && c.is_noun(t) && is_report_noun(&c.lemma(t)));
    (!between).then_some(k)
}

fn noun_claim(b: &mut Builder, n: usize) {
    let ex = b.ex;
    let c = &ex.c;
    // "a report that X", "his claim that X"
    let Some(cl) = c
        .kids(n, &["acl", "ccomp", "relcl"])
        .find(|&k| c.has_kid_lemma(k, &["mark"], &["that"]))
    else {
        return;
    };
    let speaker = c
        .kid(n, &["poss"])
        .or_else(|| {
            c.kids(n, &["compound", "nmod"]).find(|&m| {
                c.ent_label(m)
                    .is_some_and(|l| matches!(l, "ORG" | "PERSON" | "GPE" | "NORP"))
            })
        })
        .or_else(|| {
            c.kids(n, &["prep"])
                .find(|&p| matches!(c.lemma(p).as_str(), "by" | "from"))
                .and_then(|p| c.kid(p, &["pobj"]))
        });
    let Some(speaker) = speaker else { return };
    let speaker = c.ent(speaker).map(|e| c.ent_head(e)).unwrap_or(speaker);
    let r = c.trim(c.subtree(cl));
    let parts = b.absorb_quotes(r, n);
    if parts.is_empty() {
        return;
    }
    let lemma = c.lemma(n);
    let kind = if b.quoted_share(&parts) >= 0.5 {
        ClaimKind::Quote
    } else {
        ClaimKind::Reported
    };
    let stance = if lexicon::is_denial(&lemma) {
        Stance::Deny
    } else {
        Stance::Assert
    };
    let speaker_range = c.ent_range(speaker).unwrap_or(speaker..speaker + 1);
    b.claims.push(Draft {
        parts,
        speaker: Some(speaker),
        speaker_range: Some(speaker_range),
        cue: Some(n..n + 1),
        cue_lemma: Some(lemma),
        kind,
        stance,
        verdict: None,
        hedges: Vec::new(),
        responds_to: None,
        inside_quote: b.innermost_quote(n),
    });
}

fn according_claim(b: &mut Builder, v: usize) {
    let ex = b.ex;
    let c = &ex.c;
    let Some(to) = c.kids(v, &["prep"]).find(|&p| c.lemma(p) == "to") else {
        return;
    };
    let Some(src) = c.kid(to, &["pobj"]) else {
        return;
    };
    let h = c.head(v);
    if h == v {
        return;
    }
    // The clause the attribution hangs on, without the attribution itself.
    let mut clause = h;
    while !(c.is_verb(clause) || c.pos(clause) == "AUX") {
        let up = c.head(clause);
        if up == clause {
            break;
        }
        clause = up;
    }
    let whole = c.subtree(clause);
    let att = c.subtree(v);
    let mut parts = Vec::new();
    let left = c.trim(whole.start..att.start);
    let right = c.trim(att.end..whole.end);
    if !left.is_empty() {
        parts.push(left);
    }
    if !right.is_empty() {
        parts.push(right);
    }
    if parts.is_empty() {
        return;
    }
    let kind = if b.quoted_share(&parts) >= 0.5 {
        ClaimKind::Quote
    } else {
        ClaimKind::Reported
    };
    b.claims.push(Draft {
        parts,
        speaker: Some(src),
        speaker_range: Some(c.trim(c.subtree(src))),
        cue: Some(v..to + 1),
        cue_lemma: Some("according to".to_string()),
        kind,
        stance: Stance::Assert,
        verdict: None,
        hedges: vec![hedge(HedgeKind::AccordingTo, "according to")],
        responds_to: None,
        inside_quote: b.innermost_quote(v),
    });
}

/// Headline attribution: "Lynch: No outside influence on FBI probe" — a
/// line opening with a short name phrase and a colon, no verb before it.
fn colon_claims(b: &mut Builder) {
    let c = &b.ex.c;
    let n = c.len();
    let mut i = 0;
    while i < n {
        let p = c.para_of[i];
        let mut end = i;
        while end < n && c.para_of[end] == p {
            end += 1;
        }
        // A transcript line may open with a quotation mark: "“PENCE: ...".
        let first = (i..end)
            .find(|&t| !c.toks[t].text.trim().is_empty() && !matches!(c.tag(t), "``" | "''"));
        let colon = first.and_then(|f| (f..end.min(f + 8)).find(|&t| c.toks[t].text == ":"));
        if let (Some(f), Some(k)) = (first, colon) {
            let head_range = f..k;
            // A transcript's speaker label: "PENCE:", "MR. SMITH:".
            let label = head_range.len() <= 3
                && head_range.clone().all(|t| {
                    let w = c.toks[t].text.trim_end_matches('.');
                    w.chars().filter(|ch| ch.is_alphabetic()).count() >= 2
                        && w.chars().all(|ch| ch.is_uppercase() || !ch.is_alphabetic())
                });
            let named = label
                || head_range.clone().any(|t| {
                    c.ent_label(t)
                        .is_some_and(|l| matches!(l, "PERSON" | "ORG" | "GPE" | "NORP"))
                });
            let verbless = head_range
                .clone()
                .all(|t| !c.is_verb(t) && c.pos(t) != "AUX");
            let content = c.trim(k + 1..end);
            let covered = b.claims.iter().any(|d| {
                d.parts
                    .iter()
                    .any(|r| r.start < content.end && content.start < r.end)
            });
            if named && verbless && content.len() >= 3 && !covered && k > f {
                let speaker = head_range
                    .clone()
                    .find(|&t| {
                        let h = c.head(t);
                        h == t || !head_range.contains(&h)
                    })
                    .unwrap_or(k - 1);
                let kind = if b.quoted_share(std::slice::from_ref(&content)) >= 0.5 {
                    ClaimKind::Quote
                } else {
                    ClaimKind::Reported
                };
                b.claims.push(Draft {
                    parts: vec![content],
                    speaker: Some(speaker),
                    speaker_range: Some(c.trim(head_range)),
                    cue: Some(k..k + 1),
                    cue_lemma: Some(":".to_string()),
                    kind,
                    stance: Stance::Assert,
                    verdict: None,
                    hedges: Vec::new(),
                    responds_to: None,
                    inside_quote: None,
                });
            }
        }
        i = end.max(i + 1);
    }
}

/// A quotation with no cue of its own that follows a claim closely goes on
/// with the same speaker: "He asserted that ... “Masri's presence ...”".
fn continuation_quotes(b: &mut Builder) {
    let c = &b.ex.c;
    for k in 0..b.quotes.len() {
        if b.used[k] || b.quotes[k].parent.is_some() {
            continue;
        }
        let q = b.quotes[k].clone();
        let inner = q.inner();
        let words = inner
            .clone()
            .filter(|&t| !matches!(c.tag(t), "``" | "''" | "," | "." | ":"))
            .count();
        let has_verb = inner.clone().any(|t| c.is_verb(t));
        if words < 4 || !has_verb {
            continue;
        }
        // Covered by a claim already?
        if b.claims.iter().any(|d| {
            d.parts
                .iter()
                .any(|r| r.start < q.close + 1 && q.open < r.end)
        }) {
            continue;
        }
        let si = c.sent_of[q.open];
        let nested = |j: usize| {
            let cue = b.claims[j].cue.as_ref().map(|r| r.start);
            cue.is_some_and(|cu| {
                b.claims
                    .iter()
                    .enumerate()
                    .any(|(o, d)| o != j && d.parts.iter().any(|r| r.contains(&cu)))
            })
        };
        let prev = (0..b.claims.len()).rev().find(|&j| {
            let d = &b.claims[j];
            let end = d.parts.iter().map(|r| r.end).max().unwrap_or(0);
            end > 0
                && end <= q.open
                && si.saturating_sub(c.sent_of[end - 1]) <= 1
                && d.speaker.is_some()
                && !nested(j)
        });
        let Some(j) = prev else { continue };
        b.used[k] = true;
        let end = b.claims[j].parts.iter().map(|r| r.end).max().unwrap_or(0);
        if let Some(s) = introducer(b.ex, end..q.open) {
            b.claims.push(Draft {
                parts: vec![q.full()],
                speaker: Some(s),
                speaker_range: Some(speaker_range(b.ex, s)),
                cue: None,
                cue_lemma: None,
                kind: ClaimKind::Quote,
                stance: Stance::Assert,
                verdict: None,
                hedges: Vec::new(),
                responds_to: None,
                inside_quote: None,
            });
            continue;
        }
        let (speaker, speaker_range, hedges) = {
            let d = &b.claims[j];
            let kept: Vec<Hedge> = d
                .hedges
                .iter()
                .filter(|h| h.kind != HedgeKind::Word)
                .cloned()
                .collect();
            (d.speaker, d.speaker_range.clone(), kept)
        };
        b.claims.push(Draft {
            parts: vec![q.full()],
            speaker,
            speaker_range,
            cue: None,
            cue_lemma: None,
            kind: ClaimKind::Quote,
            stance: Stance::Assert,
            verdict: None,
            hedges,
            responds_to: None,
            inside_quote: None,
        });
    }
}

/// The subject of a clause between an earlier claim and a quotation that
/// introduces the quotation as its own statement: "Clinton began Sunday
/// with a tweet that drew no conclusions. “Woke up to ...”" is Clinton's,
/// not the speaker before.
fn introducer(ex: &Ex, between: Range<usize>) -> Option<usize> {
    let c = &ex.c;
    between.clone().find(|&s| {
        let h = c.head(s);
        let named = c.ent_of[s]
            .or(ex.antecedent[s])
            .is_some_and(|k| matches!(c.ents[k].label.as_str(), "PERSON" | "ORG"));
        c.dep(s) == "nsubj"
            && named
            && between.contains(&h)
            && c.is_verb(h)
            && c.subtree(h)
                .filter(|t| between.contains(t))
                .any(|t| c.is_noun(t) && words::has(List::IntroducingNoun, &c.lemma(t)))
    })
}

fn finish(
    b: Builder,
    events: &mut [EventMention],
    relations: &[RelationMention],
) -> Vec<ClaimMention> {
    let ex = b.ex;
    let c = &ex.c;
    // A sourceless statement inside another's ("she said Mahmoud was
    // believed to have left") is part of that one.
    let nested: Vec<bool> = b
        .claims
        .iter()
        .enumerate()
        .map(|(k, d)| {
            let inside_another = d.cue.as_ref().is_some_and(|cu| {
                b.claims
                    .iter()
                    .enumerate()
                    .any(|(j, o)| j != k && o.parts.iter().any(|r| r.contains(&cu.start)))
            });
            // "I think", "I hope", "you know" inside a quotation hedge the
            // quotation; they are not statements of their own.
            let aside = d.speaker.is_some_and(|s| {
                let first_or_second = matches!(c.lower(s).as_str(), "i" | "we" | "you");
                let belief = d
                    .cue_lemma
                    .as_deref()
                    .is_some_and(|l| lexicon::cue_verb(l) == Some(CueClass::Belief));
                first_or_second && belief && (d.inside_quote.is_some() || c.lower(s) == "you")
            });
            (d.speaker.is_none() && inside_another) || aside
        })
        .collect();
    // Claims in text order; `responds_to` indexes follow the move.
    let mut order: Vec<usize> = (0..b.claims.len()).filter(|&k| !nested[k]).collect();
    order.sort_by_key(|&k| b.claims[k].parts.first().map(|r| r.start).unwrap_or(0));
    let mut new_index: Vec<Option<usize>> = vec![None; b.claims.len()];
    for (new, &old) in order.iter().enumerate() {
        new_index[old] = Some(new);
    }
    let mut slots: Vec<Option<Draft>> = b.claims.into_iter().map(Some).collect();
    let drafts: Vec<Draft> = order
        .iter()
        .filter_map(|&old| slots[old].take())
        .map(|mut d| {
            d.responds_to = d.responds_to.and_then(|r| new_index[r]);
            d
        })
        .collect();
    let mut out: Vec<ClaimMention> = Vec::new();
    let spans_of = |d: &Draft| -> Vec<FactSpan> { d.parts.iter().map(|r| ex.span(r)).collect() };
    let mut speakers: Vec<Option<Ref>> = Vec::new();
    let genders = crate::coref::SpeakerGenders::new(ex);
    // For a pronoun speaker that goes on from an earlier claim's: that claim.
    let mut inherited: Vec<Option<usize>> = vec![None; drafts.len()];
    for (k, d) in drafts.iter().enumerate() {
        let mut speaker = d.speaker.map(|s| {
            let h = ex.content_head(s);
            let mut r = ex.make_ref(h);
            if let Some(sr) = &d.speaker_range {
                r.span = ex.span(sr);
            }
            r
        });
        // "The report stated": whoever the text said issued the report.
        if let (Some(s), Some(sp)) = (d.speaker, speaker.as_mut()) {
            if sp.entity.is_none() {
                if let Some(r) = document_issuer(ex, ex.content_head(s)) {
                    sp.entity = r.entity;
                    sp.label = r.label;
                }
            }
        }
        // "I"/"we" inside a quotation: the quotation's speaker.
        if let (Some(s), Some(q)) = (d.speaker, d.inside_quote) {
            if lexicon::pronoun(&c.lower(s)) == Some(PronounClass::Speaker) {
                let open = b.quotes[q].open;
                let outer = drafts
                    .iter()
                    .position(|o| o.parts.iter().any(|r| r.contains(&open)) && o.speaker.is_some())
                    .or_else(|| quote_before(ex, &drafts[..k], open));
                if let Some(o) = outer {
                    if let Some(os) = drafts[o].speaker {
                        let h = ex.content_head(os);
                        let r = ex.make_ref(h);
                        if let Some(sp) = speaker.as_mut() {
                            sp.entity = r.entity;
                            sp.label = r.label;
                        }
                    }
                }
            }
        }
        // "“...,” he added" right after another quotation: the same
        // speaker goes on, whoever the nearest name is.
        if let (Some(s), Some(sp)) = (d.speaker, speaker.as_mut()) {
            // A pronoun whose nearest name stands inside what an earlier
            // speaker said ("sanctions on X ... a reward for Y, he said")
            // refers to that speaker, not to the name.
            // (A statement with no speaker is no one's: a name in it may be
            // its misparsed source, "..., Curt Launer, an analyst, said".)
            let antecedent_was_said = sp.entity.as_ref().is_some_and(|e| {
                drafts.iter().filter(|o| o.speaker.is_some()).any(|o| {
                    o.parts.iter().any(|r| {
                        !r.is_empty()
                            && c.toks[r.start].start <= e.start
                            && e.end <= c.toks[r.end - 1].end
                    })
                })
            });
            let continues = d.kind == ClaimKind::Quote
                || d.cue_lemma.as_deref() == Some("add")
                || antecedent_was_said;
            // "He said" inside a quotation is someone the quotation's
            // speaker talks about, never that speaker: the pronoun's own
            // antecedent stands.
            if lexicon::pronoun(&c.lower(s)) == Some(PronounClass::Person)
                && d.inside_quote.is_none()
            {
                let start = d.parts.first().map(|r| r.start).unwrap_or(0);
                // A speaker inside another's statement ("Nevins said he
                // went ahead because Lynch agreed") is not who goes on.
                let reported = |j: usize| {
                    drafts[j].speaker.is_some_and(|t| {
                        drafts
                            .iter()
                            .enumerate()
                            .any(|(o, od)| o != j && od.parts.iter().any(|r| r.contains(&t)))
                    })
                };
                // A speaker who can be "he" or "she": named or described,
                // or a pronoun that already went on from one.
                let can_be_he = |j: usize| {
                    inherited[j].is_some()
                        || speakers[j].as_ref().is_some_and(|p| {
                            p.kind != MentionKind::Pronoun
                                && drafts[j].speaker.is_some_and(|t| person_like(ex, t, p))
                        })
                };
                // The last such speaker, within two sentences, who is not
                // known to be of the other gender.
                let prev = (0..speakers.len()).rev().find(|&j| {
                    can_be_he(j)
                        && !reported(j)
                        && drafts[j]
                            .speaker
                            .is_none_or(|t| !genders.clash(ex, s, ex.content_head(t)))
                        && drafts[j].parts.last().is_some_and(|r| {
                            r.end <= start
                                && c.sent_of[start]
                                    .saturating_sub(c.sent_of[r.end.saturating_sub(1)])
                                    <= 2
                        })
                });
                // Another speaker who could be "he" between them breaks the
                // chain; an organisation or a place in between cannot.
                let between_other = prev.is_some_and(|j| {
                    ((j + 1)..speakers.len()).any(|m| {
                        speakers[m].as_ref().is_some_and(|p| {
                            p.kind != MentionKind::Pronoun
                                && drafts[m].speaker.is_some_and(|t| person_like(ex, t, p))
                                && !reported(m)
                        })
                    })
                });
                // "..., a senior bank director said. ... , he said": a
                // speaker named more recently than the pronoun's antecedent
                // is who goes on speaking.
                let more_recent = prev.is_some_and(|j| {
                    let at = drafts[j].speaker.map(|t| c.toks[t].start).unwrap_or(0);
                    sp.entity.as_ref().is_none_or(|e| at > e.start)
                });
                if let (Some(j), false, true) = (prev, between_other, continues || more_recent) {
                    if let Some(p) = &speakers[j] {
                        sp.entity = p.entity.clone();
                        sp.label = p.label.clone();
                        // Through a pronoun that went on: its source.
                        inherited[k] = Some(inherited[j].unwrap_or(j));
                    }
                }
            }
        }
        speakers.push(speaker);
    }
    for (k, d) in drafts.iter().enumerate() {
        let parts = spans_of(d);
        let Some(first) = parts.first() else { continue };
        let last = parts.last().unwrap_or(first);
        let span = ex.span_bytes(first.start..last.end);
        let speaker = speakers[k].clone();
        let mut hedges = d.hedges.clone();
        // A pronoun going on from an unnamed source is that source.
        let speaker_kind = match inherited[k] {
            Some(j) if speaker.as_ref().is_some_and(|s| s.entity.is_none()) => {
                speaker_kind(ex, drafts[j].speaker, speakers[j].as_ref())
            }
            _ => speaker_kind(ex, d.speaker, speaker.as_ref()),
        };
        if speaker_kind == SpeakerKind::Unnamed {
            if let Some(s) = &speaker {
                hedges.push(hedge(HedgeKind::UnnamedSource, &s.span.text));
            }
        }
        // Hedge words and modals of possibility inside the statement itself.
        for r in &d.parts {
            for t in r.clone().filter(|&t| !in_noun_modifier(ex, t)) {
                let l = c.lemma(t);
                let word = lexicon::is_hedge_word(&l) && c.pos(t) == "ADV";
                // "may have been killed"; not "could confirm", the modal of
                // a statement of its own.
                let modal = c.tag(t) == "MD"
                    && words::has(List::HedgeModal, &c.lower(t))
                    && lexicon::cue_verb(&c.lemma(c.head(t))).is_none();
                let kind = if modal {
                    HedgeKind::Modal
                } else {
                    HedgeKind::Word
                };
                if (word || modal) && !hedges.iter().any(|h| h.text == c.toks[t].text) {
                    hedges.push(hedge(kind, &c.toks[t].text));
                }
            }
        }
        let epistemic = hedges.iter().any(|h| {
            matches!(
                h.kind,
                HedgeKind::Word | HedgeKind::Belief | HedgeKind::Modal
            )
        });
        let stance = if d.stance == Stance::Assert && epistemic {
            Stance::Hedge
        } else {
            d.stance
        };
        let mut about_entities: Vec<Ref> = Vec::new();
        for r in &d.parts {
            for t in r.clone() {
                let is_head = match c.ent(t) {
                    Some(e) => c.ent_head(e) == t && lexicon::is_actor_label(&e.label),
                    None => ex.antecedent[t].is_some(),
                };
                if is_head {
                    let rf = ex.make_ref(t);
                    if rf.entity.is_some() && !about_entities.iter().any(|a| a.entity == rf.entity)
                    {
                        about_entities.push(rf);
                    }
                }
            }
        }
        let about_events: Vec<usize> = events
            .iter()
            .enumerate()
            .filter(|(_, e)| parts.iter().any(|p| p.contains(&e.trigger)))
            .map(|(i, _)| i)
            .collect();
        let about_relations: Vec<usize> = relations
            .iter()
            .enumerate()
            .filter(|(_, r)| parts.iter().any(|p| p.contains(&r.cue)))
            .map(|(i, _)| i)
            .collect();
        let lo = d
            .cue
            .as_ref()
            .map(|r| r.start)
            .unwrap_or(usize::MAX)
            .min(d.parts[0].start);
        let hi = d
            .cue
            .as_ref()
            .map(|r| r.end)
            .unwrap_or(0)
            .max(d.parts.iter().map(|r| r.end).max().unwrap_or(0));
        let s0 = c.sent(lo);
        let s1 = c.sent(hi.saturating_sub(1).max(lo));
        let evidence = ex.span(&(s0.start..s1.end.max(s0.end)));
        let responds_to = d.responds_to;
        out.push(ClaimMention {
            span,
            parts,
            speaker_text: speaker.as_ref().map(|s| s.span.text.clone()),
            speaker,
            speaker_kind,
            cue: d.cue.as_ref().map(|r| ex.span(r)),
            cue_lemma: d.cue_lemma.clone(),
            kind: d.kind,
            stance,
            verdict: d.verdict,
            hedged: !hedges.is_empty(),
            hedges,
            about_entities,
            about_events,
            about_relations,
            responds_to,
            evidence,
        });
    }
    for cl in &out {
        for &e in &cl.about_events {
            events[e].modality = told_in(cl.stance, events[e].modality);
        }
    }
    out
}

/// Whether a word modifies a noun of the statement rather than its verb:
/// "allegedly" in "killed by a unit allegedly responsible for ..." does not
/// hedge the killing.
fn in_noun_modifier(ex: &Ex, t: usize) -> bool {
    let c = &ex.c;
    let mut cur = t;
    for _ in 0..12 {
        let h = c.head(cur);
        if h == cur {
            return false;
        }
        if matches!(c.dep(h), "amod" | "appos" | "acl" | "relcl") {
            return true;
        }
        if c.is_verb(h) {
            return false;
        }
        cur = h;
    }
    false
}

/// The quotation just before token `open`, at most a sentence back, whose
/// speaker is not "I" or "we": a quotation that follows it with no cue of
/// its own ("“...,” Ruiz said. “I would say ...”") is the same speaker's.
fn quote_before(ex: &Ex, drafts: &[Draft], open: usize) -> Option<usize> {
    let c = &ex.c;
    let j = drafts.len().checked_sub(1)?;
    let d = &drafts[j];
    let end = d.parts.iter().map(|r| r.end).max()?;
    let near = end <= open && c.sent_of[open].saturating_sub(c.sent_of[end.saturating_sub(1)]) <= 1;
    let third = d
        .speaker
        .is_some_and(|s| lexicon::pronoun(&c.lower(s)) != Some(PronounClass::Speaker));
    (d.kind == ClaimKind::Quote && near && third).then_some(j)
}

/// The modality of an event told inside a claim: what the article tells as
/// a source's statement is reported; what a source denies is denied; what
/// a source does not confirm is not told as having happened.
fn told_in(stance: Stance, own: Modality) -> Modality {
    if !own.happened() {
        return own;
    }
    match stance {
        Stance::Deny => Modality::Denied,
        Stance::NotConfirmed => Modality::Hypothetical,
        Stance::Assert | Stance::Hedge => Modality::Reported,
    }
}

/// How many sentences back "the report" may look for the report's issuer.
const ISSUER_SENTENCES: usize = 3;

/// Who issued the document a definite document noun speaks of ("the
/// report", "this statement"), when the text names it: its own possessor,
/// "by"/"from" object or name modifier ("the UN's report", "a report by the
/// UN", "a UN report"), else the nearest earlier mention of the same word
/// within a few sentences: "the UN released a report ... The report
/// stated", "News Channel 12 reported on ... The report stated". Only a
/// named issuer counts; the nearest mention decides, so an older report is
/// never taken for this one.
fn document_issuer(ex: &Ex, h: usize) -> Option<Ref> {
    let c = &ex.c;
    let l = c.lemma(h);
    if !c.is_noun(h) || !words::has(List::DocumentSource, &l) {
        return None;
    }
    if let Some(r) = own_issuer(ex, h) {
        return Some(r);
    }
    if !c.has_kid_lemma(h, &["det"], &["the", "this", "that"]) {
        return None;
    }
    let sent = c.sent_of[h];
    for t in (0..h).rev() {
        if c.sent_of[t] + ISSUER_SENTENCES < sent {
            return None;
        }
        if c.lemma(t) != l {
            continue;
        }
        if c.is_verb(t) {
            // "News Channel 12 reported on ...".
            return c
                .kid_or_shared(t, &["nsubj"])
                .and_then(|x| issuer_ref(ex, x, t));
        }
        if !c.is_noun(t) {
            continue;
        }
        if let Some(r) = own_issuer(ex, t) {
            return Some(r);
        }
        // "The UN released a report", "a report was released by the UN".
        let g = c.head(t);
        if g == t || !c.is_verb(g) {
            return None;
        }
        return match c.dep(t) {
            "dobj" => c
                .kid_or_shared(g, &["nsubj"])
                .and_then(|x| issuer_ref(ex, x, t)),
            "nsubjpass" => c
                .kids(g, &["agent"])
                .find_map(|a| c.kid(a, &["pobj"]))
                .and_then(|x| issuer_ref(ex, x, t)),
            _ => None,
        };
    }
    None
}

/// The issuer a phrase names, if it names one: several ("by Maria Lund and
/// Peter Sand") are no one speaker, and a pronoun names no one.
fn issuer_ref(ex: &Ex, x: usize, noun: usize) -> Option<Ref> {
    // A parse run across a line break ("... With Iran's Help\n\nOur
    // research") is not the noun's phrase.
    if ex.c.para_of[x] != ex.c.para_of[noun] {
        return None;
    }
    let h = ex.content_head(x);
    // "their research": a possessive pronoun's antecedent is too weak a
    // guess at who wrote it ("The Atlantic's reporters ... their research"
    // is not the group they write about).
    if ex.c.kid(h, &["conj"]).is_some() || matches!(ex.c.tag(h), "PRP" | "PRP$") {
        return None;
    }
    Some(ex.make_ref(h)).filter(|r| r.entity.is_some())
}

/// A document noun's own issuer: "the UN's report", "a report by the UN",
/// "a UN report".
fn own_issuer(ex: &Ex, t: usize) -> Option<Ref> {
    let c = &ex.c;
    let named = |x: usize| issuer_ref(ex, x, t);
    // "Our research", whatever else the parser hung on it: the writer's.
    let poss: Vec<usize> = c.kids(t, &["poss"]).collect();
    if poss.iter().any(|&p| matches!(c.tag(p), "PRP" | "PRP$")) {
        return None;
    }
    if let Some(r) = poss.into_iter().find_map(named) {
        return Some(r);
    }
    if let Some(r) = c
        .kids(t, &["prep"])
        .filter(|&p| p > t && matches!(c.lower(p).as_str(), "by" | "from"))
        .find_map(|p| c.kid(p, &["pobj"]))
        .and_then(named)
    {
        return Some(r);
    }
    c.kids(t, &["compound", "nmod"])
        .filter(|&m| c.ent_label(m).is_some_and(lexicon::is_actor_label))
        .find_map(named)
}

/// Whether a speaker can be "he" or "she": a person, or a singular noun
/// for one ("a senior bank director", "the spokesman").
fn person_like(ex: &Ex, s: usize, r: &Ref) -> bool {
    let c = &ex.c;
    if let Some(l) = &r.label {
        return l == "PERSON";
    }
    let h = ex.content_head(s);
    let l = c.lemma(h);
    c.tag(h) == "NN" && (lexicon::role_noun(&l).is_some() || lexicon::is_anonymous_source(&l))
}

/// Whether a claim's source is named, unnamed, unresolved or absent. `s` is
/// the speaker's head token and `r` its reference as finally resolved.
fn speaker_kind(ex: &Ex, s: Option<usize>, r: Option<&Ref>) -> SpeakerKind {
    let c = &ex.c;
    let (Some(s), Some(r)) = (s, r) else {
        return SpeakerKind::Unattributed;
    };
    if r.entity.is_some() {
        return SpeakerKind::Named;
    }
    if r.kind == MentionKind::Pronoun {
        return SpeakerKind::Unresolved;
    }
    let h = ex.content_head(s);
    // "most expect", "some say": no one in particular.
    if words::has(List::QuantifierPronoun, &c.lemma(h)) && c.ent_label(h).is_none() {
        return SpeakerKind::Unnamed;
    }
    // "60 percent said": a share of people asked.
    if c.ent_label(h)
        .is_some_and(|l| matches!(l, "PERCENT" | "CARDINAL" | "QUANTITY"))
    {
        return SpeakerKind::Unnamed;
    }
    // A name the tagger did not mark: "Mayor Ana Ruiz"; not a title alone
    // ("The Secretary of State").
    if c.tag(h).starts_with("NNP") && lexicon::role_noun(&c.lemma(h)).is_none() {
        return SpeakerKind::Named;
    }
    let l = c.lemma(h);
    if lexicon::is_anonymous_source(&l) {
        return SpeakerKind::Unnamed;
    }
    // "a senior US official", "several analysts", "Afghan officials",
    // "one 19-page document": no one in particular.
    let quantified = h != s
        || c.kids(h, &["det", "nummod", "amod", "quantmod"])
            .any(|d| words::has(List::IndefiniteDet, &c.lemma(d)));
    let definite = c.kid(h, &["poss"]).is_some()
        || c.has_kid_lemma(h, &["det"], &["the", "this", "that", "these", "those"]);
    // A group no one names: "Afghan officials", "State's reviewers".
    let plural = c.tag(h) == "NNS";
    if quantified || plural || (!definite && c.kid(h, &["det"]).is_some()) {
        return SpeakerKind::Unnamed;
    }
    SpeakerKind::Unresolved
}

#[cfg(test)]
mod tests {
    use crate::testutil::{facts, named};
    use crate::{ClaimMention, EventType, Verdict};
    use dossier_core::{ClaimKind, Modality, Polarity, SpeakerKind, Stance};

    fn speaker(c: &ClaimMention) -> String {
        c.speaker.as_ref().map(named).unwrap_or_default()
    }

    #[test]
    fn quote_spanning_sentences() {
        let text = "“We will rebuild the bridge. The work starts in May,” Mayor Ana Ruiz said.";
        let f = facts(text);
        assert_eq!(f.claims.len(), 1, "{:?}", f.claims);
        let c = &f.claims[0];
        assert_eq!(c.kind, ClaimKind::Quote);
        assert!(speaker(c).ends_with("Ana Ruiz"));
        assert_eq!(c.speaker_text.as_deref(), Some("Mayor Ana Ruiz"));
        assert!(
            c.span.text.contains("rebuild the bridge") && c.span.text.contains("starts in May")
        );
        assert_eq!(c.cue.as_ref().map(|s| s.text.as_str()), Some("said"));
        assert_eq!(c.stance, Stance::Assert);
        assert_eq!(c.speaker_kind, SpeakerKind::Named);
        assert!(!c.hedged);
        // Offsets: bytes slice the text, code points count the quote marks as one.
        assert_eq!(&text[c.span.start..c.span.end], c.span.text);
        assert_eq!(c.span.char_start, text[..c.span.start].chars().count());
    }

    #[test]
    fn the_asker_of_a_question_is_its_speaker() {
        // The parser reads "the 43-year-old asked" as an adjective with a
        // participle clause, or the participle's modifier: no subject.
        for text in [
            "Mara Velasco posted a video on Monday. “What if the council had asked first?” the 43-year-old asked in the video’s description.",
            "Mara Velasco spoke on Monday. “Is the roof safe?” the 43-year-old asked reporters.",
        ] {
            let f = facts(text);
            let c = f
                .claims
                .iter()
                .find(|c| c.cue.as_ref().is_some_and(|x| x.text == "asked"))
                .unwrap_or_else(|| panic!("{text}: {:?}", f.claims));
            assert_eq!(c.speaker_text.as_deref(), Some("the 43-year-old"), "{text}");
            assert_eq!(c.kind, ClaimKind::Quote);
        }
        // A true passive has no such speaker.
        let f = facts("“Is the roof safe?” Mara Velasco was asked at the meeting.");
        assert!(
            f.claims
                .iter()
                .all(|c| c.speaker_text.as_deref() != Some("Mara Velasco")),
            "{:?}",
            f.claims
        );
    }

    #[test]
    fn a_quote_in_the_next_paragraph_is_not_the_cues_second_part() {
        let text = "“What if the council had asked first?” Mara Velasco said in the video.\n\n“Why did the council close the only library in town?” the teacher asked at the meeting.";
        let f = facts(text);
        let teacher = f
            .claims
            .iter()
            .find(|c| c.span.text.contains("only library"))
            .unwrap_or_else(|| panic!("{:?}", f.claims));
        assert_eq!(teacher.speaker_text.as_deref(), Some("the teacher"));
        let velasco = f
            .claims
            .iter()
            .find(|c| c.span.text.contains("asked first"))
            .unwrap_or_else(|| panic!("{:?}", f.claims));
        assert!(!velasco.span.text.contains("library"), "{:?}", velasco.span);
    }

    #[test]
    fn a_gerund_after_a_preposition_is_said_by_the_clause_above() {
        let cases = [
            ("Tomas Varga spoke in Lyon on Sunday. And he made a point of saying the old bridge would reopen in May.", "he"),
            ("Mayor Ana Ruiz ended the meeting by saying the roof was safe.", "Mayor Ana Ruiz"),
            ("Ana Ruiz thanked Tomas Varga for saying the bridge would reopen.", "Tomas Varga"),
        ];
        for (text, who) in cases {
            let f = facts(text);
            let c = f
                .claims
                .iter()
                .find(|c| c.cue.as_ref().is_some_and(|x| x.text == "saying"))
                .unwrap_or_else(|| panic!("{text}: {:?}", f.claims));
            assert_eq!(c.speaker_text.as_deref(), Some(who), "{text}");
        }
    }

    #[test]
    fn straight_quotes_before_the_cue() {
        let f = facts("Karim Bashir said: \"The road is closed until Friday.\"");
        let c = &f.claims[0];
        assert_eq!(c.kind, ClaimKind::Quote);
        assert_eq!(speaker(c), "Karim Bashir");
        assert!(c.span.text.contains("The road is closed"));
    }

    #[test]
    fn nested_quote_has_its_own_speaker() {
        let f = facts("“The commander told me ‘we are leaving tomorrow’ and then he left,” said Karim Bashir.");
        let outer = f
            .claims
            .iter()
            .find(|c| c.span.text.contains("and then he left"))
            .unwrap();
        assert_eq!(speaker(outer), "Karim Bashir");
        let inner = f
            .claims
            .iter()
            .find(|c| c.cue.as_ref().is_some_and(|x| x.text == "told"))
            .unwrap();
        assert!(inner.span.text.contains("we are leaving tomorrow"));
        assert_eq!(inner.speaker_text.as_deref(), Some("The commander"));
    }

    #[test]
    fn reported_speech_marks_events_reported() {
        let f = facts("The ministry said that the convoy had been attacked near Homs.");
        let c = &f.claims[0];
        assert_eq!(c.kind, ClaimKind::Reported);
        assert_eq!(c.speaker_text.as_deref(), Some("The ministry"));
        assert!(c.span.text.starts_with("that the convoy"));
        let attack = f
            .events
            .iter()
            .position(|e| e.kind == EventType::Attack)
            .unwrap();
        assert_eq!(f.events[attack].modality, Modality::Reported);
        assert_eq!(c.about_events, vec![attack]);
    }

    #[test]
    fn denials() {
        let f = facts("The Northern Front denied that its fighters had attacked the convoy.");
        assert_eq!(f.claims[0].stance, Stance::Deny);
        assert_eq!(f.claims[0].polarity(), Polarity::Deny);
        assert_eq!(f.claims[0].cue_lemma.as_deref(), Some("deny"));
        // The denied event is told as not having happened.
        let e = f.claims[0].about_events[0];
        assert_eq!(f.events[e].modality, Modality::Denied);
        let f = facts("Officials said the convoy was attacked near Homs. The militia rejected the accusation.");
        let deny = f.claims.iter().find(|c| c.stance == Stance::Deny).unwrap();
        assert_eq!(deny.responds_to, Some(0));
        // Rejecting a request is no statement.
        let f = facts("The mayor rejected the request for more police.");
        assert!(f.claims.is_empty(), "{:?}", f.claims);
    }

    #[test]
    fn negation_inside_the_statement_is_asserted() {
        // The speaker asserts no ties: no denial of "no ties".
        let f = facts(
            "A spokesman for the Northern Front said the group has had no ties with the militia.",
        );
        assert_eq!(f.claims[0].stance, Stance::Assert, "{:?}", f.claims);
        // Calling a belief wrong asserts that it is wrong.
        let f = facts(
            "He asserted that people were wrong to believe that the two groups were enemies.",
        );
        let c = f
            .claims
            .iter()
            .find(|c| c.cue_lemma.as_deref() == Some("assert"))
            .unwrap();
        assert_eq!(c.stance, Stance::Assert);
        assert_eq!(c.verdict, None);
        // Calling statements lies is a verdict on them, asserted.
        let f = facts("Minister Omar Farah said the reports were lies.");
        assert_eq!(f.claims[0].stance, Stance::Assert);
        assert_eq!(f.claims[0].verdict, Some(Verdict::False));
        // No evidence of a killing: the killing is not told as having happened.
        let f = facts("The army said it had no evidence that Samir Daoud was killed.");
        assert_eq!(f.claims[0].stance, Stance::Assert);
        let k = f
            .events
            .iter()
            .find(|e| e.kind == EventType::Killing)
            .unwrap();
        assert_eq!(k.modality, Modality::Hypothetical);
        // A verdict outside the statement rejects it.
        let f = facts("The ministry described the reports as baseless.");
        assert_eq!(f.claims[0].stance, Stance::Deny, "{:?}", f.claims);
    }

    #[test]
    fn not_confirmed_is_never_a_denial() {
        let f = facts("The officials could not confirm the reports.");
        assert_eq!(f.claims[0].stance, Stance::NotConfirmed);
        assert_eq!(f.claims[0].polarity(), Polarity::Assert);
        let f = facts("The ministry declined to comment.");
        let c = &f.claims[0];
        assert_eq!(c.stance, Stance::NotConfirmed);
        assert_eq!(c.span.text, "to comment");
        assert_eq!(c.speaker_text.as_deref(), Some("The ministry"));
        let f = facts("The army did not deny the report.");
        assert_eq!(f.claims[0].stance, Stance::NotConfirmed, "{:?}", f.claims);
    }

    #[test]
    fn reportedly_without_a_speaker() {
        let f = facts("Two agents reportedly killed Omar Zaki at the behest of the army.");
        let c = &f.claims[0];
        assert_eq!(c.stance, Stance::Hedge);
        assert_eq!(c.speaker_kind, SpeakerKind::Unattributed);
        assert!(c.hedged);
        assert_eq!(c.cue.as_ref().map(|x| x.text.as_str()), Some("reportedly"));
        let parts: Vec<&str> = c.parts.iter().map(|p| p.text.as_str()).collect();
        assert_eq!(
            parts,
            ["Two agents", "killed Omar Zaki at the behest of the army"]
        );
        let k = f
            .events
            .iter()
            .find(|e| e.kind == EventType::Killing)
            .unwrap();
        assert_eq!(k.modality, Modality::Reported);
        // Inside a statement, the adverb hedges that statement.
        let f = facts("Colonel James Ortiz said the commander was reportedly killed.");
        assert_eq!(f.claims.len(), 1, "{:?}", f.claims);
        assert_eq!(f.claims[0].stance, Stance::Hedge);
    }

    #[test]
    fn speaker_kinds() {
        let f = facts("A senior official said the talks had failed.");
        assert_eq!(f.claims[0].speaker_kind, SpeakerKind::Unnamed);
        let f = facts("Afghan analysts said the talks had failed.");
        assert_eq!(f.claims[0].speaker_kind, SpeakerKind::Unnamed);
        let f = facts("The spokesman said the talks had failed.");
        assert_eq!(f.claims[0].speaker_kind, SpeakerKind::Unresolved);
        let f = facts("The talks had failed, it was reported.");
        assert!(
            f.claims
                .iter()
                .all(|c| c.speaker_kind == SpeakerKind::Unattributed),
            "{:?}",
            f.claims
        );
    }

    #[test]
    fn who_goes_on_speaking() {
        // "he said" goes on from the last speaker who can be "he", named
        // after the pronoun's nearest name.
        let f = facts(
            "Karim Haddad said the talks would resume. The exchanges have agreed on the rules, a senior bank director said. Questions remain. But the port will gain, he said.",
        );
        let last = f.claims.last().unwrap();
        assert_eq!(last.speaker_text.as_deref(), Some("he"));
        assert!(last.speaker.as_ref().unwrap().entity.is_none(), "{last:?}");
        assert_eq!(last.speaker_kind, SpeakerKind::Unnamed);
        // Whoever issued a statement says what it says.
        let f = facts("The Northern Front issued a statement saying it had left the city.");
        assert_eq!(speaker(&f.claims[0]), "The Northern Front");
        // A share of people asked is an unnamed source.
        let f = facts("In the survey, 60 percent said they would vote again.");
        assert_eq!(f.claims[0].speaker_kind, SpeakerKind::Unnamed);
        // "It said" of a company is the company; "staff members
        // suggesting" are the staff members; "most expect" no one named.
        let f = facts(
            "Standard Trust affirmed the ratings of the bank. It said the purchase could be funded from cash.",
        );
        let said = f
            .claims
            .iter()
            .find(|c| c.cue_lemma.as_deref() == Some("say"))
            .expect("a claim");
        assert_eq!(said.speaker_text.as_deref(), Some("It"));
        let f = facts("The emails included staff members suggesting the senator should resign.");
        assert_eq!(f.claims[0].speaker_text.as_deref(), Some("staff members"));
        let f = facts(
            "It is unclear when the port reopens, although most expect it to open this week.",
        );
        let c = f
            .claims
            .iter()
            .find(|c| c.cue_lemma.as_deref() == Some("expect"))
            .unwrap();
        assert_eq!(c.speaker_kind, SpeakerKind::Unnamed);
        // A speaker run into a dateline starts after it.
        let f = facts(
            "MARSEILLE, May 31 - Port Authority of Marseille said it received new cranes for the harbour.",
        );
        assert_eq!(
            f.claims[0].speaker_text.as_deref(),
            Some("Port Authority of Marseille")
        );
    }

    #[test]
    fn he_inside_a_quotation_is_not_its_writer() {
        // The writer quotes what someone said of a third person.
        let f = facts(
            "\"John Keller stressed that he did not choose the site for votes,\" wrote reporter Lena Ostrova, citing people at the meeting. \"He said he thought most residents would welcome the port.\"",
        );
        let c = f
            .claims
            .iter()
            .find(|c| c.span.text.starts_with("he thought"))
            .expect("the quoted claim");
        assert_eq!(speaker(c), "John Keller", "{c:?}");
    }

    #[test]
    fn a_speaker_inside_another_statement_does_not_go_on() {
        let f = facts(
            "Omar Nouri said he chose the plan only because Peter Sand agreed to help. (\"We have persuaded the old team to return,\" he said.)",
        );
        let c = f
            .claims
            .iter()
            .find(|c| c.span.text.starts_with("We have"))
            .expect("the quotation");
        assert_eq!(speaker(c), "Omar Nouri", "{c:?}");
    }

    #[test]
    fn a_second_cue_hung_on_the_statement_keeps_the_first_speaker() {
        // The parser joins "predicted" to "was": "the tone" cannot speak.
        let f = facts(
            "Ana Ruiz told the radio station the tone of the talks was calm, and predicted listeners would be surprised.",
        );
        let c = f
            .claims
            .iter()
            .find(|c| c.cue_lemma.as_deref() == Some("predict"))
            .expect("the prediction");
        assert_eq!(speaker(c), "Ana Ruiz", "{c:?}");
    }

    #[test]
    fn a_dateline_parsed_as_a_second_subject_is_not_the_speaker() {
        let f = facts(
            "RENO, Nev., April 8 - Corbin Power Inc said it\nreceived the necessary financing to complete construction work\nat its Pine Ridge facility.",
        );
        assert_eq!(
            f.claims[0].speaker_text.as_deref(),
            Some("Corbin Power Inc")
        );
        // A title in apposition that the parser makes a second subject is
        // not the speaker either.
        let f = facts(
            "Lena Ostrova, the secretary general of the council, vowed not to repeat that mistake.",
        );
        assert!(
            f.claims.iter().all(|c| c
                .speaker_text
                .as_deref()
                .is_none_or(|s| s.starts_with("Lena"))),
            "{:?}",
            f.claims
        );
    }

    #[test]
    fn a_wrapped_line_does_not_end_a_quotation() {
        // Hard-wrapped newswire: a line break after a word is no paragraph
        // end, so the quotation goes on to its closing mark.
        let f =
            facts("“We will rebuild the\nbridge. The work starts in May,” Mayor Ana Ruiz said.");
        assert_eq!(f.claims.len(), 1, "{:?}", f.claims);
        let c = &f.claims[0];
        assert!(
            c.span.text.contains("rebuild") && c.span.text.contains("starts in May"),
            "{:?}",
            c.span.text
        );
        assert_eq!(c.kind, ClaimKind::Quote);
    }

    #[test]
    fn a_quotation_introduced_by_another_persons_statement_is_theirs() {
        let f = facts(
            "\"We will win this county,\" Tomas Varga said. \"The voters know us.\"\n\nMaria Lund began Monday with a short statement that named no one. \"We are praying for the families and we will wait for the facts.\"",
        );
        let c = f
            .claims
            .iter()
            .find(|c| c.span.text.contains("praying"))
            .expect("the quotation");
        assert_eq!(speaker(c), "Maria Lund", "{c:?}");
        // Without the statement the quotation goes on with the speaker.
        let f = facts(
            "\"We will win this county,\" Tomas Varga said. \"The voters know us. We are praying for the families and we will wait for the facts.\"",
        );
        let c = f
            .claims
            .iter()
            .find(|c| c.span.text.contains("praying"))
            .expect("the quotation");
        assert_eq!(speaker(c), "Tomas Varga", "{c:?}");
    }

    #[test]
    fn a_resolved_pronoun_makes_a_named_speaker() {
        // The seam for the pipeline's coreference: a pronoun speaker left
        // unresolved here takes the entity it resolves to.
        let mut f = facts("He said the talks had failed.");
        let c = &mut f.claims[0];
        assert_eq!(c.speaker_kind, SpeakerKind::Unresolved);
        let name = c.speaker.as_ref().unwrap().span.clone();
        c.resolve_speaker(Some(name.clone()), Some("PERSON".into()));
        assert_eq!(c.speaker_kind, SpeakerKind::Named);
        assert_eq!(c.speaker.as_ref().unwrap().entity, Some(name));
        // No answer changes nothing.
        let mut f = facts("He said the talks had failed.");
        f.claims[0].resolve_speaker(None, None);
        assert_eq!(f.claims[0].speaker_kind, SpeakerKind::Unresolved);
    }

    #[test]
    fn answers_find_the_statement_they_answer() {
        // "Commenting on X's accusations": X's latest statement.
        let f = facts(
            "Senator Paula Reyes said the ministry had hidden the payments. \
             Officials said the budget was balanced. \
             Commenting on Reyes's accusations, minister Tomas Lind said they were lies.",
        );
        let answer = f
            .claims
            .iter()
            .find(|c| c.verdict == Some(Verdict::False))
            .expect("a verdict");
        assert_eq!(answer.responds_to, Some(0), "{:?}", f.claims);
        // The reports answered are the rumours just named, not the claim
        // before them.
        let f = facts(
            "Two officials said the commander was killed. \
             There are rumours about the fate of his deputy. \
             The officials could not confirm those reports.",
        );
        let weak = f
            .claims
            .iter()
            .find(|c| c.stance == Stance::NotConfirmed)
            .expect("a non-confirmation");
        assert_eq!(weak.responds_to, None, "{:?}", f.claims);
    }

    #[test]
    fn hedges() {
        let f = facts("Two officials said the commander was killed.");
        assert!(f.claims[0].hedged, "unnamed source");
        let f = facts("Mayor Ana Ruiz said the commander was killed.");
        assert!(!f.claims[0].hedged);
        let f = facts("The commander was allegedly killed, Mayor Ana Ruiz said.");
        assert!(f.claims[0].hedged);
        let f = facts("Analysts believe the group is rebuilding.");
        assert!(f.claims[0].hedged);
    }

    #[test]
    fn according_to() {
        let f = facts("The commander was killed in the strike, according to Colonel James Ortiz.");
        let c = &f.claims[0];
        assert_eq!(speaker(c), "James Ortiz");
        assert_eq!(
            c.cue.as_ref().map(|x| x.text.as_str()),
            Some("according to")
        );
        assert_eq!(c.span.text, "The commander was killed in the strike");
        assert!(c.hedged);
    }

    #[test]
    fn pronoun_speaker_resolves() {
        let f =
            facts("Colonel James Ortiz visited the site on Monday. He said the damage was severe.");
        let c = &f.claims[0];
        assert_eq!(c.speaker_text.as_deref(), Some("He"));
        assert_eq!(speaker(c), "James Ortiz");
    }

    #[test]
    fn quote_continues_with_the_same_speaker() {
        let f = facts(
            "Colonel James Ortiz said the operation was over. “We found the weapons in the cellar.”",
        );
        assert_eq!(f.claims.len(), 2, "{:?}", f.claims);
        assert_eq!(speaker(&f.claims[1]), "James Ortiz");
        assert_eq!(f.claims[1].kind, ClaimKind::Quote);
    }

    #[test]
    fn scare_quotes_are_not_claims() {
        let f = facts("The group called it a “victory” and moved on.");
        assert!(
            f.claims.iter().all(|c| c.kind != ClaimKind::Quote),
            "{:?}",
            f.claims
        );
    }

    #[test]
    fn about_entities_and_statement_nouns() {
        let f = facts(
            "Colonel James Ortiz confirmed a Reuters report that Omar Zaki was arrested in Basra.",
        );
        let c = f
            .claims
            .iter()
            .find(|c| c.cue_lemma.as_deref() == Some("confirm"))
            .unwrap();
        let about: Vec<String> = c.about_entities.iter().map(named).collect();
        assert!(about.contains(&"Omar Zaki".to_string()), "{about:?}");
        assert!(f
            .claims
            .iter()
            .any(|c| c.speaker_text.as_deref() == Some("Reuters")));
    }

    #[test]
    fn quote_running_over_paragraphs() {
        let f = facts("“The port will reopen on Monday.\n\n“Ships are already waiting outside,” Colonel James Ortiz said.");
        let q: Vec<&ClaimMention> = f
            .claims
            .iter()
            .filter(|c| c.kind == ClaimKind::Quote)
            .collect();
        assert_eq!(q.len(), 1, "{:?}", f.claims);
        assert!(
            q[0].span.text.contains("reopen on Monday")
                && q[0].span.text.contains("already waiting")
        );
        assert_eq!(speaker(q[0]), "James Ortiz");
    }

    #[test]
    fn headline_colon_attribution() {
        let f = facts(
            "The port was closed for a week.\n\nMayor James Ortiz: the port will reopen after the strike.",
        );
        let c = f
            .claims
            .iter()
            .find(|c| c.cue_lemma.as_deref() == Some(":"))
            .expect("colon claim");
        assert_eq!(c.speaker_text.as_deref(), Some("Mayor James Ortiz"));
        assert_eq!(c.span.text, "the port will reopen after the strike");
        // A headline is furniture: no claim.
        let f = facts(
            "Mayor James Ortiz: Port Will Reopen After Strike\n\nThe port was closed for a week.",
        );
        assert!(f.claims.is_empty(), "{:?}", f.claims);
        assert_eq!(
            f.furniture[0].span.text,
            "Mayor James Ortiz: Port Will Reopen After Strike"
        );
        // A verb before the colon is no headline attribution.
        let f = facts("Read more: the port will reopen after the strike.");
        assert!(
            f.claims.iter().all(|c| c.cue_lemma.as_deref() != Some(":")),
            "{:?}",
            f.claims
        );
    }

    #[test]
    fn calling_names_and_calling_for() {
        let f = facts("The ministry called the charges unfounded and politically motivated.");
        let c = &f.claims[0];
        assert_eq!(c.cue.as_ref().map(|x| x.text.as_str()), Some("called"));
        assert!(
            c.span.text.starts_with("the charges unfounded"),
            "{:?}",
            c.span.text
        );
        let f = facts("Senator Paula Reyes called for an inquiry into the payments.");
        let c = &f.claims[0];
        assert_eq!(c.cue.as_ref().map(|x| x.text.as_str()), Some("called for"));
        assert_eq!(c.span.text, "an inquiry into the payments");
        // Calling someone is no statement.
        let f = facts("The minister called the mayor on Monday.");
        assert!(f.claims.is_empty(), "{:?}", f.claims);
    }

    #[test]
    fn the_statement_is_the_clause_after_the_cue() {
        let f = facts("Writing for a panel that agreed the senator won, Mark Hale noted that the way he spoke was critical.");
        let c = f
            .claims
            .iter()
            .find(|c| c.cue_lemma.as_deref() == Some("note"))
            .expect("a claim");
        assert_eq!(c.span.text, "that the way he spoke was critical");
    }

    #[test]
    fn parenthetical_cue() {
        let f = facts("The campaign, Colonel James Ortiz says, is over.");
        let c = &f.claims[0];
        assert_eq!(speaker(c), "James Ortiz");
        assert_eq!(c.parts.len(), 2);
        assert_eq!(c.parts[0].text, "The campaign");
        assert_eq!(c.parts[1].text, "is over");
    }

    fn claim_with<'f>(f: &'f crate::DocFacts, words: &str) -> &'f ClaimMention {
        f.claims
            .iter()
            .find(|c| c.span.text.contains(words))
            .unwrap_or_else(|| panic!("no claim with {words:?}: {:?}", f.claims))
    }

    #[test]
    fn straight_mark_glued_to_a_word_closes_a_curly_quote() {
        let text = "\"The port stays closed,\" Karim Bashir said. “The ships will wait until the storm has passed, and the crews are safe on land,\" he told the harbour council on Monday.";
        let mut p = crate::testutil::parse(text);
        // In a long article the tagger may call this mark an opening one.
        let last = p.tokens.iter().rposition(|t| t.text == "\"");
        if let Some(t) = last.and_then(|k| p.tokens.get_mut(k)) {
            t.tag = "``".to_string();
        }
        let ex = crate::extract::Ex::new(crate::doc::Ctx::new(text, &p, &[]));
        let quotes = super::find_quotes(&ex);
        let curly = quotes
            .iter()
            .find(|q| ex.c.toks[q.open].text == "“")
            .expect("the curly quote");
        assert!(curly.closed);
        assert_eq!(Some(curly.close), last);
        let f = crate::extract("t", text, &p, &[]);
        let c = claim_with(&f, "ships will wait");
        assert_eq!(speaker(c), "Karim Bashir");
    }

    #[test]
    fn first_person_in_a_following_quote_is_the_quoted_speaker() {
        let f = facts("\"The bridge will be rebuilt by May,\" Mayor John Carver said at the town hall. \"I would say the work is already late -- but it will be done\"");
        let c = claim_with(&f, "already late");
        assert_eq!(speaker(c), "John Carver");
        assert_eq!(c.speaker_kind, SpeakerKind::Named);
    }

    #[test]
    fn a_bare_title_is_the_person_who_bore_it() {
        let f = facts("Interior Minister Tomas Varga said on Monday that the border would reopen. The Minister said: \"We will not wait for the neighbours.\"");
        let c = claim_with(&f, "not wait");
        assert_eq!(speaker(c), "Tomas Varga");
        assert_eq!(c.speaker_kind, SpeakerKind::Named);
        // Two ministers: "the minister" is neither.
        let f = facts("Interior Minister Tomas Varga met Finance Minister Ilse Brandt. The minister said that the border would reopen.");
        let c = claim_with(&f, "border would reopen");
        assert_eq!(c.speaker_kind, SpeakerKind::Unresolved);
    }

    #[test]
    fn an_appositive_speaker_is_the_name_it_describes() {
        let f = facts("Reporters spoke to Lena Ostrova, a consultant with the Harbor Institute, who said that the river was polluted.");
        let c = claim_with(&f, "river was polluted");
        assert_eq!(speaker(c), "Lena Ostrova");
        assert_eq!(c.speaker_kind, SpeakerKind::Named);
    }

    #[test]
    fn a_hedge_inside_a_noun_modifier_does_not_hedge_the_statement() {
        let f = facts("The officials said the judge was killed by Falcon, a unit within the police allegedly responsible for the killing of critics.");
        let c = claim_with(&f, "judge was killed");
        assert_eq!(c.stance, Stance::Assert, "{:?}", c.hedges);
        let f = facts("The officials said the judge was allegedly killed by the police.");
        let c = claim_with(&f, "judge was allegedly killed");
        assert_eq!(c.stance, Stance::Hedge);
    }

    #[test]
    fn which_is_never_a_person() {
        let f = facts("Reporters read a report by former harbour officials Maria Lund and Peter Sand which said that the dock was unsafe.");
        let c = claim_with(&f, "dock was unsafe");
        assert!(speaker(c).contains("report"), "{}", speaker(c));
        assert_ne!(c.speaker_kind, SpeakerKind::Named);
    }

    #[test]
    fn a_dash_aside_is_not_the_speaker() {
        for (text, source, named_as) in [
            (
                "Harbour master Lena Ostrova — a senior official at the port — said that the river was polluted.",
                "Harbour master Lena Ostrova",
                "Lena Ostrova",
            ),
            (
                "The minister - who visited the dock on Monday - said that the river was polluted.",
                "The minister",
                "The minister",
            ),
            (
                "Karim Bashir -- the mayor's spokesman -- said the river was polluted.",
                "Karim Bashir",
                "Karim Bashir",
            ),
        ] {
            let f = facts(text);
            let c = claim_with(&f, "river was polluted");
            assert_eq!(c.speaker_text.as_deref(), Some(source), "{text}");
            assert_eq!(speaker(c), named_as, "{text}");
        }
    }

    #[test]
    fn a_report_speaks_for_whoever_issued_it() {
        for (text, issuer) in [
            ("The Harbour Council released a report on the dock on Monday. The report stated that the river was polluted.", "The Harbour Council"),
            ("Marbella News reported on the closure of the dock. The report stated that the river was polluted.", "Marbella News"),
            ("A report was published by the Harbour Council on Monday. The report said that the river was polluted.", "the Harbour Council"),
        ] {
            let f = facts(text);
            let c = claim_with(&f, "river was polluted");
            assert_eq!(c.speaker_text.as_deref(), Some("The report"), "{text}");
            assert_eq!(speaker(c), issuer, "{text}");
            assert_eq!(c.speaker_kind, SpeakerKind::Named, "{text}");
        }
        // A possessive pronoun is not taken for the issuer.
        for text in [
            "The Harbour Council met on Monday. Their report stated that the river was polluted.",
            "The Harbour Council met on Monday. Our report stated that the river was polluted.",
        ] {
            let f = facts(text);
            let c = claim_with(&f, "river was polluted");
            assert_ne!(c.speaker_kind, SpeakerKind::Named, "{text}");
        }
        // No issuer named: the report stays unresolved.
        let f = facts("A report on the dock appeared on Monday. The report stated that the river was polluted.");
        let c = claim_with(&f, "river was polluted");
        assert_eq!(c.speaker_kind, SpeakerKind::Unresolved);
    }

    #[test]
    fn how_to_is_no_statement() {
        let f = facts("The recruits were sent to the camp to be shown how to build boats for the river crossing.");
        assert!(f.claims.is_empty(), "{:?}", f.claims);
        let f = facts("The captain told the crew where to anchor the boat.");
        assert!(f.claims.is_empty(), "{:?}", f.claims);
    }
}
