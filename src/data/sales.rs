//! The `sales` dataset (FORMAT.md §4): typed order lines, aggregated as they stream in at
//! the segment grain (see [`super::daily`]) every window of the chapters is cut from.

use std::collections::BTreeMap;

use chrono::NaiveDate;

use super::customers::{Customers, OrderPairs, NO_CUSTOMER};
use super::daily::{Daily, IdMaps, Segments};
pub use super::daily::{DayKey, RepDay};
use super::hashing::{FastMap, OrderMap};
use super::intern::Names;
use super::monthly::Monthly;
pub use super::monthly::PriceSums;
use super::reader::{AnyOrder, CellError, ColumnDef, ForkJoin, Row, Schema, Sink};
use super::values::{parse_amount, parse_date, parse_exact};
use crate::money::{Exact, Money};
use crate::period::{DateRange, YearMonth};

// Column indexes in [`schema`] order.
const DATE: usize = 0;
const ORDER_ID: usize = 1;
const CUSTOMER_ID: usize = 2;
const PRODUCT: usize = 3;
const PRODUCT_LINE: usize = 4;
const REGION: usize = 5;
const CHANNEL: usize = 6;
const REP: usize = 7;
const PARTNER: usize = 8;
const QUANTITY: usize = 9;
const UNIT_PRICE: usize = 10;
const AMOUNT: usize = 11;
const COST: usize = 12;

/// The columns of the sales dataset.
pub fn schema() -> Schema {
    Schema {
        dataset: "sales",
        columns: vec![
            ColumnDef::required("date"),
            ColumnDef::optional("order_id"),
            ColumnDef::optional("customer_id"),
            ColumnDef::required("product"),
            ColumnDef::required("product_line"),
            ColumnDef::required("region"),
            ColumnDef::required("channel"),
            ColumnDef::optional("rep"),
            ColumnDef::optional("partner"),
            ColumnDef::required("quantity"),
            ColumnDef::optional("unit_price"),
            ColumnDef::required("amount"),
            ColumnDef::optional("cost"),
        ],
    }
}

/// One valid order line, borrowing its text from the record.
#[derive(Debug)]
pub struct SaleLine<'r> {
    pub date: NaiveDate,
    pub order_id: Option<&'r str>,
    pub customer_id: Option<&'r str>,
    pub product: &'r str,
    pub product_line: &'r str,
    pub region: &'r str,
    pub channel: &'r str,
    pub rep: Option<&'r str>,
    pub partner: Option<&'r str>,
    pub quantity: Exact,
    pub unit_price: Option<Money>,
    pub amount: Money,
    pub cost: Option<Money>,
}

/// What the sales pass needs to know before it starts: windows that are cut per row.
#[derive(Debug, Default, Clone)]
pub struct SalesOptions {
    pub date_format: Option<String>,
    /// The trailing twelve months (customers, RFM, tiers).
    pub ttm: Option<DateRange>,
    /// Each promotion's full date range and channels (`None` = all).
    pub promotions: Vec<PromotionScope>,
    /// A guess at the latest valid date that the windows above were cut at: a row after
    /// it proves the guess wrong, and the pass gives up (see [`SalesFacts::gave_up`]).
    pub as_of_guess: Option<NaiveDate>,
    /// Where the chapters' windows start or end (see [`super::daily`]): the first days of
    /// segments beside every month's first day.
    pub cuts: Vec<NaiveDate>,
}

/// Where a promotion's orders are counted: its dates and channels.
#[derive(Debug, Clone)]
pub struct PromotionScope {
    pub range: DateRange,
    pub channels: Option<Vec<String>>,
}

/// Trailing-twelve-month totals across all rows.
#[derive(Debug, Default, Clone)]
pub struct TtmTally {
    /// Revenue by product.
    pub products: FastMap<u32, Money>,
    /// The (order, customer) pairs of the rows with an order id, and rows without one.
    pub orders: OrderPairs,
    pub loose_rows: u64,
    /// Σ amount and Σ cost over the rows that carry a cost (gross margin).
    pub amount_with_cost: Money,
    pub cost: Money,
}

impl TtmTally {
    pub fn order_count(&self) -> u64 {
        self.orders.len() as u64 + self.loose_rows
    }
}

/// The orders seen inside a promotion's date range, cut at as_of later.
#[derive(Debug, Default, Clone)]
pub struct PromotionTally {
    /// Order fingerprint → the first day it has a row in the range.
    pub orders: OrderMap<NaiveDate>,
    /// Rows without an order id, by day.
    pub loose_rows: BTreeMap<NaiveDate, u64>,
}

impl PromotionTally {
    /// Distinct orders (or rows) with a row on or before `last`.
    pub fn orders_until(&self, last: NaiveDate) -> u64 {
        let ids = self.orders.values().filter(|d| **d <= last).count() as u64;
        ids + self.loose_rows.range(..=last).map(|(_, n)| n).sum::<u64>()
    }
}

/// A 64-bit fingerprint of an order id (see [`OrderPairs`]).
fn order_fingerprint(order: &str) -> u64 {
    xxhash_rust::xxh3::xxh3_64(order.as_bytes())
}

/// Rows and amount a partner sold into a region.
#[derive(Debug, Default, Clone, Copy)]
pub struct PartnerSums {
    pub rows: u64,
    pub amount: Money,
}

/// Everything the chapters need from the sales rows, built in one streaming pass.
#[derive(Debug, Default)]
pub struct SalesFacts {
    options: SalesOptions,
    pub products: Names,
    pub product_lines: Names,
    pub regions: Names,
    pub channels: Names,
    pub reps: Names,
    pub partners: Names,
    /// Σ amount by segment (see [`super::daily`]) × product line × region × channel, and
    /// revenue and margin by segment × rep (the commission engine).
    pub daily: Daily,
    /// Σ amount and Σ quantity by calendar month × product, rows up to as_of
    /// (elasticity), and by month × product × channel over the trailing twelve months'
    /// rows with quantity > 0 (effective prices).
    pub monthly: Monthly,
    /// Rows and Σ amount by partner × region over the trailing twelve months, for
    /// territory conflicts.
    pub partner_regions: FastMap<(u32, u32), PartnerSums>,
    /// Customers with a purchase in the trailing twelve months.
    pub customers: Customers,
    /// Orders inside each promotion's date range, in `options.promotions` order.
    pub promotions: Vec<PromotionTally>,
    /// Trailing-twelve-month figures for the KPIs and product analyses.
    pub ttm: TtmTally,
    pub first_date: Option<NaiveDate>,
    pub last_date: Option<NaiveDate>,
    /// A valid row came after `options.as_of_guess`.
    beyond_guess: bool,
    dates: DateCache,
}

impl SalesFacts {
    pub fn new(options: SalesOptions) -> Self {
        let promotions = options
            .promotions
            .iter()
            .map(|_| PromotionTally::default())
            .collect();
        SalesFacts {
            daily: Daily::new(Segments::new(&options.cuts)),
            options,
            promotions,
            ..SalesFacts::default()
        }
    }

    /// Counts the distinct orders once the pass is over (see [`OrderPairs::settle`]),
    /// overall and by customer.
    pub fn settle(&mut self) {
        self.ttm.orders.settle();
        self.customers.count_orders(&self.ttm.orders);
    }

    fn names_mut(&mut self) -> [&mut Names; 6] {
        [
            &mut self.products,
            &mut self.product_lines,
            &mut self.regions,
            &mut self.channels,
            &mut self.reps,
            &mut self.partners,
        ]
    }

    /// Σ amount of the rows in `range` that `keep` selects. The range must have been given
    /// to the pass as cuts (see [`super::daily`]), as for every query here.
    pub fn revenue(&self, range: DateRange, keep: impl Fn(&DayKey) -> bool) -> Money {
        let mut sum = Money::ZERO;
        self.daily.for_each_in(range, |k, v| {
            if keep(k) {
                sum += v;
            }
        });
        sum
    }

    /// Σ amount of every row in `range`.
    pub fn total(&self, range: DateRange) -> Money {
        let mut sum = Money::ZERO;
        self.daily.segment_sums_in(range, |_, v| sum += v);
        sum
    }

    /// Σ amount in `range` per calendar month.
    pub fn revenue_by_month(&self, range: DateRange) -> FastMap<YearMonth, Money> {
        let mut out: FastMap<YearMonth, Money> = FastMap::default();
        self.daily.segment_sums_in(range, |date, v| {
            *out.entry(YearMonth::of(date)).or_default() += v;
        });
        out
    }

    /// Σ amount in `range` per id of the dimension `dim` picks.
    pub fn revenue_by(
        &self,
        range: DateRange,
        dim: impl Fn(&DayKey) -> u32,
    ) -> FastMap<u32, Money> {
        let mut out: FastMap<u32, Money> = FastMap::default();
        self.daily.for_each_in(range, |k, v| {
            *out.entry(dim(k)).or_default() += v;
        });
        out
    }

    /// Whether any sales row falls in `range`.
    pub fn has_sales_in(&self, range: DateRange) -> bool {
        let mut any = false;
        self.daily.for_each_in(range, |_, _| any = true);
        any
    }
}

/// The old-to-new id table of one side of a join: 0 = the sink joined into, 1 = the fork.
fn pick(maps: &(Vec<u32>, Vec<u32>), side: usize) -> &[u32] {
    if side == 0 {
        &maps.0
    } else {
        &maps.1
    }
}

/// Both sides' cells under their new keys, added up where they meet.
fn rekey<K, V>(
    mine: FastMap<K, V>,
    theirs: FastMap<K, V>,
    key: impl Fn(usize, K) -> K,
) -> FastMap<K, V>
where
    K: std::hash::Hash + Eq,
    V: Combine + Default,
{
    let mut out: FastMap<K, V> = FastMap::default();
    out.reserve(mine.len().max(theirs.len()));
    for (side, cells) in [mine, theirs].into_iter().enumerate() {
        for (k, v) in cells {
            out.entry(key(side, k)).or_default().add(v);
        }
    }
    out
}

/// An aggregate cell that two reads of different rows can be added into.
trait Combine {
    fn add(&mut self, other: Self);
}

impl Combine for Money {
    fn add(&mut self, other: Self) {
        *self += other;
    }
}

impl Combine for PartnerSums {
    fn add(&mut self, other: Self) {
        self.rows += other.rows;
        self.amount += other.amount;
    }
}

fn min_some<T: Ord>(a: Option<T>, b: Option<T>) -> Option<T> {
    match (a, b) {
        (Some(a), Some(b)) => Some(a.min(b)),
        (a, b) => a.or(b),
    }
}

fn invalid(col: usize) -> impl FnOnce(String) -> CellError {
    move |message| CellError::new(col, message)
}

/// Parses one sales row into its typed form, or the reason it is invalid.
#[inline]
pub fn parse_sale<'r>(
    row: &Row<'r>,
    date_format: Option<&str>,
    dates: &mut DateCache,
) -> Result<SaleLine<'r>, CellError> {
    let date = dates
        .parse(row.require(DATE)?, date_format)
        .map_err(invalid(DATE))?;
    let quantity = parse_exact(row.require(QUANTITY)?).map_err(invalid(QUANTITY))?;
    let amount = parse_amount(row.require(AMOUNT)?).map_err(invalid(AMOUNT))?;
    let optional_money = |col: usize| -> Result<Option<Money>, CellError> {
        row.get(col)
            .map(|v| parse_amount(v).map_err(invalid(col)))
            .transpose()
    };
    Ok(SaleLine {
        date,
        order_id: row.get(ORDER_ID),
        customer_id: row.get(CUSTOMER_ID),
        product: row.require(PRODUCT)?,
        product_line: row.require(PRODUCT_LINE)?,
        region: row.require(REGION)?,
        channel: row.require(CHANNEL)?,
        rep: row.get(REP),
        partner: row.get(PARTNER),
        quantity,
        unit_price: optional_money(UNIT_PRICE)?,
        amount,
        cost: optional_money(COST)?,
    })
}

/// The last date text parsed and its date: rows of one day follow each other in most
/// exports, so most rows' dates are a comparison of a few bytes.
#[derive(Debug, Default, Clone)]
pub struct DateCache {
    text: [u8; 32],
    len: usize,
    date: Option<NaiveDate>,
}

impl DateCache {
    #[inline]
    fn parse(&mut self, text: &str, format: Option<&str>) -> Result<NaiveDate, String> {
        if let Some(date) = self.date {
            if text.as_bytes() == &self.text[..self.len] {
                return Ok(date);
            }
        }
        let date = parse_date(text, format)?;
        if text.len() <= self.text.len() {
            self.text[..text.len()].copy_from_slice(text.as_bytes());
            self.len = text.len();
            self.date = Some(date);
        }
        Ok(date)
    }
}

/// The latest valid sales date: what `as_of` defaults to. A quick first pass when neither
/// the command line nor plan.yaml sets as_of.
#[derive(Debug, Default)]
pub struct LatestSale {
    pub date_format: Option<String>,
    pub latest: Option<NaiveDate>,
}

impl Sink for LatestSale {
    type Parsed<'r> = NaiveDate;

    /// Only a row that would move the latest date is parsed in full (its validity decides);
    /// for the others the date alone is read. Sorted files parse one row per day.
    fn parse<'r>(&mut self, row: &Row<'r>) -> Result<NaiveDate, CellError> {
        let format = self.date_format.as_deref();
        let date = parse_date(row.require(DATE)?, format).map_err(invalid(DATE))?;
        if self.latest.is_some_and(|latest| date <= latest) {
            return Ok(date);
        }
        parse_sale(row, format, &mut DateCache::default()).map(|line| line.date)
    }

    fn accept(&mut self, date: NaiveDate) {
        self.latest = Some(self.latest.map_or(date, |d| d.max(date)));
    }
}

/// The latest date does not depend on row order: large files are read in two halves.
impl AnyOrder for LatestSale {
    fn split(&self) -> Self {
        LatestSale {
            date_format: self.date_format.clone(),
            latest: None,
        }
    }

    fn merge(&mut self, second_half: Self) {
        self.latest = self.latest.max(second_half.latest);
    }

    fn quick_key(&self) -> Option<usize> {
        Some(DATE)
    }

    /// A row can move the latest date only with a valid date after it. An ISO date (or
    /// the ISO date a datetime starts with) is compared as text first: for these, text
    /// order is date order, so most rows of an unsorted file are skipped unparsed.
    fn skip_by_key(&self, value: &str) -> bool {
        if let (None, Some(latest)) = (&self.date_format, self.latest) {
            if let Some(day) = value.as_bytes().get(..10).filter(|d| is_iso_shaped(d)) {
                let mut text = [0u8; 10];
                if iso_text(latest, &mut text) && day <= &text[..] {
                    return true;
                }
            }
        }
        match parse_date(value, self.date_format.as_deref()) {
            Ok(date) => self.latest.is_some_and(|latest| date <= latest),
            Err(_) => true,
        }
    }
}

/// `YYYY-MM-DD` with ASCII digits.
fn is_iso_shaped(text: &[u8]) -> bool {
    text.len() == 10
        && text.iter().enumerate().all(|(i, &b)| {
            if i == 4 || i == 7 {
                b == b'-'
            } else {
                b.is_ascii_digit()
            }
        })
}

/// Writes `date` as `YYYY-MM-DD` into `out`; `false` for a year outside 0–9999.
fn iso_text(date: NaiveDate, out: &mut [u8; 10]) -> bool {
    use chrono::Datelike;
    let year = date.year();
    if !(0..=9999).contains(&year) {
        return false;
    }
    let digits = |n: u32, at: &mut [u8]| {
        let mut n = n;
        for b in at.iter_mut().rev() {
            *b = b'0' + (n % 10) as u8;
            n /= 10;
        }
    };
    digits(year as u32, &mut out[0..4]);
    out[4] = b'-';
    digits(date.month(), &mut out[5..7]);
    out[7] = b'-';
    digits(date.day(), &mut out[8..10]);
    true
}

impl Sink for SalesFacts {
    type Parsed<'r> = SaleLine<'r>;

    #[inline(always)]
    fn parse<'r>(&mut self, row: &Row<'r>) -> Result<SaleLine<'r>, CellError> {
        parse_sale(row, self.options.date_format.as_deref(), &mut self.dates)
    }

    #[inline(always)]
    fn accept(&mut self, line: SaleLine<'_>) {
        if self
            .options
            .as_of_guess
            .is_some_and(|guess| line.date > guess)
        {
            self.beyond_guess = true;
        }
        // The order id's fingerprint, hashed once and only if a window needs it.
        let mut order_fingerprint_once = None;
        let mut order =
            || *order_fingerprint_once.get_or_insert_with(|| line.order_id.map(order_fingerprint));
        let product = self.products.intern(line.product);
        let key = DayKey {
            date: line.date,
            product_line: self.product_lines.intern(line.product_line),
            region: self.regions.intern(line.region),
            channel: self.channels.intern(line.channel),
        };
        let rep = line.rep.map(|rep| (self.reps.intern(rep), line.cost));
        self.daily.add(key, line.amount, rep);
        let in_ttm = self.options.ttm.is_some_and(|ttm| ttm.contains(line.date));
        if let Some(partner) = line.partner {
            let partner = self.partners.intern(partner);
            if in_ttm {
                let sums = self
                    .partner_regions
                    .entry((partner, key.region))
                    .or_default();
                sums.rows += 1;
                sums.amount += line.amount;
            }
        }
        if let Some(ttm) = self.options.ttm {
            if line.date <= ttm.to {
                // Rows in the trailing twelve months with a quantity also price.
                let priced = in_ttm && line.quantity.is_positive();
                let sums = PriceSums {
                    amount: line.amount,
                    quantity: line.quantity,
                };
                self.monthly
                    .add(line.date, product, priced.then_some(key.channel), sums);
            }
            if ttm.contains(line.date) {
                *self.ttm.products.entry(product).or_default() += line.amount;
                if let Some(cost) = line.cost {
                    self.ttm.amount_with_cost += line.amount;
                    self.ttm.cost += cost;
                }
                let customer = line.customer_id.map(|id| {
                    let index = self.customers.index(id);
                    let loose = line.order_id.is_none();
                    self.customers
                        .add_purchase(index, line.amount, loose, line.date);
                    index
                });
                match order() {
                    Some(order) => self.ttm.orders.push(order, customer.unwrap_or(NO_CUSTOMER)),
                    None => self.ttm.loose_rows += 1,
                }
            }
        }
        for (scope, tally) in self
            .options
            .promotions
            .iter()
            .zip(self.promotions.iter_mut())
        {
            // The date first: most rows are outside every promotion.
            let in_scope = scope.range.contains(line.date)
                && scope
                    .channels
                    .as_ref()
                    .is_none_or(|c| c.iter().any(|c| c == line.channel));
            if in_scope {
                match order() {
                    Some(order) => {
                        let first = tally.orders.entry(order).or_insert(line.date);
                        *first = (*first).min(line.date);
                    }
                    None => *tally.loose_rows.entry(line.date).or_default() += 1,
                }
            }
        }
        self.first_date = Some(self.first_date.map_or(line.date, |d| d.min(line.date)));
        self.last_date = Some(self.last_date.map_or(line.date, |d| d.max(line.date)));
    }

    fn gave_up(&self) -> bool {
        self.beyond_guess
    }
}

/// Every aggregate is a sum, a set, a minimum or a maximum: chunks can be read apart.
impl ForkJoin for SalesFacts {
    fn fork(&self) -> Self {
        SalesFacts::new(self.options.clone())
    }

    fn begin_chunk(&mut self, chunk: u64) {
        for names in self.names_mut() {
            names.set_chunk(chunk);
        }
    }

    fn join(&mut self, other: Self) {
        self.beyond_guess |= other.beyond_guess;
        let SalesFacts {
            customers,
            promotions,
            ttm,
            ..
        } = other;
        // Names first (small tables: their new ids key everything else); then customers,
        // orders, promotions and the month grain on a thread of their own, the segment grain
        // and the rest here.
        let ids = |mine: &mut Names, theirs: &Names| mine.join(theirs);
        let products = ids(&mut self.products, &other.products);
        let lines = ids(&mut self.product_lines, &other.product_lines);
        let regions = ids(&mut self.regions, &other.regions);
        let channels = ids(&mut self.channels, &other.channels);
        let reps = ids(&mut self.reps, &other.reps);
        let partners = ids(&mut self.partners, &other.partners);
        let (my_customers, my_promotions, my_orders, my_monthly) = (
            &mut self.customers,
            &mut self.promotions,
            &mut self.ttm.orders,
            &mut self.monthly,
        );
        let (products, channels) = (&products, &channels);
        std::thread::scope(|scope| {
            scope.spawn(move || {
                let remap = my_customers.join(&customers);
                my_orders.append(ttm.orders, &remap);
                for (mine, theirs) in my_promotions.iter_mut().zip(promotions) {
                    mine.orders.reserve(theirs.orders.len());
                    for (order, day) in theirs.orders {
                        let first = mine.orders.entry(order).or_insert(day);
                        *first = (*first).min(day);
                    }
                    for (day, rows) in theirs.loose_rows {
                        *mine.loose_rows.entry(day).or_default() += rows;
                    }
                }
                my_monthly.join(
                    other.monthly,
                    (&products.0, &products.1),
                    (&channels.0, &channels.1),
                );
            });
            let side = |i: usize| IdMaps {
                product_lines: pick(&lines, i),
                regions: pick(&regions, i),
                channels: pick(channels, i),
                reps: pick(&reps, i),
            };
            self.daily.join(other.daily, &side(0), &side(1));
            self.partner_regions = rekey(
                std::mem::take(&mut self.partner_regions),
                other.partner_regions,
                |side, (p, r)| {
                    (
                        pick(&partners, side)[p as usize],
                        pick(&regions, side)[r as usize],
                    )
                },
            );
            self.ttm.products = rekey(
                std::mem::take(&mut self.ttm.products),
                ttm.products,
                |side, p| pick(products, side)[p as usize],
            );
        });
        self.ttm.loose_rows += ttm.loose_rows;
        self.ttm.amount_with_cost += ttm.amount_with_cost;
        self.ttm.cost += ttm.cost;
        self.first_date = min_some(self.first_date, other.first_date);
        self.last_date = self.last_date.max(other.last_date);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn iso_dates_compare_as_text_as_they_do_as_dates() {
        let mut text = [0u8; 10];
        let date = NaiveDate::from_ymd_opt(2026, 3, 9).unwrap();
        assert!(iso_text(date, &mut text));
        assert_eq!(&text, b"2026-03-09");
        assert!(is_iso_shaped(b"2026-03-09"));
        assert!(!is_iso_shaped(b"2026/03/09"));
        assert!(!is_iso_shaped(b"2026-3-9xx"));
        let sink = LatestSale {
            date_format: None,
            latest: Some(date),
        };
        // Earlier or equal ISO dates and datetimes are skipped; later ones are not, nor
        // are other spellings (parsed as before: 2026/3/10 is after the latest).
        assert!(sink.skip_by_key("2026-03-09"));
        assert!(sink.skip_by_key("2025-12-31 23:59:59"));
        assert!(!sink.skip_by_key("2026-03-10"));
        assert!(!sink.skip_by_key("2026/3/10"));
        assert!(sink.skip_by_key("2026/3/8"));
    }

    #[test]
    fn the_date_cache_answers_as_parsing_does() {
        let mut cache = DateCache::default();
        let day = |d| NaiveDate::from_ymd_opt(2027, 4, d).unwrap();
        for (text, expected) in [
            ("2027-04-05", Ok(day(5))),
            ("2027-04-05", Ok(day(5))),
            ("2027-02-30", Err(())),
            ("2027-04-05", Ok(day(5))),
            ("2027-4-6", Ok(day(6))),
            ("2027-04-05 00:00:00", Ok(day(5))),
            ("2027-04-0", Err(())),
            ("2027-4-6", Ok(day(6))),
        ] {
            assert_eq!(cache.parse(text, None).map_err(|_| ()), expected, "{text}");
            assert_eq!(parse_date(text, None).map_err(|_| ()), expected, "{text}");
        }
        // With a format, the cached text is read with that format.
        let mut cache = DateCache::default();
        assert_eq!(cache.parse("05/04/2027", Some("%d/%m/%Y")), Ok(day(5)));
        assert_eq!(cache.parse("05/04/2027", Some("%d/%m/%Y")), Ok(day(5)));
    }
}
