//! Sales at month grain by product (elasticity) and, over the trailing twelve months, by
//! product × channel (effective prices), laid out by month: each
//! month holds plain vectors indexed by product and channel id, and a row usually finds
//! its month in the cache, so a row costs indexing instead of hash-map probes.

use chrono::NaiveDate;

use super::hashing::KeyIds;
use crate::money::{Exact, Money};
use crate::period::YearMonth;

/// Amount and quantity of the rows behind an effective price.
#[derive(Debug, Default, Clone, Copy)]
pub struct PriceSums {
    pub amount: Money,
    pub quantity: Exact,
}

impl PriceSums {
    fn add(&mut self, other: PriceSums) {
        self.amount += other.amount;
        self.quantity += other.quantity;
    }
}

#[derive(Debug, Clone)]
struct Month {
    month: YearMonth,
    /// Σ amount and Σ quantity by product id.
    products: Vec<Option<PriceSums>>,
    /// By product id, then channel id.
    prices: Vec<Vec<Option<PriceSums>>>,
}

/// Month-grain sales (see the module documentation).
#[derive(Debug, Default)]
pub struct Monthly {
    /// In order of first appearance.
    months: Vec<Month>,
    ids: KeyIds<YearMonth>,
}

/// Adds into the cell at `i` of a vector that grows as ids appear.
fn add_at(cells: &mut Vec<Option<PriceSums>>, i: usize, sums: PriceSums) {
    if cells.len() <= i {
        cells.resize(i + 1, None);
    }
    cells[i].get_or_insert_with(PriceSums::default).add(sums);
}

impl Monthly {
    fn month(&mut self, month: YearMonth) -> &mut Month {
        let (id, new) = self.ids.id(month);
        if new {
            self.months.push(Month {
                month,
                products: Vec::new(),
                prices: Vec::new(),
            });
        }
        &mut self.months[id as usize]
    }

    /// Adds a row's amount and quantity to its product's month, and, for a priced row
    /// (`channel` given), to its product and channel's month.
    pub fn add(&mut self, date: NaiveDate, product: u32, channel: Option<u32>, sums: PriceSums) {
        let month = self.month(YearMonth::of(date));
        add_at(&mut month.products, product as usize, sums);
        if let Some(channel) = channel {
            let product = product as usize;
            if month.prices.len() <= product {
                month.prices.resize(product + 1, Vec::new());
            }
            add_at(&mut month.prices[product], channel as usize, sums);
        }
    }

    /// `(month, product id, sums)` for every product month with rows, by month then id.
    pub fn product_months(&self) -> Vec<(YearMonth, u32, PriceSums)> {
        let mut months: Vec<&Month> = self.months.iter().collect();
        months.sort_unstable_by_key(|m| m.month);
        months
            .into_iter()
            .flat_map(|m| {
                m.products
                    .iter()
                    .enumerate()
                    .filter_map(move |(p, s)| s.map(|s| (m.month, p as u32, s)))
            })
            .collect()
    }

    /// `(month, product id, channel id, sums)` for every priced cell, in no particular
    /// order.
    pub fn prices(&self) -> impl Iterator<Item = (YearMonth, u32, u32, &PriceSums)> {
        self.months.iter().flat_map(|m| {
            m.prices.iter().enumerate().flat_map(move |(p, channels)| {
                channels
                    .iter()
                    .enumerate()
                    .filter_map(move |(c, s)| s.as_ref().map(|s| (m.month, p as u32, c as u32, s)))
            })
        })
    }

    /// Takes in the months of `other`, read from other rows; `products` and `channels`
    /// give each side's new ids by old id (see [`super::intern::Names::join`]).
    pub fn join(&mut self, other: Monthly, products: (&[u32], &[u32]), channels: (&[u32], &[u32])) {
        for month in &mut self.months {
            let old = std::mem::take(month);
            *month = Month {
                month: old.month,
                products: Vec::new(),
                prices: Vec::new(),
            };
            month.absorb(old, products.0, channels.0);
        }
        for theirs in other.months {
            let mine = self.month(theirs.month);
            mine.absorb(theirs, products.1, channels.1);
        }
    }
}

impl Default for Month {
    fn default() -> Self {
        Month {
            month: YearMonth { year: 0, month: 1 },
            products: Vec::new(),
            prices: Vec::new(),
        }
    }
}

impl Month {
    /// Adds the cells of `other` (the same month) under new ids.
    fn absorb(&mut self, other: Month, products: &[u32], channels: &[u32]) {
        for (p, sums) in other.products.into_iter().enumerate() {
            if let Some(sums) = sums {
                add_at(&mut self.products, products[p] as usize, sums);
            }
        }
        for (p, by_channel) in other.prices.into_iter().enumerate() {
            let product = products[p] as usize;
            for (c, sums) in by_channel.into_iter().enumerate() {
                if let Some(sums) = sums {
                    if self.prices.len() <= product {
                        self.prices.resize(product + 1, Vec::new());
                    }
                    add_at(&mut self.prices[product], channels[c] as usize, sums);
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sums(amount: i64, quantity: i64) -> PriceSums {
        PriceSums {
            amount: Money::from_units(amount),
            quantity: Exact::from_units(quantity),
        }
    }

    fn day(month: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(2027, month, d).unwrap()
    }

    #[test]
    fn months_add_up_and_join_under_new_ids() {
        let mut a = Monthly::default();
        a.add(day(2, 1), 0, Some(0), sums(10, 1));
        a.add(day(1, 5), 1, None, sums(4, 2));
        a.add(day(2, 9), 0, Some(0), sums(5, 1));
        let mut b = Monthly::default();
        // b's product 0 is a's product 1; b's channel 0 is a's channel 1.
        b.add(day(2, 3), 0, Some(0), sums(7, 7));
        b.add(day(1, 6), 1, None, sums(1, 1));
        a.join(b, (&[0, 1], &[1, 0]), (&[0, 1], &[1, 0]));
        let got: Vec<(u32, u32, Money)> = a
            .product_months()
            .into_iter()
            .map(|(m, p, s)| (m.month, p, s.amount))
            .collect();
        // January: product 0 = 1 (b's 1), product 1 = 4; February: 0 = 15, 1 = 7.
        let m = Money::from_units;
        assert_eq!(
            got,
            [(1, 0, m(1)), (1, 1, m(4)), (2, 0, m(15)), (2, 1, m(7))]
        );
        let mut prices: Vec<(u32, u32, u32, Money)> = a
            .prices()
            .map(|(m, p, c, s)| (m.month, p, c, s.amount))
            .collect();
        prices.sort_unstable_by_key(|x| (x.0, x.1, x.2));
        assert_eq!(prices, [(2, 0, 0, m(15)), (2, 1, 1, m(7))]);
    }
}
