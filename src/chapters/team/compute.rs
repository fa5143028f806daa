//! Chapter 2 computations (FORMAT.md §7.2): the commission engine over the review period,
//! quota coverage, and the staffing plan's headcount cost.

use std::cmp::Ordering;
use std::collections::BTreeMap;

use rust_decimal::Decimal;

use crate::chapters::team::plan::{
    Commission, CommissionBasis, CommissionMethod, OrgNode, Quarter, Staffing, TeamPlan,
};
use crate::data::sales::SalesFacts;
use crate::diag::{Diagnostics, Severity};
use crate::model::table::{Kind, Table, Value};
use crate::model::Periods;
use crate::money::{ratio, round_half_away, Currency, Money};
use crate::period::DateRange;
use crate::yaml::YamlSource;

/// Whose results the commission scheme is applied to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ReviewKind {
    /// FY N has sales: the fiscal year to date.
    FiscalYearToDate,
    /// FY N has no sales yet: what last year's results would have earned.
    BaselineYear,
}

/// Chapter 2 as computed.
#[derive(Debug, Clone)]
pub struct TeamModel {
    pub review: DateRange,
    pub review_kind: ReviewKind,
    /// Every rep's result: the planned reps by attainment, then reps with sales but not in
    /// the plan, by name; `reps` is its table.
    pub rep_results: Vec<RepResult>,
    pub reps: Table,
    /// The staffing plan's roles; `headcount` is its table.
    pub roles: Vec<RoleHeadcount>,
    pub headcount: Table,
    /// Σ quotas / annual target; `None` with basis margin or without an annual target.
    pub quota_coverage: Option<Decimal>,
    /// Σ commission of the planned reps, rounded per rep.
    pub commission_total: Money,
    /// Company revenue in the review period.
    pub review_revenue: Money,
    /// The organisation chart's people set against the staffing plan's roles; `None`
    /// without an `org` or without `staffing`.
    pub org: Option<OrgHeadcount>,
}

/// The organisation chart counted by the staffing plan's roles, so the page can say why
/// the chart's people and the staffing plan's positions differ.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OrgHeadcount {
    /// Everyone in the chart, its head included (a box without `headcount` is one person).
    pub total: u64,
    /// The head of the organisation (the chart's root role).
    pub head: String,
    /// Per staffing role, in plan order: the chart's people in it, current and planned.
    pub roles: Vec<RoleInChart>,
    /// Chart roles that match no staffing role, with their people, in chart order.
    pub unlisted: Vec<(String, u64)>,
}

/// One staffing role as the chart and the staffing plan count it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RoleInChart {
    pub role: String,
    pub in_chart: u64,
    pub current: u64,
    pub planned: u64,
}

impl OrgHeadcount {
    pub fn planned(&self) -> u64 {
        self.roles.iter().map(|r| r.planned).sum()
    }

    pub fn current(&self) -> u64 {
        self.roles.iter().map(|r| r.current).sum()
    }

    /// People in chart roles the staffing plan does not list.
    pub fn unlisted_people(&self) -> u64 {
        self.unlisted.iter().map(|(_, n)| n).sum()
    }

    /// The staffing roles whose chart count is not their planned headcount.
    pub fn differing(&self) -> impl Iterator<Item = &RoleInChart> {
        self.roles.iter().filter(|r| r.in_chart != r.planned)
    }

    /// Whether the chart and the staffing plan count the same people.
    pub fn reconciles(&self) -> bool {
        self.unlisted.is_empty() && self.differing().next().is_none()
    }
}

/// The staffing role a chart box belongs to: the same name, or the longest staffing role
/// the box's role is qualified from — "Regional Manager East" is a "Regional Manager",
/// "华东区域经理" a "区域经理" (a Chinese qualifier comes first, without a space).
fn staffing_role_of(role: &str, staffing: &[Staffing]) -> Option<usize> {
    let qualifies = |s: &str| {
        role == s
            || role.starts_with(&format!("{s} "))
            || role.ends_with(&format!(" {s}"))
            || (role.ends_with(s) && s.chars().next().is_some_and(|c| !c.is_ascii()))
    };
    staffing
        .iter()
        .enumerate()
        .filter(|(_, s)| !s.role.is_empty() && qualifies(&s.role))
        .max_by(|(i, a), (j, b)| {
            a.role
                .chars()
                .count()
                .cmp(&b.role.chars().count())
                .then_with(|| j.cmp(i))
        })
        .map(|(i, _)| i)
}

/// The chart's people by staffing role (§7.2's `org` and `staffing`).
pub fn org_headcount(org: &OrgNode, staffing: &[Staffing]) -> OrgHeadcount {
    fn walk(
        node: &OrgNode,
        staffing: &[Staffing],
        in_chart: &mut [u64],
        unlisted: &mut Vec<(String, u64)>,
    ) {
        let people = u64::from(node.headcount.unwrap_or(1));
        match staffing_role_of(&node.role, staffing) {
            Some(i) => in_chart[i] += people,
            None => match unlisted.iter_mut().find(|(r, _)| *r == node.role) {
                Some((_, n)) => *n += people,
                None => unlisted.push((node.role.clone(), people)),
            },
        }
        for child in &node.reports {
            walk(child, staffing, in_chart, unlisted);
        }
    }
    let mut in_chart = vec![0; staffing.len()];
    let mut unlisted = Vec::new();
    walk(org, staffing, &mut in_chart, &mut unlisted);
    let roles: Vec<RoleInChart> = staffing
        .iter()
        .zip(in_chart)
        .map(|(s, n)| RoleInChart {
            role: s.role.clone(),
            in_chart: n,
            current: u64::from(s.current),
            planned: u64::from(s.planned),
        })
        .collect();
    OrgHeadcount {
        total: roles.iter().map(|r| r.in_chart).sum::<u64>()
            + unlisted.iter().map(|(_, n)| n).sum::<u64>(),
        head: org.role.clone(),
        roles,
        unlisted,
    }
}

pub fn compute(
    plan: &TeamPlan,
    src: &YamlSource,
    sales: &SalesFacts,
    periods: &Periods,
    annual_target: Option<Decimal>,
    currency: &Currency,
    diags: &mut Diagnostics,
) -> TeamModel {
    let (review, review_kind) = review_period(sales, periods);
    let basis = plan
        .commission
        .as_ref()
        .map_or(CommissionBasis::Revenue, |c| c.basis);
    // The basis amount of every rep with sales in the review period: added up by rep id
    // (a rep has a cell per segment), then named.
    let mut by_id: Vec<Option<Money>> = vec![None; sales.reps.len()];
    for (rep, day) in sales.daily.rep_days(review) {
        let amount = match basis {
            CommissionBasis::Revenue => day.revenue,
            CommissionBasis::Margin => day.margin,
        };
        *by_id[rep as usize].get_or_insert(Money::ZERO) += amount;
    }
    let actual: BTreeMap<&str, Money> = by_id
        .iter()
        .enumerate()
        .filter_map(|(rep, sum)| Some((sales.reps.name(rep as u32), (*sum)?)))
        .collect();

    let mut planned: Vec<RepResult> = plan
        .reps
        .iter()
        .map(|rep| {
            let r = actual.get(rep.name.as_str()).copied().unwrap_or_default();
            let commission = plan
                .commission
                .as_ref()
                .map(|c| commission_for(c, r.decimal(), rep.quota, currency));
            RepResult {
                name: rep.name.clone(),
                region: rep.region.clone(),
                quota: Some(rep.quota),
                actual: r,
                commission,
            }
        })
        .collect();
    planned.sort_by(|a, b| compare_attainment(b, a).then_with(|| a.name.cmp(&b.name)));
    let unplanned: Vec<RepResult> = actual
        .iter()
        .filter(|(name, _)| !plan.reps.iter().any(|r| r.name == **name))
        .map(|(name, r)| RepResult {
            name: name.to_string(),
            region: None,
            quota: None,
            actual: *r,
            commission: None,
        })
        .collect();
    if !unplanned.is_empty() {
        let names: Vec<&str> = unplanned.iter().map(|r| r.name.as_str()).collect();
        diags.push_diagnostic(src.diagnostic(
            Severity::Warning,
            "reps",
            format!(
                "{} with sales in the review period {} not in `reps`: {} (listed without quota or commission)",
                if names.len() == 1 { "a rep" } else { "reps" },
                if names.len() == 1 { "is" } else { "are" },
                crate::diag::name_list(&names)
            ),
        ));
    }

    let commission_total = Money::new(planned.iter().filter_map(|r| r.commission).sum());
    let rep_results: Vec<RepResult> = planned.into_iter().chain(unplanned).collect();

    let quota_coverage = match (basis, annual_target) {
        (CommissionBasis::Revenue, Some(annual)) if !plan.reps.is_empty() => {
            ratio(plan.reps.iter().map(|r| r.quota).sum(), annual)
        }
        _ => None,
    };
    if let Some(coverage) = quota_coverage.filter(|c| *c < Decimal::ONE) {
        diags.push_diagnostic(src.diagnostic(
            Severity::Warning,
            "reps",
            format!(
                "rep quotas add up to {}% of the annual target: the bottom-up plan does not cover the top-down target",
                round_half_away(coverage * Decimal::ONE_HUNDRED, 1)
            ),
        ));
    }

    let roles = headcount(plan);
    TeamModel {
        review,
        review_kind,
        reps: reps_table(&rep_results),
        rep_results,
        headcount: headcount_table(&roles),
        roles,
        quota_coverage,
        commission_total,
        review_revenue: sales.total(review),
        org: plan
            .org
            .as_ref()
            .filter(|_| !plan.staffing.is_empty())
            .map(|org| org_headcount(org, &plan.staffing)),
    }
}

/// FY-to-date when FY N has any sales up to as_of, else the baseline year (§7.2, §9).
pub fn review_period(sales: &SalesFacts, periods: &Periods) -> (DateRange, ReviewKind) {
    if let Some(fy_to_date) = periods.fy_to_date() {
        if sales.has_sales_in(fy_to_date) {
            return (fy_to_date, ReviewKind::FiscalYearToDate);
        }
    }
    let base = periods.fy.previous();
    (
        DateRange::new(base.start(), base.end()),
        ReviewKind::BaselineYear,
    )
}

/// One rep's quota, actual and commission over the review period (a row of `team_reps`).
#[derive(Debug, Clone)]
pub struct RepResult {
    pub name: String,
    pub region: Option<String>,
    /// `None` for a rep with sales who is not in the plan.
    pub quota: Option<Decimal>,
    pub actual: Money,
    pub commission: Option<Decimal>,
}

impl RepResult {
    /// Actual over quota; `None` without a quota.
    pub fn attainment(&self) -> Option<Decimal> {
        self.quota.and_then(|q| self.actual.ratio_to(Money::new(q)))
    }
}

/// `team_reps`, for the CSV and model.json.
fn reps_table(results: &[RepResult]) -> Table {
    let mut reps = Table::new(
        "team_reps",
        &[
            ("rep", Kind::Text),
            ("region", Kind::Text),
            ("quota", Kind::Money),
            ("actual", Kind::Money),
            ("attainment", Kind::Ratio),
            ("commission", Kind::Money),
        ],
    );
    for row in results {
        reps.push(vec![
            Some(row.name.as_str().into()),
            row.region.as_deref().map(Value::from),
            row.quota.map(Value::from),
            Some(row.actual.into()),
            row.attainment().map(Value::from),
            row.commission.map(Value::from),
        ]);
    }
    reps
}

/// Orders by attainment R/Q exactly, cross-multiplying (quotas are positive).
fn compare_attainment(a: &RepResult, b: &RepResult) -> Ordering {
    match (a.quota, b.quota) {
        (Some(qa), Some(qb)) => {
            let (ra, rb) = (a.actual.decimal(), b.actual.decimal());
            match (ra.checked_mul(qb), rb.checked_mul(qa)) {
                (Some(x), Some(y)) => x.cmp(&y),
                _ => a.attainment().cmp(&b.attainment()),
            }
        }
        _ => Ordering::Equal,
    }
}

/// The commission of one rep with basis amount `r` and quota `q` (§7.2): marginal or flat
/// over the tiers, capped, rounded half away from zero to the currency's minor unit.
pub fn commission_for(scheme: &Commission, r: Decimal, q: Decimal, currency: &Currency) -> Decimal {
    let raw = match scheme.method {
        CommissionMethod::Marginal => scheme
            .tiers
            .iter()
            .map(|tier| {
                let upper = tier.to.map_or(r, |to| r.min(to * q));
                tier.rate * (upper - tier.from * q).max(Decimal::ZERO)
            })
            .sum(),
        CommissionMethod::Flat => {
            // The tier containing R/Q, boundaries belonging to the upper tier, decided by
            // comparing R with from×Q and to×Q (no division).
            let tier = scheme
                .tiers
                .iter()
                .find(|t| r >= t.from * q && t.to.is_none_or(|to| r < to * q));
            match tier {
                Some(t) if !r.is_sign_negative() => t.rate * r,
                _ => Decimal::ZERO,
            }
        }
    };
    let capped = match scheme.cap {
        Some(cap) => raw.min(cap),
        None => raw,
    };
    round_half_away(capped, currency.minor_units)
}

/// `team_headcount`: current cost plus new hires from the start of their hiring quarter.
/// One role of the staffing plan and its cost in the plan year (`team_headcount`).
#[derive(Debug, Clone)]
pub struct RoleHeadcount {
    pub role: String,
    pub current: i64,
    pub planned: i64,
    /// Current staff for the whole year, new hires from their hiring quarter on.
    pub plan_year_cost: Decimal,
}

impl RoleHeadcount {
    pub fn change(&self) -> i64 {
        self.planned - self.current
    }
}

/// The staffing plan's roles, in plan order.
fn headcount(plan: &TeamPlan) -> Vec<RoleHeadcount> {
    plan.staffing
        .iter()
        .map(|s| {
            let change = i64::from(s.planned) - i64::from(s.current);
            let quarter = s.hire_quarter.unwrap_or(Quarter::Q1);
            // Months from the start of the hiring quarter to the end of the fiscal year.
            let months = Decimal::from(12 - 3 * (quarter.index() - 1));
            RoleHeadcount {
                role: s.role.clone(),
                current: i64::from(s.current),
                planned: i64::from(s.planned),
                plan_year_cost: Decimal::from(s.current) * s.cost_per_head
                    + Decimal::from(change.max(0)) * s.cost_per_head * months / Decimal::from(12),
            }
        })
        .collect()
}

/// `team_headcount`, for the CSV and model.json.
fn headcount_table(roles: &[RoleHeadcount]) -> Table {
    let mut table = Table::new(
        "team_headcount",
        &[
            ("role", Kind::Text),
            ("current", Kind::Integer),
            ("planned", Kind::Integer),
            ("change", Kind::Integer),
            ("plan_year_cost", Kind::Money),
        ],
    );
    for r in roles {
        table.push(vec![
            Some(r.role.as_str().into()),
            Some(r.current.into()),
            Some(r.planned.into()),
            Some(r.change().into()),
            Some(r.plan_year_cost.into()),
        ]);
    }
    table
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::chapters::team::plan::Tier;
    use std::str::FromStr;

    fn d(s: &str) -> Decimal {
        Decimal::from_str(s).unwrap()
    }

    fn scheme(method: CommissionMethod, cap: Option<&str>) -> Commission {
        let tier = |from: &str, to: Option<&str>, rate: &str| Tier {
            from: d(from),
            to: to.map(d),
            rate: d(rate),
            notes: None,
        };
        Commission {
            basis: CommissionBasis::Revenue,
            method,
            tiers: vec![
                tier("0", Some("0.8"), "0.02"),
                tier("0.8", Some("1.0"), "0.04"),
                tier("1.0", None, "0.06"),
            ],
            cap: cap.map(d),
            notes: None,
        }
    }

    fn cny() -> Currency {
        Currency::from_code("CNY").unwrap()
    }

    #[test]
    fn marginal_commission_pays_each_tier_its_part() {
        let s = scheme(CommissionMethod::Marginal, None);
        // R = 90,000 of Q = 100,000: 80,000 × 2 % + 10,000 × 4 % = 1,600 + 400 = 2,000.
        assert_eq!(
            commission_for(&s, d("90000"), d("100000"), &cny()),
            d("2000")
        );
        // Exactly on the 1.0 boundary: 1,600 + 20,000 × 4 % = 2,400; the 6 % tier adds 0.
        assert_eq!(
            commission_for(&s, d("100000"), d("100000"), &cny()),
            d("2400")
        );
        // R = 300,000: 1,600 + 800 + 200,000 × 6 % = 14,400.
        assert_eq!(
            commission_for(&s, d("300000"), d("100000"), &cny()),
            d("14400")
        );
        // Negative results earn nothing.
        assert_eq!(commission_for(&s, d("-500"), d("100000"), &cny()), d("0"));
    }

    #[test]
    fn flat_commission_uses_the_reached_tier_on_everything() {
        let s = scheme(CommissionMethod::Flat, None);
        // 0.9 is in [0.8, 1.0): 4 % of 90,000 = 3,600.
        assert_eq!(
            commission_for(&s, d("90000"), d("100000"), &cny()),
            d("3600")
        );
        // Exactly 1.0 belongs to the upper tier: 6 % of 100,000 = 6,000.
        assert_eq!(
            commission_for(&s, d("100000"), d("100000"), &cny()),
            d("6000")
        );
        // Just below: 99,999.99 → 4 % = 3,999.9996 → 4,000.00 (half away from zero).
        assert_eq!(
            commission_for(&s, d("99999.99"), d("100000"), &cny()),
            d("4000.00")
        );
        // Negative attainment: 0.
        assert_eq!(commission_for(&s, d("-10"), d("100000"), &cny()), d("0"));
    }

    fn staff(role: &str, current: u32, planned: u32) -> Staffing {
        Staffing {
            role: role.into(),
            current,
            planned,
            hire_quarter: None,
            cost_per_head: d("1"),
            notes: None,
        }
    }

    fn node(role: &str, headcount: Option<u32>, reports: Vec<OrgNode>) -> OrgNode {
        OrgNode {
            role: role.into(),
            name: None,
            headcount,
            reports,
            notes: None,
        }
    }

    #[test]
    fn the_org_chart_is_counted_by_staffing_role() {
        // Director (1, unlisted) → "Regional Manager East" (1, a Regional Manager) → 5 reps,
        // "Regional Manager South" (1) → 4 reps, "E-commerce Manager" (1, unlisted).
        let org = node(
            "Sales Director",
            None,
            vec![
                node(
                    "Regional Manager East",
                    None,
                    vec![node("Sales Representative", Some(5), vec![])],
                ),
                node(
                    "Regional Manager South",
                    None,
                    vec![node("Sales Representative", Some(4), vec![])],
                ),
                node("E-commerce Manager", None, vec![]),
            ],
        );
        let staffing = [
            staff("Sales Representative", 8, 10),
            staff("Regional Manager", 2, 2),
        ];
        let h = org_headcount(&org, &staffing);
        // 1 + 1 + 5 + 1 + 4 + 1 = 13 people; reps 5 + 4 = 9 against 10 planned.
        assert_eq!(h.total, 13);
        assert_eq!(
            h.roles.iter().map(|r| r.in_chart).collect::<Vec<_>>(),
            [9, 2]
        );
        assert_eq!(
            h.unlisted,
            [
                ("Sales Director".to_string(), 1),
                ("E-commerce Manager".to_string(), 1)
            ]
        );
        assert_eq!((h.planned(), h.current(), h.unlisted_people()), (12, 10, 2));
        assert!(!h.reconciles());
        // Chinese qualifiers come first: 华东区域经理 is a 区域经理, 经理 alone is not 区域经理.
        let zh = [staff("区域经理", 1, 1), staff("经理", 1, 1)];
        assert_eq!(staffing_role_of("华东区域经理", &zh), Some(0));
        assert_eq!(staffing_role_of("渠道经理", &zh), Some(1));
        assert_eq!(staffing_role_of("Sales Representatives", &staffing), None);
    }

    #[test]
    fn cap_binds_and_half_cents_round_away_from_zero() {
        let s = scheme(CommissionMethod::Marginal, Some("10000"));
        assert_eq!(
            commission_for(&s, d("300000"), d("100000"), &cny()),
            d("10000")
        );
        // 0.25 × 2 % = 0.005 → 0.01.
        assert_eq!(commission_for(&s, d("0.25"), d("1000"), &cny()), d("0.01"));
    }
}
