//! Words of the time-expression grammar (all lookups take lower case).

/// Calendar units for durations, shifts and sets.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Unit {
    Second,
    Minute,
    Hour,
    Day,
    Week,
    Fortnight,
    Month,
    Quarter,
    Year,
    Decade,
    Century,
}

impl Unit {
    /// TimeML duration designator and whether it belongs after `T`.
    pub fn designator(self) -> (&'static str, bool, f64) {
        match self {
            Unit::Second => ("S", true, 1.0),
            Unit::Minute => ("M", true, 1.0),
            Unit::Hour => ("H", true, 1.0),
            Unit::Day => ("D", false, 1.0),
            Unit::Week => ("W", false, 1.0),
            Unit::Fortnight => ("W", false, 2.0),
            Unit::Month => ("M", false, 1.0),
            Unit::Quarter => ("Q", false, 1.0),
            Unit::Year => ("Y", false, 1.0),
            Unit::Decade => ("Y", false, 10.0),
            Unit::Century => ("Y", false, 100.0),
        }
    }

    /// The next smaller unit and how many of it make one of this (for
    /// writing fractions such as "half a year" as whole numbers).
    pub fn smaller(self) -> Option<(Unit, f64)> {
        match self {
            Unit::Minute => Some((Unit::Second, 60.0)),
            Unit::Hour => Some((Unit::Minute, 60.0)),
            Unit::Day => Some((Unit::Hour, 24.0)),
            Unit::Week => Some((Unit::Day, 7.0)),
            Unit::Month => Some((Unit::Day, 30.0)),
            Unit::Year => Some((Unit::Month, 12.0)),
            _ => None,
        }
    }
}

/// A unit noun, and whether it is plural.
pub(crate) fn unit(w: &str) -> Option<(Unit, bool)> {
    Some(match w {
        "second" => (Unit::Second, false),
        "seconds" | "secs" => (Unit::Second, true),
        "minute" | "min" => (Unit::Minute, false),
        "minutes" | "mins" => (Unit::Minute, true),
        "hour" | "hr" => (Unit::Hour, false),
        "hours" | "hrs" => (Unit::Hour, true),
        "day" => (Unit::Day, false),
        "days" => (Unit::Day, true),
        "week" | "wk" => (Unit::Week, false),
        "weeks" | "wks" => (Unit::Week, true),
        "fortnight" => (Unit::Fortnight, false),
        "fortnights" => (Unit::Fortnight, true),
        "month" => (Unit::Month, false),
        "months" => (Unit::Month, true),
        "quarter" => (Unit::Quarter, false),
        "quarters" => (Unit::Quarter, true),
        "year" | "yr" => (Unit::Year, false),
        "years" | "yrs" => (Unit::Year, true),
        "decade" => (Unit::Decade, false),
        "decades" => (Unit::Decade, true),
        "century" => (Unit::Century, false),
        "centuries" => (Unit::Century, true),
        _ => return None,
    })
}

pub(crate) fn month(w: &str) -> Option<u8> {
    Some(match w.trim_end_matches('.') {
        "january" | "jan" => 1,
        "february" | "feb" => 2,
        "march" | "mar" => 3,
        "april" | "apr" => 4,
        "may" => 5,
        "june" | "jun" => 6,
        "july" | "jul" => 7,
        "august" | "aug" => 8,
        "september" | "sep" | "sept" => 9,
        "october" | "oct" => 10,
        "november" | "nov" => 11,
        "december" | "dec" => 12,
        _ => return None,
    })
}

/// Month names that are also common words: they need calendar context.
pub(crate) fn ambiguous_month(w: &str) -> bool {
    matches!(
        w,
        "may"
            | "march"
            | "mar"
            | "jan"
            | "dec"
            | "sep"
            | "aug"
            | "oct"
            | "jun"
            | "jul"
            | "apr"
            | "nov"
            | "feb"
    )
}

pub(crate) fn weekday(w: &str) -> Option<u8> {
    Some(match w {
        "monday" | "mon." => 1,
        "tuesday" | "tue." | "tues." | "tues" => 2,
        "wednesday" | "wed." => 3,
        "thursday" | "thu." | "thur." | "thurs." | "thurs" => 4,
        "friday" | "fri." => 5,
        "saturday" | "sat." => 6,
        "sunday" | "sun." => 7,
        _ => return None,
    })
}

pub(crate) fn weekday_plural(w: &str) -> Option<u8> {
    Some(match w {
        "mondays" => 1,
        "tuesdays" => 2,
        "wednesdays" => 3,
        "thursdays" => 4,
        "fridays" => 5,
        "saturdays" => 6,
        "sundays" => 7,
        _ => return None,
    })
}

pub(crate) fn season(w: &str) -> Option<&'static str> {
    Some(match w {
        "spring" => "SP",
        "summer" => "SU",
        "fall" | "autumn" => "FA",
        "winter" => "WI",
        _ => return None,
    })
}

pub(crate) fn part_of_day(w: &str) -> Option<&'static str> {
    Some(match w {
        "morning" | "mornings" => "MO",
        "afternoon" | "afternoons" => "AF",
        "evening" | "evenings" => "EV",
        "night" | "nights" => "NI",
        _ => return None,
    })
}

pub(crate) fn small_number(w: &str) -> Option<f64> {
    Some(match w {
        "zero" => 0.0,
        "one" => 1.0,
        "two" => 2.0,
        "three" => 3.0,
        "four" => 4.0,
        "five" => 5.0,
        "six" => 6.0,
        "seven" => 7.0,
        "eight" => 8.0,
        "nine" => 9.0,
        "ten" => 10.0,
        "eleven" => 11.0,
        "twelve" => 12.0,
        "thirteen" => 13.0,
        "fourteen" => 14.0,
        "fifteen" => 15.0,
        "sixteen" => 16.0,
        "seventeen" => 17.0,
        "eighteen" => 18.0,
        "nineteen" => 19.0,
        "twenty" => 20.0,
        "thirty" => 30.0,
        "forty" => 40.0,
        "fifty" => 50.0,
        "sixty" => 60.0,
        "seventy" => 70.0,
        "eighty" => 80.0,
        "ninety" => 90.0,
        "hundred" => 100.0,
        "dozen" => 12.0,
        _ => return None,
    })
}

pub(crate) fn ordinal(w: &str) -> Option<u32> {
    let n = match w {
        "first" => 1,
        "second" => 2,
        "third" => 3,
        "fourth" => 4,
        "fifth" => 5,
        "sixth" => 6,
        "seventh" => 7,
        "eighth" => 8,
        "ninth" => 9,
        "tenth" => 10,
        "eleventh" => 11,
        "twelfth" => 12,
        "thirteenth" => 13,
        "fourteenth" => 14,
        "fifteenth" => 15,
        "sixteenth" => 16,
        "seventeenth" => 17,
        "eighteenth" => 18,
        "nineteenth" => 19,
        "twentieth" => 20,
        "twenty-first" => 21,
        "thirtieth" => 30,
        _ => {
            let digits = w.trim_end_matches(|c: char| c.is_ascii_alphabetic());
            let suffix = &w[digits.len()..];
            if digits.is_empty() || digits.len() > 3 || !matches!(suffix, "st" | "nd" | "rd" | "th")
            {
                return None;
            }
            return digits.parse().ok();
        }
    };
    Some(n)
}

/// Fuzzy quantities that make an unspecified (`X`) count.
pub(crate) fn vague_quantity(w: &str) -> bool {
    matches!(
        w,
        "several"
            | "few"
            | "many"
            | "some"
            | "numerous"
            | "countless"
            | "recent"
            | "coming"
            | "multiple"
    )
}

/// Words between a count and its unit that leave the unit unchanged.
pub(crate) fn unit_filler(w: &str) -> bool {
    matches!(
        w,
        "more"
            | "additional"
            | "consecutive"
            | "straight"
            | "full"
            | "trading"
            | "business"
            | "working"
            | "calendar"
            | "fiscal"
            | "long"
            | "successive"
            | "further"
            | "extra"
            | "whole"
            | "entire"
    )
}

pub(crate) fn timezone(w: &str) -> bool {
    matches!(
        w,
        "gmt"
            | "utc"
            | "est"
            | "edt"
            | "cst"
            | "cdt"
            | "mst"
            | "mdt"
            | "pst"
            | "pdt"
            | "bst"
            | "cet"
            | "cest"
            | "ist"
            | "jst"
            | "et"
            | "pt"
    )
}

/// Prepositions after which a bare year or month name is a date.
pub(crate) fn date_preposition(w: &str) -> bool {
    matches!(
        w,
        "in" | "since"
            | "of"
            | "until"
            | "till"
            | "by"
            | "from"
            | "during"
            | "before"
            | "after"
            | "through"
            | "to"
            | "between"
            | "and"
            | "early"
            | "late"
            | "mid"
            | "last"
            | "next"
            | "this"
            | "fiscal"
            | "around"
            | "circa"
            | "throughout"
            | "on"
            | "for"
            | "into"
            | "-"
    )
}
