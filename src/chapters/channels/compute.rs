//! Chapter 3 computations (FORMAT.md §7.3): the channel mix against the target split,
//! partner scores, and price and territory conflicts over the trailing twelve months.

use std::cmp::Ordering;
use std::collections::{BTreeMap, BTreeSet};

use rust_decimal::Decimal;

use crate::chapters::channels::plan::ChannelsPlan;
use crate::data::sales::SalesFacts;
use crate::model::allocation::allocate;
use crate::model::table::{Kind, Table, Value};
use crate::model::Periods;
use crate::money::{ratio, Money};
use crate::period::{DateRange, YearMonth};

/// Chapter 3 as computed.
#[derive(Debug, Clone)]
pub struct ChannelsModel {
    /// Each listed channel's share, in list order; `mix` is its table.
    pub channel_mix: Vec<MixRow>,
    pub mix: Table,
    /// Each partner's score, in plan order; `partners` is its table.
    pub partner_scores: Vec<PartnerScore>,
    pub partners: Table,
    pub price_conflicts: Table,
    /// Sales of partners outside their territory; `territory_conflicts` is its table.
    pub out_of_territory: Vec<TerritoryConflict>,
    pub territory_conflicts: Table,
    /// The tolerance used for price conflicts.
    pub price_tolerance: Decimal,
}

/// One partner's weighted score against the selection criteria (`channels_partners`).
#[derive(Debug, Clone)]
pub struct PartnerScore {
    pub partner: String,
    pub channel: String,
    /// Σ weight × score over the criteria it is scored on, over their weights.
    pub score: Option<Decimal>,
    /// Score ≥ `min_score`, decided on the unrounded score; `None` without a minimum.
    pub qualified: Option<bool>,
    pub contract_end: Option<chrono::NaiveDate>,
    /// The contract ends within the fiscal year.
    pub expiring: Option<bool>,
}

impl PartnerScore {
    pub fn is_qualified(&self) -> bool {
        self.qualified == Some(true)
    }

    pub fn is_expiring(&self) -> bool {
        self.expiring == Some(true)
    }
}

pub fn compute(
    plan: &ChannelsPlan,
    sales: &SalesFacts,
    periods: &Periods,
    annual_target: Option<i64>,
) -> ChannelsModel {
    let tolerance = plan
        .conflicts
        .as_ref()
        .and_then(|c| c.price_tolerance)
        .unwrap_or(Decimal::new(5, 2));
    let partner_scores = partner_scores(plan, periods);
    let channel_mix = mix(plan, sales, periods, annual_target);
    let out_of_territory = territory_conflicts(plan, sales);
    ChannelsModel {
        mix: mix_table(&channel_mix),
        channel_mix,
        partners: partners_table(&partner_scores),
        partner_scores,
        price_conflicts: price_conflicts(sales, tolerance),
        territory_conflicts: territory_table(&out_of_territory),
        out_of_territory,
        price_tolerance: tolerance,
    }
}

/// One listed channel: its baseline, target and actual share (`channels_mix`).
#[derive(Debug, Clone)]
pub struct MixRow {
    pub channel: String,
    /// Revenue of the baseline year (FY N−1) and its share of the company's.
    pub baseline: Money,
    pub baseline_share: Option<Decimal>,
    pub target_share: Decimal,
    /// The annual target allocated by target share; `None` without an annual target.
    pub target: Option<Money>,
    pub budget: Option<Decimal>,
    /// Target over budget.
    pub output_per_cost: Option<Decimal>,
    /// FY-to-date revenue and share; `None` before the fiscal year starts.
    pub actual: Option<Money>,
    pub actual_share: Option<Decimal>,
}

/// One row per listed channel, in list order.
fn mix(
    plan: &ChannelsPlan,
    sales: &SalesFacts,
    periods: &Periods,
    annual_target: Option<i64>,
) -> Vec<MixRow> {
    let fy = periods.fy;
    let base = fy.previous();
    let baseline = sales.revenue_by(DateRange::new(base.start(), base.end()), |k| k.channel);
    let baseline_total: Money = baseline.values().sum();
    let actual = periods
        .fy_to_date()
        .map(|r| sales.revenue_by(r, |k| k.channel));
    let actual_total: Option<Money> = actual.as_ref().map(|a| a.values().sum());
    let shares: Vec<Decimal> = plan.channels.iter().map(|c| c.target_share).collect();
    let targets: Option<Vec<i64>> = annual_target.and_then(|annual| allocate(annual, &shares));
    let of = |map: &crate::data::hashing::FastMap<u32, Money>, name: &str| {
        sales
            .channels
            .id(name)
            .and_then(|id| map.get(&id))
            .copied()
            .unwrap_or_default()
    };
    let mut rows = Vec::with_capacity(plan.channels.len());
    for (i, channel) in plan.channels.iter().enumerate() {
        let b = of(&baseline, &channel.name);
        let target = targets.as_ref().map(|t| Money::from_units(t[i]));
        let budget = plan
            .budget
            .iter()
            .find(|l| l.channel == channel.name)
            .map(|l| l.total());
        let output_per_cost = match (target, budget) {
            (Some(t), Some(b)) => ratio(t.decimal(), b),
            _ => None,
        };
        let a = actual.as_ref().map(|a| of(a, &channel.name));
        let a_share = match (a, actual_total) {
            (Some(a), Some(total)) => a.ratio_to(total),
            _ => None,
        };
        rows.push(MixRow {
            channel: channel.name.clone(),
            baseline: b,
            baseline_share: b.ratio_to(baseline_total),
            target_share: channel.target_share,
            target,
            budget,
            output_per_cost,
            actual: a,
            actual_share: a_share,
        });
    }
    rows
}

/// `channels_mix`, for the CSV and model.json.
fn mix_table(rows: &[MixRow]) -> Table {
    let mut table = Table::new(
        "channels_mix",
        &[
            ("channel", Kind::Text),
            ("baseline", Kind::Money),
            ("baseline_share", Kind::Ratio),
            ("target_share", Kind::Ratio),
            ("target", Kind::Money),
            ("budget", Kind::Money),
            ("output_per_cost", Kind::Multiple),
            ("actual", Kind::Money),
            ("actual_share", Kind::Ratio),
        ],
    );
    for r in rows {
        table.push(vec![
            Some(r.channel.as_str().into()),
            Some(r.baseline.into()),
            r.baseline_share.map(Value::from),
            Some(r.target_share.into()),
            r.target.map(Value::from),
            r.budget.map(Value::from),
            r.output_per_cost.map(Value::from),
            r.actual.map(Value::from),
            r.actual_share.map(Value::from),
        ]);
    }
    table
}

/// Each partner's weighted score over the criteria it is scored on.
fn partner_scores(plan: &ChannelsPlan, periods: &Periods) -> Vec<PartnerScore> {
    let criteria: BTreeMap<&str, Decimal> = plan
        .selection
        .iter()
        .flat_map(|s| s.criteria.iter().map(|c| (c.name.as_str(), c.weight)))
        .collect();
    let min_score = plan.selection.as_ref().and_then(|s| s.min_score);
    plan.partners
        .iter()
        .map(|p| {
            let (mut weighted, mut weights) = (Decimal::ZERO, Decimal::ZERO);
            for (criterion, score) in &p.scores {
                if let Some(w) = criteria.get(criterion.as_str()) {
                    weighted += *w * *score;
                    weights += *w;
                }
            }
            let score = ratio(weighted, weights);
            // Qualified compares the unrounded score: weighted ≥ min × weights, exactly.
            let qualified = match (score, min_score) {
                (Some(_), Some(min)) => Some(weighted >= min * weights),
                _ => None,
            };
            PartnerScore {
                partner: p.name.clone(),
                channel: p.channel.clone(),
                score,
                qualified,
                contract_end: p.contract_end,
                expiring: p.contract_end.map(|end| end <= periods.fy.end()),
            }
        })
        .collect()
}

/// `channels_partners`, for the CSV and model.json.
fn partners_table(scores: &[PartnerScore]) -> Table {
    let mut table = Table::new(
        "channels_partners",
        &[
            ("partner", Kind::Text),
            ("channel", Kind::Text),
            ("score", Kind::Score),
            ("qualified", Kind::Bool),
            ("contract_end", Kind::Date),
            ("expiring", Kind::Bool),
        ],
    );
    for p in scores {
        table.push(vec![
            Some(p.partner.as_str().into()),
            Some(p.channel.as_str().into()),
            p.score.map(Value::from),
            p.qualified.map(Value::from),
            p.contract_end.map(Value::from),
            p.expiring.map(Value::from),
        ]);
    }
    table
}

/// An effective price Σ amount / Σ quantity, kept as its two sums for exact comparison.
#[derive(Clone, Copy)]
struct Price {
    amount: Decimal,
    quantity: Decimal,
}

impl Price {
    fn value(self) -> Option<Decimal> {
        ratio(self.amount, self.quantity)
    }

    /// Compares a/q with b/r as a·r vs b·q (quantities are positive).
    fn cmp(self, other: Price) -> Ordering {
        match (
            self.amount.checked_mul(other.quantity),
            other.amount.checked_mul(self.quantity),
        ) {
            (Some(x), Some(y)) => x.cmp(&y),
            _ => self.value().cmp(&other.value()),
        }
    }
}

/// `channels_price_conflicts` over TTM, per calendar month and product.
fn price_conflicts(sales: &SalesFacts, tolerance: Decimal) -> Table {
    // (month, product name) → channel name → (Σ amount, Σ quantity); the pass kept the
    // trailing twelve months only.
    type Sums = (Decimal, Decimal);
    let mut groups: BTreeMap<(YearMonth, &str), BTreeMap<&str, Sums>> = BTreeMap::new();
    for (month, product, channel, sums) in sales.monthly.prices() {
        let entry = groups
            .entry((month, sales.products.name(product)))
            .or_default()
            .entry(sales.channels.name(channel))
            .or_default();
        entry.0 += sums.amount.decimal();
        entry.1 += sums.quantity.decimal();
    }
    let mut conflicts = Vec::new();
    for ((month, product), channels) in groups {
        // Channels in name order (the map is sorted), prices ≤ 0 ignored.
        let prices: Vec<(&str, Price)> = channels
            .into_iter()
            .map(|(name, (amount, quantity))| (name, Price { amount, quantity }))
            .filter(|(_, p)| p.amount > Decimal::ZERO)
            .collect();
        if prices.len() < 2 {
            continue;
        }
        // Ties go to the first channel by name: strict comparisons keep the earlier one.
        let mut low = prices[0];
        let mut high = prices[0];
        for &candidate in &prices[1..] {
            if candidate.1.cmp(low.1) == Ordering::Less {
                low = candidate;
            }
            if candidate.1.cmp(high.1) == Ordering::Greater {
                high = candidate;
            }
        }
        // (high − low) / low > tolerance, decided exactly:
        // A_h·Q_l − A_l·Q_h > tolerance · A_l·Q_h.
        let (h, l) = (high.1, low.1);
        let exact = (|| {
            let left = h
                .amount
                .checked_mul(l.quantity)?
                .checked_sub(l.amount.checked_mul(h.quantity)?)?;
            let right = tolerance.checked_mul(l.amount.checked_mul(h.quantity)?)?;
            Some(left > right)
        })();
        let spread = match (h.value(), l.value()) {
            (Some(hv), Some(lv)) => ratio(hv - lv, lv),
            _ => None,
        };
        let is_conflict = exact.unwrap_or_else(|| spread.is_some_and(|s| s > tolerance));
        if is_conflict {
            conflicts.push((month, product, low, high, spread.unwrap_or_default()));
        }
    }
    conflicts.sort_by(|a, b| b.4.cmp(&a.4).then(a.0.cmp(&b.0)).then(a.1.cmp(b.1)));
    let mut table = Table::new(
        "channels_price_conflicts",
        &[
            ("month", Kind::Month),
            ("product", Kind::Text),
            ("low_channel", Kind::Text),
            ("low_price", Kind::Money),
            ("high_channel", Kind::Text),
            ("high_price", Kind::Money),
            ("spread", Kind::Ratio),
        ],
    );
    for (month, product, low, high, spread) in conflicts {
        table.push(vec![
            Some(month.to_string().into()),
            Some(product.into()),
            Some(low.0.into()),
            low.1.value().map(Value::from),
            Some(high.0.into()),
            high.1.value().map(Value::from),
            Some(spread.into()),
        ]);
    }
    table
}

/// `channels_territory_conflicts`: TTM sales of listed partners outside their territory.
/// A partner's sales in a region outside its territory over the trailing twelve months
/// (`channels_territory_conflicts`).
#[derive(Debug, Clone)]
pub struct TerritoryConflict {
    pub partner: String,
    pub region: String,
    pub rows: u64,
    pub amount: Money,
}

/// By amount descending, then partner and region.
fn territory_conflicts(plan: &ChannelsPlan, sales: &SalesFacts) -> Vec<TerritoryConflict> {
    let territories: BTreeMap<&str, BTreeSet<&str>> = plan
        .partners
        .iter()
        .filter_map(|p| {
            p.territory
                .as_ref()
                .map(|t| (p.name.as_str(), t.iter().map(String::as_str).collect()))
        })
        .collect();
    let mut groups: BTreeMap<(&str, &str), (u64, Money)> = BTreeMap::new();
    // The pass kept the trailing twelve months only.
    for (&(partner, region), sums) in &sales.partner_regions {
        let (partner, region) = (sales.partners.name(partner), sales.regions.name(region));
        if territories
            .get(partner)
            .is_some_and(|t| !t.contains(region))
        {
            let entry = groups.entry((partner, region)).or_default();
            entry.0 += sums.rows;
            entry.1 += sums.amount;
        }
    }
    let mut rows: Vec<_> = groups.into_iter().collect();
    rows.sort_by(|a, b| b.1 .1.cmp(&a.1 .1).then(a.0.cmp(&b.0)));
    rows.into_iter()
        .map(|((partner, region), (rows, amount))| TerritoryConflict {
            partner: partner.to_string(),
            region: region.to_string(),
            rows,
            amount,
        })
        .collect()
}

/// `channels_territory_conflicts`, for the CSV and model.json.
fn territory_table(conflicts: &[TerritoryConflict]) -> Table {
    let mut table = Table::new(
        "channels_territory_conflicts",
        &[
            ("partner", Kind::Text),
            ("region", Kind::Text),
            ("rows", Kind::Integer),
            ("amount", Kind::Money),
        ],
    );
    for c in conflicts {
        table.push(vec![
            Some(c.partner.as_str().into()),
            Some(c.region.as_str().into()),
            Some(c.rows.into()),
            Some(c.amount.into()),
        ]);
    }
    table
}
