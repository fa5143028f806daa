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
    /// `promotions`, ordered by start, then id.
    pub table: Table,
    /// Each promotion's status, in plan order.
    pub statuses: Vec<Status>,
    pub budget_total: Decimal,
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
            ("uplift_pct", Kind::Ratio),
            ("iroas", Kind::Ratio),
            ("visitors", Kind::Integer),
            ("orders", Kind::Integer),
            ("conversion", Kind::Ratio),
            ("goal_sales", Kind::Money),
            ("goal_attainment", Kind::Ratio),
        ],
    );
    for i in order {
        let p = &plan.promotions[i];
        let budget: Decimal = p.budget.values().copied().sum();
        let goal_sales = p.goals.as_ref().and_then(|g| g.sales);
        let mut row: Vec<Option<Value>> = vec![
            Some(p.id.as_str().into()),
            Some(p.name.as_str().into()),
            Some(statuses[i].key().into()),
            Some(p.start.into()),
            Some(p.end.into()),
            Some(budget.into()),
        ];
        if statuses[i] == Status::Planned {
            row.extend(std::iter::repeat_n(None, 9));
            row.push(goal_sales.map(Value::from));
            row.push(None);
            table.push(row);
            continue;
        }
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
        let uplift = sales_amount.decimal() - baseline;
        let spend = spend_of(p);
        let visitors = traffic.map(|t| {
            t.visitors
                .iter()
                .filter(|((date, channel), _)| {
                    window.contains(*date)
                        && p.channels
                            .as_ref()
                            .is_none_or(|list| list.iter().any(|c| c == t.channels.name(*channel)))
                })
                .map(|(_, v)| *v)
                .sum::<i64>()
        });
        let orders = sales
            .promotions
            .get(i)
            .map_or(0, |tally| tally.orders_until(window.to));
        let conversion = visitors.and_then(|v| ratio(Decimal::from(orders), Decimal::from(v)));
        row.extend([
            Some(spend.into()),
            Some(sales_amount.into()),
            Some(baseline.into()),
            Some(uplift.into()),
            ratio(uplift, baseline).map(Value::from),
            ratio(uplift, spend).map(Value::from),
            visitors.map(Value::from),
            Some(orders.into()),
            conversion.map(Value::from),
            goal_sales.map(Value::from),
            goal_sales
                .and_then(|g| ratio(sales_amount.decimal(), g))
                .map(Value::from),
        ]);
        table.push(row);
    }

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
        table,
        statuses,
        budget_total,
    }
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

/// The promotions that ended (or are running) below their sales goal: (id, attainment).
pub fn missed_goals(model: &PromotionsModel) -> Vec<(String, Decimal)> {
    let id = model.table.column("id").expect("id");
    let attainment = model
        .table
        .column("goal_attainment")
        .expect("goal_attainment");
    model
        .table
        .rows
        .iter()
        .filter_map(|r| match (&r[id], &r[attainment]) {
            (Some(Value::Text(id)), Some(Value::Decimal(a))) if *a < Decimal::ONE => {
                Some((id.clone(), *a))
            }
            _ => None,
        })
        .collect()
}

/// Σ of a money column.
pub fn column_total(table: &Table, name: &str) -> Money {
    let col = table.column(name).expect("column of its own table");
    table
        .rows
        .iter()
        .filter_map(|r| match &r[col] {
            Some(Value::Decimal(d)) => Some(Money::new(*d)),
            _ => None,
        })
        .sum()
}
