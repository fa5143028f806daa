//! The fiscal calendar of FORMAT.md §5: fiscal years that may start in any month, fiscal
//! months and quarters, trailing-twelve-month windows and the YTD target factor.

use std::fmt;

use chrono::{Datelike, Months, NaiveDate};
use serde::Serialize;

/// A calendar month, printed `YYYY-MM`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct YearMonth {
    pub year: i32,
    pub month: u32,
}

impl YearMonth {
    pub fn of(date: NaiveDate) -> Self {
        YearMonth {
            year: date.year(),
            month: date.month(),
        }
    }

    pub fn first_day(self) -> NaiveDate {
        NaiveDate::from_ymd_opt(self.year, self.month, 1).expect("month is 1-12")
    }

    pub fn last_day(self) -> NaiveDate {
        self.next()
            .first_day()
            .pred_opt()
            .expect("not the first day of time")
    }

    pub fn days(self) -> u32 {
        self.last_day().day()
    }

    pub fn next(self) -> Self {
        self.plus(1)
    }

    /// The month `n` months later (or earlier, for negative `n`).
    pub fn plus(self, n: i32) -> Self {
        let index = self.year * 12 + (self.month as i32 - 1) + n;
        YearMonth {
            year: index.div_euclid(12),
            month: index.rem_euclid(12) as u32 + 1,
        }
    }

    /// The month written `YYYY-MM`, as tables write it.
    pub fn parse(text: &str) -> Option<Self> {
        let (year, month) = text.split_once('-')?;
        let (year, month) = (year.parse().ok()?, month.parse().ok()?);
        (year >= 1 && (1..=12).contains(&month) && text.len() == 7)
            .then_some(YearMonth { year, month })
    }

    /// Months from `self` to `other` (positive when `other` is later).
    pub fn months_until(self, other: YearMonth) -> i32 {
        (other.year * 12 + other.month as i32) - (self.year * 12 + self.month as i32)
    }
}

impl fmt::Display for YearMonth {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:04}-{:02}", self.year, self.month)
    }
}

impl Serialize for YearMonth {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

/// Fiscal year N: twelve months from month `start_month` of calendar year N.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct FiscalYear {
    pub year: i32,
    pub start_month: u32,
}

impl FiscalYear {
    pub fn new(year: i32, start_month: u32) -> Self {
        debug_assert!((1..=12).contains(&start_month));
        FiscalYear { year, start_month }
    }

    /// The year before (the baseline year of FORMAT.md §5).
    pub fn previous(self) -> Self {
        FiscalYear::new(self.year - 1, self.start_month)
    }

    pub fn first_month(self) -> YearMonth {
        YearMonth {
            year: self.year,
            month: self.start_month,
        }
    }

    pub fn start(self) -> NaiveDate {
        self.first_month().first_day()
    }

    pub fn end(self) -> NaiveDate {
        self.month(12).last_day()
    }

    /// Fiscal month `k` (1-12).
    pub fn month(self, k: u32) -> YearMonth {
        self.first_month().plus(k as i32 - 1)
    }

    /// The twelve fiscal months in order.
    pub fn months(self) -> impl Iterator<Item = YearMonth> {
        (1..=12).map(move |k| self.month(k))
    }

    /// The fiscal month (1-12) a date falls in, if it is in this fiscal year.
    pub fn fiscal_month_of(self, date: NaiveDate) -> Option<u32> {
        let k = self.first_month().months_until(YearMonth::of(date)) + 1;
        (1..=12).contains(&k).then_some(k as u32)
    }

    pub fn contains(self, date: NaiveDate) -> bool {
        self.fiscal_month_of(date).is_some()
    }
}

/// `date` minus `n` calendar months, the day clamped to the month's end (§9).
pub fn months_before(date: NaiveDate, n: u32) -> NaiveDate {
    date.checked_sub_months(Months::new(n))
        .expect("dates in plans are far from the calendar's limits")
}

/// A closed range of days `[from, to]`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct DateRange {
    pub from: NaiveDate,
    pub to: NaiveDate,
}

impl DateRange {
    pub fn new(from: NaiveDate, to: NaiveDate) -> Self {
        DateRange { from, to }
    }

    pub fn contains(self, date: NaiveDate) -> bool {
        self.from <= date && date <= self.to
    }

    pub fn is_empty(self) -> bool {
        self.from > self.to
    }

    /// The part of `self` that is also in `other`.
    pub fn intersect(self, other: DateRange) -> DateRange {
        DateRange::new(self.from.max(other.from), self.to.min(other.to))
    }
}

/// The trailing twelve months ending at `as_of`: `as_of − 12 months < d ≤ as_of`.
pub fn ttm(as_of: NaiveDate) -> DateRange {
    let start = months_before(as_of, 12)
        .succ_opt()
        .expect("dates in plans are far from the calendar's limits");
    DateRange::new(start, as_of)
}

/// The twelve months before [`ttm`].
pub fn previous_ttm(as_of: NaiveDate) -> DateRange {
    ttm(months_before(as_of, 12))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn date(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    #[test]
    fn april_fiscal_year() {
        let fy = FiscalYear::new(2027, 4);
        assert_eq!(fy.start(), date("2027-04-01"));
        assert_eq!(fy.end(), date("2028-03-31"));
        assert_eq!(fy.month(10).to_string(), "2028-01");
        assert_eq!(fy.fiscal_month_of(date("2028-03-31")), Some(12));
        assert_eq!(fy.fiscal_month_of(date("2027-03-31")), None);
        assert_eq!(fy.previous().start(), date("2026-04-01"));
    }

    #[test]
    fn minus_twelve_months_clamps_to_month_end() {
        // 2028-02-29 − 12 months = 2027-02-28 (no 29th): TTM starts the day after.
        assert_eq!(months_before(date("2028-02-29"), 12), date("2027-02-28"));
        assert_eq!(ttm(date("2028-02-29")).from, date("2027-03-01"));
        assert_eq!(previous_ttm(date("2027-06-30")).from, date("2025-07-01"));
        assert_eq!(previous_ttm(date("2027-06-30")).to, date("2026-06-30"));
    }

    #[test]
    fn month_arithmetic_crosses_years() {
        let m = YearMonth {
            year: 2027,
            month: 11,
        };
        assert_eq!(m.plus(3).to_string(), "2028-02");
        assert_eq!(m.plus(-11).to_string(), "2026-12");
        assert_eq!(m.plus(3).days(), 29);
        assert_eq!(m.months_until(m.plus(14)), 14);
    }
}
