//! Date bounds given by users (`2020`, `2020-08`, `2020-08-07`), as the
//! day numbers events are indexed by.

use dossier_core::Date;

/// One end of a date range, as given by a user.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DateBound(Date);

impl DateBound {
    /// Parses `YYYY`, `YYYY-MM` or `YYYY-MM-DD` (calendar-checked).
    pub fn parse(s: &str) -> Option<DateBound> {
        Date::parse_iso(s).map(DateBound)
    }

    /// The first day the bound covers (for `from`).
    pub fn first_day(&self) -> i64 {
        self.0.day_span().0
    }

    /// The last day the bound covers (for `to`).
    pub fn last_day(&self) -> i64 {
        self.0.day_span().1
    }

    /// Whether this bound starts after `other` ends (a `from` after a `to`).
    pub fn is_after(&self, other: &DateBound) -> bool {
        self.first_day() > other.last_day()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bounds_cover_their_period() {
        let b = DateBound::parse("2021-02").unwrap();
        assert_eq!(b.last_day() - b.first_day(), 27);
        assert!(DateBound::parse("2021-02-30").is_none());
        assert!(DateBound::parse("../../etc").is_none());
        let y = DateBound::parse("2020").unwrap();
        assert!(DateBound::parse("2021-01").unwrap().is_after(&y));
        assert!(!y.is_after(&DateBound::parse("2020-12-31").unwrap()));
    }
}
