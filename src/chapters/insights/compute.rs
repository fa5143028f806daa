//! Chapter 6 computations (FORMAT.md §7.6): the revenue forecast with its band, backtest
//! and landing; ABC and growth-share product structure; price elasticity; KPI statuses.

use std::collections::BTreeMap;

use chrono::Duration;
use rust_decimal::prelude::{FromPrimitive, ToPrimitive};
use rust_decimal::Decimal;

use crate::chapters::insights::forecast::{backtest, fit, ols};
use crate::chapters::insights::plan::{InsightsPlan, Kpi};
use crate::chapters::targets::compute::TargetsModel;
use crate::data::Data;
use crate::diag::{Diagnostics, Severity};
use crate::model::table::{Kind, Table, Value};
use crate::model::Periods;
use crate::money::{ratio, Money};
use crate::period::{previous_ttm, ttm, DateRange, YearMonth};
use crate::yaml::YamlSource;

/// Chapter 6 as computed (the data-quality table lives on the model itself).
#[derive(Debug, Clone)]
pub struct InsightsModel {
    /// Every month of the series, then the forecast months; `forecast` is its table.
    pub forecast_months: Vec<ForecastMonth>,
    pub forecast: Table,
    /// The products by trailing-twelve-month revenue, largest first; `abc` is its table.
    pub abc_products: Vec<AbcProduct>,
    pub abc: Table,
    /// The product lines by trailing-twelve-month revenue, largest first; `growth_share`
    /// is its table.
    pub growth_share_lines: Vec<GrowthShareLine>,
    pub growth_share: Table,
    /// Each product's price elasticity, by product name; `elasticity` is its table.
    pub elasticities: Vec<PriceElasticity>,
    pub elasticity: Table,
    /// Each KPI's value and status, in plan order; `kpis` is its table.
    pub kpi_results: Vec<KpiResult>,
    pub kpis: Table,
    pub alpha: Option<f64>,
    pub beta: Option<f64>,
    pub gamma: Option<f64>,
    pub landing: Option<Decimal>,
    pub landing_vs_target: Option<Decimal>,
    pub mape: Option<f64>,
    pub seasonal_naive_mape: Option<f64>,
    /// The whole company's revenue growth, trailing twelve months over the twelve before
    /// (the growth-share chart's reference line).
    pub company_growth: Option<Decimal>,
    /// KPIs at warn or alert, for `check --fail-on` and the front page.
    pub alerts: Vec<KpiAlert>,
}

/// A KPI that reached a threshold.
#[derive(Debug, Clone)]
pub struct KpiAlert {
    pub id: String,
    /// The plan's `label:` for the KPI, if any.
    pub label: Option<String>,
    pub metric: String,
    pub status: KpiStatus,
    pub value: Decimal,
    pub threshold: Decimal,
    pub owner: Option<String>,
    pub due: Option<chrono::NaiveDate>,
}

/// Where a KPI stands against its thresholds, from no data to alert (ordered by severity).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum KpiStatus {
    NoData,
    Ok,
    Warn,
    Alert,
}

impl KpiStatus {
    pub fn key(self) -> &'static str {
        match self {
            KpiStatus::NoData => "no_data",
            KpiStatus::Ok => "ok",
            KpiStatus::Warn => "warn",
            KpiStatus::Alert => "alert",
        }
    }
}

/// One KPI as computed (a row of `insights_kpis`).
#[derive(Debug, Clone)]
pub struct KpiResult {
    pub id: String,
    pub metric: String,
    /// The metric's value; `None` when it cannot be computed (status `no_data`).
    pub value: Option<Decimal>,
    pub status: KpiStatus,
    pub owner: Option<String>,
    /// as_of plus the KPI's response time, for a KPI at warn or alert that has one.
    pub due: Option<chrono::NaiveDate>,
}

/// One month of the revenue series or of the forecast after it (a row of
/// `insights_forecast`).
#[derive(Debug, Clone)]
pub struct ForecastMonth {
    pub month: YearMonth,
    /// The month's revenue; `None` for a forecast month.
    pub actual: Option<Money>,
    /// The one-step fitted value for a month of the series (where the method has one), the
    /// forecast (floored at 0) for a month after it.
    pub forecast: Option<Decimal>,
    /// The lower end of a forecast month's prediction band (floored at 0); `None` for the
    /// series' months and when the fit has no one-step error.
    pub lower: Option<Decimal>,
    /// The upper end of the band, like `lower`.
    pub upper: Option<Decimal>,
}

/// A product's ABC class (`insights_abc`'s `class`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AbcClass {
    A,
    B,
    C,
}

impl AbcClass {
    /// The class as `insights_abc` writes it.
    pub fn key(self) -> &'static str {
        match self {
            AbcClass::A => "A",
            AbcClass::B => "B",
            AbcClass::C => "C",
        }
    }
}

/// One product's trailing-twelve-month revenue and ABC class (a row of `insights_abc`).
#[derive(Debug, Clone)]
pub struct AbcProduct {
    pub product: String,
    pub revenue: Money,
    /// Revenue over all products' revenue; `None` when that is zero.
    pub share: Option<Decimal>,
    /// The share of this product and every larger one.
    pub cumulative_share: Option<Decimal>,
    /// Decided on the cumulative share *before* this product.
    pub class: AbcClass,
}

/// A product line's growth-share quadrant (`insights_growth_share`'s `quadrant`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Quadrant {
    /// A share of at least 1 / lines, growing at least as fast as the company (a line
    /// new in the trailing twelve months counts as growing).
    Star,
    /// A high share, growing slower than the company.
    CashCow,
    /// A low share, growing at least as fast as the company.
    QuestionMark,
    /// A low share, growing slower than the company.
    Dog,
}

impl Quadrant {
    /// The quadrant as `insights_growth_share` writes it.
    pub fn key(self) -> &'static str {
        match self {
            Quadrant::Star => "star",
            Quadrant::CashCow => "cash_cow",
            Quadrant::QuestionMark => "question_mark",
            Quadrant::Dog => "dog",
        }
    }
}

/// One product line's share and growth over the trailing twelve months (a row of
/// `insights_growth_share`).
#[derive(Debug, Clone)]
pub struct GrowthShareLine {
    pub product_line: String,
    /// Revenue over the trailing twelve months.
    pub revenue: Money,
    /// Revenue over the twelve months before them.
    pub previous: Money,
    /// Revenue over all lines' revenue; `None` when that is zero.
    pub share: Option<Decimal>,
    /// `None` when the company had no revenue in the twelve months before.
    pub quadrant: Option<Quadrant>,
}

impl GrowthShareLine {
    /// Revenue over the previous twelve months' revenue, minus 1; `None` without any.
    pub fn growth(&self) -> Option<Decimal> {
        self.revenue
            .ratio_to(self.previous)
            .map(|r| r - Decimal::ONE)
    }
}

/// What a product's elasticity says about price (`insights_elasticity`'s `reading`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PriceReading {
    /// Elasticity below −1: volume reacts more than price.
    Elastic,
    /// Elasticity in [−1, 0): volume reacts less than price.
    Inelastic,
    /// Elasticity 0 or above: no measurable price effect.
    NoEffect,
}

impl PriceReading {
    /// The reading as `insights_elasticity` writes it.
    pub fn key(self) -> &'static str {
        match self {
            PriceReading::Elastic => "elastic",
            PriceReading::Inelastic => "inelastic",
            PriceReading::NoEffect => "no_effect",
        }
    }
}

/// One product's price elasticity: the slope of ln quantity on ln price over its months
/// (a row of `insights_elasticity`).
#[derive(Debug, Clone)]
pub struct PriceElasticity {
    pub product: String,
    /// Months with positive quantity and amount.
    pub points: u64,
    /// `None` below the minimum number of points, without varying prices, or when the
    /// regression has no solution.
    pub elasticity: Option<Decimal>,
    /// The slope's standard error (needs 3 points).
    pub std_error: Option<Decimal>,
    /// The regression's r²; `None` when ln quantity does not vary.
    pub r2: Option<Decimal>,
    /// `None` exactly when `elasticity` is.
    pub reading: Option<PriceReading>,
    /// The slope's 95 % confidence interval: slope ± t(0.975, points − 2) × std_error;
    /// `None` without a standard error.
    pub interval: Option<(Decimal, Decimal)>,
    /// Whether the interval excludes 0: the months show a price effect at all. Decided on
    /// the unrounded bounds; `None` without an interval.
    pub significant: Option<bool>,
}

/// Figures other chapters computed that KPIs read.
pub struct KpiInputs<'a> {
    pub targets: Option<&'a TargetsModel>,
    pub nps: Option<Decimal>,
    /// The `all` row of customers_complaints: first-response and resolution SLA ratios.
    pub complaint_slas: (Option<Decimal>, Option<Decimal>),
}

impl InsightsModel {
    /// The tables of §7.6 after insights_quality.
    pub fn tables(&self) -> Vec<&Table> {
        vec![
            &self.kpis,
            &self.forecast,
            &self.abc,
            &self.growth_share,
            &self.elasticity,
        ]
    }
}

/// The forecast part of chapter 6. It needs nothing from the other chapters, so it is
/// computed alongside them and handed to [`compute`].
pub struct Forecast(ForecastResult);

pub fn forecast(
    plan: &InsightsPlan,
    src: &YamlSource,
    data: &Data,
    periods: &Periods,
    diags: &mut Diagnostics,
) -> Forecast {
    let settings = plan.forecast.as_ref();
    let horizon = settings.map_or(12, |f| f.horizon) as usize;
    let holdout = settings.map_or(6, |f| f.holdout) as usize;
    Forecast(forecast_months(data, periods, horizon, holdout, src, diags))
}

pub fn compute(
    plan: &InsightsPlan,
    data: &Data,
    periods: &Periods,
    annual_target: Option<Decimal>,
    inputs: &KpiInputs,
    Forecast(forecast): Forecast,
) -> InsightsModel {
    let sales = &data.sales.facts;
    let (kpi_results, alerts) = kpi_results(plan, data, periods, inputs);
    let abc_products = abc_products(plan, sales);
    let growth_share_lines = growth_share_lines(data, periods);
    let elasticities = elasticities(plan, sales);
    InsightsModel {
        forecast: forecast_table(&forecast.months),
        forecast_months: forecast.months,
        abc: abc_table(&abc_products),
        abc_products,
        growth_share: growth_share_table(&growth_share_lines),
        growth_share_lines,
        elasticity: elasticity_table(&elasticities),
        elasticities,
        kpis: kpis_table(&kpi_results),
        kpi_results,
        alpha: forecast.params.map(|p| p.0),
        beta: forecast.params.map(|p| p.1),
        gamma: forecast.params.map(|p| p.2),
        landing: forecast.landing,
        landing_vs_target: forecast
            .landing
            .zip(annual_target)
            .and_then(|(l, a)| ratio(l, a)),
        mape: forecast.mape,
        seasonal_naive_mape: forecast.naive_mape,
        company_growth: {
            let now = sales.total(crate::period::ttm(periods.as_of));
            let before = sales.total(crate::period::previous_ttm(periods.as_of));
            now.ratio_to(before).map(|r| r - Decimal::ONE)
        },
        alerts,
    }
}

struct ForecastResult {
    months: Vec<ForecastMonth>,
    params: Option<(f64, f64, f64)>,
    landing: Option<Decimal>,
    mape: Option<f64>,
    naive_mape: Option<f64>,
}

fn decimal(v: f64) -> Decimal {
    Decimal::from_f64(v).unwrap_or_default()
}

/// `insights_forecast` of `months`, for the CSV, model.json and the page (which shows
/// the fiscal year and what follows).
pub fn forecast_table(months: &[ForecastMonth]) -> Table {
    let mut table = Table::new(
        "insights_forecast",
        &[
            ("month", Kind::Month),
            ("actual", Kind::Money),
            ("forecast", Kind::Money),
            ("lower", Kind::Money),
            ("upper", Kind::Money),
        ],
    );
    for m in months {
        table.push(vec![
            Some(m.month.to_string().into()),
            m.actual.map(Value::from),
            m.forecast.map(Value::from),
            m.lower.map(Value::from),
            m.upper.map(Value::from),
        ]);
    }
    table
}

fn forecast_months(
    data: &Data,
    periods: &Periods,
    horizon: usize,
    holdout: usize,
    src: &YamlSource,
    diags: &mut Diagnostics,
) -> ForecastResult {
    let sales = &data.sales.facts;
    let mut rows: Vec<ForecastMonth> = Vec::new();
    // The series: every calendar month from the earliest valid sale to the last month
    // complete on or before as_of; months without sales are 0.
    let as_of_month = YearMonth::of(periods.as_of);
    let last_complete = if as_of_month.last_day() == periods.as_of {
        as_of_month
    } else {
        as_of_month.plus(-1)
    };
    let months: Vec<YearMonth> = match sales.first_date.map(YearMonth::of) {
        Some(first) if first <= last_complete => (0..=first.months_until(last_complete))
            .map(|k| first.plus(k))
            .collect(),
        _ => Vec::new(),
    };
    let by_month = match (months.first(), months.last()) {
        (Some(a), Some(b)) => sales.revenue_by_month(DateRange::new(a.first_day(), b.last_day())),
        _ => Default::default(),
    };
    let actual: Vec<Money> = months
        .iter()
        .map(|m| by_month.get(m).copied().unwrap_or_default())
        .collect();
    let y: Vec<f64> = actual
        .iter()
        .map(|a| a.decimal().to_f64().unwrap_or(0.0))
        .collect();
    let fitted = fit(&y);
    if fitted.is_none() {
        diags.push_diagnostic(src.diagnostic(
            Severity::Warning,
            "forecast",
            format!(
                "only {} complete month(s) of sales: no forecast (3 are needed)",
                y.len()
            ),
        ));
    }
    for (i, month) in months.iter().enumerate() {
        let one_step = fitted.as_ref().and_then(|f| f.fitted[i]);
        rows.push(ForecastMonth {
            month: *month,
            actual: Some(actual[i]),
            forecast: one_step.map(decimal),
            lower: None,
            upper: None,
        });
    }
    let mut future: BTreeMap<YearMonth, Decimal> = BTreeMap::new();
    let mut floored = false;
    if let (Some(f), Some(last)) = (&fitted, months.last()) {
        let to_fy_end = last.months_until(periods.fy.month(12)).max(0) as usize;
        for h in 1..=horizon.max(to_fy_end) {
            let point = f.forecast(h);
            let band = f.rmse.map(|r| 1.96 * r * (h as f64).sqrt());
            let floor = |v: f64, floored: &mut bool| {
                if v < 0.0 {
                    *floored = true;
                    0.0
                } else {
                    v
                }
            };
            let value = floor(point, &mut floored);
            let lower = band.map(|b| floor(point - b, &mut floored));
            let upper = band.map(|b| floor(point + b, &mut floored));
            let month = last.plus(h as i32);
            future.insert(month, decimal(value));
            rows.push(ForecastMonth {
                month,
                actual: None,
                forecast: Some(decimal(value)),
                lower: lower.map(decimal),
                upper: upper.map(decimal),
            });
        }
    }
    if floored {
        diags.push_diagnostic(src.diagnostic(
            Severity::Warning,
            "forecast",
            "the forecast goes below 0 in some months; those values are shown as 0".into(),
        ));
    }
    // Landing: actuals of the complete FY months, forecasts for the rest.
    let landing = fitted.as_ref().map(|_| {
        periods
            .fy
            .months()
            .map(|m| {
                if m.last_day() <= periods.as_of {
                    by_month
                        .get(&m)
                        .copied()
                        .unwrap_or_else(|| sales.total(DateRange::new(m.first_day(), m.last_day())))
                        .decimal()
                } else {
                    future.get(&m).copied().unwrap_or_default()
                }
            })
            .sum::<Decimal>()
    });
    let (mape, naive_mape) = backtest(&y, holdout);
    ForecastResult {
        months: rows,
        params: fitted.as_ref().and_then(|f| f.params),
        landing,
        mape,
        naive_mape,
    }
}

/// Each product's ABC class by its cumulative share of trailing-twelve-month revenue.
fn abc_products(plan: &InsightsPlan, sales: &crate::data::sales::SalesFacts) -> Vec<AbcProduct> {
    let (a, b) = plan
        .abc
        .as_ref()
        .map_or((Decimal::new(8, 1), Decimal::new(95, 2)), |s| (s.a, s.b));
    let mut products: Vec<(&str, Money)> = sales
        .ttm
        .products
        .iter()
        .map(|(id, m)| (sales.products.name(*id), *m))
        .collect();
    products.sort_by(|x, y| y.1.cmp(&x.1).then_with(|| x.0.cmp(y.0)));
    let total: Money = products.iter().map(|p| p.1).sum();
    let mut rows = Vec::with_capacity(products.len());
    let mut before = Money::ZERO;
    for (name, revenue) in products {
        // The class depends on the cumulative share *before* this product, decided exactly:
        // before < a × total.
        let class = if before.decimal() < a * total.decimal() {
            AbcClass::A
        } else if before.decimal() < b * total.decimal() {
            AbcClass::B
        } else {
            AbcClass::C
        };
        let cumulative = before + revenue;
        rows.push(AbcProduct {
            product: name.to_string(),
            revenue,
            share: revenue.ratio_to(total),
            cumulative_share: cumulative.ratio_to(total),
            class,
        });
        before = cumulative;
    }
    rows
}

/// `insights_abc`, for the CSV, model.json and the page.
fn abc_table(products: &[AbcProduct]) -> Table {
    let mut table = Table::new(
        "insights_abc",
        &[
            ("product", Kind::Text),
            ("revenue", Kind::Money),
            ("share", Kind::Ratio),
            ("cumulative_share", Kind::Ratio),
            ("class", Kind::Text),
        ],
    );
    for p in products {
        table.push(vec![
            Some(p.product.as_str().into()),
            Some(p.revenue.into()),
            p.share.map(Value::from),
            p.cumulative_share.map(Value::from),
            Some(p.class.key().into()),
        ]);
    }
    table
}

/// Each product line's share and growth, and its quadrant against the company's growth.
fn growth_share_lines(data: &Data, periods: &Periods) -> Vec<GrowthShareLine> {
    let sales = &data.sales.facts;
    let now = sales.revenue_by(ttm(periods.as_of), |k| k.product_line);
    let before = sales.revenue_by(previous_ttm(periods.as_of), |k| k.product_line);
    let total: Money = now.values().sum();
    let total_before: Money = before.values().sum();
    let lines = Decimal::from(now.len());
    let company_growth = total.ratio_to(total_before);
    let mut rows: Vec<(&str, Money, Money)> = now
        .iter()
        .map(|(id, m)| {
            (
                sales.product_lines.name(*id),
                *m,
                before.get(id).copied().unwrap_or_default(),
            )
        })
        .collect();
    rows.sort_by(|x, y| y.1.cmp(&x.1).then_with(|| x.0.cmp(y.0)));
    let mut result = Vec::with_capacity(rows.len());
    for (name, revenue, previous) in rows {
        let growth = revenue.ratio_to(previous).map(|r| r - Decimal::ONE);
        // share ≥ 1/lines ⇔ revenue × lines ≥ total; growth ≥ company growth ⇔
        // revenue × total_before ≥ total × previous (both previous sums positive).
        let high_share = revenue.decimal() * lines >= total.decimal();
        let quadrant = company_growth.map(|cg| {
            let high_growth = if previous.is_zero() {
                true
            } else if previous.is_positive() && total_before.is_positive() {
                revenue.decimal() * total_before.decimal() >= total.decimal() * previous.decimal()
            } else {
                growth.is_some_and(|g| g >= cg - Decimal::ONE)
            };
            match (high_share, high_growth) {
                (true, true) => Quadrant::Star,
                (true, false) => Quadrant::CashCow,
                (false, true) => Quadrant::QuestionMark,
                (false, false) => Quadrant::Dog,
            }
        });
        result.push(GrowthShareLine {
            product_line: name.to_string(),
            revenue,
            previous,
            share: revenue.ratio_to(total),
            quadrant,
        });
    }
    result
}

/// `insights_growth_share`, for the CSV, model.json and the page.
fn growth_share_table(lines: &[GrowthShareLine]) -> Table {
    let mut table = Table::new(
        "insights_growth_share",
        &[
            ("product_line", Kind::Text),
            ("revenue", Kind::Money),
            ("share", Kind::Ratio),
            ("growth", Kind::Growth),
            ("quadrant", Kind::Text),
        ],
    );
    for l in lines {
        table.push(vec![
            Some(l.product_line.as_str().into()),
            Some(l.revenue.into()),
            l.share.map(Value::from),
            l.growth().map(Value::from),
            l.quadrant.map(|q| q.key().into()),
        ]);
    }
    table
}

/// Each product's price elasticity over its months with sales, by product name.
fn elasticities(
    plan: &InsightsPlan,
    sales: &crate::data::sales::SalesFacts,
) -> Vec<PriceElasticity> {
    let min_points = plan.elasticity.as_ref().map_or(6, |e| e.min_points) as usize;
    let mut by_product: BTreeMap<&str, Vec<(Money, Decimal)>> = BTreeMap::new();
    // Points in month order.
    for (_, product, sums) in sales.monthly.product_months() {
        let points = by_product.entry(sales.products.name(product)).or_default();
        if sums.quantity.is_positive() && sums.amount.is_positive() {
            points.push((sums.amount, sums.quantity.decimal()));
        }
    }
    let mut rows = Vec::with_capacity(by_product.len());
    for (product, mut points) in by_product {
        points.sort();
        // Varying price, decided exactly: some a_i·q_j ≠ a_j·q_i.
        let varying = points
            .windows(2)
            .any(|w| w[0].0.decimal() * w[1].1 != w[1].0.decimal() * w[0].1);
        // A constant quantity is no price effect at all, decided exactly rather than left
        // to the rounding noise of a regression on identical values.
        let constant_quantity = points.windows(2).all(|w| w[0].1 == w[1].1);
        let estimate = (points.len() >= min_points && varying)
            .then(|| {
                if constant_quantity {
                    return Some(crate::chapters::insights::forecast::Ols {
                        slope: 0.0,
                        intercept: 0.0,
                        std_error: (points.len() >= 3).then_some(0.0),
                        r2: None,
                    });
                }
                let ln_p: Vec<f64> = points
                    .iter()
                    .map(|(a, q)| (a.decimal() / q).to_f64().unwrap_or(1.0).ln())
                    .collect();
                let ln_q: Vec<f64> = points
                    .iter()
                    .map(|(_, q)| q.to_f64().unwrap_or(1.0).ln())
                    .collect();
                ols(&ln_p, &ln_q)
            })
            .flatten();
        let reading = estimate.map(|o| {
            if (o.slope + 1.0).abs() <= 1e-9 {
                PriceReading::Inelastic
            } else if o.slope < -1.0 {
                PriceReading::Elastic
            } else if o.slope < 0.0 {
                PriceReading::Inelastic
            } else {
                PriceReading::NoEffect
            }
        });
        // df = points − 2 ≥ 1 wherever there is a standard error (it needs 3 points).
        let interval = estimate.and_then(|o| {
            let half = t_975(points.len() as f64 - 2.0)? * o.std_error?;
            Some((o.slope - half, o.slope + half))
        });
        rows.push(PriceElasticity {
            product: product.to_string(),
            points: points.len() as u64,
            elasticity: estimate.map(|o| decimal(o.slope)),
            std_error: estimate.and_then(|o| o.std_error).map(decimal),
            r2: estimate.and_then(|o| o.r2).map(decimal),
            reading,
            interval: interval.map(|(low, high)| (decimal(low), decimal(high))),
            significant: interval.map(|(low, high)| low > 0.0 || high < 0.0),
        });
    }
    rows
}

/// The 0.975 quantile of Student's t with `df` degrees of freedom (the half-width of a
/// two-sided 95 % interval in standard errors); `None` for df < 1.
fn t_975(df: f64) -> Option<f64> {
    use statrs::distribution::{ContinuousCDF, StudentsT};
    (df >= 1.0)
        .then(|| StudentsT::new(0.0, 1.0, df).ok())
        .flatten()
        .map(|t| t.inverse_cdf(0.975))
}

/// `insights_elasticity`, for the CSV, model.json and the page: the spec's columns, then
/// `ci_low`, `ci_high` and `significant` (FORMAT.md §10: added columns).
fn elasticity_table(rows: &[PriceElasticity]) -> Table {
    let mut table = Table::new(
        "insights_elasticity",
        &[
            ("product", Kind::Text),
            ("points", Kind::Integer),
            ("elasticity", Kind::Coefficient),
            ("std_error", Kind::Coefficient),
            ("r2", Kind::Coefficient),
            ("reading", Kind::Text),
            ("ci_low", Kind::Coefficient),
            ("ci_high", Kind::Coefficient),
            ("significant", Kind::Bool),
        ],
    );
    for e in rows {
        table.push(vec![
            Some(e.product.as_str().into()),
            Some(e.points.into()),
            e.elasticity.map(Value::from),
            e.std_error.map(Value::from),
            e.r2.map(Value::from),
            e.reading.map(|r| r.key().into()),
            e.interval.map(|(low, _)| Value::from(low)),
            e.interval.map(|(_, high)| Value::from(high)),
            e.significant.map(Value::Bool),
        ]);
    }
    table
}

/// The value of a KPI metric, or `None` when it cannot be computed (`no_data`).
fn metric_value(
    metric: &str,
    data: &Data,
    periods: &Periods,
    inputs: &KpiInputs,
) -> Option<Decimal> {
    let sales = &data.sales.facts;
    let ttm_range = ttm(periods.as_of);
    match metric {
        "revenue_attainment_ytd" => inputs.targets?.ytd_attainment,
        "revenue_growth_ytd" => crate::chapters::targets::compute::ytd_growth(sales, periods),
        "last_month_attainment" => {
            let targets = inputs.targets?;
            let k = (0..12)
                .rev()
                .find(|&k| periods.fy.month(k as u32 + 1).last_day() <= periods.as_of)?;
            let month = periods.fy.month(k as u32 + 1);
            let actual = sales.total(DateRange::new(month.first_day(), month.last_day()));
            actual.ratio_to(Money::from_units(targets.monthly_targets[k]))
        }
        "nps" => inputs.nps,
        "csat" => {
            let surveys = &data.surveys.as_ref()?.facts;
            let (sum, n) = surveys
                .dimensions
                .iter()
                .fold((0i64, 0u64), |(s, n), t| (s + t.sum, n + t.responses));
            ratio(Decimal::from(sum), Decimal::from(n))
        }
        "complaint_first_response_sla" => inputs.complaint_slas.0,
        "complaint_resolution_sla" => inputs.complaint_slas.1,
        "conversion_rate" => {
            let traffic = &data.traffic.as_ref()?.facts;
            let visitors: i64 = traffic
                .visitors
                .iter()
                .filter(|((d, _), _)| ttm_range.contains(*d))
                .map(|(_, v)| *v)
                .sum();
            ratio(
                Decimal::from(sales.ttm.order_count()),
                Decimal::from(visitors),
            )
        }
        "repeat_customer_rate" => {
            let customers = &sales.customers;
            let repeat = (0..customers.len() as u32)
                .filter(|&i| customers.order_count(i) >= 2)
                .count();
            ratio(Decimal::from(repeat), Decimal::from(sales.customers.len()))
        }
        "avg_order_value" => ratio(
            sales.total(ttm_range).decimal(),
            Decimal::from(sales.ttm.order_count()),
        ),
        "gross_margin" => {
            (sales.ttm.amount_with_cost - sales.ttm.cost).ratio_to(sales.ttm.amount_with_cost)
        }
        other => {
            let channel = other.strip_prefix("channel_share:")?.trim();
            let range = periods.fy_to_date()?;
            let id = sales.channels.id(channel);
            let part = sales.revenue(range, |k| Some(k.channel) == id);
            part.ratio_to(sales.total(range))
        }
    }
}

/// The status of a value against a KPI's thresholds (all strict).
fn status_of(kpi: &Kpi, value: Option<Decimal>) -> (KpiStatus, Option<Decimal>) {
    let Some(v) = value else {
        return (KpiStatus::NoData, None);
    };
    let below = |t: Option<Decimal>| t.filter(|t| v < *t);
    let above = |t: Option<Decimal>| t.filter(|t| v > *t);
    if let Some(t) = below(kpi.alert_below).or(above(kpi.alert_above)) {
        return (KpiStatus::Alert, Some(t));
    }
    if let Some(t) = below(kpi.warn_below).or(above(kpi.warn_above)) {
        return (KpiStatus::Warn, Some(t));
    }
    (KpiStatus::Ok, None)
}

/// Each KPI's value and status in plan order, and those at warn or alert.
fn kpi_results(
    plan: &InsightsPlan,
    data: &Data,
    periods: &Periods,
    inputs: &KpiInputs,
) -> (Vec<KpiResult>, Vec<KpiAlert>) {
    let mut results = Vec::with_capacity(plan.kpis.len());
    let mut alerts = Vec::new();
    for kpi in &plan.kpis {
        let value = metric_value(&kpi.metric, data, periods, inputs);
        let (status, threshold) = status_of(kpi, value);
        let due = match status {
            KpiStatus::Warn | KpiStatus::Alert => kpi
                .respond_within_days()
                .ok()
                .flatten()
                .map(|days| periods.as_of + Duration::days(days)),
            _ => None,
        };
        if let (Some(v), Some(t)) = (value, threshold) {
            alerts.push(KpiAlert {
                id: kpi.id.clone(),
                label: kpi.label.clone(),
                metric: kpi.metric.clone(),
                status,
                value: v,
                threshold: t,
                owner: kpi.owner.clone(),
                due,
            });
        }
        results.push(KpiResult {
            id: kpi.id.clone(),
            metric: kpi.metric.clone(),
            value,
            status,
            owner: kpi.owner.clone(),
            due,
        });
    }
    (results, alerts)
}

/// `insights_kpis`, for the CSV and model.json.
fn kpis_table(results: &[KpiResult]) -> Table {
    let mut table = Table::new(
        "insights_kpis",
        &[
            ("kpi", Kind::Text),
            ("metric", Kind::Text),
            ("value", Kind::Decimal4),
            ("status", Kind::Text),
            ("owner", Kind::Text),
            ("due", Kind::Date),
        ],
    );
    for k in results {
        table.push(vec![
            Some(k.id.as_str().into()),
            Some(k.metric.as_str().into()),
            k.value.map(Value::from),
            Some(k.status.key().into()),
            k.owner.as_deref().map(Value::from),
            k.due.map(Value::from),
        ]);
    }
    table
}
