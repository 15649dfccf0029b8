//! Proleptic Gregorian day arithmetic, ISO weeks and month shifts.

/// A calendar day (always valid: built from day numbers or checked input).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) struct Day {
    pub y: i32,
    pub m: u8,
    pub d: u8,
}

impl Day {
    pub fn new(y: i32, m: u8, d: u8) -> Option<Day> {
        ((1..=12).contains(&m) && d >= 1 && d <= dossier_core::date::days_in_month(y, m))
            .then_some(Day { y, m, d })
    }

    /// Days since 1970-01-01 (Howard Hinnant's algorithm).
    pub fn number(self) -> i64 {
        let y = i64::from(self.y) - i64::from(self.m <= 2);
        let era = y.div_euclid(400);
        let yoe = y - era * 400;
        let m = i64::from(self.m);
        let mp = (m + 9) % 12;
        let doy = (153 * mp + 2) / 5 + i64::from(self.d) - 1;
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
        era * 146_097 + doe - 719_468
    }

    pub fn from_number(z: i64) -> Day {
        let z = z + 719_468;
        let era = z.div_euclid(146_097);
        let doe = z - era * 146_097;
        let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
        let mp = (5 * doy + 2) / 153;
        let d = doy - (153 * mp + 2) / 5 + 1;
        let m = if mp < 10 { mp + 3 } else { mp - 9 };
        let y = yoe + era * 400 + i64::from(m <= 2);
        Day {
            y: y.clamp(i64::from(i32::MIN), i64::from(i32::MAX)) as i32,
            m: m as u8,
            d: d as u8,
        }
    }

    pub fn plus_days(self, n: i64) -> Day {
        Day::from_number(self.number().saturating_add(n))
    }

    /// ISO weekday, Monday = 1 .. Sunday = 7.
    pub fn weekday(self) -> u8 {
        // 1970-01-01 was a Thursday.
        ((self.number() + 3).rem_euclid(7) + 1) as u8
    }

    /// ISO week-numbering year and week.
    pub fn iso_week(self) -> (i32, u8) {
        // The week belongs to the year of its Thursday.
        let thursday = self.plus_days(4 - i64::from(self.weekday()));
        let jan1 = Day {
            y: thursday.y,
            m: 1,
            d: 1,
        };
        let week = (thursday.number() - jan1.number()) / 7 + 1;
        (thursday.y, week as u8)
    }

    pub fn iso(self) -> String {
        format!("{:04}-{:02}-{:02}", self.y, self.m, self.d)
    }

    pub fn week_string(self) -> String {
        let (y, w) = self.iso_week();
        format!("{y:04}-W{w:02}")
    }

    pub fn quarter(self) -> u8 {
        (self.m - 1) / 3 + 1
    }
}

/// Year and month `n` months after `(y, m)`.
pub(crate) fn shift_month(y: i32, m: u8, n: i64) -> (i32, u8) {
    let total = i64::from(y) * 12 + i64::from(m) - 1 + n;
    let y = total.div_euclid(12);
    let m = total.rem_euclid(12) + 1;
    (
        y.clamp(i64::from(i32::MIN), i64::from(i32::MAX)) as i32,
        m as u8,
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn day_numbers_round_trip() {
        assert_eq!(Day::new(1970, 1, 1).unwrap().number(), 0);
        for z in [-800_000, -1, 0, 1, 59, 10_957, 18_481, 2_932_896] {
            assert_eq!(Day::from_number(z).number(), z);
        }
        assert_eq!(
            Day::new(2020, 2, 28).unwrap().plus_days(1),
            Day::new(2020, 2, 29).unwrap()
        );
        assert_eq!(
            Day::new(2020, 12, 31).unwrap().plus_days(1),
            Day::new(2021, 1, 1).unwrap()
        );
    }

    #[test]
    fn weekdays_and_iso_weeks() {
        assert_eq!(Day::new(2021, 1, 18).unwrap().weekday(), 1);
        assert_eq!(Day::new(2020, 8, 7).unwrap().weekday(), 5);
        // 2021-01-03 is a Sunday in ISO week 53 of 2020.
        assert_eq!(Day::new(2021, 1, 3).unwrap().iso_week(), (2020, 53));
        assert_eq!(Day::new(2021, 1, 4).unwrap().iso_week(), (2021, 1));
        // 2024-12-30 (Monday) is in week 1 of 2025.
        assert_eq!(Day::new(2024, 12, 30).unwrap().iso_week(), (2025, 1));
    }

    #[test]
    fn month_shifts_cross_years() {
        assert_eq!(shift_month(2021, 1, -1), (2020, 12));
        assert_eq!(shift_month(2020, 11, 14), (2022, 1));
    }
}
