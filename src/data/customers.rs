//! Customers with a purchase in the trailing twelve months, and the (order, customer)
//! pairs their order counts come from.
//!
//! A few tens of thousands of customers outgrow the processor's caches, so a row's cost is
//! its cache misses, and every reading thread keeps a table of its own, so millions of
//! customers cost their entries twice. The table here keeps each customer in one 32-byte
//! entry found through a small slot array: the id inline when it is at most 15 bytes
//! (longer ones in an arena), the spend as 64-bit units at one scale for the table (exact
//! side tables past that, as in [`super::cells`]), the latest day and the rows without
//! an order id. A row touches a slot and an entry.
//! Distinct orders are not kept per customer: every row appends its (order, customer)
//! pair to one list, counted once when the pass is over ([`OrderPairs::settle`]).

use chrono::{Datelike, NaiveDate};

use super::cells::{money, units_at, MAX_COMPACT_SCALE};
use super::hashing::FastMap;
use super::intern::same_bytes;
use crate::money::Money;

/// One customer's trailing-twelve-month purchases.
#[derive(Debug, Default, Clone)]
pub struct CustomerTally {
    pub spend: Money,
    /// Distinct order ids, counted by [`Customers::count_orders`] after the pass.
    pub orders: u64,
    /// Rows without an order id: each is an order.
    pub loose_rows: u64,
    pub last: Option<NaiveDate>,
}

impl CustomerTally {
    pub fn order_count(&self) -> u64 {
        self.orders + self.loose_rows
    }
}

/// A customer's id and tally in 32 bytes, two to a cache line (see [`Customers`]).
#[derive(Debug, Clone, Copy)]
struct Entry {
    /// An id of up to 15 bytes inline, zero-padded, its length in the last byte; a longer
    /// one as its place in the arena (start, then length; last byte [`IN_ARENA`]).
    key: [u8; 16],
    /// Σ amount in units of the table's scale; [`IN_EXACT`]: in the exact side table.
    spend: i64,
    /// The latest purchase, in days from the common era ([`NO_DAY`]: none yet).
    last: i32,
    /// Rows without an order id; [`u32::MAX`]: the count is in the side table.
    loose_rows: u32,
}

const _: () = assert!(std::mem::size_of::<Entry>() == 32, "two to a cache line");

const IN_ARENA: u8 = 0xFF;
const IN_EXACT: i64 = i64::MIN;
const NO_DAY: i32 = i32::MIN;

/// The key of an id stored inline, or `None` for an id longer than 15 bytes.
#[inline]
fn inline_key(id: &[u8]) -> Option<[u8; 16]> {
    (id.len() < 16).then(|| {
        let mut key = [0u8; 16];
        key[..id.len()].copy_from_slice(id);
        key[15] = id.len() as u8;
        key
    })
}

/// Customers by id, in no particular order. A row touches a slot and one 32-byte entry
/// (and the arena only for an id longer than 15 bytes): with millions of customers each
/// of those is a cache miss, and the table is kept on every reading thread.
#[derive(Debug, Default)]
pub struct Customers {
    /// Entry index + 1 (0 = empty); a power of two in length, at most half taken.
    slots: Vec<u32>,
    entries: Vec<Entry>,
    /// The bytes of the ids longer than 15 bytes, one after another.
    arena: Vec<u8>,
    /// The scale of every entry's `spend`.
    scale: u32,
    /// Spends that left the 64-bit range (or had more decimals than it keeps), by index.
    exact_spend: FastMap<u32, Money>,
    /// Counts of rows without an order id past `u32::MAX - 1`, by index.
    big_loose: FastMap<u32, u64>,
    /// Distinct orders by index, set by [`Customers::count_orders`] after the pass.
    orders: Vec<u64>,
    /// The index returned last: an order's rows come together and share their customer.
    last: Option<u32>,
}

fn hash(id: &[u8]) -> u64 {
    xxhash_rust::xxh3::xxh3_64(id)
}

impl Customers {
    /// The index of customer `id`, added when new.
    pub fn index(&mut self, id: &str) -> u32 {
        let id = id.as_bytes();
        let key = inline_key(id);
        if let Some(last) = self.last {
            if self.is(&self.entries[last as usize], id, key) {
                return last;
            }
        }
        let h = hash(id);
        let index = match self.find(id, key, h) {
            Ok(i) => i,
            Err(slot) => self.add(id, key, slot),
        };
        self.last = Some(index);
        index
    }

    /// Whether `entry` is the customer `id` (whose inline key is `key`).
    #[inline]
    fn is(&self, entry: &Entry, id: &[u8], key: Option<[u8; 16]>) -> bool {
        match key {
            Some(key) => entry.key == key,
            None => entry.key[15] == IN_ARENA && same_bytes(self.id_bytes(entry), id),
        }
    }

    /// Adds a purchase of `amount` on `day` to the customer at `index`; `loose` when its
    /// row has no order id.
    #[inline]
    pub fn add_purchase(&mut self, index: u32, amount: Money, loose: bool, day: NaiveDate) {
        self.add_spend(index, amount);
        let entry = &mut self.entries[index as usize];
        entry.last = entry.last.max(day.num_days_from_ce());
        if loose {
            self.add_loose(index, 1);
        }
    }

    #[inline]
    fn add_spend(&mut self, index: u32, amount: Money) {
        let (units, scale) = amount.as_exact().parts();
        if scale > self.scale && scale <= MAX_COMPACT_SCALE {
            self.rescale(scale);
        }
        let entry = &mut self.entries[index as usize];
        if entry.spend != IN_EXACT {
            if let Some(sum) = units_at(units, scale, self.scale)
                .and_then(|u| entry.spend.checked_add(u))
                .filter(|&s| s != IN_EXACT)
            {
                entry.spend = sum;
                return;
            }
        }
        self.add_exact_spend(index, amount);
    }

    /// Adds into the side table, moving the entry's compact spend there first.
    #[cold]
    #[inline(never)]
    fn add_exact_spend(&mut self, index: u32, amount: Money) {
        let entry = &mut self.entries[index as usize];
        if entry.spend != IN_EXACT {
            let start = money(i128::from(entry.spend), self.scale);
            entry.spend = IN_EXACT;
            self.exact_spend.insert(index, start);
        }
        *self.exact_spend.entry(index).or_insert(Money::ZERO) += amount;
    }

    /// Raises the scale of every compact spend to `scale` (those that no longer fit move
    /// to the side table).
    #[cold]
    #[inline(never)]
    fn rescale(&mut self, scale: u32) {
        let factor = 10i64.pow(scale - self.scale);
        for (i, entry) in self.entries.iter_mut().enumerate() {
            if entry.spend == IN_EXACT {
                continue;
            }
            match entry.spend.checked_mul(factor).filter(|&s| s != IN_EXACT) {
                Some(scaled) => entry.spend = scaled,
                None => {
                    let spend = money(i128::from(entry.spend), self.scale);
                    entry.spend = IN_EXACT;
                    self.exact_spend.insert(i as u32, spend);
                }
            }
        }
        self.scale = scale;
    }

    fn add_loose(&mut self, index: u32, rows: u64) {
        let entry = &mut self.entries[index as usize];
        if entry.loose_rows != u32::MAX {
            match u32::try_from(u64::from(entry.loose_rows) + rows) {
                Ok(n) if n != u32::MAX => {
                    entry.loose_rows = n;
                    return;
                }
                _ => {
                    let start = u64::from(entry.loose_rows);
                    entry.loose_rows = u32::MAX;
                    self.big_loose.insert(index, start);
                }
            }
        }
        *self.big_loose.entry(index).or_insert(0) += rows;
    }

    /// The tally of the customer at `index`.
    fn tally(&self, index: u32) -> CustomerTally {
        let entry = &self.entries[index as usize];
        CustomerTally {
            spend: self.spend(index),
            orders: self.orders.get(index as usize).copied().unwrap_or(0),
            loose_rows: self.loose_rows(index),
            last: (entry.last != NO_DAY)
                .then(|| NaiveDate::from_num_days_from_ce_opt(entry.last))
                .flatten(),
        }
    }

    /// The spend of the customer at `index`.
    pub fn spend(&self, index: u32) -> Money {
        match self.entries[index as usize].spend {
            IN_EXACT => self.exact_spend[&index],
            units => money(i128::from(units), self.scale),
        }
    }

    fn loose_rows(&self, index: u32) -> u64 {
        match self.entries[index as usize].loose_rows {
            u32::MAX => self.big_loose[&index],
            n => u64::from(n),
        }
    }

    /// The orders of the customer at `index` (as [`CustomerTally::order_count`]).
    pub fn order_count(&self, index: u32) -> u64 {
        self.orders.get(index as usize).copied().unwrap_or(0) + self.loose_rows(index)
    }

    /// The index of `id` (hashing to `h`), or the empty slot where it would go.
    #[inline]
    fn find(&self, id: &[u8], key: Option<[u8; 16]>, h: u64) -> Result<u32, usize> {
        if self.slots.is_empty() {
            return Err(0);
        }
        let mask = self.slots.len() - 1;
        let mut i = h as usize & mask;
        loop {
            let e = self.slots[i];
            if e == 0 {
                return Err(i);
            }
            if self.is(&self.entries[e as usize - 1], id, key) {
                return Ok(e - 1);
            }
            i = (i + 1) & mask;
        }
    }

    /// The bytes of an id kept in the arena.
    fn id_bytes(&self, entry: &Entry) -> &[u8] {
        let start = u64::from_le_bytes(entry.key[..8].try_into().expect("8 bytes")) as usize;
        let len = u32::from_le_bytes(entry.key[8..12].try_into().expect("4 bytes")) as usize;
        &self.arena[start..start + len]
    }

    fn add(&mut self, id: &[u8], key: Option<[u8; 16]>, slot: usize) -> u32 {
        let index = u32::try_from(self.entries.len())
            .ok()
            .filter(|&i| i < NO_CUSTOMER)
            .expect("fewer than 4 billion customers");
        let key = key.unwrap_or_else(|| {
            let mut key = [0u8; 16];
            key[..8].copy_from_slice(&(self.arena.len() as u64).to_le_bytes());
            let len = u32::try_from(id.len()).expect("a field is at most 16 MiB");
            key[8..12].copy_from_slice(&len.to_le_bytes());
            key[15] = IN_ARENA;
            self.arena.extend_from_slice(id);
            key
        });
        if self.entries.len() == self.entries.capacity() {
            self.entries.reserve(self.entries.len().max(16));
            salesplan_csv::memory::huge_pages(&mut self.entries);
        }
        self.entries.push(Entry {
            key,
            spend: 0,
            last: NO_DAY,
            loose_rows: 0,
        });
        if self.entries.len() * 2 > self.slots.len() {
            self.grow(); // places every entry, this one too
        } else {
            self.slots[slot] = index + 1;
        }
        index
    }

    /// Doubles the slots and places every entry again (hashing the ids anew: entries keep
    /// none of the hash).
    fn grow(&mut self) {
        self.grow_to(self.slots.len() * 2);
    }

    /// Places every entry again in at least `slots` slots (a power of two, 16 or more).
    fn grow_to(&mut self, slots: usize) {
        let mut slots = vec![0u32; slots.next_power_of_two().max(16)];
        salesplan_csv::memory::huge_pages(&mut slots);
        let mask = slots.len() - 1;
        for (index, entry) in self.entries.iter().enumerate() {
            let mut i = hash(self.id(entry)) as usize & mask;
            while slots[i] != 0 {
                i = (i + 1) & mask;
            }
            slots[i] = index as u32 + 1;
        }
        self.slots = slots;
    }

    pub fn len(&self) -> usize {
        self.entries.len()
    }

    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// The id bytes of `entry`.
    fn id<'a>(&'a self, entry: &'a Entry) -> &'a [u8] {
        if entry.key[15] == IN_ARENA {
            self.id_bytes(entry)
        } else {
            &entry.key[..entry.key[15] as usize]
        }
    }

    /// The id of `entry` as text (ids are interned from UTF-8 fields).
    fn id_str<'a>(&'a self, entry: &'a Entry) -> &'a str {
        std::str::from_utf8(self.id(entry)).expect("customer ids come from UTF-8 text")
    }

    /// The id of the customer at `index` (indexes run up to [`Customers::len`]).
    pub fn id_of(&self, index: u32) -> &str {
        self.id_str(&self.entries[index as usize])
    }

    /// Days from the last purchase of the customer at `index` to `day` (`None` without
    /// one), without making a date of it.
    pub fn days_since_last(&self, index: u32, day: NaiveDate) -> Option<i64> {
        let last = self.entries[index as usize].last;
        (last != NO_DAY).then(|| i64::from(day.num_days_from_ce()) - i64::from(last))
    }

    /// The spend of the customer at `index` as a count of one unit shared by every
    /// customer (so counts compare as spends do), or `None` when it left the 64-bit range.
    pub fn spend_units(&self, index: u32) -> Option<i64> {
        Some(self.entries[index as usize].spend).filter(|&units| units != IN_EXACT)
    }

    /// Takes in the customers read from other rows; returns the new index of each of
    /// `other`'s indexes. Millions of customers miss the cache at every step, so the room
    /// is made first and the slot and entry of the customers a few steps ahead are asked
    /// for while the current one is placed.
    pub fn join(&mut self, other: &Customers) -> Vec<u32> {
        const AHEAD: usize = 16;
        if other.is_empty() {
            return Vec::new();
        }
        // At least one slot per two entries, so never none.
        let total = self.len() + other.len();
        if total > self.entries.capacity() {
            self.entries.reserve(total - self.entries.len());
            salesplan_csv::memory::huge_pages(&mut self.entries);
        }
        if total * 2 > self.slots.len() {
            self.grow_to(total * 2);
        }
        let hashes: Vec<u64> = other.entries.iter().map(|e| hash(other.id(e))).collect();
        let mask = self.slots.len() - 1;
        let mut remap = Vec::with_capacity(other.len());
        for (i, theirs) in other.entries.iter().enumerate() {
            if let Some(&ahead) = hashes.get(i + AHEAD) {
                salesplan_csv::memory::prefetch(&self.slots[ahead as usize & mask]);
            }
            if let Some(&near) = hashes.get(i + AHEAD / 2) {
                let e = self.slots[near as usize & mask];
                if let Some(entry) = e.checked_sub(1).and_then(|e| self.entries.get(e as usize)) {
                    salesplan_csv::memory::prefetch(entry);
                }
            }
            let id = other.id(theirs);
            let key = inline_key(id);
            let index = match self.find(id, key, hashes[i]) {
                Ok(index) => index,
                Err(slot) => self.add(id, key, slot),
            };
            let tally = other.tally(i as u32);
            self.add_spend(index, tally.spend);
            let entry = &mut self.entries[index as usize];
            entry.last = entry.last.max(theirs.last);
            if tally.loose_rows > 0 {
                self.add_loose(index, tally.loose_rows);
            }
            remap.push(index);
        }
        self.last = None;
        remap
    }

    /// Sets every customer's count of distinct order ids from the settled pairs.
    pub fn count_orders(&mut self, pairs: &OrderPairs) {
        self.orders = vec![0; self.entries.len()];
        for customer in pairs.distinct_pairs().map(|(_, c)| c) {
            if customer != NO_CUSTOMER {
                self.orders[customer as usize] += 1;
            }
        }
    }
}

/// The customer of a row without one.
pub const NO_CUSTOMER: u32 = u32::MAX;

/// The (order, customer) pairs of a window's rows that carry an order id: the order id's
/// 64-bit fingerprint and the customer's index in [`Customers`] (or [`NO_CUSTOMER`]).
/// 64 bits are enough to count distinct orders: among ten million distinct ids, two share
/// a fingerprint with probability below one in a million.
///
/// Pairs are appended as rows arrive (a repeat of the last one skipped: an order's lines
/// are usually adjacent) and sorted and deduplicated once, when the pass is over
/// ([`OrderPairs::settle`]): appending is cheap and cache-friendly where a set per
/// customer takes cache misses and allocations, and lists read by different threads join
/// by concatenation. Then the distinct orders are the distinct first halves, and each
/// customer's distinct orders are its pairs. Pairs are kept in two lists by the top bit of
/// the order's fingerprint, so that the two are sorted on two threads and no order is in
/// both.
#[derive(Debug, Default, Clone)]
pub struct OrderPairs {
    /// `order << 32 | customer`, by the order's top bit.
    halves: [Vec<u128>; 2],
    last: Option<u128>,
    /// Sorted and deduplicated since the last change.
    settled: bool,
    distinct_orders: usize,
}

impl OrderPairs {
    pub fn push(&mut self, order: u64, customer: u32) {
        let pair = u128::from(order) << 32 | u128::from(customer);
        if self.last != Some(pair) {
            self.halves[(order >> 63) as usize].push(pair);
            self.last = Some(pair);
            self.settled = false;
        }
    }

    /// Takes in the pairs of `other`, whose customer indexes become `customers[index]`.
    pub fn append(&mut self, other: OrderPairs, customers: &[u32]) {
        for (mine, theirs) in self.halves.iter_mut().zip(other.halves) {
            mine.reserve(theirs.len());
            mine.extend(theirs.into_iter().map(|pair| {
                let customer = pair as u32;
                let customer = if customer == NO_CUSTOMER {
                    NO_CUSTOMER
                } else {
                    customers[customer as usize]
                };
                pair >> 32 << 32 | u128::from(customer)
            }));
        }
        self.last = None;
        self.settled = false;
    }

    /// Sorts and deduplicates the pairs (each half on a thread of its own): needed before
    /// [`OrderPairs::len`].
    pub fn settle(&mut self) {
        if self.settled {
            return;
        }
        let settle = |pairs: &mut Vec<u128>| {
            pairs.sort_unstable();
            pairs.dedup();
            pairs.shrink_to_fit();
        };
        let [low, high] = &mut self.halves;
        std::thread::scope(|scope| {
            scope.spawn(|| settle(high));
            settle(low);
        });
        self.settled = true;
        // Pairs of one order are adjacent now.
        self.distinct_orders = self
            .distinct_pairs()
            .map(|(order, _)| order)
            .fold((0, None), |(n, last), order| {
                (n + usize::from(last != Some(order)), Some(order))
            })
            .0;
    }

    fn distinct_pairs(&self) -> impl Iterator<Item = (u64, u32)> + '_ {
        assert!(
            self.settled || self.is_empty(),
            "order pairs are counted after `settle`"
        );
        self.halves
            .iter()
            .flatten()
            .map(|&p| ((p >> 32) as u64, p as u32))
    }

    /// The number of distinct order ids.
    pub fn len(&self) -> usize {
        assert!(
            self.settled || self.is_empty(),
            "order pairs are counted after `settle`"
        );
        self.distinct_orders
    }

    pub fn is_empty(&self) -> bool {
        self.halves.iter().all(Vec::is_empty)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn customers_are_found_again_by_id_across_growth() {
        let mut customers = Customers::default();
        let ids: Vec<String> = (0..1000).map(|i| format!("C{i:05}")).collect();
        let indexes: Vec<u32> = ids.iter().map(|id| customers.index(id)).collect();
        // Indexes in order of first appearance, each id found again under its own.
        assert_eq!(indexes, (0..1000).collect::<Vec<u32>>());
        for (i, id) in ids.iter().enumerate().rev() {
            assert_eq!(customers.index(id), i as u32);
        }
        assert_eq!(customers.len(), 1000);
        // A prefix, an extension and the empty id are customers of their own.
        assert_eq!(customers.index("C0000"), 1000);
        assert_eq!(customers.index("C000000"), 1001);
        assert_eq!(customers.index(""), 1002);
        // Ids of 15 and 16 bytes (inline and in the arena), and one sharing a long prefix.
        let long = "L".repeat(16);
        assert_eq!(customers.index(&"L".repeat(15)), 1003);
        assert_eq!(customers.index(&long), 1004);
        assert_eq!(customers.index(&format!("{long}x")), 1005);
        assert_eq!(customers.index(&long), 1004);
        let names: Vec<&str> = (0..customers.len() as u32)
            .map(|i| customers.id_of(i))
            .collect();
        assert_eq!(names[999], "C00999");
        assert_eq!(names[1000..1003], ["C0000", "C000000", ""]);
        assert_eq!(names[1004], long);
    }

    #[test]
    fn joined_customers_add_their_tallies() {
        let day = |d| NaiveDate::from_ymd_opt(2027, 3, d).unwrap();
        let m = |text: &str| Money::new(text.parse().unwrap());
        let mut mine = Customers::default();
        let a = mine.index("A");
        mine.add_purchase(a, m("5"), false, day(2));
        let mut theirs = Customers::default();
        let b = theirs.index("B");
        theirs.add_purchase(b, m("7"), false, day(1));
        let a2 = theirs.index("A");
        // Two decimals rescale theirs; three rows without an order id.
        theirs.add_purchase(a2, m("0.25"), true, day(9));
        theirs.add_purchase(a2, m("0.75"), true, day(4));
        theirs.add_purchase(a2, m("0"), true, day(3));
        let remap = mine.join(&theirs);
        // B is new here (index 1); A keeps index 0: 5 + 0.25 + 0.75 + 0 = 6, latest day 9.
        assert_eq!(remap, [1, 0]);
        let a = mine.tally(0);
        assert_eq!((a.spend, a.loose_rows, a.last), (m("6"), 3, Some(day(9))));
        assert_eq!(mine.tally(1).spend, m("7"));
    }

    #[test]
    fn joining_thousands_finds_the_shared_customers_and_adds_the_new_ones() {
        // Mine: C0…C999, each spending its number. Theirs: C500…C2499, each spending 1:
        // 500 shared customers (past the prefetch distance and a regrowth of the slots).
        let day = NaiveDate::from_ymd_opt(2027, 3, 1).unwrap();
        let mut mine = Customers::default();
        for i in 0..1000 {
            let index = mine.index(&format!("C{i}"));
            mine.add_purchase(index, Money::from_units(i), false, day);
        }
        let mut theirs = Customers::default();
        for i in 500..2500 {
            let index = theirs.index(&format!("C{i}"));
            theirs.add_purchase(index, Money::from_units(1), true, day);
        }
        let remap = mine.join(&theirs);
        // Their C500…C999 are my indexes 500…999; C1000…C2499 are new, 1000…2499.
        assert_eq!(remap, (500..2500).collect::<Vec<u32>>());
        assert_eq!(mine.len(), 2500);
        for i in [0u32, 499, 500, 999, 1000, 2499] {
            assert_eq!(mine.id_of(i), format!("C{i}"));
            // Shared: i + 1; mine only: i; theirs only: 1.
            let spend = match i {
                0..=499 => i64::from(i),
                500..=999 => i64::from(i) + 1,
                _ => 1,
            };
            assert_eq!(mine.spend(i), Money::from_units(spend), "C{i}");
            assert_eq!(mine.order_count(i), u64::from(i >= 500), "C{i}");
        }
        // Found again by id after the join.
        assert_eq!(mine.index("C1500"), 1500);
        // Empty tables on either side (a worker that read no customer).
        assert!(mine.join(&Customers::default()).is_empty());
        assert!(Customers::default().join(&Customers::default()).is_empty());
        let mut empty = Customers::default();
        assert_eq!(empty.join(&theirs), (0..2000).collect::<Vec<u32>>());
        assert_eq!(empty.id_of(0), "C500");
    }

    #[test]
    fn spends_stay_exact_past_64_bits_and_nine_decimals() {
        let day = NaiveDate::from_ymd_opt(2027, 3, 1).unwrap();
        let m = |text: &str| Money::new(text.parse().unwrap());
        let mut customers = Customers::default();
        let a = customers.index("A");
        let b = customers.index("B");
        // i64::MAX / 100 ≈ 9.2e16 at two decimals: A's sum leaves the compact range.
        customers.add_purchase(a, m("90000000000000000.01"), false, day);
        customers.add_purchase(a, m("90000000000000000"), false, day);
        // Twelve decimals are more than the compact sums keep.
        customers.add_purchase(b, m("1"), false, day);
        customers.add_purchase(b, m("0.000000000001"), false, day);
        customers.add_purchase(b, m("2.5"), false, day);
        let spend = |i| customers.tally(i).spend.decimal().normalize().to_string();
        assert_eq!(spend(a), "180000000000000000.01");
        assert_eq!(spend(b), "3.500000000001");
    }

    #[test]
    fn pairs_count_distinct_orders_overall_and_per_customer() {
        // Fork 1: order 10 (customer 0) on three adjacent rows and again later, order 11
        // (customer 1), order 12 without a customer, order H (top bit set: the other
        // half) for customer 0. Fork 2 (its customer 0 is fork 1's customer 1, its 1 is a
        // new customer 2): order 11 for its 0 (a repeat of fork 1's pair), order 11 for
        // its 1 (one order of two customers), order 13 for its 0, order H for its 1.
        const H: u64 = 1 << 63 | 5;
        let mut first = OrderPairs::default();
        for (order, customer) in [
            (10, 0),
            (10, 0),
            (10, 0),
            (11, 1),
            (12, NO_CUSTOMER),
            (10, 0),
            (H, 0),
        ] {
            first.push(order, customer);
        }
        let mut second = OrderPairs::default();
        for (order, customer) in [(11, 0), (11, 1), (13, 0), (H, 1)] {
            second.push(order, customer);
        }
        first.append(second, &[1, 2]);
        first.settle();
        // Distinct orders: 10, 11, 12, 13, H.
        assert_eq!(first.len(), 5);
        let mut customers = Customers::default();
        for id in ["c0", "c1", "c2"] {
            customers.index(id);
        }
        customers.count_orders(&first);
        let orders: Vec<u64> = (0..3).map(|i| customers.tally(i).orders).collect();
        // c0: {10, H}; c1: {11, 13}; c2: {11, H}.
        assert_eq!(orders, [2, 2, 2]);
        assert!(OrderPairs::default().is_empty());
    }
}
