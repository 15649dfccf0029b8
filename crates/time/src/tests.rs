//! Behaviour on fictional sentences, one per pattern, and robustness.

use super::*;
use dossier_core::parse::EntSpan;
use proptest::prelude::*;

fn dct(y: i32, m: u8, d: u8) -> Option<Date> {
    Date::ymd(y, m, d)
}

/// (text, type, value) of every expression found with plain tokens.
fn found(text: &str, dct: Option<Date>) -> Vec<(String, &'static str, Option<String>)> {
    tag_plain(text, dct)
        .into_iter()
        .map(|t| (t.text, t.kind.as_str(), t.value))
        .collect()
}

/// The single expression whose text is `span`.
fn one(text: &str, dct: Option<Date>, span: &str) -> (&'static str, Option<String>) {
    let all = found(text, dct);
    let hits: Vec<_> = all.iter().filter(|(t, _, _)| t == span).collect();
    assert_eq!(hits.len(), 1, "{span:?} in {text:?}: found {all:?}");
    (hits[0].1, hits[0].2.clone())
}

fn value(text: &str, dct: Option<Date>, span: &str) -> Option<String> {
    one(text, dct, span).1
}

fn v(s: &str) -> Option<String> {
    Some(s.to_string())
}

#[test]
fn the_brief_examples() {
    let jan18 = dct(2021, 1, 18);
    let text = "Secretary Arlen Moss said on Tuesday that he met the envoy in Tehran last August.";
    assert_eq!(value(text, jan18, "Tuesday"), v("2021-01-12"));
    assert_eq!(value(text, jan18, "last August"), v("2020-08"));
    let nov15 = dct(2020, 11, 15);
    let text = "Earlier this year the mill closed, and on August 7 the workers marched.";
    assert_eq!(value(text, nov15, "Earlier this year"), v("2020"));
    assert_eq!(value(text, nov15, "August 7"), v("2020-08-07"));
    let t = tag_plain(text, nov15);
    assert_eq!(t[0].modifier.as_deref(), Some("START"));
    assert_eq!(t[0].anchor, nov15);
}

#[test]
fn weekday_direction_follows_tense() {
    // 2021-01-20 is a Wednesday.
    let wed = dct(2021, 1, 20);
    assert_eq!(
        value("The council voted on Monday.", wed, "Monday"),
        v("2021-01-18")
    );
    assert_eq!(
        value("The council will vote on Monday.", wed, "Monday"),
        v("2021-01-25")
    );
    assert_eq!(
        value("The council will vote on Friday.", wed, "Friday"),
        v("2021-01-22")
    );
    assert_eq!(
        value(
            "Rebels attacked the convoy late on Saturday.",
            wed,
            "late on Saturday"
        ),
        v("2021-01-16")
    );
    assert_eq!(
        value("The vote is set for next Tuesday.", wed, "next Tuesday"),
        v("2021-01-26")
    );
    assert_eq!(
        value("It happened last Tuesday.", wed, "last Tuesday"),
        v("2021-01-19")
    );
    // Across a year boundary: 2021-01-01 is a Friday.
    assert_eq!(
        value("The ferry sank on Tuesday.", dct(2021, 1, 1), "Tuesday"),
        v("2020-12-29")
    );
    assert_eq!(
        value(
            "The ferry will sail on Tuesday.",
            dct(2020, 12, 31),
            "Tuesday"
        ),
        v("2021-01-05")
    );
}

#[test]
fn months_without_year_follow_tense() {
    let jan5 = dct(2021, 1, 5);
    assert_eq!(
        value("The minister resigned in December.", jan5, "December"),
        v("2020-12")
    );
    assert_eq!(
        value("The plant closed on Dec. 30.", jan5, "Dec. 30"),
        v("2020-12-30")
    );
    assert_eq!(
        value(
            "The bridge will open in February.",
            dct(2020, 12, 20),
            "February"
        ),
        v("2021-02")
    );
    assert_eq!(
        value(
            "The hearing is scheduled for Feb. 10.",
            dct(2020, 12, 20),
            "Feb. 10"
        ),
        v("2021-02-10")
    );
    assert_eq!(
        value("They met last November.", jan5, "last November"),
        v("2020-11")
    );
    assert_eq!(
        value("They will meet next March.", jan5, "next March"),
        v("2021-03")
    );
    assert_eq!(
        value(
            "In January this year, the port reopened.",
            dct(2021, 6, 2),
            "January this year"
        ),
        v("2021-01")
    );
}

#[test]
fn relative_units_and_offsets() {
    let jan18 = dct(2021, 1, 18);
    assert_eq!(
        value(
            "The firm was founded two years ago.",
            jan18,
            "two years ago"
        ),
        v("2019")
    );
    assert_eq!(
        value(
            "The firm lost money three days ago.",
            jan18,
            "three days ago"
        ),
        v("2021-01-15")
    );
    assert_eq!(
        value("Sales fell last year.", jan18, "last year"),
        v("2020")
    );
    assert_eq!(
        value("Sales will rise next month.", jan18, "next month"),
        v("2021-02")
    );
    assert_eq!(
        value("Profit was flat a year earlier.", jan18, "a year earlier"),
        v("2020")
    );
    // TimeBank mostly reads "recent months" as an unspecified stretch.
    assert_eq!(
        one(
            "Prices have risen in recent months.",
            jan18,
            "recent months"
        ),
        ("DURATION", v("PXM"))
    );
    assert_eq!(
        one("Prices have risen recently.", jan18, "recently"),
        ("DATE", v("PAST_REF"))
    );
}

#[test]
fn anaphoric_expressions_use_the_last_mentioned_date() {
    let jan18 = dct(2021, 1, 18);
    let text = "The envoy arrived in Vellmar on March 3, 2019. He left the next day.";
    assert_eq!(value(text, jan18, "March 3, 2019"), v("2019-03-03"));
    assert_eq!(value(text, jan18, "the next day"), v("2019-03-04"));
    let text = "The mayor took office in 2015. The plant closed a year after.";
    assert_eq!(value(text, jan18, "a year after"), v("2016"));
    // With an event after it, "a year" is the duration and "after" a signal.
    assert_eq!(
        one("The plant closed a year after the flood.", jan18, "a year"),
        ("DURATION", v("P1Y"))
    );
    // Nothing mentioned yet: the DCT is the anchor.
    assert_eq!(
        value(
            "The deal closed. The next day, shares fell.",
            jan18,
            "The next day"
        ),
        v("2021-01-19")
    );
}

#[test]
fn without_a_dct_nothing_is_guessed() {
    assert_eq!(
        value("The strike began on August 7.", None, "August 7"),
        v("XXXX-08-07")
    );
    assert_eq!(
        value("The strike began on Tuesday.", None, "Tuesday"),
        v("XXXX-WXX-2")
    );
    assert_eq!(
        value("The strike began in August.", None, "August"),
        v("XXXX-08")
    );
    assert_eq!(
        value("The strike began last year.", None, "last year"),
        None
    );
    assert_eq!(
        value("The strike began two days ago.", None, "two days ago"),
        None
    );
    assert_eq!(
        value("The strike is over now.", None, "now"),
        v("PRESENT_REF")
    );
    assert_eq!(
        value("The strike lasted two years.", None, "two years"),
        v("P2Y")
    );
    assert_eq!(
        value(
            "The strike began on August 7, 2020.",
            None,
            "August 7, 2020"
        ),
        v("2020-08-07")
    );
    let t = tag_plain("The strike began on Tuesday.", None);
    assert_eq!(t[0].anchor, None);
}

#[test]
fn a_dct_known_to_the_year_only() {
    let y = Some(Date::year(2020));
    assert_eq!(
        value("The strike began last year.", y, "last year"),
        v("2019")
    );
    assert_eq!(
        value("The strike began on August 7.", y, "August 7"),
        v("2020-08-07")
    );
    // The week is unknown, so the weekday stays unanchored.
    assert_eq!(
        value("The strike began on Tuesday.", y, "Tuesday"),
        v("XXXX-WXX-2")
    );
    assert_eq!(value("The strike began yesterday.", y, "yesterday"), None);
}

#[test]
fn weeks_and_weekends() {
    // 2021-01-06 is in ISO week 1 of 2021; the week before is 2020-W53.
    assert_eq!(
        value("Talks stalled last week.", dct(2021, 1, 6), "last week"),
        v("2020-W53")
    );
    assert_eq!(
        value("Talks resume next week.", dct(2020, 12, 30), "next week"),
        v("2021-W01")
    );
    assert_eq!(
        value("Talks resume this week.", dct(2021, 1, 13), "this week"),
        v("2021-W02")
    );
    assert_eq!(
        value(
            "Talks resume this weekend.",
            dct(2021, 1, 13),
            "this weekend"
        ),
        v("2021-W02-WE")
    );
    assert_eq!(
        value(
            "The talks ended six weeks ago.",
            dct(2021, 1, 13),
            "six weeks ago"
        ),
        v("2020-W49")
    );
}

#[test]
fn durations() {
    let d = dct(2021, 1, 18);
    assert_eq!(
        one("The siege lasted for three weeks.", d, "three weeks"),
        ("DURATION", v("P3W"))
    );
    assert_eq!(
        value("The polls stay open 24 hours.", d, "24 hours"),
        v("PT24H")
    );
    assert_eq!(
        value("The talks took half an hour.", d, "half an hour"),
        v("PT30M")
    );
    assert_eq!(
        value("The talks took a year and a half.", d, "a year and a half"),
        v("P18M")
    );
    assert_eq!(
        value(
            "The region was stable for several years.",
            d,
            "several years"
        ),
        v("PXY")
    );
    assert_eq!(
        value(
            "Output doubled over the past two decades.",
            d,
            "the past two decades"
        ),
        v("P20Y")
    );
    assert_eq!(
        value("He signed a two-year contract.", d, "two-year"),
        v("P2Y")
    );
    assert_eq!(
        value(
            "The ban has lasted nearly forty years.",
            d,
            "nearly forty years"
        ),
        v("P40Y")
    );
    assert_eq!(
        value("The shelling went on for years.", d, "years"),
        v("PXY")
    );
}

#[test]
fn sets() {
    let d = dct(2021, 1, 18);
    let t = tag_plain("The market opens every Tuesday.", d);
    assert_eq!(
        (t[0].text.as_str(), t[0].kind, t[0].value.as_deref()),
        ("every Tuesday", TimeType::Set, Some("XXXX-WXX-2"))
    );
    assert_eq!(t[0].quant.as_deref(), Some("EVERY"));
    assert_eq!(
        one("Ferries sail twice a week.", d, "twice a week"),
        ("SET", v("P1W"))
    );
    assert_eq!(
        one("The paper is printed daily.", d, "daily"),
        ("SET", v("P1D"))
    );
    assert_eq!(
        one("Elections are held every two years.", d, "every two years"),
        ("SET", v("P2Y"))
    );
    assert_eq!(
        one("The festival returns each July.", d, "each July"),
        ("SET", v("XXXX-07"))
    );
    assert_eq!(
        one("The club meets on Tuesdays.", d, "Tuesdays"),
        ("SET", v("XXXX-WXX-2"))
    );
    assert_eq!(
        one("The fee is $40 a year.", d, "a year"),
        ("SET", v("P1Y"))
    );
}

#[test]
fn times_of_day() {
    let mon = dct(2021, 1, 18);
    assert_eq!(
        one("The blast came at 9:30 p.m.", mon, "9:30 p.m."),
        ("TIME", v("2021-01-18T21:30"))
    );
    assert_eq!(
        one("It landed at 18:05 UTC.", mon, "18:05 UTC"),
        ("TIME", v("2021-01-18T18:05Z"))
    );
    assert_eq!(
        one("Troops left on Friday morning.", mon, "Friday morning"),
        ("TIME", v("2021-01-15TMO"))
    );
    assert_eq!(
        one("The vote is tonight.", mon, "tonight"),
        ("TIME", v("2021-01-18TNI"))
    );
    assert_eq!(
        one("The gates opened at noon Saturday.", mon, "noon Saturday"),
        ("TIME", v("2021-01-16T12:00"))
    );
    assert_eq!(
        value("Shots were heard last night.", mon, "last night"),
        v("2021-01-17TNI")
    );
    assert_eq!(
        value("Shots were heard at 10 a.m.", None, "10 a.m."),
        v("XXXX-XX-XXT10:00")
    );
}

#[test]
fn calendar_forms() {
    let d = dct(2021, 1, 18);
    assert_eq!(
        value("Filed on 2020-08-07 in Vellmar.", d, "2020-08-07"),
        v("2020-08-07")
    );
    assert_eq!(
        value("Filed on 8/7/2020 in Vellmar.", d, "8/7/2020"),
        v("2020-08-07")
    );
    assert_eq!(
        value("It opened on August 7, 2020.", d, "August 7, 2020"),
        v("2020-08-07")
    );
    assert_eq!(
        value("It opened on 7 August 2020.", d, "7 August 2020"),
        v("2020-08-07")
    );
    assert_eq!(
        value("It opened in August 2020.", d, "August 2020"),
        v("2020-08")
    );
    assert_eq!(value("It opened in 1998.", d, "1998"), v("1998"));
    assert_eq!(value("It boomed in the 1990s.", d, "the 1990s"), v("199"));
    assert_eq!(
        value("It boomed in the late 1980s.", d, "the late 1980s"),
        v("198")
    );
    assert_eq!(
        value("It boomed in the summer of 2019.", d, "the summer of 2019"),
        v("2019-SU")
    );
    assert_eq!(
        value("Profit rose in the third quarter.", d, "the third quarter"),
        v("2020-Q3")
    );
    assert_eq!(
        value(
            "Profit rose in the first half of 2019.",
            d,
            "the first half of 2019"
        ),
        v("2019-H1")
    );
    assert_eq!(
        value(
            "The boat was found on Thanksgiving Day.",
            d,
            "Thanksgiving Day"
        ),
        v("2020-11-26")
    );
    assert_eq!(
        value("The boat was found on Christmas Eve.", d, "Christmas Eve"),
        v("2020-12-24")
    );
    assert_eq!(
        value("It ended in nineteen ninety-six.", d, "nineteen ninety-six"),
        v("1996")
    );
}

#[test]
fn earnings_reports_count_a_year_earlier_in_quarters() {
    let d = dct(2021, 11, 2);
    let text = "Profit rose in the third quarter. A year earlier, the firm lost money. In the year-ago quarter, sales fell.";
    assert_eq!(value(text, d, "the third quarter"), v("2021-Q3"));
    assert_eq!(value(text, d, "A year earlier"), v("2020-Q3"));
    assert_eq!(value(text, d, "the year-ago quarter"), v("2020-Q3"));
    // Without a quarter in the text, a year is a year.
    assert_eq!(
        value("A year earlier, the firm lost money.", d, "A year earlier"),
        v("2020")
    );
}

#[test]
fn more_forms() {
    let d = dct(2021, 1, 18);
    assert_eq!(
        value("Trading resumed at 0800 UTC.", d, "0800 UTC"),
        v("2021-01-18T08:00Z")
    );
    assert_eq!(
        value("The index fell to its lowest level since '82.", d, "'82"),
        v("1982")
    );
    assert_eq!(
        value(
            "The index fell to its lowest level since March.",
            d,
            "March"
        ),
        v("2020-03")
    );
    assert_eq!(
        value("The mill was busy in the nineties.", d, "the nineties"),
        v("199")
    );
    assert_eq!(
        value(
            "Rates fell by the end of the year.",
            d,
            "the end of the year"
        ),
        v("2021")
    );
}

#[test]
fn words_that_only_look_like_dates() {
    let d = dct(2021, 1, 18);
    assert!(found("May I ask a question?", d).is_empty());
    assert!(found("Share prices fall when rates rise.", d).is_empty());
    assert!(found("The army sent 1999 soldiers and 3000 tanks.", d).is_empty());
    assert!(found("The late president was honoured.", d).is_empty());
    assert!(found("Iraq imports about three-quarters of its food.", d).is_empty());
}

/// A hand-built pipeline parse (one sentence): tense comes from the parse.
fn parsed(text: &str, rows: &[(&str, &str, usize, &str)]) -> Doc {
    let mut pos = 0;
    let mut tokens = Vec::new();
    let mut ents = Vec::new();
    for (i, (word, tag, head, dep)) in rows.iter().enumerate() {
        let start = text[pos..]
            .find(word)
            .map(|p| p + pos)
            .expect("word in text");
        pos = start + word.len();
        if *word == "Tuesday" {
            ents.push(EntSpan {
                start_token: i,
                end_token: i + 1,
                start,
                end: pos,
                label: "DATE".into(),
            });
        }
        tokens.push(Token {
            text: (*word).to_string(),
            start,
            end: pos,
            tag: (*tag).to_string(),
            lemma: word.to_lowercase(),
            head: *head,
            dep: (*dep).to_string(),
            ..Token::default()
        });
    }
    Doc {
        sents: std::iter::once(0..tokens.len()).collect(),
        tokens,
        ents,
    }
}

#[test]
fn tense_from_the_parse() {
    let mon = dct(2021, 1, 18);
    let text = "Talks will resume on Tuesday, officials said.";
    let toks = parsed(
        text,
        &[
            ("Talks", "NNS", 2, "nsubj"),
            ("will", "MD", 2, "aux"),
            ("resume", "VB", 8, "ccomp"),
            ("on", "IN", 2, "prep"),
            ("Tuesday", "NNP", 3, "pobj"),
            (",", ",", 8, "punct"),
            ("officials", "NNS", 8, "nsubj"),
            ("said", "VBD", 8, "ROOT"),
            (".", ".", 8, "punct"),
        ],
    );
    // "said" is the nearest past form, but the clause of "Tuesday" has "will".
    let t = tag(text, &toks, mon);
    assert_eq!(t.len(), 1);
    assert_eq!(t[0].value.as_deref(), Some("2021-01-19"));
    let text = "Talks resumed on Tuesday.";
    let toks = parsed(
        text,
        &[
            ("Talks", "NNS", 1, "nsubj"),
            ("resumed", "VBD", 1, "ROOT"),
            ("on", "IN", 1, "prep"),
            ("Tuesday", "NNP", 2, "pobj"),
            (".", ".", 1, "punct"),
        ],
    );
    let t = tag(text, &toks, mon);
    assert_eq!(t[0].value.as_deref(), Some("2021-01-12"));
}

#[test]
fn bad_tokens_are_skipped() {
    let text = "Talks resumed on Tuesday in Köln.";
    let plain = |start: usize, end: usize, head: usize| Token {
        start,
        end,
        head,
        ..Token::default()
    };
    let doc = Doc {
        tokens: vec![
            plain(0, 5, 0),
            plain(30, 31, 1), // inside "ö"
            plain(17, 24, 2),
            plain(25, 999, 3),
            plain(9, 3, 4),
        ],
        sents: vec![0..2, 1..99],
        ents: Vec::new(),
    };
    let t = tag(text, &doc, dct(2021, 1, 18));
    assert!(t.iter().all(|x| x.start < x.end && x.end <= text.len()));
    assert_eq!(
        t.iter().map(|x| x.text.as_str()).collect::<Vec<_>>(),
        vec!["Tuesday"]
    );
}

proptest! {
    #[test]
    fn never_panics_and_spans_are_in_bounds(text in "\\PC{0,120}", with_dct in any::<bool>(), day in 1u8..=28, month in 1u8..=12) {
        let d = if with_dct { Date::ymd(2020, month, day) } else { None };
        let found = tag_plain(&text, d);
        let mut last_end = 0;
        for t in &found {
            prop_assert!(t.start < t.end && t.end <= text.len());
            prop_assert!(text.is_char_boundary(t.start) && text.is_char_boundary(t.end));
            prop_assert_eq!(&text[t.start..t.end], t.text.as_str());
            prop_assert!(t.start >= last_end);
            last_end = t.end;
        }
    }

    #[test]
    fn malformed_pipeline_tokens_never_panic(
        text in "[a-zA-Z0-9 ,.:'\u{e9}\u{4e2d}-]{0,60}",
        raw in proptest::collection::vec((0usize..80, 0usize..80, 0usize..40, 0u8..4), 0..20),
        sents in proptest::collection::vec((0usize..30, 0usize..30), 0..4),
    ) {
        let tags = ["VBD", "MD", "NNP", ""];
        let tokens: Vec<Token> = raw
            .iter()
            .map(|&(s, e, h, k)| Token {
                start: s,
                end: e,
                tag: tags[usize::from(k)].to_string(),
                head: h,
                dep: if k == 1 { "aux".into() } else { String::new() },
                ..Token::default()
            })
            .collect();
        // Entities over arbitrary token ranges, some past the end.
        let ents = raw
            .iter()
            .filter(|r| r.3 == 2)
            .map(|&(s, e, h, _)| EntSpan { start_token: h, end_token: h + 2, start: s, end: e, label: "DATE".into() })
            .collect();
        let sents: Vec<Range<usize>> = sents.iter().map(|&(a, b)| a..b).collect();
        let doc = Doc { tokens, sents, ents };
        for t in tag(&text, &doc, Date::ymd(2020, 2, 29)) {
            prop_assert!(t.start < t.end && t.end <= text.len());
            prop_assert!(text.is_char_boundary(t.start) && text.is_char_boundary(t.end));
        }
    }

    #[test]
    fn date_words_in_noise_never_panic(words in proptest::collection::vec(
        prop_oneof![
            Just("last"), Just("next"), Just("the"), Just("Tuesday"), Just("August"), Just("7"), Just(","), Just("2020"),
            Just("ago"), Just("two"), Just("years"), Just("-"), Just("every"), Just("a"), Just("half"), Just("9:30"),
            Just("p.m."), Just("quarter"), Just("third"), Just("mid-1990s"), Just("twenty"), Just("nineteen"), Just("day"),
            Just("later"), Just("of"), Just("early"), Just("Christmas"), Just("week"), Just("9999"), Just("00/00/00"),
        ], 0..16), year in 1..3000i32) {
        let text = words.join(" ");
        let d = Date::ymd(year, 2, 29).or(Date::ymd(year, 3, 1));
        for t in tag_plain(&text, d) {
            prop_assert!(t.start < t.end && t.end <= text.len());
        }
    }
}
