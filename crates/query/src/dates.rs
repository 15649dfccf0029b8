//! Partial ISO dates as intervals, so that "2020-08" can be compared with
//! "2020-08-07" and with a range.

use dossier_core::Date;

/// A day as a comparable `(year, month, day)` triple.
pub(crate) type Day = (i32, u8, u8);

/// One end of a date range, as given by a user: `2020`, `2020-08` or
/// `2020-08-07`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DateBound(Date);

impl DateBound {
    /// Parses `YYYY`, `YYYY-MM` or `YYYY-MM-DD` (calendar-checked).
    pub fn parse(s: &str) -> Option<DateBound> {
        Date::parse_iso(s).map(DateBound)
    }

    /// The first day the bound covers (for `from`).
    pub(crate) fn first_day(&self) -> Day {
        interval(&self.0).0
    }

    /// Whether this bound starts after `other` ends (a `from` after a `to`).
    pub fn is_after(&self, other: &DateBound) -> bool {
        self.first_day() > other.last_day()
    }

    /// The last day the bound covers (for `to`).
    pub(crate) fn last_day(&self) -> Day {
        interval(&self.0).1
    }
}

fn interval(d: &Date) -> (Day, Day) {
    let m0 = d.month.unwrap_or(1);
    let m1 = d.month.unwrap_or(12);
    let d0 = d.day.unwrap_or(1);
    let d1 = d.day.unwrap_or_else(|| last_day_of(d.year, m1));
    ((d.year, m0, d0), (d.year, m1, d1))
}

fn last_day_of(year: i32, month: u8) -> u8 {
    match month {
        4 | 6 | 9 | 11 => 30,
        2 if (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 => 29,
        2 => 28,
        _ => 31,
    }
}

/// The days an ISO date string (cut to its precision) covers; `None` when it
/// is not a date.
pub(crate) fn span_of(value: &str) -> Option<(Day, Day)> {
    Date::parse_iso(value).map(|d| interval(&d))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn partial_dates_cover_their_whole_period() {
        assert_eq!(span_of("2020-08"), Some(((2020, 8, 1), (2020, 8, 31))));
        assert_eq!(span_of("2020"), Some(((2020, 1, 1), (2020, 12, 31))));
        assert_eq!(span_of("2024-02"), Some(((2024, 2, 1), (2024, 2, 29))));
        assert_eq!(span_of("2020-08-07"), Some(((2020, 8, 7), (2020, 8, 7))));
        assert_eq!(span_of("August"), None);
        assert_eq!(span_of("2020-13"), None);
    }

    #[test]
    fn bounds() {
        let b = DateBound::parse("2021-02").unwrap();
        assert_eq!(b.first_day(), (2021, 2, 1));
        assert_eq!(b.last_day(), (2021, 2, 28));
        assert!(DateBound::parse("2021-02-30").is_none());
        assert!(DateBound::parse("../../etc").is_none());
    }
}
