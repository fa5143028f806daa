//! Sums of money by key, held compact while the pass runs: one hash-table entry per key
//! that occurs, its sums as 64-bit integers at one scale shared by the whole table (the
//! most decimals any amount had so far). An amount with more decimals rescales the table
//! once; a sum that would leave 64 bits, or an amount with more decimals than
//! [`MAX_COMPACT_SCALE`], moves its cell to a side table of exact [`Money`]. So the sums
//! stay exact whatever the input, and the usual cell costs its key and 8 bytes a sum,
//! where an exact amount takes 24.

use std::hash::Hash;

use super::hashing::FastMap;
use crate::money::{Exact, Money};

/// The most decimals the compact sums keep; amounts with more go to the exact side table.
pub const MAX_COMPACT_SCALE: u32 = 9;

/// `N` sums of money per key (see the module documentation).
#[derive(Debug, Clone)]
pub struct MoneyCells<K, const N: usize> {
    /// The scale of every compact sum.
    scale: u32,
    compact: FastMap<K, [i64; N]>,
    /// Cells whose sums left the compact range: a key is in one table or the other.
    exact: FastMap<K, [Money; N]>,
}

impl<K, const N: usize> Default for MoneyCells<K, N> {
    fn default() -> Self {
        MoneyCells {
            scale: 0,
            compact: FastMap::default(),
            exact: FastMap::default(),
        }
    }
}

impl<K: Hash + Eq + Copy, const N: usize> MoneyCells<K, N> {
    /// Adds `values` into the cell at `key` (creating it).
    #[inline]
    pub fn add(&mut self, key: K, values: [Money; N]) {
        self.add_parts(key, values.map(|v| v.as_exact().parts()));
    }

    /// Adds `(units, scale)` values into the cell at `key`.
    #[inline]
    fn add_parts(&mut self, key: K, values: [(i128, u32); N]) {
        if self.exact.is_empty() || !self.exact.contains_key(&key) {
            if let Some(units) = self.compact_units(values) {
                let cell = self.compact.entry(key).or_insert([0; N]);
                let mut sum = *cell;
                let mut fits = true;
                for (s, u) in sum.iter_mut().zip(units) {
                    match s.checked_add(u) {
                        Some(v) => *s = v,
                        None => fits = false,
                    }
                }
                if fits {
                    *cell = sum;
                    return;
                }
            }
        }
        self.add_exact(key, values);
    }

    /// The values as units at the table's scale (rescaling the table for more decimals);
    /// `None` when one does not fit.
    #[inline]
    fn compact_units(&mut self, values: [(i128, u32); N]) -> Option<[i64; N]> {
        let most = values.iter().map(|&(_, s)| s).max().unwrap_or(0);
        if most > self.scale {
            if most > MAX_COMPACT_SCALE {
                return None;
            }
            self.rescale(most);
        }
        let mut out = [0i64; N];
        for (o, (units, scale)) in out.iter_mut().zip(values) {
            *o = units_at(units, scale, self.scale)?;
        }
        Some(out)
    }

    /// Raises the table's scale to `scale`; cells that no longer fit move to the exact table.
    #[cold]
    fn rescale(&mut self, scale: u32) {
        let factor = 10i64.pow(scale - self.scale);
        let old = self.scale;
        let mut moved = Vec::new();
        for (key, sums) in self.compact.iter_mut() {
            let scaled: Option<Vec<i64>> = sums.iter().map(|s| s.checked_mul(factor)).collect();
            match scaled {
                Some(scaled) => sums.copy_from_slice(&scaled),
                None => moved.push((*key, sums.map(|s| money(i128::from(s), old)))),
            }
        }
        for (key, sums) in moved {
            self.compact.remove(&key);
            self.exact.insert(key, sums);
        }
        self.scale = scale;
    }

    /// Adds into the exact table, moving the cell's compact sums there first.
    #[cold]
    #[inline(never)]
    fn add_exact(&mut self, key: K, values: [(i128, u32); N]) {
        let scale = self.scale;
        let start = self
            .compact
            .remove(&key)
            .map(|sums| sums.map(|s| money(i128::from(s), scale)));
        let cell = self
            .exact
            .entry(key)
            .or_insert_with(|| start.unwrap_or([Money::ZERO; N]));
        for (c, (units, scale)) in cell.iter_mut().zip(values) {
            *c += money(units, scale);
        }
    }

    /// Every cell and its sums, in no particular order.
    pub fn iter(&self) -> impl Iterator<Item = (K, [Money; N])> + '_ {
        let scale = self.scale;
        self.compact
            .iter()
            .map(move |(k, sums)| (*k, sums.map(|s| money(i128::from(s), scale))))
            .chain(self.exact.iter().map(|(k, sums)| (*k, *sums)))
    }

    pub fn contains(&self, key: &K) -> bool {
        self.compact.contains_key(key) || self.exact.contains_key(key)
    }

    pub fn len(&self) -> usize {
        self.compact.len() + self.exact.len()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

/// `units × 10^-scale` as money.
pub fn money(units: i128, scale: u32) -> Money {
    Money::exact(Exact::from_parts(units, scale))
}

/// `units × 10^-scale` as a count of `10^-target` (`target` at least `scale`), when that
/// fits 64 bits.
#[inline]
pub fn units_at(units: i128, scale: u32, target: u32) -> Option<i64> {
    let factor = *POW10.get(target.checked_sub(scale)? as usize)?;
    i64::try_from(units.checked_mul(i128::from(factor))?).ok()
}

/// `10^n` for the `n` a 64-bit sum can take.
const POW10: [i64; 19] = {
    let mut table = [1i64; 19];
    let mut n = 1;
    while n < 19 {
        table[n] = table[n - 1] * 10;
        n += 1;
    }
    table
};

#[cfg(test)]
mod tests {
    use super::*;
    use rust_decimal::Decimal;
    use std::str::FromStr;

    fn m(text: &str) -> Money {
        Money::new(Decimal::from_str(text).unwrap())
    }

    fn sums(cells: &MoneyCells<u32, 1>) -> Vec<(u32, String)> {
        let mut out: Vec<(u32, String)> = cells
            .iter()
            .map(|(k, [v])| (k, v.decimal().normalize().to_string()))
            .collect();
        out.sort();
        out
    }

    #[test]
    fn sums_stay_exact_across_scales_and_overflow() {
        let mut cells: MoneyCells<u32, 1> = MoneyCells::default();
        cells.add(1, [m("10")]);
        // Two decimals rescale the table: 10 becomes 1000 hundredths.
        cells.add(1, [m("0.25")]);
        cells.add(2, [m("-3.5")]);
        // Past 64 bits at two decimals (i64::MAX / 100 ≈ 9.2e16): cell 3 goes exact.
        cells.add(3, [m("90000000000000000")]);
        cells.add(3, [m("90000000000000000.01")]);
        // Twelve decimals are more than the compact sums keep.
        cells.add(4, [m("0.000000000001")]);
        cells.add(4, [m("1")]);
        // Back in cell 1 after all that.
        cells.add(1, [m("0.005")]);
        assert_eq!(
            sums(&cells),
            [
                (1, "10.255".to_string()),
                (2, "-3.5".to_string()),
                (3, "180000000000000000.01".to_string()),
                (4, "1.000000000001".to_string()),
            ]
        );
    }
}
