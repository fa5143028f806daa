//! Customers with a purchase in the trailing twelve months, and the (order, customer)
//! pairs their order counts come from.
//!
//! A few tens of thousands of customers outgrow the processor's caches, so a row's cost is
//! its cache misses. The table here keeps each customer's id bytes (in an arena, dense and
//! small) and tally in one 64-byte entry found through a small slot array: a row touches
//! a slot and an entry, where interning the id and indexing a tally touched four places.
//! Distinct orders are not kept per customer: every row appends its (order, customer)
//! pair to one list, counted once when the pass is over ([`OrderPairs::settle`]).

use chrono::NaiveDate;

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

    /// Adds the purchases of the same customer read elsewhere (orders are counted later).
    fn add(&mut self, other: &CustomerTally) {
        self.spend += other.spend;
        self.loose_rows += other.loose_rows;
        self.last = self.last.max(other.last);
    }
}

/// A customer: the id's place in the arena, 32 bits of its hash (compared before the
/// bytes), and the tally, on one cache line.
#[derive(Debug, Clone)]
#[repr(align(64))]
struct Entry {
    /// The id is `ids[start..start + len]` (a field is at most 16 MiB: `len` fits).
    start: u64,
    len: u32,
    tag: u32,
    tally: CustomerTally,
}

const _: () = assert!(std::mem::size_of::<Entry>() == 64, "one cache line");

/// Customers by id, in no particular order.
#[derive(Debug, Default)]
pub struct Customers {
    /// Entry index + 1 (0 = empty); a power of two in length, at most half taken.
    slots: Vec<u32>,
    entries: Vec<Entry>,
    /// Every id's bytes, one after another.
    ids: String,
    /// The index returned last: an order's rows come together and share their customer.
    last: Option<u32>,
}

fn hash(id: &str) -> u64 {
    xxhash_rust::xxh3::xxh3_64(id.as_bytes())
}

impl Customers {
    /// The index of customer `id`, added when new.
    pub fn index(&mut self, id: &str) -> u32 {
        if let Some(last) = self.last {
            if same_bytes(self.id_bytes(&self.entries[last as usize]), id.as_bytes()) {
                return last;
            }
        }
        let h = hash(id);
        let index = match self.find(id, h) {
            Ok(i) => i,
            Err(slot) => self.add(id, h, slot),
        };
        self.last = Some(index);
        index
    }

    /// The tally of the customer at `index`.
    pub fn tally_mut(&mut self, index: u32) -> &mut CustomerTally {
        &mut self.entries[index as usize].tally
    }

    /// The index of `id` (hashing to `h`), or the empty slot where it would go.
    #[inline]
    fn find(&self, id: &str, h: u64) -> Result<u32, usize> {
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
            let entry = &self.entries[e as usize - 1];
            if entry.tag == (h >> 32) as u32 && same_bytes(self.id_bytes(entry), id.as_bytes()) {
                return Ok(e - 1);
            }
            i = (i + 1) & mask;
        }
    }

    fn id_bytes(&self, entry: &Entry) -> &[u8] {
        let start = entry.start as usize;
        &self.ids.as_bytes()[start..start + entry.len as usize]
    }

    fn add(&mut self, id: &str, h: u64, slot: usize) -> u32 {
        let index = u32::try_from(self.entries.len())
            .ok()
            .filter(|&i| i < NO_CUSTOMER)
            .expect("fewer than 4 billion customers");
        let start = self.ids.len() as u64;
        self.ids.push_str(id);
        self.entries.push(Entry {
            start,
            len: u32::try_from(id.len()).expect("a field is at most 16 MiB"),
            tag: (h >> 32) as u32,
            tally: CustomerTally::default(),
        });
        if self.entries.len() * 2 > self.slots.len() {
            self.grow(); // places every entry, this one too
        } else {
            self.slots[slot] = index + 1;
        }
        index
    }

    /// Doubles the slots and places every entry again (hashing the ids anew: entries keep
    /// only 32 bits of the hash).
    fn grow(&mut self) {
        let mut slots = vec![0u32; (self.slots.len() * 2).max(16)];
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

    fn id(&self, entry: &Entry) -> &str {
        let start = entry.start as usize;
        &self.ids[start..start + entry.len as usize]
    }

    /// Every customer with its tally, in no particular order (sort by id before anything
    /// order-dependent).
    pub fn iter(&self) -> impl Iterator<Item = (&str, &CustomerTally)> {
        self.entries.iter().map(|e| (self.id(e), &e.tally))
    }

    pub fn values(&self) -> impl Iterator<Item = &CustomerTally> {
        self.entries.iter().map(|e| &e.tally)
    }

    /// Takes in the customers read from other rows; returns the new index of each of
    /// `other`'s indexes.
    pub fn join(&mut self, other: &Customers) -> Vec<u32> {
        other
            .entries
            .iter()
            .map(|theirs| {
                let index = self.index(other.id(theirs));
                self.entries[index as usize].tally.add(&theirs.tally);
                index
            })
            .collect()
    }

    /// Sets every customer's count of distinct order ids from the settled pairs.
    pub fn count_orders(&mut self, pairs: &OrderPairs) {
        for entry in &mut self.entries {
            entry.tally.orders = 0;
        }
        for customer in pairs.distinct_pairs().map(|(_, c)| c) {
            if customer != NO_CUSTOMER {
                self.entries[customer as usize].tally.orders += 1;
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
        let names: Vec<&str> = customers.iter().map(|(id, _)| id).collect();
        assert_eq!(names[999], "C00999");
        assert_eq!(names[1000..], ["C0000", "C000000", ""]);
    }

    #[test]
    fn joined_customers_add_their_tallies() {
        let day = |d| NaiveDate::from_ymd_opt(2027, 3, d);
        let mut mine = Customers::default();
        let a = mine.index("A");
        mine.tally_mut(a).spend = Money::from_units(5);
        mine.tally_mut(a).last = day(2);
        let mut theirs = Customers::default();
        let b = theirs.index("B");
        theirs.tally_mut(b).spend = Money::from_units(7);
        let a2 = theirs.index("A");
        theirs.tally_mut(a2).spend = Money::from_units(1);
        theirs.tally_mut(a2).loose_rows = 3;
        theirs.tally_mut(a2).last = day(9);
        let remap = mine.join(&theirs);
        // B is new here (index 1); A keeps index 0.
        assert_eq!(remap, [1, 0]);
        let a = mine.tally_mut(0).clone();
        assert_eq!(
            (a.spend, a.loose_rows, a.last),
            (Money::from_units(6), 3, day(9))
        );
        assert_eq!(mine.tally_mut(1).spend, Money::from_units(7));
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
        let orders: Vec<u64> = customers.values().map(|t| t.orders).collect();
        // c0: {10, H}; c1: {11, 13}; c2: {11, H}.
        assert_eq!(orders, [2, 2, 2]);
        assert!(OrderPairs::default().is_empty());
    }
}
