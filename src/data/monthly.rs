//! Sales at month grain by product (elasticity) and, over the trailing twelve months, by
//! product × channel (effective prices), laid out by month: a row finds its month by
//! subtracting month numbers, and each month holds two plain vectors (by product, and by
//! product × channel), so a row costs indexing instead of hash-map probes, in any order.

use chrono::NaiveDate;

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
    /// By product id × [`Monthly::channels`] + channel id: one array, so a priced row
    /// finds its cell in one step.
    prices: Vec<Option<PriceSums>>,
}

/// Month-grain sales (see the module documentation).
#[derive(Debug, Default)]
pub struct Monthly {
    /// In order of first appearance.
    months: Vec<Month>,
    /// The position in `months` of each month from `first` on (`u32::MAX`: none yet):
    /// a row finds its month by subtraction, whatever the row order.
    index: Vec<u32>,
    /// The month number (year × 12 + month − 1) `index` starts at.
    first: i32,
    /// The channels a product's price cells are laid out for.
    channels: usize,
}

/// Adds into the cell at `i` of a vector that grows as ids appear.
#[inline]
fn add_at(cells: &mut Vec<Option<PriceSums>>, i: usize, sums: PriceSums) {
    if cells.len() <= i {
        cells.resize(i + 1, None);
    }
    cells[i].get_or_insert_with(PriceSums::default).add(sums);
}

fn month_number(month: YearMonth) -> i32 {
    month.year * 12 + month.month as i32 - 1
}

impl Monthly {
    #[inline]
    fn month(&mut self, month: YearMonth) -> &mut Month {
        let number = month_number(month);
        let at = number - self.first;
        let found = usize::try_from(at)
            .ok()
            .and_then(|at| self.index.get(at))
            .filter(|&&i| i != u32::MAX);
        let i = match found {
            Some(&i) => i,
            None => self.new_month(month),
        };
        &mut self.months[i as usize]
    }

    /// Adds `month` (not there yet) and returns its position.
    #[cold]
    fn new_month(&mut self, month: YearMonth) -> u32 {
        let number = month_number(month);
        if self.index.is_empty() {
            self.first = number;
        } else if number < self.first {
            let before = (self.first - number) as usize;
            self.index
                .splice(0..0, std::iter::repeat_n(u32::MAX, before));
            self.first = number;
        }
        let at = (number - self.first) as usize;
        if self.index.len() <= at {
            self.index.resize(at + 1, u32::MAX);
        }
        let i = self.months.len() as u32;
        self.index[at] = i;
        self.months.push(Month {
            month,
            products: Vec::new(),
            prices: Vec::new(),
        });
        i
    }

    /// Lays every month's price cells out again for `channels` channels per product.
    #[cold]
    fn widen(&mut self, channels: usize) {
        let old = self.channels.max(1);
        for month in &mut self.months {
            let cells = std::mem::take(&mut month.prices);
            for (i, cell) in cells.into_iter().enumerate() {
                if let Some(sums) = cell {
                    add_at(&mut month.prices, i / old * channels + i % old, sums);
                }
            }
        }
        self.channels = channels;
    }

    /// Adds a row's amount and quantity to its product's month, and, for a priced row
    /// (`channel` given), to its product and channel's month.
    #[inline]
    pub fn add(&mut self, date: NaiveDate, product: u32, channel: Option<u32>, sums: PriceSums) {
        if let Some(channel) = channel {
            let channel = channel as usize;
            if channel >= self.channels {
                self.widen((channel + 1).max(self.channels * 2));
            }
        }
        let channels = self.channels;
        let month = self.month(YearMonth::of(date));
        add_at(&mut month.products, product as usize, sums);
        if let Some(channel) = channel {
            add_at(
                &mut month.prices,
                product as usize * channels + channel as usize,
                sums,
            );
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
        let channels = self.channels.max(1);
        self.months.iter().flat_map(move |m| {
            m.prices.iter().enumerate().filter_map(move |(i, s)| {
                s.as_ref()
                    .map(|s| (m.month, (i / channels) as u32, (i % channels) as u32, s))
            })
        })
    }

    /// Takes in the months of `other`, read from other rows; `products` and `channels`
    /// give each side's new ids by old id (see [`super::intern::Names::join`]).
    pub fn join(&mut self, other: Monthly, products: (&[u32], &[u32]), channels: (&[u32], &[u32])) {
        let mine = std::mem::take(self);
        for side in [
            (mine, products.0, channels.0),
            (other, products.1, channels.1),
        ] {
            let (monthly, products, channels) = side;
            let width = monthly.channels.max(1);
            for month in monthly.months {
                for (p, sums) in month.products.into_iter().enumerate() {
                    if let Some(sums) = sums {
                        let product = products[p] as usize;
                        add_at(&mut self.month(month.month).products, product, sums);
                    }
                }
                for (i, sums) in month.prices.into_iter().enumerate() {
                    if let Some(sums) = sums {
                        let (p, c) = (i / width, i % width);
                        let channel = Some(channels[c]);
                        self.add_priced(month.month, products[p], channel, sums);
                    }
                }
            }
        }
    }

    /// Adds `sums` into the price cell of `product` and `channel` in `month`.
    fn add_priced(
        &mut self,
        month: YearMonth,
        product: u32,
        channel: Option<u32>,
        sums: PriceSums,
    ) {
        let Some(channel) = channel.map(|c| c as usize) else {
            return;
        };
        if channel >= self.channels {
            self.widen((channel + 1).max(self.channels * 2));
        }
        let at = product as usize * self.channels + channel;
        add_at(&mut self.month(month).prices, at, sums);
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
        // A sixth channel lays every month's price cells out again (six per product), and
        // a month before the first one is found like the others.
        a.add(day(3, 1), 1, Some(5), sums(3, 1));
        a.add(
            NaiveDate::from_ymd_opt(2026, 12, 31).unwrap(),
            0,
            Some(2),
            sums(2, 1),
        );
        a.add(day(2, 20), 1, Some(1), sums(1, 1));
        let mut prices: Vec<(i32, u32, u32, u32, Money)> = a
            .prices()
            .map(|(m, p, c, s)| (m.year, m.month, p, c, s.amount))
            .collect();
        prices.sort_unstable_by_key(|x| (x.0, x.1, x.2, x.3));
        assert_eq!(
            prices,
            [
                (2026, 12, 0, 2, m(2)),
                (2027, 2, 0, 0, m(15)),
                (2027, 2, 1, 1, m(8)),
                (2027, 3, 1, 5, m(3))
            ]
        );
        assert_eq!(
            a.product_months()[0].0,
            YearMonth {
                year: 2026,
                month: 12
            }
        );
    }
}
