use serde::{Deserialize, Serialize};
use std::fmt;

/// How much of a date is known.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum DatePrecision {
    Year,
    Month,
    Day,
}

/// A calendar date known to year, month or day precision, written as an ISO
/// string cut to that precision (`2020`, `2020-08`, `2020-08-07`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Date {
    pub year: i32,
    pub month: Option<u8>,
    pub day: Option<u8>,
}

impl Date {
    /// A full date, checked against the calendar.
    pub fn ymd(year: i32, month: u8, day: u8) -> Option<Date> {
        if !(1..=12).contains(&month) || day == 0 || day > days_in_month(year, month) {
            return None;
        }
        Some(Date {
            year,
            month: Some(month),
            day: Some(day),
        })
    }

    pub fn ym(year: i32, month: u8) -> Option<Date> {
        (1..=12).contains(&month).then_some(Date {
            year,
            month: Some(month),
            day: None,
        })
    }

    pub fn year(year: i32) -> Date {
        Date {
            year,
            month: None,
            day: None,
        }
    }

    pub fn precision(&self) -> DatePrecision {
        match (self.month, self.day) {
            (Some(_), Some(_)) => DatePrecision::Day,
            (Some(_), None) => DatePrecision::Month,
            _ => DatePrecision::Year,
        }
    }

    /// Parses `YYYY`, `YYYY-MM` or `YYYY-MM-DD`, with calendar checks.
    pub fn parse_iso(s: &str) -> Option<Date> {
        let s = s.trim();
        let mut parts = s.split('-');
        let y = parts.next()?;
        if y.len() != 4 || !y.bytes().all(|b| b.is_ascii_digit()) {
            return None;
        }
        let year: i32 = y.parse().ok()?;
        let Some(m) = parts.next() else {
            return Some(Date::year(year));
        };
        if m.len() != 2 {
            return None;
        }
        let month: u8 = m.parse().ok()?;
        let Some(d) = parts.next() else {
            return Date::ym(year, month);
        };
        if d.len() != 2 || parts.next().is_some() {
            return None;
        }
        Date::ymd(year, month, d.parse().ok()?)
    }
}

impl fmt::Display for Date {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:04}", self.year)?;
        if let Some(m) = self.month {
            write!(f, "-{m:02}")?;
            if let Some(d) = self.day {
                write!(f, "-{d:02}")?;
            }
        }
        Ok(())
    }
}

impl Date {
    /// The first and last day the date covers, as day numbers
    /// ([`day_number`]): "2020-08" covers 1 to 31 August.
    pub fn day_span(&self) -> (i64, i64) {
        let m0 = self.month.unwrap_or(1);
        let m1 = self.month.unwrap_or(12);
        let d0 = self.day.unwrap_or(1);
        let d1 = self.day.unwrap_or_else(|| days_in_month(self.year, m1));
        (day_number(self.year, m0, d0), day_number(self.year, m1, d1))
    }
}

/// Days since 0000-03-01 of a calendar day: differences between two are
/// days, and their order is the calendar's.
pub fn day_number(year: i32, month: u8, day: u8) -> i64 {
    let (m, d) = (month as i64, day as i64);
    let y = year as i64 - if m <= 2 { 1 } else { 0 };
    let mp = (m + 9) % 12;
    365 * y + y.div_euclid(4) - y.div_euclid(100) + y.div_euclid(400) + (153 * mp + 2) / 5 + d - 1
}

pub fn is_leap(year: i32) -> bool {
    (year % 4 == 0 && year % 100 != 0) || year % 400 == 0
}

pub fn days_in_month(year: i32, month: u8) -> u8 {
    match month {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if is_leap(year) => 29,
        2 => 28,
        _ => 0,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trips_each_precision() {
        for s in ["2020", "2020-08", "2020-08-07", "2000-02-29"] {
            assert_eq!(Date::parse_iso(s).unwrap().to_string(), s);
        }
    }

    #[test]
    fn rejects_impossible_dates() {
        for s in [
            "2021-02-29",
            "2020-13",
            "2020-00-10",
            "20-01-01",
            "2020-1-1",
            "x",
        ] {
            assert!(Date::parse_iso(s).is_none(), "{s}");
        }
    }

    #[test]
    fn day_spans_cover_the_period_and_count_days() {
        let aug = Date::ym(2020, 8).unwrap().day_span();
        assert_eq!(aug.1 - aug.0, 30);
        let y = Date::year(2024).day_span();
        assert_eq!(y.1 - y.0, 365);
        let a = Date::ymd(2020, 2, 28).unwrap().day_span().0;
        let b = Date::ymd(2020, 3, 1).unwrap().day_span().0;
        assert_eq!(b - a, 2);
        assert!(Date::ymd(1999, 12, 31).unwrap().day_span().0 < Date::year(2000).day_span().0);
    }

    #[test]
    fn precision() {
        assert_eq!(Date::year(1998).precision(), DatePrecision::Year);
        assert_eq!(
            Date::ymd(2020, 8, 7).unwrap().precision(),
            DatePrecision::Day
        );
    }
}
