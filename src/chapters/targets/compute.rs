//! Chapter 1 computations (FORMAT.md §7.1): the annual target spread over fiscal months and
//! quarters, split by product line and region, against baseline and FY-to-date actuals.

use chrono::NaiveDate;
use rust_decimal::Decimal;

use crate::chapters::targets::plan::{Seasonality, TargetSplit, TargetsPlan};
use crate::data::intern::Names;
use crate::data::sales::{DayKey, SalesFacts};
use crate::diag::{Diagnostics, Severity};
use crate::model::allocation::allocate;
use crate::model::table::{Kind, Table, Value};
use crate::model::Periods;
use crate::money::{ratio, Money};
use crate::period::{months_before, DateRange, YearMonth};
use crate::yaml::YamlSource;

/// Chapter 1 as computed.
#[derive(Debug, Clone)]
pub struct TargetsModel {
    pub annual: Money,
    pub baseline_total: Money,
    pub growth: Option<Decimal>,
    pub ytd_target: Decimal,
    pub ytd_actual: Option<Money>,
    pub ytd_attainment: Option<Decimal>,
    pub ytd_growth: Option<Decimal>,
    /// Target of each fiscal month, whole units.
    pub monthly_targets: Vec<i64>,
    /// The twelve fiscal months and the four quarters.
    pub months: Vec<PeriodResult>,
    pub quarters: Vec<PeriodResult>,
    /// The split by product line and by region, by target descending, then name.
    pub product_lines: Vec<SplitResult>,
    pub regions: Vec<SplitResult>,
    /// The tables derived from them, for the CSV and model.json.
    pub monthly: Table,
    pub quarterly: Table,
    pub by_product_line: Table,
    pub by_region: Table,
}

/// A fiscal month or quarter against its target (`targets_monthly`, `targets_quarterly`).
#[derive(Debug, Clone)]
pub struct PeriodResult {
    /// `YYYY-MM` or `Qn`.
    pub label: String,
    pub target: Money,
    pub baseline: Money,
    /// Revenue up to as_of; `None` for a period that starts after it.
    pub actual: Option<Money>,
    /// For a period still running at as_of, the part of its target due by then: its
    /// months that have ended, plus the elapsed days of as_of's month (FORMAT.md §5's YTD
    /// rule applied to the period). `None` for a period that has ended or not started.
    pub target_to_date: Option<Decimal>,
}

impl PeriodResult {
    /// Actual over the whole period's target (the spec's `attainment`).
    pub fn attainment(&self) -> Option<Decimal> {
        self.actual.and_then(|a| a.ratio_to(self.target))
    }

    /// Whether as_of falls inside the period: its attainment is not final.
    pub fn running(&self) -> bool {
        self.target_to_date.is_some()
    }

    /// For a running period, actual over the target due by as_of.
    pub fn attainment_to_date(&self) -> Option<Decimal> {
        let due = self.target_to_date?;
        ratio(self.actual?.decimal(), due)
    }
}

/// One product line's or region's share of the target (`targets_by_…`).
#[derive(Debug, Clone)]
pub struct SplitResult {
    pub name: String,
    pub target: Money,
    pub baseline: Money,
    /// Target over baseline − 1.
    pub growth: Option<Decimal>,
    /// FY-to-date revenue; `None` before the fiscal year starts.
    pub actual: Option<Money>,
    /// Actual against the target pro-rated by the YTD share of the year.
    pub attainment: Option<Decimal>,
}

const SPLIT_COLUMNS: &[(&str, Kind)] = &[
    ("name", Kind::Text),
    ("target", Kind::Money),
    ("baseline", Kind::Money),
    ("growth", Kind::Growth),
    ("actual", Kind::Money),
    ("attainment", Kind::Ratio),
];

const PERIOD_COLUMNS: [Kind; 4] = [Kind::Money, Kind::Money, Kind::Money, Kind::Ratio];

pub fn compute(
    plan: &TargetsPlan,
    src: &YamlSource,
    sales: &SalesFacts,
    periods: &Periods,
    diags: &mut Diagnostics,
) -> TargetsModel {
    let fy = periods.fy;
    let annual_units = i64::try_from(plan.annual_target.trunc())
        .unwrap_or(0)
        .max(0);
    let annual = Money::from_units(annual_units);
    let baseline_range = DateRange::new(fy.previous().start(), fy.previous().end());
    let baseline_by_month = sales.revenue_by_month(baseline_range);
    let baseline: Vec<Money> = fy
        .previous()
        .months()
        .map(|m| baseline_by_month.get(&m).copied().unwrap_or_default())
        .collect();
    let baseline_total: Money = baseline.iter().sum();

    let monthly_targets = monthly_targets(plan, src, annual_units, &baseline, diags);

    // Actual of each fiscal month up to as_of; empty for months that start after it.
    let actuals: Vec<Option<Money>> = fy
        .months()
        .map(|m| {
            (m.first_day() <= periods.as_of).then(|| {
                let to = m.last_day().min(periods.as_of);
                sales.total(DateRange::new(m.first_day(), to))
            })
        })
        .collect();

    let fy_months: Vec<YearMonth> = fy.months().collect();
    // The target due by as_of of the months in `range`, when as_of falls inside them.
    let to_date = |range: std::ops::Range<usize>| {
        let first = fy_months[range.start].first_day();
        let last = fy_months[range.end - 1].last_day();
        (first <= periods.as_of && periods.as_of < last).then(|| {
            target_through(
                range.map(|k| (fy_months[k], monthly_targets[k])),
                periods.as_of,
            )
        })
    };
    let months: Vec<PeriodResult> = fy_months
        .iter()
        .enumerate()
        .map(|(k, month)| PeriodResult {
            label: month.to_string(),
            target: Money::from_units(monthly_targets[k]),
            baseline: baseline[k],
            actual: actuals[k],
            target_to_date: to_date(k..k + 1),
        })
        .collect();
    let quarters: Vec<PeriodResult> = (0..4)
        .map(|q| {
            let months = q * 3..q * 3 + 3;
            PeriodResult {
                target_to_date: to_date(months.clone()),
                label: format!("Q{}", q + 1),
                target: months
                    .clone()
                    .map(|k| Money::from_units(monthly_targets[k]))
                    .sum(),
                baseline: baseline[months.clone()].iter().sum(),
                actual: actuals[q * 3].map(|_| actuals[months].iter().flatten().sum()),
            }
        })
        .collect();

    let ytd_target = ytd_target(&monthly_targets, periods);
    let fy_to_date = periods.fy_to_date();
    let ytd_actual = fy_to_date.map(|range| sales.total(range));
    let ytd_attainment = ytd_actual.and_then(|a| ratio(a.decimal(), ytd_target));
    let ytd_growth = ytd_growth(sales, periods);
    let growth = annual.ratio_to(baseline_total).map(|r| r - Decimal::ONE);

    let split = SplitContext {
        sales,
        periods,
        annual_units,
        ytd_target,
    };
    let product_lines = split.rows(plan.by_product_line.as_deref(), &sales.product_lines, |k| {
        k.product_line
    });
    let regions = split.rows(plan.by_region.as_deref(), &sales.regions, |k| k.region);

    TargetsModel {
        annual,
        baseline_total,
        growth,
        ytd_target,
        ytd_actual,
        ytd_attainment,
        ytd_growth,
        monthly_targets,
        monthly: period_table("targets_monthly", "month", &months),
        quarterly: period_table("targets_quarterly", "quarter", &quarters),
        by_product_line: split_table("targets_by_product_line", &product_lines),
        by_region: split_table("targets_by_region", &regions),
        months,
        quarters,
        product_lines,
        regions,
    }
}

/// `targets_monthly` / `targets_quarterly`: `label, target, baseline, actual, attainment`.
fn period_table(name: &'static str, label: &'static str, periods: &[PeriodResult]) -> Table {
    let mut table = Table::new(
        name,
        &[
            (
                label,
                if label == "month" {
                    Kind::Month
                } else {
                    Kind::Text
                },
            ),
            ("target", PERIOD_COLUMNS[0]),
            ("baseline", PERIOD_COLUMNS[1]),
            ("actual", PERIOD_COLUMNS[2]),
            ("attainment", PERIOD_COLUMNS[3]),
            ("target_to_date", Kind::Money),
            ("attainment_to_date", Kind::Ratio),
        ],
    );
    for p in periods {
        table.push(vec![
            Some(p.label.as_str().into()),
            Some(p.target.into()),
            Some(p.baseline.into()),
            p.actual.map(Value::from),
            p.attainment().map(Value::from),
            p.target_to_date.map(Value::from),
            p.attainment_to_date().map(Value::from),
        ]);
    }
    table
}

/// `targets_by_product_line` / `targets_by_region`.
fn split_table(name: &'static str, rows: &[SplitResult]) -> Table {
    let mut table = Table::new(name, SPLIT_COLUMNS);
    for r in rows {
        table.push(vec![
            Some(r.name.as_str().into()),
            Some(r.target.into()),
            Some(r.baseline.into()),
            r.growth.map(Value::from),
            r.actual.map(Value::from),
            r.attainment.map(Value::from),
        ]);
    }
    table
}

/// The annual target spread over the twelve fiscal months by the seasonality weights.
fn monthly_targets(
    plan: &TargetsPlan,
    src: &YamlSource,
    annual_units: i64,
    baseline: &[Money],
    diags: &mut Diagnostics,
) -> Vec<i64> {
    let even = vec![Decimal::ONE; 12];
    let weights = match &plan.seasonality {
        Seasonality::Even => even.clone(),
        Seasonality::Weights(w) if w.len() == 12 => w.clone(),
        Seasonality::Weights(_) => even.clone(), // reported by validation
        Seasonality::History => {
            let history: Vec<Decimal> = baseline
                .iter()
                .map(|m| m.decimal().max(Decimal::ZERO))
                .collect();
            if history.iter().all(|w| w.is_zero()) {
                diags.push_diagnostic(src.diagnostic(
                    Severity::Warning,
                    "seasonality",
                    "seasonality `history` needs baseline-year revenue, and there is none: the target is spread evenly".into(),
                ));
                even.clone()
            } else {
                history
            }
        }
    };
    allocate(annual_units, &weights)
        .or_else(|| allocate(annual_units, &even))
        .expect("even weights are positive")
}

/// FY-to-date revenue against the same dates a year earlier, − 1 (§7.1, §7.6): the window
/// [FY start − 12 months, as_of − 12 months], as_of capped at the FY end.
pub fn ytd_growth(sales: &SalesFacts, periods: &Periods) -> Option<Decimal> {
    let range = periods.fy_to_date()?;
    let earlier = DateRange::new(months_before(range.from, 12), months_before(range.to, 12));
    let now = sales.total(range);
    now.ratio_to(sales.total(earlier)).map(|r| r - Decimal::ONE)
}

/// YTD target (FORMAT.md §5): months ended by as_of, plus the elapsed part of its month.
fn ytd_target(monthly_targets: &[i64], periods: &Periods) -> Decimal {
    let (fy, as_of) = (periods.fy, periods.as_of);
    if as_of < fy.start() {
        return Decimal::ZERO;
    }
    if as_of >= fy.end() {
        return monthly_targets.iter().map(|&t| Decimal::from(t)).sum();
    }
    target_through(fy.months().zip(monthly_targets.iter().copied()), as_of)
}

/// The target of `months` due by as_of: each month ended by then in full, the month as_of
/// falls in by its elapsed days (as_of's day over the month's days), later months not at
/// all.
fn target_through(months: impl Iterator<Item = (YearMonth, i64)>, as_of: NaiveDate) -> Decimal {
    let mut total = Decimal::ZERO;
    for (month, target) in months {
        let target = Decimal::from(target);
        if month.last_day() <= as_of {
            total += target;
        } else if month.first_day() <= as_of {
            let day = Decimal::from(chrono::Datelike::day(&as_of));
            total += target * day / Decimal::from(month.days());
        }
    }
    total
}

struct SplitContext<'a> {
    sales: &'a SalesFacts,
    periods: &'a Periods,
    annual_units: i64,
    ytd_target: Decimal,
}

impl SplitContext<'_> {
    /// The split by one dimension: the plan's list, or the baseline's names by revenue.
    fn rows(
        &self,
        list: Option<&[TargetSplit]>,
        names: &Names,
        dim: impl Fn(&DayKey) -> u32 + Copy,
    ) -> Vec<SplitResult> {
        let fy = self.periods.fy;
        let baseline_range = DateRange::new(fy.previous().start(), fy.previous().end());
        let baseline = self.sales.revenue_by(baseline_range, dim);
        let actual = self
            .periods
            .fy_to_date()
            .map(|r| self.sales.revenue_by(r, dim));
        let baseline_of = |n: &str| {
            names
                .id(n)
                .and_then(|id| baseline.get(&id))
                .copied()
                .unwrap_or_default()
        };

        let targets: Vec<(String, i64)> = match list {
            Some(list) => split_list(list, self.annual_units),
            None => {
                let positive: Vec<(&str, Money)> = names
                    .sorted()
                    .into_iter()
                    .map(|n| (n, baseline_of(n)))
                    .filter(|(_, b)| b.is_positive())
                    .collect();
                let weights: Vec<Decimal> = positive.iter().map(|(_, b)| b.decimal()).collect();
                let parts = allocate(self.annual_units, &weights).unwrap_or_default();
                positive
                    .iter()
                    .zip(parts)
                    .map(|((n, _), t)| (n.to_string(), t))
                    .collect()
            }
        };

        let mut rows: Vec<(String, i64)> = targets;
        rows.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
        let mut results = Vec::with_capacity(rows.len());
        for (line_name, target_units) in rows {
            let target = Money::from_units(target_units);
            let base = baseline_of(&line_name);
            let growth = target.ratio_to(base).map(|r| r - Decimal::ONE);
            let actual: Option<Money> =
                actual
                    .as_ref()
                    .map(|a: &crate::data::hashing::FastMap<u32, Money>| {
                        names
                            .id(&line_name)
                            .and_then(|id| a.get(&id))
                            .copied()
                            .unwrap_or_default()
                    });
            // Attainment against the target pro-rated by the YTD share of the year.
            // target × (ytd_target / annual): the ratio first, so that no product of two
            // large amounts can overflow.
            let due = ratio(self.ytd_target, Decimal::from(self.annual_units))
                .and_then(|share| target.decimal().checked_mul(share));
            let attainment = match (actual, due) {
                (Some(a), Some(due)) => ratio(a.decimal(), due),
                _ => None,
            };
            results.push(SplitResult {
                name: line_name,
                target,
                baseline: base,
                growth,
                actual,
                attainment,
            });
        }
        results
    }
}

/// Targets of a `by_…` list: absolute targets as given, or shares allocated by §6.
fn split_list(list: &[TargetSplit], annual_units: i64) -> Vec<(String, i64)> {
    if list.iter().all(|i| i.target.is_some()) {
        return list
            .iter()
            .map(|i| {
                (
                    i.name.clone(),
                    i64::try_from(i.target.unwrap_or_default().trunc()).unwrap_or(0),
                )
            })
            .collect();
    }
    let shares: Vec<Decimal> = list.iter().map(|i| i.share.unwrap_or_default()).collect();
    let parts = allocate(annual_units, &shares).unwrap_or_else(|| vec![0; list.len()]);
    list.iter().map(|i| i.name.clone()).zip(parts).collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::period::FiscalYear;

    fn date(s: &str) -> chrono::NaiveDate {
        chrono::NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    fn periods(start_month: u32, as_of: &str) -> Periods {
        Periods {
            fy: FiscalYear::new(2027, start_month),
            as_of: date(as_of),
        }
    }

    /// Targets 100, 200, …, 1200 for fiscal months 1-12 (sum 7800).
    fn targets() -> Vec<i64> {
        (1..=12).map(|k| k * 100).collect()
    }

    #[test]
    fn ytd_target_before_during_and_after_the_year() {
        // FY 2027 starting in April: 2027-04-01 .. 2028-03-31.
        // Before the start: 0.
        assert_eq!(
            ytd_target(&targets(), &periods(4, "2027-03-31")),
            Decimal::ZERO
        );
        // On the last day of the first month: the whole first month, 100.
        assert_eq!(
            ytd_target(&targets(), &periods(4, "2027-04-30")),
            Decimal::from(100)
        );
        // Mid-May: April 100 + May 200 × 15/31 = 100 + 96.774193… → 196.774193…
        let mid_may = ytd_target(&targets(), &periods(4, "2027-05-15"));
        assert_eq!(
            crate::money::round_half_away(mid_may, 6),
            Decimal::new(196_774_194, 6)
        );
        // On and after the last day: the annual target, 7800.
        assert_eq!(
            ytd_target(&targets(), &periods(4, "2028-03-31")),
            Decimal::from(7800)
        );
        assert_eq!(
            ytd_target(&targets(), &periods(4, "2029-01-01")),
            Decimal::from(7800)
        );
    }

    #[test]
    fn ytd_target_in_a_leap_february() {
        // FY 2027 starting in March ends with February 2028, fiscal month 12 (target
        // 1200), which has 29 days.
        // as_of 2028-02-28: months 1-11 = 100 + … + 1100 = 6600, plus 1200 × 28/29.
        let p = Periods {
            fy: FiscalYear::new(2027, 3),
            as_of: date("2028-02-28"),
        };
        let expected =
            Decimal::from(6600) + Decimal::from(1200) * Decimal::from(28) / Decimal::from(29);
        assert_eq!(ytd_target(&targets(), &p), expected);
        // On 2028-02-29 the year is complete.
        let p = Periods {
            fy: FiscalYear::new(2027, 3),
            as_of: date("2028-02-29"),
        };
        assert_eq!(ytd_target(&targets(), &p), Decimal::from(7800));
    }

    #[test]
    fn fy_to_date_is_empty_before_the_year_and_capped_after_it() {
        assert_eq!(periods(4, "2027-03-31").fy_to_date(), None);
        let after = periods(4, "2028-06-30").fy_to_date().unwrap();
        assert_eq!(
            (after.from, after.to),
            (date("2027-04-01"), date("2028-03-31"))
        );
    }
}
