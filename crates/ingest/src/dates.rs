//! Publication dates as news pages and feeds write them.
//!
//! Recognises ISO 8601 / RFC 3339 (`2020-11-15`, `2020-11-15T10:00:00Z`),
//! RFC 822 (`Mon, 16 Nov 2020 14:03:00 +0000`) and the prose forms of news
//! datelines (`November 15, 2020`, `Nov. 15 2020`, `15 November 2017`,
//! `Monday, January 18, 2021`). Only complete, calendar-valid dates with a
//! four-digit year are accepted: nothing is filled in or guessed.

use dossier_core::Date;

const MONTHS: [&str; 12] = [
    "january",
    "february",
    "march",
    "april",
    "may",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
];

const WEEKDAYS: [&str; 7] = [
    "monday",
    "tuesday",
    "wednesday",
    "thursday",
    "friday",
    "saturday",
    "sunday",
];

/// Month number for a full or abbreviated English month name
/// ("Sept", "Nov."). "May" is only accepted in full.
fn month_number(word: &str) -> Option<u8> {
    let w = word.trim_end_matches('.').to_ascii_lowercase();
    if w.len() < 3 {
        return None;
    }
    if w == "sept" {
        return Some(9);
    }
    MONTHS
        .iter()
        .position(|m| *m == w || (w.len() == 3 && m.starts_with(&w)))
        .map(|i| i as u8 + 1)
}

fn is_weekday(word: &str) -> bool {
    let w = word.trim_end_matches('.').to_ascii_lowercase();
    w.len() >= 3 && WEEKDAYS.iter().any(|d| *d == w || d.starts_with(&w))
}

/// A word of the input with its byte range.
#[derive(Debug, Clone, Copy)]
struct Word<'a> {
    text: &'a str,
    end: usize,
}

/// Splits into runs of letters, digits and '.', skipping separators.
fn words(s: &str) -> Vec<Word<'_>> {
    let mut out = Vec::new();
    let mut start: Option<usize> = None;
    for (i, c) in s.char_indices() {
        let part = c.is_alphanumeric() || c == '.';
        match (part, start) {
            (true, None) => start = Some(i),
            (false, Some(st)) => {
                out.push(Word {
                    text: &s[st..i],
                    end: i,
                });
                start = None;
            }
            _ => {}
        }
    }
    if let Some(st) = start {
        out.push(Word {
            text: &s[st..],
            end: s.len(),
        });
    }
    out
}

fn day_number(word: &str) -> Option<u8> {
    let w = word.trim_end_matches('.');
    let digits = w
        .strip_suffix("st")
        .or_else(|| w.strip_suffix("nd"))
        .or_else(|| w.strip_suffix("rd"))
        .or_else(|| w.strip_suffix("th"))
        .unwrap_or(w);
    if digits.is_empty() || digits.len() > 2 || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    digits.parse().ok().filter(|d| (1..=31).contains(d))
}

fn year_number(word: &str) -> Option<i32> {
    let w = word.trim_end_matches('.');
    if w.len() != 4 || !w.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    w.parse().ok().filter(|y| (1000..=2999).contains(y))
}

/// Parses an ISO 8601 date or date-time prefix: `YYYY-MM-DD[T...]`,
/// `YYYY/MM/DD`, or `YYYYMMDD` when it stands alone.
fn parse_iso_prefix(s: &str) -> Option<(Date, usize)> {
    let b = s.as_bytes();
    let digits = |r: std::ops::Range<usize>| {
        b.get(r.clone())
            .filter(|x| x.iter().all(u8::is_ascii_digit))
            .and_then(|_| s[r].parse::<u32>().ok())
    };
    let year = digits(0..4)? as i32;
    match b.get(4) {
        Some(b'-') | Some(b'/') => {
            let sep = b[4];
            let month = digits(5..7)? as u8;
            if b.get(7) == Some(&sep) {
                let day = digits(8..10)? as u8;
                // Reject longer digit runs such as 2020-11-150.
                if b.get(10).is_some_and(u8::is_ascii_digit) {
                    return None;
                }
                Date::ymd(year, month, day).map(|d| (d, 10))
            } else if b.get(7).is_some_and(u8::is_ascii_digit) {
                None
            } else {
                Date::ym(year, month).map(|d| (d, 7))
            }
        }
        _ if b.len() == 8 => {
            let month = digits(4..6)? as u8;
            let day = digits(6..8)? as u8;
            Date::ymd(year, month, day).map(|d| (d, 8))
        }
        _ => None,
    }
}

/// A date written at the very start of `s` (after optional weekday and
/// punctuation). Returns the date and the byte offset where it ends.
pub fn date_at_start(s: &str) -> Option<(Date, usize)> {
    let lead = s.len() - s.trim_start().len();
    let t = &s[lead..];
    if let Some((d, n)) = parse_iso_prefix(t) {
        return Some((d, lead + n));
    }
    let ws = words(s);
    let mut i = 0;
    if ws.first().is_some_and(|w| is_weekday(w.text)) {
        i = 1;
    }
    prose_date(&ws[i..])
}

/// Month-name forms over a word sequence starting at its first word.
fn prose_date(ws: &[Word<'_>]) -> Option<(Date, usize)> {
    let w = |k: usize| ws.get(k).map(|w| w.text);
    // Month D, YYYY  /  Month D YYYY
    if let Some(m) = w(0).and_then(month_number) {
        if let (Some(d), Some(y)) = (w(1).and_then(day_number), w(2).and_then(year_number)) {
            return Date::ymd(y, m, d).map(|date| (date, ws[2].end));
        }
        if let Some(y) = w(1).and_then(year_number) {
            return Date::ym(y, m).map(|date| (date, ws[1].end));
        }
        return None;
    }
    // D Month YYYY
    if let (Some(d), Some(m), Some(y)) = (
        w(0).and_then(day_number),
        w(1).and_then(month_number),
        w(2).and_then(year_number),
    ) {
        return Date::ymd(y, m, d).map(|date| (date, ws[2].end));
    }
    None
}

/// Finds the first complete date anywhere in a short string such as a
/// metadata value, an RSS `pubDate` or a dateline.
pub fn parse_date(s: &str) -> Option<Date> {
    let s = s.trim();
    if let Some((d, _)) = parse_iso_prefix(s) {
        return Some(d);
    }
    let ws = words(s);
    for i in 0..ws.len() {
        if let Some(iso) = parse_iso_prefix(ws[i].text) {
            return Some(iso.0);
        }
        if let Some((d, _)) = prose_date(&ws[i..]) {
            return Some(d);
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    fn iso(s: &str) -> Option<String> {
        parse_date(s).map(|d| d.to_string())
    }

    #[test]
    fn news_forms() {
        assert_eq!(iso("November 15, 2020").as_deref(), Some("2020-11-15"));
        assert_eq!(iso("12 November 2017").as_deref(), Some("2017-11-12"));
        assert_eq!(
            iso("Monday, January 18, 2021").as_deref(),
            Some("2021-01-18")
        );
        assert_eq!(iso("Nov. 5th 2019").as_deref(), Some("2019-11-05"));
        assert_eq!(iso("Sept 3, 2001").as_deref(), Some("2001-09-03"));
        assert_eq!(
            iso("Published: 3 Jan 2022 10:15 GMT").as_deref(),
            Some("2022-01-03")
        );
    }

    #[test]
    fn machine_forms() {
        assert_eq!(iso("2020-11-15T10:00:00Z").as_deref(), Some("2020-11-15"));
        assert_eq!(iso("2020/11/15").as_deref(), Some("2020-11-15"));
        assert_eq!(
            iso("Mon, 16 Nov 2020 14:03:00 +0000").as_deref(),
            Some("2020-11-16")
        );
        assert_eq!(iso("20201115").as_deref(), Some("2020-11-15"));
        assert_eq!(iso("2020-08").as_deref(), Some("2020-08"));
    }

    #[test]
    fn refuses_incomplete_or_impossible() {
        for s in [
            "",
            "November 15",
            "last August",
            "on Tuesday",
            "February 30, 2021",
            "2020-13-01",
            "May be tomorrow",
            "the 1998 bombings",
        ] {
            assert_eq!(iso(s), None, "{s}");
        }
    }

    #[test]
    fn date_at_start_reports_end() {
        let s = "November 15, 2020 Faith Matters";
        let (d, end) = date_at_start(s).unwrap();
        assert_eq!(d.to_string(), "2020-11-15");
        assert_eq!(&s[end..], " Faith Matters");
        assert!(date_at_start("Faith Matters November 15, 2020").is_none());
        let (d, _) = date_at_start("Monday, 16 November 2020").unwrap();
        assert_eq!(d.to_string(), "2020-11-16");
    }

    proptest::proptest! {
        #[test]
        fn never_panics(s in "\\PC{0,40}") {
            let _ = parse_date(&s);
            if let Some((_, end)) = date_at_start(&s) {
                proptest::prop_assert!(end <= s.len() && s.is_char_boundary(end));
            }
        }
    }
}
