//! Chapter 5 computations (FORMAT.md §7.5), all over the trailing twelve months:
//! satisfaction (CSAT) and NPS from surveys, complaint SLAs, membership tiers from spend
//! and orders, and RFM segments.

use chrono::{Duration, NaiveDateTime};
use rust_decimal::Decimal;

use crate::chapters::customers::plan::{CustomersPlan, Sla};
use crate::data::customers::Customers;
use crate::data::feedback::{ComplaintFacts, ComplaintRecord, NpsSegment, SurveyFacts};
use crate::data::sales::SalesFacts;
use crate::model::table::{Kind, Table, Value};
use crate::model::Periods;
use crate::money::{ratio, Money};

/// Chapter 5 as computed; survey and complaint tables exist only with their datasets.
#[derive(Debug, Clone)]
pub struct CustomersModel {
    /// Each satisfaction dimension, in plan order (with a surveys dataset).
    pub csat_rows: Option<Vec<CsatRow>>,
    /// NPS of all responses, then by channel, then by quarter (with a surveys dataset).
    pub nps_rows: Option<Vec<NpsRow>>,
    /// Complaints by category, and over all of them (with a complaints dataset).
    pub complaint_rows: Option<Complaints>,
    /// The plan's membership tiers in list order, then the customers in none.
    pub tier_rows: Vec<TierRow>,
    /// The RFM segments in [`RFM_SEGMENTS`] order.
    pub rfm_rows: Vec<RfmRow>,
    /// The tables derived from the rows, for the CSV and model.json.
    pub csat: Option<Table>,
    pub nps: Option<Table>,
    pub complaints: Option<Table>,
    pub tiers: Table,
    pub rfm: Table,
    /// Unrounded NPS of all responses (the `nps` KPI uses it), if any.
    pub nps_all: Option<Decimal>,
}

impl CustomersModel {
    /// The tables in FORMAT.md order: csat, nps, complaints, tiers, rfm.
    pub fn tables(&self) -> Vec<&Table> {
        let mut tables: Vec<&Table> = Vec::new();
        tables.extend(self.csat.iter());
        tables.extend(self.nps.iter());
        tables.extend(self.complaints.iter());
        tables.extend([&self.tiers, &self.rfm]);
        tables
    }
}

pub fn compute(
    plan: &CustomersPlan,
    sales: &SalesFacts,
    surveys: Option<&SurveyFacts>,
    complaints: Option<&ComplaintFacts>,
    periods: &Periods,
) -> CustomersModel {
    let dimensions: Vec<String> = plan
        .survey
        .iter()
        .flat_map(|s| s.dimensions.clone())
        .collect();
    let csat_target = plan
        .survey
        .as_ref()
        .and_then(|s| s.targets.as_ref())
        .and_then(|t| t.csat);
    let sla = plan.complaints.as_ref().and_then(|c| c.sla.as_ref());
    let nps_all = surveys
        .and_then(|s| s.nps.get(&NpsSegment::All))
        .and_then(|t| nps(t.promoters, t.detractors, t.responses));
    let csat_rows = surveys.map(|s| csat_rows(s, &dimensions, csat_target));
    let nps_rows = surveys.map(nps_rows);
    let complaint_rows = complaints.map(|c| complaint_rows(&c.complaints, sla, periods));
    let tier_rows = tier_rows(plan, sales);
    let rfm_rows = rfm_rows(sales, periods);
    CustomersModel {
        csat: csat_rows.as_deref().map(csat_table),
        nps: nps_rows.as_deref().map(nps_table),
        complaints: complaint_rows.as_ref().map(complaints_table),
        tiers: tiers_table(&tier_rows),
        rfm: rfm_table(&rfm_rows),
        csat_rows,
        nps_rows,
        complaint_rows,
        tier_rows,
        rfm_rows,
        nps_all,
    }
}

/// One satisfaction dimension over the trailing twelve months (`customers_csat`).
#[derive(Debug, Clone)]
pub struct CsatRow {
    pub dimension: String,
    pub responses: u64,
    /// Mean score (1-5); `None` without responses.
    pub mean: Option<Decimal>,
    /// Share of scores of 4 or 5.
    pub satisfied_share: Option<Decimal>,
    pub target: Option<Decimal>,
}

fn csat_rows(
    surveys: &SurveyFacts,
    dimensions: &[String],
    target: Option<Decimal>,
) -> Vec<CsatRow> {
    dimensions
        .iter()
        .zip(&surveys.dimensions)
        .map(|(name, tally)| {
            let n = Decimal::from(tally.responses);
            CsatRow {
                dimension: name.clone(),
                responses: tally.responses,
                mean: ratio(Decimal::from(tally.sum), n),
                satisfied_share: ratio(Decimal::from(tally.satisfied), n),
                target,
            }
        })
        .collect()
}

fn csat_table(rows: &[CsatRow]) -> Table {
    let mut table = Table::new(
        "customers_csat",
        &[
            ("dimension", Kind::Text),
            ("responses", Kind::Integer),
            ("mean", Kind::Decimal4),
            ("satisfied_share", Kind::Ratio),
            ("target", Kind::Decimal4),
        ],
    );
    for r in rows {
        table.push(vec![
            Some(r.dimension.as_str().into()),
            Some(r.responses.into()),
            r.mean.map(Value::from),
            r.satisfied_share.map(Value::from),
            r.target.map(Value::from),
        ]);
    }
    table
}

/// 100 × (promoters − detractors) / responses.
fn nps(promoters: u64, detractors: u64, responses: u64) -> Option<Decimal> {
    let diff = Decimal::from(promoters) - Decimal::from(detractors);
    ratio(diff * Decimal::ONE_HUNDRED, Decimal::from(responses))
}

/// NPS of one segment of the survey responses (`customers_nps`).
#[derive(Debug, Clone)]
pub struct NpsRow {
    /// `all`, a channel, or a quarter as `YYYY-Qn`.
    pub segment: String,
    /// Whether the segment is a quarter (the trend chart's points).
    pub is_quarter: bool,
    pub responses: u64,
    pub promoters: u64,
    pub passives: u64,
    pub detractors: u64,
    pub nps: Option<Decimal>,
}

fn nps_rows(surveys: &SurveyFacts) -> Vec<NpsRow> {
    // The map is ordered All, channels by name, quarters chronologically; `all` is listed
    // even without a response.
    let mut rows = Vec::new();
    if !surveys.nps.contains_key(&NpsSegment::All) {
        rows.push(NpsRow {
            segment: "all".to_string(),
            is_quarter: false,
            responses: 0,
            promoters: 0,
            passives: 0,
            detractors: 0,
            nps: None,
        });
    }
    for (segment, t) in &surveys.nps {
        let (segment, is_quarter) = match segment {
            NpsSegment::All => ("all".to_string(), false),
            NpsSegment::Channel(c) => (c.clone(), false),
            NpsSegment::Quarter(year, q) => (format!("{year}-Q{q}"), true),
        };
        rows.push(NpsRow {
            segment,
            is_quarter,
            responses: t.responses,
            promoters: t.promoters,
            passives: t.passives,
            detractors: t.detractors,
            nps: nps(t.promoters, t.detractors, t.responses),
        });
    }
    rows
}

fn nps_table(rows: &[NpsRow]) -> Table {
    let mut table = Table::new(
        "customers_nps",
        &[
            ("segment", Kind::Text),
            ("responses", Kind::Integer),
            ("promoters", Kind::Integer),
            ("passives", Kind::Integer),
            ("detractors", Kind::Integer),
            ("nps", Kind::Decimal1),
        ],
    );
    for r in rows {
        table.push(vec![
            Some(r.segment.as_str().into()),
            Some(r.responses.into()),
            Some(r.promoters.into()),
            Some(r.passives.into()),
            Some(r.detractors.into()),
            r.nps.map(Value::from),
        ]);
    }
    table
}

/// How one complaint stands against one SLA limit at the end of as_of.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum SlaOutcome {
    Met,
    Breached,
    /// Not done yet, still within the limit: left out of the ratio.
    Pending,
}

/// `done` is when the step happened, if it happened by `end`.
fn sla_outcome(
    opened: NaiveDateTime,
    done: Option<NaiveDateTime>,
    limit: Duration,
    end: NaiveDateTime,
) -> SlaOutcome {
    match done {
        Some(at) if at - opened <= limit => SlaOutcome::Met,
        Some(_) => SlaOutcome::Breached,
        // Unanswered exactly at its limit is pending, not breached (§9).
        None if end - opened > limit => SlaOutcome::Breached,
        None => SlaOutcome::Pending,
    }
}

#[derive(Default)]
struct ComplaintGroup {
    count: u64,
    open: u64,
    response_hours: Vec<Decimal>,
    first: [u64; 2],
    resolution: [u64; 2],
}

impl ComplaintGroup {
    fn add(&mut self, c: &ComplaintRecord, sla: Option<&Sla>, end: NaiveDateTime) {
        // A response or resolution stamped after the end of as_of is not done yet.
        let answered = c.first_response.filter(|t| *t <= end);
        let resolved = c.resolved.filter(|t| *t <= end);
        self.count += 1;
        self.open += u64::from(resolved.is_none());
        if let Some(at) = answered {
            self.response_hours
                .push(Decimal::from((at - c.opened).num_seconds()) / Decimal::from(3600));
        }
        if let Some(sla) = sla {
            let tally = |slot: &mut [u64; 2], outcome| match outcome {
                SlaOutcome::Met => slot[0] += 1,
                SlaOutcome::Breached => slot[1] += 1,
                SlaOutcome::Pending => {}
            };
            tally(
                &mut self.first,
                sla_outcome(c.opened, answered, hours(sla.first_response_hours), end),
            );
            tally(
                &mut self.resolution,
                sla_outcome(
                    c.opened,
                    resolved,
                    hours(sla.resolution_days * Decimal::from(24)),
                    end,
                ),
            );
        }
    }

    fn row(mut self, category: String, sla: bool) -> ComplaintRow {
        self.response_hours.sort();
        let share =
            |slot: [u64; 2]| ratio(Decimal::from(slot[0]), Decimal::from(slot[0] + slot[1]));
        ComplaintRow {
            category,
            count: self.count,
            open: self.open,
            median_first_response_hours: median(&self.response_hours),
            first_response_sla: sla.then(|| share(self.first)).flatten(),
            resolution_sla: sla.then(|| share(self.resolution)).flatten(),
        }
    }
}

/// Complaints of one category, or of all (`customers_complaints`).
#[derive(Debug, Clone)]
pub struct ComplaintRow {
    pub category: String,
    pub count: u64,
    /// Not resolved by the end of as_of.
    pub open: u64,
    pub median_first_response_hours: Option<Decimal>,
    /// Shares of complaints that met each SLA (pending ones left out); `None` without one.
    pub first_response_sla: Option<Decimal>,
    pub resolution_sla: Option<Decimal>,
}

/// The complaints of the trailing twelve months.
#[derive(Debug, Clone)]
pub struct Complaints {
    /// By category: count descending, then name.
    pub categories: Vec<ComplaintRow>,
    /// Every complaint (the row `all`).
    pub all: ComplaintRow,
}

/// A limit in hours (may be fractional) as a duration, to the second.
fn hours(h: Decimal) -> Duration {
    let seconds = (h * Decimal::from(3600)).round();
    Duration::seconds(i64::try_from(seconds).unwrap_or(i64::MAX / 1_000_000))
}

fn median(sorted: &[Decimal]) -> Option<Decimal> {
    let n = sorted.len();
    match n {
        0 => None,
        _ if n % 2 == 1 => Some(sorted[n / 2]),
        _ => Some((sorted[n / 2 - 1] + sorted[n / 2]) / Decimal::TWO),
    }
}

fn complaint_rows(
    complaints: &[ComplaintRecord],
    sla: Option<&Sla>,
    periods: &Periods,
) -> Complaints {
    let end = (periods.as_of + Duration::days(1))
        .and_hms_opt(0, 0, 0)
        .expect("midnight exists");
    let mut groups: std::collections::BTreeMap<&str, ComplaintGroup> =
        std::collections::BTreeMap::new();
    let mut all = ComplaintGroup::default();
    for c in complaints {
        groups
            .entry(c.category.as_str())
            .or_default()
            .add(c, sla, end);
        all.add(c, sla, end);
    }
    let mut rows: Vec<(&str, ComplaintGroup)> = groups.into_iter().collect();
    // Categories by count desc, ties by name (the map is already in name order).
    rows.sort_by_key(|(_, group)| std::cmp::Reverse(group.count));
    Complaints {
        categories: rows
            .into_iter()
            .map(|(category, group)| group.row(category.to_string(), sla.is_some()))
            .collect(),
        all: all.row("all".to_string(), sla.is_some()),
    }
}

fn complaints_table(complaints: &Complaints) -> Table {
    let mut table = Table::new(
        "customers_complaints",
        &[
            ("category", Kind::Text),
            ("count", Kind::Integer),
            ("open", Kind::Integer),
            ("median_first_response_hours", Kind::Decimal4),
            ("first_response_sla", Kind::Ratio),
            ("resolution_sla", Kind::Ratio),
        ],
    );
    for r in complaints.categories.iter().chain([&complaints.all]) {
        table.push(vec![
            Some(r.category.as_str().into()),
            Some(r.count.into()),
            Some(r.open.into()),
            r.median_first_response_hours.map(Value::from),
            r.first_response_sla.map(Value::from),
            r.resolution_sla.map(Value::from),
        ]);
    }
    table
}

/// Customers of the trailing twelve months in one membership tier (`customers_tiers`).
#[derive(Debug, Clone)]
pub struct TierRow {
    /// The tier's name, or `none` for customers in no tier.
    pub tier: String,
    /// A tier of the plan (not the `none` row).
    pub member: bool,
    pub customers: u64,
    pub revenue: Money,
    pub revenue_share: Option<Decimal>,
}

fn tier_rows(plan: &CustomersPlan, sales: &SalesFacts) -> Vec<TierRow> {
    let tiers = plan
        .membership
        .as_ref()
        .map_or(&[][..], |m| m.tiers.as_slice());
    let mut counts = vec![(0u64, Money::ZERO); tiers.len() + 1];
    let mut total = Money::ZERO;
    // Thresholds as money once, not each customer's spend as a decimal per tier.
    let thresholds: Vec<(Money, u64)> = tiers
        .iter()
        .map(|t| (Money::new(t.min_spend), u64::from(t.min_orders)))
        .collect();
    let customers = &sales.customers;
    for index in 0..customers.len() as u32 {
        let (spent, orders) = (customers.spend(index), customers.order_count(index));
        // The highest qualifying tier is the last one in list order whose thresholds hold.
        let tier = thresholds
            .iter()
            .rposition(|&(spend, min_orders)| spent >= spend && orders >= min_orders)
            .unwrap_or(tiers.len());
        counts[tier].0 += 1;
        counts[tier].1 += spent;
        total += spent;
    }
    let names = tiers
        .iter()
        .map(|t| (t.name.as_str(), true))
        .chain(std::iter::once(("none", false)));
    names
        .zip(counts)
        .map(|((name, member), (customers, revenue))| TierRow {
            tier: name.to_string(),
            member,
            customers,
            revenue,
            revenue_share: revenue.ratio_to(total),
        })
        .collect()
}

fn tiers_table(rows: &[TierRow]) -> Table {
    let mut table = Table::new(
        "customers_tiers",
        &[
            ("tier", Kind::Text),
            ("customers", Kind::Integer),
            ("revenue", Kind::Money),
            ("revenue_share", Kind::Ratio),
        ],
    );
    for r in rows {
        table.push(vec![
            Some(r.tier.as_str().into()),
            Some(r.customers.into()),
            Some(r.revenue.into()),
            r.revenue_share.map(Value::from),
        ]);
    }
    table
}

/// The RFM segments in the order they are tested and listed.
pub const RFM_SEGMENTS: [&str; 6] = [
    "champions",
    "loyal",
    "new",
    "at_risk",
    "hibernating",
    "needs_attention",
];

/// RFM scores 1-5 by rank, by customer index: customers ordered by `keys[index]`, better
/// later, ties by id (`id(index)`); score = 1 + floor(5 × rank / n).
///
/// Only the order at the four rank boundaries matters: the score reaches k + 1 at rank
/// ceil(k × n / 5), so a customer whose key is the boundary's key on neither side of it
/// scores by its key alone (one more than the boundaries whose key it reaches). Only
/// the customers of a key that runs across a boundary are ranked by id among themselves.
/// Millions of customers then take one sort of their keys, not a sort by id.
fn scores<'a>(keys: &[u64], id: impl Fn(u32) -> &'a str + Sync) -> Vec<u8> {
    let n = keys.len();
    let score = |rank: usize| 1 + (5 * rank / n) as u8;
    let mut sorted = keys.to_vec();
    sorted.sort_unstable();
    // The first rank of each score past 1, and the key there.
    let boundaries: Vec<u64> = (1..5)
        .map(|k| (k * n).div_ceil(5))
        .filter(|&rank| rank < n)
        .map(|rank| sorted[rank])
        .collect();
    // Keys on both sides of a boundary (ranks r - 1 and r).
    let mut split: Vec<u64> = (1..5)
        .map(|k| (k * n).div_ceil(5))
        .filter(|&rank| rank < n && sorted[rank - 1] == sorted[rank])
        .map(|rank| sorted[rank])
        .collect();
    split.dedup();
    let mut scores: Vec<u8> = keys
        .iter()
        .map(|key| 1 + boundaries.iter().filter(|&b| b <= key).count() as u8)
        .collect();
    for &key in &split {
        let first = sorted.partition_point(|&k| k < key);
        let tied: Vec<u32> = (0u32..)
            .zip(keys)
            .filter(|&(_, &k)| k == key)
            .map(|(index, _)| index)
            .collect();
        for (offset, index) in by_id(tied, &id).into_iter().enumerate() {
            scores[index as usize] = score(first + offset);
        }
    }
    scores
}

/// A signed integer as an unsigned one of the same order.
fn ordered(value: i64) -> u64 {
    value as u64 ^ 1 << 63
}

/// `indexes` in the order of their ids (`id(index)`), plain byte order. The ids lie apart
/// in memory, so each is compared by its first 16 bytes as two integers first
/// (zero-padded: that order is the bytes' order) and only a tie reads the bytes. Many
/// are sorted in two halves on two threads and merged.
fn by_id<'a>(indexes: Vec<u32>, id: &(impl Fn(u32) -> &'a str + Sync)) -> Vec<u32> {
    type Key = (u64, u64, u32);
    let key = |index: u32| -> Key {
        let bytes = id(index).as_bytes();
        let mut head = [0u8; 16];
        let len = bytes.len().min(16);
        head[..len].copy_from_slice(&bytes[..len]);
        let [high, low] = [&head[..8], &head[8..]]
            .map(|half| u64::from_be_bytes(half.try_into().expect("8 bytes")));
        (high, low, index)
    };
    let cmp = |a: &Key, b: &Key| {
        (a.0, a.1)
            .cmp(&(b.0, b.1))
            .then_with(|| id(a.2).cmp(id(b.2)))
    };
    let mut keys: Vec<Key> = indexes.into_iter().map(key).collect();
    if keys.len() < 1 << 16 {
        keys.sort_unstable_by(cmp);
        return keys.into_iter().map(|k| k.2).collect();
    }
    let (half, len) = (keys.len() / 2, keys.len());
    let (low, high) = keys.split_at_mut(half);
    std::thread::scope(|scope| {
        scope.spawn(|| high.sort_unstable_by(cmp));
        low.sort_unstable_by(cmp);
    });
    let mut order = Vec::with_capacity(len);
    let (mut a, mut b) = (low.iter().peekable(), high.iter().peekable());
    while let (Some(x), Some(y)) = (a.peek(), b.peek()) {
        let next = if cmp(x, y).is_le() {
            a.next()
        } else {
            b.next()
        };
        order.extend(next.map(|k| k.2));
    }
    order.extend(a.chain(b).map(|k| k.2));
    order
}

/// Each customer's spend as an integer of the same order: its units at the table's one
/// scale, or (a spend past 64 bits) the rank of its spend among the distinct spends.
fn spend_keys(customers: &Customers) -> Vec<u64> {
    let n = customers.len() as u32;
    let units: Option<Vec<u64>> = (0..n)
        .map(|index| customers.spend_units(index).map(ordered))
        .collect();
    units.unwrap_or_else(|| {
        let spends: Vec<Money> = (0..n).map(|i| customers.spend(i)).collect();
        let mut distinct = spends.clone();
        distinct.sort_unstable();
        distinct.dedup();
        spends
            .iter()
            .map(|spend| distinct.partition_point(|d| d < spend) as u64)
            .collect()
    })
}

fn rfm_rows(sales: &SalesFacts, periods: &Periods) -> Vec<RfmRow> {
    let customers = &sales.customers;
    let n = u32::try_from(customers.len()).expect("customer indexes are 32-bit");
    // R: more days since the last purchase is worse, so it comes first.
    let r_keys: Vec<u64> = (0..n)
        .map(|i| {
            let days = customers.days_since_last(i, periods.as_of);
            !ordered(days.unwrap_or(i64::MAX))
        })
        .collect();
    let f_keys: Vec<u64> = (0..n).map(|i| customers.order_count(i)).collect();
    let id = |index| customers.id_of(index);
    // Three rankings of millions of customers: M on a thread, R and F here.
    let (r, f, m) = std::thread::scope(|scope| {
        let m = scope.spawn(|| scores(&spend_keys(customers), id));
        let r = scores(&r_keys, id);
        let f = scores(&f_keys, id);
        (r, f, m.join().expect("the M scores thread"))
    });
    let mut totals = [(0u64, Money::ZERO); 6];
    for i in 0..customers.len() {
        let (r, f, m) = (r[i], f[i], m[i]);
        let segment = if r >= 4 && f >= 4 && m >= 4 {
            0
        } else if f >= 4 {
            1
        } else if r >= 4 && f <= 2 {
            2
        } else if r <= 2 && f >= 3 {
            3
        } else if r <= 2 && f <= 2 {
            4
        } else {
            5
        };
        totals[segment].0 += 1;
        totals[segment].1 += customers.spend(i as u32);
    }
    RFM_SEGMENTS
        .iter()
        .zip(totals)
        .map(|(segment, (customers, revenue))| RfmRow {
            segment,
            customers,
            revenue,
        })
        .collect()
}

/// Customers of the trailing twelve months in one RFM segment (`customers_rfm`).
#[derive(Debug, Clone)]
pub struct RfmRow {
    pub segment: &'static str,
    pub customers: u64,
    pub revenue: Money,
}

fn rfm_table(rows: &[RfmRow]) -> Table {
    let mut table = Table::new(
        "customers_rfm",
        &[
            ("segment", Kind::Text),
            ("customers", Kind::Integer),
            ("revenue", Kind::Money),
        ],
    );
    for r in rows {
        table.push(vec![
            Some(r.segment.into()),
            Some(r.customers.into()),
            Some(r.revenue.into()),
        ]);
    }
    table
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn customers_sort_by_id_bytes_whatever_their_first_16_bytes() {
        // Ties in the first 16 bytes, one id a prefix of another, a NUL (the padding's
        // byte), multi-byte UTF-8: the order is plain byte order.
        let ids = [
            "C10",
            "abcdefghijklmnop2",
            "ab",
            "ab\0c",
            "abcdefghijklmnop10",
            "é",
            "C9",
            "a",
            "abcdefghijklmnop",
        ];
        let got: Vec<&str> = by_id((0..ids.len() as u32).collect(), &|i| ids[i as usize])
            .into_iter()
            .map(|i| ids[i as usize])
            .collect();
        let mut expected = ids.to_vec();
        expected.sort_by(|a, b| a.as_bytes().cmp(b.as_bytes()));
        assert_eq!(got, expected);
    }

    /// Pseudo-random numbers (a multiplicative hash of `i`), for test data.
    fn mix(i: u64) -> u64 {
        i.wrapping_mul(0x9E37_79B9_7F4A_7C15) >> 20
    }

    #[test]
    fn many_customers_sort_in_two_halves_as_in_one() {
        // 100,000 ids (past the two-thread threshold of 65,536), some sharing their first
        // 16 bytes: the merged order is plain byte order.
        let ids: Vec<String> = (0u64..100_000)
            .map(|i| match i % 7 {
                0 => format!("same-sixteen-by{}", mix(i)),
                _ => format!("C{}", mix(i)),
            })
            .collect();
        let got: Vec<&str> = by_id((0..ids.len() as u32).collect(), &|i| &ids[i as usize])
            .into_iter()
            .map(|i| ids[i as usize].as_str())
            .collect();
        let mut expected: Vec<&str> = ids.iter().map(String::as_str).collect();
        expected.sort();
        assert_eq!(got, expected);
    }

    use chrono::NaiveDate;

    fn at(s: &str) -> NaiveDateTime {
        NaiveDateTime::parse_from_str(s, "%Y-%m-%d %H:%M").unwrap()
    }

    #[test]
    fn sla_boundaries() {
        let end = at("2027-07-01 00:00");
        let day = Duration::hours(24);
        // Answered exactly at the limit: met; a minute later: breached.
        assert_eq!(
            sla_outcome(
                at("2027-06-01 10:00"),
                Some(at("2027-06-02 10:00")),
                day,
                end
            ),
            SlaOutcome::Met
        );
        assert_eq!(
            sla_outcome(
                at("2027-06-01 10:00"),
                Some(at("2027-06-02 10:01")),
                day,
                end
            ),
            SlaOutcome::Breached
        );
        // Unanswered, exactly at the limit at the end of as_of: pending, not breached.
        assert_eq!(
            sla_outcome(at("2027-06-30 00:00"), None, day, end),
            SlaOutcome::Pending
        );
        // Unanswered one hour past it: breached; within it: pending.
        assert_eq!(
            sla_outcome(at("2027-06-29 23:00"), None, day, end),
            SlaOutcome::Breached
        );
        assert_eq!(
            sla_outcome(at("2027-06-30 08:00"), None, day, end),
            SlaOutcome::Pending
        );
    }

    #[test]
    fn nps_is_promoters_minus_detractors_per_hundred() {
        // 10,9,9,8,7,6,3,10,0,9: promoters 5, passives 2, detractors 3 → 100 × 2 / 10 = 20.
        assert_eq!(nps(5, 3, 10), Some(Decimal::from(20)));
        assert_eq!(nps(0, 0, 0), None);
    }

    /// The scores by definition: every customer sorted by (key, id), score 1 + 5r/n.
    fn scores_by_sorting(keys: &[u64], ids: &[String]) -> Vec<u8> {
        let mut order: Vec<usize> = (0..keys.len()).collect();
        order.sort_by(|&a, &b| keys[a].cmp(&keys[b]).then(ids[a].cmp(&ids[b])));
        let mut scores = vec![0; keys.len()];
        for (rank, &i) in order.iter().enumerate() {
            scores[i] = 1 + (5 * rank / keys.len()) as u8;
        }
        scores
    }

    #[test]
    fn rfm_scores_by_rank_with_ties_by_customer_id() {
        // Seven customers with equal keys, C1…C7 at indexes 1, 3, 0, 5, 4, 6, 2: ranks
        // follow the id, and the score of rank r is 1 + floor(5r/7): C1 1, C2 1, C3 2,
        // C4 3, C5 3, C6 4, C7 5.
        let ids = ["C3", "C1", "C7", "C2", "C5", "C4", "C6"];
        let id = |i: u32| ids[i as usize];
        assert_eq!(scores(&[10; 7], id), [2, 1, 5, 1, 3, 3, 4]);
        // Keys 3, 1, 2, 1, 3 (ids in index order): ranks 3, 0, 2, 1, 4; scores 1 + r.
        assert_eq!(
            scores(&[3, 1, 2, 1, 3], |i| ["a", "b", "c", "d", "e"][i as usize]),
            [4, 1, 3, 2, 5]
        );
        assert!(scores(&[], id).is_empty());
        // One customer scores 1; two tied ones score 1 (C1, rank 0) and 3 (C3, rank 1:
        // 1 + floor(5/2)).
        assert_eq!(scores(&[4], id), [1]);
        assert_eq!(scores(&[4, 4], id), [3, 1]);
    }

    #[test]
    fn ranking_at_the_boundaries_only_agrees_with_sorting_everyone() {
        // Customers with ids in no order and keys drawn from ranges of 1 (everyone tied:
        // 100,000 of them, the two-thread sort), 3 and 50 (long runs across the score
        // boundaries) and 2^40 (almost no ties), for counts around multiples of 5.
        for (n, range) in [
            (1, 1),
            (2, 3),
            (3, 1),
            (4, 3),
            (5, 3),
            (6, 1),
            (7, 50),
            (99, 3),
            (1000, 50),
            (1001, 1 << 40),
            (20_000, 3),
            (100_000, 1),
        ] {
            let ids: Vec<String> = (0..n).map(|i| format!("K{}", mix(i + 7))).collect();
            let keys: Vec<u64> = (0..n).map(|i| mix(i) % range).collect();
            let got = scores(&keys, |i| &ids[i as usize]);
            assert_eq!(
                got,
                scores_by_sorting(&keys, &ids),
                "{n} customers, range {range}"
            );
        }
    }

    #[test]
    fn spends_rank_as_money_does_also_past_64_bits() {
        let day = NaiveDate::from_ymd_opt(2027, 3, 1).unwrap();
        let m = |text: &str| Money::new(text.parse().unwrap());
        let spends = ["5", "0.25", "-3", "5.00", "12"];
        let mut customers = Customers::default();
        for (i, spend) in spends.iter().enumerate() {
            let index = customers.index(&format!("C{i}"));
            customers.add_purchase(index, m(spend), false, day);
        }
        // Units at two decimals, signed: -3 < 0.25 < 5 = 5.00 < 12.
        let keys = spend_keys(&customers);
        assert!(keys[2] < keys[1] && keys[1] < keys[0] && keys[4] > keys[0]);
        assert_eq!(keys[0], keys[3]);
        // A spend past 64 bits: keys become ranks among the distinct spends.
        let big = customers.index("C5");
        customers.add_purchase(big, m("100000000000000000000"), false, day);
        assert_eq!(spend_keys(&customers), [2, 1, 0, 2, 3, 4]);
        // Signed keys keep their order as unsigned ones.
        assert!(ordered(-5) < ordered(0) && ordered(0) < ordered(7));
        assert!(ordered(i64::MIN + 1) < ordered(-1) && ordered(7) < ordered(i64::MAX));
    }

    #[test]
    fn median_of_even_counts_is_the_mean_of_the_middle_two() {
        let v = [Decimal::from(1), Decimal::from(24), Decimal::new(240167, 4)];
        assert_eq!(median(&v[..2]), Some(Decimal::new(125, 1)));
        assert_eq!(median(&v), Some(Decimal::from(24)));
    }
}
