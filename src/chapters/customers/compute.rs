//! Chapter 5 computations (FORMAT.md §7.5), all over the trailing twelve months:
//! satisfaction (CSAT) and NPS from surveys, complaint SLAs, membership tiers from spend
//! and orders, and RFM segments.

use chrono::{Duration, NaiveDateTime};
use rust_decimal::Decimal;

use crate::chapters::customers::plan::{CustomersPlan, Sla};
use crate::data::feedback::{ComplaintFacts, ComplaintRecord, NpsSegment, SurveyFacts};
use crate::data::sales::{CustomerTally, SalesFacts};
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
    for tally in sales.customers.values() {
        let orders = tally.order_count();
        // The highest qualifying tier is the last one in list order whose thresholds hold.
        let tier = tiers
            .iter()
            .rposition(|t| {
                tally.spend.decimal() >= t.min_spend && orders >= u64::from(t.min_orders)
            })
            .unwrap_or(tiers.len());
        counts[tier].0 += 1;
        counts[tier].1 += tally.spend;
        total += tally.spend;
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

/// Scores 1-5 by rank, by position in `customers` (sorted by id): customers are ordered by
/// `key`, better later, ties by customer id; score = 1 + floor(5 × position / n).
fn scores<K: Ord>(
    customers: &[(&str, CustomerTally)],
    key: impl Fn(&CustomerTally) -> K,
) -> Vec<u64> {
    // Positions in `customers` follow the ids, so they break ties by id.
    let mut order: Vec<(K, usize)> = customers
        .iter()
        .enumerate()
        .map(|(i, (_, tally))| (key(tally), i))
        .collect();
    order.sort_unstable();
    let n = order.len() as u64;
    let mut score = vec![0; customers.len()];
    for (pos, &(_, i)) in order.iter().enumerate() {
        score[i] = 1 + 5 * pos as u64 / n;
    }
    score
}

/// Every customer, sorted by id. The ids lie apart in memory, so each is compared by its
/// first 16 bytes as one integer first (zero-padded: that order is the bytes' order) and
/// only a tie reads the bytes.
fn by_id<'a, T>(customers: impl Iterator<Item = (&'a str, T)>) -> Vec<(&'a str, T)> {
    let prefix = |id: &str| {
        let mut head = [0u8; 16];
        let n = id.len().min(16);
        head[..n].copy_from_slice(&id.as_bytes()[..n]);
        u128::from_be_bytes(head)
    };
    let mut keyed: Vec<(u128, &str, T)> = customers
        .map(|(id, tally)| (prefix(id), id, tally))
        .collect();
    keyed.sort_unstable_by(|a, b| a.0.cmp(&b.0).then_with(|| a.1.cmp(b.1)));
    keyed
        .into_iter()
        .map(|(_, id, tally)| (id, tally))
        .collect()
}

fn rfm_rows(sales: &SalesFacts, periods: &Periods) -> Vec<RfmRow> {
    let customers = by_id(sales.customers.iter());
    // R: more days since the last purchase is worse, so it comes first.
    let days = |t: &CustomerTally| t.last.map_or(i64::MAX, |d| (periods.as_of - d).num_days());
    // Millions of customers take three sorts of their own: M (money compares) on a
    // thread, R and F here.
    let (r, f, m) = std::thread::scope(|scope| {
        let m = scope.spawn(|| scores(&customers, |t| t.spend));
        let r = scores(&customers, |t| std::cmp::Reverse(days(t)));
        let f = scores(&customers, CustomerTally::order_count);
        (r, f, m.join().expect("the M scores thread"))
    });
    let mut totals = [(0u64, Money::ZERO); 6];
    for (i, (_, tally)) in customers.iter().enumerate() {
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
        totals[segment].1 += tally.spend;
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
        let got: Vec<&str> = by_id(ids.iter().map(|&id| (id, ())))
            .into_iter()
            .map(|(id, ())| id)
            .collect();
        let mut expected = ids.to_vec();
        expected.sort_by(|a, b| a.as_bytes().cmp(b.as_bytes()));
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

    #[test]
    fn rfm_scores_by_rank_with_ties_by_customer_id() {
        // Seven customers with equal spend: ranks follow the customer id, and the score of
        // position p is 1 + floor(5p/7): 1, 1, 2, 3, 3, 4, 5.
        let tally = CustomerTally {
            spend: Money::from_units(10),
            last: NaiveDate::from_ymd_opt(2027, 1, 1),
            ..CustomerTally::default()
        };
        let ids = ["C1", "C2", "C3", "C4", "C5", "C6", "C7"];
        let customers: Vec<(&str, CustomerTally)> =
            ids.iter().map(|id| (*id, tally.clone())).collect();
        let m = scores(&customers, |t| t.spend);
        assert_eq!(m, [1, 1, 2, 3, 3, 4, 5]);
    }

    #[test]
    fn median_of_even_counts_is_the_mean_of_the_middle_two() {
        let v = [Decimal::from(1), Decimal::from(24), Decimal::new(240167, 4)];
        assert_eq!(median(&v[..2]), Some(Decimal::new(125, 1)));
        assert_eq!(median(&v), Some(Decimal::from(24)));
    }
}
