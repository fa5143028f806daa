//! Chapter 4 computations (FORMAT.md §7.4): each promotion's status and, once it has
//! started, its sales against a baseline of the days before it, the return on its spend,
//! traffic, orders and conversion; budget and overlap warnings.

use std::collections::{BTreeMap, BTreeSet};

use rust_decimal::Decimal;

use crate::chapters::promotions::plan::{Promotion, PromotionsPlan};
use crate::data::feedback::TrafficFacts;
use crate::data::sales::SalesFacts;
use crate::diag::{Diagnostics, Severity};
use crate::model::table::{Kind, Table, Value};
use crate::model::Periods;
use crate::money::{ratio, Money};
use crate::period::DateRange;
use crate::yaml::YamlSource;

/// Where a promotion stands at as_of.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Status {
    Planned,
    Running,
    Done,
}

impl Status {
    pub const ALL: [Status; 3] = [Status::Planned, Status::Running, Status::Done];

    pub fn key(self) -> &'static str {
        match self {
            Status::Planned => "planned",
            Status::Running => "running",
            Status::Done => "done",
        }
    }
}

/// Chapter 4 as computed.
#[derive(Debug, Clone)]
pub struct PromotionsModel {
    /// Each promotion's result, ordered by start, then id; `table` is its table.
    pub results: Vec<PromotionResult>,
    /// `promotions`.
    pub table: Table,
    /// Each promotion's status, in plan order.
    pub statuses: Vec<Status>,
    pub budget_total: Decimal,
    /// What has been spent and what is still committed, for the budget cap.
    pub outlay: Outlay,
}

/// The promotion money at as_of: *spent* on the promotions that have started (running or
/// done: their spend, §7.4) and *committed* to the ones that have not (planned: their
/// budget). A board compares spent + committed with `budget_cap`.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Outlay {
    pub spent: Decimal,
    /// Promotions that have started (running or done).
    pub started: usize,
    pub committed: Decimal,
    /// Promotions not yet started (planned).
    pub not_started: usize,
}

impl Outlay {
    /// Spent plus committed: what the year's promotions cost if the planned ones run to budget.
    pub fn total(&self) -> Decimal {
        self.spent + self.committed
    }
}

/// One promotion as computed (a row of `promotions`).
#[derive(Debug, Clone)]
pub struct PromotionResult {
    pub id: String,
    pub name: String,
    pub status: Status,
    pub start: chrono::NaiveDate,
    pub end: chrono::NaiveDate,
    /// Σ of its budget items.
    pub budget: Decimal,
    pub goal_sales: Option<Decimal>,
    /// `None` while it is planned (not started by as_of).
    pub effect: Option<PromotionEffect>,
}

impl PromotionResult {
    /// Sales over the sales goal; `None` without a goal or before it starts.
    pub fn goal_attainment(&self) -> Option<Decimal> {
        let effect = self.effect.as_ref()?;
        ratio(effect.sales.decimal(), self.goal_sales?)
    }
}

/// What a started promotion did from its start to its end or as_of (§7.4).
#[derive(Debug, Clone)]
pub struct PromotionEffect {
    pub spend: Decimal,
    /// Revenue of its channels over its days up to as_of.
    pub sales: Money,
    /// The same channels' daily revenue over the baseline days before, times its days.
    pub baseline: Decimal,
    pub uplift: Decimal,
    /// Visitors of its channels over its days; `None` without a traffic dataset.
    pub visitors: Option<i64>,
    /// Day × channel entries the traffic dataset has for its days and channels. With none,
    /// `visitors` is 0 in the table (§9) but the page says there is no traffic data.
    pub traffic_entries: usize,
    pub orders: u64,
}

impl PromotionEffect {
    pub fn uplift_pct(&self) -> Option<Decimal> {
        ratio(self.uplift, self.baseline)
    }

    /// Incremental return on ad spend: uplift over spend.
    pub fn iroas(&self) -> Option<Decimal> {
        ratio(self.uplift, self.spend)
    }

    pub fn conversion(&self) -> Option<Decimal> {
        ratio(Decimal::from(self.orders), Decimal::from(self.visitors?))
    }

    /// Visitors when the traffic dataset has rows for its days and channels; `None` when
    /// there is no traffic data for it (no dataset, or no rows in its window).
    pub fn measured_visitors(&self) -> Option<i64> {
        self.visitors.filter(|_| self.traffic_entries > 0)
    }
}

pub fn status_of(p: &Promotion, periods: &Periods) -> Status {
    if p.start > periods.as_of {
        Status::Planned
    } else if periods.as_of < p.end {
        Status::Running
    } else {
        Status::Done
    }
}

pub fn compute(
    plan: &PromotionsPlan,
    src: &YamlSource,
    sales: &SalesFacts,
    traffic: Option<&TrafficFacts>,
    periods: &Periods,
    diags: &mut Diagnostics,
) -> PromotionsModel {
    let statuses: Vec<Status> = plan
        .promotions
        .iter()
        .map(|p| status_of(p, periods))
        .collect();
    let mut order: Vec<usize> = (0..plan.promotions.len()).collect();
    order.sort_by(|&a, &b| {
        let (pa, pb) = (&plan.promotions[a], &plan.promotions[b]);
        pa.start.cmp(&pb.start).then_with(|| pa.id.cmp(&pb.id))
    });
    let results: Vec<PromotionResult> = order
        .into_iter()
        .map(|i| {
            let p = &plan.promotions[i];
            let status = statuses[i];
            let effect =
                (status != Status::Planned).then(|| effect_of(p, i, plan, sales, traffic, periods));
            PromotionResult {
                id: p.id.clone(),
                name: p.name.clone(),
                status,
                start: p.start,
                end: p.end,
                budget: p.budget.values().copied().sum(),
                goal_sales: p.goals.as_ref().and_then(|g| g.sales),
                effect,
            }
        })
        .collect();

    let budget_total: Decimal = plan
        .promotions
        .iter()
        .flat_map(|p| p.budget.values())
        .copied()
        .sum();
    if let Some(cap) = plan.budget_cap {
        if budget_total > cap {
            diags.push_diagnostic(src.diagnostic(
                Severity::Warning,
                "budget_cap",
                format!("promotion budgets add up to {budget_total}, over the budget cap of {cap}"),
            ));
        }
    }
    warn_about_overlaps(plan, src, sales, diags);
    PromotionsModel {
        table: promotions_table(&results),
        outlay: outlay_of(&results),
        results,
        statuses,
        budget_total,
    }
}

/// Spent (started promotions' spend) and committed (planned promotions' budget).
fn outlay_of(results: &[PromotionResult]) -> Outlay {
    results.iter().fold(Outlay::default(), |mut o, r| {
        match &r.effect {
            Some(e) => {
                o.spent += e.spend;
                o.started += 1;
            }
            None => {
                o.committed += r.budget;
                o.not_started += 1;
            }
        }
        o
    })
}

/// What a promotion that has started did, up to as_of.
fn effect_of(
    p: &Promotion,
    i: usize,
    plan: &PromotionsPlan,
    sales: &SalesFacts,
    traffic: Option<&TrafficFacts>,
    periods: &Periods,
) -> PromotionEffect {
    let window = DateRange::new(p.start, p.end.min(periods.as_of));
    let days = Decimal::from((window.to - window.from).num_days() + 1);
    let in_channels = |channel: u32| {
        p.channels
            .as_ref()
            .is_none_or(|list| list.iter().any(|c| c == sales.channels.name(channel)))
    };
    let sales_amount = sales.revenue(window, |k| in_channels(k.channel));
    let baseline_days = i64::from(plan.baseline_days);
    let before = DateRange::new(
        p.start - chrono::Duration::days(baseline_days),
        p.start - chrono::Duration::days(1),
    );
    // Days before the data starts count as 0; the divisor stays baseline_days (§9).
    let baseline = ratio(
        sales.revenue(before, |k| in_channels(k.channel)).decimal() * days,
        Decimal::from(baseline_days),
    )
    .unwrap_or_default();
    let traffic_in_window: Vec<i64> = traffic.map_or_else(Vec::new, |t| {
        t.visitors
            .iter()
            .filter(|((date, channel), _)| {
                window.contains(*date)
                    && p.channels
                        .as_ref()
                        .is_none_or(|list| list.iter().any(|c| c == t.channels.name(*channel)))
            })
            .map(|(_, v)| *v)
            .collect()
    });
    let visitors = traffic.map(|_| traffic_in_window.iter().sum::<i64>());
    let orders = sales
        .promotions
        .get(i)
        .map_or(0, |tally| tally.orders_until(window.to));
    PromotionEffect {
        spend: spend_of(p),
        sales: sales_amount,
        baseline,
        uplift: sales_amount.decimal() - baseline,
        visitors,
        traffic_entries: traffic_in_window.len(),
        orders,
    }
}

/// `promotions`, for the CSV and model.json.
fn promotions_table(results: &[PromotionResult]) -> Table {
    let mut table = Table::new(
        "promotions",
        &[
            ("id", Kind::Text),
            ("name", Kind::Text),
            ("status", Kind::Text),
            ("start", Kind::Date),
            ("end", Kind::Date),
            ("budget", Kind::Money),
            ("spend", Kind::Money),
            ("sales", Kind::Money),
            ("baseline", Kind::Money),
            ("uplift", Kind::Money),
            ("uplift_pct", Kind::Growth),
            ("iroas", Kind::Ratio),
            ("visitors", Kind::Integer),
            ("orders", Kind::Integer),
            ("conversion", Kind::Ratio),
            ("goal_sales", Kind::Money),
            ("goal_attainment", Kind::Ratio),
        ],
    );
    for r in results {
        let mut row: Vec<Option<Value>> = vec![
            Some(r.id.as_str().into()),
            Some(r.name.as_str().into()),
            Some(r.status.key().into()),
            Some(r.start.into()),
            Some(r.end.into()),
            Some(r.budget.into()),
        ];
        match &r.effect {
            None => {
                row.extend(std::iter::repeat_n(None, 9));
                row.push(r.goal_sales.map(Value::from));
                row.push(None);
            }
            Some(e) => row.extend([
                Some(e.spend.into()),
                Some(e.sales.into()),
                Some(e.baseline.into()),
                Some(e.uplift.into()),
                e.uplift_pct().map(Value::from),
                e.iroas().map(Value::from),
                e.visitors.map(Value::from),
                Some(e.orders.into()),
                e.conversion().map(Value::from),
                r.goal_sales.map(Value::from),
                r.goal_attainment().map(Value::from),
            ]),
        }
        table.push(row);
    }
    table
}

/// Spend over the union of budget and spend items: the spend value where given, else the
/// budget (§9).
pub fn spend_of(p: &Promotion) -> Decimal {
    let mut items: BTreeMap<&str, Decimal> =
        p.budget.iter().map(|(k, v)| (k.as_str(), *v)).collect();
    for (k, v) in p.spend.iter().flatten() {
        items.insert(k.as_str(), *v);
    }
    items.values().copied().sum()
}

/// Promotions on the same channel whose dates overlap are a warning.
fn warn_about_overlaps(
    plan: &PromotionsPlan,
    src: &YamlSource,
    sales: &SalesFacts,
    diags: &mut Diagnostics,
) {
    let all: BTreeSet<&str> = sales.channels.sorted().into_iter().collect();
    let channels_of = |p: &Promotion| -> BTreeSet<String> {
        match &p.channels {
            Some(list) => list.iter().cloned().collect(),
            None => all.iter().map(|c| c.to_string()).collect(),
        }
    };
    for (j, b) in plan.promotions.iter().enumerate() {
        for a in &plan.promotions[..j] {
            if a.start > b.end || b.start > a.end {
                continue;
            }
            let shared: Vec<String> = match (&a.channels, &b.channels) {
                (None, None) => vec!["all channels".to_string()],
                _ => channels_of(a)
                    .intersection(&channels_of(b))
                    .cloned()
                    .collect(),
            };
            if shared.is_empty() {
                continue;
            }
            let from = a.start.max(b.start);
            let to = a.end.min(b.end);
            diags.push_diagnostic(src.diagnostic(
                Severity::Warning,
                &format!("promotions[{j}]"),
                format!(
                    "promotions `{}` and `{}` overlap on {} from {from} to {to}",
                    a.id,
                    b.id,
                    shared.join(", ")
                ),
            ));
        }
    }
}

/// The promotions that ended below their sales goal: (id, attainment). A running
/// promotion has not missed anything yet: its attainment is to date.
pub fn missed_goals(model: &PromotionsModel) -> Vec<(String, Decimal)> {
    model
        .results
        .iter()
        .filter(|r| r.status == Status::Done)
        .filter_map(|r| Some((r.id.clone(), r.goal_attainment()?)))
        .filter(|(_, attainment)| *attainment < Decimal::ONE)
        .collect()
}
