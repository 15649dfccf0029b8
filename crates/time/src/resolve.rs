//! Turns a grammar reading into a TimeML type and value, given the anchor
//! dates and the tense of the clause.

use dossier_core::{Date, TimeType};

use crate::calendar::{shift_month, Day};
use crate::grammar::{Anchor, Expr, Rel, Yr};
use crate::lexicon::Unit;

/// Whether the clause places the expression before or after the DCT.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Tense {
    Past,
    Future,
    Unknown,
}

pub(crate) struct Ctx {
    pub dct: Option<Date>,
    /// The last day the text mentioned, for "the next day", "hours later".
    pub reference: Option<Day>,
    /// The last date the text mentioned, at its own precision.
    pub ref_date: Option<Date>,
    /// The last quarter the text mentioned: earnings reports count "a year
    /// earlier" in quarters.
    pub ref_quarter: Option<(i32, u8)>,
    pub tense: Tense,
}

pub(crate) struct Resolved {
    pub kind: TimeType,
    pub value: Option<String>,
    /// The date the value was computed from, when it is relative.
    pub anchor: Option<Date>,
    /// The day the expression denotes, when it denotes one.
    pub day: Option<Day>,
}

fn day_to_date(d: Day) -> Date {
    Date {
        year: d.y,
        month: Some(d.m),
        day: Some(d.d),
    }
}

impl Ctx {
    fn dct_day(&self) -> Option<Day> {
        let d = self.dct?;
        Day::new(d.year, d.month?, d.day?)
    }

    fn base(&self, anchor: Anchor) -> Option<Day> {
        match anchor {
            Anchor::Ref => self.reference.or_else(|| self.dct_day()),
            Anchor::Dct => self.dct_day(),
        }
    }

    fn base_date(&self, anchor: Anchor) -> Option<Date> {
        match anchor {
            Anchor::Ref => self
                .ref_date
                .or(self.reference.map(day_to_date))
                .or(self.dct),
            Anchor::Dct => self.dct,
        }
    }

    /// Like `base_date`, but with a month known when possible.
    fn base_month(&self, anchor: Anchor) -> Option<Date> {
        match anchor {
            Anchor::Ref => self
                .ref_date
                .filter(|d| d.month.is_some())
                .or(self.reference.map(day_to_date))
                .or(self.dct),
            Anchor::Dct => self.dct,
        }
    }
}

/// `P2Y`, `PT30M`, `PXD`: a TimeML duration of `n` units.
pub(crate) fn duration_value(n: Option<f64>, unit: Unit) -> String {
    let (code, time, mult) = unit.designator();
    let t = if time { "T" } else { "" };
    let Some(n) = n else {
        return format!("P{t}X{code}");
    };
    let mut v = n * mult;
    let mut unit = unit;
    let (mut code, mut time) = (code, time);
    // Write fractions in a smaller unit when that makes them whole.
    while v.fract() != 0.0 {
        match unit.smaller() {
            Some((smaller, factor)) => {
                v *= factor;
                unit = smaller;
                let (c, t2, _) = smaller.designator();
                code = c;
                time = t2;
            }
            None => break,
        }
    }
    let t = if time { "T" } else { "" };
    if v.fract() == 0.0 && v.abs() < 1e15 {
        format!("P{t}{}{code}", v as i64)
    } else {
        format!("P{t}{v}{code}")
    }
}

fn year_str(y: i32) -> String {
    if (0..=9999).contains(&y) {
        format!("{y:04}")
    } else {
        y.to_string()
    }
}

/// The year of a month (1-12) that `yr` names, relative to the DCT.
fn pick_year(yr: Yr, m: u8, d: Option<u8>, ctx: &Ctx) -> Option<i32> {
    let dct = ctx.dct?;
    match yr {
        Yr::Given(y) => Some(y),
        Yr::Plus(n) => Some(dct.year + n),
        Yr::Tense => {
            let Some(dm) = dct.month else {
                return Some(dct.year);
            };
            // Distance in days (months count as their first day) from the
            // DCT to the date in year y.
            let dct_day = Day::new(dct.year, dm, dct.day.unwrap_or(1))?;
            let dist = |y: i32| -> Option<i64> {
                let day = Day::new(
                    y,
                    m,
                    d.unwrap_or(1).min(dossier_core::date::days_in_month(y, m)),
                )?;
                let mut delta = day.number() - dct_day.number();
                if d.is_none() && m == dm && y == dct.year {
                    delta = 0;
                }
                Some(delta)
            };
            let here = dist(dct.year)?;
            // A clause in the past may still mention a date just ahead (a
            // deadline "set for Nov. 10"); beyond two weeks it means last
            // year's. Likewise for the future.
            // A day without year written in a past clause two months ahead
            // is rarely last year's (news gives the year for those).
            let slack = if d.is_some() { 61 } else { 14 };
            Some(match ctx.tense {
                Tense::Past if here > slack => dct.year - 1,
                Tense::Future if here < -slack => dct.year + 1,
                Tense::Unknown => {
                    // The DCT's year, unless that is far off and the
                    // neighbouring year's date lies within three months.
                    let mut best = dct.year;
                    if here.abs() > 183 {
                        for y in [dct.year - 1, dct.year + 1] {
                            if dist(y).is_some_and(|dd| dd.abs() <= 92) {
                                best = y;
                            }
                        }
                    }
                    best
                }
                _ => dct.year,
            })
        }
        Yr::Before => {
            let dm = dct.month?;
            Some(if m < dm { dct.year } else { dct.year - 1 })
        }
        Yr::After => {
            let dm = dct.month?;
            Some(if m > dm { dct.year } else { dct.year + 1 })
        }
    }
}

fn weekday_day(wd: u8, rel: Rel, tense: Tense, dct: Day) -> Day {
    let now = i64::from(dct.weekday());
    let wd = i64::from(wd);
    let back = (now - wd).rem_euclid(7);
    let ahead = (wd - now).rem_euclid(7);
    let offset = match rel {
        Rel::Last => -(if back == 0 { 7 } else { back }),
        Rel::Next => {
            if ahead == 0 {
                7
            } else {
                ahead
            }
        }
        Rel::Tense => match tense {
            Tense::Past => -back,
            Tense::Future => ahead,
            // News reports mostly look back: an untensed weekday is the
            // last one, unless it is tomorrow.
            Tense::Unknown => {
                if ahead == 1 {
                    ahead
                } else {
                    -back
                }
            }
        },
    };
    dct.plus_days(offset)
}

fn season_month(s: &str) -> u8 {
    match s {
        "SP" => 3,
        "SU" => 6,
        "FA" => 9,
        _ => 12,
    }
}

/// The value of a point in time at the granularity of `unit`.
fn at_unit(day: Day, unit: Unit) -> String {
    match unit {
        Unit::Day | Unit::Hour | Unit::Minute | Unit::Second => day.iso(),
        Unit::Week | Unit::Fortnight => day.week_string(),
        Unit::Month => format!("{}-{:02}", year_str(day.y), day.m),
        Unit::Quarter => format!("{}-Q{}", year_str(day.y), day.quarter()),
        Unit::Year => year_str(day.y),
        Unit::Decade => format!("{:03}", day.y.div_euclid(10)),
        Unit::Century => format!("{:02}", day.y.div_euclid(100)),
    }
}

pub(crate) fn resolve(expr: &Expr, ctx: &Ctx) -> Resolved {
    let kind = match expr {
        Expr::Duration { .. } => TimeType::Duration,
        Expr::Set { .. } => TimeType::Set,
        Expr::Clock { .. } | Expr::PartOfDay { .. } => TimeType::Time,
        _ => TimeType::Date,
    };
    let mut anchor = None;
    let mut day = None;
    let value: Option<String> = match expr {
        Expr::Cal { y, m, d } => {
            let year = match y {
                Yr::Given(y) => Some(*y),
                _ => {
                    anchor = ctx.dct;
                    pick_year(*y, *m, *d, ctx)
                }
            };
            match (year, d) {
                (Some(y), Some(d)) => Day::new(y, *m, *d).map(|dd| {
                    day = Some(dd);
                    dd.iso()
                }),
                (Some(y), None) => Some(format!("{}-{m:02}", year_str(y))),
                (None, Some(d)) => Some(format!("XXXX-{m:02}-{d:02}")),
                (None, None) => Some(format!("XXXX-{m:02}")),
            }
        }
        Expr::Year(y) => Some(year_str(*y)),
        Expr::Decade(d) => Some(format!("{d:03}")),
        Expr::Century(c) => Some(format!("{c:02}")),
        Expr::Season { y, s } => {
            if !matches!(y, Yr::Given(_)) {
                anchor = ctx.dct;
            }
            let year = match y {
                Yr::Tense => ctx.dct.map(|d| d.year),
                _ => pick_year(*y, season_month(s), None, ctx),
            };
            Some(match year {
                Some(y) => format!("{}-{s}", year_str(y)),
                None => format!("XXXX-{s}"),
            })
        }
        Expr::Quarter { y, q } => {
            if !matches!(y, Yr::Given(_)) {
                anchor = ctx.dct;
            }
            let year = pick_year(*y, q * 3 - 2, None, ctx).map(|year| {
                match (y, ctx.dct.and_then(|d| d.month)) {
                    (Yr::Tense, Some(m)) => {
                        let now = (m - 1) / 3 + 1;
                        // Reports look back at finished quarters, so only the
                        // past moves a quarter into another year.
                        match ctx.tense {
                            Tense::Past if *q > now => ctx.dct.map_or(year, |d| d.year - 1),
                            _ => ctx.dct.map_or(year, |d| d.year),
                        }
                    }
                    _ => year,
                }
            });
            Some(match year {
                Some(y) => format!("{}-Q{q}", year_str(y)),
                None => format!("XXXX-Q{q}"),
            })
        }
        Expr::Half { y, h } => {
            if !matches!(y, Yr::Given(_)) {
                anchor = ctx.dct;
            }
            let year = match y {
                Yr::Tense => ctx.dct.map(|d| d.year),
                _ => pick_year(*y, h * 6 - 5, None, ctx),
            };
            Some(match year {
                Some(y) => format!("{}-H{h}", year_str(y)),
                None => format!("XXXX-H{h}"),
            })
        }
        Expr::Weekday { wd, rel } => match ctx.dct_day() {
            Some(dct) => {
                anchor = ctx.dct;
                let d = weekday_day(*wd, *rel, ctx.tense, dct);
                day = Some(d);
                Some(d.iso())
            }
            None => Some(format!("XXXX-WXX-{wd}")),
        },
        Expr::DayOffset(n) => ctx.dct_day().map(|dct| {
            anchor = ctx.dct;
            let d = dct.plus_days(*n);
            day = Some(d);
            d.iso()
        }),
        Expr::Shift { unit, n, anchor: a } => {
            anchor = ctx.base_date(*a);
            match unit {
                Unit::Year | Unit::Decade | Unit::Century => ctx.base_date(*a).map(|b| {
                    let step = match unit {
                        Unit::Decade => 10,
                        Unit::Century => 100,
                        _ => 1,
                    };
                    let y = b.year + (*n as i32) * step;
                    at_unit(Day { y, m: 1, d: 1 }, *unit)
                }),
                Unit::Month | Unit::Quarter => ctx.base_month(*a).and_then(|b| {
                    let months = if *unit == Unit::Quarter { 3 * n } else { *n };
                    let (y, m) = shift_month(b.year, b.month?, months);
                    Some(at_unit(Day { y, m, d: 1 }, *unit))
                }),
                _ => ctx.base(*a).map(|b| {
                    let days = match unit {
                        Unit::Week => 7 * n,
                        Unit::Fortnight => 14 * n,
                        Unit::Day => *n,
                        _ => 0,
                    };
                    let d = b.plus_days(days);
                    if *unit == Unit::Day {
                        day = Some(d);
                    }
                    at_unit(d, *unit)
                }),
            }
        }
        Expr::Weekend(n) => ctx.dct_day().map(|dct| {
            anchor = ctx.dct;
            // On weekdays, a past "weekend" is the one before.
            let back = i64::from(*n == 0 && ctx.tense == Tense::Past && dct.weekday() < 6);
            format!("{}-WE", dct.plus_days(7 * (n - back)).week_string())
        }),
        Expr::Offset {
            unit,
            n,
            sign,
            anchor: a,
        } => match n {
            None => Some(if *sign < 0 { "PAST_REF" } else { "FUTURE_REF" }.to_string()),
            Some(n) => {
                anchor = ctx.base_date(*a);
                let (_, _, mult) = unit.designator();
                let amount = n * mult * (*sign as f64);
                match unit {
                    Unit::Year
                        if *a == Anchor::Dct
                            && *sign < 0
                            && amount.fract() == 0.0
                            && ctx.ref_quarter.is_some() =>
                    {
                        ctx.ref_quarter
                            .map(|(y, q)| format!("{}-Q{q}", year_str(y + amount as i32)))
                    }
                    Unit::Year | Unit::Decade | Unit::Century => ctx.base_date(*a).map(|b| {
                        let y = b.year + amount.round() as i32;
                        year_str(y)
                    }),
                    Unit::Month | Unit::Quarter => ctx.base_month(*a).and_then(|b| {
                        let months = if *unit == Unit::Quarter {
                            amount * 3.0
                        } else {
                            amount
                        };
                        let (y, m) = shift_month(b.year, b.month?, months.round() as i64);
                        Some(at_unit(Day { y, m, d: 1 }, *unit))
                    }),
                    _ => ctx.base(*a).map(|b| {
                        let days = match unit {
                            Unit::Week | Unit::Fortnight => amount * 7.0,
                            Unit::Day => amount,
                            _ => 0.0,
                        };
                        let d = b.plus_days(days.round() as i64);
                        if matches!(unit, Unit::Week | Unit::Fortnight) {
                            return d.week_string();
                        }
                        day = Some(d);
                        d.iso()
                    }),
                }
            }
        },
        Expr::Fuzzy(v) => Some((*v).to_string()),
        Expr::Holiday { name, y } => {
            if !matches!(y, Yr::Given(_)) {
                anchor = ctx.dct;
            }
            // The year is chosen with the holiday's date in the DCT's year.
            let approx = ctx.dct.and_then(|d| holiday_day(name, d.year));
            let year = match (y, approx) {
                (Yr::Given(y), _) => Some(*y),
                (_, Some(a)) => pick_year(*y, a.m, Some(a.d), ctx),
                (_, None) => None,
            };
            match year.and_then(|y| holiday_day(name, y)) {
                Some(d) => {
                    day = Some(d);
                    Some(d.iso())
                }
                None => holiday_day(name, 2001)
                    .filter(|_| {
                        !matches!(
                            *name,
                            "thanksgiving" | "easter" | "good friday" | "labor" | "memorial"
                        )
                    })
                    .map(|d| format!("XXXX-{:02}-{:02}", d.m, d.d)),
            }
        }
        Expr::Definite { unit, latest } => {
            anchor = ctx.dct;
            match unit {
                Unit::Quarter => ctx.dct.and_then(|b| {
                    // Reports speak of the last finished quarter.
                    let back = if *latest || ctx.tense != Tense::Future {
                        -3
                    } else {
                        0
                    };
                    let (y, m) = shift_month(b.year, b.month?, back);
                    Some(at_unit(Day { y, m, d: 1 }, Unit::Quarter))
                }),
                Unit::Year | Unit::Decade | Unit::Century => ctx.dct.map(|b| {
                    let y = if *latest { b.year - 1 } else { b.year };
                    at_unit(Day { y, m: 1, d: 1 }, *unit)
                }),
                Unit::Month => ctx.dct.and_then(|b| {
                    let (y, m) = shift_month(b.year, b.month?, if *latest { -1 } else { 0 });
                    Some(at_unit(Day { y, m, d: 1 }, Unit::Month))
                }),
                Unit::Day => {
                    anchor = ctx.base_date(Anchor::Ref);
                    ctx.base(Anchor::Ref).map(|d| {
                        day = Some(d);
                        d.iso()
                    })
                }
                _ => ctx
                    .dct_day()
                    .map(|d| at_unit(d.plus_days(if *latest { -7 } else { 0 }), *unit)),
            }
        }
        Expr::Duration { n, unit } => Some(duration_value(*n, *unit)),
        Expr::Set { value, .. } => Some(value.clone()),
        Expr::Clock {
            h,
            min,
            day: on,
            utc,
        } => {
            let (date_part, a) = day_part(on.as_deref(), ctx);
            anchor = a;
            let z = if *utc { "Z" } else { "" };
            Some(format!("{date_part}T{h:02}:{min:02}{z}"))
        }
        Expr::PartOfDay { day: on, part } => {
            let (date_part, a) = day_part(Some(on), ctx);
            anchor = a;
            Some(format!("{date_part}T{part}"))
        }
    };
    Resolved {
        kind,
        value,
        anchor,
        day,
    }
}

/// The date part of a clock time or part of day: the day it names, else
/// the last mentioned day, else the DCT, else unknown.
fn day_part(on: Option<&Expr>, ctx: &Ctx) -> (String, Option<Date>) {
    if let Some(e) = on {
        let r = resolve(e, ctx);
        if let Some(v) = r.value {
            return (v, r.anchor);
        }
        return ("XXXX-XX-XX".to_string(), None);
    }
    match ctx.reference.or_else(|| ctx.dct_day()) {
        Some(d) => (d.iso(), Some(day_to_date(d))),
        None => ("XXXX-XX-XX".to_string(), None),
    }
}

/// The date of a named day in year `y`.
fn holiday_day(name: &str, y: i32) -> Option<Day> {
    let nth_weekday = |m: u8, wd: u8, n: i64| -> Option<Day> {
        let first = Day::new(y, m, 1)?;
        let offset = (i64::from(wd) - i64::from(first.weekday())).rem_euclid(7);
        Some(first.plus_days(offset + 7 * (n - 1)))
    };
    match name {
        "christmas" => Day::new(y, 12, 25),
        "christmas eve" => Day::new(y, 12, 24),
        "boxing" => Day::new(y, 12, 26),
        "new year" => Day::new(y, 1, 1),
        "new year's eve" => Day::new(y, 12, 31),
        "halloween" => Day::new(y, 10, 31),
        "valentine" => Day::new(y, 2, 14),
        "independence" => Day::new(y, 7, 4),
        "veterans" => Day::new(y, 11, 11),
        "thanksgiving" => nth_weekday(11, 4, 4),
        "labor" => nth_weekday(9, 1, 1),
        "memorial" => {
            let last = Day::new(y, 5, 31)?;
            Some(last.plus_days(-((i64::from(last.weekday()) - 1).rem_euclid(7))))
        }
        "easter" | "good friday" => {
            // Anonymous Gregorian algorithm.
            let a = y.rem_euclid(19);
            let b = y.div_euclid(100);
            let c = y.rem_euclid(100);
            let d = b / 4;
            let e = b % 4;
            let f = (b + 8) / 25;
            let g = (b - f + 1) / 3;
            let h = (19 * a + b - d - g + 15).rem_euclid(30);
            let i = c / 4;
            let k = c % 4;
            let l = (32 + 2 * e + 2 * i - h - k).rem_euclid(7);
            let m = (a + 11 * h + 22 * l) / 451;
            let month = (h + l - 7 * m + 114) / 31;
            let day = (h + l - 7 * m + 114) % 31 + 1;
            let easter = Day::new(y, u8::try_from(month).ok()?, u8::try_from(day).ok()?)?;
            Some(if name == "easter" {
                easter
            } else {
                easter.plus_days(-2)
            })
        }
        _ => None,
    }
}
