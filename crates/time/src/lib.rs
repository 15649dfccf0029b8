//! Time expressions in news text, recognised and normalised TimeML-style
//! (TIMEX3 types DATE, TIME, DURATION and SET with ISO-like values).
//!
//! The tagger works on tokens, not on raw text: a token-level grammar finds
//! each expression and reads it ("last August" = the latest August before
//! the anchor), then the reading is grounded against the document creation
//! time (DCT). Tokens come from the language pipeline (the parse
//! [`dossier_core::parse::Doc`]: tags, lemmas, dependency heads, entities); its DATE/TIME entities confirm
//! ambiguous words (bare years, "May"), and the tense of the governing verb
//! (VBD, `will` + VB, ...) chooses the direction of "on Tuesday" or "in
//! March". [`plain_tokens`] and [`tag_plain`] make the crate usable without
//! the pipeline (tense then comes from nearby verb forms).
//!
//! Without a DCT nothing is guessed: unknown parts stay `X`
//! (`XXXX-08-07`, `XXXX-WXX-2`) and values that need the DCT are `None`.
//!
//! Direction rules, in order: "since X" lies before the DCT; a clause with
//! `will`/`shall` or a prospective infinitive ("plans to meet") lies after;
//! a past-tense verb (or a bare participle, "the order issued Thursday")
//! lies before; modals, the present tense and the present perfect leave it
//! open. An open weekday is the last one (news looks back) unless it is
//! tomorrow; an open month or day is in the DCT's year unless that is more
//! than six months away and the neighbouring year's is within three. A
//! past clause keeps a day up to two months ahead in the DCT's year (a
//! deadline "extended to Nov. 16"). Anaphoric expressions ("the next day",
//! "the following month", "a year later") count from the last date the
//! text mentioned; "a year earlier" after a named quarter is that quarter a
//! year before (earnings reports).
//!
//! Measured with `dossier eval time` (TempEval-3 scoring on TimeBank +
//! AQUAINT and MEANTIME, side by side with HeidelTime: `--heideltime`).
//!
//! ```
//! use dossier_core::Date;
//! let dct = Date::ymd(2021, 1, 18);
//! let found = dossier_time::tag_plain("Mike Pompeo said on Tuesday that talks in Tehran last August failed.", dct);
//! let values: Vec<_> = found.iter().map(|t| (t.text.as_str(), t.value.as_deref())).collect();
//! assert_eq!(values, [("Tuesday", Some("2021-01-12")), ("last August", Some("2020-08"))]);
//! ```

mod calendar;
mod grammar;
mod lexicon;
mod resolve;
mod tokens;

use std::ops::Range;

use dossier_core::{Date, TimeType};

use crate::grammar::{Grammar, Tok};
use crate::resolve::Ctx;
pub use crate::resolve::Tense;
pub use crate::tokens::{plain_tokens, Iob};
use dossier_core::parse::{Doc, Token};

/// One time expression (a TIMEX3).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Timex {
    /// Byte offsets into the text, end exclusive.
    pub start: usize,
    pub end: usize,
    pub text: String,
    pub kind: TimeType,
    /// TimeML value (`2020-08-07`, `2021-W02`, `P2Y`, `PRESENT_REF`,
    /// `XXXX-08-07`, ...); `None` when it needs a DCT that is missing.
    pub value: Option<String>,
    /// The date a relative value was computed from (the DCT, or the last
    /// mentioned day for "the next day"); `None` for absolute values.
    pub anchor: Option<Date>,
    /// TimeML `mod`: `START` ("early August"), `END`, `MID`.
    pub modifier: Option<String>,
    /// TimeML `quant` of a SET (`EVERY`, `EACH`).
    pub quant: Option<String>,
}

/// Tags time expressions in `text` from its pipeline tokens.
///
/// `tokens` carry byte offsets into `text`; `sents` are token index ranges
/// (empty: the whole text is one sentence). Tokens whose offsets are not
/// valid for `text` are skipped, so bad input degrades, never panics.
pub fn tag(text: &str, doc: &Doc, dct: Option<Date>) -> Vec<Timex> {
    let tokens = &doc.tokens[..];
    let sents = &doc.sents[..];
    let marks = tokens::entity_marks(doc);
    let has_ner = doc.is_tagged();
    let has_tags = has_ner;
    let has_parse = tokens
        .iter()
        .enumerate()
        .any(|(i, t)| t.head != i && t.head < tokens.len());
    let whole: Vec<Range<usize>> = std::iter::once(0..tokens.len()).collect();
    let sents = if sents.is_empty() { &whole[..] } else { sents };
    let mut ctx = Ctx {
        dct,
        reference: None,
        ref_date: None,
        ref_quarter: None,
        tense: Tense::Unknown,
    };
    let mut out = Vec::new();
    for sent in sents {
        let sent = sent.start.min(tokens.len())..sent.end.min(tokens.len());
        for segment in segments(text, tokens, sent.clone()) {
            let toks: Vec<Tok> = segment
                .iter()
                .map(|&i| to_tok(text, &tokens[i], marks[i]))
                .collect();
            for cand in Grammar::new(&toks, has_ner, has_tags).find() {
                let (Some(&first), Some(&last)) = (
                    segment.get(cand.start),
                    segment.get(cand.end.saturating_sub(1)),
                ) else {
                    continue;
                };
                let (start, end) = (tokens[first].start, tokens[last].end);
                ctx.tense = tense_of(
                    text,
                    tokens,
                    sent.clone(),
                    first..last + 1,
                    has_parse,
                    has_tags,
                );
                let r = resolve::resolve(&cand.expr, &ctx);
                if let Some(d) = r.day {
                    ctx.reference = Some(d);
                }
                if r.kind == TimeType::Date {
                    // Only quarters the text names set the quarter reference
                    // ("a year earlier" must not chain back year by year).
                    let names_quarter = matches!(
                        cand.expr,
                        grammar::Expr::Quarter { .. } | grammar::Expr::Definite { .. }
                    );
                    note_reference(&mut ctx, r.value.as_deref(), names_quarter);
                }
                let quant = match &cand.expr {
                    grammar::Expr::Set { quant, .. } => quant.map(str::to_string),
                    _ => None,
                };
                out.push(Timex {
                    start,
                    end,
                    text: text[start..end].to_string(),
                    kind: r.kind,
                    value: r.value,
                    anchor: r.anchor,
                    modifier: cand.modifier.map(str::to_string),
                    quant,
                });
            }
        }
    }
    out
}

/// Remembers a mentioned date (or quarter) as the reference for later
/// anaphoric expressions ("the following month", "a year earlier").
fn note_reference(ctx: &mut Ctx, value: Option<&str>, names_quarter: bool) {
    let Some(v) = value else { return };
    if let Some((y, q)) = v.split_once("-Q") {
        if let (Ok(y), Ok(q), true) = (y.parse::<i32>(), q.parse::<u8>(), names_quarter) {
            ctx.ref_quarter = Some((y, q));
        }
        return;
    }
    if let Some(d) = Date::parse_iso(v) {
        ctx.ref_date = Some(d);
    }
}

/// Tags time expressions with the plain tokenizer (no pipeline).
pub fn tag_plain(text: &str, dct: Option<Date>) -> Vec<Timex> {
    tag(text, &plain_tokens(text), dct)
}

fn valid(text: &str, t: &Token) -> bool {
    t.start < t.end
        && t.end <= text.len()
        && text.is_char_boundary(t.start)
        && text.is_char_boundary(t.end)
}

/// Runs of valid, non-space tokens of one sentence; line breaks split them.
fn segments(text: &str, tokens: &[Token], sent: Range<usize>) -> Vec<Vec<usize>> {
    let mut out = Vec::new();
    let mut cur = Vec::new();
    for i in sent {
        let t = &tokens[i];
        let ok = valid(text, t);
        let word = if ok { &text[t.start..t.end] } else { "" };
        if !ok || word.trim().is_empty() {
            if !ok || word.contains('\n') {
                out.push(std::mem::take(&mut cur));
            }
            continue;
        }
        cur.push(i);
    }
    out.push(cur);
    out.retain(|s| !s.is_empty());
    out
}

fn to_tok<'a>(text: &'a str, t: &'a Token, (iob, label): (Iob, &'a str)) -> Tok<'a> {
    let word = &text[t.start..t.end];
    Tok {
        text: word,
        low: word.to_lowercase().replace('\u{2019}', "'"),
        tag: &t.tag,
        iob,
        label,
    }
}

/// Irregular past forms, for tense without a tagger.
const PAST_FORMS: &[&str] = &[
    "said", "was", "were", "had", "did", "told", "came", "went", "made", "took", "gave", "got",
    "met", "left", "began", "won", "lost", "found", "held", "saw", "became", "fell", "rose",
    "sold", "bought", "paid", "brought", "thought", "knew", "led", "ran", "spoke", "wrote",
    "struck", "sent", "spent", "felt", "kept", "built", "flew", "drove", "shot", "fought",
    "caught", "taught", "stood", "sat", "hid", "broke", "chose", "ate", "grew", "threw", "wore",
    "swore",
];

const NOT_PAST: &[&str] = &[
    "need", "speed", "seed", "feed", "bed", "red", "shed", "hundred", "united", "limited",
    "indeed", "proceed", "succeed", "exceed",
];

/// Tense cue of one token: from its tag when tagged, else from its form
/// (`prev` is the word before, to tell "was scheduled"/"is scheduled").
fn cue(text: &str, t: &Token, prev: Option<&Token>, has_tags: bool) -> Option<Tense> {
    let word = text.get(t.start..t.end)?.to_lowercase();
    if matches!(word.as_str(), "will" | "'ll" | "shall" | "wo") {
        return Some(Tense::Future);
    }
    if has_tags {
        return (t.tag == "VBD").then_some(Tense::Past);
    }
    let before = prev
        .and_then(|p| text.get(p.start..p.end))
        .unwrap_or("")
        .to_lowercase();
    // "is scheduled", "has closed": the auxiliary, not the participle,
    // carries the tense.
    let participle = matches!(
        before.as_str(),
        "is" | "are" | "am" | "be" | "been" | "being" | "'s" | "'re" | "has" | "have" | "'ve"
    );
    let regular =
        word.len() > 4 && word.ends_with("ed") && !NOT_PAST.contains(&word.as_str()) && !participle;
    (PAST_FORMS.contains(&word.as_str()) || regular).then_some(Tense::Past)
}

/// Whether the clause around `span` speaks of the past or the future.
/// With a parse: the verb governing the expression and its auxiliaries;
/// otherwise the nearest tense cue in the sentence.
fn tense_of(
    text: &str,
    tokens: &[Token],
    sent: Range<usize>,
    span: Range<usize>,
    has_parse: bool,
    has_tags: bool,
) -> Tense {
    // "since November" lies before the DCT whatever the verb.
    let before = span
        .start
        .checked_sub(1)
        .filter(|&p| p >= sent.start)
        .and_then(|p| tokens.get(p));
    if before
        .and_then(|t| text.get(t.start..t.end))
        .is_some_and(|w| w.eq_ignore_ascii_case("since"))
    {
        return Tense::Past;
    }
    if has_parse && has_tags {
        let head = span
            .clone()
            .find(|&i| !span.contains(&tokens[i].head))
            .unwrap_or(span.start);
        let mut cur = tokens[head].head;
        for _ in 0..8 {
            let Some(t) = tokens.get(cur) else { break };
            // "payable Dec. 7", "due March 1": the date belongs to the
            // adjective, and the clause's verb says nothing of it.
            if t.tag.starts_with("JJ") {
                return Tense::Unknown;
            }
            if t.tag.starts_with("VB") || t.tag == "MD" {
                if let Some(tense) = verb_tense(text, tokens, sent.clone(), cur, 0) {
                    return tense;
                }
            }
            if t.head == cur {
                break;
            }
            cur = t.head;
        }
        // The parse found no tense: a verb elsewhere in the sentence (often
        // a reporting "said") is no evidence for this clause.
        return Tense::Unknown;
    }
    // Nearest cue, looking left first at each distance.
    let n = sent.end.saturating_sub(sent.start);
    for dist in 1..=n {
        let left = span.start.checked_sub(dist).filter(|&i| i >= sent.start);
        let right = Some(span.end - 1 + dist).filter(|&i| i < sent.end);
        for i in [left, right].into_iter().flatten() {
            let prev = i
                .checked_sub(1)
                .filter(|&p| p >= sent.start)
                .and_then(|p| tokens.get(p));
            if let Some(c) = tokens.get(i).and_then(|t| cue(text, t, prev, has_tags)) {
                return c;
            }
        }
    }
    Tense::Unknown
}

/// Verbs whose infinitive complement lies ahead ("plans to meet").
const PROSPECTIVE: &[&str] = &[
    "plan", "expect", "schedule", "set", "intend", "aim", "hope", "want", "seek", "propose",
    "prepare", "promise", "threaten", "vow", "pledge", "agree", "decide", "go",
];

fn verb_tense(
    text: &str,
    tokens: &[Token],
    sent: Range<usize>,
    v: usize,
    depth: usize,
) -> Option<Tense> {
    let verb = &tokens[v];
    let auxes: Vec<&Token> = sent
        .clone()
        .filter(|&i| {
            i != v && tokens[i].head == v && matches!(tokens[i].dep.as_str(), "aux" | "auxpass")
        })
        .map(|i| &tokens[i])
        .collect();
    let word = |t: &Token| text.get(t.start..t.end).unwrap_or("").to_lowercase();
    let is_future = |t: &Token| {
        matches!(t.lemma.to_lowercase().as_str(), "will" | "shall")
            || matches!(word(t).as_str(), "will" | "'ll" | "wo" | "shall")
    };
    if is_future(verb) || auxes.iter().any(|a| is_future(a)) {
        return Some(Tense::Future);
    }
    if verb.tag == "VBD" || auxes.iter().any(|a| a.tag == "VBD") {
        return Some(Tense::Past);
    }
    // A bare participle ("the record set on Aug. 6", "the order issued
    // Thursday") reports something done.
    if verb.tag == "VBN" && auxes.is_empty() && verb.dep != "ROOT" {
        return Some(Tense::Past);
    }
    // The present perfect ("has set Nov. 10 as the deadline") says little
    // about where the date lies.
    if verb.tag == "VBN" && auxes.iter().any(|a| a.lemma.eq_ignore_ascii_case("have")) {
        return Some(Tense::Unknown);
    }
    if verb.tag == "VBG"
        && auxes
            .iter()
            .any(|a| a.lemma.eq_ignore_ascii_case("be") && matches!(a.tag.as_str(), "VBZ" | "VBP"))
    {
        return Some(Tense::Future);
    }
    if auxes.iter().any(|a| a.tag == "TO") {
        // "plans to meet on Tuesday" lies ahead; otherwise the infinitive
        // takes the time of the verb it complements.
        let gov = tokens.get(verb.head).filter(|_| verb.head != v)?;
        if PROSPECTIVE.contains(&gov.lemma.to_lowercase().as_str()) && gov.tag != "VBD" {
            return Some(Tense::Future);
        }
        if depth < 3 && gov.tag.starts_with("VB") {
            return verb_tense(text, tokens, sent, verb.head, depth + 1);
        }
        return None;
    }
    // "would leave", "could come", "is heard in May": no direction (and
    // not the tense of a verb further up, such as a reporting "said").
    if verb.tag == "MD" || auxes.iter().any(|a| a.tag == "MD") {
        return Some(Tense::Unknown);
    }
    if matches!(verb.tag.as_str(), "VBZ" | "VBP")
        || auxes
            .iter()
            .any(|a| matches!(a.tag.as_str(), "VBZ" | "VBP"))
    {
        return Some(Tense::Unknown);
    }
    None
}

#[cfg(test)]
mod tests;
