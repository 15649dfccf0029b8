//! A token-level grammar of English time expressions. It finds the extent of
//! each expression and a semantic reading (`Expr`) that `resolve` turns into
//! a TimeML value once the anchor date and tense are known.

use crate::lexicon::{self, Unit};
use crate::tokens::Iob;

/// One token as the grammar sees it.
#[derive(Debug, Clone)]
pub(crate) struct Tok<'a> {
    pub text: &'a str,
    pub low: String,
    pub tag: &'a str,
    pub iob: Iob,
    pub label: &'a str,
}

impl Tok<'_> {
    fn capitalized(&self) -> bool {
        self.text.chars().next().is_some_and(char::is_uppercase)
    }

    /// Inside a name ("Jan Kavan", "the March for Life").
    fn in_other_entity(&self) -> bool {
        matches!(self.iob, Iob::Begin | Iob::Inside)
            && !matches!(self.label, "DATE" | "TIME" | "CARDINAL" | "ORDINAL")
    }

    fn in_date_entity(&self) -> bool {
        matches!(self.iob, Iob::Begin | Iob::Inside) && matches!(self.label, "DATE" | "TIME")
    }
}

/// How the year of a month, season or quarter is found.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Yr {
    Given(i32),
    /// The anchor's year, moved by one when tense says the date lies on the
    /// other side of the anchor.
    Tense,
    /// The latest occurrence strictly before the anchor ("last August").
    Before,
    /// The first occurrence strictly after the anchor ("next August").
    After,
    /// The anchor's year plus n ("March of last year").
    Plus(i32),
}

/// Which occurrence of a weekday is meant.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Rel {
    Tense,
    Last,
    Next,
}

/// What a relative expression counts from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Anchor {
    /// The document creation time.
    Dct,
    /// The last date the text mentioned ("the next day"), else the DCT.
    Ref,
}

#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Expr {
    Cal {
        y: Yr,
        m: u8,
        d: Option<u8>,
    },
    Year(i32),
    Decade(i32),
    Century(i32),
    Season {
        y: Yr,
        s: &'static str,
    },
    Quarter {
        y: Yr,
        q: u8,
    },
    Half {
        y: Yr,
        h: u8,
    },
    Weekday {
        wd: u8,
        rel: Rel,
    },
    /// Days from the DCT: today 0, yesterday -1.
    DayOffset(i64),
    /// The unit containing the anchor, moved by n units ("last week").
    Shift {
        unit: Unit,
        n: i64,
        anchor: Anchor,
    },
    Weekend(i64),
    /// A point n units before (sign -1) or after the anchor ("two years
    /// ago"); `n: None` for vague counts ("years ago").
    Offset {
        unit: Unit,
        n: Option<f64>,
        sign: i64,
        anchor: Anchor,
    },
    Fuzzy(&'static str),
    /// A named day ("Thanksgiving", "Christmas Eve").
    Holiday {
        name: &'static str,
        y: Yr,
    },
    /// "the quarter", "the year", "the latest quarter": the unit the text
    /// is about, near the DCT.
    Definite {
        unit: Unit,
        latest: bool,
    },
    Duration {
        n: Option<f64>,
        unit: Unit,
    },
    Set {
        value: String,
        quant: Option<&'static str>,
    },
    Clock {
        h: u8,
        min: u8,
        day: Option<Box<Expr>>,
        /// Given in UTC/GMT (TimeML writes `Z`).
        utc: bool,
    },
    PartOfDay {
        day: Box<Expr>,
        part: &'static str,
    },
}

impl Expr {
    fn is_point(&self) -> bool {
        !matches!(
            self,
            Expr::Duration { .. } | Expr::Set { .. } | Expr::Fuzzy(_)
        )
    }
}

/// A recognised expression over tokens `start..end` of one sentence.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Cand {
    pub start: usize,
    pub end: usize,
    pub expr: Expr,
    pub modifier: Option<&'static str>,
}

pub(crate) struct Grammar<'t, 'a> {
    t: &'t [Tok<'a>],
    has_ner: bool,
    has_tags: bool,
}

const CLAUSE_END: &[&str] = &[
    "", ".", ",", ";", ":", "and", "but", "when", "--", ")", "!", "?",
];

fn digits_value(w: &str) -> Option<f64> {
    let cleaned: String = w.chars().filter(|&c| c != ',').collect();
    if cleaned.is_empty() || !cleaned.starts_with(|c: char| c.is_ascii_digit()) {
        return None;
    }
    if !cleaned.chars().all(|c| c.is_ascii_digit() || c == '.') {
        return None;
    }
    cleaned.parse().ok()
}

fn four_digit_year(w: &str) -> Option<i32> {
    (w.len() == 4 && w.bytes().all(|b| b.is_ascii_digit()))
        .then(|| w.parse().ok())
        .flatten()
        .filter(|y| (1000..=2199).contains(y))
}

fn day_number(w: &str) -> Option<u8> {
    if (1..=2).contains(&w.len()) && w.bytes().all(|b| b.is_ascii_digit()) {
        return w.parse().ok().filter(|d| (1..=31).contains(d));
    }
    lexicon::ordinal(w)
        .filter(|d| (1..=31).contains(d))
        .map(|d| d as u8)
}

/// `9:30`, `21:00`, optionally with a glued `am`/`pm`.
fn clock_token(w: &str) -> Option<(u8, u8, Option<bool>)> {
    let (body, pm) = if let Some(b) = w.strip_suffix("pm").or_else(|| w.strip_suffix("p.m.")) {
        (b, Some(true))
    } else if let Some(b) = w.strip_suffix("am").or_else(|| w.strip_suffix("a.m.")) {
        (b, Some(false))
    } else {
        (w, None)
    };
    let (h, m) = match body.split_once(':') {
        Some((h, m)) => (h, m),
        None if pm.is_some() => (body, "00"),
        None => return None,
    };
    if h.is_empty()
        || h.len() > 2
        || m.len() != 2
        || !h.bytes().all(|b| b.is_ascii_digit())
        || !m.bytes().all(|b| b.is_ascii_digit())
    {
        return None;
    }
    let h: u8 = h.parse().ok()?;
    let m: u8 = m.parse().ok()?;
    (h <= 24 && m < 60 && (pm.is_none() || (1..=12).contains(&h))).then_some((h, m, pm))
}

fn meridiem(w: &str) -> Option<bool> {
    match w {
        "p.m." | "pm" | "p.m" | "pm." => Some(true),
        "a.m." | "am" | "a.m" | "am." => Some(false),
        _ => None,
    }
}

fn apply_meridiem(h: u8, pm: Option<bool>) -> u8 {
    match pm {
        Some(true) if h < 12 => h + 12,
        Some(false) if h == 12 => 0,
        _ => h,
    }
}

/// Function words that may follow a bare year (in plain-token mode, where
/// no entity recogniser tells a year from a count).
fn year_follower(w: &str) -> bool {
    !w.chars()
        .next()
        .is_some_and(|c| c.is_alphabetic() && c.is_lowercase())
        || matches!(
            w,
            "and"
                | "or"
                | "to"
                | "in"
                | "on"
                | "at"
                | "when"
                | "as"
                | "after"
                | "before"
                | "the"
                | "a"
                | "with"
                | "for"
                | "by"
                | "from"
                | "was"
                | "is"
                | "were"
                | "has"
                | "had"
                | "will"
                | "would"
                | "saw"
                | "levels"
                | "through"
                | "until"
                | "while"
                | "but"
                | "than"
                | "since"
                | "during"
                | "compared"
                | "election"
                | "elections"
                | "season"
                | "budget"
                | "census"
                | "olympics"
        )
}

impl<'t, 'a> Grammar<'t, 'a> {
    pub fn new(t: &'t [Tok<'a>], has_ner: bool, has_tags: bool) -> Self {
        Grammar {
            t,
            has_ner,
            has_tags,
        }
    }

    fn w(&self, i: usize) -> &str {
        self.t.get(i).map_or("", |t| t.low.as_str())
    }

    fn prev(&self, i: usize) -> &str {
        if i == 0 {
            ""
        } else {
            self.w(i - 1)
        }
    }

    fn tok(&self, i: usize) -> Option<&Tok<'a>> {
        self.t.get(i)
    }

    /// All expressions of the sentence, left to right, longest first.
    pub fn find(&self) -> Vec<Cand> {
        let mut out = Vec::new();
        let mut i = 0;
        while i < self.t.len() {
            match self.at(i) {
                Some(c) if c.end > i => {
                    i = c.end;
                    out.push(c);
                }
                _ => i += 1,
            }
        }
        out
    }

    fn at(&self, i: usize) -> Option<Cand> {
        let w = self.w(i);
        // Approximators belong to the expression: "nearly two years",
        // "more than four hours", "around 7:15 p.m.".
        let approx = match (w, self.w(i + 1), self.w(i + 2)) {
            ("nearly" | "almost", _, _) => Some((1, "LESS_THAN")),
            ("about" | "around" | "approximately" | "roughly" | "some", _, _) => {
                Some((1, "APPROX"))
            }
            ("over", _, _) => Some((1, "MORE_THAN")),
            ("under", _, _) => Some((1, "LESS_THAN")),
            ("more", "than", _) => Some((2, "MORE_THAN")),
            ("less" | "fewer", "than", _) => Some((2, "LESS_THAN")),
            ("at", "least", _) => Some((2, "EQUAL_OR_MORE")),
            ("at", "most", _) | ("up", "to", _) => Some((2, "EQUAL_OR_LESS")),
            ("no", "more", "than") => Some((3, "EQUAL_OR_LESS")),
            _ => None,
        };
        if let Some((skip, m)) = approx {
            let j = i + skip;
            let starts_count = self.number(j, true).is_some()
                || clock_token(self.w(j)).is_some()
                || self.w(j).parse::<u8>().is_ok();
            if starts_count {
                if let Some((end, expr)) = self.core(j) {
                    if matches!(
                        expr,
                        Expr::Duration { n: Some(_), .. }
                            | Expr::Offset { n: Some(_), .. }
                            | Expr::Clock { .. }
                    ) {
                        return Some(Cand {
                            start: i,
                            end,
                            expr,
                            modifier: Some(m),
                        });
                    }
                }
            }
        }
        if w == "the" && matches!(self.w(i + 1), "early" | "late" | "mid") {
            if let Some(c) = self.at(i + 1) {
                if c.modifier.is_some() && c.start == i + 1 {
                    return Some(Cand { start: i, ..c });
                }
            }
        }
        // Modifiers that keep the value: "early August", "mid-1990s",
        // "late on Saturday", "earlier this year".
        let modifier = match w {
            "early" | "earlier" => Some("START"),
            "late" | "later" => Some("END"),
            "mid" => Some("MID"),
            _ => None,
        };
        if let Some(m) = modifier {
            let mut j = i + 1;
            if matches!(self.w(j), "-" | "in" | "on") {
                j += 1;
            }
            if let Some((end, expr)) = self.core(j) {
                let deictic = matches!(
                    expr,
                    Expr::Shift {
                        n: 0,
                        anchor: Anchor::Dct,
                        ..
                    } | Expr::DayOffset(_)
                        | Expr::Weekday { .. }
                        | Expr::PartOfDay { .. }
                );
                let ok = if matches!(w, "earlier" | "later") {
                    deictic
                } else {
                    expr.is_point()
                };
                if ok {
                    return Some(Cand {
                        start: i,
                        end,
                        expr,
                        modifier: Some(m),
                    });
                }
            }
        }
        if w == "the"
            && matches!(self.w(i + 1), "end" | "beginning" | "start" | "middle")
            && self.w(i + 2) == "of"
        {
            let m = match self.w(i + 1) {
                "end" => "END",
                "middle" => "MID",
                _ => "START",
            };
            let j = i + 3;
            let core = self.core(j).filter(|(_, e)| e.is_point()).or_else(|| {
                // "the end of the year"
                let (unit, plural) = lexicon::unit(self.w(j + 1))?;
                (self.w(j) == "the"
                    && !plural
                    && matches!(
                        unit,
                        Unit::Week
                            | Unit::Month
                            | Unit::Quarter
                            | Unit::Year
                            | Unit::Decade
                            | Unit::Century
                    ))
                .then_some((
                    j + 2,
                    Expr::Shift {
                        unit,
                        n: 0,
                        anchor: Anchor::Dct,
                    },
                ))
            });
            if let Some((end, expr)) = core {
                return Some(Cand {
                    start: i,
                    end,
                    expr,
                    modifier: Some(m),
                });
            }
        }
        let (end, expr) = self.core(i)?;
        Some(Cand {
            start: i,
            end,
            expr,
            modifier: None,
        })
    }

    /// The longest expression starting at token `i`.
    fn core(&self, i: usize) -> Option<(usize, Expr)> {
        let tries = [
            self.clock(i),
            self.part_of_day(i),
            self.set(i),
            self.calendar(i),
            self.quarter(i),
            self.deictic(i),
            self.relative(i),
            self.quantity(i),
        ];
        let mut best: Option<(usize, Expr)> = None;
        for (end, expr) in tries.into_iter().flatten() {
            if best.as_ref().is_none_or_shorter(end) {
                best = Some((end, expr));
            }
        }
        best
    }

    /// A count: digits, number words ("twenty-four"), "a"/"an" when
    /// `article` allows, or a vague count ("several", "a few") as `None`.
    fn number(&self, i: usize, article: bool) -> Option<(usize, Option<f64>)> {
        let w = self.w(i);
        if article && matches!(w, "a" | "an") {
            return Some(match self.w(i + 1) {
                "few" => (i + 2, None),
                "couple" if self.w(i + 2) == "of" => (i + 3, Some(2.0)),
                "dozen" => (i + 2, Some(12.0)),
                "half" => (i + 2, Some(0.5)),
                _ => (i + 1, Some(1.0)),
            });
        }
        if w == "half" && matches!(self.w(i + 1), "a" | "an") {
            return Some((i + 2, Some(0.5)));
        }
        if w == "couple" && self.w(i + 1) == "of" {
            return Some((i + 2, Some(2.0)));
        }
        if lexicon::vague_quantity(w) && !matches!(w, "recent" | "coming") {
            return Some((i + 1, None));
        }
        let (mut end, mut v) = if let Some(v) = digits_value(w) {
            (i + 1, v)
        } else if let Some(v) = lexicon::small_number(w) {
            let mut end = i + 1;
            let mut v = v;
            if (20.0..100.0).contains(&v) {
                let (skip, next) = if self.w(end) == "-" {
                    (1, self.w(end + 1))
                } else {
                    (0, self.w(end))
                };
                if let Some(u) = lexicon::small_number(next).filter(|u| *u >= 1.0 && *u < 10.0) {
                    v += u;
                    end += skip + 1;
                }
            }
            if self.w(end) == "hundred" {
                v *= 100.0;
                end += 1;
            }
            (end, v)
        } else {
            return None;
        };
        if self.w(end) == "and" && self.w(end + 1) == "a" && self.w(end + 2) == "half" {
            v += 0.5;
            end += 3;
        }
        Some((end, Some(v)))
    }

    /// A year written in digits or spoken ("nineteen ninety-six").
    fn year_at(&self, k: usize) -> Option<(usize, i32)> {
        if let Some(y) = four_digit_year(self.w(k)) {
            return Some((k + 1, y));
        }
        let century = lexicon::small_number(self.w(k)).filter(|v| (11.0..=19.0).contains(v))?;
        let tens = lexicon::small_number(self.w(k + 1)).filter(|t| *t >= 20.0)?;
        let (end, v) = self.number(k + 1, false)?;
        let v = v?;
        (tens >= 20.0 && (20.0..100.0).contains(&v) && v.fract() == 0.0)
            .then_some((end, century as i32 * 100 + v as i32))
    }

    /// A named day: "Thanksgiving (Day)", "Christmas (Eve)", "New Year's
    /// Day", "Easter".
    fn holiday(&self, i: usize) -> Option<(usize, &'static str)> {
        if !self.tok(i).is_some_and(Tok::capitalized) {
            return None;
        }
        let (w1, w2, w3) = (self.w(i), self.w(i + 1), self.w(i + 2));
        let day_or_eve = |n: &'static str, eve: &'static str| match w2 {
            "day" => Some((i + 2, n)),
            "eve" => Some((i + 2, eve)),
            _ => Some((i + 1, n)),
        };
        match (w1, w2, w3) {
            ("christmas", _, _) => day_or_eve("christmas", "christmas eve"),
            ("thanksgiving", _, _) => day_or_eve("thanksgiving", "thanksgiving"),
            ("halloween", _, _) => Some((i + 1, "halloween")),
            ("easter", "sunday", _) => Some((i + 2, "easter")),
            ("easter", _, _) => Some((i + 1, "easter")),
            ("good", "friday", _) => Some((i + 2, "good friday")),
            ("new", "year", "'s") => match self.w(i + 3) {
                "day" => Some((i + 4, "new year")),
                "eve" => Some((i + 4, "new year's eve")),
                _ => None,
            },
            ("valentine", "'s", "day") => Some((i + 3, "valentine")),
            ("independence", "day", _) => Some((i + 2, "independence")),
            ("labor" | "labour", "day", _) => Some((i + 2, "labor")),
            ("memorial", "day", _) => Some((i + 2, "memorial")),
            ("boxing", "day", _) => Some((i + 2, "boxing")),
            ("veterans", "day", _) => Some((i + 2, "veterans")),
            _ => None,
        }
    }

    /// "summer", "the summer of 2009", "Autumn": seasons need calendar
    /// context, as "fall" and "spring" are also common verbs and nouns.
    fn season_at(&self, i: usize) -> Option<(usize, Expr)> {
        let tok = self.tok(i)?;
        let s = lexicon::season(&tok.low)?;
        if self.has_tags && !tok.tag.starts_with("NN") {
            return None;
        }
        let k = if matches!(self.w(i + 1), "of" | ",") {
            i + 2
        } else {
            i + 1
        };
        if let Some((end, y)) = self.year_at(k) {
            return Some((end, Expr::Season { y: Yr::Given(y), s }));
        }
        let prev = self.prev(i);
        let ok = matches!(
            prev,
            "the"
                | "in"
                | "this"
                | "during"
                | "over"
                | "since"
                | "until"
                | "by"
                | "through"
                | "early"
                | "late"
                | "mid"
                | "-"
        ) || (tok.capitalized() && i > 0 && s != "FA");
        if !ok || (s == "FA" && !matches!(prev, "the" | "this" | "early" | "late" | "mid" | "-")) {
            return None;
        }
        Some((i + 1, Expr::Season { y: Yr::Tense, s }))
    }

    fn is_year_at(&self, i: usize) -> Option<i32> {
        let y = four_digit_year(self.w(i))?;
        let prev = self.prev(i);
        if matches!(prev, "$" | "£" | "€" | "#" | "no." | "number" | "us$") {
            return None;
        }
        let next = self.w(i + 1);
        if matches!(next, "%" | "percent" | ":" | "-" | "/" | "." if self.w(i + 2).starts_with(|c: char| c.is_ascii_digit()))
        {
            return None;
        }
        if matches!(next, "%" | "percent") || lexicon::unit(next).is_some() {
            return None;
        }
        if self.has_ner {
            // "the Russell 2000 index"
            if self.tok(i).is_some_and(Tok::in_other_entity) {
                return None;
            }
            let ent = self.tok(i).is_some_and(Tok::in_date_entity);
            return (ent || lexicon::date_preposition(prev) || lexicon::month(prev).is_some())
                .then_some(y);
        }
        let plausible = (1900..=2099).contains(&y) && year_follower(next);
        (plausible || lexicon::date_preposition(prev) || lexicon::month(prev).is_some())
            .then_some(y)
    }

    /// Month-led dates: "August 7, 2020", "Aug. 7", "August 2020", "August".
    fn month_date(&self, i: usize) -> Option<(usize, Expr)> {
        let tok = self.tok(i)?;
        let m = lexicon::month(&tok.low)?;
        if !tok.capitalized() || (self.has_tags && (tok.tag == "MD" || tok.tag.starts_with("VB"))) {
            return None;
        }
        if lexicon::ambiguous_month(&tok.low) && tok.in_other_entity() {
            return None;
        }
        // "Sept" needs its period or a number after it to be a month.
        let j = i + 1;
        if let Some(d) = day_number(self.w(j))
            .filter(|_| clock_token(self.w(j + 1)).is_none() && meridiem(self.w(j + 1)).is_none())
        {
            let mut k = j + 1;
            if self.w(k) == "," {
                k += 1;
            }
            if let Some((end, y)) = self.year_at(k) {
                return Some((
                    end,
                    Expr::Cal {
                        y: Yr::Given(y),
                        m,
                        d: Some(d),
                    },
                ));
            }
            return Some((
                j + 1,
                Expr::Cal {
                    y: Yr::Tense,
                    m,
                    d: Some(d),
                },
            ));
        }
        let k = if matches!(self.w(j), "of" | ",") {
            j + 1
        } else {
            j
        };
        if let Some((end, y)) = self.year_at(k) {
            return Some((
                end,
                Expr::Cal {
                    y: Yr::Given(y),
                    m,
                    d: None,
                },
            ));
        }
        if self.w(j + 1) == "year" {
            let shift = match self.w(j) {
                "last" => Some(-1),
                "this" => Some(0),
                "next" => Some(1),
                _ => None,
            };
            if let Some(n) = shift {
                return Some((
                    j + 2,
                    Expr::Cal {
                        y: Yr::Plus(n),
                        m,
                        d: None,
                    },
                ));
            }
        }
        if self.w(j) == "of" && self.w(j + 2) == "year" {
            let shift = match self.w(j + 1) {
                "last" | "previous" => Some(-1),
                "this" => Some(0),
                "next" => Some(1),
                _ => None,
            };
            if let Some(n) = shift {
                return Some((
                    j + 3,
                    Expr::Cal {
                        y: Yr::Plus(n),
                        m,
                        d: None,
                    },
                ));
            }
        }
        let full_name = tok.low.len() > 4 || tok.low == "june" || tok.low == "july";
        if lexicon::ambiguous_month(&tok.low) || !full_name {
            let prev = self.prev(i);
            let ent = self.has_ner && tok.in_date_entity();
            if !(ent || lexicon::date_preposition(prev))
                || tok.low == "may" && !lexicon::date_preposition(prev)
            {
                return None;
            }
        }
        Some((
            j,
            Expr::Cal {
                y: Yr::Tense,
                m,
                d: None,
            },
        ))
    }

    fn calendar(&self, i: usize) -> Option<(usize, Expr)> {
        let w = self.w(i);
        if let Some(wd) = lexicon::weekday(w) {
            if !self.tok(i).is_some_and(Tok::capitalized) {
                return None;
            }
            let j = if self.w(i + 1) == "," { i + 2 } else { i + 1 };
            if let Some((end, e @ Expr::Cal { d: Some(_), .. })) = self.month_date(j) {
                return Some((end, e));
            }
            if let Some((end, e @ Expr::Cal { d: Some(_), .. })) = self.day_led(j) {
                return Some((end, e));
            }
            return Some((
                i + 1,
                Expr::Weekday {
                    wd,
                    rel: Rel::Tense,
                },
            ));
        }
        if let Some(r) = self.month_date(i) {
            return Some(r);
        }
        if let Some(r) = self.day_led(i) {
            return Some(r);
        }
        if let Some((end, name)) = self.holiday(i) {
            if let Some((e, y)) = self.year_at(end) {
                return Some((
                    e,
                    Expr::Holiday {
                        name,
                        y: Yr::Given(y),
                    },
                ));
            }
            return Some((end, Expr::Holiday { name, y: Yr::Tense }));
        }
        if let Some(r) = self.season_at(i) {
            return Some(r);
        }
        if w == "the" {
            if let Some((end, e @ Expr::Season { .. })) = self.season_at(i + 1) {
                return Some((end, e));
            }
            let spelled = match self.w(i + 1) {
                "twenties" => Some(192),
                "thirties" => Some(193),
                "forties" => Some(194),
                "fifties" => Some(195),
                "sixties" => Some(196),
                "seventies" => Some(197),
                "eighties" => Some(198),
                "nineties" => Some(199),
                _ => None,
            };
            if let Some(d) = spelled {
                return Some((i + 2, Expr::Decade(d)));
            }
            if lexicon::ordinal(self.w(i + 1)).is_some() {
                if let Some(r) = self.day_led(i + 1) {
                    return Some(r);
                }
            }
            // "the 1990s", "the '90s", "the 20th century"
            if let Some((end, e)) = self.decade(i + 1) {
                return Some((end, e));
            }
        }
        if let Some(r) = self.decade(i) {
            return Some(r);
        }
        if w == "fiscal" {
            let j = if self.w(i + 1) == "year" {
                i + 2
            } else {
                i + 1
            };
            if let Some(y) = four_digit_year(self.w(j)) {
                return Some((j + 1, Expr::Year(y)));
            }
            // "fiscal '90"
            return None;
        }
        if let Some(y) = self.is_year_at(i) {
            return Some((i + 1, Expr::Year(y)));
        }
        // "since '82"
        if let Some(two) = w.strip_prefix(['\'', '\u{2019}']) {
            if two.len() == 2
                && two.bytes().all(|b| b.is_ascii_digit())
                && lexicon::date_preposition(self.prev(i))
            {
                let n: i32 = two.parse().ok()?;
                return Some((i + 1, Expr::Year(if n <= 30 { 2000 + n } else { 1900 + n })));
            }
        }
        if w == "the" && self.w(i + 1) == "year" {
            if let Some(y) = four_digit_year(self.w(i + 2)) {
                return Some((i + 3, Expr::Year(y)));
            }
            if self.w(i + 2) == "two" && self.w(i + 3) == "thousand" {
                let (end, extra) =
                    match self.number(i + 4 + usize::from(self.w(i + 4) == "and"), false) {
                        Some((e, Some(v))) if v < 100.0 && v.fract() == 0.0 => (e, v as i32),
                        _ => (i + 4, 0),
                    };
                return Some((end, Expr::Year(2000 + extra)));
            }
        }
        // Spoken years: "nineteen ninety-six".
        if four_digit_year(w).is_none() {
            if let Some((end, y)) = self.year_at(i) {
                return Some((end, Expr::Year(y)));
            }
        }
        if let Some(rest) = w.strip_prefix("mid-") {
            // spaCy keeps "mid-1990s" whole.
            if let Some(y) = four_digit_year(rest) {
                return Some((i + 1, Expr::Year(y)));
            }
            if let Some(y) = rest.strip_suffix('s').and_then(four_digit_year) {
                return Some((i + 1, Expr::Decade(y / 10)));
            }
        }
        self.numeric_date(i)
    }

    /// "7 August 2020", "7th of August", "the 7th of August".
    fn day_led(&self, i: usize) -> Option<(usize, Expr)> {
        let d = day_number(self.w(i))?;
        let j = if self.w(i + 1) == "of" { i + 2 } else { i + 1 };
        let tok = self.tok(j)?;
        let m = lexicon::month(&tok.low)?;
        if !tok.capitalized()
            || (tok.low == "may"
                && self.w(i + 1) != "of"
                && four_digit_year(self.w(j + 1)).is_none())
        {
            return None;
        }
        let k = if self.w(j + 1) == "," { j + 2 } else { j + 1 };
        if let Some(y) = four_digit_year(self.w(k)) {
            return Some((
                k + 1,
                Expr::Cal {
                    y: Yr::Given(y),
                    m,
                    d: Some(d),
                },
            ));
        }
        Some((
            j + 1,
            Expr::Cal {
                y: Yr::Tense,
                m,
                d: Some(d),
            },
        ))
    }

    fn decade(&self, i: usize) -> Option<(usize, Expr)> {
        let w = self.w(i);
        if let Some(body) = w.strip_suffix('s') {
            if let Some(y) = four_digit_year(body).filter(|y| y % 10 == 0) {
                return Some((i + 1, Expr::Decade(y / 10)));
            }
            let two = body.trim_start_matches(['\'', '\u{2019}']);
            if two.len() == 2 && two.len() < body.len() && two.ends_with('0') {
                let n: i32 = two.parse().ok()?;
                let dec = if n <= 20 { 200 + n / 10 } else { 190 + n / 10 };
                return Some((i + 1, Expr::Decade(dec)));
            }
            if matches!(w, "90s" | "80s" | "70s" | "60s" | "50s" | "40s" | "30s")
                && matches!(
                    self.prev(i),
                    "'" | "\u{2019}" | "the" | "and" | "late" | "early" | "mid" | "-"
                )
            {
                let n: i32 = body.parse().ok()?;
                return Some((i + 1, Expr::Decade(190 + n / 10)));
            }
        }
        if self.w(i + 1) == "century" {
            let n = lexicon::ordinal(w)?;
            if (1..=30).contains(&n) {
                return Some((i + 2, Expr::Century(n as i32 - 1)));
            }
        }
        None
    }

    /// ISO `2020-08-07`, `2020-08` and US `8/7/2020`.
    fn numeric_date(&self, i: usize) -> Option<(usize, Expr)> {
        let w = self.w(i);
        let parts: Vec<&str> = w.split(['-', '/']).collect();
        if parts
            .iter()
            .any(|p| p.is_empty() || !p.bytes().all(|b| b.is_ascii_digit()))
            || parts.len() < 2
        {
            return None;
        }
        let num = |s: &str| s.parse::<i32>().ok();
        if w.contains('-') && parts[0].len() == 4 {
            let y = num(parts[0])?;
            let m = u8::try_from(num(parts[1])?).ok()?;
            if !(1..=12).contains(&m) || parts[1].len() != 2 {
                return None;
            }
            let d = match parts.get(2) {
                Some(d) if d.len() == 2 => Some(u8::try_from(num(d)?).ok()?),
                Some(_) => return None,
                None => None,
            };
            if parts.len() > 3 || d.is_some_and(|d| !(1..=31).contains(&d)) {
                return None;
            }
            return Some((
                i + 1,
                Expr::Cal {
                    y: Yr::Given(y),
                    m,
                    d,
                },
            ));
        }
        if w.contains('/') && parts.len() == 3 && (parts[2].len() == 4 || parts[2].len() == 2) {
            let m = u8::try_from(num(parts[0])?).ok()?;
            let d = u8::try_from(num(parts[1])?).ok()?;
            let mut y = num(parts[2])?;
            if parts[2].len() == 2 {
                y += if y < 50 { 2000 } else { 1900 };
            }
            if (1..=12).contains(&m) && (1..=31).contains(&d) {
                return Some((
                    i + 1,
                    Expr::Cal {
                        y: Yr::Given(y),
                        m,
                        d: Some(d),
                    },
                ));
            }
        }
        None
    }

    /// A day expression that a clock time or part of day can attach to.
    fn day_anchor(&self, i: usize) -> Option<(usize, Expr)> {
        let w = self.w(i);
        match w {
            "today" => return Some((i + 1, Expr::DayOffset(0))),
            "yesterday" => return Some((i + 1, Expr::DayOffset(-1))),
            "tomorrow" => return Some((i + 1, Expr::DayOffset(1))),
            _ => {}
        }
        if lexicon::weekday(w).is_some() || lexicon::month(w).is_some() {
            if let Some((end, e @ (Expr::Weekday { .. } | Expr::Cal { d: Some(_), .. }))) =
                self.calendar(i)
            {
                return Some((end, e));
            }
        }
        None
    }

    fn clock(&self, i: usize) -> Option<(usize, Expr)> {
        let w = self.w(i);
        let (h, min, mut end) = match w {
            "noon" | "midday" => (12, 0, i + 1),
            "midnight" => (24, 0, i + 1),
            _ => {
                if let Some((h, m, pm)) = clock_token(w) {
                    let (pm, end) = match (pm, meridiem(self.w(i + 1))) {
                        (None, Some(p)) => (Some(p), i + 2),
                        _ => (pm, i + 1),
                    };
                    (apply_meridiem(h, pm), m, end)
                } else if w.len() == 4
                    && w.bytes().all(|b| b.is_ascii_digit())
                    && matches!(self.w(i + 1), "utc" | "gmt")
                {
                    // "0800 UTC"
                    let (h, m) = (w[..2].parse::<u8>().ok()?, w[2..].parse::<u8>().ok()?);
                    if h > 24 || m > 59 {
                        return None;
                    }
                    (h, m, i + 1)
                } else {
                    let h = w
                        .parse::<u8>()
                        .ok()
                        .filter(|h| (1..=12).contains(h) && w.len() <= 2)?;
                    if let Some(pm) = meridiem(self.w(i + 1)) {
                        (apply_meridiem(h, Some(pm)), 0, i + 2)
                    } else if self.w(i + 1) == "o'clock" {
                        (h, 0, i + 2)
                    } else {
                        return None;
                    }
                }
            }
        };
        let utc = matches!(self.w(end), "utc" | "gmt");
        if lexicon::timezone(self.w(end)) {
            end += 1;
        }
        let day = self.day_anchor(end).or_else(|| {
            // "5 p.m. EST, Nov. 6"
            (self.w(end) == ",")
                .then(|| self.day_anchor(end + 1))
                .flatten()
                .filter(|(_, e)| matches!(e, Expr::Cal { d: Some(_), .. }))
        });
        match day {
            Some((e, d)) => Some((
                e,
                Expr::Clock {
                    h,
                    min,
                    day: Some(Box::new(d)),
                    utc,
                },
            )),
            None => Some((
                end,
                Expr::Clock {
                    h,
                    min,
                    day: None,
                    utc,
                },
            )),
        }
    }

    fn part_of_day(&self, i: usize) -> Option<(usize, Expr)> {
        let w = self.w(i);
        if w == "tonight" {
            return Some((
                i + 1,
                Expr::PartOfDay {
                    day: Box::new(Expr::DayOffset(0)),
                    part: "NI",
                },
            ));
        }
        let (j, day) = match w {
            "this" => (i + 1, Expr::DayOffset(0)),
            "last" if self.w(i + 1) == "night" => (i + 1, Expr::DayOffset(-1)),
            _ => {
                let (j, day) = self.day_anchor(i)?;
                (j, day)
            }
        };
        let part = self.w(j);
        let p = lexicon::part_of_day(part).filter(|_| !part.ends_with('s'))?;
        Some((
            j + 1,
            Expr::PartOfDay {
                day: Box::new(day),
                part: p,
            },
        ))
    }

    fn deictic(&self, i: usize) -> Option<(usize, Expr)> {
        let w = self.w(i);
        let fuzzy = |n: usize, v: &'static str| Some((i + n, Expr::Fuzzy(v)));
        match w {
            "today" => Some((i + 1, Expr::DayOffset(0))),
            "yesterday" => Some((i + 1, Expr::DayOffset(-1))),
            "tomorrow" => Some((i + 1, Expr::DayOffset(1))),
            "now" | "currently" | "nowadays" | "presently" => fuzzy(1, "PRESENT_REF"),
            "current" if !matches!(self.w(i + 1), "account" | "accounts" | "-" | "affairs") => {
                fuzzy(1, "PRESENT_REF")
            }
            "recently" | "lately" => fuzzy(1, "PAST_REF"),
            "recent" => match lexicon::unit(self.w(i + 1)) {
                // "in recent years" reads as the past; "in recent months" as
                // an unspecified stretch up to now (as TimeBank has them).
                Some((Unit::Year | Unit::Decade | Unit::Century, true)) => fuzzy(2, "PAST_REF"),
                Some((unit, true)) => Some((i + 2, Expr::Duration { n: None, unit })),
                _ => fuzzy(1, "PAST_REF"),
            },
            "these" if self.w(i + 1) == "days" => fuzzy(2, "PRESENT_REF"),
            "coming" | "upcoming"
                if lexicon::unit(self.w(i + 1)).is_some_and(|(_, plural)| plural) =>
            {
                fuzzy(2, "FUTURE_REF")
            }
            "the" => {
                let next = self.w(i + 1);
                let after = self.w(i + 2);
                let free = CLAUSE_END.contains(&after)
                    || matches!(
                        after,
                        "to" | "in" | "of" | "for" | "with" | "is" | "was" | "will"
                    );
                match next {
                    "past" if free => fuzzy(2, "PAST_REF"),
                    "future" => fuzzy(2, "FUTURE_REF"),
                    "coming" | "upcoming"
                        if lexicon::unit(after).is_some_and(|(_, plural)| plural) =>
                    {
                        fuzzy(3, "FUTURE_REF")
                    }
                    "near" | "distant" | "foreseeable" | "immediate" if after == "future" => {
                        fuzzy(3, "FUTURE_REF")
                    }
                    "recent" if after == "past" => fuzzy(3, "PAST_REF"),
                    "day" if matches!(after, "before" | "after") => {
                        if matches!(self.w(i + 3), "yesterday" | "tomorrow") {
                            let n = if after == "before" { -2 } else { 2 };
                            Some((i + 4, Expr::DayOffset(n)))
                        } else if CLAUSE_END.contains(&self.w(i + 3)) {
                            let n = if after == "before" { -1 } else { 1 };
                            Some((
                                i + 3,
                                Expr::Shift {
                                    unit: Unit::Day,
                                    n,
                                    anchor: Anchor::Ref,
                                },
                            ))
                        } else {
                            None
                        }
                    }
                    "latest" if matches!(after, "quarter" | "year" | "week" | "month") => {
                        let (unit, _) = lexicon::unit(after)?;
                        Some((i + 3, Expr::Definite { unit, latest: true }))
                    }
                    "fiscal" if after == "year" && self.w(i + 3) != "of" => Some((
                        i + 3,
                        Expr::Definite {
                            unit: Unit::Year,
                            latest: false,
                        },
                    )),
                    "quarter" | "year" | "week" | "month" | "day" | "weekend" => {
                        let prev = self.prev(i);
                        let governed = matches!(
                            prev,
                            "in" | "for"
                                | "during"
                                | "over"
                                | "throughout"
                                | "through"
                                | "end"
                                | "ended"
                                | "ending"
                                | "finish"
                                | "of"
                                | "since"
                                | "until"
                                | "before"
                                | "after"
                                | "all"
                                | "within"
                        );
                        if !governed
                            || matches!(after, "of" | "before" | "after" | "-" | "that" | "when")
                        {
                            return None;
                        }
                        if next == "weekend" {
                            return Some((i + 2, Expr::Weekend(0)));
                        }
                        let (unit, _) = lexicon::unit(next)?;
                        Some((
                            i + 2,
                            Expr::Definite {
                                unit,
                                latest: false,
                            },
                        ))
                    }
                    _ => None,
                }
            }
            _ => None,
        }
    }

    /// "last week", "this year", "next Tuesday", "last August", "the next
    /// day", "the following month", "that year", "the same day".
    fn relative(&self, i: usize) -> Option<(usize, Expr)> {
        let the = self.w(i) == "the";
        let j = if the { i + 1 } else { i };
        let (n, anchor, k) = match (self.w(j), self.w(j + 1)) {
            ("this", "past") => (-1, Anchor::Dct, j + 2),
            ("this", "coming") => (1, Anchor::Dct, j + 2),
            ("last" | "past", _) => (-1, Anchor::Dct, j + 1),
            ("previous" | "preceding", _) => {
                (-1, if the { Anchor::Ref } else { Anchor::Dct }, j + 1)
            }
            ("this" | "current", _) => (0, Anchor::Dct, j + 1),
            ("next", _) => (1, if the { Anchor::Ref } else { Anchor::Dct }, j + 1),
            ("coming" | "upcoming", _) => (1, Anchor::Dct, j + 1),
            ("following", _) if the => (1, Anchor::Ref, j + 1),
            ("same", _) if the => (0, Anchor::Ref, j + 1),
            ("that", _) if !the => (0, Anchor::Ref, j + 1),
            _ => return None,
        };
        let k = if self.w(k) == "fiscal" && lexicon::unit(self.w(k + 1)).is_some() {
            k + 1
        } else {
            k
        };
        let x = self.w(k);
        if let Some((end, name)) = self.holiday(k) {
            let y = match n {
                -1 => Yr::Before,
                1 => Yr::After,
                _ => Yr::Plus(0),
            };
            return Some((end, Expr::Holiday { name, y }));
        }
        if let Some((unit, false)) = lexicon::unit(x) {
            if matches!(unit, Unit::Second | Unit::Minute | Unit::Hour) {
                return None;
            }
            if unit == Unit::Day && anchor == Anchor::Dct {
                return None;
            }
            // "the last year" of a list, "next year's" are fine; "last
            // year-old" is not a thing, but "two-year" is handled elsewhere.
            return Some((k + 1, Expr::Shift { unit, n, anchor }));
        }
        if x == "weekend" {
            return Some((k + 1, Expr::Weekend(n)));
        }
        if let Some(wd) = lexicon::weekday(x) {
            let rel = match n {
                -1 => Rel::Last,
                1 => Rel::Next,
                _ => Rel::Tense,
            };
            return Some((k + 1, Expr::Weekday { wd, rel }));
        }
        if let Some(m) = lexicon::month(x).filter(|_| self.tok(k).is_some_and(Tok::capitalized)) {
            let y = match n {
                -1 => Yr::Before,
                1 => Yr::After,
                _ => Yr::Plus(0),
            };
            let d = day_number(self.w(k + 1));
            let end = if d.is_some() { k + 2 } else { k + 1 };
            return Some((end, Expr::Cal { y, m, d }));
        }
        if let Some(s) = lexicon::season(x) {
            let y = match n {
                -1 => Yr::Before,
                1 => Yr::After,
                _ => Yr::Tense,
            };
            return Some((k + 1, Expr::Season { y, s }));
        }
        if let Some(part) = lexicon::part_of_day(x).filter(|_| !x.ends_with('s')) {
            let day = match anchor {
                Anchor::Ref => Expr::Shift {
                    unit: Unit::Day,
                    n,
                    anchor,
                },
                Anchor::Dct => Expr::DayOffset(n),
            };
            if anchor == Anchor::Dct && n != -1 {
                return None;
            }
            return Some((
                k + 1,
                Expr::PartOfDay {
                    day: Box::new(day),
                    part,
                },
            ));
        }
        None
    }

    /// Counted units: durations ("two years", "the past three months") and
    /// offsets ("two years ago", "a year earlier", "three days later").
    fn quantity(&self, i: usize) -> Option<(usize, Expr)> {
        let mut j = i;
        let the = self.w(j) == "the";
        if the {
            j += 1;
        }
        let qualified = matches!(
            self.w(j),
            "past"
                | "last"
                | "next"
                | "first"
                | "coming"
                | "previous"
                | "final"
                | "initial"
                | "preceding"
                | "following"
                | "latest"
                | "recent"
        );
        if qualified {
            j += 1;
        }
        // "year-earlier", "the year-ago quarter", "the year-earlier third
        // quarter"
        if !qualified {
            if let Some((unit, false)) = lexicon::unit(self.w(j)) {
                if self.w(j + 1) == "-" && matches!(self.w(j + 2), "earlier" | "ago") {
                    let k = if matches!(self.w(j + 3), "comparable" | "corresponding" | "same") {
                        j + 4
                    } else {
                        j + 3
                    };
                    let offset = Expr::Offset {
                        unit,
                        n: Some(1.0),
                        sign: -1,
                        anchor: Anchor::Dct,
                    };
                    if unit == Unit::Year {
                        if let Some(q) = lexicon::ordinal(self.w(k)).filter(|q| (1..=4).contains(q))
                        {
                            if self.w(k + 1) == "quarter" {
                                return Some((
                                    k + 2,
                                    Expr::Quarter {
                                        y: Yr::Plus(-1),
                                        q: q as u8,
                                    },
                                ));
                            }
                        }
                        if matches!(self.w(k), "quarter" | "period") {
                            return Some((k + 1, offset));
                        }
                    }
                    if !the {
                        return Some((j + 3, offset));
                    }
                }
            }
        }
        if !the && !qualified {
            if let Some((unit, true)) = lexicon::unit(self.w(j)) {
                if self.w(j + 1) == "ago" {
                    return Some((
                        j + 2,
                        Expr::Offset {
                            unit,
                            n: None,
                            sign: -1,
                            anchor: Anchor::Dct,
                        },
                    ));
                }
                if matches!(self.prev(j), "for" | "in" | "over" | "within") && unit != Unit::Second
                {
                    return Some((j + 1, Expr::Duration { n: None, unit }));
                }
            }
        }
        let (mut k, n) = self.number(j, !the && !qualified)?;
        let article = matches!(self.w(j), "a" | "an");
        let mut fillers = 0;
        while fillers < 2
            && (lexicon::unit_filler(self.w(k))
                || (self.w(k) == "-" && lexicon::unit(self.w(k + 1)).is_some()))
        {
            k += 1;
            fillers += 1;
        }
        let (unit, plural) = lexicon::unit(self.w(k))?;
        // "the 1988 quarter" names a year, not 1988 quarters.
        if four_digit_year(self.w(j)).is_some() {
            return None;
        }
        if article && matches!(unit, Unit::Second | Unit::Quarter) {
            return None;
        }
        // "the two-week crisis": the article belongs to the noun.
        if the && !qualified && !plural {
            return None;
        }
        // Fractions: "three-quarters of".
        if unit == Unit::Quarter
            && self.w(k + 1) == "of"
            && (self.w(k - 1) == "-"
                || matches!(
                    self.w(k + 2),
                    "the" | "its" | "their" | "his" | "her" | "our" | "all" | "a"
                ))
        {
            return None;
        }
        if unit == Unit::Second && !self.w(k).ends_with('s') && n.is_none_or_article(article) {
            return None;
        }
        let mut end = k + 1;
        // Ages: "a 35-year-old".
        if self.w(end) == "old" || (self.w(end) == "-" && self.w(end + 1) == "old") {
            return None;
        }
        if self.w(end) == "-" && self.w(end + 1) == "long" {
            end += 2;
        }
        let mut n = n;
        if self.w(end) == "and" && self.w(end + 1) == "a" && self.w(end + 2) == "half" {
            n = n.map(|v| v + 0.5);
            end += 3;
        }
        if n.is_none() && matches!(self.w(end), "earlier" | "later" | "before" | "after") {
            return Some((end, Expr::Duration { n, unit }));
        }
        if !the && !qualified {
            match (self.w(end), self.w(end + 1)) {
                ("ago" | "earlier", _) => {
                    return Some((
                        end + 1,
                        Expr::Offset {
                            unit,
                            n,
                            sign: -1,
                            anchor: Anchor::Dct,
                        },
                    ))
                }
                ("later", _) => {
                    return Some((
                        end + 1,
                        Expr::Offset {
                            unit,
                            n,
                            sign: 1,
                            anchor: Anchor::Ref,
                        },
                    ))
                }
                ("from", "now") | ("from", "today") => {
                    return Some((
                        end + 2,
                        Expr::Offset {
                            unit,
                            n,
                            sign: 1,
                            anchor: Anchor::Dct,
                        },
                    ))
                }
                ("hence", _) => {
                    return Some((
                        end + 1,
                        Expr::Offset {
                            unit,
                            n,
                            sign: 1,
                            anchor: Anchor::Dct,
                        },
                    ))
                }
                ("before" | "after", next) if CLAUSE_END.contains(&next) => {
                    let sign = if self.w(end) == "before" { -1 } else { 1 };
                    return Some((
                        end + 1,
                        Expr::Offset {
                            unit,
                            n,
                            sign,
                            anchor: Anchor::Ref,
                        },
                    ));
                }
                _ => {}
            }
        }
        if self.w(end) == "or" && self.w(end + 1) == "so" {
            end += 2;
        }
        Some((end, Expr::Duration { n, unit }))
    }

    /// "the third quarter", "third-quarter", "the first quarter of 2009",
    /// "the 1988 second quarter", "the first half".
    fn quarter(&self, i: usize) -> Option<(usize, Expr)> {
        let mut j = i;
        if self.w(j) == "the" {
            j += 1;
        }
        let mut year = None;
        if let Some(y) = four_digit_year(self.w(j)) {
            year = Some(y);
            j += 1;
        }
        let mut shifted = None;
        if year.is_none() && self.w(j + 1) == "year" && self.w(j + 2) == "'s" {
            shifted = match self.w(j) {
                "last" => Some(-1),
                "this" => Some(0),
                "next" => Some(1),
                _ => None,
            };
            if shifted.is_some() {
                j += 3;
            }
        }
        if self.w(j) == "fiscal" {
            j += 1;
        }
        let w = self.w(j);
        let (ord, mut k) = if w == "last" && self.w(j + 1) == "half" {
            (2, j + 1)
        } else if let Some(q) = w
            .strip_prefix('q')
            .and_then(|d| d.parse::<u8>().ok())
            .filter(|_| w.len() == 2)
        {
            (u32::from(q), j)
        } else {
            let o = lexicon::ordinal(w)?;
            // "the third-quarter loss": the article belongs to the noun.
            if self.w(j + 1) == "-" && j > i {
                return None;
            }
            let k = if self.w(j + 1) == "-" { j + 2 } else { j + 1 };
            (o, k)
        };
        let is_quarter = self.w(k) == "quarter" || w.starts_with('q') && k == j;
        let is_half = self.w(k) == "half";
        if !(is_quarter && (1..=4).contains(&ord) || is_half && (1..=2).contains(&ord)) {
            return None;
        }
        if k != j || !w.starts_with('q') {
            k += 1;
        } else {
            k = j + 1;
        }
        let mut y = year.map_or(Yr::Tense, Yr::Given);
        if let Some(n) = shifted {
            y = Yr::Plus(n);
        }
        if year.is_none() && shifted.is_none() {
            let m = if matches!(self.w(k), "of" | ",") {
                k + 1
            } else {
                k
            };
            let m = if self.w(m) == "fiscal" { m + 1 } else { m };
            if let Some(yy) = four_digit_year(self.w(m)) {
                y = Yr::Given(yy);
                k = m + 1;
            } else if self.w(k) == "of"
                && matches!(self.w(k + 1), "last" | "this" | "next")
                && self.w(k + 2) == "year"
            {
                let n = match self.w(k + 1) {
                    "last" => -1,
                    "this" => 0,
                    _ => 1,
                };
                y = Yr::Plus(n);
                k += 3;
            }
        }
        let q = ord as u8;
        Some((
            k,
            if is_half {
                Expr::Half { y, h: q }
            } else {
                Expr::Quarter { y, q }
            },
        ))
    }

    fn set(&self, i: usize) -> Option<(usize, Expr)> {
        let w = self.w(i);
        let adverb = match w {
            "daily" | "nightly" => Some("P1D"),
            "weekly" => Some("P1W"),
            "biweekly" => Some("P2W"),
            "monthly" => Some("P1M"),
            "annually" | "yearly" => Some("P1Y"),
            "hourly" => Some("PT1H"),
            _ => None,
        };
        if let Some(v) = adverb {
            return Some((
                i + 1,
                Expr::Set {
                    value: v.to_string(),
                    quant: None,
                },
            ));
        }
        if let Some(wd) =
            lexicon::weekday_plural(w).filter(|_| self.tok(i).is_some_and(Tok::capitalized))
        {
            if let Some(p) = lexicon::part_of_day(self.w(i + 1)) {
                return Some((
                    i + 2,
                    Expr::Set {
                        value: format!("XXXX-WXX-{wd}T{p}"),
                        quant: None,
                    },
                ));
            }
            return Some((
                i + 1,
                Expr::Set {
                    value: format!("XXXX-WXX-{wd}"),
                    quant: None,
                },
            ));
        }
        if matches!(w, "every" | "each") {
            let quant = Some(if w == "every" { "EVERY" } else { "EACH" });
            let mut j = i + 1;
            let mut step = 1.0;
            if self.w(j) == "other" {
                step = 2.0;
                j += 1;
            }
            if let Some((k, Some(n))) = self.number(j, false) {
                if lexicon::unit(self.w(k)).is_some() {
                    step *= n;
                    j = k;
                }
            }
            let x = self.w(j);
            if let Some((unit, _)) = lexicon::unit(x) {
                return Some((
                    j + 1,
                    Expr::Set {
                        value: crate::resolve::duration_value(Some(step), unit),
                        quant,
                    },
                ));
            }
            if let Some(wd) = lexicon::weekday(x) {
                return Some((
                    j + 1,
                    Expr::Set {
                        value: format!("XXXX-WXX-{wd}"),
                        quant,
                    },
                ));
            }
            if let Some(m) = lexicon::month(x).filter(|_| self.tok(j).is_some_and(Tok::capitalized))
            {
                return Some((
                    j + 1,
                    Expr::Set {
                        value: format!("XXXX-{m:02}"),
                        quant,
                    },
                ));
            }
            if let Some(s) = lexicon::season(x) {
                return Some((
                    j + 1,
                    Expr::Set {
                        value: format!("XXXX-{s}"),
                        quant,
                    },
                ));
            }
            if let Some(p) = lexicon::part_of_day(x) {
                return Some((
                    j + 1,
                    Expr::Set {
                        value: format!("XXXX-XX-XXT{p}"),
                        quant,
                    },
                ));
            }
            if x == "weekend" {
                return Some((
                    j + 1,
                    Expr::Set {
                        value: "XXXX-WXX-WE".to_string(),
                        quant,
                    },
                ));
            }
            return None;
        }
        // "twice a week", "three times a year", "$5 a day", "10 percent a year"
        let (freq_end, times) = match w {
            "once" => (i + 1, true),
            "twice" | "thrice" => (i + 1, true),
            _ => match self.number(i, false) {
                Some((k, Some(_))) if self.w(k) == "times" => (k + 1, true),
                _ => (i, false),
            },
        };
        let per = if times { freq_end } else { i };
        if matches!(self.w(per), "a" | "an" | "per" | "each") {
            if let Some((unit, false)) = lexicon::unit(self.w(per + 1)) {
                if matches!(
                    unit,
                    Unit::Hour | Unit::Day | Unit::Week | Unit::Month | Unit::Quarter | Unit::Year
                ) {
                    let prev = self.prev(i);
                    let after_amount = times
                        || self.w(per) == "per"
                        || digits_value(prev.trim_start_matches(['$', '\u{a3}', '\u{20ac}']))
                            .is_some()
                        || lexicon::small_number(prev).is_some()
                        || matches!(
                            prev,
                            "percent"
                                | "%"
                                | "million"
                                | "billion"
                                | "thousand"
                                | "hundred"
                                | "dollars"
                                | "cents"
                                | "trillion"
                        )
                        || (self.has_tags
                            && i > 0
                            && self
                                .tok(i - 1)
                                .is_some_and(|t| t.tag == "CD" || t.tag == "NNS"));
                    if after_amount {
                        return Some((
                            per + 2,
                            Expr::Set {
                                value: crate::resolve::duration_value(Some(1.0), unit),
                                quant: None,
                            },
                        ));
                    }
                }
            }
        }
        None
    }
}

trait Longer {
    fn is_none_or_shorter(&self, end: usize) -> bool;
}

impl Longer for Option<&(usize, Expr)> {
    fn is_none_or_shorter(&self, end: usize) -> bool {
        match self {
            None => true,
            Some((e, _)) => end > *e,
        }
    }
}

trait ArticleCount {
    fn is_none_or_article(&self, article: bool) -> bool;
}

impl ArticleCount for Option<f64> {
    fn is_none_or_article(&self, article: bool) -> bool {
        self.is_none() || article
    }
}
